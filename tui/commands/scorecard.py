"""The scorecard side of `visitprep import` and `visitprep template --measures`."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path
from typing import Any

from rich.text import Text

from store import Store
from store.database import plain_sqlite_path, resolve_url
from store.dates import today_from_env
from store.errors import ImportFailed, ValidationError
from store.files import write_output
from store.importers.scorecard import (
    FIELD_HEADERS,
    ScorecardResult,
    import_scorecard,
    write_template,
)
from store.wording import Option, plural
from tui.commands._importing_output import print_newer_edits
from tui.commands._words import FLAGS, in_cli_words
from tui.terminal import cell as safe
from tui.terminal import neutral

EXIT_OK = 0
EXIT_REFUSED = 1
_NOTES = (
    ("Ref", "A short code for the measure (A1, F3). Re-importing matches measures by it."),
    ("Measure", "What is measured, as the board's scorecard words it. Required."),
    ("Theme", "The improvement theme it belongs to (Front door and MASH, Assessment...)."),
    ("Unit", "%, number, days or rate per 10,000. A % is 0 to 100."),
    ("Higher or lower is better", "higher or lower: which way is good (re-referrals: lower)."),
    ("Target", "The target value. Met = Green."),
    ("Amber tolerance", "How far short of the target is still Amber, in the unit (5 = 5 points)."),
    ("England", "The England figure, for comparison."),
    ("Statistical neighbours", "The statistical neighbours' average, for comparison."),
    ("Comparator year", "The year of the England and neighbours figures (2017-18)."),
    ("Owner", "Who reports the measure."),
    ("Frequency", "monthly or quarterly. Quarterly columns are written Q1 2018/19."),
    ("Definition", "How the measure is counted."),
    ("Actions", "Refs of the plan's actions it shows the impact of (1.6, 2.3), comma-separated. "
                "Importing again adds and removes links as the cell does; links made by hand "
                "stay."),
    ("Findings", "Refs of the Ofsted findings it shows the impact of (R3), the same way."),
    ("Apr-18 ...", "One column per month (Apr-18, April 2018, 2018-04) or quarter "
                   "(Q1 2018/19, Q3 18-19). Blank = no value; n/a is fine."),
)  # fmt: skip


def write_scorecard_template(args: argparse.Namespace) -> int:
    """`visitprep template --measures FILE`: an empty scorecard, never over an existing file."""
    path = Path(args.path).expanduser()
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ValidationError(
            "path", f"{path.name}: a scorecard template is written as .xlsx or .csv; choose one."
        )
    from datetime import date

    rows = write_template(today_from_env() or date.today())
    data = _xlsx(rows) if suffix == ".xlsx" else _csv(rows)
    store_file = plain_sqlite_path(resolve_url(args.db))
    path = write_output(path, data, store_path=store_file, overwrite=False)
    sys.stdout.write(
        neutral(
            f"Wrote an empty scorecard to {path}: one row per measure, one column per month.\n"
            f"Fill it in, then: visitprep import {path} --dry-run\n",
            keep_lines=True,
        )
    )
    return EXIT_OK


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Scorecard"
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.number_format = "@"  # "Apr-18" stays text, not a date Excel re-words
    headers = list(FIELD_HEADERS.values())
    widths = {"Measure": 48, "Definition": 40, "Higher or lower is better": 14, "Owner": 24}
    for index, header in enumerate(rows[0], start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = widths.get(header, 12 if header in headers else 8)
    for header, choices in (("Unit", '"%,number,days,rate per 10,000"'),
                            ("Higher or lower is better", '"higher,lower"'),
                            ("Frequency", '"monthly,quarterly"')):  # fmt: skip
        letter = sheet.cell(row=1, column=headers.index(header) + 1).column_letter
        rule = DataValidation(type="list", formula1=choices, allow_blank=True)
        rule.add(f"{letter}2:{letter}300")
        sheet.add_data_validation(rule)
    sheet.freeze_panes = sheet.cell(row=2, column=3)
    notes = workbook.create_sheet("Notes")
    notes.column_dimensions["A"].width = 26
    notes.column_dimensions["B"].width = 100
    for header, note in _NOTES:
        notes.append([header, note])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_scorecard_file(
    store: Store, path: Path, args: argparse.Namespace, output: list[Any], console: Any
) -> int:
    """Import one scorecard (or check it, with --dry-run) and say what happened."""
    try:
        result = import_scorecard(
            store, path, dry_run=args.dry_run, scorecard_wins=getattr(args, "scorecard_wins", False)
        )
    except ImportFailed as error:
        said = in_cli_words(error)
        if args.json:
            output.append({"file": str(path), "kind": "scorecard", "status": "refused",
                           "message": said})  # fmt: skip
            return EXIT_REFUSED
        # A refusal over newer edits says one line per edit: each its own line, indented.
        first, *more = said.split("\n")
        sys.stderr.write(f"visitprep: {safe(first)}\n")
        for line in more:
            sys.stderr.write(f"  {safe(line)}\n")
        return EXIT_REFUSED
    if args.json:
        output.append(scorecard_json(result))
    else:
        _print(console, result)
    if result.problems:
        count = len(result.problems)
        sys.stderr.write(
            f"visitprep: {path.name}: {plural(count, 'cell')} cannot be read; "
            f"{'the import would be refused' if result.dry_run else 'nothing was imported'}.\n"
        )
        return EXIT_REFUSED
    if result.conflicts and not result.scorecard_wins:  # a dry run: the import would be
        edits = plural(len(result.conflicts), "newer edit")
        sys.stderr.write(
            f"visitprep: {safe(path.name)}: it would overwrite {edits}; the import would be "
            "refused (--scorecard-wins).\n"
        )
        return EXIT_REFUSED
    return EXIT_OK


def scorecard_json(result: ScorecardResult) -> dict[str, Any]:
    refused = result.problems or (result.conflicts and not result.scorecard_wins)
    status = "refused" if refused else ("checked" if result.dry_run else "imported")
    return {
        "file": str(result.path),
        "kind": "scorecard",
        "status": status,
        "dry_run": result.dry_run,
        "measures": result.measures,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "values_added": result.values_added,
        "values_changed": result.values_changed,
        "values_unchanged": result.values_unchanged,
        "links_added": result.links_added,
        "links_removed": result.links_removed,
        "links_left": [{"row": c.row, "reason": c.reason} for c in result.links_left],
        "problems": [{"cell": p.cell, "message": p.message} for p in result.problems],
        "newer_edits": [{"row": c.row, "reason": c.reason} for c in result.conflicts],
    }


def _print(console: Any, result: ScorecardResult) -> None:
    name = result.path.name
    if result.problems:
        console.print(Text(f"{name}: cells that cannot be read:", style="bold"))
        for problem in result.problems:
            console.print(Text(f"  {problem.cell}: {problem.message}"))
        return
    verb = "would import" if result.dry_run else "imported"
    console.print(
        Text(
            f"{name}: {verb} {plural(result.measures, 'measure')} "
            f"({len(result.created)} new, {len(result.updated)} changed, "
            f"{len(result.unchanged)} unchanged); values: {result.values_added} new, "
            f"{result.values_changed} changed, {result.values_unchanged} the same"
            f"{result.links_counted()}."
        )
    )
    for left in result.links_left:  # links the sheet would change, left as they are
        console.print(Text(f"  row {left.row}: {safe(left.reason)}", style="dim"))
    print_newer_edits(
        console,
        result.conflicts,
        sheet="scorecard",
        flag=FLAGS[Option.SCORECARD_WINS],
        wins=result.scorecard_wins,
    )
    if result.dry_run:
        console.print(Text("Nothing was changed (--dry-run)."), style="dim")
