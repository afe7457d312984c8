"""One search index per open store: loaded or built on first use, kept current by writes.

* First use: the index saved next to a SQLite store (``<store>.search``, owner-only) is
  loaded if its fingerprint still matches the store; otherwise every record is read and
  the index built (a few seconds at 100,000 records), then saved.
* Writes through this process: ``store.add_listener`` hands over the changed records;
  the listener only queues them (it runs on the writing thread, often the UI's), and the
  next search re-reads just those records.
* Writes by another process (``visitprep import`` while the app is open): at most every
  few seconds the store's files are looked at (``stat``, microseconds); only when they
  changed is the fingerprint read (a scan, ~0.1 s at 100,000 records), and if it differs
  from the index's the index is rebuilt.

Thread-safe: a worker thread may search while another thread writes to the store.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import threading
import time
import weakref
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from store.collector import collector_paused
from store.database import Change, Store
from store.search import documents
from store.search.index import SearchHit, SearchIndex

_RECHECK_SECONDS = 3.0
_SUFFIX = ".search"
_MAGIC = b"visitprep-search-1\n"


class StoreSearch:
    """The search index of one open store. Get it with :func:`index_for`."""

    def __init__(self, store: Store) -> None:
        self._store_ref = weakref.ref(store)
        self._lock = threading.RLock()
        self._pending_lock = threading.Lock()
        self._pending: list[Change] = []
        self._index: SearchIndex | None = None
        self._known: tuple[float, ...] | None = None  # fingerprint the index matches
        self._checked = 0.0
        self._stamp: tuple[tuple[int, int] | None, ...] | None = None  # files when checked
        self._own_stamp: tuple[tuple[int, int] | None, ...] | None = None  # after our write
        self._dirty = False
        self.loaded_from_cache = False
        store.add_listener(self._on_change)

    @property
    def _store(self) -> Store:
        store = self._store_ref()
        if store is None:
            raise RuntimeError("the store was closed")
        return store

    @property
    def cache_path(self) -> Path | None:
        """Where the index is saved: next to a SQLite store; for a server database, in this
        user's cache folder, keyed by the database (its URL without the password)."""
        path = self._store.path
        if path is not None:
            return path.with_name(path.name + _SUFFIX)
        import hashlib

        from platformdirs import user_cache_path

        from store.dialect import without_password

        key = (without_password(self._store.url) or "").encode()
        name = hashlib.sha256(key).hexdigest()[:24] + _SUFFIX
        return user_cache_path("visitprep", appauthor=False) / "search" / name

    def _on_change(self, changes: list[Change]) -> None:
        stamp = self._store.files_stamp()  # the files as our own commit left them
        with self._pending_lock:
            self._pending.extend(changes)
            self._own_stamp = stamp

    # ------------------------------------------------------------------ state

    def index(self) -> SearchIndex:
        """The up-to-date index (loading, building or catching up as needed)."""
        with self._lock:
            if self._index is None:
                self._open()
            elif self._pending_changes():
                self._catch_up()
            elif time.monotonic() - self._checked > _RECHECK_SECONDS:
                self._check_outside_writes()
            assert self._index is not None
            return self._index

    def _pending_changes(self) -> bool:
        with self._pending_lock:
            return bool(self._pending)

    def _open(self) -> None:
        with self._pending_lock:
            self._pending.clear()  # the full read below sees them all
        self._stamp = self._store.files_stamp()  # before reading: a write during it shows next time
        # The index holds no reference cycles; it lives as long as the store is open.
        with collector_paused(freeze_after=True), self._store.reading() as session:
            current = documents.fingerprint(session)
            loaded = self._load(current)
            if loaded is None:
                loaded = SearchIndex.build(documents.all_docs(session))
                self._index, self._known = loaded, current
                self.loaded_from_cache = False
                self._dirty = True
                self.save()
            else:
                self._index, self._known = loaded, current
                self.loaded_from_cache = True
        self._checked = time.monotonic()

    def _catch_up(self) -> None:
        with self._pending_lock:
            changes, self._pending = self._pending, []
        upserts: dict[str, set[int]] = {kind: set() for kind in documents.SEARCHED_KINDS}
        deletes: list[tuple[str, int]] = []
        assert self._index is not None
        with self._store.reading() as session:
            for change in changes:
                if change.kind == "theme":
                    for kind, themed in documents.ids_with_theme(session, change.id).items():
                        upserts[kind].update(themed)
                elif change.kind not in upserts:
                    continue
                elif change.op == "delete":
                    deletes.append((change.kind, change.id))
                    upserts[change.kind].discard(change.id)
                else:
                    upserts[change.kind].add(change.id)
                    if change.kind == "source":
                        upserts["finding"].update(
                            documents.finding_ids_of_source(session, change.id)
                        )
            for kind, record_id in deletes:
                self._index.remove(kind, record_id)
            for kind, ids in upserts.items():
                found = set()
                for doc in documents.read_docs(session, kind, ids):
                    self._index.upsert(doc)
                    found.add(doc.id)
                for missing in ids - found:  # written, then deleted, before we looked
                    self._index.remove(kind, missing)
        # Our own writes changed the fingerprint: take it afresh at the next check or save
        # (a full scan of the searched columns, ~0.1 s at 100,000 records: not per write).
        self._known = None
        self._dirty = True
        self._checked = time.monotonic()
        _remember_to_save(self)

    def _check_outside_writes(self) -> None:
        self._checked = time.monotonic()
        if self._store.path is None:
            # A server database: its change counter (in the fingerprint) says whether
            # anyone wrote; one indexed read every few seconds.
            with self._store.reading() as session:
                current = documents.fingerprint(session)
            if self._known is not None and current != self._known and not self._pending_changes():
                self._index = None
                self._open()
            return
        stamp = self._store.files_stamp()
        with self._pending_lock:
            own = self._own_stamp
        if stamp in (self._stamp, own):
            # Nobody wrote since the last look, or only we did (and the index has our
            # writes): no need to read the store.
            self._stamp = stamp
            return
        self._stamp = stamp
        with self._store.reading() as session:
            current = documents.fingerprint(session)
        if self._known is None or current != self._known:
            # Someone else wrote (after our own writes, whose fingerprint is not known
            # yet: nothing to compare with, so the index is read afresh).
            self._index = None
            self._open()

    # ------------------------------------------------------------------ saving

    def _load(self, current: tuple[float, ...]) -> SearchIndex | None:
        path = self.cache_path
        if path is None:
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        header, _, rest = data.partition(b"\n\n")
        if not data.startswith(_MAGIC) or header[len(_MAGIC) :].decode(errors="replace") != repr(
            current
        ):
            return None
        try:
            return SearchIndex.from_bytes(rest)
        except ValueError:
            return None

    def save(self) -> Path | None:
        """Write the index next to the store if it changed since it was read (SQLite only)."""
        with self._lock:
            path = self.cache_path
            if path is None or self._index is None or not self._dirty:
                return None
            if self._pending_changes():
                self._catch_up()
            if self._known is None:
                self._check_outside_writes()  # a write by another program: read afresh
            if self._known is None:
                with self._store.reading() as session:
                    self._known = documents.fingerprint(session)
            payload = _MAGIC + repr(self._known).encode() + b"\n\n" + self._index.to_bytes()
            temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)  # the cache folder, first time
                fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "wb") as handle:
                    handle.write(payload)
                os.replace(temporary, path)
            except OSError:
                # A read-only folder only costs a rebuild next time.
                with contextlib.suppress(OSError):
                    temporary.unlink()
                return None
            self._dirty = False
            return path

    def search(
        self, query: str, *, limit: int = 50, kinds: Iterable[str] | None = None
    ) -> list[SearchHit]:
        store = self._store
        hits = self.index().search(query, limit=limit, kinds=kinds, today=store.today)
        if any(hit.kind in ("finding", "source") for hit in hits):
            # Each hit says whether it is another council's, so that it can show whose it
            # is: one look at a few source titles, not a field in the index kept in step.
            with store.reading() as session:
                theirs = set(documents.other_council_source_titles(session))
            if theirs:
                hits = [
                    replace(hit, ours=False)
                    if hit.kind in ("finding", "source") and hit.source in theirs
                    else hit
                    for hit in hits
                ]
        return hits


