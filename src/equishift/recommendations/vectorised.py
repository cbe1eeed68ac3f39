"""Vectorised verdicts: a recommendation's verdict at thousands of parameter samples at once.

Robustness analysis (:mod:`equishift.recommendations.robustness`) needs the verdict of a
recommendation at every sample of its scenario's parameters. Rebuilding and solving the
games exactly at each sample costs milliseconds; this module compiles, once per
recommendation, a function of numpy arrays that solves the baseline-and-reformed games of all
samples together in floating point, and says which samples it cannot decide safely.

How it stays honest
-------------------
* A *rule* handles one family of games and criteria (a repeated game and a critical
  discount factor, a normal-form game and equilibrium selection, ...). It applies the
  recommendation's transforms itself, in array form, and returns ``None`` -- "not mine" --
  for any transform, game or criterion it does not know. Then robustness falls back to the
  exact per-sample path: nothing is guessed.
* Float comparisons have a tolerance (``1e-9`` relative to the payoff scale). A sample where
  any comparison that decides the verdict is within it is marked :data:`EXACT`, and the
  caller decides it with the exact rational path. So every vectorised verdict is one that
  exact arithmetic would give too; the tests check this against the exact path on random
  samples of every bundled recommendation.
* The exact path reads the whole scenario file at each sample: where *any* game of the file
  cannot be built there (a field outside what it accepts, an expression dividing by zero),
  it reports the sample undetermined. :func:`scenario_guard` makes the vectorised verdict
  agree: every field bound to an expression of the parameters, and every number of the
  change that a parameter sets, is proved valid over the parameters' ranges (exact interval
  arithmetic) or checked per sample -- clearly invalid: :data:`UNDECIDED`; within the
  tolerance of a limit, not finite or near a division by zero: :data:`EXACT`. A field it
  cannot check leaves the recommendation to the exact path (no rule).

Codes: :data:`WORKS` (1), :data:`FAILS` (0), :data:`UNDECIDED` (2: the exact path says
"undetermined", e.g. no discount factor sustains the target is *not* this -- that is a
failure), :data:`EXACT` (-1: decide exactly).

Examples
--------
>>> import numpy as np
>>> from equishift.recommendations.robustness import ScenarioBuilder
>>> b = ScenarioBuilder("dual-freeze")
>>> v = compile_verdict(b, "DF")
>>> v.rule
'repeated-threshold'
>>> cols = b.columns({"delta": np.array([0.1, 0.6, 0.9])})
>>> v(cols).tolist()
[0, 1, 1]
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from ..games.formats.scenario import Scenario
from ..games.parameters import parse_expression, symbol
from ..games.parametric import ParametricGame
from .recommendation import Recommendation

if TYPE_CHECKING:
    from .robustness import ScenarioBuilder

__all__ = [
    "EXACT",
    "FAILS",
    "RULES",
    "UNDECIDED",
    "WORKS",
    "Allowed",
    "BatchVerdict",
    "Columns",
    "Context",
    "Guard",
    "batch_rule",
    "compile_verdict",
    "numpy_function",
    "scenario_guard",
]

WORKS = 1
FAILS = 0
UNDECIDED = 2
EXACT = -1

TOLERANCE = 1e-9
"""Relative tolerance of float comparisons; closer calls are decided exactly."""

Codes = NDArray[np.int8]
Array = NDArray[np.float64]


class Columns:
    """Parameter values of ``size`` samples: one float array per parameter of the scenario.

    Parameters that were not sampled hold their default value (broadcast).

    Examples
    --------
    >>> c = Columns({"x": np.array([1.0, 2.0]), "y": np.array([3.0])}, 2)
    >>> c["y"].tolist(), c.size
    ([3.0, 3.0], 2)
    """

    def __init__(self, values: Mapping[str, Any], size: int) -> None:
        self.size = size
        self._values: dict[str, Array] = {}
        for name, v in values.items():
            arr = np.asarray(v, dtype=np.float64)
            if arr.ndim == 0 or arr.shape == (1,):
                arr = np.full(size, float(arr.reshape(-1)[0]))
            if arr.shape != (size,):
                raise ValueError(f"column {name!r} has shape {arr.shape}; expected ({size},)")
            self._values[name] = arr

    def __getitem__(self, name: str) -> Array:
        return self._values[name]

    def __contains__(self, name: object) -> bool:
        return name in self._values

    def names(self) -> tuple[str, ...]:
        """The parameter names."""
        return tuple(self._values)

    def take(self, index: NDArray[Any]) -> Columns:
        """The samples at ``index`` (a boolean mask or integer indices)."""
        picked = {k: v[index] for k, v in self._values.items()}
        size = int(np.count_nonzero(index)) if index.dtype == bool else len(index)
        return Columns(picked, size)


# -- expressions as numpy functions -----------------------------------------------------------
def numpy_function(expr: Any) -> Callable[[Columns], Array]:
    """Compile a sympy expression of parameters into a function of :class:`Columns`.

    Walks the expression tree (sums, products, powers, numbers, parameters, ``Min``, ``Max``,
    ``Abs``, ``exp``, ``log``); no code is generated or evaluated. Raises ``ValueError`` for
    anything else.

    Examples
    --------
    >>> f = numpy_function(parse_expression("2*x - max(x, y)/3 + exp(-y)", ["x", "y"]))
    >>> np.round(f(Columns({"x": [1.0, 4.0], "y": [0.0, 6.0]}, 2)), 4).tolist()
    [2.6667, 6.0025]
    """
    import sympy as sp

    if isinstance(expr, sp.Symbol):
        name = expr.name
        return lambda c: c[name]
    if expr.is_Number:
        value = float(expr)
        return lambda c: np.full(c.size, value)
    args = [numpy_function(a) for a in expr.args]
    if isinstance(expr, sp.Add):
        return lambda c: functools.reduce(np.add, (f(c) for f in args))
    if isinstance(expr, sp.Mul):
        return lambda c: functools.reduce(np.multiply, (f(c) for f in args))
    if isinstance(expr, sp.Pow):
        base, power = args
        return lambda c: np.power(base(c), power(c))
    if isinstance(expr, sp.Max):
        return lambda c: functools.reduce(np.maximum, (f(c) for f in args))
    if isinstance(expr, sp.Min):
        return lambda c: functools.reduce(np.minimum, (f(c) for f in args))
    unary: dict[type, Callable[[Array], Array]] = {
        sp.Abs: np.abs,
        sp.exp: np.exp,
        sp.log: np.log,
    }
    for kind, fn in unary.items():
        if isinstance(expr, kind) and len(args) == 1:
            (inner,) = args
            return lambda c, fn=fn, inner=inner: fn(inner(c))  # type: ignore[misc]
    raise ValueError(f"cannot vectorise the expression {expr}")


def _value_function(value: Any, names: Iterable[str] = ()) -> Callable[[Columns], Array]:
    """A constant (exact or float) or an expression of ``names``, as a function of columns."""
    import sympy as sp

    if isinstance(value, Fraction | int | float) and not isinstance(value, bool):
        x = float(value)
        return lambda c: np.full(c.size, x)
    if isinstance(value, str):
        return numpy_function(parse_expression(value, names))
    if isinstance(value, sp.Basic):
        return numpy_function(value)
    raise ValueError(f"cannot vectorise the value {value!r}")


# -- the context a rule works in --------------------------------------------------------------
@dataclass(frozen=True)
class Context:
    """What a rule may read: the scenario at its defaults, its TOML data, the recommendation.

    Attributes
    ----------
    scenario
        The scenario read with the file's values.
    data
        The file's TOML tables (to follow references such as a repeated game's ``stage``).
    recommendation
        The recommendation, as in the file (its numbers not yet linked to parameters).
    """

    scenario: Scenario
    data: Mapping[str, Any]
    recommendation: Recommendation

    @property
    def target(self) -> str:
        """The name of the game the recommendation changes."""
        return self.recommendation.targets[0]

    def spec(self, name: str) -> Mapping[str, Any]:
        """The TOML table of game ``name`` (``{}`` when the file has none)."""
        games = self.data.get("games")
        if isinstance(games, dict) and isinstance(games.get(name), dict):
            return dict(games[name])
        game = self.data.get("game")
        if name == "game" and isinstance(game, dict):
            return dict(game)
        return {}

    def field(self, game: str, key: str, default: Any) -> Callable[[Columns], Array] | None:
        """Field ``key`` of game ``game``: its expression, else ``default`` as a constant.

        ``None`` when the default is ``None`` and the file binds no expression.
        """
        bound = self.scenario.bindings.get(game, {}).get(key)
        if bound is not None:
            return _value_function(bound, self.scenario.parameters.names)
        if default is None:
            return None
        return _value_function(default)

    def parameter_value(self, name: str, value: Any) -> Callable[[Columns], Array]:
        """A number of the recommendation's change, linked to the parameter of that name.

        As with the command line's ``--set`` and :func:`robustness`, a field of a transform
        named like a scenario parameter (``delta`` of ``make_repeated``) takes its value.
        """
        if name in self.scenario.parameters:
            return lambda c: c[name]
        return _value_function(value)

    def payoffs(self, name: str) -> Callable[[Columns], Array] | None:
        """Payoffs of normal-form game ``name`` at every sample: shape ``(S, *shape, n)``.

        ``None`` when ``name`` is not a normal-form game of the scenario.
        """
        from ..games.normal_form import NormalFormGame

        game = self.scenario.games.get(name)
        if isinstance(game, ParametricGame):
            cells = [(pos, numpy_function(e)) for pos, e in np.ndenumerate(game.payoffs)]
            shape = game.payoffs.shape

            def build(c: Columns) -> Array:
                out = np.empty((c.size, *shape))
                for pos, f in cells:
                    out[(slice(None), *pos)] = f(c)
                return out

            return build
        if isinstance(game, NormalFormGame):
            fixed = np.asarray(game.float_payoffs(), dtype=np.float64)
            return lambda c: np.broadcast_to(fixed, (c.size, *fixed.shape)).copy()
        return None


# -- compiled verdicts ------------------------------------------------------------------------
@dataclass(frozen=True)
class BatchVerdict:
    """A recommendation's verdict as a function of parameter columns (codes per sample)."""

    rule: str
    function: Callable[[Columns], Codes]

    def __call__(self, columns: Columns) -> Codes:
        codes = np.asarray(self.function(columns), dtype=np.int8)
        if codes.shape != (columns.size,):  # pragma: no cover - a rule's bug
            raise AssertionError(f"rule {self.rule!r} returned shape {codes.shape}")
        return codes


