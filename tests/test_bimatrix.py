"""Tests of :mod:`equishift.solver.bimatrix`: all extreme equilibria, components, Lemke-Howson.

The independent oracle is pygambit's ``enummixed_solve(rational=True)`` (all extreme
equilibria, exact), plus a naive exact vertex enumeration written here (every choice of
tight constraints, solved with ``Fraction``) for small games.
"""

from __future__ import annotations

import itertools
import json
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pygambit as gbt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equishift.games import NormalFormGame
from equishift.games.errors import SolverError
from equishift.solver import bimatrix as bm
from equishift.solver.verify import certificate

F = Fraction
Eq = tuple[tuple[Fraction, ...], tuple[Fraction, ...]]


def _reference_dir() -> Path:
    for parent in Path(__file__).resolve().parents:
        cand = parent / "shared" / "reference"
        if cand.is_dir():
            return cand
    raise RuntimeError("shared/reference not found")


REF = _reference_dir()


# -- helpers ------------------------------------------------------------------------------------


def frac_array(rows: Any) -> np.ndarray[Any, Any]:
    arr = np.asarray(rows, dtype=object)
    out = np.empty(arr.shape, dtype=object)
    out.ravel()[:] = [Fraction(v) for v in arr.ravel()]
    return out


def eq_set(res: bm.BimatrixResult) -> set[Eq]:
    return {(tuple(F(p) for p in x), tuple(F(p) for p in y)) for x, y in res.equilibria}


def strs(eq: tuple[tuple[Any, ...], tuple[Any, ...]]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(str(p) for p in side) for side in eq)


def assert_exact_equilibria(A: Any, B: Any, res: bm.BimatrixResult) -> None:
    game = NormalFormGame.from_arrays(frac_array(A), frac_array(B))
    assert res.exact
    for x, y in res.equilibria:
        assert all(isinstance(p, Fraction) for p in (*x, *y))
        assert sum(x) == 1 and sum(y) == 1
        cert = certificate(game, [list(x), list(y)])
        assert cert.exact and cert.max_regret == 0


def gambit_set(A: Any, B: Any) -> set[Eq]:
    g = gbt.Game.from_arrays(frac_array(A), frac_array(B))
    return gambit_equilibria(g)


def gambit_equilibria(g: Any) -> set[Eq]:
    p1, p2 = list(g.players)
    out = set()
    for eq in gbt.nash.enummixed_solve(g, rational=True).equilibria:
        out.add((tuple(F(eq[s]) for s in p1.strategies), tuple(F(eq[s]) for s in p2.strategies)))
    return out


def gambit_tables(g: Any) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    p1, p2 = list(g.players)
    m, n = len(p1.strategies), len(p2.strategies)
    A = np.empty((m, n), dtype=object)
    B = np.empty((m, n), dtype=object)
    for i, s in enumerate(p1.strategies):
        for j, t in enumerate(p2.strategies):
            prof = g[s, t]
            A[i, j] = F(prof[p1])
            B[i, j] = F(prof[p2])
    return A, B


