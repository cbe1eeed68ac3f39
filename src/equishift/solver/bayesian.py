"""Bayesian Nash equilibria and thresholds on the prior.

A Bayesian Nash equilibrium (BNE) of a :class:`~equishift.games.bayesian.BayesianGame`
is a profile of type-contingent strategies in which every type with positive
probability best-responds to its posterior belief.

* :func:`pure_bayesian_equilibria` — all pure BNE, vectorised over the agent
  form (one agent per player and type, see ``BayesianGame.agent_form``).
* :func:`bayesian_equilibria` — all equilibria (mixed included) of small games,
  via :func:`equishift.solver.solve` on the induced normal form over
  type-contingent strategies, converted to a mixture per type.
* :func:`bne_prior_region` — the exact set of prior parameters at which a pure
  profile is a BNE: the prior is written with a sympy ``Symbol``, each type's
  incentive constraint becomes a polynomial inequality in it and is solved
  symbolically.
* :func:`prior_threshold` — the point where a yes/no property of a game family
  flips, by exact bisection over rational parameters; the threshold is the
  simplest rational in the final bracket and the property is re-checked at it
  and on both sides.

>>> from equishift.games.bayesian import BayesianGame, independent_prior
>>> sh = {("C", "C"): (5, 5), ("C", "D"): (0, 4), ("D", "C"): (4, 0), ("D", "D"): (1, 1)}
>>> g = BayesianGame(players=["A", "B"], types=[["T"], ["T"]], actions=[["C", "D"]] * 2,
...     prior={("T", "T"): 1}, payoffs=lambda t, a: sh[a])
>>> [eq.describe() for eq in pure_bayesian_equilibria(g)]
['A: T→C; B: T→C', 'A: T→D; B: T→D']
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..games.bayesian import BayesianGame
from ..games.errors import SolverError
from ..games.numbers import Number, format_number
from .pure import pure_equilibria
from .solution import Equilibrium
from .verify import DEFAULT_TOL

__all__ = [
    "BayesianEquilibrium",
    "Threshold",
    "bayesian_equilibria",
    "bne_prior_region",
    "prior_threshold",
    "pure_bayesian_equilibria",
]


@dataclass(frozen=True)
class BayesianEquilibrium:
    """A Bayesian Nash equilibrium: a (possibly mixed) action distribution per player and type.

    Attributes
    ----------
    players, types, actions
        Labels of the game.
    strategy
        ``strategy[i][k]``: probabilities of player ``i``'s actions when of type ``k``.
    payoffs
        Ex-ante expected payoff of each player.
    """

    players: tuple[str, ...]
    types: tuple[tuple[str, ...], ...]
    actions: tuple[tuple[str, ...], ...]
    strategy: tuple[tuple[tuple[Number, ...], ...], ...]
    payoffs: tuple[Number, ...]

    @property
    def is_pure(self) -> bool:
        """True when every type plays one action with probability one."""
        return all(sum(1 for p in row if p != 0) == 1 for pl in self.strategy for row in pl)

    def by_label(self) -> dict[str, dict[str, dict[str, Number]]]:
        """``{player: {type: {action: probability}}}`` without zeros."""
        return {
            pl: {
                t: {a: p for a, p in zip(acts, row, strict=True) if p != 0}
                for t, row in zip(ts, rows, strict=True)
            }
            for pl, ts, acts, rows in zip(
                self.players, self.types, self.actions, self.strategy, strict=True
            )
        }

    def action_of(self, player: str, type_: str) -> str | None:
        """The action a type plays for sure, or ``None`` when it mixes."""
        d = self.by_label()[player][type_]
        return next(iter(d)) if len(d) == 1 else None

    def describe(self) -> str:
        """One line: ``A: T→C, U→D; B: ...`` (mixtures with probabilities)."""
        parts = []
        for pl, ts in self.by_label().items():
            moves = []
            for t, d in ts.items():
                if len(d) == 1:
                    moves.append(f"{t}→{next(iter(d))}")
                else:
                    mix = ", ".join(f"{a} {format_number(p)}" for a, p in d.items())
                    moves.append(f"{t}→({mix})")
            parts.append(f"{pl}: " + ", ".join(moves))
        return "; ".join(parts)


def _ex_ante_payoffs(
    game: BayesianGame, strategy: Sequence[Sequence[Sequence[Number]]]
) -> tuple[Number, ...]:
    n = game.n_players
    total: list[Any] = [Fraction(0) if game.is_exact else 0.0] * n
    for tidx in itertools.product(*(range(len(t)) for t in game.types)):
        p = game.prior[tidx]
        if p == 0:
            continue
        cells = game.payoffs[tidx]
        for aidx in itertools.product(*(range(len(a)) for a in game.actions)):
            w: Any = p if game.is_exact else float(p)
            for i in range(n):
                w = w * strategy[i][tidx[i]][aidx[i]]
            if w == 0:
                continue
            for i in range(n):
                total[i] = total[i] + w * cells[(*aidx, i)]
    return tuple(total)


def _make(
    game: BayesianGame, strategy: Sequence[Sequence[Sequence[Number]]]
) -> BayesianEquilibrium:
    strat = tuple(tuple(tuple(row) for row in pl) for pl in strategy)
    return BayesianEquilibrium(
        players=game.players,
        types=game.types,
        actions=game.actions,
        strategy=strat,
        payoffs=_ex_ante_payoffs(game, strat),
    )


def pure_bayesian_equilibria(
    game: BayesianGame, *, tol: float = 0.0
) -> tuple[BayesianEquilibrium, ...]:
    """All pure Bayesian Nash equilibria (exact for exact games).

    Types of prior probability zero are unconstrained, so every action of such a
    type appears. Computed as the pure equilibria of the agent form
    (vectorised best-response masks).

    Examples
    --------
    >>> from equishift.games.bayesian import BayesianGame
    >>> g = BayesianGame(players=["A"], types=[["hi", "lo"]], actions=[["x", "y"]],
    ...     prior={("hi",): "1/2", ("lo",): "1/2"},
    ...     payoffs=lambda t, a: (1 if (t[0] == "hi") == (a[0] == "x") else 0,))
    >>> [eq.describe() for eq in pure_bayesian_equilibria(g)]
    ['A: hi→x, lo→y']
    """
    agents = game.agents()
    out = []
    for idx in pure_equilibria(game.agent_form(), tol=tol):
        strat: list[list[tuple[Fraction, ...]]] = [[] for _ in range(game.n_players)]
        for (i, _), a in zip(agents, idx, strict=True):
            strat[i].append(tuple(Fraction(int(j == a)) for j in range(len(game.actions[i]))))
        out.append(_make(game, strat))
    return tuple(out)


def bayesian_equilibria(
    game: BayesianGame,
    *,
    method: str | None = None,
    tol: float = DEFAULT_TOL,
    max_seconds: float = 30.0,
) -> tuple[tuple[BayesianEquilibrium, ...], bool]:
    """All Bayesian Nash equilibria of a small game, mixed ones included.

    The induced normal form over type-contingent strategies is solved with
    :func:`equishift.solver.solve` (every equilibrium verified there); each mixed
    profile is turned into a mixture over actions per type (with positive
    probability types; a zero-probability type gets its own marginal, which is
    arbitrary). Duplicates after conversion are dropped.

    Returns
    -------
    (equilibria, complete)
        ``complete`` is the normal-form solution's completeness flag.

    Examples
    --------
    >>> from equishift.games.bayesian import BayesianGame
    >>> mp = {("H", "H"): (1, -1), ("H", "T"): (-1, 1), ("T", "H"): (-1, 1), ("T", "T"): (1, -1)}
    >>> g = BayesianGame(players=["A", "B"], types=[["t"], ["t"]], actions=[["H", "T"]] * 2,
    ...     prior={("t", "t"): 1}, payoffs=lambda t, a: mp[a])
    >>> eqs, complete = bayesian_equilibria(g)
    >>> [eq.describe() for eq in eqs], complete
    (['A: t→(H 1/2, T 1/2); B: t→(H 1/2, T 1/2)'], True)
    """
    from .api import solve

    nf = game.induced_normal_form()
    sol = solve(nf, method, tol=tol, max_seconds=max_seconds)
    seen: set[Any] = set()
    out = []
    for eq in sol.equilibria:
        assert isinstance(eq, Equilibrium)
        strat = []
        for i in range(game.n_players):
            plans = game.strategy_plans(i)
            rows = []
            for k in range(len(game.types[i])):
                mass: list[Any] = [Fraction(0)] * len(game.actions[i])
                for plan, p in zip(plans, eq.profile[i], strict=True):
                    mass[plan[k]] = mass[plan[k]] + p
                rows.append(tuple(mass))
            strat.append(tuple(rows))
        key = tuple(strat)
        if key in seen:
            continue
        seen.add(key)
        out.append(_make(game, strat))
    return tuple(out), sol.complete


def bne_prior_region(
    game: BayesianGame,
    profile: Mapping[str, Mapping[str, str]],
    prior: Callable[[Any], Mapping[tuple[str, ...], Any]],
    *,
    lo: Any = 0,
    hi: Any = 1,
) -> Any:
    """The exact set of parameters ``x`` in ``[lo, hi]`` at which a pure profile is a BNE.

    Parameters
    ----------
    game
        Supplies players, types, actions and payoffs (its own prior is ignored).
    profile
        ``{player: {type: action}}``.
    prior
        ``x -> {type profile: probability}``, written with sympy arithmetic; it is
        called with a sympy ``Symbol``.
    lo, hi
        The parameter range.

    Returns
    -------
    sympy.Set
        Where every type's incentive constraint holds. The constraints are ex
        ante (each type's interim gain times its probability), so a value at
        which a type has probability zero leaves that type unconstrained.

    Examples
    --------
    Trust in a Stag Hunt: each side is trustworthy with probability ``m``; the
    trustworthy type cooperates, the other defects. That is an equilibrium iff
    ``m >= 1/2`` (or ``m = 0``, where no trustworthy type exists).

    >>> from equishift.games.bayesian import BayesianGame
    >>> sh = {("C", "C"): 5, ("C", "D"): 0, ("D", "C"): 4, ("D", "D"): 1}
    >>> pd = {("C", "C"): 5, ("C", "D"): 0, ("D", "C"): 6, ("D", "D"): 1}
    >>> def u(t, a):
    ...     me = (sh if t[0] == "T" else pd)[a]
    ...     other = (sh if t[1] == "T" else pd)[(a[1], a[0])]
    ...     return (me, other)
    >>> g = BayesianGame(players=["A", "B"], types=[["T", "U"]] * 2, actions=[["C", "D"]] * 2,
    ...     prior={("T", "T"): 1}, payoffs=u)
    >>> prof = {"A": {"T": "C", "U": "D"}, "B": {"T": "C", "U": "D"}}
    >>> bne_prior_region(g, prof, lambda m: {("T", "T"): m * m, ("T", "U"): m * (1 - m),
    ...                                      ("U", "T"): (1 - m) * m, ("U", "U"): (1 - m) ** 2})
    Union({0}, Interval(1/2, 1))
    """
    import sympy

    x = sympy.Symbol("x", real=True)
    pr = {tuple(k): sympy.nsimplify(v) for k, v in prior(x).items()}
    chosen: list[list[int]] = []
    for i, pl in enumerate(game.players):
        if pl not in profile:
            raise SolverError(f"bne_prior_region(): profile has no entry for {pl!r}")
        row = []
        for t in game.types[i]:
            act = profile[pl].get(t)
            if act is None or act not in game.actions[i]:
                raise SolverError(f"bne_prior_region(): no valid action for {pl!r} type {t!r}")
            row.append(game.actions[i].index(act))
        chosen.append(row)
    region = sympy.Interval(sympy.nsimplify(lo), sympy.nsimplify(hi))
    for i in range(game.n_players):
        for k in range(len(game.types[i])):
            for dev in range(len(game.actions[i])):
                if dev == chosen[i][k]:
                    continue
                gain = sympy.Integer(0)
                for tidx in itertools.product(*(range(len(t)) for t in game.types)):
                    if tidx[i] != k:
                        continue
                    tlab = tuple(game.types[j][m] for j, m in enumerate(tidx))
                    p = pr.get(tlab, 0)
                    if p == 0:
                        continue
                    a = [chosen[j][tidx[j]] for j in range(game.n_players)]
                    b = list(a)
                    b[i] = dev
                    diff = game.payoffs[(*tidx, *a, i)] - game.payoffs[(*tidx, *b, i)]
                    gain += p * sympy.nsimplify(diff)
                cond = sympy.solve_univariate_inequality(
                    sympy.expand(gain) >= 0, x, relational=False
                )
                region = sympy.Intersection(region, cond)
    return sympy.simplify(region)


@dataclass(frozen=True)
class Threshold:
    """Where a property of a one-parameter family of games flips.

    Attributes
    ----------
    value
        The threshold (exact).
    below, at, above
        The property just below, at, and just above ``value`` (checked).
    """

    value: Fraction
    below: bool
    at: bool
    above: bool


def _simplest_between(a: Fraction, b: Fraction) -> Fraction:
    """The rational with the smallest denominator in ``[a, b]`` (Stern–Brocot descent)."""
    if a > b:
        a, b = b, a
    fl = a.numerator // a.denominator
    if Fraction(fl) == a:
        return a
    if fl + 1 <= b:
        return Fraction(fl + 1)
    # a and b share the integer part: recurse on the reciprocals of the fractional parts.
    inner = _simplest_between(1 / (b - fl), 1 / (a - fl))
    return fl + 1 / inner


def prior_threshold(
    family: Callable[[Fraction], Any],
    holds: Callable[[Any], bool],
    *,
    lo: Any = 0,
    hi: Any = 1,
    max_denominator: int = 10_000,
) -> Threshold:
    """The parameter at which ``holds(family(x))`` flips, by exact bisection.

    ``holds`` must differ at ``lo`` and ``hi`` and flip once in between. The
    bracket is halved with exact rationals until it is narrower than
    ``1 / (2 max_denominator ** 2)``; the threshold is the simplest rational in
    it, and the property is evaluated at the threshold and one bracket width
    to either side (``below`` and ``above`` must differ, otherwise
    ``SolverError``). A threshold with a denominator above ``max_denominator``
    is reported as the simplest rational inside the bracket, which may differ
    from the true value by less than the bracket width.

    Examples
    --------
    >>> t = prior_threshold(lambda x: x, lambda x: 7 * x <= 2)
    >>> t.value, t.below, t.at, t.above
    (Fraction(2, 7), True, True, False)
    """
    a, b = Fraction(to_exact(lo)), Fraction(to_exact(hi))
    fa, fb = holds(family(a)), holds(family(b))
    if fa == fb:
        raise SolverError(f"prior_threshold(): the property is {fa} at both ends of [{a}, {b}]")
    width = Fraction(1, 2 * max_denominator * max_denominator)
    while b - a > width:
        m = (a + b) / 2
        if holds(family(m)) == fa:
            a = m
        else:
            b = m
    t = _simplest_between(a, b)
    eps = max(b - a, Fraction(1, 10**12))
    below, at, above = holds(family(t - eps)), holds(family(t)), holds(family(t + eps))
    if below == above:
        raise SolverError("prior_threshold(): the property does not flip at the bracket found")
    return Threshold(t, below, at, above)


def to_exact(value: Any) -> Fraction:
    """An exact ``Fraction`` from an int, ``Fraction`` or decimal string (no floats)."""
    from ..games.numbers import to_number

    v = to_number(value)
    if not isinstance(v, Fraction):
        raise SolverError(f"expected an exact number, got the float {value!r}")
    return v
