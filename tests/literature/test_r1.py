"""R1 — Russia supports every attempt at dialogue: Stag Hunt thresholds, risk dominance, Chicken.

Source: MODELS.md section R1. Engagement stage as a Stag Hunt {Engage, Hedge} with R=4, T=3,
P=2, S=0; the 2017 crisis as Chicken {Restrain, Escalate} with (3,3) (2,4) (4,2) (−10,−10).
Results reproduced from the engine (never typed into the code):

- engage iff belief p ≥ p* = (P − S)/[(R − T) + (P − S)] = 2/3, and 1/3 with S = 1.5;
- (C,C) risk-dominates iff R − T > P − S (Harsanyi, J. C. & Selten, R. (1988), "A General
  Theory of Equilibrium Selection in Games", MIT Press, ch. 3);
- Chicken mixed equilibrium escalates with q = (T − R)/[(T − R) + (S − P)] = 1/13, so the crash
  has probability q² = 1/169;
- Jervis' levers (Jervis, R. (1978), "Cooperation under the Security Dilemma", World Politics
  30(2)): ∂p*/∂R < 0, ∂p*/∂S < 0, ∂p*/∂T > 0, ∂p*/∂P > 0.

The formulas above are the oracles; the engine solves the indifference condition on the encoded
game (selection.threshold_belief), compares Nash products (selection.risk_dominant) and
enumerates equilibria (solver.solve).
"""

from __future__ import annotations

from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equishift.games import NormalFormGame
from equishift.games.taxonomy import classify
from equishift.solver import solve
from equishift.solver.selection import risk_dominant, threshold_belief

LABELS = ["Engage", "Hedge"]


def stag_hunt(R: object, T: object, P: object, S: object) -> NormalFormGame:
    return NormalFormGame.from_arrays(
        [[R, S], [T, P]],
        [[R, T], [S, P]],
        players=["DPRK", "US"],
        strategies=[LABELS, LABELS],
        title="Engagement as a Stag Hunt",
    )


def p_star(game: NormalFormGame) -> F:
    """The engine's threshold: belief that the other engages at which engaging becomes best."""
    t = threshold_belief(game, "DPRK", "Engage")
    assert t.direction == "at least"
    assert isinstance(t.p, F)
    return t.p


def test_stag_hunt_threshold_two_thirds() -> None:
    """MODELS.md R1: p* = 2/3 for R=4, T=3, P=2, S=0 (Jervis 1978)."""
    game = stag_hunt(4, 3, 2, 0)
    assert classify(game).name == "Stag Hunt"
    assert p_star(game) == F(2, 3)
    # The threshold is also the mixed equilibrium the solver finds.
    mixed = [e for e in solve(game).equilibria if not e.is_pure]
    assert len(mixed) == 1
    assert mixed[0].by_label()["US"]["Engage"] == F(2, 3)


def test_reversible_first_steps_lower_the_threshold() -> None:
    """MODELS.md R1 change (c): raising S to 1.5 gives p* = 1/3."""
    assert p_star(stag_hunt(4, 3, 2, "1.5")) == F(1, 3)


def test_payoff_dominant_is_not_risk_dominant_at_baseline() -> None:
    """Harsanyi & Selten 1988: R − T = 1 < P − S = 2, so (Hedge, Hedge) risk-dominates."""
    assert risk_dominant(stag_hunt(4, 3, 2, 0)).dominant == ("Hedge", "Hedge")
    assert risk_dominant(stag_hunt(4, 3, 2, "1.5")).dominant == ("Engage", "Engage")


@settings(max_examples=80, deadline=None)
@given(
    st.fractions(min_value=-10, max_value=10),
    st.fractions(min_value=F(1, 100), max_value=10),
    st.fractions(min_value=F(0), max_value=10),
    st.fractions(min_value=F(1, 100), max_value=10),
)
def test_cc_risk_dominates_iff_r_minus_t_exceeds_p_minus_s(
    S: F, p_gap: F, t_gap: F, r_gap: F
) -> None:
    """MODELS.md R1, Harsanyi & Selten 1988: (C,C) risk-dominates iff R − T > P − S.

    Stag Hunts R > T ≥ P > S drawn as S, P = S + p_gap, T = P + t_gap, R = T + r_gap.
    """
    P = S + p_gap
    T = P + t_gap
    R = T + r_gap
    game = stag_hunt(R, T, P, S)
    dominant = risk_dominant(game).dominant
    if R - T > P - S:
        assert dominant == ("Engage", "Engage")
    elif R - T < P - S:
        assert dominant == ("Hedge", "Hedge")
    else:
        assert dominant is None
    # Risk dominance of (C,C) is the same as p* < 1/2.
    assert (dominant == ("Engage", "Engage")) == (p_star(game) < F(1, 2))


def test_chicken_mixed_equilibrium_and_crash_probability() -> None:
    """MODELS.md R1: Chicken (3,3)(2,4)(4,2)(−10,−10): escalate 1/13, crash 1/169."""
    game = NormalFormGame.from_arrays(
        [[3, 2], [4, -10]],
        [[3, 4], [2, -10]],
        players=["DPRK", "US"],
        strategies=[["Restrain", "Escalate"]] * 2,
    )
    sol = solve(game)
    assert sol.complete and sol.exact
    mixed = [e for e in sol.equilibria if not e.is_pure]
    assert len(mixed) == 1
    probs = mixed[0].by_label()
    q_dprk, q_us = probs["DPRK"]["Escalate"], probs["US"]["Escalate"]
    assert q_dprk == q_us == F(1, 13)
    assert q_dprk * q_us == F(1, 169)
    pure = sorted(e.pure_profile() for e in sol.equilibria if e.is_pure)  # type: ignore[type-var]
    assert pure == [("Escalate", "Restrain"), ("Restrain", "Escalate")]


@pytest.mark.parametrize(
    ("lever", "sign"),
    [("R", -1), ("S", -1), ("T", 1), ("P", 1)],
)
@pytest.mark.parametrize("base", [(4, 3, 2, 0), (4, 3, 2, F(3, 2)), (5, 4, 1, 0)])
def test_jervis_comparative_statics(lever: str, sign: int, base: tuple[F, F, F, F]) -> None:
    """Jervis 1978 via MODELS.md R1: ∂p*/∂R < 0, ∂p*/∂S < 0, ∂p*/∂T > 0, ∂p*/∂P > 0.

    p* is recomputed by the engine at exactly perturbed payoffs (±1/100), a finite-difference
    sign in exact arithmetic; the perturbations keep the game a Stag Hunt.
    """
    values = dict(zip("RTPS", base, strict=True))
    base_p = p_star(stag_hunt(*values.values()))
    for h in (F(1, 100), F(-1, 100)):
        bumped = dict(values)
        bumped[lever] = values[lever] + h
        moved = p_star(stag_hunt(*bumped.values())) - base_p
        assert moved != 0
        assert (moved > 0) == ((h > 0) == (sign > 0))
