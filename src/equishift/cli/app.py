"""The ``equishift`` command line: a thin view over the library.

Heavy modules (numpy, sympy, the solvers, rich's tables) are imported inside the commands, so
``equishift --help`` answers without loading them.

Each command makes library calls and formats their results: a table (coloured on a terminal,
plain when piped) or, with ``--json``, one JSON document. Exit status: 0 when the analysis ran,
1 when it failed (an evaluation error, a solver out of its time budget), 2 for input the user
can fix (a missing or malformed file, an unknown recommendation, bad ``--set`` syntax); errors
are one line on stderr, never a traceback, and no output file is left half-written.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from ._common import (
    EXIT_USAGE,
    BadInput,
    analysis_failed,
    emit_json,
    emit_table,
    fail,
    plain_table,
    progress,
    status,
    write_atomic,
)

__all__ = ["EXIT_USAGE", "app", "main"]

# click's base exception, found without importing typer's private copy of click by name.
_ClickException: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"
)


_ORDER = (
    "brief",
    "evaluate",
    "compare",
    "sweep",
    "report",
    "recommendations",
    "games",
    "solve",
    "show",
    "convert",
    "methods",
    "examples",
)


class _OneLineErrors(TyperGroup):
    """The root command: usage errors (a missing argument, an unknown option) in one line."""

    def list_commands(self, ctx: Any) -> list[str]:
        """The commands in the order of ``equishift --help``: the main job first."""
        names = list(super().list_commands(ctx))
        rank = {n: k for k, n in enumerate(_ORDER)}
        return sorted(names, key=lambda n: rank.get(n, len(rank)))

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command; exit 2 with one line on stderr for a usage error."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except _ClickException as exc:
            code = int(getattr(exc, "exit_code", EXIT_USAGE))
            if type(exc).__name__ == "NoArgsIsHelpError":  # its message is the help
                exc.show()  # type: ignore[attr-defined]
            else:
                ctx = getattr(exc, "ctx", None)
                hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
                message = " ".join(str(getattr(exc, "format_message", exc.__str__)()).split())
                typer.echo(f"equishift: error: {message}{hint}", err=True)
            sys.exit(code)
        except typer.Abort:
            typer.echo("equishift: aborted", err=True)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)


app = typer.Typer(
    name="equishift",
    cls=_OneLineErrors,
    help=(
        "Evaluate policy recommendations with game theory: solve games, verify equilibria, "
        "and report how recommendations shift them.\n\n"
        "Start with 'equishift brief': it evaluates every recommendation of the bundled brief, "
        "ranks them, and writes the briefing (HTML, PDF, Markdown, JSON)."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
games_app = typer.Typer(
    help="The bundled games: list, show NAME.",
    no_args_is_help=False,
    invoke_without_command=True,
)
recs_app = typer.Typer(
    help="The brief's recommendations: list, show ID.",
    no_args_is_help=False,
    invoke_without_command=True,
)
app.add_typer(games_app, name="games")
app.add_typer(recs_app, name="recommendations")

# Options shared by the commands that compute.
AsJson = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of a table.")]
Quiet = Annotated[
    bool, typer.Option("--quiet", "-q", help="No progress bars and no status messages.")
]
SetValues = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        "-s",
        help="Set a parameter, NAME=VALUE (exact: 0.6 or 3/5); repeatable.",
        show_default=False,
    ),
]
ScenarioFile = Annotated[
    Path | None,
    typer.Option(
        "--scenario",
        help="Evaluate on the games of this .toml scenario file instead of the bundled ones.",
        show_default=False,
    ),
]
Formats = Annotated[
    list[str] | None,
    typer.Option(
        "--format",
        "-f",
        help="Formats to write: html, pdf, md, json (repeatable; default all four).",
        show_default=False,
    ),
]
DEFAULT_TITLE = "Northeast Asian security: the brief's recommendations evaluated"
DEFAULT_SAMPLES = 10_000
"""Robustness samples per recommendation in ``equishift brief`` (the whole brief: ~1 s)."""

Seed = Annotated[int, typer.Option("--seed", help="Seed of the robustness sample.")]
Workers = Annotated[
    int,
    typer.Option(
        "--workers",
        help="Processes for the robustness sample (results do not depend on it).",
        min=1,
    ),
]
Scheduler = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="Where the robustness chunks run: serial, processes, or dask (a Dask cluster "
        "when a distributed client is set up; needs 'pip install dask[distributed]').",
        show_default=False,
    ),
]


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"equishift {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Evaluate policy recommendations with game theory."""


@contextmanager
def _errors() -> Iterator[None]:
    """Turn library errors into one line and an exit status: input problems 2, analysis 1."""
    from ..games.errors import EquishiftError

    try:
        yield
    except BadInput as exc:
        fail(str(exc))
    except EquishiftError as exc:
        analysis_failed(str(exc))
    except (ArithmeticError, ValueError) as exc:
        analysis_failed(f"{type(exc).__name__}: {exc}")
    except OSError as exc:  # a file that cannot be read or written (disk full, permissions)
        where = f"{exc.filename}: " if exc.filename else ""
        fail(f"{where}{exc.strerror or exc}")


def _load(file: str | None, example: str | None) -> Any:
    from ..games.errors import EquishiftError
    from ..games.examples import example_path
    from ..games.formats.gambit import read_game

    if (file is None) == (example is None):
        fail("give either a game FILE or --example NAME (see `equishift examples`)")
    try:
        path = example_path(example) if example is not None else Path(file or "")
    except EquishiftError as exc:
        fail(str(exc))
    if not path.exists():
        fail(f"{path}: no such file")
    if path.is_dir():
        fail(f"{path}: is a directory, expected a .nfg or .efg file")
    try:
        return read_game(path)
    except EquishiftError as exc:
        fail(str(exc))
    except UnicodeDecodeError:
        fail(f"{path}: not a text file; expected a Gambit .nfg or .efg file")


