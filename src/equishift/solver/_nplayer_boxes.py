"""Certified real roots of small multilinear systems in the unit box (interval Krawczyk).

The indifference equations of a support profile are multilinear: each unknown
appears with degree at most one in every monomial. On the boxes
:math:`[lo, hi] \\subseteq [0, 1]^n` searched here every unknown is
nonnegative, so a monomial ranges over ``[prod(lo), prod(hi)]`` and interval
enclosures of the equations and of their Jacobian are cheap and vectorised
over many boxes at once.

:func:`solve_boxes` subdivides the unit box breadth first. A box is dropped
when an equation cannot vanish on it, when an outside strategy is strictly
better on all of it, when it lies outside a player's simplex, or when the
Krawczyk operator :math:`K(X) = m - Y f(m) + (I - Y J(X))(X - m)` misses it.
When :math:`K(X)` lies in the interior of :math:`X` the box holds exactly one
root (Krawczyk 1969, Moore 1977), which is then narrowed by iterating the
operator. Boxes that are neither dropped nor certified are split. The search
is *complete* over the box: every root lies in a certified box or in a box the
search could not resolve, and the caller is told when such a box remains
(a singular root, a root on a face, a continuum), so that another method can
take over.

*Rounding errors.* Arithmetic is in IEEE double precision (unit roundoff
:math:`u = 2^{-53}`, round to nearest) on coefficients scaled to at most one
(each scaled coefficient within a relative :math:`u` of the exact one; scaling
an equation changes neither its roots nor its signs). Every quantity compared
is a chain of at most :math:`N = T + d + n + 8` roundings (:math:`T`
monomials, degree :math:`d`, :math:`n` unknowns): a product of factors in
:math:`[0, 1]`, a dot product or sum, a subtraction. By Higham's bound
(*Accuracy and Stability of Numerical Algorithms*, 2002, §3.1: a computed sum
or dot product of :math:`N` terms, in any order, is within
:math:`\\gamma_N \\sum |\\text{terms}|`, :math:`\\gamma_N = N u / (1 - N u)`),
its error is at most :math:`g \\cdot S` where :math:`g = 8 \\gamma_N` and
:math:`S` is the sum of the absolute values of the terms, which is computed
alongside (at the box's upper corner for enclosures, since monomials increase
on :math:`[0, 1]^n`), plus :math:`(T + n + 8) 2^{-1000}` for underflow. These
pads are added to every enclosure: of the equations and inequalities at the
corners, of :math:`f` at the midpoint, of the Jacobian, of the mean-value
spread, and of the Krawczyk operator (where the inverse :math:`Y` enters
through :math:`|Y|` times the pads, the matrix :math:`I - Y J_c` through
:math:`g (1 + |Y| |J_c|)`, and the distance to the rounded midpoint is bounded
by :math:`\\max(hi - m, m - lo)(1 + 4u)`). The simplex test compares a sum of at
most :math:`n` numbers in :math:`[0, 1]` (error below :math:`n^2 u`) with
:math:`1 + 10^{-11}`. So every box dropped provably holds no root (no
equilibrium) and every box certified provably holds exactly one root; the
margins :math:`10^{-11}` and :math:`10^{-13}` come on top of these pads. The
final box of a reported irrational equilibrium is re-proved in exact rational
arithmetic anyway (:mod:`._nplayer_exact`).

Examples
--------
:math:`x + y = 1`, :math:`x = 2 y` has the root :math:`(2/3, 1/3)`:

>>> res = solve_boxes([{(1, 0): 1, (0, 1): 1, (0, 0): -1}, {(1, 0): 1, (0, 1): -2}], [], 2, [])
>>> res.resolved, [[round(float(v), 12) for v in r.point] for r in res.roots]
(True, [[0.666666666667, 0.333333333333]])
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

__all__ = ["BoxResult", "BoxRoot", "Compiled", "solve_boxes"]

Polynomial = dict[tuple[int, ...], int]

_MARGIN = 1e-11
"""Extra absolute slack (coefficients are scaled to at most 1) on top of the proved
rounding-error bounds."""
_U = 2.0**-53
"""Unit roundoff of IEEE double precision."""
_MIN_WIDTH = 1e-9
"""A box narrower than this that is neither dropped nor certified stays unresolved."""
_SPLIT = 0.4921875 + 0.00390625 * 0.318309886
"""Boxes are split off-centre, so that rational roots such as 1/2 never sit on a face."""


@dataclass(frozen=True)
class BoxRoot:
    """One certified root: ``point`` (refined) lies in ``[lo, hi]``, the unique root there."""

    point: NDArray[np.float64]
    lo: NDArray[np.float64]
    hi: NDArray[np.float64]


@dataclass
class BoxResult:
    """Roots found by :func:`solve_boxes`.

    ``resolved`` is ``True`` when every part of the unit box was either proved
    free of roots (of equilibria, when inequalities are given) or certified to
    hold exactly one root; then ``roots`` holds all of them.
    """

    roots: list[BoxRoot] = field(default_factory=list)
    resolved: bool = True
    boxes: int = 0


class Compiled:
    """A multilinear system as arrays of monomials and coefficients (see :func:`solve_boxes`)."""

    def __init__(self, eqs: Sequence[Polynomial], ineqs: Sequence[Polynomial], n: int) -> None:
        self.n = n
        monos = sorted({m for p in (*eqs, *ineqs) for m in p})
        where = {m: k for k, m in enumerate(monos)}
        self.expo = np.array(monos, dtype=bool).reshape(len(monos), n)
        self.n_eq = len(eqs)
        rows = [*eqs, *ineqs]
        self.rows = np.zeros((len(rows), len(monos)))
        for r, p in enumerate(rows):
            big = max((abs(v) for v in p.values()), default=1) or 1
            for m, v in p.items():
                self.rows[r, where[m]] = v / big
        self.coef = self.rows[: self.n_eq]
        # Jacobian: d(row)/d(x_k) as coefficients over the derivative monomials.
        dmonos: dict[tuple[int, ...], int] = {}
        entries: list[tuple[int, int, int, float]] = []
        for e in range(len(rows)):
            for t, m in enumerate(monos):
                c = self.rows[e, t]
                if c == 0:
                    continue
                for k in range(n):
                    if m[k]:
                        dm = tuple(0 if j == k else v for j, v in enumerate(m))
                        d = dmonos.setdefault(dm, len(dmonos))
                        entries.append((e, k, d, c))
        self.dexpo = np.array(list(dmonos), dtype=bool).reshape(len(dmonos), n)
        self.dcoef = np.zeros((len(rows) * n, len(dmonos)))
        for e, k, d, c in entries:
            self.dcoef[e * n + k, d] += c
        self.rpos = np.clip(self.rows, 0, None).T
        self.rneg = np.clip(self.rows, None, 0).T
        self.rabs = np.abs(self.rows).T
        self.dpos = np.clip(self.dcoef, 0, None).T
        self.dneg = np.clip(self.dcoef, None, 0).T
        self.cabs = np.abs(self.coef).T
        self.dabs = np.abs(self.dcoef).T
        self.n_eq_d = self.n_eq * n
        self.idx = self._gather(self.expo, n)
        self.didx = self._gather(self.dexpo, n)
        # A priori rounding-error factor (see the module docstring): every quantity
        # below is a chain of at most T + d + n + 8 roundings.
        deg = self.idx.shape[1]
        steps = len(monos) + deg + n + 8
        self.g = 8.0 * steps * _U / (1.0 - steps * _U)
        self.tiny = (len(monos) + n + 8) * 2.0**-1000

    @staticmethod
    def _gather(expo: NDArray[np.bool_], n: int) -> NDArray[np.intp]:
        """Each monomial's variables, padded with ``n`` (a column of ones)."""
        deg = max(1, int(expo.sum(axis=1).max(initial=0)))
        idx = np.full((len(expo), deg), n, dtype=np.intp)
        for t, row in enumerate(expo):
            vs = np.flatnonzero(row)
            idx[t, : len(vs)] = vs
        return idx

    def monomials(self, expo: NDArray[np.bool_], x: NDArray[np.float64]) -> NDArray[np.float64]:
        """Values of the monomials at each row of ``x`` (shape (B, n) -> (B, T))."""
        idx = self.idx if expo is self.expo else self.didx
        ext = np.concatenate([x, np.ones((len(x), 1))], axis=1)
        out = ext[:, idx[:, 0]]
        for j in range(1, idx.shape[1]):
            out = out * ext[:, idx[:, j]]
        return out

    def f(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        return self.monomials(self.expo, x) @ self.coef.T

    def jac(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        vals = self.monomials(self.dexpo, x) @ self.dcoef[: self.n_eq_d].T
        return vals.reshape(len(x), -1, self.n)


def _radius(
    lo: NDArray[np.float64], hi: NDArray[np.float64], mid: NDArray[np.float64]
) -> NDArray[np.float64]:
    """An upper bound of ``|x - mid|`` over the box (``mid`` is a rounded midpoint)."""
    return np.maximum(hi - mid, mid - lo) * (1.0 + 4.0 * _U) + 2.0**-1070


def _krawczyk(
    sysm: Compiled,
    mid: NDArray[np.float64],
    rad: NDArray[np.float64],
    fm: NDArray[np.float64],
    ferr: NDArray[np.float64],
    jlo: NDArray[np.float64],
    jhi: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """A rigorous enclosure ``[klo, khi]`` of the Krawczyk operator, batched over boxes.

    ``f(mid)`` lies in ``fm +- ferr`` and the Jacobian on the box in
    ``[jlo, jhi]``; ``|x - mid| <= rad`` on the box. ``ok`` flags boxes whose
    midpoint Jacobian could be inverted. Every rounding error is covered by
    terms in ``sysm.g`` (module docstring); the fixed ``1e-13`` padding is on top.
    """
    g, tiny = sysm.g, sysm.tiny
    n = sysm.n
    eye = np.eye(n)
    jc = (jlo + jhi) / 2
    # [jc - jr, jc + jr] contains [jlo, jhi] despite the rounding of jc and jr.
    jr = (jhi - jlo) / 2 * (1.0 + 4.0 * _U) + 4.0 * _U * np.abs(jc) + tiny
    y, ok = _inverse(jc)
    step = np.einsum("bij,bj->bi", y, fm)
    ay = np.abs(y)
    ayjc = np.einsum("bij,bjk->bik", ay, np.abs(jc))
    mag = (
        np.abs(eye[None] - np.einsum("bij,bjk->bik", y, jc))
        + np.einsum("bij,bjk->bik", ay, jr)
        + g * (1.0 + ayjc)
    )
    krad = (
        np.einsum("bij,bj->bi", mag, rad)
        + np.einsum("bij,bj->bi", ay, ferr)
        + g * np.einsum("bij,bj->bi", ay, np.abs(fm))
    )
    krad = krad * (1.0 + g) + g * (np.abs(mid) + np.abs(step)) + tiny
    krad += 1e-13 * (1.0 + np.abs(mid))
    kc = mid - step
    klo, khi = kc - krad, kc + krad
    ok &= np.isfinite(klo).all(axis=1) & np.isfinite(khi).all(axis=1)
    return klo, khi, ok


def _inverse(m: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Batched inverse; rows whose matrix is (numerically) singular are flagged."""
    det = np.linalg.det(m)
    ok = np.isfinite(det) & (np.abs(det) > 1e-300)
    safe = np.where(ok[:, None, None], m, np.eye(m.shape[1])[None])
    try:
        inv = np.linalg.inv(safe)
    except np.linalg.LinAlgError:  # pragma: no cover - det and LU disagree
        return np.zeros_like(m), np.zeros(len(m), dtype=bool)
    good = np.isfinite(inv).all(axis=(1, 2))
    ok &= good
    inv[~ok] = 0.0
    return inv, ok


def solve_boxes(
    eqs: Sequence[Polynomial],
    ineqs: Sequence[Polynomial],
    nvars: int,
    blocks: Sequence[Sequence[int]],
    *,
    max_boxes: int = 20000,
    deadline: float | None = None,
    box: tuple[NDArray[np.float64], NDArray[np.float64]] | None = None,
    compiled: Compiled | None = None,
) -> BoxResult:
    """Every root in ``[0, 1]^n`` of a square multilinear system, each certified.

    Parameters
    ----------
    eqs
        ``nvars`` polynomials (``{exponents: integer coefficient}``, exponents 0 or 1).
    ineqs
        Polynomials that must be ``<= 0`` at the roots sought: a box on which one
        of them is positive everywhere is dropped (its roots are not wanted).
    nvars
        Number of unknowns.
    blocks
        Groups of unknowns whose sum must stay below one (a player's free
        probabilities); boxes entirely outside are dropped.
    max_boxes
        Boxes examined before giving up (``resolved=False``).
    deadline
        A ``time.monotonic()`` value after which the search gives up.
    box
        ``(lo, hi)``: search this sub-box of the unit box instead.
    compiled
        ``Compiled(eqs, ineqs, nvars)``, when the caller solves the same system
        on many boxes (saves compiling it each time).

    Returns
    -------
    BoxResult
        With ``resolved=True`` the roots are all roots in the box that can be
        equilibria; with ``resolved=False`` some may be missing.

    Examples
    --------
    :math:`4xy = 1` and :math:`x = y` meet once in the unit square:

    >>> eqs = [{(1, 1): 4, (0, 0): -1}, {(1, 0): 1, (0, 1): -1}]
    >>> res = solve_boxes(eqs, [], 2, [])
    >>> res.resolved, sorted(round(float(r.point[0]), 9) for r in res.roots)
    (True, [0.5])
    """
    with np.errstate(all="ignore"):
        sysm = Compiled(eqs, ineqs, nvars) if compiled is None else compiled
        return _solve(sysm, nvars, blocks, max_boxes, deadline, box)


def _solve(
    sysm: Compiled,
    nvars: int,
    blocks: Sequence[Sequence[int]],
    max_boxes: int,
    deadline: float | None,
    box: tuple[NDArray[np.float64], NDArray[np.float64]] | None,
) -> BoxResult:
    n = nvars
    out = BoxResult()
    if n == 0:
        return out
    blk = [list(b) for b in blocks if len(b)]
    if box is None:
        lo = np.zeros((1, n))
        hi = np.ones((1, n))
    else:
        lo = np.asarray(box[0], dtype=np.float64).reshape(1, n).copy()
        hi = np.asarray(box[1], dtype=np.float64).reshape(1, n).copy()
    while len(lo):
        out.boxes += len(lo)
        if out.boxes > max_boxes or (deadline is not None and time.monotonic() > deadline):
            out.resolved = False
            return out
        keep = np.ones(len(lo), dtype=bool)
        for b in blk:
            keep &= lo[:, b].sum(axis=1) < 1.0 + _MARGIN
        mid = (lo + hi) / 2
        rad = _radius(lo, hi, mid)
        mlo = sysm.monomials(sysm.expo, lo)
        mhi = sysm.monomials(sysm.expo, hi)
        mmid = sysm.monomials(sysm.expo, mid)
        g, tiny = sysm.g, sysm.tiny
        # Monomials increase on [0, 1]^n: |f| terms are largest at hi.
        fpad = (mhi @ sysm.rabs) * g + tiny
        flo = mlo @ sysm.rpos + mhi @ sysm.rneg - fpad
        fhi = mhi @ sysm.rpos + mlo @ sysm.rneg + fpad
        fm = mmid @ sysm.rows.T
        ferr = (mmid @ sysm.rabs) * g + tiny
        dlo = sysm.monomials(sysm.dexpo, lo)
        dhi = sysm.monomials(sysm.dexpo, hi)
        jpad = ((dhi @ sysm.dabs) * g + tiny).reshape(len(lo), -1, n)
        jlo = (dlo @ sysm.dpos + dhi @ sysm.dneg).reshape(len(lo), -1, n) - jpad
        jhi = (dhi @ sysm.dpos + dlo @ sysm.dneg).reshape(len(lo), -1, n) + jpad
        # Mean-value form: f(X) lies in f(m) + J(X)(X - m); keep the tighter bound.
        spread = np.einsum("brk,bk->br", np.maximum(np.abs(jlo), np.abs(jhi)), rad) + ferr
        spread += g * (spread + np.abs(fm)) + tiny
        flo = np.maximum(flo, fm - spread)
        fhi = np.minimum(fhi, fm + spread)
        ne = sysm.n_eq
        keep &= ~((flo[:, :ne] > _MARGIN) | (fhi[:, :ne] < -_MARGIN)).any(axis=1)
        keep &= ~(flo[:, ne:] > _MARGIN).any(axis=1)
        lo, hi, mid, rad = lo[keep], hi[keep], mid[keep], rad[keep]
        if not len(lo):
            break
        # Krawczyk operator on the equations.
        jlo, jhi = jlo[keep, :ne], jhi[keep, :ne]
        fm, ferr = fm[keep, :ne], ferr[keep, :ne]
        klo, khi, ok = _krawczyk(sysm, mid, rad, fm, ferr, jlo, jhi)
        empty = ((klo > hi) | (khi < lo)).any(axis=1) & ok
        inside = ((klo > lo) & (khi < hi)).all(axis=1) & ok
        nxt_lo: list[NDArray[np.float64]] = []
        nxt_hi: list[NDArray[np.float64]] = []
        for hit in np.flatnonzero(inside):
            root = _narrow(sysm, klo[hit], khi[hit])
            if root is not None:
                out.roots.append(root)
            else:
                out.resolved = False
        rest = ~(empty | inside)
        if not rest.any():
            break
        lo, hi = lo[rest], hi[rest]
        klo, khi, okr = klo[rest], khi[rest], ok[rest]
        jlo_r, jhi_r = jlo[rest], jhi[rest]
        # Contract by K where it helps, then split along the widest side.
        nlo = np.where(okr[:, None], np.maximum(lo, klo), lo)
        nhi = np.where(okr[:, None], np.minimum(hi, khi), hi)
        width = nhi - nlo
        shrunk = width.max(axis=1) < 0.5 * (hi - lo).max(axis=1)
        tiny = width.max(axis=1) < _MIN_WIDTH
        if tiny.any():
            out.resolved = False
            return out
        nxt_lo.append(nlo[shrunk])
        nxt_hi.append(nhi[shrunk])
        s = ~shrunk
        if s.any():
            slo, shi, w = nlo[s], nhi[s], width[s]
            # Split where the equations vary most ("smear"), widest side on ties.
            smear = np.maximum(np.abs(jlo_r[s]), np.abs(jhi_r[s])).sum(axis=1) * w
            k = np.argmax(smear + 1e-12 * w, axis=1)
            rows = np.arange(len(slo))
            cut = slo[rows, k] + _SPLIT * w[rows, k]
            hi1 = shi.copy()
            hi1[rows, k] = cut
            lo2 = slo.copy()
            lo2[rows, k] = cut
            nxt_lo += [slo, lo2]
            nxt_hi += [hi1, shi]
        lo = np.concatenate(nxt_lo)
        hi = np.concatenate(nxt_hi)
    out.roots = _dedupe(out.roots)
    return out


def _narrow(sysm: Compiled, lo: NDArray[np.float64], hi: NDArray[np.float64]) -> BoxRoot | None:
    """Iterate Krawczyk on a certified box until it stops shrinking; Newton gives the point."""
    n = sysm.n
    g, tiny = sysm.g, sysm.tiny
    for _ in range(30):
        mid = (lo + hi) / 2
        rad = _radius(lo, hi, mid)
        dlo = sysm.monomials(sysm.dexpo, lo[None])
        dhi = sysm.monomials(sysm.dexpo, hi[None])
        jpad = ((dhi @ sysm.dabs) * g + tiny)[0, : sysm.n_eq_d].reshape(n, n)
        jlo = (dlo @ sysm.dpos + dhi @ sysm.dneg)[0, : sysm.n_eq_d].reshape(n, n) - jpad
        jhi = (dhi @ sysm.dpos + dlo @ sysm.dneg)[0, : sysm.n_eq_d].reshape(n, n) + jpad
        mono = sysm.monomials(sysm.expo, mid[None])[0]
        fm = mono @ sysm.coef.T
        ferr = (mono @ sysm.cabs) * g + tiny
        klo, khi, ok = _krawczyk(
            sysm, mid[None], rad[None], fm[None], ferr[None], jlo[None], jhi[None]
        )
        if not ok[0]:
            return None
        nlo = np.maximum(lo, klo[0])
        nhi = np.minimum(hi, khi[0])
        if (nlo > nhi).any():
            return None  # cannot happen for a certified box; be safe
        done = (nhi - nlo).max() > 0.9 * (hi - lo).max()
        lo, hi = nlo, nhi
        if done:
            break
    point = (lo + hi) / 2
    for _ in range(3):
        f = sysm.f(point[None])[0]
        j = sysm.jac(point[None])[0]
        try:
            new = point - np.linalg.solve(j, f)
        except np.linalg.LinAlgError:
            break
        if not ((new >= lo) & (new <= hi)).all():
            break
        point = new
    return BoxRoot(point, lo, hi)


def _dedupe(roots: list[BoxRoot]) -> list[BoxRoot]:
    """Certified boxes that overlap after narrowing hold the same root: keep one."""
    out: list[BoxRoot] = []
    for r in sorted(roots, key=lambda r: float((r.hi - r.lo).max())):
        if any(((r.lo <= o.hi) & (o.lo <= r.hi)).all() for o in out):
            continue
        out.append(r)
    return out
