"""Render a :class:`~equishift.report.model.Briefing`: Markdown, HTML, PDF and JSON.

Renderers only format what the briefing holds; they never compute a result.

Examples
--------
>>> from equishift.report.model import Briefing, Stamp, Summary
>>> b = Briefing("Empty", Summary("No recommendation was evaluated.", ()), (),
...              Stamp("0.1.0", (("brief.toml", "ab12"),), (), 7))
>>> print(render_markdown(b).splitlines()[0])
# Empty
>>> "<svg" in render_html(b), render_json(b).startswith("{")
(False, True)
"""

from __future__ import annotations

import contextlib
import html
import json
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, cast

from .figures import RC, draw, figure_svg, inline_svg
from .model import (
    Bar,
    BarFigure,
    Briefing,
    Figure,
    GamePicture,
    Robustness,
    Section,
    Stamp,
    Summary,
    SummaryRow,
    ThresholdRow,
)

__all__ = [
    "figure_filename",
    "render_html",
    "render_json",
    "render_markdown",
    "render_pdf",
    "warm_up_pdf",
]

STATUS_WORDS = {
    "persisted": "stays an equilibrium",
    "moved": "stays, with different probabilities",
    "vanished": "is no longer an equilibrium",
    "appeared": "is a new equilibrium",
}


def figure_filename(fig: Figure) -> str:
    """The file name of a figure written next to the Markdown briefing.

    >>> from equishift.report.model import BarFigure
    >>> figure_filename(BarFigure("DF-delta-star", "t", "x", ()))
    'briefing-DF-delta-star.svg'
    """
    return f"briefing-{fig.name}.svg"


def _met(t: ThresholdRow) -> str:
    return "–" if t.met is None else ("yes" if t.met else "no")


def _in_play(t: ThresholdRow) -> str:
    if t.value is None:
        return "–"
    if t.value_before is not None and t.value_before != t.value:
        return f"{t.value_before} → {t.value}"
    return t.value


_CHOSEN = {"given": "chosen by hand", "sensitivity": "by sensitivity", "scan": "by a scan"}


def _stamp_lines(stamp: Stamp) -> list[str]:
    """How robustness was sampled and maps were made, one line each (none when absent)."""
    out = []
    for r in stamp.sampling:
        out.append(
            f"robustness of {r.recommendation}: {r.samples} samples ({r.method}, seed {r.seed}) "
            f"of {r.scenario} over {', '.join(r.parameters) or 'no parameters'}"
        )
    for m in stamp.maps:
        out.append(
            f"verdict map of {m.recommendation}: {m.nx}×{m.ny} grid of {m.scenario} over "
            f"{m.x} and {m.y} (axes {_CHOSEN.get(m.choice, m.choice)})"
        )
    return out


def _robustness_paragraphs(r: Robustness) -> list[str]:
    """The plain-language paragraphs of an assessed robustness, before its table."""
    out = [f"It {r.text}." + (f" {r.note}" if r.note else "")]
    if r.hinges:
        out.append(r.hinges)
    return out


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.0%}"


def _game_line(when: str, pic: GamePicture) -> str:
    cls = f" — a {pic.game_class}" if pic.game_class else ""
    return f"{when}: {pic.title or pic.form} ({pic.form}){cls}."


