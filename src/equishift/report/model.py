"""The briefing as plain, frozen data, and its JSON form.

A :class:`Briefing` holds only strings, numbers, booleans and tuples of smaller records; it
knows nothing about solvers. Figures are stored as the *data* they show (a payoff matrix, a
tree, bars); the renderers draw them. :meth:`Briefing.to_json` and :meth:`Briefing.from_json`
round-trip exactly.

Examples
--------
>>> b = Briefing(title="T", summary=Summary(headline="Nothing evaluated.", rows=()),
...              sections=(), stamp=Stamp(version="0", sources=(), parameters=(), seed=None))
>>> Briefing.from_json(b.to_json()) == b
True
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from dataclasses import dataclass
from typing import Any, Union, get_args, get_origin, get_type_hints

__all__ = [
    "Assumption",
    "Bar",
    "BarFigure",
    "Briefing",
    "EquilibriumRow",
    "Figure",
    "GamePicture",
    "MapFigure",
    "MapRecord",
    "MapView",
    "MatrixFigure",
    "ParameterValue",
    "Robustness",
    "SamplingRecord",
    "Section",
    "ShiftRow",
    "Stamp",
    "Summary",
    "SummaryRow",
    "ThresholdRow",
    "TornadoBar",
    "TornadoFigure",
    "TreeFigure",
    "TreeNode",
]


# -- figures ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class MatrixFigure:
    """A two-player payoff matrix; ``equilibria`` are (row, column) cells of pure equilibria.

    ``payoffs[r][c]`` is the pair (row player's, column player's) as text; ``target`` is the
    cell the recommendation aims at, if it is a cell of this matrix; ``note`` lists mixed
    equilibria in words.
    """

    name: str
    title: str
    players: tuple[str, str]
    rows: tuple[str, ...]
    cols: tuple[str, ...]
    payoffs: tuple[tuple[tuple[str, str], ...], ...]
    equilibria: tuple[tuple[int, int], ...]
    target: tuple[int, int] | None = None
    note: str = ""
    kind: str = "matrix"


@dataclass(frozen=True)
class TreeNode:
    """A node of a drawn game tree: parent index (-1 for the root), the action leading here,
    who moves (``""`` at leaves, ``"chance"`` for nature), payoffs at leaves, and whether the
    edge into it is played in the first equilibrium. Decision nodes of one information set
    share ``infoset`` (the mover cannot tell them apart)."""

    parent: int
    action: str
    mover: str
    payoffs: tuple[str, ...] | None
    played: bool = False
    infoset: str = ""


@dataclass(frozen=True)
class TreeFigure:
    """A game tree in preorder (node 0 is the root)."""

    name: str
    title: str
    players: tuple[str, ...]
    nodes: tuple[TreeNode, ...]
    note: str = ""
    kind: str = "tree"


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: ``value`` (drawn), an optional ``reference`` tick (δ in play), and
    optional whiskers from ``low`` to ``high`` (a confidence interval)."""

    label: str
    value: float
    text: str
    reference: float | None = None
    reference_text: str = ""
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class BarFigure:
    """Horizontal bars with reference ticks: thresholds against values in play, robustness."""

    name: str
    title: str
    xlabel: str
    bars: tuple[Bar, ...]
    reference_label: str = ""
    note: str = ""
    kind: str = "bars"
    share: bool = False
    """Values are shares (0 to 1): the axis is drawn from 0% to 100%."""


@dataclass(frozen=True)
class TornadoBar:
    """One parameter of a tornado chart: the success rate when the parameter lies in the lower
    and in the upper half of its range (``None`` when no sample fell there), with the halves
    described as text (``"below 6"``, ``"6 or more"``)."""

    parameter: str
    low: float | None
    high: float | None
    low_text: str
    high_text: str


@dataclass(frozen=True)
class TornadoFigure:
    """A tornado chart: per parameter, the success rate in each half of its range, drawn from
    the overall rate (``overall``); the longest bars are the values the verdict hinges on."""

    name: str
    title: str
    bars: tuple[TornadoBar, ...]
    overall: float | None
    note: str = ""
    kind: str = "tornado"


