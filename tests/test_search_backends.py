"""Search on both backends: the same answers from SQLite and PostgreSQL, an index saved for
the next start, and writes by another program found through the store's change counter."""

from __future__ import annotations

from pathlib import Path

import pytest

import store as st
from store import Store, open_store
from store.search import live, search


def test_search_finds_the_same_on_both_backends(store: Store) -> None:
    source = st.create_source(store, kind="inspection", title="ILACS 2018")
    st.create_finding(
        store, title="Return home interviews are not timely", ref="R4", source_id=source.id
    )
    st.create_action(store, title="Fix MASH thresholds", ref="A1")
    hits = search(store, "retrun home intervew")
    assert [(h.kind, h.ref) for h in hits] == [("finding", "R4")]
    assert [h.ref for h in search(store, "mash kind:action")] == ["A1"]


def test_the_index_is_kept_for_the_next_start_keyed_by_the_database(
    store: Store, backend: str, tmp_path: Path
) -> None:
    st.create_action(store, title="Fix MASH thresholds", ref="A1")
    assert [h.ref for h in search(store, "thresholds")] == ["A1"]
    first = live.index_for(store)
    saved = first.save() or first.cache_path
    assert saved is not None and saved.exists()
    if backend == "postgresql":
        assert "visitprep" in str(saved) and "postgres" not in saved.name  # hashed, per user
    again = open_store(store.url)
    try:
        assert [h.ref for h in search(again, "thresholds")] == ["A1"]
        assert live.index_for(again).loaded_from_cache
    finally:
        again.close()


def test_a_write_by_another_program_is_found(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(live, "_RECHECK_SECONDS", 0.0)
    st.create_action(store, title="Fix MASH thresholds", ref="A1")
    assert [h.ref for h in search(store, "thresholds")] == ["A1"]
    other = open_store(store.url)  # someone else's app, another process's connection
    try:
        st.update_action(other, st.list_actions(other)[0].id, title="Audit of thresholds")
        st.create_action(other, title="Thresholds training", ref="A2")
    finally:
        other.close()
    refs = sorted(h.ref for h in search(store, "thresholds"))
    assert refs == ["A1", "A2"]
    assert search(store, "audit thresholds")[0].title == "Audit of thresholds"
