"""Read a plan spreadsheet into the actions it describes (no store needed).

:func:`read_plan` finds the header row (title rows above it are skipped) on the one visible
sheet holding a plan table (several such sheets are refused unless ``sheet=NAME`` picks
one; with none, the first sheet with a header), maps columns by their usual names (``Lead
officer``, ``By when``, ``RAG``...) or by ``mapping``, takes the latest period's column
where a header spans a column a month, and reads:

* heading rows: a row whose only content is a heading, in any column ("2. Governance
  Leadership and Partnership", "Theme 1: Front door", "Improvement theme 4 - Assessment",
  a bold row, or a theme's own name) files the actions below it under that theme. A heading
  never carries on the action above and never gives a finding ref; but a heading naming a
  recommendation ("Recommendation 3: ...") is no theme: it is what the actions below answer;
* rows that are no action: the header repeated below, a key to the RAG letters;
* continuation rows: notes under an action with no ref and no action text, or under an
  action whose cells are merged over several rows, carry on that action;
* blank Findings cells: "same as above" only when the rows belong together (merged cells in
  a workbook, or the same ref prefix, "1.1" then "1.2"), or when they sit under a row that
  holds only a recommendation; a cell saying "As above" means the action above's; the row
  says which rule applied;
* every cell: UK dates and seasons, BRAG words, letters or the cell's colour, finding refs
  (``store.importers.plan_refs``), lengths.

Every row it cannot read becomes a :class:`Problem` with the row number Excel shows; what
it read but the lead should check (no due date in "TBC", a date read from "Spring 2018")
is on the row, for the dry run to show.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import NamedTuple

from store.dates import parse_date
from store.errors import ImportFailed, ValidationError
from store.importers.plan_cells import (
    TITLE_LIMIT,
    Fill,
    blank,
    cell_text,
    cut,
    evidence_items,
    latest_note_date,
    one_line,
    read_brag,
    read_date,
    read_deadline,
    serial_hint,
    split_title,
)
from store.importers.plan_columns import FIELD_LABELS, clean_mapping, map_columns, norm
from store.importers.plan_refs import only_references, quoted_text, references
from store.importers.spreadsheet import Sheet, read_sheets
from store.vocab import DEFAULT_THEMES
from store.wording import Option, phrase

_HEADER_SEARCH_ROWS = 30
_PLAN_TABLE_FIELDS = 3  # the action column and two more: a plan's table, not a summary
_HEADING_PREFIX = re.compile(
    r"^\s*(?:(?:improvement\s+|key\s+)?(?:theme|priority|section|area|workstream|strand|part)"
    r"\s*\d*[a-z]?\s*[:.\-\u2013]?\s*"
    r"|\d+(?:\.\d+)?\s*[:.)\-\u2013]\s*)",
    re.IGNORECASE,
)
# A row naming a recommendation by its word: "Recommendation 3:", "Ofsted rec 2 -", "R4 \u2013",
# "Area for improvement 1". ("Priority 2: ..." is a theme; "Priority action 2" is not.)
_RECOMMENDATION_ROW = re.compile(
    r"^\s*(?:ofsted\s+)?(?:recommendation|rec\.?|area\s+for\s+improvement|afi|priority\s+action"
    r"|r(?=\s?\d))\s*(?:no\.?\s*)?\d+(?:\.\d+)?\b",
    re.IGNORECASE,
)
_SECTION_NUMBER = re.compile(
    r"^\s*(?:(?:theme|priority|section|area|part)\s*)?\d+(?:\.\d+)?[.:]?\s*$", re.IGNORECASE
)


class Problem(NamedTuple):
    """A spreadsheet row that cannot be imported (``row`` as numbered in Excel) and why."""

    row: int
    reason: str


@dataclass(frozen=True)
class PlanRow:
    """One action as the sheet describes it, checked but not yet matched to the store."""

    row: int
    title: str
    ref: str = ""
    description: str = ""
    owner: str = ""
    due_date: date | None = None
    brag: str | None = None
    success_measure: str = ""
    theme: str = ""
    progress: str = ""
    progress_date: date | None = None
    finding_refs: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    evidence_link: str = ""  # the hyperlink behind the Evidence cell, if any
    # How the plan wrote each of finding_refs ("Rec 3"), in the same order.
    refs_said: tuple[str, ...] = ()
    # The other review each is said to be of ("JTAI" for "JTAI rec 3"), or "".
    refs_review: tuple[str, ...] = ()
    # The Findings cell's words other than refs: a quoted recommendation, matched by text.
    finding_quote: str = ""
    # Why the Findings cell holds what it does when it was blank on this row: "merged cells,
    # rows 5-7" or "same as row 5 above (same ref prefix 1.)"; "" when it was filled.
    findings_rule: str = ""
    due_note: str = ""  # how a deadline that is not a plain date was read
    warnings: tuple[str, ...] = ()  # what the lead should check; the row is still imported
    # What dates the progress note: "the Updated column", "the note", "the column header"
    # (a period in it, "Progress Update (Nov-Dec 2017)"), or "" when the sheet does not.
    progress_dated_by: str = ""


@dataclass
class PlanPreview:
    """What a plan spreadsheet holds: the actions it describes and every row it cannot read."""

    path: Path
    sheet: str
    header_row: int
    columns: dict[str, str]  # field -> the header it was read from
    ignored_columns: list[str]
    actions: list[PlanRow]
    problems: list[Problem]
    headings: int = 0
    # Each heading row: (row, the text as written, the theme name read from it).
    heading_rows: list[tuple[int, str, str]] = field(default_factory=list)
    # The words around the plan (title rows, sheet and file name), which often name the council.
    preamble: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


# ----------------------------------------------------------------------------- reading


# A sheet's header: the sheet, its row, columns by field, headers not imported, and the
# header's cells as read (with the group header over a repeated one: see _with_groups).
_Header = tuple[Sheet, int, dict[str, int], list[str], list[object]]


def _best_header(sheet: Sheet, mapping: dict[str, str]) -> _Header | None:
    """A sheet's best header row among its first rows: the one naming most fields.

    A header must name the action column; with a mapping it must hold every mapped header.
    """
    best = None
    rows = dict(sheet.rows)
    for number, cells in sheet.rows[:_HEADER_SEARCH_ROWS]:
        values = _with_groups(
            _hidden_repeats(cells, sheet.hidden_columns), rows.get(number - 1, [])
        )
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


def _with_groups(values: list[object], above: list[object]) -> list[object]:
    """A header whose name repeats under group headers ("December 2025 update" over
    "RAG | Commentary", "March 2026 update" over another "RAG | Commentary") names each
    repeat with its group: "RAG March 2026 update", so the latest period is read, and the
    note dated by it. A group's text is in its first column (merged across the rest)."""
    names = [norm(v) for v in values]
    counts = Counter(n for n in names if n)
    if not any(count > 1 for count in counts.values()):
        return values
    carried, group = [], ""
    for index in range(len(values)):
        if index < len(above) and not blank(above[index]):
            cell = above[index]
            group = f"{cell:%d %B %Y}" if isinstance(cell, date) else " ".join(str(cell).split())
        carried.append(group)
    repeats: dict[str, list[int]] = {}
    for index, name in enumerate(names):
        if counts.get(name, 0) > 1:
            repeats.setdefault(name, []).append(index)
    out = list(values)
    for columns in repeats.values():
        groups = [carried[i] for i in columns]
        if all(groups) and len(set(groups)) == len(groups):
            for i in columns:
                out[i] = f"{' '.join(str(values[i]).split())} {carried[i]}"
    return out


