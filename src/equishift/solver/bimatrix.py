"""All equilibria of a two-player (bimatrix) game, exact and correct in degenerate games.

Player 1 has payoff matrix :math:`A` and player 2 has :math:`B`, both
:math:`m \\times n`. After a positive affine change of each player's payoffs
(this changes no equilibrium), every entry is a positive integer and the
*best-response polytopes* are

.. math::

    P = \\{x \\in \\mathbb{R}^m : x \\ge 0,\\ B^\\top x \\le 1\\}, \\qquad
    Q = \\{y \\in \\mathbb{R}^n : A y \\le 1,\\ y \\ge 0\\}.

A point has *label* :math:`i` (a strategy of player 1) when :math:`x_i = 0`
or :math:`(Ay)_i = 1`, and label :math:`m + j` when :math:`(B^\\top x)_j = 1`
or :math:`y_j = 0`. The extreme equilibria are exactly the vertex pairs
:math:`(x, y) \\ne (0, 0)` that together carry all :math:`m + n` labels,
rescaled to probabilities (von Stengel 2002; Avis, Rosenberg, Savani and
von Stengel 2010).

How it is computed
------------------
1. The vertices of :math:`P` and :math:`Q` are enumerated by a breadth-first
   search over their feasible bases, a whole level of bases at a time with
   batched ``numpy`` linear algebra. Ties in the ratio test are broken every
   possible way (within a generous tolerance), so every basis of a degenerate
   vertex is visited. If the payoffs are too large for floating point, the
   same search runs in exact integer arithmetic instead.
2. Vertex pairs whose labels (again with a generous tolerance, so too many
   rather than too few) cover all labels are *candidates*.
3. Each candidate vertex is recomputed from its basis **exactly**
   (fraction-free integer elimination), and its exact labels decide. So every
   equilibrium returned has regret exactly 0.
4. In a degenerate game the set of equilibria is a finite union of polytopes,
   the *maximal Nash subsets*: the maximal bicliques of the bipartite graph
   whose edges are the extreme equilibria. They are returned as index tuples.

A nondegenerate game has an odd number of equilibria; an even count there
means a vertex was missed by the floating-point search, and the search is
repeated in exact arithmetic.

Examples
--------
>>> import numpy as np
>>> from fractions import Fraction as F
>>> A = np.array([[F(2), F(0)], [F(0), F(1)]], dtype=object)
>>> B = np.array([[F(1), F(0)], [F(0), F(2)]], dtype=object)
>>> res = all_equilibria(A, B)
>>> [tuple(tuple(str(p) for p in s) for s in eq) for eq in res.equilibria]
[(('1', '0'), ('1', '0')), (('0', '1'), ('0', '1')), (('2/3', '1/3'), ('1/3', '2/3'))]
>>> res.degenerate, res.complete
(False, True)
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..games.errors import SolverError
from ..games.numbers import Number

__all__ = ["BimatrixResult", "all_equilibria", "can_enumerate", "lemke_howson"]

Profile = tuple[tuple[Number, ...], tuple[Number, ...]]
IntMatrix = list[list[int]]

# Tolerances of the floating-point search. The constraint coefficients are scaled into
# [1/2, 1], so every coordinate of a feasible vertex lies in [0, 2] and absolute tolerances
# are used.
_ZERO_TOL = 1e-9  # a value this small *may* be zero: the label is a candidate
_TIE_TOL = 1e-9  # ratios this close *may* tie: both pivots are explored
_PIV_REL = 1e-10  # pivot elements below this (relative to their column) are treated as 0
_FEAS_TOL = 1e-6  # a basis with a value below -_FEAS_TOL is certainly infeasible
_FLOAT_SAFE = 2**40  # payoffs (as scaled integers) above this use the exact search
_CHUNK = 2048  # bases per batched linear-algebra call
_TABLE_BITS = 22  # up to this many variables, bases seen are marked in a table of 2**nv


@dataclass(frozen=True)
class BimatrixResult:
    """All extreme equilibria of a bimatrix game and the convex sets they span.

    Attributes
    ----------
    equilibria
        Extreme equilibria ``(x, y)``: one probability tuple per player, exact
        (``Fraction``) for exact games and ``float`` otherwise. Pure equilibria
        first, then by support size; the order is deterministic.
    components
        Maximal Nash subsets with at least two extreme equilibria, each a
        sorted tuple of indices into ``equilibria``: every convex combination
        of the equilibria in one subset is an equilibrium. Empty when every
        equilibrium is isolated.
    degenerate
        True when some mixed strategy with ``k`` strategies in its support has
        more than ``k`` pure best responses.
    exact
        True when the probabilities are ``Fraction`` and regrets are exactly 0.
    complete
        True when the enumeration ran to the end (not cut off by ``max_seconds``).
    warnings
        Plain-language notes (degeneracy, time limit).
    """

    equilibria: tuple[Profile, ...]
    components: tuple[tuple[int, ...], ...]
    degenerate: bool
    exact: bool
    complete: bool
    warnings: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# Input
# ---------------------------------------------------------------------------------------------


def _as_fraction(value: Any, fname: str) -> Fraction:
    if isinstance(value, bool | np.bool_):
        raise SolverError(f"{fname}(): payoffs must be numbers, found a boolean")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int | np.integer):
        return Fraction(int(value))
    try:
        f = float(value)
    except (TypeError, ValueError):
        raise SolverError(f"{fname}(): payoff {value!r} is not a number") from None
    if not math.isfinite(f):
        raise SolverError(f"{fname}(): payoff {value!r} is not finite")
    # Shortest decimal that reads back as the same float: 0.1 means 1/10.
    return Fraction(repr(f))


def _prepare(A: Any, B: Any, fname: str) -> tuple[IntMatrix, IntMatrix, bool]:
    """Check the shapes; return positive integer payoff matrices and whether input was exact.

    Each player's payoffs get their own positive affine transformation (scale by the lcm of
    the denominators, shift so every entry lies in [R + 1, 2R + 1] where R is the range),
    which changes no best response.
    """
    a = np.asarray(A)
    b = np.asarray(B)
    if a.ndim != 2 or b.ndim != 2:
        raise SolverError(
            f"{fname}(): payoff matrices must be 2-dimensional, got shapes {a.shape} and {b.shape}"
        )
    if a.shape != b.shape:
        raise SolverError(
            f"{fname}(): payoff matrices must have the same shape, got {a.shape} and {b.shape}"
        )
    if a.size == 0:
        raise SolverError(f"{fname}(): each player needs at least one strategy, got {a.shape}")
    exact = all(
        isinstance(v, Fraction | int | np.integer) and not isinstance(v, bool | np.bool_)
        for arr in (a, b)
        for v in arr.ravel().tolist()
    )
    out: list[IntMatrix] = []
    for arr in (a, b):
        vals = [_as_fraction(v, fname) for v in arr.ravel().tolist()]
        lcm = 1
        for v in vals:
            lcm = lcm * v.denominator // math.gcd(lcm, v.denominator)
        ints = [v.numerator * (lcm // v.denominator) for v in vals]
        low, high = min(ints), max(ints)
        # Entries in [R + 1, 2R + 1] (R = high - low): within a factor of 2 of each other,
        # which keeps the floating-point search well scaled.
        shifted = [v - low + (high - low) + 1 for v in ints]
        n = arr.shape[1]
        out.append([shifted[r * n : (r + 1) * n] for r in range(arr.shape[0])])
    return out[0], out[1], exact


def _transpose(M: IntMatrix) -> IntMatrix:
    return [list(col) for col in zip(*M, strict=True)]


# ---------------------------------------------------------------------------------------------
# Exact linear algebra
# ---------------------------------------------------------------------------------------------


def _solve_ones(C: IntMatrix, rows: Sequence[int], cols: Sequence[int]) -> tuple[list[int], int]:
    """Solve ``C[rows, cols] z = 1`` exactly; ``z = u / D`` with integers, ``D > 0``.

    Fraction-free Gauss-Jordan elimination (every intermediate value is a minor
    of the system, so every division is exact). Returns ``([], 0)`` when singular.
    """
    k = len(rows)
    a = [[C[r][c] for c in cols] + [1] for r in rows]
    prev = 1
    for c in range(k):
        p = c
        while p < k and a[p][c] == 0:
            p += 1
        if p == k:
            return [], 0
        if p != c:
            a[p], a[c] = a[c], a[p]
        rc = a[c]
        piv = rc[c]
        for r in range(k):
            if r == c:
                continue
            ar = a[r]
            f = ar[c]
            if f == 0:
                a[r] = [(x * piv) // prev for x in ar]
            else:
                a[r] = [(x * piv - f * y) // prev for x, y in zip(ar, rc, strict=True)]
        prev = piv
    # Now a[c][c] == prev (the determinant, up to sign) for every c, and z_c = a[c][k] / prev.
    u = [a[c][k] for c in range(k)]
    if prev < 0:
        prev = -prev
        u = [-v for v in u]
    return u, prev


@dataclass(frozen=True)
class _Point:
    """An exact vertex ``z = u / D`` of ``{z >= 0, C z <= 1}``."""

    key: tuple[int, ...]  # primitive integer direction of z (identifies the vertex)
    zero: int  # bit mask over variables (z then slacks) that are exactly zero
    probs: tuple[Fraction, ...]


def _exact_point(C: IntMatrix, d: int, basis: Sequence[int]) -> _Point | None:
    """The vertex of basis ``basis`` (basic variables), if it is a feasible nonzero vertex."""
    r = len(C)
    support = [v for v in basis if v < d]
    if not support:
        return None
    basic = set(basis)
    tight_rows = [j for j in range(r) if d + j not in basic]
    if len(tight_rows) != len(support):
        return None
    u_sub, D = _solve_ones(C, tight_rows, support)
    if D == 0 or any(v < 0 for v in u_sub):
        return None
    u = [0] * d
    for i, v in zip(support, u_sub, strict=True):
        u[i] = v
    zero = 0
    for i in range(d):
        if u[i] == 0:
            zero |= 1 << i
    for j in range(r):
        row = C[j]
        s = sum(row[i] * u[i] for i in support)
        if s > D:
            return None
        if s == D:
            zero |= 1 << (d + j)
    total = sum(u)
    if total == 0:
        return None
    g = 0
    for v in u:
        g = math.gcd(g, v)
    key = tuple(v // g for v in u)
    probs = tuple(Fraction(v, total) for v in u)
    return _Point(key, zero, probs)


# ---------------------------------------------------------------------------------------------
# Vertex search: floating point (fast) and exact integer (fallback)
# ---------------------------------------------------------------------------------------------


class _Timeout(Exception):
    pass


def _masks(zero: NDArray[np.bool_]) -> list[int]:
    """Bit masks (Python ints) of the rows of a boolean matrix."""
    nv = zero.shape[1]
    if nv <= 62:
        pow2 = np.left_shift(np.int64(1), np.arange(nv, dtype=np.int64))
        return [int(v) for v in (zero.astype(np.int64) @ pow2).tolist()]
    packed = np.packbits(zero, axis=1, bitorder="little")
    return [int.from_bytes(row.tobytes(), "little") for row in packed]


def _batched_inverse(Bm: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Inverses of a stack of matrices and which ones are (numerically) nonsingular."""
    try:
        inv = np.asarray(np.linalg.inv(Bm), dtype=np.float64)
        ok = np.asarray(np.isfinite(inv).all(axis=(1, 2)), dtype=np.bool_)
        return inv, ok
    except np.linalg.LinAlgError:
        inv = np.zeros_like(Bm)
        ok = np.zeros(len(Bm), dtype=np.bool_)
        for k in range(len(Bm)):
            try:
                inv[k] = np.linalg.inv(Bm[k])
                ok[k] = bool(np.isfinite(inv[k]).all())
            except np.linalg.LinAlgError:
                pass
        return inv, ok