# -- Markdown ---------------------------------------------------------------------------------
def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(b: Briefing, *, figures: bool = True) -> str:
    """The briefing as Markdown for pasting.

    Parameters
    ----------
    b
        The briefing.
    figures
        Reference each figure as a sibling SVG file (:func:`figure_filename`, written by
        :func:`~equishift.report.write_briefing`); when ``False``, say it is omitted.
    """
    out: list[str] = [f"# {b.title}", "", "## Executive summary", "", b.summary.headline, ""]
    out += ["| Recommendation | Verdict | Robustness | Why |", "|---|---|---|---|"]
    for r in b.summary.rows:
        out.append(
            f"| **{_cell(r.id)}** {_cell(r.title)} | {r.verdict} | {_cell(r.robustness)} "
            f"| {_cell(r.why)} |"
        )
    out.append("")

    def fig_md(fig: Figure | None, alt: str) -> list[str]:
        if fig is None:
            return []
        if figures:
            return [f"![{alt}]({figure_filename(fig)})", ""]
        return [f"*(Figure omitted: {alt}.)*", ""]

    if b.summary.figure is not None:
        out += fig_md(b.summary.figure, b.summary.figure.title)
    for s in b.sections:
        out += _section_md(s, fig_md)
    out += ["## Reproducibility", "", f"- equishift version: {b.stamp.version}"]
    out.append(f"- seed: {'none' if b.stamp.seed is None else b.stamp.seed}")
    out += [f"- {line}" for line in _stamp_lines(b.stamp)]
    if b.stamp.sources:
        out.append("- sources (SHA-256):")
        out += [f"  - `{name}`: `{digest}`" for name, digest in b.stamp.sources]
    else:
        out.append("- sources: none given (games built in code)")
    if b.stamp.parameters:
        out += ["", "| Recommendation | Parameter | Before | After |", "|---|---|---|---|"]
        for p in b.stamp.parameters:
            out.append(
                f"| {p.recommendation} | {_cell(p.name)} | {p.before or '–'} | {p.after or '–'} |"
            )
    out.append("")
    return "\n".join(out)


def _section_md(s: Section, fig_md: Any) -> list[str]:
    out = [f"## {s.id} — {s.title}", ""]
    out += [f"> {s.quote}", ">", f"> — the brief, *{s.brief_section}*", ""]
    out += [f"**Verdict: it {s.verdict}** ({s.verdict_reason}).", "", s.explanation, ""]
    out += [f"- The change: {s.change}.", f"- Success means: {s.criterion}.", ""]
    out += ["### The game", ""]
    for when, pic in (("Before", s.before), ("After", s.after)):
        out += [_game_line(when, pic), ""]
        out += fig_md(pic.figure, f"{s.id} {when.lower()}: {pic.title}")
        if pic.note:
            out += [f"*{pic.note}*", ""]
    out += ["### Equilibria before and after", ""]
    for when, rows in (("Before", s.equilibria_before), ("After", s.equilibria_after)):
        if not rows:
            out += [f"{when}: no finite game to solve.", ""]
            continue
        out += [f"{when} ({len(rows)}):", ""]
        for e in rows:
            pay = ", ".join(f"{p} {v}" for p, v in e.payoffs)
            out.append(f"- {e.description} — payoffs {pay}{'' if e.pure else ' (mixed)'}")
        out.append("")
    if s.shift or s.class_change or s.incentives:
        out += ["### The shift", ""]
        for m in s.shift:
            out.append(f"- **{m.status}**: {m.after or m.before} ({STATUS_WORDS[m.status]})")
        if s.class_change:
            out.append(f"- Kind of game: {s.class_change}")
        out += [f"- Incentive at the target, {i}" for i in s.incentives]
        out.append("")
    if s.thresholds:
        out += ["### Thresholds", ""]
        out += ["| Threshold | Before | After | In play | Met |", "|---|---|---|---|---|"]
        for t in s.thresholds:
            out.append(
                f"| {_cell(t.description)} | {t.before or '–'} | {t.after or '–'} "
                f"| {_in_play(t)} | {_met(t)} |"
            )
        out.append("")
        for fig in s.threshold_figures:
            out += fig_md(fig, fig.title)
    out += ["### Robustness", ""]
    r = s.robustness
    if r is None:
        out += [
            "Not assessed: how the verdict holds up when uncertain parameters vary was not "
            "computed.",
            "",
        ]
    else:
        for para in _robustness_paragraphs(r):
            out += [para, ""]
        if r.figure is not None and r.figure.bars:
            out += ["| Value | Lower half | Works there | Upper half | Works there |"]
            out += ["|---|---|---|---|---|"]
            for tb in r.figure.bars:
                out.append(
                    f"| {_cell(tb.parameter)} | {tb.low_text} | {_pct(tb.low)} | {tb.high_text} "
                    f"| {_pct(tb.high)} |"
                )
            out.append("")
            out += fig_md(r.figure, r.figure.title)
        if r.flip:
            out += [r.flip, ""]
    if s.verdict_map is not None:
        out += [
            f"### Where it works: {s.verdict_map.figure.xlabel} and {s.verdict_map.figure.ylabel}",
            "",
        ]
        out += [s.verdict_map.text, ""]
        out += fig_md(s.verdict_map.figure, s.verdict_map.figure.title)
    elif s.map_note:
        out += [f"*{s.map_note}*", ""]
    out += ["### Assumptions", ""]
    for a in s.assumptions:
        line = f"- **{a.name}**" + (f": {a.value}" if a.value else "")
        if a.note:
            line += f" — {a.note}"
        if a.source:
            line += f" (source: {a.source})"
        out.append(line)
    out.append("")
    if s.caveats:
        out += ["### Caveats", ""] + [f"- {c}" for c in s.caveats] + [""]
    out += ["### Technical finding", "", s.finding, ""]
    return out


