"""The connection to a store: one engine per process, a short transaction per command.

:class:`Store` is what every store function takes first. It knows the database (its URL,
its SQLite file), its transactions and who is writing; it does not read settings, seed
themes or create stores: :mod:`store.opening` opens (creating or upgrading) a store and
hands it what it needs, and :mod:`store.settings` keeps the store-wide choices.

SQLAlchemy is imported when the store is first used through it, not when this module is:
an up-to-date SQLite store opens with the standard library alone (see
:func:`store.opening.open_store`), so the app can draw its first screen while the rest loads.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_data_path

from store.creating import checkpoint, watch
from store.dates import today_from_env
from store.dialect import (
    begin_writing,
    engine_url,
    may_write,
    read_only_refusal,
    without_password,
)
from store.errors import StoreUnavailable
from store.identity import current_user

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.exc import OperationalError
    from sqlmodel import Session

APP_NAME = "visitprep"


@dataclass(frozen=True, slots=True)
class Change:
    """A record written by a committed transaction; ``op`` is "upsert" or "delete"."""

    kind: str
    id: int
    op: str


Listener = Callable[[list[Change]], None]
DemoDate = Callable[["Store"], date | None]  # reads the date a demo store is set on


def default_db_path() -> Path:
    """Where the store lives unless told otherwise: the user data directory."""
    return user_data_path(APP_NAME, appauthor=False) / "visitprep.db"


def resolve_url(target: str | os.PathLike[str] | None) -> str:
    """Turn ``--db`` / ``VISITPREP_DB`` (a file path or any SQLAlchemy URL) into a URL."""
    raw = os.fspath(target) if target is not None else os.environ.get("VISITPREP_DB", "")
    if not raw:
        return f"sqlite:///{default_db_path()}"
    if "://" in raw:
        return raw
    return f"sqlite:///{Path(raw).expanduser().resolve()}"


def plain_sqlite_path(url: str) -> Path | None:
    """The file behind a plain ``sqlite:///path`` URL, read without SQLAlchemy.

    ``None`` for anything else (another database, a ``file:`` URI, query arguments, an
    escaped character): those are left to SQLAlchemy's own reading of the URL.
    """
    prefix = "sqlite:///"
    rest = url.removeprefix(prefix)
    if rest == url or not rest or any(c in rest for c in "?#%") or rest.startswith("file:"):
        return None
    return None if rest == ":memory:" else Path(rest)


@dataclass
class _Tx:
    session: Session
    changes: list[Change] = field(default_factory=list)


_UNREAD = object()  # a setting not read yet (None is an answer: not a demo)


class Store:
    """An open visitprep store. Create it with :func:`store.opening.open_store`.

    Every public store function takes a ``Store`` first. Each call is one transaction,
    unless it runs inside ``with store.batch():``, which makes many calls one
    all-or-nothing transaction (used by the importers and the demo).

    ``demo_date`` reads the date a demo store is set on (asked once, when ``today`` is
    first wanted); without it the store is a council's own.
    """

    def __init__(
        self,
        url: str,
        today: date | None = None,
        *,
        engine: Engine | None = None,
        path: Path | None = None,
        user: str | None = None,
        demo_date: DemoDate | None = None,
    ) -> None:
        self.url = url
        self._user = user  # resolved on first write (store.identity)
        self._engine = engine
        self._path = path
        self._today = today
        self._read_demo_date = demo_date
        self._demo_date: date | object | None = _UNREAD if demo_date else None
        self._local = threading.local()
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, made on first use (one per store, shared by threads)."""
        engine = self._engine
        if engine is None:
            with self._lock:
                if self._engine is None:
                    sqlite = self.url.startswith("sqlite")
                    self._engine = make_engine(self.url, sqlite=sqlite)
                engine = self._engine
        return engine

    @property
    def user(self) -> str:
        """Who this program's writes are by, in the history (see :mod:`store.identity`)."""
        user = self._user
        if user is None:
            user = self._user = current_user()
        return user

    @user.setter
    def user(self, name: str | None) -> None:
        self._user = current_user(name)

    @property
    def read_only(self) -> bool:
        """Whether this program may only read the store (a read-only file or folder, or a
        database role that may only read). Every write then raises
        :class:`store.errors.ReadOnlyStore`; the app greys its write keys. Asked once."""
        answer: bool | None = getattr(self, "_read_only", None)
        if answer is None:
            answer = self._read_only = not may_write(self.engine, self._path, self.url)
        return answer

    @property
    def today(self) -> date:
        """The date overdue and stale are judged against (fixable for tests and demos)."""
        return self._today or today_from_env() or self.demo_date or date.today()

    @property
    def demo_date(self) -> date | None:
        """The date a demo store is set on, read once (None for a council's own store):
        a demo opens as at its own week unless a today is given or VISITPREP_TODAY set."""
        if self._demo_date is _UNREAD:
            assert self._read_demo_date is not None
            self._demo_date = self._read_demo_date(self)
        return self._demo_date  # type: ignore[return-value]

    @property
    def today_is_demo(self) -> bool:
        """Whether ``today`` is the demo's own date (the app says so: "Demo: as at ...")."""
        return self._today is None and today_from_env() is None and self.demo_date is not None

    def files_stamp(self) -> tuple[tuple[int, int] | None, ...] | None:
        """(modified, size) of the SQLite file and its write-ahead log: any commit, by
        anyone, changes one of them. ``None`` for a server database."""
        path = self._path
        if path is None:
            return None
        stamp: list[tuple[int, int] | None] = []
        for name in (path, path.with_name(path.name + "-wal")):
            try:
                info = name.stat()
            except OSError:
                stamp.append(None)
            else:
                stamp.append((info.st_mtime_ns, info.st_size))
        return tuple(stamp)

    @property
    def path(self) -> Path | None:
        """The SQLite file behind the store, or ``None`` for a server database."""
        return self._path

    def add_listener(self, listener: Listener) -> None:
        """Call ``listener`` with the changed records after each committed transaction."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    @contextmanager
    def batch(self) -> Iterator[Session]:
        """Run several store calls as one transaction: all of them land, or none does."""
        with self.transaction() as tx:
            yield tx.session

    @contextmanager
    def transaction(self) -> Iterator[_Tx]:
        """The transaction a store function writes in (joins an enclosing batch)."""
        current: _Tx | None = getattr(self._local, "tx", None)
        if current is not None:
            yield current
            return
        from sqlalchemy.exc import DBAPIError, OperationalError
        from sqlalchemy.orm.exc import StaleDataError
        from sqlmodel import Session

        from store.history import start_recording

        session = Session(self.engine, expire_on_commit=False)
        start_recording(session, self.user)  # every write lands with its history entries
        tx = _Tx(session)
        self._local.tx = tx
        try:
            begin_writing(session)  # SQLite: the write lock before the first read
            yield tx
            session.commit()
        except StaleDataError:
            session.rollback()
            from store.history_queries import stale_save  # loads SQLAlchemy, as above

            raise stale_save(self, session) from None
        except OperationalError as error:
            session.rollback()
            raise unavailable(error) from None
        except DBAPIError as error:
            session.rollback()
            refusal = read_only_refusal(error)
            if refusal is None:
                raise
            raise refusal from None
        except BaseException:
            session.rollback()
            raise
        finally:
            self._local.tx = None
            session.close()
        if tx.changes:
            for listener in list(self._listeners):
                listener(list(tx.changes))

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A short read-only session (joins an enclosing transaction)."""
        current: _Tx | None = getattr(self._local, "tx", None)
        if current is not None:
            yield current.session
            return
        from sqlalchemy.exc import OperationalError
        from sqlmodel import Session

        with Session(self.engine) as session:
            try:
                yield session
            except OperationalError as error:
                raise unavailable(error) from None

    def close(self) -> None:
        """Close every connection and fold the write-ahead log into the store file, so
        that the file alone holds everything (a copy of it is a whole backup)."""
        if self._engine is not None:
            self._engine.dispose()
        if self._path is not None:
            checkpoint(self._path)


