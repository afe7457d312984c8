"""A plan's progress cell holds a dated note a month, the newest added each time: each note
is its own update on its own date, and next month's sheet adds only the new ones.

The council's tracker keeps one "Progress update" cell an action ("Jan 18 update: 40
audits done" over "Dec 17: audit tool agreed" over "12/11/2017 - audit group set up"). The
lead imports it each month. The action's history (its page, the pack) must read as the
notes were written, not the whole cell again each month with the old lines repeated.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import _cli

import store as api
from store import Store, open_store
from store.importers.plan import import_plan
from store.importers.plan_explain import note_lines

BIN = _cli.BIN
JANUARY = (
    "Jan 18 update: 40 audits done\nDec 17: audit tool agreed\n12/11/2017 - audit group set up"
)
FEBRUARY = "Feb 18 update: 52 audits done, themes to the board\n" + JANUARY
IN_FEBRUARY = date(2018, 2, 20)


def write_plan(path: Path, progress: str, rag: str = "A") -> Path:
    """One action, its progress cell as the council keeps it."""
    cell = progress.replace('"', '""')
    path.write_text(
        "Ref,Action,Owner,RAG,Progress update\n"
        f'1.1,Audit case files monthly,Head of Quality,{rag},"{cell}"\n',
        encoding="utf-8",
    )
    return path


def history(store: Store) -> list[tuple[date | None, str | None, str]]:
    action = api.get_action_by_ref(store, "1.1")
    return [(u.on_date, u.brag, u.note) for u in api.list_action_updates(store, action.id)]


def in_february(store: Store) -> Store:
    return open_store(store.url, today=IN_FEBRUARY)


def test_each_dated_note_in_the_cell_is_an_update_on_its_own_date(
    store: Store, tmp_path: Path
) -> None:
    result = import_plan(store, write_plan(tmp_path / "plan.csv", JANUARY))
    assert result.updates_added == 3
    assert history(store) == [
        (date(2017, 11, 12), None, "12/11/2017 - audit group set up"),  # BRAG not given
        (date(2017, 12, 1), None, "Dec 17: audit tool agreed"),
        (date(2018, 1, 1), "amber", "Jan 18 update: 40 audits done"),  # the row's BRAG
    ]


def test_next_months_sheet_adds_only_its_new_note_and_the_same_sheet_again_adds_none(
    store: Store, tmp_path: Path
) -> None:
    import_plan(store, write_plan(tmp_path / "plan.csv", JANUARY))
    later = in_february(store)
    try:
        sheet = write_plan(tmp_path / "plan Feb.csv", FEBRUARY, rag="R")
        added = import_plan(later, sheet)
        assert added.updates_added == 1 and added.updated == ["1.1"]
        again = import_plan(later, sheet)
        assert again.updates_added == 0 and again.unchanged == ["1.1"]
    finally:
        later.close()
    notes = history(store)
    assert len(notes) == 4
    assert [n for _, _, n in notes].count("Dec 17: audit tool agreed") == 1
    # The newest note sets the action's BRAG and is its latest update, as before.
    assert notes[-1] == (
        date(2018, 2, 1),
        "red",
        "Feb 18 update: 52 audits done, themes to the board",
    )
    assert api.get_action_by_ref(store, "1.1").brag == "red"


def test_a_cell_the_old_importer_stored_whole_adds_only_the_new_note(
    store: Store, tmp_path: Path
) -> None:
    """A store an earlier version filled holds January's cell as one update."""
    import_plan(store, write_plan(tmp_path / "plan.csv", "Dec 17: audit tool agreed"))
    action = api.get_action_by_ref(store, "1.1")
    api.add_action_update(store, action.id, note=JANUARY, brag="amber", on_date=date(2018, 1, 1))
    later = in_february(store)
    try:
        result = import_plan(later, write_plan(tmp_path / "plan Feb.csv", FEBRUARY))
    finally:
        later.close()
    assert result.updates_added == 1
    assert history(store)[-1][2] == "Feb 18 update: 52 audits done, themes to the board"


def test_whitespace_and_bullets_do_not_make_a_note_new(store: Store, tmp_path: Path) -> None:
    import_plan(store, write_plan(tmp_path / "plan.csv", JANUARY))
    retyped = "\n".join(f"\u2022  {line.replace(' ', '  ')}  " for line in JANUARY.splitlines())
    result = import_plan(store, write_plan(tmp_path / "plan v2.csv", retyped))
    assert result.updates_added == 0 and result.unchanged == ["1.1"]


