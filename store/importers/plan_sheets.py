"""Which sheet of a workbook holds the plan, and which row is its header (no store needed).

:func:`find_header` finds, in each visible sheet's first rows, the header naming most
fields, and picks the one sheet holding a plan table (several are refused: say which with
``sheet=NAME``, :func:`named_sheet`). Then which column is which: hidden columns named
like visible ones are not read, an Action column of numbers is the refs
(:func:`numbered_actions`), a Priority column of High / Medium / Low is no theme
(:func:`not_priority_levels`). Used by :mod:`store.importers.plan_rows`.
"""

from __future__ import annotations

import re
from pathlib import Path

from store.errors import ImportFailed
from store.importers.plan_cells import blank, cell_text, one_line
from store.importers.plan_columns import map_columns, norm
from store.importers.plan_periods import header_period_end, with_groups
from store.importers.spreadsheet import Sheet
from store.wording import Option, phrase

_HEADER_SEARCH_ROWS = 30
PLAN_TABLE_FIELDS = 3  # the action column and two more: a plan's table, not a summary


# A sheet's header: the sheet, its row, columns by field, headers not imported, and the
# header's cells as read (with the group header over a repeated one: see with_groups).
Header = tuple[Sheet, int, dict[str, int], list[str], list[object]]


def best_header(sheet: Sheet, mapping: dict[str, str]) -> Header | None:
    """A sheet's best header row among its first rows: the one naming most fields.

    A header must name the action column; with a mapping it must hold every mapped header.
    """
    best = None
    rows = dict(sheet.rows)
    for number, cells in sheet.rows[:_HEADER_SEARCH_ROWS]:
        values = with_groups(_hidden_repeats(cells, sheet.hidden_columns), rows.get(number - 1, []))
        names = {norm(v) for v in cells}
        if any(norm(header) not in names for header in mapping.values()):
            continue
        columns, ignored = map_columns(values, mapping, header_period_end)
        if "title" not in columns and "description" in columns and "findings" in columns:
            # "What needs to improve | How we will do it": the how is the action.
            columns["title"] = columns.pop("description")
        if "title" not in columns:
            continue
        if len(columns) < 2 and not mapping:
            continue
        if best is None or len(columns) > len(best[2]):
            best = (sheet, number, columns, ignored, values)
    return best


def _hidden_repeats(values: list[object], hidden: set[int]) -> list[object]:
    """A hidden column named like a visible one (last year's "RAG" hidden beside this
    year's) is named as hidden, so the visible one is read."""
    if not hidden:
        return values
    visible = {norm(v) for i, v in enumerate(values) if i not in hidden and norm(v)}
    return [
        f"Hidden column: {' '.join(str(v).split())}" if i in hidden and norm(v) in visible else v
        for i, v in enumerate(values)
    ]


def find_header(path: Path, sheets: list[Sheet], mapping: dict[str, str]) -> Header | None:
    """The header of the one sheet holding a plan table, else of the first with a header.

    A plan table is a header naming the action column and at least two more, with rows
    below it. A workbook with one on several sheets (an instructions sheet's example, a
    tab per priority, last month's copy) is refused: reading only one of them would drop
    the others' actions without a word, or import the example.
    """
    found = [best for sheet in sheets if (best := best_header(sheet, mapping))]
    tables = [h for h in found if len(h[2]) >= PLAN_TABLE_FIELDS and _rows_below(h)]
    if len(tables) > 1:
        listed = ", ".join(
            f"'{sheet.name}' (header on row {row}, {_count(_rows_below(table))} below it)"
            for table in tables
            for sheet, row in [table[:2]]
        )
        shared = _shared_refs(tables)
        split = (
            f"the sheets share refs ({shared}): copies of one plan? read the latest; one plan "
            "split over them? make its refs differ first, or each sheet would update the "
            "other's actions"
            if shared
            else "a plan split over several sheets is imported one sheet at a time"
        )
        raise ImportFailed(
            phrase(
                f"{path.name} has a plan table on more than one sheet: {listed}. Say which "
                "sheet to read with ", Option.COLUMNS, f" sheet=NAME ({split}), or delete "
                "the table that is not the plan; nothing was imported.",
            )
        )  # fmt: skip
    if tables:
        return tables[0]
    return found[0] if found else None


