"""A QA lead points visitprep at the shared-drive export of the evidence folder.

Every document becomes an evidence item; a second scan adds only what is new; a file
that has gone since the last scan becomes a "missing evidence" gap (nothing is deleted);
when it comes back the gap closes. A file moved or renamed keeps its item, links and ticks;
two files that could each be it are never guessed between.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

import _cli
import pytest

from store import (
    Store,
    build_pack,
    count_evidence,
    create_action,
    create_evidence,
    create_finding,
    create_visit,
    find_gaps,
    get_evidence,
    link,
    list_evidence,
    open_store,
    set_evidence_ready,
    update_evidence,
)
from store.errors import ImportFailed
from store.importers.evidence_folder import (
    date_in_name,
    guess_kind,
    scan_evidence_folder,
    title_from_name,
)

BIN = Path(sys.executable).parent / "visitprep"
NOBODY = 65534  # the unprivileged user every Linux has
SAVED = datetime(2017, 12, 1, 12, 0).timestamp()  # when the files were last saved


def put(folder: Path, relative: str, text: str = "x", saved: float = SAVED) -> Path:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    os.utime(path, (saved, saved))
    return path


@pytest.fixture
def shared_drive(tmp_path: Path) -> Path:
    """An export of the improvement team's evidence folder, clutter and all."""
    root = tmp_path / "Evidence (Ofsted MV3)"
    put(root, "Front door/2017-11_MASH_audit_v2_FINAL.docx")
    put(root, "Front door/MASH KPI dashboard Dec17.xlsx")
    put(root, "Front door/Threshold document (final).pdf")
    put(root, "Governance/Improvement Board minutes 14 Dec 2017.docx")
    put(root, "Governance/Improvement plan tracker.xlsx")
    put(root, "Workforce/ASYE training attendance.xlsx")
    put(root, "Children's views survey.pdf")
    put(root, "Front door/~$MASH KPI dashboard Dec17.xlsx")  # Excel's lock file
    put(root, ".hidden notes.txt")
    put(root, ".git/config")
    put(root, "Governance/Thumbs.db")
    return root


def titles(store: Store) -> dict[str, tuple[str, date | None]]:
    return {e.title: (e.kind, e.as_of) for e in list_evidence(store)}


def test_each_document_becomes_an_evidence_item(store: Store, shared_drive: Path) -> None:
    result = scan_evidence_folder(store, shared_drive)
    assert len(result.new) == 7 and result.known == 0 and result.skipped == []
    assert titles(store) == {
        "MASH audit": ("audit", date(2017, 11, 30)),  # the date in the name
        "MASH KPI dashboard": ("performance data", date(2017, 12, 31)),
        "Threshold document": ("policy", date(2017, 12, 1)),  # the file's own date
        "Improvement Board minutes": ("minutes", date(2017, 12, 14)),
        "Improvement plan tracker": ("tracker", date(2017, 12, 1)),
        "ASYE training attendance": ("training", date(2017, 12, 1)),
        "Children's views survey": ("feedback", date(2017, 12, 1)),
    }
    audit = list_evidence(store, text="MASH audit")[0]
    assert audit.location == str(shared_drive / "Front door" / "2017-11_MASH_audit_v2_FINAL.docx")
    assert Path(audit.location).is_absolute()


def test_two_drafts_of_one_report_keep_their_versions_as_written(
    store: Store, tmp_path: Path
) -> None:
    # The lead must tell the second draft from the third in the pack: "(DRAFT)" twice would
    # pass one off as the other.
    put(tmp_path / "Evidence", "Audit report (DRAFT v2).docx")
    put(tmp_path / "Evidence", "Audit report (DRAFT v3).docx")
    scan_evidence_folder(store, tmp_path / "Evidence")
    assert sorted(e.title for e in list_evidence(store)) == [
        "Audit report (DRAFT v2)",
        "Audit report (DRAFT v3)",
    ]


