"""A team on one store, in the app: others' writes show up, a stale save loses nothing,
a read-only user is told so, and every record's history is a key away.

Sam Patel has the next visit's pack open while Alex Khan (another program on the same
store) ticks an item ready and edits an action; Sam's screen follows within a look at
the store's change counter, with a toast naming Alex. Sam edits an action Alex changed
since Sam's form opened: the save is refused, Sam's typing stays, and Sam chooses.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from _tui_harness import pilot_test, press, real_app, started, type_into

import store as api
from store import Store, open_store
from store.demo import DEMO_TODAY
from tui.screens.detail import DetailScreen
from tui.screens.history import HistoryScreen
from tui.screens.pack import PackScreen, PackTree
from tui.screens.record_form import RecordForm
from tui.screens.stale import StaleScreen

SIZE = (120, 36)


def _text_of(renderable: Any) -> str:
    from rich.console import Console

    console = Console(width=120, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(renderable)
    return console.export_text()


def _said(app: Any) -> list[str]:
    """Every toast the app has put up, as plain text (recorded by _recording)."""
    return app.said


def _recording(app: Any) -> Any:
    app.said = []
    notify = app.notify

    def recorded(message: Any, *args: Any, **kwargs: Any) -> None:
        app.said.append(str(message))
        notify(message, *args, **kwargs)

    app.notify = recorded
    return app


async def _look(pilot: Any) -> None:
    """One look at the store, as the app's timer makes every 1.5 s."""
    pilot.app.look_for_changes()
    await press(pilot)


def _alex(demo_store: Store) -> Store:
    """Another person's program on the same store file."""
    assert demo_store.path is not None
    return open_store(demo_store.path, today=DEMO_TODAY, user="Alex Khan")