@dataclass(frozen=True)
class MapFigure:
    """The verdict over a grid in two parameters.

    ``verdicts[j][i]`` is the verdict code at ``(xs[i], ys[j])``, an index into ``legend``
    (``"works"``, ``"does not work"``, ``"undetermined"``); ``default`` is the point of the
    default values (``None`` when outside the map). ``regimes`` (same shape) index
    ``regime_legend``: the baseline game's equilibria, drawn as outlined regions when given.
    """

    name: str
    title: str
    xlabel: str
    ylabel: str
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    verdicts: tuple[tuple[int, ...], ...]
    legend: tuple[str, ...]
    default: tuple[float, float] | None
    regimes: tuple[tuple[int, ...], ...] = ()
    regime_legend: tuple[str, ...] = ()
    note: str = ""
    kind: str = "map"


Figure = MatrixFigure | TreeFigure | BarFigure | TornadoFigure | MapFigure
"""Any figure of the briefing."""


# -- sections ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class EquilibriumRow:
    """One equilibrium in words, with each player's payoff as text."""

    description: str
    payoffs: tuple[tuple[str, str], ...]
    pure: bool


@dataclass(frozen=True)
class ShiftRow:
    """An equilibrium followed through the change: persisted, moved, vanished or appeared."""

    status: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class ThresholdRow:
    """A threshold before and after, against the value in play; ``met`` when it applies."""

    name: str
    description: str
    before: str | None
    after: str | None
    value_before: str | None
    value: str | None
    met: bool | None


@dataclass(frozen=True)
class Assumption:
    """A modelling assumption or parameter value, with its note and source (``""`` if none)."""

    name: str
    value: str
    note: str = ""
    source: str = ""


@dataclass(frozen=True)
class Robustness:
    """How robust a verdict is under parameter uncertainty (when it was assessed).

    ``text`` says how often it works, ``hinges`` which values it depends on most (with
    ``figure``, a tornado chart), ``flip`` the smallest change that reverses it, all in plain
    words; ``analysis`` is the analysis's own JSON text (every number).
    """

    probability: float | None
    text: str
    samples: int | None = None
    note: str = ""
    interval: tuple[float, float] | None = None
    seed: int | None = None
    method: str = ""
    hinges: str = ""
    flip: str = ""
    figure: TornadoFigure | None = None
    analysis: str | None = None


@dataclass(frozen=True)
class MapView:
    """A verdict map in a section: what it shows in words, the figure, and its JSON text."""

    text: str
    figure: MapFigure
    analysis: str


@dataclass(frozen=True)
class GamePicture:
    """A game as a reader sees it: title, form, class and its figure (or why there is none)."""

    title: str
    form: str
    game_class: str | None
    figure: Figure | None
    note: str = ""


@dataclass(frozen=True)
class Section:
    """Everything the briefing says about one recommendation.

    ``evaluation`` is the evaluation's own JSON text (every number, exact), so that the JSON
    briefing carries all of it.
    """

    id: str
    title: str
    quote: str
    brief_section: str
    targets: tuple[str, ...]
    change: str
    criterion: str
    verdict: str
    verdict_reason: str
    explanation: str
    finding: str
    before: GamePicture
    after: GamePicture
    equilibria_before: tuple[EquilibriumRow, ...]
    equilibria_after: tuple[EquilibriumRow, ...]
    shift: tuple[ShiftRow, ...]
    class_change: str | None
    incentives: tuple[str, ...]
    thresholds: tuple[ThresholdRow, ...]
    threshold_figures: tuple[BarFigure, ...]
    robustness: Robustness | None
    assumptions: tuple[Assumption, ...]
    caveats: tuple[str, ...]
    evaluation: str
    verdict_map: MapView | None = None
    map_note: str = ""


# -- summary and stamp ------------------------------------------------------------------------
@dataclass(frozen=True)
class SummaryRow:
    """One line of the executive summary."""

    id: str
    title: str
    verdict: str
    robustness: str
    why: str