def test_a_case_sample_is_marked_as_holding_personal_data(store: Store, tmp_path: Path) -> None:
    put(tmp_path / "Evidence", "CP dip sample Jan 18.xlsx")
    put(tmp_path / "Evidence", "Practice standards.pdf")
    scan_evidence_folder(store, tmp_path / "Evidence")
    flags = {e.title: (e.kind, e.personal_data) for e in list_evidence(store)}
    assert flags == {
        "CP dip sample": ("case sample", True),
        "Practice standards": ("policy", False),
    }


def test_a_second_scan_adds_only_what_is_new(store: Store, shared_drive: Path) -> None:
    scan_evidence_folder(store, shared_drive)
    before = list_evidence(store)
    put(shared_drive, "Workforce/Caseload tracker 2018-01-15.xlsx")
    again = scan_evidence_folder(store, shared_drive)
    assert [f.title for f in again.new] == ["Caseload tracker"]
    assert again.known == 7 and again.missing == []
    assert count_evidence(store) == 8
    assert all(e in list_evidence(store) for e in before)


def test_a_file_that_has_gone_is_a_gap_until_it_comes_back(
    store: Store, shared_drive: Path, tmp_path: Path
) -> None:
    scan_evidence_folder(store, shared_drive)
    minutes = shared_drive / "Governance" / "Improvement Board minutes 14 Dec 2017.docx"
    kept = tmp_path / "kept.docx"
    minutes.rename(kept)

    result = scan_evidence_folder(store, shared_drive)
    [gone] = result.missing
    assert gone.title == "Improvement Board minutes"
    item = get_evidence(store, gone.id)  # never deleted
    assert item.missing_since == store.today
    gaps = [g for g in find_gaps(store) if g.kind == "missing"]
    assert [(g.record_id, g.detail) for g in gaps] == [
        (gone.id, "The file was not found by the folder scan of 20 Jan 2018.")
    ]

    still = scan_evidence_folder(store, shared_drive)
    assert still.missing == [] and [e.id for e in still.still_missing] == [gone.id]
    assert get_evidence(store, gone.id).missing_since == store.today

    kept.rename(minutes)
    back = scan_evidence_folder(store, shared_drive)
    assert [e.id for e in back.returned] == [gone.id]
    assert get_evidence(store, gone.id).missing_since is None
    assert [g for g in find_gaps(store) if g.kind == "missing"] == []
    assert count_evidence(store) == 7


def test_a_file_saved_again_moves_its_as_of_date_forward(store: Store, shared_drive: Path) -> None:
    scan_evidence_folder(store, shared_drive)
    tracker = shared_drive / "Governance" / "Improvement plan tracker.xlsx"
    later = datetime(2018, 1, 16, 12, 0).timestamp()
    os.utime(tracker, (later, later))
    result = scan_evidence_folder(store, shared_drive)
    assert [e.title for e in result.refreshed] == ["Improvement plan tracker"]
    assert titles(store)["Improvement plan tracker"] == ("tracker", date(2018, 1, 16))


def ready_ids(store: Store, visit_id: int) -> set[int]:
    """The evidence ticked ready in the visit's pack."""
    pack = build_pack(store, visit_id)
    return {
        e.evidence.id
        for theme in pack.themes
        for finding in theme.findings
        for e in (*finding.evidence, *(x for a in finding.actions for x in a.evidence))
        if e.ready
    }


