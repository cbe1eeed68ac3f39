"""The PDF briefing: standard fonts with embedded glyphs where needed, and the PDF worker.

The text checks read the PDF back with ``pdftotext`` (Debian's ``poppler-utils``, which
``.ci/run`` installs); without it they are skipped and say why.
"""

from __future__ import annotations

import io
import itertools
import re
import shutil
import subprocess
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from equishift.report import (
    Bar,
    BarFigure,
    Briefing,
    PdfWorker,
    Stamp,
    Summary,
    SummaryRow,
    write_briefing,
)
from equishift.report.render import _core_font_can_show, render_pdf

SPECIAL = "δ ≥ 0 → ★"


def _briefing(headline: str = f"Works when {SPECIAL}.") -> Briefing:
    bars = BarFigure(
        "fig",
        "critical δ against δ in play",
        "δ",
        (Bar("R1's change", 0.4, "0.4 → 0.3", reference=0.5),),
        reference_label="δ in play",
    )
    rows = (
        SummaryRow("R1", "Engage", "works", "100%", "the partner's payoff rises"),
        SummaryRow("R2", "Talk", "works", "90%", "it pays"),
    )
    return Briefing("Test", Summary(headline, rows, bars), (), Stamp("0.1.0", (), (), None))


def _pdf_bytes(b: Briefing) -> bytes:
    buf = io.BytesIO()
    render_pdf(b, buf)
    return buf.getvalue()


def _streams(pdf: bytes) -> list[bytes]:
    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(m.group(1)))
        except zlib.error:
            out.append(m.group(1))
    return out


def _pdftotext(path: Path, *args: str) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("pdftotext not installed (Debian: apt-get install poppler-utils)")
    return subprocess.run(
        [exe, *args, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_core_font_encoding() -> None:
    assert _core_font_can_show("Prisoner’s Dilemma — 3/4 • ×")
    for ch in "δ→≥★":
        assert not _core_font_can_show(f"a {ch} b")


def test_standard_font_with_embedded_glyphs_only_where_needed() -> None:
    pdf = _pdf_bytes(_briefing())
    assert b"/BaseFont /Helvetica" in pdf
    # The characters Helvetica lacks come from an embedded subset of DejaVu Sans ...
    assert re.search(rb"/BaseFont /[A-Z]{6}\+DejaVuSans", pdf)
    # ... and none of them became a question mark in a string the standard font shows.
    shown = [
        m.group(0)
        for stream in _streams(pdf)
        for m in re.finditer(rb"\((?:[^()\\]|\\.)*\)\s*Tj", stream)
    ]
    assert shown
    assert not [s for s in shown if b"?" in s]
    # Without such characters nothing is embedded.
    plain = _pdf_bytes(
        Briefing(
            "Plain",
            Summary("It's plain text.", ()),
            (),
            Stamp("0.1.0", (), (), None),
        )
    )
    assert b"DejaVu" not in plain
    assert b"/BaseFont /Helvetica" in plain


def test_every_character_prints_as_written(tmp_path: Path) -> None:
    path = tmp_path / "b.pdf"
    render_pdf(_briefing(), path)
    text = _pdftotext(path)
    assert SPECIAL in text
    assert "0.4 → 0.3" in text
    assert "?" not in text


def test_lines_sit_on_a_regular_baseline(tmp_path: Path) -> None:
    # matplotlib's metrics of the standard fonts make "R1's" taller than "R2"; the lines
    # must still be evenly spaced, with or without embedded glyphs.
    path = tmp_path / "b.pdf"
    render_pdf(_briefing(), path)
    boxes = _pdftotext(path, "-bbox")
    tops = []
    for word in ("Works", "•"):
        tops += [
            float(m.group(1))
            for m in re.finditer(rf'yMin="([0-9.]+)"[^>]*>{re.escape(word)}</word>', boxes)
        ]
    tops.sort()
    assert len(tops) == 3, boxes
    gaps = [b - a for a, b in itertools.pairwise(tops)]
    assert gaps[0] == pytest.approx(gaps[1], abs=0.01)


def _pdf_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def worker() -> Iterator[PdfWorker]:
    """A started PDF worker (skips where none can run: one core, no fork)."""
    with PdfWorker.start() as started:
        if started is None:
            pytest.skip("no PDF worker on this machine (one core or no fork)")
        yield started


def test_worker_draws_the_pdf(tmp_path: Path, worker: PdfWorker) -> None:
    b = _briefing()
    files = write_briefing(b, tmp_path, formats=("pdf", "json"), pdf_worker=worker)
    assert _pdf_files(tmp_path) == ["briefing.json", "briefing.pdf"]
    assert files["pdf"].read_bytes() == _pdf_bytes(b)


def test_a_dead_worker_falls_back_to_drawing_here(tmp_path: Path, worker: PdfWorker) -> None:
    worker.process.kill()
    worker.process.join()
    files = write_briefing(_briefing(), tmp_path, formats=("pdf", "md"), pdf_worker=worker)
    assert files["pdf"].read_bytes()[:5] == b"%PDF-"
    assert not [n for n in _pdf_files(tmp_path) if n.endswith(".tmp")]


def test_an_unused_worker_stops_cleanly() -> None:
    with PdfWorker.start() as started:
        if started is None:
            pytest.skip("no PDF worker on this machine (one core or no fork)")
        process = started.process
    assert not process.is_alive()


def test_a_failing_drawing_is_reported_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The worker fails (a figure it cannot draw); the parent draws again and raises, and no
    # partial or temporary file is left.
    from equishift.report import render

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("cannot draw")

    monkeypatch.setattr(render, "draw", boom)  # before the fork: the worker fails too
    with PdfWorker.start() as worker:
        if worker is None:
            pytest.skip("one core: no worker")
        with pytest.raises(RuntimeError, match="cannot draw"):
            write_briefing(_briefing(), tmp_path, formats=("pdf", "json"), pdf_worker=worker)
    assert "briefing.pdf" not in _pdf_files(tmp_path)
    assert not [n for n in _pdf_files(tmp_path) if n.endswith(".tmp")]
