"""Read a spreadsheet (CSV or XLSX) into plain rows, numbered as the user sees them.

The plan importer only ever sees :class:`Sheet`: cell values (text, numbers, dates) by row,
with the row number a spreadsheet program would show. Merged cells are filled down their
first column (a theme or finding merged over several actions applies to each of them), but
not across (a heading merged across the sheet stays one cell, so it still reads as a heading).
"""

from __future__ import annotations

import colorsys
import csv
import io
import itertools
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store.errors import ImportFailed
from store.importers.limits import megabytes
from store.importers.xlsx_parts import TooManyRows, read_parts, theme_colours

SPREADSHEET_SUFFIXES = (".csv", ".xlsx", ".xlsm")
# Formats people save plans in that we cannot read; each gets a way forward.
_OTHER_FORMATS = {
    ".xls": "is an old Excel 97-2003 file: open it and save it as .xlsx (or CSV) first",
    ".ods": "is an OpenDocument spreadsheet: save it as .xlsx (or CSV) first",
    ".numbers": "is a Numbers spreadsheet: export it as .xlsx (or CSV) first",
}
_CSV_ENCODINGS = ("utf-8-sig", "cp1252")
# The largest plan read (README, "Limits"). Real plans are tens to a few hundred rows and
# well under 5 MB; anything past these is the wrong file, or a hostile one.
MAX_SPREADSHEET_BYTES = 50 * 1024 * 1024  # the file
MAX_ROWS = 10_000  # filled rows of one sheet
MAX_CELLS = 250_000  # filled cells of one sheet
MAX_SHEET_ROWS = 50_000  # rows of one sheet, filled or not (formatting makes empty ones)
_ROWS_TOO_MANY = (
    f"more than {MAX_SHEET_ROWS:,} rows, counting empty rows that have formatting (delete "
    "those below the plan)"
)


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
    # Formula cells with no value saved with them (a workbook written by a program, never
    # opened in Excel): read as blank, they would lose a due date without a word.
    unsaved_formulas: set[tuple[int, int]] = field(default_factory=set)
    # Rows and columns (indexes from 0) hidden in the workbook, and rows whose filled cells
    # are all struck through (often an action dropped, sometimes one done).
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    struck_rows: set[int] = field(default_factory=set)


