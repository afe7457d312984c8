"""The pack as a document a Director reads: one model, built once, that every format renders.

:func:`build_document` takes a built :class:`store.records.Pack` and works out, once, what
each renderer (Markdown, Word, HTML) shows: the cover, the summary and what needs a
decision, readiness by theme, the chase list (every gap, who must fix it, why, sorted by
owner then date: :mod:`store.export.chase`), and where each action is shown in full.
Plain text throughout (:mod:`store.export.plain_text`). The renderers only lay it out; none of them decides what a gap means.

Everything here is plain text (user text unescaped): each renderer makes it safe for its
own format. To add a section (measures, say), add a field here and a block per renderer.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from store.dates import format_date
from store.export.chase import (
    ChaseItem,
    chase_items,
    days,
    gap_words,
    owner_key,
    pack_owners,
    resolve_owner,
)
from store.export.plain_text import plain
from store.measure_rules import Measure
from store.pack import judged_at
from store.records import Action, Evidence, Gap, Pack
from store.vocab import BRAG, BRAG_MEANING, GAP_KINDS, Brag
from store.wording import countdown

__all__ = [
    "ChaseItem",
    "Decision",
    "PackDocument",
    "ThemeReadiness",
    "action_facts",
    "brag_order",
    "brag_words",
    "build_document",
    "cover_facts",
    "days",
    "evidence_facts",
    "gap_counts",
    "gap_words",
    "judged_words",
    "pack_owners",
    "plain",
    "resolve_owner",
    "short_location",
    "summary_facts",
    "visit_countdown",
    "visit_dates",
]

NOBODY = "no owner"


@dataclass(frozen=True, slots=True)
class ThemeReadiness:
    """One row of "Readiness by theme"."""

    theme: str
    findings: int
    brag_counts: dict[str, int]
    evidence_ready: int
    evidence_needed: int
    gaps: int


@dataclass(frozen=True, slots=True)
class Decision:
    """One item of "Needs a decision", on the first page: a finding no action answers
    (nobody leads it), or an action rated Red (off track)."""

    ref: str
    what: str  # the finding's or action's title
    owner: str  # "" when nobody is named
    why: str  # in plain words: "Red (off track), overdue: due 31 Dec 2018"
    latest: str = ""  # the action's latest update: "14 Dec 2018: Stalled at 38%; ..."


@dataclass(frozen=True, slots=True)
class PackDocument:
    """What every format shows, in the order a Director reads it."""

    pack: Pack
    council: str
    generated_on: date
    judged_at: date
    today: date
    exported_by: str
    owner: str | None  # a chase list for one owner (the detail is left out)
    readiness: tuple[ThemeReadiness, ...]
    chase: tuple[ChaseItem, ...]
    # Each action is shown in full once, under the first finding (in pack order) that it
    # answers; elsewhere a one-line reference to that finding.
    first_finding: dict[int, int] = field(default_factory=dict)
    finding_refs: dict[int, str] = field(default_factory=dict)
    # Who ticked each ready item, and on what day (from the store's history; an item ticked
    # before the history began has none).
    ticks: dict[int, tuple[str, date]] = field(default_factory=dict)
    # The focus themes' performance measures, theme by theme (store.export.measures).
    measures: tuple[tuple[str, tuple[Measure, ...]], ...] = ()
    # What the Director must decide, on the first page: findings nobody leads, then the
    # actions off track, the earliest due first.
    decisions: tuple[Decision, ...] = ()

    def gap_words(
        self,
        gap: Gap,
        *,
        action: Action | None = None,
        evidence: Evidence | None = None,
        ticked: bool = False,
    ) -> str:
        """What ``gap`` means, in words, as judged for this document (see :func:`gap_words`)."""
        return gap_words(
            gap,
            judged=self.judged_at,
            visit_start=self.pack.visit.start_date,
            stale_days=self.pack.stale_days,
            today=self.today,
            action=action,
            evidence=evidence,
            ticked=ticked,
        )

    def ready_words(self, evidence_id: int) -> str:
        """ "ready (Sam Patel, 3 Jul 2018)", or "ready" when who ticked it is not known."""
        tick = self.ticks.get(evidence_id)
        if tick is None:
            return "ready"
        who, on = tick
        who = plain(who)
        if on > self.today:
            # Ticked after the day the pack is judged at (a demo dated in the past, a fixed
            # VISITPREP_TODAY): that day would read as a tick from the future.
            return f"ready ({who})" if who else "ready"
        return f"ready ({who}, {format_date(on)})" if who else f"ready ({format_date(on)})"

    @property
    def past(self) -> bool:
        """The visit has started: the pack is judged at its own date, not today."""
        return self.judged_at < self.today

    def shown_in_full(self, action_id: int, finding_id: int) -> bool:
        return self.first_finding.get(action_id, finding_id) == finding_id

    def full_under(self, action_id: int) -> str:
        """The ref (or title) of the finding an action is shown in full under."""
        return self.finding_refs.get(self.first_finding.get(action_id, 0), "")


# --- words every format shares ------------------------------------------------------------------


def visit_countdown(start: date, on: date) -> str:
    """``in 12 days``, ``starts today``, ``started 3 days ago`` (the visit, seen from ``on``)."""
    return countdown((start - on).days, since="started ", today="starts today")


def visit_dates(start: date, end: date | None) -> str:
    if end is None or end == start:
        return format_date(start)
    return f"{format_date(start)} to {format_date(end)}"


def brag_order(counts: dict[str, int]) -> list[str]:
    """BRAG ratings in the tracker's order, then any other rating A-Z."""
    return [b for b in BRAG if b in counts] + sorted(b for b in counts if b not in BRAG)


