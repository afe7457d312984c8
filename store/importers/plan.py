"""Import a council's improvement plan from the spreadsheet it already keeps (CSV or XLSX).

Reading (:func:`read_plan`) needs no store: it finds the header row (title rows above it are
skipped), maps columns by their usual names (``Lead officer``, ``By when``, ``RAG``...) or by
``mapping``, reads heading rows (a row holding only a theme name files the actions below it
under that theme) and continuation rows (notes that carry on the action above), and checks
every cell: UK dates, BRAG words, lengths. Every row it cannot read becomes a
:class:`Problem` with the row number the user sees in Excel.

Importing (:func:`import_plan`) is all or nothing. If any row cannot be read nothing is
stored and :class:`ImportFailed` names the first problem rows. Otherwise, in one batch:

* an action whose ref is already in the store is updated, not duplicated (a plan without a
  ref column is matched on the action's title instead); blank cells never erase what the
  store holds, and links are only ever added;
* a progress note becomes a dated update with the row's BRAG (dated by an "Updated" column,
  else by the latest date the note starts a line with, else today), unless the same note is
  already in the action's history; a BRAG change without a note is recorded as an update too;
* finding refs (``R3``, ``Rec 3``, ``MV2-4``) link the action to those findings. A ref with
  no finding in the store does not stop the import: the action is kept unlinked and the
  ref is reported as a warning, so a plan can be imported before the report it answers
  (re-import it afterwards to add the links);
* each line of an Evidence cell links an evidence item of that title, recorded if new;
* a theme name that is not in the store's list is added to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import NamedTuple

from store.actions import (
    add_action_update,
    create_action,
    list_action_updates,
    list_actions,
    update_action,
)
from store.database import Store
from store.dates import parse_date
from store.errors import ImportFailed, StoreError, ValidationError
from store.evidence import create_evidence, list_evidence
from store.findings import list_findings
from store.importers.evidence_folder import guess_kind, location_in, title_from_name
from store.importers.spreadsheet import Sheet, read_sheets
from store.links import link
from store.records import Action, Finding, Source
from store.sources import list_sources
from store.themes import create_theme, list_themes
from store.vocab import DEFAULT_THEMES

Progress = Callable[[int, int, str], None]

# Each field, with the header names councils give it (normalised: lower case, no punctuation,
# no bracketed asides). Earlier names win when two columns could be the same field, so
# "RAG" beats "Status" and "Progress update" beats "Comments".
FIELDS: dict[str, tuple[str, ...]] = {
    "ref": (
        "ref",
        "action ref",
        "reference",
        "action reference",
        "ref no",
        "action no",
        "action number",
        "action id",
        "no",
        "number",
        "id",
        "#",
        "item",
    ),
    "title": (
        "action",
        "actions",
        "action required",
        "what we will do",
        "what will we do",
        "action title",
        "actions required",
        "action to be taken",
        "actions to be taken",
        "key action",
        "key actions",
        "title",
        "task",
        "activity",
        "what",
    ),
    "description": (
        "description",
        "action description",
        "detail",
        "details",
        "action detail",
        "how we will do it",
        "how will we do it",
        "how",
        "further detail",
        "tasks",
    ),
    "owner": (
        "owner",
        "lead officer",
        "lead",
        "responsible",
        "responsible officer",
        "action owner",
        "lead manager",
        "responsible manager",
        "accountable officer",
        "responsible person",
        "lead person",
        "lead officers",
        "who",
        "by whom",
        "officer",
    ),
    "due_date": (
        "due",
        "due date",
        "deadline",
        "by when",
        "timescale",
        "timescales",
        "target date",
        "completion date",
        "target completion date",
        "date due",
        "revised deadline",
        "revised due date",
        "when",
        "by",
    ),
    "brag": (
        "brag",
        "rag",
        "brag status",
        "rag status",
        "brag rating",
        "rag rating",
        "current brag",
        "current rag",
        "rating",
        "status",
        "progress rating",
        "current status",
    ),
    "success_measure": (
        "success measure",
        "success measures",
        "measure of success",
        "measures of success",
        "success criteria",
        "how will we know",
        "how we will know",
        "how will we know it is working",
        "outcome",
        "outcomes",
        "intended outcome",
        "expected outcome",
        "impact measure",
        "what difference will it make",
        "target",
        "measure",
        "measures",
        "kpi",
    ),
    "theme": (
        "theme",
        "improvement theme",
        "priority",
        "priority area",
        "workstream",
        "work stream",
        "strand",
        "area",
        "area of practice",
        "themes",
    ),
    "progress": (
        "progress",
        "progress update",
        "progress notes",
        "progress note",
        "progress to date",
        "update",
        "latest update",
        "update on progress",
        "progress commentary",
        "commentary",
        "comments",
        "notes",
        "progress and impact",
    ),
    "update_date": (
        "update date",
        "date of update",
        "last updated",
        "date updated",
        "updated",
        "as at",
        "as of",
        "progress date",
    ),
    "findings": (
        "finding",
        "findings",
        "finding ref",
        "finding refs",
        "recommendation",
        "recommendations",
        "recommendation ref",
        "ofsted recommendation",
        "ofsted recommendations",
        "ofsted finding",
        "ofsted findings",
        "ofsted ref",
        "rec",
        "rec no",
        "area for improvement",
        "areas for improvement",
        "priority action",
        "priority actions",
        "links to recommendation",
        "inspection finding",
        "what ofsted said",
    ),
    "evidence": (
        "evidence",
        "evidence of impact",
        "evidence of progress",
        "evidence impact",
        "evidence and impact",
        "impact evidence",
        "supporting evidence",
        "evidence source",
        "evidence sources",
        "where is the evidence",
    ),
}
# What people type after --map, for each field.
FIELD_NAMES: dict[str, str] = {
    "ref": "ref", "reference": "ref",
    "title": "title", "action": "title",
    "description": "description", "detail": "description",
    "owner": "owner", "lead": "owner",
    "due": "due_date", "due_date": "due_date", "deadline": "due_date",
    "brag": "brag", "rag": "brag", "status": "brag",
    "success": "success_measure", "success_measure": "success_measure", "measure": "success_measure",
    "theme": "theme",
    "progress": "progress", "notes": "progress", "update": "progress",
    "updated": "update_date", "update_date": "update_date",
    "finding": "findings", "findings": "findings", "recommendation": "findings",
    "evidence": "evidence",
}  # fmt: skip
FIELD_LABELS = {
    "ref": "Ref", "title": "Action", "description": "Description", "owner": "Owner",
    "due_date": "Due", "brag": "BRAG", "success_measure": "Success measure", "theme": "Theme",
    "progress": "Progress", "update_date": "Updated", "findings": "Findings",
    "evidence": "Evidence",
}  # fmt: skip

# The columns of a new plan (`visitprep template`): header, field, what goes in it, width.
TEMPLATE_COLUMNS: tuple[tuple[str, str, str, int], ...] = (
    (
        "Ref",
        "ref",
        "The action's number, e.g. 1.1 or A12. Re-importing the plan updates the "
        "action with the same ref instead of adding it again.",
        8,
    ),
    (
        "Theme",
        "theme",
        "The improvement theme, e.g. Front door and MASH. Leave blank to use "
        "the theme of the heading row above (a row holding only a theme name).",
        22,
    ),
    (
        "Findings",
        "findings",
        "The refs of the Ofsted findings the action answers, e.g. R1, R3 or Rec 2 and 4.",
        12,
    ),
    (
        "Action",
        "title",
        "What we will do (required). A long text is kept whole as the "
        "description; its first line becomes the title.",
        45,
    ),
    ("Description", "description", "More detail on how it will be done.", 35),
    ("Lead officer", "owner", "Who is responsible, e.g. Head of Service, MASH.", 20),
    (
        "Due",
        "due_date",
        "The deadline: 31/01/2018, Jan 2018 (the end of that month), end of "
        "March 2018, Q4 2017/18, or Ongoing.",
        14,
    ),
    (
        "BRAG",
        "brag",
        "Blue = complete, Green = on track, Amber = at risk, Red = off track "
        "(B/G/A/R, RAG words and 'Complete', 'On track'... are understood).",
        9,
    ),
    (
        "Progress update",
        "progress",
        "The latest progress note; it is added to the action's history with the BRAG, once.",
        45,
    ),
    ("Updated", "update_date", "The date of the progress note (blank: the day of the import).", 12),
    (
        "Success measure",
        "success_measure",
        "How we will know it has worked, e.g. 90% of assessments within 45 working days.",
        30,
    ),
    (
        "Evidence",
        "evidence",
        "Evidence of progress or impact, one item per line (a title, "
        "or a file path or web address).",
        35,
    ),
)
_HEADER_SEARCH_ROWS = 30
_TITLE_LIMIT = 300
_SHORT_TITLE = 160

_BRAG_WORDS = {
    "b": "blue", "blue": "blue", "complete": "blue", "completed": "blue", "done": "blue",
    "achieved": "blue", "closed": "blue", "met": "blue", "finished": "blue",
    "embedded": "blue", "delivered": "blue",
    "g": "green", "green": "green", "on track": "green", "on target": "green",
    "in progress": "green", "ongoing": "green", "on going": "green", "not started": "green",
    "not yet started": "green", "open": "green", "started": "green",
    "a": "amber", "amber": "amber", "yellow": "amber", "at risk": "amber",
    "some slippage": "amber", "slipping": "amber", "delayed": "amber", "partially met": "amber",
    "partly met": "amber", "partially achieved": "amber",
    "r": "red", "red": "red", "off track": "red", "not on track": "red", "overdue": "red",
    "behind": "red", "not achieved": "red", "not met": "red", "significantly delayed": "red",
}  # fmt: skip
_BRAG_RANK = {"blue": 0, "green": 1, "amber": 2, "red": 3}
# Words in a due-date cell that mean "no fixed deadline" rather than a mistake.
_NO_DATE = {"ongoing", "on going", "n a", "na", "tbc", "tba", "tbd", "none", "", "continuous"}
_MONTH_DASH = re.compile(r"^([a-z]{3,9})[-' ](\d{2}|\d{4})$")
_QUARTER = re.compile(r"^q([1-4])\s*(\d{4})(?:\s*[/-]\s*(\d{2}|\d{4}))?$")
_DATE_IN_TEXT = re.compile(
    r"\b(\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{4}-\d{1,2}-\d{1,2}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+[a-z]{3,9}\.?\s+\d{4}"
    r"|(?:end\s+(?:of\s+)?)?[a-z]{3,9}\.?\s+\d{4})\b"
)
_NOTE_DATE = re.compile(
    r"^\s*(\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?\s+\d{2,4}"
    r"|[A-Za-z]{3,9}\.?\s+\d{2,4})\s*[:\-\u2013]"
)
_HEADING_PREFIX = re.compile(
    r"^\s*(?:(?:theme|priority|section|area|workstream|strand|part)\s*\d*[a-z]?\s*[:.\-\u2013]?\s*"
    r"|\d+(?:\.\d+)?\s*[:.)\-\u2013]\s*)",
    re.IGNORECASE,
)
_SECTION_NUMBER = re.compile(
    r"^\s*(?:(?:theme|priority|section|area|part)\s*)?\d+(?:\.\d+)?[.:]?\s*$", re.IGNORECASE
)
_REF_TOKEN = re.compile(
    r"^(?:(rec(?:ommendation)?|r|afi|area for improvement|pa|priority action)\.?\s*)?"
    r"([a-z]{0,3}\d+(?:[.\-]\d+)*[a-z]?)$",
    re.IGNORECASE,
)
_BULLETS = "\u2022\u25aa\u25fc\u25a0\u2013\u2014-*\uf06e\u00b7"


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
    # The words around the plan (title rows, sheet and file name), which often name the council.
    preamble: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class PlanResult:
    """What an import did (or, for a dry run, would do)."""

    path: Path
    dry_run: bool
    preview: PlanPreview
    created: list[str] = field(default_factory=list)  # action refs (or titles)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    updates_added: int = 0
    links_added: int = 0
    evidence_created: int = 0
    evidence_linked: int = 0
    themes_created: list[str] = field(default_factory=list)
    findings_source: str = ""  # the source whose refs (R1, R2...) the plan's refs were read as
    warnings: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Per action row: "new", "update" or "unchanged", with what changes.
    plan: list[PlannedAction] = field(default_factory=list)


# ----------------------------------------------------------------------------- reading


def _norm(text: object) -> str:
    """A header or name as compared: lower case, '&' as 'and', no punctuation or asides."""
    raw = str(text).lower().replace("&", " and ")
    raw = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", raw)
    raw = re.sub(r"[^a-z0-9# ]+", " ", raw)
    return " ".join(raw.split())


def _field_for_header(header: object) -> tuple[str, int] | None:
    """The field a header names and how strongly (lower is stronger), or ``None``."""
    name = _norm(header)
    if not name:
        return None
    for fld, names in FIELDS.items():
        if name in names:
            return fld, names.index(name)
    # "Progress update January 2018", "Status at 31/12/17": the longest known name it starts with.
    best: tuple[int, str, int] | None = None
    for fld, names in FIELDS.items():
        for rank, known in enumerate(names):
            longer = best is None or len(known) > best[0]
            if len(known) >= 3 and name.startswith(known + " ") and longer:
                best = (len(known), fld, 100 + rank)
    return (best[1], best[2]) if best else None


def _map_columns(values: list[object], mapping: dict[str, str]) -> tuple[dict[str, int], list[str]]:
    """Columns of a header row by field, and the headers of columns not imported.

    ``mapping`` (field -> header text) wins over the usual names.
    """
    taken: dict[str, tuple[int, int]] = {}
    forced = {_norm(header): fld for fld, header in mapping.items()}
    for index, value in enumerate(values):
        name = _norm(value)
        if name and name in forced:
            taken[forced[name]] = (-1, index)
    for index, value in enumerate(values):
        if _norm(value) in forced:
            continue
        match = _field_for_header(value)
        if match is None:
            continue
        fld, rank = match
        if fld not in taken or rank < taken[fld][0]:
            taken[fld] = (rank, index)
    columns = {fld: index for fld, (_, index) in taken.items()}
    used = set(columns.values())
    ignored = [
        " ".join(str(v).split()) for i, v in enumerate(values) if i not in used and str(v).strip()
    ]
    return columns, ignored


def _clean_mapping(mapping: dict[str, str] | None) -> dict[str, str]:
    clean: dict[str, str] = {}
    for name, header in (mapping or {}).items():
        fld = FIELD_NAMES.get(name.strip().lower().replace("-", "_").replace(" ", "_"))
        if fld is None:
            known = ", ".join(sorted({k for k in FIELD_NAMES if "_" not in k}))
            raise ValidationError("map", f"--map: '{name}' is not a plan field. Fields: {known}.")
        if not _norm(header):
            raise ValidationError("map", f"--map {name}=...: give the column's header.")
        clean[fld] = header
    return clean


def _find_header(
    sheets: list[Sheet], mapping: dict[str, str]
) -> tuple[Sheet, int, dict[str, int], list[str]] | None:
    """The first sheet's best header row among its first rows: the one naming most fields.

    A header must name the action column; with a mapping it must hold every mapped header.
    """
    for sheet in sheets:
        best = None
        for number, values in sheet.rows[:_HEADER_SEARCH_ROWS]:
            columns, ignored = _map_columns(values, mapping)
            if "title" not in columns or any(f not in columns for f in mapping):
                continue
            if len(columns) < 2 and not mapping:
                continue
            if best is None or len(columns) > len(best[2]):
                best = (sheet, number, columns, ignored)
        if best is not None:
            return best
    return None


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
    when the usual names do not find it. Raises :class:`ImportFailed` for a file that is
    not a readable spreadsheet or has no recognisable header row.
    """
    path = Path(path)
    fields = _clean_mapping(mapping)
    sheets = read_sheets(path)
    found = _find_header(sheets, fields)
    if found is None:
        if fields:
            wanted = ", ".join(f"'{h}'" for h in fields.values())
            raise ImportFailed(
                f"{path.name}: no row has every column named by --map ({wanted}) "
                f"next to an action column.{_describe_headers(sheets)}"
            )
        raise ImportFailed(
            f"{path.name}: no header row found: expected columns such as Action, Owner, Due "
            f"and BRAG (or name them with --map FIELD=HEADER).{_describe_headers(sheets)}"
        )
    sheet, header_row, columns, ignored = found
    header_values = dict(sheet.rows)[header_row]
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


