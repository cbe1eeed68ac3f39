"""Certified root finding, the linear relaxation and N-player enumeration against pygambit."""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equishift.games import NormalFormGame
from equishift.solver._nplayer_boxes import solve_boxes
from equishift.solver._nplayer_relax import SupportRelaxation, relaxation_feasible
from equishift.solver.nplayer import support_enumeration
from equishift.solver.verify import certificate

# -- certified subdivision ---------------------------------------------------------------------


def test_boxes_find_the_single_root_of_a_linear_system() -> None:
    res = solve_boxes([{(1, 0): 3, (0, 0): -1}, {(0, 1): 4, (0, 0): -3}], [], 2, [])
    assert res.resolved and len(res.roots) == 1
    (root,) = res.roots
    assert np.allclose(root.point, [1 / 3, 3 / 4], atol=1e-14)
    assert (root.lo <= root.point).all() and (root.point <= root.hi).all()
    assert (root.hi - root.lo).max() < 1e-10


def test_boxes_prove_no_root() -> None:
    # x*y = 2 has no root in the unit square.
    res = solve_boxes([{(1, 1): 1, (0, 0): -2}, {(1, 0): 1, (0, 1): -1}], [], 2, [])
    assert res.resolved and res.roots == []


def test_boxes_two_roots_of_a_bilinear_system() -> None:
    # (x - 1/5)(y - 3/5) = 0 and x + y = 1: roots (1/5, 4/5) and (2/5, 3/5).
    eqs = [{(1, 1): 25, (1, 0): -15, (0, 1): -5, (0, 0): 3}, {(1, 0): 1, (0, 1): 1, (0, 0): -1}]
    res = solve_boxes(eqs, [], 2, [])
    assert res.resolved
    got = sorted(tuple(round(float(v), 12) for v in r.point) for r in res.roots)
    assert got == [(0.2, 0.8), (0.4, 0.6)]


def test_boxes_inequalities_and_simplex_drop_roots() -> None:
    eqs = [{(1, 1): 25, (1, 0): -15, (0, 1): -5, (0, 0): 3}, {(1, 0): 1, (0, 1): 1, (0, 0): -1}]
    # x <= 0.3 keeps only (1/5, 4/5).
    res = solve_boxes(eqs, [{(1, 0): 10, (0, 0): -3}], 2, [])
    assert res.resolved and len(res.roots) == 1
    assert abs(float(res.roots[0].point[0]) - 0.2) < 1e-12


def test_boxes_singular_root_is_not_claimed() -> None:
    # (x - 1/2)^2-like tangency: x*y - x - y + 3/4 ... use (2x-1)(2y-1) = 0, x = y (singular).
    eqs = [{(1, 1): 4, (1, 0): -2, (0, 1): -2, (0, 0): 1}, {(1, 0): 1, (0, 1): -1}]
    res = solve_boxes(eqs, [], 2, [], max_boxes=2000)
    assert not res.resolved  # a singular root cannot be certified: the caller must take over


def test_boxes_respect_the_budget() -> None:
    eqs = [{(1, 1): 4, (1, 0): -2, (0, 1): -2, (0, 0): 1}, {(1, 0): 1, (0, 1): -1}]
    assert not solve_boxes(eqs, [], 2, [], max_boxes=5).resolved
    assert not solve_boxes(eqs, [], 2, [], deadline=0.0).resolved


@st.composite
def bilinear_systems(draw: st.DrawFn) -> list[dict[tuple[int, ...], int]]:
    coeffs = draw(st.lists(st.integers(-9, 9), min_size=8, max_size=8))
    monos = [(1, 1), (1, 0), (0, 1), (0, 0)]
    return [
        {m: c for m, c in zip(monos, coeffs[4 * e : 4 * e + 4], strict=True) if c} for e in range(2)
    ]


