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
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlmodel import col

from store._common import id_column, plural
from store.database import Change, Store
from store.errors import ImportFailed, ValidationError
from store.history import HistoryEntry, note
from store.importers.newer_edits import NewerEdit, refusal
from store.importers.plan_columns import norm
from store.importers.scorecard_conflicts import (
    SCORECARD,
    field_conflicts,
    hand_edits,
    measure_named,
    value_conflict,
)
from store.importers.spreadsheet import Sheet, read_sheets
from store.measure_rules import parse_number
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
from store.periods import FREQUENCIES, MONTHLY, parse_period

# Each field with the headers councils give it (normalised as plan headers are).
FIELDS: dict[str, tuple[str, ...]] = {
    "ref": ("ref", "measure ref", "kpi ref", "indicator ref", "reference", "code", "id", "no",
            "kpi no", "pi ref", "measure id", "number", "#"),
    "name": ("measure", "measure name", "indicator", "kpi", "performance indicator", "name",
             "pi", "description of measure", "measures", "indicator name", "title"),
    "theme": ("theme", "improvement theme", "area", "service area", "priority", "workstream"),
    "unit": ("unit", "units", "measure type", "type", "format", "unit of measure"),
    "polarity": ("polarity", "good is", "good performance is", "better is", "higher or lower",
                 "higher or lower is better", "direction", "desired direction", "aim",
                 "good", "is higher better", "direction of improvement"),
    "target": ("target", "target value", "local target", "our target", "goal", "tgt",
               "target 2018 19", "target 2019 20", "annual target"),
    "tolerance": ("amber tolerance", "tolerance", "amber", "amber threshold", "amber range",
                  "amber margin", "rag tolerance"),
    "england": ("england", "england average", "national", "national average", "eng",
                "england value", "england comparator"),
    "neighbours": ("statistical neighbours", "stat neighbours", "statistical neighbour average",
                   "stat neighbour average", "sn", "sn average", "comparators",
                   "statistical neighbours average", "stat neighbours average", "sn avg"),
    "comparator_year": ("comparator year", "comparators year", "benchmark year",
                        "year of comparators", "comparator date"),
    "owner": ("owner", "lead", "lead officer", "responsible", "responsible officer",
              "accountable officer", "measure owner", "lead manager", "who"),
    "frequency": ("frequency", "reporting frequency", "reported", "how often"),
    "definition": ("definition", "measure definition", "notes", "description", "how measured"),
    "actions": ("actions", "action", "action refs", "linked actions", "plan actions",
                "improvement plan actions", "plan ref", "plan refs"),
    "findings": ("findings", "finding", "finding refs", "linked findings", "ofsted findings",
                 "recommendations", "recommendation"),
}  # fmt: skip
FIELD_HEADERS = {
    "ref": "Ref", "name": "Measure", "theme": "Theme", "unit": "Unit",
    "polarity": "Higher or lower is better", "target": "Target", "tolerance": "Amber tolerance",
    "england": "England", "neighbours": "Statistical neighbours",
    "comparator_year": "Comparator year", "owner": "Owner", "frequency": "Frequency",
    "definition": "Definition", "actions": "Actions", "findings": "Findings",
}  # fmt: skip
_BY_HEADER = {name: key for key, names in FIELDS.items() for name in names}


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column as a spreadsheet shows it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Problem:
    cell: str  # "D7", or "row 7" when it is the whole row
    message: str

    def __str__(self) -> str:
        return f"{self.cell}: {self.message}"


@dataclass
class ScorecardRow:
    """One measure as the sheet gives it: its fields and its values by period."""

    row: int
    fields: dict[str, Any]
    values: dict[date, tuple[float, str]]  # period -> (value, cell reference)
    frequency: str


