"""Scenario files: games, named parameters and their sources in one TOML file.

A scenario file is plain TOML, read with the standard library's :mod:`tomllib`
and written by a small writer of our own. It holds:

* ``[meta]``: ``id``, ``title``, ``source``, ``notes`` (all text);
* ``[parameters]``: ``NAME = 5`` or ``NAME = { value = 5, range = [3, 8],
  distribution = { kind = "uniform", low = 3, high = 8 }, unit = "...",
  note = "...", source = "..." }``;
* ``[games.NAME]`` tables (or one ``[game]`` table, named ``"game"``), each
  with a ``form``: ``"normal"``, ``"extensive"``, ``"repeated"``,
  ``"linked"``, ``"continuous"`` (linear best responses), ``"triangle"``
  (a signed strategic triangle), ``"signalling"`` (a sender with private
  types, messages, a receiver's actions), ``"bayesian"`` (players with private
  types drawn from a common prior) or ``"bargaining"`` (Fearon's crisis
  bargaining with a privately known cost of war), or a ``gambit = "file.nfg"``
  import;
* any other top-level table, such as ``[[recommendations]]``, kept as plain
  data for the modules that interpret it.

A normal-form game table may say ``ordinal = true``: its payoffs are then each
player's integer ranks of the outcomes (higher is better, ties allowed, only
their order counts). The game still reads as a
:class:`~equishift.games.normal_form.NormalFormGame` with the ranks as payoffs,
and :attr:`Scenario.ordinal` names it, so that
:mod:`equishift.recommendations.ordinal` can evaluate a recommendation over
every cardinal game consistent with the ranks.

Numbers are read exactly (``2.8`` is ``14/5``). Wherever a number is expected,
an expression of the parameters may be written as a string (``"T_D - 1"``);
it is read by :func:`~equishift.games.parameters.parse_expression`, so reading
a file never executes code. A normal-form game whose payoffs use parameters is
a :class:`~equishift.games.parametric.ParametricGame`; elsewhere expressions
are evaluated at the parameters' default values, and the writer puts the
expression back while it still gives the game's value.

Every problem raises one :class:`~equishift.games.errors.FormatError` naming
the file, the line (when it can be found), the key path and what was expected.

Examples
--------
>>> text = '''
... [meta]
... id = "pd"
...
... [parameters]
... T = { value = 5, range = [4, 8], note = "temptation" }
...
... [game]
... form = "normal"
... players = ["Row", "Column"]
... strategies = { Row = ["C", "D"], Column = ["C", "D"] }
... payoffs."C, C" = [3, 3]
... payoffs."C, D" = [0, "T"]
... payoffs."D, C" = ["T", 0]
... payoffs."D, D" = [1, 1]
... '''
>>> s = parse_scenario(text)
>>> s.meta.id, list(s.games), s.parameters.names
('pd', ['game'], ('T',))
>>> s.games["game"].payoff(("D", "C"))
(T, 0)
>>> parse_scenario(write_scenario(s)) == s
True
>>> parse_scenario(text.replace('"C, D"', '"C, X"'), path="pd.toml")
Traceback (most recent call last):
...
equishift.games.errors.FormatError: pd.toml:13: game.payoffs."C, X": unknown strategy 'X' \
of Column; expected one of 'C', 'D'
"""

from __future__ import annotations

import difflib
import itertools
import math
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from fractions import Fraction
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NoReturn, TypeAlias, TypeVar

import numpy as np

from ..errors import FormatError, GameError
from ..extensive_form import Chance, Decision, ExtensiveFormGame, Node, Terminal
from ..normal_form import NormalFormGame
from ..numbers import Number
from ..parameters import DISTRIBUTIONS, Distribution, Parameter, Parameters, parse_expression
from ..parametric import ParametricGame
from ..repeated import LinkedGame, RepeatedGame

__all__ = [
    "FORMS",
    "Game",
    "RawTable",
    "Scenario",
    "ScenarioMeta",
    "format_key_path",
    "parse_scenario",
    "read_scenario",
    "scenario_from_game",
    "write_scenario",
]

if TYPE_CHECKING:  # pragma: no cover - typing only; imported lazily where they are read
    from ..bargaining import BargainingModel
    from ..bayesian import BayesianGame
    from ..continuous import LinearResponseGame
    from ..signalling import SignallingGame
    from ..triangle import SignedTriangle

Game: TypeAlias = (
    "NormalFormGame | ParametricGame | ExtensiveFormGame | RepeatedGame | LinkedGame"
    " | LinearResponseGame | SignedTriangle | SignallingGame | BargainingModel | BayesianGame"
)
"""A game a scenario file can hold."""

FORMS: tuple[str, ...] = (
    "normal",
    "extensive",
    "repeated",
    "linked",
    "continuous",
    "triangle",
    "signalling",
    "bayesian",
    "bargaining",
)
"""The ``form`` values a scenario file supports."""

_PLANNED = ("cheap_talk",)

_TOP_KEYS = ("meta", "parameters", "game", "games", "recommendations")
_META_KEYS = ("id", "title", "source", "notes")
_PARAM_KEYS = ("value", "range", "distribution", "unit", "note", "source")
_COMMON_KEYS = ("form", "title", "notes", "gambit")
_NORMAL_KEYS = (*_COMMON_KEYS, "players", "strategies", "payoffs", "arithmetic", "ordinal")
_EXTENSIVE_KEYS = (*_COMMON_KEYS, "players", "tree", "nodes", "file")
_REPEATED_KEYS = (
    *_COMMON_KEYS,
    "stage",
    "provenance",
    "delta",
    "detection",
    "false_alarm",
    "lapse",
    "contact_interval",
    "rate",
    "relative_gains",
)
_LINKED_KEYS = (
    *_COMMON_KEYS,
    "games",
    "provenance",
    "issues",
    "breakdown",
    "linked",
    "delta",
    "detection",
    "false_alarm",
)
_CONTINUOUS_KEYS = (*_COMMON_KEYS, "players", "fatigue", "reactions", "grievances", "provenance")
_TRIANGLE_KEYS = (*_COMMON_KEYS, "players", "signs", "provenance")
_BARGAINING_KEYS = (
    *_COMMON_KEYS,
    "players",
    "p",
    "proposer_cost",
    "max_receiver_cost",
    "cap",
    "provenance",
)
_SIGNALLING_KEYS = (
    *_COMMON_KEYS,
    "sender",
    "receiver",
    "types",
    "messages",
    "actions",
    "payoffs",
)
_BAYESIAN_KEYS = (
    *_COMMON_KEYS,
    "players",
    "types",
    "actions",
    "prior",
    "payoffs",
    "arithmetic",
    "provenance",
)
_NODE_KEYS = ("player", "chance", "infoset", "label", "actions", "payoffs", "outcome", "ref")
_MAX_DEPTH = 200
_MAX_EXPONENT = 1000
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+\Z")

KeyPath: TypeAlias = tuple[str | int, ...]
_T = TypeVar("_T")


# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScenarioMeta:
    """What a scenario is and where it comes from.

    Examples
    --------
    >>> ScenarioMeta(id="df", title="Dual freeze").title
    'Dual freeze'
    """

    id: str = ""
    title: str = ""
    source: str = ""
    notes: str = ""


@dataclass(frozen=True)
class RawTable:
    """A table of a scenario file that this module keeps as plain data.

    Attributes
    ----------
    key
        Its key path in the file (``"recommendations[0]"``).
    data
        The table as read (strings, exact numbers as ``Decimal``/``int``, lists, dicts).
    line
        The line where it starts, when it could be found.
    """

    key: str
    data: Mapping[str, Any]
    line: int | None = None


@dataclass(frozen=True, eq=False)
class Scenario:
    """Games, parameters and sources read from (or written to) a scenario file.

    Attributes
    ----------
    meta
        ``id``, ``title``, ``source`` and ``notes``.
    parameters
        The named parameters every expression in the file may use.
    games
        Ordered, read-only mapping from game name to game.
    recommendations
        The ``[[recommendations]]`` tables, uninterpreted.
    extra
        Other top-level tables, uninterpreted (read-only mapping of plain data).
    notes
        Per game, the ``notes`` text given in its table.
    bindings
        Per game, the expression text written for a field (``"delta"``,
        ``"payoffs.C, D[1]"``...), so the writer can put expressions back.
    path
        The file the scenario was read from, if any.
    text
        The file's text, if it was read from text (used to find lines for :meth:`error`).
    ordinal
        The names of the games whose payoffs are ordinal ranks only (``ordinal = true`` in
        their table): exact normal-form games with integer payoffs, higher is better.

    Raises
    ------
    GameError
        When ``ordinal`` names a game that is not an exact normal-form game with integer
        payoffs among ``games``.

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> s = Scenario(games={"mp": NormalFormGame([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])})
    >>> list(s.games), s.meta.id, s.ordinal
    (['mp'], '', frozenset())
    >>> Scenario(games=s.games, ordinal={"mp"}).ordinal
    frozenset({'mp'})
    """

    meta: ScenarioMeta = field(default_factory=ScenarioMeta)
    parameters: Parameters = field(default_factory=lambda: Parameters([]))
    games: Mapping[str, Game] = field(default_factory=dict)
    recommendations: tuple[RawTable, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    notes: Mapping[str, str] = field(default_factory=dict)
    bindings: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    path: str | None = None
    text: str | None = field(default=None, repr=False)
    ordinal: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "games", MappingProxyType(dict(self.games)))
        object.__setattr__(self, "extra", MappingProxyType(dict(self.extra)))
        object.__setattr__(self, "notes", MappingProxyType(dict(self.notes)))
        object.__setattr__(
            self,
            "bindings",
            MappingProxyType({k: MappingProxyType(dict(v)) for k, v in self.bindings.items()}),
        )
        object.__setattr__(self, "recommendations", tuple(self.recommendations))
        if not isinstance(self.parameters, Parameters):
            object.__setattr__(self, "parameters", Parameters(self.parameters))
        object.__setattr__(self, "ordinal", frozenset(self.ordinal))
        for name in sorted(self.ordinal):
            game = self.games.get(name)
            if not (isinstance(game, NormalFormGame) and _integer_payoffs(game)):
                found = "no such game" if game is None else f"a {type(game).__name__}"
                if isinstance(game, NormalFormGame):
                    found = "payoffs that are not all integers"
                raise GameError(
                    f"Scenario: ordinal game {name!r} must be an exact normal-form game with "
                    f"integer payoffs (ranks); found {found}"
                )

    def game(self, name: str | None = None) -> Game:
        """The game called ``name``, or the only game when ``name`` is ``None``.

        >>> from equishift.games import NormalFormGame
        >>> Scenario(games={"g": NormalFormGame([[[0, 0]]])}).game().shape
        (1, 1)
        """
        if name is None:
            if len(self.games) != 1:
                raise KeyError(
                    f"the scenario has {len(self.games)} games; name one of {list(self.games)}"
                )
            return next(iter(self.games.values()))
        if name not in self.games:
            raise KeyError(f"no game {name!r}; expected one of {list(self.games)}")
        return self.games[name]

    def error(self, where: Sequence[str | int], message: str) -> FormatError:
        """A :class:`FormatError` about key path ``where`` of this scenario's file.

        For modules that interpret the raw tables (recommendations): the error names the
        file, the line of the key (when it can be found in :attr:`text`) and the key path.

        >>> s = parse_scenario('[[recommendations]]\\nid = "R1"\\nshift = "X"\\n', path="r.toml")
        >>> print(s.error(("recommendations", 0, "shift"), "unknown parameter 'X'"))
        r.toml:3: recommendations[0].shift: unknown parameter 'X'
        """
        path = tuple(where)
        line = None if self.text is None or not path else _Locator(self.text).line(path)
        return FormatError(f"{format_key_path(path)}: {message}", path=self.path, line=line)

    def equals(self, other: object) -> bool:
        """Same meta, parameters, games (by value), ordinal games, notes and raw tables.

        ``path``, ``text`` and ``bindings`` are not compared.
        """
        if not isinstance(other, Scenario):
            return False
        return (
            self.meta == other.meta
            and self.parameters == other.parameters
            and list(self.games) == list(other.games)
            and all(_same_game(self.games[k], other.games[k]) for k in self.games)
            and [(r.key, _plain(r.data)) for r in self.recommendations]
            == [(r.key, _plain(r.data)) for r in other.recommendations]
            and _plain(dict(self.extra)) == _plain(dict(other.extra))
            and dict(self.notes) == dict(other.notes)
            and self.ordinal == other.ordinal
        )

    def __eq__(self, other: object) -> bool:
        return self.equals(other)

    def __hash__(self) -> int:
        return hash((self.meta, tuple(self.games)))

    def __repr__(self) -> str:
        return (
            f"Scenario({self.meta.id!r}, games={list(self.games)}, "
            f"parameters={list(self.parameters.names)})"
        )


