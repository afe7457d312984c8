"""A store appears whole or not at all: creation, upgrades, leftovers, locks, backups."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

import store as api
from store import migrations
from store.creating import clean_leftovers, ddl_engine
from store.errors import StoreUnavailable
from store.opening import open_store

ROOT = Path(__file__).resolve().parents[1]


def _revision(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def _columns(path: Path, table: str) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}


def _old_store(path: Path, revision: str = "0004") -> None:
    """A store as an older visitprep left it, with a source and a finding in it."""
    engine = ddl_engine(path)
    migrations.upgrade(engine, revision)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO source (kind, title, local_authority, framework, lead_inspector, "
                "url, file_path) VALUES ('inspection', 'Northbridge ILACS 2017', 'Northbridge', "
                "'ILACS', '', '', '')"
            )
        )
    engine.dispose()


def test_an_upgrade_that_fails_part_way_leaves_the_old_store_exactly_as_it_was(
    tmp_path: Path,
) -> None:
    path = tmp_path / "visitprep.db"
    _old_store(path)

    def fail(_connection: object) -> None:
        raise RuntimeError("power cut")

    # 0005 adds source.ours with ALTER TABLE: with pysqlite's own transaction handling that
    # DDL would already be committed, and every later open would say "duplicate column".
    with pytest.raises(RuntimeError, match="power cut"):
        migrations.upgrade(ddl_engine(path), then=fail)
    assert _revision(path) == "0004"
    assert "ours" not in _columns(path, "source")

    opened = open_store(path)  # the next open upgrades it whole
    assert [s.title for s in api.list_sources(opened)] == ["Northbridge ILACS 2017"]
    opened.close()
    assert "ours" in _columns(path, "source")


def test_the_copy_kept_before_an_upgrade_is_written_once_however_many_attempts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "visitprep.db"
    _old_store(path)
    real_upgrade = migrations.upgrade

    def interrupted(engine: object, revision: str = "head", **kwargs: object) -> None:
        raise StoreUnavailable("The store is busy (another program is writing to it); try again.")

    monkeypatch.setattr(migrations, "upgrade", interrupted)
    for _ in range(3):
        with pytest.raises(StoreUnavailable, match="busy"):
            open_store(path)
    monkeypatch.setattr(migrations, "upgrade", real_upgrade)
    open_store(path).close()
    backups = sorted(p.name for p in tmp_path.glob("visitprep.db.backup-*"))
    assert len(backups) == 1 and backups[0].startswith("visitprep.db.backup-0004-")
    assert _revision(tmp_path / backups[0]) == "0004"


def test_a_crash_while_creating_leaves_no_store_and_its_leftovers_are_cleaned(
    tmp_path: Path,
) -> None:
    path = tmp_path / "visitprep.db"
    script = "import sys; from store import open_store; open_store(sys.argv[1])"
    env = {**os.environ, "VISITPREP_CRASH_AT": "30", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", script, str(path)], env=env, check=False)
    assert result.returncode == -9  # killed at its 30th SQL statement, mid-creation
    assert not path.exists()
    left = [p.name for p in tmp_path.iterdir()]
    assert any(name.startswith(".visitprep.db.new-") for name in left)

    assert (tmp_path / ".visitprep.db.lock").exists()  # its holder was killed

    opened = open_store(path)
    assert len(api.list_themes(opened)) == 18
    opened.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["visitprep.db"]


def test_a_demo_left_behind_by_a_killed_process_is_removed_but_a_running_ones_kept(
    tmp_path: Path,
) -> None:
    path = tmp_path / "visitprep.db"
    open_store(path).close()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    gone = [tmp_path / f".visitprep.db.demo-{dead.stdout.strip()}.tmp{s}" for s in ("", "-wal")]
    running = tmp_path / f".visitprep.db.demo-{os.getppid()}.tmp"
    other = tmp_path / ".other.db.demo-1.tmp"
    for leftover in (*gone, running, other):
        leftover.write_bytes(b"x")
    open_store(path).close()  # the everyday (fast) open cleans up too
    assert not any(p.exists() for p in gone)
    assert running.exists() and other.exists()
    assert clean_leftovers(path) == []


def test_two_programs_creating_the_same_store_at_once_both_get_it(tmp_path: Path) -> None:
    path = tmp_path / "shared" / "visitprep.db"
    script = (
        "import sys; from store import open_store, list_themes\n"
        "s = open_store(sys.argv[1]); print(len(list_themes(s))); s.close()"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    children = [
        subprocess.Popen([sys.executable, "-c", script, str(path)], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]  # fmt: skip
    outputs = [child.communicate(timeout=120) for child in children]
    assert [
        (child.returncode, out.strip(), err)
        for child, (out, err) in zip(children, outputs, strict=True)
    ] == [(0, "18", "")] * 3
    opened = open_store(path)
    assert len(api.list_themes(opened)) == 18  # seeded once, not three times
    opened.close()
    assert sorted(p.name for p in path.parent.iterdir()) == ["visitprep.db"]


def test_a_hot_journal_beside_a_store_is_rolled_back_not_called_unreadable(
    tmp_path: Path,
) -> None:
    path = tmp_path / "visitprep.db"
    _old_store(path, "0001")
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=DELETE")
    env = {**os.environ, "VISITPREP_CRASH_AT": "40", "PYTHONPATH": str(ROOT)}
    script = "import sys; from store import open_store; open_store(sys.argv[1])"
    result = subprocess.run([sys.executable, "-c", script, str(path)], env=env, check=False)
    assert result.returncode == -9
    assert (tmp_path / "visitprep.db-journal").stat().st_size > 0  # the upgrade's, left hot

    opened = open_store(path)
    assert [s.title for s in api.list_sources(opened)] == ["Northbridge ILACS 2017"]
    opened.close()


def test_a_command_that_only_reads_never_makes_a_store_of_an_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "visitprep.db"
    empty.touch()
    with pytest.raises(StoreUnavailable, match="empty file, not a visitprep store"):
        open_store(empty, create=False)
    assert empty.stat().st_size == 0
    with pytest.raises(StoreUnavailable, match="There is no store at"):
        open_store(tmp_path / "missing.db", create=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["visitprep.db"]
    opened = open_store(empty)  # a command that creates makes it whole
    assert len(api.list_themes(opened)) == 18
    opened.close()


def test_closing_a_store_leaves_everything_in_the_db_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "visitprep.db"
    opened = open_store(path)
    for n in range(50):
        api.create_evidence(opened, title=f"Audit {n}")
    assert (tmp_path / "visitprep.db-wal").exists()
    opened.close()
    copy = tmp_path / "copied.db"
    shutil.copyfile(path, copy)  # what a lead does to back up: the file alone
    with sqlite3.connect(copy) as connection:
        assert connection.execute("SELECT count(*) FROM evidence").fetchone() == (50,)


def test_backup_copies_a_store_another_program_is_writing_to(tmp_path: Path) -> None:
    path = tmp_path / "visitprep.db"
    opened = open_store(path)
    api.create_evidence(opened, title="MASH audit")
    writer = sqlite3.connect(path)  # the app, mid-session: its changes only in the -wal
    writer.execute("INSERT INTO theme (name, position) VALUES ('Extra', 99)")
    writer.commit()
    written = api.backup_store(opened, tmp_path)
    assert written == tmp_path / f"visitprep-{opened.today.isoformat()}.db"
    with sqlite3.connect(written) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT title FROM evidence").fetchall() == [("MASH audit",)]
        assert copy.execute("SELECT count(*) FROM theme WHERE name='Extra'").fetchone() == (1,)
    with pytest.raises(api.Conflict, match="already exists"):
        api.backup_store(opened, written)
    with pytest.raises(api.ValidationError, match="is the store itself"):
        api.backup_store(opened, path)
    writer.close()
    opened.close()


def test_backup_of_a_server_store_says_to_use_pg_dump() -> None:
    server = api.Store("postgresql+psycopg://root@127.0.0.1/test")
    with pytest.raises(StoreUnavailable, match="pg_dump"):
        api.backup_store(server, "copy.db")


@pytest.fixture
def server_url() -> object:
    """A database of its own on the local PostgreSQL server (skipped when there is none)."""
    psycopg = pytest.importorskip("psycopg")
    name = f"visitprep_atomic_{os.getpid()}"
    try:
        admin = psycopg.connect("host=127.0.0.1 user=root dbname=test", autocommit=True)
    except psycopg.OperationalError:
        pytest.skip("no PostgreSQL server on 127.0.0.1")
    admin.execute(f"DROP DATABASE IF EXISTS {name}")
    admin.execute(f"CREATE DATABASE {name}")
    yield f"postgresql+psycopg://root@127.0.0.1/{name}"
    admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.close()


def test_on_postgresql_a_failed_upgrade_or_creation_leaves_the_database_as_it_was(
    server_url: str,
) -> None:
    from sqlalchemy import create_engine, inspect

    engine = create_engine(server_url)

    def fail(_connection: object) -> None:
        raise RuntimeError("connection lost")

    with pytest.raises(RuntimeError):  # creating: tables, version and themes, or nothing
        migrations.upgrade(engine, then=fail)
    assert inspect(engine).get_table_names() == []
    migrations.upgrade(engine, "0004")
    with pytest.raises(RuntimeError):
        migrations.upgrade(engine, then=fail)
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == "0004"
    assert "ours" not in {c["name"] for c in inspect(engine).get_columns("source")}
    engine.dispose()
    opened = open_store(server_url)
    assert migrations.schema_state(opened.engine).kind == "current"
    opened.close()


def test_a_batch_table_rebuild_is_inside_the_upgrade_transaction_too(tmp_path: Path) -> None:
    """Whatever DDL a migration brings (a column with a foreign key needs Alembic's batch
    rebuild on SQLite: copy, drop, rename), it is rolled back with the rest, and once
    committed every link between records still holds."""
    import sqlalchemy as sa
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext

    path = tmp_path / "visitprep.db"
    opened = open_store(path)
    finding = api.create_finding(opened, ref="R1", title="Thresholds are not applied")
    action = api.create_action(opened, title="Relaunch the threshold document")
    api.link(opened, "finding", finding.id, "action", action.id)
    opened.close()
    before = _columns(path, "finding")

    def rebuild(*, fail: bool) -> None:
        engine = ddl_engine(path)
        try:
            with engine.begin() as connection:
                operations = Operations(MigrationContext.configure(connection))
                with operations.batch_alter_table("finding") as batch:
                    batch.add_column(
                        sa.Column(
                            "probe_of", sa.Integer(), sa.ForeignKey("finding.id", name="fk_probe")
                        )
                    )
                operations.create_table("probe", sa.Column("id", sa.Integer, primary_key=True))
                if fail:
                    raise RuntimeError("killed mid-upgrade")
        finally:
            engine.dispose()

    with pytest.raises(RuntimeError):
        rebuild(fail=True)
    assert _columns(path, "finding") == before
    with sqlite3.connect(path) as connection:
        assert (
            connection.execute("SELECT name FROM sqlite_master WHERE name='probe'").fetchall() == []
        )
    rebuild(fail=False)
    assert _columns(path, "finding") == before | {"probe_of"}
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        assert connection.execute("SELECT count(*) FROM finding_action").fetchone() == (1,)


def test_a_store_an_older_visitprep_left_half_created_is_made_anew_not_refused(
    tmp_path: Path,
) -> None:
    """Before creation was atomic, a crash after the first CREATE TABLE left a file every
    command refused as 'a database, but not a visitprep store', demo --force included."""
    path = tmp_path / "visitprep.db"
    with sqlite3.connect(path) as connection:  # what the crash left: one empty table
        connection.execute("CREATE TABLE evidence (id INTEGER NOT NULL PRIMARY KEY, title VARCHAR)")
    with pytest.raises(StoreUnavailable, match="creation was interrupted"):
        open_store(path, create=False)
    opened = open_store(path)
    assert len(api.list_themes(opened)) == 18
    assert migrations.schema_state(opened.engine).kind == "current"
    opened.close()

    other = tmp_path / "other.db"  # the same table holding a row is someone's data: refused
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE evidence (id INTEGER PRIMARY KEY, title VARCHAR)")
        connection.execute("INSERT INTO evidence (title) VALUES ('kept')")
    with pytest.raises(api.NotAStore, match="not a visitprep store"):
        open_store(other)
    with sqlite3.connect(other) as connection:
        assert connection.execute("SELECT title FROM evidence").fetchall() == [("kept",)]


def test_on_postgresql_programs_creating_one_store_at_once_take_turns(server_url: str) -> None:
    script = (
        "import sys; from store import open_store, list_themes\n"
        "s = open_store(sys.argv[1]); print(len(list_themes(s))); s.close()"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    children = [
        subprocess.Popen([sys.executable, "-c", script, server_url], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]  # fmt: skip
    outputs = [child.communicate(timeout=120) for child in children]
    assert [
        (child.returncode, out.strip()) for child, (out, _) in zip(children, outputs, strict=True)
    ] == [(0, "18")] * 3, outputs
