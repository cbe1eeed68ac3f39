"""R1 — mediation, cheap talk and strategic information transmission.

Source: MODELS.md section R1 ("Russia encourages and supports every attempt at dialogue").
Baselines: the 2017 crisis as Chicken, DPRK × U.S. {Restrain, Escalate} with (3,3) (2,4) (4,2)
(−10,−10); the engagement stage as a Stag Hunt {Engage, Hedge} with R=4, T=3, P=2, S=0.
Changes and the results the engine must reproduce (computed, never typed into the code):

- (a) a mediator who recommends actions: correlated equilibria (Aumann, R. J. (1974),
  "Subjectivity and Correlation in Randomized Strategies", Journal of Mathematical Economics
  1(1), 67–96). In Chicken a mediator avoids the crash: the best correlated equilibrium puts
  probability 0 on (Escalate, Escalate) and gives each side 3 > 38/13, the payoff of the only
  symmetric Nash equilibrium, whose crash probability is (1/13)² = 1/169.
- (b) cheap talk before the choice (Baliga, S. & Sjöström, T. (2004), "Arms Races and
  Negotiations", Review of Economic Studies 71(2), 351–369): in the Stag Hunt, talk adds
  equilibria in which the message is followed by coordination; babbling equilibria remain.
- Crawford, V. P. & Sobel, J. (1982), "Strategic Information Transmission", Econometrica 50(6),
  1431–1451, uniform-quadratic case: a mediator's (sender's) talk is informative iff the bias
  b < 1/4; the largest partition has N(b) intervals, the largest N with 2N(N−1)b < 1.
"""

from __future__ import annotations

from fractions import Fraction as F

from equishift.games import NormalFormGame
from equishift.games.cheap_talk import with_cheap_talk
from equishift.solver import solve
from equishift.solver.cheap_talk import talk_equilibria
from equishift.solver.correlated import (
    best_correlated_equilibrium,
    compare_with_nash,
    correlated_vertices,
    is_correlated_equilibrium,
)
from equishift.solver.crawford_sobel import (
    informative_threshold,
    max_intervals,
    partition_equilibrium,
)
from equishift.solver.qre import qre_path

RE = ["Restrain", "Escalate"]
CRASH = ("Escalate", "Escalate")


def chicken() -> NormalFormGame:
    return NormalFormGame.from_arrays(
        [[3, 2], [4, -10]],
        [[3, 4], [2, -10]],
        players=["DPRK", "US"],
        strategies=[RE, RE],
        title="2017 crisis as Chicken",
    )


def stag_hunt() -> NormalFormGame:
    return NormalFormGame.from_arrays(
        [[4, 0], [3, 2]],
        [[4, 3], [0, 2]],
        players=["DPRK", "US"],
        strategies=[["Engage", "Hedge"]] * 2,
        title="Engagement as a Stag Hunt",
    )


def test_mediator_avoids_the_crash_in_chicken() -> None:
    """Aumann 1974 (MODELS.md R1 change a): the best CE beats every symmetric NE, no crash."""
    cmp = compare_with_nash(chicken(), objective="rawlsian", outcome=CRASH)
    assert cmp.nash_complete
    assert cmp.correlated.exact and cmp.correlated.optimality.startswith("exact")
    assert cmp.correlated.payoffs == (F(3), F(3))
    assert cmp.nash_value == F(38, 13) and cmp.gain == F(1, 13)
    assert cmp.correlated_outcome_probability == 0
    assert cmp.nash_outcome_probability == F(1, 169)  # q² with q = 1/13
    assert is_correlated_equilibrium(chicken(), cmp.correlated.by_label())


def test_mediator_welfare_against_every_nash_equilibrium() -> None:
    """Utilitarian: the best CE reaches the pure NE's welfare 6 without anyone conceding."""
    util = compare_with_nash(chicken(), outcome=CRASH)
    assert util.correlated_value == 6 and util.nash_value == 6
    assert util.correlated_outcome_probability == 0
    # The mixed NE loses 6 - 76/13 = 2/13 of welfare and risks a crash of 1/169.
    mixed = [e for e in solve(chicken()).equilibria if not e.is_pure]
    assert sum(mixed[0].payoffs) == F(76, 13)
    assert util.nash_outcome_probabilities == (0, 0, F(1, 169))


def test_crash_probability_is_bounded_on_the_whole_ce_polytope() -> None:
    """Over every CE (vertices of the polytope) the crash never exceeds 1/25."""
    vertices = correlated_vertices(chicken())
    assert len(vertices) == 5
    assert max(v.probability(CRASH) for v in vertices) == F(1, 25)
    fairest = best_correlated_equilibrium(chicken(), objective="rawlsian")
    assert fairest.probability(CRASH) == 0


def test_cheap_talk_in_the_stag_hunt() -> None:
    """Baliga & Sjöström 2004: talk adds coordinating equilibria; babbling remains."""
    talk = with_cheap_talk(stag_hunt(), ["I will engage", "I will hedge"])
    found = talk_equilibria(stag_hunt(), talk, solve(talk))
    follow = [
        t
        for t in found
        if t.responsive
        and t.messages == {("I will engage",): 1}
        and t.outcome == {("Engage", "Engage"): 1}
    ]
    assert follow
    assert follow[0].response("US") == {("I will engage",): "Engage", ("I will hedge",): "Hedge"}
    assert any(t.babbling and t.outcome == {("Hedge", "Hedge"): 1} for t in found)


def test_crawford_sobel_informative_iff_bias_below_a_quarter() -> None:
    """Crawford & Sobel 1982: N(b) ≥ 2 iff b < 1/4 (uniform-quadratic)."""
    assert informative_threshold() == F(1, 4)
    for b in (F(1, 5), F(24, 100), F(249, 1000)):
        assert max_intervals(b) >= 2 and partition_equilibrium(b).informative
    for b in (F(1, 4), F(1, 3), F(1)):
        assert max_intervals(b) == 1 and not partition_equilibrium(b).informative
    # N(b) is the largest N with 2N(N-1)b < 1.
    for b in (F(1, 10), F(1, 20), F(1, 100)):
        n = max_intervals(b)
        assert 2 * n * (n - 1) * b < 1 <= 2 * (n + 1) * n * b


def test_noisy_play_in_chicken_approaches_the_mixed_equilibrium() -> None:
    """Logit QRE (McKelvey & Palfrey 1995, Games Econ. Behav. 10(1)) tends to the mixed NE."""
    path = qre_path(chicken(), lam_max=500)
    assert path.verified and path.nash is not None
    assert path.nash.by_label()["US"] == {"Restrain": F(12, 13), "Escalate": F(1, 13)}