def _shared_refs(tables: list[Header]) -> str:
    """Refs found on more than one of the sheets (the first three), or ""."""
    seen: dict[str, str] = {}
    shared: list[str] = []
    for sheet, row, columns, _, _ in tables:
        if "ref" not in columns:
            continue
        for number, values in sheet.rows:
            index = columns["ref"]
            ref = one_line(values[index]) if number > row and index < len(values) else ""
            elsewhere = ref and seen.setdefault(ref.lower(), sheet.name) != sheet.name
            if elsewhere and ref not in shared:
                shared.append(ref)
    more = ", ..." if len(shared) > 3 else ""
    return ", ".join(shared[:3]) + more


_NUMBER_LIKE = re.compile(r"^[A-Za-z]{0,3}\s?\d+(?:\.\d+)*[a-z]?\.?$")


_LEVELS = {"high", "medium", "med", "low", "h", "m", "l", "critical", "urgent", "very high"}


def not_priority_levels(
    sheet: Sheet,
    header_row: int,
    columns: dict[str, int],
    header: list[object],
    ignored: list[str],
) -> dict[str, int]:
    """A "Priority" column of High / Medium / Low (or H / M / L) ranks the actions: it is
    no theme (each level became a theme), so it is not imported, and said so."""
    if "theme" not in columns:
        return columns
    index = columns["theme"]
    seen = {
        norm(values[index])
        for number, values in sheet.rows
        if number > header_row
        and index < len(values)
        and not blank(values[index])
        and sum(not blank(v) for v in values) > 1  # not a heading row
    }
    if not seen or not seen <= _LEVELS:
        return columns
    ignored.append(" ".join(str(header[index]).split()))
    return {f: i for f, i in columns.items() if f != "theme"}


def numbered_actions(sheet: Sheet, header_row: int, columns: dict[str, int]) -> dict[str, int]:
    """An Action column of numbers only ("1", "2.1", "A3") beside a description column
    ("Action | Action description"), with no Ref column: the numbers are the refs and the
    description is the action, not actions called "1" and "2"."""
    if "ref" in columns or "description" not in columns:
        return columns
    title = columns["title"]
    seen = [
        cell_text(values[title])
        for number, values in sheet.rows
        if number > header_row
        and title < len(values)
        and not blank(values[title])
        and sum(not blank(v) for v in values) > 1
    ]
    if not seen or not all(_NUMBER_LIKE.match(text) for text in seen):
        return columns
    swapped = dict(columns)
    swapped["ref"], swapped["title"] = title, swapped.pop("description")
    return swapped


def _rows_below(header: Header) -> int:
    sheet, row = header[0], header[1]
    return sum(1 for number, _ in sheet.rows if number > row)


def _count(rows: int) -> str:
    return "1 row" if rows == 1 else f"{rows} rows"


def named_sheet(path: Path, sheets: list[Sheet], name: str) -> list[Sheet]:
    """The visible sheet a mapping's ``sheet=NAME`` names (case and spaces aside)."""
    chosen = [s for s in sheets if norm(s.name) == norm(name)]
    if not chosen:
        names = ", ".join(f"'{s.name}'" for s in sheets)
        raise ImportFailed(
            f"{path.name} has no visible sheet named '{name}': its sheets are {names}."
        )
    return chosen[:1]


def describe_headers(sheets: list[Sheet]) -> str:
    for sheet in sheets:
        for _, values in sheet.rows[:_HEADER_SEARCH_ROWS]:
            cells = [" ".join(str(v).split()) for v in values if str(v).strip()]
            if len(cells) >= 2:
                shown = ", ".join(f"'{c[:30]}'" for c in cells[:6])
                return f" The first row with several cells holds {shown}."
    return " No row has more than one filled cell."
