"""A lead adds and edits records in forms, and adds updates to an action, from the keyboard."""

from __future__ import annotations

from datetime import date

import pytest
from _tui_harness import Harness, pilot_test, settle, type_into
from textual.color import Color
from textual.widgets import Button, Input, Select, TextArea

import store as api
from store import Store
from tui.screens.confirm import ConfirmScreen, UnsavedScreen
from tui.screens.record_form import RecordForm
from tui.screens.update_form import ActionUpdateForm
from tui.widgets.toggles import MarkedSelectionList


@pilot_test
async def test_a_lead_adds_an_action_with_a_bad_due_date_then_fixes_it(store: Store) -> None:
    finding = api.create_finding(store, title="Return home interviews are not timely", ref="R3")
    form = RecordForm("action", defaults={"finding_ids": [finding.id], "theme": "Exploitation"})
    app = Harness(store, form)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await type_into(pilot, "#field-title", "Audit RHI timeliness monthly")
        await type_into(pilot, "#field-owner", "Head of service")
        await type_into(pilot, "#field-due_date", "31/02/2018")
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert app.results == []  # still open: nothing saved
        assert api.list_actions(store) == []
        assert "not a real date" in form.field_error("due_date")
        assert app.focused is form.query_one("#field-due_date")

        await type_into(pilot, "#field-due_date", "end of March 2018")
        assert form.field_error("due_date") == ""  # typing clears the message
        await pilot.press("ctrl+s")
        await settle(pilot)

    [action] = api.list_actions(store)
    assert app.results == [action.id]
    assert action.title == "Audit RHI timeliness monthly"
    assert action.due_date == date(2018, 3, 31)
    assert action.owner == "Head of service"
    assert action.brag == "green"
    assert action.theme == "Exploitation and missing"
    assert action.ref  # the store gave it the next free ref
    assert [a.id for a in api.list_actions(store, finding_id=finding.id)] == [action.id]


@pilot_test
async def test_keys_typed_in_a_burst_before_ctrl_s_are_all_saved(store: Store) -> None:
    """A paste or a fast typist: ctrl+s saves what was typed before it, never less."""
    from textual import events

    form = RecordForm("action")
    app = Harness(store, form)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await type_into(pilot, "#field-title", "Audit RHI timeliness monthly")
        form.query_one("#field-due_date").focus()
        await settle(pilot)
        # As the terminal driver delivers them: all posted at once, none waited for.
        for char in "14/12/2018":
            app.post_message(events.Key(char, char))
        app.post_message(events.Key("ctrl+s", None))
        await settle(pilot)

    [action] = api.list_actions(store)
    assert action.due_date == date(2018, 12, 14)


@pilot_test
async def test_a_new_actions_form_shows_the_ref_it_will_get_and_saves_it(store: Store) -> None:
    for ref in ("7.1", "7.2", "7.3"):
        api.create_action(store, title=f"Governance {ref}", ref=ref)
    form = RecordForm("action")
    app = Harness(store, form)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        field = form.query_one("#field-ref", Input)
        assert (field.value, field.placeholder) == ("", "7.4")
        hints = [str(hint.render()) for hint in form.query(".form-hint")]
        assert "Leave blank for 7.4, the next ref in the plan" in hints
        await type_into(pilot, "#field-title", "Board self-assessment")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert api.get_action(store, app.results[0]).ref == "7.4"


@pilot_test
async def test_an_action_added_for_a_finding_takes_the_next_ref_of_its_theme(
    store: Store,
) -> None:
    # From the pack or a finding, n opens this form for the finding: a plan numbered by
    # theme (3.x for children in care) carries on there, not after the action added last.
    finding = api.create_finding(store, title="Health assessments late", theme="Children in care")
    for ref in ("3.1", "3.7"):
        api.create_action(store, title=f"Health {ref}", ref=ref, theme="Children in care")
    api.create_action(store, title="Governance", ref="7.5", theme="Leadership")
    form = RecordForm("action", defaults={"finding_ids": [finding.id], "theme": "Children in care"})
    app = Harness(store, form)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert form.query_one("#field-ref", Input).placeholder == "3.8"
        await type_into(pilot, "#field-title", "Health assessment tracker")
        await pilot.press("ctrl+s")
        await settle(pilot)
    action = api.get_action(store, app.results[0])
    assert (action.ref, action.finding_count) == ("3.8", 1)


