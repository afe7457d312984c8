"""Journeys through the whole app, by its keys, on the demo store (today fixed, 120x36).

A quality-assurance lead a week and a half before monitoring visit 3 opens visitprep and:
ticks evidence ready in the visit's pack and exports the checklist; finds a finding with no
action from the dashboard's gap tile and links an action to it; adds an action (a date that
does not exist is refused under the field, then fixed), links evidence to it and records
an update; and walks back with escape the way they came.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _tui_harness import pilot_test, press, real_app, settle, started, type_into

import store as api
from store import Store
from tui.screens.dashboard import DashboardScreen
from tui.screens.detail import DetailScreen
from tui.screens.link_picker import LinkPicker
from tui.screens.lists import ListScreen
from tui.screens.pack import ExportPrompt, PackScreen, PackTree
from tui.screens.record_form import RecordForm
from tui.screens.update_form import ActionUpdateForm
from tui.widgets.record_table import RecordTable

SIZE = (120, 36)


async def _focus_by_keys(pilot: Any, key: str, widget_id: str, limit: int = 30) -> None:
    """Press ``key`` until the widget ``widget_id`` has the focus (as a user tabs along)."""
    for _ in range(limit):
        if pilot.app.focused is not None and pilot.app.focused.id == widget_id:
            return
        await press(pilot, key)
    raise AssertionError(f"{key!r} never reached #{widget_id}; focus is on {pilot.app.focused}")


async def _tree_cursor_to(pilot: Any, tree: PackTree, wanted: Any) -> None:
    """Move the pack's cursor down with j until ``wanted(node)`` holds."""
    for _ in range(tree.last_line + 1):
        node = tree.cursor_node
        if node is not None and node.data is not None and wanted(node):
            return
        await press(pilot, "j")
    raise AssertionError("no line in the pack matched")


def _rows(table: RecordTable) -> list[Any]:
    """The records a table holds (its rows as loaded from the store)."""
    rows = [table.row_at(i) for i in range(table.total or 0)]
    return [row.record for row in rows if row is not None]


def _table(screen: DetailScreen, kind: str) -> RecordTable:
    [table] = [t for t in screen.query(RecordTable) if t.kind == kind]
    return table


@pilot_test
async def test_a_lead_ticks_evidence_in_the_next_pack_and_exports_the_checklist(
    demo_store: Store, tmp_path: Path
) -> None:
    visit = api.next_visit(demo_store)
    assert visit is not None
    app = real_app(demo_store, tmp_path)
    target = tmp_path / "packs" / "monitoring-visit-3.md"
    target.parent.mkdir()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "p")
        pack = app.screen
        assert isinstance(pack, PackScreen) and pack.visit_id == visit.id
        tree = pack.query_one(PackTree)
        await _tree_cursor_to(
            pilot, tree, lambda node: node.data.kind == "evidence" and not node.data.ready
        )
        evidence_id = tree.cursor_node.data.record_id
        title = api.get_evidence(demo_store, evidence_id).title
        assert str(tree.cursor_node.label).startswith("☐")

        await press(pilot, "space")
        assert str(tree.cursor_node.label).startswith("✓")
        assert title in str(tree.cursor_node.label)

        await press(pilot, "x")
        assert isinstance(app.screen, ExportPrompt)
        await type_into(pilot, "#prompt-value", str(target))
        await press(pilot, "enter")
        assert app.screen is pack
    ticked = [
        e.evidence.id
        for theme in api.build_pack(demo_store, visit.id).themes
        for f in theme.findings
        for e in [*f.evidence, *(pe for a in f.actions for pe in a.evidence)]
        if e.ready
    ]
    assert evidence_id in ticked
    checklist = target.read_text(encoding="utf-8")
    # Its lines in the pack itself (the chase list may name it too, in a table row).
    lines = [ln.strip() for ln in checklist.splitlines() if title in ln and ln.strip()[:3] == "- ["]
    assert lines and all(line.startswith("- [x] ") for line in lines), lines


