"""R1 and DF, symbolically: equilibrium conditions, mixing probabilities and thresholds.

Source: the shared design's MODELS.md, sections R1 (Stag Hunt engagement stage and the 2017
crisis as Chicken) and DF (dual freeze). Every number below comes out of the engine applied to
a :class:`~equishift.games.parametric.ParametricGame` whose payoffs are the named parameters
R, T, S, P (R_D, T_D, ... for the dual freeze): the conditions and probabilities are solved by
:mod:`equishift.solver.symbolic`, the thresholds confirmed by :func:`equishift.solver.solve`.
The formulas in the docstrings are the oracles, never used by the code.
"""

from __future__ import annotations

from fractions import Fraction as F

import pytest
import sympy

from equishift.games.parameters import Parameter, symbol
from equishift.games.parametric import ParametricGame
from equishift.solver import solve
from equishift.solver.symbolic import (
    equilibrium_conditions,
    mixed_equilibrium_conditions,
    regime_map,
    thresholds,
)

R, T, S, P = (symbol(n) for n in ("R", "T", "S", "P"))


def symmetric_2x2(
    labels: list[str], players: list[str], values: dict[str, object]
) -> ParametricGame:
    """The symmetric 2x2 game of MODELS.md's notation: (C,C)=R, (C,D)=(S,T), (D,D)=P."""
    c, d = labels
    return ParametricGame.from_mapping(
        {(c, c): ("R", "R"), (c, d): ("S", "T"), (d, c): ("T", "S"), (d, d): ("P", "P")},
        parameters=[
            Parameter("R", values["R"], note="mutual cooperation"),
            Parameter("T", values["T"], note="temptation: defect against a cooperator"),
            Parameter("S", values["S"], note="sucker: cooperate against a defector"),
            Parameter("P", values["P"], note="mutual defection"),
        ],
        players=players,
    )


def chicken() -> ParametricGame:
    """MODELS.md R1 baseline: the 2017 crisis, (3,3) (2,4) (4,2) (-10,-10)."""
    return symmetric_2x2(
        ["Restrain", "Escalate"], ["DPRK", "US"], {"R": 3, "T": 4, "S": 2, "P": -10}
    )


def stag_hunt() -> ParametricGame:
    """MODELS.md R1 baseline: the engagement stage, R=4, T=3, P=2, S=0."""
    return symmetric_2x2(["Engage", "Hedge"], ["DPRK", "US"], {"R": 4, "T": 3, "S": 0, "P": 2})


def dual_freeze() -> ParametricGame:
    """MODELS.md DF baseline, an asymmetric PD with every payoff a named parameter."""
    return ParametricGame.from_mapping(
        {
            ("Freeze", "Suspend"): ("R_D", "R_U"),
            ("Freeze", "Exercise"): ("S_D", "T_U"),
            ("Test", "Suspend"): ("T_D", "S_U"),
            ("Test", "Exercise"): ("P_D", "P_U"),
        },
        parameters=[
            Parameter("R_D", 3, note="DPRK payoff of the mutual freeze"),
            Parameter("R_U", 3, note="U.S.-ROK payoff of the mutual freeze"),
            Parameter("T_D", 5, range=(3, 8), note="a test is a permanent capability gain"),
            Parameter("T_U", 4, note="exercising against a freeze"),
            Parameter("S_D", 0, note="freezing while the allies exercise"),
            Parameter("S_U", 0, note="suspending while the DPRK tests"),
            Parameter("P_D", 1),
            Parameter("P_U", 1),
        ],
        players=["DPRK", "US-ROK"],
    )


# -- Chicken --------------------------------------------------------------------------------
def test_chicken_mixed_escalation_probability_symbolic() -> None:
    """MODELS.md R1: Chicken mixed equilibrium escalates with q = (T − R)/[(T − R) + (S − P)].

    (The mixed equilibrium of Chicken; see e.g. Rapoport & Chammah 1966, "The Game of Chicken",
    American Behavioral Scientist 10(3).)
    """
    m = mixed_equilibrium_conditions(chicken())
    oracle = (T - R) / ((T - R) + (S - P))
    for player in ("DPRK", "US"):
        q = m.probability(player, "Escalate")
        assert sympy.simplify(q - oracle) == 0
        assert sympy.simplify(m.probability(player, "Restrain") - (1 - oracle)) == 0


