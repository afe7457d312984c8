"""A visit's evidence pack: the findings in its focus, their actions and evidence, ticks and gaps."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import NamedTuple

from sqlalchemy import select
from sqlmodel import col

from store import actions as action_queries
from store import evidence as evidence_queries
from store import findings as finding_queries
from store._common import fetch
from store.collector import collector_paused
from store.database import Store
from store.findings import asked_clause, ours_clause
from store.gap_rules import action_gaps, evidence_gaps, finding_gap, needs_action
from store.models import (
    ActionEvidenceLink,
    ActionRow,
    ActionUpdateRow,
    EvidenceRow,
    FindingActionLink,
    FindingEvidenceLink,
    FindingRow,
    ThemeRow,
    VisitEvidenceRow,
    VisitFindingRow,
    VisitRow,
    VisitThemeLink,
)
from store.records import (
    ActionUpdate,
    Evidence,
    Finding,
    Gap,
    Pack,
    PackAction,
    PackEvidence,
    PackFinding,
    PackTheme,
)
from store.refs import ref_key
from store.settings import stale_days as chosen_age
from store.visits import get_visit
from store.vocab import BRAG, GAP_KINDS

NO_THEME = "No theme"


class PackReadiness(NamedTuple):
    """A pack's numbers as the dashboard shows them."""

    gaps: int
    evidence_ready: int
    evidence_needed: int


def pack_readiness(store: Store, visit_id: int) -> PackReadiness:
    """How ready a visit's pack is, without keeping the pack.

    The pack is dropped before the cycle collector runs again, so on a big store nothing
    of it is left for a collection to walk (20 ms of every thread's time at 100,000
    records if it were still alive then).
    """
    with collector_paused():
        pack = build_pack(store, visit_id)
        numbers = PackReadiness(len(pack.gaps), pack.evidence_ready, pack.evidence_needed)
        del pack
    return numbers


def judged_at(visit_start: date, today: date) -> date:
    """The date a visit's pack is judged at: today for a visit to come, and for one that has
    started, its own start date (an action due after that visit was not overdue at it)."""
    return min(visit_start, today)


