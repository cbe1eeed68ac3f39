"""Evaluate a recommendation: solve before and after, compare, judge, and say it in words.

:func:`evaluate` applies a :class:`~equishift.recommendations.recommendation.Recommendation`'s
transforms to its target game, solves the baseline and the reformed game with
:func:`equishift.solver.solve` (for repeated and linked games: their stage games, plus the
critical discount factors of :mod:`equishift.solver.repeated`), compares the solutions
(:func:`equishift.solver.compare.compare`), computes the thresholds that matter (δ*, the
longest contact interval, each player's threshold belief p*), checks the success criterion on
*both* games, and writes a one-paragraph finding from the numbers.

:func:`compare_recommendations` ranks several evaluations; :func:`bundle` applies several
recommendations together and reports the interaction (does A + B do more than each alone?).

Examples
--------
>>> from equishift.games import NormalFormGame
>>> from equishift.recommendations.recommendation import Recommendation, ThresholdBelow
>>> from equishift.recommendations.transforms import MakeRepeated
>>> pd = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]],
...                                 players=["A", "B"], strategies=[["C", "D"]] * 2)
>>> rec = Recommendation("X", "Play again", "Meet again.", "1", ("pd",),
...                      (MakeRepeated(delta="3/5"),), ThresholdBelow(("C", "C")))
>>> ev = evaluate(rec, {"pd": pd})
>>> ev.verdict.status, ev.threshold("delta_star").after
('works', Fraction(1, 2))
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..games.bayesian import BayesianGame
from ..games.continuous import LinearResponseGame
from ..games.errors import GameError
from ..games.extensive_form import ExtensiveFormGame
from ..games.formats.scenario import Scenario
from ..games.normal_form import NormalFormGame
from ..games.numbers import format_number
from ..games.parametric import ParametricGame
from ..games.repeated import LinkedGame, RepeatedGame
from ..solver.api import solve
from ..solver.compare import EquilibriumShift, compare
from ..solver.repeated import (
    critical_delta,
    delinked_thresholds,
    linked_threshold,
    max_contact_interval,
)
from ..solver.selection import payoff_dominant, risk_dominant, threshold_belief
from ..solver.solution import Equilibrium, Solution
from .recommendation import (
    ActionAvoided,
    BecomesStable,
    Criterion,
    ProbabilityFalls,
    Recommendation,
    SeparatingExists,
    TargetIsEquilibrium,
    TargetIsSelected,
    TargetIsUnique,
    ThresholdBelow,
    WelfareRises,
    recommendations_from_tables,
)
from .transforms import AddCostlySignal, SetChance

__all__ = [
    "Assessment",
    "BundleEvaluation",
    "Evaluation",
    "Ranking",
    "RankingRow",
    "Threshold",
    "Verdict",
    "brief_evaluations",
    "bundle",
    "compare_recommendations",
    "evaluate",
    "evaluate_scenario",
    "scenario_recommendations",
]

WORKS = "works"
FAILS = "does not work"
UNDETERMINED = "undetermined"


def _n(x: Any) -> str | None:
    """Numbers for JSON and prose: exact as ``"p/q"``, floats rounded to 6 significant digits."""
    if x is None:
        return None
    if isinstance(x, Fraction):
        return format_number(x)
    if isinstance(x, float):
        return "inf" if math.isinf(x) else f"{x:.6g}"
    if isinstance(x, int):
        return str(x)
    try:  # a sympy number (exp(-1), log(4)): its value
        return f"{float(x):.6g}"
    except (TypeError, ValueError):
        return str(x)


def _num(x: Any) -> Any:
    """A comparable number: Fractions stay exact, sympy values become floats."""
    if x is None or isinstance(x, Fraction | float | int):
        return x
    return float(x)


# -- result values ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Threshold:
    """A threshold that matters, before and after, and the value it is compared with.

    ``name`` is ``"delta_star"`` (critical discount factor), ``"max_contact_interval"``,
    ``"p_star[<player>]"`` (belief needed to play the target strategy) or
    ``"delta_star[<issue>]"``. ``value`` is what the threshold is compared with in the
    reformed game (δ, or the contact interval), ``value_before`` in the baseline. ``None`` where
    it does not apply.
    """

    name: str
    description: str
    before: Any
    after: Any
    value: Any = None
    value_before: Any = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "before": _n(self.before),
            "after": _n(self.after),
            "value": _n(self.value),
            "value_before": _n(self.value_before),
        }


@dataclass(frozen=True)
class Assessment:
    """The success criterion checked on one game: holds (or ``None``), a measure, a reason."""

    holds: bool | None
    measure: Any
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"holds": self.holds, "measure": _n(self.measure), "reason": self.reason}


@dataclass(frozen=True)
class Verdict:
    """``"works"``, ``"does not work"`` or ``"undetermined"``, with the reason."""

    status: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "reason": self.reason}


@dataclass(frozen=True, eq=False)
class Evaluation:
    """Everything :func:`evaluate` found; see the module docstring.

    Attributes
    ----------
    recommendation, baseline, reformed
        What was evaluated: the recommendation, the target game, and the changed game.
    before, after
        Solutions of the (stage) games, or ``None`` when the form has none (continuous games).
    shift
        The :class:`~equishift.solver.compare.EquilibriumShift`, or ``None``.
    thresholds
        The thresholds that matter (:class:`Threshold`).
    assessment_before, assessment_after
        The criterion checked on the baseline and on the reformed game.
    verdict, finding
        The verdict, and a one-paragraph finding in plain language.
    improvement
        How far the criterion's measure moved in the right direction: the margin δ − δ*
        rising, a probability falling, welfare rising; 1 / 0 / -1 for yes-no criteria;
        ``None`` when unknown.
    """

    recommendation: Recommendation
    baseline: Any
    reformed: Any
    before: Solution | None
    after: Solution | None
    shift: EquilibriumShift | None
    thresholds: tuple[Threshold, ...]
    assessment_before: Assessment
    assessment_after: Assessment
    verdict: Verdict
    finding: str
    improvement: Any = None
    notes: tuple[str, ...] = field(default=())

    def threshold(self, name: str) -> Threshold:
        """The threshold called ``name``.

        Raises
        ------
        KeyError
            When there is none of that name.
        """
        for t in self.thresholds:
            if t.name == name:
                return t
        raise KeyError(f"no threshold {name!r}; have {[t.name for t in self.thresholds]}")

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (exact numbers as strings); stable for golden files."""
        rec = self.recommendation
        return {
            "id": rec.id,
            "title": rec.title,
            "section": rec.section,
            "quote": rec.quote,
            "modelling_notes": rec.notes,
            "targets": list(rec.targets),
            "transforms": [t.to_dict() for t in rec.transforms],
            "criterion": rec.criterion.to_dict(),
            "baseline": _game_json(self.baseline),
            "reformed": _game_json(self.reformed),
            "before": None if self.before is None else self.before.to_json(),
            "after": None if self.after is None else self.after.to_json(),
            "shift": None if self.shift is None else self.shift.to_json(),
            "thresholds": [t.to_json() for t in self.thresholds],
            "assessment_before": self.assessment_before.to_json(),
            "assessment_after": self.assessment_after.to_json(),
            "verdict": self.verdict.to_json(),
            "improvement": _n(self.improvement),
            "finding": self.finding,
            "notes": list(self.notes),
        }

    def to_json_text(self) -> str:
        """:meth:`to_json` as indented text with sorted keys (what golden files hold)."""
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _game_json(game: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "form": type(game).__name__,
        "title": getattr(game, "title", ""),
        "provenance": list(getattr(game, "provenance", ())),
    }
    if isinstance(game, RepeatedGame):
        out["discount"] = _n(game.discount)
    if isinstance(game, LinkedGame):
        out["linked"] = game.linked
        out["discount"] = _n(game.delta)
    return out


