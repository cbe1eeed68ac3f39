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
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..games.errors import EquishiftError
from ..games.formats.scenario import Scenario
from ..games.numbers import format_number
from ..games.parameters import Parameter
from .evaluate import FAILS, UNDETERMINED, WORKS, evaluate, scenario_recommendations
from .recommendation import Recommendation

__all__ = [
    "Flip",
    "Robustness",
    "ScenarioBuilder",
    "Sensitivity",
    "robustness",
    "verdicts",
    "wilson_interval",
]

_DENOMINATOR = 1000
"""Sampled values are rounded to rationals with denominators up to this (games stay exact)."""


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
        if self.probability is None:
            lines.append("  probability the criterion holds: unknown (no sample was decided)")
        else:
            lo, hi = self.interval
            lines.append(
                f"  probability the criterion holds: {self.probability:.3f} "
                f"(95% CI {lo:.3f} to {hi:.3f})"
            )
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


def _to_value(p: Parameter, u: float) -> Fraction:
    """Map ``u`` in [0, 1) to parameter ``p``'s distribution (or uniform over its range)."""
    from scipy import stats

    dist = p.distribution
    x: float
    if dist is None:
        assert p.range is not None
        low, high = (float(v) for v in p.range)
        x = low + u * (high - low)
    elif dist.kind == "uniform":
        low, high = (float(v) for v in dist.args)
        x = low + u * (high - low)
    elif dist.kind == "triangular":
        low, mode, high = (float(v) for v in dist.args)
        c = (mode - low) / (high - low)
        x = float(stats.triang.ppf(u, c, loc=low, scale=high - low))
    else:
        mean, sd = (float(v) for v in dist.args)
        x = float(stats.norm.ppf(min(max(u, 1e-12), 1 - 1e-12), loc=mean, scale=sd))
    value = Fraction(x).limit_denominator(_DENOMINATOR)
    if p.range is not None:
        value = min(max(value, Fraction(p.range[0])), Fraction(p.range[1]))
    return value


def _points(n: int, d: int, seed: int, method: str) -> list[list[float]]:
    import numpy as np
    from scipy.stats import qmc

    if d == 0:
        return [[] for _ in range(n)]
    if method == "sobol":
        m = max(0, math.ceil(math.log2(max(n, 1))))
        pts = qmc.Sobol(d, scramble=True, seed=seed).random_base2(m)[:n]
    elif method == "random":
        pts = np.random.default_rng(seed).random((n, d))
    else:
        raise ValueError(f"unknown method {method!r}; expected 'sobol' or 'random'")
    return [[float(v) for v in row] for row in pts]


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
        ev = evaluate(rec, scenario.games)
    except EquishiftError as exc:  # GameError, SolverError, FormatError
        return UNDETERMINED, f"{type(exc).__name__}: {exc}"
    return ev.verdict.status, ev.verdict.reason


def verdicts(
    builder: ScenarioBuilder, recommendation_id: str, points: Sequence[Mapping[str, Any]]
) -> list[str]:
    """The verdict (``"works"``, ``"does not work"``, ``"undetermined"``) at each point.

    ``points`` hold parameter values (exact numbers or text such as ``"3/5"``); parameters a
    point leaves out keep the file's values. Errors at a point (a value the file rejects, a
    game that cannot be built or solved) give ``"undetermined"`` there.

    Examples
    --------
    >>> b = ScenarioBuilder("dual-freeze")
    >>> verdicts(b, "DF", [{}, {"delta": "1/10"}])
    ['works', 'does not work']
    """
    return [_verdict(builder, recommendation_id, values)[0] for values in points]


def _search_flip(
    builder: ScenarioBuilder, rec_id: str, base: str, tolerance: Fraction
) -> Flip | None:
    """Bisect each parameter alone towards each end of its range for a change of verdict."""
    best: Flip | None = None
    decided = (WORKS, FAILS)
    if base not in decided:
        return None
    for p in builder.default.parameters.values():
        if p.range is None or not isinstance(p.value, Fraction):
            continue
        low, high = Fraction(p.range[0]), Fraction(p.range[1])
        width = high - low
        if width == 0:
            continue
        for end in (low, high):
            if end == p.value:
                continue
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
            rel = abs(far - p.value) / width
            if best is None or rel < best.relative_change:
                best = Flip(p.name, Fraction(p.value), far, rel, far_status)
    return best


def robustness(
    scenario_name_or_path: str | Path,
    recommendation_id: str,
    *,
    n: int = 200,
    seed: int = 0,
    method: str = "sobol",
    flips: bool = True,
    tolerance: Fraction = Fraction(1, 1024),
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
        Whether to search for the smallest verdict-reversing change (bisection, costs
        evaluations).
    tolerance
        Bisection stops when the bracket is this share of the parameter's range.

    Returns
    -------
    Robustness
        Deterministic for a given seed.

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
    builder = ScenarioBuilder(scenario_name_or_path)
    ids = [r.id for r in scenario_recommendations(builder.default)]
    if recommendation_id not in ids:
        raise KeyError(f"no recommendation {recommendation_id!r}; the file has {ids}")
    sampled = [
        p for p in builder.default.parameters.values() if p.range is not None or p.distribution
    ]
    points = _points(n, len(sampled), seed, method)
    statuses: list[str] = []
    samples: list[dict[str, Fraction]] = []
    reasons: list[str] = []
    for row in points:
        values = {p.name: _to_value(p, u) for p, u in zip(sampled, row, strict=True)}
        status, reason = _verdict(builder, recommendation_id, values)
        statuses.append(status)
        samples.append(values)
        if status == UNDETERMINED and reason not in reasons:
            reasons.append(reason)
    works = statuses.count(WORKS)
    fails = statuses.count(FAILS)
    decided = works + fails
    sens: list[Sensitivity] = []
    for p in sampled:
        bounds = _bounds(p)
        mid = (
            (bounds[0] + bounds[1]) / 2
            if bounds is not None
            else Fraction(p.value).limit_denominator(_DENOMINATOR)
        )
        low = [s == WORKS for s, v in zip(statuses, samples, strict=True) if v[p.name] < mid]
        high = [s == WORKS for s, v in zip(statuses, samples, strict=True) if v[p.name] >= mid]
        sens.append(
            Sensitivity(
                p.name,
                mid,
                sum(low) / len(low) if low else None,
                sum(high) / len(high) if high else None,
                len(low),
                len(high),
            )
        )
    sens.sort(key=lambda s: (-abs(s.difference), s.parameter))
    base, _ = _verdict(builder, recommendation_id, {})
    flip = _search_flip(builder, recommendation_id, base, tolerance) if flips else None
    return Robustness(
        scenario=str(scenario_name_or_path),
        recommendation_id=recommendation_id,
        method=method,
        seed=seed,
        n=n,
        parameters=tuple(p.name for p in sampled),
        works=works,
        fails=fails,
        undetermined=n - decided,
        probability=works / decided if decided else None,
        interval=wilson_interval(works, decided),
        sensitivity=tuple(sens),
        default_verdict=base,
        flip=flip,
        flips_searched=flips,
        reasons=tuple(reasons),
    )