def test_chicken_mixed_escalation_is_one_thirteenth_at_baseline() -> None:
    """MODELS.md R1: q = 1/13 at (R, T, S, P) = (3, 4, 2, −10); crash probability q² = 1/169."""
    g = chicken()
    m = mixed_equilibrium_conditions(g)
    assert m.probability_at("DPRK", "Escalate") == F(1, 13)
    assert m.holds_at_point()
    # The solver, on the evaluated game, finds the same mixed equilibrium exactly.
    mixed = [e for e in solve(g.default()).equilibria if not e.is_pure]
    assert len(mixed) == 1
    probs = mixed[0].by_label()
    assert probs["DPRK"]["Escalate"] == probs["US"]["Escalate"] == F(1, 13)
    assert probs["DPRK"]["Escalate"] * probs["US"]["Escalate"] == F(1, 169)


def test_chicken_mixed_equilibrium_needs_chicken_ordering() -> None:
    """MODELS.md R1 notation: Chicken is T > R > S > P; the mixture is interior iff T > R, S > P.

    Each condition is the positivity of a mixing probability; at the Stag Hunt ordering
    (R > T, P > S) the same formulas still give an interior mixture (the unstable one).
    """
    g = chicken()
    m = mixed_equilibrium_conditions(g)
    assert m.holds_at_point(T=5, S=-1)
    assert not m.holds_at_point(T=2)  # R > T and S > P: escalation probability negative
    assert m.holds_at_point(R=4, T=3, S=0, P=2)


# -- Stag Hunt ------------------------------------------------------------------------------
def test_stag_hunt_mixed_probability_is_the_engagement_threshold() -> None:
    """MODELS.md R1: engage iff belief p ≥ p* = (P − S)/[(R − T) + (P − S)] (= 2/3; 1/3 at S=1.5).

    The mixed equilibrium makes the other side indifferent, so its engage probability is p*.
    Comparative statics (Jervis 1978, "Cooperation under the Security Dilemma", World Politics
    30(2)): ∂p*/∂R < 0, ∂p*/∂S < 0, ∂p*/∂T > 0, ∂p*/∂P > 0.
    """
    g = stag_hunt()
    m = mixed_equilibrium_conditions(g)
    p_star = m.probability("DPRK", "Engage")
    assert sympy.simplify(p_star - (P - S) / ((R - T) + (P - S))) == 0
    assert m.probability_at("DPRK", "Engage") == F(2, 3)
    assert m.probability_at("DPRK", "Engage", S="1.5") == F(1, 3)
    at = {symbol(n): v for n, v in (("R", 4), ("T", 3), ("S", 0), ("P", 2))}
    signs = {name: sympy.sign(sympy.diff(p_star, symbol(name)).xreplace(at)) for name in "RSTP"}
    assert signs == {"R": -1, "S": -1, "T": 1, "P": 1}


@pytest.mark.parametrize(
    ("parameter", "over", "threshold"),
    [("T", (0, 6), 4), ("S", (-2, 4), 2), ("R", (0, 6), 3), ("P", (-1, 5), 0)],
)
def test_stag_hunt_thresholds(parameter: str, over: tuple[int, int], threshold: int) -> None:
    """MODELS.md R1 Stag Hunt (R > T ≥ P > S): it stops being a Stag Hunt where an order flips.

    (Engage, Engage) is an equilibrium iff T ≤ R (threshold T = R = 4, or R = T = 3); mutual
    hedging iff S ≤ P (threshold S = P = 2, or P = S = 0). On the Stag Hunt side there are two
    pure equilibria and the mixed one (Skyrms 2004, "The Stag Hunt and the Evolution of Social
    Structure"); past the threshold only one pure equilibrium is left.
    """
    res = thresholds(stag_hunt(), parameter, over=over)
    assert res.values == (threshold,)
    assert not res.warnings
    stag = ("(Engage, Engage)", "(Hedge, Hedge)", "({Engage, Hedge}, {Engage, Hedge})")
    inside = res.equilibria_at(stag_hunt().parameters[parameter].value)
    assert inside == stag
    outside = [r.equilibria for r in res.regimes if not r.is_point and r.equilibria != stag]
    assert len(outside) == 1 and len(outside[0]) == 1


