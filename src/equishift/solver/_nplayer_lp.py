"""Feasibility linear programs with verified infeasibility (HiGHS, Farkas certificates).

:func:`feasibility` asks HiGHS (through the ``scipy.optimize._highspy``
binding that scipy ships, without :func:`scipy.optimize.linprog`'s input
checking, which costs more than solving these small programs) whether

.. math:: r_{lo} \\le A x \\le r_{hi}, \\qquad c_{lo} \\le x \\le c_{hi}

has a solution, on bounds loosened by a small slack. A verdict of
*infeasible* is never trusted as such: HiGHS's dual ray :math:`y` is checked
by :func:`farkas_verified` against the *unloosened* system. For any vector
:math:`y`, every feasible :math:`x` satisfies

.. math:: \\underline{R}(y) := \\sum_i \\min(y_i r_{lo,i}, y_i r_{hi,i})
          \\;\\le\\; y^T A x \\;\\le\\;
          \\sum_j \\max(g_j c_{lo,j}, g_j c_{hi,j}) =: \\overline{U}(y),
          \\qquad g = A^T y,

so :math:`\\overline{U}(y) < \\underline{R}(y)` proves that there is no
feasible point (a Farkas certificate, checked in the style of Neumaier and
Shcherbina 2004, "Safe bounds in linear and mixed-integer programming"). The
check runs in floats with an a priori bound on its rounding error: a sum or
dot product of :math:`N` terms computed in IEEE double precision (unit
roundoff :math:`u = 2^{-53}`), in any order and with or without fused
multiply-adds, is within :math:`\\gamma_N \\sum |\\text{terms}|` of the exact
value, :math:`\\gamma_N = N u / (1 - N u)` (Higham 2002, *Accuracy and
Stability of Numerical Algorithms*, §3.1), and a product is within a relative
:math:`u` (plus :math:`2^{-1074}` below the normal range). The certificate is
accepted only when :math:`\\hat R - \\hat U` exceeds

.. math:: E = 4 \\gamma_{N} \\Big( \\sum_j (|A|^T |y|)_j \\max(|c_{lo,j}|, |c_{hi,j}|)
          + \\sum_j |\\hat g_j| \\max(|c_{lo,j}|, |c_{hi,j}|)
          + \\sum_i |y_i| \\max(|r_{lo,i}|, |r_{hi,i}|) \\Big) + N 2^{-1000},

with :math:`N = m + n + 8`: the first term bounds the error of :math:`\\hat g`,
the second that of the sum :math:`\\hat U`, the third that of :math:`\\hat R`
*and* a relative error :math:`u` in each row bound (callers may pass a row
bound that is a rounded product); the factor 4 covers the rounding of
:math:`E` itself and of the final subtraction. The matrix entries and column
bounds must be exact (callers build them from integers scaled by powers of two
and from floats that are themselves the bounds, rounded outwards). When the
check fails, or HiGHS is not reachable, the program counts as feasible: it
excludes nothing.

Examples
--------
:math:`x_0 + x_1 \\ge 2.5` has no solution in the unit square, and the
certificate says so; :math:`x_0 + x_1 \\ge 1.5` has one:

>>> import numpy as np
>>> a = np.array([[1.0, 1.0]])
>>> feasibility(a, np.array([2.5]), np.array([np.inf]), np.zeros(2), np.ones(2)).feasible
False
>>> feasibility(a, np.array([1.5]), np.array([np.inf]), np.zeros(2), np.ones(2)).feasible
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["LPVerdict", "farkas_verified", "feasibility", "reset_after_fork"]

_U = 2.0**-53
_TINY = 2.0**-1000

try:  # scipy's own binding of HiGHS (scipy >= 1.15); linprog is the fallback
    from scipy.optimize._highspy import _core as _highs_core
except ImportError:  # pragma: no cover - depends on the scipy version
    _highs_core = None


def reset_after_fork() -> None:
    """Drop HiGHS's thread scheduler inherited over ``fork`` (its threads did not survive)."""
    if _highs_core is not None:
        reset = getattr(_highs_core._Highs, "resetGlobalScheduler", None)
        if reset is not None:
            reset(True)


@dataclass(frozen=True)
class LPVerdict:
    """The outcome of :func:`feasibility`.

    ``feasible`` is ``False`` only when infeasibility was *proved* (a verified
    Farkas certificate); ``point`` is a solution of the loosened program when
    the solver found one; ``unverified`` counts a solver verdict of
    infeasible whose certificate failed the check (it excluded nothing);
    ``basis`` is the solver's final basis, to warm-start a program of the same shape.
    """

    feasible: bool
    point: NDArray[np.float64] | None = None
    unverified: bool = False
    basis: Any = None


