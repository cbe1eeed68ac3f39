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

from ..games.errors import EquishiftError
from ._worker import PdfWorker
from .model import Briefing
from .render import (
    figure_filename,
    render_html,
    render_json,
    render_markdown,
    render_pdf,
)

__all__ = ["FORMATS", "PdfWorker", "ReportError", "write_briefing"]

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


def write_briefing(
    briefing: Briefing,
    folder: Path,
    formats: Sequence[str] = FORMATS,
    *,
    pdf_worker: PdfWorker | None = None,
) -> dict[str, Path]:
    """Write ``briefing`` into ``folder`` (created if needed) in the given formats.

    Files are ``briefing.html`` (self-contained), ``briefing.pdf``, ``briefing.md`` (with its
    figures as sibling ``briefing-<name>.svg`` files) and ``briefing.json``. Each file is
    written to a temporary file and renamed into place, so no partial file is ever left.

    The PDF is drawn by ``pdf_worker`` (one started earlier, see :class:`PdfWorker`) or, when
    other formats are asked for too, by a worker started here, beside the other formats.

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
    with contextlib.ExitStack() as stack:
        if pdf_worker is None and "pdf" in wanted and len(wanted) > 1:
            pdf_worker = stack.enter_context(PdfWorker.start())
        handed = "pdf" in wanted and pdf_worker is not None and pdf_worker.submit(briefing, folder)
        for fmt in wanted:
            path = folder / f"briefing.{fmt}"
            if fmt == "pdf":
                if handed and pdf_worker is not None and pdf_worker.finish(path):
                    out[fmt] = path
                else:
                    out[fmt] = _atomic(path, lambda tmp: render_pdf(briefing, tmp))
                continue
            _write_format(briefing, folder, fmt, path, out)
    return out


def _write_format(
    briefing: Briefing, folder: Path, fmt: str, path: Path, out: dict[str, Path]
) -> None:
    """Write one of the formats drawn in this process (HTML, Markdown with figures, JSON)."""
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
