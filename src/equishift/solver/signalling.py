"""Equilibria of signalling games: classification, separating ranges, the intuitive criterion.

The equilibria are the perfect Bayesian equilibria of the game tree
(:func:`equishift.solver.pbe.perfect_bayesian_equilibria`), read back in
signalling terms and classified:

``separating``
    every type sends its own message for sure (the message reveals the type);
``pooling``
    every type sends the same message for sure (the posterior is the prior);
``semi-separating``
    anything else: some type mixes, or some types pool while others separate.

The **intuitive criterion** (Cho & Kreps 1987, QJE 102(2)) prunes equilibria
supported by implausible off-path beliefs: for an unsent message ``m``, the
types whose equilibrium payoff beats anything ``m`` could bring them
(``m`` is *equilibrium dominated* for them) are ruled out; if some other type
would then gain from ``m`` against every receiver best reply to beliefs on the
types left, the equilibrium fails.

:func:`separating_range` gives the exact set of signal sizes ``s`` at which a
separating equilibrium exists, for a family of games indexed by ``s``;
:func:`least_cost_separating` its smallest element.

>>> from equishift.games.signalling import costly_signal_game
>>> def game(s):
...     return costly_signal_game(types={"T": "0.4", "U": "0.6"}, actions=["Trust", "Distrust"],
...         value=lambda t, a: ((6 if t == "T" else 9) if a == "Trust" else 0,
...                             {"T": 5, "U": 0}[t] if a == "Trust" else {"T": 4, "U": 1}[t]),
...         cost={"T": 1, "U": 3}, size=s)
>>> separating_range(game, lo=0, hi=10)
Interval(3, 6)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..games.errors import SolverError
from ..games.numbers import format_number
from ..games.signalling import SignallingGame
from .pbe import PBE, BeliefSet, belief_vertices, pbe_region, perfect_bayesian_equilibria

__all__ = [
    "SignallingEquilibrium",
    "classify",
    "intuitive_criterion",
    "least_cost_separating",
    "separating_range",
    "signalling_equilibria",
]


@dataclass(frozen=True)
class SignallingEquilibrium:
    """A PBE of a signalling game in signalling terms.

    Attributes
    ----------
    kind
        ``"separating"``, ``"pooling"`` or ``"semi-separating"``.
    sender
        ``{type: {message: probability}}`` (non-zero entries).
    receiver
        ``{message: {action: probability}}`` (non-zero entries), for every message.
    posterior
        ``{message: {type: probability}}`` where Bayes' rule pins it, or the
        :class:`~equishift.solver.pbe.BeliefSet` of supporting beliefs (over the
        types, in the game's type order) after an unsent message.
    payoffs
        ``{type: sender's payoff}`` and ``"receiver"``: receiver's expected payoff.
    intuitive
        Whether it survives the intuitive criterion.
    pbe
        The underlying assessment on the game tree.
    """

    kind: str
    sender: dict[str, dict[str, Fraction]]
    receiver: dict[str, dict[str, Fraction]]
    posterior: dict[str, dict[str, Fraction] | BeliefSet]
    payoffs: dict[str, Fraction]
    intuitive: bool
    pbe: PBE

    def describe(self) -> str:
        """One line: kind, what each type sends, how the receiver answers each message."""

        def mix(d: dict[str, Fraction]) -> str:
            if len(d) == 1:
                return next(iter(d))
            return "(" + ", ".join(f"{k} {format_number(p)}" for k, p in d.items()) + ")"

        sends = ", ".join(f"{t}→{mix(d)}" for t, d in self.sender.items())
        answers = ", ".join(f"{m}→{mix(d)}" for m, d in self.receiver.items())
        return f"{self.kind}: {sends}; {answers}"


def _nonzero(labels: tuple[str, ...], row: tuple[Fraction, ...]) -> dict[str, Fraction]:
    return {lab: p for lab, p in zip(labels, row, strict=True) if p != 0}


def classify(game: SignallingGame, sender: dict[str, dict[str, Fraction]]) -> str:
    """``"separating"``, ``"pooling"`` or ``"semi-separating"`` from the sender's strategy.

    Types of prior probability zero are ignored.

    >>> from fractions import Fraction as F
    >>> from equishift.games.signalling import SignallingGame
    >>> g = SignallingGame(types={"a": "1/2", "b": "1/2"}, messages=["x", "y"], actions=["u"],
    ...                    payoffs=lambda t, m, a: (0, 0))
    >>> classify(g, {"a": {"x": F(1)}, "b": {"y": F(1)}}), classify(g, {"a": {"x": F(1)},
    ...     "b": {"x": F(1)}}), classify(g, {"a": {"x": F(1)}, "b": {"x": F(1, 2), "y": F(1, 2)}})
    ('separating', 'pooling', 'semi-separating')
    """
    live = [t for t in game.types if game.prior[t] > 0]
    pure = all(len(sender[t]) == 1 for t in live)
    if pure:
        sent = [next(iter(sender[t])) for t in live]
        if len(set(sent)) == 1:
            return "pooling"
        if len(set(sent)) == len(sent):
            return "separating"
    return "semi-separating"


def _receiver_best_actions(game: SignallingGame, message: str, types: list[str]) -> list[str]:
    """Receiver actions that are a best reply to some belief concentrated on ``types``."""
    out = []
    for a in game.actions:
        rows = [
            tuple(
                Fraction(game.payoff(t, message, a)[1]) - Fraction(game.payoff(t, message, b)[1])
                for t in types
            )
            for b in game.actions
            if b != a
        ]
        if belief_vertices(rows, len(types)):
            out.append(a)
    return out


def intuitive_criterion(
    game: SignallingGame,
    sender: dict[str, dict[str, Fraction]],
    type_payoffs: dict[str, Fraction],
) -> bool:
    """True when the equilibrium survives the Cho–Kreps intuitive criterion.

    Parameters
    ----------
    sender
        ``{type: {message: probability}}`` of the equilibrium.
    type_payoffs
        Each type's equilibrium payoff.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> from equishift.games.signalling import SignallingGame
    >>> def u(t, m, a):
    ...     return ((1 if (t == "strong") == (m == "beer") else 0) + (2 if a == "Not" else 0),
    ...             1 if (a == "Duel") == (t == "weak") else 0)
    >>> g = SignallingGame(types={"strong": "0.9", "weak": "0.1"}, messages=["beer", "quiche"],
    ...                    actions=["Duel", "Not"], payoffs=u)
    >>> quiche = {"strong": {"quiche": F(1)}, "weak": {"quiche": F(1)}}
    >>> intuitive_criterion(g, quiche, {"strong": F(2), "weak": F(3)})
    False
    """
    live = [t for t in game.types if game.prior[t] > 0]
    for m in game.messages:
        if any(sender[t].get(m, 0) > 0 for t in live):
            continue
        best_any = _receiver_best_actions(game, m, live)
        dominated = [
            t
            for t in live
            if type_payoffs[t] > max(Fraction(game.payoff(t, m, a)[0]) for a in best_any)
        ]
        rest = [t for t in live if t not in dominated]
        if not rest or not dominated:
            continue
        replies = _receiver_best_actions(game, m, rest)
        for t in rest:
            if all(Fraction(game.payoff(t, m, a)[0]) > type_payoffs[t] for a in replies):
                return False
    return True


def signalling_equilibria(
    game: SignallingGame, *, mixed: bool = True
) -> tuple[tuple[SignallingEquilibrium, ...], bool]:
    """The PBE of a signalling game, classified and tested with the intuitive criterion.

    Returns
    -------
    (equilibria, complete)
        ``complete`` as in :class:`~equishift.solver.pbe.PBESolution` (pure PBE are
        always complete; with ``mixed`` the mixed part may not be).

    Examples
    --------
    Beer–quiche (Cho & Kreps 1987): two pooling equilibria, one intuitive.

    >>> from equishift.games.signalling import SignallingGame
    >>> def u(t, m, a):
    ...     return ((1 if (t == "strong") == (m == "beer") else 0) + (2 if a == "Not" else 0),
    ...             1 if (a == "Duel") == (t == "weak") else 0)
    >>> g = SignallingGame(types={"strong": "0.9", "weak": "0.1"}, messages=["beer", "quiche"],
    ...                    actions=["Duel", "Not"], payoffs=u)
    >>> eqs, complete = signalling_equilibria(g, mixed=False)
    >>> [(eq.kind, eq.sender["strong"], eq.intuitive) for eq in eqs]
    [('pooling', {'beer': Fraction(1, 1)}, True), ('pooling', {'quiche': Fraction(1, 1)}, False)]
    >>> eqs[0].posterior["quiche"].describe()
    'P(strong → quiche) in [0, 1/2]'
    """
    tree = game.to_extensive()
    sol = perfect_bayesian_equilibria(tree, mixed=mixed)
    out = []
    s, r = game.sender, game.receiver
    for eq in sol.equilibria:
        sender = {
            t: _nonzero(game.messages, _row(eq, s, game.sender_infoset(t))) for t in game.types
        }
        receiver = {
            m: _nonzero(game.actions, _row(eq, r, game.receiver_infoset(m))) for m in game.messages
        }
        posterior: dict[str, dict[str, Fraction] | BeliefSet] = {}
        for m in game.messages:
            b = eq.belief(r, game.receiver_infoset(m))
            if isinstance(b, BeliefSet):
                posterior[m] = b
            else:
                posterior[m] = dict(zip(game.types, b, strict=True))
        pays: dict[str, Fraction] = {}
        for t in game.types:
            pays[t] = sum(
                (
                    pm * pa * Fraction(game.payoff(t, m, a)[0])
                    for m, pm in sender[t].items()
                    for a, pa in receiver[m].items()
                ),
                Fraction(0),
            )
        pays["receiver"] = Fraction(eq.payoffs[1])
        out.append(
            SignallingEquilibrium(
                kind=classify(game, sender),
                sender=sender,
                receiver=receiver,
                posterior=posterior,
                payoffs=pays,
                intuitive=intuitive_criterion(game, sender, pays),
                pbe=eq,
            )
        )
    return tuple(out), sol.complete


def _row(eq: PBE, player: str, infoset: str) -> tuple[Fraction, ...]:
    i = eq.players.index(player)
    return eq.behavior[i][eq.infosets[i].index(infoset)]


def separating_range(
    family: Callable[[Fraction], SignallingGame],
    *,
    lo: Any = 0,
    hi: Any = 1,
    degree: int = 1,
) -> Any:
    """The exact set of parameters (e.g. signal sizes) in ``[lo, hi]`` with a separating PBE.

    The union, over every separating sender strategy and every receiver reply,
    of the region where that profile is a PBE
    (:func:`~equishift.solver.pbe.pbe_region`, exact with sympy; payoffs must be
    polynomials of degree at most ``degree`` in the parameter).
    """
    import itertools

    import sympy

    from .bayesian import to_exact

    mid = family((to_exact(lo) + to_exact(hi)) / 2)
    live = [t for t in mid.types if mid.prior[t] > 0]
    if len(mid.messages) < len(live):
        return sympy.EmptySet
    pieces = []
    for msgs in itertools.permutations(mid.messages, len(live)):
        for replies in itertools.product(mid.actions, repeat=len(mid.messages)):
            choices = {
                mid.sender: {mid.sender_infoset(t): m for t, m in zip(live, msgs, strict=True)},
                mid.receiver: {
                    mid.receiver_infoset(m): a for m, a in zip(mid.messages, replies, strict=True)
                },
            }
            for t in mid.types:
                choices[mid.sender].setdefault(mid.sender_infoset(t), mid.messages[0])
            pieces.append(
                pbe_region(lambda x: family(x).to_extensive(), choices, lo=lo, hi=hi, degree=degree)
            )
    return sympy.simplify(sympy.Union(*pieces))


def least_cost_separating(
    family: Callable[[Fraction], SignallingGame],
    *,
    lo: Any = 0,
    hi: Any = 1,
    degree: int = 1,
) -> Fraction | None:
    """The smallest parameter in ``[lo, hi]`` with a separating PBE (``None`` if there is none).

    Raises ``SolverError`` when the set has no smallest element (an open end).

    >>> from equishift.games.signalling import costly_signal_game
    >>> fam = lambda s: costly_signal_game(types={"H": "1/2", "L": "1/2"},
    ...     actions=["hire", "pass"], cost={"H": 1, "L": 2}, size=s,
    ...     value=lambda t, a: (4 if a == "hire" else 0,
    ...                         (1 if t == "H" else -1) if a == "hire" else 0))
    >>> least_cost_separating(fam, lo=0, hi=10)
    Fraction(2, 1)
    """
    import sympy

    region = separating_range(family, lo=lo, hi=hi, degree=degree)
    if region == sympy.EmptySet:
        return None
    inf = region.inf
    if not region.contains(inf):
        raise SolverError("least_cost_separating(): the separating set has no least element")
    return Fraction(str(inf))