@pilot_test
async def test_choosing_a_theme_in_the_form_shows_the_ref_of_that_themes_numbering(
    store: Store,
) -> None:
    api.create_action(store, title="Health 3.1", ref="3.1", theme="Children in care")
    api.create_action(store, title="Governance", ref="7.5", theme="Leadership")
    themes = {t.name: t.id for t in api.list_themes(store)}
    form = RecordForm("action")
    app = Harness(store, form)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert form.query_one("#field-ref", Input).placeholder == "7.6"  # after the last
        form.query_one("#field-theme", Select).value = themes["Children in care"]
        await settle(pilot)
        assert form.query_one("#field-ref", Input).placeholder == "3.2"
        assert "Leave blank for 3.2" in str(form.query_one("#hint-ref").render())
        await type_into(pilot, "#field-title", "Health assessment tracker")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert api.get_action(store, app.results[0]).ref == "3.2"


@pilot_test
async def test_an_empty_title_is_refused_next_to_the_title(store: Store) -> None:
    form = RecordForm("evidence")
    app = Harness(store, form)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await type_into(pilot, "#field-as_of", "1 Jan 2018")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "cannot be empty" in form.field_error("title")
        assert app.focused is form.query_one("#field-title")
    assert api.list_evidence(store) == []


@pilot_test
async def test_editing_prefills_the_record_and_saves_only_what_changed(store: Store) -> None:
    action = api.create_action(
        store, title="Refresh the MASH threshold guide", owner="Jo", due_date="28/02/2018"
    )
    form = RecordForm("action", action.id)
    app = Harness(store, form)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert form.query_one("#field-title", Input).value == action.title
        assert form.query_one("#field-due_date", Input).value == "28/02/2018"
        assert form.query_one("#field-brag", Select).value == "green"
        await type_into(pilot, "#field-owner", "Sam")
        await pilot.press("ctrl+s")
        await settle(pilot)
    saved = api.get_action(store, action.id)
    assert app.results == [action.id]
    assert saved.owner == "Sam"
    assert saved.due_date == date(2018, 2, 28)
    assert saved.title == action.title


@pilot_test
async def test_escape_asks_before_discarding_and_discard_saves_nothing(store: Store) -> None:
    finding = api.create_finding(store, title="Supervision is not regular", ref="R1")
    form = RecordForm("finding", finding.id)
    app = Harness(store, form)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await type_into(pilot, "#field-title", "Changed my mind")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedScreen)
        await pilot.press("d")
        await settle(pilot)
    assert app.results == [None]
    assert api.get_finding(store, finding.id).title == "Supervision is not regular"


@pilot_test
async def test_a_visit_form_takes_focus_themes_and_a_uk_start_date(store: Store) -> None:
    form = RecordForm("visit", defaults={"focus_themes": ["Care leavers"]})
    app = Harness(store, form)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        # The chosen theme has a tick, the others none (not the same mark in two colours).
        themes = form.query_one("#field-focus_themes")
        lines = [themes.render_line(y).text for y in range(themes.size.height)]
        ticked = [line for line in lines if "✓" in line]
        assert len(ticked) == 1 and "Care leavers" in ticked[0], lines
        assert not any("X" in line for line in lines), lines
        await type_into(pilot, "#field-title", "Monitoring visit 3")
        await type_into(pilot, "#field-start_date", "6 Feb 2018")
        await pilot.press("ctrl+s")
        await settle(pilot)
    [visit] = api.list_visits(store)
    assert app.results == [visit.id]
    assert visit.start_date == date(2018, 2, 6)
    assert visit.focus_themes == ("Care leavers",)


@pilot_test
async def test_markup_in_a_title_is_shown_literally_in_the_form(store: Store) -> None:
    finding = api.create_finding(store, title="[bold red]not markup[/] \x1b[31m", ref="R9")
    form = RecordForm("finding", finding.id)
    app = Harness(store, form)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        heading = str(form.query_one("#form-title").render())
        assert "[bold red]not markup[/]" in heading
        assert "\x1b" not in heading


