"""Robustness of a recommendation's verdict across the plausible values of its parameters.

:func:`robustness` samples every parameter of a scenario file that has a ``range`` or a
``distribution`` (scrambled Sobol points from :mod:`scipy.stats.qmc`, or plain pseudo-random
points, seeded), rebuilds the scenario's games at each sample with exact rational values,
evaluates the recommendation there and reports (a number of the recommendation's change named
like a scenario parameter -- ``delta`` of the dual freeze's repeated play -- takes that
parameter's value, as with the command line's ``--set``):

* the probability that its success criterion holds, with a 95% Wilson confidence interval;
* how many samples work, do not work, or could not be decided (with the reasons);
* each parameter's sensitivity: the success rate in the lower and the upper half of its range
  (the bars of a tornado chart), ranked by the size of the difference;
* the smallest single-parameter change, relative to that parameter's range, that reverses the
  verdict at the default point (found by exact bisection).

Examples
--------
>>> r = robustness("dual-freeze", "DF", n=8, seed=1, flips=False)
>>> r.recommendation_id, r.n, r.works + r.fails + r.undetermined
('DF', 8, 8)
>>> r == robustness("dual-freeze", "DF", n=8, seed=1, flips=False)
True
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from ..games.errors import EquishiftError
from ..games.formats.scenario import Scenario
from ..games.numbers import format_number
from ..games.parameters import Parameter
from .evaluate import FAILS, UNDETERMINED, WORKS, evaluate, scenario_recommendations
from .recommendation import Recommendation

if TYPE_CHECKING:
    from .vectorised import Columns

__all__ = [
    "SCHEDULERS",
    "Flip",
    "Robustness",
    "ScenarioBuilder",
    "Sensitivity",
    "brief_robustness",
    "robustness",
    "share_line",
    "verdicts",
    "wilson_interval",
]

_DENOMINATOR = 1000
"""Sampled values are rounded to rationals with denominators up to this (games stay exact)."""


def share_line(probability: float | None, interval: tuple[float, float]) -> str:
    """The report line of a success probability and its 95% interval.

    >>> share_line(0.5, (0.2366, 0.7634))
    '  probability the criterion holds: 0.500 (95% CI 0.237 to 0.763)'
    """
    if probability is None:
        return "  probability the criterion holds: unknown (no sample was decided)"
    lo, hi = interval
    return f"  probability the criterion holds: {probability:.3f} (95% CI {lo:.3f} to {hi:.3f})"


def wilson_interval(
    successes: int, total: int, z: float = 1.959963984540054
) -> tuple[float, float]:
    """The Wilson score interval for a binomial proportion (95% by default).

    Examples
    --------
    >>> lo, hi = wilson_interval(5, 10)
    >>> round(lo, 4), round(hi, 4)
    (0.2366, 0.7634)
    >>> wilson_interval(0, 0)
    (0.0, 1.0)
    """
    if total <= 0:
        return (0.0, 1.0)
    p = successes / total
    denom = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denom
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denom
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == total else min(1.0, centre + half)
    return (low, high)


class ScenarioBuilder:
    """Rebuild a scenario file's games at given parameter values (read once, rebuilt often).

    ``name_or_path`` is a bundled scenario's name or a TOML file's path. Values are exact
    numbers (``Fraction``, ``int`` or text such as ``"3/5"``), checked against each range.

    Examples
    --------
    >>> b = ScenarioBuilder("dual-freeze")
    >>> b.scenario().parameters["delta"].value
    Fraction(3, 5)
    >>> b.scenario({"delta": Fraction(1, 4)}).parameters["delta"].value
    Fraction(1, 4)
    """

    def __init__(self, name_or_path: str | Path) -> None:
        from .scenarios import list_scenarios, scenario_path

        text = str(name_or_path)
        stem = text.removesuffix(".toml")
        if isinstance(name_or_path, str) and "/" not in text and stem in list_scenarios():
            path = scenario_path(stem)
        else:
            path = Path(name_or_path)
        self.path: Path = path
        self.text: str = path.read_text(encoding="utf-8")
        self.default: Scenario = self.scenario()

    def scenario(self, values: Mapping[str, Any] | None = None) -> Scenario:
        """The scenario with ``values`` in place of the file's parameter values.

        Raises
        ------
        EquishiftError
            For an unknown parameter or a value the file rejects (outside a range).
        """
        from ..games.formats.scenario import parse_scenario

        return parse_scenario(self.text, path=self.path, values=values)

    def columns(self, values: Mapping[str, Any] | None = None, size: int | None = None) -> Columns:
        """Float columns of every parameter for vectorised verdicts (defaults broadcast).

        Examples
        --------
        >>> import numpy as np
        >>> c = ScenarioBuilder("dual-freeze").columns({"delta": np.array([0.5, 0.9])})
        >>> c.size, c["delta"].tolist(), c["T_D"].tolist()
        (2, [0.5, 0.9], [5.0, 5.0])
        """
        import numpy as np

        from .vectorised import Columns

        given = {k: np.asarray(v, dtype=np.float64).reshape(-1) for k, v in (values or {}).items()}
        if size is None:
            size = max((len(v) for v in given.values()), default=1)
        cols: dict[str, Any] = {}
        for name, p in self.default.parameters.items():
            cols[name] = given.pop(name, float(p.value))
        if given:
            raise KeyError(f"unknown parameter(s) {sorted(given)} in {self.path.name}")
        return Columns(cols, size)


@dataclass(frozen=True)
class Sensitivity:
    """Success rates in the lower and upper half of one parameter's range (a tornado bar)."""

    parameter: str
    midpoint: Fraction
    rate_low: float | None
    rate_high: float | None
    n_low: int
    n_high: int

    @property
    def difference(self) -> float:
        """``rate_high - rate_low`` (0 when a half is empty)."""
        if self.rate_low is None or self.rate_high is None:
            return 0.0
        return self.rate_high - self.rate_low

    def to_json(self) -> dict[str, Any]:
        return {
            "parameter": self.parameter,
            "midpoint": format_number(self.midpoint),
            "rate_low": self.rate_low,
            "rate_high": self.rate_high,
            "n_low": self.n_low,
            "n_high": self.n_high,
            "difference": self.difference,
        }