@dataclass
class _Expansion:
    """One batch of bases expanded: what was kept and every feasible pivot out of it.

    Pivot ``k`` replaces position ``row[k]`` of basis ``parent[k]`` by the nonbasic
    variable ``entering[k]`` (the ``slot[k]``-th nonbasic column of ``tab``). The
    neighbouring bases themselves are built only for the pivots that lead somewhere new
    (:func:`_children`).
    """

    kept: NDArray[np.int64]  # (F, r) bases kept (row i of Binv belongs to position i)
    Binv: NDArray[np.float64]  # (F, r, r) their inverses
    masks: list[int]  # candidate zero masks of the kept bases
    tab: NDArray[np.float64]  # (F, r, d) the nonbasic columns of each kept tableau
    parent: NDArray[np.int64]  # (K,) index into kept
    row: NDArray[np.int64]  # (K,) leaving position in the parent's basis
    slot: NDArray[np.int64]  # (K,) entering column of the parent's tableau
    entering: NDArray[np.int64]  # (K,) entering variable

    def neighbours(self, pick: NDArray[np.int64] | None = None) -> NDArray[np.int64]:
        """The neighbouring bases of the chosen pivots (rows not sorted)."""
        f, p, q = self.parent, self.row, self.entering
        if pick is not None:
            f, p, q = f[pick], p[pick], q[pick]
        nb = self.kept[f]
        nb[np.arange(len(f)), p] = q
        return nb


