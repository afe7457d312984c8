"""A progress cell of several dated notes has one BRAG cell beside it: only the newest note's
BRAG is known, so the older notes are kept with their BRAG not given, on SQLite and on
PostgreSQL.

The council's tracker rates each action once (today's RAG) and keeps every month's note in
one cell. An action now Blue whose cell still holds November's and December's notes must
not read "Blue" in November on its page or in a pack: a Director would read a history the
plan never gave. A person adding an update always gives its BRAG.
"""

from __future__ import annotations

import io
import json
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
from store.export.markdown import pack_as_dict
from store.importers.plan import import_plan
from store.importers.plan_explain import note_lines

TODAY = date(2018, 1, 20)
CELL = "Jan 18 update: all 40 audits done\nDec 17: audit tool agreed\n12/11/2017 - group set up"


def write_plan(path: Path, progress: str, rag: str = "B") -> Path:
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


# --- the import ---------------------------------------------------------------------------


def test_only_the_newest_note_of_a_cell_carries_the_rows_brag(store: Store, tmp_path: Path) -> None:
    result = import_plan(store, write_plan(tmp_path / "plan.csv", CELL))
    assert result.updates_added == 3
    assert history(store) == [
        (date(2017, 11, 12), None, "12/11/2017 - group set up"),
        (date(2017, 12, 1), None, "Dec 17: audit tool agreed"),
        (date(2018, 1, 1), "blue", "Jan 18 update: all 40 audits done"),
    ]
    action = api.get_action_by_ref(store, "1.1")
    assert (action.brag, action.closed_on) == ("blue", date(2018, 1, 1))
    [update_1, update_2, _] = api.list_action_updates(store, action.id)
    assert update_1.date_and_brag == "12 Nov 2017"
    assert update_2.date_and_brag == "1 Dec 2017"


def test_text_above_the_first_date_has_neither_date_nor_brag(store: Store, tmp_path: Path) -> None:
    import_plan(store, write_plan(tmp_path / "plan.csv", "Moved to the new tool\n" + CELL, "A"))
    notes = history(store)
    assert notes[0] == (None, None, "Moved to the new tool")
    assert [brag for _, brag, _ in notes] == [None, None, None, "amber"]
    assert api.get_action_by_ref(store, "1.1").brag == "amber"


def test_the_dry_run_says_the_older_notes_are_kept_without_a_brag(
    store: Store, tmp_path: Path
) -> None:
    result = import_plan(store, write_plan(tmp_path / "plan.csv", CELL), dry_run=True)
    said = note_lines(result.plan[0])
    assert "2 older notes kept with BRAG not given (the row's BRAG is its newest note's)" in said
    one = import_plan(store, write_plan(tmp_path / "one.csv", "Tool agreed"), dry_run=True)
    assert not any("BRAG not given" in line for line in note_lines(one.plan[0]))
    assert api.count_actions(store) == 0


def test_a_cell_of_one_note_keeps_the_rows_brag_as_before(store: Store, tmp_path: Path) -> None:
    import_plan(store, write_plan(tmp_path / "plan.csv", "Audit tool agreed", rag="A"))
    [(_, brag, note)] = history(store)
    assert (brag, note) == ("amber", "Audit tool agreed")


def test_next_months_sheet_rates_only_its_new_note(store: Store, tmp_path: Path) -> None:
    import_plan(store, write_plan(tmp_path / "plan.csv", CELL, rag="A"))
    later = open_store(store.url, today=date(2018, 2, 20))
    try:
        february = "Feb 18: themes to the board\n" + CELL
        result = import_plan(later, write_plan(tmp_path / "plan Feb.csv", february, rag="R"))
    finally:
        later.close()
    assert result.updates_added == 1
    assert [brag for _, brag, _ in history(store)] == [None, None, "amber", "red"]
    assert api.get_action_by_ref(store, "1.1").brag == "red"


def test_a_re_import_adding_only_an_older_note_leaves_it_unrated(
    store: Store, tmp_path: Path
) -> None:
    """A note put back between two months is not the newest: the row's BRAG is not its."""
    two = "Jan 18 update: all 40 audits done\n12/11/2017 - group set up"
    import_plan(store, write_plan(tmp_path / "plan.csv", two, rag="A"))
    result = import_plan(store, write_plan(tmp_path / "plan v2.csv", CELL, rag="A"))
    assert result.updates_added == 1
    assert (date(2017, 12, 1), None, "Dec 17: audit tool agreed") in history(store)
    assert api.get_action_by_ref(store, "1.1").brag == "amber"


# --- the store ----------------------------------------------------------------------------


