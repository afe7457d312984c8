"""Import a council's improvement plan from the spreadsheet it already keeps (CSV or XLSX).

Reading (:func:`read_plan`, in ``plan_rows``) needs no store: header row, columns, heading
rows, continuation rows, cells. Every row it cannot read becomes a :class:`Problem`.

Importing (:func:`import_plan`) is all or nothing. If any row cannot be read nothing is
stored and :class:`ImportFailed` names the first problem rows. Otherwise, in one batch:

* an action whose ref is already in the store is updated, not duplicated (a plan without a
  ref column is matched on the action's title instead); blank cells never erase what the
  store holds, and links are only ever added;
* a progress note becomes an update with the row's BRAG, dated by an "Updated" column, else
  by the date the note starts with, else by a period in the column's header; a note none
  of them dates is kept as "date not given" (never the day of the import), and the dry run
  says so on its row. A cell of several dated notes ("Jan 26 update: ..." over "Dec 25:
  ...") is an update a note, each on its own date (``plan_notes``). A note already in the
  action's history is not added again; a BRAG change without a note is an update too,
  dated the day of the import (the day the sheet was seen to say it);
* finding refs (``R3``, ``Rec 3``, ``Recs 4 & 7``, ``MV2-4``) and quoted recommendations
  link the action to those findings, read as those of the inspection the plan answers (see
  ``plan_links.FindingIndex``); each link carries why, for the dry run. A ref with no
  finding in the store does not stop the import: the action is kept unlinked and the ref
  is reported as a warning, so a plan can be imported before the report it answers
  (re-import it afterwards to add the links);
* each line of an Evidence cell links an evidence item of that title (or the one a folder
  scan found under the same title without its date), recorded if new; a hyperlink behind
  the cell, or a link on the line after a title, becomes its location;
* a theme name that is not in the store's list is mapped to the nearest seeded theme when
  that is clear, or added.

The dry run warns, row by row, about what the lead should check: refs not found, deadlines
given in words ("TBC"), due dates in the past (of actions not complete) or more than two
years ahead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from store.actions import (
    add_action_update,
    create_action,
    list_action_updates,
    list_actions,
    update_action,
)
from store.database import Store
from store.dates import format_date
from store.errors import ImportFailed, StaleRecord, StoreError
from store.evidence import create_evidence, list_evidence
from store.findings import list_findings
from store.history_queries import removed_links
from store.importers.evidence_folder import (
    date_in_name,
    file_date,
    guess_kind,
    title_from_name,
)
from store.importers.newer_edits import refusal
from store.importers.plan_cells import SHORT_TITLE, cut, evidence_parts
from store.importers.plan_conflicts import PLAN, conflicts, hand_edits
from store.importers.plan_links import FindingIndex, PlannedLink, ThemeNames
from store.importers.plan_notes import CellNote, cell_notes, new_notes
from store.importers.plan_rows import PlanPreview, PlanRow, Problem, clean_theme, read_plan
from store.links import link
from store.records import Action
from store.sources import list_sources
from store.team import note_history
from store.themes import create_theme, list_themes
from store.validation import due_date_warning
from store.vocab import BRAG_NOT_GIVEN
from store.wording import Option, Phrase, phrase

if TYPE_CHECKING:
    from store.records import ActionUpdate

__all__ = [
    "PlanPreview",
    "PlanResult",
    "PlanRow",
    "PlannedAction",
    "PlannedLink",
    "Problem",
    "import_plan",
    "read_plan",
]

Progress = Callable[[int, int, str], None]


@dataclass
class PlannedAction:
    """What the import does with one row: ``status`` is "new", "update" or "unchanged"."""

    row: PlanRow
    status: str
    action_id: int | None = None
    version: int | None = None  # the action's version as the plan was read
    changes: dict[str, object] = field(default_factory=dict)
    theme: str = ""  # the store's name of the theme it goes under
    # (note, BRAG, date): the date None when the sheet does not give it ("date not given"),
    # the BRAG None for the action's own (a blank BRAG cell) and BRAG_NOT_GIVEN for an
    # older note of a progress cell (the row's one BRAG cell is its newest note's).
    updates: list[tuple[str, str | None, date | None]] = field(default_factory=list)
    finding_ids: list[int] = field(default_factory=list)
    evidence_ids: list[int] = field(default_factory=list)  # items already stored, to link
    new_evidence: list[str] = field(default_factory=list)  # texts to record and link
    ref: str = ""
    links: list[PlannedLink] = field(default_factory=list)  # every finding link, with why
    theme_rule: str = ""  # "nearest seeded theme", "new theme" or ""
    # Links the sheet asks for that a person removed by hand: said, and not made again.
    not_relinked: list[str] = field(default_factory=list)
    notes: list[CellNote] = field(default_factory=list)  # the progress notes it adds
    notes_held: int = 0  # the cell's notes the action's history already holds

    @property
    def label(self) -> str:
        return self.ref or self.row.ref or self.row.title


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
    # Fields the plan would change that someone edited by hand since the plan last wrote
    # them (store.importers.plan_conflicts): the import is refused unless the plan wins.
    conflicts: list[Problem] = field(default_factory=list)
    plan_wins: bool = False
    # Per action row: "new", "update" or "unchanged", with what changes.
    plan: list[PlannedAction] = field(default_factory=list)
    # Each heading row: (row, as written, the theme it files the rows below under, how).
    headings: list[tuple[int, str, str, str]] = field(default_factory=list)


def import_plan(
    store: Store,
    path: str | Path,
    mapping: dict[str, str] | None = None,
    *,
    dry_run: bool = False,
    plan_wins: bool = False,
    progress: Progress | None = None,
) -> PlanResult:
    """Import a plan spreadsheet into the store, all or nothing (see the module docstring).

    ``dry_run`` reads the store but writes nothing, and reports every problem instead of
    refusing. Raises :class:`ImportFailed` (nothing stored) when the file cannot be read or
    any row has a problem, or when it would overwrite a field someone edited by hand since
    the plan last wrote it (``result.conflicts``), unless ``plan_wins``.
    """
    preview = read_plan(path, mapping)
    result = PlanResult(path=Path(path), dry_run=dry_run, preview=preview, plan_wins=plan_wins)
    result.problems = list(preview.problems)
    _plan(store, preview, result)
    result.problems.sort()
    if result.problems and not dry_run:
        raise ImportFailed(_refusal(result))
    if result.conflicts and not plan_wins and not dry_run:
        raise ImportFailed(conflict_refusal(result))
    if not dry_run:
        _apply(store, result, progress)
    lists = {"new": result.created, "update": result.updated, "unchanged": result.unchanged}
    for planned in result.plan:
        lists[planned.status].append(planned.label)
    return result


def _refusal(result: PlanResult) -> Phrase:
    problems = result.problems
    shown = "; ".join(f"row {p.row}: {p.reason}" for p in problems[:3])
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    rows = "1 row cannot" if len(problems) == 1 else f"{len(problems)} rows cannot"
    return phrase(
        f"{result.path.name}: {rows} be read, so nothing was imported: {shown}{more}. "
        "Fix the sheet (", Option.DRY_RUN, " lists every row) and import it again."
    )  # fmt: skip


def conflict_refusal(result: PlanResult) -> Phrase:
    """The refusal of a plan that would overwrite newer edits: one line per field."""
    lines = [f"row {c.row}: {c.reason}" for c in result.conflicts]
    return refusal(PLAN, result.path.name, lines)


_NEAR_TITLE = 90  # fuzz.ratio of two titles that are one edited into the other


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def _evidence_title(item: str) -> str:
    text, _ = evidence_parts(item)
    return cut(" ".join(text.split()), SHORT_TITLE)


def _plan(store: Store, preview: PlanPreview, result: PlanResult) -> None:
    """Match every row to the store (reads only) and work out what the import will do."""
    actions = list_actions(store)
    by_ref = {a.ref.lower(): a for a in actions}
    by_title: dict[str, list[Action]] = {}
    for action in actions:
        by_title.setdefault(_key(action.title), []).append(action)
    themes = ThemeNames([t.name for t in list_themes(store)])
    sources = list_sources(store)
    findings = FindingIndex(list_findings(store), sources, preview)
    removed = {(r.record_id, r.other_id): r for r in removed_links(store, "finding", "action")}
    result.findings_source = next((s.title for s in sources if s.id == findings.main_source), "")
    used = {row.theme for row in preview.actions}
    for number, written, name in preview.heading_rows:
        if name not in used and clean_theme(name) not in used:
            result.headings.append((number, written, name, "no actions"))
            continue
        theme, rule = themes.resolve(name)
        if rule == "new theme":
            result.themes_created.append(theme)
        result.headings.append((number, written, theme, rule))
    evidence_by_title: dict[str, list[int]] = {}
    evidence_loosely: dict[str, list[int]] = {}  # titles without dates and version marks
    for item in list_evidence(store):
        evidence_by_title.setdefault(_key(item.title), []).append(item.id)
        evidence_loosely.setdefault(_key(title_from_name(item.title)), []).append(item.id)
    new_evidence: set[str] = set()
    plan_titles = {_key(row.title) for row in preview.actions}
    today = store.today
    matched: list[tuple[PlannedAction, Action]] = []  # existing actions the plan changes
    for row in preview.actions:
        same_title = [] if row.ref else by_title.get(_key(row.title), [])
        if len(same_title) > 1:  # which one the row means is a guess: refused
            refs = ", ".join(a.ref or f"#{a.id}" for a in same_title[:3])
            result.problems.append(
                Problem(
                    row.row,
                    f"{len(same_title)} actions in the store are called '{cut(row.title, 60)}' "
                    f"({refs}) and the row has no ref: give it the ref of the one it is",
                )
            )
            continue
        existing = by_ref.get(row.ref.lower()) if row.ref else next(iter(same_title), None)
        planned = PlannedAction(row=row, status="update" if existing else "new")
        if existing is None and not row.ref:
            # Found again by its title only: a title edited in the sheet makes a new action
            # beside the old one, which the lead should know before importing.
            near = process.extractOne(
                _key(row.title),
                {a.id: _key(a.title) for a in actions if _key(a.title) not in plan_titles},
                scorer=fuzz.ratio,
                score_cutoff=_NEAR_TITLE,
            )
            if near is not None:
                old = next(a for a in actions if a.id == near[2])
                result.warnings.append(
                    Problem(
                        row.row,
                        f"a new action, but {old.ref or 'an action'} '{cut(old.title, 60)}' is "
                        "nearly the same: if its title was edited in the sheet, both will be "
                        "kept (give the rows refs so an edited title is matched)",
                    )
                )
        notes = cell_notes(row, today)  # oldest first, each with its date (None: not given)
        future = [n.on_date for n in notes if n.on_date and n.on_date > today]
        if future:
            said = f"the progress note is dated {max(future):%d/%m/%Y}, after today"
            result.problems.append(Problem(row.row, said))
            continue
        result.warnings.extend(Problem(row.row, w) for w in _row_warnings(row, today))
        if row.theme:
            planned.theme, planned.theme_rule = themes.resolve(row.theme)
            if planned.theme_rule == "new theme":
                result.themes_created.append(planned.theme)
        planned.links, warnings = findings.links(row)
        result.warnings.extend(Problem(row.row, w) for w in warnings)
        planned.finding_ids = [link.finding_id for link in planned.links]
        linked_evidence: set[int] = set()
        if existing is None:
            planned.changes = _new_fields(row, planned.theme)
            planned.notes = notes
            planned.updates = _note_updates(notes, notes, row.brag)
        else:
            planned.action_id = existing.id
            planned.ref = existing.ref
            planned.version = existing.version
            planned.changes = _changed_fields(existing, row, planned.theme)
            if planned.changes:
                matched.append((planned, existing))
            history = list_action_updates(store, existing.id)
            planned.notes, edited = new_notes(history, notes)
            planned.notes_held = len(notes) - len(planned.notes) - len(edited)
            result.warnings.extend(Problem(row.row, w) for w in edited)
            planned.updates = _new_updates(
                store, existing, row, (planned.notes, notes), history, preview
            )
            planned.finding_ids = [
                f
                for f in planned.finding_ids
                if existing.id not in {a.id for a in list_actions(store, finding_id=f)}
            ]
            # A link the lead removed by hand stays removed: the plan does not put it back.
            for planned_link in list(planned.links):
                gone = removed.get((planned_link.finding_id, existing.id))
                if gone is None:
                    continue
                planned.links.remove(planned_link)
                if planned_link.finding_id in planned.finding_ids:
                    planned.finding_ids.remove(planned_link.finding_id)
                said = (
                    f"{planned_link.ref or gone.label} on {existing.ref or existing.title}: "
                    f"removed by {gone.who or 'someone'} on {format_date(gone.at.date())}; "
                    "not re-linked"
                )
                planned.not_relinked.append(said)
                result.warnings.append(Problem(row.row, said))
            linked_evidence = {e.id for e in list_evidence(store, action_id=existing.id)}
        for text in row.evidence:
            key = _key(_evidence_title(text))
            ids = evidence_by_title.get(key, [])
            if not ids:
                # "MASH dip sample Dec 2017" is the "MASH dip sample" a folder scan found,
                # when there is only one such item.
                loose = evidence_loosely.get(_key(title_from_name(_evidence_title(text))), [])
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
    result.warnings.sort()
    edits = hand_edits(store, (existing.id for _, existing in matched))
    for planned, existing in matched:
        overwrites = conflicts(existing, planned.changes, edits.get(existing.id, {}))
        result.conflicts.extend(Problem(planned.row.row, s) for s in overwrites)


def _row_warnings(row: PlanRow, today: date) -> list[str]:
    """What the lead should check on a row that is imported all the same."""
    warnings = list(row.warnings)
    if row.brag != "blue":  # a completed action may well have been due in the past
        warning = due_date_warning(row.due_date, today)
        if warning:
            warnings.append(f"due {warning[:1].lower()}{warning[1:]}")
    return warnings


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


def _note_updates(
    adding: list[CellNote], cell: list[CellNote], brag: str | None
) -> list[tuple[str, str | None, date | None]]:
    """(note, BRAG, date) for each note ``adding`` of a progress ``cell``, oldest first.

    The sheet has one BRAG cell a row: it is the cell's newest note's, as the lead last
    rated it. An older note is kept with its BRAG not given, never with today's (a
    December note of an action now Blue must not read Blue in December)."""
    newest = cell[-1] if cell else None
    return [(n.text, brag if n is newest else BRAG_NOT_GIVEN, n.on_date) for n in adding]


def _new_updates(
    store: Store,
    existing: Action,
    row: PlanRow,
    notes: tuple[list[CellNote], list[CellNote]],
    history: list[ActionUpdate],
    preview: PlanPreview,
) -> list[tuple[str, str | None, date | None]]:
    """The progress notes not yet in the action's ``history`` (``notes``: those, and every
    note of the cell), oldest first, and a BRAG change no note carries (a note's date
    None: not given)."""
    adding, cell = notes
    updates = _note_updates(adding, cell, row.brag)
    brag_now = existing.brag
    # The action takes the newest note's BRAG if it is added and its latest update: an
    # undated note is latest only while no update is dated (store.actions.UPDATE_ORDER).
    # An older note's BRAG is not given: it never sets the action's.
    latest = max((u.on_date for u in history if u.on_date), default=None)
    rated = [n for n in adding if n is cell[-1]]
    if row.brag and rated and (latest is None or _on_or_after(rated[0], latest)):
        brag_now = row.brag
    if row.brag and row.brag != brag_now:
        note = f"BRAG set to {row.brag.title()} by the plan spreadsheet {preview.path.name}."
        updates.append((note, row.brag, store.today))
    return updates


def _on_or_after(note: CellNote, latest: date) -> bool:
    return note.on_date is not None and note.on_date >= latest


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
            except StaleRecord as error:
                # Edited by someone between reading the plan and writing it: not overwritten.
                raise ImportFailed(
                    f"{result.path.name}: row {planned.row.row}: action {planned.label} was "
                    f"changed by {error.who or 'someone'} while the plan was being imported, "
                    "so nothing was imported. Import it again to see what it would overwrite."
                ) from None
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
        if planned.changes:  # refused if someone changed it since the plan was read
            update_action(
                store, planned.action_id, expected_version=planned.version, **planned.changes
            )
        for finding_id in planned.finding_ids:
            link(store, "finding", finding_id, "action", planned.action_id)
    action_id = planned.action_id
    for note, brag, when in planned.updates:
        given = brag != BRAG_NOT_GIVEN
        add_action_update(
            store, action_id, note=note, brag=brag if given else None, on_date=when,
            undated=not when, brag_not_given=not given,
        )  # fmt: skip
    for evidence_id in planned.evidence_ids:
        link(store, "action", action_id, "evidence", evidence_id)
    for text in planned.new_evidence:
        title = _evidence_title(text)
        key = _key(title)
        if key in created_evidence:  # named by an earlier row of this plan
            link(store, "action", action_id, "evidence", created_evidence[key])
            continue
        words, location = evidence_parts(text)
        kind = guess_kind(words)
        # "LSCB minutes Jan 2018", or its file's name or modified date: as of then, not today.
        dated = date_in_name(words) or file_date(location)
        item = create_evidence(
            store,
            title=title,
            kind=kind,
            as_of=min(dated, store.today) if dated else None,
            location=location or _link_for(planned.row),
            impact=words if title != " ".join(words.split()) else "",
            personal_data=kind == "case sample",  # as a folder scan marks it
            action_ids=[action_id],
        )
        created_evidence[key] = item.id