# -- solving ----------------------------------------------------------------------------------
def _stage(game: Any) -> NormalFormGame | ExtensiveFormGame | None:
    """The finite game whose equilibria are compared."""
    if isinstance(game, NormalFormGame | ExtensiveFormGame):
        return game
    if isinstance(game, ParametricGame):
        return game.default()
    if isinstance(game, RepeatedGame):
        return game.effective_stage()
    if isinstance(game, LinkedGame):
        return game.combined_stage()
    if isinstance(game, BayesianGame):
        return game.induced_normal_form()
    return None


def _solve(game: Any) -> Solution | None:
    stage = _stage(game)
    return None if stage is None else solve(stage)


def _fit(game: Any, profile: tuple[str, ...]) -> tuple[str, ...]:
    """Complete a profile for players added by a transform who have a single strategy.

    A target names the strategies of the first players; an enforcer or mediator added with
    one strategy ("Enforce") is filled in, so one target serves before and after the change.
    """
    base = game.stage if isinstance(game, RepeatedGame) else game
    if isinstance(base, LinkedGame):
        base = base.games[0]
    if not isinstance(base, NormalFormGame) or len(profile) >= base.n_players:
        return profile
    extra = base.strategies[len(profile) :]
    if all(len(s) == 1 for s in extra):
        return (*profile, *(s[0] for s in extra))
    return profile


def _delta_threshold(game: Any, profile: tuple[str, ...]) -> tuple[Any, Any, list[Threshold]]:
    """(δ*, δ in play, per-issue thresholds) of a repeated or linked game; (None, None, [])."""
    profile = _fit(game, profile)
    if isinstance(game, RepeatedGame):
        th = critical_delta(game, profile)
        return th.delta_star, game.discount, []
    if isinstance(game, LinkedGame):
        targets = [profile] * len(game.games)
        per = delinked_thresholds(game, targets)
        issues = [
            Threshold(
                f"delta_star[{name}]",
                f"critical discount factor of issue {name} enforced on its own",
                None,
                t.delta_star,
                game.delta,
            )
            for name, t in zip(game.issues, per, strict=True)
        ]
        if game.linked:
            return linked_threshold(game, targets).delta_star, game.delta, issues
        stars = [t.delta_star for t in per]
        known = [s for s in stars if s is not None]
        star = None if len(known) != len(stars) else max(known)
        return star, game.delta, issues
    return None, None, []


def _player_stars(game: Any, profile: tuple[str, ...]) -> list[tuple[str, Any]]:
    """Each player's own δ* in a repeated game (empty for other forms)."""
    if not isinstance(game, RepeatedGame):
        return []
    th = critical_delta(game, _fit(game, profile))
    return [(p.player, p.delta_star) for p in th.players]


def _race_thresholds(baseline: Any, reformed: Any) -> list[Threshold]:
    """Equilibrium levels and the largest eigenvalue real part of continuous races."""
    from ..solver.continuous import equilibrium, stability

    games = (baseline, reformed)
    if not all(isinstance(g, LinearResponseGame) for g in games):
        return []
    eqs = [equilibrium(g) for g in games]
    out = [
        Threshold(
            f"level[{pl}]",
            f"equilibrium level of {pl}",
            eqs[0].levels.get(pl),
            eqs[1].levels.get(pl),
        )
        for pl in reformed.players
    ]
    re = [stability(g).max_real_part for g in games]
    out.append(
        Threshold(
            "max_real_part",
            "largest real part of an eigenvalue of the race (negative: stable)",
            re[0],
            re[1],
        )
    )
    return out


