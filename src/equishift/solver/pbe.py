"""Perfect Bayesian equilibria of small sequential games with chance and information sets.

An *assessment* is a behaviour profile together with a belief at every
information set (a distribution over its nodes). It is a perfect Bayesian
equilibrium (PBE) when

1. **sequential rationality** holds at every information set, on and off the
   path: each action the mover plays with positive probability maximises their
   expected payoff given the belief and everyone's behaviour afterwards
   (checked as one-shot deviations, which suffices in finite games of perfect
   recall when continuation beliefs are consistent);
2. **Bayes' rule** pins the belief wherever it applies: at an information set
   of player ``i`` the weight of node ``v`` is the probability that chance and
   the *other* players lead to ``v`` (``i``'s own moves are common to all nodes
   of the set under perfect recall, so they cancel). When those weights are
   all zero, Bayes' rule is applied from the lowest common ancestor of the set
   if that ancestor is a chance node or a decision node alone in its
   information set and the weights from it are not all zero. Otherwise the
   belief is free.

For a free information set the solver reports the *whole set* of beliefs that
support the prescribed actions: a polytope of the belief simplex given by
linear inequalities, listed by its vertices (an interval for two nodes).

Scope: beliefs at different free information sets are chosen independently
(no consistency across them is imposed beyond the rules above: a weak PBE off
the path where Bayes' rule cannot be applied, as in the textbook treatment of
signalling games). Arithmetic is exact; float payoffs are taken at their exact
binary values.

* :func:`check_assessment` — the checker: returns the list of violations
  (empty for a PBE); used on every reported equilibrium.
* :func:`perfect_bayesian_equilibria` — all pure PBE by enumeration of pure
  behaviour profiles, and (``mixed=True``) mixed ones from the Nash
  equilibria of the reduced normal form with every completion at information
  sets the profile does not reach.
* :func:`pbe_region` — the exact set of values of a game parameter at which a
  given pure profile is a PBE (constraints interpolated as polynomials with
  sympy, checked at extra points).

>>> from equishift.games.extensive_form import Chance, Decision, ExtensiveFormGame, Terminal
>>> def receiver(t):
...     return {"Up": Terminal((1, 1 if t == "a" else 0)),
...             "Down": Terminal((0, 1 if t == "b" else 0))}
>>> g = ExtensiveFormGame.build(players=["S", "R"], root=Chance({
...     "a": ("1/2", Decision("S", {"m": Decision("R", receiver("a"), infoset="after m")},
...                           infoset="S|a")),
...     "b": ("1/2", Decision("S", {"m": Decision("R", receiver("b"), infoset="after m")},
...                           infoset="S|b"))}))
>>> sol = perfect_bayesian_equilibria(g)
>>> [eq.describe() for eq in sol.equilibria]
['S: S|a=m S|b=m; R: after m=Up [1/2, 1/2]', 'S: S|a=m S|b=m; R: after m=Down [1/2, 1/2]']
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..games.errors import SolverError
from ..games.extensive_form import CHANCE, TERMINAL, ExtensiveFormGame
from ..games.numbers import format_number
from .solution import BehaviorEquilibrium

__all__ = [
    "PBE",
    "BeliefSet",
    "PBESolution",
    "behavior_from_labels",
    "belief_vertices",
    "check_assessment",
    "pbe_region",
    "pbe_region_where",
    "perfect_bayesian_equilibria",
    "pure_profiles",
]

Beh = list[tuple[Fraction, ...]]  # per global information set id (chance included)


@dataclass(frozen=True)
class BeliefSet:
    """The beliefs at a free (off-path) information set that support the prescribed play.

    Attributes
    ----------
    nodes
        A description of each node of the set (the actions leading to it).
    constraints
        Rows ``g`` with ``g · belief >= 0`` (besides belief in the simplex).
    vertices
        Extreme points of the set, exact.
    """

    nodes: tuple[str, ...]
    constraints: tuple[tuple[Fraction, ...], ...]
    vertices: tuple[tuple[Fraction, ...], ...]

    @property
    def is_empty(self) -> bool:
        """True when no belief supports the play."""
        return not self.vertices

    def interval(self, node: int = 0) -> tuple[Fraction, Fraction]:
        """The range of the probability of one node over the set (``SolverError`` if empty)."""
        if not self.vertices:
            raise SolverError("BeliefSet.interval(): the set is empty")
        vals = [v[node] for v in self.vertices]
        return min(vals), max(vals)

    def contains(self, belief: Sequence[Any]) -> bool:
        """True when ``belief`` is a distribution satisfying every constraint."""
        b = [Fraction(x) for x in belief]
        if len(b) != len(self.nodes) or any(x < 0 for x in b) or sum(b) != 1:
            return False
        return all(sum(g * x for g, x in zip(row, b, strict=True)) >= 0 for row in self.constraints)

    def representative(self) -> tuple[Fraction, ...]:
        """The average of the vertices (a point of the set)."""
        k = len(self.vertices)
        return tuple(
            sum((v[j] for v in self.vertices), Fraction(0)) / k for j in range(len(self.nodes))
        )

    def describe(self) -> str:
        """``[lo, hi]`` on the first node for two nodes; the vertex list otherwise."""
        if not self.vertices:
            return "no supporting belief"
        if len(self.nodes) == 2:
            lo, hi = self.interval(0)
            return f"P({self.nodes[0]}) in [{format_number(lo)}, {format_number(hi)}]"
        pts = ", ".join("(" + ", ".join(format_number(x) for x in v) + ")" for v in self.vertices)
        return f"hull of {pts}"


@dataclass(frozen=True)
class PBE:
    """A perfect Bayesian equilibrium: behaviour and beliefs at every information set.

    Attributes
    ----------
    players, infosets, actions
        Labels (per player, per information set).
    behavior
        Per player, per information set, the probability of each action.
    beliefs
        Per player, per information set: a tuple of probabilities over the set's
        nodes when Bayes' rule pins it, or a :class:`BeliefSet` when it is free.
    on_path
        Per player, per information set: reached with positive probability.
    nodes
        Per player, per information set: descriptions of its nodes.
    payoffs
        Expected payoff of each player.
    """

    players: tuple[str, ...]
    infosets: tuple[tuple[str, ...], ...]
    actions: tuple[tuple[tuple[str, ...], ...], ...]
    behavior: tuple[tuple[tuple[Fraction, ...], ...], ...]
    beliefs: tuple[tuple[tuple[Fraction, ...] | BeliefSet, ...], ...]
    on_path: tuple[tuple[bool, ...], ...]
    nodes: tuple[tuple[tuple[str, ...], ...], ...]
    payoffs: tuple[Fraction, ...]

    @property
    def is_pure(self) -> bool:
        """True when every information set has one action with probability one."""
        return all(sum(1 for p in row if p != 0) == 1 for pl in self.behavior for row in pl)

    def action(self, player: str, infoset: str) -> str | None:
        """The action played for sure at an information set, ``None`` when mixed."""
        i = self.players.index(player)
        k = self.infosets[i].index(infoset)
        row = self.behavior[i][k]
        sup = [a for a, p in zip(self.actions[i][k], row, strict=True) if p != 0]
        return sup[0] if len(sup) == 1 else None

    def probability(self, player: str, infoset: str, action: str) -> Fraction:
        """Probability of an action at an information set."""
        i = self.players.index(player)
        k = self.infosets[i].index(infoset)
        return self.behavior[i][k][self.actions[i][k].index(action)]

    def belief(self, player: str, infoset: str) -> tuple[Fraction, ...] | BeliefSet:
        """The belief at an information set (pinned) or the set of supporting beliefs."""
        i = self.players.index(player)
        return self.beliefs[i][self.infosets[i].index(infoset)]

    def representative_beliefs(self) -> tuple[tuple[tuple[Fraction, ...], ...], ...]:
        """One belief per information set (a point of each free set)."""
        return tuple(
            tuple(b.representative() if isinstance(b, BeliefSet) else b for b in pl)
            for pl in self.beliefs
        )

    def describe(self) -> str:
        """One line: actions per information set; beliefs in brackets where not trivial."""
        parts = []
        for i, pl in enumerate(self.players):
            moves = []
            for k, lab in enumerate(self.infosets[i]):
                row = self.behavior[i][k]
                sup = [(a, p) for a, p in zip(self.actions[i][k], row, strict=True) if p != 0]
                mv = (
                    sup[0][0]
                    if len(sup) == 1
                    else "(" + ", ".join(f"{a} {format_number(p)}" for a, p in sup) + ")"
                )
                b = self.beliefs[i][k]
                if isinstance(b, BeliefSet):
                    mv += " {" + b.describe() + "}"
                elif len(b) > 1:
                    mv += " [" + ", ".join(format_number(x) for x in b) + "]"
                moves.append(f"{lab}={mv}")
            parts.append(f"{pl}: " + " ".join(moves))
        return "; ".join(parts)


@dataclass(frozen=True)
class PBESolution:
    """All PBE found, with the scope of the search.

    Attributes
    ----------
    game
        The tree.
    equilibria
        Verified PBE (each passes :func:`check_assessment` at a point of its belief sets).
    complete
        True when the enumeration provably found all PBE of the kind in ``scope``.
    scope
        ``"pure PBE"`` or ``"pure PBE and mixed PBE from normal-form equilibria"``.
    warnings
        Caveats.
    """

    game: ExtensiveFormGame
    equilibria: tuple[PBE, ...]
    complete: bool
    scope: str
    warnings: tuple[str, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.equilibria)


# ---------------------------------------------------------------------------------------------
# Tree helpers
# ---------------------------------------------------------------------------------------------
class _Tree:
    """Exact per-node data of a game, computed once."""

    def __init__(self, game: ExtensiveFormGame) -> None:
        if not game.has_perfect_recall:
            raise SolverError("perfect Bayesian equilibria need perfect recall; this game lacks it")
        self.game = game
        t = game.tree
        self.n = game.n_nodes
        self.m = game.n_players
        self.kind = t.kind.tolist()
        self.parent = t.parent.tolist()
        self.action = t.action.tolist()
        self.infoset = t.infoset.tolist()
        self.player = t.player.tolist()
        self.kids = [game.children(v) for v in range(self.n)]
        pay = game.node_payoffs()
        self.pay = [[Fraction(x) for x in pay[v].tolist()] for v in range(self.n)]
        self.infos = game.all_infosets
        self.gid: dict[tuple[int, int], int] = {}
        for g, h in enumerate(self.infos):
            if h.player >= 0:
                self.gid[(h.player, h.index)] = g
        self.desc = [" → ".join(game.path(v)) or "root" for v in range(self.n)]

    def full(self, per_player: Sequence[Sequence[Sequence[Any]]]) -> Beh:
        beh: Beh = [()] * len(self.infos)
        for g, h in enumerate(self.infos):
            if h.player < 0:
                assert h.probs is not None
                beh[g] = tuple(h.probs)
            else:
                beh[g] = tuple(Fraction(x) for x in per_player[h.player][h.index])
        return beh

    def values(self, beh: Beh) -> list[list[Fraction]]:
        val: list[list[Fraction]] = [[]] * self.n
        for v in range(self.n - 1, -1, -1):
            row = list(self.pay[v])
            if self.kind[v] != TERMINAL:
                probs = beh[self.infoset[v]]
                for a, c in enumerate(self.kids[v]):
                    if probs[a] != 0:
                        row = [x + probs[a] * y for x, y in zip(row, val[c], strict=True)]
            val[v] = row
        return val

    def reach(self, beh: Beh, skip: int, start: int = 0) -> dict[int, Fraction]:
        """Probability of each node below ``start``, ignoring player ``skip``'s own moves."""
        t = self.game.tree
        out = {start: Fraction(1)}
        for v in range(start + 1, start + int(t.size[start])):
            p = self.parent[v]
            pr = out[p]
            if self.player[p] != skip or self.kind[p] == CHANCE:
                pr = pr * beh[self.infoset[p]][self.action[v]]
            out[v] = pr
        return out

    def lca(self, nodes: Sequence[int]) -> int:
        paths = []
        for v in nodes:
            path = [v]
            while self.parent[path[-1]] >= 0:
                path.append(self.parent[path[-1]])
            paths.append(path[::-1])
        k = 0
        while all(len(p) > k for p in paths) and len({p[k] for p in paths}) == 1:
            k += 1
        return paths[0][k - 1]


