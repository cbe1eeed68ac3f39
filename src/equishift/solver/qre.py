"""Logit quantal response equilibrium along the precision λ (McKelvey & Palfrey 1995, GEB 10(1)).

In a logit QRE every player plays each pure strategy with probability proportional to
:math:`\\exp(\\lambda\\, v_{ik}(\\sigma))`, where :math:`v_{ik}(\\sigma)` is the expected payoff
of strategy :math:`k` against the others' mixtures:

.. math::

    \\sigma_{ik} = \\frac{\\exp(\\lambda v_{ik}(\\sigma))}{\\sum_j \\exp(\\lambda v_{ij}(\\sigma))}.

At :math:`\\lambda = 0` play is uniform; as :math:`\\lambda \\to \\infty` the *principal branch*
(the connected curve of QRE starting at the uniform profile) converges to a Nash
equilibrium (the logit tracing procedure). :func:`qre_path` follows it on a λ grid by
warm-started root finding (``scipy.optimize.root``) in log-probabilities, with a secant
predictor and step halving; :func:`logit_qre` solves one λ.

Certificate of the limit
    A logit QRE at λ is an ε-Nash equilibrium with
    :math:`\\varepsilon = \\max_i H(\\sigma_i)/\\lambda \\le \\max_i \\log n_i / \\lambda`
    (:math:`H` the entropy): :math:`\\sigma_i` maximises
    :math:`\\sigma_i \\cdot v_i + H(\\sigma_i)/\\lambda`, which is at least the best pure payoff.
    :class:`QREPath` states this tolerance and checks the last point with
    :func:`~equishift.solver.verify.certificate` against it (plus the root finder's
    residual), and names the Nash equilibrium from :func:`~equishift.solver.solve` it
    approaches.

Turning points
    The principal branch may fold back in λ. A λ grid cannot pass a fold, so there the
    path switches to pseudo-arc-length continuation (tangent from the Jacobian's null
    space, corrector on the hyperplane orthogonal to it) until λ grows again; the path's
    λ values are then not monotone and a warning says so. If both fail, the path stops
    with ``complete=False``.

Examples
--------
>>> from equishift.games import NormalFormGame
>>> mp = NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
>>> [round(p, 12) for p in logit_qre(mp, 5.0)[0]]
[0.5, 0.5]
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from ..games.errors import SolverError
from ..games.normal_form import NormalFormGame
from .solution import Equilibrium
from .verify import certificate

__all__ = ["QREPath", "QREPoint", "logit_qre", "qre_path"]

_RESIDUAL = 1e-11
"""Largest accepted residual of the fixed-point equations in log-probabilities, relative to
``1 + |log-probability|`` (a probability of e^-700 is known to about 1e-13 * 700 in log scale)."""


def _values(
    u: list[NDArray[np.float64]], sigma: list[NDArray[np.float64]]
) -> list[NDArray[np.float64]]:
    """Expected payoff of each pure strategy of each player against the others."""
    out = []
    n = len(u)
    for i in range(n):
        t = u[i]
        for j in reversed(range(n)):
            if j != i:
                t = np.tensordot(t, sigma[j], axes=([j], [0]))
        out.append(np.asarray(t, dtype=np.float64))
    return out


def _split(z: NDArray[np.float64], shape: Sequence[int]) -> list[NDArray[np.float64]]:
    out = []
    k = 0
    for n in shape:
        out.append(z[k : k + n])
        k += n
    return out


def _residual(
    z: NDArray[np.float64], lam: float, u: list[NDArray[np.float64]], shape: Sequence[int]
) -> NDArray[np.float64]:
    logs = _split(z, shape)
    sigma = [np.exp(x) for x in logs]
    vals = _values(u, sigma)
    res = []
    for x, v in zip(logs, vals, strict=True):
        a = lam * v
        top = float(a.max())
        lse = top + math.log(float(np.exp(a - top).sum()))
        res.append(x - (a - lse))
    return np.concatenate(res)


def _uniform_logs(shape: Sequence[int]) -> NDArray[np.float64]:
    return np.concatenate([np.full(n, -math.log(n)) for n in shape])


def _solve_at(
    z0: NDArray[np.float64], lam: float, u: list[NDArray[np.float64]], shape: Sequence[int]
) -> NDArray[np.float64] | None:
    from scipy.optimize import root

    with warnings.catch_warnings():
        # The root finder's progress warnings are judged by the residual check below.
        warnings.simplefilter("ignore", RuntimeWarning)
        sol = root(_residual, z0, args=(lam, u, shape), method="hybr", options={"xtol": 1e-14})
    z = np.asarray(sol.x, dtype=np.float64)
    if not np.all(np.isfinite(z)):
        return None
    if float(np.max(np.abs(_residual(z, lam, u, shape)) / (1.0 + np.abs(z)))) > _RESIDUAL:
        return None
    return z


def _profile(z: NDArray[np.float64], shape: Sequence[int]) -> tuple[tuple[float, ...], ...]:
    out = []
    for x in _split(z, shape):
        p = np.exp(x)
        p = p / p.sum()
        out.append(tuple(float(v) for v in p))
    return tuple(out)


def _float_payoffs(game: NormalFormGame) -> list[NDArray[np.float64]]:
    f = game.float_payoffs()
    return [np.ascontiguousarray(f[..., i]) for i in range(game.n_players)]


def logit_qre(
    game: NormalFormGame, lam: float, *, start: Sequence[Sequence[float]] | None = None
) -> tuple[tuple[float, ...], ...]:
    """The logit QRE at precision ``lam`` reached by root finding from ``start``.

    Parameters
    ----------
    game
        Any N-player game.
    lam
        Precision λ ≥ 0 (0: uniform play).
    start
        A mixed profile to start from (default: uniform). Several QRE may exist at large
        λ; the one found depends on the start — use :func:`qre_path` for the principal one.

    Raises
    ------
    SolverError
        When the root finder does not converge to a residual below 1e-11.

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> g = NormalFormGame.from_arrays([[9, 0], [0, 1]], [[0, 1], [1, 0]])
    >>> row, col = logit_qre(g, 1.0)
    >>> row[0] > 0.5, col[0] < 0.5
    (True, True)
    """
    if lam < 0:
        raise SolverError("logit_qre(): lam must be non-negative")
    shape = game.shape
    u = _float_payoffs(game)
    if start is None:
        z0 = _uniform_logs(shape)
    else:
        z0 = np.concatenate(
            [np.log(np.clip(np.asarray(r, dtype=np.float64), 1e-300, None)) for r in start]
        )
    z = _solve_at(z0, float(lam), u, shape)
    if z is None:
        raise SolverError(f"logit_qre(): no convergence at lam={lam}; try qre_path")
    return _profile(z, shape)


@dataclass(frozen=True)
class QREPoint:
    """One point of a QRE path: the precision and the mixed profile.

    >>> QREPoint(0.0, ((0.5, 0.5),)).profile
    ((0.5, 0.5),)
    """

    lam: float
    profile: tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class QREPath:
    """The principal branch of logit QRE, from λ = 0 to the largest λ reached.

    Attributes
    ----------
    game
        The game.
    points
        QRE in increasing λ; the first is the uniform profile at λ = 0.
    complete
        Whether the path reached the requested ``lam_max``.
    limit
        The last point (the approximation of the limiting Nash equilibrium).
    tolerance
        The stated tolerance of the limit: the entropy bound
        :math:`\\max_i H(\\sigma_i)/\\lambda` plus ``1e-9 * max(1, payoff range)`` for the
        root finder's residual.
    limit_regret
        The largest regret at the limit (from :func:`~equishift.solver.verify.certificate`).
    verified
        Whether the limit's regret is at most ``tolerance``.
    nash
        The Nash equilibrium (from :func:`~equishift.solver.solve`) nearest to the limit,
        or ``None`` when none was found. In degenerate games the solver lists extreme
        equilibria only; a limit inside a component is then reported with a warning.
    nash_distance
        Max-norm distance from the limit to ``nash``.
    warnings
        Caveats (a fold in λ, an incomplete Nash list).

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> pd = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> path = qre_path(pd, lam_max=100)
    >>> float(path.lambdas[0]), path.complete, path.nash.pure_profile()
    (0.0, True, ('2', '2'))
    >>> bool(path.probabilities(0, "2")[-1] > 0.99)
    True
    """

    game: NormalFormGame
    points: tuple[QREPoint, ...]
    complete: bool
    tolerance: float
    limit_regret: float
    verified: bool
    nash: Equilibrium | None
    nash_distance: float | None
    warnings: tuple[str, ...] = field(default=())

    @property
    def limit(self) -> QREPoint:
        """The point at the largest λ reached."""
        return self.points[-1]

    @property
    def lambdas(self) -> NDArray[np.float64]:
        """The λ values of the points."""
        return np.array([p.lam for p in self.points])

    def probabilities(self, player: int | str, strategy: int | str) -> NDArray[np.float64]:
        """Probability of one strategy along the path."""
        i = self.game.player_index(player)
        k = self.game.strategy_index(i, strategy)
        return np.array([p.profile[i][k] for p in self.points])


def _entropy(p: Sequence[float]) -> float:
    return -sum(x * math.log(x) for x in p if x > 0)


def _change(a: NDArray[np.float64], b: NDArray[np.float64], shape: Sequence[int]) -> float:
    """Largest change of any probability between two points (log-probabilities given)."""
    return max(
        float(np.max(np.abs(np.exp(x) - np.exp(y))))
        for x, y in zip(_split(a, shape), _split(b, shape), strict=True)
    )


def _jacobian(
    w: NDArray[np.float64], u: list[NDArray[np.float64]], shape: Sequence[int]
) -> NDArray[np.float64]:
    """Central-difference Jacobian of the residual in ``(z, λ)``: shape ``(n, n + 1)``."""
    n = w.shape[0] - 1
    jac = np.empty((n, n + 1))
    for k in range(n + 1):
        e = 1e-6 * max(1.0, abs(float(w[k])))
        wp, wm = w.copy(), w.copy()
        wp[k] += e
        wm[k] -= e
        jac[:, k] = (
            _residual(wp[:n], float(wp[n]), u, shape) - _residual(wm[:n], float(wm[n]), u, shape)
        ) / (2 * e)
    return jac


def _tangent(
    w: NDArray[np.float64],
    previous: NDArray[np.float64],
    u: list[NDArray[np.float64]],
    shape: Sequence[int],
) -> NDArray[np.float64]:
    """Unit tangent of the QRE curve at ``w``, oriented like ``previous``."""
    _, _, vt = np.linalg.svd(_jacobian(w, u, shape))
    t = np.asarray(vt[-1], dtype=np.float64)
    return t if float(t @ previous) >= 0 else -t


def _arclength(
    zs: list[NDArray[np.float64]],
    lams: list[float],
    u: list[NDArray[np.float64]],
    shape: Sequence[int],
    max_step_change: float,
    min_step: float,
    max_points: int,
) -> bool:
    """Follow the curve by pseudo-arc-length steps until λ increases past the stall point.

    Appends the points to ``zs`` and ``lams``; returns ``False`` when it gets stuck.
    """
    from scipy.optimize import root

    n = zs[-1].shape[0]
    stall = lams[-1]
    w = np.append(zs[-1], lams[-1])
    secant = w - np.append(zs[-2], lams[-2])
    t = _tangent(w, secant / float(np.linalg.norm(secant)), u, shape)
    h = float(np.linalg.norm(secant))
    turned = False
    while len(lams) < max_points:
        pred = w + h * t

        def system(
            v: NDArray[np.float64],
            pred: NDArray[np.float64] = pred,
            t: NDArray[np.float64] = t,
        ) -> NDArray[np.float64]:
            res = _residual(v[:n], float(v[n]), u, shape)
            return np.append(res, t @ (v - pred))

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            sol = root(system, pred, method="hybr", options={"xtol": 1e-14})
        v = np.asarray(sol.x, dtype=np.float64)
        good = bool(np.all(np.isfinite(v))) and float(v[n]) >= 0
        if good:
            res = _residual(v[:n], float(v[n]), u, shape)
            good = float(np.max(np.abs(res) / (1.0 + np.abs(v[:n])))) <= _RESIDUAL
            good = good and _change(v[:n], w[:n], shape) <= max_step_change
        if not good:
            h /= 2
            if h < min_step:
                return False
            continue
        t_new = _tangent(v, t, u, shape)
        w, t = v, t_new
        zs.append(w[:n].copy())
        lams.append(float(w[n]))
        turned = turned or float(t[n]) < 0
        if turned and float(t[n]) > 0 and lams[-1] > stall:
            return True
        h *= 1.25
    return False


def qre_path(
    game: NormalFormGame,
    *,
    lam_max: float = 1000.0,
    first_step: float = 0.05,
    growth: float = 1.25,
    max_step_change: float = 0.05,
    min_step: float = 1e-6,
    max_points: int = 5000,
) -> QREPath:
    """Trace the principal branch of logit QRE from λ = 0 to ``lam_max``.

    λ grows geometrically (step multiplied by ``growth`` after each accepted point); each
    point is solved from a secant prediction of the log-probabilities and accepted when
    the residual is below 1e-11 and no probability moved by more than
    ``max_step_change``; otherwise the step is halved. When the step falls below
    ``min_step`` the branch is taken to turn back in λ, and it is followed by
    pseudo-arc-length predictor-corrector continuation in ``(log σ, λ)`` until λ grows
    again past that point; then the λ grid resumes.

    Parameters
    ----------
    game
        Any N-player game.
    lam_max
        The largest λ; the limit's tolerance is about ``log(max n_i) / lam_max``.
    first_step, growth
        The first λ step and its growth factor.
    max_step_change
        Largest change of any probability between consecutive points.
    min_step
        Below this step the grid hands over to arc-length continuation; if that also
        gets stuck, the path stops with ``complete=False`` and a warning.
    max_points
        Budget on the number of points.

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> g = NormalFormGame.from_arrays([[9, 0], [0, 1]], [[0, 1], [1, 0]])
    >>> path = qre_path(g, lam_max=500)
    >>> path.verified, path.nash.describe()
    (True, 'Player 1: 1 1/2, 2 1/2; Player 2: 1 1/10, 2 9/10')
    >>> path.nash_distance < 0.01, path.tolerance < 0.002
    (True, True)
    """
    if lam_max <= 0 or first_step <= 0 or growth < 1 or min_step <= 0:
        raise SolverError("qre_path(): lam_max, first_step, min_step > 0 and growth >= 1 needed")
    shape = game.shape
    u = _float_payoffs(game)
    z = _uniform_logs(shape)
    zs: list[NDArray[np.float64]] = [z]
    lams: list[float] = [0.0]
    step = first_step
    warns: list[str] = []
    complete = True
    folds = 0
    while lams[-1] < lam_max:
        if len(lams) >= max_points:
            complete = False
            warns.append(f"stopped after max_points={max_points} points at λ={lams[-1]:.6g}")
            break
        lam = min(lams[-1] + step, lam_max)
        h = lam - lams[-1]
        if len(zs) >= 2:
            slope = (zs[-1] - zs[-2]) / (lams[-1] - lams[-2])
            guess = zs[-1] + h * slope
        else:
            guess = zs[-1]
        znew = _solve_at(guess, lam, u, shape)
        ok = znew is not None and _change(znew, zs[-1], shape) <= max_step_change
        if not ok or znew is None:
            step = h / 2
            if step >= min_step:
                continue
            # The branch turns back in λ (or the grid failed): follow it by arc length.
            if len(zs) >= 2 and _arclength(
                zs, lams, u, shape, max_step_change, min_step, max_points
            ):
                folds += 1
                step = max(first_step, (lams[-1] - lams[-2]) * growth)
                continue
            complete = False
            warns.append(
                f"the path stopped at λ={lams[-1]:.6g}: no nearby QRE on the grid for steps "
                f"down to {min_step:g}, and arc-length continuation did not get past it"
            )
            break
        zs.append(znew)
        lams.append(lam)
        step = h * growth
    if folds:
        warns.append(
            f"the branch turned back in λ {folds} time(s) and was followed by arc-length "
            "continuation: λ is not monotone along the path"
        )
    points = tuple(QREPoint(lam, _profile(zz, shape)) for lam, zz in zip(lams, zs, strict=True))
    last = points[-1]
    if last.lam > 0:
        spread = max(float(np.ptp(a)) for a in u)
        tolerance = max(_entropy(p) for p in last.profile) / last.lam + 1e-9 * max(1.0, spread)
    else:
        tolerance = math.inf
    cert = certificate(game.to_float() if game.is_exact else game, last.profile, tol=tolerance)
    regret = float(cert.max_regret)
    nash, dist = _nearest_nash(game, last.profile, warns)
    return QREPath(
        game=game,
        points=points,
        complete=complete,
        tolerance=tolerance,
        limit_regret=regret,
        verified=cert.is_equilibrium,
        nash=nash,
        nash_distance=dist,
        warnings=tuple(warns),
    )


def _nearest_nash(
    game: NormalFormGame, profile: Sequence[Sequence[float]], warns: list[str]
) -> tuple[Equilibrium | None, float | None]:
    from .api import solve

    sol = solve(game)
    if not sol.complete:
        warns.append("the Nash equilibrium list is incomplete; the nearest one may be missing")
    best: Equilibrium | None = None
    best_d: float | None = None
    for e in sol.equilibria:
        if not isinstance(e, Equilibrium):
            continue
        d = max(
            abs(float(a) - b)
            for row_e, row_q in zip(e.profile, profile, strict=True)
            for a, b in zip(row_e, row_q, strict=True)
        )
        if best_d is None or d < best_d:
            best, best_d = e, d
    if best_d is not None and best_d > 1e-2 and sol.components:
        warns.append(
            f"the limit is {best_d:.3g} from the nearest extreme Nash equilibrium; the game is "
            "degenerate and the limit may lie inside a convex component of equilibria "
            "(see Solution.components)"
        )
    return best, best_d