def brag_words(brag: str) -> str:
    meaning = BRAG_MEANING.get(brag)
    return f"{brag.title()} ({meaning})" if meaning else brag.title()


def short_location(location: str) -> str:
    """A location short enough to print: a link's host and file name, a path's last two
    parts ("…/Audits/MASH audit.docx"). The whole of it is the link or the hover text."""
    from urllib.parse import unquote, urlsplit

    text = " ".join(str(location or "").split())
    if not text:
        return ""
    if "://" in text:
        parts = urlsplit(text)
        name = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]) if parts.path else ""
        return f"{parts.hostname or parts.scheme}: {name}" if name else (parts.hostname or text)
    pieces = [p for p in text.replace("\\", "/").split("/") if p]
    if len(pieces) <= 2:
        return text
    return "…/" + "/".join(pieces[-2:])


SOURCE_DASH = " — "  # between a finding's name and the source it cites


def source_words(title: object) -> str:
    """A source's title as a finding's citation, plain text (each renderer escapes it): a
    closing aside in brackets becomes a clause, so that the finding's own brackets are never
    doubled ("Northbridge ILACS inspection (January 2018)" reads "Northbridge ILACS
    inspection, January 2018"). "" for a source with no title."""
    text = plain(title)
    aside = _ASIDE.fullmatch(text)
    return f"{aside['head']}, {aside['aside']}" if aside else text


# A title that ends with one bracketed aside, with words before it and none inside it.
_ASIDE = re.compile(r"(?P<head>.*[^\s,(])\s*\(\s*(?P<aside>[^()]*[^()\s])\s*\)")


# --- building it ----------------------------------------------------------------------------------


