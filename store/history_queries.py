"""Reading the history: a record's entries, the log, the change counter, removed links,
who ticked an item ready, and the error a stale save gets.

Entries come back oldest first as :class:`store.history.HistoryEntry` records. The
change counter (:func:`change_counter`) is the id of the newest entry: any write by
anyone, from any program, makes it larger, so an app polls it (every second or two) and
reads :func:`history_since` to learn what changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, and_, func, or_, select
from sqlmodel import Session, col

from store.dates import format_date
from store.errors import StaleRecord
from store.history import FieldChange, HistoryEntry, to_utc
from store.models import HistoryRow

if TYPE_CHECKING:
    from store.database import Store

_KIND_WORDS = {
    "finding": "finding",
    "action": "action",
    "evidence": "evidence item",
    "source": "source",
    "visit": "visit",
    "theme": "theme",
    "measure": "measure",
    "setting": "setting",
}


def _entry(row: HistoryRow) -> HistoryEntry:
    try:
        raw = json.loads(row.changes) if row.changes else {}
    except ValueError:
        raw = {}
    changes = tuple(
        FieldChange(name, *([*list(pair), None, None])[:2]) for name, pair in raw.items()
    )
    return HistoryEntry(
        id=row.id or 0,
        at=to_utc(row.at),
        who=row.who,
        op=row.op,
        kind=row.kind,
        record_id=row.record_id,
        label=row.label,
        other_kind=row.other_kind,
        other_id=row.other_id,
        other_label=row.other_label,
        changes=changes,
        detail=row.detail,
    )


def _read(store: Store, query: Select[Any]) -> list[HistoryEntry]:
    with store.reading() as session:
        return [_entry(row) for row in session.scalars(query)]


def _about(kind: str, record_id: int) -> Any:
    return or_(
        and_(col(HistoryRow.kind) == kind, col(HistoryRow.record_id) == int(record_id)),
        and_(col(HistoryRow.other_kind) == kind, col(HistoryRow.other_id) == int(record_id)),
    )


def change_counter(store: Store) -> int:
    """The store's change counter: the newest history entry's id (0 for none). Cheap on
    both backends (the primary key's index); any write by anyone makes it larger."""
    with store.reading() as session:
        return int(session.scalar(select(func.max(HistoryRow.id))) or 0)


def history_since(store: Store, after_id: int, *, limit: int | None = 1000) -> list[HistoryEntry]:
    """The entries written after ``after_id`` (a change counter read before), oldest first:
    what others (and this program) changed since. ``limit`` keeps a long absence cheap."""
    query = (
        select(HistoryRow).where(col(HistoryRow.id) > int(after_id)).order_by(col(HistoryRow.id))
    )
    return _read(store, query.limit(limit) if limit else query)


def record_history(store: Store, kind: str, record_id: int) -> list[HistoryEntry]:
    """Every entry about one record, oldest first: its edits, and the links, ticks and
    progress updates it is part of (``kind`` is "finding", "action", "evidence", "visit",
    "source", "theme"...). A record's detail view shows these."""
    query = select(HistoryRow).where(_about(kind, record_id)).order_by(col(HistoryRow.id))
    return _read(store, query)


def list_history(
    store: Store,
    *,
    since: date | datetime | None = None,
    who: str | None = None,
    record: tuple[str, int] | Iterable[tuple[str, int]] | None = None,
    limit: int | None = None,
) -> list[HistoryEntry]:
    """Entries oldest first, optionally only those from ``since`` on (a date means from its
    start, UTC), by ``who`` (the name, any case), and about ``record`` (a ``(kind, id)``
    or several). ``limit`` keeps the newest that many."""
    query = select(HistoryRow)
    if since is not None:
        start = since if isinstance(since, datetime) else datetime.combine(since, time())
        query = query.where(col(HistoryRow.at) >= to_utc(start).replace(tzinfo=None))
    if who:
        query = query.where(func.lower(col(HistoryRow.who)) == " ".join(who.split()).lower())
    if record is not None:
        pairs = [record] if isinstance(record, tuple) else list(record)
        if not pairs:
            return []
        query = query.where(or_(*(_about(kind, ident) for kind, ident in pairs)))
    if limit:
        newest = query.order_by(col(HistoryRow.id).desc()).limit(limit)
        return list(reversed(_read(store, newest)))
    return _read(store, query.order_by(col(HistoryRow.id)))


@dataclass(frozen=True, slots=True)
class RemovedLink:
    """A link a person removed and nobody has made again (who and when, in UTC)."""

    kind: str
    record_id: int
    label: str
    other_kind: str
    other_id: int
    other_label: str
    who: str
    at: datetime


def removed_links(
    store: Store, kind: str = "finding", other_kind: str = "action"
) -> list[RemovedLink]:
    """The links between ``kind`` and ``other_kind`` records (finding–action by default;
    action–evidence, finding–evidence) that someone unlinked by hand and that are still
    unlinked, oldest first. A plan re-import reads these so as not to link them again.
    Links that went with a deleted record are not here (they went with the record)."""
    pairs = [(kind, other_kind), (other_kind, kind)]
    query = (
        select(HistoryRow)
        .where(
            col(HistoryRow.op).in_(("link", "unlink")),
            or_(
                *(
                    and_(col(HistoryRow.kind) == a, col(HistoryRow.other_kind) == b)
                    for a, b in pairs
                )
            ),
        )
        .order_by(col(HistoryRow.id))
    )
    latest: dict[tuple[int, int], HistoryEntry] = {}
    for entry in _read(store, query):
        if entry.record_id is None or entry.other_id is None:
            continue
        key = (
            (entry.record_id, entry.other_id)
            if entry.kind == kind
            else (entry.other_id, entry.record_id)
        )
        latest.pop(key, None)  # keep insertion order by the latest entry
        latest[key] = entry
    removed = []
    for (a_id, b_id), entry in latest.items():
        if entry.op != "unlink":
            continue
        forward = entry.kind == kind
        removed.append(
            RemovedLink(
                kind=kind,
                record_id=a_id,
                label=entry.label if forward else entry.other_label,
                other_kind=other_kind,
                other_id=b_id,
                other_label=entry.other_label if forward else entry.label,
                who=entry.who,
                at=entry.at,
            )
        )
    return removed


def import_entries(store: Store, kind: str) -> list[HistoryEntry]:
    """The one entry each import into ``kind`` records wrote, naming its file (``detail``),
    oldest first. The records an import wrote have entries with the same ``at`` and ``who``
    (one transaction's), which is how a plan re-import tells its own writes from edits."""
    query = (
        select(HistoryRow)
        .where(col(HistoryRow.op) == "import", col(HistoryRow.kind) == kind)
        .order_by(col(HistoryRow.id))
    )
    return _read(store, query)


def record_writes(
    store: Store, kind: str, record_ids: Iterable[int], ops: tuple[str, ...] = ("create", "edit")
) -> list[HistoryEntry]:
    """The create and edit entries (or those of other ``ops``: a measure's values are its
    "update" entries too) of these ``kind`` records, not their links, oldest first; read
    500 ids a query, so a plan of thousands of actions stays one IN each."""
    ids = sorted({int(i) for i in record_ids})
    entries: list[HistoryEntry] = []
    for start in range(0, len(ids), 500):
        query = select(HistoryRow).where(
            col(HistoryRow.kind) == kind,
            col(HistoryRow.record_id).in_(ids[start : start + 500]),
            col(HistoryRow.op).in_(ops),
        )
        entries += _read(store, query)
    return sorted(entries, key=lambda e: e.id)


def ready_ticks(store: Store, visit_id: int) -> dict[int, HistoryEntry]:
    """Who ticked each evidence item ready for this visit, and when: the tick entry behind
    each tick still standing, by evidence id (an item ticked before the history began
    has none). The pack says "ready (Sam Patel, 3 Jul 2018)" from it."""
    query = (
        select(HistoryRow)
        .where(
            col(HistoryRow.kind) == "evidence",
            col(HistoryRow.other_kind) == "visit",
            col(HistoryRow.other_id) == int(visit_id),
            col(HistoryRow.op).in_(("tick", "untick")),
        )
        .order_by(col(HistoryRow.id))
    )
    latest: dict[int, HistoryEntry] = {}
    for entry in _read(store, query):
        if entry.record_id is not None:
            latest[entry.record_id] = entry
    return {ident: e for ident, e in latest.items() if e.op == "tick"}


def last_change(session: Session, kind: str, record_id: int) -> HistoryEntry | None:
    """The newest entry about the record itself (not a link to it), in ``session``."""
    row = session.scalars(
        select(HistoryRow)
        .where(col(HistoryRow.kind) == kind, col(HistoryRow.record_id) == int(record_id))
        .order_by(col(HistoryRow.id).desc())
        .limit(1)
    ).first()
    return _entry(row) if row is not None else None


def when_said(at: datetime, today: date | None = None) -> str:
    """ "10:42" today, "3 Jul 2018 at 10:42" another day, in this machine's local time."""
    local = at.astimezone()
    clock = local.strftime("%H:%M")
    if local.date() == (today or datetime.now(UTC).astimezone().date()):
        return clock
    return f"{format_date(local.date())} at {clock}"


def stale_error(
    session: Session, kind: str, record_id: int, label: str = "", version: int | None = None
) -> StaleRecord:
    """The refusal of a save started from an older version of the record (read ``session``
    for who changed it last)."""
    last = last_change(session, kind, record_id)
    word = _KIND_WORDS.get(kind, kind)
    name = f"{word} {label}" if label else f"{word} {record_id}"
    if last is not None:
        label = label or last.label
        name = f"{word} {label}" if label else name
        message = (
            f"The {name} was changed by {last.who} at {when_said(last.at)} since you opened "
            "it; your save was refused and nothing was written. Open it again to see their "
            "version."
        )
    else:
        message = (
            f"The {name} was changed by someone else since you opened it; your save was "
            "refused and nothing was written. Open it again to see their version."
        )
    return StaleRecord(
        message,
        kind=kind,
        ident=int(record_id),
        who=last.who if last else "",
        at=last.at if last else None,
        version=version,
    )


def check_version(session: Session, kind: str, row: Any, expected_version: object) -> None:
    """Refuse a save whose form started from another version of ``row`` than it has now
    (``expected_version=None`` saves whatever it is)."""
    if expected_version is None:
        return
    try:
        expected = int(str(expected_version))
    except ValueError:
        from store.errors import ValidationError

        raise ValidationError("expected_version", "The version must be a whole number.") from None
    if expected == row.version:
        return
    from store.history import label_of

    raise stale_error(session, kind, row.id, label_of(row.__dict__), version=row.version)


def describe(entry: HistoryEntry, *, fields: bool = True) -> str:
    """One line saying what the entry did, e.g. "Sam Patel ticked 'Case audit: CP plans'
    ready for 'MV3 front door'" (user text inside quotes, as data)."""
    word = _KIND_WORDS.get(entry.kind, entry.kind.replace("_", " "))
    other_word = _KIND_WORDS.get(entry.other_kind, entry.other_kind.replace("_", " "))
    this = f"{word} '{entry.label}'" if entry.label else f"{word} {entry.record_id}"
    other = (
        f"{other_word} '{entry.other_label}'"
        if entry.other_label
        else f"{other_word} {entry.other_id}"
    )
    who = entry.who
    match entry.op:
        case "create":
            text = f"{who} created {this}"
        case "delete":
            text = f"{who} deleted {this}"
        case "update" if entry.detail.startswith("measure value"):
            text = f"{who} entered {_period(entry.detail)} value of {this}"
        case "edit" if entry.detail.startswith("measure value"):
            removed = entry.changes and all(c.new is None for c in entry.changes)
            text = f"{who} {'removed' if removed else 'changed'} {_period(entry.detail)} value of {this}"
        case "edit":
            named = ", ".join(c.field.replace("_", " ") for c in entry.changes)
            text = f"{who} changed {this}" + (f" ({named})" if named and fields else "")
            if entry.other_kind:
                text += f" for {other}"
        case "link":
            text = f"{who} linked {this} to {other}"
        case "unlink":
            text = f"{who} unlinked {this} from {other}"
        case "tick":
            text = f"{who} ticked {this} ready for {other}"
        case "untick":
            text = f"{who} unticked {this} for {other}"
        case "update":
            text = f"{who} added a progress update to {this}"
        case "pack":
            change = entry.changes[0].new if entry.changes else ""
            text = f"{who} set {this} in the pack of {other}: {change}"
        case "setting":
            change = entry.changes[0] if entry.changes else None
            value = f" to {change.new}" if change else ""
            text = f"{who} changed the setting {entry.label}{value}"
        case "import":
            text = f"{who} imported {entry.detail or this}"
            if entry.kind == "measure" and entry.record_id is not None and entry.detail:
                text += f" into {this}"  # the values a scorecard added to this measure
        case _:
            text = f"{who} {entry.op} {this}"
    return text


def _period(detail: str) -> str:
    """ "the Apr 2018" from a measure value's detail ("measure value 2018-04-01"), else "a"."""
    try:
        start = date.fromisoformat(detail.removeprefix("measure value").strip())
    except ValueError:
        return "a"
    return f"the {start:%b %Y}"


def stale_save(store: Store, failed: Session) -> StaleRecord:
    """The refusal for a transaction whose UPDATE found its row at another version than it
    read (someone saved in between): names the record and whose save it was."""
    from store.history import label_of, stale_versions

    updating = stale_versions(failed)
    tables = HistoryRow.metadata.tables
    with store.reading() as session:
        for kind, ident, version in updating:
            table = tables[kind]
            row = session.execute(select(table).where(table.c.id == ident)).mappings().first()
            if row is None or row["version"] != version:
                now = row["version"] if row is not None else None
                return stale_error(
                    session,
                    kind,
                    ident,
                    label_of(dict(row) if row is not None else {}),
                    version=now,
                )
        kind, ident, _version = updating[0] if updating else ("record", 0, 0)
        return stale_error(session, kind, ident)


_RECORD_TABLES = ("finding", "action", "evidence", "source", "visit", "theme", "measure")


def records_named(store: Store, name: str) -> list[tuple[str, int]]:
    """The records ``name`` stands for, as ``(kind, id)``: ``kind:id`` (``evidence:12``), or
    a ref (``A1.2``, ``R3``: every action, finding and measure with it, any case). Records
    deleted since are found by their ref in the history. Empty when none is."""
    text = " ".join(str(name).split())
    kind, sep, rest = text.partition(":")
    if sep and kind.lower() in _RECORD_TABLES and rest.strip().isdigit():
        return [(kind.lower(), int(rest))]
    tables = HistoryRow.metadata.tables
    found: list[tuple[str, int]] = []
    with store.reading() as session:
        for kind in ("action", "finding", "measure"):
            table = tables.get(kind)
            if table is None or "ref" not in table.c:
                continue
            ids = session.scalars(
                select(table.c.id).where(func.lower(table.c.ref) == text.lower())
            ).all()
            found.extend((kind, int(ident)) for ident in ids)
        if not found:  # gone since: known by the label it had
            rows = session.execute(
                select(col(HistoryRow.kind), col(HistoryRow.record_id))
                .where(
                    col(HistoryRow.op) == "delete",
                    func.lower(col(HistoryRow.label)).startswith(text.lower() + " "),
                )
                .distinct()
            ).all()
            found.extend((k, int(i)) for k, i in rows if i is not None)
    return found


def entry_as_json(entry: HistoryEntry) -> dict[str, Any]:
    """An entry as plain JSON values (``at`` in ISO 8601, UTC)."""
    return {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "who": entry.who,
        "op": entry.op,
        "kind": entry.kind,
        "record_id": entry.record_id,
        "label": entry.label,
        "other_kind": entry.other_kind or None,
        "other_id": entry.other_id,
        "other_label": entry.other_label or None,
        "changes": {c.field: [c.old, c.new] for c in entry.changes},
        "detail": entry.detail or None,
    }
