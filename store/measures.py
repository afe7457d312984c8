"""Performance measures: create and change them, enter their values, link them to findings
and actions, and read them with their latest value, BRAG and direction.

Every write goes through :func:`clean_measure_fields` (fields) or :func:`set_measure_value` (values) and
raises :class:`ValidationError` for bad input: a percentage outside 0-100, a month given to a
quarterly measure, an unknown unit or polarity, a target that is not a number. The rules for
BRAG and direction are in :mod:`store.measure_rules`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, delete, func, select
from sqlmodel import Session, col

from store import validation
from store._common import columns_of, fetch, flush, id_column
from store.database import Change, Store
from store.errors import NotFound, ValidationError
from store.history_queries import check_version
from store.measure_rules import (
    POLARITIES,
    POLARITY_ALIASES,
    RECENT,
    UNIT_ALIASES,
    UNITS,
    Measure,
    check_range,
    judge_brag,
    judge_direction,
    parse_number,
)
from store.measure_values import _VALUE_COLUMNS, _value_record
from store.measure_values import ANY_VALUE as ANY_VALUE
from store.measure_values import delete_measure_value as delete_measure_value
from store.measure_values import list_measure_values as list_measure_values
from store.measure_values import set_measure_value as set_measure_value
from store.models import (
    ActionRow,
    FindingRow,
    MeasureActionLink,
    MeasureFindingLink,
    MeasureRow,
    MeasureValueRow,
    ThemeRow,
)
from store.periods import FREQUENCIES, MONTHLY
from store.refs import ref_key
from store.themes import resolve_theme

_FIELDS = (
    "ref", "name", "theme", "unit", "polarity", "target", "tolerance", "england",
    "neighbours", "comparator_year", "owner", "frequency", "definition",
)  # fmt: skip
_NUMBERS = ("target", "tolerance", "england", "neighbours")
LINKABLE: dict[str, tuple[Any, Any]] = {
    "finding": (FindingRow, MeasureFindingLink),
    "action": (ActionRow, MeasureActionLink),
}


def _choice(value: Any, field: str, options: tuple[str, ...], aliases: dict[str, str]) -> str:
    raw = " ".join(str(value if value is not None else "").split()).lower()
    return validation.choice(aliases.get(raw, raw), field, options)


def clean_measure_fields(session: Session, changes: dict[str, Any], unit: str) -> dict[str, Any]:
    validation.unknown_fields(changes, _FIELDS, "measure")
    out: dict[str, Any] = {}
    if "unit" in changes:
        unit = out["unit"] = _choice(changes["unit"], "unit", UNITS, UNIT_ALIASES)
    for key, value in changes.items():
        if key == "ref":
            out[key] = " ".join(validation.text(value, "ref", required=True, limit=40).split())
            out["ref_key"] = ref_key(out[key])
        elif key == "name":
            out[key] = validation.title(value, "name")
        elif key == "theme":
            theme = resolve_theme(session, value)
            out["theme_id"] = theme.id if theme else None
        elif key == "polarity":
            out[key] = _choice(value, "polarity", POLARITIES, POLARITY_ALIASES)
        elif key == "frequency":
            out[key] = validation.choice(value, "frequency", FREQUENCIES)
        elif key in _NUMBERS:
            # The tolerance is a distance from the target, in the measure's unit.
            number = parse_number(value, key, "number" if key == "tolerance" else unit)
            out[key] = (number or 0.0) if key == "tolerance" else number
        elif key in ("owner", "comparator_year"):
            out[key] = validation.text(value, key, limit=200)
        elif key == "definition":
            out[key] = validation.text(value, key)
    return out


def recheck_measure(row: MeasureRow) -> None:
    """A measure's numbers against its (possibly changed) unit."""
    for key in ("target", "england", "neighbours"):
        number = getattr(row, key)
        if number is not None:
            check_range(number, key, row.unit)


def create_measure(store: Store, *, ref: str, name: str, **fields: Any) -> Measure:
    """Add a measure. ``unit`` is one of %, number, days, rate per 10,000 (default %);
    ``polarity`` higher or lower (is better; default higher); ``frequency`` monthly or
    quarterly (default monthly); ``target``, ``tolerance`` (amber, in the unit),
    ``england`` and ``neighbours`` (comparators, with ``comparator_year``) are numbers."""
    with store.transaction() as tx:
        unit = fields.get("unit", "%")
        clean = clean_measure_fields(tx.session, {"ref": ref, "name": name, **fields}, unit)
        row = MeasureRow(**clean)
        recheck_measure(row)
        tx.session.add(row)
        flush(tx.session, f"A measure with ref '{clean['ref']}'")
        tx.changes.append(Change("measure", row.id or 0, "upsert"))
        return _load(tx.session, row.id or 0)


