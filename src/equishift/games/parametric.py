"""Normal-form games whose payoffs are expressions of named parameters.

A :class:`ParametricGame` is a normal-form game in which every payoff is a
sympy expression of named :class:`~equishift.games.parameters.Parameter`
objects. It can be *evaluated* at any parameter point, which gives an ordinary
:class:`~equishift.games.normal_form.NormalFormGame` — exact when every value
is rational — and it can be analysed symbolically
(:mod:`equishift.solver.symbolic`).

Examples
--------
The dual freeze of the design (MODELS.md, DF) with the DPRK's temptation as a
parameter:

>>> from equishift.games.parameters import Parameter
>>> df = ParametricGame.from_mapping(
...     {("Freeze", "Suspend"): ("R_D", 3), ("Freeze", "Exercise"): (0, 4),
...      ("Test", "Suspend"): ("T_D", 0), ("Test", "Exercise"): (1, 1)},
...     parameters=[Parameter("R_D", 3), Parameter("T_D", 5, range=(3, 8))],
...     players=["DPRK", "US-ROK"])
>>> df.payoff(("Test", "Suspend"))
(T_D, 0)
>>> df.at(T_D="2.5").payoff(("Test", "Suspend"))
(Fraction(5, 2), Fraction(0, 1))
>>> df.default().is_exact, df.at(T_D=2.5).is_exact
(True, False)
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import sympy
from numpy.typing import NDArray

from .errors import GameError
from .normal_form import NormalFormGame, check_player_arrays
from .numbers import Number, format_number, to_number
from .parameters import Parameter, Parameters, format_expression, parse_expression, symbol

__all__ = ["ParametricGame", "to_sympy_number"]


def to_sympy_number(value: Number) -> sympy.Expr:
    """A ``Fraction`` as a sympy ``Rational``, a float as a sympy ``Float``.

    >>> to_sympy_number(Fraction(1, 3)), to_sympy_number(0.5)
    (1/3, 0.500000000000000)
    """
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    return sympy.Float(float(value))


def _from_sympy(value: Any, what: str) -> Number:
    """An evaluated payoff as a ``Fraction`` (rational) or ``float`` (other real numbers)."""
    if isinstance(value, sympy.Rational):
        return Fraction(int(value.p), int(value.q))
    if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or value.is_real is False:
        raise GameError(f"{what} evaluates to {value}; expected a finite real number")
    if not value.is_number:
        raise GameError(f"{what} evaluates to {value}, which still depends on parameters")
    result = complex(value.evalf())
    if abs(result.imag) > 1e-12 * max(1.0, abs(result.real)):
        raise GameError(f"{what} evaluates to {value}; expected a real number")
    return float(result.real)


class ParametricGame:
    """An N-player normal-form game with payoffs that are expressions of parameters.

    Parameters
    ----------
    payoffs
        Array-like of shape ``(n_1, ..., n_N, N)``. Entries are numbers (ints,
        Fractions, decimal strings, floats), expression strings such as
        ``"R_D - fine"`` (read by
        :func:`~equishift.games.parameters.parse_expression`) or sympy
        expressions in the parameters' symbols.
    parameters
        The :class:`~equishift.games.parameters.Parameter` objects (or a
        :class:`~equishift.games.parameters.Parameters`, or a mapping
        ``{name: value or spec}``).
    players, strategies, title, provenance
        As for :class:`~equishift.games.normal_form.NormalFormGame`.

    Raises
    ------
    GameError
        For malformed expressions (naming the cell), symbols that are not
        parameters, and everything a ``NormalFormGame`` rejects.

    Examples
    --------
    >>> g = ParametricGame([[[("a"), 0]], [[1, "2*a"]]], parameters={"a": 1})
    >>> g.shape, g.parameters.names, g.default().payoff(("2", "1"))
    ((2, 1), ('a',), (Fraction(1, 1), Fraction(2, 1)))
    """

    __slots__ = ("_game", "_parameters", "_payoffs", "_provenance")

    def __init__(
        self,
        payoffs: Any,
        parameters: Iterable[Parameter] | Mapping[str, Any] = (),
        *,
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
        title: str = "",
        provenance: Sequence[str] = (),
    ) -> None:
        params = parameters if isinstance(parameters, Parameters) else Parameters(parameters)
        arr = _object_array(payoffs)
        if arr.ndim < 2:
            raise GameError(
                f"payoffs have shape {arr.shape}; expected (n_1, ..., n_N, N) with one "
                "payoff per player in every cell"
            )
        # The labels and the shape are checked by NormalFormGame on a zero game of this shape.
        skeleton = NormalFormGame(
            np.zeros(arr.shape, dtype=np.int64),
            players=players,
            strategies=strategies,
            title=title,
            provenance=provenance,
        )
        self._game = skeleton
        self._parameters = params
        self._provenance = tuple(provenance)
        out = np.empty(arr.shape, dtype=object)
        for pos in np.ndindex(*arr.shape):
            out[pos] = self._convert(arr[pos], pos)
        out.flags.writeable = False
        self._payoffs = out

    def _where(self, pos: tuple[int, ...]) -> str:
        prof = tuple(self._game.strategies[i][s] for i, s in enumerate(pos[:-1]))
        return f"payoff of {self._game.players[pos[-1]]} at {prof}"

    def _convert(self, value: Any, pos: tuple[int, ...]) -> sympy.Expr:
        names = self._parameters.names
        if isinstance(value, str):
            try:
                parsed = parse_expression(value, names)
            except GameError as exc:
                raise GameError(f"{self._where(pos)}: {exc}") from None
            return parsed
        if isinstance(value, sympy.Basic):
            if not isinstance(value, sympy.Expr):
                raise GameError(f"{self._where(pos)} is {value}; expected an expression")
            known = {n: symbol(n) for n in names}
            swap = {}
            for s in value.free_symbols:
                if s.name not in known:
                    raise GameError(
                        f"{self._where(pos)} uses {s.name!r}, which is not a parameter; "
                        f"expected one of {list(names)}"
                    )
                swap[s] = known[s.name]
            expr = value.xreplace(swap)
            if expr.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or expr.is_real is False:
                raise GameError(f"{self._where(pos)} is {expr}; expected a finite real value")
            return expr
        return to_sympy_number(to_number(value, what=self._where(pos)))

    # -- construction -----------------------------------------------------------------------
    @classmethod
    def from_arrays(
        cls,
        *arrays: Any,
        parameters: Iterable[Parameter] | Mapping[str, Any] = (),
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
        title: str = "",
    ) -> ParametricGame:
        """Build a game from one payoff array per player (``A, B`` for two players).

        Examples
        --------
        >>> g = ParametricGame.from_arrays([["R", "S"], ["T", "P"]], [["R", "T"], ["S", "P"]],
        ...     parameters={"R": 3, "S": 2, "T": 4, "P": -10})
        >>> g.payoff_array(1).tolist()
        [[R, T], [S, P]]
        """
        arrs = check_player_arrays([_object_array(a) for a in arrays])
        shape = arrs[0].shape
        stacked = np.empty((*shape, len(arrs)), dtype=object)
        for i, a in enumerate(arrs):
            stacked[..., i] = a
        return cls(stacked, parameters, players=players, strategies=strategies, title=title)

    @classmethod
    def from_mapping(
        cls,
        payoffs: Mapping[Any, Sequence[Any]],
        *,
        parameters: Iterable[Parameter] | Mapping[str, Any] = (),
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
        title: str = "",
    ) -> ParametricGame:
        """Build a game from ``{profile: payoffs}`` keyed by strategy labels.

        Keys are as for :meth:`NormalFormGame.from_mapping
        <equishift.games.normal_form.NormalFormGame.from_mapping>` (tuples of labels or
        ``"A, B"``); values are per-player payoffs (numbers, expression strings,
        sympy expressions).

        Examples
        --------
        >>> g = ParametricGame.from_mapping({"C, C": ("R", "R"), "C, D": ("S", "T"),
        ...                                  "D, C": ("T", "S"), "D, D": ("P", "P")},
        ...                                 parameters={"R": 3, "S": 0, "T": 5, "P": 1})
        >>> g.strategies, g.payoff(("D", "C"))
        ((('C', 'D'), ('C', 'D')), (T, S))
        """
        # Let NormalFormGame place the profiles (and reject bad keys): cell k holds k.
        placeholders: dict[Any, tuple[int, ...]] = {}
        values: list[list[Any]] = []
        for k, (key, vals) in enumerate(payoffs.items()):
            row = [vals] if isinstance(vals, str) or not isinstance(vals, Iterable) else list(vals)
            values.append(row)
            placeholders[key] = tuple(k for _ in row)
        layout = NormalFormGame.from_mapping(
            placeholders, players=players, strategies=strategies, title=title
        )
        cells = np.empty(layout.payoffs.shape, dtype=object)
        for idx in np.ndindex(*layout.shape):
            k = int(layout.payoffs[(*idx, 0)])
            for i, v in enumerate(values[k]):
                cells[(*idx, i)] = v
        return cls(cells, parameters, players=players, strategies=layout.strategies, title=title)

    # -- accessors --------------------------------------------------------------------------
    @property
    def players(self) -> tuple[str, ...]:
        """Player labels."""
        return self._game.players

    @property
    def strategies(self) -> tuple[tuple[str, ...], ...]:
        """Strategy labels, per player."""
        return self._game.strategies

    @property
    def title(self) -> str:
        """A short description."""
        return self._game.title

    @property
    def provenance(self) -> tuple[str, ...]:
        """What produced this game, oldest first."""
        return self._provenance

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of strategies per player."""
        return self._game.shape

    @property
    def n_players(self) -> int:
        """Number of players."""
        return self._game.n_players

    @property
    def parameters(self) -> Parameters:
        """The parameters, with their default values."""
        return self._parameters

    @property
    def symbols(self) -> dict[str, sympy.Symbol]:
        """``{name: sympy symbol}`` for every parameter, in order."""
        return self._parameters.symbols()

    @property
    def payoffs(self) -> NDArray[Any]:
        """Read-only object array ``(n_1, ..., n_N, N)`` of sympy expressions."""
        return self._payoffs

    def payoff_array(self, player: int | str) -> NDArray[Any]:
        """Read-only payoff expressions of one player, shape ``(n_1, ..., n_N)``."""
        return self._payoffs[..., self._game.player_index(player)]

    def player_index(self, player: int | str) -> int:
        """Index of a player given by label or index."""
        return self._game.player_index(player)

    def strategy_index(self, player: int | str, strategy: int | str) -> int:
        """Index of a strategy of ``player`` given by label or index."""
        return self._game.strategy_index(player, strategy)

    def profile_index(self, profile: Sequence[int | str]) -> tuple[int, ...]:
        """Indices of a pure profile given by labels or indices."""
        return self._game.profile_index(profile)

    def payoff(self, profile: Sequence[int | str]) -> tuple[sympy.Expr, ...]:
        """Payoff expressions of every player at a pure profile."""
        return tuple(self._payoffs[self.profile_index(profile)].tolist())

    def profiles(self) -> Iterator[tuple[str, ...]]:
        """All pure profiles, by label, in lexicographic (C) order."""
        return iter(itertools.product(*self.strategies))

    def used_parameters(self) -> tuple[str, ...]:
        """Names of the parameters that appear in some payoff, in parameter order.

        >>> ParametricGame([[[1, "a"]]], parameters={"a": 0, "b": 1}).used_parameters()
        ('a',)
        """
        free: set[str] = set()
        for v in self._payoffs.ravel():
            free.update(s.name for s in v.free_symbols)
        return tuple(n for n in self._parameters.names if n in free)

    # -- evaluation -------------------------------------------------------------------------
    def point(self, values: Mapping[str, Any] | None = None, **more: Any) -> dict[str, Number]:
        """The full parameter point: defaults overridden by ``values`` and keywords.

        >>> ParametricGame([[[1, "a"]]], parameters={"a": 0, "b": 1}).point(b="1/2")
        {'a': Fraction(0, 1), 'b': Fraction(1, 2)}
        """
        return self._parameters.resolve({**(values or {}), **more})

    def substitute(self, values: Mapping[str, Any] | None = None, **more: Any) -> NDArray[Any]:
        """Payoff expressions with the given parameters (only those) replaced by numbers.

        >>> g = ParametricGame([[["a + b", 0]]], parameters={"a": 0, "b": 1})
        >>> g.substitute(a=2)[0, 0].tolist()
        [b + 2, 0]
        """
        given = {**(values or {}), **more}
        for name in given:
            if name not in self._parameters:
                raise self._parameters._unknown(name)
        swap = {
            symbol(n): to_sympy_number(to_number(v, what=f"value of parameter {n!r}"))
            for n, v in given.items()
        }
        out = np.empty(self._payoffs.shape, dtype=object)
        for pos in np.ndindex(*self._payoffs.shape):
            cell: Any = self._payoffs[pos]
            out[pos] = cell.xreplace(swap)
        out.flags.writeable = False
        return out

    def at(self, values: Mapping[str, Any] | None = None, **more: Any) -> NormalFormGame:
        """The game at a parameter point (defaults for parameters not given).

        Exact (``Fraction`` payoffs) when every value and every payoff is rational;
        a float game otherwise (for example ``exp(a)`` or a float value).

        Raises
        ------
        GameError
            For an unknown parameter name, or a payoff that is undefined or not
            real at the point (naming the cell and the point).

        Examples
        --------
        >>> g = ParametricGame([[["exp(a)", "a/2"]]], parameters={"a": 0})
        >>> g.at().payoff(("1", "1")), g.at(a=1).is_exact
        ((Fraction(1, 1), Fraction(0, 1)), False)
        >>> g.at(b=1)
        Traceback (most recent call last):
        ...
        equishift.games.parameters.UnknownParameterError: unknown parameter 'b'; expected one of 'a'
        """
        full = self.point(values, **more)
        swap = {symbol(n): to_sympy_number(v) for n, v in full.items()}
        shown = ", ".join(f"{n}={format_number(v)}" for n, v in full.items())
        evaluated = np.empty(self._payoffs.shape, dtype=object)
        for pos in np.ndindex(*self._payoffs.shape):
            cell: Any = self._payoffs[pos]
            value = cell.xreplace(swap)
            evaluated[pos] = _from_sympy(value, f"{self._where(pos)} at {shown or 'the point'}")
        if not all(isinstance(v, Fraction) for v in evaluated.ravel()):
            evaluated = np.array([float(v) for v in evaluated.ravel()], dtype=np.float64).reshape(
                evaluated.shape
            )
        prov = (*self._provenance, f"parameters: {shown}") if shown else self._provenance
        return NormalFormGame(
            evaluated,
            players=self.players,
            strategies=self.strategies,
            title=self.title,
            provenance=prov,
        )

    def default(self) -> NormalFormGame:
        """The game at the parameters' default values."""
        return self.at()

    # -- derived games ----------------------------------------------------------------------
    def with_parameter(self, name: str, value: Any) -> ParametricGame:
        """A new game in which parameter ``name`` has another default value (range-checked).

        >>> g = ParametricGame([[["a", 0]]], parameters={"a": 0})
        >>> g.with_parameter("a", 3).default().payoff(("1", "1"))
        (Fraction(3, 1), Fraction(0, 1))
        """
        return self.with_parameters(**{name: value})

    def with_parameters(self, **values: Any) -> ParametricGame:
        """A new game with several default values changed."""
        return ParametricGame(
            self._payoffs,
            self._parameters.with_values(**values),
            players=self.players,
            strategies=self.strategies,
            title=self.title,
            provenance=self._provenance,
        )

    # -- value semantics --------------------------------------------------------------------
    def equals(self, other: object) -> bool:
        """Same labels, parameters and payoff expressions (structurally)."""
        if not isinstance(other, ParametricGame):
            return False
        return (
            self.players == other.players
            and self.strategies == other.strategies
            and self._parameters == other._parameters
            and self._payoffs.shape == other._payoffs.shape
            and all(
                a == b for a, b in zip(self._payoffs.ravel(), other._payoffs.ravel(), strict=True)
            )
        )

    def __eq__(self, other: object) -> bool:
        return self.equals(other)

    def __hash__(self) -> int:
        return hash((self.players, self.strategies, self._payoffs.shape))

    def __repr__(self) -> str:
        return (
            f"ParametricGame({self.title!r}, players={self.players}, shape={self.shape}, "
            f"parameters={self._parameters.names})"
        )

    def describe(self) -> str:
        """A plain-text list of cells, payoffs as expressions.

        >>> print(ParametricGame([[["a", 1]]], parameters={"a": 0}).describe())
        1, 1: a, 1
        """
        lines = []
        for prof in self.profiles():
            lines.append(f"{', '.join(prof)}: {', '.join(str(v) for v in self.payoff(prof))}")
        return "\n".join(lines)

    def to_text(self) -> dict[tuple[str, ...], tuple[str, ...]]:
        """``{profile: payoff texts}`` that the constructors read back (for writers)."""
        return {
            prof: tuple(format_expression(v) for v in self.payoff(prof)) for prof in self.profiles()
        }


def _object_array(values: Any) -> NDArray[Any]:
    """Nested sequences (or an array) as an object array, rejecting ragged input."""
    if isinstance(values, np.ndarray):
        return values.astype(object) if values.dtype != object else values

    def shape_of(v: Any) -> tuple[int, ...]:
        if isinstance(v, list | tuple):
            if not v:
                return (0,)
            inner = {shape_of(x) for x in v}
            if len(inner) != 1:
                raise GameError(
                    "payoffs are ragged (rows of different lengths); expected a rectangular array"
                )
            return (len(v), *inner.pop())
        return ()

    shape = shape_of(values)
    out = np.empty(shape, dtype=object)
    if not shape:
        out[()] = values
        return out
    for idx in np.ndindex(*shape):
        v: Any = values
        for k in idx:
            v = v[k]
        out[idx] = v
    return out
