"""Unit tests for automata strategies, noisy chains of play and collective stability."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp

from equishift.games import GameError, NormalFormGame
from equishift.solver.reciprocity import (
    Automaton,
    alternate,
    always,
    collective_stability,
    discounted_payoffs,
    generous_tit_for_tat,
    grim,
    long_run_payoffs,
    outcome_distribution,
    play_chain,
    policy_mutants,
    stationary,
    tit_for_tat,
    win_stay_lose_shift,
)

PD = NormalFormGame.from_arrays(
    [[3, 0], [5, 1]], [[3, 5], [0, 1]], strategies=[["C", "D"], ["C", "D"]]
)


def test_builtin_automata() -> None:
    assert tit_for_tat().next_state("c", "C", "D") == "d"
    assert grim().next_state("d", "C", "C") == "d"
    wsls = win_stay_lose_shift()
    assert wsls.next_state("c", "C", "C") == "c"  # win: stay
    assert wsls.next_state("c", "C", "D") == "d"  # lose: shift
    assert wsls.next_state("d", "D", "D") == "c"  # lose: shift
    assert wsls.next_state("d", "D", "C") == "d"  # win: stay
    assert always("D").action("s") == {"C": 0, "D": 1}
    assert alternate().name == "ALT(DC)"
    assert generous_tit_for_tat("0.25").action("d")["C"] == Fraction(1, 4)
    assert tit_for_tat().rename("Reciprocity").name == "Reciprocity"


def test_automaton_validation() -> None:
    with pytest.raises(GameError):
        Automaton.build("x", initial="z", play={"a": "C"}, transition=lambda s, o, x: "a")
    with pytest.raises(GameError):
        Automaton.build("x", initial="a", play={"a": "E"}, transition=lambda s, o, x: "a")
    with pytest.raises(GameError):
        Automaton.build("x", initial="a", play={"a": {"E": 1}}, transition=lambda s, o, x: "a")
    with pytest.raises(GameError):
        Automaton.build("x", initial="a", play={"a": "C"}, transition=lambda s, o, x: "b")
    with pytest.raises(GameError):
        play_chain(tit_for_tat(), always("x", actions=("x", "y")))
    with pytest.raises(GameError):
        play_chain(tit_for_tat(), tit_for_tat(), eps=2)


def test_noiseless_chains() -> None:
    chain = play_chain(always("D"), tit_for_tat())
    assert long_run_payoffs(chain, PD) == (1, 1)
    alt = play_chain(alternate(), tit_for_tat())
    assert long_run_payoffs(alt, PD) == (Fraction(5, 2), Fraction(5, 2))  # T,S / S,T alternate
    w = sp.Symbol("w")
    v = discounted_payoffs(alt, PD, w)[0]
    assert sp.simplify(v - 5 / (1 + w)) == 0
    assert discounted_payoffs(alt, PD, Fraction(1, 2))[0] == Fraction(10, 3)


def test_non_ergodic_chain_is_reported() -> None:
    coin = Automaton.build(
        "COIN",
        initial="s",
        play={"s": {"C": "1/3", "D": "2/3"}, "c": "C", "d": "D"},
        transition=lambda s, own, other: ("c" if own == "C" else "d") if s == "s" else s,
    )
    res = stationary(play_chain(coin, always("C")))
    assert not res.ergodic
    assert len(res.classes) == 2
    assert res.absorption == (Fraction(1, 3), Fraction(2, 3))
    assert res.long_run[("s", "s")] == 0
    u1, _ = long_run_payoffs(play_chain(coin, always("C")), PD)
    assert u1 == Fraction(1, 3) * 3 + Fraction(2, 3) * 5


def test_noisy_grim_ends_in_defection() -> None:
    dist = outcome_distribution(play_chain(grim(), grim(), eps="0.05"))
    assert dist[("D", "D")] == Fraction(19, 20) ** 2


def test_wsls_recovers_from_errors() -> None:
    """Against itself WSLS restores cooperation after a single error: payoff well above TFT's."""
    eps = Fraction(1, 100)
    wsls = long_run_payoffs(play_chain(win_stay_lose_shift(), win_stay_lose_shift(), eps=eps), PD)
    tft = long_run_payoffs(play_chain(tit_for_tat(), tit_for_tat(), eps=eps), PD)
    assert wsls[0] > Fraction(29, 10) > tft[0]


def test_gtft_noisy_payoff_is_exact_and_beats_tft() -> None:
    eps = Fraction(1, 20)
    chain = play_chain(generous_tit_for_tat("1/3"), generous_tit_for_tat("1/3"), eps=eps)
    u1, u2 = long_run_payoffs(chain, PD)
    assert isinstance(u1, Fraction) and u1 == u2
    tft = long_run_payoffs(play_chain(tit_for_tat(), tit_for_tat(), eps=eps), PD)[0]
    assert tft < u1 < 3


def test_policy_mutants_cover_all_policies() -> None:
    names = [m.name for m in policy_mutants(tit_for_tat())]
    assert names == ["ALLC", "c→C d→D", "c→D d→C", "ALLD"]
    assert len(policy_mutants(grim())) == 4


def test_collective_stability_of_other_strategies() -> None:
    assert collective_stability(grim(), PD).threshold == Fraction(1, 2)
    assert collective_stability(always("D"), PD).threshold == 0
    allc = collective_stability(always("C"), PD)
    assert allc.threshold is None and allc.binding == ("ALLD",)
    wsls = collective_stability(win_stay_lose_shift(), PD)
    assert wsls.threshold is None  # 2R = T + P: ALLD gains for every w < 1


def test_collective_stability_with_extra_invaders_and_noise() -> None:
    res = collective_stability(tit_for_tat(), PD, extra_invaders=[alternate("C", "D")])
    assert res.threshold == Fraction(2, 3)
    # With noise a mutant that ignores the resident's own errors (it keeps cooperating while it
    # has not defected itself) does better than GRIM against GRIM for every w.
    noisy = collective_stability(grim(), PD, eps="0.01")
    assert noisy.threshold is None and noisy.binding == ("c→C d→D",)