def _table(rows: list[list[str]]) -> str:
    return plain_table(rows[0], rows[1:])


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


def _budget_check(solutions: list[Any], max_seconds: float) -> None:
    """Exit 1 when a solver ran out of its time budget (the list is then incomplete)."""
    for sol in solutions:
        if not sol.complete and any("time budget" in w for w in sol.warnings):
            analysis_failed(
                f"the time budget of {max_seconds:g} s ran out; the list of equilibria is "
                "incomplete (raise --max-seconds)"
            )


def _stage_for_solving(game: Any) -> tuple[Any | None, str]:
    """The finite game to solve for a scenario game, and a note saying what it is."""
    from ..games.bayesian import BayesianGame
    from ..games.extensive_form import ExtensiveFormGame
    from ..games.normal_form import NormalFormGame
    from ..games.parametric import ParametricGame
    from ..games.repeated import LinkedGame, RepeatedGame

    if isinstance(game, NormalFormGame | ExtensiveFormGame):
        return game, ""
    if isinstance(game, ParametricGame):
        return game.default(), "at the parameters' values"
    if isinstance(game, RepeatedGame):
        return game.stage, "the one-shot stage game"
    if isinstance(game, LinkedGame):
        return game.combined_stage(), "the issues played together as one stage game"
    if isinstance(game, BayesianGame):
        return game.induced_normal_form(), "the induced normal form"
    form = type(game).__name__
    return None, f"a {form}: no finite game to enumerate (see `equishift evaluate`)"


def _solve_scenario(
    path: Path, method: str | None, max_seconds: float, as_json: bool, output: Path | None
) -> None:
    from ..games.errors import EquishiftError
    from ..solver import solve as solve_game
    from ._source import read_scenario_with

    with _errors():
        scenario = read_scenario_with(path, {})
    entries: list[dict[str, Any]] = []
    texts: list[str] = []
    solutions = []
    for name, game in scenario.games.items():
        stage, note = _stage_for_solving(game)
        entry: dict[str, Any] = {"name": name, "form": type(game).__name__, "note": note}
        header = f"== {name} ({type(game).__name__}{'; ' + note if note else ''}) =="
        if stage is None:
            entry["solution"] = None
            texts.append(f"{header}\n{getattr(game, 'title', '')}\nnot solved: {note}")
        else:
            try:
                sol = solve_game(stage, method=method, max_seconds=max_seconds)
            except EquishiftError as exc:
                fail(f"{path}: game {name!r}: {exc}")
            solutions.append(sol)
            entry["solution"] = sol.to_json()
            texts.append(f"{header}\n{_render_solution(sol)}")
        entries.append(entry)
    doc = {"scenario": scenario.meta.id, "title": scenario.meta.title, "games": entries}
    if output is not None:
        with _errors():
            write_atomic(output, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    if as_json:
        emit_json(doc)
    elif output is None:
        typer.echo("\n\n".join(texts))
    else:
        typer.echo(f"wrote {len(entries)} games to {output}")
    _budget_check(solutions, max_seconds)


@app.command()
def solve(
    file: Annotated[
        str | None,
        typer.Argument(help="A Gambit .nfg or .efg file, or a .toml scenario.", show_default=False),
    ] = None,
    example: Annotated[
        str | None, typer.Option("--example", "-e", help="Solve a bundled example instead.")
    ] = None,
    method: Annotated[
        str | None,
        typer.Option("--method", "-m", help="Force a method (see 'equishift methods')."),
    ] = None,
    as_json: AsJson = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the JSON result to this file.", dir_okay=False),
    ] = None,
    max_seconds: Annotated[
        float, typer.Option("--max-seconds", help="Budget for enumeration methods.", min=0.001)
    ] = 60.0,
) -> None:
    """Solve a game or a scenario file: verified equilibria.

    Computes the equilibria of a Gambit .nfg/.efg game, or of every game of a .toml scenario
    file, and verifies each one.

    Exit status 1 when the time budget runs out (the list would be incomplete).

    Examples:

    \b
      equishift solve --example dual-freeze
      equishift solve game.nfg --json
      equishift solve scenario.toml -o result.json
      equishift solve big.efg --max-seconds 10
    """
    from ..games.errors import EquishiftError
    from ..solver import solve as solve_game

    if example is None and file is not None and file.lower().endswith(".toml"):
        _solve_scenario(Path(file), method, max_seconds, as_json, output)
        return
    game = _load(file, example)
    try:
        sol = solve_game(game, method=method, max_seconds=max_seconds)
    except EquishiftError as exc:
        fail(str(exc))
    doc = sol.to_json()
    if output is not None:
        with _errors():
            write_atomic(output, json.dumps(doc, indent=2) + "\n")
    if as_json:
        typer.echo(json.dumps(doc, indent=2))
    elif output is None:
        typer.echo(_render_solution(sol))
    else:
        typer.echo(f"wrote {len(sol.equilibria)} equilibria to {output}")
    _budget_check([sol], max_seconds)


@app.command()
def methods() -> None:
    """List the solution methods and what each computes."""
    from ..solver import METHODS

    width = max(len(m) for m in METHODS)
    for name, text in METHODS.items():
        typer.echo(f"{name.ljust(width)}  {text}")


@app.command()
def examples() -> None:
    """List the bundled example games (Gambit files)."""
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
    """Print a game: players, strategies and payoffs.

    Examples:

    \b
      equishift show --example dual-freeze
      equishift show game.nfg
    """
    game = _load(file, example)
    typer.echo(game.title or "(untitled game)")
    typer.echo(game.describe())


