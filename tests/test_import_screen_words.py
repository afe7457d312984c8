"""What the import screen says after a preview or an import, and which import reads a path
(tui/presenters/importing.py): the words the pilot tests do not all reach.

A refusal says what the lead can do next (name the plan's columns, choose another file, or
know that nothing was stored); a failure the store did not mean is said and logged; a path
no import reads is refused with what could be chosen instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.text import Text

from store.errors import ImportFailed
from store.importers.plan import read_plan
from tui.presenters.import_common import Shown
from tui.presenters.importing import failure, kind_to_use, ours_ticked, status_line

PLANS = Path(__file__).parent / "data" / "plans"


def _columns_refusal() -> ImportFailed:
    with pytest.raises(ImportFailed) as refused:
        read_plan(PLANS / "project_office_plan.csv", {"action": "Deliverable", "owner": "Lead"})
    return refused.value


def test_a_plan_whose_columns_are_not_found_points_the_lead_to_the_columns_box() -> None:
    said = failure("preview", "plan", _columns_refusal())
    assert "Columns" in said.error  # the store's choice, in the screen's words
    assert said.status.startswith("Name the plan's columns in the Columns box (tab to it)")
    assert not said.unexpected


def test_any_other_refused_preview_asks_for_another_file() -> None:
    said = failure("preview", "reports", ImportFailed("x.pdf is not a PDF."))
    assert (said.error, said.status) == ("x.pdf is not a PDF.", "Choose another file or folder.")


def test_a_refused_import_says_nothing_was_stored() -> None:
    said = failure("import", "plan", _columns_refusal())
    assert said.status == "Nothing was stored."
    assert not said.unexpected


def test_a_failure_the_store_did_not_mean_is_said_and_logged() -> None:
    said = failure("preview", "plan", ValueError("bad cell"))
    assert said.error == "Something went wrong while reading the file (ValueError: bad cell)."
    assert said.status == "" and said.unexpected
    assert failure("import", "plan", OSError("disk")).error.startswith(
        "Something went wrong while importing (OSError: disk)"
    )


def test_a_path_no_import_reads_is_refused_with_what_could_be_chosen(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="does not exist"):
        kind_to_use(tmp_path / "gone.pdf", None)
    notes = tmp_path / "notes.docx"
    notes.write_text("minutes")
    with pytest.raises(ImportFailed) as refused:
        kind_to_use(notes, "reports")
    assert str(refused.value) == (
        "notes.docx cannot be imported: choose a .pdf or .txt report, a .csv or .xlsx plan "
        "or scorecard, or a folder."
    )


def test_a_chosen_import_stands_when_it_can_read_the_path(tmp_path: Path) -> None:
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    assert kind_to_use(tmp_path, None) == "reports"  # a folder holding a report
    assert kind_to_use(tmp_path, "evidence") == "evidence"  # the lead's choice stands
    plan = tmp_path / "plan.csv"
    plan.write_text("Action\n")
    assert kind_to_use(plan, "reports") == "plan"  # a plan is never read as a report


def _shown(kind: str, stage: str, **more: Any) -> Shown:
    return Shown(Path("x"), kind, False, stage, Text("2 findings."), **more)


def test_a_preview_says_whether_ctrl_s_imports_it() -> None:
    assert status_line(_shown("plan", "preview")).plain == "2 findings.  ctrl+s imports."
    refused = _shown("plan", "preview", can_import=False)
    assert status_line(refused).plain == "2 findings.  Nothing will be imported."
    assert status_line(_shown("plan", "imported")).plain == "2 findings."


def test_the_our_council_box_shows_only_under_new_reports_ticked_as_decided() -> None:
    assert ours_ticked(None) is None
    assert ours_ticked(_shown("plan", "preview")) is None
    assert ours_ticked(_shown("reports", "imported", ours=True)) is None
    assert ours_ticked(_shown("reports", "preview", ours=True, can_import=False)) is None
    assert ours_ticked(_shown("reports", "preview", ours=True)) is True
    assert ours_ticked(_shown("reports", "preview", ours=None)) is False  # some of each
    assert ours_ticked(_shown("reports", "preview", ours=True, ours_chosen=False)) is False
