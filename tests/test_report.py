"""The briefing report: golden Markdown, JSON round trip, atomic writes, HTML basics, and the
briefing with robustness and verdict maps."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from equishift.games import NormalFormGame
from equishift.games.examples import example_path
from equishift.games.extensive_form import ExtensiveFormGame
from equishift.recommendations.brief import RECOMMENDATIONS, brief_games
from equishift.recommendations.evaluate import Evaluation, evaluate
from equishift.recommendations.maps import ParameterEffect, Regimes, VerdictMap
from equishift.recommendations.recommendation import Recommendation, ThresholdBelow
from equishift.recommendations.robustness import Flip, Robustness, Sensitivity
from equishift.recommendations.transforms import MakeRepeated
from equishift.report import (
    Briefing,
    ReportError,
    TreeFigure,
    briefing_extras,
    build_briefing,
    figure_filename,
    render_html,
    render_json,
    render_markdown,
    write_briefing,
)
from equishift.report import write as write_module
from equishift.report.build import _picture
from equishift.report.figures import figure_svg
from equishift.solver import solve

GOLDEN = Path(__file__).parent / "golden" / "briefing.md"


@pytest.fixture(scope="module")
def evaluations() -> list[Evaluation]:
    games = brief_games()
    return [evaluate(r, games) for r in RECOMMENDATIONS]


@pytest.fixture(scope="module")
def briefing(evaluations: list[Evaluation]) -> Briefing:
    return build_briefing(evaluations, seed=0)


def _failing_pd() -> Evaluation:
    pd = NormalFormGame.from_arrays(
        [[3, 0], [5, 1]], [[3, 5], [0, 1]], players=["A", "B"], strategies=[["C", "D"]] * 2
    )
    rec = Recommendation(
        "X", "Meet again", "We should meet again.", "1", ("pd",),
        (MakeRepeated(delta=Fraction(1, 3)),), ThresholdBelow(("C", "C")),
    )  # fmt: skip
    return evaluate(rec, {"pd": pd})


# -- golden Markdown --------------------------------------------------------------------------
def test_markdown_matches_golden(briefing: Briefing) -> None:
    text = render_markdown(briefing)
    if os.environ.get("EQUISHIFT_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(text, encoding="utf-8")
    assert GOLDEN.exists(), "run with EQUISHIFT_UPDATE_GOLDEN=1 to create the golden file"
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_markdown_is_deterministic(evaluations: list[Evaluation]) -> None:
    a = render_markdown(build_briefing(evaluations, seed=0))
    b = render_markdown(build_briefing(evaluations, seed=0))
    assert a == b


def test_markdown_names_every_part(briefing: Briefing) -> None:
    text = render_markdown(briefing)
    assert text.count("\n## ") == 1 + len(RECOMMENDATIONS) + 1  # summary, sections, stamp
    for rec in RECOMMENDATIONS:
        assert f"## {rec.id} — {rec.title}" in text
        assert rec.quote in text
        assert rec.section in text
    for heading in ("### The game", "### Thresholds", "### Assumptions", "### Caveats"):
        assert heading in text
    for fig in briefing.figures():
        assert f"]({figure_filename(fig)})" in text
    assert "not assessed" in text
    omitted = render_markdown(briefing, figures=False)
    assert ".svg)" not in omitted and "Figure omitted" in omitted


# -- content generated from the numbers -------------------------------------------------------
def test_summary_explains_from_numbers(briefing: Briefing) -> None:
    rows = {r.id: r for r in briefing.summary.rows}
    assert rows["R4"].why.count("11/35") == 1 and "from 1/2" in rows["R4"].why
    assert "2/3 to 1/3" in rows["R1"].why
    assert all(r.robustness == "not assessed" for r in rows.values())
    assert "not assessed" in briefing.summary.headline


def test_failing_recommendation_is_said_plainly() -> None:
    b = build_briefing([_failing_pd()])
    row = b.summary.rows[0]
    assert row.verdict == "does not work"
    assert "not cleared" in row.why and "1/3" in row.why and "1/2" in row.why
    assert "does not work" in b.summary.headline


def test_undetermined_verdict_is_a_caveat() -> None:
    ev = _failing_pd()
    from dataclasses import replace

    from equishift.recommendations.evaluate import Verdict

    odd = replace(ev, verdict=Verdict("undetermined", "the solution may be incomplete"))
    s = build_briefing([odd]).sections[0]
    assert any("undetermined" in c for c in s.caveats)


def test_degenerate_game_is_a_caveat(briefing: Briefing) -> None:
    r4 = next(s for s in briefing.sections if s.id == "R4")
    assert any("degenerate" in c for c in r4.caveats)


# -- robustness and verdict maps --------------------------------------------------------------
def _df_robustness(seed: int = 0) -> Robustness:
    """A robustness result of DF with round numbers (built directly: no sampling here)."""
    sens = (
        Sensitivity("delta", Fraction(99, 200), 0.05, 0.62, 32, 32),
        Sensitivity("T_D", Fraction(6), 0.45, 0.22, 32, 32),
        Sensitivity("R_D", Fraction(3), 0.34, 0.34, 32, 32),
    )
    return Robustness(
        scenario="dual-freeze",
        recommendation_id="DF",
        method="sobol",
        seed=seed,
        n=64,
        parameters=("T_D", "R_D", "delta"),
        works=20,
        fails=39,
        undetermined=5,
        probability=20 / 59,
        interval=(0.2462, 0.4422),
        sensitivity=sens,
        default_verdict="works",
        flip=Flip("delta", Fraction(3, 5), Fraction(1021, 2048), Fraction(1, 10), "does not work"),
        flips_searched=True,
        reasons=("SolverError: x",),
    )


def _df_map() -> VerdictMap:
    """A 3x2 verdict map of DF with regimes (built directly)."""
    return VerdictMap(
        scenario="dual-freeze",
        recommendation_id="DF",
        x="delta",
        y="T_D",
        xs=(Fraction(0), Fraction(3, 5), Fraction(99, 100)),
        ys=(Fraction(5), Fraction(8)),
        codes=((1, 0, 0), (1, 1, 2)),
        default=(Fraction(3, 5), Fraction(5)),
        default_verdict="works",
        fixed=(("R_D", Fraction(3)),),
        choice="sensitivity",
        ranking=(ParameterEffect("delta", 0.57, "sensitivity"),),
        regimes=Regimes("baseline", ((0, 0, 0), (0, 1, 1)), (("(Test, Exercise)",), ("(A, B)",))),
    )


@pytest.fixture(scope="module")
def assessed(evaluations: list[Evaluation]) -> Briefing:
    return build_briefing(
        evaluations[:2], robustness={"DF": _df_robustness()}, maps={"DF": _df_map()},
        map_notes={"R1": "No map was drawn: a reason."},
    )  # fmt: skip


def test_robustness_in_the_summary(assessed: Briefing) -> None:
    rows = {r.id: r for r in assessed.summary.rows}
    assert rows["DF"].robustness == "holds in 34% of plausible payoffs (95% CI 25–44%, 64 samples)"
    assert rows["R1"].robustness == "not assessed"
    assert "Robustness was assessed for 1 of 2." in assessed.summary.headline
    fig = assessed.summary.figure
    assert fig is not None and fig.name == "robustness"
    (bar,) = fig.bars
    assert (bar.label, bar.text, bar.low, bar.high) == ("DF", "34%", 0.2462, 0.4422)
    assert "95% CI" in fig.xlabel and fig.share


def test_robustness_section_in_plain_words(assessed: Briefing) -> None:
    r = assessed.sections[0].robustness
    assert r is not None and r.samples == 64 and r.seed == 0 and r.method == "sobol"
    assert "works in 20, does not work in 39, and could not be judged in 5" in r.note
    assert r.hinges.startswith("The verdict hinges most on delta: it works in 5% of the samples")
    assert "below 0.495" in r.hinges and "Next comes T_D (45%" in r.hinges
    assert r.flip == (
        "The smallest single change that reverses the verdict: lowering delta from 3/5 to about "
        "0.499, a move of 10% of its plausible range; then it does not work."
    )
    assert r.figure is not None and r.figure.kind == "tornado"
    assert [b.parameter for b in r.figure.bars] == ["delta", "T_D", "R_D"]
    assert (r.figure.bars[0].low, r.figure.bars[0].high) == (0.05, 0.62)
    assert r.figure.bars[1].low_text == "below 6" and r.figure.bars[1].high_text == "6 or more"
    assert not any("not assessed" in c for c in assessed.sections[0].caveats)
    assert any("not assessed" in c for c in assessed.sections[1].caveats)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"flip": None}, "Moving any one value alone, as far as either end"),
        ({"flip": None, "flips_searched": False}, "was not searched"),
        ({"flip": None, "default_verdict": "undetermined"}, "no reversing change was looked"),
    ],
)
def test_flip_words(evaluations: list[Evaluation], change: dict[str, Any], words: str) -> None:
    rob = replace(_df_robustness(), **change)
    r = build_briefing(evaluations[:1], robustness={"DF": rob}).sections[0].robustness
    assert r is not None and words in r.flip


def test_undecided_robustness_and_flat_sensitivity(evaluations: list[Evaluation]) -> None:
    flat = (Sensitivity("delta", Fraction(1, 2), 1.0, 1.0, 2, 2),)
    rob = replace(_df_robustness(), probability=None, sensitivity=flat)
    b = build_briefing(evaluations[:1], robustness={"DF": rob})
    assert b.summary.rows[0].robustness == "not judged in any of 64 samples"
    assert b.summary.figure is None
    r = b.sections[0].robustness
    assert r is not None and r.figure is None and "No single value" in r.hinges
    render_markdown(b)
    render_html(b)


def test_map_in_the_section(assessed: Briefing) -> None:
    view = assessed.sections[0].verdict_map
    assert view is not None and assessed.sections[1].verdict_map is None
    fig = view.figure
    assert (fig.kind, fig.xlabel, fig.ylabel, fig.default) == ("map", "delta", "T_D", (0.6, 5.0))
    assert fig.verdicts == ((1, 0, 0), (1, 1, 2))
    assert fig.regime_legend == ("(Test, Exercise)", "(A, B)")
    assert "delta from 0 to 0.99 and T_D from 5 to 8" in view.text
    assert "the robustness analysis found the verdict hinges on most" in view.text
    assert "It works at 33% of the map's 6 points" in view.text
    assert "the star marks the default values, where it works" in view.text
    assert json.loads(view.analysis) == _df_map().to_json()
    assert figure_svg(fig).startswith("<svg")
    assert assessed.sections[1].map_note == "No map was drawn: a reason."


def test_stamp_records_sampling_and_maps(assessed: Briefing, evaluations: list[Evaluation]) -> None:
    st = assessed.stamp
    assert st.seed == 0  # taken from the robustness analyses when not given
    (rec,) = st.sampling
    assert (rec.recommendation, rec.samples, rec.seed, rec.method) == ("DF", 64, 0, "sobol")
    (m,) = st.maps
    assert (m.x, m.y, m.nx, m.ny, m.choice) == ("delta", "T_D", 3, 2, "sensitivity")
    text = render_markdown(assessed)
    assert "- robustness of DF: 64 samples (sobol, seed 0) of dual-freeze over T_D" in text
    assert "- verdict map of DF: 3×2 grid of dual-freeze over delta and T_D" in text
    given = build_briefing(evaluations[:1], robustness={"DF": _df_robustness(seed=5)}, seed=7)
    assert given.stamp.seed == 7 and given.stamp.sampling[0].seed == 5


def test_markdown_with_robustness_and_map(assessed: Briefing) -> None:
    text = render_markdown(assessed)
    assert "It holds in 34% of plausible payoffs (95% CI 25–44%, 64 samples)." in text
    assert "| delta | below 0.495 | 5% | 0.495 or more | 62% |" in text
    assert "### Where it works: delta and T_D" in text
    assert "*No map was drawn: a reason.*" in text
    for fig in assessed.figures():
        assert f"]({figure_filename(fig)})" in text
    names = [f.name for f in assessed.figures()]
    assert {"robustness", "DF-tornado", "DF-map"} <= set(names)
    assert len(names) == len(set(names))


def test_json_carries_every_number(assessed: Briefing) -> None:
    data = json.loads(render_json(assessed))
    df = data["sections"][0]
    assert df["robustness"]["analysis"] == _df_robustness().to_json()
    assert df["verdict_map"]["analysis"] == _df_map().to_json()
    assert data["sections"][1]["robustness"] is None
    back = Briefing.from_json(data)
    assert back == assessed
    assert render_json(back) == render_json(assessed)


def test_json_written_before_robustness_still_reads(briefing: Briefing) -> None:
    data = json.loads(render_json(briefing))
    for s in data["sections"]:
        del s["verdict_map"], s["map_note"]
    for key in ("sampling", "maps"):
        del data["stamp"][key]
    assert Briefing.from_json(data) == briefing


def test_unknown_keys_are_refused(evaluations: list[Evaluation]) -> None:
    with pytest.raises(ValueError, match="robustness given for 'R5'"):
        build_briefing(evaluations[:1], robustness={"R5": _df_robustness()})
    with pytest.raises(ValueError, match="is of 'DF'"):
        build_briefing(evaluations[:2], robustness={"R1": _df_robustness()})
    with pytest.raises(ValueError, match="the map given for 'R1' is of 'DF'"):
        build_briefing(evaluations[:2], maps={"R1": _df_map()})


def test_html_with_robustness_and_map(assessed: Briefing) -> None:
    page = render_html(assessed)
    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert checker.errors == [] and checker.stack == []
    assert checker.counts["svg"] == len(assessed.figures())
    assert len(checker.ids) == len(set(checker.ids))
    assert checker.urls == []
    assert "<h3>Where it works: delta and T_D</h3>" in page


def test_briefing_extras_computes_what_build_takes(evaluations: list[Evaluation]) -> None:
    steps: list[tuple[str, int, int]] = []
    chosen = [ev for ev in evaluations if ev.recommendation.id in ("R1", "R8")]
    extras = briefing_extras(
        chosen, n_samples=8, seed=2, map_size=3, flips=False,
        progress=lambda step, done, total: steps.append((step, done, total)),
    )  # fmt: skip
    assert steps == [
        ("robustness R1", 0, 4), ("map R1", 1, 4), ("robustness R8", 2, 4), ("map R8", 3, 4),
        ("done", 4, 4),
    ]  # fmt: skip
    assert set(extras.robustness) == {"R1", "R8"} and set(extras.maps) == {"R1"}
    assert extras.robustness["R1"].n == 8 and extras.robustness["R1"].seed == 2
    assert "fewer than two of the uncertain values" in extras.notes["R8"]
    b = build_briefing(chosen, **extras.build_arguments())
    assert b.sections[0].verdict_map is not None and b.stamp.seed == 2
    assert b.sections[1].map_note == extras.notes["R8"]
    assert "fewer than two" in render_markdown(b)


def test_briefing_extras_options(evaluations: list[Evaluation]) -> None:
    none = briefing_extras(["R8"], n_samples=None, maps=False)
    assert (dict(none.robustness), dict(none.maps), dict(none.notes)) == ({}, {}, {})
    unknown = briefing_extras(["X"], n_samples=4, maps=True)
    assert "No scenario file is known for X" in unknown.notes["X"]
    maps_only = briefing_extras(["R1"], n_samples=0, map_size=2)
    assert not maps_only.robustness and maps_only.maps["R1"].choice == "scan"


def test_default_briefing_needs_no_matplotlib() -> None:
    """Building and rendering Markdown without robustness or maps imports no matplotlib."""
    code = (
        "import sys\n"
        "from equishift.recommendations.brief import RECOMMENDATIONS, brief_games\n"
        "from equishift.recommendations.evaluate import evaluate\n"
        "from equishift.report import build_briefing, render_markdown\n"
        "g = brief_games()\n"
        "render_markdown(build_briefing([evaluate(r, g) for r in RECOMMENDATIONS]))\n"
        "print(sorted(m for m in sys.modules if m.startswith('matplotlib'))[:3])\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert run.stdout.strip() == "[]"


def test_sources_and_seed_in_stamp(evaluations: list[Evaluation]) -> None:
    b = build_briefing(evaluations[:1], sources={"brief.toml": "ab" * 32}, seed=42)
    assert b.stamp.sources == (("brief.toml", "ab" * 32),)
    text = render_markdown(b)
    assert "ab" * 32 in text and "seed: 42" in text
    assert any(p.name == "delta" and p.after == "3/5" for p in b.stamp.parameters)


def test_matrix_marks_equilibria(briefing: Briefing) -> None:
    df = briefing.sections[0]
    fig = df.before.figure
    assert fig is not None and fig.kind == "matrix"
    assert fig.equilibria == ((1, 1),) and fig.target == (0, 0)
    assert fig.payoffs[0][0] == ("3", "3")
    r4 = next(s for s in briefing.sections if s.id == "R4").before.figure
    assert r4 is not None and r4.kind == "matrix" and r4.target == (0, 0)  # linked issues


def test_extensive_game_drawn_as_tree() -> None:
    game = ExtensiveFormGame.from_file(example_path("bloody-nose"))
    pic = _picture("tree", game, solve(game), None)
    assert isinstance(pic.figure, TreeFigure)
    assert pic.figure.nodes[0].parent == -1
    assert any(n.payoffs is not None for n in pic.figure.nodes)
    assert any(n.played for n in pic.figure.nodes)
    assert figure_svg(pic.figure).startswith("<svg")


# -- JSON -------------------------------------------------------------------------------------
def test_json_round_trip(briefing: Briefing, evaluations: list[Evaluation]) -> None:
    data = json.loads(render_json(briefing))
    back = Briefing.from_json(data)
    assert back == briefing
    assert render_json(back) == render_json(briefing)
    for section, ev in zip(data["sections"], evaluations, strict=True):
        assert section["evaluation"] == ev.to_json()  # every number of the evaluation


# -- files ------------------------------------------------------------------------------------
def test_write_all_formats(briefing: Briefing, tmp_path: Path) -> None:
    out = write_briefing(briefing, tmp_path / "brief")
    assert {"html", "pdf", "md", "json"} <= set(out)
    assert out["pdf"].read_bytes().startswith(b"%PDF")
    for fig in briefing.figures():
        assert (tmp_path / "brief" / figure_filename(fig)).read_text().startswith("<svg")
    assert not list((tmp_path / "brief").glob(".*tmp"))
    mask = os.umask(0o022)
    os.umask(mask)
    assert out["md"].stat().st_mode & 0o777 == 0o666 & ~mask


def test_files_are_deterministic(evaluations: list[Evaluation], tmp_path: Path) -> None:
    small = build_briefing(evaluations[:2], seed=0)
    one = write_briefing(small, tmp_path / "one")
    two = write_briefing(build_briefing(evaluations[:2], seed=0), tmp_path / "two")
    assert one.keys() == two.keys()
    for key in one:
        assert one[key].read_bytes() == two[key].read_bytes(), key


def test_unknown_format(briefing: Briefing, tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="unknown format"):
        write_briefing(briefing, tmp_path, formats=("docx",))


def test_failure_mid_write_leaves_no_partial_file(
    briefing: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_pdf(b: Briefing, path: str | Path) -> None:
        Path(path).write_bytes(b"%PDF-1.4 half a page")
        raise OSError("disk full")

    monkeypatch.setattr(write_module, "render_pdf", broken_pdf)
    (tmp_path / "briefing.pdf").write_bytes(b"old")
    with pytest.raises(OSError, match="disk full"):
        write_briefing(briefing, tmp_path, formats=("pdf",))
    assert (tmp_path / "briefing.pdf").read_bytes() == b"old"  # untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing.pdf"]

    with pytest.raises(OSError, match="disk full"):
        write_briefing(briefing, tmp_path / "new", formats=("pdf",))
    assert list((tmp_path / "new").iterdir()) == []


def test_failure_at_rename_leaves_no_partial_file(
    briefing: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_replace(src: object, dst: object) -> None:
        raise OSError("rename failed")

    monkeypatch.setattr(write_module.os, "replace", broken_replace)
    with pytest.raises(OSError, match="rename failed"):
        write_briefing(briefing, tmp_path, formats=("json",))
    assert list(tmp_path.iterdir()) == []


# -- HTML -------------------------------------------------------------------------------------
VOID = {"meta", "br", "img", "input", "link", "hr", "col", "source", "wbr"}


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []
        self.counts: dict[str, int] = {}
        self.urls: list[str] = []
        self.in_svg = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.counts[tag] = self.counts.get(tag, 0) + 1
        for k, v in attrs:
            if k == "id" and v:
                self.ids.append(v)
            if k in ("src", "href") and v and not v.startswith("#"):
                self.urls.append(v)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.counts[tag] = self.counts.get(tag, 0) + 1
        for k, v in attrs:
            if k == "id" and v:
                self.ids.append(v)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with open {self.stack[-3:]}")
            return
        self.stack.pop()


def test_html_is_well_formed_and_self_contained(briefing: Briefing) -> None:
    page = render_html(briefing)
    assert page.startswith("<!DOCTYPE html>")
    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert checker.errors == []
    assert checker.stack == []
    assert checker.counts["html"] == checker.counts["body"] == checker.counts["title"] == 1
    assert checker.counts["svg"] == len(briefing.figures())
    assert len(checker.ids) == len(set(checker.ids)), "ids must be unique across figures"
    assert checker.urls == []  # nothing loaded from outside
    assert "@media print" in page
    assert page.count('class="recommendation"') == len(RECOMMENDATIONS)


def test_share_bars_stop_at_one_hundred_percent() -> None:
    import re

    from equishift.report import Bar, BarFigure
    from equishift.report.figures import figure_svg

    bars = (Bar("DF", 0.31, "31%", low=0.3, high=0.32), Bar("R1", 1.0, "100%", low=0.99, high=1.0))
    svg = figure_svg(BarFigure("share", "Share where it works", "share", bars, share=True))
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    ticks = [t for t in texts if t.endswith("%") and t not in ("31%",)]
    assert ticks[-5:] == ["0%", "25%", "50%", "75%", "100%"]  # the axis, no tick past 100%
    assert not [t for t in texts if t.replace(".", "").isdigit()]  # and no plain numbers
    plain = figure_svg(BarFigure("plain", "Share where it works", "share", bars))
    assert "1.2" in re.findall(r"<text[^>]*>([^<]*)</text>", plain)  # what it replaces
