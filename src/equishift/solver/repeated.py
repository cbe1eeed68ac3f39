"""Critical discount factors of repeated games: trigger strategies, minmax, monitoring, linkage.

A pure target profile :math:`a^*` of a stage game is sustained by a trigger strategy when no
player gains by deviating once and being punished ever after. For player *i* write

* :math:`u_i` -- the stage payoff at the target,
* :math:`d_i` -- the best stage payoff from a deviation,
  :math:`\\max_{a_i \\ne a^*_i} u_i(a_i, a^*_{-i})`,
* :math:`v_i` -- the payoff in the punishment phase: a stage Nash equilibrium (grim trigger,
  Friedman 1971), or player *i*'s minmax value (the harshest punishment).

Under imperfect public monitoring a deviation is detected with probability q and compliance is
misread as a deviation with probability ε; each period the arrangement lapses with hazard λ. The
threshold is *derived* here, once, from the value recursion of the trigger strategy,

.. math::

    V = (1-\\delta) u + \\delta(1-\\lambda)[(1-\\varepsilon) V + \\varepsilon v]
        + \\delta\\lambda v,
    \\qquad
    V^{dev} = (1-\\delta) d + \\delta(1-\\lambda)[(1-q) V + q v] + \\delta\\lambda v,

by solving for :math:`V` and the incentive constraint :math:`V \\ge V^{dev}` for δ with sympy
(:func:`trigger_condition` shows the derived condition). With perfect monitoring and no lapse it
reduces to Friedman's :math:`\\delta \\ge (d - u)/(d - v)`.

Linked games (Bernheim & Whinston 1990) are solved as one stage game, the issues played
together (:meth:`~equishift.games.repeated.LinkedGame.combined_stage`), so the pooled constraint
comes out of the same engine. A per-issue breakdown probability enters as a lapse hazard.

Examples
--------
>>> from equishift.games import NormalFormGame
>>> freeze = NormalFormGame.from_mapping(
...     {("Freeze", "Suspend"): (3, 3), ("Freeze", "Exercise"): (0, 4),
...      ("Test", "Suspend"): (5, 0), ("Test", "Exercise"): (1, 1)},
...     players=["DPRK", "US-ROK"])
>>> th = critical_delta(freeze, ("Freeze", "Suspend"))
>>> [(p.player, p.delta_star) for p in th.players]
[('DPRK', Fraction(1, 2)), ('US-ROK', Fraction(1, 3))]
>>> th.delta_star, th.sustainable("0.4")
(Fraction(1, 2), False)
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, TypeAlias

import numpy as np
from numpy.typing import NDArray

from ..games.errors import GameError, SolverError
from ..games.normal_form import NormalFormGame
from ..games.numbers import format_number, to_number
from ..games.repeated import LinkedGame, RepeatedGame

__all__ = [
    "DiscountThreshold",
    "Minmax",
    "PlayerThreshold",
    "contact_discount",
    "critical_delta",
    "delinked_thresholds",
    "linked_threshold",
    "max_contact_interval",
    "minmax",
    "trigger_condition",
]

Value: TypeAlias = Any
"""A ``Fraction`` (exact), a ``float``, or a sympy expression (symbolic payoffs)."""

PUNISHMENTS = ("nash", "pure_minmax", "mixed_minmax")


# -- the derivation ---------------------------------------------------------------------------
@functools.cache
def _derived() -> tuple[Any, tuple[Any, ...], Any, Any]:
    """Derive the trigger-strategy incentive constraint from the value recursion (once).

    Returns ``(delta, (u, d, v, q, eps, lam), A, B)`` with the constraint equivalent, for
    ``0 <= delta < 1``, to ``A + B * delta <= 0``.
    """
    import sympy as sp

    delta, u, d, v, q, eps, lam, V = sp.symbols("delta u d v q epsilon lambda V")
    # The value recursion V = (1 - delta) u + ... is linear in V: V = -c0 / c1 for
    # c1 V + c0 = 0 (read off the expanded equation; cheaper than a general ``solve``).
    recursion = sp.expand(
        V - ((1 - delta) * u + delta * (1 - lam) * ((1 - eps) * V + eps * v) + delta * lam * v)
    )
    V_coop = -recursion.subs(V, 0) / recursion.coeff(V)
    V_dev = (1 - delta) * d + delta * (1 - lam) * ((1 - q) * V_coop + q * v) + delta * lam * v
    # gap = V_coop - V_dev = (1 - delta) * num / den, den = -(1 - delta (1 - lam)(1 - eps)),
    # which is < 0 on [0, 1); ``cancel`` gives num / den in lowest terms.
    num, den = sp.fraction(sp.cancel((V_coop - V_dev) / (1 - delta)))
    # Fix the sign so that the constraint reads num' <= 0 with num' = -num * sign(den).
    den_at = den.subs({delta: sp.Rational(1, 2), lam: 0, eps: 0})
    sign = 1 if den_at.is_negative else -1
    constraint = sp.expand(num * sign)  # gap >= 0  <=>  constraint <= 0
    poly = sp.Poly(constraint, delta)
    if poly.degree() != 1:  # pragma: no cover - a property of the model, checked once
        raise SolverError("trigger-strategy constraint is not linear in delta")
    B, A = poly.all_coeffs()
    return delta, (u, d, v, q, eps, lam), sp.factor(A), sp.factor(B)


@functools.cache
def _numeric_coefficients() -> Callable[..., tuple[Any, Any]]:
    import sympy as sp

    _, args, A, B = _derived()
    fn: Callable[..., tuple[Any, Any]] = sp.lambdify(args, (sp.expand(A), sp.expand(B)), "math")
    return fn


def trigger_condition() -> Any:
    """The derived incentive constraint of a trigger strategy, as a sympy inequality in δ.

    Symbols: ``u`` payoff at the target, ``d`` best deviation payoff, ``v`` punishment payoff,
    ``q`` detection, ``epsilon`` false alarm, ``lambda`` lapse hazard.

    Examples
    --------
    >>> import sympy as sp
    >>> cond = trigger_condition()
    >>> delta, u, d, v, q, e, lam = sp.symbols("delta u d v q epsilon lambda")
    >>> sp.solve(cond.lhs.subs({q: 1, e: 0, lam: 0}), delta)
    [(d - u)/(d - v)]
    """
    import sympy as sp

    delta, _, A, B = _derived()
    return sp.Le(sp.expand(A + B * delta), 0)


def _is_symbolic(x: Any) -> bool:
    return not isinstance(x, Fraction | float | int)


def _threshold(u: Value, d: Value, v: Value, q: Value, eps: Value, lam: Value) -> Value | None:
    """Smallest δ in [0, 1) from which the trigger constraint holds up to 1; None: never."""
    vals = (u, d, v, q, eps, lam)
    if any(_is_symbolic(x) for x in vals):
        import sympy as sp

        _, args, A, B = _derived()
        subs = dict(zip(args, [sp.sympify(x) for x in vals], strict=True))
        a, b = sp.simplify(A.subs(subs)), sp.simplify(B.subs(subs))
        if a.is_number and b.is_number:
            return _threshold(*[_to_plain(sp.nsimplify(x)) if _is_symbolic(x) else x for x in vals])
        # Generic case (a deviation gains, punishment hurts, signals informative): -A/B.
        return sp.simplify(-a / b)
    A, B = _numeric_coefficients()(*vals)
    zero: Value = Fraction(0) if all(isinstance(x, Fraction | int) for x in vals) else 0.0
    # The constraint is A + B*delta <= 0 on [0, 1); find where it holds up to 1.
    if B < 0:
        root = -A / B
        return None if root >= 1 else max(root, zero)
    return zero if A + B <= 0 and A <= 0 else None


def _to_plain(x: Any) -> Value:
    import sympy as sp

    if isinstance(x, sp.Rational):
        return Fraction(int(x.p), int(x.q))
    if isinstance(x, sp.Float):
        return float(x)
    return x


# -- stage tables (numeric games or symbolic payoffs) -----------------------------------------
@dataclass(frozen=True)
class _Stage:
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    payoffs: NDArray[Any]  # object array (n_1..n_N, N)
    game: NormalFormGame | None

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(int(n) for n in self.payoffs.shape[:-1])

    def index(self, profile: Sequence[int | str]) -> tuple[int, ...]:
        if self.game is not None:
            return self.game.profile_index(profile)
        if len(profile) != len(self.players):
            raise GameError(f"profile {tuple(profile)} should name {len(self.players)} strategies")
        out = []
        for i, s in enumerate(profile):
            labels = self.strategies[i]
            if isinstance(s, int):
                out.append(s)
            elif s in labels:
                out.append(labels.index(s))
            else:
                raise GameError(f"unknown strategy {s!r} of {self.players[i]}; expected {labels}")
        return tuple(out)


def _stage(game: Any, players: Sequence[str] | None = None) -> _Stage:
    if isinstance(game, RepeatedGame):
        game = game.effective_stage()
    if isinstance(game, NormalFormGame):
        if game.is_exact:
            arr = game.payoffs
        else:
            arr = np.empty(game.payoffs.shape, dtype=object)
            arr.ravel()[:] = [float(x) for x in game.float_payoffs().ravel()]
        return _Stage(game.players, game.strategies, arr, game)
    if isinstance(game, Mapping):
        keys = []
        for key in game:
            parts = (
                tuple(p.strip() for p in key.split(","))
                if isinstance(key, str)
                else tuple(str(p) for p in key)
            )
            keys.append(parts)
        n = len(keys[0])
        strats = tuple(tuple(dict.fromkeys(k[i] for k in keys)) for i in range(n))
        shape = tuple(len(s) for s in strats)
        arr = np.empty((*shape, n), dtype=object)
        for k, vals in zip(keys, game.values(), strict=True):
            idx = tuple(strats[i].index(k[i]) for i in range(n))
            for i, x in enumerate(vals):
                arr[(*idx, i)] = _value(x)
        if any(x is None for x in arr.ravel()):
            raise GameError("symbolic stage game: some profile has no payoffs")
        labels = tuple(players) if players else tuple(f"Player {i + 1}" for i in range(n))
        return _Stage(labels, strats, arr, None)
    raise SolverError(
        "expected a NormalFormGame, RepeatedGame or a mapping of payoffs, "
        f"got {type(game).__name__}"
    )


def _value(x: Any) -> Value:
    if isinstance(x, Fraction | float):
        return x
    try:
        return to_number(x)
    except GameError:
        return x  # a sympy expression


def _fmt(x: Value) -> str:
    return format_number(x) if isinstance(x, Fraction | float) else str(x)


# -- minmax -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Minmax:
    """A player's minmax value: the lowest payoff the others can hold them to.

    Attributes
    ----------
    player
        The punished player.
    value
        The minmax value (``Fraction`` when certified exact).
    punishment
        The punishers' strategy: for pure minmax a profile of labels; for mixed minmax a
        distribution ``{profile of the others: probability}`` (correlated when there are two
        or more punishers).
    kind
        ``"pure"`` or ``"mixed"``.
    exact
        True when the value is certified exactly (primal and dual LP solutions rationalised
        and checked to give the same value).
    method
        How it was computed.
    """

    player: str
    value: Value
    punishment: Mapping[tuple[str, ...], Value]
    kind: str
    exact: bool
    method: str


def minmax(game: NormalFormGame, player: int | str, *, kind: str = "mixed") -> Minmax:
    """Player ``player``'s pure or mixed minmax value.

    The mixed minmax is the linear programme

    .. math:: \\min_{x \\in \\Delta(A_{-i})} \\max_{a_i} \\sum_{a_{-i}} x(a_{-i}) u_i(a_i, a_{-i})

    over *joint* (correlated) distributions of the punishers' profiles, solved with
    ``scipy.optimize.linprog`` (HiGHS). With one punisher (two players) it is the standard
    mixed minmax, equal to the maxmin by von Neumann's theorem; with several it is the
    correlated minmax, which is at most the minmax with independent punishers. The LP answer
    is rationalised and verified: the punishers' distribution caps the player at the value and
    the player's dual mixed strategy guarantees it, both checked in exact arithmetic.

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> mp = NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]],
    ...                                 strategies=[["H", "T"], ["H", "T"]])
    >>> m = minmax(mp, 0)
    >>> m.value, m.exact, dict(m.punishment)
    (Fraction(0, 1), True, {('H',): Fraction(1, 2), ('T',): Fraction(1, 2)})
    >>> minmax(mp, 0, kind="pure").value
    Fraction(1, 1)
    """
    i = game.player_index(player)
    # M[a_i, a_-i]: player i's payoff, the others' profiles flattened in C order.
    u = np.moveaxis(np.asarray(game.payoff_array(i)), i, 0)
    M = u.reshape(game.shape[i], -1)
    others = [j for j in range(game.n_players) if j != i]
    profiles = list(itertools.product(*[game.strategies[j] for j in others]))
    if kind == "pure":
        col_best = [max(M[:, c].tolist()) for c in range(M.shape[1])]
        c = min(range(len(col_best)), key=lambda k: col_best[k])
        return Minmax(
            game.players[i],
            col_best[c],
            {profiles[c]: Fraction(1) if game.is_exact else 1.0},
            "pure",
            game.is_exact,
            "minimum over the punishers' pure profiles of the best reply",
        )
    if kind != "mixed":
        raise SolverError(f"minmax(): kind must be 'pure' or 'mixed', got {kind!r}")
    from scipy.optimize import linprog

    Mf = np.asarray(M, dtype=np.float64)
    m, n = Mf.shape
    # primal: variables (x_1..x_n, v); minimise v s.t. M x - v <= 0, sum x = 1, x >= 0
    cost = np.zeros(n + 1)
    cost[-1] = 1.0
    res = linprog(
        cost,
        A_ub=np.hstack([Mf, -np.ones((m, 1))]),
        b_ub=np.zeros(m),
        A_eq=np.hstack([np.ones((1, n)), np.zeros((1, 1))]),
        b_eq=[1.0],
        bounds=[(0, None)] * n + [(None, None)],
        method="highs",
    )
    # dual: the player's mixed strategy y; maximise w s.t. M^T y - w >= 0, sum y = 1
    dual = linprog(
        _dual_cost(m),
        A_ub=np.hstack([-Mf.T, np.ones((n, 1))]),
        b_ub=np.zeros(n),
        A_eq=np.hstack([np.ones((1, m)), np.zeros((1, 1))]),
        b_eq=[1.0],
        bounds=[(0, None)] * m + [(None, None)],
        method="highs",
    )
    if res.status != 0 or dual.status != 0:  # pragma: no cover - bounded feasible LPs
        raise SolverError(f"minmax(): the linear programme failed: {res.message}")
    x = [max(float(t), 0.0) for t in res.x[:n]]
    y = [max(float(t), 0.0) for t in dual.x[:m]]
    if game.is_exact:
        for bound in (10, 100, 1000, 10**4, 10**6, 10**9):
            xr = _rationalise(x, bound)
            yr = _rationalise(y, bound)
            upper = max(sum((M[a, k] * xr[k] for k in range(n)), Fraction(0)) for a in range(m))
            lower = min(sum((M[a, k] * yr[a] for a in range(m)), Fraction(0)) for k in range(n))
            if upper == lower:
                dist = {profiles[k]: xr[k] for k in range(n) if xr[k] != 0}
                return Minmax(
                    game.players[i],
                    upper,
                    dist,
                    "mixed",
                    True,
                    "linear programme (HiGHS), rationalised; primal and dual certified exactly",
                )
    value = float(res.x[-1])
    dist_f = {profiles[k]: x[k] for k in range(n) if x[k] > 1e-12}
    return Minmax(
        game.players[i], value, dist_f, "mixed", False, "linear programme (HiGHS), floats"
    )


def _dual_cost(m: int) -> NDArray[np.float64]:
    cost = np.zeros(m + 1)
    cost[-1] = -1.0
    return cost


def _rationalise(p: Sequence[float], bound: int) -> list[Fraction]:
    r = [Fraction(t).limit_denominator(bound) for t in p]
    total = sum(r, Fraction(0))
    if total == 0:
        return r
    return [t / total for t in r]


# -- thresholds -------------------------------------------------------------------------------
@dataclass(frozen=True)
class PlayerThreshold:
    """One player's incentive constraint at the target.

    Attributes
    ----------
    player
        Player label.
    target_payoff, deviation_payoff, punishment_payoff
        :math:`u_i`, :math:`d_i`, :math:`v_i` (see the module docstring).
    deviation
        The player's best deviation(s), by label (empty when there is no other strategy).
    punishment
        Description of the punishment phase (a stage equilibrium, or the minmax profile).
    delta_star
        Smallest discount factor from which the target is sustained for this player; ``None``
        when no discount factor below 1 sustains it. Symbolic payoffs give an expression,
        valid when a deviation gains and the punishment hurts.
    """

    player: str
    target_payoff: Value
    deviation: tuple[str, ...]
    deviation_payoff: Value
    punishment: str
    punishment_payoff: Value
    delta_star: Value | None


@dataclass(frozen=True)
class DiscountThreshold:
    """Critical discount factors for a target profile, per player and overall.

    Attributes
    ----------
    target
        The target pure profile, by label.
    punishment
        ``"nash"`` (grim trigger, Nash reversion), ``"pure_minmax"`` or ``"mixed_minmax"``.
    players
        One :class:`PlayerThreshold` per player.
    detection, false_alarm, lapse
        The monitoring and lapse parameters used.
    notes
        Caveats (e.g. minmax punishments are a bound: the punishers' incentives are not checked).
    """

    target: tuple[str, ...]
    punishment: str
    players: tuple[PlayerThreshold, ...]
    detection: Value = Fraction(1)
    false_alarm: Value = Fraction(0)
    lapse: Value = Fraction(0)
    notes: tuple[str, ...] = field(default=())

    @property
    def delta_star(self) -> Value | None:
        """The overall threshold (largest over players); ``None`` if some player never complies."""
        vals = [p.delta_star for p in self.players]
        if any(v is None for v in vals):
            return None
        if any(_is_symbolic(v) for v in vals):
            import sympy as sp

            return sp.Max(*vals)
        return max(v for v in vals if v is not None)

    @property
    def binding(self) -> tuple[str, ...]:
        """The player(s) whose constraint sets the overall threshold."""
        star = self.delta_star
        return tuple(p.player for p in self.players if p.delta_star == star)

    def describe(self) -> str:
        """A few lines for people: the overall threshold, then each player's constraint.

        Examples
        --------
        >>> from equishift.games import NormalFormGame
        >>> pd = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                                 strategies=[["C", "D"], ["C", "D"]])
        >>> print(critical_delta(pd, ("C", "C")).describe())
        target (C, C) with nash punishment: sustained for delta >= 1/2
          Player 1: target 3, best deviation D 5, punishment 1 (stage equilibrium (D, D)), ...
          Player 2: target 3, best deviation D 5, punishment 1 (stage equilibrium (D, D)), ...
        """
        star = self.delta_star
        head = f"target ({', '.join(self.target)}) with {self.punishment} punishment: "
        head += "never sustained" if star is None else f"sustained for delta >= {_fmt(star)}"
        lines = [head]
        for p in self.players:
            dev = "/".join(p.deviation) or "none"
            st = "never" if p.delta_star is None else _fmt(p.delta_star)
            lines.append(
                f"  {p.player}: target {_fmt(p.target_payoff)}, best deviation {dev} "
                f"{_fmt(p.deviation_payoff)}, punishment {_fmt(p.punishment_payoff)} "
                f"({p.punishment}), delta* {st}"
            )
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)

    def sustainable(self, delta: Any) -> bool:
        """True when the target is sustained at discount factor ``delta``.

        Examples
        --------
        >>> from equishift.games import NormalFormGame
        >>> pd = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> th = critical_delta(pd, ("1", "1"))
        >>> th.sustainable("0.5"), th.sustainable(0.49)
        (True, False)
        """
        star = self.delta_star
        if star is None:
            return False
        if _is_symbolic(star):
            raise SolverError("sustainable(): the threshold is symbolic; substitute values first")
        d = to_number(delta, what="discount factor")
        return bool(d >= star)


def _reversion_profiles(stage: _Stage, reversion: Any) -> list[tuple[tuple[Value, ...], str]]:
    """Candidate punishment equilibria as (payoffs per player, description)."""
    game = stage.game
    if reversion is not None:
        if game is None:
            idx = stage.index(reversion)
            vals = tuple(stage.payoffs[idx].tolist())
            return [(vals, "(" + ", ".join(str(s) for s in reversion) + ")")]
        from .verify import certificate

        cert = certificate(game, reversion)
        if not cert.is_equilibrium:
            raise SolverError(
                f"critical_delta(): reversion profile {reversion} is not a Nash equilibrium"
            )
        from .api import equilibrium_from_profile

        eq = equilibrium_from_profile(game, reversion)
        assert eq is not None
        return [(tuple(p.payoff for p in cert.players), eq.describe())]
    if game is None:
        raise SolverError(
            "critical_delta(): with symbolic payoffs give the punishment profile (reversion=...)"
        )
    from .pure import pure_equilibria

    pure = pure_equilibria(game)
    if pure:
        return [
            (
                tuple(game.payoffs[idx].tolist()),
                "(" + ", ".join(game.strategies[i][k] for i, k in enumerate(idx)) + ")",
            )
            for idx in pure
        ]
    from .api import solve

    sol = solve(game)
    out = [(tuple(eq.payoffs), eq.describe()) for eq in sol.equilibria]
    if not out:
        raise SolverError("critical_delta(): no verified stage equilibrium to revert to")
    return out


def critical_delta(
    game: NormalFormGame | RepeatedGame | Mapping[Any, Sequence[Any]],
    target: Sequence[int | str],
    *,
    punishment: str = "nash",
    reversion: Any = None,
    detection: Any = None,
    false_alarm: Any = None,
    lapse: Any = None,
    players: Sequence[str] | None = None,
) -> DiscountThreshold:
    """Critical discount factor δ* above which ``target`` is sustained by a trigger strategy.

    Parameters
    ----------
    game
        A stage game; a :class:`~equishift.games.repeated.RepeatedGame` (its relative-gains
        weight, monitoring and lapse are used); or a mapping ``{profile: payoffs}`` whose
        payoffs may be sympy expressions (then ``reversion`` must name the punishment profile).
    target
        The pure profile to sustain, by labels or indices.
    punishment
        ``"nash"``: revert to a stage Nash equilibrium forever (grim trigger). By default the
        equilibrium worst for each deviator among the pure stage equilibria; if there are none,
        the verified equilibria from :func:`equishift.solver.solve`. ``"pure_minmax"`` /
        ``"mixed_minmax"``: the harshest punishment, the deviator's minmax value (a bound:
        whether the punishers are willing to carry it out is not checked).
    reversion
        The stage equilibrium to revert to (a profile: labels or mixed), overriding the default.
    detection, false_alarm, lapse
        q, ε and λ; by default those of a ``RepeatedGame``, else 1, 0, 0.
    players
        Player labels for a symbolic mapping.

    Returns
    -------
    DiscountThreshold

    Examples
    --------
    Imperfect monitoring (MODELS R2):

    >>> from equishift.games import NormalFormGame
    >>> pd = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                                 strategies=[["C", "D"], ["C", "D"]])
    >>> critical_delta(pd, ("C", "C"), detection="0.8", false_alarm="0.1").delta_star
    Fraction(5, 8)

    Symbolic payoffs:

    >>> import sympy as sp
    >>> T, R, P, S = sp.symbols("T R P S")
    >>> sym = {("C", "C"): (R, R), ("C", "D"): (S, T), ("D", "C"): (T, S), ("D", "D"): (P, P)}
    >>> critical_delta(sym, ("C", "C"), reversion=("D", "D")).players[0].delta_star
    (R - T)/(P - T)
    """
    if punishment not in PUNISHMENTS:
        raise SolverError(f"critical_delta(): punishment must be one of {PUNISHMENTS}")
    if isinstance(game, RepeatedGame):
        q = game.detection if detection is None else _value(detection)
        e = game.false_alarm if false_alarm is None else _value(false_alarm)
        lam = game.lapse if lapse is None else _value(lapse)
    else:
        q = Fraction(1) if detection is None else _value(detection)
        e = Fraction(0) if false_alarm is None else _value(false_alarm)
        lam = Fraction(0) if lapse is None else _value(lapse)
    stage = _stage(game, players)
    t = stage.index(target)
    target_labels = tuple(stage.strategies[i][k] for i, k in enumerate(t))
    notes: list[str] = []
    candidates = _reversion_profiles(stage, reversion) if punishment == "nash" else []
    if punishment != "nash":
        if stage.game is None:
            raise SolverError("critical_delta(): minmax punishments need a numeric stage game")
        notes.append(
            "minmax punishment is the harshest conceivable: it bounds what any punishment can "
            "do; the punishers' own incentives to carry it out are not checked"
        )
    out: list[PlayerThreshold] = []
    for i, name in enumerate(stage.players):
        u = stage.payoffs[(*t, i)]
        devs = [
            (stage.payoffs[(*t[:i], k, *t[i + 1 :], i)], stage.strategies[i][k])
            for k in range(stage.shape[i])
            if k != t[i]
        ]
        if devs:
            if any(_is_symbolic(x) for x, _ in devs):
                import sympy as sp

                d = devs[0][0] if len(devs) == 1 else sp.Max(*[x for x, _ in devs])
                dev_labels = tuple(lab for _, lab in devs) if len(devs) > 1 else (devs[0][1],)
            else:
                d = max(x for x, _ in devs)
                dev_labels = tuple(lab for x, lab in devs if x == d)
        else:
            d, dev_labels = u, ()
        if punishment == "nash":
            if any(_is_symbolic(c[0][i]) for c in candidates) and len(candidates) > 1:
                raise SolverError("critical_delta(): choose the reversion profile (reversion=...)")
            vals, desc = min(candidates, key=lambda c: c[0][i])
            v = vals[i]
            pun = f"stage equilibrium {desc}"
        else:
            assert stage.game is not None
            mm = minmax(stage.game, i, kind=punishment.split("_")[0])
            v = mm.value
            pun = f"{mm.kind} minmax by " + ", ".join(
                f"{'/'.join(prof)} {_fmt(p)}" for prof, p in mm.punishment.items()
            )
            if not mm.exact and stage.game.is_exact:
                notes.append(f"mixed minmax of {name} could not be certified exactly")
        star = _threshold(u, d, v, q, e, lam) if dev_labels else Fraction(0)
        out.append(PlayerThreshold(name, u, dev_labels, d, pun, v, star))
    return DiscountThreshold(target_labels, punishment, tuple(out), q, e, lam, tuple(notes))


# -- linkage ----------------------------------------------------------------------------------
def linked_threshold(
    game: LinkedGame, targets: Sequence[Sequence[int | str]], *, punishment: str = "nash"
) -> DiscountThreshold:
    """Critical discount factor with punishments pooled across all issues.

    The issues are solved as one stage game (every issue played at once), so the pooled
    constraint :math:`\\sum_j (d_j - u_j) \\le \\ldots` comes out of :func:`critical_delta`. Any
    issue's breakdown ends cooperation on all of them: the lapse hazard is
    :math:`1 - \\prod_j (1 - \\beta_j)`.

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> from equishift.games.repeated import LinkedGame
    >>> k = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> g = NormalFormGame.from_arrays([["2.8", 0], [3, 0]], [["2.8", 3], [0, 0]])
    >>> linked_threshold(LinkedGame((k, g)), [("1", "1"), ("1", "1")]).delta_star
    Fraction(11, 35)
    """
    if len(targets) != len(game.games):
        raise SolverError(f"linked_threshold(): give a target for each of {len(game.games)} issues")
    combined = game.combined_stage()
    profile = []
    for i in range(len(game.players)):
        labels = []
        for g, tgt in zip(game.games, targets, strict=True):
            labels.append(g.strategies[i][g.strategy_index(i, tgt[i])])
        profile.append("+".join(labels))
    return critical_delta(
        combined,
        tuple(profile),
        punishment=punishment,
        detection=game.detection,
        false_alarm=game.false_alarm,
        lapse=1 - game.survival(),
    )


def delinked_thresholds(
    game: LinkedGame, targets: Sequence[Sequence[int | str]], *, punishment: str = "nash"
) -> tuple[DiscountThreshold, ...]:
    """Each issue's critical discount factor when it is enforced on its own.

    Issue *j*'s own breakdown probability is its lapse hazard; the others' do not matter.
    """
    return tuple(
        critical_delta(game.repeated(j), tgt, punishment=punishment)
        for j, tgt in enumerate(targets)
    )


# -- contact frequency ------------------------------------------------------------------------
def contact_discount(rate: Any, interval: Any) -> Value:
    """Per-contact discount factor :math:`e^{-r\\Delta}` (a sympy expression when exact).

    >>> contact_discount("0.5", 2)
    exp(-1)
    """
    import sympy as sp

    r, dt = _value(rate), _value(interval)
    expr = sp.exp(-_sym(r) * _sym(dt))
    return float(expr) if isinstance(r, float) or isinstance(dt, float) else expr


def _sym(x: Value) -> Any:
    import sympy as sp

    if isinstance(x, Fraction):
        return sp.Rational(x.numerator, x.denominator)
    return sp.sympify(x)


def max_contact_interval(threshold: DiscountThreshold | Value | None, rate: Any) -> Value | None:
    """Longest interval between contacts that still sustains the target: :math:`-\\ln\\delta^*/r`.

    From :math:`e^{-r\\Delta} \\ge \\delta^*`. Exact inputs give a sympy expression
    (``float()`` it for a number); ``math.inf`` when δ* = 0; ``None`` when never sustainable.

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> pd = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> dmax = max_contact_interval(critical_delta(pd, ("1", "1")), "0.25")
    >>> dmax, round(float(dmax), 3)
    (log(16), 2.773)
    """
    import sympy as sp

    star = threshold.delta_star if isinstance(threshold, DiscountThreshold) else threshold
    if star is None:
        return None
    r = _value(rate)
    if not _is_symbolic(r) and r <= 0:
        raise SolverError("max_contact_interval(): the discount rate must be positive")
    if not _is_symbolic(star) and star == 0:
        return math.inf
    if isinstance(star, float) or isinstance(r, float):
        return -math.log(float(star)) / float(r)
    return sp.simplify(-sp.log(_sym(star)) / _sym(r))