@dataclass(frozen=True)
class Flip:
    """The smallest single-parameter change that reverses the default verdict."""

    parameter: str
    default: Fraction
    value: Fraction
    relative_change: Fraction
    verdict: str

    def to_json(self) -> dict[str, Any]:
        return {
            "parameter": self.parameter,
            "default": format_number(self.default),
            "value": format_number(self.value),
            "relative_change": format_number(self.relative_change),
            "verdict": self.verdict,
        }


@dataclass(frozen=True)
class Robustness:
    """What :func:`robustness` found; see the module docstring."""

    scenario: str
    recommendation_id: str
    method: str
    seed: int
    n: int
    parameters: tuple[str, ...]
    works: int
    fails: int
    undetermined: int
    probability: float | None
    interval: tuple[float, float]
    sensitivity: tuple[Sensitivity, ...]
    default_verdict: str
    flip: Flip | None
    flips_searched: bool
    reasons: tuple[str, ...]
    rule: str | None = None
    exact_evaluations: int = 0

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "scenario": self.scenario,
            "recommendation": self.recommendation_id,
            "method": self.method,
            "seed": self.seed,
            "n": self.n,
            "parameters": list(self.parameters),
            "works": self.works,
            "does_not_work": self.fails,
            "undetermined": self.undetermined,
            "probability": self.probability,
            "interval": list(self.interval),
            "sensitivity": [s.to_json() for s in self.sensitivity],
            "default_verdict": self.default_verdict,
            "flip": None if self.flip is None else self.flip.to_json(),
            "flips_searched": self.flips_searched,
            "undetermined_reasons": list(self.reasons),
            "vectorised_rule": self.rule,
            "exact_evaluations": self.exact_evaluations,
        }

    def to_json_text(self) -> str:
        """:meth:`to_json` as indented text with sorted keys."""
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"

    def describe(self) -> str:
        """A plain-text report."""
        over = ", ".join(self.parameters) or "no parameters"
        lines = [
            f"Robustness of {self.recommendation_id} ({self.scenario}): {self.n} samples "
            f"({self.method}, seed {self.seed}) over {over}",
            f"  works: {self.works}, does not work: {self.fails}, "
            f"undetermined: {self.undetermined}",
        ]
        lines.append(share_line(self.probability, self.interval))
        if self.sensitivity:
            lines.append("  sensitivity (success rate in lower / upper half of the range):")
            for s in self.sensitivity:
                low = "-" if s.rate_low is None else f"{s.rate_low:.2f}"
                high = "-" if s.rate_high is None else f"{s.rate_high:.2f}"
                lines.append(f"    {s.parameter:>12}  {low} / {high}  ({s.difference:+.2f})")
        lines.append(f"  verdict at the default point: {self.default_verdict}")
        if not self.flips_searched:
            lines.append("  smallest reversing change: not searched")
        elif self.flip is None:
            lines.append(
                "  smallest reversing change: no single-parameter change within the ranges "
                "reverses it"
            )
        else:
            f = self.flip
            lines.append(
                f"  smallest reversing change: {f.parameter} from {format_number(f.default)} "
                f"to {format_number(f.value)} ({float(f.relative_change):.1%} of its range) "
                f"-> {f.verdict}"
            )
        for reason in self.reasons[:5]:
            lines.append(f"  undetermined: {reason}")
        return "\n".join(lines)


