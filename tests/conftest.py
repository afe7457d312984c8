"""Shared fixtures: stores with a fixed "today", so every date-dependent answer is repeatable."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from store import Store, open_store

TODAY = date(2018, 1, 20)
REPORTS = Path(__file__).resolve().parents[2] / "shared" / "ofsted-reports"


@pytest.fixture(autouse=True)
def _isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads or writes the real user's store or config, or depends on the clock."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("VISITPREP_DB", raising=False)
    monkeypatch.delenv("VISITPREP_TODAY", raising=False)
    # The command line sizes its tables to COLUMNS when it is set; a terminal's (or a test
    # runner's) own must not decide what a test of piped output sees.
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """An empty store (themes seeded) whose today is 20 Jan 2018."""
    opened = open_store(tmp_path / "visitprep.db", today=TODAY)
    yield opened
    opened.close()


@pytest.fixture
def demo_store(tmp_path: Path) -> Iterator[Store]:
    """A fresh demo store, with today fixed at the demo's own date."""
    from store.demo import DEMO_TODAY, build_demo

    opened = open_store(tmp_path / "demo.db", today=DEMO_TODAY)
    build_demo(opened)
    yield opened
    opened.close()
