"""Read a spreadsheet (CSV or XLSX) into plain rows, numbered as the user sees them.

The plan importer only ever sees :class:`Sheet`: cell values (text, numbers, dates) by row,
with the row number a spreadsheet program would show. Merged cells are filled down their
first column (a theme or finding merged over several actions applies to each of them), but
not across (a heading merged across the sheet stays one cell, so it still reads as a heading).
"""

from __future__ import annotations

import csv
import io
import itertools
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from store.errors import ImportFailed

if TYPE_CHECKING:  # openpyxl is only imported when a workbook is read
    from openpyxl.worksheet.worksheet import Worksheet

SPREADSHEET_SUFFIXES = (".csv", ".xlsx", ".xlsm")
# Formats people save plans in that we cannot read; each gets a way forward.
_OTHER_FORMATS = {
    ".xls": "is an old Excel 97-2003 file: open it and save it as .xlsx (or CSV) first",
    ".ods": "is an OpenDocument spreadsheet: save it as .xlsx (or CSV) first",
    ".numbers": "is a Numbers spreadsheet: export it as .xlsx (or CSV) first",
}
_CSV_ENCODINGS = ("utf-8-sig", "cp1252")
_MAX_CSV_BYTES = 50 * 1024 * 1024


@dataclass
class Sheet:
    """One worksheet's cells. ``rows`` holds ``(row_number, values)`` for every non-blank row."""

    name: str
    rows: list[tuple[int, list[object]]]
    # Solid fill colours ("RRGGBB") of cells, by (row_number, column index): some teams
    # colour the BRAG cell instead of typing a status.
    fills: dict[tuple[int, int], str] = field(default_factory=dict)
    # Rows whose filled cells are all in bold type: how a heading row looks in a workbook.
    bold_rows: set[int] = field(default_factory=set)
    # Hyperlinks behind cells (an Evidence cell often links to the document on SharePoint).
    links: dict[tuple[int, int], str] = field(default_factory=dict)
    # Cells given their value by a merged range above them: (row, column index) -> the
    # range's (first row, last row). A Findings cell merged over three actions is each's.
    merged: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    # Whether merged cells are known (a workbook) or lost (a CSV saved from one).
    knows_merges: bool = False


def read_sheets(path: Path) -> list[Sheet]:
    """Every visible worksheet of an XLSX workbook, or the one table of a CSV file.

    Raises :class:`ImportFailed` with one clear sentence for a file that is not a
    spreadsheet we can read (missing, another format, damaged, not text).
    """
    if not path.exists():
        raise ImportFailed(f"{path}: there is no such file.")
    if path.is_dir():
        raise ImportFailed(f"{path}: is a folder, not a plan spreadsheet.")
    suffix = path.suffix.lower()
    if suffix in _OTHER_FORMATS:
        raise ImportFailed(f"{path.name} {_OTHER_FORMATS[suffix]}.")
    if suffix == ".csv":
        return [_read_csv(path)]
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    raise ImportFailed(
        f"{path.name} is not a plan spreadsheet: give a .csv or .xlsx file "
        f"(it ends in '{path.suffix or 'nothing'}')."
    )


def _read_csv(path: Path) -> Sheet:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ImportFailed(f"{path.name}: cannot be read ({error.strerror}).") from None
    if len(raw) > _MAX_CSV_BYTES:
        raise ImportFailed(f"{path.name} is too big to be a plan ({len(raw) // 1_000_000} MB).")
    if b"\x00" in raw[:4096] or raw.startswith(b"PK\x03\x04"):
        raise ImportFailed(f"{path.name} is not a CSV text file (it looks like a binary file).")
    text = None
    for encoding in _CSV_ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise ImportFailed(f"{path.name}: the text is in an encoding that cannot be read.")
    delimiter = _guess_delimiter(text)
    rows: list[tuple[int, list[object]]] = []
    try:
        # Each CSV record is one spreadsheet row, even when a quoted cell spans lines,
        # so the record count is the row number the user sees in Excel.
        for number, record in enumerate(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1
        ):
            values: list[object] = [_clean_text(cell) for cell in record]
            if any(v != "" for v in values):
                rows.append((number, values))
    except csv.Error as error:
        raise ImportFailed(f"{path.name}: is not a readable CSV file ({error}).") from None
    return Sheet(name=path.stem, rows=rows)


