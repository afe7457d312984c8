"""Start-up: the app opens a store and shows its first screen without loading what it does not need.

A lead opening visitprep on a big store waits for Python to import the app and for the
dashboard's numbers. These tests keep the slow parts off that path: Alembic only runs
when a store must be created or upgraded, importers, search and export load when used,
and the dashboard's counts stay the same numbers the gap list gives.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine

import store as api
from store import migrations
from store.database import resolve_url
from store.gaps import count_missing_evidence, find_gaps, gap_counts
from store.opening import _is_current_sqlite, _scripts_head, open_store
from tests._tui_harness import pilot_test, settle
from tui.app import VisitPrepApp
from tui.backstage import WARM_WHEN_QUIET
from tui.screens.dashboard import Tile

ROOT = Path(__file__).resolve().parents[1]
# Loaded only when the user imports, exports, searches or a store must be upgraded; the
# lists' table only when a list (or a measure off target on the dashboard) is shown; the
# records other than the dashboard's own when one is first read.
NOT_AT_START = ("alembic", "openpyxl", "pypdfium2", "rapidfuzz", "store.search",
                "store.importers", "store.export", "store.records_more",
                "tui.widgets.record_table")  # fmt: skip


def _modules_after(code: str) -> set[str]:
    """The modules a fresh Python process has loaded after running ``code``."""
    program = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return set(json.loads(out.stdout.splitlines()[-1]))


def _loaded(modules: set[str], name: str) -> bool:
    return name in modules or any(m.startswith(name + ".") for m in modules)


def test_opening_an_up_to_date_store_with_the_app_loads_no_migration_importer_or_search(
    tmp_path: Path,
) -> None:
    path = tmp_path / "visitprep.db"
    api.create_finding(open_store(path), title="Return home interviews are not timely")
    # What `visitprep` does before the first screen shows its numbers (tui.cli._open_app).
    modules = _modules_after(
        "from store import open_store\n"
        "from tui import first_numbers\n"
        f"opened = open_store({str(path)!r})\n"
        "early = first_numbers.start(opened)\n"
        "from tui.app import VisitPrepApp\n"
        "assert early.result(timeout=30).finding_count == 1\n"
    )
    assert "tui.app" in modules and "store.database" in modules
    assert [name for name in NOT_AT_START if _loaded(modules, name)] == []
    # Nor SQLAlchemy: the first numbers are read with sqlite3; the rest loads behind them.
    assert [name for name in ("sqlalchemy", "sqlmodel", "pydantic") if _loaded(modules, name)] == []


def test_a_remembered_theme_and_export_choices_are_read_without_pydantic(tmp_path: Path) -> None:
    # After a lead picks a theme and exports once, every start reads a settings file: the
    # file as the app writes it is confirmed without importing pydantic (about 70 ms of CPU
    # before the first screen). A file that is wrong somewhere still goes to the model,
    # which says what is wrong (tests/test_tui_config.py).
    path = tmp_path / "visitprep.db"
    open_store(path).close()
    written = {
        "theme": "nord",
        "export": {"folder": str(tmp_path), "format": "docx", "open": False},
        "keymap": {"app.search": "ctrl+f"},
        "name": "Sam Patel",
    }
    config = tmp_path / "config.json"
    config.write_text(json.dumps(written, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    start = (
        "from store import open_store\n"
        "from tui import first_numbers\n"
        f"opened = open_store({str(path)!r})\n"
        "early = first_numbers.start(opened)\n"
        "from pathlib import Path\n"
        "from tui.app import VisitPrepApp\n"
        f"app = VisitPrepApp(opened, first_numbers=early, config_path=Path({str(config)!r}))\n"
        "early.result(timeout=30)\n"
    )
    modules = _modules_after(start + f"assert app.settings == {written!r}, app.settings\n")
    assert "tui.settings_file" in modules  # the file was checked...
    assert not _loaded(modules, "pydantic")  # ...without the model

    config.write_text(json.dumps({**written, "keymap": {"app.search": 5}}), encoding="utf-8")
    modules = _modules_after(start + "assert list(app.settings) == ['theme', 'export', 'name']\n")
    assert _loaded(modules, "pydantic")  # the model says what is wrong with this one


def test_an_up_to_date_store_is_recognised_without_alembic(tmp_path: Path) -> None:
    path = tmp_path / "visitprep.db"
    open_store(path).close()
    # The revision read from the scripts' text is the one Alembic calls the head.
    assert _scripts_head() == migrations.head_revision()
    assert _is_current_sqlite(path)
    opened = open_store(path)
    assert api.list_themes(opened)[0].name == "Front door and MASH"
    opened.close()
    assert list(tmp_path.glob("*.backup-*")) == []  # nothing to upgrade, so no backup
    assert sqlite3.connect(path).execute("SELECT version_num FROM alembic_version").fetchall() == [
        (migrations.head_revision(),)
    ]


def test_a_store_from_the_previous_release_is_upgraded_to_the_dashboard_indexes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "visitprep.db"
    engine = create_engine(resolve_url(path))
    migrations.upgrade(engine, "0002")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO action (ref, title, description, owner, brag, success_measure, due_date) "
            "VALUES ('1.1', 'Audit return home interviews', '', 'Head of Service', 'red', '', "
            "'2017-12-01')"
        )
    engine.dispose()
    assert not _is_current_sqlite(path)  # an older revision is never taken as current

    opened = open_store(path, today=date(2018, 1, 20))

    assert [a.title for a in api.list_actions(opened, overdue=True)] == [
        "Audit return home interviews"
    ]
    with sqlite3.connect(path) as connection:
        indexes = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert {"ix_action_brag_due_date", "ix_evidence_missing_since"} <= indexes
    assert len(list(tmp_path.glob("visitprep.db.backup-0002-*"))) == 1
    assert _is_current_sqlite(path)


def test_the_missing_file_count_matches_each_items_own_check(
    tmp_path: Path, store: api.Store
) -> None:
    here = tmp_path / "audit.docx"
    here.write_text("audit")
    locations = {
        "On disk": str(here),
        "Gone from disk": str(tmp_path / "gone.docx"),
        "SharePoint link": "https://council.sharepoint.example/audit.docx",
        "Web address": "WWW.council.example/audit",
        "Mail": "MAILTO:qa@council.example",
        "No location": "   ",
        "Gone, home-relative": "~/no-such-folder-visitprep/plan.xlsx",
    }
    for title, location in locations.items():
        api.create_evidence(store, title=title, location=location)
    scanned = api.create_evidence(store, title="Link a scan saw go", location="https://x.example")
    api.update_evidence(store, scanned.id, missing_since="2018-01-10")

    expected = {e.title for e in api.list_evidence(store) if api.is_missing(e)}
    assert expected == {"Gone from disk", "Gone, home-relative", "Link a scan saw go"}
    assert count_missing_evidence(store) == 3
    # Without the look on disk, only what the scan marked.
    assert count_missing_evidence(store, check_files=False) == 1
    assert gap_counts(store, check_files=False)["missing"] == 1
    assert api.dashboard(store, with_pack=False).gap_counts["missing"] == 3


def test_the_dashboard_counts_are_the_gaps_the_gap_list_shows(demo_store: api.Store) -> None:
    listed = Counter(gap.kind for gap in find_gaps(demo_store))
    counted = gap_counts(demo_store)
    assert counted == {kind: listed.get(kind, 0) for kind in counted}
    numbers = api.dashboard(demo_store, with_pack=False)
    assert numbers.gap_counts == counted
    assert numbers.overdue == counted["overdue"] > 0
    assert sum(numbers.brag_counts.values()) == numbers.action_count
    # Counted in one statement, the same numbers as each list's own count.
    assert numbers.brag_counts == api.brag_counts(demo_store)
    assert numbers.due_soon == api.count_actions(demo_store, due_within=14) > 0
    assert (numbers.finding_count, numbers.action_count, numbers.evidence_count) == (
        api.count_findings(demo_store),
        api.count_actions(demo_store),
        api.count_evidence(demo_store),
    )


def test_the_search_index_waits_for_a_pause_in_the_typing(
    demo_store: api.Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Loading the index takes a second or more of CPU on a big store: a lead who opens a
    # list straight away must not wait behind it, but the first search should find it ready.
    # The app's sense of "how long since the last key" runs on a clock the test moves, so
    # the answer never depends on how busy the machine is.
    import types

    import tui.backstage as app_module  # its clock

    clock = [100.0]
    fake_time = types.SimpleNamespace(monotonic=lambda: clock[0], perf_counter=time.perf_counter)
    monkeypatch.setattr(app_module, "time", fake_time)
    app = VisitPrepApp(demo_store, config_path=tmp_path / "config.json")
    timers: list[tuple[float, object]] = []
    warmed: list[float] = []
    monkeypatch.setattr(app, "set_timer", lambda delay, callback: timers.append((delay, callback)))
    monkeypatch.setattr(app, "_warm_search", lambda: warmed.append(clock[0]))

    app._last_input = 100.0  # a key, just now
    clock[0] = 100.4
    app._warm_when_quiet()  # the first screen is ready, 0.4 s after the key: too soon
    assert warmed == [] and [round(delay, 2) for delay, _ in timers] == [0.6]

    clock[0] = app._last_input = 100.8  # another key before the timer fires
    clock[0] = 101.0
    timers.pop()[1]()  # type: ignore[operator]  # the timer fires: only 0.2 s quiet
    assert warmed == [] and [round(delay, 2) for delay, _ in timers] == [0.8]

    clock[0] = 100.8 + WARM_WHEN_QUIET
    timers.pop()[1]()  # type: ignore[operator]  # a whole quiet second: now it loads
    assert warmed == [100.8 + WARM_WHEN_QUIET]
    app._warm_when_quiet()  # and only once
    assert len(warmed) == 1 and timers == []


def test_the_search_index_also_waits_for_other_work_to_finish(
    demo_store: api.Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A big pack counted behind the dashboard, a list loading: each thread more shares the
    # interpreter with the UI thread. The index loads after them, or after 3 s anyway.
    import types

    import tui.backstage as app_module  # its clock

    clock = [100.0]
    fake_time = types.SimpleNamespace(monotonic=lambda: clock[0], perf_counter=time.perf_counter)
    monkeypatch.setattr(app_module, "time", fake_time)
    app = VisitPrepApp(demo_store, config_path=tmp_path / "config.json")
    timers: list[tuple[float, object]] = []
    warmed: list[float] = []
    monkeypatch.setattr(app, "set_timer", lambda delay, callback: timers.append((delay, callback)))
    monkeypatch.setattr(app, "_warm_search", lambda: warmed.append(clock[0]))
    pack = types.SimpleNamespace(is_finished=False)
    monkeypatch.setattr(app, "_workers", [pack])

    app._last_input = 100.0
    clock[0] = 101.5  # quiet, but the pack is still being counted
    app._warm_when_quiet()
    assert warmed == [] and [round(delay, 2) for delay, _ in timers] == [0.2]
    pack.is_finished = True
    clock[0] = 101.7
    timers.pop()[1]()  # type: ignore[operator]
    assert warmed == [101.7]

    # A worker that never ends (a file picker watching its folder) holds it back 3 s at most.
    late = VisitPrepApp(demo_store, config_path=tmp_path / "config.json")
    monkeypatch.setattr(late, "set_timer", lambda delay, callback: timers.append((delay, callback)))
    monkeypatch.setattr(late, "_warm_search", lambda: warmed.append(clock[0]))
    monkeypatch.setattr(late, "_workers", [types.SimpleNamespace(is_finished=False)])
    late._last_input = clock[0] = 200.0
    clock[0] = 201.0
    late._warm_when_quiet()
    for _ in range(20):
        if not timers:
            break
        clock[0] += timers.pop()[0]  # type: ignore[operator]
        late._check_quiet()
    assert warmed[-1] == pytest.approx(201.0 + 15 * 0.2)


@pilot_test
async def test_the_dashboard_shows_its_numbers_before_looking_for_evidence_files_on_disk(
    store: api.Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Thousands of evidence paths on a network drive take seconds to look for: the other
    # numbers come first, the missing-file count shows "…" until the look is done.
    import threading

    import store.gaps as gaps_module

    api.create_evidence(store, title="Audit", location=str(tmp_path / "gone.docx"))
    looked = threading.Event()
    real = gaps_module.count_missing_evidence

    def slow_disk(opened: api.Store, *, check_files: bool = True) -> int:
        if check_files:
            looked.wait(5)
        return real(opened, check_files=check_files)

    monkeypatch.setattr(gaps_module, "count_missing_evidence", slow_disk)
    app = VisitPrepApp(store, config_path=tmp_path / "config.json")
    async with app.run_test(size=(120, 36)) as pilot:
        while "dashboard" not in app.ready_times:
            await pilot.pause(0.01)
        missing = app.screen.query_one("#tile-gap-missing", Tile)
        assert app.screen.query_one("#tile-total-evidence", Tile).count == 1
        assert missing.count is None and "…" in missing.render().plain
        looked.set()
        await settle(pilot)
        assert missing.count == 1 and missing.render().plain.split()[-1] != "…"
