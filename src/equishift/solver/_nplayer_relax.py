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
relaxation, with every constraint loosened by a slack far above rounding error,
has no solution, no equilibrium has these supports.

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

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["SupportRelaxation", "relaxation_feasible"]

_SLACK = 1e-7
"""Each (scaled) payoff condition may be violated by this much in the relaxation."""


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
                for c in range(cells):
                    r = np.zeros(k)
                    pos = np.unravel_index(c, dims)
                    sl: list[Any] = list(pos)
                    sl.insert(i, slice(None))
                    r[big_off + big[tuple(sl)].ravel()] = 1.0
                    r[w_off[i] + c] = -1.0
                    a_eq.append(r)
                    b_eq.append(0.0)
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
                        scale = float(np.abs(d).max())
                        if a == own or scale == 0:
                            continue
                        r = np.zeros(k)
                        r[big_off + rows_q] = d / scale
                        a_ub.append(r)
                        b_ub.append(_SLACK)
                continue
            s0 = supports[i][0]
            for a in range(sub.shape[0]):
                if a == s0:
                    continue
                d = sub[a] - sub[s0]
                scale = float(np.abs(d).max())
                if scale == 0:
                    continue
                r = np.zeros(k)
                r[w_off[i] : w_off[i] + cells] = d / scale
                a_ub.append(r)
                b_ub.append(_SLACK)
                if a in supports[i]:
                    a_ub.append(-r)
                    b_ub.append(_SLACK)
                if joint:
                    # Multiplied by each probability of player i's own support.
                    for q in range(sizes[i]):
                        r = np.zeros(k)
                        r[big_off + np.take(big, q, axis=i).ravel()] = d / scale
                        a_ub.append(r)
                        b_ub.append(_SLACK)
                        if a in supports[i]:
                            a_ub.append(-r)
                            b_ub.append(_SLACK)
        self.a_eq = np.array(a_eq)
        from scipy.sparse import csr_array

        self.a_eq_sparse = csr_array(self.a_eq)
        self.b_eq = np.array(b_eq)
        self.a_ub = np.array(a_ub).reshape(-1, k)
        self.b_ub = np.array(b_ub)
        # McCormick pairs for three players: (w index, p index a, p index b).
        pairs: list[tuple[int, int, int]] = []
        if n == 3:
            for i in range(n):
                j, h = (q for q in range(n) if q != i)
                for a in range(sizes[j]):
                    for b in range(sizes[h]):
                        pairs.append((w_off[i] + a * sizes[h] + b, p_off[j] + a, p_off[h] + b))
        self.pairs = np.array(pairs, dtype=np.intp).reshape(-1, 3)
        # ... and the joint distribution as products p_i(q) * w_i(t).
        triples: list[tuple[int, int, int]] = []
        if n == 3 and joint:
            for i in range(n):
                cells = int(np.prod([sizes[j] for j in range(n) if j != i]))
                for q in range(sizes[i]):
                    entries = np.take(big, q, axis=i).ravel()
                    for c in range(cells):
                        triples.append((big_off + int(entries[c]), p_off[i] + q, w_off[i] + c))
        self.triples = np.array(triples, dtype=np.intp).reshape(-1, 3)
        self.point: NDArray[np.float64] | None = None

    def feasible(
        self, lo: NDArray[np.float64] | None = None, hi: NDArray[np.float64] | None = None
    ) -> bool:
        """Whether the relaxation has a point with every probability in ``[lo, hi]``.

        ``lo`` and ``hi`` are bounds on all probabilities, players' supports in
        order (``None``: the whole simplex). ``False`` rules the box out.
        """
        from scipy.optimize import linprog
        from scipy.sparse import csr_array

        k = self.k
        npr = self.p_off[-1]
        plo = np.zeros(npr) if lo is None else np.clip(lo, 0.0, 1.0)
        phi = np.ones(npr) if hi is None else np.clip(hi, 0.0, 1.0)
        if (plo > phi + _SLACK).any():
            return False
        vlo = np.zeros(k)
        vhi = np.ones(k)
        vlo[:npr], vhi[:npr] = plo, np.maximum(plo, phi)
        a_ub, b_ub = self.a_ub, self.b_ub
        if lo is not None and len(self.pairs):
            extra_rows: list[NDArray[np.float64]] = []
            extra_rhs: list[NDArray[np.float64]] = []
            for prods in (self.pairs, self.triples):
                if not len(prods):
                    continue
                w, pa, pb = prods.T
                la, ua, lb, ub = vlo[pa], vhi[pa], vlo[pb], vhi[pb]
                vlo[w], vhi[w] = la * lb, ua * ub  # bounds of the products (all >= 0)
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
                extra_rhs.append(np.concatenate([la * lb, ua * ub, -ua * lb, -la * ub]) + _SLACK)
            a_ub = np.vstack([a_ub, *extra_rows])
            b_ub = np.concatenate([b_ub, *extra_rhs])
        bounds = [
            (max(0.0, float(a) - _SLACK), min(1.0, float(b) + _SLACK))
            for a, b in zip(vlo, vhi, strict=True)
        ]
        self.point = None
        res = linprog(
            np.zeros(k),
            A_ub=csr_array(a_ub) if len(a_ub) else None,
            b_ub=b_ub if len(b_ub) else None,
            A_eq=self.a_eq_sparse,
            b_eq=self.b_eq,
            bounds=bounds,
            method="highs",
            options={"presolve": False},
        )
        if res.status == 2:
            return False
        self.point = res.x if res.status == 0 else None
        return True

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
        ``False`` proves (up to the linear-programming solver's floating-point
        verdict on a problem loosened by ``1e-7``) that no equilibrium has these
        supports; ``True`` says nothing.
    """
    # The smaller relaxation (no joint distribution) first: it is cheaper and often enough.
    if not SupportRelaxation(payoffs, supports, joint=False).feasible():
        return False
    return SupportRelaxation(payoffs, supports).feasible()
