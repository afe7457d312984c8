"""`visitprep import PLAN.xlsx`: an improvement plan, all or nothing, or what it would do
(``--dry-run``): the table of actions, how each row was read, the summary, or JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from store.database import Store
from store.dates import format_date
from store.errors import ImportFailed
from store.importers.plan import PlanResult, import_plan
from store.importers.plan_columns import FIELD_LABELS
from store.importers.plan_explain import (
    columns_read,
    heading_lines,
    link_lines,
    note_lines,
    theme_lines,
)
from store.wording import Option, plural
from tui.commands._importing_output import (
    EXIT_OK,
    EXIT_REFUSED,
    make_console,
    print_newer_edits,
    progress_bar,
    refuse,
    safe,
)
from tui.commands._words import FLAGS, in_cli_words

_BRAG_STYLE = {"blue": "blue", "green": "green", "amber": "yellow", "red": "red"}


def plan(
    store: Store, path: Path, mapping: dict[str, str], args: argparse.Namespace, output: list[Any]
) -> int:
    try:
        with progress_bar("Importing plan") as progress:
            result = import_plan(
                store,
                path,
                mapping,
                dry_run=args.dry_run,
                plan_wins=getattr(args, "plan_wins", False),
                progress=progress,
            )
    except ImportFailed as error:
        return refuse_plan(path, error, args, output)
    overwrites = bool(result.conflicts) and not result.plan_wins
    refused = bool(result.problems) or overwrites
    if args.json:
        output.append(_plan_json(result))
    else:
        _print_plan(make_console(), result)
    if result.problems:
        count = len(result.problems)
        refuse(
            path,
            f"{plural(count, 'row')} cannot be read; the import would be refused.",
        )
    if overwrites:
        edits = plural(len(result.conflicts), "newer edit")
        refuse(path, f"it would overwrite {edits}; the import would be refused (--plan-wins).")
    if refused:
        return EXIT_REFUSED
    return EXIT_OK


def refuse_plan(
    path: Path, error: ImportFailed, args: argparse.Namespace, output: list[Any]
) -> int:
    if args.json:
        output.append(
            {"file": str(path), "kind": "plan", "status": "refused", "message": in_cli_words(error)}
        )
    # A refusal over newer edits says one line per edit: each its own line, indented.
    first, *more = in_cli_words(error).split("\n")
    refuse(path, first)
    for line in more:
        sys.stderr.write(f"  {safe(line)}\n")
    return EXIT_REFUSED


def _plan_json(result: PlanResult) -> dict[str, Any]:
    preview = result.preview
    return {
        "file": str(result.path),
        "kind": "plan",
        "status": ("dry run" if result.dry_run else "imported")
        if not result.problems and (result.plan_wins or not result.conflicts)
        else "refused",
        "sheet": preview.sheet,
        "header_row": preview.header_row,
        "columns": preview.columns,
        "ignored_columns": preview.ignored_columns,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "progress_updates": result.updates_added,
        "finding_links": result.links_added,
        "evidence_created": result.evidence_created,
        "evidence_linked": result.evidence_linked,
        "themes_created": result.themes_created,
        "findings_source": result.findings_source,
        "actions": [
            {
                "row": p.row.row,
                "ref": p.label,
                "title": p.row.title,
                "owner": p.row.owner,
                "due_date": p.row.due_date.isoformat() if p.row.due_date else None,
                "brag": p.row.brag,
                "theme": p.theme,
                "findings": list(p.row.finding_refs),
                "links": [{"finding": k.ref, "why": k.why} for k in p.links],
                "notes": note_lines(p),
                "status": p.status,
            }
            for p in result.plan
        ],
        "headings": [{"row": r, "said": said} for r, said in heading_lines(result)],
        "problems": [{"row": p.row, "reason": p.reason} for p in result.problems],
        "newer_edits": [{"row": c.row, "reason": c.reason} for c in result.conflicts],
        "warnings": [{"row": w.row, "reason": w.reason} for w in result.warnings],
    }


def _what_happens(status: str, changes: dict[str, object], updates: int) -> str:
    if status == "new":
        return "new"
    if status == "unchanged":
        return "unchanged"
    parts = [FIELD_LABELS.get(k, k).lower() for k in changes]
    if updates:
        parts.append("progress")
    return "update: " + ", ".join(parts) if parts else "update: links"


def _print_plan(console: Console, result: PlanResult) -> None:
    preview = result.preview
    name = safe(result.path.name)
    if result.dry_run:
        table = Table(expand=True, title=Text(f"{name}: what the import would do"))
        for column, kw in (
            ("Row", {"no_wrap": True, "justify": "right"}),
            ("Ref", {"no_wrap": True}),
            ("Action", {"ratio": 3}),
            ("Owner", {"ratio": 1}),
            ("Due", {"no_wrap": True}),
            ("BRAG", {"no_wrap": True}),
            ("Theme", {"ratio": 1}),
            ("Links", {}),
            ("Import", {}),
        ):
            table.add_column(column, **kw)
        for planned in result.plan:
            row = planned.row
            brag = Text(row.brag.title(), style=_BRAG_STYLE[row.brag]) if row.brag else Text("")
            table.add_row(
                str(row.row),
                Text(safe(row.ref)),
                Text(safe(row.title)),
                Text(safe(row.owner)),
                format_date(row.due_date),
                brag,
                Text(safe(planned.theme)),
                Text(safe(", ".join(link.ref for link in planned.links))),
                _what_happens(planned.status, planned.changes, len(planned.updates)),
            )
        console.print(table)
        console.print(
            Text(
                f"Sheet '{safe(preview.sheet)}', header on row "
                f"{preview.header_row}. Columns read: {safe(columns_read(result))}."
            )
        )
        for number, said in heading_lines(result):
            console.print(Text(f"Row {number}: {safe(said)}."))
        for said in theme_lines(result):
            console.print(Text(f"{safe(said[:1].upper() + said[1:])}."))
        _print_how_read(console, result)
        if preview.ignored_columns:
            ignored = ", ".join(f"'{safe(h)}'" for h in preview.ignored_columns)
            console.print(Text(f"Columns not imported: {ignored}."), style="dim")
    console.print(_summary(result))
    if result.findings_source:
        console.print(
            Text(f"Finding refs are those of '{safe(result.findings_source)}'."), style="dim"
        )
    if result.warnings:
        console.print(Text("Warnings (the import goes ahead):", style="bold yellow"))
        for warning in result.warnings:
            console.print(Text(f"  row {warning.row}: {safe(warning.reason)}"))
    if result.problems:
        console.print(
            Text("Rows that cannot be read (the import would be refused):", style="bold red")
        )
        for problem in result.problems:
            console.print(Text(f"  row {problem.row}: {safe(problem.reason)}"))
    print_newer_edits(
        console,
        result.conflicts,
        sheet="plan",
        flag=FLAGS[Option.PLAN_WINS],
        wins=result.plan_wins,
    )
    if result.dry_run:
        console.print(Text("Dry run: nothing was changed."), style="dim")


def _print_how_read(console: Console, result: PlanResult) -> None:
    """Each action's links and why, and how its cells were read when not plain."""
    lines = [(p, link_lines(p) + note_lines(p)) for p in result.plan]
    if not any(said for _, said in lines):
        return
    console.print(Text("How each action was read (links and why):", style="bold"))
    for planned, said in lines:
        if said:
            console.print(Text(f"  row {planned.row.row}, {safe(planned.label)}:"))
            for line in said:
                console.print(Text(f"    {safe(line)}"))


def _summary(result: PlanResult) -> Text:
    verb = "would import" if result.dry_run else "imported"
    total = len(result.plan)
    parts = [
        f"{len(result.created)} new",
        f"{len(result.updated)} updated",
        f"{len(result.unchanged)} unchanged",
    ]
    extras = [
        plural(result.updates_added, "progress update"),
        plural(result.links_added, "link to a finding", "links to findings"),
        plural(result.evidence_created, "evidence item recorded", "evidence items recorded"),
    ]
    if result.evidence_linked:
        extras.append(
            plural(result.evidence_linked, "evidence item linked", "evidence items linked")
        )
    if result.themes_created:
        names = ", ".join(f"'{safe(t)}'" for t in result.themes_created)
        extras.append(f"{plural(len(result.themes_created), 'theme')} added ({names})")
    text = (
        f"{safe(result.path.name)}: {verb} {plural(total, 'action')} "
        f"({', '.join(parts)}); {', '.join(extras)}."
    )
    return Text(text, style="bold")