def _read_rows(
    sheet: Sheet, header_row: int, columns: dict[str, int], preview: PlanPreview
) -> None:
    theme = ""
    drafts: list[_Draft] = []
    for number, values in sheet.rows:
        if number <= header_row:
            continue
        cells = {f: values[i] if i < len(values) else "" for f, i in columns.items()}
        if "brag" in columns and _blank(cells["brag"]):
            colour = sheet.fills.get((number, columns["brag"]))
            if colour:
                cells["brag"] = _Fill(colour)
        filled = [v for v in values if not _blank(v)]
        heading = _heading(cells, filled)
        if heading is not None:
            theme = heading
            preview.headings += 1
            continue
        if _blank(cells.get("title")) and _blank(cells.get("ref")):
            if drafts and _continues(drafts[-1], cells):
                continue
            if not any(not _blank(cells.get(f)) for f in columns):
                # Cells only in columns we do not import (e.g. a "Comments (old)" column).
                continue
            preview.problems.append(
                Problem(number, "has no action text (the Action column is empty)")
            )
            continue
        drafts.append(_Draft(number, {**cells, "_theme": theme}, []))
    seen_refs: dict[str, int] = {}
    for draft in drafts:
        ref = _one_line(draft.values.get("ref")).lower()
        if ref and ref in seen_refs:
            preview.problems.append(
                Problem(
                    draft.row,
                    f"ref '{_one_line(draft.values.get('ref'))}' is also used "
                    f"on row {seen_refs[ref]}",
                )
            )
            continue
        if ref:
            seen_refs[ref] = draft.row
        row = _finish(draft)
        if row is None:
            preview.problems.extend(Problem(draft.row, p) for p in draft.problems)
        else:
            preview.actions.append(row)
    preview.problems.sort()


