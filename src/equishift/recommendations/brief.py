"""The brief's recommendations as :class:`~equishift.recommendations.recommendation.Recommendation`
values, on the games of the design notes (``MODELS.md``).

All ten: **DF** (the dual freeze), **R1** (reversible first steps in the engagement Stag
Hunt), **R2** (an institutionalised format: better monitoring, no lapse), **R3** (less weight
on relative gains), **R4** (linking the Korean talks with a U.S.–Russia dialogue), **R5** (more
frequent multilateral contact), **R6** (a Russia–Japan confidence-building measure as a costly
signal), **R7** (a defensive posture keeps the Japan–China race stable), **R8** (no
containment of China, better U.S.–Russia relations, no Russia–China pact: the strategic
triangle) and **BN** (against the "bloody nose" strike). Quotes are verbatim from the brief
(bold markup removed), with their section.

The same recommendations ship as ``[[recommendations]]`` tables in the bundled scenario files
(:data:`SCENARIO_OF` names the file of each); the games there are the ones users edit.
:func:`brief_games` builds the same games in code, independently, with every number a default
taken from ``MODELS.md``; the tests check that both routes give the same evaluations. The
names below (the keys the recommendations target) are the game names in those files.

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
from ..games.extensive_form import Chance, Decision, ExtensiveFormGame, Node, Terminal
from ..games.normal_form import NormalFormGame
from ..games.repeated import LinkedGame, RepeatedGame
from ..games.signalling import SignallingGame
from ..games.triangle import SignedTriangle
from .recommendation import (
    ActionAvoided,
    BecomesStable,
    Recommendation,
    SeparatingExists,
    TargetIsSelected,
    ThresholdBelow,
    WelfareRises,
)
from .transforms import (
    AddCostlySignal,
    Link,
    MakeRepeated,
    SetChance,
    SetContact,
    SetLapse,
    SetMonitoring,
    SetParameter,
    SetRelativeGains,
    SetSign,
    ShiftPayoffs,
)

__all__ = [
    "BN",
    "DF",
    "R1",
    "R2",
    "R3",
    "R4",
    "R5",
    "R6",
    "R7",
    "R8",
    "RECOMMENDATIONS",
    "SCENARIO_OF",
    "brief_games",
]

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
        title="Dual freeze baseline: an asymmetric Prisoner's Dilemma",
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
        _pd(5, 3, 1, 0, "U.S.–Russia Prisoner's Dilemma (5, 3, 1, 0)"),
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
        title="DPRK–U.S. Prisoner's Dilemma (5, 3, 1, 0)",
    )
    return RepeatedGame(
        pd,
        delta="0.7",
        detection="0.8",
        false_alarm="0.1",
        lapse="0.2",
        title="leader-to-leader deal",
    )


def vicious_circle() -> RepeatedGame:
    """U.S.–Russia repeated PD (5, 3, 1, 0) with relative-gains weight r = 1/2, δ = 0.7 (R3)."""
    return RepeatedGame(
        _pd(5, 3, 1, 0, "U.S.–Russia Prisoner's Dilemma (5, 3, 1, 0)"),
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


def cbm_game() -> SignallingGame:
    """Kydd's security dilemma before any confidence-building measure (MODELS.md R6).

    Russia (the sender) is trustworthy with prior 0.4 (Stag Hunt preferences), untrustworthy
    otherwise; being trusted is worth G_T = 6 and G_U = 9 to the two types. Japan cooperates
    or defects, with R = 5, T = 4, P = 1, S = 0 against a trustworthy (cooperating) or an
    untrustworthy (defecting) Russia, so it needs a belief of at least p* = 1/2. With only a
    free message nobody is reassured.
    """
    japan = {"trustworthy": (5, 4), "untrustworthy": (0, 1)}
    gain = {"trustworthy": 6, "untrustworthy": 9}

    def u(t: str, m: str, a: str) -> tuple[int, int]:
        coop = a == "Cooperate"
        return (gain[t] if coop else 0, japan[t][0] if coop else japan[t][1])

    return SignallingGame(
        types={"trustworthy": "0.4", "untrustworthy": "0.6"},
        messages=["none"],
        actions=["Cooperate", "Defect"],
        payoffs=u,
        sender="Russia",
        receiver="Japan",
        title="Russia–Japan security dilemma (Kydd)",
    )


def triangle_2018() -> SignedTriangle:
    """The strategic triangle in 2018: a stable marriage with the U.S. as outcast (R8)."""
    return SignedTriangle(
        ["US", "China", "Russia"],
        {("US", "China"): -1, ("US", "Russia"): -1, ("China", "Russia"): 1},
        title="2018: stable marriage, the U.S. as outcast",
    )


def bloody_nose_game(theta: Any = "1/5") -> ExtensiveFormGame:
    """The bloody-nose strike with an uncertain DPRK type (MODELS.md BN).

    Nature draws a resolute DPRK with probability ``theta`` (default 1/5: the strike
    planners' belief), else a restrained one; the U.S. does not see the draw. U.S. Strike /
    No strike (0, 0); DPRK Absorb (b = 2, a = -2) / Retaliate; then U.S. Stop (-h = -5, r) or
    Escalate (-W = -20, -W_D = -30), with r = -1 for the resolute and -5 for the restrained
    type.
    """

    def branch(r: int, who: str) -> Node:
        after = Decision(
            "US",
            {"Stop": Terminal((-5, r)), "Escalate": Terminal((-20, -30))},
            infoset="US: after retaliation",
        )
        dprk = Decision("DPRK", {"Absorb": Terminal((2, -2)), "Retaliate": after}, infoset=who)
        return Decision(
            "US", {"Strike": dprk, "No strike": Terminal((0, 0))}, infoset="US: strike?"
        )

    theta = Fraction(theta)
    root = Chance(
        {
            "Resolute": (theta, branch(-1, "resolute DPRK")),
            "Restrained": (1 - theta, branch(-5, "restrained DPRK")),
        }
    )
    return ExtensiveFormGame.build(
        players=["US", "DPRK"],
        root=root,
        title="Bloody nose strike when the U.S. does not know whether the DPRK is resolute",
    )


def brief_games() -> dict[str, Any]:
    """The games the recommendations target, by name, built in code.

    The names are those of the bundled scenario files (:data:`SCENARIO_OF`).
    """
    return {
        "baseline": dual_freeze_game(),
        "game": engagement_game(),
        "leader-deal": leader_deal(),
        "vicious-circle": vicious_circle(),
        "us-russia-issues": us_russia_issues(),
        "great-power-contact": great_power_contact(),
        "cbm": cbm_game(),
        "race-strike-capable": strike_capable_race(),
        "2018": triangle_2018(),
        "uncertain": bloody_nose_game(),
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
    targets=("baseline",),
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
    targets=("game",),
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
    targets=("race-strike-capable",),
    transforms=(SetParameter("b", Fraction(3, 10), previous=Fraction(9, 10)),),
    criterion=BecomesStable(),
    notes=(
        "Evaluated against the path the brief warns about: strike capability raises China's "
        "reaction b to 0.9 (unstable, mn < ab); keeping the defensive posture keeps b = 0.3, "
        "where the race settles at x* = y* = 5 (MODELS.md R7; Richardson 1960)."
    ),
)

R6 = Recommendation(
    id="R6",
    title="Russia–Japan confidence-building measures as a costly signal",
    quote=(
        "To preserve the achievements of the Russo-Japanese rapprochement and to expand them "
        "into the domain of security, further confidence-building measures need to be "
        "undertaken by Moscow and Tokyo. This could include deepening the exchanges between "
        "the militaries and law enforcement agencies, conducting joint exercises, or widening "
        "the agenda of top-level meetings to include a wider scope of regional issues."
    ),
    section=f"{SECTION_RECOMMENDATIONS}, 6",
    targets=("cbm",),
    transforms=(
        AddCostlySignal(
            message="CBM",
            base="none",
            types=("trustworthy", "untrustworthy"),
            unit_costs=(1, 3),
            size=4,
        ),
    ),
    criterion=SeparatingExists("trustworthy", "Cooperate"),
    notes=(
        "Kydd 2000 (IO 54(2)): a CBM of size s (exchanges, observers, joint exercises) costs "
        "kappa_T*s = s to a trustworthy Russia and kappa_U*s = 3s to an untrustworthy one; "
        "being trusted is worth G_T = 6 and G_U = 9. MODELS.md R6: separating iff "
        "G_U/kappa_U <= G_T/kappa_T, sizes s in [3, 6], least-cost s* = 3. s = 4 is "
        "illustrative (inside the range); below 3 the untrustworthy type mimics, above 6 the "
        "trustworthy type will not pay."
    ),
)

R8 = Recommendation(
    id="R8",
    title="Conditions for China as a cooperative power; Russia friendly but no anti-U.S. pact",
    quote=(
        "Finally, creating conditions for China becoming a cooperative and responsible power "
        "should be one of the top priorities of all regional states concerned. For the United "
        "States and Japan, it would mean not trying to contain or exclude China, and being "
        "open and responsive to its initiatives and legitimate claims. For Russia, it would "
        "mean continuing to maintain friendly and cooperative relations with Beijing, while "
        "keeping a reasonable distance and not committing itself to this cooperation – "
        "neither in words nor in deeds – to such an extent that this effectively becomes an "
        "anti-U.S. pact."
    ),
    section=f"{SECTION_RECOMMENDATIONS}, 8",
    targets=("2018",),
    transforms=(
        SetSign("US", "China", 1, previous=-1),
        SetSign("US", "Russia", 1, previous=-1),
    ),
    criterion=WelfareRises("utilitarian"),
    notes=(
        "Dittmer 1981 (World Politics 33(4)): no containment turns US–China to amity, and "
        "Russia improves US–Russia while China–Russia stays friendly (no pact that would "
        "make the U.S. the outcast). Welfare is the configuration's total score: stable "
        "marriage -1 (2018, U.S. outcast -3) -> menage a trois +3 (MODELS.md R8)."
    ),
)

BN = Recommendation(
    id="BN",
    title="Against the 'bloody nose' strike: a resolute DPRK makes it unprofitable",
    quote=(
        "However, a military solution – an option not ruled out by the United States and its "
        "allies – will certainly entail prohibitive costs as well. Not only would military "
        "action not sanctioned by the UN Security Council further undermine the UN-led "
        "international order, and not only would the direct humanitarian and economic losses "
        "be immense. Even worse, the end of the period of peace that has been maintained in "
        "the region for more than half a century would probably make other states more "
        "willing to use force in the future. It is in this sense that even a successfully "
        "executed “bloody nose” strike that does not immediately lead to a full-scale "
        "conflict may pave the way for a much bigger war in the future."
    ),
    section="Northeast Asia: strategic landscape and challenges",
    targets=("uncertain",),
    transforms=(
        SetChance(
            ("Resolute", "Restrained"),
            (Fraction(1, 2), Fraction(1, 2)),
            previous=(Fraction(1, 5), Fraction(4, 5)),
        ),
    ),
    criterion=ActionAvoided("US", "Strike"),
    notes=(
        "Baseline: the strike planners' premise that the DPRK is resolute (would retaliate) "
        "with probability theta = 1/5 only. The change: a sober assessment, theta = 1/2 "
        "(the brief: leaders prone to provocative and dangerous actions). MODELS.md BN with "
        "b=2, h=5, W=20, a=-2, r=-1, W_D=30: after retaliation the U.S. stops (escalation is "
        "not credible), so the strike pays iff theta <= b/(b + min(h, W)) = 2/7. Success: no "
        "perfect Bayesian equilibrium has the U.S. strike."
    ),
)

RECOMMENDATIONS: tuple[Recommendation, ...] = (DF, R1, R2, R3, R4, R5, R6, R7, R8, BN)
"""All ten, in the brief's order, then the bloody-nose strike."""

SCENARIO_OF: dict[str, str] = {
    "DF": "dual-freeze",
    "R1": "engagement-stag-hunt",
    "R2": "repeated-pd",
    "R3": "repeated-pd",
    "R4": "linked-korea-dialogue",
    "R5": "repeated-pd",
    "R6": "russia-japan-cbm",
    "R7": "arms-race",
    "R8": "strategic-triangle",
    "BN": "bloody-nose",
}
"""The bundled scenario file holding each recommendation's table and target game."""
