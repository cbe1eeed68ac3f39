"""Symbolic equilibrium conditions, thresholds in one parameter and regime maps."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from equishift.games import GameError
from equishift.games.parameters import Parameter, symbol
from equishift.games.parametric import ParametricGame
from equishift.solver import solve
from equishift.solver.pure import pure_equilibria
from equishift.solver.symbolic import (
    equilibrium_conditions,
    equilibrium_label,
    mixed_equilibrium_conditions,
    regime_map,
    thresholds,
)

R, S, T, P = (symbol(n) for n in "RSTP")


def symmetric(values: dict[str, int], labels: tuple[str, str] = ("C", "D")) -> ParametricGame:
    c, d = labels
    return ParametricGame.from_mapping(
        {
            (c, c): ("R", "R"),
            (c, d): ("S", "T"),
            (d, c): ("T", "S"),
            (d, d): ("P", "P"),
        },
        parameters=values,
    )


PD = {"R": 3, "S": 0, "T": 5, "P": 1}


# -- pure conditions ------------------------------------------------------------------------
def test_conditions_of_each_profile_of_a_symmetric_game() -> None:
    g = symmetric(PD)
    cc = equilibrium_conditions(g, ("C", "C"))
    assert cc.relations == (sympy.Le(T, R, evaluate=False),)
    assert cc.conditions[0].text == "T <= R"
    assert not cc.never and not cc.always
    dd = equilibrium_conditions(g, ("D", "D"))
    assert [c.text for c in dd.conditions] == ["S <= P"]
    cd = equilibrium_conditions(g, ("C", "D"))
    assert [c.text for c in cd.conditions] == ["P <= S", "R <= T"]
    assert [c.player for c in cd.conditions] == ["Player 1", "Player 2"]
    assert cd.conditions[0].about == "C vs D"


def test_always_and_never_are_detected() -> None:
    g = ParametricGame.from_arrays(
        [["a", "a - 1"], ["a^2 + 1", "a - 1"]],
        [[0, 0], [0, 0]],
        parameters={"a": 0},
    )
    # Row 2 beats row 1 by a^2 - a + 1 > 0 in column 1: ("1", "1") is never an equilibrium.
    never = equilibrium_conditions(g, ("1", "1"))
    assert never.never and not never.holds_at(g)
    assert "never an equilibrium" in never.text()
    always = equilibrium_conditions(g, ("2", "2"))  # a - 1 >= a - 1: a tie holds always
    assert always.always and always.holds_at(g, a=5)
    assert always.text() == "(2, 2) is always an equilibrium"


def test_conditions_scale_and_fix_values() -> None:
    g = ParametricGame.from_arrays(
        [["2*x", 0], [6, 0]], [[0, 0], [0, 0]], parameters={"x": 1, "y": 2}
    )
    cond = equilibrium_conditions(g, ("1", "1"))
    assert [c.text for c in cond.conditions] == ["3 <= x"]
    assert equilibrium_conditions(g, ("1", "1"), values={"x": 4}).always
    assert equilibrium_conditions(g, ("1", "1"), values={"x": 2}).never


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(-3, 3), min_size=4, max_size=4))
def test_conditions_agree_with_the_pure_solver(point: list[int]) -> None:
    """At any point, the conditions hold exactly for the pure equilibria the solver finds."""
    g = symmetric(PD)
    values = dict(zip("RSTP", point, strict=True))
    game = g.at(values)
    pure = {tuple(game.strategies[i][k] for i, k in enumerate(e)) for e in pure_equilibria(game)}
    for prof in g.profiles():
        assert equilibrium_conditions(g, prof).holds_at(g, values) == (prof in pure)


# -- mixed conditions -----------------------------------------------------------------------
def test_mixed_conditions_of_matching_pennies_always_hold() -> None:
    g = ParametricGame.from_arrays([["w", -1], [-1, 1]], [[-1, 1], [1, -1]], parameters={"w": 1})
    m = mixed_equilibrium_conditions(g)
    assert m.probability(1, "1") == sympy.Integer(2) / (symbol("w") + 3)
    assert m.conditions[0].text == "2/(w + 3) > 0"
    assert m.holds_at_point() and not m.holds_at_point(w=-5)
    assert m.probability_at(1, "1", w=1) == Fraction(1, 2)
    assert "P(Player 1 plays 1) = 1/2" in m.text()


def test_mixed_conditions_with_partial_supports() -> None:
    g = ParametricGame.from_arrays(
        [[3, 0, 0], [0, 3, 0]],
        [[1, 0, "c"], [0, 1, "c"]],
        parameters={"c": 1},
    )
    m = mixed_equilibrium_conditions(g, supports=[["1", "2"], ["1", "2"]])
    assert m.probabilities[1] == (sympy.Rational(1, 2), sympy.Rational(1, 2), 0)
    texts = [c.text for c in m.conditions]
    assert texts == ["2*c <= 1"]
    assert m.holds_at_point(c=0) and not m.holds_at_point()


def test_mixed_conditions_errors() -> None:
    g = symmetric(PD)
    with pytest.raises(GameError, match="equal, non-empty"):
        mixed_equilibrium_conditions(g, supports=[["C"], ["C", "D"]])
    with pytest.raises(GameError, match="singular"):
        mixed_equilibrium_conditions(ParametricGame.from_arrays([[1, 1], [1, 1]], [[1, 1], [1, 1]]))
    three = ParametricGame([[[[0, 0, 0]]]])
    with pytest.raises(GameError, match="only for 2-player"):
        mixed_equilibrium_conditions(three)
    m = mixed_equilibrium_conditions(g)
    with pytest.raises(GameError, match="unknown parameter 'Q'"):
        m.probability_at(0, "C", Q=1)


def test_mixed_never() -> None:
    g = symmetric(PD)  # a PD has no mixed equilibrium: P(C) = (P - S)/(P + R - S - T)
    m = mixed_equilibrium_conditions(g, values=PD)
    assert m.never and not m.holds_at_point()
    assert "never" in m.text()
    assert m.probability_at(0, "C") == -1


# -- thresholds -----------------------------------------------------------------------------
def test_thresholds_result_and_lookup() -> None:
    g = symmetric({"R": 4, "T": 3, "P": 2, "S": 0}, ("E", "H"))
    res = thresholds(g, "T", over=(0, 6))
    assert res.values == (4,)
    assert res.equilibria_at(3) == ("(E, E)", "(H, H)", "({E, H}, {E, H})")
    assert res.equilibria_at(4) == ("(E, E)", "(H, H)")
    assert res.equilibria_at(5) == ("(H, H)",)
    assert res.fixed == (("R", 4), ("P", 2), ("S", 0))
    assert 4 in res.candidates
    with pytest.raises(GameError, match="outside the range"):
        res.equilibria_at(7)
    regime = res.regimes[0]
    assert regime.interval_text() == "[0, 4)" and not regime.is_point and regime.complete


def test_thresholds_default_range_and_errors() -> None:
    g = ParametricGame.from_arrays(
        [["x", 0], [1, 0]],
        [[0, 0], [0, 0]],
        parameters=[Parameter("x", 0, range=(-1, 2)), Parameter("y", 0)],
    )
    res = thresholds(g, "x")
    assert res.over == (-1, 2) and res.values == (1,)
    with pytest.raises(GameError, match="has no range"):
        thresholds(g, "y")
    with pytest.raises(GameError, match="unknown parameter 'z'"):
        thresholds(g, "z", over=(0, 1))
    with pytest.raises(GameError, match="low < high"):
        thresholds(g, "x", over=(1, 1))


def test_irrational_threshold_is_exact() -> None:
    g = ParametricGame.from_arrays([["x^2", 0], [2, 0]], [[0, 0], [0, 0]], parameters={"x": 0})
    res = thresholds(g, "x", over=(0, 3))
    assert res.values == (sympy.sqrt(2),)
    assert res.equilibria_at(1) != res.equilibria_at(2)


def test_threshold_at_the_end_of_the_range() -> None:
    g = ParametricGame.from_arrays([["x", 0], [1, 0]], [[0, 0], [0, 0]], parameters={"x": 0})
    res = thresholds(g, "x", over=(1, 2))
    assert res.regimes[0].is_point and res.regimes[0].low == 1
    assert res.values == (1,)
    assert res.regimes[1].interval_text() == "(1, 2]"


def test_thresholds_of_a_three_player_game_warn() -> None:
    zero = [[[0, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 0]]]
    payoffs = [[[["x", 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 0]]], zero]
    g = ParametricGame(payoffs, parameters={"x": 0})
    res = thresholds(g, "x", over=(-1, 1), method="pure")
    assert res.values == (0,)
    assert any("more than 2 players" in w for w in res.warnings)


# -- regime maps ----------------------------------------------------------------------------
def test_regime_map_is_exact_and_deterministic() -> None:
    g = symmetric({"R": 4, "T": 3, "P": 2, "S": 0}, ("E", "H"))
    m = regime_map(g, x=("T", 1, 5, 5), y=("S", -1, 3, 3))
    assert m.xs == (1, 2, 3, 4, 5) and all(isinstance(v, Fraction) for v in m.xs)
    assert m == regime_map(g, x=("T", 1, 5, 5), y=("S", -1, 3, 3))
    assert m.regime_at(1, -1) == ("(E, E)", "(H, H)", "({E, H}, {E, H})")
    assert m.regime_at(5, -1) == ("(H, H)",)
    assert m.legend[m.grid[0][0]] == m.regime_at(1, -1)
    assert m.complete and m.fixed == (("R", 4), ("P", 2))
    with pytest.raises(GameError, match="not a point of the grid"):
        m.regime_at("1.5", 0)
    assert m.text().splitlines()[0] == "S \\ T"


def test_regime_map_float_grid_and_errors() -> None:
    g = symmetric({"R": 4, "T": 3, "P": 2, "S": 0}, ("E", "H"))
    m = regime_map(g, x=("T", 1.0, 5.0, 2), y=("S", -1, 3, 2))
    assert m.xs == (1.0, 5.0)
    with pytest.raises(GameError, match="different parameters"):
        regime_map(g, x=("T", 0, 1, 2), y=("T", 0, 1, 2))
    with pytest.raises(GameError, match="n >= 2"):
        regime_map(g, x=("T", 0, 1, 1), y=("S", 0, 1, 2))
    with pytest.raises(GameError, match="low < high"):
        regime_map(g, x=("T", 1, 0, 2), y=("S", 0, 1, 2))
    with pytest.raises(GameError, match="unknown parameter"):
        regime_map(g, x=("Q", 0, 1, 2), y=("S", 0, 1, 2))
    with pytest.raises(GameError, match=r"\(name, low, high, n\)"):
        regime_map(g, x=("T", 0, 1), y=("S", 0, 1, 2))  # type: ignore[arg-type]


def test_equilibrium_label_names_supports() -> None:
    g = symmetric({"R": 3, "S": 2, "T": 4, "P": -10}, ("Restrain", "Escalate")).default()
    labels = [equilibrium_label(e) for e in solve(g).equilibria]  # type: ignore[arg-type]
    assert labels == [
        "(Restrain, Escalate)",
        "(Escalate, Restrain)",
        "({Restrain, Escalate}, {Restrain, Escalate})",
    ]


def test_regime_map_symbolic_conditions() -> None:
    g = symmetric({"R": 4, "T": 3, "P": 2, "S": 0}, ("E", "H"))
    m = regime_map(g, x=("T", 1, 5, 2), y=("S", -1, 3, 2))
    conds = dict(m.conditions)
    assert conds["(E, E)"] == ("T <= 4",)
    assert conds["(H, H)"] == ("S <= 2",)
    assert m.conditions_text().splitlines()[0] == "(E, E): T <= 4"
    one_sided = regime_map(
        ParametricGame.from_arrays([["x", 0]], [["y", 0]], parameters={"x": 0, "y": 0}),
        x=("x", 0, 1, 2),
        y=("y", 0, 1, 2),
    )
    assert one_sided.conditions == (("(1, 1)", ("0 <= y",)), ("(1, 2)", ("y <= 0",)))
    ties = regime_map(
        ParametricGame.from_arrays([["x", "x"]], [["y", "y"]], parameters={"x": 0, "y": 0}),
        x=("x", 0, 1, 2),
        y=("y", 0, 1, 2),
    )
    assert ties.conditions_text() == "(1, 1): always\n(1, 2): always"


def test_conditions_within_parameter_ranges() -> None:
    def game(r_range: tuple[int, int]) -> ParametricGame:
        return ParametricGame.from_arrays(
            [["R", 0], ["T", 1]],
            [[0, 0], [0, 0]],
            parameters=[Parameter("R", 2, range=r_range), Parameter("T", 5, range=(4, 8))],
        )

    free = equilibrium_conditions(game((2, 3)), ("1", "1"))
    assert [c.text for c in free.conditions] == ["T <= R"]
    assert equilibrium_conditions(game((2, 3)), ("1", "1"), within_ranges=True).never
    # The ranges touch at R = T = 4: neither always nor never on the box.
    touching = equilibrium_conditions(game((2, 4)), ("1", "1"), within_ranges=True)
    assert not touching.never and not touching.always
    h = ParametricGame.from_arrays(
        [["R", 0], ["U", 1]],
        [[0, 0], [0, 0]],
        parameters=[Parameter("R", 3, range=(2, 4)), Parameter("U", 1, range=(0, 1))],
    )
    assert equilibrium_conditions(h, ("1", "1"), within_ranges=True).always
    # A parameter without a range keeps the condition symbolic.
    k = ParametricGame.from_arrays(
        [["R", 0], ["U", 1]],
        [[0, 0], [0, 0]],
        parameters=[Parameter("R", 3, range=(2, 4)), Parameter("U", 1)],
    )
    assert equilibrium_conditions(k, ("1", "1"), within_ranges=True).conditions
