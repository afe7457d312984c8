"""Evidence: what shows progress or impact (audits, trackers, KPIs, minutes, feedback...)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Select, SQLColumnExpression, and_, delete, func, or_, select
from sqlmodel import Session, col

from store import validation
from store._common import columns_of, fetch, flush, words_match
from store.database import Change, Store
from store.errors import ValidationError
from store.history_queries import check_version
from store.models import (
    ActionEvidenceLink,
    ActionRow,
    EvidenceRow,
    FindingEvidenceLink,
    FindingRow,
    VisitEvidenceRow,
)
from store.records import Evidence
from store.settings import stale_days as chosen_age
from store.vocab import DEFAULT_STALE_DAYS, EVIDENCE_KINDS

_FIELDS = (
    "title", "kind", "as_of", "owner", "location", "impact", "review_by", "personal_data", "missing_since",
)  # fmt: skip


def _clean(changes: dict[str, Any]) -> dict[str, Any]:
    validation.unknown_fields(changes, _FIELDS, "evidence item")
    out: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "title":
            out[key] = validation.title(value)
        elif key == "kind":
            out[key] = validation.choice(value, "kind", EVIDENCE_KINDS, default="other")
        elif key in ("as_of", "review_by", "missing_since"):
            out[key] = validation.optional_date(value, key)
        elif key == "personal_data":
            out[key] = validation.flag(value, key)
        elif key == "location":
            out[key] = validation.text(value, key, limit=2000)
        elif key == "owner":
            out[key] = validation.text(value, key, limit=200)
        else:
            out[key] = validation.text(value, key)
    return out


def location_status(location: str) -> str:
    """ "none" (no location), "link" (a URL), "file" (a path that exists) or "missing" (a path that does not)."""
    if not location.strip():
        return "none"
    if "://" in location or location.lower().startswith(("www.", "mailto:")):
        return "link"
    return "file" if Path(os.path.expanduser(location)).exists() else "missing"


def is_stale(
    as_of: date | None, review_by: date | None, on: date, stale_days: int = DEFAULT_STALE_DAYS
) -> bool:
    """Out of date at ``on`` (the visit date or today).

    An item with a review-by date is out of date once that date has passed, and not before:
    the date says how long it stays good (a practice standard reviewed every two years, a
    tracker reviewed monthly). An item without one is out of date once older than
    ``stale_days``.
    """
    if review_by is not None:
        return review_by < on
    return as_of is not None and (on - as_of).days > stale_days


# Link counts per row, looked up by index for the rows read (never grouped over all links).
_ACTIONS = (
    select(func.count())
    .where(col(ActionEvidenceLink.evidence_id) == EvidenceRow.id)
    .correlate(EvidenceRow)
    .scalar_subquery()
)
_FINDINGS = (
    select(func.count())
    .where(col(FindingEvidenceLink.evidence_id) == EvidenceRow.id)
    .correlate(EvidenceRow)
    .scalar_subquery()
)


def evidence_select() -> Select[Any]:
    return select(columns_of(EvidenceRow), _ACTIONS, _FINDINGS)


def judging(store: Store) -> tuple[date, int]:
    """What evidence read now is judged by: the store's today and its chosen age."""
    return store.today, chosen_age(store)


def evidence_from_row(
    row: EvidenceRow, actions: int, findings: int, *, judged: tuple[date, int] | None = None
) -> Evidence:
    """The record of a row; with ``judged`` (a day and the chosen age: :func:`judging`),
    out of date or not on that day."""
    out_of_date = judged is not None and is_stale(row.as_of, row.review_by, *judged)
    return Evidence(
        id=row.id or 0,
        title=row.title,
        kind=row.kind,
        as_of=row.as_of,
        owner=row.owner,
        location=row.location,
        impact=row.impact,
        review_by=row.review_by,
        personal_data=row.personal_data,
        missing_since=row.missing_since,
        action_count=actions,
        finding_count=findings,
        out_of_date=out_of_date,
        version=row.version,
    )


def _load(session: Session, evidence_id: int, store: Store) -> Evidence:
    result = session.execute(evidence_select().where(col(EvidenceRow.id) == evidence_id)).one()
    return evidence_from_row(*result, judged=judging(store))


