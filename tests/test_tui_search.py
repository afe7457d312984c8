"""A lead finds what Ofsted said about something, typing with typos, and opens it."""

from __future__ import annotations

from _tui_harness import Harness, pilot_test, settle, type_into

import store as api
from store import Store
from tui.screens.search import SearchScreen, highlighted


def _store_with_findings(store: Store) -> dict[str, int]:
    rhi = api.create_finding(
        store,
        title="Return home interviews are not timely",
        text="Too few children who go missing are offered a return home interview.",
        ref="R3",
        theme="Exploitation",
    )
    mash = api.create_finding(
        store, title="Thresholds at the front door are not applied", ref="R1", theme="Front door"
    )
    action = api.create_action(
        store, title="Commission return home interviews in-house", ref="A4", brag="red"
    )
    return {"rhi": rhi.id, "mash": mash.id, "action": action.id}


def _results(screen: SearchScreen) -> list[str]:
    return [hit.title for hit in screen.hits]


@pilot_test
async def test_search_updates_as_you_type_and_enter_opens_the_record(store: Store) -> None:
    ids = _store_with_findings(store)
    screen = SearchScreen()
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert "For example" in str(screen.query_one("#search-empty").render())
        await type_into(pilot, "#search-box", "retrun home")
        await settle(pilot)
        assert set(_results(screen)[:2]) == {
            "Return home interviews are not timely",
            "Commission return home interviews in-house",
        }
        await type_into(pilot, "#search-box", "retrun home intervew kind:finding")
        await settle(pilot)
        assert _results(screen) == ["Return home interviews are not timely"]
        await pilot.press("enter")
        await settle(pilot)
    assert app.opened == [("finding", ids["rhi"])]


@pilot_test
async def test_arrows_move_through_results_and_open_the_one_chosen(store: Store) -> None:
    _store_with_findings(store)
    screen = SearchScreen("return home")
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert len(screen.hits) == 2
        second = screen.hits[1]
        await pilot.press("down", "enter")
        await settle(pilot)
    assert app.opened == [(second.kind, second.id)]


@pilot_test
async def test_no_matches_says_so(store: Store) -> None:
    _store_with_findings(store)
    screen = SearchScreen()
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await type_into(pilot, "#search-box", "xylophone")
        await settle(pilot)
        assert screen.hits == []
        assert "No matches for 'xylophone'" in str(screen.query_one("#search-empty").render())
        await pilot.press("enter")  # nothing to open: nothing happens
        await settle(pilot)
    assert app.opened == []


@pilot_test
async def test_a_new_record_is_found_without_reopening_search(store: Store) -> None:
    _store_with_findings(store)
    screen = SearchScreen("permanence")
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert screen.hits == []
        api.create_finding(store, title="Permanence planning drifts", ref="R9")
        await settle(pilot)
        assert _results(screen) == ["Permanence planning drifts"]


@pilot_test
async def test_markup_and_escape_codes_in_results_are_shown_literally(store: Store) -> None:
    api.create_finding(store, title="[bold]Audit[/bold] findings \x1b[31m red", ref="R2")
    screen = SearchScreen("audit")
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        prompt = str(screen.query_one("#search-results").get_option_at_index(0).prompt)
        assert "[bold]Audit[/bold] findings" in prompt
        assert "\x1b" not in prompt


@pilot_test
async def test_another_councils_finding_names_its_report_in_the_results(store: Store) -> None:
    _store_with_findings(store)
    report = api.create_source(store, kind="inspection", title="Haringey ILACS 2018",
                               local_authority="Haringey", ours=False)  # fmt: skip
    api.create_finding(store, title="Return home interviews are offered late", ref="R8",
                       theme="Exploitation", source_id=report.id)  # fmt: skip
    screen = SearchScreen("return home interviews kind:finding")
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        results = screen.query_one("#search-results")
        prompts = [str(results.get_option_at_index(i).prompt) for i in range(len(screen.hits))]
    [theirs] = [p for p in prompts if "offered late" in p]
    assert "· other: Haringey ILACS 2018  Exploitation and missing" in theirs
    [ours] = [p for p in prompts if "not timely" in p]
    assert "other:" not in ours and "Exploitation and missing" in ours


def test_highlights_land_on_the_matched_words() -> None:
    text = highlighted("Return home interviews", ((0, 6), (12, 22)))
    marked = [text.plain[span.start : span.end] for span in text.spans]
    assert marked == ["Return", "interviews"]


@pilot_test
async def test_a_filter_that_is_not_one_is_named_under_the_box(store: Store) -> None:
    _store_with_findings(store)
    screen = SearchScreen()
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await type_into(pilot, "#search-box", "colour:red interviews")
        await settle(pilot)
        status = str(screen.query_one("#search-status").render())
        assert (
            "'colour:red' is not a filter: use kind:, theme:, brag:, source: or overdue." in status
        )
        await type_into(pilot, "#search-box", "brag:red interviews")
        await settle(pilot)
        assert _results(screen) == ["Commission return home interviews in-house"]
        assert "is not a filter" not in str(screen.query_one("#search-status").render())
