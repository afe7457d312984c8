"""Gaps: what is missing before a visit. Always computed from the store, never stored."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlmodel import Session, col

from store.actions import count_actions_query, list_actions
from store.database import Store
from store.evidence import (
    count_evidence_query,
    list_evidence,
    location_status,
)
from store.findings import count_findings_query, list_findings
from store.gap_rules import action_gaps, evidence_gaps, finding_gap, needs_action
from store.models import EvidenceRow
from store.pack import build_pack
from store.records import Gap
from store.refs import ref_key
from store.settings import stale_days as chosen_age
from store.vocab import (
    GAP_KINDS,
    NEEDS_ACTION_KINDS,
    NEEDS_ACTION_STATUSES,
)

# The findings a "no action" gap counts: the council's own that need an action and have none,
# and are things a report asks (not a detail paragraph, not the board's unless adopted).
NO_ACTION: dict[str, Any] = {
    "without_action": True,
    "status": NEEDS_ACTION_STATUSES,
    "kind": NEEDS_ACTION_KINDS,
    "ours": True,
    "asked": True,
}


def find_gaps(
    store: Store, *, visit_id: int | None = None, stale_days: int | None = None
) -> list[Gap]:
    """Every gap in the store, or only those in a visit's pack (judged at the visit date).

    Met findings and strengths need no action, so they are never a "no action" gap; nor
    are other councils' findings, which are kept only to search and learn from.
    """
    days = chosen_age(store) if stale_days is None else stale_days
    if visit_id is not None:
        return list(build_pack(store, visit_id, stale_days=days).gaps)
    today = store.today
    gaps = [
        finding_gap(f)
        for f in list_findings(store, without_action=True, ours=True, asked=True)
        if needs_action(f)
    ]
    for action in list_actions(store):
        gaps.extend(action_gaps(action, today))
    for evidence in list_evidence(store):
        gaps.extend(evidence_gaps(evidence, today, days))
    order = list(GAP_KINDS)
    return sorted(
        gaps, key=lambda g: (order.index(g.kind), g.record_kind, ref_key(g.ref), g.record_id)
    )


def gap_counts(
    store: Store, stale_days: int | None = None, *, check_files: bool = True
) -> dict[str, int]:
    """How many gaps of each kind, counted in the database (fast on a big store).

    Looking for evidence files on disk is the slow part when there are thousands of paths
    (more so on a network drive): ``check_files=False`` leaves it out, so "missing" counts
    only the files a folder scan saw go; :func:`count_missing_evidence` gives the full count.
    """
    with store.reading() as session:
        queries = gap_count_queries(store, session, stale_days)
        if not check_files:
            queries["missing"] = marked_missing_query()
        counts = count_at_once(session, queries)
    if check_files:
        counts["missing"] = count_missing_evidence(store)
    return {kind: counts[kind] for kind in GAP_KINDS}


def gap_count_queries(
    store: Store, session: Session, stale_days: int | None = None
) -> dict[str, Select[Any]]:
    """The ``SELECT count`` of each gap kind the database can count alone (all but missing)."""
    return {
        "no_action": count_findings_query(session, **NO_ACTION),
        "no_evidence": count_actions_query(store, session, without_evidence=True),
        "overdue": count_actions_query(store, session, overdue=True),
        "stale": count_evidence_query(store, stale=True, stale_days=stale_days),
    }


def count_at_once(session: Session, queries: dict[str, Select[Any]]) -> dict[str, int]:
    """Run several ``SELECT count`` queries as one statement, each still using its indexes.

    One trip to the database instead of one per number: each trip ends by waiting for the
    UI thread to let go of Python, which adds up while the first screen is being drawn.
    """
    columns = [query.scalar_subquery().label(name) for name, query in queries.items()]
    row = session.execute(select(*columns)).one()
    return {name: int(value or 0) for name, value in row._mapping.items()}


def marked_missing_query() -> Select[Any]:
    """How many evidence items a folder scan saw go (``missing_since`` is set)."""
    return select(func.count(col(EvidenceRow.id))).where(
        col(EvidenceRow.missing_since).is_not(None)
    )


def count_missing_evidence(store: Store, *, check_files: bool = True) -> int:
    """Evidence whose file a scan saw go, or whose local path is not there now.

    The database counts what a scan already marked; only the remaining plain paths are
    read back and looked for on disk. Links (a ``://`` or ``www.`` address) never are, so a
    store of SharePoint links costs one query, not a row per item. ``check_files=False``:
    only what a scan marked (no disk access at all).
    """
    location = col(EvidenceRow.location)
    with store.reading() as session:
        marked = session.scalar(marked_missing_query())
        if not check_files:
            return marked or 0
        paths = session.scalars(
            select(location).where(
                col(EvidenceRow.missing_since).is_(None),
                ~location.contains("://"),
                ~location.ilike("www.%"),
                ~location.ilike("mailto:%"),
                func.trim(location) != "",
            )
        ).all()
    # location_status has the last word on each path left (a mixed-case link, a blank).
    return (marked or 0) + sum(1 for path in paths if location_status(path) == "missing")
