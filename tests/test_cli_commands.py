"""The commands beyond `solve`, through typer's CliRunner: output, JSON and every error path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from equishift.cli.app import app
from equishift.games.formats.gambit import read_game
from equishift.recommendations.scenarios import scenario_path

runner = CliRunner()

IDS = ["DF", "R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "BN"]


def run(*args: str) -> Result:
    return runner.invoke(app, list(args))


def one_error_line(result: Result, code: int, needle: str) -> None:
    """Exit ``code``, nothing on stdout, one line on stderr holding ``needle``, no traceback."""
    assert result.exit_code == code, (result.exit_code, result.output)
    assert result.stdout == "", result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert needle in lines[0], result.stderr
    assert "Traceback" not in result.stderr


# -- start-up ---------------------------------------------------------------------------------
def test_help_imports_no_numpy() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "import equishift.cli.app as m\n"
        "r = CliRunner().invoke(m.app, ['--help'])\n"
        "assert r.exit_code == 0, r.output\n"
        "assert 'brief' in r.stdout\n"
        "heavy = [n for n in ('numpy', 'sympy', 'scipy', 'matplotlib') if n in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"--help imported {out.stdout.strip()}"


def test_version() -> None:
    from equishift import __version__

    result = run("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"equishift {__version__}"


COMMANDS = [
    ["brief"],
    ["games", "list"],
    ["games", "show"],
    ["recommendations", "list"],
    ["recommendations", "show"],
    ["solve"],
    ["evaluate"],
    ["compare"],
    ["sweep"],
    ["report"],
    ["convert"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_has_examples(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0, result.output
    assert "Examples" in result.stdout and "equishift " + command[0] in result.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["evaluate"], "Missing argument 'REC'"),
        (["--bogus"], "No such option: --bogus"),
        (["compare", "--steps", "3"], "No such option: --steps"),
        (["nonsense"], "No such command 'nonsense'"),
        (["sweep", "DF", "--range", "0:1"], "Missing option '--param'"),
    ],
)
def test_usage_errors_in_one_line(args: list[str], needle: str) -> None:
    one_error_line(run(*args), 2, needle)


def test_no_arguments_shows_help() -> None:
    result = run()
    assert "brief" in result.output and "Usage" in result.output


# -- brief ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def briefing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], Result]:
    folder = tmp_path_factory.mktemp("brief") / "out"
    result = run("brief", "--out", str(folder), "--format", "md", "--format", "json", "--json")
    assert result.exit_code == 0, result.output
    return folder, json.loads(result.stdout), result


def test_brief_json_and_files(briefing: tuple[Path, dict[str, Any], Result]) -> None:
    folder, doc, result = briefing
    assert [row["id"] for row in doc["ranking"]] != []
    assert sorted(row["id"] for row in doc["ranking"]) == sorted(IDS)
    assert [e["id"] for e in doc["evaluations"]] == IDS
    assert set(doc["files"]) >= {"md", "json"} and "html" not in doc["files"]
    assert (folder / "briefing.md").is_file() and (folder / "briefing.json").is_file()
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temporary files
    saved = json.loads((folder / "briefing.json").read_text())
    assert {"title", "summary", "sections"} <= set(saved)
    assert result.stderr == ""  # no progress bar when not on a terminal


def test_brief_table_plain_when_piped(tmp_path: Path) -> None:
    result = run("brief", "--out", str(tmp_path / "b"), "-f", "md", "--quiet")
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.stdout  # no colour codes
    lines = result.stdout.splitlines()
    assert lines[1].split() == ["rank", "id", "title", "verdict", "criterion", "improvement"]
    assert "note: improvement is measured on each criterion's own scale" in result.stdout
    assert all(i in result.stdout for i in IDS)
    assert f"briefing written to {tmp_path / 'b'}/: briefing.md" in result.stdout
    assert result.stderr == ""


def test_brief_matches_the_library(briefing: tuple[Path, dict[str, Any], Result]) -> None:
    from equishift.recommendations.evaluate import brief_evaluations

    _folder, doc, _result = briefing
    assert doc["evaluations"] == [e.to_json() for e in brief_evaluations()]


def test_brief_unwritable_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    one_error_line(run("brief", "--out", str(blocker / "sub")), 2, "cannot create")
    one_error_line(run("brief", "--out", str(blocker)), 2, "is a file")


def test_brief_unknown_format(tmp_path: Path) -> None:
    one_error_line(run("brief", "--out", str(tmp_path), "-f", "docx"), 2, "--format 'docx'")


# -- report -----------------------------------------------------------------------------------
def test_report_from_saved_json(
    briefing: tuple[Path, dict[str, Any], Result], tmp_path: Path
) -> None:
    folder, _doc, _result = briefing
    out = tmp_path / "again"
    result = run("report", "--from", str(folder / "briefing.json"), "--out", str(out), "-f", "md")
    assert result.exit_code == 0, result.output
    assert (out / "briefing.md").read_text() == (folder / "briefing.md").read_text()
    result = run("report", "--from", str(folder / "briefing.json"), "--out", str(out), "--json")
    assert result.exit_code == 0 and "html" in json.loads(result.stdout)["files"]


def test_report_bad_inputs(tmp_path: Path) -> None:
    one_error_line(run("report", "--from", str(tmp_path / "nope.json")), 2, "no such file")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    one_error_line(run("report", "--from", str(bad), "--out", str(tmp_path)), 2, "not a JSON")
    bad.write_text('{"a": 1}')
    one_error_line(
        run("report", "--from", str(bad), "--out", str(tmp_path)), 2, "not a saved briefing"
    )


# -- games and recommendations ----------------------------------------------------------------
def test_games_list_and_default() -> None:
    listed = run("games", "list")
    assert listed.exit_code == 0 and "dual-freeze/baseline" in listed.stdout
    assert run("games").stdout == listed.stdout
    doc = json.loads(run("games", "list", "--json").stdout)
    assert {"name": "repeated-pd/leader-deal", "form": "RepeatedGame"}.items() <= next(
        g for g in doc if g["name"] == "repeated-pd/leader-deal"
    ).items()


def test_games_show() -> None:
    result = run("games", "show", "dual-freeze/baseline")
    assert result.exit_code == 0, result.output
    assert "Freeze" in result.stdout and "parameters of dual-freeze" in result.stdout
    assert "T_D" in result.stdout
    assert run("games", "show", "leader-deal").exit_code == 0
    assert "engagement-stag-hunt/game" in run("games", "show", "engagement-stag-hunt").stdout


def test_games_show_errors() -> None:
    one_error_line(run("games", "show", "nope"), 2, "unknown game 'nope'")
    one_error_line(run("games", "show", "dual-freeze/nope"), 2, "no game 'nope' in dual-freeze")
    one_error_line(run("games", "show", "game"), 2, "several scenarios")


def test_recommendations() -> None:
    listed = run("recommendations", "list")
    assert listed.exit_code == 0 and all(i in listed.stdout for i in IDS)
    assert run("recommendations").stdout == listed.stdout
    doc = json.loads(run("recommendations", "list", "--json").stdout)
    assert [r["id"] for r in doc] == IDS
    shown = run("recommendations", "show", "r4")
    assert shown.exit_code == 0 and "R4: Use the Korean talks" in shown.stdout
    assert "quote:" in shown.stdout and "criterion:" in shown.stdout
    one_error_line(run("recommendations", "show", "R99"), 2, "unknown recommendation 'R99'")


# -- evaluate ---------------------------------------------------------------------------------
def test_evaluate_table() -> None:
    result = run("evaluate", "DF")
    assert result.exit_code == 0, result.output
    assert "verdict: works" in result.stdout and "delta_star" in result.stdout
    assert result.stderr == ""


def test_evaluate_json_with_set() -> None:
    result = run("evaluate", "DF", "--set", "delta=0.4", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["set"] == {"delta": "2/5"}
    assert doc["verdict"]["status"] == "does not work"  # a result, exit status 0
    doc = json.loads(run("evaluate", "DF", "--set", "T_D=8", "--json").stdout)
    assert doc["verdict"]["status"] == "does not work"
    assert json.loads(run("evaluate", "DF", "--json").stdout)["verdict"]["status"] == "works"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["R99"], "unknown recommendation 'R99'"),
        (["DF", "--set", "delta"], "expected NAME=VALUE"),
        (["DF", "--set", "=3"], "expected NAME=VALUE"),
        (["DF", "--set", "delta=abc"], "--set delta"),
        (["DF", "--set", "delta=0.5", "--set", "delta=0.6"], "given twice"),
        (["DF", "--set", "nope=1"], "unknown parameter 'nope'"),
        (["DF", "--set", "T_D=100"], "outside its range"),
        (["DF", "--set", "delta=2"], "--set delta=2"),
    ],
)
def test_evaluate_bad_input(args: list[str], needle: str) -> None:
    one_error_line(run("evaluate", *args), 2, needle)


def test_evaluate_with_scenario_file(tmp_path: Path) -> None:
    text = scenario_path("engagement-stag-hunt").read_text(encoding="utf-8")
    mine = tmp_path / "mine.toml"
    mine.write_text(text)
    result = run("evaluate", "R1", "--scenario", str(mine), "--set", "S=1", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["set"] == {"S": "1"}
    broken = tmp_path / "broken.toml"
    broken.write_text(text.replace('form = "normal"', 'form = "norml"'))
    one_error_line(run("evaluate", "R1", "--scenario", str(broken)), 2, "broken.toml:")
    one_error_line(
        run("evaluate", "R1", "--scenario", str(tmp_path / "none.toml")), 2, "no such file"
    )


def test_evaluation_failure_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    from equishift.cli import _source
    from equishift.games.errors import GameError

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise GameError("the solver gave up")

    monkeypatch.setattr(_source, "evaluate", broken)
    one_error_line(run("evaluate", "DF"), 1, "analysis failed: the solver gave up")
    one_error_line(run("compare", "DF"), 1, "the solver gave up")


# -- compare ----------------------------------------------------------------------------------
def test_compare() -> None:
    result = run("compare", "R3", "R2")
    assert result.exit_code == 0, result.output
    rows = [r for r in result.stdout.splitlines()[2:] if not r.startswith("note:")]
    assert [r.split()[1] for r in rows] == ["R2", "R3"]  # R2 improves more
    doc = json.loads(run("compare", "R3", "R2", "--json").stdout)
    assert [r["id"] for r in doc] == ["R2", "R3"] and doc[0]["rank"] == 1
    one_error_line(run("compare", "R2", "X"), 2, "unknown recommendation 'X'")


# -- sweep ------------------------------------------------------------------------------------
def test_sweep_finds_the_threshold() -> None:
    result = run("sweep", "DF", "--param", "delta", "--range", "0.3:0.9", "--steps", "7")
    assert result.exit_code == 0, result.output
    assert "verdict changes between delta = 2/5 and 1/2: does not work -> works" in result.stdout
    doc = json.loads(run("sweep", "DF", "-p", "delta", "-r", "1/4:3/4", "-n", "3", "--json").stdout)
    assert [p["value"] for p in doc["points"]] == ["1/4", "1/2", "3/4"]
    assert [p["verdict"] for p in doc["points"]] == ["does not work", "works", "works"]
    assert doc["changes"] == [{"between": ["1/4", "1/2"], "from": "does not work", "to": "works"}]
    assert doc["points"][1]["thresholds"]["delta_star"] == {
        "before": None,
        "after": "1/2",
        "in_play": "1/2",
    }


def test_sweep_scenario_parameter() -> None:
    result = run("sweep", "R2", "--param", "q", "--range", "0.5:1", "--steps", "3", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["parameter"] == "q" and len(doc["points"]) == 3


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--range", "0.9:0.3"], "start must be below the end"),
        (["--range", "0.3"], "expected A:B"),
        (["--range", "a:b"], "--range start"),
        (["--range", "0.3:0.9", "--param", "nope"], "unknown parameter 'nope'"),
        (["--range", "0.5:2"], "--set delta=2"),
        (["--range", "0.3:0.9", "--set", "delta=0.5"], "also given with --set"),
    ],
)
def test_sweep_bad_input(args: list[str], needle: str) -> None:
    if "--param" not in args:
        args = [*args, "--param", "delta"]
    one_error_line(run("sweep", "DF", *args), 2, needle)


def test_sweep_steps_too_few() -> None:
    result = run("sweep", "DF", "--param", "delta", "--range", "0:0.9", "--steps", "1")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_sweep_plot(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    plot = tmp_path / "df.svg"
    args = ["sweep", "DF", "-p", "delta", "-r", "0.3:0.9", "-n", "4", "-q", "--plot", str(plot)]
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert plot.read_text().lstrip().startswith("<?xml") and "<svg" in plot.read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["df.svg"]
    args[-1] = str(tmp_path / "df.txt")
    one_error_line(run(*args), 2, "expected a .svg, .png or .pdf")


# -- solve scenario files ---------------------------------------------------------------------
def test_solve_scenario_file() -> None:
    path = str(scenario_path("dual-freeze"))
    result = run("solve", path)
    assert result.exit_code == 0, result.output
    assert "== baseline" in result.stdout and "== freeze (RepeatedGame" in result.stdout
    doc = json.loads(run("solve", path, "--json").stdout)
    assert doc["scenario"] == "dual-freeze"
    assert [g["name"] for g in doc["games"]] == ["baseline", "stag-hunt", "deadlock", "freeze"]
    assert len(doc["games"][1]["solution"]["equilibria"]) == 3  # the Stag Hunt


def test_solve_scenario_skips_continuous() -> None:
    doc = json.loads(run("solve", str(scenario_path("arms-race")), "--json").stdout)
    assert any(g["solution"] is None and "LinearResponseGame" in g["note"] for g in doc["games"])


def test_solve_bad_scenario(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[game]\nform = "normal"\nplayer = ["A"]\n')
    one_error_line(run("solve", str(bad)), 2, "bad.toml:3")


G332 = (
    'NFG 1 R "" { "1" "2" "3" }\n\n{ { "1" "2" "3" }\n{ "1" "2" "3" }\n{ "1" "2" }\n}\n""\n\n'
    "5 6 7 7 0 6 7 2 4 2 3 7 1 4 7 0 7 5 4 8 6 0 1 7 7 8 2 1 5 7 6 7 7 5 2 8 5 4 6 3 1 4 2 6 3 0 "
    "1 4 6 7 7 4 1 6\n"
)


def test_solve_budget_exceeded_exits_1(tmp_path: Path) -> None:
    game = tmp_path / "g.nfg"
    game.write_text(G332)
    result = run("solve", str(game), "--max-seconds", "0.001")
    assert result.exit_code == 1, result.output
    assert "time budget" in result.stdout  # the partial result is shown, with its warning
    assert result.stderr.strip().startswith("equishift: analysis failed: the time budget")
    assert len(result.stderr.strip().splitlines()) == 1


# -- convert ----------------------------------------------------------------------------------
def test_convert_round_trip(tmp_path: Path) -> None:
    from equishift.games.examples import example_path

    toml, nfg = tmp_path / "df.toml", tmp_path / "df.nfg"
    assert run("convert", str(example_path("dual-freeze")), str(toml)).exit_code == 0
    assert "[games.game]" in toml.read_text()
    result = run("convert", str(toml), str(nfg))
    assert result.exit_code == 0, result.output
    assert read_game(nfg) == read_game(example_path("dual-freeze"))
    assert result.stderr.startswith("wrote")
    assert run("convert", str(toml), str(tmp_path / "q.nfg"), "-q").stderr == ""


def test_convert_tree(tmp_path: Path) -> None:
    from equishift.games.examples import example_path

    toml, efg = tmp_path / "bn.toml", tmp_path / "bn.efg"
    assert run("convert", str(example_path("bloody-nose")), str(toml)).exit_code == 0
    assert run("convert", str(toml), str(efg)).exit_code == 0
    assert read_game(efg) == read_game(example_path("bloody-nose"))
    one_error_line(run("convert", str(toml), str(tmp_path / "x.nfg")), 2, "write it as .efg")


def test_convert_scenario_with_parameters(tmp_path: Path) -> None:
    src = str(scenario_path("dual-freeze"))
    out = tmp_path / "baseline.nfg"
    result = run("convert", src, str(out), "--game", "baseline")
    assert result.exit_code == 0, result.output
    assert read_game(out).payoff(("Test", "Suspend")) == (5, 0)
    one_error_line(run("convert", src, str(out)), 2, "choose one with --game")
    one_error_line(run("convert", src, str(out), "--game", "x"), 2, "no game 'x'")
    one_error_line(run("convert", src, str(out), "--game", "freeze"), 2, "RepeatedGame")


def test_convert_bad_paths(tmp_path: Path) -> None:
    from equishift.games.examples import example_path

    nfg = str(example_path("dual-freeze"))
    one_error_line(run("convert", nfg, str(tmp_path / "x.txt")), 2, "expected to write")
    one_error_line(run("convert", str(tmp_path / "x.csv"), str(tmp_path / "x.nfg")), 2, "x.csv")
    one_error_line(run("convert", str(tmp_path / "no.nfg"), str(tmp_path / "x.toml")), 2, "no such")
    one_error_line(run("convert", nfg, str(tmp_path / "missing" / "x.toml")), 2, "does not exist")
    one_error_line(run("convert", nfg, nfg), 2, "is the input file")
    assert [p.name for p in tmp_path.iterdir()] == []


# -- the briefing without equishift.report, and report without --from ------------------------
@pytest.fixture
def only_df(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the brief hold one recommendation, so that these tests stay quick."""
    from equishift.cli import _source
    from equishift.recommendations.brief import DF

    monkeypatch.setattr(_source, "recommendations", lambda: (DF,))


