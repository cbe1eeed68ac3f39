"""DF — dual freeze (freeze-for-freeze) as a repeated game.

Source: MODELS.md section DF; Friedman, J. W. (1971), "A Non-cooperative Equilibrium for
Supergames", Review of Economic Studies 38(1): grim trigger sustains the freeze iff
δ_i ≥ (T_i − R_i)/(T_i − P_i) for each side — 1/2 for the DPRK and 1/3 for the U.S. with
(Freeze,Suspend)=(3,3), (Freeze,Exercise)=(0,4), (Test,Suspend)=(5,0), (Test,Exercise)=(1,1).
In a Deadlock variant for the DPRK the freeze is never sustainable (R below the minmax payoff).

Every number comes from the general engine (critical_delta) applied to the encoded game.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from equishift.games import NormalFormGame
from equishift.games.repeated import RepeatedGame
from equishift.solver.repeated import critical_delta, minmax

PLAYERS = ["DPRK", "US-ROK"]
FREEZE = ("Freeze", "Suspend")


def dual_freeze(
    fs: tuple[int, int], fe: tuple[int, int], ts: tuple[int, int], te: tuple[int, int]
) -> NormalFormGame:
    return NormalFormGame.from_mapping(
        {
            ("Freeze", "Suspend"): fs,
            ("Freeze", "Exercise"): fe,
            ("Test", "Suspend"): ts,
            ("Test", "Exercise"): te,
        },
        players=PLAYERS,
    )


BASELINE = dual_freeze((3, 3), (0, 4), (5, 0), (1, 1))
# Deadlock for the DPRK: T=5 > P=3 > R=2 > S=0; the U.S. keeps its PD payoffs.
DEADLOCK = dual_freeze((2, 3), (0, 4), (5, 0), (3, 1))
# Stag Hunt: both security seekers, R=4 > T=3 >= P=1 > S=0.
STAG_HUNT = dual_freeze((4, 4), (0, 3), (3, 0), (1, 1))


def test_freeze_thresholds_half_and_third() -> None:
    """DPRK 1/2, U.S. 1/3; the freeze needs delta >= 1/2 overall (MODELS DF)."""
    th = critical_delta(BASELINE, FREEZE)
    per = {p.player: p.delta_star for p in th.players}
    assert per == {"DPRK": Fraction(1, 2), "US-ROK": Fraction(1, 3)}
    assert th.delta_star == Fraction(1, 2)
    assert th.binding == ("DPRK",)
    assert th.players[0].punishment == "stage equilibrium (Test, Exercise)"


def test_freeze_sustained_exactly_from_threshold() -> None:
    th = critical_delta(RepeatedGame(BASELINE, delta="0.5"), FREEZE)
    assert th.sustainable("0.5") and not th.sustainable("0.49")


@pytest.mark.parametrize("punishment", ["nash", "pure_minmax", "mixed_minmax"])
def test_deadlock_never_sustainable(punishment: str) -> None:
    """With Deadlock preferences the DPRK's R is below its minmax payoff: never sustainable."""
    th = critical_delta(DEADLOCK, FREEZE, punishment=punishment)
    assert th.players[0].delta_star is None
    assert th.delta_star is None
    assert not th.sustainable("0.99")
    mm = minmax(DEADLOCK, "DPRK")
    assert th.players[0].target_payoff < mm.value


def test_stag_hunt_freeze_is_self_enforcing() -> None:
    """In the Stag Hunt variant the freeze is a stage equilibrium: any delta sustains it."""
    assert critical_delta(STAG_HUNT, FREEZE).delta_star == 0