@pilot_test
async def test_a_finding_with_no_action_is_opened_from_its_gap_tile_and_given_one(
    demo_store: Store, tmp_path: Path
) -> None:
    app = real_app(demo_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await _focus_by_keys(pilot, "j", "tile-gap-no_action")
        await press(pilot, "enter")
        listing = app.screen
        assert isinstance(listing, ListScreen) and listing.kind == "finding"
        gaps = _rows(listing.query_one(RecordTable))
        assert gaps and all(f.action_count == 0 for f in gaps)

        await press(pilot, "enter")
        detail = app.screen
        assert isinstance(detail, DetailScreen) and detail.kind == "finding"
        finding_id = detail.record_id
        assert finding_id == gaps[0].id
        assert _rows(_table(detail, "action")) == []

        await press(pilot, "l")
        picker = app.screen
        assert isinstance(picker, LinkPicker) and picker.to_kind == "action"
        await type_into(pilot, "#link-query", "return home interview")
        await settle(pilot)
        chosen = picker.candidates[0]
        await press(pilot, "enter")
        await press(pilot, "escape")
        assert app.screen is detail
        await settle(pilot)
        linked = _rows(_table(detail, "action"))
        assert [a.id for a in linked] == [chosen.id]

        # Back along the path: the detail, the gap list, the dashboard.
        await press(pilot, "escape")
        assert app.screen is listing
        await press(pilot, "escape")
        assert isinstance(app.screen, DashboardScreen)
    assert [a.id for a in api.list_actions(demo_store, finding_id=finding_id)] == [chosen.id]


@pilot_test
async def test_a_lead_adds_an_action_fixes_its_date_links_evidence_and_records_an_update(
    demo_store: Store, tmp_path: Path
) -> None:
    before = {a.id for a in api.list_actions(demo_store)}
    app = real_app(demo_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "3")
        actions = app.screen
        assert isinstance(actions, ListScreen) and actions.kind == "action"

        await press(pilot, "n")
        form = app.screen
        assert isinstance(form, RecordForm) and form.kind == "action"
        await type_into(pilot, "#field-title", "Weekly MASH threshold audit")
        await type_into(pilot, "#field-due_date", "31/02/2018")
        await press(pilot, "ctrl+s")
        # Refused where it was typed, and nothing stored.
        assert app.screen is form
        assert "not a real date" in form.field_error("due_date")
        assert form.query_one("#error-due_date").display
        assert {a.id for a in api.list_actions(demo_store)} == before

        await type_into(pilot, "#field-due_date", "28/02/2019")
        await press(pilot, "ctrl+s")
        [new_id] = {a.id for a in api.list_actions(demo_store)} - before
        action = api.get_action(demo_store, new_id)
        assert (action.title, f"{action.due_date:%d/%m/%Y}") == (
            "Weekly MASH threshold audit",
            "28/02/2019",
        )
        detail = app.screen
        assert isinstance(detail, DetailScreen) and (detail.kind, detail.record_id) == (
            "action",
            new_id,
        )

        # tab to its (empty) evidence table, and l links evidence to it.
        for _ in range(10):
            if isinstance(app.focused, RecordTable) and app.focused.kind == "evidence":
                break
            await press(pilot, "tab")
        await press(pilot, "l")
        picker = app.screen
        assert isinstance(picker, LinkPicker) and picker.to_kind == "evidence"
        await type_into(pilot, "#link-query", "threshold audit")
        await settle(pilot)
        evidence = picker.candidates[0]
        await press(pilot, "enter")
        await press(pilot, "escape")
        assert app.screen is detail
        await settle(pilot)
        assert [e.id for e in _rows(_table(detail, "evidence"))] == [evidence.id]

        # u records a dated update; the history shows it.
        await press(pilot, "u")
        assert isinstance(app.screen, ActionUpdateForm)
        note = "First weekly audit done: 18 of 20 decisions right"
        await pilot.press(*[c if c != " " else "space" for c in note])
        await press(pilot, "ctrl+s")
        assert app.screen is detail
        await settle(pilot)
        history = str(detail.query_one("#detail-history").render())
        assert note in history

        # escape walks back the way the lead came, and stops at the dashboard.
        await press(pilot, "escape")
        assert app.screen is actions
        await press(pilot, "escape")
        assert isinstance(app.screen, DashboardScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, DashboardScreen)
    [update] = api.list_action_updates(demo_store, new_id)
    assert update.note == note
    assert [e.id for e in api.list_evidence(demo_store, action_id=new_id)] == [evidence.id]


pytestmark = pytest.mark.tui
