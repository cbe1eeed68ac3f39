"""Shared plumbing of the command line: errors, exit codes, files, tables and progress.

Only the standard library and typer are imported at module level; rich is imported when a
table is drawn on a terminal or a progress bar is shown, so ``equishift --help`` stays fast.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn, Protocol

import typer

EXIT_OK = 0
EXIT_ANALYSIS = 1
EXIT_USAGE = 2

__all__ = [
    "EXIT_ANALYSIS",
    "EXIT_OK",
    "EXIT_USAGE",
    "BadInput",
    "Progress",
    "analysis_failed",
    "emit_json",
    "emit_table",
    "fail",
    "plain_table",
    "progress",
    "write_atomic",
]


class BadInput(Exception):
    """Input the user can fix; the command turns it into one line on stderr and status 2."""


def _one_line(message: str) -> str:
    return " ".join(message.split())


def fail(message: str) -> NoReturn:
    """Bad input: one line on stderr, exit status 2."""
    typer.echo(f"equishift: error: {_one_line(message)}", err=True)
    raise typer.Exit(EXIT_USAGE)


def analysis_failed(message: str) -> NoReturn:
    """The analysis itself failed (an evaluation error, a solver out of budget): status 1."""
    typer.echo(f"equishift: analysis failed: {_one_line(message)}", err=True)
    raise typer.Exit(EXIT_ANALYSIS)


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename: never half-written."""
    directory = path.resolve().parent
    if not directory.is_dir():
        fail(f"{path}: directory {directory} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    except OSError as exc:
        fail(f"{path}: cannot write: {exc.strerror or exc}")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8") if isinstance(text, str) else text)
        mask = os.umask(0o022)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)  # mkstemp makes 0600; give the file the usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def emit_json(doc: Any) -> None:
    """Print one JSON document on stdout."""
    typer.echo(json.dumps(doc, indent=2, ensure_ascii=False))


def plain_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns separated by two spaces, a dashed rule under the header; no trailing blanks."""
    table = [list(headers), *[list(r) for r in rows]]
    widths = [max(len(r[k]) for r in table) for k in range(len(headers))]
    lines = []
    for n, row in enumerate(table):
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


_STYLES = {"works": "bold green", "does not work": "bold red", "undetermined": "yellow"}


def emit_table(headers: Sequence[str], rows: Sequence[Sequence[str]], title: str = "") -> None:
    """Print a table: coloured with rich on a terminal, plain columns when piped."""
    if not sys.stdout.isatty():
        if title:
            typer.echo(title)
        typer.echo(plain_table(headers, rows))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title or None, title_justify="left", header_style="bold")
    for h in headers:
        table.add_column(h)
    for row in rows:
        table.add_row(*[f"[{_STYLES[c]}]{c}[/]" if c in _STYLES else _escape(c) for c in row])
    Console(file=sys.stdout).print(table)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


class Progress(Protocol):
    """What a command sees of a progress bar."""

    def advance(self, description: str | None = None) -> None:
        """One step done; optionally say what comes next."""

    def advance_to(self, done: int) -> None:
        """``done`` steps done in all."""


class _Silent:
    def advance(self, description: str | None = None) -> None:
        return None

    def advance_to(self, done: int) -> None:
        return None


class _RichProgress:
    def __init__(self, bar: Any, task: Any) -> None:
        self._bar = bar
        self._task = task

    def advance(self, description: str | None = None) -> None:
        if description is None:
            self._bar.advance(self._task)
        else:
            self._bar.update(self._task, advance=1, description=description)

    def advance_to(self, done: int) -> None:
        self._bar.update(self._task, completed=done)


@contextmanager
def progress(total: int | None, description: str, *, quiet: bool) -> Iterator[Progress]:
    """A progress bar on stderr; silent with ``--quiet`` or when stderr is not a terminal."""
    if quiet or not sys.stderr.isatty():
        yield _Silent()
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn()]
    with Progress(*columns, console=Console(file=sys.stderr), transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield _RichProgress(bar, task)


def status(message: str, *, quiet: bool) -> None:
    """An informative line on stderr (what was written where), unless ``--quiet``."""
    if not quiet:
        typer.echo(message, err=True)
