"""What the import screen says about an evidence folder: the scan's dry run and its summary."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from store.dates import format_date
from tui.presenters.import_common import (
    MAX_LINES,
    Line,
    ProgressCallback,
    Shown,
    capped,
    importer,
    styled,
)


def _evidence_lines(result: Any, ids: dict[str, int] | None = None) -> list[Line]:
    def in_folder(path: str) -> str:
        return os.path.relpath(path, result.folder)

    lines: list[Line] = []
    for move in result.moved:
        later = f" · as of {format_date(move.as_of)}" if move.as_of else ""
        lines.append(
            Line(
                styled(
                    ("→ moved    ", "bold cyan"),
                    (move.item.title, "bold"),
                    "  ",
                    (f"{in_folder(move.item.location)} → {in_folder(move.path)}", "dim"),
                    (later, "dim"),
                ),
                ("evidence", move.item.id),
            )
        )
    for unsure in result.not_paired:
        gone = ", ".join(f"{item.title} ({in_folder(item.location)})" for item in unsure.gone)
        found = " or ".join(in_folder(path) for path in unsure.found)
        lines.append(
            Line(
                styled(
                    ("? unsure   ", "bold yellow"),
                    f"{gone} → {found}",
                    (f"  not paired: {unsure.reason}; shown as gone and new", "yellow"),
                ),
                ("evidence", unsure.gone[0].id),
            )
        )
    for item in result.missing:
        lines.append(
            Line(
                styled(
                    ("✖ gone     ", "bold red"), (item.title, "bold"), "  ", (item.location, "dim")
                ),
                ("evidence", item.id),
            )
        )
    for item in result.returned:
        lines.append(
            Line(styled(("↺ back     ", "green"), (item.title, "bold")), ("evidence", item.id))
        )
    for location, why in result.skipped:
        lines.append(Line(styled(("⚠ skipped  ", "yellow"), location, (f"  {why}", "yellow"))))
    for found in result.new[:MAX_LINES]:
        target = ("evidence", ids[found.path]) if ids and found.path in ids else None
        as_of = f" · as of {format_date(found.as_of)}" if found.as_of else ""
        lines.append(
            Line(
                styled(
                    ("+ new      ", "green"),
                    (found.title, "bold"),
                    (f" · {found.kind}{as_of}  ", "dim"),
                    (found.path, "dim"),
                ),
                target,
            )
        )
    return capped(lines, len(lines) + len(result.new) - min(len(result.new), MAX_LINES), "files")


def _evidence_counts(result: Any) -> str:
    parts = [f"{len(result.new)} new", f"{result.known} already recorded"]
    if result.moved:
        parts.append(f"{len(result.moved)} moved")
    if result.not_paired:
        parts.append(f"{len(result.not_paired)} not paired (maybe moved)")
    if result.missing:
        parts.append(f"{len(result.missing)} gone since the last scan")
    if result.still_missing:
        parts.append(f"{len(result.still_missing)} still missing")
    if result.returned:
        parts.append(f"{len(result.returned)} back")
    if result.refreshed:
        parts.append(f"{len(result.refreshed)} saved again")
    if result.skipped:
        parts.append(f"{len(result.skipped)} skipped")
    return ", ".join(parts)


def preview_evidence(store: Any, folder: Path, progress: ProgressCallback) -> Shown:
    """What scanning an evidence folder would record (a dry run)."""
    evidence = importer("evidence")
    result = evidence.scan_evidence_folder(store, folder, dry_run=True, progress=progress)
    status = styled(("Evidence folder: ", "bold"), _evidence_counts(result), ".")
    shown = Shown(folder, "evidence", False, "preview", status, _evidence_lines(result))
    if not (result.new or result.moved or result.missing or result.returned or result.refreshed):
        shown.can_import, shown.reason = (
            False,
            "Nothing in this folder has changed since the last scan.",
        )
    return shown


def import_evidence(store: Any, folder: Path, progress: ProgressCallback) -> Shown:
    """Scan an evidence folder into the store, in one transaction."""
    evidence = importer("evidence")
    from store.evidence import list_evidence

    result = evidence.scan_evidence_folder(store, folder, progress=progress)
    prefix = str(result.folder).rstrip(os.sep) + os.sep
    ids = {item.location: item.id for item in list_evidence(store, location_prefix=prefix)}
    status = styled(
        ("Scanned ", "bold"),
        (str(result.folder), "bold"),
        ": ",
        _evidence_counts(result),
        ". enter opens an item.",
    )
    return Shown(
        folder,
        "evidence",
        False,
        "imported",
        status,
        _evidence_lines(result, ids),
        can_import=False,
    )