# -- HTML -------------------------------------------------------------------------------------
CSS = """
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; max-width: 60rem;
       margin: 2rem auto; padding: 0 1rem; color: #1d1d1d; line-height: 1.45; }
h1 { font-size: 1.7rem; } h2 { border-bottom: 1px solid #ccc; margin-top: 2.5rem; }
blockquote { border-left: 4px solid #4a6fa5; margin: 1rem 0; padding: .3rem 1rem;
             background: #f4f6fa; }
table { border-collapse: collapse; margin: .8rem 0; }
th, td { border: 1px solid #bbb; padding: .3rem .5rem; vertical-align: top; text-align: left; }
th { background: #eef0f3; }
.verdict { font-weight: bold; }
.works { color: #1f6b33; } .does-not-work { color: #9b1c1c; } .undetermined { color: #8a5a00; }
figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; }
figcaption { font-size: .85rem; color: #555; }
.note { font-size: .9rem; color: #444; font-style: italic; }
.stamp { font-size: .85rem; }
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; }
  section.recommendation { break-before: page; }
  figure, table, blockquote { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def render_html(b: Briefing) -> str:
    """The briefing as one self-contained HTML page (figures inline as SVG, print CSS)."""
    counter = iter(range(1, 10_000))

    def fig_html(fig: Figure | None, caption: str) -> str:
        if fig is None:
            return ""
        svg = inline_svg(figure_svg(fig), f"f{next(counter)}")
        return f"<figure>{svg}<figcaption>{_e(caption)}</figcaption></figure>\n"

    o: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(b.title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_e(b.title)}</h1>",
        '<section id="summary">',
        "<h2>Executive summary</h2>",
        f"<p>{_e(b.summary.headline)}</p>",
        "<table><thead><tr><th>Recommendation</th><th>Verdict</th><th>Robustness</th>"
        "<th>Why</th></tr></thead><tbody>",
    ]
    for r in b.summary.rows:
        o.append(
            f'<tr><td><a href="#rec-{_slug(r.id)}"><strong>{_e(r.id)}</strong></a> '
            f'{_e(r.title)}</td><td class="verdict {_slug(r.verdict)}">{_e(r.verdict)}</td>'
            f"<td>{_e(r.robustness)}</td><td>{_e(r.why)}</td></tr>"
        )
    o.append("</tbody></table>")
    if b.summary.figure is not None:
        o.append(fig_html(b.summary.figure, b.summary.figure.title))
    o.append("</section>")
    for s in b.sections:
        o += _section_html(s, fig_html)
    o += ['<section id="stamp" class="stamp">', "<h2>Reproducibility</h2>", "<ul>"]
    o.append(f"<li>equishift version: {_e(b.stamp.version)}</li>")
    o.append(f"<li>seed: {'none' if b.stamp.seed is None else b.stamp.seed}</li>")
    o += [f"<li>{_e(line)}</li>" for line in _stamp_lines(b.stamp)]
    if b.stamp.sources:
        o.append("<li>sources (SHA-256):<ul>")
        o += [f"<li><code>{_e(n)}</code>: <code>{_e(d)}</code></li>" for n, d in b.stamp.sources]
        o.append("</ul></li>")
    else:
        o.append("<li>sources: none given (games built in code)</li>")
    o.append("</ul>")
    if b.stamp.parameters:
        o.append(
            "<table><thead><tr><th>Recommendation</th><th>Parameter</th><th>Before</th>"
            "<th>After</th></tr></thead><tbody>"
        )
        for p in b.stamp.parameters:
            o.append(
                f"<tr><td>{_e(p.recommendation)}</td><td>{_e(p.name)}</td>"
                f"<td>{_e(p.before or '–')}</td><td>{_e(p.after or '–')}</td></tr>"
            )
        o.append("</tbody></table>")
    o += ["</section>", "</body>", "</html>", ""]
    return "\n".join(o)


def _section_html(s: Section, fig_html: Any) -> list[str]:
    o = [f'<section class="recommendation" id="rec-{_slug(s.id)}">']
    o.append(f"<h2>{_e(s.id)} — {_e(s.title)}</h2>")
    o.append(
        f"<blockquote><p>{_e(s.quote)}</p><footer>— the brief, "
        f"<cite>{_e(s.brief_section)}</cite></footer></blockquote>"
    )
    o.append(
        f'<p><span class="verdict {_slug(s.verdict)}">Verdict: it {_e(s.verdict)}</span> '
        f"({_e(s.verdict_reason)}).</p>"
    )
    o.append(f"<p>{_e(s.explanation)}</p>")
    o.append(
        f"<ul><li>The change: {_e(s.change)}.</li><li>Success means: {_e(s.criterion)}.</li></ul>"
    )
    o.append("<h3>The game</h3>")
    for when, pic in (("Before", s.before), ("After", s.after)):
        o.append(f"<p>{_e(_game_line(when, pic))}</p>")
        o.append(fig_html(pic.figure, f"{s.id} {when.lower()}: {pic.title}"))
        if pic.note:
            o.append(f'<p class="note">{_e(pic.note)}</p>')
    o.append("<h3>Equilibria before and after</h3>")
    for when, rows in (("Before", s.equilibria_before), ("After", s.equilibria_after)):
        if not rows:
            o.append(f"<p>{when}: no finite game to solve.</p>")
            continue
        o.append(f"<p>{when} ({len(rows)}):</p><ul>")
        for e in rows:
            pay = ", ".join(f"{p} {v}" for p, v in e.payoffs)
            mixed = "" if e.pure else " (mixed)"
            o.append(f"<li>{_e(e.description)} — payoffs {_e(pay)}{mixed}</li>")
        o.append("</ul>")
    if s.shift or s.class_change or s.incentives:
        o.append("<h3>The shift</h3><ul>")
        for m in s.shift:
            o.append(
                f"<li><strong>{_e(m.status)}</strong>: {_e(m.after or m.before or '')} "
                f"({STATUS_WORDS[m.status]})</li>"
            )
        if s.class_change:
            o.append(f"<li>Kind of game: {_e(s.class_change)}</li>")
        o += [f"<li>Incentive at the target, {_e(i)}</li>" for i in s.incentives]
        o.append("</ul>")
    if s.thresholds:
        o.append(
            "<h3>Thresholds</h3><table><thead><tr><th>Threshold</th><th>Before</th>"
            "<th>After</th><th>In play</th><th>Met</th></tr></thead><tbody>"
        )
        for t in s.thresholds:
            o.append(
                f"<tr><td>{_e(t.description)}</td><td>{_e(t.before or '–')}</td>"
                f"<td>{_e(t.after or '–')}</td><td>{_e(_in_play(t))}</td>"
                f"<td>{_met(t)}</td></tr>"
            )
        o.append("</tbody></table>")
        o += [fig_html(f, f.title) for f in s.threshold_figures]
    o.append("<h3>Robustness</h3>")
    r = s.robustness
    if r is None:
        o.append(
            "<p>Not assessed: how the verdict holds up when uncertain parameters vary was not "
            "computed.</p>"
        )
    else:
        o += [f"<p>{_e(para)}</p>" for para in _robustness_paragraphs(r)]
        if r.figure is not None and r.figure.bars:
            o.append(
                "<table><thead><tr><th>Value</th><th>Lower half</th><th>Works there</th>"
                "<th>Upper half</th><th>Works there</th></tr></thead><tbody>"
            )
            for tb in r.figure.bars:
                o.append(
                    f"<tr><td>{_e(tb.parameter)}</td><td>{_e(tb.low_text)}</td>"
                    f"<td>{_pct(tb.low)}</td><td>{_e(tb.high_text)}</td>"
                    f"<td>{_pct(tb.high)}</td></tr>"
                )
            o.append("</tbody></table>")
            o.append(fig_html(r.figure, r.figure.title))
        if r.flip:
            o.append(f"<p>{_e(r.flip)}</p>")
    if s.verdict_map is not None:
        fig = s.verdict_map.figure
        o.append(f"<h3>Where it works: {_e(fig.xlabel)} and {_e(fig.ylabel)}</h3>")
        o.append(f"<p>{_e(s.verdict_map.text)}</p>")
        o.append(fig_html(fig, fig.title))
    elif s.map_note:
        o.append(f'<p class="note">{_e(s.map_note)}</p>')
    o.append("<h3>Assumptions</h3><ul>")
    for a in s.assumptions:
        line = f"<li><strong>{_e(a.name)}</strong>" + (f": {_e(a.value)}" if a.value else "")
        if a.note:
            line += f" — {_e(a.note)}"
        if a.source:
            line += f" (source: {_e(a.source)})"
        o.append(line + "</li>")
    o.append("</ul>")
    if s.caveats:
        o.append("<h3>Caveats</h3><ul>" + "".join(f"<li>{_e(c)}</li>" for c in s.caveats))
        o.append("</ul>")
    o.append(f'<h3>Technical finding</h3><p class="note">{_e(s.finding)}</p>')
    o.append("</section>")
    return o


# -- JSON -------------------------------------------------------------------------------------
def render_json(b: Briefing) -> str:
    """The briefing as JSON text (every number; sorted keys; read back with ``from_json``)."""
    return json.dumps(b.to_json(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


# -- PDF --------------------------------------------------------------------------------------
A4 = (8.27, 11.69)
STYLES = {"h1": (15, "bold", 0.42), "h2": (12, "bold", 0.34), "h3": (10, "bold", 0.26)}


def _pdf_lines(b: Briefing) -> Iterator[tuple[str, str | Figure]]:
    """(style, text or figure) in reading order; ``"page"`` starts a new page."""
    yield "h1", b.title
    yield "h2", "Executive summary"
    yield "p", b.summary.headline
    for r in b.summary.rows:
        yield "p", f"• {r.id} ({r.title}): {r.verdict}; robustness {r.robustness}. {r.why}"
    if b.summary.figure is not None:
        yield "fig", b.summary.figure
    for s in b.sections:
        yield "page", ""
        yield "h2", f"{s.id} — {s.title}"
        yield "quote", f"“{s.quote}” — the brief, {s.brief_section}"
        yield "p", f"Verdict: it {s.verdict} ({s.verdict_reason})."
        yield "p", s.explanation
        yield "p", f"The change: {s.change}. Success means: {s.criterion}."
        yield "h3", "The game"
        for when, pic in (("Before", s.before), ("After", s.after)):
            yield "p", _game_line(when, pic) + (f" {pic.note}" if pic.note else "")
            if pic.figure is not None:
                yield "fig", pic.figure
        yield "h3", "Equilibria before and after"
        for when, rows in (("Before", s.equilibria_before), ("After", s.equilibria_after)):
            yield (
                "p",
                f"{when}: "
                + (
                    "; ".join(
                        f"[{e.description}] payoffs " + ", ".join(f"{p} {v}" for p, v in e.payoffs)
                        for e in rows
                    )
                    or "no finite game to solve"
                ),
            )
        if s.shift:
            yield "h3", "The shift"
            for m in s.shift:
                yield "p", f"• {m.status}: {m.after or m.before} ({STATUS_WORDS[m.status]})"
            if s.class_change:
                yield "p", f"• Kind of game: {s.class_change}"
            for i in s.incentives:
                yield "p", f"• Incentive at the target, {i}"
        if s.thresholds:
            yield "h3", "Thresholds"
            for t in s.thresholds:
                yield (
                    "p",
                    (
                        f"• {t.description}: before {t.before or '–'}, after {t.after or '–'}, "
                        f"in play {_in_play(t)}, met: {_met(t)}"
                    ),
                )
            for f in s.threshold_figures:
                yield "fig", f
        yield "h3", "Robustness"
        rob = s.robustness
        if rob is None:
            yield "p", "Not assessed."
        else:
            for para in _robustness_paragraphs(rob):
                yield "p", para
            if rob.figure is not None and rob.figure.bars:
                yield "fig", rob.figure
            if rob.flip:
                yield "p", rob.flip
        if s.verdict_map is not None:
            fig = s.verdict_map.figure
            yield "h3", f"Where it works: {fig.xlabel} and {fig.ylabel}"
            yield "p", s.verdict_map.text
            yield "fig", fig
        elif s.map_note:
            yield "p", s.map_note
        yield "h3", "Assumptions"
        for a in s.assumptions:
            yield (
                "p",
                f"• {a.name}"
                + (f": {a.value}" if a.value else "")
                + (f" — {a.note}" if a.note else "")
                + (f" (source: {a.source})" if a.source else ""),
            )
        if s.caveats:
            yield "h3", "Caveats"
            for c in s.caveats:
                yield "p", f"• {c}"
    yield "page", ""
    yield "h2", "Reproducibility"
    yield (
        "p",
        f"equishift version {b.stamp.version}; seed "
        + ("none" if b.stamp.seed is None else str(b.stamp.seed)),
    )
    for line in _stamp_lines(b.stamp):
        yield "p", f"• {line}"
    for n, d in b.stamp.sources:
        yield "p", f"• {n}: {d}"
    for p in b.stamp.parameters:
        yield "p", f"• {p.recommendation} {p.name}: {p.before or '–'} → {p.after or '–'}"


PDF_RC: dict[str, Any] = {
    **RC,
    "pdf.use14corefonts": True,
    # matplotlib sizes the PDF's font subsets by the PostScript setting: with Type 42 every
    # character of the embedded font goes into one subset, so the font is embedded once.
    "ps.fonttype": 42,
    "font.family": "sans-serif",
    "font.sans-serif": ["Helvetica", "DejaVu Sans"],
}
"""matplotlib settings of the PDF: the reader's own Helvetica (one of the 14 standard PDF
fonts, not embedded), with DejaVu Sans embedded only for the few texts Helvetica cannot
encode (see :func:`_prepare_texts`). Laying out and subsetting an embedded font for
every line took most of the PDF's time; the standard font needs neither."""