def _bounds(p: Parameter) -> tuple[Fraction, Fraction] | None:
    """The interval a parameter is sampled in and split at: its range, else its support."""
    if p.range is not None:
        return (Fraction(p.range[0]), Fraction(p.range[1]))
    if p.distribution is not None and p.distribution.support is not None:
        low, high = p.distribution.support
        return (Fraction(low), Fraction(high))
    return None


_GRID = 1 << 12
"""A sampled value is rounded to one of this many steps of its parameter's range (exact)."""


def _ppf(p: Parameter, u: NDArray[np.float64]) -> NDArray[np.float64]:
    """Map points ``u`` in [0, 1) to parameter ``p``'s distribution (or uniform on its range)."""
    from scipy import stats

    dist = p.distribution
    if dist is None:
        assert p.range is not None
        low, high = (float(v) for v in p.range)
        return low + u * (high - low)
    if dist.kind == "uniform":
        low, high = (float(v) for v in dist.args)
        return low + u * (high - low)
    if dist.kind == "triangular":
        low, mode, high = (float(v) for v in dist.args)
        c = (mode - low) / (high - low)
        return np.asarray(stats.triang.ppf(u, c, loc=low, scale=high - low), dtype=np.float64)
    mean, sd = (float(v) for v in dist.args)
    clipped = np.clip(u, 1e-12, 1 - 1e-12)
    return np.asarray(stats.norm.ppf(clipped, loc=mean, scale=sd), dtype=np.float64)


@dataclass(frozen=True)
class _Axis:
    """How one sampled parameter's values are made exact: ``origin + k * step``."""

    name: str
    origin: Fraction
    step: Fraction
    low: int | None
    high: int | None

    @classmethod
    def of(cls, p: Parameter) -> _Axis:
        if p.range is not None:
            low, high = Fraction(p.range[0]), Fraction(p.range[1])
            return cls(p.name, low, (high - low) / _GRID if high > low else Fraction(1), 0, _GRID)
        return cls(p.name, Fraction(0), Fraction(1, 10**6), None, None)

    def steps(self, x: NDArray[np.float64]) -> NDArray[np.int64]:
        k = np.rint((x - float(self.origin)) / float(self.step))
        if self.low is not None and self.high is not None:
            k = np.clip(k, self.low, self.high)
        return k.astype(np.int64)

    def floats(self, k: NDArray[np.int64]) -> NDArray[np.float64]:
        return float(self.origin) + k.astype(np.float64) * float(self.step)

    def exact(self, k: int) -> Fraction:
        return self.origin + k * self.step


def _to_value(p: Parameter, u: float) -> Fraction:
    """Map ``u`` in [0, 1) to an exact value of parameter ``p`` (see :func:`robustness`)."""
    axis = _Axis.of(p)
    return axis.exact(int(axis.steps(_ppf(p, np.array([u])))[0]))


def _unit_points(n: int, d: int, seed: int, method: str, start: int = 0) -> NDArray[np.float64]:
    """Points ``start .. start + n - 1`` of the seeded sequence in [0, 1)^d."""
    from scipy.stats import qmc

    if d == 0:
        return np.zeros((n, 0))
    if method == "sobol":
        import warnings

        sampler = qmc.Sobol(d, scramble=True, seed=seed)
        if start:
            sampler.fast_forward(start)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # balance needs powers of 2: noted
            return np.asarray(sampler.random(n), dtype=np.float64)
    if method == "random":
        bits = np.random.PCG64(seed)
        bits.advance(start * d)
        return np.random.Generator(bits).random((n, d))
    raise ValueError(f"unknown method {method!r}; expected 'sobol' or 'random'")