@dataclass
class Scorecard:
    path: Path
    sheet: str
    header_row: int
    columns: dict[str, int]
    periods: list[tuple[int, date, str]]  # (column, first day, monthly/quarterly)
    rows: list[ScorecardRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


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
    # How many values were added to each measure (by id): each gets its history entry.
    added_to: dict[int, int] = field(default_factory=dict, repr=False)


def _header_field(value: object) -> str | None:
    key = norm(value)
    if key in _BY_HEADER:
        return _BY_HEADER[key]
    if key.startswith("target"):
        return "target"
    return None


def _as_period(value: object) -> tuple[date, str] | None:
    if value in ("", None) or isinstance(value, (int, float)):
        return None
    try:
        return parse_period(value)
    except ValidationError:
        return None


def _find_header(sheets: list[Sheet]) -> tuple[Sheet, int, list[object]] | None:
    """The first row with a measure (or ref) column and at least one period column."""
    for sheet in sheets:
        for number, values in sheet.rows[:30]:
            fields = {_header_field(v) for v in values}
            periods = [v for v in values if _as_period(v) is not None]
            if periods and ({"name", "ref"} & fields):
                return sheet, number, values
    return None


def looks_like_scorecard(path: str | Path) -> bool:
    """Whether a spreadsheet is a scorecard (measures down, periods across) rather than
    an improvement plan; ``False`` for anything that cannot be read."""
    try:
        return _find_header(read_sheets(Path(path))) is not None
    except ImportFailed:
        return False


def read_scorecard(path: str | Path) -> Scorecard:
    """Read a scorecard into its measures and values, listing every cell it cannot read.

    Raises :class:`ImportFailed` for a file that is not a readable spreadsheet or has no
    header row with a measure column and period columns.
    """
    path = Path(path)
    sheets = read_sheets(path)
    found = _find_header(sheets)
    if found is None:
        raise ImportFailed(
            f"{path.name}: no header row found: expected a Measure (or Ref) column and periods "
            "across, written like Apr-18, April 2018, 2018-04 or Q1 2018/19."
        )
    sheet, header_row, headers = found
    columns: dict[str, int] = {}
    periods: list[tuple[int, date, str]] = []
    problems: list[Problem] = []
    seen: dict[date, str] = {}
    for index, header in enumerate(headers):
        period = _as_period(header)
        if period is not None:
            cell = f"{column_letter(index)}{header_row}"
            if period[0] in seen and period[1] == MONTHLY:
                problems.append(
                    Problem(cell, f"'{header}' is the same month as column {seen[period[0]]}.")
                )
            seen[period[0]] = column_letter(index)
            periods.append((index, *period))
            continue
        name = _header_field(header)
        if name is not None and name not in columns:
            columns[name] = index
    card = Scorecard(path, sheet.name, header_row, columns, periods, problems=problems)
    kinds = {kind for _i, _d, kind in periods}
    default_frequency = MONTHLY if MONTHLY in kinds else next(iter(kinds))
    refs: dict[str, int] = {}
    for number, values in sheet.rows:
        if number <= header_row:
            continue
        row = _read_row(card, number, values, default_frequency)
        if row is None:
            continue
        key = str(row.fields.get("ref") or row.fields.get("name") or "").lower()
        if key in refs:
            problems.append(Problem(f"row {number}", f"'{key}' is already on row {refs[key]}."))
        refs[key] = number
        card.rows.append(row)
    return card


def _read_row(
    card: Scorecard, number: int, values: list[object], default_frequency: str
) -> ScorecardRow | None:
    def cell(name: str) -> object:
        index = card.columns.get(name)
        return values[index] if index is not None and index < len(values) else ""

    name, ref = cell("name"), cell("ref")
    filled = [v for v in values if str(v).strip() != ""]
    if (str(name).strip() == "" and str(ref).strip() == "") or (
        str(name).strip() == "" and len(filled) <= 1
    ):
        return None  # a blank row, or a note under the table ("Source: Mosaic")
    fields = {
        key: value
        for key in FIELDS
        if (value := cell(key)) not in ("", None) and str(value).strip() != ""
    }
    if "name" not in fields:
        letter = column_letter(card.columns["name"]) if "name" in card.columns else "?"
        card.problems.append(Problem(f"{letter}{number}", "the measure has no name."))
    frequency = default_frequency
    if "frequency" in fields:
        raw = str(fields["frequency"]).strip().lower()
        frequency = {"month": MONTHLY, "quarter": "quarterly"}.get(raw, raw)
        if frequency not in FREQUENCIES:
            index = card.columns["frequency"]
            card.problems.append(
                Problem(
                    f"{column_letter(index)}{number}",
                    f"'{fields['frequency']}' is not monthly or quarterly.",
                )
            )
            frequency = default_frequency
        fields["frequency"] = frequency
    unit = _unit_of(card, fields, number)
    for key in ("target", "tolerance", "england", "neighbours"):
        if key in fields:
            try:
                parse_number(fields[key], key, "number" if key == "tolerance" else unit)
            except ValidationError as error:
                letter = column_letter(card.columns[key])
                card.problems.append(Problem(f"{letter}{number}", error.message))
    read: dict[date, tuple[float, str]] = {}
    for index, start, kind in card.periods:
        cell_value: object = values[index] if index < len(values) else ""
        reference = f"{column_letter(index)}{number}"
        try:
            value = parse_number(cell_value, "value", unit)
        except ValidationError as error:
            card.problems.append(Problem(reference, error.message))
            continue
        if value is None:
            continue
        if kind != frequency:
            what = "a quarter" if kind != MONTHLY else "a month"
            card.problems.append(
                Problem(reference, f"a value in {what}'s column for a {frequency} measure.")
            )
            continue
        read[start] = (value, reference)
    return ScorecardRow(number, fields, read, frequency)


def _unit_of(card: Scorecard, fields: dict[str, Any], number: int) -> str:
    from store.measure_rules import UNIT_ALIASES, UNITS

    if "unit" not in fields:
        return "%"
    raw = " ".join(str(fields["unit"]).split()).lower()
    unit = UNIT_ALIASES.get(raw, raw)
    if unit not in UNITS:
        letter = column_letter(card.columns["unit"])
        card.problems.append(
            Problem(
                f"{letter}{number}",
                f"'{fields['unit']}' is not a unit: %, number, days or rate per 10,000.",
            )
        )
        return "number"
    return unit


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
                f"{result.values_changed} changed)",
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
    _link(session, card, rows, result)
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
    session: Any, card: Scorecard, rows: list[tuple[ScorecardRow, MeasureRow]],
    result: ScorecardResult,
) -> None:  # fmt: skip
    """The Actions and Findings columns: plan and finding refs the measure shows the impact
    of, linked once each (a ref the store does not know is a problem in its cell)."""
    if not any(key in card.columns for key in _LINKS):
        return
    actions = {
        ref.lower(): ident
        for ident, ref in session.execute(select(id_column(ActionRow.id), col(ActionRow.ref)))
    }
    findings: dict[str, int] = {}
    ours_first = (
        select(id_column(FindingRow.id), col(FindingRow.ref))
        .outerjoin(SourceRow, col(SourceRow.id) == FindingRow.source_id)
        .order_by(func.coalesce(col(SourceRow.ours), True).desc(), col(FindingRow.id))
    )
    for ident, ref in session.execute(ours_first):
        findings.setdefault(ref.lower(), ident)
    known = {"actions": actions, "findings": findings}
    for item, row in rows:
        for key, (kind, table) in _LINKS.items():
            if key not in item.fields:
                continue
            have = set(session.scalars(
                select(getattr(table, f"{kind}_id")).where(table.measure_id == row.id)
            ))  # fmt: skip
            for ref in (r.strip() for r in re.split(r"[,;\n]", str(item.fields[key]))):
                if not ref:
                    continue
                ident = known[key].get(ref.lower())
                if ident is None:
                    cell = f"{column_letter(card.columns[key])}{item.row}"
                    result.problems.append(Problem(cell, f"there is no {kind} '{ref}'."))
                elif ident not in have:
                    session.add(table(measure_id=row.id or 0, **{f"{kind}_id": ident}))
                    have.add(ident)


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
