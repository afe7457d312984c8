"""Plans as councils write them in committee papers: numbered theme headings, the Ofsted
recommendation quoted in a column ("(Rec 3)", "Recs 4 & 7", or its words alone), "Lead
Officer", "Timescale" in seasons and "TBC", and a RAG column that is only colour.

The store holds a real SIF report (York, the council's own) and a real ILACS report
(Haringey, another council's: it has an R1 to R9 too). Every link the import makes is
asserted exactly, with why, and numbered headings make none.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.styles.colors import Color

from store import Store, list_actions, list_findings, list_themes
from store.errors import ImportFailed
from store.importers.plan import PlanResult, Problem, import_plan, read_plan
from store.importers.plan_refs import TEXT_MARGIN, TEXT_MATCH, match_text

REPORTS = Path(__file__).resolve().parents[2] / "shared" / "ofsted-reports"
BIN = Path(sys.executable).parent / "visitprep"

pytestmark = pytest.mark.skipif(
    not (REPORTS / "york_2017-02-07.pdf").exists(), reason="needs ../shared/ofsted-reports"
)

HEADER = [
    "Ofsted recommendation",
    "Ref",
    "Action",
    "Lead Officer",
    "Timescale",
    "RAG",
    "Progress Update (Nov-Dec 2017)",
]
# The rows below the header, as the committee paper lays them out (row 3 onwards).
ROWS: list[list[str]] = [
    ["1. Turnaround priority: To drive sustainable Practice Improvement at pace"],
    [
        "Improve the timeliness and quality of assessments for all children (Rec 1)",
        "1.1",
        "Weekly assessment performance clinic chaired by the Head of Service",
        "Head of Assessment",
        "Spring 2018",
        "Green",
        "Clinics running since November",
    ],
    ["", "1.2", "Audit 40 assessments for risk and family history", "PSW", "Q4 2017/18", "A"],
    ["2. Governance Leadership and Partnership"],
    ["Recs 4 & 7", "2.1", "Review the out-of-hours service with partners", "HoS", "Winter 2018/19"],
    ["", "2.2", "CP chairs keep a challenge log between reviews", "IRO manager", "TBC", "A"],
    ["3. Embedding Practice Leadership"],
    [
        "Ensure that plans are updated when children's needs change or when significant "
        "events occur in their lives",
        "3.1",
        "Care plan review triggered by any significant event",
        "Head of CIN",
        "Sept 18",
        "G",
    ],
    [
        "Recommendation 9: Improve the quality of frontline management oversight",
        "3.2",
        "Management oversight training for all team managers",
        "Workforce lead",
        "w/c 12 March 2018",
        "G",
    ],
    ["", "4.1", "Recruit 10 social workers within 45 working days", "HR", "Ongoing", "G"],
    ["Improvement theme 5 \u2013 Assessment"],
    ["(Rec 2)", "5.1", "Identity and culture prompts in the assessment form", "PSW", "n/a", "G"],
    ["Theme 6: Front door"],
    ["", "6.1", "Out-of-hours checks recorded on the child's file", "EDT manager", "Jun 18", "G"],
]
ROW = {r[1]: number for number, r in enumerate(ROWS, 3) if len(r) > 1}  # ref -> sheet row


@pytest.fixture(scope="module")
def reports_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """York's SIF report (ours) and Haringey's ILACS report (another council's), imported
    once; each test works on its own copy."""
    from store import open_store
    from store.importers.reports import import_reports

    path = tmp_path_factory.mktemp("reports") / "visitprep.db"
    store = open_store(path, today=date(2018, 1, 20))
    try:
        york, haringey = import_reports(
            store, [REPORTS / "york_2017-02-07.pdf", REPORTS / "haringey_2018-12-14.pdf"]
        )
        assert (york.status, york.ours) == ("imported", True)
        assert (haringey.status, haringey.ours) == ("imported", False)
    finally:
        store.close()
    return path


@pytest.fixture
def store(reports_db: Path, tmp_path: Path) -> Store:
    from store import open_store

    copy = tmp_path / "visitprep.db"
    copy.write_bytes(reports_db.read_bytes())
    opened = open_store(copy, today=date(2018, 1, 20))
    yield opened  # type: ignore[misc]
    opened.close()


def write_csv(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["City of York Council: children's social care improvement plan"])
        writer.writerow(HEADER)
        writer.writerows(ROWS)
    return path


GREEN, AMBER, RED = "00B050", "FFC000", "FF0000"


def write_xlsx(path: Path) -> Path:
    """The same plan as a workbook: headings bold and merged across the sheet, the Rec 1
    cell merged over actions 1.1 and 1.2 (and no ref prefix rule needed), and RAG cells
    that are only coloured."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Improvement plan"
    sheet.append(["City of York Council: children's social care improvement plan"])
    sheet.append(HEADER)
    for values in ROWS:
        sheet.append(values)
    for number, values in enumerate(ROWS, 3):
        if len(values) == 1:
            sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=7)
            sheet.cell(number, 1).font = Font(bold=True)
    # Rec 1 merged down over 1.1 and 1.2; 1.2's own (blank) cell is covered by the merge.
    sheet.merge_cells(start_row=ROW["1.1"], start_column=1, end_row=ROW["1.2"], end_column=1)
    # 2.1 has no RAG word, only a red fill; 6.1's word is replaced by an amber fill.
    sheet.cell(ROW["2.1"], 6).fill = PatternFill("solid", fgColor=RED)
    sheet.cell(ROW["6.1"], 6).value = None
    sheet.cell(ROW["6.1"], 6).fill = PatternFill("solid", fgColor=AMBER)
    book.save(path)
    return path


def councils(store: Store) -> dict[int, str]:
    return {f.id: f.local_authority for f in list_findings(store)}


def exact_links(store: Store, result: PlanResult) -> dict[str, list[tuple[str, str, str]]]:
    by_id = councils(store)
    return {p.row.ref: [(k.ref, by_id[k.finding_id], k.why) for k in p.links] for p in result.plan}


def score_of(why: str) -> int:
    return int(why.split("(")[1].split("%")[0])


def test_a_committee_paper_plan_links_each_action_to_the_findings_a_lead_would(
    store: Store, tmp_path: Path
) -> None:
    result = import_plan(store, write_csv(tmp_path / "York improvement plan.csv"), dry_run=True)
    assert result.problems == []
    assert result.findings_source == "York SIF inspection November 2016"
    links = exact_links(store, result)
    text_link = links["3.1"][0]
    assert text_link[:2] == ("R3", "York") and score_of(text_link[2]) >= TEXT_MATCH
    assert text_link[2] == f"matched by text ({score_of(text_link[2])}%)"
    assert links == {
        "1.1": [("R1", "York", "by reference 'Rec 1'")],
        "1.2": [("R1", "York", "by reference 'Rec 1'; same as row 4 above (same ref prefix 1.)")],
        "2.1": [
            ("R4", "York", "by reference 'Recs 4 & 7'"),
            ("R7", "York", "by reference 'Recs 4 & 7'"),
        ],
        "2.2": [
            ("R4", "York", "by reference 'Recs 4 & 7'; same as row 7 above (same ref prefix 2.)"),
            ("R7", "York", "by reference 'Recs 4 & 7'; same as row 7 above (same ref prefix 2.)"),
        ],
        "3.1": [text_link],
        "3.2": [("R9", "York", "by reference 'Recommendation 9'")],
        # Under a new heading, with no ref prefix shared with the row above: no link, and
        # neither its "10" and "45" nor any heading's number is ever read as a ref.
        "4.1": [],
        "5.1": [("R2", "York", "by reference 'Rec 2'")],
        "6.1": [],
    }


