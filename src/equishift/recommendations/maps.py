"""Verdict maps: where in two parameters a recommendation works, does not, or cannot be judged.

:func:`verdict_map` evaluates a recommendation of a scenario file on a grid over two of its
parameters (every other parameter at its default) and records the verdict at each point: the
2-D picture of the one-number robustness of :mod:`equishift.recommendations.robustness`. All
verdicts come from one call of :func:`~equishift.recommendations.robustness.verdicts`, so a
map costs exactly what that function costs for its points.

Which two parameters? When none are given, :func:`rank_parameters` orders them by how much
they move the verdict -- by the robustness analysis's sensitivity when one is passed, otherwise
by a cheap one-at-a-time scan -- and the map takes the first two.

Where the recommendation's target game is a parametric normal-form game in both parameters,
the map also records the equilibria of that baseline game (before the change) at each point,
its *regimes*, so a reader can see which region of the baseline the recommendation rescues.

Examples
--------
>>> m = verdict_map("engagement-stag-hunt", "R1", x=("R", "7/2", 6, 6), y=("T", 2, "7/2", 4))
>>> print(m)
R1 (engagement-stag-hunt): verdict over R and T, other parameters at their defaults
T \\ R
7/2 | - - + + + +
  3 | - @ + + + +
5/2 | + + + + + +
  2 | + + + + + +
      R from 7/2 to 6
+ works, - does not work, ? undetermined; @ default point (R = 4, T = 3): works
>>> m.verdict_at(4, 3) == m.default_verdict, m.verdict_at("7/2", 3)
(True, 'does not work')

The stag hunt's defaults (R = 4, T = 3) sit next to the boundary: with the reward of joint
engagement at 7/2 the change no longer makes engaging the safer choice.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..games.errors import EquishiftError
from ..games.numbers import format_number, to_number
from .evaluate import FAILS, UNDETERMINED, WORKS

if TYPE_CHECKING:
    from .robustness import Robustness, ScenarioBuilder

__all__ = [
    "DEFAULT_SIZE",
    "GLYPHS",
    "VERDICTS",
    "MapError",
    "ParameterEffect",
    "Regimes",
    "TooFewParameters",
    "VerdictMap",
    "rank_parameters",
    "verdict_map",
]

VERDICTS: tuple[str, str, str] = (WORKS, FAILS, UNDETERMINED)
"""The verdicts by code: 0 works, 1 does not work, 2 undetermined."""

GLYPHS: tuple[str, str, str] = ("+", "-", "?")
"""The text map's character for each verdict code; ``@`` marks the default point."""

DEFAULT_SIZE = 21
"""Grid points per axis when an axis is given by name only (or chosen automatically)."""

SCAN_POINTS = 5
"""Points per parameter range in the one-at-a-time scan of :func:`rank_parameters`."""

MAX_REGIME_CELLS = 16
"""The baseline's regimes are computed only for games with at most this many profiles."""


class MapError(EquishiftError, ValueError):
    """A verdict map cannot be made as asked (unknown parameter, range outside the file's)."""


class TooFewParameters(MapError):
    """Fewer than two parameters were seen to change the verdict, so no axes were chosen.

    ``found`` are those that were (zero or one); ``by`` is ``"scan"`` or ``"sensitivity"``.
    """

    def __init__(self, message: str, found: tuple[str, ...], by: str) -> None:
        super().__init__(message)
        self.found = found
        self.by = by


# -- results ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ParameterEffect:
    """How much one parameter moves the verdict, as :func:`rank_parameters` measured it.

    ``score`` is the absolute difference of the success rates in the two halves of the range
    (``by="sensitivity"``) or the share of scan points whose verdict differs from the default
    one (``by="scan"``); 0 means no effect was seen.
    """

    parameter: str
    score: float
    by: str

    def to_json(self) -> dict[str, Any]:
        return {"parameter": self.parameter, "score": self.score, "by": self.by}


