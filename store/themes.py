"""Themes: the seeded, editable list that findings, actions and visits are grouped by."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from sqlmodel import Session, col

from store import validation
from store._common import fetch, flush
from store.database import Change, Store
from store.errors import ValidationError
from store.models import ThemeRow
from store.records import Theme
from store.vocab import DEFAULT_THEMES


def _record(row: ThemeRow) -> Theme:
    return Theme(id=row.id or 0, name=row.name, position=row.position)


def seed_themes(store: Store) -> None:
    """Give a new store the standard theme list (only adds what is missing)."""
    with store.transaction() as tx:
        have = {name.lower() for name in tx.session.scalars(select(col(ThemeRow.name)))}
        for position, name in enumerate(DEFAULT_THEMES):
            if name.lower() not in have:
                tx.session.add(ThemeRow(name=name, position=position))


def seed_new_store(connection: Connection) -> None:
    """Give a new store its themes inside the transaction that made its tables (its
    creation or first upgrade, :mod:`store.opening`): they land with the tables or not."""
    seed_themes(Store("sqlite://", engine=connection))  # type: ignore[arg-type]


def list_themes(store: Store) -> list[Theme]:
    """Every theme, in the order of the list."""
    with store.reading() as session:
        rows = session.scalars(
            select(ThemeRow).order_by(col(ThemeRow.position), col(ThemeRow.name))
        )
        return [_record(row) for row in rows]


def create_theme(store: Store, name: str) -> Theme:
    """Add a theme at the end of the list."""
    clean = validation.title(name, "name")
    with store.transaction() as tx:
        if resolve_theme(tx.session, clean, required=False) is not None:
            raise ValidationError("name", f"There is already a theme called '{clean}'.")
        position = (tx.session.scalar(select(func.max(col(ThemeRow.position)))) or 0) + 1
        row = ThemeRow(name=clean, position=position)
        tx.session.add(row)
        flush(tx.session, f"The theme '{clean}'")
        tx.changes.append(Change("theme", row.id or 0, "upsert"))
        return _record(row)


def rename_theme(store: Store, theme_id: int, name: str) -> Theme:
    """Rename a theme; everything filed under it follows."""
    clean = validation.title(name, "name")
    with store.transaction() as tx:
        row = fetch(tx.session, ThemeRow, theme_id, "theme")
        other = resolve_theme(tx.session, clean, required=False)
        if other is not None and other.id != row.id:
            raise ValidationError("name", f"There is already a theme called '{clean}'.")
        row.name = clean
        flush(tx.session, f"The theme '{clean}'")
        tx.changes.append(Change("theme", row.id or 0, "upsert"))
        return _record(row)


def resolve_theme(session: Session, value: object, *, required: bool = True) -> ThemeRow | None:
    """A theme given by id, exact name, or a unique start of its name (any case)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int):
        row = session.get(ThemeRow, value)
        if row is None and required:
            raise ValidationError("theme", f"There is no theme {value}.")
        return row
    wanted = " ".join(str(value).split()).lower()
    rows = list(session.scalars(select(ThemeRow).order_by(col(ThemeRow.position))))
    exact = [row for row in rows if row.name.lower() == wanted]
    if exact:
        return exact[0]
    starts = [row for row in rows if row.name.lower().startswith(wanted)]
    if len(starts) == 1:
        return starts[0]
    if not required:
        return None
    names = ", ".join(row.name for row in rows)
    raise ValidationError("theme", f"'{value}' is not a theme. Themes: {names}.")
