"""Plain, immutable records handed to callers (TUI, CLI, export). No live ORM objects leave the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from store.dates import update_date_text
from store.overdue import is_overdue
from store.vocab import DEFAULT_STALE_DAYS


@dataclass(frozen=True, slots=True)
class Theme:
    id: int
    name: str
    position: int


@dataclass(frozen=True, slots=True)
class Judgement:
    area: str
    grade: str


@dataclass(frozen=True, slots=True)
class Source:
    id: int
    kind: str
    title: str
    local_authority: str
    framework: str
    start_date: date | None
    end_date: date | None
    published_date: date | None
    lead_inspector: str
    url: str
    file_path: str
    content_hash: str | None
    judgements: tuple[Judgement, ...] = ()
    finding_count: int = 0
    # This council's own report, or another council's kept for search and learning (its
    # findings are never in a pack, the gaps or the dashboard's numbers).
    ours: bool = True
    # Its version when read: give it back as expected_version= to refuse a stale save.
    version: int = 0
    # The council's ONS code on the official list (store.councils), "" when not matched.
    council_code: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    id: int
    ref: str
    title: str
    text: str
    kind: str
    status: str
    judgement_area: str
    source_id: int | None
    source_title: str
    theme_id: int | None
    theme: str
    parent_id: int | None
    action_count: int = 0
    evidence_count: int = 0  # linked to the finding itself (what unlinking or deleting it touches)
    # Distinct evidence linked to it or to any of its actions: what its pack entry shows,
    # and what "how much evidence is behind this finding" means to a lead.
    all_evidence_count: int = 0
    # Whose finding: its source's (a finding with no source is ours), and the local
    # authority that source reports on.
    ours: bool = True
    local_authority: str = ""
    # What it is (migration 0009): "" a thing its report asks the council to do, "detail"
    # a marked paragraph behind the recommendation ``detail_of``, "board" the safeguarding
    # board's recommendation (the council's once ``adopted``).
    role: str = ""
    detail_of: int | None = None
    adopted: bool = False

    @property
    def asked(self) -> bool:
        """Whether it is one of the things the council is asked to do: only those need an
        action ("No action" counts them and nothing else); a detail paragraph is context for
        its recommendation, and the board's recommendation is the board's until adopted."""
        return self.role == "" or (self.role == "board" and self.adopted)

    # Its version when read: give it back as expected_version= to refuse a stale save.
    version: int = 0


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
class ActionUpdate:
    """A progress note with the BRAG at its date. ``on_date`` is None when the date was not
    given (a plan's note nothing dated): such a note is older than every dated one, so an
    action's latest update is never an undated note while a dated one exists."""

    id: int
    action_id: int
    on_date: date | None
    brag: str
    note: str
    author: str

    @property
    def dated(self) -> bool:
        return self.on_date is not None

    @property
    def date_text(self) -> str:
        """``20 Jan 2018``, or "date not given" (never today's date)."""
        return update_date_text(self.on_date)

    @property
    def sort_key(self) -> tuple[bool, date, int]:
        """Oldest first: undated notes (in the order they were stored), then by date."""
        return (self.on_date is not None, self.on_date or date.min, self.id)


@dataclass(frozen=True, slots=True)
class Evidence:
    id: int
    title: str
    kind: str
    as_of: date | None
    owner: str
    location: str
    impact: str
    review_by: date | None
    personal_data: bool
    missing_since: date | None
    action_count: int = 0
    finding_count: int = 0
    # Out of date today, by the store's chosen age (a pack judges again at its visit date).
    out_of_date: bool = False
    # Its version when read: give it back as expected_version= to refuse a stale save.
    version: int = 0


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
class Gap:
    """One thing missing. ``kind`` is one of the ``GAP_KINDS`` of ``store.gaps``."""

    kind: str
    record_kind: str  # "finding", "action" or "evidence"
    record_id: int
    ref: str
    title: str
    detail: str


@dataclass(frozen=True, slots=True)
class PackEvidence:
    evidence: Evidence
    ready: bool
    gaps: tuple[Gap, ...] = ()


@dataclass(frozen=True, slots=True)
class PackAction:
    action: Action
    evidence: tuple[PackEvidence, ...]
    gaps: tuple[Gap, ...] = ()
    # The action's newest progress note (by date), what a visit pack reports on.
    latest_update: ActionUpdate | None = None


@dataclass(frozen=True, slots=True)
class PackFinding:
    finding: Finding
    actions: tuple[PackAction, ...]
    evidence: tuple[PackEvidence, ...]
    added_by_hand: bool = False
    gaps: tuple[Gap, ...] = ()
    # The report's marked paragraphs behind it (detail): context the checklist cites.
    details: tuple[Finding, ...] = ()

    @property
    def own_evidence(self) -> tuple[PackEvidence, ...]:
        """The finding's evidence that none of its actions lists: what a pack shows (and a
        checklist lists) as "for the finding". An item linked to both is listed once, under
        the action, so nobody works through (or ticks) the same item twice."""
        under_actions = {item.evidence.id for action in self.actions for item in action.evidence}
        return tuple(item for item in self.evidence if item.evidence.id not in under_actions)


@dataclass(frozen=True, slots=True)
class PackTheme:
    theme: str
    findings: tuple[PackFinding, ...]


@dataclass(frozen=True, slots=True)
class Pack:
    """A visit's evidence pack: findings in scope grouped by theme, with actions and evidence."""

    visit: Visit
    themes: tuple[PackTheme, ...]
    dropped: tuple[Finding, ...]
    gaps: tuple[Gap, ...]
    brag_counts: dict[str, int] = field(default_factory=dict)
    evidence_ready: int = 0
    evidence_needed: int = 0
    stale_days: int = DEFAULT_STALE_DAYS  # the age evidence was judged by (the store's choice)


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
