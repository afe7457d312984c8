"""Messy improvement-plan workbooks, shaped like the ones councils keep, for the import tests.

Run ``python tests/data/plans/make_plans.py OUTDIR`` to look at them in a spreadsheet
program; the tests call the functions directly and write into a temporary folder, so no
binary file has to be kept in git. Deterministic: same code, same cells.

What makes them messy (each seen in real committee papers):
* title rows and a key above the header, which is not on row 1;
* theme heading rows merged across the sheet ("Theme 1: Front door / MASH");
* headers in the council's words: "Action No.", "What we will do", "Lead officer",
  "By when", "RAG", "Progress update (Jan 2018)", "Evidence of impact";
* multi-line cells (owner and name, dated progress notes), a very long action text;
* UK dates typed every way: a real date cell, "end of March 2018", "Jan 2018", "Mar-18",
  "Q4 2017/18", "31/01/2018", "Ongoing";
* BRAG as letters, words, "Amber/Green", "Not started", and one given only as a red fill;
* a finding column mixing "R1", "R1, R2", "Rec 3" and a quoted recommendation;
* a row that continues the notes of the action above, blank rows, a trailing footnote.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

HEADER = [
    "Action No.",
    "Ofsted recommendation",
    "What we will do",
    "Lead officer",
    "By when",
    "RAG",
    "Progress update (Jan 2018)",
    "Evidence of impact",
    "How will we know?",
    "Comments (old)",
]

LONG_ACTION = (
    "Ensure that every child subject to a child protection plan has a plan that is "
    "specific, measurable and understood by the family; that core groups meet within "
    "ten working days of the conference and then at least every six weeks; and that "
    "managers record their oversight of progress against the plan at each review, "
    "with escalation to the Head of Service where progress has drifted for more than "
    "two review cycles."
)


def _rows() -> list[list[object]]:
    """The Barnsley Vale plan, row by row from row 1 (``None`` = empty cell)."""
    return [
        ["Barnsley Vale Council – Children's Services Improvement Plan 2017-18"],
        ["Version 7, as at 12/01/2018. Owner: Director of Children's Services"],
        [],
        ["Key: B = complete, G = on track, A = at risk, R = off track"],
        HEADER,
        ["Theme 1: Front door / MASH"],
        [
            1.1,
            "R1",
            "Review MASH thresholds with partners\nand relaunch the threshold document",
            "Head of MASH\nJane Okafor",
            datetime(2018, 1, 31),
            "G",
            "Dec 17: partner workshop held\n12/01/18 - draft threshold agreed by the LSCB",
            "Threshold document v2\nLSCB minutes Jan 2018",
            "Contacts converting to referral rise above 40%",
            "was 1.1a",
        ],
        [
            1.2,
            "R1, R2",
            "Daily management oversight of all contacts in the MASH",
            "Service Manager, MASH",
            "end of March 2018",
            "Amber",
            "Dip sample: 60% of contacts have a recorded decision within 24 hours.",
            "MASH dip sample Dec 2017",
            "95% of contacts decided within 24 hours",
            None,
        ],
        [],
        ["Theme 2: Children in need and child protection"],
        [
            2.1,
            "Rec 3",
            LONG_ACTION,
            "Head of Safeguarding",
            "Jan 2018",
            "Blue",
            "Complete: every CP plan reviewed by a team manager.",
            "CP plan audit",
            None,
            None,
        ],
        [
            2.2,
            "R4: Strategy meetings include all relevant agencies",
            "Strategy meetings always include the police and health",
            "CP chair",
            "31/01/2018",
            None,  # BRAG given only as the cell's red fill
            "Police attend 70% of strategy meetings",
            None,
            None,
            None,
        ],
        [None, None, None, None, None, None, "15/01/18 - two more chairs recruited", None],
        [
            2.3,
            None,
            "Improve the quality of child in need plans",
            "Head of Service, CIN",
            "Q4 2017/18",
            "Amber/Green",
            None,
            None,
            None,
            None,
        ],
        [],
        ["Priority 3 - Workforce"],
        [
            3.1,
            None,
            "Reduce social work caseloads to below 20",
            "Principal Social Worker",
            "Mar-18",
            "On track",
            None,
            "Caseload tracker",
            None,
            None,
        ],
        [
            3.2,
            None,
            "Recruit permanent team managers",
            "HR Business Partner",
            "Ongoing",
            "Not started",
            None,
            None,
            None,
            None,
        ],
        [],
        [],
        ["Next review: Improvement Board, February 2018"],
        [],
    ]


# Row numbers the tests talk about (as Excel shows them).
HEADER_ROW = 5
ROW_OF = {"1.1": 7, "1.2": 8, "2.1": 11, "2.2": 12, "2.3": 14, "3.1": 17, "3.2": 18}


def barnsley_vale(path: Path, *, bad: bool = False) -> Path:
    """The messy plan. ``bad`` adds what cannot be read: words that are no date for a due date (row 8)
    and "TBC" as a BRAG (row 17)."""
    rows = _rows()
    if bad:
        rows[ROW_OF["1.2"] - 1][4] = "After the restructure"
        rows[ROW_OF["3.1"] - 1][5] = "TBC"
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Improvement plan"
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("A1:J1")
    sheet.merge_cells("A2:J2")
    sheet["A1"].font = Font(bold=True, size=14)
    for number in (6, 10, 16):
        sheet.merge_cells(f"A{number}:J{number}")
        sheet[f"A{number}"].font = Font(bold=True)
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
    sheet[f"F{ROW_OF['2.2']}"].fill = PatternFill("solid", fgColor="FFFF0000")
    # A second, hidden sheet of old lookups must not be read.
    hidden = workbook.create_sheet("Lookups")
    hidden.append(["Action", "Owner", "Due"])
    hidden.append(["Not an action", "nobody", "never"])
    hidden.sheet_state = "hidden"
    workbook.save(path)
    return path


def merged_finding_plan(path: Path) -> Path:
    """A plan whose Theme and Finding cells are merged down over the actions they cover."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Theme", "Finding", "Ref", "Action", "Owner", "Deadline", "BRAG"])
    sheet.append(["Care leavers", "R5", "CL1", "Pathway plans co-produced", "PA manager",
                  "30/04/2018", "A"])  # fmt: skip
    sheet.append([None, None, "CL2", "Staying put policy refreshed", "Head of CiC",
                  "end of May 2018", "G"])  # fmt: skip
    sheet.append([None, None, "CL3", "Care leaver offer published", "Head of CiC",
                  "Jun 2018", "R"])  # fmt: skip
    sheet.merge_cells("A2:A4")
    sheet.merge_cells("B2:B4")
    workbook.save(path)
    return path


def merged_action_plan(path: Path) -> Path:
    """One action whose Ref, Action and Owner cells are merged over three rows of notes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Ref", "Action", "Owner", "RAG", "Progress"])
    sheet.append(["4.1", "Return home interviews offered within 72 hours", "Missing lead", "A",
                  "Nov 17: 52% offered in time"])  # fmt: skip
    sheet.append([None, None, None, None, "Dec 17: commissioned service started"])
    sheet.append([None, None, None, None, "Jan 18: 68% offered in time"])
    sheet.append(["4.2", "Daily missing meeting chaired by a manager", "Missing lead", "G", None])
    for column in "ABCD":
        sheet.merge_cells(f"{column}2:{column}4")
    workbook.save(path)
    return path


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    print(barnsley_vale(out / "barnsley_vale_plan.xlsx"))
    print(barnsley_vale(out / "barnsley_vale_plan_bad.xlsx", bad=True))
    print(merged_finding_plan(out / "care_leavers_plan.xlsx"))
    print(merged_action_plan(out / "missing_plan.xlsx"))
