"""The demo store: Northbridge, a council judged inadequate, ten days before its third
monitoring visit, and `visitprep demo` that creates it."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from argparse import Namespace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import _cli
import pytest

from store import (
    GAP_KINDS,
    Store,
    StoreError,
    ValidationError,
    build_pack,
    count_actions,
    count_evidence,
    create_action,
    find_gaps,
    get_finding,
    list_action_updates,
    list_actions,
    list_evidence,
    list_findings,
    list_sources,
    list_themes,
    list_visits,
    next_visit,
    open_store,
)
from store.demo import DEMO_TODAY, build_demo
from store.vocab import DEFAULT_THEMES, EVIDENCE_KINDS

BIN = Path(sys.executable).parent / "visitprep"

# Owners are posts, never people: none of these may appear in an owner or an author.
FIRST_NAMES = {
    "sarah", "john", "david", "james", "michael", "emma", "claire", "helen", "mark", "paul",
    "susan", "karen", "andrew", "rachel", "jane", "peter", "lisa", "julie", "chris", "nicola",
    "mohammed", "fatima", "priya", "tom", "amy", "gary", "linda", "steve", "jo", "kate",
}  # fmt: skip


def _upcoming(store: Store) -> Any:
    visit = next_visit(store)
    assert visit is not None
    return visit


def test_the_demo_is_a_council_judged_inadequate_with_a_full_improvement_plan(
    demo_store: Store,
) -> None:
    sources = list_sources(demo_store)
    (inspection,) = [s for s in sources if s.kind == "inspection"]
    letters = [s for s in sources if s is not inspection]
    assert inspection.kind == "inspection" and inspection.framework == "ILACS"
    assert inspection.local_authority == "Northbridge"
    grades = {j.area: j.grade for j in inspection.judgements}
    assert grades["Overall effectiveness"] == "inadequate"
    assert list(grades.values()) == [
        "inadequate", "inadequate", "inadequate", "requires improvement", "requires improvement",
    ]  # fmt: skip
    assert [s.kind for s in letters] == ["monitoring visit", "monitoring visit"]

    assert count_actions(demo_store) >= 40
    assert count_evidence(demo_store) >= 60
    themes = {t.name for t in list_themes(demo_store)}
    findings = list_findings(demo_store)
    assert {f.theme for f in findings} <= themes
    assert [f.ref for f in findings if f.source_id == inspection.id][:3] == ["R1", "R2", "R3"]
    assert {e.kind for e in list_evidence(demo_store)} <= set(EVIDENCE_KINDS)
    assert len({a.theme for a in list_actions(demo_store)}) >= 7


def test_monitoring_findings_point_back_to_the_inspection(demo_store: Store) -> None:
    (inspection,) = [s for s in list_sources(demo_store) if s.kind == "inspection"]
    followed_up = [
        f for f in list_findings(demo_store) if f.source_id != inspection.id and f.parent_id
    ]
    assert len(followed_up) >= 6
    for finding in followed_up:
        parent = get_finding(demo_store, finding.parent_id or 0)
        assert parent.source_id == inspection.id
        assert parent.theme == finding.theme


def test_three_visits_and_the_next_is_ten_days_away(demo_store: Store) -> None:
    visits = list_visits(demo_store)
    assert len(visits) == 3
    upcoming = [v for v in visits if v.days_to_go >= 0]
    assert len(upcoming) == 1
    assert upcoming[0].days_to_go == 10
    assert upcoming[0].start_date == DEMO_TODAY + timedelta(days=10)
    assert len({v.focus_themes for v in visits}) == 3, "each visit has its own focus"


def test_every_kind_of_gap_is_there_across_the_store_and_in_the_next_pack(
    demo_store: Store,
) -> None:
    store_wide = {g.kind for g in find_gaps(demo_store)}
    visit = _upcoming(demo_store)
    pack = build_pack(demo_store, visit.id)
    in_pack = {g.kind for g in pack.gaps}
    assert store_wide == set(GAP_KINDS)
    assert in_pack == set(GAP_KINDS)
    assert 0 < pack.evidence_ready < pack.evidence_needed, "half ready, as a week before a visit"
    assert pack.dropped, "the lead dropped a finding by hand"
    assert any(pf.added_by_hand for theme in pack.themes for pf in theme.findings)


def test_missing_files_do_not_depend_on_this_machine(demo_store: Store) -> None:
    missing = [e for e in list_evidence(demo_store) if e.missing_since is not None]
    assert 1 <= len(missing) <= 2
    for item in list_evidence(demo_store):
        assert not item.location.startswith(("/", "~")), item.location
        assert not re.match(r"^[A-Za-z]:\\", item.location), item.location


def test_owners_and_authors_are_job_titles_not_people(demo_store: Store) -> None:
    people: list[str] = []
    for action in list_actions(demo_store):
        people.append(action.owner)
        people.extend(u.author for u in list_action_updates(demo_store, action.id))
    people.extend(e.owner for e in list_evidence(demo_store))
    assert all(people), "every action, update and evidence item has an owner"
    for title in people:
        words = {w.lower() for w in re.findall(r"[A-Za-z]+", title)}
        assert not words & FIRST_NAMES, title
    assert "Principal Social Worker" in people
    assert any(p.startswith("Head of Service – ") for p in people)


def test_progress_is_dated_and_the_brag_history_moves(demo_store: Store) -> None:
    changed = 0
    for action in list_actions(demo_store):
        history = list_action_updates(demo_store, action.id)
        assert history, f"{action.ref} has no progress update"
        assert all(action.opened_on <= u.on_date <= DEMO_TODAY for u in history)
        assert history[-1].brag == action.brag
        changed += len({u.brag for u in history}) > 1
    assert changed >= 20
    assert {a.brag for a in list_actions(demo_store)} == {"blue", "green", "amber", "red"}


def test_actions_findings_and_evidence_are_linked(demo_store: Store) -> None:
    actions = list_actions(demo_store)
    assert all(a.finding_count for a in actions)
    assert all(a.success_measure and a.title not in a.description for a in actions)
    evidence = list_evidence(demo_store)
    assert sum(1 for e in evidence if e.action_count and e.finding_count) >= 25
    assert all(e.impact for e in evidence if e.kind == "audit")
    assert any(e.personal_data for e in evidence)
    assert sum(1 for e in evidence if e.review_by) >= 20


def _dump(store: Store) -> list[Any]:
    """Everything a user can see in the store, as plain records."""
    actions = list_actions(store)
    visits = list_visits(store)
    return [
        list_themes(store),
        list_sources(store),
        list_findings(store),
        actions,
        [list_action_updates(store, a.id) for a in actions],
        list_evidence(store),
        visits,
        [build_pack(store, v.id) for v in visits],
    ]


def test_building_twice_gives_the_same_store(tmp_path: Path) -> None:
    dumps = []
    for name in ("first", "second"):
        store = open_store(tmp_path / name / "demo.db", today=DEMO_TODAY)
        try:
            build_demo(store)
            dumps.append(_dump(store))
        finally:
            store.close()
    assert dumps[0] == dumps[1]
    assert str(tmp_path) not in repr(dumps[0]), "no path of this machine in any record"


def test_the_demo_is_all_or_nothing(demo_store: Store, tmp_path: Path) -> None:
    before = _dump(demo_store)
    with pytest.raises(StoreError):
        build_demo(demo_store)  # the refs are taken: the second copy fails part way
    assert _dump(demo_store) == before

    early = open_store(tmp_path / "early.db", today=DEMO_TODAY - timedelta(days=1))
    try:
        with pytest.raises(ValidationError, match="21/01/2019"):
            build_demo(early)
        assert list_sources(early) == [] and count_actions(early) == 0
        assert [t.name for t in list_themes(early)] == list(DEFAULT_THEMES)
    finally:
        early.close()


# --- `visitprep demo`, run as a user runs it ---------------------------------------------------


def visitprep(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VISITPREP_TODAY", "VISITPREP_DB")}
    # The console script in a process of its own (see tests/_cli.py).
    return _cli.run([str(BIN), *args], capture_output=True, text=True, env=env, timeout=120)


def test_visitprep_demo_creates_the_store_and_says_what_to_do_next(tmp_path: Path) -> None:
    db = tmp_path / "northbridge.db"
    result = visitprep("--db", str(db), "demo")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    assert f"Created the Northbridge demo store at {db}" in out
    assert "47 actions" in out and "71 evidence items" in out
    assert "Monitoring visit 3: children in care and care leavers, 31 Jan 2019 (in 10 days)" in out
    assert "The demo is set on 21 Jan 2019: it opens as at that date" in out
    assert f"  visitprep --db {db} export 'Monitoring visit 3'" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["northbridge.db"], "no temp files left"

    store = open_store(db, today=DEMO_TODAY)
    try:
        assert count_actions(store) == 47 and _upcoming(store).days_to_go == 10
    finally:
        store.close()


def test_a_second_demo_is_refused_without_force_and_force_replaces_it(tmp_path: Path) -> None:
    db = tmp_path / "northbridge.db"
    assert visitprep("--db", str(db), "demo").returncode == 0
    store = open_store(db, today=DEMO_TODAY)
    try:
        create_action(store, title="Our own action, typed after the demo", ref="X1")
    finally:
        store.close()
    (tmp_path / "northbridge.db.search").write_bytes(b"an old search index")
    before = db.read_bytes()

    refused = visitprep("--db", str(db), "demo")
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        f"visitprep: {db} already holds a visitprep store with data; add --force to replace "
        "it with the demo."
    ]
    assert db.read_bytes() == before

    replaced = visitprep("--db", str(db), "demo", "--force")
    assert replaced.returncode == 0, replaced.stderr
    assert replaced.stdout.startswith(f"Replaced the Northbridge demo store at {db}:")
    assert not (tmp_path / "northbridge.db.search").exists()
    store = open_store(db, today=DEMO_TODAY)
    try:
        refs = [a.ref for a in list_actions(store)]
        assert "X1" not in refs and len(refs) == 47
    finally:
        store.close()


def test_force_never_replaces_a_file_that_is_not_a_store(tmp_path: Path) -> None:
    other = tmp_path / "cases.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE cases (id INTEGER PRIMARY KEY)")
    before = other.read_bytes()
    result = visitprep("--db", str(other), "demo", "--force")
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1 and "not a visitprep store" in result.stderr
    assert other.read_bytes() == before


def test_a_demo_that_fails_leaves_the_old_store_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.commands import demo as command

    db = tmp_path / "northbridge.db"
    store = open_store(db, today=DEMO_TODAY)
    try:
        create_action(store, title="Work we must not lose", ref="X1")
    finally:
        store.close()
    before = db.read_bytes()

    def half_then_fail(store: Store) -> None:
        build_demo(store)
        raise ValidationError("demo", "the disk filled up")

    monkeypatch.setattr(command, "build_demo", half_then_fail)
    monkeypatch.delenv("VISITPREP_TODAY", raising=False)
    args = Namespace(db=str(db), force=True, open=False)
    with pytest.raises(ValidationError, match="disk filled up"):
        command.run(args)
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["northbridge.db"]


def test_without_db_the_demo_goes_to_the_default_store(tmp_path: Path) -> None:
    result = visitprep("demo")
    assert result.returncode == 0, result.stderr
    default = Path(os.environ["XDG_DATA_HOME"]) / "visitprep" / "visitprep.db"
    assert default.exists()
    assert "  visitprep\n" in result.stdout
    assert "--db" not in result.stdout


def test_open_shows_the_app_on_the_demo_as_of_its_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import tui.cli
    from tui.commands import demo as command

    opened: list[tuple[str | None, date, bool]] = []

    def fake_open_app(db: str | None) -> int:
        store = open_store(db)  # as the app opens it: no today given, none in the env
        try:
            opened.append((db, store.today, store.today_is_demo))
        finally:
            store.close()
        return 0

    monkeypatch.setattr(tui.cli, "_open_app", fake_open_app)
    monkeypatch.delenv("VISITPREP_TODAY", raising=False)
    db = str(tmp_path / "northbridge.db")
    assert command.run(Namespace(db=db, force=False, open=True)) == 0
    assert opened == [(db, DEMO_TODAY, True)]
    assert "Created the Northbridge demo store" in capsys.readouterr().out


def test_a_server_database_is_cleared_and_filled_in_one_transaction(tmp_path: Path) -> None:
    """No file to swap on a database server: the old records go in the same transaction."""
    from tui.commands import demo as command

    url = f"sqlite:///{tmp_path / 'server.db'}"
    store = open_store(url, today=DEMO_TODAY)
    try:
        build_demo(store)
        create_action(store, title="Our own action", ref="X1")
    finally:
        store.close()
    with pytest.raises(StoreError, match="add --force"):
        command._create_on_server(url, force=False)
    command._create_on_server(url, force=True)
    store = open_store(url, today=DEMO_TODAY)
    try:
        assert "X1" not in [a.ref for a in list_actions(store)]
        assert count_actions(store) == 47 and len(list_visits(store)) == 3
    finally:
        store.close()


def test_force_will_not_swap_a_store_another_program_has_open(tmp_path: Path) -> None:
    db = tmp_path / "northbridge.db"
    assert visitprep("--db", str(db), "demo").returncode == 0
    # The app, still open in another terminal (its own process: SQLite's locks are per process).
    holder = (
        "import sqlite3, sys\n"
        f"app = sqlite3.connect({str(db)!r})\n"
        "app.execute('SELECT count(*) FROM sqlite_master').fetchall()\n"
        "print('open', flush=True)\n"
        "sys.stdin.read()\n"
    )
    app = subprocess.Popen(
        [sys.executable, "-c", holder], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert app.stdout is not None and app.stdout.readline() == "open\n"
        before = db.read_bytes()
        result = visitprep("--db", str(db), "demo", "--force")
        assert result.returncode == 1
        assert result.stderr.splitlines() == [
            f"visitprep: {db} is open in another program (is visitprep running?); close it first."
        ]
        assert db.read_bytes() == before
    finally:
        app.communicate("", timeout=30)


def test_a_demo_store_knows_its_date_and_visitprep_today_or_a_given_today_still_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15.4: without VISITPREP_TODAY the demo said "Today 6 Dec 2026", "No visit
    planned" and "overdue 2991d"."""
    from store.overview import dashboard

    db = tmp_path / "northbridge.db"
    assert visitprep("--db", str(db), "demo").returncode == 0
    monkeypatch.delenv("VISITPREP_TODAY", raising=False)
    store = open_store(db)
    try:
        assert store.demo_date == DEMO_TODAY and store.today == DEMO_TODAY
        assert store.today_is_demo
        board = dashboard(store)  # the app's first numbers: sqlite3 alone
        assert board.next_visit is not None and board.next_visit.days_to_go == 10
    finally:
        store.close()
    monkeypatch.setenv("VISITPREP_TODAY", "2019-01-28")
    store = open_store(db)
    try:
        assert store.today == date(2019, 1, 28) and not store.today_is_demo
    finally:
        store.close()
    monkeypatch.delenv("VISITPREP_TODAY")
    store = open_store(db, today=date(2019, 2, 1))
    try:
        assert store.today == date(2019, 2, 1) and not store.today_is_demo
    finally:
        store.close()
    # A council's own store is no demo: judged against the real date.
    own = open_store(tmp_path / "own.db")
    try:
        assert own.demo_date is None and not own.today_is_demo
    finally:
        own.close()


def test_the_demos_ticks_are_its_qa_leads_and_the_runners_writes_stay_theirs(
    demo_store: Store,
) -> None:
    """The Director's pack says who ticked each item: in the demo that is Northbridge's QA
    lead, never whoever built the demo (the pack read 'ready (root)'); once built, what the
    runner writes is theirs again."""
    from store.demo import DEMO_LEAD
    from store.history_queries import ready_ticks

    ticks = ready_ticks(demo_store, _upcoming(demo_store).id)
    assert ticks and {entry.who for entry in ticks.values()} == {DEMO_LEAD}
    assert demo_store.user != DEMO_LEAD
