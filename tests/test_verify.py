"""Regret and certificates, exact and float."""

from __future__ import annotations

from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equishift.games import GameError, NormalFormGame
from equishift.solver.verify import certificate, is_equilibrium, regrets

from .strategies import int_games

CHICKEN = NormalFormGame.from_arrays(
    [[3, 2], [4, -10]], [[3, 4], [2, -10]], strategies=[["Restrain", "Escalate"]] * 2
)


def test_chicken_mixed_equilibrium_exact() -> None:
    q = F(1, 13)  # escalate probability (T-R)/((T-R)+(S-P)) = 1/13
    prof = [[1 - q, q], [1 - q, q]]
    assert regrets(CHICKEN, prof) == (0, 0)
    cert = certificate(CHICKEN, prof)
    assert cert.exact and cert.is_equilibrium
    assert cert.players[0].best_deviations == ("Restrain", "Escalate")


def test_near_miss_is_rejected_exactly_but_accepted_in_floats() -> None:
    q = F(1, 13) + F(1, 10**15)
    prof = [[1 - q, q], [1 - q, q]]
    assert not is_equilibrium(CHICKEN, prof)
    assert is_equilibrium(CHICKEN.to_float(), [[float(p) for p in r] for r in prof], tol=1e-9)


def test_bad_profiles() -> None:
    with pytest.raises(GameError, match="sum to"):
        certificate(CHICKEN, [[F(1, 2), F(1, 3)], [1, 0]])
    with pytest.raises(GameError, match="negative"):
        certificate(CHICKEN, [[2, -1], [1, 0]])
    with pytest.raises(GameError, match="has 2 strategies but 3"):
        certificate(CHICKEN, [[1, 0, 0], [1, 0]])
    with pytest.raises(GameError, match="unknown strategy"):
        certificate(CHICKEN, ["Swerve", "Restrain"])


@settings(max_examples=80, deadline=None)
@given(int_games(max_players=3, max_strategies=3), st.data())
def test_regret_never_negative_and_payoff_is_average(
    game: NormalFormGame, data: st.DataObject
) -> None:
    prof = []
    for n in game.shape:
        w = data.draw(st.lists(st.integers(0, 5), min_size=n, max_size=n).filter(any))
        prof.append([F(x, sum(w)) for x in w])
    cert = certificate(game, prof)
    for pc in cert.players:
        assert pc.regret >= 0
        assert pc.best_value >= pc.payoff
