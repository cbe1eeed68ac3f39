"""Strategic information transmission (Crawford & Sobel 1982), uniform-quadratic case.

A sender observes a state :math:`\\theta \\sim U[0, 1]` and sends a costless message; a
receiver then chooses an action :math:`y`. Payoffs are quadratic losses: the receiver's
:math:`-(y - \\theta)^2`, the sender's :math:`-(y - \\theta - b)^2` with bias :math:`b > 0`.
Every equilibrium is a *partition equilibrium*: the states are cut at
:math:`0 = a_0 < a_1 < \\dots < a_N = 1`, the sender reports the interval, and the receiver
plays its best response to the interval.

Nothing below is typed in from the paper; the engine derives it with sympy:

1. the receiver's best response to an interval :math:`[a, c]` maximises
   :math:`-\\int_a^c (y - \\theta)^2 d\\theta` (first-order condition → the midpoint);
2. a boundary type :math:`a_i` must be indifferent between the actions of the two
   intervals it separates; solving that for :math:`a_{i+1}` (the root other than
   :math:`a_{i-1}`) gives the recursion :math:`a_{i+1} - a_i = a_i - a_{i-1} + 4b`
   (:func:`boundary_recursion`);
3. ``sympy.rsolve`` solves the recursion with :math:`a_0 = 0, a_N = 1`
   (:func:`boundary_formula`);
4. the partition is an equilibrium iff the first interval is non-empty, :math:`a_1 > 0`,
   which ``sympy`` turns into :math:`2N(N-1)b < 1`; :func:`max_intervals` is the largest
   such :math:`N`, found by evaluating that condition exactly for rational :math:`b`;
5. talk is informative (:math:`N(b) \\ge 2`) iff :math:`b` is below the root of
   :math:`a_1 = 0` at :math:`N = 2` — :func:`informative_threshold` returns 1/4
   (Crawford & Sobel 1982, Econometrica 50(6), pp. 1431–1451).

Expected utilities are integrated exactly: the receiver's is
:math:`-\\sum_i \\int_{a_{i-1}}^{a_i} (y_i - \\theta)^2 d\\theta`, the sender's the same with
:math:`\\theta + b`.

Examples
--------
>>> from fractions import Fraction as F
>>> informative_threshold()
Fraction(1, 4)
>>> max_intervals(F(1, 20))
3
>>> eq = partition_equilibrium(F(1, 20))
>>> eq.boundaries
(Fraction(0, 1), Fraction(2, 15), Fraction(7, 15), Fraction(1, 1))
>>> eq.receiver_utility, eq.sender_utility
(Fraction(-43, 2700), Fraction(-199, 10800))
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..games.errors import SolverError
from ..games.numbers import to_number

__all__ = [
    "PartitionEquilibrium",
    "all_partition_equilibria",
    "boundary_formula",
    "boundary_recursion",
    "informative_threshold",
    "max_intervals",
    "partition_equilibrium",
]


@functools.lru_cache(maxsize=1)
def _symbols() -> tuple[Any, ...]:
    import sympy as sp

    theta, y, lo, hi, b = sp.symbols("theta y lo hi b", real=True)
    a0, a1, a2 = sp.symbols("a0 a1 a2", real=True)
    i, n = sp.symbols("i N", integer=True, positive=True)
    return theta, y, lo, hi, b, a0, a1, a2, i, n


@functools.lru_cache(maxsize=1)
def _receiver_action() -> Any:
    """The receiver's best response to ``[lo, hi]`` from the first-order condition."""
    import sympy as sp

    theta, y, lo, hi, *_ = _symbols()
    loss = sp.integrate((y - theta) ** 2, (theta, lo, hi))
    (sol,) = sp.solve(sp.diff(loss, y), y)
    # Second-order condition: the loss is convex in y.
    assert sp.simplify(sp.diff(loss, y, 2) - 2 * (hi - lo)) == 0
    return sp.simplify(sol)


@functools.lru_cache(maxsize=1)
def _interval_integrals() -> tuple[Any, Any, Any]:
    """Utility of the receiver and the sender on ``[lo, hi]`` at action ``y``, and the FOC."""
    import sympy as sp

    theta, y, lo, hi, b, *_ = _symbols()
    recv = sp.expand(sp.integrate(-((y - theta) ** 2), (theta, lo, hi)))
    send = sp.expand(sp.integrate(-((y - theta - b) ** 2), (theta, lo, hi)))
    return recv, send, sp.diff(recv, y)