# -- games ------------------------------------------------------------------------------------
def _game_rows() -> list[tuple[str, str, str, Any]]:
    """(name, form, title, game) of every game in the bundled scenario files."""
    from ..recommendations.scenarios import list_scenarios, load_scenario

    rows = []
    for sname in list_scenarios():
        for gname, game in load_scenario(sname).games.items():
            rows.append((f"{sname}/{gname}", type(game).__name__, getattr(game, "title", ""), game))
    return rows


@games_app.callback()
def _games(ctx: typer.Context) -> None:
    """The games of the bundled scenario files (the brief's games)."""
    if ctx.invoked_subcommand is None:
        games_list(as_json=False)


@games_app.command("list")
def games_list(as_json: AsJson = False) -> None:
    """List the bundled games, as SCENARIO/GAME.

    Examples:

    \b
      equishift games list
      equishift games list --json
    """
    rows = _game_rows()
    if as_json:
        emit_json([{"name": n, "form": f, "title": t} for n, f, t, _ in rows])
        return
    emit_table(["game", "form", "title"], [[n, f, t] for n, f, t, _ in rows])


def _find_games(name: str) -> tuple[str, list[tuple[str, Any]]]:
    """(scenario, [(game name, game)]) for NAME: SCENARIO/GAME, SCENARIO or a unique GAME."""
    from ..recommendations.scenarios import list_scenarios, load_scenario

    scenarios = list_scenarios()
    sname, _, gname = name.partition("/")
    if sname in scenarios:
        games = load_scenario(sname).games
        if not gname:
            return sname, list(games.items())
        if gname in games:
            return sname, [(gname, games[gname])]
        raise BadInput(f"no game {gname!r} in {sname}; its games are: {', '.join(games)}")
    hits = [(n.split("/")[0], g) for n, _f, _t, g in _game_rows() if n.split("/")[1] == name]
    if len(hits) == 1:
        return hits[0][0], [(name, hits[0][1])]
    if len(hits) > 1:
        where = ", ".join(f"{s}/{name}" for s, _ in hits)
        raise BadInput(f"game {name!r} is in several scenarios; name one of {where}")
    raise BadInput(
        f"unknown game {name!r}; see `equishift games list` (scenarios: {', '.join(scenarios)})"
    )


@games_app.command("show")
def games_show(
    name: Annotated[str, typer.Argument(help="SCENARIO/GAME, SCENARIO, or a game's name.")],
) -> None:
    """Print a bundled game and the parameters you can --set.

    NAME is SCENARIO/GAME, a SCENARIO (all its games) or a game's name.

    Examples:

    \b
      equishift games show dual-freeze/baseline
      equishift games show repeated-pd
      equishift games show leader-deal
    """
    from ..games.numbers import format_number
    from ..recommendations.scenarios import load_scenario

    with _errors():
        sname, games = _find_games(name)
    scenario = load_scenario(sname)
    blocks = []
    for gname, game in games:
        lines = [f"{sname}/{gname}: {getattr(game, 'title', '') or '(untitled)'}"]
        lines.append(f"form: {type(game).__name__}")
        if gname in scenario.notes:
            lines.append(f"notes: {scenario.notes[gname]}")
        describe = getattr(game, "describe", None)
        if callable(describe):
            lines.append(str(describe()))
        blocks.append("\n".join(lines))
    typer.echo("\n\n".join(blocks))
    if len(scenario.parameters):
        typer.echo("")
        rows = []
        for p in scenario.parameters.values():
            rng = "" if p.range is None else f"[{format_number(p.range[0])}, "
            rng += "" if p.range is None else f"{format_number(p.range[1])}]"
            rows.append([p.name, format_number(p.value), rng, p.note])
        emit_table(["parameter", "value", "range", "note"], rows, title=f"parameters of {sname}")


# -- recommendations --------------------------------------------------------------------------
@recs_app.callback()
def _recommendations(ctx: typer.Context) -> None:
    """The recommendations of the bundled brief."""
    if ctx.invoked_subcommand is None:
        recommendations_list(as_json=False)


def _acts_on(rec: Any) -> str:
    """The games a recommendation acts on, as SCENARIO/GAME when its scenario file is known."""
    from ..recommendations import brief

    file = getattr(brief, "SCENARIO_OF", {}).get(rec.id)
    return ", ".join(f"{file}/{t}" if file else t for t in rec.targets)


@recs_app.command("list")
def recommendations_list(as_json: AsJson = False) -> None:
    """List the brief's recommendations.

    Examples:

    \b
      equishift recommendations list
      equishift recommendations list --json
    """
    from ._source import recommendations

    recs = recommendations()
    if as_json:
        emit_json([r.to_dict() for r in recs])
        return
    emit_table(
        ["id", "title", "acts on", "criterion"],
        [[r.id, r.title, _acts_on(r), r.criterion.describe()] for r in recs],
    )


@recs_app.command("show")
def recommendations_show(
    rec: Annotated[str, typer.Argument(metavar="ID", help="A recommendation id, e.g. R4.")],
) -> None:
    """Print a recommendation: the brief's words, the change, the criterion.

    Examples:

    \b
      equishift recommendations show DF
      equishift recommendations show r4
    """
    import textwrap

    from ._source import find_recommendation

    with _errors():
        chosen = find_recommendation(rec)

    def wrap(text: str) -> str:
        return textwrap.fill(text, 100, initial_indent="  ", subsequent_indent="  ")

    lines = [
        f"{chosen.id}: {chosen.title}",
        f"section: {chosen.section}",
        "quote:",
        wrap(f"“{chosen.quote}”"),
        f"acts on: {_acts_on(chosen)}",
        f"change: {chosen.transform.describe()}",
        f"criterion: {chosen.criterion.describe()}",
    ]
    if chosen.notes:
        lines += ["notes:", wrap(chosen.notes)]
    typer.echo("\n".join(lines))