def test_numbered_headings_set_the_theme_and_make_no_link(store: Store, tmp_path: Path) -> None:
    result = import_plan(store, write_csv(tmp_path / "York improvement plan.csv"))
    assert [(row, theme, rule) for row, _, theme, rule in result.headings] == [
        (3, "Turnaround priority: To drive sustainable Practice Improvement at pace", "new theme"),
        (6, "Leadership, governance and partnerships", "nearest seeded theme"),
        (9, "Embedding Practice Leadership", "new theme"),
        (13, "Assessment", ""),
        (15, "Front door and MASH", "nearest seeded theme"),
    ]
    actions = {a.ref: a for a in list_actions(store)}
    assert sorted(actions) == ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "4.1", "5.1", "6.1"]
    assert {ref: a.theme for ref, a in actions.items()} == {
        "1.1": "Turnaround priority: To drive sustainable Practice Improvement at pace",
        "1.2": "Turnaround priority: To drive sustainable Practice Improvement at pace",
        "2.1": "Leadership, governance and partnerships",
        "2.2": "Leadership, governance and partnerships",
        "3.1": "Embedding Practice Leadership",
        "3.2": "Embedding Practice Leadership",
        "4.1": "Embedding Practice Leadership",
        "5.1": "Assessment",
        "6.1": "Front door and MASH",
    }
    themes = [t.name for t in list_themes(store)]
    assert "Embedding Practice Leadership" in themes
    assert "Governance Leadership and Partnership" not in themes  # mapped, not added
    # What is stored is what the dry run said: the headings' rows link nothing.
    linked = {
        f.ref: sorted(a.ref for a in list_actions(store, finding_id=f.id))
        for f in list_findings(store)
        if f.action_count
    }
    assert linked == {
        "R1": ["1.1", "1.2"],
        "R2": ["5.1"],
        "R3": ["3.1"],
        "R4": ["2.1", "2.2"],
        "R7": ["2.1", "2.2"],
        "R9": ["3.2"],
    }
    assert all(f.local_authority == "York" for f in list_findings(store) if f.action_count)


def test_seasons_quarters_and_tbc_deadlines_are_read_and_named(
    store: Store, tmp_path: Path
) -> None:
    result = import_plan(store, write_csv(tmp_path / "plan.csv"), dry_run=True)
    due = {p.row.ref: (p.row.due_date, p.row.due_note) for p in result.plan}
    assert due["1.1"] == (date(2018, 5, 31), "'Spring 2018' read as 31 May 2018")
    assert due["1.2"] == (date(2018, 3, 31), "'Q4 2017/18' read as 31 Mar 2018")
    assert due["2.1"] == (date(2019, 2, 28), "'Winter 2018/19' read as 28 Feb 2019")
    assert due["3.1"] == (date(2018, 9, 30), "'Sept 18' read as 30 Sep 2018")
    assert due["3.2"] == (date(2018, 3, 12), "'w/c 12 March 2018' read as 12 Mar 2018")
    assert due["2.2"] == (None, "")
    warnings = [(w.row, w.reason) for w in result.warnings]
    assert (ROW["2.2"], "due 'TBC' gives no date, so the action has none") in warnings
    assert (ROW["4.1"], "due 'Ongoing' gives no date, so the action has none") in warnings
    assert (ROW["5.1"], "due 'n/a' gives no date, so the action has none") in warnings


