"""What the command line does on a terminal: coloured tables, progress bars, --quiet."""

from __future__ import annotations

import io
import os
import stat
import sys
from pathlib import Path

import pytest

from equishift.cli import _common


class FakeTerminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_table_is_plain_when_piped(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    _common.emit_table(["id", "verdict"], [["DF", "works"]], title="t")
    assert out.getvalue() == "t\nid  verdict\n--  -------\nDF  works\n"


def test_table_is_drawn_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    out = FakeTerminal()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    _common.emit_table(["id", "verdict"], [["[R1]", "works"], ["R2", "does not work"]])
    text = out.getvalue()
    assert "│" in text or "┃" in text  # a box
    assert "[R1]" in text  # labels are not read as markup
    assert "\x1b[" in text  # colour


def test_progress_on_a_terminal_and_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    err = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", err)
    with _common.progress(2, "evaluating DF", quiet=False) as bar:
        bar.advance("evaluating R1")
        bar.advance()
    assert "evaluating" in err.getvalue()
    err.truncate(0)
    err.seek(0)
    with _common.progress(2, "evaluating DF", quiet=True) as bar:
        bar.advance()
    assert err.getvalue() == ""


def test_progress_silent_when_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    with _common.progress(None, "writing", quiet=False) as bar:
        bar.advance()
    assert err.getvalue() == ""


def test_write_atomic_mode_and_no_leftovers(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    old = os.umask(0o022)
    try:
        _common.write_atomic(target, "hello\n")
        _common.write_atomic(target, b"bytes\n")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"bytes\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
    assert target.stat().st_mode & stat.S_IRGRP  # not the 0600 of a bare temporary file