def test_an_update_whose_brag_is_not_given_never_sets_or_closes_the_action(
    store: Store,
) -> None:
    action = api.create_action(store, title="Audit", ref="9.1", brag="red")
    kept = api.add_action_update(
        store, action.id, note="Older note", on_date="15/01/2018", brag_not_given=True
    )
    assert kept.brag is None and kept.date_and_brag == "15 Jan 2018"
    after = api.get_action(store, action.id)
    assert (after.brag, after.closed_on) == ("red", None)
    with pytest.raises(ValidationError, match="BRAG is not given"):
        api.add_action_update(store, action.id, note="x", brag="blue", brag_not_given=True)


def test_an_update_a_person_adds_always_has_a_brag(store: Store) -> None:
    """No BRAG given by hand is the action's own, never "not given"."""
    action = api.create_action(store, title="Audit", ref="9.1", brag="amber")
    typed = api.add_action_update(store, action.id, note="Workshop held", on_date="15/01/2018")
    assert typed.brag == "amber"
    blank = api.add_action_update(store, action.id, note="Again", on_date="16/01/2018", brag="")
    assert blank.brag == "amber"


def test_a_pack_whose_latest_update_has_no_brag_says_it_without_one(store: Store) -> None:
    finding = api.create_finding(
        store, title="Case audits are not done", ref="R1", theme="Front door and MASH"
    )
    action = api.create_action(
        store, title="Audit case files", ref="1.1", brag="green", finding_ids=[finding.id]
    )
    api.add_action_update(
        store, action.id, note="Audit tool agreed", on_date="10/01/2018", brag_not_given=True
    )
    visit = api.create_visit(
        store, title="Monitoring visit", start_date="06/02/2018", focus_themes=["Front door"]
    )
    page = render_pack(store, visit.id, "html").decode()
    markdown = render_pack(store, visit.id, "md").decode()
    word = docx.Document(io.BytesIO(render_pack(store, visit.id, "docx")))
    words = "\n".join(p.text for p in word.paragraphs)
    assert "**Latest update** (10 Jan 2018): Audit tool agreed" in markdown
    assert "Latest update (10 Jan 2018): Audit tool agreed" in page
    assert "Latest update (10 Jan 2018): Audit tool agreed" in words
    for said in (page, markdown, words):
        assert "None" not in said
    # The command line's JSON (export --json): null, not a made-up BRAG.
    data = json.dumps(pack_as_dict(api.build_pack(store, visit.id)))
    assert '"note": "Audit tool agreed", "author": ""' in data
    assert '"brag": null, "note": "Audit tool agreed"' in data


# --- the schema ---------------------------------------------------------------------------


def test_a_store_at_0012_is_upgraded_and_keeps_every_updates_brag(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        path = tmp_path / "old.db"
        _fill_at_0012(f"sqlite:///{path}")
        _then_upgraded(str(path), tmp_path)
        assert len(list(tmp_path.glob("old.db.backup-0012-*"))) == 1
        return
    server = request.getfixturevalue("postgres_server")
    with server.database() as url:
        _fill_at_0012(url.replace("postgresql://", "postgresql+psycopg://"))
        _then_upgraded(url, tmp_path)


def _fill_at_0012(url: str) -> None:
    from store import migrations

    engine = create_engine(url, poolclass=NullPool)
    migrations.upgrade(engine, "0012")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO action (ref, ref_key, title, description, owner, brag, "
                "success_measure, version) VALUES ('1.1', '', 'Audit', '', '', 'amber', '', 1)"
            )
        )
        for on, brag, note in ((None, "green", "Undated"),
                               (date(2017, 11, 30), "red", "Not started"),
                               (date(2017, 12, 31), "amber", "Started")):  # fmt: skip
            connection.execute(
                text(
                    "INSERT INTO action_update (action_id, on_date, brag, note, author) "
                    "SELECT id, :on, :brag, :note, '' FROM action"
                ),
                {"on": on, "brag": brag, "note": note},
            )
    engine.dispose()


def _then_upgraded(url: str, folder: Path) -> None:
    from store import migrations

    opened = open_store(url, today=TODAY)
    try:
        assert migrations.schema_state(opened.engine).revision == migrations.head_revision()
        assert history(opened) == [
            (None, "green", "Undated"),
            (date(2017, 11, 30), "red", "Not started"),
            (date(2017, 12, 31), "amber", "Started"),
        ]
        # The upgraded table holds a note whose BRAG is not given.
        import_plan(opened, write_plan(folder / "plan.csv", CELL, rag="A"))
        assert [brag for _, brag, _ in history(opened)] == [
            "green", None, "red", None, "amber", "amber",
        ]  # fmt: skip
    finally:
        opened.close()