def _points(n: int, d: int, seed: int, method: str) -> list[list[float]]:
    return [[float(v) for v in row] for row in _unit_points(n, d, seed, method)]


def _linked(rec: Recommendation, scenario: Scenario) -> Recommendation:
    """``rec`` with each number of its change named like a scenario parameter set to it.

    A table's change holds literal numbers (``make_repeated`` with ``delta = "3/5"``); a
    scenario parameter of the same name (``delta``) stands for it, as with the command line's
    ``--set``, so sampling the parameter varies the change.
    """
    values = scenario.parameters.defaults()
    transforms = []
    for t in rec.transforms:
        changes: dict[str, Any] = {}
        if dataclasses.is_dataclass(t):
            for f in dataclasses.fields(t):
                current = getattr(t, f.name)
                if (
                    f.name in values
                    and isinstance(current, Fraction | int | float)
                    and not isinstance(current, bool)
                ):
                    changes[f.name] = values[f.name]
        transforms.append(dataclasses.replace(t, **changes) if changes else t)
    return dataclasses.replace(rec, transforms=tuple(transforms))


def _verdict(builder: ScenarioBuilder, rec_id: str, values: Mapping[str, Any]) -> tuple[str, str]:
    """(status, reason) of the recommendation at ``values``; errors give ``undetermined``."""
    try:
        scenario = builder.scenario(values)
        recs = {r.id: r for r in scenario_recommendations(scenario)}
        rec = _linked(recs[rec_id], scenario)
        ev = evaluate(rec, scenario.games, detail=False)
    except EquishiftError as exc:  # GameError, SolverError, FormatError
        return UNDETERMINED, f"{type(exc).__name__}: {exc}"
    return ev.verdict.status, ev.verdict.reason


def verdicts(
    builder: ScenarioBuilder, recommendation_id: str, points: Sequence[Mapping[str, Any]]
) -> list[str]:
    """The verdict (``"works"``, ``"does not work"``, ``"undetermined"``) at each point.

    ``points`` hold parameter values (exact numbers or text such as ``"3/5"``); parameters a
    point leaves out keep the file's values. Errors at a point (a value the file rejects, a
    game that cannot be built or solved) give ``"undetermined"`` there. Points are decided
    together by the recommendation's vectorised rule when it has one (close calls and the
    rest exactly, see :mod:`~equishift.recommendations.vectorised`).

    Examples
    --------
    >>> b = ScenarioBuilder("dual-freeze")
    >>> verdicts(b, "DF", [{}, {"delta": "1/10"}])
    ['works', 'does not work']
    """
    from .vectorised import compile_verdict

    batch = compile_verdict(builder, recommendation_id) if points else None
    if batch is None:
        return [_verdict(builder, recommendation_id, values)[0] for values in points]
    names = sorted({name for values in points for name in values})
    defaults = builder.default.parameters.defaults()
    exact: list[dict[str, Fraction]] = []
    for values in points:
        row = {}
        for name in names:
            value = values.get(name, defaults.get(name, 0))
            try:
                row[name] = value if isinstance(value, Fraction) else Fraction(str(value))
            except (ValueError, ZeroDivisionError):
                return [_verdict(builder, recommendation_id, v)[0] for v in points]
        exact.append(row)
    cols = builder.columns(
        {name: np.array([float(row[name]) for row in exact]) for name in names}, len(points)
    )
    codes = batch(cols)
    for name in names:  # values the file would reject: let the exact path say so
        p = builder.default.parameters.get(name)
        if p is None:
            codes[:] = -1
        elif p.range is not None:
            low, high = Fraction(p.range[0]), Fraction(p.range[1])
            for j, row in enumerate(exact):
                if not low <= row[name] <= high:
                    codes[j] = -1
    out = []
    for code, values in zip(codes, points, strict=True):
        c = int(code)
        out.append(_STATUS_OF[c] if c >= 0 else _verdict(builder, recommendation_id, values)[0])
    return out


