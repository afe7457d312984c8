"""Opening a store: one engine per process, a short transaction per command, migrations on open.

SQLAlchemy is imported when the store is first used through it, not when this module is:
an up-to-date SQLite store opens with the standard library alone (see :func:`open_store`),
so the app can draw its first screen while the rest loads.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_data_path

from store.dates import today_from_env
from store.errors import NewerStore, NotAStore, StoreUnavailable

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.exc import OperationalError
    from sqlmodel import Session

    from store.migrations import SchemaState

APP_NAME = "visitprep"
SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True, slots=True)
class Change:
    """A record written by a committed transaction; ``op`` is "upsert" or "delete"."""

    kind: str
    id: int
    op: str


Listener = Callable[[list[Change]], None]


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
    """An open visitprep store. Create it with :func:`open_store`.

    Every public store function takes a ``Store`` first. Each call is one transaction,
    unless it runs inside ``with store.batch():``, which makes many calls one
    all-or-nothing transaction (used by the importers and the demo).
    """

    def __init__(
        self,
        url: str,
        today: date | None = None,
        *,
        engine: Engine | None = None,
        path: Path | None = None,
        user: str | None = None,
    ) -> None:
        self.url = url
        self._user = user  # resolved on first write (store.identity)
        self._engine = engine
        self._path = path
        self._today = today
        self._demo_date: date | object | None = _UNREAD
        self._local = threading.local()
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        self._stale_days: int | None = None
        self._stale_stamp: object = None  # the SQLite files as they were when it was read

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, made on first use (one per store, shared by threads)."""
        engine = self._engine
        if engine is None:
            with self._lock:
                if self._engine is None:
                    sqlite = self.url.startswith("sqlite")
                    self._engine = _make_engine(self.url, sqlite=sqlite)
                engine = self._engine
        return engine

    @property
    def user(self) -> str:
        """Who this program's writes are by, in the history (see :mod:`store.identity`)."""
        user = self._user
        if user is None:
            from store.identity import current_user

            user = self._user = current_user()
        return user

    @user.setter
    def user(self, name: str | None) -> None:
        from store.identity import current_user

        self._user = current_user(name)

    @property
    def read_only(self) -> bool:
        """Whether this program may only read the store (a read-only file or folder, or a
        database role that may only read). Every write then raises
        :class:`store.errors.ReadOnlyStore`; the app greys its write keys. Asked once."""
        answer: bool | None = getattr(self, "_read_only", None)
        if answer is None:
            from store.dialect import may_write

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
            from store.settings import read_demo_date

            self._demo_date = read_demo_date(self)
        return self._demo_date  # type: ignore[return-value]

    @property
    def today_is_demo(self) -> bool:
        """Whether ``today`` is the demo's own date (the app says so: "Demo: as at ...")."""
        return self._today is None and today_from_env() is None and self.demo_date is not None

    @property
    def stale_days(self) -> int:
        """How old evidence with no review-by date may be before it is out of date, in
        days: the store's setting (:func:`store.settings.set_stale_days`).

        Kept once read; a SQLite store is read again once its files have changed, so a
        choice made by another program (``visitprep settings``) counts from the next
        read on (a server database is read again at most every two seconds).
        """
        stamp: object = self.files_stamp()
        if self._path is None:
            import time

            stamp = int(time.monotonic() // 2)
        days = self._stale_days
        if days is None or stamp != self._stale_stamp:
            from store.settings import read_stale_days

            self._stale_stamp = stamp  # before reading: a write during it shows next time
            days = self._stale_days = read_stale_days(self)
        return days

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

    def remember_stale_days(self, days: int) -> None:
        """Keep a newly chosen age (as the write that stores it commits)."""
        self._stale_days = days
        self._stale_stamp = self.files_stamp()

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
            from store.dialect import begin_writing

            begin_writing(session)  # SQLite: the write lock before the first read
            yield tx
            session.commit()
        except StaleDataError:
            session.rollback()
            from store.history_queries import stale_save

            raise stale_save(self, session) from None
        except OperationalError as error:
            session.rollback()
            raise _unavailable(error) from None
        except DBAPIError as error:
            session.rollback()
            from store.dialect import read_only_refusal

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
                raise _unavailable(error) from None

    def close(self) -> None:
        """Close every connection and fold the write-ahead log into the store file, so
        that the file alone holds everything (a copy of it is a whole backup)."""
        if self._engine is not None:
            self._engine.dispose()
        if self._path is not None:
            from store.creating import checkpoint

            checkpoint(self._path)


def _unavailable(error: OperationalError) -> StoreUnavailable:
    text = str(error.orig) if error.orig else str(error)
    from store.dialect import read_only_refusal

    refusal = read_only_refusal(error)
    if refusal is not None:
        return refusal
    if "locked" in text:
        return StoreUnavailable("The store is busy (another program is writing to it); try again.")
    return StoreUnavailable(f"The store could not be used: {text}.")


def _make_engine(url: str, *, sqlite: bool, pragmas: bool = True) -> Engine:
    """The store's engine; with ``pragmas``, every new SQLite connection gets the store's."""
    from sqlalchemy.engine import make_url
    from sqlmodel import create_engine

    from store.dialect import engine_url

    connect_args = {"timeout": 5, "check_same_thread": False} if sqlite else {}
    engine = create_engine(engine_url(make_url(url)), connect_args=connect_args)
    if sqlite and pragmas:
        _listen_for_connections(engine)
    return engine


def _listen_for_connections(engine: Engine) -> None:
    from sqlalchemy import event

    event.listen(engine, "connect", _set_sqlite_pragmas)


def _set_sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    from store.creating import watch

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


def _prepare_sqlite_file(path: Path) -> None:
    """Refuse a foreign file before SQLAlchemy touches it; make the folder of a new one.

    The store file itself is made whole elsewhere (:func:`store.creating.create_sqlite_store`).
    """
    if path.is_dir():
        raise NotAStore(f"{path} is a folder, not a visitprep store.")
    if path.exists():
        if path.stat().st_size == 0:
            return
        try:
            with path.open("rb") as handle:
                header = handle.read(len(SQLITE_MAGIC))
        except OSError as error:
            raise StoreUnavailable(f"Cannot read {path}: {error.strerror}.") from None
        if header != SQLITE_MAGIC:
            raise NotAStore(f"{path} is not a visitprep store (it is not a database file).")
        return
    if not path.parent.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreUnavailable(
                f"Cannot create the folder {path.parent}: {error.strerror}."
            ) from None


def open_store(
    target: str | os.PathLike[str] | None = None,
    *,
    today: date | None = None,
    create: bool = True,
    upgrade: bool = True,
    user: str | None = None,
) -> Store:
    """Open (creating or upgrading as needed) the store at a path or SQLAlchemy URL; its
    writes are ``user``'s in the history (default: see :mod:`store.identity`).

    See :func:`_open_store` for the rest.
    """
    store = _open_store(target, today=today, create=create, upgrade=upgrade)
    store._user = user or None
    return store


def _open_store(
    target: str | os.PathLike[str] | None = None,
    *,
    today: date | None = None,
    create: bool = True,
    upgrade: bool = True,
) -> Store:
    """Open (creating or upgrading as needed) the store at a path or SQLAlchemy URL.

    ``target`` defaults to ``VISITPREP_DB`` and then to the user data directory. A new
    SQLite file is created readable by its owner only. An older store is upgraded after
    a backup copy is written next to it. Raises :class:`NotAStore` for a file that is
    not ours, :class:`NewerStore` for a newer schema, :class:`StoreUnavailable` when it
    cannot be opened; in each case nothing is changed.
    """
    today_from_env()  # a wrong VISITPREP_TODAY is refused before anything is opened
    url = resolve_url(target)
    plain = plain_sqlite_path(url)
    if plain is not None and _is_current_sqlite(plain):
        # The everyday case: an up-to-date store opens without loading SQLAlchemy or
        # Alembic; the engine is made when something first asks for it.
        from store.creating import clean_leftovers

        clean_leftovers(plain)
        return Store(url, today, path=plain)
    if plain is None:
        from store.dialect import postgres_is_current

        # The same on PostgreSQL: one psycopg query, SQLAlchemy loaded when first used.
        if postgres_is_current(url, _scripts_head()):
            return Store(url, today)
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import DatabaseError, OperationalError

    try:
        parsed = make_url(url)
    except Exception:
        raise StoreUnavailable(f"'{url}' is neither a file path nor a database URL.") from None
    is_sqlite = parsed.get_backend_name() == "sqlite"
    shown = parsed.render_as_string(hide_password=True)  # never echo a password
    path = _sqlite_path(parsed.database) if is_sqlite else None
    if path is not None:
        if not create and not path.exists():
            raise StoreUnavailable(
                f"There is no store at {path}. Create one with 'visitprep demo' or open the app."
            )
        if parsed.database and parsed.database.startswith("file:") and not path.exists():
            raise StoreUnavailable(f"There is no store at {path}.")
        _prepare_sqlite_file(path)
        _create_sqlite_if_new(path, create=create)
    try:
        # The pragmas come once the file is known to be ours (WAL would rewrite a header).
        engine = _make_engine(url, sqlite=is_sqlite, pragmas=False)
    except Exception as error:
        from store.dialect import driver_missing, one_line

        missing = driver_missing(error, shown)
        if missing is not None:
            raise missing from None
        raise StoreUnavailable(
            f"Cannot open the database {shown}: {one_line(str(error))}."
        ) from None
    if path is not None and _is_current_sqlite(path):
        _listen_for_connections(engine)
        return Store(url, today, engine=engine, path=path)
    if path is None and not is_sqlite:
        from store.dialect import server_is_current

        # The everyday case on a server: one query says it is up to date (no Alembic).
        if server_is_current(engine, _scripts_head(), shown):
            return Store(url, today, engine=engine, path=None)
    from store import migrations  # only to create, upgrade or recognise a store

    try:
        # Look before touching: a file that is not ours is read without any pragma
        # (WAL would rewrite its header) and refused unchanged.
        state = _look(path, engine)
    except DatabaseError as error:
        engine.dispose()
        if path is not None:
            from store.creating import read_only_folder_url, unreadable

            frozen = read_only_folder_url(path)
            if frozen is not None:
                return _open_frozen(frozen, path, today)
            raise unreadable(path) from None
        from store.dialect import connection_problem

        raise connection_problem(error, shown) from None
    if is_sqlite:
        _listen_for_connections(engine)
    try:
        if state.kind == "foreign" and path is not None and _unfinished(path, state.tables):
            engine.dispose()
            if not create:
                raise StoreUnavailable(
                    f"{path} is a store whose creation was interrupted (it holds no records); "
                    "opening the app, 'visitprep demo' or an import makes it anew."
                )
            from store.creating import create_sqlite_store

            look_again = functools.partial(_unfinished_now, path)
            create_sqlite_store(path, _seed_themes, replace=look_again)
            return Store(url, today, path=path)
        if state.kind == "foreign":
            raise NotAStore(
                f"{path or shown} is a database, but not a visitprep store "
                f"(it has tables such as {', '.join(state.tables[:3])}). Nothing was changed."
            )
        if state.kind == "newer":
            raise NewerStore(
                f"{path or shown} was written by a newer visitprep (schema {state.revision}). "
                "Upgrade visitprep to open it; nothing was changed."
            )
        if state.kind == "old" and not upgrade:
            raise StoreUnavailable(
                f"{path or shown} was written by an older visitprep (schema {state.revision}); "
                "nothing was changed. Bring it up to date with 'visitprep upgrade' (or open "
                "it in the app), then run this again."
            )
        if state.kind == "empty" and not create:
            raise StoreUnavailable(
                f"{path or shown} holds no visitprep store yet; nothing was changed. Make one "
                "with 'visitprep demo', 'visitprep import' or the app."
            )
        if state.kind in ("old", "empty"):
            # One transaction: every migration (and a new store's themes) or none.
            seed = _seed_themes if state.kind == "empty" else None
            if path is not None:
                from store.creating import upgrade_sqlite_store

                upgrade_sqlite_store(path, functools.partial(_still_old, path), seed)
            else:
                migrations.upgrade(engine, then=seed)
    except OperationalError as error:
        engine.dispose()
        raise _unavailable(error) from None
    except BaseException:
        engine.dispose()
        raise
    return Store(url, today, engine=engine, path=path)


def _create_sqlite_if_new(path: Path, *, create: bool) -> None:
    """Build a missing (or 0-byte) store whole, in a temporary file renamed into place."""
    from store.creating import clean_leftovers, create_sqlite_store

    clean_leftovers(path)
    if path.exists() and path.stat().st_size > 0:
        return
    if not create:
        raise StoreUnavailable(
            f"{path} is an empty file, not a visitprep store; nothing was changed. "
            "Create a store with 'visitprep demo' or open the app."
            if path.exists()
            else f"There is no store at {path}. Create one with 'visitprep demo' or open the app."
        )
    create_sqlite_store(path, _seed_themes)


def _seed_themes(connection: Connection) -> None:
    """Give a new store its themes inside the transaction that made its tables."""
    from store.themes import seed_themes

    seed_themes(Store("sqlite://", engine=connection))  # type: ignore[arg-type]


def _look(path: Path | None, engine: Engine | None) -> SchemaState:
    """What the database holds, looked at without changing a byte of a file not ours
    (no pragma: WAL would rewrite its header). A write a crash interrupted (a hot
    ``-journal``) is first undone, as SQLite would on any open, so it is not mistaken
    for an unreadable file."""
    from sqlalchemy.exc import DatabaseError

    from store import migrations

    if path is None:
        assert engine is not None
        return migrations.schema_state(engine)
    try:
        return migrations.schema_state(_read_only_engine(path))
    except DatabaseError:
        from store.creating import roll_back_hot_journal

        if not roll_back_hot_journal(path):
            raise
    return migrations.schema_state(_read_only_engine(path))


def _open_frozen(url: str, path: Path, today: date | None) -> Store:
    """A store in a folder this program may only read, opened to read (writes are refused
    as read-only)."""
    from store import migrations

    engine = _make_engine(url, sqlite=True)
    state = migrations.schema_state(engine)
    if state.kind != "current":
        engine.dispose()
        raise StoreUnavailable(
            f"{path} needs upgrading to this visitprep, but it is in a folder that is "
            f"read-only here ({path.parent}). Open it once where the folder can be written."
        )
    return Store(url, today, engine=engine, path=path)


def _unfinished(path: Path, tables: list[str]) -> bool:
    from store.creating import unfinished_store

    return unfinished_store(path, tables)


def _unfinished_now(path: Path) -> bool:
    """Looked at again under the creation lock (another program may have finished it)."""
    state = _look(path, None)
    return state.kind == "foreign" and _unfinished(path, state.tables)


def _still_old(path: Path) -> str | None:
    """Looked at again under the upgrade lock: what to upgrade from ("empty" for a
    database with no tables), or None when another process has brought it up to date."""
    state = _look(path, None)
    if state.kind == "old":
        return state.revision
    return "empty" if state.kind == "empty" else None


_VERSIONS = Path(__file__).with_name("migrations") / "versions"
_REVISION_LINE = re.compile(
    r"""^(revision|down_revision)\s*=\s*(?:"(\w+)"|'(\w+)'|(None))\s*$""", re.M
)


@functools.cache
def _scripts_head() -> str | None:
    """The newest schema revision, read from the migration scripts' text (no Alembic).

    ``None`` when the scripts do not form one plain line of revisions (a merge, a file
    not understood): then the caller asks Alembic, which knows for sure.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    try:
        scripts = [p.read_text(encoding="utf-8") for p in _VERSIONS.glob("[0-9]*.py")]
    except OSError:
        return None
    for script in scripts:
        found: dict[str, str | None] = {
            m[0]: m[1] or m[2] or None for m in _REVISION_LINE.findall(script)
        }
        revision = found.get("revision")
        if not revision or "down_revision" not in found:
            return None
        revisions.add(revision)
        if found["down_revision"]:
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 and parents <= revisions else None


def _is_current_sqlite(path: Path) -> bool:
    """Whether the SQLite file is a visitprep store at the newest schema (read-only look)."""
    head = _scripts_head()
    if head is None or not path.exists() or path.stat().st_size == 0:
        return False
    try:
        connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:
        return False  # not ours, or unreadable: the full check says which, in words
    finally:
        connection.close()
    return rows == [(head,)]


def _sqlite_path(database: str | None) -> Path | None:
    """The file behind a SQLite URL's database part (plain path or ``file:`` URI)."""
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    if database.startswith("file:"):
        return Path(database.removeprefix("file:").split("?", 1)[0])
    return Path(database)


def _read_only_engine(path: Path) -> Engine:
    from sqlalchemy.pool import NullPool
    from sqlmodel import create_engine

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    return create_engine("sqlite://", creator=connect, poolclass=NullPool)


def table_names(engine: Engine) -> list[str]:
    from sqlalchemy import inspect

    return sorted(inspect(engine).get_table_names())