def _bayes_weights(
    tr: _Tree, beh: Beh, g: int, reach_skip: dict[int, Fraction]
) -> list[Fraction] | None:
    """Unnormalised Bayes' rule weights of the nodes of set ``g``, or ``None`` when it is free."""
    h = tr.infos[g]
    if len(h.members) == 1:
        return [Fraction(1)]
    w = [reach_skip[v] for v in h.members]
    if sum(w, Fraction(0)) > 0:
        return w
    c = tr.lca(h.members)
    if tr.kind[c] == CHANCE or len(tr.infos[tr.infoset[c]].members) == 1:
        sub = tr.reach(beh, h.player, c)
        w = [sub[v] for v in h.members]
        if sum(w, Fraction(0)) > 0:
            return w
    return None


def _pinned(
    tr: _Tree, beh: Beh, g: int, reach_skip: dict[int, Fraction]
) -> tuple[Fraction, ...] | None:
    """Belief at information set ``g`` by Bayes' rule, or ``None`` when it is free."""
    w = _bayes_weights(tr, beh, g, reach_skip)
    if w is None:
        return None
    total = sum(w, Fraction(0))
    return tuple(x / total for x in w)


def _gains(
    tr: _Tree, val: list[list[Fraction]], g: int, support: Sequence[int]
) -> list[tuple[Fraction, ...]]:
    """Rows ``r`` (one per supported action and alternative) with ``r · belief >= 0`` needed."""
    h = tr.infos[g]
    i = h.player
    rows = []
    for a in support:
        for b in range(h.n_actions):
            if b == a:
                continue
            rows.append(tuple(val[tr.kids[v][a]][i] - val[tr.kids[v][b]][i] for v in h.members))
    return rows


