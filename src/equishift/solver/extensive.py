"""Equilibria of extensive-form games.

Three methods, all returning verified :class:`~equishift.solver.solution.BehaviorEquilibrium`
values (regret exactly 0 in rational arithmetic for exact games):

``backward_induction``
    Perfect-information trees (chance nodes allowed): **all** pure
    subgame-perfect equilibria. One bottom-up sweep, vectorised level by level
    with numpy (no recursion; each level's children are one contiguous slice
    of the level order), finds one equilibrium and every node where the mover
    is indifferent; only when there are such ties are the combinations
    enumerated, within a budget. Exact games are swept in integers: payoffs
    scaled by the lcm of their denominators, and by the lcm of the chance
    denominators at each level with chance nodes (``int64`` when a bound fits,
    Python ints otherwise), so comparisons and ties are exact. The level
    structure and the payoffs in level order (one contiguous row per player)
    are computed once per game and cached on it; binary levels with one mover
    take a fast lane of in-place ``int64`` operations.
``normal_form``
    All Nash equilibria through the reduced normal form (solved by
    :func:`equishift.solver.api.solve`), converted to realization-equivalent
    behaviour strategies; each is checked for subgame perfection in every
    subgame.
``subgames``
    Subgame-perfect equilibria of imperfect-information trees: the smallest
    subgames are solved through their reduced normal forms, replaced by their
    equilibrium payoffs, and so on up to the root; several equilibria of a
    subgame are combined within a budget.

The default picks ``normal_form`` when the reduced normal form is small (and,
for perfect information, adds the backward-induction equilibria), and
otherwise ``backward_induction`` or ``subgames`` with ``complete=False``.

Verification
    Regret of a behaviour profile is computed in the tree: for player ``i``
    the best reply against the others' fixed behaviour is found bottom-up over
    ``i``'s information sets (exact with perfect recall), and compared with
    ``i``'s expected payoff. ``subgame_perfect=True`` is only set after that
    regret is 0 in the subgame of every subgame root. For pure profiles of
    perfect-information trees the check is the one-shot-deviation test at
    every decision node, in one vectorised sweep (for the backward-induction
    profile, inside the sweep that finds it): it is equivalent to subgame
    perfection there, and implies regret exactly 0.

Games without perfect recall
    Behaviour strategies need not be realization equivalent to mixed
    strategies there, so ``normal_form`` reports the equilibria as mixed
    strategies of the reduced normal form (:class:`Equilibrium` values on
    its readable strategy labels), says so in a warning, and does not assess
    subgame perfection. ``subgames`` refuses such games.

>>> from equishift.games.extensive_form import Decision, ExtensiveFormGame, Terminal
>>> entry = ExtensiveFormGame.build(players=["Entrant", "Incumbent"], root=Decision(
...     "Entrant", {"Out": Terminal((0, 2)), "In": Decision(
...         "Incumbent", {"Fight": Terminal((-1, -1)), "Accommodate": Terminal((1, 1))})}))
>>> sol = solve_extensive(entry, method="backward_induction")
>>> [eq.describe() for eq in sol.equilibria]
['Entrant: Entrant:1=In; Incumbent: Incumbent:1=Accommodate']
>>> sol.equilibria[0].subgame_perfect, sol.equilibria[0].regret
(True, Fraction(0, 1))
"""

from __future__ import annotations

import contextlib
import itertools
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..games.errors import GameError, SolverError
from ..games.extensive_form import CHANCE, TERMINAL, ExtensiveFormGame, TreeLevel, gc_paused
from ..games.numbers import Number
from .solution import BehaviorEquilibrium, Equilibrium, Solution
from .verify import DEFAULT_TOL

__all__ = [
    "AUTO_MAX_PROFILES",
    "DEFAULT_MAX_EQUILIBRIA",
    "Behavior",
    "behavior_regrets",
    "is_subgame_perfect",
    "solve_extensive",
]

AUTO_MAX_PROFILES = 20_000
"""The default method uses the reduced normal form when it has at most this many profiles."""

DEFAULT_MAX_EQUILIBRIA = 1000
"""Budget on the number of equilibria enumerated from combinations (ties, several subgame NE)."""

_WORK_PER_EQUILIBRIUM = 1_000_000
"""Nodes × equilibria listed at most from tie-breaks: each listed equilibrium is a full
profile, so huge trees with many ties list few (one from a million nodes up)."""

Behavior = list[tuple[Number, ...]]
"""Probabilities per action, indexed by global information set id (chance sets included)."""

_ZERO = Fraction(0)
_ONE = Fraction(1)

_NF_METHODS = ("pure", "bimatrix", "lemke_howson", "nplayer")


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------
def solve_extensive(
    game: ExtensiveFormGame,
    *,
    method: str | None = None,
    tol: float = DEFAULT_TOL,
    max_seconds: float = 60.0,
    max_equilibria: int = DEFAULT_MAX_EQUILIBRIA,
) -> Solution:
    """Equilibria of an extensive-form game; see the module docstring for the methods.

    Parameters
    ----------
    game
        The tree.
    method
        ``"backward_induction"``, ``"normal_form"``, ``"subgames"``, a
        normal-form method (``"pure"``, ``"bimatrix"``, ...) applied to the
        reduced normal form, or ``None`` to choose by size.
    tol
        Regret tolerance for float games.
    max_seconds
        Time budget for enumeration; past it the solution is marked incomplete.
    max_equilibria
        Budget on equilibria enumerated from combinations of ties or of
        several subgame equilibria.

    Raises
    ------
    SolverError
        When the method does not apply (backward induction without perfect
        information, subgames without perfect recall, a normal form too large).
    """
    with gc_paused():
        return _solve_extensive(game, method, tol, max_seconds, max_equilibria)