def _ranged(builder: ScenarioBuilder) -> list[tuple[Parameter, Fraction, tuple[Fraction, ...]]]:
    """Parameters with a range of positive width: (parameter, width, ends other than default)."""
    out: list[tuple[Parameter, Fraction, tuple[Fraction, ...]]] = []
    for p in builder.default.parameters.values():
        if p.range is None or not isinstance(p.value, Fraction):
            continue
        low, high = Fraction(p.range[0]), Fraction(p.range[1])
        if high > low:
            out.append((p, high - low, tuple(e for e in (low, high) if e != p.value)))
    return out


def _search_flip(
    builder: ScenarioBuilder, rec_id: str, base: str, tolerance: Fraction
) -> Flip | None:
    """Bisect each parameter alone towards each end of its range for a change of verdict."""
    best: Flip | None = None
    decided = (WORKS, FAILS)
    if base not in decided:
        return None
    for p, width, ends in _ranged(builder):
        for end in ends:
            status, _ = _verdict(builder, rec_id, {p.name: end})
            if status not in decided or status == base:
                continue
            near, far, far_status = Fraction(p.value), end, status
            while abs(far - near) / width > tolerance:
                mid = (near + far) / 2
                s, _ = _verdict(builder, rec_id, {p.name: mid})
                if s == base:
                    near = mid
                elif s in decided:
                    far, far_status = mid, s
                else:
                    break
            rel = abs(far - Fraction(p.value)) / width
            if best is None or rel < best.relative_change:
                best = Flip(p.name, Fraction(p.value), far, rel, far_status)
    return best


@functools.lru_cache(maxsize=32)
def _compiled(
    source: str, recommendation_id: str
) -> tuple[ScenarioBuilder, Any, tuple[_Axis, ...]]:
    """The builder, the vectorised verdict (or None) and the sampled axes (cached per process)."""
    from .vectorised import compile_verdict

    builder = ScenarioBuilder(source)
    ids = [r.id for r in scenario_recommendations(builder.default)]
    if recommendation_id not in ids:
        raise KeyError(f"no recommendation {recommendation_id!r}; the file has {ids}")
    axes = tuple(
        _Axis.of(p)
        for p in builder.default.parameters.values()
        if p.range is not None or p.distribution
    )
    return builder, compile_verdict(builder, recommendation_id), axes


@dataclass(frozen=True)
class _Task:
    """Samples ``start .. stop - 1`` of one recommendation's robustness run."""

    source: str
    recommendation_id: str
    seed: int
    method: str
    start: int
    stop: int
    exact: bool = False


@dataclass
class _Partial:
    """What one chunk found (sums, so chunks combine in any grouping to the same result)."""

    works: int = 0
    fails: int = 0
    undetermined: int = 0
    exact: int = 0
    reasons: list[str] = dataclasses.field(default_factory=list)
    low_n: list[int] = dataclasses.field(default_factory=list)
    low_works: list[int] = dataclasses.field(default_factory=list)
    high_n: list[int] = dataclasses.field(default_factory=list)
    high_works: list[int] = dataclasses.field(default_factory=list)

    def add(self, other: _Partial) -> None:
        self.works += other.works
        self.fails += other.fails
        self.undetermined += other.undetermined
        self.exact += other.exact
        for r in other.reasons:
            if r not in self.reasons and len(self.reasons) < _MAX_REASONS:
                self.reasons.append(r)
        if not self.low_n:
            self.low_n = [0] * len(other.low_n)
            self.low_works = [0] * len(other.low_n)
            self.high_n = [0] * len(other.low_n)
            self.high_works = [0] * len(other.low_n)
        for j in range(len(other.low_n)):
            self.low_n[j] += other.low_n[j]
            self.low_works[j] += other.low_works[j]
            self.high_n[j] += other.high_n[j]
            self.high_works[j] += other.high_works[j]


_MAX_REASONS = 10
_CODE_OF = {WORKS: 1, FAILS: 0, UNDETERMINED: 2}
_STATUS_OF = {code: status for status, code in _CODE_OF.items()}


