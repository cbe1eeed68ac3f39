"""R6 — Russia–Japan confidence-building measures as reassurance (Kydd's security dilemma).

Source: MODELS.md section R6; Kydd, A. (2000), "Trust, Reassurance, and Cooperation",
International Organization 54(2); Kydd, A. (2005), "Trust and Mistrust in International
Relations", Princeton UP. Signalling equilibria: Spence (1973), QJE 87(3); the intuitive
criterion: Cho, I.-K. & Kreps, D. (1987), "Signaling Games and Stable Equilibria", QJE 102(2).

Baseline: each side is trustworthy with prior μ = 0.4 (Stag Hunt preferences R=5, T=4, P=1,
S=0) or untrustworthy (PD preferences; temptation 6 — our choice, any value above R works).
Cooperation needs a belief of at least p* = (P − S)/((R − T) + (P − S)) = 1/2: none at the prior.

Change: a costly CBM of size s (cost κ_T·s or κ_U·s), being trusted worth G_T or G_U to the
sender. The receiver's payoffs are the second-stage Stag Hunt payoffs against each type's
reply (a trustworthy sender reciprocates trust, an untrustworthy one exploits it): trust gives
R = 5 against T and S = 0 against U; distrust gives T = 4 and P = 1. Separating iff
G_U/κ_U ≤ G_T/κ_T, sizes [G_U/κ_U, G_T/κ_T] = [3, 6], least cost 3.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import sympy

from equishift.games.bayesian import BayesianGame, independent_prior
from equishift.games.signalling import SignallingGame, costly_signal_game
from equishift.solver.bayesian import (
    bayesian_equilibria,
    bne_prior_region,
    prior_threshold,
    pure_bayesian_equilibria,
)
from equishift.solver.signalling import (
    least_cost_separating,
    separating_range,
    signalling_equilibria,
)

F = Fraction
R, T, P, S = 5, 4, 1, 0
T_PD = 6
STAG = {("C", "C"): R, ("C", "D"): S, ("D", "C"): T, ("D", "D"): P}
PD = {("C", "C"): R, ("C", "D"): S, ("D", "C"): T_PD, ("D", "D"): P}


def payoffs(types: tuple[str, ...], acts: tuple[str, ...]) -> tuple[int, int]:
    mine = (STAG if types[0] == "trustworthy" else PD)[acts]
    theirs = (STAG if types[1] == "trustworthy" else PD)[(acts[1], acts[0])]
    return mine, theirs


def kydd(mu: Fraction) -> BayesianGame:
    marginal = {"trustworthy": mu, "untrustworthy": 1 - mu}
    return BayesianGame(
        players=["Russia", "Japan"],
        types=[["trustworthy", "untrustworthy"]] * 2,
        actions=[["C", "D"]] * 2,
        prior=independent_prior(marginal, marginal),
        payoffs=payoffs,
        title="Kydd security dilemma",
    )


RECIPROCATE = {
    "Russia": {"trustworthy": "C", "untrustworthy": "D"},
    "Japan": {"trustworthy": "C", "untrustworthy": "D"},
}


def cooperates(game: BayesianGame) -> bool:
    return any(
        eq.action_of("Russia", "trustworthy") == "C" for eq in pure_bayesian_equilibria(game)
    )


def test_no_cooperation_at_the_prior() -> None:
    """MODELS.md R6 (Kydd 2000): at μ = 0.4 the only Bayesian equilibrium is mutual defection."""
    eqs, complete = bayesian_equilibria(kydd(F(2, 5)))
    assert complete
    assert [eq.describe() for eq in eqs] == [
        "Russia: trustworthy→D, untrustworthy→D; Japan: trustworthy→D, untrustworthy→D"
    ]
    assert not cooperates(kydd(F(2, 5)))


def test_cooperation_threshold_half() -> None:
    """MODELS.md R6: the reciprocating profile is a BNE iff μ ≥ p* = 1/2 (μ = 0 is the
    degenerate case with no trustworthy type); solved symbolically and by exact bisection."""

    def prior(m: Any) -> dict[tuple[str, ...], Any]:
        tw, un = "trustworthy", "untrustworthy"
        return {
            (tw, tw): m * m,
            (tw, un): m * (1 - m),
            (un, tw): (1 - m) * m,
            (un, un): (1 - m) ** 2,
        }

    region = bne_prior_region(kydd(F(1, 2)), RECIPROCATE, prior)
    assert region == sympy.Union(sympy.FiniteSet(0), sympy.Interval(sympy.Rational(1, 2), 1))
    t = prior_threshold(kydd, cooperates, lo=F(1, 10), hi=1)
    assert t.value == F(1, 2) and not t.below and t.at and t.above


def kydd_cbm(
    s: object, g_t: object = 6, k_t: object = 1, g_u: object = 9, k_u: object = 3
) -> SignallingGame:
    gains = {"trustworthy": g_t, "untrustworthy": g_u}
    reply = {
        ("trustworthy", "Trust"): R,
        ("untrustworthy", "Trust"): S,
        ("trustworthy", "Distrust"): T,
        ("untrustworthy", "Distrust"): P,
    }
    return costly_signal_game(
        types={"trustworthy": "0.4", "untrustworthy": "0.6"},
        actions=["Trust", "Distrust"],
        value=lambda t, a: (gains[t] if a == "Trust" else 0, reply[(t, a)]),
        cost={"trustworthy": k_t, "untrustworthy": k_u},
        size=s,
        free="no CBM",
        signal="CBM",
        sender="Japan",
        receiver="Russia",
    )


def test_separating_range_and_least_cost() -> None:
    """MODELS.md R6: separating iff G_U/κ_U ≤ G_T/κ_T; sizes [3, 6]; least cost s* = 3."""
    assert separating_range(kydd_cbm, lo=0, hi=10) == sympy.Interval(3, 6)
    assert least_cost_separating(kydd_cbm, lo=0, hi=10) == 3
    eqs, _ = signalling_equilibria(kydd_cbm(4))
    sep = [eq for eq in eqs if eq.kind == "separating"]
    assert len(sep) == 1
    assert sep[0].sender == {"trustworthy": {"CBM": 1}, "untrustworthy": {"no CBM": 1}}
    assert sep[0].receiver == {"no CBM": {"Distrust": 1}, "CBM": {"Trust": 1}}
    assert sep[0].posterior["CBM"] == {"trustworthy": 1, "untrustworthy": 0}
    assert sep[0].intuitive
    # The pooling equilibrium without CBMs needs the implausible off-path belief that a CBM
    # comes from the untrustworthy type; the intuitive criterion removes it.
    pool = [eq for eq in eqs if eq.kind == "pooling"]
    assert pool and all(not eq.intuitive for eq in pool)


def test_below_the_range_pooling_at_the_prior() -> None:
    """MODELS.md R6: for s below G_U/κ_U no separating equilibrium; pooling with posterior =
    prior and no cooperation (and a semi-separating one: the untrustworthy type mimics at times).
    """
    eqs, _ = signalling_equilibria(kydd_cbm(2))
    assert not [eq for eq in eqs if eq.kind == "separating"]
    pool = [eq for eq in eqs if eq.kind == "pooling" and eq.sender["trustworthy"] == {"no CBM": 1}]
    assert pool
    for eq in pool:
        assert eq.posterior["no CBM"] == {"trustworthy": F(2, 5), "untrustworthy": F(3, 5)}
        assert eq.receiver["no CBM"] == {"Distrust": 1}
    semi = [eq for eq in eqs if eq.kind == "semi-separating"]
    assert any(
        eq.sender["untrustworthy"] == {"no CBM": F(1, 3), "CBM": F(2, 3)}
        and eq.receiver["CBM"] == {"Trust": F(2, 3), "Distrust": F(1, 3)}
        for eq in semi
    )


def test_flipped_inequality_only_pooling() -> None:
    """MODELS.md R6: with G_U/κ_U > G_T/κ_T (here 9/1 > 6/1) no CBM size separates."""

    def flipped(s: Fraction) -> SignallingGame:
        return kydd_cbm(s, k_u=1)

    assert separating_range(flipped, lo=0, hi=20) == sympy.EmptySet
    assert least_cost_separating(flipped, lo=0, hi=20) is None
    for s in (F(2), F(7), F(12)):
        eqs, _ = signalling_equilibria(flipped(s))  # mixed ones included
        assert eqs and all(eq.kind == "pooling" for eq in eqs)
