"""Equilibria of extensive-form games.

Three methods, all returning verified :class:`~equishift.solver.solution.BehaviorEquilibrium`
values (regret exactly 0 in rational arithmetic for exact games):

``backward_induction``
    Perfect-information trees (chance nodes allowed): **all** pure
    subgame-perfect equilibria. One bottom-up sweep, vectorised level by level
    with numpy (no recursion), finds one equilibrium and every node where the
    mover is indifferent; only when there are such ties are the combinations
    enumerated, within a budget.
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
    regret is 0 in the subgame of every subgame root (for perfect-information
    trees: after the one-shot-deviation check at every node, which is
    equivalent).

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
from ..games.extensive_form import CHANCE, DECISION, TERMINAL, ExtensiveFormGame, gc_paused
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

_WORK_PER_EQUILIBRIUM = 5_000_000
"""Nodes × equilibria verified at most (keeps huge trees with many ties tractable)."""

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
# Numeric helpers
# ---------------------------------------------------------------------------------------------
def _numeric(game: ExtensiveFormGame, force_object: bool = False) -> tuple[NDArray[Any], int]:
    """Node payoffs in a dtype for exact vector arithmetic, and the scale to divide by.

    Float games: float64, scale 1. Exact games without chance nodes (and not
    ``force_object``): integers scaled by the lcm of the denominators (int64 when
    sums along any path fit, Python ints otherwise). Else: Fractions.
    """
    pay = game.node_payoffs()
    if not game.is_exact:
        return np.asarray(pay, dtype=np.float64), 1
    t = game.tree
    if force_object or bool(np.any(t.kind == CHANCE)):
        return np.array(pay, dtype=object), 1
    flat = pay.ravel().tolist()
    lcm = 1
    for v in {x.denominator for x in flat}:
        lcm = lcm * v // math.gcd(lcm, v)
    ints = [x.numerator * (lcm // x.denominator) for x in flat]
    big = max((abs(x) for x in ints), default=0)
    depth = int(t.depth.max()) + 1
    if big * depth < 2**62:
        return np.array(ints, dtype=np.int64).reshape(pay.shape), lcm
    out = np.empty(pay.shape, dtype=object)
    out.ravel()[:] = ints
    return out, lcm


def _to_number(x: Any, scale: int, exact: bool) -> Number:
    if not exact:
        return float(x)
    return Fraction(x) / scale if scale != 1 else Fraction(x)


@dataclass(frozen=True)
class _Level:
    nodes: NDArray[np.int64]  # inner nodes at one depth
    kids: NDArray[np.int64]  # their children, concatenated
    starts: NDArray[np.int64]  # segment start of each node in kids
    counts: NDArray[np.int64]
    mover: NDArray[np.int64]  # player per node (-1 chance)


def _levels(game: ExtensiveFormGame) -> list[_Level]:
    """Inner nodes grouped by depth, deepest first, with their children concatenated."""
    t = game.tree
    inner = np.flatnonzero(t.kind != TERMINAL)
    if inner.size == 0:
        return []
    order = inner[np.argsort(-t.depth[inner], kind="stable")]
    depths = t.depth[order]
    cuts = np.flatnonzero(np.diff(depths)) + 1
    out: list[_Level] = []
    for nodes in np.split(order, cuts):
        nodes = np.sort(nodes)
        counts = t.child_ptr[nodes + 1] - t.child_ptr[nodes]
        starts = np.zeros(len(nodes), dtype=np.int64)
        np.cumsum(counts[:-1], out=starts[1:])
        idx = np.repeat(t.child_ptr[nodes] - starts, counts) + np.arange(int(counts.sum()))
        out.append(_Level(nodes, t.children[idx], starts, counts, t.player[nodes]))
    return out


def _edge_weights(game: ExtensiveFormGame, beh: Behavior, dtype: Any) -> NDArray[Any]:
    """Probability of the action leading into each node (root: 1)."""
    t = game.tree
    n = game.n_nodes
    w = np.empty(n, dtype=dtype)
    w[0] = 1
    par = t.parent[1:]
    hs = t.infoset[par]
    acts = t.action[1:]
    w[1:] = [beh[h][a] for h, a in zip(hs.tolist(), acts.tolist(), strict=True)]
    return w


def _chance_edges(game: ExtensiveFormGame, dtype: Any) -> tuple[NDArray[Any], NDArray[np.bool_]]:
    """Chance probability of the edge into each node (0 below decision nodes, 1 at the root),
    and whether the edge leaves a decision node."""
    t = game.tree
    n = game.n_nodes
    prob = np.zeros(n, dtype=dtype)
    prob[0] = 1
    par = t.parent[1:]
    from_chance = np.zeros(n, dtype=bool)
    from_chance[1:] = t.kind[par] == CHANCE
    nodes = np.flatnonzero(from_chance)
    if nodes.size:
        infos = game.all_infosets
        vals = []
        for h, a in zip(t.infoset[t.parent[nodes]].tolist(), t.action[nodes].tolist(), strict=True):
            p = infos[h].probs
            assert p is not None
            vals.append(p[a] if dtype is object else float(p[a]))
        prob[nodes] = vals
    from_decision = np.zeros(n, dtype=bool)
    from_decision[1:] = t.kind[par] == DECISION
    return prob, from_decision


def _eval_profile(levels: list[_Level], base: NDArray[Any], w: NDArray[Any]) -> NDArray[Any]:
    """Expected payoff of every subtree under a behaviour profile (edge weights ``w``)."""
    val = base.copy()
    for lv in levels:
        contrib = w[lv.kids][:, None] * val[lv.kids]
        val[lv.nodes] = val[lv.nodes] + np.add.reduceat(contrib, lv.starts, axis=0)
    return val


def _eval_best_reply(
    levels: list[_Level], base: NDArray[Any], w: NDArray[Any], player: int
) -> NDArray[Any]:
    """Best-reply value of ``player`` in every subtree of a perfect-information tree."""
    val = base[:, player].copy()
    for lv in levels:
        kv = val[lv.kids]
        summed = np.add.reduceat(w[lv.kids] * kv, lv.starts)
        best = np.maximum.reduceat(kv, lv.starts)
        val[lv.nodes] = val[lv.nodes] + np.where(lv.mover == player, best, summed)
    return val


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
    choices: list[NDArray[np.int64]]
    truncated: bool
    timed_out: bool


def _backward_choices(
    game: ExtensiveFormGame,
    levels: list[_Level],
    base: NDArray[Any],
    tol: float,
    budget: int,
    deadline: float,
) -> _BIResult:
    """Every pure SPE (up to ``budget``) as arrays of chosen action per node (-1 elsewhere)."""
    t = game.tree
    n = game.n_nodes
    exact = game.is_exact
    val = base.copy()
    best = np.full(n, -1, dtype=np.int64)
    tie = np.zeros(n, dtype=bool)
    prob, _ = _chance_edges(game, base.dtype)
    for lv in levels:
        kids = lv.kids
        kv = val[kids]
        k = len(kids)
        mover_rep = np.repeat(lv.mover, lv.counts)
        mv = kv[np.arange(k), np.maximum(mover_rep, 0)]
        seg_max = np.maximum.reduceat(mv, lv.starts)
        rep_max = np.repeat(seg_max, lv.counts)
        is_opt = (mv == rep_max) if exact else (mv >= rep_max - tol)
        pos = np.where(is_opt, np.arange(k), k)
        first = np.minimum.reduceat(pos, lv.starts)
        n_opt = np.add.reduceat(is_opt.astype(np.int64), lv.starts)
        dec = lv.mover >= 0
        chance_val = np.add.reduceat(prob[kids][:, None] * kv, lv.starts, axis=0)
        chosen = kv[np.minimum(first, k - 1)]
        val[lv.nodes] = val[lv.nodes] + np.where(dec[:, None], chosen, chance_val)
        best[lv.nodes[dec]] = (first - lv.starts)[dec]
        tie[lv.nodes[dec]] = n_opt[dec] > 1
    canonical = best
    if not tie.any():
        return _BIResult([canonical], False, False)

    # Nodes with a tie somewhere in their subtree: enumerate combinations there.
    region = tie.copy()
    for lv in levels:
        region[lv.nodes] |= np.logical_or.reduceat(region[lv.kids], lv.starts)
    kind = t.kind
    entries: dict[int, list[tuple[tuple[Any, ...], Any]]] = {}
    truncated = False
    timed_out = False
    row = [tuple(r) for r in val.tolist()]

    def child_entries(c: int) -> list[tuple[tuple[Any, ...], Any]]:
        e = entries.get(c)
        return e if e is not None else [(row[c], None)]

    def add(a: tuple[Any, ...], b: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(x + y for x, y in zip(a, b, strict=True))

    region_nodes = np.flatnonzero(region)[::-1]
    for count, v in enumerate(region_nodes.tolist()):
        if count % 256 == 0 and time.monotonic() > deadline:
            timed_out = True
            break
        node_kids = game.children(v)
        lists = [child_entries(c) for c in node_kids]
        own = tuple(base[v].tolist())
        out: list[tuple[tuple[Any, ...], Any]] = [(row[v], None)]
        if kind[v] == CHANCE:
            h = game.node_infoset(v)
            assert h is not None and h.probs is not None
            ps = [base.dtype.type(p) if base.dtype != object else p for p in h.probs]
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
        return _BIResult([canonical], True, True)
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
        results.append(choice)
    return _BIResult(results, truncated, False)


def _pi_equilibrium(
    game: ExtensiveFormGame,
    levels: list[_Level],
    base: NDArray[Any],
    scale: int,
    choice: NDArray[np.int64],
    tol: float,
    onehot: dict[tuple[int, int], tuple[Fraction, ...]],
    shape: tuple[NDArray[np.int64], list[int]],
) -> BehaviorEquilibrium | None:
    """Verify a pure profile of a perfect-information tree (vectorised) and wrap it.

    ``shape``: the node of every player information set (in global order) and its
    number of actions.
    """
    exact = game.is_exact
    t = game.tree
    cprob, from_decision = _chance_edges(game, base.dtype)
    par = np.maximum(t.parent, 0)
    picked = (t.action == choice[par]) & from_decision
    w = np.where(from_decision, picked.astype(np.int64), cprob)
    w = w.astype(base.dtype) if base.dtype != object else w
    w[0] = 1
    val = _eval_profile(levels, base, w)
    # One-shot deviation check at every decision node (= subgame perfection here).
    for lv in levels:
        dec = lv.mover >= 0
        if not dec.any():
            continue
        k = len(lv.kids)
        mover_rep = np.repeat(lv.mover, lv.counts)
        mv = val[lv.kids][np.arange(k), np.maximum(mover_rep, 0)]
        seg_max = np.maximum.reduceat(mv, lv.starts)
        chosen = mv[lv.starts + np.maximum(choice[lv.nodes], 0)]
        gap = (seg_max - chosen)[dec]
        if exact and bool(np.any(gap != 0)):
            return None
        if not exact and bool(np.any(gap.astype(np.float64) > tol)):
            return None
    payoffs = [_to_number(x, scale, exact) for x in val[0].tolist()]
    regrets: list[Number] = []
    for i in range(game.n_players):
        brv = _eval_best_reply(levels, base, w, i)
        r = _to_number(brv[0], scale, exact) - payoffs[i]
        regrets.append(r if exact else max(float(r), 0.0))
    reg = max(regrets)
    if (exact and reg != 0) or (not exact and float(reg) > tol):
        return None
    members, nacts = shape
    beh: Behavior = []
    for k, a in zip(nacts, choice[members].tolist(), strict=True):
        vec = onehot.get((k, a))
        if vec is None:
            vec = tuple(_ONE if j == a else _ZERO for j in range(k))
            onehot[(k, a)] = vec
        beh.append(vec)
    for h in game.chance_infosets:
        assert h.probs is not None
        beh.append(tuple(h.probs))
    return _make_equilibrium(game, beh, payoffs, reg, True)


def _backward_equilibria(
    game: ExtensiveFormGame, tol: float, deadline: float, max_equilibria: int
) -> tuple[list[BehaviorEquilibrium], bool, list[str]]:
    levels = _levels(game)
    base, scale = _numeric(game)
    budget = max(1, min(max_equilibria, _WORK_PER_EQUILIBRIUM // max(game.n_nodes, 1)))
    res = _backward_choices(game, levels, base, tol, budget, deadline)
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
    onehot: dict[tuple[int, int], tuple[Fraction, ...]] = {}
    player_sets = [h for hs in game.infosets for h in hs]
    shape = (
        np.array([h.members[0] for h in player_sets], dtype=np.int64),
        [len(h.actions) for h in player_sets],
    )
    eqs: list[BehaviorEquilibrium] = []
    rejected = 0
    for choice in res.choices:
        eq = _pi_equilibrium(game, levels, base, scale, choice, tol, onehot, shape)
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
