"""Conditions on parameters under which profiles are equilibria (symbolic, with sympy).

For a :class:`~equishift.games.parametric.ParametricGame`:

* :func:`equilibrium_conditions` — a pure profile :math:`s` is a Nash equilibrium
  iff :math:`u_i(s) \\ge u_i(t_i, s_{-i})` for every player :math:`i` and every
  deviation :math:`t_i`; these inequalities are returned simplified, dropping the
  ones that hold for all (real) parameter values and flagging the ones that never do.
* :func:`mixed_equilibrium_conditions` — for a 2-player game and a pair of supports of
  equal size, the mixing probabilities that make each player indifferent on
  the support (solved exactly), and the conditions for them to be positive and
  for no strategy outside the support to do better.
* :func:`thresholds` — for one parameter, the exact values where the equilibrium
  set changes: candidates are the roots of every boundary above, and each is
  confirmed by solving the game (:func:`equishift.solver.solve`) at the
  candidate and at rational points on both sides.
* :func:`regime_map` — for two parameters, which equilibria hold at each point of
  an exact grid (each point solved), as regime ids with a legend.

Equilibria are named by their supports: ``(Test, Exercise)`` for a pure profile,
``({Freeze, Test}, {Suspend, Exercise})`` for a mixed one.

Examples
--------
>>> from equishift.games.parametric import ParametricGame
>>> chicken = ParametricGame.from_arrays(
...     [["R", "S"], ["T", "P"]], [["R", "T"], ["S", "P"]],
...     parameters={"R": 3, "S": 2, "T": 4, "P": -10},
...     strategies=[["Restrain", "Escalate"]] * 2)
>>> print(equilibrium_conditions(chicken, ("Escalate", "Restrain")))
(Escalate, Restrain) is an equilibrium iff:
  R <= T  [Player 1: Escalate vs Restrain]
  P <= S  [Player 2: Restrain vs Escalate]
>>> mixed = mixed_equilibrium_conditions(chicken)
>>> mixed.probability("Player 1", "Escalate")
(R - T)/(P + R - S - T)
>>> mixed.probability_at("Player 1", "Escalate")
Fraction(1, 13)
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy

from ..games.errors import GameError
from ..games.numbers import Number, format_number, to_number
from ..games.parameters import symbol
from ..games.parametric import ParametricGame, to_sympy_number
from .api import solve
from .solution import Equilibrium, Solution

__all__ = [
    "Condition",
    "EquilibriumConditions",
    "MixedEquilibriumConditions",
    "Regime",
    "RegimeMap",
    "Thresholds",
    "equilibrium_conditions",
    "equilibrium_label",
    "mixed_equilibrium_conditions",
    "regime_map",
    "thresholds",
]


# -- conditions -----------------------------------------------------------------------------
def _relation(diff: Any, strict: bool) -> Any:
    """``diff >= 0`` (or ``> 0``) written with positive terms on each side: ``T_D <= R_D``."""
    num, den = sympy.fraction(sympy.together(diff))
    if den.is_number and den.is_positive:
        terms = sympy.Add.make_args(sympy.expand(num))
        const = sympy.Add(*(t for t in terms if t.is_number))
        symbolic = [t for t in terms if not t.is_number]
        pos = sympy.Add(*(t for t in symbolic if not t.as_coeff_Mul()[0].is_negative))
        neg = sympy.Add(*(-t for t in symbolic if t.as_coeff_Mul()[0].is_negative))
        # pos - neg + const >= 0, with the constant on whichever side keeps symbols apart.
        if pos == 0:
            lhs, rhs = neg, const
        elif neg == 0:
            lhs, rhs = -const, pos
        else:
            lhs, rhs = neg - const, pos
        rel = sympy.Lt if strict else sympy.Le
        return rel(lhs, rhs, evaluate=False)
    rel = sympy.Gt if strict else sympy.Ge
    return rel(diff, 0, evaluate=False)


def _simplify(diff: Any) -> Any:
    """A canonical, positively rescaled form of a difference whose sign matters."""
    d = sympy.cancel(sympy.together(sympy.expand(diff)))
    num, den = sympy.fraction(d)
    if den.is_number:
        num = sympy.expand(num / den)
        if num.is_number:
            return num
        content, primitive = num.as_content_primitive()
        if content.is_positive:
            return primitive
        return num
    return d


def _univariate_truth(diff: Any, strict: bool) -> bool | None:
    """Decide ``diff >= 0`` (``> 0``) for all reals when ``diff`` is a polynomial in one symbol.

    The sign is constant between real roots, so checking the roots and one point
    in every gap decides it exactly.
    """
    free = diff.free_symbols
    if len(free) != 1:
        return None
    (x,) = free
    if not diff.is_polynomial(x):
        return None
    roots = sorted(set(sympy.Poly(diff, x).real_roots()), key=lambda r: sympy.N(r, 50))
    if roots:
        # One rational probe in every gap between roots and beyond them; zero at the roots.
        edges = [sympy.floor(roots[0]) - 1, *roots, sympy.ceiling(roots[-1]) + 1]
        probes = [
            sympy.Rational(_between(lo, hi, Fraction(1, 2))) for lo, hi in itertools.pairwise(edges)
        ]
    else:
        probes = [sympy.Integer(0)]
    signs = [sympy.sign(diff.xreplace({x: v})) for v in probes] + [sympy.Integer(0)] * len(roots)
    ok = [s > 0 if strict else s >= 0 for s in signs]
    if all(ok):
        return True
    if not any(ok):
        return False
    return None


def _box_truth(diff: Any, box: Mapping[Any, tuple[Any, Any]], strict: bool) -> bool | None:
    """Decide a condition linear in the parameters over the box of their ranges (corners)."""
    free = diff.free_symbols
    if not free or not free <= set(box):
        return None
    poly = sympy.Poly(diff, *sorted(free, key=lambda s: s.name))
    if poly.total_degree() > 1:
        return None
    low = high = poly.coeff_monomial(1)
    for sym in poly.gens:
        coeff = poly.coeff_monomial(sym)
        lo, hi = box[sym]
        low += min(coeff * lo, coeff * hi)
        high += max(coeff * lo, coeff * hi)
    if (low > 0) if strict else (low >= 0):
        return True
    if (high <= 0) if strict else (high < 0):
        return False
    return None


def _ranges_box(pgame: ParametricGame) -> dict[Any, tuple[Any, Any]]:
    box = {}
    for name, param in pgame.parameters.items():
        if param.range is not None:
            box[symbol(name)] = tuple(to_sympy_number(v) for v in param.range)
    return box


def _truth(diff: Any, strict: bool) -> bool | None:
    """True / False when the sign of ``diff`` is decided for all real parameter values."""
    decided = _univariate_truth(diff, strict)
    if decided is not None:
        return decided
    if strict:
        if diff.is_positive is True:
            return True
        if diff.is_nonpositive is True:
            return False
        return None
    if diff.is_nonnegative is True:
        return True
    if diff.is_negative is True:
        return False
    return None


def _sign_at(diff: Any, swap: Mapping[Any, Any]) -> Fraction | float:
    value = diff.xreplace(swap)
    if isinstance(value, sympy.Rational):
        return Fraction(int(value.p), int(value.q))
    if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        return float("nan")
    return float(value.evalf(30))


@dataclass(frozen=True)
class Condition:
    """One inequality: ``difference >= 0`` (``> 0`` when ``strict``).

    Attributes
    ----------
    player
        Whose incentive (or whose probability) the condition is about.
    about
        What it compares, for people: ``"Freeze vs Test"`` or ``"P(Escalate) > 0"``.
    difference
        A sympy expression of the parameters.
    strict
        ``True`` for ``> 0``.
    relation
        The same condition as a sympy relational, terms moved to make both sides
        positive sums where possible (``T_D <= R_D``).
    """

    player: str
    about: str
    difference: Any
    strict: bool
    relation: Any

    @property
    def text(self) -> str:
        """The relation in plain text, in parameter names."""
        return str(self.relation)

    def holds_at(self, swap: Mapping[Any, Any]) -> bool:
        """Whether it holds at a point given as ``{symbol: sympy number}``."""
        value = _sign_at(self.difference, swap)
        return bool(value > 0) if self.strict else bool(value >= 0)


def _condition(player: str, about: str, diff: Any, strict: bool) -> Condition:
    d = _simplify(diff)
    return Condition(player, about, d, strict, _relation(d, strict))


def _swap_for(pgame: ParametricGame, values: Mapping[str, Any] | None) -> dict[Any, Any]:
    return {symbol(n): to_sympy_number(v) for n, v in pgame.point(values).items()}


@dataclass(frozen=True)
class EquilibriumConditions:
    """When a pure profile is a Nash equilibrium, as inequalities on parameters.

    Attributes
    ----------
    profile
        Strategy labels, one per player.
    conditions
        The inequalities that depend on the parameters (all must hold).
    failing
        Inequalities that fail for every parameter value (then ``never``).
    never
        True when the profile is never an equilibrium.
    """

    players: tuple[str, ...]
    profile: tuple[str, ...]
    conditions: tuple[Condition, ...]
    failing: tuple[Condition, ...]

    @property
    def never(self) -> bool:
        """The profile is an equilibrium for no parameter values."""
        return bool(self.failing)

    @property
    def always(self) -> bool:
        """The profile is an equilibrium for all parameter values."""
        return not self.failing and not self.conditions

    @property
    def relations(self) -> tuple[Any, ...]:
        """The conditions as sympy relationals."""
        return tuple(c.relation for c in self.conditions)

    def holds_at(
        self, pgame: ParametricGame, values: Mapping[str, Any] | None = None, **more: Any
    ) -> bool:
        """Whether every condition holds at a point (defaults for parameters not given)."""
        if self.never:
            return False
        swap = _swap_for(pgame, {**(values or {}), **more})
        return all(c.holds_at(swap) for c in self.conditions)

    def text(self) -> str:
        """Plain text, one condition per line."""
        head = f"({', '.join(self.profile)}) is"
        if self.never:
            bad = "; ".join(f"{c.player}: {c.about}" for c in self.failing)
            return f"{head} never an equilibrium ({bad})"
        if self.always:
            return f"{head} always an equilibrium"
        lines = [f"{head} an equilibrium iff:"]
        lines += [f"  {c.text}  [{c.player}: {c.about}]" for c in self.conditions]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()


def equilibrium_conditions(
    pgame: ParametricGame,
    profile: Sequence[int | str],
    *,
    values: Mapping[str, Any] | None = None,
    within_ranges: bool = False,
) -> EquilibriumConditions:
    """The inequalities on the parameters under which a pure profile is a Nash equilibrium.

    Parameters
    ----------
    pgame
        The parametric game.
    profile
        One strategy per player (labels or indices).
    values
        Parameters to fix at given values first (the rest stay symbolic).
    within_ranges
        Also decide conditions that are linear in parameters which all have a
        ``range``: one that holds on the whole box of ranges is dropped, one that
        fails on all of it makes the profile ``never`` (an equilibrium within the ranges).

    Returns
    -------
    EquilibriumConditions
        Frozen. Conditions that hold for all real values are dropped; ones that
        fail for all values make it ``never``. Duplicates are merged.

    Examples
    --------
    >>> from equishift.games.parametric import ParametricGame
    >>> pd = ParametricGame.from_mapping({"C, C": ("R", "R"), "C, D": ("S", "T"),
    ...                                   "D, C": ("T", "S"), "D, D": ("P", "P")},
    ...                                  parameters={"R": 3, "S": 0, "T": 5, "P": 1})
    >>> equilibrium_conditions(pd, ("C", "C")).relations
    (T <= R,)
    >>> equilibrium_conditions(pd, ("C", "C"), values={"R": 3}).text()
    '(C, C) is an equilibrium iff:\\n  T <= 3  [Player 1: C vs D]'
    >>> equilibrium_conditions(pd, ("C", "C")).holds_at(pd, T=2)
    True
    """
    idx = pgame.profile_index(profile)
    labels = tuple(pgame.strategies[i][k] for i, k in enumerate(idx))
    payoffs = pgame.substitute(values) if values else pgame.payoffs
    conds: list[Condition] = []
    failing: list[Condition] = []
    seen: set[Any] = set()
    box = _ranges_box(pgame) if within_ranges else {}
    for i, player in enumerate(pgame.players):
        here = payoffs[(*idx, i)]
        for k, lab in enumerate(pgame.strategies[i]):
            if k == idx[i]:
                continue
            dev = list(idx)
            dev[i] = k
            cond = _condition(player, f"{labels[i]} vs {lab}", here - payoffs[(*dev, i)], False)
            truth = _truth(cond.difference, False)
            if truth is None and box:
                truth = _box_truth(cond.difference, box, False)
            if truth is True:
                continue
            if truth is False:
                failing.append(cond)
            elif cond.difference not in seen:
                seen.add(cond.difference)
                conds.append(cond)
    return EquilibriumConditions(pgame.players, labels, tuple(conds), tuple(failing))


# -- mixed equilibria of 2-player games -----------------------------------------------------
@dataclass(frozen=True)
class MixedEquilibriumConditions:
    """A 2-player equilibrium with given supports, solved symbolically.

    Attributes
    ----------
    players, strategies
        Labels of the game.
    supports
        The strategies each player mixes over.
    probabilities
        Per player, the probability of each of their strategies (0 outside the
        support) as sympy expressions of the parameters.
    values
        Each player's equilibrium payoff.
    conditions
        Every support probability positive (so each also lies below 1), and no
        strategy outside a support doing better.
    failing
        Conditions false for every parameter value (then ``never``).
    defaults
        The parameter point used by :meth:`probability_at` for values not given.
    """

    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    supports: tuple[tuple[str, ...], ...]
    probabilities: tuple[tuple[Any, ...], ...]
    values: tuple[Any, ...]
    conditions: tuple[Condition, ...]
    failing: tuple[Condition, ...]
    defaults: tuple[tuple[str, Number], ...] = ()

    @property
    def never(self) -> bool:
        """No parameter values make this an equilibrium."""
        return bool(self.failing)

    def probability(self, player: int | str, strategy: int | str) -> Any:
        """The probability (a sympy expression) that ``player`` plays ``strategy``."""
        i = player if isinstance(player, int) else self.players.index(str(player))
        labs = self.strategies[i]
        k = strategy if isinstance(strategy, int) else labs.index(str(strategy))
        return self.probabilities[i][k]

    def point(self, values: Mapping[str, Any] | None = None, **more: Any) -> dict[Any, Any]:
        """``{symbol: value}``: the game's defaults (``defaults``) overridden by ``values``."""
        swap = {symbol(n): to_sympy_number(v) for n, v in self.defaults}
        for n, v in {**(values or {}), **more}.items():
            if symbol(n) not in swap:
                known = ", ".join(repr(k) for k, _ in self.defaults)
                raise GameError(f"unknown parameter {n!r}; expected one of {known}")
            swap[symbol(n)] = to_sympy_number(to_number(v, what=f"value of parameter {n!r}"))
        return swap

    def probability_at(
        self,
        player: int | str,
        strategy: int | str,
        values: Mapping[str, Any] | None = None,
        **more: Any,
    ) -> Number:
        """The probability at a point: a ``Fraction`` when rational, else a ``float``."""
        value = self.probability(player, strategy).xreplace(self.point(values, **more))
        return _number(value)

    def holds_at_point(self, values: Mapping[str, Any] | None = None, **more: Any) -> bool:
        """Whether this is an equilibrium at a point (defaults for parameters not given)."""
        return self.holds_at(self.point(values, **more))

    def holds_at(self, swap: Mapping[Any, Any]) -> bool:
        """Whether every condition holds at ``{symbol: value}``."""
        return not self.never and all(c.holds_at(swap) for c in self.conditions)

    def text(self) -> str:
        """Plain text: probabilities, then conditions."""
        sup = ", ".join("{" + ", ".join(s) + "}" for s in self.supports)
        lines = [f"mixed equilibrium on supports ({sup}):"]
        for pl, labs, probs in zip(self.players, self.strategies, self.probabilities, strict=True):
            for lab, p in zip(labs, probs, strict=True):
                if p != 0:
                    lines.append(f"  P({pl} plays {lab}) = {p}")
        if self.never:
            lines.append("  never an equilibrium")
        else:
            lines.append("  conditions:")
            lines += [f"    {c.text}  [{c.player}: {c.about}]" for c in self.conditions]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()