def update_measure(
    store: Store, measure_id: int, *, expected_version: object = None, **changes: Any
) -> Measure:
    """Change a measure's fields (its values stay).

    ``expected_version``: the version the form started from (the record's
    ``version``); a save over a newer one is refused with :class:`StaleRecord`.
    """
    with store.transaction() as tx:
        row = fetch(tx.session, MeasureRow, measure_id, "measure")
        check_version(tx.session, "measure", row, expected_version)
        for key, value in clean_measure_fields(tx.session, changes, row.unit).items():
            setattr(row, key, value)
        recheck_measure(row)
        if "unit" in changes or "frequency" in changes:
            _check_values(tx.session, row)
        flush(tx.session, f"A measure with ref '{row.ref}'")
        tx.changes.append(Change("measure", row.id or 0, "upsert"))
        return _load(tx.session, row.id or 0)


def _check_values(session: Session, row: MeasureRow) -> None:
    for period, value in session.execute(
        select(col(MeasureValueRow.period), col(MeasureValueRow.value)).where(
            col(MeasureValueRow.measure_id) == row.id
        )
    ):
        check_range(value, "value", row.unit)
        if row.frequency != MONTHLY and period.month not in (1, 4, 7, 10):
            raise ValidationError(
                "frequency", "This measure has monthly values: it cannot become quarterly."
            )


def delete_measure(store: Store, measure_id: int) -> None:
    """Delete a measure with its values and links (the findings and actions stay)."""
    with store.transaction() as tx:
        row = fetch(tx.session, MeasureRow, measure_id, "measure")
        tx.session.delete(row)
        flush(tx.session, "The measure")
        tx.changes.append(Change("measure", int(measure_id), "delete"))


def link_measure(store: Store, measure_id: int, kind: str, record_id: int) -> bool:
    """Link a measure to a finding or an action it shows the impact of; ``False`` if it
    already was."""
    model, table = _linkable(kind)
    with store.transaction() as tx:
        fetch(tx.session, MeasureRow, measure_id, "measure")
        fetch(tx.session, model, record_id, kind)
        key = {"measure_id": int(measure_id), f"{kind}_id": int(record_id)}
        if tx.session.get(table, (key["measure_id"], key[f"{kind}_id"])) is not None:
            return False
        tx.session.add(table(**key))
        flush(tx.session, "That link")
        tx.changes.append(Change("measure", int(measure_id), "upsert"))
        tx.changes.append(Change(kind, int(record_id), "upsert"))
        return True


def unlink_measure(store: Store, measure_id: int, kind: str, record_id: int) -> bool:
    """Remove a measure's link to a finding or action; ``False`` if there was none."""
    _model, table = _linkable(kind)
    with store.transaction() as tx:
        result = tx.session.exec(
            delete(table).where(
                table.measure_id == int(measure_id),
                getattr(table, f"{kind}_id") == int(record_id),
            )
        )
        if not result.rowcount:
            return False
        tx.changes.append(Change("measure", int(measure_id), "upsert"))
        tx.changes.append(Change(kind, int(record_id), "upsert"))
        return True


def _linkable(kind: str) -> tuple[Any, Any]:
    if kind not in LINKABLE:
        raise ValidationError("kind", f"A measure links to findings and actions, not '{kind}'.")
    return LINKABLE[kind]


def measure_links(store: Store, measure_id: int) -> dict[str, list[tuple[int, str, str]]]:
    """The findings and actions a measure is linked to: ``{"finding": [(id, ref, title)],
    "action": [...]}``, by ref."""
    with store.reading() as session:
        fetch(session, MeasureRow, measure_id, "measure")
        out: dict[str, list[tuple[int, str, str]]] = {}
        for kind, (model, table) in LINKABLE.items():
            title = model.title
            rows = session.execute(
                select(model.id, model.ref, title)
                .join(table, getattr(table, f"{kind}_id") == model.id)
                .where(table.measure_id == int(measure_id))
                .order_by(model.ref_key)
            )
            out[kind] = [(ident, ref, text) for ident, ref, text in rows]
        return out


def measures_linked_to(store: Store, kind: str, record_id: int) -> list[Measure]:
    """The measures linked to a finding or an action."""
    _model, table = _linkable(kind)
    with store.reading() as session:
        ids = list(
            session.scalars(
                select(table.measure_id).where(getattr(table, f"{kind}_id") == int(record_id))
            )
        )
        return _read(session, select_ids=ids) if ids else []


def get_measure(store: Store, measure_id: int) -> Measure:
    with store.reading() as session:
        fetch(session, MeasureRow, measure_id, "measure")
        return _load(session, int(measure_id))


