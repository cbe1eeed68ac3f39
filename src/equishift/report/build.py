"""Build a :class:`~equishift.report.model.Briefing` from evaluations (nothing is solved here).

Every sentence is generated from the numbers in the
:class:`~equishift.recommendations.evaluate.Evaluation` objects it is given; nothing is written
per scenario.

Examples
--------
>>> from equishift.recommendations.brief import R1, brief_games
>>> from equishift.recommendations.evaluate import evaluate
>>> b = build_briefing([evaluate(R1, brief_games())], title="Engagement")
>>> b.summary.rows[0].verdict, b.summary.rows[0].robustness
('works', 'not assessed')
>>> b.sections[0].before.figure.equilibria
((0, 0), (1, 1))
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..games.continuous import LinearResponseGame
from ..games.extensive_form import ExtensiveFormGame
from ..games.normal_form import NormalFormGame
from ..games.numbers import format_number
from ..recommendations.evaluate import Evaluation, Threshold
from ..recommendations.recommendation import (
    BecomesStable,
    ProbabilityFalls,
    TargetIsEquilibrium,
    TargetIsSelected,
    ThresholdBelow,
    WelfareRises,
)
from ..solver.solution import BehaviorEquilibrium, Equilibrium, Solution
from .model import (
    Assumption,
    Bar,
    BarFigure,
    Briefing,
    EquilibriumRow,
    Figure,
    GamePicture,
    MapFigure,
    MapRecord,
    MapView,
    MatrixFigure,
    ParameterValue,
    Robustness,
    SamplingRecord,
    Section,
    ShiftRow,
    Stamp,
    Summary,
    SummaryRow,
    ThresholdRow,
    TornadoBar,
    TornadoFigure,
    TreeFigure,
    TreeNode,
    evaluation_text,
)

if TYPE_CHECKING:
    from ..recommendations.maps import VerdictMap
    from ..recommendations.robustness import Robustness as RobustnessResult

__all__ = ["DEFAULT_TITLE", "build_briefing", "robustness_summary"]

DEFAULT_TITLE = "Policy recommendations: how the equilibria shift"
MAX_CELLS = 64
MAX_TREE_NODES = 60
NOT_ASSESSED = "not assessed"
MAX_REGIMES = 8
"""A map outlines the baseline's equilibrium regions only when there are at most this many."""


def fmt(x: Any) -> str | None:
    """Numbers as text: exact as ``"p/q"``, floats to 4 significant digits, ``None`` kept.

    >>> fmt(Fraction(11, 35)), fmt(0.36787944), fmt(None), fmt(True)
    ('11/35', '0.3679', None, 'yes')
    """
    if x is None:
        return None
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, Fraction | int):
        return format_number(Fraction(x))
    if isinstance(x, float):
        return "∞" if math.isinf(x) else f"{x:.4g}"
    try:
        return f"{float(x):.4g}"
    except (TypeError, ValueError):
        return str(x)


def _t(x: Any) -> str:
    out = fmt(x)
    return "–" if out is None else out


def _float(x: Any) -> float | None:
    try:
        return None if x is None else float(x)
    except (TypeError, ValueError):
        return None


def _slug(text: str) -> str:
    keep = "".join(c if c.isalnum() else "-" for c in text)
    return "-".join(p for p in keep.split("-") if p) or "x"


def _delta(text: str) -> str:
    return text.replace("delta*", "δ*").replace("delta", "δ").replace(">=", "≥")


# -- pictures ---------------------------------------------------------------------------------
def _matrix(
    name: str, game: NormalFormGame, sol: Solution | None, target: tuple[str, ...] | None
) -> MatrixFigure:
    rows, cols = game.strategies[0], game.strategies[1]
    payoffs = tuple(
        tuple((_t(game.payoff((r, c))[0]), _t(game.payoff((r, c))[1])) for c in cols) for r in rows
    )
    cells: list[tuple[int, int]] = []
    mixed: list[str] = []
    for eq in () if sol is None else sol.equilibria:
        if isinstance(eq, Equilibrium):
            pure = eq.pure_profile()
            if pure is not None:
                cells.append((rows.index(pure[0]), cols.index(pure[1])))
            else:
                mixed.append(eq.describe())
    cell = None
    if target is not None and len(target) >= 2:
        r, c = target[0], target[1]
        if r not in rows and "+" in rows[0]:  # linked issues: the target in every issue
            k = rows[0].count("+") + 1
            r, c = "+".join([r] * k), "+".join([c] * k)
        if r in rows and c in cols:
            cell = (rows.index(r), cols.index(c))
    note = ""
    if mixed:
        note = "Also in mixed strategies: " + " | ".join(mixed) + "."
    return MatrixFigure(
        name=name,
        title=game.title or "Payoff matrix",
        players=(game.players[0], game.players[1]),
        rows=tuple(rows),
        cols=tuple(cols),
        payoffs=payoffs,
        equilibria=tuple(cells),
        target=cell,
        note=note,
    )


