"""Read-only look-ups the record views need that the entity modules do not offer.

Findings are listed by source, theme and so on, but not by the action or evidence item
they are linked to; these give the ids, and :func:`store.findings.list_findings` (with
``ids=``) gives the records, so every view of a finding is built the same way.
"""

from __future__ import annotations

from sqlalchemy import Table, select

from store.database import Store
from store.models import ActionEvidenceLink, FindingActionLink, FindingEvidenceLink, FindingRow


def _ids(store: Store, table: Table, wanted: str, key: str, value: int) -> list[int]:
    """``wanted`` ids of the rows of ``table`` whose ``key`` is ``value``, in id order."""
    column = table.c[wanted]
    with store.reading() as session:
        query = select(column).where(table.c[key] == int(value)).order_by(column)
        return [int(ident) for ident in session.scalars(query)]


# The link tables below are SQLAlchemy's own Tables; SQLModel does not declare the
# ``__table__`` that SQLAlchemy gives each table model, hence the narrow ignores.


def finding_ids_for_action(store: Store, action_id: int) -> list[int]:
    """Ids of the findings an action answers."""
    table: Table = FindingActionLink.__table__  # type: ignore[attr-defined]
    return _ids(store, table, "finding_id", "action_id", action_id)


def finding_ids_for_evidence(store: Store, evidence_id: int) -> list[int]:
    """Ids of the findings an evidence item supports directly."""
    table: Table = FindingEvidenceLink.__table__  # type: ignore[attr-defined]
    return _ids(store, table, "finding_id", "evidence_id", evidence_id)


def finding_ids_through_actions(store: Store, evidence_id: int) -> list[int]:
    """Ids of the findings an evidence item supports through the actions it evidences
    (the findings those actions answer), in id order: counted with the direct ones, as
    the Findings list and the pack count a finding's evidence."""
    answers: Table = FindingActionLink.__table__  # type: ignore[attr-defined]
    evidences: Table = ActionEvidenceLink.__table__  # type: ignore[attr-defined]
    with store.reading() as session:
        query = (
            select(answers.c.finding_id)
            .join(evidences, evidences.c.action_id == answers.c.action_id)
            .where(evidences.c.evidence_id == int(evidence_id))
            .distinct()
            .order_by(answers.c.finding_id)
        )
        return [int(ident) for ident in session.scalars(query)]


def child_finding_ids(store: Store, finding_id: int) -> list[int]:
    """Ids of later findings (monitoring visits) that point back to this one."""
    table: Table = FindingRow.__table__  # type: ignore[attr-defined]
    return _ids(store, table, "id", "parent_id", finding_id)