Rule = Callable[[Context], Callable[[Columns], Codes] | None]
RULES: dict[str, Rule] = {}
"""The rules by name, tried in order of registration."""


def batch_rule(name: str) -> Callable[[Rule], Rule]:
    """Register a rule (a function from a :class:`Context` to a verdict function or ``None``)."""

    def register(rule: Rule) -> Rule:
        RULES[name] = rule
        return rule

    return register


def compile_verdict(builder: ScenarioBuilder, recommendation_id: str) -> BatchVerdict | None:
    """The first rule that handles the recommendation, compiled; ``None``: use the exact path.

    Examples
    --------
    >>> from equishift.recommendations.robustness import ScenarioBuilder
    >>> compile_verdict(ScenarioBuilder("strategic-triangle"), "R8").rule
    'constant'
    """
    import tomllib
    from decimal import Decimal

    from . import _vector_forms, _vector_rules  # noqa: F401  (registers the rules)
    from .evaluate import scenario_recommendations

    scenario = builder.default
    recs = {r.id: r for r in scenario_recommendations(scenario)}
    if recommendation_id not in recs:
        raise KeyError(f"no recommendation {recommendation_id!r}; the file has {sorted(recs)}")
    data = tomllib.loads(builder.text, parse_float=Decimal)
    ctx = Context(scenario, data, recs[recommendation_id])
    try:
        guard = scenario_guard(ctx)
    except (ValueError, KeyError, TypeError, IndexError):
        return None  # a game or change whose validity cannot be checked here: exact path
    for name, rule in RULES.items():
        try:
            fn = rule(ctx)
        except (ValueError, KeyError, TypeError, IndexError):
            fn = None  # a shape the rule does not know: not its case
        if fn is not None:
            return BatchVerdict(name, fn if guard is None else _guarded(fn, guard))
    return None


