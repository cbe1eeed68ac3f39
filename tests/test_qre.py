"""Logit QRE: fixed points, the principal branch along λ and its certified limit."""

from __future__ import annotations

import math
from fractions import Fraction as F

import numpy as np
import pytest

from equishift.games import NormalFormGame, SolverError
from equishift.solver.qre import logit_qre, qre_path
from equishift.solver.verify import certificate


def matching_pennies() -> NormalFormGame:
    return NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])


def asymmetric_pennies() -> NormalFormGame:
    """Goeree & Holt's asymmetric matching pennies: NE row 1/2, column 1/10 on Left."""
    return NormalFormGame.from_arrays(
        [[9, 0], [0, 1]], [[0, 1], [1, 0]], strategies=[["Top", "Bottom"], ["Left", "Right"]]
    )


def is_fixed_point(game: NormalFormGame, lam: float, prof: tuple[tuple[float, ...], ...]) -> bool:
    u = game.float_payoffs()
    n = game.n_players
    for i in range(n):
        t = u[..., i]
        for j in reversed(range(n)):
            if j != i:
                t = np.tensordot(t, np.array(prof[j]), axes=([j], [0]))
        w = np.exp(lam * (t - t.max()))
        if not np.allclose(w / w.sum(), prof[i], atol=1e-9):
            return False
    return True


def test_matching_pennies_is_uniform_for_every_lambda() -> None:
    path = qre_path(matching_pennies(), lam_max=200)
    for pt in path.points:
        for row in pt.profile:
            assert row == pytest.approx((0.5, 0.5), abs=1e-12)
    assert path.verified and path.nash is not None
    assert path.nash.profile == ((F(1, 2), F(1, 2)), (F(1, 2), F(1, 2)))
    assert path.nash_distance is not None and path.nash_distance < 1e-12


def test_asymmetric_pennies_moves_toward_nash() -> None:
    g = asymmetric_pennies()
    path = qre_path(g, lam_max=1000)
    assert path.complete and path.points[0].profile == ((0.5, 0.5), (0.5, 0.5))
    left = path.probabilities(1, "Left")
    top = path.probabilities(0, "Top")
    # The column player's Left falls monotonically from 1/2 toward the NE value 1/10.
    assert np.all(np.diff(left) <= 1e-12)
    assert abs(left[-1] - 0.1) < 1e-3
    # Own-payoff effect: the row player over-plays Top (> 1/2) at finite λ, then returns.
    assert top.max() > 0.6 and abs(top[-1] - 0.5) < 2e-3
    # Distance to the NE shrinks from 0.4 at λ = 0.
    dist = np.maximum(np.abs(top - 0.5), np.abs(left - 0.1))
    assert dist[0] == pytest.approx(0.4) and dist[-1] < 2e-3
    for pt in path.points[:: max(1, len(path.points) // 8)]:
        assert is_fixed_point(g, pt.lam, pt.profile)


def test_limit_certificate_and_tolerance() -> None:
    g = asymmetric_pennies()
    path = qre_path(g, lam_max=1000)
    # Stated tolerance: entropy bound max_i H(σ_i)/λ (≤ log 2 / λ) plus 1e-9 x payoff range 9.
    assert path.tolerance <= math.log(2) / 1000 + 9e-9
    assert path.limit_regret <= path.tolerance and path.verified
    cert = certificate(g.to_float(), path.limit.profile, tol=path.tolerance)
    assert cert.is_equilibrium
    assert path.nash is not None
    assert path.nash.by_label() == {
        "Player 1": {"Top": F(1, 2), "Bottom": F(1, 2)},
        "Player 2": {"Left": F(1, 10), "Right": F(9, 10)},
    }


def test_stag_hunt_limit_is_risk_dominant() -> None:
    """The logit tracing procedure selects the risk-dominant (Hedge, Hedge) in the Stag Hunt."""
    stag = NormalFormGame.from_arrays(
        [[4, 0], [3, 2]], [[4, 3], [0, 2]], strategies=[["Engage", "Hedge"]] * 2
    )
    path = qre_path(stag, lam_max=200)
    assert path.verified and path.nash is not None
    assert path.nash.pure_profile() == ("Hedge", "Hedge")


def test_three_player_game() -> None:
    rng = np.random.default_rng(1)
    g = NormalFormGame(rng.integers(-5, 5, size=(2, 2, 2, 3)))
    path = qre_path(g, lam_max=500)
    assert path.complete and path.verified
    assert path.nash_distance is not None and path.nash_distance < 1e-2
    pt = path.points[len(path.points) // 2]
    assert is_fixed_point(g, pt.lam, pt.profile)


def test_single_lambda_and_errors() -> None:
    g = asymmetric_pennies()
    row, col = logit_qre(g, 0.0)
    assert row == pytest.approx((0.5, 0.5)) and col == pytest.approx((0.5, 0.5))
    prof = logit_qre(g, 2.0, start=[[0.6, 0.4], [0.3, 0.7]])
    assert is_fixed_point(g, 2.0, prof)
    with pytest.raises(SolverError, match="non-negative"):
        logit_qre(g, -1.0)
    with pytest.raises(SolverError, match="lam_max"):
        qre_path(g, lam_max=0)


def test_budget_reported() -> None:
    path = qre_path(asymmetric_pennies(), lam_max=1000, max_points=5)
    assert not path.complete and "max_points" in path.warnings[0]
    assert len(path.points) == 5


def test_random_games_reach_the_limit() -> None:
    """Regression: tiny probabilities (log-probabilities near -700) must not stop the path."""
    rng = np.random.default_rng(0)
    for _ in range(12):
        g = NormalFormGame(rng.integers(-9, 10, size=(3, 3, 2)))
        path = qre_path(g, lam_max=200)
        assert path.complete and path.verified
        assert path.limit_regret <= path.tolerance


def test_degenerate_limit_inside_a_component_is_flagged() -> None:
    """Row 1 and 2 tie against column 3: the limit is a mixture inside a Nash component."""
    g = NormalFormGame.from_arrays(
        [[-1, -5, 9], [1, 1, 9], [1, -2, 0]], [[9, -1, 6], [-8, -2, 1], [2, -5, -2]]
    )
    path = qre_path(g, lam_max=300)
    assert path.complete and path.verified
    assert path.limit.profile[0][:2] == pytest.approx((0.5, 0.5), abs=1e-3)
    assert path.nash_distance is not None and path.nash_distance > 0.2
    assert any("component" in w for w in path.warnings)


def test_fold_is_followed_by_arc_length_continuation() -> None:
    """A 3x3 game whose principal branch turns back in λ: the grid hands over to arc length."""
    g = NormalFormGame.from_arrays(
        [[-1, -1, 5], [6, 4, -7], [4, -1, 9]], [[-3, 9, 9], [3, -7, -9], [-5, 8, 6]]
    )
    path = qre_path(g, lam_max=100)
    assert path.complete and path.verified
    assert any("turned back" in w for w in path.warnings)
    lams = path.lambdas
    assert np.any(np.diff(lams) < 0) and lams[-1] == 100
    for pt in path.points:
        assert is_fixed_point(g, pt.lam, pt.profile)
    # Consecutive points stay close: the curve is followed, not jumped across.
    for a, b in zip(path.points, path.points[1:], strict=False):
        gap = max(
            float(np.max(np.abs(np.subtract(ra, rb))))
            for ra, rb in zip(a.profile, b.profile, strict=True)
        )
        assert gap <= 0.05 + 1e-9
