"""Exceptions raised for invalid games and malformed files.

Every error is a :class:`ValueError` so callers who do not care about the
distinction can catch one type; callers who do (the CLI) catch
:class:`EquishiftError` and print its message, which is written for a person.
"""

from __future__ import annotations

from pathlib import Path


class EquishiftError(Exception):
    """Base class of every error equishift raises on purpose."""


class GameError(EquishiftError, ValueError):
    """A game (or a profile, a label, a payoff) is not valid.

    Examples
    --------
    >>> from equishift.games import NormalFormGame
    >>> NormalFormGame.from_arrays([[1, 2]], [[1]])
    Traceback (most recent call last):
    ...
    equishift.games.errors.GameError: payoffs of player 2 have shape (1, 1), expected (1, 2) ...
    """


class FormatError(EquishiftError, ValueError):
    """A file could not be read: names the file, the line and what was expected.

    Parameters
    ----------
    message
        What is wrong, for a person ("expected a number, found 'x'").
    path
        The file, if the text came from one.
    line
        1-based line number, if known.

    Examples
    --------
    >>> str(FormatError("expected '{'", path="g.nfg", line=3))
    "g.nfg:3: expected '{'"
    """

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line
        where = self.path or "<text>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")


class SolverError(EquishiftError, ValueError):
    """A method cannot be applied to a game (wrong form, too large, bad argument)."""