def _number(value: Any) -> Number:
    if isinstance(value, sympy.Rational):
        return Fraction(int(value.p), int(value.q))
    if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or not value.is_number:
        raise GameError(f"{value} is not a finite number")
    return float(value.evalf(30))


def _solve_indifference(
    own: Any, support_own: Sequence[int], support_other: Sequence[int]
) -> tuple[list[Any], Any] | None:
    """Mix over ``support_own`` making the *other* player indifferent on ``support_other``.

    ``own`` is the other player's payoff matrix indexed ``[own strategy, other strategy]``.
    Returns the probabilities and the other player's value, or ``None`` when singular.
    """
    k = len(support_own)
    rows = []
    for j in support_other:
        rows.append([own[i, j] for i in support_own] + [-1])
    rows.append([1] * k + [0])
    m = sympy.Matrix(rows)
    rhs = sympy.Matrix([0] * len(support_other) + [1])
    det = sympy.factor(m.det())
    if det == 0:
        return None
    out = []
    for c in range(k + 1):
        mc = m.copy()
        mc[:, c] = rhs
        out.append(sympy.factor(sympy.cancel(mc.det() / det)))
    return out[:k], out[k]


def _matrix(pgame: ParametricGame, payoffs: Any, player: int) -> Any:
    arr = payoffs[..., player]
    return sympy.Matrix(arr.shape[0], arr.shape[1], lambda r, c: arr[r, c])


