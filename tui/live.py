"""Keeping an open app current on a store that others write to.

A team shares one store (PostgreSQL, or a SQLite file other programs write to). Every
write anyone makes appends to the store's history in the same transaction, so the
history's newest id is a change counter (:func:`store.change_counter`) that is cheap to
read. The :class:`StoreWatcher` reads it every :data:`POLL_SECONDS` in a thread worker;
when it has grown, it reads the new entries (:func:`store.history_since`) and hands them
to the app, which reloads the screens on view the way it does after its own writes
(``StoreChanged``: lists keep their cursor, a form being typed is never touched) and, for
a change by someone else that concerns what is in view, says so in a toast ("Sam Patel
ticked 'Case audit: CP plans' ready for 'MV3 front door'").

On PostgreSQL the app need not wait for its next look: every write announces itself as
it commits (``NOTIFY``, store.dialect.announce_changes), and a :class:`ChangeListener`
hears it on a connection of its own and has the app look at once. The poll goes on
underneath, so a listener that lost its server (and is making its connection again)
costs no more than the poll's delay.

The first look also learns what the app must know once about the store: whether this
user may only read it (the write keys then say so, see :data:`WRITE_ACTIONS`), and
whether a SQLite store sits on a network drive (a shared store belongs on PostgreSQL).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from store import Change

if TYPE_CHECKING:
    from store.history import HistoryEntry

POLL_SECONDS = 1.5  # a write by someone else shows within about two seconds
OWN_WRITE_SECONDS = 10.0  # this program's own entries are recognised for this long
TOASTS_AT_ONCE = 3  # more changes than this at once are said in one line

# Actions that write to the store, by their name in the bindings (any screen). On a store
# this user may only read, each says so instead of failing part way.
WRITE_ACTIONS = frozenset(
    {
        "new",
        "edit",
        "delete",
        "link",
        "update",
        "tick",
        "adopt",
        "drop",
        "add",
        "import",
        "import_files",
        "enter_value",
        "save",
        "toggle",
        "toggle_typed",
    }
)

READ_ONLY_MESSAGE = (
    "This store is read-only for you: you can look at everything, but not change it. "
    "Ask whoever runs the store for write access."
)


def action_name(action: str) -> str:
    """``"screen.link(0)"`` -> ``"link"``: the name a binding's action string calls."""
    return action.split("(", 1)[0].rsplit(".", 1)[-1]


def changes_of(entries: list[HistoryEntry]) -> list[Change]:
    """What the entries touched, as the changes a screen reloads on (both ends of a link
    or a tick)."""
    seen: dict[tuple[str, int], Change] = {}
    for entry in entries:
        op = "delete" if entry.op == "delete" else "upsert"
        if entry.kind and entry.record_id is not None:
            seen.setdefault((entry.kind, entry.record_id), Change(entry.kind, entry.record_id, op))
        if entry.other_kind and entry.other_id is not None:
            key = (entry.other_kind, entry.other_id)
            seen.setdefault(key, Change(entry.other_kind, entry.other_id, "upsert"))
    return list(seen.values())


def shown_by(screen: object) -> tuple[str, int | None]:
    """What a screen shows, for :func:`in_view`: a visit's pack, a record's page, a list
    of one kind, or (a screen that counts everything, or one not known here) all of it."""
    visit_id = getattr(screen, "visit_id", None)
    if isinstance(visit_id, int):
        return ("visit", visit_id)
    kind = getattr(screen, "kind", None)
    if isinstance(kind, str):
        record_id = getattr(screen, "record_id", None)
        return (kind, record_id if isinstance(record_id, int) else None)
    return ("*", None)


def in_view(entry: HistoryEntry, shown: list[tuple[str, int | None]]) -> bool:
    """Whether an entry is about what the screens on view show: ``shown`` holds
    ``(kind, id)`` for a record's page or a visit's pack, ``(kind, None)`` for a list of
    that kind, and ``("*", None)`` for a screen that counts everything (the dashboard)."""
    for kind, ident in shown:
        if kind == "*":
            return True
        for entry_kind, entry_id in (
            (entry.kind, entry.record_id),
            (entry.other_kind, entry.other_id),
        ):
            if entry_kind == kind and (ident is None or entry_id == ident):
                return True
    return False


