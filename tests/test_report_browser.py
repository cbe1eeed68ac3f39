"""The briefing in real tools: HTML in headless Chromium, PDF rendered with pdftoppm.

Both binaries are Debian packages (``chromium``, ``poppler-utils``) that ``.ci/run`` installs.
Locally the tests skip when a binary is missing; in CI (``CI=true``) they fail instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from equishift.recommendations.brief import RECOMMENDATIONS, brief_games
from equishift.recommendations.evaluate import evaluate
from equishift.report import Briefing, briefing_extras, build_briefing, write_briefing

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _binary(*names: str) -> str:
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    why = f"{' / '.join(names)} not installed (Debian: apt-get install chromium poppler-utils)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {why}")
    pytest.skip(why)


def _png(path: Path) -> np.ndarray:
    import matplotlib.image

    return np.asarray(matplotlib.image.imread(str(path)))


def _non_blank(img: np.ndarray) -> bool:
    rgb = img[..., :3].astype(float)
    return bool(rgb.std() > 0.02 and (rgb < 0.5).mean() > 0.002)


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    games = brief_games()
    return build_briefing([evaluate(r, games) for r in RECOMMENDATIONS], seed=0)


@pytest.fixture(scope="module")
def written(briefing: Briefing, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_briefing(briefing, tmp_path_factory.mktemp("briefing"), formats=("html", "pdf"))


def _chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    exe = _binary("chromium", "chromium-browser")
    return subprocess.run(
        [exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_html_screenshot_renders(written: dict[str, Path], tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    run = _chromium(
        [f"--screenshot={shot}", "--window-size=1200,2000", written["html"].as_uri()],
        tmp_path / "profile",
    )
    assert shot.exists(), run.stderr[-2000:]
    img = _png(shot)
    assert img.shape[0] == 2000 and img.shape[1] == 1200
    assert _non_blank(img)


def test_html_dom_has_figures_and_no_console_errors(
    written: dict[str, Path], briefing: Briefing, tmp_path: Path
) -> None:
    run = _chromium(
        ["--enable-logging=stderr", "--v=0", "--dump-dom", written["html"].as_uri()],
        tmp_path / "profile",
    )
    dom = run.stdout
    assert "<h1>" in dom, run.stderr[-2000:]
    assert dom.count("<svg") == len(briefing.figures())
    assert dom.count('class="recommendation"') == len(briefing.sections)
    console = [line for line in run.stderr.splitlines() if ":CONSOLE" in line]
    assert console == []


def test_console_errors_are_detected(tmp_path: Path) -> None:
    """The check above would see a script error (guards against a silent logger)."""
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><p>x</p><script>throw new Error('bang')</script>")
    run = _chromium(
        ["--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri()], tmp_path / "profile"
    )
    assert any(":CONSOLE" in line and "bang" in line for line in run.stderr.splitlines())


def test_pdf_pages_render(written: dict[str, Path], briefing: Briefing, tmp_path: Path) -> None:
    exe = _binary("pdftoppm")
    subprocess.run(
        [exe, "-png", "-r", "50", str(written["pdf"]), str(tmp_path / "page")],
        check=True,
        timeout=180,
        capture_output=True,
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    # The summary, at least one page per recommendation, and the stamp.
    assert len(pages) >= len(briefing.sections) + 2
    for p in pages:
        assert _non_blank(_png(p)), p.name


# -- a briefing with robustness and verdict maps ----------------------------------------------
@pytest.fixture(scope="module")
def assessed() -> Briefing:
    games = brief_games()
    evaluations = [evaluate(r, games) for r in RECOMMENDATIONS if r.id in ("R1", "R7")]
    extras = briefing_extras(evaluations, n_samples=16, seed=0, map_size=7)
    return build_briefing(evaluations, **extras.build_arguments())


@pytest.fixture(scope="module")
def assessed_files(assessed: Briefing, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_briefing(assessed, tmp_path_factory.mktemp("assessed"), formats=("html", "pdf"))


def test_assessed_briefing_has_its_figures(assessed: Briefing) -> None:
    kinds = [f.kind for f in assessed.figures()]
    assert assessed.summary.figure is not None
    assert kinds.count("map") == 2 and kinds.count("tornado") >= 1


def test_assessed_html_renders_figures(
    assessed_files: dict[str, Path], assessed: Briefing, tmp_path: Path
) -> None:
    run = _chromium(
        ["--enable-logging=stderr", "--v=0", "--dump-dom", assessed_files["html"].as_uri()],
        tmp_path / "profile",
    )
    dom = run.stdout
    assert "Where it works" in dom, run.stderr[-2000:]
    assert dom.count("<svg") == len(assessed.figures())
    assert [line for line in run.stderr.splitlines() if ":CONSOLE" in line] == []
    shot = tmp_path / "shot.png"
    _chromium(
        [f"--screenshot={shot}", "--window-size=1200,2000", assessed_files["html"].as_uri()],
        tmp_path / "profile2",
    )
    assert shot.exists() and _non_blank(_png(shot))


def test_assessed_pdf_renders(
    assessed_files: dict[str, Path], assessed: Briefing, tmp_path: Path
) -> None:
    exe = _binary("pdftoppm")
    subprocess.run(
        [exe, "-png", "-r", "50", str(assessed_files["pdf"]), str(tmp_path / "page")],
        check=True,
        timeout=180,
        capture_output=True,
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= len(assessed.sections) + 2
    for p in pages:
        assert _non_blank(_png(p)), p.name
