"""What of each record is searched: one place that turns a store row into a SearchDoc.

Findings: ref and title rank as title; text, theme and source as body.
Actions: ref and title; description, owner, success measure and theme.
Evidence: title; impact, location, owner and kind.
Sources: title; local authority, kind, framework and lead inspector.
Measures: ref and name; definition, owner and theme.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from sys import intern
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from store.models import ActionRow, EvidenceRow, FindingRow, MeasureRow, SourceRow, ThemeRow
from store.search.index import SearchDoc

_CHUNK = 500


def _text(fields: Mapping[str, Any], *names: str) -> str:
    return "\n".join(str(fields[n]) for n in names if fields.get(n))


def doc_from_fields(kind: str, record_id: int, fields: Mapping[str, Any]) -> SearchDoc:
    """A SearchDoc from a record's fields by name (as the store functions name them)."""
    due = fields.get("due_date")
    if kind == "finding":
        return SearchDoc(
            kind,
            record_id,
            fields.get("title") or "",
            fields.get("text") or "",
            ref=fields.get("ref") or "",
            extra=_text(fields, "theme", "source"),
            theme=intern(fields.get("theme") or ""),
            source=intern(fields.get("source") or ""),
        )
    if kind == "action":
        return SearchDoc(
            kind,
            record_id,
            fields.get("title") or "",
            fields.get("description") or "",
            ref=fields.get("ref") or "",
            extra=_text(fields, "owner", "success_measure", "theme"),
            theme=intern(fields.get("theme") or ""),
            brag=intern(fields.get("brag") or ""),
            due_date=due if isinstance(due, date) else None,
        )
    if kind == "evidence":
        return SearchDoc(
            kind,
            record_id,
            fields.get("title") or "",
            fields.get("impact") or "",
            extra=_text(fields, "owner", "location", "kind"),
        )
    if kind == "source":
        title = fields.get("title") or ""
        return SearchDoc(
            kind,
            record_id,
            title,
            "",
            extra=_text(fields, "local_authority", "kind", "framework", "lead_inspector"),
            source=intern(title),
        )
    if kind == "measure":
        return SearchDoc(
            kind,
            record_id,
            fields.get("name") or "",
            fields.get("definition") or "",
            ref=fields.get("ref") or "",
            extra=_text(fields, "owner", "theme"),
            theme=intern(fields.get("theme") or ""),
        )
    raise ValueError(f"cannot search records of kind {kind!r}")


def _finding_rows(session: Session, ids: list[int] | None) -> Iterator[SearchDoc]:
    query = (
        select(
            col(FindingRow.id),
            col(FindingRow.ref),
            col(FindingRow.title),
            col(FindingRow.text),
            col(ThemeRow.name),
            col(SourceRow.title),
        )
        .outerjoin(ThemeRow, col(ThemeRow.id) == FindingRow.theme_id)
        .outerjoin(SourceRow, col(SourceRow.id) == FindingRow.source_id)
    )
    for chunk in _chunks(ids):
        q = query if chunk is None else query.where(col(FindingRow.id).in_(chunk))
        for rid, ref, title, text, theme, source in session.execute(q.order_by(col(FindingRow.id))):
            fields = {"ref": ref, "title": title, "text": text, "theme": theme, "source": source}
            yield doc_from_fields("finding", rid, fields)


def _action_rows(session: Session, ids: list[int] | None) -> Iterator[SearchDoc]:
    query = select(
        col(ActionRow.id), col(ActionRow.ref), col(ActionRow.title), col(ActionRow.description),
        col(ActionRow.owner), col(ActionRow.success_measure), col(ThemeRow.name),
        col(ActionRow.brag), col(ActionRow.due_date),
    ).outerjoin(ThemeRow, col(ThemeRow.id) == ActionRow.theme_id)  # fmt: skip
    names = ("ref", "title", "description", "owner", "success_measure", "theme", "brag", "due_date")
    for chunk in _chunks(ids):
        q = query if chunk is None else query.where(col(ActionRow.id).in_(chunk))
        for rid, *values in session.execute(q.order_by(col(ActionRow.id))):
            yield doc_from_fields("action", rid, dict(zip(names, values, strict=True)))


