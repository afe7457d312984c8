"""The dashboard's numbers, started while the app itself is still loading.

``visitprep`` imports Textual and the screens (a few tenths of a second); opening the store
and reading a big store's numbers takes tens of milliseconds more, most of them inside
SQLite or the database server, which lets Python run on. So :func:`open_in_background`
opens the store and starts the read first, in a thread, and the dashboard takes its answer
when it mounts instead of starting it then. On PostgreSQL psycopg is imported first, on
its own, and the thread's schema check, settings and counts then wait on the server, not
on the interpreter: the server counts while Textual loads. Nothing here imports Textual.
"""

from __future__ import annotations

import contextlib
import os
import threading
from concurrent.futures import Future
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from store import Store
    from store.records import Dashboard

MOST_OVERDUE = 5  # the dashboard lists this many of the most overdue actions


def read(store: Store) -> Dashboard:
    """The numbers the dashboard shows first: no pack, no look on disk (those come after)."""
    from store import dashboard

    return dashboard(store, with_pack=False, check_files=False, most_overdue=MOST_OVERDUE)


def start(store: Store) -> Future[Dashboard]:
    """Begin :func:`read` in a thread now; the future holds its answer or its error."""
    future: Future[Dashboard] = Future()

    def run() -> None:
        try:
            future.set_result(read(store))
        except BaseException as error:  # handed to whoever asks, as the read would raise it
            future.set_exception(error)

    threading.Thread(target=run, name="first numbers", daemon=True).start()
    return future


class Opening(NamedTuple):
    """A store being opened in a thread, and its dashboard's numbers after it."""

    store: Future[Store]  # the open store, or the error open_store raised
    numbers: Future[Dashboard]  # set once the store is open (the same error if it is not)


def open_in_background(db: str | os.PathLike[str] | None, *, today: date | None = None) -> Opening:
    """Open the store at ``db`` (as :func:`store.open_store`: created or upgraded as need
    be), learn its date (a demo's own), then read the first numbers, all in one thread;
    the caller imports the app meanwhile and takes ``store.result()`` when it needs it
    (which raises what opening raised: NotAStore, StoreUnavailable...)."""
    opened: Future[Store] = Future()
    numbers: Future[Dashboard] = Future()
    _import_driver(db)

    def run() -> None:
        from store import open_store

        try:
            store = open_store(db, today=today)
            _ = store.today  # a demo's own date is read here, never on the UI thread
        except BaseException as error:  # raised again where the caller asks for the store
            opened.set_exception(error)
            numbers.set_exception(error)
            return
        opened.set_result(store)
        try:
            numbers.set_result(read(store))
        except BaseException as error:  # the dashboard says it could not count, in words
            numbers.set_exception(error)

    threading.Thread(target=run, name="open store", daemon=True).start()
    return Opening(opened, numbers)


def _import_driver(db: str | os.PathLike[str] | None) -> None:
    """On PostgreSQL, import psycopg here, before the thread starts: alone it takes a
    tenth of a second; in the thread it would share the interpreter with the app's
    imports for several times that, and the server would start counting that much later.
    (A missing driver is left to open_store, which says how to install it.)"""
    from store.database import resolve_url
    from store.dialect import postgres_conninfo

    if postgres_conninfo(resolve_url(db)) is None:
        return
    with contextlib.suppress(ImportError):
        import psycopg  # noqa: F401
