"""Named parameters and a safe parser for payoff expressions.

A *parameter* is a named number a modeller may change: a payoff, a probability,
a discount factor, a cost. Each has a default ``value`` (exact when given as an
integer, a ``Fraction`` or a decimal string), an optional plausible ``range``,
an optional ``distribution`` for robustness analysis, a ``unit`` and a
``note``/``source`` saying where the number comes from.

Payoffs may be *expressions* of parameters, such as ``"R_D - fine"``. They are
read by :func:`parse_expression`, a hand-written tokenizer and recursive-descent
parser that understands only numbers, parameter names, ``+ - * / ^`` (and
``**``), parentheses and the functions ``exp, log, sqrt, min, max, abs``. It
builds a sympy expression directly: text is never passed to ``eval``,
``sympify`` or ``parse_expr``.

Examples
--------
>>> ps = Parameters([Parameter("T_D", 5, range=(3, 8), note="capability gain"),
...                  Parameter("R_D", "3")])
>>> ps.defaults()
{'T_D': Fraction(5, 1), 'R_D': Fraction(3, 1)}
>>> parse_expression("T_D - 0.1 * R_D^2", ps.names)
-R_D**2/10 + T_D
>>> parse_expression("T_D - R_X", ps.names)
Traceback (most recent call last):
...
equishift.games.parameters.ExpressionError: expression 'T_D - R_X': unknown parameter 'R_X' at \
column 7; expected one of 'R_D', 'T_D' or a function exp, log, sqrt, min, max, abs
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .errors import GameError
from .numbers import Number, format_number, to_number

if TYPE_CHECKING:  # pragma: no cover - typing only
    import sympy

__all__ = [
    "DISTRIBUTIONS",
    "FUNCTIONS",
    "Distribution",
    "ExpressionError",
    "Parameter",
    "Parameters",
    "UnknownParameterError",
    "format_expression",
    "parse_expression",
    "symbol",
]

FUNCTIONS: tuple[str, ...] = ("exp", "log", "sqrt", "min", "max", "abs")
"""Function names :func:`parse_expression` accepts (and parameter names may not use)."""

DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
    "normal": ("mean", "sd"),
}
"""Distribution kinds and the names of their arguments, in order."""

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_MAX_DEPTH = 100
_MAX_POWER_BITS = 100_000
_MAX_EXPONENT_DIGITS = 4


class ExpressionError(GameError):
    """An expression could not be parsed: names the expression, the column and the expectation.

    Attributes
    ----------
    expression
        The text that was parsed.
    column
        1-based column of the problem (``None`` for problems of the whole expression).
    reason
        What is wrong, without the location.

    Examples
    --------
    >>> parse_expression("(1 + 2", [])
    Traceback (most recent call last):
    ...
    equishift.games.parameters.ExpressionError: expression '(1 + 2': expected ')' at column 7 ...
    """

    def __init__(self, expression: str, reason: str, column: int | None = None) -> None:
        self.expression = expression
        self.reason = reason
        self.column = column
        super().__init__(f"expression {expression!r}: {reason}")


class UnknownParameterError(GameError, KeyError):
    """A parameter name that is not defined (a ``GameError`` and a ``KeyError``)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def symbol(name: str) -> sympy.Symbol:
    """The sympy symbol standing for parameter ``name`` (real-valued).

    Every part of equishift builds parameter symbols through this function, so
    expressions from different places compare equal.

    >>> symbol("R_D"), symbol("R_D").is_real
    (R_D, True)
    """
    import sympy

    return sympy.Symbol(name, real=True)


def _check_name(name: Any) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise GameError(
            f"parameter name {name!r} is not valid; expected an identifier such as 'T_D' "
            "(letters, digits and '_', not starting with a digit)"
        )
    if name in FUNCTIONS or keyword.iskeyword(name):
        raise GameError(f"parameter name {name!r} is reserved; choose another name")
    return name


