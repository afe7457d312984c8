"""What the import screen says about Ofsted reports: the preview of a report or a folder of
them, whose each would be, and the summary of what was imported."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from rich.text import Text

from store.errors import ImportFailed, StoreError
from tui.presenters.import_common import (
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


def _same_inspection(sources: Iterable[Any], report: Any) -> Any | None:
    """The stored source of the same inspection (council, framework, first day), if any."""
    for source in sources:
        if (
            source.local_authority.lower() == report.local_authority.lower()
            and source.framework == report.framework
            and source.start_date == report.start_date
        ):
            return source
    return None


OURS_LABEL = "Our council's own report"


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

    Each new report is the council's own or another council's as ``ours`` says, or when it
    is None by its council (``store.importers.reports.is_ours``)."""
    reports = importer("reports")
    from store.sources import find_source_by_hash, list_sources

    if path.is_dir():
        files = reports.expand_paths([path])
        if not files:
            raise ImportFailed(f"{path.name or path} holds no .pdf or .txt report files.")
    else:
        files = [path]
        if path.suffix.lower() not in REPORT_SUFFIXES:
            raise ImportFailed(f"{path.name} is not a report: choose a .pdf or .txt file.")
    sources = list_sources(store)
    # Reports earlier in the folder count as stored: the first of an empty store is ours.
    own = reports.own_councils(store)
    if len(files) == 1 and not path.is_dir():
        parsed = reports.read_report(path)
        mine = ours if ours is not None else reports.is_ours(parsed.local_authority, own)
        shown = _one_report(
            store, parsed, sources, update, find_source_by_hash, mine, chosen=ours is not None
        )
        shown.ours, shown.ours_chosen = mine, ours
        return shown
    lines: list[Line] = []
    counts = {"new": 0, "refused": 0, "known": 0, "changed": 0}
    findings = 0
    theirs = 0  # new reports that would be other councils'
    decided: set[bool] = set()
    for number, file in enumerate(files, 1):
        progress(number, len(files), file.name)
        try:
            parsed = reports.read_report(file)
        except StoreError as error:
            counts["refused"] += 1
            lines.append(Line(refusal("Will refuse", file.name, error.message)))
            continue
        same = find_source_by_hash(store, parsed.content_hash)
        earlier = None if same else _same_inspection(sources, parsed)
        if same is not None:
            counts["known"] += 1
            lines.append(
                Line(
                    styled(
                        ("= ", "dim"),
                        (file.name, "bold"),
                        (f"  already imported as '{same.title}'", "dim"),
                    ),
                    ("source", same.id),
                )
            )
        elif earlier is not None:
            counts["changed"] += 1
            what = "will replace" if update else "a different file of"
            lines.append(
                Line(
                    styled(
                        ("↻ ", "yellow"),
                        (file.name, "bold"),
                        (f"  {what} '{earlier.title}'", "yellow"),
                    ),
                    ("source", earlier.id),
                )
            )
            findings += len(parsed.findings) if update else 0
        else:
            counts["new"] += 1
            findings += len(parsed.findings)
            mine = ours if ours is not None else reports.is_ours(parsed.local_authority, own)
            if mine and parsed.local_authority.strip():
                own.add(reports.council_key(parsed.local_authority))
            decided.add(mine)
            theirs += not mine
            lines.append(
                Line(
                    styled(
                        ("+ ", "green"),
                        (file.name, "bold"),
                        "  new: ",
                        parsed.title,
                        f" ({plural(len(parsed.findings), 'finding')})",
                        _whose_word(mine),
                    )
                )
            )
    doing = counts["new"] + (counts["changed"] if update else 0)
    status = styled(
        (f"{plural(len(files), 'file')}: ", "bold"),
        f"{doing} to import ({plural(findings, 'finding')})",
        f", {counts['refused']} refused" if counts["refused"] else "",
        f", {counts['known']} already imported" if counts["known"] else "",
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
    shown = Shown(path, "reports", update, "preview", status, lines)
    shown.ours = next(iter(decided)) if len(decided) == 1 else None
    shown.ours_chosen = ours
    if not doing:
        shown.can_import, shown.reason = False, "Nothing in this folder would be imported."
    return shown


def _one_report(
    store: Any,
    parsed: Any,
    sources: list[Any],
    update: bool,
    by_hash: Callable[..., Any],
    ours: bool = True,
    *,
    chosen: bool = False,
) -> Shown:
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
    lines.append(Line(styled((f"{plural(len(parsed.findings), 'finding')}:", "bold"))))
    width = max((len(f.ref) for f in parsed.findings), default=2)
    for finding in parsed.findings:
        lines.append(
            Line(
                styled(
                    "  ",
                    (f"{finding.ref:<{width}}", "bold"),
                    "  ",
                    finding.title,
                    ("  · ", "dim"),
                    (finding.theme or "no theme suggested", "italic cyan"),
                )
            )
        )
    same = by_hash(store, parsed.content_hash)
    earlier = None if same else _same_inspection(sources, parsed)
    count = plural(len(parsed.findings), "finding")
    shown = Shown(parsed.path, "reports", update, "preview", Text())
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
