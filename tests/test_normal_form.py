"""NormalFormGame: construction, validation, immutability, value semantics."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest

from equishift.games import GameError, NormalFormGame
from equishift.games.numbers import format_number, integerize, to_number


def test_decimal_strings_are_exact() -> None:
    g = NormalFormGame([[["0.1", "1/3"]]])
    assert g.is_exact
    assert g.payoff(("1", "1")) == (F(1, 10), F(1, 3))


def test_float_input_makes_float_game() -> None:
    g = NormalFormGame.from_arrays([[0.5, 1.0]], [[1.0, 2.0]])
    assert not g.is_exact
    assert g.payoffs.dtype == np.float64


def test_numpy_int_arrays_are_exact() -> None:
    g = NormalFormGame.from_arrays(np.array([[1, 2]]), np.array([[3, 4]]))
    assert g.is_exact
    assert g.payoff((0, 1)) == (F(2), F(4))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"payoffs": [[[1, 2, 3]]]}, "every cell must hold 2 payoffs"),
        ({"payoffs": [[[1, 1], [0, 0]]], "players": ["A", "A"]}, "duplicate player"),
        ({"payoffs": [[[1, 1], [0, 0]]], "players": ["A", " "]}, "empty label"),
        (
            {"payoffs": [[[1, 1], [0, 0]]], "strategies": [["x"], ["y", "y"]]},
            "duplicate strategy",
        ),
        ({"payoffs": [[[1, 1], [0, 0]]], "strategies": [["x"], ["y"]]}, "has 1 strategy labels"),
        ({"payoffs": np.zeros((0, 2, 2))}, "no strategies"),
        ({"payoffs": [[[1, float("inf")]]]}, "infinite"),
        ({"payoffs": [[[1, "x"]]]}, "not a number"),
        ({"payoffs": [[[True, False]]]}, "boolean"),
        ({"payoffs": [1, 2]}, "expected (n_1, ..., n_N, N)"),
    ],
)
def test_validation_errors(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(GameError, match=message.replace("(", r"\(").replace(")", r"\)")):
        NormalFormGame(**kwargs)  # type: ignore[arg-type]


def test_nan_error_names_player_and_profile() -> None:
    with pytest.raises(GameError) as exc:
        NormalFormGame.from_arrays(
            [[1.0, 2.0]],
            [[1.0, float("nan")]],
            players=["US", "DPRK"],
            strategies=[["a"], ["x", "y"]],
        )
    assert "payoff of DPRK at ('a', 'y') is NaN" in str(exc.value)


def test_ragged_payoffs_rejected() -> None:
    with pytest.raises(GameError, match="ragged"):
        NormalFormGame.from_arrays([[1, 2], [3]], [[1, 2], [3, 4]])


def test_from_arrays_shape_mismatch() -> None:
    with pytest.raises(GameError, match="shape"):
        NormalFormGame.from_arrays([[1, 2], [3, 4]], [[1, 2, 3], [3, 4, 5]])


def test_from_mapping_unknown_label_and_duplicates() -> None:
    with pytest.raises(GameError, match="unknown strategy 'Z'"):
        NormalFormGame.from_mapping({"A, B": (1, 1), "Z, B": (0, 0)}, strategies=[["A"], ["B"]])
    with pytest.raises(GameError, match="has 1 payoffs, expected 2"):
        NormalFormGame.from_mapping({"A, B": (1,)})


def test_immutable() -> None:
    g = NormalFormGame.from_arrays([[1, 2]], [[3, 4]])
    with pytest.raises(ValueError, match="read-only"):
        g.payoffs[0, 0, 0] = 5
    with pytest.raises(AttributeError):
        g.title = "x"  # type: ignore[misc]


def test_input_array_not_aliased() -> None:
    a = np.array([[[1.0, 2.0]]])
    g = NormalFormGame(a)
    a[0, 0, 0] = 99.0
    assert g.payoff(("1", "1"))[0] == 1.0


def test_equality_and_hash() -> None:
    a = NormalFormGame.from_arrays([[1, 2]], [[3, 4]])
    b = NormalFormGame.from_arrays([["1", "2.0"]], [[3, "8/2"]])
    assert a == b and hash(a) == hash(b)
    assert a != a.to_float()
    assert a != a.with_payoffs(np.array([[[1, 3], [2, 5]]]))


def test_labels_lookup_errors() -> None:
    g = NormalFormGame.from_arrays([[1, 2]], [[3, 4]], players=["US", "DPRK"])
    assert g.strategy_index("DPRK", "2") == 1
    with pytest.raises(GameError, match="unknown player 'ROK'"):
        g.player_index("ROK")
    with pytest.raises(GameError, match="unknown strategy 'x' of DPRK"):
        g.strategy_index("DPRK", "x")


def test_restrict_keeps_labels() -> None:
    g = NormalFormGame.from_arrays(
        [[1, 2], [3, 4]], [[5, 6], [7, 8]], strategies=[["a", "b"], ["x", "y"]]
    )
    r = g.restrict([["b"], ["y", "x"]])
    assert r.strategies == (("b",), ("y", "x"))
    assert r.payoff(("b", "x")) == (F(3), F(7))


def test_numbers() -> None:
    assert to_number("2.50") == F(5, 2)
    assert to_number(np.int64(3)) == F(3)
    assert format_number(F(-1, 3)) == "-1/3"
    with pytest.raises(GameError, match="zero denominator"):
        to_number("1/0")
    big = np.array([F(1, 3), F(10**30)], dtype=object)
    ints = integerize(big)
    assert ints.dtype == object and ints[1] == 3 * 10**30
