"""The briefing report: plain data built from evaluations, and its renderers.

:func:`build_briefing` turns :class:`~equishift.recommendations.evaluate.Evaluation` objects
into a :class:`Briefing` (frozen plain data: an executive summary, one section per
recommendation, a reproducibility stamp). The renderers format it -- Markdown, one
self-contained HTML page, PDF, JSON -- and :func:`write_briefing` writes them to a folder,
atomically. Nothing here solves a game; matplotlib is imported only when a figure is drawn,
and each name is imported from its module on first use (so that ``equishift.report.render``
alone loads no numpy, sympy or games).
:func:`briefing_extras` (from :mod:`equishift.recommendations.briefing_extras`, re-exported
here) computes what a briefing may show besides: robustness analyses and verdict maps (the
expensive part, run only when asked).

Examples
--------
>>> from equishift.report import build_briefing, render_markdown
>>> from equishift.recommendations.brief import DF, brief_games
>>> from equishift.recommendations.evaluate import evaluate
>>> b = build_briefing([evaluate(DF, brief_games())], title="Dual freeze")
>>> print(render_markdown(b).splitlines()[4])
Of 1 recommendation evaluated, 1 (DF) works as modelled. Robustness to uncertain parameter ...
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..recommendations.briefing_extras import BriefingExtras, briefing_extras
    from .build import DEFAULT_TITLE, build_briefing
    from .model import (
        Assumption,
        Bar,
        BarFigure,
        Briefing,
        EquilibriumRow,
        Figure,
        GamePicture,
        MapFigure,
        MapRecord,
        MapView,
        MatrixFigure,
        ParameterValue,
        Robustness,
        SamplingRecord,
        Section,
        ShiftRow,
        Stamp,
        Summary,
        SummaryRow,
        ThresholdRow,
        TornadoBar,
        TornadoFigure,
        TreeFigure,
        TreeNode,
    )
    from .render import figure_filename, render_html, render_json, render_markdown, render_pdf
    from .write import FORMATS, PdfWorker, ReportError, write_briefing

_MODULE_OF = {
    "DEFAULT_TITLE": "build",
    "FORMATS": "write",
    "Assumption": "model",
    "Bar": "model",
    "BarFigure": "model",
    "Briefing": "model",
    "BriefingExtras": "..recommendations.briefing_extras",
    "EquilibriumRow": "model",
    "Figure": "model",
    "GamePicture": "model",
    "MapFigure": "model",
    "MapRecord": "model",
    "MapView": "model",
    "MatrixFigure": "model",
    "ParameterValue": "model",
    "PdfWorker": "write",
    "ReportError": "write",
    "Robustness": "model",
    "SamplingRecord": "model",
    "Section": "model",
    "ShiftRow": "model",
    "Stamp": "model",
    "Summary": "model",
    "SummaryRow": "model",
    "ThresholdRow": "model",
    "TornadoBar": "model",
    "TornadoFigure": "model",
    "TreeFigure": "model",
    "TreeNode": "model",
    "briefing_extras": "..recommendations.briefing_extras",
    "build_briefing": "build",
    "figure_filename": "render",
    "render_html": "render",
    "render_json": "render",
    "render_markdown": "render",
    "render_pdf": "render",
    "write_briefing": "write",
}
"""The module each public name lives in (imported on first use)."""

__all__ = [
    "DEFAULT_TITLE",
    "FORMATS",
    "Assumption",
    "Bar",
    "BarFigure",
    "Briefing",
    "BriefingExtras",
    "EquilibriumRow",
    "Figure",
    "GamePicture",
    "MapFigure",
    "MapRecord",
    "MapView",
    "MatrixFigure",
    "ParameterValue",
    "PdfWorker",
    "ReportError",
    "Robustness",
    "SamplingRecord",
    "Section",
    "ShiftRow",
    "Stamp",
    "Summary",
    "SummaryRow",
    "ThresholdRow",
    "TornadoBar",
    "TornadoFigure",
    "TreeFigure",
    "TreeNode",
    "briefing_extras",
    "build_briefing",
    "figure_filename",
    "render_html",
    "render_json",
    "render_markdown",
    "render_pdf",
    "write_briefing",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    relative = module if module.startswith(".") else f".{module}"
    value = getattr(importlib.import_module(relative, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
