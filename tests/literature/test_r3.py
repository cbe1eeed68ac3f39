"""R3 — breaking the U.S.–Russia vicious circle: noisy reciprocity, generosity, relative gains.

Source: MODELS.md section R3. TFT vs TFT under any noise ε ∈ (0,1) visits CC, CD, DC, DD equally
often, average (R+S+T+P)/4 = 2.25 for (5,3,1,0) (the "echo" of Axelrod 1984, ch. 2; Molander,
P. (1985), "The Optimal Level of Generosity in a Selfish, Uncertain Environment", JCR 29(4)).
Generous TFT q* = min{1 − (T − R)/(R − S), (R − P)/(T − P)} = 1/3 (Molander 1985; Nowak, M. A. &
Sigmund, K. (1992), "Tit for tat in heterogeneous populations", Nature 355). Relative gains
U = a_i − r·a_j (Grieco 1988; Powell 1991): δ*(r) = 0.5, 0.6471, 0.7778 at r = 0, 0.25, 0.5.
Linked issue breaking down with probability β (Lohmann 1997, JCR 41(1)): δ_eff = δ(1 − β).

Every number is computed by the engine from automata, chains of play and encoded games.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp

from equishift.games import NormalFormGame
from equishift.games.repeated import LinkedGame, RepeatedGame
from equishift.solver.reciprocity import (
    generosity_threshold,
    long_run_payoffs,
    outcome_distribution,
    play_chain,
    stationary,
    tit_for_tat,
)
from equishift.solver.repeated import critical_delta, delinked_thresholds, linked_threshold


def pd(t: int, r: int, p: int, s: int) -> NormalFormGame:
    return NormalFormGame.from_arrays(
        [[r, s], [t, p]], [[r, t], [s, p]], players=["US", "Russia"], strategies=[["C", "D"]] * 2
    )


PD = pd(5, 3, 1, 0)
QUARTER = Fraction(1, 4)


@pytest.mark.parametrize("eps", ["0.01", "0.1", "1/3", "0.5", "0.9"])
def test_tft_echo_visits_all_outcomes_equally(eps: str) -> None:
    chain = play_chain(tit_for_tat(), tit_for_tat(), eps=eps)
    assert stationary(chain).ergodic
    assert set(outcome_distribution(chain).values()) == {QUARTER}
    assert long_run_payoffs(chain, PD) == (Fraction(9, 4), Fraction(9, 4))


def test_tft_echo_for_symbolic_noise() -> None:
    """Any eps in (0, 1): the stationary distribution does not depend on eps."""
    eps = sp.Symbol("epsilon", positive=True)
    T, R, P, S = sp.symbols("T R P S")
    stage = {("C", "C"): (R, R), ("C", "D"): (S, T), ("D", "C"): (T, S), ("D", "D"): (P, P)}
    chain = play_chain(tit_for_tat(), tit_for_tat(), eps=eps)
    assert set(outcome_distribution(chain).values()) == {QUARTER}
    u1, _ = long_run_payoffs(chain, stage)
    assert sp.simplify(u1 - (R + S + T + P) / 4) == 0


def test_without_noise_tft_cooperates() -> None:
    assert long_run_payoffs(play_chain(tit_for_tat(), tit_for_tat()), PD) == (3, 3)


def test_generous_tft_threshold_one_third() -> None:
    res = generosity_threshold(PD)
    assert res.threshold == Fraction(1, 3)


@pytest.mark.parametrize(("t", "r", "p", "s"), [(5, 3, 1, 0), (7, 5, 1, 0), (4, 3, 0, -2)])
def test_generous_tft_matches_molander(t: int, r: int, p: int, s: int) -> None:
    expected = min(1 - Fraction(t - r, r - s), Fraction(r - p, t - p))
    assert generosity_threshold(pd(t, r, p, s)).threshold == expected


@pytest.mark.parametrize(
    ("weight", "expected", "rounded"),
    [
        ("0", Fraction(1, 2), 0.5),
        ("0.25", Fraction(11, 17), 0.6471),
        ("0.5", Fraction(7, 9), 0.7778),
    ],
)
def test_relative_gains(weight: str, expected: Fraction, rounded: float) -> None:
    star = critical_delta(RepeatedGame(PD, relative_gains=weight), ("C", "C")).delta_star
    assert star == expected
    assert round(float(star), 4) == rounded


@pytest.mark.parametrize("beta", ["0", "0.1", "0.25"])
def test_linked_breakdown_discounts_effectively(beta: str) -> None:
    """Linked to an issue that breaks down with probability beta: delta_eff = delta (1 - beta);
    separated, the Korean game keeps its own threshold."""
    b = Fraction(beta)
    noisy_issue = pd(5, 3, 1, 0)
    game = LinkedGame((PD, noisy_issue), issues=("Korea", "Ukraine"), breakdown=(0, b))
    base = linked_threshold(game.with_breakdown((0, 0)), [("C", "C")] * 2).delta_star
    linked = linked_threshold(game, [("C", "C")] * 2)
    assert linked.delta_star == base / (1 - b)
    for delta in (Fraction(1, 2), Fraction(11, 20), Fraction(3, 5), Fraction(7, 10)):
        assert linked.sustainable(delta) == (delta * (1 - b) >= base)
    korea, _ = delinked_thresholds(game.delinked(), [("C", "C")] * 2)
    assert korea.delta_star == Fraction(1, 2)
