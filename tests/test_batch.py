"""The vectorised batch path against equishift's per-game results."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from equishift.games import NormalFormGame
from equishift.games.errors import GameError, SolverError
from equishift.games.taxonomy import all_strict_games, classify
from equishift.solver import Equilibrium, solve
from equishift.solver.batch import (
    TIED,
    class_names,
    class_table,
    classify_2x2,
    iter_chunks,
    mixed_equilibrium_2x2,
    pure_equilibria_2x2,
    pure_equilibria_batch,
)
from equishift.solver.pure import pure_equilibria

DTYPES = ["int8", "int16", "int32", "int64", "uint8", "float16", "float32", "float64", ">i2", ">f8"]


@st.composite
def batches(draw: st.DrawFn, *, low: int = -2, high: int = 2) -> tuple[NDArray[Any], ...]:
    """Batches of 2x2 games with small integer payoffs (many ties)."""
    k = draw(st.integers(1, 12))
    values = draw(st.lists(st.integers(low, high), min_size=8 * k, max_size=8 * k))
    arr = np.array(values, dtype=np.int64).reshape(2, k, 2, 2)
    return arr[0], arr[1]


def games_of(a: NDArray[Any], b: NDArray[Any]) -> list[NormalFormGame]:
    return [NormalFormGame.from_arrays(a[g].tolist(), b[g].tolist()) for g in range(a.shape[0])]


def cast(a: NDArray[Any], dtype: str, shift: int) -> NDArray[Any]:
    """Payoffs in ``dtype``; unsigned types get ``shift`` added (order is unchanged)."""
    return (a + shift).astype(dtype) if dtype.startswith("u") else a.astype(dtype)


def check_pure(a: NDArray[Any], b: NDArray[Any], **kw: Any) -> None:
    got = pure_equilibria_2x2(a, b, **kw)
    assert got.shape == (a.shape[0], 2, 2) and got.dtype == np.bool_
    for g, game in enumerate(games_of(a, b)):
        assert [tuple(int(x) for x in idx) for idx in np.argwhere(got[g])] == pure_equilibria(game)


@settings(max_examples=200, deadline=None)
@given(batches(), st.sampled_from(DTYPES), st.integers(1, 5))
def test_pure_2x2_matches_per_game(ab: tuple[NDArray[Any], ...], dtype: str, chunk: int) -> None:
    a, b = ab
    check_pure(a, b)
    got = pure_equilibria_2x2(cast(a, dtype, 2), cast(b, dtype, 2), chunk=chunk)
    assert np.array_equal(got, pure_equilibria_2x2(a, b))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False), min_size=16, max_size=16)
)
def test_pure_2x2_float_input(values: list[float]) -> None:
    arr = np.array(values).reshape(2, 2, 2, 2)
    check_pure(arr[0], arr[1])


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from([-1e30, -2.5, -1e-30, 0.0, 1e-30, 0.1, 0.3, 2.5, 1e30]),
        min_size=16,
        max_size=16,
    )
)
def test_classify_float_input(values: list[float]) -> None:
    arr = np.array(values).reshape(2, 2, 2, 2)
    a, b = arr[0], arr[1]
    check_classify(a, b, classify_2x2(a, b))
    check_classify(a, b, classify_2x2(a.astype(np.float32), b))


def check_classify(a: NDArray[Any], b: NDArray[Any], ids: NDArray[np.int16]) -> None:
    table = class_table()
    for g, game in enumerate(games_of(a, b)):
        c = classify(game)
        if c.family == "tied":
            assert ids[g] == TIED
        else:
            assert 0 <= ids[g] < len(table)
            assert table[ids[g]].rg_position == c.rg_position
            assert table[ids[g]].name == c.name
            assert table[ids[g]].family == c.family


@settings(max_examples=200, deadline=None)
@given(batches(), st.sampled_from(DTYPES), st.integers(1, 5))
def test_classify_matches_taxonomy(ab: tuple[NDArray[Any], ...], dtype: str, chunk: int) -> None:
    a, b = ab
    ids = classify_2x2(a, b)
    assert ids.shape == (a.shape[0],)
    check_classify(a, b, ids)
    assert np.array_equal(classify_2x2(cast(a, dtype, 2), cast(b, dtype, 2), chunk=chunk), ids)


@settings(max_examples=100, deadline=None)
@given(batches(low=-1000, high=1000))
def test_classify_matches_taxonomy_wide_range(ab: tuple[NDArray[Any], ...]) -> None:
    a, b = ab
    check_classify(a, b, classify_2x2(a, b))
    check_classify(a, b, classify_2x2(a / 7.0, b * 0.1))


def test_classify_every_strict_game() -> None:
    games = list(all_strict_games())
    a = np.array([[[g[r][c][0] for c in range(2)] for r in range(2)] for g in games])
    b = np.array([[[g[r][c][1] for c in range(2)] for r in range(2)] for g in games])
    ids = classify_2x2(a.astype(np.int8), b.astype(np.int8), chunk=100)
    assert sorted(set(ids.tolist())) == list(range(144))
    check_classify(a, b, ids)


def full_support(game: NormalFormGame) -> list[tuple[Fraction, Fraction]]:
    out = []
    for eq in solve(game).equilibria:
        assert isinstance(eq, Equilibrium)
        if all(x != 0 for row in eq.profile for x in row):
            out.append((Fraction(eq.profile[0][0]), Fraction(eq.profile[1][0])))
    return out


@settings(max_examples=150, deadline=None)
@given(batches(low=-3, high=3), st.sampled_from(DTYPES), st.integers(1, 5))
def test_mixed_matches_solve(ab: tuple[NDArray[Any], ...], dtype: str, chunk: int) -> None:
    a, b = ab
    p, q, valid = mixed_equilibrium_2x2(a, b)
    assert p.dtype == q.dtype == np.float64 and valid.dtype == np.bool_
    for g, game in enumerate(games_of(a, b)):
        found = full_support(game)
        assert bool(valid[g]) == bool(found)
        if found:
            assert len(found) == 1
            assert (p[g], q[g]) == (float(found[0][0]), float(found[0][1]))
    p2, q2, v2 = mixed_equilibrium_2x2(cast(a, dtype, 3), cast(b, dtype, 3), chunk=chunk)
    assert np.array_equal(v2, valid)
    assert np.array_equal(p2[valid], p[valid]) and np.array_equal(q2[valid], q[valid])
    p3, q3, v3 = mixed_equilibrium_2x2(a / 4.0, b * 0.25)  # float input, exact here
    assert np.array_equal(v3, valid) and np.array_equal(p3, p, equal_nan=True)
    assert np.array_equal(q3, q, equal_nan=True)


def test_mixed_values_are_the_indifference_points() -> None:
    a = np.array([[[2, 0], [0, 1]], [[0, 0], [0, 0]], [[3, 0], [5, 1]]])
    b = np.array([[[1, 0], [0, 2]], [[0, 0], [0, 0]], [[3, 5], [0, 1]]])
    p, q, valid = mixed_equilibrium_2x2(a, b)
    assert valid.tolist() == [True, False, False]
    assert (p[0], q[0]) == (2 / 3, 1 / 3)
    assert np.isnan(p[1]) and np.isnan(q[1])
    assert (p[2], q[2]) == (-1.0, -1.0)  # outside (0, 1): reported, but not valid


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 3),
    st.lists(st.integers(1, 3), min_size=3, max_size=3),
    st.integers(1, 4),
    st.data(),
)
def test_pure_batch_matches_per_game(n: int, sizes: list[int], k: int, data: st.DataObject) -> None:
    shape = (*sizes[:n], n)
    count = k * int(np.prod(shape))
    values = data.draw(st.lists(st.integers(-2, 2), min_size=count, max_size=count))
    u = np.array(values, dtype=np.int64).reshape(k, *shape)
    got = pure_equilibria_batch(u, chunk=data.draw(st.integers(1, 3)))
    assert got.shape == (k, *shape[:-1])
    assert np.array_equal(pure_equilibria_batch(u.astype(np.float32)), got)
    for g in range(k):
        expected = pure_equilibria(NormalFormGame(u[g]))
        assert [tuple(int(x) for x in idx) for idx in np.argwhere(got[g])] == expected


def test_pure_batch_tolerance_and_2x2_agreement() -> None:
    u = np.array([[[[1.0, 1.0], [1.0, 0.0]], [[0.0, 0.0], [1.0 - 1e-12, 1.0]]]])
    assert pure_equilibria_batch(u)[0].tolist() == [[True, False], [False, False]]
    assert pure_equilibria_batch(u, tol=1e-9)[0].tolist() == [[True, False], [False, True]]
    rng = np.random.default_rng(3)
    a, b = rng.integers(-2, 3, size=(2, 500, 2, 2))
    assert np.array_equal(
        pure_equilibria_batch(np.stack([a, b], axis=-1)), pure_equilibria_2x2(a, b)
    )


def test_empty_batches() -> None:
    for dtype in ("int8", "float64"):
        e = np.zeros((0, 2, 2), dtype=dtype)
        assert pure_equilibria_2x2(e, e).shape == (0, 2, 2)
        assert classify_2x2(e, e).shape == (0,)
        p, q, valid = mixed_equilibrium_2x2(e, e)
        assert p.shape == q.shape == valid.shape == (0,)
    assert pure_equilibria_batch(np.zeros((0, 2, 3, 2))).shape == (0, 2, 3)


def test_non_contiguous_and_mixed_dtypes() -> None:
    rng = np.random.default_rng(5)
    a = rng.integers(-3, 4, size=(40, 2, 2))
    b = rng.integers(-3, 4, size=(40, 2, 2))
    at = np.ascontiguousarray(a.transpose(0, 2, 1)).transpose(0, 2, 1)  # strided view
    for fn in (pure_equilibria_2x2, classify_2x2):
        ref = fn(a, b)
        assert np.array_equal(fn(at, b.astype(np.float32)), ref)
        assert np.array_equal(fn(a[::2], b[::2], chunk=7), ref[::2])
    assert np.array_equal(mixed_equilibrium_2x2(at, b)[2], mixed_equilibrium_2x2(a, b)[2])


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        (
            np.zeros((3, 2, 3)),
            np.zeros((3, 2, 3)),
            r"A has shape \(3, 2, 3\); expected \(k, 2, 2\)",
        ),
        (np.zeros((2, 2)), np.zeros((2, 2)), r"A has shape \(2, 2\); expected \(k, 2, 2\)"),
        (np.zeros((3, 2, 2)), np.zeros((4, 2, 2)), "A holds 3 games and B holds 4"),
        (np.zeros((3, 2, 2)), np.zeros((3, 2, 2), dtype=bool), "B has dtype bool"),
        (np.zeros((1, 2, 2), dtype=object), np.zeros((1, 2, 2)), "A has dtype object"),
        (np.zeros((1, 2, 2), dtype=complex), np.zeros((1, 2, 2)), "A has dtype complex128"),
    ],
)
def test_bad_input_raises(a: NDArray[Any], b: NDArray[Any], message: str) -> None:
    for fn in (pure_equilibria_2x2, classify_2x2, mixed_equilibrium_2x2):
        with pytest.raises(GameError, match=message):
            fn(a, b)


def test_nan_raises_and_names_the_game() -> None:
    a = np.zeros((50, 2, 2))
    b = np.zeros((50, 2, 2))
    a[37, 1, 0] = np.nan
    for fn in (pure_equilibria_2x2, classify_2x2, mixed_equilibrium_2x2):
        with pytest.raises(GameError, match=r"A\[37\] has a NaN"):
            fn(a, b, chunk=16)
        with pytest.raises(GameError, match=r"B\[37\] has a NaN"):
            fn(b, a, chunk=16)
    u = np.zeros((5, 2, 2, 2))
    u[4, 0, 1, 1] = np.nan
    with pytest.raises(GameError, match=r"U\[4\] has a NaN"):
        pure_equilibria_batch(u, chunk=2)


def test_mixed_rejects_infinite_and_huge_integers() -> None:
    a = np.zeros((2, 2, 2))
    a[1, 0, 0] = np.inf
    with pytest.raises(GameError, match=r"A\[1\] has a NaN or infinite payoff"):
        mixed_equilibrium_2x2(a, np.zeros((2, 2, 2)))
    big = np.full((1, 2, 2), 2**60, dtype=np.int64)
    with pytest.raises(GameError, match="2\\*\\*50"):
        mixed_equilibrium_2x2(np.zeros((1, 2, 2), dtype=np.int64), big)


@pytest.mark.parametrize(
    "shape", [(3, 2, 2, 3), (3, 2, 2), (3, 2), (3, 0, 2, 2), (4,)], ids=lambda s: str(s)
)
def test_pure_batch_bad_shapes(shape: tuple[int, ...]) -> None:
    with pytest.raises(GameError, match=r"expected \(k, n_1, \.\.\., n_N, N\)"):
        pure_equilibria_batch(np.zeros(shape))


def test_bad_arguments() -> None:
    e = np.zeros((1, 2, 2))
    with pytest.raises(SolverError, match="chunk must be a positive integer"):
        pure_equilibria_2x2(e, e, chunk=0)
    with pytest.raises(GameError, match="tol must be"):
        pure_equilibria_batch(np.zeros((1, 2, 2, 2)), tol=-1.0)
    with pytest.raises(SolverError, match="total must be"):
        list(iter_chunks(lambda s, n: n, -1))
    with pytest.raises(SolverError, match="chunk must be"):
        list(iter_chunks(lambda s, n: n, 10, 0))
    with pytest.raises(GameError, match="not a class id"):
        class_names([144])


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 1000), st.integers(1, 300))
def test_iter_chunks_covers_the_range(total: int, chunk: int) -> None:
    ranges = list(iter_chunks(lambda start, size: (start, size), total, chunk))
    assert all(0 < size <= chunk for _, size in ranges)
    covered = [i for start, size in ranges for i in range(start, start + size)]
    assert covered == list(range(total))


def test_streaming_equals_one_batch() -> None:
    rng = np.random.default_rng(11)
    a, b = rng.integers(-5, 6, size=(2, 10_000, 2, 2), dtype=np.int8)
    ids = np.concatenate(
        list(iter_chunks(lambda s, n: classify_2x2(a[s : s + n], b[s : s + n]), 10_000, 999))
    )
    assert np.array_equal(ids, classify_2x2(a, b))


def test_classify_one_byte_words_match_wider_dtypes() -> None:
    # 1-byte payoffs are ranked by rotating each game's word; wider ones by shifted
    # comparisons. Both must agree, ties and odd chunk sizes included.
    rng = np.random.default_rng(12)
    a, b = rng.integers(-3, 4, size=(2, 50_001, 2, 2), dtype=np.int8)
    wide = classify_2x2(a.astype(np.int64), b.astype(np.int64))
    assert (wide == TIED).any() and (wide != TIED).any()
    for chunk in (None, 1, 7, 4096):
        assert np.array_equal(classify_2x2(a, b, chunk=chunk), wide)
    assert np.array_equal(classify_2x2(a.view(np.uint8) ^ np.uint8(0x80), b.astype(np.int16)), wide)
