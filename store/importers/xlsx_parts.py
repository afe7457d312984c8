"""What openpyxl's read-only (streaming) mode does not give: a sheet's merged ranges, its
hyperlinks, its formula cells that have no saved value, and its hidden rows and columns.

The plan reader streams workbooks (``load_workbook(read_only=True)``) so that a huge or
hostile file costs bounded time and memory. Streaming reads values, fills and fonts, but
not these three, so they are read here from the sheet's XML, also streamed (``iterparse``,
each element cleared once read), counting rows so that a sheet of a million rows is refused
early instead of read.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO
from xml.etree.ElementTree import Element, iterparse

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


class TooManyRows(Exception):
    """The sheet's XML holds more rows than the limit it was read with."""


@dataclass
class SheetParts:
    """Cells by (row, column index from 0), as a spreadsheet program numbers rows."""

    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    links: dict[tuple[int, int], str] = field(default_factory=dict)
    unsaved_formulas: set[tuple[int, int]] = field(default_factory=set)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)  # column indexes from 0


def cell_position(ref: str) -> tuple[int, int]:
    """``"E7"`` -> (7, 4)."""
    match = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d+)", ref.strip())
    if match is None:
        raise ValueError(ref)
    column = 0
    for letter in match.group(1).upper():
        column = column * 26 + (ord(letter) - 64)
    return int(match.group(2)), column - 1


def cell_name(row: int, column: int) -> str:
    """(7, 4) -> ``"E7"``."""
    letters = ""
    number = column + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def _elements(handle: IO[bytes]) -> Iterator[Element]:
    for _, element in iterparse(handle, events=("end",)):
        yield element


def read_parts(book: zipfile.ZipFile, sheet_path: str, max_rows: int) -> SheetParts:
    """Merges, hyperlinks and unsaved formulas of the sheet at ``sheet_path`` in ``book``.

    Raises :class:`TooManyRows` past ``max_rows`` rows (or a row numbered past it), before
    reading the rest.
    """
    parts = SheetParts()
    link_ids: dict[tuple[int, int], str] = {}
    rows = 0
    with book.open(sheet_path) as handle:
        for element in _elements(handle):
            tag = element.tag
            if tag == f"{_MAIN}c":
                has_formula = element.find(f"{_MAIN}f") is not None
                value = element.find(f"{_MAIN}v")
                inline = element.find(f"{_MAIN}is")
                empty = (value is None or not (value.text or "").strip()) and inline is None
                if has_formula and empty and element.get("r"):
                    parts.unsaved_formulas.add(cell_position(element.get("r", "")))
                element.clear()
            elif tag == f"{_MAIN}row":
                rows += 1
                number = element.get("r") or ""
                if rows > max_rows or (number.isdigit() and int(number) > max_rows):
                    raise TooManyRows
                if number.isdigit() and element.get("hidden") in ("1", "true"):
                    parts.hidden_rows.add(int(number))
                element.clear()
            elif tag == f"{_MAIN}col" and element.get("hidden") in ("1", "true"):
                first, last = element.get("min") or "", element.get("max") or ""
                if first.isdigit() and last.isdigit():
                    # A hidden range runs to the sheet's last column (16,384): only the first
                    # few hundred can hold a plan's cells.
                    parts.hidden_columns.update(range(int(first) - 1, min(int(last), 1000)))
            elif tag == f"{_MAIN}mergeCell":
                first, _, last = (element.get("ref") or "").partition(":")
                if first and last:
                    (r1, c1), (r2, c2) = cell_position(first), cell_position(last)
                    parts.merges.append((r1, c1, r2, c2))
            elif tag == f"{_MAIN}hyperlink":
                ref, rel = element.get("ref") or "", element.get(_REL_ID)
                if ref and rel:
                    first = ref.partition(":")[0]
                    link_ids[cell_position(first)] = rel
    if link_ids:
        targets = _relationships(book, sheet_path)
        parts.links = {cell: targets[rid] for cell, rid in link_ids.items() if rid in targets}
    return parts


def _relationships(book: zipfile.ZipFile, sheet_path: str) -> dict[str, str]:
    folder, name = posixpath.split(sheet_path)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    try:
        handle = book.open(rels)
    except KeyError:
        return {}
    with handle:
        return {
            element.get("Id", ""): element.get("Target", "")
            for element in _elements(handle)
            if element.tag == _RELS and element.get("Target")
        }


_DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
# A cell's theme colour number counts the theme's colours in this order (ECMA-376 18.8.3).
_THEME_ORDER = (
    "lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5",
    "accent6", "hlink", "folHlink",
)  # fmt: skip
_THEME_PART = "xl/theme/theme1.xml"
_THEME_MAX_BYTES = 2 * 1024 * 1024  # a theme is some 10 KB; a bigger one is not read


def theme_colours(book: zipfile.ZipFile) -> list[str]:
    """The workbook theme's colours ("RRGGBB"), by the number a cell's theme colour gives:
    Excel's palette (its top rows) fills cells with these, not with RGB values."""
    try:
        if book.getinfo(_THEME_PART).file_size > _THEME_MAX_BYTES:
            return []
        handle = book.open(_THEME_PART)
    except KeyError:
        return []
    found: dict[str, str] = {}
    with handle:
        try:
            for element in _elements(handle):
                name = element.tag.removeprefix(_DRAWING)
                if name in _THEME_ORDER and name not in found and len(element):
                    colour = element[0]
                    found[name] = (colour.get("lastClr") or colour.get("val") or "").upper()
                if name == "clrScheme":
                    break
        except SyntaxError:  # ParseError: a damaged theme gives no colours
            return []
    return [found.get(name, "") for name in _THEME_ORDER]