@functools.lru_cache(maxsize=1)
def boundary_recursion() -> Any:
    """The boundary recursion, derived from the sender's indifference at :math:`a_1`.

    Returns
    -------
    sympy.Eq
        ``a2 = 2*a1 - a0 + 4*b`` (boundaries ``a0 < a1 < a2``, bias ``b``).

    Examples
    --------
    >>> boundary_recursion()
    Eq(a2, -a0 + 2*a1 + 4*b)
    """
    import sympy as sp

    _, _, lo, hi, b, a0, a1, a2, _, _ = _symbols()
    act = _receiver_action()
    y1 = act.subs({lo: a0, hi: a1})
    y2 = act.subs({lo: a1, hi: a2})
    indiff = sp.Eq(-((y1 - a1 - b) ** 2), -((y2 - a1 - b) ** 2))
    roots = [r for r in sp.solve(indiff, a2) if sp.simplify(r - a0) != 0]
    if len(roots) != 1:  # pragma: no cover - the quadratic has the trivial root a0 and one other
        raise SolverError(f"boundary recursion: unexpected roots {roots}")
    return sp.Eq(a2, sp.expand(roots[0]))


@functools.lru_cache(maxsize=1)
def boundary_formula() -> Any:
    """:math:`a_i` for an :math:`N`-interval equilibrium, by ``sympy.rsolve`` of the recursion.

    Returns
    -------
    sympy.Expr
        In the symbols ``i``, ``N`` and ``b``, with :math:`a_0 = 0` and :math:`a_N = 1`.

    Examples
    --------
    >>> boundary_formula()
    -2*N*b*i + 2*b*i**2 + i/N
    """
    import sympy as sp

    _, _, _, _, b, a0, a1, _, i, n = _symbols()
    rec = boundary_recursion()
    a = sp.Function("a")
    step = rec.rhs.subs({a0: a(i), a1: a(i + 1)}) - a(i + 2)
    general = sp.rsolve(step, a(i))
    consts = sorted(general.free_symbols - {i, b}, key=str)
    eqs = [general.subs(i, 0), general.subs(i, n) - 1]
    sol = sp.solve(eqs, consts, dict=True)
    if len(sol) != 1:  # pragma: no cover - a linear system with a unique solution
        raise SolverError("boundary formula: the boundary conditions did not fix the solution")
    return sp.expand(general.subs(sol[0]))


@functools.lru_cache(maxsize=1)
def _first_interval_condition() -> Any:
    """The equilibrium condition :math:`a_1 > 0` as a sympy relation in ``N`` and ``b``."""
    import sympy as sp

    i = _symbols()[8]
    a1 = sp.together(boundary_formula().subs(i, 1))
    num, _den = sp.fraction(a1)  # the denominator N is positive
    return sp.expand(num) > 0


def _bias(b: Any) -> Fraction:
    v = to_number(b, what="bias b")
    if not isinstance(v, Fraction):
        v = Fraction(v)  # the float's exact binary value
    if v <= 0:
        raise SolverError(f"bias b must be positive (got {v}); with b = 0 there is no bound on N")
    return v


def max_intervals(b: Any) -> int:
    """:math:`N(b)`: the largest number of intervals of a partition equilibrium.

    The largest :math:`N` at which the engine's condition :math:`a_1 > 0` holds
    (equivalently :math:`2N(N-1)b < 1`), evaluated exactly.

    Examples
    --------
    >>> [max_intervals(b) for b in ("0.3", "0.25", "0.2", "0.1", "0.05", "0.01")]
    [1, 1, 2, 2, 3, 7]
    """
    import sympy as sp

    bb = _bias(b)
    cond = _first_interval_condition()
    _, _, _, _, bsym, _, _, _, _, nsym = _symbols()
    # The condition's polynomial, evaluated in exact Fractions (faster than sympy.subs).
    poly = sp.Poly(cond.lhs - cond.rhs, nsym, bsym)
    terms = [
        (int(en), int(eb), Fraction(int(sp.Rational(c).p), int(sp.Rational(c).q)))
        for (en, eb), c in poly.terms()
    ]

    def holds(n: int) -> bool:
        return sum((c * n**en * bb**eb for en, eb, c in terms), Fraction(0)) > 0

    k = 1
    while holds(k + 1):
        k += 1
    return k


def informative_threshold() -> Fraction:
    """The bias below which some equilibrium is informative: the root of :math:`a_1 = 0` at N = 2.

    >>> informative_threshold()
    Fraction(1, 4)
    """
    import sympy as sp

    _, _, _, _, b, *_, i, n = _symbols()
    (root,) = sp.solve(boundary_formula().subs({i: 1, n: 2}), b)
    r = sp.Rational(root)
    return Fraction(int(r.p), int(r.q))


