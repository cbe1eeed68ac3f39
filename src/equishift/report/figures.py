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

import functools
import io
import itertools
import re
import textwrap
from typing import Any, cast

from .model import BarFigure, Figure, MapFigure, MatrixFigure, TornadoFigure, TreeFigure

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
LOW_COLOUR = "#9fbbe0"
VERDICT_COLOURS = ("#6a9fd4", "#e8a33d", "#cfcfcf")
"""Map colours by verdict code: works (blue), does not work (orange), undetermined (grey)."""


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
    if isinstance(fig, TornadoFigure):
        return _draw_tornado(make, fig)
    if isinstance(fig, MapFigure):
        return _draw_map(make, fig)
    return _draw_bars(make, fig)


def _canvas(f: Any, xlim: tuple[float, float], ylim: tuple[float, float]) -> Any:
    """A transform from data coordinates in ``xlim`` x ``ylim`` to the whole of ``f``.

    Figures without axes (matrices) draw their patches and texts on the figure itself with
    this transform: the same picture as on hidden axes, without building the axes.
    """
    from matplotlib.transforms import Bbox, BboxTransformFrom

    box = Bbox([[xlim[0], ylim[0]], [xlim[1], ylim[1]]])
    return BboxTransformFrom(box) + f.transSubfigure


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
    x0 = nc + 0.2 - width / unit
    at = _canvas(f, (x0, nc + 0.2), (-0.9 - extra, nr + 0.9))

    def text(x: float, y: float, s: str, **kw: Any) -> None:
        f.text(x, y, s, transform=at, **kw)

    eq = set(fig.equilibria)
    for r in range(nr):
        y = nr - 1 - r
        text(-0.08, y + 0.5, fig.rows[r], ha="right", va="center")
        for c in range(nc):
            face = "#dff0e3" if (r, c) in eq else "white"
            f.add_artist(
                Rectangle((c, y), 1, 1, facecolor=face, edgecolor="#444444", lw=0.8, transform=at)
            )
            if fig.target == (r, c):
                f.add_artist(
                    Rectangle(
                        (c + 0.04, y + 0.04),
                        0.92,
                        0.92,
                        fill=False,
                        ec=TARGET_COLOUR,
                        lw=1.6,
                        ls="--",
                        transform=at,
                    )
                )
            a, b = fig.payoffs[r][c]
            text(c + 0.5, y + 0.5, f"{a} , {b}", ha="center", va="center", fontsize=10)
            if (r, c) in eq:
                text(c + 0.93, y + 0.9, "★", ha="right", va="top", color=EQ_COLOUR)
    for c in range(nc):
        text(c + 0.5, nr + 0.08, fig.cols[c], ha="center", va="bottom")
    text(nc / 2, nr + 0.45, fig.players[1], ha="center", va="bottom", weight="bold")
    text(x0 + 0.05, nr / 2, fig.players[0], ha="left", va="center", weight="bold", rotation=90)
    legend = f"★ equilibrium · payoffs ({fig.players[0]}, {fig.players[1]})"
    if fig.target is not None:
        legend += " · dashed: target"
    mid = (x0 + nc + 0.2) / 2
    text(mid, -0.35, legend, ha="center", va="center", fontsize=8, color="#333333")
    if note:
        text(mid, -0.7, note, ha="center", va="top", fontsize=8)
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


def _ticks(lo: float, hi: float) -> tuple[list[float], list[str]]:
    """Tick positions within [lo, hi] at a round step (as matplotlib picks them), with labels
    that all show the same number of decimals."""
    from matplotlib.ticker import MaxNLocator

    step_values = [
        float(v) for v in MaxNLocator(nbins=7, steps=[1, 2, 2.5, 5, 10]).tick_values(lo, hi)
    ]
    values = [v for v in step_values if lo - 1e-9 <= v <= hi + 1e-9]
    step = step_values[1] - step_values[0] if len(step_values) > 1 else 1.0
    decimals = next(
        (d for d in range(7) if abs(round(step, d) - step) < 1e-9 * max(1.0, abs(step))), 6
    )
    labels = [f"{0.0 if abs(v) < step * 1e-9 else v:.{decimals}f}" for v in values]
    return values, labels


