"""`visitprep import`: Ofsted reports, an improvement-plan spreadsheet, or an evidence folder.

* ``--evidence FOLDER`` scans a folder of evidence documents;
* a ``.csv``/``.xlsx`` path imports an improvement plan, all or nothing;
* anything else (``.pdf``/``.txt`` reports, or folders of them) imports Ofsted reports.

Each file that cannot be imported gets one line ``visitprep: <file>: <why>`` on stderr and
the exit code is 1; the others are imported. ``--dry-run`` reads everything and writes
nothing. A progress bar shows on stderr (only when it is a terminal) for anything long.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text
from sqlalchemy.engine import make_url

from store import open_store
from store.database import Store, resolve_url
from store.dates import format_date
from store.errors import ImportFailed, ValidationError
from store.importers.evidence_folder import ScanResult, scan_evidence_folder
from store.importers.plan import PlanResult, import_plan, read_plan
from store.importers.plan_columns import FIELD_LABELS
from store.importers.plan_explain import (
    columns_read,
    heading_lines,
    link_lines,
    note_lines,
    theme_lines,
)
from store.importers.scorecard import looks_like_scorecard
from store.importers.spreadsheet import SPREADSHEET_SUFFIXES
from tui.commands._output import write_utf8
from tui.commands._words import in_cli_words
from tui.commands.scorecard import import_scorecard_file
from tui.terminal import cell

EXIT_OK, EXIT_REFUSED = 0, 1
PIPE_WIDTH = 120
_MAX_NEW_SHOWN = 100
_PLAN_LIKE = (*SPREADSHEET_SUFFIXES, ".xls", ".ods", ".numbers")
_REPORT_SUFFIXES = (".pdf", ".txt")
_BRAG_STYLE = {"blue": "blue", "green": "green", "amber": "yellow", "red": "red"}

_safe = cell  # user text cannot drive the terminal


def _console() -> Console:
    if isinstance(sys.stdout, io.TextIOWrapper):
        # A terminal that cannot show a character gets "?" rather than a traceback.
        sys.stdout.reconfigure(errors="replace")
    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else PIPE_WIDTH
    return Console(markup=False, highlight=False, emoji=False, width=width)


def _refuse(path: Path | str, message: str) -> None:
    """One line on stderr for a file that was not imported."""
    name = Path(path).name or str(path)
    text = message if message.startswith((name, str(path))) else f"{name}: {message}"
    sys.stderr.write(f"visitprep: {_safe(text)}\n")


@contextlib.contextmanager
def _progress(what: str) -> Iterator[Callable[[int, int, str], None] | None]:
    """A progress bar on stderr when it is a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    console = Console(stderr=True, markup=False, highlight=False)
    columns = (
        TextColumn(what),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[label]}", markup=False),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(what, total=None, label="")

        def update(done: int, total: int, label: str) -> None:
            bar.update(task, completed=done, total=total, label=_safe(label)[:60])

        yield update