@pilot_test
async def test_an_open_pack_shows_a_tick_made_elsewhere_and_says_who(
    demo_store: Store, tmp_path: Path
) -> None:
    demo_store.user = "Sam Patel"
    visit = api.next_visit(demo_store)
    assert visit is not None
    pack_before = api.build_pack(demo_store, visit.id)
    unready = next(
        item.evidence
        for theme in pack_before.themes
        for finding in theme.findings
        for action in finding.actions
        for item in action.evidence
        if not item.ready
    )
    app = _recording(real_app(demo_store, tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await _look(pilot)  # the first look only learns the counter
        await press(pilot, "p")
        pack = app.screen
        assert isinstance(pack, PackScreen)
        tree = pack.query_one(PackTree)
        cursor_before = tree.cursor_line
        alex = _alex(demo_store)
        try:
            api.set_evidence_ready(alex, visit.id, unready.id, True)
        finally:
            alex.close()
        await _look(pilot)
        await press(pilot)
        ready_now = {
            line.data.record_id
            for line in _evidence_lines(tree)
            if line.data.kind == "evidence" and line.data.ready
        }
        assert unready.id in ready_now, "the pack did not show Alex's tick"
        assert tree.cursor_line == cursor_before, "the reload moved Sam's cursor"
        assert any(
            "Alex Khan ticked" in line and unready.title[:20] in line for line in _said(app)
        ), _said(app)


def _evidence_lines(tree: PackTree) -> list[Any]:
    lines = []
    for index in range(tree.last_line + 1):
        node = tree.get_node_at_line(index)
        if node is not None and node.data is not None:
            lines.append(node)
    return lines


@pilot_test
async def test_my_own_writes_are_not_announced_as_someone_elses(
    demo_store: Store, tmp_path: Path
) -> None:
    demo_store.user = "Sam Patel"
    app = _recording(real_app(demo_store, tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await _look(pilot)
        action = api.list_actions(demo_store)[0]
        api.update_action(demo_store, action.id, owner="Head of MASH")  # this program
        await _look(pilot)
        assert not [line for line in _said(app) if "changed" in line.lower()], _said(app)


async def _edit_while_alex_saves(
    pilot: Any, demo_store: Store, action_id: int, mine: str, theirs: str
) -> RecordForm:
    """Open the action's form and type an owner; meanwhile Alex saves another owner."""
    pilot.app.open_record("action", action_id)
    await press(pilot)
    await press(pilot, "e")
    form = pilot.app.screen
    assert isinstance(form, RecordForm)
    await type_into(pilot, "#field-owner", mine)
    alex = _alex(demo_store)
    try:
        api.update_action(alex, action_id, owner=theirs)
    finally:
        alex.close()
    return form


@pilot_test
async def test_a_save_over_someone_elses_newer_edit_is_refused_and_keeps_the_typing(
    demo_store: Store, tmp_path: Path
) -> None:
    demo_store.user = "Sam Patel"
    action = api.list_actions(demo_store)[0]
    app = real_app(demo_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        form = await _edit_while_alex_saves(
            pilot, demo_store, action.id, "Sam's owner", "Alex's owner"
        )
        await press(pilot, "ctrl+s")
        stale = app.screen
        assert isinstance(stale, StaleScreen), "the stale save was not refused"
        assert "Alex Khan" in stale.message
        assert ("Owner", "Alex's owner", "Sam's owner") in stale.rows
        assert api.get_action(demo_store, action.id).owner == "Alex's owner"
        await press(pilot, "escape")  # keep editing: nothing saved, nothing lost
        assert app.screen is form
        assert form.query_one("#field-owner").value == "Sam's owner"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, StaleScreen)
        await press(pilot, "m")  # keep mine, over theirs
        assert api.get_action(demo_store, action.id).owner == "Sam's owner"
        assert isinstance(app.screen, DetailScreen)


@pilot_test
async def test_take_theirs_shows_the_other_version_in_the_form(
    demo_store: Store, tmp_path: Path
) -> None:
    action = api.list_actions(demo_store)[1]
    app = real_app(demo_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        form = await _edit_while_alex_saves(pilot, demo_store, action.id, "Mine", "Theirs")
        await press(pilot, "ctrl+s")
        await press(pilot, "t")
        assert app.screen is form
        assert form.query_one("#field-owner").value == "Theirs"
        assert api.get_action(demo_store, action.id).owner == "Theirs"


@pilot_test
async def test_a_read_only_store_says_so_on_a_write_key_and_changes_nothing(
    demo_store: Store, tmp_path: Path
) -> None:
    path = demo_store.path
    assert path is not None
    demo_store.close()
    if os.geteuid() == 0:  # root writes any file: a reader's role, as the store sees it
        reader = open_store(path, today=DEMO_TODAY)
        reader._read_only = True  # type: ignore[attr-defined]
    else:
        os.chmod(path, stat.S_IRUSR)
        reader = open_store(path, today=DEMO_TODAY)
    before = path.read_bytes()
    app = _recording(real_app(reader, tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await _look(pilot)
        await press(pilot, "2")
        await press(pilot, "n")
        assert not isinstance(app.screen, RecordForm)
        assert any("read-only for you" in line for line in _said(app))
    reader.close()
    assert path.read_bytes() == before


@pilot_test
async def test_h_on_a_record_shows_who_changed_what(demo_store: Store, tmp_path: Path) -> None:
    action = api.list_actions(demo_store)[0]
    alex = _alex(demo_store)
    try:
        api.update_action(alex, action.id, owner="Head of Front Door", due_date="31/03/2019")
    finally:
        alex.close()
    app = real_app(demo_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.open_record("action", action.id)
        await press(pilot)
        await press(pilot, "h")
        history = app.screen
        assert isinstance(history, HistoryScreen)
        shown = _text_of(history.query_one("#history-entries").content)
        assert "Alex Khan changed action" in shown
        assert "Head of Front Door" in shown
        assert "→ 31 Mar 2019" in shown  # a date as the screens say it, not 2019-03-31
