"""LinearResponseGame and the continuous-game solver: construction, equilibrium, stability."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from equishift.games import GameError, SolverError
from equishift.games.continuous import LinearResponseGame
from equishift.solver.continuous import (
    equilibrium,
    hurwitz_minors,
    iterate_best_responses,
    parameter_shift,
    sensitivity,
    simulate,
    stability,
    stability_boundary,
)

RACE = LinearResponseGame.richardson(
    a="0.3", b="0.3", m="0.5", n="0.5", g=1, h=1, players=["Japan", "China"]
)


# -- construction and validation ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fatigue": [1], "reactions": [[0]], "grievances": [0]}, "at least 2 players"),
        ({"fatigue": [1, -1], "reactions": [[0, 1], [1, 0]], "grievances": [0, 0]}, "fatigue"),
        ({"fatigue": [1, 1], "reactions": [[1, 1], [1, 0]], "grievances": [0, 0]}, "own level"),
        ({"fatigue": [1, 1], "reactions": [[0, 1]], "grievances": [0, 0]}, "2x2 matrix"),
        ({"fatigue": [1, 1], "reactions": [[0, 1], [1]], "grievances": [0, 0]}, "row 2"),
        ({"fatigue": [1, 1], "reactions": [[0, 1], [1, 0]], "grievances": [0]}, "one per player"),
        ({"fatigue": [1, 1], "reactions": [[0, "x"], [1, 0]], "grievances": [0, 0]}, "not a num"),
        ({"fatigue": "12", "reactions": [[0, 1], [1, 0]], "grievances": [0, 0]}, "sequence"),
        (
            {"fatigue": [1, float("nan")], "reactions": [[0, 1], [1, 0]], "grievances": [0, 0]},
            "NaN",
        ),
    ],
)
def test_invalid_games(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(GameError, match=message):
        LinearResponseGame(**kwargs)  # type: ignore[arg-type]


def test_player_labels_validated() -> None:
    with pytest.raises(GameError, match="duplicate"):
        LinearResponseGame([1, 1], [[0, 0], [0, 0]], [0, 0], players=["A", "A"])
    with pytest.raises(GameError, match="3 player labels"):
        LinearResponseGame([1, 1], [[0, 0], [0, 0]], [0, 0], players=["A", "B", "C"])
    with pytest.raises(GameError, match="non-empty"):
        LinearResponseGame([1, 1], [[0, 0], [0, 0]], [0, 0], players=["A", " "])


def test_parameters_by_name() -> None:
    assert RACE.parameters() == {
        "a": F(3, 10),
        "b": F(3, 10),
        "m": F(1, 2),
        "n": F(1, 2),
        "g": F(1),
        "h": F(1),
    }
    assert RACE.parameter("reaction[China,Japan]") == RACE.parameter("b")
    assert RACE.parameter(("fatigue", "Japan", "Japan")) == F(1, 2)
    for bad in ["k", "reaction[Japan]", "fatigue[Japan,China]", "reaction[Korea,Japan]"]:
        with pytest.raises(GameError):
            RACE.parameter(bad)
    with pytest.raises(GameError, match="itself"):
        RACE.slot(("reaction", 0, 0))


def test_with_parameter_is_a_new_value() -> None:
    new = RACE.with_parameter("b", "0.9")
    assert RACE.parameter("b") == F(3, 10) and new.parameter("b") == F(9, 10)
    assert new.provenance == ("set b = 9/10 (was 3/10)",)
    assert new.with_parameter("g", 2).provenance[-1] == "set g = 2 (was 1)"
    with pytest.raises(GameError, match="fatigue"):
        RACE.with_parameter("m", 0)
    with pytest.raises(AttributeError):
        RACE.title = "x"  # type: ignore[misc]


def test_three_player_names() -> None:
    g = LinearResponseGame([1, 1, 1], [[0, 1, 0], [0, 0, 1], [1, 0, 0]], [1, 2, 3])
    assert "reaction[Player 1,Player 2]" in g.parameters()
    assert g.parameter("grievance[Player 3]") == 3
    with pytest.raises(GameError, match="fatigue"):
        g.parameter("b")


def test_best_response_form_and_quadratic_form_agree() -> None:
    by_br = LinearResponseGame.from_best_responses(
        [2, 2], [[0, "0.6"], ["0.6", 0]], speeds=["0.5", "0.5"]
    )
    by_q = LinearResponseGame.from_quadratic(["0.5", "0.5"], [[0, "0.3"], ["0.3", 0]], [1, 1])
    assert by_br.jacobian() == by_q.jacobian() == RACE.jacobian()
    assert by_br.grievances == by_q.grievances == RACE.grievances
    assert RACE.best_response_intercepts() == (2, 2)
    with pytest.raises(GameError, match="curvature"):
        LinearResponseGame.from_quadratic([0, 1], [[0, 0], [0, 0]], [0, 0])
    with pytest.raises(GameError, match="speed"):
        LinearResponseGame.from_best_responses([0, 0], [[0, 0], [0, 0]], speeds=[1, 0])


def test_payoff_expressions() -> None:
    x, y, z = sp.symbols("x y z")
    g = LinearResponseGame.from_payoff_expressions(
        [
            -(x**2) + x * (2 + y - z) + y * z,
            -sp.Rational(1, 2) * y**2 + y * x,
            -3 * z**2 / 2 + z * (1 + x) + x**2,
        ],
        [x, y, z],
        players=["A", "B", "C"],
    )
    assert g.fatigue == (2, 1, 3)
    assert g.reactions == ((0, 1, -1), (1, 0, 0), (1, 0, 0))
    assert g.grievances == (2, 0, 1)
    # the best response maximises the payoff
    assert g.best_response("A", {"B": 1, "C": 1}) == 1
    with pytest.raises(GameError, match="affine"):
        LinearResponseGame.from_payoff_expressions([-(x**2) + x * y**2, -(y**2)], [x, y])
    with pytest.raises(GameError, match="no free symbols"):
        LinearResponseGame.from_payoff_expressions([-(x**2) + x * z, -(y**2)], [x, y])
    with pytest.raises(GameError, match="polynomial"):
        LinearResponseGame.from_payoff_expressions([-(x**2) + sp.sin(x), -(y**2)], [x, y])
    with pytest.raises(GameError, match="one each"):
        LinearResponseGame.from_payoff_expressions([-(x**2)], [x, y])


def test_quadratic_payoffs_are_maximised_by_best_responses() -> None:
    g = LinearResponseGame([2, 3], [[0, 1], [-1, 0]], [1, 4])
    levels = [F(1, 3), F(2)]
    br = g.best_response(0, levels)
    best = g.payoffs([br, levels[1]])[0]
    for dx in (F(-1, 10), F(1, 10)):
        assert g.payoffs([br + dx, levels[1]])[0] < best


def test_describe() -> None:
    assert RACE.describe().splitlines()[0] == "d Japan/dt = 1 - 1/2·Japan + 3/10·China"
    neg = LinearResponseGame([1, 1], [[0, -1], [1, 0]], [0, 0])
    assert "- 1·Player 2" in neg.describe()


# -- equilibrium ------------------------------------------------------------------------------


def test_no_and_many_equilibria() -> None:
    none = LinearResponseGame([1, 1], [[0, 1], [1, 0]], [1, 0])
    many = LinearResponseGame([1, 1], [[0, 1], [1, 0]], [1, -1])
    assert equilibrium(none).status == "none" and not equilibrium(none).exists
    assert equilibrium(many).status == "many"
    assert "continuum" in equilibrium(many).describe()
    with pytest.raises(SolverError):
        sensitivity(none, "g")


small = st.fractions(min_value=-2, max_value=2, max_denominator=5)
positive = st.fractions(min_value=F(1, 5), max_value=3, max_denominator=5)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(positive, min_size=3, max_size=3),
    st.lists(small, min_size=6, max_size=6),
    st.lists(small, min_size=3, max_size=3),
)
def test_equilibrium_is_a_fixed_point_and_stability_matches_eigenvalues(
    m: list[F], k: list[F], g: list[F]
) -> None:
    reactions = [[F(0), k[0], k[1]], [k[2], F(0), k[3]], [k[4], k[5], F(0)]]
    game = LinearResponseGame(m, reactions, g)
    eq = equilibrium(game)
    if eq.exists:
        levels = list(eq.levels.values())
        assert all(game.best_response(i, levels) == levels[i] for i in range(3))
    s = stability(game)
    re = max(e.real for e in s.eigenvalues)
    if abs(re) > 1e-9:
        assert s.continuous_time == (re < 0)
    if abs(s.spectral_radius - 1) > 1e-9:
        assert s.discrete_time == (s.spectral_radius < 1)


def test_hurwitz_minors_examples() -> None:
    # (s + 1)(s + 2)(s + 3) is stable; s^3 + s^2 + s + 1 has roots on the imaginary axis
    assert all(m > 0 for m in hurwitz_minors([1, 6, 11, 6]))
    assert hurwitz_minors([1, 1, 1, 1])[1] == 0


def test_float_game_reports_floats() -> None:
    g = LinearResponseGame.richardson(a=0.3, b=0.3, m=0.5, n=0.5, g=1.0, h=1.0)
    assert not g.is_exact
    eq = equilibrium(g)
    assert all(isinstance(v, float) for v in eq.levels.values())
    assert eq.levels["x"] == pytest.approx(5.0)
    assert stability(g).continuous_time


# -- dynamics ---------------------------------------------------------------------------------


def test_simulation_converges_and_validates() -> None:
    path = simulate(RACE, {"Japan": 10}, t_end=80, points=41)
    assert path.times.shape == (41,) and path.levels.shape == (41, 2)
    assert path.levels[0].tolist() == [10.0, 0.0]
    assert path.distance_to_equilibrium()[-1] < 1e-5
    with pytest.raises(SolverError, match="t_end"):
        simulate(RACE, t_end=0)
    with pytest.raises(SolverError, match="points"):
        simulate(RACE, points=1)
    with pytest.raises(SolverError, match="one per player"):
        simulate(RACE, [1, 2, 3])
    none = LinearResponseGame([1, 1], [[0, 1], [1, 0]], [1, 0])
    with pytest.raises(SolverError, match="no unique"):
        simulate(none, t_end=1).distance_to_equilibrium()


def test_best_response_iteration_converges_when_discrete_stable() -> None:
    rows = iterate_best_responses(RACE, steps=60)
    assert abs(float(rows[-1][0]) - 5) < 1e-6
    assert iterate_best_responses(RACE, [5, 5], steps=3)[-1] == (5, 5)
    with pytest.raises(SolverError):
        iterate_best_responses(RACE, steps=-1)


def test_discrete_and_continuous_can_differ() -> None:
    # Strong opposite reactions: continuous time spirals in, best-response iteration cycles out.
    g = LinearResponseGame([1, 1], [[0, 2], [-2, 0]], [0, 0])
    s = stability(g)
    assert s.continuous_time and not s.discrete_time
    assert s.spectral_radius == pytest.approx(2.0)


# -- parameters: boundaries, sensitivity, shifts ------------------------------------------------


def test_boundary_three_players() -> None:
    g = LinearResponseGame(
        [1, 1, 1], [[0, "0.4", "0.4"], ["0.4", 0, "0.4"], ["0.4", "0.4", 0]], [1, 1, 1]
    )
    sb = stability_boundary(g, "reaction[Player 1,Player 2]")
    assert sb.stable_now and len(sb.critical_values) == 1
    crit = sb.critical_values[0]
    assert stability(
        g.with_parameter("reaction[Player 1,Player 2]", crit - F(1, 1000))
    ).continuous_time
    assert not stability(
        g.with_parameter("reaction[Player 1,Player 2]", crit + F(1, 1000))
    ).continuous_time
    assert len(sb.formulas) == 1


def test_boundary_in_fatigue_and_kind_validation() -> None:
    sb = stability_boundary(RACE, "m")
    assert sb.critical_values == (F(9, 50),)  # m* = ab/n
    assert sb.stable_intervals == ((F(9, 50), None),)
    assert stability_boundary(RACE, "g").critical_values == ()
    with pytest.raises(SolverError, match="kind"):
        stability_boundary(RACE, "b", kind="sideways")


def test_sensitivity_matches_finite_difference() -> None:
    sens = sensitivity(RACE, "a")
    eps = F(1, 10**6)
    up = equilibrium(RACE.with_parameter("a", RACE.parameter("a") + eps)).levels
    base = equilibrium(RACE).levels
    for p in RACE.players:
        fd = (up[p] - base[p]) / eps
        assert abs(float(fd - sens.derivatives[p])) < 1e-3


def test_parameter_shift_without_crossing() -> None:
    shift = parameter_shift(RACE, "b", "0.5")
    assert shift.crossed == ()
    assert shift.after.levels["Japan"] > 5
    assert "b: 3/10 -> 1/2" in shift.describe()
    back = parameter_shift(RACE.with_parameter("b", "0.9"), "b", "0.3")
    assert back.crossed == (F(5, 6),)
    assert np.isclose(float(back.after.levels["China"]), 5.0)


def test_float_coefficients_in_payoff_expressions_stay_floats() -> None:
    x, y = sp.symbols("x y")
    g = LinearResponseGame.from_payoff_expressions([-(x**2) + 0.3 * x * y, -(y**2) + x * y], [x, y])
    assert g.reactions[0][1] == pytest.approx(0.3) and isinstance(g.reactions[0][1], float)
    assert not g.is_exact


coef = st.fractions(min_value=F(-3), max_value=3, max_denominator=7)


@settings(max_examples=25, deadline=None)
@given(coef, positive, positive)
def test_critical_reaction_is_mn_over_a(a: F, m: F, n: F) -> None:
    game = LinearResponseGame.richardson(a=a, b=0, m=m, n=n, g=1, h=1)
    sb = stability_boundary(game, "b")
    if a == 0:
        assert sb.critical_values == () and sb.stable_intervals == ((None, None),)
        return
    star = m * n / a
    assert sb.critical_values == (star,)
    expected = ((None, star),) if a > 0 else ((star, None),)
    assert sb.stable_intervals == expected


def test_trajectory_arrays_are_read_only() -> None:
    path = simulate(RACE, t_end=1, points=3)
    with pytest.raises(ValueError):
        path.levels[0, 0] = 1.0
