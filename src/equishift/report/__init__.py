"""The briefing report: plain data built from evaluations, and its renderers.

:func:`build_briefing` turns :class:`~equishift.recommendations.evaluate.Evaluation` objects
into a :class:`Briefing` (frozen plain data: an executive summary, one section per
recommendation, a reproducibility stamp). The renderers format it -- Markdown, one
self-contained HTML page, PDF, JSON -- and :func:`write_briefing` writes them to a folder,
atomically. Nothing here solves a game; matplotlib is imported only when a figure is drawn.
:func:`briefing_extras` computes what a briefing may show besides: robustness analyses and
verdict maps (the expensive part, run only when asked).

Examples
--------
>>> from equishift.recommendations.brief import DF, brief_games
>>> from equishift.recommendations.evaluate import evaluate
>>> b = build_briefing([evaluate(DF, brief_games())], title="Dual freeze")
>>> print(render_markdown(b).splitlines()[4])
Of 1 recommendation evaluated, 1 (DF) works as modelled. Robustness to uncertain parameter ...
"""

from .build import DEFAULT_TITLE, build_briefing
from .extras import BriefingExtras, briefing_extras
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
