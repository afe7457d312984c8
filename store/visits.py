"""Visits (upcoming or past), their focus themes, and the hand-made changes to their packs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, select
from sqlmodel import Session, col

from store import validation
from store._common import fetch, flush, insert_new
from store.database import Change, Store
from store.errors import NotFound, ValidationError
from store.history_queries import check_version
from store.models import (
    EvidenceRow,
    FindingRow,
    SourceRow,
    ThemeRow,
    VisitEvidenceRow,
    VisitFindingRow,
    VisitRow,
    VisitThemeLink,
)
from store.records import Visit
from store.themes import resolve_theme
from store.vocab import VISIT_KINDS

_FIELDS = ("title", "kind", "start_date", "end_date", "notes", "focus_themes")


def _clean(session: Session, changes: dict[str, Any]) -> dict[str, Any]:
    validation.unknown_fields(changes, _FIELDS, "visit")
    out: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "title":
            out[key] = validation.title(value)
        elif key == "kind":
            out[key] = validation.choice(value, "kind", VISIT_KINDS, default="monitoring visit")
        elif key == "start_date":
            out[key] = validation.required_date(value, "start_date")
        elif key == "end_date":
            out[key] = validation.optional_date(value, "end_date")
        elif key == "notes":
            out[key] = validation.text(value, "notes")
        elif key == "focus_themes":
            themes = [resolve_theme(session, theme) for theme in value]
            out[key] = list(dict.fromkeys(t.id for t in themes if t is not None))
    return out


def _record(store: Store, session: Session, row: VisitRow) -> Visit:
    themes = session.scalars(
        select(col(ThemeRow.name))
        .join(VisitThemeLink, col(VisitThemeLink.theme_id) == ThemeRow.id)
        .where(col(VisitThemeLink.visit_id) == row.id)
        .order_by(col(ThemeRow.position))
    )
    return Visit(
        id=row.id or 0,
        title=row.title,
        kind=row.kind,
        start_date=row.start_date,
        end_date=row.end_date,
        notes=row.notes,
        focus_themes=tuple(themes),
        days_to_go=(row.start_date - store.today).days,
        version=row.version,
    )


def _set_themes(session: Session, visit_id: int, theme_ids: Iterable[int]) -> None:
    session.execute(delete(VisitThemeLink).where(col(VisitThemeLink.visit_id) == visit_id))
    for theme_id in theme_ids:
        session.add(VisitThemeLink(visit_id=visit_id, theme_id=theme_id))


def create_visit(store: Store, *, title: str, start_date: object, **fields: Any) -> Visit:
    """Plan a visit; its pack is every finding in its ``focus_themes`` (names or ids)."""
    with store.transaction() as tx:
        clean = _clean(tx.session, {"title": title, "start_date": start_date, **fields})
        themes = clean.pop("focus_themes", [])
        validation.date_order(
            clean["start_date"],
            clean.get("end_date"),
            "end_date",
            "The visit ends before it starts.",
        )
        row = VisitRow(**clean)
        tx.session.add(row)
        flush(tx.session, "That visit")
        _set_themes(tx.session, row.id or 0, themes)
        flush(tx.session, "Those focus themes")
        tx.changes.append(Change("visit", row.id or 0, "upsert"))
        return _record(store, tx.session, row)


def update_visit(
    store: Store, visit_id: int, *, expected_version: object = None, **changes: Any
) -> Visit:
    """Change a visit's details or focus themes.

    ``expected_version``: the version the form started from (the record's
    ``version``); a save over a newer one is refused with :class:`StaleRecord`.
    """
    with store.transaction() as tx:
        row = fetch(tx.session, VisitRow, visit_id, "visit")
        check_version(tx.session, "visit", row, expected_version)
        clean = _clean(tx.session, changes)
        themes = clean.pop("focus_themes", None)
        for key, value in clean.items():
            setattr(row, key, value)
        validation.date_order(
            row.start_date, row.end_date, "end_date", "The visit ends before it starts."
        )
        if themes is not None:
            _set_themes(tx.session, row.id or 0, themes)
        flush(tx.session, "That visit")
        tx.changes.append(Change("visit", row.id or 0, "upsert"))
        return _record(store, tx.session, row)


def get_visit(store: Store, visit_id: int) -> Visit:
    with store.reading() as session:
        return _record(store, session, fetch(session, VisitRow, visit_id, "visit"))


def list_visits(store: Store) -> list[Visit]:
    """Every visit, soonest upcoming first, then past visits newest first."""
    with store.reading() as session:
        rows = list(session.scalars(select(VisitRow)))
        visits = [_record(store, session, row) for row in rows]
    upcoming = sorted((v for v in visits if v.days_to_go >= 0), key=lambda v: (v.start_date, v.id))
    past = sorted(
        (v for v in visits if v.days_to_go < 0), key=lambda v: (v.start_date, v.id), reverse=True
    )
    return upcoming + past


def next_visit(store: Store) -> Visit | None:
    """The soonest visit that has not started yet (or starts today)."""
    upcoming = [v for v in list_visits(store) if v.days_to_go >= 0]
    return upcoming[0] if upcoming else None


def find_visit(store: Store, text: str) -> Visit:
    """A visit by id, by title, or by a part of its title that names only one visit."""
    wanted = " ".join(str(text).split())
    if wanted.isdigit():
        return get_visit(store, int(wanted))
    visits = list_visits(store)
    exact = [v for v in visits if v.title.lower() == wanted.lower()]
    if exact:
        return exact[0]
    partial = [v for v in visits if wanted.lower() in v.title.lower()]
    if len(partial) == 1:
        return partial[0]
    if partial:
        names = "; ".join(f"{v.id}: {v.title}" for v in partial)
        raise ValidationError(
            "visit", f"'{wanted}' matches {len(partial)} visits ({names}). Give its id."
        )
    raise NotFound(
        "visit",
        f"'{wanted}'"
        + (f" (visits: {'; '.join(f'{v.id}: {v.title}' for v in visits)})" if visits else ""),
    )


def delete_visit(store: Store, visit_id: int) -> None:
    """Delete a visit with its pack choices and ready ticks (findings and evidence stay)."""
    with store.transaction() as tx:
        row = fetch(tx.session, VisitRow, visit_id, "visit")
        for table, column in (
            (VisitThemeLink, col(VisitThemeLink.visit_id)),
            (VisitFindingRow, col(VisitFindingRow.visit_id)),
            (VisitEvidenceRow, col(VisitEvidenceRow.visit_id)),
        ):
            tx.session.execute(delete(table).where(column == row.id))
        tx.session.delete(row)
        flush(tx.session, "That visit")
        tx.changes.append(Change("visit", int(visit_id), "delete"))


def set_finding_in_pack(
    store: Store, visit_id: int, finding_id: int, included: bool | None
) -> None:
    """Add a finding to a visit's pack by hand (``True``), drop it (``False``), or go back
    to the default of its focus themes (``None``).

    Another council's finding is refused: it is there to learn from, never in a pack."""
    with store.transaction() as tx:
        fetch(tx.session, VisitRow, visit_id, "visit")
        finding = fetch(tx.session, FindingRow, finding_id, "finding")
        source = tx.session.get(SourceRow, finding.source_id) if finding.source_id else None
        if included and source is not None and not source.ours:
            council = source.local_authority or source.title
            raise ValidationError(
                "finding_id",
                f"Finding {finding.ref or finding.id} is from another council's report "
                f"({council}): it is for search and learning, never in a pack. Mark "
                f"'{source.title}' as this council's own report to use it.",
            )
        tx.session.execute(
            delete(VisitFindingRow).where(
                col(VisitFindingRow.visit_id) == visit_id,
                col(VisitFindingRow.finding_id) == finding_id,
            )
        )
        if included is not None:
            tx.session.add(
                VisitFindingRow(
                    visit_id=int(visit_id), finding_id=int(finding_id), included=bool(included)
                )
            )
        flush(tx.session, "That change to the pack")
        tx.changes.append(Change("visit", int(visit_id), "upsert"))


def set_evidence_ready(store: Store, visit_id: int, evidence_id: int, ready: bool = True) -> None:
    """Tick (or untick) an evidence item as ready for this visit."""
    with store.transaction() as tx:
        fetch(tx.session, VisitRow, visit_id, "visit")
        fetch(tx.session, EvidenceRow, evidence_id, "evidence item")
        # Idempotent: ticking a ticked item (or two people at once) changes nothing.
        if ready:
            key = {"visit_id": int(visit_id), "evidence_id": int(evidence_id), "ready": True}
            insert_new(tx.session, VisitEvidenceRow, key)
        else:
            tx.session.execute(
                delete(VisitEvidenceRow).where(
                    col(VisitEvidenceRow.visit_id) == visit_id,
                    col(VisitEvidenceRow.evidence_id) == evidence_id,
                )
            )
        tx.changes.append(Change("visit", int(visit_id), "upsert"))