# -- evaluate, compare, sweep -----------------------------------------------------------------
def _render_evaluation(ev: Any, values: dict[str, str]) -> None:
    import textwrap

    from ..recommendations.evaluate import _n

    rec = ev.recommendation
    typer.echo(f"{rec.id}: {rec.title}")
    typer.echo(f"change: {rec.transform.describe()}")
    typer.echo(f"criterion: {rec.criterion.describe()}")
    if values:
        typer.echo("set: " + ", ".join(f"{k} = {v}" for k, v in values.items()))
    typer.echo(f"verdict: {ev.verdict.status} ({ev.verdict.reason})")
    if ev.improvement is not None:
        typer.echo(f"improvement: {_n(ev.improvement)}")
    rows = [
        [t.name, _n(t.before) or "-", _n(t.after) or "-", _n(t.value) or "-"] for t in ev.thresholds
    ]
    if rows:
        typer.echo("")
        emit_table(["threshold", "before", "after", "in play"], rows)
    typer.echo("")
    typer.echo(textwrap.fill(ev.finding, 100))
    for note in ev.notes:
        typer.echo(f"note: {note}")


@app.command("evaluate")
def evaluate_command(
    rec: Annotated[str, typer.Argument(metavar="REC", help="A recommendation id, e.g. DF.")],
    set_values: SetValues = None,
    scenario: ScenarioFile = None,
    robust_n: Annotated[
        int | None,
        typer.Option(
            "--robustness",
            help="Also sample the scenario's parameters N times: how often the verdict holds.",
            min=1,
            show_default=False,
        ),
    ] = None,
    seed: Seed = 0,
    workers: Workers = 1,
    scheduler: Scheduler = None,
    ordinal_n: Annotated[
        int | None,
        typer.Option(
            "--ordinal",
            help="For a scenario whose games are given as preference orders (ordinal = true): "
            "draw N cardinal games consistent with those orders and report how often the "
            "verdict holds.",
            min=1,
            show_default=False,
        ),
    ] = None,
    as_json: AsJson = False,
    quiet: Quiet = False,
) -> None:
    """Evaluate one recommendation: verdict and thresholds.

    Solves the game before and after the change, compares the equilibria, computes the
    thresholds that matter, checks the success criterion and writes the finding.

    --set NAME=VALUE changes a number of the recommendation's change (delta of the dual
    freeze's repeated play; see 'equishift recommendations show REC') or a parameter of the
    scenario file its game comes from (see 'equishift games show SCENARIO'). A verdict of
    "does not work" is a result (exit 0); an evaluation that cannot be carried out exits 1.

    Examples:

    \b
      equishift evaluate DF
      equishift evaluate DF --set delta=0.4
      equishift evaluate R2 --set q=0.9 --set eps=0.05 --json
      equishift evaluate R1 --scenario my-engagement.toml
      equishift evaluate DF --robustness 10000 --seed 1 --workers 2
      equishift evaluate R1-ordinal --scenario ordinal-engagement.toml --ordinal 1000

    --robustness N draws every parameter of the scenario with a range or distribution N
    times (seeded Sobol sample), re-evaluates the recommendation at each draw and reports how
    often the verdict holds (with a 95% Wilson interval), which parameters decide it and the
    smallest single-parameter change that reverses it. The draws are solved together in
    floating point, and every close call again in exact arithmetic (see
    docs/reference/robustness.md).
    """
    from ._source import evaluate_one, find_recommendation, parse_assignments

    with _errors():
        chosen = find_recommendation(rec, scenario)
        values = parse_assignments(set_values or [])
        if robust_n is not None and values:
            raise BadInput("--robustness samples every parameter; it cannot be combined with --set")
        if ordinal_n is not None and values:
            raise BadInput("--ordinal samples the payoffs; it cannot be combined with --set")
        with progress(None, f"evaluating {chosen.id}", quiet=quiet):
            ev = evaluate_one(chosen, values, scenario)
        robust = None
        if robust_n is not None:
            robust = _robustness(chosen.id, scenario, robust_n, seed, quiet, workers, scheduler)
        ordinal = None
        if ordinal_n is not None:
            ordinal = _ordinal(chosen.id, scenario, ordinal_n, seed, quiet)
    if as_json:
        doc = ev.to_json()
        doc["set"] = values
        if robust is not None:
            doc["robustness"] = robust.to_json()
        if ordinal is not None:
            doc["ordinal_robustness"] = ordinal.to_json()
        emit_json(doc)
        return
    _render_evaluation(ev, values)
    for extra in (robust, ordinal):
        if extra is not None:
            typer.echo("")
            typer.echo(extra.describe())


def _scenario_source(rec_id: str, scenario: Path | None) -> str | Path:
    """The scenario file of ``rec_id``: the one given, else the bundled one."""
    from ..recommendations import brief

    source: str | Path | None = scenario
    if source is None:
        source = brief.SCENARIO_OF.get(rec_id)
    if source is None:
        from ..recommendations.evaluate import scenario_recommendations
        from ..recommendations.scenarios import list_scenarios, load_scenario

        for name in list_scenarios():
            if any(r.id == rec_id for r in scenario_recommendations(load_scenario(name))):
                return name
        raise BadInput(f"{rec_id} has no scenario file with parameters to sample (give --scenario)")
    return source


def _check_scheduler(scheduler: str | None) -> None:
    if scheduler is None:  # the default: nothing to check, nothing to import yet
        return
    from ..recommendations.robustness import SCHEDULERS

    if scheduler not in SCHEDULERS:
        raise BadInput(f"--scheduler {scheduler!r}: expected one of {', '.join(SCHEDULERS)}")