@pilot_test
async def test_u_type_a_note_ctrl_s_adds_an_update(store: Store) -> None:
    action = api.create_action(store, title="Recruit two IROs", brag="amber")
    form = ActionUpdateForm(action.id)
    app = Harness(store, form)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert form.query_one("#update-date", Input).value == "20/01/2018"
        assert form.query_one("#update-brag", Select).value == "amber"
        assert isinstance(app.focused, TextArea)
        await pilot.press(*"One", "space", *"appointed")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert app.results == [True]
    [update] = api.list_action_updates(store, action.id)
    assert update.note == "One appointed"
    assert update.brag == "amber"
    assert update.on_date == date(2018, 1, 20)


@pilot_test
async def test_an_update_can_change_brag_with_one_key_and_refuses_a_future_date(
    store: Store,
) -> None:
    action = api.create_action(store, title="Recruit two IROs", brag="amber")
    form = ActionUpdateForm(action.id)
    app = Harness(store, form)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press(*"Both", "space", *"in", "space", *"post")
        await type_into(pilot, "#update-date", "01/02/2018")
        await pilot.press("escape")  # asks first: a note is typed
        await settle(pilot)
        assert isinstance(app.screen, UnsavedScreen)
        await pilot.press("d")
        await settle(pilot)
    assert app.results == [False]
    assert api.list_action_updates(store, action.id) == []

    form = ActionUpdateForm(action.id)
    app = Harness(store, form)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press(*"Both", "space", *"in", "space", *"post")
        form.query_one("#update-brag", Select).focus()
        await pilot.pause()
        await pilot.press("b")
        assert form.query_one("#update-brag", Select).value == "blue"
        await type_into(pilot, "#update-date", "01/02/2018")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "future" in form.field_error("on_date")
        # Said across the form's width, not wrapped into the date's narrow column.
        error = form.query_one("#error-on_date")
        assert error.size.width > 2 * form.query_one("#update-date").size.width
        assert app.results == []
        await type_into(pilot, "#update-date", "19/01/2018")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert app.results == [True]
    saved = api.get_action(store, action.id)
    assert saved.brag == "blue"
    assert saved.closed_on == date(2018, 1, 19)


def test_every_form_kind_is_known() -> None:
    with pytest.raises(ValueError):
        RecordForm("meeting")


@pilot_test
async def test_a_habitual_escape_on_a_long_progress_note_keeps_it_until_the_lead_decides(
    store: Store,
) -> None:
    """Issue 15.1: one escape lost a long note. Now escape asks Save / Discard / Keep
    editing; keep editing (or escape again) goes back to the note as it was, and save
    saves it and closes."""
    action = api.create_action(store, title="Recruit two IROs", brag="amber")
    form = ActionUpdateForm(action.id)
    app = Harness(store, form)
    note = "Both IROs in post from 14 January; caseloads down to 62 each"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form.query_one("#update-note", TextArea).insert(note)
        await pilot.press("escape")
        await settle(pilot)
        question = app.screen
        assert isinstance(question, UnsavedScreen)
        said = str(question.query_one("#unsaved-message").render())
        assert "progress update is not saved" in said and "keep editing" in said
        assert app.focused is question.query_one("#unsaved-keep")  # enter loses nothing
        await pilot.press("escape")  # escape again: keep editing
        await settle(pilot)
        assert app.screen is form and app.results == []
        assert form.query_one("#update-note", TextArea).text == note
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
    assert app.results == [True]
    [update] = api.list_action_updates(store, action.id)
    assert update.note == note


@pilot_test
async def test_escape_on_an_untouched_form_closes_it_without_a_question(store: Store) -> None:
    form = RecordForm("action")
    app = Harness(store, form)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    assert app.results == [None]


@pilot_test
async def test_save_from_the_question_shows_a_refusal_in_the_form_and_closes_nothing(
    store: Store,
) -> None:
    form = RecordForm("action")
    app = Harness(store, form)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await type_into(pilot, "#field-owner", "Head of service")  # no title: refused
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert app.screen is form and app.results == []
        assert "cannot be empty" in form.field_error("title")
    assert api.list_actions(store) == []


