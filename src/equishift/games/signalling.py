"""Signalling games: a sender with a private type sends a message; a receiver acts on it.

Nature draws the sender's type ``t`` from a prior; the sender, knowing ``t``,
sends a message ``m``; the receiver sees ``m`` (not ``t``) and chooses an
action ``a``; payoffs ``u_S(t, m, a)`` and ``u_R(t, m, a)``. A *costly signal*
is a message whose cost to the sender depends on the type, e.g. ``κ_t · s``
for a confidence-building measure of size ``s`` (:func:`costly_signal_game`).

As a tree (:meth:`SignallingGame.to_extensive`) the sender's information sets
are labelled ``"<sender>|<type>"`` and the receiver's ``"<receiver>|<message>"``.

Examples
--------
>>> g = costly_signal_game(
...     types={"good": "1/2", "bad": "1/2"},
...     actions=["Trust", "Distrust"],
...     value=lambda t, a: ((3 if a == "Trust" else 0), (1 if (t == "good") == (a == "Trust")
...                                                     else 0)),
...     cost={"good": 1, "bad": 2}, size=2)
>>> g.messages, g.payoff("bad", "signal", "Trust")
(('none', 'signal'), (Fraction(-1, 1), Fraction(0, 1)))
>>> g.to_extensive().n_nodes
15
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from .errors import GameError
from .extensive_form import Chance, Decision, ExtensiveFormGame, Node, Terminal
from .numbers import Number, to_number

__all__ = ["SignallingGame", "costly_signal_game"]


class SignallingGame:
    """A finite sender–receiver game (immutable).

    Parameters
    ----------
    types
        ``{type: prior probability}`` (exact, summing to 1).
    messages, actions
        The sender's messages and the receiver's actions (labels).
    payoffs
        ``u(type, message, action) -> (sender payoff, receiver payoff)``.
    sender, receiver
        Player labels.
    title
        A short description.

    Raises
    ------
    GameError
        For an inexact or improper prior, empty or duplicate labels.
    """

    __slots__ = ("_actions", "_messages", "_payoffs", "_prior", "_receiver", "_sender", "_title")

    def __init__(
        self,
        *,
        types: Mapping[str, Any],
        messages: Sequence[str],
        actions: Sequence[str],
        payoffs: Callable[[str, str, str], Sequence[Any]],
        sender: str = "Sender",
        receiver: str = "Receiver",
        title: str = "",
    ) -> None:
        prior: dict[str, Fraction] = {}
        for t, p in types.items():
            if isinstance(p, float):
                raise GameError(f"prior of {t!r} is the float {p!r}; write it exactly, e.g. '0.4'")
            v = to_number(p, what=f"prior of {t!r}")
            if not isinstance(v, Fraction) or v < 0:
                raise GameError(f"prior of {t!r} must be exact and non-negative")
            prior[t] = v
        if sum(prior.values(), Fraction(0)) != 1:
            raise GameError(f"the prior sums to {sum(prior.values(), Fraction(0))}, expected 1")
        for what, labels in (("types", list(prior)), ("messages", messages), ("actions", actions)):
            if not labels or len(set(labels)) != len(labels):
                raise GameError(f"{what} must be non-empty and unique")
        if sender == receiver:
            raise GameError("sender and receiver need different labels")
        self._prior = prior
        self._messages = tuple(messages)
        self._actions = tuple(actions)
        self._sender, self._receiver, self._title = sender, receiver, title
        table: dict[tuple[str, str, str], tuple[Number, Number]] = {}
        for t in prior:
            for m in self._messages:
                for a in self._actions:
                    vec = tuple(payoffs(t, m, a))
                    if len(vec) != 2:
                        raise GameError(f"payoffs at {(t, m, a)} need 2 entries (sender, receiver)")
                    table[(t, m, a)] = (
                        to_number(vec[0], what=f"sender payoff at {(t, m, a)}"),
                        to_number(vec[1], what=f"receiver payoff at {(t, m, a)}"),
                    )
        self._payoffs = table

    @property
    def types(self) -> tuple[str, ...]:
        """Sender types."""
        return tuple(self._prior)

    @property
    def prior(self) -> dict[str, Fraction]:
        """``{type: probability}``."""
        return dict(self._prior)

    @property
    def messages(self) -> tuple[str, ...]:
        """Messages."""
        return self._messages

    @property
    def actions(self) -> tuple[str, ...]:
        """Receiver actions."""
        return self._actions

    @property
    def sender(self) -> str:
        """Sender label."""
        return self._sender

    @property
    def receiver(self) -> str:
        """Receiver label."""
        return self._receiver

    @property
    def title(self) -> str:
        """A short description."""
        return self._title

    def payoff(self, type_: str, message: str, action: str) -> tuple[Number, Number]:
        """``(sender payoff, receiver payoff)``."""
        try:
            return self._payoffs[(type_, message, action)]
        except KeyError:
            raise GameError(
                f"unknown type, message or action in {(type_, message, action)}"
            ) from None

    def sender_infoset(self, type_: str) -> str:
        """Label of the sender's information set for a type."""
        return f"{self._sender}|{type_}"

    def receiver_infoset(self, message: str) -> str:
        """Label of the receiver's information set after a message."""
        return f"{self._receiver}|{message}"

    def to_extensive(self) -> ExtensiveFormGame:
        """The game tree: chance draws the type, the sender sends, the receiver acts."""

        def receiver(t: str, m: str) -> Node:
            return Decision(
                self._receiver,
                {a: Terminal(self._payoffs[(t, m, a)]) for a in self._actions},
                infoset=self.receiver_infoset(m),
            )

        root = Chance(
            {
                t: (
                    p,
                    Decision(
                        self._sender,
                        {m: receiver(t, m) for m in self._messages},
                        infoset=self.sender_infoset(t),
                    ),
                )
                for t, p in self._prior.items()
            }
        )
        return ExtensiveFormGame.build(
            players=[self._sender, self._receiver], root=root, title=self._title
        )

    def __repr__(self) -> str:
        return (
            f"SignallingGame(types={self.types}, messages={self._messages}, "
            f"actions={self._actions})"
        )