def test_a_renamed_audit_moved_into_a_subfolder_keeps_its_links_and_tick(
    store: Store, shared_drive: Path
) -> None:
    scan_evidence_folder(store, shared_drive)
    [audit] = list_evidence(store, text="MASH audit")
    finding = create_finding(store, ref="R1", title="MASH decisions", theme="Front door and MASH")
    action = create_action(store, ref="1.1", title="MASH audit programme", finding_ids=[finding.id])
    link(store, "action", action.id, "evidence", audit.id)
    link(store, "finding", finding.id, "evidence", audit.id)
    update_evidence(
        store, audit.id, title="MASH audit (Nov 2017)", impact="Thresholds applied in 92%."
    )
    visit = create_visit(
        store, title="MV3", start_date="30/1/2018", focus_themes=["Front door and MASH"]
    )
    set_evidence_ready(store, visit.id, audit.id)

    old = Path(audit.location)
    new = shared_drive / "Front door" / "Audits" / "2017-11 MASH audit FINAL.docx"
    new.parent.mkdir()
    old.rename(new)
    result = scan_evidence_folder(store, shared_drive)

    [move] = result.moved
    assert (move.item.id, move.item.location, move.path) == (audit.id, str(old), str(new))
    assert result.new == [] and result.missing == [] and result.not_paired == []
    assert result.known == 6
    item = get_evidence(store, audit.id)
    assert item.location == str(new)
    assert (item.title, item.impact, item.kind) == (
        "MASH audit (Nov 2017)",
        "Thresholds applied in 92%.",
        "audit",
    )
    assert (item.action_count, item.finding_count, item.missing_since) == (1, 1, None)
    assert ready_ids(store, visit.id) == {audit.id}
    assert [g for g in find_gaps(store) if g.kind == "missing"] == []
    assert count_evidence(store) == 7

    again = scan_evidence_folder(store, shared_drive)  # the next scan sees it where it is
    assert again.moved == [] and again.new == [] and again.known == 7


def test_a_file_missed_mid_reorganisation_is_found_moved_at_the_next_scan(
    store: Store, shared_drive: Path, tmp_path: Path
) -> None:
    scan_evidence_folder(store, shared_drive)
    tracker = shared_drive / "Governance" / "Improvement plan tracker.xlsx"
    aside = tmp_path / "Improvement plan tracker.xlsx"
    tracker.rename(aside)
    [gone] = scan_evidence_folder(store, shared_drive).missing
    assert get_evidence(store, gone.id).missing_since == store.today

    # Put back in its new home as v2, saved again since: the as-of date moves forward.
    moved = shared_drive / "Trackers" / "Improvement plan tracker v2.xlsx"
    moved.parent.mkdir()
    aside.rename(moved)
    later = datetime(2018, 1, 16, 12, 0).timestamp()
    os.utime(moved, (later, later))
    result = scan_evidence_folder(store, shared_drive)

    assert [(m.item.id, m.path, m.as_of) for m in result.moved] == [
        (gone.id, str(moved), date(2018, 1, 16))
    ]
    assert result.still_missing == [] and result.new == []
    item = get_evidence(store, gone.id)
    assert (item.location, item.as_of, item.missing_since) == (str(moved), date(2018, 1, 16), None)


def test_two_copies_that_could_each_be_the_moved_file_are_not_paired(
    store: Store, shared_drive: Path
) -> None:
    scan_evidence_folder(store, shared_drive)
    survey = shared_drive / "Children's views survey.pdf"
    [item] = list_evidence(store, text="views survey")
    put(shared_drive, "Feedback/Children's views survey.pdf")
    put(shared_drive, "Archive/Children's views survey - Copy.pdf")
    survey.unlink()

    result = scan_evidence_folder(store, shared_drive)

    assert result.moved == []
    assert [e.id for e in result.missing] == [item.id]  # a gap, for the lead to settle
    assert sorted(Path(f.path).parent.name for f in result.new) == ["Archive", "Feedback"]
    [unsure] = result.not_paired
    assert [e.id for e in unsure.gone] == [item.id]
    assert [Path(p).parent.name for p in unsure.found] == ["Archive", "Feedback"]
    assert unsure.reason == "2 new files have this name"
    assert get_evidence(store, item.id).missing_since == store.today


def test_a_file_replaced_by_a_different_one_is_missing_plus_new(
    store: Store, shared_drive: Path
) -> None:
    scan_evidence_folder(store, shared_drive)
    (shared_drive / "Children's views survey.pdf").unlink()
    put(shared_drive, "Feedback/Young people's feedback Jan 2018.pdf")
    # Same name, but another month's audit: a new document, not the November one moved.
    (shared_drive / "Front door" / "2017-11_MASH_audit_v2_FINAL.docx").unlink()
    put(shared_drive, "Front door/Audits/2017-12 MASH audit.docx")

    result = scan_evidence_folder(store, shared_drive)

    assert result.moved == [] and result.not_paired == []
    assert sorted(e.title for e in result.missing) == ["Children's views survey", "MASH audit"]
    assert sorted(f.title for f in result.new) == ["MASH audit", "Young people's feedback"]
    assert count_evidence(store) == 9


