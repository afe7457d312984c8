"""Opening the app: the store is opened and its first numbers read in a thread while
Textual loads (tui.first_numbers.open_in_background, what ``visitprep`` does). On
PostgreSQL that keeps psycopg's import and the schema check off the way to the first
screen. What the user sees is the same as opening it directly: the same numbers, a demo
judged as at its own date, and a store that cannot be opened said in one line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import store as api
from store import Store
from store.demo import DEMO_TODAY
from tui import first_numbers
from tui.cli import main


def test_the_store_opened_in_the_background_shows_the_same_first_numbers(
    demo_store: Store,
) -> None:
    target = demo_store.path or demo_store.url
    opening = first_numbers.open_in_background(target, today=DEMO_TODAY)
    opened = opening.store.result(timeout=60)
    try:
        assert opened.today == DEMO_TODAY
        numbers = opening.numbers.result(timeout=60)
        assert numbers == first_numbers.read(demo_store)
        assert numbers.action_count == len(api.list_actions(demo_store)) > 0
    finally:
        opened.close()


def test_a_demo_opened_in_the_background_is_judged_as_at_its_own_date(
    demo_store: Store,
) -> None:
    opening = first_numbers.open_in_background(demo_store.path or demo_store.url)
    opened = opening.store.result(timeout=60)
    try:
        assert opened.today_is_demo and opened.today == DEMO_TODAY
        assert opening.numbers.result(timeout=60).today == DEMO_TODAY
    finally:
        opened.close()


def test_a_file_that_is_not_a_store_is_refused_where_the_store_is_asked_for(
    tmp_path: Path,
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Not a database.\n")
    opening = first_numbers.open_in_background(notes)
    with pytest.raises(api.NotAStore, match="not a visitprep store"):
        opening.store.result(timeout=60)
    with pytest.raises(api.NotAStore):
        opening.numbers.result(timeout=60)
    assert notes.read_text() == "Not a database.\n"  # untouched


def test_opening_the_app_on_a_file_that_is_not_a_store_says_so_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Not a database.\n")
    assert main(["--db", str(notes)]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not a visitprep store" in err, err
    assert "Traceback" not in err