@pilot_test
async def test_a_due_date_a_year_early_is_kept_only_when_saved_again_after_its_warning(
    store: Store,
) -> None:
    """Issue 15.2: 31/01/2017 typed for 2018 was saved in silence, born overdue."""
    form = RecordForm("action")
    app = Harness(store, form)  # today is 20 Jan 2018
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_into(pilot, "#field-title", "Audit RHI timeliness monthly")
        await type_into(pilot, "#field-due_date", "31/01/2017")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert api.list_actions(store) == [] and app.results == []
        warning = form.field_error("due_date")
        assert "31 Jan 2017 is in the past (354 days ago)" in warning
        assert "ctrl+s again keeps it" in warning
        assert app.focused is form.query_one("#field-due_date")
        # Fixing the year saves at once; a changed date far ahead is asked about again.
        await type_into(pilot, "#field-due_date", "31/01/2021")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "more than two years ahead" in form.field_error("due_date")
        await pilot.press("ctrl+s")  # the same date again: the lead means it
        await settle(pilot)
    [action] = api.list_actions(store)
    assert action.due_date == date(2021, 1, 31)
    assert app.results == [action.id]


@pilot_test
async def test_the_focus_theme_list_jumps_as_you_type_and_never_wraps_round_silently(
    store: Store,
) -> None:
    """Issue 19.9: the visit form's focus themes wrapped round silently, with no type-to-jump."""
    form = RecordForm("visit")
    app = Harness(store, form)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        themes = form.query_one("#field-focus_themes", MarkedSelectionList)
        themes.focus()
        await pilot.pause()
        # Said under the list: a newcomer in tmux had no way to know it jumps as you type.
        hint = str(form.query_one("#hint-focus_themes").render())
        assert hint.startswith("Space ticks a theme; type its first letters to jump to it")

        def highlighted() -> str:
            assert themes.highlighted is not None
            return str(themes.get_option_at_index(themes.highlighted).prompt)

        await pilot.press("c", "a")
        assert highlighted() == "Care leavers"
        await pilot.press("space")  # chosen, as before
        await pilot.pause(1.1)
        await pilot.press("i", "r", "o")
        assert highlighted() == "IROs and CP chairs"  # the last theme
        await pilot.press("down")  # on to the next field, not round to the top
        await pilot.pause()
        assert app.focused is form.query_one("#field-notes")
        await pilot.press("shift+tab")
        await pilot.pause()
        assert app.focused is themes and highlighted() == "IROs and CP chairs"
        themes.highlighted = 0
        await pilot.press("up")
        await pilot.pause()
        assert app.focused is form.query_one("#field-end_date")
        chosen = [str(o.prompt) for o in themes.options if o.value in themes.selected]
        assert chosen == ["Care leavers"]


@pilot_test
async def test_a_new_visit_offers_the_findings_outside_its_focus_that_mention_it(
    store: Store,
) -> None:
    """Issue 19.3: findings in the visit's focus were missing from the pack because they
    were filed under another theme; the visit builder now offers them."""
    api.create_finding(store, title="Supervision is not regular", ref="R1",
                       theme="Supervision and management oversight")  # fmt: skip
    elsewhere = api.create_finding(
        store, ref="R4", theme="IROs and CP chairs",
        title="Ensure that the oversight of practice by all operational directors",
        text="Strengthen management oversight of practice by team managers.",
    )  # fmt: skip
    form = RecordForm("visit", defaults={"focus_themes": ["Supervision"]})
    app = Harness(store, form)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_into(pilot, "#field-title", "Monitoring visit 4")
        await type_into(pilot, "#field-start_date", "6 Mar 2018")
        await pilot.press("ctrl+s")
        await settle(pilot)
        question = app.screen
        assert isinstance(question, ConfirmScreen), question
        said = str(question.query_one("#confirm-message").render())
        assert "1 more finding mentions management oversight: R4" in said
        # One line a finding, its theme after it, and no line-break mark shown as text.
        assert "(IROs and CP chairs)\n" in said and "␊" not in said
        assert "Add it to this visit's pack?" in said
        # A harmless question (nothing is lost either way): the ordinary look, not the red
        # a delete gets. The yes is the primary button and the border the primary colour.
        assert question.query_one("#confirm-yes", Button).variant == "primary"
        assert question.query_one("#confirm-no", Button).variant == "default"
        colours = app.get_css_variables()
        border = question.query_one("#confirm-dialog").styles.border_top
        assert border[1] == Color.parse(colours["primary"]) != Color.parse(colours["error"])
        await pilot.press("y")
        await settle(pilot)
    [visit] = api.list_visits(store)
    assert app.results == [visit.id]
    pack = api.build_pack(store, visit.id)
    refs = {f.finding.ref for theme in pack.themes for f in theme.findings}
    assert refs == {"R1", "R4"}
    assert elsewhere.id not in {f.id for f in pack.dropped}