def test_audits_of_the_same_name_in_dated_folders_move_together(
    store: Store, tmp_path: Path
) -> None:
    evidence = tmp_path / "Evidence"
    nov = datetime(2017, 11, 28, 9, 0).timestamp()
    dec = datetime(2017, 12, 19, 9, 0).timestamp()
    put(evidence, "Nov/Audit summary.docx", saved=nov)
    put(evidence, "Dec/Audit summary.docx", saved=dec)
    scan_evidence_folder(store, evidence)
    ids = {Path(e.location).parent.name: e.id for e in list_evidence(store)}

    (evidence / "Audits").mkdir()
    (evidence / "Nov").rename(evidence / "Audits" / "2017-11")
    (evidence / "Dec").rename(evidence / "Audits" / "2017-12")
    result = scan_evidence_folder(store, evidence)

    assert {(m.item.id, Path(m.path).parent.name) for m in result.moved} == {
        (ids["Nov"], "2017-11"),
        (ids["Dec"], "2017-12"),
    }
    assert result.new == [] and result.missing == [] and result.not_paired == []


def test_a_new_file_named_like_one_already_there_is_not_taken_for_the_gone_one(
    store: Store, tmp_path: Path
) -> None:
    evidence = tmp_path / "Evidence"
    put(evidence, "Nov/Audit summary.docx", saved=datetime(2017, 11, 28, 9, 0).timestamp())
    put(evidence, "Dec/Audit summary.docx", saved=datetime(2017, 12, 19, 9, 0).timestamp())
    scan_evidence_folder(store, evidence)
    (evidence / "Nov" / "Audit summary.docx").unlink()
    put(evidence, "Jan/Audit summary.docx", saved=datetime(2018, 1, 16, 9, 0).timestamp())

    result = scan_evidence_folder(store, evidence)

    assert result.moved == []
    assert [Path(e.location).parent.name for e in result.missing] == ["Nov"]
    assert [Path(f.path).parent.name for f in result.new] == ["Jan"]
    [unsure] = result.not_paired
    assert unsure.reason == "1 file already recorded in the folder has this name too"


def test_a_dry_run_reports_a_move_and_changes_nothing(store: Store, shared_drive: Path) -> None:
    scan_evidence_folder(store, shared_drive)
    minutes = shared_drive / "Governance" / "Improvement Board minutes 14 Dec 2017.docx"
    [item] = list_evidence(store, text="Board minutes")
    board = shared_drive / "Governance" / "Board"
    board.mkdir()
    minutes.rename(board / minutes.name)
    preview = scan_evidence_folder(store, shared_drive, dry_run=True)
    assert [m.item.id for m in preview.moved] == [item.id]
    assert preview.missing == [] and preview.new == []
    assert get_evidence(store, item.id) == item


def test_evidence_outside_the_folder_is_left_alone(
    store: Store, shared_drive: Path, tmp_path: Path
) -> None:
    elsewhere = create_evidence(store, title="Annual report", location=str(tmp_path / "gone.pdf"))
    sibling = create_evidence(
        store, title="Other folder", location=str(shared_drive) + " (old)/audit.docx"
    )
    web = create_evidence(
        store, title="Published letter", location="https://reports.ofsted.gov.uk/x"
    )
    scan_evidence_folder(store, shared_drive)
    for item in (elsewhere, sibling, web):
        assert get_evidence(store, item.id).missing_since is None


def test_a_dry_run_records_nothing(store: Store, shared_drive: Path) -> None:
    result = scan_evidence_folder(store, shared_drive, dry_run=True)
    assert len(result.new) == 7
    assert count_evidence(store) == 0
    scan_evidence_folder(store, shared_drive)
    (shared_drive / "Children's views survey.pdf").unlink()
    preview = scan_evidence_folder(store, shared_drive, dry_run=True)
    assert [e.title for e in preview.missing] == ["Children's views survey"]
    assert all(e.missing_since is None for e in list_evidence(store))