@dataclass(frozen=True)
class Summary:
    """The executive summary: a headline, one row per recommendation, optional figure."""

    headline: str
    rows: tuple[SummaryRow, ...]
    figure: BarFigure | None = None


@dataclass(frozen=True)
class ParameterValue:
    """A parameter value of one recommendation's games, before and after the change."""

    recommendation: str
    name: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class SamplingRecord:
    """How one recommendation's robustness was sampled: scenario, samples, seed, method."""

    recommendation: str
    scenario: str
    samples: int
    seed: int
    method: str
    parameters: tuple[str, ...]


@dataclass(frozen=True)
class MapRecord:
    """How one recommendation's verdict map was made: its axes, grid size and axis choice."""

    recommendation: str
    scenario: str
    x: str
    y: str
    nx: int
    ny: int
    choice: str


@dataclass(frozen=True)
class Stamp:
    """Reproducibility: equishift version, source hashes (name, sha256), parameters, seed,
    and how robustness was sampled and maps were made (empty when they were not)."""

    version: str
    sources: tuple[tuple[str, str], ...]
    parameters: tuple[ParameterValue, ...]
    seed: int | None
    sampling: tuple[SamplingRecord, ...] = ()
    maps: tuple[MapRecord, ...] = ()


@dataclass(frozen=True)
class Briefing:
    """The whole briefing: title, executive summary, one section per recommendation, stamp."""

    title: str
    summary: Summary
    sections: tuple[Section, ...]
    stamp: Stamp

    def figures(self) -> tuple[Figure, ...]:
        """Every figure, in reading order (names are unique)."""
        out: list[Figure] = []
        if self.summary.figure is not None:
            out.append(self.summary.figure)
        for s in self.sections:
            for pic in (s.before, s.after):
                if pic.figure is not None:
                    out.append(pic.figure)
            out.extend(s.threshold_figures)
            if s.robustness is not None and s.robustness.figure is not None:
                out.append(s.robustness.figure)
            if s.verdict_map is not None:
                out.append(s.verdict_map.figure)
        return tuple(out)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (every number; exact ones as ``"p/q"`` text)."""
        out = _encode(self)
        assert isinstance(out, dict)
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Briefing:
        """The briefing back from :meth:`to_json`'s dict."""
        out = _decode(cls, data)
        assert isinstance(out, Briefing)
        return out


def evaluation_text(data: Any) -> str:
    """Canonical JSON text of an evaluation dict (sorted keys, indented, final newline)."""
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


_JSON_TEXT = frozenset({"evaluation", "analysis"})
"""Fields holding canonical JSON text, stored in the JSON briefing as the data itself."""


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            v = getattr(value, f.name)
            out[f.name] = json.loads(v) if f.name in _JSON_TEXT and v is not None else _encode(v)
        return out
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    return value


_FIGURES: dict[str, type[Any]] = {
    "matrix": MatrixFigure,
    "tree": TreeFigure,
    "bars": BarFigure,
    "tornado": TornadoFigure,
    "map": MapFigure,
}


def _decode(tp: Any, value: Any) -> Any:
    if tp is Any:
        return value
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if value is None:
            return None
        if isinstance(value, dict) and "kind" in value and len(args) > 1:
            cls = _FIGURES[value["kind"]]
            return _decode(cls, value)
        return _decode(args[0], value)
    if origin is tuple:
        items = get_args(tp)
        if len(items) == 2 and items[1] is Ellipsis:
            return tuple(_decode(items[0], v) for v in value)
        return tuple(_decode(a, v) for a, v in zip(items, value, strict=True))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = get_type_hints(tp, vars(typing) | globals())
        kwargs = {}
        for f in dataclasses.fields(tp):
            if f.name not in value and f.default is not dataclasses.MISSING:
                continue  # written before the field existed: keep its default
            v = value[f.name]
            kwargs[f.name] = (
                evaluation_text(v)
                if f.name in _JSON_TEXT and v is not None
                else _decode(hints[f.name], v)
            )
        return tp(**kwargs)
    if tp is float and isinstance(value, int):
        return float(value)
    return value