def _float_expand(
    M: NDArray[np.float64], bases: NDArray[np.int64], Binv: NDArray[np.float64] | None
) -> _Expansion:
    """Expand a batch of feasible bases, inverting them if ``Binv`` is None.

    Bases that are certainly infeasible or singular are dropped. Every pivot whose
    ratio ties (within tolerance) with the minimum ratio is returned.
    """
    r, nv = M.shape
    d = nv - r
    if Binv is None:
        Binv, ok = _batched_inverse(np.ascontiguousarray(M[:, bases].transpose(1, 0, 2)))
        b = Binv.sum(axis=2)
    else:
        b = Binv.sum(axis=2)
        # A non-finite entry of Binv makes its row sum non-finite, so finite sums mean a
        # finite Binv; otherwise (rare) check the entries themselves.
        ok = np.isfinite(b).all(axis=1)
        if not ok.all():
            ok = np.asarray(np.isfinite(Binv).all(axis=(1, 2)), dtype=np.bool_)
    ok &= b.min(axis=1) >= -_FEAS_TOL
    if not ok.all():
        bases, Binv, b = bases[ok], Binv[ok], b[ok]
    F = len(bases)
    at = np.arange(F)[:, None]
    zero = np.ones((F, nv), dtype=bool)
    zero[at, bases] = False
    nonbasic = np.nonzero(zero)[1].reshape(F, d)
    zero[at, bases] = b <= _ZERO_TOL
    tab = Binv @ np.ascontiguousarray(M[:, nonbasic].transpose(1, 0, 2))  # (F, r, d)
    # The ratio test works on the tableaux laid out as (r, F, d), so that every reduction
    # over a column's rows runs over the leading axis.
    tab_r = np.ascontiguousarray(tab.transpose(1, 0, 2))
    threshold = np.abs(tab_r).max(axis=0)  # (F, d): each column's largest magnitude
    np.maximum(threshold, 1.0, out=threshold)
    threshold *= _PIV_REL
    piv_ok = tab_r > threshold
    # ratio = b / entry where the entry is a pivot candidate; elsewhere the denominator is
    # +0, so the ratio is +inf or (for b = 0) NaN, which the minimum ignores. Both only
    # match a limit that is itself infinite or NaN, and such matches are masked by piv_ok.
    den = np.multiply(tab_r, piv_ok)
    np.abs(den, out=den)
    np.maximum(b, 0.0, out=b)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.divide(b.T[:, :, None], den, out=den)
    limit = np.fmin.reduce(ratio, axis=0)
    limit += _TIE_TOL
    ties = ratio <= limit
    ties &= piv_ok
    flat = np.flatnonzero(ties.transpose(1, 0, 2))  # in (basis, row, column) order
    f, rest = np.divmod(flat, r * d)
    p, c = np.divmod(rest, d)
    return _Expansion(
        kept=bases,
        Binv=Binv,
        masks=_masks(zero),
        tab=tab,
        parent=f,
        row=p,
        slot=c,
        entering=nonbasic[f, c],
    )


