"""All equilibria of small N-player games by support enumeration.

For every *support profile* :math:`(S_1, \\dots, S_N)` (the strategies each
player uses with positive probability) the equilibria with exactly these
supports are the solutions of a polynomial system: each player's expected
payoff is the same for every strategy of :math:`S_i`, probabilities sum to one
and are positive on the support, and no strategy outside :math:`S_i` earns
more. Player :math:`i`'s equations are multilinear in the other players'
probabilities, so the system is linear when at most two players mix and
polynomial otherwise.

The search follows Porter, Nudelman and Shoham (2008), "Simple search methods
for finding a Nash equilibrium": support sizes are tried smallest and most
balanced first, and supports are built player by player while removing
*conditionally dominated* strategies (strictly dominated given the supports
chosen so far and the remaining candidates of the others). A support profile
in which a support strategy is dominated is never solved. Once every player
but the last has a support, what remains (a relaxation test and the last
player's supports) is an independent task; on games with many support
profiles the tasks run on forked worker processes (``workers``), and their
results are merged in task order, so the answer is identical to a serial run.

Linear systems (at most two players mix) are solved exactly over the rationals
by Gaussian elimination. Polynomial systems (three or more players mix) go
through three stages:

1. *Certified subdivision* (:mod:`._nplayer_boxes`): the box of free
   probabilities is split, and each part is either proved to hold no root
   (interval enclosures of the multilinear equations, of the outside-strategy
   inequalities and of the simplex) or proved to hold exactly one root, which
   the interval Krawczyk operator then pins down to a box of width about
   :math:`10^{-15}`.
2. When subdivision alone needs too many boxes, a *linear relaxation*
   (:mod:`._nplayer_relax`) replaces the product of the mixtures by a joint
   distribution with those marginals, obeying every player's conditions for
   each of their own support strategies (a correlated-equilibrium-like
   polytope). If it is infeasible, no equilibrium has these supports; otherwise
   a branch and bound splits the box, dropping parts where the relaxation
   (tightened by McCormick's envelopes on the part) is infeasible and handing
   small parts to the subdivision.
3. Only if both give up: the previous exact route, a Gröbner basis
   (``sympy``) in lexicographic order, factoring the univariate eliminant, for
   up to six unknowns.

A certified root whose probabilities are provably positive is recovered as a
fraction when a fraction in its box solves the equations exactly (then it is
*the* root, and the equilibrium is returned as ``Fraction`` with regret exactly
0); otherwise it is irrational (or has a denominator beyond :math:`10^7`) and is
returned in floats together with an :class:`EquilibriumCertificate`: a box
with rational corners in which exact rational interval arithmetic
(:mod:`._nplayer_exact`) proves that the support's equations have exactly one
root, that its support probabilities are positive and that no strategy
outside the supports earns more anywhere in the box. Such a root is an exact
Nash equilibrium within about :math:`10^{-13}` of the floats reported. A root
that the same arithmetic proves is *not* an equilibrium (an outside strategy
strictly better on its whole box) is dropped; one that can be neither
certified nor refuted (an outside strategy tied at it) is judged by its float
regret and makes ``certified`` ``False``.

**What is proved.** ``certified=True`` means every reported equilibrium is
exact or carries a certificate, and every step that ruled out a support
profile or part of one is a proof:

* dominance tests and linear systems use exact integer or rational arithmetic;
* a linear relaxation (:mod:`._nplayer_relax`) excludes only with a Farkas
  certificate (HiGHS's dual ray) checked against the exact constraints with a
  proved bound on rounding error (:mod:`._nplayer_lp`); an unverifiable verdict
  excludes nothing. Its rows are exact when the integer payoffs are below
  :math:`2^{52}` (payoff differences scaled by powers of two); otherwise its
  exclusions are not counted as proofs and ``certified`` is ``False``;
* the interval subdivision (:mod:`._nplayer_boxes`) and the corner test
  :func:`_excluded` compare floating-point enclosures padded by a priori
  rounding-error bounds (Higham's :math:`\\gamma_n`, stated there), so a box
  they drop holds no equilibrium and a box certified by the float Krawczyk
  test holds exactly one root;
* the final box of every irrational equilibrium is re-proved in exact
  rational arithmetic.

Rounding-error bounds assume IEEE double precision arithmetic with round to
nearest (what numpy and HiGHS use on every supported platform).
``complete=True`` means every support profile was examined and every one of
its systems was resolved (no root left unaccounted for).

A support whose system has a positive-dimensional solution set (a degenerate
game) is not silently skipped: a sample point is searched on it, and a
warning says that the equilibria there form a continuum (or may), with
``complete=False``.

Examples
--------
Three players who are paid 1 when all choose the same (pure coordination):

>>> from equishift.games import NormalFormGame
>>> u = [[[1, 0], [0, 0]], [[0, 0], [0, 1]]]
>>> g = NormalFormGame.from_arrays(u, u, u)
>>> res = support_enumeration(g)
>>> for eq in res.equilibria:
...     print([[str(p) for p in row] for row in eq])
[['1', '0'], ['1', '0'], ['1', '0']]
[['0', '1'], ['0', '1'], ['0', '1']]
[['1/2', '1/2'], ['1/2', '1/2'], ['1/2', '1/2']]
>>> res.complete, res.exact
(True, True)

A game whose only equilibrium is irrational (Nau et al. 2004, section 4):

>>> cells = {(0, 0, 0): (3, 0, 2), (1, 0, 0): (0, 1, 0), (0, 1, 0): (0, 2, 0),
...          (1, 1, 0): (1, 0, 0), (0, 0, 1): (1, 0, 0), (1, 0, 1): (0, 3, 0),
...          (0, 1, 1): (0, 1, 0), (1, 1, 1): (2, 0, 3)}
>>> g = NormalFormGame([[[cells[a, b, c] for c in (0, 1)] for b in (0, 1)] for a in (0, 1)])
>>> res = support_enumeration(g)
>>> [[round(p, 6) for p in row] for row in res.equilibria[0]], res.exact
([[0.619233, 0.380767], [0.479804, 0.520196], [0.378825, 0.621175]], False)

It is not a fraction, but it is certified: an exact equilibrium lies in a box
with rational corners, of width below :math:`10^{-12}`, around the floats.

>>> res.certified, res.complete
(True, True)
>>> cert = res.certificates[0]
>>> cert.contains(res.equilibria[0]), float(cert.upper[0][0] - cert.lower[0][0]) < 1e-12
(True, True)
"""

from __future__ import annotations

import itertools
import math
import multiprocessing
import os
import random
import time
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..games.normal_form import NormalFormGame
from ..games.numbers import Number, integerize
from ._nplayer_boxes import BoxRoot, Compiled, solve_boxes
from ._nplayer_exact import EquilibriumCertificate, box_around, certify_box, refute_box
from ._nplayer_relax import SupportRelaxation, relaxation_feasible
from .pure import pure_equilibria
from .verify import DEFAULT_TOL, certificate

__all__ = ["EquilibriumCertificate", "NPlayerResult", "can_enumerate", "support_enumeration"]

Monomial = tuple[int, ...]
Polynomial = dict[Monomial, int]
"""A sparse polynomial with integer coefficients: ``{exponents: coefficient}``."""