def mixed_equilibrium_conditions(
    pgame: ParametricGame,
    supports: Sequence[Sequence[int | str]] | None = None,
    *,
    values: Mapping[str, Any] | None = None,
) -> MixedEquilibriumConditions:
    """The equilibrium of a 2-player game with given supports, as functions of the parameters.

    Each player mixes so that the *other* is indifferent among the strategies
    of their support; the linear system is solved exactly (Cramer's rule).

    Parameters
    ----------
    pgame
        A 2-player parametric game.
    supports
        Per player, the strategies in the support (labels or indices); by default
        every strategy (full support). Both supports must have the same size.
    values
        Parameters to fix first (the rest stay symbolic).

    Raises
    ------
    GameError
        For games that are not 2-player, supports of different sizes, or when
        the indifference system is singular for all parameter values.

    Examples
    --------
    The Stag Hunt of MODELS.md (R1): the mixed equilibrium engages with
    probability p* = (P - S)/((R - T) + (P - S)):

    >>> from equishift.games.parametric import ParametricGame
    >>> sh = ParametricGame.from_mapping({"E, E": ("R", "R"), "E, H": ("S", "T"),
    ...                                   "H, E": ("T", "S"), "H, H": ("P", "P")},
    ...                                  parameters={"R": 4, "T": 3, "P": 2, "S": 0})
    >>> m = mixed_equilibrium_conditions(sh)
    >>> m.probability(0, "E")
    (P - S)/(P + R - S - T)
    >>> m.probability_at(0, "E"), m.probability_at(0, "E", S="1.5")
    (Fraction(2, 3), Fraction(1, 3))
    """
    if pgame.n_players != 2:
        raise GameError(
            f"mixed_equilibrium_conditions() is implemented only for 2-player games; "
            f"this game has {pgame.n_players} players"
        )
    if supports is None:
        sup = [list(range(n)) for n in pgame.shape]
    else:
        if len(supports) != 2:
            raise GameError("supports must name the strategies of each of the 2 players")
        sup = [sorted({pgame.strategy_index(i, s) for s in supports[i]}) for i in range(2)]
    if len(sup[0]) != len(sup[1]) or not sup[0]:
        raise GameError(
            f"supports have sizes {len(sup[0])} and {len(sup[1])}; expected equal, non-empty "
            "sizes (in a nondegenerate game equilibrium supports have equal size)"
        )
    payoffs = pgame.substitute(values) if values else pgame.payoffs
    a = _matrix(pgame, payoffs, 0)
    b = _matrix(pgame, payoffs, 1)
    labels = [[pgame.strategies[i][k] for k in sup[i]] for i in range(2)]
    # Player 1's mix makes player 2 indifferent over sup[1] (uses B); and vice versa.
    x_sol = _solve_indifference(b, sup[0], sup[1])
    y_sol = _solve_indifference(a.T, sup[1], sup[0])
    if x_sol is None or y_sol is None:
        raise GameError(
            f"the indifference equations for supports {labels} are singular for all "
            "parameter values; the equilibria on these supports (if any) form a continuum"
        )
    x_probs, v2 = x_sol
    y_probs, v1 = y_sol
    probs: list[list[Any]] = [[sympy.Integer(0)] * n for n in pgame.shape]
    for k, p in zip(sup[0], x_probs, strict=True):
        probs[0][k] = p
    for k, p in zip(sup[1], y_probs, strict=True):
        probs[1][k] = p
    conds: list[Condition] = []
    failing: list[Condition] = []

    def add(cond: Condition) -> None:
        truth = _truth(cond.difference, cond.strict)
        if truth is False:
            failing.append(cond)
        elif truth is None and all(c.difference != cond.difference for c in conds):
            conds.append(cond)

    if len(sup[0]) > 1:
        for i in range(2):
            for k in sup[i]:
                lab = pgame.strategies[i][k]
                add(_condition(pgame.players[i], f"P({lab}) > 0", probs[i][k], True))
    values_ = (v1, v2)
    for i, mat in ((0, a), (1, b.T)):
        other = probs[1 - i]
        for k in range(pgame.shape[i]):
            if k in sup[i]:
                continue
            payoff = sum((mat[k, j] * other[j] for j in range(pgame.shape[1 - i])), sympy.S(0))
            lab = pgame.strategies[i][k]
            add(_condition(pgame.players[i], f"no gain from {lab}", values_[i] - payoff, False))
    result = MixedEquilibriumConditions(
        players=pgame.players,
        strategies=pgame.strategies,
        supports=tuple(tuple(lab) for lab in labels),
        probabilities=tuple(tuple(p) for p in probs),
        values=(v1, v2),
        conditions=tuple(conds),
        failing=tuple(failing),
        defaults=tuple(pgame.point(values).items()),
    )
    return result