def _tree(name: str, game: ExtensiveFormGame, sol: Solution | None) -> TreeFigure:
    tree = game.tree
    pays = game.node_payoffs()
    eq = None
    if sol is not None:
        eq = next((e for e in sol.equilibria if isinstance(e, BehaviorEquilibrium)), None)
    chosen: dict[tuple[str, str], dict[str, Any]] = {}
    if eq is not None:
        for pl, isets in eq.by_label().items():
            for iset, d in isets.items():
                chosen[(pl, iset)] = d
    nodes: list[TreeNode] = []
    totals: list[list[Any]] = []
    for v in range(tree.n_nodes):
        parent = int(tree.parent[v])
        own = list(pays[v])
        totals.append(
            own if parent < 0 else [a + b for a, b in zip(totals[parent], own, strict=True)]
        )
        action, played = "", False
        if parent >= 0:
            info = game.node_infoset(parent)
            assert info is not None
            action = info.actions[int(tree.action[v])]
            if info.player >= 0:
                d = chosen.get((game.players[info.player], info.label), {})
                played = d.get(action, 0) == 1
            else:
                played = True
        here = game.node_infoset(v)
        mover = "" if here is None else ("chance" if here.player < 0 else game.players[here.player])
        payoffs = None if here is not None else tuple(_t(x) for x in totals[v])
        infoset = "" if here is None or here.player < 0 else here.label
        nodes.append(TreeNode(parent, action, mover, payoffs, played, infoset))
    sets = [(n.mover, n.infoset) for n in nodes if n.infoset]
    shared = len(sets) != len(set(sets))
    note = "Dotted: nodes the mover cannot tell apart (one information set)." if shared else ""
    if eq is not None:
        note = f"{note} Thick edges: the equilibrium {eq.describe()}.".strip()
    return TreeFigure(name, game.title or "Game tree", tuple(game.players), tuple(nodes), note)


def _picture(
    name: str, game: Any, sol: Solution | None, target: tuple[str, ...] | None
) -> GamePicture:
    form = type(game).__name__
    stage = None if sol is None else sol.game
    title = str(getattr(game, "title", "") or "")
    cls = None
    if isinstance(stage, NormalFormGame) and stage.shape == (2, 2):
        from ..games.taxonomy import classify

        cls = classify(stage).name
    fig: Figure | None = None
    note = ""
    if stage is None:
        note = (
            "A continuous model: no payoff matrix; the thresholds below describe it."
            if isinstance(game, LinearResponseGame)
            else f"No payoff matrix is drawn for a {form}; the thresholds below describe it."
        )
    elif isinstance(stage, NormalFormGame):
        if stage.n_players != 2:
            note = f"A {stage.n_players}-player game: no matrix is drawn."
        elif stage.shape[0] * stage.shape[1] > MAX_CELLS:
            note = f"A {stage.shape[0]}×{stage.shape[1]} game is too large to draw."
        else:
            fig = _matrix(name, stage, sol, target)
            if stage is not game:
                note = "The matrix is the one-shot (stage) game played in each round."
    elif isinstance(stage, ExtensiveFormGame):
        if stage.n_nodes > MAX_TREE_NODES:
            note = f"A tree of {stage.n_nodes} nodes is too large to draw."
        else:
            fig = _tree(name, stage, sol)
    return GamePicture(title, form, cls, fig, note)


# -- words ------------------------------------------------------------------------------------
def _eq_rows(sol: Solution | None) -> tuple[EquilibriumRow, ...]:
    if sol is None:
        return ()
    return tuple(
        EquilibriumRow(
            e.describe(),
            tuple((p, _t(v)) for p, v in zip(e.players, e.payoffs, strict=True)),
            e.is_pure,
        )
        for e in sol.equilibria
    )