def farkas_verified(
    a: NDArray[np.float64],
    y: NDArray[np.float64],
    row_lo: NDArray[np.float64],
    row_hi: NDArray[np.float64],
    col_lo: NDArray[np.float64],
    col_hi: NDArray[np.float64],
) -> bool:
    """Whether ``y`` (or ``-y``) proves ``row_lo <= a @ x <= row_hi`` infeasible on the box.

    Parameters
    ----------
    a
        The constraint matrix (dense, exact entries), ``m x n``.
    y
        A candidate multiplier per row (for instance a solver's dual ray).
    row_lo, row_hi
        Row bounds (``-inf`` / ``inf`` where absent); each may be off by a
        relative rounding error.
    col_lo, col_hi
        Finite, exact column bounds.

    Returns
    -------
    bool
        ``True`` only when the rounding-error-bounded check proves that no
        ``x`` satisfies the system (see the module docstring).

    Examples
    --------
    >>> import numpy as np
    >>> a = np.array([[1.0, 1.0], [1.0, 1.0]])
    >>> lo, hi = np.array([-np.inf, 1.5]), np.array([1.0, np.inf])
    >>> farkas_verified(a, np.array([-1.0, 1.0]), lo, hi, np.zeros(2), np.ones(2))
    True
    >>> farkas_verified(a, np.array([1.0, 1.0]), lo, hi, np.zeros(2), np.ones(2))
    False
    """
    m, n = a.shape
    if len(y) != m or not np.isfinite(y).all():
        return False
    cmax = np.maximum(np.abs(col_lo), np.abs(col_hi))
    if not np.isfinite(cmax).all():
        return False
    big_n = m + n + 8
    gamma = big_n * _U / (1.0 - big_n * _U)
    abs_a = np.abs(a)
    with np.errstate(all="ignore"):
        for sign in (1.0, -1.0):
            z = sign * y
            # Lower bound of z @ (a x) from the row bounds; a row whose needed bound
            # is infinite is left out of the combination (z_i = 0 is allowed).
            rb = np.where(z > 0, row_lo, row_hi)
            z = np.where(np.isfinite(rb) & (z != 0), z, 0.0)
            rb = np.where(z != 0, rb, 0.0)
            if not z.any():
                continue
            r_terms = z * rb
            r_hat = float(r_terms.sum())
            g = z @ a
            u_terms = np.maximum(g * col_lo, g * col_hi)
            u_hat = float(u_terms.sum())
            err = (
                float((np.abs(z) @ abs_a) @ cmax)
                + float(np.abs(g) @ cmax)
                + float(np.abs(r_terms).sum())
            )
            bound = 4.0 * gamma * err + big_n * _TINY
            finite = np.isfinite(r_hat) and np.isfinite(u_hat) and np.isfinite(bound)
            if finite and r_hat - u_hat > bound:
                return True
    return False


def _csc(a: NDArray[np.float64]) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[Any]]:
    """Column-compressed arrays of a dense matrix."""
    at = a.T
    nz = at != 0
    indptr = np.zeros(at.shape[0] + 1, dtype=np.int32)
    np.cumsum(nz.sum(axis=1), out=indptr[1:])
    _cols, rows = np.nonzero(nz)
    return indptr, rows.astype(np.int32), at[nz]


