"""Writing the briefing folder: through :mod:`equishift.report` when it is there.

Every file lands in the folder by a rename from a staging folder beside it, so a reader never
sees a half-written file. Without :mod:`equishift.report` (an older or partial install) the
JSON and a Markdown table are written here instead, with a note saying so.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .. import __version__
from ._common import BadInput

__all__ = ["FALLBACK_NOTE", "FORMATS", "check_formats", "prepare_folder", "rerender", "write"]

FORMATS = ("html", "pdf", "md", "json")
_ALIASES = {"markdown": "md", "htm": "html"}
FALLBACK_KIND = "equishift-briefing-fallback"
FALLBACK_NOTE = (
    "equishift.report is not available in this installation, so only the JSON and a Markdown "
    "table were written (no HTML or PDF)"
)


def check_formats(formats: Sequence[str] | None) -> tuple[str, ...]:
    """The formats asked for, normalised and deduplicated; all four when none are given."""
    if not formats:
        return FORMATS
    out: list[str] = []
    for f in formats:
        key = _ALIASES.get(f.strip().lower().lstrip("."), f.strip().lower().lstrip("."))
        if key not in FORMATS:
            raise BadInput(f"--format {f!r}: expected one of {', '.join(FORMATS)}")
        if key not in out:
            out.append(key)
    return tuple(out)


def prepare_folder(folder: Path) -> Path:
    """Create ``folder`` (and its parents) or say in one line why it cannot be."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise BadInput(f"{folder}: exists and is not a folder") from None
    except OSError as exc:
        raise BadInput(
            f"{folder}: cannot create the output folder: {exc.strerror or exc}"
        ) from None
    if not folder.is_dir():
        raise BadInput(f"{folder}: exists and is not a folder")
    if not os.access(folder, os.W_OK):
        raise BadInput(f"{folder}: the output folder is not writable")
    return folder


def _report() -> Any | None:
    try:
        from .. import report
    except ImportError:
        return None
    if not all(hasattr(report, n) for n in ("build_briefing", "write_briefing")):
        return None
    return report


def report_available() -> bool:
    """True when :mod:`equishift.report` offers ``build_briefing`` and ``write_briefing``."""
    return _report() is not None


def _written(files: Mapping[str, Path]) -> dict[str, Path]:
    """The files ``write_briefing`` wrote (each atomically), given the mode the umask says."""
    mask = os.umask(0o022)
    os.umask(mask)
    for path in files.values():
        Path(path).chmod(0o666 & ~mask)
    return {k: Path(v) for k, v in files.items()}


def _staged(folder: Path, produce: Callable[[Path], Mapping[str, Path]]) -> dict[str, Path]:
    """Run ``produce(staging)`` and move what it wrote into ``folder``, file by file.

    For the files written here; :func:`equishift.report.write_briefing` is atomic itself.
    """
    try:
        staging = Path(tempfile.mkdtemp(prefix=".equishift-", dir=folder))
    except OSError as exc:
        raise BadInput(f"{folder}: cannot write there: {exc.strerror or exc}") from None
    try:
        written = produce(staging)
        out: dict[str, Path] = {}
        for fmt, path in written.items():
            rel = Path(path).resolve().relative_to(staging.resolve())
            final = folder / rel
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, final)
            out[fmt] = final
        return _written(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write(
    evaluations: Sequence[Any],
    folder: Path,
    formats: Sequence[str],
    *,
    title: str,
    sources: Mapping[str, str],
    seed: int | None = None,
    extras: Mapping[str, Any] | None = None,
    pdf_worker: Any | None = None,
) -> tuple[dict[str, Path], str | None]:
    """Write the briefing of ``evaluations`` to ``folder``: (files by format, note or None).

    ``extras`` are more keyword arguments of ``build_briefing`` (robustness, maps, notes);
    ``pdf_worker`` one from :func:`pdf_worker`, started before the evaluations.
    """
    report = _report()
    if report is None:
        return _staged(folder, lambda d: _fallback(evaluations, d, title, sources)), FALLBACK_NOTE
    briefing = report.build_briefing(
        evaluations, title=title, sources=dict(sources), seed=seed, **dict(extras or {})
    )
    more = {} if pdf_worker is None else {"pdf_worker": pdf_worker}
    return _staged(
        folder, lambda d: report.write_briefing(briefing, d, formats=tuple(formats), **more)
    ), None


def pdf_worker(formats: Sequence[str]) -> contextlib.AbstractContextManager[Any]:
    """A process that gets ready to draw the PDF while the recommendations are evaluated.

    A context manager giving :class:`equishift.report.PdfWorker` (or ``None`` when the PDF
    is not asked for, the report package is missing, or a worker would not help).
    """
    if "pdf" not in formats:
        return contextlib.nullcontext()
    try:  # standard library only: the worker starts before numpy, sympy and the games load
        from ..report._worker import PdfWorker
    except ImportError:
        return contextlib.nullcontext()
    return PdfWorker.start()


def rerender(data: Any, folder: Path, formats: Sequence[str]) -> tuple[dict[str, Path], str | None]:
    """Write the briefing saved as JSON (``data``) again, in ``formats``."""
    if isinstance(data, dict) and data.get("kind") == FALLBACK_KIND:
        return _staged(folder, lambda d: _fallback_markdown(data, d)), FALLBACK_NOTE
    report = _report()
    if report is None:
        raise BadInput(f"re-rendering a briefing needs equishift.report: {FALLBACK_NOTE}")
    briefing_cls: Any = getattr(report, "Briefing", None)
    if briefing_cls is None:
        from ..report import model

        briefing_cls = model.Briefing
    if not isinstance(data, dict) or not {"title", "summary", "sections"} <= set(data):
        raise BadInput("the JSON file is not a saved briefing (no title, summary and sections)")
    try:
        briefing = briefing_cls.from_json(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise BadInput(f"the JSON file is not a valid briefing: {exc}") from None
    return _staged(
        folder, lambda d: report.write_briefing(briefing, d, formats=tuple(formats))
    ), None


# -- the fallback -----------------------------------------------------------------------------
def _fallback(
    evaluations: Sequence[Any], folder: Path, title: str, sources: Mapping[str, str]
) -> dict[str, Path]:
    from ..recommendations.evaluate import compare_recommendations

    ranking = compare_recommendations(evaluations)
    doc = {
        "kind": FALLBACK_KIND,
        "title": title,
        "note": FALLBACK_NOTE,
        "equishift_version": __version__,
        "sources": dict(sources),
        "ranking": ranking.to_json(),
        "markdown_table": ranking.to_markdown(),
        "evaluations": [ev.to_json() for ev in evaluations],
    }
    path = folder / "briefing.json"
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return {"json": path, **_fallback_markdown(doc, folder)}


def _fallback_markdown(doc: Mapping[str, Any], folder: Path) -> dict[str, Path]:
    lines = [f"# {doc['title']}", "", f"> Note: {FALLBACK_NOTE}.", "", doc["markdown_table"], ""]
    for ev in doc["evaluations"]:
        lines += [f"## {ev['id']}: {ev['title']}", "", f"> {ev['quote']}", "", ev["finding"], ""]
    path = folder / "briefing.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return {"md": path}