def _run_chunk(task: _Task) -> _Partial:
    """Evaluate one chunk: vectorised where a rule applies, exactly where it cannot decide."""
    builder, batch, axes = _compiled(task.source, task.recommendation_id)
    if task.exact:
        batch = None
    n = task.stop - task.start
    unit = _unit_points(n, len(axes), task.seed, task.method, task.start)
    steps = [
        a.steps(_ppf(builder.default.parameters[a.name], unit[:, j])) for j, a in enumerate(axes)
    ]
    if batch is not None:
        cols = builder.columns({a.name: a.floats(k) for a, k in zip(axes, steps, strict=True)}, n)
        codes = np.array(batch(cols), dtype=np.int8)
    else:
        codes = np.full(n, -1, dtype=np.int8)
    undecided = np.flatnonzero(codes == 2)  # the rule says the exact path calls these undetermined
    out = _Partial()
    for row in np.flatnonzero(codes == -1):
        values = {a.name: a.exact(int(k[row])) for a, k in zip(axes, steps, strict=True)}
        status, reason = _verdict(builder, task.recommendation_id, values)
        codes[row] = _CODE_OF[status]
        out.exact += 1
        if status == UNDETERMINED and reason not in out.reasons and len(out.reasons) < _MAX_REASONS:
            out.reasons.append(reason)
    if len(undecided) and not out.reasons:
        # The exact path's reason at the first such sample (e.g. a game of the file that
        # cannot be built there); not counted among the exact evaluations.
        first = int(undecided[0])
        values = {a.name: a.exact(int(k[first])) for a, k in zip(axes, steps, strict=True)}
        status, reason = _verdict(builder, task.recommendation_id, values)
        out.reasons.append(
            reason
            if status == UNDETERMINED
            else "the vectorised rule found samples the exact path calls undetermined"
        )
    works = codes == 1
    out.works = int(np.count_nonzero(works))
    out.fails = int(np.count_nonzero(codes == 0))
    out.undetermined = n - out.works - out.fails
    for a, k in zip(axes, steps, strict=True):
        mid = _midpoint(builder.default.parameters[a.name])
        low = a.floats(k) < float(mid) if a.low is None else k < _mid_step(a, mid)
        out.low_n.append(int(np.count_nonzero(low)))
        out.low_works.append(int(np.count_nonzero(low & works)))
        out.high_n.append(int(n - np.count_nonzero(low)))
        out.high_works.append(int(np.count_nonzero(~low & works)))
    return out


def _midpoint(p: Parameter) -> Fraction:
    bounds = _bounds(p)
    if bounds is not None:
        return (bounds[0] + bounds[1]) / 2
    return Fraction(p.value).limit_denominator(10**6)


def _mid_step(axis: _Axis, mid: Fraction) -> float:
    """The grid step of ``mid`` (samples with a smaller step lie in the lower half)."""
    return float((mid - axis.origin) / axis.step)


SCHEDULERS = ("serial", "processes", "dask")


def _tasks(
    source: str, rec_id: str, n: int, seed: int, method: str, chunk: int, exact: bool = False
) -> list[_Task]:
    return [
        _Task(source, rec_id, seed, method, start, min(n, start + chunk), exact)
        for start in range(0, n, chunk)
    ]


def _execute(
    tasks: Sequence[_Task],
    workers: int,
    scheduler: str | None,
    progress: Callable[[int, int], None] | None,
) -> list[_Partial]:
    """Run the tasks (in this process, a process pool, or Dask); results in task order."""
    total = sum(t.stop - t.start for t in tasks)
    kind = scheduler or ("processes" if workers > 1 and len(tasks) > 1 else "serial")
    if kind not in SCHEDULERS:
        raise ValueError(f"unknown scheduler {kind!r}; expected one of {', '.join(SCHEDULERS)}")
    done = 0
    results: list[_Partial] = []
    if kind == "serial":
        for t in tasks:
            results.append(_run_chunk(t))
            done += t.stop - t.start
            if progress is not None:
                progress(done, total)
        return results
    if kind == "dask":
        import importlib

        try:
            dask = importlib.import_module("dask")
        except ImportError:
            raise EquishiftError(
                "the dask scheduler needs Dask: pip install 'dask[distributed]'"
            ) from None
        delayed = [dask.delayed(_run_chunk)(t) for t in tasks]
        computed = dask.compute(*delayed)
        if progress is not None:
            progress(total, total)
        return list(computed)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork" if "fork" in _start_methods() else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for t, r in zip(tasks, pool.map(_run_chunk, tasks), strict=True):
            results.append(r)
            done += t.stop - t.start
            if progress is not None:
                progress(done, total)
    return results


def _start_methods() -> list[str]:
    import multiprocessing

    return list(multiprocessing.get_all_start_methods())


