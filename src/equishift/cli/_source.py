"""Where the command line gets its recommendations, games and evaluations.

One small seam over :mod:`equishift.recommendations`: each recommendation of the bundled brief
is evaluated from its table in its bundled scenario file (``brief.SCENARIO_OF``), on that
file's games -- exactly what :func:`~equishift.recommendations.evaluate.brief_evaluations`
does, one recommendation at a time so that a progress bar can follow. ``--set NAME=VALUE``
changes a number of the recommendation's change or a parameter of its scenario file, which is
then read again with the new value.

Everything here is imported lazily by the commands (it loads numpy and sympy).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..games.errors import EquishiftError, GameError
from ..games.formats.scenario import Scenario, parse_scenario, read_scenario
from ..games.numbers import format_number, to_number
from ..recommendations.evaluate import Evaluation, evaluate
from ..recommendations.recommendation import Recommendation
from ..recommendations.scenarios import list_scenarios, scenario_path
from ._common import BadInput

__all__ = [
    "BadInput",
    "Target",
    "all_evaluations",
    "change_parameters",
    "evaluate_one",
    "find_recommendation",
    "parse_assignments",
    "prepare",
    "read_scenario_with",
    "recommendations",
    "scenario_sources",
]


def recommendations() -> tuple[Recommendation, ...]:
    """The bundled brief's recommendations, in the brief's order."""
    from ..recommendations import brief

    loader = getattr(brief, "brief_recommendations", None)
    if callable(loader):
        return tuple(loader())
    return tuple(brief.RECOMMENDATIONS)


def find_recommendation(rec_id: str, scenario: Path | None = None) -> Recommendation:
    """The recommendation with id ``rec_id`` (case-insensitive): the brief's, else the file's.

    Raises
    ------
    BadInput
        For an unknown id, listing the known ones.
    """
    recs = list(recommendations())
    for rec in recs:
        if rec.id.lower() == rec_id.strip().lower():
            return rec
    if scenario is not None:
        from ..recommendations.evaluate import scenario_recommendations

        if not scenario.is_file():
            raise BadInput(f"{scenario}: no such file")
        try:
            mine = scenario_recommendations(read_scenario(scenario))
        except EquishiftError as exc:
            raise BadInput(str(exc)) from None
        for rec in mine:
            if rec.id.lower() == rec_id.strip().lower():
                return rec
        recs += [r for r in mine if r.id not in {b.id for b in recs}]
    known = ", ".join(r.id for r in recs)
    raise BadInput(f"unknown recommendation {rec_id!r}; expected one of {known}")


def parse_assignments(items: Sequence[str]) -> dict[str, str]:
    """``["delta=0.6", "T=5"]`` -> ``{"delta": "3/5", "T": "5"}`` (exact numbers as text).

    Raises
    ------
    BadInput
        For an item without ``=``, an empty name, a repeated name or a value that is no number.
    """
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise BadInput(f"--set {item!r}: expected NAME=VALUE, for example --set delta=0.6")
        if name in out:
            raise BadInput(f"--set {name}: given twice")
        try:
            number = to_number(value, what=f"--set {name}")
        except GameError as exc:
            raise BadInput(str(exc)) from None
        out[name] = format_number(number)
    return out


def read_scenario_with(path: Path, values: Mapping[str, str], also: Sequence[str] = ()) -> Scenario:
    """Read a scenario file with some parameter values replaced.

    The file is read as TOML, the ``value`` of each named parameter replaced, and the result
    read as a scenario, so every game and expression sees the new values (and a value outside
    the parameter's range is an error naming the file).

    Raises
    ------
    BadInput
        For a missing or malformed file, or an unknown parameter.
    """
    if not path.exists():
        raise BadInput(f"{path}: no such file")
    if path.is_dir():
        raise BadInput(f"{path}: is a directory, expected a .toml scenario file")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"{path}: cannot read the file as UTF-8 text: {exc}") from None
    try:
        scenario = parse_scenario(text, path=path)
    except EquishiftError as exc:
        raise BadInput(str(exc)) from None
    if not values:
        return scenario
    known = scenario.parameters.names
    for name in values:
        if name not in known:
            listed = ", ".join(dict.fromkeys([*also, *known])) or "none"
            raise BadInput(f"unknown parameter {name!r}; expected one of {listed} ({path.name})")
    return _reread(text, path, values)


def _reread(text: str, path: Path, values: Mapping[str, str]) -> Scenario:
    """Read ``text`` again with parameter ``values`` in place of the file's."""
    try:
        return parse_scenario(text, path=path, values=values)
    except EquishiftError as exc:
        raise BadInput(str(exc)) from None


@dataclass(frozen=True)
class Target:
    """A recommendation ready to evaluate: the recommendation, its games, where they came from."""

    recommendation: Recommendation
    games: Mapping[str, Any]
    source: str
    parameters: tuple[str, ...]


def _from_scenario(rec: Recommendation, scenario: Scenario, label: str) -> Target:
    """``rec`` as the scenario's own table has it (if any) on the scenario's games.

    A scenario without a table for ``rec`` still serves when it has a game of the target's
    name, or a single game (or one called ``baseline``) to stand in for it.
    """
    from ..recommendations.evaluate import scenario_recommendations

    try:
        own = {r.id: r for r in scenario_recommendations(scenario)}
    except EquishiftError as exc:
        raise BadInput(str(exc)) from None
    games = dict(scenario.games)
    if rec.id in own:
        return Target(own[rec.id], games, label, scenario.parameters.names)
    name = rec.targets[0]
    if name not in games:
        stand_in = next(iter(games)) if len(games) == 1 else "baseline"
        if stand_in not in games:
            raise BadInput(
                f"{label}: no recommendation {rec.id} and no game {name!r} for it; "
                f"its games are: {', '.join(games)}"
            )
        games[name] = games[stand_in]
    return Target(rec, games, label, scenario.parameters.names)


def target_games(
    rec: Recommendation,
    values: Mapping[str, str],
    scenario_file: Path | None,
    also: Sequence[str] = (),
) -> Target:
    """``rec`` and the games it acts on, with scenario parameters ``values`` set.

    The games (and the recommendation's table) come from ``scenario_file`` when given, else
    from the bundled scenario file of the brief that holds the recommendation, else from the
    games the brief builds in code (which have no parameters to set). ``also`` names other
    parameters the caller knows, for the message about an unknown one.
    """
    from ..recommendations import brief

    if scenario_file is not None:
        scenario = read_scenario_with(scenario_file, values, also)
        return _from_scenario(rec, scenario, str(scenario_file))
    file = getattr(brief, "SCENARIO_OF", {}).get(rec.id)
    if file is not None and file in list_scenarios():
        scenario = read_scenario_with(scenario_path(file), values, also)
        return _from_scenario(rec, scenario, f"{file}.toml")
    if values:
        listed = f"the parameters of its change are: {', '.join(also)}; " if also else ""
        raise BadInput(
            f"unknown parameter {next(iter(values))!r} for {rec.id}: {listed}its game "
            f"{rec.targets[0]!r} is built in code without parameters (give --scenario FILE)"
        )
    return Target(rec, brief.brief_games(), "equishift.recommendations.brief", ())


def change_parameters(rec: Recommendation) -> dict[str, Any]:
    """The numbers of ``rec``'s change that ``--set`` can replace, by field name.

    >>> from equishift.recommendations.brief import DF
    >>> change_parameters(DF)["delta"]
    Fraction(3, 5)
    """
    out: dict[str, Any] = {}
    for t in rec.transforms:
        if not dataclasses.is_dataclass(t):
            continue
        for f in dataclasses.fields(t):
            value = getattr(t, f.name)
            if isinstance(value, Fraction | int | float) and not isinstance(value, bool):
                out.setdefault(f.name, value)
    return out


def prepare(
    rec: Recommendation, values: Mapping[str, str] | None = None, scenario: Path | None = None
) -> Target:
    """``rec`` with ``values`` set, and the games to evaluate it on.

    A name that is a number of the recommendation's change (``delta`` of the dual freeze's
    repeated play) sets that; any other name is a parameter of the scenario file the game
    comes from (see :func:`target_games`).

    Raises
    ------
    BadInput
        For an unknown parameter, a value the change or the scenario rejects, or a bad file.
    """
    values = dict(values or {})
    fields = change_parameters(rec)
    mine = {k: Fraction(v) for k, v in values.items() if k in fields}
    rest = {k: v for k, v in values.items() if k not in fields}
    target = target_games(rec, rest, scenario, also=tuple(fields))
    if not mine:
        return target
    transforms = []
    for t in target.recommendation.transforms:
        own = {f.name for f in dataclasses.fields(t)} if dataclasses.is_dataclass(t) else set()
        changes = {k: v for k, v in mine.items() if k in own}
        try:
            transforms.append(dataclasses.replace(t, **changes) if changes else t)
        except (EquishiftError, TypeError, ValueError) as exc:
            raise BadInput(f"--set for {rec.id}: {exc}") from None
    changed = dataclasses.replace(target.recommendation, transforms=tuple(transforms))
    base = target.games.get(changed.targets[0])
    try:  # a value the change cannot take is bad input, not a failed analysis
        changed.transform.apply(base)
    except EquishiftError as exc:
        shown = ", ".join(f"{k}={v}" for k, v in values.items() if k in mine)
        raise BadInput(f"--set {shown}: {exc}") from None
    return dataclasses.replace(target, recommendation=changed)


def evaluate_one(
    rec: Recommendation, values: Mapping[str, str] | None = None, scenario: Path | None = None
) -> Evaluation:
    """Evaluate ``rec`` on its games with ``values`` set (see :func:`prepare`).

    Without values or a scenario file this is the evaluation
    :func:`~equishift.recommendations.evaluate.brief_evaluations` gives for ``rec``: the
    recommendation's table in its bundled scenario file, on that file's games.

    Raises
    ------
    BadInput
        For problems with the input (files, parameters).
    EquishiftError
        When the evaluation itself fails.
    """
    target = prepare(rec, values, scenario)
    return evaluate(target.recommendation, target.games)


def all_evaluations(
    recs: Sequence[Recommendation] | None = None,
    advance: Callable[[str], None] | None = None,
) -> list[Evaluation]:
    """Evaluate ``recs`` (default: every recommendation of the bundled brief), in order.

    ``advance`` is called after each evaluation with the next one's description.
    """
    chosen = list(recommendations() if recs is None else recs)
    evaluations = []
    for k, rec in enumerate(chosen):
        evaluations.append(evaluate_one(rec))
        if advance is not None:
            nxt = chosen[k + 1].id if k + 1 < len(chosen) else "done"
            advance(f"evaluating {nxt}")
    return evaluations


def scenario_sources() -> dict[str, str]:
    """SHA-256 of every bundled scenario file, by file name (the reproducibility stamp)."""
    out = {}
    for name in list_scenarios():
        path = scenario_path(name)
        out[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out
