"""In the app, a plan's older progress notes read "BRAG not given", never today's BRAG.

The lead imports a plan whose action is now Blue and whose progress cell holds November's,
December's and January's notes. The action's page shows Blue on January's note only: the
older two say their BRAG was not given, so a Director reading the history never sees the
action Blue in November. Adding an update by hand still takes a BRAG (the form opens on
the action's, and cannot be left without one).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from _tui_harness import pilot_test, settle
from textual.geometry import Region
from textual.widgets import Select
from textual.widgets._select import InvalidSelectValueError

import store as api
from store import Store
from store.importers.plan import import_plan
from tui.app import VisitPrepApp
from tui.screens.update_form import ActionUpdateForm

SIZE = (150, 50)
CELL = "Jan 18 update: all 40 audits done\nDec 17: audit tool agreed\n12/11/2017 - group set up"


def _imported(store: Store, folder: Path) -> Any:
    path = folder / "plan.csv"
    path.write_text(
        "Ref,Action,Owner,RAG,Progress update\n"
        f'1.1,Audit case files monthly,Head of Quality,Blue,"{CELL}"\n',
        encoding="utf-8",
    )
    import_plan(store, path)
    return api.get_action_by_ref(store, "1.1")


def _drawn(app: Any, selector: str) -> str:
    widget = app.screen.query_one(selector)
    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "\n".join(strip.text.rstrip() for strip in strips)


def _entries(history: str) -> list[str]:
    """The history's entries, newest first, each as one line: its header and its note."""
    return [" ".join(entry.split()) for entry in history.split("\n\n") if entry.strip()]


@pilot_test
async def test_the_action_page_shows_the_older_notes_without_a_brag(
    store: Store, tmp_path: Path
) -> None:
    action = _imported(store, tmp_path)
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        app.open_record("action", action.id)
        await settle(pilot)
        entries = _entries(_drawn(app, "#detail-history"))
    assert entries == [
        "◆ Blue 1 Jan 2018 Jan 18 update: all 40 audits done",
        "BRAG not given 1 Dec 2017 Dec 17: audit tool agreed",
        "BRAG not given 12 Nov 2017 12/11/2017 - group set up",
    ]


@pilot_test
async def test_a_hand_update_still_takes_a_brag(store: Store, tmp_path: Path) -> None:
    action = _imported(store, tmp_path)
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        app.open_record("action", action.id)
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ActionUpdateForm)
        brag = form.query_one("#update-brag", Select)
        assert brag.value == "blue"  # the action's BRAG, never an older note's "not given"
        with pytest.raises(InvalidSelectValueError):
            brag.clear()  # no blank to choose: a person's update always has its BRAG
        await pilot.press(*"Reviewed")
        brag.value = "green"
        await pilot.press("ctrl+s")
        await settle(pilot)
    *_, typed = api.list_action_updates(store, action.id)
    assert (typed.note, typed.brag, typed.on_date) == ("Reviewed", "green", date(2018, 1, 20))