def test_text_above_the_first_dated_note_is_kept_with_its_date_not_given(
    store: Store, tmp_path: Path
) -> None:
    cell = "Audits moved to the new tool\n" + JANUARY
    result = import_plan(store, write_plan(tmp_path / "plan.csv", cell))
    notes = history(store)
    assert notes[0] == (None, None, "Audits moved to the new tool")  # date, BRAG not given
    assert [when for when, _, _ in notes[1:]] == [
        date(2017, 11, 12),
        date(2017, 12, 1),
        date(2018, 1, 1),
    ]
    [said] = [line for line in note_lines(result.plan[0]) if "progress note" in line]
    assert "date not given (the lines above the first date)" in said


def test_a_note_edited_in_the_sheet_is_not_stored_twice_and_the_lead_is_told(
    store: Store, tmp_path: Path
) -> None:
    import_plan(store, write_plan(tmp_path / "plan.csv", JANUARY))
    before = history(store)
    edited = JANUARY.replace("40 audits done", "42 audits done")
    result = import_plan(store, write_plan(tmp_path / "plan v2.csv", edited))
    assert result.updates_added == 0
    assert history(store) == before  # an update is never rewritten, nor doubled
    [warning] = result.warnings
    assert warning.row == 2
    assert warning.reason.startswith("the progress note of 1 Jan 2018 is not the one imported")
    assert "'Jan 18 update: 40 audits done'" in warning.reason


def test_a_second_note_on_a_date_already_noted_is_added(store: Store, tmp_path: Path) -> None:
    import_plan(store, write_plan(tmp_path / "plan.csv", JANUARY))
    more = "Jan 18: panel reviewed ten audits\n" + JANUARY
    result = import_plan(store, write_plan(tmp_path / "plan v2.csv", more))
    assert result.updates_added == 1 and result.warnings == []


def test_a_note_dated_after_today_is_a_problem_even_under_an_updated_column(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "plan.csv"
    path.write_text(
        "Ref,Action,RAG,Progress,Updated\n"
        '1.1,Audit case files monthly,A,"Dec 17: tool agreed\n28/02/18 - panel held",15/01/2018\n',
        encoding="utf-8",
    )
    result = import_plan(store, path, dry_run=True)
    assert [(p.row, p.reason) for p in result.problems] == [
        (2, "the progress note is dated 28/02/2018, after today")
    ]


# --- the dry run, on the command line and in the app -------------------------------------


def visitprep(*args: str, db: Path, today: date) -> str:
    env = {**os.environ, "VISITPREP_TODAY": today.isoformat()}
    done = _cli.run([str(BIN), "--db", str(db), *args], env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return " ".join(done.stdout.split())


def test_the_command_lines_dry_run_says_which_notes_it_will_add(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    first = write_plan(tmp_path / "plan.csv", JANUARY)
    said = visitprep("import", str(first), "--dry-run", db=db, today=date(2018, 1, 20))
    assert "3 progress updates" in said
    assert (
        "3 progress notes to add, each an update on the date it starts with: "
        "12 Nov 2017, 1 Dec 2017, 1 Jan 2018"
    ) in said
    visitprep("import", str(first), db=db, today=date(2018, 1, 20))

    march = "Mar 18: audit report to the board\n" + FEBRUARY
    later = write_plan(tmp_path / "plan Mar.csv", march)
    said = visitprep("import", str(later), "--dry-run", db=db, today=date(2018, 3, 20))
    assert "2 progress updates" in said
    assert (
        "2 progress notes to add (3 already stored), each an update on the date it starts "
        "with: 1 Feb 2018, 1 Mar 2018"
    ) in said
    assert "Dry run: nothing was changed" in said


def test_the_apps_preview_says_which_notes_it_will_add(store: Store, tmp_path: Path) -> None:
    from tui.presenters.import_plan import preview_plan

    import_plan(store, write_plan(tmp_path / "plan.csv", JANUARY))
    march = "Mar 18: audit report to the board\n" + FEBRUARY
    later = open_store(store.url, today=date(2018, 3, 20))
    try:
        shown = preview_plan(later, write_plan(tmp_path / "plan Mar.csv", march), ())
    finally:
        later.close()
    words = " ".join(" ".join(line.text.plain for line in shown.lines).split())
    assert "2 progress notes to add (3 already stored)" in words
    assert "1 Feb 2018, 1 Mar 2018" in words
    assert len(history(store)) == 3  # a preview stores nothing
