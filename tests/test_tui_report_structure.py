"""In the app: a recommendation shows the report's paragraphs behind it, a paragraph says
it is detail, and a safeguarding board's recommendation is adopted with a."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _tui_harness import pilot_test, settle
from textual.geometry import Region

import store as api
import tui.backstage
from store import Store
from store.importers.reports import import_reports
from tui.app import VisitPrepApp
from tui.screens.detail import DetailScreen
from tui.widgets.record_table import RecordTable

SIZE = (150, 50)
THURROCK_SIF = Path(__file__).parent / "data" / "reports" / "eastmere_2016-05-20.txt"


def _drawn(app: VisitPrepApp, selector: str) -> str:
    widget = app.screen.query_one(selector)
    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return " ".join(" ".join(strip.text.split()) for strip in strips)


async def _open(pilot: Any, record_id: int) -> DetailScreen:
    pilot.app.open_record("finding", record_id)
    await settle(pilot)
    assert isinstance(pilot.app.screen, DetailScreen)
    return pilot.app.screen


@pilot_test
async def test_a_recommendation_shows_its_paragraphs_and_a_board_one_is_adopted_with_a(
    store: Store,
) -> None:
    import_reports(store, [THURROCK_SIF])
    by_ref = {f.ref: f for f in api.list_findings(store)}
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, by_ref["R1"].id)
        fields = _drawn(app, "#detail-fields")
        assert "Report's detail P12 Children at risk of sexual exploitation" in fields
        details = app.screen.query_one("#section-details", RecordTable)
        assert details.total == 1 and details.row_at(0).record.ref == "P12"

        await _open(pilot, by_ref["P12"].id)
        fields = _drawn(app, "#detail-fields")
        assert "A paragraph of the report's detail" in fields
        assert "never an item needing an action" in fields
        await pilot.press("a")  # not a board's recommendation: nothing to adopt
        await settle(pilot)
        assert api.get_finding(store, by_ref["P12"].id).adopted is False

        await _open(pilot, by_ref["B1"].id)
        assert "a adopts it as the council's own" in _drawn(app, "#detail-fields")
        await pilot.press("a")
        await settle(pilot)
        assert api.get_finding(store, by_ref["B1"].id).adopted is True
        assert "adopted by the council" in _drawn(app, "#detail-fields")
        assert [g.ref for g in api.find_gaps(store) if g.kind == "no_action"] == [
            "B1", "R1", "R2", "R3", "R4",
        ]  # fmt: skip


@pilot_test
async def test_adopting_a_recommendation_someone_deleted_meanwhile_says_so(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_reports(store, [THURROCK_SIF])
    board = next(f for f in api.list_findings(store) if f.ref == "B1")
    adopt = api.adopt_finding

    def deleted_first(opened: Store, finding_id: int, adopted: bool) -> Any:
        other = api.open_store(store.path, today=store.today, user="Alex Khan")
        try:  # another program deletes it just before the app's write
            api.delete_finding(other, finding_id, cascade=True)
        finally:
            other.close()
        return adopt(opened, finding_id, adopted)

    monkeypatch.setattr(api, "adopt_finding", deleted_first)
    # No look at the change counter in between: the app would close the page first.
    monkeypatch.setattr(tui.backstage, "POLL_SECONDS", 3600.0)
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, board.id)
        while app.watcher.seen is None:  # the first look, as the store loads, is made
            await pilot.pause(0.05)
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert app.errors == [f"There is no finding {board.id}."]  # said, not silent
        assert "B1" not in {f.ref for f in api.list_findings(store)}