def _robustness(
    rec_id: str,
    scenario: Path | None,
    n: int,
    seed: int,
    quiet: bool,
    workers: int = 1,
    scheduler: str | None = None,
) -> Any:
    """The robustness of ``rec_id``'s verdict on its scenario (given or bundled)."""
    from ..recommendations.robustness import robustness

    _check_scheduler(scheduler)
    source = _scenario_source(rec_id, scenario)
    with progress(n, f"sampling {rec_id}", quiet=quiet) as bar:

        def advance(done: int, total: int) -> None:
            bar.advance_to(done)

        return robustness(
            source, rec_id, n=n, seed=seed, workers=workers, scheduler=scheduler, progress=advance
        )


def _ordinal(rec_id: str, scenario: Path | None, n: int, seed: int, quiet: bool) -> Any:
    """Ordinal robustness of ``rec_id`` on its scenario (given or bundled)."""
    from ..recommendations.ordinal import ordinal_robustness

    source = _scenario_source(rec_id, scenario)
    with progress(None, f"drawing {n} cardinal games for {rec_id}", quiet=quiet):
        return ordinal_robustness(source, rec_id, n=n, seed=seed)


def _ranking_rows(ranking: Any) -> list[list[str]]:
    from ..recommendations.evaluate import _n

    return [
        [str(r.rank), r.id, r.title, r.verdict, r.criterion, _n(r.improvement) or "-"]
        for r in ranking.rows
    ]


_RANKING_HEADERS = ["rank", "id", "title", "verdict", "criterion", "improvement"]
_RANKING_NOTE = (
    "improvement is measured on each criterion's own scale (for example the fall in delta*); "
    "compare it only between recommendations with the same criterion"
)


@app.command()
def compare(
    rec_ids: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="RECS", help="Recommendation ids (default: all).", show_default=False
        ),
    ] = None,
    robust_n: Annotated[
        int,
        typer.Option(
            "--robustness",
            help="Also sample each scenario's parameters N times: how often each verdict holds.",
            min=0,
        ),
    ] = 0,
    seed: Seed = 0,
    workers: Workers = 2,
    scheduler: Scheduler = None,
    as_json: AsJson = False,
    quiet: Quiet = False,
) -> None:
    """Rank recommendations: those that work first.

    Evaluates the recommendations named (default: all of the brief) and ranks them: those
    that work first, then by how far the criterion moved.

    Examples:

    \b
      equishift compare
      equishift compare R2 R3 R4
      equishift compare --robustness 10000 --workers 2
      equishift compare --json

    --robustness N adds how often each verdict holds over N draws of its scenario's
    parameters (95% interval) and the parameter it hinges on most.
    """
    from ..recommendations.evaluate import compare_recommendations
    from ._source import all_evaluations, find_recommendation, recommendations

    with _errors():
        _check_scheduler(scheduler)
        recs = [find_recommendation(r) for r in rec_ids] if rec_ids else list(recommendations())
        with progress(len(recs), f"evaluating {recs[0].id}", quiet=quiet) as bar:
            evs = all_evaluations(recs, advance=bar.advance)
        ranking = compare_recommendations(evs)
        robust = (
            _brief_robustness([r.id for r in recs], robust_n, seed, workers, scheduler, quiet)
            if robust_n
            else {}
        )
    if as_json:
        doc: Any = ranking.to_json()
        if robust_n:
            doc = {"ranking": doc, "robustness": {k: v.to_json() for k, v in robust.items()}}
        emit_json(doc)
        return
    if not robust_n:
        emit_table(_RANKING_HEADERS, _ranking_rows(ranking))
    else:
        rows = []
        for row, r in zip(_ranking_rows(ranking), ranking.rows, strict=True):
            rob = robust.get(r.id)
            rows.append([*row, _holds(rob), _hinges(rob)])
        emit_table([*_RANKING_HEADERS, "holds in", "hinges on"], rows)
    typer.echo(f"note: {_RANKING_NOTE}")
    if robust_n:
        typer.echo(
            f"note: 'holds in' is the share of {robust_n} seeded draws (seed {seed}) of each "
            "scenario's parameters where the verdict is 'works', with its 95% interval"
        )


def _holds(rob: Any) -> str:
    if rob is None:
        return "not assessed"
    if rob.probability is None:
        return "undecided"
    lo, hi = rob.interval
    return f"{rob.probability:.0%} ({lo:.0%}-{hi:.0%})"


def _hinges(rob: Any) -> str:
    if rob is None or not rob.sensitivity or rob.sensitivity[0].difference == 0:
        return "-"
    return str(rob.sensitivity[0].parameter)


def _brief_robustness(
    ids: list[str], n: int, seed: int, workers: int, scheduler: str | None, quiet: bool
) -> dict[str, Any]:
    """Robustness of the brief's recommendations among ``ids``, samples pooled over workers."""
    from ..recommendations.brief import SCENARIO_OF
    from ..recommendations.robustness import brief_robustness

    known = [i for i in ids if i in SCENARIO_OF]
    if not known:
        return {}
    with progress(n * len(known), "sampling the recommendations", quiet=quiet) as bar:

        def advance(done: int, total: int) -> None:
            bar.advance_to(done)

        return brief_robustness(
            n=n,
            seed=seed,
            workers=workers,
            scheduler=scheduler,
            recommendations=known,
            progress=advance,
        )


def _parse_range(text: str, steps: int) -> list[Fraction]:
    from ..games.errors import GameError
    from ..games.numbers import to_number

    low_text, sep, high_text = text.partition(":")
    if not sep or not low_text.strip() or not high_text.strip():
        raise BadInput(f"--range {text!r}: expected A:B, for example --range 0.3:0.9")
    try:
        low = Fraction(to_number(low_text.strip(), what="--range start"))
        high = Fraction(to_number(high_text.strip(), what="--range end"))
    except GameError as exc:
        raise BadInput(str(exc)) from None
    if not low < high:
        raise BadInput(f"--range {text!r}: the start must be below the end")
    return [low + (high - low) * k / (steps - 1) for k in range(steps)]


