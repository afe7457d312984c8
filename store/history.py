"""The history (audit trail): every write, who made it and when, appended in its transaction.

How entries are made: one mechanism, so no write can forget it. :meth:`Store.transaction`
starts a recorder on its session (:func:`start_recording`). The recorder hears

- every ORM write, at each flush (``after_flush``: rows added, changed, deleted, with each
  changed field's old and new value read from the attribute history), and
- every Core ``UPDATE``/``DELETE`` run through the session (``do_orm_execute``: the rows
  it touches are read before, and for an update after, it runs), and
- the entries a store function adds itself with :func:`note` (the one entry per import
  that names the file, for instance).

As the transaction commits (``before_commit``) the row changes are folded into entries
(a row deleted and put back unchanged is no change; a tick that was already there is no
tick; the links and progress updates that go with a deleted record are part of its
delete entry) and written, in the same transaction: they land with the change or not at
all. Nothing in the store updates or deletes an entry.

An entry names one record (``kind``, ``record_id`` and its ``label``, its ref and title
at the time) and, for a link, a tick or a pack change, the other record (``other_*``).
``op`` is create, edit, delete, link, unlink, tick, untick, update (a progress update),
pack (a finding added to or dropped from a visit's pack), setting, import, or another
word a store function gives :func:`note`.

The reading side (:mod:`store.history_queries`) gives the entries as
:class:`HistoryEntry` records; the largest entry id is the store's change counter.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Table, event, false, insert, select
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.orm import object_mapper as _object_mapper

from store.dialect import announce_changes
from store.models import HistoryRow

_KEY = "visitprep.history"

# Columns whose values are bookkeeping, not something a person changed.
_QUIET = frozenset({"id", "version", "ref_key", "content_hash", "created_at"})

# Rows that belong to another record: their entries are that record's. Table -> (column
# naming the owner, the owner's kind, op for a row added).
_CHILDREN: dict[str, tuple[str, str, str]] = {
    "action_update": ("action_id", "action", "update"),
    "judgement": ("source_id", "source", "edit"),
    "measure_value": ("measure_id", "measure", "update"),
}

# Link tables whose two ends read better the other way round than their key columns.
_ENDS_ORDER: dict[str, tuple[str, str]] = {
    "visit_evidence": ("evidence_id", "visit_id"),
    "visit_finding": ("finding_id", "visit_id"),
}

_PACK_STATES = {None: "by focus theme", True: "added by hand", False: "dropped by hand"}


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of a record, before and after (``None`` for no value)."""

    field: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One write, as the history keeps it. ``at`` is in UTC (aware)."""

    id: int
    at: datetime
    who: str
    op: str
    kind: str
    record_id: int | None
    label: str
    other_kind: str = ""
    other_id: int | None = None
    other_label: str = ""
    changes: tuple[FieldChange, ...] = ()
    detail: str = ""

    def concerns(self, kind: str, record_id: int) -> bool:
        """Whether this entry is about that record (either end of a link or tick)."""
        return (self.kind == kind and self.record_id == record_id) or (
            self.other_kind == kind and self.other_id == record_id
        )


@dataclass
class _RowChange:
    table: Table
    old: dict[str, Any] | None
    new: dict[str, Any] | None


@dataclass
class _Note:
    values: dict[str, Any]


@dataclass
class _Recorder:
    who: str
    events: list[_RowChange | _Note] = field(default_factory=list)
    # Versioned rows being updated by the flush under way: (kind, id, version read).
    updating: list[tuple[str, int, int]] = field(default_factory=list)


def start_recording(session: Session, who: str) -> None:
    """Record every write made in ``session`` (a store transaction's) as ``who``."""
    session.info[_KEY] = _Recorder(who)


def recording_as(session: Session) -> str | None:
    recorder = session.info.get(_KEY)
    return recorder.who if recorder is not None else None


def note(
    session: Session,
    op: str,
    kind: str,
    record_id: int | None = None,
    *,
    label: str = "",
    detail: str = "",
    changes: Mapping[str, tuple[Any, Any]] | None = None,
    other_kind: str = "",
    other_id: int | None = None,
) -> None:
    """Add an entry of a store function's own to the transaction's history, e.g. the one
    entry per import naming the file (``note(tx.session, "import", "source", 7,
    detail="haringey_2018-12-14.pdf")``). A label left empty is read from the record as
    the transaction commits. Does nothing outside a store transaction."""
    recorder: _Recorder | None = session.info.get(_KEY)
    if recorder is None:
        return
    recorder.events.append(
        _Note(
            {
                "op": op,
                "kind": kind,
                "record_id": record_id,
                "label": label,
                "other_kind": other_kind,
                "other_id": other_id,
                "other_label": "",
                "changes": {k: list(v) for k, v in (changes or {}).items()},
                "detail": detail,
            }
        )
    )


# --- hearing the writes ------------------------------------------------------------------


def _values(state: Any) -> dict[str, Any]:
    mapper = state.mapper
    return {
        attr.columns[0].name: state.dict.get(attr.key)
        for attr in mapper.column_attrs
        if attr.key in state.dict
    }


def _table(obj: object) -> Table | None:
    table = getattr(_object_mapper(obj), "local_table", None)
    if not isinstance(table, Table) or table.name == HistoryRow.__tablename__:
        return None
    return table


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: object, _instances: object) -> None:
    recorder: _Recorder | None = session.info.get(_KEY)
    if recorder is None:
        return
    recorder.updating.clear()
    for obj in session.dirty:
        mapper = _object_mapper(obj)
        if mapper.version_id_col is not None and session.is_modified(obj):
            state = _state(obj)
            ident = state.dict.get("id")
            version = state.committed_state.get("version", state.dict.get("version"))
            if ident is not None and version is not None:
                table: Any = mapper.local_table
                recorder.updating.append((table.name, int(ident), int(version)))