def _find_header(path: Path, sheets: list[Sheet], mapping: dict[str, str]) -> _Header | None:
    """The header of the one sheet holding a plan table, else of the first with a header.

    A plan table is a header naming the action column and at least two more, with rows
    below it. A workbook with one on several sheets (an instructions sheet's example, a
    tab per priority, last month's copy) is refused: reading only one of them would drop
    the others' actions without a word, or import the example.
    """
    found = [best for sheet in sheets if (best := _best_header(sheet, mapping))]
    tables = [h for h in found if len(h[2]) >= _PLAN_TABLE_FIELDS and _rows_below(h)]
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


def _shared_refs(tables: list[_Header]) -> str:
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


def _label(value: object) -> str:
    """A sub-header's label as text: "Mar 26", or a date cell as "Mar 2026"."""
    return f"{value:%b %Y}" if isinstance(value, date) else " ".join(str(value).split())


def _sub_header(values: list[object], header: list[object], columns: dict[str, int]) -> bool:
    """The row under the header holding short labels under a group header ("Dec 25 |
    Jan 26 | Feb 26" under "RAG rating", merged across them), its other cells the header's
    own (merged down over both rows) or blank: never an action's (its Action and Ref cells
    are blank or the header's)."""
    for fld in ("title", "ref"):
        index = columns.get(fld)
        if index is None or index >= len(values) or blank(values[index]):
            continue
        if index >= len(header) or norm(values[index]) != norm(header[index]):
            return False
    labels = 0
    for index, value in enumerate(values):
        if blank(value):
            continue
        above = header[index] if index < len(header) else ""
        if not blank(above) and norm(above) == norm(value):
            continue  # a header cell merged down over both rows
        short = isinstance(value, date) or (
            isinstance(value, str) and len(value) <= 30 and "\n" not in value
        )
        # Under a group: a header cell with blank ones after it (merged across them).
        grouped = blank(above) or (index + 1 < len(header) and blank(header[index + 1]))
        if not (short and grouped):
            return False
        labels += 1
    return labels >= 2


