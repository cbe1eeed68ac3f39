"""Verdict maps: the grid, agreement with ``verdicts``, the default point, axis choice, errors."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import pytest

from equishift.recommendations import robustness as robustness_module
from equishift.recommendations.maps import (
    VERDICTS,
    MapError,
    TooFewParameters,
    VerdictMap,
    rank_parameters,
    verdict_map,
)
from equishift.recommendations.robustness import (
    Robustness,
    ScenarioBuilder,
    Sensitivity,
    verdicts,
    wilson_interval,
)

STAG = "engagement-stag-hunt"  # R1: a 2x2 parametric game, a few ms per verdict


@pytest.fixture(scope="module")
def builder() -> ScenarioBuilder:
    return ScenarioBuilder(STAG)


@pytest.fixture(scope="module")
def small(builder: ScenarioBuilder) -> VerdictMap:
    return verdict_map(builder, "R1", x=("R", "7/2", 6, 6), y=("T", 2, "7/2", 4))


def _robustness(rec: str, sensitivity: tuple[Sensitivity, ...]) -> Robustness:
    return Robustness(
        scenario=STAG,
        recommendation_id=rec,
        method="sobol",
        seed=0,
        n=16,
        parameters=tuple(s.parameter for s in sensitivity),
        works=8,
        fails=8,
        undetermined=0,
        probability=0.5,
        interval=wilson_interval(8, 16),
        sensitivity=sensitivity,
        default_verdict="works",
        flip=None,
        flips_searched=False,
        reasons=(),
    )


def _sens(name: str, low: float, high: float) -> Sensitivity:
    return Sensitivity(name, Fraction(1), low, high, 8, 8)


# -- the grid ---------------------------------------------------------------------------------
def test_verdicts_agree_with_verdicts_at_the_same_points(
    small: VerdictMap, builder: ScenarioBuilder
) -> None:
    points = [{"R": x, "T": y} for y in small.ys for x in small.xs]
    expected = verdicts(builder, "R1", points)
    got = [v for row in small.grid for v in row]
    assert got == expected
    assert {"works", "does not work"} <= set(got)  # the map crosses a boundary


def test_grid_is_exact_and_includes_the_default(small: VerdictMap) -> None:
    assert small.shape == (4, 6)
    assert all(isinstance(v, Fraction) for v in (*small.xs, *small.ys))
    assert small.xs == tuple(Fraction(7, 2) + Fraction(1, 2) * k for k in range(6))
    assert small.ys == (2, Fraction(5, 2), 3, Fraction(7, 2))
    # T = 3 and R = 4 are grid values already; a grid that misses the default gets it added.
    m = verdict_map(STAG, "R1", x=("R", "7/2", "11/2", 3), y=("T", 2, "7/2", 2), regimes=False)
    assert Fraction(4) in m.xs and len(m.xs) == 4
    assert Fraction(3) in m.ys and m.ys == (2, 3, Fraction(7, 2))


def test_default_cell_has_the_default_verdict(small: VerdictMap, builder: ScenarioBuilder) -> None:
    assert small.default == (Fraction(4), Fraction(3))
    assert small.default_verdict == verdicts(builder, "R1", [{}])[0]
    cell = small.default_cell
    assert cell is not None
    j, i = cell
    assert VERDICTS[small.codes[j][i]] == small.default_verdict
    assert small.verdict_at(4, 3) == small.default_verdict


def test_default_outside_the_axis_is_not_a_cell() -> None:
    m = verdict_map(STAG, "R1", x=("R", 5, 6, 2), y=("T", 2, 3, 2), regimes=False)
    assert m.default_cell is None and m.xs == (5, 6)
    assert m.default_verdict == "works"  # still evaluated at the default point


def test_text_map_and_json(small: VerdictMap) -> None:
    text = str(small)
    assert text.count("@") == 2  # the cell and the legend
    assert "T \\ R" in text and "R from 7/2 to 6" in text
    data = json.loads(json.dumps(small.to_json()))
    assert data["x"] == {"parameter": "R", "values": ["7/2", "4", "9/2", "5", "11/2", "6"]}
    assert data["codes"] == [list(r) for r in small.codes]
    assert data["verdicts"] == list(VERDICTS)
    assert data["default"] == {"R": "4", "T": "3"}
    assert data["fixed"] == {"P": "2", "S": "0"}
    assert sum(data["counts"].values()) == 24
    assert data["choice"] == "given" and data["ranking"] == []


def test_one_call_of_verdicts_for_the_grid(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = robustness_module.verdicts

    def counting(b: ScenarioBuilder, rec: str, points: Any) -> list[str]:
        calls.append(len(points))
        return real(b, rec, points)

    monkeypatch.setattr(robustness_module, "verdicts", counting)
    verdict_map(STAG, "R1", x=("R", 4, 6, 3), y=("S", -1, 1, 3), regimes=False)
    assert calls == [1 + 3 * 3]  # the default point and the grid, in one call


def test_regimes_of_the_baseline(small: VerdictMap) -> None:
    assert small.regimes is not None and small.regimes.game == "game"
    assert len(small.regimes.grid) == 4 and len(small.regimes.grid[0]) == 6
    assert any("(Engage, Engage)" in eqs for eqs in small.regimes.legend)
    race = verdict_map("arms-race", "R7", x=("m", "1/5", 1, 2), y=("n", "1/5", 1, 2))
    assert race.regimes is None  # a continuous model: no equilibrium regimes to draw


# -- choosing the axes ------------------------------------------------------------------------
def test_scan_chooses_parameters_that_change_the_verdict() -> None:
    ranking = rank_parameters(STAG, "R1", points=3)
    assert [e.by for e in ranking] == ["scan"] * 4
    assert all(0 < e.score <= 1 for e in ranking)
    m = verdict_map(STAG, "R1", size=3, regimes=False)
    assert m.choice == "scan" and (m.x, m.y) == (ranking[0].parameter, ranking[1].parameter)
    assert m.ranking[0].to_json()["by"] == "scan"


def test_sensitivity_chooses_the_top_two() -> None:
    rob = _robustness("R1", (_sens("S", 0.2, 0.9), _sens("P", 0.7, 0.4), _sens("R", 0.5, 0.5)))
    m = verdict_map(STAG, "R1", size=3, robustness=rob, regimes=False)
    assert (m.x, m.y, m.choice) == ("S", "P", "sensitivity")
    # A given axis is kept; the other is the top one left.
    m = verdict_map(STAG, "R1", x="S", size=3, robustness=rob, regimes=False)
    assert (m.x, m.y) == ("S", "P")


def test_flat_sensitivity_falls_back_to_the_scan() -> None:
    rob = _robustness("R1", (_sens("S", 1.0, 1.0), _sens("P", 1.0, 1.0)))
    m = verdict_map(STAG, "R1", size=3, robustness=rob, regimes=False)
    assert m.choice == "scan"


def test_too_few_parameters() -> None:
    with pytest.raises(TooFewParameters, match="fewer than two parameters") as info:
        verdict_map("strategic-triangle", "R8", size=3)
    assert info.value.found == () and info.value.by == "scan"
    # Both axes given: a map is drawn anyway.
    m = verdict_map("strategic-triangle", "R8", x=("p", 0, 1, 2), y=("q", 0, 1, 2))
    assert m.counts()["works"] + m.counts()["does not work"] + m.counts()["undetermined"] == 9


# -- errors -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("x", "message"),
    [
        (("X", 0, 1, 3), r"no parameter 'X' to map over; the file has R, T, P, S"),
        ("X", r"no parameter 'X'"),
        (("R", 3, 6, 3), r"reaches outside the parameter's range \[7/2, 6\]"),
        (("R", 4, 7, 3), r"\[4, 7\] reaches outside"),
        (("R", 5, 4, 3), r"needs low < high"),
        (("R", 4, 5, 1), r"needs n >= 2 points"),
        (("R", "x", 5, 3), r"low end of the 'R' axis"),
        (("R", 4), r"parameter name or \(name, low, high, n\)"),
    ],
)
def test_bad_axes_are_clear_errors(x: Any, message: str) -> None:
    with pytest.raises(MapError, match=message):
        verdict_map(STAG, "R1", x=x, y=("T", 2, 3, 2), regimes=False)


def test_other_errors() -> None:
    with pytest.raises(MapError, match="two different parameters"):
        verdict_map(STAG, "R1", x=("R", 4, 5, 2), y="R")
    with pytest.raises(MapError, match="no recommendation 'R9'; the file has R1"):
        verdict_map(STAG, "R9", x="R", y="T")
    with pytest.raises(MapError, match="size >= 2"):
        verdict_map(STAG, "R1", x="R", y="T", size=1)
    with pytest.raises(MapError, match="is of 'R2', not 'R1'"):
        rank_parameters(STAG, "R1", robustness=_robustness("R2", ()))
    m = verdict_map(STAG, "R1", x=("R", 4, 5, 2), y=("T", 2, 3, 2), regimes=False)
    with pytest.raises(MapError, match="not a point of the map's grid"):
        m.verdict_at("9/2", 2)
    assert issubclass(MapError, ValueError)