def _state(obj: object) -> Any:
    from sqlalchemy import inspect

    return inspect(obj)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: object) -> None:
    recorder: _Recorder | None = session.info.get(_KEY)
    if recorder is None:
        return
    for obj in session.new:
        table = _table(obj)
        if table is not None:
            recorder.events.append(_RowChange(table, None, _values(_state(obj))))
    for obj in session.dirty:
        table = _table(obj)
        if table is None:
            continue
        state = _state(obj)
        new = _values(state)
        old = dict(new)
        changed = False
        for attr in state.mapper.column_attrs:
            history = state.attrs[attr.key].history
            if history.deleted:
                old[attr.columns[0].name] = history.deleted[0]
                changed = True
            elif history.added:
                changed = True
        if changed and old != new:
            recorder.events.append(_RowChange(table, old, new))
    for obj in session.deleted:
        table = _table(obj)
        if table is not None:
            recorder.events.append(_RowChange(table, _values(_state(obj)), None))


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> Any:
    recorder: _Recorder | None = state.session.info.get(_KEY)
    if recorder is None or not (state.is_delete or state.is_update):
        return None
    statement: Any = state.statement
    table = getattr(statement, "table", None)
    table = getattr(table, "__table__", table)  # an ORM entity's table
    if not isinstance(table, Table) or table.name == HistoryRow.__tablename__:
        return None
    table = table.metadata.tables.get(table.name, table)
    where = statement.whereclause
    query = select(table) if where is None else select(table).where(where)
    connection = state.session.connection()
    # The rows are locked as they are read (PostgreSQL; a SQLite write holds the whole
    # store), and the statement is held to exactly those rows: a row another writer adds
    # meanwhile is not touched unrecorded, and the old values are those it changes.
    before = [dict(row) for row in connection.execute(query.with_for_update()).mappings()]
    key = list(table.primary_key.columns)
    keys = [tuple(row[c.name] for c in key) for row in before]
    held = statement.where(*_key_in(key, keys)) if keys else statement.where(false())
    result = state.invoke_statement(statement=held)
    if state.is_delete:
        recorder.events.extend(_RowChange(table, row, None) for row in before)
    elif before:
        after = {
            tuple(row[c.name] for c in key): dict(row)
            for row in connection.execute(
                select(table).where(*_key_in(key, [tuple(r[c.name] for c in key) for r in before]))
            ).mappings()
        }
        for row in before:
            new = after.get(tuple(row[c.name] for c in key))
            if new is not None and new != row:
                recorder.events.append(_RowChange(table, row, new))
    return result


def heard_insert(session: Session, table: Table, values: dict[str, Any]) -> None:
    """Tell the recorder of a row a Core ``INSERT`` added (see store._common.insert_new)."""
    recorder: _Recorder | None = session.info.get(_KEY)
    if recorder is not None:
        table = table.metadata.tables.get(table.name, table)
        full = {c.name: values.get(c.name, _default(c)) for c in table.columns}
        recorder.events.append(_RowChange(table, None, full))


def _default(column: Any) -> Any:
    default = column.default
    return getattr(default, "arg", None) if default is not None and default.is_scalar else None


def _key_in(columns: list[Any], keys: list[tuple[Any, ...]]) -> list[Any]:
    from sqlalchemy import tuple_

    if len(columns) == 1:
        return [columns[0].in_([k[0] for k in keys])]
    return [tuple_(*columns).in_(keys)]


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    recorder: _Recorder | None = session.info.get(_KEY)
    if recorder is None:
        return
    session.flush()  # the last changes are heard before the entries are made
    if not recorder.events:
        return
    rows = _entries(session, recorder)
    recorder.events.clear()
    if rows:
        connection = session.connection()
        connection.execute(insert(_history_table()), rows)
        # The change counter moved: apps listening on a PostgreSQL store hear it as this
        # commits (tui.live), instead of at their next look.
        announce_changes(connection)


