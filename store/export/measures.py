"""The pack's performance measures, in every format: for each focus theme, its measures'
latest value, target, BRAG against the target, better or worse since the period before, and
the trend: a row of block characters in Markdown (``▁▂▃▅▇``), a drawn line against the
target in the web page (inline SVG, no script) and in Word (a small PNG picture).

The measures come to :func:`store.export.document.build_document` from the store
(:func:`store.measures.focus_measures`); each renderer calls the one function here for its
format, after readiness and the chase list.
"""

from __future__ import annotations

from html import escape
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from store.export.wordml import para, run, table
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
        out.append(
            '<table class="cards"><thead><tr>' + "".join(f"<th>{escape(h)}</th>" for h in HEADERS)
        )
        out.append("</tr></thead><tbody>")
        for measure in measures:
            row = cells(measure)
            out.append(
                "<tr>"
                + "".join(
                    f'<td data-label="{escape(label)}">{escape(text)}</td>'
                    for label, text in zip(HEADERS[:5], row[:5], strict=True)
                )
                + f'<td data-label="{escape(HEADERS[5])}">{svg_chart(measure)}</td></tr>'
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


def word(body: Any, doc: PackDocument, package: Any = None) -> None:
    """A heading and a table per focus theme; the trend drawn as a small picture (a PNG
    made here, no plotting library) when ``package`` (the python-docx document the body
    goes into) is given, else as block characters."""
    if not doc.measures:
        return
    # Kept with the first theme's table: not a heading and its key alone at a page's foot.
    body.add(para(run("Performance measures"), style="Heading1", keep_next=True))
    body.add(para(run(INTRO), keep_next=True))
    pictures = 0
    for theme, measures in doc.measures:
        body.add(para(run(theme), style="Heading2", keep_next=True))
        rows = []
        for measure in measures:
            row = [run(text) for text in cells(measure)]
            if package is not None and measure.recent:
                pictures += 1
                row[5] = _picture(package, measure, pictures)
            rows.append(row)
        body.add(table(HEADERS, rows, _WIDTHS))


# The columns' shares of the page (percent). The trend's column holds its picture whole: at
# 40 mm in a column of 13% (23 mm) Word cut off its right end, the latest values.
_WIDTHS = [26, 14, 12, 16, 12, 20]
# A picture 30 mm x 7.5 mm, drawn at 240 x 60 pixels: 20% of A4's 174 mm between the
# margins is 34.8 mm, less the cell's own margins (1.9 mm each side).
_PICTURE_MM = (30, 7.5)
_PNG_SIZE = (240, 60)
_EMU_PER_MM = 36_000


def _picture(package: Any, measure: Measure, number: int) -> str:
    """The run holding the measure's trend picture (its part added to ``package``)."""
    import io

    rid, _image = package.part.get_or_add_image(io.BytesIO(png_chart(measure)))
    cx, cy = (round(mm * _EMU_PER_MM) for mm in _PICTURE_MM)
    label = escape(f"Trend of {measure.ref}: " + ", ".join(
        format_number(v, measure.unit) for v in measure.recent
    ))  # fmt: skip
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    pic = "http://schemas.openxmlformats.org/drawingml/2006/picture"
    ident = 9000 + number
    return (
        f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{ident}" name="Trend {ident}" '
        f'descr="{label}"/><wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{a}" '
        f'noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic xmlns:a="{a}">'
        f'<a:graphicData uri="{pic}"><pic:pic xmlns:pic="{pic}"><pic:nvPicPr>'
        f'<pic:cNvPr id="{ident}" name="trend-{ident}.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch>'
        f'</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/>'
        f'</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
        f"</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )


def png_chart(measure: Measure) -> bytes:
    """The last values as a blue line with the target as a dashed red line, as PNG bytes
    (the same measure always gives the same bytes)."""
    width, height = _PNG_SIZE
    pixels = [bytearray(b"\xff\xff\xff" * width) for _ in range(height)]
    values = list(measure.recent)
    levels = values + ([measure.target] if measure.target is not None else [])
    low, high = min(levels), max(levels)
    span = (high - low) or 1.0
    pad = 6

    def at(i: int, value: float) -> tuple[int, int]:
        x = pad + round(i * (width - 2 * pad) / max(1, len(values) - 1))
        y = height - pad - round((value - low) / span * (height - 2 * pad))
        return x, y

    def dot(x: int, y: int, colour: bytes, size: int = 1) -> None:
        for dy in range(-size, size + 1):
            for dx in range(-size, size + 1):
                if 0 <= x + dx < width and 0 <= y + dy < height:
                    pixels[y + dy][3 * (x + dx) : 3 * (x + dx) + 3] = colour

    red, blue = b"\xc0\x39\x2b", b"\x1f\x6f\xeb"
    if measure.target is not None:
        _x, ty = at(0, measure.target)
        for x in range(pad, width - pad):
            if (x // 6) % 2 == 0:
                dot(x, ty, red, 0)
    points = [at(i, v) for i, v in enumerate(values)]
    for (x0, y0), (x1, y1) in pairwise(points):
        steps = max(abs(x1 - x0), abs(y1 - y0), 1)
        for step in range(steps + 1):
            dot(x0 + round((x1 - x0) * step / steps), y0 + round((y1 - y0) * step / steps), blue)
    dot(*points[-1], blue, 2)
    return _png(width, height, pixels)


def _png(width: int, height: int, rows: list[bytearray]) -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + bytes(row) for row in rows)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )
