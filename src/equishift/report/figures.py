"""Draw the briefing's figures with matplotlib (imported lazily; Agg, SVG and PDF only).

Output is deterministic: a fixed SVG hash salt, no dates in the metadata, text kept as text
(``svg.fonttype = "none"``) so that the same briefing gives byte-identical files.

Examples
--------
>>> from equishift.report.model import Bar, BarFigure
>>> fig = BarFigure("x", "Patience", "discount factor", (Bar("δ* after", 0.5, "1/2", 0.6, "3/5"),))
>>> svg = figure_svg(fig)
>>> svg.startswith("<svg") and svg == figure_svg(fig)
True
"""

from __future__ import annotations

import io
import re
import textwrap
from typing import Any, cast

from .model import BarFigure, Figure, MatrixFigure, TreeFigure

__all__ = ["RC", "draw", "figure_svg", "inline_svg"]

RC: dict[str, Any] = {
    "svg.hashsalt": "equishift",
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.unicode_minus": False,
    "path.simplify": False,
}
"""matplotlib settings used for every figure (deterministic, self-contained output)."""

EQ_COLOUR = "#2a7f3f"
TARGET_COLOUR = "#c77c02"
BAR_COLOUR = "#4a6fa5"


def _wrap(text: str, width: int = 60) -> str:
    return "\n".join(textwrap.wrap(text, width)) if text else ""


def draw(fig: Figure, make: Any = None) -> Any:
    """Draw ``fig`` (no pyplot, no display).

    ``make(figsize=(w, h))`` returns the container to draw in: by default a new
    ``matplotlib.figure.Figure``; the PDF renderer passes a sub-figure of a page.
    """
    if make is None:
        from matplotlib.figure import Figure as MplFigure

        make = MplFigure
    if isinstance(fig, MatrixFigure):
        return _draw_matrix(make, fig)
    if isinstance(fig, TreeFigure):
        return _draw_tree(make, fig)
    return _draw_bars(make, fig)


def _draw_matrix(mpl: Any, fig: MatrixFigure) -> Any:
    from matplotlib.patches import Rectangle

    nr, nc = len(fig.rows), len(fig.cols)
    unit = 1.4  # inches per cell
    left = 0.5 + 0.06 * max(len(r) for r in fig.rows)
    width = max(4.8, unit * (left + nc + 0.2))
    chars = int(width / 0.06)
    note = _wrap(fig.note, chars)
    extra = 0.3 * note.count("\n") + (0.5 if note else 0)
    f = mpl(figsize=(width, unit * (nr + 1.8 + extra)))
    ax = f.add_axes((0.0, 0.0, 1.0, 1.0))
    x0 = nc + 0.2 - width / unit
    ax.set_xlim(x0, nc + 0.2)
    ax.set_ylim(-0.9 - extra, nr + 0.9)
    ax.set_axis_off()
    eq = set(fig.equilibria)
    for r in range(nr):
        y = nr - 1 - r
        ax.text(-0.08, y + 0.5, fig.rows[r], ha="right", va="center")
        for c in range(nc):
            face = "#dff0e3" if (r, c) in eq else "white"
            ax.add_patch(Rectangle((c, y), 1, 1, facecolor=face, edgecolor="#444444", lw=0.8))
            if fig.target == (r, c):
                ax.add_patch(
                    Rectangle(
                        (c + 0.04, y + 0.04),
                        0.92,
                        0.92,
                        fill=False,
                        ec=TARGET_COLOUR,
                        lw=1.6,
                        ls="--",
                    )
                )
            a, b = fig.payoffs[r][c]
            ax.text(c + 0.5, y + 0.5, f"{a} , {b}", ha="center", va="center", fontsize=10)
            if (r, c) in eq:
                ax.text(c + 0.93, y + 0.9, "★", ha="right", va="top", color=EQ_COLOUR)
    for c in range(nc):
        ax.text(c + 0.5, nr + 0.08, fig.cols[c], ha="center", va="bottom")
    ax.text(nc / 2, nr + 0.45, fig.players[1], ha="center", va="bottom", weight="bold")
    ax.text(x0 + 0.05, nr / 2, fig.players[0], ha="left", va="center", weight="bold", rotation=90)
    legend = f"★ equilibrium · payoffs ({fig.players[0]}, {fig.players[1]})"
    if fig.target is not None:
        legend += " · dashed: target"
    mid = (x0 + nc + 0.2) / 2
    ax.text(mid, -0.35, legend, ha="center", va="center", fontsize=8, color="#333333")
    if note:
        ax.text(mid, -0.7, note, ha="center", va="top", fontsize=8)
    return f