@dataclass(frozen=True)
class Regimes:
    """The baseline game's equilibria on the map's grid (before the change).

    ``grid[j][i]`` is an index into ``legend``, whose entries are the equilibria (by support,
    see :func:`~equishift.solver.symbolic.equilibrium_label`) at that point.
    """

    game: str
    grid: tuple[tuple[int, ...], ...]
    legend: tuple[tuple[str, ...], ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "game": self.game,
            "grid": [list(r) for r in self.grid],
            "legend": [list(eqs) for eqs in self.legend],
        }


@dataclass(frozen=True)
class VerdictMap:
    """A recommendation's verdict on a grid over two parameters.

    Attributes
    ----------
    scenario, recommendation_id
        The scenario file (name or path, as given) and the recommendation.
    x, y
        The two parameters.
    xs, ys
        The grid values, exact, increasing; the default value is one of them when it lies in
        the axis's range.
    codes
        ``codes[j][i]``: the verdict code (an index into :data:`VERDICTS`) at
        ``(xs[i], ys[j])``.
    default
        The default values of ``x`` and ``y``.
    default_verdict
        The verdict at the default point (every parameter at its default).
    fixed
        The other parameters and their (default) values.
    choice
        How ``x`` and ``y`` were chosen: ``"given"``, ``"sensitivity"`` (from a robustness
        analysis) or ``"scan"`` (one parameter at a time).
    ranking
        The parameters ranked by their effect on the verdict (empty when both were given).
    regimes
        The baseline game's equilibria on the grid, when computed (else ``None``).
    """

    scenario: str
    recommendation_id: str
    x: str
    y: str
    xs: tuple[Fraction, ...]
    ys: tuple[Fraction, ...]
    codes: tuple[tuple[int, ...], ...]
    default: tuple[Fraction, Fraction]
    default_verdict: str
    fixed: tuple[tuple[str, Fraction], ...] = ()
    choice: str = "given"
    ranking: tuple[ParameterEffect, ...] = ()
    regimes: Regimes | None = None

    @property
    def grid(self) -> tuple[tuple[str, ...], ...]:
        """The verdicts as words, ``grid[j][i]`` at ``(xs[i], ys[j])``."""
        return tuple(tuple(VERDICTS[c] for c in row) for row in self.codes)

    @property
    def shape(self) -> tuple[int, int]:
        """``(len(ys), len(xs))``."""
        return (len(self.ys), len(self.xs))

    @property
    def default_cell(self) -> tuple[int, int] | None:
        """``(j, i)`` of the default point when it is a grid point, else ``None``."""
        dx, dy = self.default
        if dx in self.xs and dy in self.ys:
            return (self.ys.index(dy), self.xs.index(dx))
        return None

    def counts(self) -> dict[str, int]:
        """How many grid points have each verdict."""
        flat = [c for row in self.codes for c in row]
        return {v: flat.count(k) for k, v in enumerate(VERDICTS)}

    @property
    def share_works(self) -> float:
        """The share of grid points where the recommendation works."""
        n = len(self.xs) * len(self.ys)
        return self.counts()[WORKS] / n

    def verdict_at(self, x: Any, y: Any) -> str:
        """The verdict at a grid point (exact values or text such as ``"3/5"``).

        Raises
        ------
        MapError
            When ``(x, y)`` is not a point of the grid.
        """
        xv, yv = Fraction(to_number(x)), Fraction(to_number(y))
        if xv not in self.xs or yv not in self.ys:
            raise MapError(
                f"({format_number(xv)}, {format_number(yv)}) is not a point of the map's grid"
            )
        return VERDICTS[self.codes[self.ys.index(yv)][self.xs.index(xv)]]

    def text(self) -> str:
        """The map as characters (``y`` increasing upwards), with its legend."""
        width = max(len(format_number(v)) for v in self.ys)
        cell = self.default_cell
        lines = [
            f"{self.recommendation_id} ({self.scenario}): verdict over {self.x} and {self.y}, "
            "other parameters at their defaults",
            f"{self.y} \\ {self.x}",
        ]
        for j in reversed(range(len(self.ys))):
            marks = ["@" if cell == (j, i) else GLYPHS[c] for i, c in enumerate(self.codes[j])]
            lines.append(f"{format_number(self.ys[j]).rjust(width)} | {' '.join(marks)}")
        lines.append(
            f"{' ' * width}   {self.x} from {format_number(self.xs[0])} "
            f"to {format_number(self.xs[-1])}"
        )
        legend = ", ".join(f"{g} {v}" for g, v in zip(GLYPHS, VERDICTS, strict=True))
        dx, dy = self.default
        lines.append(
            f"{legend}; @ default point ({self.x} = {format_number(dx)}, "
            f"{self.y} = {format_number(dy)}): {self.default_verdict}"
        )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict: exact values as ``"p/q"`` text, codes row by row (``y`` up)."""
        return {
            "scenario": self.scenario,
            "recommendation": self.recommendation_id,
            "x": {"parameter": self.x, "values": [format_number(v) for v in self.xs]},
            "y": {"parameter": self.y, "values": [format_number(v) for v in self.ys]},
            "verdicts": list(VERDICTS),
            "codes": [list(row) for row in self.codes],
            "counts": self.counts(),
            "default": {
                self.x: format_number(self.default[0]),
                self.y: format_number(self.default[1]),
            },
            "default_verdict": self.default_verdict,
            "fixed": {name: format_number(v) for name, v in self.fixed},
            "choice": self.choice,
            "ranking": [e.to_json() for e in self.ranking],
            "regimes": None if self.regimes is None else self.regimes.to_json(),
        }

    def to_json_text(self) -> str:
        """:meth:`to_json` as indented text with sorted keys."""
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


# -- building ---------------------------------------------------------------------------------
def _builder(source: str | Path | ScenarioBuilder) -> ScenarioBuilder:
    from .robustness import ScenarioBuilder

    return source if isinstance(source, ScenarioBuilder) else ScenarioBuilder(source)


def _scenario_name(source: str | Path | ScenarioBuilder, builder: ScenarioBuilder) -> str:
    """The name a map records: as given, or the file's stem when a builder was given."""
    return str(source) if isinstance(source, str | Path) else builder.path.stem


