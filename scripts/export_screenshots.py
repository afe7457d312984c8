"""Regenerate screenshots/: one SVG per main screen of the app, from the demo store.

    python3 dev.py screenshots          # or: PYTHONPATH=. .venv/bin/python scripts/export_screenshots.py

Each picture is the real app (``tui.app.VisitPrepApp``) driven headless at 120x36 by the
keys a user would press, on a fresh demo store whose "today" is the demo's own date, with
the default theme and no remembered settings. Nothing in a picture depends on the clock,
the machine or the run: two runs write byte-identical files.

The same list of screens, and the same way of reaching each, is what the SVG snapshot
tests (``tests/test_snapshots.py``) check at 120x36 and 80x24.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from textual.pilot import Pilot  # noqa: E402
from textual.widgets import Input, TextArea  # noqa: E402

import store as api  # noqa: E402
from store.demo import DEMO_TODAY, build_demo  # noqa: E402
from tui.app import VisitPrepApp  # noqa: E402

SIZE = (120, 36)
OUT = ROOT / "screenshots"
# A typo'd query, the way people type when they are in a hurry.
SEARCH_QUERY = "retrun home intervew"
BAD_DATE = "31/02/2018"
# A made-up council's report (tests/data), named from the repository's root, where dev.py
# and pytest run: the path is shown as typed and the file picker lists only its folder, so
# the picture does not depend on the machine or on what else is in the checkout.
IMPORT_REPORT = "tests/data/reports/ashbourne-vale_2025-03-20.txt"
LOADER = "_loader"  # the worker group of Textual's DirectoryTree folder loader


# --------------------------------------------------------------------------- the app


def build_demo_store(folder: Path) -> Path:
    """Build the demo store in ``folder`` (today fixed at the demo's date); return its path."""
    path = folder / "demo.db"
    store = api.open_store(path, today=DEMO_TODAY)
    try:
        build_demo(store)
    finally:
        store.close()
    return path


def demo_app(db: Path, config_dir: Path) -> VisitPrepApp:
    """The real app on the store at ``db``, settings in ``config_dir`` (none yet). Opened as
    a user opens it: the demo store knows its date, and says "Demo: as at 21 Jan 2019"."""
    store = api.open_store(db)
    return VisitPrepApp(store, config_path=config_dir / "config.json")


def freeze_cursors() -> list[tuple[type, Any]]:
    """Stop text cursors blinking, so a picture never catches one half-way.

    Returns what was replaced, for :func:`thaw_cursors` (tests restore it).
    """
    saved = [(cls, cls.__dict__["cursor_blink"]) for cls in (Input, TextArea)]
    for cls, _ in saved:
        # A plain class attribute in place of the reactive: every instance reads False.
        cls.cursor_blink = False  # type: ignore[assignment]
    return saved


def thaw_cursors(saved: list[tuple[type, Any]]) -> None:
    for cls, blink in saved:
        cls.cursor_blink = blink  # type: ignore[assignment]


# --------------------------------------------------------------------------- reaching screens


async def settle(pilot: Pilot[Any]) -> None:
    """Let every worker finish and its result land on screen, record tables included.

    A table counts its rows and then loads its first page in further workers, which may
    start after a wait for the workers has returned: wait until each table holds its rows.
    """
    from tui.widgets.record_table import RecordTable

    for _ in range(500):
        for _ in range(3):
            # A file picker's folder loader waits for the next folder as long as it lives.
            busy = [w for w in pilot.app.workers if w.group != LOADER]
            if busy:  # (an empty list would mean every worker)
                await pilot.app.workers.wait_for_complete(busy)
            await pilot.pause()
        tables = list(pilot.app.screen.query(RecordTable))
        if all(t.total is not None and t.loaded_rows >= min(t.total, t.page_size) for t in tables):
            break
        await pilot.pause(0.02)
    await pilot.pause()


async def wait_ready(pilot: Pilot[Any], name: str, timeout: float = 30.0) -> None:
    """Wait until the screen ``name`` reported its data shown (``ScreenReady``), then settle."""
    app: Any = pilot.app
    waited = 0.0
    while name not in app.ready_times:
        if waited > timeout:
            raise TimeoutError(f"the {name} screen never reported ready")
        await pilot.pause(0.02)
        waited += 0.02
    await settle(pilot)


async def wait_until(pilot: Pilot[Any], shown: Callable[[], bool], timeout: float = 30.0) -> None:
    """Wait until ``shown()`` (what the picture is of is on screen), then settle."""
    waited = 0.0
    while not shown():
        if waited > timeout:
            raise TimeoutError("what the screenshot is of never showed")
        await pilot.pause(0.02)
        waited += 0.02
    await settle(pilot)


async def press(pilot: Pilot[Any], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def type_text(pilot: Pilot[Any], text: str) -> None:
    await pilot.press(*[c if c != " " else "space" for c in text])
    await settle(pilot)


def _store(pilot: Pilot[Any]) -> api.Store:
    return pilot.app.store  # type: ignore[attr-defined]


async def dashboard(pilot: Pilot[Any]) -> None:
    await wait_ready(pilot, "dashboard")


async def findings(pilot: Pilot[Any]) -> None:
    await dashboard(pilot)
    await press(pilot, "2")
    await wait_ready(pilot, "list:finding")


async def overdue_actions(pilot: Pilot[Any]) -> None:
    await dashboard(pilot)
    pilot.app.open_list("action", overdue=True)  # type: ignore[attr-defined]
    await wait_ready(pilot, "list:action")


async def evidence(pilot: Pilot[Any]) -> None:
    await dashboard(pilot)
    await press(pilot, "4")
    await wait_ready(pilot, "list:evidence")


async def sources(pilot: Pilot[Any]) -> None:
    await dashboard(pilot)
    await press(pilot, "5")
    await wait_ready(pilot, "list:source")


async def visits(pilot: Pilot[Any]) -> None:
    await dashboard(pilot)
    await press(pilot, "6")
    await wait_ready(pilot, "list:visit")


def showcase_finding(store: api.Store) -> int:
    """The finding with the most actions and evidence (ties: the first by ref)."""
    # sorted() is stable and list_findings comes in ref order: ties go to the first ref.
    ranked = sorted(api.list_findings(store), key=lambda f: -(f.action_count + f.evidence_count))
    return ranked[0].id


def showcase_action(store: api.Store) -> int:
    """The action with the longest update history (ties: the first by ref)."""
    ranked = sorted(
        api.list_actions(store), key=lambda a: -len(api.list_action_updates(store, a.id))
    )
    return ranked[0].id


async def finding_detail(pilot: Pilot[Any]) -> None:
    await dashboard(pilot)
    pilot.app.open_record("finding", showcase_finding(_store(pilot)))  # type: ignore[attr-defined]
    await settle(pilot)


async def action_detail(pilot: Pilot[Any]) -> None:
    await dashboard(pilot)
    pilot.app.open_record("action", showcase_action(_store(pilot)))  # type: ignore[attr-defined]
    await settle(pilot)


async def visit_pack(pilot: Pilot[Any]) -> None:
    await dashboard(pilot)
    visit = api.next_visit(_store(pilot))
    assert visit is not None, "the demo has a next visit"
    pilot.app.open_record("visit", visit.id)  # type: ignore[attr-defined]
    await settle(pilot)


async def search(pilot: Pilot[Any]) -> None:
    await dashboard(pilot)
    await press(pilot, "slash")
    await type_text(pilot, SEARCH_QUERY)


async def help_screen(pilot: Pilot[Any]) -> None:
    await dashboard(pilot)
    await press(pilot, "question_mark")


async def new_action_with_error(pilot: Pilot[Any]) -> None:
    """The new-action form refusing a due date that does not exist."""
    await dashboard(pilot)
    await press(pilot, "3")
    await wait_ready(pilot, "list:action")
    await press(pilot, "n")
    await type_text(pilot, "Weekly MASH threshold audit")
    pilot.app.screen.query_one("#field-due_date").focus()
    await type_text(pilot, BAD_DATE)
    await press(pilot, "ctrl+s")


async def leave_unsaved(pilot: Pilot[Any]) -> None:
    """Escape on a form with typing in it: Save / Discard / Keep editing, never lost."""
    await dashboard(pilot)
    await press(pilot, "3")
    await wait_ready(pilot, "list:action")
    await press(pilot, "n")
    await type_text(pilot, "Weekly MASH threshold audit")
    await press(pilot, "escape")


async def evidence_item(pilot: Pilot[Any]) -> None:
    """An evidence item: its whole location, o to open it, the findings it supports."""
    await dashboard(pilot)
    await press(pilot, "4")
    await wait_ready(pilot, "list:evidence")
    await press(pilot, "enter")
    await settle(pilot)


async def import_preview(pilot: Pilot[Any]) -> None:
    """The import screen showing what a report would create, before anything is stored."""
    from tui.screens.importing import ImportScreen

    await dashboard(pilot)
    pilot.app.push_screen(ImportScreen(os.path.relpath(ROOT / IMPORT_REPORT)))
    await settle(pilot)
    await press(pilot, "enter")


async def measures(pilot: Pilot[Any]) -> None:
    await dashboard(pilot)
    await press(pilot, "7")
    await wait_ready(pilot, "list:measure")


async def measure_detail(pilot: Pilot[Any]) -> None:
    """The assessment timeliness measure: its chart against target and comparators."""
    from tui.screens.measure_detail import MeasureDetailScreen

    await dashboard(pilot)
    measure = api.get_measure_by_ref(_store(pilot), "A1")
    pilot.app.push_screen(MeasureDetailScreen(measure.id))
    await wait_ready(pilot, "measure")


async def measure_form(pilot: Pilot[Any]) -> None:
    """e on a measure: its form, refusing a percentage target over 100 under the field."""
    await measure_detail(pilot)
    await press(pilot, "e")
    await settle(pilot)
    from textual.widgets import Input

    target = pilot.app.screen.query_one("#field-target", Input)
    target.focus()
    target.value = ""  # the 90 it holds, cleared
    await type_text(pilot, "150")
    await press(pilot, "ctrl+s")
    # The refusal comes back from the save's worker: on a busy machine it may land after
    # the settle above, so wait for it to show under the field before the picture.
    await wait_until(pilot, lambda: bool(pilot.app.screen.query(".form-error.-shown")))


@dataclass(frozen=True)
class Shot:
    """One main screen: its file name (without .svg), what it shows, and how to get there."""

    name: str
    caption: str
    reach: Callable[[Pilot[Any]], Awaitable[None]]


SHOTS: tuple[Shot, ...] = (
    Shot("01-dashboard", "Dashboard", dashboard),
    Shot("02-findings", "Findings", findings),
    Shot("03-actions-overdue", "Actions: overdue", overdue_actions),
    Shot("04-evidence", "Evidence", evidence),
    Shot("05-sources", "Sources", sources),
    Shot("06-visits", "Visits", visits),
    Shot("07-finding", "A finding and everything linked to it", finding_detail),
    Shot("08-action", "An action with its update history", action_detail),
    Shot("09-pack", "The next visit's evidence pack", visit_pack),
    Shot("10-search", "Search, typed with typos", search),
    Shot("11-help", "Help", help_screen),
    Shot("12-new-action", "New action: a date that does not exist", new_action_with_error),
    Shot("13-import", "Import: a report previewed before it is stored", import_preview),
    Shot("14-measures", "Measures: latest value, BRAG against target, trend", measures),
    Shot("15-measure", "A measure's chart against its target and comparators", measure_detail),
    Shot("16-leave-unsaved", "A form with typing: save, discard or keep editing", leave_unsaved),
    Shot("17-evidence-item", "An evidence item: o opens it, c copies where it is", evidence_item),
    Shot("18-measure-form", "Editing a measure: a target over 100% refused", measure_form),
)


# --------------------------------------------------------------------------- main


async def _shoot(shot: Shot, db: Path, config_dir: Path) -> str:
    app = demo_app(db, config_dir)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await shot.reach(pilot)
            await pilot.wait_for_scheduled_animations()
            await settle(pilot)
            # simplify: merge neighbouring cells of one style, so the file does not depend on
            # which parts of the screen happened to be repainted last.
            return app.export_screenshot(title=f"visitprep — {shot.caption}", simplify=True)
    finally:
        app.store.close()


def export(out: Path = OUT) -> list[Path]:
    """Write one SVG per main screen into ``out``; return the files written."""
    freeze_cursors()
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        demo = build_demo_store(base / "built")
        for shot in SHOTS:
            # A fresh copy and empty settings for every picture: no screen sees another's work.
            work = base / shot.name
            (work / "config").mkdir(parents=True)
            db = work / "demo.db"
            shutil.copy(demo, db)
            svg = asyncio.run(_shoot(shot, db, work / "config"))
            target = out / f"{shot.name}.svg"
            target.write_text(svg, encoding="utf-8", newline="\n")
            written.append(target)
            print(f"{target.relative_to(ROOT)}  {shot.caption}")
    return written


def main() -> int:
    export()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
