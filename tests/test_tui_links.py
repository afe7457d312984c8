"""A lead links evidence and actions to findings from a picker that filters as they type."""

from __future__ import annotations

import pytest
from _tui_harness import Harness, pilot_test, settle, type_into
from textual.widgets import Input

import store as api
from store import Store
from tui.screens.link_picker import LinkPicker


def _shown(picker: LinkPicker) -> list[str]:
    return [c.title for c in picker.candidates]


def _prompt(picker: LinkPicker, title: str) -> str:
    option_list = picker.query_one("#link-list")
    index = _shown(picker).index(title)
    return str(option_list.get_option_at_index(index).prompt)


@pilot_test
async def test_a_lead_links_evidence_to_an_action_by_typing_part_of_its_title(
    store: Store,
) -> None:
    action = api.create_action(store, title="Audit return home interviews", ref="A1")
    audit = api.create_evidence(store, title="RHI timeliness audit, December", kind="audit")
    api.create_evidence(store, title="MASH threshold guidance", kind="policy")
    api.create_evidence(store, title="Care leaver survey", kind="feedback")

    picker = LinkPicker("action", action.id, "evidence")
    app = Harness(store, picker)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert "A1 Audit return home interviews" in str(picker.query_one("#link-heading").render())
        assert len(_shown(picker)) == 3
        await type_into(pilot, "#link-query", "timelines audt")  # typos are fine
        await settle(pilot)
        assert _shown(picker)[0] == audit.title
        await pilot.press("enter")
        await settle(pilot)
        assert "✓ linked" in _prompt(picker, audit.title)
        assert [e.id for e in api.list_evidence(store, action_id=action.id)] == [audit.id]
        await pilot.press("escape")
        await settle(pilot)
    assert app.results == [True]


@pilot_test
async def test_the_picker_stays_open_to_link_several_and_unlinks_with_the_same_key(
    store: Store,
) -> None:
    finding = api.create_finding(store, title="Plans for children in need are weak", ref="R2")
    first = api.create_action(store, title="Rewrite the CiN plan template", ref="A1")
    second = api.create_action(store, title="Train staff on SMART plans", ref="A2")
    api.link(store, "finding", finding.id, "action", first.id)

    picker = LinkPicker("finding", finding.id, "action")
    app = Harness(store, picker)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        # With nothing typed, what is already linked comes first, marked.
        assert _shown(picker)[0] == first.title
        assert "✓ linked" in _prompt(picker, first.title)
        assert "✓ linked" not in _prompt(picker, second.title)
        await pilot.press("enter")  # unlink the first
        await settle(pilot)
        await pilot.press("down", "enter")  # link the second
        await settle(pilot)
        assert "✓ linked" not in _prompt(picker, first.title)
        assert "✓ linked" in _prompt(picker, second.title)
        assert isinstance(app.focused, Input)  # still open, still typing
        await pilot.press("escape")
        await settle(pilot)
    assert app.results == [True]
    assert [a.id for a in api.list_actions(store, finding_id=finding.id)] == [second.id]


@pilot_test
async def test_closing_without_a_toggle_reports_no_change(store: Store) -> None:
    evidence = api.create_evidence(store, title="Board minutes, January")
    api.create_action(store, title="Report monthly to the improvement board")
    picker = LinkPicker("evidence", evidence.id, "action")
    app = Harness(store, picker)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    assert app.results == [False]


@pilot_test
async def test_an_action_links_to_findings_and_sees_which_are_linked(store: Store) -> None:
    action = api.create_action(store, title="Weekly MASH audits", ref="A7")
    linked = api.create_finding(store, title="Thresholds at the front door", ref="R1")
    other = api.create_finding(store, title="Strategy meetings are late", ref="R4")
    api.link(store, "finding", linked.id, "action", action.id)
    picker = LinkPicker("action", action.id, "finding")
    app = Harness(store, picker)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert "✓ linked" in _prompt(picker, linked.title)
        await type_into(pilot, "#link-query", "strategy")
        await settle(pilot)
        assert _shown(picker) == [other.title]
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    assert app.results == [True]
    assert {a.id for a in api.list_actions(store, finding_id=other.id)} == {action.id}


@pilot_test
async def test_a_store_error_is_shown_and_the_picker_stays_usable(store: Store) -> None:
    action = api.create_action(store, title="Audit plans", ref="A1")
    gone = api.create_evidence(store, title="Audit of plans, draft")
    kept = api.create_evidence(store, title="Audit of plans, final")
    picker = LinkPicker("action", action.id, "evidence")
    app = Harness(store, picker)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        api.delete_evidence(store, gone.id)  # deleted elsewhere while the picker is open
        picker.query_one("#link-list").highlighted = _shown(picker).index(gone.title)
        await pilot.press("enter")
        await settle(pilot)
        assert app.errors and "no evidence item" in app.errors[0]
        picker.query_one("#link-list").highlighted = _shown(picker).index(kept.title)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    assert [e.id for e in api.list_evidence(store, action_id=action.id)] == [kept.id]


def test_only_findings_actions_and_evidence_link() -> None:
    with pytest.raises(ValueError):
        LinkPicker("action", 1, "action")
    with pytest.raises(ValueError):
        LinkPicker("visit", 1, "finding")
