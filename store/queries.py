"""Read-only look-ups the record views need that the entity modules do not offer.

Findings are listed by source, theme and so on, but not by the action or evidence item
they are linked to; these give the ids, and :func:`store.findings.list_findings` (with
``ids=``) gives the records, so every view of a finding is built the same way.
"""

from __future__ import annotations

from sqlalchemy import select

from store.database import Store
from store.models import FindingActionLink, FindingEvidenceLink, FindingRow


def finding_ids_for_action(store: Store, action_id: int) -> list[int]:
    """Ids of the findings an action answers, in the order they were recorded."""
    with store.reading() as session:
        return list(
            session.scalars(
                select(FindingActionLink.finding_id)
                .where(FindingActionLink.action_id == action_id)
                .order_by(FindingActionLink.finding_id)
            )
        )


def finding_ids_for_evidence(store: Store, evidence_id: int) -> list[int]:
    """Ids of the findings an evidence item supports directly."""
    with store.reading() as session:
        return list(
            session.scalars(
                select(FindingEvidenceLink.finding_id)
                .where(FindingEvidenceLink.evidence_id == evidence_id)
                .order_by(FindingEvidenceLink.finding_id)
            )
        )


def child_finding_ids(store: Store, finding_id: int) -> list[int]:
    """Ids of later findings (monitoring visits) that point back to this one."""
    with store.reading() as session:
        return list(
            session.scalars(
                select(FindingRow.id)
                .where(FindingRow.parent_id == finding_id)
                .order_by(FindingRow.id)
            )
        )