# -- naming equilibria by support -----------------------------------------------------------
def _eq_key(eq: Equilibrium) -> tuple[int, tuple[tuple[int, ...], ...]]:
    support = tuple(tuple(k for k, p in enumerate(row) if p > 0) for row in eq.profile)
    return (sum(len(s) for s in support), support)


def equilibrium_label(eq: Equilibrium) -> str:
    """A name for an equilibrium that stays the same while its probabilities move: its support.

    >>> from equishift.games import NormalFormGame
    >>> from equishift.solver import solve
    >>> bos = NormalFormGame.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]],
    ...                                  strategies=[["Opera", "Fight"]] * 2)
    >>> [equilibrium_label(e) for e in solve(bos).equilibria]
    ['(Opera, Opera)', '(Fight, Fight)', '({Opera, Fight}, {Opera, Fight})']
    """
    parts = []
    for labs in eq.support:
        parts.append(labs[0] if len(labs) == 1 else "{" + ", ".join(labs) + "}")
    return "(" + ", ".join(parts) + ")"


def _regime_of(solution: Solution) -> tuple[str, ...]:
    eqs = [e for e in solution.equilibria if isinstance(e, Equilibrium)]
    ordered = sorted(eqs, key=_eq_key)
    return tuple(dict.fromkeys(equilibrium_label(e) for e in ordered))


