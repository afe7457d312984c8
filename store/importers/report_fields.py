"""What a parsed report is stored as: its source's fields, each finding's fields, and the
store's name for each theme the reader suggests. Shared by storing a new report
(:mod:`store.importers.report_store`) and replacing a stored one
(:mod:`store.importers.report_replace`)."""

from __future__ import annotations

from typing import TypedDict

from store.database import Store
from store.importers.report_read import ParsedFinding, ParsedReport
from store.themes import list_themes
from store.vocab import DEFAULT_THEMES, GRADES


def source_fields(report: ParsedReport) -> dict[str, object]:
    """The keyword arguments of ``create_source`` (and ``update_source``) for a report,
    but its kind, title and whose it is."""
    return {
        "local_authority": report.local_authority,
        "council_code": report.council_code,
        "framework": report.framework,
        "start_date": report.start_date,
        "end_date": report.end_date,
        "published_date": report.published_date,
        "lead_inspector": report.lead_inspector or "",
        "file_path": str(report.path.resolve()),
        "content_hash": report.content_hash,
        "judgements": [(area, grade) for area, grade in report.judgements if grade in GRADES],
    }


class FindingFields(TypedDict):
    """The keyword arguments of ``create_finding`` for a finding read from a report."""

    title: str
    text: str
    ref: str
    kind: str
    judgement_area: str
    theme: str | None
    source_id: int
    role: str


def finding_fields(finding: ParsedFinding, source_id: int, themes: dict[str, str]) -> FindingFields:
    return {
        "title": finding.title,
        "text": finding.text,
        "ref": finding.ref,
        "kind": finding.kind,
        "judgement_area": finding.judgement_area,
        "theme": themes.get(finding.theme or ""),
        "source_id": source_id,
        "role": finding.role,
    }


def store_themes(store: Store) -> dict[str, str]:
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
