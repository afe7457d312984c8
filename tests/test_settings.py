"""A council chooses how old evidence may be; every count of out-of-date evidence follows.

Evidence with a review-by date is out of date once that date passes; evidence with none
once it is older than the chosen age (six months unless the council says otherwise). The
choice is kept in the store, so the app, the command line and everyone sharing the store
count the same gaps.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from _cli import run as run_cli

import store as api
from store import migrations
from store.export import export_checklist
from store.opening import open_store
from store.overview import read_sqlite
from store.settings import parse_age
from store.vocab import DEFAULT_STALE_DAYS

TODAY = date(2018, 1, 20)
VISIT = date(2018, 2, 6)


def _evidence_aged(store: api.Store, days_before_visit: int, title: str) -> api.Evidence:
    return api.create_evidence(
        store, title=title, kind="audit", as_of=VISIT - timedelta(days=days_before_visit)
    )


@pytest.fixture
def ages(store: api.Store) -> dict[str, object]:
    """Evidence 100 and 200 days old at the visit (one linked to an action in its pack)."""
    finding = api.create_finding(
        store, title="Care plans are weak", ref="R1", theme="Children in care"
    )
    action = api.create_action(store, title="Audit care plans", ref="1.1", finding_ids=[finding.id])
    young = _evidence_aged(store, 100, "Care plan audit, autumn")
    old = _evidence_aged(store, 200, "Care plan audit, spring")
    for item in (young, old):
        api.link(store, "action", action.id, "evidence", item.id)
    visit = api.create_visit(
        store, title="Monitoring visit 4", start_date=VISIT, focus_themes=["Children in care"]
    )
    return {"young": young, "old": old, "visit": visit}


def _stale_titles(store: api.Store, visit_id: int) -> dict[str, list[str]]:
    """Out-of-date evidence as each part of visitprep counts it."""
    pack = api.build_pack(store, visit_id)
    assert store.path is not None
    return {
        "list": sorted(e.title for e in api.list_evidence(store, stale=True)),
        "records": sorted(e.title for e in api.list_evidence(store) if e.out_of_date),
        "gaps": sorted(g.title for g in api.find_gaps(store) if g.kind == "stale"),
        "pack": sorted(g.title for g in pack.gaps if g.kind == "stale"),
        "count": [str(api.gap_counts(store, check_files=False)["stale"])],
        "dashboard": [str(api.dashboard(store, with_pack=False).gap_counts["stale"])],
        "sqlite read": [
            str(
                read_sqlite(store.path, store.today, stale_days=api.stale_days(store)).gap_counts[
                    "stale"
                ]
            )
        ],
    }


def test_six_months_unless_the_council_chooses_otherwise(store: api.Store, ages: dict) -> None:
    assert api.stale_days(store) == DEFAULT_STALE_DAYS == 183
    # Today (20 Jan) the spring audit is 183 days old: not yet; at the visit it is 200.
    seen = _stale_titles(store, ages["visit"].id)
    assert seen["pack"] == ["Care plan audit, spring"]
    assert seen["list"] == seen["records"] == seen["gaps"] == []


def test_a_shorter_age_makes_more_evidence_out_of_date_everywhere_at_once(
    store: api.Store, ages: dict
) -> None:
    assert api.set_stale_days(store, "12 weeks") == 84
    seen = _stale_titles(store, ages["visit"].id)
    both = ["Care plan audit, autumn", "Care plan audit, spring"]
    assert seen["pack"] == both  # 100 and 200 days old at the visit, both over 84
    assert seen["list"] == seen["records"] == seen["gaps"] == ["Care plan audit, spring"]
    assert seen["count"] == seen["dashboard"] == seen["sqlite read"] == ["1"]
    checklist = export_checklist(store, ages["visit"].id)
    assert "more than 84 days old by the visit" in checklist
    assert "183" not in checklist


def test_the_choice_is_kept_in_the_store_for_the_next_one_to_open_it(
    store: api.Store, ages: dict
) -> None:
    api.set_stale_days(store, 90)
    assert store.path is not None
    reopened = open_store(store.path, today=TODAY)
    try:
        assert api.stale_days(reopened) == 90
        assert [e.title for e in api.list_evidence(reopened, stale=True)] == [
            "Care plan audit, spring"
        ]
    finally:
        reopened.close()


def test_a_choice_made_by_another_program_counts_in_an_open_store(
    store: api.Store, ages: dict
) -> None:
    """The app stays open while `visitprep settings` changes the age: its next read counts
    by the new age (a lead pressing r, a screen reloading), not by the one it read first."""
    assert store.path is not None
    assert api.list_evidence(store, stale=True) == []  # read at 183 days
    other = open_store(store.path, today=TODAY)  # another program, the same file
    try:
        api.set_stale_days(other, 90)
    finally:
        other.close()
    assert api.stale_days(store) == 90
    assert [e.title for e in api.list_evidence(store) if e.out_of_date] == [
        "Care plan audit, spring"
    ]


@pytest.mark.parametrize(
    ("typed", "days"),
    [("183", 183), (" 90 days ", 90), ("12 weeks", 84), ("6 months", 183), ("3 months", 92),
     ("1 year", 365), ("1 d", 1), (30, 30)],
)  # fmt: skip
def test_an_age_is_typed_as_a_lead_says_it(typed: str | int, days: int) -> None:
    assert parse_age(typed) == days


@pytest.mark.parametrize("typed", ["", "soon", "-5", "0", "6 fortnights", "99999", "11 years"])
def test_an_age_that_is_not_one_is_refused_and_nothing_changes(
    store: api.Store, typed: str
) -> None:
    api.set_stale_days(store, 120)
    with pytest.raises(api.ValidationError) as refused:
        api.set_stale_days(store, typed)
    assert refused.value.field == "stale_days"
    assert api.stale_days(store) == 120
    assert store.path is not None
    assert api.stale_days(open_store(store.path)) == 120


def test_a_store_from_before_settings_is_upgraded_and_keeps_six_months(tmp_path: Path) -> None:
    from sqlalchemy import create_engine

    path = tmp_path / "visitprep.db"
    engine = create_engine(f"sqlite:///{path}")
    migrations.upgrade(engine, "0006")
    engine.dispose()
    opened = open_store(path, today=TODAY)
    assert api.stale_days(opened) == 183
    assert api.set_stale_days(opened, "6 weeks") == 42
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT key, value FROM setting").fetchall() == [
            ("stale_days", "42")
        ]
    assert len(list(tmp_path.glob("visitprep.db.backup-0006-*"))) == 1


def test_a_written_setting_tells_the_listeners_so_screens_count_again(
    store: api.Store,
) -> None:
    heard: list[list[api.Change]] = []
    store.add_listener(lambda changes: heard.append([*changes]))
    seen_at_the_time: list[int] = []
    store.add_listener(lambda _changes: seen_at_the_time.append(api.stale_days(store)))
    api.set_stale_days(store, 60)
    assert heard == [[api.Change("setting", 0, "upsert")]]
    assert seen_at_the_time == [60]  # a screen counting again sees the new age


BIN = Path(sys.executable).parent / "visitprep"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VISITPREP_TODAY": TODAY.isoformat()}
    return run_cli(  # in a process of its own, forked after the imports (tests/_cli.py)
        [str(BIN), *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


def test_visitprep_settings_shows_and_changes_the_age(store: api.Store, ages: dict) -> None:
    db = str(store.path)
    shown = _cli("--db", db, "settings")
    assert shown.returncode == 0, shown.stderr
    assert "older than 183 days (about 6 months), the default, at the visit" in shown.stdout
    changed = _cli("--db", db, "settings", "--stale-after", "3 months")
    assert changed.returncode == 0, changed.stderr
    assert "now goes out of date once older than 92 days (about 3 months)" in changed.stdout
    gaps = _cli("--db", db, "gaps", "--json")
    assert '"title": "Care plan audit, spring"' in gaps.stdout
    refused = _cli("--db", db, "settings", "--stale-after", "soon")
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.startswith("visitprep: 'soon' is not an age.")
    assert "Traceback" not in refused.stderr
    assert _cli("--db", db, "settings", "--json").stdout.strip() == '{\n  "stale_days": 92\n}'
