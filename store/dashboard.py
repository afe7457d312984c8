"""The numbers on the first screen, each of which opens the list behind it."""

from __future__ import annotations

from store.actions import brag_counts, count_actions
from store.database import Store
from store.evidence import count_evidence
from store.findings import count_findings
from store.gaps import gap_counts
from store.records import Dashboard
from store.visits import next_visit


def dashboard(
    store: Store, due_soon_days: int = 14, *, with_pack: bool = True, check_files: bool = True
) -> Dashboard:
    """BRAG counts, overdue and due-soon actions, gap counts and the next visit's readiness.

    Building the next visit's pack is the slowest part on a big store: ``with_pack=False``
    leaves its readiness at 0/0 so a screen can show the counts first and ask for the pack
    (``build_pack``) after. Likewise ``check_files=False`` looks for no evidence file on
    disk: ``gap_counts["missing"]`` then counts only what a folder scan marked, and
    ``store.gaps.count_missing_evidence`` gives the full count after.
    """
    from store.pack import build_pack

    visit = next_visit(store)
    ready = needed = 0
    if visit is not None and with_pack:
        pack = build_pack(store, visit.id)
        ready, needed = pack.evidence_ready, pack.evidence_needed
    return Dashboard(
        today=store.today,
        brag_counts=brag_counts(store),
        overdue=count_actions(store, overdue=True),
        due_soon=count_actions(store, due_within=due_soon_days),
        due_soon_days=due_soon_days,
        gap_counts=gap_counts(store, check_files=check_files),
        finding_count=count_findings(store),
        action_count=count_actions(store),
        evidence_count=count_evidence(store),
        next_visit=visit,
        next_visit_ready=ready,
        next_visit_needed=needed,
    )