def build_document(
    pack: Pack,
    *,
    today: date,
    generated_on: date | None = None,
    exported_by: str = "",
    owner: str | None = None,
    ticks: dict[int, tuple[str, date]] | None = None,
    measures: Iterable[Measure] = (),
) -> PackDocument:
    """The document for ``pack`` (built with the same ``today``).

    ``owner`` keeps only that owner's rows of the chase list (matched without regard to
    case or spacing); a blank ``owner`` means the rows with nobody named.
    """
    visit = pack.visit
    judged = judged_at(visit.start_date, today)
    first_finding: dict[int, int] = {}
    finding_refs: dict[int, str] = {}
    councils: Counter[str] = Counter()
    readiness = []
    for theme in pack.themes:
        theme_actions: dict[int, str] = {}
        theme_evidence: dict[int, bool] = {}
        theme_gaps: set[tuple[str, int]] = set()
        for item in theme.findings:
            finding = item.finding
            finding_refs[finding.id] = finding.ref or finding.title
            if finding.local_authority:
                councils[finding.local_authority] += 1
            theme_gaps.update((g.kind, g.record_id) for g in item.gaps)
            for pack_action in item.actions:
                first_finding.setdefault(pack_action.action.id, finding.id)
                theme_actions[pack_action.action.id] = pack_action.action.brag
                theme_gaps.update((g.kind, g.record_id) for g in pack_action.gaps)
                for pe in pack_action.evidence:
                    theme_evidence[pe.evidence.id] = pe.ready
                    theme_gaps.update((g.kind, g.record_id) for g in pe.gaps)
            for pe in item.evidence:
                theme_evidence[pe.evidence.id] = pe.ready
                theme_gaps.update((g.kind, g.record_id) for g in pe.gaps)
        readiness.append(
            ThemeReadiness(
                theme=theme.theme,
                findings=len(theme.findings),
                brag_counts=dict(Counter(theme_actions.values())),
                evidence_ready=sum(theme_evidence.values()),
                evidence_needed=len(theme_evidence),
                gaps=len(theme_gaps),
            )
        )
    chase = chase_items(pack, judged, today)
    if owner is not None:
        owner = resolve_owner(pack, owner)
        wanted = owner_key(owner)
        chase = tuple(item for item in chase if owner_key(item.owner) == wanted)
    return PackDocument(
        pack=pack,
        council=councils.most_common(1)[0][0] if councils else "",
        generated_on=generated_on or today,
        judged_at=judged,
        today=today,
        exported_by=exported_by,
        owner=owner,
        readiness=tuple(readiness),
        chase=chase,
        first_finding=first_finding,
        finding_refs=finding_refs,
        ticks=dict(ticks or {}),
        measures=_by_theme(measures),
        decisions=_decisions(pack),
    )


def _decisions(pack: Pack) -> tuple[Decision, ...]:
    """Findings no action answers, then actions rated Red (each once, earliest due first)."""
    leaderless: dict[int, Decision] = {}
    off_track: dict[int, tuple[tuple[bool, date], Decision]] = {}
    for theme in pack.themes:
        for item in theme.findings:
            finding = item.finding
            if any(gap.kind == "no_action" for gap in item.gaps):
                leaderless.setdefault(
                    finding.id,
                    Decision(
                        ref=finding.ref,
                        what=finding.title,
                        owner="",
                        why="no action answers this finding yet, so nobody leads it",
                    ),
                )
            for pack_action in item.actions:
                action = pack_action.action
                if action.brag != Brag.RED or action.id in off_track:
                    continue
                why = brag_words(action.brag)
                if action.due_date is not None:
                    late = any(gap.kind == "overdue" for gap in pack_action.gaps)
                    why += f", {'overdue: ' if late else ''}due {format_date(action.due_date)}"
                update = pack_action.latest_update
                latest = (
                    f"{update.date_text}: {plain(update.note)}"
                    if update is not None and plain(update.note)
                    else ""
                )
                decision = Decision(
                    ref=action.ref,
                    what=action.title,
                    owner=" ".join(action.owner.split()),
                    why=why,
                    latest=latest,
                )
                due = action.due_date
                off_track[action.id] = ((due is None, due or date.min), decision)
    ordered = sorted(off_track.values(), key=lambda pair: pair[0])
    return (*leaderless.values(), *(decision for _key, decision in ordered))


