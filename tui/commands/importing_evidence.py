"""`visitprep import --evidence FOLDER`: the evidence folder scanned, or what a scan would do:
new files, moved and missing ones, and those the lead should look at, or JSON."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from store.database import Store
from store.dates import format_date
from store.importers.evidence_folder import ScanResult, scan_evidence_folder
from tui.commands._importing_output import (
    EXIT_OK,
    EXIT_REFUSED,
    make_console,
    progress_bar,
    safe,
    write_json,
)

_MAX_NEW_SHOWN = 100


def scan(store: Store, folder: Path, args: argparse.Namespace) -> int:
    with progress_bar("Scanning evidence") as progress:
        result = scan_evidence_folder(store, folder, dry_run=args.dry_run, progress=progress)
    for path, why in result.skipped:
        # Named from the folder scanned, as the lead sees it on the shared drive.
        sys.stderr.write(f"visitprep: {safe(os.path.relpath(path, result.folder))}: {why}\n")
    if args.json:
        write_json(_scan_json(result))
    else:
        _print_scan(make_console(), result)
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
        return safe(os.path.relpath(path, result.folder))

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
                    f"  {safe(move.item.title)}  ({in_folder(move.item.location)} -> "
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
                Text(safe(found.title)),
                found.kind,
                format_date(found.as_of),
                Text(safe(relative)),
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
                console.print(Text(f"  {safe(relative)}: {safe(found.personal_guess)}"))
    if result.missing:
        console.print(
            Text("Gone since the last scan (now shown as missing evidence):", style="bold red")
        )
        for evidence in result.missing:
            console.print(Text(f"  {safe(evidence.title)}  ({safe(evidence.location)})"))
    if result.still_missing:
        console.print(Text("Still missing:", style="bold yellow"))
        for evidence in result.still_missing:
            since = format_date(evidence.missing_since)
            console.print(
                Text(
                    f"  {safe(evidence.title)}  (missing since {since}: {safe(evidence.location)})"
                )
            )
    if result.returned:
        console.print(Text("Back again (no longer missing):", style="bold green"))
        for evidence in result.returned:
            console.print(Text(f"  {safe(evidence.title)}  ({safe(evidence.location)})"))
    if result.not_paired:
        console.print(
            Text(
                "Maybe moved, but not paired (more than one file could be it), "
                "so shown as gone and new:",
                style="bold yellow",
            )
        )
        for unsure in result.not_paired:
            gone = ", ".join(f"{safe(e.title)} ({in_folder(e.location)})" for e in unsure.gone)
            console.print(Text(f"  {gone}: {safe(unsure.reason)}"))
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
    console.print(Text(f"{verb} {safe(result.folder)}: {', '.join(parts)}.", style="bold"))
    if result.dry_run:
        console.print(Text("Dry run: nothing was changed."), style="dim")
