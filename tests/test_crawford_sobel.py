"""Crawford & Sobel (1982), uniform-quadratic: partition equilibria derived by the engine.

The closed forms below come from the paper and serve as oracles only; the module derives the
recursion, solves it with sympy and evaluates the equilibrium condition exactly.
"""

from __future__ import annotations

import math
from fractions import Fraction as F

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from equishift.games import SolverError
from equishift.solver.crawford_sobel import (
    all_partition_equilibria,
    boundary_formula,
    boundary_recursion,
    informative_threshold,
    max_intervals,
    partition_equilibrium,
)


def paper_n(b: F) -> int:
    """Largest N with 2N(N-1)b < 1 (Crawford & Sobel 1982, uniform-quadratic example)."""
    n = 1
    while 2 * (n + 1) * n * b < 1:
        n += 1
    return n


def test_recursion_is_derived() -> None:
    rec = boundary_recursion()
    a0, a1, a2, b = sp.symbols("a0 a1 a2 b", real=True)
    assert sp.simplify(rec.rhs - (2 * a1 - a0 + 4 * b)) == 0
    assert rec.lhs == a2


def test_formula_solves_the_recursion() -> None:
    f = boundary_formula()
    i, n = sp.symbols("i N", integer=True, positive=True)
    b = sp.Symbol("b", real=True)
    assert sp.simplify(f.subs(i, 0)) == 0
    assert sp.simplify(f.subs(i, n) - 1) == 0
    second_difference = f.subs(i, i + 2) - 2 * f.subs(i, i + 1) + f
    assert sp.simplify(second_difference - 4 * b) == 0


def test_informative_iff_bias_below_one_quarter() -> None:
    assert informative_threshold() == F(1, 4)
    assert max_intervals(F(1, 4)) == 1
    assert max_intervals(F(1, 4) - F(1, 10**9)) == 2
    assert not partition_equilibrium(F(1, 4)).informative
    assert partition_equilibrium("0.2499").informative


@settings(max_examples=40, deadline=None)
@given(st.fractions(min_value=F(1, 500), max_value=F(2)))
def test_max_intervals_matches_paper(b: F) -> None:
    assume_positive = b > 0
    assert assume_positive
    assert max_intervals(b) == paper_n(b)
    assert (max_intervals(b) >= 2) == (b < F(1, 4))


@pytest.mark.parametrize("b", [F(1, 20), F(1, 10), F(1, 7), F(1, 50)])
def test_boundaries_and_utilities_match_paper(b: F) -> None:
    for eq in all_partition_equilibria(b):
        n = eq.n_intervals
        assert eq.verified
        assert eq.boundaries == tuple(F(k, n) + 2 * b * k * (k - n) for k in range(n + 1))
        assert eq.actions == tuple((eq.boundaries[k] + eq.boundaries[k + 1]) / 2 for k in range(n))
        receiver = -F(1, 12 * n * n) - b * b * (n * n - 1) / 3
        assert eq.receiver_utility == receiver
        assert eq.sender_utility == receiver - b * b
    # The receiver prefers the most informative equilibrium.
    utils = [e.receiver_utility for e in all_partition_equilibria(b)]
    assert utils == sorted(utils)


def test_example_values() -> None:
    eq = partition_equilibrium(F(1, 20))
    assert eq.n_intervals == 3
    assert eq.boundaries == (F(0), F(2, 15), F(7, 15), F(1))
    assert eq.receiver_utility == F(-43, 2700)
    babble = partition_equilibrium(F(1, 20), 1)
    assert babble.receiver_utility == F(-1, 12) and babble.actions == (F(1, 2),)


def test_small_bias_many_intervals() -> None:
    b = F(1, 1000)
    n = max_intervals(b)
    assert n == paper_n(b) == math.floor(0.5 + 0.5 * math.sqrt(1 + 2 / float(b)) - 1e-12)


def test_errors() -> None:
    with pytest.raises(SolverError, match="positive"):
        max_intervals(0)
    with pytest.raises(SolverError, match="N="):
        partition_equilibrium(F(1, 10), 3)
    eq = partition_equilibrium(0.125)  # a float is taken at its exact binary value
    assert eq.bias == F(1, 8) and eq.n_intervals == 2
