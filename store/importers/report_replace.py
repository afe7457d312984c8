"""Replacing a stored report with a changed copy of it (an import with ``update=True``):
what the lead made of the old findings is kept wherever the new copy still has them."""

from __future__ import annotations

from store.database import Store
from store.findings import add_findings, delete_finding, list_findings, update_finding
from store.importers.report_fields import finding_fields, source_fields
from store.importers.report_outcome import ReportOutcome
from store.importers.report_read import ParsedFinding, ParsedReport
from store.importers.report_whose import whose
from store.records import Finding, Source
from store.sources import update_source
from store.team import note_history
from store.vocab import DETAIL
from store.wording import plural as _plural


def update_report(
    store: Store,
    report: ParsedReport,
    earlier: Source,
    *,
    ours: bool | None = None,
    themes: dict[str, str],
) -> ReportOutcome:
    """Bring a stored report up to date with a changed copy of it (in the caller's
    transaction).

    A stored finding is kept (with its links, theme, status and, for the board's, the
    lead's adoption) when the new copy has the same words (its ref follows the new
    numbering) or the same ref with corrected words (the text and title are updated);
    stored findings with neither are removed, with their links. Detail paragraphs are
    attached again by the import's rule."""
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
    note_history(
        store, "import", "source", earlier.id, detail=f"report {report.path.name} (updated)"
    )
    moved = {} if ours is None else {"ours": ours}
    update_source(store, earlier.id, title=report.title, **moved, **source_fields(report))
    for finding_gone in gone:
        delete_finding(store, finding_gone.id, cascade=True)
    # Refs are unique within a source: park the kept ones first, so that renumbering
    # (R4 becoming R3) never collides on the way.
    for _, old in matches:
        if old is not None:
            update_finding(store, old.id, ref=f"~{old.id}")
    ids: dict[str, int] = {}
    new = [finding for finding, old in matches if old is None]
    for finding, old in matches:
        if old is None:
            continue
        ids[finding.ref] = old.id
        if _words(old.text) == _words(finding.text):
            update_finding(store, old.id, ref=finding.ref, kind=finding.kind, role=finding.role)
        else:
            update_finding(
                store, old.id, ref=finding.ref, kind=finding.kind, text=finding.text,
                title=finding.title, judgement_area=finding.judgement_area, role=finding.role,
            )  # fmt: skip
    rows = [dict(finding_fields(f, earlier.id, themes)) for f in new]
    ids.update(zip((f.ref for f in new), add_findings(store, rows), strict=True))
    for finding in report.findings:
        if finding.role == DETAIL:
            update_finding(store, ids[finding.ref], detail_of=ids.get(finding.detail_of or ""))
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
        parts.append("marked " + str(whose(ours, hint=False)))
    return ReportOutcome(
        report.path, "updated", earlier.id, len(report.findings),
        f"{report.path.name}: updated '{report.title}': " + "; ".join(parts) + ".",
        mine, report.local_authority,
    )  # fmt: skip


def _words(text: str) -> str:
    return " ".join(text.split())