def test_progress_is_reported_file_by_file(store: Store, shared_drive: Path) -> None:
    seen: list[tuple[int, int, str]] = []
    scan_evidence_folder(store, shared_drive, progress=lambda *step: seen.append(step))
    # Each file is looked at, then each new one recorded.
    assert [(d, t) for d, t, _ in seen] == [(n, 7) for n in range(1, 8)] * 2
    assert seen[-1][2].startswith("recording ")


@pytest.mark.parametrize(
    ("given", "says"),
    [("nowhere", "there is no such folder"), ("a file.txt", "is a file, not a folder")],
)
def test_a_folder_that_cannot_be_scanned_is_refused(
    store: Store, tmp_path: Path, given: str, says: str
) -> None:
    (tmp_path / "a file.txt").write_text("x")
    with pytest.raises(ImportFailed, match=says):
        scan_evidence_folder(store, tmp_path / given)
    assert count_evidence(store) == 0


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("2017-11_MASH_audit_v2_FINAL.docx", "MASH audit"),
        ("Copy of Practice Standards v1.3 (2).pdf", "Practice Standards"),
        ("cin_cp_KPI_dashboard_20180105.xlsx", "CIN CP KPI dashboard"),
        ("Return home interviews - case sample - 30.11.17.xlsx",
         "Return home interviews case sample"),
        # A draft stays marked as one, and brackets stay balanced (issue 19.7).
        ("Self-assessment 2017 DRAFT.docx", "Self-assessment 2017 DRAFT"),
        # ... with its version as written: it says which draft (user text is data).
        ("Practice standards (DRAFT v3).docx", "Practice standards (DRAFT v3)"),
        ("Audit report (DRAFT V2) Nov 2017 FINAL.docx", "Audit report (DRAFT V2)"),
        ("Audit report (DRAFT) v2.1.docx", "Audit report (DRAFT) v2.1"),
        ("MASH-audit-DRAFT-v2.1.docx", "MASH audit DRAFT v2.1"),
        ("Case sample (CiC v2).xlsx", "Case sample (CiC)"),  # not a draft's: taken out
        ("QA framework (2017-18).docx", "QA framework (2017-18)"),
        ("Case sample (children in care).xlsx", "Case sample (children in care)"),
        ("MASH audit (Jan 2018) v2.docx", "MASH audit"),
        ("Section 47 audit.docx", "Section 47 audit"),
        ("2018-01-05.docx", "2018 01 05"),
    ],
)  # fmt: skip
def test_titles_from_file_names(name: str, title: str) -> None:
    assert title_from_name(name) == title


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Improvement plan tracker.xlsx", "tracker"),
        ("CP dip sample Jan 18.xlsx", "case sample"),
        ("Thematic audit - neglect.docx", "audit"),
        ("Performance scorecard Q3.pdf", "performance data"),
        ("Practice standards.pdf", "policy"),
        ("LSCB Board minutes.docx", "minutes"),
        ("Signs of Safety workshop slides.pptx", "training"),
        ("Young people's survey results.pdf", "feedback"),
        ("Annual self assessment.docx", "self-assessment"),
        ("Designated safeguarding leads.pptx", "training"),
        ("photo.jpg", "other"),
    ],
)
def test_kinds_guessed_from_file_names(name: str, kind: str) -> None:
    assert guess_kind(name) == kind


@pytest.mark.parametrize(
    ("name", "when"),
    [
        ("2017-11 audit", date(2017, 11, 30)),
        ("audit 2017-11-14", date(2017, 11, 14)),
        ("audit 14.11.17", date(2017, 11, 14)),
        ("minutes 14 Dec 2017", date(2017, 12, 14)),
        ("dashboard Dec17", date(2017, 12, 31)),
        ("Section 47 audit", None),
    ],
)
def test_dates_in_file_names(name: str, when: date | None) -> None:
    assert date_in_name(name) == when