def _history_table() -> Table:
    table: Any = HistoryRow.__table__  # type: ignore[attr-defined]
    return table


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    recorder: _Recorder | None = session.info.get(_KEY)
    if recorder is not None:
        recorder.events.clear()


# --- folding row changes into entries ----------------------------------------------------


def _json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def label_of(values: Mapping[str, Any]) -> str:
    """A record's label: its ref and title (or name), as they are in ``values``."""
    ref = str(values.get("ref") or "")
    title = str(values.get("title") or values.get("name") or values.get("key") or "")
    return " ".join(part for part in (ref, title) if part)


def _kind_of(table: Table) -> str:
    return table.name


def _ends(table: Table) -> list[tuple[str, str]] | None:
    """(key column, kind) of each end of a link table, or ``None`` for another table."""
    key = list(table.primary_key.columns)
    if len(key) < 2 or not all(c.foreign_keys for c in key):
        return None
    ends = {c.name: next(iter(c.foreign_keys)).column.table.name for c in key}
    order = _ENDS_ORDER.get(table.name, tuple(ends))
    return [(name, ends[name]) for name in order]


def _fields(values: Mapping[str, Any] | None, skip: Iterable[str] = ()) -> dict[str, Any]:
    quiet = _QUIET | set(skip)
    return {k: v for k, v in (values or {}).items() if k not in quiet}


def _diff(
    old: Mapping[str, Any] | None, new: Mapping[str, Any] | None, skip: Iterable[str] = ()
) -> dict[str, list[Any]]:
    before, after = _fields(old, skip), _fields(new, skip)
    changes: dict[str, list[Any]] = {}
    for name in (*before, *(k for k in after if k not in before)):
        a, b = before.get(name), after.get(name)
        if a == b or (old is None and b in (None, "")) or (new is None and a in (None, "")):
            continue
        changes[name] = [_json(a), _json(b)]
    return changes


def _row_key(table: Table, values: Mapping[str, Any]) -> tuple[Any, ...]:
    if table.name in _CHILDREN:  # by what it says: deleted and put back unchanged is no change
        return tuple(sorted((k, _json(v)) for k, v in _fields(values).items()))
    return tuple(values.get(c.name) for c in table.primary_key.columns)


def _entries(session: Session, recorder: _Recorder) -> list[dict[str, Any]]:
    # Net change per row: its first old state and its last new state, at its first place.
    folded: dict[tuple[str, tuple[Any, ...]], _RowChange] = {}
    order: list[tuple[str, tuple[Any, ...]] | _Note] = []
    for item in recorder.events:
        if isinstance(item, _Note):
            order.append(item)
            continue
        values = item.old if item.old is not None else item.new
        key = (item.table.name, _row_key(item.table, values or {}))
        seen = folded.get(key)
        if seen is None:
            folded[key] = _RowChange(item.table, item.old, item.new)
            order.append(key)
        else:
            seen.new = item.new
    deleted = {
        (name, values[0])
        for (name, values), change in folded.items()
        if change.new is None and change.old is not None and name not in _CHILDREN
        and _ends(change.table) is None and len(values) == 1
    }  # fmt: skip
    known: dict[tuple[str, Any], str] = {}
    for (_name, _key), change in folded.items():
        values = change.new or change.old or {}
        if "id" in values and _ends(change.table) is None and change.table.name not in _CHILDREN:
            known[(change.table.name, values["id"])] = label_of(values)
    entries: list[dict[str, Any]] = []
    for step in order:
        if isinstance(step, _Note):
            entries.append(dict(step.values))
            continue
        entry = _entry(folded[step], deleted)
        if entry is not None:
            entries.append(entry)
    _fill_labels(session, entries, known)
    now = datetime.now(UTC).replace(tzinfo=None)
    for entry in entries:
        entry["at"] = now
        entry["who"] = recorder.who
        entry["changes"] = (
            json.dumps(entry["changes"], ensure_ascii=False) if entry["changes"] else ""
        )
    return entries


