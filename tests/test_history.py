"""The team store's history: every change is someone's, on the record, in its transaction;
a save started from an older version is refused, saying whose change it missed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import store as st
from store import StaleRecord, Store, describe, list_history, record_history


def _make_plan(store: Store) -> dict[str, int]:
    source = st.create_source(store, kind="inspection", title="ILACS 2018")
    finding = st.create_finding(store, title="Front door", ref="R1", source_id=source.id)
    action = st.create_action(store, title="Fix MASH", ref="A1", finding_ids=[finding.id])
    evidence = st.create_evidence(store, title="Case audit: CP plans", action_ids=[action.id])
    visit = st.create_visit(store, title="MV3 front door", start_date="2018-03-01")
    return {"finding": finding.id, "action": action.id, "evidence": evidence.id, "visit": visit.id}


def test_every_change_is_someones_with_what_changed(store: Store) -> None:
    store.user = "Sam Patel"
    ids = _make_plan(store)
    st.update_action(store, ids["action"], owner="Alex Khan", due_date="2018-02-01")
    st.set_evidence_ready(store, ids["visit"], ids["evidence"])

    entries = record_history(store, "action", ids["action"])
    assert [e.op for e in entries] == ["create", "link", "link", "edit"]
    assert {e.who for e in entries} == {"Sam Patel"}
    edit = entries[-1]
    assert {(c.field, c.old, c.new) for c in edit.changes} == {
        ("owner", "", "Alex Khan"),
        ("due_date", None, "2018-02-01"),
    }
    assert edit.label == "A1 Fix MASH"
    assert edit.at.tzinfo is UTC
    assert abs((datetime.now(UTC) - edit.at).total_seconds()) < 60
    tick = record_history(store, "visit", ids["visit"])[-1]
    assert describe(tick) == (
        "Sam Patel ticked evidence item 'Case audit: CP plans' ready for visit 'MV3 front door'"
    )


def test_the_change_counter_grows_with_each_write_and_names_what_changed(store: Store) -> None:
    ids = _make_plan(store)
    before = st.change_counter(store)
    st.update_finding(store, ids["finding"], title="Front door and MASH")
    assert st.change_counter(store) == before + 1
    (entry,) = st.history_since(store, before)
    assert (entry.kind, entry.record_id, entry.op) == ("finding", ids["finding"], "edit")
    assert entry.label == "R1 Front door and MASH"


def test_ticks_and_links_are_idempotent_in_the_store_and_the_history(store: Store) -> None:
    ids = _make_plan(store)
    before = st.change_counter(store)
    st.set_evidence_ready(store, ids["visit"], ids["evidence"])
    st.set_evidence_ready(store, ids["visit"], ids["evidence"])
    assert st.link(store, "finding", ids["finding"], "action", ids["action"]) is False
    assert [e.op for e in st.history_since(store, before)] == ["tick"]
    st.set_evidence_ready(store, ids["visit"], ids["evidence"], ready=False)
    st.set_evidence_ready(store, ids["visit"], ids["evidence"], ready=False)
    assert [e.op for e in st.history_since(store, before)] == ["tick", "untick"]


def test_who_ticked_an_item_ready_and_when(store: Store) -> None:
    ids = _make_plan(store)
    store.user = "Sam Patel"
    st.set_evidence_ready(store, ids["visit"], ids["evidence"])
    ticks = st.ready_ticks(store, ids["visit"])
    assert ticks[ids["evidence"]].who == "Sam Patel"
    store.user = "Alex Khan"
    st.set_evidence_ready(store, ids["visit"], ids["evidence"], ready=False)
    assert st.ready_ticks(store, ids["visit"]) == {}


def test_links_a_person_removed_are_known_until_made_again(store: Store) -> None:
    ids = _make_plan(store)
    store.user = "Jo Reid"
    assert st.unlink(store, "action", ids["action"], "finding", ids["finding"]) is True
    assert st.unlink(store, "action", ids["action"], "finding", ids["finding"]) is False
    (removed,) = st.removed_links(store, "finding", "action")
    assert (removed.record_id, removed.other_id, removed.who) == (
        ids["finding"],
        ids["action"],
        "Jo Reid",
    )
    assert (removed.label, removed.other_label) == ("R1 Front door", "A1 Fix MASH")
    st.link(store, "finding", ids["finding"], "action", ids["action"])
    assert st.removed_links(store, "finding", "action") == []


def test_a_delete_is_one_entry_keeping_what_the_record_said(store: Store) -> None:
    ids = _make_plan(store)
    st.add_action_update(store, ids["action"], note="Audit done", brag="amber")
    before = st.change_counter(store)
    st.delete_action(store, ids["action"])
    (entry,) = st.history_since(store, before)
    assert (entry.op, entry.label) == ("delete", "A1 Fix MASH")
    assert ("title", "Fix MASH", None) in {(c.field, c.old, c.new) for c in entry.changes}
    # Its links went with it: not links a person removed.
    assert st.removed_links(store, "finding", "action") == []


def test_a_write_that_fails_leaves_no_entry(store: Store) -> None:
    ids = _make_plan(store)
    before = st.change_counter(store)
    with pytest.raises(st.ValidationError), store.batch():
        st.update_action(store, ids["action"], owner="Alex Khan")
        st.update_action(store, ids["action"], title="")
    assert st.change_counter(store) == before
    assert st.get_action(store, ids["action"]).owner == ""


def test_a_stale_save_is_refused_naming_whose_change_it_missed(store: Store) -> None:
    ids = _make_plan(store)
    opened = st.get_action(store, ids["action"])  # Sam opens the form
    store.user = "Alex Khan"
    st.update_action(store, ids["action"], owner="Alex Khan", expected_version=opened.version)
    store.user = "Sam Patel"
    with pytest.raises(StaleRecord) as refused:
        st.update_action(store, ids["action"], owner="Sam Patel", expected_version=opened.version)
    assert refused.value.who == "Alex Khan"
    assert "changed by Alex Khan at" in refused.value.message
    assert "A1 Fix MASH" in refused.value.message
    now = st.get_action(store, ids["action"])
    assert now.owner == "Alex Khan"
    assert refused.value.version == now.version == opened.version + 1
    # Seen the other version: saving from it is accepted.
    st.update_action(store, ids["action"], owner="Sam Patel", expected_version=now.version)
    assert st.get_action(store, ids["action"]).owner == "Sam Patel"


@pytest.mark.parametrize(
    ("kind", "get", "update", "field"),
    [
        ("finding", st.get_finding, st.update_finding, "title"),
        ("evidence", st.get_evidence, st.update_evidence, "title"),
        ("visit", st.get_visit, st.update_visit, "title"),
    ],
)
def test_every_editable_record_refuses_a_stale_save(
    store: Store, kind: str, get: object, update: object, field: str
) -> None:
    ids = _make_plan(store)
    opened = get(store, ids[kind])  # type: ignore[operator]
    update(store, ids[kind], **{field: "Theirs"}, expected_version=opened.version)  # type: ignore[operator]
    with pytest.raises(StaleRecord):
        update(store, ids[kind], **{field: "Mine"}, expected_version=opened.version)  # type: ignore[operator]
    assert getattr(get(store, ids[kind]), field) == "Theirs"  # type: ignore[operator]


def test_the_log_filters_by_person_date_and_record(store: Store) -> None:
    store.user = "Sam Patel"
    ids = _make_plan(store)
    store.user = "Alex Khan"
    st.update_evidence(store, ids["evidence"], owner="QA team")
    assert [e.op for e in list_history(store, who="alex khan")] == ["edit"]
    mine = list_history(store, record=("evidence", ids["evidence"]))
    assert [e.op for e in mine] == ["create", "link", "edit"]
    assert list_history(store, since=datetime(2999, 1, 1, tzinfo=UTC)) == []
    assert len(list_history(store, limit=2)) == 2


def test_a_setting_is_on_the_record(store: Store) -> None:
    store.user = "Sam Patel"
    st.set_stale_days(store, "90")
    (entry,) = list_history(store, record=None, who="Sam Patel")
    assert (entry.op, entry.label, entry.changes[0].new) == ("setting", "stale_days", "90")


def test_the_name_comes_from_the_argument_then_the_environment_then_config(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from store.identity import current_user, login_name

    assert current_user() == (login_name() or "unknown")
    st.set_user_name("  Sam \x1b[31mPatel ")
    assert current_user() == "Sam [31mPatel"  # an escape code is kept as text, never obeyed
    st.set_user_name("Sam Patel")
    assert current_user() == "Sam Patel"
    monkeypatch.setenv("VISITPREP_USER", "Alex Khan")
    assert current_user() == "Alex Khan"
    assert current_user("Jo Reid") == "Jo Reid"
    with pytest.raises(st.ValidationError):
        st.set_user_name("   ")


def test_an_import_is_one_entry_naming_the_file_plus_the_records_it_made(store: Store) -> None:
    from pathlib import Path

    from store.importers.plan import import_plan
    from store.importers.reports import import_reports

    data = Path(__file__).parent / "data"
    store.user = "Sam Patel"
    before = st.change_counter(store)
    import_reports(store, [data / "reports" / "eastmere_2016-05-20.txt"])
    import_plan(store, data / "plans" / "tower_fields_plan.csv")
    entries = st.history_since(store, before, limit=None)
    imports = [e for e in entries if e.op == "import"]
    assert [e.detail for e in imports] == [
        "report eastmere_2016-05-20.txt",
        "improvement plan tower_fields_plan.csv",
    ]
    assert imports[0].kind == "source" and imports[0].label  # the report's title
    made = {e.kind for e in entries if e.op == "create"}
    assert {"source", "finding", "action"} <= made
    assert {e.who for e in entries} == {"Sam Patel"}


def test_a_setting_changed_by_another_program_counts_in_an_open_store(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    assert st.stale_days(store) == 183
    other = st.open_store(store.url)
    try:
        st.set_stale_days(other, "90")
    finally:
        other.close()
    real = time.monotonic
    monkeypatch.setattr(time, "monotonic", lambda: real() + 5)  # a moment later
    assert st.stale_days(store) == 90


def test_a_write_while_another_program_holds_the_lock_says_busy(store: Store, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("SQLite's lock (PostgreSQL writers wait for the rows they change)")
    import sqlite3

    from sqlalchemy import event

    event.listen(store.engine, "connect", lambda c, _r: c.execute("PRAGMA busy_timeout=100"))
    store.engine.dispose()  # new connections, with the short wait
    assert store.path is not None
    blocker = sqlite3.connect(store.path)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(st.StoreUnavailable, match="busy"):
            st.create_action(store, title="Audit", ref="A1")
    finally:
        blocker.rollback()
        blocker.close()
    assert st.create_action(store, title="Audit", ref="A1").ref == "A1"