def _solve_exact(M: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """Gaussian elimination in Fractions; None when singular."""
    k = len(M)
    a = [[*row, r] for row, r in zip(M, rhs, strict=True)]
    for c in range(k):
        p = next((r for r in range(c, k) if a[r][c] != 0), None)
        if p is None:
            return None
        a[c], a[p] = a[p], a[c]
        for r in range(k):
            if r != c and a[r][c] != 0:
                f = a[r][c] / a[c][c]
                a[r] = [u - f * v for u, v in zip(a[r], a[c], strict=True)]
    return [a[c][k] / a[c][c] for c in range(k)]


def naive_vertices(C: list[list[Fraction]]) -> dict[tuple[Fraction, ...], frozenset[int]]:
    """Vertices of {z >= 0, C z <= 1} (C > 0) by trying every set of d tight constraints.

    Returns each vertex with its exact set of tight constraints (0..d-1: z_i = 0,
    d+j: row j tight).
    """
    r, d = len(C), len(C[0])
    rows: list[list[Fraction]] = [[F(int(i == k)) for k in range(d)] for i in range(d)] + [
        list(row) for row in C
    ]
    rhs = [F(0)] * d + [F(1)] * r
    out: dict[tuple[Fraction, ...], frozenset[int]] = {}
    for tight in itertools.combinations(range(d + r), d):
        z = _solve_exact([rows[t] for t in tight], [rhs[t] for t in tight])
        if z is None or any(v < 0 for v in z):
            continue
        vals = [sum((a * b for a, b in zip(row, z, strict=True)), F(0)) for row in rows]
        if any(v > 1 for v in vals[d:]):
            continue
        out[tuple(z)] = frozenset(k for k in range(d + r) if vals[k] == rhs[k])
    return out


def naive_all(A: Any, B: Any) -> tuple[set[Eq], bool]:
    """Extreme equilibria and degeneracy, by naive exact vertex enumeration."""
    A = frac_array(A)
    B = frac_array(B)
    m, n = A.shape
    a = A - min(A.ravel()) + 1
    b = B - min(B.ravel()) + 1
    P = naive_vertices([[b[i, j] for i in range(m)] for j in range(n)])  # labels as in P
    Q = naive_vertices([[a[i, j] for j in range(n)] for i in range(m)])
    full = frozenset(range(m + n))
    degenerate = any(len(lab) > m for lab in P.values()) or any(len(lab) > n for lab in Q.values())
    out: set[Eq] = set()
    for x, lx in P.items():
        if not any(x):
            continue
        for y, ly in Q.items():
            if not any(y):
                continue
            # Q's variable k (0..n-1) is y_k: label m+k; its row i: label i.
            ly_game = {(m + k) if k < n else (k - n) for k in ly}
            if lx | ly_game == full:
                sx, sy = sum(x), sum(y)
                out.add((tuple(v / sx for v in x), tuple(v / sy for v in y)))
    return out, degenerate


def small_int_matrix(draw: st.DrawFn, m: int, n: int, lo: int, hi: int) -> np.ndarray[Any, Any]:
    vals = draw(st.lists(st.integers(lo, hi), min_size=m * n, max_size=m * n))
    return np.array(vals, dtype=np.int64).reshape(m, n)


@st.composite
def bimatrix_games(
    draw: st.DrawFn, max_strategies: int = 6, lo: int = -3, hi: int = 3
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    m = draw(st.integers(1, max_strategies))
    n = draw(st.integers(1, max_strategies))
    return small_int_matrix(draw, m, n, lo, hi), small_int_matrix(draw, m, n, lo, hi)


# -- textbook games -----------------------------------------------------------------------------


def test_prisoners_dilemma() -> None:
    A = [[3, 0], [5, 1]]
    B = [[3, 5], [0, 1]]
    res = bm.all_equilibria(frac_array(A), frac_array(B))
    assert [strs(e) for e in res.equilibria] == [(("0", "1"), ("0", "1"))]
    assert res.complete and not res.degenerate and res.components == () and res.warnings == ()


def test_battle_of_the_sexes() -> None:
    A = [[2, 0], [0, 1]]
    B = [[1, 0], [0, 2]]
    res = bm.all_equilibria(frac_array(A), frac_array(B))
    assert [strs(e) for e in res.equilibria] == [
        (("1", "0"), ("1", "0")),
        (("0", "1"), ("0", "1")),
        (("2/3", "1/3"), ("1/3", "2/3")),
    ]
    assert not res.degenerate
    assert_exact_equilibria(A, B, res)


def test_matching_pennies() -> None:
    A = [[1, -1], [-1, 1]]
    B = [[-1, 1], [1, -1]]
    res = bm.all_equilibria(frac_array(A), frac_array(B))
    assert eq_set(res) == {((F(1, 2), F(1, 2)), (F(1, 2), F(1, 2)))}


def test_chicken_mixed_escalates_with_probability_one_thirteenth() -> None:
    # (Restrain, Escalate): (3,3) (2,4) / (4,2) (-10,-10)
    A = [[3, 2], [4, -10]]
    B = [[3, 4], [2, -10]]
    res = bm.all_equilibria(frac_array(A), frac_array(B))
    assert eq_set(res) == {
        ((F(1), F(0)), (F(0), F(1))),
        ((F(0), F(1)), (F(1), F(0))),
        ((F(12, 13), F(1, 13)), (F(12, 13), F(1, 13))),
    }
    assert not res.degenerate and res.components == ()


def test_degenerate_continuum_one_segment() -> None:
    # Top strictly dominates Bottom for player 1; player 2 then gets 1 from either column,
    # so (Top, y) is an equilibrium for every y: one segment between (T, L) and (T, R).
    A = [[1, 1], [0, 0]]
    B = [[1, 1], [0, 0]]
    res = bm.all_equilibria(frac_array(A), frac_array(B))
    assert [strs(e) for e in res.equilibria] == [
        (("1", "0"), ("1", "0")),
        (("1", "0"), ("0", "1")),
    ]
    assert res.degenerate
    assert res.components == ((0, 1),)
    assert any("degenerate" in w and "1 maximal convex set" in w for w in res.warnings)


def test_three_segments_meeting() -> None:
    # Player 1 coordinates, player 2 is indifferent: three segments, see the docstring.
    res = bm.all_equilibria(np.array([[1, 0], [0, 1]]), np.zeros((2, 2), dtype=int))
    assert res.components == ((0, 2), (1, 3), (2, 3))
    assert res.degenerate


def test_all_zero_game_one_component_of_four() -> None:
    Z = np.zeros((2, 2), dtype=int)
    res = bm.all_equilibria(Z, Z)
    assert len(res.equilibria) == 4
    assert eq_set(res) == {
        ((F(1), F(0)), (F(1), F(0))),
        ((F(1), F(0)), (F(0), F(1))),
        ((F(0), F(1)), (F(1), F(0))),
        ((F(0), F(1)), (F(0), F(1))),
    }
    assert res.components == ((0, 1, 2, 3),)
    assert res.degenerate


def test_all_zero_large_game() -> None:
    Z = np.zeros((5, 4), dtype=int)
    res = bm.all_equilibria(Z, Z)
    assert len(res.equilibria) == 20
    assert res.components == (tuple(range(20)),)


def test_one_strategy_players() -> None:
    res = bm.all_equilibria(np.array([[1, 3, 3]]), np.array([[0, 2, 2]]))
    assert eq_set(res) == {((F(1),), (F(0), F(1), F(0))), ((F(1),), (F(0), F(0), F(1)))}
    assert res.components == ((0, 1),)
    res = bm.all_equilibria(np.array([[5]]), np.array([[-1]]))
    assert eq_set(res) == {((F(1),), (F(1),))}
    assert not res.degenerate


def test_fraction_and_decimal_payoffs() -> None:
    A = frac_array([[F(1, 3), 0], [0, F(1, 7)]])
    B = frac_array([[F(2, 5), 0], [0, F(1, 10)]])
    res = bm.all_equilibria(A, B)
    assert ((F(1, 5), F(4, 5)), (F(3, 10), F(7, 10))) in eq_set(res)
    assert_exact_equilibria(A, B, res)


def test_float_game_returns_floats() -> None:
    A = np.array([[2.0, 0.0], [0.0, 1.0]])
    B = np.array([[1.0, 0.0], [0.0, 2.0]])
    res = bm.all_equilibria(A, B)
    assert not res.exact
    assert all(isinstance(p, float) for x, y in res.equilibria for p in (*x, *y))
    assert res.equilibria[2] == ((2 / 3, 1 / 3), (1 / 3, 2 / 3))
    game = NormalFormGame.from_arrays(A, B)
    for x, y in res.equilibria:
        assert certificate(game, [list(x), list(y)], tol=1e-9).is_equilibrium


def test_float_decimal_ties_are_ties() -> None:
    # 0.1 + 0.2 != 0.3 in binary, but the payoffs are read as the decimals they print as.
    A = np.array([[0.1 + 0.2, 0.3], [0.0, 0.0]])
    B = np.array([[0.3, 0.3], [0.0, 0.0]])
    res = bm.all_equilibria(A, B)
    assert res.degenerate


def test_bad_input() -> None:
    with pytest.raises(SolverError, match=r"all_equilibria\(\).*same shape"):
        bm.all_equilibria(np.zeros((2, 2)), np.zeros((2, 3)))
    with pytest.raises(SolverError, match="2-dimensional"):
        bm.all_equilibria(np.zeros(2), np.zeros(2))
    with pytest.raises(SolverError, match="not finite"):
        bm.all_equilibria(np.array([[np.nan]]), np.array([[0.0]]))


def test_deterministic() -> None:
    rng = np.random.default_rng(5)
    A = rng.integers(-2, 3, (5, 5))
    B = rng.integers(-2, 3, (5, 5))
    assert bm.all_equilibria(A, B) == bm.all_equilibria(A.copy(), B.copy())


# -- reference games ----------------------------------------------------------------------------


def _two_player_nfg() -> list[Path]:
    out = []
    for path in sorted((REF / "games").glob("*.nfg")):
        exp = json.loads((REF / "expected" / f"{path.name}.json").read_text())
        if exp["n_players"] == 2:
            out.append(path)
    return out


def _two_player_trees() -> list[Path]:
    out = []
    for path in sorted((REF / "games").glob("*.efg")):
        exp = json.loads((REF / "expected" / f"{path.name}.json").read_text())
        meth = exp.get("methods", {}).get("enummixed_rational", {})
        if exp["n_players"] == 2 and meth.get("status") == "ok" and "payoff_table" in exp:
            out.append(path)
    return out


def _expected_set(path: Path) -> set[Eq]:
    exp = json.loads((REF / "expected" / f"{path.name}.json").read_text())
    return {
        (tuple(F(p) for p in e["strategies"][0]), tuple(F(p) for p in e["strategies"][1]))
        for e in exp["methods"]["enummixed_rational"]["equilibria"]
    }


@pytest.mark.parametrize("path", _two_player_nfg(), ids=lambda p: p.name)
def test_reference_nfg_matches_gambit(path: Path) -> None:
    A, B = gambit_tables(gbt.read_nfg(str(path)))
    res = bm.all_equilibria(A, B)
    assert res.complete
    assert eq_set(res) == _expected_set(path)
    assert_exact_equilibria(A, B, res)


@pytest.mark.parametrize("path", _two_player_trees(), ids=lambda p: p.name)
def test_reference_tree_strategic_form_matches_gambit(path: Path) -> None:
    # The reduced strategic form of a 2-player tree, as pygambit built it.
    exp = json.loads((REF / "expected" / f"{path.name}.json").read_text())
    table = exp["payoff_table"]
    A = frac_array([[cell[0] for cell in row] for row in table])
    B = frac_array([[cell[1] for cell in row] for row in table])
    res = bm.all_equilibria(A, B)
    assert res.complete
    assert_exact_equilibria(A, B, res)
    if path.name == "tests-large_payoff_game.efg":
        # pygambit's enummixed_rational returns no equilibrium here (a pygambit bug).
        assert res.equilibria
        return
    assert eq_set(res) == _expected_set(path)


def test_75_equilibria_game() -> None:
    path = REF / "games" / "catalog-dcg-vonstengel1999-6x6_game_with_75_eq.nfg"
    A, B = gambit_tables(gbt.read_nfg(str(path)))
    res = bm.all_equilibria(A, B)
    assert len(res.equilibria) == 75
    assert not res.degenerate and res.components == ()


# -- properties ---------------------------------------------------------------------------------

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(bimatrix_games())
def test_matches_gambit_and_regret_zero(game: tuple[Any, Any]) -> None:
    A, B = game
    res = bm.all_equilibria(A, B)
    assert res.complete
    assert_exact_equilibria(A, B, res)
    assert eq_set(res) == gambit_set(A, B)
    assert len(set(res.equilibria)) == len(res.equilibria)


@PROPERTY
@given(bimatrix_games(max_strategies=4))
def test_matches_naive_enumeration_and_degeneracy(game: tuple[Any, Any]) -> None:
    A, B = game
    res = bm.all_equilibria(A, B)
    expected, degenerate = naive_all(A, B)
    assert eq_set(res) == expected
    assert res.degenerate == degenerate


@PROPERTY
@given(bimatrix_games())
def test_float_search_agrees_with_exact_search(game: tuple[Any, Any]) -> None:
    A, B = game
    Ai, Bi, _ = bm._prepare(A, B, "test")
    far = time.monotonic() + 60
    fast = bm._enumerate(Ai, Bi, far, False)
    slow = bm._enumerate(Ai, Bi, far, True)
    assert fast.pairs == slow.pairs
    assert fast.degenerate == slow.degenerate


@PROPERTY
@given(bimatrix_games(), st.data())
def test_invariance(game: tuple[Any, Any], data: st.DataObject) -> None:
    A, B = game
    m, n = A.shape
    base = eq_set(bm.all_equilibria(A, B))
    c = data.draw(st.integers(-5, 5))
    k = data.draw(st.integers(1, 4))
    # Adding a constant to one player's payoffs, scaling the other's.
    assert eq_set(bm.all_equilibria(A + c, B * k)) == base
    assert eq_set(bm.all_equilibria(frac_array(A) * F(1, k), frac_array(B) + c)) == base
    # Permuting strategies permutes the equilibria.
    pr = data.draw(st.permutations(range(m)))
    pc = data.draw(st.permutations(range(n)))
    perm = eq_set(bm.all_equilibria(A[np.ix_(pr, pc)], B[np.ix_(pr, pc)]))
    assert perm == {(tuple(x[i] for i in pr), tuple(y[j] for j in pc)) for x, y in base}


@PROPERTY
@given(bimatrix_games())
def test_components_are_maximal_convex_sets(game: tuple[Any, Any]) -> None:
    A, B = game
    res = bm.all_equilibria(A, B)
    gameobj = NormalFormGame.from_arrays(A, B)
    eqs = res.equilibria
    if not res.degenerate:
        assert res.components == ()
    edges = set(eqs)
    for comp in res.components:
        assert len(comp) >= 2 and list(comp) == sorted(set(comp))
        xs = {eqs[k][0] for k in comp}
        ys = {eqs[k][1] for k in comp}
        # a complete biclique: every x with every y ...
        assert {eqs[k] for k in comp} == set(itertools.product(xs, ys))
        # ... that cannot be extended by another x or y,
        for x, _ in edges - {eqs[k] for k in comp}:
            assert not all((x, y) in edges for y in ys) or x in xs
        for _, y in edges - {eqs[k] for k in comp}:
            assert not all((x, y) in edges for x in xs) or y in ys
        # and whose barycentre is an equilibrium.
        bx = [sum(x[i] for x in xs) / len(xs) for i in range(A.shape[0])]
        by = [sum(y[j] for y in ys) / len(ys) for j in range(A.shape[1])]
        assert certificate(gameobj, [bx, by]).max_regret == 0
    for a, b in itertools.combinations(res.components, 2):
        assert not set(a) <= set(b) and not set(b) <= set(a)
    # every extreme equilibrium sharing a strategy with another lies in some component
    for k, (x, y) in enumerate(eqs):
        shared = any(j != k and (e[0] == x or e[1] == y) for j, e in enumerate(eqs))
        assert shared == any(k in comp for comp in res.components)


# -- Lemke-Howson -------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_lemke_howson_random_30x30(seed: int) -> None:
    rng = np.random.default_rng(seed)
    A = rng.integers(0, 100, (30, 30))
    B = rng.integers(0, 100, (30, 30))
    game = NormalFormGame.from_arrays(A, B)
    for label in (0, 17, 45):
        x, y = bm.lemke_howson(A, B, initial_label=label)
        assert all(isinstance(p, Fraction) for p in (*x, *y))
        assert certificate(game, [list(x), list(y)]).max_regret == 0


def test_lemke_howson_float_game() -> None:
    rng = np.random.default_rng(7)
    A = rng.normal(size=(12, 9))
    B = rng.normal(size=(12, 9))
    game = NormalFormGame.from_arrays(A, B)
    x, y = bm.lemke_howson(A, B, initial_label=3)
    assert all(isinstance(p, float) for p in (*x, *y))
    assert certificate(game, [list(x), list(y)], tol=1e-9).is_equilibrium


@PROPERTY
@given(bimatrix_games())
def test_lemke_howson_degenerate_games(game: tuple[Any, Any]) -> None:
    A, B = game
    gameobj = NormalFormGame.from_arrays(A, B)
    found = eq_set(bm.all_equilibria(A, B))
    for label in range(sum(A.shape)):
        x, y = bm.lemke_howson(A, B, initial_label=label)
        assert certificate(gameobj, [list(x), list(y)]).max_regret == 0
        assert (x, y) in found  # Lemke-Howson ends at a vertex pair: an extreme equilibrium


def test_lemke_howson_all_zero_and_label_checks() -> None:
    Z = np.zeros((3, 3), dtype=int)
    x, y = bm.lemke_howson(Z, Z, initial_label=4)
    assert sum(x) == 1 and sum(y) == 1
    with pytest.raises(SolverError, match=r"lemke_howson\(\).*initial_label.*0\.\.5"):
        bm.lemke_howson(Z[:, :3], Z[:, :3], initial_label=6)
    with pytest.raises(SolverError, match="initial_label"):
        bm.lemke_howson(Z, Z, initial_label=-1)
    with pytest.raises(SolverError, match="initial_label"):
        bm.lemke_howson(Z, Z, initial_label=True)


# -- time limit, size heuristic -----------------------------------------------------------------


def test_timeout_returns_partial_result() -> None:
    rng = np.random.default_rng(3)
    A = rng.integers(0, 100, (14, 14))
    B = rng.integers(0, 100, (14, 14))
    t0 = time.monotonic()
    res = bm.all_equilibria(A, B, max_seconds=0.01)
    assert time.monotonic() - t0 < 5
    assert not res.complete
    assert any("max_seconds" in w for w in res.warnings)


def test_can_enumerate() -> None:
    assert bm.can_enumerate((6, 6)) and bm.can_enumerate((12, 12))
    assert bm.can_enumerate((2, 100)) and not bm.can_enumerate((2, 500))
    assert not bm.can_enumerate((40, 40))
    assert not bm.can_enumerate((2, 2, 2))


def test_random_10x10_matches_lemke_howson_and_is_fast() -> None:
    rng = np.random.default_rng(11)
    A = rng.integers(0, 100, (10, 10))
    B = rng.integers(0, 100, (10, 10))
    t0 = time.perf_counter()
    res = bm.all_equilibria(A, B)
    elapsed = time.perf_counter() - t0
    assert res.complete and elapsed < 5
    found = eq_set(res)
    assert_exact_equilibria(A, B, res)
    for label in range(20):
        assert bm.lemke_howson(A, B, initial_label=label) in found


@pytest.mark.parametrize("shape", [(3, 25), (2, 70)])
def test_wide_games_every_equilibrium_exact(shape: tuple[int, int]) -> None:
    # More than 22 variables (bases seen kept as sorted keys) and more than 62 (keys as
    # bytes): every equilibrium returned has regret exactly 0 and the count is odd.
    rng = np.random.default_rng(sum(shape))
    A = rng.integers(0, 1000, size=shape)
    B = rng.integers(0, 1000, size=shape)
    res = bm.all_equilibria(A, B)
    assert res.complete and res.exact and not res.degenerate
    assert len(res.equilibria) % 2 == 1
    for x, y in res.equilibria:
        ay = [sum(int(A[i, j]) * y[j] for j in range(shape[1])) for i in range(shape[0])]
        xb = [sum(x[i] * int(B[i, j]) for i in range(shape[0])) for j in range(shape[1])]
        assert max(ay) == sum(p * v for p, v in zip(x, ay, strict=True))
        assert max(xb) == sum(q * v for q, v in zip(y, xb, strict=True))
