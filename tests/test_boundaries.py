"""The day a rule turns: "due today is not overdue", and evidence exactly the chosen age.

Each rule is asked of every front end a lead meets it in, at fixed dates on either side of
the boundary, with the answer written out (never one copy of the rule compared with
another): the store's records and lists, ``visitprep gaps``, the search's ``overdue``
filter and flag, and both reads of the dashboard's numbers; and the rule's SQL forms are
pinned to its Python one (``store.overdue``) on the same days.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Column, Date, Integer, MetaData, String, Table, create_engine, select

import store as api
from store.overdue import OVERDUE_SQL, is_overdue, overdue_clause
from store.overview import read_sqlite, read_with_sqlalchemy
from store.search import search
from store.vocab import BRAG

TODAY = date(2018, 1, 20)
CHOSEN_AGE = 90  # the council's chosen evidence age (not the default), in days
BIN = Path(sys.executable).parent / "visitprep"

# Title -> (due date, BRAG). Only the first is overdue: due today is not, Blue never is.
ACTIONS = {
    "Due yesterday, red": (TODAY - timedelta(days=1), "red"),
    "Due yesterday, blue": (TODAY - timedelta(days=1), "blue"),
    "Due today, red": (TODAY, "red"),
    "Due today, blue": (TODAY, "blue"),
    "Due tomorrow, amber": (TODAY + timedelta(days=1), "amber"),
    "Due tomorrow, blue": (TODAY + timedelta(days=1), "blue"),
    "No due date, red": (None, "red"),
}
# Title -> (as of, review by). Only the first two are out of date.
EVIDENCE = {
    "A day over the chosen age": (TODAY - timedelta(days=CHOSEN_AGE + 1), None),
    "Review was due yesterday": (TODAY, TODAY - timedelta(days=1)),
    "Exactly the chosen age": (TODAY - timedelta(days=CHOSEN_AGE), None),
    "A day under the chosen age": (TODAY - timedelta(days=CHOSEN_AGE - 1), None),
    "Review due today": (TODAY - timedelta(days=400), TODAY),
    "Undated": (None, None),
}


@pytest.fixture
def edge(tmp_path: Path) -> Iterator[api.Store]:
    opened = api.open_store(tmp_path / "edge.db", today=TODAY)
    api.set_stale_days(opened, str(CHOSEN_AGE))
    with opened.batch():
        for title, (due, brag) in ACTIONS.items():
            action = api.create_action(opened, title=f"{title} audit", due_date=due, brag=brag)
            # Evidence behind every action, so that "overdue" is the only action gap.
            api.create_evidence(opened, title=f"Tracker for {title}", action_ids=[action.id])
        for title, (as_of, review_by) in EVIDENCE.items():
            api.create_evidence(opened, title=title, as_of=as_of, review_by=review_by)
    yield opened
    opened.close()


def _titles(records: object) -> list[str]:
    return sorted(r.title for r in records)  # type: ignore[attr-defined]


# --- due today is not overdue -----------------------------------------------------------


def test_an_action_due_today_is_not_overdue_in_the_store_only_one_due_yesterday_and_not_blue(
    edge: api.Store,
) -> None:
    flags = {a.title: a.overdue for a in api.list_actions(edge)}
    assert flags == {
        "Due yesterday, red audit": True,
        "Due yesterday, blue audit": False,
        "Due today, red audit": False,
        "Due today, blue audit": False,
        "Due tomorrow, amber audit": False,
        "Due tomorrow, blue audit": False,
        "No due date, red audit": False,
    }
    assert _titles(api.list_actions(edge, overdue=True)) == ["Due yesterday, red audit"]
    assert api.count_actions(edge, overdue=True) == 1
    # Due soon starts today: an action due today is due soon, not overdue (Blue is neither).
    assert _titles(api.list_actions(edge, due_within=14)) == [
        "Due today, red audit",
        "Due tomorrow, amber audit",
    ]
    overdue_gaps = [g.title for g in api.find_gaps(edge) if g.kind == "overdue"]
    assert overdue_gaps == ["Due yesterday, red audit"]
    assert api.gap_counts(edge)["overdue"] == 1


def test_the_same_action_is_overdue_the_day_after_it_was_due_and_not_on_the_day(
    edge: api.Store,
) -> None:
    tomorrow = api.open_store(edge.path, today=TODAY + timedelta(days=1))
    try:
        assert _titles(api.list_actions(tomorrow, overdue=True)) == [
            "Due today, red audit",
            "Due yesterday, red audit",
        ]
    finally:
        tomorrow.close()


def test_visitprep_gaps_lists_only_the_action_due_yesterday_and_not_blue_as_overdue(
    edge: api.Store,
) -> None:
    result = subprocess.run(
        [str(BIN), "--db", str(edge.path), "gaps", "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, "VISITPREP_TODAY": TODAY.isoformat()},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    gaps = json.loads(result.stdout)
    assert [g["title"] for g in gaps if g["kind"] == "overdue"] == ["Due yesterday, red audit"]
    assert sorted(g["title"] for g in gaps if g["kind"] == "stale") == [
        "A day over the chosen age",
        "Review was due yesterday",
    ]


def test_the_search_overdue_filter_finds_only_the_action_due_yesterday_and_not_blue(
    edge: api.Store,
) -> None:
    hits = search(edge, "audit overdue", limit=50)
    assert [h.title for h in hits] == ["Due yesterday, red audit"]
    flags = {h.title: h.overdue for h in search(edge, "audit kind:action", limit=50)}
    assert flags == {title: title == "Due yesterday, red audit" for title in flags}
    assert len(flags) == len(ACTIONS)


def test_the_dashboard_counts_one_overdue_and_two_due_soon_by_both_of_its_reads(
    edge: api.Store,
) -> None:
    quick = read_sqlite(edge.path, TODAY, 14, most_overdue=10, stale_days=CHOSEN_AGE)
    for numbers in (quick, read_with_sqlalchemy(edge, 14, most_overdue=10)):
        assert numbers.overdue == 1
        assert numbers.gap_counts["overdue"] == 1
        assert numbers.due_soon == 2  # due today (red) and tomorrow (amber)
        assert [a.title for a in numbers.most_overdue] == ["Due yesterday, red audit"]
        assert numbers.gap_counts["stale"] == 2


def test_the_overdue_rule_reads_the_same_in_python_sqlalchemy_and_raw_sql_on_every_day_and_brag() -> (
    None
):
    days = [None, TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=1)]
    rows = [(n, due, brag) for n, (due, brag) in enumerate((d, b) for d in days for b in BRAG)]
    expected = {n for n, due, brag in rows if due is not None and due < TODAY and brag != "blue"}
    assert {n for n, due, brag in rows if is_overdue(due, brag, TODAY)} == expected
    assert len(expected) == 3  # due yesterday: green, amber, red

    table = Table(
        "action",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("due_date", Date),
        Column("brag", String),
    )
    engine = create_engine("sqlite://")
    table.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(
            table.insert(), [{"id": n, "due_date": due, "brag": brag} for n, due, brag in rows]
        )
        clause = overdue_clause(table.c.due_date, table.c.brag, TODAY)
        assert set(connection.scalars(select(table.c.id).where(clause))) == expected
    engine.dispose()

    raw = sqlite3.connect(":memory:")
    raw.execute("CREATE TABLE action (id INTEGER, due_date TEXT, brag TEXT)")
    raw.executemany(
        "INSERT INTO action VALUES (?, ?, ?)",
        [(n, due and due.isoformat(), brag) for n, due, brag in rows],
    )
    sql = f"SELECT id FROM action WHERE {OVERDUE_SQL}"
    assert {n for (n,) in raw.execute(sql, {"today": TODAY.isoformat()})} == expected
    raw.close()


# --- evidence exactly the chosen age is not out of date ---------------------------------


def test_evidence_exactly_the_chosen_age_or_due_review_today_is_not_out_of_date(
    edge: api.Store,
) -> None:
    flags = {e.title: e.out_of_date for e in api.list_evidence(edge) if e.title in EVIDENCE}
    assert flags == {
        "A day over the chosen age": True,
        "Review was due yesterday": True,
        "Exactly the chosen age": False,
        "A day under the chosen age": False,
        "Review due today": False,
        "Undated": False,
    }
    assert _titles(api.list_evidence(edge, stale=True)) == [
        "A day over the chosen age",
        "Review was due yesterday",
    ]
    assert sorted(g.title for g in api.find_gaps(edge) if g.kind == "stale") == [
        "A day over the chosen age",
        "Review was due yesterday",
    ]
    assert api.dashboard(edge, with_pack=False, check_files=False).gap_counts["stale"] == 2