def read_sheets(path: Path) -> list[Sheet]:
    """Every visible worksheet of an XLSX workbook, or the one table of a CSV file.

    Raises :class:`ImportFailed` with one clear sentence for a file that is not a
    spreadsheet we can read (missing, another format, damaged, not text).
    """
    if not path.exists():
        raise ImportFailed(f"{path}: there is no such file.")
    if path.is_dir():
        raise ImportFailed(f"{path}: is a folder, not a plan spreadsheet.")
    # A named pipe or a device (a FIFO named plan.csv, a link to /dev/zero) would be read
    # for ever: refused before it is opened.
    if not path.is_file():
        raise ImportFailed(f"{path.name} is not a regular file (a pipe or a device), so not read.")
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
    _check_size(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ImportFailed(f"{path.name}: cannot be read ({error.strerror}).") from None
    if len(raw) > MAX_SPREADSHEET_BYTES:
        raise ImportFailed(_too_big(path, len(raw)))
    # Excel's "Unicode Text" and some exports are UTF-16, marked so by their first bytes.
    utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not utf16 and (b"\x00" in raw[:4096] or raw.startswith(b"PK\x03\x04")):
        raise ImportFailed(f"{path.name} is not a CSV text file (it looks like a binary file).")
    text = None
    for encoding in ("utf-16",) if utf16 else _CSV_ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise ImportFailed(f"{path.name}: the text is in an encoding that cannot be read.")
    delimiter = _guess_delimiter(text)
    rows: list[tuple[int, list[object]]] = []
    cells = 0
    try:
        # Each CSV record is one spreadsheet row, even when a quoted cell spans lines,
        # so the record count is the row number the user sees in Excel.
        for number, record in enumerate(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1
        ):
            values: list[object] = [_clean_text(cell) for cell in record]
            if any(v != "" for v in values):
                rows.append((number, values))
                cells += sum(1 for v in values if v != "")
            if len(rows) > MAX_ROWS or cells > MAX_CELLS:
                what = (
                    f"more than {MAX_ROWS:,} filled rows"
                    if len(rows) > MAX_ROWS
                    else f"more than {MAX_CELLS:,} filled cells"
                )
                raise _too_many(path, path.stem, what)
    except csv.Error as error:
        raise ImportFailed(f"{path.name}: is not a readable CSV file ({error}).") from None
    return Sheet(name=path.stem, rows=rows)


def _too_big(path: Path, size: int) -> str:
    return (
        f"{path.name} is {megabytes(size)}; a plan is never over "
        f"{megabytes(MAX_SPREADSHEET_BYTES)}, so it is not read (is this the plan?)."
    )


def _check_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ImportFailed(f"{path.name}: cannot be read ({error.strerror}).") from None
    if size > MAX_SPREADSHEET_BYTES:
        raise ImportFailed(_too_big(path, size))


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

    _check_size(path)
    try:
        # Streamed (read-only): a huge sheet costs bounded memory and is refused early.
        # data_only: a formula cell gives the value Excel last showed, not "=IF(...)".
        workbook = load_workbook(path, read_only=True, data_only=True)
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or "it is damaged or not really an .xlsx file"
        raise ImportFailed(f"{path.name}: cannot be opened as a workbook ({reason}).") from None
    except Exception:  # openpyxl raises many kinds of errors on broken files
        raise ImportFailed(
            f"{path.name}: cannot be opened as a workbook (it is damaged or not really .xlsx)."
        ) from None
    sheets = []
    try:
        palette = theme_colours(book)
        for worksheet in workbook.worksheets:
            if worksheet.sheet_state != "visible":
                continue
            sheets.append(_read_worksheet(path, book, worksheet, palette))
    except ImportFailed:
        raise
    except Exception:  # a damaged sheet inside a workbook that opened
        raise ImportFailed(
            f"{path.name}: cannot be read as a workbook (it is damaged or not really .xlsx)."
        ) from None
    finally:
        workbook.close()
        book.close()
    return sheets


def _too_many(path: Path, sheet: str, what: str) -> ImportFailed:
    return ImportFailed(
        f"{path.name}: sheet '{sheet}' has {what}; a plan has a few hundred rows, so it is "
        "not read (is this the plan? remove the rows that are not actions, or split it)."
    )


def _read_worksheet(path: Path, book: zipfile.ZipFile, worksheet: Any, palette: list[str]) -> Sheet:
    try:
        parts = read_parts(book, worksheet._worksheet_path, MAX_SHEET_ROWS)
    except TooManyRows:
        raise _too_many(path, worksheet.title, _ROWS_TOO_MANY) from None
    grid: dict[int, list[object]] = {}
    fills: dict[tuple[int, int], str] = {}
    bold_rows: set[int] = set()
    struck_rows: set[int] = set()
    cells = 0
    for number, row in enumerate(worksheet.iter_rows(), 1):
        if number > MAX_SHEET_ROWS:
            raise _too_many(path, worksheet.title, _ROWS_TOO_MANY)
        values: list[object] = []
        filled = [c for c in row if c.value not in (None, "")]
        if filled and all(getattr(c, "font", None) is not None and c.font.b for c in filled):
            bold_rows.add(number)
        if filled and all(getattr(c, "font", None) is not None and c.font.strike for c in filled):
            struck_rows.add(number)
        for index, cell in enumerate(row):
            value = cell.value
            if isinstance(value, str):
                value = _clean_text(value)
            values.append("" if value is None else value)
            colour = _solid_fill(cell, palette)
            if colour:
                fills[(number, index)] = colour
        cells += len(filled)
        if filled:
            grid[number] = values
        if len(grid) > MAX_ROWS or cells > MAX_CELLS:
            what = (
                f"more than {MAX_ROWS:,} filled rows"
                if len(grid) > MAX_ROWS
                else (f"more than {MAX_CELLS:,} filled cells")
            )
            raise _too_many(path, worksheet.title, what)
    merged_down: dict[tuple[int, int], tuple[int, int]] = {}
    for min_row, min_col, max_row, _ in parts.merges:
        top = grid.get(min_row)
        if top is None or len(top) <= min_col:
            continue
        value = top[min_col]
        for number in range(min_row + 1, max_row + 1):
            values = grid.setdefault(number, [])
            while len(values) <= min_col:
                values.append("")
            values[min_col] = value
            merged_down[(number, min_col)] = (min_row, max_row)
            top_colour = fills.get((min_row, min_col))
            if top_colour:
                fills[(number, min_col)] = top_colour
    rows = [
        (number, values) for number, values in sorted(grid.items()) if any(v != "" for v in values)
    ]
    return Sheet(
        name=worksheet.title,
        rows=rows,
        fills=fills,
        bold_rows=bold_rows,
        links=parts.links,
        merged=merged_down,
        knows_merges=True,
        unsaved_formulas=parts.unsaved_formulas,
        hidden_rows=parts.hidden_rows,
        hidden_columns=parts.hidden_columns,
        struck_rows=struck_rows,
    )


def _solid_fill(cell: object, palette: list[str]) -> str:
    """A cell's solid fill as "RRGGBB": an RGB colour, one of the old 64-colour palette
    (files once saved as .xls), or a theme colour lightened or darkened by its tint."""
    from openpyxl.styles.colors import COLOR_INDEX

    fill = getattr(cell, "fill", None)
    if fill is None or getattr(fill, "fill_type", None) != "solid":
        return ""
    colour: Any = getattr(fill, "fgColor", None)
    kind = getattr(colour, "type", None)
    if kind == "rgb":
        rgb = str(colour.rgb or "")
    elif kind == "indexed" and 0 <= colour.indexed < 64:
        rgb = COLOR_INDEX[colour.indexed]
    elif kind == "theme" and 0 <= colour.theme < len(palette):
        rgb = _tinted(palette[colour.theme], float(colour.tint or 0))
    else:
        return ""
    return rgb[-6:].upper() if len(rgb) in (6, 8) else ""


def _tinted(rgb: str, tint: float) -> str:
    """A theme colour with Excel's tint: lighter towards white (> 0), darker (< 0)."""
    try:
        red, green, blue = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        return ""
    hue, light, sat = colorsys.rgb_to_hls(red, green, blue)
    light = light * (1 + tint) if tint < 0 else light * (1 - tint) + tint
    return "".join(f"{round(v * 255):02X}" for v in colorsys.hls_to_rgb(hue, light, sat))