@dataclass(frozen=True)
class Distribution:
    """A simple distribution of a parameter's value, for robustness analysis.

    Parameters
    ----------
    kind
        ``"uniform"`` (low, high), ``"triangular"`` (low, mode, high) or
        ``"normal"`` (mean, sd).
    args
        The arguments in that order (exact when given exactly).

    Examples
    --------
    >>> Distribution("triangular", (2, 3, "4.5"))
    Distribution(kind='triangular', args=(Fraction(2, 1), Fraction(3, 1), Fraction(9, 2)))
    >>> Distribution("normal", (0, -1))
    Traceback (most recent call last):
    ...
    equishift.games.errors.GameError: normal distribution needs sd > 0, got -1
    """

    kind: str
    args: tuple[Number, ...]

    def __post_init__(self) -> None:
        if self.kind not in DISTRIBUTIONS:
            raise GameError(
                f"unknown distribution {self.kind!r}; expected one of {', '.join(DISTRIBUTIONS)}"
            )
        names = DISTRIBUTIONS[self.kind]
        if isinstance(self.args, str) or not isinstance(self.args, Iterable):
            raise GameError(f"{self.kind} distribution arguments must be a sequence {names}")
        args = tuple(
            to_number(a, what=f"{self.kind} distribution argument") for a in list(self.args)
        )
        if len(args) != len(names):
            raise GameError(
                f"{self.kind} distribution takes {len(names)} arguments ({', '.join(names)}), "
                f"got {len(args)}"
            )
        object.__setattr__(self, "args", args)
        if self.kind == "uniform" and not args[0] < args[1]:
            raise GameError(f"uniform distribution needs low < high, got {self._show()}")
        if self.kind == "triangular" and not (args[0] <= args[1] <= args[2] and args[0] < args[2]):
            raise GameError(
                f"triangular distribution needs low <= mode <= high and low < high, "
                f"got {self._show()}"
            )
        if self.kind == "normal" and not args[1] > 0:
            raise GameError(f"normal distribution needs sd > 0, got {format_number(args[1])}")

    def _show(self) -> str:
        return ", ".join(format_number(a) for a in self.args)

    @property
    def support(self) -> tuple[Number, Number] | None:
        """``(low, high)`` for bounded kinds, ``None`` for the normal distribution."""
        if self.kind == "normal":
            return None
        return (self.args[0], self.args[-1])

    def __str__(self) -> str:
        return f"{self.kind}({self._show()})"


