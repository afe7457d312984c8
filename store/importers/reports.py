"""Import published Ofsted reports of a council's children's services (PDF or text).

``read_report`` parses one file without storing anything (for a preview);
``import_reports`` stores files and folders of them, one transaction per report, so a bad
file never stops the others and never leaves half of itself behind.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal, TypedDict

from store.database import Store
from store.errors import ImportFailed, StoreError
from store.findings import create_finding, delete_finding, list_findings, update_finding
from store.importers.report_details import is_childrens_services_report, read_details
from store.importers.report_findings import RawFinding, find_findings
from store.importers.report_text import read_lines
from store.importers.report_themes import suggest_theme
from store.records import Finding, Source
from store.sources import create_source, find_source_by_hash, list_sources, update_source
from store.team import note_history
from store.themes import list_themes
from store.vocab import DEFAULT_THEMES, GRADES

REPORT_SUFFIXES = (".pdf", ".txt")
TITLE_LIMIT = 80


@dataclass(frozen=True)
class ParsedFinding:
    """A finding read from a report: ``theme`` is only a suggestion the user can change."""

    ref: str
    kind: str
    title: str
    text: str
    judgement_area: str = ""
    theme: str | None = None


@dataclass(frozen=True)
class ParsedReport:
    """Everything read from one report file, before it is stored."""

    path: Path
    content_hash: str
    local_authority: str  # the council's name on the official list (store.councils)
    council_code: str  # its ONS code
    framework: str
    kind: str
    title: str
    start_date: date | None
    end_date: date | None
    published_date: date | None
    lead_inspector: str | None
    judgements: list[tuple[str, str]] = field(default_factory=list)
    findings: list[ParsedFinding] = field(default_factory=list)


Status = Literal["imported", "unchanged", "updated", "changed", "refused"]


@dataclass(frozen=True)
class ReportOutcome:
    """What happened to one file of an import. ``ours``: stored as this council's own
    report (``False``: another council's, for search and learning); ``None`` when refused."""

    path: Path
    status: Status
    source_id: int | None
    findings: int
    message: str
    ours: bool | None = None
    local_authority: str = ""
    whose: str = ""  # how it was stored, as it is said in ``message`` (see :func:`whose`)


# --- whose report ---------------------------------------------------------------------------


def council_key(name: str) -> str:
    """A local authority as :func:`own_councils` holds it (any case or spacing)."""
    return " ".join(name.split()).lower()


def own_councils(store: Store) -> set[str]:
    """The local authorities of this council's own sources (lowercased), for :func:`is_ours`."""
    return {
        council_key(source.local_authority)
        for source in list_sources(store, ours=True)
        if source.local_authority.strip()
    }


def is_ours(local_authority: str, own: set[str]) -> bool:
    """Whether a report is this council's own: its local authority is that of one of our own
    sources, or no own source names a local authority yet (the first report is the
    council's own). Otherwise it is another council's, imported to learn from."""
    return not own or council_key(local_authority) in own


def whose(ours: bool, *, hint: bool = True) -> str:
    """How a report is stored, said plainly ("as another council's report, for search and
    learning: not in packs or gaps"), with how to change it when ``hint`` (``--ours`` and
    ``--other``; a screen says it in its own words)."""
    if ours:
        return "as this council's own report" + (
            " (use --other if it is another council's)" if hint else ""
        )
    return "as another council's report, for search and learning: not in packs or gaps" + (
        " (use --ours if it is yours)" if hint else ""
    )


def read_report(path: Path) -> ParsedReport:
    """Read an Ofsted children's services report; raise ImportFailed (with a message a user
    understands) for anything else: a web page saved as .pdf, an encrypted or scanned PDF,
    a PDF that is some other document."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise ImportFailed(f"{path.name} is a folder, not a report file.") from None
    except FileNotFoundError:
        raise ImportFailed(f"{path} does not exist.") from None
    except OSError as error:
        raise ImportFailed(f"{path.name} cannot be read ({error.strerror}).") from None
    if path.suffix.lower() not in REPORT_SUFFIXES:
        raise ImportFailed(f"{path.name} is not a report: choose a .pdf or .txt file.")
    lines = [line.text for line in read_lines(path, data)]
    try:
        return _parse(path, data, lines)
    except ImportFailed:
        raise
    except Exception as error:  # an unforeseen layout must not crash a whole import
        raise ImportFailed(
            f"{path.name} could not be read as an Ofsted report: its layout is not one this "
            f"version understands ({type(error).__name__}). Nothing was imported."
        ) from error


def _parse(path: Path, data: bytes, lines: list[str]) -> ParsedReport:
    visit = re.search(r"\b(monitoring|focused) visit\b", " ".join(lines[:12]), re.IGNORECASE)
    if visit:
        raise ImportFailed(
            f"{path.name} is the letter from an Ofsted {visit.group(0).lower()}, not an "
            "inspection report; only inspection reports can be imported."
        )
    if not is_childrens_services_report(lines):
        raise ImportFailed(
            f"{path.name} is not an Ofsted report of a council's children's services "
            "inspection (its first page does not read like one)."
        )
    details = read_details(lines)
    if not details.local_authority or details.start_date is None:
        raise ImportFailed(
            f"{path.name} looks like an Ofsted report, but its council or inspection dates "
            "could not be read, so it was not imported."
        )
    if not details.council_code:
        named = details.local_authority or "no council"
        raise ImportFailed(
            f"{path.name} names '{named}', which is not a council on the official list of "
            "English councils with children's services, so it was not imported."
        )
    findings = _number(find_findings(lines))
    return ParsedReport(
        path=path,
        content_hash=hashlib.sha256(data).hexdigest(),
        local_authority=details.local_authority,
        council_code=details.council_code,
        framework=details.framework,
        kind=details.kind,
        title=details.title,
        start_date=details.start_date,
        end_date=details.end_date,
        published_date=details.published_date,
        lead_inspector=details.lead_inspector,
        judgements=details.judgements,
        findings=findings,
    )


def _number(raw: list[RawFinding]) -> list[ParsedFinding]:
    """Give each finding its ref: R1.. for the council's list, B1.. for the safeguarding
    board's, P<paragraph> for a marked body paragraph."""
    counters = {"council": 0, "board": 0}
    used: set[str] = set()
    out: list[ParsedFinding] = []
    for finding in raw:
        if finding.group in counters:
            counters[finding.group] += 1
            ref = ("R" if finding.group == "council" else "B") + str(counters[finding.group])
        else:
            ref = f"P{finding.number}" if finding.number is not None else "P"
        base, n = ref, 1
        while ref in used:
            n += 1
            ref = f"{base}-{n}"
        used.add(ref)
        out.append(
            ParsedFinding(
                ref=ref,
                kind=finding.kind,
                title=short_title(finding.text),
                text=finding.text,
                judgement_area=finding.judgement_area,
                theme=suggest_theme(finding.text, judgement_area=finding.judgement_area),
            )
        )
    return out


def short_title(text: str, limit: int = TITLE_LIMIT) -> str:
    """A short title from a finding's text: its first clause, whole words, at most ``limit``."""
    flat = " ".join(text.replace("\n–", ";").split())
    sentence = re.split(r"(?<=[a-z)])\.\s", flat, maxsplit=1)[0].rstrip(".;: ")
    if len(sentence) <= limit:
        title = sentence
    else:
        cut = sentence[: limit + 1]
        clauses = [m.start() for m in re.finditer(r"[,;:(]| – | - ", cut) if m.start() >= 40]
        if clauses:
            title = cut[: clauses[-1]].rstrip(" ,;:(")
        else:
            title = cut.rsplit(" ", 1)[0].rstrip(" ,;:(") + "…"
    title = title or flat[:limit]
    return title[:1].upper() + title[1:]


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files to import: each file as given, each folder's .pdf and .txt files sorted by name."""
    out: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            out.extend(
                sorted(
                    (p for p in path.iterdir() if p.suffix.lower() in REPORT_SUFFIXES),
                    key=lambda p: p.name.lower(),
                )
            )
        else:
            out.append(path)
    return out


def import_reports(
    store: Store,
    paths: Iterable[Path],
    *,
    update: bool = False,
    ours: bool | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[ReportOutcome]:
    """Import reports (files or folders). Each report is one transaction: a file that cannot
    be read is refused with its reason and the others carry on. A file imported before (same
    content) is left alone; a changed copy of a report already stored is only replaced with
    ``update=True``.

    Each new report is stored as this council's own or another council's by :func:`is_ours`
    (say which in the outcome's message), unless ``ours`` says so for all of them. Given
    for a report stored before, ``ours`` moves it across."""
    files = expand_paths(paths)
    outcomes: list[ReportOutcome] = []
    for number, path in enumerate(files, start=1):
        if progress is not None:
            progress(number, len(files), path.name)
        try:
            report = read_report(path)
            outcomes.append(_store_report(store, report, update=update, ours=ours))
        except StoreError as error:
            outcomes.append(ReportOutcome(path, "refused", None, 0, error.message))
    return outcomes


def _same_inspection(store: Store, report: ParsedReport) -> Source | None:
    for source in list_sources(store):
        if (
            source.local_authority.lower() == report.local_authority.lower()
            and source.framework == report.framework
            and source.start_date == report.start_date
        ):
            return source
    return None


def _source_fields(report: ParsedReport) -> dict[str, object]:
    return {
        "local_authority": report.local_authority,
        "framework": report.framework,
        "start_date": report.start_date,
        "end_date": report.end_date,
        "published_date": report.published_date,
        "lead_inspector": report.lead_inspector or "",
        "file_path": str(report.path.resolve()),
        "content_hash": report.content_hash,
        "judgements": [(area, grade) for area, grade in report.judgements if grade in GRADES],
    }


class _FindingFields(TypedDict):
    """The keyword arguments of ``create_finding`` for a finding read from a report."""

    title: str
    text: str
    ref: str
    kind: str
    judgement_area: str
    theme: str | None
    source_id: int


def _finding_fields(
    finding: ParsedFinding, source_id: int, themes: dict[str, str]
) -> _FindingFields:
    return {
        "title": finding.title,
        "text": finding.text,
        "ref": finding.ref,
        "kind": finding.kind,
        "judgement_area": finding.judgement_area,
        "theme": themes.get(finding.theme or ""),
        "source_id": source_id,
    }


def _store_themes(store: Store) -> dict[str, str]:
    """Each suggestable theme's name in this store. A seeded theme the council has renamed
    keeps its place in the list, so a suggestion follows it to its new name; one that is
    nowhere to be found is left for the user to choose."""
    themes = list_themes(store)
    by_name = {theme.name.lower(): theme.name for theme in themes}
    by_position = {theme.position: theme.name for theme in themes}
    out: dict[str, str] = {}
    for position, name in enumerate(DEFAULT_THEMES):
        found = by_name.get(name.lower())
        if found is None and by_position.get(position, "").lower() not in {
            n.lower() for n in DEFAULT_THEMES
        }:
            found = by_position.get(position)
        if found:
            out[name] = found
    return out


def _store_report(
    store: Store, report: ParsedReport, *, update: bool, ours: bool | None = None
) -> ReportOutcome:
    name = report.path.name
    count = len(report.findings)
    council = report.local_authority
    same = find_source_by_hash(store, report.content_hash)
    if same is not None:
        if ours is not None and ours != same.ours:
            update_source(store, same.id, ours=ours)
            return ReportOutcome(
                report.path, "updated", same.id, same.finding_count,
                f"{name}: already imported as '{same.title}'; now marked "
                + whose(ours, hint=False) + ".",
                ours, council,
            )  # fmt: skip
        return ReportOutcome(
            report.path, "unchanged", same.id, same.finding_count,
            f"{name}: already imported as '{same.title}'; nothing changed."
            + ("" if same.ours else " It is another council's report (--ours makes it yours)."),
            same.ours, council,
        )  # fmt: skip
    earlier = _same_inspection(store, report)
    if earlier is not None and not update:
        return ReportOutcome(
            report.path, "changed", earlier.id, earlier.finding_count,
            f"{name}: '{earlier.title}' was imported before from a different file. "
            "Repeat with --update to replace its details and findings.",
            earlier.ours, council,
        )  # fmt: skip
    if earlier is not None:
        return _update_report(store, report, earlier, ours=ours)
    mine = ours if ours is not None else is_ours(council, own_councils(store))
    stored_as = whose(mine, hint=ours is None)
    themes = _store_themes(store)
    with store.batch():
        source = create_source(store, kind=report.kind, title=report.title, ours=mine,
                               **_source_fields(report))  # fmt: skip
        for finding in report.findings:
            create_finding(store, **_finding_fields(finding, source.id, themes))
        # One history entry names the file; the records it made have their own.
        note_history(store, "import", "source", source.id, detail=f"report {report.path.name}")
    return ReportOutcome(
        report.path, "imported", source.id, count,
        f"{name}: imported '{report.title}' with {_plural(count, 'finding')} {stored_as}."
        + _unkept_grades(report)
        + (
            ""
            if count
            else " No list of findings was found in it: check the report and add any by hand."
        ),
        mine, council, stored_as,
    )  # fmt: skip


def _update_report(
    store: Store, report: ParsedReport, earlier: Source, *, ours: bool | None = None
) -> ReportOutcome:
    """Bring a stored report up to date with a changed copy of it.

    A stored finding is kept (with its links, theme and status) when the new copy has the same
    words (its ref follows the new numbering) or the same ref with corrected words (the text
    and title are updated); stored findings with neither are removed, with their links."""
    stored = list_findings(store, source_id=earlier.id)
    by_text = {_words(f.text): f for f in stored}
    by_ref = {f.ref: f for f in stored}
    matches: list[tuple[ParsedFinding, Finding | None]] = []
    used: set[int] = set()
    for finding in report.findings:
        same = by_text.get(_words(finding.text))
        if same is not None and same.id not in used:
            used.add(same.id)
            matches.append((finding, same))
        else:
            matches.append((finding, None))
    for index, (finding, same) in enumerate(matches):
        candidate = by_ref.get(finding.ref)
        if same is None and candidate is not None and candidate.id not in used:
            used.add(candidate.id)
            matches[index] = (finding, candidate)
    gone = [f for f in stored if f.id not in used]
    kept = sum(1 for f, old in matches if old is not None and _words(old.text) == _words(f.text))
    reworded = sum(1 for f, old in matches if old is not None) - kept
    added = sum(1 for _, old in matches if old is None)
    lost_links = sum(f.action_count + f.evidence_count for f in gone)
    themes = _store_themes(store)
    with store.batch():
        note_history(
            store, "import", "source", earlier.id, detail=f"report {report.path.name} (updated)"
        )
        moved = {} if ours is None else {"ours": ours}
        update_source(store, earlier.id, title=report.title, **moved, **_source_fields(report))
        for finding_gone in gone:
            delete_finding(store, finding_gone.id, cascade=True)
        # Refs are unique within a source: park the kept ones first, so that renumbering
        # (R4 becoming R3) never collides on the way.
        for _, old in matches:
            if old is not None:
                update_finding(store, old.id, ref=f"~{old.id}")
        for finding, old in matches:
            if old is None:
                create_finding(store, **_finding_fields(finding, earlier.id, themes))
            elif _words(old.text) == _words(finding.text):
                update_finding(store, old.id, ref=finding.ref, kind=finding.kind)
            else:
                update_finding(
                    store, old.id, ref=finding.ref, kind=finding.kind, text=finding.text,
                    title=finding.title, judgement_area=finding.judgement_area,
                )  # fmt: skip
    parts = [f"kept {_plural(kept, 'finding')} as they were, with their links"]
    if reworded:
        parts.append(f"updated the words of {reworded} (links kept)")
    if added:
        parts.append(f"added {added}")
    if gone:
        dropped = f" and their {_plural(lost_links, 'link')}" if lost_links else ""
        parts.append(f"removed {len(gone)} no longer in the report{dropped}")
    mine = earlier.ours if ours is None else ours
    if ours is not None and ours != earlier.ours:
        parts.append("marked " + whose(ours, hint=False))
    return ReportOutcome(
        report.path, "updated", earlier.id, len(report.findings),
        f"{report.path.name}: updated '{report.title}': " + "; ".join(parts) + ".",
        mine, report.local_authority,
    )  # fmt: skip


def _words(text: str) -> str:
    return " ".join(text.split())


def _unkept_grades(report: ParsedReport) -> str:
    """A note on judgements graded on the scale used before 2013 ("adequate"), which the
    store's four grades cannot hold."""
    old = [f"{area} ({grade})" for area, grade in report.judgements if grade not in GRADES]
    if not old:
        return ""
    return " Not kept, as the grade is not on today's scale: " + "; ".join(old) + "."


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