def _latest_under_group(
    sheet: Sheet,
    header_row: int,
    columns: dict[str, int],
    header: list[object],
    ignored: list[str],
) -> dict[str, int]:
    """A BRAG, progress or Updated header over several period columns ("RAG rating"
    merged over "Dec 25 | Jan 26 | Feb 26 | Mar 26" below it) is read from the latest
    period's column (else the rightmost), not the first; its header then names the period
    ("RAG rating Mar 26"), which also dates the progress note, and the others are listed
    as not imported."""
    below = dict(sheet.rows).get(header_row + 1)
    if below is None or not _sub_header(below, header, columns):
        return columns
    chosen = dict(columns)
    for fld in ("brag", "progress", "update_date"):
        if fld not in columns:
            continue
        start = columns[fld]
        end = next((i for i in range(start + 1, len(header)) if not blank(header[i])), len(header))
        span = [i for i in range(start, min(end, len(below))) if not blank(below[i])]
        if len(span) < 2 or any(norm(below[i]) == norm(header[i]) for i in span):
            continue
        periods = {i: header_period_end(_label(below[i])) for i in span}
        latest = all(periods.values())
        pick = max(span, key=lambda i: (periods[i], i)) if latest else span[-1]
        group = " ".join(str(header[start]).split())
        header[pick] = f"{group} {_label(below[pick])}"
        ignored.extend(f"{group} {_label(below[i])}" for i in span if i != pick)
        chosen[fld] = pick
    return chosen


_LEVELS = {"high", "medium", "med", "low", "h", "m", "l", "critical", "urgent", "very high"}