def _triangle_thresholds(baseline: Any, reformed: Any) -> list[Threshold]:
    """Each player's score and the configuration total of strategic triangles (Dittmer 1981)."""
    from ..games.triangle import SignedTriangle

    if not (isinstance(baseline, SignedTriangle) and isinstance(reformed, SignedTriangle)):
        return []
    out = [
        Threshold(
            f"score[{pl}]",
            f"{pl}'s score in the triangle ({baseline.role(pl)} before, {reformed.role(pl)} after)",
            Fraction(baseline.score(pl)),
            Fraction(reformed.score(pl)),
        )
        for pl in reformed.players
    ]
    out.append(
        Threshold(
            "total",
            f"total score of the configuration ({baseline.configuration} before, "
            f"{reformed.configuration} after)",
            Fraction(baseline.total),
            Fraction(reformed.total),
        )
    )
    return out


def _chance_thresholds(rec: Recommendation, baseline: Any, reformed: Any) -> list[Threshold]:
    """Where the criterion flips as a two-outcome chance probability set by the change varies.

    For a recommendation that sets a chance move (:class:`SetChance`, e.g. the probability θ
    that the DPRK is resolute), the probability of its first outcome at which the criterion
    starts or stops holding, found by exact bisection on the baseline tree
    (:func:`equishift.solver.bayesian.prior_threshold`), each side re-checked.
    """
    from ..games.errors import SolverError
    from ..solver.bayesian import prior_threshold

    steps = [t for t in rec.transforms if isinstance(t, SetChance) and len(t.actions) == 2]
    if not steps or not isinstance(baseline, ExtensiveFormGame):
        return []
    t = steps[-1]
    first = t.actions[0]

    def family(x: Fraction) -> Any:
        return SetChance(t.actions, (x, 1 - x)).apply(baseline)

    def holds(g: Any) -> bool:
        return bool(_assess(rec.criterion, g, None).holds)

    try:
        th = prior_threshold(family, holds, lo=0, hi=1, max_denominator=1000)
    except SolverError:
        return []
    before = next((p for a, p in _chance_probabilities(baseline, t.actions) if a == first), None)
    side = "at or above" if th.above else "at or below"
    if th.at != th.above:
        side = "above" if th.above else "below"
    return [
        Threshold(
            f"threshold[{first}]",
            f"probability of {first!r} {side} which the criterion holds",
            th.value,
            th.value,
            t.probabilities[0],
            before,
        )
    ]


def _chance_probabilities(game: ExtensiveFormGame, actions: tuple[str, ...]) -> list[Any]:
    for h in game.chance_infosets:
        if tuple(h.actions) == actions and h.probs is not None:
            return list(zip(h.actions, h.probs, strict=True))
    return []


def _signal_thresholds(rec: Recommendation, baseline: Any) -> list[Threshold]:
    """The signal sizes at which a separating equilibrium exists (Kydd 2000; Spence 1973).

    For a recommendation adding a costly signal (:class:`AddCostlySignal`) to a signalling
    game, the exact set of sizes ``s`` with a separating PBE
    (:func:`equishift.solver.signalling.separating_range`), on ``[0, 4 * size]``.
    """
    from ..games.signalling import SignallingGame
    from ..solver.signalling import separating_range

    steps = [t for t in rec.transforms if isinstance(t, AddCostlySignal)]
    if not steps or not isinstance(baseline, SignallingGame):
        return []
    t = steps[-1]
    hi = 4 * t.size if t.size > 0 else Fraction(10)

    def family(x: Fraction) -> Any:
        return dataclasses.replace(t, size=x).apply(baseline)

    region = separating_range(family, lo=0, hi=hi)
    if region.is_empty:
        return [
            Threshold(
                "separating_size_min",
                f"smallest size of {t.message!r} with a separating equilibrium (none)",
                None,
                None,
                t.size,
            )
        ]
    lo_, hi_ = Fraction(str(region.inf)), Fraction(str(region.sup))
    return [
        Threshold(
            "separating_size_min",
            f"smallest size of {t.message!r} with a separating equilibrium (least-cost separation)",
            None,
            lo_,
            t.size,
        ),
        Threshold(
            "separating_size_max",
            f"largest size of {t.message!r} with a separating equilibrium"
            + ("" if hi_ < hi else " (at least; end of the range searched)"),
            None,
            hi_,
            t.size,
        ),
    ]