_INDEXES: weakref.WeakKeyDictionary[Store, StoreSearch] = weakref.WeakKeyDictionary()
_INDEXES_LOCK = threading.Lock()
_UNSAVED: weakref.WeakSet[StoreSearch] = weakref.WeakSet()


def _remember_to_save(index: StoreSearch) -> None:
    _UNSAVED.add(index)


@atexit.register
def _save_all() -> None:
    for index in list(_UNSAVED):
        with contextlib.suppress(Exception):
            index.save()


def index_for(store: Store) -> StoreSearch:
    """The one search index of ``store`` (created on first call, not yet loaded)."""
    with _INDEXES_LOCK:
        existing = _INDEXES.get(store)
        if existing is None:
            existing = _INDEXES[store] = StoreSearch(store)
        return existing


def search(
    store: Store,
    query: str,
    *,
    limit: int = 50,
    kind: str | Iterable[str] | None = None,
) -> list[SearchHit]:
    """Search everything in ``store``: findings, actions, evidence and sources.

    ``query`` is what the user typed, typos and all, with optional filters
    (``kind:finding theme:mash brag:red source:haringey overdue``; see
    :func:`store.search.parse_query`). ``kind`` narrows to one kind (or several), e.g. for
    a link picker. Returns at most ``limit`` hits, best first; each carries the record's
    kind and id, its title and a one-line snippet with the spans to highlight.

    The first call on a store loads or builds its index (seconds at 100,000 records):
    call it from a worker thread, or call :func:`warm` from one at start-up.
    """
    kinds = [kind] if isinstance(kind, str) else kind
    return index_for(store).search(query, limit=limit, kinds=kinds)


def warm(store: Store) -> None:
    """Load or build the store's index now, so that the first search is instant."""
    index_for(store).index()


def save(store: Store) -> Path | None:
    """Save the store's index next to it if it changed (done at exit anyway)."""
    return index_for(store).save()