def _draw_tree(mpl: Any, fig: TreeFigure) -> Any:
    n = len(fig.nodes)
    children: list[list[int]] = [[] for _ in range(n)]
    for k, node in enumerate(fig.nodes):
        if node.parent >= 0:
            children[node.parent].append(k)
    depth = [0] * n
    for k, node in enumerate(fig.nodes):
        if node.parent >= 0:
            depth[k] = depth[node.parent] + 1
    x = [0.0] * n
    leaf = 0

    def place(v: int) -> None:
        nonlocal leaf
        if not children[v]:
            x[v] = float(leaf)
            leaf += 1
            return
        for c in children[v]:
            place(c)
        x[v] = sum(x[c] for c in children[v]) / len(children[v])

    place(0)
    leaves = max(leaf, 1)
    levels = max(depth) + 1
    f = mpl(figsize=(max(3.0, 1.3 * leaves + 1), 1.0 + 1.1 * levels + (0.4 if fig.note else 0)))
    ax = f.add_axes((0.02, 0.02, 0.96, 0.96))
    ax.set_xlim(-0.8, leaves - 0.2)
    ax.set_ylim(-levels - 0.1 - (0.5 if fig.note else 0), 0.6)
    ax.set_axis_off()
    for k, node in enumerate(fig.nodes):
        if node.parent >= 0:
            p = node.parent
            ax.plot(
                [x[p], x[k]],
                [-depth[p], -depth[k]],
                color=EQ_COLOUR if node.played else "#888888",
                lw=2.4 if node.played else 0.9,
            )
            ax.text(
                (x[p] + x[k]) / 2,
                -(depth[p] + depth[k]) / 2,
                node.action,
                ha="center",
                va="center",
                fontsize=8,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"},
            )
    for k, node in enumerate(fig.nodes):
        if node.payoffs is None:
            ax.plot([x[k]], [-depth[k]], "o", color="#222222", ms=5)
            ax.text(x[k], -depth[k] + 0.12, node.mover, ha="center", va="bottom", weight="bold")
        else:
            ax.text(
                x[k],
                -depth[k] - 0.08,
                "(" + ", ".join(node.payoffs) + ")",
                ha="center",
                va="top",
                fontsize=8,
            )
    groups: dict[tuple[str, str], list[int]] = {}
    for k, node in enumerate(fig.nodes):
        if node.infoset:
            groups.setdefault((node.mover, node.infoset), []).append(k)
    for members in groups.values():
        if len(members) > 1:
            members.sort(key=lambda k: x[k])
            ax.plot(
                [x[k] for k in members],
                [-depth[k] for k in members],
                ls=":",
                color="#555555",
                lw=1.2,
                zorder=0,
            )
    if fig.note:
        ax.text((leaves - 1) / 2, -levels - 0.35, _wrap(fig.note, 80), ha="center", fontsize=7)
    return f


def _draw_bars(mpl: Any, fig: BarFigure) -> Any:
    n = len(fig.bars)
    f = mpl(figsize=(6.0, 1.1 + 0.42 * n))
    ax = f.add_axes((0.3, 0.3 if n < 3 else 0.2, 0.62, 0.6 if n < 3 else 0.7))
    ys = list(range(n))[::-1]
    vals = [b.value for b in fig.bars]
    ax.barh(ys, vals, color=BAR_COLOUR, height=0.55)
    ax.set_yticks(ys, [b.label for b in fig.bars])
    ax.set_xlabel(fig.xlabel)
    refs = [b.reference for b in fig.bars if b.reference is not None]
    lo = min([0.0, *vals, *refs])
    hi = max([0.0, *vals, *refs])
    span = (hi - lo) or 1.0
    ax.set_xlim(lo - 0.05 * span, hi + 0.25 * span)
    for y, b in zip(ys, fig.bars, strict=True):
        ax.text(max(b.value, 0.0) + 0.01 * span, y, b.text, va="center", fontsize=8)
        if b.reference is not None:
            ax.plot([b.reference] * 2, [y - 0.4, y + 0.4], color=TARGET_COLOUR, lw=2)
    if fig.reference_label and refs:
        ax.plot([], [], color=TARGET_COLOUR, lw=2, label=fig.reference_label)
        ax.legend(loc="lower right", fontsize=7, frameon=False)
    ax.axvline(0, color="#444444", lw=0.6)
    ax.set_title(_wrap(fig.title, 80), fontsize=9, loc="left")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return f


def figure_svg(fig: Figure) -> str:
    """The figure as SVG text, starting at ``<svg`` (no XML prolog), deterministic."""
    import matplotlib

    with matplotlib.rc_context(cast(Any, RC)):
        f = draw(fig)
        from matplotlib.backends.backend_svg import FigureCanvasSVG

        FigureCanvasSVG(f)
        buf = io.StringIO()
        f.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue()
    return text[text.index("<svg") :]


def inline_svg(svg: str, prefix: str) -> str:
    """``svg`` with its ids prefixed, so that several can live in one HTML page.

    >>> inline_svg('<svg><g id="a"/><use xlink:href="#a"/><g clip-path="url(#a)"/></svg>', "f1")
    '<svg><g id="f1-a"/><use xlink:href="#f1-a"/><g clip-path="url(#f1-a)"/></svg>'
    """
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', svg)
    return re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
