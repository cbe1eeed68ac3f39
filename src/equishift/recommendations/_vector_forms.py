"""Rules of :mod:`equishift.recommendations.vectorised` for trees, signalling games and races.

Three families of games that the rules of :mod:`._vector_rules` leave to the exact path:

``tree-avoided``
    A game tree whose only chance move is at the root (nature draws a type), followed by one
    information set of a player who does not see the draw (the U.S. deciding on a strike
    against a DPRK of unknown resolve), with perfect information below it except that an
    information set may join the corresponding nodes of *different* types. Transforms:
    ``set_chance``. Criterion: ``action_avoided`` (no pure perfect Bayesian equilibrium plays
    the action; see :func:`equishift.recommendations.evaluate._assess_avoided`).
``signalling-separating``
    A signalling game. Transforms: ``add_costly_signal``. Criterion: ``separating_exists``
    (a pure separating PBE in which the receiver meets the named type with the named action;
    see :func:`equishift.recommendations.evaluate._assess_separating`).
``race-stable``
    A continuous (Richardson) race, :class:`~equishift.games.continuous.LinearResponseGame`.
    Transforms: ``set_parameter``, ``shift_parameter``. Criterion: ``becomes_stable``
    (continuous-time Routh--Hurwitz, as :func:`equishift.solver.continuous.stability`).

The first two share :class:`_PureBayes`, an enumeration of the pure behaviour profiles of a
small tree that checks, for every sample at once, the conditions of
:func:`equishift.solver.pbe.perfect_bayesian_equilibria`: beliefs by Bayes' rule where it
applies (from the lowest common ancestor when the set is off the path), sequential rationality
at every information set, and a supporting belief at every free one.

Samples are decided exactly (code ``EXACT``) where a comparison that decides a profile is
within the tolerance, where a chance probability is within ``1e-6`` of 0 (then the types that
are live, and so which beliefs are pinned, could differ), or where a value is not finite.
Samples where the scenario file itself would reject the values (a probability outside [0, 1],
a non-positive fatigue) are ``UNDECIDED``, as the exact path reports them.

Examples
--------
>>> from equishift.recommendations.robustness import ScenarioBuilder
>>> from equishift.recommendations.vectorised import compile_verdict
>>> b = ScenarioBuilder("arms-race")
>>> v = compile_verdict(b, "R7")
>>> v.rule
'race-stable'
>>> v(b.columns({"m": [0.5, 0.2], "n": [0.5, 0.2]})).tolist()
[1, 0]
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..games.continuous import LinearResponseGame
from ..games.errors import GameError
from ..games.extensive_form import CHANCE, DECISION, ExtensiveFormGame
from ..games.parameters import parse_expression
from ..games.signalling import SignallingGame
from . import transforms as tf
from .recommendation import ActionAvoided, BecomesStable, SeparatingExists
from .vectorised import (
    EXACT,
    FAILS,
    TOLERANCE,
    UNDECIDED,
    WORKS,
    Array,
    Codes,
    Columns,
    Context,
    batch_rule,
)

__all__: list[str] = []

Fn = Callable[[Columns], Array]
Mask = NDArray[np.bool_]

_MAX_PROFILES = 4096
"""Largest number of pure behaviour profiles the tree rules enumerate."""

_MIN_PROBABILITY = 1e-6
"""Chance probabilities at or below this are decided exactly (a type may be dead)."""


# -- shared pieces ----------------------------------------------------------------------------
def _const(x: float) -> Fn:
    return lambda c: np.full(c.size, x)


def _linked(ctx: Context, transform: Any, field: str) -> Fn:
    """A scalar number of a transform, linked to the scenario parameter of that name.

    Mirrors :func:`equishift.recommendations.robustness._linked`: only a field holding a
    single number is linked (tuples of numbers keep their values).
    """
    value = getattr(transform, field)
    if isinstance(value, Fraction | int | float) and not isinstance(value, bool):
        return ctx.parameter_value(field, value)
    raise ValueError(f"{field!r} of {type(transform).__name__} is not a number")


def _expression(ctx: Context, game: str, key: str, default: Any) -> Any:
    """The sympy expression of a field (its binding, else the default as a rational)."""
    import sympy as sp

    text = ctx.scenario.bindings.get(game, {}).get(key)
    if text is not None:
        return parse_expression(text, ctx.scenario.parameters.names)
    if isinstance(default, Fraction | int) and not isinstance(default, bool):
        value = Fraction(default)
        return sp.Rational(value.numerator, value.denominator)
    raise ValueError(f"{key!r} of {game!r} is not an exact number")


def _exact_distribution(exprs: Sequence[Any]) -> bool:
    """True when every expression is rational in the parameters and they sum to 1 identically.

    The scenario reader rejects a probability that is not exact (an irrational value) and a
    distribution that does not sum to 1; with rational functions that sum to 1 the only
    per-sample condition left is that each lies in [0, 1].
    """
    import sympy as sp

    for e in exprs:
        if e.atoms(sp.Float) or not e.is_rational_function():
            return False
    return bool(sp.simplify(sp.Add(*exprs) - 1) == 0)


def _probability_checks(probs: Sequence[Array]) -> tuple[Mask, Mask]:
    """``(invalid, unsure)``: samples where the file rejects a probability (clearly outside
    [0, 1]), or where one is within the tolerance of an end without being on it.
    """
    size = probs[0].shape[0]
    invalid = np.zeros(size, dtype=bool)
    unsure = np.zeros(size, dtype=bool)
    for p in probs:
        invalid |= (p < -TOLERANCE) | (p > 1 + TOLERANCE)
        unsure |= ((np.abs(p) <= TOLERANCE) & (p != 0)) | ((np.abs(p - 1) <= TOLERANCE) & (p != 1))
        unsure |= ~np.isfinite(p)
    return invalid, unsure & ~invalid


def _dead(probs: Array) -> Mask:
    """Samples where a chance probability is at most ``_MIN_PROBABILITY`` (decided exactly:
    a type of probability 0 changes which beliefs Bayes' rule pins)."""
    return np.asarray((probs <= _MIN_PROBABILITY).any(axis=0))


def _not_finite(*arrays: Array) -> Mask:
    """Samples (the last axis of each array) where any of ``arrays`` is not finite."""
    bad = np.zeros(arrays[0].shape[-1], dtype=bool)
    for a in arrays:
        bad |= ~np.isfinite(a).reshape(-1, a.shape[-1]).all(axis=0)
    return bad


def _finite(x: Array) -> Array:
    """``x`` with every value that is not finite set to 0 (those samples are decided exactly)."""
    return np.where(np.isfinite(x), x, 0.0)


def _quiet(run: Callable[[Columns], Codes]) -> Callable[[Columns], Codes]:
    """``run`` with numpy's floating-point warnings off: values that overflow or are not
    defined are caught as not finite and decided exactly."""

    def quiet(c: Columns) -> Codes:
        with np.errstate(all="ignore"):
            return run(c)

    return quiet


def _finish(codes: Codes, unsure: Mask, invalid: Mask) -> Codes:
    """Mark ``unsure`` samples EXACT, then ``invalid`` ones UNDECIDED (the file rejects them)."""
    codes[unsure] = EXACT
    codes[invalid] = UNDECIDED
    return codes


# -- pure perfect Bayesian equilibria of a tree with nature's move at the root ----------------
@dataclass(frozen=True)
class _Check:
    """Sequential rationality at one information set under one pure profile.

    ``pairs[b][j]`` are the children reached at member ``j`` by the chosen action and by
    alternative ``b``. ``weights[j]`` is ``(type, factor)``: the member's Bayes weight is the
    probability of ``type`` (``-1``: 1) times ``factor`` (0 or 1); ``None``: the belief is free.
    """

    player: int
    pairs: tuple[tuple[tuple[int, int], ...], ...]
    weights: tuple[tuple[int, int], ...] | None


@dataclass(frozen=True)
class _Profile:
    """A pure behaviour profile: the action per information set and what to check."""

    choice: Mapping[int, int]
    steps: tuple[tuple[int, int], ...]
    checks: tuple[_Check, ...]


class _PureBayes:
    """The pure PBE of a tree at every sample, for trees with nature's move at the root only.

    Mirrors :func:`equishift.solver.pbe.perfect_bayesian_equilibria` on this family, assuming
    every chance probability is positive (samples where one is not are decided exactly):

    * an information set's belief is pinned by the probability that chance and the *other*
      players reach its nodes; when that is zero everywhere, from the lowest common ancestor
      of its nodes when that is a decision node alone in its information set; else it is free;
    * each chosen action must be at least as good as every alternative given the belief; at a
      free set some belief must support it (one alternative: some node where it is; two nodes:
      Fourier--Motzkin on the belief interval; other free sets are not handled).

    Raises
    ------
    ValueError
        For a tree outside the family (chance elsewhere than at the root, no perfect recall,
        too many profiles, a free set it cannot check).
    """

    def __init__(self, game: ExtensiveFormGame) -> None:
        tree = game.tree
        kind = [int(k) for k in tree.kind.tolist()]
        if kind[0] != CHANCE or CHANCE in kind[1:]:
            raise ValueError("expected nature's move at the root and nowhere else")
        if not game.has_perfect_recall:
            raise ValueError("the tree lacks perfect recall")
        self.n_nodes = game.n_nodes
        self.n_players = game.n_players
        self.parent = [int(p) for p in tree.parent.tolist()]
        self.infoset = [int(h) for h in tree.infoset.tolist()]
        self.player = [int(p) for p in tree.player.tolist()]
        self.kind = kind
        self.kids = [game.children(v) for v in range(self.n_nodes)]
        self.infos = game.all_infosets
        self.sets = [g for g, h in enumerate(self.infos) if h.player >= 0]
        if math.prod(self.infos[g].n_actions for g in self.sets) > _MAX_PROFILES:
            raise ValueError("too many pure profiles to enumerate")
        self.type_of = [-1] * self.n_nodes
        action = [int(a) for a in tree.action.tolist()]
        for v in range(1, self.n_nodes):
            p = self.parent[v]
            self.type_of[v] = action[v] if p == 0 else self.type_of[p]
        self.depth_paths = [self._path(v) for v in range(self.n_nodes)]
        self.profiles = [
            self._profile(dict(zip(self.sets, choice, strict=True)))
            for choice in itertools.product(*(range(self.infos[g].n_actions) for g in self.sets))
        ]

    def _path(self, v: int) -> tuple[int, ...]:
        out = [v]
        while self.parent[out[-1]] >= 0:
            out.append(self.parent[out[-1]])
        return tuple(reversed(out))

    def _indicator(self, choice: Mapping[int, int], skip: int, start: int, v: int) -> int:
        """1 when the players other than ``skip`` lead from ``start`` to ``v`` (chance aside)."""
        path = self.depth_paths[v]
        k = path.index(start)
        for p, child in zip(path[k:], path[k + 1 :], strict=False):
            chosen = self.kids[p][choice[self.infoset[p]]] if self.kind[p] == DECISION else child
            if self.player[p] != skip and chosen != child:
                return 0
        return 1

    def _lca(self, nodes: Sequence[int]) -> int:
        paths = [self.depth_paths[v] for v in nodes]
        k = 0
        while all(len(p) > k for p in paths) and len({p[k] for p in paths}) == 1:
            k += 1
        return paths[0][k - 1]

    def _profile(self, choice: dict[int, int]) -> _Profile:
        steps = tuple(
            (v, self.kids[v][choice[self.infoset[v]]])
            for v in range(self.n_nodes - 1, 0, -1)
            if self.kind[v] == DECISION
        )
        checks = []
        for g in self.sets:
            h = self.infos[g]
            i = h.player
            a = choice[g]
            pairs = tuple(
                tuple((self.kids[v][a], self.kids[v][b]) for v in h.members)
                for b in range(h.n_actions)
                if b != a
            )
            if not pairs:
                continue
            weights: tuple[tuple[int, int], ...] | None
            if len(h.members) == 1:
                weights = ((-1, 1),)
            else:
                direct = [self._indicator(choice, i, 0, v) for v in h.members]
                if any(direct):
                    weights = tuple(
                        (self.type_of[v], f) for v, f in zip(h.members, direct, strict=True)
                    )
                else:
                    weights = None
                    c = self._lca(h.members)
                    if self.kind[c] == DECISION and len(self.infos[self.infoset[c]].members) == 1:
                        sub = [self._indicator(choice, i, c, v) for v in h.members]
                        if any(sub):
                            weights = tuple((-1, f) for f in sub)
                if weights is None and len(pairs) > 1 and len(h.members) > 2:
                    raise ValueError("a free information set with more than two nodes")
            checks.append(_Check(i, pairs, weights))
        return _Profile(choice, steps, tuple(checks))

    def run(self, pay: Array, prob: Array) -> tuple[Mask, Mask]:
        """``(certain, maybe)`` per profile and sample, shapes ``(P, S)``.

        ``pay`` holds each node's payoffs, shape ``(n_nodes, S, n_players)``; ``prob`` the root's
        chance probabilities, shape ``(k, S)``. ``certain``: the profile is a PBE, with every
        deciding comparison clear of the tolerance; ``maybe``: no comparison clearly fails but
        one is within the tolerance.
        """
        size = pay.shape[1]
        absolute = np.abs(pay).max(axis=2)
        along = np.zeros((self.n_nodes, size))
        for v in range(self.n_nodes):
            up = self.parent[v]
            along[v] = absolute[v] + (along[up] if up >= 0 else 0.0)
        scale = np.maximum(1.0, along.max(axis=0))
        eps = TOLERANCE * scale
        eps2 = 4 * TOLERANCE * scale * scale
        n = len(self.profiles)
        certain = np.zeros((n, size), dtype=bool)
        maybe = np.zeros((n, size), dtype=bool)
        for k, prof in enumerate(self.profiles):
            val = pay.copy()
            for v, kid in prof.steps:
                val[v] += val[kid]
            fail = np.zeros(size, dtype=bool)
            near = np.zeros(size, dtype=bool)
            for chk in prof.checks:
                for x, tol in self._values(chk, val, prob, eps, eps2):
                    fail |= x < -tol
                    near |= np.abs(x) <= tol
            certain[k] = ~fail & ~near
            maybe[k] = ~fail & near
        return certain, maybe

    @staticmethod
    def _values(
        chk: _Check, val: Array, prob: Array, eps: Array, eps2: Array
    ) -> list[tuple[Array, Array]]:
        """``(x, tol)`` pairs; the check holds iff every ``x >= 0`` (exactly)."""
        i = chk.player
        rows = [np.stack([val[a, :, i] - val[b, :, i] for a, b in alt]) for alt in chk.pairs]
        if chk.weights is not None:
            w = np.stack(
                [prob[t] * f if t >= 0 else np.full(eps.shape, float(f)) for t, f in chk.weights]
            )
            total = w.sum(axis=0)
            return [((r * w).sum(axis=0), eps * total) for r in rows]
        if len(rows) == 1:
            # some belief supports the action iff it is as good at some node
            return [(rows[0].max(axis=0), eps)]
        # two nodes, belief (x, 1 - x): each row is c + e x >= 0 on [0, 1]; Fourier--Motzkin
        ones = np.ones_like(eps)
        cons = [(r[1], r[0] - r[1]) for r in rows] + [(0.0 * ones, ones), (ones, -ones)]
        out: list[tuple[Array, Array]] = []
        for c, e in cons:
            out.append((np.where(e == 0, c, np.inf), eps))
        for (ck, ek), (cl, el) in itertools.combinations(cons, 2):
            opposite = ek * el < 0
            x = np.where(opposite, np.sign(ek) * (cl * ek - ck * el), np.inf)
            out.append((x, eps2))
        return out


def _verdict_codes(
    certain: Mask, maybe: Mask, hit: NDArray[np.bool_], *, hit_works: bool, none: int
) -> Codes:
    """Codes from the profiles' PBE status and which profiles ``hit`` (meet the criterion).

    ``hit_works``: a PBE that hits makes it work (separating) or fail (action played). With
    no PBE at all the verdict is ``none``.
    """
    any_hit = certain[hit].any(axis=0)
    maybe_hit = maybe[hit].any(axis=0)
    if hit_works:
        codes = np.where(any_hit, WORKS, np.where(maybe_hit, EXACT, FAILS))
    else:
        some = certain.any(axis=0)
        some_maybe = maybe.any(axis=0)
        codes = np.where(
            any_hit,
            FAILS,
            np.where(maybe_hit, EXACT, np.where(some, WORKS, np.where(some_maybe, EXACT, none))),
        )
    return codes.astype(np.int8)


# -- rule: a tree with nature's move at the root, action avoided in every pure PBE ------------
def _uncertain_first_mover(game: ExtensiveFormGame) -> bool:
    """The shape of the rule's family (see the module docstring)."""
    tree = game.tree
    kind = [int(k) for k in tree.kind.tolist()]
    if kind[0] != CHANCE or CHANCE in kind[1:]:
        return False
    types = game.children(0)
    if len(types) < 2 or any(kind[v] != DECISION for v in types):
        return False
    first = game.node_infoset(types[0])
    if first is None or tuple(first.members) != tuple(types):
        return False
    # below the first set: perfect information within each type's continuation
    type_of: dict[int, int] = {}
    for v in range(1, game.n_nodes):
        p = int(tree.parent[v])
        type_of[v] = v if p == 0 else type_of[p]
    for h in game.all_infosets:
        if h.player < 0 or (h.player, h.index) == (first.player, first.index):
            continue
        roots = [type_of[v] for v in h.members]
        if len(set(roots)) != len(roots):
            return False
    return True


def _route(game: ExtensiveFormGame, v: int) -> str:
    """The file's key path of node ``v`` (``"/Resolute/Strike"``), as the scenario binds it."""
    tree = game.tree
    parts: list[str] = []
    while int(tree.parent[v]) >= 0:
        p = int(tree.parent[v])
        h = game.all_infosets[int(tree.infoset[p])]
        labels = h.file_actions if len(h.file_actions) == h.n_actions else h.actions
        parts.append(labels[int(tree.action[v])] or h.actions[int(tree.action[v])])
        v = p
    return "".join(f"/{a}" for a in reversed(parts))


@dataclass(frozen=True)
class _TreeData:
    """Payoff functions per node and player, and the root's chance probabilities."""

    payoffs: tuple[tuple[Fn, ...], ...]
    chance: tuple[Fn, ...]


def _tree_data(ctx: Context, name: str, base: ExtensiveFormGame) -> _TreeData | None:
    """Every binding of the file's tree as functions; ``None`` when one is left unread."""
    bound = ctx.scenario.bindings.get(name, {})
    used: set[str] = set()
    pays = base.node_payoffs()
    nodes: list[tuple[Fn, ...]] = []
    for v in range(base.n_nodes):
        route = _route(base, v)
        row = []
        for i in range(base.n_players):
            key = f"payoffs{route}[{i}]"
            used.add(key)
            fn = ctx.field(name, key, pays[v, i])
            assert fn is not None
            row.append(fn)
        nodes.append(tuple(row))
    root = base.node_infoset(0)
    assert root is not None and root.probs is not None
    labels = root.file_actions if len(root.file_actions) == root.n_actions else root.actions
    keys = [f"chance/{a}" for a in labels]
    used.update(keys)
    if set(bound) - used:
        return None  # a binding this rule does not know where to put
    exprs = [_expression(ctx, name, k, p) for k, p in zip(keys, root.probs, strict=True)]
    if not _exact_distribution(exprs):
        return None
    chance = []
    for k, p in zip(keys, root.probs, strict=True):
        fn = ctx.field(name, k, p)
        assert fn is not None
        chance.append(fn)
    return _TreeData(tuple(nodes), tuple(chance))


@batch_rule("tree-avoided")
def _tree_avoided(ctx: Context) -> Callable[[Columns], Codes] | None:
    """An action avoided in every pure PBE of a tree with an uncertain first mover."""
    crit = ctx.recommendation.criterion
    if not isinstance(crit, ActionAvoided):
        return None
    name = ctx.target
    base = ctx.scenario.games.get(name)
    if not isinstance(base, ExtensiveFormGame) or not _uncertain_first_mover(base):
        return None
    data = _tree_data(ctx, name, base)
    if data is None:
        return None
    root = base.node_infoset(0)
    assert root is not None
    chance: list[Fn] = list(data.chance)
    reformed = base
    for t in ctx.recommendation.transforms:
        if not isinstance(t, tf.SetChance) or tuple(t.actions) != tuple(root.actions):
            return None  # another transform, or one the exact path rejects: not ours
        reformed = t.apply(reformed)
        chance = [_const(float(p)) for p in t.probabilities]
    # the reformed tree must be the same tree (same nodes in the same order)
    if reformed.n_nodes != base.n_nodes or any(
        reformed.path(v) != base.path(v) for v in range(base.n_nodes)
    ):
        return None
    if crit.player not in reformed.players:
        return None
    i = reformed.players.index(crit.player)
    sets = [
        (g, h.actions.index(crit.action))
        for g, h in enumerate(reformed.all_infosets)
        if h.player == i and crit.action in h.actions
    ]
    if not sets:
        return None
    try:
        engine = _PureBayes(reformed)
    except ValueError:
        return None
    plays = np.array([any(p.choice[g] == a for g, a in sets) for p in engine.profiles])
    baseline = data.chance

    @_quiet
    def run(c: Columns) -> Codes:
        pay = np.stack([np.stack([f(c) for f in row], axis=-1) for row in data.payoffs])
        probs = np.stack([f(c) for f in chance])
        invalid, unsure = _probability_checks([f(c) for f in baseline])
        unsure |= _dead(probs) | _not_finite(np.moveaxis(pay, 1, -1), probs)
        certain, maybe = engine.run(_finite(pay), _finite(probs))
        codes = _verdict_codes(certain, maybe, plays, hit_works=False, none=UNDECIDED)
        return _finish(codes, unsure, invalid)

    return run


# -- rule: a signalling game and a separating equilibrium -------------------------------------
@batch_rule("signalling-separating")
def _signalling_separating(ctx: Context) -> Callable[[Columns], Codes] | None:
    """A separating pure PBE meeting a type with an action, after costly signals are added."""
    crit = ctx.recommendation.criterion
    if not isinstance(crit, SeparatingExists):
        return None
    name = ctx.target
    game = ctx.scenario.games.get(name)
    if not isinstance(game, SignallingGame):
        return None
    if crit.sender_type not in game.types or crit.action not in game.actions:
        return None
    bound = ctx.scenario.bindings.get(name, {})
    prior_keys = [f"types.{t}" for t in game.types]
    cells: dict[tuple[str, str, str], tuple[Fn, Fn]] = {}
    used = set(prior_keys)
    for t, m, a in itertools.product(game.types, game.messages, game.actions):
        fns = []
        for i, v in enumerate(game.payoff(t, m, a)):
            key = f"payoffs.{t}, {m}, {a}[{i}]"
            used.add(key)
            fn = ctx.field(name, key, v)
            assert fn is not None
            fns.append(fn)
        cells[(t, m, a)] = (fns[0], fns[1])
    if set(bound) - used:
        return None
    exprs = [
        _expression(ctx, name, k, game.prior[t])
        for k, t in zip(prior_keys, game.types, strict=True)
    ]
    if not _exact_distribution(exprs):
        return None
    priors: list[Fn] = []
    for k, t in zip(prior_keys, game.types, strict=True):
        fn = ctx.field(name, k, game.prior[t])
        assert fn is not None
        priors.append(fn)
    sizes: list[Fn] = []
    reformed = game
    for tr in ctx.recommendation.transforms:
        if not isinstance(tr, tf.AddCostlySignal):
            return None
        try:
            reformed = tr.apply(reformed)
        except GameError:
            return None  # the exact path rejects it at every sample: not ours
        size = _linked(ctx, tr, "size")
        sizes.append(size)
        cost = {t: float(k) for t, k in zip(tr.types, tr.unit_costs, strict=True)}
        for t, a in itertools.product(game.types, game.actions):
            sender, receiver = cells[(t, tr.base, a)]

            def paid(c: Columns, sender: Fn = sender, k: float = cost[t], s: Fn = size) -> Array:
                out: Array = sender(c) - k * s(c)
                return out

            cells[(t, tr.message, a)] = (paid, receiver)
    tree = reformed.to_extensive()
    try:
        engine = _PureBayes(tree)
    except ValueError:
        return None  # e.g. a free set of three types with three replies
    by_label = {(tree.players[h.player], h.label): g for g, h in enumerate(tree.all_infosets)}
    sends = [by_label[(reformed.sender, reformed.sender_infoset(t))] for t in reformed.types]
    answers = {
        m: by_label[(reformed.receiver, reformed.receiver_infoset(m))] for m in reformed.messages
    }
    own = reformed.types.index(crit.sender_type)
    wanted = reformed.actions.index(crit.action)
    hits = []
    for prof in engine.profiles:
        msgs = [reformed.messages[prof.choice[g]] for g in sends]
        separating = len(msgs) > 1 and len(set(msgs)) == len(msgs)
        hits.append(separating and prof.choice[answers[msgs[own]]] == wanted)
    hit = np.array(hits, dtype=bool)
    leaves: list[tuple[int, tuple[Fn, Fn]]] = []
    for v in range(tree.n_nodes):
        path = tree.path(v)
        if len(path) == 3:
            t, m, a = path
            leaves.append((v, cells[(t, m, a)]))

    @_quiet
    def run(c: Columns) -> Codes:
        pay = np.zeros((tree.n_nodes, c.size, 2))
        for v, (fs, fr) in leaves:
            pay[v, :, 0] = fs(c)
            pay[v, :, 1] = fr(c)
        probs = np.stack([f(c) for f in priors])
        invalid, unsure = _probability_checks(list(probs))
        unsure |= _dead(probs)
        for s in sizes:
            sv = s(c)
            invalid |= sv < 0
            unsure |= ~np.isfinite(sv)
        unsure |= _not_finite(np.moveaxis(pay, 1, -1), probs)
        certain, maybe = engine.run(_finite(pay), _finite(probs))
        codes = _verdict_codes(certain, maybe, hit, hit_works=True, none=FAILS)
        return _finish(codes, unsure, invalid)

    return run


# -- rule: a continuous race becomes stable ---------------------------------------------------
def _hurwitz(jac: Array) -> tuple[Mask, Mask]:
    """``(stable, unsure)`` of ``J`` (shape ``(S, N, N)``) by Routh--Hurwitz, in floats.

    As :func:`equishift.solver.continuous.stability`: stable iff every leading minor of the
    Hurwitz matrix of ``det(sI - J)`` is positive. ``unsure`` marks samples where a minor is
    within the tolerance of 0, relative to a bound on its size (Hadamard's, from bounds on the
    coefficients, ``|c_k| <= C(N, k) rho^k`` with ``rho`` the largest absolute row sum).
    """
    size, n, _ = jac.shape
    eye = np.broadcast_to(np.eye(n), jac.shape)
    coeffs = [np.ones(size)]
    mk = np.zeros_like(jac)
    for k in range(1, n + 1):  # Faddeev--LeVerrier
        mk = jac @ mk + coeffs[-1][:, None, None] * eye
        coeffs.append(-np.trace(jac @ mk, axis1=1, axis2=2) / k)
    rho = np.abs(jac).sum(axis=2).max(axis=1)
    bounds = [math.comb(n, k) * rho**k for k in range(n + 1)]

    def entry(seq: Sequence[Array], k: int) -> Array:
        return seq[k] if 0 <= k <= n else np.zeros(size)

    hur = np.stack(
        [np.stack([entry(coeffs, 2 * (j + 1) - (i + 1)) for j in range(n)], -1) for i in range(n)],
        1,
    )
    hb = np.stack(
        [np.stack([entry(bounds, 2 * (j + 1) - (i + 1)) for j in range(n)], -1) for i in range(n)],
        1,
    )
    stable = np.ones(size, dtype=bool)
    negative = np.zeros(size, dtype=bool)
    near = np.zeros(size, dtype=bool)
    for k in range(1, n + 1):
        minor = np.linalg.det(hur[:, :k, :k])
        hadamard = np.sqrt((hb[:, :k, :k] ** 2).sum(axis=2)).prod(axis=1)
        tol = TOLERANCE * np.maximum(1.0, hadamard)
        stable &= minor > tol
        negative |= minor < -tol
        near |= np.abs(minor) <= tol
    return stable, near & ~negative


@batch_rule("race-stable")
def _race_stable(ctx: Context) -> Callable[[Columns], Codes] | None:
    """A continuous race whose equilibrium is stable after the change (continuous time)."""
    if not isinstance(ctx.recommendation.criterion, BecomesStable):
        return None
    name = ctx.target
    game = ctx.scenario.games.get(name)
    if not isinstance(game, LinearResponseGame):
        return None
    n = game.n_players
    if any(f"reactions[{i}][{i}]" in ctx.scenario.bindings.get(name, {}) for i in range(n)):
        return None
    f = ctx.field
    fatigue = [f(name, f"fatigue[{i}]", game.fatigue[i]) for i in range(n)]
    grievance = [f(name, f"grievances[{i}]", game.grievances[i]) for i in range(n)]
    reaction = [
        [f(name, f"reactions[{i}][{j}]", game.reactions[i][j]) for j in range(n)] for i in range(n)
    ]
    base: dict[tuple[str, int, int], Fn] = {}
    for i in range(n):
        base[("fatigue", i, i)] = _known(fatigue[i])
        base[("grievance", i, i)] = _known(grievance[i])
        for j in range(n):
            if i != j:
                base[("reaction", i, j)] = _known(reaction[i][j])
    slots = dict(base)
    for t in ctx.recommendation.transforms:
        try:
            slot = game.slot(t.name) if isinstance(t, tf.SetParameter | tf.ShiftParameter) else None
        except GameError:
            return None
        if slot is None:
            return None
        if isinstance(t, tf.SetParameter):
            slots[slot] = _linked(ctx, t, "value")
        else:
            slots[slot] = _plus(slots[slot], _linked(ctx, t, "by"))

    @_quiet
    def run(c: Columns) -> Codes:
        def matrix(values: Mapping[tuple[str, int, int], Fn]) -> Array:
            jac = np.zeros((c.size, n, n))
            for (kind, i, j), fn in values.items():
                if kind == "fatigue":
                    jac[:, i, i] = -fn(c)
                elif kind == "reaction":
                    jac[:, i, j] = fn(c)
            return jac

        before, after = matrix(base), matrix(slots)
        invalid = np.zeros(c.size, dtype=bool)
        unsure = _not_finite(np.moveaxis(before, 0, -1), np.moveaxis(after, 0, -1))
        for key in [("grievance", i, i) for i in range(n)]:
            unsure |= _not_finite(base[key](c)[None, :], slots[key](c)[None, :])
        for jac in (before, after):  # the file, then the change, need positive fatigue
            diag = -np.diagonal(jac, axis1=1, axis2=2)
            invalid |= (diag < -TOLERANCE).any(axis=1)
            unsure |= (np.abs(diag) <= TOLERANCE).any(axis=1)
        stable, near = _hurwitz(_finite(after))
        codes = np.where(stable, WORKS, FAILS).astype(np.int8)
        return _finish(codes, near | unsure, invalid)

    return run


def _plus(first: Fn, second: Fn) -> Fn:
    return lambda c: first(c) + second(c)


def _known(fn: Fn | None) -> Fn:
    if fn is None:  # pragma: no cover - every field of a race has a value
        raise ValueError("a field of the race has no value")
    return fn
