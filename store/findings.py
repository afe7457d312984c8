"""Findings: what Ofsted (or an audit) said, verbatim, filed under a theme."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    SQLColumnExpression,
    Table,
    and_,
    delete,
    func,
    or_,
    select,
    union,
)
from sqlmodel import Session, col

from store import validation
from store._common import columns_of, fetch, flush, id_column, plural, words_match
from store.database import Change, Store, _Tx
from store.errors import HasLinks, ValidationError
from store.history_queries import check_version
from store.models import (
    ActionEvidenceLink,
    FindingActionLink,
    FindingEvidenceLink,
    FindingRow,
    SourceRow,
    ThemeRow,
    VisitFindingRow,
)
from store.records import Finding
from store.refs import ref_key
from store.themes import resolve_theme
from store.vocab import FINDING_KINDS, FINDING_ROLES, FINDING_STATUSES

_FIELDS = (
    "title",
    "text",
    "ref",
    "source_id",
    "theme",
    "kind",
    "judgement_area",
    "status",
    "parent_id",
    "role",
    "detail_of",
    "adopted",
)


def _clean(
    session: Session, changes: dict[str, Any], cache: dict[tuple[str, Any], Any] | None = None
) -> dict[str, Any]:
    """The checked columns of ``changes``. ``cache`` keeps the themes and sources looked up,
    for many findings checked at once."""
    validation.unknown_fields(changes, _FIELDS, "finding")
    out: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "title":
            out[key] = validation.title(value)
        elif key == "text":
            out[key] = validation.text(value, "text")
        elif key == "ref":
            out[key] = " ".join(validation.text(value, "ref", limit=40).split())
            out["ref_key"] = ref_key(out[key])
        elif key == "kind":
            out[key] = validation.choice(value, "kind", FINDING_KINDS)
        elif key == "status":
            out[key] = validation.choice(value, "status", FINDING_STATUSES)
        elif key == "judgement_area":
            out[key] = validation.text(value, "judgement_area", limit=300)
        elif key == "theme":
            if cache is not None and ("theme", value) in cache:
                out["theme_id"] = cache["theme", value]
                continue
            theme = resolve_theme(session, value)
            out["theme_id"] = theme.id if theme else None
            if cache is not None:
                cache["theme", value] = out["theme_id"]
        elif key == "source_id":
            if value in (None, ""):
                out[key] = None
            elif cache is not None and ("source", value) in cache:
                out[key] = cache["source", value]
            else:
                out[key] = fetch(session, SourceRow, value, "source").id
                if cache is not None:
                    cache["source", value] = out[key]
        elif key in ("parent_id", "detail_of"):
            if value in (None, ""):
                out[key] = None
            else:
                out[key] = fetch(session, FindingRow, value, "finding").id
        elif key == "role":
            out[key] = validation.choice(value or "", "role", FINDING_ROLES)
        elif key == "adopted":
            out[key] = bool(value)
    return out


# Link counts per row, looked up by index for the rows read (never grouped over all links).
_ACTIONS = (
    select(func.count())
    .where(col(FindingActionLink.finding_id) == FindingRow.id)
    .correlate(FindingRow)
    .scalar_subquery()
)
_EVIDENCE = (
    select(func.count())
    .where(col(FindingEvidenceLink.finding_id) == FindingRow.id)
    .correlate(FindingRow)
    .scalar_subquery()
)
# Every evidence item behind a finding, as its pack entry shows them: linked to it, or to
# one of its actions; one item linked both ways (or through two actions) counts once. Also
# looked up by index (the links' primary keys) for the rows read only.
_ALL_EVIDENCE = (
    select(func.count())
    .select_from(
        union(
            select(col(FindingEvidenceLink.evidence_id))
            .where(col(FindingEvidenceLink.finding_id) == FindingRow.id)
            .correlate(FindingRow),
            select(col(ActionEvidenceLink.evidence_id))
            .join(
                FindingActionLink,
                col(FindingActionLink.action_id) == col(ActionEvidenceLink.action_id),
            )
            .where(col(FindingActionLink.finding_id) == FindingRow.id)
            .correlate(FindingRow),
        ).subquery()
    )
    .correlate(FindingRow)
    .scalar_subquery()
)


def _joined(*columns: Any) -> Select[Any]:
    return (
        select(*columns)
        .outerjoin(ThemeRow, col(ThemeRow.id) == FindingRow.theme_id)
        .outerjoin(SourceRow, col(SourceRow.id) == FindingRow.source_id)
    )


def finding_select() -> Select[Any]:
    return _joined(
        columns_of(FindingRow),
        col(ThemeRow.name),
        col(SourceRow.title),
        _ACTIONS,
        _EVIDENCE,
        _ALL_EVIDENCE,
        col(SourceRow.ours),
        col(SourceRow.local_authority),
    )


def finding_from_row(
    row: FindingRow,
    theme: str | None,
    source: str | None,
    actions: int,
    evidence: int,
    all_evidence: int,
    ours: bool | None = None,
    local_authority: str | None = None,
) -> Finding:
    return Finding(
        role=row.role,
        detail_of=row.detail_of,
        adopted=row.adopted,
        id=row.id or 0,
        ref=row.ref,
        title=row.title,
        text=row.text,
        kind=row.kind,
        status=row.status,
        judgement_area=row.judgement_area,
        source_id=row.source_id,
        source_title=source or "",
        theme_id=row.theme_id,
        theme=theme or "",
        parent_id=row.parent_id,
        action_count=actions,
        evidence_count=evidence,
        all_evidence_count=all_evidence,
        ours=ours is not False,  # no source: the council's own
        local_authority=local_authority or "",
        version=row.version,
    )


def ours_clause(ours: bool) -> ColumnElement[bool]:
    """Findings of this council's own reports (``True``: a finding with no source is one),
    or of other councils' reports (``False``).

    The dashboard's hand-written SQL (``store.overview``) says the same; keep them alike.
    """
    others = select(id_column(SourceRow.id)).where(col(SourceRow.ours).is_(False))
    source_id = col(FindingRow.source_id)
    if ours:
        return or_(source_id.is_(None), source_id.not_in(others))
    return source_id.in_(others)


def asked_clause() -> ColumnElement[bool]:
    """Findings that are things a report asks the council to do (:attr:`Finding.asked`):
    not a detail paragraph, and not the safeguarding board's unless the lead adopted it.

    The dashboard's hand-written SQL (``store.overview``) says the same; a test keeps
    them alike."""
    role = col(FindingRow.role)
    return or_(role == "", and_(role == "board", col(FindingRow.adopted).is_(True)))


def _load(session: Session, finding_id: int) -> Finding:
    result = session.execute(finding_select().where(col(FindingRow.id) == finding_id)).one()
    return finding_from_row(*result)


def add_findings(store: Store, items: list[dict[str, Any]]) -> list[int]:
    """Record many findings at once (an import's), each checked as :func:`create_finding`
    checks one; returns their ids in order. One flush, and no record read back."""
    if not items:
        return []
    with store.transaction() as tx:
        cache: dict[tuple[str, Any], Any] = {}
        rows = [FindingRow(**_clean(tx.session, dict(item), cache)) for item in items]
        tx.session.add_all(rows)
        flush(tx.session, "A finding with one of those refs in that source")
        tx.changes.extend(Change("finding", row.id or 0, "upsert") for row in rows)
        return [row.id or 0 for row in rows]


def create_finding(store: Store, *, title: str, **fields: Any) -> Finding:
    """Record a finding. ``theme`` is a theme name (or unique start of one) or id."""
    with store.transaction() as tx:
        clean = _clean(tx.session, {"title": title, **fields})
        row = FindingRow(**clean)
        tx.session.add(row)
        flush(tx.session, f"A finding with ref '{row.ref}' in that source")
        tx.changes.append(Change("finding", row.id or 0, "upsert"))
        return _load(tx.session, row.id or 0)


def update_finding(
    store: Store, finding_id: int, *, expected_version: object = None, **changes: Any
) -> Finding:
    """Change a finding's fields; only the ones given are touched.

    ``expected_version``: the version the form started from (the record's
    ``version``); a save over a newer one is refused with :class:`StaleRecord`.
    """
    with store.transaction() as tx:
        row = fetch(tx.session, FindingRow, finding_id, "finding")
        check_version(tx.session, "finding", row, expected_version)
        clean = _clean(tx.session, changes)
        if clean.get("parent_id") == row.id:
            raise ValidationError("parent_id", "A finding cannot be its own parent.")
        if clean.get("detail_of") == row.id:
            raise ValidationError("detail_of", "A paragraph cannot be the detail of itself.")
        if clean.get("adopted") and clean.get("role", row.role) != "board":
            raise ValidationError(
                "adopted",
                "Only a safeguarding board's recommendation is adopted: "
                + (
                    "this is a paragraph of detail behind a recommendation."
                    if clean.get("role", row.role) == "detail"
                    else "this finding counts as the council's already."
                ),
            )
        for key, value in clean.items():
            setattr(row, key, value)
        flush(tx.session, f"A finding with ref '{row.ref}' in that source")
        tx.changes.append(Change("finding", row.id or 0, "upsert"))
        return _load(tx.session, row.id or 0)


def get_finding(store: Store, finding_id: int) -> Finding:
    with store.reading() as session:
        fetch(session, FindingRow, finding_id, "finding")
        return _load(session, int(finding_id))


def delete_finding(store: Store, finding_id: int, *, cascade: bool = False) -> None:
    """Delete a finding. If actions or evidence are linked, refuse unless ``cascade``
    (which removes the links, never the actions or evidence themselves)."""
    with store.transaction() as tx:
        row = fetch(tx.session, FindingRow, finding_id, "finding")
        actions = (
            tx.session.scalar(
                select(func.count()).where(col(FindingActionLink.finding_id) == row.id)
            )
            or 0
        )
        evidence = (
            tx.session.scalar(
                select(func.count()).where(col(FindingEvidenceLink.finding_id) == row.id)
            )
            or 0
        )
        children = (
            tx.session.scalar(select(func.count()).where(col(FindingRow.parent_id) == row.id)) or 0
        )
        if (actions or evidence or children) and not cascade:
            parts = [
                plural(n, word)
                for n, word in (
                    (actions, "action"),
                    (evidence, "evidence item"),
                    (children, "later finding"),
                )
                if n
            ]
            raise HasLinks(
                f"Finding {row.ref or row.id} is linked to {' and '.join(parts)}. "
                "Unlink them first, or delete with cascade to remove the links too."
            )
        delete_finding_rows(tx, [row.id or 0])


def delete_finding_rows(tx: _Tx, finding_ids: Iterable[int]) -> None:
    """Delete findings and their links (for a cascade); actions and evidence stay."""
    ids = list(finding_ids)
    if not ids:
        return
    session = tx.session
    for table, column in (
        (FindingActionLink, col(FindingActionLink.finding_id)),
        (FindingEvidenceLink, col(FindingEvidenceLink.finding_id)),
        (VisitFindingRow, col(VisitFindingRow.finding_id)),
    ):
        session.execute(delete(table).where(column.in_(ids)))
    # SQLAlchemy adds __table__ to the class at run time; SQLModel does not declare it.
    findings: Table = FindingRow.__table__  # type: ignore[attr-defined]
    session.execute(findings.update().where(findings.c.parent_id.in_(ids)).values(parent_id=None))
    session.execute(delete(FindingRow).where(col(FindingRow.id).in_(ids)))
    tx.changes.extend(Change("finding", i, "delete") for i in ids)


_REF = col(FindingRow.ref)
# Natural order (R2 before R10), on the index (source_id, ref_key) for the default sort.
_REF_KEY = col(FindingRow.ref_key)
_SORTS: dict[str, tuple[SQLColumnExpression[Any], ...]] = {
    "ref": (col(FindingRow.source_id), _REF_KEY),
    "title": (func.lower(col(FindingRow.title)),),
    "theme": (col(ThemeRow.position), _REF_KEY),
    "status": (col(FindingRow.status), _REF_KEY),
    "kind": (col(FindingRow.kind), _REF_KEY),
    "source": (col(SourceRow.title), _REF_KEY),
    "actions": (_ACTIONS, _REF_KEY),
}


def _filtered(
    session: Session,
    query: Select[Any],
    *,
    theme: object = None,
    source_id: int | None = None,
    status: str | Iterable[str] | None = None,
    kind: str | Iterable[str] | None = None,
    without_action: bool = False,
    ids: Iterable[int] | None = None,
    text: str | None = None,
    ours: bool | None = None,
    asked: bool | None = None,
    detail_of: int | None = None,
) -> Select[Any]:
    if ours is not None:
        query = query.where(ours_clause(bool(ours)))
    if asked is not None:
        query = query.where(asked_clause() if asked else ~asked_clause())
    if detail_of is not None:
        query = query.where(col(FindingRow.detail_of) == detail_of)
    if theme is not None:
        row = resolve_theme(session, theme)
        query = query.where(col(FindingRow.theme_id) == (row.id if row else None))
    if source_id is not None:
        query = query.where(col(FindingRow.source_id) == source_id)
    if status:
        wanted = [status] if isinstance(status, str) else list(status)
        statuses = [validation.choice(s, "status", FINDING_STATUSES) for s in wanted]
        query = query.where(col(FindingRow.status).in_(statuses))
    if kind:
        wanted = [kind] if isinstance(kind, str) else list(kind)
        kinds = [validation.choice(k, "kind", FINDING_KINDS) for k in wanted]
        query = query.where(col(FindingRow.kind).in_(kinds))
    if without_action:
        query = query.where(
            ~select(col(FindingActionLink.finding_id))
            .where(col(FindingActionLink.finding_id) == FindingRow.id)
            .exists()
        )
    if ids is not None:
        query = query.where(col(FindingRow.id).in_(list(ids)))
    if text:
        query = query.where(words_match(text, col(FindingRow.title), _REF))
    return query


def list_findings(
    store: Store,
    *,
    sort: str = "ref",
    descending: bool = False,
    limit: int | None = None,
    offset: int = 0,
    **filters: Any,
) -> list[Finding]:
    """Findings matching the filters (theme, source_id, status, kind, without_action, ids, text,
    ours), sorted by ``sort`` (ref, title, theme, status, kind, source, actions);
    ``limit``/``offset`` give a window of a long list.

    ``ours=True`` gives only this council's own findings, ``ours=False`` only those of other
    councils' reports (kept for search and learning); left out (``None``), all of them.
    """
    if sort not in _SORTS:
        raise ValidationError(
            "sort", f"Findings cannot be sorted by '{sort}'. Choose: {', '.join(_SORTS)}."
        )
    with store.reading() as session:
        order = [c.desc() if descending else c for c in _SORTS[sort]]
        if limit is None:
            query = _filtered(session, finding_select(), **filters).order_by(
                *order, col(FindingRow.id)
            )
            query = query.offset(offset)
        else:
            # Sort and cut the window on ids alone, then read whole rows for that window
            # only: at 100,000 findings this is ten times quicker than sorting whole rows.
            window = _filtered(session, _joined(col(FindingRow.id)), **filters)
            window = window.order_by(*order, col(FindingRow.id)).offset(offset).limit(limit)
            query = finding_select().where(col(FindingRow.id).in_(window.correlate(None)))
            query = query.order_by(*order, col(FindingRow.id))
        return [finding_from_row(*result) for result in session.execute(query)]


def count_findings(store: Store, **filters: Any) -> int:
    """How many findings match the filters of :func:`list_findings`."""
    with store.reading() as session:
        return session.scalar(count_findings_query(session, **filters)) or 0


def count_findings_query(session: Session, **filters: Any) -> Select[Any]:
    """The ``SELECT count`` behind :func:`count_findings`, to run with other counts at once."""
    return _filtered(
        session, select(func.count(col(FindingRow.id))).select_from(FindingRow), **filters
    )


def adopt_finding(store: Store, finding_id: int, adopted: bool = True) -> Finding:
    """Adopt a safeguarding board's recommendation as one of the council's own (it then
    needs an action and counts in the gaps), or let it go back to being the board's."""
    return update_finding(store, finding_id, adopted=adopted)


def finding_details(store: Store, finding_id: int) -> list[Finding]:
    """The marked paragraphs attached to a recommendation as its detail, in report order."""
    with store.reading() as session:
        query = finding_select().where(col(FindingRow.detail_of) == finding_id)
        return [finding_from_row(*r) for r in session.execute(query.order_by(col(FindingRow.id)))]


def finding_children(store: Store, finding_id: int) -> list[Finding]:
    """Later findings (e.g. from monitoring visits) that point back to this one."""
    with store.reading() as session:
        query = (
            finding_select()
            .where(col(FindingRow.parent_id) == finding_id)
            .order_by(col(FindingRow.id))
        )
        return [finding_from_row(*result) for result in session.execute(query)]
