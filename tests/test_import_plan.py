"""A QA lead brings the council's improvement-plan spreadsheet into visitprep.

The plans are messy on purpose (see tests/data/plans/make_plans.py): title rows above the
header, theme heading rows, the council's own column names, multi-line cells, UK dates
written every way, BRAG as letters, words and cell colours.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import _cli
import pytest
from openpyxl import load_workbook

from store import (
    Store,
    count_actions,
    count_evidence,
    create_finding,
    create_source,
    find_gaps,
    get_action_by_ref,
    list_action_updates,
    list_actions,
    list_evidence,
    list_findings,
    list_themes,
    open_store,
)
from store.errors import ImportFailed, ValidationError
from store.importers.plan import Problem, import_plan, read_plan
from tui.commands._words import in_cli_words

PLANS = Path(__file__).parent / "data" / "plans"
BIN = Path(sys.executable).parent / "visitprep"
_spec = importlib.util.spec_from_file_location("make_plans", PLANS / "make_plans.py")
assert _spec and _spec.loader
make_plans = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_plans)
ROW_OF = make_plans.ROW_OF


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    return make_plans.barnsley_vale(tmp_path / "Improvement plan v7.xlsx")


@pytest.fixture
def bad_plan(tmp_path: Path) -> Path:
    return make_plans.barnsley_vale(tmp_path / "Improvement plan v8.xlsx", bad=True)


def add_inspection(
    store: Store, council: str = "Barnsley Vale", start: date = date(2017, 9, 4)
) -> dict[str, int]:
    """The inspection the plan answers: findings R1 to R5."""
    source = create_source(
        store, kind="inspection", title=f"{council} SIF {start.year}", framework="SIF",
        start_date=start, local_authority=council,
    )  # fmt: skip
    texts = {
        "R1": "Thresholds in the MASH are not understood by partners",
        "R2": "Management oversight of contacts is weak",
        "R3": "Child protection plans are not specific",
        "R4": "Strategy meetings do not include all agencies",
        "R5": "Pathway plans are not co-produced with care leavers",
    }
    return {
        ref: create_finding(
            store, title=text, ref=ref, source_id=source.id, kind="recommendation"
        ).id
        for ref, text in texts.items()
    }


def snapshot(store: Store) -> tuple[object, ...]:
    """Everything an import could touch, to prove that a refused one touched nothing."""
    actions = list_actions(store)
    return (
        actions,
        [list_action_updates(store, a.id) for a in actions],
        list_evidence(store),
        list_themes(store),
        list_findings(store),
    )


# ----------------------------------------------------------------------------- reading


def test_the_messy_plan_reads_as_the_lead_wrote_it(plan: Path) -> None:
    preview = read_plan(plan)
    assert preview.sheet == "Improvement plan"  # the hidden Lookups sheet is never read
    assert preview.header_row == make_plans.HEADER_ROW  # title rows above it skipped
    assert preview.columns == {
        "ref": "Action No.",
        "findings": "Ofsted recommendation",
        "title": "What we will do",
        "owner": "Lead officer",
        "due_date": "By when",
        "brag": "RAG",
        "progress": "Progress update (Jan 2018)",
        "evidence": "Evidence of impact",
        "success_measure": "How will we know?",
    }
    assert preview.ignored_columns == ["Comments (old)"]
    assert preview.problems == []
    rows = {a.ref: a for a in preview.actions}
    assert list(rows) == ["1.1", "1.2", "2.1", "2.2", "2.3", "3.1", "3.2"]
    assert {a.ref: a.row for a in preview.actions} == ROW_OF

    first = rows["1.1"]
    # A short action wrapped over two lines by hand is one title.
    assert first.title == "Review MASH thresholds with partners and relaunch the threshold document"
    assert first.owner == "Head of MASH, Jane Okafor"
    assert first.theme == "Front door / MASH"  # from the heading row above it
    assert first.due_date == date(2018, 1, 31)  # a real date cell
    assert first.brag == "green"  # "G"
    assert first.progress_date == date(2018, 1, 12)  # the latest dated line of the note
    assert first.evidence == ("Threshold document v2", "LSCB minutes Jan 2018")
    assert first.finding_refs == ("R1",)

    assert rows["1.2"].due_date == date(2018, 3, 31)  # "end of March 2018"
    assert rows["1.2"].finding_refs == ("R1", "R2")
    long = rows["2.1"]
    assert long.title == (
        "Ensure that every child subject to a child protection plan has a plan that is "
        "specific, measurable and understood by the family"
    )
    assert long.description == make_plans.LONG_ACTION  # nothing of the long text is lost
    assert long.due_date == date(2018, 1, 31)  # "Jan 2018": the end of that month
    assert long.finding_refs == ("R3",)  # "Rec 3"
    strategy = rows["2.2"]
    assert strategy.brag == "red"  # only the cell's red fill says so
    assert strategy.finding_refs == ("R4",)  # the recommendation quoted after its ref
    # The next row only carries on the notes: it is part of this action, not a new one.
    assert strategy.progress.endswith("15/01/18 - two more chairs recruited")
    assert strategy.progress_date == date(2018, 1, 15)
    assert rows["2.3"].due_date == date(2018, 3, 31)  # "Q4 2017/18"
    assert rows["2.3"].brag == "amber"  # "Amber/Green": the more cautious
    assert rows["3.1"].theme == "Workforce"  # "Priority 3 - Workforce"
    assert rows["3.1"].due_date == date(2018, 3, 31)  # "Mar-18"
    assert rows["3.2"].due_date is None  # "Ongoing"
    assert rows["3.2"].brag == "green"  # "Not started": not yet off track


def write_csv(path: Path, header: str, *rows: str) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("cell", "brag"),
    [
        ("B", "blue"), ("Complete", "blue"), ("completed", "blue"), ("GREEN", "green"),
        ("On track", "green"), ("Not started", "green"), ("a", "amber"), ("At risk", "amber"),
        ("R", "red"), ("Off track", "red"), ("Red/Amber", "red"), ("A/G", "amber"),
        ("Green - on track", "green"), ("G (on track)", "green"), ("", None),
    ],
)  # fmt: skip
def test_brag_as_councils_write_it(tmp_path: Path, cell: str, brag: str | None) -> None:
    path = write_csv(tmp_path / "p.csv", "Action,RAG", f"Audit CP plans,{cell}")
    assert read_plan(path).actions[0].brag == brag


@pytest.mark.parametrize(
    ("cell", "due"),
    [
        ("31/01/2018", date(2018, 1, 31)), ("31/1/18", date(2018, 1, 31)),
        ("Jan 2018", date(2018, 1, 31)), ("end of March 2018", date(2018, 3, 31)),
        ("End March 18", date(2018, 3, 31)), ("Sept 2018", date(2018, 9, 30)),
        ("2018-02-28", date(2018, 2, 28)), ("Q1 2018/19", date(2018, 6, 30)),
        ("31/12/2017 revised to 31/03/2018", date(2018, 3, 31)), ("Ongoing", None),
        ("TBC", None),
    ],
)  # fmt: skip
def test_due_dates_written_the_uk_way(tmp_path: Path, cell: str, due: date | None) -> None:
    path = write_csv(tmp_path / "p.csv", "Action,Deadline", f'Audit CP plans,"{cell}"')
    preview = read_plan(path)
    assert preview.problems == []
    assert preview.actions[0].due_date == due


def test_an_action_with_only_a_ref_and_a_title_is_not_taken_for_a_heading(
    tmp_path: Path,
) -> None:
    path = write_csv(
        tmp_path / "p.csv",
        "Ref,Action,Owner",
        "Theme 1,Front door and MASH,",  # a heading: its number has a word
        "1,Relaunch thresholds,Head of MASH",
        "2,Audit CP plans,",  # drafted, owner not yet agreed: still an action
        "Care leavers,,",  # a theme's own name alone: a heading
        "3,Refresh the local offer,",
    )
    preview = read_plan(path)
    assert [(a.ref, a.theme) for a in preview.actions] == [
        ("1", "Front door and MASH"),
        ("2", "Front door and MASH"),
        ("3", "Care leavers"),
    ]


def test_a_second_header_row_under_merged_headers_is_not_an_action(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "p.csv",
        "Ref,Action,Responsibility,,Timescale",
        ",,Lead,Support,",
        "1,Relaunch thresholds,Head of MASH,Police,31/01/2018",
    )
    preview = read_plan(path)
    assert preview.problems == []
    assert [(a.ref, a.owner, a.due_date) for a in preview.actions] == [
        ("1", "Head of MASH", date(2018, 1, 31))
    ]


def test_a_tracker_with_a_column_a_month_is_read_at_the_latest_month(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "p.csv",
        "Ref,Action,RAG Nov 17,RAG Dec 17,Progress Nov 17,Progress Dec 17",
        "1,Relaunch thresholds,R,A,Not started,Workshop held",
    )
    preview = read_plan(path)
    assert (preview.columns["brag"], preview.columns["progress"]) == (
        "RAG Dec 17",
        "Progress Dec 17",
    )
    assert preview.ignored_columns == ["RAG Nov 17", "Progress Nov 17"]
    [action] = preview.actions
    assert (action.brag, action.progress) == ("amber", "Workshop held")


def test_bold_text_alone_in_the_action_column_is_a_heading(tmp_path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Action", "Owner", "Due"])
    sheet.append(["Leadership and management"])
    sheet["A2"].font = Font(bold=True)
    sheet.append(["Weekly performance clinic", "DCS", "31/01/2018"])
    sheet.append(["Publish the practice standards"])  # not bold: an action, nothing else yet
    path = tmp_path / "plan.xlsx"
    workbook.save(path)
    preview = read_plan(path)
    assert [(a.title, a.theme) for a in preview.actions] == [
        ("Weekly performance clinic", "Leadership and management"),
        ("Publish the practice standards", "Leadership and management"),
    ]


def test_unreadable_cells_are_problems_with_their_row_numbers(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "p.csv",
        "Ref,Action,Due,BRAG",
        "1,Relaunch thresholds,When the new manager starts,G",
        "2,Audit CP plans,31/02/2018,Purple",
        "3,,31/01/2018,G",
        "1,Same ref again,31/01/2018,G",
        "4,Fine row,31/01/2018,A",
    )
    problems = read_plan(path).problems
    assert [p.row for p in problems] == [2, 3, 3, 4, 5]
    assert problems[0] == Problem(
        2,
        "due 'When the new manager starts' is not a date "
        "(write 31/01/2018, Jan 2018, end of March 2018 or Spring 2018)",
    )
    # Both of row 3's problems are listed, so one fix-and-retry is enough.
    assert problems[1].reason.startswith("BRAG 'Purple' is not Blue, Green, Amber or Red")
    assert problems[2].reason.startswith("due '31/02/2018' is not a date")
    assert problems[3].reason == "has ref '3' but no action text (the Action column is empty)"
    assert problems[4].reason == "ref '1' is also used on row 2"


def test_csv_saved_from_excel_with_title_rows_and_multiline_cells() -> None:
    preview = read_plan(PLANS / "tower_fields_plan.csv")  # Windows-1252, CRLF
    assert preview.header_row == 3
    assert preview.problems == []
    rows = {a.ref: a for a in preview.actions}
    assert list(rows) == ["A1", "A2", "A3", "A4"]
    assert rows["A1"].title == "Implement the new contact form with partner agencies"
    assert rows["A1"].progress_date == date(2018, 1, 12)  # the "Last updated" column
    assert rows["A2"].progress == (
        "57% within timescale against a 90% target.\nAdditional agency workers from February."
    )
    assert rows["A2"].evidence == ("Performance report Dec 2017", "Assessment audit")
    assert rows["A3"].title.endswith("– audit quarterly")  # an en dash, read from cp1252
    assert rows["A4"].title == (
        "Launch the £5,000 participation fund for care-experienced young people"
    )
    assert rows["A4"].due_date == date(2018, 6, 30)


def test_a_sheet_with_no_recognisable_header_is_refused_in_one_sentence() -> None:
    with pytest.raises(ImportFailed) as refused:
        read_plan(PLANS / "caseloads_export.csv")
    message = refused.value.message
    assert message.startswith("caseloads_export.csv: no header row found")
    assert "'Team', 'Worker', 'Open cases'" in message
    assert "\n" not in message


def test_map_names_the_columns_a_plan_calls_something_else() -> None:
    path = PLANS / "project_office_plan.csv"
    with pytest.raises(ImportFailed, match="no header row found"):
        read_plan(path)
    mapping = {"ref": "Task ID", "action": "Deliverable", "owner": "Accountable",
               "due": "Go-live", "brag": "Colour"}  # fmt: skip
    preview = read_plan(path, mapping)
    assert [(a.ref, a.owner, a.due_date, a.brag) for a in preview.actions] == [
        ("PO-1", "Head of MASH", date(2018, 2, 28), "green"),
        ("PO-2", "HR Business Partner", date(2018, 4, 30), "amber"),
    ]
    with pytest.raises(ValidationError, match="'colour' is not a plan field"):
        read_plan(path, {"colour": "Colour"})
    with pytest.raises(ImportFailed) as unmapped:
        read_plan(path, {"action": "Deliverable", "owner": "Lead"})
    assert "no row has every column named by --map" in in_cli_words(unmapped.value)


def test_merged_theme_and_finding_cells_apply_to_every_action_they_cover(tmp_path: Path) -> None:
    preview = read_plan(make_plans.merged_finding_plan(tmp_path / "care leavers.xlsx"))
    assert [(a.ref, a.theme, a.finding_refs) for a in preview.actions] == [
        ("CL1", "Care leavers", ("R5",)),
        ("CL2", "Care leavers", ("R5",)),
        ("CL3", "Care leavers", ("R5",)),
    ]


def test_an_action_merged_over_several_rows_of_notes_is_one_action(tmp_path: Path) -> None:
    preview = read_plan(make_plans.merged_action_plan(tmp_path / "missing.xlsx"))
    assert preview.problems == []
    first, second = preview.actions
    assert (first.ref, first.owner, first.brag) == ("4.1", "Missing lead", "amber")
    assert first.progress.splitlines() == [
        "Nov 17: 52% offered in time",
        "Dec 17: commissioned service started",
        "Jan 18: 68% offered in time",
    ]
    assert first.progress_date == date(2018, 1, 1)  # "Jan 18": the latest line, from its start
    assert second.ref == "4.2"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("plan.xls", b"\xd0\xcf\x11\xe0 old excel", "old Excel 97-2003 file"),
        ("plan.xlsx", b"this is not a zip", "cannot be opened as a workbook"),
        ("plan.csv", b"PK\x03\x04\x00\x00binary", "not a CSV text file"),
        ("plan.docx", b"PK\x03\x04", "is not a plan spreadsheet"),
    ],
)
def test_files_that_are_not_plans_are_refused(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFailed, match=reason):
        read_plan(path)


# ----------------------------------------------------------------------------- importing


def test_importing_the_plan_builds_actions_linked_to_findings_with_history(
    store: Store, plan: Path
) -> None:
    findings = add_inspection(store)
    result = import_plan(store, plan)

    assert result.created == ["1.1", "1.2", "2.1", "2.2", "2.3", "3.1", "3.2"]
    # "Ongoing" is no date: the action is imported without one, and the lead is told.
    assert result.warnings == [
        Problem(ROW_OF["3.2"], "due 'Ongoing' gives no date, so the action has none")
    ]
    assert count_actions(store) == 7
    first = get_action_by_ref(store, "1.1")
    assert first.theme == "Front door and MASH"  # "Front door / MASH" is the same theme
    assert (first.owner, first.due_date, first.brag) == (
        "Head of MASH, Jane Okafor",
        date(2018, 1, 31),
        "green",
    )
    assert first.success_measure == "Contacts converting to referral rise above 40%"
    assert [a.ref for a in list_actions(store, finding_id=findings["R1"])] == ["1.1", "1.2"]
    # The cell's two dated notes are two updates, each on its own date; the row's one BRAG
    # is the newest note's (December's BRAG was not given).
    assert [(u.on_date, u.brag, u.note) for u in list_action_updates(store, first.id)] == [
        (date(2017, 12, 1), None, "Dec 17: partner workshop held"),
        (date(2018, 1, 12), "green", "12/01/18 - draft threshold agreed by the LSCB"),
    ]

    evidence = {e.title: e for e in list_evidence(store, action_id=first.id)}
    assert {t: e.kind for t, e in evidence.items()} == {
        "Threshold document v2": "policy",
        "LSCB minutes Jan 2018": "minutes",
    }
    [sample] = list_evidence(store, action_id=get_action_by_ref(store, "1.2").id)
    assert (sample.title, sample.kind, sample.personal_data) == (
        "MASH dip sample Dec 2017",
        "case sample",
        True,
    )
    assert get_action_by_ref(store, "3.1").theme == "Workforce and caseloads"
    assert list_evidence(store, action_id=get_action_by_ref(store, "3.1").id)[0].kind == "tracker"

    done = get_action_by_ref(store, "2.1")
    assert done.brag == "blue" and done.closed_on == store.today  # complete, noted today
    assert done.description == make_plans.LONG_ACTION
    # R5 is the only finding the plan does not answer: the one "no action" gap left.
    no_action = [g.ref for g in find_gaps(store) if g.kind == "no_action"]
    assert no_action == ["R5"]


def test_a_dry_run_lists_every_unreadable_row_and_stores_nothing(
    store: Store, bad_plan: Path
) -> None:
    add_inspection(store)
    before = snapshot(store)
    result = import_plan(store, bad_plan, dry_run=True)
    assert [(p.row, p.reason.split(" ")[0]) for p in result.problems] == [
        (ROW_OF["1.2"], "due"),
        (ROW_OF["3.1"], "BRAG"),
    ]
    assert "'After the restructure' is not a date" in result.problems[0].reason
    assert "'TBC' is not Blue, Green, Amber or Red" in result.problems[1].reason
    # The rows that can be read are still shown, as they would be imported.
    assert [p.label for p in result.plan] == ["1.1", "2.1", "2.2", "2.3", "3.2"]
    assert snapshot(store) == before


def test_a_plan_with_a_bad_row_stores_nothing_at_all(store: Store, bad_plan: Path) -> None:
    add_inspection(store)
    before = snapshot(store)
    with pytest.raises(ImportFailed) as refused:
        import_plan(store, bad_plan)
    message = refused.value.message
    assert message.startswith("Improvement plan v8.xlsx: 2 rows cannot be read, so nothing")
    assert f"row {ROW_OF['1.2']}: due 'After the restructure'" in message
    assert f"row {ROW_OF['3.1']}: BRAG 'TBC'" in message
    assert snapshot(store) == before
    assert count_actions(store) == 0 and count_evidence(store) == 0


def test_importing_the_same_plan_again_adds_nothing(store: Store, plan: Path) -> None:
    add_inspection(store)
    import_plan(store, plan)
    before = snapshot(store)
    again = import_plan(store, plan)
    assert again.created == [] and again.updated == []
    assert again.unchanged == ["1.1", "1.2", "2.1", "2.2", "2.3", "3.1", "3.2"]
    assert (again.updates_added, again.links_added, again.evidence_created) == (0, 0, 0)
    assert snapshot(store) == before


def test_next_months_plan_updates_the_actions_and_adds_to_their_history(
    store: Store, plan: Path, tmp_path: Path
) -> None:
    add_inspection(store)
    import_plan(store, plan)
    workbook = load_workbook(plan)
    sheet = workbook.active
    row = ROW_OF["1.2"]
    sheet[f"F{row}"] = "R"
    sheet[f"G{row}"] = "12/02/18 - oversight slipped: two managers off sick"
    sheet[f"D{ROW_OF['3.1']}"] = None  # a blank owner cell erases nothing
    sheet[f"E{ROW_OF['3.2']}"] = "30/04/2018"
    revised = tmp_path / "Improvement plan v9.xlsx"
    workbook.save(revised)

    a_month_later = open_store(store.url, today=date(2018, 2, 15))
    try:
        result = import_plan(a_month_later, revised)
    finally:
        a_month_later.close()
    assert result.updated == ["1.2", "3.2"]
    assert result.created == []
    oversight = get_action_by_ref(store, "1.2")
    assert oversight.brag == "red"
    history = list_action_updates(store, oversight.id)
    assert [(u.on_date, u.brag) for u in history] == [
        (date(2018, 1, 20), "amber"),
        (date(2018, 2, 12), "red"),
    ]
    assert history[1].note == "12/02/18 - oversight slipped: two managers off sick"
    assert get_action_by_ref(store, "3.1").owner == "Principal Social Worker"
    assert get_action_by_ref(store, "3.2").due_date == date(2018, 4, 30)


def test_a_brag_change_without_a_note_is_still_recorded_in_the_history(
    store: Store, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "p.csv", "Ref,Action,RAG", "1,Relaunch thresholds,G")
    import_plan(store, path)
    write_csv(path, "Ref,Action,RAG", "1,Relaunch thresholds,Amber")
    result = import_plan(store, path)
    assert result.updated == ["1"]
    action = get_action_by_ref(store, "1")
    assert action.brag == "amber"
    [update] = list_action_updates(store, action.id)
    assert (update.on_date, update.brag) == (store.today, "amber")
    assert update.note == "BRAG set to Amber by the plan spreadsheet p.csv."


def test_finding_refs_not_in_the_store_are_warned_about_and_linked_later(
    store: Store, plan: Path
) -> None:
    result = import_plan(store, plan)  # the report is not imported yet
    assert count_actions(store) == 7
    assert [(w.row, w.reason) for w in result.warnings][:2] == [
        (ROW_OF["1.1"], "no finding R1 in the store, so the action is not linked to it"),
        (ROW_OF["1.2"], "no finding R1 in the store, so the action is not linked to it"),
    ]
    findings = add_inspection(store)
    again = import_plan(store, plan)
    assert again.links_added == 5 and again.updated == ["1.1", "1.2", "2.1", "2.2"]
    assert [a.ref for a in list_actions(store, finding_id=findings["R2"])] == ["1.2"]


def test_a_ref_shared_by_several_reports_links_to_the_inspection_the_plan_answers(
    store: Store, tmp_path: Path
) -> None:
    mine = add_inspection(store)
    other = create_source(store, kind="inspection", title="Elsewhere ILACS 2018",
                          framework="ILACS", start_date=date(2018, 1, 8))  # fmt: skip
    create_finding(store, title="Elsewhere's first", ref="R1", source_id=other.id)
    path = write_csv(
        tmp_path / "p.csv", "Ref,Action,Findings",
        "1,Relaunch thresholds,R1", "2,Oversight,R2", "3,Plans,R3",
    )  # fmt: skip
    import_plan(store, path)
    assert [a.ref for a in list_actions(store, finding_id=mine["R1"])] == ["1"]


def test_the_council_named_above_the_header_decides_whose_r1_it_is(
    store: Store, plan: Path
) -> None:
    mine = add_inspection(store)
    theirs = add_inspection(store, "Elsewhere", date(2017, 11, 6))  # same refs, later
    import_plan(store, plan)  # its title row says "Barnsley Vale Council"
    assert [a.ref for a in list_actions(store, finding_id=mine["R1"])] == ["1.1", "1.2"]
    assert list_actions(store, finding_id=theirs["R1"]) == []


def test_a_ref_that_could_be_any_of_several_reports_is_left_for_the_lead(
    store: Store, tmp_path: Path
) -> None:
    add_inspection(store)
    add_inspection(store, "Elsewhere", date(2017, 11, 6))
    path = write_csv(tmp_path / "plan.csv", "Ref,Action,Findings", "1,Relaunch thresholds,R1")
    result = import_plan(store, path)
    assert result.warnings == [
        Problem(2, "finding R1 is in more than one source (Barnsley Vale SIF 2017, "
                   "Elsewhere SIF 2017); link it by hand")
    ]  # fmt: skip
    assert get_action_by_ref(store, "1").finding_count == 0


def test_evidence_named_in_the_plan_links_the_document_the_folder_scan_found(
    store: Store, plan: Path, tmp_path: Path
) -> None:
    from store.importers.evidence_folder import scan_evidence_folder

    folder = tmp_path / "Evidence"
    folder.mkdir()
    (folder / "MASH dip sample 2017-12-15.xlsx").write_text("x")
    scan_evidence_folder(store, folder)
    [scanned] = list_evidence(store)
    result = import_plan(store, plan)  # row 1.2's Evidence cell: "MASH dip sample Dec 2017"
    assert result.evidence_linked == 1
    assert [a.ref for a in list_actions(store, evidence_id=scanned.id)] == ["1.2"]
    assert len(list_evidence(store, text="MASH dip sample")) == 1
    assert import_plan(store, plan).unchanged == result.created


def test_an_evidence_cell_linked_to_sharepoint_keeps_the_link(store: Store, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Ref", "Action", "Evidence"])
    sheet.append(["1", "Relaunch thresholds", "Threshold document (SharePoint)"])
    sheet.append(["2", "Audit CP plans", "CP audit\n\\\\council\\qa\\CP audit Jan 2018.docx"])
    sheet["C2"].hyperlink = "https://council.sharepoint.com/sites/qa/Threshold.pdf"
    path = tmp_path / "plan.xlsx"
    workbook.save(path)
    import_plan(store, path)
    locations = {e.title: e.location for e in list_evidence(store)}
    assert locations == {
        "Threshold document (SharePoint)": "https://council.sharepoint.com/sites/qa/Threshold.pdf",
        # A title with its path on the next line is one item, not a second one named by
        # the raw path.
        "CP audit": "\\\\council\\qa\\CP audit Jan 2018.docx",
    }


@pytest.mark.parametrize("separator", [";", "\t"])
def test_csv_separated_by_semicolons_or_tabs(tmp_path: Path, separator: str) -> None:
    path = tmp_path / "plan.csv"
    lines = [
        ["Ref", "Action", "Owner", "Due"],
        ["1", "Relaunch thresholds, with partners", "Head of MASH", "31/01/2018"],
        ["2", "Audit CP plans", "QA lead", "Feb 2018"],
    ]
    path.write_text("\n".join(separator.join(cells) for cells in lines) + "\n")
    preview = read_plan(path)
    assert [(a.ref, a.title, a.owner) for a in preview.actions] == [
        ("1", "Relaunch thresholds, with partners", "Head of MASH"),
        ("2", "Audit CP plans", "QA lead"),
    ]


def test_a_new_theme_named_by_the_plan_is_added_to_the_list(store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", "Theme,Action", "Early help,Launch the early help hub")
    result = import_plan(store, path)
    assert result.themes_created == ["Early help"]
    assert list_themes(store)[-1].name == "Early help"
    assert get_action_by_ref(store, "A1").theme == "Early help"


def test_without_a_ref_column_actions_are_matched_by_title(store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", "Action,Owner", "Relaunch thresholds,Head of MASH")
    import_plan(store, path)
    again = import_plan(store, path)
    assert again.unchanged == ["A1"]
    assert count_actions(store) == 1


def test_a_progress_note_dated_after_today_is_a_problem(store: Store, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "p.csv",
        "Action,Progress,Updated",
        "Relaunch thresholds,Workshop held,28/02/2018",
    )
    result = import_plan(store, path, dry_run=True)
    assert result.problems == [Problem(2, "the progress note is dated 28/02/2018, after today")]
    with pytest.raises(ImportFailed):
        import_plan(store, path)
    assert count_actions(store) == 0


# ----------------------------------------------------------------------------- command line


def visitprep(*args: str, db: Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VISITPREP_TODAY": "2018-01-20"}
    return _cli.run(  # the console script in a process of its own (see tests/_cli.py)
        [str(BIN), "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=cwd,
    )


def test_cli_imports_a_plan_and_says_what_it_did(tmp_path: Path, plan: Path) -> None:
    db = tmp_path / "store.db"
    result = visitprep("import", str(plan), db=db)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "Improvement plan v7.xlsx: imported 7 actions (7 new, 0 updated, 0 unchanged)" in (
        " ".join(result.stdout.split())
    )
    assert "no finding R1 in the store" in result.stdout  # warned, not refused
    store = open_store(db)
    try:
        assert count_actions(store) == 7
    finally:
        store.close()


def test_cli_refuses_a_plan_with_bad_rows_in_one_line(
    tmp_path: Path, plan: Path, bad_plan: Path
) -> None:
    db = tmp_path / "store.db"
    assert visitprep("import", str(plan), db=db).returncode == 0
    store = open_store(db)
    try:
        before = snapshot(store)
    finally:
        store.close()
    result = visitprep("import", str(bad_plan), db=db)
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("visitprep: Improvement plan v8.xlsx: 2 rows cannot be read")
    assert f"row {ROW_OF['1.2']}" in line and f"row {ROW_OF['3.1']}" in line
    store = open_store(db)
    try:
        assert snapshot(store) == before
    finally:
        store.close()


def test_cli_dry_run_shows_each_row_and_every_problem(tmp_path: Path, bad_plan: Path) -> None:
    db = tmp_path / "store.db"
    result = visitprep("import", str(bad_plan), "--dry-run", db=db)
    assert result.returncode == 1
    out = " ".join(result.stdout.split())
    assert f"row {ROW_OF['1.2']}: due 'After the restructure' is not a date" in out
    assert f"row {ROW_OF['3.1']}: BRAG 'TBC' is not Blue, Green, Amber or Red" in out
    assert "Review MASH thresholds" in out and "Dry run: nothing was changed." in out
    assert "Columns not imported: 'Comments (old)'" in out
    assert result.stderr.strip().splitlines() == [
        "visitprep: Improvement plan v8.xlsx: 2 rows cannot be read; the import would be refused."
    ]


def test_cli_a_dry_run_before_there_is_a_store_creates_none(tmp_path: Path, plan: Path) -> None:
    db = tmp_path / "store.db"
    result = visitprep("import", str(plan), "--dry-run", db=db)
    assert result.returncode == 0, result.stderr
    assert "would import 7 actions (7 new" in " ".join(result.stdout.split())
    assert not db.exists()


def test_cli_json_output(tmp_path: Path, plan: Path) -> None:
    result = visitprep("import", str(plan), "--json", db=tmp_path / "store.db")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["status"] == "imported" and data["header_row"] == 5
    assert data["created"][:2] == ["1.1", "1.2"]
    assert data["actions"][0]["due_date"] == "2018-01-31"


def test_cli_map_override(tmp_path: Path) -> None:
    path = PLANS / "project_office_plan.csv"
    db = tmp_path / "store.db"
    plain = visitprep("import", str(path), db=db)
    assert plain.returncode == 1
    assert plain.stderr.startswith("visitprep: project_office_plan.csv: no header row found")
    mapped = visitprep(
        "import", str(path), "--map", "ref=Task ID", "--map", "action=Deliverable",
        "--map", "owner=Accountable", "--map", "due=Go-live", "--map", "brag=Colour", db=db,
    )  # fmt: skip
    assert mapped.returncode == 0, mapped.stderr
    bad = visitprep("import", str(path), "--map", "Deliverable", db=db)
    assert bad.returncode == 1
    assert bad.stderr.strip() == (
        "visitprep: --map 'Deliverable' should be FIELD=HEADER, e.g. --map owner='Lead officer'."
    )


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("Plan.docx", b"PK\x03\x04 word", "Plan.docx: is neither an Ofsted report"),
        ("caseloads.csv", (PLANS / "caseloads_export.csv").read_bytes(),
         "caseloads.csv: no header row found"),
        ("missing.xlsx", None, "missing.xlsx: there is no such file."),
    ],
)  # fmt: skip
def test_cli_bad_plan_files_are_one_line_and_leave_the_store_alone(
    tmp_path: Path, plan: Path, name: str, content: bytes | None, says: str
) -> None:
    db = tmp_path / "store.db"
    assert visitprep("import", str(plan), db=db).returncode == 0
    before = db.read_bytes()
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = visitprep("import", str(path), db=db)
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert says in line and "Traceback" not in line
    assert db.read_bytes() == before  # not opened at all: a bad file is refused first


def test_import_plan_file_is_told_to_give_just_the_file(tmp_path: Path, plan: Path) -> None:
    """Other tools read `import plan FILE`; here the kind is found from the file, and a
    lead who types the kind first is told so in one line, with nothing imported."""
    db = tmp_path / "store.db"
    assert visitprep("import", str(plan), db=db).returncode == 0
    before = db.read_bytes()
    for word, how in [
        ("plan", "To import an improvement plan: visitprep import PLAN.xlsx (or .csv)."),
        ("Evidence", "To import an evidence folder: visitprep import --evidence FOLDER."),
    ]:
        result = visitprep("import", word, str(plan), db=db, cwd=tmp_path)
        assert result.returncode == 1
        assert result.stderr.splitlines() == [
            f"visitprep: '{word}' is not a file: visitprep import tells what each file is by "
            f"itself, so give just the file. {how}"
        ]
    assert db.read_bytes() == before
    # A file of that name is what it is: imported as a report would be (here refused as
    # neither a report nor a plan, not as a kind typed first).
    (tmp_path / "plan").write_text("not a report")
    kept = visitprep("import", "plan", db=db, cwd=tmp_path)
    assert "tells what each file is" not in kept.stderr


def test_markup_in_a_plan_is_shown_literally(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", "Action,Owner", "[bold red]Audit[/] plans,\x1b[31mEve")
    result = visitprep("import", str(path), "--dry-run", db=tmp_path / "s.db")
    assert result.returncode == 0, result.stderr
    assert "[bold red]Audit[/] plans" in result.stdout
    assert "\x1b[31m" not in result.stdout


def test_cli_reports_and_a_plan_in_one_command(tmp_path: Path) -> None:
    pytest.importorskip("store.importers.reports")
    reports = Path(__file__).resolve().parents[2] / "shared" / "ofsted-reports"
    report, web_page = reports / "barnsley_2014-08-08.pdf", reports / "blackpool_2012-07-13.pdf"
    if not report.exists():
        pytest.skip("the real Ofsted reports are not here")
    plan = write_csv(
        tmp_path / "Barnsley improvement plan.csv",
        "Ref,Action,Recommendation,RAG",
        "1,Improve return home interviews,R1,G",
    )
    db = tmp_path / "store.db"
    dry = visitprep("import", str(report), "--dry-run", db=db)
    assert dry.returncode == 0, dry.stderr
    assert "Barnsley" in dry.stdout and "would import" in dry.stdout

    result = visitprep("import", str(report), str(web_page), str(plan), db=db)
    assert result.returncode == 1  # the saved web page is refused; the others are imported
    [line] = result.stderr.splitlines()
    assert line.startswith("visitprep: blackpool_2012-07-13.pdf")
    store = open_store(db)
    try:
        [action] = list_actions(store)
        assert action.finding_count == 1  # linked to the report imported with it
    finally:
        store.close()


# ----------------------------------------------------------------------------- template


def test_template_round_trip(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    path = tmp_path / "Our plan.xlsx"
    result = visitprep("template", str(path), db=db)
    assert result.returncode == 0, result.stderr
    assert not db.exists()  # writing a template never touches a store

    workbook = load_workbook(path)
    sheet = workbook["Plan"]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["Ref", "Theme", "Findings", "Action"]
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    [brag_list] = sheet.data_validations.dataValidation
    assert brag_list.formula1 == '"Blue,Green,Amber,Red"'
    assert "Notes" in workbook.sheetnames
    notes = " ".join(str(c.value) for row in workbook["Notes"].iter_rows() for c in row if c.value)
    assert "end of March 2018" in notes and "Blue = complete" in notes

    column = {h: i + 1 for i, h in enumerate(headers)}
    for row, values in ((2, ("T1", "Care leavers", "Pathway plans co-produced", "Head of CiC",
                             "end of April 2018", "Amber")),
                        (3, ("T2", "Care leavers", "Care leaver offer published", "Head of CiC",
                             "30/06/2018", "Green"))):  # fmt: skip
        for header, value in zip(
            ("Ref", "Theme", "Action", "Lead officer", "Due", "BRAG"), values, strict=True
        ):
            sheet.cell(row=row, column=column[header], value=value)
    workbook.save(path)

    imported = visitprep("import", str(path), db=db)
    assert imported.returncode == 0, imported.stderr
    store = open_store(db)
    try:
        actions = list_actions(store)
        assert [(a.ref, a.theme, a.due_date, a.brag) for a in actions] == [
            ("T1", "Care leavers", date(2018, 4, 30), "amber"),
            ("T2", "Care leavers", date(2018, 6, 30), "green"),
        ]
    finally:
        store.close()


def test_template_never_overwrites_and_knows_its_formats(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    csv_path = tmp_path / "plan.csv"
    assert visitprep("template", str(csv_path), db=db).returncode == 0
    assert (
        csv_path.read_text(encoding="utf-8-sig")
        .splitlines()[0]
        .startswith("Ref,Theme,Findings,Action,")
    )
    csv_path.write_text("our own work\n")
    again = visitprep("template", str(csv_path), db=db)
    assert again.returncode == 1
    assert again.stderr == (
        f"visitprep: {csv_path} already exists; choose another name (it was not overwritten).\n"
    )
    assert csv_path.read_text() == "our own work\n"
    wrong = visitprep("template", str(tmp_path / "plan.docx"), db=db)
    assert wrong.returncode == 1
    assert wrong.stderr.startswith("visitprep: plan.docx: a plan template is written as .xlsx")
    nowhere = visitprep("template", str(tmp_path / "no" / "plan.xlsx"), db=db)
    assert nowhere.returncode == 1 and len(nowhere.stderr.splitlines()) == 1