def _met(t: Threshold) -> bool | None:
    if t.value is None or t.after is None:
        return None
    v, a = _float(t.value), _float(t.after)
    if v is None or a is None:
        return None
    if t.name.startswith("delta_star"):
        return v >= a
    if t.name == "max_contact_interval":
        return v <= a
    return None


def _find(ev: Evaluation, name: str) -> Threshold | None:
    return next((t for t in ev.thresholds if t.name == name), None)


def _why(ev: Evaluation) -> str:
    """Why it works or not, in plain words, from the numbers."""
    crit = ev.recommendation.criterion
    profile = getattr(crit, "profile", None)
    what = "" if profile is None else f"({', '.join(profile)})"
    if isinstance(crit, ThresholdBelow):
        t = _find(ev, "delta_star")
        if t is None or t.after is None:
            return _cap(_delta(ev.assessment_after.reason)) + "."
        s = []
        if ev.before is not None and ev.assessment_before.holds is False and t.before is None:
            s.append(f"Played once, {what} is not stable: someone gains by breaking it.")
        s.append(
            f"Played repeatedly, {what} holds if the parties weigh the next round at least "
            f"δ* = {_t(t.after)} (on a 0–1 scale)"
        )
        if t.before is not None and _float(t.before) != _float(t.after):
            s[-1] += f"; the change lowers that bar from {_t(t.before)}"
        s[-1] += "."
        if t.value is not None:
            v = _t(t.value)
            if t.value_before is not None and _float(t.value_before) != _float(t.value):
                s.append(f"It raises how much the future counts from {_t(t.value_before)} to {v}.")
            ok = _met(t)
            s.append(f"With δ = {v} in play the bar is {'cleared' if ok else 'not cleared'}.")
        return " ".join(s)
    if isinstance(crit, TargetIsSelected):
        stars = [t for t in ev.thresholds if t.name.startswith("p_star[")]
        s = []
        if crit.rule == "risk" and stars:
            moves = []
            for t in stars:
                who = t.name[len("p_star[") : -1]
                if t.before is not None and t.after is not None and t.before != t.after:
                    moves.append(f"{who} from {_t(t.before)} to {_t(t.after)}")
                elif t.after is not None:
                    moves.append(f"{who} stays at {_t(t.after)}")
            s.append(
                f"To choose {what} a side must be confident enough that the other will too; "
                "the confidence needed moves for " + _and(moves) + "."
            )
        s.append(f"After the change the {_rule(crit.rule)} {_after_reason(ev)}.")
        return " ".join(s)
    if isinstance(crit, BecomesStable):
        t = _find(ev, "max_real_part")
        s = []
        if t is not None and t.before is not None and t.after is not None:
            s.append(
                f"The race's growth rate (largest eigenvalue real part) goes from "
                f"{_t(t.before)} to {_t(t.after)}; below zero the race settles, above it runs away."
            )
        levels = [x for x in ev.thresholds if x.name.startswith("level[")]
        if levels:
            s.append(
                "Equilibrium levels: "
                + _and([f"{x.name[6:-1]} {_t(x.before)} → {_t(x.after)}" for x in levels])
                + "."
            )
        s.append(_cap(_after_reason(ev)) + ".")
        return " ".join(s)
    if isinstance(crit, TargetIsEquilibrium | ProbabilityFalls | WelfareRises):
        return _cap(_after_reason(ev)) + "."
    return _cap(ev.verdict.reason) + "."


def _rule(rule: str) -> str:
    return "safer (risk-dominant)" if rule == "risk" else "best-for-all (payoff-dominant)"


def _after_reason(ev: Evaluation) -> str:
    r = _delta(ev.assessment_after.reason)
    r = r.replace("risk-dominant equilibrium: ", "outcome is ")
    return r.replace("payoff-dominant equilibrium: ", "outcome is ")


def _cap(text: str) -> str:
    """Upper-case the first letter only (labels inside keep their case)."""
    return text[:1].upper() + text[1:]


