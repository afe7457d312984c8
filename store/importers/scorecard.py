"""Import a performance scorecard: the spreadsheet (CSV or XLSX) an improvement board keeps,
one row per measure and one column per month or quarter.

Periods are read as councils write them ("Apr-18", "April 2018", "2018-04", "Q1 2018/19",
"Q3 18-19", or a date cell); the other columns by their usual names and synonyms (Target,
"Good is" / "Higher or lower is better", Lead officer...). A blank cell is no value, not
zero; "89%" is 89 and "n/a" is no value. Every cell that cannot be read is listed by its
cell reference (D7), and then nothing is imported: the import is all or nothing. Importing
the same scorecard again updates the measures and the values that changed, each changed
value marked with who imported it and when; values the sheet leaves blank are kept. A
re-import never silently overwrites a field or a value someone edited by hand since a
scorecard import last wrote it (:mod:`store.importers.newer_edits`, the plan's rule too):
it is refused naming each one, unless the scorecard wins.

The Actions and Findings columns list the refs of the plan's actions and the findings a
measure shows the impact of. A re-import makes the measure's links the cell's: it adds
those the sheet adds and removes those a scorecard import made that the cell no longer
lists (a blank cell lists none), each a link or unlink entry in the history, and counts
them ("links: 2 added, 1 removed"), so a sheet whose only change is its links is no
unchanged sheet. The plan's rule for the findings it links holds too: a link made by hand
stays, and one removed by hand since a scorecard made it is not put back; each is named
(``links_left``). A ref the store does not know is a problem in its cell: nothing is
imported. A sheet without the column leaves the links alone.

Reading the sheet (:func:`read_scorecard`, in :mod:`store.importers.scorecard_rows`) needs
no store; importing it (:func:`import_scorecard`) is here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlmodel import col

from store._common import id_column, plural
from store.database import Change, Store
from store.errors import ImportFailed, ValidationError
from store.history import HistoryEntry, note
from store.importers.newer_edits import NewerEdit, refusal
from store.importers.scorecard_conflicts import (
    SCORECARD,
    field_conflicts,
    hand_edits,
    link_history,
    link_kept,
    link_not_relinked,
    measure_named,
    value_conflict,
)
from store.importers.scorecard_rows import (
    FIELD_HEADERS,
    FIELDS,
    Problem,
    Scorecard,
    ScorecardRow,
    column_letter,
    looks_like_scorecard,
    read_scorecard,
)
from store.measure_values import years_ahead
from store.measures import clean_measure_fields, recheck_measure
from store.models import (
    ActionRow,
    FindingRow,
    MeasureActionLink,
    MeasureFindingLink,
    MeasureRow,
    MeasureValueRow,
    SourceRow,
    ThemeRow,
)
from store.periods import MONTHLY

# Reading the sheet (store.importers.scorecard_rows) is imported from here too.
__all__ = [
    "FIELDS",
    "FIELD_HEADERS",
    "Problem",
    "Scorecard",
    "ScorecardResult",
    "ScorecardRow",
    "column_letter",
    "import_scorecard",
    "looks_like_scorecard",
    "read_scorecard",
    "write_template",
]


@dataclass
class ScorecardResult:
    """What an import did (or, for a dry run, would do)."""

    path: Path
    dry_run: bool
    measures: int = 0
    created: list[str] = field(default_factory=list)  # refs
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    values_added: int = 0
    values_changed: int = 0
    values_unchanged: int = 0
    periods: tuple[str, str] = ("", "")  # first and last column's period, as written
    problems: list[Problem] = field(default_factory=list)
    # Fields and values the sheet would change that someone edited by hand since a
    # scorecard import last wrote them (store.importers.scorecard_conflicts): the import
    # is refused unless the scorecard wins.
    conflicts: list[NewerEdit] = field(default_factory=list)
    scorecard_wins: bool = False
    # The Actions and Findings columns: links to actions and findings the sheet adds, and
    # those a scorecard import made that the sheet no longer lists (removed); each is a
    # link or unlink entry in the history. Links it leaves as they are, though the sheet
    # says otherwise (made or removed by hand), each named: they are no change.
    links_added: int = 0
    links_removed: int = 0
    links_left: list[NewerEdit] = field(default_factory=list)
    # How many values were added to each measure (by id): each gets its history entry.
    added_to: dict[int, int] = field(default_factory=dict, repr=False)

    def links_counted(self) -> str:
        """ "; links: 2 added, 1 removed" when it adds or removes links, else nothing (as
        the history's import entry, the command line and the app's preview say it)."""
        if not (self.links_added or self.links_removed):
            return ""
        return f"; links: {self.links_added} added, {self.links_removed} removed"


def import_scorecard(
    store: Store,
    path: str | Path,
    *,
    dry_run: bool = False,
    scorecard_wins: bool = False,
    who: str | None = None,
    at: datetime | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> ScorecardResult:
    """Import (or with ``dry_run`` only check) a scorecard, all or nothing.

    A scorecard with unreadable cells changes nothing: the result's ``problems`` list each
    one by cell reference. Measures are matched to the store's by ref (else by name).
    Raises :class:`ImportFailed` (nothing stored) when it would overwrite a field or value
    someone edited by hand since a scorecard import last wrote it (``result.conflicts``,
    which a dry run lists), unless ``scorecard_wins``.
    """
    card = read_scorecard(path)
    result = ScorecardResult(
        Path(path), dry_run, measures=len(card.rows), scorecard_wins=scorecard_wins
    )
    if card.periods:
        result.periods = (
            str(card.periods[0][1].isoformat()[:7]),
            str(card.periods[-1][1].isoformat()[:7]),
        )
    result.problems.extend(card.problems)
    for index, start, frequency in card.periods:
        ahead = years_ahead(start, frequency, store.today)
        if ahead:
            result.problems.append(Problem(f"{column_letter(index)}{card.header_row}", ahead))
    if result.problems:
        return result
    who = who or store.user  # who the history says wrote, as for every other write
    at = at or datetime.now(UTC).replace(microsecond=0)
    with store.transaction() as tx:
        # A savepoint, so that a refused or dry-run import inside a batch (the demo) takes
        # back its own writes only, and the history what it heard of them.
        changes = len(tx.changes)
        heard = _history_events(tx.session)
        kept = len(heard)
        savepoint = tx.session.begin_nested()
        try:
            _apply(store, tx, card, result, who, at, progress)
        except _Refused:
            savepoint.rollback()
            del tx.changes[changes:]
            del heard[kept:]
            if result.problems:
                return result
            # Newer edits it would overwrite: nothing is written, and each is named.
            raise ImportFailed(refusal(SCORECARD, Path(path).name, result.conflicts)) from None
        if dry_run:  # everything was checked as it would be written; keep none of it
            savepoint.rollback()
            del tx.changes[changes:]
            del heard[kept:]
        else:
            # One entry naming the file, as every import has; then one for each measure
            # it added values to (written in one statement, so not heard row by row:
            # the values it changed have their own entries). Noted before the savepoint
            # commits, which writes what the history heard: so the import's entries and
            # those of the records it wrote carry one ``at``, which is how a re-import
            # tells its writes from hand edits (store.importers.newer_edits).
            name = Path(path).name
            note(
                tx.session, "import", "measure", label=name,
                detail=f"scorecard {name} ({plural(len(result.created), 'measure')} new, "
                f"{len(result.updated)} changed; {plural(result.values_added, 'value')} added, "
                f"{result.values_changed} changed{result.links_counted()})",
            )  # fmt: skip
            for measure_id, added in sorted(result.added_to.items()):
                note(
                    tx.session, "import", "measure", measure_id,
                    detail=f"{plural(added, 'value')} from scorecard {name}",
                )  # fmt: skip
            savepoint.commit()
    return result


def _history_events(session: Any) -> list[Any]:
    """The history recorder's events of this transaction (a list to cut back after a
    savepoint is rolled back), or a throwaway list when nothing is recording."""
    from store import history

    recorder = session.info.get(history._KEY)
    return recorder.events if recorder is not None else []


class _Refused(Exception):
    """A measure's fields were refused by the store, or the sheet would overwrite newer
    edits; the transaction is rolled back."""


def _apply(
    store: Store,
    tx: Any,
    card: Scorecard,
    result: ScorecardResult,
    who: str,
    at: datetime,
    progress: Callable[[int, int, str], None] | None,
) -> None:
    session = tx.session
    existing = {row.ref.lower(): row for row in session.scalars(select(MeasureRow))}
    by_name = {row.name.lower(): row for row in existing.values()}
    numbers = [
        int(r.ref[1:]) for r in existing.values() if r.ref[:1] == "M" and r.ref[1:].isdigit()
    ]
    next_number = max(numbers, default=0) + 1
    rows: list[tuple[ScorecardRow, MeasureRow]] = []
    # Each measure the sheet matched: how the store names it and what the sheet changes
    # of its fields (field -> (in the store, in the sheet)), read before it is written.
    before: dict[int, tuple[str, str, dict[str, tuple[object, object]]]] = {}
    for item in card.rows:
        fields = {k: v for k, v in item.fields.items() if k not in _LINKS}
        ref = str(fields.get("ref", "")).strip()
        row = existing.get(ref.lower()) if ref else by_name.get(str(fields["name"]).lower())
        if not ref and row is None:
            while f"m{next_number}" in existing:
                next_number += 1
            fields["ref"] = f"M{next_number}"
            next_number += 1
        try:
            clean = clean_measure_fields(
                session, fields, fields.get("unit", row.unit if row else "%")
            )
        except ValidationError as error:
            index = card.columns.get(error.field if error.field in card.columns else "name", 0)
            result.problems.append(Problem(f"{column_letter(index)}{item.row}", error.message))
            continue
        if row is None:
            clean.setdefault("frequency", item.frequency)
            row = MeasureRow(**clean)
            session.add(row)
            existing[row.ref.lower()] = row
            result.created.append(row.ref)
        else:
            differ = {
                key: (getattr(row, key), value)
                for key, value in clean.items()
                if getattr(row, key) != value and key != "ref_key"
            }
            before[id(row)] = (measure_named(row.ref, row.name), row.unit, differ)
            changed = any(getattr(row, key) != value for key, value in clean.items())
            for key, value in clean.items():
                setattr(row, key, value)
            (result.updated if changed else result.unchanged).append(row.ref)
        try:
            recheck_measure(row)
        except ValidationError as error:
            index = card.columns.get(error.field, card.columns.get("name", 0))
            result.problems.append(Problem(f"{column_letter(index)}{item.row}", error.message))
        rows.append((item, row))
    if result.problems:
        raise _Refused
    session.flush()
    ids = [row.id for _item, row in rows]
    stored: dict[tuple[int, date], MeasureValueRow] = {}
    for chunk in range(0, len(ids), 500):
        for value in session.scalars(
            select(MeasureValueRow)
            .where(col(MeasureValueRow.measure_id).in_(ids[chunk : chunk + 500]))
            .with_for_update()  # PostgreSQL: a hand edit waits until this import is done
        ):
            stored[(value.measure_id, value.period)] = value
    # Read after the values are locked, so an edit made meanwhile is either seen here or
    # made after the import (a measure's own fields: its version refuses the write).
    edits = hand_edits(store, (row.id or 0 for _item, row in rows if id(row) in before))
    themes: dict[int, str] = {}
    if any("theme_id" in differ for _n, _u, differ in before.values()):
        themes = {t.id or 0: t.name for t in session.scalars(select(ThemeRow))}
    new_values = []
    for done, (item, row) in enumerate(rows, 1):
        measure_id = row.id or 0
        touched = row.ref in result.created
        named = before.get(id(row))
        edited: dict[str, HistoryEntry] = edits.get(measure_id, {})
        if named is not None and edited:
            said = field_conflicts(named[0], named[1], named[2], edited, themes)
            result.conflicts.extend(NewerEdit(item.row, s) for s in said)
        for start, (number, _reference) in item.values.items():
            old = stored.get((measure_id, start))
            if named is not None and edited and (old is None or old.value != number):
                overwrites = value_conflict(
                    named[0], row.unit, row.frequency, start,
                    old.value if old is not None else None, number, edited,
                )  # fmt: skip
                if overwrites:
                    result.conflicts.append(NewerEdit(item.row, overwrites))
                    if old is None:  # a value removed by hand, put back: heard row by row
                        session.add(MeasureValueRow(
                            measure_id=measure_id, period=start, value=number, note="",
                            entered_by=who, entered_at=at,
                        ))  # fmt: skip
                        result.values_added += 1
                        touched = True
                        continue
            if old is None:
                new_values.append(
                    {
                        "measure_id": measure_id,
                        "period": start,
                        "value": number,
                        "note": "",
                        "entered_by": who,
                        "entered_at": at,
                    }
                )
                result.values_added += 1
                result.added_to[measure_id] = result.added_to.get(measure_id, 0) + 1
                touched = True
            elif old.value != number:
                old.value, old.entered_by, old.entered_at = number, who, at
                result.values_changed += 1
                touched = True
            else:
                result.values_unchanged += 1
        if touched and row.ref in result.unchanged:
            result.unchanged.remove(row.ref)
            result.updated.append(row.ref)
        tx.changes.append(Change("measure", measure_id, "upsert"))
        if progress is not None and done % 50 == 0:
            progress(done, len(rows), row.ref)
    if new_values:
        session.execute(MeasureValueRow.__table__.insert(), new_values)  # type: ignore[attr-defined]
    _link(store, tx, card, rows, result)
    if result.problems:
        raise _Refused
    if result.conflicts and not result.scorecard_wins and not result.dry_run:
        raise _Refused
    session.flush()


_LINKS: dict[str, tuple[str, Any]] = {
    "actions": ("action", MeasureActionLink),
    "findings": ("finding", MeasureFindingLink),
}


def _link(
    store: Store, tx: Any, card: Scorecard, rows: list[tuple[ScorecardRow, MeasureRow]],
    result: ScorecardResult,
) -> None:  # fmt: skip
    """The Actions and Findings columns: plan and finding refs the measure shows the impact
    of (a ref the store does not know is a problem in its cell, and nothing is imported).

    A ref the cell lists is linked, unless someone unlinked it by hand since a scorecard
    linked it: it stays unlinked, as a plan leaves a finding unlinked by hand (named in
    ``links_left``). A link the cell no longer lists (a blank cell lists none) is removed
    when a scorecard import made it, so the sheet's list is the measure's again; a link
    made by hand is kept, and named. A sheet without the column changes no links."""
    columns = [key for key in _LINKS if key in card.columns]
    if not columns:
        return
    session = tx.session
    refs: dict[str, dict[int, str]] = {"actions": {}, "findings": {}}
    known: dict[str, dict[str, int]] = {"actions": {}, "findings": {}}
    for ident, ref in session.execute(select(id_column(ActionRow.id), col(ActionRow.ref))):
        known["actions"][ref.lower()] = ident
        refs["actions"][ident] = ref
    ours_first = (
        select(id_column(FindingRow.id), col(FindingRow.ref))
        .outerjoin(SourceRow, col(SourceRow.id) == FindingRow.source_id)
        .order_by(func.coalesce(col(SourceRow.ours), True).desc(), col(FindingRow.id))
    )
    for ident, ref in session.execute(ours_first):
        known["findings"].setdefault(ref.lower(), ident)
        refs["findings"][ident] = ref
    ids = [row.id or 0 for _item, row in rows]
    history, by_import = link_history(store, ids)
    for item, row in rows:
        measure_id = row.id or 0
        named = measure_named(row.ref, row.name)
        changed = False
        for key in columns:
            kind, table = _LINKS[key]
            other = "findings" if key == "actions" else "actions"
            other_column = getattr(table, f"{kind}_id")
            have = set(session.scalars(select(other_column).where(table.measure_id == measure_id)))
            # A ref the measure is linked to already is that link (a finding's ref may be in
            # more than one source: the one linked stays, not swapped for another's).
            linked = {refs[key][i].lower(): i for i in have if i in refs[key]}
            wanted: dict[int, str] = {}
            for ref in (r.strip() for r in re.split(r"[,;\n]", str(item.fields.get(key, "")))):
                if not ref:
                    continue
                ident = linked.get(ref.lower(), known[key].get(ref.lower()))
                if ident is None:
                    cell = f"{column_letter(card.columns[key])}{item.row}"
                    said = f"there is no {kind} '{ref}'."
                    if ref.lower() in known[other]:
                        said = (
                            f"there is no {kind} '{ref}': it is the ref of "
                            f"{'a finding' if key == 'actions' else 'an action'}, so it goes in "
                            f"the {other.capitalize()} column."
                        )
                    result.problems.append(Problem(cell, said))
                else:
                    wanted.setdefault(ident, ref)
            for ident, ref in wanted.items():
                if ident in have:
                    continue
                last = history.get((measure_id, kind, ident))
                if last is not None and last.op == "unlink" and not by_import(last):
                    said = link_not_relinked(named, kind, refs[key].get(ident, ref), last)
                    result.links_left.append(NewerEdit(item.row, said))
                    continue
                session.add(table(measure_id=measure_id, **{f"{kind}_id": ident}))
                result.links_added += 1
                changed = True
                tx.changes.append(Change(kind, ident, "upsert"))
            for ident in sorted(have - set(wanted)):
                last = history.get((measure_id, kind, ident))
                if last is None or last.op != "link" or not by_import(last):
                    said = link_kept(named, kind, refs[key].get(ident, f"#{ident}"), last)
                    result.links_left.append(NewerEdit(item.row, said))
                    continue
                session.execute(
                    delete(table).where(table.measure_id == measure_id, other_column == ident)
                )
                result.links_removed += 1
                changed = True
                tx.changes.append(Change(kind, ident, "upsert"))
        if changed and row.ref in result.unchanged:
            result.unchanged.remove(row.ref)
            result.updated.append(row.ref)


def write_template(today: date) -> list[list[str]]:
    """The header of an empty scorecard: the measure's columns, then the twelve months of
    the financial year that ``today`` is in."""
    from store.periods import period_label

    year = today.year if today.month >= 4 else today.year - 1
    months = []
    start = date(year, 4, 1)
    for _ in range(12):
        label = period_label(start, MONTHLY)
        months.append(f"{label[:3]}-{label[-2:]}")
        start = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return [[*FIELD_HEADERS.values(), *months]]
