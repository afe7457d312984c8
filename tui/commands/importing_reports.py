"""`visitprep import REPORT.pdf ...`: Ofsted reports (files or folders of them), each whole
or refused; whose each is and what was kept; or, with ``--dry-run``, what each would do."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from store.database import Store
from store.dates import format_date
from store.errors import ImportFailed
from store.wording import plural
from tui.commands._importing_output import (
    EXIT_OK,
    EXIT_REFUSED,
    make_console,
    progress_bar,
    refuse,
    safe,
)
from tui.commands._words import in_cli_words


def reports(store: Store, paths: list[Path], args: argparse.Namespace, output: list[Any]) -> int:
    # The report importer is its own module; load it only when reports are imported.
    from store.importers import reports as importer

    if args.dry_run:
        return _reports_dry_run(importer, store, paths, args, output)
    with progress_bar("Importing reports") as progress:
        outcomes = importer.import_reports(
            store, paths, update=args.update, ours=getattr(args, "ours", None), progress=progress
        )
    refused = [outcome for outcome in outcomes if outcome.status == "refused"]
    status = EXIT_REFUSED if refused else EXIT_OK
    if not outcomes:
        raise ImportFailed(
            f"{', '.join(str(p) for p in paths)}: no .pdf or .txt report files found there."
        )
    if args.json:
        for outcome in refused:
            refuse(outcome.path, in_cli_words(outcome.said))
        output.extend(
            {
                "file": str(o.path),
                "kind": "report",
                "status": o.status,
                "source_id": o.source_id,
                "findings": o.findings,
                "message": in_cli_words(o.said),
                "local_authority": o.local_authority,
                "ours": o.ours,
                "whose": in_cli_words(o.stored_as),
            }
            for o in outcomes
        )
        return status
    console = make_console()
    table = Table(expand=True)
    table.add_column("File", ratio=1)
    table.add_column("Result", no_wrap=True)
    table.add_column("Findings", justify="right", no_wrap=True)
    table.add_column("Detail", ratio=2)
    for outcome in outcomes:
        # The File column names it already; the message names it for use on its own. Whose
        # report it is gets a line of its own below.
        detail = in_cli_words(outcome.said).removeprefix(f"{outcome.path.name}: ")
        if outcome.stored_as:
            detail = detail.replace(f" {in_cli_words(outcome.stored_as)}.", ".", 1)
        table.add_row(
            Text(safe(outcome.path.name)),
            outcome.status,
            str(outcome.findings),
            Text(safe(detail)),
        )
    console.print(table)
    stored = [outcome for outcome in outcomes if outcome.stored_as]
    if len(stored) <= 3:
        for outcome in stored:
            council = outcome.local_authority or outcome.path.name
            style = "bold" if outcome.ours is False else ""
            whose = in_cli_words(outcome.stored_as)
            console.print(Text(f"{safe(council)}: imported {whose}.", style=style))
    else:  # a folder: one line for each way they were stored, not one per report
        for ours in (True, False):
            alike = [outcome for outcome in stored if bool(outcome.ours) is ours]
            if alike:
                councils = sorted({o.local_authority for o in alike if o.local_authority})
                named = ", ".join(councils[:3]) + (", ..." if len(councils) > 3 else "")
                console.print(
                    Text(
                        f"{plural(len(alike), 'report')} ({safe(named)}): imported "
                        f"{in_cli_words(alike[0].stored_as)}.",
                        style="" if ours else "bold",
                    )
                )
    console.print(Text(_reports_summary(outcomes), style="bold"))
    for outcome in refused:  # one line each, under the summary
        refuse(outcome.path, in_cli_words(outcome.said))
    return status


def _reports_summary(outcomes: list[Any]) -> str:
    """'45 reports: 40 new, 2 unchanged, 1 updated, 2 refused.' (and any not replaced)."""
    counts = {status: 0 for status in ("imported", "unchanged", "updated", "refused", "changed")}
    for outcome in outcomes:
        counts[outcome.status] += 1
    summary = (
        f"{plural(len(outcomes), 'report')}: {counts['imported']} new, "
        f"{counts['unchanged']} unchanged, {counts['updated']} updated, "
        f"{counts['refused']} refused"
    )
    if counts["changed"]:
        summary += (
            f", {counts['changed']} not replaced (another file of a stored inspection: "
            "--update replaces it)"
        )
    return summary + "."


def _reports_dry_run(
    importer: Any, store: Store, paths: list[Path], args: argparse.Namespace, output: list[Any]
) -> int:
    if not importer.expand_paths(paths):
        raise ImportFailed(
            f"{', '.join(str(p) for p in paths)}: no .pdf or .txt report files found there."
        )
    status = EXIT_OK
    console = None if args.json else make_console()
    chosen = getattr(args, "ours", None)
    with progress_bar("Reading reports") as progress:
        previews = importer.preview_reports(
            store, paths, ours=chosen, progress=progress, read_known=True
        )
    for preview in previews:
        if preview.status == "refused":
            refuse(preview.path, preview.message)
            status = EXIT_REFUSED
            output.append(
                {
                    "file": str(preview.path),
                    "kind": "report",
                    "status": "refused",
                    "message": preview.message,
                }
            )
            continue
        report = preview.report
        whose = (
            in_cli_words(importer.whose(preview.ours, hint=chosen is None))
            if preview.ours is not None
            else ""
        )
        doing = _would(
            preview, args.update, in_cli_words(importer.whose(bool(preview.ours), hint=False))
        )
        output.append({**_report_json(report), "ours": preview.ours, "whose": whose,
                       "would": doing})  # fmt: skip
        if console is not None:
            _print_report(console, report, whose, doing)
    if console is not None:
        console.print(Text("Dry run: nothing was changed."), style="dim")
    return status


def _would(preview: Any, update: bool, stored_as: str) -> str:
    """What the import would do with a previewed report, in the command line's words."""
    count = plural(len(preview.report.findings), "finding")
    if preview.status == "unchanged":
        title = preview.stored.title if preview.stored else "earlier in this import"
        return f"already imported as '{title}': nothing to do"
    if preview.status == "changed":
        what = f"'{preview.stored.title}'" if preview.stored else preview.message
        if update and preview.stored:
            return f"would replace {what} with {count}"
        return f"{what} is stored from a different file: --update replaces it"
    return f"would import {count} {stored_as}"