def _check_plot(path: Path) -> str:
    """The figure format of ``path`` (svg, png or pdf), checked before the sweep runs."""
    import importlib.util

    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("svg", "png", "pdf"):
        raise BadInput(f"--plot {path}: expected a .svg, .png or .pdf file")
    if importlib.util.find_spec("matplotlib") is None:
        raise BadInput("--plot needs matplotlib: pip install matplotlib")
    return fmt


def _number(x: Any) -> float:
    from ..recommendations.evaluate import _num

    return float("nan") if x is None else float(_num(x))


def _plot_sweep(path: Path, fmt: str, param: str, rec_id: str, points: list[Any]) -> None:
    """Draw the thresholds (before dashed, after solid) and where the verdict is "works"."""
    import io

    from matplotlib.figure import Figure

    xs = [p["x"] for p in points]
    fig = Figure(figsize=(8, 4), layout="constrained")
    ax = fig.subplots()
    names = list(dict.fromkeys(n for p in points for n in p["th"]))[:4]
    none = (None, None, None)
    for name in names:
        before = [p["th"].get(name, none)[0] for p in points]
        after = [p["th"].get(name, none)[1] for p in points]
        line = ax.plot(xs, [_number(v) for v in after], marker="o", label=f"{name} after")
        if any(v is not None for v in before):
            ax.plot(
                xs,
                [_number(v) for v in before],
                linestyle="--",
                color=line[0].get_color(),
                label=f"{name} before",
            )
    if names:
        in_play = [p["th"].get(names[0], none)[2] for p in points]
        if len({_number(v) for v in in_play if v is not None}) > 1:
            ax.plot(xs, [_number(v) for v in in_play], ":", color="black", label="value in play")
    works = [x for x, p in zip(xs, points, strict=True) if p["verdict"] == "works"]
    if works:
        ax.scatter(works, [0] * len(works), marker="s", color="green", label="works")
    ax.set_xlabel(param)
    ax.set_title(f"{rec_id}: thresholds and verdict along {param}")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize="small")
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt)
    write_atomic(path, buffer.getvalue())


@app.command()
def sweep(
    rec: Annotated[str, typer.Argument(metavar="REC", help="A recommendation id, e.g. DF.")],
    param: Annotated[
        str,
        typer.Option("--param", "-p", help="The scenario parameter to vary.", show_default=False),
    ],
    range_text: Annotated[
        str,
        typer.Option(
            "--range", "-r", help="From A to B, as A:B (exact: 1/3:2/3).", show_default=False
        ),
    ],
    steps: Annotated[
        int, typer.Option("--steps", "-n", help="Number of evenly spaced values.", min=2, max=1001)
    ] = 11,
    set_values: SetValues = None,
    scenario: ScenarioFile = None,
    plot: Annotated[
        Path | None,
        typer.Option(
            "--plot",
            help="Also draw the thresholds and verdict (needs matplotlib).",
            dir_okay=False,
        ),
    ] = None,
    as_json: AsJson = False,
    quiet: Quiet = False,
) -> None:
    """Vary a parameter: where does the verdict change?

    Prints, for each value, the verdict, the improvement and the thresholds after the change,
    then the intervals where the verdict switches: the data of a threshold plot.

    Examples:

    \b
      equishift sweep DF --param delta --range 0.3:0.9 --steps 7
      equishift sweep R2 --param q --range 0.5:1 --json
      equishift sweep R3 --param r_rel --range 0:0.75 --plot r3.svg
    """
    from ..games.numbers import format_number
    from ..recommendations.evaluate import _n
    from ._source import evaluate_one, find_recommendation, parse_assignments, prepare

    with _errors():
        chosen = find_recommendation(rec, scenario)
        values = parse_assignments(set_values or [])
        if param in values:
            raise BadInput(f"--param {param} is also given with --set; give it once")
        xs = _parse_range(range_text, steps)
        fmt = _check_plot(plot) if plot is not None else ""
        for end in (xs[0], xs[-1]):  # check the parameter and the range before the long part
            prepare(chosen, {**values, param: format_number(end)}, scenario)
        points: list[dict[str, Any]] = []
        with progress(len(xs), f"{chosen.id}: {param}", quiet=quiet) as bar:
            for x in xs:
                ev = evaluate_one(chosen, {**values, param: format_number(x)}, scenario)
                ths = {
                    t.name: (t.before, t.after, t.value)
                    for t in ev.thresholds
                    if t.before is not None or t.after is not None
                }
                points.append(
                    {
                        "value": format_number(x),
                        "x": float(x),
                        "verdict": ev.verdict.status,
                        "improvement": _n(ev.improvement),
                        "thresholds": {
                            k: {"before": _n(b), "after": _n(a), "in_play": _n(v)}
                            for k, (b, a, v) in ths.items()
                        },
                        "th": ths,
                    }
                )
                bar.advance()
        changes = [
            {"between": [a["value"], b["value"]], "from": a["verdict"], "to": b["verdict"]}
            for a, b in itertools.pairwise(points)
            if a["verdict"] != b["verdict"]
        ]
        if plot is not None:
            _plot_sweep(plot, fmt, param, chosen.id, points)
    if as_json:
        emit_json(
            {
                "recommendation": chosen.id,
                "parameter": param,
                "set": values,
                "points": [
                    {k: p[k] for k in ("value", "verdict", "improvement", "thresholds")}
                    for p in points
                ],
                "changes": changes,
            }
        )
        return
    names = list(dict.fromkeys(n for p in points for n in p["thresholds"]))[:3]
    columns: list[tuple[str, str]] = []  # (threshold, "before" or "after")
    for k, name in enumerate(names):
        varies = {p["thresholds"].get(name, {}).get("before") for p in points}
        if k == 0 and varies != {None}:
            columns.append((name, "before"))
        columns.append((name, "after"))
    rows = [
        [f"{p['x']:.6g}", p["verdict"], p["improvement"] or "-"]
        + [p["thresholds"].get(n, {}).get(when) or "-" for n, when in columns]
        for p in points
    ]
    headers = [n if when == "after" else f"{n} before" for n, when in columns]
    emit_table([param, "verdict", "improvement", *headers], rows)
    for c in changes:
        a, b = c["between"]
        typer.echo(f"verdict changes between {param} = {a} and {b}: {c['from']} -> {c['to']}")
    if not changes:
        typer.echo(f"the verdict is {points[0]['verdict']} along the whole range")
    if plot is not None:
        status(f"wrote {plot}", quiet=quiet)