@pytest.mark.usefixtures("only_df")
def test_report_without_from(tmp_path: Path) -> None:
    result = run("report", "--out", str(tmp_path), "-f", "md", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert Path(doc["files"]["md"]).read_text().count("DF") > 0 and doc["note"] is None


@pytest.mark.usefixtures("only_df")
def test_brief_without_the_report_module(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from equishift.cli import _briefing

    monkeypatch.setattr(_briefing, "_report", lambda: None)
    result = run("brief", "--out", str(tmp_path / "b"))
    assert result.exit_code == 0, result.output
    assert "equishift.report is not available" in result.stderr
    saved = tmp_path / "b" / "briefing.json"
    assert json.loads(saved.read_text())["ranking"][0]["id"] == "DF"
    assert "| 1 | DF |" in (tmp_path / "b" / "briefing.md").read_text()
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == ["briefing.json", "briefing.md"]
    again = tmp_path / "again"
    result = run("report", "--from", str(saved), "--out", str(again), "-q")
    assert result.exit_code == 0, result.output
    assert (again / "briefing.md").read_text() == (tmp_path / "b" / "briefing.md").read_text()


# -- evaluate --robustness --------------------------------------------------------------------
def test_evaluate_robustness_json_is_seeded_and_consistent() -> None:
    args = ["evaluate", "DF", "--robustness", "16", "--seed", "3", "--json", "--quiet"]
    first = run(*args)
    assert first.exit_code == 0, first.output
    doc = json.loads(first.stdout)
    rob = doc["robustness"]
    assert json.loads(run(*args).stdout)["robustness"] == rob  # same seed, same numbers
    counts = [rob[k] for k in ("works", "does_not_work", "undetermined")]
    assert sum(counts) == 16, rob


def test_evaluate_robustness_text_and_errors() -> None:
    result = run("evaluate", "DF", "--robustness", "8", "--quiet")
    assert result.exit_code == 0, result.output
    assert "probability the criterion holds" in result.stdout
    one_error_line(
        run("evaluate", "DF", "--robustness", "8", "--set", "delta=0.4"),
        2,
        "cannot be combined with --set",
    )
    assert run("evaluate", "DF", "--robustness", "0").exit_code == 2
