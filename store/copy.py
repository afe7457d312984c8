"""Moving a whole store to another database: SQLite to PostgreSQL (a team outgrowing one
person's file) or back, history included.

The copy is one transaction on the target: its schema is made by the migrations, every
row of every table is copied with its id, the row counts are checked against the source,
and only then is it committed (a new SQLite file is built beside its name and renamed
into place). Anything wrong, and the target is left as it was. The source is only read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from store.creating import create_sqlite_store
from store.database import Store, make_engine, resolve_url, sqlite_path
from store.dialect import (
    after_copy,
    connection_problem,
    driver_missing,
    one_line,
    read_only_refusal,
)
from store.errors import StoreError, StoreUnavailable

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

_CHUNK = 2000
Progress = Callable[[str, int], None]


@dataclass(frozen=True, slots=True)
class CopyResult:
    """What was copied: rows per table (all equal to the source's), and where to."""

    target: str  # the target's URL, password hidden
    rows: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


class CopyFailed(StoreError):
    """The copy could not be made; the target was left as it was."""


def copy_store(source: Store, target: str, *, progress: Progress | None = None) -> CopyResult:
    """Copy every table of ``source`` (an up-to-date store) into ``target``: a path or URL
    of a SQLite file that does not exist yet, or an empty PostgreSQL database. Raises
    :class:`CopyFailed` (nothing written) when the target is not empty, or the counts
    differ at the end (someone wrote to the source meanwhile: run it again)."""
    from sqlalchemy.engine import make_url

    from store import migrations

    url = resolve_url(target)
    parsed = make_url(url)
    shown = parsed.render_as_string(hide_password=True)
    state = migrations.schema_state(source.engine)
    if state.kind != "current":
        raise CopyFailed(
            "The store to copy is not up to date with this visitprep; run 'visitprep "
            "upgrade' on it first. Nothing was copied."
        )
    is_sqlite = parsed.get_backend_name() == "sqlite"
    path = sqlite_path(parsed.database) if is_sqlite else None
    if is_sqlite and path is None:
        raise CopyFailed("Copy to a SQLite file path, not an in-memory database.")
    if path is not None and source.path is not None and path.resolve() == source.path.resolve():
        raise CopyFailed("That is the store being copied. Give another place.")
    rows: dict[str, int] = {}

    def fill(connection: Connection) -> None:
        rows.update(_copy_rows(source, connection, progress))

    if path is not None:
        if path.exists() and path.stat().st_size > 0:
            raise CopyFailed(f"{path} already exists; copy to a new file. Nothing was changed.")
        if not create_sqlite_store(path, fill):
            raise CopyFailed(f"{path} was made by another program meanwhile; nothing copied.")
        return CopyResult(str(path), rows)
    try:
        engine = make_engine(url, sqlite=False)
    except Exception as error:
        raise driver_missing(error, shown) or StoreUnavailable(
            f"Cannot open the database {shown}: {one_line(str(error))}."
        ) from None
    try:
        from sqlalchemy.exc import DBAPIError

        try:
            target_state = migrations.schema_state(engine)
            if target_state.kind != "empty":
                raise CopyFailed(
                    f"{shown} is not empty (it has tables such as "
                    f"{', '.join(target_state.tables[:3])}); copy into an empty database. "
                    "Nothing was changed."
                )
            migrations.upgrade(engine, then=fill)
        except DBAPIError as error:
            raise read_only_refusal(error) or connection_problem(error, shown) from None
    finally:
        engine.dispose()
    return CopyResult(shown, rows)


def _copy_rows(source: Store, target: Connection, progress: Progress | None) -> dict[str, int]:
    """Copy the rows, table by table (parents first), and check the counts, all inside
    the target's transaction."""
    from sqlalchemy import MetaData, func, select, update

    source_meta = MetaData()
    source_meta.reflect(bind=source.engine)
    target_meta = MetaData()
    target_meta.reflect(bind=target)
    counts: dict[str, int] = {}
    with source.engine.connect() as reader:
        for table in source_meta.sorted_tables:
            if table.name == "alembic_version" or table.name not in target_meta.tables:
                continue
            into = target_meta.tables[table.name]
            names = [c.name for c in table.columns if c.name in into.c]
            # A column naming a row of its own table (a finding's parent) is filled in
            # afterwards, so that the order of rows never breaks its foreign key.
            later = [
                c.name
                for c in into.columns
                if any(fk.column.table.name == into.name for fk in c.foreign_keys)
            ]
            key = list(table.primary_key.columns) or list(table.columns)[:1]
            query = select(*(table.c[n] for n in names)).order_by(*key)
            copied = 0
            pending: list[dict[str, Any]] = []
            deferred: list[dict[str, Any]] = []
            for row in reader.execute(query).mappings():
                values = dict(row)
                if later and any(values.get(n) is not None for n in later):
                    deferred.append({n: values[n] for n in names})
                    values.update({n: None for n in later})
                pending.append(values)
                if len(pending) >= _CHUNK:
                    target.execute(into.insert(), pending)
                    copied += len(pending)
                    pending = []
                    if progress:
                        progress(table.name, copied)
            if pending:
                target.execute(into.insert(), pending)
                copied += len(pending)
            pk = [c.name for c in into.primary_key.columns]
            for values in deferred:
                target.execute(
                    update(into)
                    .where(*(into.c[n] == values[n] for n in pk))
                    .values({n: values[n] for n in later})
                )
            there = reader.execute(select(func.count()).select_from(table)).scalar_one()
            landed = target.execute(select(func.count()).select_from(into)).scalar_one()
            if not copied == there == landed:
                raise CopyFailed(
                    f"The {table.name} table has {there} rows but {landed} were copied "
                    "(the store changed during the copy?); nothing was copied. Run it again."
                )
            counts[table.name] = copied
            if progress:
                progress(table.name, copied)
    after_copy(target, [target_meta.tables[name] for name in counts])
    return counts
