"""Each import is all or nothing, even when it fails half-way through writing.

The "stores nothing" tests elsewhere cover rows refused before writing starts. Here a
failure is forced in the middle of the write (the third action of a plan, the third file
of an evidence folder, a real report after its source and findings are written), and the
store file is compared byte for byte with the file before the import.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from store import count_actions, list_evidence, list_sources, open_store
from store.errors import ImportFailed, ValidationError
from tests.conftest import REPORTS

TODAY = date(2018, 1, 20)


def failing_at(call: int, real: Callable[..., Any]) -> Callable[..., Any]:
    """``real``, except that its ``call``-th call fails as a store write can (a value the
    store refuses); the calls before it really write."""
    calls = 0

    def write(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == call:
            raise ValidationError("title", f"Injected failure at write {call}.")
        return real(*args, **kwargs)

    return write


def store_bytes(path: Path) -> bytes:
    """The whole store as it is on disk once closed (the WAL checkpointed into it)."""
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    return path.read_bytes()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A store created and then used once, as a lead's store is (a new store is built in
    rollback-journal mode; its first use turns on WAL, which changes the file's header)."""
    path = tmp_path / "visitprep.db"
    open_store(path, today=TODAY).close()
    store = open_store(path, today=TODAY)
    count_actions(store)
    store.close()
    return path


PLAN = (
    "Ref,Action,Lead officer,By when,RAG\n"
    "1.1,Audit MASH threshold decisions,Jo Bloggs,31/03/2018,Green\n"
    "1.2,Train team managers in supervision,Sam Smith,30/04/2018,Amber\n"
    "1.3,Review care plans of children in care,Ann Lee,30/06/2018,Red\n"
    "1.4,Relaunch the threshold document,Jo Bloggs,31/05/2018,Green\n"
)


def test_a_plan_that_fails_at_its_third_action_leaves_the_store_byte_identical(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from store.importers import plan

    sheet = tmp_path / "plan.csv"
    sheet.write_text(PLAN, encoding="utf-8")
    before = store_bytes(db)
    monkeypatch.setattr(plan, "create_action", failing_at(3, plan.create_action))
    store = open_store(db, today=TODAY)
    try:
        with pytest.raises(ImportFailed, match=r"row 4: Injected failure.*Nothing was imported"):
            plan.import_plan(store, sheet)
        assert count_actions(store) == 0  # the first two actions went with the third
    finally:
        store.close()
    assert store_bytes(db) == before


def test_an_evidence_scan_that_fails_at_its_third_file_leaves_the_store_byte_identical(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from store.importers import evidence_folder

    folder = tmp_path / "Evidence"
    folder.mkdir()
    for name in ("MASH audit 2018-01.docx", "CP plan audit.pdf", "Caseloads Dec 2017.xlsx"):
        (folder / name).write_bytes(b"evidence " + name.encode())
    (folder / "Supervision policy DRAFT.docx").write_bytes(b"policy")
    before = store_bytes(db)
    monkeypatch.setattr(
        evidence_folder, "create_evidence", failing_at(3, evidence_folder.create_evidence)
    )
    store = open_store(db, today=TODAY)
    try:
        with pytest.raises(ValidationError, match="Injected failure"):
            evidence_folder.scan_evidence_folder(store, folder)
        assert list_evidence(store) == []
    finally:
        store.close()
    assert store_bytes(db) == before


@pytest.mark.skipif(not (REPORTS / "york_2017-02-07.pdf").exists(), reason="needs the reports")
def test_a_real_report_that_fails_after_its_findings_are_written_leaves_the_store_byte_identical(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from store.importers import report_store, reports

    before = store_bytes(db)
    # The last write of the report's transaction: its source and every finding are written.
    monkeypatch.setattr(report_store, "note_history", failing_at(1, report_store.note_history))
    store = open_store(db, today=TODAY)
    try:
        (outcome,) = reports.import_reports(store, [REPORTS / "york_2017-02-07.pdf"])
        assert outcome.status == "refused" and "Injected failure" in outcome.message
        assert list_sources(store) == []
    finally:
        store.close()
    assert store_bytes(db) == before
