"""A plan's progress note that nothing dates is kept as "date not given", never as today
(issue 19, item 6), on SQLite and on PostgreSQL.

The lead imports the plan on 20 Jan 2018. A note under "Progress Update (Nov-Dec 2017)" is
dated 31 Dec 2017; a note under a plain "Progress" column with no Updated column and no
date in it has no date, and the store, the dry run (command line and app), the app's pages
and the checklist in every format say "date not given". The Director is never told that
an old note is this week's update.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import docx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

import store as api
from store import Store, open_store
from store.errors import ValidationError
from store.export import render_pack
from store.importers.plan import import_plan
from store.importers.plan_explain import note_lines
from store.records import Action

BIN = Path(sys.executable).parent / "visitprep"
TODAY = date(2018, 1, 20)
UNDATED_NOTE = "Weekly MASH tracker in place; dip sample of 20 contacts done"


def write_plan(folder: Path, progress_header: str = "Progress", name: str = "plan.csv") -> Path:
    """One action answering R1, with a progress note that carries no date of its own."""
    path = folder / name
    path.write_text(
        f"Ref,Action,Findings,Owner,RAG,{progress_header}\n"
        f'1.1,Audit MASH thresholds,R1,Head of MASH,G,"{UNDATED_NOTE}"\n',
        encoding="utf-8",
    )
    return path


def add_finding(store: Store) -> int:
    source = api.create_source(
        store, kind="inspection", title="SIF 2017", framework="SIF", start_date="04/09/2017"
    )
    return api.create_finding(
        store,
        title="Thresholds in the MASH are not understood",
        ref="R1",
        source_id=source.id,
        theme="Front door and MASH",
    ).id


def the_action(store: Store) -> Action:
    return api.get_action_by_ref(store, "1.1")


def checklist_texts(store: Store) -> dict[str, str]:
    """The visit's pack as Markdown, as the web page's words and as the Word document's."""
    visit = api.create_visit(
        store, title="Monitoring visit", start_date="06/02/2018", focus_themes=["Front door"]
    )
    markdown = render_pack(store, visit.id, "md").decode()
    page = render_pack(store, visit.id, "html").decode()
    word = docx.Document(io.BytesIO(render_pack(store, visit.id, "docx")))
    return {
        "md": markdown,
        "html": page,
        "docx": "\n".join(p.text for p in word.paragraphs),
    }


def latest_update_line(text: str) -> str:
    [line] = [line for line in text.splitlines() if "Latest update" in line]
    return line.replace("**", "")  # Markdown's bold


# --- the import ---------------------------------------------------------------------------


def test_a_note_nothing_dates_is_stored_as_date_not_given(store: Store, tmp_path: Path) -> None:
    add_finding(store)
    result = import_plan(store, write_plan(tmp_path))
    [update] = api.list_action_updates(store, the_action(store).id)
    assert (update.note, update.brag, update.on_date) == (UNDATED_NOTE, "green", None)
    assert update.date_text == "date not given"
    # No warning that it was dated today: the row says what happened instead.
    assert not any("dated the day of the import" in w.reason for w in result.warnings)
    assert not any("no date" in w.reason for w in result.warnings)
    assert the_action(store).brag == "green"


def test_a_period_in_the_column_header_still_dates_the_notes(store: Store, tmp_path: Path) -> None:
    add_finding(store)
    import_plan(store, write_plan(tmp_path, "Progress Update (Nov-Dec 2017)"))
    [update] = api.list_action_updates(store, the_action(store).id)
    assert update.on_date == date(2017, 12, 31)
    assert update.date_text == "31 Dec 2017"


def test_the_dry_run_says_date_not_given_on_the_row(store: Store, tmp_path: Path) -> None:
    add_finding(store)
    result = import_plan(store, write_plan(tmp_path), dry_run=True)
    [planned] = result.plan
    assert planned.updates == [(UNDATED_NOTE, "green", None)]
    [said] = [line for line in note_lines(planned) if line.startswith("progress note")]
    assert said.startswith("progress note: date not given")
    assert "20 Jan 2018" not in said and "today" in said  # "kept undated, not dated today"
    assert api.count_actions(store) == 0

    dated = import_plan(store, write_plan(tmp_path, "Progress (Jan 2018)"), dry_run=True)
    assert "progress note dated 20 Jan 2018 by the column header" in note_lines(dated.plan[0])


def test_the_apps_preview_says_date_not_given_on_the_row(store: Store, tmp_path: Path) -> None:
    from tui.presenters.import_plan import preview_plan

    add_finding(store)
    shown = preview_plan(store, write_plan(tmp_path), ())
    words = "\n".join(line.text.plain for line in shown.lines)
    assert "progress note: date not given" in words
    assert "dated the day of the import" not in words and "20 Jan 2018" not in words
    assert "warning" not in shown.status.plain


