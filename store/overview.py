"""The numbers on the first screen, each of which opens the list behind it."""

from __future__ import annotations

from store.actions import count_actions_query
from store.database import Store
from store.evidence import count_evidence_query
from store.findings import count_findings_query
from store.gaps import (
    GAP_KINDS,
    count_at_once,
    count_missing_evidence,
    gap_count_queries,
    marked_missing_query,
)
from store.records import Dashboard
from store.visits import next_visit
from store.vocab import BRAG


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
    # Every number in one statement (each count keeps its own index): see count_at_once.
    with store.reading() as session:
        queries = {
            "findings": count_findings_query(session),
            "actions": count_actions_query(store, session),
            "evidence": count_evidence_query(store),
            "due_soon": count_actions_query(store, session, due_within=due_soon_days),
            **{f"brag_{b}": count_actions_query(store, session, brag=b) for b in BRAG},
            **{f"gap_{kind}": q for kind, q in gap_count_queries(store, session).items()},
        }
        if not check_files:
            queries["gap_missing"] = marked_missing_query()
        counts = count_at_once(session, queries)
    if check_files:
        counts["gap_missing"] = count_missing_evidence(store)
    return Dashboard(
        today=store.today,
        brag_counts={b: counts[f"brag_{b}"] for b in BRAG},
        overdue=counts["gap_overdue"],  # an overdue action is a gap: the same count
        due_soon=counts["due_soon"],
        due_soon_days=due_soon_days,
        gap_counts={kind: counts[f"gap_{kind}"] for kind in GAP_KINDS},
        finding_count=counts["findings"],
        action_count=counts["actions"],
        evidence_count=counts["evidence"],
        next_visit=visit,
        next_visit_ready=ready,
        next_visit_needed=needed,
    )