def _thresholds(rec: Recommendation, baseline: Any, reformed: Any) -> tuple[Threshold, ...]:
    crit = rec.criterion
    profile = getattr(crit, "profile", None)
    out: list[Threshold] = _race_thresholds(baseline, reformed)
    out += _triangle_thresholds(baseline, reformed)
    out += _bargaining_thresholds(baseline, reformed)
    out += _chance_thresholds(rec, baseline, reformed)
    out += _signal_thresholds(rec, baseline)
    if profile is not None:
        b_star, b_delta, _b_issues = _delta_threshold(baseline, profile)
        a_star, a_delta, a_issues = _delta_threshold(reformed, profile)
        repeated = isinstance(baseline, RepeatedGame | LinkedGame) or isinstance(
            reformed, RepeatedGame | LinkedGame
        )
        if repeated:
            out.append(
                Threshold(
                    "delta_star",
                    f"critical discount factor for ({', '.join(profile)}) (grim trigger)",
                    b_star,
                    a_star,
                    _num(a_delta),
                    _num(b_delta),
                )
            )
            olds = dict(_player_stars(baseline, profile))
            for who, star in _player_stars(reformed, profile):
                out.append(
                    Threshold(
                        f"delta_star[{who}]",
                        f"critical discount factor of {who}",
                        olds.get(who),
                        star,
                        _num(a_delta),
                        _num(b_delta),
                    )
                )
            by_issue = {t.name: t for t in _b_issues}
            for t in a_issues:
                old = by_issue.get(t.name)
                out.append(
                    dataclasses.replace(
                        t,
                        before=None if old is None else old.after,
                        value_before=None if old is None else old.value,
                    )
                )
        contact = [g for g in (baseline, reformed) if isinstance(g, RepeatedGame) and g.rate]
        if contact:

            def dmax(g: Any) -> Any:
                if not isinstance(g, RepeatedGame) or g.rate is None:
                    return None
                star = critical_delta(g, profile).delta_star
                return _num(max_contact_interval(star, g.rate))

            interval = reformed.contact_interval if isinstance(reformed, RepeatedGame) else None
            old_interval = baseline.contact_interval if isinstance(baseline, RepeatedGame) else None
            out.append(
                Threshold(
                    "max_contact_interval",
                    "longest interval between contacts that still sustains the target",
                    dmax(baseline),
                    dmax(reformed),
                    interval,
                    old_interval,
                )
            )
        b_stage, a_stage = _stage(baseline), _stage(reformed)
        if (
            isinstance(b_stage, NormalFormGame)
            and isinstance(a_stage, NormalFormGame)
            and not repeated
            and b_stage.shape == (2, 2)
            and a_stage.shape == (2, 2)
        ):
            for i, pl in enumerate(b_stage.players):

                def p_star(g: NormalFormGame, i: int = i) -> Any:
                    try:
                        return threshold_belief(g, i, profile[i]).p
                    except GameError:
                        return None

                out.append(
                    Threshold(
                        f"p_star[{pl}]",
                        f"belief that the other plays {profile[1 - i]!r} needed for {pl} "
                        f"to play {profile[i]!r}",
                        p_star(b_stage),
                        p_star(a_stage),
                    )
                )
    return tuple(out)


# -- criteria ---------------------------------------------------------------------------------
def _pure_equilibrium(sol: Solution, profile: tuple[str, ...]) -> bool | None:
    normal = [e for e in sol.equilibria if isinstance(e, Equilibrium)]
    if len(normal) != len(sol.equilibria):
        return None
    profile = _fit(sol.game, profile)
    return any(e.pure_profile() == profile for e in normal)


def _outcome_probability(eq: Equilibrium, profiles: Sequence[tuple[str, ...]]) -> Any:
    total: Any = Fraction(0)
    probs = eq.by_label(include_zero=True)
    for prof in profiles:
        p: Any = Fraction(1)
        if len(prof) > len(eq.players):
            raise KeyError(f"profile {prof} names more strategies than there are players")
        # Labels refer to the first players; players added by a transform are marginalised.
        for pl, s in zip(eq.players, prof, strict=False):
            p = p * probs[pl].get(s, Fraction(0))
        total = total + p
    return total


def _is_bargaining(game: Any) -> bool:
    from ..games.bargaining import BargainingModel

    return isinstance(game, BargainingModel)


def _bargaining_thresholds(baseline: Any, reformed: Any) -> list[Threshold]:
    """The proposer's optimal concession and the war probability (Fearon 1995), exactly."""
    if not (_is_bargaining(baseline) and _is_bargaining(reformed)):
        return []
    from ..solver.bargaining import solve_bargaining

    b, a = solve_bargaining(baseline), solve_bargaining(reformed)
    return [
        Threshold("offer", "the proposer's optimal concession", b.offer, a.offer),
        Threshold(
            "p_war", "probability of war at that offer", b.war_probability, a.war_probability
        ),
    ]


def _is_triangle(game: Any) -> bool:
    from ..games.triangle import SignedTriangle

    return isinstance(game, SignedTriangle)


def _assess_separating(crit: SeparatingExists, game: Any) -> Assessment:
    """Pure PBE of a signalling game: is there a separating one meeting the type with action?"""
    from ..games.signalling import SignallingGame
    from ..solver.signalling import signalling_equilibria

    if not isinstance(game, SignallingGame):
        return Assessment(None, None, "a separating equilibrium needs a signalling game")
    if crit.sender_type not in game.types or crit.action not in game.actions:
        return Assessment(
            None,
            None,
            f"unknown type {crit.sender_type!r} or action {crit.action!r} of the signalling game",
        )
    eqs, _complete = signalling_equilibria(game, mixed=False)
    kinds = sorted({e.kind for e in eqs})
    good = []
    for e in eqs:
        if e.kind != "separating":
            continue
        (msg,) = e.sender[crit.sender_type]
        if e.receiver[msg].get(crit.action, Fraction(0)) == 1:
            good.append(e)
    if good:
        best = good[0]
        return Assessment(
            True,
            Fraction(1),
            f"separating equilibrium: {best.describe()}"
            + ("" if best.intuitive else " (fails the intuitive criterion)"),
        )
    met = [
        e.receiver[m].get(crit.action, Fraction(0)) * p
        for e in eqs
        for m, p in e.sender[crit.sender_type].items()
    ]
    return Assessment(
        False,
        Fraction(0),
        f"no separating equilibrium meets {crit.sender_type!r} with {crit.action!r}; "
        f"{len(eqs)} pure equilibri{'um' if len(eqs) == 1 else 'a'} "
        f"({', '.join(kinds) or 'none'}); {crit.sender_type!r} is met with "
        f"{crit.action!r} with probability at most {_n(max(met, default=Fraction(0)))}",
    )