def test_the_command_lines_dry_run_says_date_not_given(tmp_path: Path) -> None:
    env = {**os.environ, "VISITPREP_TODAY": TODAY.isoformat()}
    done = subprocess.run(
        [str(BIN), "--db", str(tmp_path / "s.db"), "import", str(write_plan(tmp_path)), "--dry-run"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    assert "row 2, 1.1: " in out and "progress note: date not given" in out
    assert "dated the day of the import" not in out and "progress note has no date" not in out


# --- every reader -------------------------------------------------------------------------


def test_the_checklist_says_date_not_given_never_this_weeks_date(
    store: Store, tmp_path: Path
) -> None:
    add_finding(store)
    import_plan(store, write_plan(tmp_path))
    for kind, words in checklist_texts(store).items():
        line = latest_update_line(words)
        assert "Latest update (date not given, Green)" in line, (kind, line)
        assert "20 Jan 2018" not in line, kind


def test_a_dated_header_dates_the_checklists_latest_update(store: Store, tmp_path: Path) -> None:
    add_finding(store)
    import_plan(store, write_plan(tmp_path, "Progress Update (Nov-Dec 2017)"))
    for kind, words in checklist_texts(store).items():
        assert "Latest update (31 Dec 2017, Green)" in latest_update_line(words), kind


def test_the_latest_update_is_never_an_undated_note_while_a_dated_one_exists(
    store: Store, tmp_path: Path
) -> None:
    add_finding(store)
    import_plan(store, write_plan(tmp_path))
    action = the_action(store)
    # Typed in the app: a date the lead knows, before the import day.
    api.add_action_update(store, action.id, note="Threshold workshop held", on_date="10/01/2018")
    history = api.list_action_updates(store, action.id)
    assert [(u.on_date, u.note) for u in history] == [
        (None, UNDATED_NOTE),
        (date(2018, 1, 10), "Threshold workshop held"),
    ]
    # The same plan imported again adds nothing; a new undated note stays behind the dated.
    path = write_plan(tmp_path)
    path.write_text(path.read_text().replace(UNDATED_NOTE, "Audit repeated").replace(",G,", ",R,"))
    import_plan(store, path)
    history = api.list_action_updates(store, action.id)
    assert [u.on_date for u in history] == [None, None, date(2018, 1, 10), TODAY]
    assert history[-1].note == "BRAG set to Red by the plan spreadsheet plan.csv."
    texts = checklist_texts(store)
    assert "Latest update (20 Jan 2018, Red): BRAG set to Red" in latest_update_line(texts["md"])
    pack = api.build_pack(store, api.list_visits(store)[0].id)
    [pack_action] = pack.themes[0].findings[0].actions
    assert pack_action.latest_update is not None and pack_action.latest_update.dated


def test_an_undated_blue_note_completes_the_action_without_a_made_up_closed_date(
    store: Store,
) -> None:
    action = api.create_action(store, title="Audit", ref="9.1")
    api.add_action_update(store, action.id, note="Done", brag="blue", undated=True)
    done = api.get_action(store, action.id)
    assert (done.brag, done.closed_on) == ("blue", None)
    with pytest.raises(ValidationError, match="undated"):
        api.add_action_update(store, action.id, note="x", on_date="01/01/2018", undated=True)


# --- the schema ---------------------------------------------------------------------------


def test_a_store_at_0010_is_upgraded_and_keeps_every_updates_date(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        url = str(tmp_path / "old.db")
        _fill_at_0010(f"sqlite:///{url}")
        _then_upgraded(url)
        assert len(list(tmp_path.glob("old.db.backup-0010-*"))) == 1
        return
    server = request.getfixturevalue("postgres_server")
    with server.database() as url:
        _fill_at_0010(url.replace("postgresql://", "postgresql+psycopg://"))
        _then_upgraded(url)


def _fill_at_0010(url: str) -> None:
    from store import migrations

    engine = create_engine(url, poolclass=NullPool)
    migrations.upgrade(engine, "0010")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO action (ref, ref_key, title, description, owner, brag, "
                "success_measure, version) VALUES ('1.1', '', 'Audit', '', '', 'amber', '', 1)"
            )
        )
        for on, brag, note in ((date(2017, 11, 30), "red", "Not started"),
                               (date(2017, 12, 31), "amber", "Started")):  # fmt: skip
            connection.execute(
                text(
                    "INSERT INTO action_update (action_id, on_date, brag, note, author) "
                    "SELECT id, :on, :brag, :note, '' FROM action"
                ),
                {"on": on, "brag": brag, "note": note},
            )
    engine.dispose()


def _then_upgraded(url: str) -> None:
    from store import migrations

    opened = open_store(url, today=TODAY)
    try:
        assert migrations.schema_state(opened.engine).revision == migrations.head_revision()
        action = api.get_action_by_ref(opened, "1.1")
        history = api.list_action_updates(opened, action.id)
        assert [(u.on_date, u.note) for u in history] == [
            (date(2017, 11, 30), "Not started"),
            (date(2017, 12, 31), "Started"),
        ]
        api.add_action_update(opened, action.id, note="From the plan", undated=True)
        assert [u.on_date for u in api.list_action_updates(opened, action.id)] == [
            None,
            date(2017, 11, 30),
            date(2017, 12, 31),
        ]
    finally:
        opened.close()


def test_a_copy_to_the_other_backend_carries_date_not_given(
    store: Store, backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    from store.copy import copy_store

    add_finding(store)
    import_plan(store, write_plan(tmp_path))
    api.add_action_update(store, the_action(store).id, note="Workshop", on_date="10/01/2018")
    before = api.list_action_updates(store, the_action(store).id)
    server = request.getfixturevalue("postgres_server")
    with server.database() as empty:
        target = empty if backend == "sqlite" else str(tmp_path / "copy.db")
        copy_store(store, target)
        copied = open_store(target, today=TODAY)
        try:
            assert api.list_action_updates(copied, the_action(copied).id) == before
            assert before[0].on_date is None
        finally:
            copied.close()
