"""Two people's apps on one team store, on both backends: a tick made in one shows in the
other's open pack at its next look at the store's change counter (every 1.5 s), with a
toast naming who made it; and a save in one over the other's newer edit is refused.

The store here is the demo, on SQLite and on PostgreSQL (tests/conftest.py BOTH_BACKENDS):
Sam Patel has the next visit's pack open; Alex Khan's app, on the same store, ticks an
item ready and edits an action.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _tui_harness import pilot_test, press, real_app, started

import store as api
from store import Store, open_store
from store.demo import DEMO_TODAY
from store.errors import StaleRecord
from tui.screens.pack import PackScreen, PackTree

SIZE = (120, 36)


def _other(store: Store, who: str) -> Store:
    """Another person's program on the same store (a file path or a server URL)."""
    return open_store(store.path or store.url, today=DEMO_TODAY, user=who)


def _ready_lines(tree: PackTree) -> set[int]:
    ready = set()
    for index in range(tree.last_line + 1):
        node = tree.get_node_at_line(index)
        data = getattr(node, "data", None)
        if data is not None and data.kind == "evidence" and data.ready:
            ready.add(data.record_id)
    return ready


@pilot_test
async def test_a_tick_in_one_app_shows_in_the_others_pack_with_who_made_it(
    demo_store: Store, tmp_path: Path
) -> None:
    sam = _other(demo_store, "Sam Patel")
    visit = api.next_visit(sam)
    assert visit is not None
    unready = next(
        item.evidence
        for theme in api.build_pack(sam, visit.id).themes
        for finding in theme.findings
        for action in finding.actions
        for item in action.evidence
        if not item.ready
    )
    app: Any = real_app(sam, tmp_path)
    said: list[str] = []
    notify = app.notify
    app.notify = lambda message, *a, **k: (said.append(str(message)), notify(message, *a, **k))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "p")
        assert isinstance(app.screen, PackScreen)
        tree = app.screen.query_one(PackTree)
        assert unready.id not in _ready_lines(tree)
        alex = _other(demo_store, "Alex Khan")
        try:
            api.set_evidence_ready(alex, visit.id, unready.id, True)
        finally:
            alex.close()
        app.look_for_changes()  # what the app's 1.5 s timer does
        await press(pilot)
        await press(pilot)
        assert unready.id in _ready_lines(tree), "Sam's pack did not show Alex's tick"
        assert any("Alex Khan ticked" in line for line in said), said
    sam.close()


@pilot_test
async def test_on_postgresql_a_tick_shows_at_once_without_waiting_for_the_poll(
    backend: str, demo_store: Store, tmp_path: Path, monkeypatch: Any
) -> None:
    """The store announces Alex's tick as it commits and Sam's app, listening, looks at
    once: the poll is set to an hour here, so only the announcement can bring it."""
    if backend == "sqlite":
        pytest.skip("SQLite has nothing to listen to: the poll alone keeps the app current")
    import tui.backstage

    monkeypatch.setattr(tui.backstage, "POLL_SECONDS", 3600.0)
    sam = _other(demo_store, "Sam Patel")
    visit = api.next_visit(sam)
    assert visit is not None
    unready = next(
        item.evidence
        for theme in api.build_pack(sam, visit.id).themes
        for finding in theme.findings
        for action in finding.actions
        for item in action.evidence
        if not item.ready
    )
    app: Any = real_app(sam, tmp_path)
    said: list[str] = []
    notify = app.notify
    app.notify = lambda message, *a, **k: (said.append(str(message)), notify(message, *a, **k))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "p")
        assert isinstance(app.screen, PackScreen)
        tree = app.screen.query_one(PackTree)
        for _ in range(500):  # the listener starts once the store layer has loaded
            if app.listener.listening.is_set():
                break
            await pilot.pause(0.02)
        assert app.listener.listening.is_set(), "Sam's app never started listening"
        alex = _other(demo_store, "Alex Khan")
        try:
            api.set_evidence_ready(alex, visit.id, unready.id, True)
        finally:
            alex.close()
        for _ in range(150):  # 3 s at most; nothing here asks the app to look
            if unready.id in _ready_lines(tree):
                break
            await pilot.pause(0.02)
        assert unready.id in _ready_lines(tree), "Sam's pack did not show Alex's tick at once"
        assert any("Alex Khan ticked" in line for line in said), said
    sam.close()


def test_a_save_started_before_someone_elses_edit_is_refused_on_either_backend(
    demo_store: Store,
) -> None:
    action = api.list_actions(demo_store)[0]
    sam = _other(demo_store, "Sam Patel")
    alex = _other(demo_store, "Alex Khan")
    try:
        opened_at = api.get_action(sam, action.id).version
        api.update_action(alex, action.id, owner="Alex's owner")
        try:
            api.update_action(sam, action.id, expected_version=opened_at, owner="Sam's owner")
        except StaleRecord as refused:
            assert "Alex Khan" in str(refused)
        else:
            raise AssertionError("the stale save was not refused")
        assert api.get_action(demo_store, action.id).owner == "Alex's owner"
    finally:
        sam.close()
        alex.close()
