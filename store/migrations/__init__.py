"""Schema migrations (Alembic). A store is recognised by its ``alembic_version`` revision."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection, Engine

_HERE = Path(__file__).resolve().parent
_UPGRADE_LOCK = 0x76697369  # "visi": a PostgreSQL advisory lock held while upgrading


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_HERE))
    return config


def head_revision() -> str:
    """The schema revision this version of visitprep writes."""
    return ScriptDirectory.from_config(_config()).get_current_head() or ""


def known_revisions() -> set[str]:
    return {script.revision for script in ScriptDirectory.from_config(_config()).walk_revisions()}


@dataclass(frozen=True, slots=True)
class SchemaState:
    """What an opened database holds: "empty", "current", "old", "newer" or "foreign"."""

    kind: str
    revision: str | None
    tables: list[str]


def schema_state(engine: Engine) -> SchemaState:
    with engine.connect() as connection:
        tables = sorted(inspect(connection).get_table_names())
        if not tables:
            return SchemaState("empty", None, tables)
        if "alembic_version" not in tables:
            return SchemaState("foreign", None, tables)
        revision = MigrationContext.configure(connection).get_current_revision()
    if revision is None:
        return SchemaState("foreign", None, tables)
    if revision == head_revision():
        return SchemaState("current", revision, tables)
    if revision in known_revisions():
        return SchemaState("old", revision, tables)
    return SchemaState("newer", revision, tables)


def upgrade(
    engine: Engine, revision: str = "head", *, then: Callable[[Connection], None] | None = None
) -> None:
    """Bring the schema up to ``revision`` in one transaction, then run ``then`` in it.

    For SQLite, give an engine whose transactions hold DDL (``store.creating.ddl_engine``):
    every migration, the version stamp and ``then`` land together or not at all, and the
    foreign keys (off while Alembic rebuilds tables) are checked before the commit.
    """
    config = _config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Two programs creating or upgrading one database take turns; the second then
            # finds the schema at head (Alembic reads it inside this transaction).
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_UPGRADE_LOCK})")
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        if then is not None:
            then(connection)
        if connection.dialect.name == "sqlite":
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"The upgrade would break links between records: {broken[:3]}")