@settings(max_examples=60, deadline=None)
@given(bilinear_systems())
def test_boxes_agree_with_exact_solutions(eqs: list[dict[tuple[int, ...], int]]) -> None:
    """Every certified root is a root, and every exact root inside the box is found."""
    sympy = pytest.importorskip("sympy")
    x, y = sympy.symbols("x y")
    if not all(eqs):
        return
    polys = [sum(c * x ** m[0] * y ** m[1] for m, c in p.items()) for p in eqs]
    res = solve_boxes(eqs, [], 2, [], max_boxes=5000)
    if not res.resolved:
        return  # singular or degenerate: the caller falls back, nothing is claimed
    exact = sympy.solve(polys, [x, y], dict=True)
    real = []
    for sol in exact:
        if len(sol) < 2:
            return  # a continuum of solutions cannot be resolved; it was not
        vx, vy = complex(sol[x]), complex(sol[y])
        if abs(vx.imag) < 1e-12 and abs(vy.imag) < 1e-12:
            real.append((vx.real, vy.real))
    inside = [r for r in real if 1e-9 < r[0] < 1 - 1e-9 and 1e-9 < r[1] < 1 - 1e-9]
    for r in inside:
        assert any(np.allclose(b.point, r, atol=1e-9) for b in res.roots), (r, res.roots)
    for b in res.roots:
        assert any(np.allclose(b.point, r, atol=1e-9) for r in real)


# -- the relaxation never rules out an equilibrium -----------------------------------------------


def _support(prof: Any) -> list[list[int]]:
    return [[k for k, p in enumerate(row) if p > 0] for row in prof]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1))
def test_relaxation_keeps_every_equilibrium_support(seed: int) -> None:
    rng = np.random.default_rng(seed)
    arrays = [rng.integers(-20, 21, size=(3, 3, 2)) for _ in range(3)]
    game = NormalFormGame.from_arrays(*arrays)
    res = support_enumeration(game, max_seconds=20)
    payoffs = [np.asarray(a, dtype=np.float64) for a in arrays]
    for prof in res.equilibria:
        supports = _support(prof)
        assert relaxation_feasible(payoffs, supports)
        relax = SupportRelaxation(payoffs, supports)
        probs = np.array([float(row[k]) for row, s in zip(prof, supports, strict=True) for k in s])
        assert relax.feasible(probs - 1e-3, probs + 1e-3)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1))
def test_relaxation_with_free_candidates_keeps_every_equilibrium(seed: int) -> None:
    """With the last player's support left open, no subtree holding an equilibrium is cut."""
    rng = np.random.default_rng(seed)
    arrays = [rng.integers(-20, 21, size=(3, 3, 3)) for _ in range(3)]
    game = NormalFormGame.from_arrays(*arrays)
    res = support_enumeration(game, max_seconds=30)
    payoffs = [np.asarray(a, dtype=np.float64) for a in arrays]
    for prof in res.equilibria:
        supports = _support(prof)
        for extra in range(3):
            cands = sorted(set(supports[2]) | {extra})
            relax = SupportRelaxation(payoffs, [supports[0], supports[1], cands], free=[2])
            assert relax.feasible()


def test_relaxation_rules_out_a_dominated_mixture() -> None:
    u1 = np.zeros((2, 2, 2))
    u1[0] = 1
    payoffs = [u1, np.zeros((2, 2, 2)), np.zeros((2, 2, 2))]
    assert not relaxation_feasible(payoffs, [[0, 1], [0, 1], [0, 1]])
    assert relaxation_feasible(payoffs, [[0], [0, 1], [0, 1]])


# -- enumeration: every reported equilibrium has zero regret --------------------------------------


@st.composite
def three_player_games(draw: st.DrawFn) -> NormalFormGame:
    shape = draw(st.sampled_from([(2, 2, 2), (3, 2, 2), (3, 3, 2), (3, 3, 3)]))
    size = int(np.prod(shape)) * 3
    values = draw(st.lists(st.integers(-5, 5), min_size=size, max_size=size))
    return NormalFormGame(np.array(values, dtype=np.int64).reshape((*shape, 3)))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(three_player_games())