def get_measure_by_ref(store: Store, ref: str) -> Measure:
    """The measure with this ref (any case)."""
    with store.reading() as session:
        ident = session.scalar(
            select(id_column(MeasureRow.id)).where(
                func.lower(col(MeasureRow.ref)) == " ".join(ref.split()).lower()
            )
        )
        if ident is None:
            raise NotFound("measure", ref)
        return _load(session, ident)


SORTS = ("theme", "ref", "name")


def list_measures(
    store: Store,
    *,
    theme: object = None,
    themes: Iterable[int] | None = None,
    off_target: bool = False,
    offset: int = 0,
    limit: int | None = None,
    sort: str = "theme",
    descending: bool = False,
) -> list[Measure]:
    """Measures with their latest value, BRAG, direction and last
    :data:`~store.measure_rules.RECENT` values, by theme then ref (or ``sort`` by ref or
    name). ``theme`` keeps one theme (a name or its unique start), ``themes`` some theme
    ids; ``off_target`` keeps Amber and Red only. ``offset``/``limit`` read one page: only
    that page's values are read, so the first rows of a long list come at once."""
    if sort not in SORTS:
        raise ValidationError("sort", f"Measures sort by {', '.join(SORTS)}, not '{sort}'.")
    with store.reading() as session:
        theme_ids = _theme_ids(session, theme, themes)
        if off_target:
            # BRAG is judged from the latest value: every measure of the selection is read
            # (a thousand measures is a few milliseconds), then the page is cut.
            measures = [
                m
                for m in _read(session, theme_ids=theme_ids, sort=sort, desc=descending)
                if m.off_target
            ]
            return measures[offset : None if limit is None else offset + limit]
        return _read(
            session, theme_ids=theme_ids, sort=sort, desc=descending, offset=offset, limit=limit
        )


def count_measures(
    store: Store, *, theme: object = None, themes: Iterable[int] | None = None,
    off_target: bool = False, **_ignored: Any,
) -> int:  # fmt: skip
    """How many measures :func:`list_measures` would list with these filters."""
    if off_target:
        return len(list_measures(store, theme=theme, themes=themes, off_target=True))
    with store.reading() as session:
        theme_ids = _theme_ids(session, theme, themes)
        query = select(func.count()).select_from(MeasureRow)
        if theme_ids is not None:
            query = query.where(col(MeasureRow.theme_id).in_(theme_ids))
        return session.scalar(query) or 0


def _theme_ids(session: Session, theme: object, themes: Iterable[int] | None) -> list[int] | None:
    theme_ids = None if themes is None else [int(t) for t in themes]
    if theme is not None:
        row = resolve_theme(session, theme)
        theme_ids = [row.id or 0] if row else []
    return theme_ids


def _load(session: Session, measure_id: int) -> Measure:
    found = _read(session, select_ids=[measure_id])
    if not found:
        raise NotFound("measure", measure_id)
    return found[0]


def _query(sort: str = "theme", desc: bool = False) -> Select[Any]:
    findings = (
        select(func.count())
        .where(col(MeasureFindingLink.measure_id) == MeasureRow.id)
        .correlate(MeasureRow)
        .scalar_subquery()
    )
    actions = (
        select(func.count())
        .where(col(MeasureActionLink.measure_id) == MeasureRow.id)
        .correlate(MeasureRow)
        .scalar_subquery()
    )
    return (
        select(
            columns_of(MeasureRow), col(ThemeRow.name), col(ThemeRow.position), findings, actions
        )
        .outerjoin(ThemeRow, col(ThemeRow.id) == MeasureRow.theme_id)
        .order_by(*_order(sort, desc))
    )


def _order(sort: str, desc: bool) -> list[Any]:
    ref = col(MeasureRow.ref_key)
    orders: dict[str, list[Any]] = {
        "theme": [func.coalesce(col(ThemeRow.position), 10**6), ref],
        "ref": [ref],
        "name": [func.lower(col(MeasureRow.name)), ref],
    }
    keys = orders[sort]
    return [key.desc() for key in keys] if desc else keys


def _read(
    session: Session,
    *,
    theme_ids: list[int] | None = None,
    select_ids: list[int] | None = None,
    sort: str = "theme",
    desc: bool = False,
    offset: int = 0,
    limit: int | None = None,
) -> list[Measure]:
    query = _query(sort, desc)
    if theme_ids is not None:
        query = query.where(col(MeasureRow.theme_id).in_(theme_ids))
    if select_ids is not None:
        query = query.where(col(MeasureRow.id).in_(select_ids))
    if offset:
        query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    rows = session.execute(query).all()
    wanted = [row[0].id for row in rows]
    # A selection reads only its own values; the whole list reads them in one pass.
    some = theme_ids is not None or select_ids is not None or bool(offset) or limit is not None
    recent = _recent_values(session, wanted if some else None)
    counts = _value_counts(session, wanted if some else None)
    return [
        _record(
            row,
            theme or "",
            recent.get(row.id or 0, []),
            counts.get(row.id or 0, 0),
            findings,
            actions,
        )
        for row, theme, _position, findings, actions in rows
    ]