class _Fill(str):
    """A BRAG given only as the colour of the cell."""


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _heading(cells: dict[str, object], filled: list[object]) -> str | None:
    """The theme named by a heading row (one text cell, or a section number and a name).

    Text alone in the Action column is an action with nothing else filled in, unless it
    reads like a heading ("Theme 2: ...", "Priority 3 - ...") or is a theme's name.
    """
    if any(not _blank(cells.get(f)) for f in cells if f not in ("ref", "title", "theme")):
        return None
    texts = [str(v).strip() for v in filled]
    if len(texts) == 1 and re.search(r"[A-Za-z]{3}", texts[0]) and "\n" not in texts[0]:
        name = texts[0]
        alone_as_action = str(cells.get("title", "")).strip() == name
    elif (
        len(texts) == 2 and _SECTION_NUMBER.match(texts[0]) and re.search(r"[A-Za-z]{3}", texts[1])
    ):
        name, alone_as_action = texts[1], False
    else:
        return None
    if len(name) > 200:
        return None
    cleaned = _HEADING_PREFIX.sub("", name, count=1).strip(" :.-\u2013")
    if alone_as_action and cleaned == name and _norm(name) not in _THEME_NAMES:
        return None
    return cleaned or name


_THEME_NAMES = {_norm(name) for name in DEFAULT_THEMES}


