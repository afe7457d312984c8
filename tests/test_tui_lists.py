"""A lead works through the lists: filters them, sorts them, opens, deletes, at any size."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from _tui_harness import pilot_test, settle
from sqlalchemy import text
from textual.widgets import Select

import store as api
from store import Store
from store.refs import ref_key
from tui.app import VisitPrepApp
from tui.screens.confirm import ConfirmScreen
from tui.screens.detail import DetailScreen
from tui.screens.lists import ListScreen
from tui.widgets.badges import short_owner
from tui.widgets.record_table import RecordTable

SIZE = (150, 40)


def _table(app: VisitPrepApp) -> RecordTable:
    screen = app.screen
    assert isinstance(screen, ListScreen), screen
    return screen.table


def _rows(table: RecordTable) -> list[Any]:
    """Every record the table holds, in order (small lists only: one page)."""
    assert table.total is not None
    rows = [table.row_at(i) for i in range(table.total)]
    assert all(row is not None for row in rows)
    return [row.record for row in rows if row is not None]


def _lines(table: RecordTable) -> list[str]:
    """The table as drawn on screen, line by line."""
    return [table.render_line(y).text for y in range(table.size.height)]


def _title(app: VisitPrepApp) -> str:
    return str(app.screen.query_one("#list-title").render())


async def _open_list(pilot: Any, record_kind: str, /, **filters: Any) -> RecordTable:
    pilot.app.open_list(record_kind, **filters)
    await settle(pilot)
    return _table(pilot.app)


@pilot_test
async def test_a_lead_opens_the_overdue_actions_and_sees_exactly_those(demo_store: Store) -> None:
    overdue = {a.ref for a in api.list_actions(demo_store) if a.overdue}
    assert overdue, "the demo has overdue actions"
    app = VisitPrepApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        table = await _open_list(pilot, "action", overdue=True)
        assert {a.ref for a in _rows(table)} == overdue
        assert _title(app).startswith("Actions — overdue")
        assert "list:action" in app.ready_times
        # Overdue is said in words on every row, not by colour alone.
        drawn = _lines(table)[1 : 1 + len(overdue)]
        assert all("overdue" in line for line in drawn), drawn

        # The same list from the whole plan with one key, and back again.
        await pilot.press("escape")
        table = await _open_list(pilot, "action")
        assert table.total == api.count_actions(demo_store)
        await pilot.press("o")
        await settle(pilot)
        assert {a.ref for a in _rows(table)} == overdue
        await pilot.press("o")
        await settle(pilot)
        assert table.total == api.count_actions(demo_store)
    assert app.errors == []


@pilot_test
async def test_filters_are_named_in_words_and_combine(demo_store: Store) -> None:
    red = {a.ref for a in api.list_actions(demo_store, brag="red", overdue=True)}
    app = VisitPrepApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        table = await _open_list(pilot, "action", overdue=True, brag="red")
        assert _title(app).startswith("Actions — overdue, BRAG red")
        assert {a.ref for a in _rows(table)} == red
        await pilot.press("c")  # clear
        await settle(pilot)
        assert _title(app).startswith("Actions  (")
        assert table.total == api.count_actions(demo_store)
        # The filter dialog: ask for evidence-less actions only.
        await pilot.press("f")
        await settle(pilot)
        await pilot.click("#filter-without_evidence")
        await pilot.click("#filter-apply")
        await settle(pilot)
        assert "no evidence" in _title(app)
        assert table.total == api.count_actions(demo_store, without_evidence=True)


@pilot_test
async def test_sorting_by_due_date_and_reversing_it(demo_store: Store) -> None:
    app = VisitPrepApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        table = await _open_list(pilot, "action")
        for _ in range(6):
            if table.sort == "due":
                break
            await pilot.press("s")
            await settle(pilot)
        assert table.sort == "due"
        dues = [a.due_date for a in _rows(table) if a.due_date]
        assert dues == sorted(dues) and dues[0] < dues[-1]
        assert "Due ▲" in _lines(table)[0]
        await pilot.press("S")
        await settle(pilot)
        dues = [a.due_date for a in _rows(table) if a.due_date]
        assert dues == sorted(dues, reverse=True)
        assert "Due ▼" in _lines(table)[0]
        assert "Sorted by due ▼" in str(app.screen.query_one("#list-bar").render())


@pilot_test
async def test_a_click_on_a_heading_sorts_by_that_column(demo_store: Store) -> None:
    app = VisitPrepApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        table = await _open_list(pilot, "action")
        header = _lines(table)[0]
        await pilot.click(RecordTable, offset=(header.index("Owner") + 1, 0))
        await settle(pilot)
        assert table.sort == "owner"
        owners = [a.owner for a in _rows(table)]
        assert owners == sorted(owners, key=str.lower)  # as words, whatever the capitals


@pilot_test
async def test_j_and_k_move_and_enter_opens_the_detail(demo_store: Store) -> None:
    actions = api.list_actions(demo_store)
    app = VisitPrepApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        table = await _open_list(pilot, "action")
        assert table.record.id == actions[0].id
        await pilot.press("j", "j", "down")
        assert table.cursor_row == 3
        await pilot.press("k")
        assert table.record.id == actions[2].id
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert (app.screen.kind, app.screen.record_id) == ("action", actions[2].id)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is not None and _table(app).cursor_row == 2  # where it was


def _bulk_findings(store: Store, count: int) -> None:
    with store.engine.begin() as connection:
        connection.execute(
            text(
                "insert into source (kind, title, local_authority, framework, lead_inspector,"
                " url, file_path) values ('inspection', 'Big inspection', 'X', 'ILACS', '', '', '')"
            )
        )
        source_id = connection.execute(text("select max(id) from source")).scalar_one()
        connection.execute(
            text(
                "insert into finding (ref, ref_key, source_id, kind, judgement_area, text, title,"
                " status) values (:ref, :key, :source, 'improvement area', '', '', :title, 'open')"
            ),
            [
                {
                    "ref": f"R{i}",
                    "key": ref_key(f"R{i}"),
                    "source": source_id,
                    "title": f"Finding number {i}",
                }
                for i in range(1, count + 1)
            ],
        )


@pilot_test
async def test_twenty_thousand_findings_show_at_once_and_g_jumps_to_the_end(store: Store) -> None:
    _bulk_findings(store, 20_000)
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await _open_list(pilot, "finding")
        assert table.total == 20_000
        assert "(20,000)" in _title(app)
        assert "R1 " in _lines(table)[1] and "Finding number 1 " in _lines(table)[1]
        await pilot.press("G")
        # The cursor moves at once; the last page is fetched behind it.
        assert table.cursor_row == 19_999
        await settle(pilot)
        assert table.record.ref == "R20000"
        assert "Finding number 20000" in _lines(table)[table.size.height - 1]
        await pilot.press("g", "pagedown", "pagedown")
        await settle(pilot)
        assert table.record.ref == f"R{table.cursor_row + 1}"
        # One widget for the rows, and only the pages seen are held.
        assert len(list(app.screen.query("*"))) < 40
        assert table.loaded_rows <= 3 * table.page_size


@pilot_test
async def test_user_text_that_looks_like_markup_shows_literally(store: Store) -> None:
    api.create_finding(store, title="[bold]x[/] and \x1b[31mred", ref="[i]R1[/i]")
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await _open_list(pilot, "finding")
        line = _lines(table)[1]
        assert "[i]R1[/i]" in line
        assert "[bold]x[/] and ␛[31mred" in line
        preview = str(app.screen.query_one("#list-preview").render())
        assert preview == "[i]R1[/i]  [bold]x[/] and ␛[31mred"


@pilot_test
async def test_a_title_cut_short_in_the_table_shows_whole_under_it(store: Store) -> None:
    long_title = "Return home interviews " + "are offered late and rarely analysed " * 3 + "END"
    api.create_finding(store, title=long_title, ref="R9")
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await _open_list(pilot, "finding")
        assert "END" not in _lines(table)[1] and "…" in _lines(table)[1]
        assert str(app.screen.query_one("#list-preview").render()) == f"R9  {long_title}"


@pilot_test
async def test_deleting_a_linked_finding_asks_and_cascades_only_when_confirmed(
    store: Store,
) -> None:
    finding = api.create_finding(store, title="Return home interviews are late", ref="R1")
    action = api.create_action(store, title="RHI tracker", ref="A1", finding_ids=[finding.id])
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await _open_list(pilot, "finding")
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        message = str(app.screen.query_one("#confirm-message").render())
        assert "linked to 1 action" in message and "removes those links" in message
        await pilot.press("n")
        await settle(pilot)
        assert api.count_findings(store) == 1

        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert api.count_findings(store) == 0
        assert api.get_action(store, action.id).finding_count == 0  # the action stays
        assert table.total == 0
        assert "No findings yet" in _lines(table)[1]
    assert app.errors == []


@pilot_test
async def test_n_adds_an_action_for_the_finding_the_list_is_filtered_to(store: Store) -> None:
    finding = api.create_finding(store, title="Care leavers lack a local offer", ref="R7")
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await _open_list(pilot, "action", finding_id=finding.id)
        assert "for finding R7 Care leavers lack a local offer" in _title(app)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Publish the local offer")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)  # the new action, opened
        await pilot.press("escape")
        await settle(pilot)
        assert [a.title for a in _rows(table)] == ["Publish the local offer"]
        assert api.get_finding(store, finding.id).action_count == 1


@pilot_test
async def test_u_adds_an_update_to_the_highlighted_action(store: Store) -> None:
    api.create_action(store, title="RHI tracker", ref="A1", due_date=date(2018, 3, 1))
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await _open_list(pilot, "action")
        await pilot.press("u")
        await settle(pilot)
        await pilot.press(*"Tracker live")
        await pilot.press("ctrl+s")
        await settle(pilot)
        action = api.get_action_by_ref(store, "A1")
        assert [u.note for u in api.list_action_updates(store, action.id)] == ["Tracker live"]
        assert table.record.id == action.id


@pilot_test
async def test_the_other_lists_show_their_columns(demo_store: Store) -> None:
    visit = api.next_visit(demo_store)
    assert visit is not None
    app = VisitPrepApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        table = await _open_list(pilot, "evidence", missing=True)
        states = {line.split()[-1] for line in _lines(table)[1 : 1 + (table.total or 0)]}
        assert table.total and states == {"missing"}
        await pilot.press("escape")
        table = await _open_list(pilot, "source")
        assert "Judgements" in _lines(table)[0]
        assert table.total == len(api.list_sources(demo_store))
        await pilot.press("escape")
        table = await _open_list(pilot, "visit")
        assert "in 10 days" in "\n".join(_lines(table))
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "PackScreen"


@pilot_test
async def test_a_click_picks_a_row_and_a_double_click_opens_it(demo_store: Store) -> None:
    actions = api.list_actions(demo_store)
    app = VisitPrepApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        table = await _open_list(pilot, "action")
        await pilot.click(RecordTable, offset=(10, 5))  # the fifth row under the heading
        assert table.cursor_row == 4
        assert isinstance(app.screen, ListScreen)
        await pilot.double_click(RecordTable, offset=(10, 3))
        await settle(pilot)
        assert (_detail_of(app).kind, _detail_of(app).record_id) == ("action", actions[2].id)


def _detail_of(app: VisitPrepApp) -> DetailScreen:
    assert isinstance(app.screen, DetailScreen), app.screen
    return app.screen


@pilot_test
async def test_the_dashboards_gap_lists_are_titled_in_plain_words(demo_store: Store) -> None:
    from store.gaps import NEEDS_ACTION_KINDS, NEEDS_ACTION_STATUSES

    gaps = {g.record_id for g in api.find_gaps(demo_store) if g.kind == "no_action"}
    assert gaps, "the demo has findings with no action"
    app = VisitPrepApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        table = await _open_list(
            pilot,
            "finding",
            without_action=True,
            status=NEEDS_ACTION_STATUSES,
            kind=NEEDS_ACTION_KINDS,
        )
        assert _title(app).startswith("Findings — needing an action, with none")
        assert {f.id for f in _rows(table)} == gaps
        await pilot.press("escape")
        await _open_list(pilot, "evidence", stale=True, stale_days=90)
        assert "out of date (review due, or older than 90 days with no review date)" in _title(app)


@pilot_test
async def test_a_narrow_terminal_leaves_out_columns_rather_than_cutting_rows(
    demo_store: Store,
) -> None:
    app = VisitPrepApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await _open_list(pilot, "action", overdue=True)
        header, first = _lines(table)[0], _lines(table)[1]
        # Issue 15.5: the owner is who a lead chases; it narrows at 80 columns, and stays.
        for heading in ("Ref", "Title", "Owner", "Due", "BRAG"):
            assert heading in header
        assert "Theme" not in header and "Evidence" not in header
        assert "overdue" in first and any(word in first for word in ("Amber", "Red"))
        owner = _rows(table)[0].owner
        assert owner[:10] in first or short_owner(owner, 22)[:10] in first, (owner, first)
        assert len(first.rstrip()) <= table.size.width  # the BRAG is whole, not cut off
        while table.sort != "theme":  # s: the next column's order
            await pilot.press("s")
            await settle(pilot)
        assert "Sorted by theme, in plan order ▲" in str(app.screen.query_one("#list-bar").render())
        assert "Theme ▲" in _lines(table)[0]  # the sorted column is shown, even at 80


@pilot_test
async def test_at_80_columns_the_header_line_names_the_keys_the_footer_has_no_room_for(
    demo_store: Store,
) -> None:
    from tui.widgets.key_footer import KeyFooter

    app = VisitPrepApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_list(pilot, "action", overdue=True)
        await pilot.press(*"ssssss")  # to the longest heading: sorted by evidence
        await settle(pilot)
        bar = app.screen.query_one("#list-bar")
        said = str(bar.render())
        assert said == "Sorted by evidence ▲ (s, S) · f filter · o overdue · w due soon · c clear"
        assert len(said) <= bar.content_region.width, "the line is whole, not cut"
        shown = app.screen.query_one(KeyFooter).shown_keys()
        assert {"question_mark", "slash", "q", "u"} <= set(shown), shown
        assert not {"f", "o", "w", "c", "s"} & set(shown), "the header line has them"


@pilot_test
async def test_a_filter_the_store_refuses_is_said_in_words_not_loading_for_ever(
    store: Store,
) -> None:
    api.create_action(store, title="RHI tracker", ref="A1")
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await _open_list(pilot, "action", brag="purple")
        assert "Could not list these" in _lines(table)[1]
        assert "purple" in _lines(table)[1]
        assert any("purple" in error for error in app.errors)
        await pilot.press("c")  # clearing the filter brings the list back
        await settle(pilot)
        assert [a.ref for a in _rows(table)] == ["A1"]


@pilot_test
async def test_the_filter_dialog_keeps_a_gap_lists_several_statuses(demo_store: Store) -> None:
    from store.gaps import NEEDS_ACTION_KINDS, NEEDS_ACTION_STATUSES

    gap = dict(without_action=True, status=NEEDS_ACTION_STATUSES, kind=NEEDS_ACTION_KINDS)
    app = VisitPrepApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        table = await _open_list(pilot, "finding", **gap)
        before = table.total
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("ctrl+s")  # apply without changing anything
        await settle(pilot)
        assert app.screen.filters == {**gap, "ours": True}  # the council's own, as it opened
        assert table.total == before


@pilot_test
async def test_the_findings_list_shows_ours_and_says_how_many_of_other_councils_it_leaves_out(
    demo_store: Store,
) -> None:
    haringey = api.create_source(demo_store, kind="inspection", title="Haringey ILACS 2018",
                                 local_authority="Haringey", ours=False)  # fmt: skip
    for n in range(1, 10):
        api.create_finding(demo_store, title=f"Haringey finding {n}", ref=f"R{n}",
                           source_id=haringey.id)  # fmt: skip
    ours = api.count_findings(demo_store, ours=True)
    app = VisitPrepApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        table = await _open_list(pilot, "finding")
        assert table.total == ours
        assert _title(app) == (f"Findings  ({ours}) · 9 from other councils' reports not shown (f)")
        assert "c clear" not in str(app.screen.query_one("#list-bar").render())
        # f: the filter dialog asks whose findings to show.
        await pilot.press("f")
        await settle(pilot)
        whose = app.screen.query_one("#filter-whose", Select)
        assert whose.value == "ours"
        whose.value = "others"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _title(app) == "Findings — from other councils' reports  (9)"
        assert {f.source_title for f in _rows(table)} == {"Haringey ILACS 2018"}
        # The Source column marks them, first, so a cut never loses it.
        assert "other: Haringey ILACS" in _lines(table)[1]
        await pilot.press("f")
        await settle(pilot)
        app.screen.query_one("#filter-whose", Select).value = "all"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _title(app) == f"Findings — ours and other councils'  ({ours + 9})"
        await pilot.press("c")  # back to the council's own
        await settle(pilot)
        assert app.screen.filters == {"ours": True} and table.total == ours
        # The Sources list marks the other council's report too.
        await pilot.press("escape")
        sources = await _open_list(pilot, "source")
        drawn = [line for line in _lines(sources) if "Haringey ILACS 2018" in line]
        assert len(drawn) == 1 and "other: Haringey" in drawn[0]
        assert not any("other:" in line for line in _lines(sources) if "Northbridge" in line)


@pilot_test
async def test_deleting_a_source_says_its_findings_go_too(store: Store) -> None:
    source = api.create_source(store, kind="internal audit", title="CiN audit, May")
    api.create_finding(store, title="Plans lack outcomes", ref="A-1", source_id=source.id)
    api.create_finding(store, title="Visits are late", ref="A-2", source_id=source.id)
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await _open_list(pilot, "source")
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        message = str(app.screen.query_one("#confirm-message").render())
        assert "CiN audit, May" in message and "Its 2 findings are deleted too" in message
        await pilot.press("y")
        await settle(pilot)
        assert api.list_sources(store) == [] and api.count_findings(store) == 0
        assert table.total == 0


def _visit_titles(table: RecordTable) -> list[str]:
    return [v.title for v in _rows(table)]


@pytest.fixture
def four_visits(store: Store) -> Store:
    """Two visits past and two to come (today is 20 Jan 2018), created out of date order."""
    api.create_visit(
        store, title="Monitoring visit 2", start_date="30/1/2018", end_date="31/1/2018"
    )
    api.create_visit(store, title="Focused visit", kind="focused visit", start_date="9/10/2017")
    api.create_visit(store, title="Monitoring visit 3", start_date="24/4/2018")
    api.create_visit(store, title="Monitoring visit 1", start_date="5/12/2017")
    return store


@pilot_test
async def test_visits_open_upcoming_first_and_the_dates_sort_both_ways(four_visits: Store) -> None:
    app = VisitPrepApp(four_visits)
    async with app.run_test(size=SIZE) as pilot:
        table = await _open_list(pilot, "visit")
        # The soonest visit first, then the later one, then the past ones, most recent first:
        # the heading says so (by days to go), not "Dates ▲", which would be another order.
        upcoming_first = ["Monitoring visit 2", "Monitoring visit 3", "Monitoring visit 1",
                          "Focused visit"]  # fmt: skip
        assert _visit_titles(table) == upcoming_first
        assert "Days to go ▲" in _lines(table)[0] and "Dates ▲" not in _lines(table)[0]
        assert "Sorted by days to go ▲" in str(app.screen.query_one("#list-bar").render())

        for _ in range(4):
            if table.sort == "start_date":
                break
            await pilot.press("s")
            await settle(pilot)
        assert "Dates ▲" in _lines(table)[0]
        oldest_first = ["Focused visit", "Monitoring visit 1", "Monitoring visit 2",
                        "Monitoring visit 3"]  # fmt: skip
        assert _visit_titles(table) == oldest_first
        await pilot.press("S")
        await settle(pilot)
        assert "Dates ▼" in _lines(table)[0]
        assert _visit_titles(table) == oldest_first[::-1]
        assert "Sorted by dates ▼" in str(app.screen.query_one("#list-bar").render())

        # Days to go is a sort of its own too: s reaches it, and a click on its heading.
        await pilot.press("s")
        await settle(pilot)
        assert table.sort == "days_to_go" and _visit_titles(table) == upcoming_first
        await pilot.press("S")
        await settle(pilot)
        assert _visit_titles(table) == upcoming_first[::-1]
        await pilot.press("s")  # round to the title, then back by a click on the heading
        await settle(pilot)
        header = _lines(table)[0]
        await pilot.click(RecordTable, offset=(header.index("Days to go") + 1, 0))
        await settle(pilot)
        assert "Days to go ▲" in _lines(table)[0]
        assert _visit_titles(table) == upcoming_first
    assert app.errors == []


@pytest.fixture
def long_dates(store: Store) -> Store:
    """A source and a visit whose date ranges are as long as dates get (23 characters)."""
    api.create_source(store, kind="inspection", title="Northbridge ILACS inspection",
                      local_authority="Northbridge", framework="ILACS",
                      start_date="27/11/2017", end_date="15/12/2017")  # fmt: skip
    api.create_visit(store, title="Monitoring visit 2: help and protection",
                     start_date="30/1/2018", end_date="31/1/2018")  # fmt: skip
    return store


@pilot_test
async def test_at_120_columns_whole_date_ranges_show_on_the_visits_and_sources(
    long_dates: Store,
) -> None:
    app = VisitPrepApp(long_dates)
    async with app.run_test(size=(120, 36)) as pilot:
        visits = await _open_list(pilot, "visit")
        assert "30 Jan 2018–31 Jan 2018" in _lines(visits)[1]
        assert "Monitoring visit 2: help and protection" in _lines(visits)[1]
        await pilot.press("escape")
        sources = await _open_list(pilot, "source")
        assert "Dates ▼" in _lines(sources)[0]
        assert "27 Nov 2017–15 Dec 2017" in _lines(sources)[1]
        assert "Northbridge ILACS inspection" in _lines(sources)[1]


@pilot_test
async def test_at_80_columns_the_column_a_list_is_sorted_by_stays_on_screen(
    long_dates: Store,
) -> None:
    app = VisitPrepApp(long_dates)
    async with app.run_test(size=(80, 24)) as pilot:
        sources = await _open_list(pilot, "source")
        # "Sorted by dates ▼" above the list, and the dates there to see, whole.
        assert "Sorted by dates ▼" in str(app.screen.query_one("#list-bar").render())
        assert "Dates ▼" in _lines(sources)[0]
        assert "27 Nov 2017–15 Dec 2017" in _lines(sources)[1]
        assert "Local authority" in _lines(sources)[0]
        await pilot.press("escape")
        visits = await _open_list(pilot, "visit")
        assert "30 Jan 2018–31 Jan 2018" in _lines(visits)[1]
        assert "in 10 days" in _lines(visits)[1]


@pilot_test
async def test_the_findings_list_counts_evidence_linked_through_the_findings_actions(
    store: Store,
) -> None:
    answered = api.create_finding(store, title="Thresholds not understood", ref="R1")
    api.create_finding(store, title="Return home interviews", ref="R2")
    action = api.create_action(store, title="MASH decision tracker", ref="1.1",
                               finding_ids=[answered.id])  # fmt: skip
    # One item on the finding and its action both, two more on the action alone: the pack
    # shows three under R1, and so must the list (it used to say 1; with none on R1, 0).
    api.create_evidence(store, title="Threshold document", finding_ids=[answered.id],
                        action_ids=[action.id])  # fmt: skip
    api.create_evidence(store, title="MASH audit", action_ids=[action.id])
    api.create_evidence(store, title="MASH dashboard", action_ids=[action.id])
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await _open_list(pilot, "finding")
        header, *rows = _lines(table)[: 1 + 2]
        assert header.split()[-1] == "Evidence"
        by_ref = {line.split()[0]: line.split()[-1] for line in rows}
        assert by_ref == {"R1": "3", "R2": "0"}


@pilot_test
async def test_the_owner_filter_matches_what_the_list_shows_typed_loosely(store: Store) -> None:
    """Issue 15.6: lists print "SM – Care Leavers", and filtering "SM care leavers" found 0."""
    from textual.widgets import Input

    api.create_action(store, title="Pathway plan audit", ref="7.1", owner="SM – Care Leavers")
    api.create_action(store, title="Staying put policy", ref="7.2", owner="SM – Fostering")
    api.create_evidence(store, title="Pathway plan audit, Dec", owner="SM – Care Leavers")
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await _open_list(pilot, "action")
        await pilot.press("f")
        await settle(pilot)
        app.screen.query_one("#filter-owner", Input).value = "SM care leavers"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [a.ref for a in _rows(table)] == ["7.1"]
    # The same rule for every list filter that takes words: evidence owners, titles.
    assert [e.owner for e in api.list_evidence(store, owner="care-leavers sm")] == [
        "SM – Care Leavers"
    ]
    assert [a.ref for a in api.list_actions(store, text="audit PATHWAY")] == ["7.1"]
    assert api.list_actions(store, owner="SM care homes") == []


@pilot_test
async def test_o_on_the_evidence_list_opens_the_highlighted_items_file_or_says_why_not(
    store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """Issue 15.3, from the list as from the item: o opens it (here: no display, so say so)."""
    audit = tmp_path / "RHI audit.docx"
    audit.write_text("x")
    api.create_evidence(store, title="RHI audit", location=str(audit))
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    app = VisitPrepApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await _open_list(pilot, "evidence")
        await pilot.press("o")
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert any("no display here" in m for m in said), said
        assert app.screen.filters == {}  # o did not toggle an overdue filter on evidence