def _solve_extensive(
    game: ExtensiveFormGame, method: str | None, tol: float, max_seconds: float, max_equilibria: int
) -> Solution:
    deadline = time.monotonic() + max_seconds
    if max_equilibria < 1:
        raise SolverError("max_equilibria must be at least 1")
    if method == "backward_induction":
        if not game.is_perfect_information:
            raise SolverError(
                "backward_induction needs perfect information (every information set a single "
                "node); use method 'subgames' or 'normal_form' for this game"
            )
        return _solve_backward(game, tol, deadline, max_equilibria)
    if method == "normal_form" or method in _NF_METHODS:
        nf_method = None if method == "normal_form" else method
        try:
            rnf = game.reduced_normal_form()
        except GameError as exc:
            raise SolverError(f"method {method!r}: {exc}") from None
        return _solve_normal_form(game, rnf, nf_method, tol, deadline, max_equilibria)
    if method == "subgames":
        return _solve_subgames(game, tol, deadline, max_equilibria)
    if method is not None:
        raise SolverError(
            f"solve(): unknown method {method!r} for an extensive-form game; expected one of "
            f"{sorted(['backward_induction', 'normal_form', 'subgames', *_NF_METHODS])}"
        )
    # Default choice.
    small = None
    with contextlib.suppress(GameError):
        small = game.reduced_normal_form(max_profiles=AUTO_MAX_PROFILES)
    if small is not None:
        return _solve_normal_form(game, small, None, tol, deadline, max_equilibria)
    note = (
        f"the reduced normal form has more than {AUTO_MAX_PROFILES} pure profiles, so Nash "
        "equilibria that are not subgame perfect were not enumerated; only subgame-perfect "
        "equilibria are listed"
    )
    if game.is_perfect_information:
        sol = _solve_backward(game, tol, deadline, max_equilibria)
    elif game.has_perfect_recall:
        sol = _solve_subgames(game, tol, deadline, max_equilibria)
    else:
        raise SolverError(
            "this game lacks perfect recall and its reduced normal form has more than "
            f"{AUTO_MAX_PROFILES} profiles; no method applies (try method='normal_form', "
            "which allows up to the default limit of the reduced normal form)"
        )
    return Solution(
        game=sol.game,
        method=sol.method,
        equilibria=sol.equilibria,
        complete=False,
        exact=sol.exact,
        scope="subgame-perfect equilibria (Nash equilibria beyond them not enumerated)",
        warnings=(*sol.warnings, note),
        tolerance=sol.tolerance,
    )


# ---------------------------------------------------------------------------------------------
# Numeric helpers for perfect-information sweeps
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Sweep:
    """What a bottom-up sweep of a perfect-information tree needs (in level order).

    Values are exact integers for exact games: payoffs scaled by the lcm of
    their denominators, and multiplied by ``mult`` (the lcm of the chance
    denominators) at every level holding a chance node, so chance averages stay
    integral; ``scale`` is the final divisor. ``int64`` when a bound on every
    value fits, else Python ints in object arrays. Float games use float64.
    Values are stored per player, ``(n_players, n_nodes)``: one contiguous row
    each, so a level's arithmetic runs over contiguous or evenly strided slices.
    The level structure and the payoffs in level order are cached on the game
    (:meth:`~equishift.games.extensive_form.ExtensiveFormGame.inner_levels`,
    :meth:`~equishift.games.extensive_form.ExtensiveFormGame.scaled_level_payoffs`).
    """

    perm: NDArray[np.int64]  # level order: perm[k] is the node at position k
    levels: tuple[TreeLevel, ...]  # inner nodes per depth, deepest first
    base: NDArray[Any]  # payoffs (n_players, n_nodes) at the payoff scale, in level order
    pay_scale: int
    scale: int  # divisor of the final values
    mult: int  # factor applied at chance levels
    wedge: NDArray[Any]  # chance weight per position (p * mult, or float p); 0 elsewhere
    exact: bool