def test_every_reported_equilibrium_has_zero_regret(game: NormalFormGame) -> None:
    res = support_enumeration(game, max_seconds=10)
    for prof in res.equilibria:
        if all(isinstance(p, Fraction) for row in prof for p in row):
            assert certificate(game, prof).max_regret == 0
        else:
            assert float(certificate(game, prof, tol=1e-9).max_regret) <= 1e-9
    if res.complete:
        assert res.equilibria


def test_budget_on_5x5x5_returns_partial_answer() -> None:
    rng = np.random.default_rng(2026)
    game = NormalFormGame.from_arrays(*[rng.integers(0, 100, size=(5, 5, 5)) for _ in range(3)])
    res = support_enumeration(game, max_seconds=2.0)
    assert not res.complete
    assert any("time budget" in w for w in res.warnings)
    for prof in res.equilibria:
        assert certificate(game, prof, tol=1e-9).is_equilibrium


# -- against pygambit's enumpoly -----------------------------------------------------------------


def _floats(prof: Any) -> np.ndarray:
    return np.concatenate([[float(p) for p in row] for row in prof])


def _gambit_equilibria(arrays: list[np.ndarray]) -> list[np.ndarray]:
    gbt = pytest.importorskip("pygambit")
    g = gbt.Game.from_arrays(*[a.astype(object) for a in arrays])
    res = gbt.nash.enumpoly_solve(g)
    return [
        np.array([float(prof[s]) for p in g.players for s in p.strategies])
        for prof in res.equilibria
    ]


@pytest.mark.parametrize("seed", range(6))
def test_random_3x3x3_against_enumpoly(seed: int) -> None:
    pytest.importorskip("pygambit")
    rng = np.random.default_rng(seed)
    arrays = [rng.integers(0, 100, size=(3, 3, 3)) for _ in range(3)]
    game = NormalFormGame.from_arrays(*arrays)
    res = support_enumeration(game, max_seconds=60)
    assert res.complete and not res.warnings
    ours = [_floats(e) for e in res.equilibria]
    theirs = _gambit_equilibria(arrays)
    # Every equilibrium enumpoly reports is ours too ...
    for t in theirs:
        assert any(np.abs(o - t).max() < 1e-6 for o in ours), t
    # ... and ours are all genuine (enumpoly is known to miss some; it never finds more).
    for prof in res.equilibria:
        assert certificate(game, prof, tol=1e-9).is_equilibrium
    assert len(ours) >= len(theirs)
    assert len(ours) % 2 == 1  # generic game: an odd number of equilibria (Wilson 1971)
    # no duplicates
    for a, b in itertools.combinations(ours, 2):
        assert np.abs(a - b).max() > 1e-6


@pytest.mark.slow
def test_benchmark_4x4x4_against_enumpoly() -> None:
    """The 4x4x4 game of benchmarks/run.py (seed 2026): 19 equilibria, enumpoly finds 12."""
    pytest.importorskip("pygambit")
    rng = np.random.default_rng(2026 + 3)
    for shape in [(2, 2, 2), (3, 3, 3), (2, 2, 2, 2)]:  # the benchmark draws these first
        for _ in shape:
            rng.integers(0, 100, size=shape)
    arrays = [rng.integers(0, 100, size=(4, 4, 4)) for _ in range(3)]
    game = NormalFormGame.from_arrays(*arrays)
    res = support_enumeration(game, max_seconds=600)
    assert res.complete and not res.warnings
    # Every equilibrium is exact or proved in a rational box (14 are irrational).
    assert res.certified and sum(c is not None for c in res.certificates) == 14
    ours = [_floats(e) for e in res.equilibria]
    for t in _gambit_equilibria(arrays):
        assert any(np.abs(o - t).max() < 1e-6 for o in ours), t
    for prof in res.equilibria:
        assert certificate(game, prof, tol=1e-9).is_equilibrium
    assert len(ours) == 19
