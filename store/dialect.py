"""What differs between the two backends (SQLite and PostgreSQL), in one place.

Everything else in the store is written once, in SQL both understand. Here:

- the driver: a ``postgresql://`` URL means psycopg 3 (the ``postgres`` extra), and a
  missing driver is one line naming the extra;
- errors: a write refused because the store may only be read (a read-only file, a role
  that may only read, a read-only server) becomes :class:`ReadOnlyStore`; a connection
  problem is said in one line, never with a password;
- whether this program may write (:func:`may_write`);
- an insert that does nothing when the row is already there (:func:`insert_unless_taken`),
  so ticks and links are idempotent even when two people make them at once;
- whether a SQLite file sits on a network filesystem (:func:`network_filesystem`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from store.errors import ReadOnlyStore, StoreUnavailable

if TYPE_CHECKING:
    import threading
    from collections.abc import Callable

    from sqlalchemy.engine import URL, Engine
    from sqlmodel import Session

POSTGRES_EXTRA = "pip install 'visitprep[postgres]'"

# PostgreSQL SQLSTATEs: insufficient_privilege, read_only_sql_transaction.
_READ_ONLY_STATES = {"42501", "25006"}


def engine_url(url: URL) -> URL:
    """The URL SQLAlchemy is given: ``postgresql://`` and ``postgres://`` mean psycopg 3
    (SQLAlchemy would otherwise pick psycopg2, which visitprep does not install)."""
    if url.drivername in ("postgresql", "postgres"):
        return url.set(drivername="postgresql+psycopg")
    return url


def driver_missing(error: BaseException, shown: str) -> StoreUnavailable | None:
    """One line for a database driver that is not installed, naming how to get it."""
    if isinstance(error, StoreUnavailable):  # already said in one line
        return error
    name = getattr(error, "name", None) or ""
    if isinstance(error, ImportError) and name.split(".")[0] in ("psycopg", "psycopg2"):
        return StoreUnavailable(
            f"To use a PostgreSQL store ({shown}), install its driver: {POSTGRES_EXTRA}"
        )
    return None


def one_line(text: str) -> str:
    """A driver's message as one line (libpq's come on two or three, with tabs)."""
    lines = [" ".join(line.split()) for line in str(text).splitlines() if line.strip()]
    return " ".join(lines).rstrip(".")


def connection_problem(error: BaseException, shown: str) -> StoreUnavailable:
    """A database that could not be reached or logged into, in one line."""
    orig = getattr(error, "orig", None) or error
    text = one_line(str(orig))
    if "password authentication failed" in text or "no password supplied" in text:
        return StoreUnavailable(
            f"Cannot log in to {shown}: the server refused the user or password "
            "(set them in the URL, PGUSER / PGPASSWORD or ~/.pgpass)."
        )
    if "Connection refused" in text or "could not connect" in text or "timeout" in text:
        return StoreUnavailable(
            f"Cannot reach the database server for {shown}: is it running there? ({text})"
        )
    if "does not exist" in text and "database" in text:
        return StoreUnavailable(
            f"There is no database {shown} on that server: ask its administrator to create "
            "it (an empty database is enough; 'visitprep demo' or the app fills it)."
        )
    return StoreUnavailable(f"Cannot use the database {shown}: {text}.")


def read_only_refusal(error: BaseException) -> ReadOnlyStore | None:
    """:class:`ReadOnlyStore` when ``error`` is a write refused because this program may
    only read the store; ``None`` for any other error."""
    orig = getattr(error, "orig", None) or error
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    text = str(orig)
    if state in _READ_ONLY_STATES or "read-only transaction" in text:
        return ReadOnlyStore(
            "The store is read-only for you: your database role may read it but not "
            "change it (ask its administrator for write access). Nothing was changed."
        )
    if "readonly database" in text or "read-only" in text or "readonly" in text:
        return ReadOnlyStore(
            "The store is read-only here: the file (or its folder) may be read but not "
            "written; check its permissions. Nothing was changed."
        )
    return None


def may_write(engine: Engine, path: Path | None, url: str = "") -> bool:
    """Whether this program may write the store: for SQLite, the file and its folder are
    writable (and it is not opened ``mode=ro``); for PostgreSQL, the session is not
    read-only and the role may add to the history and change records."""
    if path is not None:
        if re.search(r"[?&]mode=ro\b", url):
            return False
        folder = path.parent
        return os.access(path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)
    if engine.dialect.name != "postgresql":
        return True
    from sqlalchemy import text

    with engine.connect() as connection:
        read_only = connection.execute(text("SHOW transaction_read_only")).scalar()
        if str(read_only).lower() == "on":
            return False
        allowed = connection.execute(
            text(
                "SELECT has_table_privilege('history', 'INSERT')"
                " AND has_table_privilege('action', 'UPDATE')"
                " AND has_table_privilege('evidence', 'INSERT')"
            )
        ).scalar()
    return bool(allowed)


def insert_unless_taken(session: Session, table: Any, values: dict[str, Any]) -> bool:
    """Insert one row unless its key is taken (``ON CONFLICT DO NOTHING``, which both
    backends understand); ``True`` when it was added. Two people ticking the same item at
    once both succeed (the history hears of it from :func:`store._common.insert_new`)."""
    bind = session.get_bind()
    table = getattr(table, "__table__", table)
    statement: Any
    if bind.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        statement = pg_insert(table).values(**values).on_conflict_do_nothing()
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = sqlite_insert(table).values(**values).on_conflict_do_nothing()
    # RETURNING says whether the row went in (psycopg's rowcount is -1 here).
    key = next(iter(table.primary_key.columns))
    return session.execute(statement.returning(key)).first() is not None


def is_unique_violation(error: BaseException) -> bool:
    orig = getattr(error, "orig", None) or error
    state = getattr(orig, "sqlstate", None)
    return state == "23505" or "UNIQUE constraint failed" in str(orig)


def is_foreign_key_violation(error: BaseException) -> bool:
    orig = getattr(error, "orig", None) or error
    state = getattr(orig, "sqlstate", None)
    return state == "23503" or "FOREIGN KEY constraint failed" in str(orig)


_NETWORK_TYPES = re.compile(
    r"^(nfs4?|cifs|smb2?|smbfs|ncpfs|afs|9p|fuse\.sshfs|davfs|fuse\.s3fs|glusterfs|ceph)$"
)


def network_filesystem(path: Path, mounts: str | None = None) -> str | None:
    """The filesystem type (``nfs``, ``cifs``...) when ``path`` sits on a network share,
    where SQLite's locking is unreliable and two people writing can corrupt the file; else
    ``None``. Read from /proc/mounts (the longest mount point containing the path)."""
    try:
        target = path.resolve()
    except OSError:
        return None
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    best: tuple[int, str] | None = None
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        fstype = parts[2]
        try:
            inside = target == Path(point) or target.is_relative_to(point)
        except ValueError:
            inside = False
        if inside and (best is None or len(point) > best[0]):
            best = (len(point), fstype)
    if best is not None and _NETWORK_TYPES.match(best[1]):
        return best[1]
    return None


def after_copy(connection: Any, tables: list[Any]) -> None:
    """After rows were copied in with their ids: PostgreSQL's id sequences are moved past
    the largest id, so the next record made gets a new one (SQLite needs nothing)."""
    if connection.dialect.name != "postgresql":
        return
    from sqlalchemy import text

    for table in tables:
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        sequence = connection.execute(
            text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table.name}
        ).scalar()
        if sequence:
            connection.execute(
                text(
                    f'SELECT setval(:seq, COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM "{table.name}"'
                ),
                {"seq": sequence},
            )


def claim_writes(session: Session) -> None:
    """Take the store's write lock now, first thing in a transaction, so that what the
    transaction reads next cannot change under it before it commits (an import deciding
    whose report it is, and whether the inspection is stored already). SQLite: a write
    statement that changes nothing takes the lock, waiting while another writer finishes;
    PostgreSQL: a transaction-scoped advisory lock, let go at commit or rollback."""
    from sqlalchemy import text

    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(7406001)"))
    else:
        session.execute(text("UPDATE setting SET value = value WHERE 0"))


def without_password(target: str | None) -> str | None:
    """``--db`` as it may be shown or suggested again: a URL loses its password (libpq
    finds it again in PGPASSWORD or ~/.pgpass); a path, or a URL with none, is unchanged."""
    if not target or "://" not in target:
        return target
    from sqlalchemy.engine import make_url

    try:
        url = make_url(target)
    except Exception:
        return target
    if url.password is None:
        return target
    # URL.set(password=None) would keep it ("not given"): replace the field itself.
    return url._replace(password=None).render_as_string(hide_password=False)


def begin_writing(session: Session) -> None:
    """Start a store write transaction. SQLite: ``BEGIN IMMEDIATE``, so the write lock is
    held from the first read of the transaction (pysqlite would begin only at the first
    write, leaving a read-then-write window for another writer); waits up to the busy
    timeout. PostgreSQL: nothing (rows are locked as they are read, store._common.fetch)."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite" or not hasattr(bind, "connect"):
        return  # not SQLite, or a connection already in a transaction (store creation)
    connection = session.connection()
    raw: Any = connection.connection.dbapi_connection
    if raw is not None and not raw.in_transaction:
        # Through SQLAlchemy, so that a lock not had within the busy timeout is its
        # OperationalError: "The store is busy ... try again", like any other write's.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def server_is_current(engine: Engine, head: str | None, shown: str) -> bool:
    """Whether a server database is a visitprep store at schema ``head``, asked with one
    query (the full look, with Alembic, is for anything else). A server that cannot be
    reached is said in one line here, as :func:`connection_problem` says it."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError, OperationalError

    if head is None:
        return False
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except OperationalError as error:
        if "alembic_version" in str(error.orig):
            return False
        engine.dispose()
        raise connection_problem(error, shown) from None
    except DBAPIError:
        return False  # no such table (empty, or not ours): the full look says which
    return [tuple(row) for row in rows] == [(head,)]


_POSTGRES_SCHEMES = ("postgresql://", "postgresql+psycopg://", "postgres://")


def postgres_conninfo(url: str) -> str | None:
    """The libpq URL psycopg is given for a PostgreSQL store's ``url`` (SQLAlchemy's
    ``postgresql+psycopg://`` spelling made plain); ``None`` for any other database."""
    if not url.startswith(_POSTGRES_SCHEMES):
        return None
    return "postgresql://" + url.split("://", 1)[1]