# -- thresholds in one parameter ------------------------------------------------------------
@dataclass(frozen=True)
class Regime:
    """A piece of a parameter's range on which the equilibrium set (by support) is constant.

    Attributes
    ----------
    low, high
        Ends (sympy numbers, exact; equal for a single point).
    low_closed, high_closed
        Whether the ends belong to the piece.
    equilibria
        Labels of the equilibria (see :func:`equilibrium_label`).
    samples
        The points at which the game was solved to establish it.
    complete
        False when a solve at some sample could not enumerate every equilibrium.
    """

    low: Any
    high: Any
    low_closed: bool
    high_closed: bool
    equilibria: tuple[str, ...]
    samples: tuple[Number, ...]
    complete: bool = True

    @property
    def is_point(self) -> bool:
        """True for a single parameter value."""
        return bool(self.low == self.high)

    def interval_text(self) -> str:
        """``[0, 3)``, ``{3}``, ..."""
        if self.is_point:
            return "{" + str(self.low) + "}"
        left = "[" if self.low_closed else "("
        right = "]" if self.high_closed else ")"
        return f"{left}{self.low}, {self.high}{right}"

    def contains(self, value: Any) -> bool:
        """Whether ``value`` lies in this piece (exact comparison)."""
        v = to_sympy_number(to_number(value)) if not isinstance(value, sympy.Basic) else value
        above = bool(v >= self.low) if self.low_closed else bool(v > self.low)
        below = bool(v <= self.high) if self.high_closed else bool(v < self.high)
        return above and below


@dataclass(frozen=True)
class Thresholds:
    """Where the equilibrium set changes as one parameter moves (the others fixed).

    Attributes
    ----------
    parameter
        The parameter that moves.
    over
        ``(low, high)``, the range searched (exact).
    fixed
        The values of the other parameters.
    values
        The thresholds: exact values (sympy numbers) inside ``over`` at which
        the equilibrium set changes, confirmed by solving the game.
    candidates
        Every boundary point of a symbolic condition inside ``over`` (a superset of ``values``).
    regimes
        The pieces of ``over``, in order, with their equilibria.
    warnings
        Anything that limits the result (a boundary not solved exactly, a change
        found between candidates, an incomplete solve).
    """

    parameter: str
    over: tuple[Any, Any]
    fixed: tuple[tuple[str, Number], ...]
    values: tuple[Any, ...]
    candidates: tuple[Any, ...]
    regimes: tuple[Regime, ...]
    warnings: tuple[str, ...] = ()

    def equilibria_at(self, value: Any) -> tuple[str, ...]:
        """The equilibrium labels of the piece containing ``value``."""
        for r in self.regimes:
            if r.contains(value):
                return r.equilibria
        raise GameError(
            f"{self.parameter}={value} is outside the range searched "
            f"[{self.over[0]}, {self.over[1]}]"
        )

    def text(self) -> str:
        """Plain text: the thresholds, then one line per piece."""
        shown = ", ".join(str(v) for v in self.values) or "none"
        lines = [f"thresholds in {self.parameter} over [{self.over[0]}, {self.over[1]}]: {shown}"]
        for r in self.regimes:
            eqs = "; ".join(r.equilibria) or "no equilibrium found"
            lines.append(f"  {self.parameter} in {r.interval_text()}: {eqs}")
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()


def _boundaries(pgame: ParametricGame, payoffs: Any) -> list[Any]:
    """Every difference whose sign decides whether some profile is an equilibrium."""
    out: list[Any] = []
    for idx in itertools.product(*(range(n) for n in pgame.shape)):
        for i in range(pgame.n_players):
            for k in range(pgame.shape[i]):
                if k != idx[i]:
                    dev = list(idx)
                    dev[i] = k
                    out.append(payoffs[(*idx, i)] - payoffs[(*dev, i)])
    return out


_MAX_SUPPORT_PAIRS = 400