def _assess_avoided(crit: ActionAvoided, game: Any) -> Assessment:
    """Largest probability of the action over all pure PBE of a tree (0: avoided)."""
    from ..solver.pbe import perfect_bayesian_equilibria

    if not isinstance(game, ExtensiveFormGame):
        return Assessment(None, None, "perfect Bayesian equilibria need a game tree")
    if crit.player not in game.players:
        return Assessment(None, None, f"unknown player {crit.player!r}")
    i = game.players.index(crit.player)
    sets = [h.label for h in game.infosets[i] if crit.action in h.actions]
    if not sets:
        return Assessment(None, None, f"{crit.player} never has the action {crit.action!r}")
    sol = perfect_bayesian_equilibria(game)
    if not sol.equilibria:
        return Assessment(None, None, "no perfect Bayesian equilibrium found")
    worst = max(eq.probability(crit.player, h, crit.action) for eq in sol.equilibria for h in sets)
    n = len(sol.equilibria)
    plays = "never plays" if worst == 0 else "plays"
    return Assessment(
        worst == 0 if sol.complete else (None if worst == 0 else False),
        worst,
        f"{crit.player} {plays} {crit.action!r} in {n} pure perfect Bayesian "
        f"equilibri{'um' if n == 1 else 'a'} (largest probability {_n(worst)})",
    )


def _assess(crit: Criterion, game: Any, sol: Solution | None) -> Assessment:
    if isinstance(crit, ThresholdBelow) or (
        isinstance(crit, TargetIsEquilibrium) and isinstance(game, RepeatedGame | LinkedGame)
    ):
        profile = crit.profile
        if isinstance(game, RepeatedGame | LinkedGame):
            star, delta, _ = _delta_threshold(game, profile)
            if star is None:
                return Assessment(False, None, "no discount factor below 1 sustains the target")
            if delta is None:
                return Assessment(None, star, f"delta* = {_n(star)} but no discount factor given")
            ok = _num(delta) >= star
            rel = ">=" if ok else "<"
            # The measure is the margin delta - delta*: it moves when either side moves.
            return Assessment(
                ok, _num(delta) - star, f"delta = {_n(delta)} {rel} delta* = {_n(star)}"
            )
        if sol is None:
            return Assessment(None, None, "the game form has no solution to check")
        eq = _pure_equilibrium(sol, profile)
        where = f"({', '.join(profile)})"
        if eq is None:
            return Assessment(None, None, "one-shot game solved in behaviour strategies")
        if eq:
            return Assessment(
                True, Fraction(0), f"one-shot game: {where} is already an equilibrium"
            )
        return Assessment(False, None, f"one-shot game: {where} is not an equilibrium")
    if isinstance(crit, SeparatingExists):
        return _assess_separating(crit, game)
    if isinstance(crit, ActionAvoided):
        return _assess_avoided(crit, game)
    if isinstance(crit, WelfareRises) and _is_triangle(game):
        scores = [Fraction(game.score(p)) for p in game.players]
        value = sum(scores, Fraction(0)) if crit.measure == "utilitarian" else min(scores)
        what = "total score" if crit.measure == "utilitarian" else "lowest score"
        return Assessment(None, value, f"{game.configuration}: {what} {_n(value)}")
    if isinstance(crit, ProbabilityFalls) and _is_bargaining(game):
        from ..solver.bargaining import solve_bargaining

        out = solve_bargaining(game)
        return Assessment(
            None,
            out.war_probability,
            f"probability of {crit.quantity} {_n(out.war_probability)} at the proposer's "
            f"optimal offer {_n(out.offer)}" + (" (the cap binds)" if out.cap_binds else ""),
        )
    if isinstance(crit, BecomesStable):
        if not isinstance(game, LinearResponseGame):
            return Assessment(None, None, "stability applies to continuous (Richardson) games")
        from ..solver.continuous import stability

        st = stability(game)
        word = "stable" if st.continuous_time else "unstable"
        return Assessment(st.continuous_time, None, f"the race equilibrium is {word}")
    if sol is None:
        return Assessment(None, None, "the game form has no solution to check")
    if isinstance(crit, TargetIsSelected):
        where = f"({', '.join(crit.profile)})"
        if crit.rule == "risk":
            stage = _stage(game)
            if not isinstance(stage, NormalFormGame):
                return Assessment(None, None, "risk dominance needs a normal-form game")
            rd = risk_dominant(stage).dominant
            ok = rd == _fit(stage, crit.profile)
            shown = "none" if rd is None else f"({', '.join(rd)})"
            return Assessment(ok, Fraction(int(ok)), f"risk-dominant equilibrium: {shown}")
        pdom = payoff_dominant(sol)
        sel = None if pdom is None else pdom.pure_profile()
        ok = sel == _fit(sol.game, crit.profile)
        shown = "none" if sel is None else f"({', '.join(sel)})"
        return Assessment(ok, Fraction(int(ok)), f"payoff-dominant equilibrium: {shown}")
    if isinstance(crit, TargetIsEquilibrium):  # also TargetIsUnique
        where = f"({', '.join(crit.profile)})"
        eq = _pure_equilibrium(sol, crit.profile)
        if eq is None:
            return Assessment(None, None, "equilibria are in behaviour strategies")
        if isinstance(crit, TargetIsUnique):
            if not sol.complete:
                return Assessment(None, None, "the solution may be incomplete")
            ok = eq and len(sol.equilibria) == 1
            n = len(sol.equilibria)
            return Assessment(
                ok,
                Fraction(int(ok)),
                f"{where} {'is' if eq else 'is not'} "
                f"an equilibrium; {n} equilibri{'um' if n == 1 else 'a'} in all",
            )
        return Assessment(
            eq, Fraction(int(eq)), f"{where} {'is' if eq else 'is not'} an equilibrium"
        )
    if isinstance(crit, ProbabilityFalls):
        normal = [e for e in sol.equilibria if isinstance(e, Equilibrium)]
        if not normal or len(normal) != len(sol.equilibria):
            return Assessment(None, None, "no normal-form equilibria to compute it from")
        try:
            probs = [_outcome_probability(e, crit.profiles) for e in normal]
        except KeyError as exc:
            return Assessment(None, None, f"cannot compute the outcome's probability: {exc}")
        worst = max(probs)
        return Assessment(None, worst, f"worst-case probability of {crit.quantity} is {_n(worst)}")
    if isinstance(crit, WelfareRises):
        if not sol.equilibria:
            return Assessment(None, None, "no equilibrium")
        vals = [
            sum(e.payoffs, Fraction(0)) if crit.measure == "utilitarian" else min(e.payoffs)
            for e in sol.equilibria
        ]
        worst = min(vals)
        return Assessment(
            None, worst, f"{crit.measure} welfare at the worst equilibrium {_n(worst)}"
        )
    return Assessment(None, None, f"criterion {crit.criterion!r} is not supported")