@collector_paused()  # thousands of records read in a worker: no full collection meanwhile
def build_pack(store: Store, visit_id: int, *, stale_days: int | None = None) -> Pack:
    """Everything a lead needs for one visit, grouped by theme in the theme list's order.

    In scope: this council's own findings in the visit's focus themes, plus those added by
    hand, less those dropped by hand. Other councils' findings (imported to learn from) are
    never in a pack, whatever their theme. Every focus theme is in ``themes``, one with no
    finding in scope with none (``PackTheme(name, ())``). Evidence is judged stale at the visit's start
    date, by the store's chosen age unless ``stale_days`` is given; overdue at
    :func:`judged_at`: today, or a past visit's own start date.
    """
    visit = get_visit(store, visit_id)
    today = judged_at(visit.start_date, store.today)
    stale_days = chosen_age(store) if stale_days is None else stale_days
    with store.reading() as session:
        fetch(session, VisitRow, visit_id, "visit")
        theme_ids = set(
            session.scalars(
                select(col(VisitThemeLink.theme_id)).where(col(VisitThemeLink.visit_id) == visit.id)
            )
        )
        manual: dict[int, bool] = dict(
            session.execute(
                select(col(VisitFindingRow.finding_id), col(VisitFindingRow.included)).where(
                    col(VisitFindingRow.visit_id) == visit.id
                )
            ).all()
        )
        in_theme = (
            set(
                session.scalars(
                    select(col(FindingRow.id)).where(
                        col(FindingRow.theme_id).in_(theme_ids), ours_clause(True), asked_clause()
                    )
                )
            )
            if theme_ids
            else set()
        )
        # Chosen by hand before its report was marked another council's: the choice is
        # kept (it counts again if the report is marked ours again) but not used.
        theirs = (
            set(
                session.scalars(
                    select(col(FindingRow.id)).where(
                        col(FindingRow.id).in_(list(manual)), ours_clause(False)
                    )
                )
            )
            if manual
            else set()
        )
        scope = (
            (in_theme | {f for f, inc in manual.items() if inc})
            - {f for f, inc in manual.items() if not inc}
            - theirs
        )
        dropped_ids = {f for f, inc in manual.items() if not inc} - theirs

        findings = [
            finding_queries.finding_from_row(*r)
            for r in session.execute(
                finding_queries.finding_select().where(col(FindingRow.id).in_(scope | dropped_ids))
            )
        ]
        # The report's paragraphs behind each finding in the pack: context, never items.
        details_of: dict[int, list[Finding]] = defaultdict(list)
        for r in session.execute(
            finding_queries.finding_select()
            .where(col(FindingRow.detail_of).in_(scope))
            .order_by(col(FindingRow.id))
        ):
            detail = finding_queries.finding_from_row(*r)
            details_of[detail.detail_of or 0].append(detail)
        fa = session.execute(
            select(col(FindingActionLink.finding_id), col(FindingActionLink.action_id)).where(
                col(FindingActionLink.finding_id).in_(scope)
            )
        ).all()
        action_ids = {a for _, a in fa}
        actions = {
            r[0].id: action_queries.action_record(today, *r)
            for r in session.execute(
                action_queries.action_select().where(col(ActionRow.id).in_(action_ids))
            )
        }
        # Each action's newest update: read oldest first (plain columns, no ORM objects: a
        # big pack has thousands), the last one per action wins; an undated note reads as
        # older than every dated one, so it is the latest only when none is dated.
        latest: dict[int, ActionUpdate] = {
            row.action_id: ActionUpdate(**row._mapping)
            for row in session.execute(
                select(
                    col(ActionUpdateRow.id),
                    col(ActionUpdateRow.action_id),
                    col(ActionUpdateRow.on_date),
                    col(ActionUpdateRow.brag),
                    col(ActionUpdateRow.note),
                    col(ActionUpdateRow.author),
                )
                .where(col(ActionUpdateRow.action_id).in_(action_ids))
                .order_by(*action_queries.UPDATE_ORDER)
            )
        }
        ae = session.execute(
            select(col(ActionEvidenceLink.action_id), col(ActionEvidenceLink.evidence_id)).where(
                col(ActionEvidenceLink.action_id).in_(action_ids)
            )
        ).all()
        fe = session.execute(
            select(col(FindingEvidenceLink.finding_id), col(FindingEvidenceLink.evidence_id)).where(
                col(FindingEvidenceLink.finding_id).in_(scope)
            )
        ).all()
        evidence_ids = {e for _, e in ae} | {e for _, e in fe}
        evidence = {
            r[0].id: evidence_queries.evidence_from_row(*r, judged=(today, stale_days))
            for r in session.execute(
                evidence_queries.evidence_select().where(col(EvidenceRow.id).in_(evidence_ids))
            )
        }
        ready = set(
            session.scalars(
                select(col(VisitEvidenceRow.evidence_id)).where(
                    col(VisitEvidenceRow.visit_id) == visit.id, col(VisitEvidenceRow.ready)
                )
            )
        )
        positions: dict[str, int] = dict(
            session.execute(select(col(ThemeRow.name), col(ThemeRow.position))).all()
        )
        focus_names = (
            list(session.scalars(select(col(ThemeRow.name)).where(col(ThemeRow.id).in_(theme_ids))))
            if theme_ids
            else []
        )

    actions_of: dict[int, list[int]] = defaultdict(list)
    for finding_id, action_id in fa:
        actions_of[finding_id].append(action_id)
    evidence_of_action: dict[int, list[int]] = defaultdict(list)
    for action_id, evidence_id in ae:
        evidence_of_action[action_id].append(evidence_id)
    evidence_of_finding: dict[int, list[int]] = defaultdict(list)
    for finding_id, evidence_id in fe:
        evidence_of_finding[finding_id].append(evidence_id)

    judged_on = visit.start_date

    def pack_evidence(ids: list[int]) -> tuple[PackEvidence, ...]:
        items: list[Evidence] = sorted(
            (evidence[i] for i in ids), key=lambda e: (e.title.lower(), e.id)
        )
        return tuple(
            PackEvidence(e, e.id in ready, tuple(evidence_gaps(e, judged_on, stale_days)))
            for e in items
        )

    by_theme: dict[str, list[PackFinding]] = defaultdict(list)
    for finding in sorted(findings, key=_finding_order):
        if finding.id not in scope:
            continue
        pack_actions = tuple(
            PackAction(
                actions[a],
                pack_evidence(evidence_of_action[a]),
                tuple(action_gaps(actions[a], today)),
                latest.get(a),
            )
            for a in sorted(actions_of[finding.id], key=lambda a: ref_key(actions[a].ref))
        )
        finding_gaps = (finding_gap(finding),) if not pack_actions and needs_action(finding) else ()
        by_theme[finding.theme or NO_THEME].append(
            PackFinding(
                finding=finding,
                actions=pack_actions,
                evidence=pack_evidence(evidence_of_finding[finding.id]),
                added_by_hand=bool(manual.get(finding.id)) and finding.theme_id not in theme_ids,
                gaps=finding_gaps,
                details=tuple(details_of.get(finding.id, ())),
            )
        )
    # A focus theme with no finding in scope is still in the pack, empty: a Director reading
    # it sees the theme named and that nothing is in it yet, not a theme silently missing.
    for name in focus_names:
        by_theme.setdefault(name, [])
    themes = tuple(
        PackTheme(name, tuple(items))
        for name, items in sorted(
            by_theme.items(), key=lambda kv: (positions.get(kv[0], 10_000), kv[0])
        )
    )

    all_gaps: dict[tuple[str, int], Gap] = {}
    counts = dict.fromkeys(BRAG, 0)
    seen_actions: set[int] = set()
    seen_evidence: set[int] = set()
    for theme in themes:
        for pf in theme.findings:
            for gap in pf.gaps:
                all_gaps.setdefault((gap.kind, gap.record_id), gap)
            for item in pf.evidence:
                seen_evidence.add(item.evidence.id)
                for gap in item.gaps:
                    all_gaps.setdefault((gap.kind, gap.record_id), gap)
            for pa in pf.actions:
                if pa.action.id not in seen_actions:
                    seen_actions.add(pa.action.id)
                    counts[pa.action.brag] = counts.get(pa.action.brag, 0) + 1
                for gap in pa.gaps:
                    all_gaps.setdefault((gap.kind, gap.record_id), gap)
                for item in pa.evidence:
                    seen_evidence.add(item.evidence.id)
                    for gap in item.gaps:
                        all_gaps.setdefault((gap.kind, gap.record_id), gap)
    order = list(GAP_KINDS)
    gaps = tuple(
        sorted(
            all_gaps.values(),
            key=lambda g: (order.index(g.kind), ref_key(g.ref), g.title.lower(), g.record_id),
        )
    )
    dropped = tuple(sorted((f for f in findings if f.id in dropped_ids), key=_finding_order))
    return Pack(
        visit=visit,
        themes=themes,
        dropped=dropped,
        gaps=gaps,
        brag_counts=counts,
        evidence_ready=len(seen_evidence & ready),
        evidence_needed=len(seen_evidence),
        stale_days=stale_days,
    )


def _finding_order(finding: object) -> tuple[object, ...]:
    return (
        getattr(finding, "source_title", ""),
        ref_key(getattr(finding, "ref", "")),
        getattr(finding, "id", 0),
    )