def _mixed_boundaries(pgame: ParametricGame, payoffs: Any, warnings: list[str]) -> list[Any]:
    """Probabilities, payoff gaps and determinants of every equal-size support pair."""
    n1, n2 = pgame.shape
    pairs = [
        (s1, s2)
        for k in range(2, min(n1, n2) + 1)
        for s1 in itertools.combinations(range(n1), k)
        for s2 in itertools.combinations(range(n2), k)
    ]
    if len(pairs) > _MAX_SUPPORT_PAIRS:
        warnings.append(
            f"{len(pairs)} support pairs are too many to analyse symbolically; mixed-equilibrium "
            "boundaries were found only by solving at sample points"
        )
        return []
    a = _matrix(pgame, payoffs, 0)
    b = _matrix(pgame, payoffs, 1)
    out: list[Any] = []
    for s1, s2 in pairs:
        for own, sup_own, sup_other in ((b, s1, s2), (a.T, s2, s1)):
            rows = [[own[i, j] for i in sup_own] + [-1] for j in sup_other]
            rows.append([1] * len(sup_own) + [0])
            m = sympy.Matrix(rows)
            out.append(m.det())
            sol = _solve_indifference(own, sup_own, sup_other)
            if sol is None:
                continue
            out.extend(sol[0])
        # Gains from strategies outside the supports, when both systems are solvable.
        xs = _solve_indifference(b, s1, s2)
        ys = _solve_indifference(a.T, s2, s1)
        if xs is None or ys is None:
            continue
        x = [sympy.S(0)] * n1
        y = [sympy.S(0)] * n2
        for k, p in zip(s1, xs[0], strict=True):
            x[k] = p
        for k, p in zip(s2, ys[0], strict=True):
            y[k] = p
        for r in range(n1):
            if r not in s1:
                out.append(ys[1] - sum((a[r, j] * y[j] for j in range(n2)), sympy.S(0)))
        for c in range(n2):
            if c not in s2:
                out.append(xs[1] - sum((b[i, c] * x[i] for i in range(n1)), sympy.S(0)))
    return out


def _roots(expr: Any, p: Any, low: Any, high: Any, warnings: list[str]) -> list[Any]:
    """Real roots in ``[low, high]`` of the numerator and denominator of ``expr``."""
    expr = sympy.together(expr)
    if expr.is_number or p not in expr.free_symbols:
        return []
    num, den = sympy.fraction(expr)
    found: list[Any] = []
    for part in (num, den):
        if part.is_number or p not in part.free_symbols:
            continue
        if part.is_polynomial(p) and len(part.free_symbols) == 1:
            poly = sympy.Poly(part, p)
            if not poly.is_zero:
                found.extend(r for r in poly.real_roots() if bool(low <= r) and bool(r <= high))
            continue
        sol = sympy.solveset(part, p, domain=sympy.Interval(low, high))
        if isinstance(sol, sympy.FiniteSet):
            found.extend(v for v in sol if v.is_real)
        elif sol == sympy.Interval(low, high) or sol is sympy.S.EmptySet:
            continue
        else:
            warnings.append(f"could not solve {part} = 0 exactly for {p}; boundary may be missed")
    return found


def _as_number(value: Any) -> Number:
    """An exact sympy number as a ``Fraction``, an irrational one as a ``float``."""
    if isinstance(value, sympy.Rational):
        return Fraction(int(value.p), int(value.q))
    return float(value.evalf(30))


def _between(a: Any, b: Any, t: Fraction) -> Fraction:
    """A rational point strictly between ``a < b``: ``a + t (b - a)`` or a close rational."""
    target = a + sympy.Rational(t.numerator, t.denominator) * (b - a)
    if isinstance(target, sympy.Rational):
        return Fraction(int(target.p), int(target.q))
    for digits in (15, 30, 60):
        guess = Fraction(str(sympy.N(target, digits)))
        q = sympy.Rational(guess.numerator, guess.denominator)
        if bool(a < q) and bool(q < b):
            return guess
    raise GameError(f"could not find a rational point between {a} and {b}")  # pragma: no cover


