"""Exact rational certificates for irrational equilibria (interval Krawczyk over ``Fraction``).

An irrational equilibrium cannot be written down exactly, but a small box
with rational corners can be *proved* to hold one. For a support profile with
indifference equations :math:`f(x) = 0` (multilinear, integer coefficients)
in the free probabilities :math:`x`, a box :math:`X = [lo, hi]` with
:math:`lo \\ge 0`, a point :math:`m \\in X` and any matrix :math:`Y`, the
Krawczyk operator

.. math:: K(X) = m - Y f(m) + (I - Y J(X)) (X - m)

is evaluated here in exact interval arithmetic over the rationals:
:math:`f(m)` exactly, :math:`J(X)` as an enclosure of every Jacobian entry
over :math:`X` (on a box of nonnegative numbers a monomial ranges over
``[prod(lo), prod(hi)]``, so a multilinear polynomial ranges within the sum of
its coefficients times those ranges, taking the ends by the coefficient's
sign), and the products and sums of intervals with exact endpoints. If
:math:`K(X)` lies in the interior of :math:`X`, then :math:`f` has exactly one
root in :math:`X` (Krawczyk 1969; Moore 1977, "A test for existence of
solutions to nonlinear systems"; Neumaier 1990, *Interval Methods for
Systems of Equations*, Thm 5.1.8). :math:`Y` (a floating-point inverse of the
midpoint Jacobian) only affects whether the test succeeds, never its
validity.

:func:`certify_box` adds, in the same arithmetic, that every probability of
the support is positive on all of :math:`X` (:math:`lo_k > 0` and
:math:`1 - \\sum hi > 0` for each player's free block) and that no strategy
outside a support earns more than the support anywhere on :math:`X` (the
enclosure of each ``u_i(b) - u_i(s_0)`` has upper end ``<= 0``). Together:
the root in :math:`X` is a Nash equilibrium with exactly these supports. When
an outside strategy ties at the root the enclosure straddles 0 and the box is
*not* certified: such a point is reported uncertified, never claimed.
:func:`refute_box` proves the opposite (some outside strategy strictly better,
or a probability negative, everywhere on the box).

Examples
--------
:math:`x + y = 1`, :math:`5xy = 1` has the irrational root
:math:`x = (5 + \\sqrt 5)/10 \\approx 0.7236` (and its mirror):

>>> from fractions import Fraction as F
>>> eqs = [{(1, 0): 1, (0, 1): 1, (0, 0): -1}, {(1, 1): 5, (0, 0): -1}]
>>> lo, hi = (F(7236, 10**4), F(2763, 10**4)), (F(7237, 10**4), F(2764, 10**4))
>>> krawczyk_exact(eqs, lo, hi)
True
>>> krawczyk_exact(eqs, (F(7, 10), F(1, 5)), (F(71, 100), F(3, 10)))  # misses the root
False
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

__all__ = ["EquilibriumCertificate", "certify_box", "krawczyk_exact", "refute_box"]

Polynomial = dict[tuple[int, ...], int]
Interval = tuple[Fraction, Fraction]


@dataclass(frozen=True)
class EquilibriumCertificate:
    """A rational box proved to hold exactly one equilibrium, and its supports.

    Attributes
    ----------
    supports
        Each player's support (strategy indices).
    lower, upper
        For each player, a lower and an upper bound (``Fraction``) on the
        probability of every strategy: the equilibrium lies in this box, its
        probabilities are positive exactly on ``supports``, and it is the only
        solution of the support's indifference equations in the box.
    method
        How it was proved (``"exact interval Krawczyk"``).

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> c = EquilibriumCertificate(((0, 1),), ((F(1, 3), F(1, 2)),), ((F(1, 2), F(2, 3)),))
    >>> c.contains(((0.4, 0.6),)), c.contains(((0.9, 0.1),))
    (True, False)
    """

    supports: tuple[tuple[int, ...], ...]
    lower: tuple[tuple[Fraction, ...], ...]
    upper: tuple[tuple[Fraction, ...], ...]
    method: str = "exact interval Krawczyk"

    def contains(self, profile: Sequence[Sequence[float | Fraction]]) -> bool:
        """Whether a profile (one probability vector per player) lies in the box."""
        return all(
            lo <= Fraction(p) <= hi
            for row, lows, highs in zip(profile, self.lower, self.upper, strict=True)
            for p, lo, hi in zip(row, lows, highs, strict=True)
        )


def _monomial_range(
    mono: tuple[int, ...], lo: Sequence[Fraction], hi: Sequence[Fraction]
) -> Interval:
    a = Fraction(1)
    b = Fraction(1)
    for k, e in enumerate(mono):
        if e:
            a *= lo[k]
            b *= hi[k]
    return a, b


def poly_range(p: Polynomial, lo: Sequence[Fraction], hi: Sequence[Fraction]) -> Interval:
    """An exact enclosure of a multilinear polynomial over a box of nonnegative numbers.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> poly_range({(1, 1): 2, (0, 0): -1}, (F(0), F(1, 2)), (F(1), F(1)))
    (Fraction(-1, 1), Fraction(1, 1))
    """
    a = Fraction(0)
    b = Fraction(0)
    for mono, c in p.items():
        ml, mh = _monomial_range(mono, lo, hi)
        if c >= 0:
            a += c * ml
            b += c * mh
        else:
            a += c * mh
            b += c * ml
    return a, b


def _eval(p: Polynomial, x: Sequence[Fraction]) -> Fraction:
    total = Fraction(0)
    for mono, c in p.items():
        term = Fraction(c)
        for k, e in enumerate(mono):
            if e:
                term *= x[k]
        total += term
    return total


def _derivative(p: Polynomial, k: int) -> Polynomial:
    out: Polynomial = {}
    for mono, c in p.items():
        if mono[k]:
            dm = tuple(0 if j == k else e for j, e in enumerate(mono))
            out[dm] = out.get(dm, 0) + c
    return out


def _mul(a: Interval, b: Interval) -> Interval:
    ps = (a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1])
    return min(ps), max(ps)


def _scale(c: Fraction, a: Interval) -> Interval:
    return (c * a[0], c * a[1]) if c >= 0 else (c * a[1], c * a[0])


def krawczyk_exact(
    eqs: Sequence[Polynomial], lo: Sequence[Fraction], hi: Sequence[Fraction]
) -> bool:
    """Whether exact interval Krawczyk proves a unique root of ``eqs`` in ``[lo, hi]``.

    Parameters
    ----------
    eqs
        ``n`` multilinear polynomials in ``n`` unknowns (integer coefficients).
    lo, hi
        The box, with ``0 <= lo <= hi`` (rationals).

    Returns
    -------
    bool
        ``True``: the box holds exactly one root (proved, see the module docstring).

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> krawczyk_exact([{(1,): 3, (0,): -1}], (F(1, 4),), (F(1, 2),))  # 3x = 1
    True
    """
    n = len(lo)
    if n == 0 or len(eqs) != n or any(a < 0 or a > b for a, b in zip(lo, hi, strict=True)):
        return False
    mid: list[Fraction] = []
    for a, b in zip(lo, hi, strict=True):
        m = Fraction(float((a + b) / 2))
        mid.append(m if a <= m <= b else (a + b) / 2)
    fm = [_eval(p, mid) for p in eqs]
    jac = [[poly_range(_derivative(p, k), lo, hi) for k in range(n)] for p in eqs]
    jc = np.array([[float((a + b) / 2) for a, b in row] for row in jac])
    try:
        yf = np.linalg.inv(jc)
    except np.linalg.LinAlgError:
        return False
    if not np.isfinite(yf).all():
        return False
    y = [[Fraction(float(v)) for v in row] for row in yf]
    dx = [(a - m, b - m) for a, b, m in zip(lo, hi, mid, strict=True)]
    for i in range(n):
        center = mid[i] - sum((y[i][j] * fm[j] for j in range(n)), Fraction(0))
        k_lo = center
        k_hi = center
        for k in range(n):
            # (I - Y J)_{ik} as an interval.
            e_lo = Fraction(int(i == k))
            e_hi = e_lo
            for j in range(n):
                t_lo, t_hi = _scale(y[i][j], jac[j][k])
                e_lo -= t_hi
                e_hi -= t_lo
            p_lo, p_hi = _mul((e_lo, e_hi), dx[k])
            k_lo += p_lo
            k_hi += p_hi
        if not (lo[i] < k_lo and k_hi < hi[i]):
            return False
    return True


def _probability_ranges(
    blocks: Sequence[Sequence[int]], lo: Sequence[Fraction], hi: Sequence[Fraction]
) -> list[Interval]:
    """Each mixing player's ``p(s_0) = 1 - sum(x)`` over the box."""
    return [
        (1 - sum((hi[k] for k in b), Fraction(0)), 1 - sum((lo[k] for k in b), Fraction(0)))
        for b in blocks
    ]