def _compare_measures(crit: Criterion, before: Assessment, after: Assessment) -> Assessment:
    """For 'falls' / 'rises' criteria the verdict is a comparison of the two measures."""
    if before.measure is None or after.measure is None:
        return Assessment(None, after.measure, after.reason + "; cannot compare with the baseline")
    b, a = _num(before.measure), _num(after.measure)
    if isinstance(crit, ProbabilityFalls):
        ok = a < b
        verb = "falls" if ok else "does not fall"
        return Assessment(
            ok,
            after.measure,
            f"probability of {crit.quantity} {verb}: {_n(before.measure)} -> {_n(after.measure)}",
        )
    ok = a > b
    verb = "rises" if ok else "does not rise"
    return Assessment(
        ok, after.measure, f"welfare {verb}: {_n(before.measure)} -> {_n(after.measure)}"
    )


def _improvement(crit: Criterion, before: Assessment, after: Assessment) -> Any:
    if isinstance(crit, ThresholdBelow | WelfareRises):
        if before.measure is None or after.measure is None:
            return None
        return _num(after.measure) - _num(before.measure)
    if isinstance(crit, ProbabilityFalls | ActionAvoided):
        if before.measure is None or after.measure is None:
            return None
        return _num(before.measure) - _num(after.measure)
    if before.holds is None or after.holds is None:
        return None
    return Fraction(int(after.holds) - int(before.holds))


