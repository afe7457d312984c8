"""What the import screen says about Ofsted reports: the preview of a report or a folder of
them, whose each would be, and the summary of what was imported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text

from store.errors import ImportFailed
from tui.presenters.import_common import (
    KINDS,
    OURS_LABEL,
    REPORT_SUFFIXES,
    Line,
    ProgressCallback,
    Shown,
    dates_text,
    importer,
    plural,
    refusal,
    styled,
)
from tui.text import safe


def whose_line(ours: bool, council: str, *, chosen: bool) -> Text:
    """Whose report it is, what that means, and how to change it (in this screen's words)."""
    if ours:
        return styled(
            ("This council's own report", "bold"),
            ": its findings go into the packs and gaps of the visits in their themes.",
            ("" if chosen else f" Untick {OURS_LABEL} if it is another council's.", "dim"),
        )
    return styled(
        ("Another council's report", "bold"),
        (f" ({council})" if council else "", "bold"),
        ": for search and learning; not in packs or gaps.",
        ("" if chosen else f" Tick {OURS_LABEL} if it is yours.", "dim"),
    )


def _whose_word(ours: bool) -> tuple[str, str]:
    """A mark on another council's report in a list of files (ours is the usual case)."""
    return ("", "") if ours else ("  · another council's, for learning", "italic yellow")


def preview_reports(
    store: Any,
    path: Path,
    update: bool,
    progress: ProgressCallback,
    ours: bool | None = None,
) -> Shown:
    """What importing a report, or a folder of them, would do. Reads files, writes nothing.

    The store decides, as the import itself will (``store.importers.reports.preview_reports``:
    already imported, another file of a stored inspection, or new and whose); this says it
    in the screen's words."""
    reports = importer("reports")
    if path.is_dir():
        if not reports.expand_paths([path]):
            raise ImportFailed(f"{path.name or path} holds no .pdf or .txt report files.")
    elif path.suffix.lower() not in REPORT_SUFFIXES:
        raise ImportFailed(f"{path.name} is not a report: choose a .pdf or .txt file.")
    single = not path.is_dir()
    previews = reports.preview_reports(
        store, [path], ours=ours, progress=progress, read_known=single
    )
    if single:
        [preview] = previews
        if preview.status == "refused":
            raise ImportFailed(preview.message)
        shown = _one_report(preview, update, chosen=ours is not None)
        shown.ours, shown.ours_chosen = preview.ours, ours
        return shown
    lines: list[Line] = []
    counts = {"new": 0, "refused": 0, "unchanged": 0, "changed": 0}
    findings = 0
    theirs = 0  # new reports that would be other councils'
    decided: set[bool] = set()
    for preview in previews:
        counts[preview.status] += 1
        name = preview.path.name
        if preview.status == "refused":
            lines.append(Line(refusal("Will refuse", name, preview.message)))
        elif preview.status == "unchanged":
            title = preview.stored.title if preview.stored else "earlier in this folder"
            target = ("source", preview.stored.id) if preview.stored else None
            lines.append(
                Line(
                    styled(
                        ("= ", "dim"), (name, "bold"), (f"  already imported as '{title}'", "dim")
                    ),
                    target,
                )
            )
        elif preview.status == "changed":
            what = "will replace" if update and preview.stored else "a different file of"
            title = f"'{preview.stored.title}'" if preview.stored else preview.message
            lines.append(
                Line(
                    styled(("↻ ", "yellow"), (name, "bold"), (f"  {what} {title}", "yellow")),
                    ("source", preview.stored.id) if preview.stored else None,
                )
            )
            findings += len(preview.report.findings) if update and preview.stored else 0
        else:
            report = preview.report
            findings += len(report.findings)
            decided.add(bool(preview.ours))
            theirs += not preview.ours
            lines.append(
                Line(
                    styled(
                        ("+ ", "green"),
                        (name, "bold"),
                        "  new: ",
                        report.title,
                        f" ({plural(len(report.findings), 'finding')})",
                        _whose_word(bool(preview.ours)),
                    )
                )
            )
    doing = counts["new"] + (counts["changed"] if update else 0)
    status = styled(
        (f"{plural(len(previews), 'file')}: ", "bold"),
        f"{doing} to import ({plural(findings, 'finding')})",
        f", {counts['refused']} refused" if counts["refused"] else "",
        f", {counts['unchanged']} already imported" if counts["unchanged"] else "",
        f", {counts['changed']} stored from a different file"
        + ("" if update else " (tick Replace to update them)")
        if counts["changed"]
        else "",
        ".",
    )
    if decided:
        if len(decided) > 1:
            said = f" New: {counts['new'] - theirs} ours, {theirs} other councils' (to learn from)."
        elif True in decided:
            said = " New: all as this council's own."
        else:
            said = " New: all other councils' reports, for search and learning."
        hint = f" {OURS_LABEL} decides for all of them." if ours is None else ""
        status.append_text(styled(said, (hint, "dim")))
    if previews and counts["refused"] == len(previews):
        # A folder with a PDF in it is taken for reports, and most evidence folders hold
        # PDFs: when not one is a report, say where the folder's own import is.
        status.append(f" A folder of evidence? Choose '{KINDS['evidence'][0]}' above.")
    shown = Shown(path, "reports", update, "preview", status, lines)
    shown.ours = next(iter(decided)) if len(decided) == 1 else None
    shown.ours_chosen = ours
    if not doing:
        shown.can_import, shown.reason = False, "Nothing in this folder would be imported."
    return shown


def _finding_line(finding: Any, width: int) -> Line:
    """A finding of a previewed report: its ref, title and suggested theme; a paragraph of
    detail says which recommendation it is behind, the board's says so, and a theme the
    lead should confirm is marked."""
    role = {"detail": ("  detail", "dim"), "board": ("  board's", "dim")}.get(finding.role, "")
    text = styled(
        "  ",
        (f"{finding.ref:<{width}}", "bold"),
        "  ",
        finding.title,
        role,
        (f" (behind {finding.detail_of})" if finding.detail_of else "", "dim"),
        ("  · ", "dim"),
        (finding.theme or "no theme suggested", "italic cyan"),
        ("  confirm?" if finding.theme_to_confirm else "", "bold yellow"),
    )
    return Line(text)


def _one_report(preview: Any, update: bool, *, chosen: bool = False) -> Shown:
    parsed = preview.report
    ours = bool(preview.ours)
    lines = [
        Line(styled((parsed.title, "bold"))),
        Line(
            styled(
                parsed.local_authority,
                " · ",
                parsed.framework,
                " · ",
                parsed.kind,
                " · ",
                dates_text(parsed.start_date, parsed.end_date),
            )
        ),
    ]
    for area, grade in parsed.judgements:
        lines.append(Line(styled("  ", (f"{str(grade).capitalize():<22}", "bold"), " ", area)))
    asked = sum(1 for f in parsed.findings if f.role == "")
    heading = f"{plural(len(parsed.findings), 'finding')}:"
    if asked != len(parsed.findings):
        heading = f"{plural(len(parsed.findings), 'finding')}, {asked} asked of the council:"
    lines.append(Line(styled((heading, "bold"))))
    width = max((len(f.ref) for f in parsed.findings), default=2)
    lines.extend(_finding_line(finding, width) for finding in parsed.findings)
    to_confirm = sum(1 for f in parsed.findings if f.theme_to_confirm)
    count = plural(len(parsed.findings), "finding")
    shown = Shown(parsed.path, "reports", update, "preview", Text())
    same = preview.stored if preview.status == "unchanged" else None
    earlier = preview.stored if preview.status == "changed" else None
    if same is not None:
        shown.status = styled(("Already imported", "bold"), f" as '{same.title}': nothing to do.")
        shown.can_import, shown.reason = False, "This report is already imported."
        lines.insert(
            0, Line(styled(("= already imported: enter opens it", "dim")), ("source", same.id))
        )
    elif earlier is not None and not update:
        shown.status = styled(
            (f"'{earlier.title}'", "bold"),
            " was imported before from a different file. Tick Replace to update it.",
        )
        shown.can_import = False
        shown.reason = "This inspection is stored from another file: tick Replace to update it."
    elif earlier is not None:
        shown.status = styled(("Will replace ", "bold"), f"'{earlier.title}' with {count}.")
    else:
        shown.status = styled(
            ("Will create ", "bold"),
            f"1 source and {count}, as ",
            ("this council's own report" if ours else "another council's report", "bold"),
            ".",
        )
        lines.insert(2, Line(whose_line(ours, parsed.local_authority, chosen=chosen)))
    if to_confirm and same is None:
        shown.status.append(
            f" {plural(to_confirm, 'suggested theme')} to confirm (marked confirm?).",
            style="yellow",
        )
    if not parsed.findings:
        shown.status.append(
            " No list of findings was found in it: add them by hand after importing.",
            style="yellow",
        )
    shown.lines = lines
    return shown


def _outcome_note(outcome: Any, name: str, title: str) -> str:
    """What the importer said beyond "imported X with N findings, as ..." (grades it could
    not keep, no findings found, what an update kept and replaced)."""
    if outcome.status == "updated":
        return outcome.message.removeprefix(f"{name}: ")
    whose = f" {outcome.whose}" if getattr(outcome, "whose", "") else ""
    plain = f"{name}: imported '{title}' with {plural(outcome.findings, 'finding')}{whose}."
    return outcome.message.removeprefix(plain).strip() if outcome.message.startswith(plain) else ""


def import_reports(
    store: Any, path: Path, update: bool, progress: ProgressCallback, ours: bool | None = None
) -> Shown:
    """Import a report or a folder of them; each report lands whole or not at all."""
    reports = importer("reports")
    from store.sources import get_source

    outcomes = reports.import_reports(store, [path], update=update, ours=ours, progress=progress)
    lines: list[Line] = []
    imported = findings = refused = 0
    for outcome in outcomes:
        name = Path(outcome.path).name
        title = get_source(store, outcome.source_id).title if outcome.source_id else name
        target = ("source", outcome.source_id) if outcome.source_id else None
        if outcome.status in ("imported", "updated"):
            imported += 1
            findings += outcome.findings
            verb = "Imported" if outcome.status == "imported" else "Updated"
            text = styled(
                ("✔ ", "green"),
                (f"{verb} ", "bold"),
                (title, "bold"),
                f": {plural(outcome.findings, 'finding')}",
                _whose_word(outcome.ours is not False),
            )
            note = _outcome_note(outcome, name, title)
            if note:
                text.append("\n    ")
                text.append(safe(note), style="yellow")
        elif outcome.status == "refused":
            refused += 1
            text = refusal("Refused", name, outcome.message)
        elif outcome.status == "unchanged":
            text = styled(("= ", "dim"), (f"{name}: already imported as '{title}'", "dim"))
        else:
            text = styled(
                ("↻ ", "yellow"),
                (name, "bold"),
                (
                    f": '{title}' was imported before from a different file; "
                    "tick Replace and import again to update it.",
                    "yellow",
                ),
            )
        lines.append(Line(text, target))
    status = styled(
        (f"Imported {plural(imported, 'report')}", "bold"),
        f" with {plural(findings, 'finding')}",
        (f"; {refused} refused" if refused else "", "bold red"),
        ". enter opens a source." if any(line.target for line in lines) else ".",
    )
    shown = Shown(path, "reports", update, "imported", status, lines, can_import=False)
    shown.ours_chosen = ours
    return shown
