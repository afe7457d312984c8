"""A team's store from the command line, on SQLite and on PostgreSQL: the log, the name
changes are recorded under, reading without changing, read-only people, moving a store,
and connection trouble said in one line without a password."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import _cli
import pytest
from sqlalchemy import create_engine, inspect
from sqlalchemy.pool import NullPool

import store as st
from store import Store, open_store

BIN = Path(sys.executable).parent / "visitprep"
TODAY = "2018-01-20"


def visitprep(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real console script, as a user would."""
    full = {**os.environ, "VISITPREP_TODAY": TODAY, **(env or {})}
    return _cli.run(  # in a process of its own, forked after the imports (tests/_cli.py)
        [str(BIN), *args], capture_output=True, text=True, encoding="utf-8", env=full, timeout=120
    )


def refused(result: subprocess.CompletedProcess[str]) -> str:
    """The one line a refusal gives (exit 1, no traceback, nothing on stdout)."""
    assert result.returncode == 1, result.stderr + result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    return lines[0]


def _tables(url: str) -> list[str]:
    engine = create_engine(
        url.replace("postgresql://", "postgresql+psycopg://"), poolclass=NullPool
    )
    try:
        return inspect(engine).get_table_names()
    finally:
        engine.dispose()


@pytest.fixture
def team_store(store: Store) -> Store:
    store.user = "Sam Patel"
    source = st.create_source(store, kind="inspection", title="ILACS 2018")
    finding = st.create_finding(store, title="Front door", ref="R1", source_id=source.id)
    action = st.create_action(store, title="Fix MASH", ref="A1", finding_ids=[finding.id])
    evidence = st.create_evidence(store, title="Case audit: CP plans", action_ids=[action.id])
    visit = st.create_visit(store, title="MV3", start_date="2018-03-01")
    st.set_evidence_ready(store, visit.id, evidence.id)
    return store


def test_the_log_says_who_changed_what(team_store: Store) -> None:
    db = team_store.url
    changed = visitprep(
        "--db", db, "settings", "--stale-after", "90", env={"VISITPREP_USER": "Alex Khan"}
    )
    assert changed.returncode == 0, changed.stderr
    alex = visitprep("--db", db, "log", "--who", "alex khan")
    assert alex.returncode == 0, alex.stderr
    assert alex.stdout.splitlines()[-1].endswith("Alex Khan changed the setting stale_days to 90")
    mine = visitprep("--db", db, "log", "--record", "a1").stdout
    assert "Sam Patel created action 'A1 Fix MASH'" in mine
    assert "linked finding 'R1 Front door' to action 'A1 Fix MASH'" in mine
    assert "ILACS" not in mine  # only entries about A1
    entries = json.loads(visitprep("--db", db, "log", "--json").stdout)
    tick = next(e for e in entries if e["op"] == "tick")
    assert (tick["who"], tick["label"], tick["other_label"]) == (
        "Sam Patel",
        "Case audit: CP plans",
        "MV3",
    )
    assert tick["at"].endswith("+00:00")
    assert visitprep("--db", db, "log", "--since", "2999-01-01").stdout == (
        "No history entries match.\n"
    )
    assert "No record has the ref 'Z9'" in refused(visitprep("--db", db, "log", "--record", "Z9"))


