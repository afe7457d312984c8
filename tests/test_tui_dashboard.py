"""The app shell and its first screen, driven as a user drives them.

A QA lead opens visitprep on the demo store: the dashboard shows the next visit and the
numbers that matter before it; each number opens the list behind it; ? explains the
keys; / searches; ctrl+p finds screens, commands and records (typos and all); the theme
they choose is still there tomorrow; and a failure says what went wrong without
stopping the app.
"""

from __future__ import annotations

import contextlib
import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.command import CommandInput, CommandList, CommandPalette
from textual.widgets import Input
from textual.worker import WorkerFailed

import store as api
from store import Store
from tests._tui_harness import pilot_test, settle
from tui.app import VisitPrepApp
from tui.screens.dashboard import DashboardScreen, OverdueRow, Tile, VisitCard
from tui.screens.help import HelpScreen
from tui.screens.search import SearchScreen
from tui.text import safe

WIDE = (120, 36)
SMALL = (80, 24)


def make_app(store: Store, tmp_path: Path, **kwargs: Any) -> VisitPrepApp:
    return VisitPrepApp(store, config_path=tmp_path / "config.json", **kwargs)


def tile_text(app: VisitPrepApp, tile_id: str) -> str:
    tile = app.screen.query_one(f"#{tile_id}", Tile)
    rendered = tile.render()
    return rendered.plain if isinstance(rendered, Text) else str(rendered)


def card_text(app: VisitPrepApp) -> str:
    dashboard = app.screen_stack[0]
    assert isinstance(dashboard, DashboardScreen)
    return dashboard.query_one(VisitCard).summary()


async def settle_after_failure(pilot: Any) -> None:
    """Like ``settle``, for tests where a worker is meant to fail."""
    for _ in range(3):
        with contextlib.suppress(WorkerFailed):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def focus_tile(pilot: Any, tile_id: str) -> None:
    """Walk the tiles with j, as a keyboard user would, until ``tile_id`` has focus."""
    for _ in range(20):
        focused = pilot.app.screen.focused
        if focused is not None and focused.id == tile_id:
            return
        await pilot.press("j")
    raise AssertionError(f"never reached {tile_id} with j")


def small_store(store: Store) -> Store:
    """A few records with one of each gap, and a visit in ten days (today 20 Jan 2018)."""
    f1 = api.create_finding(
        store,
        title="Return home interviews are not offered",
        ref="R1",
        theme="Exploitation and missing",
        kind="priority action",
    )
    api.create_finding(
        store,
        title="Oversight of CiN plans is weak",
        ref="R2",
        theme="Supervision and management oversight",
        kind="improvement area",
    )
    a1 = api.create_action(
        store,
        title="Offer every child an interview",
        brag="red",
        due_date=date(2018, 1, 10),
        finding_ids=[f1.id],
    )
    api.create_action(store, title="Audit CiN plans", brag="amber", due_date=date(2018, 1, 25))
    api.create_evidence(
        store,
        title="RHI audit",
        kind="audit",
        as_of=date(2017, 12, 1),
        action_ids=[a1.id],
        finding_ids=[f1.id],
    )
    api.create_evidence(store, title="Old tracker", kind="tracker", as_of=date(2017, 1, 1))
    api.create_visit(
        store,
        title="Monitoring visit 3",
        kind="monitoring visit",
        start_date=date(2018, 1, 30),
        focus_themes=["Exploitation and missing"],
    )
    return store


# ---------------------------------------------------------------- the numbers