def _integer_payoffs(game: NormalFormGame) -> bool:
    """Whether every payoff of an exact game is an integer (ranks of an ordinal game)."""
    return game.is_exact and all(
        Fraction(v).denominator == 1 for v in game.payoffs.ravel().tolist()
    )


def _plain(value: Any) -> Any:
    """Raw data with exact numbers compared as numbers (``Decimal('1.0') == 1``)."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return Fraction(value)
    return value


# ---------------------------------------------------------------------------------------------
# Locating keys in the source text
# ---------------------------------------------------------------------------------------------
def format_key_path(path: KeyPath) -> str:
    """A key path as written in TOML: ``games.freeze.payoffs."Test, Suspend"``.

    >>> format_key_path(("games", "df", "payoffs", "Test, Suspend", 1))
    'games.df.payoffs."Test, Suspend"[1]'
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            piece = part if _BARE_KEY.match(part) else _toml_string(part)
            out += f".{piece}" if out else piece
    return out or "<top level>"


_KEY_PART = re.compile(r"""\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*""")


def _split_dotted(text: str) -> list[str] | None:
    parts: list[str] = []
    pos = 0
    while True:
        m = _KEY_PART.match(text, pos)
        if m is None:
            return None
        if m.group(1) is not None:
            try:
                parts.append(tomllib.loads(f'k = "{m.group(1)}"')["k"])
            except tomllib.TOMLDecodeError:
                return None
        else:
            parts.append(m.group(2) if m.group(2) is not None else m.group(3))
        pos = m.end()
        if pos >= len(text):
            return parts
        if text[pos] != ".":
            return None
        pos += 1


class _Locator:
    """Best-effort line numbers for key paths, by a scan of the source text."""

    _HEADER = re.compile(r"\s*(\[\[?)\s*(.*?)\s*\]\]?\s*(?:#.*)?$")
    _KEYLINE = re.compile(r"""\s*((?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_.\s-])+?)\s*=""")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.first: dict[KeyPath, int] = {}
        counts: dict[KeyPath, int] = {}
        table: KeyPath = ()
        for no, line in enumerate(self.lines, start=1):
            m = self._HEADER.match(line)
            if m and not line.lstrip().startswith("#") and "=" not in line.split("]")[0]:
                parts = _split_dotted(m.group(2))
                if parts is None:
                    continue
                key: KeyPath = tuple(parts)
                if m.group(1) == "[[":
                    k = counts.get(key, 0)
                    counts[key] = k + 1
                    key = (*key, k)
                table = key
                self._record(table, no)
                continue
            km = self._KEYLINE.match(line)
            if km:
                parts = _split_dotted(km.group(1))
                if parts:
                    self._record((*table, *parts), no)

    def _record(self, path: KeyPath, line: int) -> None:
        for k in range(1, len(path) + 1):
            self.first.setdefault(path[:k], line)

    def line(self, path: KeyPath) -> int | None:
        keys = [p for p in path]
        # Drop list indices that are not array-of-table indices when looking up.
        for k in range(len(keys), 0, -1):
            prefix = tuple(keys[:k])
            if prefix in self.first:
                start = self.first[prefix]
                rest = [p for p in keys[k:] if isinstance(p, str)]
                return self._search(start, rest)
            stripped = tuple(p for p in prefix if isinstance(p, str))
            if stripped != prefix and stripped in self.first:
                start = self.first[stripped]
                rest = [p for p in keys[k:] if isinstance(p, str)]
                return self._search(start, rest)
        return None

    def _search(self, start: int, rest: Sequence[str]) -> int:
        """From line ``start``, look for the remaining keys (inline tables, dotted keys)."""
        line = start
        for key in rest:
            pat = re.compile(
                r"(?:^|[\s{,.])(?:"
                + re.escape(key)
                + "|"
                + re.escape(_toml_string(key))
                + "|'"
                + re.escape(key)
                + r"')\s*[=.]"
            )
            for no in range(line, min(len(self.lines), line + 200) + 1):
                text = self.lines[no - 1]
                if pat.search(text):
                    line = no
                    break
            else:
                return line
        return line


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------
class _Reader:
    """State of one read: the file, the locator, the parameters and the bindings."""

    def __init__(self, text: str, path: str | Path | None) -> None:
        self.text = text
        self.path = None if path is None else str(path)
        self.base = None if path is None else Path(path).parent
        self._locator: _Locator | None = None
        self.parameters = Parameters([])
        self.bindings: dict[str, dict[str, str]] = {}
        self.ordinal: set[str] = set()
        self.replacements: dict[str, NormalFormGame] = {}

    @property
    def locator(self) -> _Locator:
        if self._locator is None:
            self._locator = _Locator(self.text)
        return self._locator

    def fail(self, where: KeyPath, message: str) -> NoReturn:
        line = self.locator.line(where) if where else None
        raise FormatError(f"{format_key_path(where)}: {message}", path=self.path, line=line)

    # -- checks ---------------------------------------------------------------------------------
    def table(self, value: Any, where: KeyPath, what: str = "a table") -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(where, f"expected {what}, found {_describe(value)}")
        return value

    def keys(self, table: Mapping[str, Any], allowed: Sequence[str], where: KeyPath) -> None:
        for key in table:
            if key not in allowed:
                self.fail((*where, key), f"unknown key {key!r}{_suggest(key, allowed)}")

    def require(self, table: Mapping[str, Any], key: str, where: KeyPath) -> Any:
        if key not in table:
            self.fail(where, f"missing key {key!r}")
        return table[key]

    def text_value(self, value: Any, where: KeyPath) -> str:
        if not isinstance(value, str):
            self.fail(where, f"expected text (a string), found {_describe(value)}")
        return value

    def labels(self, value: Any, where: KeyPath, what: str) -> list[str]:
        if not isinstance(value, list) or not value:
            self.fail(where, f"expected a non-empty list of {what}, found {_describe(value)}")
        out: list[str] = []
        one = {"strategies": "strategy"}.get(what, what.rstrip("s"))
        for k, v in enumerate(value):
            if not isinstance(v, str) or not v.strip():
                self.fail((*where, k), f"expected a non-empty {one} label, found {_describe(v)}")
            if v in out:
                self.fail((*where, k), f"duplicate {one} {v!r}")
            out.append(v)
        return out

    def number(self, value: Any, where: KeyPath, what: str = "a number") -> Number:
        """A number or an expression string evaluated at the parameters' defaults."""
        if isinstance(value, bool):
            self.fail(where, f"expected {what}, found a boolean")
        if isinstance(value, int):
            return Fraction(value)
        if isinstance(value, Decimal):
            return self.decimal(value, where)
        if isinstance(value, str):
            expr = self.expression(value, where)
            return self.evaluate(expr, where)
        self.fail(where, f"expected {what} or an expression string, found {_describe(value)}")

    def decimal(self, value: Decimal, where: KeyPath) -> Fraction:
        if not value.is_finite():
            self.fail(where, f"expected a finite number, found {value}")
        if abs(value.adjusted()) > _MAX_EXPONENT:
            self.fail(
                where,
                f"number {value} is too large or too small; expected an exponent "
                f"of at most {_MAX_EXPONENT}",
            )
        return Fraction(value)

    def expression(self, text: str, where: KeyPath) -> Any:
        try:
            return parse_expression(text, self.parameters.names)
        except GameError as exc:
            reason = getattr(exc, "reason", str(exc))
            self.fail(where, f"expression {text!r} is not valid: {reason}")

    def evaluate(self, expr: Any, where: KeyPath) -> Number:
        import sympy

        if expr.free_symbols:
            values = self.parameters.defaults()
            swap = {s: _sympy_number(values[s.name]) for s in expr.free_symbols}
            expr = expr.xreplace(swap)
        if isinstance(expr, sympy.Rational):
            return Fraction(int(expr.p), int(expr.q))
        if expr.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or expr.is_real is False:
            self.fail(where, f"the expression evaluates to {expr}; expected a finite real number")
        try:
            value = complex(expr.evalf())
        except (TypeError, ValueError):
            self.fail(where, f"the expression evaluates to {expr}; expected a number")
        if abs(value.imag) > 1e-12 * max(1.0, abs(value.real)):
            self.fail(where, f"the expression evaluates to {expr}; expected a real number")
        if not math.isfinite(value.real):
            self.fail(
                where,
                f"the expression evaluates to {expr}, too large for a float; "
                "expected a finite number",
            )
        return float(value.real)

    def bind(self, game: str, key: str, value: Any) -> None:
        if isinstance(value, str):
            self.bindings.setdefault(game, {})[key] = value

    def wrap(self, where: KeyPath, build: Callable[[], _T]) -> _T:
        """Run a constructor, turning its ``GameError`` into a ``FormatError`` at ``where``."""
        try:
            return build()
        except FormatError:
            raise
        except GameError as exc:
            self.fail(where, str(exc))