def _children(
    ex: _Expansion, pick: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """The chosen children (rows in pivot order) and their inverses by a pivot update.

    Row ``i`` of an inverse belongs to position ``i`` of its basis, so the rows of a basis
    need not be sorted while its inverse is carried along.
    """
    nb = ex.neighbours(pick)
    f, p = ex.parent[pick], ex.row[pick]
    par = ex.Binv[f]  # (K, r, r)
    u = ex.tab[f, :, ex.slot[pick]]  # (K, r): the entering columns
    k = np.arange(len(pick))
    prow = par[k, p, :] / u[k, p][:, None]  # (K, r)
    new = par - u[:, :, None] * prow[:, None, :]
    new[k, p, :] = prow
    return nb, new


_Nodes = tuple[NDArray[np.int16], list[int], bool]
"""Feasible bases found (one sorted row of basic variables each), their zero masks, and
whether the search finished."""


def _nodes(chunks: list[NDArray[np.int64]], masks: list[int], r: int, done: bool) -> _Nodes:
    bases = np.concatenate(chunks) if chunks else np.zeros((0, r), dtype=np.int64)
    return np.sort(bases.astype(np.int16), axis=1), masks, done


def _basis_keys(bases: NDArray[np.int64], pow2: NDArray[np.int64], small: bool) -> NDArray[Any]:
    """One hashable, sortable key per basis: a bit mask, or the raw bytes of the sorted row."""
    if small:
        return np.asarray(pow2[bases].sum(axis=1), dtype=np.int64)
    rows = np.ascontiguousarray(bases.astype(np.int16))
    return rows.view(np.dtype((np.void, 2 * bases.shape[1]))).ravel()


def _float_search(C: IntMatrix, deadline: float) -> _Nodes:
    """All feasible bases of ``{z >= 0, C z <= 1}`` with candidate zero masks (floats).

    Breadth-first over the graph of feasible bases, one level at a time. Inverses of
    new bases come from a pivot update of their parent's and are recomputed from
    scratch every few levels so that rounding errors cannot build up.
    """
    r, d = len(C), len(C[0])
    nv = d + r
    Cf = np.array(C, dtype=np.float64)
    M = np.hstack([Cf / Cf.max(), np.eye(r)])  # a positive scaling: the same bases
    small = nv <= 62
    pow2 = np.left_shift(np.int64(1), np.arange(min(nv, 62), dtype=np.int64))

    frontier = np.arange(d, nv, dtype=np.int64)[None, :]
    f_inv: NDArray[np.float64] | None = np.eye(r)[None, :, :]
    # Small games: every key seen, as a sorted array. Large ones: a set of key bytes, and as
    # a vectorised pre-filter the keys of the last two levels (in a breadth-first search the
    # neighbours of level L lie in levels L-1, L and L+1).
    seen_arr = _basis_keys(frontier, pow2, small)
    seen: set[bytes] = {k.tobytes() for k in seen_arr}
    # Up to 22 variables, the keys seen are also marked in a table indexed by key (<= 4 MiB).
    table = np.zeros(1 << nv, dtype=bool) if nv <= _TABLE_BITS else None
    if table is not None:
        table[seen_arr] = True
    prev_keys = seen_arr[:0]
    cur_keys = seen_arr
    chunks: list[NDArray[np.int64]] = []
    all_masks: list[int] = []
    chunk = max(1, min(_CHUNK, 2**21 // (r * nv)))  # bounds the batch arrays to ~16 MB
    level = 0
    while len(frontier):
        level += 1
        refresh = level % 4 == 0
        next_frontier: list[NDArray[np.int64]] = []
        next_inv: list[NDArray[np.float64]] = []
        next_keys: list[NDArray[Any]] = []
        window = prev_keys if small else np.concatenate([prev_keys, cur_keys])
        for start in range(0, len(frontier), chunk):
            if time.monotonic() > deadline:
                return _nodes(chunks, all_masks, r, False)
            part = None if f_inv is None or refresh else f_inv[start : start + chunk]
            rows = frontier[start : start + chunk]
            if part is None:
                rows = np.sort(rows, axis=1)  # inverted from scratch: columns in sorted order
            ex = _float_expand(M, rows, part)
            chunks.append(ex.kept)
            all_masks.extend(ex.masks)
            if not len(ex.parent):
                continue
            if small:
                # A child's key is its parent's with the leaving bit swapped for the entering.
                kept_keys = _basis_keys(ex.kept, pow2, small)
                child_keys = (
                    kept_keys[ex.parent] - pow2[ex.kept[ex.parent, ex.row]] + pow2[ex.entering]
                )
            else:
                child_keys = _basis_keys(np.sort(ex.neighbours(), axis=1), pow2, small)
            if table is not None:
                # Keys not seen before, deduplicated (first occurrence kept, sorted by key).
                cand = np.flatnonzero(~table[child_keys])
                keys, first = np.unique(child_keys[cand], return_index=True)
                first = cand[first]
                table[keys] = True
            else:
                keys, first = np.unique(child_keys, return_index=True)
            if table is None and small:
                fresh = ~np.isin(keys, seen_arr)
                keys, first = keys[fresh], first[fresh]
                seen_arr = np.union1d(seen_arr, keys)
            elif table is None:
                fresh = ~np.isin(keys, window)
                keys, first = keys[fresh], first[fresh]
                accept = np.zeros(len(keys), dtype=bool)
                for k in range(len(keys)):
                    if k % 4096 == 4095 and time.monotonic() > deadline:
                        return _nodes(chunks, all_masks, r, False)
                    kb = keys[k].tobytes()
                    if kb not in seen:
                        seen.add(kb)
                        accept[k] = True
                keys, first = keys[accept], first[accept]
            kids, kid_inv = _children(ex, first)
            next_frontier.append(kids)
            next_inv.append(kid_inv)
            next_keys.append(keys)
        if not next_frontier:
            break
        frontier = np.concatenate(next_frontier)
        f_inv = np.concatenate(next_inv)
        prev_keys, cur_keys = cur_keys, np.concatenate(next_keys)
    return _nodes(chunks, all_masks, r, True)


def _exact_search(C: IntMatrix, deadline: float) -> _Nodes:
    """All feasible bases of ``{z >= 0, C z <= 1}`` with exact zero masks (integer pivoting)."""
    r, d = len(C), len(C[0])
    nv = d + r
    start_tab = [C[j] + [int(j == k) for k in range(r)] + [1] for j in range(r)]
    start_basis = tuple(range(d, nv))
    seen: set[frozenset[int]] = {frozenset(start_basis)}
    stack: list[tuple[tuple[int, ...], list[list[int]], int]] = [(start_basis, start_tab, 1)]
    found: list[tuple[int, ...]] = []
    masks: list[int] = []
    count = 0
    while stack:
        count += 1
        if count % 64 == 0 and time.monotonic() > deadline:
            return _nodes([np.array(found, dtype=np.int64)], masks, r, False)
        basis, tab, D = stack.pop()
        basic = set(basis)
        zero = 0
        for v in range(nv):
            if v not in basic:
                zero |= 1 << v
        for p, v in enumerate(basis):
            if tab[p][nv] == 0:
                zero |= 1 << v
        found.append(tuple(sorted(basis)))
        masks.append(zero)
        for q in range(nv):
            if q in basic:
                continue
            best: list[int] = []
            for p in range(r):
                t = tab[p][q]
                if t <= 0:
                    continue
                if not best:
                    best = [p]
                    continue
                b0 = best[0]
                lhs = tab[p][nv] * tab[b0][q]
                rhs = tab[b0][nv] * t
                if lhs < rhs:
                    best = [p]
                elif lhs == rhs:
                    best.append(p)
            for p in best:
                nb = list(basis)
                nb[p] = q
                key = frozenset(nb)
                if key in seen:
                    continue
                seen.add(key)
                stack.append((tuple(nb), _pivot(tab, D, p, q), tab[p][q]))
    return _nodes([np.array(found, dtype=np.int64)], masks, r, True)


def _pivot(tab: list[list[int]], D: int, p: int, q: int) -> list[list[int]]:
    """Integer (lrs-style) pivot on row ``p``, column ``q``; the new determinant is tab[p][q]."""
    rp = tab[p]
    piv = rp[q]
    new: list[list[int]] = []
    for i, row in enumerate(tab):
        if i == p:
            new.append(row)
            continue
        f = row[q]
        if f == 0:
            new.append([(x * piv) // D for x in row])
        else:
            new.append([(x * piv - f * y) // D for x, y in zip(row, rp, strict=True)])
    return new


# ---------------------------------------------------------------------------------------------
# Pairing vertices into equilibria
# ---------------------------------------------------------------------------------------------


class _Polytope:
    """Vertices of ``{z >= 0, C z <= 1}`` grouped by candidate label set, certified lazily."""

    def __init__(self, C: IntMatrix, nodes: _Nodes, shift: int, total: int) -> None:
        self.C = C
        self.r, self.d = len(C), len(C[0])
        self.shift = shift  # game label of variable v is (v + shift) % total
        self.total = total
        bases, zero_masks, _ = nodes
        groups: dict[int, list[int]] = {}
        if len(bases):
            not_origin = np.nonzero(bases.min(axis=1) < self.d)[0]
            for idx in not_origin.tolist():
                groups.setdefault(zero_masks[idx], []).append(idx)
        self.masks = sorted(groups)
        self._all_bases = bases
        self.members = [groups[m] for m in self.masks]
        s = shift % total
        if s and total <= 62:
            arr = np.array(self.masks, dtype=np.int64)
            rot = ((arr << s) | (arr >> (total - s))) & ((1 << total) - 1)
            self.labels = [int(v) for v in rot.tolist()]
        else:
            self.labels = [self._to_labels(m) for m in self.masks]
        self._points: dict[int, list[_Point]] = {}

    def _to_labels(self, mask: int) -> int:
        full = (1 << self.total) - 1
        s = self.shift % self.total
        return ((mask << s) | (mask >> (self.total - s))) & full if s else mask

    def points(self, g: int) -> list[_Point]:
        """The exact vertices behind group ``g`` (every basis accounted for)."""
        if g in self._points:
            return self._points[g]
        pts: list[_Point] = []
        for basis in self._all_bases[self.members[g]].tolist():
            nonbasic = ((1 << (self.d + self.r)) - 1) & ~sum(1 << v for v in basis)
            if any(nonbasic & ~pt.zero == 0 for pt in pts):
                continue  # this basis describes a vertex already computed
            pt = _exact_point(self.C, self.d, basis)
            if pt is not None and all(pt.key != o.key for o in pts):
                pts.append(pt)
        self._points[g] = pts
        return pts

    def exact_labels(self, pt: _Point) -> int:
        return self._to_labels(pt.zero)

    def degenerate(self, deadline: float) -> bool:
        """Exactly: does some vertex have more than ``d`` labels?"""
        for g, mask in enumerate(self.masks):
            if mask.bit_count() > self.d:
                if time.monotonic() > deadline:
                    raise _Timeout
                if any(pt.zero.bit_count() > self.d for pt in self.points(g)):
                    return True
        return False


def _candidate_pairs(px: _Polytope, qy: _Polytope, deadline: float) -> list[tuple[int, int]]:
    """Group pairs whose candidate labels cover every label.

    A vertex of P has at least m labels and one of Q at least n. Two *simple*
    vertices (exactly m, n labels) match only if their label sets are complementary,
    a dictionary lookup; vertices with extra labels are compared with all the others.
    """
    total = px.total
    full = (1 << total) - 1
    lx, ly = px.labels, qy.labels
    simple_x = [g for g, v in enumerate(lx) if v.bit_count() == px.d]
    other_x = [g for g, v in enumerate(lx) if v.bit_count() != px.d]
    simple_y = [g for g, v in enumerate(ly) if v.bit_count() == qy.d]
    other_y = [g for g, v in enumerate(ly) if v.bit_count() != qy.d]
    where = {ly[g]: g for g in simple_y}
    out = [(gx, where[full ^ lx[gx]]) for gx in simple_x if full ^ lx[gx] in where]
    out.extend(_cover(lx, ly, other_x, range(len(ly)), full, deadline))
    out.extend(_cover(lx, ly, simple_x, other_y, full, deadline))
    return out


def _cover(
    lx: Sequence[int],
    ly: Sequence[int],
    xs: Sequence[int],
    ys: Sequence[int],
    full: int,
    deadline: float,
) -> list[tuple[int, int]]:
    """Pairs ``(gx, gy)`` from ``xs`` x ``ys`` with ``lx[gx] | ly[gy] == full``."""
    out: list[tuple[int, int]] = []
    if not xs or not ys:
        return out
    if full.bit_length() <= 62:
        ax = np.array([lx[g] for g in xs], dtype=np.int64)
        ay = np.array([ly[g] for g in ys], dtype=np.int64)
        step = max(1, 2_000_000 // len(ay))
        for s in range(0, len(ax), step):
            if time.monotonic() > deadline:
                raise _Timeout
            hit = (ax[s : s + step, None] | ay[None, :]) == full
            out.extend((xs[i + s], ys[j]) for i, j in zip(*np.nonzero(hit), strict=True))
        return out
    for gx in xs:
        if time.monotonic() > deadline:
            raise _Timeout
        need = full ^ lx[gx]
        out.extend((gx, gy) for gy in ys if need & ~ly[gy] == 0)
    return out


@dataclass
class _Found:
    x_points: dict[tuple[int, ...], tuple[Fraction, ...]]
    y_points: dict[tuple[int, ...], tuple[Fraction, ...]]
    pairs: set[tuple[tuple[int, ...], tuple[int, ...]]]
    degenerate: bool
    complete: bool


def _enumerate(A: IntMatrix, B: IntMatrix, deadline: float, exact_search: bool) -> _Found:
    m, n = len(A), len(A[0])
    total = m + n
    full = (1 << total) - 1
    search = _exact_search if exact_search else _float_search
    CP = _transpose(B)  # P: x >= 0 (labels 0..m-1), B^T x <= 1 (labels m..m+n-1)
    nodes_p = search(CP, deadline)
    found = _Found({}, {}, set(), False, False)
    if not nodes_p[2]:
        nodes_q: _Nodes = (np.zeros((0, m), dtype=np.int16), [], False)
    else:
        nodes_q = search(A, deadline)  # Q: y >= 0 (labels m..), A y <= 1 (labels 0..)
    px = _Polytope(CP, nodes_p, 0, total)
    qy = _Polytope(A, nodes_q, m, total)
    try:
        for gx, gy in _candidate_pairs(px, qy, deadline):
            if time.monotonic() > deadline:
                raise _Timeout
            for ptx in px.points(gx):
                lab_x = px.exact_labels(ptx)
                for pty in qy.points(gy):
                    if lab_x | qy.exact_labels(pty) == full:
                        found.x_points[ptx.key] = ptx.probs
                        found.y_points[pty.key] = pty.probs
                        found.pairs.add((ptx.key, pty.key))
        found.degenerate = px.degenerate(deadline) or qy.degenerate(deadline)
    except _Timeout:
        return found
    found.complete = nodes_p[2] and nodes_q[2]
    return found


# ---------------------------------------------------------------------------------------------
# Maximal Nash subsets
# ---------------------------------------------------------------------------------------------


def _maximal_bicliques(
    edges: Sequence[tuple[int, int]], deadline: float
) -> list[tuple[frozenset[int], frozenset[int]]]:
    """Maximal bicliques ``(X, Y)`` of a bipartite graph (both sides nonempty).

    The right-hand sides are the intersections of neighbourhoods of left vertices
    (closed sets of the Galois connection); each gives ``X = {x : Y ⊆ N(x)}``.
    """
    nbr: dict[int, set[int]] = {}
    for x, y in edges:
        nbr.setdefault(x, set()).add(y)
    closed: set[frozenset[int]] = set()
    for x in sorted(nbr):
        if time.monotonic() > deadline:
            raise _Timeout
        nx = frozenset(nbr[x])
        new = {nx}
        for c in closed:
            inter = nx & c
            if inter:
                new.add(inter)
        closed |= new
    out: list[tuple[frozenset[int], frozenset[int]]] = []
    for ys in closed:
        xs = frozenset(x for x, ny in nbr.items() if ys <= ny)
        out.append((xs, ys))
    return out


# ---------------------------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------------------------


def can_enumerate(shape: tuple[int, ...]) -> bool:
    """True when :func:`all_equilibria` is expected to finish within seconds for this shape.

    The number of vertices of the best-response polytopes grows exponentially:
    random 10 x 10 games take tens of milliseconds, 12 x 12 a fraction of a
    second and 15 x 15 several seconds. Very unequal shapes are costly too: the
    polytope of the player with many strategies has many vertices.

    >>> can_enumerate((10, 10)), can_enumerate((3, 40)), can_enumerate((30, 30))
    (True, True, False)
    """
    if len(shape) != 2:
        return False
    m, n = sorted(int(k) for k in shape)
    if m < 1:
        return False
    if m <= 2:
        return n <= 150
    if m == 3:
        return n <= 50
    if m == 4:
        return n <= 40
    return m + n <= 28


def all_equilibria(
    A: NDArray[Any], B: NDArray[Any], *, tol: float = 1e-9, max_seconds: float = 60.0
) -> BimatrixResult:
    """Every extreme equilibrium of the bimatrix game ``(A, B)``, and the maximal Nash subsets.

    Parameters
    ----------
    A, B
        Payoffs of player 1 and player 2, shape ``(m, n)``: object arrays of
        ``Fraction`` (or integer arrays) for an exact game, ``float64`` otherwise.
        A float payoff is read as the shortest decimal that prints as it (0.1 is 1/10).
    tol
        Float games only: every returned equilibrium has regret at most ``tol``
        in the float payoffs (exact games are always exact).
    max_seconds
        Time budget. When it runs out the equilibria found so far are returned
        with ``complete=False`` and a warning.

    Returns
    -------
    BimatrixResult

    Raises
    ------
    SolverError
        When the matrices are not 2-dimensional of one shape, or hold non-numbers.

    Examples
    --------
    A coordination game for player 1 where player 2 is indifferent everywhere:
    three segments of equilibria meeting at their ends.

    >>> import numpy as np
    >>> A = np.array([[1, 0], [0, 1]])
    >>> B = np.zeros((2, 2), dtype=int)
    >>> res = all_equilibria(A, B)
    >>> for x, y in res.equilibria:
    ...     print([str(p) for p in x], [str(p) for p in y])
    ['1', '0'] ['1', '0']
    ['0', '1'] ['0', '1']
    ['1', '0'] ['1/2', '1/2']
    ['0', '1'] ['1/2', '1/2']
    >>> res.components, res.degenerate
    (((0, 2), (1, 3), (2, 3)), True)
    """
    t0 = time.monotonic()
    deadline = t0 + max(0.0, float(max_seconds))
    Ai, Bi, exact = _prepare(A, B, "all_equilibria")
    m, n = len(Ai), len(Ai[0])
    big = max(max(max(row) for row in Ai), max(max(row) for row in Bi))
    exact_search = big > _FLOAT_SAFE
    found = _enumerate(Ai, Bi, deadline, exact_search)
    warnings: list[str] = []
    if found.complete and not found.degenerate and not exact_search and len(found.pairs) % 2 == 0:
        # A nondegenerate game has an odd number of equilibria: the float search missed one.
        again = _enumerate(Ai, Bi, deadline, True)
        if again.complete:
            found = again
        else:
            found.complete = False
            warnings.append(
                "the floating-point vertex search found an even number of equilibria in a "
                "nondegenerate game (so at least one is missing) and the exact search ran "
                "out of time"
            )

    xs = sorted(found.x_points)
    ys = sorted(found.y_points)
    pairs = sorted(found.pairs)

    def sort_key(pair: tuple[tuple[int, ...], tuple[int, ...]]) -> tuple[Any, ...]:
        px, py = found.x_points[pair[0]], found.y_points[pair[1]]
        size = sum(1 for v in px if v) + sum(1 for v in py if v)
        return (size, tuple(-v for v in px), tuple(-v for v in py))

    pairs.sort(key=sort_key)
    index = {pair: k for k, pair in enumerate(pairs)}
    xi = {k: i for i, k in enumerate(xs)}
    yi = {k: j for j, k in enumerate(ys)}

    components: list[tuple[int, ...]] = []
    if found.degenerate and pairs:
        try:
            bicl = _maximal_bicliques([(xi[a], yi[b]) for a, b in pairs], deadline)
        except _Timeout:
            bicl = []
            found.complete = False
        for X, Y in bicl:
            if len(X) * len(Y) >= 2:
                components.append(tuple(sorted(index[(xs[a], ys[b])] for a in X for b in Y)))
    components.sort()

    def convert(p: tuple[Fraction, ...]) -> tuple[Number, ...]:
        return p if exact else tuple(float(v) for v in p)

    equilibria = [(convert(found.x_points[a]), convert(found.y_points[b])) for a, b in pairs]
    if not exact:
        bad = _float_regret_failures(A, B, equilibria, tol)
        if bad:
            warnings.append(
                f"{len(bad)} equilibrium(s) exceed the regret tolerance {tol:g} once rounded "
                "to floats"
            )
    if found.degenerate:
        if components:
            warnings.append(
                "the game is degenerate: some equilibria are not isolated; the "
                f"{len(equilibria)} extreme equilibria span {len(components)} maximal convex "
                "set(s) of equilibria (every mixture of the extreme equilibria within one set "
                "is an equilibrium)"
            )
        else:
            warnings.append(
                "the game is degenerate (a mixed strategy has more pure best responses than "
                "strategies in its support), but every equilibrium is isolated"
            )
    if not found.complete:
        warnings.append(
            f"the enumeration stopped after {max_seconds:g} s (max_seconds) on a {m} x {n} game; "
            f"{len(equilibria)} equilibrium(s) were found and others may exist"
        )
    return BimatrixResult(
        equilibria=tuple(equilibria),
        components=tuple(components),
        degenerate=found.degenerate,
        exact=exact,
        complete=found.complete,
        warnings=tuple(warnings),
    )


def _float_regret_failures(A: Any, B: Any, equilibria: Sequence[Profile], tol: float) -> list[int]:
    a = np.asarray(A, dtype=np.float64)
    b = np.asarray(B, dtype=np.float64)
    bad: list[int] = []
    for k, (x, y) in enumerate(equilibria):
        xv = np.array(x, dtype=np.float64)
        yv = np.array(y, dtype=np.float64)
        ra = a @ yv
        rb = xv @ b
        if float(ra.max() - xv @ ra) > tol or float(rb.max() - rb @ yv) > tol:
            bad.append(k)
    return bad


def lemke_howson(
    A: NDArray[Any], B: NDArray[Any], *, initial_label: int = 0
) -> tuple[tuple[Number, ...], tuple[Number, ...]]:
    """One equilibrium by the Lemke-Howson algorithm (exact, lexicographic: never cycles).

    Labels ``0 .. m-1`` are player 1's strategies and ``m .. m+n-1`` player 2's;
    the path starts by dropping ``initial_label``. Pivoting is done in exact
    integer arithmetic with a lexicographic ratio test, so degenerate games are
    handled. Float games are solved exactly for the decimal payoffs and the
    result is returned as floats.

    Raises
    ------
    SolverError
        When ``initial_label`` is not in ``0 .. m+n-1`` or the matrices are invalid.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[3, 2], [4, -10]])
    >>> B = A.T
    >>> x, y = lemke_howson(A, B, initial_label=0)
    >>> [str(p) for p in x], [str(p) for p in y]
    (['1', '0'], ['0', '1'])
    """
    Ai, Bi, exact = _prepare(A, B, "lemke_howson")
    m, n = len(Ai), len(Ai[0])
    total = m + n
    if (
        isinstance(initial_label, bool)
        or not isinstance(initial_label, int | np.integer)
        or not 0 <= int(initial_label) < total
    ):
        raise SolverError(
            f"lemke_howson(): initial_label must be an integer in 0..{total - 1} "
            f"(0..{m - 1} for player 1, {m}..{total - 1} for player 2), got {initial_label!r}"
        )
    k0 = int(initial_label)
    # Columns indexed by label, then the right-hand side.
    # tx (n rows): B^T x + s = 1; x_i has label i, s_j label m+j.
    tx = [[Bi[i][j] for i in range(m)] + [int(j == k) for k in range(n)] + [1] for j in range(n)]
    # ty (m rows): r + A y = 1; r_i has label i, y_j label m+j.
    ty = [[int(i == k) for k in range(m)] + Ai[i] + [1] for i in range(m)]
    tabs = [tx, ty]
    dets = [1, 1]
    basis = [list(range(m, total)), list(range(m))]
    slack_cols = [list(range(m, total)), list(range(m))]
    # The variable with label l lives nonbasic in one tableau: x_i (l < m) or y_j (l >= m) enter
    # first; afterwards the entering variable is the one whose label just left the other side.
    side = 0 if k0 < m else 1
    entering = k0
    for _ in range(10_000_000):
        tab = tabs[side]
        p = _lex_min_ratio(tab, entering, slack_cols[side])
        leaving = basis[side][p]
        tabs[side] = _pivot(tab, dets[side], p, entering)
        dets[side] = tab[p][entering]
        basis[side][p] = entering
        if leaving == k0:
            break
        entering = leaving
        side = 1 - side
    else:  # pragma: no cover - Lemke-Howson with lexicographic pivoting terminates
        raise SolverError("lemke_howson(): pivoting did not terminate")
    x_raw = [0] * m
    for p, v in enumerate(basis[0]):
        if v < m:
            x_raw[v] = tabs[0][p][total]
    y_raw = [0] * n
    for p, v in enumerate(basis[1]):
        if v >= m:
            y_raw[v - m] = tabs[1][p][total]
    sx, sy = sum(x_raw), sum(y_raw)
    x = tuple(Fraction(v, sx) for v in x_raw)
    y = tuple(Fraction(v, sy) for v in y_raw)
    if exact:
        return x, y
    return tuple(float(v) for v in x), tuple(float(v) for v in y)


def _lex_min_ratio(tab: list[list[int]], q: int, lex_cols: Sequence[int]) -> int:
    """Row of the lexicographic minimum ratio for entering column ``q`` (unique)."""
    rhs = len(tab[0]) - 1
    best = -1
    for p, row in enumerate(tab):
        t = row[q]
        if t <= 0:
            continue
        if best < 0:
            best = p
            continue
        brow = tab[best]
        bt = brow[q]
        for c in (rhs, *lex_cols):
            lhs = row[c] * bt
            other = brow[c] * t
            if lhs != other:
                if lhs < other:
                    best = p
                break
    if best < 0:  # pragma: no cover - the polytopes are bounded
        raise SolverError("lemke_howson(): unbounded ray (payoffs must be positive)")
    return best
