"""The dashboard's numbers, started while the app itself is still loading.

``visitprep`` opens the store, then imports Textual and the screens (a few tenths of a
second); reading a big store's numbers takes tens of milliseconds more, most of them inside
SQLite, which lets Python run on. So the read starts first, in a thread, and the dashboard
takes its answer when it mounts instead of starting it then. Nothing here imports Textual.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from typing import TYPE_CHECKING

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