def _and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _caveats(ev: Evaluation, robust: bool = False) -> tuple[str, ...]:
    out: list[str] = []
    for when, sol in (("baseline", ev.before), ("changed game", ev.after)):
        if sol is None:
            continue
        if not sol.complete:
            out.append(
                f"The {when}'s equilibria may be incomplete ({sol.method}): an equilibrium "
                "reported as vanished may only not have been found."
            )
        if sol.degenerate and not any("degenerate" in w for w in sol.warnings):
            out.append(
                f"The {when} is degenerate: some equilibria form continua"
                + (f" ({len(sol.components)} component(s))" if sol.components else "")
                + "; the extreme points are listed."
            )
        if not sol.exact:
            out.append(
                f"The {when} was solved in floating point (regret tolerance {sol.tolerance:g})."
            )
        out.extend(f"{_cap(when)}: {w}" for w in sol.warnings)
    if ev.shift is not None:
        out.extend(ev.shift.notes)
    out.extend(ev.notes)
    if ev.verdict.status == "undetermined":
        out.append(f"The verdict is undetermined: {_delta(ev.verdict.reason)}.")
    if ev.assessment_before.holds and ev.verdict.status == "works":
        out.append("The criterion already held before the change.")
    stage = None if ev.after is None else ev.after.game
    if stage is not None and stage is not ev.reformed:
        out.append(
            "The equilibria listed are those of the one-shot game; whether repeated play "
            "sustains cooperation is what the thresholds say."
        )
    if not robust:
        out.append("Robustness to uncertain parameter values was not assessed.")
    return tuple(dict.fromkeys(out))


def _plain(x: Fraction) -> str:
    """An exact value for a general reader: small fractions as ``p/q``, others as decimals.

    >>> _plain(Fraction(3, 5)), _plain(Fraction(6)), _plain(Fraction(1021, 2048))
    ('3/5', '6', '0.499')
    """
    if x.denominator <= 12:
        return format_number(x)
    return f"{float(x):.3g}"


def _share(x: float) -> str:
    return f"{x:.0%}"


_METHOD = {"sobol": "evenly spread quasi-random points", "random": "pseudo-random points"}


def _it(verdict: str) -> str:
    """``"it works"``, ``"it does not work"``, ``"the verdict is undetermined"``."""
    return "the verdict is undetermined" if verdict == "undetermined" else f"it {verdict}"


def _robustness(rid: str, rob: RobustnessResult) -> Robustness:
    """The briefing's view of a robustness analysis: plain words, a tornado chart, the JSON."""
    n = rob.n
    lo, hi = rob.interval
    text = robustness_summary(rob)
    varied = ", ".join(rob.parameters) or "none"
    note = (
        f"{n} combinations of the uncertain values ({varied}) were drawn across their plausible "
        f"ranges ({_METHOD.get(rob.method, rob.method)}, seed {rob.seed}): it works in "
        f"{rob.works}, does not work in {rob.fails}"
        + (f", and could not be judged in {rob.undetermined}" if rob.undetermined else "")
        + ". The share counts the combinations that could be judged; the 95% confidence "
        "interval is how far it may be off because only a sample was drawn."
    )
    sens = [
        s
        for s in rob.sensitivity
        if s.difference != 0 and s.rate_low is not None and s.rate_high is not None
    ]
    if not rob.sensitivity:
        hinges = ""
    elif not sens:
        hinges = (
            "No single value changes the success rate between the lower and the upper half "
            "of its range."
        )
    else:
        top = sens[0]
        assert top.rate_low is not None and top.rate_high is not None
        mid = _plain(top.midpoint)
        hinges = (
            f"The verdict hinges most on {top.parameter}: it works in {_share(top.rate_low)} "
            f"of the samples with {top.parameter} below {mid} and in {_share(top.rate_high)} "
            f"of those with {top.parameter} at {mid} or more."
        )
        if len(sens) > 1:
            nxt = sens[1]
            assert nxt.rate_low is not None and nxt.rate_high is not None
            hinges += (
                f" Next comes {nxt.parameter} ({_share(nxt.rate_low)} in the lower half of its "
                f"range against {_share(nxt.rate_high)} in the upper half)."
            )
    if not rob.flips_searched:
        flip = "The smallest change that reverses the verdict was not searched."
    elif rob.default_verdict not in ("works", "does not work"):
        flip = (
            "At the default values the verdict is undetermined, so no reversing change was "
            "looked for."
        )
    elif rob.flip is None:
        flip = (
            "Moving any one value alone, as far as either end of its plausible range, does not "
            "reverse the verdict."
        )
    else:
        f = rob.flip
        verb = "raising" if f.value > f.default else "lowering"
        rel = float(f.relative_change)
        size = "less than 1%" if rel < 0.01 else _share(rel)
        flip = (
            f"The smallest single change that reverses the verdict: {verb} {f.parameter} from "
            f"{_plain(f.default)} to about {_plain(f.value)}, a move of {size} of its plausible "
            f"range; then {_it(f.verdict)}."
        )
    figure = None
    if sens:  # a chart of bars of length zero would say nothing
        figure = TornadoFigure(
            f"{_slug(rid)}-tornado",
            f"{rid}: what the verdict hinges on",
            tuple(
                TornadoBar(
                    s.parameter,
                    s.rate_low,
                    s.rate_high,
                    f"below {_plain(s.midpoint)}",
                    f"{_plain(s.midpoint)} or more",
                )
                for s in rob.sensitivity
            ),
            rob.probability,
            "Share of samples where it works when the value lies in the lower (light) or upper "
            "(dark) half of its plausible range; the vertical line is the overall share.",
        )
    return Robustness(
        probability=rob.probability,
        text=text,
        samples=n,
        note=note,
        interval=(lo, hi),
        seed=rob.seed,
        method=rob.method,
        hinges=hinges,
        flip=flip,
        figure=figure,
        analysis=evaluation_text(rob.to_json()),
    )