def _highs(
    a: NDArray[np.float64],
    row_lo: NDArray[np.float64],
    row_hi: NDArray[np.float64],
    col_lo: NDArray[np.float64],
    col_hi: NDArray[np.float64],
    basis: Any = None,
) -> tuple[str, NDArray[np.float64] | None, NDArray[np.float64] | None, Any]:
    """Solve with HiGHS directly: ``("optimal"|"infeasible"|"other", x, dual ray, basis)``."""
    h = _highs_core
    assert h is not None
    m, n = a.shape
    lp = h.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = m
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = m
    lp.a_matrix_.format_ = h.MatrixFormat.kColwise
    indptr, index, value = _csc(a)
    lp.a_matrix_.start_ = indptr
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    lp.col_cost_ = np.zeros(n)
    lp.col_lower_ = col_lo
    lp.col_upper_ = col_hi
    lp.row_lower_ = row_lo
    lp.row_upper_ = row_hi
    solver = h._Highs()
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("presolve", "off")
    solver.setOptionValue("solver", "simplex")
    solver.setOptionValue("threads", 1)
    if solver.passModel(lp) == h.HighsStatus.kError:
        return "other", None, None, None
    if basis is not None:
        solver.setBasis(basis)  # a warm start: only the work, never the verdict, depends on it
    if solver.run() == h.HighsStatus.kError:
        return "other", None, None, None
    status = solver.getModelStatus()
    new_basis = solver.getBasis()
    new_basis = new_basis if new_basis.valid else None
    if status == h.HighsModelStatus.kOptimal:
        return "optimal", np.array(solver.getSolution().col_value), None, new_basis
    if status == h.HighsModelStatus.kInfeasible:
        ray = solver.getDualRay()
        if ray[1]:
            return "infeasible", None, np.asarray(ray[2], dtype=np.float64), new_basis
        return "infeasible", None, None, new_basis
    return "other", None, None, new_basis


def _linprog(
    a: NDArray[np.float64],
    row_lo: NDArray[np.float64],
    row_hi: NDArray[np.float64],
    col_lo: NDArray[np.float64],
    col_hi: NDArray[np.float64],
    basis: Any = None,
) -> tuple[str, NDArray[np.float64] | None, NDArray[np.float64] | None, Any]:  # pragma: no cover
    """Fallback through :func:`scipy.optimize.linprog` (no dual ray: never infeasible)."""
    from scipy.optimize import linprog

    up = np.isfinite(row_hi)
    down = np.isfinite(row_lo) & ~(row_lo == row_hi)
    eq = row_lo == row_hi
    a_ub = np.vstack([a[up & ~eq], -a[down]])
    b_ub = np.concatenate([row_hi[up & ~eq], -row_lo[down]])
    res = linprog(
        np.zeros(a.shape[1]),
        A_ub=a_ub if len(a_ub) else None,
        b_ub=b_ub if len(b_ub) else None,
        A_eq=a[eq] if eq.any() else None,
        b_eq=row_hi[eq] if eq.any() else None,
        bounds=list(zip(col_lo, col_hi, strict=True)),
        method="highs",
    )
    if res.status == 0:
        return "optimal", np.asarray(res.x), None, None
    return ("infeasible" if res.status == 2 else "other"), None, None, None


def feasibility(
    a: NDArray[np.float64],
    row_lo: NDArray[np.float64],
    row_hi: NDArray[np.float64],
    col_lo: NDArray[np.float64],
    col_hi: NDArray[np.float64],
    *,
    slack: float = 0.0,
    basis: Any = None,
) -> LPVerdict:
    """Whether ``row_lo <= a @ x <= row_hi``, ``col_lo <= x <= col_hi`` may have a solution.

    Parameters
    ----------
    a
        Dense constraint matrix with exact entries.
    row_lo, row_hi
        Row bounds (infinite where absent); inequality rows (those with
        ``row_lo < row_hi``) are loosened by ``slack`` for the solver.
    col_lo, col_hi
        Exact, finite column bounds, loosened by ``slack`` for the solver.
    slack
        Loosening given to the solver (the certificate is checked without it).
    basis
        A basis from an earlier program of the same shape (``LPVerdict.basis``),
        to warm-start the solver.

    Returns
    -------
    LPVerdict
        ``feasible=False`` only with a verified Farkas certificate.

    Examples
    --------
    >>> import numpy as np
    >>> a = np.array([[1.0, -1.0]])
    >>> v = feasibility(a, np.array([0.5]), np.array([0.5]), np.zeros(2), np.ones(2))
    >>> v.feasible, [round(float(t), 6) for t in v.point[:1]]
    (True, [0.5])
    """
    ineq = row_lo < row_hi
    lo_s = np.where(ineq, row_lo - slack, row_lo)
    hi_s = np.where(ineq, row_hi + slack, row_hi)
    run = _highs if _highs_core is not None else _linprog
    status, x, ray, new_basis = run(a, lo_s, hi_s, col_lo - slack, col_hi + slack, basis)
    if status == "optimal":
        return LPVerdict(True, x, basis=new_basis)
    if (
        status == "infeasible"
        and ray is not None
        and farkas_verified(a, ray, row_lo, row_hi, col_lo, col_hi)
    ):
        return LPVerdict(False, basis=new_basis)
    return LPVerdict(True, None, unverified=status == "infeasible", basis=new_basis)
