"""A linear relaxation that rules out most support profiles of an N-player game at once.

At an equilibrium with supports :math:`S_1, \\dots, S_N`, player :math:`i`'s
payoff conditions (indifference on :math:`S_i`, no gain outside it) are linear
in the product distribution :math:`\\prod_{j \\ne i} \\sigma_j` on
:math:`S_{-i}`. Replacing that product by *any* joint distribution
:math:`w_i` on :math:`S_{-i}` whose marginals are the :math:`\\sigma_j` (shared
by all players) gives a linear program. It is much strengthened (``joint=True``)
by one joint distribution :math:`W` on :math:`S_1 \\times \\dots \\times S_N`
whose marginals are the :math:`w_i` and :math:`\\sigma_i`, with player
:math:`i`'s conditions imposed on :math:`W(s, \\cdot)` for each of their own
strategies :math:`s` (valid because at an equilibrium :math:`W` is the product
and the conditions hold after multiplying by :math:`\\sigma_i(s) \\ge 0`): a
polytope like that of correlated equilibria, with indifference. When the
relaxation has no solution, no equilibrium has these supports.

The solver (HiGHS) sees every constraint loosened by ``1e-7``; its verdict
*infeasible* is used only when its dual ray passes the rounding-error-bounded
Farkas check of :mod:`._nplayer_lp` on the exact, unloosened constraints. For
those to be exact, each payoff condition is divided by a power of two (not by
its largest coefficient), McCormick products of bounds are rounded outwards
(``nextafter``) where they are bounds and coefficients, and the payoffs must be
integers below :math:`2^{52}` (``SupportRelaxation.exact`` says whether they are).

Examples
--------
Player 1's first strategy pays 1 and the second 0 whatever the others do, so no
equilibrium has player 1 mixing; a pure profile passes the test:

>>> import numpy as np
>>> u1 = np.zeros((2, 2, 2))
>>> u1[0] = 1
>>> payoffs = [u1, np.ones((2, 2, 2)), np.ones((2, 2, 2))]
>>> relaxation_feasible(payoffs, [[0, 1], [0], [0]])
False
>>> relaxation_feasible(payoffs, [[0], [0, 1], [0]])
True
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._nplayer_lp import feasibility

__all__ = ["SupportRelaxation", "relaxation_feasible"]


def _pow2(d: NDArray[np.float64]) -> float:
    """The smallest power of two at least ``max|d|`` (0 for a zero row): an exact scale."""
    big = float(np.abs(d).max(initial=0.0))
    if big == 0:
        return 0.0
    return float(2.0 ** math.ceil(math.log2(big)))


_SLACK = 1e-7
"""Each (scaled) payoff condition may be violated by this much in the relaxation."""


@functools.lru_cache(maxsize=256)
def _products(sizes: tuple[int, ...], joint: bool) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Index triples of the products McCormick's envelopes tie (three players only).

    ``pairs``: ``(w_i cell, p_j index, p_h index)`` for ``w_i = p_j p_h``;
    ``triples``: ``(W cell, p_i index, w_i cell)`` for ``W = p_i w_i`` (with ``joint``).
    Column offsets are those of :class:`SupportRelaxation`.
    """
    empty = np.zeros((0, 3), dtype=np.intp)
    n = len(sizes)
    if n != 3:
        return empty, empty
    p_off = list(itertools.accumulate([0, *sizes]))
    k = p_off[-1]
    w_off: list[int] = []
    for i in range(n):
        w_off.append(k)
        k += math.prod(sizes[j] for j in range(n) if j != i)
    big = np.arange(math.prod(sizes)).reshape(sizes)
    pairs: list[NDArray[np.intp]] = []
    triples: list[NDArray[np.intp]] = []
    for i in range(n):
        j, h = (q for q in range(n) if q != i)
        ra = np.repeat(np.arange(sizes[j]), sizes[h])
        rb = np.tile(np.arange(sizes[h]), sizes[j])
        pairs.append(np.stack([w_off[i] + ra * sizes[h] + rb, p_off[j] + ra, p_off[h] + rb], 1))
        if joint:
            cells = sizes[j] * sizes[h]
            moved = np.moveaxis(big, i, 0).reshape(sizes[i], cells)
            rq = np.repeat(np.arange(sizes[i]), cells)
            rc = np.tile(np.arange(cells), sizes[i])
            triples.append(np.stack([k + moved.ravel(), p_off[i] + rq, w_off[i] + rc], 1))
    pair_arr = np.concatenate(pairs).astype(np.intp)
    triple_arr = np.concatenate(triples).astype(np.intp) if triples else empty
    pair_arr.setflags(write=False)
    triple_arr.setflags(write=False)
    return pair_arr, triple_arr