def pyformat(sql: str) -> str:
    """SQL written with ``:name`` parameters (sqlite3's and SQLAlchemy's style) in psycopg's
    ``%(name)s`` style, so that one text serves both drivers (it holds no ``%`` itself)."""
    assert "%" not in sql, "a literal % would need doubling for psycopg"
    return re.sub(r"(?<![:\w]):(\w+)", r"%(\1)s", sql)


def postgres_is_current(url: str, head: str | None) -> bool:
    """Whether ``url`` is a PostgreSQL visitprep store at schema ``head``, asked with
    psycopg alone (libpq reads the URL and PGHOST, PGPASSWORD, ~/.pgpass...), so that the
    app's everyday start does not wait for SQLAlchemy. ``False`` for anything else or any
    trouble: the full open then looks again and says what is wrong, in words."""
    conninfo = postgres_conninfo(url)
    if head is None or conninfo is None:
        return False
    try:
        import psycopg
    except ImportError:
        return False
    try:
        with psycopg.connect(conninfo, connect_timeout=10) as connection:
            rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except Exception:
        return False
    return rows == [(head,)]


# ------------------------------------------------------------------ others' writes, at once

# PostgreSQL's NOTIFY channel on which every committed write is announced. A channel is
# the database's own (another database's stores never hear it).
CHANGES_CHANNEL = "visitprep_changes"