_CHOICE = {
    "given": "The two values were chosen by hand.",
    "sensitivity": "They are the two values the robustness analysis found the verdict hinges "
    "on most.",
    "scan": "They are the two values that change the verdict most often when moved one at a "
    "time across their ranges.",
}


def _map_view(rid: str, m: VerdictMap) -> MapView:
    """The briefing's view of a verdict map: plain words, the figure, the JSON."""
    cell = m.default_cell
    n = len(m.xs) * len(m.ys)
    text = (
        f"Where it works when two values change together: {m.x} from {_plain(m.xs[0])} to "
        f"{_plain(m.xs[-1])} and {m.y} from {_plain(m.ys[0])} to {_plain(m.ys[-1])}, every "
        f"other value at its default. {_CHOICE.get(m.choice, '')} It works at "
        f"{_share(m.share_works)} of the map's {n} points"
    )
    if cell is not None:
        text += f"; the star marks the default values, where {_it(m.default_verdict)}."
    else:
        text += f"; the default values lie outside the map (there {_it(m.default_verdict)})."
    regimes: tuple[tuple[int, ...], ...] = ()
    regime_legend: tuple[str, ...] = ()
    note = ""
    if m.regimes is not None:
        names = tuple("; ".join(eqs) or "no equilibrium found" for eqs in m.regimes.legend)
        if len(names) == 1:
            text += (
                " Before the change the game has the same equilibria everywhere on the map: "
                f"{names[0]}."
            )
        elif len(names) > MAX_REGIMES:
            text += (
                f" Before the change the game's equilibria differ across {len(names)} regions "
                "of the map: too many to outline legibly (they are in the JSON)."
            )
        else:
            regimes, regime_legend = m.regimes.grid, names
            text += (
                " Outlined regions (letters) show where the game before the change has "
                "different equilibria."
            )
    figure = MapFigure(
        name=f"{_slug(rid)}-map",
        title=f"{rid}: the verdict over {m.x} and {m.y}",
        xlabel=m.x,
        ylabel=m.y,
        xs=tuple(float(v) for v in m.xs),
        ys=tuple(float(v) for v in m.ys),
        verdicts=m.codes,
        legend=("works", "does not work", "undetermined"),
        default=None if cell is None else (float(m.default[0]), float(m.default[1])),
        regimes=regimes,
        regime_legend=regime_legend,
        note=note,
    )
    return MapView(text, figure, evaluation_text(m.to_json()))