def _not_priority_levels(
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


def _numbered_actions(sheet: Sheet, header_row: int, columns: dict[str, int]) -> dict[str, int]:
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


def _rows_below(header: _Header) -> int:
    sheet, row = header[0], header[1]
    return sum(1 for number, _ in sheet.rows if number > row)


def _count(rows: int) -> str:
    return "1 row" if rows == 1 else f"{rows} rows"


def _named_sheet(path: Path, sheets: list[Sheet], name: str) -> list[Sheet]:
    """The visible sheet a mapping's ``sheet=NAME`` names (case and spaces aside)."""
    chosen = [s for s in sheets if norm(s.name) == norm(name)]
    if not chosen:
        names = ", ".join(f"'{s.name}'" for s in sheets)
        raise ImportFailed(
            f"{path.name} has no visible sheet named '{name}': its sheets are {names}."
        )
    return chosen[:1]


def _describe_headers(sheets: list[Sheet]) -> str:
    for sheet in sheets:
        for _, values in sheet.rows[:_HEADER_SEARCH_ROWS]:
            cells = [" ".join(str(v).split()) for v in values if str(v).strip()]
            if len(cells) >= 2:
                shown = ", ".join(f"'{c[:30]}'" for c in cells[:6])
                return f" The first row with several cells holds {shown}."
    return " No row has more than one filled cell."


def read_plan(path: str | Path, mapping: dict[str, str] | None = None) -> PlanPreview:
    """Read a plan spreadsheet into the actions it describes, and the rows it cannot read.

    ``mapping`` names, per field (ref, action, owner, due, brag, theme, progress, updated,
    findings, evidence, success, description), the header of the column to read it from,
    when the usual names do not find it, and may name the ``sheet`` of a workbook to read
    (needed when more than one sheet holds a plan table). Raises :class:`ImportFailed` for
    a file that is not a readable spreadsheet or has no recognisable header row.
    """
    path = Path(path)
    fields = clean_mapping(mapping)
    sheet_name = fields.pop("sheet", "")
    sheets = read_sheets(path)
    if sheet_name:
        sheets = _named_sheet(path, sheets, sheet_name)
    found = _find_header(path, sheets, fields)
    if found is None:
        if fields:
            wanted = ", ".join(f"'{h}'" for h in fields.values())
            raise ImportFailed(
                phrase(
                    f"{path.name}: no row has every column named by ", Option.COLUMNS,
                    f" ({wanted}) next to an action column.{_describe_headers(sheets)}",
                )
            )  # fmt: skip
        raise ImportFailed(
            phrase(
                f"{path.name}: no header row found: expected columns such as Action, Owner, "
                "Due and BRAG (or name them with ", Option.COLUMN_PAIR,
                f").{_describe_headers(sheets)}",
            )
        )  # fmt: skip
    sheet, header_row, columns, ignored, header_values = found
    columns = _numbered_actions(sheet, header_row, columns)
    columns = _not_priority_levels(sheet, header_row, columns, header_values, ignored)
    header_values = list(header_values)
    columns = _latest_under_group(sheet, header_row, columns, header_values, ignored)
    preview = PlanPreview(
        path=path,
        sheet=sheet.name,
        header_row=header_row,
        columns={f: " ".join(str(header_values[i]).split()) for f, i in columns.items()},
        ignored_columns=ignored,
        actions=[],
        problems=[],
        preamble=" ".join(
            [path.stem, sheet.name]
            + [str(v) for n, values in sheet.rows if n < header_row for v in values if v]
        ),
    )
    _read_rows(sheet, header_row, columns, preview)
    if not preview.actions and not preview.problems:
        raise ImportFailed(
            f"{path.name}: there are no actions below the header (row {header_row}), "
            "so there is nothing to import."
        )
    return preview


@dataclass
class _Draft:
    """An action being read; continuation rows may still add to it."""

    row: int
    values: dict[str, object]
    problems: list[str]
    section: int = 0  # how many heading rows are above it: rows under different ones differ
    findings_rule: str = ""


def _read_rows(
    sheet: Sheet, header_row: int, columns: dict[str, int], preview: PlanPreview
) -> None:
    theme = ""
    section = 0
    drafts: list[_Draft] = []
    by_index = {index: fld for fld, index in columns.items()}
    first_column = min(columns.values())
    header = dict(sheet.rows).get(header_row, [])
    # A row holding only a recommendation, over actions whose Findings cells are blank,
    # is what those actions answer; over an action with its own, it carries on the one
    # above. Which it is shows at the next action, so it waits until then.
    pending: tuple[int, dict[str, object], _Draft | None] | None = None
    group: tuple[int, object] | None = None

    def settle_pending() -> None:
        nonlocal pending
        if pending is not None:
            row, waiting, above = pending
            if above is None or not _continues(above, waiting):
                preview.problems.append(
                    Problem(row, "has no action text (the Action column is empty)")
                )
            pending = None

    for number, values in sheet.rows:
        if number <= header_row:
            continue
        cells = {f: values[i] if i < len(values) else "" for f, i in columns.items()}
        if "brag" in columns and blank(cells["brag"]):
            colour = sheet.fills.get((number, columns["brag"]))
            if colour:
                cells["brag"] = Fill(colour)
        if "evidence" in columns and not blank(cells["evidence"]):
            cells["_evidence_link"] = sheet.links.get((number, columns["evidence"]), "")
        unsaved = [
            f
            for f, i in columns.items()
            if (number, i) in sheet.unsaved_formulas and blank(cells[f])
        ]
        if unsaved:
            cells["_unsaved"] = tuple(unsaved)
        if "ref" in columns and (number, columns["ref"]) in sheet.merged:
            cells["_ref_merged"] = sheet.merged[(number, columns["ref"])]
        if "findings" in columns and (number, columns["findings"]) in sheet.merged:
            first, last = sheet.merged[(number, columns["findings"])]
            cells["_findings_rule"] = f"merged cells, rows {first}\u2013{last}"
        filled = [v for v in values if not blank(v)]
        if not drafts and _sub_header(values, header, columns):
            continue
        if _header_again(values, header, columns["title"]) or _brag_key(filled):
            continue
        heading = _heading(values, by_index, first_column, number in sheet.bold_rows)
        written = " ".join(str(v).strip() for v in filled)
        if heading is not None and _RECOMMENDATION_ROW.match(written):
            # "Recommendation 3: The quality of ..." across the sheet, in bold: not a theme,
            # but what the actions below it answer (those whose Findings cells are blank).
            settle_pending()
            group = (number, written)
            section += 1
            continue
        if heading is not None:
            settle_pending()
            group = None
            theme = heading
            section += 1
            preview.headings += 1
            preview.heading_rows.append((number, written, heading))
            continue
        if blank(cells.get("title")) and blank(cells.get("ref")):
            if _only_findings(cells, columns):
                settle_pending()
                pending = (number, cells, drafts[-1] if drafts else None)
                continue
            if drafts and _continues(drafts[-1], cells):
                continue
            if not any(not blank(cells.get(f)) for f in columns):
                # Cells only in columns we do not import (e.g. a "Comments (old)" column).
                continue
            preview.problems.append(
                Problem(number, "has no action text (the Action column is empty)")
            )
            continue
        if drafts and _repeats(drafts[-1], cells):
            continue
        if pending is not None and blank(cells.get("findings")):
            group, pending = (pending[0], pending[1]["findings"]), None
        settle_pending()
        if not blank(cells.get("findings")):
            group = None
        elif group is not None:
            cells["findings"] = group[1]
            cells["_findings_rule"] = f"under the recommendation in row {group[0]}"
        looks = [
            said
            for rows, said in ((sheet.hidden_rows, "hidden"), (sheet.struck_rows, "struck through"))
            if number in rows
        ]
        if looks:
            cells["_looks"] = " and ".join(looks)
        drafts.append(_Draft(number, {**cells, "_theme": theme}, [], section))
    settle_pending()
    _same_as_above(drafts, by_prefix=not sheet.knows_merges)
    # A bare "3." is a recommendation's number only in a column of nothing but refs.
    findings = [cell_text(d.values.get("findings")) for d in drafts]
    bare = any(findings) and all(only_references(text) for text in findings if text)
    seen_refs: dict[str, int] = {}
    seen_titles: dict[str, int] = {}  # titles of rows without a ref
    for draft in drafts:
        ref = one_line(draft.values.get("ref")).lower()
        if ref and ref in seen_refs:
            # Excel keeps a ref typed 1.10 as the number 1.1, whatever the cell shows.
            number = isinstance(draft.values.get("ref"), float) and "." in ref
            merged = draft.values.get("_ref_merged")
            hint = (
                " (a ref typed as a number loses its last 0: 1.10 is kept as 1.1; format the "
                "Ref column as Text and type the refs again)"
                if number
                else ""
            )
            if isinstance(merged, tuple):
                hint = (
                    f" (the Ref cell is merged over rows {merged[0]}\u2013{merged[1]}: unmerge it "
                    "and give each action its own ref, such as 1.1, 1.2)"
                )
            preview.problems.append(
                Problem(
                    draft.row,
                    f"ref '{one_line(draft.values.get('ref'))}' is also used "
                    f"on row {seen_refs[ref]}{hint}",
                )
            )
            continue
        if ref:
            seen_refs[ref] = draft.row
        row = _finish(draft, bare, preview.columns.get("progress", ""))
        if row is None:
            preview.problems.extend(Problem(draft.row, p) for p in draft.problems)
            continue
        # With no ref, an action is found again by its title: two rows of one title would
        # both update the same action next time, and one would be lost.
        title = " ".join(row.title.lower().split())
        if not row.ref and title in seen_titles:
            preview.problems.append(
                Problem(
                    draft.row,
                    f"action '{cut(row.title, 60)}' is also on row {seen_titles[title]}, and "
                    "neither has a ref: give each a ref (or word them differently), or a "
                    "later import could not tell them apart",
                )
            )
            continue
        if not row.ref:
            seen_titles[title] = draft.row
        preview.actions.append(row)
    preview.problems.sort()


def _header_again(values: list[object], header: list[object], title: int) -> bool:
    """The header repeated below it (two tables pasted one under the other, or a printed
    sheet's header on each page): every filled cell is the header's own, Action among them."""
    filled = [i for i, v in enumerate(values) if not blank(v)]
    return (
        len(filled) >= 2
        and title in filled
        and all(i < len(header) and norm(values[i]) == norm(header[i]) for i in filled)
    )


_KEY_LABELS = {"key", "legend", "rag key", "brag key", "status key", "rag", "brag"}
_KEY_PAIR = re.compile(
    r"^(?:b|r|a|g|blue|red|amber|green)\s*(?:=|:|-|\u2013)\s*(?P<meaning>.+)$", re.IGNORECASE
)


def _brag_key(filled: list[object]) -> bool:
    """A key to the BRAG colours ("Key: | B = Complete | G = On track | A = At risk"), in
    cells or in one: what the letters mean, not an action."""
    pairs = 0
    for value in filled:
        if not isinstance(value, str):
            return False
        for piece in re.split(r"[,;|\n]", value):
            label, colon, rest = piece.partition(":")
            if colon and norm(label) in _KEY_LABELS:
                piece = rest
            pair = _KEY_PAIR.match(piece.strip())
            if pair and read_brag(pair["meaning"])[0]:
                pairs += 1  # "G = On track": a letter and the status it stands for
            elif norm(piece) and norm(piece) not in _KEY_LABELS:
                return False
    return pairs >= 2


def _only_findings(cells: dict[str, object], columns: dict[str, int]) -> bool:
    """A row whose only content (of the columns read) is its Findings cell."""
    return not blank(cells.get("findings")) and all(
        blank(cells.get(f)) or isinstance(cells.get(f), Fill) for f in columns if f != "findings"
    )


def _ref_prefix(draft: _Draft) -> str:
    """ "1" for the ref "1.2" (or "1a", "A1.3" for "A1.3.2"); "" for a ref with no parts."""
    ref = one_line(draft.values.get("ref"))
    match = re.match(r"^(.*\d)[.\-]\w+$", ref) or re.match(r"^(\d+)[a-z]$", ref, re.IGNORECASE)
    return match.group(1) if match else ""


_AS_ABOVE = {"as above", "see above", "same as above", "as per above", "ditto", "as previous"}


def _same_as_above(drafts: list[_Draft], *, by_prefix: bool) -> None:
    """A blank Findings cell under a filled one means "same as above" only when the two rows
    belong together: cells merged over both (a workbook's merge, already filled in), or, in
    a CSV (which has lost its merges), refs with the same prefix under the same heading
    ("1.1" then "1.2"). Otherwise it is no link. A cell saying "As above" means the same
    as the action above, whatever their refs."""
    above: _Draft | None = None
    before: _Draft | None = None  # the action on the row above, whatever its cell
    for draft in drafts:
        rule = str(draft.values.get("_findings_rule") or "")
        said = norm(cell_text(draft.values.get("findings")))
        if rule:
            draft.findings_rule = rule
        elif said in _AS_ABOVE and before is not None and before.section == draft.section:
            # "As above", "Ditto": the findings of the action above (under the same heading;
            # else the words stay, matched as a quote, and the dry run says no link).
            written = cell_text(draft.values.get("findings"))
            draft.values["findings"] = before.values.get("findings")
            draft.findings_rule = f"'{written}': same as row {before.row} above"
        elif blank(draft.values.get("findings")) and above is not None and by_prefix:
            prefix = _ref_prefix(draft)
            if prefix and prefix == _ref_prefix(above) and draft.section == above.section:
                draft.values["findings"] = above.values.get("findings")
                draft.findings_rule = f"same as row {above.row} above (same ref prefix {prefix}.)"
        if not blank(draft.values.get("findings")):
            above = draft
        elif not draft.findings_rule:
            above = None if _ref_prefix(draft) == "" else above
        before = draft


def _heading(values: list[object], fields: dict[int, str], first: int, bold: bool) -> str | None:
    """The theme a heading row names, or ``None`` for any other row.

    A heading is the row's only content: one line of text in any column (or a section
    number and a name), that reads like a heading: a number or "Theme 2:", "Priority 3 -",
    "Improvement theme 4 -" before it, bold type across the row, or a theme's own name. In a
    column of notes (progress, evidence...) only the sheet's first column counts, so a lone
    note under an action still carries that action on.
    """
    filled = [(i, str(v).strip()) for i, v in enumerate(values) if not blank(v)]
    number = ""
    if len(filled) == 1:
        index, name = filled[0]
        field_name = fields.get(index)
        if field_name not in (None, "ref", "title", "theme", "findings") and index != first:
            return None
    elif len(filled) == 2 and _SECTION_NUMBER.match(filled[0][1]):
        index, name = filled[1]
        field_name, number = fields.get(index), filled[0][1]
    else:
        return None
    if not re.search(r"[A-Za-z]{3}", name) or "\n" in name or len(name) > 200:
        return None
    if isinstance(values[index], (int, float, date)):
        return None
    cleaned = _HEADING_PREFIX.sub("", name, count=1).strip(" :.-\u2013")
    reads_as_heading = (
        bold
        or cleaned != name
        or re.search(r"[A-Za-z]", number) is not None
        or norm(name) in _THEME_NAMES
        or field_name == "theme"
        or (field_name == "ref" and len(filled) == 1)
    )
    if not reads_as_heading:
        return None
    return cleaned or name


_THEME_NAMES = {norm(name) for name in DEFAULT_THEMES}


def _continues(draft: _Draft, cells: dict[str, object]) -> bool:
    """Add a row with no ref and no action to the action above (its notes carry on)."""
    if any(not blank(cells.get(f)) for f in ("owner", "due_date", "brag", "theme")):
        return False
    added = False
    for fld in ("description", "progress", "success_measure", "evidence", "findings"):
        value = cells.get(fld)
        if blank(value):
            continue
        before = draft.values.get(fld)
        draft.values[fld] = f"{before}\n{value}" if not blank(before) else value
        added = True
    return added


def _repeats(draft: _Draft, cells: dict[str, object]) -> bool:
    """A row repeating the action above (its Ref and Action cells merged over both rows)
    adds its notes to that action, as long as owner, due date and BRAG agree."""
    same = ("ref", "title")
    if any(cell_text(cells.get(f)) != cell_text(draft.values.get(f)) for f in same):
        return False
    for fld in ("owner", "due_date", "brag"):
        value = cells.get(fld)
        if not blank(value) and cell_text(value) != cell_text(draft.values.get(fld)):
            return False
    for fld in ("description", "progress", "success_measure", "evidence", "findings"):
        value, before = cells.get(fld), draft.values.get(fld)
        if blank(value) or cell_text(value) == cell_text(before):
            continue
        draft.values[fld] = f"{before}\n{value}" if not blank(before) else value
    return True


def _finish(draft: _Draft, bare: bool, progress_header: str) -> PlanRow | None:
    """The action a draft describes, or ``None`` (its problems noted on the draft).

    ``bare``: bare numbers in the Findings column are refs (it holds nothing else).
    """
    cells, problems = draft.values, draft.problems
    warnings: list[str] = []
    if cells.get("_looks"):  # the row is imported: what it means is for the lead to say
        warnings.append(
            f"the row is {cells['_looks']} in the sheet: imported all the same (delete the "
            "row if the action was dropped)"
        )
    for name in cells.get("_unsaved") or ():  # type: ignore[attr-defined]
        what = {"due_date": "date", "update_date": "date", "brag": "BRAG"}.get(name, "value")
        problems.append(
            f"{FIELD_LABELS[name]} in row {draft.row} is a formula with no saved value: open "
            f"and save the file in Excel, or type the {what}"
        )
    ref = one_line(cells.get("ref"))
    if len(ref) > 40:
        problems.append(f"ref '{ref[:40]}...' is longer than 40 characters")
    raw_title = cell_text(cells.get("title"))
    if not raw_title:
        problems.append(f"has ref '{ref}' but no action text (the Action column is empty)")
    elif norm(raw_title) in _AS_ABOVE:
        # Not an action called "As above", nor a guess at which part of the one above.
        problems.append(
            f"the Action cell says '{cut(raw_title, 20)}': write the action out (or merge "
            "the cells if it is the action above)"
        )
    title, rest = split_title(raw_title)
    description = "\n\n".join(p for p in (rest, cell_text(cells.get("description"))) if p)
    owner = one_line(cells.get("owner"), ", ")
    if len(owner) > 200:
        problems.append("owner is longer than 200 characters")
    deadline = read_deadline(cells.get("due_date"))
    if deadline.error:
        problems.append(deadline.error)
    if deadline.warning:
        warnings.append(deadline.warning)
    brag, error = read_brag(cells.get("brag"))
    if error:
        problems.append(error)
    progress = cell_text(cells.get("progress"))
    progress_date, dated_by = None, ""
    if not blank(cells.get("update_date")):
        try:
            progress_date, dated_by = (
                read_date(cells.get("update_date"), "updated"),
                "the Updated column",
            )
        except ValidationError:
            updated = cells.get("update_date")
            problems.append(
                f"update date '{cell_text(updated)}' is not a date{serial_hint(updated)}"
            )
    elif progress:
        progress_date, dated_by = latest_note_date(progress), "the note"
        if progress_date is None:
            progress_date, dated_by = header_period_end(progress_header), "the column header"
    if progress_date is None:
        dated_by = ""
    theme = clean_theme(one_line(cells.get("theme")) or str(cells.get("_theme") or ""))
    if problems:
        return None
    findings = cell_text(cells.get("findings"))
    # An explicit ref in brackets in the action text counts too: "... assessment (Rec 3)".
    in_title = [
        replace(r, review="")  # "Audit of assessments (Rec 3)": the inspection's Rec 3
        for r in references(raw_title)
        if f"({r.said})" in raw_title
    ]
    said = references(findings, bare=bare) + in_title
    refs = list(dict.fromkeys(r.ref for r in said))
    quote = quoted_text(findings) if not only_references(findings) else ""
    return PlanRow(
        row=draft.row,
        title=title,
        ref=ref,
        description=description,
        owner=owner,
        due_date=deadline.due,
        brag=brag,
        success_measure=cell_text(cells.get("success_measure")),
        theme=theme[:TITLE_LIMIT],
        progress=progress,
        progress_date=progress_date,
        finding_refs=tuple(refs),
        evidence=evidence_items(cells.get("evidence")),
        evidence_link=str(cells.get("_evidence_link") or ""),
        refs_said=tuple(next(r.said for r in said if r.ref == ref) for ref in refs),
        refs_review=tuple(next(r.review for r in said if r.ref == ref) for ref in refs),
        finding_quote=quote,
        findings_rule=draft.findings_rule,
        due_note=deadline.note,
        warnings=tuple(warnings),
        progress_dated_by=dated_by,
    )


def clean_theme(name: str) -> str:
    """A theme's name without its "Theme 2:" or "3." in front."""
    if not name:
        return ""
    return _HEADING_PREFIX.sub("", name, count=1).strip(" :.-\u2013") or name


def header_period_end(header: str) -> date | None:
    """The last day of a period a column's header names ("Progress Update (Nov-Dec 2017)",
    "Update January 2018", "Progress at 31/12/17"), or ``None``."""
    text = " ".join(header.replace("\u2013", "-").split())
    match = re.search(
        r"(?:[A-Za-z]{3,9}\.?\s*(?:\d{2,4})?\s*[-/]\s*)?([A-Za-z]{3,9})\.?\s*'?(\d{4}|\d{2})\b",
        text,
    )
    candidates = []
    if match:
        candidates.append(f"end of {match.group(1)} {match.group(2)}")
    candidates += re.findall(r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}", text)
    for candidate in reversed(candidates):
        try:
            found = parse_date(candidate)
        except ValidationError:
            continue
        if found is not None:
            return found
    return None
