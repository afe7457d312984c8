"""`visitprep template PLAN.xlsx|PLAN.csv`: an empty improvement plan with the columns the
importer expects, ready to fill in and bring back with `visitprep import`.

The workbook has a bold, frozen header row, sensible column widths, a drop-down list of
BRAG values, dates shown the UK way, and a Notes sheet explaining every column. An
existing file is never overwritten.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

from store.database import plain_sqlite_path, resolve_url
from store.errors import ValidationError
from store.files import write_output
from store.importers.plan_columns import TEMPLATE_COLUMNS

_ROWS_PREPARED = 500  # BRAG drop-down and date format down to this row
_INTRO = (
    "How to fill in this plan",
    "One action per row on the Plan sheet. Only the Action column is required.",
    "A row holding only a theme name (e.g. 'Theme 2: Children in care') files the "
    "actions below it under that theme.",
    "Title rows above the header and blank rows are fine. Cells may hold several lines.",
    "Import it with: visitprep import PLAN.xlsx --dry-run (to check it), then without "
    "--dry-run. The import is all or nothing: a row that cannot be read stops it and is "
    "listed with its row number.",
)


def run(args: argparse.Namespace) -> int:
    """Write the empty plan; refuse an existing file or an unknown file type in one line."""
    if getattr(args, "measures", False):
        from tui.commands.scorecard import write_scorecard_template

        return write_scorecard_template(args)
    path = Path(args.path).expanduser()
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ValidationError(
            "path", f"{path.name}: a plan template is written as .xlsx or .csv; choose one."
        )
    data = _xlsx() if suffix == ".xlsx" else _csv()
    # Never over an existing file (someone's filled-in plan), nor the store, nor a device.
    store_file = plain_sqlite_path(resolve_url(args.db))
    path = write_output(path, data, store_path=store_file, overwrite=False)
    sys.stdout.write(
        f"Wrote an empty plan to {path} with the columns "
        f"{', '.join(header for header, *_ in TEMPLATE_COLUMNS)}.\n"
        f"Fill it in, then: visitprep import {_quoted(path)} --dry-run\n"
    )
    return 0


def _quoted(path: Path) -> str:
    text = str(path)
    return f"'{text}'" if any(c.isspace() for c in text) else text


def _csv() -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([h for h, *_ in TEMPLATE_COLUMNS])
    # A byte-order mark makes Excel read the file as UTF-8 (names like Zoë survive).
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    plan = workbook.active
    plan.title = "Plan"
    plan.append([header for header, *_ in TEMPLATE_COLUMNS])
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for index, (_, field, _note, width) in enumerate(TEMPLATE_COLUMNS, start=1):
        cell = plan.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        letter = get_column_letter(index)
        plan.column_dimensions[letter].width = width
        cells = f"{letter}2:{letter}{_ROWS_PREPARED}"
        if field == "brag":
            brag = DataValidation(
                type="list",
                formula1='"Blue,Green,Amber,Red"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="BRAG",
                error="Choose Blue (complete), Green (on track), Amber (at risk) or Red (off track).",
                promptTitle="BRAG",
                prompt="Blue = complete, Green = on track, Amber = at risk, Red = off track",
                showInputMessage=True,
            )
            brag.add(cells)
            plan.add_data_validation(brag)
        for row in range(2, _ROWS_PREPARED + 1):
            target = plan.cell(row=row, column=index)
            target.alignment = Alignment(vertical="top", wrap_text=True)
            if field in ("due_date", "update_date"):
                target.number_format = "dd/mm/yyyy"
    plan.freeze_panes = "A2"
    notes = workbook.create_sheet("Notes")
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 100
    notes.append([_INTRO[0]])
    notes["A1"].font = Font(bold=True, size=13)
    for line in _INTRO[1:]:
        notes.append(["", line])
    notes.append([])
    notes.append(["Column", "What goes in it"])
    header_row = notes.max_row
    for cell in notes[header_row]:
        cell.font = Font(bold=True)
    for header, _, note, _ in TEMPLATE_COLUMNS:
        notes.append([header, note])
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