def _guarded(fn: Callable[[Columns], Codes], guard: Guard) -> Callable[[Columns], Codes]:
    """``fn`` with the samples where the scenario may not be built decided as it says."""

    def run(c: Columns) -> Codes:
        with np.errstate(all="ignore"):  # values that are not finite are marked unsure
            codes = np.array(fn(c), dtype=np.int8)
        invalid, unsure = guard(c)
        codes[unsure] = EXACT
        codes[invalid] = UNDECIDED
        return codes

    return run


# -- whether the exact path can build every game of the scenario at a sample -----------------
@dataclass(frozen=True)
class Allowed:
    """The values a number of a game or of a change may take: an interval, maybe half-open.

    ``None`` ends are unbounded. ``exact``: the value must also be a rational number (a
    probability of a chance move or of a prior, which the scenario reader wants exact).

    Examples
    --------
    >>> DISCOUNT.contains((Fraction(0), Fraction(99, 100))), DISCOUNT.contains((0, 1))
    (True, False)
    """

    low: Fraction | None = None
    high: Fraction | None = None
    low_open: bool = False
    high_open: bool = False
    exact: bool = False

    def contains(self, interval: tuple[Fraction, Fraction]) -> bool:
        """Whether every value of the closed ``interval`` is allowed."""
        lo, hi = interval
        if self.low is not None and (lo < self.low or (self.low_open and lo == self.low)):
            return False
        return not (
            self.high is not None and (hi > self.high or (self.high_open and hi == self.high))
        )

    def check(self, v: Array) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
        """``(invalid, unsure)`` per sample for float values ``v``: clearly outside, or within
        the tolerance of an end (or not finite), where only exact arithmetic can tell."""
        invalid = np.zeros(v.shape, dtype=bool)
        unsure = ~np.isfinite(v)
        w = np.where(unsure, 0.0, v)
        for end, side in ((self.low, -1.0), (self.high, 1.0)):
            if end is None:
                continue
            e = float(end)
            tol = TOLERANCE * np.maximum(1.0, np.maximum(np.abs(w), abs(e)))
            invalid |= side * (w - e) > tol
            unsure |= np.abs(w - e) <= tol
        return invalid & ~unsure, unsure