@dataclass(frozen=True)
class Parameter:
    """A named number in a model, with its default, plausible range and source.

    Parameters
    ----------
    name
        An identifier (``"T_D"``); not a function name such as ``exp``.
    value
        The default value: exact (``Fraction``) for ints, fractions and decimal
        strings, a ``float`` for floats.
    range
        Optional ``(low, high)``; the value must lie inside it.
    distribution
        Optional :class:`Distribution`, or a tuple ``("uniform", low, high)``;
        a bounded distribution must lie inside ``range``.
    unit, note, source
        Free text for reports: the unit, a one-line justification, a citation.

    Raises
    ------
    GameError
        For an invalid name, a value outside its range, or an invalid distribution.

    Examples
    --------
    >>> p = Parameter("delta", "0.9", range=(0, 1), distribution=("uniform", "0.8", 1),
    ...               unit="per round", source="Friedman 1971")
    >>> p.value, p.range, str(p.distribution)
    (Fraction(9, 10), (Fraction(0, 1), Fraction(1, 1)), 'uniform(4/5, 1)')
    >>> Parameter("delta", 2, range=(0, 1))
    Traceback (most recent call last):
    ...
    equishift.games.errors.GameError: parameter 'delta' has value 2 outside its range [0, 1]
    """

    name: str
    value: Number
    range: tuple[Number, Number] | None = None
    distribution: Distribution | None = None
    unit: str = ""
    note: str = ""
    source: str = ""

    def __post_init__(self) -> None:
        name = _check_name(self.name)
        value = to_number(self.value, what=f"value of parameter {name!r}")
        object.__setattr__(self, "value", value)
        rng = self.range
        if rng is not None:
            if isinstance(rng, str) or not isinstance(rng, Iterable) or len(list(rng)) != 2:
                raise GameError(f"range of parameter {name!r} must be a pair (low, high)")
            low, high = (to_number(v, what=f"range of parameter {name!r}") for v in rng)
            if low > high:
                raise GameError(
                    f"range of parameter {name!r} is [{format_number(low)}, "
                    f"{format_number(high)}]; expected low <= high"
                )
            if not low <= value <= high:
                raise GameError(
                    f"parameter {name!r} has value {format_number(value)} outside its range "
                    f"[{format_number(low)}, {format_number(high)}]"
                )
            object.__setattr__(self, "range", (low, high))
        dist = self.distribution
        if dist is not None and not isinstance(dist, Distribution):
            if isinstance(dist, str) or not isinstance(dist, Iterable):
                raise GameError(
                    f"distribution of parameter {name!r} must be a Distribution or a tuple "
                    "such as ('uniform', low, high)"
                )
            kind, *args = list(dist)
            dist = Distribution(str(kind), tuple(args))
            object.__setattr__(self, "distribution", dist)
        if dist is not None and self.range is not None and dist.support is not None:
            low, high = self.range
            if not (low <= dist.support[0] and dist.support[1] <= high):
                raise GameError(
                    f"distribution {dist} of parameter {name!r} reaches outside its range "
                    f"[{format_number(low)}, {format_number(high)}]"
                )
        for attr in ("unit", "note", "source"):
            if not isinstance(getattr(self, attr), str):
                raise GameError(f"{attr} of parameter {name!r} must be text")

    @property
    def is_exact(self) -> bool:
        """True when the default value is a ``Fraction``."""
        return isinstance(self.value, Fraction)

    @property
    def symbol(self) -> sympy.Symbol:
        """The sympy symbol of this parameter (see :func:`symbol`)."""
        return symbol(self.name)

    def with_value(self, value: Any) -> Parameter:
        """A copy with another default value (checked against the range).

        >>> Parameter("x", 1, range=(0, 2)).with_value("1.5").value
        Fraction(3, 2)
        """
        return Parameter(
            self.name,
            value,
            range=self.range,
            distribution=self.distribution,
            unit=self.unit,
            note=self.note,
            source=self.source,
        )

    def describe(self) -> str:
        """One line for people: ``T_D = 5 [3, 8] (note)``."""
        out = f"{self.name} = {format_number(self.value)}"
        if self.unit:
            out += f" {self.unit}"
        if self.range is not None:
            out += f" [{format_number(self.range[0])}, {format_number(self.range[1])}]"
        if self.distribution is not None:
            out += f" ~ {self.distribution}"
        extra = "; ".join(t for t in (self.note, self.source) if t)
        if extra:
            out += f" ({extra})"
        return out