def unavailable(error: OperationalError) -> StoreUnavailable:
    """The refusal to say for a database error: read-only, busy, or what the driver said."""
    text = str(error.orig) if error.orig else str(error)
    refusal = read_only_refusal(error)
    if refusal is not None:
        return refusal
    if "locked" in text:
        return StoreUnavailable("The store is busy (another program is writing to it); try again.")
    return StoreUnavailable(f"The store could not be used: {text}.")


def make_engine(url: str, *, sqlite: bool, pragmas: bool = True) -> Engine:
    """The store's engine; with ``pragmas``, every new SQLite connection gets the store's."""
    from sqlalchemy.engine import make_url
    from sqlmodel import create_engine

    connect_args = {"timeout": 5, "check_same_thread": False} if sqlite else {}
    target = engine_url(make_url(url))
    if target.get_backend_name() not in ("sqlite", "postgresql"):
        # 'mysql://...' or a typo ('postgresq://'): say what a store can be, not which
        # module or plugin SQLAlchemy could not load.
        raise StoreUnavailable(
            f"{without_password(url)} is neither a SQLite file nor a PostgreSQL database "
            "(postgresql://USER@SERVER/DBNAME): a store can be only one of those."
        )
    engine = create_engine(target, connect_args=connect_args)
    if sqlite and pragmas:
        listen_for_connections(engine)
    return engine


def listen_for_connections(engine: Engine) -> None:
    """Give every new SQLite connection of ``engine`` the store's pragmas."""
    from sqlalchemy import event

    event.listen(engine, "connect", _set_sqlite_pragmas)


def _set_sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    watch(dbapi_connection)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        # A read-only file cannot switch journal mode; reads still work.
        with contextlib.suppress(sqlite3.OperationalError):
            cursor.execute("PRAGMA journal_mode=WAL")
    finally:
        cursor.close()


def sqlite_path(database: str | None) -> Path | None:
    """The file behind a SQLite URL's database part (plain path or ``file:`` URI)."""
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    if database.startswith("file:"):
        return Path(database.removeprefix("file:").split("?", 1)[0])
    return Path(database)