def _exact(value: Any, what: str) -> Fraction:
    try:
        v = to_number(repr(value) if isinstance(value, float) else value, what=what)
    except EquishiftError as exc:
        raise MapError(str(exc)) from None
    return Fraction(v)


def _bounds(builder: ScenarioBuilder, name: str) -> tuple[Fraction, Fraction] | None:
    p = builder.default.parameters[name]
    if p.range is not None:
        return (Fraction(p.range[0]), Fraction(p.range[1]))
    dist = p.distribution
    if dist is not None and dist.support is not None:
        return (Fraction(dist.support[0]), Fraction(dist.support[1]))
    return None


def _check_name(builder: ScenarioBuilder, name: Any) -> str:
    params = builder.default.parameters
    if not isinstance(name, str) or name not in params:
        known = ", ".join(params.names) or "(none)"
        raise MapError(
            f"{builder.path.name}: no parameter {name!r} to map over; the file has {known}"
        )
    if not isinstance(params[name].value, Fraction):
        raise MapError(f"parameter {name!r} has a float value; a map needs exact values")
    return name


def _axis(
    builder: ScenarioBuilder, spec: str | tuple[Any, ...], size: int
) -> tuple[str, tuple[Fraction, ...]]:
    """The parameter and exact grid values of an axis ``name`` or ``(name, low, high, n)``."""
    if isinstance(spec, str):
        name, low_v, high_v, n = spec, None, None, size
    elif isinstance(spec, tuple | list) and len(spec) == 4:
        name, low_v, high_v, n = spec
    else:
        raise MapError(f"a map axis is a parameter name or (name, low, high, n); got {spec!r}")
    name = _check_name(builder, name)
    bounds = _bounds(builder, name)
    if low_v is None or high_v is None:
        if bounds is None:
            raise MapError(
                f"parameter {name!r} has no range in {builder.path.name}; give the axis as "
                f"({name!r}, low, high, n)"
            )
        low, high = bounds
    else:
        low = _exact(low_v, f"low end of the {name!r} axis")
        high = _exact(high_v, f"high end of the {name!r} axis")
    if not isinstance(n, int) or isinstance(n, bool) or n < 2:
        raise MapError(f"the {name!r} axis needs n >= 2 points, got {n!r}")
    if not low < high:
        raise MapError(
            f"the {name!r} axis needs low < high, got [{format_number(low)}, {format_number(high)}]"
        )
    if bounds is not None and (low < bounds[0] or high > bounds[1]):
        raise MapError(
            f"the {name!r} axis [{format_number(low)}, {format_number(high)}] reaches outside "
            f"the parameter's range [{format_number(bounds[0])}, {format_number(bounds[1])}] "
            f"in {builder.path.name}"
        )
    values = {low + (high - low) * Fraction(k, n - 1) for k in range(n)}
    default = Fraction(builder.default.parameters[name].value)
    if low <= default <= high:
        values.add(default)
    return name, tuple(sorted(values))