def thresholds(
    pgame: ParametricGame,
    parameter: str,
    over: tuple[Any, Any] | None = None,
    *,
    values: Mapping[str, Any] | None = None,
    method: str | None = None,
) -> Thresholds:
    """The exact values of one parameter at which the set of equilibria changes.

    Candidates are the roots (solved exactly) of every difference whose sign
    decides whether a pure profile is an equilibrium, and for 2-player games of
    the probabilities and payoff gaps of the equilibria on every pair of
    supports. The game is then solved (:func:`equishift.solver.solve`) at each
    candidate and at rational points between and beside them; candidates where
    nothing changes are dropped. Equilibria are compared by support
    (:func:`equilibrium_label`).

    Parameters
    ----------
    pgame
        The parametric game.
    parameter
        The parameter that moves.
    over
        ``(low, high)``; by default the parameter's ``range``.
    values
        Values of the other parameters (defaults otherwise).
    method
        Passed to :func:`~equishift.solver.solve` (``None``: its own choice).

    Returns
    -------
    Thresholds
        Frozen: thresholds, candidates, and the pieces of ``over`` with their
        equilibria.

    Examples
    --------
    >>> from equishift.games.parametric import ParametricGame
    >>> sh = ParametricGame.from_mapping({"E, E": ("R", "R"), "E, H": ("S", "T"),
    ...                                   "H, E": ("T", "S"), "H, H": ("P", "P")},
    ...                                  parameters={"R": 4, "T": 3, "P": 2, "S": 0})
    >>> res = thresholds(sh, "T", over=(0, 6))
    >>> res.values
    (4,)
    >>> print(res)
    thresholds in T over [0, 6]: 4
      T in [0, 4): (E, E); (H, H); ({E, H}, {E, H})
      T in {4}: (E, E); (H, H)
      T in (4, 6]: (H, H)
    """
    if parameter not in pgame.parameters:
        raise pgame.parameters._unknown(parameter)
    if over is None:
        rng = pgame.parameters[parameter].range
        if rng is None:
            raise GameError(
                f"thresholds(): parameter {parameter!r} has no range; pass over=(low, high)"
            )
        over = rng
    low_n, high_n = (to_number(v, what="thresholds() range") for v in over)
    if not low_n < high_n:
        raise GameError(f"thresholds(): over={tuple(over)} must have low < high")
    low, high = to_sympy_number(low_n), to_sympy_number(high_n)
    fixed = {n: v for n, v in pgame.point(values).items() if n != parameter}
    payoffs = pgame.substitute(fixed)
    p = symbol(parameter)
    warnings: list[str] = []
    diffs = _boundaries(pgame, payoffs)
    if pgame.n_players == 2:
        diffs += _mixed_boundaries(pgame, payoffs, warnings)
    elif pgame.n_players > 2:
        warnings.append(
            "mixed-equilibrium boundaries of games with more than 2 players are found only by "
            "solving at sample points"
        )
    roots: list[Any] = []
    for d in diffs:
        roots.extend(_roots(d, p, low, high, warnings))
    unique: list[Any] = []
    for r in sorted(set(roots), key=lambda v: sympy.N(v, 50)):
        if not unique or sympy.simplify(r - unique[-1]) != 0:
            unique.append(r)
    candidates = tuple(unique)

    def solve_at(x: Number) -> Solution:
        return solve(pgame.at({**fixed, parameter: x}), method=method)

    # Partition [low, high] at the candidates; solve at every point and inside every interval.
    ends = [low, *(c for c in candidates if c != low and c != high), high]
    pieces: list[Regime] = []
    for j in range(len(ends) - 1):
        a, b = ends[j], ends[j + 1]
        if j > 0 or low in candidates:
            pieces.append(_piece(solve_at, a, a, True, True, [_as_number(a)]))
        samples: list[Number] = [_between(a, b, Fraction(1, 1000))]
        samples.append(_between(a, b, Fraction(1, 2)))
        samples.append(_between(a, b, Fraction(999, 1000)))
        left_closed = j == 0 and low not in candidates
        right_closed = j == len(ends) - 2 and high not in candidates
        if left_closed:
            samples.insert(0, low_n)
        if right_closed:
            samples.append(high_n)
        pieces.append(
            _piece(solve_at, a, b, left_closed, right_closed, samples, warnings, parameter)
        )
    if high in candidates:
        pieces.append(_piece(solve_at, high, high, True, True, [high_n]))
    merged: list[Regime] = []
    for piece in pieces:
        if merged and merged[-1].equilibria == piece.equilibria:
            last = merged[-1]
            merged[-1] = Regime(
                last.low,
                piece.high,
                last.low_closed,
                piece.high_closed,
                last.equilibria,
                last.samples + piece.samples,
                last.complete and piece.complete,
            )
        else:
            merged.append(piece)
    found: list[Any] = []
    for r in merged[1:]:
        if not found or found[-1] != r.low:
            found.append(r.low)
    if any(not r.complete for r in merged):
        warnings.append("some solves were incomplete; equilibria may be missing in some pieces")
    return Thresholds(
        parameter=parameter,
        over=(low, high),
        fixed=tuple(fixed.items()),
        values=tuple(found),
        candidates=candidates,
        regimes=tuple(merged),
        warnings=tuple(dict.fromkeys(warnings)),
    )