# -- Dual freeze ----------------------------------------------------------------------------
def test_dual_freeze_conditions() -> None:
    """MODELS.md DF: (Freeze, Suspend) is an equilibrium iff T_D ≤ R_D and T_U ≤ R_U.

    With the baseline numbers T_D = 5 > 3 and T_U = 4 > 3, so it is not (a PD: the unique
    equilibrium is (Test, Exercise), Pareto-dominated by the freeze; Friedman 1971, "A
    Non-cooperative Equilibrium for Supergames", Rev. Econ. Stud. 38(1), for the repeated fix).
    """
    g = dual_freeze()
    cond = equilibrium_conditions(g, ("Freeze", "Suspend"))
    assert [c.text for c in cond.conditions] == ["T_D <= R_D", "T_U <= R_U"]
    assert set(cond.relations) == {
        sympy.Le(symbol("T_D"), symbol("R_D"), evaluate=False),
        sympy.Le(symbol("T_U"), symbol("R_U"), evaluate=False),
    }
    assert not cond.holds_at(g)
    assert cond.holds_at(g, T_D=3, T_U=2)
    baseline = solve(g.default())
    assert [e.pure_profile() for e in baseline.equilibria] == [("Test", "Exercise")]


def test_dual_freeze_threshold_in_the_dprk_temptation() -> None:
    """MODELS.md DF: the freeze is an equilibrium iff T_D ≤ R_D, a threshold at T_D = 3 on [0, 8].

    The symbolic boundary T_D = R_D = 3 is found in both cases; whether the equilibrium set
    changes there depends on the U.S.-ROK side. In the baseline PD (T_U = 4 > R_U) exercising
    is dominant and nothing changes; in the security-seeker variant (MODELS.md DF, "Stag Hunt
    (both security seekers)", here T_U = 2 ≤ R_U) the freeze is an equilibrium exactly up to 3.
    """
    g = dual_freeze()
    baseline = thresholds(g, "T_D", over=(0, 8))
    assert 3 in baseline.candidates
    assert baseline.values == ()
    assert baseline.equilibria_at(0) == ("(Test, Exercise)",)

    variant = thresholds(g.with_parameter("T_U", 2), "T_D", over=(0, 8))
    assert variant.values == (3,)
    assert "(Freeze, Suspend)" in variant.equilibria_at(F(5, 2))
    assert "(Freeze, Suspend)" in variant.equilibria_at(3)  # weakly, at the threshold
    assert variant.equilibria_at(F(7, 2)) == ("(Test, Exercise)",)


def test_dual_freeze_regime_map() -> None:
    """MODELS.md DF: over (T_D, T_U), the freeze holds exactly on T_D ≤ R_D = 3, T_U ≤ R_U = 3.

    Each grid point is solved exactly; the symbolic side of the map gives the same boundary.
    """
    g = dual_freeze()
    m = regime_map(g, x=("T_D", 0, 8, 9), y=("T_U", 0, 8, 9))
    for t_d in m.xs:
        for t_u in m.ys:
            has_freeze = "(Freeze, Suspend)" in m.regime_at(t_d, t_u)
            assert has_freeze == (t_d <= 3 and t_u <= 3)
            assert "(Test, Exercise)" in m.regime_at(t_d, t_u)
    assert dict(m.conditions)["(Freeze, Suspend)"] == ("T_D <= 3", "T_U <= 3")
