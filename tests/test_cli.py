"""The command line, through typer's CliRunner: output, JSON, and every error path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from equishift.cli.app import app

runner = CliRunner()


def test_solve_example_table() -> None:
    result = runner.invoke(app, ["solve", "--example", "dual-freeze"])
    assert result.exit_code == 0, result.output
    assert "DPRK" in result.stdout and "Test" in result.stdout and "Exercise" in result.stdout
    assert "complete" in result.stdout


def test_solve_json_exact_fractions() -> None:
    result = runner.invoke(app, ["solve", "--example", "crisis-chicken", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["method"] == "bimatrix" and doc["complete"] is True
    mixed = [e for e in doc["equilibria"] if e["strategies"]["DPRK"]["Escalate"] not in ("0", "1")]
    assert len(mixed) == 1
    assert mixed[0]["strategies"]["DPRK"] == {"Restrain": "12/13", "Escalate": "1/13"}
    assert set(doc) >= {"game", "method", "complete", "equilibria"}


def test_solve_efg_marks_subgame_perfection() -> None:
    result = runner.invoke(app, ["solve", "--example", "bloody-nose", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    spe = [e for e in doc["equilibria"] if e["subgame_perfect"]]
    assert spe, doc
    for eq in spe:
        us = eq["strategies"]["US"]
        strike = next(v for k, v in us.items() if "strike" in k.lower())
        assert strike["No strike"] == "1"


def test_output_file_written_atomically(tmp_path: Path) -> None:
    out = tmp_path / "sol.json"
    result = runner.invoke(app, ["solve", "--example", "engagement-stag-hunt", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(json.loads(out.read_text())["equilibria"]) == 3
    assert [p.name for p in tmp_path.iterdir()] == ["sol.json"]


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ('NFG 1 R "x" { "A" "B" } { 2 2 }\n1 2 3\n', "bad.nfg:"),
        ("hello world\n", "bad.nfg:1"),
        ('NFG 1 R "x" { "A" "B" } { 2 2 }\n1 2 3 4 5 6 7 nan\n', "bad.nfg:"),
    ],
)
def test_bad_file_one_line_exit_2(tmp_path: Path, content: str, needle: str) -> None:
    bad = tmp_path / "bad.nfg"
    bad.write_text(content)
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["solve", str(bad), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad.nfg"]


def test_missing_file_and_directory(tmp_path: Path) -> None:
    result = runner.invoke(app, ["solve", str(tmp_path / "nope.nfg")])
    assert result.exit_code == 2 and "no such file" in result.stderr
    result = runner.invoke(app, ["solve", str(tmp_path)])
    assert result.exit_code == 2 and "is a directory" in result.stderr


def test_binary_file(tmp_path: Path) -> None:
    bad = tmp_path / "x.nfg"
    bad.write_bytes(b"\xff\xfe\x00\x01")
    result = runner.invoke(app, ["solve", str(bad)])
    assert result.exit_code == 2 and "x.nfg" in result.stderr


def test_unknown_method_and_example() -> None:
    result = runner.invoke(app, ["solve", "--example", "dual-freeze", "--method", "magic"])
    assert result.exit_code == 2 and "unknown method 'magic'" in result.stderr
    result = runner.invoke(app, ["solve", "--example", "nope"])
    assert result.exit_code == 2 and "unknown example" in result.stderr
    result = runner.invoke(app, ["solve"])
    assert result.exit_code == 2 and "either a game FILE or --example" in result.stderr


def test_method_not_applicable() -> None:
    result = runner.invoke(
        app, ["solve", "--example", "dual-freeze", "--method", "backward_induction"]
    )
    assert result.exit_code == 2 and "extensive-form games only" in result.stderr


def test_methods_examples_show() -> None:
    assert "lemke_howson" in runner.invoke(app, ["methods"]).stdout
    assert "dual-freeze" in runner.invoke(app, ["examples"]).stdout
    shown = runner.invoke(app, ["show", "--example", "dual-freeze"])
    assert shown.exit_code == 0 and "Freeze" in shown.stdout and "5, 0" in shown.stdout


def _console_script(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the console script's entry point, ``main()``, in a fresh interpreter."""
    code = "from equishift.cli.app import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120
    )


def test_console_script_exit_codes_and_output(tmp_path: Path) -> None:
    # main() ends the process itself (no interpreter teardown): the exit code and every
    # line of output must still come through, on success and on bad input.
    ok = _console_script("methods")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines()[0].startswith("pure")
    bad = _console_script("solve", str(tmp_path / "missing.nfg"))
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert bad.stderr.strip().startswith("equishift: error:")
    assert "Traceback" not in bad.stderr
    usage = _console_script("no-such-command")
    assert usage.returncode == 2