@dataclass(frozen=True)
class PartitionEquilibrium:
    """A partition equilibrium of the uniform-quadratic cheap-talk game.

    Attributes
    ----------
    bias
        The sender's bias :math:`b`.
    n_intervals
        :math:`N`.
    boundaries
        :math:`a_0 = 0 < a_1 < \\dots < a_N = 1`, exact.
    actions
        The receiver's action on each interval (its midpoint).
    receiver_utility, sender_utility
        Ex-ante expected utilities, exact.
    verified
        Every interior boundary type is exactly indifferent between its two actions and
        every action is the receiver's best response (exact check).

    Examples
    --------
    >>> eq = partition_equilibrium("0.3")
    >>> eq.n_intervals, eq.informative, eq.actions, eq.receiver_utility
    (1, False, (Fraction(1, 2),), Fraction(-1, 12))
    """

    bias: Fraction
    n_intervals: int
    boundaries: tuple[Fraction, ...]
    actions: tuple[Fraction, ...]
    receiver_utility: Fraction
    sender_utility: Fraction
    verified: bool

    @property
    def informative(self) -> bool:
        """Whether the receiver learns something (at least two intervals)."""
        return self.n_intervals >= 2


def _to_fraction(x: Any) -> Fraction:
    import sympy as sp

    r = sp.Rational(x)
    return Fraction(int(r.p), int(r.q))


def partition_equilibrium(b: Any, n_intervals: int | None = None) -> PartitionEquilibrium:
    """The partition equilibrium with ``n_intervals`` intervals (default :math:`N(b)`).

    Parameters
    ----------
    b
        The bias (exact: int, Fraction or decimal string; a float is taken at its exact
        binary value).
    n_intervals
        :math:`1 \\le N \\le N(b)`.

    Raises
    ------
    SolverError
        For ``b <= 0`` or ``N`` outside ``1..N(b)``.

    Examples
    --------
    >>> eq = partition_equilibrium("0.1", 2)
    >>> eq.boundaries, eq.actions
    ((Fraction(0, 1), Fraction(3, 10), Fraction(1, 1)), (Fraction(3, 20), Fraction(13, 20)))
    >>> eq.verified, eq.informative
    (True, True)
    """
    import sympy as sp

    bb = _bias(b)
    top = max_intervals(bb)
    n_int = top if n_intervals is None else int(n_intervals)
    if not 1 <= n_int <= top:
        raise SolverError(
            f"partition_equilibrium(): N={n_int} is not an equilibrium for b={bb}; "
            f"expected 1 <= N <= N(b) = {top}"
        )
    _, _, lo, hi, bsym, *_, isym, nsym = _symbols()
    brat = sp.Rational(bb.numerator, bb.denominator)
    formula = boundary_formula().subs({bsym: brat, nsym: n_int})
    bounds = [sp.Rational(formula.subs(isym, k)) for k in range(n_int + 1)]
    act = _receiver_action()
    actions = [act.subs({lo: bounds[k], hi: bounds[k + 1]}) for k in range(n_int)]
    recv_loss, send_loss, foc = _interval_integrals()
    y = _symbols()[1]

    def on(expr: Any, k: int) -> Any:
        return expr.subs({lo: bounds[k], hi: bounds[k + 1], y: actions[k], bsym: brat})

    recv = sum((on(recv_loss, k) for k in range(n_int)), sp.Integer(0))
    send = sum((on(send_loss, k) for k in range(n_int)), sp.Integer(0))
    ok = bounds[0] == 0 and bounds[-1] == 1
    ok = ok and all(bounds[k] < bounds[k + 1] for k in range(n_int))
    for k in range(1, n_int):
        t = bounds[k]
        ok = ok and (actions[k - 1] - t - brat) ** 2 == (actions[k] - t - brat) ** 2
    ok = ok and all(on(foc, k) == 0 for k in range(n_int))
    return PartitionEquilibrium(
        bias=bb,
        n_intervals=n_int,
        boundaries=tuple(_to_fraction(v) for v in bounds),
        actions=tuple(_to_fraction(v) for v in actions),
        receiver_utility=_to_fraction(recv),
        sender_utility=_to_fraction(send),
        verified=bool(ok),
    )


def all_partition_equilibria(b: Any) -> tuple[PartitionEquilibrium, ...]:
    """Every partition equilibrium, :math:`N = 1 .. N(b)` (the receiver prefers larger N).

    >>> [e.n_intervals for e in all_partition_equilibria("0.1")]
    [1, 2]
    """
    return tuple(partition_equilibrium(b, k) for k in range(1, max_intervals(b) + 1))
