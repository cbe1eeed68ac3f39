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

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from ..games.formats.scenario import Scenario
from ..games.parameters import parse_expression
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
    "BatchVerdict",
    "Columns",
    "Context",
    "batch_rule",
    "compile_verdict",
    "numpy_function",
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
    for name, rule in RULES.items():
        try:
            fn = rule(ctx)
        except (ValueError, KeyError, TypeError, IndexError):
            fn = None  # a shape the rule does not know: not its case
        if fn is not None:
            return BatchVerdict(name, fn)
    return None
