"""Plan or scorecard, in the app: the import screen takes a spreadsheet as `visitprep import`
does, and the lead's own choice of Plan or Scorecard stands.

Priya's plan has a RAG rating a month under a merged "RAG rating" heading: the screen picks
Plan (it picked Scorecard, whose preview said "the measure has no name"). A sheet that could
be either is not guessed: the preview names both choices, and Priya picks one. A sheet that
looks like a scorecard is imported as a plan when she picks Plan.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, RadioButton

from store import Store, list_actions, list_measures
from tests._tui_harness import Harness, pilot_test
from tests.test_import_sheet_kind import EITHER, rag_over_months
from tests.test_tui_import import SIZE, error_of, preview, settle, status_of
from tui.screens import importing as importing_screen
from tui.screens.importing import ImportScreen

pytestmark = pytest.mark.usefixtures("_importers")


@pytest.fixture
def _importers() -> None:
    pytest.importorskip("store.importers.plan")
    pytest.importorskip("store.importers.scorecard")


def _chosen(app: Harness) -> list[str]:
    return [
        kind
        for kind in ("plan", "scorecard")
        if app.screen.query_one(f"#import-kind-{kind}", RadioButton).value
    ]


@pilot_test
async def test_the_plan_with_a_rag_rating_a_month_is_previewed_and_imported_as_a_plan(
    store: Store, tmp_path: Path
) -> None:
    plan = rag_over_months(tmp_path / "plan.xlsx")
    app = Harness(store, ImportScreen())
    async with app.run_test(size=SIZE) as pilot:
        await preview(pilot, str(plan))
        assert _chosen(app) == ["plan"]
        assert error_of(app) == ""
        assert status_of(app).startswith("plan.xlsx, sheet 'Sheet', header row 2: 2 new actions")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert error_of(app) == ""
        assert sorted(a.ref for a in list_actions(store)) == ["1", "2"]
        assert list_measures(store) == []


@pilot_test
async def test_a_sheet_that_could_be_either_names_both_choices_and_the_lead_picks_plan(
    store: Store, tmp_path: Path
) -> None:
    sheet = tmp_path / "tracker.csv"
    sheet.write_text(EITHER, encoding="utf-8")
    app = Harness(store, ImportScreen())
    async with app.run_test(size=SIZE) as pilot:
        await preview(pilot, str(sheet))
        said = " ".join(error_of(app).split())
        assert "tracker.csv could be an improvement plan or a performance scorecard" in said
        assert (
            "Say which it is: a plan with 'Plan' chosen above, or a scorecard with "
            "'Scorecard' chosen above; nothing was imported." in said
        )
        assert _chosen(app) == [], "no guess"
        assert app.errors == [], "a refusal is shown on the screen, not as an app error"

        await pilot.click("#import-kind-plan")
        await pilot.press("p")
        await settle(pilot)
        assert error_of(app) == ""
        assert status_of(app).startswith("tracker.csv, header row 1: 2 new actions")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert sorted(a.ref for a in list_actions(store)) == ["1", "2"]
        assert list_measures(store) == []


@pilot_test
async def test_plan_chosen_for_a_sheet_that_looks_like_a_scorecard_imports_a_plan(
    store: Store, tmp_path: Path
) -> None:
    sheet = tmp_path / "tracker.csv"
    sheet.write_text(
        "Ref,Measure,Action,Owner,Apr-18,May-18,Jun-18,Jul-18,Aug-18\n"
        "1,Timely assessments,Weekly performance clinic,Head of assessment,50,55,61,70,72\n",
        encoding="utf-8",
    )
    app = Harness(store, ImportScreen())
    async with app.run_test(size=SIZE) as pilot:
        await preview(pilot, str(sheet))
        assert _chosen(app) == ["scorecard"]
        await pilot.click("#import-kind-plan")
        await pilot.press("p")
        await settle(pilot)
        assert _chosen(app) == ["plan"]
        assert status_of(app).startswith("tracker.csv, header row 1: 1 new action")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert error_of(app) == ""
        assert [a.ref for a in list_actions(store)] == ["1"]
        assert list_measures(store) == []


@pilot_test
async def test_plan_chosen_while_the_scorecard_preview_is_read_is_not_undone_by_it(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sheet = tmp_path / "tracker.csv"
    sheet.write_text(
        "Ref,Measure,Action,Owner,Apr-18,May-18,Jun-18,Jul-18,Aug-18\n"
        "1,Timely assessments,Weekly performance clinic,Head of assessment,50,55,61,70,72\n",
        encoding="utf-8",
    )
    read = threading.Event()
    real = importing_screen.run_preview

    def slow(*args: Any, **kwargs: Any) -> Any:
        read.wait(10)  # the preview is still being read when Priya picks Plan
        return real(*args, **kwargs)

    monkeypatch.setattr(importing_screen, "run_preview", slow)
    app = Harness(store, ImportScreen())
    async with app.run_test(size=SIZE) as pilot:
        field = app.screen.query_one("#import-path", Input)
        field.focus()
        field.value = str(sheet)
        await pilot.pause()
        await pilot.press("enter")  # read as the scorecard it looks like
        await pilot.click("#import-kind-plan")
        read.set()
        await settle(pilot)
        assert _chosen(app) == ["plan"], "the lead's choice stands"
        assert app.screen.shown is None, "the scorecard preview is not shown as the plan's"
        await pilot.press("p")
        await settle(pilot)
        assert status_of(app).startswith("tracker.csv, header row 1: 1 new action")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [a.ref for a in list_actions(store)] == ["1"]
        assert list_measures(store) == []