def create_evidence(
    store: Store,
    *,
    title: str,
    action_ids: Iterable[int] = (),
    finding_ids: Iterable[int] = (),
    **fields: Any,
) -> Evidence:
    """Record an evidence item, optionally linked to actions and findings it supports."""
    clean = _clean({"title": title, **fields})
    with store.transaction() as tx:
        row = EvidenceRow(**clean)
        tx.session.add(row)
        flush(tx.session, "That evidence item")
        for action_id in action_ids:
            fetch(tx.session, ActionRow, action_id, "action")
            tx.session.add(ActionEvidenceLink(action_id=int(action_id), evidence_id=row.id or 0))
            tx.changes.append(Change("action", int(action_id), "upsert"))
        for finding_id in finding_ids:
            fetch(tx.session, FindingRow, finding_id, "finding")
            tx.session.add(FindingEvidenceLink(finding_id=int(finding_id), evidence_id=row.id or 0))
            tx.changes.append(Change("finding", int(finding_id), "upsert"))
        flush(tx.session, "That link")
        tx.changes.append(Change("evidence", row.id or 0, "upsert"))
        return _load(tx.session, row.id or 0, store)


def update_evidence(
    store: Store, evidence_id: int, *, expected_version: object = None, **changes: Any
) -> Evidence:
    """Change an evidence item's fields; only the ones given are touched.

    ``expected_version``: the version the form started from (the record's
    ``version``); a save over a newer one is refused with :class:`StaleRecord`.
    """
    clean = _clean(changes)
    with store.transaction() as tx:
        row = fetch(tx.session, EvidenceRow, evidence_id, "evidence item")
        check_version(tx.session, "evidence", row, expected_version)
        for key, value in clean.items():
            setattr(row, key, value)
        flush(tx.session, "That evidence item")
        tx.changes.append(Change("evidence", row.id or 0, "upsert"))
        return _load(tx.session, row.id or 0, store)


def get_evidence(store: Store, evidence_id: int) -> Evidence:
    with store.reading() as session:
        fetch(session, EvidenceRow, evidence_id, "evidence item")
        return _load(session, int(evidence_id), store)


def delete_evidence(store: Store, evidence_id: int) -> None:
    """Delete an evidence item and its links and ticks (never the file it points to)."""
    with store.transaction() as tx:
        row = fetch(tx.session, EvidenceRow, evidence_id, "evidence item")
        for table, column in (
            (ActionEvidenceLink, col(ActionEvidenceLink.evidence_id)),
            (FindingEvidenceLink, col(FindingEvidenceLink.evidence_id)),
            (VisitEvidenceRow, col(VisitEvidenceRow.evidence_id)),
        ):
            tx.session.execute(delete(table).where(column == row.id))
        tx.session.delete(row)
        flush(tx.session, "That evidence item")
        tx.changes.append(Change("evidence", int(evidence_id), "delete"))


_SORTS: dict[str, tuple[SQLColumnExpression[Any], ...]] = {
    "title": (func.lower(col(EvidenceRow.title)),),
    "kind": (col(EvidenceRow.kind), func.lower(col(EvidenceRow.title))),
    "as_of": (
        col(EvidenceRow.as_of).is_(None),
        col(EvidenceRow.as_of),
        func.lower(col(EvidenceRow.title)),
    ),
    "review_by": (
        col(EvidenceRow.review_by).is_(None),
        col(EvidenceRow.review_by),
        func.lower(col(EvidenceRow.title)),
    ),
    "owner": (func.lower(col(EvidenceRow.owner)), func.lower(col(EvidenceRow.title))),
    "links": (_ACTIONS + _FINDINGS, func.lower(col(EvidenceRow.title))),
}