def _draw_bars(mpl: Any, fig: BarFigure) -> Any:
    """Horizontal bars, drawn on the figure itself (axes cost more than all the rest)."""
    from matplotlib.lines import Line2D
    from matplotlib.markers import TICKDOWN, TICKLEFT
    from matplotlib.patches import Rectangle
    from matplotlib.transforms import Bbox, BboxTransform, ScaledTranslation

    n = len(fig.bars)
    title = _wrap(fig.title, 48)
    # Margins in inches: the title's lines above, tick labels and the axis label below.
    top = 0.12 + 0.17 * (title.count("\n") + 1)
    bottom = 0.5
    height = 0.42 * n + top + bottom + 0.1
    f = mpl(figsize=(6.0, height))
    frame = (0.3, bottom / height, 0.92, 1 - top / height)  # the plot area, figure fractions
    ys = list(range(n))[::-1]
    vals = [b.value for b in fig.bars]
    refs = [b.reference for b in fig.bars if b.reference is not None]
    ends = [v for b in fig.bars for v in (b.low, b.high) if v is not None]
    lo = min([0.0, *vals, *refs, *ends])
    hi = max([0.0, *vals, *refs, *ends])
    span = (hi - lo) or 1.0
    x0, x1 = (-0.05, 1.3) if fig.share else (lo - 0.05 * span, hi + 0.25 * span)
    y0, y1 = -0.6, n - 0.4
    at = (
        BboxTransform(
            Bbox([[x0, y0], [x1, y1]]), Bbox([[frame[0], frame[1]], [frame[2], frame[3]]])
        )
        + f.transSubfigure
    )

    def shifted(dx_points: float, dy_points: float) -> Any:
        return at + ScaledTranslation(dx_points / 72, dy_points / 72, f.dpi_scale_trans)

    def line(xs: list[float], ys_: list[float], **kw: Any) -> None:
        f.add_artist(Line2D(xs, ys_, transform=at, **kw))

    for y, b in zip(ys, fig.bars, strict=True):
        f.add_artist(
            Rectangle(
                (min(0.0, b.value), y - 0.275), abs(b.value), 0.55, color=BAR_COLOUR, transform=at
            )
        )
        right = max(b.value, 0.0, b.high if b.high is not None else 0.0)
        f.text(right + 0.015 * span, y, b.text, va="center", fontsize=8, transform=at)
        if b.reference is not None:
            line([b.reference] * 2, [y - 0.4, y + 0.4], color=TARGET_COLOUR, lw=2)
        if b.low is not None and b.high is not None:
            line([b.low, b.high], [y, y], color="#222222", lw=1)
            for end in (b.low, b.high):
                line([end, end], [y - 0.15, y + 0.15], color="#222222", lw=1)
        # The bar's label, with a tick mark on the left axis.
        line([x0], [y], marker=TICKLEFT, ms=3.5, mew=0.8, color="black")
        f.text(x0, y, b.label, ha="right", va="center", transform=shifted(-7, 0))
    line([0.0, 0.0], [y0, y1], color="#444444", lw=0.6)
    # The axes: left and bottom lines, ticks and labels along the bottom.
    line([x0, x0], [y0, y1], color="black", lw=0.8)
    if fig.share:  # room on the right for the labels, but no axis past 100%
        values, labels = [0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"]
        line([0.0, 1.0], [y0, y0], color="black", lw=0.8)
    else:
        values, labels = _ticks(x0, x1)
        line([x0, x1], [y0, y0], color="black", lw=0.8)
    for v, text in zip(values, labels, strict=True):
        line([v], [y0], marker=TICKDOWN, ms=3.5, mew=0.8, color="black")
        f.text(v, y0, text, ha="center", va="top", transform=shifted(0, -7))
    f.text((x0 + x1) / 2, y0, fig.xlabel, ha="center", va="top", transform=shifted(0, -20))
    f.text(x0, y1, title, ha="left", va="bottom", fontsize=9, transform=shifted(0, 6))
    if fig.reference_label and refs:  # a legend in the lower right corner
        right_edge = x1 - 0.02 * (x1 - x0)
        f.text(
            right_edge,
            y0,
            fig.reference_label,
            ha="right",
            va="bottom",
            fontsize=7,
            transform=shifted(0, 5),
        )
        text_room = (0.6 * 7 * len(fig.reference_label) + 4) / 72  # inches, roughly
        per_inch = (x1 - x0) / ((frame[2] - frame[0]) * 6.0)
        xa = right_edge - text_room * per_inch
        f.add_artist(
            Line2D(
                [xa - 0.3 * per_inch, xa],
                [y0, y0],
                color=TARGET_COLOUR,
                lw=2,
                transform=shifted(0, 8),
            )
        )
    return f


def _draw_tornado(mpl: Any, fig: TornadoFigure) -> Any:
    n = len(fig.bars)
    note = _wrap(fig.note, 100)
    lines = note.count("\n") + 1 if note else 0
    height = 1.3 + 0.4 * n + 0.14 * lines
    f = mpl(figsize=(6.0, height))
    bottom = (0.55 + 0.14 * lines) / height
    top = 1 - 0.35 / height
    ax = f.add_axes((0.16, bottom, 0.52, top - bottom))
    base = fig.overall if fig.overall is not None else 0.0
    ys = list(range(n))[::-1]
    for y, b in zip(ys, fig.bars, strict=True):
        for rate, colour, off in ((b.low, LOW_COLOUR, 0.18), (b.high, BAR_COLOUR, -0.18)):
            if rate is None:
                continue
            ax.barh(y + off, rate - base, left=base, height=0.34, color=colour)
            right = rate >= base
            ax.text(
                rate + (0.012 if right else -0.012),
                y + off,
                f"{rate:.0%}",
                ha="left" if right else "right",
                va="center",
                fontsize=7,
            )
    ax.set_yticks(ys, [b.parameter for b in fig.bars])
    ax.set_xlim(-0.13, 1.13)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"])
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_xlabel("share of samples where it works")
    if fig.overall is not None:
        ax.axvline(base, color="#222222", lw=1)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = [
        Patch(facecolor=LOW_COLOUR, label="lower half of its range"),
        Patch(facecolor=BAR_COLOUR, label="upper half of its range"),
    ]
    if fig.overall is not None:
        handles.append(Line2D([], [], color="#222222", lw=1, label=f"overall: {fig.overall:.0%}"))
    ax.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=7, frameon=False
    )
    ax.set_title(_wrap(fig.title, 80), fontsize=9, loc="left")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if note:
        f.text(0.02, 0.02, note, fontsize=7, va="bottom", color="#333333")
    return f


