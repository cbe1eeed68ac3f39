"""The rules of :mod:`equishift.recommendations.vectorised` for the bundled game families.

Each rule reads a :class:`~equishift.recommendations.vectorised.Context`, returns ``None``
unless it knows every part of the recommendation (game form, each transform, criterion), and
otherwise a function from parameter columns to verdict codes. See the module docstring of
:mod:`~equishift.recommendations.vectorised` for the codes and the tolerance.

Examples
--------
>>> from equishift.recommendations.robustness import ScenarioBuilder
>>> from equishift.recommendations.vectorised import compile_verdict
>>> compile_verdict(ScenarioBuilder("linked-korea-dialogue"), "R4").rule
'linked-threshold'
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..games.normal_form import NormalFormGame
from ..games.parametric import ParametricGame
from ..games.repeated import LinkedGame, RepeatedGame
from . import transforms as tf
from .recommendation import TargetIsEquilibrium, TargetIsSelected, TargetIsUnique, ThresholdBelow
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


# -- shared pieces ----------------------------------------------------------------------------
def _ix(*parts: Any) -> Any:
    """An index tuple (typed loosely: numpy's stubs do not model mixed index tuples)."""
    return tuple(parts)


def _eps(scale: Array) -> Array:
    """Absolute tolerance per sample for quantities of size ``scale``."""
    return TOLERANCE * np.maximum(1.0, scale)


def _best_response_gaps(u: Array) -> list[Array]:
    """Per player i, ``max over own strategies - u_i`` at every cell: shape ``(S, *shape)``."""
    n = u.shape[-1]
    gaps = []
    for i in range(n):
        ui = u[..., i]
        best = ui.max(axis=1 + i, keepdims=True)
        gaps.append(best - ui)
    return gaps


def pure_equilibria(u: Array) -> tuple[NDArray[np.bool_], NDArray[np.bool_], NDArray[np.bool_]]:
    """Pure equilibria of every sample's game ``u`` (shape ``(S, *shape, n)``).

    Returns ``(equilibrium, strict, unsure)``: boolean masks of shape ``(S, *shape)`` for
    equilibrium cells and strict equilibrium cells, and a per-sample mask ``(S,)`` of samples
    where a best-response comparison is within the tolerance without being an exact float tie.
    """
    scale = np.abs(u).reshape(u.shape[0], -1).max(axis=1)
    eps = _eps(scale).reshape((-1,) + (1,) * (u.ndim - 2))
    gaps = _best_response_gaps(u)
    eq = np.ones(u.shape[:-1], dtype=bool)
    unsure = np.zeros(u.shape[0], dtype=bool)
    strict = np.ones(u.shape[:-1], dtype=bool)
    for i, g in enumerate(gaps):
        eq &= g == 0
        near = (g > 0) & (g <= eps)
        unsure |= near.reshape(u.shape[0], -1).any(axis=1)
        # strict: the cell's own payoff beats every other own strategy by more than eps
        ui = u[..., i]
        others = np.sort(ui, axis=1 + i)
        second = np.take(others, -2, axis=1 + i) if ui.shape[1 + i] > 1 else None
        if second is not None:
            best = np.take(others, -1, axis=1 + i)
            margin = np.expand_dims(best - second, 1 + i)
            strict &= (g == 0) & (margin > 0)
            unsure |= (
                ((margin > 0) & (margin <= eps) & (g == 0)).reshape(u.shape[0], -1).any(axis=1)
            )
    return eq, strict & eq, unsure


@functools.cache
def _trigger_coefficients() -> Callable[..., tuple[Any, Any]]:
    """``(A, B)`` of the trigger constraint ``A + B delta <= 0`` as a numpy function."""
    import sympy as sp

    from ..solver.repeated import _derived

    _, args, a, b = _derived()
    fn: Callable[..., tuple[Any, Any]] = sp.lambdify(args, (sp.expand(a), sp.expand(b)), "numpy")
    return fn


def critical_deltas(
    u: Array, target: tuple[int, ...], q: Array, eps: Array, lam: Array
) -> tuple[Array, NDArray[np.bool_]]:
    """δ* of grim trigger towards the worst pure stage equilibrium, for every sample.

    Mirrors :func:`equishift.solver.repeated.critical_delta` with ``punishment="nash"``:
    ``inf`` where no δ < 1 sustains the target. The mask marks samples to decide exactly
    (no pure stage equilibrium to revert to, or a close call).
    """
    s = u.shape[0]
    eq, _strict, unsure = pure_equilibria(u)
    has_eq = eq.reshape(s, -1).any(axis=1)
    exact = unsure.copy()
    mixed_v = None
    if u.shape[1:] == (2, 2, 2):
        # A 2x2 game without a pure equilibrium has one, mixed, in which each player gets
        # det(U_i) / (U_i[0,0] - U_i[0,1] - U_i[1,0] + U_i[1,1]).
        mixed_v = []
        for i in range(2):
            a = u[..., i]
            den = a[:, 0, 0] - a[:, 0, 1] - a[:, 1, 0] + a[:, 1, 1]
            det = a[:, 0, 0] * a[:, 1, 1] - a[:, 0, 1] * a[:, 1, 0]
            small = np.abs(den) <= _eps(np.abs(a).reshape(s, -1).max(axis=1))
            exact |= ~has_eq & small
            with np.errstate(divide="ignore", invalid="ignore"):
                mixed_v.append(np.where(small, np.nan, det / np.where(small, 1.0, den)))
    else:
        exact |= ~has_eq
    n = u.shape[-1]
    star = np.zeros(s)
    scale = np.abs(u).reshape(s, -1).max(axis=1)
    tol = _eps(scale)
    coefficients = _trigger_coefficients()
    for i in range(n):
        ui = u[..., i]
        flat_eq = eq.reshape(s, -1)
        vals = np.where(flat_eq, ui.reshape(s, -1), np.inf)
        v = vals.min(axis=1)
        if mixed_v is not None:
            v = np.where(has_eq, v, mixed_v[i])
        at = ui[_ix(slice(None), *target)]
        row = ui[_ix(slice(None), *target[:i], slice(None), *target[i + 1 :])]
        k = target[i]
        others = np.delete(row, k, axis=1)
        if others.shape[1] == 0:
            continue
        d = others.max(axis=1)
        a, b = coefficients(at, d, np.where(np.isfinite(v), v, 0.0), q, eps, lam)
        a = np.broadcast_to(np.asarray(a, dtype=np.float64), (s,))
        b = np.broadcast_to(np.asarray(b, dtype=np.float64), (s,))
        with np.errstate(divide="ignore", invalid="ignore"):
            root = np.where(b < 0, -a / b, np.nan)
        si = np.where(
            b < 0,
            np.where(root >= 1, np.inf, np.maximum(root, 0.0)),
            np.where((a + b <= 0) & (a <= 0), 0.0, np.inf),
        )
        # close calls: b near 0, the root near 1 or 0, a + b or a near 0
        # With b near 0 the sign of a alone decides (never / always), whichever side b is.
        exact |= (np.abs(b) <= tol) & (np.abs(a) <= tol)
        exact |= (b < 0) & (np.abs(root - 1) <= TOLERANCE)
        exact |= (b >= 0) & ((np.abs(a + b) <= tol) | (np.abs(a) <= tol))
        star = np.maximum(star, si)
    return star, exact


def _verdict_from_threshold(delta: Array, star: Array, exact: NDArray[np.bool_]) -> Codes:
    codes = np.where(delta >= star, WORKS, FAILS).astype(np.int8)
    codes[np.isfinite(star) & (np.abs(delta - star) <= TOLERANCE)] = EXACT
    codes[exact | ~np.isfinite(delta)] = EXACT
    return codes


def _profile_index(
    game: NormalFormGame | ParametricGame, profile: Sequence[str]
) -> tuple[int, ...]:
    if len(profile) != game.n_players:
        raise ValueError("the profile does not name every player's strategy")
    return game.profile_index(profile)


# -- rule: a verdict that no sampled parameter can change ------------------------------------
@batch_rule("constant")
def _constant(ctx: Context) -> Callable[[Columns], Codes] | None:
    """The target game has no parameter in it and the change no number linked to one."""
    name = ctx.target
    game = ctx.scenario.games.get(name)
    if game is None or isinstance(game, ParametricGame) or ctx.scenario.bindings.get(name):
        return None
    spec = ctx.spec(name)
    if any(k in spec for k in ("stage", "games", "gambit", "tree")):
        return None  # refers to other games (or a file): not provably constant here
    for t in ctx.recommendation.transforms:
        if dataclasses.is_dataclass(t) and any(
            f.name in ctx.scenario.parameters for f in dataclasses.fields(t)
        ):
            return None
    from .evaluate import FAILS as FAILS_TEXT
    from .evaluate import WORKS as WORKS_TEXT
    from .evaluate import evaluate

    status = evaluate(ctx.recommendation, ctx.scenario.games).verdict.status
    code = {WORKS_TEXT: WORKS, FAILS_TEXT: FAILS}.get(status, UNDECIDED)
    return lambda c: np.full(c.size, code, dtype=np.int8)


# -- rule: a repeated game and its critical discount factor ----------------------------------
@dataclass
class _Repeated:
    """A repeated game in array form: stage payoffs and the fields of RepeatedGame."""

    stage: Fn
    delta: Fn | None
    detection: Fn
    false_alarm: Fn
    lapse: Fn
    rate: Fn | None
    interval: Fn | None
    relative_gains: Fn


def _const(x: float) -> Fn:
    return lambda c: np.full(c.size, x)


def _repeated_from_target(ctx: Context) -> tuple[_Repeated, NormalFormGame, list[Any]] | None:
    """The target as a repeated game, and the transforms still to apply."""
    name = ctx.target
    game = ctx.scenario.games.get(name)
    transforms = list(ctx.recommendation.transforms)
    if isinstance(game, RepeatedGame):
        stage_name = ctx.spec(name).get("stage")
        if not isinstance(stage_name, str):
            return None
        stage = ctx.payoffs(stage_name)
        if stage is None:
            return None
        f = ctx.field
        rec = _Repeated(
            stage,
            f(name, "delta", game.delta),
            f(name, "detection", game.detection) or _const(1.0),
            f(name, "false_alarm", game.false_alarm) or _const(0.0),
            f(name, "lapse", game.lapse) or _const(0.0),
            f(name, "rate", game.rate),
            f(name, "contact_interval", game.contact_interval),
            f(name, "relative_gains", game.relative_gains) or _const(0.0),
        )
        return rec, game.stage, transforms
    if isinstance(game, ParametricGame | NormalFormGame) and transforms:
        first = transforms[0]
        if not isinstance(first, tf.MakeRepeated):
            return None
        stage = ctx.payoffs(name)
        if stage is None:
            return None
        p = ctx.parameter_value

        def opt(field: str) -> Fn | None:
            value = getattr(first, field)
            if value is None and field not in ctx.scenario.parameters:
                return None
            return p(field, value)

        rec = _Repeated(
            stage,
            opt("delta"),
            p("detection", first.detection),
            p("false_alarm", first.false_alarm),
            p("lapse", first.lapse),
            opt("rate"),
            opt("contact_interval"),
            _const(0.0),
        )
        base = game.default() if isinstance(game, ParametricGame) else game
        return rec, base, transforms[1:]
    return None


def _apply_repeated(ctx: Context, rec: _Repeated, t: Any) -> bool:
    """Apply transform ``t`` to ``rec`` in place; False when the rule does not know it."""
    p = ctx.parameter_value
    if isinstance(t, tf.SetMonitoring):
        rec.detection = p("detection", t.detection)
        rec.false_alarm = p("false_alarm", t.false_alarm)
    elif isinstance(t, tf.SetLapse):
        rec.lapse = p("lapse", t.lapse)
    elif isinstance(t, tf.SetContact):
        rec.delta = None
        rec.rate = p("rate", t.rate)
        rec.interval = p("contact_interval", t.contact_interval)
    elif isinstance(t, tf.SetRelativeGains):
        rec.relative_gains = p("weight", t.weight)
    else:
        return False
    return True


def _effective(u: Array, r: Array) -> Array:
    """Relative gains: ``a_i - r * mean of the others' payoffs``."""
    n = u.shape[-1]
    if n < 2:
        return u
    others = (u.sum(axis=-1, keepdims=True) - u) / (n - 1)
    rr = r.reshape((-1,) + (1,) * (u.ndim - 1))
    out: Array = u - rr * others
    return out


@batch_rule("repeated-threshold")
def _repeated_threshold(ctx: Context) -> Callable[[Columns], Codes] | None:
    crit = ctx.recommendation.criterion
    if not isinstance(crit, ThresholdBelow) or crit.kind != "delta_star":
        return None
    found = _repeated_from_target(ctx)
    if found is None:
        return None
    rec, stage_game, rest = found
    for t in rest:
        if not _apply_repeated(ctx, rec, t):
            return None
    target = _profile_index(stage_game, crit.profile)
    if rec.delta is None and (rec.rate is None or rec.interval is None):
        return None

    def run(c: Columns) -> Codes:
        u = _effective(rec.stage(c), rec.relative_gains(c))
        if rec.delta is not None:
            delta = rec.delta(c)
        else:
            assert rec.rate is not None and rec.interval is not None
            delta = np.exp(-rec.rate(c) * rec.interval(c))
        star, exact = critical_deltas(u, target, rec.detection(c), rec.false_alarm(c), rec.lapse(c))
        return _verdict_from_threshold(delta, star, exact)

    return run


# -- rule: linked issues ---------------------------------------------------------------------
def _combined(stages: Sequence[Array]) -> Array:
    """Every issue played at once (2 players): strategies are tuples, payoffs add up."""
    out = stages[0]
    for nxt in stages[1:]:
        s, a1, a2, n = out.shape
        _, b1, b2, _ = nxt.shape
        both = out[:, :, None, :, None, :] + nxt[:, None, :, None, :, :]
        out = both.reshape(s, a1 * b1, a2 * b2, n)
    return out


@batch_rule("linked-threshold")
def _linked_threshold(ctx: Context) -> Callable[[Columns], Codes] | None:
    crit = ctx.recommendation.criterion
    if not isinstance(crit, ThresholdBelow) or crit.kind != "delta_star":
        return None
    name = ctx.target
    game = ctx.scenario.games.get(name)
    if not isinstance(game, LinkedGame) or len(game.players) != 2:
        return None
    names = ctx.spec(name).get("games")
    if not isinstance(names, list) or len(names) != len(game.games):
        return None
    stages = [ctx.payoffs(str(n)) for n in names]
    if any(s is None for s in stages):
        return None
    linked = game.linked
    for t in ctx.recommendation.transforms:
        if isinstance(t, tf.Link):
            linked = True
        elif isinstance(t, tf.Delink):
            linked = False
        else:
            return None
    f = ctx.field
    delta = f(name, "delta", game.delta)
    if delta is None:
        return None
    q = f(name, "detection", game.detection) or _const(1.0)
    e = f(name, "false_alarm", game.false_alarm) or _const(0.0)
    breakdown = [f(name, f"breakdown[{j}]", b) or _const(0.0) for j, b in enumerate(game.breakdown)]
    targets = [_profile_index(g, crit.profile) for g in game.games]
    sizes = [g.shape for g in game.games]

    def run(c: Columns) -> Codes:
        us = [s(c) for s in stages if s is not None]
        d = delta(c)
        betas = [b(c) for b in breakdown]
        if linked:
            u = _combined(us)
            tgt = [0, 0]
            for (t1, t2), (n1, n2) in zip(targets, sizes, strict=True):
                tgt = [tgt[0] * n1 + t1, tgt[1] * n2 + t2]
            survival = np.prod(np.stack([1 - b for b in betas]), axis=0)
            star, exact = critical_deltas(u, (tgt[0], tgt[1]), q(c), e(c), 1 - survival)
        else:
            star = np.zeros(c.size)
            exact = np.zeros(c.size, dtype=bool)
            for u, t, b in zip(us, targets, betas, strict=True):
                sj, xj = critical_deltas(u, t, q(c), e(c), b)
                star = np.maximum(star, sj)
                exact |= xj
        return _verdict_from_threshold(d, star, exact)

    return run


# -- rule: a normal-form game, its pure equilibria and risk dominance ------------------------
def _shifted(ctx: Context, stage: Fn, game: NormalFormGame | ParametricGame) -> Fn | None:
    """Apply payoff shifts / sets; None for any other transform."""
    steps: list[Callable[[Columns, Array], None]] = []
    p = ctx.parameter_value
    for t in ctx.recommendation.transforms:
        if isinstance(t, tf.ShiftPayoffs | tf.SetPayoffs):
            values = t.deltas if isinstance(t, tf.ShiftPayoffs) else t.payoffs
            add = isinstance(t, tf.ShiftPayoffs)
            for prof, vals in zip(t.profiles, values, strict=True):
                idx = _profile_index(game, prof)
                fns = [p("", v) for v in vals]

                def step(
                    c: Columns,
                    u: Array,
                    idx: tuple[int, ...] = idx,
                    fns: list[Fn] = fns,
                    add: bool = add,
                ) -> None:
                    for i, fn in enumerate(fns):
                        cell = _ix(slice(None), *idx, i)
                        u[cell] = (u[cell] + fn(c)) if add else fn(c)

                steps.append(step)
        else:
            return None

    def run(c: Columns) -> Array:
        u = stage(c)
        for step in steps:
            step(c, u)
        return u

    return run


@batch_rule("normal-form")
def _normal_form(ctx: Context) -> Callable[[Columns], Codes] | None:
    crit = ctx.recommendation.criterion
    game = ctx.scenario.games.get(ctx.target)
    if not isinstance(game, ParametricGame | NormalFormGame):
        return None
    stage = ctx.payoffs(ctx.target)
    if stage is None:
        return None
    reformed = _shifted(ctx, stage, game)
    if reformed is None:
        return None
    target = _profile_index(game, crit.profile)  # type: ignore[attr-defined]
    if isinstance(crit, TargetIsSelected):
        if crit.rule != "risk" or game.shape != (2, 2):
            return None

        def selected(c: Columns) -> Codes:
            u = reformed(c)
            _eq, strict, unsure = pure_equilibria(u)
            s = c.size
            flat = strict.reshape(s, -1)
            count = flat.sum(axis=1)
            on_target = strict[_ix(slice(None), *target)]
            other = (1 - target[0], 1 - target[1])
            # With two strict equilibria in a 2x2 game they lie on a diagonal: compare
            # the products of the deviation losses (Harsanyi and Selten).
            loss_t = (
                u[_ix(slice(None), *target, 0)] - u[_ix(slice(None), other[0], target[1], 0)]
            ) * (u[_ix(slice(None), *target, 1)] - u[_ix(slice(None), target[0], other[1], 1)])
            loss_o = (
                u[_ix(slice(None), *other, 0)] - u[_ix(slice(None), target[0], other[1], 0)]
            ) * (u[_ix(slice(None), *other, 1)] - u[_ix(slice(None), other[0], target[1], 1)])
            scale = np.abs(u).reshape(s, -1).max(axis=1)
            two = count == 2
            both_diag = two & on_target & strict[_ix(slice(None), *other)]
            wins = np.where(count == 1, on_target, both_diag & (loss_t > loss_o))
            codes = np.where(wins, WORKS, FAILS).astype(np.int8)
            near = both_diag & (np.abs(loss_t - loss_o) <= _eps(scale * scale))
            codes[unsure | near | (two & on_target & ~both_diag)] = EXACT
            return codes

        return selected
    if isinstance(crit, TargetIsEquilibrium) and not isinstance(crit, TargetIsUnique):

        def is_equilibrium(c: Columns) -> Codes:
            eq, _strict, unsure = pure_equilibria(reformed(c))
            codes = np.where(eq[_ix(slice(None), *target)], WORKS, FAILS).astype(np.int8)
            codes[unsure] = EXACT
            return codes

        return is_equilibrium
    return None