def rank_parameters(
    scenario_name_or_path: str | Path | ScenarioBuilder,
    recommendation_id: str,
    *,
    robustness: Robustness | None = None,
    points: int = SCAN_POINTS,
) -> tuple[ParameterEffect, ...]:
    """The scenario's parameters ordered by how much they move the recommendation's verdict.

    With ``robustness`` (a :class:`~equishift.recommendations.robustness.Robustness` of this
    recommendation), the score of a parameter is the size of its sensitivity: the difference
    between the success rates in the lower and the upper half of its range, over samples in
    which every parameter varies. Without it, each parameter with a range is moved alone to
    ``points`` evenly spaced values across its range (ends included; the others stay at their
    defaults) and scores the share of those values at which the verdict differs from the
    default one: one call of :func:`~equishift.recommendations.robustness.verdicts` with
    ``points`` times the number of parameters points, plus the default.

    The scan sees effects at the default point only, the sensitivity sees effects averaged
    over all the other parameters; both are cheap screens, not proofs that a parameter with
    score 0 never matters. Ties keep the file's order.

    Examples
    --------
    >>> [(e.parameter, round(e.score, 2)) for e in rank_parameters("engagement-stag-hunt", "R1")]
    [('R', 0.2), ('T', 0.2), ('P', 0.2), ('S', 0.2)]
    """
    builder = _builder(scenario_name_or_path)
    params = builder.default.parameters
    order = {name: k for k, name in enumerate(params.names)}
    if robustness is not None:
        if robustness.recommendation_id != recommendation_id:
            raise MapError(
                f"the robustness analysis is of {robustness.recommendation_id!r}, "
                f"not {recommendation_id!r}"
            )
        effects = [
            ParameterEffect(s.parameter, abs(s.difference), "sensitivity")
            for s in robustness.sensitivity
            if s.parameter in params
        ]
    else:
        if points < 2:
            raise MapError(f"the scan needs at least 2 points per parameter, got {points}")
        from .robustness import verdicts

        scanned: list[tuple[str, list[Fraction]]] = []
        for name in params.names:
            bounds = _bounds(builder, name)
            if bounds is None or not isinstance(params[name].value, Fraction):
                continue
            low, high = bounds
            if low == high:
                continue
            default = Fraction(params[name].value)
            vals = [low + (high - low) * Fraction(k, points - 1) for k in range(points)]
            scanned.append((name, [v for v in vals if v != default]))
        queries: list[Mapping[str, Any]] = [{}]
        for name, vals in scanned:
            queries.extend({name: v} for v in vals)
        found = verdicts(builder, recommendation_id, queries)
        base, rest = found[0], iter(found[1:])
        effects = []
        for name, vals in scanned:
            got = [next(rest) for _ in vals]
            changed = sum(1 for v in got if v != base)
            effects.append(ParameterEffect(name, changed / len(got) if got else 0.0, "scan"))
    effects.sort(key=lambda e: (-e.score, order.get(e.parameter, len(order))))
    return tuple(effects)