def _core_font_can_show(text: str) -> bool:
    """Whether ``text`` is in the standard fonts' encoding (Windows-1252)."""
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


@contextlib.contextmanager
def _standard_fonts(on: bool) -> Iterator[None]:
    """Switch matplotlib's standard-font setting for the PDF, restoring it after (a cheap
    alternative to ``rc_context``, which copies every setting)."""
    import matplotlib

    before = matplotlib.rcParams["pdf.use14corefonts"]
    matplotlib.rcParams["pdf.use14corefonts"] = on
    try:
        yield
    finally:
        matplotlib.rcParams["pdf.use14corefonts"] = before


def _prepare_texts(page: Any) -> int:
    """Set how each text of ``page`` draws itself in the PDF; returns how many need DejaVu Sans.

    A one-line, unrotated text is drawn by :func:`_draw_in_runs`: Helvetica where it can,
    embedded DejaVu Sans for the characters Helvetica cannot encode (δ, →, ≥, ★) instead of
    question marks, on a baseline set by the font rather than by the glyphs (matplotlib's
    metrics of the standard fonts make a line with an apostrophe several points taller,
    which would misalign it). Any other text that Helvetica cannot encode is set wholly in
    DejaVu Sans. The standard-font setting is read when a text is drawn, so each text
    switches it for itself.
    """
    count = 0
    for t in _texts(page):
        text = t.get_text()
        core = _core_font_can_show(text)
        count += not core
        if not ("\n" in text or "$" in text or t.get_rotation() % 360 or t.get_bbox_patch()):
            t.draw = lambda renderer, t=t: _draw_in_runs(t, renderer)
        elif not core:
            plain = t.draw

            def embedded(renderer: Any, plain: Any = plain) -> Any:
                with _standard_fonts(False):
                    return plain(renderer)

            t.draw = embedded
    return count


