"""Links between findings, actions and evidence (many-to-many, both ways)."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import SQLModel

from store._common import fetch, insert_new
from store.database import Change, Store
from store.errors import ValidationError
from store.models import (
    ActionEvidenceLink,
    ActionRow,
    EvidenceRow,
    FindingActionLink,
    FindingEvidenceLink,
    FindingRow,
)

LINK_KINDS = ("finding", "action", "evidence")
_ROWS: dict[str, type[SQLModel]] = {
    "finding": FindingRow,
    "action": ActionRow,
    "evidence": EvidenceRow,
}
_NAMES = {"finding": "finding", "action": "action", "evidence": "evidence item"}
_TABLES: dict[tuple[str, str], type[SQLModel]] = {
    ("finding", "action"): FindingActionLink,
    ("action", "evidence"): ActionEvidenceLink,
    ("finding", "evidence"): FindingEvidenceLink,
}


def _pair(a_kind: str, a_id: int, b_kind: str, b_id: int) -> tuple[type[SQLModel], dict[str, int]]:
    for kind in (a_kind, b_kind):
        if kind not in LINK_KINDS:
            raise ValidationError(
                "kind", f"'{kind}' cannot be linked. Link findings, actions and evidence."
            )
    key = (a_kind, b_kind)
    ids = {a_kind: a_id, b_kind: b_id}
    if key not in _TABLES:
        key = (b_kind, a_kind)
    if key not in _TABLES:
        raise ValidationError(
            "kind", f"A {_NAMES[a_kind]} cannot be linked to another {_NAMES[b_kind]}."
        )
    return _TABLES[key], {f"{key[0]}_id": int(ids[key[0]]), f"{key[1]}_id": int(ids[key[1]])}


def link(store: Store, a_kind: str, a_id: int, b_kind: str, b_id: int) -> bool:
    """Link two records (e.g. ``link(store, "finding", 3, "action", 7)``).

    Returns ``False`` if they were already linked. Raises :class:`NotFound` for an unknown id.
    """
    table, columns = _pair(a_kind, a_id, b_kind, b_id)
    with store.transaction() as tx:
        for name, ident in columns.items():
            kind = name.removesuffix("_id")
            fetch(tx.session, _ROWS[kind], ident, _NAMES[kind])
        # Idempotent, even when two people make the same link at once.
        if not insert_new(tx.session, table, columns):
            return False
        tx.changes.extend(
            Change(name.removesuffix("_id"), ident, "upsert") for name, ident in columns.items()
        )
        return True


def unlink(store: Store, a_kind: str, a_id: int, b_kind: str, b_id: int) -> bool:
    """Remove a link; returns ``False`` if there was none. The records themselves stay."""
    table, columns = _pair(a_kind, a_id, b_kind, b_id)
    with store.transaction() as tx:
        conditions = [getattr(table, name) == ident for name, ident in columns.items()]
        # exec(): typed as the cursor result a DELETE gives, which counts its rows.
        result = tx.session.exec(delete(table).where(*conditions))
        if not result.rowcount:
            return False
        tx.changes.extend(
            Change(name.removesuffix("_id"), ident, "upsert") for name, ident in columns.items()
        )
        return True