def _continues(draft: _Draft, cells: dict[str, object]) -> bool:
    """Add a row with no ref and no action to the action above (its notes carry on)."""
    if any(not _blank(cells.get(f)) for f in ("owner", "due_date", "brag", "theme")):
        return False
    added = False
    for fld in ("description", "progress", "success_measure", "evidence", "findings"):
        value = cells.get(fld)
        if _blank(value):
            continue
        before = draft.values.get(fld)
        draft.values[fld] = f"{before}\n{value}" if not _blank(before) else value
        added = True
    return added


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def _one_line(value: object, joiner: str = " ") -> str:
    return joiner.join(line.strip() for line in _text(value).splitlines() if line.strip())


def _finish(draft: _Draft) -> PlanRow | None:
    cells, problems = draft.values, draft.problems
    ref = _one_line(cells.get("ref"))
    if len(ref) > 40:
        problems.append(f"ref '{ref[:40]}...' is longer than 40 characters")
    raw_title = _text(cells.get("title"))
    if not raw_title:
        problems.append(f"has ref '{ref}' but no action text (the Action column is empty)")
    title, rest = _split_title(raw_title)
    description = "\n\n".join(p for p in (rest, _text(cells.get("description"))) if p)
    owner = _one_line(cells.get("owner"), ", ")
    if len(owner) > 200:
        problems.append("owner is longer than 200 characters")
    due, error = _read_due(cells.get("due_date"))
    if error:
        problems.append(error)
    brag, error = _read_brag(cells.get("brag"))
    if error:
        problems.append(error)
    progress = _text(cells.get("progress"))
    progress_date = None
    if not _blank(cells.get("update_date")):
        try:
            progress_date = parse_date(cells.get("update_date"), "updated")
        except ValidationError:
            problems.append(f"update date '{_text(cells.get('update_date'))}' is not a date")
    elif progress:
        progress_date = _latest_note_date(progress)
    theme = _one_line(cells.get("theme")) or str(cells.get("_theme") or "")
    if theme:
        theme = _HEADING_PREFIX.sub("", theme, count=1).strip(" :.-\u2013") or theme
    if problems:
        return None
    return PlanRow(
        row=draft.row,
        title=title,
        ref=ref,
        description=description,
        owner=owner,
        due_date=due,
        brag=brag,
        success_measure=_text(cells.get("success_measure")),
        theme=theme[:_TITLE_LIMIT],
        progress=progress,
        progress_date=progress_date,
        finding_refs=_finding_refs(cells.get("findings")),
        evidence=_evidence_items(cells.get("evidence")),
    )


