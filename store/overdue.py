"""The overdue rule, written once: an action is overdue when its due date is before today
and it is not complete (Blue). Due today is not overdue; no due date is never overdue.

:func:`is_overdue` is the rule. The store's queries use the forms below, built from the
same words; ``tests/test_boundaries.py`` pins each form to :func:`is_overdue` at the boundary
(due yesterday, today and tomorrow; every BRAG), so a change to one that the others do not
follow fails there.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from store.vocab import COMPLETE

if TYPE_CHECKING:  # the dashboard's quick read imports this module without SQLAlchemy
    from sqlalchemy.sql.elements import ColumnElement


def is_complete(brag: str) -> bool:
    """Blue: done, so never overdue and never due soon."""
    return brag == COMPLETE


def is_overdue(due: date | None, brag: str, today: date) -> bool:
    """Past its due date (before ``today``, not on it) and not complete (Blue)."""
    return due is not None and due < today and not is_complete(brag)


def overdue_clause(due: Any, brag: Any, today: date) -> ColumnElement[bool]:
    """:func:`is_overdue` as a SQLAlchemy condition on the ``due`` and ``brag`` columns."""
    return (due < today) & (brag != str(COMPLETE))


# The same, as raw SQL over the action table's own columns (for the dashboard's sqlite3
# read, which never loads SQLAlchemy). ``:today`` is bound as an ISO date.
NOT_COMPLETE_SQL = f"brag != '{COMPLETE}'"
OVERDUE_SQL = f"due_date < :today AND {NOT_COMPLETE_SQL}"