class SupportRelaxation:
    """The relaxation of one support profile, reusable on boxes of probabilities.

    :meth:`feasible` takes bounds on every probability; with three players the
    joint distributions are then tied to the products by McCormick's envelopes
    (:math:`w \\ge l_a p_b + l_b p_a - l_a l_b` and the three companions),
    which tighten as the bounds narrow.

    For a player in ``free``, ``supports[i]`` is a set of *candidates*: the
    probabilities may be 0 and the conditions are those of a correlated
    equilibrium (each strategy played is a best response), so the relaxation
    covers every support profile whose support for that player lies among the
    candidates, and its infeasibility rules them all out.
    """

    def __init__(
        self,
        payoffs: Sequence[NDArray[np.float64]],
        supports: Sequence[Sequence[int]],
        joint: bool = True,
        free: Sequence[int] = (),
    ) -> None:
        n = len(supports)
        self.n = n
        joint = joint or bool(free)
        sizes = [len(s) for s in supports]
        self.sizes = sizes
        p_off = list(itertools.accumulate([0, *sizes]))
        self.p_off = p_off
        k = p_off[-1]
        w_off: list[int] = []
        a_eq: list[NDArray[np.float64]] = []
        b_eq: list[float] = []
        a_ub: list[NDArray[np.float64]] = []
        b_ub: list[float] = []
        for i in range(n):
            w_off.append(k)
            k += int(np.prod([sizes[j] for j in range(n) if j != i]))
        cube = int(np.prod(sizes))
        big_off = k
        if joint:
            k += cube
        self.k = k
        self.w_off = w_off
        big = np.arange(cube).reshape(sizes)
        for j in range(n):
            r = np.zeros(k)
            r[p_off[j] : p_off[j + 1]] = 1.0
            a_eq.append(r)
            b_eq.append(1.0)
        for i in range(n):
            others = [j for j in range(n) if j != i]
            dims = [sizes[j] for j in others]
            cells = int(np.prod(dims))
            grid = np.arange(cells).reshape(dims)
            for ax, j in enumerate(others):
                for a in range(sizes[j]):
                    r = np.zeros(k)
                    r[w_off[i] + np.take(grid, a, axis=ax).ravel()] = 1.0
                    r[p_off[j] + a] = -1.0
                    a_eq.append(r)
                    b_eq.append(0.0)
            if joint:
                # The joint distribution's marginals: w_i on S_-i, p_i on S_i.
                # Row c: the cells of W whose other players' strategies are cell c of w_i.
                moved = np.moveaxis(big, i, -1).reshape(cells, sizes[i])
                block = np.zeros((cells, k))
                cs = np.arange(cells)
                block[cs[:, None], big_off + moved] = 1.0
                block[cs, w_off[i] + cs] = -1.0
                a_eq.extend(block)
                b_eq.extend([0.0] * cells)
                for q in range(sizes[i]):
                    r = np.zeros(k)
                    r[big_off + np.take(big, q, axis=i).ravel()] = 1.0
                    r[p_off[i] + q] = -1.0
                    a_eq.append(r)
                    b_eq.append(0.0)
            idx = [range(payoffs[i].shape[i]) if j == i else list(supports[j]) for j in range(n)]
            sub = np.moveaxis(np.asarray(payoffs[i], dtype=np.float64)[np.ix_(*idx)], i, 0)
            sub = sub.reshape(sub.shape[0], -1)
            if i in free:
                # Support not fixed yet: each strategy played is a best response.
                for q, own in enumerate(supports[i]):
                    rows_q = np.take(big, q, axis=i).ravel()
                    for a in range(sub.shape[0]):
                        d = sub[a] - sub[own]
                        scale = _pow2(d)
                        if a == own or scale == 0:
                            continue
                        r = np.zeros(k)
                        r[big_off + rows_q] = d / scale
                        a_ub.append(r)
                        b_ub.append(0.0)
                continue
            s0 = supports[i][0]
            for a in range(sub.shape[0]):
                if a == s0:
                    continue
                d = sub[a] - sub[s0]
                scale = _pow2(d)
                if scale == 0:
                    continue
                r = np.zeros(k)
                r[w_off[i] : w_off[i] + cells] = d / scale
                a_ub.append(r)
                b_ub.append(0.0)
                if a in supports[i]:
                    a_ub.append(-r)
                    b_ub.append(0.0)
                if joint:
                    # Multiplied by each probability of player i's own support.
                    for q in range(sizes[i]):
                        r = np.zeros(k)
                        r[big_off + np.take(big, q, axis=i).ravel()] = d / scale
                        a_ub.append(r)
                        b_ub.append(0.0)
                        if a in supports[i]:
                            a_ub.append(-r)
                            b_ub.append(0.0)
        a_eq_arr = np.array(a_eq).reshape(-1, k)
        a_ub_arr = np.array(a_ub).reshape(-1, k)
        self.a_base = np.vstack([a_eq_arr, a_ub_arr])
        self.lo_base = np.concatenate([np.array(b_eq), np.full(len(a_ub_arr), -np.inf)])
        self.hi_base = np.concatenate([np.array(b_eq), np.array(b_ub)])
        # The rows are exact (integer payoff differences over a power of two) when the
        # payoffs are integers below 2**52; otherwise an exclusion is not rigorous.
        self.exact = all(
            bool(np.isfinite(p).all())
            and bool((np.asarray(p) == np.round(p)).all())
            and float(np.abs(p).max(initial=0.0)) < 2.0**52
            for p in (np.asarray(q, dtype=np.float64) for q in payoffs)
        )
        self.unverified = 0
        self.bases: dict[tuple[int, ...], Any] = {}
        """Final LP basis by program shape, to warm-start the next program of that shape."""
        self.pairs, self.triples = _products(tuple(sizes), joint)
        self.point: NDArray[np.float64] | None = None

    def feasible(
        self, lo: NDArray[np.float64] | None = None, hi: NDArray[np.float64] | None = None
    ) -> bool:
        """Whether the relaxation may have a point with every probability in ``[lo, hi]``.

        ``lo`` and ``hi`` are bounds on all probabilities, players' supports in
        order (``None``: the whole simplex); they must be valid outer bounds
        (rounded outwards by the caller). ``False`` rules the box out, and is
        only returned with a verified Farkas certificate (see
        :mod:`._nplayer_lp`) or for an empty box.
        """
        k = self.k
        npr = self.p_off[-1]
        plo = np.zeros(npr) if lo is None else np.clip(lo, 0.0, 1.0)
        phi = np.ones(npr) if hi is None else np.clip(hi, 0.0, 1.0)
        self.point = None
        if (plo > phi).any():
            return False
        vlo = np.zeros(k)
        vhi = np.ones(k)
        vlo[:npr], vhi[:npr] = plo, phi
        a, r_lo, r_hi = self.a_base, self.lo_base, self.hi_base
        if lo is not None and len(self.pairs):
            extra_rows: list[NDArray[np.float64]] = []
            extra_rhs: list[NDArray[np.float64]] = []
            for prods in (self.pairs, self.triples):
                if not len(prods):
                    continue
                w, pa, pb = prods.T
                la, ua, lb, ub = vlo[pa], vhi[pa], vlo[pb], vhi[pb]
                # Bounds of the products (all >= 0), rounded outwards so that they are
                # valid for the exact products; they are coefficients below, hence exact.
                vlo[w] = np.nextafter(la * lb, 0.0)
                vhi[w] = np.minimum(np.nextafter(ua * ub, 2.0), 1.0)
                la, ua, lb, ub = vlo[pa], vhi[pa], vlo[pb], vhi[pb]
                m = len(w)
                rows = np.zeros((4 * m, k))
                r = np.arange(m)
                # McCormick: w >= la pb + lb pa - la lb, w >= ua pb + ub pa - ua ub,
                # w <= ua pb + lb pa - ua lb, w <= la pb + ub pa - la ub.
                rows[r, w] = -1.0
                rows[r, pb] += la
                rows[r, pa] += lb
                rows[m + r, w] = -1.0
                rows[m + r, pb] += ua
                rows[m + r, pa] += ub
                rows[2 * m + r, w] = 1.0
                rows[2 * m + r, pb] -= ua
                rows[2 * m + r, pa] -= lb
                rows[3 * m + r, w] = 1.0
                rows[3 * m + r, pb] -= la
                rows[3 * m + r, pa] -= ub
                extra_rows.append(rows)
                # Right-hand sides are rounded products: the certificate check allows
                # a relative rounding error in every row bound.
                extra_rhs.append(np.concatenate([la * lb, ua * ub, -ua * lb, -la * ub]))
            a = np.vstack([a, *extra_rows])
            rhs = np.concatenate(extra_rhs)
            r_lo = np.concatenate([r_lo, np.full(len(rhs), -np.inf)])
            r_hi = np.concatenate([r_hi, rhs])
        basis = self.bases.get(a.shape)
        verdict = feasibility(a, r_lo, r_hi, vlo, vhi, slack=_SLACK, basis=basis)
        if verdict.basis is not None:
            self.bases[a.shape] = verdict.basis
        if verdict.unverified:
            self.unverified += 1
        self.point = verdict.point
        return verdict.feasible

    def gaps(self) -> NDArray[np.float64] | None:
        """After a feasible :meth:`feasible`: how far each probability's products are from w.

        Sums ``|w - p_a p_b|`` over the McCormick pairs each probability takes
        part in, at the relaxation's solution; the best place to split a box.
        """
        if self.point is None or not len(self.pairs):
            return None
        x = self.point
        w, pa, pb = self.pairs.T
        viol = np.abs(x[w] - x[pa] * x[pb])
        out = np.zeros(self.p_off[-1])
        np.add.at(out, pa, viol)
        np.add.at(out, pb, viol)
        return out


def relaxation_feasible(
    payoffs: Sequence[NDArray[np.float64]], supports: Sequence[Sequence[int]]
) -> bool:
    """Whether the joint-distribution relaxation of a support profile is feasible.

    Parameters
    ----------
    payoffs
        Each player's payoff array, of the game's shape.
    supports
        Each player's support (strategy indices).

    Returns
    -------
    bool
        ``False`` proves, with a verified Farkas certificate, that no
        equilibrium has these supports (when the payoffs are integers below
        :math:`2^{52}`; see the module docstring); ``True`` says nothing.
    """
    # The smaller relaxation (no joint distribution) first: it is cheaper and often enough.
    if not SupportRelaxation(payoffs, supports, joint=False).feasible():
        return False
    return SupportRelaxation(payoffs, supports).feasible()