def _recent_values(session: Session, ids: list[int] | None) -> dict[int, list[Any]]:
    """The last RECENT values of each measure (newest first), in one query on the index."""
    number = (
        func.row_number()
        .over(
            partition_by=col(MeasureValueRow.measure_id),
            order_by=col(MeasureValueRow.period).desc(),
        )
        .label("n")
    )
    inner = select(MeasureValueRow, number)
    if ids is not None:
        inner = inner.where(col(MeasureValueRow.measure_id).in_(ids))
    ranked = inner.subquery()
    query = (
        select(*(ranked.c[name] for name in _VALUE_COLUMNS))
        .where(ranked.c.n <= RECENT)
        .order_by(ranked.c.measure_id, ranked.c.period.desc())
    )
    out: dict[int, list[Any]] = {}
    # Plain result rows, read by attribute like a table row: making thousands of ORM
    # objects would cost most of a list page's time.
    for value in session.execute(query):
        out.setdefault(value.measure_id, []).append(value)
    return out


def _value_counts(session: Session, ids: list[int] | None) -> dict[int, int]:
    query = select(col(MeasureValueRow.measure_id), func.count()).group_by(
        col(MeasureValueRow.measure_id)
    )
    if ids is not None:
        query = query.where(col(MeasureValueRow.measure_id).in_(ids))
    return {ident: count for ident, count in session.execute(query).all()}


def _record(
    row: Any,
    theme: str,
    recent: list[Any],
    value_count: int,
    findings: int,
    actions: int,
) -> Measure:
    latest = _value_record(recent[0], row.frequency) if recent else None
    previous = _value_record(recent[1], row.frequency) if len(recent) > 1 else None
    return Measure(
        id=row.id or 0,
        ref=row.ref,
        name=row.name,
        theme_id=row.theme_id,
        theme=theme,
        unit=row.unit,
        polarity=row.polarity,
        target=row.target,
        tolerance=row.tolerance,
        england=row.england,
        neighbours=row.neighbours,
        comparator_year=row.comparator_year,
        owner=row.owner,
        frequency=row.frequency,
        definition=row.definition,
        latest=latest,
        previous=previous,
        brag=judge_brag(latest.value if latest else None, row.target, row.tolerance, row.polarity),
        direction=judge_direction(
            latest.value if latest else None, previous.value if previous else None, row.polarity
        ),
        recent=tuple(value.value for value in reversed(recent)),
        value_count=value_count,
        finding_count=findings,
        action_count=actions,
        version=row.version,
    )


def link_measure_by_ref(store: Store, measure_id: int, ref: str) -> tuple[str, str, str, bool]:
    """Link a measure to the action (first) or this council's finding with this ref, as a
    lead types it ("1.6", "R3"). Returns (kind, ref, title, newly linked)."""
    wanted = " ".join(str(ref).split()).lower()
    if not wanted:
        raise ValidationError("ref", "Type the ref of an action or finding (1.6, R3).")
    from store.models import SourceRow

    with store.transaction():  # one transaction: the look-up and the link
        with store.reading() as session:
            found = session.execute(
                select(id_column(ActionRow.id), col(ActionRow.ref), col(ActionRow.title)).where(
                    func.lower(col(ActionRow.ref)) == wanted
                )
            ).first()
            kind = "action"
            if found is None:
                kind = "finding"
                found = session.execute(
                    select(id_column(FindingRow.id), col(FindingRow.ref), col(FindingRow.title))
                    .outerjoin(SourceRow, col(SourceRow.id) == FindingRow.source_id)
                    .where(func.lower(col(FindingRow.ref)) == wanted)
                    .order_by(func.coalesce(col(SourceRow.ours), True).desc(), col(FindingRow.id))
                ).first()
        if found is None:
            raise ValidationError("ref", f"There is no action or finding with the ref '{ref}'.")
        ident, shown, title = found
        return kind, shown, title, link_measure(store, measure_id, kind, ident)


def focus_measures(
    store: Store, visit_id: int | None = None, *, off_target: bool = False
) -> tuple[Any, list[int], list[Measure]]:
    """The measures in a visit's focus themes (the next visit's when none is given), only
    those off target if asked: ``(visit or None, the focus themes' ids, measures)``."""
    from store.visits import get_visit, next_visit

    visit = get_visit(store, visit_id) if visit_id is not None else next_visit(store)
    if visit is None or not visit.focus_themes:
        return visit, [], []
    with store.reading() as session:
        ids = [
            row.id or 0
            for name in visit.focus_themes
            if (row := resolve_theme(session, name, required=False)) is not None
        ]
    return visit, ids, list_measures(store, themes=ids, off_target=off_target)
