"""Opening a store: find it, refuse what is not ours, create or upgrade it, hand it over.

:func:`open_store` is the one way in. It looks before it touches (a file that is not a
visitprep store, or one written by a newer visitprep, is refused unchanged), builds a new
SQLite store whole (:mod:`store.creating`) with its themes (:mod:`store.themes`), upgrades
an older one after a backup copy, and gives the :class:`~store.database.Store` it returns
what it needs to know (how to read a demo's date, :mod:`store.settings`). The connection
object itself knows none of this.

The everyday case, an up-to-date store, is told from the migration scripts' text and one
query, without loading SQLAlchemy or Alembic: the app can draw its first screen while the
rest loads. Alembic (:mod:`store.migrations`) and the models are imported only to create,
upgrade or recognise a store.
"""

from __future__ import annotations

import functools
import os
import re
import sqlite3
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from store.creating import (
    clean_leftovers,
    create_sqlite_store,
    read_only_folder_url,
    roll_back_hot_journal,
    unfinished_store,
    unreadable,
    upgrade_sqlite_store,
)
from store.database import (
    Store,
    listen_for_connections,
    make_engine,
    plain_sqlite_path,
    resolve_url,
    sqlite_path,
    unavailable,
)
from store.dates import today_from_env
from store.dialect import (
    connection_problem,
    driver_missing,
    one_line,
    postgres_is_current,
    server_is_current,
)
from store.errors import NewerStore, NotAStore, StoreUnavailable
from store.settings import read_demo_date

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

    from store.migrations import SchemaState

SQLITE_MAGIC = b"SQLite format 3\x00"


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
    writes are ``user``'s in the history (default: see :mod:`store.identity`), and it is
    judged as at ``today`` (default: see :attr:`Store.today`).

    ``target`` defaults to ``VISITPREP_DB`` and then to the user data directory. A new
    SQLite file is created readable by its owner only. An older store is upgraded after
    a backup copy is written next to it. Raises :class:`NotAStore` for a file that is
    not ours, :class:`NewerStore` for a newer schema, :class:`StoreUnavailable` when it
    cannot be opened; in each case nothing is changed.
    """
    found = _open(target, create=create, upgrade=upgrade)
    return Store(
        found.url, today, engine=found.engine, path=found.path, user=user or None,
        demo_date=read_demo_date,
    )  # fmt: skip


class _Found(NamedTuple):
    """The database :func:`_open` found up to date: its URL, the engine when one was made
    on the way (else it is made on first use), the SQLite file (None for a server)."""

    url: str
    engine: Engine | None
    path: Path | None


def _open(target: str | os.PathLike[str] | None, *, create: bool, upgrade: bool) -> _Found:
    """The store at ``target``, made up to date (or refused): see :func:`open_store`."""
    today_from_env()  # a wrong VISITPREP_TODAY is refused before anything is opened
    url = resolve_url(target)
    plain = plain_sqlite_path(url)
    if plain is not None and _is_current_sqlite(plain):
        # The everyday case: an up-to-date store opens without loading SQLAlchemy or
        # Alembic; the engine is made when something first asks for it.
        clean_leftovers(plain)
        return _Found(url, None, plain)
    # The same on PostgreSQL: one psycopg query, SQLAlchemy loaded when first used.
    if plain is None and postgres_is_current(url, _scripts_head()):
        return _Found(url, None, None)
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import DatabaseError, OperationalError

    try:
        parsed = make_url(url)
    except Exception:
        raise StoreUnavailable(f"'{url}' is neither a file path nor a database URL.") from None
    is_sqlite = parsed.get_backend_name() == "sqlite"
    shown = parsed.render_as_string(hide_password=True)  # never echo a password
    path = sqlite_path(parsed.database) if is_sqlite else None
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
        engine = make_engine(url, sqlite=is_sqlite, pragmas=False)
    except Exception as error:
        missing = driver_missing(error, shown)
        if missing is not None:
            raise missing from None
        raise StoreUnavailable(
            f"Cannot open the database {shown}: {one_line(str(error))}."
        ) from None
    if path is not None and _is_current_sqlite(path):
        listen_for_connections(engine)
        return _Found(url, engine, path)
    # The everyday case on a server: one query says it is up to date (no Alembic).
    if path is None and not is_sqlite and server_is_current(engine, _scripts_head(), shown):
        return _Found(url, engine, None)
    from store import migrations  # only to create, upgrade or recognise a store

    try:
        # Look before touching: a file that is not ours is read without any pragma
        # (WAL would rewrite its header) and refused unchanged.
        state = _look(path, engine)
    except DatabaseError as error:
        engine.dispose()
        if path is not None:
            frozen = read_only_folder_url(path)
            if frozen is not None:
                return _open_frozen(frozen, path)
            raise unreadable(path) from None
        raise connection_problem(error, shown) from None
    if is_sqlite:
        listen_for_connections(engine)
    try:
        if state.kind == "foreign" and path is not None and _unfinished(path, state.tables):
            engine.dispose()
            if not create:
                raise StoreUnavailable(
                    f"{path} is a store whose creation was interrupted (it holds no records); "
                    "opening the app, 'visitprep demo' or an import makes it anew."
                )
            look_again = functools.partial(_unfinished_now, path)
            create_sqlite_store(path, _seed_themes, replace=look_again)
            return _Found(url, None, path)
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
                upgrade_sqlite_store(path, functools.partial(_still_old, path), seed)
            else:
                migrations.upgrade(engine, then=seed)
    except OperationalError as error:
        engine.dispose()
        raise unavailable(error) from None
    except BaseException:
        engine.dispose()
        raise
    return _Found(url, engine, path)


def _create_sqlite_if_new(path: Path, *, create: bool) -> None:
    """Build a missing (or 0-byte) store whole, in a temporary file renamed into place."""
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
    from store.themes import seed_new_store  # the models: only for a new store

    seed_new_store(connection)


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
        if not roll_back_hot_journal(path):
            raise
    return migrations.schema_state(_read_only_engine(path))


def _open_frozen(url: str, path: Path) -> _Found:
    """A store in a folder this program may only read, opened to read (writes are refused
    as read-only)."""
    from store import migrations

    engine = make_engine(url, sqlite=True)
    state = migrations.schema_state(engine)
    if state.kind != "current":
        engine.dispose()
        raise StoreUnavailable(
            f"{path} needs upgrading to this visitprep, but it is in a folder that is "
            f"read-only here ({path.parent}). Open it once where the folder can be written."
        )
    return _Found(url, engine, path)


def _unfinished(path: Path, tables: list[str]) -> bool:
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


def _read_only_engine(path: Path) -> Engine:
    from sqlalchemy.pool import NullPool
    from sqlmodel import create_engine

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    return create_engine("sqlite://", creator=connect, poolclass=NullPool)