def test_config_name_is_who_the_history_records(db_url: str, tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    assert visitprep("config", "--name", "Sam Patel", env=env).stdout == (
        "Your changes are now recorded as Sam Patel.\n"
    )
    opened = open_store(db_url)
    opened.close()
    changed = visitprep("--db", db_url, "settings", "--stale-after", "90", env=env)
    assert changed.returncode == 0, changed.stderr
    log = json.loads(visitprep("--db", db_url, "log", "--json", "--limit", "1", env=env).stdout)
    assert log[0]["who"] == "Sam Patel"
    over = {**env, "VISITPREP_USER": "Jo Reid"}
    assert "recorded as Jo Reid" in visitprep("config", env=over).stdout


@pytest.mark.parametrize("command", [["gaps"], ["search", "mash"], ["log"], ["export", "MV3"]])
def test_a_command_that_only_reads_never_makes_a_store(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest, command: list[str]
) -> None:
    if backend == "sqlite":
        path = tmp_path / "nothing.db"
        line = refused(visitprep("--db", str(path), *command))
        assert "There is no store at" in line and "visitprep demo" in line
        assert not path.exists()
        return
    server = request.getfixturevalue("postgres_server")
    with server.database() as url:
        line = refused(visitprep("--db", url, *command))
        assert "holds no visitprep store yet; nothing was changed" in line
        assert _tables(url) == []


@pytest.fixture
def empty_db(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A database with nothing in it (a new file's path, or an empty PostgreSQL one)."""
    if backend == "sqlite":
        yield str(tmp_path / "older.db")
        return
    with request.getfixturevalue("postgres_server").database() as url:
        yield url


def test_an_older_store_is_only_read_once_upgraded(empty_db: str) -> None:
    from store import migrations
    from store.creating import ddl_engine
    from store.database import make_engine

    if "://" in empty_db:
        engine = make_engine(empty_db, sqlite=False)
    else:
        Path(empty_db).touch()
        engine = ddl_engine(Path(empty_db))
    migrations.upgrade(engine, "0007")
    engine.dispose()
    line = refused(visitprep("--db", empty_db, "gaps"))
    assert "was written by an older visitprep (schema 0007); nothing was changed" in line
    assert "'visitprep upgrade'" in line
    assert "history" not in _tables(empty_db if "://" in empty_db else f"sqlite:///{empty_db}")
    upgraded = visitprep("--db", empty_db, "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert visitprep("--db", empty_db, "gaps").returncode == 0


def test_copy_moves_the_whole_store_history_included(
    team_store: Store, backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    server = request.getfixturevalue("postgres_server")
    before = st.list_history(team_store)
    with server.database() as empty:
        target = empty if backend == "sqlite" else str(tmp_path / "copy.db")
        done = visitprep("--db", team_store.url, "copy", "--to", target)
        assert done.returncode == 0, done.stderr
        assert "every table's row count matches" in done.stdout
        copied = open_store(target)
        try:
            assert st.list_history(copied) == before
            assert [a.ref for a in st.list_actions(copied)] == ["A1"]
            # The copy goes on from there: new ids do not collide with copied ones.
            copied.user = "Jo Reid"
            st.create_action(copied, title="Audit", ref="A2")
            assert st.list_history(copied)[-1].id == before[-1].id + 1
        finally:
            copied.close()
        again = refused(visitprep("--db", team_store.url, "copy", "--to", target))
        assert "copy" in again and "Nothing was changed" in again


@pytest.fixture
def reader(team_store: Store, backend: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """The store as a Director sees it: a database role, or a file, that may only read."""
    if backend == "sqlite":
        yield f"sqlite:///file:{team_store.path}?mode=ro&uri=true"
        return
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    server = request.getfixturevalue("postgres_server")
    role = f"vp_reader_{os.getpid()}"
    database = make_url(team_store.url).database
    with server.admin.connect() as connection:
        connection.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        connection.execute(text(f'CREATE ROLE "{role}" LOGIN'))
        connection.execute(text(f'GRANT CONNECT ON DATABASE "{database}" TO "{role}"'))
    owner = create_engine(
        team_store.url.replace("postgresql://", "postgresql+psycopg://"),
        poolclass=NullPool,
        isolation_level="AUTOCOMMIT",
    )
    with owner.connect() as connection:
        connection.execute(text(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{role}"'))
    owner.dispose()
    try:
        yield make_url(team_store.url).set(username=role).render_as_string(hide_password=False)
    finally:
        with owner.connect() as connection:
            connection.execute(text(f'REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "{role}"'))
            connection.execute(text(f'REVOKE ALL ON DATABASE "{database}" FROM "{role}"'))
        owner.dispose()
        with server.admin.connect() as connection:
            connection.execute(text(f'DROP ROLE IF EXISTS "{role}"'))


def test_a_director_who_may_only_read_reads_everything_and_writes_nothing(reader: str) -> None:
    director = open_store(reader)
    try:
        assert director.read_only is True
        assert [a.ref for a in st.list_actions(director)] == ["A1"]
        assert st.change_counter(director) > 0
        before = st.change_counter(director)
        with pytest.raises(st.ReadOnlyStore, match="read-only"):
            st.update_action(director, st.list_actions(director)[0].id, owner="Director")
        assert st.change_counter(director) == before
    finally:
        director.close()
    assert visitprep("--db", reader, "gaps").returncode == 0
    line = refused(visitprep("--db", reader, "settings", "--stale-after", "90"))
    assert "read-only" in line and "Nothing was changed" in line


def test_a_writer_is_not_read_only(store: Store) -> None:
    assert store.read_only is False


def test_connection_trouble_is_one_line_and_never_shows_the_password() -> None:
    refused_at = refused(
        visitprep("--db", "postgresql://sam:Sup3rSecret@127.0.0.1:1/visitprep", "gaps")
    )
    assert "Sup3rSecret" not in refused_at
    assert "Cannot reach the database server for postgresql://sam:***@127.0.0.1:1" in refused_at


def test_a_missing_driver_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from store.errors import StoreUnavailable

    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(StoreUnavailable) as missing:
        open_store("postgresql://sam:Sup3rSecret@127.0.0.1/visitprep")
    assert "pip install 'visitprep[postgres]'" in missing.value.message
    assert "Sup3rSecret" not in missing.value.message


def test_a_sqlite_store_on_a_network_share_is_named() -> None:
    from store.dialect import network_filesystem

    mounts = (
        "/dev/sda1 / ext4 rw 0 0\n"
        "//fileserver/shared /mnt/shared cifs rw 0 0\n"
        "fs:/home /home nfs4 rw 0 0\n"
    )
    assert network_filesystem(Path("/mnt/shared/team/visitprep.db"), mounts) == "cifs"
    assert network_filesystem(Path("/home/sam/visitprep.db"), mounts) == "nfs4"
    assert network_filesystem(Path("/var/lib/visitprep.db"), mounts) is None


def test_a_url_is_suggested_again_without_its_password() -> None:
    from store.dialect import without_password

    assert without_password(
        "postgresql://sam:Sup3rSecret@db.council.local/visitprep?sslmode=require"
    ) == ("postgresql://sam@db.council.local/visitprep?sslmode=require")
    assert without_password("postgresql://sam@db/visitprep") == "postgresql://sam@db/visitprep"
    assert without_password("/home/sam/visitprep.db") == "/home/sam/visitprep.db"


def test_a_name_too_long_is_refused_not_cut_short(tmp_path: Path) -> None:
    """`config --name` with 300 characters kept the first 80 and said so as if asked: the
    history then signed the lead's changes with a name they never gave."""
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    run = visitprep("config", "--name", "Sam " + "x" * 296, env=env)
    assert (run.returncode, run.stdout) == (1, "")
    assert run.stderr == "visitprep: The name is too long (300 characters; at most 80).\n"
    assert not (tmp_path / "config").exists()
    assert visitprep("config", "--name", "S" * 80, env=env).returncode == 0