def _entry(change: _RowChange, deleted: set[tuple[str, Any]]) -> dict[str, Any] | None:
    table, old, new = change.table, change.old, change.new
    if old is None and new is None:
        return None
    values = new if new is not None else old
    assert values is not None
    entry: dict[str, Any] = {
        "kind": _kind_of(table),
        "record_id": None,
        "label": "",
        "other_kind": "",
        "other_id": None,
        "other_label": "",
        "changes": {},
        "detail": "",
    }
    ends = _ends(table)
    if ends is not None:
        (a_col, a_kind), (b_col, b_kind) = ends[0], ends[1]
        if (a_kind, values[a_col]) in deleted or (b_kind, values[b_col]) in deleted:
            return None  # part of that record's delete
        entry.update(
            kind=a_kind, record_id=values[a_col], other_kind=b_kind, other_id=values[b_col]
        )
        extra = _fields(values, skip=(a_col, b_col))
        if table.name == "visit_evidence":
            was = bool(old is not None and old.get("ready", True))
            now = bool(new is not None and new.get("ready", True))
            if was == now:
                return None
            entry["op"] = "tick" if now else "untick"
        elif table.name == "visit_finding":
            was_in = None if old is None else bool(old.get("included"))
            now_in = None if new is None else bool(new.get("included"))
            if was_in == now_in:
                return None
            entry["op"] = "pack"
            entry["changes"] = {"in pack": [_PACK_STATES[was_in], _PACK_STATES[now_in]]}
        elif old is not None and new is not None:
            entry["op"] = "edit"
            entry["changes"] = _diff(old, new, skip=(a_col, b_col))
            if not entry["changes"]:
                return None
        else:
            entry["op"] = "link" if old is None else "unlink"
            if extra:
                entry["changes"] = _diff(old, new, skip=(a_col, b_col))
        return entry
    child = _CHILDREN.get(table.name)
    if child is not None:
        column, owner, op_added = child
        if (owner, values.get(column)) in deleted:
            return None
        entry.update(kind=owner, record_id=values.get(column))
        entry["op"] = op_added if old is None else "edit"
        entry["changes"] = _diff(old, new, skip=(column,))
        if not entry["changes"]:
            return None
        entry["detail"] = table.name.replace("_", " ")
        if table.name == "measure_value" and values.get("period") is not None:
            # Which month or quarter: a value corrected keeps its period, so the change
            # alone would not say it ("measure value 2018-04-01").
            entry["detail"] += f" {_json(values['period'])}"
        return entry
    key = [c.name for c in table.primary_key.columns]
    if table.name == "setting":
        entry.update(op="setting", label=str(values.get("key", "")))
        entry["changes"] = {
            str(values.get("key", "")): [
                _json(old.get("value") if old else None),
                _json(new.get("value") if new else None),
            ]
        }
        if old is not None and new is not None and old.get("value") == new.get("value"):
            return None
        return entry
    ident = values.get(key[0]) if len(key) == 1 else None
    entry.update(
        record_id=ident if isinstance(ident, int) else None,
        label=label_of(values),
        op="create" if old is None else "delete" if new is None else "edit",
        changes=_diff(old, new),
    )
    if entry["op"] == "edit" and not entry["changes"]:
        return None
    return entry


def _fill_labels(
    session: Session, entries: list[dict[str, Any]], known: dict[tuple[str, Any], str]
) -> None:
    """Give each entry the labels of its records as they are now (one query per kind)."""
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        for kind_key, id_key, label_key in (
            ("kind", "record_id", "label"),
            ("other_kind", "other_id", "other_label"),
        ):
            ident = entry.get(id_key)
            if (
                ident is not None
                and not entry.get(label_key)
                and (entry[kind_key], ident) not in known
            ):
                wanted.setdefault(entry[kind_key], set()).add(int(ident))
    if wanted:  # the records this transaction read are in the session already
        for obj in list(session.identity_map.values()):
            table = _table(obj)
            ident = getattr(obj, "id", None)
            if table is not None and ident in wanted.get(table.name, ()):
                known[(table.name, ident)] = label_of(_values(_state(obj)))
                wanted[table.name].discard(ident)
    tables = HistoryRow.metadata.tables
    connection = session.connection()
    for kind, ids in wanted.items():
        if not ids:
            continue
        table = tables.get(kind)
        if table is None or "id" not in table.c:
            continue
        for chunk in _chunks(sorted(ids), 500):
            for row in connection.execute(select(table).where(table.c.id.in_(chunk))).mappings():
                known[(kind, row["id"])] = label_of(dict(row))
    for entry in entries:
        for kind_key, id_key, label_key in (
            ("kind", "record_id", "label"),
            ("other_kind", "other_id", "other_label"),
        ):
            if entry.get(id_key) is not None and not entry.get(label_key):
                entry[label_key] = known.get((entry[kind_key], entry[id_key]), "")


def _chunks(items: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- a save started from an older version ------------------------------------------------


def stale_versions(session: Session) -> list[tuple[str, int, int]]:
    """The versioned rows the failed flush was updating: (kind, id, version read)."""
    recorder: _Recorder | None = session.info.get(_KEY)
    return list(recorder.updating) if recorder is not None else []


def to_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
