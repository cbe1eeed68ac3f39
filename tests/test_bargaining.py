"""BargainingModel and solve_bargaining: validation, the acceptance rule, exact optimisation."""

from __future__ import annotations

from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equishift.games import GameError
from equishift.games.bargaining import BargainingModel
from equishift.solver.bargaining import solve_bargaining

BASE = BargainingModel("0.6", "0.1", "0.4", players=["United States", "China"])


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("1.2", "0.1", "0.4"), {}, "p \\(receiver's probability"),
        (("0.6", "-0.1", "0.4"), {}, "proposer_cost"),
        (("0.6", "0.1", "0"), {}, "max_receiver_cost"),
        (("0.6", "0.1", "0.4", "2"), {}, "cap on concessions"),
        (("0.6", "0.1", "0.4"), {"players": ["A"]}, "proposer, receiver"),
        (("0.6", "0.1", "0.4"), {"players": ["A", "A"]}, "distinct"),
        (("x", "0.1", "0.4"), {}, "not a number"),
    ],
)
def test_validation(args: tuple[str, ...], kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(GameError, match=message):
        BargainingModel(*args, **kwargs)  # type: ignore[arg-type]


def test_acceptance_rule() -> None:
    assert BASE.accepts("0.45", "0.15") and not BASE.accepts("0.45", "0.14")
    assert BASE.war_probability("0.2") == 1
    assert BASE.war_probability("0.6") == 0
    assert BASE.war_probability("0.5") == F(1, 4)
    assert BASE.war_value("United States") == F(3, 10)
    assert BASE.war_value("China") == F(2, 5)
    with pytest.raises(GameError, match="unknown player"):
        BASE.war_value("Russia")
    # expected payoff at the optimum: (1 - 3/8)(1 - 9/20) + 3/8 * 3/10
    assert BASE.proposer_payoff("0.45") == F(5, 8) * F(11, 20) + F(3, 8) * F(3, 10)


def test_cap_transform() -> None:
    capped = BASE.with_cap("0.4")
    assert BASE.cap is None and capped.cap == F(2, 5)
    assert capped.offer_range == (0, F(2, 5))
    assert capped.without_cap().cap is None
    assert capped.without_cap().provenance[-1] == "remove the cap on concessions"
    assert capped.pieces()[-1][1] == F(2, 5)
    assert "capped at 2/5" in capped.describe()


def test_corner_solutions() -> None:
    # war so costly for the proposer that it concedes everything the receiver could want
    assert solve_bargaining(BargainingModel("0.6", "0.5", "0.4")).war_probability == 0
    # cap at zero: no concession possible
    zero = solve_bargaining(BASE.with_cap(0))
    assert zero.offer == 0 and zero.war_probability == 1
    assert zero.cap_binds
    # the interior optimum would be a negative offer: nothing is offered, war risk 1/4
    weak = solve_bargaining(BargainingModel("0.1", "0.1", "0.4"))
    assert weak.offer == 0 and weak.war_probability == F(1, 4)


def test_outcome_description_and_floats() -> None:
    out = solve_bargaining(BASE.with_cap("0.4"))
    assert out.describe() == "United States offers China x = 2/5 (the cap binds); P(war) = 1/2"
    flo = solve_bargaining(BargainingModel(0.6, 0.1, 0.4))
    assert isinstance(flo.war_probability, float)
    assert flo.war_probability == pytest.approx(0.375)


prob = st.fractions(min_value=0, max_value=1, max_denominator=20)
cost = st.fractions(min_value=F(1, 20), max_value=1, max_denominator=20)


@settings(max_examples=40, deadline=None)
@given(prob, prob, cost, st.none() | prob)
def test_optimum_beats_every_grid_offer(p: F, c_s: F, c_bar: F, cap: F | None) -> None:
    model = BargainingModel(p, c_s, c_bar, cap)
    out = solve_bargaining(model)
    lo, hi = model.offer_range
    assert lo <= out.offer <= hi
    assert out.proposer_payoff == model.proposer_payoff(out.offer)
    grid = [lo + (hi - lo) * F(k, 50) for k in range(51)]
    assert all(model.proposer_payoff(x) <= out.proposer_payoff for x in grid)
    if cap is not None:
        assert out.war_probability >= solve_bargaining(model.without_cap()).war_probability