class Parameters(Mapping[str, Parameter]):
    """An immutable, ordered collection of :class:`Parameter` objects keyed by name.

    Parameters
    ----------
    parameters
        :class:`Parameter` objects, or a mapping ``{name: value}`` /
        ``{name: {"value": ..., "range": ..., ...}}`` / ``{name: Parameter}``.

    Raises
    ------
    GameError
        For duplicate names or invalid parameters.

    Examples
    --------
    >>> ps = Parameters({"R": 3, "T": {"value": 4, "range": [3, 6], "note": "temptation"}})
    >>> list(ps), ps["T"].range
    (['R', 'T'], (Fraction(3, 1), Fraction(6, 1)))
    >>> ps.with_values(T=5).defaults()
    {'R': Fraction(3, 1), 'T': Fraction(5, 1)}
    >>> ps.parameter("X")
    Traceback (most recent call last):
    ...
    equishift.games.parameters.UnknownParameterError: unknown parameter 'X'; expected one of ...
    """

    __slots__ = ("_items",)
    _items: dict[str, Parameter]

    def __init__(self, parameters: Iterable[Parameter] | Mapping[str, Any] = ()) -> None:
        items: dict[str, Parameter] = {}
        if isinstance(parameters, Parameters):
            items = dict(parameters._items)
        elif isinstance(parameters, Mapping):
            for name, spec in parameters.items():
                p = _parameter_from_spec(name, spec)
                if p.name in items:
                    raise GameError(f"duplicate parameter {p.name!r}")
                items[p.name] = p
        else:
            for p in parameters:
                if not isinstance(p, Parameter):
                    raise GameError(f"expected a Parameter, got {type(p).__name__}")
                if p.name in items:
                    raise GameError(f"duplicate parameter {p.name!r}")
                items[p.name] = p
        self._items = items

    def __getitem__(self, name: str) -> Parameter:
        try:
            return self._items[name]
        except KeyError:
            raise self._unknown(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Parameters):
            return NotImplemented
        return list(self._items.items()) == list(other._items.items())

    def __hash__(self) -> int:
        return hash(tuple(self._items.items()))

    def __repr__(self) -> str:
        inner = ", ".join(f"{n}={format_number(p.value)}" for n, p in self._items.items())
        return f"Parameters({inner})"

    def _unknown(self, name: str) -> UnknownParameterError:
        known = ", ".join(repr(n) for n in self._items) or "(no parameters)"
        return UnknownParameterError(f"unknown parameter {name!r}; expected one of {known}")

    @property
    def names(self) -> tuple[str, ...]:
        """Parameter names, in order."""
        return tuple(self._items)

    def parameter(self, name: str) -> Parameter:
        """The parameter called ``name``; an :class:`UnknownParameterError` names the known ones."""
        return self[name]

    def defaults(self) -> dict[str, Number]:
        """``{name: default value}``, in order."""
        return {n: p.value for n, p in self._items.items()}

    def symbols(self) -> dict[str, sympy.Symbol]:
        """``{name: sympy symbol}``, in order."""
        return {n: symbol(n) for n in self._items}

    def resolve(self, values: Mapping[str, Any] | None = None) -> dict[str, Number]:
        """Defaults overridden by ``values``; unknown names raise, values are not range-checked.

        Ranges describe what is plausible, not what is allowed, so a threshold
        search may step outside them.

        >>> Parameters({"a": 1, "b": 2}).resolve({"b": "0.5"})
        {'a': Fraction(1, 1), 'b': Fraction(1, 2)}
        """
        out = self.defaults()
        for name, v in (values or {}).items():
            if name not in self._items:
                raise self._unknown(name)
            out[name] = to_number(v, what=f"value of parameter {name!r}")
        return out

    def with_values(self, **values: Any) -> Parameters:
        """A new collection with other default values (range-checked)."""
        for name in values:
            if name not in self._items:
                raise self._unknown(name)
        return Parameters(
            [p.with_value(values[n]) if n in values else p for n, p in self._items.items()]
        )

    def merged(self, other: Iterable[Parameter]) -> Parameters:
        """A new collection with ``other``'s parameters added (a name clash raises)."""
        return Parameters([*self._items.values(), *other])

    def describe(self) -> str:
        """One line per parameter."""
        return "\n".join(p.describe() for p in self._items.values())


def _parameter_from_spec(name: Any, spec: Any) -> Parameter:
    if isinstance(spec, Parameter):
        if spec.name != name:
            raise GameError(f"parameter stored under {name!r} is named {spec.name!r}")
        return spec
    if isinstance(spec, Mapping):
        allowed = {"value", "range", "distribution", "unit", "note", "source"}
        unknown = sorted(set(spec) - allowed)
        if unknown:
            raise GameError(
                f"parameter {name!r} has unknown field(s) {unknown}; expected {sorted(allowed)}"
            )
        if "value" not in spec:
            raise GameError(f"parameter {name!r} has no value")
        rng = spec.get("range")
        return Parameter(
            name,
            spec["value"],
            range=None if rng is None else tuple(rng),
            distribution=spec.get("distribution"),
            unit=spec.get("unit", ""),
            note=spec.get("note", ""),
            source=spec.get("source", ""),
        )
    return Parameter(name, spec)


