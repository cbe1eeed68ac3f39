"""The ``equishift`` command line: a thin view over the library.

Heavy modules (numpy, sympy, the solvers) are imported inside the commands, so
``equishift --help`` answers without loading them.

Each command makes one library call and formats its result. Errors the user can
fix (a missing or malformed file, an unknown method) print one line on stderr
and exit with status 2; no traceback, and no partial output file.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

app = typer.Typer(
    name="equishift",
    help="Evaluate policy recommendations with game theory: solve games, verify equilibria.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_USAGE = 2


def _fail(message: str) -> NoReturn:
    typer.echo(f"equishift: error: {message}", err=True)
    raise typer.Exit(EXIT_USAGE)


def _load(file: str | None, example: str | None) -> Any:
    from ..games.errors import EquishiftError
    from ..games.examples import example_path
    from ..games.formats.gambit import read_game

    if (file is None) == (example is None):
        _fail("give either a game FILE or --example NAME (see `equishift examples`)")
    try:
        path = example_path(example) if example is not None else Path(file or "")
    except EquishiftError as exc:
        _fail(str(exc))
    if not path.exists():
        _fail(f"{path}: no such file")
    if path.is_dir():
        _fail(f"{path}: is a directory, expected a .nfg or .efg file")
    try:
        return read_game(path)
    except EquishiftError as exc:
        _fail(str(exc))
    except UnicodeDecodeError:
        _fail(f"{path}: not a text file; expected a Gambit .nfg or .efg file")


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, so no partial file is left."""
    directory = path.resolve().parent
    if not directory.is_dir():
        _fail(f"{path}: directory {directory} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(r[k]) for r in rows) for k in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _render_solution(sol: Any) -> str:
    from ..games.numbers import format_number

    game = sol.game
    out = []
    title = getattr(game, "title", "") or "(untitled game)"
    out.append(title)
    kind = "exact" if sol.exact else f"floats, regret tolerance {sol.tolerance:g}"
    status = "complete" if sol.complete else "INCOMPLETE"
    out.append(f"method: {sol.method} ({kind}); {sol.scope}: {status}")
    out.append("")
    if not sol.equilibria:
        out.append("no equilibrium found")
    else:
        header = ["#", *[f"{p}" for p in game.players], "payoffs"]
        has_spe = any(getattr(e, "subgame_perfect", None) is not None for e in sol.equilibria)
        if has_spe:
            header.append("subgame perfect")
        rows = [header]
        for k, eq in enumerate(sol.equilibria, start=1):
            cells = [str(k)]
            for _player, choice in eq.by_label().items():
                cells.append(_describe_choice(choice))
            cells.append(", ".join(format_number(v) for v in eq.payoffs))
            if has_spe:
                spe = getattr(eq, "subgame_perfect", None)
                cells.append({True: "yes", False: "no", None: "?"}[spe])
            rows.append(cells)
        out.append(_table(rows))
    if sol.components:
        out.append("")
        out.append("convex components (every mixture of the listed equilibria is one):")
        for comp in sol.components:
            out.append("  {" + ", ".join(f"#{k + 1}" for k in comp) + "}")
    for w in sol.warnings:
        out.append(f"warning: {w}")
    return "\n".join(out)


def _describe_choice(choice: dict[str, Any]) -> str:
    """A player's mixed strategy, or their behaviour at each information set."""
    from ..games.numbers import format_number

    if choice and isinstance(next(iter(choice.values())), dict):
        parts = [f"{iset}: {_describe_choice(d)}" for iset, d in choice.items()]
        return "; ".join(parts)
    if len(choice) == 1:
        return next(iter(choice))
    return ", ".join(f"{s} {format_number(p)}" for s, p in choice.items())


@app.command()
def solve(
    file: Annotated[
        str | None, typer.Argument(help="A Gambit .nfg or .efg file.", show_default=False)
    ] = None,
    example: Annotated[
        str | None, typer.Option("--example", "-e", help="Solve a bundled example instead.")
    ] = None,
    method: Annotated[
        str | None,
        typer.Option("--method", "-m", help="Force a method (see `equishift methods`)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the JSON result to this file.", dir_okay=False),
    ] = None,
    max_seconds: Annotated[
        float, typer.Option("--max-seconds", help="Budget for enumeration methods.", min=0.001)
    ] = 60.0,
) -> None:
    """Compute and verify the equilibria of a game."""
    from ..games.errors import EquishiftError
    from ..solver import solve as solve_game

    game = _load(file, example)
    try:
        sol = solve_game(game, method=method, max_seconds=max_seconds)
    except EquishiftError as exc:
        _fail(str(exc))
    doc = sol.to_json()
    if output is not None:
        _write_atomic(output, json.dumps(doc, indent=2) + "\n")
    if as_json:
        typer.echo(json.dumps(doc, indent=2))
    elif output is None:
        typer.echo(_render_solution(sol))
    else:
        typer.echo(f"wrote {len(sol.equilibria)} equilibria to {output}")


@app.command()
def methods() -> None:
    """List the solution methods and what each computes."""
    from ..solver import METHODS

    width = max(len(m) for m in METHODS)
    for name, text in METHODS.items():
        typer.echo(f"{name.ljust(width)}  {text}")


@app.command()
def examples() -> None:
    """List the bundled example games."""
    from ..games.examples import example_path, list_examples

    for name in list_examples():
        typer.echo(f"{name}  ({example_path(name).name})")


@app.command()
def show(
    file: Annotated[str | None, typer.Argument(help="A Gambit .nfg or .efg file.")] = None,
    example: Annotated[
        str | None, typer.Option("--example", "-e", help="Show a bundled example instead.")
    ] = None,
) -> None:
    """Print a game: players, strategies and payoffs."""
    game = _load(file, example)
    typer.echo(game.title or "(untitled game)")
    typer.echo(game.describe())


def main() -> None:
    """Entry point of the ``equishift`` console script."""
    app()
