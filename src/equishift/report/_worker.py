"""The process that draws a briefing's PDF (:class:`PdfWorker`).

This module imports nothing beyond the standard library, so that the CLI can start the
worker first thing, before the parent loads numpy, sympy and the games: both processes then
load what they need side by side. The worker itself loads :mod:`.render` and matplotlib.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Briefing

__all__ = ["PdfWorker"]


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
    >>> from equishift.report import write_briefing
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
    from .render import render_pdf, warm_up_pdf

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