REAL = Allowed()
"""Any finite real number."""
PROBABILITY = Allowed(Fraction(0), Fraction(1))
DISCOUNT = Allowed(Fraction(0), Fraction(1), high_open=True)
"""[0, 1): a discount factor, a lapse hazard, a breakdown probability."""
POSITIVE = Allowed(Fraction(0), low_open=True)
NON_NEGATIVE = Allowed(Fraction(0))
EXACT_PROBABILITY = Allowed(Fraction(0), Fraction(1), exact=True)

_GAME_FIELDS: dict[str, dict[str, Allowed]] = {
    "RepeatedGame": {
        "delta": DISCOUNT,
        "detection": PROBABILITY,
        "false_alarm": PROBABILITY,
        "lapse": DISCOUNT,
        "contact_interval": POSITIVE,
        "rate": POSITIVE,
        "relative_gains": REAL,
    },
    "LinkedGame": {"delta": DISCOUNT, "detection": PROBABILITY, "false_alarm": PROBABILITY},
    "BargainingModel": {
        "p": PROBABILITY,
        "proposer_cost": NON_NEGATIVE,
        "max_receiver_cost": POSITIVE,
        "cap": PROBABILITY,
    },
}
"""What each named field of a game accepts (as the games' constructors check it)."""

_CHANGE_FIELDS: dict[str, dict[str, Allowed]] = {
    "MakeRepeated": {
        "delta": DISCOUNT,
        "detection": PROBABILITY,
        "false_alarm": PROBABILITY,
        "lapse": DISCOUNT,
        "rate": POSITIVE,
        "contact_interval": POSITIVE,
    },
    "SetDelta": {"delta": DISCOUNT},
    "SetMonitoring": {"detection": PROBABILITY, "false_alarm": PROBABILITY},
    "SetLapse": {"lapse": DISCOUNT},
    "SetContact": {"rate": POSITIVE, "contact_interval": POSITIVE},
    "SetRelativeGains": {"weight": REAL},
    "AddCostlySignal": {"size": NON_NEGATIVE},
}
"""What each number of a change accepts, when a parameter of the same name sets it."""


