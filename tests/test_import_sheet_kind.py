"""Plan or scorecard? `visitprep import` (and the app) tell by the sheet itself, and the lead
can say which.

Priya, the improvement lead, keeps the plan with a RAG rating a month: a "RAG rating"
heading merged over one column per month, with Ref, Action and Lead merged down beside
them. The months made the plan look like a scorecard ("the measure has no name"): a header
the plan importer reads as a plan (an action column and two more fields) is a plan, unless
the sheet has the scorecard's shape (a measure column, periods most of its columns, numbers
under them). Every scorecard is still found as one. A sheet that could be either is refused,
naming --plan and --measures, which say which it is.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import _cli
import pytest
from openpyxl import Workbook

from store import list_actions, list_measures
from store.errors import ImportFailed
from store.importers.scorecard_rows import looks_like_scorecard, spreadsheet_kind
from tui.commands._words import in_cli_words

BIN = Path(sys.executable).parent / "visitprep"
NORTHBRIDGE = Path(__file__).parent.parent / "store" / "data" / "northbridge_scorecard.csv"
MONTHS = ["Dec 25", "Jan 26", "Feb 26", "Mar 26"]


def rag_over_months(path: Path, months: list[object] = MONTHS) -> Path:
    """The plan: 'RAG rating' merged over a column a month, Ref/Action/Lead merged down."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Bradford children's services improvement plan"])
    sheet.append(["Ref", "Action", "Lead", "RAG rating", "", "", "", "Recommendation"])
    sheet.append(["", "", "", *months, ""])
    sheet.append(["1", "Recruit 20 permanent social workers", "HR", "R", "A", "A", "G", "R2"])
    sheet.append(["2", "Audit 40 assessments a month", "PSW", "A", "A", "G", "B", "R3"])
    for column in "ABCH":
        sheet.merge_cells(f"{column}2:{column}3")
    sheet.merge_cells("D2:G2")
    book.save(path)
    return path


def progress_over_months(path: Path) -> Path:
    """A board plan: 'Progress update' merged over Dec 25 | Mar 26 notes, the rest merged
    down, a bold priority heading across the table."""
    book = Workbook()
    sheet = book.create_sheet("Improvement Plan")
    header = ["Ofsted recommendation", "Ref", "Action", "Lead officer", "Target date",
              "Progress update", None, "RAG", "Evidence"]  # fmt: skip
    for index, value in enumerate(header, 1):
        sheet.cell(3, index, value)
    sheet.cell(4, 6, "Dec 25")
    sheet.cell(4, 7, "Mar 26")
    for column in "ABCDEHI":
        sheet.merge_cells(f"{column}3:{column}4")
    sheet.merge_cells("F3:G3")
    sheet.append(["Priority 1: Workforce stability"])
    sheet.merge_cells("A5:I5")
    sheet.append(["Recommendation 2", "1.1", "Recruit 20 permanent social workers", "Head of HR",
                  datetime(2026, 3, 31), "8 recruited", "17 recruited", "G", "Tracker"])  # fmt: skip
    sheet.append(["", "1.2", "Caseload cap of 18", "Service Manager", "Q2 26/27", "Cap agreed",
                  "Average caseload 19", "A", ""])  # fmt: skip
    book.save(path)
    return path


def _csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# The scorecards the importer's tests and the demo read: still scorecards, every one.
SCORECARDS = {
    "synonyms": "Northbridge scorecard (board),,,,,,,,,\n"
    "Ref,Indicator,Service area,Good is,Target,Lead officer,Apr-18,May 2018,2018-06,Jul-18\n"
    "A1,Assessments within 45 working days,Assessment,Higher,90%,Head,55%,57%,,74\n",
    "quarters": "Ref,Measure,Unit,Target,Q1 2018/19,Q2 2018/19,Q3 18-19\nA1,Visits,%,90,80,85,\n",
    # Actions and Findings columns: the plan actions and findings a measure is linked to.
    "links": "Ref,Indicator,Good is,Target,Actions,Findings,Apr-18,May-18\n"
    "A1,Assessments in time,Higher,90,1.2; 3.1,R1,55,57\nF3,Re-referrals,lower,22,2.1,R3,29,\n",
    "one action ref": "Ref,Measure,Actions,Apr-18\nA1,Assessments,9.9,50\n",
    "one month": "Ref,Measure,Target,Apr-18\nA1,Assessments,92,80\n",
    "empty": "Ref,Measure,Theme,Apr-18,May-18,Jun-18\n",
}


@pytest.mark.parametrize("name", sorted(SCORECARDS))
def test_every_scorecard_is_still_found_as_a_scorecard(name: str, tmp_path: Path) -> None:
    path = _csv(tmp_path / "board.csv", SCORECARDS[name])
    assert spreadsheet_kind(path) == "scorecard"
    assert looks_like_scorecard(path)


def test_the_demo_scorecard_and_an_xlsx_with_date_headers_are_scorecards(tmp_path: Path) -> None:
    # Northbridge's has Actions, Findings, Measure and Target columns, as a plan may.
    assert spreadsheet_kind(NORTHBRIDGE) == "scorecard"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Ref", "Measure", "Polarity", "Target", "Owner", "Actions",
                  datetime(2018, 4, 1), datetime(2018, 5, 1), datetime(2018, 6, 1)])  # fmt: skip
    sheet.append(["A1", "Assessments in time", "higher", 90, "Head", "1.1", 55, 57, 61])
    book.save(tmp_path / "card.xlsx")
    assert spreadsheet_kind(tmp_path / "card.xlsx") == "scorecard"


