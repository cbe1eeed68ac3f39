"""Equilibrium selection and welfare: dominance, risk dominance, thresholds, basins, PoA."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from equishift.games import GameError, NormalFormGame
from equishift.solver import solve
from equishift.solver.selection import (
    basins_best_response,
    basins_replicator,
    pareto_dominates,
    pareto_efficient,
    payoff_dominant,
    price_of_anarchy,
    rawlsian,
    risk_dominance,
    risk_dominant,
    strict_pure_equilibria,
    threshold_belief,
    utilitarian,
    welfare,
)


def sym(R: object, S: object, T: object, P: object) -> NormalFormGame:
    return NormalFormGame.from_arrays(
        [[R, S], [T, P]], [[R, T], [S, P]], strategies=[["C", "D"], ["C", "D"]]
    )


STAG = sym(4, 0, 3, 2)
CHICKEN = sym(3, 2, 4, -10)
PD = sym(3, 0, 5, 1)
PENNIES = NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])


# -- Pareto / payoff dominance ---------------------------------------------------------------


def test_pareto_dominates() -> None:
    assert pareto_dominates((2, 2), (1, 2))
    assert not pareto_dominates((2, 2), (2, 2))
    assert not pareto_dominates((2, 2), (1, 2), strict=True)
    assert pareto_dominates((2, 3), (1, 2), strict=True)
    with pytest.raises(GameError):
        pareto_dominates((1,), (1, 2))


def test_payoff_dominance_stag_hunt_and_chicken() -> None:
    stag = solve(STAG)
    best = payoff_dominant(stag)
    assert best is not None and best.pure_profile() == ("C", "C")
    assert [e.pure_profile() for e in pareto_efficient(stag)] == [("C", "C")]
    assert payoff_dominant(solve(CHICKEN)) is None
    only = payoff_dominant(solve(PD))
    assert only is not None and only.pure_profile() == ("D", "D")


# -- risk dominance --------------------------------------------------------------------------


@st.composite
def two_strict_diagonal(draw: st.DrawFn) -> NormalFormGame:
    """2x2 games with strict equilibria (1,1) and (2,2): a11 > a21, a22 > a12, b11 > b12, ..."""
    a21, a12, b12, b21 = (draw(st.integers(-20, 20)) for _ in range(4))
    a11 = a21 + draw(st.integers(1, 20))
    a22 = a12 + draw(st.integers(1, 20))
    b11 = b12 + draw(st.integers(1, 20))
    b22 = b21 + draw(st.integers(1, 20))
    return NormalFormGame.from_arrays([[a11, a12], [a21, a22]], [[b11, b12], [b21, b22]])


@settings(max_examples=200, deadline=None)
@given(two_strict_diagonal())
def test_risk_dominance_matches_harsanyi_selten_formula(game: NormalFormGame) -> None:
    a = [[int(v) for v in row] for row in game.payoff_array(0).tolist()]
    b = [[int(v) for v in row] for row in game.payoff_array(1).tolist()]
    lhs = (a[0][0] - a[1][0]) * (b[0][0] - b[0][1])
    rhs = (a[1][1] - a[0][1]) * (b[1][1] - b[1][0])
    r = risk_dominance(game, ("1", "1"), ("2", "2"))
    expected = ("1", "1") if lhs > rhs else ("2", "2") if rhs > lhs else None
    assert r.dominant == expected
    assert r.products == (lhs, rhs)
    assert "Harsanyi–Selten" in r.method
    assert risk_dominant(game).dominant == expected
    # Equivalent characterisation through the engine's threshold beliefs: (1,1) risk-dominates
    # iff the two indifference beliefs on strategy 1 sum to less than 1.
    p = threshold_belief(game, 0, "1").p
    q = threshold_belief(game, 1, "1").p
    assert p is not None and q is not None
    assert (p + q < 1) == (expected == ("1", "1"))
    assert (p + q == 1) == (expected is None)


@settings(max_examples=60, deadline=None)
@given(two_strict_diagonal(), st.booleans(), st.booleans())
def test_risk_dominance_follows_relabelling(game: NormalFormGame, rows: bool, cols: bool) -> None:
    A = np.asarray(game.payoff_array(0))
    B = np.asarray(game.payoff_array(1))
    ra = slice(None, None, -1) if rows else slice(None)
    ca = slice(None, None, -1) if cols else slice(None)
    other = NormalFormGame.from_arrays(
        A[ra, ca], B[ra, ca], strategies=[["1", "2"][ra], ["1", "2"][ca]]
    )
    assert risk_dominant(other).dominant == risk_dominant(game).dominant


def test_risk_dominance_needs_strict_equilibria() -> None:
    with pytest.raises(GameError, match="strict pure equilibria"):
        risk_dominance(STAG, ("C", "D"), ("D", "D"))
    with pytest.raises(GameError, match="two different"):
        risk_dominance(STAG, ("C", "C"), ("C", "C"))
    res = risk_dominant(PD)
    assert res.dominant == ("D", "D") and res.comparisons == ()
    assert risk_dominant(PENNIES).dominant is None


def test_risk_dominance_larger_game_states_its_method() -> None:
    # Three-player coordination: all-1 pays 1 each, all-2 pays 2 each, otherwise 0.
    u = np.zeros((2, 2, 2), dtype=np.int64)
    u[0, 0, 0], u[1, 1, 1] = 1, 2
    game = NormalFormGame.from_arrays(u, u, u)
    res = risk_dominant(game)
    assert res.dominant == ("2", "2", "2")
    assert "pairwise" in res.method and "not the full tracing procedure" in res.method
    assert strict_pure_equilibria(game) == (("1", "1", "1"), ("2", "2", "2"))
    # A 3x3 two-player game uses the pairwise criterion too.
    A = [[5, 0, 0], [0, 3, 0], [0, 0, 1]]
    res2 = risk_dominant(NormalFormGame.from_arrays(A, A))
    assert res2.dominant == ("1", "1") and len(res2.comparisons) == 3
    assert "pairwise" in res2.method


def test_risk_dominant_tie_and_non_strict_note() -> None:
    tie = sym(2, 0, 0, 2)
    assert risk_dominant(tie).dominant is None
    weak = NormalFormGame.from_arrays([[1, 1], [0, 1]], [[1, 0], [1, 1]])
    notes = " ".join(risk_dominant(weak).notes)
    assert "non-strict" in notes


# -- threshold beliefs ----------------------------------------------------------------------


def test_threshold_belief_stag_hunt_and_directions() -> None:
    t = threshold_belief(STAG, 0, "C")
    assert (t.p, t.direction, t.threshold) == (F(2, 3), "at least", F(2, 3))
    h = threshold_belief(STAG, "Player 2", "D")
    assert (h.p, h.direction, h.opponent_strategy) == (F(1, 3), "at least", "D")
    # In the PD cooperation is never a best response; defection always is.
    assert threshold_belief(PD, 0, "C").direction == "never"
    assert threshold_belief(PD, 0, "D").direction == "always"
    assert threshold_belief(PD, 0, "D").threshold is None
    # In Chicken escalating is best iff the other restrains with probability >= 12/13.
    c = threshold_belief(CHICKEN, 0, "D", opponent_strategy="C")
    assert (c.p, c.direction) == (F(12, 13), "at least")
    c2 = threshold_belief(CHICKEN, 0, "D", opponent_strategy="D")
    assert (c2.p, c2.direction) == (F(1, 13), "at most")


def test_threshold_belief_needs_two_players_and_two_alternatives() -> None:
    with pytest.raises(GameError):
        threshold_belief(NormalFormGame.from_arrays([[1, 2]], [[1, 2]], [[1, 2]]), 0, "1")
    g = NormalFormGame.from_arrays([[1, 2, 3], [1, 2, 3]], [[1, 2, 3], [1, 2, 3]])
    with pytest.raises(GameError, match="alternative"):
        threshold_belief(g, 1, "1")
    t = threshold_belief(g, 1, "1", alternative="3")
    assert t.direction == "never"


def test_float_threshold() -> None:
    t = threshold_belief(STAG.to_float(), 0, "C")
    assert t.p == pytest.approx(2 / 3)


# -- basins ----------------------------------------------------------------------------------


def _total(b: object) -> F:
    shares = b.shares  # type: ignore[attr-defined]
    return sum(shares.values(), F(0)) + b.undecided  # type: ignore[attr-defined, no-any-return]


def test_best_response_basins_stag_hunt() -> None:
    b = basins_best_response(STAG, resolution=12)
    assert b.n_points == 13 * 13 and _total(b) == 1
    # The risk-dominant (D, D) has the larger basin; points exactly at p* = 2/3 are undecided.
    assert b.shares[("D", "D")] > b.shares[("C", "C")] > 0
    assert b.undecided > 0
    # Both beliefs above p*: straight to (C, C); both below: (D, D).
    assert b.shares[("C", "C")] >= F(16, 169)
    assert b.shares[("D", "D")] >= F(64, 169)


def test_best_response_basins_other_games() -> None:
    pd = basins_best_response(PD, resolution=5)
    assert pd.shares == {("D", "D"): 1} and pd.undecided == 0
    mp = basins_best_response(PENNIES, resolution=4)
    assert mp.shares == {} and mp.undecided == 1
    ch = basins_best_response(CHICKEN, resolution=8, step=F(1, 4))
    assert ch.shares[("C", "D")] == ch.shares[("D", "C")] > 0  # symmetric game, symmetric basins
    assert _total(ch) == 1
    with pytest.raises(GameError):
        basins_best_response(STAG, step=0)


def test_replicator_basins() -> None:
    two = basins_replicator(STAG, resolution=6)
    assert two.n_points == 25 and _total(two) == 1
    assert two.shares[("D", "D")] > two.shares[("C", "C")] > 0
    one = basins_replicator(STAG, resolution=12, single_population=True)
    # Single population: C wins iff the initial share of C exceeds p* = 2/3 (x = 9/12 .. 11/12);
    # x = 8/12 is the mixed rest point itself.
    assert one.shares[("C", "C")] == F(3, 11)
    assert one.shares[("D", "D")] == F(7, 11)
    assert one.undecided == F(1, 11)
    assert "rtol" in " ".join(one.notes)
    mp = basins_replicator(PENNIES, resolution=4)
    assert mp.undecided == 1
    with pytest.raises(GameError, match="symmetric"):
        basins_replicator(PENNIES, single_population=True)


# -- welfare ---------------------------------------------------------------------------------


def test_welfare_measures() -> None:
    assert utilitarian((F(1), F(2))) == 3
    assert utilitarian((1.5, 2.0)) == 3.5
    assert rawlsian((F(3), F(-10))) == -10
    ws = welfare(solve(CHICKEN))
    assert [w.utilitarian for w in ws] == [6, 6, F(76, 13)]
    assert [w.rawlsian for w in ws] == [2, 2, F(38, 13)]


def test_price_of_anarchy_ratio_and_difference() -> None:
    shifted = sym(4, 1, 6, 2)  # PD with positive payoffs
    eff = price_of_anarchy(shifted)
    assert (eff.kind, eff.optimum, eff.worst_equilibrium) == ("ratio", 8, 4)
    assert eff.price_of_anarchy == 2 and eff.price_of_stability == 2
    assert eff.optimal_profiles == (("C", "C"),)
    coord = sym(2, 1, 1, 1)  # (C,C) and (D,D) and a continuum; all payoffs positive
    sol = solve(coord)
    e2 = price_of_anarchy(coord, sol)
    assert e2.price_of_stability == 1 and e2.price_of_anarchy == 2
    # Chicken has negative payoffs: ratios undefined, differences reported.
    e3 = price_of_anarchy(CHICKEN)
    assert e3.kind == "difference" and e3.price_of_anarchy is None
    assert e3.optimum == 6 and e3.anarchy_gap == 6 - F(76, 13) and e3.stability_gap == 0
    assert any("not positive" in n for n in e3.notes)
    e4 = price_of_anarchy(CHICKEN, measure="rawlsian")
    assert e4.optimum == 3 and e4.best_equilibrium == F(38, 13)
    with pytest.raises(GameError):
        price_of_anarchy(CHICKEN, measure="nash")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 9), min_size=8, max_size=8))
def test_price_of_anarchy_bounds(values: list[int]) -> None:
    game = NormalFormGame(np.array(values).reshape(2, 2, 2))
    eff = price_of_anarchy(game)
    assume(eff.kind == "ratio")
    assert eff.price_of_anarchy is not None and eff.price_of_stability is not None
    assert eff.price_of_anarchy >= eff.price_of_stability >= 1
    assert eff.anarchy_gap >= eff.stability_gap >= 0


# -- symmetric N-player binary-action games --------------------------------------------------


def test_symmetric_equilibria_checks_symmetry_and_shape() -> None:
    from equishift.solver.symmetric import symmetric_equilibria, volunteers_dilemma

    with pytest.raises(GameError, match="not symmetric"):
        symmetric_equilibria(NormalFormGame.from_arrays([[1, 0], [0, 1]], [[0, 1], [1, 0]]))
    with pytest.raises(GameError, match="2 strategies"):
        symmetric_equilibria(NormalFormGame.from_arrays([[1, 0, 0]], [[1, 0, 0]]))
    with pytest.raises(GameError):
        volunteers_dilemma(1)
    with pytest.raises(GameError, match="cost"):
        volunteers_dilemma(3, benefit=1, cost=2)


def test_symmetric_equilibria_pure_mixed_and_degenerate() -> None:
    from equishift.solver.symmetric import symmetric_equilibria

    res = symmetric_equilibria(STAG)
    assert [(e.kind, e.p) for e in res.equilibria] == [("pure", 0), ("pure", 1), ("mixed", F(2, 3))]
    assert all(e.is_rational and e.regret == 0 for e in res.equilibria)
    assert [e.p for e in symmetric_equilibria(PD).equilibria] == [0]
    flat = symmetric_equilibria(sym(1, 1, 1, 1))
    assert not flat.complete and "identically 0" in flat.notes[-1]


def test_symmetric_equilibria_irrational_root_is_verified() -> None:
    """Three players; D(p) = p^2 - 1/2 has the irrational root p = 1/sqrt(2)."""
    import sympy as sp

    from equishift.solver.symmetric import binary_payoff_functions, symmetric_equilibria

    a = [F(-1, 2), F(-1, 2), F(1, 2)]  # first action's payoff with k others on it
    u = np.empty((2, 2, 2, 3), dtype=object)
    for prof in np.ndindex(2, 2, 2):
        for i in range(3):
            k = sum(1 for j in range(3) if j != i and prof[j] == 0)
            u[(*prof, i)] = a[k] if prof[i] == 0 else F(0)
    game = NormalFormGame(u)
    assert binary_payoff_functions(game)[0] == tuple(a)
    res = symmetric_equilibria(game)
    mixed = [e for e in res.equilibria if e.kind == "mixed"]
    assert len(mixed) == 1 and not mixed[0].is_rational
    assert sp.simplify(mixed[0].p - 1 / sp.sqrt(2)) == 0
    assert float(mixed[0].regret) <= 1e-9
    floats = symmetric_equilibria(game.to_float())
    assert [e.kind for e in floats.equilibria] == [e.kind for e in res.equilibria]
