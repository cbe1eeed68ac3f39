"""EquilibriumShift: matching by labels, class change, welfare, incentive constraints.

Expected values come from ``../shared/design/MODELS.md`` (cited per test).
"""

from __future__ import annotations

import json
from fractions import Fraction as F

from equishift.games import NormalFormGame
from equishift.recommendations.transforms import (
    AddEnforcer,
    AddStrategy,
    Sequentialise,
    SetPayoffs,
    ShiftPayoffs,
)
from equishift.solver import solve
from equishift.solver.compare import compare


def dual_freeze() -> NormalFormGame:
    return NormalFormGame.from_mapping(
        {
            ("Freeze", "Suspend"): (3, 3),
            ("Freeze", "Exercise"): (0, 4),
            ("Test", "Suspend"): (5, 0),
            ("Test", "Exercise"): (1, 1),
        },
        players=["DPRK", "US-ROK"],
    )


def stag() -> NormalFormGame:
    return NormalFormGame.from_arrays(
        [[4, 0], [3, 2]],
        [[4, 3], [0, 2]],
        players=["DPRK", "US"],
        strategies=[["Engage", "Hedge"]] * 2,
    )


def test_reversible_first_steps_move_the_mixed_equilibrium() -> None:
    # MODELS.md R1: raising S from 0 to 1.5 moves p* from 2/3 to 1/3; the pure equilibria stay.
    raise_s = ShiftPayoffs((("Engage", "Hedge"), ("Hedge", "Engage")), ((F(3, 2), 0), (0, F(3, 2))))
    shift = compare(solve(stag()), solve(raise_s.apply(stag())), target=("Engage", "Engage"))
    assert [m.status for m in shift.matches] == ["persisted", "persisted", "moved"]
    moved = shift.by_status("moved")[0]
    assert moved.before is not None and moved.after is not None
    assert moved.before.by_label()["DPRK"] == {"Engage": F(2, 3), "Hedge": F(1, 3)}
    assert moved.after.by_label()["DPRK"] == {"Engage": F(1, 3), "Hedge": F(2, 3)}
    assert moved.before.payoffs == (F(8, 3), F(8, 3))
    assert moved.after.payoffs == (F(7, 3), F(7, 3))  # Hedge pays 1/3 * 3 + 2/3 * 2
    assert shift.class_change == "Stag Hunt → Stag Hunt"
    # The engagement constraint is untouched (R - T = 1): slack before and after.
    assert [(i.gain_before, i.gain_after, i.change) for i in shift.incentives] == [
        (F(-1), F(-1), "unchanged"),
        (F(-1), F(-1), "unchanged"),
    ]


def test_dual_freeze_to_stag_hunt_variant() -> None:
    # MODELS.md DF variants: both sides security seekers (T below R) -> Stag Hunt; the freeze
    # becomes an equilibrium; (Test, Exercise) stays one.
    seekers = SetPayoffs((("Test", "Suspend"), ("Freeze", "Exercise")), ((2, 0), (0, 2)))
    shift = compare(
        solve(dual_freeze()), solve(seekers.apply(dual_freeze())), target=("Freeze", "Suspend")
    )
    assert shift.class_change == "Prisoner's Dilemma → Stag Hunt"
    statuses = {m.describe(): m.status for m in shift.matches}
    assert statuses["DPRK: Test; US-ROK: Exercise"] == "persisted"
    assert statuses["DPRK: Freeze; US-ROK: Suspend"] == "appeared"
    assert [(i.player, i.gain_before, i.gain_after) for i in shift.incentives] == [
        ("DPRK", F(2), F(-1)),
        ("US-ROK", F(1), F(-1)),
    ]
    assert [i.change for i in shift.incentives] == ["became slack", "became slack"]
    assert shift.welfare_before.best_utilitarian == 2
    assert shift.welfare_after.best_utilitarian == 6
    assert shift.welfare_after.worst_minimum == 1


def test_enforcer_fine_makes_the_freeze_the_unique_equilibrium() -> None:
    # A third party fining a test by 3 (> T - R = 2) makes Freeze dominant for the DPRK.
    fined = AddEnforcer("DPRK", "Test", 3).apply(dual_freeze())
    shift = compare(solve(dual_freeze()), solve(fined))
    assert [m.status for m in shift.matches] == ["vanished", "appeared"]
    appeared = shift.by_status("appeared")[0].after
    assert appeared is not None
    assert appeared.pure_profile() == ("Freeze", "Exercise", "Enforce")
    assert shift.class_after is None  # three players: no 2x2 class
    assert [p.player for p in shift.players] == ["DPRK", "US-ROK"]


def test_added_dominated_strategy_keeps_equilibria_matched_by_label() -> None:
    g = dual_freeze()
    bigger = AddStrategy("DPRK", "Bluster", ((0, 0), (0, 0))).apply(g)
    shift = compare(solve(g), solve(bigger))
    assert [m.status for m in shift.matches] == ["persisted"]


def test_normal_against_extensive_form_does_not_crash() -> None:
    g = dual_freeze()
    shift = compare(solve(g), solve(Sequentialise("DPRK").apply(g)), target=("Freeze", "Suspend"))
    assert {m.status for m in shift.matches} <= {"vanished", "appeared"}
    assert shift.class_after is None
    assert all(i.gain_after is None for i in shift.incentives)


def test_json_has_exact_numbers_as_strings() -> None:
    raise_s = ShiftPayoffs((("Engage", "Hedge"),), ((F(3, 2), 0),))
    doc = compare(
        solve(stag()), solve(raise_s.apply(stag())), target=("Engage", "Engage")
    ).to_json()
    text = json.dumps(doc)
    assert '"2/3"' in text
    assert doc["class_before"] == "Stag Hunt"
    assert doc["incentives"][0] == {
        "player": "DPRK",
        "gain_before": "-1",
        "gain_after": "-1",
        "status_before": "slack",
        "status_after": "slack",
        "change": "unchanged",
    }
    assert all(isinstance(v, str) for v in doc["welfare_before"].values())


def test_chicken_crash_probability_from_the_mixed_equilibrium() -> None:
    # MODELS.md R1: Chicken (3,3) (2,4) (4,2) (-10,-10): escalate with q = 1/13.
    chicken = NormalFormGame.from_arrays(
        [[3, 2], [4, -10]],
        [[3, 4], [2, -10]],
        players=["DPRK", "US"],
        strategies=[["Restrain", "Escalate"]] * 2,
    )
    shift = compare(solve(chicken), solve(chicken))
    assert all(m.status == "persisted" for m in shift.matches)
    mixed = [m.before for m in shift.matches if m.before is not None and not m.before.is_pure]
    assert mixed[0].by_label()["DPRK"]["Escalate"] == F(1, 13)