def _texts(artist: Any) -> Iterator[Any]:
    """The texts under ``artist``, skipping the axes drawn without axes (``findobj`` would
    make each of them create its ticks, which are never drawn)."""
    from matplotlib.axis import Axis
    from matplotlib.text import Text

    if isinstance(artist, Text):
        yield artist
    if isinstance(artist, Axis) and not artist.axes.axison:
        return
    for child in artist.get_children():
        yield from _texts(child)


_LP_METRICS: dict[tuple[Any, ...], tuple[float, float]] = {}
"""Height and descent of "lp" in Helvetica (points) by font size, weight, style, family."""


def _draw_in_runs(t: Any, renderer: Any) -> None:
    """Draw the one-line, unrotated text ``t`` as runs of standard and embedded font.

    The runs share one baseline, placed as matplotlib places that of a line whose glyphs
    span those of "lp" in Helvetica, so every line of a given size sits alike.
    """
    import itertools

    if not t.get_visible() or not t.get_text():
        return
    prop = t.get_fontproperties()

    def width(chunk: str, core: bool) -> float:
        with _standard_fonts(core):
            return float(renderer.get_text_width_height_descent(chunk, prop, ismath=False)[0])

    runs = [
        (core, "".join(group))
        for core, group in itertools.groupby(t.get_text(), key=_core_font_can_show)
    ]
    ha = t.get_horizontalalignment()
    # Widths only where they place something: a later run, or the start of a centred line.
    if len(runs) == 1 and ha not in ("center", "right"):
        widths = [0.0]
    else:
        widths = [width(chunk, core) for core, chunk in runs]
    key = (prop.get_size_in_points(), prop.get_weight(), prop.get_style(), *prop.get_family())
    if key not in _LP_METRICS:
        with _standard_fonts(True):
            _, h, d = renderer.get_text_width_height_descent("lp", prop, ismath=False)
        _LP_METRICS[key] = (float(h), float(d))
    height, descent = _LP_METRICS[key]
    x, y = t.get_transform().transform(t.get_unitless_position())
    x -= {"center": sum(widths) / 2, "right": sum(widths)}.get(ha, 0.0)
    y += {
        "top": -(height - descent),
        "bottom": descent,
        "center": descent - height / 2,
        "center_baseline": -(height - descent) / 2,
    }.get(t.get_verticalalignment(), 0.0)
    gc = renderer.new_gc()
    gc.set_foreground(t.get_color())
    gc.set_alpha(t.get_alpha())
    if t.get_clip_on() and t.get_clip_box() is not None:
        gc.set_clip_rectangle(t.get_clip_box())
    for (core, chunk), w in zip(runs, widths, strict=True):
        with _standard_fonts(core):
            renderer.draw_text(gc, x, y, chunk, prop, 0.0, ismath=False, mtext=t)
        x += w
    gc.restore()


