"""Turn an Ofsted report file (PDF or plain text) into clean lines of body text.

Page furniture is dropped here, once, so that nothing downstream can pick it up: the running
header or footer ("Inspection of X local authority children's services", dates and a page
number), lone page numbers and footnotes. PDFs are read with PDFium, which keeps every word
(pypdf drops some on these reports) and gives each line's font size, so small print is known
for certain; a plain-text copy of a report has no sizes and falls back on the shape of the
text, which gives the same lines for the reports we know.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from store.errors import ImportFailed
from store.importers.limits import MAX_REPORT_BYTES, MAX_REPORT_PAGES, megabytes

# Bullets come out of PDFium as a black square, a private-use glyph or a plain bullet,
# depending on the year the report was made (and arrows, ticks and diamonds, as other
# documents have them); sub-bullets as dashes of several kinds (the minus sign too) or
# small circles and triangles.
BULLETS = "◼■▪●•\uf06e\uf0a7\uf0b7\uf0a8\uf076\uf0d8\uf0fc➢➤►▶✓✔◆♦❖"
SUB_BULLETS = "\uf02d\u0336\u2015\u2013\u2014\u2212\uf0be-–o◦▫▹‣⁃"

_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\t": " "})


@dataclass(frozen=True)
class Line:
    """One line of a report as read: its text, page (from 1) and font size (None in a .txt)."""

    text: str
    page: int
    size: float | None = None
    # How far down the page the line sits (0 top, 1 bottom); None in a .txt.
    depth: float | None = None


def read_lines(path: Path, data: bytes) -> list[Line]:
    """The body lines of the report in ``data`` (the bytes of ``path``), furniture removed."""
    if len(data) > MAX_REPORT_BYTES:
        raise ImportFailed(
            f"{path.name} is {megabytes(len(data))}, over the {megabytes(MAX_REPORT_BYTES)} a "
            "report may be: it is not an Ofsted report (they are a few MB)."
        )
    pages = _text_pages(path, data) if path.suffix.lower() == ".txt" else _pdf_pages(path, data)
    if sum(len(line.text) for page in pages for line in page) < 200:
        raise ImportFailed(
            f"{path.name} has no text to read: it looks like a scanned document "
            "(pictures of pages). Use the report PDF published by Ofsted."
        )
    # (and once more over the page breaks: a number at a page's foot, its text overleaf)
    return _join_lone_numbers(_strip_furniture(pages))


def _sniff(path: Path, data: bytes) -> None:
    head = data[:1024].lstrip().lower()
    if not data.strip():
        raise ImportFailed(f"{path.name} is empty.")
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        match = re.search(rb"<title>(.*?)</title>", data[:20000], re.S | re.I)
        title = " ".join(match.group(1).decode("utf-8", "replace").split()) if match else ""
        hint = f": '{title}'" if title else ""
        raise ImportFailed(
            f"{path.name} is not a PDF (it looks like a web page{hint}). "
            "Download the report again from Ofsted."
        )
    if not data.startswith(b"%PDF-") and b"%PDF-" not in data[:1024]:
        raise ImportFailed(f"{path.name} is not a PDF (it does not start like one).")


def _pdf_pages(path: Path, data: bytes) -> list[list[Line]]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    _sniff(path, data)
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise ImportFailed(
                f"{path.name} is encrypted (password-protected), so it cannot be read. "
                "Use the report as published by Ofsted."
            ) from None
        raise ImportFailed(f"{path.name} is not a readable PDF (it is damaged).") from None
    if len(document) > MAX_REPORT_PAGES:
        pages_in = len(document)
        document.close()
        raise ImportFailed(
            f"{path.name} has {pages_in:,} pages, over the {MAX_REPORT_PAGES} a report may have: "
            "it is not an Ofsted report."
        )
    pages: list[list[Line]] = []
    try:
        for number in range(len(document)):
            page = document[number]
            textpage = page.get_textpage()
            count = textpage.count_chars()
            text = textpage.get_text_range() if count else ""
            height = page.get_height() or 1.0
            lines: list[Line] = []
            offset = 0
            for raw in text.split("\r\n"):
                size = depth = None
                # The first visible character gives the line's size and place; generated
                # characters (line breaks) have neither.
                for index in range(offset, min(offset + len(raw), count)):
                    if not raw[index - offset].isspace():
                        size = round(pdfium_c.FPDFText_GetFontSize(textpage, index), 1) or None
                        depth = 1.0 - textpage.get_charbox(index)[3] / height
                        break
                offset += len(raw) + 2
                lines.append(Line(_clean(raw), number + 1, size, depth))
            pages.append([line for line in lines if line.text])
            textpage.close()
            page.close()
    except pdfium.PdfiumError:
        raise ImportFailed(f"{path.name} is damaged: some of its pages cannot be read.") from None
    finally:
        document.close()
    return pages


def _text_pages(path: Path, data: bytes) -> list[list[Line]]:
    if b"\x00" in data[:4096]:
        raise ImportFailed(f"{path.name} is not a text file.")
    _reject_html(path, data)
    text = data.decode("utf-8-sig", errors="replace")
    chunks = text.split("\f")
    if len(chunks) == 1:
        chunks = _pages_by_number(text)
    pages: list[list[Line]] = []
    for number, chunk in enumerate(chunks, start=1):
        lines = [Line(_clean(raw), number) for raw in chunk.splitlines()]
        pages.append(_join_lone_numbers([line for line in lines if line.text]))
    return pages


def _pages_by_number(text: str) -> list[str]:
    """A copy with its page breaks lost (pasted from a PDF viewer) still has each page's
    number on a line of its own at the page's foot: the pages end there, so their running
    headers and footers are known as such. The numbers must run 1, 2, 3...; otherwise the
    text is one page."""
    lines = text.splitlines()
    pages: list[str] = []
    start = 0
    expected = {"1", "2"}  # (a cover may have no number)
    for index, line in enumerate(lines):
        if line.strip() in expected:
            pages.append("\n".join(lines[start : index + 1]))
            start, expected = index + 1, {str(int(line.strip()) + 1)}
    if len(pages) < 3:
        return [text]
    pages.append("\n".join(lines[start:]))
    return pages


def _join_lone_numbers(lines: list[Line]) -> list[Line]:
    """Some PDF-to-text tools put a paragraph's number ("74.") or a bullet on a line of its
    own; put it back in front of its text. (A bullet followed by another bullet is an empty
    one, left alone.)"""
    out: list[Line] = []
    for line in lines:
        previous = out[-1].text if out else ""
        lone_number = re.fullmatch(r"\d{1,3}\.", previous)
        lone_bullet = len(previous) == 1 and previous in BULLETS
        if (lone_number or lone_bullet) and re.fullmatch(r"\d{1,3}", line.text):
            continue  # the page's number, printed between the paragraph's and its text
        if (lone_number or lone_bullet) and line.text[:1] not in BULLETS:
            out[-1] = Line(f"{previous} {line.text}", line.page)
        else:
            out.append(line)
    return out


def _reject_html(path: Path, data: bytes) -> None:
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        _sniff(path, data)


def _clean(raw: str) -> str:
    # PDFium marks a hyphen at a line end (which it joins) as U+FFFE; in these reports that
    # is always a real hyphen ("decision-making").
    text = raw.replace("\ufffe", "-").replace("\u00ad", "-").translate(_SPACES)
    return " ".join(text.split())


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


_ZONE = 3


def _strip_furniture(pages: list[list[Line]]) -> list[Line]:
    """Drop running headers/footers (lines repeated at the top or bottom of many pages),
    lone page numbers and footnotes."""
    seen: Counter[str] = Counter()
    for page in pages:
        zone = page[:_ZONE] + page[-_ZONE:]
        for key in {_key(line.text) for line in zone}:
            seen[key] += 1
    # A running header is on most pages; one with a page number in it may belong to a
    # section only (the safeguarding board's report bound in after the council's).
    repeated = {
        key
        for key, n in seen.items()
        if n >= max(3, len(pages) // 3) or (n >= 3 and len(key) > (20 if "#" in key else 40))
    }
    body_size = _body_size(pages)
    out: list[Line] = []
    for number, page in enumerate(pages):
        keep = list(page)
        if number == 0:
            # The cover's title may be word for word the running header of the pages after
            # it ("Inspection of X local authority children's services"): there it is the
            # title, never furniture. Only page numbers and dates go from the cover's top.
            keep = _trim_zone(keep, {key for key in repeated if not re.search(r"[a-z]", key)})
        else:
            keep = _trim_zone(keep, repeated)
        keep.reverse()
        keep = _trim_zone(keep, repeated)
        keep.reverse()
        keep = _drop_footnotes(keep, body_size)
        out.extend(keep)
    return out


def _trim_zone(lines: list[Line], repeated: set[str]) -> list[Line]:
    """Remove furniture from the start of ``lines`` (a page, or a page reversed)."""
    start = 0
    while start < min(len(lines), _ZONE + 1):
        text = lines[start].text
        key = _key(text)
        if (
            key in repeated and (re.search(r"[a-z]", key) or key.strip("# ") == "")
        ) or re.fullmatch(r"(page )?\d{1,3}( of \d{1,3})?", text.lower()):
            start += 1
        else:
            break
    return lines[start:]


def _body_size(pages: list[list[Line]]) -> float | None:
    sizes = Counter(line.size for page in pages for line in page if line.size)
    return sizes.most_common(1)[0][0] if sizes else None


def _drop_footnotes(lines: list[Line], body_size: float | None) -> list[Line]:
    if body_size is not None:
        # Footnotes are small print at the foot of the page (small print elsewhere, like the
        # inspection dates on a cover, stays).
        end = len(lines)
        while (
            end > 0
            and (lines[end - 1].size or body_size) < body_size - 1.5
            and (lines[end - 1].depth or 0.0) > 0.6
        ):
            end -= 1
        # ... and open with the note's number.
        while end < len(lines) and not re.match(r"\d{1,2}\b", lines[end].text):
            end += 1
        return lines[:end]
    # A plain-text copy: a footnote is a block at the foot of the page that opens with its
    # number ("1 The areas for improvement ...", or "1" alone and then the note's first
    # line). A number alone before a short line ("Requires improvement") is the page's
    # number that a copy made without the layout printed mid-page, not a note.
    for index in range(max(0, len(lines) - 6), len(lines)):
        text = lines[index].text
        following = lines[index + 1].text if index + 1 < len(lines) else ""
        opens_note = (re.fullmatch(r"\d{1,2}", text) and len(following) >= 40) or re.match(
            r"\d{1,2} [A-Z][a-z]", text
        )
        if opens_note and index > 0:
            return lines[:index]
    return lines
