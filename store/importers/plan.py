"""Import a council's improvement plan from the spreadsheet it already keeps (CSV or XLSX).

Reading (:func:`read_plan`) needs no store. It finds the header row (title rows above it
are skipped; the first visible sheet with one is read), maps columns by their usual names
(``Lead officer``, ``By when``, ``RAG``...) or by ``mapping``, and reads:

* heading rows: a row holding only a theme name ("Theme 2: Children in care", in bold, or
  a theme's own name) files the actions below it under that theme;
* continuation rows: notes under an action with no ref and no action text, or under an
  action whose cells are merged over several rows, carry on that action;
* every cell: UK dates, BRAG words, letters or the cell's colour, finding refs, lengths.

Every row it cannot read becomes a :class:`Problem` with the row number Excel shows.

Importing (:func:`import_plan`) is all or nothing. If any row cannot be read nothing is
stored and :class:`ImportFailed` names the first problem rows. Otherwise, in one batch:

* an action whose ref is already in the store is updated, not duplicated (a plan without a
  ref column is matched on the action's title instead); blank cells never erase what the
  store holds, and links are only ever added;
* a progress note becomes a dated update with the row's BRAG (dated by an "Updated" column,
  else by the latest date the note starts a line with, else today), unless the same note is
  already in the action's history; a BRAG change without a note is recorded as an update too;
* finding refs (``R3``, ``Rec 3``, ``MV2-4``) link the action to those findings, read as
  the refs of the inspection the plan answers (see :class:`_FindingIndex`). A ref with no
  finding in the store does not stop the import: the action is kept unlinked and the ref
  is reported as a warning, so a plan can be imported before the report it answers
  (re-import it afterwards to add the links);
* each line of an Evidence cell links an evidence item of that title (or the one a folder
  scan found under the same title without its date), recorded if new; a hyperlink behind
  the cell becomes its location;
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
from store.importers.plan_cells import (
    SHORT_TITLE,
    TITLE_LIMIT,
    Fill,
    blank,
    cell_text,
    cut,
    evidence_items,
    finding_refs,
    latest_note_date,
    one_line,
    read_brag,
    read_due,
    split_title,
)
from store.importers.plan_columns import (
    clean_mapping,
    map_columns,
    norm,
)
from store.importers.spreadsheet import Sheet, read_sheets
from store.links import link
from store.records import Action, Finding, Source
from store.sources import list_sources
from store.team import note_history
from store.themes import create_theme, list_themes
from store.vocab import DEFAULT_THEMES

Progress = Callable[[int, int, str], None]

_HEADER_SEARCH_ROWS = 30
_HEADING_PREFIX = re.compile(
    r"^\s*(?:(?:theme|priority|section|area|workstream|strand|part)\s*\d*[a-z]?\s*[:.\-\u2013]?\s*"
    r"|\d+(?:\.\d+)?\s*[:.)\-\u2013]\s*)",
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


def _find_header(
    sheets: list[Sheet], mapping: dict[str, str]
) -> tuple[Sheet, int, dict[str, int], list[str]] | None:
    """The first sheet's best header row among its first rows: the one naming most fields.

    A header must name the action column; with a mapping it must hold every mapped header.
    """
    for sheet in sheets:
        best = None
        for number, values in sheet.rows[:_HEADER_SEARCH_ROWS]:
            names = {norm(v) for v in values}
            if any(norm(header) not in names for header in mapping.values()):
                continue
            columns, ignored = map_columns(values, mapping)
            if "title" not in columns:
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
    fields = clean_mapping(mapping)
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
        if "brag" in columns and blank(cells["brag"]):
            colour = sheet.fills.get((number, columns["brag"]))
            if colour:
                cells["brag"] = Fill(colour)
        if "evidence" in columns and not blank(cells["evidence"]):
            cells["_evidence_link"] = sheet.links.get((number, columns["evidence"]), "")
        filled = [v for v in values if not blank(v)]
        if not drafts and _second_header_row(cells, filled):
            continue
        heading = _heading(cells, filled, number in sheet.bold_rows)
        if heading is not None:
            theme = heading
            preview.headings += 1
            continue
        if blank(cells.get("title")) and blank(cells.get("ref")):
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
        drafts.append(_Draft(number, {**cells, "_theme": theme}, []))
    seen_refs: dict[str, int] = {}
    for draft in drafts:
        ref = one_line(draft.values.get("ref")).lower()
        if ref and ref in seen_refs:
            preview.problems.append(
                Problem(
                    draft.row,
                    f"ref '{one_line(draft.values.get('ref'))}' is also used "
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


def _second_header_row(cells: dict[str, object], filled: list[object]) -> bool:
    """A row of short labels under a header merged over several columns ("Lead | Support",
    "Dec 17 | Jan 18") before any action: part of the header, not a row without an action."""
    return (
        blank(cells.get("title"))
        and blank(cells.get("ref"))
        and len(filled) >= 2
        and all(isinstance(v, str) and len(v) <= 30 and "\n" not in v for v in filled)
    )


def _heading(cells: dict[str, object], filled: list[object], bold: bool) -> str | None:
    """The theme named by a heading row (one text cell, or a section number and a name).

    Text in the Action column with nothing else could be an action not yet filled in; it is
    a heading only if it reads like one: a "Theme 2:" or "Priority 3 -" prefix, a section
    number with a word ("Theme 1"), bold type across the row, or a theme's own name.
    """
    if any(not blank(cells.get(f)) for f in cells if f not in ("ref", "title", "theme")):
        return None
    texts = [str(v).strip() for v in filled]
    number = ""
    if len(texts) == 1 and re.search(r"[A-Za-z]{3}", texts[0]) and "\n" not in texts[0]:
        name = texts[0]
    elif (
        len(texts) == 2 and _SECTION_NUMBER.match(texts[0]) and re.search(r"[A-Za-z]{3}", texts[1])
    ):
        number, name = texts
    else:
        return None
    if len(name) > 200:
        return None
    cleaned = _HEADING_PREFIX.sub("", name, count=1).strip(" :.-\u2013")
    in_action_column = str(cells.get("title", "")).strip() == name
    reads_as_heading = (
        bold
        or cleaned != name
        or re.search(r"[A-Za-z]", number) is not None
        or norm(name) in _THEME_NAMES
    )
    if in_action_column and not reads_as_heading:
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


def _finish(draft: _Draft) -> PlanRow | None:
    cells, problems = draft.values, draft.problems
    ref = one_line(cells.get("ref"))
    if len(ref) > 40:
        problems.append(f"ref '{ref[:40]}...' is longer than 40 characters")
    raw_title = cell_text(cells.get("title"))
    if not raw_title:
        problems.append(f"has ref '{ref}' but no action text (the Action column is empty)")
    title, rest = split_title(raw_title)
    description = "\n\n".join(p for p in (rest, cell_text(cells.get("description"))) if p)
    owner = one_line(cells.get("owner"), ", ")
    if len(owner) > 200:
        problems.append("owner is longer than 200 characters")
    due, error = read_due(cells.get("due_date"))
    if error:
        problems.append(error)
    brag, error = read_brag(cells.get("brag"))
    if error:
        problems.append(error)
    progress = cell_text(cells.get("progress"))
    progress_date = None
    if not blank(cells.get("update_date")):
        try:
            progress_date = parse_date(cells.get("update_date"), "updated")
        except ValidationError:
            problems.append(f"update date '{cell_text(cells.get('update_date'))}' is not a date")
    elif progress:
        progress_date = latest_note_date(progress)
    theme = one_line(cells.get("theme")) or str(cells.get("_theme") or "")
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
        success_measure=cell_text(cells.get("success_measure")),
        theme=theme[:TITLE_LIMIT],
        progress=progress,
        progress_date=progress_date,
        finding_refs=finding_refs(cells.get("findings")),
        evidence=evidence_items(cells.get("evidence")),
        evidence_link=str(cells.get("_evidence_link") or ""),
    )


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
    return cut(" ".join(text.split()), SHORT_TITLE)


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
        return norm(name.replace("/", " and "))

    def resolve(self, wanted: str) -> tuple[str, bool]:
        """The theme's name in the store, and whether the import has to add it."""
        loose = self._loose(wanted)
        for name in [*self.names, *self.new]:
            if self._loose(name) == loose:
                return name, False
        starts = [n for n in self.names if self._loose(n).startswith(loose + " ")]
        if len(starts) == 1:
            return starts[0], False
        name = " ".join(wanted.split())[:TITLE_LIMIT]
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
        words = f" {norm(preview.preamble)} "
        named = {
            s.id for s in sources if s.local_authority and f" {norm(s.local_authority)} " in words
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
        # One history entry names the file; the records it makes have their own.
        note_history(store, "import", "action", detail=f"improvement plan {result.path.name}")
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


def _link_for(row: PlanRow) -> str:
    """A hyperlink on the Evidence cell belongs to its one item (with several, to none)."""
    return row.evidence_link if len(row.evidence) == 1 else ""


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
        kind = guess_kind(text)
        item = create_evidence(
            store,
            title=title,
            kind=kind,
            location=location_in(text) or _link_for(planned.row),
            impact=text if title != " ".join(text.split()) else "",
            personal_data=kind == "case sample",  # as a folder scan marks it
            action_ids=[action_id],
        )
        created_evidence[key] = item.id
