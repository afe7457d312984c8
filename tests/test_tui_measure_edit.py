"""A lead corrects a measure and removes one the board dropped, in the app, as any other
record: ``e`` on its page opens the record form (the store checks each value), ``d`` asks
first and says what goes with it, ``h`` shows who changed it. A save over someone else's
newer edit is refused, keeps what was typed, and asks Keep mine / Take theirs (issue 11).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from _tui_harness import pilot_test, press, real_app, started, type_into
from textual.widgets import Input, Static

import store as api
from store import Store, open_store
from store.demo import DEMO_TODAY
from tui.screens.confirm import ConfirmScreen
from tui.screens.history import HistoryScreen
from tui.screens.measure_detail import MeasureDetailScreen
from tui.screens.measures import MeasuresScreen
from tui.screens.record_form import RecordForm
from tui.screens.stale import StaleScreen

SIZE = (120, 36)


def _text(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def _plain(renderable: Any) -> str:
    from rich.console import Console

    console = Console(width=120, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(renderable)
    return console.export_text()


async def _open_a1(pilot: Any) -> MeasureDetailScreen:
    """7 for the Measures, down to A1, enter."""
    await press(pilot, "7")
    await press(pilot, "j", "j", "enter")
    screen = pilot.app.screen
    assert isinstance(screen, MeasureDetailScreen)
    assert screen.measure is not None and screen.measure.ref == "A1"
    return screen


@pilot_test
async def test_e_edits_a_measure_and_h_shows_who_changed_what(
    demo_store: Store, tmp_path: Path
) -> None:
    demo_store.user = "Priya Shah"
    app = real_app(demo_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        detail = await _open_a1(pilot)
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, RecordForm)
        assert "Edit measure A1 Assessments completed within 45 working days" in _text(
            app, "#form-title"
        )
        assert form.query_one("#field-target", Input).value == "90"  # as typed, not 90.0
        await type_into(pilot, "#field-target", "150")
        await press(pilot, "ctrl+s")
        assert app.screen is form  # a percentage is 0 to 100: refused under its field
        assert "100" in form.field_error("target")
        await type_into(pilot, "#field-target", "92")
        await press(pilot, "ctrl+s")
        assert app.screen is detail
        a1 = api.get_measure_by_ref(demo_store, "A1")
        assert a1.target == 92
        assert "Target 92%" in _text(app, "#measure-facts")
        await press(pilot, "h")
        history = app.screen
        assert isinstance(history, HistoryScreen)
        shown = _plain(history.query_one("#history-entries", Static).content)
        assert "Priya Shah changed measure" in shown and "90 → 92" in shown


@pilot_test
async def test_d_says_what_goes_with_a_measure_and_deletes_it_only_when_told(
    demo_store: Store, tmp_path: Path
) -> None:
    a1 = api.get_measure_by_ref(demo_store, "A1")
    links = api.measure_links(demo_store, a1.id)
    app = real_app(demo_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await _open_a1(pilot)
        await press(pilot, "d")
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        said = question.message.plain
        assert said.startswith("A1 Assessments completed within 45 working days")
        assert (
            f"Its {a1.value_count} values and its links to 1 action and 2 findings go with it"
            in said
        )
        assert "; the findings and actions themselves stay. This cannot be undone." in said
        await press(pilot, "n")
        assert isinstance(app.screen, MeasureDetailScreen)
        assert api.get_measure(demo_store, a1.id).ref == "A1"  # "no" changed nothing
        await press(pilot, "delete")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "y")
        assert isinstance(app.screen, MeasuresScreen)
        assert "A1" not in [m.ref for m in api.list_measures(demo_store)]
        # What it was linked to stays.
        [(action_id, _ref, _title)] = links["action"]
        assert api.get_action(demo_store, action_id).ref == "1.6"
        (entry,) = [e for e in api.record_history(demo_store, "measure", a1.id) if e.op == "delete"]
        assert entry.who == demo_store.user


async def _edit_while_alex_saves(pilot: Any, demo_store: Store, mine: str, theirs: str) -> Any:
    """Open A1's form and type an owner; meanwhile Alex saves another owner."""
    await _open_a1(pilot)
    await press(pilot, "e")
    form = pilot.app.screen
    assert isinstance(form, RecordForm)
    await type_into(pilot, "#field-owner", mine)
    assert demo_store.path is not None
    alex = open_store(demo_store.path, today=DEMO_TODAY, user="Alex Khan")
    try:
        api.update_measure(alex, api.get_measure_by_ref(alex, "A1").id, owner=theirs)
    finally:
        alex.close()
    return form


@pilot_test
async def test_a_measure_saved_over_someone_elses_newer_edit_is_refused_and_keeps_the_typing(
    demo_store: Store, tmp_path: Path
) -> None:
    demo_store.user = "Sam Patel"
    app = real_app(demo_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        form = await _edit_while_alex_saves(pilot, demo_store, "Sam's owner", "Alex's owner")
        await press(pilot, "ctrl+s")
        stale = app.screen
        assert isinstance(stale, StaleScreen), "the stale save was not refused"
        assert "changed by Alex Khan at" in stale.message
        assert ("Owner", "Alex's owner", "Sam's owner") in stale.rows
        assert api.get_measure_by_ref(demo_store, "A1").owner == "Alex's owner"
        await press(pilot, "escape")  # keep editing: nothing saved, nothing lost
        assert app.screen is form
        assert form.query_one("#field-owner", Input).value == "Sam's owner"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, StaleScreen)
        await press(pilot, "m")  # keep mine, over theirs
        assert api.get_measure_by_ref(demo_store, "A1").owner == "Sam's owner"
        assert isinstance(app.screen, MeasureDetailScreen)


