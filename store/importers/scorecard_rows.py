"""Read a scorecard spreadsheet into its measures and values (no store needed).

:func:`read_scorecard` finds the header row (the first, in any sheet's first 30 rows, with a
measure or ref column and at least one period column), maps the measure's columns by their
usual names and synonyms (:data:`FIELDS`: Target, "Good is" / "Higher or lower is better",
Lead officer...) and reads each period column as councils write it ("Apr-18", "April 2018",
"2018-04", "Q1 2018/19", "Q3 18-19", or a date cell). Each row is one measure: a blank cell
is no value, not zero; "89%" is 89 and "n/a" is no value. Every cell that cannot be read is
a :class:`Problem` naming its cell (D7). Importing what was read is
:mod:`store.importers.scorecard`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from store.errors import ImportFailed, ValidationError
from store.importers.plan_columns import norm
from store.importers.plan_refs import only_references

# The plan importer's own header finding, so that a sheet it reads as a plan is one here too.
from store.importers.plan_sheets import PLAN_TABLE_FIELDS, best_header
from store.importers.spreadsheet import Sheet, read_sheets
from store.measure_rules import parse_number
from store.periods import FREQUENCIES, MONTHLY, parse_period
from store.wording import Option, phrase

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
    an improvement plan (:func:`spreadsheet_kind`); ``False`` for anything that cannot be
    read, or that could be either."""
    try:
        return spreadsheet_kind(path) == "scorecard"
    except ImportFailed:
        return False


def spreadsheet_kind(path: str | Path) -> str:
    """``"scorecard"`` or ``"plan"``: what a spreadsheet is, as ``visitprep import`` and the
    app's import screen take it when the lead does not say.

    A sheet with no scorecard header (a measure or ref column and a period) is a plan, and
    one the plan importer finds no plan table on (an action column and two more fields) a
    scorecard. A sheet with both, as a plan with a month a column under a merged "RAG
    rating" has, is a plan when the cells under its periods hold words (RAG ratings, notes)
    rather than numbers; a scorecard when it has the scorecard's shape (a measure column,
    and periods most of its columns or every other column a scorecard's, as the template
    ``visitprep template --measures`` writes), or when its "action" column holds only refs (a
    scorecard's Actions column, the plan actions a measure is linked to); a plan when no
    period has a value. Anything else could be either: :class:`ImportFailed` names both
    choices rather than guessing. A file that cannot be read is a plan (its reader says why).
    """
    path = Path(path)
    try:
        sheets = read_sheets(path)
    except ImportFailed:
        return "plan"
    card = _find_header(sheets)
    if card is None:
        return "plan"
    sheet, header_row, headers = card
    plan = best_header(sheet, {})
    if plan is None or len(plan[2]) < PLAN_TABLE_FIELDS:
        return "scorecard"
    periods = [i for i, v in enumerate(headers) if _as_period(v) is not None]
    numbers = words = 0
    for number, values in sheet.rows:
        for index in periods:
            if number <= header_row or index >= len(values):
                continue
            try:
                numbers += parse_number(values[index], "value", "number") is not None
            except ValidationError:
                words += 1
    if words > numbers:
        return "plan"
    filled = [v for v in headers if str(v).strip()]
    named = any(_header_field(v) == "name" for v in headers)
    known = all(_header_field(v) is not None or _as_period(v) is not None for v in filled)
    if named and (known or 2 * len(periods) > len(filled)):
        return "scorecard"
    if not numbers:
        return "plan"
    title, plan_row = plan[2]["title"], plan[1]
    actions = [
        str(values[title]).strip()
        for number, values in sheet.rows
        if number > max(header_row, plan_row) and title < len(values) and str(values[title]).strip()
    ]
    if actions and all(only_references(text) for text in actions):
        return "scorecard"
    where = f"sheet '{sheet.name}' has" if len(sheets) > 1 else "it has"
    shown = ", ".join(f"'{' '.join(str(headers[i]).split())}'" for i in periods[:3])
    raise ImportFailed(
        phrase(
            f"{path.name} could be an improvement plan or a performance scorecard: "
            f"{where} a plan's header on row {plan_row} (an action column, "
            f"'{' '.join(str(plan[4][title]).split())}') and period columns ({shown}) with "
            "numbers under them. Say which it is: a plan with ", Option.AS_PLAN,
            ", or a scorecard with ", Option.AS_SCORECARD, "; nothing was imported.",
        )
    )  # fmt: skip


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
