"""A lead opens the board's measures: sees which are off target, opens one's chart, enters
December's value (and is told why 120% is refused), and links it to the action it shows the
impact of."""

from __future__ import annotations

from typing import Any

import pytest
from _tui_harness import pilot_test, settle
from textual.widgets import DataTable, Input, Static
from textual_plotext import PlotextPlot

import store as api
from store import Store
from tui.app import VisitPrepApp
from tui.screens.confirm import UnsavedScreen
from tui.screens.measure_detail import MeasureDetailScreen, MeasureValueForm
from tui.screens.measures import MeasuresScreen
from tui.widgets.record_table import RecordTable

SIZE = (120, 36)


def _refs(table: RecordTable) -> list[str]:
    assert table.total is not None
    rows = [table.row_at(i) for i in range(table.total)]
    return [row.record.ref for row in rows if row is not None]


def _text(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def _type(pilot: Any, text: str) -> None:
    await pilot.press(*[c if c != " " else "space" for c in text])


@pilot_test
async def test_7_opens_the_measures_and_o_keeps_those_off_target(demo_store: Store) -> None:
    app = VisitPrepApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MeasuresScreen)
        every = _refs(screen.table)
        assert len(every) == 16 and every[:3] == ["F1", "F2", "A1"]
        line = next(
            screen.table.render_line(y).text
            for y in range(screen.table.size.height)
            if "Assessments completed" in screen.table.render_line(y).text
        )
        assert "89% Dec 18" in line and "90%" in line and "Amber" in line and "better" in line
        await pilot.press("o")
        await settle(pilot)
        off = _refs(screen.table)
        expected = [m.ref for m in api.list_measures(demo_store) if m.brag in ("amber", "red")]
        assert off == expected and "F1" not in off and "CL3" in off
        assert "off target" in _text(app, "#measures-title")
        await pilot.press("o")
        await settle(pilot)
        assert len(_refs(screen.table)) == 16


@pilot_test
async def test_enter_opens_the_chart_links_and_values_of_a_measure(demo_store: Store) -> None:
    app = VisitPrepApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        await pilot.press("j", "j", "enter")  # A1
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MeasureDetailScreen)
        assert "A1 Assessments completed within 45 working days" in _text(app, "#measure-heading")
        assert "England 82.7%" in _text(app, "#measure-facts")
        links = _text(app, "#measure-links")
        assert "Action 1.6" in links and "Finding R3" in links
        table = screen.query_one("#measure-values", DataTable)
        assert table.row_count == 18
        assert [str(c) for c in table.get_row_at(0)[:2]] == ["Dec 2018", "89%"]
        chart = screen.query_one(PlotextPlot)
        drawn = "".join(strip.text for strip in chart.render_lines(chart.region.reset_offset))
        assert "target 90%" in drawn and "Dec 18" in drawn


@pilot_test
async def test_v_enters_a_value_and_a_percentage_over_100_is_refused_in_words(
    demo_store: Store,
) -> None:
    measure = api.get_measure_by_ref(demo_store, "A1")
    app = VisitPrepApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(MeasureDetailScreen(measure.id))
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, MeasureValueForm)
        assert form.query_one("#value-period", Input).value == "Jan 2019"  # the next month
        await _type(pilot, "120")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "percentage: it must be 0 to 100, not 120" in _text(app, "#value-error")
        form.query_one("#value-value", Input).value = ""
        await _type(pilot, "91")
        await pilot.press("tab")
        await _type(pilot, "Backlog cleared")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MeasureDetailScreen)
        table = app.screen.query_one("#measure-values", DataTable)
        assert [str(c) for c in table.get_row_at(0)[:2]] == ["Jan 2019", "91%"]
        assert "Green" in _text(app, "#measure-facts")
    saved = api.list_measure_values(demo_store, measure.id)[-1]
    assert (saved.label, saved.value, saved.note) == ("Jan 2019", 91, "Backlog cleared")