def _report_json(report: Any) -> dict[str, Any]:
    def iso(value: date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "file": str(report.path),
        "kind": "report",
        "status": "dry run",
        "local_authority": report.local_authority,
        "framework": report.framework,
        "start_date": iso(report.start_date),
        "end_date": iso(report.end_date),
        "judgements": [list(j) for j in report.judgements],
        "council_code": report.council_code,
        "findings": [
            {
                "ref": f.ref,
                "kind": f.kind,
                "title": f.title,
                "role": f.role,
                "detail_of": f.detail_of,
                "theme": f.theme,
                "theme_confidence": f.theme_confidence,
                "theme_to_confirm": f.theme_to_confirm,
            }
            for f in report.findings
        ],
    }


def _print_report(console: Console, report: Any, whose: str, doing: str) -> None:
    dates = format_date(report.start_date)
    if report.end_date and report.end_date != report.start_date:
        dates += f" to {format_date(report.end_date)}"
    console.print(
        Text(
            f"{safe(report.path.name)}: {safe(report.local_authority)}, "
            f"{safe(report.framework)}, {dates}",
            style="bold",
        )
    )
    for area, grade in report.judgements:
        console.print(Text(f"  {safe(area)}: {safe(grade)}"))
    table = Table(expand=True, show_header=True)
    table.add_column("Ref", no_wrap=True)
    table.add_column("Kind", no_wrap=True)
    table.add_column("Finding", ratio=1)
    table.add_column("Theme suggested", ratio=1)
    for finding in report.findings:
        theme = Text(safe(finding.theme or "none: choose one"))
        if finding.theme_to_confirm:  # a low-confidence suggestion: the lead confirms it
            theme.append(" (confirm)", style="bold yellow")
        table.add_row(
            Text(safe(finding.ref)), Text(safe(finding.kind)), Text(safe(finding.title)), theme
        )
    console.print(table)
    console.print(Text(f"  {safe(doing)}"), style="dim")
    if whose and doing.startswith("would import") and "(use --" in whose:
        console.print(Text(f"  {safe(whose[whose.index('(use --') :])}"), style="dim")