@pilot_test
async def test_take_theirs_shows_the_other_measure_in_the_form(
    demo_store: Store, tmp_path: Path
) -> None:
    app = real_app(demo_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        form = await _edit_while_alex_saves(pilot, demo_store, "Mine", "Theirs")
        await press(pilot, "ctrl+s")
        await press(pilot, "t")
        assert app.screen is form
        assert form.query_one("#field-owner", Input).value == "Theirs"
        assert api.get_measure_by_ref(demo_store, "A1").owner == "Theirs"


@pilot_test
async def test_the_measures_list_adds_edits_and_deletes_as_the_other_lists_do(
    demo_store: Store, tmp_path: Path
) -> None:
    app = real_app(demo_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "7")
        listing = app.screen
        assert isinstance(listing, MeasuresScreen)
        await press(pilot, "n")
        form = app.screen
        assert isinstance(form, RecordForm) and form.record_id is None
        assert "New measure" in _text(app, "#form-title")
        await type_into(pilot, "#field-name", "Return home interviews offered within 72 hours")
        await type_into(pilot, "#field-ref", "EX9")
        await type_into(pilot, "#field-target", "95")
        await press(pilot, "ctrl+s")
        assert app.screen is listing
        made = api.get_measure_by_ref(demo_store, "EX9")
        assert (made.target, made.unit, made.polarity, made.frequency) == (
            95,
            "%",
            "higher",
            "monthly",
        )
        await press(pilot, "j", "j")  # A1
        record = listing.table.record
        assert record is not None and record.ref == "A1"
        await press(pilot, "e")
        assert isinstance(app.screen, RecordForm) and app.screen.record_id == record.id
        await type_into(pilot, "#field-owner", "Head of Assessment")
        await press(pilot, "ctrl+s")
        assert app.screen is listing
        assert api.get_measure(demo_store, record.id).owner == "Head of Assessment"
        await press(pilot, "delete")
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert "A1 Assessments completed within 45 working days" in question.message.plain
        await press(pilot, "y")
        assert app.screen is listing
        refs = [m.ref for m in api.list_measures(demo_store)]
        assert "A1" not in refs and "EX9" in refs
        await press(pilot)
        assert listing.total == len(refs)  # the list follows


@pilot_test
async def test_a_value_someone_entered_meanwhile_is_not_replaced_unseen(
    demo_store: Store, tmp_path: Path
) -> None:
    from tui.screens.measure_detail import MeasureValueForm

    demo_store.user = "Sam Patel"
    app = real_app(demo_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        detail = await _open_a1(pilot)
        await press(pilot, "v")
        form = app.screen
        assert isinstance(form, MeasureValueForm)
        assert form.query_one("#value-period", Input).value == "Jan 2019"
        assert demo_store.path is not None
        alex = open_store(demo_store.path, today=DEMO_TODAY, user="Alex Khan")
        try:
            api.set_measure_value(alex, api.get_measure_by_ref(alex, "A1").id, "Jan-19", 91)
        finally:
            alex.close()
        await type_into(pilot, "#value-value", "93")
        await press(pilot, "ctrl+s")
        assert app.screen is form, "the value was saved over Alex's unseen"
        said = _text(app, "#value-error")
        assert "The Jan 2019 value of measure A1" in said and "entered by Alex Khan" in said
        assert "(91%)" in said and "ctrl+s again saves yours over theirs" in said
        assert form.query_one("#value-value", Input).value == "93"  # the typing stays
        a1 = api.get_measure_by_ref(demo_store, "A1")
        assert a1.latest is not None and a1.latest.value == 91
        await press(pilot, "ctrl+s")  # seen theirs: keep mine
        assert app.screen is detail
        a1 = api.get_measure_by_ref(demo_store, "A1")
        assert a1.latest is not None
        assert (a1.latest.value, a1.latest.entered_by) == (93, "Sam Patel")


@pilot_test
async def test_a_measure_changed_elsewhere_is_said_on_its_page_and_nothing_else_is(
    demo_store: Store, tmp_path: Path
) -> None:
    app = real_app(demo_store, tmp_path)
    said: list[str] = []
    notify = app.notify

    def recorded(message: Any, *args: Any, **kwargs: Any) -> None:
        said.append(str(message))
        notify(message, *args, **kwargs)

    app.notify = recorded  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        detail = await _open_a1(pilot)
        app.look_for_changes()  # the first look only learns the counter
        await press(pilot)
        assert demo_store.path is not None
        alex = open_store(demo_store.path, today=DEMO_TODAY, user="Alex Khan")
        try:
            api.update_action(alex, api.get_action_by_ref(alex, "2.1").id, owner="Someone")
            app.look_for_changes()
            await press(pilot)
            assert not [line for line in said if "Alex Khan" in line], said  # not in view
            api.update_measure(alex, api.get_measure_by_ref(alex, "A1").id, owner="Alex")
        finally:
            alex.close()
        app.look_for_changes()
        await press(pilot)
        assert any(
            "Alex Khan changed measure 'A1 Assessments completed" in line for line in said
        ), said
        assert "no owner" not in _text(app, "#measure-heading") and "Alex" in _text(
            app, "#measure-heading"
        )
        assert app.screen is detail
