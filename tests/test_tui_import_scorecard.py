"""A lead imports the board's performance scorecard in the app, as the command line does.

Sam, the performance lead, types the scorecard's path: the screen finds it is a scorecard
(its period columns, by the store's own test), the preview counts the measures and values
it would write, ctrl+s imports them and the measures screen shows them. A re-import over
a target Alex changed by hand is refused, the edit named, until Sam ticks 'Let the
scorecard overwrite newer edits'. A cell that cannot be read is named by its reference.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Checkbox, RadioButton

import store as api
from store import Store
from store.importers.scorecard import import_scorecard
from tests._tui_harness import Harness, pilot_test
from tests.test_tui_import import SIZE, error_of, lines_of, preview, settle, status_of
from tests.test_tui_import_plan_wins import PLAN
from tui.screens.importing import ImportScreen

HEADER = "Ref,Indicator,Good is,Target,Lead officer,Apr-18,May-18,Jun-18,Jul-18\n"
CARD = (
    HEADER
    + "A1,Assessments within 45 working days,Higher,90%,Head of assessment,55%,57%,,74\n"
    + "F3,Re-referrals within 12 months,lower,22,Head of front door,29,n/a,27,26\n"
    + "W1,Average caseload per social worker,lower,18,HR partner,24.5,23,22,21\n"
)


def _sheet(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _values(store: Store, ref: str) -> dict[str, float]:
    measure = api.get_measure_by_ref(store, ref)
    return {v.label: v.value for v in api.list_measure_values(store, measure.id)}


@pilot_test
async def test_a_lead_previews_the_scorecard_and_imports_its_measures(
    store: Store, tmp_path: Path
) -> None:
    sheet = _sheet(tmp_path, "board.csv", CARD)
    app = Harness(store, ImportScreen())
    async with app.run_test(size=SIZE) as pilot:
        await preview(pilot, str(sheet))
        # Found to be a scorecard by its month columns, not read as a plan.
        assert app.screen.query_one("#import-kind-scorecard", RadioButton).value
        assert status_of(app) == (
            "board.csv: 3 measures (3 new, 0 changed, 0 unchanged); values: 10 new, "
            "0 changed, 0 the same.  ctrl+s imports."
        )
        assert "+ New measures: A1, F3, W1" in lines_of(app)
        assert "Periods read: Apr 2018 to Jul 2018" in lines_of(app)
        assert api.list_measures(store) == [], "a preview stores nothing"

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert error_of(app) == ""
        assert status_of(app).startswith("Imported board.csv: 3 measures (3 new, 0 changed")
        assert "+ new       F3  Re-referrals within 12 months" in lines_of(app)
        assert [m.ref for m in api.list_measures(store, sort="ref")] == ["A1", "F3", "W1"]
        assert _values(store, "F3") == {"Apr 2018": 29, "Jun 2018": 27, "Jul 2018": 26}
        assert api.get_measure_by_ref(store, "A1").target == 90

        await pilot.press("enter")  # the first measure stored is highlighted: open it
        assert app.opened == [("measure", api.get_measure_by_ref(store, "A1").id)]


@pilot_test
async def test_a_spreadsheet_without_period_columns_is_still_read_as_a_plan(
    store: Store, tmp_path: Path
) -> None:
    pytest.importorskip("store.importers.plan")
    plan = _sheet(tmp_path, "plan.csv", PLAN)
    app = Harness(store, ImportScreen())
    async with app.run_test(size=SIZE) as pilot:
        await preview(pilot, str(_sheet(tmp_path, "board.csv", CARD)))
        assert app.screen.query_one("#import-kind-scorecard", RadioButton).value
        # The next spreadsheet is looked at afresh: the scorecard choice does not stick.
        await preview(pilot, str(plan))
        assert app.screen.query_one("#import-kind-plan", RadioButton).value
        assert status_of(app).startswith("plan.csv, header row 1: 1 new action")


@pilot_test
async def test_a_reimport_over_a_target_set_by_hand_is_refused_until_the_scorecard_wins(
    store: Store, tmp_path: Path
) -> None:
    store.user = "Sam Patel"
    import_scorecard(store, _sheet(tmp_path, "board.csv", CARD))
    f3 = api.get_measure_by_ref(store, "F3").id
    store.user = "Alex Khan"
    api.update_measure(store, f3, target=20)
    store.user = "Sam Patel"
    before = api.change_counter(store)
    # The old sheet again, with a new July caseload that nobody changed by hand.
    again = _sheet(tmp_path, "board v2.csv", CARD.replace(",22,21\n", ",22,20\n"))

    app = Harness(store, ImportScreen())
    async with app.run_test(size=SIZE) as pilot:
        await preview(pilot, str(again))
        shown = lines_of(app)
        assert shown[0].startswith(
            "✖ Row 3: would overwrite the target of measure F3 'Re-referrals within 12 "
            "months', changed by Alex Khan on "
        )
        assert shown[0].endswith("(20% in the store, 22% in the scorecard)")
        assert "It would overwrite 1 newer edit (listed first in red)." in status_of(app)
        assert "Nothing will be imported." in status_of(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "tick 'Let the scorecard overwrite newer edits'" in error_of(app)
        assert api.change_counter(store) == before
        assert _values(store, "W1")["Jul 2018"] == 21  # all or nothing

        # The box is under the path, as for a plan; the lead ticks it.
        box = app.screen.query_one("#import-update", Checkbox)
        assert box.display and str(box.label) == "Let the scorecard overwrite newer edits"
        for _ in range(8):
            if app.focused is box:
                break
            await pilot.press("tab")
        assert app.focused is box
        await pilot.press("space")
        await settle(pilot)
        assert "Preview again to see what letting the scorecard win would do." in status_of(app)
        await pilot.press("p")
        await settle(pilot)
        assert "It will overwrite 1 newer edit (listed first)." in status_of(app)
        assert lines_of(app)[0].startswith("⚠ Row 3: would overwrite the target of measure F3")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert error_of(app) == ""
        assert "Imported board v2.csv" in status_of(app)
        assert "It overwrote 1 newer edit." in status_of(app)
    assert api.get_measure(store, f3).target == 22
    assert _values(store, "W1")["Jul 2018"] == 20


@pilot_test
async def test_a_cell_that_cannot_be_read_is_named_and_nothing_is_imported(
    store: Store, tmp_path: Path
) -> None:
    broken = CARD.replace(",29,n/a,27,26\n", ",29,[bold]lots[/],27,26\n")
    sheet = _sheet(tmp_path, "board.csv", broken)
    app = Harness(store, ImportScreen())
    async with app.run_test(size=SIZE) as pilot:
        await preview(pilot, str(sheet))
        assert status_of(app) == (
            "board.csv: 1 cell cannot be read (listed in red).  Nothing will be imported."
        )
        [line] = lines_of(app)
        assert line.startswith("✖ G3: ") and "'[bold]lots[/]'" in line  # shown as typed
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert error_of(app).startswith("✖ 1 cell cannot be read, so nothing can be imported")
    assert api.list_measures(store) == []


@pilot_test
async def test_the_measures_screen_shows_a_scorecard_imported_in_the_app(
    store: Store, tmp_path: Path
) -> None:
    from tui.app import VisitPrepApp
    from tui.screens.measures import MeasuresScreen

    sheet = _sheet(tmp_path, "board.csv", CARD)
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        measures = app.screen
        assert isinstance(measures, MeasuresScreen)
        assert measures.table.total == 0
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen)
        await preview(pilot, str(sheet))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Imported board.csv" in status_of(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is measures
        for _ in range(20):  # the list reloads on the store's change message
            if measures.table.total == 3:
                break
            await pilot.pause(0.05)
        assert measures.table.total == 3


@pilot_test
async def test_a_reimport_that_only_changes_links_is_previewed_and_imported_with_ctrl_s(
    store: Store, tmp_path: Path
) -> None:
    for ref, title in (("1.1", "Threshold"), ("1.2", "Audit"), ("1.3", "Step-down")):
        api.create_action(store, ref=ref, title=title)
    linked = HEADER.replace("Target,", "Target,Actions,")
    card = CARD.replace(HEADER, linked).replace("lower,22,", 'lower,22,"1.1, 1.2",')
    card = card.replace("Higher,90%,", "Higher,90%,,").replace("lower,18,", "lower,18,,")
    store.user = "Sam Patel"
    import_scorecard(store, _sheet(tmp_path, "board.csv", card))
    f3 = api.get_measure_by_ref(store, "F3").id
    # Next month's sheet: F3 shows the impact of 1.3, no longer of 1.2; nothing else differs.
    again = _sheet(tmp_path, "board v2.csv", card.replace('"1.1, 1.2"', '"1.1, 1.3"'))

    app = Harness(store, ImportScreen())
    async with app.run_test(size=SIZE) as pilot:
        await preview(pilot, str(again))
        assert status_of(app) == (
            "board v2.csv: 3 measures (0 new, 1 changed, 2 unchanged); values: 0 new, "
            "0 changed, 10 the same; links: 1 added, 1 removed.  ctrl+s imports."
        )
        assert "~ Changed measures: F3" in lines_of(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert error_of(app) == ""
        assert status_of(app).startswith(
            "Imported board v2.csv: 3 measures (0 new, 1 changed, 2 unchanged); values: 0 new, "
            "0 changed, 10 the same; links: 1 added, 1 removed."
        )
        assert "~ changed   F3  Re-referrals within 12 months" in lines_of(app)
    refs = [ref for _id, ref, _title in api.measure_links(store, f3)["action"]]
    assert refs == ["1.1", "1.3"]
