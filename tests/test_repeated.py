"""Unit tests for repeated-game values and critical discount factors."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from equishift.games import GameError, NormalFormGame, SolverError
from equishift.games.repeated import LinkedGame, RepeatedGame
from equishift.solver.repeated import (
    contact_discount,
    critical_delta,
    delinked_thresholds,
    linked_threshold,
    max_contact_interval,
    minmax,
)


def pd(t: object = 5, r: object = 3, p: object = 1, s: object = 0) -> NormalFormGame:
    return NormalFormGame.from_arrays(
        [[r, s], [t, p]], [[r, t], [s, p]], players=["A", "B"], strategies=[["C", "D"]] * 2
    )


PD = pd()
MATCHING_PENNIES = NormalFormGame.from_arrays(
    [[1, -1], [-1, 1]], [[-1, 1], [1, -1]], strategies=[["H", "T"], ["H", "T"]]
)


# -- RepeatedGame ---------------------------------------------------------------------------
def test_repeated_game_is_immutable_and_records_changes() -> None:
    g = RepeatedGame(PD, delta="0.9")
    h = g.with_lapse("0.1").with_monitoring(detection="0.9", false_alarm="0.05")
    assert g.lapse == 0 and g.provenance == ()
    assert h.lapse == Fraction(1, 10) and h.detection == Fraction(9, 10)
    assert len(h.provenance) == 2
    with pytest.raises(AttributeError):
        g.delta = Fraction(1, 2)  # type: ignore[misc]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"delta": 1},
        {"delta": "-0.1"},
        {"detection": "1.5"},
        {"false_alarm": -1},
        {"lapse": 1},
        {"rate": 0, "contact_interval": 1},
        {"delta": "0.5", "rate": 1, "contact_interval": 1},
    ],
)
def test_repeated_game_rejects_bad_parameters(kwargs: dict[str, object]) -> None:
    with pytest.raises(GameError):
        RepeatedGame(PD, **kwargs)  # type: ignore[arg-type]


def test_stage_must_be_a_game() -> None:
    with pytest.raises(GameError, match="NormalFormGame"):
        RepeatedGame("not a game")  # type: ignore[arg-type]


def test_discount_from_contact() -> None:
    g = RepeatedGame(PD).with_contact(rate="0.5", contact_interval=2)
    assert g.discount == pytest.approx(math.exp(-1))
    assert g.with_delta("0.3").discount == Fraction(3, 10)
    assert RepeatedGame(PD).discount is None
    assert contact_discount("0.5", 2) == sp.exp(-1)
    assert contact_discount(0.5, 2) == pytest.approx(math.exp(-1))


def test_relative_gains_stage_n_players() -> None:
    g3 = NormalFormGame(np.arange(24).reshape(2, 2, 2, 3))
    eff = RepeatedGame(g3, relative_gains="1/2").effective_stage()
    u = g3.payoff(("1", "1", "1"))
    assert eff.payoff(("1", "1", "1"))[0] == u[0] - Fraction(1, 2) * (u[1] + u[2]) / 2
    flt = RepeatedGame(PD.to_float(), relative_gains=0.5).effective_stage()
    assert flt.payoff(("D", "C")) == (5.0, -2.5)


def test_linked_game_validation_and_combined_stage() -> None:
    other = NormalFormGame.from_arrays([[1, 0]], [[0, 1]], players=["X", "Y"])
    with pytest.raises(GameError, match="same players"):
        LinkedGame((PD, other))
    with pytest.raises(GameError):
        LinkedGame(())
    with pytest.raises(GameError):
        LinkedGame((PD, PD), issues=("a", "a"))
    with pytest.raises(GameError):
        LinkedGame((PD, PD), breakdown=(0,))
    lg = LinkedGame((PD, pd(4, 3, 0, -1)), breakdown=("0.1", "0.2"))
    c = lg.combined_stage()
    assert c.strategies[0] == ("C+C", "C+D", "D+C", "D+D")
    assert c.payoff(("D+C", "C+D")) == (5 + (-1), 0 + 4)
    assert lg.survival() == Fraction(9, 10) * Fraction(8, 10)
    assert lg.repeated(1).lapse == Fraction(1, 5)
    assert lg.delinked().relinked().linked
    assert LinkedGame((PD.to_float(), PD)).combined_stage().is_exact is False


# -- minmax ----------------------------------------------------------------------------------
def test_minmax_pure_and_mixed() -> None:
    assert minmax(MATCHING_PENNIES, 0, kind="pure").value == 1
    mixed = minmax(MATCHING_PENNIES, 1)
    assert mixed.value == 0 and mixed.exact
    assert minmax(PD, "A").value == 1
    with pytest.raises(SolverError):
        minmax(PD, 0, kind="other")


def test_minmax_rationalised_value() -> None:
    g = NormalFormGame.from_arrays([[3, -1], [-2, 4]], [[0, 0], [0, 0]])
    m = minmax(g, 0)
    assert m.exact and m.value == Fraction(1, 1)
    assert sum(m.punishment.values()) == 1


def test_correlated_minmax_three_players() -> None:
    """Player 3 is punished by a correlated mixture of players 1 and 2."""
    u = np.zeros((2, 2, 2, 3), dtype=np.int64)
    # player 3 gets 1 when its action matches the parity of the others' actions
    for a in range(2):
        for b in range(2):
            for c in range(2):
                u[a, b, c, 2] = int((a + b) % 2 == c)
    g = NormalFormGame(u)
    corr = minmax(g, 2)
    assert corr.exact and corr.value == Fraction(1, 2)
    assert minmax(g, 2, kind="pure").value == 1


def test_minmax_float_game() -> None:
    m = minmax(MATCHING_PENNIES.to_float(), 0)
    assert not m.exact and m.value == pytest.approx(0.0)


# -- critical_delta -------------------------------------------------------------------------
def test_mixed_reversion_when_no_pure_stage_equilibrium() -> None:
    th = critical_delta(MATCHING_PENNIES, ("H", "H"))
    p1, p2 = th.players
    assert p1.delta_star == 0  # player 1 already best-responds at (H, H)
    assert p2.punishment_payoff == 0 and p2.delta_star is None  # -1 < 0: never
    assert "1/2" in p2.punishment


def test_caller_chooses_reversion() -> None:
    stag = NormalFormGame.from_arrays([[4, 0], [3, 1]], [[4, 3], [0, 1]])
    assert critical_delta(stag, ("1", "1"), reversion=("2", "2")).delta_star == 0
    three = NormalFormGame.from_arrays(
        [[3, 0, 0], [5, 1, 0], [0, 0, 2]], [[3, 5, 0], [0, 1, 0], [0, 0, 2]]
    )
    worst = critical_delta(three, ("1", "1"))  # default: worst pure NE (2,2) for each
    assert worst.delta_star == Fraction(1, 2)
    chosen = critical_delta(three, ("1", "1"), reversion=("3", "3"))
    assert chosen.delta_star == Fraction(2, 3)
    with pytest.raises(SolverError, match="not a Nash"):
        critical_delta(three, ("1", "1"), reversion=("1", "1"))


def test_minmax_punishment_is_never_weaker_than_nash() -> None:
    g = NormalFormGame.from_arrays([[3, 0, 0], [4, 2, -5]], [[3, 4, 0], [0, 2, 1]])
    nash = critical_delta(g, (0, 0)).delta_star
    harsh = critical_delta(g, (0, 0), punishment="mixed_minmax")
    assert harsh.delta_star is not None and nash is not None
    assert harsh.delta_star <= nash
    assert harsh.notes


def test_float_game_thresholds() -> None:
    th = critical_delta(PD.to_float(), ("C", "C"), detection=0.95, false_alarm=0.02)
    assert th.delta_star == pytest.approx(100 / 191)


def test_symbolic_payoffs_and_monitoring() -> None:
    T, R, P, S, q = sp.symbols("T R P S q", positive=True)
    stage = {("C", "C"): (R, R), ("C", "D"): (S, T), ("D", "C"): (T, S), ("D", "D"): (P, P)}
    th = critical_delta(stage, ("C", "C"), reversion=("D", "D"), detection=q)
    expected = (T - R) / (q * (R - P) + (T - R))
    assert sp.simplify(th.players[0].delta_star - expected) == 0
    assert th.delta_star is not None
    with pytest.raises(SolverError, match="symbolic"):
        th.sustainable("0.5")
    with pytest.raises(SolverError):
        critical_delta(stage, ("C", "C"))
    with pytest.raises(SolverError):
        critical_delta(stage, ("C", "C"), punishment="pure_minmax")


def test_symbolic_numbers_fall_back_to_exact() -> None:
    stage = {("C", "C"): (3, 3), ("C", "D"): (0, 5), ("D", "C"): (5, 0), ("D", "D"): (1, 1)}
    th = critical_delta(stage, ("C", "C"), reversion=("D", "D"), detection=sp.Rational(1, 2))
    assert th.delta_star == Fraction(2, 3)


def test_bad_arguments() -> None:
    with pytest.raises(SolverError):
        critical_delta(PD, ("C", "C"), punishment="worst")
    with pytest.raises(SolverError):
        critical_delta(42, ("C", "C"))  # type: ignore[arg-type]
    with pytest.raises(GameError):
        critical_delta(PD, ("C", "X"))
    with pytest.raises(SolverError):
        linked_threshold(LinkedGame((PD, PD)), [("C", "C")])


def test_single_strategy_player_has_no_deviation() -> None:
    g = NormalFormGame.from_arrays([[1], [2]], [[5], [0]])
    th = critical_delta(g, ("1", "1"))
    assert th.players[1].deviation == () and th.players[1].delta_star == 0


def test_max_contact_interval_edges() -> None:
    assert max_contact_interval(Fraction(0), 1) == math.inf
    assert max_contact_interval(None, 1) is None
    assert max_contact_interval(0.5, 1.0) == pytest.approx(math.log(2))
    with pytest.raises(SolverError):
        max_contact_interval(Fraction(1, 2), 0)


def test_delinked_uses_own_breakdown() -> None:
    lg = LinkedGame((PD, PD), breakdown=(0, "0.2"))
    a, b = delinked_thresholds(lg.delinked(), [("C", "C")] * 2)
    assert (a.delta_star, b.delta_star) == (Fraction(1, 2), Fraction(5, 8))


# -- the derived threshold against the value recursion, independently ------------------------
def _values(
    u: Fraction, d: Fraction, v: Fraction, q: Fraction, e: Fraction, lam: Fraction, delta: Fraction
) -> tuple[Fraction, Fraction]:
    """Cooperation and one-shot deviation values from the recursion, solved with Fractions."""
    keep = delta * (1 - lam)
    coop = ((1 - delta) * u + keep * e * v + delta * lam * v) / (1 - keep * (1 - e))
    dev = (1 - delta) * d + keep * ((1 - q) * coop + q * v) + delta * lam * v
    return coop, dev


fractions_ = st.fractions(min_value=0, max_value=1, max_denominator=20)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6), st.integers(1, 6), st.integers(0, 4), fractions_, fractions_, fractions_)
def test_threshold_is_where_the_recursion_binds(
    gain: int, loss: int, u: int, q: Fraction, e: Fraction, lam: Fraction
) -> None:
    assume(lam < 1)
    T, R, P = Fraction(u + gain), Fraction(u), Fraction(u - loss)
    game = pd(T, R, P, P - 1)
    star = critical_delta(game, ("C", "C"), detection=q, false_alarm=e, lapse=lam).delta_star
    if star is None:  # never: deviation pays even for delta just below 1
        coop, dev = _values(R, T, P, q, e, lam, Fraction(999, 1000))
        assert dev > coop
        return
    coop, dev = _values(R, T, P, q, e, lam, star)
    assert coop == dev
    above = (star + 1) / 2
    coop, dev = _values(R, T, P, q, e, lam, above)
    assert coop > dev
    if star > 0:
        coop, dev = _values(R, T, P, q, e, lam, star / 2)
        assert coop < dev
