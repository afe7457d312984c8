"""Shared fixtures: stores with a fixed "today", so every date-dependent answer is repeatable."""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from store import Store, open_store

TODAY = date(2018, 1, 20)
REPORTS = Path(__file__).resolve().parents[2] / "shared" / "ofsted-reports"
EXPECTED_REPORTS = Path(__file__).resolve().parent / "data" / "reports_expected.json"
ON_CI = os.environ.get("CI", "").lower() == "true"
# How the tests that need the shared reports (or a store module) say why they skip.
_SHORT_RUN = re.compile(r"not here|could not import 'store|has not landed", re.IGNORECASE)


def pytest_sessionstart(session: pytest.Session) -> None:
    """CI never runs short: under CI=true every shared Ofsted report the tests read is there.

    A developer without ../shared gets skips that say so; CI stops at once instead."""
    if not ON_CI:
        return
    wanted = json.loads(EXPECTED_REPORTS.read_text(encoding="utf-8"))
    missing = [name for name in wanted if not (REPORTS / name).is_file()]
    if missing:
        pytest.exit(
            f"CI=true, but {len(missing)} of the {len(wanted)} shared Ofsted reports are not in"
            f" {REPORTS} (first: {missing[0]}); the tests that read them would only skip.",
            returncode=1,
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport:
    """Under CI=true a skip for missing shared data (or a store module) is a failure."""
    report: pytest.TestReport = yield
    if ON_CI and report.skipped and isinstance(report.longrepr, tuple):
        reason = report.longrepr[2]
        if _SHORT_RUN.search(reason):
            report.outcome = "failed"
            report.longrepr = f"CI must not run short, but this test skipped: {reason}"
    return report


@pytest.fixture(autouse=True)
def _isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads or writes the real user's store or config, or depends on the clock."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    # An export's first folder is the documents folder when there is one: none here, so
    # the folder the test runs in (a test wanting one makes it).
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(home / "Documents"))
    monkeypatch.delenv("VISITPREP_DB", raising=False)
    monkeypatch.delenv("VISITPREP_TODAY", raising=False)
    monkeypatch.delenv("VISITPREP_USER", raising=False)  # the history's "who"
    # The command line sizes its tables to COLUMNS when it is set; a terminal's (or a test
    # runner's) own must not decide what a test of piped output sees.
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)


# The store, command-line and search tests run on both backends: SQLite and PostgreSQL
# (tests/_postgres.py says how to point them at a server). Every other test uses SQLite.
BOTH_BACKENDS = {
    "test_history",
    "test_store_records",
    "test_store_visits",
    "test_search_backends",
    "test_cli_team",
    "test_report_structure",
    "test_store_measures",
    "test_import_scorecard",
    "test_overview",
    "test_tui_team_backends",
    "test_store_notify",
    "test_import_plan_newer_edits",
    "test_import_scorecard_newer_edits",
    "test_import_scorecard_links",
    "test_undated_notes",
    "test_import_plan_notes",
    "test_import_plan_brag",
    "test_open_in_background",
}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    module = metafunc.module.__name__.rsplit(".", 1)[-1]
    if "backend" in metafunc.fixturenames and module in BOTH_BACKENDS:
        metafunc.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """ "sqlite", or "postgresql" for the modules in BOTH_BACKENDS."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[object]:
    """The PostgreSQL server (skipped with one line when there is none; failed on CI)."""
    import _postgres

    server, why = _postgres.connect()
    if server is None:
        if ON_CI:
            pytest.fail(f"CI=true, but {why}", pytrace=False)
        pytest.skip(why)
    yield server
    server.close()


@pytest.fixture
def db_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """Where this test's store goes: a file, or a PostgreSQL database of its own."""
    if backend == "sqlite":
        yield str(tmp_path / "visitprep.db")
        return
    server = request.getfixturevalue("postgres_server")
    empty = server.template("empty", lambda url: open_store(url).close())
    with server.database(empty) as url:
        yield url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """An empty store (themes seeded) whose today is 20 Jan 2018."""
    opened = open_store(db_url, today=TODAY)
    yield opened
    opened.close()


@pytest.fixture
def demo_store(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Store]:
    """A fresh demo store, with today fixed at the demo's own date."""
    from store.demo import DEMO_TODAY, build_demo

    if backend == "postgresql":
        server = request.getfixturevalue("postgres_server")

        def fill(url: str) -> None:
            made = open_store(url, today=DEMO_TODAY)
            build_demo(made)
            made.close()

        with server.database(server.template("demo", fill)) as url:
            opened = open_store(url, today=DEMO_TODAY)
            yield opened
            opened.close()
        return
    opened = open_store(demo_copy(tmp_path / "demo.db"), today=DEMO_TODAY)
    yield opened
    opened.close()


_BUILT: dict[str, Path] = {}


def demo_copy(to: Path) -> Path:
    """A copy of the demo store at ``to``: built once per test process (about 4 s), then
    copied for each test that asks (a few milliseconds), as the snapshot tests do."""
    from store.demo import DEMO_TODAY, build_demo

    built = _BUILT.get("demo")
    if built is None:
        built = Path(tempfile.mkdtemp(prefix="visitprep-demo-")) / "demo.db"
        made = open_store(built, today=DEMO_TODAY)
        try:
            build_demo(made)
        finally:
            made.close()
        atexit.register(shutil.rmtree, built.parent, ignore_errors=True)
        _BUILT["demo"] = built
    shutil.copyfile(built, to)
    return to
