"""The pack's performance measures, in every format: for each focus theme, its measures'
latest value, target, BRAG against the target, better or worse since the period before, and
the trend: a row of block characters in Markdown and Word (``▁▂▃▅▇``), a drawn line against
the target in the web page (inline SVG, no script, no image file).

The measures come to :func:`store.export.document.build_document` from the store
(:func:`store.measures.focus_measures`); each renderer calls the one function here for its
format, after readiness and the chase list.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from store.measure_rules import Measure, format_number, sparkline

if TYPE_CHECKING:
    from store.export.document import PackDocument

HEADERS = ["Measure", "Latest", "Target", "BRAG", "Since last", "Last 12"]
BRAG_WORDS = {"green": "Green (target met)", "amber": "Amber (within tolerance)",
              "red": "Red (off target)"}  # fmt: skip
DIRECTION_WORDS = {"better": "▲ better", "worse": "▼ worse", "same": "= same"}
INTRO = (
    "BRAG against the target: met = Green, short of it by no more than the amber "
    "tolerance = Amber, further = Red. Better or worse: since the period before, by which "
    "way is good for the measure."
)


def cells(measure: Measure) -> list[str]:
    """The words of one measure's row, plain text (each renderer escapes them)."""
    latest = measure.latest
    return [
        f"{measure.ref} {measure.name}",
        f"{format_number(latest.value, measure.unit)} ({latest.label})" if latest else "no value",
        format_number(measure.target, measure.unit) or "none",
        BRAG_WORDS.get(measure.brag, "—"),
        DIRECTION_WORDS.get(measure.direction, "—"),
        sparkline(measure.recent),
    ]


def markdown(doc: PackDocument, inline: Any) -> list[str]:
    """``## Performance measures``: a table per focus theme (``inline`` escapes user text)."""
    if not doc.measures:
        return []
    lines = ["## Performance measures", "", INTRO, ""]
    for theme, measures in doc.measures:
        lines += [f"### {inline(theme)}", ""]
        lines += [f"| {' | '.join(HEADERS)} |", "| --- | ---: | ---: | --- | --- | --- |"]
        for measure in measures:
            row = cells(measure)
            row[0] = f"**{inline(measure.ref)}** {inline(measure.name)}"
            row[5] = f"`{row[5]}`" if row[5] else "—"
            lines.append(f"| {' | '.join(row)} |")
        lines.append("")
    return lines


def html(doc: PackDocument) -> list[str]:
    """A section with a table per focus theme, each row's trend drawn as an SVG line
    against the target (a dashed line)."""
    if not doc.measures:
        return []
    out = ['<section class="measures">', "<h2>Performance measures</h2>", f"<p>{escape(INTRO)}</p>"]
    for theme, measures in doc.measures:
        out.append(f"<h3>{escape(theme)}</h3>")
        out.append("<table><thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in HEADERS))
        out.append("</tr></thead><tbody>")
        for measure in measures:
            row = cells(measure)
            out.append(
                "<tr>"
                + "".join(f"<td>{escape(text)}</td>" for text in row[:5])
                + f"<td>{svg_chart(measure)}</td></tr>"
            )
        out.append("</tbody></table>")
    out.append("</section>")
    return out


def svg_chart(measure: Measure, width: int = 160, height: int = 36) -> str:
    """The last values as a polyline, the target as a dashed line, in a small inline SVG."""
    values = list(measure.recent)
    if not values:
        return "—"
    levels = values + ([measure.target] if measure.target is not None else [])
    low, high = min(levels), max(levels)
    span = (high - low) or 1.0
    pad = 3

    def y(value: float) -> float:
        return round(height - pad - (value - low) / span * (height - 2 * pad), 1)

    step = (width - 2 * pad) / max(1, len(values) - 1)
    points = " ".join(f"{round(pad + i * step, 1)},{y(v)}" for i, v in enumerate(values))
    label = escape(
        f"{measure.ref}: "
        + ", ".join(format_number(v, measure.unit) for v in values)
        + (
            f"; target {format_number(measure.target, measure.unit)}"
            if measure.target is not None
            else ""
        )
    )
    parts = [
        f'<svg class="trend" role="img" aria-label="{label}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{label}</title>",
    ]
    if measure.target is not None:
        ty = y(measure.target)
        parts.append(
            f'<line x1="{pad}" y1="{ty}" x2="{width - pad}" y2="{ty}" stroke="#c0392b" '
            'stroke-width="1" stroke-dasharray="3,2"/>'
        )
    parts.append(f'<polyline points="{points}" fill="none" stroke="#1f6feb" stroke-width="1.5"/>')
    last_x, last_y = points.split(" ")[-1].split(",")
    parts.append(f'<circle cx="{last_x}" cy="{last_y}" r="2" fill="#1f6feb"/>')
    parts.append("</svg>")
    return "".join(parts)


def word(body: Any, doc: PackDocument) -> None:
    """A heading and a table per focus theme (the trend as block characters)."""
    if not doc.measures:
        return
    from store.export.word import _p, _run, _table

    body.add(_p(_run("Performance measures"), style="Heading1"))
    body.add(_p(_run(INTRO)))
    for theme, measures in doc.measures:
        body.add(_p(_run(theme), style="Heading2", keep_next=True))
        rows = [[_run(text) for text in cells(measure)] for measure in measures]
        body.add(_table(HEADERS, rows, [34, 16, 10, 18, 12, 14]))
