"""In the app, a plan's undated progress note reads "date not given" (issue 19, item 6).

The action's page and the pack say it, never today's date; the lead adding an update by
hand must give its date (a blank date is refused, not taken as today), and the new dated
update is then the latest; editing the action keeps the undated note as it was.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from _tui_harness import Harness, pilot_test, settle, type_into
from textual.geometry import Region
from textual.widgets import Input

import store as api
from store import Store
from tui.app import VisitPrepApp
from tui.screens.pack import PackScreen, PackTree
from tui.screens.record_form import RecordForm
from tui.screens.update_form import ActionUpdateForm

SIZE = (150, 50)
NOTE = "Tracker in place in three of five teams"


def _action_with_an_undated_note(store: Store) -> Any:
    finding = api.create_finding(
        store, title="Pathway plans are not updated", ref="R4", theme="Care leavers"
    )
    action = api.create_action(
        store, title="Audit pathway plans monthly", ref="A1", owner="Head of care leavers",
        brag="amber", finding_ids=[finding.id],
    )  # fmt: skip
    # As the plan import keeps a note that nothing dates.
    api.add_action_update(store, action.id, note=NOTE, brag="amber", undated=True)
    return action


def _drawn(app: Any, selector: str) -> str:
    widget = app.screen.query_one(selector)
    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "\n".join(strip.text.rstrip() for strip in strips)


@pilot_test
async def test_the_action_page_says_date_not_given_and_a_typed_update_needs_its_date(
    store: Store,
) -> None:
    action = _action_with_an_undated_note(store)
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        app.open_record("action", action.id)
        await settle(pilot)
        history = _drawn(app, "#detail-history")
        assert "date not given" in history and NOTE in history
        assert "20 Jan 2018" not in history

        await pilot.press("u")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ActionUpdateForm)
        await pilot.press(*"Live", "space", *"in", "space", *"all")
        await type_into(pilot, "#update-date", "")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # refused: a person adding an update knows its date
        assert "Give the date of the update" in form.field_error("on_date")
        assert app.focused is form.query_one("#update-date", Input)
        assert len(api.list_action_updates(store, action.id)) == 1

        await type_into(pilot, "#update-date", "15/01/2018")
        await pilot.press("ctrl+s")
        await settle(pilot)
        history = _drawn(app, "#detail-history")
        # Newest first: the dated update, then the undated note under it.
        assert history.index("15 Jan 2018") < history.index("Live in all")
        assert history.index("Live in all") < history.index("date not given")
        assert history.index("date not given") < history.index(NOTE)
    assert [u.on_date for u in api.list_action_updates(store, action.id)] == [
        None,
        date(2018, 1, 15),
    ]


@pilot_test
async def test_editing_an_action_with_an_undated_note_keeps_the_note(store: Store) -> None:
    action = _action_with_an_undated_note(store)
    form = RecordForm("action", action.id)
    app = Harness(store, form)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await type_into(pilot, "#field-owner", "Service manager, care leavers")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert app.results == [action.id]
    assert api.get_action(store, action.id).owner == "Service manager, care leavers"
    [update] = api.list_action_updates(store, action.id)
    assert (update.note, update.on_date, update.date_text) == (NOTE, None, "date not given")


@pilot_test
async def test_the_pack_never_calls_an_undated_note_this_weeks(store: Store) -> None:
    _action_with_an_undated_note(store)
    visit = api.create_visit(
        store, title="Monitoring visit 4", start_date="06/02/2018", focus_themes=["Care leavers"]
    )
    screen = PackScreen(visit.id)
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        tree = screen.query_one(PackTree)
        for line in range(tree.last_line + 1):
            node = tree.get_node_at_line(line)
            if node is not None and "A1 Audit pathway plans" in str(node.label):
                tree.move_cursor(node)
                break
        await pilot.pause()
        detail = str(screen.query_one("#pack-detail").render())
        assert f"latest update date not given: {NOTE}" in detail
        assert "20 Jan 2018" not in detail


def test_the_history_view_says_an_imported_note_had_no_date(store: Store) -> None:
    from tui.screens.history import _changed

    action = _action_with_an_undated_note(store)
    api.add_action_update(store, action.id, note="Live", on_date="10/01/2018")
    said = [_changed(e).plain for e in api.record_history(store, "action", action.id)]
    [undated, dated] = [s for s in said if "added a progress update" in s]
    assert "on date: date not given" in undated and "20 Jan 2018" not in undated
    assert "on date: — → 10 Jan 2018" in dated and "date not given" not in dated