def test_a_due_date_long_past_or_far_ahead_is_a_warning_in_the_dry_run(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "plan.csv"
    path.write_text(
        "Ref,Action,Due,RAG\n"
        "1,Typed the wrong year,31/01/2017,G\n"
        "2,Done last year,31/01/2017,Blue\n"
        "3,Far too far ahead,31/01/2021,G\n"
        "4,Fine,31/03/2018,G\n",
        encoding="utf-8",
    )
    result = import_plan(store, path, dry_run=True)
    assert [(w.row, w.reason.split(" (")[0]) for w in result.warnings] == [
        (2, "due 31 Jan 2017 is in the past"),
        (4, "due 31 Jan 2021 is more than two years ahead."),
    ]


def test_the_workbook_carries_merged_cells_and_reads_colour_only_rag(
    store: Store, tmp_path: Path
) -> None:
    result = import_plan(store, write_xlsx(tmp_path / "York plan.xlsx"), dry_run=True)
    assert result.problems == []
    links = exact_links(store, result)
    merged = f"merged cells, rows {ROW['1.1']}\u2013{ROW['1.2']}"
    assert links["1.1"] == [("R1", "York", "by reference 'Rec 1'")]
    assert links["1.2"] == [("R1", "York", f"by reference 'Rec 1'; {merged}")]
    # In a workbook only merged cells carry a Findings cell down: 2.2's blank cell, not
    # merged with 2.1's, is no link (the ref-prefix rule is for CSVs, which lost merges).
    assert links["2.2"] == [] and links["4.1"] == [] and links["6.1"] == []
    brag = {p.row.ref: p.row.brag for p in result.plan}
    assert brag["2.1"] == "red" and brag["6.1"] == "amber"  # the cell's colour, no word
    assert [theme for _, _, theme, _ in result.headings][1] == (
        "Leadership, governance and partnerships"
    )


def test_a_column_of_bare_numbers_is_read_as_refs_but_a_number_in_words_is_not(
    store: Store, tmp_path: Path
) -> None:
    bare = tmp_path / "york bare.csv"
    bare.write_text(
        'York plan\nRec no,Ref,Action\n3.,A1,Plans updated\n"1, 4",A2,Assessments\n',
        encoding="utf-8",
    )
    links = exact_links(store, import_plan(store, bare, dry_run=True))
    assert links == {
        "A1": [("R3", "York", "by reference '3'")],
        "A2": [("R1", "York", "by reference '1'"), ("R4", "York", "by reference '4'")],
    }
    mixed = tmp_path / "york mixed.csv"
    mixed.write_text(
        "York plan\nOfsted recommendation,Ref,Action\n"
        "3. Make sure every team has enough staff,B1,Recruit\n"
        "R5,B2,Health assessments\n",
        encoding="utf-8",
    )
    links = exact_links(store, import_plan(store, mixed, dry_run=True))
    assert links == {"B1": [], "B2": [("R5", "York", "by reference 'R5'")]}


def test_the_text_match_threshold_tells_each_real_recommendation_from_its_neighbours(
    store: Store,
) -> None:
    """The threshold, checked on a real report: every recommendation's first 12 words find
    it, and no quote of one finds another (bench/plan_text_match.py measures all reports)."""
    findings = [f for f in list_findings(store) if f.local_authority == "York"]
    texts = [f.text for f in findings]
    for index, finding in enumerate(findings):
        if len(finding.text.split()) < 12:
            continue
        quote = " ".join(finding.text.split()[:12])
        found, score = match_text(quote, texts)
        assert found == index, (finding.ref, quote, score)
    # Words that are about the same subject but quote nothing are not enough.
    found, score = match_text("Ensure that all children receive a good service from us", texts)
    assert found is None and TEXT_MARGIN > 0


def test_the_cli_dry_run_explains_every_link_heading_and_warning(
    store: Store, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "York improvement plan.csv")
    store.close()
    env = {**os.environ, "VISITPREP_TODAY": "2018-01-20", "COLUMNS": "200"}
    done = subprocess.run(
        [str(BIN), "--db", str(tmp_path / "visitprep.db"), "import", "--dry-run", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    assert "R1: by reference 'Rec 1'; same as row 4 above (same ref prefix 1.)" in out
    assert "R3: matched by text (" in out
    assert "row 12, 4.1: no link: no finding named" in out
    assert "due 'Spring 2018' read as 31 May 2018" in out
    assert (
        "Row 6: heading '2. Governance Leadership and Partnership': the actions below go "
        "under 'Leadership, governance and partnerships' (the nearest seeded theme)." in out
    )
    assert f"row {ROW['2.2']}: due 'TBC' gives no date, so the action has none" in out
    assert "Dry run: nothing was changed." in out


def test_a_title_with_its_link_on_the_next_line_is_one_evidence_item(
    store: Store, tmp_path: Path
) -> None:
    from store import list_evidence

    path = tmp_path / "plan.csv"
    path.write_text(
        "Ref,Action,Evidence\n"
        '1.1,Relaunch thresholds,"Threshold document v2\n'
        "https://york.sharepoint.com/sites/csc/Threshold%20v2.docx\n"
        'LSCB minutes Jan 2018"\n',
        encoding="utf-8",
    )
    import_plan(store, path)
    assert sorted((e.title, e.location) for e in list_evidence(store)) == [
        ("LSCB minutes Jan 2018", ""),
        ("Threshold document v2", "https://york.sharepoint.com/sites/csc/Threshold%20v2.docx"),
    ]


def test_a_link_the_lead_removed_stays_removed_when_the_plan_is_imported_again(
    reports_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from store import get_action_by_ref, open_store, removed_links
    from store.dates import format_date
    from store.links import unlink

    db = tmp_path / "visitprep.db"
    db.write_bytes(reports_db.read_bytes())
    plan = write_csv(tmp_path / "York improvement plan.csv")
    monkeypatch.setenv("VISITPREP_USER", "Sam Patel")
    store = open_store(db, today=date(2018, 1, 20))
    try:
        import_plan(store, plan)
        action = get_action_by_ref(store, "1.2")
        r1 = next(f for f in list_findings(store) if f.ref == "R1" and f.local_authority == "York")
        unlink(store, "finding", r1.id, "action", action.id)  # "1.2 does not answer R1"
        (removed,) = removed_links(store)
        when = format_date(removed.at.date())  # the history's clock, not the store's today

        again = import_plan(store, plan, dry_run=True)
        said = f"R1 on 1.2: removed by Sam Patel on {when}; not re-linked"
        assert (ROW["1.2"], said) in [(w.row, w.reason) for w in again.warnings]
        planned = next(p for p in again.plan if p.row.ref == "1.2")
        assert planned.links == [] and planned.not_relinked == [said]
        import_plan(store, plan)
        assert action.id not in {a.id for a in list_actions(store, finding_id=r1.id)}
        assert get_action_by_ref(store, "1.1").id in {
            a.id for a in list_actions(store, finding_id=r1.id)
        }
    finally:
        store.close()


def test_evidence_named_in_a_plan_is_as_of_the_date_in_its_name_never_the_import_day(
    store: Store, tmp_path: Path
) -> None:
    from store import list_evidence

    path = tmp_path / "plan.csv"
    path.write_text(
        'Ref,Action,Evidence\n1.1,Relaunch thresholds,"LSCB minutes 2017-11\nThreshold leaflet"\n',
        encoding="utf-8",
    )
    import_plan(store, path)
    assert sorted((e.title, e.as_of) for e in list_evidence(store)) == [
        ("LSCB minutes 2017-11", date(2017, 11, 30)),
        ("Threshold leaflet", None),  # no date given: none, rather than the day of import
    ]


def test_evidence_a_plan_names_by_its_file_is_as_of_the_files_date_never_the_import_day(
    store: Store, tmp_path: Path
) -> None:
    """Issue 19.7: 'CP reports audit' with its file on the next line was undated although
    the file is named 2019-10 (the folder scan then found it already recorded)."""
    import os

    from store import list_evidence

    named = tmp_path / "cp-reports-audit-2017-10.docx"
    named.write_bytes(b"audit")
    plain = tmp_path / "tracker.xlsx"
    plain.write_bytes(b"tracker")
    os.utime(plain, (1_500_000_000, 1_500_000_000))  # modified 14 Jul 2017
    path = tmp_path / "plan.csv"
    path.write_text(
        "Ref,Action,Evidence\n"
        f'1.1,Share CP reports,"CP reports audit\n{named}"\n'
        f'1.2,Track strategy discussions,"Strategy tracker\n{plain}"\n'
        '1.3,Publish the leaflet,"Threshold leaflet\nhttps://example.org/leaflet"\n',
        encoding="utf-8",
    )
    import_plan(store, path)
    assert sorted((e.title, e.as_of) for e in list_evidence(store)) == [
        ("CP reports audit", date(2017, 10, 31)),  # the date in the file's name
        ("Strategy tracker", date(2017, 7, 14)),  # the file's modified date
        ("Threshold leaflet", None),  # a link: no date given
    ]


def test_a_recommendation_on_its_own_row_is_what_the_actions_below_it_answer(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "York plan.csv"
    path.write_text(
        "York improvement plan\n"
        "Ofsted recommendation,Ref,Action,Lead Officer\n"
        '"Recommendation 5: Ensure that initial and review health assessments are completed '
        'in a timely manner",,,\n'
        ",A1,Health assessment tracker,Nurse lead\n"
        ",A2,Weekly escalation of late assessments,HoS CiC\n"
        "R9,A3,Supervision audit,PSW\n"
        "\"Ensure that plans are updated when children's needs change or when significant "
        'events occur in their lives",,,\n'
        ",A4,Care plan triggers,HoS\n",
        encoding="utf-8",
    )
    result = import_plan(store, path, dry_run=True)
    assert result.problems == []
    links = exact_links(store, result)
    r3 = links["A4"][0]
    assert r3[:2] == ("R3", "York") and r3[2].startswith("matched by text (")
    assert r3[2].endswith("%); under the recommendation in row 7")
    under_r5 = "by reference 'Recommendation 5'; under the recommendation in row 3"
    assert links == {
        "A1": [("R5", "York", under_r5)],
        "A2": [("R5", "York", under_r5)],
        "A3": [("R9", "York", "by reference 'R9'")],  # its own cell ends the group
        "A4": [r3],
    }


def test_a_findings_cell_on_its_own_row_above_an_action_with_its_own_carries_on_the_one_above(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "York plan.csv"
    path.write_text(
        "York improvement plan\n"
        "Ofsted recommendation,Ref,Action\n"
        "R1,C1,First action\n"
        "R2,,\n"
        "R4,C2,Second action\n",
        encoding="utf-8",
    )
    links = exact_links(store, import_plan(store, path, dry_run=True))
    assert {ref: [k[0] for k in found] for ref, found in links.items()} == {
        "C1": ["R1", "R2"],
        "C2": ["R4"],
    }


# ----------------------------------------------------------- workbooks as councils keep them
PLAN_HEADER = ["Ref", "Action", "Lead officer", "Due date", "RAG", "Recommendation"]


def plan_sheet(sheet: Any, rows: list[list[object]], title: str = "York improvement plan") -> None:
    sheet.append([title])
    sheet.append(PLAN_HEADER)
    for row in rows:
        sheet.append(row)


def test_an_instructions_sheets_example_row_is_never_imported_in_place_of_the_plan(
    store: Store, tmp_path: Path
) -> None:
    """A cover sheet, an instructions sheet showing an example row under the plan's own
    header, the plan, and a lookup list: reading the first sheet with a header imported the
    example and dropped the plan. Two plan tables: refused, each named; sheet=NAME picks."""
    book = Workbook()
    book.active.title = "Cover"
    book.active.append(["City of York Council: improvement plan 2017/18"])
    plan_sheet(book.create_sheet("Instructions"), [["X.1", "Example: delete me", "HoS", "", "G"]])
    plan_sheet(
        book.create_sheet("Improvement Plan"),
        [
            [
                "1.1",
                "Assessment audit",
                "Head of Service (CP) \u2013 J. Smith",
                "Mar-18",
                "G",
                "R1",
            ],
            ["1.2", "Supervision audit", "PSW", "Jun-18", "A", "R9"],
        ],
    )
    lookups = book.create_sheet("Lookups")
    for letter, meaning in [("RAG", "Meaning"), ("B", "Complete"), ("G", "On track")]:
        lookups.append([letter, meaning])
    path = tmp_path / "York plan.xlsx"
    book.save(path)

    with pytest.raises(ImportFailed) as refused:
        import_plan(store, path, dry_run=True)
    assert str(refused.value).startswith(
        "York plan.xlsx has a plan table on more than one sheet: 'Instructions' (header on "
        "row 2, 1 row below it), 'Improvement Plan' (header on row 2, 2 rows below it). Say "
        "which sheet to read with "
    )
    assert list_actions(store) == []

    result = import_plan(store, path, {"sheet": "improvement plan"})
    assert result.preview.sheet == "Improvement Plan"
    assert sorted(a.ref for a in list_actions(store)) == ["1.1", "1.2"]
    with pytest.raises(ImportFailed, match="has no visible sheet named 'Plan': its sheets are"):
        import_plan(store, path, {"sheet": "Plan"}, dry_run=True)


def test_a_summary_sheet_in_front_of_the_plan_is_not_read_as_the_plan(
    store: Store, tmp_path: Path
) -> None:
    """A dashboard of counts ("Priority | Actions | Blue | Green...") on the first sheet has
    an Actions column too; the plan is the sheet whose header names an action's fields."""
    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    summary.append(["Priority", "Actions", "Blue", "Green", "Amber", "Red"])
    summary.append(["Workforce", 2, 0, 1, 1, 0])
    plan_sheet(
        book.create_sheet("Plan"),
        [["W1", "Recruit 20 social workers", "HR", "Mar-18", "G", "R8"]],
    )
    path = tmp_path / "York plan.xlsx"
    book.save(path)
    result = import_plan(store, path, dry_run=True)
    assert result.preview.sheet == "Plan"
    assert [(p.row.ref, p.row.title) for p in result.plan] == [("W1", "Recruit 20 social workers")]


def test_a_range_of_recommendations_links_every_one_in_it(store: Store, tmp_path: Path) -> None:
    """ "R1-R3" links R2 as well; "Rec 2-4" and "Recs 6 to 8" every number between. A spaced
    dash ("Rec 3 - 12 months") is no range."""
    path = tmp_path / "York plan.csv"
    path.write_text(
        "York improvement plan\n"
        "Ref,Action,Recommendation\n"
        "A1,First,R1-R3\n"
        "A2,Second,Rec 2\u20134\n"
        "A3,Third,Recs 6 to 8\n"
        "A4,Fourth,Rec 3 - 12 months\n",
        encoding="utf-8",
    )
    links = exact_links(store, import_plan(store, path, dry_run=True))
    assert links == {
        "A1": [("R1", "York", "by reference 'R1-R3'"), ("R2", "York", "by reference 'R1-R3'"),
               ("R3", "York", "by reference 'R1-R3'")],
        "A2": [("R2", "York", "by reference 'Rec 2\u20134'"),
               ("R3", "York", "by reference 'Rec 2\u20134'"),
               ("R4", "York", "by reference 'Rec 2\u20134'")],
        "A3": [("R6", "York", "by reference 'Recs 6 to 8'"),
               ("R7", "York", "by reference 'Recs 6 to 8'"),
               ("R8", "York", "by reference 'Recs 6 to 8'")],
        "A4": [("R3", "York", "by reference 'Rec 3'")],
    }  # fmt: skip


def test_two_header_rows_with_an_update_per_period_read_the_latest_period(
    store: Store, tmp_path: Path
) -> None:
    """ "November 2017 update" and "January 2018 update" merged over "RAG | Commentary"
    each: the latest period's RAG and note are imported (the note dated by it), wherever
    that period's columns are, and the lead is told which columns were left."""
    for latest_first in (False, True):
        book = Workbook()
        sheet = book.active
        sheet.append(["York improvement plan"])
        periods = ["November 2017 update", "January 2018 update"]
        old, new = ["A", "Nov: scoping"], ["G", "Jan: 17 recruited"]
        if latest_first:
            periods, old, new = periods[::-1], new, old
        sheet.append(["Ref", "Action", "Lead", "Recommendation", periods[0], "", periods[1]])
        sheet.append(["", "", "", "", "RAG", "Commentary", "RAG", "Commentary"])
        sheet.append(["W1", "Recruit social workers", "HR", "R8", *old, *new])
        for column in "ABCD":
            sheet.merge_cells(f"{column}2:{column}3")
        sheet.merge_cells("E2:F2")
        sheet.merge_cells("G2:H2")
        path = tmp_path / "York plan.xlsx"
        book.save(path)
        result = import_plan(store, path, dry_run=True)
        row = result.plan[0].row
        assert (row.brag, row.progress) == ("green", "Jan: 17 recruited")
        assert (row.progress_date, row.progress_dated_by) == (
            date(2018, 1, 31),
            "the column header",
        )
        assert sorted(result.preview.ignored_columns) == [
            "Commentary November 2017 update",
            "RAG November 2017 update",
        ]


def test_a_rag_cell_coloured_from_the_palettes_theme_or_old_colours_is_read(
    store: Store, tmp_path: Path
) -> None:
    """Excel's palette fills a cell with a theme colour (and a tint), a file once saved
    as .xls with an old indexed colour: the RAG they show is read, not lost."""
    book = Workbook()
    sheet = book.active
    plan_sheet(sheet, [[f"A{n}", f"Action {n}", "HoS", "Mar-18", None, "R1"] for n in range(1, 6)])
    fills = [
        Color(theme=9),  # accent 6 of the Office theme the workbook carries: orange
        Color(theme=5, tint=0.4),  # accent 2 (red), lighter 40%
        Color(theme=6, tint=-0.25),  # accent 3 (green), darker 25%
        Color(indexed=10),  # the old palette's red
        Color(rgb="FFD9D9D9"),  # grey: no status
    ]
    for number, colour in enumerate(fills, 3):
        sheet.cell(number, 5).fill = PatternFill("solid", fgColor=colour)
    path = tmp_path / "York plan.xlsx"
    book.save(path)
    result = import_plan(store, path, dry_run=True)
    assert [p.row.brag for p in result.plan] == ["amber", "red", "green", "red", None]


def test_bulleted_and_update_headed_notes_are_dated_by_their_latest_line(tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_text(
        "Ref,Action,Progress update\n"
        'A1,First,"\u2022 14 Nov 2017 - first panel\n\u2022 14 December 2017 \u2013 second"\n'
        'A2,Second,"Nov 17 update: protocol drafted\nJan 18 update: signed off"\n',
        encoding="utf-8",
    )
    rows = read_plan(path).actions
    assert [(r.progress_date, r.progress_dated_by) for r in rows] == [
        (date(2017, 12, 14), "the note"),
        (date(2018, 1, 1), "the note"),
    ]


def test_a_header_repeated_below_and_a_rag_key_are_not_actions(
    store: Store, tmp_path: Path
) -> None:
    """Two tables pasted one under the other repeat the header; a key to the RAG letters
    sits under the plan. Neither is an action: the header row was imported as the action
    'Action' and the key as one owned by 'G = On track'."""
    path = tmp_path / "York plan.csv"
    path.write_text(
        "York improvement plan\n"
        "Ref,Action,Lead officer,Recommendation No.\n"
        "1,Assessment audit,HoS,3\n"
        "Completed actions,,,\n"
        "Ref,Action,Lead officer,Recommendation No.\n"
        "2,Case recording standards,PSW,6\n"
        ",,,\n"
        "Key:,B = Complete,G = On track,A = At risk\n"
        '"RAG key: B = Complete, G = On track, A = At risk, R = Off track",,,\n'
        # Lettered steps look like a key but their words are no status: an action still.
        "3,a - Review thresholds,b - Agree protocol,\n",
        encoding="utf-8",
    )
    result = import_plan(store, path, dry_run=True)
    assert result.problems == []
    assert [(p.row.row, p.row.ref, p.row.title) for p in result.plan] == [
        (3, "1", "Assessment audit"),
        (6, "2", "Case recording standards"),
        (10, "3", "a - Review thresholds"),
    ]
    # "Recommendation No." is the findings column, its bare numbers refs.
    assert result.preview.columns["findings"] == "Recommendation No."
    assert {ref: [k[0] for k in found] for ref, found in exact_links(store, result).items()} == {
        "1": ["R3"],
        "2": ["R6"],
        "3": [],
    }


@pytest.mark.parametrize(
    "header", ["Ofsted Recommendation No.", "Link to Ofsted recommendation", "Which finding?"]
)
def test_a_findings_column_named_in_other_words_is_still_read(
    store: Store, tmp_path: Path, header: str
) -> None:
    path = tmp_path / "York plan.csv"
    path.write_text(
        f"York improvement plan\nRef,Action,Owner,{header}\nA1,Assessment audit,HoS,Rec 3\n",
        encoding="utf-8",
    )
    result = import_plan(store, path, dry_run=True)
    assert exact_links(store, result) == {"A1": [("R3", "York", "by reference 'Rec 3'")]}


def test_a_plan_kept_as_a_tab_per_priority_is_imported_tab_by_tab_only_with_unique_refs(
    store: Store, tmp_path: Path
) -> None:
    """Read alone, the first tab dropped the others' actions without a word. Refused, the
    lead imports each tab in turn; unless the tabs number their actions afresh (1, 2 on
    each), when one tab would update the other's actions: then the refusal says so."""

    def workbook(refs: list[str]) -> Path:
        book = Workbook()
        book.remove(book.active)
        for tab, ref in zip(["Workforce", "Practice"], refs, strict=True):
            plan_sheet(book.create_sheet(tab), [[ref, f"{tab} action", "HoS", "Mar-18", "G"]])
        path = tmp_path / "York plan.xlsx"
        book.save(path)
        return path

    with pytest.raises(ImportFailed, match=r"the sheets share refs \(1\): copies of one plan\? "):
        import_plan(store, workbook(["1", "1"]), dry_run=True)
    path = workbook(["W1", "P1"])
    with pytest.raises(ImportFailed, match=r"\(a plan split over several sheets is imported "):
        import_plan(store, path, dry_run=True)
    for tab in ("Workforce", "Practice"):
        import_plan(store, path, {"sheet": tab})
    assert sorted((a.ref, a.title) for a in list_actions(store)) == [
        ("P1", "Practice action"),
        ("W1", "Workforce action"),
    ]


def test_two_actions_of_one_title_and_no_ref_are_refused_not_merged(
    store: Store, tmp_path: Path
) -> None:
    """Without refs an action is found again by its title. Two "Dip sample audit" rows
    (one per theme) were both imported, then the next import updated one action from both
    rows: the other kept stale values, the one took both links. Refused, row named."""
    path = tmp_path / "York plan.csv"
    path.write_text(
        "York improvement plan\n"
        "Theme,Action,Owner,Recommendation\n"
        "Front door,Dip sample audit,HoS MASH,R3\n"
        "Care leavers,Dip sample audit,HoS Leaving care,R6\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed, match="row 4: action 'Dip sample audit' is also on row 3"):
        import_plan(store, path)
    assert list_actions(store) == []

    # Two of that title already in the store (added by hand): the row is not matched to either.
    from store import create_action

    for owner in ("HoS MASH", "HoS Leaving care"):
        create_action(store, title="Dip sample audit", owner=owner)
    path.write_text("Action,Owner,Recommendation\nDip sample audit,HoS MASH,R3\n", encoding="utf-8")
    result = import_plan(store, path, dry_run=True)
    assert [(p.row, p.reason) for p in result.problems] == [
        (2, "2 actions in the store are called 'Dip sample audit' (A1, A2) and the row has "
            "no ref: give it the ref of the one it is"),
    ]  # fmt: skip


def test_as_above_in_the_findings_column_means_the_findings_of_the_action_above(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "York plan.csv"
    path.write_text(
        "York improvement plan\n"
        "Ref,Action,Ofsted recommendation\n"
        "1,Assessment audit,Recommendation 3\n"
        "2,Training,As above\n"
        "3,Clinic,Ditto\n"
        "Theme 2: Front door\n"
        "4,Panel,see above\n",  # under a heading: the row above is no action of its group
        encoding="utf-8",
    )
    result = import_plan(store, path, dry_run=True)
    assert exact_links(store, result) == {
        "1": [("R3", "York", "by reference 'Recommendation 3'")],
        "2": [("R3", "York", "by reference 'Recommendation 3'; 'As above': same as row 3 above")],
        "3": [("R3", "York", "by reference 'Recommendation 3'; 'Ditto': same as row 4 above")],
        "4": [],
    }


def test_a_recommendation_across_the_sheet_in_bold_is_what_the_actions_below_answer(
    store: Store, tmp_path: Path
) -> None:
    """Bold rows across the sheet read as theme headings, so "Recommendation 3: Improve..."
    became a theme of that name and its actions were linked to nothing."""
    book = Workbook()
    sheet = book.active
    sheet.append(["York improvement plan"])
    sheet.append(["Ref", "Action", "Owner"])
    for values in (
        ["Recommendation 3: Ensure that plans are updated when children's needs change"],
        ["3.1", "Care plan triggers", "HoS"],
        ["3.2", "Care plan audit", "QA"],
        ["Theme 2: Front door"],
        ["4.1", "Threshold review", "HoS"],
    ):
        sheet.append(values)
        if len(values) == 1:
            sheet.cell(sheet.max_row, 1).font = Font(bold=True)
            sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row,
                              end_column=3)  # fmt: skip
    path = tmp_path / "York plan.xlsx"
    book.save(path)
    result = import_plan(store, path, dry_run=True)
    under = "by reference 'Recommendation 3'; under the recommendation in row 3"
    assert exact_links(store, result) == {
        "3.1": [("R3", "York", under)],
        "3.2": [("R3", "York", under)],
        "4.1": [],
    }
    assert [(row, theme) for row, _, theme, _ in result.headings] == [(6, "Front door and MASH")]
    assert [p.theme for p in result.plan] == ["", "", "Front door and MASH"]


def test_a_utf16_csv_is_read_not_called_a_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_bytes(
        "Ref\tAction\tOwner\n1\tAudit \u2013 \u201cquality\u201d\tHoS\n".encode("utf-16")
    )
    assert [(r.ref, r.title) for r in read_plan(path).actions] == [
        ("1", "Audit \u2013 \u201cquality\u201d")
    ]


def test_an_action_column_of_numbers_beside_the_description_is_the_ref(tmp_path: Path) -> None:
    """ "Action | Action description": the numbers are the refs, the description the action
    (not actions called "1" and "2"). With a Ref column too, nothing is swapped."""
    path = tmp_path / "plan.csv"
    path.write_text(
        "Action,Action description,Lead\n1,Audit 50 assessments,HoS\n2.1,Relaunch policy,PSW\n",
        encoding="utf-8",
    )
    preview = read_plan(path)
    assert [(r.ref, r.title) for r in preview.actions] == [
        ("1", "Audit 50 assessments"),
        ("2.1", "Relaunch policy"),
    ]
    assert (preview.columns["ref"], preview.columns["title"]) == ("Action", "Action description")
    path.write_text("Ref,Action,Action description\nA1,2,Audit\n", encoding="utf-8")
    assert [(r.ref, r.title) for r in read_plan(path).actions] == [("A1", "2")]


def test_a_ref_said_to_be_another_reviews_is_not_linked_to_the_reports_finding_of_that_number(
    store: Store, tmp_path: Path
) -> None:
    """A plan answering a JTAI, a peer review or a focused visit as well numbers their
    recommendations too: "JTAI rec 3" is not the inspection report's R3 (it was linked to
    it). The lead is told; an action's own "(Rec 3)" after "Audit" is still the report's."""
    path = tmp_path / "York plan.csv"
    path.write_text(
        "York improvement plan\n"
        "Ref,Action,Recommendation\n"
        "1,Multi-agency audit,JTAI rec 3\n"
        '2,Peer review actions,"Peer review R2, Rec 5"\n'
        "3,Audit of assessments (Rec 4),\n",
        encoding="utf-8",
    )
    result = import_plan(store, path, dry_run=True)
    assert {ref: [k[0] for k in found] for ref, found in exact_links(store, result).items()} == {
        "1": [],
        "2": ["R5"],
        "3": ["R4"],
    }
    source = "York SIF inspection November 2016"
    assert [(w.row, w.reason) for w in result.warnings] == [
        (3, f"'JTAI rec 3' is from a JTAI, not from {source}: not linked (link it by hand)"),
        (4, f"'peer review R2' is from a peer review, not from {source}: not linked (link it "
            "by hand)"),
    ]  # fmt: skip


def test_a_financial_quarter_with_a_two_digit_year_is_read(tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_text(
        "Ref,Action,Due\n1,First,Q3 25/26\n2,Second,Q4 FY25/26\n3,Third,Q3 25/27\n",
        encoding="utf-8",
    )
    preview = read_plan(path)
    assert [(r.ref, r.due_date, r.due_note) for r in preview.actions] == [
        ("1", date(2025, 12, 31), "'Q3 25/26' read as 31 Dec 2025"),
        ("2", date(2026, 3, 31), "'Q4 FY25/26' read as 31 Mar 2026"),
    ]
    assert [p.row for p in preview.problems] == [4]  # "25/27" is no financial year


def test_a_ref_excel_turned_into_a_number_is_refused_saying_why(tmp_path: Path) -> None:
    """1.10 typed in a General cell is the number 1.1: it clashes with the real 1.1."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Ref", "Action"])
    for ref, title in ((1.1, "First"), (1.2, "Second"), (1.10, "Tenth")):
        sheet.append([ref, title])
    sheet.cell(4, 1).number_format = "0.00"  # the cell shows 1.10
    path = tmp_path / "plan.xlsx"
    book.save(path)
    assert read_plan(path).problems == [
        Problem(4, "ref '1.1' is also used on row 2 (a ref typed as a number loses its last "
                   "0: 1.10 is kept as 1.1; format the Ref column as Text and type the refs "
                   "again)"),
    ]  # fmt: skip


def test_hidden_and_struck_through_rows_are_imported_and_said_and_a_hidden_rag_is_not_read(
    store: Store, tmp_path: Path
) -> None:
    """Last year's RAG column hidden to the left of this year's: the visible one is read
    (the hidden one was, being leftmost). A hidden row and a struck-through row are
    imported (nothing lost) and the dry run says so: they are often actions dropped."""
    book = Workbook()
    sheet = book.active
    sheet.append(["York improvement plan"])
    sheet.append(["Ref", "Action", "RAG", "RAG", "Owner"])
    sheet.append(["A1", "Assessment audit", "R", "G", "HoS"])
    sheet.append(["A2", "Dropped action", "A", "B", "PSW"])
    sheet.append(["A3", "Old action", "A", "A", "QA"])
    sheet.column_dimensions["C"].hidden = True
    sheet.row_dimensions[4].hidden = True
    for cell in sheet[5]:
        cell.font = Font(strike=True)
    path = tmp_path / "York plan.xlsx"
    book.save(path)
    result = import_plan(store, path, dry_run=True)
    assert [(p.row.ref, p.row.brag) for p in result.plan] == [
        ("A1", "green"),
        ("A2", "blue"),
        ("A3", "amber"),
    ]
    assert result.preview.ignored_columns == ["Hidden column: RAG"]
    dropped = "in the sheet: imported all the same (delete the row if the action was dropped)"
    assert [(w.row, w.reason) for w in result.warnings if "the row is" in w.reason] == [
        (4, f"the row is hidden {dropped}"),
        (5, f"the row is struck through {dropped}"),
    ]


def test_dates_as_excel_shows_them_in_a_saved_csv_are_read(tmp_path: Path) -> None:
    """Excel's own date format, "31-Mar-26", is what a CSV saved from it holds: in the Due
    and Updated columns and at the head of a note (all three were refused or undated)."""
    path = tmp_path / "plan.csv"
    path.write_text(
        "Ref,Action,Due,Updated,Progress update\n"
        "1,First,31-Mar-26,02-Jan-2026,Audit done\n"
        '2,Second,1 Sep 26,,"31-Dec-25: started\n02-Jan-26 - panel held"\n',
        encoding="utf-8",
    )
    preview = read_plan(path)
    assert preview.problems == []
    assert [(r.due_date, r.progress_date, r.progress_dated_by) for r in preview.actions] == [
        (date(2026, 3, 31), date(2026, 1, 2), "the Updated column"),
        (date(2026, 9, 1), date(2026, 1, 2), "the note"),
    ]


@pytest.mark.parametrize("layout", ["csv", "merged", "dates newest first"])
def test_a_rag_header_over_a_column_a_month_reads_the_latest_month(
    tmp_path: Path, layout: str
) -> None:
    """ "RAG rating" over "Dec 17 | Jan 18 | Feb 18" (merged across them in the workbook):
    the first month's RAG was read as the action's BRAG, and in a workbook the row of
    months, its cells merged down from the header, became an action called 'Action'."""
    months: list[object] = ["Nov 17", "Dec 17", "Jan 18"]
    rags = ["R", "A", "G"]
    if layout == "dates newest first":
        months = [datetime(2018, 1, 1), datetime(2017, 12, 1), datetime(2017, 11, 1)]
        rags = rags[::-1]
    rows: list[list[object]] = [
        ["Ref", "Action", "Lead", "RAG rating", "", "", "Recommendation"],
        ["", "", "", *months, ""],
        ["1", "Recruit social workers", "HR", *rags, "R8"],
    ]
    if layout == "csv":
        path = tmp_path / "plan.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
    else:
        book = Workbook()
        for values in rows:
            book.active.append(values)
        for column in "ABCG":
            book.active.merge_cells(f"{column}1:{column}2")
        book.active.merge_cells("D1:F1")
        path = tmp_path / "plan.xlsx"
        book.save(path)
    preview = read_plan(path)
    assert preview.problems == []
    assert [(r.ref, r.brag) for r in preview.actions] == [("1", "green")]
    latest, *older = ["Jan 18", "Dec 17", "Nov 17"]
    if layout == "dates newest first":
        latest, older = "Jan 2018", ["Dec 2017", "Nov 2017"]
    assert preview.columns["brag"] == f"RAG rating {latest}"
    assert sorted(preview.ignored_columns) == sorted(f"RAG rating {m}" for m in older)


def test_a_first_row_with_no_action_text_is_refused_not_taken_for_a_second_header(
    tmp_path: Path,
) -> None:
    """Short cells right under the header are a second header only under a group (a header
    cell merged across blank ones); an owner, a date and a RAG under their own headers are
    an action whose text is missing (the row was skipped without a word)."""
    path = tmp_path / "plan.csv"
    path.write_text(
        "Ref,Action,Lead,Due,RAG\n,,HoS,Mar-26,G\n1,Audit,PSW,Jun-26,A\n", encoding="utf-8"
    )
    assert read_plan(path).problems == [
        Problem(2, "has no action text (the Action column is empty)")
    ]
    path.write_text("Ref,Action,Owner,,RAG\n,,Lead,Support,\n1,Audit,PSW,QA,A\n", encoding="utf-8")
    preview = read_plan(path)
    assert (preview.problems, [a.owner for a in preview.actions]) == ([], ["PSW"])


def test_a_rag_as_a_coloured_mark_is_read_and_na_is_no_rating_not_amber(tmp_path: Path) -> None:
    """A SharePoint or Teams list exported to Excel shows its status as a coloured mark
    (read as nothing before); "N/A" was read as the A of Amber; a mark we do not know is
    refused, not dropped."""
    path = tmp_path / "plan.csv"
    path.write_text(
        "Ref,Action,RAG\n"
        "1,First,\U0001f7e2\n2,Second,\U0001f534\n3,Third,\u2705\n4,Fourth,N/A\n5,Fifth,-\n"
        "6,Sixth,\u26ab\n",
        encoding="utf-8",
    )
    preview = read_plan(path)
    assert [(r.ref, r.brag) for r in preview.actions] == [
        ("1", "green"),
        ("2", "red"),
        ("3", "blue"),
        ("4", None),
        ("5", None),
    ]
    assert preview.problems == [
        Problem(7, "BRAG '\u26ab' is not Blue, Green, Amber or Red"),
    ]


def test_a_status_said_with_not_or_partly_is_refused_never_read_as_that_status(
    tmp_path: Path,
) -> None:
    """'Not complete', 'Partially complete' and 'Not done' were read as Blue (complete),
    'Not green' as Green. The known phrases ('Not on track', 'Partially met') still read."""
    path = tmp_path / "plan.csv"
    path.write_text(
        "Ref,Action,Status\n1,A,Not complete\n2,B,Partially complete\n3,C,Not done\n"
        "4,D,Not green\n5,E,Not on track - see note\n6,F,Partially met\n",
        encoding="utf-8",
    )
    preview = read_plan(path)
    assert [(r.ref, r.brag) for r in preview.actions] == [("5", "red"), ("6", "amber")]
    said = "says what the action is not, or only partly: write Blue, Green, Amber or Red"
    assert preview.problems == [
        Problem(2, f"BRAG 'Not complete' {said}"),
        Problem(3, f"BRAG 'Partially complete' {said}"),
        Problem(4, f"BRAG 'Not done' {said}"),
        Problem(5, f"BRAG 'Not green' {said}"),
    ]


def test_a_ref_merged_over_several_actions_is_refused_saying_so(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Ref", "Action", "Lead"])
    for title in ("Audit", "Training"):
        sheet.append(["1" if title == "Audit" else "", title, "HoS"])
    sheet.merge_cells("A2:A3")
    path = tmp_path / "plan.xlsx"
    book.save(path)
    assert read_plan(path).problems == [
        Problem(3, "ref '1' is also used on row 2 (the Ref cell is merged over rows 2\u20133: "
                   "unmerge it and give each action its own ref, such as 1.1, 1.2)"),
    ]  # fmt: skip


def test_a_title_edited_in_a_plan_without_refs_is_said_to_make_a_second_action(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "York plan.csv"
    path.write_text(
        "Action,Owner\nWeekly assessment performance clinic,HoS\nSupervision audit,PSW\n",
        encoding="utf-8",
    )
    import_plan(store, path)
    path.write_text(
        "Action,Owner\nWeekly assessment performance clinics,HoS\nSupervision audit,PSW\n"
        "Recruit ten social workers,HR\n",
        encoding="utf-8",
    )
    result = import_plan(store, path, dry_run=True)
    assert [(p.row.title, p.status) for p in result.plan] == [
        ("Weekly assessment performance clinics", "new"),
        ("Supervision audit", "unchanged"),
        ("Recruit ten social workers", "new"),
    ]
    assert [(w.row, w.reason) for w in result.warnings] == [
        (2, "a new action, but A1 'Weekly assessment performance clinic' is nearly the same: "
            "if its title was edited in the sheet, both will be kept (give the rows refs so "
            "an edited title is matched)"),
    ]  # fmt: skip


def test_columns_councils_name_their_own_way_are_read_as_what_they_hold(
    tmp_path: Path,
) -> None:
    """ "Target end date" held the deadlines but was read as the success measure (its first
    word), so every due date was lost into it; "Current position" is the progress note
    (it was not imported); a "Priority (H/M/L)" column made themes called H, M and L."""
    path = tmp_path / "plan.csv"
    path.write_text(
        "Priority (H/M/L),Ref,Action,Target end date,Current position,Target\n"
        "Theme 1: Workforce\n"  # a heading in the Priority column is still a heading
        "H,1,Recruit social workers,31/03/2026,12 recruited,Vacancy rate 15%\n"
        "L,2,Supervision audit,Jun-26,Audit planned,90% in timescale\n",
        encoding="utf-8",
    )
    preview = read_plan(path)
    assert preview.columns == {
        "ref": "Ref",
        "title": "Action",
        "due_date": "Target end date",
        "progress": "Current position",
        "success_measure": "Target",
    }
    assert preview.ignored_columns == ["Priority (H/M/L)"]
    assert [(r.due_date, r.progress, r.theme) for r in preview.actions] == [
        (date(2026, 3, 31), "12 recruited", "Workforce"),
        (date(2026, 6, 30), "Audit planned", "Workforce"),
    ]


def test_a_plan_asking_questions_in_its_header_is_read_column_by_column(tmp_path: Path) -> None:
    """ "Action lead" was read as an Action column (and left out), "How will we measure
    success?" as the description, "Overall RAG" not at all."""
    path = tmp_path / "plan.csv"
    path.write_text(
        "Ref,What are we going to do?,Action lead,How will we measure success?,Overall RAG\n"
        "1,Recruit social workers,Head of Workforce,Vacancy rate below 15%,G\n",
        encoding="utf-8",
    )
    preview = read_plan(path)
    assert preview.ignored_columns == []
    row = preview.actions[0]
    assert (row.title, row.owner, row.success_measure, row.description, row.brag) == (
        "Recruit social workers",
        "Head of Workforce",
        "Vacancy rate below 15%",
        "",
        "green",
    )


def test_a_plan_over_many_formatted_empty_rows_is_refused_saying_they_count(
    tmp_path: Path,
) -> None:
    """Borders drawn down to row 50,000 and beyond make rows that are empty but there: the
    refusal says so, or the lead, with a plan of 80 rows, cannot see why."""
    from openpyxl.styles import Border, Side

    book = Workbook()
    sheet = book.active
    sheet.append(["Ref", "Action", "Owner"])
    sheet.append(["1", "Audit", "HoS"])
    for number in range(3, 50_003):
        sheet.cell(number, 1).border = Border(bottom=Side(style="thin"))
    path = tmp_path / "plan.xlsx"
    book.save(path)
    with pytest.raises(ImportFailed, match=r"counting empty rows that have formatting"):
        read_plan(path)


def test_an_action_cell_saying_as_above_is_refused_not_imported_as_an_action(
    tmp_path: Path,
) -> None:
    path = tmp_path / "plan.csv"
    path.write_text(
        "Ref,Action,Owner,Due\n1,Audit assessments,HoS,Mar-26\n2,As above,PSW,Jun-26\n",
        encoding="utf-8",
    )
    preview = read_plan(path)
    assert [r.title for r in preview.actions] == ["Audit assessments"]
    assert preview.problems == [
        Problem(3, "the Action cell says 'As above': write the action out (or merge the "
                   "cells if it is the action above)"),
    ]  # fmt: skip


def test_a_date_excel_kept_as_a_number_is_refused_showing_the_date_it_would_be(
    tmp_path: Path,
) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Ref", "Action", "Due", "Updated", "Progress"])
    sheet.append(["1", "Audit", 46112, 46100, "Started"])  # General-format cells
    path = tmp_path / "plan.xlsx"
    book.save(path)
    how = "this way when the cell is not formatted as a date: format it as a date, or type the date"
    assert read_plan(path).problems == [
        Problem(2, f"due '46112' is a number, not a date (Excel shows 31/03/2026 {how})"),
        Problem(2, f"update date '46100' is not a date (Excel shows 19/03/2026 {how})"),
    ]


@pytest.mark.parametrize("header", ["Ofsted area for improvement", "AFI ref", "Linked AFI"])
def test_an_areas_for_improvement_column_is_the_findings_column(
    tmp_path: Path, header: str
) -> None:
    """An ILACS report's findings are areas for improvement; the plan's column said so
    and was not read, so no action was linked."""
    path = tmp_path / "plan.csv"
    path.write_text(f"Ref,{header},Action\n1,AFI 3,Audit\n", encoding="utf-8")
    preview = read_plan(path)
    assert preview.columns["findings"] == header
    assert preview.actions[0].finding_refs == ("AFI3",)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("What needs to improve?", "findings"),  # the ILACS report's own heading for them
        ("Areas for development", "findings"),
        ("Recs", "findings"),
        ("Reference number", "ref"),
        ("Timeframe", "due_date"),
        ("Completion deadline", "due_date"),
    ],
)
def test_more_headers_councils_use_name_their_field(header: str, field: str) -> None:
    """Each was read as the action ('What needs to improve?'), a theme ('Area for...') or
    not at all, losing the links, refs or deadlines under it."""
    from store.importers.plan_columns import field_for_header

    found = field_for_header(header)
    assert found is not None and found[0] == field


def test_what_needs_to_improve_beside_how_we_will_do_it_is_finding_and_action(
    tmp_path: Path,
) -> None:
    path = tmp_path / "plan.csv"
    path.write_text(
        "What needs to improve,How we will do it,Who,When\n"
        "AFI 3: assessments of risk,Weekly assessment clinic,HoS,Mar-26\n",
        encoding="utf-8",
    )
    preview = read_plan(path)
    assert (preview.columns["findings"], preview.columns["title"]) == (
        "What needs to improve",
        "How we will do it",
    )
    assert [(r.title, r.finding_refs) for r in preview.actions] == [
        ("Weekly assessment clinic", ("AFI3",))
    ]