_DIGITS = 50
"""Decimal digits to which irrational solutions are isolated."""
_EPS = Fraction(1, 10**_DIGITS)
_POSITIVE = Fraction(1, 10**30)
"""An approximate (irrational) probability must exceed this to count as positive."""
_BOXES = {2: 200, 3: 500, 4: 2000, 5: 6000}
"""Boxes the exclusion test may try before a system is handed to sympy, by number of
unknowns (sympy's cost grows steeply with the number of unknowns)."""
_MAX_SYMPY_UNKNOWNS = 6
"""Larger polynomial systems are not handed to sympy (a Gröbner basis of 7+ unknowns takes
from tens of seconds to hours); their supports are reported as not solved."""
_RELAX_UNKNOWNS = 5
"""Polynomial systems with this many unknowns are first tested with the linear relaxation."""
_QUICK_BOXES = 40
"""Boxes the interval subdivision may examine first on systems with fewer than
``_RELAX_UNKNOWNS`` unknowns (larger ones are tested with the relaxation first)."""
_BOX_LIMIT = 500
"""Boxes the interval subdivision may examine on one support before the relaxation helps."""
_GUIDED_LIMIT = 4000
"""Linear programs the relaxation-guided branch and bound may solve on one support."""
_GUIDED_BOXES = 200
"""Interval-subdivision budget for each box the relaxation cannot rule out."""
_GUIDED_WIDTH = 0.25
"""Only boxes this narrow go to the interval subdivision; wider ones are split first."""
_RATIONAL_DENOMINATOR = 10**7
"""Largest denominator tried when recovering a rational root from its certified box."""
_CERT_RADII = (Fraction(1, 10**14), Fraction(1, 10**30))
"""Radii of boxes around a root in which it is certified when the search's box does
not hold the floats reported (or when ``sympy`` found it, without a box)."""
_PARALLEL_PROFILES = 400
"""Games with more support profiles than this use every core by default."""
_WITNESS_TRIALS = 6
"""Random slices tried when looking for an equilibrium on a positive-dimensional set."""


@dataclass(frozen=True)
class NPlayerResult:
    """Equilibria found by :func:`support_enumeration`.

    Attributes
    ----------
    equilibria
        Each equilibrium as one probability vector per player, in a
        deterministic order: pure equilibria first (lexicographic), then by
        total support size.
    complete
        ``True`` when every support profile was examined and none had a
        continuum of solutions: the list holds every equilibrium of the game.
    exact
        ``True`` when every probability is a ``Fraction`` (regret exactly 0).
    warnings
        Budget reached, continua of equilibria, systems that could not be solved.
    certificates
        One per equilibrium: ``None`` for an exact one, else an
        :class:`EquilibriumCertificate`, a box with rational corners proved (in
        exact arithmetic) to hold exactly one root of the support's equations,
        which is an equilibrium; ``None`` too for a float equilibrium that could
        not be certified (then ``certified`` is ``False``).
    certified
        ``True`` when every equilibrium is exact or carries a certificate, and
        every step that excluded a support profile or a part of one was proved
        (see the module docstring). With ``complete`` it means: these are
        provably all the isolated equilibria, each exactly or in a proved box.
    """

    equilibria: tuple[tuple[tuple[Number, ...], ...], ...]
    complete: bool
    exact: bool
    warnings: tuple[str, ...]
    certificates: tuple[EquilibriumCertificate | None, ...] = ()
    certified: bool = False


def _n_support_profiles(shape: Sequence[int]) -> int:
    return math.prod(2**n - 1 for n in shape)


def can_enumerate(shape: tuple[int, ...]) -> bool:
    """Whether support enumeration is expected to finish in seconds for this shape.

    The cost is dominated by the supports on which three or more players mix
    (polynomial systems), so the test bounds the number of support profiles and
    the number of unknowns of the largest system. Three players with four
    strategies each stay out: random 4x4x4 games take from about 4 to over 20
    seconds (with two cores), too slow for a default.

    Examples
    --------
    >>> can_enumerate((3, 3, 3)), can_enumerate((2, 2, 2, 2)), can_enumerate((5, 5, 5))
    (True, True, False)
    """
    if len(shape) < 2 or any(n < 1 for n in shape):
        return False
    unknowns = sum(n - 1 for n in shape)
    return _n_support_profiles(shape) <= 400 and unknowns <= 6


def _workers(shape: Sequence[int]) -> int:
    """Default number of processes: the usable cores for big games, 1 otherwise."""
    if _n_support_profiles(shape) <= _PARALLEL_PROFILES:
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1  # pragma: no cover - platform dependent
    if multiprocessing.current_process().daemon:
        return 1  # pragma: no cover - a daemonic process may not have children
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - platform dependent
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


# ---------------------------------------------------------------------------------------------
# Exact linear algebra and polynomial systems
# ---------------------------------------------------------------------------------------------


@dataclass
class _SystemSolution:
    """Solutions of a polynomial system inside the open unit box.

    ``points`` are rational approximations (exact when ``exact`` says so);
    ``positive_dim`` flags a positive-dimensional solution set; ``failed``
    says why the system could not be solved, if it could not.
    """

    points: list[tuple[tuple[Fraction, ...], bool]]
    positive_dim: bool = False
    failed: str = ""


def _degree(polys: Sequence[Polynomial]) -> int:
    return max((sum(m) for p in polys for m in p), default=0)


def _solve_linear(polys: Sequence[Polynomial], nvars: int) -> _SystemSolution:
    """Gaussian elimination over the rationals on polynomials of degree at most one."""
    rows: list[list[Fraction]] = []
    for p in polys:
        row = [Fraction(0)] * (nvars + 1)
        for mono, c in p.items():
            k = next((v for v, e in enumerate(mono) if e), None)
            if k is None:
                row[nvars] -= c
            else:
                row[k] += c
        rows.append(row)
    pivots: list[int] = []
    r = 0
    for col in range(nvars):
        piv = next((k for k in range(r, len(rows)) if rows[k][col] != 0), None)
        if piv is None:
            continue
        rows[r], rows[piv] = rows[piv], rows[r]
        inv = 1 / rows[r][col]
        rows[r] = [v * inv for v in rows[r]]
        for k in range(len(rows)):
            if k != r and rows[k][col] != 0:
                f = rows[k][col]
                rows[k] = [a - f * b for a, b in zip(rows[k], rows[r], strict=True)]
        pivots.append(col)
        r += 1
    if any(rows[k][nvars] != 0 for k in range(r, len(rows))):
        return _SystemSolution([])
    if r < nvars:
        return _SystemSolution([], positive_dim=True)
    values = [Fraction(0)] * nvars
    for k, col in enumerate(pivots):
        values[col] = rows[k][nvars]
    if all(0 < v < 1 for v in values):
        return _SystemSolution([(tuple(values), True)])
    return _SystemSolution([])


def _to_fraction(c: Any) -> Fraction:
    return Fraction(int(c.p), int(c.q)) if hasattr(c, "p") else Fraction(c)


def _eval_univariate(coeffs: Sequence[Fraction], t: Fraction) -> Fraction:
    """Horner evaluation; ``coeffs`` from the highest degree down."""
    acc = Fraction(0)
    for c in coeffs:
        acc = acc * t + c
    return acc