def _flip_grid(
    builder: ScenarioBuilder, rec_id: str, batch: Any, base: str, tolerance: Fraction
) -> Flip | None:
    """The smallest single-parameter reversal, on a grid of ``tolerance`` steps, confirmed exactly.

    Every grid point's verdict comes from the vectorised rule (close calls exactly); the point
    found and its neighbour towards the default are then re-evaluated exactly.
    """
    decided = (WORKS, FAILS)
    if base not in decided:
        return None
    # (relative change, file order, value, its neighbour towards the default, name, default):
    # of equally small changes, the parameter written first in the file is reported.
    candidates: list[tuple[Fraction, int, Fraction, Fraction, str, Fraction]] = []
    for order, (p, width, ends) in enumerate(_ranged(builder)):
        origin = Fraction(p.value)
        for end in ends:
            m = max(1, math.ceil(abs(end - origin) / (width * tolerance)))
            floats = float(origin) + float(end - origin) * np.arange(1, m + 1) / m
            codes = batch(builder.columns({p.name: floats}, m))
            grid = [origin + (end - origin) * Fraction(k, m) for k in (0, 1)]
            step = grid[1] - grid[0]
            for j in np.flatnonzero(codes != _CODE_OF[base]):
                code = int(codes[j])
                value = origin + step * (int(j) + 1)
                status = (
                    _STATUS_OF[code] if code >= 0 else _verdict(builder, rec_id, {p.name: value})[0]
                )
                if status in decided and status != base:
                    rel = abs(value - origin) / width
                    candidates.append((rel, order, value, value - step, p.name, origin))
                    break
    # Confirm the nearest candidate exactly: a reversal there, the default's verdict next to it.
    for rel, _order, value, before, name, origin in sorted(candidates):
        status = _verdict(builder, rec_id, {name: value})[0]
        kept = base if before == origin else _verdict(builder, rec_id, {name: before})[0]
        if status in decided and status != base and kept == base:
            return Flip(name, origin, value, rel, status)
        return _search_flip(builder, rec_id, base, tolerance)  # not confirmed: bisect exactly
    return None


def robustness(
    scenario_name_or_path: str | Path,
    recommendation_id: str,
    *,
    n: int = 200,
    seed: int = 0,
    method: str = "sobol",
    flips: bool = True,
    tolerance: Fraction = Fraction(1, 1024),
    chunk_size: int = 16384,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    exact: bool = False,
) -> Robustness:
    """How robust a recommendation's verdict is to its scenario's parameters.

    Parameters
    ----------
    scenario_name_or_path
        A bundled scenario's name (``"dual-freeze"``) or a TOML file's path.
    recommendation_id
        The id of a recommendation in that file's table (``"DF"``).
    n, seed, method
        How many samples, the seed, and ``"sobol"`` (scrambled Sobol points) or ``"random"``.
    flips
        Whether to search for the smallest verdict-reversing change.
    tolerance
        Resolution of that search, as a share of the parameter's range.
    chunk_size
        Samples are drawn and evaluated this many at a time, so memory stays flat as ``n``
        grows.
    workers, scheduler
        Chunks run in this process (``"serial"``), in a pool of ``workers`` processes
        (``"processes"``, the default when ``workers > 1``), or through Dask (``"dask"``: the
        default Dask scheduler, or the cluster of a ``dask.distributed.Client`` you created).
        The result is the same for the same seed whatever the choice.
    progress
        Called with (samples done, samples in all) after each chunk.
    exact
        Decide every sample by rebuilding and solving its games in exact arithmetic, instead
        of the vectorised rule of :mod:`~equishift.recommendations.vectorised` (which already
        hands every close call to the exact path; this is for checking it, and it is slow).

    Returns
    -------
    Robustness
        Deterministic for a given seed, method and ``n``; the same with ``exact=True``.

    Raises
    ------
    KeyError
        When the file has no recommendation ``recommendation_id``.

    Examples
    --------
    >>> r = robustness("dual-freeze", "DF", n=4, flips=False)
    >>> r.default_verdict, r.n
    ('works', 4)
    """
    if n < 1:
        raise ValueError(f"n must be positive, got {n}")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be positive, got {chunk_size}")
    source = _source(scenario_name_or_path)
    builder, batch, axes = _compiled(source, recommendation_id)
    tasks = _tasks(source, recommendation_id, n, seed, method, chunk_size, exact)
    if exact:
        batch = None
    total = _Partial()
    for part in _execute(tasks, workers, scheduler, progress):
        total.add(part)
    return _finish(
        builder,
        batch,
        axes,
        total,
        str(scenario_name_or_path),
        recommendation_id,
        seed=seed,
        n=n,
        method=method,
        flips=flips,
        tolerance=tolerance,
    )


