"""A SQLite store appears whole or not at all: creation, upgrades, leftovers, backups.

- A new store is built, migrated and seeded in a temporary file in the same folder
  (``.NAME.new-PID.tmp``), then renamed into place: a crash leaves no file or a whole store.
- An upgrade runs in one transaction with SQLite's transactional DDL really inside it
  (pysqlite would otherwise run each ``CREATE``/``ALTER`` in autocommit): a crash at any
  statement leaves the old store or the new one. The copy kept before an upgrade is
  written once per schema version, not once per attempt.
- Two processes creating or upgrading the same store take turns: the second waits on a
  lock file (``.NAME.lock``) and then finds the work done.
- Temporary files an earlier crash left behind (``.NAME.new-PID.tmp``,
  ``.NAME.demo-PID.tmp``, ``.NAME.backup-PID.tmp`` and their ``-wal``/``-shm``/``-journal``)
  are removed once the process that wrote them is gone.
- ``VISITPREP_CRASH_AT=N`` (crash trials only) kills the process with SIGKILL just
  before its Nth SQL statement; ``VISITPREP_CRASH_COUNT=FILE`` writes how many
  statements a run made (see ``bench/crash_trials.py``).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import signal
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from store.errors import Conflict, NotAStore, StoreUnavailable, ValidationError
from store.wording import Option, phrase

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

    from store.database import Store

SIDECARS = ("-wal", "-shm", "-journal")
# Temporary stores written next to NAME: by store creation, the demo and backups.
_LEFTOVER = re.compile(
    r"^\.(?P<name>.+)\.(?:new|demo|backup)-(?P<pid>\d+)\.tmp(?:-wal|-shm|-journal)?$"
)
LOCK_WAIT_SECONDS = 120.0


# --------------------------------------------------------------------- crash trials


class _StatementCounter:
    """Counts SQL statements across every connection of the process (crash trials)."""

    def __init__(self) -> None:
        at = os.environ.get("VISITPREP_CRASH_AT", "")
        self.kill_at = int(at) if at.isdigit() else 0
        self.count_file = os.environ.get("VISITPREP_CRASH_COUNT", "")
        self.active = bool(self.kill_at or self.count_file)
        self.count = 0
        self._lock = threading.Lock()
        if self.count_file:
            atexit.register(self._write_count)

    def __call__(self, _statement: str) -> None:
        with self._lock:
            self.count += 1
            if self.count == self.kill_at:
                os.kill(os.getpid(), signal.SIGKILL)

    def _write_count(self) -> None:
        with contextlib.suppress(OSError):
            Path(self.count_file).write_text(str(self.count))


_COUNTER = _StatementCounter()


def watch(connection: sqlite3.Connection) -> None:
    """In a crash trial, count (and maybe die at) each statement on this connection."""
    if _COUNTER.active:
        connection.set_trace_callback(_COUNTER)


# ------------------------------------------------------------------------ leftovers


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":  # os.kill(pid, 0) would end the process there: assume it runs
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process
    return True


def clean_leftovers(path: Path) -> list[Path]:
    """Remove the temporary stores a crashed visitprep left next to ``path``.

    Only files named for this store whose writing process has ended are removed (a
    demo being built right now is left alone). Returns what could not be removed.
    """
    stuck: list[Path] = []
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return stuck
    for entry in entries:
        found = _LEFTOVER.match(entry.name)
        if found is None or found["name"] != path.name or _alive(int(found["pid"])):
            continue
        try:
            os.unlink(entry.path)
        except FileNotFoundError:
            pass
        except OSError:
            stuck.append(Path(entry.path))
    _remove_stale_lock(path)
    return stuck


def _remove_stale_lock(path: Path) -> None:
    """A lock file whose holder was killed: removed once nobody holds it (a process that
    opened it meanwhile sees it replaced and takes the lock again, see :func:`store_lock`)."""
    lock_path = path.with_name(f".{path.name}.lock")
    if not lock_path.exists():
        return
    try:
        fd = os.open(lock_path, os.O_RDWR)
    except OSError:
        return
    try:
        if _try_lock(fd):
            with contextlib.suppress(OSError):
                if os.fstat(fd).st_ino == os.stat(lock_path).st_ino:
                    os.unlink(lock_path)
            _unlock(fd)
    finally:
        os.close(fd)


def remove_with_sidecars(path: Path) -> None:
    for target in (path, *(path.with_name(path.name + s) for s in SIDECARS)):
        with contextlib.suppress(FileNotFoundError):
            target.unlink()


def temporary_beside(path: Path, what: str) -> Path:
    """``.NAME.WHAT-PID.tmp`` next to ``path``: recognised and cleaned after a crash."""
    return path.with_name(f".{path.name}.{what}-{os.getpid()}.tmp")


# ----------------------------------------------------------------------------- lock


def _folder_error(path: Path, error: OSError, doing: str) -> StoreUnavailable:
    if not path.parent.exists():
        return StoreUnavailable(f"The folder {path.parent} does not exist.")
    if not os.access(path.parent, os.W_OK) or error.errno in (1, 13, 30):
        return StoreUnavailable(
            f"The folder {path.parent} is read-only here: {doing} needs to write in it."
        )
    return StoreUnavailable(f"Cannot write in {path.parent} ({doing}): {error.strerror}.")


@contextmanager
def store_lock(path: Path, doing: str = "creating the store") -> Iterator[None]:
    """Hold ``.NAME.lock`` next to the store: one process creates or upgrades it at a time.

    A second process waits (up to two minutes, then says the store is busy). The lock
    file is removed by whoever holds it last; a file left by a crash is simply reused.
    """
    lock_path = path.with_name(f".{path.name}.lock")
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            raise _folder_error(path, error, doing) from None
        try:
            if _try_lock(fd):
                try:
                    same = os.fstat(fd).st_ino == os.stat(lock_path).st_ino
                except FileNotFoundError:
                    same = False
                if same:  # not a file its last holder removed while we waited
                    break
                _unlock(fd)
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
        if time.monotonic() > deadline:
            raise StoreUnavailable(
                f"{path} is busy: another visitprep has been creating or upgrading it for "
                "two minutes. Try again when it has finished."
            )
        time.sleep(0.05)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock_path)
        _unlock(fd)
        os.close(fd)


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:
        import msvcrt

        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        return
    fcntl.flock(fd, fcntl.LOCK_UN)


# ---------------------------------------------------------------- transactional DDL


def ddl_engine(path: Path) -> Engine:
    """An engine whose transactions really hold DDL (SQLAlchemy's pysqlite recipe).

    pysqlite is told to issue no BEGIN/COMMIT of its own (``isolation_level = None``) and
    SQLAlchemy's begin emits ``BEGIN IMMEDIATE``, so every ``CREATE``/``ALTER``/``DROP``
    of a migration sits in the one transaction and is rolled back with it. Foreign keys
    are off while tables are rebuilt (Alembic batch operations) and checked at the end.
    """
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool

    def connect() -> sqlite3.Connection:
        connection = sqlite3.connect(path, timeout=30, isolation_level=None)
        connection.execute("PRAGMA foreign_keys=OFF")
        watch(connection)
        return connection

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def create_sqlite_store(
    path: Path,
    seed: Callable[[Connection], None],
    *,
    replace: Callable[[], bool] | None = None,
) -> bool:
    """Build a new store at ``path`` (missing or a 0-byte file) in one step; with
    ``replace``, also over a file for which it says yes (looked at under the lock).

    Returns False when another process made the store while this one waited for it.
    """
    from store import migrations

    with store_lock(path):
        if path.exists() and path.stat().st_size > 0 and not (replace and replace()):
            return False
        clean_leftovers(path)
        temporary = temporary_beside(path, "new")
        remove_with_sidecars(temporary)
        try:
            try:
                os.close(os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            except OSError as error:
                raise _folder_error(path, error, "creating the store") from None
            engine = ddl_engine(temporary)
            try:
                migrations.upgrade(engine, then=seed)
            finally:
                engine.dispose()
            _fsync(temporary)
            for stale in (path.with_name(path.name + s) for s in SIDECARS):
                stale.unlink(missing_ok=True)  # the old file's: never replayed into the new
            try:
                os.replace(temporary, path)
            except OSError as error:
                raise _folder_error(path, error, "creating the store") from None
            _fsync(path.parent)
        except BaseException:
            remove_with_sidecars(temporary)
            raise
    return True


def upgrade_sqlite_store(
    path: Path, still_old: Callable[[], str | None], seed: Callable[[Connection], None] | None
) -> None:
    """Upgrade the store at ``path`` in one transaction, after a backup copy (once per
    version). ``still_old`` looks again under the lock: the revision to upgrade from, or
    None when another process has already done it."""
    from store import migrations

    with store_lock(path, "upgrading the store"):
        revision = still_old()
        if revision is None:
            return
        if revision != "empty":
            backup_once(path, revision)
        engine = ddl_engine(path)
        try:
            migrations.upgrade(engine, then=seed)
        finally:
            engine.dispose()


def _fsync(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# -------------------------------------------------------------------------- backups


def backup_once(path: Path, revision: str) -> Path:
    """The copy kept before upgrading from ``revision``: written once, however many
    attempts the upgrade takes (an earlier attempt's whole copy is reused)."""
    prefix = f"{path.name}.backup-{revision}-"
    for earlier in sorted(path.parent.glob(f"{glob_escape(prefix)}*")):
        if not earlier.name.endswith(SIDECARS):
            return earlier
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return copy_sqlite(path, path.with_name(f"{prefix}{stamp}"))


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def copy_sqlite(source: Path, target: Path) -> Path:
    """A consistent copy of the store at ``source`` written to ``target`` with SQLite's
    online backup API (safe while other programs have it open), via a temporary file
    renamed into place, readable by its owner only."""
    temporary = temporary_beside(target, "backup")
    clean_leftovers(target)
    remove_with_sidecars(temporary)
    try:
        reader = sqlite3.connect(f"{source.absolute().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            watch(reader)
            os.close(os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            writer = sqlite3.connect(temporary)
            try:
                reader.backup(writer)
                writer.execute("PRAGMA journal_mode=DELETE")
            finally:
                writer.close()
        finally:
            reader.close()
        _fsync(temporary)
        os.replace(temporary, target)
    except BaseException:
        remove_with_sidecars(temporary)
        raise
    return target


def in_wal_mode(path: Path) -> bool:
    """Whether the file's header says write-ahead logging (which needs ``-wal``/``-shm``
    files beside it even to be read)."""
    try:
        with path.open("rb") as handle:
            header = handle.read(20)
    except OSError:
        return False
    return len(header) == 20 and header[18] == 2


def checkpoint(path: Path) -> None:
    """Fold the write-ahead log into the store file, so that the file alone holds
    everything (a lead copies ``visitprep.db``, not its ``-wal``).

    Nothing is touched when the log is empty (a command that only read leaves the file's
    bytes as they were). Best effort: a store another program has open keeps what that
    program writes in its log until it closes it (``visitprep backup`` copies it whole)."""
    wal = path.with_name(path.name + "-wal")
    try:
        if wal.stat().st_size == 0:
            return
    except OSError:
        return
    with contextlib.suppress(sqlite3.Error, OSError):
        connection = sqlite3.connect(path, timeout=0.1)  # never keeps a command waiting
        try:
            watch(connection)
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()


def roll_back_hot_journal(path: Path) -> bool:
    """Let SQLite undo a write a crash interrupted (a ``-journal`` beside the file), which
    a read-only look cannot do. Returns whether there was one to undo."""
    journal = path.with_name(path.name + "-journal")
    try:
        if journal.stat().st_size == 0:
            return False
    except OSError:
        return False
    try:
        connection = sqlite3.connect(path, timeout=5)
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return False
    return True


def backup_store(store: Store, target: str | os.PathLike[str], *, replace: bool = False) -> Path:
    """Write a whole, consistent copy of the store to ``target`` (a file, or a folder to
    put ``NAME-YYYY-MM-DD.db`` in), even while the app has it open: SQLite's online
    backup API, into a temporary file renamed into place. A server database is backed
    up with its own tools (PostgreSQL: ``pg_dump``); this says so."""
    source = store.path
    if source is None:
        from sqlalchemy.engine import make_url

        backend = make_url(store.url).get_backend_name()
        if backend.startswith("postgres"):
            raise StoreUnavailable(
                "This store is on a PostgreSQL server: back it up there with pg_dump "
                "(for example: pg_dump --format=custom --file=visitprep.dump DBNAME)."
            )
        raise StoreUnavailable(
            f"This store is on a {backend} database server: back it up with that server's "
            "own backup tool."
        )
    path = Path(target).expanduser().absolute()
    if path.is_dir():
        path = path / f"{source.stem}-{store.today.isoformat()}{source.suffix or '.db'}"
    own = {source.resolve(), *(source.resolve().with_name(source.name + s) for s in SIDECARS)}
    if path.resolve() in own:
        raise ValidationError("path", f"{path} is the store itself: choose another file.")
    if path.exists() or path.is_symlink():
        if not path.is_file() or path.is_symlink():
            raise ValidationError("path", f"{path} is not a regular file: choose another name.")
        if not replace:
            raise Conflict(
                phrase(f"{path} already exists: choose another name, or add ", Option.REPLACE, ".")
            )
    if not path.parent.is_dir():
        raise ValidationError("path", f"The folder {path.parent} does not exist.")
    try:
        return copy_sqlite(source, path)
    except OSError as error:
        raise _folder_error(path, error, "writing the backup") from None
    except sqlite3.Error as error:
        raise StoreUnavailable(f"The store could not be copied: {error}.") from None


def unreadable(path: Path) -> StoreUnavailable | NotAStore:
    """Why a SQLite file that looks like a database could not be read, said truly: the
    file's permissions, a read-only folder, or a file that is not a readable database."""
    if not os.access(path, os.R_OK):
        return StoreUnavailable(f"{path} cannot be read here: check the file's permissions.")
    folder = path.parent
    if in_wal_mode(path) and not os.access(folder, os.W_OK | os.X_OK):
        return StoreUnavailable(
            f"{path} is in a folder that is read-only here ({folder}), and it was left open "
            "for writing: its latest changes are in the log files beside it, which cannot be "
            "read from here. Open it once where the folder can be written, or copy the folder "
            "somewhere you can write to."
        )
    return NotAStore(f"{path} is not a visitprep store (it is not a readable database).")


def unfinished_store(path: Path, tables: list[str]) -> bool:
    """Whether the file is a store an older visitprep began to create and never finished
    (it ran each CREATE TABLE on its own): only visitprep's tables, no schema version, and
    not one row. Nothing in it can be lost by building it again."""
    if not tables or "alembic_version" in tables:
        return False
    from sqlmodel import SQLModel

    import store.models  # noqa: F401  (the tables visitprep makes)

    if not set(tables) <= set(SQLModel.metadata.tables):
        return False
    try:
        connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        try:
            return all(
                connection.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone() is None
                for name in tables
            )
        finally:
            connection.close()
    except sqlite3.Error:
        return False


def read_only_folder_url(path: Path) -> str | None:
    """A URL that reads a whole store kept in a folder this program may not write.

    SQLite reads a file in write-ahead mode only with its ``-shm`` file beside it, which
    it cannot make there. A store whose log is empty (closed by its last program, see
    :func:`checkpoint`) is whole in its file and nothing can write it from this folder, so
    it is read as immutable. ``None`` when that does not apply."""
    from urllib.parse import quote

    folder = path.parent
    if os.access(folder, os.W_OK | os.X_OK) or not os.access(path, os.R_OK):
        return None
    wal = path.with_name(path.name + "-wal")
    if not in_wal_mode(path) or (wal.exists() and wal.stat().st_size > 0):
        return None
    return f"sqlite:///file:{quote(str(path.absolute()))}?mode=ro&immutable=1&uri=true"
