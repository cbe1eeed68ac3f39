"""Correlated equilibria: polytope, exact checker, best CE by LP, vertices, comparison with Nash."""

from __future__ import annotations

import itertools
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equishift.games import GameError, NormalFormGame, SolverError
from equishift.solver import solve
from equishift.solver.correlated import (
    _build_lp,
    _dot,
    _exact_simplex,
    _objective_rows,
    best_correlated_equilibrium,
    compare_with_nash,
    correlated_polytope,
    correlated_vertices,
    is_correlated_equilibrium,
    obedience_slack,
    outcome_probability,
)

RE = ["Restrain", "Escalate"]


def chicken() -> NormalFormGame:
    return NormalFormGame.from_arrays(
        [[3, 2], [4, -10]], [[3, 4], [2, -10]], players=["DPRK", "US"], strategies=[RE, RE]
    )


def shapley() -> NormalFormGame:
    return NormalFormGame.from_arrays(
        [[0, 1, 2], [2, 0, 1], [1, 2, 0]], [[0, 2, 1], [1, 0, 2], [2, 1, 0]]
    )


def product_distribution(profile: tuple[tuple[F, ...], ...]) -> dict[tuple[str, ...], F]:
    out: dict[tuple[str, ...], F] = {}
    for idx in itertools.product(*(range(len(r)) for r in profile)):
        p = F(1)
        for i, k in enumerate(idx):
            p *= profile[i][k]
        out[tuple(str(k + 1) for k in idx)] = p
    return out


def test_polytope_is_inspectable() -> None:
    poly = correlated_polytope(chicken())
    assert poly.profiles[3] == ("Escalate", "Escalate")
    assert poly.rows == (
        ("DPRK", "Restrain", "Escalate"),
        ("DPRK", "Escalate", "Restrain"),
        ("US", "Restrain", "Escalate"),
        ("US", "Escalate", "Restrain"),
    )
    # Recommended Restrain: 12 p(R,E) - p(R,R) >= 0.
    assert poly.obedience[0].tolist() == [F(-1), F(12), F(0), F(0)]
    assert poly.A_ub.shape == (8, 4) and poly.b_ub.tolist() == [F(0)] * 8
    assert poly.A_eq.tolist() == [[F(1)] * 4] and poly.b_eq.tolist() == [F(1)]
    assert not poly.obedience.flags.writeable


def test_checker_is_exact() -> None:
    g = chicken()
    # On the boundary: 12 p(R,E) = p(R,R) exactly.
    edge = {
        ("Restrain", "Restrain"): F(12, 14),
        ("Restrain", "Escalate"): F(1, 14),
        ("Escalate", "Restrain"): F(1, 14),
    }
    assert is_correlated_equilibrium(g, edge)
    nudged = dict(edge)
    nudged[("Restrain", "Restrain")] += F(1, 10**30)
    nudged[("Restrain", "Escalate")] -= F(1, 10**30)
    assert not is_correlated_equilibrium(g, nudged)
    assert obedience_slack(g, edge)[("DPRK", "Restrain", "Escalate")] == 0
    # Arrays and string keys work too.
    assert is_correlated_equilibrium(g, np.array([[F(1, 3), F(1, 3)], [F(1, 3), 0]], dtype=object))
    assert is_correlated_equilibrium(g, {"Restrain, Escalate": 1})


def test_checker_rejects_bad_distributions() -> None:
    g = chicken()
    with pytest.raises(GameError, match="sums to"):
        is_correlated_equilibrium(g, {("Restrain", "Restrain"): F(1, 2)})
    with pytest.raises(GameError, match="negative"):
        is_correlated_equilibrium(g, [[F(3, 2), F(-1, 2)], [0, 0]])
    with pytest.raises(GameError, match="shape"):
        is_correlated_equilibrium(g, [1, 0, 0])


def test_float_game_uses_tolerance() -> None:
    g = chicken().to_float()
    assert is_correlated_equilibrium(g, [[6 / 7, 1 / 14], [1 / 14, 0.0]])
    assert not is_correlated_equilibrium(g, [[0.9, 0.05], [0.05, 0.0]])
    ce = best_correlated_equilibrium(g)
    assert not ce.exact and ce.tolerance >= 1e-9
    assert is_correlated_equilibrium(g, np.array(ce.probabilities).reshape(2, 2), tol=ce.tolerance)