def _source(scenario_name_or_path: str | Path) -> str:
    """A key that every process resolves to the same file (bundled name or absolute path)."""
    from .scenarios import list_scenarios

    text = str(scenario_name_or_path)
    bundled = text.removesuffix(".toml")
    if isinstance(scenario_name_or_path, str) and "/" not in text and bundled in list_scenarios():
        return bundled
    return str(Path(scenario_name_or_path).resolve())


def _finish(
    builder: ScenarioBuilder,
    batch: Any,
    axes: Sequence[_Axis],
    total: _Partial,
    label: str,
    rec_id: str,
    *,
    seed: int,
    n: int,
    method: str,
    flips: bool,
    tolerance: Fraction,
) -> Robustness:
    decided = total.works + total.fails
    sens = []
    for j, a in enumerate(axes):
        p = builder.default.parameters[a.name]
        sens.append(
            Sensitivity(
                a.name,
                _midpoint(p),
                total.low_works[j] / total.low_n[j] if total.low_n[j] else None,
                total.high_works[j] / total.high_n[j] if total.high_n[j] else None,
                total.low_n[j],
                total.high_n[j],
            )
        )
    sens.sort(key=lambda s: (-abs(s.difference), s.parameter))
    base, _ = _verdict(builder, rec_id, {})
    flip = None
    if flips:
        flip = (
            _flip_grid(builder, rec_id, batch, base, tolerance)
            if batch is not None
            else _search_flip(builder, rec_id, base, tolerance)
        )
    return Robustness(
        scenario=label,
        recommendation_id=rec_id,
        method=method,
        seed=seed,
        n=n,
        parameters=tuple(a.name for a in axes),
        works=total.works,
        fails=total.fails,
        undetermined=total.undetermined,
        probability=total.works / decided if decided else None,
        interval=wilson_interval(total.works, decided),
        sensitivity=tuple(sens),
        default_verdict=base,
        flip=flip,
        flips_searched=flips,
        reasons=tuple(total.reasons),
        rule=None if batch is None else batch.rule,
        exact_evaluations=total.exact,
    )


def brief_robustness(
    *,
    n: int = 10_000,
    seed: int = 0,
    method: str = "sobol",
    flips: bool = True,
    workers: int = 2,
    scheduler: str | None = None,
    chunk_size: int = 16384,
    recommendations: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Robustness]:
    """:func:`robustness` of every recommendation of the bundled brief, chunks pooled.

    All recommendations' chunks share one pool of workers, so both cores stay busy.

    Examples
    --------
    >>> out = brief_robustness(n=8, workers=1, flips=False, recommendations=["R8"])
    >>> out["R8"].probability
    1.0
    """
    from .brief import SCENARIO_OF

    ids = list(SCENARIO_OF) if recommendations is None else list(recommendations)
    unknown = [r for r in ids if r not in SCENARIO_OF]
    if unknown:
        raise KeyError(f"no recommendation {unknown[0]!r} in the brief; it has {list(SCENARIO_OF)}")
    tasks: list[_Task] = []
    owner: list[str] = []
    for rec_id in ids:
        for t in _tasks(SCENARIO_OF[rec_id], rec_id, n, seed, method, chunk_size):
            tasks.append(t)
            owner.append(rec_id)
    totals = {rec_id: _Partial() for rec_id in ids}
    for rec_id, part in zip(owner, _execute(tasks, workers, scheduler, progress), strict=True):
        totals[rec_id].add(part)
    out = {}
    for rec_id in ids:
        builder, batch, axes = _compiled(SCENARIO_OF[rec_id], rec_id)
        out[rec_id] = _finish(
            builder,
            batch,
            axes,
            totals[rec_id],
            SCENARIO_OF[rec_id],
            rec_id,
            seed=seed,
            n=n,
            method=method,
            flips=flips,
            tolerance=Fraction(1, 1024),
        )
    return out
