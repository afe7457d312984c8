"""A refusal that points to a choice names it as the lead meets it (issue 17).

The store says what happened and which choice would change it; the command line names
the choice by its flag (``--map``, ``--dry-run``, ``--ours``, ``--update``), the import
screen by its box or key. Neither wording is made by rewriting the other, and the store's
own words name neither.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from store import Store, backup_store
from store.errors import Conflict, ImportFailed, StoreError, ValidationError
from store.identity import set_configured_name
from store.importers.plan import import_plan, read_plan
from store.importers.reports import import_reports
from store.wording import STORE_WORDS, Option
from tui.commands._words import FLAGS, in_cli_words
from tui.presenters.import_common import SCREEN_WORDS, in_screen_words

PLANS = Path(__file__).parent / "data" / "plans"
FIXTURES = Path(__file__).parent / "data" / "reports"
ASHBOURNE = FIXTURES / "ashbourne-vale_2025-03-20.txt"
EASTMERE = FIXTURES / "eastmere_2016-05-20.txt"


def _names_no_front_end(error: StoreError) -> None:
    """The store's own words: no flag, no box."""
    assert "--" not in error.message and "Columns" not in error.message


def test_columns_a_mapping_does_not_find_are_named_by_flag_or_by_box() -> None:
    with pytest.raises(ImportFailed) as refused:
        read_plan(PLANS / "project_office_plan.csv", {"action": "Deliverable", "owner": "Lead"})
    error = refused.value
    assert error.phrase.options == {Option.COLUMNS}
    assert "no row has every column named by --map ('Deliverable', 'Lead') next to" in (
        in_cli_words(error)
    )
    assert "no row has every column named by Columns ('Deliverable', 'Lead') next to" in (
        in_screen_words(error)
    )
    _names_no_front_end(error)


def test_a_field_that_is_not_a_plan_field_is_named_by_flag_or_by_box() -> None:
    with pytest.raises(ValidationError) as refused:
        read_plan(PLANS / "project_office_plan.csv", {"colour": "Colour"})
    error = refused.value
    assert error.field == "map"
    assert in_cli_words(error).startswith("--map: 'colour' is not a plan field. Fields: ")
    assert in_screen_words(error).startswith("Columns: 'colour' is not a plan field. Fields: ")
    _names_no_front_end(error)


def test_a_sheet_with_no_header_row_says_how_to_name_the_columns_in_each_front_end() -> None:
    with pytest.raises(ImportFailed) as refused:
        read_plan(PLANS / "caseloads_export.csv")
    error = refused.value
    assert error.phrase.options == {Option.COLUMN_PAIR}
    assert "(or name them with --map FIELD=HEADER)." in in_cli_words(error)
    assert "(or name them with field=Header in the Columns box)." in in_screen_words(error)
    _names_no_front_end(error)


def test_a_plan_with_rows_that_cannot_be_read_points_to_the_dry_run_or_the_preview(
    store: Store, tmp_path: Path
) -> None:
    plan = tmp_path / "plan.csv"
    plan.write_text("Action,Owner,Due,BRAG\nAudit the front door,Sam,31/03/2018,TBC\n")
    with pytest.raises(ImportFailed) as refused:
        import_plan(store, plan)
    error = refused.value
    assert in_cli_words(error).endswith(
        "Fix the sheet (--dry-run lists every row) and import it again."
    )
    assert in_screen_words(error).endswith(
        "Fix the sheet (the preview lists every row) and import it again."
    )
    _names_no_front_end(error)


def test_whose_report_it_is_and_replacing_one_are_named_by_flag_or_by_box(
    store: Store, tmp_path: Path
) -> None:
    [ours, theirs] = import_reports(store, [ASHBOURNE, EASTMERE])
    assert (ours.ours, theirs.ours) == (True, False)
    assert "as this council's own report (use --other if it is another council's)." in (
        in_cli_words(ours.said)
    )
    assert "not in packs or gaps (use --ours if it is yours)." in in_cli_words(theirs.said)
    assert "not in packs or gaps (use 'Our council's own report' (ctrl+o) if it is yours)." in (
        in_screen_words(ImportFailed(theirs.said))
    )
    # Another file of the same inspection is not replaced unless asked.
    changed = tmp_path / "ashbourne-corrected.txt"
    changed.write_text(ASHBOURNE.read_text(encoding="utf-8") + "\nA late corrigendum.\n")
    [again] = import_reports(store, [changed])
    assert again.status == "changed"
    assert "Repeat with --update to replace its details and findings." in in_cli_words(again.said)
    assert (
        "Repeat with 'Replace a report stored from another file' ticked to replace its details"
        in in_screen_words(ImportFailed(again.said))
    )
    for outcome in (ours, theirs, again):
        assert "--" not in outcome.message


def test_every_choice_has_a_name_in_both_front_ends_and_in_the_store() -> None:

    assert set(FLAGS) == set(SCREEN_WORDS) == set(STORE_WORDS) == set(Option)
    assert all(flag.startswith("--") for flag in FLAGS.values())
    assert not any("--" in words for words in (*SCREEN_WORDS.values(), *STORE_WORDS.values()))


def test_a_blank_name_and_a_backup_over_a_file_name_their_flags_on_the_command_line(
    store: Store, tmp_path: Path
) -> None:
    with pytest.raises(ValidationError) as blank:
        set_configured_name("  ", tmp_path / "config.json")
    assert in_cli_words(blank.value) == 'Give a name, e.g. --name "Sam Patel".'
    _names_no_front_end(blank.value)
    there = tmp_path / "copy.db"
    there.write_bytes(b"")
    with pytest.raises(Conflict) as taken:
        backup_store(store, there)
    assert in_cli_words(taken.value).endswith("choose another name, or add --replace.")
    _names_no_front_end(taken.value)