def certify_box(
    eqs: Sequence[Polynomial],
    ineqs: Sequence[Polynomial],
    blocks: Sequence[Sequence[int]],
    lo: Sequence[Fraction],
    hi: Sequence[Fraction],
) -> bool:
    """Whether the box provably holds exactly one root, an equilibrium with these supports.

    Parameters
    ----------
    eqs
        The indifference equations (multilinear, integer coefficients).
    ineqs
        ``u_i(b) - u_i(s_0)`` for every strategy ``b`` outside the supports.
    blocks
        Each mixing player's free unknowns (``p(s_0) = 1 - sum``).
    lo, hi
        The box (rationals).

    Returns
    -------
    bool
        ``True`` when proved: unique root in the box (exact Krawczyk), every
        support probability positive on the box and no outside strategy better.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> certify_box([{(1,): 3, (0,): -1}], [], [[0]], (F(1, 4),), (F(1, 2),))
    True
    >>> certify_box([{(1,): 3, (0,): -1}], [{(1,): 1, (0,): -1}], [[0]], (F(1, 4),), (F(1, 2),))
    True
    >>> certify_box([{(1,): 3, (0,): -1}], [{(1,): -1, (0,): 1}], [[0]], (F(1, 4),), (F(1, 2),))
    False
    """
    if any(a <= 0 for a in lo):
        return False
    if any(p_lo <= 0 for p_lo, _ in _probability_ranges(blocks, lo, hi)):
        return False
    if any(poly_range(q, lo, hi)[1] > 0 for q in ineqs):
        return False
    return krawczyk_exact(eqs, lo, hi)


