"""The import screen's plan preview names the newer edits a re-import would overwrite, and
imports nothing until the lead ticks 'Let the plan overwrite newer edits' (issue 11)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Checkbox

import store as st
from store.importers.plan import import_plan
from tests._tui_harness import Harness, pilot_test
from tests.test_tui_import import SIZE, error_of, lines_of, preview, settle, status_of
from tui.screens.importing import ImportScreen

PLAN = "Ref,Action,Owner,Due\n1.2,Fix the MASH thresholds,Sam Patel,28/02/2019\n"


@pilot_test
async def test_the_plan_preview_names_a_newer_edit_and_imports_only_when_the_plan_wins(
    store: Any, tmp_path: Path
) -> None:
    pytest.importorskip("store.importers.plan")
    sheet = tmp_path / "plan.csv"
    sheet.write_text(PLAN, encoding="utf-8")
    store.user = "Sam Patel"
    import_plan(store, sheet)
    action = st.get_action_by_ref(store, "1.2")
    store.user = "Alex Khan"
    st.update_action(store, action.id, due_date="2019-03-31")
    store.user = "Sam Patel"
    before = st.change_counter(store)

    app = Harness(store, ImportScreen())
    async with app.run_test(size=SIZE) as pilot:
        await preview(pilot, str(sheet))
        shown = lines_of(app)
        assert shown[0].startswith(
            "✖ Row 2: would overwrite action 1.2's due date, changed by Alex Khan on "
        )
        assert shown[0].endswith("(31 Mar 2019 in the store, 28 Feb 2019 in the plan)")
        assert "It would overwrite 1 newer edit (listed first in red)." in status_of(app)
        assert "Nothing will be imported." in status_of(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "tick 'Let the plan overwrite newer edits'" in error_of(app)
        assert st.change_counter(store) == before

        # The box is under the path, as Replace is for a report; the lead ticks it.
        box = app.screen.query_one("#import-update", Checkbox)
        assert box.display and str(box.label) == "Let the plan overwrite newer edits"
        for _ in range(8):
            if app.focused is box:
                break
            await pilot.press("tab")
        assert app.focused is box
        await pilot.press("space")
        await settle(pilot)
        assert "Preview again to see what letting the plan win would do." in status_of(app)
        await pilot.press("p")
        await settle(pilot)
        assert "It will overwrite 1 newer edit (listed first)." in status_of(app)
        assert lines_of(app)[0].startswith("⚠ Row 2: would overwrite action 1.2's due date")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Imported plan.csv" in status_of(app)
    assert str(st.get_action(store, action.id).due_date) == "2019-02-28"