# -- the briefing -----------------------------------------------------------------------------
@dataclass(frozen=True)
class _Analysis:
    """What the briefing computes beyond the evaluations."""

    samples: int = 0
    seed: int = 0
    workers: int = 1
    scheduler: str | None = None
    maps: bool = False


def _extras(evs: list[Any], options: _Analysis, quiet: bool) -> dict[str, Any]:
    """Robustness (pooled over the workers) and verdict maps, as build_briefing arguments."""
    if not options.samples and not options.maps:
        return {}
    from ..report import briefing_extras

    robust = (
        _brief_robustness(
            [ev.recommendation.id for ev in evs],
            options.samples,
            options.seed,
            options.workers,
            options.scheduler,
            quiet,
        )
        if options.samples
        else {}
    )
    with progress(len(evs), "drawing the verdict maps", quiet=quiet) as bar:

        def advance(step: str, done: int, total: int) -> None:
            bar.advance_to(done)

        extras = briefing_extras(
            evs,
            n_samples=0,
            seed=options.seed,
            maps=options.maps,
            robustness_results=robust,
            progress=advance,
        )
    return extras.build_arguments()


def _write_briefing(
    out: Path,
    formats: list[str] | None,
    title: str,
    quiet: bool,
    options: _Analysis | None = None,
) -> tuple[Any, dict[str, Path], str | None]:
    from ._briefing import check_formats, pdf_worker, prepare_folder, write

    options = options or _Analysis()
    fmts = check_formats(formats)
    folder = prepare_folder(out)
    # The PDF's process starts first and loads matplotlib and its fonts while this one loads
    # the games and evaluates the recommendations.
    with pdf_worker(fmts) as worker:
        from ..recommendations.evaluate import compare_recommendations
        from ._source import all_evaluations, recommendations, scenario_sources

        recs = recommendations()
        with progress(len(recs), f"evaluating {recs[0].id}", quiet=quiet) as bar:
            evs = all_evaluations(advance=bar.advance)
        ranking = compare_recommendations(evs)
        extras = _extras(evs, options, quiet)
        with progress(None, "writing the briefing", quiet=quiet):
            files, note = write(
                evs,
                folder,
                fmts,
                title=title,
                sources=scenario_sources(),
                seed=options.seed if options.samples else None,
                extras=extras,
                pdf_worker=worker,
            )
    return (ranking, evs), files, note


Out = Annotated[
    Path, typer.Option("--out", "-o", help="The folder to write the briefing to.", file_okay=False)
]
Title = Annotated[str, typer.Option("--title", help="The briefing's title.")]


def _report_files(folder: Path, files: dict[str, Path], note: str | None, quiet: bool) -> None:
    if note:
        status(f"note: {note}", quiet=quiet)
    names = ", ".join(p.name for k, p in files.items() if not k.startswith("figure:"))
    figures = sum(1 for k in files if k.startswith("figure:"))
    more = (
        f" (and {figures} figure{'s' if figures != 1 else ''} for the Markdown)" if figures else ""
    )
    typer.echo(f"briefing written to {folder}/: {names}{more}")


BriefSamples = Annotated[
    int,
    typer.Option(
        "--robustness",
        help="Robustness samples per recommendation (0: no robustness analysis).",
        min=0,
    ),
]
Maps = Annotated[
    bool, typer.Option("--maps/--no-maps", help="Draw a 2-D verdict map per recommendation.")
]


@app.command()
def brief(
    out: Out = Path("equishift-briefing"),
    formats: Formats = None,
    title: Title = DEFAULT_TITLE,
    robust_n: BriefSamples = DEFAULT_SAMPLES,
    seed: Seed = 0,
    workers: Workers = 2,
    scheduler: Scheduler = None,
    maps: Maps = True,
    as_json: AsJson = False,
    quiet: Quiet = False,
) -> None:
    """The main job: evaluate the brief, write the briefing.

    Evaluates every recommendation of the bundled brief, ranks them, and writes the briefing.

    The main job, no arguments needed: a ranking table in the terminal, and the briefing
    (HTML, PDF, Markdown, JSON) in the folder named at the end (./equishift-briefing unless
    --out says otherwise).

    Examples:

    \b
      equishift brief
      equishift brief --out reports/2026-11 --format html --format md
      equishift brief --robustness 100000 --seed 7 --workers 2
      equishift brief --robustness 0 --no-maps      (fastest: no sampling, no maps)
      equishift brief --json --quiet

    Each verdict comes with its robustness: the share of --robustness draws of the
    scenario's parameters (seeded) where it holds, what it hinges on, the smallest change
    that reverses it, and a map of where it works over the two parameters that matter most.
    """
    with _errors():
        _check_scheduler(scheduler)
        options = _Analysis(robust_n, seed, workers, scheduler, maps)
        (ranking, evs), files, note = _write_briefing(out, formats, title, quiet, options)
    if as_json:
        emit_json(
            {
                "title": title,
                "folder": str(out),
                "files": {k: str(v) for k, v in files.items()},
                "note": note,
                "ranking": ranking.to_json(),
                "evaluations": [ev.to_json() for ev in evs],
            }
        )
        return
    emit_table(_RANKING_HEADERS, _ranking_rows(ranking), title=title)
    typer.echo(f"note: {_RANKING_NOTE}")
    typer.echo("")
    _report_files(out, files, note, quiet)


