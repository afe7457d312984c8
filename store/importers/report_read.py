"""Read an Ofsted report of a council's children's services (PDF or text) into a
:class:`ParsedReport`, storing nothing: its details, grades and findings, each finding with
its role (:mod:`store.importers.report_structure`). Pure and picklable, so that a folder of
reports can be read in worker processes (:mod:`store.importers.reports`)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from store import titles
from store.errors import ImportFailed
from store.importers.report_details import is_childrens_services_report, read_details
from store.importers.report_findings import RawFinding, find_findings
from store.importers.report_structure import Piece, attach
from store.importers.report_text import read_lines
from store.importers.report_themes import LOW_CONFIDENCE, suggest_theme, theme_confidence
from store.vocab import ASKED, BOARD, DETAIL

REPORT_SUFFIXES = (".pdf", ".txt")
TITLE_LIMIT = 80
# The longest an inspection's dates may span (SIF inspections took four weeks).
MAX_INSPECTION_DAYS = 56


@dataclass(frozen=True)
class ParsedFinding:
    """A finding read from a report: ``theme`` is only a suggestion the user can change."""

    ref: str
    kind: str
    title: str
    text: str
    judgement_area: str = ""
    theme: str | None = None
    # What it is (store.importers.report_structure): a thing asked of the council (""),
    # a marked paragraph's "detail", or the safeguarding "board"'s recommendation.
    role: str = ""
    detail_of: str | None = None  # the ref of the recommendation a detail paragraph supports
    number: int | None = None  # a marked paragraph's number in the report
    # How sure the theme suggestion is (report_themes.theme_confidence), 0 to 1.
    theme_confidence: float = 0.0

    @property
    def theme_to_confirm(self) -> bool:
        """A suggestion the lead should confirm at import (or no suggestion at all)."""
        return self.theme_confidence < LOW_CONFIDENCE


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


def read_report(path: Path) -> ParsedReport:
    """Read an Ofsted children's services report; raise ImportFailed (with a message a user
    understands) for anything else: a web page saved as .pdf, an encrypted or scanned PDF,
    a PDF that is some other document, a council not on the official list."""
    path = Path(path)
    if path.exists() and not path.is_dir() and not path.is_file():  # a pipe, a device
        raise ImportFailed(f"{path.name} is not a regular file (a pipe or a device), so not read.")
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise ImportFailed(f"{path.name} is a folder, not a report file.") from None
    except FileNotFoundError:
        raise ImportFailed(f"{path} does not exist.") from None
    except OSError as error:
        raise ImportFailed(f"{path.name} cannot be read ({error.strerror}).") from None
    return parse_report(path, data)


def parse_report(path: Path, data: bytes) -> ParsedReport:
    """:func:`read_report` of a file's bytes already read (to hash them once)."""
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
    visit = (
        re.search(r"\b(?:monitoring|focused) visit\b", " ".join(lines[:12]), re.IGNORECASE)
        or re.search(  # in its title: a report may mention one it had
            r"\bjoint targeted area inspection\b", " ".join(lines[:4]), re.IGNORECASE
        )
    )
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
    start, end = details.start_date, details.end_date
    if end is not None and (end < start or (end - start).days > MAX_INSPECTION_DAYS):
        # An inspection takes days or a few weeks: dates that say otherwise were misread.
        raise ImportFailed(
            f"{path.name} looks like an Ofsted report, but its inspection dates read as "
            f"{start:%d %B %Y} to {end:%d %B %Y}, which cannot be right, so it was not imported."
        )
    if not details.council_code:
        named = details.local_authority or "no council"
        raise ImportFailed(
            f"{path.name} names '{named}', which is not a council on the official list of "
            "English councils with children's services, so it was not imported."
        )
    findings = _number(find_findings(lines))
    if not any(f.role == ASKED for f in findings):
        # Every inspection report lists what the council must improve: none read means a
        # layout this version does not understand, and a report without them would mislead.
        raise ImportFailed(
            f"{path.name} reads like an Ofsted report on {details.local_authority}, but its "
            "list of what must improve could not be read (its layout is not one this version "
            "understands), so it was not imported."
        )
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
    board's, P<paragraph> for a marked body paragraph; and its role, a marked paragraph
    attached to the recommendation it supports (:func:`report_structure.attach`)."""
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
        role = {"council": ASKED, "board": BOARD}.get(finding.group, DETAIL)
        theme = suggest_theme(finding.text, judgement_area=finding.judgement_area)
        out.append(
            ParsedFinding(
                ref=ref,
                kind=finding.kind,
                title=short_title(finding.text),
                text=finding.text,
                judgement_area=finding.judgement_area,
                theme=theme,
                theme_confidence=theme_confidence(finding.text, theme, finding.judgement_area),
                role=role,
                number=finding.number if role == DETAIL else None,
            )
        )
    return _attached(out)


def _attached(findings: list[ParsedFinding]) -> list[ParsedFinding]:
    def piece(f: ParsedFinding) -> Piece:
        return Piece(f.ref, f.text, f.judgement_area, f.number)

    links = attach(
        [piece(f) for f in findings if f.role == ASKED],
        [piece(f) for f in findings if f.role == DETAIL],
        [piece(f) for f in findings if f.role == BOARD],
    )
    return [replace(f, detail_of=links.get(f.ref)) if f.role == DETAIL else f for f in findings]


def short_title(text: str, limit: int = TITLE_LIMIT) -> str:
    """A short title from a finding's text (one rule with the plan's: ``store.titles``)."""
    return titles.short_title(text, limit)