def costly_signal_game(
    *,
    types: Mapping[str, Any],
    actions: Sequence[str],
    value: Callable[[str, str], Sequence[Any]],
    cost: Mapping[str, Any],
    size: Any,
    free: str = "none",
    signal: str = "signal",
    sender: str = "Sender",
    receiver: str = "Receiver",
    title: str = "",
) -> SignallingGame:
    """A signalling game with a free message and a costly signal of size ``size``.

    ``value(type, action) -> (sender, receiver)`` are the payoffs of the
    receiver's action; sending ``signal`` costs the sender ``cost[type] * size``.

    >>> g = costly_signal_game(types={"a": "1/2", "b": "1/2"}, actions=["x"],
    ...     value=lambda t, a: (5, 0), cost={"a": 1, "b": 3}, size="1.5")
    >>> g.payoff("b", "signal", "x"), g.payoff("b", "none", "x")
    ((Fraction(1, 2), Fraction(0, 1)), (Fraction(5, 1), Fraction(0, 1)))
    """
    s = to_number(size, what="signal size")
    kappa = {t: to_number(c, what=f"cost of {t!r}") for t, c in cost.items()}
    if set(kappa) != set(types):
        raise GameError("cost needs one entry per type")

    def u(t: str, m: str, a: str) -> tuple[Any, Any]:
        us, ur = value(t, a)
        us = to_number(us, what="sender value")
        return (us - kappa[t] * s if m == signal else us, ur)

    return SignallingGame(
        types=types,
        messages=[free, signal],
        actions=actions,
        payoffs=u,
        sender=sender,
        receiver=receiver,
        title=title,
    )