@app.command()
def report(
    source: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="A saved briefing JSON (briefing.json) to render again.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    out: Out = Path("equishift-briefing"),
    formats: Formats = None,
    title: Title = DEFAULT_TITLE,
    as_json: AsJson = False,
    quiet: Quiet = False,
) -> None:
    """Write the briefing again, from saved JSON or afresh.

    With --from, renders a saved briefing.json in other formats without computing anything;
    without it, evaluates the brief and writes the briefing (no table).

    Examples:

    \b
      equishift report --from equishift-briefing/briefing.json --out again --format html
      equishift report --out reports --format md
    """
    from ._briefing import check_formats, prepare_folder, rerender

    with _errors():
        if source is None:
            _ranking, files, note = _write_briefing(out, formats, title, quiet)
        else:
            fmts = check_formats(formats)
            if not source.is_file():
                raise BadInput(f"{source}: no such file")
            try:
                data = json.loads(source.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise BadInput(f"{source}: not a JSON file: {exc}") from None
            files, note = rerender(data, prepare_folder(out), fmts)
    if as_json:
        emit_json(
            {"folder": str(out), "files": {k: str(v) for k, v in files.items()}, "note": note}
        )
        return
    _report_files(out, files, note, quiet)


# -- convert ----------------------------------------------------------------------------------
_GAMBIT = (".nfg", ".efg")


@app.command()
def convert(
    source: Annotated[Path, typer.Argument(metavar="IN", help="A .toml scenario, .nfg or .efg.")],
    target: Annotated[
        Path, typer.Argument(metavar="OUT", help="The file to write (.toml, .nfg or .efg).")
    ],
    game_name: Annotated[
        str | None,
        typer.Option(
            "--game", "-g", help="Which game of a scenario with several.", show_default=False
        ),
    ] = None,
    quiet: Quiet = False,
) -> None:
    """Convert scenario files (TOML) to and from Gambit files.

    A normal-form game goes to .nfg, a game tree to .efg; a game with parameters is written at
    their values. Gambit to TOML wraps the game in a scenario you can annotate.

    Examples:

    \b
      equishift convert game.nfg game.toml
      equishift convert dual-freeze.toml baseline.nfg --game baseline
      equishift convert tree.efg tree.toml
    """
    from ..games.extensive_form import ExtensiveFormGame
    from ..games.formats.gambit import write_efg, write_nfg
    from ..games.formats.scenario import scenario_from_game, write_scenario
    from ..games.normal_form import NormalFormGame
    from ..games.parametric import ParametricGame
    from ._source import read_scenario_with

    src_kind, dst_kind = source.suffix.lower(), target.suffix.lower()
    with _errors():
        if src_kind not in (".toml", *_GAMBIT):
            raise BadInput(f"{source}: expected a .toml, .nfg or .efg file")
        if dst_kind not in (".toml", *_GAMBIT):
            raise BadInput(f"{target}: expected to write a .toml, .nfg or .efg file")
        if source.resolve() == target.resolve():
            raise BadInput(f"{target}: is the input file; give another name")
        if src_kind == ".toml":
            scenario = read_scenario_with(source, {})
            if game_name is None and len(scenario.games) != 1:
                raise BadInput(
                    f"{source} has {len(scenario.games)} games; choose one with --game "
                    f"({', '.join(scenario.games)})"
                )
            if game_name is not None and game_name not in scenario.games:
                raise BadInput(
                    f"{source}: no game {game_name!r}; its games are: {', '.join(scenario.games)}"
                )
            game: Any = scenario.game(game_name)
            stem = scenario.meta.id or source.stem
        else:
            game = _load(str(source), None)
            stem = source.stem
        if dst_kind == ".toml":
            text = write_scenario(scenario_from_game(game, id=stem, name=game_name or "game"))
        else:
            if isinstance(game, ParametricGame):
                game = game.default()
            if dst_kind == ".nfg" and isinstance(game, NormalFormGame):
                text = write_nfg(game)
            elif dst_kind == ".efg" and isinstance(game, ExtensiveFormGame):
                text = write_efg(game)
            else:
                form = type(game).__name__
                fits = {"NormalFormGame": ".nfg", "ExtensiveFormGame": ".efg"}.get(form)
                hint = f"; write it as {fits}" if fits else "; Gambit files hold finite games only"
                raise BadInput(f"{source}: a {form} cannot be written as {dst_kind}{hint}")
        write_atomic(target, text)
    status(f"wrote {target}", quiet=quiet)


def main() -> None:
    """Entry point of the ``equishift`` console script.

    The command runs as usual (exit code and messages as typer gives them); then the exit
    handlers run, the output is flushed, and the process ends without the interpreter's
    teardown of every loaded module, which takes about half a second once sympy, numpy and
    matplotlib are loaded and serves no purpose in a process about to end.
    """
    try:
        app()
    except SystemExit as exc:
        _end(exc.code)
    _end(0)


def _end(code: object) -> None:
    """Finish the process with ``code`` as :func:`sys.exit` would, minus the teardown."""
    import atexit
    import os

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = 1
    try:
        atexit._run_exitfuncs()  # logging, multiprocessing, temporary files: as at a normal exit
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):  # a closed pipe (`... | head`)
                stream.flush()
        os._exit(status)
