"""Small helpers shared by the store's entity modules."""

from __future__ import annotations

from typing import Any, TypeVar, cast

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Bundle, Mapped
from sqlmodel import Session, col

from store.dialect import (
    insert_unless_taken,
    is_foreign_key_violation,
    is_unique_violation,
    one_line,
)
from store.errors import Conflict, NotFound, ValidationError
from store.history import heard_insert, recording_as
from store.wording import plural as plural  # its callers import it from here

Row = TypeVar("Row")


def fetch(session: Session, model: type[Row], ident: Any, kind: str) -> Row:
    """The row with this id, or :class:`NotFound` naming the kind of record."""
    try:
        key = int(ident)
    except (TypeError, ValueError):
        raise NotFound(kind, ident) from None
    if not -(2**63) <= key < 2**63:  # SQLite cannot even look up a bigger id
        raise NotFound(kind, ident)
    # In a write, an editable record is locked as it is read (PostgreSQL's FOR UPDATE):
    # the version a save checks is the latest, and no one changes it before the commit.
    lock = recording_as(session) is not None and _versioned(model)
    row = session.get(model, key, with_for_update=True if lock else None)
    if row is None:
        raise NotFound(kind, ident)
    return row


def _versioned(model: type[Any]) -> bool:
    mapper = getattr(model, "__mapper__", None)
    return mapper is not None and mapper.version_id_col is not None


def columns_of(model: type[Any]) -> Bundle[Any]:
    """A table's columns as one value per result row, read by name like the model's rows
    (``row.id``, ``row.title``) but without making ORM objects: reading a list or a pack of
    thousands of records costs half as much. For reads that become records, never writes."""
    table = model.__table__
    return Bundle(table.name, *table.columns)


def id_column(column: int | None) -> Mapped[int]:
    """A primary key (``FindingRow.id``) as a column of ints, to select or compare.

    The models say ``int | None`` only because a row has no id until it is saved; in the
    table the key is never NULL, so a query of ids gives ints.
    """
    return cast("Mapped[int]", col(column))


def flush(session: Session, what: str) -> None:
    """Flush, turning a broken unique key or link into a clear error."""
    try:
        session.flush()
    except IntegrityError as error:
        session.rollback()
        text = one_line(str(error.orig))
        if is_unique_violation(error):
            raise Conflict(f"{what} already exists.") from None
        if is_foreign_key_violation(error):
            raise ValidationError(
                "link", f"{what} refers to a record that does not exist."
            ) from None
        raise Conflict(f"{what} could not be saved: {text}.") from None


def count_by(session: Session, column: Any, key: Any) -> dict[int, int]:
    """How many rows per value of ``key`` (e.g. actions per finding)."""
    return {k: n for k, n in session.execute(select(key, func.count(column)).group_by(key)).all()}


def words_match(typed: str, *columns: Any) -> Any:
    """A filter condition: every word typed appears in one of ``columns``, in any order,
    whatever the case or punctuation between them: "SM care leavers" finds the owner
    the lists show as "SM – Care Leavers" (a filter matches what is on screen, not only
    the exact string typed). What was typed, whole, still matches as it did."""
    import re

    from sqlalchemy import and_, or_

    def like(text: str) -> str:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f"%{escaped}%"

    whole = typed.strip()
    words = re.findall(r"\w+", whole.lower())
    exact = or_(*(column.ilike(like(whole), escape="\\") for column in columns))
    if not words:
        return exact
    each = [or_(*(column.ilike(like(w), escape="\\") for column in columns)) for w in words]
    return or_(exact, and_(*each))


def insert_new(session: Session, table: Any, values: dict[str, Any]) -> bool:
    """Insert one row unless its key is taken (:func:`store.dialect.insert_unless_taken`);
    ``True`` when it was added, and then the history hears of it: two people ticking the
    same item at once both succeed, and the history has one tick."""
    added = insert_unless_taken(session, table, values)
    if added:
        heard_insert(session, getattr(table, "__table__", table), values)
    return added