@dataclass
class Look:
    """What one look at the store found (made in a thread, read on the UI thread)."""

    entries: list[HistoryEntry] = field(default_factory=list)
    read_only: bool | None = None
    network_drive: str | None = None


class StoreWatcher:
    """Looks at the store's change counter now and then, off the UI thread.

    ``deliver(look)`` is called on the UI thread with what changed since the last look
    (the first look only takes the counter as it stands: what was there when the app
    opened is already on screen). Writes this program made itself (``own``) are left
    out: the app reloaded for them as they committed.
    """

    def __init__(self, store: Any, deliver: Callable[[Look], None]) -> None:
        self.store = store
        self.deliver = deliver
        self.seen: int | None = None
        self.read_only: bool | None = None
        self._own: dict[tuple[str, int], float] = {}
        # One look at a time: the poll's and a PostgreSQL announcement's may meet, and two
        # looks from the same counter would each say the same change.
        self._looking = threading.Lock()

    def own(self, changes: list[Change]) -> None:
        """Note this program's own writes (called as they commit, on any thread)."""
        now = time.monotonic()
        for change in changes:
            self._own[(change.kind, change.id)] = now

    def look(self) -> Look | None:
        """One look (runs in a thread worker). None when nothing changed."""
        with self._looking:
            return self._look()

    def _look(self) -> Look | None:
        from store import change_counter, history_since

        first = self.seen is None
        found = Look()
        if first:
            found.read_only = self.read_only = bool(self.store.read_only)
            found.network_drive = _network_drive(self.store)
        counter = change_counter(self.store)
        if first or counter <= (self.seen or 0):
            self.seen = max(counter, self.seen or 0)
            return found if first else None
        entries = history_since(self.store, self.seen or 0, limit=500)
        self.seen = max([counter, *(e.id for e in entries)])
        found.entries = [e for e in entries if not self._is_own(e)]
        return found if found.entries else None

    def _is_own(self, entry: HistoryEntry) -> bool:
        if entry.who != getattr(self.store, "user", None):
            return False
        now = time.monotonic()
        for key in ((entry.kind, entry.record_id), (entry.other_kind, entry.other_id)):
            at = self._own.get(key)  # type: ignore[arg-type]
            if at is not None and now - at < OWN_WRITE_SECONDS:
                return True
        return False


class ChangeListener:
    """Hears others' writes the moment they commit, on a PostgreSQL store (``LISTEN``), in
    a thread of its own; ``heard()`` is called from that thread (the app posts itself a
    message and looks at the change counter). Nothing at all on SQLite."""

    def __init__(self, store: Any, heard: Callable[[], None]) -> None:
        self.store = store
        self.heard = heard
        self.listening = threading.Event()  # set once the connection listens
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> bool:
        """Begin listening (once); ``False`` for a store that has nothing to listen to."""
        from store.dialect import postgres_conninfo

        if self._thread is not None or postgres_conninfo(self.store.url) is None:
            return self._thread is not None
        self._thread = threading.Thread(target=self._run, name="store listener", daemon=True)
        self._thread.start()
        return True

    def stop(self) -> None:
        """Stop listening (the thread ends within a second, its connection closed)."""
        self._stopped.set()

    def _run(self) -> None:
        from store.dialect import listen_for_changes

        try:
            listen_for_changes(
                self.store.url, self.heard, self._stopped, listening=self.listening.set
            )
        except Exception:  # never worth a traceback: the poll carries on without it
            logging.getLogger(__name__).exception("listening for the store's changes")


def _network_drive(store: Any) -> str | None:
    path = getattr(store, "path", None)
    if path is None:
        return None
    try:
        from store.dialect import network_filesystem

        return network_filesystem(path)
    except Exception:  # a look that cannot be made is no reason to stop the app
        return None


def toast_lines(entries: list[HistoryEntry], me: str | None) -> list[str]:
    """What to say about other people's changes: one line each, or one for many."""
    from store.history_queries import describe

    theirs = [e for e in entries if e.who != me]
    if not theirs:
        return []
    if len(theirs) <= TOASTS_AT_ONCE:
        return [describe(e, fields=False) for e in theirs]
    people = sorted({e.who for e in theirs})
    who = people[0] if len(people) == 1 else f"{len(people)} people"
    return [f"{who} made {len(theirs)} changes; the screen shows them now."]
