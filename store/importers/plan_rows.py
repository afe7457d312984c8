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

This module reads the rows in order; each rule lives in its own: the plan's sheet and header
row, and which column is which (``plan_sheets``); columns a period (``plan_periods``);
heading and recommendation rows (``plan_headings``); rows that are no action, hidden or
struck-through rows (``plan_filters``); continuation rows and "same as above"
(``plan_drafts``); an action's cells read into a :class:`PlanRow` (``plan_actions``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from store.errors import ImportFailed
from store.importers.plan_actions import PlanRow, finish
from store.importers.plan_cells import Fill, blank, cell_text, cut, one_line
from store.importers.plan_columns import clean_mapping
from store.importers.plan_drafts import Draft, continues, only_findings, repeats, same_as_above
from store.importers.plan_filters import brag_key, header_again, row_looks
from store.importers.plan_headings import RECOMMENDATION_ROW, clean_theme, heading_theme
from store.importers.plan_periods import header_period_end, latest_under_group, sub_header
from store.importers.plan_refs import only_references
from store.importers.plan_sheets import (
    describe_headers,
    find_header,
    named_sheet,
    not_priority_levels,
    numbered_actions,
)
from store.importers.spreadsheet import Sheet, read_sheets
from store.wording import Option, phrase

__all__ = [
    "PlanPreview",
    "PlanRow",
    "Problem",
    "clean_theme",
    "header_period_end",
    "read_plan",
]


class Problem(NamedTuple):
    """A spreadsheet row that cannot be imported (``row`` as numbered in Excel) and why."""

    row: int
    reason: str


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
        sheets = named_sheet(path, sheets, sheet_name)
    found = find_header(path, sheets, fields)
    if found is None:
        if fields:
            wanted = ", ".join(f"'{h}'" for h in fields.values())
            raise ImportFailed(
                phrase(
                    f"{path.name}: no row has every column named by ", Option.COLUMNS,
                    f" ({wanted}) next to an action column.{describe_headers(sheets)}",
                )
            )  # fmt: skip
        raise ImportFailed(
            phrase(
                f"{path.name}: no header row found: expected columns such as Action, Owner, "
                "Due and BRAG (or name them with ", Option.COLUMN_PAIR,
                f").{describe_headers(sheets)}",
            )
        )  # fmt: skip
    sheet, header_row, columns, ignored, header_values = found
    columns = numbered_actions(sheet, header_row, columns)
    columns = not_priority_levels(sheet, header_row, columns, header_values, ignored)
    header_values = list(header_values)
    columns = latest_under_group(sheet, header_row, columns, header_values, ignored)
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


def _read_rows(
    sheet: Sheet, header_row: int, columns: dict[str, int], preview: PlanPreview
) -> None:
    theme = ""
    section = 0
    drafts: list[Draft] = []
    by_index = {index: fld for fld, index in columns.items()}
    first_column = min(columns.values())
    header = dict(sheet.rows).get(header_row, [])
    # A row holding only a recommendation, over actions whose Findings cells are blank,
    # is what those actions answer; over an action with its own, it carries on the one
    # above. Which it is shows at the next action, so it waits until then.
    pending: tuple[int, dict[str, object], Draft | None] | None = None
    group: tuple[int, object] | None = None

    def settle_pending() -> None:
        nonlocal pending
        if pending is not None:
            row, waiting, above = pending
            if above is None or not continues(above, waiting):
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
        if not drafts and sub_header(values, header, columns):
            continue
        if header_again(values, header, columns["title"]) or brag_key(filled):
            continue
        heading = heading_theme(values, by_index, first_column, number in sheet.bold_rows)
        written = " ".join(str(v).strip() for v in filled)
        if heading is not None and RECOMMENDATION_ROW.match(written):
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
            if only_findings(cells, columns):
                settle_pending()
                pending = (number, cells, drafts[-1] if drafts else None)
                continue
            if drafts and continues(drafts[-1], cells):
                continue
            if not any(not blank(cells.get(f)) for f in columns):
                # Cells only in columns we do not import (e.g. a "Comments (old)" column).
                continue
            preview.problems.append(
                Problem(number, "has no action text (the Action column is empty)")
            )
            continue
        if drafts and repeats(drafts[-1], cells):
            continue
        if pending is not None and blank(cells.get("findings")):
            group, pending = (pending[0], pending[1]["findings"]), None
        settle_pending()
        if not blank(cells.get("findings")):
            group = None
        elif group is not None:
            cells["findings"] = group[1]
            cells["_findings_rule"] = f"under the recommendation in row {group[0]}"
        looks = row_looks(sheet, number)
        if looks:
            cells["_looks"] = looks
        drafts.append(Draft(number, {**cells, "_theme": theme}, [], section))
    settle_pending()
    same_as_above(drafts, by_prefix=not sheet.knows_merges)
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
        row = finish(draft, bare, preview.columns.get("progress", ""))
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