def _piece(
    solve_at: Any,
    a: Any,
    b: Any,
    low_closed: bool,
    high_closed: bool,
    samples: Sequence[Number],
    warnings: list[str] | None = None,
    parameter: str = "",
) -> Regime:
    regimes = []
    complete = True
    for x in samples:
        sol = solve_at(x)
        complete = complete and sol.complete
        regimes.append(_regime_of(sol))
    if len(set(regimes)) > 1 and warnings is not None:
        shown = ", ".join(format_number(x) for x in samples)
        warnings.append(
            f"the equilibrium set changes inside ({a}, {b}) of {parameter} (solved at {shown}) "
            "at a point no symbolic boundary predicted; it is reported from the midpoint"
        )
    mid = regimes[len(regimes) // 2]
    return Regime(a, b, low_closed, high_closed, mid, tuple(samples), complete)


# -- regime map in two parameters -----------------------------------------------------------
@dataclass(frozen=True)
class RegimeMap:
    """Which equilibria hold at each point of an exact grid in two parameters.

    Attributes
    ----------
    x, y
        Parameter names.
    xs, ys
        Grid values (exact ``Fraction`` when the ends are exact).
    grid
        ``grid[j][i]``: the regime id at ``(xs[i], ys[j])``.
    legend
        ``legend[id]``: the equilibrium labels of that regime, ids in order of
        first appearance (row by row, ``y`` ascending, then ``x`` ascending).
    fixed
        Values of the other parameters.
    complete
        False when some solve could not enumerate every equilibrium.
    conditions
        The symbolic side of the map: for every pure profile that can be an
        equilibrium (and, in 2-player games, the full-support mixture), the
        conditions in ``x`` and ``y`` (other parameters fixed) under which it is
        one, as text — the regime boundaries are where they turn.
    """

    x: str
    y: str
    xs: tuple[Number, ...]
    ys: tuple[Number, ...]
    grid: tuple[tuple[int, ...], ...]
    legend: tuple[tuple[str, ...], ...]
    fixed: tuple[tuple[str, Number], ...] = ()
    complete: bool = True
    conditions: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def regime_at(self, x: Any, y: Any) -> tuple[str, ...]:
        """The equilibrium labels at a grid point."""
        xv, yv = to_number(x), to_number(y)
        try:
            i, j = self.xs.index(xv), self.ys.index(yv)
        except ValueError:
            raise GameError(f"({x}, {y}) is not a point of the grid") from None
        return self.legend[self.grid[j][i]]

    def text(self) -> str:
        """The map as letters (``y`` increasing upwards) and the legend."""
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

        def mark(k: int) -> str:
            return letters[k] if k < len(letters) else "?"

        width = max(len(format_number(v)) for v in self.ys)
        lines = [f"{self.y} \\ {self.x}"]
        for j in reversed(range(len(self.ys))):
            row = " ".join(mark(k) for k in self.grid[j])
            lines.append(f"{format_number(self.ys[j]).rjust(width)} | {row}")
        lines.append(
            f"{' ' * width}   {self.x} from {format_number(self.xs[0])} "
            f"to {format_number(self.xs[-1])}"
        )
        for k, eqs in enumerate(self.legend):
            lines.append(f"{mark(k)}: {'; '.join(eqs) or 'no equilibrium found'}")
        return "\n".join(lines)

    def conditions_text(self) -> str:
        """The symbolic conditions, one equilibrium per line."""
        lines = []
        for label, conds in self.conditions:
            lines.append(f"{label}: {', '.join(conds) if conds else 'always'}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()


def _map_conditions(
    pgame: ParametricGame, fixed: Mapping[str, Number]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    out: list[tuple[str, tuple[str, ...]]] = []
    for prof in pgame.profiles():
        cond = equilibrium_conditions(pgame, prof, values=fixed)
        if not cond.never:
            out.append((f"({', '.join(prof)})", tuple(c.text for c in cond.conditions)))
    if pgame.n_players == 2 and pgame.shape[0] == pgame.shape[1] > 1:
        try:
            mixed = mixed_equilibrium_conditions(pgame, values=fixed)
        except GameError:
            return tuple(out)
        if not mixed.never:
            label = "(" + ", ".join("{" + ", ".join(s) + "}" for s in mixed.supports) + ")"
            out.append((label, tuple(c.text for c in mixed.conditions)))
    return tuple(out)


def _axis(spec: tuple[str, Any, Any, int], pgame: ParametricGame) -> tuple[str, list[Number]]:
    if len(spec) != 4:
        raise GameError(f"regime_map(): axis {spec!r} must be (name, low, high, n)")
    name, lo, hi, n = spec
    if name not in pgame.parameters:
        raise pgame.parameters._unknown(name)
    if not isinstance(n, int) or isinstance(n, bool) or n < 2:
        raise GameError(f"regime_map(): axis {name!r} needs n >= 2 points, got {n!r}")
    low, high = to_number(lo, what="grid end"), to_number(hi, what="grid end")
    if not low < high:
        raise GameError(f"regime_map(): axis {name!r} needs low < high")
    if isinstance(low, Fraction) and isinstance(high, Fraction):
        return name, [low + (high - low) * Fraction(k, n - 1) for k in range(n)]
    return name, [float(low) + (float(high) - float(low)) * k / (n - 1) for k in range(n)]


def regime_map(
    pgame: ParametricGame,
    x: tuple[str, Any, Any, int],
    y: tuple[str, Any, Any, int],
    *,
    values: Mapping[str, Any] | None = None,
    method: str | None = None,
) -> RegimeMap:
    """Solve the game on an exact grid in two parameters and name the equilibrium regimes.

    Parameters
    ----------
    pgame
        The parametric game.
    x, y
        ``(name, low, high, n)``: ``n >= 2`` evenly spaced values from ``low`` to
        ``high`` inclusive (exact when the ends are).
    values
        Values of the other parameters (defaults otherwise).
    method
        Passed to :func:`~equishift.solver.solve`.

    Examples
    --------
    >>> from equishift.games.parametric import ParametricGame
    >>> sh = ParametricGame.from_mapping({"E, E": ("R", "R"), "E, H": ("S", "T"),
    ...                                   "H, E": ("T", "S"), "H, H": ("P", "P")},
    ...                                  parameters={"R": 4, "T": 3, "P": 2, "S": 0})
    >>> m = regime_map(sh, x=("T", 1, 5, 3), y=("S", -1, 3, 3))
    >>> print(m)
    S \\ T
     3 | C C D
     1 | A A B
    -1 | A A B
         T from 1 to 5
    A: (E, E); (H, H); ({E, H}, {E, H})
    B: (H, H)
    C: (E, E)
    D: (E, H); (H, E); ({E, H}, {E, H})
    >>> m.regime_at(5, 3)
    ('(E, H)', '(H, E)', '({E, H}, {E, H})')
    >>> print(m.conditions_text())
    (E, E): T <= 4
    (E, H): 2 <= S, 4 <= T
    (H, E): 4 <= T, 2 <= S
    (H, H): S <= 2
    ({E, H}, {E, H}): (S - 2)/(S + T - 6) > 0, (T - 4)/(S + T - 6) > 0
    """
    if x[0] == y[0]:
        raise GameError("regime_map(): x and y must be different parameters")
    xname, xs = _axis(x, pgame)
    yname, ys = _axis(y, pgame)
    fixed = {n: v for n, v in pgame.point(values).items() if n not in (xname, yname)}
    legend: dict[tuple[str, ...], int] = {}
    grid: list[tuple[int, ...]] = []
    complete = True
    for yv in ys:
        row = []
        for xv in xs:
            sol = solve(pgame.at({**fixed, xname: xv, yname: yv}), method=method)
            complete = complete and sol.complete
            key = _regime_of(sol)
            row.append(legend.setdefault(key, len(legend)))
        grid.append(tuple(row))
    return RegimeMap(
        x=xname,
        y=yname,
        xs=tuple(xs),
        ys=tuple(ys),
        grid=tuple(grid),
        legend=tuple(legend),
        fixed=tuple(fixed.items()),
        complete=complete,
        conditions=_map_conditions(pgame, fixed),
    )