def _split_title(text: str) -> tuple[str, str]:
    """A one-line title for a long action cell; the full text then becomes the description."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return "", ""
    whole = " ".join(lines)
    bulleted = any(line[0] in _BULLETS for line in lines[1:])
    if len(whole) <= _SHORT_TITLE and not bulleted:
        return whole, ""  # a short action wrapped over lines by hand
    first = lines[0].lstrip(_BULLETS + " ")
    if len(first) > _SHORT_TITLE:
        sentence = re.split(r"(?<=[.;:])\s", first, maxsplit=1)[0]
        first = sentence if len(sentence) <= _SHORT_TITLE else _cut(first, _SHORT_TITLE)
    return first.rstrip(" :;,"), "\n".join(lines)


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:") + "\u2026"


def _read_due(value: object) -> tuple[date | None, str]:
    """A deadline as plans write them; ``(None, "")`` for blank or "Ongoing"."""
    if isinstance(value, date):
        return parse_date(value), ""
    if isinstance(value, (int, float)):
        return None, f"due '{_text(value)}' is a number, not a date"
    text = " ".join(_text(value).split())
    low = _norm(text)
    if low in _NO_DATE or low.startswith("ongoing"):
        return None, ""
    for attempt in _date_spellings(text):
        try:
            return parse_date(attempt, "due"), ""
        except ValidationError:
            continue
    # "31/12/2017 revised to 31/03/2018": the last date given is the deadline now.
    inside = _DATE_IN_TEXT.findall(text.lower())
    for candidate in reversed(inside):
        for attempt in _date_spellings(candidate):
            try:
                return parse_date(attempt, "due"), ""
            except ValidationError:
                continue
    return None, (
        f"due '{_cut(text, 40)}' is not a date (write 31/01/2018, Jan 2018 or end of March 2018)"
    )


def _date_spellings(text: str) -> list[str]:
    low = " ".join(text.lower().replace(",", " ").split())
    out = [low]
    if match := _MONTH_DASH.match(low):  # "Mar-18", "Mar '18"
        out.append(f"{match.group(1)} {match.group(2)}")
    if match := _QUARTER.match(low):  # "Q4 2017/18" (financial year) or "Q1 2018"
        quarter, year = int(match.group(1)), int(match.group(2))
        if match.group(3):  # financial year: Q1 is April to June
            month = 3 * quarter + 3
            if month > 12:
                month, year = month - 12, year + 1
        else:
            month = 3 * quarter
        out.append(f"end of {date(2000, month, 1):%B} {year}")
    if low.startswith("by "):
        out.append(low[3:])
    return out


def _read_brag(value: object) -> tuple[str | None, str]:
    """Blue, green, amber or red from a word, letter, colour fill or pair ("Amber/Green")."""
    if isinstance(value, _Fill):
        colour = _colour_brag(str(value))
        if colour:
            return colour, ""
        return None, ""
    text = _norm(_text(value))
    if not text:
        return None, ""
    if text in _BRAG_WORDS:
        return _BRAG_WORDS[text], ""
    # "Amber/Green", "A/G", "Green - on track": a pair takes the worse; a word and a note the word.
    words = [w for w in re.split(r"[\s/]+", text) if w]
    # A lone letter counts only in a short cell ("A/G"), not as the "a" of a sentence.
    colours = [
        _BRAG_WORDS[w] for w in words[:2] if w in _BRAG_WORDS and (len(w) > 1 or len(words) <= 2)
    ]
    if colours:
        return max(colours, key=_BRAG_RANK.__getitem__), ""
    for phrase, brag in _BRAG_WORDS.items():
        if len(phrase) > 2 and text.startswith(phrase + " "):
            return brag, ""
    shown = _cut(" ".join(_text(value).split()), 30)
    return None, f"BRAG '{shown}' is not Blue, Green, Amber or Red (or complete, on track...)"


def _colour_brag(rgb: str) -> str | None:
    try:
        red, green, blue = (int(rgb[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return None
    if max(red, green, blue) - min(red, green, blue) < 60:
        return None  # grey or white: no status
    if red > 180 and green > 120 and blue < 120:
        return "amber"
    if red > 150 and green < 120 and blue < 120:
        return "red"
    if green > red and green >= blue:
        return "green"
    if blue > red and blue > green:
        return "blue"
    return None


def _latest_note_date(note: str) -> date | None:
    """The latest date a line of a progress note starts with ("12/01/18 - ...", "Dec 17: ...")."""
    found = []
    for line in note.splitlines():
        if match := _NOTE_DATE.match(line):
            for attempt in _date_spellings(match.group(1)):
                try:
                    found.append(parse_date(attempt))
                    break
                except ValidationError:
                    continue
    return max((d for d in found if d), default=None)


def _finding_refs(value: object) -> tuple[str, ...]:
    """The finding refs in a cell: "R1, R3", "Rec 2 and 4", "MV2-4; PA1", "1. Ensure that..."."""
    text = _text(value)
    if not text:
        return ()
    refs: list[str] = []
    prefix = ""
    for piece in re.split(r"[,;&\n]|\band\b", text):
        piece = piece.strip().strip(_BULLETS + " .")
        if not piece:
            continue
        match = _REF_TOKEN.match(piece)
        if match is None:
            # "R3: Ensure that..." or "3. Ensure that..." (the recommendation quoted in full)
            head = re.match(r"^([A-Za-z]{0,3}\s?\d+(?:[.\-]\d+)*)\s*[:.)\-\u2013]\s+\S", piece)
            match = _REF_TOKEN.match(head.group(1)) if head else None
        if match is None:
            continue
        word, ref = match.group(1), match.group(2).upper()
        if word:
            prefix = word.lower()
        elif prefix and ref.isdigit():  # "Rec 2 and 4": the 4 is a recommendation too
            word = prefix
        if word and ref.isdigit():
            ref = f"{'R' if word.lower().startswith('r') else word.upper().replace(' ', '')}{ref}"
            if word.lower().startswith(("area for", "afi")):
                ref = f"AFI{match.group(2)}"
            elif word.lower().startswith(("pa", "priority")):
                ref = f"PA{match.group(2)}"
        if ref not in refs:
            refs.append(ref)
    return tuple(refs)


def _evidence_items(value: object) -> tuple[str, ...]:
    text = _text(value)
    items = []
    for line in re.split(r"\n|;", text):
        line = line.strip().lstrip(_BULLETS + " ").strip()
        if line and _norm(line) not in ("n a", "na", "none", "tbc", "see above"):
            items.append(line)
    return tuple(dict.fromkeys(items))


# ----------------------------------------------------------------------------- importing


@dataclass
class PlannedAction:
    """What the import does with one row: ``status`` is "new", "update" or "unchanged"."""

    row: PlanRow
    status: str
    action_id: int | None = None
    changes: dict[str, object] = field(default_factory=dict)
    theme: str = ""  # the store's name of the theme it goes under
    updates: list[tuple[str, str | None, date]] = field(default_factory=list)
    finding_ids: list[int] = field(default_factory=list)
    evidence_ids: list[int] = field(default_factory=list)  # items already stored, to link
    new_evidence: list[str] = field(default_factory=list)  # texts to record and link
    ref: str = ""

    @property
    def label(self) -> str:
        return self.ref or self.row.ref or self.row.title


def import_plan(
    store: Store,
    path: str | Path,
    mapping: dict[str, str] | None = None,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> PlanResult:
    """Import a plan spreadsheet into the store, all or nothing (see the module docstring).

    ``dry_run`` reads the store but writes nothing, and reports every problem instead of
    refusing. Raises :class:`ImportFailed` (nothing stored) when the file cannot be read or
    any row has a problem.
    """
    preview = read_plan(path, mapping)
    result = PlanResult(path=Path(path), dry_run=dry_run, preview=preview)
    result.problems = list(preview.problems)
    _plan(store, preview, result)
    result.problems.sort()
    if result.problems and not dry_run:
        raise ImportFailed(_refusal(result))
    if not dry_run:
        _apply(store, result, progress)
    lists = {"new": result.created, "update": result.updated, "unchanged": result.unchanged}
    for planned in result.plan:
        lists[planned.status].append(planned.label)
    return result


def _refusal(result: PlanResult) -> str:
    problems = result.problems
    shown = "; ".join(f"row {p.row}: {p.reason}" for p in problems[:3])
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    rows = "1 row cannot" if len(problems) == 1 else f"{len(problems)} rows cannot"
    return (
        f"{result.path.name}: {rows} be read, so nothing was imported: {shown}{more}. "
        "Fix the sheet (--dry-run lists every row) and import it again."
    )


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def _ref_key(ref: str) -> str:
    return re.sub(r"[\s.]+$", "", ref.upper().replace(" ", ""))


def _evidence_title(text: str) -> str:
    return _cut(" ".join(text.split()), _SHORT_TITLE)


def _plan(store: Store, preview: PlanPreview, result: PlanResult) -> None:
    """Match every row to the store (reads only) and work out what the import will do."""
    actions = list_actions(store)
    by_ref = {a.ref.lower(): a for a in actions}
    by_title = {_key(a.title): a for a in actions}
    themes = _ThemeNames([t.name for t in list_themes(store)])
    sources = list_sources(store)
    findings = _FindingIndex(list_findings(store), sources, preview)
    result.findings_source = next((s.title for s in sources if s.id == findings.main_source), "")
    evidence_by_title: dict[str, list[int]] = {}
    evidence_loosely: dict[str, list[int]] = {}  # titles without dates and version marks
    for item in list_evidence(store):
        evidence_by_title.setdefault(_key(item.title), []).append(item.id)
        evidence_loosely.setdefault(_key(title_from_name(item.title)), []).append(item.id)
    new_evidence: set[str] = set()
    today = store.today
    for row in preview.actions:
        existing = by_ref.get(row.ref.lower()) if row.ref else by_title.get(_key(row.title))
        planned = PlannedAction(row=row, status="update" if existing else "new")
        when = row.progress_date or today
        if row.progress and when > today:
            result.problems.append(
                Problem(row.row, f"the progress note is dated {when:%d/%m/%Y}, after today")
            )
            continue
        if row.theme:
            planned.theme, added = themes.resolve(row.theme)
            if added:
                result.themes_created.append(planned.theme)
        for ref in row.finding_refs:
            finding_id, warning = findings.find(ref)
            if finding_id is None:
                result.warnings.append(Problem(row.row, warning))
            elif finding_id not in planned.finding_ids:
                planned.finding_ids.append(finding_id)
        linked_evidence: set[int] = set()
        if existing is None:
            planned.changes = _new_fields(row, planned.theme)
            if row.progress:
                planned.updates.append((row.progress, row.brag, when))
        else:
            planned.action_id = existing.id
            planned.ref = existing.ref
            planned.changes = _changed_fields(existing, row, planned.theme)
            planned.updates = _new_updates(store, existing, row, when, preview)
            planned.finding_ids = [
                f
                for f in planned.finding_ids
                if existing.id not in {a.id for a in list_actions(store, finding_id=f)}
            ]
            linked_evidence = {e.id for e in list_evidence(store, action_id=existing.id)}
        for text in row.evidence:
            key = _key(_evidence_title(text))
            ids = evidence_by_title.get(key, [])
            if not ids:
                # "MASH dip sample Dec 2017" is the "MASH dip sample" a folder scan found,
                # when there is only one such item.
                loose = evidence_loosely.get(_key(title_from_name(text)), [])
                ids = loose if len(loose) == 1 else []
            if any(i in linked_evidence for i in ids):
                continue
            if ids:
                planned.evidence_ids.append(ids[0])
            else:
                planned.new_evidence.append(text)
                new_evidence.add(key)
        if existing is not None and not (
            planned.changes
            or planned.updates
            or planned.finding_ids
            or planned.evidence_ids
            or planned.new_evidence
        ):
            planned.status = "unchanged"
        result.plan.append(planned)
        result.updates_added += len(planned.updates)
        result.links_added += len(planned.finding_ids)
        result.evidence_linked += len(planned.evidence_ids)
    result.evidence_created = len(new_evidence)


def _new_fields(row: PlanRow, theme: str) -> dict[str, object]:
    fields: dict[str, object] = {"title": row.title}
    for name in ("ref", "description", "owner", "due_date", "brag", "success_measure"):
        value = getattr(row, name)
        if value:
            fields[name] = value
    if theme:
        fields["theme"] = theme
    return fields


def _changed_fields(existing: Action, row: PlanRow, theme: str) -> dict[str, object]:
    """What the sheet says differently; a blank cell never erases what the store holds."""
    changes: dict[str, object] = {}
    for name in ("title", "description", "owner", "due_date", "success_measure"):
        value = getattr(row, name)
        if value and value != getattr(existing, name):
            changes[name] = value
    if theme and theme != existing.theme:
        changes["theme"] = theme
    return changes


def _new_updates(
    store: Store, existing: Action, row: PlanRow, when: date, preview: PlanPreview
) -> list[tuple[str, str | None, date]]:
    """Progress notes and BRAG changes not yet in the action's history."""
    history = list_action_updates(store, existing.id)
    updates: list[tuple[str, str | None, date]] = []
    brag_now = existing.brag
    if row.progress and not any(_key(u.note) == _key(row.progress) for u in history):
        updates.append((row.progress, row.brag, when))
        latest = max((u.on_date for u in history), default=None)
        if row.brag and (latest is None or when >= latest):
            brag_now = row.brag
    if row.brag and row.brag != brag_now:
        note = f"BRAG set to {row.brag.title()} by the plan spreadsheet {preview.path.name}."
        updates.append((note, row.brag, store.today))
    return updates