def _game_field(game: Any, key: str) -> tuple[Allowed, str | None] | None:
    """What field ``key`` of ``game`` accepts, and the group of probabilities that must sum
    to 1 it belongs to; ``None`` when this module does not know the field."""
    from ..games.bargaining import BargainingModel
    from ..games.bayesian import BayesianGame
    from ..games.continuous import LinearResponseGame
    from ..games.extensive_form import ExtensiveFormGame
    from ..games.normal_form import NormalFormGame
    from ..games.repeated import LinkedGame, RepeatedGame
    from ..games.signalling import SignallingGame

    if game is None or isinstance(game, NormalFormGame | ParametricGame):
        # a normal-form game (also an inline stage game, not listed among the games)
        return (REAL, None) if key.startswith("payoffs.") else None
    if isinstance(game, RepeatedGame | BargainingModel):
        allowed = _GAME_FIELDS[type(game).__name__].get(key)
        return None if allowed is None else (allowed, None)
    if isinstance(game, LinkedGame):
        if key.startswith("breakdown["):
            return DISCOUNT, None
        allowed = _GAME_FIELDS["LinkedGame"].get(key)
        return None if allowed is None else (allowed, None)
    if isinstance(game, LinearResponseGame):
        if key.startswith(("fatigue[", "grievances[")):
            return (POSITIVE if key.startswith("fatigue[") else REAL), None
        if key.startswith("reactions["):
            i, j = key.removeprefix("reactions[").removesuffix("]").split("][")
            return None if i == j else (REAL, None)  # the diagonal must be exactly 0
        return None
    if isinstance(game, ExtensiveFormGame):
        if key.startswith("payoffs"):
            return REAL, None
        labels = {a for h in game.all_infosets for a in (*h.actions, *h.file_actions)}
        if key.startswith("chance/") and not any("/" in a for a in labels):
            return EXACT_PROBABILITY, key.rsplit("/", 1)[0]
        return None
    if isinstance(game, SignallingGame | BayesianGame):
        if key.startswith("payoffs."):
            return REAL, None
        prior = "types." if isinstance(game, SignallingGame) else "prior."
        return (EXACT_PROBABILITY, prior) if key.startswith(prior) else None
    return None


def _interval(expr: Any, ranges: Mapping[str, tuple[Fraction, Fraction]]) -> Any:
    """Exact bounds ``(low, high)`` of ``expr`` over the parameters' ranges, or ``None``.

    Interval arithmetic on sums, products, numbers, parameters with a range and integer
    powers (a negative power only of an interval without 0); ``None`` for anything else.

    Examples
    --------
    >>> x = parse_expression("1 - 2*x", ["x"])
    >>> _interval(x, {"x": (Fraction(0), Fraction(1, 4))})
    (Fraction(1, 2), Fraction(1, 1))
    >>> _interval(parse_expression("1/x", ["x"]), {"x": (Fraction(0), Fraction(1))}) is None
    True
    """
    import sympy as sp

    if isinstance(expr, sp.Symbol):
        return ranges.get(expr.name)
    if isinstance(expr, sp.Rational):
        v = Fraction(int(expr.p), int(expr.q))
        return (v, v)
    parts = [_interval(a, ranges) for a in expr.args]
    if any(p is None for p in parts):
        return None
    if isinstance(expr, sp.Add):
        return (sum(p[0] for p in parts), sum(p[1] for p in parts))
    if isinstance(expr, sp.Mul):
        out = parts[0]
        for p in parts[1:]:
            corners = [a * b for a in out for b in p]
            out = (min(corners), max(corners))
        return out
    if isinstance(expr, sp.Pow) and isinstance(expr.exp, sp.Integer):
        base, n = parts[0], int(expr.exp)
        if n < 0:
            if base[0] <= 0 <= base[1]:
                return None
            base = (1 / base[1], 1 / base[0])
        out = (Fraction(1), Fraction(1))
        for _ in range(abs(n)):
            corners = [a * b for a in out for b in base]
            out = (min(corners), max(corners))
        return out
    return None


def _singular(expr: Any) -> Callable[[Columns], NDArray[np.bool_]] | None:
    """Samples where ``expr`` may be undefined in exact arithmetic though finite in floats
    (a divisor, a logarithm's argument or the base of a fractional power near 0)."""
    import sympy as sp

    risky: list[tuple[Callable[[Columns], Array], bool]] = []
    for p in expr.atoms(sp.Pow):
        if (p.exp.is_negative or not p.exp.is_integer) and p.base.free_symbols:
            risky.append((numpy_function(p.base), bool(p.exp.is_integer)))
    for f in expr.atoms(sp.log):
        if f.args[0].free_symbols:
            risky.append((numpy_function(f.args[0]), False))
    if not risky:
        return None

    def near(c: Columns) -> NDArray[np.bool_]:
        out = np.zeros(c.size, dtype=bool)
        with np.errstate(all="ignore"):
            for fn, signed in risky:
                b = fn(c)
                tol = TOLERANCE * np.maximum(1.0, np.abs(b))
                out |= (np.abs(b) <= tol) if signed else (b <= tol)
                out |= ~np.isfinite(b)
        return out

    return near


