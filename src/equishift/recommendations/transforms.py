"""Transforms: small immutable changes to a game, each with ``apply(game) -> game``.

A recommendation of the brief becomes an explicit, inspectable change to a game. Every transform
is a frozen dataclass holding only its parameters; :meth:`Transform.apply` returns a *new* game
(the input is never touched) whose ``provenance`` records what was applied. Transforms compose
(``a >> b``, ``a.then(b)`` or :class:`Compose`), some have an :meth:`~Transform.inverse`, and
every transform has a registered name (its ``op``) so scenario files can refer to it:
:func:`transform_from_dict` builds one from a TOML-like table ``{op = "...", ...}`` without
evaluating anything, and :meth:`Transform.to_dict` writes it back.

Registered transforms (``op`` → class):

==================== ==================================================================
``set_parameter``     :class:`SetParameter` -- a parameter's value (parametric, continuous)
``shift_parameter``   :class:`ShiftParameter` -- add to a parameter's value
``set_payoffs``       :class:`SetPayoffs` -- replace the payoffs of given cells
``shift_payoffs``     :class:`ShiftPayoffs` -- add to the payoffs of given cells
``add_strategy``      :class:`AddStrategy` / ``remove_strategy`` :class:`RemoveStrategy`
``add_enforcer``      :class:`AddEnforcer` -- a third party fining a deviation
``sequentialise``     :class:`Sequentialise` -- leader moves first, the others observe
``add_commitment``    :class:`AddCommitment` -- a first stage: commit to an action, or not
``add_cheap_talk``    :class:`AddCheapTalk` -- a first stage of costless messages
``add_chance_move``   :class:`AddChanceMove` -- detection (or misperception) of an action
``make_repeated``     :class:`MakeRepeated` / ``stage_game`` :class:`StageGame`
``set_delta``         :class:`SetDelta`; ``set_monitoring`` :class:`SetMonitoring`;
                      ``set_lapse`` :class:`SetLapse`; ``set_contact`` :class:`SetContact`;
                      ``set_relative_gains`` :class:`SetRelativeGains`
``link`` / ``delink`` :class:`Link` / :class:`Delink` -- pool or separate punishments
``change_prior``      :class:`ChangePrior` -- a Bayesian game's common prior
``compose``           :class:`Compose` -- several transforms in order
==================== ==================================================================

Examples
--------
>>> from equishift.games import NormalFormGame
>>> stag = NormalFormGame.from_arrays([[4, 0], [3, 2]], [[4, 3], [0, 2]],
...                                   strategies=[["Engage", "Hedge"]] * 2)
>>> raise_s = ShiftPayoffs(profiles=(("Engage", "Hedge"), ("Hedge", "Engage")),
...                        deltas=(("3/2", 0), (0, "3/2")))
>>> new = raise_s.apply(stag)
>>> new.payoff(("Engage", "Hedge")), new.provenance
((Fraction(3, 2), Fraction(3, 1)), ('shift payoffs of (Engage, Hedge) by (3/2, 0), ...',))
>>> raise_s.inverse().apply(new) == stag
True
>>> transform_from_dict(raise_s.to_dict()) == raise_s
True
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from fractions import Fraction
from typing import Any, ClassVar, TypeAlias, TypeVar

import numpy as np

from ..games.bayesian import BayesianGame
from ..games.continuous import LinearResponseGame
from ..games.errors import FormatError, GameError
from ..games.extensive_form import Chance, Decision, ExtensiveFormGame, Node, Terminal
from ..games.normal_form import NormalFormGame
from ..games.numbers import Number, format_number, to_number
from ..games.parametric import ParametricGame
from ..games.repeated import LinkedGame, RepeatedGame

__all__ = [
    "MODEL_TRANSFORMS",
    "TRANSFORMS",
    "AddChanceMove",
    "AddCheapTalk",
    "AddCommitment",
    "AddCostlySignal",
    "AddEnforcer",
    "AddStrategy",
    "ChangePrior",
    "Compose",
    "Delink",
    "Link",
    "MakeRepeated",
    "RemoveStrategy",
    "Sequentialise",
    "SetCap",
    "SetChance",
    "SetContact",
    "SetDelta",
    "SetLapse",
    "SetMonitoring",
    "SetParameter",
    "SetPayoffs",
    "SetRelativeGains",
    "SetSign",
    "ShiftParameter",
    "ShiftPayoffs",
    "StageGame",
    "Transform",
    "fingerprint",
    "register",
    "same_game",
    "transform_from_dict",
]

Num: TypeAlias = Any
"""A number field: an int, ``Fraction``, float or exact string such as ``"2/3"`` (stored as a
:data:`~equishift.games.numbers.Number`)."""

Game: TypeAlias = Any
"""Any game value a transform accepts (normal, parametric, extensive, repeated, linked, ...)."""

TRANSFORMS: dict[str, type[Transform]] = {}
"""The registry: ``op`` name → transform class."""

MODEL_TRANSFORMS: dict[str, type[Transform]] = {}
"""Transforms of models that are not finite games (signalling games, strategic triangles,
crisis bargaining):
``op`` name → class. :func:`transform_from_dict` reads them too; they have their own laws
(tests/test_evaluate.py), since the finite-game conformance suite solves every output."""

_T = TypeVar("_T", bound="type[Transform]")


def register(cls: _T) -> _T:
    """Class decorator: enter a transform class in :data:`TRANSFORMS` under its ``op``."""
    if cls.op in TRANSFORMS:
        raise ValueError(f"transform op {cls.op!r} registered twice")
    TRANSFORMS[cls.op] = cls
    return cls


# -- field conversion -------------------------------------------------------------------------
# Each field's annotation (a string, with postponed evaluation) says how to read it; the same
# converter serves the constructor (GameError) and transform_from_dict (FormatError + key path).
_NUMBER = {"Num", "Number", "Any"}


def _convert(kind: str, value: Any, what: str) -> Any:
    optional = kind.endswith(" | None")
    base = kind.removesuffix(" | None")
    if value is None:
        if optional:
            return None
        raise GameError(f"{what}: a value is required")
    if base == "str":
        if not isinstance(value, str) or not value:
            raise GameError(f"{what}: expected a non-empty string, found {value!r}")
        return value
    if base == "bool":
        if not isinstance(value, bool):
            raise GameError(f"{what}: expected true or false, found {value!r}")
        return value
    if base in _NUMBER:
        if isinstance(value, bool | list | tuple | dict):
            raise GameError(f"{what}: expected a number, found {value!r}")
        return to_number(value, what=what)
    if base.startswith("tuple[") and base.endswith(", ...]"):
        inner = base[len("tuple[") : -len(", ...]")]
        if isinstance(value, str | bytes | Mapping) or not isinstance(value, Sequence):
            raise GameError(f"{what}: expected a list, found {value!r}")
        return tuple(_convert(inner, v, f"{what}[{k}]") for k, v in enumerate(value))
    raise TypeError(f"no converter for field type {kind!r}")  # a programming error


def _plain(value: Any) -> Any:
    """A value as TOML-like data: exact numbers as ints or ``"p/q"`` strings."""
    if isinstance(value, Transform):
        return value.to_dict()
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else format_number(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _fmt(x: Any) -> str:
    return format_number(x) if isinstance(x, Fraction | float) else str(x)


def _fmt_vec(v: Sequence[Any]) -> str:
    return "(" + ", ".join(_fmt(x) for x in v) + ")"


# -- base -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Transform:
    """Base class of every transform: frozen parameters, ``apply``, composition, ``to_dict``.

    Subclasses set the class attribute ``op`` (their registered name), implement
    :meth:`apply` and :meth:`describe`, optionally :meth:`inverse`, and provide
    :meth:`examples` (instances with a compatible game, for the conformance suite).
    """

    op: ClassVar[str] = ""
    records_provenance: ClassVar[bool] = True

    def __post_init__(self) -> None:
        for f in fields(self):
            raw = getattr(self, f.name)
            value = _convert(str(f.type), raw, f"{self.op}.{f.name}")
            object.__setattr__(self, f.name, value)
        self._check()

    def _check(self) -> None:
        """Extra validation of the parameters (override)."""

    def apply(self, game: Game) -> Game:
        """Return the transformed game; ``game`` itself is never modified."""
        raise NotImplementedError

    def describe(self) -> str:
        """One line for people (also the provenance note)."""
        return self.op

    def inverse(self) -> Transform:
        """The transform undoing this one.

        Raises
        ------
        GameError
            When the transform has no inverse (information is lost, or the previous value
            is not known).
        """
        raise GameError(f"{self.op} has no inverse")

    @property
    def invertible(self) -> bool:
        """True when :meth:`inverse` exists."""
        try:
            self.inverse()
        except GameError:
            return False
        return True

    def then(self, other: Transform) -> Compose:
        """This transform, then ``other`` (same as ``self >> other``)."""
        return Compose(steps=(self, other))

    def __rshift__(self, other: Transform) -> Compose:
        return self.then(other)

    def to_dict(self) -> dict[str, Any]:
        """The TOML-like table ``{op = ..., field = ...}`` read by :func:`transform_from_dict`."""
        out: dict[str, Any] = {"op": self.op}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None:
                out[f.name] = _plain(value)
        return out

    @classmethod
    def examples(cls) -> list[tuple[Transform, Game]]:
        """Example instances, each with a game it applies to (for the conformance suite)."""
        return []

    def _wrong(self, game: Game, expected: str) -> GameError:
        return GameError(
            f"{self.op}: expected a {expected}, got {type(game).__name__}; "
            f"see equishift.recommendations.transforms"
        )


# -- helpers on normal-form games -------------------------------------------------------------
def _nfg(
    game: NormalFormGame,
    payoffs: Any,
    note: str,
    *,
    players: Sequence[str] | None = None,
    strategies: Sequence[Sequence[str]] | None = None,
) -> NormalFormGame:
    return NormalFormGame(
        payoffs,
        players=game.players if players is None else players,
        strategies=game.strategies if strategies is None else strategies,
        title=game.title,
        provenance=(*game.provenance, note),
    )


def _cells(
    game: NormalFormGame,
    profiles: Sequence[Sequence[str]],
    values: Sequence[Sequence[Any]],
    op: str,
) -> list[tuple[tuple[int, ...], tuple[Any, ...]]]:
    if len(profiles) != len(values):
        raise GameError(f"{op}: {len(profiles)} profiles but {len(values)} payoff vectors")
    out = []
    for prof, vals in zip(profiles, values, strict=True):
        if len(prof) != game.n_players:
            raise GameError(
                f"{op}: profile {tuple(prof)} names {len(prof)} strategies, "
                f"expected {game.n_players}"
            )
        if len(vals) != game.n_players:
            raise GameError(
                f"{op}: {len(vals)} payoffs for profile {tuple(prof)}, expected {game.n_players}"
            )
        out.append((game.profile_index(prof), tuple(vals)))
    return out


def _numeric_array(game: NormalFormGame) -> Any:
    return np.array(game.payoffs, dtype=object) if game.is_exact else game.float_payoffs().copy()


def _with_efg_provenance(game: ExtensiveFormGame, provenance: Sequence[str]) -> ExtensiveFormGame:
    return game.with_provenance(*provenance[len(game.provenance) :])


# -- parameters -------------------------------------------------------------------------------
def _parametric(t: Transform, game: Game) -> ParametricGame | LinearResponseGame:
    if not isinstance(game, ParametricGame | LinearResponseGame):
        raise t._wrong(game, "ParametricGame or LinearResponseGame")
    return game


def _race() -> LinearResponseGame:
    return LinearResponseGame.richardson(
        a="0.3", b="0.9", m="0.5", n="0.5", g=1, h=1, players=["Japan", "China"]
    )


def _reparam(game: ParametricGame, values: Mapping[str, Any], note: str) -> ParametricGame:
    return ParametricGame(
        game.payoffs,
        game.parameters.with_values(**values),
        players=game.players,
        strategies=game.strategies,
        title=game.title,
        provenance=(*game.provenance, note),
    )


def _example_parametric() -> ParametricGame:
    return ParametricGame(
        [[["R", "R"], [0, "T"]], [["T", 0], [1, 1]]],
        parameters={"R": {"value": 3, "range": [0, 10]}, "T": {"value": 5, "range": [0, 10]}},
        players=["Row", "Column"],
        strategies=[["C", "D"], ["C", "D"]],
        title="PD with parameters",
    )


@register
@dataclass(frozen=True)
class SetParameter(Transform):
    """Set a parameter of a :class:`~equishift.games.parametric.ParametricGame` to a value.

    Also applies to a continuous :class:`~equishift.games.continuous.LinearResponseGame`
    (Richardson's letters ``a``, ``b``, ``m``, ``n``, ``g``, ``h`` for two players).

    Parameters
    ----------
    name
        The parameter.
    value
        Its new value (range-checked).
    previous
        The value it had, if known: then :meth:`inverse` sets it back.

    Examples
    --------
    >>> t = SetParameter("R", 4, previous=3)
    >>> t.apply(_example_parametric()).default().payoff(("C", "C"))
    (Fraction(4, 1), Fraction(4, 1))
    >>> t.inverse()
    SetParameter(name='R', value=Fraction(3, 1), previous=Fraction(4, 1))
    """

    op: ClassVar[str] = "set_parameter"
    name: str
    value: Num
    previous: Num | None = None

    def apply(self, game: Game) -> Game:
        g = _parametric(self, game)
        if isinstance(g, LinearResponseGame):
            return g.with_parameter(self.name, self.value)
        return _reparam(g, {self.name: self.value}, self.describe())

    def describe(self) -> str:
        return f"set parameter {self.name} = {_fmt(self.value)}"

    def inverse(self) -> Transform:
        if self.previous is None:
            raise GameError("set_parameter has no inverse unless the previous value is given")
        return SetParameter(self.name, self.previous, previous=self.value)

    @classmethod
    def examples(cls) -> list[tuple[Transform, Game]]:
        g = _example_parametric()
        return [
            (cls("R", 4, previous=3), g),
            (cls("T", "9/2"), g),
            (cls("b", "3/10", previous="9/10"), _race()),
        ]


@register
@dataclass(frozen=True)
class ShiftParameter(Transform):
    """Add ``by`` to a parameter's value; the inverse shifts by ``-by``.

    Examples
    --------
    >>> ShiftParameter("T", -1).apply(_example_parametric()).parameters["T"].value
    Fraction(4, 1)
    """

    op: ClassVar[str] = "shift_parameter"
    name: str
    by: Num

    def apply(self, game: Game) -> Game:
        g = _parametric(self, game)
        if isinstance(g, LinearResponseGame):
            return g.with_parameter(self.name, g.parameter(self.name) + self.by)
        value = g.parameters[self.name].value + self.by
        return _reparam(g, {self.name: value}, self.describe())

    def describe(self) -> str:
        return f"shift parameter {self.name} by {_fmt(self.by)}"

    def inverse(self) -> Transform:
        return ShiftParameter(self.name, -self.by)

    @classmethod
    def examples(cls) -> list[tuple[Transform, Game]]:
        g = _example_parametric()
        return [(cls("T", -1), g), (cls("R", "1/2"), g), (cls("a", "-1/10"), _race())]


# -- payoffs ----------------------------------------------------------------------------------
def _example_pd() -> NormalFormGame:
    return NormalFormGame.from_mapping(
        {
            ("Freeze", "Suspend"): (3, 3),
            ("Freeze", "Exercise"): (0, 4),
            ("Test", "Suspend"): (5, 0),
            ("Test", "Exercise"): (1, 1),
        },
        players=["DPRK", "US-ROK"],
        title="Dual freeze",
    )


def _example_stag() -> NormalFormGame:
    return NormalFormGame.from_arrays(
        [[4, 0], [3, 2]],
        [[4, 3], [0, 2]],
        players=["DPRK", "US"],
        strategies=[["Engage", "Hedge"]] * 2,
        title="Engagement stage (Stag Hunt)",
    )


def _example_three() -> NormalFormGame:
    return NormalFormGame.from_arrays(
        [[[1, 0], [0, 2]], [[2, 1], [0, 1]]],
        [[[1, 2], [0, 1]], [[0, 0], [3, 1]]],
        [[[2, 0], [1, 0]], [[0, 1], [1, 2]]],
        players=["A", "B", "C"],
        strategies=[["a1", "a2"], ["b1", "b2"], ["c1", "c2"]],
        title="three players",
    )


def _normal(t: Transform, game: Game) -> NormalFormGame:
    if isinstance(game, ParametricGame):  # taken at its parameters' values
        return game.default()
    if not isinstance(game, NormalFormGame):
        raise t._wrong(game, "NormalFormGame")
    return game


@register
@dataclass(frozen=True)
class SetPayoffs(Transform):
    """Replace the payoff vectors of the given cells (profiles by strategy labels).

    Examples
    --------
    >>> t = SetPayoffs(profiles=(("Test", "Suspend"),), payoffs=((2, 0),))
    >>> t.apply(_example_pd()).payoff(("Test", "Suspend"))
    (Fraction(2, 1), Fraction(0, 1))
    """

    op: ClassVar[str] = "set_payoffs"
    profiles: tuple[tuple[str, ...], ...]
    payoffs: tuple[tuple[Num, ...], ...]

    def _check(self) -> None:
        if len(self.profiles) != len(self.payoffs):
            raise GameError(
                f"set_payoffs: {len(self.profiles)} profiles but {len(self.payoffs)} payoff vectors"
            )

    def apply(self, game: Game) -> Game:
        g = _normal(self, game)
        arr = _numeric_array(g)
        for idx, vals in _cells(g, self.profiles, self.payoffs, self.op):
            for i, v in enumerate(vals):
                arr[(*idx, i)] = v if g.is_exact else float(v)
        return _nfg(g, arr, self.describe())

    def describe(self) -> str:
        cells = ", ".join(
            f"({', '.join(p)}) = {_fmt_vec(v)}"
            for p, v in zip(self.profiles, self.payoffs, strict=True)
        )
        return f"set payoffs {cells}"

    @classmethod
    def examples(cls) -> list[tuple[Transform, Game]]:
        return [
            (cls((("Test", "Suspend"),), ((2, 0),)), _example_pd()),
            (cls((("a1", "b2", "c2"),), ((5, 5, "1/2"),)), _example_three()),
        ]


@register
@dataclass(frozen=True)
class ShiftPayoffs(Transform):
    """Add ``deltas`` to the payoffs of the given cells; the inverse subtracts them.

    Raising S (the payoff of cooperating against a defector) in a Stag Hunt is a shift of the
    two off-diagonal cells (MODELS.md R1(c), reversible first steps).

    Examples
    --------
    >>> t = ShiftPayoffs(profiles=(("Engage", "Hedge"),), deltas=(("3/2", 0),))
    >>> t.apply(_example_stag()).payoff(("Engage", "Hedge"))
    (Fraction(3, 2), Fraction(3, 1))
    """

    op: ClassVar[str] = "shift_payoffs"
    profiles: tuple[tuple[str, ...], ...]
    deltas: tuple[tuple[Num, ...], ...]

    def _check(self) -> None:
        if len(self.profiles) != len(self.deltas):
            raise GameError(
                f"shift_payoffs: {len(self.profiles)} profiles but {len(self.deltas)} shifts"
            )

    def apply(self, game: Game) -> Game:
        g = _normal(self, game)
        arr = _numeric_array(g)
        for idx, vals in _cells(g, self.profiles, self.deltas, self.op):
            for i, v in enumerate(vals):
                arr[(*idx, i)] = arr[(*idx, i)] + (v if g.is_exact else float(v))
        return _nfg(g, arr, self.describe())

    def describe(self) -> str:
        cells = ", ".join(
            f"({', '.join(p)}) by {_fmt_vec(v)}"
            for p, v in zip(self.profiles, self.deltas, strict=True)
        )
        return f"shift payoffs of {cells}"

    def inverse(self) -> Transform:
        return ShiftPayoffs(self.profiles, tuple(tuple(-d for d in v) for v in self.deltas))

    @classmethod
    def examples(cls) -> list[tuple[Transform, Game]]:
        return [
            (
                cls((("Engage", "Hedge"), ("Hedge", "Engage")), (("3/2", 0), (0, "3/2"))),
                _example_stag(),
            ),
            (cls((("Test", "Exercise"),), ((-2, -2),)), _example_pd()),
        ]


# -- strategies -------------------------------------------------------------------------------
@register
@dataclass(frozen=True)
class AddStrategy(Transform):
    """Give ``player`` a new strategy ``label`` (appended last); the inverse removes it.

    Parameters
    ----------
    player, label
        Who gets the strategy, and its label.
    payoffs
        One payoff vector (every player's payoff) per profile of the *other* players, in the
        order of :meth:`NormalFormGame.profiles` restricted to them (for two players: one vector
        per opponent strategy, in order).

    Examples
    --------
    >>> t = AddStrategy("DPRK", "Partial", payoffs=((4, 2), ("1/2", "3/2")))
    >>> t.apply(_example_pd()).strategies
    (('Freeze', 'Test', 'Partial'), ('Suspend', 'Exercise'))
    """

    op: ClassVar[str] = "add_strategy"
    player: str
    label: str
    payoffs: tuple[tuple[Num, ...], ...]

    def apply(self, game: Game) -> Game:
        g = _normal(self, game)
        i = g.player_index(self.player)
        if self.label in g.strategies[i]:
            raise GameError(f"add_strategy: {self.player} already has a strategy {self.label!r}")
        others = [s for j, s in enumerate(g.strategies) if j != i]
        n_other = int(np.prod([len(s) for s in others])) if others else 1
        if len(self.payoffs) != n_other:
            raise GameError(
                f"add_strategy: {len(self.payoffs)} payoff vectors given for {self.label!r}; "
                f"expected {n_other}, one per profile of the other players"
            )
        shape = list(g.shape)
        shape[i] += 1
        arr = np.empty((*shape, g.n_players), dtype=object if g.is_exact else np.float64)
        arr[tuple(slice(0, n) for n in g.shape)] = _numeric_array(g)
        for k, combo in enumerate(itertools.product(*[range(len(s)) for s in others])):
            vec = self.payoffs[k]
            if len(vec) != g.n_players:
                raise GameError(
                    f"add_strategy: payoff vector {k + 1} has {len(vec)} entries, "
                    f"expected {g.n_players}"
                )
            idx = [*combo]
            idx.insert(i, g.shape[i])
            for j, v in enumerate(vec):
                arr[(*idx, j)] = v if g.is_exact else float(v)
        labels = [list(s) for s in g.strategies]
        labels[i].append(self.label)
        return _nfg(g, arr, self.describe(), strategies=labels)

    def describe(self) -> str:
        return f"add strategy {self.label!r} for {self.player}"

    def inverse(self) -> Transform:
        return RemoveStrategy(self.player, self.label)

    @classmethod
    def examples(cls) -> list[tuple[Transform, Game]]:
        return [
            (cls("DPRK", "Partial", ((4, 2), ("1/2", "3/2"))), _example_pd()),
            (cls("C", "c3", ((1, 1, 1), (0, 0, 0), (2, 2, 2), (1, 0, 1))), _example_three()),
        ]


@register
@dataclass(frozen=True)
class RemoveStrategy(Transform):
    """Remove one of ``player``'s strategies (it must keep at least one).

    Examples
    --------
    >>> RemoveStrategy("US-ROK", "Exercise").apply(_example_pd()).shape
    (2, 1)
    """

    op: ClassVar[str] = "remove_strategy"
    player: str
    label: str

    def apply(self, game: Game) -> Game:
        g = _normal(self, game)
        i = g.player_index(self.player)
        k = g.strategy_index(i, self.label)
        if len(g.strategies[i]) == 1:
            raise GameError(f"remove_strategy: {self.label!r} is {self.player}'s only strategy")
        keep = [list(s) for s in g.strategies]
        del keep[i][k]
        sub = g.restrict(keep)
        return _nfg(sub, sub.payoffs, self.describe())

    def describe(self) -> str:
        return f"remove strategy {self.label!r} of {self.player}"

    @classmethod
    def examples(cls) -> list[tuple[Transform, Game]]:
        return [(cls("US-ROK", "Exercise"), _example_pd()), (cls("B", "b1"), _example_three())]


# -- players ----------------------------------------------------------------------------------
@register
@dataclass(frozen=True)
class AddEnforcer(Transform):
    """Add a third-party enforcer who fines ``player`` whenever it plays ``deviation``.

    The enforcer is a new (last) player with the single strategy ``"Enforce"``: a committed
    third party (a mediator or guarantor). ``player`` loses ``fine`` at every profile where it
    plays ``deviation``; the enforcer receives ``fine - cost`` there if ``collects`` is true
    (else ``-cost``), and 0 elsewhere.

    Examples
    --------
    >>> g = AddEnforcer("DPRK", "Test", fine=3).apply(_example_pd())
    >>> g.players, g.payoff(("Test", "Suspend", "Enforce"))
    (('DPRK', 'US-ROK', 'Enforcer'), (Fraction(2, 1), Fraction(0, 1), Fraction(3, 1)))
    """

    op: ClassVar[str] = "add_enforcer"
    player: str
    deviation: str
    fine: Num
    enforcer: str = "Enforcer"
    cost: Num = Fraction(0)
    collects: bool = True

    def apply(self, game: Game) -> Game:
        g = _normal(self, game)
        if self.enforcer in g.players:
            raise GameError(f"add_enforcer: there is already a player {self.enforcer!r}")
        i = g.player_index(self.player)
        k = g.strategy_index(i, self.deviation)
        n = g.n_players
        exact = g.is_exact and isinstance(self.fine, Fraction) and isinstance(self.cost, Fraction)
        base = g.payoffs if exact else g.float_payoffs()
        arr = np.zeros((*g.shape, 1, n + 1), dtype=object if exact else np.float64)
        arr[..., 0, :n] = base
        fine: Any = self.fine if exact else float(self.fine)
        cost: Any = self.cost if exact else float(self.cost)
        sel = tuple([slice(None)] * i + [k])
        arr[(*sel, Ellipsis, i)] = arr[(*sel, Ellipsis, i)] - fine
        if exact:
            arr[..., 0, n] = Fraction(0)
        arr[(*sel, Ellipsis, n)] = (fine if self.collects else 0) - cost
        return _nfg(
            g,
            arr,
            self.describe(),
            players=(*g.players, self.enforcer),
            strategies=(*g.strategies, ("Enforce",)),
        )

    def describe(self) -> str:
        return (
            f"add enforcer {self.enforcer!r} fining {self.player} {_fmt(self.fine)} "
            f"for {self.deviation!r}"
        )

    @classmethod
    def examples(cls) -> list[tuple[Transform, Game]]:
        return [
            (cls("DPRK", "Test", 3), _example_pd()),
            (cls("A", "a2", "1/2", enforcer="UN", cost=1, collects=False), _example_three()),
        ]


# -- stages in front: trees from a simultaneous game ------------------------------------------
def _simultaneous(
    game: NormalFormGame,
    order: Sequence[int],
    fixed: Mapping[int, int],
    prefix: str,
    observed: Sequence[int] = (),
) -> Node:
    """The normal-form game as a tree: players in ``order`` move without seeing each other.

    ``fixed`` pins a player's strategy (no node); players in ``observed`` are seen by all who
    move after them (their nodes get information sets of their own).
    """

    def build(pos: int, idx: dict[int, int]) -> Node:
        if pos == len(order):
            cell = tuple(idx[i] for i in range(game.n_players))
            return Terminal(tuple(game.payoffs[cell]))
        i = order[pos]
        if i in fixed:
            return build(pos + 1, {**idx, i: fixed[i]})
        seen = [game.strategies[j][idx[j]] for j in observed if j in idx and j not in fixed]
        info = prefix + game.players[i] + (" after " + "/".join(seen) if seen else "")
        return Decision(
            game.players[i],
            {a: build(pos + 1, {**idx, i: k}) for k, a in enumerate(game.strategies[i])},
            infoset=info,
        )

    return build(0, {})


def _efg(game: NormalFormGame, root: Node, note: str, title: str) -> ExtensiveFormGame:
    players = list(game.players)
    for node_player in _players_in(root):
        if node_player not in players:
            players.append(node_player)
    out = ExtensiveFormGame.build(players=players, root=root, title=title)
    return _with_efg_provenance(out, (*game.provenance, note))


def _players_in(node: Node) -> list[str]:
    out: list[str] = []
    stack = [node]
    while stack:
        v = stack.pop()
        if isinstance(v, Decision):
            if v.player not in out:
                out.append(v.player)
            stack.extend(v.actions.values())
        elif isinstance(v, Chance):
            stack.extend(child for _, child in v.actions.values())
    return out


@register
@dataclass(frozen=True)
class Sequentialise(Transform):
    """Leader–follower: ``leader`` moves first and every other player observes its move.

    The followers move after the leader without seeing each other (with two players: a
    Stackelberg game of perfect information).

    Examples
    --------
    >>> g = Sequentialise("DPRK").apply(_example_pd())
    >>> g.is_perfect_information, g.n_nodes
    (True, 7)
    """

    op: ClassVar[str] = "sequentialise"
    leader: str

    def apply(self, game: Game) -> Game:
        g = _normal(self, game)
        lead = g.player_index(self.leader)
        order = [lead] + [i for i in range(g.n_players) if i != lead]
        root = _simultaneous(g, order, {}, "", observed=[lead])
        return _efg(g, root, self.describe(), g.title)

    def describe(self) -> str:
        return f"sequentialise: {self.leader} moves first, the others observe"

    @classmethod
    def examples(cls) -> list[tuple[Transform, Game]]:
        return [(cls("DPRK"), _example_pd()), (cls("B"), _example_three())]


@register
@dataclass(frozen=True)
class AddCommitment(Transform):
    """A commitment stage in front: ``player`` first chooses to commit to ``action`` or not.

    After ``commit_label`` the others know ``player`` plays ``action``; after ``free_label``
    the original simultaneous game is played.

    Examples
    --------
    >>> g = AddCommitment("DPRK", "Freeze").apply(_example_pd())
    >>> g.infosets[0][0].actions
    ('Commit', 'No commitment')
    """

    op: ClassVar[str] = "add_commitment"
    player: str
    action: str
    commit_label: str = "Commit"
    free_label: str = "No commitment"

    def _check(self) -> None:
        if self.commit_label == self.free_label:
            raise GameError("add_commitment: commit_label and free_label must differ")

    def apply(self, game: Game) -> Game:
        g = _normal(self, game)
        i = g.player_index(self.player)
        k = g.strategy_index(i, self.action)
        order = list(range(g.n_players))
        root = Decision(
            self.player,
            {
                self.commit_label: _simultaneous(g, order, {i: k}, f"{self.commit_label}: "),
                self.free_label: _simultaneous(g, order, {}, f"{self.free_label}: "),
            },
            infoset=f"{self.player}: commit?",
        )
        return _efg(g, root, self.describe(), g.title)

    def describe(self) -> str:
        return f"commitment stage: {self.player} may commit to {self.action!r}"

    @classmethod
    def examples(cls) -> list[tuple[Transform, Game]]:
        return [(cls("DPRK", "Freeze"), _example_pd()), (cls("US", "Engage"), _example_stag())]


@register
@dataclass(frozen=True)
class AddCheapTalk(Transform):
    """A cheap-talk (negotiation) stage in front: ``sender`` sends one of ``messages`` for free.

    Everyone observes the message, then plays the original simultaneous game.

    Examples
    --------
    >>> g = AddCheapTalk("US", ("Engage", "Hedge")).apply(_example_stag())
    >>> [h.label for h in g.infosets[1]]
    ['US: message', "heard 'Engage': US", "heard 'Hedge': US"]
    """

    op: ClassVar[str] = "add_cheap_talk"
    sender: str
    messages: tuple[str, ...]

    def _check(self) -> None:
        if len(self.messages) < 2 or len(set(self.messages)) != len(self.messages):
            raise GameError("add_cheap_talk: give at least two distinct messages")

    def apply(self, game: Game) -> Game:
        g = _normal(self, game)
        g.player_index(self.sender)
        order = list(range(g.n_players))
        root = Decision(
            self.sender,
            {m: _simultaneous(g, order, {}, f"heard {m!r}: ") for m in self.messages},
            infoset=f"{self.sender}: message",
        )
        return _efg(g, root, self.describe(), g.title)

    def describe(self) -> str:
        return f"cheap talk: {self.sender} says one of {', '.join(self.messages)}"

    @classmethod
    def examples(cls) -> list[tuple[Transform, Game]]:
        return [(cls("US", ("Engage", "Hedge")), _example_stag())]


# -- chance moves -----------------------------------------------------------------------------
def _add_payoffs(node: Node, vec: Sequence[Number]) -> Node:
    old = node.payoffs
    new = (
        tuple(vec)
        if old is None
        else tuple(to_number(a) + b for a, b in zip(old, vec, strict=True))
    )
    return dataclasses.replace(node, payoffs=new)


@register
@dataclass(frozen=True)
class AddChanceMove(Transform):
    """Detection: when ``player`` takes ``action``, nature detects it with ``probability``.

    On detection ``player`` pays ``penalty`` (a fine, sanctions, lost reputation); otherwise
    play goes on unchanged. The others do not observe the draw (the continuation keeps its
    information sets), so with a penalty of 0 it models misperception-free noise only.
    Applies to an :class:`~equishift.games.ExtensiveFormGame`.

    Examples
    --------
    >>> tree = Sequentialise("DPRK").apply(_example_pd())
    >>> g = AddChanceMove("DPRK", "Test", "4/5", 3).apply(tree)
    >>> len(g.chance_infosets)
    1
    """

    op: ClassVar[str] = "add_chance_move"
    player: str
    action: str
    probability: Num
    penalty: Num
    detected_label: str = "Detected"
    undetected_label: str = "Undetected"

    def _check(self) -> None:
        if not isinstance(self.probability, Fraction) or not 0 <= self.probability <= 1:
            raise GameError("add_chance_move: probability must be an exact number in [0, 1]")
        if self.detected_label == self.undetected_label:
            raise GameError("add_chance_move: the two chance labels must differ")

    def apply(self, game: Game) -> Game:
        if not isinstance(game, ExtensiveFormGame):
            raise self._wrong(game, "ExtensiveFormGame")
        if self.player not in game.players:
            raise GameError(f"add_chance_move: unknown player {self.player!r}")
        pi = game.players.index(self.player)
        pen = tuple(-self.penalty if j == pi else Fraction(0) for j in range(game.n_players))
        found = [0]

        def walk(node: Node) -> Node:
            if isinstance(node, Terminal):
                return node
            if isinstance(node, Chance):
                acts = {a: (p, walk(c)) for a, (p, c) in node.actions.items()}
                return dataclasses.replace(node, actions=acts)
            kids: dict[str, Node] = {}
            for a, c in node.actions.items():
                sub = walk(c)
                if node.player == self.player and a == self.action:
                    found[0] += 1
                    sub = Chance(
                        {
                            self.detected_label: (self.probability, _add_payoffs(sub, pen)),
                            self.undetected_label: (1 - self.probability, sub),
                        },
                        infoset=f"detect {self.action}",
                    )
                kids[a] = sub
            return dataclasses.replace(node, actions=kids)

        root = walk(game.to_tree())
        if not found[0]:
            raise GameError(f"add_chance_move: {self.player} never has the action {self.action!r}")
        out = ExtensiveFormGame.build(
            players=game.players, root=root, title=game.title, comment=game.comment
        )
        return _with_efg_provenance(out, (*game.provenance, self.describe()))

    def describe(self) -> str:
        return (
            f"chance move: {self.player}'s {self.action!r} detected with probability "
            f"{_fmt(self.probability)}, penalty {_fmt(self.penalty)}"
        )

    @classmethod
    def examples(cls) -> list[tuple[Transform, Game]]:
        tree = Sequentialise("DPRK").apply(_example_pd())
        return [(cls("DPRK", "Test", "4/5", 3), tree), (cls("US-ROK", "Exercise", "1/2", 1), tree)]


# -- repetition -------------------------------------------------------------------------------
def _repeated(t: Transform, game: Game) -> RepeatedGame:
    if not isinstance(game, RepeatedGame):
        raise t._wrong(game, "RepeatedGame")
    return game


def _example_repeated() -> RepeatedGame:
    return RepeatedGame(_example_pd(), delta="3/5", title="Dual freeze, repeated")


def _example_linked() -> LinkedGame:
    pd = NormalFormGame.from_arrays(
        [[3, 0], [5, 1]], [[3, 5], [0, 1]], players=["US", "Russia"], strategies=[["C", "D"]] * 2
    )
    g = NormalFormGame.from_arrays(
        [["2.8", 0], [3, 0]],
        [["2.8", 3], [0, 0]],
        players=["US", "Russia"],
        strategies=[["C", "D"]] * 2,
    )
    return LinkedGame((pd, g), issues=("Korea", "dialogue"), linked=False, delta="0.4")


@register
@dataclass(frozen=True)
class MakeRepeated(Transform):
    """Play a normal-form game repeatedly (a :class:`~equishift.games.repeated.RepeatedGame`).

    Give ``delta``, or ``rate`` and ``contact_interval`` (δ = e^{-rΔ}); monitoring and lapse as
    in :class:`~equishift.games.repeated.RepeatedGame`. The inverse is :class:`StageGame`.

    Examples
    --------
    >>> MakeRepeated(delta="3/5").apply(_example_pd()).discount
    Fraction(3, 5)
    """

    op: ClassVar[str] = "make_repeated"
    delta: Num | None = None
    detection: Num = Fraction(1)
    false_alarm: Num = Fraction(0)
    lapse: Num = Fraction(0)
    rate: Num | None = None
    contact_interval: Num | None = None

    def apply(self, game: Game) -> Game:
        g = _normal(self, game)
        return RepeatedGame(
            g,
            delta=self.delta,
            detection=self.detection,
            false_alarm=self.false_alarm,
            lapse=self.lapse,
            rate=self.rate,
            contact_interval=self.contact_interval,
            title=g.title,
            provenance=(*g.provenance, self.describe()),
        )

    def describe(self) -> str:
        parts = ["repeated play"]
        if self.delta is not None:
            parts.append(f"delta {_fmt(self.delta)}")
        if self.rate is not None or self.contact_interval is not None:
            parts.append(f"rate {_fmt(self.rate)}, contact every {_fmt(self.contact_interval)}")
        if self.detection != 1 or self.false_alarm != 0:
            parts.append(f"detection {_fmt(self.detection)}, false alarm {_fmt(self.false_alarm)}")
        if self.lapse != 0:
            parts.append(f"lapse {_fmt(self.lapse)}")
        return ", ".join(parts)

    def inverse(self) -> Transform:
        return StageGame()

    @classmethod
    def examples(cls) -> list[tuple[Transform, Game]]:
        return [
            (cls(delta="3/5"), _example_pd()),
            (cls(rate="1/2", contact_interval=1, detection="19/20"), _example_stag()),
        ]


@register
@dataclass(frozen=True)
class StageGame(Transform):
    """The stage game of a repeated game (drops discounting, monitoring and lapse).

    Examples
    --------
    >>> StageGame().apply(_example_repeated()).shape
    (2, 2)
    """

    op: ClassVar[str] = "stage_game"

    def apply(self, game: Game) -> Game:
        g = _repeated(self, game)
        st = g.stage
        return _nfg(st, st.payoffs, self.describe())

    def describe(self) -> str:
        return "stage game only (one-shot)"

    @classmethod
    def examples(cls) -> list[tuple[Transform, Game]]:
        return [(cls(), _example_repeated())]


@register
@dataclass(frozen=True)
class SetDelta(Transform):
    """Set the discount factor of a repeated or linked game.

    Examples
    --------
    >>> SetDelta("9/10").apply(_example_repeated()).delta
    Fraction(9, 10)
    """

    op: ClassVar[str] = "set_delta"
    delta: Num
    previous: Num | None = None

    def apply(self, game: Game) -> Game:
        if isinstance(game, LinkedGame):
            return game.with_delta(self.delta)
        return _repeated(self, game).with_delta(self.delta)

    def describe(self) -> str:
        return f"discount factor {_fmt(self.delta)}"

    def inverse(self) -> Transform:
        if self.previous is None:
            raise GameError("set_delta has no inverse unless the previous value is given")
        return SetDelta(self.previous, previous=self.delta)

    @classmethod
    def examples(cls) -> list[tuple[Transform, Game]]:
        return [(cls("9/10", previous="3/5"), _example_repeated()), (cls("1/2"), _example_linked())]


@register
@dataclass(frozen=True)
class SetMonitoring(Transform):
    """Set detection probability q and false-alarm probability ε of a repeated game.

    Examples
    --------
    >>> SetMonitoring("4/5", "1/10").apply(_example_repeated()).perfect_monitoring
    False
    """

    op: ClassVar[str] = "set_monitoring"
    detection: Num = Fraction(1)
    false_alarm: Num = Fraction(0)

    def apply(self, game: Game) -> Game:
        return _repeated(self, game).with_monitoring(
            detection=self.detection, false_alarm=self.false_alarm
        )

    def describe(self) -> str:
        return f"monitoring: detection {_fmt(self.detection)}, false alarm {_fmt(self.false_alarm)}"

    @classmethod
    def examples(cls) -> list[tuple[Transform, Game]]:
        return [(cls("4/5", "1/10"), _example_repeated())]


@register
@dataclass(frozen=True)
class SetLapse(Transform):
    """Set the per-period lapse hazard λ of a repeated game.

    Examples
    --------
    >>> SetLapse("1/5").apply(_example_repeated()).lapse
    Fraction(1, 5)
    """

    op: ClassVar[str] = "set_lapse"
    lapse: Num

    def apply(self, game: Game) -> Game:
        return _repeated(self, game).with_lapse(self.lapse)

    def describe(self) -> str:
        return f"lapse hazard {_fmt(self.lapse)}"

    @classmethod
    def examples(cls) -> list[tuple[Transform, Game]]:
        return [(cls("1/5"), _example_repeated())]


@register
@dataclass(frozen=True)
class SetContact(Transform):
    """Set the contact interval Δ and discount rate r (δ = e^{-rΔ}) of a repeated game.

    Examples
    --------
    >>> round(SetContact(rate="1/2", contact_interval=1).apply(_example_repeated()).discount, 4)
    0.6065
    """

    op: ClassVar[str] = "set_contact"
    rate: Num
    contact_interval: Num

    def apply(self, game: Game) -> Game:
        return _repeated(self, game).with_contact(
            rate=self.rate, contact_interval=self.contact_interval
        )

    def describe(self) -> str:
        return f"contact every {_fmt(self.contact_interval)} at rate {_fmt(self.rate)}"

    @classmethod
    def examples(cls) -> list[tuple[Transform, Game]]:
        return [(cls("1/2", 1), _example_repeated()), (cls("1/4", "1/2"), _example_repeated())]


@register
@dataclass(frozen=True)
class SetRelativeGains(Transform):
    """Set the relative-gains weight r of a repeated game (U_i = a_i − r ā_{-i}).

    Examples
    --------
    >>> SetRelativeGains("1/4").apply(_example_repeated()).relative_gains
    Fraction(1, 4)
    """

    op: ClassVar[str] = "set_relative_gains"
    weight: Num

    def apply(self, game: Game) -> Game:
        return _repeated(self, game).with_relative_gains(self.weight)

    def describe(self) -> str:
        return f"relative gains r = {_fmt(self.weight)}"

    @classmethod
    def examples(cls) -> list[tuple[Transform, Game]]:
        return [(cls("1/4"), _example_repeated())]


# -- linkage ----------------------------------------------------------------------------------
def _linked(t: Transform, game: Game) -> LinkedGame:
    if not isinstance(game, LinkedGame):
        raise t._wrong(game, "LinkedGame")
    return game


@register
@dataclass(frozen=True)
class Link(Transform):
    """Pool punishments across the issues of a linked game (multi-issue contact).

    Examples
    --------
    >>> Link().apply(_example_linked()).linked
    True
    """

    op: ClassVar[str] = "link"

    def apply(self, game: Game) -> Game:
        return _linked(self, game).relinked()

    def describe(self) -> str:
        return "link issues: punishments pooled"

    def inverse(self) -> Transform:
        return Delink()

    @classmethod
    def examples(cls) -> list[tuple[Transform, Game]]:
        return [(cls(), _example_linked())]


@register
@dataclass(frozen=True)
class Delink(Transform):
    """Separate punishments by issue.

    Examples
    --------
    >>> Delink().apply(Link().apply(_example_linked())).linked
    False
    """

    op: ClassVar[str] = "delink"

    def apply(self, game: Game) -> Game:
        return _linked(self, game).delinked()

    def describe(self) -> str:
        return "de-link issues: punishments separated"

    def inverse(self) -> Transform:
        return Link()

    @classmethod
    def examples(cls) -> list[tuple[Transform, Game]]:
        return [(cls(), Link().apply(_example_linked()))]


# -- priors -----------------------------------------------------------------------------------
def _example_bayesian() -> BayesianGame:
    stag = {("C", "C"): 5, ("C", "D"): 0, ("D", "C"): 4, ("D", "D"): 1}
    pd = {("C", "C"): 3, ("C", "D"): 0, ("D", "C"): 5, ("D", "D"): 1}

    def pay(types: tuple[str, ...], acts: tuple[str, ...]) -> tuple[int, int]:
        own = pd if types[0] == "untrustworthy" else stag
        return (own[acts[0], acts[1]], stag[acts[1], acts[0]])

    return BayesianGame(
        players=["Russia", "Japan"],
        types=[["trustworthy", "untrustworthy"], ["only"]],
        actions=[["C", "D"], ["C", "D"]],
        prior={("trustworthy", "only"): "2/5", ("untrustworthy", "only"): "3/5"},
        payoffs=pay,
        title="Kydd security dilemma",
    )


@register
@dataclass(frozen=True)
class ChangePrior(Transform):
    """Replace the common prior of a :class:`~equishift.games.bayesian.BayesianGame`.

    ``types`` lists type profiles, ``probabilities`` their prior probabilities (summing to 1).

    Examples
    --------
    >>> t = ChangePrior(types=(("trustworthy", "only"), ("untrustworthy", "only")),
    ...                 probabilities=("3/5", "2/5"))
    >>> t.apply(_example_bayesian()).marginal("Russia")["trustworthy"]
    Fraction(3, 5)
    """

    op: ClassVar[str] = "change_prior"
    types: tuple[tuple[str, ...], ...]
    probabilities: tuple[Num, ...]

    def _check(self) -> None:
        if len(self.types) != len(self.probabilities):
            raise GameError(
                f"change_prior: {len(self.types)} type profiles but "
                f"{len(self.probabilities)} probabilities"
            )

    def apply(self, game: Game) -> Game:
        if not isinstance(game, BayesianGame):
            raise self._wrong(game, "BayesianGame")
        prior = dict(zip(self.types, self.probabilities, strict=True))
        return game.with_prior(prior, self.describe())

    def describe(self) -> str:
        cells = ", ".join(
            f"({', '.join(t)}) {_fmt(p)}"
            for t, p in zip(self.types, self.probabilities, strict=True)
        )
        return f"prior {cells}"

    @classmethod
    def examples(cls) -> list[tuple[Transform, Game]]:
        types = (("trustworthy", "only"), ("untrustworthy", "only"))
        return [(cls(types, ("3/5", "2/5")), _example_bayesian())]


# -- chance, signals, relations ---------------------------------------------------------------
def _set_chance(
    node: Node, actions: tuple[str, ...], probs: dict[str, Any], hits: list[int]
) -> Node:
    if isinstance(node, Terminal):
        return node
    if isinstance(node, Chance):
        kids = {a: (p, _set_chance(c, actions, probs, hits)) for a, (p, c) in node.actions.items()}
        if tuple(node.actions) == actions:
            hits[0] += 1
            kids = {a: (probs[a], c) for a, (_, c) in kids.items()}
        return dataclasses.replace(node, actions=kids)
    kids2 = {a: _set_chance(c, actions, probs, hits) for a, c in node.actions.items()}
    return dataclasses.replace(node, actions=kids2)


def _example_strike() -> ExtensiveFormGame:
    def us(absorb_d: int) -> Decision:
        ret = Decision(
            "US",
            {"Stop": Terminal((-5, -1 if absorb_d == 0 else -5)), "Escalate": Terminal((-20, -30))},
            infoset="US: after retaliation",
        )
        dprk = Decision(
            "DPRK",
            {"Absorb": Terminal((2, -2)), "Retaliate": ret},
            infoset=f"DPRK {absorb_d}",
        )
        return Decision("US", {"Strike": dprk, "No strike": Terminal((0, 0))}, infoset="US")

    root = Chance({"Resolute": ("1/2", us(0)), "Restrained": ("1/2", us(1))})
    return ExtensiveFormGame.build(players=["US", "DPRK"], root=root, title="strike")


@register
@dataclass(frozen=True)
class SetChance(Transform):
    """Set the probabilities of every chance move with exactly the outcomes ``actions``.

    A belief changes: e.g. the probability θ that the DPRK is resolute (nature's first move
    in the bloody-nose tree). Applies to an :class:`~equishift.games.ExtensiveFormGame`.

    Parameters
    ----------
    actions
        The chance outcomes, in the tree's order.
    probabilities
        Their new probabilities (exact, summing to 1).
    previous
        The old probabilities, if known: then :meth:`inverse` sets them back.

    Examples
    --------
    >>> g = SetChance(("Resolute", "Restrained"), ("1/5", "4/5")).apply(_example_strike())
    >>> g.chance_infosets[0].probs
    (Fraction(1, 5), Fraction(4, 5))
    """

    op: ClassVar[str] = "set_chance"
    actions: tuple[str, ...]
    probabilities: tuple[Num, ...]
    previous: tuple[Num, ...] | None = None

    def _check(self) -> None:
        for what, v in (("probabilities", self.probabilities), ("previous", self.previous)):
            if v is None:
                continue
            if len(v) != len(self.actions):
                raise GameError(f"set_chance: {len(self.actions)} outcomes but {len(v)} {what}")
            if not all(isinstance(p, Fraction) and p >= 0 for p in v) or sum(v) != 1:
                raise GameError(f"set_chance: {what} must be exact, non-negative and sum to 1")

    def apply(self, game: Game) -> Game:
        if not isinstance(game, ExtensiveFormGame):
            raise self._wrong(game, "ExtensiveFormGame")
        hits = [0]
        probs = dict(zip(self.actions, self.probabilities, strict=True))
        root = _set_chance(game.to_tree(), self.actions, probs, hits)
        if not hits[0]:
            raise GameError(f"set_chance: no chance move with outcomes {list(self.actions)}")
        out = ExtensiveFormGame.build(
            players=game.players, root=root, title=game.title, comment=game.comment
        )
        return _with_efg_provenance(out, (*game.provenance, self.describe()))

    def describe(self) -> str:
        cells = ", ".join(
            f"{a} {_fmt(p)}" for a, p in zip(self.actions, self.probabilities, strict=True)
        )
        return f"chance probabilities {cells}"

    def inverse(self) -> Transform:
        if self.previous is None:
            raise GameError("set_chance has no inverse unless the previous probabilities are given")
        return SetChance(self.actions, self.previous, previous=self.probabilities)

    @classmethod
    def examples(cls) -> list[tuple[Transform, Game]]:
        acts = ("Resolute", "Restrained")
        return [
            (cls(acts, ("1/5", "4/5"), previous=("1/2", "1/2")), _example_strike()),
            (cls(acts, (1, 0)), _example_strike()),
        ]


def _model(cls: _T) -> _T:
    """Class decorator: enter a transform class in :data:`MODEL_TRANSFORMS` under its ``op``."""
    if cls.op in TRANSFORMS or cls.op in MODEL_TRANSFORMS:
        raise ValueError(f"transform op {cls.op!r} registered twice")
    MODEL_TRANSFORMS[cls.op] = cls
    return cls


def _example_signalling() -> Any:
    from ..games.signalling import SignallingGame

    def u(t: str, m: str, a: str) -> tuple[int, int]:
        trusted = a == "Trust"
        return (
            (6 if t == "T" else 9) if trusted else 0,
            {"T": 5, "U": 0}[t] if trusted else {"T": 4, "U": 1}[t],
        )

    return SignallingGame(
        types={"T": "2/5", "U": "3/5"},
        messages=["none"],
        actions=["Trust", "Distrust"],
        payoffs=u,
        title="trust",
    )


@_model
@dataclass(frozen=True)
class AddCostlySignal(Transform):
    """A costly signal: a new message ``message`` that costs type ``t`` ``unit_costs[t] * size``.

    The new message has the payoffs of message ``base`` less the sender's cost; the receiver's
    payoffs are those of ``base``. Applies to a
    :class:`~equishift.games.signalling.SignallingGame` (Kydd 2000: a confidence-building
    measure of size ``s`` costs ``κ_t·s``). A signalling game keeps no provenance.

    Examples
    --------
    >>> t = AddCostlySignal("CBM", "none", ("T", "U"), (1, 3), 4)
    >>> g = t.apply(_example_signalling())
    >>> g.messages, g.payoff("U", "CBM", "Trust")
    (('none', 'CBM'), (Fraction(-3, 1), Fraction(0, 1)))
    """

    op: ClassVar[str] = "add_costly_signal"
    records_provenance: ClassVar[bool] = False
    message: str
    base: str
    types: tuple[str, ...]
    unit_costs: tuple[Num, ...]
    size: Num

    def _check(self) -> None:
        if len(self.types) != len(self.unit_costs):
            raise GameError(
                f"add_costly_signal: {len(self.types)} types but {len(self.unit_costs)} unit costs"
            )
        if self.size < 0 or any(c < 0 for c in self.unit_costs):
            raise GameError("add_costly_signal: size and unit costs must be >= 0")

    def apply(self, game: Game) -> Game:
        from ..games.signalling import SignallingGame

        if not isinstance(game, SignallingGame):
            raise self._wrong(game, "SignallingGame")
        if self.base not in game.messages:
            raise GameError(
                f"add_costly_signal: unknown base message {self.base!r}; "
                f"expected one of {list(game.messages)}"
            )
        if self.message in game.messages:
            raise GameError(f"add_costly_signal: message {self.message!r} exists already")
        if set(self.types) != set(game.types):
            raise GameError(f"add_costly_signal: give a unit cost for each type {list(game.types)}")
        cost = {t: c * self.size for t, c in zip(self.types, self.unit_costs, strict=True)}

        def u(t: str, m: str, a: str) -> tuple[Any, Any]:
            if m != self.message:
                return game.payoff(t, m, a)
            s, r = game.payoff(t, self.base, a)
            return (s - cost[t], r)

        return SignallingGame(
            types=game.prior,
            messages=[*game.messages, self.message],
            actions=game.actions,
            payoffs=u,
            sender=game.sender,
            receiver=game.receiver,
            title=game.title,
        )

    def describe(self) -> str:
        costs = ", ".join(
            f"{t} {_fmt(c)}·{_fmt(self.size)}"
            for t, c in zip(self.types, self.unit_costs, strict=True)
        )
        return f"costly signal {self.message!r} of size {_fmt(self.size)} (costs {costs})"

    @classmethod
    def examples(cls) -> list[tuple[Transform, Game]]:
        return [(cls("CBM", "none", ("T", "U"), (1, 3), 4), _example_signalling())]


def _example_triangle() -> Any:
    from ..games.triangle import SignedTriangle

    return SignedTriangle(
        ["US", "China", "Russia"],
        {("US", "China"): -1, ("US", "Russia"): -1, ("China", "Russia"): 1},
        title="2018",
    )


@_model
@dataclass(frozen=True)
class SetSign(Transform):
    """Set the relation of ``a`` and ``b`` in a strategic triangle to ``sign`` (+1 or -1).

    Examples
    --------
    >>> g = SetSign("US", "China", 1, previous=-1).apply(_example_triangle())
    >>> g.configuration, g.provenance
    ('romantic triangle', ('set US–China to +1 (was -1)',))
    """

    op: ClassVar[str] = "set_sign"
    a: str
    b: str
    sign: Num
    previous: Num | None = None

    def _check(self) -> None:
        for v in (self.sign, self.previous):
            if v is not None and v not in (1, -1):
                raise GameError(f"set_sign: expected +1 (amity) or -1 (enmity), found {v!r}")

    def apply(self, game: Game) -> Game:
        from ..games.triangle import SignedTriangle

        if not isinstance(game, SignedTriangle):
            raise self._wrong(game, "SignedTriangle")
        return game.with_sign(self.a, self.b, int(self.sign))  # records the change itself

    def describe(self) -> str:
        return f"{self.a}–{self.b} relation set to {int(self.sign):+d}"

    def inverse(self) -> Transform:
        if self.previous is None:
            raise GameError("set_sign has no inverse unless the previous sign is given")
        return SetSign(self.a, self.b, self.previous, previous=self.sign)

    @classmethod
    def examples(cls) -> list[tuple[Transform, Game]]:
        return [
            (cls("US", "China", 1, previous=-1), _example_triangle()),
            (cls("China", "Russia", -1), _example_triangle()),
        ]


def _example_bargaining() -> Any:
    from ..games.bargaining import BargainingModel

    return BargainingModel(
        p="0.6", proposer_cost="0.1", max_receiver_cost="0.4", cap="0.4",
        players=["US", "China"], title="containment",
    )  # fmt: skip


@_model
@dataclass(frozen=True)
class SetCap(Transform):
    """Cap concessions at ``cap`` in a crisis-bargaining model, or remove the cap (``None``).

    A containment policy caps what the status-quo power may concede (Fearon 1995; Powell
    1996). Applies to a :class:`~equishift.games.bargaining.BargainingModel`.

    Examples
    --------
    >>> g = SetCap(None, previous="0.4").apply(_example_bargaining())
    >>> g.cap is None, g.provenance
    (True, ('remove the cap on concessions',))
    """

    op: ClassVar[str] = "set_cap"
    cap: Num | None = None
    previous: Num | None = None

    def apply(self, game: Game) -> Game:
        from ..games.bargaining import BargainingModel

        if not isinstance(game, BargainingModel):
            raise self._wrong(game, "BargainingModel")
        return game.without_cap() if self.cap is None else game.with_cap(self.cap)

    def describe(self) -> str:
        if self.cap is None:
            return "remove the cap on concessions"
        return f"cap concessions at {_fmt(self.cap)}"

    def inverse(self) -> Transform:
        if self.previous is None and self.cap is None:
            raise GameError("set_cap has no inverse unless the previous cap is given")
        return SetCap(self.previous, previous=self.cap)

    @classmethod
    def examples(cls) -> list[tuple[Transform, Game]]:
        return [(cls(None, previous="0.4"), _example_bargaining())]


def model_examples() -> list[tuple[Transform, Any]]:
    """Example instances of the :data:`MODEL_TRANSFORMS` with their models."""
    out: list[tuple[Transform, Any]] = []
    for cls in MODEL_TRANSFORMS.values():
        out.extend(cls.examples())
    return out


# -- composition ------------------------------------------------------------------------------
@register
@dataclass(frozen=True, init=False)
class Compose(Transform):
    """Several transforms applied in order (``a >> b`` is ``Compose((a, b))``).

    Examples
    --------
    >>> t = MakeRepeated(delta="2/5") >> SetDelta("3/5")
    >>> t.apply(_example_pd()).delta, len(t.steps)
    (Fraction(3, 5), 2)
    """

    op: ClassVar[str] = "compose"
    steps: tuple[Transform, ...]

    def __init__(self, steps: Sequence[Transform]) -> None:
        flat: list[Transform] = []
        for s in steps:
            if not isinstance(s, Transform):
                raise GameError(f"compose: {s!r} is not a transform")
            flat.extend(s.steps if isinstance(s, Compose) else (s,))
        object.__setattr__(self, "steps", tuple(flat))

    def apply(self, game: Game) -> Game:
        for s in self.steps:
            game = s.apply(game)
        return game

    def describe(self) -> str:
        return ", then ".join(s.describe() for s in self.steps) or "identity"

    def inverse(self) -> Transform:
        return Compose(tuple(s.inverse() for s in reversed(self.steps)))

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "steps": [s.to_dict() for s in self.steps]}

    @classmethod
    def examples(cls) -> list[tuple[Transform, Game]]:
        raise_s = ShiftPayoffs((("Engage", "Hedge"),), (("3/2", 0),))
        return [
            (raise_s >> AddStrategy("US", "Wait", ((1, 1), (1, 1))), _example_stag()),
            (MakeRepeated(delta="2/5") >> SetDelta("3/5") >> SetLapse("1/10"), _example_pd()),
        ]


# -- reading ----------------------------------------------------------------------------------
def transform_from_dict(data: Mapping[str, Any], path: str = "transform") -> Transform:
    """Build a transform from a TOML-like table ``{op = "...", ...}``; nothing is evaluated.

    Parameters
    ----------
    data
        The table: ``op`` names a registered transform (:data:`TRANSFORMS`), the other keys are
        its fields (``compose`` takes ``steps``, a list of tables).
    path
        Key path of the table, used in error messages
        (``"recommendations[0].transforms[1]"``).

    Raises
    ------
    FormatError
        Naming the key path: not a table, unknown ``op``, unknown or missing keys, values of
        the wrong kind.

    Examples
    --------
    >>> transform_from_dict({"op": "set_delta", "delta": "0.6"})
    SetDelta(delta=Fraction(3, 5), previous=None)
    >>> transform_from_dict({"op": "set_delta", "delta": "soon"}, "recs[0].transforms[1]")
    Traceback (most recent call last):
    ...
    equishift.games.errors.FormatError: recs[0].transforms[1]: set_delta.delta ...is not a number...
    >>> transform_from_dict({"op": "teleport"}, "recs[0].transforms[0]")
    Traceback (most recent call last):
    ...
    equishift.games.errors.FormatError: recs[0].transforms[0].op: unknown transform 'teleport'; ...
    """
    if not isinstance(data, Mapping):
        raise FormatError(f"expected a table {{op = ...}}, found {data!r}", path=path)
    op = data.get("op")
    if not isinstance(op, str):
        raise FormatError("missing key 'op' (the name of a transform)", path=path)
    cls = TRANSFORMS.get(op) or MODEL_TRANSFORMS.get(op)
    if cls is None:
        names = sorted({*TRANSFORMS, *MODEL_TRANSFORMS})
        raise FormatError(
            f"unknown transform {op!r}; expected one of {', '.join(names)}",
            path=f"{path}.op",
        )
    rest = {k: v for k, v in data.items() if k != "op"}
    if cls is Compose:
        steps = rest.pop("steps", None)
        if rest:
            raise FormatError(f"unknown key(s) {sorted(rest)} for compose", path=path)
        if not isinstance(steps, list | tuple):
            raise FormatError("compose needs 'steps', a list of transform tables", path=path)
        return Compose([transform_from_dict(s, f"{path}.steps[{k}]") for k, s in enumerate(steps)])
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(rest) - set(known))
    if unknown:
        raise FormatError(
            f"unknown key(s) {unknown} for {op}; expected some of {sorted(known)}", path=path
        )
    missing = [
        n
        for n, f in known.items()
        if n not in rest
        and f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
    ]
    if missing:
        raise FormatError(f"missing key(s) {missing} for {op}", path=path)
    try:
        return cls(**rest)
    except GameError as exc:
        raise FormatError(str(exc), path=path) from exc


# -- value comparison -------------------------------------------------------------------------
def fingerprint(game: Any, *, provenance: bool = True) -> Any:
    """A deep, hashable description of a game value (to check that nothing was mutated).

    With ``provenance=False`` titles and provenance are left out (to compare games as games).

    Examples
    --------
    >>> g = _example_pd()
    >>> fingerprint(g) == fingerprint(_example_pd())
    True
    """
    if isinstance(game, NormalFormGame):
        extra = (game.title, game.provenance) if provenance else ()
        return ("nfg", game.players, game.strategies, str(game.payoffs.tolist()), *extra)
    if isinstance(game, ParametricGame):
        extra = (game.title, game.provenance) if provenance else ()
        return (
            "parametric",
            game.players,
            game.strategies,
            str(game.payoffs.tolist()),
            repr(game.parameters),
            *extra,
        )
    if isinstance(game, ExtensiveFormGame):
        extra = (game.title, game.provenance) if provenance else ()
        infosets = tuple((h.player, h.label, h.actions, h.probs) for h in game.all_infosets)
        return ("efg", game.players, game.describe(max_nodes=10_000), infosets, *extra)
    if isinstance(game, BayesianGame):
        return (
            "bayesian",
            game.players,
            game.types,
            game.actions,
            str(game.prior.tolist()),
            str(game.payoffs.tolist()),
        )
    if dataclasses.is_dataclass(game) and not isinstance(game, type):
        out = [type(game).__name__]
        for f in fields(game):
            if not provenance and f.name in ("title", "provenance"):
                continue
            out.append(f.name)
            out.append(fingerprint(getattr(game, f.name), provenance=provenance))
        return tuple(out)
    if isinstance(game, tuple | list):
        return tuple(fingerprint(v, provenance=provenance) for v in game)
    return repr(game)


def same_game(a: Any, b: Any) -> bool:
    """True when two game values are the same game (titles and provenance ignored).

    >>> same_game(SetDelta("1/2").apply(_example_repeated()), _example_repeated())
    False
    """
    return bool(fingerprint(a, provenance=False) == fingerprint(b, provenance=False))


def examples() -> list[tuple[Transform, Any]]:
    """Every registered transform's example instances with their games (conformance suite)."""
    out: list[tuple[Transform, Any]] = []
    for cls in TRANSFORMS.values():
        out.extend(cls.examples())
    return out
