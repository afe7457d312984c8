"""A performance lead imports the board's scorecard (CSV or XLSX): periods written the ways
councils write them, blanks and n/a as no value, every unreadable cell named, all or nothing,
and a second import updating what changed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

import store as api
from store import Store
from store.errors import ImportFailed
from store.importers.scorecard import (
    column_letter,
    import_scorecard,
    looks_like_scorecard,
    read_scorecard,
)

BOARD = datetime(2019, 1, 14, 9, 30, tzinfo=UTC)


def _csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


SCORECARD = """Northbridge children's services scorecard (board, January 2019),,,,,,,,
Ref,Indicator,Service area,Good is,Target,Lead officer,Apr-18,May 2018,2018-06,Jul-18
A1,Assessments within 45 working days,Assessment,Higher,90%,Head of assessment,55%,57%,,74
F3,Re-referrals within 12 months,Front door,lower,22,Head of front door,29,n/a,27,26
W1,Average caseload per social worker,Workforce,lower,18,HR partner,24.5,23,22,21
,,,,,,,,,
Source: Mosaic and HR system,,,,,,,,,
"""


def test_a_scorecard_with_periods_across_is_imported_with_its_synonyms(
    store: Store, tmp_path: Path
) -> None:
    path = _csv(tmp_path / "board.csv", SCORECARD)
    assert looks_like_scorecard(path)
    result = import_scorecard(store, path, who="Priya Shah", at=BOARD)
    assert (result.created, result.problems) == (["A1", "F3", "W1"], [])
    assert (result.values_added, result.values_changed) == (10, 0)
    assessments = api.get_measure_by_ref(store, "A1")
    assert (assessments.theme, assessments.polarity, assessments.target) == (
        "Assessment",
        "higher",
        90,
    )
    assert assessments.owner == "Head of assessment"
    assert [(v.label, v.value) for v in api.list_measure_values(store, assessments.id)] == [
        ("Apr 2018", 55),
        ("May 2018", 57),
        ("Jul 2018", 74),
    ]  # the blank June is no value, not zero
    re_referrals = api.get_measure_by_ref(store, "F3")
    assert [v.label for v in api.list_measure_values(store, re_referrals.id)] == [
        "Apr 2018",
        "Jun 2018",
        "Jul 2018",
    ]  # n/a is no value
    assert (re_referrals.brag, re_referrals.direction) == ("red", "better")
    assert api.list_measure_values(store, re_referrals.id)[0].entered_by == "Priya Shah"


def test_re_importing_updates_changed_values_and_records_who_changed_them(
    store: Store, tmp_path: Path
) -> None:
    import_scorecard(store, _csv(tmp_path / "board.csv", SCORECARD), who="Priya", at=BOARD)
    corrected = SCORECARD.replace("55%,57%,,74", "55%,58%,66,74")
    later = datetime(2019, 1, 21, 8, 0, tzinfo=UTC)
    result = import_scorecard(store, _csv(tmp_path / "board2.csv", corrected), who="Sam", at=later)
    assert (result.created, result.updated, result.unchanged) == ([], ["A1"], ["F3", "W1"])
    assert (result.values_added, result.values_changed, result.values_unchanged) == (1, 1, 9)
    values = {
        v.label: v for v in api.list_measure_values(store, api.get_measure_by_ref(store, "A1").id)
    }
    assert (values["May 2018"].value, values["May 2018"].entered_by) == (58, "Sam")
    assert (values["Apr 2018"].entered_by, values["Jun 2018"].entered_by) == ("Priya", "Sam")
    assert api.count_measures(store) == 3


def test_every_unreadable_cell_is_named_and_nothing_is_imported(
    store: Store, tmp_path: Path
) -> None:
    bad = (
        "Ref,Measure,Unit,Target,Q1 2018/19,Q2 2018/19,Q3 18-19\n"
        "C1,Care leavers in suitable accommodation,%,90,84,101%,eighty\n"
        "C2,Care leavers in EET,%,ninety,48,50,\n"
        "C3,Care leavers with a pathway plan,%,90,62,65,68\n"
    )
    path = _csv(tmp_path / "quarters.csv", bad)
    checked = import_scorecard(store, path, dry_run=True)
    assert [str(p) for p in checked.problems] == [
        "F2: The value is a percentage: it must be 0 to 100, not 101.",
        "G2: 'eighty' is not a number.",
        "D3: 'ninety' is not a number.",
    ]
    result = import_scorecard(store, path)
    assert len(result.problems) == 3
    assert api.count_measures(store) == 0  # C3 was fine, but the import is all or nothing


def test_a_dry_run_counts_what_would_change_and_changes_nothing(
    store: Store, tmp_path: Path
) -> None:
    result = import_scorecard(store, _csv(tmp_path / "board.csv", SCORECARD), dry_run=True)
    assert (result.created, result.values_added, result.problems) == (["A1", "F3", "W1"], 10, [])
    assert api.count_measures(store) == 0


def test_quarterly_columns_make_quarterly_measures(store: Store, tmp_path: Path) -> None:
    path = _csv(
        tmp_path / "q.csv",
        "Measure,Target,Q1 2018/19,Q2 2018/19,Q3 18-19,Q4 18-19\n"
        "Care leavers in education employment or training,60,44,46,48,\n",
    )
    import_scorecard(store, path)
    measure = api.list_measures(store)[0]
    assert (measure.ref, measure.frequency, measure.latest.label) == (
        "M1",
        "quarterly",
        "Q3 2018/19",
    )


def test_an_xlsx_scorecard_with_date_headers_and_number_cells(store: Store, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Ref", "Measure", "Polarity", "Target", "Amber tolerance",
                  datetime(2018, 10, 1), datetime(2018, 11, 1), "Dec-18"])  # fmt: skip
    sheet.append(["A1", "Assessments within 45 working days", "higher is better", 0.9 * 100,
                  5, 86, 87.5, "89%"])  # fmt: skip
    sheet.append(["A2", "Bad cell", "higher", 90, 5, 86, "lots", 200])
    path = tmp_path / "board.xlsx"
    book.save(path)
    result = import_scorecard(store, path, dry_run=True)
    assert [str(p) for p in result.problems] == [
        "G3: 'lots' is not a number.",
        "H3: The value is a percentage: it must be 0 to 100, not 200.",
    ]
    sheet.delete_rows(3)
    book.save(path)
    import_scorecard(store, path)
    measure = api.get_measure_by_ref(store, "A1")
    assert (measure.latest.label, measure.latest.value, measure.brag) == ("Dec 2018", 89, "amber")


def test_a_sheet_with_no_period_columns_is_refused_in_words(tmp_path: Path) -> None:
    path = _csv(tmp_path / "plan.csv", "Ref,Action,Owner\n1.1,Do a thing,Sam\n")
    assert not looks_like_scorecard(path)
    with pytest.raises(ImportFailed, match="no header row found"):
        read_scorecard(path)


def test_column_letters_run_past_z() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]


def test_an_import_by_visitprep_user_records_them_as_who_entered_the_values(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from store.history_queries import list_history

    # Sam runs the import from a shared machine, named by VISITPREP_USER, not by the login.
    monkeypatch.setenv("VISITPREP_USER", "Sam Patel")
    opened = api.open_store(db_url)
    try:
        import_scorecard(opened, _csv(tmp_path / "board.csv", SCORECARD), at=BOARD)
        values = api.list_measure_values(opened, api.get_measure_by_ref(opened, "F3").id)
        assert [v.entered_by for v in values] == ["Sam Patel"] * 3
        imported = [e for e in list_history(opened) if e.op == "import"]
        # The file's entry, then one for each measure it added values to: all Sam's.
        assert imported[0].record_id is None
        assert {e.who for e in imported} == {"Sam Patel"}
        assert "F3" in {e.label.split()[0] for e in imported[1:]}
    finally:
        opened.close()


def test_the_history_says_who_imported_the_scorecard_and_which_values_they_changed(
    tmp_path: Path,
) -> None:
    from store.history_queries import list_history

    store = api.open_store(tmp_path / "team.db", user="Priya Shah")
    import_scorecard(store, _csv(tmp_path / "board.csv", SCORECARD), at=BOARD)
    store.user = "Sam Lee"
    before = len(list_history(store))
    import_scorecard(
        store, _csv(tmp_path / "b2.csv", SCORECARD.replace(",57%,", ",58%,")), dry_run=True
    )
    assert len(list_history(store)) == before  # a dry run writes no history
    import_scorecard(store, _csv(tmp_path / "b3.csv", SCORECARD.replace(",57%,", ",58%,")))
    entries = list_history(store)[before:]
    imported = [e for e in entries if e.op == "import"]
    assert [(e.who, e.label) for e in imported] == [("Sam Lee", "b3.csv")]
    assert "1 changed" in imported[0].detail
    changed = [e for e in entries if e.kind == "measure" and e.op == "edit"]
    assert [(e.who, e.label.split()[0]) for e in changed] == [("Sam Lee", "A1")]
    assert ("value", 57, 58) in [(c.field, c.old, c.new) for c in changed[0].changes]
    value = {
        v.label: v for v in api.list_measure_values(store, api.get_measure_by_ref(store, "A1").id)
    }
    assert (value["May 2018"].value, value["May 2018"].entered_by) == (58, "Sam Lee")
    store.close()