def _filtered(
    store: Store,
    query: Select[Any],
    *,
    kind: str | None = None,
    owner: str | None = None,
    action_id: int | None = None,
    finding_id: int | None = None,
    stale: bool = False,
    stale_days: int | None = None,
    missing: bool = False,
    unlinked: bool = False,
    location_prefix: str | None = None,
    text: str | None = None,
) -> Select[Any]:
    if kind:
        query = query.where(
            col(EvidenceRow.kind) == validation.choice(kind, "kind", EVIDENCE_KINDS)
        )
    if owner:
        query = query.where(words_match(owner, col(EvidenceRow.owner)))
    if action_id is not None:
        query = query.where(
            select(col(ActionEvidenceLink.evidence_id))
            .where(
                col(ActionEvidenceLink.evidence_id) == EvidenceRow.id,
                col(ActionEvidenceLink.action_id) == action_id,
            )
            .exists()
        )
    if finding_id is not None:
        query = query.where(
            select(col(FindingEvidenceLink.evidence_id))
            .where(
                col(FindingEvidenceLink.evidence_id) == EvidenceRow.id,
                col(FindingEvidenceLink.finding_id) == finding_id,
            )
            .exists()
        )
    if stale:
        days = chosen_age(store) if stale_days is None else stale_days
        cutoff = store.today - timedelta(days=days)
        # The review-by date, when there is one, decides (see is_stale).
        query = query.where(
            or_(
                col(EvidenceRow.review_by) < store.today,
                and_(col(EvidenceRow.review_by).is_(None), col(EvidenceRow.as_of) < cutoff),
            )
        )
    if missing:
        # A scan already saw the file go; plain local paths are checked on disk afterwards.
        query = query.where(
            or_(
                col(EvidenceRow.missing_since).is_not(None),
                ~col(EvidenceRow.location).contains("://"),
            )
        )
    if unlinked:
        query = query.where(
            ~select(col(ActionEvidenceLink.evidence_id))
            .where(col(ActionEvidenceLink.evidence_id) == EvidenceRow.id)
            .exists(),
            ~select(col(FindingEvidenceLink.evidence_id))
            .where(col(FindingEvidenceLink.evidence_id) == EvidenceRow.id)
            .exists(),
        )
    if location_prefix:
        query = query.where(col(EvidenceRow.location).startswith(location_prefix))
    if text:
        query = query.where(words_match(text, col(EvidenceRow.title)))
    return query


def is_missing(evidence: Evidence) -> bool:
    """A scan saw the file go, or the local path it names is not there."""
    return evidence.missing_since is not None or location_status(evidence.location) == "missing"


def list_evidence(
    store: Store,
    *,
    sort: str = "title",
    descending: bool = False,
    limit: int | None = None,
    offset: int = 0,
    **filters: Any,
) -> list[Evidence]:
    """Evidence matching the filters (kind, owner, action_id, finding_id, stale, missing,
    unlinked, location_prefix, text), sorted by ``sort`` (title, kind, as_of, review_by,
    owner, links)."""
    if sort not in _SORTS:
        raise ValidationError(
            "sort", f"Evidence cannot be sorted by '{sort}'. Choose: {', '.join(_SORTS)}."
        )
    missing = bool(filters.get("missing"))
    with store.reading() as session:
        order = [c.desc() if descending else c for c in _SORTS[sort]]
        if missing or limit is None:
            query = _filtered(store, evidence_select(), **filters).order_by(
                *order, col(EvidenceRow.id)
            )
            if not missing:
                query = query.offset(offset)
        else:
            # Sort and cut the window on ids alone, then read whole rows for that window only.
            window = _filtered(store, select(col(EvidenceRow.id)), **filters)
            window = window.order_by(*order, col(EvidenceRow.id)).offset(offset).limit(limit)
            query = evidence_select().where(col(EvidenceRow.id).in_(window.correlate(None)))
            query = query.order_by(*order, col(EvidenceRow.id))
        judged = judging(store)
        records = [evidence_from_row(*result, judged=judged) for result in session.execute(query)]
    if missing:
        records = [r for r in records if is_missing(r)]
        records = records[offset : None if limit is None else offset + limit]
    return records


def count_evidence(store: Store, **filters: Any) -> int:
    """How many evidence items match the filters of :func:`list_evidence`."""
    if filters.get("missing"):
        return len(list_evidence(store, **filters))
    with store.reading() as session:
        return session.scalar(count_evidence_query(store, **filters)) or 0


def count_evidence_query(store: Store, **filters: Any) -> Select[Any]:
    """The ``SELECT count`` behind :func:`count_evidence`, to run with other counts at once.

    Not for ``missing``: that needs a look on disk (``store.gaps.count_missing_evidence``).
    """
    if filters.get("missing"):
        raise ValueError("Missing files are counted on disk, not in one query.")
    return _filtered(
        store, select(func.count(col(EvidenceRow.id))).select_from(EvidenceRow), **filters
    )