def _sweep_data(game: ExtensiveFormGame) -> _Sweep:
    levels = game.inner_levels()
    perm, bounds = game.level_order()
    pay_lv = game.scaled_level_payoffs()
    pay_scale = game.scaled_node_payoffs()[1]
    exact = game.is_exact
    n = game.n_nodes
    chance_kids = np.zeros(0, dtype=np.int64)
    if any(lv.has_chance for lv in levels):
        t = game.tree
        chance_kids = np.flatnonzero((t.kind[np.maximum(t.parent, 0)] == CHANCE) & (t.parent >= 0))
    at = game.level_positions()[chance_kids] if chance_kids.size else None
    if not exact:
        wedge = np.zeros(n if at is not None else 0, dtype=np.float64)
        if at is not None:
            probs = game.chance_edge_probabilities()
            wedge[at] = [float(p) for p in probs[chance_kids].tolist()]
        pay_f = np.asarray(pay_lv, dtype=np.float64)
        return _Sweep(perm, levels, pay_f, 1, 1, 1, wedge, False)
    mult = 1
    probs_l: list[Fraction] = []
    if at is not None:
        probs_l = game.chance_edge_probabilities()[chance_kids].tolist()
        for d in {p.denominator for p in probs_l}:
            mult = mult * d // math.gcd(mult, d)
    n_chance_levels = sum(lv.has_chance for lv in levels)
    scale = pay_scale * mult**n_chance_levels
    outs = game.scaled_outcome_payoffs()[0]  # every nonzero node payoff is an outcome's
    big = max(abs(int(outs.max())), abs(int(outs.min()))) if outs.size else 0
    bound = (big + 1) * (len(bounds) - 1) * mult ** (n_chance_levels + 1)
    dtype: Any = np.int64 if bound < 2**62 else object
    base = pay_lv.astype(dtype, copy=False)
    wedge = np.zeros(n if at is not None else 0, dtype=dtype)
    if at is not None:
        wedge[at] = [p.numerator * (mult // p.denominator) for p in probs_l]
    return _Sweep(perm, levels, base, pay_scale, scale, mult, wedge, True)


def _to_number(x: Any, scale: int, exact: bool) -> Number:
    if not exact:
        return float(x)
    return Fraction(int(x), scale)


def _inner(lv: TreeLevel) -> NDArray[np.int64] | slice:
    """The level-order positions of a level's inner nodes, as a slice when contiguous."""
    return slice(lv.start, lv.stop) if lv.all_inner else lv.positions


def _sweep(
    sw: _Sweep, tol: float, choice: NDArray[np.int64] | None = None
) -> tuple[NDArray[Any], NDArray[np.int64], NDArray[np.bool_], bool]:
    """One bottom-up pass over a perfect-information tree (everything in level order).

    Without ``choice``: backward induction; returns the values
    ``(n_players, n_nodes)`` at ``sw.scale``, the first optimal action per
    decision node (-1 elsewhere), where the mover is indifferent, and the
    one-shot-deviation check of that profile. With ``choice`` (an action per
    position): the values of that pure profile, and whether no decision node
    has a profitable one-shot deviation (exactly, or beyond ``tol`` for floats).
    """
    val = sw.base.copy()
    n = val.shape[1]
    best = np.full(n, -1, dtype=np.int64) if choice is None else choice
    tie = np.zeros(n, dtype=bool)
    ok = True
    scratch: list[NDArray[np.int64]] = []
    for lv in sw.levels:
        if lv.branching == 2 and lv.single_mover >= 0 and val.dtype == np.int64:
            if not scratch:
                width = max(len(x.positions) for x in sw.levels)
                scratch = [np.empty(width, dtype=np.int64) for _ in range(3)]
            ok = _binary_level(lv, val, best, tie, choice, scratch) and ok
        elif 0 < lv.branching <= 16:
            ok = _uniform_level(sw, lv, val, best, tie, choice, tol) and ok
        else:
            ok = _segmented_level(sw, lv, val, best, tie, choice, tol) and ok
    return val, best, tie, ok


def _binary_level(
    lv: TreeLevel,
    val: NDArray[np.int64],
    best: NDArray[np.int64],
    tie: NDArray[np.bool_],
    choice: NDArray[np.int64] | None,
    scratch: list[NDArray[np.int64]],
) -> bool:
    """The fast lane of :func:`_uniform_level`: two children, one mover, exact ``int64``.

    Every step writes into preallocated buffers (or straight into ``val``,
    ``best`` and ``tie`` when the level's inner nodes are contiguous), and the
    chosen child's values are selected by arithmetic, ``c0 + pick * (c1 - c0)``,
    exact in ``int64`` because :func:`_sweep_data` bounds every value below
    ``2**62``.
    """
    k = len(lv.positions)
    top, diff = scratch[0][:k], scratch[1][:k]
    kv = val[:, lv.child_start : lv.child_stop]
    s = lv.single_mover
    first, second = kv[s, 0::2], kv[s, 1::2]
    pos = _inner(lv)
    pick: NDArray[np.int64]
    if choice is not None:
        pick = choice[pos]
    elif lv.all_inner:
        pick = best[pos]  # a view: written in place
        np.greater(second, first, out=pick)  # the first optimal action is 1 iff 0 is not
        np.equal(first, second, out=tie[pos])
    else:
        pick = scratch[2][:k]
        np.greater(second, first, out=pick)
        best[pos] = pick
        tie[pos] = first == second
    np.maximum(first, second, out=top)
    ok = True
    for p in range(kv.shape[0]):
        c0, c1 = kv[p, 0::2], kv[p, 1::2]
        np.subtract(c1, c0, out=diff)
        np.multiply(diff, pick, out=diff)
        np.add(diff, c0, out=diff)  # the chosen child's value
        if p == s:
            ok = bool(np.array_equal(top, diff))  # no profitable one-shot deviation
        if isinstance(pos, slice):
            row = val[p, pos]
            np.add(row, diff, out=row)
        else:
            val[p, pos] += diff
    return ok


def _deviation_ok(
    sw: _Sweep, seg_max: NDArray[Any], mine: NDArray[Any], tol: float, dec: NDArray[np.bool_] | None
) -> bool:
    """No mover gains from a one-shot deviation: ``mine`` attains ``seg_max`` (within ``tol``)."""
    if dec is not None:
        seg_max, mine = seg_max[dec], mine[dec]
    if sw.exact:
        return bool(np.array_equal(seg_max, mine))
    return not bool(np.any((seg_max - mine) > tol))


def _segmented_level(
    sw: _Sweep,
    lv: TreeLevel,
    val: NDArray[Any],
    best: NDArray[np.int64],
    tie: NDArray[np.bool_],
    choice: NDArray[np.int64] | None,
    tol: float,
) -> bool:
    """A level of :func:`_sweep` with any numbers of children (segmented reductions)."""
    kids = slice(lv.child_start, lv.child_stop)
    pos = _inner(lv)
    starts, counts = lv.offsets, lv.n_children
    cv: NDArray[Any] | None = None
    if lv.has_chance:
        cv = np.add.reduceat(sw.wedge[kids][None, :] * val[:, kids], starts, axis=1)
        if sw.mult != 1:
            val *= sw.mult
    kv = val[:, kids]
    k = kv.shape[1]
    single = lv.single_mover
    dec = None if single >= 0 else lv.mover >= 0
    mv = kv[single] if single >= 0 else kv[np.repeat(np.maximum(lv.mover, 0), counts), np.arange(k)]
    seg_max = np.maximum.reduceat(mv, starts)
    if choice is None:
        rep_max = np.repeat(seg_max, counts)
        is_opt = (mv == rep_max) if sw.exact else (mv >= rep_max - tol)
        first = np.minimum.reduceat(np.where(is_opt, np.arange(k), k), starts)
        pick = np.minimum(first, k - 1)
        many = np.add.reduceat(is_opt, starts, dtype=np.int64) > 1
        if dec is None:
            best[pos] = pick - starts
            tie[pos] = many
        else:
            at = lv.positions[dec]
            best[at] = (pick - starts)[dec]
            tie[at] = many[dec]
    else:
        pick = starts + np.maximum(choice[pos], 0)
    ok = _deviation_ok(sw, seg_max, mv[pick], tol, dec)
    chosen = np.take(kv, pick, axis=1)
    if cv is not None:
        assert dec is not None
        chosen = np.where(dec[None, :], chosen, cv)
    if isinstance(pos, slice):
        val[:, pos] += chosen
    else:
        val[:, pos] = val[:, pos] + chosen
    return ok


def _uniform_level(
    sw: _Sweep,
    lv: TreeLevel,
    val: NDArray[Any],
    best: NDArray[np.int64],
    tie: NDArray[np.bool_],
    choice: NDArray[np.int64] | None,
    tol: float,
) -> bool:
    """A level of :func:`_sweep` where every node has ``lv.branching`` children.

    The ``j``-th children of all nodes form the strided view ``kids[j::b]`` of
    each player's row, so every step is an elementwise operation over ``b``
    views (no segmented reductions, no gathers).
    """
    b = lv.branching
    m = val.shape[0]
    kids = slice(lv.child_start, lv.child_stop)
    pos = _inner(lv)
    cv: list[NDArray[Any]] | None = None
    if lv.has_chance:
        w = sw.wedge[kids]
        ws = [w[j::b] for j in range(b)]
        cv = [
            sum((ws[j] * val[p, kids][j::b] for j in range(1, b)), ws[0] * val[p, kids][0::b])
            for p in range(m)
        ]
        if sw.mult != 1:
            val *= sw.mult
    kv = val[:, kids]
    cols = [[kv[p, j::b] for j in range(b)] for p in range(m)]  # 1-D strided views
    single = lv.single_mover
    dec: NDArray[np.bool_] | None = None
    if single >= 0:
        movers = cols[single]
    else:
        dec = lv.mover >= 0
        who, rows = np.maximum(lv.mover, 0), np.arange(len(lv.mover))
        movers = [kv[:, j::b][who, rows] for j in range(b)]
    seg_max = movers[0]
    for mv in movers[1:]:
        seg_max = np.maximum(seg_max, mv)
    # took[j]: the mover takes action j + 1 (j < b - 1); action 0 where none is set.
    took: list[NDArray[np.bool_]]
    if choice is None:
        pick: NDArray[Any]
        if b == 1:
            pick, many, took = np.zeros(len(seg_max), dtype=np.int8), np.zeros(0, bool), []
        elif b == 2:
            # The first optimal action is 1 exactly when action 0 is not optimal.
            pick = movers[1] > movers[0] if sw.exact else movers[0] < seg_max - tol
            many = movers[0] == movers[1] if sw.exact else movers[1] >= seg_max - tol
            if not sw.exact:
                many &= ~pick
            took = [pick]
        else:
            low = seg_max if sw.exact else seg_max - tol
            opts = [mv >= low for mv in movers]
            pick = np.full(len(seg_max), b - 1, dtype=np.int8)
            count = np.zeros(len(seg_max), dtype=np.int8)
            for j in reversed(range(b - 1)):
                np.copyto(pick, np.int8(j), where=opts[j])
            for o in opts:
                count += o
            many = count > 1
            took = [pick == j for j in range(1, b)]
        if dec is None:
            best[pos] = pick
            tie[pos] = many if b > 1 else False
        else:
            at = lv.positions[dec]
            best[at] = pick[dec]
            tie[at] = many[dec] if b > 1 else False
    else:
        taken = choice[pos]
        took = [taken == j for j in range(1, b)]
    arith = val.dtype == np.int64  # exact select by arithmetic (no overflow: see _sweep_data)

    def select(views: list[NDArray[Any]]) -> NDArray[Any]:
        out = views[0]
        for j in range(1, b):
            if arith:
                out = out + took[j - 1] * (views[j] - out)
            else:
                out = np.where(took[j - 1], views[j], out)
        return out

    chosen = [select(c) for c in cols]
    mine = chosen[single] if single >= 0 else select(movers)
    ok = _deviation_ok(sw, seg_max, mine, tol, dec)
    for p in range(m):
        add = chosen[p]
        if cv is not None:
            assert dec is not None
            add = np.where(dec, add, cv[p])
        if isinstance(pos, slice):
            val[p, pos] += add
        else:
            val[p, pos] = val[p, pos] + add
    return ok


def _float_regrets(
    sw: _Sweep, choice: NDArray[np.int64], n_players: int, root_val: NDArray[Any]
) -> list[float]:
    """Each player's regret of a pure profile (float games): best reply minus payoff."""
    out: list[float] = []
    for i in range(n_players):
        val = sw.base[i].copy()
        for lv in sw.levels:
            kids = slice(lv.child_start, lv.child_stop)
            pos = _inner(lv)
            kv = val[kids]
            own = kv[lv.offsets + np.maximum(choice[pos], 0)]
            cv = np.add.reduceat(sw.wedge[kids] * kv, lv.offsets) if lv.has_chance else own
            top = np.maximum.reduceat(kv, lv.offsets)
            val[pos] += np.where(lv.mover == i, top, np.where(lv.mover >= 0, own, cv))
        out.append(max(float(val[0] - root_val[i]), 0.0))
    return out


# ---------------------------------------------------------------------------------------------
# Behaviour profiles: values, best replies and regrets in the tree (perfect recall)
# ---------------------------------------------------------------------------------------------
def _full_behavior(
    game: ExtensiveFormGame, per_player: Sequence[Sequence[Sequence[Number]]]
) -> Behavior:
    beh: Behavior = []
    for i, hs in enumerate(game.infosets):
        for k in range(len(hs)):
            beh.append(tuple(per_player[i][k]))
    for h in game.chance_infosets:
        assert h.probs is not None
        beh.append(tuple(h.probs))
    return beh


def _per_player(
    game: ExtensiveFormGame, beh: Behavior
) -> tuple[tuple[tuple[Number, ...], ...], ...]:
    out = []
    pos = 0
    for hs in game.infosets:
        out.append(tuple(beh[pos + k] for k in range(len(hs))))
        pos += len(hs)
    return tuple(out)


def behavior_regrets(
    game: ExtensiveFormGame, behavior: Sequence[Sequence[Sequence[Number]]], *, root: int = 0
) -> tuple[tuple[Number, ...], tuple[Number, ...]]:
    """Each player's expected payoff and regret in the subgame at ``root``.

    ``behavior[i][k]`` are player ``i``'s probabilities at their ``k``-th
    information set. The best reply is computed over the player's information
    sets bottom-up (exact for exact input); this requires perfect recall.

    Returns
    -------
    (payoffs, regrets)

    Raises
    ------
    SolverError
        When the game lacks perfect recall.

    Examples
    --------
    >>> from equishift.games.extensive_form import Decision, ExtensiveFormGame, Terminal
    >>> g = ExtensiveFormGame.build(players=["A", "B"], root=Decision("A", {
    ...     "x": Terminal((0, 0)), "y": Decision("B", {"u": Terminal((2, 1)),
    ...                                              "v": Terminal((-1, 0))})}))
    >>> F = Fraction
    >>> behavior_regrets(g, [[(F(1), F(0))], [(F(0), F(1))]])
    ((Fraction(0, 1), Fraction(0, 1)), (Fraction(0, 1), Fraction(0, 1)))
    >>> behavior_regrets(g, [[(F(1), F(0))], [(F(1), F(0))]])[1]
    (Fraction(2, 1), Fraction(0, 1))
    """
    if not game.has_perfect_recall:
        raise SolverError("behaviour regrets need perfect recall; this game lacks it")
    beh = _full_behavior(game, behavior)
    return _regrets(game, beh, root)


def _regrets(
    game: ExtensiveFormGame, beh: Behavior, root: int
) -> tuple[tuple[Number, ...], tuple[Number, ...]]:
    t = game.tree
    exact = game.is_exact and all(isinstance(p, Fraction) for row in beh for p in row)
    pay = game.node_payoffs()
    lo, hi = root, root + int(t.size[root])
    kind, parent, action, infoset, player = (
        t.kind.tolist(),
        t.parent.tolist(),
        t.action.tolist(),
        t.infoset.tolist(),
        t.player.tolist(),
    )
    infos = game.all_infosets
    m = game.n_players
    conv: Any = (lambda x: x) if exact else float
    payoffs: list[Number] = []
    regrets: list[Number] = []
    rows = [[conv(x) for x in pay[v].tolist()] for v in range(lo, hi)]
    for i in range(m):
        # reach[v]: probability of reaching v from root by everyone; r_other: by others & chance.
        reach: dict[int, Any] = {root: conv(_ONE)}
        r_other: dict[int, Any] = {root: conv(_ONE)}
        # own_parent[v]: (infoset, action) of player i's last node above v inside the subgame.
        own: dict[int, tuple[int, int] | None] = {root: None}
        for v in range(lo + 1, hi):
            p = parent[v]
            a = action[v]
            prob = conv(beh[infoset[p]][a])
            reach[v] = reach[p] * prob
            if player[p] == i:
                r_other[v] = r_other[p]
                own[v] = (infoset[p], a)
            else:
                r_other[v] = r_other[p] * prob
                own[v] = own[p]
        value = sum((reach[v] * rows[v - lo][i] for v in range(lo, hi)), conv(_ZERO))
        # S[v] for nodes not of player i; i-nodes are boundaries handled by their infoset.
        s: dict[int, Any] = {}
        q: dict[int, list[Any]] = {}
        base: dict[int, Any] = {}
        children_of: dict[tuple[int, int] | None, set[int]] = {}
        for v in range(hi - 1, lo - 1, -1):
            own_v = r_other[v] * rows[v - lo][i]
            if kind[v] == TERMINAL:
                s[v] = own_v
                continue
            kids = game.children(v)
            if player[v] == i:
                h = infoset[v]
                if h not in q:
                    q[h] = [conv(_ZERO)] * infos[h].n_actions
                    base[h] = conv(_ZERO)
                    children_of.setdefault(own[v], set()).add(h)
                elif h not in children_of.get(own[v], set()):
                    raise SolverError(
                        f"{game.players[i]} lacks perfect recall at {infos[h].label!r}"
                    )
                base[h] = base[h] + own_v
                for a, c in enumerate(kids):
                    if player[c] != i or kind[c] == TERMINAL:
                        q[h][a] = q[h][a] + s[c]
                s[v] = conv(_ZERO)
            else:
                tot = own_v
                for c in kids:
                    if player[c] != i or kind[c] == TERMINAL:
                        tot = tot + s[c]
                s[v] = tot
        br: dict[int, Any] = {}
        for h in sorted(q, key=lambda h: -min(x for x in infos[h].members if lo <= x < hi)):
            best = max(
                q[h][a] + sum((br[g] for g in children_of.get((h, a), ())), conv(_ZERO))
                for a in range(infos[h].n_actions)
            )
            br[h] = base[h] + best
        top = s[root] if (player[root] != i or kind[root] == TERMINAL) else conv(_ZERO)
        best_value = top + sum((br[g] for g in children_of.get(None, ())), conv(_ZERO))
        payoffs.append(value)
        regret = best_value - value
        regrets.append(regret if exact else max(float(regret), 0.0))
    return tuple(payoffs), tuple(regrets)


def is_subgame_perfect(
    game: ExtensiveFormGame, behavior: Sequence[Sequence[Sequence[Number]]], *, tol: float = 0.0
) -> bool:
    """True when the profile is a Nash equilibrium of every subgame (perfect recall).

    Exact for exact input; ``tol`` applies to float games.
    """
    beh = _full_behavior(game, behavior)
    return _check_spe(game, beh, tol)


def _check_spe(game: ExtensiveFormGame, beh: Behavior, tol: float) -> bool:
    for r in game.subgame_roots():
        _, regs = _regrets(game, beh, r)
        if any((x != 0) if isinstance(x, Fraction) else (float(x) > tol) for x in regs):
            return False
    return True


def _make_equilibrium(
    game: ExtensiveFormGame,
    beh: Behavior,
    payoffs: Sequence[Number],
    regret: Number,
    spe: bool | None,
) -> BehaviorEquilibrium:
    return BehaviorEquilibrium(
        players=game.players,
        infosets=tuple(tuple(h.label for h in hs) for hs in game.infosets),
        actions=tuple(tuple(h.actions for h in hs) for hs in game.infosets),
        behavior=_per_player(game, beh),
        payoffs=tuple(payoffs),
        regret=regret,
        subgame_perfect=spe,
    )


def _verified(game: ExtensiveFormGame, beh: Behavior, tol: float) -> BehaviorEquilibrium | None:
    """Regret in the whole game and subgame perfection, both checked; None if not a NE."""
    pays, regs = _regrets(game, beh, 0)
    exact = all(isinstance(x, Fraction) for x in regs)
    reg: Number = max(regs)
    if (exact and reg != 0) or (not exact and float(reg) > tol):
        return None
    spe = _check_spe(game, beh, tol)
    return _make_equilibrium(game, beh, pays, reg, spe)


# ---------------------------------------------------------------------------------------------
# Backward induction (perfect information)
# ---------------------------------------------------------------------------------------------
@dataclass
class _BIResult:
    choices: list[NDArray[np.int64]]  # an action per level-order position (-1 where none)
    truncated: bool
    timed_out: bool
    first_values: NDArray[Any] | None  # values of choices[0] when its check passed in the sweep


def _backward_choices(
    game: ExtensiveFormGame,
    sw: _Sweep,
    tol: float,
    budget: int,
    deadline: float,
) -> _BIResult:
    """Every pure SPE (up to ``budget``) as arrays of the action chosen per level-order
    position (-1 where no player moves).

    One vectorised sweep gives the first equilibrium (first optimal action
    everywhere) and the nodes with ties; combinations are enumerated only in
    the part of the tree above some tie.
    """
    t = game.tree
    val_lv, canonical_lv, tie_lv, sweep_ok = _sweep(sw, tol)
    first_values = val_lv if sweep_ok else None
    if not tie_lv.any():
        return _BIResult([canonical_lv], False, False, first_values)
    if budget == 1:
        # A tie anywhere gives a second SPE (take the other optimal action there and
        # redo backward induction above it): the list is truncated, no need to look.
        return _BIResult([canonical_lv], True, False, first_values)

    # Nodes with a tie somewhere in their subtree: enumerate combinations there.
    exact = sw.exact
    perm = sw.perm
    val = np.empty((val_lv.shape[1], val_lv.shape[0]), dtype=val_lv.dtype)
    val[perm] = val_lv.T
    canonical = np.empty_like(canonical_lv)
    canonical[perm] = canonical_lv
    region_lv = tie_lv.copy()
    for lv in sw.levels:
        below = np.logical_or.reduceat(region_lv[lv.child_start : lv.child_stop], lv.offsets)
        region_lv[lv.positions] |= below
    region = np.zeros(len(region_lv), dtype=bool)
    region[perm] = region_lv
    base_nodes = game.scaled_node_payoffs()[0]
    kind = t.kind
    entries: dict[int, list[tuple[tuple[Any, ...], Any]]] = {}
    truncated = False
    timed_out = False
    own_mult = sw.scale // sw.pay_scale if exact else 1
    edge_probs = game.chance_edge_probabilities()
    region_nodes = np.flatnonzero(region)[::-1]

    def row(v: int) -> tuple[Any, ...]:
        return tuple(val[v].tolist())

    def child_entries(c: int) -> list[tuple[tuple[Any, ...], Any]]:
        e = entries.get(c)
        return e if e is not None else [(row(c), None)]

    def add(a: tuple[Any, ...], b: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(x + y for x, y in zip(a, b, strict=True))

    for count, v in enumerate(region_nodes.tolist()):
        if count % 256 == 0 and time.monotonic() > deadline:
            timed_out = True
            break
        node_kids = game.children(v)
        lists = [child_entries(c) for c in node_kids]
        own = tuple(x * own_mult for x in base_nodes[v].tolist())
        out: list[tuple[tuple[Any, ...], Any]] = [(row(v), None)]
        if kind[v] == CHANCE:
            ps = [edge_probs[c] if exact else float(edge_probs[c]) for c in node_kids]
            for idx in itertools.product(*[range(len(x)) for x in lists]):
                if not any(idx):
                    continue  # the canonical combination, already first
                if len(out) >= budget:
                    truncated = True
                    break
                vec = own
                for p, x, j in zip(ps, lists, idx, strict=True):
                    vec = add(vec, tuple(p * y for y in x[j][0]))
                out.append((vec, (v, -1, tuple(x[j][1] for x, j in zip(lists, idx, strict=True)))))
        else:
            i = int(t.player[v])
            b = int(canonical[v])
            done = False
            for j, lj in enumerate(lists):
                for ej, (w, rec) in enumerate(lj):
                    mval = w[i]
                    filt: list[list[tuple[int, tuple[tuple[Any, ...], Any]]]] = []
                    ok = True
                    for l_, ll in enumerate(lists):
                        if l_ == j:
                            continue
                        f = [
                            (k2, e)
                            for k2, e in enumerate(ll)
                            if (e[0][i] <= mval if exact else e[0][i] <= mval + tol)
                        ]
                        if not f:
                            ok = False
                            break
                        filt.append(f)
                    if not ok:
                        continue
                    for combo in itertools.product(*filt):
                        if j == b and ej == 0 and all(k2 == 0 for k2, _ in combo):
                            continue  # canonical
                        if len(out) >= budget:
                            truncated = done = True
                            break
                        recs: list[Any] = [e[1] for _, e in combo]
                        recs.insert(j, rec)
                        out.append((add(own, w), (v, j, tuple(recs))))
                    if done:
                        break
                if done:
                    break
        entries[v] = out
        for c in node_kids:
            entries.pop(c, None)
    if timed_out:
        return _BIResult([canonical_lv], True, True, first_values)
    results: list[NDArray[np.int64]] = []
    for _, rec in child_entries(0):
        choice = canonical.copy()
        stack: list[Any] = [rec]
        while stack:
            r = stack.pop()
            if r is None:
                continue
            node, j, recs = r
            if j >= 0:
                choice[node] = j
            stack.extend(recs)
        results.append(choice[perm])
    return _BIResult(results, truncated, False, first_values)


class _PureProfiles:
    """Wraps pure profiles of a perfect-information tree as equilibria, fast.

    Works on the game's information-set columns: no per-set records are built,
    one-hot probability rows are shared, and labels are shared between profiles.
    Profiles are read in level order (an action per level-order position).
    """

    def __init__(self, game: ExtensiveFormGame) -> None:
        cols = game.infoset_columns()
        m = game.n_players
        self.labels, self.actions = game.player_infoset_labels()
        b = np.cumsum([0, *(len(x) for x in self.labels)]).tolist()
        self.bounds = b
        self.first = game.level_positions()[cols.first_node[: b[m]]]
        nact = cols.n_actions[: b[m]]
        self.kmax = int(nact.max()) + 1 if nact.size else 1
        self.base_code = nact * self.kmax  # code of action a at set h: base_code[h] + a
        self.players = game.players

    def _onehot(self, k: int, a: int) -> tuple[Fraction, ...]:
        return tuple(_ONE if y == a else _ZERO for y in range(k))

    def rows(self, choice: NDArray[np.int64]) -> tuple[tuple[tuple[Fraction, ...], ...], ...]:
        """Per player, the one-hot rows of their information sets."""
        code = self.base_code + choice[self.first]
        size = self.kmax * self.kmax
        if size <= 256:  # every (number of actions, action) pair: a small table
            table = np.empty(size, dtype=object)
            for c in range(size):
                k, a = divmod(c, self.kmax)
                table[c] = self._onehot(k, a) if a < k else None
        elif size <= 4 * code.size + 1024:
            table = np.empty(size, dtype=object)
            for c in np.flatnonzero(np.bincount(code, minlength=table.size)).tolist():
                table[c] = self._onehot(*divmod(c, self.kmax))
        else:
            uniq, inv = np.unique(code, return_inverse=True)
            table = np.empty(len(uniq), dtype=object)
            for j, c in enumerate(uniq.tolist()):
                table[j] = self._onehot(*divmod(c, self.kmax))
            code = inv.reshape(-1)
        b = self.bounds
        return tuple(tuple(table[code[b[i] : b[i + 1]]].tolist()) for i in range(len(self.players)))

    def equilibrium(
        self, choice: NDArray[np.int64], payoffs: Sequence[Number], regret: Number
    ) -> BehaviorEquilibrium:
        return BehaviorEquilibrium(
            players=self.players,
            infosets=self.labels,
            actions=self.actions,
            behavior=self.rows(choice),
            payoffs=tuple(payoffs),
            regret=regret,
            subgame_perfect=True,
        )


def _pi_equilibrium(
    game: ExtensiveFormGame,
    sw: _Sweep,
    choice: NDArray[np.int64],
    tol: float,
    profiles: _PureProfiles,
    checked: NDArray[Any] | None = None,
) -> BehaviorEquilibrium | None:
    """Verify a pure profile (in level order) of a perfect-information tree and wrap it.

    Returns None if it fails.

    The check is the one-shot-deviation test at every decision node, in one
    vectorised sweep: in a finite perfect-information tree no profitable
    one-shot deviation anywhere is equivalent to subgame perfection, so the
    regret in the whole game (and in every subgame) is exactly 0 for exact
    games. Float games also get their regret measured by a best-reply sweep.
    """
    if checked is not None:
        val = checked  # the backward-induction sweep ran the same check on this profile
    else:
        val, _, _, ok = _sweep(sw, tol, choice)
        if not ok:
            return None
    root = val[:, 0]  # the root is position 0 of the level order
    payoffs = [_to_number(x, sw.scale, sw.exact) for x in root.tolist()]
    reg: Number
    if sw.exact:
        reg = _ZERO
    else:
        reg = max(_float_regrets(sw, choice, game.n_players, root / sw.scale), default=0.0)
        if reg > tol:
            return None
    return profiles.equilibrium(choice, payoffs, reg)


def _backward_equilibria(
    game: ExtensiveFormGame, tol: float, deadline: float, max_equilibria: int
) -> tuple[list[BehaviorEquilibrium], bool, list[str]]:
    sw = _sweep_data(game)
    budget = max(1, min(max_equilibria, _WORK_PER_EQUILIBRIUM // max(game.n_nodes, 1)))
    res = _backward_choices(game, sw, tol, budget, deadline)
    warns: list[str] = []
    if res.timed_out:
        warns.append(
            "the time budget ran out while enumerating tie-breaks; one subgame-perfect "
            "equilibrium is listed, others may exist"
        )
    elif res.truncated:
        warns.append(
            f"players are indifferent at some nodes and the tie-breaks give more than {budget} "
            f"subgame-perfect equilibria; the first {budget} are listed"
        )
    profiles = _PureProfiles(game)
    eqs: list[BehaviorEquilibrium] = []
    rejected = 0
    for k, choice in enumerate(res.choices):
        eq = _pi_equilibrium(game, sw, choice, tol, profiles, res.first_values if k == 0 else None)
        if eq is None:
            rejected += 1
        else:
            eqs.append(eq)
    if rejected:
        warns.append(f"{rejected} candidate(s) failed verification and were dropped")
    complete = not (res.truncated or res.timed_out or rejected)
    return eqs, complete, warns


def _solve_backward(
    game: ExtensiveFormGame, tol: float, deadline: float, max_equilibria: int
) -> Solution:
    eqs, complete, warns = _backward_equilibria(game, tol, deadline, max_equilibria)
    return _solution(
        game,
        "backward_induction",
        eqs,
        complete=complete,
        scope="all pure subgame-perfect equilibria",
        tol=tol,
        warnings=warns,
        pure=True,
    )


def _solution(
    game: ExtensiveFormGame,
    method: str,
    eqs: Sequence[BehaviorEquilibrium | Equilibrium],
    *,
    complete: bool,
    scope: str,
    tol: float,
    warnings: Sequence[str] = (),
    degenerate: bool | None = None,
    components: tuple[tuple[int, ...], ...] = (),
    pure: bool = False,
) -> Solution:
    # Pure behaviour profiles hold exact 0/1 probabilities: skip re-scanning huge profiles.
    exact = game.is_exact and (pure or all(eq.is_exact for eq in eqs))
    return Solution(
        game=game,
        method=method,
        equilibria=tuple(eqs),
        complete=complete,
        exact=exact,
        scope=scope,
        components=components,
        degenerate=degenerate,
        warnings=tuple(warnings),
        tolerance=0.0 if exact else tol,
    )


# ---------------------------------------------------------------------------------------------
# Through the reduced normal form
# ---------------------------------------------------------------------------------------------
def _solve_normal_form(
    game: ExtensiveFormGame,
    rnf: Any,
    nf_method: str | None,
    tol: float,
    deadline: float,
    max_equilibria: int,
) -> Solution:
    from .api import solve

    remaining = max(deadline - time.monotonic(), 0.1)
    nsol = solve(rnf.game, nf_method, tol=tol, max_seconds=remaining)
    method = "normal_form" if nf_method is None else f"normal_form:{nf_method}"
    warns = list(nsol.warnings)
    scope = f"{nsol.scope}, of the reduced normal form"
    if not game.has_perfect_recall:
        warns.append(
            "the game lacks perfect recall, so behaviour strategies need not be equivalent to "
            "mixed strategies: equilibria are reported as mixed strategies of the reduced "
            "normal form, and subgame perfection is not assessed"
        )
        return _solution(
            game,
            method,
            list(nsol.equilibria),
            complete=nsol.complete,
            scope=scope,
            tol=tol,
            warnings=warns,
            degenerate=nsol.degenerate,
            components=nsol.components,
        )
    eqs: list[BehaviorEquilibrium] = []
    seen: set[tuple[Any, ...]] = set()
    rejected = 0
    for eq in nsol.equilibria:
        assert isinstance(eq, Equilibrium)
        beh = _full_behavior(game, rnf.behavior_from_mixed(eq.profile))
        key = tuple(beh)
        if key in seen:
            continue
        seen.add(key)
        beq = _verified(game, beh, tol)
        if beq is None:
            rejected += 1
            continue
        eqs.append(beq)
    if nsol.components:
        warns.append(
            "the reduced normal form is degenerate: its equilibria form convex sets of mixed "
            "strategies; the behaviour strategies listed come from their extreme points"
        )
    if rejected:
        warns.append(f"{rejected} converted profile(s) failed verification in the tree")
    spe_complete = True
    if game.is_perfect_information:
        spe, spe_complete, spe_warns = _backward_equilibria(game, tol, deadline, max_equilibria)
        added = 0
        for s in spe:
            key = tuple(_full_behavior(game, s.behavior))
            if key not in seen:
                seen.add(key)
                eqs.append(s)
                added += 1
        warns.extend(spe_warns)
        if added:
            warns.append(
                f"{added} pure subgame-perfect equilibri{'um' if added == 1 else 'a'} from "
                "backward induction added: they differ from the normal-form equilibria only "
                "at information sets the player's own moves exclude"
            )
        scope += "; and all pure subgame-perfect equilibria"
    return _solution(
        game,
        method,
        eqs,
        complete=nsol.complete and not rejected and spe_complete,
        scope=scope,
        tol=tol,
        warnings=warns,
        degenerate=nsol.degenerate,
    )


# ---------------------------------------------------------------------------------------------
# Subgame decomposition
# ---------------------------------------------------------------------------------------------
def _solve_subgames(
    game: ExtensiveFormGame, tol: float, deadline: float, max_equilibria: int
) -> Solution:
    from .api import solve

    if not game.has_perfect_recall:
        raise SolverError(
            "method 'subgames' needs perfect recall (behaviour strategies); this game lacks "
            "it: use method 'normal_form'"
        )
    t = game.tree
    roots = list(game.subgame_roots())
    # Maximal proper subgame roots directly below each root.
    nested: dict[int, list[int]] = {r: [] for r in roots}
    stack: list[int] = []
    for r in roots:  # preorder
        while stack and not (stack[-1] <= r < stack[-1] + int(t.size[stack[-1]])):
            stack.pop()
        if stack:
            nested[stack[-1]].append(r)
        stack.append(r)
    entries: dict[int, list[tuple[tuple[Number, ...], dict[int, tuple[Number, ...]]]]] = {}
    truncated = False
    timed_out = False
    nf_incomplete = False
    for r in reversed(roots):
        subs = nested[r]
        lists = [entries[s] for s in subs]
        out: list[tuple[tuple[Number, ...], dict[int, tuple[Number, ...]]]] = []
        for combo in itertools.product(*lists):
            if len(out) >= max_equilibria:
                truncated = True
                break
            if time.monotonic() > deadline:
                timed_out = True
                break
            repl = {s: e[0] for s, e in zip(subs, combo, strict=True)}
            sub, infoset_map = game.subtree_game(r, repl)
            try:
                rnf = sub.reduced_normal_form()
            except GameError as exc:
                raise SolverError(f"method 'subgames': a subgame is too large: {exc}") from None
            remaining = max(deadline - time.monotonic(), 0.1)
            nsol = solve(rnf.game, tol=tol, max_seconds=remaining)
            nf_incomplete = nf_incomplete or not nsol.complete
            inherited: dict[int, tuple[Number, ...]] = {}
            for e in combo:
                inherited.update(e[1])
            for eq in nsol.equilibria:
                assert isinstance(eq, Equilibrium)
                beh_sub = _full_behavior(sub, rnf.behavior_from_mixed(eq.profile))
                mine = dict(inherited)
                for g_new, g_old in enumerate(infoset_map):
                    if g_old >= 0 and game.all_infosets[g_old].player >= 0:
                        mine[g_old] = beh_sub[g_new]
                out.append((tuple(eq.payoffs), mine))
                if len(out) >= max_equilibria:
                    break
        if not out:
            why = "the time budget ran out" if timed_out else "no equilibrium was found"
            raise SolverError(f"method 'subgames': {why} for the subgame at node {r}")
        entries[r] = out
        for s in subs:
            del entries[s]
    eqs: list[BehaviorEquilibrium] = []
    rejected = 0
    n_player_sets = sum(len(hs) for hs in game.infosets)
    for _, assignment in entries[0]:
        beh: Behavior = [assignment[g] for g in range(n_player_sets)]
        for h in game.chance_infosets:
            assert h.probs is not None
            beh.append(tuple(h.probs))
        beq = _verified(game, beh, tol)
        if beq is None or beq.subgame_perfect is not True:
            rejected += 1
            continue
        eqs.append(beq)
    warns = [
        "subgame decomposition lists one subgame-perfect equilibrium per combination of the "
        "subgames' (extreme) equilibria; other subgame-perfect equilibria may exist"
    ]
    if truncated:
        warns.append(f"more than {max_equilibria} combinations; the first ones are listed")
    if timed_out:
        warns.append("the time budget ran out; the list is incomplete")
    if nf_incomplete:
        warns.append("some subgames were solved incompletely")
    if rejected:
        warns.append(f"{rejected} combination(s) failed verification and were dropped")
    return _solution(
        game,
        "subgames",
        eqs,
        complete=False,
        scope="subgame-perfect equilibria from the subgames' equilibria",
        tol=tol,
        warnings=warns,
    )