def gap_counts(pack: Pack) -> dict[str, int]:
    """How many gaps of each kind (every known kind, zero included, first)."""
    counts = dict.fromkeys(GAP_KINDS, 0)
    for gap in pack.gaps:
        counts[gap.kind] = counts.get(gap.kind, 0) + 1
    return counts


def summary_facts(doc: PackDocument) -> list[tuple[str, str]]:
    """The pack in three lines, as (label, plain text): actions by BRAG, evidence ready,
    and the gaps by kind (the kinds there are)."""
    pack = doc.pack
    actions = sum(pack.brag_counts.values())
    by_brag = " · ".join(
        f"{brag_words(b)} {pack.brag_counts[b]}" for b in brag_order(pack.brag_counts)
    )
    ready = f"{pack.evidence_ready} of {pack.evidence_needed}"
    if pack.evidence_needed:
        ready += f" ({round(100 * pack.evidence_ready / pack.evidence_needed)}%)"
    kinds = " · ".join(
        f"{GAP_KINDS.get(kind, plain(kind))} {n}" for kind, n in gap_counts(pack).items() if n
    )
    return [
        ("Actions", f"{actions} — {by_brag}" if actions else "none"),
        ("Evidence ready", ready),
        ("Gaps", f"{len(pack.gaps)} — {kinds}" if pack.gaps else "none"),
    ]


def _by_theme(measures: Iterable[Measure]) -> tuple[tuple[str, tuple[Measure, ...]], ...]:
    """Measures grouped by theme, in the order they come (the store's: theme, then ref)."""
    grouped: dict[str, list[Measure]] = {}
    for measure in measures:
        grouped.setdefault(measure.theme or "No theme", []).append(measure)
    return tuple((theme, tuple(items)) for theme, items in grouped.items())


# --- facts every format lays out the same way -------------------------------------------------


def judged_words(doc: PackDocument) -> str:
    """The date overdue and out of date are judged at, and why that one."""
    if doc.past:
        return (
            f"{format_date(doc.judged_at)}, the visit's start: overdue and out of date mean "
            "as at the visit, not today"
        )
    return f"{format_date(doc.judged_at)} (today)"


def cover_facts(doc: PackDocument) -> list[tuple[str, str]]:
    """The cover as (label, plain text) pairs, in the order every format shows them."""
    visit = doc.pack.visit
    facts = []
    if plain(doc.council):
        facts.append(("Council", doc.council))
    if doc.owner is not None:
        facts.append(("Pack", visit.title))
    facts.append(
        (
            "Visit",
            f"{visit.kind}, {visit_dates(visit.start_date, visit.end_date)}"
            f" ({visit_countdown(visit.start_date, doc.generated_on)})",
        )
    )
    facts.append(("Focus themes", ", ".join(visit.focus_themes) or "none chosen"))
    if plain(visit.notes) and doc.owner is None:
        facts.append(("Notes", visit.notes))
    facts.append(("Judged at", judged_words(doc)))
    facts.append(("Generated", format_date(doc.generated_on)))
    if plain(doc.exported_by):
        facts.append(("Exported by", doc.exported_by))
    return facts


def evidence_facts(evidence: Evidence) -> list[str]:
    """What an evidence line says after its title, in plain words."""
    facts = [evidence.kind]
    facts.append(f"as of {format_date(evidence.as_of)}" if evidence.as_of else "undated")
    if plain(evidence.owner):
        facts.append(f"owner {evidence.owner}")
    if evidence.review_by:
        facts.append(f"review by {format_date(evidence.review_by)}")
    if evidence.personal_data:
        facts.append("contains personal data")
    return facts


def action_facts(action: Action) -> list[tuple[str, str]]:
    return [
        ("Owner", action.owner.strip() or NOBODY),
        ("Due", format_date(action.due_date) or "no due date"),
        ("BRAG", brag_words(action.brag)),
    ]