# -- the finding ------------------------------------------------------------------------------
def _list(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _finding(ev_parts: dict[str, Any]) -> str:
    rec: Recommendation = ev_parts["rec"]
    shift: EquilibriumShift | None = ev_parts["shift"]
    before: Solution | None = ev_parts["before"]
    after: Solution | None = ev_parts["after"]
    thresholds: tuple[Threshold, ...] = ev_parts["thresholds"]
    verdict: Verdict = ev_parts["verdict"]
    s: list[str] = []
    kind = ""
    if shift is not None and shift.class_before:
        kind = f", a {shift.class_before}"
    s.append(f"{rec.id} ({rec.title}) acts on {_list(list(rec.targets))}{kind}.")
    if before is not None:
        eqs = [e.describe() for e in before.equilibria[:3]]
        more = f" and {len(before.equilibria) - 3} more" if len(before.equilibria) > 3 else ""
        n = len(before.equilibria)
        what = (
            "the game tree has"
            if isinstance(before.game, ExtensiveFormGame)
            else "the one-shot game has"
        )
        caveat = (
            " Nash equilibria do not check sequential rationality off the path; the criterion "
            "uses perfect Bayesian equilibria."
            if isinstance(rec.criterion, ActionAvoided)
            else ""
        )
        s.append(
            f"In the baseline {what} {n} Nash equilibri{'um' if n == 1 else 'a'}"
            + (f" ({'; '.join(eqs)}{more})" if eqs else "")
            + "."
            + caveat
        )
    if before is None or isinstance(rec.criterion, ActionAvoided | SeparatingExists):
        s.append(f"In the baseline {ev_parts['assessment_before'].reason}.")
    s.append(f"The change ({rec.transform.describe()})")
    if shift is not None and after is not None:
        parts = []
        if shift.class_after and shift.class_after != shift.class_before:
            parts.append(f"turns the game into a {shift.class_after}")
        counts = []
        for status in ("persisted", "moved", "vanished", "appeared"):
            k = len(shift.by_status(status))
            if k:
                counts.append(f"{k} {status}")
        if counts:
            which = "Nash" if isinstance(after.game, ExtensiveFormGame) else "one-shot"
            parts.append(f"leaves the {which} equilibria as follows: " + _list(counts))
        for m in shift.by_status("moved"):
            assert m.before is not None and m.after is not None
            parts.append(f"the mixed equilibrium moves to {m.after.describe()}")
        wb, wa = shift.welfare_before.worst_utilitarian, shift.welfare_after.worst_utilitarian
        if wb is not None and wa is not None and wb != wa:
            parts.append(f"worst-case total payoff goes from {_n(wb)} to {_n(wa)}")
        changed = [
            i
            for i in shift.incentives
            if i.change != "unchanged" and i.gain_before is not None and i.gain_after is not None
        ]
        for i in changed:
            parts.append(
                f"{i.player}'s gain from deviating at the target goes from "
                f"{_n(i.gain_before)} to {_n(i.gain_after)} ({i.change})"
            )
        s[-1] += " " + ("; ".join(parts) if parts else "does not change the one-shot equilibria")
    s[-1] += "."
    if isinstance(rec.criterion, ActionAvoided | SeparatingExists):
        s.append(f"After the change {ev_parts['assessment_after'].reason}.")
    for t in thresholds:
        if t.before is None and t.after is None:
            continue
        line = f"{t.description[0].upper()}{t.description[1:]}: "
        if t.before is not None and t.after is not None and _num(t.before) != _num(t.after):
            line += f"from {_n(t.before)} to {_n(t.after)}"
        elif t.after is not None:
            line += f"{_n(t.after)}"
        else:
            line += f"{_n(t.before)} before, not applicable after"
        if t.value is not None and t.value_before is not None and t.value_before != t.value:
            line += f", against {_n(t.value_before)} before and {_n(t.value)} after the change"
        elif t.value is not None:
            line += f", against {_n(t.value)} in play"
        if t.value is not None and t.after is not None and t.name.startswith("delta_star"):
            line += " (met)" if _num(t.value) >= _num(t.after) else " (not met)"
        elif t.value is not None and t.after is not None and t.name == "max_contact_interval":
            line += " (met)" if _num(t.value) <= _num(t.after) else " (not met)"
        s.append(line + ".")
    s.append(f"Verdict: it {verdict.status} ({verdict.reason}).")
    return " ".join(s)


# -- evaluate ---------------------------------------------------------------------------------
def evaluate(
    recommendation: Recommendation, games: Mapping[str, Any], *, detail: bool = True
) -> Evaluation:
    """Evaluate ``recommendation`` on ``games`` (a mapping: game name → game value).

    The transforms apply to ``games[recommendation.targets[0]]``. With ``detail=False`` only
    what the verdict needs is computed: the shift and the thresholds are left empty and the
    finding is the verdict's reason (robustness analysis evaluates thousands of samples).

    Raises
    ------
    GameError
        When the target game is missing or a transform does not apply to it.
    """
    rec = recommendation
    name = rec.targets[0]
    if name not in games:
        raise GameError(
            f"evaluate(): recommendation {rec.id!r} targets game {name!r}; "
            f"available: {sorted(games)}"
        )
    baseline = games[name]
    reformed = rec.transform.apply(baseline)
    before, after = _solve(baseline), _solve(reformed)
    profile = getattr(rec.criterion, "profile", None)
    shift = None
    if detail and before is not None and after is not None:
        if profile is not None and isinstance(baseline, LinkedGame):
            # The linked stage plays every issue at once: "C" in each issue is "C+C".
            profile = tuple("+".join([s] * len(baseline.games)) for s in profile)
        shift = compare(
            before, after, target=None if profile is None else _fit(after.game, profile)
        )
    thresholds = _thresholds(rec, baseline, reformed) if detail else ()
    ab = _assess(rec.criterion, baseline, before)
    aa = _assess(rec.criterion, reformed, after)
    if isinstance(rec.criterion, ProbabilityFalls | WelfareRises):
        aa = _compare_measures(rec.criterion, ab, aa)
    if aa.holds is None:
        verdict = Verdict(UNDETERMINED, aa.reason)
    elif aa.holds:
        already = " (it already held before the change)" if ab.holds else ""
        verdict = Verdict(WORKS, aa.reason + already)
    else:
        verdict = Verdict(FAILS, aa.reason)
    notes = []
    for sol in (before, after):
        if sol is not None and not sol.complete:
            notes.append(f"{sol.method}: the solution may be incomplete")
    finding = (
        verdict.reason
        if not detail
        else _finding(
            {
                "rec": rec,
                "shift": shift,
                "before": before,
                "after": after,
                "thresholds": thresholds,
                "verdict": verdict,
                "assessment_before": ab,
                "assessment_after": aa,
            }
        )
    )
    return Evaluation(
        recommendation=rec,
        baseline=baseline,
        reformed=reformed,
        before=before,
        after=after,
        shift=shift,
        thresholds=thresholds,
        assessment_before=ab,
        assessment_after=aa,
        verdict=verdict,
        finding=finding,
        improvement=_improvement(rec.criterion, ab, aa),
        notes=tuple(notes),
    )


# -- ranking ----------------------------------------------------------------------------------
_ORDER = {WORKS: 0, UNDETERMINED: 1, FAILS: 2}


@dataclass(frozen=True)
class RankingRow:
    """One row of :class:`Ranking`."""

    rank: int
    id: str
    title: str
    verdict: str
    criterion: str
    improvement: Any

    def to_json(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "id": self.id,
            "title": self.title,
            "verdict": self.verdict,
            "criterion": self.criterion,
            "improvement": _n(self.improvement),
        }


@dataclass(frozen=True)
class Ranking:
    """Recommendations ranked: those that work first, then by improvement (largest first)."""

    rows: tuple[RankingRow, ...]

    def to_json(self) -> list[dict[str, Any]]:
        return [r.to_json() for r in self.rows]

    def to_markdown(self) -> str:
        """A Markdown table."""
        lines = [
            "| rank | id | title | verdict | criterion | improvement |",
            "|---|---|---|---|---|---|",
        ]
        for r in self.rows:
            imp = _n(r.improvement) or "-"
            lines.append(f"| {r.rank} | {r.id} | {r.title} | {r.verdict} | {r.criterion} | {imp} |")
        return "\n".join(lines)


def compare_recommendations(evaluations: Sequence[Evaluation]) -> Ranking:
    """Rank evaluations: verdict (works, undetermined, does not work), then improvement, then id.

    Improvements of different criteria are not on one scale; within a verdict they only order
    recommendations judged by the same kind of criterion sensibly.
    """

    def key(ev: Evaluation) -> tuple[Any, ...]:
        imp = ev.improvement
        return (
            _ORDER[ev.verdict.status],
            imp is None,
            -float(imp) if imp is not None else 0.0,
            ev.recommendation.id,
        )

    rows = tuple(
        RankingRow(
            k + 1,
            ev.recommendation.id,
            ev.recommendation.title,
            ev.verdict.status,
            ev.recommendation.criterion.describe(),
            ev.improvement,
        )
        for k, ev in enumerate(sorted(evaluations, key=key))
    )
    return Ranking(rows)


# -- bundles ----------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class BundleEvaluation:
    """Several recommendations applied together, judged by one criterion.

    Attributes
    ----------
    combined
        The evaluation of all transforms applied in order.
    alone
        Each recommendation evaluated alone with the same criterion.
    interaction
        ``combined.improvement - sum(alone improvements)``: positive when the bundle does more
        than the sum of its parts, negative when the parts overlap; ``None`` if unknown.
    kind
        ``"complementary"``, ``"additive"``, ``"substitutes"`` or ``"unknown"``.
    only_together
        True when the bundle works and no part works alone.
    """

    combined: Evaluation
    alone: tuple[Evaluation, ...]
    interaction: Any
    kind: str
    only_together: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "combined": self.combined.to_json(),
            "alone": [
                {
                    "id": e.recommendation.id,
                    "verdict": e.verdict.status,
                    "improvement": _n(e.improvement),
                }
                for e in self.alone
            ],
            "interaction": _n(self.interaction),
            "kind": self.kind,
            "only_together": self.only_together,
        }


