"""Sources: where findings come from (an inspection report, a monitoring visit letter, an audit)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlmodel import Session, col

from store import validation
from store._common import fetch, flush, id_column, plural
from store.database import Change, Store
from store.errors import HasLinks, ValidationError
from store.history_queries import check_version
from store.models import FindingRow, JudgementRow, SourceRow
from store.records import Judgement, Source
from store.vocab import FRAMEWORKS, GRADES, SOURCE_KINDS

_FIELDS = (
    "kind", "title", "local_authority", "framework", "start_date", "end_date",
    "published_date", "lead_inspector", "url", "file_path", "content_hash", "judgements",
    "ours", "council_code",
)  # fmt: skip


def _clean(changes: dict[str, Any]) -> dict[str, Any]:
    validation.unknown_fields(changes, _FIELDS, "source")
    out: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "kind":
            out[key] = validation.choice(value, "kind", SOURCE_KINDS)
        elif key == "title":
            out[key] = validation.title(value)
        elif key == "framework":
            out[key] = validation.choice(value, "framework", FRAMEWORKS) if value else ""
        elif key in ("start_date", "end_date", "published_date"):
            out[key] = validation.optional_date(value, key)
        elif key == "ours":
            out[key] = validation.flag(value, key)
        elif key == "council_code":
            out[key] = _council_code(value)
        elif key == "content_hash":
            out[key] = validation.text(value, key) or None
        elif key == "judgements":
            out[key] = [
                (
                    validation.title(area, "judgement area"),
                    validation.choice(grade, "grade", GRADES),
                )
                for area, grade in value
            ]
        else:
            out[key] = validation.text(value, key, limit=2000)
    return out


def _council_code(value: object) -> str:
    """An ONS code on the official list of councils (store.councils), or "" for none."""
    from store.councils import council_by_code

    code = validation.text(value, "council_code", limit=20).upper()
    if code and council_by_code(code) is None:
        raise ValidationError(
            "council_code", f"'{code}' is not the ONS code of a council on the official list."
        )
    return code


def _record(session: Session, row: SourceRow) -> Source:
    judgements = session.scalars(
        select(JudgementRow)
        .where(col(JudgementRow.source_id) == row.id)
        .order_by(col(JudgementRow.id))
    )
    count = session.scalar(select(func.count()).where(col(FindingRow.source_id) == row.id)) or 0
    return Source(
        id=row.id or 0,
        kind=row.kind,
        title=row.title,
        local_authority=row.local_authority,
        framework=row.framework,
        start_date=row.start_date,
        end_date=row.end_date,
        published_date=row.published_date,
        lead_inspector=row.lead_inspector,
        url=row.url,
        file_path=row.file_path,
        content_hash=row.content_hash,
        judgements=tuple(Judgement(j.area, j.grade) for j in judgements),
        finding_count=count,
        ours=row.ours,
        council_code=row.council_code,
        version=row.version,
    )


def _set_judgements(
    session: Session, source_id: int, judgements: Iterable[tuple[str, str]]
) -> None:
    session.execute(delete(JudgementRow).where(col(JudgementRow.source_id) == source_id))
    for area, grade in judgements:
        session.add(JudgementRow(source_id=source_id, area=area, grade=grade))


def create_source(store: Store, *, kind: str, title: str, **fields: Any) -> Source:
    """Record where findings come from, with its judgements as ``(area, grade)`` pairs.

    ``ours=False`` records another council's report, kept to search and learn from: its
    findings are never in a visit's pack, the gaps or the dashboard's numbers."""
    clean = _clean({"kind": kind, "title": title, **fields})
    judgements = clean.pop("judgements", [])
    validation.date_order(clean.get("start_date"), clean.get("end_date"), "end_date",
                          "The end date is before the start date.")  # fmt: skip
    with store.transaction() as tx:
        row = SourceRow(**clean, created_at=datetime.now(UTC))
        tx.session.add(row)
        flush(tx.session, f"A source for '{clean['title']}'")
        _set_judgements(tx.session, row.id or 0, judgements)
        flush(tx.session, "The judgements")
        tx.changes.append(Change("source", row.id or 0, "upsert"))
        return _record(tx.session, row)


def update_source(
    store: Store, source_id: int, *, expected_version: object = None, **changes: Any
) -> Source:
    """Change a source's details (and, if given, replace its judgements).

    ``ours`` moves a report between this council's own and another council's: its findings
    come into (or leave) the packs and gaps at once. A finding added to a pack by hand
    keeps that choice, and counts again when its report is marked ours again.

    ``expected_version``: the version the form started from (the record's
    ``version``); a save over a newer one is refused with :class:`StaleRecord`.
    """
    clean = _clean(changes)
    with store.transaction() as tx:
        row = fetch(tx.session, SourceRow, source_id, "source")
        check_version(tx.session, "source", row, expected_version)
        judgements = clean.pop("judgements", None)
        for key, value in clean.items():
            setattr(row, key, value)
        validation.date_order(
            row.start_date, row.end_date, "end_date", "The end date is before the start date."
        )
        if judgements is not None:
            _set_judgements(tx.session, row.id or 0, judgements)
        flush(tx.session, "That source")
        tx.changes.append(Change("source", row.id or 0, "upsert"))
        return _record(tx.session, row)


def get_source(store: Store, source_id: int) -> Source:
    with store.reading() as session:
        return _record(session, fetch(session, SourceRow, source_id, "source"))


def list_sources(store: Store, *, ours: bool | None = None) -> list[Source]:
    """Every source, newest inspection first; ``ours=True`` only this council's own reports,
    ``ours=False`` only other councils'."""
    with store.reading() as session:
        query = select(SourceRow).order_by(
            col(SourceRow.start_date).desc().nulls_last(), col(SourceRow.title)
        )
        if ours is not None:
            query = query.where(col(SourceRow.ours).is_(bool(ours)))
        return [_record(session, row) for row in session.scalars(query)]


def find_source_by_hash(store: Store, content_hash: str) -> Source | None:
    """The source imported from a file with this content hash, if any."""
    with store.reading() as session:
        row = session.scalar(select(SourceRow).where(col(SourceRow.content_hash) == content_hash))
        return _record(session, row) if row else None


def delete_source(store: Store, source_id: int, *, cascade: bool = False) -> None:
    """Delete a source. With findings under it, refuse unless ``cascade`` (then they go too)."""
    from store.findings import delete_finding_rows

    with store.transaction() as tx:
        row = fetch(tx.session, SourceRow, source_id, "source")
        finding_ids = list(
            tx.session.scalars(
                select(id_column(FindingRow.id)).where(col(FindingRow.source_id) == row.id)
            )
        )
        if finding_ids and not cascade:
            raise HasLinks(
                f"'{row.title}' has {plural(len(finding_ids), 'finding')}. Delete them too (cascade) or move them first."
            )
        delete_finding_rows(tx, finding_ids)
        tx.session.delete(row)
        flush(tx.session, "That source")
        tx.changes.append(Change("source", source_id, "delete"))