# ----------------------------------------------------------------------------- command line


def visitprep(*args: str, db: Path, user: int | None = None) -> subprocess.CompletedProcess[str]:
    """The real console script; as another ``user`` (root only) with its home beside ``db``."""
    env = {**os.environ, "VISITPREP_TODAY": "2018-01-20", "COLUMNS": "160"}
    if user is not None:
        env |= {"XDG_DATA_HOME": str(db.parent / "data"), "XDG_CONFIG_HOME": str(db.parent)}
    return _cli.run(  # the console script in a process of its own (see tests/_cli.py)
        [str(BIN), "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        user=user,
    )


def test_cli_scan_then_rescan_reports_what_has_gone(tmp_path: Path, shared_drive: Path) -> None:
    db = tmp_path / "store.db"
    first = visitprep("import", "--evidence", str(shared_drive), db=db)
    assert first.returncode == 0, first.stderr
    assert first.stderr == ""
    assert "MASH KPI dashboard" in first.stdout and "performance data" in first.stdout
    assert "7 new, 0 already known" in first.stdout

    (shared_drive / "Workforce" / "ASYE training attendance.xlsx").unlink()
    second = visitprep("import", "--evidence", str(shared_drive), "--json", db=db)
    assert second.returncode == 0, second.stderr
    data = json.loads(second.stdout)
    assert data["new"] == [] and data["known"] == 6
    assert [m["title"] for m in data["missing"]] == ["ASYE training attendance"]

    gaps = visitprep("gaps", "--json", db=db)
    missing = [g for g in json.loads(gaps.stdout) if g["kind"] == "missing"]
    assert [g["title"] for g in missing] == ["ASYE training attendance"]


def test_cli_reports_a_renamed_file_as_moved_and_lists_it(
    tmp_path: Path, shared_drive: Path
) -> None:
    db = tmp_path / "store.db"
    assert visitprep("import", "--evidence", str(shared_drive), db=db).returncode == 0
    old = shared_drive / "Front door" / "2017-11_MASH_audit_v2_FINAL.docx"
    (shared_drive / "Front door" / "Audits").mkdir()
    old.rename(shared_drive / "Front door" / "Audits" / "2017-11 MASH audit FINAL.docx")
    put(shared_drive, "Feedback/Children's views survey.pdf")  # two could be the survey
    (shared_drive / "Children's views survey.pdf").rename(
        shared_drive / "Feedback" / "Children's views survey (2).pdf"
    )

    preview = visitprep("import", "--evidence", str(shared_drive), "--dry-run", db=db)
    assert preview.returncode == 0, preview.stderr
    lines = preview.stdout.splitlines()
    assert "Moved or renamed since the last scan (links and ticks would be kept):" in lines
    assert (
        "  MASH audit  (Front door/2017-11_MASH_audit_v2_FINAL.docx -> "
        "Front door/Audits/2017-11 MASH audit FINAL.docx)"
    ) in lines
    unsure = lines.index(
        "  Children's views survey (Children's views survey.pdf): 2 new files have this name"
    )
    assert lines[unsure + 1 : unsure + 3] == [
        "    could be Feedback/Children's views survey (2).pdf",
        "    or Feedback/Children's views survey.pdf",
    ]
    assert (
        f"Dry run of {shared_drive}: 2 new, 5 already known, 1 moved, "
        "1 not paired (maybe moved), 1 gone since the last scan."
    ) in " ".join(preview.stdout.split())

    done = visitprep("import", "--evidence", str(shared_drive), "--json", db=db)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    [moved] = data["moved"]
    assert (moved["title"], moved["from"], moved["to"]) == (
        "MASH audit",
        str(old),
        str(shared_drive / "Front door" / "Audits" / "2017-11 MASH audit FINAL.docx"),
    )
    [unsure] = data["not_paired"]
    assert [e["title"] for e in unsure["gone"]] == ["Children's views survey"]
    assert len(unsure["new"]) == 2 and unsure["reason"] == "2 new files have this name"
    assert [m["title"] for m in data["missing"]] == ["Children's views survey"]


def test_cli_dry_run_changes_nothing(tmp_path: Path, shared_drive: Path) -> None:
    db = tmp_path / "store.db"
    result = visitprep("import", "--evidence", str(shared_drive), "--dry-run", db=db)
    assert result.returncode == 0, result.stderr
    assert "Dry run: nothing was changed." in result.stdout
    store = open_store(db)
    try:
        assert count_evidence(store) == 0
    finally:
        store.close()


def test_cli_a_missing_folder_is_one_line_and_no_store_is_made(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    result = visitprep("import", "--evidence", str(tmp_path / "Evidence"), db=db)
    assert result.returncode == 1
    assert result.stderr == f"visitprep: {tmp_path / 'Evidence'}: there is no such folder.\n"
    assert not db.exists()


def test_cli_evidence_and_files_together_is_a_usage_error(tmp_path: Path) -> None:
    result = visitprep("import", "--evidence", str(tmp_path), "plan.xlsx", db=tmp_path / "s.db")
    assert result.returncode == 1
    assert result.stderr.startswith("visitprep: Give either --evidence FOLDER or files")


def test_cli_an_unreadable_subfolder_is_one_line_and_the_rest_is_recorded(
    tmp_path: Path, shared_drive: Path
) -> None:
    db = tmp_path / "s.db"
    user = None
    if os.geteuid() == 0:
        # Root reads every folder, so root would never see this: the scan runs as an
        # ordinary user ("nobody", as CI's root can), over a copy of the drive that user owns.
        place = Path(tempfile.mkdtemp(prefix="visitprep-as-nobody-"))
        shutil.copytree(shared_drive, place / shared_drive.name)
        shared_drive, db, user = place / shared_drive.name, place / "s.db", NOBODY
        for path in [place, *place.rglob("*")]:
            os.chown(path, NOBODY, NOBODY)
        place.chmod(0o755)
    locked = shared_drive / "Workforce"
    locked.chmod(0)
    try:
        result = visitprep("import", "--evidence", str(shared_drive), db=db, user=user)
    finally:
        locked.chmod(0o755)
    assert result.returncode == 1, result.stderr
    [line] = result.stderr.splitlines() if result.stderr.count("\n") == 1 else [result.stderr]
    assert line.startswith("visitprep: Workforce: cannot be read"), result.stderr
    assert "6 new" in result.stdout


def test_cli_a_broken_shortcut_is_one_line_and_the_rest_is_recorded(
    tmp_path: Path, shared_drive: Path
) -> None:
    (shared_drive / "Old audit.docx").symlink_to(tmp_path / "moved away.docx")
    db = tmp_path / "s.db"
    result = visitprep("import", "--evidence", str(shared_drive), db=db)
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["visitprep: Old audit.docx: is a broken shortcut"]
    assert "7 new" in result.stdout
    store = open_store(db)
    try:
        assert count_evidence(store) == 7
    finally:
        store.close()


def test_the_personal_data_guess_is_shown_by_the_dry_run_and_the_leads_answer_wins(
    store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "Evidence"
    folder.mkdir()
    sample = folder / "CP dip sample Jan 18.xlsx"
    sample.write_bytes(b"names")
    (folder / "Practice standards.docx").write_bytes(b"policy")
    dry = scan_evidence_folder(store, folder, dry_run=True)
    assert {(Path(f.path).name, f.personal_data, f.personal_guess) for f in dry.new} == {
        ("CP dip sample Jan 18.xlsx", True, "a case sample, by its name"),
        ("Practice standards.docx", False, ""),
    }
    out = visitprep("import", "--dry-run", "--evidence", str(folder), db=tmp_path / "cli.db").stdout
    assert "Marked as holding personal data (1), guessed from their names" in " ".join(out.split())
    assert "CP dip sample Jan 18.xlsx: a case sample, by its name" in out

    scan_evidence_folder(store, folder, personal_data={str(sample): False})
    assert {e.title: e.personal_data for e in list_evidence(store)} == {
        "CP dip sample": False,
        "Practice standards": False,
    }