@pytest.mark.parametrize("game", [chicken(), shapley()], ids=["chicken", "shapley"])
def test_every_nash_equilibrium_is_correlated(game: NormalFormGame) -> None:
    for eq in solve(game).equilibria:
        prof = tuple(tuple(F(p) for p in row) for row in eq.profile)
        dist = product_distribution(prof)
        labelled = {
            tuple(game.strategies[i][int(k) - 1] for i, k in enumerate(key)): p
            for key, p in dist.items()
        }
        assert is_correlated_equilibrium(game, labelled)


def test_best_ce_chicken_utilitarian_and_rawlsian() -> None:
    g = chicken()
    util = best_correlated_equilibrium(g)
    assert util.exact and util.value == 6
    assert util.optimality.startswith("exact")
    assert util.probability(("Escalate", "Escalate")) == 0
    fair = best_correlated_equilibrium(g, objective="rawlsian")
    assert fair.exact and fair.payoffs == (F(3), F(3)) and fair.value == 3
    weighted = best_correlated_equilibrium(g, weights=[1, 0])
    assert weighted.value == 4  # the DPRK's best: (Escalate, Restrain) for sure


def test_best_ce_shapley_game() -> None:
    g = shapley()
    ce = best_correlated_equilibrium(g)
    assert ce.exact and ce.value == 3  # every off-diagonal profile has welfare 3
    assert sum(ce.probabilities) == 1
    assert all(ce.probability((s, s)) == 0 for s in "123")
    fair = best_correlated_equilibrium(g, objective="rawlsian")
    assert fair.exact and fair.value == F(3, 2)


def test_exact_simplex_agrees_with_linprog() -> None:
    for g in (chicken(), shapley()):
        for obj in ("utilitarian", "rawlsian"):
            _, terms = _objective_rows(g, obj, None)
            lp, shift = _build_lp(g, terms)
            x = _exact_simplex(lp)
            n = g.n_profiles
            assert is_correlated_equilibrium(g, np.array(x[:n], dtype=object).reshape(g.shape))
            assert _dot(lp.c, x) + shift == best_correlated_equilibrium(g, objective=obj).value


def test_bad_arguments() -> None:
    with pytest.raises(SolverError, match="unknown objective"):
        best_correlated_equilibrium(chicken(), objective="nash")
    with pytest.raises(SolverError, match="weights"):
        best_correlated_equilibrium(chicken(), weights=[1])
    with pytest.raises(SolverError, match="exact"):
        correlated_vertices(chicken().to_float())
    with pytest.raises(SolverError, match="max_bases"):
        correlated_vertices(shapley(), max_bases=10)


def test_chicken_vertices() -> None:
    """The CE polytope of Chicken has five vertices: the three Nash equilibria and two more."""
    vs = correlated_vertices(chicken())
    ee = ("Escalate", "Escalate")
    got = {tuple(v.probabilities) for v in vs}
    assert got == {
        (F(6, 7), F(1, 14), F(1, 14), F(0)),
        (F(144, 169), F(12, 169), F(12, 169), F(1, 169)),
        (F(0), F(1), F(0), F(0)),
        (F(0), F(0), F(1), F(0)),
        (F(0), F(12, 25), F(12, 25), F(1, 25)),
    }
    assert all(v.exact and is_correlated_equilibrium(chicken(), v.by_label()) for v in vs)
    assert max(v.probability(ee) for v in vs) == F(1, 25)


def test_shapley_vertices_3x3() -> None:
    vs = correlated_vertices(shapley())
    assert vs and all(is_correlated_equilibrium(shapley(), v.by_label()) for v in vs)
    # The welfare optimum of an LP is attained at a vertex.
    assert max(sum(v.payoffs) for v in vs) == best_correlated_equilibrium(shapley()).value
    # The unique Nash equilibrium (uniform) is a CE but not necessarily a vertex; it is a
    # convex combination of vertices, so it lies inside their hull's payoff range.
    assert min(sum(v.payoffs) for v in vs) <= 2 <= max(sum(v.payoffs) for v in vs)


