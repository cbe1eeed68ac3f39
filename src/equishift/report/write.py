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
import pickle
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..games.errors import EquishiftError
from .model import Briefing
from .render import (
    figure_filename,
    render_html,
    render_json,
    render_markdown,
    render_pdf,
    warm_up_pdf,
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


class PdfWorker:
    """A process that draws a briefing's PDF, started before the briefing exists.

    The PDF is the slowest format. Started early (:meth:`start`, for example while the
    recommendations are evaluated), the worker loads matplotlib's PDF backend and fonts at
    once (:func:`~equishift.report.render.warm_up_pdf`, over a second); once the briefing is
    handed over (:meth:`submit`) only the drawing is left, and it runs beside the other
    formats. :meth:`finish` moves the PDF into place, or says it failed, and the caller then
    draws it in its own process, so errors surface as they would without a worker. Used as
    a context manager, the worker is stopped on the way out whatever happened.

    ``start`` gives ``None`` where a second process does not help (one core) or cannot be
    forked (Windows, macOS' default).

    Examples
    --------
    >>> import tempfile
    >>> from equishift.report.model import Briefing, Stamp, Summary
    >>> b = Briefing("Empty", Summary("Nothing.", ()), (), Stamp("0.1.0", (), (), None))
    >>> with tempfile.TemporaryDirectory() as d, PdfWorker.start() as worker:
    ...     if worker is None:  # a single core: draw it here
    ...         _ = write_briefing(b, Path(d), formats=("pdf",))
    ...     else:
    ...         _ = write_briefing(b, Path(d), formats=("pdf",), pdf_worker=worker)
    ...     (Path(d) / "briefing.pdf").read_bytes()[:5]
    b'%PDF-'
    """

    _TIMEOUT = 600.0

    def __init__(self, process: Any, connection: Any) -> None:
        self.process = process
        self.connection = connection
        self.tmp: Path | None = None

    @classmethod
    def start(cls) -> _Started:
        """Fork the worker (it warms up at once); a context manager giving it, or ``None``."""
        import multiprocessing

        if (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return _Started(None)
        context = multiprocessing.get_context("fork")
        parent, child = context.Pipe()
        process = context.Process(target=_pdf_worker, args=(child,), daemon=True)
        try:
            process.start()
        except OSError:
            return _Started(None)
        child.close()
        return _Started(cls(process, parent))

    def submit(self, briefing: Briefing, folder: Path) -> bool:
        """Hand ``briefing`` over, to be drawn into a temporary file in ``folder``."""
        if self.tmp is not None or not self.process.is_alive():
            return False
        fd, name = tempfile.mkstemp(prefix=".briefing.pdf.", suffix=".tmp", dir=folder)
        os.close(fd)
        self.tmp = Path(name)
        try:
            self.connection.send((briefing, str(self.tmp)))
        except (OSError, ValueError, TypeError, AttributeError, pickle.PicklingError):
            self._discard()
            return False
        return True

    def finish(self, path: Path) -> bool:
        """Wait for the PDF; move it to ``path`` (True) or clean up (False)."""
        if self.tmp is None:
            return False
        self.process.join(self._TIMEOUT)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        ok = self.process.exitcode == 0 and self.tmp.stat().st_size > 0
        if not ok:
            self._discard()
            return False
        mask = os.umask(0o022)
        os.umask(mask)
        self.tmp.chmod(0o666 & ~mask)
        os.replace(self.tmp, path)
        self.tmp = None
        return True

    def close(self) -> None:
        """Stop the worker, whatever it is doing (its PDF, if any, was moved or is dropped)."""
        with contextlib.suppress(OSError):
            self.connection.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self._discard()

    def _discard(self) -> None:
        if self.tmp is not None:
            with contextlib.suppress(OSError):
                self.tmp.unlink()
            self.tmp = None


class _Started(contextlib.AbstractContextManager["PdfWorker | None"]):
    """What :meth:`PdfWorker.start` gives: the worker (or ``None``), closed on exit."""

    def __init__(self, worker: PdfWorker | None) -> None:
        self.worker = worker

    def __enter__(self) -> PdfWorker | None:
        return self.worker

    def __exit__(self, *exc: object) -> None:
        if self.worker is not None:
            self.worker.close()


def _pdf_worker(connection: Any) -> None:
    """The worker process: warm up, wait for ``(briefing, path)``, draw it, exit (0: done)."""
    with contextlib.suppress(Exception):  # only a head start; the drawing reports errors
        warm_up_pdf()
    try:
        briefing, path = connection.recv()
    except (EOFError, OSError):  # closed without a briefing
        os._exit(0)
    try:
        render_pdf(briefing, path)
    except BaseException:  # the parent draws it again and reports the error
        os._exit(1)
    os._exit(0)


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
