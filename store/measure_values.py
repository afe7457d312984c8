"""A measure's values: enter (or correct) one for a month or quarter, remove one, read them.

Split from :mod:`store.measures` (which gives these names too). A value entered over one
the form never showed is refused (``seen``): nobody replaces someone else's figure unseen.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlmodel import Session, col

from store import validation
from store._common import fetch, flush
from store.database import Change, Store
from store.dates import format_date
from store.errors import StaleRecord, ValidationError
from store.measure_rules import MeasureValue, format_number, parse_number
from store.models import MeasureRow, MeasureValueRow
from store.periods import period_for, period_label

# ``set_measure_value(seen=ANY_VALUE)``: replace whatever the period holds (the default).
ANY_VALUE: Any = object()


def set_measure_value(
    store: Store,
    measure_id: int,
    period: object,
    value: object,
    *,
    note: str = "",
    who: str | None = None,
    at: datetime | None = None,
    seen: object = ANY_VALUE,
) -> MeasureValue:
    """Enter (or correct) a measure's value for a period: ``"Apr-18"``, ``"2018-04"``,
    ``"Q1 2018/19"``... as the measure's frequency asks. A percentage is 0 to 100; no value
    is below zero. Records who entered it (``who``, else the store's user, ``store.user``) and when.

    ``seen``: the value the form showed for that period when it opened (``None``: none).
    If the period holds another one now, someone entered it since: the save is refused
    (:class:`StaleRecord`, naming them) rather than replacing theirs unseen.
    """
    with store.transaction() as tx:
        row = fetch(tx.session, MeasureRow, measure_id, "measure")
        start = period_for(period, row.frequency)
        ahead = years_ahead(start, row.frequency, store.today)
        if ahead:
            raise ValidationError("period", f"{ahead} Nothing was changed.")
        number = parse_number(value, "value", row.unit)
        if number is None:
            raise ValidationError("value", "Give the value as a number.")
        if seen is not ANY_VALUE:
            _check_seen(tx.session, row, start, seen)
        saved = _write_value(
            tx.session, row, start, number, validation.text(note, "note", limit=2000),
            who or store.user, at or datetime.now(UTC).replace(microsecond=0),
        )  # fmt: skip
        tx.changes.append(Change("measure", row.id or 0, "upsert"))
        return _value_record(saved, row.frequency)


def years_ahead(start: date, frequency: str, today: date) -> str:
    """What is wrong with a period starting more than two years after ``today`` ('' when
    nothing): 'Apr 29' typed for 'Apr 19' is a mistyped year, never a figure (nearer, a
    wrong clock or a fixed today may lead). The form, the CLI and a scorecard's columns."""
    if (start - today).days <= 2 * 366:
        return ""
    return (
        f"{period_label(start, frequency)} is more than two years after today "
        f"({format_date(today)}): check the year."
    )


def _check_seen(session: Session, row: MeasureRow, start: date, seen: object) -> None:
    stored = session.scalar(
        select(MeasureValueRow).where(
            col(MeasureValueRow.measure_id) == row.id, col(MeasureValueRow.period) == start
        )
    )
    now = stored.value if stored is not None else None
    if now == (None if seen is None else float(str(seen))):
        return
    from store.history import to_utc
    from store.history_queries import when_said

    what = f"The {period_label(start, row.frequency)} value of measure {row.ref} {row.name}"
    if stored is None:
        message = f"{what} was removed since you opened it"
    else:
        at = f" at {when_said(to_utc(stored.entered_at))}" if stored.entered_at else ""
        message = (
            f"{what} was entered by {stored.entered_by or 'someone else'}{at} "
            f"({format_number(now, row.unit)}) since you opened it"
        )
    raise StaleRecord(
        f"{message}; your save was refused and nothing was written.",
        kind="measure", ident=row.id or 0,
        who=stored.entered_by if stored else "", at=stored.entered_at if stored else None,
    )  # fmt: skip


def _write_value(
    session: Session,
    row: MeasureRow,
    start: date,
    number: float,
    note: str,
    who: str,
    at: datetime,
) -> MeasureValueRow:
    """Insert or update one value; an unchanged value keeps who entered it and when."""
    existing = session.scalar(
        select(MeasureValueRow).where(
            col(MeasureValueRow.measure_id) == row.id, col(MeasureValueRow.period) == start
        )
    )
    if existing is None:
        existing = MeasureValueRow(
            measure_id=row.id or 0, period=start, value=number, note=note,
            entered_by=who, entered_at=at,
        )  # fmt: skip
        session.add(existing)
    elif existing.value != number or (note and existing.note != note):
        existing.value = number
        existing.note = note or existing.note
        existing.entered_by = who
        existing.entered_at = at
    flush(session, f"The value for {period_label(start, row.frequency)}")
    return existing


def delete_measure_value(store: Store, measure_id: int, period: object) -> bool:
    """Remove a measure's value for a period; ``False`` if it had none."""
    with store.transaction() as tx:
        row = fetch(tx.session, MeasureRow, measure_id, "measure")
        start = period_for(period, row.frequency)
        result = tx.session.exec(
            delete(MeasureValueRow).where(
                col(MeasureValueRow.measure_id) == row.id, col(MeasureValueRow.period) == start
            )
        )
        if not result.rowcount:
            return False
        tx.changes.append(Change("measure", row.id or 0, "upsert"))
        return True


def list_measure_values(store: Store, measure_id: int) -> list[MeasureValue]:
    """A measure's values, oldest period first."""
    with store.reading() as session:
        row = fetch(session, MeasureRow, measure_id, "measure")
        rows = session.scalars(
            select(MeasureValueRow)
            .where(col(MeasureValueRow.measure_id) == row.id)
            .order_by(col(MeasureValueRow.period))
        )
        return [_value_record(value, row.frequency) for value in rows]


_VALUE_COLUMNS = ("id", "measure_id", "period", "value", "note", "entered_by", "entered_at")


def _value_record(row: Any, frequency: str) -> MeasureValue:
    return MeasureValue(
        id=row.id or 0,
        measure_id=row.measure_id,
        period=row.period,
        label=period_label(row.period, frequency),
        value=row.value,
        note=row.note,
        entered_by=row.entered_by,
        entered_at=row.entered_at,
    )
