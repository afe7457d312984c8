"""A plan file that is far too big, or a due date Excel never calculated, gets one clear line.

Workbooks are streamed (openpyxl's read-only mode), so a sheet of a million rows is refused
after its first rows, not read into memory (README, "Limits").
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from store.errors import ImportFailed
from store.importers import spreadsheet
from store.importers.plan import read_plan

BIN = Path(sys.executable).parent / "visitprep"


def workbook(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Plan"
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_a_due_date_formula_with_no_saved_value_is_a_problem_naming_its_cell(
    tmp_path: Path,
) -> None:
    # openpyxl, like many programs that write workbooks, saves a formula with no value:
    # read as blank it would quietly lose the deadline.
    path = workbook(
        tmp_path / "plan.xlsx",
        [
            ["Ref", "Action", "Owner", "Due", "RAG"],
            ["1", "Audit thresholds", "Jo", "31/03/2018", "G"],
            ["2", "Relaunch the threshold document", "Jo", "=DATE(2018,4,30)", "G"],
        ],
    )
    problems = read_plan(path).problems
    assert [(p.row, p.reason) for p in problems] == [
        (
            3,
            "Due in row 3 is a formula with no saved value: open and save the file in Excel, "
            "or type the date",
        )
    ]


def test_a_sheet_with_more_rows_than_any_plan_is_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 50)  # the same rule, at a size quick to build
    rows: list[list[object]] = [["Ref", "Action", "Due"]]
    rows += [[str(n), f"Action {n}", "31/03/2018"] for n in range(1, 60)]
    path = workbook(tmp_path / "huge.xlsx", rows)
    with pytest.raises(ImportFailed) as refused:
        read_plan(path)
    assert refused.value.message == (
        "huge.xlsx: sheet 'Plan' has more than 50 filled rows; a plan has a few hundred rows, "
        "so it is not read (is this the plan? remove the rows that are not actions, or split it)."
    )
    csv = tmp_path / "huge.csv"
    csv.write_text("\n".join(",".join(map(str, r)) for r in rows), encoding="utf-8")
    with pytest.raises(ImportFailed, match="sheet 'huge' has more than 50 filled rows"):
        read_plan(csv)


def test_a_sheet_claiming_a_million_rows_is_refused_before_they_are_read(tmp_path: Path) -> None:
    """A small file whose sheet holds 1,000,001 rows (it compresses to almost nothing)."""
    path = workbook(tmp_path / "small.xlsx", [["Ref", "Action"], ["1", "Audit"]])
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                head, _, tail = data.decode().partition("<sheetData>")
                body = '<row><c t="n"><v>1</v></c></row>' * 1_000_001
                data = (head + "<sheetData>" + body + tail.partition("</sheetData>")[2]).encode()
            out.writestr(item, data)
    assert bomb.stat().st_size < 300 * 1024
    with pytest.raises(ImportFailed, match=r"bomb\.xlsx: sheet 'Plan' has more than 50,000 rows"):
        read_plan(bomb)


def test_a_file_bigger_than_any_plan_is_refused_by_the_cli_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    with path.open("wb") as handle:
        handle.truncate(spreadsheet.MAX_SPREADSHEET_BYTES + 1024 * 1024)  # sparse: no disk used
    env = {**os.environ, "VISITPREP_TODAY": "2018-01-20"}
    done = subprocess.run(
        [str(BIN), "--db", str(tmp_path / "v.db"), "import", "--dry-run", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "visitprep: export.csv is 51 MB; a plan is never over 50 MB, so it is not read "
        "(is this the plan?)."
    ]