@pilot_test
async def test_a_habitual_escape_on_a_typed_value_asks_before_it_is_lost(
    demo_store: Store,
) -> None:
    """From the measures list, v on A1 and a value typed: escape asks Save / Discard / Keep
    editing (the README's promise for every form). Keep editing goes back to the value as
    typed; discard closes and saves nothing; untouched, escape just closes; save from the
    question saves the value and closes."""
    measure = api.get_measure_by_ref(demo_store, "A1")
    before = api.list_measure_values(demo_store, measure.id)
    app = VisitPrepApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        listing = app.screen
        assert isinstance(listing, MeasuresScreen)
        await pilot.press("j", "j", "v")  # A1
        await settle(pilot)
        form = app.screen
        assert isinstance(form, MeasureValueForm) and form.measure.ref == "A1"
        await _type(pilot, "91")
        await pilot.press("escape")
        await settle(pilot)
        question = app.screen
        assert isinstance(question, UnsavedScreen), "escape lost the value typed"
        said = str(question.query_one("#unsaved-message").render())
        assert "value for A1 is not saved yet" in said and "keep editing" in said
        assert app.focused is question.query_one("#unsaved-keep")  # enter loses nothing
        await pilot.press("escape")  # escape again: keep editing
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#value-value", Input).value == "91"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("d")  # discard
        await settle(pilot)
        assert app.screen is listing
        assert api.list_measure_values(demo_store, measure.id) == before
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, MeasureValueForm)
        await pilot.press("escape")  # nothing typed: no question
        await settle(pilot)
        assert app.screen is listing
        await pilot.press("v")
        await settle(pilot)
        await _type(pilot, "92")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedScreen)
        await pilot.press("s")  # save, then close
        await settle(pilot)
        assert app.screen is listing
    saved = api.list_measure_values(demo_store, measure.id)[-1]
    assert (saved.label, saved.value) == ("Jan 2019", 92)


@pilot_test
async def test_l_links_the_measure_to_an_action_by_its_ref(demo_store: Store) -> None:
    measure = api.get_measure_by_ref(demo_store, "A1")
    app = VisitPrepApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(MeasureDetailScreen(measure.id))
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await _type(pilot, "9.9")
        await pilot.press("enter")
        await settle(pilot)
        assert "no action or finding with the ref '9.9'" in _text(app, "#prompt-error")
        app.screen.query_one("#prompt-value", Input).value = ""
        await _type(pilot, "1.7")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MeasureDetailScreen)
        assert "Action 1.7" in _text(app, "#measure-links")
    linked = api.measure_links(demo_store, measure.id)["action"]
    assert [ref for _i, ref, _t in linked] == ["1.6", "1.7"]


@pilot_test
async def test_the_dashboard_shows_the_focus_measures_off_target_and_opens_them(
    demo_store: Store,
) -> None:
    from tui.widgets.focus_measures import FocusMeasures

    _visit, _themes, in_focus = api.focus_measures(demo_store, off_target=True)
    assert sorted(m.ref for m in in_focus) == ["CIC1", "CL1", "CL2", "CL3", "E1", "P1"]
    app = VisitPrepApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        widget = app.screen.query_one(FocusMeasures)
        shown = str(widget.render())
        assert "Measures off target in the next visit's focus: 6" in shown
        assert shown.index("P1") < shown.index("CIC1")  # red before amber
        assert "A1" not in shown  # assessment is not a focus theme of this visit
        widget.focus()
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MeasuresScreen)
        assert sorted(_refs(screen.table)) == sorted(m.ref for m in in_focus)
        assert "next visit's focus themes" in _text(app, "#measures-title")


@pilot_test
async def test_the_pack_shows_its_focus_measures_and_m_opens_them(demo_store: Store) -> None:
    from tui.screens.pack import PackScreen

    visit = api.next_visit(demo_store)
    assert visit is not None
    app = VisitPrepApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(PackScreen(visit.id))
        await settle(pilot)
        line = _text(app, "#pack-measures")
        assert "Care leavers: CL1 86%" in line and "CL3 44% ■ ▼worse" in line
        assert "A1" not in line  # not a focus theme of this visit
        await pilot.press("m")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MeasuresScreen)
        assert _refs(screen.table) == ["CIC1", "P1", "CL1", "CL2", "CL3", "E1"]


@pilot_test
async def test_a_measure_of_york_names_yorks_statistical_neighbours(tmp_path: Any) -> None:
    """York's own SIF report in the store: the detail's comparator names York's neighbours
    (the demo's Northbridge is on no list, so its label stays "statistical neighbours")."""
    from store.importers.reports import import_reports
    from tests.conftest import REPORTS

    york = REPORTS / "york_2017-02-07.pdf"
    if not york.is_file():
        pytest.skip(f"{york} is not here")
    store = api.open_store(tmp_path / "york.db")
    import_reports(store, [york])
    api.create_measure(
        store, ref="A1", name="Assessments within 45 working days", target=85,
        england=83.1, neighbours=80.4, comparator_year="2017-18",
    )  # fmt: skip
    app = VisitPrepApp(store)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("7")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, MeasureDetailScreen)
            facts = " ".join(_text(app, "#measure-facts").split())
            assert (
                "England 83.1%, statistical neighbours of York (10: Gloucestershire, Bath and "
                "North East Somerset, North Somerset, …) 80.4% (2017-18)"
            ) in facts
    finally:
        store.close()
