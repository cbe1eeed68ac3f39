"""Robustness on the command line: evaluate, compare and brief, through typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from equishift.cli.app import app
from equishift.recommendations.scenarios import scenario_path

runner = CliRunner()


def test_evaluate_robustness_with_workers_is_the_same() -> None:
    one = runner.invoke(app, ["evaluate", "R3", "--robustness", "200", "--json", "--quiet"])
    two = runner.invoke(
        app, ["evaluate", "R3", "--robustness", "200", "--workers", "2", "--json", "--quiet"]
    )
    assert one.exit_code == 0 and two.exit_code == 0, one.output + two.output
    a, b = json.loads(one.stdout)["robustness"], json.loads(two.stdout)["robustness"]
    assert a == b
    assert a["vectorised_rule"] == "repeated-threshold"
    assert a["works"] + a["does_not_work"] + a["undetermined"] == 200


def test_evaluate_bad_scheduler_is_bad_input() -> None:
    r = runner.invoke(app, ["evaluate", "R3", "--robustness", "8", "--scheduler", "cloud"])
    assert r.exit_code == 2
    assert "--scheduler 'cloud'" in r.stderr and "Traceback" not in r.output


def test_evaluate_ordinal() -> None:
    path = str(scenario_path("ordinal-engagement"))
    args = ["evaluate", "R1-ordinal", "--scenario", path]
    r = runner.invoke(app, [*args, "--ordinal", "40", "--json", "--quiet"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)["ordinal_robustness"]
    assert doc["n"] == 40
    r = runner.invoke(app, [*args, "--ordinal", "5", "--set", "S=1"])
    assert r.exit_code == 2 and "--ordinal" in r.stderr


def test_compare_with_robustness() -> None:
    r = runner.invoke(app, ["compare", "R2", "R3", "--robustness", "300", "--workers", "1"])
    assert r.exit_code == 0, r.output
    assert "holds in" in r.stdout and "hinges on" in r.stdout
    assert "300 seeded draws" in r.stdout
    j = runner.invoke(app, ["compare", "R2", "R3", "--robustness", "300", "--json", "--quiet"])
    doc = json.loads(j.stdout)
    assert set(doc["robustness"]) == {"R2", "R3"}
    assert doc["robustness"]["R2"]["n"] == 300
    plain = runner.invoke(app, ["compare", "R2", "--json", "--quiet"])
    assert "robustness" not in json.loads(plain.stdout)


def test_brief_without_robustness_and_maps(tmp_path: Path) -> None:
    out = tmp_path / "b"
    r = runner.invoke(
        app,
        ["brief", "--out", str(out), "--robustness", "0", "--no-maps", "-f", "json", "--quiet"],
    )
    assert r.exit_code == 0, r.output
    doc = json.loads((out / "briefing.json").read_text(encoding="utf-8"))
    assert all(s.get("robustness") in (None, {}) for s in doc["sections"])


def test_brief_with_robustness_records_it(tmp_path: Path) -> None:
    out = tmp_path / "b"
    r = runner.invoke(
        app,
        [
            "brief",
            "--out",
            str(out),
            "--robustness",
            "256",
            "--seed",
            "3",
            "--no-maps",
            "-f",
            "json",
            "-f",
            "md",
            "--quiet",
        ],
    )
    assert r.exit_code == 0, r.output
    text = (out / "briefing.md").read_text(encoding="utf-8")
    assert "256 samples" in text or "256 draws" in text or "256" in text
    doc = json.loads((out / "briefing.json").read_text(encoding="utf-8"))
    robust = [s["robustness"] for s in doc["sections"] if s.get("robustness")]
    assert len(robust) == 10


def test_brief_bad_scheduler(tmp_path: Path) -> None:
    r = runner.invoke(app, ["brief", "--out", str(tmp_path / "x"), "--scheduler", "nope"])
    assert r.exit_code == 2 and "--scheduler" in r.stderr
    assert not (tmp_path / "x" / "briefing.html").exists()
