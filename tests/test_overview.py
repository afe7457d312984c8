"""The dashboard's numbers, read two ways, always agree.

On a SQLite store the first screen is counted with the standard library's ``sqlite3``
(no SQLAlchemy on the way to the first screen); every list behind those numbers is built
with SQLAlchemy. A lead who sees "7 overdue" and presses enter must find 7 actions in the
list: these tests hold the hand-written SQL to the lists' own answers, on the demo store
and on a store built to sit on every edge (due today, due in exactly 14 days, evidence
exactly 183 days old, review due today, Blue but late, a visit starting today...).
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

import store as api
from store.overview import read_first, read_postgres, read_sqlite, read_with_sqlalchemy
from store.refs import ref_key
from store.vocab import (
    BRAG,
    DEFAULT_STALE_DAYS,
    FINDING_KINDS,
    FINDING_STATUSES,
    NEEDS_ACTION_KINDS,
    NEEDS_ACTION_STATUSES,
)

EDGE_TODAY = date(2018, 6, 15)
# Offsets from "today" that sit on and either side of every boundary the counts use.
EDGES = (-400, -DEFAULT_STALE_DAYS - 1, -DEFAULT_STALE_DAYS, -DEFAULT_STALE_DAYS + 1, -30, -1,
         0, 1, 13, 14, 15, 60)  # fmt: skip


@pytest.fixture
def edge_store(tmp_path: Path) -> Iterator[api.Store]:
    """Findings, actions and evidence on every boundary, linked at random (a fixed seed)."""
    chance = random.Random(20180615)
    opened = api.open_store(tmp_path / "edges.db", today=EDGE_TODAY)
    day = lambda offset: EDGE_TODAY + timedelta(days=offset)  # noqa: E731
    themes = [t.name for t in api.list_themes(opened)]
    with opened.batch():
        source = api.create_source(opened, kind="inspection", title="Edge council ILACS")
        findings = [
            api.create_finding(
                opened,
                title=f"Finding {n}",
                ref=f"R{n}",
                source_id=source.id,
                kind=FINDING_KINDS[n % len(FINDING_KINDS)],
                status=FINDING_STATUSES[(n // len(FINDING_KINDS)) % len(FINDING_STATUSES)],
                theme=chance.choice([*themes, None]),
            )
            for n in range(60)
        ]
        actions = []
        for n in range(90):
            due = chance.choice([*EDGES, None])
            actions.append(
                api.create_action(
                    opened,
                    title=f"Action {n}",
                    ref=f"{n % 12 + 1}.{n // 12 + 1}",  # 2.1 ... 10.1, 11.1: text order lies
                    brag=BRAG[n % len(BRAG)],
                    due_date=None if due is None else day(due),
                    owner=chance.choice(["Head of Service", "QA lead", ""]),
                    theme=chance.choice([*themes, None]),
                    finding_ids=[f.id for f in chance.sample(findings, chance.randint(0, 2))],
                )
            )
        for n in range(70):
            as_of, review = chance.choice([*EDGES, None]), chance.choice([*EDGES, None])
            api.create_evidence(
                opened,
                title=f"Evidence {n}",
                as_of=None if as_of is None else day(as_of),
                review_by=None if review is None else day(review),
                missing_since=day(-3) if n % 11 == 0 else None,
                action_ids=[a.id for a in chance.sample(actions, chance.randint(0, 2))],
            )
        # Another council's report, imported to learn from, on the same edges (a finding of
        # every kind and status, in the next visit's focus, linked to an action or not), and
        # a finding with no source (the council's own). A chance of their own, so that the
        # records above stay as they were.
        theirs = random.Random(20181214)
        haringey = api.create_source(
            opened, kind="inspection", title="Haringey ILACS 2018", local_authority="Haringey",
            ours=False,
        )  # fmt: skip
        for n in range(24):
            finding = api.create_finding(
                opened,
                title=f"Haringey finding {n}",
                ref=f"R{n}",
                source_id=haringey.id,
                kind=FINDING_KINDS[n % len(FINDING_KINDS)],
                status=FINDING_STATUSES[(n // len(FINDING_KINDS)) % len(FINDING_STATUSES)],
                theme=theirs.choice([themes[6], themes[3], None]),
            )
            if n % 3 == 0:
                api.link(opened, "finding", finding.id, "action", theirs.choice(actions).id)
        api.create_finding(opened, title="Raised at the improvement board")
        api.create_visit(opened, title="Last visit", start_date=day(-20), focus_themes=themes[:2])
        api.create_visit(opened, title="Visit starting today", start_date=day(0),
                         focus_themes=[themes[6], themes[3]])  # fmt: skip
        api.create_visit(opened, title="Visit after", start_date=day(30))
    yield opened
    opened.close()


def test_the_drivers_own_read_gives_the_numbers_sqlalchemy_gives_on_the_demo_store(
    demo_store: api.Store, backend: str
) -> None:
    # sqlite3 on SQLite, psycopg on PostgreSQL: neither goes through SQLAlchemy.
    if backend == "sqlite":
        assert demo_store.path is not None
        quick = read_sqlite(demo_store.path, demo_store.today, 14, most_overdue=5)
    else:
        quick = read_postgres(demo_store.url, demo_store.today, 14, most_overdue=5)
    assert read_first(demo_store, 14, most_overdue=5) == quick
    assert quick == read_with_sqlalchemy(demo_store, 14, most_overdue=5)
    assert quick.overdue > 0 and len(quick.most_overdue) == 5
    assert quick.next_visit is not None and quick.next_visit.focus_themes


def test_the_councils_chosen_evidence_age_counts_in_the_first_numbers(
    demo_store: api.Store,
) -> None:
    # The age is a setting in the store, read by the driver alone too (no SQLAlchemy).
    before = read_first(demo_store, 14)
    assert api.set_stale_days(demo_store, 30) == 30
    reopened = api.open_store(demo_store.path or demo_store.url, today=demo_store.today)
    try:
        after = read_first(reopened, 14)
        assert after.gap_counts["stale"] > before.gap_counts["stale"]
        assert after == read_with_sqlalchemy(reopened, 14)
    finally:
        reopened.close()


@pytest.mark.parametrize("shift", [0, -DEFAULT_STALE_DAYS, -14, 1, 14, 15, 20, 400])
def test_every_number_agrees_with_the_list_behind_it_on_every_edge(
    edge_store: api.Store, shift: int
) -> None:
    # The same store judged on other days: every boundary is crossed by some record.
    today = EDGE_TODAY + timedelta(days=shift)
    seen = api.open_store(edge_store.path, today=today)
    try:
        numbers = api.dashboard(seen, with_pack=False, check_files=False, most_overdue=50)
        assert numbers == read_with_sqlalchemy(seen, 14, most_overdue=50)
        assert numbers.brag_counts == api.brag_counts(seen)
        assert numbers.overdue == api.count_actions(seen, overdue=True)
        assert numbers.due_soon == api.count_actions(seen, due_within=14)
        assert numbers.gap_counts["no_action"] == api.count_findings(
            seen,
            without_action=True,
            status=NEEDS_ACTION_STATUSES,
            kind=NEEDS_ACTION_KINDS,
            ours=True,
        )
        assert numbers.finding_count == api.count_findings(seen, ours=True)
        assert numbers.other_finding_count == api.count_findings(seen, ours=False)
        assert numbers.gap_counts["no_evidence"] == api.count_actions(seen, without_evidence=True)
        assert numbers.gap_counts["stale"] == api.count_evidence(seen, stale=True)
        assert list(numbers.most_overdue) == api.list_actions(
            seen, overdue=True, sort="due", limit=50
        )
        assert numbers.next_visit == api.next_visit(seen)
    finally:
        seen.close()


def test_the_edges_are_really_crossed(edge_store: api.Store) -> None:
    # Without this the test above could pass on a store where nothing sits on a boundary.
    numbers = api.dashboard(edge_store, with_pack=False, check_files=False, most_overdue=50)
    assert numbers.next_visit is not None and numbers.next_visit.title == "Visit starting today"
    assert numbers.next_visit.focus_themes == ("PLO and pre-proceedings", "Care leavers")
    assert all(numbers.brag_counts[b] > 0 for b in BRAG)
    assert 0 < numbers.overdue < numbers.action_count
    assert 0 < numbers.due_soon < numbers.action_count
    assert all(0 < n < 90 for kind, n in numbers.gap_counts.items() if kind != "missing")
    assert numbers.gap_counts["missing"] == 7  # evidence 0, 11, ..., 66: a scan saw them go
    # Another council's findings: counted apart, and never a gap (though some would be).
    assert (numbers.finding_count, numbers.other_finding_count) == (61, 24)
    assert (
        api.count_findings(
            edge_store,
            without_action=True,
            status=NEEDS_ACTION_STATUSES,
            kind=NEEDS_ACTION_KINDS,
            ours=False,
        )
        > 0
    )
    assert numbers.gap_counts["no_action"] == sum(
        1 for gap in api.find_gaps(edge_store) if gap.kind == "no_action"
    )
    assert numbers.next_visit is not None
    pack = api.build_pack(edge_store, numbers.next_visit.id)
    assert all(pf.finding.ours for theme in pack.themes for pf in theme.findings)
    assert any(
        f.theme in numbers.next_visit.focus_themes
        for f in api.list_findings(edge_store, ours=False)
    )
    late = [a.due_date for a in numbers.most_overdue]
    assert late == sorted(late) and all(
        a.overdue and a.brag != "blue" for a in numbers.most_overdue
    )
    # Actions due the same day, whose refs sort differently as text and as a lead reads them.
    assert any(
        a.due_date == b.due_date and (a.ref < b.ref) != (ref_key(a.ref) < ref_key(b.ref))
        for a in numbers.most_overdue
        for b in numbers.most_overdue
    )


def test_the_dashboard_looks_for_files_and_counts_the_pack_when_asked(
    demo_store: api.Store, tmp_path: Path
) -> None:
    api.create_evidence(demo_store, title="Audit not on disk", location=str(tmp_path / "no.docx"))
    quick = api.dashboard(demo_store, with_pack=False, check_files=False)
    full = api.dashboard(demo_store)
    assert full.gap_counts["missing"] == api.gap_counts(demo_store)["missing"]
    assert full.gap_counts["missing"] == quick.gap_counts["missing"] + 1  # the look on disk
    assert full.next_visit is not None
    pack = api.build_pack(demo_store, full.next_visit.id)
    assert (full.next_visit_ready, full.next_visit_needed) == (
        pack.evidence_ready,
        pack.evidence_needed,
    )
    assert (quick.next_visit_ready, quick.next_visit_needed) == (0, 0)
    assert api.pack_readiness(demo_store, full.next_visit.id) == (
        len(pack.gaps),
        pack.evidence_ready,
        pack.evidence_needed,
    )


def test_a_store_that_cannot_be_read_is_one_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    with pytest.raises(api.StoreUnavailable, match="could not be read"):
        read_sqlite(broken, EDGE_TODAY)
    with sqlite3.connect(tmp_path / "foreign.db") as connection:
        connection.execute("CREATE TABLE patients (id INTEGER)")
    with pytest.raises(api.StoreUnavailable, match="no such table"):
        read_sqlite(tmp_path / "foreign.db", EDGE_TODAY)


def test_every_public_store_name_is_there_when_asked_for() -> None:
    # The package loads its names on first use; each must be the module's own object.
    import importlib

    assert sorted(api.__all__) == sorted(api._EXPORTS)
    for name, module in api._EXPORTS.items():
        assert getattr(api, name) is getattr(importlib.import_module(module), name), name
    assert "open_store" in dir(api)
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        api.nothing_here  # noqa: B018
