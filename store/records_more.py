"""The records not needed for the dashboard's first numbers: findings, evidence, sources,
progress notes, gaps and a visit's pack. Import them from :mod:`store.records` (which loads
this module the first time one of them is asked for) or from here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from store.dates import update_date_text
from store.vocab import DEFAULT_STALE_DAYS

if TYPE_CHECKING:
    from store.records import Action, Visit


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
class ActionUpdate:
    """A progress note with the BRAG at its date. ``on_date`` is None when the date was not
    given (a plan's note nothing dated): such a note is older than every dated one, so an
    action's latest update is never an undated note while a dated one exists. ``brag`` is
    None when the BRAG at its date was not given (an older note of a plan's progress cell:
    the sheet's one BRAG cell is the newest note's); such a note never sets the action's."""

    id: int
    action_id: int
    on_date: date | None
    brag: str | None
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
    def date_and_brag(self) -> str:
        """``31 Dec 2017, Blue``, or the date alone when the BRAG was not given."""
        return f"{self.date_text}, {self.brag.title()}" if self.brag else self.date_text

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
