"""Crisis bargaining with uncertainty about the receiver's cost of war (Fearon 1995; Powell 1996).

The model, exactly as :mod:`equishift.solver.bargaining` solves it:

* Two states divide a good of value 1. The **proposer** (e.g. the status-quo power) makes a
  take-it-or-leave-it offer: a share :math:`x` of the good for the **receiver** (a concession),
  keeping :math:`1 - x`. Offers lie in :math:`[0, 1]`, and in :math:`[0, q]` when concessions
  are capped at :math:`q` (:meth:`BargainingModel.with_cap`: e.g. a containment policy that
  rules out conceding more than :math:`q`).
* If the receiver rejects, there is war: the receiver wins the whole good with probability
  :math:`p`, so war is worth :math:`p - c` to the receiver and :math:`1 - p - c_S` to the
  proposer, where :math:`c_S \\ge 0` is the proposer's (known) cost of war.
* The receiver's cost :math:`c` is its private information; the proposer believes
  :math:`c \\sim U[0, \\bar C]`.
* The receiver accepts iff :math:`x \\ge p - c` (indifference resolved by accepting), so
  :math:`P(\\text{war} \\mid x) = P(c < p - x)`, which is 0 for :math:`x \\ge p`,
  :math:`(p - x)/\\bar C` for :math:`p - \\bar C \\le x \\le p`, and 1 below.
* The proposer chooses the offer maximising its expected payoff
  :math:`(1 - P_w(x))(1 - x) + P_w(x)(1 - p - c_S)`.

This module holds the model (a frozen value) and the pieces of the acceptance rule; the optimum
is found by exact piecewise maximisation in :func:`equishift.solver.bargaining.solve_bargaining`.

Examples
--------
>>> m = BargainingModel(p="0.6", proposer_cost="0.1", max_receiver_cost="0.4",
...                     players=["United States", "China"])
>>> m.war_probability("0.45")
Fraction(3, 8)
>>> capped = m.with_cap("0.4")
>>> capped.cap, capped.offer_range, capped.provenance
(Fraction(2, 5), (Fraction(0, 1), Fraction(2, 5)), ('cap concessions at x <= 2/5',))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from .errors import GameError
from .numbers import Number, format_number, to_number

__all__ = ["BargainingModel"]


def _in_unit(value: Any, what: str) -> Number:
    v = to_number(value, what=what)
    if v < 0 or v > 1:
        raise GameError(f"{what} is {format_number(v)}; expected a number in [0, 1]")
    return v


@dataclass(frozen=True, init=False)
class BargainingModel:
    """Take-it-or-leave-it bargaining in the shadow of war with a privately known war cost.

    Parameters
    ----------
    p
        Probability that the receiver wins a war, in ``[0, 1]``.
    proposer_cost
        The proposer's cost of war :math:`c_S \\ge 0` (common knowledge).
    max_receiver_cost
        :math:`\\bar C > 0`: the receiver's cost of war is uniform on ``[0, C̄]``.
    cap
        Largest concession the proposer may offer (``None``: no cap), in ``[0, 1]``.
    players
        ``(proposer, receiver)`` labels.
    title, provenance
        Description, and what produced this value (oldest first).

    Raises
    ------
    GameError
        On a probability or cap outside ``[0, 1]``, a negative proposer cost, a non-positive
        ``max_receiver_cost``, or labels that are not two distinct strings.

    Examples
    --------
    >>> BargainingModel(p="0.6", proposer_cost="0.1", max_receiver_cost=0)
    Traceback (most recent call last):
    ...
    equishift.games.errors.GameError: max_receiver_cost is 0; expected a positive number ...
    """

    p: Number
    proposer_cost: Number
    max_receiver_cost: Number
    cap: Number | None = None
    players: tuple[str, str] = ("Proposer", "Receiver")
    title: str = ""
    provenance: tuple[str, ...] = field(default=())

    def __init__(
        self,
        p: Any,
        proposer_cost: Any,
        max_receiver_cost: Any,
        cap: Any = None,
        *,
        players: Sequence[str] = ("Proposer", "Receiver"),
        title: str = "",
        provenance: Sequence[str] = (),
    ) -> None:
        pv = _in_unit(p, "p (receiver's probability of winning)")
        cs = to_number(proposer_cost, what="proposer_cost")
        if cs < 0:
            raise GameError(f"proposer_cost is {format_number(cs)}; expected a number >= 0")
        cbar = to_number(max_receiver_cost, what="max_receiver_cost")
        if cbar <= 0:
            raise GameError(
                f"max_receiver_cost is {format_number(cbar)}; expected a positive number "
                "(the receiver's war cost is uniform on [0, max_receiver_cost])"
            )
        q = None if cap is None else _in_unit(cap, "cap on concessions")
        if isinstance(players, str) or len(players) != 2:
            raise GameError(f"players must be (proposer, receiver), got {players!r}")
        a, b = players
        if not all(isinstance(s, str) and s.strip() for s in (a, b)) or a == b:
            raise GameError(f"players must be two distinct non-empty labels, got {players!r}")
        object.__setattr__(self, "p", pv)
        object.__setattr__(self, "proposer_cost", cs)
        object.__setattr__(self, "max_receiver_cost", cbar)
        object.__setattr__(self, "cap", q)
        object.__setattr__(self, "players", (a, b))
        object.__setattr__(self, "title", str(title))
        object.__setattr__(self, "provenance", tuple(provenance))

    # -- transforms ---------------------------------------------------------------------------
    def _copy(self, cap: Any, note: str) -> BargainingModel:
        return BargainingModel(
            self.p,
            self.proposer_cost,
            self.max_receiver_cost,
            cap,
            players=self.players,
            title=self.title,
            provenance=(*self.provenance, note),
        )

    def with_cap(self, cap: Any) -> BargainingModel:
        """A new model in which concessions are capped: offers ``x <= cap``."""
        q = _in_unit(cap, "cap on concessions")
        return self._copy(q, f"cap concessions at x <= {format_number(q)}")

    def without_cap(self) -> BargainingModel:
        """A new model with no cap on concessions."""
        return self._copy(None, "remove the cap on concessions")

    # -- the acceptance rule ------------------------------------------------------------------
    @property
    def is_exact(self) -> bool:
        """True when every number is a ``Fraction``."""
        values = [self.p, self.proposer_cost, self.max_receiver_cost]
        if self.cap is not None:
            values.append(self.cap)
        return all(isinstance(v, Fraction) for v in values)

    @property
    def offer_range(self) -> tuple[Number, Number]:
        """The offers the proposer may make: ``(0, 1)``, or ``(0, cap)`` with a cap."""
        return (Fraction(0), Fraction(1) if self.cap is None else self.cap)

    def war_value(self, player: int | str) -> Number:
        """Expected value of war: ``1 − p − c_S`` for the proposer, ``p − C̄/2`` for the receiver."""
        i = self._index(player)
        if i == 0:
            return 1 - self.p - self.proposer_cost
        return self.p - self.max_receiver_cost / 2

    def _index(self, player: int | str) -> int:
        if player in (0, 1):
            return int(player)
        if player in self.players:
            return self.players.index(str(player))
        raise GameError(f"unknown player {player!r}; expected one of {list(self.players)}")

    def accepts(self, offer: Any, receiver_cost: Any) -> bool:
        """Whether a receiver with war cost ``receiver_cost`` accepts ``offer`` (``x >= p − c``)."""
        x = to_number(offer, what="offer")
        c = to_number(receiver_cost, what="receiver_cost")
        return bool(x >= self.p - c)

    def pieces(self) -> tuple[tuple[Number, Number, Number, Number], ...]:
        """The war probability as a piecewise-linear function of the offer on the offer range.

        Each piece is ``(low, high, intercept, slope)``: on ``[low, high]``,
        :math:`P(\\text{war} \\mid x) = \\text{intercept} + \\text{slope} \\cdot x`.

        >>> BargainingModel(p="0.6", proposer_cost="0.1", max_receiver_cost="0.4").pieces()
        ((Fraction(0, 1), Fraction(1, 5), Fraction(1, 1), Fraction(0, 1)), \
(Fraction(1, 5), Fraction(3, 5), Fraction(3, 2), Fraction(-5, 2)), \
(Fraction(3, 5), Fraction(1, 1), Fraction(0, 1), Fraction(0, 1)))
        """
        lo, hi = self.offer_range
        cbar = self.max_receiver_cost
        raw: list[tuple[Number | None, Number | None, Number, Number]] = [
            (None, self.p - cbar, Fraction(1), Fraction(0)),
            (self.p - cbar, self.p, self.p / cbar, Fraction(-1) / cbar),
            (self.p, None, Fraction(0), Fraction(0)),
        ]
        out: list[tuple[Number, Number, Number, Number]] = []
        for a, b, icpt, slope in raw:
            low = lo if a is None else max(lo, a)
            high = hi if b is None else min(hi, b)
            if low < high or (lo == hi and low == high and not out):
                out.append((low, high, icpt, slope))
        return tuple(out)

    def war_probability(self, offer: Any) -> Number:
        """:math:`P(\\text{war} \\mid x) = P(c < p - x)` for ``c ~ U[0, C̄]``.

        >>> m = BargainingModel(p="0.6", proposer_cost="0.1", max_receiver_cost="0.4")
        >>> m.war_probability(0), m.war_probability("0.4"), m.war_probability(1)
        (Fraction(1, 1), Fraction(1, 2), Fraction(0, 1))
        """
        x = to_number(offer, what="offer")
        w = (self.p - x) / self.max_receiver_cost
        return min(max(w, Fraction(0)), Fraction(1))

    def proposer_payoff(self, offer: Any) -> Number:
        """The proposer's expected payoff ``(1 − P_w)(1 − x) + P_w (1 − p − c_S)``."""
        x = to_number(offer, what="offer")
        w = self.war_probability(x)
        return (1 - w) * (1 - x) + w * self.war_value(0)

    def describe(self) -> str:
        """One line for people."""
        cap = "no cap" if self.cap is None else f"concessions capped at {format_number(self.cap)}"
        return (
            f"{self.players[0]} offers a share x to {self.players[1]}; {self.players[1]} wins a "
            f"war with p = {format_number(self.p)}, war costs c_S = "
            f"{format_number(self.proposer_cost)} and c ~ U[0, "
            f"{format_number(self.max_receiver_cost)}]; {cap}"
        )
