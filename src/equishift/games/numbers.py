"""Exact and float numbers for payoffs and probabilities.

equishift keeps payoffs exact (:class:`fractions.Fraction`) whenever the input
is exact: integers, fractions and decimal *strings* such as ``"0.1"``. A Python
or numpy float makes the value (and the game holding it) a float one.

>>> to_number("0.1")
Fraction(1, 10)
>>> to_number("-3/4")
Fraction(-3, 4)
>>> to_number(2)
Fraction(2, 1)
>>> to_number(0.5)
0.5
>>> format_number(Fraction(1, 3)), format_number(Fraction(4)), format_number(0.25)
('1/3', '4', '0.25')
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, TypeAlias

import numpy as np
from numpy.typing import NDArray

from .errors import GameError

Number: TypeAlias = Fraction | float
"""A payoff or probability: exact (``Fraction``) or ``float``."""

_RATIONAL = re.compile(r"^\s*([+-]?\d+)\s*/\s*(\d+)\s*$")


def to_number(value: Any, *, what: str = "value") -> Number:
    """Convert ``value`` to a :data:`Number`, exactly when the input is exact.

    Parameters
    ----------
    value
        ``int``, ``Fraction``, ``Decimal``, a numpy integer or float, a Python
        ``float``, or a string: an integer, a decimal (``"1.5e-3"``) or a
        ratio (``"2/3"``).
    what
        Used in error messages ("payoff of player 1 at ('C', 'D')").

    Raises
    ------
    GameError
        For booleans, NaN, infinities, zero denominators and text that is not a number.

    Examples
    --------
    >>> to_number("1e-2")
    Fraction(1, 100)
    >>> to_number(float("nan"))
    Traceback (most recent call last):
    ...
    equishift.games.errors.GameError: value is NaN; expected a finite number
    """
    if isinstance(value, bool | np.bool_):
        raise GameError(f"{what} is a boolean ({value}); expected a number")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int | np.integer):
        return Fraction(int(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise GameError(f"{what} is {value}; expected a finite number")
        return Fraction(value)
    if isinstance(value, float | np.floating):
        f = float(value)
        if math.isnan(f):
            raise GameError(f"{what} is NaN; expected a finite number")
        if math.isinf(f):
            raise GameError(f"{what} is infinite; expected a finite number")
        return f
    if isinstance(value, str):
        return parse_number(value, what=what)
    if isinstance(value, numbers.Rational):
        return Fraction(int(value.numerator), int(value.denominator))
    raise GameError(f"{what} is {value!r} of type {type(value).__name__}; expected a number")


def parse_number(text: str, *, what: str = "value") -> Fraction:
    """Parse an integer, decimal or ratio string exactly.

    >>> parse_number("3/6")
    Fraction(1, 2)
    >>> parse_number("abc", what="payoff")
    Traceback (most recent call last):
    ...
    equishift.games.errors.GameError: payoff 'abc' is not a number; expected ...
    """
    m = _RATIONAL.match(text)
    if m:
        den = int(m.group(2))
        if den == 0:
            raise GameError(f"{what} {text!r} has a zero denominator")
        return Fraction(int(m.group(1)), den)
    try:
        d = Decimal(text.strip())
    except InvalidOperation:
        raise GameError(
            f"{what} {text!r} is not a number; expected an integer, a decimal such as 0.1 "
            "or a ratio such as 2/3"
        ) from None
    if not d.is_finite():
        raise GameError(f"{what} {text!r} is not finite; expected a finite number")
    return Fraction(d)


def is_exact(values: Iterable[Number]) -> bool:
    """True when every value is a ``Fraction``."""
    return all(isinstance(v, Fraction) for v in values)


def format_number(value: Number) -> str:
    """Format for people and JSON: ``"1/3"`` for fractions, ``repr``-precision for floats."""
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        return f"{value.numerator}/{value.denominator}"
    return repr(float(value))


def as_float_array(values: NDArray[Any]) -> NDArray[np.float64]:
    """A float64 copy of an object array of Fractions (or a float array)."""
    return np.asarray(values, dtype=np.float64)


def integerize(values: NDArray[Any]) -> NDArray[Any]:
    """Scale an array of Fractions by the lcm of its denominators into integers.

    Ordering and ties are preserved (the scale is positive), so comparisons on
    the result are exact. Returns an ``int64`` array when every value fits,
    otherwise an object array of Python ints.

    >>> integerize(np.array([Fraction(1, 2), Fraction(1, 3)], dtype=object))
    array([3, 2])
    """
    flat = [Fraction(v) for v in values.ravel()]
    lcm = 1
    for v in flat:
        lcm = lcm * v.denominator // math.gcd(lcm, v.denominator)
    ints = [int(v * lcm) for v in flat]
    big = max((abs(i) for i in ints), default=0)
    if big < 2**62:
        return np.array(ints, dtype=np.int64).reshape(values.shape)
    out = np.empty(values.shape, dtype=object)
    out.ravel()[:] = ints
    return out
