"""What the import screen says about an improvement plan: the dry run and the import summary."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from store.dates import format_date
from store.importers.plan_explain import (
    columns_read,
    heading_lines,
    link_lines,
    note_lines,
    theme_lines,
)
from tui.presenters.import_common import (
    MAX_LINES,
    PLAN_WINS_LABEL,
    Line,
    ProgressCallback,
    Shown,
    capped,
    importer,
    plural,
    styled,
)


def _action_line(
    planned: Any, target: tuple[str, int] | None = None, *, explain: bool = False
) -> Line:
    row = planned.row
    mark, style, word = {
        "new": ("+ ", "green", "new      "),
        "update": ("~ ", "yellow", "update   "),
    }.get(planned.status, ("= ", "dim", "unchanged"))
    parts: list[tuple[object, str] | str] = [(mark, style), (word, style), " "]
    ref = planned.ref or row.ref
    if ref:
        parts += [(ref, "bold"), "  "]
    parts.append(row.title)
    extra = [
        x
        for x in (
            row.owner,
            f"due {format_date(row.due_date)}" if row.due_date else "",
            (row.brag or "").capitalize(),
        )
        if x
    ]
    if extra:
        parts.append((" · " + " · ".join(extra), "dim"))
    if planned.status == "update" and planned.changes:
        parts.append((f"  (changes {', '.join(sorted(planned.changes))})", "yellow"))
    text = styled(*parts)
    if explain:
        # The links it will make and why, and how its cells were read: the lead's check.
        for said in link_lines(planned):
            style = "dim italic" if said.startswith("no link") else "cyan"
            text.append("\n             ")
            text.append_text(styled(("→ " + said, style)))
        for said in note_lines(planned):
            text.append("\n             ")
            text.append_text(styled((said, "dim")))
    return Line(text, target)


def _problem_lines(problems: Iterable[Any], mark: str, style: str) -> list[Line]:
    return [
        Line(styled((mark, f"bold {style}"), (f"Row {p.row}: ", "bold"), (p.reason, style)))
        for p in problems
    ]


def preview_plan(
    store: Any, path: Path, columns: tuple[tuple[str, str], ...], *, plan_wins: bool = False
) -> Shown:
    """What importing a plan spreadsheet would do (a dry run: the store is only read);
    ``plan_wins``: its values go over fields edited by hand since it was last imported."""
    plan = importer("plan")
    result = plan.import_plan(store, path, dict(columns) or None, dry_run=True)
    preview = result.preview
    lines = _problem_lines(result.problems, "✖ ", "red")
    lines += _problem_lines(result.conflicts, *(("⚠ ", "yellow") if plan_wins else ("✖ ", "red")))
    lines += _problem_lines(result.warnings, "⚠ ", "yellow")
    lines.append(Line(styled(("Columns read: ", "bold"), (columns_read(result), "dim"))))
    if preview.ignored_columns:
        ignored = ", ".join(f"'{h}'" for h in preview.ignored_columns)
        lines.append(Line(styled(("Columns not imported: ", "bold"), (ignored, "dim"))))
    for number, said in heading_lines(result):
        lines.append(Line(styled(("# ", "bold magenta"), (f"Row {number}: ", "bold"), said)))
    for said in theme_lines(result):
        lines.append(Line(styled(("# ", "bold magenta"), said)))
    for name in result.themes_created:
        lines.append(Line(styled(("+ new theme ", "green"), (name, "bold"))))
    lines += [_action_line(p, explain=True) for p in result.plan[:MAX_LINES]]
    capped(lines, len(lines) + len(result.plan) - min(len(result.plan), MAX_LINES), "actions")
    counts = {s: sum(1 for p in result.plan if p.status == s) for s in ("new", "update")}
    sheet = "" if path.suffix.lower() == ".csv" else f", sheet '{preview.sheet}'"
    status = styled(
        (f"{path.name}{sheet}", "bold"),
        f", header row {preview.header_row}: ",
        f"{plural(counts['new'], 'new action')}, {counts['update']} to update",
        f", {plural(len(result.warnings), 'warning')}" if result.warnings else "",
        f"; finding refs are read as those of '{result.findings_source}'"
        if result.findings_source
        else "",
        ".",
    )
    shown = Shown(path, "plan", plan_wins, "preview", status, lines, columns=columns)
    edits = plural(len(result.conflicts), "newer edit")
    if result.conflicts and plan_wins:
        shown.status.append(f" It will overwrite {edits} (listed first).", style="bold yellow")
    if result.problems:
        rows = plural(len(result.problems), "row cannot", "rows cannot")
        shown.status.append(f" {rows} be read (listed first in red).", style="bold red")
        shown.can_import = False
        shown.reason = (
            f"{rows} be read, so nothing can be imported: fix them in the sheet and preview again."
        )
    elif result.conflicts and not plan_wins:
        shown.status.append(f" It would overwrite {edits} (listed first in red).", style="bold red")
        shown.can_import = False
        shown.reason = (
            f"It would overwrite {edits} made since the plan was last imported, so nothing "
            f"can be imported: bring the sheet up to date, or tick '{PLAN_WINS_LABEL}'."
        )
    elif not counts["new"] and not counts["update"]:
        shown.can_import, shown.reason = False, "Every action in this plan is already stored."
    return shown


def import_plan(
    store: Any,
    path: Path,
    columns: tuple[tuple[str, str], ...],
    progress: ProgressCallback,
    *,
    plan_wins: bool = False,
) -> Shown:
    """Import a plan spreadsheet, all or nothing."""
    plan = importer("plan")
    result = plan.import_plan(
        store, path, dict(columns) or None, progress=progress, plan_wins=plan_wins
    )
    lines = _problem_lines(result.warnings, "⚠ ", "yellow")
    done = [p for p in result.plan if p.status != "unchanged"]
    for planned in done[:MAX_LINES]:
        target = ("action", planned.action_id) if planned.action_id else None
        lines.append(_action_line(planned, target))
    capped(lines, len(lines) + len(done) - min(len(done), MAX_LINES), "actions")
    status = styled(
        (f"Imported {path.name}", "bold"),
        f": {plural(len(result.created), 'new action')}, {len(result.updated)} updated, "
        f"{len(result.unchanged)} unchanged; {plural(result.updates_added, 'progress update')}, "
        f"{plural(result.links_added, 'link')}, "
        f"{plural(result.evidence_created, 'evidence item')} recorded.",
        " enter opens an action." if done else "",
    )
    return Shown(path, "plan", False, "imported", status, lines, False, columns=columns)