def _solve_exact(mat: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    n = len(mat)
    a = [[*row, r] for row, r in zip(mat, rhs, strict=True)]
    for col in range(n):
        piv = next((r for r in range(col, n) if a[r][col] != 0), None)
        if piv is None:
            return None
        a[col], a[piv] = a[piv], a[col]
        for r in range(n):
            if r != col and a[r][col] != 0:
                f = a[r][col] / a[col][col]
                a[r] = [x - f * y for x, y in zip(a[r], a[col], strict=True)]
    return [a[r][n] / a[r][r] for r in range(n)]


def _vertices(rows: Sequence[tuple[Fraction, ...]], n: int) -> tuple[tuple[Fraction, ...], ...]:
    """Vertices of ``{b in simplex : r · b >= 0 for r in rows}`` by exact enumeration."""
    cons = [list(r) for r in rows] + [[Fraction(int(j == k)) for j in range(n)] for k in range(n)]
    found: set[tuple[Fraction, ...]] = set()
    ones = [Fraction(1)] * n
    for tight in itertools.combinations(range(len(cons)), n - 1):
        mat = [cons[k] for k in tight] + [ones]
        sol = _solve_exact(mat, [Fraction(0)] * (n - 1) + [Fraction(1)])
        if sol is None:
            continue
        if all(x >= 0 for x in sol) and all(
            sum(c * x for c, x in zip(r, sol, strict=True)) >= 0 for r in cons
        ):
            found.add(tuple(sol))
    return tuple(sorted(found, reverse=True))


def belief_vertices(rows: Sequence[Sequence[Any]], n: int) -> tuple[tuple[Fraction, ...], ...]:
    """Vertices of the beliefs ``b`` over ``n`` nodes with ``r · b >= 0`` for every row ``r``.

    Exact enumeration of the basic solutions (fine for the few nodes of an
    information set); an empty tuple when no belief qualifies.

    >>> belief_vertices([(1, -3)], 2)  # P(first) >= 3 P(second)
    ((Fraction(1, 1), Fraction(0, 1)), (Fraction(3, 4), Fraction(1, 4)))
    """
    return _vertices([tuple(Fraction(x) for x in r) for r in rows], n)


def _per_player(tr: _Tree, items: Sequence[Any]) -> tuple[tuple[Any, ...], ...]:
    return tuple(
        tuple(items[tr.gid[(i, k)]] for k in range(len(tr.game.infosets[i]))) for i in range(tr.m)
    )


def _assess(tr: _Tree, beh: Beh) -> PBE | None:
    """The PBE with behaviour ``beh`` (beliefs pinned or searched), or ``None``."""
    val = tr.values(beh)
    reaches = [tr.reach(beh, i) for i in range(tr.m)]
    full = tr.reach(beh, -3)
    beliefs: list[Any] = [None] * len(tr.infos)
    on_path: list[bool] = [False] * len(tr.infos)
    for g, h in enumerate(tr.infos):
        if h.player < 0:
            continue
        on_path[g] = any(full[v] > 0 for v in h.members)
        support = [a for a, p in enumerate(beh[g]) if p != 0]
        rows = _gains(tr, val, g, support)
        mu = _pinned(tr, beh, g, reaches[h.player])
        if mu is not None:
            if any(sum(r * x for r, x in zip(row, mu, strict=True)) < 0 for row in rows):
                return None
            beliefs[g] = mu
        else:
            verts = _vertices(rows, len(h.members))
            if not verts:
                return None
            beliefs[g] = BeliefSet(tuple(tr.desc[v] for v in h.members), tuple(rows), verts)
    node_desc = [tuple(tr.desc[v] for v in h.members) for h in tr.infos]
    game = tr.game
    return PBE(
        players=game.players,
        infosets=tuple(tuple(h.label for h in hs) for hs in game.infosets),
        actions=tuple(tuple(h.actions for h in hs) for hs in game.infosets),
        behavior=_per_player(tr, beh),
        beliefs=_per_player(tr, beliefs),
        on_path=_per_player(tr, on_path),
        nodes=_per_player(tr, node_desc),
        payoffs=tuple(val[0]),
    )


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------
def behavior_from_labels(
    game: ExtensiveFormGame, choices: Mapping[str, Mapping[str, Any]]
) -> tuple[tuple[tuple[Fraction, ...], ...], ...]:
    """Behaviour per player and information set from ``{player: {infoset: action}}``.

    A value may be an action label (played for sure) or ``{action: probability}``.

    >>> from equishift.games.extensive_form import Decision, ExtensiveFormGame, Terminal
    >>> g = ExtensiveFormGame.build(players=["A"], root=Decision("A", {
    ...     "x": Terminal((0,)), "y": Terminal((1,))}, infoset="h"))
    >>> behavior_from_labels(g, {"A": {"h": "y"}})
    (((Fraction(0, 1), Fraction(1, 1)),),)
    """
    out = []
    for i, hs in enumerate(game.infosets):
        pl = game.players[i]
        rows = []
        for h in hs:
            c = choices.get(pl, {}).get(h.label)
            if c is None:
                raise SolverError(f"no choice given for {pl!r} at information set {h.label!r}")
            if isinstance(c, str):
                if c not in h.actions:
                    raise SolverError(f"{h.label!r} has no action {c!r}; actions: {h.actions}")
                rows.append(tuple(Fraction(int(a == c)) for a in h.actions))
            else:
                rows.append(tuple(Fraction(c.get(a, 0)) for a in h.actions))
        out.append(tuple(rows))
    return tuple(out)


def check_assessment(
    game: ExtensiveFormGame,
    behavior: Sequence[Sequence[Sequence[Any]]],
    beliefs: Sequence[Sequence[Sequence[Any]]],
) -> list[str]:
    """Everything that keeps an assessment from being a PBE (an empty list for a PBE).

    Checks that every belief is a distribution over its information set's
    nodes, that it equals the Bayes' rule belief wherever Bayes' rule applies
    (see the module docstring), and sequential rationality at **every**
    information set of every player, on and off the path. Exact arithmetic.

    Parameters
    ----------
    behavior
        Per player, per information set, action probabilities.
    beliefs
        Per player, per information set, probabilities of its nodes (in the
        order of ``Infoset.members``).

    Examples
    --------
    >>> from equishift.games.extensive_form import Decision, ExtensiveFormGame, Terminal
    >>> g = ExtensiveFormGame.build(players=["E", "I"], root=Decision("E", {
    ...     "Out": Terminal((0, 2)),
    ...     "In": Decision("I", {"Fight": Terminal((-1, -1)), "Share": Terminal((1, 1))})}))
    >>> fight = behavior_from_labels(g, {"E": {"E:1": "Out"}, "I": {"I:1": "Fight"}})
    >>> check_assessment(g, fight, [[(1,)], [(1,)]])
    ["I at 'I:1' plays 'Fight' but 'Share' gains 2 given belief (1)"]
    """
    tr = _Tree(game)
    beh = tr.full(behavior)
    val = tr.values(beh)
    reaches = [tr.reach(beh, i) for i in range(tr.m)]
    problems: list[str] = []
    for g, h in enumerate(tr.infos):
        if h.player < 0:
            continue
        pl = game.players[h.player]
        mu = tuple(Fraction(x) for x in beliefs[h.player][h.index])
        if len(mu) != len(h.members) or any(x < 0 for x in mu) or sum(mu) != 1:
            problems.append(f"belief of {pl} at {h.label!r} is not a distribution over its nodes")
            continue
        pinned = _pinned(tr, beh, g, reaches[h.player])
        if pinned is not None and pinned != mu:
            want = ", ".join(format_number(x) for x in pinned)
            problems.append(f"belief of {pl} at {h.label!r} violates Bayes' rule (expected {want})")
        exp = [
            sum(
                (mu[j] * val[tr.kids[v][a]][h.player] for j, v in enumerate(h.members)), Fraction(0)
            )
            for a in range(h.n_actions)
        ]
        best = max(exp)
        for a, p in enumerate(beh[g]):
            if p != 0 and exp[a] < best:
                b = exp.index(best)
                problems.append(
                    f"{pl} at {h.label!r} plays {h.actions[a]!r} but {h.actions[b]!r} gains "
                    f"{format_number(best - exp[a])} given belief "
                    f"({', '.join(format_number(x) for x in mu)})"
                )
    return problems


def _verified(tr: _Tree, eq: PBE) -> bool:
    return not check_assessment(tr.game, eq.behavior, eq.representative_beliefs())


def perfect_bayesian_equilibria(
    game: ExtensiveFormGame,
    *,
    mixed: bool = False,
    max_profiles: int = 100_000,
) -> PBESolution:
    """All pure PBE (and, with ``mixed``, mixed ones from the normal form) of a small tree.

    Every pure behaviour profile is assessed: beliefs by Bayes' rule where it
    applies, sequential rationality checked at every information set, and at
    free information sets the set of supporting beliefs computed exactly (the
    profile is a PBE iff every such set is non-empty). With ``mixed=True``,
    every Nash equilibrium of the reduced normal form (through
    :func:`equishift.solver.solve`) is converted to behaviour strategies and
    completed in every pure way at information sets it leaves unreached; the
    mixed part is then not guaranteed complete.

    Raises
    ------
    SolverError
        Without perfect recall, or with more than ``max_profiles`` pure profiles.

    Examples
    --------
    Entry deterrence: the threat to fight is a Nash equilibrium but not a PBE.

    >>> from equishift.games.extensive_form import Decision, ExtensiveFormGame, Terminal
    >>> g = ExtensiveFormGame.build(players=["E", "I"], root=Decision("E", {
    ...     "Out": Terminal((0, 2)),
    ...     "In": Decision("I", {"Fight": Terminal((-1, -1)), "Share": Terminal((1, 1))})}))
    >>> sol = perfect_bayesian_equilibria(g)
    >>> [eq.describe() for eq in sol.equilibria], sol.complete
    (['E: E:1=In; I: I:1=Share'], True)
    """
    tr = _Tree(game)
    player_sets = [g for g, h in enumerate(tr.infos) if h.player >= 0]
    count = 1
    for g in player_sets:
        count *= tr.infos[g].n_actions
    if count > max_profiles:
        raise SolverError(
            f"perfect_bayesian_equilibria(): {count} pure behaviour profiles exceed "
            f"max_profiles={max_profiles}"
        )
    base = tr.full([[(Fraction(1),) * h.n_actions for h in hs] for hs in game.infosets])
    found: list[PBE] = []
    seen: set[Any] = set()
    for choice in itertools.product(*(range(tr.infos[g].n_actions) for g in player_sets)):
        beh = list(base)
        for g, a in zip(player_sets, choice, strict=True):
            beh[g] = tuple(Fraction(int(b == a)) for b in range(tr.infos[g].n_actions))
        eq = _assess(tr, beh)
        if eq is not None and _verified(tr, eq):
            found.append(eq)
            seen.add(eq.behavior)
    warnings: list[str] = []
    scope = "pure PBE"
    complete = True
    if mixed:
        from .api import solve

        scope = "pure PBE and mixed PBE from normal-form equilibria"
        complete = False
        sol = solve(game, "normal_form")
        warnings.extend(sol.warnings)
        warnings.append(
            "mixed PBE come from the extreme Nash equilibria of the reduced normal form; "
            "mixtures along equilibrium components may be missing"
        )
        for ne in sol.equilibria:
            if not isinstance(ne, BehaviorEquilibrium):  # pragma: no cover - perfect recall
                continue
            nbeh = tr.full(ne.behavior)
            full = tr.reach(nbeh, -3)
            unreached = [g for g in player_sets if all(full[v] == 0 for v in tr.infos[g].members)]
            for choice in itertools.product(*(range(tr.infos[g].n_actions) for g in unreached)):
                beh = list(nbeh)
                for g, a in zip(unreached, choice, strict=True):
                    beh[g] = tuple(Fraction(int(b == a)) for b in range(tr.infos[g].n_actions))
                eq = _assess(tr, beh)
                if eq is not None and eq.behavior not in seen and _verified(tr, eq):
                    found.append(eq)
                    seen.add(eq.behavior)
    found.sort(key=lambda e: (not e.is_pure, [[-p for p in r] for pl in e.behavior for r in pl]))
    return PBESolution(game, tuple(found), complete, scope, tuple(warnings))


def _constraint_values(tr: _Tree, beh: Beh) -> tuple[list[Fraction], list[tuple[int, Any]]]:
    """Unnormalised slacks at Bayes-pinned sets, and the free sets with their rows."""
    val = tr.values(beh)
    reaches = [tr.reach(beh, i) for i in range(tr.m)]
    slacks: list[Fraction] = []
    free: list[tuple[int, Any]] = []
    for g, h in enumerate(tr.infos):
        if h.player < 0:
            continue
        support = [a for a, p in enumerate(beh[g]) if p != 0]
        rows = _gains(tr, val, g, support)
        w = _bayes_weights(tr, beh, g, reaches[h.player])
        if w is not None:
            slacks.extend(
                sum((r * x for r, x in zip(row, w, strict=True)), Fraction(0)) for row in rows
            )
        else:
            free.append((g, rows))
    return slacks, free


def pbe_region(
    family: Callable[[Fraction], ExtensiveFormGame],
    choices: Mapping[str, Mapping[str, Any]],
    *,
    lo: Any = 0,
    hi: Any = 1,
    degree: int = 2,
) -> Any:
    """The set of parameters ``x`` in ``[lo, hi]`` at which a profile is a PBE of ``family(x)``.

    The profile is given by labels (``{player: {infoset: action}}``) so it means
    the same thing in every member of the family. Every sequential-rationality
    constraint at an information set where the belief is pinned by Bayes' rule
    is a weighted sum of payoff differences; written without normalising the
    weights, it is a polynomial in ``x`` when payoffs and chance probabilities
    are. Each is interpolated exactly (sympy) from ``degree + 1`` interior
    points, confirmed at two more (``SolverError`` otherwise), and the
    inequalities are solved symbolically. Free (off-path) information sets are
    then checked for a supporting belief at the ends and midpoint of each
    interval found, and intervals where that fails are dropped.

    Returns
    -------
    sympy.Set

    Examples
    --------
    >>> from equishift.games.extensive_form import Decision, ExtensiveFormGame, Terminal
    >>> fam = lambda x: ExtensiveFormGame.build(players=["A"], root=Decision("A", {
    ...     "safe": Terminal((1,)), "risky": Terminal((3 * x,))}, infoset="h"))
    >>> pbe_region(fam, {"A": {"h": "risky"}})
    Interval(1/3, 1)
    """
    import sympy

    from .bayesian import to_exact

    a, b = to_exact(lo), to_exact(hi)
    x = sympy.Symbol("x", real=True)
    pts = [a + (b - a) * Fraction(k + 1, degree + 4) for k in range(degree + 3)]

    def slack_and_free(p: Fraction) -> tuple[list[Fraction], list[tuple[int, Any]], _Tree, Beh]:
        tr = _Tree(family(p))
        beh = tr.full(behavior_from_labels(tr.game, choices))
        s, f = _constraint_values(tr, beh)
        return s, f, tr, beh

    samples = [slack_and_free(p)[0] for p in pts]
    if len({len(s) for s in samples}) != 1:
        raise SolverError("pbe_region(): the constraint pattern changes with the parameter")
    region = sympy.Interval(
        sympy.Rational(a.numerator, a.denominator), sympy.Rational(b.numerator, b.denominator)
    )
    for j in range(len(samples[0])):
        data = [
            (
                sympy.Rational(p.numerator, p.denominator),
                sympy.Rational(s[j].numerator, s[j].denominator),
            )
            for p, s in zip(pts, samples, strict=True)
        ]
        poly = sympy.expand(sympy.interpolate(data[: degree + 1], x))
        if any(poly.subs(x, px) != py for px, py in data[degree + 1 :]):
            raise SolverError(
                f"pbe_region(): a constraint is not a polynomial of degree <= {degree} in the "
                "parameter; raise degree"
            )
        cond = sympy.solve_univariate_inequality(poly >= 0, x, relational=False)
        region = sympy.Intersection(region, cond)
    region = sympy.simplify(region)
    pieces = list(region.args) if isinstance(region, sympy.Union) else [region]
    kept = []
    for piece in pieces:
        if piece.is_empty:
            continue
        if isinstance(piece, sympy.FiniteSet):
            probes = [Fraction(str(e)) for e in piece]
        else:
            left, right = Fraction(str(piece.inf)), Fraction(str(piece.sup))
            probes = [left, (left + right) / 2, right]
        ok = []
        for p in probes:
            _, free, tr, _beh = slack_and_free(p)
            ok.append(all(_vertices(rows, len(tr.infos[g].members)) for g, rows in free))
        if all(ok):
            kept.append(piece)
        elif any(ok):
            raise SolverError(
                "pbe_region(): off-path beliefs stop supporting the profile inside an interval; "
                "narrow [lo, hi]"
            )
    return sympy.Union(*kept) if kept else sympy.EmptySet


def pure_profiles(game: ExtensiveFormGame) -> list[dict[str, dict[str, str]]]:
    """Every pure behaviour profile as ``{player: {infoset: action}}`` (labels).

    >>> from equishift.games.extensive_form import Decision, ExtensiveFormGame, Terminal
    >>> g = ExtensiveFormGame.build(players=["A"], root=Decision("A", {
    ...     "x": Terminal((0,)), "y": Terminal((1,))}, infoset="h"))
    >>> pure_profiles(g)
    [{'A': {'h': 'x'}}, {'A': {'h': 'y'}}]
    """
    sets = [(game.players[i], h) for i, hs in enumerate(game.infosets) for h in hs]
    out = []
    for combo in itertools.product(*(h.actions for _, h in sets)):
        prof: dict[str, dict[str, str]] = {pl: {} for pl in game.players}
        for (pl, h), act in zip(sets, combo, strict=True):
            prof[pl][h.label] = act
        out.append(prof)
    return out


def pbe_region_where(
    family: Callable[[Fraction], ExtensiveFormGame],
    select: Callable[[Mapping[str, Mapping[str, str]]], bool],
    *,
    lo: Any = 0,
    hi: Any = 1,
    degree: int = 2,
) -> Any:
    """The parameters at which *some* pure PBE satisfies ``select`` (a sympy ``Set``).

    The union of :func:`pbe_region` over the pure profiles (labels taken from
    the family's member at the midpoint) for which ``select(profile)`` is true,
    e.g. "the U.S. strikes".

    >>> from equishift.games.extensive_form import Decision, ExtensiveFormGame, Terminal
    >>> fam = lambda x: ExtensiveFormGame.build(players=["A"], root=Decision("A", {
    ...     "safe": Terminal((1,)), "risky": Terminal((3 * x,))}, infoset="h"))
    >>> pbe_region_where(fam, lambda p: p["A"]["h"] == "safe")
    Interval(0, 1/3)
    """
    import sympy

    from .bayesian import to_exact

    mid = (to_exact(lo) + to_exact(hi)) / 2
    pieces = [
        pbe_region(family, prof, lo=lo, hi=hi, degree=degree)
        for prof in pure_profiles(family(mid))
        if select(prof)
    ]
    return sympy.simplify(sympy.Union(*pieces)) if pieces else sympy.EmptySet
