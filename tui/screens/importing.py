"""Import: Ofsted reports, an improvement plan or an evidence folder, previewed before storing.

Pick a file or folder (type or paste its path, or choose it in the tree), preview what the
import would create (``p`` or enter), then import it (``ctrl+s``). Reading files and writing
the store both run in thread workers; a file that cannot be imported is refused with its
reason in a red line and nothing from it is stored.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import (
    Button,
    Checkbox,
    DirectoryTree,
    Input,
    OptionList,
    ProgressBar,
    RadioButton,
    RadioSet,
    Static,
)
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from store.dates import format_date
from store.errors import ImportFailed, StoreError
from tui.screens.confirm import leave_unsaved
from tui.text import safe
from tui.widgets.key_footer import KeyFooter
from tui.widgets.toggles import MarkedCheckbox, MarkedRadioButton

REPORT_SUFFIXES = frozenset({".pdf", ".txt"})
PLAN_SUFFIXES = frozenset({".csv", ".xlsx", ".xlsm"})
# Lines listed per preview or summary; the counts above them always cover everything.
MAX_LINES = 500
# How many entries of a folder are looked at to guess whether it holds reports.
FOLDER_PEEK = 2000

CHOOSE_HINT = "Type or pick a file or folder, then press enter (or p) to preview it."
PREVIEW_HINT = "Press p (or enter in the path box) to preview it."
# kind -> (label, importer module)
KINDS: dict[str, tuple[str, str]] = {
    "reports": ("Ofsted reports", "store.importers.reports"),
    "plan": ("Improvement plan", "store.importers.plan"),
    "evidence": ("Evidence folder", "store.importers.evidence_folder"),
}
ProgressCallback = Callable[[int, int, str], None]


# ----------------------------------------------------------------------------- what is shown


@dataclass(frozen=True)
class Line:
    """One line of a preview or summary; ``target`` (kind, id) is opened by enter."""

    text: Text
    target: tuple[str, int] | None = None


@dataclass
class Shown:
    """A finished preview or import, as the screen shows it."""

    path: Path
    kind: str
    update: bool
    stage: str  # "preview" or "imported"
    status: Text
    lines: list[Line] = field(default_factory=list)
    can_import: bool = True
    reason: str = ""  # why it cannot be imported
    columns: tuple[tuple[str, str], ...] = ()  # a plan's (field, header) pairs, as given
    # Reports: whose the new ones would be (None: some of each), and the lead's own choice
    # (None: each decided by its council, as the command line does without --ours/--other).
    ours: bool | None = None
    ours_chosen: bool | None = None


def parse_columns(text: str) -> tuple[tuple[str, str], ...]:
    """The Columns box (``owner=Lead officer; due=By when``) as (field, header) pairs."""
    pairs: list[tuple[str, str]] = []
    for part in re.split(r"[;\n]", text):
        if not part.strip():
            continue
        name, equals, header = part.partition("=")
        if not equals or not name.strip() or not header.strip():
            raise ImportFailed(
                f"Columns: write each as field=Header, separated by ';' (not '{part.strip()}')."
            )
        pairs.append((name.strip(), header.strip()))
    return tuple(pairs)


def in_screen_words(message: str) -> str:
    """An importer's message with its command-line option named as this screen names it."""
    return message.replace("--map FIELD=HEADER", "field=Header in the Columns box").replace(
        "--map", "Columns"
    )


def expand(value: str) -> Path | None:
    """The path a user typed or pasted: quotes dropped, ``~`` expanded; None when blank."""
    text = value.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1].strip()
    if not text:
        return None
    return Path(os.path.expanduser(text))


def kinds_for(path: Path) -> tuple[str | None, tuple[str, ...]]:
    """The import a path suggests and every import that could read it.

    A folder may be a folder of reports or an evidence folder: it is taken for reports when
    it holds .pdf or .txt files, else for evidence, and the user can switch.
    """
    try:
        if path.is_dir():
            return ("reports" if _holds_reports(path) else "evidence"), ("reports", "evidence")
        if not path.exists():
            return None, ()
    except OSError:
        return None, ()
    suffix = path.suffix.lower()
    if suffix in REPORT_SUFFIXES:
        return "reports", ("reports",)
    if suffix in PLAN_SUFFIXES:
        return "plan", ("plan",)
    return None, ()


def _holds_reports(folder: Path) -> bool:
    try:
        with os.scandir(folder) as entries:
            for number, entry in enumerate(entries):
                if number >= FOLDER_PEEK:
                    break
                if Path(entry.name).suffix.lower() in REPORT_SUFFIXES and entry.is_file():
                    return True
    except OSError:
        return False
    return False


def available(kind: str) -> bool:
    """Whether this version has the importer for ``kind``."""
    try:
        return importlib.util.find_spec(KINDS[kind][1]) is not None
    except ImportError:
        return False