class _Sympy:
    """Gröbner-basis solving of small polynomial systems over QQ (sympy imported lazily)."""

    def __init__(self) -> None:
        import sympy

        self.sp = sympy
        self.QQ = sympy.QQ

    def polys(self, polys: Sequence[Polynomial], gens: Sequence[Any]) -> list[Any]:
        return [
            self.sp.Poly.from_dict(
                {m: self.sp.Integer(c) for m, c in p.items()}, *gens, domain=self.QQ
            )
            for p in polys
            if p
        ]

    def groebner(self, polys: Sequence[Any], gens: Sequence[Any], order: str) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return self.sp.groebner(list(polys), *gens, order=order, domain=self.QQ)

    def solve(self, polys: Sequence[Polynomial], nvars: int) -> _SystemSolution:
        gens = self.sp.symbols(f"x0:{nvars}")
        P = self.polys(polys, gens)
        G = self.groebner(P, gens, "grevlex")
        if any(g.is_ground for g in G.polys):
            return _SystemSolution([])
        if not G.is_zero_dimensional:
            return _SystemSolution([], positive_dim=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            L = G.fglm("lex")
        out = _SystemSolution([])
        for values, exact in self._solve_lex(list(L.polys), list(gens), out):
            out.points.append((tuple(values[g] for g in gens), exact))
        return out

    def _solve_lex(
        self, G: list[Any], gens: list[Any], out: _SystemSolution
    ) -> list[tuple[dict[Any, Fraction], bool]]:
        """Solutions in ``(0, 1)^n`` of a zero-dimensional lex Gröbner basis."""
        if not gens:
            return [({}, True)]
        t = gens[-1]
        univariate = [g for g in G if all(g.degree(x) == 0 for x in gens[:-1])]
        h = next((g for g in univariate if not g.is_ground), None)
        if h is None:
            out.failed = "no univariate eliminant in the Gröbner basis"
            return []
        h = self.sp.Poly(h.as_expr(), t, domain=self.QQ)
        results: list[tuple[dict[Any, Fraction], bool]] = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            factors = h.factor_list()[1]
        for f, _mult in factors:
            if f.degree() == 1:
                c1, c0 = (_to_fraction(c) for c in f.all_coeffs())
                r = -c0 / c1
                if not 0 < r < 1:
                    continue
                rest = [g.eval(t, self.sp.Rational(r.numerator, r.denominator)) for g in G]
                rest = [g for g in rest if not g.is_zero]
                if any(g.is_ground for g in rest):
                    continue
                sub = (
                    list(self.groebner(rest, gens[:-1], "lex").polys)
                    if rest and len(gens) > 1
                    else rest
                )
                if any(g.is_ground for g in sub):
                    continue
                if not sub and len(gens) > 1:
                    out.failed = "positive-dimensional fibre"
                    continue
                for vals, exact in self._solve_lex(sub, gens[:-1], out):
                    results.append(({**vals, t: r}, exact))
            else:
                if f.count_roots(0, 1) == 0:
                    continue
                results.extend(self._irrational(G, f, gens, out))
        return results

    def _shape(self, G: list[Any], gens: list[Any]) -> list[tuple[Fraction, list[Fraction]]] | None:
        """For a lex basis ``[c_k x_k + g_k(t)] + [f(t)]``: each ``(c_k, coefficients of g_k)``.

        Then ``x_k = -g_k(t) / c_k``; ``None`` when the basis is not of this shape.
        """
        t = gens[-1]
        forms: list[tuple[Fraction, list[Fraction]]] = []
        for k, x in enumerate(gens[:-1]):
            g = next(
                (
                    p
                    for p in G
                    if p.degree(x) == 1
                    and all(p.degree(y) == 0 for j, y in enumerate(gens[:-1]) if j != k)
                ),
                None,
            )
            if g is None:
                return None
            expr = g.as_expr()
            c = self.sp.Poly(expr, x).all_coeffs()
            if len(c) != 2 or not self.sp.sympify(c[0]).is_Rational:
                return None
            rest = self.sp.Poly(c[1], t, domain=self.QQ).all_coeffs()
            c0 = _to_fraction(c[0])
            forms.append((c0, [_to_fraction(a) for a in rest]))
        return forms

    def _irrational(
        self, G: list[Any], f: Any, gens: list[Any], out: _SystemSolution
    ) -> list[tuple[dict[Any, Fraction], bool]]:
        t = gens[-1]
        fe = self.sp.Poly(f.as_expr(), *gens, domain=self.QQ)
        B = list(self.groebner([*G, fe], gens, "lex").polys)
        if any(g.is_ground for g in B):
            return []
        forms = self._shape(B, gens)
        if forms is None:
            out.failed = "the Gröbner basis is not in shape position"
            return []
        lo = self.sp.Integer(0)
        hi = self.sp.Integer(1)
        eps = self.sp.Rational(1, 10**_DIGITS)
        results: list[tuple[dict[Any, Fraction], bool]] = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            intervals = f.intervals(eps=eps, inf=lo, sup=hi)
        for (a, b), _m in intervals:
            root = (_to_fraction(a) + _to_fraction(b)) / 2
            if not _POSITIVE < root < 1 - _POSITIVE:
                continue
            vals: dict[Any, Fraction] = {t: root}
            for x, (c, g) in zip(gens[:-1], forms, strict=True):
                vals[x] = -_eval_univariate(g, root) / c
            results.append((vals, False))
        return results


_SYMPY: _Sympy | None = None


def _sympy() -> _Sympy:
    global _SYMPY
    if _SYMPY is None:
        _SYMPY = _Sympy()
    return _SYMPY


def _solve_system(polys: Sequence[Polynomial], nvars: int) -> _SystemSolution:
    """Solutions of ``polys == 0`` with every variable in the open interval (0, 1)."""
    polys = [p for p in polys if p]
    if nvars == 0:
        return _SystemSolution([] if polys else [((), True)])
    if _degree(polys) <= 1:
        return _solve_linear(polys, nvars)
    return _sympy().solve(polys, nvars)


def _eval_exact(poly: Polynomial, values: Sequence[Fraction]) -> Fraction:
    total = Fraction(0)
    for mono, c in poly.items():
        term = Fraction(c)
        for v, e in zip(values, mono, strict=True):
            if e:
                term *= v
        total += term
    return total


def _rational_point(
    polys: Sequence[Polynomial],
    point: NDArray[np.float64],
    lo: NDArray[np.float64],
    hi: NDArray[np.float64],
) -> tuple[tuple[Fraction, ...], bool]:
    """The root certified in ``[lo, hi]``: exact when a nearby fraction solves the system.

    The box holds exactly one root, so a rational point of the box at which
    every equation vanishes exactly *is* that root.
    """
    guess = tuple(Fraction(float(v)).limit_denominator(_RATIONAL_DENOMINATOR) for v in point)
    if all(float(a) <= float(g) <= float(b) for g, a, b in zip(guess, lo, hi, strict=True)) and all(
        _eval_exact(p, guess) == 0 for p in polys
    ):
        return guess, True
    return tuple(Fraction(float(v)) for v in point), False


def _sum_at_least_one(x: NDArray[np.float64], block: Sequence[int]) -> bool:
    """Whether ``sum(x[block]) >= 1`` exactly (floats are summed as fractions when close)."""
    idx = list(block)
    if float(x[idx].sum()) < 1.0 - 1e-9:
        return False
    return sum((Fraction(float(v)) for v in x[idx]), Fraction(0)) >= 1


def _excluded(
    eqs: Sequence[Polynomial],
    ineqs: Sequence[Polynomial],
    nvars: int,
    blocks: Sequence[Sequence[int]],
    max_boxes: int = 300,
) -> bool:
    """Prove by branch and bound that no equilibrium with these supports exists.

    Every polynomial here is multilinear (of degree at most one in each
    variable), so on a box its extreme values are taken at the box's corners.
    A box is discarded when an equation has the same strict sign at every
    corner, when an inequality ``q <= 0`` is positive at every corner, or when
    it lies outside a player's simplex (``sum(x) >= 1`` on the whole box).
    Values are computed in floats from integer coefficients scaled to at most
    1 and compared with a margin that exceeds a proved bound on their rounding
    error (a corner value is a sum of ``T`` products of at most ``nvars``
    factors in ``[0, 1]`` with rounded coefficients, so its error is at most
    :math:`\\gamma_{T + n + 2} \\sum |c|` by Higham's bound; the margin is 8 times
    that), and the simplex test is decided exactly, so a discarded box truly
    holds no solution. Returns ``True`` when every box was discarded, ``False``
    when that could not be shown within ``max_boxes`` boxes.
    """
    polys = [p for p in (*eqs, *ineqs) if p]
    if not polys or nvars == 0 or nvars > 12:
        return False
    monos = sorted({m for p in polys for m in p})
    expo = np.array(monos, dtype=bool)  # (terms, n)
    coef = np.zeros((len(monos), len(polys)))
    where = {m: k for k, m in enumerate(monos)}
    for c, p in enumerate(polys):
        big = max(abs(v) for v in p.values())
        for m, v in p.items():
            coef[where[m], c] = v / big
    n_eq = sum(1 for p in eqs if p)
    steps = len(monos) + nvars + 2
    gamma = steps * 2.0**-53 / (1.0 - steps * 2.0**-53)
    margin = np.maximum(1e-9, 8.0 * gamma * np.abs(coef).sum(axis=0) + 2.0**-900)
    bits = np.array(list(itertools.product((0.0, 1.0), repeat=nvars)))  # (2^n, n)
    stack: list[tuple[NDArray[np.float64], NDArray[np.float64]]] = [
        (np.zeros(nvars), np.ones(nvars))
    ]
    boxes = 0
    while stack:
        lo, hi = stack.pop()
        boxes += 1
        if boxes > max_boxes:
            return False
        if any(_sum_at_least_one(lo, b) for b in blocks if b):
            continue  # p(s_0) = 1 - sum(x) <= 0 on the whole box
        corners = np.where(bits > 0, hi, lo)
        mono_vals = np.prod(np.where(expo[None, :, :], corners[:, None, :], 1.0), axis=2)
        vals = mono_vals @ coef  # (corners, polys)
        vmin = vals.min(axis=0)
        vmax = vals.max(axis=0)
        if bool(np.any(vmin[:n_eq] > margin[:n_eq])) or bool(np.any(vmax[:n_eq] < -margin[:n_eq])):
            continue
        if bool(np.any(vmin[n_eq:] > margin[n_eq:])):
            continue
        k = int(np.argmax(hi - lo))
        mid = (lo[k] + hi[k]) / 2
        hi1 = hi.copy()
        hi1[k] = mid
        lo2 = lo.copy()
        lo2[k] = mid
        stack.append((lo2, hi))
        stack.append((lo, hi1))
    return True


# ---------------------------------------------------------------------------------------------
# The search
# ---------------------------------------------------------------------------------------------


class _Budget(Exception):
    """Raised inside the search when the time budget is spent."""


_Found = tuple[tuple[tuple[Number, ...], ...], EquilibriumCertificate | None]
"""An equilibrium and its certificate (``None`` when it is exact or not certified)."""


@dataclass
class _TaskOut:
    """What one task of the search found (see :meth:`_Search.run`)."""

    found: list[tuple[tuple[Any, ...], Any]]
    warnings: list[str]
    unsolved: list[str]
    complete: bool
    budget: bool
    relaxed: int
    unverified: int
    uncertain: int


_WORKER: _Search | None = None
"""The search a forked worker runs tasks of (inherited from the parent at fork)."""


def _worker_init() -> None:  # pragma: no cover - runs in the forked workers
    # HiGHS may have started a thread scheduler in the parent; its threads do not
    # survive fork, so the worker starts afresh.
    from ._nplayer_lp import reset_after_fork

    reset_after_fork()


def _worker_task(
    task: tuple[tuple[int, ...], list[list[int]]],
) -> _TaskOut:  # pragma: no cover - runs in the forked workers
    assert _WORKER is not None
    return _WORKER._task(*task)


class _Search:
    def __init__(
        self, game: NormalFormGame, tol: float, max_seconds: float, workers: int | None = None
    ) -> None:
        self.game = game
        self.tol = tol
        self.workers = _workers(game.shape) if workers is None else max(1, workers)
        self._tasks: list[tuple[tuple[int, ...], list[list[int]]]] | None = None
        self.m: list[int] = []
        self._dominance: dict[tuple[Any, ...], list[bool]] = {}
        self._diff_key: tuple[Any, ...] | None = None
        self._diff_tables: dict[int, tuple[NDArray[Any], list[tuple[int, ...]]]] = {}
        self.unverified = 0
        self.uncertain = 0
        self.deadline = time.monotonic() + max_seconds
        self.n = game.n_players
        self.shape = game.shape
        if game.is_exact:
            exact_payoffs = [np.asarray(game.payoff_array(i)) for i in range(self.n)]
        else:
            exact_payoffs = []
            for i in range(self.n):
                a = np.empty(self.shape, dtype=object)
                a.ravel()[:] = [Fraction(float(v)) for v in game.float_payoffs()[..., i].ravel()]
                exact_payoffs.append(a)
        # Integer payoffs per player: comparisons are exact and the polynomial
        # systems have integer coefficients (scaling a player's payoffs changes nothing).
        self.u: list[NDArray[Any]] = [integerize(a) for a in exact_payoffs]
        # Polynomial coefficients are signed sums of at most 2^N payoffs: int64 when that
        # cannot overflow, else Python ints.
        small = all(
            a.dtype == np.int64 and int(np.abs(a).max(initial=0)) < 2 ** (60 - self.n)
            for a in self.u
        )
        self.uo: list[NDArray[Any]] = [
            np.asarray(a, dtype=np.int64 if small else object) for a in self.u
        ]
        self.uf: list[NDArray[np.float64]] = [np.asarray(a, dtype=np.float64) for a in self.u]
        # The relaxation's rows are exact when the integer payoffs are below 2**52.
        self.relax_exact = all(
            int(np.abs(np.asarray(a, dtype=object)).max(initial=0)) < 2**52 for a in self.u
        )
        self.relaxed = 0
        self.found: dict[tuple[Any, ...], _Found] = {}
        self.warnings: list[str] = []
        self.complete = True
        self.covered = 0
        self.solved = 0
        self.unsolved: list[str] = []

    # -- dominance ----------------------------------------------------------------------------
    def _dominated(self, i: int, sets: Sequence[Sequence[int]], weak: bool) -> list[bool]:
        """Which strategies of ``sets[i]`` some strategy of player i beats on ``sets[-i]``."""
        key = (i, weak, tuple(tuple(s) for s in sets))
        hit = self._dominance.get(key)
        if hit is None:
            hit = self._dominance[key] = self._dominated_now(i, sets, weak)
        return hit

    def _dominated_now(self, i: int, sets: Sequence[Sequence[int]], weak: bool) -> list[bool]:
        idx = [range(self.shape[j]) if j == i else list(sets[j]) for j in range(self.n)]
        sub = np.moveaxis(self.u[i][np.ix_(*idx)], i, 0).reshape(self.shape[i], -1)
        cand = sub[list(sets[i])]
        gt = sub[None, :, :] > cand[:, None, :]
        if weak:
            ge = sub[None, :, :] >= cand[:, None, :]
            dom = (ge.all(axis=-1) & gt.any(axis=-1)).any(axis=-1)
        else:
            dom = gt.all(axis=-1).any(axis=-1)
        return [bool(d) for d in np.asarray(dom).ravel()]

    def _reduce(
        self, sets: list[list[int]], fixed: int, sizes: Sequence[int]
    ) -> list[list[int]] | None:
        """Iterated removal of conditionally strictly dominated strategies.

        Players ``< fixed`` have their supports chosen (a dominated support
        strategy prunes the branch); the others' candidate sets shrink.
        """
        sets = [list(s) for s in sets]
        changed = True
        while changed:
            changed = False
            for i in range(self.n):
                dom = self._dominated(i, sets, weak=False)
                if not any(dom):
                    continue
                if i < fixed:
                    return None
                sets[i] = [a for a, d in zip(sets[i], dom, strict=True) if not d]
                if len(sets[i]) < sizes[i]:
                    return None
                changed = True
        return sets

    # -- enumeration --------------------------------------------------------------------------
    def _check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise _Budget

    def run(self) -> NPlayerResult:
        game = self.game
        for idx in pure_equilibria(game, tol=self.tol if not game.is_exact else 0.0):
            prof = tuple(
                tuple(Fraction(int(j == k)) for j in range(n))
                for k, n in zip(idx, self.shape, strict=True)
            )
            self._add(prof, True)
        full = [list(range(n)) for n in self.shape]
        domains = self._reduce(full, 0, [1] * self.n)
        assert domains is not None  # strict dominance never empties a strategy set
        m = [len(d) for d in domains]
        size_profiles = [
            s for s in itertools.product(*(range(1, k + 1) for k in m)) if any(x > 1 for x in s)
        ]
        size_profiles.sort(key=lambda s: (sum(s), max(s) - min(s), s))
        total = sum(
            math.prod(math.comb(k, x) for k, x in zip(m, s, strict=True)) for s in size_profiles
        )
        # Supports are fixed player by player; the work below the next-to-last player's
        # choice (one relaxation test and the leaves under it) forms independent tasks,
        # run in order here or on a pool of forked workers and merged in that order.
        self.m = m
        self._tasks = []
        budget = False
        try:
            for sizes in size_profiles:
                self._visit(sizes, 0, [], domains, m)
        except _Budget:
            budget = True
        tasks, self._tasks = self._tasks, None
        # Profiles of collected tasks were counted as covered while collecting.
        self.covered -= sum(self._subtree(t[0], self.n - 1, m) for t in tasks)
        for (sizes, _sets), out in zip(tasks, self._map(tasks), strict=False):
            self._merge(out)
            if out.budget:
                budget = True
                break
            self.covered += self._subtree(sizes, self.n - 1, m)
        if budget:
            left = total - self.covered
            self.complete = False
            self.warnings.append(
                f"time budget of the support enumeration reached: {left} of {total} "
                "support profiles were not examined; the equilibria listed are verified "
                "but others may exist"
            )
        if self.unsolved:
            self.warnings.append(
                f"{len(self.unsolved)} support profile(s) lead to polynomial systems with more "
                f"than {_MAX_SYMPY_UNKNOWNS} unknowns, too large to solve exactly, and were "
                f"skipped (first: {self.unsolved[0]}); equilibria with these supports may be "
                "missing"
            )
        return self._result()

    def _subtree(self, sizes: Sequence[int], depth: int, m: Sequence[int]) -> int:
        return math.prod(math.comb(m[j], sizes[j]) for j in range(depth, self.n))

    def _visit(
        self,
        sizes: Sequence[int],
        depth: int,
        chosen: list[list[int]],
        domains: list[list[int]],
        m: Sequence[int],
    ) -> None:
        c0 = self.covered
        per_child = self._subtree(sizes, depth + 1, m)
        for k, support in enumerate(itertools.combinations(domains[depth], sizes[depth])):
            self._check_time()
            sets = [*chosen, list(support), *domains[depth + 1 :]]
            reduced = self._reduce(sets, depth + 1, sizes)
            if reduced is not None:
                if depth + 1 == self.n:
                    self._leaf(reduced)
                elif self._tasks is not None and depth + 2 == self.n:
                    self._tasks.append((tuple(sizes), reduced))
                elif self._subtree_feasible(sizes, reduced, depth + 1):
                    self._visit(sizes, depth + 1, reduced[: depth + 1], reduced, m)
            self.covered = c0 + (k + 1) * per_child
        self.covered = c0 + self._subtree(sizes, depth, m)

    # -- tasks ----------------------------------------------------------------------------------
    def _task(self, sizes: tuple[int, ...], sets: list[list[int]]) -> _TaskOut:
        """Run one task (see :meth:`run`) on fresh result state and return what it found.

        The search's own result state is left as it was.
        """
        saved = (
            self.found,
            self.warnings,
            self.unsolved,
            self.complete,
            self.relaxed,
            self.unverified,
            self.uncertain,
        )
        self.found = {}
        self.warnings = []
        self.unsolved = []
        self.complete = True
        self.relaxed = 0
        self.unverified = 0
        self.uncertain = 0
        budget = time.monotonic() > self.deadline
        try:
            if budget:
                raise _Budget
            fixed = self.n - 1
            if self._subtree_feasible(sizes, sets, fixed):
                self._visit(sizes, fixed, sets[:fixed], sets, self.m)
        except _Budget:
            budget = True
        out = _TaskOut(
            list(self.found.items()),
            list(self.warnings),
            list(self.unsolved),
            self.complete,
            budget,
            self.relaxed,
            self.unverified,
            self.uncertain,
        )
        (
            self.found,
            self.warnings,
            self.unsolved,
            self.complete,
            self.relaxed,
            self.unverified,
            self.uncertain,
        ) = saved
        return out

    def _map(self, tasks: list[tuple[tuple[int, ...], list[list[int]]]]) -> Iterator[_TaskOut]:
        """Each task's output, in order: in this process, or on forked workers."""
        workers = min(self.workers, len(tasks))
        if workers <= 1:
            for t in tasks:
                yield self._task(*t)
            return
        global _WORKER
        ctx = multiprocessing.get_context("fork")
        # Tasks with the largest supports (the costliest, and last in order) are handed
        # out first, so that the small ones fill the gaps at the end; the outputs are
        # put back in task order.
        order = sorted(range(len(tasks)), key=lambda k: (-sum(tasks[k][0]), k))
        outs: list[_TaskOut | None] = [None] * len(tasks)
        _WORKER = self
        try:
            with warnings.catch_warnings():
                # Python >= 3.12 warns that fork() in a process with threads (BLAS's, say)
                # may deadlock; the workers only compute, and HiGHS is reset in each.
                warnings.simplefilter("ignore", DeprecationWarning)
                pool = ctx.Pool(workers, initializer=_worker_init)
            with pool:
                done = pool.imap(_worker_task, [tasks[k] for k in order], chunksize=1)
                for k, result in zip(order, done, strict=True):
                    outs[k] = result
        finally:
            _WORKER = None
        for out in outs:
            assert out is not None
            yield out

    def _merge(self, out: _TaskOut) -> None:
        for key, prof in out.found:
            self.found.setdefault(key, prof)
        self.warnings += out.warnings
        self.unsolved += out.unsolved
        self.complete &= out.complete
        self.relaxed += out.relaxed
        self.unverified += out.unverified
        self.uncertain += out.uncertain

    def _subtree_feasible(self, sizes: Sequence[int], sets: list[list[int]], fixed: int) -> bool:
        """Supports of players ``< fixed`` chosen: can any choice of the others' work?

        Tested with the linear relaxation where the other players' candidates
        are free (see :class:`SupportRelaxation`), for three players once only
        the last support is open and every leaf would otherwise need a
        polynomial system with many unknowns (earlier, the test rarely prunes).
        """
        free = list(range(fixed, self.n))
        leaves = math.prod(math.comb(len(sets[j]), sizes[j]) for j in free)
        if (
            self.n != 3
            or fixed != self.n - 1
            or leaves < 2
            or min(sizes) < 2
            or sum(sizes) - self.n < _RELAX_UNKNOWNS
        ):
            return True
        if SupportRelaxation(self.uf, sets, free=free).feasible():
            return True
        self.relaxed += leaves
        return False

    # -- one support profile ------------------------------------------------------------------
    def _leaf(self, supports: list[list[int]]) -> None:
        for i in range(self.n):
            if any(self._dominated(i, supports, weak=True)):
                return
        polys, nvars, offsets = self._system(supports)
        if _degree(polys) > 1:
            ineqs = self._outside(supports, offsets, nvars)
            blocks = [
                range(off, off + len(s) - 1)
                for off, s in zip(offsets, supports, strict=True)
                if off is not None
            ]
            boxed = self._boxes(supports, polys, ineqs, nvars, offsets, blocks)
            if boxed:
                return
            if _excluded(polys, ineqs, nvars, blocks, max_boxes=_BOXES.get(nvars, 20000)):
                return
            if nvars > _MAX_SYMPY_UNKNOWNS:
                self.complete = False
                self.unsolved.append(self._label(supports))
                return
        sol = _solve_system(polys, nvars)
        self.solved += 1
        system = None
        if sol.points and not (self.game.is_exact and all(e for _, e in sol.points)):
            blocks = [
                range(off, off + len(s) - 1)
                for off, s in zip(offsets, supports, strict=True)
                if off is not None
            ]
            system = (polys, self._outside(supports, offsets, nvars), blocks)
        self._accept(supports, offsets, sol, system)
        if sol.failed:
            self.complete = False
            self.warnings.append(
                f"the equations for supports {self._label(supports)} could not be solved "
                f"({sol.failed}); equilibria with these supports may be missing"
            )
        if sol.positive_dim:
            mixers = [j for j, s in enumerate(supports) if len(s) > 1]
            if len(mixers) == 1:
                self._one_mixer(supports, mixers[0])
            else:
                self._continuum(supports, polys, nvars, offsets)

    def _boxes(
        self,
        supports: list[list[int]],
        polys: list[Polynomial],
        ineqs: list[Polynomial],
        nvars: int,
        offsets: list[int | None],
        blocks: Sequence[Sequence[int]],
    ) -> bool:
        """Solve a polynomial system by certified subdivision; ``False`` if it stayed unresolved.

        Every root is certified unique in a small box (Krawczyk). A root whose box
        shows all its probabilities positive is reported: exactly when a rational
        point of the box satisfies the equations exactly, else in floats.
        """
        if nvars >= _RELAX_UNKNOWNS and not relaxation_feasible(self.uf, supports):
            # Large systems: the relaxation rules most of them out at once, before any
            # subdivision (which rarely settles them within the quick budget).
            self.relaxed += 1
            return True
        compiled = Compiled(polys, ineqs, nvars)
        res = solve_boxes(
            polys,
            ineqs,
            nvars,
            blocks,
            max_boxes=_QUICK_BOXES if nvars < _RELAX_UNKNOWNS else _BOX_LIMIT,
            deadline=self.deadline,
            compiled=compiled,
        )
        self._check_time()
        if not res.resolved and nvars < _RELAX_UNKNOWNS:
            res = solve_boxes(
                polys,
                ineqs,
                nvars,
                blocks,
                max_boxes=_BOX_LIMIT,
                deadline=self.deadline,
                compiled=compiled,
            )
            self._check_time()
        roots = res.roots
        if not res.resolved:
            guided = self._guided(supports, polys, ineqs, nvars, offsets, blocks, compiled)
            if guided is None:
                return False
            roots = guided
        points: list[tuple[tuple[Fraction, ...], bool]] = []
        boxes: list[tuple[tuple[Fraction, ...], tuple[Fraction, ...]] | None] = []
        for root in roots:
            lo = tuple(Fraction(float(v)) for v in root.lo)
            hi = tuple(Fraction(float(v)) for v in root.hi)
            if refute_box(ineqs, blocks, lo, hi):
                continue  # proved: not an equilibrium (outside a simplex, or beaten)
            if (root.lo <= 0).any() or any(
                float(root.hi[list(b)].sum()) >= 1.0 for b in blocks if len(b)
            ):
                return False  # a probability too close to 0 to decide here
            points.append(_rational_point(polys, root.point, root.lo, root.hi))
            boxes.append((lo, hi))
        self.solved += 1
        self._accept(supports, offsets, _SystemSolution(points), (polys, ineqs, blocks), boxes)
        return True

    def _guided(
        self,
        supports: list[list[int]],
        polys: list[Polynomial],
        ineqs: list[Polynomial],
        nvars: int,
        offsets: list[int | None],
        blocks: Sequence[Sequence[int]],
        compiled: Compiled,
    ) -> list[BoxRoot] | None:
        """Branch and bound with the linear relaxation, for systems subdivision alone finds hard.

        A box is dropped when the relaxation restricted to it (McCormick's
        envelopes on the box) is infeasible; a box the relaxation keeps is given
        to the interval subdivision with a small budget, and split when that is
        not enough. Returns every root, or ``None`` when the budget ran out.
        """
        relax = SupportRelaxation(self.uf, supports)
        # Each box carries its parent's final LP basis, to warm-start its own LP.
        stack: list[tuple[NDArray[np.float64], NDArray[np.float64], dict[Any, Any]]] = [
            (np.zeros(nvars), np.ones(nvars), {})
        ]
        roots: list[BoxRoot] = []
        lps = 0
        while stack:
            self._check_time()
            lo, hi, bases = stack.pop()
            relax.bases = dict(bases)
            lps += 1
            if lps > _GUIDED_LIMIT:
                return None
            plo: list[float] = []
            phi: list[float] = []
            for j, s in enumerate(supports):
                off = offsets[j]
                if off is None:
                    plo.append(1.0)
                    phi.append(1.0)
                    continue
                xl, xh = lo[off : off + len(s) - 1], hi[off : off + len(s) - 1]
                # p(s_0) = 1 - sum(x), rounded outwards (a correctly rounded sum, then
                # one more rounding: the error is below 2u(k + 2) <= 1e-15 (k + 2)).
                pad = 1e-15 * (len(s) + 1)
                plo += [1.0 - math.fsum(map(float, xh)) - pad, *map(float, xl)]
                phi += [1.0 - math.fsum(map(float, xl)) + pad, *map(float, xh)]
            if not relax.feasible(np.array(plo), np.array(phi)):
                self.relaxed += 1
                continue
            width = hi - lo
            res = (
                solve_boxes(
                    polys,
                    ineqs,
                    nvars,
                    blocks,
                    max_boxes=_GUIDED_BOXES,
                    deadline=self.deadline,
                    box=(lo, hi),
                    compiled=compiled,
                )
                if width.max() <= _GUIDED_WIDTH
                else None
            )
            if res is not None and res.resolved:
                roots += res.roots
                continue
            k = self._branch(relax, supports, offsets, width)
            if width[k] < 1e-6:
                return None
            cut = lo[k] + 0.4921875 * width[k]
            hi1 = hi.copy()
            hi1[k] = cut
            lo2 = lo.copy()
            lo2[k] = cut
            stack += [(lo2, hi, relax.bases), (lo, hi1, relax.bases)]
        return roots

    @staticmethod
    def _branch(
        relax: SupportRelaxation,
        supports: list[list[int]],
        offsets: list[int | None],
        width: NDArray[np.float64],
    ) -> int:
        """The unknown to split: where the relaxation is furthest from the products."""
        gaps = relax.gaps()
        if gaps is None:
            return int(np.argmax(width))
        score = np.zeros(len(width))
        pos = 0
        for j, s in enumerate(supports):
            off = offsets[j]
            if off is not None:
                xs = slice(off, off + len(s) - 1)
                score[xs] += gaps[pos + 1 : pos + len(s)]
                # p(s_0) = 1 - sum(x): its gap goes to the player's widest unknown.
                score[off + int(np.argmax(width[xs]))] += gaps[pos]
            pos += len(s)
        score = score * width
        if score.max() <= 0:
            return int(np.argmax(width))
        return int(np.argmax(score))

    def _system(self, supports: list[list[int]]) -> tuple[list[Polynomial], int, list[int | None]]:
        """Indifference equations over the support profile, in the free probabilities.

        Player j mixing over ``S_j = [s_0, ..., s_k]`` has unknowns ``x_1..x_k``
        (probabilities of ``s_1..s_k``) and ``p(s_0) = 1 - sum(x)``.
        """
        offsets: list[int | None] = []
        nvars = 0
        for s in supports:
            if len(s) > 1:
                offsets.append(nvars)
                nvars += len(s) - 1
            else:
                offsets.append(None)
        polys = [
            self._difference(supports, offsets, nvars, i, a)
            for i, s in enumerate(supports)
            for a in s[1:]
        ]
        return polys, nvars, offsets

    def _outside(
        self, supports: list[list[int]], offsets: list[int | None], nvars: int
    ) -> list[Polynomial]:
        """``u_i(b) - u_i(s_0) <= 0`` for every strategy ``b`` outside each support."""
        return [
            self._difference(supports, offsets, nvars, i, b)
            for i, s in enumerate(supports)
            for b in range(self.shape[i])
            if b not in s
        ]

    def _difference(
        self, supports: list[list[int]], offsets: list[int | None], nvars: int, i: int, a: int
    ) -> Polynomial:
        """``u_i(a, sigma_-i) - u_i(s_0, sigma_-i)`` as a polynomial in the free probabilities."""
        key = tuple(tuple(x) for x in supports)
        if self._diff_key != key:
            self._diff_key = key
            self._diff_tables = {}
        if i not in self._diff_tables:
            self._diff_tables[i] = self._differences(supports, offsets, nvars, i)
        table, monos = self._diff_tables[i]
        t = table[a] - table[supports[i][0]]
        return {monos[k]: int(t[k]) for k in np.flatnonzero(t)}

    def _differences(
        self, supports: list[list[int]], offsets: list[int | None], nvars: int, i: int
    ) -> tuple[NDArray[Any], list[tuple[int, ...]]]:
        """Player i's payoffs, one row per own strategy, in the basis of the free probabilities.

        Row ``a`` holds the coefficients of ``u_i(a, sigma_-i)`` on the monomials of
        the returned list (flattened); differences of rows are the polynomials.
        """
        idx = [range(self.shape[i]) if j == i else list(supports[j]) for j in range(self.n)]
        t = np.moveaxis(self.uo[i][np.ix_(*idx)], i, 0)
        others = [j for j in range(self.n) if j != i]
        # Change basis on each mixing axis: p_0 = 1 - sum(x) gives the
        # constant t[0] and the coefficient t[m] - t[0] for x_m.
        for ax, j in enumerate(others, start=1):
            if len(supports[j]) > 1:
                first = np.take(t, [0], axis=ax)
                rest = np.take(t, range(1, t.shape[ax]), axis=ax) - first
                t = np.concatenate([first, rest], axis=ax)
        monos: list[tuple[int, ...]] = []
        for pos in itertools.product(*(range(d) for d in t.shape[1:])):
            mono = [0] * nvars
            for ax, j in enumerate(others):
                off = offsets[j]
                if off is not None and pos[ax] > 0:
                    mono[off + pos[ax] - 1] = 1
            monos.append(tuple(mono))
        return t.reshape(t.shape[0], -1), monos

    def _profile(
        self, supports: list[list[int]], offsets: list[int | None], values: Sequence[Fraction]
    ) -> tuple[tuple[Fraction, ...], ...] | None:
        prof: list[tuple[Fraction, ...]] = []
        for j, s in enumerate(supports):
            row = [Fraction(0)] * self.shape[j]
            off = offsets[j]
            if off is None:
                row[s[0]] = Fraction(1)
            else:
                xs = values[off : off + len(s) - 1]
                row[s[0]] = 1 - sum(xs, Fraction(0))
                for k, v in zip(s[1:], xs, strict=True):
                    row[k] = v
            prof.append(tuple(row))
        return tuple(prof)

    def _accept(
        self,
        supports: list[list[int]],
        offsets: list[int | None],
        sol: _SystemSolution,
        system: tuple[list[Polynomial], list[Polynomial], Sequence[Sequence[int]]] | None = None,
        boxes: Sequence[tuple[tuple[Fraction, ...], tuple[Fraction, ...]] | None] = (),
    ) -> int:
        """Verify each solution of the system; return how many were equilibria.

        An exact solution is checked exactly. Any other (an irrational root, or
        any root of a game given in floats) is certified with exact interval
        arithmetic (:func:`certify_box`) on its box from the subdivision, or on
        a box of radius :math:`10^{-30}` around it, given the ``system``
        (equations, outside-strategy inequalities, simplex blocks); proved not
        to be an equilibrium (:func:`refute_box`) and dropped; or, when neither
        can be shown, judged by its float regret and counted as uncertain.
        """
        count = 0
        for n_point, (values, exact) in enumerate(sol.points):
            prof = self._profile(supports, offsets, values)
            if prof is None:
                continue
            margin = Fraction(0) if exact else _POSITIVE
            if exact and any(prof[j][k] <= margin for j, s in enumerate(supports) for k in s):
                continue
            out: tuple[tuple[Number, ...], ...]
            cert: EquilibriumCertificate | None = None
            if exact and self.game.is_exact:
                if not certificate(self.game, prof).is_equilibrium:
                    continue
                out = prof
            else:
                fl = tuple(tuple(float(p) for p in row) for row in prof)
                box = boxes[n_point] if n_point < len(boxes) else None
                verdict = "unknown"
                if system is not None:
                    polys, ineqs, blocks = system
                    # The search's box first; then boxes around the point, wide enough
                    # to hold the floats reported, or (for a root known to 50 digits)
                    # tight. The first certified box that holds the floats is kept.
                    boxes_tried = [] if box is None else [box]
                    boxes_tried += [box_around(values, r) for r in _CERT_RADII]
                    for trial in boxes_tried:
                        if not certify_box(polys, ineqs, blocks, *trial):
                            continue
                        trial_cert = self._certificate(supports, offsets, trial)
                        if cert is None:
                            verdict, cert = "equilibrium", trial_cert
                        if trial_cert.contains(fl):
                            cert = trial_cert
                            break
                    if verdict == "unknown" and refute_box(ineqs, blocks, *boxes_tried[0]):
                        verdict = "not an equilibrium"
                if verdict == "not an equilibrium":
                    continue
                if verdict == "unknown" and (
                    any(prof[j][k] <= margin for j, s in enumerate(supports) for k in s)
                    or not certificate(self.game, fl, tol=self.tol).is_equilibrium
                ):
                    self.uncertain += 1  # dropped on floating-point evidence only
                    continue
                if verdict == "unknown":
                    self.uncertain += 1  # reported on floating-point evidence only
                out = fl
            self._add(out, exact and self.game.is_exact, cert)
            count += 1
        return count

    def _certificate(
        self,
        supports: list[list[int]],
        offsets: list[int | None],
        box: tuple[tuple[Fraction, ...], tuple[Fraction, ...]],
    ) -> EquilibriumCertificate:
        """The box of the free probabilities as bounds on every probability."""
        lo, hi = box
        lower: list[tuple[Fraction, ...]] = []
        upper: list[tuple[Fraction, ...]] = []
        for j, s in enumerate(supports):
            row_lo = [Fraction(0)] * self.shape[j]
            row_hi = [Fraction(0)] * self.shape[j]
            off = offsets[j]
            if off is None:
                row_lo[s[0]] = row_hi[s[0]] = Fraction(1)
            else:
                xs = range(off, off + len(s) - 1)
                row_lo[s[0]] = 1 - sum((hi[k] for k in xs), Fraction(0))
                row_hi[s[0]] = 1 - sum((lo[k] for k in xs), Fraction(0))
                for a, k in zip(s[1:], xs, strict=True):
                    row_lo[a], row_hi[a] = lo[k], hi[k]
            lower.append(tuple(row_lo))
            upper.append(tuple(row_hi))
        return EquilibriumCertificate(tuple(tuple(s) for s in supports), tuple(lower), tuple(upper))

    def _one_mixer(self, supports: list[list[int]], i: int) -> None:
        """One player mixes and is indifferent on ``S_i`` against pure opponents.

        Every mixture over ``S_i`` solves the indifference equations; it is an
        equilibrium iff the opponents' pure strategies stay best responses,
        constraints that are linear in player i's mixture. A linear program
        (maximise the smallest probability) decides whether strictly positive
        mixtures satisfy them; an interior point it finds is rounded to a
        fraction and verified exactly before it is reported.
        """
        from scipy.optimize import linprog

        s_i = supports[i]
        k = len(s_i)
        rows: list[NDArray[np.float64]] = []
        for j in range(self.n):
            if j == i:
                continue
            # Payoff of each strategy of j (rows) against each strategy in S_i (columns).
            idx: list[Any] = [list(supports[q]) for q in range(self.n)]
            idx[j] = list(range(self.shape[j]))
            sub = np.moveaxis(self.u[j][np.ix_(*idx)], (j, i), (0, 1))
            vals = np.asarray(sub.reshape(self.shape[j], k), dtype=np.float64)
            own = vals[supports[j][0]]
            scale = max(float(np.abs(vals).max()), 1.0)
            rows.extend((vals[b] - own) / scale for b in range(self.shape[j]))
        # Variables (p_1..p_k, t): maximise t with p >= t, sum p = 1, rows @ p <= 0.
        a_ub = [np.append(r, 0.0) for r in rows]
        a_ub += [np.append(-np.eye(k)[m], 1.0) for m in range(k)]
        b_ub = np.zeros(len(a_ub))
        res = linprog(
            c=np.append(np.zeros(k), -1.0),
            A_ub=np.array(a_ub),
            b_ub=b_ub,
            A_eq=np.array([np.append(np.ones(k), 0.0)]),
            b_eq=np.array([1.0]),
            bounds=[(0, 1)] * (k + 1),
            method="highs",
        )
        if res.status != 0 or -res.fun <= 1e-9:
            return  # no strictly positive mixture keeps the opponents' strategies best
        self.complete = False
        probs = [Fraction(float(v)).limit_denominator(10**6) for v in res.x[:k]]
        probs[0] = 1 - sum(probs[1:], Fraction(0))
        sol = _SystemSolution([(tuple(probs[1:]), True)])
        offsets: list[int | None] = [0 if j == i else None for j in range(self.n)]
        found = self._accept(supports, offsets, sol)
        label = self._label(supports)
        if found:
            self.warnings.append(
                f"the equilibria with supports {label} form a continuum (every mixture of "
                f"{self.game.players[i]} in a polytope); only 1 sample point of it was reported"
            )
        else:
            self.warnings.append(
                f"the equilibria with supports {label} form a continuum (mixtures of "
                f"{self.game.players[i]} in a polytope); no sample point could be verified"
            )

    def _continuum(
        self,
        supports: list[list[int]],
        polys: list[Polynomial],
        nvars: int,
        offsets: list[int | None],
    ) -> None:
        """A positive-dimensional solution set: look for sample equilibria on random slices."""
        self.complete = False
        rng = random.Random(repr(supports))
        found = 0
        for _trial in range(_WITNESS_TRIALS):
            self._check_time()
            order = list(range(nvars))
            rng.shuffle(order)
            pins: list[Polynomial] = []
            for v in order:
                den = rng.randint(7, 97)
                num = rng.randint(1, den - 1)
                mono = tuple(int(k == v) for k in range(nvars))
                pin: Polynomial = {mono: den, (0,) * nvars: -num}
                sol = _solve_system([*polys, *pins, pin], nvars)
                if sol.failed:
                    break
                if sol.positive_dim:
                    pins.append(pin)
                    continue
                if not sol.points:
                    continue  # this variable is determined on the set (or the slice misses)
                found += self._accept(supports, offsets, sol)
                break
            if found:
                break
        label = self._label(supports)
        if found:
            self.warnings.append(
                f"the equilibria with supports {label} form a continuum; only {found} "
                "sample point(s) of it were reported"
            )
        else:
            self.warnings.append(
                f"the equilibrium conditions for supports {label} have a continuum of "
                "solutions; no equilibrium was found on it by sampling, but a continuum of "
                "equilibria with these supports cannot be ruled out"
            )

    def _label(self, supports: list[list[int]]) -> str:
        g = self.game
        parts = [
            f"{g.players[j]}: {', '.join(g.strategies[j][k] for k in s)}"
            for j, s in enumerate(supports)
        ]
        return "{" + "; ".join(parts) + "}"

    # -- results ------------------------------------------------------------------------------
    def _add(
        self,
        prof: tuple[tuple[Number, ...], ...],
        exact: bool,
        cert: EquilibriumCertificate | None = None,
    ) -> None:
        if exact:
            key: tuple[Any, ...] = ("exact", prof)
        else:
            # Each support's roots are isolated in disjoint boxes: only a root found twice
            # (by overlapping searches) shares the support and the rounded values.
            support = tuple(tuple(k for k, p in enumerate(row) if p > 0) for row in prof)
            key = ("float", support, tuple(tuple(round(float(p), 7) for p in row) for row in prof))
        if not self.game.is_exact:
            prof = tuple(tuple(float(p) for p in row) for row in prof)
        self.found.setdefault(key, (prof, cert))

    def _result(self) -> NPlayerResult:
        found = list(self.found.values())

        def sort_key(item: _Found) -> tuple[Any, ...]:
            prof = item[0]
            size = sum(1 for row in prof for p in row if p > 0)
            return (size, tuple(tuple(-float(p) for p in row) for row in prof))

        found.sort(key=sort_key)
        eqs = tuple(prof for prof, _ in found)
        certs = tuple(cert for _, cert in found)
        exact = all(isinstance(p, Fraction) for prof in eqs for row in prof for p in row)
        each = all(
            cert is not None or all(isinstance(p, Fraction) for row in prof for p in row)
            for prof, cert in found
        )
        certified = each and self.uncertain == 0 and (self.relax_exact or self.relaxed == 0)
        return NPlayerResult(eqs, self.complete, exact, tuple(self.warnings), certs, certified)


def support_enumeration(
    game: NormalFormGame,
    *,
    tol: float = DEFAULT_TOL,
    max_seconds: float = 60.0,
    workers: int | None = None,
) -> NPlayerResult:
    """All Nash equilibria of a small N-player game, by support enumeration.

    Parameters
    ----------
    game
        A normal-form game with any number of players (meant for three or more;
        two-player games work too).
    tol
        Regret tolerance for equilibria returned as floats (irrational
        solutions, or float games). Exact solutions have regret exactly 0.
    max_seconds
        Time budget. When it runs out the equilibria found so far are
        returned with ``complete=False`` and a warning saying how many support
        profiles were left.
    workers
        Processes to solve independent groups of support profiles on (forked
        with ``fork``; results are identical to and in the same order as a
        serial run). ``None``: the available cores for games with more than
        400 support profiles, else 1.

    Returns
    -------
    NPlayerResult
        Every isolated equilibrium when ``complete`` is ``True``; when the game
        is degenerate and some support carries a continuum of equilibria, a
        sample point of it (if one was found), a warning and ``complete=False``.
        Equilibria that are not fractions come with an
        :class:`EquilibriumCertificate` (``certificates``); ``certified`` says
        whether everything reported and everything excluded was proved.

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> import numpy as np
    >>> u = np.zeros((2, 2, 2, 3), dtype=int)  # McKelvey and McLennan's 2x2x2 example
    >>> u[0, 0, 0], u[1, 1, 0] = (9, 8, 12), (9, 8, 2)
    >>> u[1, 0, 1] = u[0, 1, 1] = (3, 4, 6)
    >>> res = support_enumeration(NormalFormGame(u))
    >>> len(res.equilibria), res.complete, res.exact
    (9, True, True)
    >>> [[str(p) for p in row] for row in res.equilibria[-1]]
    [['2/5', '3/5'], ['1/2', '1/2'], ['1/3', '2/3']]
    """
    return _Search(game, tol, max_seconds, workers).run()