def _sympy_number(value: Number) -> Any:
    import sympy

    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    return sympy.Float(float(value))


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {shown!r}"
    if isinstance(value, int | Decimal):
        return f"the number {value}"
    return f"a {type(value).__name__}"


def _suggest(key: str, allowed: Sequence[str]) -> str:
    close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
    if close:
        return f"; did you mean {close[0]!r}?"
    return f"; expected one of {', '.join(repr(a) for a in allowed)}"


def read_scenario(path: str | Path, values: Mapping[str, Any] | None = None) -> Scenario:
    """Read a scenario file.

    Parameters
    ----------
    path
        A ``.toml`` scenario file; files it names (``gambit = "x.nfg"``) are
        found relative to it.
    values
        Parameter values to use instead of the file's (see :func:`parse_scenario`).

    Raises
    ------
    FormatError
        Naming the file, the line or key path, and what was expected.

    Examples
    --------
    >>> from importlib.resources import files
    >>> data = files("equishift") / "recommendations" / "data" / "dual-freeze.toml"
    >>> s = read_scenario(str(data))
    >>> s.meta.id, list(s.games)[:1]
    ('dual-freeze', ['baseline'])
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise FormatError(f"cannot read the file: {exc.strerror or exc}", path=path) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FormatError("the file is not UTF-8 text", path=path, line=line) from None
    return parse_scenario(text, path=path, values=values)


def parse_scenario(
    text: str,
    path: str | Path | None = None,
    values: Mapping[str, Any] | None = None,
    *,
    games: Mapping[str, NormalFormGame] | None = None,
) -> Scenario:
    """Read a scenario from TOML text.

    Parameters
    ----------
    text
        The file's contents.
    path
        The file it came from (for messages and relative ``gambit`` paths).
    values
        Parameter values to use instead of the file's ``value`` (exact numbers, or text such
        as ``"3/5"`` read like the file's own values). Each is checked against its
        parameter's range, and every expression of the file is evaluated with it, so errors
        keep the file's name and lines.
    games
        Normal-form games to use in place of the file's games of the same names (with the
        same players and strategies). The file's tables are still read and checked; games
        built on a replaced one (a repeated game's ``stage``) use the replacement, and a
        replaced game is no longer listed in :attr:`Scenario.ordinal`. This is how
        :mod:`equishift.recommendations.ordinal` puts cardinal payoffs in place of ranks.

    Raises
    ------
    FormatError
        For TOML syntax errors (with tomllib's line), an unknown parameter in ``values``, a
        value outside its range, and every semantic problem.
    GameError
        When ``games`` names a game the file does not have, or one whose players or
        strategies differ from the file's.

    Examples
    --------
    >>> text = '[parameters]\\nx = { value = 1, range = [0, 2] }\\n'
    >>> parse_scenario(text, values={"x": "3/2"}).parameters["x"].value
    Fraction(3, 2)
    >>> parse_scenario(text, path="p.toml", values={"x": 5})
    Traceback (most recent call last):
    ...
    equishift.games.errors.FormatError: p.toml:2: parameters.x: parameter 'x' has \
value 5 outside its range [0, 2]
    >>> parse_scenario(text, path="p.toml", values={"y": 1})
    Traceback (most recent call last):
    ...
    equishift.games.errors.FormatError: p.toml:1: parameters: unknown parameter 'y'; the file has x
    >>> parse_scenario('[game]\\nform = "normal"\\nplayer = ["A"]', path="x.toml")
    Traceback (most recent call last):
    ...
    equishift.games.errors.FormatError: x.toml:3: game.player: unknown key 'player'; did you \
mean 'players'?
    >>> ranks = ('[game]\\nform = "normal"\\nordinal = true\\nplayers = ["A", "B"]\\n'
    ...          'strategies = { A = ["x", "y"], B = ["z"] }\\npayoffs = [[[2, 1]], [[1, 2]]]')
    >>> s = parse_scenario(ranks)
    >>> s.ordinal, s.game().payoff(("x", "z"))
    (frozenset({'game'}), (Fraction(2, 1), Fraction(1, 1)))
    >>> cardinal = s.game().with_payoffs([[["3/4", 0]], [[0, "1/2"]]])
    >>> t = parse_scenario(ranks, games={"game": cardinal})
    >>> t.game().payoff(("x", "z")), t.ordinal
    ((Fraction(3, 4), Fraction(0, 1)), frozenset())
    """
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        line = int(m.group(1)) if m else None
        reason = msg[: m.start()].strip() if m else msg
        raise FormatError(f"TOML syntax error: {reason}", path=path, line=line) from None
    except RecursionError:
        raise FormatError("the file is nested too deeply", path=path) from None
    reader = _Reader(text, path)
    if values:
        _replace_values(reader, data, values)
    if games:
        for name, game in games.items():
            if not isinstance(game, NormalFormGame):
                raise GameError(
                    f"parse_scenario(): games[{name!r}] must be a NormalFormGame, "
                    f"not {type(game).__name__}"
                )
        reader.replacements = dict(games)
    return _scenario(reader, data)


def _replace_values(r: _Reader, data: dict[str, Any], values: Mapping[str, Any]) -> None:
    """Put ``values`` in place of the ``[parameters]`` values of the TOML ``data``."""
    params = data.get("parameters")
    if not isinstance(params, dict):
        params = {}
    for name, value in values.items():
        if name not in params:
            has = ", ".join(params) or "no parameters"
            r.fail(("parameters",), f"unknown parameter {name!r}; the file has {has}")
        if isinstance(value, Fraction):
            shown: Any = str(value) if value.denominator != 1 else value.numerator
        elif isinstance(value, bool) or not isinstance(value, int | str | Decimal):
            raise TypeError(f"values[{name!r}]: expected an exact number or text, not {value!r}")
        else:
            shown = value
        if isinstance(params[name], dict):
            params[name]["value"] = shown
        else:
            params[name] = shown


def _scenario(r: _Reader, data: dict[str, Any]) -> Scenario:
    extra: dict[str, Any] = {}
    for key in data:
        if key in _TOP_KEYS:
            continue
        close = difflib.get_close_matches(key, list(_TOP_KEYS), n=1, cutoff=0.75)
        if close:
            r.fail((key,), f"unknown top-level key {key!r}; did you mean {close[0]!r}?")
        extra[key] = data[key]
    meta = _meta(r, data.get("meta", {}))
    r.parameters = _parameters(r, data.get("parameters", {}))
    specs: dict[str, tuple[KeyPath, dict[str, Any]]] = {}
    if "game" in data:
        if "games" in data:
            r.fail(("game",), "give either [game] or [games.NAME] tables, not both")
        specs["game"] = (("game",), r.table(data["game"], ("game",)))
    if "games" in data:
        games = r.table(data["games"], ("games",), "a table of [games.NAME] tables")
        for name, spec in games.items():
            specs[name] = (("games", name), r.table(spec, ("games", name)))
    recs = data.get("recommendations", [])
    if isinstance(recs, dict):
        recs = [recs]
    if not isinstance(recs, list) or not all(isinstance(t, dict) for t in recs):
        r.fail(("recommendations",), "expected [[recommendations]] tables")
    recommendations = tuple(
        RawTable(f"recommendations[{k}]", t, r.locator.line(("recommendations", k)))
        for k, t in enumerate(recs)
    )
    unknown = [name for name in r.replacements if name not in specs]
    if unknown:
        raise GameError(
            f"parse_scenario(): no game {unknown[0]!r} in the file to replace; its games are "
            + (", ".join(repr(g) for g in specs) or "none")
        )
    built: dict[str, Game] = {}
    notes: dict[str, str] = {}
    for name, (where, spec) in specs.items():
        if "notes" in spec:
            notes[name] = r.text_value(spec["notes"], (*where, "notes"))
        built[name] = _game(r, name, where, spec, specs, built, ())
    return Scenario(
        meta=meta,
        parameters=r.parameters,
        games=built,
        recommendations=recommendations,
        extra=extra,
        notes=notes,
        bindings=r.bindings,
        path=r.path,
        text=r.text,
        ordinal=frozenset(n for n in built if n in r.ordinal and n not in r.replacements),
    )


def _meta(r: _Reader, value: Any) -> ScenarioMeta:
    table = r.table(value, ("meta",))
    r.keys(table, _META_KEYS, ("meta",))
    texts = {k: r.text_value(v, ("meta", k)) for k, v in table.items()}
    return ScenarioMeta(**texts)


def _parameters(r: _Reader, value: Any) -> Parameters:
    table = r.table(value, ("parameters",))
    out: list[Parameter] = []
    for name, spec in table.items():
        where: KeyPath = ("parameters", name)
        if isinstance(spec, dict):
            r.keys(spec, _PARAM_KEYS, where)
            raw_value = r.require(spec, "value", where)
            value_ = _exact(r, raw_value, (*where, "value"))
            rng = None
            if "range" in spec:
                rv = spec["range"]
                if not isinstance(rv, list) or len(rv) != 2:
                    r.fail((*where, "range"), f"expected a pair [low, high], found {_describe(rv)}")
                rng = (
                    _exact(r, rv[0], (*where, "range", 0)),
                    _exact(r, rv[1], (*where, "range", 1)),
                )
            dist = None
            if "distribution" in spec:
                dist = _distribution(r, spec["distribution"], (*where, "distribution"))
            texts: dict[str, str] = {}
            for k in ("unit", "note", "source"):
                if k in spec:
                    texts[k] = r.text_value(spec[k], (*where, k))
            out.append(
                r.wrap(
                    where, partial(Parameter, name, value_, range=rng, distribution=dist, **texts)
                )
            )
        else:
            value_ = _exact(r, spec, where)
            out.append(r.wrap(where, partial(Parameter, name, value_)))
    return r.wrap(("parameters",), lambda: Parameters(out))


def _exact(r: _Reader, value: Any, where: KeyPath) -> Number:
    """A parameter number: a TOML number or a number written as text ("1/3")."""
    if isinstance(value, str):
        try:
            expr = parse_expression(value, ())
        except GameError as exc:
            reason = getattr(exc, "reason", str(exc))
            if "unknown parameter" in reason:
                reason = "parameters may not refer to other parameters"
            r.fail(where, f"expected a number, found {_describe(value)}: {reason}")
        return r.evaluate(expr, where)
    return r.number(value, where)


def _distribution(r: _Reader, value: Any, where: KeyPath) -> Distribution:
    table = r.table(value, where, "a table { kind = ..., ... }")
    kind = r.text_value(r.require(table, "kind", where), (*where, "kind"))
    if kind not in DISTRIBUTIONS:
        r.fail(
            (*where, "kind"), f"unknown distribution {kind!r}{_suggest(kind, list(DISTRIBUTIONS))}"
        )
    names = DISTRIBUTIONS[kind]
    r.keys(table, ("kind", *names), where)
    args = tuple(_exact(r, r.require(table, n, where), (*where, n)) for n in names)
    return r.wrap(where, partial(Distribution, kind, args))


# -- games --------------------------------------------------------------------------------------
def _game(
    r: _Reader,
    name: str,
    where: KeyPath,
    spec: dict[str, Any],
    specs: Mapping[str, tuple[KeyPath, dict[str, Any]]],
    built: dict[str, Game],
    stack: tuple[str, ...],
) -> Game:
    if name in built:
        return built[name]
    game = _read_game(r, name, where, spec, specs, built, stack)
    replacement = r.replacements.get(name)
    if replacement is None:
        return game
    if not isinstance(game, NormalFormGame | ParametricGame) or (
        game.players,
        game.strategies,
    ) != (replacement.players, replacement.strategies):
        raise GameError(
            f"parse_scenario(): games[{name!r}] must have the players and strategies of the "
            f"file's game {name!r}"
        )
    return replacement


def _ordinal_flag(r: _Reader, where: KeyPath, spec: Mapping[str, Any]) -> bool:
    """The ``ordinal`` key of a game table (``False`` when absent); it must be a boolean."""
    if "ordinal" not in spec:
        return False
    value = spec["ordinal"]
    if not isinstance(value, bool):
        r.fail(
            (*where, "ordinal"),
            f"expected true or false (payoffs are ranks only), found {_describe(value)}",
        )
    return value


def _read_game(
    r: _Reader,
    name: str,
    where: KeyPath,
    spec: dict[str, Any],
    specs: Mapping[str, tuple[KeyPath, dict[str, Any]]],
    built: dict[str, Game],
    stack: tuple[str, ...],
) -> Game:
    if "ordinal" in spec and _ordinal_flag(r, where, spec):
        form = spec.get("form")
        if "gambit" in spec or (isinstance(form, str) and form != "normal"):
            shown = "a Gambit import" if "gambit" in spec else f"form = {form!r}"
            r.fail(
                (*where, "ordinal"),
                f'ordinal = true needs a game written with form = "normal" and its ranks '
                f"as payoffs; found {shown}",
            )
    if "gambit" in spec:
        return _gambit_game(r, where, spec)
    form = r.text_value(r.require(spec, "form", where), (*where, "form"))
    title = r.text_value(spec.get("title", ""), (*where, "title"))
    if form == "normal":
        r.keys(spec, _NORMAL_KEYS, where)
        return _normal(r, name, where, spec, title)
    if form == "extensive":
        r.keys(spec, _EXTENSIVE_KEYS, where)
        return _extensive(r, name, where, spec, title)
    if form in ("repeated", "linked"):
        r.keys(spec, _REPEATED_KEYS if form == "repeated" else _LINKED_KEYS, where)

        def stage(ref: Any, at: KeyPath) -> NormalFormGame:
            return _stage(r, name, ref, at, specs, built, (*stack, name))

        if form == "repeated":
            return _repeated(r, name, where, spec, title, stage)
        return _linked(r, name, where, spec, title, stage)
    if form == "continuous":
        r.keys(spec, _CONTINUOUS_KEYS, where)
        return _continuous(r, name, where, spec, title)
    if form == "triangle":
        r.keys(spec, _TRIANGLE_KEYS, where)
        return _triangle(r, where, spec, title)
    if form == "signalling":
        r.keys(spec, _SIGNALLING_KEYS, where)
        return _signalling(r, name, where, spec, title)
    if form == "bayesian":
        r.keys(spec, _BAYESIAN_KEYS, where)
        return _bayesian(r, name, where, spec, title)
    if form == "bargaining":
        r.keys(spec, _BARGAINING_KEYS, where)
        return _bargaining(r, name, where, spec, title)
    if form in _PLANNED:
        r.fail(
            (*where, "form"),
            f"not yet supported: form = {form!r}; expected one of "
            f"{', '.join(repr(f) for f in FORMS)}",
        )
    r.fail((*where, "form"), f"unknown form {form!r}{_suggest(form, FORMS)}")


def _gambit_game(r: _Reader, where: KeyPath, spec: dict[str, Any]) -> Game:
    from .gambit import read_game

    r.keys(spec, _COMMON_KEYS, where)
    file = r.text_value(spec["gambit"], (*where, "gambit"))
    path = Path(file) if r.base is None else r.base / file
    if not path.is_file():
        r.fail(
            (*where, "gambit"),
            f"no Gambit file {str(path)!r}; expected a path relative to the scenario file",
        )
    game = read_game(path)
    if "form" in spec:
        form = r.text_value(spec["form"], (*where, "form"))
        actual = "normal" if isinstance(game, NormalFormGame) else "extensive"
        if form != actual:
            r.fail((*where, "form"), f"form {form!r} but {file!r} holds a game in {actual} form")
    if "title" in spec:
        title = r.text_value(spec["title"], (*where, "title"))
        if isinstance(game, NormalFormGame):
            game = game.with_title(title)
    return game


def _player_strategies(
    r: _Reader, where: KeyPath, spec: dict[str, Any], players: list[str]
) -> list[list[str]]:
    value = r.require(spec, "strategies", where)
    at: KeyPath = (*where, "strategies")
    if isinstance(value, list):
        if len(value) != len(players):
            r.fail(
                at,
                f"expected one list of strategies per player ({len(players)}), found {len(value)}",
            )
        return [r.labels(v, (*at, k), "strategies") for k, v in enumerate(value)]
    table = r.table(value, at, "a table { PLAYER = [strategies] }")
    r.keys(table, players, at)
    out = []
    for p in players:
        if p not in table:
            r.fail(at, f"missing strategies of player {p!r}")
        out.append(r.labels(table[p], (*at, p), "strategies"))
    return out


def _normal(
    r: _Reader, name: str, where: KeyPath, spec: dict[str, Any], title: str
) -> NormalFormGame | ParametricGame:
    players = r.labels(r.require(spec, "players", where), (*where, "players"), "players")
    strategies = _player_strategies(r, where, spec, players)
    n = len(players)
    shape = tuple(len(s) for s in strategies)
    payoffs = r.require(spec, "payoffs", where)
    at: KeyPath = (*where, "payoffs")
    cells = np.empty((*shape, n), dtype=object)
    texts: dict[tuple[int, ...], str] = {}
    uses_parameters = False
    ordinal = _ordinal_flag(r, where, spec)

    def cell(value: Any, pos: tuple[int, ...], here: KeyPath, profile: str) -> None:
        nonlocal uses_parameters
        if not isinstance(value, list):
            r.fail(
                here, f"expected a list of {n} payoffs (one per player), found {_describe(value)}"
            )
        if len(value) != n:
            r.fail(
                here,
                f"payoff count wrong: {len(value)} payoffs at {profile}, expected {n} "
                "(one per player)",
            )
        for i, v in enumerate(value):
            if ordinal:
                if isinstance(v, bool) or not isinstance(v, int):
                    r.fail(
                        (*here, i),
                        "expected an integer rank (ordinal = true: each payoff is the "
                        f"player's rank of the outcome, higher is better), found {_describe(v)}",
                    )
                cells[(*pos, i)] = Fraction(v)
                continue
            if isinstance(v, str):
                expr = r.expression(v, (*here, i))
                if expr.free_symbols:
                    uses_parameters = True
                    texts[(*pos, i)] = v
                    cells[(*pos, i)] = expr
                    continue
                cells[(*pos, i)] = r.evaluate(expr, (*here, i))
            else:
                cells[(*pos, i)] = r.number(v, (*here, i), "a payoff")

    if isinstance(payoffs, dict):
        index = [{lab: j for j, lab in enumerate(s)} for s in strategies]
        seen: dict[tuple[int, ...], str] = {}
        for key, value in payoffs.items():
            here: KeyPath = (*at, key)
            parts = [p.strip() for p in key.split(",")]
            if len(parts) != n:
                r.fail(
                    here,
                    f"profile {key!r} names {len(parts)} strategies; expected {n} "
                    f"(one per player, as 'A, B')",
                )
            pos_list = []
            for i, lab in enumerate(parts):
                if lab not in index[i]:
                    r.fail(
                        here,
                        f"unknown strategy {lab!r} of {players[i]}; expected one of "
                        + ", ".join(repr(s) for s in strategies[i]),
                    )
                pos_list.append(index[i][lab])
            pos = tuple(pos_list)
            if pos in seen:
                r.fail(here, f"duplicate profile: {key!r} and {seen[pos]!r} name the same cell")
            seen[pos] = key
            cell(value, pos, here, repr(key))
        for pos in np.ndindex(*shape):
            if pos not in seen:
                profile = ", ".join(strategies[i][j] for i, j in enumerate(pos))
                r.fail(at, f"missing payoffs for profile {profile!r}")
    elif isinstance(payoffs, list):
        _matrix(r, payoffs, at, shape, n, strategies, cell)
    else:
        r.fail(at, f"expected a table of profiles or a payoff matrix, found {_describe(payoffs)}")

    arithmetic = spec.get("arithmetic", "exact")
    if arithmetic not in ("exact", "float"):
        r.fail(
            (*where, "arithmetic"), f"expected 'exact' or 'float', found {_describe(arithmetic)}"
        )
    if ordinal:
        if arithmetic == "float":
            r.fail(
                (*where, "arithmetic"),
                "the ranks of an ordinal game are exact integers; remove "
                "'arithmetic = \"float\"' or 'ordinal = true'",
            )
        r.ordinal.add(name)
    for pos, text in texts.items():
        prof = ", ".join(strategies[i][j] for i, j in enumerate(pos[:-1]))
        r.bind(name, f"payoffs.{prof}[{pos[-1]}]", text)
    if uses_parameters:
        if arithmetic == "float":
            r.fail(
                (*where, "arithmetic"),
                "a game with parameter expressions is exact; remove 'arithmetic = \"float\"'",
            )
        return r.wrap(
            where,
            lambda: ParametricGame(
                cells, r.parameters, players=players, strategies=strategies, title=title
            ),
        )
    if arithmetic == "float":
        cells = np.vectorize(float, otypes=[np.float64])(cells)
    return r.wrap(
        where, lambda: NormalFormGame(cells, players=players, strategies=strategies, title=title)
    )


def _matrix(
    r: _Reader,
    payoffs: list[Any],
    at: KeyPath,
    shape: tuple[int, ...],
    n: int,
    strategies: list[list[str]],
    cell: Callable[[Any, tuple[int, ...], KeyPath, str], None],
) -> None:
    def walk(value: Any, pos: tuple[int, ...], here: KeyPath) -> None:
        axis = len(pos)
        if axis == len(shape):
            prof = ", ".join(strategies[i][j] for i, j in enumerate(pos))
            cell(value, pos, here, repr(prof))
            return
        if not isinstance(value, list) or len(value) != shape[axis]:
            found = len(value) if isinstance(value, list) else _describe(value)
            r.fail(
                here,
                f"payoff count wrong: axis {axis + 1} of the payoff matrix needs "
                f"{shape[axis]} entries (the strategies of player {axis + 1}), found {found}",
            )
        for k, v in enumerate(value):
            walk(v, (*pos, k), (*here, k))

    walk(payoffs, (), at)


# -- extensive form -----------------------------------------------------------------------------
def _extensive(
    r: _Reader, name: str, where: KeyPath, spec: dict[str, Any], title: str
) -> ExtensiveFormGame:
    if "file" in spec:
        if "tree" in spec:
            r.fail(where, "give either 'file' or 'tree', not both")
        from .gambit import read_efg

        file = r.text_value(spec["file"], (*where, "file"))
        path = Path(file) if r.base is None else r.base / file
        if not path.is_file():
            r.fail(
                (*where, "file"),
                f"no file {str(path)!r}; expected an .efg file relative to the scenario file",
            )
        return read_efg(path)
    players = r.labels(r.require(spec, "players", where), (*where, "players"), "players")
    named: dict[str, Any] = {}
    if "nodes" in spec:
        named = r.table(spec["nodes"], (*where, "nodes"), "a table of named subtrees")
    tree = r.require(spec, "tree", where)
    builder = _TreeReader(r, name, players, named, where)
    root = builder.node(tree, (*where, "tree"), "", (), 0)
    return r.wrap(
        (*where, "tree"), lambda: ExtensiveFormGame.build(players=players, root=root, title=title)
    )


class _TreeReader:
    def __init__(
        self, r: _Reader, game: str, players: list[str], named: dict[str, Any], where: KeyPath
    ) -> None:
        self.r = r
        self.game = game
        self.players = players
        self.named = named
        self.where = where
        self.infosets: dict[tuple[str, str], tuple[list[str], str]] = {}

    def node(self, value: Any, at: KeyPath, route: str, refs: tuple[str, ...], depth: int) -> Node:
        r = self.r
        if depth > _MAX_DEPTH:
            r.fail(at, f"the tree is deeper than {_MAX_DEPTH} levels")
        table = r.table(value, at, "a node table (player/chance + actions, or payoffs)")
        r.keys(table, _NODE_KEYS, at)
        if "ref" in table:
            extra = sorted(set(table) - {"ref"})
            if extra:
                r.fail(at, f"a node with 'ref' takes no other keys, found {extra}")
            ref = r.text_value(table["ref"], (*at, "ref"))
            if ref not in self.named:
                r.fail((*at, "ref"), f"unknown node {ref!r}{_suggest(ref, list(self.named))}")
            if ref in refs:
                cycle = " -> ".join((*refs, ref))
                r.fail((*at, "ref"), f"cycle in the tree: {cycle}; a node may not contain itself")
            return self.node(
                self.named[ref], (*self.where, "nodes", ref), route, (*refs, ref), depth + 1
            )
        infoset = None
        if "infoset" in table:
            infoset = r.text_value(table["infoset"], (*at, "infoset"))
        label = r.text_value(table.get("label", ""), (*at, "label"))
        outcome = r.text_value(table.get("outcome", ""), (*at, "outcome"))
        payoffs = None
        if "payoffs" in table:
            payoffs = self.payoffs(table["payoffs"], (*at, "payoffs"), route)
        if "player" in table and "chance" in table:
            r.fail(at, "a node has either 'player' (a decision) or 'chance', not both")
        if "player" in table:
            player = r.text_value(table["player"], (*at, "player"))
            if player not in self.players:
                r.fail(
                    (*at, "player"),
                    f"unknown player {player!r}; expected one of "
                    + ", ".join(repr(p) for p in self.players),
                )
            actions = self.actions(table, at)
            if infoset is not None:
                seen = self.infosets.setdefault((player, infoset), (list(actions), route or "/"))
                if seen[0] != list(actions):
                    r.fail(
                        (*at, "infoset"),
                        f"information set {infoset!r} of {player}: this node offers actions "
                        f"{list(actions)}, the node at {seen[1]!r} offers {seen[0]}; expected "
                        "the same actions at every node of an information set",
                    )
            kids = {
                a: self.node(v, (*at, "actions", a), f"{route}/{a}", refs, depth + 1)
                for a, v in actions.items()
            }
            return Decision(
                player, kids, infoset=infoset, label=label, payoffs=payoffs, outcome=outcome
            )
        if "chance" in table:
            probs_t = r.table(table["chance"], (*at, "chance"), "a table { ACTION = probability }")
            actions = self.actions(table, at)
            if list(probs_t) != list(actions):
                r.fail(
                    (*at, "chance"),
                    f"probabilities given for {list(probs_t)} but the "
                    f"actions are {list(actions)}; expected one probability per action, "
                    "in the same order",
                )
            probs: dict[str, Fraction] = {}
            for a, p in probs_t.items():
                here: KeyPath = (*at, "chance", a)
                x = r.number(p, here, "a probability")
                if not isinstance(x, Fraction):
                    r.fail(here, f"probability {p!r} is not exact; expected a rational number")
                if x < 0 or x > 1:
                    r.fail(here, f"probability {x} is outside [0, 1]")
                r.bind(self.game, f"chance{route}/{a}", p)
                probs[a] = x
            total = sum(probs.values(), Fraction(0))
            if total != 1:
                r.fail((*at, "chance"), f"probabilities sum to {total}; expected them to sum to 1")
            ckids = {
                a: (probs[a], self.node(v, (*at, "actions", a), f"{route}/{a}", refs, depth + 1))
                for a, v in actions.items()
            }
            return Chance(ckids, infoset=infoset, label=label, payoffs=payoffs, outcome=outcome)
        if "actions" in table:
            r.fail(at, "a node with actions needs 'player' (a decision) or 'chance'")
        if infoset is not None:
            r.fail(
                (*at, "infoset"),
                "a terminal node has no information set; expected 'player' and 'actions'",
            )
        return Terminal(payoffs, label=label, outcome=outcome)

    def actions(self, table: dict[str, Any], at: KeyPath) -> dict[str, Any]:
        acts = self.r.table(
            self.r.require(table, "actions", at), (*at, "actions"), "a table { ACTION = node }"
        )
        if not acts:
            self.r.fail((*at, "actions"), "expected at least one action")
        return acts

    def payoffs(self, value: Any, at: KeyPath, route: str) -> tuple[Number, ...]:
        r = self.r
        n = len(self.players)
        if not isinstance(value, list):
            r.fail(at, f"expected a list of {n} payoffs, found {_describe(value)}")
        if len(value) != n:
            r.fail(at, f"payoff count wrong: {len(value)} payoffs, expected {n} (one per player)")
        out = []
        for i, v in enumerate(value):
            out.append(r.number(v, (*at, i), "a payoff"))
            r.bind(self.game, f"payoffs{route}[{i}]", v)
        return tuple(out)


# -- repeated and linked ------------------------------------------------------------------------
def _stage(
    r: _Reader,
    owner: str,
    ref: Any,
    at: KeyPath,
    specs: Mapping[str, tuple[KeyPath, dict[str, Any]]],
    built: dict[str, Game],
    stack: tuple[str, ...],
) -> NormalFormGame:
    if isinstance(ref, dict):
        game: Game = _normal_inline(r, f"{owner}.{format_key_path(at[-1:])}", at, ref)
    else:
        name = r.text_value(ref, at)
        if name not in specs:
            r.fail(at, f"unknown game {name!r}{_suggest(name, list(specs))}")
        if name in stack:
            r.fail(at, f"cycle: {' -> '.join((*stack, name))}")
        where, spec = specs[name]
        game = _game(r, name, where, spec, specs, built, stack)
        built[name] = game
    if isinstance(game, ParametricGame):
        return game.default()
    if not isinstance(game, NormalFormGame):
        r.fail(at, f"the stage game must be in normal form, found {type(game).__name__}")
    return game


def _normal_inline(r: _Reader, name: str, at: KeyPath, spec: dict[str, Any]) -> Game:
    if "gambit" in spec:
        return _gambit_game(r, at, spec)
    form = spec.get("form", "normal")
    if form != "normal":
        r.fail((*at, "form"), f"an inline stage game must be in normal form, found {form!r}")
    r.keys(spec, _NORMAL_KEYS, at)
    if _ordinal_flag(r, at, spec):
        r.fail(
            (*at, "ordinal"),
            "an inline stage game cannot be ordinal; write it as its own [games.NAME] table "
            "with ordinal = true and refer to it by name",
        )
    title = r.text_value(spec.get("title", ""), (*at, "title"))
    return _normal(r, name, at, spec, title)


def _fields(
    r: _Reader, name: str, where: KeyPath, spec: dict[str, Any], keys: Sequence[str]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k in keys:
        if k in spec:
            out[k] = r.number(spec[k], (*where, k))
            r.bind(name, k, spec[k])
    return out


def _repeated(
    r: _Reader,
    name: str,
    where: KeyPath,
    spec: dict[str, Any],
    title: str,
    stage: Callable[[Any, KeyPath], NormalFormGame],
) -> RepeatedGame:
    game = stage(r.require(spec, "stage", where), (*where, "stage"))
    keys = (
        "delta",
        "detection",
        "false_alarm",
        "lapse",
        "contact_interval",
        "rate",
        "relative_gains",
    )
    values = _fields(r, name, where, spec, keys)
    for k, v in values.items():
        # Check each field on its own first, so the message points at its key.
        r.wrap((*where, k), partial(RepeatedGame, game, **{k: v}))
    prov = _provenance(r, where, spec)
    return r.wrap(where, lambda: RepeatedGame(game, title=title, provenance=prov, **values))


def _linked(
    r: _Reader,
    name: str,
    where: KeyPath,
    spec: dict[str, Any],
    title: str,
    stage: Callable[[Any, KeyPath], NormalFormGame],
) -> LinkedGame:
    refs = r.require(spec, "games", where)
    if not isinstance(refs, list) or not refs:
        r.fail(
            (*where, "games"), f"expected a non-empty list of game names, found {_describe(refs)}"
        )
    games = [stage(ref, (*where, "games", k)) for k, ref in enumerate(refs)]
    if "issues" in spec:
        issues = r.labels(spec["issues"], (*where, "issues"), "issues")
    else:
        issues = [ref if isinstance(ref, str) else f"issue {k + 1}" for k, ref in enumerate(refs)]
    if len(issues) != len(games):
        r.fail(
            (*where, "issues"),
            f"expected {len(games)} issue names (one per game), found {len(issues)}",
        )
    breakdown: list[Number] = []
    if "breakdown" in spec:
        b = spec["breakdown"]
        if not isinstance(b, list):
            b = [b] * len(games)
        if len(b) != len(games):
            r.fail(
                (*where, "breakdown"),
                f"expected {len(games)} breakdown probabilities (one per game), found {len(b)}",
            )
        for k, v in enumerate(b):
            breakdown.append(r.number(v, (*where, "breakdown", k), "a probability"))
            r.bind(name, f"breakdown[{k}]", v)
    linked = spec.get("linked", True)
    if not isinstance(linked, bool):
        r.fail((*where, "linked"), f"expected true or false, found {_describe(linked)}")
    values = _fields(r, name, where, spec, ("delta", "detection", "false_alarm"))
    prov = _provenance(r, where, spec)
    return r.wrap(
        where,
        lambda: LinkedGame(
            games,
            issues=issues,
            breakdown=breakdown,
            linked=linked,
            title=title,
            provenance=prov,
            **values,
        ),
    )


def _provenance(r: _Reader, where: KeyPath, spec: dict[str, Any]) -> tuple[str, ...]:
    value = spec.get("provenance", [])
    if not isinstance(value, list):
        r.fail((*where, "provenance"), f"expected a list of text, found {_describe(value)}")
    return tuple(r.text_value(v, (*where, "provenance", k)) for k, v in enumerate(value))


# -- continuous games and strategic triangles ---------------------------------------------------
def _vector(
    r: _Reader, name: str, spec: dict[str, Any], where: KeyPath, key: str, n: int
) -> list[Number]:
    value = r.require(spec, key, where)
    if not isinstance(value, list) or len(value) != n:
        r.fail(
            (*where, key),
            f"expected a list of {n} numbers (one per player), found {_describe(value)}",
        )
    out = []
    for i, v in enumerate(value):
        out.append(r.number(v, (*where, key, i)))
        r.bind(name, f"{key}[{i}]", v)
    return out


def _continuous(r: _Reader, name: str, where: KeyPath, spec: dict[str, Any], title: str) -> Game:
    try:
        from ..continuous import LinearResponseGame
    except ImportError:  # pragma: no cover - the module is being added alongside this one
        r.fail((*where, "form"), "not yet supported: form = 'continuous'")
    players = r.labels(r.require(spec, "players", where), (*where, "players"), "players")
    n = len(players)
    fatigue = _vector(r, name, spec, where, "fatigue", n)
    grievances = _vector(r, name, spec, where, "grievances", n)
    rows = r.require(spec, "reactions", where)
    if not isinstance(rows, list) or len(rows) != n:
        r.fail(
            (*where, "reactions"),
            f"expected an {n} x {n} matrix (one row per player), found {_describe(rows)}",
        )
    reactions: list[list[Number]] = []
    for i, row in enumerate(rows):
        at: KeyPath = (*where, "reactions", i)
        if not isinstance(row, list) or len(row) != n:
            r.fail(at, f"expected a row of {n} numbers, found {_describe(row)}")
        reactions.append([r.number(v, (*at, j)) for j, v in enumerate(row)])
        for j, v in enumerate(row):
            r.bind(name, f"reactions[{i}][{j}]", v)
    prov = _provenance(r, where, spec)
    game: Game = r.wrap(
        where,
        lambda: LinearResponseGame(
            fatigue, reactions, grievances, players=players, title=title, provenance=prov
        ),
    )
    return game


def _triangle(r: _Reader, where: KeyPath, spec: dict[str, Any], title: str) -> Game:
    try:
        from ..triangle import SignedTriangle
    except ImportError:  # pragma: no cover - the module is being added alongside this one
        r.fail((*where, "form"), "not yet supported: form = 'triangle'")
    players = r.labels(r.require(spec, "players", where), (*where, "players"), "players")
    if len(players) != 3:
        r.fail(
            (*where, "players"), f"a strategic triangle has exactly 3 players, found {len(players)}"
        )
    table = r.table(
        r.require(spec, "signs", where), (*where, "signs"), 'a table { "A, B" = 1 or -1 }'
    )
    signs: dict[tuple[str, str], int] = {}
    for key, value in table.items():
        at: KeyPath = (*where, "signs", key)
        parts = [p.strip() for p in key.split(",")]
        if len(parts) != 2 or any(p not in players for p in parts) or parts[0] == parts[1]:
            r.fail(
                at,
                f"expected a pair of two different players 'A, B' of "
                f"{', '.join(repr(p) for p in players)}",
            )
        if isinstance(value, bool) or value not in (1, -1):
            r.fail(at, f"expected +1 (amity) or -1 (enmity), found {_describe(value)}")
        signs[(parts[0], parts[1])] = int(value)
    prov = _provenance(r, where, spec)
    game: Game = r.wrap(where, lambda: SignedTriangle(players, signs, title=title, provenance=prov))
    return game


def _signalling(r: _Reader, name: str, where: KeyPath, spec: dict[str, Any], title: str) -> Game:
    """A sender–receiver game: ``types`` (prior), ``messages``, ``actions`` and a payoff table
    ``"type, message, action" = [sender, receiver]`` (numbers or expressions)."""
    from ..signalling import SignallingGame

    sender = r.text_value(spec.get("sender", "Sender"), (*where, "sender"))
    receiver = r.text_value(spec.get("receiver", "Receiver"), (*where, "receiver"))
    table = r.table(
        r.require(spec, "types", where),
        (*where, "types"),
        "a table { type = prior probability }",
    )
    if not table:
        r.fail((*where, "types"), "expected at least one type { type = prior probability }")
    prior: dict[str, Number] = {}
    for t, v in table.items():
        at: KeyPath = (*where, "types", t)
        p = r.number(v, at, "a prior probability")
        if not isinstance(p, Fraction) or not 0 <= p <= 1:
            r.fail(at, f"expected an exact probability in [0, 1], found {_describe(v)}")
        prior[t] = p
        r.bind(name, f"types.{t}", v)
    total = sum(prior.values(), Fraction(0))
    if total != 1:
        r.fail((*where, "types"), f"probabilities not summing to 1: they sum to {total}")
    messages = r.labels(r.require(spec, "messages", where), (*where, "messages"), "messages")
    actions = r.labels(r.require(spec, "actions", where), (*where, "actions"), "actions")
    pays = r.table(
        r.require(spec, "payoffs", where),
        (*where, "payoffs"),
        'a table { "type, message, action" = [sender, receiver] }',
    )
    axes = (("type", list(prior)), ("message", messages), ("action", actions))
    cells: dict[tuple[str, str, str], tuple[Number, Number]] = {}
    for key, value in pays.items():
        here: KeyPath = (*where, "payoffs", key)
        parts = [p.strip() for p in key.split(",")]
        if len(parts) != 3:
            r.fail(here, f"expected 'type, message, action', found {key!r}")
        for part, (what, labels) in zip(parts, axes, strict=True):
            if part not in labels:
                r.fail(
                    here,
                    f"unknown {what} {part!r}; expected one of "
                    + ", ".join(repr(x) for x in labels),
                )
        cell = (parts[0], parts[1], parts[2])
        if cell in cells:
            r.fail(here, f"duplicate cell {key!r}")
        if not isinstance(value, list) or len(value) != 2:
            r.fail(
                here,
                f"payoff count wrong: expected 2 payoffs [sender, receiver], found "
                f"{_describe(value)}",
            )
        cells[cell] = (
            r.number(value[0], (*here, 0), "a payoff"),
            r.number(value[1], (*here, 1), "a payoff"),
        )
        for i, v in enumerate(value):
            r.bind(name, f"payoffs.{', '.join(cell)}[{i}]", v)
    for t in prior:
        for m in messages:
            for a in actions:
                if (t, m, a) not in cells:
                    r.fail((*where, "payoffs"), f"missing payoffs for {f'{t}, {m}, {a}'!r}")
    game: Game = r.wrap(
        where,
        lambda: SignallingGame(
            types=prior,
            messages=messages,
            actions=actions,
            payoffs=lambda t, m, a: cells[(t, m, a)],
            sender=sender,
            receiver=receiver,
            title=title,
        ),
    )
    return game


def _bayesian(r: _Reader, name: str, where: KeyPath, spec: dict[str, Any], title: str) -> Game:
    """A Bayesian game: ``types`` and ``actions`` per player, a ``prior`` table
    ``"type profile" = probability`` and payoffs ``payoffs."type profile"."action profile" =
    [one per player]`` (numbers or expressions)."""
    from ..bayesian import BayesianGame

    players = r.labels(r.require(spec, "players", where), (*where, "players"), "players")
    n = len(players)
    types = _labels_per_player(r, where, spec, "types", players)
    actions = _labels_per_player(r, where, spec, "actions", players)
    arithmetic = spec.get("arithmetic", "exact")
    if arithmetic not in ("exact", "float"):
        r.fail(
            (*where, "arithmetic"), f"expected 'exact' or 'float', found {_describe(arithmetic)}"
        )

    def profile(key: str, here: KeyPath, what: str, labels: list[list[str]]) -> tuple[str, ...]:
        parts = [p.strip() for p in key.split(",")]
        if len(parts) != n:
            r.fail(
                here,
                f"{what} profile {key!r} names {len(parts)} {what}s; expected {n} "
                f"(one per player, as 'A, B')",
            )
        for i, lab in enumerate(parts):
            if lab not in labels[i]:
                r.fail(
                    here,
                    f"unknown {what} {lab!r} of {players[i]}; expected one of "
                    + ", ".join(repr(x) for x in labels[i]),
                )
        return tuple(parts)

    table = r.table(
        r.require(spec, "prior", where),
        (*where, "prior"),
        'a table { "type profile" = probability }',
    )
    prior: dict[tuple[str, ...], Fraction] = {}
    for key, v in table.items():
        at: KeyPath = (*where, "prior", key)
        tprof = profile(key, at, "type", types)
        if tprof in prior:
            r.fail(at, f"duplicate type profile {key!r}")
        p = r.number(v, at, "a prior probability")
        if not isinstance(p, Fraction) or not 0 <= p <= 1:
            r.fail(at, f"expected an exact probability in [0, 1], found {_describe(v)}")
        prior[tprof] = p
        r.bind(name, f"prior.{', '.join(tprof)}", v)
    total = sum(prior.values(), Fraction(0))
    if total != 1:
        r.fail((*where, "prior"), f"probabilities not summing to 1: they sum to {total}")
    pays = r.table(
        r.require(spec, "payoffs", where),
        (*where, "payoffs"),
        'a table { "type profile" = { "action profile" = [payoffs] } }',
    )
    ashape = tuple(len(a) for a in actions)
    payoffs: dict[tuple[str, ...], Any] = {}
    for tkey, row in pays.items():
        at = (*where, "payoffs", tkey)
        tprof = profile(tkey, at, "type", types)
        if tprof in payoffs:
            r.fail(at, f"duplicate type profile {tkey!r}")
        cells = r.table(row, at, 'a table { "action profile" = [payoffs] }')
        grid = np.empty((*ashape, n), dtype=object)
        seen: set[tuple[int, ...]] = set()
        for akey, value in cells.items():
            here: KeyPath = (*at, akey)
            aprof = profile(akey, here, "action", actions)
            pos = tuple(actions[i].index(a) for i, a in enumerate(aprof))
            if pos in seen:
                r.fail(here, f"duplicate action profile {akey!r}")
            seen.add(pos)
            if not isinstance(value, list) or len(value) != n:
                r.fail(
                    here,
                    f"payoff count wrong: expected {n} payoffs (one per player), found "
                    f"{_describe(value)}",
                )
            for i, v in enumerate(value):
                x = r.number(v, (*here, i), "a payoff")
                grid[(*pos, i)] = float(x) if arithmetic == "float" else x
                r.bind(name, f"payoffs.{', '.join(tprof)}.{', '.join(aprof)}[{i}]", v)
        for pos in np.ndindex(*ashape):
            if pos not in seen:
                missing = ", ".join(actions[i][j] for i, j in enumerate(pos))
                r.fail(at, f"missing payoffs for action profile {missing!r}")
        payoffs[tprof] = grid
    for tidx in np.ndindex(*(len(t) for t in types)):
        tprof = tuple(types[i][k] for i, k in enumerate(tidx))
        if tprof not in payoffs:
            r.fail((*where, "payoffs"), f"missing payoffs for type profile {', '.join(tprof)!r}")
    prov = _provenance(r, where, spec)
    game: Game = r.wrap(
        where,
        lambda: BayesianGame(
            players=players,
            types=types,
            actions=actions,
            prior=prior,
            payoffs=payoffs,
            title=title,
            provenance=prov,
        ),
    )
    return game


def _labels_per_player(
    r: _Reader, where: KeyPath, spec: dict[str, Any], key: str, players: list[str]
) -> list[list[str]]:
    """``key = { PLAYER = [labels] }`` (every player) as lists in the players' order."""
    at: KeyPath = (*where, key)
    table = r.table(r.require(spec, key, where), at, f"a table {{ PLAYER = [{key}] }}")
    r.keys(table, players, at)
    out = []
    for p in players:
        if p not in table:
            r.fail(at, f"missing {key} of player {p!r}")
        out.append(r.labels(table[p], (*at, p), key))
    return out


def _bargaining(r: _Reader, name: str, where: KeyPath, spec: dict[str, Any], title: str) -> Game:
    """Fearon's take-it-or-leave-it bargaining: ``p``, ``proposer_cost``,
    ``max_receiver_cost`` and an optional ``cap`` on concessions (numbers or expressions)."""
    from ..bargaining import BargainingModel

    players = r.labels(
        spec.get("players", ["Proposer", "Receiver"]), (*where, "players"), "players"
    )
    if len(players) != 2:
        r.fail(
            (*where, "players"), f"expected 2 players (proposer, receiver), found {len(players)}"
        )
    values: dict[str, Number | None] = {}
    for key in ("p", "proposer_cost", "max_receiver_cost", "cap"):
        if key == "cap" and key not in spec:
            values[key] = None
            continue
        raw = r.require(spec, key, where)
        values[key] = r.number(raw, (*where, key))
        r.bind(name, key, raw)
    prov = _provenance(r, where, spec)
    game: Game = r.wrap(
        where,
        lambda: BargainingModel(
            values["p"],
            values["proposer_cost"],
            values["max_receiver_cost"],
            values["cap"],
            players=players,
            title=title,
            provenance=prov,
        ),
    )
    return game


def _same_game(a: Any, b: Any) -> bool:
    """Games by value; signalling and Bayesian games (no ``==`` of their own) by their tables."""
    from ..bayesian import BayesianGame
    from ..signalling import SignallingGame

    if isinstance(a, BayesianGame) or isinstance(b, BayesianGame):
        if not (isinstance(a, BayesianGame) and isinstance(b, BayesianGame)):
            return False
        return _bayesian_table(a) == _bayesian_table(b)
    if isinstance(a, SignallingGame) or isinstance(b, SignallingGame):
        if not (isinstance(a, SignallingGame) and isinstance(b, SignallingGame)):
            return False
        head = (a.prior, a.messages, a.actions, a.sender, a.receiver, a.title)
        if head != (b.prior, b.messages, b.actions, b.sender, b.receiver, b.title):
            return False
        return all(
            a.payoff(t, m, x) == b.payoff(t, m, x)
            for t in a.types
            for m in a.messages
            for x in a.actions
        )
    return bool(a == b)


def _bayesian_table(g: BayesianGame) -> tuple[Any, ...]:
    return (
        g.players,
        g.types,
        g.actions,
        g.title,
        g.provenance,
        g.is_exact,
        g.prior.tolist(),
        g.payoffs.tolist(),
    )


# ---------------------------------------------------------------------------------------------
# Gambit conversion
# ---------------------------------------------------------------------------------------------
def scenario_from_game(
    game: Game, *, id: str = "", name: str = "game", title: str = "", source: str = ""
) -> Scenario:
    """Wrap a game (for instance one read from a Gambit file) into a scenario.

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> g = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], title="PD")
    >>> s = scenario_from_game(g, id="pd")
    >>> s.meta.title, parse_scenario(write_scenario(s)) == s
    ('PD', True)
    """
    params = game.parameters if isinstance(game, ParametricGame) else Parameters([])
    comment = ""
    if isinstance(game, ExtensiveFormGame):
        comment = game.comment
    elif isinstance(game, NormalFormGame):
        comment = next((p[9:] for p in game.provenance if p.startswith("comment: ")), "")
    return Scenario(
        meta=ScenarioMeta(
            id=id, title=title or getattr(game, "title", ""), source=source, notes=comment
        ),
        parameters=params,
        games={name: game},
    )


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------
def write_scenario(scenario: Scenario) -> str:
    """The scenario as TOML text that :func:`parse_scenario` reads back to an equal scenario.

    Expressions recorded in ``scenario.bindings`` are written back while they
    still evaluate to the game's values; otherwise exact numbers are written
    (as decimals when finite, else as ``"p/q"`` strings).

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> s = scenario_from_game(NormalFormGame([[[1, "1/3"]]]), id="tiny")
    >>> print(write_scenario(s))
    [meta]
    id = "tiny"
    <BLANKLINE>
    [games.game]
    form = "normal"
    players = ["Player 1", "Player 2"]
    strategies = { "Player 1" = ["1"], "Player 2" = ["1"] }
    <BLANKLINE>
    [games.game.payoffs]
    "1, 1" = [1, "1/3"]
    <BLANKLINE>
    """
    doc: dict[str, Any] = {}
    meta = {k: getattr(scenario.meta, k) for k in _META_KEYS if getattr(scenario.meta, k)}
    if meta:
        doc["meta"] = meta
    if len(scenario.parameters):
        params = {p.name: _parameter_data(p) for p in scenario.parameters.values()}
        if any(isinstance(v, dict) for v in params.values()):
            # Keep the order: bare values would be written before any section.
            params = {k: v if isinstance(v, dict) else {"value": v} for k, v in params.items()}
        doc["parameters"] = params
    games: dict[str, Any] = {}
    for name, game in scenario.games.items():
        data = _game_data(scenario, name, game)
        if name in scenario.ordinal:
            data = {"form": data.pop("form"), "ordinal": True, **data}
        if name in scenario.notes:
            data["notes"] = scenario.notes[name]
        games[name] = data
    if games:
        doc["games"] = games
    if scenario.recommendations:
        doc["recommendations"] = [dict(t.data) for t in scenario.recommendations]
    for key, value in scenario.extra.items():
        doc[key] = value
    return _dump(doc)


def _parameter_data(p: Parameter) -> Any:
    if p.range is None and p.distribution is None and not (p.unit or p.note or p.source):
        return p.value
    out: dict[str, Any] = {"value": p.value}
    if p.range is not None:
        out["range"] = list(p.range)
    if p.distribution is not None:
        dist: dict[str, Any] = {"kind": p.distribution.kind}
        dist.update(zip(DISTRIBUTIONS[p.distribution.kind], p.distribution.args, strict=True))
        out["distribution"] = dist
    for k in ("unit", "note", "source"):
        if getattr(p, k):
            out[k] = getattr(p, k)
    return out


class _Binder:
    """Writes a binding's expression when it still gives ``value``, else the number."""

    def __init__(self, scenario: Scenario, game: str) -> None:
        self.params = scenario.parameters
        self.texts = scenario.bindings.get(game, {})

    def __call__(self, key: str, value: Any) -> Any:
        text = self.texts.get(key)
        if text is not None:
            try:
                expr = parse_expression(text, self.params.names)
            except GameError:
                return value
            if not isinstance(value, Fraction | float):
                return text if expr == value else value
            r = _Reader("", None)
            r.parameters = self.params
            try:
                got = r.evaluate(expr, ())
            except FormatError:
                return value
            if type(got) is type(value) and got == value:
                return text
        return value


def _game_data(scenario: Scenario, name: str, game: Game) -> dict[str, Any]:
    bind = _Binder(scenario, name)
    if isinstance(game, NormalFormGame | ParametricGame):
        return _normal_data(game, bind)
    if isinstance(game, ExtensiveFormGame):
        return _extensive_data(game, bind)
    if isinstance(game, RepeatedGame):
        out: dict[str, Any] = {"form": "repeated"}
        if game.title:
            out["title"] = game.title
        out["stage"] = _stage_ref(scenario, game.stage)
        defaults = {"detection": 1, "false_alarm": 0, "lapse": 0, "relative_gains": 0}
        for k in (
            "delta",
            "detection",
            "false_alarm",
            "lapse",
            "contact_interval",
            "rate",
            "relative_gains",
        ):
            v = getattr(game, k)
            if v is None or (k in defaults and v == defaults[k] and k not in bind.texts):
                continue
            out[k] = bind(k, v)
        return _with_provenance(out, game.provenance)
    if isinstance(game, LinkedGame):
        out = {"form": "linked"}
        if game.title:
            out["title"] = game.title
        refs = [_stage_ref(scenario, g) for g in game.games]
        out["games"] = refs
        if list(game.issues) != [
            ref if isinstance(ref, str) else f"issue {k + 1}" for k, ref in enumerate(refs)
        ]:
            out["issues"] = list(game.issues)
        if any(b != 0 for b in game.breakdown) or any(
            k.startswith("breakdown") for k in bind.texts
        ):
            out["breakdown"] = [bind(f"breakdown[{k}]", b) for k, b in enumerate(game.breakdown)]
        if not game.linked:
            out["linked"] = False
        for k, dflt in (("delta", None), ("detection", 1), ("false_alarm", 0)):
            v = getattr(game, k)
            if v is None or (v == dflt and k not in bind.texts):
                continue
            out[k] = bind(k, v)
        return _with_provenance(out, game.provenance)
    from ..continuous import LinearResponseGame
    from ..triangle import SignedTriangle

    if isinstance(game, LinearResponseGame):
        out = {"form": "continuous"}
        if game.title:
            out["title"] = game.title
        out["players"] = list(game.players)
        out["fatigue"] = [bind(f"fatigue[{i}]", v) for i, v in enumerate(game.fatigue)]
        out["reactions"] = [
            [bind(f"reactions[{i}][{j}]", v) for j, v in enumerate(row)]
            for i, row in enumerate(game.reactions)
        ]
        out["grievances"] = [bind(f"grievances[{i}]", v) for i, v in enumerate(game.grievances)]
        return _with_provenance(out, game.provenance)
    from ..bargaining import BargainingModel
    from ..signalling import SignallingGame

    if isinstance(game, BargainingModel):
        out = {"form": "bargaining"}
        if game.title:
            out["title"] = game.title
        out["players"] = list(game.players)
        for key in ("p", "proposer_cost", "max_receiver_cost", "cap"):
            v = getattr(game, key)
            if v is not None:
                out[key] = bind(key, v)
        return _with_provenance(out, game.provenance)
    if isinstance(game, SignallingGame):
        out = {"form": "signalling"}
        if game.title:
            out["title"] = game.title
        out["sender"] = game.sender
        out["receiver"] = game.receiver
        out["types"] = {t: bind(f"types.{t}", p) for t, p in game.prior.items()}
        out["messages"] = list(game.messages)
        out["actions"] = list(game.actions)
        out["payoffs"] = {
            f"{t}, {m}, {a}": [
                bind(f"payoffs.{t}, {m}, {a}[{i}]", v) for i, v in enumerate(game.payoff(t, m, a))
            ]
            for t in game.types
            for m in game.messages
            for a in game.actions
        }
        return out
    from ..bayesian import BayesianGame

    if isinstance(game, BayesianGame):
        return _bayesian_data(game, bind)
    if isinstance(game, SignedTriangle):
        out = {"form": "triangle"}
        if game.title:
            out["title"] = game.title
        out["players"] = list(game.players)
        out["signs"] = {f"{a}, {b}": v for (a, b), v in game.signs.items()}
        return _with_provenance(out, game.provenance)
    raise GameError(f"write_scenario(): cannot write a {type(game).__name__}")


def _bayesian_data(game: BayesianGame, bind: _Binder) -> dict[str, Any]:
    if any("," in x for labels in (*game.types, *game.actions) for x in labels):
        raise GameError("write_scenario(): type and action labels may not contain commas")
    out: dict[str, Any] = {"form": "bayesian"}
    if game.title:
        out["title"] = game.title
    out["players"] = list(game.players)
    out["types"] = {p: list(t) for p, t in zip(game.players, game.types, strict=True)}
    out["actions"] = {p: list(a) for p, a in zip(game.players, game.actions, strict=True)}
    if not game.is_exact:
        out["arithmetic"] = "float"
    tprofs = [(", ".join(t), t) for t in itertools.product(*game.types)]
    aprofs = [(", ".join(a), a) for a in itertools.product(*game.actions)]
    out["prior"] = {
        key: bind(f"prior.{key}", p)
        for (key, _), p in zip(tprofs, game.prior.ravel().tolist(), strict=True)
    }
    out["payoffs"] = {
        key: {
            akey: [
                bind(f"payoffs.{key}.{akey}[{i}]", v)
                for i, v in enumerate(game.payoff(tprof, aprof))
            ]
            for akey, aprof in aprofs
        }
        for key, tprof in tprofs
    }
    return _with_provenance(out, game.provenance)


def _with_provenance(out: dict[str, Any], provenance: Sequence[str]) -> dict[str, Any]:
    if provenance:
        out["provenance"] = list(provenance)
    return out


def _stage_ref(scenario: Scenario, stage: NormalFormGame) -> Any:
    for name, g in scenario.games.items():
        if isinstance(g, NormalFormGame) and g == stage:
            return name
        if isinstance(g, ParametricGame) and g.default() == stage:
            return name
    return _normal_data(stage, _Binder(scenario, ""))


def _normal_data(game: NormalFormGame | ParametricGame, bind: _Binder) -> dict[str, Any]:
    out: dict[str, Any] = {"form": "normal"}
    if game.title:
        out["title"] = game.title
    out["players"] = list(game.players)
    out["strategies"] = {p: list(s) for p, s in zip(game.players, game.strategies, strict=True)}
    if isinstance(game, NormalFormGame) and not game.is_exact:
        out["arithmetic"] = "float"
    payoffs: dict[str, Any] = {}
    for prof in game.profiles():
        key = ", ".join(prof)
        values = game.payoff(prof)
        row = []
        for i, v in enumerate(values):
            if isinstance(game, ParametricGame):
                row.append(_expression_data(v, bind(f"payoffs.{key}[{i}]", v)))
            else:
                row.append(v)
        payoffs[key] = row
    if any("," in s for ss in game.strategies for s in ss):
        # Labels with commas cannot be keys "A, B": write the matrix instead.
        out["payoffs"] = _nested([payoffs[", ".join(p)] for p in game.profiles()], game.shape)
    else:
        out["payoffs"] = payoffs
    return out


def _nested(cells: list[Any], shape: tuple[int, ...]) -> list[Any]:
    if len(shape) == 1:
        return cells
    step = len(cells) // shape[0]
    return [_nested(cells[k * step : (k + 1) * step], shape[1:]) for k in range(shape[0])]


def _expression_data(value: Any, bound: Any) -> Any:
    import sympy

    from ..parameters import format_expression

    if isinstance(bound, str):
        return bound
    if isinstance(value, sympy.Rational):
        return Fraction(int(value.p), int(value.q))
    return format_expression(value)


def _extensive_data(game: ExtensiveFormGame, bind: _Binder) -> dict[str, Any]:
    out: dict[str, Any] = {"form": "extensive"}
    if game.title:
        out["title"] = game.title
    out["players"] = list(game.players)
    # Information sets that had no label and hold one node get their label generated again
    # on reading, so it is left out (Gambit files then write back as they were).
    unnamed = {
        (h.player, h.label) for h in game.all_infosets if not h.file_label and len(h.members) == 1
    }
    out["tree"] = _node_data(game.to_tree(), "", bind, game.players, unnamed)
    return out


def _node_data(
    node: Node,
    route: str,
    bind: _Binder,
    players: Sequence[str],
    unnamed: set[tuple[int, str]],
) -> dict[str, Any]:
    # Recursive: scenario trees are small and the reader caps their depth.
    out: dict[str, Any] = {}
    if isinstance(node, Decision):
        out["player"] = node.player
        key = (players.index(node.player), node.infoset or "")
    else:
        key = (-1, node.infoset or "") if isinstance(node, Chance) else (0, "")
    if not isinstance(node, Terminal) and node.infoset and key not in unnamed:
        out["infoset"] = node.infoset
    if node.label:
        out["label"] = node.label
    if node.payoffs is not None:
        out["payoffs"] = [bind(f"payoffs{route}[{i}]", v) for i, v in enumerate(node.payoffs)]
    if node.outcome:
        out["outcome"] = node.outcome
    if isinstance(node, Chance):
        out["chance"] = {a: bind(f"chance{route}/{a}", p) for a, (p, _) in node.actions.items()}
        out["actions"] = {
            a: _node_data(kid, f"{route}/{a}", bind, players, unnamed)
            for a, (_, kid) in node.actions.items()
        }
    elif isinstance(node, Decision):
        out["actions"] = {
            a: _node_data(kid, f"{route}/{a}", bind, players, unnamed)
            for a, kid in node.actions.items()
        }
    return out


# -- a small TOML writer ------------------------------------------------------------------------
def _toml_string(text: str) -> str:
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _toml_string(key)


def _toml_number(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        text = str(value)
        return text if any(c in text for c in ".eE") else text + ".0"
    if isinstance(value, float):
        text = repr(value)
        return text if any(c in text for c in ".eE") else text + ".0"
    frac = Fraction(value)
    if frac.denominator == 1:
        return str(frac.numerator)
    d = frac.denominator
    twos = fives = 0
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    if d != 1:
        return _toml_string(f"{frac.numerator}/{frac.denominator}")
    digits = max(twos, fives)
    scaled = abs(frac.numerator) * 10**digits // frac.denominator
    whole, part = divmod(scaled, 10**digits)
    sign = "-" if frac < 0 else ""
    return f"{sign}{whole}.{str(part).rjust(digits, '0')}"


def _inline(value: Any) -> str:
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, bool | int | float | Decimal | Fraction):
        return _toml_number(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_toml_key(k)} = {_inline(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    raise GameError(f"write_scenario(): cannot write {type(value).__name__} values")


# Flat tables (a parameter with its note) stay on one line however long; nested ones (a subtree)
# are inlined only while short, so written trees stay readable.
_FLAT_WIDTH = 400
_NESTED_WIDTH = 100


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


_ALWAYS_SECTION = ("payoffs", "tree")


def _needs_section(value: Any, key: str = "") -> bool:
    if not isinstance(value, Mapping):
        return False
    if key in _ALWAYS_SECTION and value:
        return True
    if any(k in _ALWAYS_SECTION and isinstance(v, Mapping) and v for k, v in value.items()):
        return True
    if any(
        (isinstance(v, Mapping) and _needs_section(v)) or _is_table_array(v) for v in value.values()
    ):
        return True
    width = _FLAT_WIDTH if _depth(value) <= 2 else _NESTED_WIDTH
    return len(_inline(value)) > width


def _depth(value: Any) -> int:
    if isinstance(value, Mapping):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list | tuple):
        return max((_depth(v) for v in value), default=0)
    return 0


def _dump(doc: Mapping[str, Any]) -> str:
    lines: list[str] = []
    for key, value in doc.items():
        if _is_table_array(value):
            for item in value:
                _section(lines, (key,), item, array=True)
        elif isinstance(value, Mapping):
            _section(lines, (key,), value, array=False)
        else:
            lines.append(f"{_toml_key(key)} = {_inline(value)}")
    return "\n".join(lines).lstrip("\n") + "\n"


def _section(
    lines: list[str], path: tuple[str, ...], table: Mapping[str, Any], *, array: bool
) -> None:
    header = ".".join(_toml_key(k) for k in path)
    body: list[str] = []
    subs: list[tuple[str, Any]] = []
    # When one child table needs a section of its own, all its sibling tables get one too, so
    # the order of keys (actions in a tree) survives: inline keys must precede sections.
    sectioned = any(isinstance(v, Mapping) and _needs_section(v) for v in table.values())
    for k, v in table.items():
        if _is_table_array(v) or (isinstance(v, Mapping) and (sectioned or _needs_section(v, k))):
            subs.append((k, v))
        else:
            body.append(f"{_toml_key(k)} = {_inline(v)}")
    if body or array or not subs:
        lines.append("")
        lines.append(f"[[{header}]]" if array else f"[{header}]")
        lines.extend(body)
    for k, v in subs:
        if _is_table_array(v):
            for item in v:
                _section(lines, (*path, k), item, array=True)
        else:
            _section(lines, (*path, k), v, array=False)