def _guess_delimiter(text: str) -> str:
    """Comma, semicolon or tab: the one that splits the most rows into the same many columns.

    (csv.Sniffer is easily fooled by commas in prose; a plan's rows share one width.)
    """
    best, best_score = ",", (0, 0)
    for delimiter in (",", ";", "\t"):
        try:
            rows = csv.reader(io.StringIO(text), delimiter=delimiter)
            sample = [len(r) for r in itertools.islice(rows, 60)]
        except csv.Error:
            continue
        widths = [w for w in sample if w > 1]
        if not widths:
            continue
        modal = max(set(widths), key=lambda w: (widths.count(w), w))
        score = (widths.count(modal), modal)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _clean_text(value: str) -> str:
    # Spreadsheets save line breaks inside cells as \r\n or \r; keep them as \n.
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _read_xlsx(path: Path) -> list[Sheet]:
    # Only when a workbook is read.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # Not read-only: merged ranges and fills are only known to a full load.
        # data_only: a formula cell gives the value Excel last showed, not "=IF(...)".
        workbook = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or "it is damaged or not really an .xlsx file"
        raise ImportFailed(f"{path.name}: cannot be opened as a workbook ({reason}).") from None
    except Exception:  # openpyxl raises many kinds of errors on broken files
        raise ImportFailed(
            f"{path.name}: cannot be opened as a workbook (it is damaged or not really .xlsx)."
        ) from None
    sheets = []
    try:
        for worksheet in workbook.worksheets:
            if worksheet.sheet_state != "visible":
                continue
            sheets.append(_read_worksheet(worksheet))
    finally:
        workbook.close()
    return sheets


def _read_worksheet(worksheet: Worksheet) -> Sheet:
    grid: dict[int, list[object]] = {}
    fills: dict[tuple[int, int], str] = {}
    bold_rows: set[int] = set()
    links: dict[tuple[int, int], str] = {}
    for row in worksheet.iter_rows():
        values: list[object] = []
        filled = [c for c in row if c.value not in (None, "")]
        if filled and all(c.font is not None and c.font.b for c in filled):
            bold_rows.add(filled[0].row)
        for cell in row:
            value = cell.value
            if isinstance(value, str):
                value = _clean_text(value)
            values.append("" if value is None else value)
            colour = _solid_fill(cell)
            if colour:
                fills[(cell.row, cell.column - 1)] = colour
            target = getattr(cell.hyperlink, "target", None) if cell.hyperlink else None
            if target:
                links[(cell.row, cell.column - 1)] = str(target)
        if row:
            grid[row[0].row] = values
    merged_down: dict[tuple[int, int], tuple[int, int]] = {}
    for merged in worksheet.merged_cells.ranges:
        top = grid.get(merged.min_row)
        if top is None or len(top) < merged.min_col:
            continue
        value = top[merged.min_col - 1]
        for number in range(merged.min_row + 1, merged.max_row + 1):
            values = grid.setdefault(number, [])
            while len(values) < merged.min_col:
                values.append("")
            values[merged.min_col - 1] = value
            merged_down[(number, merged.min_col - 1)] = (merged.min_row, merged.max_row)
            top_colour = fills.get((merged.min_row, merged.min_col - 1))
            if top_colour:
                fills[(number, merged.min_col - 1)] = top_colour
    rows = [
        (number, values) for number, values in sorted(grid.items()) if any(v != "" for v in values)
    ]
    return Sheet(
        name=worksheet.title,
        rows=rows,
        fills=fills,
        bold_rows=bold_rows,
        links=links,
        merged=merged_down,
        knows_merges=True,
    )


def _solid_fill(cell: object) -> str:
    fill = getattr(cell, "fill", None)
    if fill is None or getattr(fill, "fill_type", None) != "solid":
        return ""
    colour = getattr(fill, "fgColor", None)
    if colour is None or getattr(colour, "type", None) != "rgb":
        return ""
    rgb = str(colour.rgb or "")
    return rgb[-6:].upper() if len(rgb) in (6, 8) else ""