def warm_up_pdf() -> None:
    """Load what drawing a PDF needs, by drawing a small briefing to memory.

    Importing matplotlib's PDF backend and loading the standard and embedded fonts take over
    a second the first time in a process; :class:`~equishift.report.write.PdfWorker` does it
    here while the recommendations are still being evaluated.

    Examples
    --------
    >>> warm_up_pdf()
    """
    import io

    bars = BarFigure(
        "warm-up",
        "δ ≥ 0 → ★",
        "δ",
        (Bar("a's", 0.5, "0.5", reference=0.4, low=0.3, high=0.6),),
        reference_label="δ in play",
    )
    row = SummaryRow("W", "warm-up", "works", "100%", "δ → ≥ ★")
    stamp = Stamp("", (), (), None)
    render_pdf(Briefing("Warm-up", Summary("Warm-up", (row,), bars), (), stamp), io.BytesIO())


def render_pdf(b: Briefing, path: str | Path | IO[bytes]) -> None:
    """Write the briefing as a PDF to ``path`` (matplotlib's PDF backend; pip-only).

    Text is set in the standard Helvetica (see :data:`PDF_RC`); texts with characters outside
    its encoding are set in embedded DejaVu Sans, so every character prints as written.
    """
    import logging

    # Helvetica's only upright weight is "medium"; matplotlib warns on every lookup of the
    # "normal" weight that it uses medium instead, which is what we want.
    fonts_log = logging.getLogger("matplotlib.font_manager")
    level = fonts_log.level
    fonts_log.setLevel(logging.ERROR)
    try:
        _render_pdf(b, path)
    finally:
        fonts_log.setLevel(level)