def _evidence_rows(session: Session, ids: list[int] | None) -> Iterator[SearchDoc]:
    query = select(
        col(EvidenceRow.id),
        col(EvidenceRow.title),
        col(EvidenceRow.impact),
        col(EvidenceRow.owner),
        col(EvidenceRow.location),
        col(EvidenceRow.kind),
    )
    names = ("title", "impact", "owner", "location", "kind")
    for chunk in _chunks(ids):
        q = query if chunk is None else query.where(col(EvidenceRow.id).in_(chunk))
        for rid, *values in session.execute(q.order_by(col(EvidenceRow.id))):
            yield doc_from_fields("evidence", rid, dict(zip(names, values, strict=True)))


def _source_rows(session: Session, ids: list[int] | None) -> Iterator[SearchDoc]:
    query = select(
        col(SourceRow.id),
        col(SourceRow.title),
        col(SourceRow.local_authority),
        col(SourceRow.kind),
        col(SourceRow.framework),
        col(SourceRow.lead_inspector),
    )
    names = ("title", "local_authority", "kind", "framework", "lead_inspector")
    for chunk in _chunks(ids):
        q = query if chunk is None else query.where(col(SourceRow.id).in_(chunk))
        for rid, *values in session.execute(q.order_by(col(SourceRow.id))):
            yield doc_from_fields("source", rid, dict(zip(names, values, strict=True)))


def _measure_rows(session: Session, ids: list[int] | None) -> Iterator[SearchDoc]:
    query = select(
        col(MeasureRow.id), col(MeasureRow.ref), col(MeasureRow.name),
        col(MeasureRow.definition), col(MeasureRow.owner), col(ThemeRow.name),
    ).outerjoin(ThemeRow, col(ThemeRow.id) == MeasureRow.theme_id)  # fmt: skip
    names = ("ref", "name", "definition", "owner", "theme")
    for chunk in _chunks(ids):
        q = query if chunk is None else query.where(col(MeasureRow.id).in_(chunk))
        for rid, *values in session.execute(q.order_by(col(MeasureRow.id))):
            yield doc_from_fields("measure", rid, dict(zip(names, values, strict=True)))


_READERS = {
    "finding": _finding_rows,
    "action": _action_rows,
    "evidence": _evidence_rows,
    "source": _source_rows,
    "measure": _measure_rows,
}
SEARCHED_KINDS = tuple(_READERS)


def _chunks(ids: list[int] | None) -> Iterator[list[int] | None]:
    if ids is None:
        yield None
        return
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def read_docs(session: Session, kind: str, ids: Iterable[int] | None = None) -> Iterator[SearchDoc]:
    """Search documents for the records of one kind (all of them when ``ids`` is None)."""
    return _READERS[kind](session, None if ids is None else sorted(set(ids)))


def all_docs(session: Session) -> Iterator[SearchDoc]:
    """Every searchable record in the store."""
    for kind in SEARCHED_KINDS:
        yield from read_docs(session, kind)


def ids_with_theme(session: Session, theme_id: int) -> dict[str, list[int]]:
    """Findings and actions filed under a theme (their searched text names it)."""
    return {
        "finding": list(
            session.scalars(select(col(FindingRow.id)).where(col(FindingRow.theme_id) == theme_id))
        ),
        "action": list(
            session.scalars(select(col(ActionRow.id)).where(col(ActionRow.theme_id) == theme_id))
        ),
        "measure": list(
            session.scalars(select(col(MeasureRow.id)).where(col(MeasureRow.theme_id) == theme_id))
        ),
    }


def other_council_source_titles(session: Session) -> list[str]:
    """Titles of other councils' reports: a hit whose ``source`` is one of them is theirs."""
    return list(session.scalars(select(col(SourceRow.title)).where(col(SourceRow.ours).is_(False))))


def finding_ids_of_source(session: Session, source_id: int) -> list[int]:
    return list(
        session.scalars(select(col(FindingRow.id)).where(col(FindingRow.source_id) == source_id))
    )


def fingerprint(session: Session) -> tuple[float, ...]:
    """What the saved index must match: the store's change counter (the newest history
    entry's id: every write by anyone makes it larger, see :mod:`store.history`), with the
    rows and highest id per table (which also tell a store whose history was begun after
    its records). Cheap on both backends: indexed maxima and counts, no SQL of one dialect.
    """
    from store.models import HistoryRow

    out: list[float] = [float(session.scalar(select(func.max(col(HistoryRow.id)))) or 0)]
    for model in (FindingRow, ActionRow, EvidenceRow, SourceRow, ThemeRow, MeasureRow):
        ident = col(model.id)
        row = session.execute(select(func.count(ident), func.coalesce(func.max(ident), 0))).one()
        out.extend((int(row[0]), int(row[1])))
    return tuple(out)