# -- the expression parser ------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<number>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\*\*|[-+*/^(),\u2212\u00d7\u00f7\u00b7])
    """,
    re.VERBOSE,
)
_OP_ALIASES = {"\u2212": "-", "\u00d7": "*", "\u00b7": "*", "\u00f7": "/", "**": "^"}


@dataclass(frozen=True)
class _Token:
    kind: str  # "number", "name", "op", "end"
    text: str
    column: int  # 1-based


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise ExpressionError(
                text,
                f"unexpected character {text[pos]!r} at column {pos + 1}; expected a number, "
                "a parameter name, an operator (+ - * / ^) or a parenthesis",
                pos + 1,
            )
        kind = m.lastgroup or ""
        if kind != "ws":
            tok = m.group()
            if kind == "op":
                tok = _OP_ALIASES.get(tok, tok)
            tokens.append(_Token(kind, tok, pos + 1))
        pos = m.end()
    tokens.append(_Token("end", "", len(text) + 1))
    return tokens


class _Parser:
    """Recursive descent over the grammar::

    expr   := term (("+" | "-") term)*
    term   := unary (("*" | "/") unary)*
    unary  := ("-" | "+") unary | power
    power  := atom ("^" unary)?          (right-associative; -2^2 is -(2^2))
    atom   := number | name | function "(" expr ("," expr)* ")" | "(" expr ")"
    """

    def __init__(self, text: str, names: Iterable[str]) -> None:
        import sympy

        self.sp = sympy
        self.text = text
        self.names = tuple(dict.fromkeys(names))
        self.known = set(self.names)
        self.tokens = _tokenize(text)
        self.pos = 0
        self.depth = 0

    # helpers
    def peek(self) -> _Token:
        return self.tokens[self.pos]

    def take(self) -> _Token:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def fail(self, reason: str, tok: _Token) -> ExpressionError:
        return ExpressionError(self.text, reason, tok.column)

    def found(self, tok: _Token) -> str:
        return "the end of the expression" if tok.kind == "end" else repr(tok.text)

    def expect(self, op: str, what: str) -> _Token:
        tok = self.peek()
        if tok.kind == "op" and tok.text == op:
            return self.take()
        raise self.fail(
            f"expected {op!r} at column {tok.column} {what}, found {self.found(tok)}", tok
        )

    def enter(self, tok: _Token) -> None:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise self.fail(
                f"expression nested too deeply at column {tok.column}; "
                f"expected at most {_MAX_DEPTH} levels",
                tok,
            )

    # grammar
    def parse(self) -> Any:
        first = self.peek()
        if first.kind == "end":
            raise self.fail("empty expression; expected a number or a parameter name", first)
        value = self.expr()
        tok = self.peek()
        if tok.kind != "end":
            raise self.fail(
                f"unexpected {self.found(tok)} at column {tok.column}; expected an operator "
                "(+ - * / ^) or the end of the expression",
                tok,
            )
        return value

    def expr(self) -> Any:
        value = self.term()
        while self.peek().kind == "op" and self.peek().text in "+-":
            op = self.take()
            rhs = self.term()
            value = value + rhs if op.text == "+" else value - rhs
        return value

    def term(self) -> Any:
        value = self.unary()
        while self.peek().kind == "op" and self.peek().text in "*/":
            op = self.take()
            rhs_tok = self.peek()
            rhs = self.unary()
            self.check_defined(value, op)
            self.check_defined(rhs, rhs_tok)
            if op.text == "*":
                value = value * rhs
            else:
                if rhs.is_zero is True:
                    raise self.fail(f"division by zero at column {rhs_tok.column}", rhs_tok)
                value = value / rhs
        return value

    def unary(self) -> Any:
        tok = self.peek()
        if tok.kind == "op" and tok.text in "+-":
            self.take()
            self.enter(tok)
            operand = self.unary()
            self.depth -= 1
            return -operand if tok.text == "-" else operand
        return self.power()

    def power(self) -> Any:
        base = self.atom()
        tok = self.peek()
        if tok.kind == "op" and tok.text == "^":
            self.take()
            self.enter(tok)
            exponent = self.unary()
            self.depth -= 1
            self.check_defined(base, tok)
            self.check_defined(exponent, tok)
            self.check_power(base, exponent, tok)
            if base.is_zero is True and exponent.is_negative is True:
                raise self.fail(
                    f"division by zero (0 to a negative power) at column {tok.column}", tok
                )
            return base**exponent
        return base

    def check_defined(self, value: Any, tok: _Token) -> None:
        sp = self.sp
        if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            raise self.fail(f"the value at column {tok.column} is undefined or infinite", tok)
        if value.is_real is False or value.has(sp.I):
            raise self.fail(f"the value at column {tok.column} is not a real number", tok)

    def check_power(self, base: Any, exponent: Any, tok: _Token) -> None:
        sp = self.sp
        if isinstance(base, sp.Rational) and isinstance(exponent, sp.Rational):
            if base in (0, 1, -1):
                return
            bits = max(int(base.p).bit_length(), int(base.q).bit_length())
            if bits * abs(int(exponent.p)) > _MAX_POWER_BITS:
                raise self.fail(
                    f"power at column {tok.column} is too large to compute exactly; "
                    "expected a smaller exponent",
                    tok,
                )

    def atom(self) -> Any:
        sp = self.sp
        tok = self.take()
        if tok.kind == "number":
            return self.number(tok)
        if tok.kind == "name":
            if tok.text in FUNCTIONS:
                return self.call(tok)
            if tok.text not in self.known:
                nxt = self.peek()
                if nxt.kind == "op" and nxt.text == "(":
                    raise self.fail(
                        f"unknown function {tok.text!r} at column {tok.column}; expected one "
                        f"of {', '.join(FUNCTIONS)}",
                        tok,
                    )
                known = ", ".join(repr(n) for n in sorted(self.names))
                choices = f"one of {known} or " if known else ""
                raise self.fail(
                    f"unknown parameter {tok.text!r} at column {tok.column}; expected "
                    f"{choices}a function {', '.join(FUNCTIONS)}",
                    tok,
                )
            return sp.Symbol(tok.text, real=True)
        if tok.kind == "op" and tok.text == "(":
            self.enter(tok)
            value = self.expr()
            self.expect(")", f"to close the '(' at column {tok.column}")
            self.depth -= 1
            return value
        raise self.fail(
            f"unexpected {self.found(tok)} at column {tok.column}; expected a number, "
            "a parameter name, a function or '('",
            tok,
        )

    def number(self, tok: _Token) -> Any:
        text = tok.text
        exp = text.lower().partition("e")[2]
        if exp and len(exp.lstrip("+-").lstrip("0")) > _MAX_EXPONENT_DIGITS - 1:
            raise self.fail(
                f"number {text!r} at column {tok.column} has too large an exponent; "
                f"expected at most {10 ** (_MAX_EXPONENT_DIGITS - 1) - 1}",
                tok,
            )
        try:
            frac = Fraction(Decimal(text))
        except InvalidOperation:  # pragma: no cover - the tokenizer only passes valid numbers
            raise self.fail(f"{text!r} at column {tok.column} is not a number", tok) from None
        return self.sp.Rational(frac.numerator, frac.denominator)

    def call(self, tok: _Token) -> Any:
        sp = self.sp
        name = tok.text
        self.expect("(", f"after the function {name!r}")
        self.enter(tok)
        args = [self.expr()]
        while self.peek().kind == "op" and self.peek().text == ",":
            self.take()
            args.append(self.expr())
        self.expect(")", f"to close the call of {name!r} at column {tok.column}")
        self.depth -= 1
        for arg in args:
            self.check_defined(arg, tok)
        if name in ("min", "max"):
            try:
                return (sp.Min if name == "min" else sp.Max)(*args)
            except (TypeError, ValueError):  # pragma: no cover - arguments are real by now
                raise self.fail(
                    f"cannot compare the arguments of {name!r} at column {tok.column}", tok
                ) from None
        if len(args) != 1:
            raise self.fail(
                f"function {name!r} at column {tok.column} takes 1 argument, got {len(args)}", tok
            )
        (arg,) = args
        if name == "log" and arg.is_zero is True:
            raise self.fail(f"log(0) at column {tok.column} is undefined", tok)
        func = {"exp": sp.exp, "log": sp.log, "sqrt": sp.sqrt, "abs": sp.Abs}[name]
        return func(arg)


def parse_expression(text: str, names: Iterable[str] = ()) -> sympy.Expr:
    """Parse ``text`` into a sympy expression of the parameters ``names``, safely.

    Parameters
    ----------
    text
        Numbers (``3``, ``0.1``, ``2.5e-3``; read exactly as rationals), the
        names in ``names``, ``+ - * /``, ``^`` or ``**`` (right-associative),
        unary minus, parentheses, and ``exp, log, sqrt, abs`` (one argument),
        ``min, max`` (one or more). The Unicode signs ``−``, ``×``, ``·`` and
        ``÷`` are read as ``-``, ``*``, ``*`` and ``/``.
    names
        The parameter names the expression may use. Each becomes the real
        symbol :func:`symbol`.

    Returns
    -------
    sympy.Expr
        Built from sympy constructors; the text is never evaluated.

    Raises
    ------
    ExpressionError
        A :class:`~equishift.games.errors.GameError` naming the expression, the
        column and what was expected; also for division by zero, powers too
        large to compute exactly and results that are not real.

    Examples
    --------
    >>> parse_expression("(T - R) / ((T - R) + (S - P))", ["R", "T", "S", "P"])
    (-R + T)/(-P - R + S + T)
    >>> parse_expression("2^3^2"), parse_expression("-2**2"), parse_expression("0.1 + 1/5")
    (512, -4, 3/10)
    >>> parse_expression("max(a, 1) * exp(0)", ["a"])
    Max(1, a)
    >>> parse_expression("3 * (a + 1", ["a"])
    Traceback (most recent call last):
    ...
    equishift.games.parameters.ExpressionError: expression '3 * (a + 1': expected ')' at column \
