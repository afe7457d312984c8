"""A write is announced to every program listening on a PostgreSQL store the moment it
commits (``NOTIFY`` in the write's own transaction, store.dialect.announce_changes), so an
open app need not wait for its next look at the change counter. A write that rolls back
is never announced; a role that may only read hears the writes too (``LISTEN`` needs no
write rights). On SQLite there is nothing to listen to: the app's poll does it alone.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

import store as api
from store import Store, open_store
from store.dialect import listen_for_changes

HEARD_WITHIN = 3.0  # seconds; the app's poll is every 1.5 s, a notification is at once


@contextmanager
def listener(url: str) -> Iterator[threading.Event]:
    """A listener on ``url`` in a thread, listening before this yields; the event is set
    each time it hears a write."""
    heard, listening, stopped = threading.Event(), threading.Event(), threading.Event()
    thread = threading.Thread(
        target=listen_for_changes,
        args=(url, heard.set, stopped),
        kwargs={"listening": listening.set, "wait": 0.2},
        daemon=True,
    )
    thread.start()
    try:
        assert listening.wait(10), "the listener never started listening"
        yield heard
    finally:
        stopped.set()
        thread.join(5)
    assert not thread.is_alive()


def _alex(store: Store) -> Store:
    return open_store(store.url, user="Alex Khan")


def test_a_write_by_another_program_is_heard_as_it_commits(backend: str, store: Store) -> None:
    if backend == "sqlite":
        stopped = threading.Event()
        listen_for_changes(store.url, lambda: None, stopped)  # returns at once: no server
        return
    with listener(store.url) as heard:
        assert not heard.wait(0.5), "heard a write nobody made"
        alex = _alex(store)
        try:
            with alex.batch():
                api.create_action(alex, title="Audit CP plans monthly", owner="Alex Khan")
                assert not heard.wait(0.5), "heard before the write committed"
        finally:
            alex.close()
        assert heard.wait(HEARD_WITHIN), "the committed write was not announced"


def test_a_write_that_rolls_back_is_never_heard(backend: str, store: Store) -> None:
    if backend == "sqlite":
        pytest.skip("nothing to listen to on SQLite")
    with listener(store.url) as heard:
        alex = _alex(store)
        try:
            with pytest.raises(RuntimeError), alex.batch():
                api.create_action(alex, title="Never kept", owner="Alex Khan")
                raise RuntimeError("the import failed part way")
        finally:
            alex.close()
        assert not heard.wait(1.0), "a rolled-back write was announced"
        assert [a.title for a in api.list_actions(store)] == []


def test_a_role_that_may_only_read_hears_the_writes(
    backend: str, store: Store, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        pytest.skip("database roles are PostgreSQL's")
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    server = request.getfixturevalue("postgres_server")
    role = f"vp_listener_{os.getpid()}"
    database = make_url(store.url).database
    with server.admin.connect() as connection:
        connection.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        connection.execute(text(f'CREATE ROLE "{role}" LOGIN'))
        connection.execute(text(f'GRANT CONNECT ON DATABASE "{database}" TO "{role}"'))
    reader = make_url(store.url).set(username=role).render_as_string(hide_password=False)
    try:
        with listener(reader) as heard:
            api.create_action(store, title="Visible to the Director", owner="Sam Patel")
            assert heard.wait(HEARD_WITHIN), "the read-only role did not hear the write"
    finally:
        with server.admin.connect() as connection:
            connection.execute(text(f'REVOKE ALL ON DATABASE "{database}" FROM "{role}"'))
            connection.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