def _game_settings(game: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for key in (
        "delta",
        "detection",
        "false_alarm",
        "lapse",
        "contact_interval",
        "rate",
        "relative_gains",
        "linked",
    ):
        if hasattr(game, key) and not callable(getattr(game, key)):
            v = fmt(getattr(game, key))
            if v is not None:
                out[key] = v
    discount = getattr(game, "discount", None)
    if discount is not None and "delta" not in out:
        out["delta (from contact)"] = _t(discount)
    players = getattr(game, "players", ())
    for attr, what in (("fatigue", "fatigue"), ("grievances", "grievance")):
        vals = getattr(game, attr, None)
        if isinstance(vals, tuple) and len(vals) == len(players):
            for pl, v in zip(players, vals, strict=True):
                out[f"{what} of {pl}"] = _t(v)
    reactions = getattr(game, "reactions", None)
    if isinstance(reactions, tuple) and len(reactions) == len(players):
        for i, row in enumerate(reactions):
            for j, v in enumerate(row):
                if i != j:
                    out[f"reaction of {players[i]} to {players[j]}"] = _t(v)
    params = getattr(game, "parameters", None)
    names = getattr(params, "names", None)
    if params is not None and isinstance(names, tuple):
        for n in names:
            out[n] = _t(params[n].value)
    return out


def _assumptions(ev: Evaluation) -> tuple[Assumption, ...]:
    rec = ev.recommendation
    out = [Assumption("the change", rec.transform.describe(), "what the recommendation does")]
    params = getattr(ev.baseline, "parameters", None)
    names = getattr(params, "names", None)
    if params is not None and isinstance(names, tuple):
        for n in names:
            p = params[n]
            rng = "" if p.range is None else f" (range {_t(p.range[0])}–{_t(p.range[1])})"
            unit = f" {p.unit}" if p.unit else ""
            out.append(Assumption(n, f"{_t(p.value)}{unit}{rng}", p.note, p.source))
    for key, v in _game_settings(ev.baseline).items():
        if key not in {a.name for a in out}:
            out.append(Assumption(key, v, "baseline value"))
    if rec.notes:
        out.append(Assumption("modelling notes", "", rec.notes, "recommendation notes"))
    return tuple(out)


def _parameters(ev: Evaluation) -> list[ParameterValue]:
    b, a = _game_settings(ev.baseline), _game_settings(ev.reformed)
    rid = ev.recommendation.id
    return [ParameterValue(rid, k, b.get(k), a.get(k)) for k in dict.fromkeys([*b, *a])]


# -- figures of thresholds --------------------------------------------------------------------
def _family(name: str) -> str:
    return name.split("[", 1)[0]


_FAMILY = {
    "delta_star": ("Patience needed (δ*) against patience in play (δ)", "discount factor", "δ"),
    "max_contact_interval": (
        "Longest gap between contacts that sustains the target, against the gap in play",
        "years",
        "in play",
    ),
    "p_star": ("Confidence needed to choose the target (threshold belief p*)", "belief", ""),
    "level": ("Equilibrium levels of the race", "level", ""),
    "max_real_part": ("Race growth rate (negative: the race settles)", "rate", "zero"),
}


def _threshold_figures(rid: str, ths: Sequence[Threshold]) -> tuple[BarFigure, ...]:
    groups: dict[str, list[Threshold]] = {}
    for t in ths:
        groups.setdefault(_family(t.name), []).append(t)
    out = []
    for fam, items in groups.items():
        title, xlabel, ref = _FAMILY.get(fam, (_cap(items[0].description), "value", ""))
        bars: list[Bar] = []
        for t in items:
            inner = t.name[len(fam) + 1 : -1] if "[" in t.name else ""
            label = fam.replace("delta_star", "δ*").replace("p_star", "p*") + (
                f" {inner}" if inner else ""
            )
            if fam == "max_real_part":
                label = "growth rate"
            zero = 0.0 if fam == "max_real_part" else None
            for when, val, refv in (
                ("before", t.before, t.value_before),
                ("after", t.after, t.value),
            ):
                f = _float(val)
                if f is None or math.isinf(f):
                    continue
                r = _float(refv) if zero is None else zero
                bars.append(Bar(f"{label} {when}", f, _t(val), r, "" if r is None else _t(r)))
        if bars:
            out.append(BarFigure(f"{_slug(rid)}-{_slug(fam)}", title, xlabel, tuple(bars), ref))
    return tuple(out)


_TEMPT = {"slack": "no temptation", "binding": "indifferent", "violated": "tempted"}


# -- the briefing -----------------------------------------------------------------------------
def _section(
    ev: Evaluation,
    rob: RobustnessResult | None = None,
    vmap: VerdictMap | None = None,
    map_note: str = "",
) -> Section:
    rec = ev.recommendation
    crit = rec.criterion
    target = getattr(crit, "profile", None)
    rid = _slug(rec.id)
    shift_rows: tuple[ShiftRow, ...] = ()
    incentives: tuple[str, ...] = ()
    class_change = None
    if ev.shift is not None:
        shift_rows = tuple(
            ShiftRow(
                m.status,
                None if m.before is None else m.before.describe(),
                None if m.after is None else m.after.describe(),
            )
            for m in ev.shift.matches
        )
        class_change = ev.shift.class_change
        incentives = tuple(
            f"{i.player}: one-round gain from leaving the target {_t(i.gain_before)} → "
            f"{_t(i.gain_after)} ({_TEMPT.get(i.status_before or '', '–')} → "
            f"{_TEMPT.get(i.status_after or '', '–')})"
            for i in ev.shift.incentives
            if i.gain_before is not None or i.gain_after is not None
        )
    thresholds = tuple(
        ThresholdRow(
            t.name,
            t.description,
            fmt(t.before),
            fmt(t.after),
            fmt(t.value_before),
            fmt(t.value),
            _met(t),
        )
        for t in ev.thresholds
    )
    return Section(
        id=rec.id,
        title=rec.title,
        quote=rec.quote,
        brief_section=rec.section,
        targets=tuple(rec.targets),
        change=rec.transform.describe(),
        criterion=crit.describe(),
        verdict=ev.verdict.status,
        verdict_reason=_delta(ev.verdict.reason),
        explanation=_why(ev),
        finding=ev.finding,
        before=_picture(f"{rid}-before", ev.baseline, ev.before, target),
        after=_picture(f"{rid}-after", ev.reformed, ev.after, target),
        equilibria_before=_eq_rows(ev.before),
        equilibria_after=_eq_rows(ev.after),
        shift=shift_rows,
        class_change=class_change,
        incentives=incentives,
        thresholds=thresholds,
        threshold_figures=_threshold_figures(rec.id, ev.thresholds),
        robustness=None if rob is None else _robustness(rec.id, rob),
        assumptions=_assumptions(ev),
        caveats=_caveats(ev, rob is not None),
        evaluation=evaluation_text(ev.to_json()),
        verdict_map=None if vmap is None else _map_view(rec.id, vmap),
        map_note=map_note,
    )


def _headline(sections: Sequence[Section]) -> str:
    if not sections:
        return "No recommendation was evaluated."
    by: dict[str, list[str]] = {}
    for s in sections:
        by.setdefault(s.verdict, []).append(s.id)
    n = len(sections)
    parts = []
    for status, words in (
        ("works", "work{s} as modelled"),
        ("does not work", "do{es} not work as modelled"),
        ("undetermined", "could not be judged"),
    ):
        ids = by.get(status, [])
        if ids:
            w = words.format(s="s" if len(ids) == 1 else "", es="es" if len(ids) == 1 else "")
            parts.append(f"{len(ids)} ({', '.join(ids)}) {w}")
    assessed = sum(1 for s in sections if s.robustness is not None)
    rob = (
        "Robustness to uncertain parameter values was not assessed for any of them."
        if assessed == 0
        else f"Robustness was assessed for {assessed} of {n}."
    )
    return (
        f"Of {n} recommendation{'s' if n != 1 else ''} evaluated, " + "; ".join(parts) + ". " + rob
    )


def _check_keys(what: str, given: Mapping[str, Any] | None, ids: Sequence[str]) -> None:
    extra = [k for k in (given or {}) if k not in ids]
    if extra:
        raise ValueError(
            f"build_briefing(): {what} given for {', '.join(map(repr, extra))}, which is not "
            f"among the evaluations ({', '.join(ids) or 'none'})"
        )


def build_briefing(
    evaluations: Sequence[Evaluation],
    *,
    title: str = DEFAULT_TITLE,
    sources: Mapping[str, str] | None = None,
    seed: int | None = None,
    robustness: Mapping[str, RobustnessResult] | None = None,
    maps: Mapping[str, VerdictMap] | None = None,
    map_notes: Mapping[str, str] | None = None,
) -> Briefing:
    """The briefing of ``evaluations``: summary, one section each, reproducibility stamp.

    Parameters
    ----------
    evaluations
        Results of :func:`~equishift.recommendations.evaluate.evaluate`, in reading order.
    title
        The briefing's title.
    sources
        Scenario files used, as ``{name: sha256 hex digest}`` (computed by the caller).
    seed
        The random seed used for any sampling, recorded in the stamp (when ``None`` and every
        robustness analysis used one seed, that seed).
    robustness
        :class:`~equishift.recommendations.robustness.Robustness` results by recommendation
        id: the summary says how often each holds, and its section shows a tornado chart and
        the smallest reversing change. Recommendations without one say *not assessed*.
    maps
        :class:`~equishift.recommendations.maps.VerdictMap` results by recommendation id,
        drawn in each section.
    map_notes
        Why a recommendation has no map (for example, fewer than two parameters change its
        verdict), by id; said in its section.

    Returns
    -------
    Briefing
        Plain frozen data; render it with :func:`~equishift.report.render_markdown` and
        friends, or write every format with :func:`~equishift.report.write_briefing`.

    Raises
    ------
    ValueError
        When ``robustness``, ``maps`` or ``map_notes`` name a recommendation that is not
        evaluated, or a result is of another recommendation than its key.

    Examples
    --------
    >>> from equishift.recommendations.brief import R1, brief_games
    >>> from equishift.recommendations.evaluate import evaluate
    >>> from equishift.recommendations.robustness import robustness
    >>> rob = robustness("engagement-stag-hunt", "R1", n=8, seed=3, flips=False)
    >>> b = build_briefing([evaluate(R1, brief_games())], robustness={"R1": rob})
    >>> b.summary.rows[0].robustness == robustness_summary(rob)
    True
    >>> b.stamp.seed, b.stamp.sampling[0].samples, b.stamp.sampling[0].method
    (3, 8, 'sobol')
    """
    ids = [ev.recommendation.id for ev in evaluations]
    _check_keys("robustness", robustness, ids)
    _check_keys("a map", maps, ids)
    _check_keys("a map note", map_notes, ids)
    for key, result in (robustness or {}).items():
        if result.recommendation_id != key:
            raise ValueError(
                f"build_briefing(): the robustness given for {key!r} is of "
                f"{result.recommendation_id!r}"
            )
    for key, vmap in (maps or {}).items():
        if vmap.recommendation_id != key:
            raise ValueError(
                f"build_briefing(): the map given for {key!r} is of {vmap.recommendation_id!r}"
            )
    rob = dict(robustness or {})
    vmaps = dict(maps or {})
    notes = dict(map_notes or {})
    sections = tuple(
        _section(ev, rob.get(rid), vmaps.get(rid), notes.get(rid, ""))
        for ev, rid in zip(evaluations, ids, strict=True)
    )
    rows = tuple(
        SummaryRow(
            s.id,
            s.title,
            s.verdict,
            NOT_ASSESSED if s.robustness is None else s.robustness.text,
            s.explanation,
        )
        for s in sections
    )
    bars = []
    for s in sections:
        r = s.robustness
        if r is None or r.probability is None:
            continue
        lo, hi = r.interval if r.interval is not None else (None, None)
        bars.append(Bar(s.id, r.probability, _share(r.probability), low=lo, high=hi))
    figure = None
    if bars:
        figure = BarFigure(
            "robustness",
            "Share of plausible payoffs where each recommendation works",
            "share of samples where it works (whiskers: 95% CI)",
            tuple(bars),
            share=True,
        )
    params: list[ParameterValue] = []
    for ev in evaluations:
        params.extend(_parameters(ev))
    seeds = {r.seed for r in rob.values()}
    if seed is None and len(seeds) == 1:
        seed = seeds.pop()
    stamp = Stamp(
        version=__version__,
        sources=tuple(sorted((sources or {}).items())),
        parameters=tuple(params),
        seed=seed,
        sampling=tuple(
            SamplingRecord(rid, res.scenario, res.n, res.seed, res.method, res.parameters)
            for rid in ids
            if (res := rob.get(rid)) is not None
        ),
        maps=tuple(
            MapRecord(rid, m.scenario, m.x, m.y, len(m.xs), len(m.ys), m.choice)
            for rid in ids
            if (m := vmaps.get(rid)) is not None
        ),
    )
    return Briefing(title, Summary(_headline(sections), rows, figure), sections, stamp)


def robustness_summary(rob: RobustnessResult) -> str:
    """The executive summary's words for a robustness analysis.

    >>> from types import SimpleNamespace
    >>> robustness_summary(SimpleNamespace(probability=0.34, interval=(0.25, 0.44), n=64))
    'holds in 34% of plausible payoffs (95% CI 25–44%, 64 samples)'
    """
    if rob.probability is None:
        return f"not judged in any of {rob.n} samples"
    lo, hi = rob.interval
    return (
        f"holds in {_share(rob.probability)} of plausible payoffs "
        f"(95% CI {lo * 100:.0f}–{hi * 100:.0f}%, {rob.n} samples)"
    )