def bundle(
    recommendations: Sequence[Recommendation],
    games: Mapping[str, Any],
    *,
    criterion: Criterion | None = None,
) -> BundleEvaluation:
    """Apply several recommendations together and report the interaction.

    All must target the same game (their first target). The bundle is judged by ``criterion``
    (default: the first recommendation's), and so is each part alone, so that the
    improvements are on one scale.

    Raises
    ------
    GameError
        For an empty bundle or recommendations aimed at different games.
    """
    if not recommendations:
        raise GameError("bundle(): give at least one recommendation")
    target = recommendations[0].targets[0]
    for r in recommendations:
        if r.targets[0] != target:
            raise GameError(
                f"bundle(): {r.id!r} targets {r.targets[0]!r}, the others {target!r}; "
                "a bundle acts on one game"
            )
    crit = criterion or recommendations[0].criterion
    alone = tuple(evaluate(dataclasses.replace(r, criterion=crit), games) for r in recommendations)
    combined_rec = Recommendation(
        id=" + ".join(r.id for r in recommendations),
        title=" + ".join(r.title for r in recommendations),
        quote=" / ".join(r.quote for r in recommendations),
        section=", ".join(r.section for r in recommendations),
        targets=(target,),
        transforms=tuple(t for r in recommendations for t in r.transforms),
        criterion=crit,
        notes="bundle",
    )
    combined = evaluate(combined_rec, games)
    parts = [e.improvement for e in alone]
    if combined.improvement is None or any(p is None for p in parts):
        interaction, kind = None, "unknown"
    else:
        interaction = _num(combined.improvement) - sum(_num(p) for p in parts)
        kind = (
            "complementary"
            if interaction > 0
            else "substitutes"
            if interaction < 0
            else ("additive")
        )
    only = combined.verdict.status == WORKS and all(e.verdict.status != WORKS for e in alone)
    return BundleEvaluation(combined, alone, interaction, kind, only)


# -- scenario files ---------------------------------------------------------------------------
def scenario_recommendations(scenario: Scenario) -> tuple[Recommendation, ...]:
    """The ``[[recommendations]]`` of a scenario, read and checked against its games.

    Raises
    ------
    FormatError
        ``file:line: recommendations[k].key.path: what was expected``: an unknown transform
        or criterion, an unknown or missing key, a value of the wrong kind, or a target game
        the file does not define.

    Examples
    --------
    >>> from equishift.recommendations.scenarios import load_scenario
    >>> [r.id for r in scenario_recommendations(load_scenario("repeated-pd"))]
    ['R2', 'R3', 'R5']
    """
    recs = recommendations_from_tables(scenario.recommendations, source=scenario.path)
    for k, rec in enumerate(recs):
        for j, name in enumerate(rec.targets):
            if name not in scenario.games:
                where: tuple[str | int, ...] = ("recommendations", k, "targets")
                raise scenario.error(
                    where
                    if isinstance(scenario.recommendations[k].data.get("targets"), str)
                    else (*where, j),
                    f"unknown target game {name!r}; expected one of "
                    + ", ".join(repr(g) for g in scenario.games),
                )
    return recs


def evaluate_scenario(name_or_path: str | Path) -> list[Evaluation]:
    """Evaluate every recommendation of a scenario file on that file's games.

    ``name_or_path`` is a bundled scenario's name (``"repeated-pd"``) or the path of a TOML
    file written by a user.

    Examples
    --------
    >>> [(e.recommendation.id, e.verdict.status) for e in evaluate_scenario("repeated-pd")]
    [('R2', 'works'), ('R3', 'works'), ('R5', 'works')]
    """
    from ..games.formats.scenario import read_scenario
    from .scenarios import list_scenarios, load_scenario

    text = str(name_or_path)
    stem = text.removesuffix(".toml")
    if isinstance(name_or_path, str) and stem in list_scenarios() and "/" not in text:
        scenario = load_scenario(stem)
    else:
        scenario = read_scenario(name_or_path)
    recs = scenario_recommendations(scenario)
    return [evaluate(rec, scenario.games) for rec in recs]


def brief_evaluations() -> list[Evaluation]:
    """The brief's ten recommendations, evaluated from the bundled scenario files.

    In the brief's order: DF, R1 to R8, then BN (the order of
    :data:`equishift.recommendations.brief.RECOMMENDATIONS`).

    Examples
    --------
    >>> evs = brief_evaluations()
    >>> [e.recommendation.id for e in evs]
    ['DF', 'R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'BN']
    >>> {e.verdict.status for e in evs}
    {'works'}
    """
    from .brief import RECOMMENDATIONS, SCENARIO_OF

    order = [r.id for r in RECOMMENDATIONS]
    out: dict[str, Evaluation] = {}
    for name in dict.fromkeys(SCENARIO_OF[i] for i in order):
        for ev in evaluate_scenario(name):
            out[ev.recommendation.id] = ev
    missing = [i for i in order if i not in out]
    if missing:
        raise GameError(f"brief_evaluations(): no table for {missing} in the bundled files")
    return [out[i] for i in order] + [e for i, e in out.items() if i not in order]
