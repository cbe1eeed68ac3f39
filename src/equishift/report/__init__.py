"""The briefing report: plain data built from evaluations, and its renderers.

:func:`build_briefing` turns :class:`~equishift.recommendations.evaluate.Evaluation` objects
into a :class:`Briefing` (frozen plain data: an executive summary, one section per
recommendation, a reproducibility stamp). The renderers format it -- Markdown, one
self-contained HTML page, PDF, JSON -- and :func:`write_briefing` writes them to a folder,
atomically. Nothing here solves a game; matplotlib is imported only when a figure is drawn.

Examples
--------
>>> from equishift.recommendations.brief import DF, brief_games
>>> from equishift.recommendations.evaluate import evaluate
>>> b = build_briefing([evaluate(DF, brief_games())], title="Dual freeze")
>>> print(render_markdown(b).splitlines()[4])
Of 1 recommendation evaluated, 1 (DF) works as modelled. Robustness to uncertain parameter ...
"""

from .build import DEFAULT_TITLE, build_briefing
from .model import (
    Assumption,
    Bar,
    BarFigure,
    Briefing,
    EquilibriumRow,
    Figure,
    GamePicture,
    MatrixFigure,
    ParameterValue,
    Robustness,
    Section,
    ShiftRow,
    Stamp,
    Summary,
    SummaryRow,
    ThresholdRow,
    TreeFigure,
    TreeNode,
)
from .render import figure_filename, render_html, render_json, render_markdown, render_pdf
from .write import FORMATS, ReportError, write_briefing

__all__ = [
    "DEFAULT_TITLE",
    "FORMATS",
    "Assumption",
    "Bar",
    "BarFigure",
    "Briefing",
    "EquilibriumRow",
    "Figure",
    "GamePicture",
    "MatrixFigure",
    "ParameterValue",
    "ReportError",
    "Robustness",
    "Section",
    "ShiftRow",
    "Stamp",
    "Summary",
    "SummaryRow",
    "ThresholdRow",
    "TreeFigure",
    "TreeNode",
    "build_briefing",
    "figure_filename",
    "render_html",
    "render_json",
    "render_markdown",
    "render_pdf",
    "write_briefing",
]