def _importer(kind: str) -> Any:
    label, module = KINDS[kind]
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportFailed(f"Importing an {label.lower()} is not available here yet.") from None


def _plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"


def _dates(start: date | None, end: date | None) -> str:
    if start and end and start != end:
        return f"{format_date(start)} – {format_date(end)}"
    return format_date(start or end)


def _line(*parts: tuple[object, str] | str) -> Text:
    """A line of plain text pieces (each made safe, never parsed as markup) with styles."""
    text = Text()
    for part in parts:
        if isinstance(part, tuple):
            text.append(safe(part[0]), style=part[1])
        else:
            text.append(safe(part))
    return text


def _refusal(verb: str, name: str, message: str) -> Text:
    """``✖ Refused: x.pdf is not a PDF (...)``, the file's name in bold, said once."""
    reason = message.removeprefix(name) if message.startswith(name) else f": {message}"
    return _line(("✖ ", "bold red"), (f"{verb}: ", "bold"), (name, "bold"), (reason, "red"))


def _capped(lines: list[Line], total: int, what: str) -> list[Line]:
    if total > len(lines):
        lines.append(Line(_line((f"… and {total - len(lines)} more {what}", "dim italic"))))
    return lines


# ----------------------------------------------------------------------------- reports


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
        return _line(
            ("This council's own report", "bold"),
            ": its findings go into the packs and gaps of the visits in their themes.",
            ("" if chosen else f" Untick {OURS_LABEL} if it is another council's.", "dim"),
        )
    return _line(
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
    reports = _importer("reports")
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
            lines.append(Line(_refusal("Will refuse", file.name, error.message)))
            continue
        same = find_source_by_hash(store, parsed.content_hash)
        earlier = None if same else _same_inspection(sources, parsed)
        if same is not None:
            counts["known"] += 1
            lines.append(
                Line(
                    _line(
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
                    _line(
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
                    _line(
                        ("+ ", "green"),
                        (file.name, "bold"),
                        "  new: ",
                        parsed.title,
                        f" ({_plural(len(parsed.findings), 'finding')})",
                        _whose_word(mine),
                    )
                )
            )
    doing = counts["new"] + (counts["changed"] if update else 0)
    status = _line(
        (f"{_plural(len(files), 'file')}: ", "bold"),
        f"{doing} to import ({_plural(findings, 'finding')})",
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
        status.append_text(_line(said, (hint, "dim")))
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
        Line(_line((parsed.title, "bold"))),
        Line(
            _line(
                parsed.local_authority,
                " · ",
                parsed.framework,
                " · ",
                parsed.kind,
                " · ",
                _dates(parsed.start_date, parsed.end_date),
            )
        ),
    ]
    for area, grade in parsed.judgements:
        lines.append(Line(_line("  ", (f"{str(grade).capitalize():<22}", "bold"), " ", area)))
    lines.append(Line(_line((f"{_plural(len(parsed.findings), 'finding')}:", "bold"))))
    width = max((len(f.ref) for f in parsed.findings), default=2)
    for finding in parsed.findings:
        lines.append(
            Line(
                _line(
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
    count = _plural(len(parsed.findings), "finding")
    shown = Shown(parsed.path, "reports", update, "preview", Text())
    if same is not None:
        shown.status = _line(("Already imported", "bold"), f" as '{same.title}': nothing to do.")
        shown.can_import, shown.reason = False, "This report is already imported."
        lines.insert(
            0, Line(_line(("= already imported: enter opens it", "dim")), ("source", same.id))
        )
    elif earlier is not None and not update:
        shown.status = _line(
            (f"'{earlier.title}'", "bold"),
            " was imported before from a different file. Tick Replace to update it.",
        )
        shown.can_import = False
        shown.reason = "This inspection is stored from another file: tick Replace to update it."
    elif earlier is not None:
        shown.status = _line(("Will replace ", "bold"), f"'{earlier.title}' with {count}.")
    else:
        shown.status = _line(
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
    plain = f"{name}: imported '{title}' with {_plural(outcome.findings, 'finding')}{whose}."
    return outcome.message.removeprefix(plain).strip() if outcome.message.startswith(plain) else ""


def import_reports(
    store: Any, path: Path, update: bool, progress: ProgressCallback, ours: bool | None = None
) -> Shown:
    """Import a report or a folder of them; each report lands whole or not at all."""
    reports = _importer("reports")
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
            text = _line(
                ("✔ ", "green"),
                (f"{verb} ", "bold"),
                (title, "bold"),
                f": {_plural(outcome.findings, 'finding')}",
                _whose_word(outcome.ours is not False),
            )
            note = _outcome_note(outcome, name, title)
            if note:
                text.append("\n    ")
                text.append(safe(note), style="yellow")
        elif outcome.status == "refused":
            refused += 1
            text = _refusal("Refused", name, outcome.message)
        elif outcome.status == "unchanged":
            text = _line(("= ", "dim"), (f"{name}: already imported as '{title}'", "dim"))
        else:
            text = _line(
                ("↻ ", "yellow"),
                (name, "bold"),
                (
                    f": '{title}' was imported before from a different file; "
                    "tick Replace and import again to update it.",
                    "yellow",
                ),
            )
        lines.append(Line(text, target))
    status = _line(
        (f"Imported {_plural(imported, 'report')}", "bold"),
        f" with {_plural(findings, 'finding')}",
        (f"; {refused} refused" if refused else "", "bold red"),
        ". enter opens a source." if any(line.target for line in lines) else ".",
    )
    shown = Shown(path, "reports", update, "imported", status, lines, can_import=False)
    shown.ours_chosen = ours
    return shown


# ----------------------------------------------------------------------------- plan


def _action_line(planned: Any, target: tuple[str, int] | None = None) -> Line:
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
    return Line(_line(*parts), target)


def _problem_lines(problems: Iterable[Any], mark: str, style: str) -> list[Line]:
    return [
        Line(_line((mark, f"bold {style}"), (f"Row {p.row}: ", "bold"), (p.reason, style)))
        for p in problems
    ]


def preview_plan(store: Any, path: Path, columns: tuple[tuple[str, str], ...]) -> Shown:
    """What importing a plan spreadsheet would do (a dry run: the store is only read)."""
    plan = _importer("plan")
    result = plan.import_plan(store, path, dict(columns) or None, dry_run=True)
    preview = result.preview
    lines = _problem_lines(result.problems, "✖ ", "red")
    lines += _problem_lines(result.warnings, "⚠ ", "yellow")
    for name in result.themes_created:
        lines.append(Line(_line(("+ new theme ", "green"), (name, "bold"))))
    lines += [_action_line(p) for p in result.plan[:MAX_LINES]]
    _capped(lines, len(lines) + len(result.plan) - min(len(result.plan), MAX_LINES), "actions")
    counts = {s: sum(1 for p in result.plan if p.status == s) for s in ("new", "update")}
    sheet = "" if path.suffix.lower() == ".csv" else f", sheet '{preview.sheet}'"
    status = _line(
        (f"{path.name}{sheet}", "bold"),
        f", header row {preview.header_row}: ",
        f"{_plural(counts['new'], 'new action')}, {counts['update']} to update",
        f", {_plural(len(result.warnings), 'warning')}" if result.warnings else "",
        f"; finding refs are read as those of '{result.findings_source}'"
        if result.findings_source
        else "",
        ".",
    )
    shown = Shown(path, "plan", False, "preview", status, lines, columns=columns)
    if result.problems:
        rows = _plural(len(result.problems), "row cannot", "rows cannot")
        shown.status.append(f" {rows} be read (listed first in red).", style="bold red")
        shown.can_import = False
        shown.reason = (
            f"{rows} be read, so nothing can be imported: fix them in the sheet and preview again."
        )
    elif not counts["new"] and not counts["update"]:
        shown.can_import, shown.reason = False, "Every action in this plan is already stored."
    return shown


def import_plan(
    store: Any, path: Path, columns: tuple[tuple[str, str], ...], progress: ProgressCallback
) -> Shown:
    """Import a plan spreadsheet, all or nothing."""
    plan = _importer("plan")
    result = plan.import_plan(store, path, dict(columns) or None, progress=progress)
    lines = _problem_lines(result.warnings, "⚠ ", "yellow")
    done = [p for p in result.plan if p.status != "unchanged"]
    for planned in done[:MAX_LINES]:
        target = ("action", planned.action_id) if planned.action_id else None
        lines.append(_action_line(planned, target))
    _capped(lines, len(lines) + len(done) - min(len(done), MAX_LINES), "actions")
    status = _line(
        (f"Imported {path.name}", "bold"),
        f": {_plural(len(result.created), 'new action')}, {len(result.updated)} updated, "
        f"{len(result.unchanged)} unchanged; {_plural(result.updates_added, 'progress update')}, "
        f"{_plural(result.links_added, 'link')}, "
        f"{_plural(result.evidence_created, 'evidence item')} recorded.",
        " enter opens an action." if done else "",
    )
    return Shown(path, "plan", False, "imported", status, lines, False, columns=columns)


# ----------------------------------------------------------------------------- evidence


def _evidence_lines(result: Any, ids: dict[str, int] | None = None) -> list[Line]:
    def in_folder(path: str) -> str:
        return os.path.relpath(path, result.folder)

    lines: list[Line] = []
    for move in result.moved:
        later = f" · as of {format_date(move.as_of)}" if move.as_of else ""
        lines.append(
            Line(
                _line(
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
                _line(
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
                _line(
                    ("✖ gone     ", "bold red"), (item.title, "bold"), "  ", (item.location, "dim")
                ),
                ("evidence", item.id),
            )
        )
    for item in result.returned:
        lines.append(
            Line(_line(("↺ back     ", "green"), (item.title, "bold")), ("evidence", item.id))
        )
    for location, why in result.skipped:
        lines.append(Line(_line(("⚠ skipped  ", "yellow"), location, (f"  {why}", "yellow"))))
    for found in result.new[:MAX_LINES]:
        target = ("evidence", ids[found.path]) if ids and found.path in ids else None
        as_of = f" · as of {format_date(found.as_of)}" if found.as_of else ""
        lines.append(
            Line(
                _line(
                    ("+ new      ", "green"),
                    (found.title, "bold"),
                    (f" · {found.kind}{as_of}  ", "dim"),
                    (found.path, "dim"),
                ),
                target,
            )
        )
    return _capped(lines, len(lines) + len(result.new) - min(len(result.new), MAX_LINES), "files")


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
    evidence = _importer("evidence")
    result = evidence.scan_evidence_folder(store, folder, dry_run=True, progress=progress)
    status = _line(("Evidence folder: ", "bold"), _evidence_counts(result), ".")
    shown = Shown(folder, "evidence", False, "preview", status, _evidence_lines(result))
    if not (result.new or result.moved or result.missing or result.returned or result.refreshed):
        shown.can_import, shown.reason = (
            False,
            "Nothing in this folder has changed since the last scan.",
        )
    return shown


def import_evidence(store: Any, folder: Path, progress: ProgressCallback) -> Shown:
    """Scan an evidence folder into the store, in one transaction."""
    evidence = _importer("evidence")
    from store.evidence import list_evidence

    result = evidence.scan_evidence_folder(store, folder, progress=progress)
    prefix = str(result.folder).rstrip(os.sep) + os.sep
    ids = {item.location: item.id for item in list_evidence(store, location_prefix=prefix)}
    status = _line(
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


@dataclass(frozen=True)
class Choice:
    """What the lead asked for: a path, read as which import, with that import's settings."""

    path: Path
    kind: str | None
    update: bool = False  # reports: replace a report stored from another file
    columns: tuple[tuple[str, str], ...] = ()  # plan: (field, header) pairs
    ours: bool | None = None  # reports: ours or another council's (None: by their council)

    def shown_by(self, shown: Shown | None) -> bool:
        """Whether ``shown`` is the preview (or import) of this very choice."""
        return (
            shown is not None
            and shown.path == self.path
            and shown.kind == self.kind
            and (
                self.kind != "reports"
                or (shown.update == self.update and shown.ours_chosen == self.ours)
            )
            and (self.kind != "plan" or shown.columns == self.columns)
        )


def run_preview(store: Any, choice: Choice, kind: str, progress: ProgressCallback) -> Shown:
    """What importing the choice as ``kind`` would do; nothing is written."""
    if kind == "reports":
        return preview_reports(store, choice.path, choice.update, progress, choice.ours)
    if kind == "plan":
        return preview_plan(store, choice.path, choice.columns)
    return preview_evidence(store, choice.path, progress)


def run_import(store: Any, shown: Shown, progress: ProgressCallback) -> Shown:
    """Import what ``shown`` previewed and say what was stored."""
    if shown.kind == "reports":
        return import_reports(store, shown.path, shown.update, progress, shown.ours_chosen)
    if shown.kind == "plan":
        return import_plan(store, shown.path, shown.columns, progress)
    return import_evidence(store, shown.path, progress)


# ----------------------------------------------------------------------------- widgets


class ImportTree(DirectoryTree):
    """The file picker: folders and the files an importer reads, names shown literally."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "backspace",
            "parent",
            "Folder up",
            id="import.tree_parent",
            tooltip="Show the folder above this one",
        ),
        Binding("j", "cursor_down", "Down", show=False, id="import.tree_next"),
        Binding("k", "cursor_up", "Up", show=False, id="import.tree_previous"),
    ]

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        keep = REPORT_SUFFIXES | PLAN_SUFFIXES
        return [
            p
            for p in paths
            if not p.name.startswith((".", "~$"))
            and (self._safe_is_dir(p) or p.suffix.lower() in keep)
        ]

    def process_label(self, label: str | Text) -> Text:
        return Text(safe(label.plain if isinstance(label, Text) else label))

    def action_parent(self) -> None:
        current = Path(self.path).expanduser().resolve()
        if current.parent != current:
            self.path = current.parent


class ImportLines(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="import.down"),
        Binding("k", "cursor_up", "Up", show=False, id="import.up"),
    ]


class ImportScreen(Screen[None]):
    """Choose a file or folder, preview what it would create, then import it."""

    DEFAULT_CSS = """
    ImportScreen #import-title { height: 1; padding: 0 1; text-style: bold; }
    ImportScreen #import-path-row { height: 3; }
    ImportScreen #import-path-row > Static { width: 8; padding: 1 0 0 1; }
    ImportScreen #import-path { width: 1fr; }
    ImportScreen #import-options { height: 3; }
    ImportScreen #import-kind { layout: horizontal; height: 3; width: auto; border: round $primary 50%; }
    ImportScreen #import-kind RadioButton { width: auto; }
    ImportScreen #import-update { width: auto; }
    ImportScreen #import-columns { width: 1fr; }
    ImportScreen #import-path-row Button { margin-left: 1; min-width: 12; }
    ImportScreen #import-body { height: 1fr; }
    ImportScreen ImportTree { width: 38; border: round $primary 50%; }
    ImportScreen #import-right { width: 1fr; }
    ImportScreen #import-error { color: $text-error; text-style: bold; padding: 0 1; height: auto; }
    ImportScreen #import-status { padding: 0 1; height: auto; }
    ImportScreen #import-progress { padding: 0 1; height: 1; }
    ImportScreen #import-ours { border: none; height: 1; padding: 0 1; margin: 0; }
    /* The gutter is kept for the scrollbar: the option list measures each wrapped line
       before its scrollbar shows and does not measure again, so words were cut off. */
    ImportScreen ImportLines {
        height: 1fr; border: round $primary 50%; scrollbar-gutter: stable;
    }

    /* Narrower than 100 columns (80x24): the choices one to a line without frames, and
       the picker a few lines tall above the preview, which gets the whole width. */
    ImportScreen.-narrow #import-options { layout: vertical; height: auto; }
    ImportScreen.-narrow #import-kind { border: none; height: 1; width: 100%; }
    ImportScreen.-narrow #import-update { border: none; height: 1; }
    ImportScreen.-narrow #import-columns { width: 100%; }
    ImportScreen.-narrow #import-body { layout: vertical; }
    ImportScreen.-narrow ImportTree { width: 100%; height: 6; }
    """
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="import.back", tooltip="Leave the import screen"),
        Binding(
            "p",
            "preview",
            "Preview",
            id="import.preview",
            tooltip="Show what importing the chosen file or folder would create",
        ),
        Binding(
            "ctrl+s",
            "import",
            "Import",
            id="import.import",
            tooltip="Import the previewed file or folder into the store",
        ),
        Binding(
            "enter",
            "open",
            "Open",
            id="import.open",
            tooltip="Open the highlighted source, action or evidence",
        ),
        Binding(
            "ctrl+t",
            "focus_tree",
            "Files",
            id="import.tree",
            tooltip="Choose a file or folder in the file picker",
        ),
        Binding(
            "ctrl+l",
            "focus_path",
            "Path",
            show=False,
            id="import.path",
            tooltip="Type or paste a path",
        ),
        Binding(
            "ctrl+o",
            "toggle_ours",
            "Ours?",
            show=False,
            id="import.ours",
            tooltip="Import the previewed reports as this council's own, or as another "
            "council's (for search and learning, never in packs or gaps)",
        ),
    ]

    class Progress(Message):
        """Posted from a worker thread: ``done`` of ``total`` files or rows."""

        def __init__(self, verb: str, done: int, total: int, label: str) -> None:
            super().__init__()
            self.verb, self.done, self.total, self.label = verb, done, total, label

    def __init__(self, path: str | None = None) -> None:
        super().__init__()
        self.initial_path = path or ""
        self.shown: Shown | None = None
        self.busy: str | None = None  # "preview" or "import" while a worker runs
        self.lines: list[Line] = []
        self._kind: str | None = None  # the import chosen in the radio set
        # Reports: the lead's own say on whose they are (None: each by its council).
        self._ours: bool | None = None

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(
            "Import Ofsted reports, an improvement plan, or an evidence folder", id="import-title"
        )
        with Horizontal(id="import-path-row"):
            yield Static("Path")
            yield Input(
                value=self.initial_path,
                placeholder="Type or paste a file or folder (~ works); enter previews",
                id="import-path",
            )
            yield Button("Preview (p)", id="import-preview-button")
            yield Button("Import (ctrl+s)", id="import-import-button", variant="primary")
        with Horizontal(id="import-options"):
            with RadioSet(id="import-kind"):
                for kind, (label, _) in KINDS.items():
                    ok = available(kind)
                    yield MarkedRadioButton(
                        label if ok else f"{label} (not available)",
                        id=f"import-kind-{kind}",
                        disabled=not ok,
                    )
            yield MarkedCheckbox(
                "Replace a report stored from another file",
                id="import-update",
                tooltip="A report imported before from a different file is updated in place",
            )
            yield Input(
                placeholder="Columns: owner=Lead officer; due=By when",
                id="import-columns",
                tooltip="Name the plan's columns (field=Header, separated by ;) when the "
                "usual names do not find them",
            )
        with Horizontal(id="import-body"):
            yield ImportTree(self._tree_root(), id="import-tree")
            with Vertical(id="import-right"):
                yield Static(id="import-error")
                yield Static(id="import-status")
                yield ProgressBar(id="import-progress", show_eta=False)
                yield MarkedCheckbox(
                    OURS_LABEL,
                    id="import-ours",
                    tooltip="Ticked: its findings go into packs and gaps. Unticked: another "
                    "council's report, for search and learning only",
                )
                yield ImportLines(id="import-lines")
        yield KeyFooter()

    def _tree_root(self) -> Path:
        path = expand(self.initial_path)
        try:
            if path is not None and path.is_dir():
                return path
            if path is not None and path.parent.is_dir():
                return path.parent
        except OSError:
            pass
        return Path.cwd()

    def on_mount(self) -> None:
        self.query_one("#import-error", Static).display = False
        self.query_one("#import-progress", ProgressBar).display = False
        self.query_one("#import-path", Input).focus()
        self._sync_buttons()
        self._path_changed(self.path_value)

    # ------------------------------------------------------------------ state

    @property
    def path_value(self) -> str:
        return self.query_one("#import-path", Input).value

    def choice(self) -> Choice | None:
        """What is chosen on screen now (None without a path). Raises ImportFailed for a
        Columns box that cannot be read."""
        path = expand(self.path_value)
        if path is None:
            return None
        return Choice(
            path,
            self._kind,
            update=self.query_one("#import-update", Checkbox).value,
            columns=parse_columns(self.query_one("#import-columns", Input).value),
            ours=self._ours,
        )

    def _matches_shown(self) -> bool:
        try:
            choice = self.choice()
        except StoreError:
            return False
        return choice is not None and choice.shown_by(self.shown)

    def _set_error(self, message: str | Text | None) -> None:
        error = self.query_one("#import-error", Static)
        if not message:
            error.display = False
            error.update("")
            return
        text = message if isinstance(message, Text) else Text(safe(message))
        error.update(Text.assemble(("✖ ", "bold"), text))
        error.display = True

    def _set_status(self, text: Text | str) -> None:
        status = text if isinstance(text, Text) else Text(text)
        self.query_one("#import-status", Static).update(status)

    def _show_lines(self, lines: list[Line]) -> None:
        self.lines = lines
        widget = self.query_one("#import-lines", ImportLines)
        widget.set_options(Option(line.text) for line in lines)
        openable = [i for i, line in enumerate(lines) if line.target]
        if lines:
            widget.highlighted = openable[0] if openable else 0

    def _clear(self, hint: str = "") -> None:
        self.shown = None
        self._show_lines([])
        self._set_error(None)
        self._set_status(hint)
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        self.query_one("#import-update", Checkbox).display = self._kind == "reports"
        self._sync_ours()
        self.query_one("#import-columns", Input).display = self._kind == "plan"
        idle = self.busy is None
        self.query_one("#import-preview-button", Button).disabled = not idle
        self.query_one("#import-import-button", Button).disabled = not idle or (
            self.shown is not None and self._matches_shown() and not self.shown.can_import
        )
        self.refresh_bindings()

    def _sync_ours(self) -> None:
        """The "our council's own" box: under a preview of new reports, ticked as decided."""
        box = self.query_one("#import-ours", Checkbox)
        shown = self.shown
        box.display = (
            shown is not None
            and shown.kind == "reports"
            and shown.stage == "preview"
            and shown.can_import
        )
        if box.display and shown is not None:
            ticked = bool(shown.ours) if shown.ours_chosen is None else shown.ours_chosen
            if box.value != ticked:
                with box.prevent(Checkbox.Changed):
                    box.value = ticked

    @on(Checkbox.Changed, "#import-ours")
    def _ours_changed(self, event: Checkbox.Changed) -> None:
        """The lead says whose the report is: show what importing it that way would do.

        (Not disabled while a preview runs, which would take the focus from it: a change
        during an import is undone instead, as the import goes ahead as previewed.)"""
        if self.busy == "import":
            with event.checkbox.prevent(Checkbox.Changed):
                event.checkbox.value = not event.value
            return
        self._ours = event.value
        self.action_preview()

    def action_toggle_ours(self) -> None:
        box = self.query_one("#import-ours", Checkbox)
        if box.display:
            box.toggle()

    # ------------------------------------------------------------------ choosing

    @on(Input.Changed, "#import-path")
    def _typed(self, event: Input.Changed) -> None:
        self._path_changed(event.value)

    def _path_changed(self, value: str) -> None:
        path = expand(value)
        self._ours = None  # another file: whose it is, decided afresh
        self._choice_changed(CHOOSE_HINT if path is None else PREVIEW_HINT)
        if path is not None:
            self._infer(path)

    def _choice_changed(self, hint: str = "") -> None:
        """The path or a setting changed: a preview of something else no longer applies.

        While a worker runs nothing is cleared: its result is checked when it lands.
        """
        if self.busy is None and not self._matches_shown():
            self._clear(hint or PREVIEW_HINT)

    @work(thread=True, exclusive=True, exit_on_error=False, group="infer", name="infer")
    def _infer(self, path: Path) -> tuple[Path, str | None, tuple[str, ...]]:
        return (path, *kinds_for(path))

    def _apply_kinds(self, path: Path, kind: str | None, allowed: tuple[str, ...]) -> None:
        if path != expand(self.path_value) or self.busy == "import":
            return
        for name in KINDS:
            button = self.query_one(f"#import-kind-{name}", RadioButton)
            button.disabled = not available(name) or (bool(allowed) and name not in allowed)
        if self._kind in allowed:
            kind = self._kind  # the user's choice (a folder of evidence, say) stands
        if kind is not None and available(kind):
            self.query_one(f"#import-kind-{kind}", RadioButton).value = True
            self._kind = kind
        self._sync_buttons()

    @on(RadioSet.Changed, "#import-kind")
    def _kind_changed(self, event: RadioSet.Changed) -> None:
        self._kind = (event.pressed.id or "").removeprefix("import-kind-") or None
        self._choice_changed()
        self._sync_buttons()

    @on(Checkbox.Changed, "#import-update")
    def _update_changed(self) -> None:
        self._choice_changed("Preview again to see what replacing would do.")
        self._sync_buttons()

    @on(Input.Changed, "#import-columns")
    def _columns_changed(self) -> None:
        self._choice_changed("Press enter to preview the plan with these columns.")

    @on(DirectoryTree.FileSelected, "#import-tree")
    def _file_picked(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.query_one("#import-path", Input).value = str(event.path)
        self._kind = None  # a new file: its own kind, whatever was chosen before
        self._ours = None
        self.action_preview()

    @on(DirectoryTree.DirectorySelected, "#import-tree")
    def _folder_picked(self, event: DirectoryTree.DirectorySelected) -> None:
        event.stop()
        self._kind = None
        self.query_one("#import-path", Input).value = str(event.path)

    @on(Input.Submitted, "#import-path, #import-columns")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_preview()

    @on(Button.Pressed, "#import-preview-button")
    def _preview_pressed(self) -> None:
        self.action_preview()

    @on(Button.Pressed, "#import-import-button")
    def _import_pressed(self) -> None:
        self.action_import()

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("preview", "import", "focus_tree") and self.busy == "import":
            return False  # starting again mid-import would hide what it did
        if action == "open":
            return any(line.target for line in self.lines)
        return True

    def action_back(self) -> None:
        if self.busy == "import":
            # Kept enabled (so the app's own escape does not pop the screen instead) but
            # refused: the summary of what was stored must be seen.
            self._set_status(Text("Importing… wait for it to finish.", style="bold"))
            return
        leave_unsaved(self.app, "Leave the import?", "Leave", lambda: self.dismiss(None))

    def action_focus_tree(self) -> None:
        self.query_one("#import-tree", ImportTree).focus()

    def action_focus_path(self) -> None:
        self.query_one("#import-path", Input).focus()

    def action_preview(self) -> None:
        """Read the chosen file or folder in a worker and show what importing would do."""
        if self.busy == "import":
            return
        try:
            choice = self.choice()
        except StoreError as error:
            self._set_error(in_screen_words(error.message))
            return
        if choice is None:
            self._set_error("Type or choose a file or folder to import first.")
            return
        self._start("preview")
        self._preview(choice)

    def action_import(self) -> None:
        """Import what the preview showed; without a current preview, preview first."""
        if self.busy is not None:
            return
        if not self._matches_shown() or self.shown is None or self.shown.stage != "preview":
            if self.shown is not None and self.shown.stage == "imported" and self._matches_shown():
                self._set_error("This was just imported. Choose another file or folder.")
                return
            self.action_preview()
            self._set_status("Previewing first: check what it would create, then ctrl+s imports.")
            return
        if not self.shown.can_import:
            self._set_error(self.shown.reason or "Nothing to import.")
            return
        shown = self.shown
        self._start("import")
        self._import(shown)

    def action_open(self) -> None:
        widget = self.query_one("#import-lines", ImportLines)
        if widget.highlighted is not None:
            self._open(widget.highlighted)

    @on(OptionList.OptionSelected, "#import-lines")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open(event.option_index)

    def _open(self, index: int) -> None:
        if 0 <= index < len(self.lines) and self.lines[index].target:
            kind, record_id = self.lines[index].target  # type: ignore[misc]
            self.app.open_record(kind, record_id)  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ workers

    def _start(self, stage: str) -> None:
        self.busy = stage
        self._set_error(None)
        self._set_status("Reading…" if stage == "preview" else "Importing…")
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self._sync_buttons()

    def _progress(self, verb: str) -> ProgressCallback:
        def report(done: int, total: int, label: str) -> None:
            # Runs on the worker thread: post_message is thread-safe. About 100 updates at most.
            if done in (1, total) or done % max(1, total // 100) == 0:
                self.post_message(self.Progress(verb, done, total, label))

        return report

    @on(Progress)
    def _progressed(self, message: Progress) -> None:
        if self.busy is None:
            return
        self.query_one("#import-progress", ProgressBar).update(
            total=message.total, progress=message.done
        )
        self._set_status(
            _line(f"{message.verb} {message.done} of {message.total}: ", (message.label, "bold"))
        )

    def _kind_to_use(self, path: Path, kind: str | None) -> str:
        guessed, allowed = kinds_for(path)
        if kind in allowed:
            return kind  # type: ignore[return-value]
        if guessed is None:
            if not path.exists():
                raise ImportFailed(f"{path} does not exist.")
            raise ImportFailed(
                f"{path.name} cannot be imported: choose a .pdf or .txt report, a .csv or .xlsx "
                "plan, or a folder."
            )
        return guessed

    @work(thread=True, exclusive=True, exit_on_error=False, group="import", name="preview")
    def _preview(self, choice: Choice) -> Shown:
        kind = self._kind_to_use(choice.path, choice.kind)
        store = self.app.store  # type: ignore[attr-defined]
        return run_preview(store, choice, kind, self._progress("Reading"))

    @work(thread=True, exclusive=True, exit_on_error=False, group="import", name="import")
    def _import(self, shown: Shown) -> Shown:
        store = self.app.store  # type: ignore[attr-defined]
        return run_import(store, shown, self._progress("Importing"))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group == "infer":
            if event.state == WorkerState.SUCCESS:
                self._apply_kinds(*worker.result)
            return
        if worker.group != "import" or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        if worker.name == "preview" and self.busy == "import":
            return  # an old preview finishing late must not touch an import under way
        self.busy = None
        self.query_one("#import-progress", ProgressBar).display = False
        if event.state == WorkerState.ERROR:
            self._failed(worker.name or "import", worker.error)
        else:
            self._finished(worker.result)
        self._sync_buttons()

    def _finished(self, shown: Shown) -> None:
        if shown.stage == "preview" and shown.path != expand(self.path_value):
            self._clear(PREVIEW_HINT)  # the path was changed while it was being read
            return
        self.shown = shown
        if shown.kind != self._kind and available(shown.kind):
            self._kind = shown.kind
            self.query_one(f"#import-kind-{shown.kind}", RadioButton).value = True
        self._set_error(None)
        status = shown.status.copy()
        if shown.stage == "preview":
            status.append(
                "  ctrl+s imports." if shown.can_import else "  Nothing will be imported.",
                style="bold" if shown.can_import else "dim",
            )
        self._set_status(status)
        self._show_lines(shown.lines)
        if shown.stage == "imported" and shown.lines:
            self.query_one("#import-lines", ImportLines).focus()  # enter opens what was stored
        else:
            self._keep_choosing()

    def _failed(self, stage: str, error: BaseException | None) -> None:
        self.shown = None
        self._show_lines([])
        if isinstance(error, StoreError):
            message = in_screen_words(error.message)
            self._set_error(message)
            if stage == "import":
                self._set_status("Nothing was stored.")
            elif self._kind == "plan" and "Columns" in message:
                self._set_status(
                    "Name the plan's columns in the Columns box (tab to it), then press enter; "
                    "or choose another file."
                )
            else:
                self._set_status("Choose another file or folder.")
            self._keep_choosing()
            return
        # Not a refusal the store meant: say so, and let the app log it.
        what = "importing" if stage == "import" else "reading the file"
        message = f"Something went wrong while {what} ({type(error).__name__}: {error})."
        self._set_error(message)
        self._set_status("")
        self._keep_choosing()
        self.app.show_error(message)  # type: ignore[attr-defined]

    def _keep_choosing(self) -> None:
        """After a preview or a refusal the lead may try another file: the focus stays in the
        box or picker they chose with, or comes back to the Path box (never on the preview,
        where a typed path would run the app's keys: / searched, q quit)."""
        choosing = ("import-path", "import-columns", "import-tree", "import-ours")
        focused = self.app.focused
        if focused is None or focused.screen is not self or focused.id not in choosing:
            self.query_one("#import-path", Input).focus()

    @property
    def unsaved(self) -> Text | None:
        """What leaving visitprep now would lose, for the app to ask about first: a preview
        that could be imported and is not yet."""
        shown = self.shown
        if shown is None or shown.stage != "preview" or not shown.can_import:
            return None
        if not self._matches_shown():
            return None  # the path or a setting changed since: nothing ready to import
        return Text.assemble(
            "The preview of ",
            (safe(shown.path.name or str(shown.path)), "bold"),
            " is not imported yet (ctrl+s imports it).",
        )