def test_the_scorecard_template_filled_in_is_a_scorecard(tmp_path: Path) -> None:
    # Actions, Findings, Measure and Target columns, as a plan may have, and periods fewer
    # than the other columns: every column is a scorecard's, and it has a measure column.
    template = tmp_path / "scorecard.csv"
    env = {**os.environ, "VISITPREP_TODAY": "2018-01-20"}
    made = _cli.run(
        [str(BIN), "--db", str(tmp_path / "visitprep.db"), "template", "--measures", str(template)],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=120,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    header = template.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert {"Measure", "Actions", "Target"} <= set(header)
    with template.open("a", encoding="utf-8") as handle:
        handle.write("F3,Re-referrals within 12 months" + "," * (len(header) - 3) + "20,19\n")
    assert spreadsheet_kind(template) == "scorecard"


def test_a_plan_with_a_rag_rating_a_month_under_a_merged_heading_is_a_plan(
    tmp_path: Path,
) -> None:
    for months in (MONTHS, [datetime(2025, 12, 1), datetime(2026, 1, 1),
                            datetime(2026, 2, 1), datetime(2026, 3, 1)]):  # fmt: skip
        path = rag_over_months(tmp_path / "plan.xlsx", months)
        assert spreadsheet_kind(path) == "plan"
        assert not looks_like_scorecard(path)
    assert spreadsheet_kind(progress_over_months(tmp_path / "board plan.xlsx")) == "plan"
    # A measure column and mostly months, as a scorecard has, but RAG ratings under them.
    ratings = _csv(
        tmp_path / "ratings.csv",
        "Ref,Action,Measure,Lead,Apr-18,May-18,Jun-18,Jul-18,Aug-18\n"
        "1,Recruit social workers,Vacancy rate,HR,R,A,A,G,G\n",
    )
    assert spreadsheet_kind(ratings) == "plan"


def _visitprep(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VISITPREP_TODAY": "2026-03-20", "COLUMNS": "200"}
    return _cli.run(
        [str(BIN), "--db", str(tmp_path / "visitprep.db"), "import", *args],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=120,
    )  # fmt: skip


def _stored(tmp_path: Path) -> tuple[list[str], list[str]]:
    from store import open_store

    store = open_store(f"sqlite:///{tmp_path / 'visitprep.db'}")
    try:
        actions = sorted(a.ref for a in list_actions(store))
        return actions, [m.ref for m in list_measures(store)]
    finally:
        store.close()


def test_the_command_line_imports_the_merged_months_plan_as_a_plan(tmp_path: Path) -> None:
    done = _visitprep(tmp_path, str(rag_over_months(tmp_path / "plan.xlsx")))
    assert done.returncode == 0, done.stderr
    assert "measure has no name" not in done.stdout + done.stderr
    board = _visitprep(tmp_path, str(progress_over_months(tmp_path / "board plan.xlsx")))
    assert board.returncode == 0, board.stderr
    assert _stored(tmp_path) == (["1", "1.1", "1.2", "2"], [])


# Periods across with numbers under them, an Action column of text and no measure column:
# a plan's "% complete" a month, or a scorecard? The sheet cannot say.
EITHER = (
    "Ref,Action,Owner,Due,Apr-18,May-18\n"
    "1,Recruit social workers,HR,Mar 2019,20,40\n"
    "2,Audit cases,PSW,Apr 2019,5,10\n"
)


def test_a_sheet_that_could_be_either_is_refused_naming_both_flags(tmp_path: Path) -> None:
    path = _csv(tmp_path / "tracker.csv", EITHER)
    with pytest.raises(ImportFailed) as refused:
        spreadsheet_kind(path)
    said = in_cli_words(refused.value)
    assert said.startswith("tracker.csv could be an improvement plan or a performance scorecard")
    assert "an action column, 'Action'" in said and "('Apr-18', 'May-18')" in said
    assert "a plan with --plan, or a scorecard with --measures; nothing was imported." in said
    assert not looks_like_scorecard(path)

    done = _visitprep(tmp_path, str(path))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [f"visitprep: {said}"]
    told = json.loads(_visitprep(tmp_path, "--json", str(path)).stdout)
    assert (told["status"], told["message"]) == ("refused", said)
    assert not (tmp_path / "visitprep.db").exists(), "refused before the store is made"

    done = _visitprep(tmp_path, "--plan", str(path))
    assert done.returncode == 0, done.stderr
    assert _stored(tmp_path) == (["1", "2"], [])


def test_plan_makes_a_sheet_found_a_scorecard_a_plan_and_not_with_measures(
    tmp_path: Path,
) -> None:
    # A measure column and mostly months with numbers: the scorecard's shape...
    path = _csv(
        tmp_path / "tracker.csv",
        "Ref,Measure,Action,Owner,Apr-18,May-18,Jun-18,Jul-18,Aug-18\n"
        "1,Timely assessments,Weekly performance clinic,Head of assessment,50,55,61,70,72\n",
    )
    assert spreadsheet_kind(path) == "scorecard"
    # ... but Priya says it is her plan.
    done = _visitprep(tmp_path, "--plan", str(path))
    assert done.returncode == 0, done.stderr
    assert _stored(tmp_path) == (["1"], [])

    both = _visitprep(tmp_path, "--plan", "--measures", str(path))
    assert both.returncode == 2
    assert "not allowed with argument" in both.stderr