class _ThemeNames:
    """The store's themes, matched the forgiving way a heading row names them."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = list(names)
        self.new: list[str] = []

    @staticmethod
    def _loose(name: str) -> str:
        return _norm(name.replace("/", " and "))

    def resolve(self, wanted: str) -> tuple[str, bool]:
        """The theme's name in the store, and whether the import has to add it."""
        loose = self._loose(wanted)
        for name in [*self.names, *self.new]:
            if self._loose(name) == loose:
                return name, False
        starts = [n for n in self.names if self._loose(n).startswith(loose + " ")]
        if len(starts) == 1:
            return starts[0], False
        name = " ".join(wanted.split())[:_TITLE_LIMIT]
        self.new.append(name)
        return name, True


class _FindingIndex:
    """Finding refs as the plan writes them, matched to findings in the store.

    Refs repeat across sources (every report has an R1), so a ref is looked up first in
    the source the plan answers: among the sources of the council the plan's title rows or
    file name mention (if any), the one holding most of the plan's refs (then the latest).
    Without such a clue, only a source holding clearly more of the refs than any other.
    """

    def __init__(
        self, findings: list[Finding], sources: list[Source], preview: PlanPreview
    ) -> None:
        self.by_ref: dict[str, list[Finding]] = {}
        for finding in findings:
            if finding.ref:
                self.by_ref.setdefault(_ref_key(finding.ref), []).append(finding)
        votes: dict[int, int] = {}
        for row in preview.actions:
            for ref in row.finding_refs:
                for source_id in {f.source_id for f in self._candidates(ref)}:
                    if source_id is not None:
                        votes[source_id] = votes.get(source_id, 0) + 1
        words = f" {_norm(preview.preamble)} "
        named = {
            s.id for s in sources if s.local_authority and f" {_norm(s.local_authority)} " in words
        }
        starts = {s.id: s.start_date or date.min for s in sources}
        self.main_source: int | None = None
        if named:
            self.main_source = max(named, key=lambda s: (votes.get(s, 0), starts[s]))
        elif votes:
            ranked = sorted(votes.values(), reverse=True)
            if len(ranked) == 1 or ranked[0] > ranked[1]:
                self.main_source = max(votes, key=votes.__getitem__)

    def _candidates(self, ref: str) -> list[Finding]:
        key = _ref_key(ref)
        found = list(self.by_ref.get(key, []))
        if not found and key.startswith("R") and key[1:].isdigit():
            found = list(self.by_ref.get(key[1:], []))  # the plan says R3, the report 3
        elif not found and key.isdigit():
            found = list(self.by_ref.get("R" + key, []))
        return found

    def find(self, ref: str) -> tuple[int | None, str]:
        """The finding a ref names, or ``None`` and why not."""
        found = self._candidates(ref)
        if not found:
            return None, f"no finding {ref} in the store, so the action is not linked to it"
        if len(found) > 1:
            found = [f for f in found if f.source_id == self.main_source] or found
        if len(found) > 1:
            sources = ", ".join(sorted({f.source_title or "no source" for f in found})[:3])
            return None, f"finding {ref} is in more than one source ({sources}); link it by hand"
        return found[0].id, ""


