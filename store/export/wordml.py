"""WordprocessingML written as text: a run, a paragraph, a table (what the pack's Word
document and its measures section are made of).

All text is literal: it goes into ``w:t`` elements escaped as XML, never interpreted.
Properties are made once per kind (a 10,000-item pack has 75,000 runs).
"""

from __future__ import annotations

from store.export.plain_text import NEEDS_WORK, plain

_TICK_FONT = (
    '<w:rFonts w:ascii="Segoe UI Symbol" w:hAnsi="Segoe UI Symbol" w:cs="Segoe UI Symbol"/>'
)


def w_text(text: str) -> str:
    """A ``w:t`` element holding ``text`` as it is (spaces kept), escaped."""
    # saxutils.escape's three replacements, without its call (a big pack has 75,000 runs).
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<w:t xml:space="preserve">{text}</w:t>'


_RPR: dict[tuple[bool, str, bool], str] = {}  # a run's properties, made once per kind


def _rpr(bold: bool, colour: str, tick: bool) -> str:
    props = ""
    if tick:
        props += _TICK_FONT
    if bold:
        props += "<w:b/>"
    if colour:
        props += f'<w:color w:val="{colour}"/>'
    return f"<w:rPr>{props}</w:rPr>" if props else ""


def run(text: object, *, bold: bool = False, colour: str = "", tick: bool = False) -> str:
    """A run of text (folded to one line of single spaces, but a separator's own outer
    spaces kept); ``tick`` in a font that has ☐ and ☑. Empty text gives no run."""
    raw = str(text or "")
    if tick:
        clean = raw
    elif raw[:1] == " " or raw[-1:] == " ":
        # A separator's own spaces (" · ", ": ") are kept; the user's are folded.
        clean = plain(raw)
        if clean:
            clean = (" " if raw[:1] == " " else "") + clean + (" " if raw[-1:] == " " else "")
    elif NEEDS_WORK.search(raw) or "  " in raw:
        clean = plain(raw)
    else:
        clean = raw  # what plain() gives back for most text, without the call
    if not clean:
        return ""
    # w_text's escaping, inline: a big pack has 55,000 runs.
    clean = clean.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if not (bold or colour or tick):
        return f'<w:r><w:t xml:space="preserve">{clean}</w:t></w:r>'
    key = (bold, colour, tick)
    rpr = _RPR.get(key)
    if rpr is None:
        rpr = _RPR[key] = _rpr(bold, colour, tick)
    return f'<w:r>{rpr}<w:t xml:space="preserve">{clean}</w:t></w:r>'


_PPR: dict[tuple[str, bool, bool], str] = {}  # a paragraph's properties, made once per kind


def para(*runs: str, style: str = "", keep_next: bool = False, tight: bool = False) -> str:
    """A paragraph of runs in a Word style, kept with the next one or spaced tightly."""
    key = (style, keep_next, tight)
    ppr = _PPR.get(key)
    if ppr is None:
        ppr = _PPR[key] = _ppr(style, keep_next, tight)
    return f"<w:p>{ppr}{''.join(runs)}</w:p>"


def _ppr(style: str, keep_next: bool, tight: bool) -> str:
    props = ""
    if style:
        props += f'<w:pStyle w:val="{style}"/>'
    if keep_next:
        props += "<w:keepNext/>"
    if tight:
        props += '<w:spacing w:before="0" w:after="40"/>'
    return f"<w:pPr>{props}</w:pPr>" if props else ""


def table(headers: list[str], rows: list[list[str]], widths: list[int]) -> str:
    """A Table Grid table across the page; ``rows`` hold runs XML; widths in fiftieths of %."""
    grid = "".join(f'<w:gridCol w:w="{w * 100}"/>' for w in widths)
    out = [
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/>'
        '<w:tblLayout w:type="fixed"/></w:tblPr>',
        f"<w:tblGrid>{grid}</w:tblGrid>",
        "<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>",
    ]
    for header, width in zip(headers, widths, strict=True):
        out.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{width * 50}" w:type="pct"/>'
            '<w:shd w:val="clear" w:color="auto" w:fill="E3EAF2"/></w:tcPr>'
            f"{para(run(header, bold=True))}</w:tc>"
        )
    out.append("</w:tr>")
    for row in rows:
        out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        for cell, width in zip(row, widths, strict=True):
            out.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{width * 50}" w:type="pct"/></w:tcPr>{para(cell)}</w:tc>'
            )
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)
