"""The briefing report: golden Markdown, JSON round trip, atomic writes, HTML basics."""

from __future__ import annotations

import json
import os
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest

from equishift.games import NormalFormGame
from equishift.games.examples import example_path
from equishift.games.extensive_form import ExtensiveFormGame
from equishift.recommendations.brief import DF, RECOMMENDATIONS, brief_games
from equishift.recommendations.evaluate import Evaluation, evaluate
from equishift.recommendations.recommendation import Recommendation, ThresholdBelow
from equishift.recommendations.transforms import MakeRepeated
from equishift.report import (
    Briefing,
    ReportError,
    TreeFigure,
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


def test_robustness_is_rendered_when_present() -> None:
    ev = evaluate(DF, brief_games())
    object.__setattr__(ev, "robustness", SimpleNamespace(probability=0.8, samples=1000))
    b = build_briefing([ev])
    assert b.summary.rows[0].robustness == "works in 80% of sampled parameter values"
    assert b.summary.figure is not None and b.summary.figure.name == "robustness"
    assert "80%" in render_markdown(b)


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
