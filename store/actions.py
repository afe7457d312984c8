"""Actions of the improvement plan, and their dated progress updates (history is only appended)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, SQLColumnExpression, delete, func, select
from sqlmodel import Session, col

from store import validation
from store._common import columns_of, fetch, flush, id_column, words_match
from store.database import Change, Store
from store.errors import ValidationError
from store.history_queries import check_version
from store.models import (
    ActionEvidenceLink,
    ActionRow,
    ActionUpdateRow,
    FindingActionLink,
    FindingRow,
    ThemeRow,
)
from store.overdue import is_complete, overdue_clause
from store.records import Action, ActionUpdate, action_record
from store.refs import following_ref, ref_key
from store.themes import resolve_theme
from store.vocab import BRAG, COMPLETE

_FIELDS = (
    "title", "ref", "description", "owner", "due_date", "brag", "success_measure",
    "opened_on", "closed_on", "theme",
)  # fmt: skip


def _clean(session: Session, changes: dict[str, Any]) -> dict[str, Any]:
    validation.unknown_fields(changes, _FIELDS, "action")
    out: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "title":
            out[key] = validation.title(value)
        elif key == "ref":
            out[key] = " ".join(validation.text(value, "ref", required=True, limit=40).split())
            out["ref_key"] = ref_key(out[key])
        elif key == "owner":
            out[key] = validation.text(value, "owner", limit=200)
        elif key in ("description", "success_measure"):
            out[key] = validation.text(value, key)
        elif key in ("due_date", "opened_on", "closed_on"):
            out[key] = validation.optional_date(value, key)
        elif key == "brag":
            out[key] = validation.brag(value)
        elif key == "theme":
            theme = resolve_theme(session, value)
            out["theme_id"] = theme.id if theme else None
    return out


def next_action_ref(store: Store, *, finding_ids: Iterable[int] = (), theme: object = None) -> str:
    """The ref a new action gets when none is given (see :func:`create_action`).

    ``finding_ids`` and ``theme`` say what the action is for, as they would be given to
    :func:`create_action`: its ref then carries on the numbering of that finding's actions
    (or that theme's), as a plan numbered by theme does: a new action for a finding answered
    by 3.1 and 3.2 is 3.3, even when the action added last was 7.5.
    """
    with store.reading() as session:
        row = resolve_theme(session, theme) if theme is not None else None
        return _next_ref(session, finding_ids, row.id if row else None)


def _next_ref(
    session: Session, finding_ids: Iterable[int] = (), theme_id: int | None = None
) -> str:
    """The plan's own numbering carried on (``7.3`` -> ``7.4``, ``MASH-12`` -> ``MASH-13``)
    from the last ref of the finding's actions, else of the theme's actions, else of the
    action added last; past any ref already taken. ``A<n>`` after the highest ``A`` number
    when the plan is empty or that ref has no number."""
    last_in_numbering = select(col(ActionRow.ref)).order_by(col(ActionRow.ref_key).desc()).limit(1)
    last = None
    wanted = [int(f) for f in finding_ids]
    if wanted:
        last = session.scalar(
            last_in_numbering.join(
                FindingActionLink, col(FindingActionLink.action_id) == ActionRow.id
            ).where(col(FindingActionLink.finding_id).in_(wanted))
        )
    if last is None and theme_id is not None:
        last = session.scalar(last_in_numbering.where(col(ActionRow.theme_id) == theme_id))
    if last is None:
        last = session.scalar(
            select(col(ActionRow.ref)).order_by(col(ActionRow.id).desc()).limit(1)
        )
    ref = following_ref(last) if last else None
    if ref is None:
        numbers = [
            int(m.group(1))
            for taken in session.scalars(select(col(ActionRow.ref)))
            if (m := re.fullmatch(r"A(\d+)", taken))
        ]
        ref = f"A{max(numbers, default=0) + 1}"
    # Taken as the lists and get_action_by_ref see refs: "A10" is taken by "a10" (or "A010").
    while session.scalar(select(col(ActionRow.id)).where(col(ActionRow.ref_key) == ref_key(ref))):
        ref = following_ref(ref) or ref
    return ref


# Link counts per row, looked up by index for the rows read (never grouped over all links).
_FINDINGS = (
    select(func.count())
    .where(col(FindingActionLink.action_id) == ActionRow.id)
    .correlate(ActionRow)
    .scalar_subquery()
)
_EVIDENCE = (
    select(func.count())
    .where(col(ActionEvidenceLink.action_id) == ActionRow.id)
    .correlate(ActionRow)
    .scalar_subquery()
)


def _joined(*columns: Any) -> Select[Any]:
    return select(*columns).outerjoin(ThemeRow, col(ThemeRow.id) == ActionRow.theme_id)


def action_select() -> Select[Any]:
    return _joined(columns_of(ActionRow), col(ThemeRow.name), _FINDINGS, _EVIDENCE)


def _load(store: Store, session: Session, action_id: int) -> Action:
    return action_record(
        store.today, *session.execute(action_select().where(col(ActionRow.id) == action_id)).one()
    )


def create_action(
    store: Store, *, title: str, finding_ids: Iterable[int] = (), **fields: Any
) -> Action:
    """Add an action to the plan, optionally answering some findings. ``ref`` defaults to the
    next in the plan's own numbering (:func:`next_action_ref`)."""
    finding_ids = list(finding_ids)
    with store.transaction() as tx:
        clean = _clean(tx.session, {"title": title, **fields})
        if not clean.get("ref"):
            clean["ref"] = _next_ref(tx.session, finding_ids, clean.get("theme_id"))
            clean["ref_key"] = ref_key(clean["ref"])
        clean.setdefault("opened_on", store.today)
        validation.date_order(clean.get("opened_on"), clean.get("closed_on"), "closed_on",
                              "The closed date is before the opened date.")  # fmt: skip
        row = ActionRow(**clean)
        tx.session.add(row)
        flush(tx.session, f"An action with ref '{clean['ref']}'")
        for finding_id in finding_ids:
            fetch(tx.session, FindingRow, finding_id, "finding")
            tx.session.add(FindingActionLink(finding_id=int(finding_id), action_id=row.id or 0))
            tx.changes.append(Change("finding", int(finding_id), "upsert"))
        flush(tx.session, "That link")
        tx.changes.append(Change("action", row.id or 0, "upsert"))
        return _load(store, tx.session, row.id or 0)


def update_action(
    store: Store, action_id: int, *, expected_version: object = None, **changes: Any
) -> Action:
    """Change an action's fields. A BRAG change here is not history: use :func:`add_action_update`.

    ``expected_version``: the version the form started from (the record's
    ``version``); a save over a newer one is refused with :class:`StaleRecord`.
    """
    with store.transaction() as tx:
        row = fetch(tx.session, ActionRow, action_id, "action")
        check_version(tx.session, "action", row, expected_version)
        for key, value in _clean(tx.session, changes).items():
            setattr(row, key, value)
        validation.date_order(
            row.opened_on, row.closed_on, "closed_on", "The closed date is before the opened date."
        )
        flush(tx.session, f"An action with ref '{row.ref}'")
        tx.changes.append(Change("action", row.id or 0, "upsert"))
        return _load(store, tx.session, row.id or 0)


def get_action(store: Store, action_id: int) -> Action:
    with store.reading() as session:
        fetch(session, ActionRow, action_id, "action")
        return _load(store, session, int(action_id))


def get_action_by_ref(store: Store, ref: str) -> Action:
    with store.reading() as session:
        action_id = session.scalar(
            select(id_column(ActionRow.id)).where(
                func.lower(col(ActionRow.ref)) == ref.strip().lower()
            )
        )
        if action_id is None:
            from store.errors import NotFound

            raise NotFound("action", ref)
        return _load(store, session, action_id)


def delete_action(store: Store, action_id: int) -> None:
    """Delete an action with its update history and its links (findings and evidence stay)."""
    with store.transaction() as tx:
        row = fetch(tx.session, ActionRow, action_id, "action")
        linked = list(
            tx.session.scalars(
                select(col(FindingActionLink.finding_id)).where(
                    col(FindingActionLink.action_id) == row.id
                )
            )
        )
        tx.session.execute(delete(ActionUpdateRow).where(col(ActionUpdateRow.action_id) == row.id))
        tx.session.execute(
            delete(FindingActionLink).where(col(FindingActionLink.action_id) == row.id)
        )
        tx.session.execute(
            delete(ActionEvidenceLink).where(col(ActionEvidenceLink.action_id) == row.id)
        )
        tx.session.delete(row)
        flush(tx.session, "That action")
        tx.changes.append(Change("action", int(action_id), "delete"))
        tx.changes.extend(Change("finding", f, "upsert") for f in linked)


# An action's updates oldest first: the undated ones ("date not given", NULL) before every
# dated one, then by date, then in the order they were stored. Spelt out rather than left
# to the database: SQLite sorts NULL first and PostgreSQL last. The latest update is the
# last in this order, so it is never an undated note while a dated one exists.
UPDATE_ORDER: tuple[SQLColumnExpression[Any], ...] = (
    col(ActionUpdateRow.on_date).is_not(None),
    col(ActionUpdateRow.on_date),
    col(ActionUpdateRow.id),
)


def add_action_update(
    store: Store,
    action_id: int,
    *,
    note: str,
    brag: str | None = None,
    on_date: object = None,
    author: str = "",
    undated: bool = False,
    brag_not_given: bool = False,
) -> ActionUpdate:
    """Append a dated progress note with the BRAG status at that date (today if no date).

    ``undated``: the note's date is not given (a plan's note nothing dates); it is kept
    as "date not given", never as today, and counts as older than every dated update.

    No ``brag`` is the action's current BRAG: an update a person adds always has one.
    ``brag_not_given`` (importers only: an older note of a plan's progress cell, whose one
    BRAG cell is the newest note's) keeps the note with no BRAG ("BRAG not given").

    The action takes the new BRAG if this is its latest update; Blue closes it on that
    date. An update whose BRAG is not given never changes the action's BRAG or closes it.
    Earlier updates are never changed.
    """
    with store.transaction() as tx:
        row = fetch(tx.session, ActionRow, action_id, "action")
        clean_note = validation.text(note, "note", required=True)
        clean_brag: str | None = None
        if brag_not_given:
            if brag not in (None, ""):
                raise ValidationError("brag", "An update whose BRAG is not given cannot have one.")
        else:
            clean_brag = validation.brag(brag, default=row.brag)
        when: date | None = None
        if undated:
            if validation.optional_date(on_date, "on_date") is not None:
                raise ValidationError("on_date", "An undated update cannot be given a date.")
        else:
            when = validation.optional_date(on_date, "on_date") or store.today
            if when > store.today:
                raise ValidationError("on_date", "An update cannot be dated in the future.")
        update = ActionUpdateRow(
            action_id=row.id or 0, on_date=when, brag=clean_brag, note=clean_note,
            author=validation.text(author, "author", limit=200),
        )  # fmt: skip
        latest = tx.session.scalar(
            select(func.max(col(ActionUpdateRow.on_date))).where(
                col(ActionUpdateRow.action_id) == row.id
            )
        )
        tx.session.add(update)
        if clean_brag is not None and (latest is None or (when is not None and when >= latest)):
            row.brag = clean_brag
            if not is_complete(clean_brag):
                row.closed_on = None
            elif when is not None:
                row.closed_on = when
            # Complete on a date not given: a closed date already there stays.
        flush(tx.session, "That update")
        tx.changes.append(Change("action", row.id or 0, "upsert"))
        return _update_record(update)


def _update_record(row: ActionUpdateRow) -> ActionUpdate:
    return ActionUpdate(
        id=row.id or 0,
        action_id=row.action_id,
        on_date=row.on_date,
        brag=row.brag,
        note=row.note,
        author=row.author,
    )


def list_action_updates(store: Store, action_id: int) -> list[ActionUpdate]:
    """An action's progress history, oldest first (undated notes first: see UPDATE_ORDER)."""
    with store.reading() as session:
        fetch(session, ActionRow, action_id, "action")
        rows = session.scalars(
            select(ActionUpdateRow)
            .where(col(ActionUpdateRow.action_id) == action_id)
            .order_by(*UPDATE_ORDER)
        )
        return [_update_record(row) for row in rows]


# Natural order (1.9, 1.10, 2.1, 10.1), on the index of ref_key for the default sort.
_REF_KEY = col(ActionRow.ref_key)
_SORTS: dict[str, tuple[SQLColumnExpression[Any], ...]] = {
    "ref": (_REF_KEY,),
    "title": (func.lower(col(ActionRow.title)),),
    "owner": (func.lower(col(ActionRow.owner)), _REF_KEY),
    "due": (col(ActionRow.due_date).is_(None), col(ActionRow.due_date), _REF_KEY),
    "brag": (func.instr("redambergreenblue", col(ActionRow.brag)), _REF_KEY),
    "theme": (col(ThemeRow.position), _REF_KEY),
    "evidence": (_EVIDENCE, _REF_KEY),
}


def _filtered(
    store: Store,
    session: Session,
    query: Select[Any],
    *,
    theme: object = None,
    brag: str | Iterable[str] | None = None,
    owner: str | None = None,
    overdue: bool = False,
    due_within: int | None = None,
    finding_id: int | None = None,
    evidence_id: int | None = None,
    without_evidence: bool = False,
    without_finding: bool = False,
    text: str | None = None,
) -> Select[Any]:
    today = store.today
    if theme is not None:
        row = resolve_theme(session, theme)
        query = query.where(col(ActionRow.theme_id) == (row.id if row else None))
    if brag:
        wanted = [validation.brag(b) for b in ([brag] if isinstance(brag, str) else brag)]
        query = query.where(col(ActionRow.brag).in_(wanted))
    if owner:
        query = query.where(words_match(owner, col(ActionRow.owner)))
    if overdue:
        query = query.where(overdue_clause(col(ActionRow.due_date), col(ActionRow.brag), today))
    if due_within is not None:
        horizon = today + timedelta(days=int(due_within))
        query = query.where(
            col(ActionRow.due_date) >= today,
            col(ActionRow.due_date) <= horizon,
            col(ActionRow.brag) != str(COMPLETE),
        )
    if finding_id is not None:
        query = query.where(
            select(col(FindingActionLink.action_id))
            .where(
                col(FindingActionLink.action_id) == ActionRow.id,
                col(FindingActionLink.finding_id) == finding_id,
            )
            .exists()
        )
    if evidence_id is not None:
        query = query.where(
            select(col(ActionEvidenceLink.action_id))
            .where(
                col(ActionEvidenceLink.action_id) == ActionRow.id,
                col(ActionEvidenceLink.evidence_id) == evidence_id,
            )
            .exists()
        )
    if without_evidence:
        query = query.where(
            ~select(col(ActionEvidenceLink.action_id))
            .where(col(ActionEvidenceLink.action_id) == ActionRow.id)
            .exists()
        )
    if without_finding:
        query = query.where(
            ~select(col(FindingActionLink.action_id))
            .where(col(FindingActionLink.action_id) == ActionRow.id)
            .exists()
        )
    if text:
        query = query.where(words_match(text, col(ActionRow.title), col(ActionRow.ref)))
    return query


def list_actions(
    store: Store,
    *,
    sort: str = "ref",
    descending: bool = False,
    limit: int | None = None,
    offset: int = 0,
    **filters: Any,
) -> list[Action]:
    """Actions matching the filters (theme, brag, owner, overdue, due_within days, finding_id,
    evidence_id, without_evidence, without_finding, text), sorted by ``sort`` (ref, title,
    owner, due, brag, theme, evidence)."""
    if sort not in _SORTS:
        raise ValidationError(
            "sort", f"Actions cannot be sorted by '{sort}'. Choose: {', '.join(_SORTS)}."
        )
    with store.reading() as session:
        order = [c.desc() if descending else c for c in _SORTS[sort]]
        if limit is None:
            query = _filtered(store, session, action_select(), **filters).order_by(
                *order, col(ActionRow.id)
            )
            query = query.offset(offset)
        else:
            # Sort and cut the window on ids alone, then read whole rows for that window only.
            window = _filtered(store, session, _joined(col(ActionRow.id)), **filters)
            window = window.order_by(*order, col(ActionRow.id)).offset(offset).limit(limit)
            query = action_select().where(col(ActionRow.id).in_(window.correlate(None)))
            query = query.order_by(*order, col(ActionRow.id))
        today = store.today
        return [action_record(today, *result) for result in session.execute(query)]


def count_actions(store: Store, **filters: Any) -> int:
    """How many actions match the filters of :func:`list_actions`."""
    with store.reading() as session:
        return session.scalar(count_actions_query(store, session, **filters)) or 0


def count_actions_query(store: Store, session: Session, **filters: Any) -> Select[Any]:
    """The ``SELECT count`` behind :func:`count_actions`, to run with other counts at once."""
    query = select(func.count(col(ActionRow.id))).select_from(ActionRow)
    return _filtered(store, session, query, **filters)


def brag_counts(store: Store) -> dict[str, int]:
    """How many actions are Blue, Green, Amber and Red."""
    with store.reading() as session:
        found: dict[str, int] = dict(
            session.execute(
                select(col(ActionRow.brag), func.count()).group_by(col(ActionRow.brag))
            ).all()
        )
    return {b: int(found.get(b, 0)) for b in BRAG}