def refute_box(
    ineqs: Sequence[Polynomial],
    blocks: Sequence[Sequence[int]],
    lo: Sequence[Fraction],
    hi: Sequence[Fraction],
) -> bool:
    """Whether no point of the box can be an equilibrium with these supports (proved).

    Some outside strategy is strictly better everywhere on the box, or some
    support probability is nonpositive everywhere on it.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> refute_box([{(1,): -1, (0,): 1}], [[0]], (F(1, 4),), (F(1, 2),))
    True
    """
    if any(b <= 0 for b in hi):
        return True
    if any(p_hi <= 0 for _, p_hi in _probability_ranges(blocks, lo, hi)):
        return True
    return any(poly_range(q, lo, hi)[0] > 0 for q in ineqs)


def box_around(
    point: Sequence[float | Fraction], radius: float | Fraction
) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...]]:
    """A rational box ``point +- radius`` (clipped to ``[0, 1]``).

    Examples
    --------
    >>> box_around([0.5], 0.25)
    ((Fraction(1, 4),), (Fraction(3, 4),))
    """
    r = Fraction(radius)
    lo = tuple(max(Fraction(0), Fraction(v) - r) for v in point)
    hi = tuple(min(Fraction(1), Fraction(v) + r) for v in point)
    return lo, hi