def test_compare_with_nash_in_chicken() -> None:
    ee = ("Escalate", "Escalate")
    fair = compare_with_nash(chicken(), objective="rawlsian", outcome=ee)
    assert fair.correlated_value == 3 and fair.nash_value == F(38, 13)
    assert fair.gain == F(1, 13)
    assert fair.correlated_outcome_probability == 0
    assert fair.nash_outcome_probability == F(1, 169)
    assert fair.nash_outcome_probabilities == (0, 0, F(1, 169))
    util = compare_with_nash(chicken(), outcome=ee)
    assert util.correlated_value == 6 and util.nash_value == 6 and util.gain == 0
    assert outcome_probability(chicken(), util.correlated, ee) == 0


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(-5, 5), min_size=8, max_size=8))
def test_best_ce_is_exact_and_dominates_nash(payoffs: list[int]) -> None:
    a = [payoffs[0:2], payoffs[2:4]]
    b = [payoffs[4:6], payoffs[6:8]]
    g = NormalFormGame.from_arrays(a, b)
    ce = best_correlated_equilibrium(g)
    assert ce.exact
    assert is_correlated_equilibrium(g, ce.by_label())
    best_ne = max(sum(e.payoffs) for e in solve(g).equilibria)
    assert ce.value >= best_ne


def test_fallbacks_when_rationalisation_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """Never an unverified exact CE: exact simplex first, then floats with a tolerance."""
    import equishift.solver.correlated as corr

    monkeypatch.setattr(corr, "_rationalize", lambda *args: None)
    ce = best_correlated_equilibrium(chicken(), objective="rawlsian")
    assert ce.exact and ce.method.startswith("exact simplex") and ce.value == 3
    assert ce.optimality == "exact (simplex)"
    monkeypatch.setattr(corr, "EXACT_SIMPLEX_MAX_PROFILES", 0)
    ce = best_correlated_equilibrium(chicken(), objective="rawlsian")
    assert not ce.exact and ce.tolerance >= 1e-9 and ce.optimality == "numerical (HiGHS)"
    assert abs(float(ce.value) - 3) < 1e-7


def test_three_player_game() -> None:
    rng = np.random.default_rng(7)
    g = NormalFormGame(rng.integers(-4, 5, size=(2, 2, 2, 3)))
    for objective in ("utilitarian", "rawlsian"):
        ce = best_correlated_equilibrium(g, objective=objective)
        assert ce.exact and is_correlated_equilibrium(g, ce.by_label())
    util = compare_with_nash(g)
    assert util.gain >= 0
    assert util.nash_complete == (not any("incomplete" in n for n in util.notes))


def test_active_set_resolve_when_rounding_fails() -> None:
    """With denominators capped at 2 the rounded point fails; the active-set re-solve wins."""
    ce = best_correlated_equilibrium(shapley(), max_denominator=2)
    assert ce.exact and "active constraints" in ce.method
    assert ce.value == 3 and is_correlated_equilibrium(shapley(), ce.by_label())
    assert ce.optimality.startswith("exact")


def test_optimality_by_simplex_when_duals_do_not_rationalise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import equishift.solver.correlated as corr

    monkeypatch.setattr(corr, "_dual_certificate", lambda *args: False)
    ce = best_correlated_equilibrium(chicken(), objective="rawlsian")
    assert ce.exact and ce.optimality == "exact (simplex)" and ce.value == 3


def test_exact_duals_from_the_tight_dual_constraints(monkeypatch: pytest.MonkeyPatch) -> None:
    """Duals that do not round (denominators capped at 1) are re-solved exactly instead."""
    import equishift.solver.correlated as corr

    def no_simplex(*args: object) -> None:
        raise AssertionError("the exact simplex should not be needed")

    monkeypatch.setattr(corr, "_exact_simplex", no_simplex)
    rng = np.random.default_rng(5)
    for _ in range(6):
        g = NormalFormGame(rng.integers(-20, 21, size=(3, 3, 2)))
        for objective in ("utilitarian", "rawlsian"):
            ce = best_correlated_equilibrium(g, objective=objective, max_denominator=1)
            assert ce.exact and ce.optimality == "exact (dual certificate)"
            assert is_correlated_equilibrium(g, ce.by_label())