def _regimes(
    builder: ScenarioBuilder,
    recommendation_id: str,
    x: str,
    y: str,
    xs: Sequence[Fraction],
    ys: Sequence[Fraction],
) -> Regimes | None:
    """The target game's equilibria on the grid, when it is a small parametric game in x, y."""
    from ..games.parametric import ParametricGame
    from ..solver import solve
    from ..solver.solution import Equilibrium
    from ..solver.symbolic import equilibrium_label
    from .evaluate import scenario_recommendations

    rec = next(r for r in scenario_recommendations(builder.default) if r.id == recommendation_id)
    if not rec.targets:
        return None
    game = builder.default.games.get(rec.targets[0])
    if not isinstance(game, ParametricGame):
        return None
    names = game.parameters.names
    cells = 1
    for strategies in game.strategies:
        cells *= len(strategies)
    if x not in names or y not in names or cells > MAX_REGIME_CELLS:
        return None
    defaults = builder.default.parameters.defaults()
    fixed = {n: defaults[n] for n in names if n in defaults and n not in (x, y)}
    legend: dict[tuple[str, ...], int] = {}
    grid: list[tuple[int, ...]] = []
    try:
        for yv in ys:
            row = []
            for xv in xs:
                sol = solve(game.at({**fixed, x: xv, y: yv}))
                eqs = [e for e in sol.equilibria if isinstance(e, Equilibrium)]
                key = tuple(dict.fromkeys(equilibrium_label(e) for e in eqs))
                row.append(legend.setdefault(key, len(legend)))
            grid.append(tuple(row))
    except EquishiftError:
        return None
    return Regimes(rec.targets[0], tuple(grid), tuple(legend))