@dataclass(frozen=True)
class Guard:
    """Per-sample checks that every game of the scenario, and every number of the change set
    by a parameter, can be built: ``guard(columns)`` is ``(invalid, unsure)``.

    ``invalid``: a value is clearly outside what its field accepts, so the exact path cannot
    read the file there (it calls the sample undetermined); ``unsure``: a value within the
    tolerance of an end, not finite, or near a division by zero (decided exactly).
    """

    checks: tuple[tuple[Callable[[Columns], Array], Allowed, Any], ...]

    def __call__(self, c: Columns) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
        invalid = np.zeros(c.size, dtype=bool)
        unsure = np.zeros(c.size, dtype=bool)
        with np.errstate(all="ignore"):
            for value, allowed, singular in self.checks:
                bad, near = allowed.check(np.asarray(value(c), dtype=np.float64))
                invalid |= bad
                unsure |= near
                if singular is not None:
                    unsure |= singular(c)
        return invalid & ~unsure, unsure


def scenario_guard(ctx: Context) -> Guard | None:
    """The checks a vectorised verdict needs so that it agrees with the exact path.

    The exact path reads the whole file with the sampled values (every game, not only the
    one the recommendation changes) and links the change's numbers to parameters of the
    same name; where any of that fails it reports the sample undetermined. Each field bound
    to an expression of the parameters, and each linked number of the change, is proved
    valid over the parameters' ranges by interval arithmetic where it can be, and checked
    per sample otherwise. ``None``: nothing to check (every such value is always valid).

    Raises
    ------
    ValueError
        For a value whose validity this module cannot check (an unknown field, a
        probability that might not be exact, a sum of probabilities that might not be 1):
        the recommendation is then left to the exact path.

    Examples
    --------
    >>> from equishift.recommendations.robustness import ScenarioBuilder
    >>> from equishift.recommendations.evaluate import scenario_recommendations
    >>> b = ScenarioBuilder("repeated-pd")
    >>> rec = scenario_recommendations(b.default)[0]
    >>> scenario_guard(Context(b.default, {}, rec)) is None
    True
    """
    import sympy as sp

    scenario = ctx.scenario
    names = scenario.parameters.names
    ranges: dict[str, tuple[Fraction, Fraction]] = {}
    for p in scenario.parameters.values():
        if p.range is not None and all(isinstance(v, Fraction | int) for v in p.range):
            ranges[p.name] = (Fraction(p.range[0]), Fraction(p.range[1]))
    checks: list[tuple[Callable[[Columns], Array], Allowed, Any]] = []
    groups: dict[tuple[str, str], list[Any]] = {}

    def need(expr: Any, allowed: Allowed) -> None:
        if allowed.exact and (expr.atoms(sp.Float) or not expr.is_rational_function()):
            raise ValueError(f"{expr} might not be an exact number")
        bounds = _interval(expr, ranges)
        if bounds is not None and allowed.contains(bounds):
            return  # valid at every value in the ranges
        checks.append((numpy_function(expr), allowed, _singular(expr)))

    for game_name, bound in scenario.bindings.items():
        game = scenario.games.get(game_name)
        for key, text in bound.items():
            expr = parse_expression(text, names)
            if not expr.free_symbols:
                continue  # a constant: valid, as the file was read at its defaults
            field = _game_field(game, key)
            if field is None:
                raise ValueError(f"no check for {key!r} of game {game_name!r}")
            allowed, group = field
            need(expr, allowed)
            if group is not None:
                groups.setdefault((game_name, group), []).append(expr)
    for members in groups.values():
        # Members not bound to an expression are constants, and the sum was 1 at the
        # defaults: it stays 1 when the bound members' sum does not depend on parameters.
        if sp.simplify(sp.Add(*members)).free_symbols:
            raise ValueError("probabilities that might not sum to 1")
    params = set(names)
    for t in ctx.recommendation.transforms:
        if not dataclasses.is_dataclass(t):
            continue
        for f in dataclasses.fields(t):
            value = getattr(t, f.name)
            if f.name not in params or isinstance(value, bool):
                continue
            if not isinstance(value, Fraction | int | float):
                continue  # not linked to the parameter (see robustness._linked)
            allowed_change = _CHANGE_FIELDS.get(type(t).__name__, {}).get(f.name)
            if allowed_change is None:
                raise ValueError(f"no check for {f.name!r} of {type(t).__name__}")
            need(symbol(f.name), allowed_change)
    return Guard(tuple(checks)) if checks else None
