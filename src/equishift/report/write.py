"""Write a briefing to a folder, every file atomically (temporary file, then rename).

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> from equishift.report.model import Briefing, Stamp, Summary
>>> b = Briefing("Empty", Summary("No recommendation was evaluated.", ()), (),
...              Stamp("0.1.0", (), (), None))
>>> with tempfile.TemporaryDirectory() as d:
...     paths = write_briefing(b, Path(d), formats=("md", "json"))
...     sorted(p.name for p in Path(d).iterdir())
['briefing.json', 'briefing.md']
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..games.errors import EquishiftError
from .model import Briefing
from .render import figure_filename, render_html, render_json, render_markdown, render_pdf

__all__ = ["FORMATS", "ReportError", "write_briefing"]

FORMATS = ("html", "pdf", "md", "json")
"""The formats :func:`write_briefing` knows."""


class ReportError(EquishiftError, ValueError):
    """A briefing cannot be written as asked (unknown format, folder not usable)."""


def _atomic(path: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a temporary file next to ``path``, then rename it to ``path``.

    On any error the temporary file is removed and ``path`` is left as it was.
    """
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        mask = os.umask(0o022)  # mkstemp makes 0600 files; give the usual mode instead
        os.umask(mask)
        tmp.chmod(0o666 & ~mask)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return path


def _text(content: str) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())

    return write


class _PdfInBackground:
    """The PDF drawn in a forked process while this one writes the other formats.

    The PDF is the slowest format (every figure drawn again for its pages); on a machine with
    more than one core a child process renders it into a temporary file beside the others.
    Should the child fail or hang, :meth:`finish` says so and the caller renders the PDF
    itself, so errors surface as they would without the child.
    """

    _TIMEOUT = 600.0

    def __init__(self, process: Any, tmp: Path) -> None:
        self.process = process
        self.tmp = tmp

    @classmethod
    def start(cls, briefing: Briefing, folder: Path) -> _PdfInBackground | None:
        import multiprocessing

        if (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return None
        fd, name = tempfile.mkstemp(prefix=".briefing.pdf.", suffix=".tmp", dir=folder)
        os.close(fd)
        tmp = Path(name)

        def run() -> None:
            try:
                render_pdf(briefing, tmp)
            except BaseException:  # the parent renders again and reports the error
                os._exit(1)
            os._exit(0)

        process = multiprocessing.get_context("fork").Process(target=run, daemon=True)
        try:
            process.start()
        except OSError:
            tmp.unlink(missing_ok=True)
            return None
        return cls(process, tmp)

    def finish(self, path: Path) -> bool:
        """Wait for the child; move its PDF to ``path`` (True) or clean up (False)."""
        self.process.join(self._TIMEOUT)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        ok = self.process.exitcode == 0 and self.tmp.stat().st_size > 0
        if not ok:
            with contextlib.suppress(OSError):
                self.tmp.unlink()
            return False
        mask = os.umask(0o022)
        os.umask(mask)
        self.tmp.chmod(0o666 & ~mask)
        os.replace(self.tmp, path)
        return True


def write_briefing(
    briefing: Briefing, folder: Path, formats: Sequence[str] = FORMATS
) -> dict[str, Path]:
    """Write ``briefing`` into ``folder`` (created if needed) in the given formats.

    Files are ``briefing.html`` (self-contained), ``briefing.pdf``, ``briefing.md`` (with its
    figures as sibling ``briefing-<name>.svg`` files) and ``briefing.json``. Each file is
    written to a temporary file and renamed into place, so no partial file is ever left.

    Returns
    -------
    dict
        Format → path, plus ``"figure:<name>"`` → path for the Markdown's figures.

    Raises
    ------
    ReportError
        For an unknown format or a folder that cannot be created.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ReportError(
            f"write_briefing(): unknown format(s) {unknown}; expected some of {list(FORMATS)}"
        )
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(f"{folder}: cannot create the folder ({exc.strerror})") from exc
    out: dict[str, Path] = {}
    wanted = list(dict.fromkeys(formats))
    pdf = _PdfInBackground.start(briefing, folder) if "pdf" in wanted and len(wanted) > 1 else None
    for fmt in wanted:
        path = folder / f"briefing.{fmt}"
        if fmt == "pdf":
            if pdf is None or not pdf.finish(path):
                out[fmt] = _atomic(path, lambda tmp: render_pdf(briefing, tmp))
            else:
                out[fmt] = path
            continue
        if fmt == "md":
            from .figures import figure_svg

            for fig in briefing.figures():
                fpath = folder / figure_filename(fig)
                out[f"figure:{fig.name}"] = _atomic(fpath, _text(figure_svg(fig)))
        renderers: dict[str, Callable[[Briefing], str]] = {
            "html": render_html,
            "md": render_markdown,
            "json": render_json,
        }
        out[fmt] = _atomic(path, _text(renderers[fmt](briefing)))
    return out