def _apply(store: Store, result: PlanResult, progress: Progress | None) -> None:
    """Write the planned import in one transaction; any error undoes all of it."""
    total = len(result.plan)
    created_evidence: dict[str, int] = {}
    with store.batch():
        for name in result.themes_created:
            create_theme(store, name)
        for done, planned in enumerate(result.plan, 1):
            try:
                _apply_one(store, planned, created_evidence)
            except StoreError as error:
                raise ImportFailed(
                    f"{result.path.name}: row {planned.row.row}: {error.message} "
                    "Nothing was imported."
                ) from None
            if progress:
                progress(done, total, planned.label)


def _apply_one(store: Store, planned: PlannedAction, created_evidence: dict[str, int]) -> None:
    if planned.status == "unchanged":
        return
    if planned.status == "new":
        fields = dict(planned.changes)
        title = str(fields.pop("title"))
        action = create_action(store, title=title, finding_ids=planned.finding_ids, **fields)
        planned.action_id, planned.ref = action.id, action.ref
    else:
        assert planned.action_id is not None
        if planned.changes:
            update_action(store, planned.action_id, **planned.changes)
        for finding_id in planned.finding_ids:
            link(store, "finding", finding_id, "action", planned.action_id)
    action_id = planned.action_id
    for note, brag, when in planned.updates:
        add_action_update(store, action_id, note=note, brag=brag, on_date=when)
    for evidence_id in planned.evidence_ids:
        link(store, "action", action_id, "evidence", evidence_id)
    for text in planned.new_evidence:
        title = _evidence_title(text)
        key = _key(title)
        if key in created_evidence:  # named by an earlier row of this plan
            link(store, "action", action_id, "evidence", created_evidence[key])
            continue
        item = create_evidence(
            store,
            title=title,
            kind=guess_kind(text),
            location=location_in(text),
            impact=text if title != " ".join(text.split()) else "",
            action_ids=[action_id],
        )
        created_evidence[key] = item.id
