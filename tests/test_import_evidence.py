"""A QA lead points visitprep at the shared-drive export of the evidence folder.

Every document becomes an evidence item; a second scan adds only what is new; a file
that has gone since the last scan becomes a "missing evidence" gap (nothing is deleted);
when it comes back the gap closes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from store import (
    Store,
    count_evidence,
    create_evidence,
    find_gaps,
    get_evidence,
    list_evidence,
    open_store,
)
from store.errors import ImportFailed
from store.importers.evidence_folder import (
    date_in_name,
    guess_kind,
    scan_evidence_folder,
    title_from_name,
)

BIN = Path(sys.executable).parent / "visitprep"
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
        (gone.id, "The file was not found by the folder scan of 20/01/2018.")
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
        ("Self-assessment 2017 DRAFT.docx", "Self-assessment 2017"),
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


def visitprep(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VISITPREP_TODAY": "2018-01-20", "COLUMNS": "160"}
    return subprocess.run(
        [str(BIN), "--db", str(db), *args], capture_output=True, text=True, env=env, timeout=60
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


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_cli_an_unreadable_subfolder_is_one_line_and_the_rest_is_recorded(
    tmp_path: Path, shared_drive: Path
) -> None:
    locked = shared_drive / "Workforce"
    locked.chmod(0)
    try:
        result = visitprep("import", "--evidence", str(shared_drive), db=tmp_path / "s.db")
    finally:
        locked.chmod(0o755)
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("visitprep: Workforce: cannot be read")
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
