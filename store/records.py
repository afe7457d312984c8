"""Plain, immutable records handed to callers (TUI, CLI, export). No live ORM objects leave the store.

The records the dashboard's first numbers are made of (:class:`Dashboard`, its next
:class:`Visit` and most overdue :class:`Action` rows) are defined here; the others
(findings, evidence, sources, progress notes, gaps, a visit's pack) live in
:mod:`store.records_more` and are loaded the first time one is asked for, from either
module, so that ``visitprep`` does not build a dozen record classes before its first
screen (issue 11). ``from store.records import Finding`` works as ever.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from store.overdue import is_overdue

if TYPE_CHECKING:
    from store.records_more import (
        ActionUpdate,
        Evidence,
        Finding,
        Gap,
        Judgement,
        Pack,
        PackAction,
        PackEvidence,
        PackFinding,
        PackTheme,
        Source,
        Theme,
    )

# Defined in store.records_more, loaded on first use (PEP 562).
_MORE = frozenset(
    {
        "ActionUpdate",
        "Evidence",
        "Finding",
        "Gap",
        "Judgement",
        "Pack",
        "PackAction",
        "PackEvidence",
        "PackFinding",
        "PackTheme",
        "Source",
        "Theme",
    }
)
__all__ = [
    "Action",
    "ActionFields",
    "ActionUpdate",
    "Dashboard",
    "Evidence",
    "Finding",
    "Gap",
    "Judgement",
    "Pack",
    "PackAction",
    "PackEvidence",
    "PackFinding",
    "PackTheme",
    "Source",
    "Theme",
    "Visit",
    "action_record",
]


def __getattr__(name: str) -> Any:
    if name in _MORE:
        from store import records_more

        value = getattr(records_more, name)
        globals()[name] = value  # asked once
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True, slots=True)
class Action:
    id: int
    ref: str
    title: str
    description: str
    owner: str
    due_date: date | None
    brag: str
    success_measure: str
    opened_on: date | None
    closed_on: date | None
    theme_id: int | None
    theme: str
    overdue: bool
    finding_count: int = 0
    evidence_count: int = 0
    # Its version when read: give it back as expected_version= to refuse a stale save.
    version: int = 0


class ActionFields(Protocol):
    """An action's own columns, as a table row or a plain query gives them."""

    id: int | None
    ref: str
    title: str
    description: str
    owner: str
    due_date: date | None
    brag: str
    success_measure: str
    opened_on: date | None
    closed_on: date | None
    theme_id: int | None
    version: int


def action_record(
    today: date, row: ActionFields, theme: str | None, findings: int, evidence: int
) -> Action:
    """The :class:`Action` handed to callers, from its row and what is counted around it."""
    return Action(
        id=row.id or 0,
        ref=row.ref,
        title=row.title,
        description=row.description,
        owner=row.owner,
        due_date=row.due_date,
        brag=row.brag,
        success_measure=row.success_measure,
        opened_on=row.opened_on,
        closed_on=row.closed_on,
        theme_id=row.theme_id,
        theme=theme or "",
        overdue=is_overdue(row.due_date, row.brag, today),
        finding_count=findings,
        evidence_count=evidence,
        version=row.version,
    )


@dataclass(frozen=True, slots=True)
class Visit:
    id: int
    title: str
    kind: str
    start_date: date
    end_date: date | None
    notes: str
    focus_themes: tuple[str, ...] = ()
    days_to_go: int = 0
    # Its version when read: give it back as expected_version= to refuse a stale save.
    version: int = 0


@dataclass(frozen=True, slots=True)
class Dashboard:
    """Counts for the first screen, computed in one pass."""

    today: date
    brag_counts: dict[str, int]
    overdue: int
    due_soon: int
    due_soon_days: int
    gap_counts: dict[str, int]
    finding_count: int  # this council's own findings
    action_count: int
    evidence_count: int
    next_visit: Visit | None
    next_visit_ready: int = 0
    next_visit_needed: int = 0
    # The most overdue actions, most overdue first (as many as were asked for).
    most_overdue: tuple[Action, ...] = ()
    # Findings of other councils' reports: kept for search, counted in nothing above.
    other_finding_count: int = 0
