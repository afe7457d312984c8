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
        await pilot.press("enter")  # nothing typed: enter in the box links nothing by chance
        await settle(pilot)
        assert "Type part of a title first" in str(picker.query_one("#link-status").render())
        assert "✓ linked" in _prompt(picker, first.title)
        await pilot.press("down", "enter")  # into the list, on the first: unlink it
        await settle(pilot)
        await pilot.press("down", "space")  # the second: link it
        await settle(pilot)
        assert "✓ linked" not in _prompt(picker, first.title)
        assert "✓ linked" in _prompt(picker, second.title)
        assert app.screen is picker  # still open
        await pilot.press("escape")
        await settle(pilot)
    assert app.results == [True]
    assert [a.id for a in api.list_actions(store, finding_id=finding.id)] == [second.id]


@pilot_test
async def test_down_from_the_box_lands_on_the_top_match_and_space_there_links_it(
    store: Store,
) -> None:
    action = api.create_action(store, title="Health assessments tracker", ref="7.6")
    for title in (
        "Children in care quarterly performance report (quarter 1)",
        "Children in care visit tracker",
        "Children in care council: 'What makes a good social worker'",
    ):
        api.create_evidence(store, title=title, kind="tracker")
    picker = LinkPicker("action", action.id, "evidence")
    app = Harness(store, picker)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await type_into(pilot, "#link-query", "children in care quartrly")
        await settle(pilot)
        top, second = picker.candidates[0], picker.candidates[1]
        assert top.title.startswith("Children in care quarterly")
        await pilot.press("down")  # into the list: on the top match, not past it
        await settle(pilot)
        assert app.focused is picker.query_one("#link-list")
        await pilot.press("enter")
        await settle(pilot)
        assert [e.id for e in api.list_evidence(store, action_id=action.id)] == [top.id]
        # What the footer offers is what the keys do: enter in the box, space in the list.
        await pilot.press("up")
        assert picker.active_bindings["enter"].binding.description == "Link/unlink"
        await pilot.press("down")

        await pilot.press("down", "space")  # space in the list toggles too
        await settle(pilot)
        linked = {e.id for e in api.list_evidence(store, action_id=action.id)}
        assert linked == {top.id, second.id}
        assert picker.active_bindings["space"].binding.description == "Link/unlink"
        await pilot.press("space")  # and again unlinks
        await settle(pilot)
        assert [e.id for e in api.list_evidence(store, action_id=action.id)] == [top.id]

        await pilot.press("up", "up")  # up from the top goes back to the box
        assert isinstance(app.focused, Input)
        await pilot.press("space", "x")  # where space is typed, not a toggle
        await settle(pilot)
        assert picker.query_one("#link-query", Input).value == "children in care quartrly x"
        assert [e.id for e in api.list_evidence(store, action_id=action.id)] == [top.id]


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
async def test_enter_typed_in_a_burst_links_the_top_match_of_what_was_typed(
    store: Store,
) -> None:
    """A paste then enter: enter waits for the matches, never acting on the list before."""
    from textual import events

    action = api.create_action(store, title="Recruit foster carers", ref="3.1")
    sample = api.create_evidence(store, title="Case sample: children in care visits")
    foster = api.create_evidence(store, title="Foster carer recruitment report")
    api.link(store, "action", action.id, "evidence", sample.id)
    picker = LinkPicker("action", action.id, "evidence")
    app = Harness(store, picker)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert _shown(picker)[0] == sample.title  # linked, so first with nothing typed
        for char in "foster carer recruitment":
            app.post_message(events.Key("space" if char == " " else char, char))
        app.post_message(events.Key("enter", "\r"))
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    linked = {e.id for e in api.list_evidence(store, action_id=action.id)}
    assert linked == {sample.id, foster.id}


@pilot_test
async def test_another_councils_findings_are_not_offered_to_answer(store: Store) -> None:
    action = api.create_action(store, title="Return home interviews within 72 hours", ref="A2")
    haringey = api.create_source(store, kind="inspection", title="Haringey ILACS 2018",
                                 local_authority="Haringey", ours=False)  # fmt: skip
    api.create_finding(store, title="Return home interviews are offered late", ref="R8",
                       source_id=haringey.id)  # fmt: skip
    ours = api.create_finding(store, title="Return home interviews are not analysed", ref="R3")
    picker = LinkPicker("action", action.id, "finding")
    app = Harness(store, picker)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await type_into(pilot, "#link-query", "return home")
        await settle(pilot)
        assert _shown(picker) == [ours.title]


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
        picker.query_one("#link-list").focus()
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


@pilot_test
async def test_an_exact_ref_typed_in_the_action_picker_is_the_top_match_enter_links(
    store: Store,
) -> None:
    """Issue 19.1: '3.4' and enter listed 3.1, 3.2, 3.3, 3.4 and linked 3.1."""
    finding = api.create_finding(store, title="Strategy discussions are not timely", ref="R2")
    actions = {
        ref: api.create_action(store, title=f"Strategy discussion step {n}", ref=ref)
        for n, ref in enumerate(("3.1", "3.2", "3.3", "3.4", "13.4"), start=1)
    }
    picker = LinkPicker("finding", finding.id, "action")
    app = Harness(store, picker)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await type_into(pilot, "#link-query", "3.4")
        await settle(pilot)
        assert picker.candidates[0].ref == "3.4"
        await pilot.press("enter")
        await settle(pilot)
    linked = [a.id for a in api.list_actions(store, finding_id=finding.id)]
    assert linked == [actions["3.4"].id]


@pilot_test
async def test_an_exact_title_typed_in_the_evidence_picker_is_the_top_match(store: Store) -> None:
    action = api.create_action(store, title="Audit return home interviews", ref="A1")
    for title in ("RHI audit December 2018", "RHI audit", "RHI audit November 2018 (draft)"):
        api.create_evidence(store, title=title, kind="audit")
    picker = LinkPicker("action", action.id, "evidence")
    app = Harness(store, picker)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await type_into(pilot, "#link-query", "rhi AUDIT")
        await settle(pilot)
        assert _shown(picker)[0] == "RHI audit"


@pilot_test
async def test_each_line_reads_as_the_palette_draws_the_record_with_its_brag_before_the_title(
    store: Store,
) -> None:
    """Issue 17: one renderer for every picker: the tick box, then the palette's line."""
    from tui.widgets.badges import brag_badge

    finding = api.create_finding(store, title="Return home interviews are late", ref="R7")
    audit = api.create_action(
        store,
        title="Audit return home interviews",
        ref="A1",
        brag="amber",
        theme="Exploitation and missing",
    )
    train = api.create_action(store, title="Train staff in return home interviews", brag="green")
    api.link(store, "finding", finding.id, "action", audit.id)
    picker = LinkPicker("finding", finding.id, "action")
    app = Harness(store, picker)
    amber, green = brag_badge("amber").plain, brag_badge("green").plain
    linked_line = f"✓ linked  A1  {amber}  Audit return home interviews  · {audit.theme}"
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        # Nothing typed: the linked action first, read from the store, not from a search.
        assert _prompt(picker, audit.title) == linked_line
        await type_into(pilot, "#link-query", "retrun home")
        await settle(pilot)
        # Found by the search, the same line; the unlinked one with an empty box.
        assert _prompt(picker, audit.title) == linked_line
        assert _prompt(picker, train.title) == (
            f"☐         {train.ref}  {green}  Train staff in return home interviews"
        )
