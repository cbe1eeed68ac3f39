"""BN — the "bloody nose" strike: sequential game with incomplete information, and brinkmanship.

Source: MODELS.md section BN. Subgame perfection (Selten 1975, "Reexamination of the Perfectness
Concept", Int. J. Game Theory 4(1)); incomplete information and perfect Bayesian equilibrium
(Harsanyi 1967–68, Management Science 14; Fudenberg & Tirole 1991, "Game Theory", ch. 8);
commitment and the threat that leaves something to chance (Schelling 1960, "The Strategy of
Conflict", ch. 7–8; Powell 1990, "Nuclear Deterrence Theory").

Tree: Nature draws the DPRK type (resolute with probability θ). The U.S., not seeing it, chooses
Strike / No strike (0, 0). The DPRK absorbs (U.S. b, DPRK a) or retaliates; the U.S. then stops
(−h, r_type) or escalates to war (−W, −W_D_type). b=2, h=5, W=20, a=−2, r=−1, W_D=30.

Modelling choices (documented here because the paper leaves them open):

* restrained type: absorbing is its best reply to anything, r_restrained = −3 < a = −2 and war
  −W_D = −30, so it never retaliates;
* "fanatic" type (commitment case): retaliates even against certain war, war payoff −1 > a = −2;
  the other type is the resolute one, who retaliates only if the U.S. would stop;
* brinkmanship: after a threat the DPRK complies (U.S. u_c, DPRK c) or defies, and then war
  happens by chance with probability q (u_w, w_D), else the status quo stands (u_n, d); no threat
  gives (u_n, d). A resolute type defies whatever q is (comply −5, defy 2, war −3).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

import sympy

from equishift.games.bayesian import commit_to_action, with_commitment_stage
from equishift.games.extensive_form import Chance, Decision, ExtensiveFormGame, Terminal
from equishift.solver import BehaviorEquilibrium, solve
from equishift.solver.bayesian import prior_threshold
from equishift.solver.pbe import pbe_region_where, perfect_bayesian_equilibria

F = Fraction
B, H, W, A, R, WD = 2, 5, 20, -2, -1, 30
US_AFTER = "US after retaliation"
TYPE_PAYOFFS = {  # type: (retaliate then stop, retaliate then war)
    "resolute": (R, -WD),
    "restrained": (-3, -WD),
    "fanatic": (R, -1),
}


def dprk(kind: str) -> Decision:
    stop, war = TYPE_PAYOFFS[kind]
    return Decision(
        "DPRK",
        {
            "Absorb": Terminal((B, A)),
            "Retaliate": Decision(
                "US",
                {"Stop": Terminal((-H, stop)), "Escalate": Terminal((-W, war))},
                infoset=US_AFTER,
            ),
        },
        infoset=f"DPRK|{kind}",
    )


def us_first(kind: str) -> Decision:
    return Decision("US", {"No strike": Terminal((0, 0)), "Strike": dprk(kind)}, infoset="US")


def bloody_nose(
    theta: Fraction, bad: str = "resolute", good: str = "restrained"
) -> ExtensiveFormGame:
    return ExtensiveFormGame.build(
        players=["US", "DPRK"],
        root=Chance({bad: (theta, us_first(bad)), good: (1 - theta, us_first(good))}),
        title="bloody nose",
    )


def strikes(profile: Mapping[str, Mapping[str, str]]) -> bool:
    return profile["US"]["US"] == "Strike"


def test_complete_information_resolute_no_strike() -> None:
    """MODELS.md BN: with a resolute DPRK known, escalation is not credible, so no strike."""
    game = ExtensiveFormGame.build(players=["US", "DPRK"], root=us_first("resolute"))
    sol = solve(game, "backward_induction")
    assert sol.complete and len(sol.equilibria) == 1
    eq = sol.equilibria[0]
    assert isinstance(eq, BehaviorEquilibrium)
    labels = eq.by_label()
    assert labels["US"]["US"] == {"No strike": 1}
    assert labels["US"][US_AFTER] == {"Stop": 1}  # the threat to escalate is not credible
    assert labels["DPRK"]["DPRK|resolute"] == {"Retaliate": 1}
    assert eq.subgame_perfect is True


def test_uncertainty_threshold_two_sevenths() -> None:
    """MODELS.md BN: strike iff θ ≤ b/(b + min(h, W)) = 2/7, from the PBE of the encoded tree."""
    strike = pbe_region_where(bloody_nose, strikes, degree=1)
    assert strike == sympy.Interval(0, sympy.Rational(2, 7))
    no_strike = pbe_region_where(bloody_nose, lambda p: not strikes(p), degree=1)
    assert no_strike == sympy.Interval(sympy.Rational(2, 7), 1)
    assert sympy.Rational(B, B + min(H, W)) == sympy.Rational(2, 7)
    # The same threshold by exact bisection over rational priors, checked on both sides.
    t = prior_threshold(
        bloody_nose,
        lambda g: any(
            eq.action("US", "US") == "Strike" for eq in perfect_bayesian_equilibria(g).equilibria
        ),
        max_denominator=100,
    )
    assert t.value == F(2, 7) and t.below and t.at and not t.above
    # Spot checks with the full PBE enumeration on either side.
    below = perfect_bayesian_equilibria(bloody_nose(F(1, 4)))
    above = perfect_bayesian_equilibria(bloody_nose(F(1, 3)))
    assert below.equilibria and all(eq.action("US", "US") == "Strike" for eq in below.equilibria)
    assert above.equilibria and all(eq.action("US", "US") == "No strike" for eq in above.equilibria)
    for eq in below.equilibria:
        assert eq.action("US", US_AFTER) == "Stop"
        assert eq.action("DPRK", "DPRK|resolute") == "Retaliate"
        assert eq.action("DPRK", "DPRK|restrained") == "Absorb"
        # on the path the U.S. learns the type from retaliation: belief (1, 0) at its second move
        assert eq.belief("US", US_AFTER) == (1, 0)


def test_credible_commitment_threshold_one_eleventh() -> None:
    """MODELS.md BN: with a credible commitment to escalate, strike iff θ_f ≤ b/(b + W) = 1/11."""

    def committed(theta: Fraction) -> ExtensiveFormGame:
        return commit_to_action(
            bloody_nose(theta, "fanatic", "resolute"), "US", US_AFTER, "Escalate"
        )

    strike = pbe_region_where(committed, strikes, degree=1)
    assert strike == sympy.Interval(0, sympy.Rational(1, 11))
    assert sympy.Rational(B, B + W) == sympy.Rational(1, 11)
    # Without the commitment both types retaliate (the U.S. would stop): no strike at any θ_f > 0.
    free = pbe_region_where(
        lambda t: bloody_nose(t, "fanatic", "resolute"), strikes, lo=F(1, 100), degree=1
    )
    assert free == sympy.EmptySet
    # As a first-stage choice, the U.S. commits and strikes when θ_f is small.
    staged = perfect_bayesian_equilibria(
        with_commitment_stage(
            bloody_nose(F(1, 20), "fanatic", "resolute"), "US", US_AFTER, "Escalate"
        )
    )
    assert staged.equilibria
    for eq in staged.equilibria:
        assert eq.action("US", "commitment") == "Commit"
        assert eq.action("US", "US [committed]") == "Strike"
        assert eq.action("DPRK", "DPRK|resolute [committed]") == "Absorb"


# ---------------------------------------------------------------------------------------------
# Brinkmanship
# ---------------------------------------------------------------------------------------------
C, D, WAR_D, UC, UN, UW = -1, 2, -30, 1, -2, -20


def brinkmanship(q: Fraction, theta: Fraction) -> ExtensiveFormGame:
    def after_threat(kind: str) -> Decision:
        comply, defy, war = (C, D, WAR_D) if kind == "normal" else (-5, 2, -3)
        return Decision(
            "DPRK",
            {
                "Comply": Terminal((UC, comply)),
                "Defy": Chance(
                    {"war": (q, Terminal((UW, war))), "no war": (1 - q, Terminal((UN, defy)))}
                ),
            },
            infoset=f"DPRK|{kind}",
        )

    def us(kind: str) -> Decision:
        return Decision(
            "US", {"No threat": Terminal((UN, D)), "Threaten": after_threat(kind)}, infoset="US"
        )

    return ExtensiveFormGame.build(
        players=["US", "DPRK"],
        root=Chance({"resolute": (theta, us("resolute")), "normal": (1 - theta, us("normal"))}),
        title="brinkmanship",
    )


def threat_works(profile: Mapping[str, Mapping[str, str]]) -> bool:
    return profile["US"]["US"] == "Threaten" and profile["DPRK"]["DPRK|normal"] == "Comply"


def window(theta: Fraction) -> object:
    return pbe_region_where(lambda q: brinkmanship(q, theta), threat_works, degree=1)


def test_brinkmanship_window() -> None:
    """MODELS.md BN (Schelling 1960): compliance needs q ≥ (d − c)/(d − w_D) = 3/32; the U.S.
    accepts the risk only if q ≤ (1 − θ)(u_c − u_n)/[θ(u_n − u_w)]: a window at θ = 0.5
    ([3/32, 1/6]), none at θ = 0.7 (the bound 1/14 is below 3/32)."""
    q_min = sympy.Rational(D - C, D - WAR_D)
    assert q_min == sympy.Rational(3, 32)
    assert window(F(1, 2)) == sympy.Interval(q_min, sympy.Rational(1, 6))
    assert window(F(7, 10)) == sympy.EmptySet
    # The engine's bound matches the closed form at θ = 0.5.
    theta = sympy.Rational(1, 2)
    assert (1 - theta) * (UC - UN) / (theta * (UN - UW)) == sympy.Rational(1, 6)