def _write_json(data: object) -> None:
    write_utf8(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def _parse_map(pairs: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        field, sep, header = pair.partition("=")
        if not sep or not field.strip() or not header.strip():
            raise ValidationError(
                "map", f"--map '{pair}' should be FIELD=HEADER, e.g. --map owner='Lead officer'."
            )
        mapping[field.strip()] = header.strip()
    return mapping


def run(args: argparse.Namespace) -> int:
    """Import what the arguments name; 0 when everything was imported, 1 when anything was refused."""
    paths = [Path(p) for p in args.paths]
    if args.evidence and paths:
        raise ValidationError(
            "paths", "Give either --evidence FOLDER or files to import, not both at once."
        )
    if not args.evidence and not paths:
        raise ValidationError(
            "paths",
            "Nothing to import: give report files (.pdf/.txt) or folders, a plan (.csv/.xlsx), "
            "or --evidence FOLDER.",
        )
    plans = [p for p in paths if p.suffix.lower() in _PLAN_LIKE]
    reports = [p for p in paths if p not in plans]
    # A spreadsheet of measures down and periods across is a performance scorecard.
    scorecards = [p for p in plans if getattr(args, "measures", False) or looks_like_scorecard(p)]
    plans = [p for p in plans if p not in scorecards]
    if args.map and not plans:
        raise ValidationError("map", "--map is for importing a plan spreadsheet (.csv or .xlsx).")
    ours = getattr(args, "ours", None)
    if ours is not None and (args.evidence or not reports):
        flag = "--ours" if ours else "--other"
        raise ValidationError("ours", f"{flag} is for importing Ofsted reports (.pdf or .txt).")
    mapping = _parse_map(args.map)
    for path in reports:
        # Neither a plan nor a report: say so before anything is opened or written.
        if path.suffix and path.suffix.lower() not in _REPORT_SUFFIXES and not path.is_dir():
            raise ImportFailed(
                f"{path.name}: is neither an Ofsted report (.pdf or .txt) nor an improvement "
                "plan (.csv or .xlsx), so nothing was imported."
            )
    if args.evidence:
        folder = Path(args.evidence)
        if not folder.is_dir():  # before the store is opened (or created)
            what = "is a file, not a folder" if folder.exists() else "there is no such folder"
            raise ImportFailed(f"{args.evidence}: {what}.")
    status = EXIT_OK
    output: list[Any] = []
    # A plan that cannot be read is refused before the store is opened (or created).
    readable = []
    for plan in plans:
        try:
            read_plan(plan, mapping)
            readable.append(plan)
        except ImportFailed as error:
            status = _refuse_plan(plan, error, args, output)
    if not (args.evidence or readable or reports or scorecards):
        if args.json:
            _write_json(output[0] if len(output) == 1 else output)
        return status
    store = _open(args)
    try:
        if args.evidence:
            return _scan(store, Path(args.evidence), args)
        # Reports first, so a plan's finding refs can link to findings imported with it.
        if reports:
            status = max(status, _reports(store, reports, args, output))
        for plan in readable:
            status = max(status, _plan(store, plan, mapping, args, output))
        for card in scorecards:
            status = max(status, import_scorecard_file(store, card, args, output, _console()))
        if args.json:
            _write_json(output[0] if len(output) == 1 else output)
        return status
    finally:
        store.close()


def _open(args: argparse.Namespace) -> Store:
    """The store to import into; a dry run with no store yet reads an empty one in memory
    rather than creating the file."""
    if args.dry_run:
        url = make_url(resolve_url(args.db))
        database = url.database or ""
        is_file = url.get_backend_name() == "sqlite" and database not in ("", ":memory:")
        if is_file and not database.startswith("file:") and not Path(database).exists():
            return open_store("sqlite://")
    return open_store(args.db)


# ----------------------------------------------------------------------------- plans


def _plan(
    store: Store, path: Path, mapping: dict[str, str], args: argparse.Namespace, output: list[Any]
) -> int:
    try:
        with _progress("Importing plan") as progress:
            result = import_plan(store, path, mapping, dry_run=args.dry_run, progress=progress)
    except ImportFailed as error:
        return _refuse_plan(path, error, args, output)
    refused = bool(result.problems)
    if args.json:
        output.append(_plan_json(result))
    else:
        _print_plan(_console(), result)
    if refused:
        count = len(result.problems)
        _refuse(
            path,
            f"{count} row{'s' if count != 1 else ''} cannot be read; the import would be refused.",
        )
        return EXIT_REFUSED
    return EXIT_OK


def _refuse_plan(
    path: Path, error: ImportFailed, args: argparse.Namespace, output: list[Any]
) -> int:
    if args.json:
        output.append(
            {"file": str(path), "kind": "plan", "status": "refused", "message": in_cli_words(error)}
        )
    _refuse(path, in_cli_words(error))
    return EXIT_REFUSED


def _plan_json(result: PlanResult) -> dict[str, Any]:
    preview = result.preview
    return {
        "file": str(result.path),
        "kind": "plan",
        "status": ("dry run" if result.dry_run else "imported")
        if not result.problems
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
    name = _safe(result.path.name)
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
                Text(_safe(row.ref)),
                Text(_safe(row.title)),
                Text(_safe(row.owner)),
                format_date(row.due_date),
                brag,
                Text(_safe(planned.theme)),
                Text(_safe(", ".join(link.ref for link in planned.links))),
                _what_happens(planned.status, planned.changes, len(planned.updates)),
            )
        console.print(table)
        console.print(
            Text(
                f"Sheet '{_safe(preview.sheet)}', header on row "
                f"{preview.header_row}. Columns read: {_safe(columns_read(result))}."
            )
        )
        for number, said in heading_lines(result):
            console.print(Text(f"Row {number}: {_safe(said)}."))
        for said in theme_lines(result):
            console.print(Text(f"{_safe(said[:1].upper() + said[1:])}."))
        _print_how_read(console, result)
        if preview.ignored_columns:
            ignored = ", ".join(f"'{_safe(h)}'" for h in preview.ignored_columns)
            console.print(Text(f"Columns not imported: {ignored}."), style="dim")
    console.print(_summary(result))
    if result.findings_source:
        console.print(
            Text(f"Finding refs are those of '{_safe(result.findings_source)}'."), style="dim"
        )
    if result.warnings:
        console.print(Text("Warnings (the import goes ahead):", style="bold yellow"))
        for warning in result.warnings:
            console.print(Text(f"  row {warning.row}: {_safe(warning.reason)}"))
    if result.problems:
        console.print(
            Text("Rows that cannot be read (the import would be refused):", style="bold red")
        )
        for problem in result.problems:
            console.print(Text(f"  row {problem.row}: {_safe(problem.reason)}"))
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
            console.print(Text(f"  row {planned.row.row}, {_safe(planned.label)}:"))
            for line in said:
                console.print(Text(f"    {_safe(line)}"))


def _count(number: int, word: str, plural: str | None = None) -> str:
    return f"{number} {word if number == 1 else plural or word + 's'}"


def _summary(result: PlanResult) -> Text:
    verb = "would import" if result.dry_run else "imported"
    total = len(result.plan)
    parts = [
        f"{len(result.created)} new",
        f"{len(result.updated)} updated",
        f"{len(result.unchanged)} unchanged",
    ]
    extras = [
        _count(result.updates_added, "progress update"),
        _count(result.links_added, "link to a finding", "links to findings"),
        _count(result.evidence_created, "evidence item recorded", "evidence items recorded"),
    ]
    if result.evidence_linked:
        extras.append(
            _count(result.evidence_linked, "evidence item linked", "evidence items linked")
        )
    if result.themes_created:
        names = ", ".join(f"'{_safe(t)}'" for t in result.themes_created)
        extras.append(f"{_count(len(result.themes_created), 'theme')} added ({names})")
    text = (
        f"{_safe(result.path.name)}: {verb} {_count(total, 'action')} "
        f"({', '.join(parts)}); {', '.join(extras)}."
    )
    return Text(text, style="bold")


# ----------------------------------------------------------------------------- evidence


def _scan(store: Store, folder: Path, args: argparse.Namespace) -> int:
    with _progress("Scanning evidence") as progress:
        result = scan_evidence_folder(store, folder, dry_run=args.dry_run, progress=progress)
    for path, why in result.skipped:
        # Named from the folder scanned, as the lead sees it on the shared drive.
        sys.stderr.write(f"visitprep: {_safe(os.path.relpath(path, result.folder))}: {why}\n")
    if args.json:
        _write_json(_scan_json(result))
    else:
        _print_scan(_console(), result)
    return EXIT_REFUSED if result.skipped else EXIT_OK


def _scan_json(result: ScanResult) -> dict[str, Any]:
    def item(evidence: Any) -> dict[str, Any]:
        return {"id": evidence.id, "title": evidence.title, "location": evidence.location}

    return {
        "folder": str(result.folder),
        "dry_run": result.dry_run,
        "new": [
            {
                "title": f.title,
                "kind": f.kind,
                "as_of": f.as_of.isoformat() if f.as_of else None,
                "location": f.path,
                "personal_data": f.personal_data,
                "personal_data_guess": f.personal_guess,
            }
            for f in result.new
        ],
        "known": result.known,
        "refreshed": [item(e) for e in result.refreshed],
        "missing": [item(e) for e in result.missing],
        "still_missing": [item(e) for e in result.still_missing],
        "returned": [item(e) for e in result.returned],
        "moved": [
            {
                "id": m.item.id,
                "title": m.item.title,
                "from": m.item.location,
                "to": m.path,
                "as_of": m.as_of.isoformat() if m.as_of else None,
            }
            for m in result.moved
        ],
        "not_paired": [
            {"gone": [item(e) for e in n.gone], "new": list(n.found), "reason": n.reason}
            for n in result.not_paired
        ],
        "skipped": [{"path": p, "reason": r} for p, r in result.skipped],
    }


def _print_scan(console: Console, result: ScanResult) -> None:
    def in_folder(path: str) -> str:
        return _safe(os.path.relpath(path, result.folder))

    verb = "would record" if result.dry_run else "recorded"
    if result.moved:
        kept = "would be kept" if result.dry_run else "kept"
        console.print(
            Text(f"Moved or renamed since the last scan (links and ticks {kept}):", style="bold")
        )
        for move in result.moved:
            later = f"; as of {format_date(move.as_of)}" if move.as_of else ""
            console.print(
                Text(
                    f"  {_safe(move.item.title)}  ({in_folder(move.item.location)} -> "
                    f"{in_folder(move.path)}{later})"
                )
            )
    if result.new:
        table = Table(expand=True, title=Text(f"New evidence ({verb})"))
        table.add_column("Title", ratio=2)
        table.add_column("Kind", no_wrap=True)
        table.add_column("As of", no_wrap=True)
        table.add_column("File", ratio=2)
        # A first scan of a big shared drive finds thousands: the dry run lists every one.
        shown = result.new if result.dry_run else result.new[:_MAX_NEW_SHOWN]
        for found in shown:
            relative = os.path.relpath(found.path, result.folder)
            table.add_row(
                Text(_safe(found.title)),
                found.kind,
                format_date(found.as_of),
                Text(_safe(relative)),
            )
        console.print(table)
        if len(shown) < len(result.new):
            more = len(result.new) - len(shown)
            console.print(Text(f"... and {more} more (--json lists every one)."), style="dim")
        guessed = [f for f in result.new if f.personal_guess]
        if guessed:
            # The guess is shown, never made silently: the lead checks it.
            console.print(
                Text(
                    f"Marked as holding personal data ({len(guessed)}), guessed from their "
                    "names: check them (the app's import preview lets you clear a mark with x; "
                    "or clear it on the item afterwards):",
                    style="bold magenta",
                )
            )
            for found in guessed:
                relative = os.path.relpath(found.path, result.folder)
                console.print(Text(f"  {_safe(relative)}: {_safe(found.personal_guess)}"))
    if result.missing:
        console.print(
            Text("Gone since the last scan (now shown as missing evidence):", style="bold red")
        )
        for evidence in result.missing:
            console.print(Text(f"  {_safe(evidence.title)}  ({_safe(evidence.location)})"))
    if result.still_missing:
        console.print(Text("Still missing:", style="bold yellow"))
        for evidence in result.still_missing:
            since = format_date(evidence.missing_since)
            console.print(
                Text(
                    f"  {_safe(evidence.title)}  (missing since {since}: "
                    f"{_safe(evidence.location)})"
                )
            )
    if result.returned:
        console.print(Text("Back again (no longer missing):", style="bold green"))
        for evidence in result.returned:
            console.print(Text(f"  {_safe(evidence.title)}  ({_safe(evidence.location)})"))
    if result.not_paired:
        console.print(
            Text(
                "Maybe moved, but not paired (more than one file could be it), "
                "so shown as gone and new:",
                style="bold yellow",
            )
        )
        for unsure in result.not_paired:
            gone = ", ".join(f"{_safe(e.title)} ({in_folder(e.location)})" for e in unsure.gone)
            console.print(Text(f"  {gone}: {_safe(unsure.reason)}"))
            for number, path in enumerate(unsure.found):
                console.print(Text(f"    {'or' if number else 'could be'} {in_folder(path)}"))
    parts = [f"{len(result.new)} new", f"{result.known} already known"]
    for count, what in (
        (len(result.moved), "moved"),
        (len(result.not_paired), "not paired (maybe moved)"),
        (len(result.refreshed), "saved again since the last scan"),
        (len(result.missing), "gone since the last scan"),
        (len(result.still_missing), "still missing"),
        (len(result.returned), "back again"),
        (len(result.skipped), "could not be read"),
    ):
        if count:
            parts.append(f"{count} {what}")
    verb = "Dry run of" if result.dry_run else "Scanned"
    console.print(Text(f"{verb} {_safe(result.folder)}: {', '.join(parts)}.", style="bold"))
    if result.dry_run:
        console.print(Text("Dry run: nothing was changed."), style="dim")


# ----------------------------------------------------------------------------- reports


def _reports(store: Store, paths: list[Path], args: argparse.Namespace, output: list[Any]) -> int:
    # The report importer is its own module; load it only when reports are imported.
    from store.importers import reports as importer

    if args.dry_run:
        return _reports_dry_run(importer, store, paths, args, output)
    with _progress("Importing reports") as progress:
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
            _refuse(outcome.path, in_cli_words(outcome.said))
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
    console = _console()
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
            Text(_safe(outcome.path.name)),
            outcome.status,
            str(outcome.findings),
            Text(_safe(detail)),
        )
    console.print(table)
    stored = [outcome for outcome in outcomes if outcome.stored_as]
    if len(stored) <= 3:
        for outcome in stored:
            council = outcome.local_authority or outcome.path.name
            style = "bold" if outcome.ours is False else ""
            whose = in_cli_words(outcome.stored_as)
            console.print(Text(f"{_safe(council)}: imported {whose}.", style=style))
    else:  # a folder: one line for each way they were stored, not one per report
        for ours in (True, False):
            alike = [outcome for outcome in stored if bool(outcome.ours) is ours]
            if alike:
                councils = sorted({o.local_authority for o in alike if o.local_authority})
                named = ", ".join(councils[:3]) + (", ..." if len(councils) > 3 else "")
                console.print(
                    Text(
                        f"{_count(len(alike), 'report')} ({_safe(named)}): imported "
                        f"{in_cli_words(alike[0].stored_as)}.",
                        style="" if ours else "bold",
                    )
                )
    console.print(Text(_reports_summary(outcomes), style="bold"))
    for outcome in refused:  # one line each, under the summary
        _refuse(outcome.path, in_cli_words(outcome.said))
    return status


def _reports_summary(outcomes: list[Any]) -> str:
    """'45 reports: 40 new, 2 unchanged, 1 updated, 2 refused.' (and any not replaced)."""
    counts = {status: 0 for status in ("imported", "unchanged", "updated", "refused", "changed")}
    for outcome in outcomes:
        counts[outcome.status] += 1
    summary = (
        f"{_count(len(outcomes), 'report')}: {counts['imported']} new, "
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
    console = None if args.json else _console()
    chosen = getattr(args, "ours", None)
    with _progress("Reading reports") as progress:
        previews = importer.preview_reports(
            store, paths, ours=chosen, progress=progress, read_known=True
        )
    for preview in previews:
        if preview.status == "refused":
            _refuse(preview.path, preview.message)
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
    count = _count(len(preview.report.findings), "finding")
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
            f"{_safe(report.path.name)}: {_safe(report.local_authority)}, "
            f"{_safe(report.framework)}, {dates}",
            style="bold",
        )
    )
    for area, grade in report.judgements:
        console.print(Text(f"  {_safe(area)}: {_safe(grade)}"))
    table = Table(expand=True, show_header=True)
    table.add_column("Ref", no_wrap=True)
    table.add_column("Kind", no_wrap=True)
    table.add_column("Finding", ratio=1)
    table.add_column("Theme suggested", ratio=1)
    for finding in report.findings:
        theme = Text(_safe(finding.theme or "none: choose one"))
        if finding.theme_to_confirm:  # a low-confidence suggestion: the lead confirms it
            theme.append(" (confirm)", style="bold yellow")
        table.add_row(
            Text(_safe(finding.ref)), Text(_safe(finding.kind)), Text(_safe(finding.title)), theme
        )
    console.print(table)
    console.print(Text(f"  {_safe(doing)}"), style="dim")
    if whose and doing.startswith("would import") and "(use --" in whose:
        console.print(Text(f"  {_safe(whose[whose.index('(use --') :])}"), style="dim")