def verdict_map(
    scenario_name_or_path: str | Path | ScenarioBuilder,
    recommendation_id: str,
    x: str | tuple[str, Any, Any, int] | None = None,
    y: str | tuple[str, Any, Any, int] | None = None,
    *,
    size: int = DEFAULT_SIZE,
    robustness: Robustness | None = None,
    regimes: bool = True,
    scan_points: int = SCAN_POINTS,
) -> VerdictMap:
    """The recommendation's verdict on a grid over two parameters, the others at defaults.

    Parameters
    ----------
    scenario_name_or_path
        A bundled scenario's name (``"dual-freeze"``), a TOML file's path, or a
        :class:`~equishift.recommendations.robustness.ScenarioBuilder`.
    recommendation_id
        The id of a recommendation in that file's table (``"DF"``).
    x, y
        Each axis as ``(name, low, high, n)`` (``n >= 2`` evenly spaced exact values from
        ``low`` to ``high``, inside the parameter's range), or a name alone (its whole range,
        ``size`` values), or ``None`` to choose automatically: the two parameters that
        :func:`rank_parameters` finds move the verdict most (from ``robustness`` when given,
        else a one-at-a-time scan with ``scan_points`` values per range). Each axis also gets
        the parameter's default value when it lies inside, so the default point is a cell.
    size
        Values per axis when an axis is not given as a tuple (21 by default: 441 verdicts).
    robustness
        A robustness analysis of this recommendation, used to choose the axes; when fewer
        than two parameters move its success rate, the scan chooses instead.
    regimes
        Also solve the recommendation's baseline (target) game at each grid point when it is a
        parametric normal-form game of at most 16 profiles in both parameters.
    scan_points
        Values per parameter range in the one-at-a-time scan.

    Returns
    -------
    VerdictMap
        Exact grid values, a verdict code per point, the default point and its verdict.

    Raises
    ------
    MapError
        For an unknown recommendation or parameter, an axis outside the parameter's range, the
        same parameter twice, or (when choosing automatically) fewer than two parameters that
        change the verdict.

    Examples
    --------
    >>> m = verdict_map("engagement-stag-hunt", "R1", x=("S", -1, 1, 3), y=("T", 2, 3, 3))
    >>> [str(v) for v in m.xs], [str(v) for v in m.ys]
    (['-1', '0', '1'], ['2', '5/2', '3'])
    >>> m.default, m.default_verdict, m.verdict_at(0, 3)
    ((Fraction(0, 1), Fraction(3, 1)), 'works', 'works')
    """
    from .evaluate import scenario_recommendations
    from .robustness import verdicts

    builder = _builder(scenario_name_or_path)
    ids = [r.id for r in scenario_recommendations(builder.default)]
    if recommendation_id not in ids:
        raise MapError(
            f"{builder.path.name}: no recommendation {recommendation_id!r}; the file has "
            + (", ".join(ids) or "none")
        )
    if not isinstance(size, int) or isinstance(size, bool) or size < 2:
        raise MapError(f"a map needs size >= 2 values per axis, got {size!r}")
    ranking: tuple[ParameterEffect, ...] = ()
    choice = "given"
    if x is None or y is None:
        taken = {a if isinstance(a, str) else a[0] for a in (x, y) if a is not None}
        need = (x is None) + (y is None)

        def free_of(effects: tuple[ParameterEffect, ...]) -> list[str]:
            return [
                e.parameter
                for e in effects
                if e.score > 0 and e.parameter not in taken and _bounds(builder, e.parameter)
            ]

        choice = "scan"
        if robustness is not None:
            ranking = rank_parameters(builder, recommendation_id, robustness=robustness)
            choice = "sensitivity"
        free = free_of(ranking)
        if len(free) < need:  # no robustness, or its samples hardly move the verdict
            ranking = rank_parameters(builder, recommendation_id, points=scan_points)
            choice = "scan"
            free = free_of(ranking)
        if len(free) < need:
            found = tuple(e.parameter for e in ranking if e.score > 0)
            raise TooFewParameters(
                f"{recommendation_id}: fewer than two parameters change the verdict "
                f"(by {choice}: {', '.join(found) or 'none'}); give both axes to draw a map "
                "anyway",
                found,
                choice,
            )
        if x is None:
            x = free.pop(0)
        if y is None:
            y = free.pop(0)
    xname, xs = _axis(builder, x, size)
    yname, ys = _axis(builder, y, size)
    if xname == yname:
        raise MapError(f"a map needs two different parameters, got {xname!r} twice")
    defaults = builder.default.parameters.defaults()
    points: list[Mapping[str, Any]] = [{}]
    points.extend({xname: xv, yname: yv} for yv in ys for xv in xs)
    got = list(verdicts(builder, recommendation_id, points))
    if len(got) != len(points):
        raise MapError(f"verdicts() gave {len(got)} verdicts for {len(points)} points")
    code = {v: k for k, v in enumerate(VERDICTS)}
    flat = [code.get(v, code[UNDETERMINED]) for v in got[1:]]
    codes = tuple(tuple(flat[j * len(xs) : (j + 1) * len(xs)]) for j in range(len(ys)))
    fixed = tuple(
        (n, Fraction(v))
        for n, v in defaults.items()
        if n not in (xname, yname) and isinstance(v, Fraction)
    )
    return VerdictMap(
        scenario=_scenario_name(scenario_name_or_path, builder),
        recommendation_id=recommendation_id,
        x=xname,
        y=yname,
        xs=xs,
        ys=ys,
        codes=codes,
        default=(Fraction(defaults[xname]), Fraction(defaults[yname])),
        default_verdict=got[0],
        fixed=fixed,
        choice=choice,
        ranking=ranking,
        regimes=_regimes(builder, recommendation_id, xname, yname, xs, ys) if regimes else None,
    )