def announce_changes(connection: Any) -> None:
    """Tell every program listening on this PostgreSQL store that the transaction on
    ``connection`` (a SQLAlchemy connection) wrote something: ``NOTIFY``, delivered when
    it commits and never if it rolls back, in the same transaction as the history entry
    that moves the change counter. SQLite has no such thing (its apps keep polling)."""
    if connection.dialect.name != "postgresql":
        return
    from sqlalchemy import text

    connection.execute(text(f"NOTIFY {CHANGES_CHANNEL}"))


def listen_for_changes(
    url: str,
    heard: Callable[[], None],
    stopped: threading.Event,
    *,
    listening: Callable[[], None] | None = None,
    wait: float = 1.0,
) -> None:
    """Until ``stopped`` is set, call ``heard()`` soon after anyone commits a write to the
    PostgreSQL store at ``url`` (:func:`announce_changes`); returns at once for any other
    database. Runs in a thread of its own, on its own psycopg connection: ``LISTEN``
    needs no write rights, so a role that may only read hears writes too.
    ``listening()`` is called each time the connection is listening (again).

    A lost connection is made again after a pause (the change counter's poll covers the
    gap; a write made meanwhile is heard as one call, so that the caller looks once).
    Each wait lasts at most ``wait`` seconds, so ``stopped`` is noticed that quickly.
    """
    conninfo = postgres_conninfo(url)
    if conninfo is None:
        return
    try:
        import psycopg
    except ImportError:
        return
    pause = wait
    while not stopped.is_set():
        try:
            with psycopg.connect(conninfo, autocommit=True, connect_timeout=10) as connection:
                connection.execute(f"LISTEN {CHANGES_CHANNEL}")
                if listening is not None:
                    listening()
                pause = wait
                while not stopped.is_set():
                    if not list(connection.notifies(timeout=wait, stop_after=1)):
                        continue
                    list(connection.notifies(timeout=0.05))  # a burst of writes: one call
                    if not stopped.is_set():
                        heard()
        except psycopg.Error:
            stopped.wait(pause)  # the server went away: try again, less often each time
            pause = min(pause * 2, 30.0)