@pilot_test
async def test_the_dashboard_shows_the_demo_store_numbers(
    demo_store: Store, tmp_path: Path
) -> None:
    numbers = api.dashboard(demo_store)
    app = make_app(demo_store, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert "dashboard" in app.ready_times
        header = app.screen.query_one("#dash-header").render()
        assert "Today 21 Jan 2019" in str(header)

        for brag, word in (
            ("red", "Red"),
            ("amber", "Amber"),
            ("green", "Green"),
            ("blue", "Blue"),
        ):
            text = tile_text(app, f"tile-brag-{brag}")
            assert word in text  # the word, not only a colour
            assert f" {numbers.brag_counts[brag]} " in text
        assert numbers.brag_counts["red"] == 2  # the demo's two off-track actions
        assert f" {numbers.overdue} " in tile_text(app, "tile-overdue")
        assert tile_text(app, "tile-due-soon").startswith("Due in 14 days")
        assert f" {numbers.due_soon} " in tile_text(app, "tile-due-soon")
        for kind, word in (
            ("no_action", "No action"),
            ("no_evidence", "No evidence"),
            ("stale", "Out of date"),
            ("missing", "File missing"),
        ):
            text = tile_text(app, f"tile-gap-{kind}")
            assert word in text and f" {numbers.gap_counts[kind]} " in text
        assert tile_text(app, "tile-total-finding").split() == [
            "Findings",
            str(numbers.finding_count),
        ]

        visit = numbers.next_visit
        assert visit is not None
        card = card_text(app)
        assert visit.title in card and "in 10 days" in card
        assert f"Evidence ready {numbers.next_visit_ready} / {numbers.next_visit_needed}" in card
        pack_gaps = len(api.build_pack(demo_store, visit.id).gaps)
        assert f"{pack_gaps} gaps in the pack" in card


@pilot_test
async def test_every_number_fits_a_small_terminal(demo_store: Store, tmp_path: Path) -> None:
    app = make_app(demo_store, tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        footer_top = SMALL[1] - 1
        numbers = [tile for tile in app.screen.query(Tile) if not isinstance(tile, OverdueRow)]
        assert not app.screen.query_one("#tile-total-other").display  # Northbridge's alone
        for tile in (tile for tile in numbers if tile.display):
            assert tile.region.height >= 1, tile.id
            assert tile.region.bottom <= footer_top, f"{tile.id} is below the fold at 80x24"
            assert tile.region.right <= SMALL[0]
        # The list of late actions is further down: moving to it scrolls it into view.
        await focus_tile(pilot, "overdue-4")
        await pilot.pause()
        last = app.screen.query_one("#overdue-4", OverdueRow)
        assert last.region.y > 0 and last.region.bottom <= footer_top


@pilot_test
async def test_a_write_anywhere_updates_the_dashboard(store: Store, tmp_path: Path) -> None:
    small_store(store)
    app = make_app(store, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert tile_text(app, "tile-brag-red").split()[:3] == ["■", "Red", "1"]
        api.create_action(store, title="Recruit two IROs", brag="red", due_date=date(2018, 3, 1))
        await settle(pilot)
        assert tile_text(app, "tile-brag-red").split()[:3] == ["■", "Red", "2"]


@pilot_test
async def test_an_empty_store_says_how_to_get_data_in(store: Store, tmp_path: Path) -> None:
    app = make_app(store, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        welcome = app.screen.query_one("#first-run")
        assert welcome.display and welcome.region.height > 0
        text = str(welcome.render())
        assert "This store is empty" in text
        assert f"visitprep --db {store.path} demo" in text
        assert "import report.pdf" in text
        assert app.screen.query_one("#dash-columns").region.height == 0
        # Issue 19.9: the footer names i, the key the welcome says to press.
        assert "press i to bring in files" in text
        footer = [key for key, b in app.screen.active_bindings.items() if b.binding.show
                  and b.enabled]  # fmt: skip
        assert "i" in footer
        await pilot.press("i")
        await pilot.pause()
        assert type(app.screen).__name__ == "ImportScreen"


# ---------------------------------------------------------------- each number opens its list


@pilot_test
async def test_enter_on_overdue_opens_the_overdue_actions(
    demo_store: Store, tmp_path: Path
) -> None:
    from tui.screens.lists import ListScreen

    app = make_app(demo_store, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await focus_tile(pilot, "tile-overdue")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ListScreen)
        assert (screen.kind, screen.filters) == ("action", {"overdue": True})
        assert screen.total == api.count_actions(demo_store, overdue=True)

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.screen.focused is not None and app.screen.focused.id == "tile-overdue"
        await pilot.press("escape")  # never past the dashboard
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen) and len(app.screen_stack) == 1


@pilot_test
async def test_each_tile_asks_for_the_list_behind_it(store: Store, tmp_path: Path) -> None:
    small_store(store)
    # Another council's findings that would be gaps if they were ours: the no-action
    # tile's list must leave them out, as its number does.
    luton = api.create_source(store, kind="inspection", title="Luton ILACS 2019",
                              local_authority="Luton", ours=False)  # fmt: skip
    for n in (1, 2):
        api.create_finding(store, title=f"Luton finding {n}", ref=f"R{n}", source_id=luton.id,
                           kind="priority action")  # fmt: skip
    app = make_app(store, tmp_path)
    asked: list[tuple[str, dict[str, Any]]] = []

    def open_list(kind: str, /, **filters: Any) -> None:
        asked.append((kind, filters))

    app.open_list = open_list  # type: ignore[method-assign]
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        for tile_id in (
            "tile-brag-red",
            "tile-due-soon",
            "tile-gap-no_action",
            "tile-gap-missing",
            "tile-total-evidence",
        ):
            await focus_tile(pilot, tile_id)
            await pilot.press("enter")
        await pilot.click("#tile-gap-stale")
        await pilot.pause()
    # The filters are the store's own: each list holds exactly the number on its tile (the
    # no-action tile's leaves Luton's findings out, as its number does).
    assert api.count_findings(store, **asked[2][1]) == api.gap_counts(store)["no_action"] == 1
    assert api.count_findings(store, without_action=True) == 3
    assert asked == [
        ("action", {"brag": "red"}),
        ("action", {"due_within": 14}),
        (
            "finding",
            {
                "without_action": True,
                "status": ("open", "improving"),
                "kind": ("priority action", "improvement area", "recommendation", "weakness"),
                "ours": True,
            },
        ),
        ("evidence", {"missing": True}),
        ("evidence", {}),
        ("evidence", {"stale": True}),
    ]


@pilot_test
async def test_other_councils_findings_are_counted_apart_and_open_their_own_list(
    store: Store, tmp_path: Path
) -> None:
    small_store(store)
    app = make_app(store, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)

        def numbers() -> dict[str | None, str]:
            tiles = {t.id: tile_text(app, t.id or "") for t in app.screen.query(Tile)
                     if t.display and not isinstance(t, VisitCard)}  # fmt: skip
            return {**tiles, "card": card_text(app)}

        before = numbers()
        assert "gap" in before["card"]
        assert not app.screen.query_one("#tile-total-other").display
        # A lead imports Haringey's report to learn from: findings in the visit's focus,
        # with no action, that would be gaps if they were ours.
        haringey = api.create_source(store, kind="inspection", title="Haringey ILACS 2018",
                                     local_authority="Haringey", ours=False)  # fmt: skip
        for n in range(1, 4):
            api.create_finding(store, title=f"Haringey finding {n}", ref=f"R{n}",
                               theme="Exploitation and missing", source_id=haringey.id)  # fmt: skip
        await settle(pilot)
        other = app.screen.query_one("#tile-total-other", Tile)
        assert other.display
        assert " ".join(tile_text(app, "tile-total-other").split()) == (
            "Other councils' 3 findings (for search)"
        )
        # Every other number is as it was, the next visit's pack too.
        after = numbers()
        assert {k: v for k, v in after.items() if k != "tile-total-other"} == before
        await focus_tile(pilot, "tile-total-other")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.filters == {"ours": False}
        assert app.screen.table.total == 3


@pilot_test
async def test_the_visit_card_opens_the_pack(demo_store: Store, tmp_path: Path) -> None:
    from tui.screens.pack import PackScreen

    app = make_app(demo_store, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert app.screen.focused is app.screen.query_one(VisitCard)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PackScreen)
        assert app.screen.visit_id == api.next_visit(demo_store).id


# ---------------------------------------------------------------- keys, help, search, palette


@pilot_test
async def test_question_mark_lists_the_dashboard_keys(demo_store: Store, tmp_path: Path) -> None:
    app = make_app(demo_store, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        here = {line.description: line for line in help_screen.lines if not line.everywhere}
        everywhere = {line.description for line in help_screen.lines if line.everywhere}
        assert {"Pack", "Export", "Reload", "Next", "Open"} <= set(here)
        assert here["Next"].keys == "↓, j" and here["Next"].tooltip == "Next number"
        assert {"Search", "Help", "Quit", "Findings", "Commands"} <= everywhere
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


@pilot_test
async def test_slash_opens_search_from_anywhere(demo_store: Store, tmp_path: Path) -> None:
    app = make_app(demo_store, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("3")  # the actions list
        await settle(pilot)
        assert getattr(app.screen, "kind", None) == "action"
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"rhi")
        await settle(pilot)
        assert app.screen.hits, "typing searches at once"
        await pilot.press("escape")
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen) and len(app.screen_stack) == 1


async def palette_prompts(pilot: Any, query: str) -> list[str]:
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    # The query as typing leaves it, at once: one Changed and one search, not one a key
    # (each key starts the palette's whole search again; only the last one's hits show).
    typed = pilot.app.screen.query_one(CommandInput)
    typed.value = query
    typed.cursor_position = len(query)
    for _ in range(10):  # the palette batches results every quarter second
        await settle(pilot)
        await pilot.pause(0.1)
    options = pilot.app.screen.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


@pilot_test
async def test_a_lead_chooses_how_old_evidence_may_be_and_the_dashboard_counts_again(
    demo_store: Store, tmp_path: Path
) -> None:
    from tui.screens.settings import StaleAgePrompt

    before = api.dashboard(demo_store, with_pack=False).gap_counts["stale"]
    app = make_app(demo_store, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert f" {before} " in tile_text(app, "tile-gap-stale")
        prompts = await palette_prompts(pilot, "evidence age")
        assert prompts[0].startswith("Evidence age…")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StaleAgePrompt)
        assert app.screen.query_one("#prompt-value", Input).value == "183"
        await pilot.press(*"soon", "enter")  # typed over the selected 183
        await settle(pilot)
        assert "'soon' is not an age" in str(app.screen.query_one("#prompt-error").render())
        await pilot.press("ctrl+a", "ctrl+k", *"3", "space", *"months")
        await settle(pilot)
        note = str(app.screen.query_one("#prompt-note").render())
        assert note == "That is 92 days (about 3 months)."
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, StaleAgePrompt)
        after = api.dashboard(demo_store, with_pack=False).gap_counts["stale"]
        assert after > before  # the demo has evidence between three and six months old
        assert f" {after} " in tile_text(app, "tile-gap-stale")
    assert api.stale_days(demo_store) == 92


@pilot_test
async def test_the_palette_offers_screens_and_commands(demo_store: Store, tmp_path: Path) -> None:
    app = make_app(demo_store, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        prompts = await palette_prompts(pilot, "findi")
        assert prompts and prompts[0].startswith("Findings")
        await pilot.press("enter")
        await settle(pilot)
        assert getattr(app.screen, "kind", None) == "finding"

        prompts = await palette_prompts(pilot, "export")
        assert any(p.startswith("Export the next visit's checklist") for p in prompts)
        await pilot.press("escape")
        prompts = await palette_prompts(pilot, "new vis")
        assert prompts[0].startswith("New visit")
        await pilot.press("escape")
        prompts = await palette_prompts(pilot, "impor")
        assert prompts[0].startswith("Import…")  # the import screen is in this version
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ImportScreen"


@pilot_test
async def test_the_app_can_start_on_a_list(demo_store: Store, tmp_path: Path) -> None:
    app = make_app(demo_store, tmp_path, start="actions")
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert getattr(app.screen, "kind", None) == "action"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


@pilot_test
async def test_the_palette_finds_a_record_typed_with_a_typo(
    demo_store: Store, tmp_path: Path
) -> None:
    app = make_app(demo_store, tmp_path)
    opened: list[tuple[str, int]] = []
    app.open_record = lambda kind, record_id: opened.append((kind, record_id))  # type: ignore[method-assign]
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        prompts = await palette_prompts(pilot, "retrun home intervew")
        assert any("Return home interview" in p for p in prompts), prompts
        index = next(i for i, p in enumerate(prompts) if "Return home interview" in p)
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
    assert len(opened) == 1
    kind, record_id = opened[0]
    title = {
        "finding": lambda: api.get_finding(demo_store, record_id).title,
        "action": lambda: api.get_action(demo_store, record_id).title,
        "evidence": lambda: api.get_evidence(demo_store, record_id).title,
    }[kind]()
    assert "return home interview" in title.lower()


# ---------------------------------------------------------------- theme, literal text, failures


@pilot_test
async def test_the_chosen_theme_is_remembered(store: Store, tmp_path: Path) -> None:
    from tui.config import default_config_path

    path = default_config_path()
    assert path == Path(os.environ["XDG_CONFIG_HOME"]) / "visitprep" / "config.json"
    app = VisitPrepApp(store)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert app.theme != "nord"
        app.theme = "nord"
        await pilot.pause()
    assert json.loads(path.read_text(encoding="utf-8")) == {"theme": "nord"}

    again = VisitPrepApp(store)
    async with again.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert again.theme == "nord"


@pilot_test
async def test_a_broken_config_file_is_ignored_with_a_notice(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text("{not json", encoding="utf-8")
    app = make_app(store, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        notices = [n.message for n in app._notifications]
        assert any("not valid JSON" in m and "using the defaults" in m for m in notices)
        assert isinstance(app.screen, DashboardScreen)
        app.theme = "gruvbox"
        await pilot.pause()
    assert json.loads(path.read_text(encoding="utf-8")) == {"theme": "gruvbox"}


@pilot_test
async def test_keys_can_be_moved_in_the_settings_file(store: Store, tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(
        json.dumps({"keymap": {"app.search": "ctrl+f", "dashboard.reload": "f5"}}),
        encoding="utf-8",
    )
    app = make_app(store, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        keys = {line.description: line.keys for line in app.screen.lines}
        assert keys["Reload"] == "f5" and keys["Search"] == "^f"
        await pilot.press("escape")
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)


@pilot_test
async def test_user_text_is_shown_literally(store: Store, tmp_path: Path) -> None:
    tricky = "[bold]x[/] \x1b[31mred"
    api.create_visit(store, title=tricky, kind="monitoring visit", start_date=date(2018, 2, 1))
    api.create_finding(store, title=f"Supervision {tricky}", ref="R9", theme="Assessment")
    app = make_app(store, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        card = card_text(app)
        assert "[bold]x[/] ␛[31mred" in card and "\x1b" not in card
        prompts = await palette_prompts(pilot, "supervision")
        assert any("[bold]x[/] ␛[31mred" in p for p in prompts), prompts


def test_safe_makes_every_control_character_visible() -> None:
    assert safe("\x1b[31mred\x07") == "␛[31mred␇"
    assert safe("a\u202eb\x9bc\x7f") == "a\ufffdb\ufffdc␡"
    assert safe("one\ntwo\tthree") == "one␊two␉three"
    assert safe("one\ntwo\tthree\r", keep_lines=True) == "one\ntwo three␍"
    assert safe("[bold]kept[/]") == "[bold]kept[/]"
    assert safe(None) == ""


@pilot_test
async def test_a_failed_load_says_so_and_the_app_carries_on(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_store(store)
    real = api.dashboard

    def broken(_store: Store, **_kwargs: Any) -> Any:
        raise api.StoreUnavailable("The store is locked by another program; try again.")

    monkeypatch.setattr(api, "dashboard", broken)
    app = make_app(store, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle_after_failure(pilot)
        assert app.errors == ["The store is locked by another program; try again."]
        assert "Could not load the numbers" in str(app.screen.query_one("#dash-status").render())
        assert "dashboard" not in app.ready_times

        monkeypatch.setattr(api, "dashboard", real)
        await pilot.press("r")
        await settle(pilot)
        assert tile_text(app, "tile-brag-red").split()[:3] == ["■", "Red", "1"]
        assert "dashboard" in app.ready_times
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)


@pilot_test
async def test_the_numbers_read_before_the_app_loaded_are_shown_and_read_once(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # visitprep starts the dashboard's read before it imports Textual (tui.cli._open_app);
    # the dashboard shows that answer instead of reading again, and r reads afresh.
    from tui import first_numbers

    small_store(store)
    reads: list[int] = []
    real = first_numbers.read
    monkeypatch.setattr(first_numbers, "read", lambda s: reads.append(1) or real(s))
    early = first_numbers.start(store)
    early.result(timeout=10)
    assert reads == [1]
    app = make_app(store, tmp_path, first_numbers=early)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert "dashboard" in app.ready_times and reads == [1]
        assert tile_text(app, "tile-brag-red").split()[:3] == ["■", "Red", "1"]
        await pilot.press("r")
        await settle(pilot)
        assert reads == [1, 1]


@pilot_test
async def test_a_read_before_the_app_that_failed_is_reported_like_any_other(
    store: Store, tmp_path: Path
) -> None:
    from concurrent.futures import Future

    small_store(store)
    failed: Future[Any] = Future()
    failed.set_exception(api.StoreUnavailable("The store is busy (another program is writing)."))
    app = make_app(store, tmp_path, first_numbers=failed)
    async with app.run_test(size=WIDE) as pilot:
        await settle_after_failure(pilot)
        assert app.errors == ["The store is busy (another program is writing)."]
        assert "Could not load the numbers" in str(app.screen.query_one("#dash-status").render())
        await pilot.press("r")  # read afresh: the store answers now
        await settle(pilot)
        assert tile_text(app, "tile-brag-red").split()[:3] == ["■", "Red", "1"]


@pilot_test
async def test_a_worker_failure_nobody_handles_is_reported(store: Store, tmp_path: Path) -> None:
    from textual.screen import Screen

    from tui.workers import worker

    class Quiet(Screen[None]):
        @worker(name="counting")  # no failure message of its own: the app says it
        def count(self) -> None:
            raise RuntimeError("disk on fire")

    app = make_app(store, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle_after_failure(pilot)
        screen = Quiet()
        await app.push_screen(screen)
        screen.count()
        await settle_after_failure(pilot)
        assert app.errors == ["Something went wrong: disk on fire (RuntimeError)."]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


@pilot_test
async def test_the_most_overdue_actions_are_listed_and_open(
    demo_store: Store, tmp_path: Path
) -> None:
    late = api.list_actions(demo_store, overdue=True, sort="due")
    app = make_app(demo_store, tmp_path)
    opened: list[tuple[str, int]] = []
    app.open_record = lambda kind, record_id: opened.append((kind, record_id))  # type: ignore[method-assign]
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        rows = [row for row in app.screen.query(OverdueRow) if row.display]
        assert [row.action.id for row in rows if row.action] == [a.id for a in late[:5]]
        first = rows[0].render().plain
        assert first.startswith(late[0].ref) and "overdue" in first
        assert f"overdue {(demo_store.today - late[0].due_date).days}d" in first
        await focus_tile(pilot, "overdue-0")
        assert rows[0].region.bottom <= WIDE[1] - 1  # on screen at 120x36 without scrolling
        await pilot.press("enter")
    assert opened == [("action", late[0].id)]


@pilot_test
async def test_a_screen_underneath_catches_up_when_it_comes_back(
    store: Store, tmp_path: Path
) -> None:
    small_store(store)
    app = make_app(store, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("slash")  # the dashboard is now underneath
        await pilot.pause()
        api.create_action(store, title="Recruit two IROs", brag="red")
        await settle(pilot)
        dashboard = app.screen_stack[0]
        assert dashboard.query_one("#tile-brag-red", Tile).count == 1  # not yet: out of sight
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert tile_text(app, "tile-brag-red").split()[:3] == ["■", "Red", "2"]


@pilot_test
async def test_help_on_a_list_shows_that_lists_keys(demo_store: Store, tmp_path: Path) -> None:
    app = make_app(demo_store, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        here = {line.description for line in app.screen.lines if not line.everywhere}
        assert {"New", "Edit", "Link"} <= here
        assert "Pack" not in here  # the dashboard's keys are not this screen's
        everywhere = {line.description for line in app.screen.lines if line.everywhere}
        assert "Back" in everywhere  # escape goes back from a list


@pilot_test
async def test_a_form_being_filled_in_is_never_closed_by_a_stray_key(
    store: Store, tmp_path: Path
) -> None:
    from textual.widgets import Input

    from tui.screens.confirm import UnsavedScreen
    from tui.screens.record_form import RecordForm

    app = make_app(store, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        app.new_record("finding")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        form.query_one("#field-title", Input).value = "Audit of strategy discussions"
        app.set_focus(None)  # not typing in a field: keys reach the app
        await pilot.press("3", "slash", "q")
        await pilot.pause()
        assert app.screen is form and app.is_running
        app.action_go("actions")  # as the palette would: asks Save / Discard / Keep editing
        await settle(pilot)
        assert isinstance(app.screen, UnsavedScreen)
        await pilot.press("k")
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#field-title", Input).value == "Audit of strategy discussions"
        await pilot.press("ctrl+q")  # quits from a form too, asking first
        await settle(pilot)
        assert isinstance(app.screen, UnsavedScreen) and app.is_running
        await pilot.press("d")
        await settle(pilot)
        assert not app.is_running


def test_badges_say_it_in_words_not_only_colour() -> None:
    from tui.widgets.badges import brag_badge, due_text, gap_label

    assert [brag_badge(b).plain for b in ("blue", "green", "amber", "red")] == [
        "◆ Blue",
        "● Green",
        "▲ Amber",
        "■ Red",
    ]
    assert brag_badge("").plain == "○ No BRAG"
    assert brag_badge("purple").plain == "○ purple"  # an unknown status is still shown
    assert gap_label("no_action").plain == "⚠ No action"
    assert gap_label("missing").plain == "⚠ File missing"
    today = date(2018, 1, 20)
    assert due_text(date(2018, 1, 8), today).plain == "8 Jan 2018 ⚠ overdue 12d"
    assert due_text(date(2018, 1, 8), today, done=True).plain == "8 Jan 2018"
    assert due_text(date(2018, 1, 20), today).plain == "20 Jan 2018 due today"
    assert due_text(date(2018, 2, 1), today).plain == "1 Feb 2018"
    assert due_text(None, today).plain == "no due date"


@pilot_test
async def test_x_writes_the_next_visits_checklist(demo_store: Store, tmp_path: Path) -> None:
    from textual.widgets import Input

    from store.export import export_checklist
    from tui.screens.pack import ExportPrompt

    target = tmp_path / "mv3-checklist.md"
    app = make_app(demo_store, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ExportPrompt)
        assert app.screen.query_one("#prompt-value", Input).value.endswith(
            "monitoring-visit-3-children-in-care-and-care-leavers-checklist.md"
        )
        app.screen.query_one("#prompt-value", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert any(str(target) in n.message for n in app._notifications)
    visit = api.next_visit(demo_store)
    assert target.read_text(encoding="utf-8") == export_checklist(demo_store, visit.id)


@pilot_test
async def test_the_palette_marks_another_councils_finding_and_puts_exact_refs_first(
    store: Store, tmp_path: Path
) -> None:
    """Issue 15.7: Luton's R1 looked like Northbridge's R1 in the palette; / marks it.
    Issue 19.1: a ref typed exactly is the palette's top match, above any command."""
    luton = api.create_source(store, kind="inspection", title="Luton ILACS 2018",
                              local_authority="Luton", ours=False)  # fmt: skip
    ours = api.create_source(store, kind="inspection", title="Northbridge SIF 2017",
                             local_authority="Northbridge")  # fmt: skip
    api.create_finding(store, title="Strategy meetings are not timely", ref="R1",
                       source_id=luton.id)  # fmt: skip
    api.create_finding(store, title="Strategy discussions lack partners", ref="R1",
                       source_id=ours.id)  # fmt: skip
    api.create_finding(store, title="R1 follow-up: strategy audit", ref="R12", source_id=ours.id)
    app = make_app(store, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        prompts = await palette_prompts(pilot, "R1")
    assert all(" R1 " in p for p in prompts[:2]), prompts
    [theirs] = [p for p in prompts if "Strategy meetings" in p]
    assert "other: Luton ILACS 2018" in theirs
    [mine] = [p for p in prompts if "Strategy discussions" in p]
    assert "other:" not in mine


@pilot_test
async def test_a_demo_opened_without_a_date_is_shown_as_at_its_own_week(
    demo_store: Store, tmp_path: Path
) -> None:
    """Issue 15.4: opened as a newcomer opens it (no VISITPREP_TODAY), the demo said
    "Today 6 Dec 2026", "No visit planned" and "overdue 2991d"."""
    from store import open_store

    assert demo_store.path is not None
    store = open_store(demo_store.path)  # no today given, none in the environment
    try:
        app = make_app(store, tmp_path)
        async with app.run_test(size=SMALL) as pilot:
            await settle(pilot)
            header = str(app.screen.query_one("#dash-header").render())
            assert "Demo: as at 21 Jan 2019" in header and "Today" not in header
            card = card_text(app)
            assert "Monitoring visit 3" in card and "10 days" in card, card
    finally:
        store.close()


@pilot_test
async def test_the_overdue_rows_dates_line_up_whatever_the_number_of_days(
    store: Store, tmp_path: Path
) -> None:
    """Issue 15.11: a row's date was one column off when its days had more digits."""
    api.create_action(store, title="Recruit IROs", ref="1.1", owner="HoS", brag="red",
                      due_date=date(2018, 1, 15))  # fmt: skip
    api.create_action(store, title="Audit CP plans", ref="1.2", owner="HoS", brag="red",
                      due_date=date(2014, 9, 3))  # fmt: skip
    api.create_action(store, title="Old tracker", ref="1.3", owner="HoS", brag="amber",
                      due_date=date(2017, 11, 1))  # fmt: skip
    app = make_app(store, tmp_path)
    for size in (WIDE, SMALL):
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            lines = [str(row.render()) for row in app.screen.query(OverdueRow) if row.action]
            assert len(lines) == 3, lines
            ends = {
                line.index(str(year)) for line, year in zip(lines, (2014, 2017, 2018), strict=True)
            }
            assert len(ends) == 1, lines
        app = make_app(store, tmp_path)
