"""The brief's recommendations as :class:`~equishift.recommendations.recommendation.Recommendation`
values, on the games of the design notes (``MODELS.md``).

Encoded so far: **DF** (the dual freeze), **R1** (reversible first steps in the engagement
Stag Hunt), **R2** (an institutionalised format: better monitoring, no lapse), **R3** (less
weight on relative gains), **R4** (linking the Korean talks with a U.S.–Russia dialogue),
**R5** (more frequent multilateral contact) and **R7** (a defensive posture keeps the
Japan–China race stable). Quotes are verbatim from the brief (bold markup
removed), with their section.

The games are built in code by :func:`brief_games`, with every number a default taken from
``MODELS.md``. Hook for the scenario files: when the brief's TOML data files exist, a loader
returning the same ``{name: game}`` mapping replaces :func:`brief_games` (the names below are the
keys the recommendations target), and the recommendation tables of those files go through
:func:`~equishift.recommendations.recommendation.recommendation_from_dict` to give these same
values.

Examples
--------
>>> from equishift.recommendations.evaluate import evaluate
>>> ev = evaluate(R4, brief_games())
>>> ev.verdict.status, ev.threshold("delta_star").before, ev.threshold("delta_star").after
('works', Fraction(1, 2), Fraction(11, 35))
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ..games.continuous import LinearResponseGame
from ..games.normal_form import NormalFormGame
from ..games.repeated import LinkedGame, RepeatedGame
from .recommendation import BecomesStable, Recommendation, TargetIsSelected, ThresholdBelow
from .transforms import (
    Link,
    MakeRepeated,
    SetContact,
    SetLapse,
    SetMonitoring,
    SetParameter,
    SetRelativeGains,
    ShiftPayoffs,
)

__all__ = ["DF", "R1", "R2", "R3", "R4", "R5", "R7", "RECOMMENDATIONS", "brief_games"]

SECTION_TRIANGLE = "The Russia – Japan – U.S. triangle: problems and prospects"
SECTION_RECOMMENDATIONS = "PRACTICAL RECOMMENDATIONS"


def dual_freeze_game() -> NormalFormGame:
    """DPRK {Freeze, Test} × US-ROK {Suspend, Exercise}: the asymmetric PD of MODELS.md DF."""
    return NormalFormGame.from_mapping(
        {
            ("Freeze", "Suspend"): (3, 3),
            ("Freeze", "Exercise"): (0, 4),
            ("Test", "Suspend"): (5, 0),
            ("Test", "Exercise"): (1, 1),
        },
        players=["DPRK", "US-ROK"],
        title="Dual freeze: DPRK tests vs U.S.–ROK exercises",
    )


def engagement_game() -> NormalFormGame:
    """The engagement stage as a Stag Hunt {Engage, Hedge}, R=4, T=3, P=2, S=0 (MODELS.md R1)."""
    return NormalFormGame.from_arrays(
        [[4, 0], [3, 2]],
        [[4, 3], [0, 2]],
        players=["DPRK", "U.S."],
        strategies=[["Engage", "Hedge"]] * 2,
        title="Engagement stage (Stag Hunt)",
    )


def _pd(t: Any, r: Any, p: Any, s: Any, title: str) -> NormalFormGame:
    return NormalFormGame.from_arrays(
        [[r, s], [t, p]],
        [[r, t], [s, p]],
        players=["U.S.", "Russia"],
        strategies=[["Cooperate", "Defect"]] * 2,
        title=title,
    )


def us_russia_issues() -> LinkedGame:
    """Korea K (T=5, R=3, P=1, S=0) and dialogue G (T=3, R=2.8, P=0, S=0), separate, δ = 0.4.

    MODELS.md R4: δ* = 0.5 for K and 1/15 for G, so at δ = 0.4 only G is sustained.
    """
    korea = _pd(5, 3, 1, 0, "Korea")
    dialogue = _pd(3, "2.8", 0, 0, "risk-reduction dialogue")
    return LinkedGame(
        (korea, dialogue),
        issues=("Korea", "dialogue"),
        linked=False,
        delta="0.4",
        title="U.S.–Russia: Korea and a broad dialogue",
    )


def great_power_contact() -> RepeatedGame:
    """The PD among the powers (5, 3, 1, 0), contact every Δ = 2 years at rate r = 1/2.

    δ = e^{-rΔ} = e^{-1} ≈ 0.37, below δ* = 1/2 (MODELS.md R5).
    """
    return RepeatedGame(
        _pd(5, 3, 1, 0, "great-power PD"),
        rate=Fraction(1, 2),
        contact_interval=2,
        title="Great powers meeting at irregular moments",
    )


def leader_deal() -> RepeatedGame:
    """DPRK–U.S. repeated PD (5, 3, 1, 0) as a personal deal (MODELS.md R2).

    Cheating is detected with probability q = 0.8, false alarms occur with ε = 0.1, and the
    deal lapses with hazard λ = 0.2 a period; δ = 0.7 (illustrative).
    """
    pd = NormalFormGame.from_arrays(
        [[3, 0], [5, 1]],
        [[3, 5], [0, 1]],
        players=["DPRK", "U.S."],
        strategies=[["Cooperate", "Defect"]] * 2,
        title="leader-to-leader deal",
    )
    return RepeatedGame(
        pd, delta="0.7", detection="0.8", false_alarm="0.1", lapse="0.2", title=pd.title
    )


def vicious_circle() -> RepeatedGame:
    """U.S.–Russia repeated PD (5, 3, 1, 0) with relative-gains weight r = 1/2, δ = 0.7 (R3)."""
    return RepeatedGame(
        _pd(5, 3, 1, 0, "U.S.–Russia on Northeast Asia"),
        delta="0.7",
        relative_gains="1/2",
        title="U.S.–Russia: relative gains",
    )


def strike_capable_race() -> LinearResponseGame:
    """Japan (x) – China (y) Richardson race after Japan acquires strike capability (R7).

    dx/dt = a·y − m·x + g, dy/dt = b·x − n·y + h with m = n = 0.5, a = 0.3, g = h = 1 and
    China's reaction b = 0.9 (MODELS.md R7): mn < ab, an unstable runaway race.
    """
    return LinearResponseGame.richardson(
        a="0.3",
        b="0.9",
        m="0.5",
        n="0.5",
        g=1,
        h=1,
        players=["Japan", "China"],
        title="Japan–China arms race, strike-capable Japan",
    )


def brief_games() -> dict[str, Any]:
    """The games the recommendations target, by name (built in code for now)."""
    return {
        "dual-freeze": dual_freeze_game(),
        "engagement": engagement_game(),
        "leader-deal": leader_deal(),
        "vicious-circle": vicious_circle(),
        "us-russia-issues": us_russia_issues(),
        "great-power-contact": great_power_contact(),
        "arms-race-strike-capable": strike_capable_race(),
    }


DF = Recommendation(
    id="DF",
    title="Dual freeze (freeze-for-freeze)",
    quote=(
        "Most recently, this has been expressed in the “dual freeze” plan, co-sponsored by "
        "Russia and China, according to which Pyongyang would stop its missile tests, while "
        "Washington and Seoul would refrain from military exercises."
    ),
    section=SECTION_TRIANGLE,
    targets=("dual-freeze",),
    transforms=(MakeRepeated(delta=Fraction(3, 5)),),
    criterion=ThresholdBelow(("Freeze", "Suspend")),
    notes=(
        "The freeze as repeated play with perfect monitoring (tests and exercises are "
        "observable). delta = 3/5 is illustrative: Friedman's grim-trigger thresholds are 1/2 "
        "for the DPRK and 1/3 for the U.S.-ROK (MODELS.md DF), so the verdict holds for any "
        "delta >= 1/2 and fails below."
    ),
)

R1 = Recommendation(
    id="R1",
    title="Encourage and support every attempt at dialogue (reversible first steps)",
    quote=(
        "On the Korean issue, and in the short term-perspective, Russia needs to encourage and "
        "support all attempts at dialogue between Pyongyang and Seoul/Washington. With "
        "situation in constant flux, and both the North Korean and the American leaders being "
        "prone to provocative and potentially dangerous actions, no chance at reconciliation "
        "must be wasted."
    ),
    section=f"{SECTION_RECOMMENDATIONS}, 1",
    targets=("engagement",),
    transforms=(
        ShiftPayoffs(
            profiles=(("Engage", "Hedge"), ("Hedge", "Engage")),
            deltas=((Fraction(3, 2), 0), (0, Fraction(3, 2))),
        ),
    ),
    criterion=TargetIsSelected(("Engage", "Engage"), rule="risk"),
    notes=(
        "Reversible first steps raise S, the payoff of engaging against a side that hedges, "
        "from 0 to 3/2 (MODELS.md R1(c)); the threshold belief p* falls from 2/3 to 1/3 and "
        "engagement becomes risk dominant (R - T = 1 > P - S = 1/2)."
    ),
)

R2 = Recommendation(
    id="R2",
    title="Upgrade leader talks to a multilateral, institutionalised format",
    quote=(
        "Should the dialogue with North Korea prove possible to maintain, the United States "
        "should strive to upgrade their contacts with North Korea from leader-to-leader "
        "bilateral talks to a more multilateral and institutionalized format."
    ),
    section=f"{SECTION_RECOMMENDATIONS}, 2",
    targets=("leader-deal",),
    transforms=(SetMonitoring(Fraction(19, 20), Fraction(1, 50)), SetLapse(0)),
    criterion=ThresholdBelow(("Cooperate", "Cooperate")),
    notes=(
        "Institutions raise detection (q 0.8 -> 0.95), cut false alarms (0.1 -> 0.02) and "
        "keep the deal from lapsing with the leaders (lambda 0.2 -> 0). MODELS.md R2: "
        "delta(1 - lambda) >= (T - R)/[(q - eps)(R - P) + (1 - eps)(T - R)]: delta* = 0.78125 "
        "before, 0.5236 after."
    ),
)

R3 = Recommendation(
    id="R3",
    title="Break the U.S.–Russia vicious circle (less weight on relative gains)",
    quote=(
        "The United States and Russia should make utmost effort to overcome the vicious "
        "circle of distrust, accusations, pressure, and threats that is building up between "
        "them, and the political will necessary for this must be exercised by both sides."
    ),
    section=f"{SECTION_RECOMMENDATIONS}, 3",
    targets=("vicious-circle",),
    transforms=(SetRelativeGains(Fraction(1, 4)),),
    criterion=ThresholdBelow(("Cooperate", "Cooperate")),
    notes=(
        "Political will as a lower relative-gains weight r (1/2 -> 1/4). MODELS.md R3: "
        "delta*(r) = [T - rS - R(1 - r)]/[T - rS - P(1 - r)] = 0.7778 at r = 1/2, 0.6471 at "
        "r = 1/4; delta = 0.7 is illustrative."
    ),
)

R4 = Recommendation(
    id="R4",
    title="Use the Korean talks to build U.S.–Russia dialogue",
    quote=(
        "The potential resumption of talks on the Korean issue should be used as an "
        "opportunity for increasing dialogue between Russia and the United States as well, "
        "with the prospect of turning this ad-hoc format into a comprehensive regional "
        "collective security framework."
    ),
    section=f"{SECTION_RECOMMENDATIONS}, 4",
    targets=("us-russia-issues",),
    transforms=(Link(),),
    criterion=ThresholdBelow(("Cooperate", "Cooperate")),
    notes=(
        "Multi-issue contact (Bernheim & Whinston 1990): pooled delta* = sum(T - R) / "
        "sum(T - P) = 11/35 < 0.4 (MODELS.md R4)."
    ),
)

R5 = Recommendation(
    id="R5",
    title="Use existing multilateral frameworks to the maximum",
    quote=(
        "The existing multilateral frameworks, such as the East Asia summit, or G20, should be "
        "used to the maximum to further cooperation on vital security issues."
    ),
    section=f"{SECTION_RECOMMENDATIONS}, 5",
    targets=("great-power-contact",),
    transforms=(SetContact(rate=Fraction(1, 2), contact_interval=1),),
    criterion=ThresholdBelow(("Cooperate", "Cooperate")),
    notes=(
        "Regular summits shrink the contact interval from 2 years to 1 at political discount "
        "rate 1/2; cooperation needs an interval of at most ln 2 / r = 1.386 years "
        "(MODELS.md R5; Axelrod 1984, ch. 7)."
    ),
)

R7 = Recommendation(
    id="R7",
    title="Japan keeps its exclusively defense-oriented posture",
    quote=(
        "Japan needs to be careful to ensure the preservation of its exclusively "
        "defense-oriented posture. The desire to respond to new challenges by moving in the "
        "direction of a “normal country” is understandable. However, excessive actions in this "
        "area may cause a security dilemma, wherein Tokyo’s efforts will serve to trigger a "
        "regional arms race and thus diminish, rather than increase the nation’s security."
    ),
    section=f"{SECTION_RECOMMENDATIONS}, 7",
    targets=("arms-race-strike-capable",),
    transforms=(SetParameter("b", Fraction(3, 10), previous=Fraction(9, 10)),),
    criterion=BecomesStable(),
    notes=(
        "Evaluated against the path the brief warns about: strike capability raises China's "
        "reaction b to 0.9 (unstable, mn < ab); keeping the defensive posture keeps b = 0.3, "
        "where the race settles at x* = y* = 5 (MODELS.md R7; Richardson 1960)."
    ),
)

RECOMMENDATIONS: tuple[Recommendation, ...] = (DF, R1, R2, R3, R4, R5, R7)
"""Every recommendation encoded so far, in the brief's order."""