def _edges(values: tuple[float, ...]) -> list[float]:
    """Cell edges around grid values: midpoints inside, half a step beyond each end."""
    if len(values) == 1:
        return [values[0] - 0.5, values[0] + 0.5]
    mids = [(a + b) / 2 for a, b in itertools.pairwise(values)]
    return [values[0] - (mids[0] - values[0]), *mids, values[-1] + (values[-1] - mids[-1])]


def _draw_map(mpl: Any, fig: MapFigure) -> Any:
    from matplotlib.collections import PolyCollection
    from matplotlib.patches import Patch

    legend_lines = [f"{chr(65 + k)}: {text}" for k, text in enumerate(fig.regime_legend)]
    wrapped = [_wrap(line, 90) for line in legend_lines]
    extra = 0.16 * sum(w.count("\n") + 1 for w in wrapped)
    height = 4.6 + extra
    f = mpl(figsize=(6.0, height))
    bottom = (0.75 + extra) / height
    ax = f.add_axes((0.14, bottom, 0.6, 1 - bottom - 0.5 / height))
    xe, ye = _edges(fig.xs), _edges(fig.ys)
    # One rectangle per run of equal verdicts along a row: far smaller SVG than a cell each.
    runs: dict[int, list[list[tuple[float, float]]]] = {}
    for j, row in enumerate(fig.verdicts):
        i = 0
        while i < len(row):
            k = i
            while k + 1 < len(row) and row[k + 1] == row[i]:
                k += 1
            x0, x1, y0, y1 = xe[i], xe[k + 1], ye[j], ye[j + 1]
            runs.setdefault(row[i], []).append([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
            i = k + 1
    for code, polys in sorted(runs.items()):
        colour = VERDICT_COLOURS[code] if 0 <= code < len(VERDICT_COLOURS) else "#ffffff"
        ax.add_collection(
            PolyCollection(polys, facecolors=colour, edgecolors=colour, linewidths=0.4)
        )
    if fig.regimes:
        _outline_regimes(ax, fig, xe, ye)
    if fig.default is not None:
        ax.plot(
            [fig.default[0]],
            [fig.default[1]],
            marker="*",
            ms=14,
            color="#111111",
            mec="white",
            mew=1.0,
            ls="none",
        )
    ax.set_xlim(xe[0], xe[-1])
    ax.set_ylim(ye[0], ye[-1])
    ax.set_xlabel(fig.xlabel)
    ax.set_ylabel(fig.ylabel)
    ax.set_title(_wrap(fig.title, 70), fontsize=9, loc="left")
    handles: list[Any] = [
        Patch(facecolor=c, edgecolor="#666666", label=w)
        for c, w in zip(VERDICT_COLOURS, fig.legend, strict=True)
    ]
    if fig.default is not None:
        from matplotlib.lines import Line2D

        handles.append(
            Line2D([], [], marker="*", ms=10, color="#111111", ls="none", label="default values")
        )
    ax.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=7, frameon=False
    )
    if wrapped:
        f.text(
            0.02,
            0.02,
            "Before the change, the game's equilibria:\n" + "\n".join(wrapped),
            fontsize=7,
            va="bottom",
            color="#222222",
        )
    return f


def _outline_regimes(ax: Any, fig: MapFigure, xe: list[float], ye: list[float]) -> None:
    """Lines along cell edges where the baseline's equilibria change, and a letter per region."""
    grid = fig.regimes
    ny, nx = len(grid), len(grid[0])
    segs: list[tuple[tuple[float, float], tuple[float, float]]] = []
    for j in range(ny):
        for i in range(nx):
            if i + 1 < nx and grid[j][i] != grid[j][i + 1]:
                segs.append(((xe[i + 1], ye[j]), (xe[i + 1], ye[j + 1])))
            if j + 1 < ny and grid[j][i] != grid[j + 1][i]:
                segs.append(((xe[i], ye[j + 1]), (xe[i + 1], ye[j + 1])))
    if segs:
        from matplotlib.collections import LineCollection

        ax.add_collection(LineCollection(segs, colors="#111111", linewidths=1.4))
    for k in range(len(fig.regime_legend)):
        cells = [(i, j) for j in range(ny) for i in range(nx) if grid[j][i] == k]
        if not cells:
            continue
        ci = sum(i for i, _ in cells) / len(cells)
        cj = sum(j for _, j in cells) / len(cells)
        i, j = min(cells, key=lambda c: ((c[0] - ci) ** 2 + (c[1] - cj) ** 2, c))
        ax.text(
            fig.xs[i],
            fig.ys[j],
            chr(65 + k),
            ha="center",
            va="center",
            fontsize=9,
            weight="bold",
            color="#111111",
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
        )


def figure_svg(fig: Figure) -> str:
    """The figure as SVG text, starting at ``<svg`` (no XML prolog), deterministic.

    The HTML and the Markdown of one briefing embed the same figures: each is drawn once
    (figures are frozen data, so equal figures give equal SVG).
    """
    try:
        return _cached_svg(fig)
    except TypeError:  # a figure holding something unhashable: draw it each time
        return _draw_svg(fig)


@functools.lru_cache(maxsize=256)
def _cached_svg(fig: Figure) -> str:
    return _draw_svg(fig)


def _draw_svg(fig: Figure) -> str:
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
