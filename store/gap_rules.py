"""The gap rules for one record: what makes a finding, an action or an evidence item a gap.

``store.gaps`` counts and lists them over the store, ``store.pack`` over a visit's pack;
both read these rules, so a gap means the same on the dashboard, in the pack and in
``visitprep gaps``.
"""

from __future__ import annotations

from datetime import date

from store.dates import format_date
from store.evidence import is_missing, is_stale
from store.overdue import is_overdue
from store.records import Action, Evidence, Finding, Gap
from store.vocab import DEFAULT_STALE_DAYS, NEEDS_ACTION_KINDS, NEEDS_ACTION_STATUSES


def finding_gap(finding: Finding) -> Gap:
    return Gap("no_action", "finding", finding.id, finding.ref, finding.title,
               "No action answers this finding yet.")  # fmt: skip


def action_gaps(action: Action, today: date) -> list[Gap]:
    """An action's gaps: no evidence, and overdue (past due and not Blue) at ``today``."""
    gaps = []
    if action.evidence_count == 0:
        gaps.append(Gap("no_evidence", "action", action.id, action.ref, action.title,
                        "No evidence shows this action's progress or impact."))  # fmt: skip
    if action.overdue or is_overdue(action.due_date, action.brag, today):
        days = (today - action.due_date).days if action.due_date else 0
        gaps.append(Gap("overdue", "action", action.id, action.ref, action.title,
                        f"Due {format_date(action.due_date)}, {days} days ago, and not complete ({action.brag.title()})."))  # fmt: skip
    return gaps


def evidence_gaps(evidence: Evidence, on: date, stale_days: int = DEFAULT_STALE_DAYS) -> list[Gap]:
    """An evidence item's gaps at date ``on`` (the visit, or today): out of date, file missing."""
    gaps = []
    if is_stale(evidence.as_of, evidence.review_by, on, stale_days):
        if evidence.review_by and evidence.review_by < on:
            detail = f"Review was due by {format_date(evidence.review_by)}."
        else:
            detail = (
                f"Dated {format_date(evidence.as_of)}: more than {stale_days} days old "
                f"by {format_date(on)}."
            )
        gaps.append(Gap("stale", "evidence", evidence.id, "", evidence.title, detail))
    if is_missing(evidence):
        if evidence.missing_since:
            detail = (
                "The file was not found by the folder scan of "
                f"{format_date(evidence.missing_since)}."
            )
        else:
            detail = f"The file {evidence.location} does not exist."
        gaps.append(Gap("missing", "evidence", evidence.id, "", evidence.title, detail))
    return gaps


def needs_action(finding: Finding) -> bool:
    """Whether a finding with no action is a gap: the council's own, open or improving, and
    not a strength (another council's finding is never one)."""
    return (
        finding.ours
        and finding.asked
        and finding.status in NEEDS_ACTION_STATUSES
        and finding.kind in NEEDS_ACTION_KINDS
    )