11 to close the '(' at column 5, found the end of the expression
    """
    if not isinstance(text, str):
        raise GameError(f"expression {text!r} must be text, got {type(text).__name__}")
    names = tuple(names)
    for n in names:
        _check_name(n)
    parser = _Parser(text, names)
    value = parser.parse()
    sp = parser.sp
    if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise ExpressionError(text, "the value is undefined or infinite (a division by zero?)")
    if value.is_real is False or value.has(sp.I):
        raise ExpressionError(text, "the value is not a real number")
    return value


def format_expression(expr: Any) -> str:
    """Text that :func:`parse_expression` reads back as exactly ``expr``.

    Every operation is parenthesised, so the text is unambiguous rather than
    pretty; for display use ``str(expr)``.

    >>> e = parse_expression("exp(1) - a^-2 / 3", ["a"])
    >>> format_expression(e)
    '(exp(1) + ((-1/3) * (a ^ (-2))))'
    >>> parse_expression(format_expression(e), ["a"]) == e
    True
    """
    import sympy as sp

    if isinstance(expr, sp.Integer):
        return str(int(expr)) if expr >= 0 else f"({int(expr)})"
    if isinstance(expr, sp.Rational):
        return f"({int(expr.p)}/{int(expr.q)})"
    if isinstance(expr, sp.Float):
        # Shortest round-trip decimal; it is read back exactly, as a rational.
        text = repr(float(expr))
        return f"({text})" if text.startswith("-") else text
    if expr is sp.E:
        return "exp(1)"
    if isinstance(expr, sp.Symbol):
        return str(expr.name)
    if isinstance(expr, sp.Add):
        return "(" + " + ".join(format_expression(a) for a in expr.args) + ")"
    if isinstance(expr, sp.Mul):
        coeff, rest = expr.as_coeff_Mul()
        if coeff != 1 and isinstance(rest, sp.Mul):
            # Written as coeff * (product): a number times a sum would be distributed.
            return f"({format_expression(coeff)} * {format_expression(rest)})"
        return "(" + " * ".join(format_expression(a) for a in expr.args) + ")"
    if isinstance(expr, sp.Pow):
        base, exponent = expr.args
        return f"({format_expression(base)} ^ {format_expression(exponent)})"
    functions = {sp.exp: "exp", sp.log: "log", sp.Abs: "abs", sp.Min: "min", sp.Max: "max"}
    for cls, name in functions.items():
        if isinstance(expr, cls):
            return f"{name}(" + ", ".join(format_expression(a) for a in expr.args) + ")"
    raise GameError(f"cannot write {expr} ({type(expr).__name__}) as a parameter expression")
