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
        lines.append(new_file_line(found, found.personal_data, target, preview=ids is None))
    return capped(lines, len(lines) + len(result.new) - min(len(result.new), MAX_LINES), "files")


def new_file_line(
    found: Any, personal: bool, target: tuple[str, int] | None = None, *, preview: bool = True
) -> Line:
    """A new file as it will be recorded, with its personal-data mark and, in a preview,
    why it was guessed and that x changes it (the lead confirms the guess)."""
    as_of = f" · as of {format_date(found.as_of)}" if found.as_of else ""
    text = styled(
        ("+ new      ", "green"),
        (found.title, "bold"),
        (f" · {found.kind}{as_of}  ", "dim"),
        (found.path, "dim"),
    )
    if personal:
        text.append_text(styled(("  ⚑ personal data", "bold magenta")))
    if preview and found.personal_guess and personal:
        text.append_text(styled((f" (guessed: {found.personal_guess}; x if not)", "magenta")))
    elif preview and found.personal_guess:
        text.append_text(styled(("  not personal data (you said; x to mark it)", "dim")))
    return Line(text, target, toggle=found.path if preview else "")


def toggle_personal(shown: Shown, index: int) -> Line | None:
    """Flip the personal-data mark of the new file on line ``index`` of a preview; the
    line as it now reads, or None when that line is not a new file."""
    line = shown.lines[index] if 0 <= index < len(shown.lines) else None
    if line is None or not line.toggle or line.toggle not in shown.found:
        return None
    found = shown.found[line.toggle]
    now = not shown.personal.get(line.toggle, found.personal_data)
    shown.personal[line.toggle] = now
    shown.lines[index] = new_file_line(found, now, line.target)
    return shown.lines[index]


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
    guessed = sum(1 for found in result.new if found.personal_guess)
    status = styled(
        ("Evidence folder: ", "bold"),
        _evidence_counts(result),
        ".",
        f" {guessed} marked ⚑ personal data by their names: x on a line if one is not."
        if guessed
        else "",
    )
    shown = Shown(folder, "evidence", False, "preview", status, _evidence_lines(result))
    shown.found = {found.path: found for found in result.new}
    if not (result.new or result.moved or result.missing or result.returned or result.refreshed):
        shown.can_import, shown.reason = (
            False,
            "Nothing in this folder has changed since the last scan.",
        )
    return shown


def import_evidence(
    store: Any, folder: Path, progress: ProgressCallback, personal: dict[str, bool] | None = None
) -> Shown:
    """Scan an evidence folder into the store, in one transaction, each new file marked as
    holding personal data as the lead said in the preview (else as guessed)."""
    evidence = importer("evidence")
    from store.evidence import list_evidence

    result = evidence.scan_evidence_folder(
        store, folder, progress=progress, personal_data=personal or {}
    )
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