def _render_pdf(b: Briefing, path: str | Path | IO[bytes]) -> None:
    import matplotlib
    from matplotlib.backends.backend_pdf import FigureCanvasPdf, PdfPages
    from matplotlib.figure import Figure as MplFigure

    top, bottom, left, width = 0.94, 0.06, 0.08, 96
    with (
        matplotlib.rc_context(cast(Any, PDF_RC)),
        PdfPages(
            path,
            metadata={"CreationDate": None, "ModDate": None, "Creator": "equishift"},
        ) as pdf,
    ):
        page: Any = None
        y = top

        def flush() -> None:
            nonlocal page, y
            if page is not None:
                FigureCanvasPdf(page)
                _prepare_texts(page)
                pdf.savefig(page)
            page, y = None, top

        def new_page() -> Any:
            nonlocal page, y
            flush()
            page = MplFigure(figsize=A4)
            return page

        for style, item in _pdf_lines(b):
            if style == "page":
                flush()
                continue
            if style == "fig":
                assert not isinstance(item, str)

                def region(figsize: tuple[float, float]) -> Any:
                    nonlocal y
                    w, h = min(figsize[0], A4[0] - 2 * left * A4[0]), figsize[1]
                    need = h / A4[1]
                    if page is None or y - need < bottom:
                        new_page()
                    assert page is not None
                    # Sub-figures fill grid cells by their ratios (not subplot margins).
                    x1 = left + w / A4[0]
                    grid = page.add_gridspec(
                        3,
                        3,
                        width_ratios=[left, x1 - left, 1 - x1],
                        height_ratios=[1 - y, need, y - need],
                        wspace=0,
                        hspace=0,
                    )
                    sub = grid[1, 1]
                    y -= need + 0.015
                    return page.add_subfigure(sub)

                draw(item, region)
                continue
            assert isinstance(item, str)
            size, weight, step = STYLES.get(style, (9, "normal", 0.18))
            wrap = width if style not in STYLES else 70
            lines = textwrap.wrap(item, wrap) or [""]
            # A heading keeps with what follows: it starts a new page rather than end one
            # (room for the heading and about three lines of text below it).
            if style in STYLES and page is not None and y - (step + 0.6) / A4[1] < bottom:
                new_page()
            for k, line in enumerate(lines):
                if page is None or y < bottom:
                    new_page()
                assert page is not None
                page.text(
                    left + (0.03 if style == "quote" else 0),
                    y,
                    line,
                    fontsize=size,
                    weight=weight,
                    style="italic" if style == "quote" else "normal",
                    va="top",
                )
                y -= step / A4[1] * (1 if k < len(lines) - 1 else 1.35)
        flush()
