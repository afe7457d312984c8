"""What a record's page shows, read in one worker: its heading, its fields, what it
comes from, the tables of what is linked to it, and (an action) its dated updates.

The loaders run off the UI thread and hand :class:`tui.screens.detail.DetailScreen` a
plain :class:`Detail`; the screen only lays it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.table import Table
from rich.text import Text

from store import format_date
from store.overdue import is_complete
from store.vocab import BRAG_NOT_GIVEN
from tui.text import safe
from tui.widgets.badges import brag_badge, due_text, gap_label
from tui.widgets.record_table import (
    STATE_TEXT,
    countdown,
    evidence_state,
    judgement_summary,
)

KINDS = ("finding", "action", "evidence", "source", "visit")
# Rows a linked table shows before it scrolls (a source's findings get more room).
SECTION_ROWS = 6
SOURCE_ROWS = 14
LOCATION_WORDS = {
    "file": Text("✓ file exists", style="green"),
    "missing": Text("✗ file missing", style="bold #e5534b"),
    "link": Text("↗ link (not checked)", style="dim"),
    "none": Text("no location given", style="dim"),
}


@dataclass(frozen=True, slots=True)
class Section:
    """A table of linked records: its heading and the store filters that select them."""

    key: str
    kind: str
    heading: str
    filters: dict[str, Any]
    rows: int = SECTION_ROWS


@dataclass(frozen=True, slots=True)
class Link:
    """A single link (a finding's source, the finding it follows up)."""

    kind: str
    record_id: int
    label: Text


@dataclass(slots=True)
class Detail:
    """Everything the view shows, read in one worker."""

    record: Any
    heading: Text
    fields: list[tuple[str, Text]]
    links: list[Link] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    history: Text | None = None
    history_heading: str = ""


def _t(value: object, style: str = "") -> Text:
    return Text(safe(value), style=style)


def _long(value: str) -> Text:
    return Text(safe(value, keep_lines=True)) if value.strip() else Text("—", style="dim")


def _or_dash(value: str) -> Text:
    return _t(value) if value else Text("—", style="dim")


def _date(value: Any) -> Text:
    return Text(format_date(value)) if value else Text("—", style="dim")


def _heading(noun: str, ref: str, title: str, *badges: Text) -> Text:
    text = Text(f"{noun} ", style="dim")
    if ref:
        text.append(safe(ref) + "  ", style="bold")
    text.append(safe(title), style="bold")
    for badge in badges:
        text.append("   ")
        text.append_text(badge)
    return text


def theirs_text(council: str, *, source: bool) -> Text:
    """What another council's report, or one of its findings, is for, said on its page."""
    text = Text("Another council's report", style="bold")
    if council:
        text.append(f" ({safe(council)})", style="bold")
    text.append(": for search and learning; not in packs or gaps. ")
    how = "e marks it" if source else "Its source's form (e on the source) marks it"
    text.append(f"{how} this council's own if it is.", style="dim")
    return text


THEIRS_BADGE = Text("another council's", style="italic #d29922")


def _load_finding(store: Any, finding_id: int) -> Detail:
    import store as api
    from store.gaps import needs_action
    from store.queries import child_finding_ids

    finding = api.get_finding(store, finding_id)
    links: list[Link] = []
    judgement = _or_dash(finding.judgement_area)
    if finding.source_id is not None:
        source = api.get_source(store, finding.source_id)
        label = Text("Source  ", style="dim")
        label.append(safe(source.title), style="bold")
        if source.start_date:
            label.append(f"  ({format_date(source.start_date)})", style="dim")
        links.append(Link("source", source.id, label))
        grades = [j.grade for j in source.judgements if j.area == finding.judgement_area]
        if grades and finding.judgement_area:
            judgement.append(f"  — graded {grades[0]}", style="italic")
    if finding.parent_id is not None:
        parent = api.get_finding(store, finding.parent_id)
        label = Text("Follows up  ", style="dim")
        label.append(safe(f"{parent.ref} {parent.title}".strip()), style="bold")
        if parent.source_title:
            label.append(f"  ({safe(parent.source_title)})", style="dim")
        links.append(Link("finding", parent.id, label))
    children = child_finding_ids(store, finding_id)
    fields = [] if finding.ours else [("Whose", theirs_text(finding.local_authority, source=False))]
    if finding.role == "detail" and finding.detail_of is not None:
        headline = api.get_finding(store, finding.detail_of)
        label = Text("Detail behind  ", style="dim")
        label.append(safe(f"{headline.ref} {headline.title}".strip()), style="bold")
        links.append(Link("finding", headline.id, label))
    fields += _role_fields(finding)
    fields += [
        ("Ref", _or_dash(finding.ref)),
        ("Source", _or_dash(finding.source_title)),
        ("Judgement area", judgement),
        ("Theme", _or_dash(finding.theme)),
        ("Kind", _t(finding.kind)),
        ("Status", _t(finding.status, "bold")),
        ("Finding", _long(finding.text)),
    ]
    # The lists count evidence through the finding's actions too (as its pack does); here
    # the table holds what is linked to the finding itself, and the heading says both.
    evidence_heading = f"Evidence ({finding.evidence_count})"
    if finding.all_evidence_count > finding.evidence_count:
        evidence_heading = (
            f"Evidence linked to it ({finding.evidence_count}; "
            f"{finding.all_evidence_count} with its actions' evidence)"
        )
    sections = [
        Section("actions", "action", f"Actions ({finding.action_count})",
                {"finding_id": finding_id}),
        Section("evidence", "evidence", evidence_heading, {"finding_id": finding_id}),
    ]  # fmt: skip
    details = api.finding_details(store, finding_id) if finding.role != "detail" else []
    if details:
        fields.append(("Report's detail", _details_text(details)))
        sections.append(
            Section("details", "finding", f"Paragraphs behind it ({len(details)})",
                    {"detail_of": finding_id})
        )  # fmt: skip
    if children:
        sections.append(
            Section("later", "finding", f"Later findings that follow it up ({len(children)})",
                    {"ids": children})
        )  # fmt: skip
    badges = [_t(finding.status, "italic")]
    if not finding.ours:
        badges.append(THEIRS_BADGE.copy())
    if not finding.action_count and needs_action(finding):
        badges.append(gap_label("no_action"))  # the gap the dashboard counted, said here too
    heading = _heading("Finding", finding.ref, finding.title, *badges)
    return Detail(finding, heading, fields, links, sections)


def _role_fields(finding: Any) -> list[tuple[str, Text]]:
    """What a finding is, when it is not simply a thing its report asks the council to do:
    a marked paragraph's detail, or the safeguarding board's recommendation."""
    if finding.role == "detail":
        text = Text("A paragraph of the report's detail", style="bold")
        text.append(
            ": context for the recommendation above, never an item needing an action."
            if finding.detail_of is not None
            else ": marked in the report, matched to no recommendation; context only.",
            style="dim",
        )
        return [("What it is", text)]
    if finding.role == "board":
        if finding.adopted:
            text = Text("The safeguarding board's, adopted by the council", style="bold")
            text.append(": it needs an action and counts in the gaps (a lets it go).", style="dim")
        else:
            text = Text("The safeguarding board's recommendation", style="bold")
            text.append(
                ": not in the council's gaps. a adopts it as the council's own.", style="dim"
            )
        return [("What it is", text)]
    return []


def _details_text(details: list[Any]) -> Text:
    """The paragraphs behind a recommendation, under it, each with its ref."""
    text = Text()
    for number, detail in enumerate(details):
        if number:
            text.append("\n\n")
        text.append(f"{detail.ref}  ", style="bold")
        text.append(safe(detail.text))
    return text


def _history(updates: list[Any]) -> Text:
    if not updates:
        return Text("No updates yet: u adds one (date, BRAG, note).", style="dim")
    text = Text()
    # Newest first; undated notes ("date not given") after every dated one (ActionUpdate.sort_key).
    for index, update in enumerate(sorted(updates, key=lambda u: u.sort_key, reverse=True)):
        if index:
            text.append("\n\n")
        if update.brag:
            text.append_text(brag_badge(update.brag))
        else:  # an older note of a plan's progress cell: its BRAG then was not given
            text.append(BRAG_NOT_GIVEN, style="dim")
        text.append(f"  {update.date_text}", style="bold")
        if update.author:
            text.append("  " + safe(update.author), style="italic")
        text.append("\n")
        text.append(safe(update.note, keep_lines=True))
    return text


def _load_action(store: Any, action_id: int) -> Detail:
    import store as api
    from store.queries import finding_ids_for_action

    action = api.get_action(store, action_id)
    updates = api.list_action_updates(store, action_id)
    findings = finding_ids_for_action(store, action_id)
    fields = [
        ("Ref", _t(action.ref)),
        ("Owner", _or_dash(action.owner)),
        ("Due", due_text(action.due_date, store.today, done=is_complete(action.brag))),
        ("BRAG", brag_badge(action.brag)),
        ("Theme", _or_dash(action.theme)),
        ("Opened", _date(action.opened_on)),
        ("Closed", _date(action.closed_on)),
        ("Success measure", _long(action.success_measure)),
        ("Description", _long(action.description)),
    ]
    sections = [
        Section("findings", "finding", f"Findings it answers ({len(findings)})",
                {"ids": findings}),
        Section("evidence", "evidence", f"Evidence ({action.evidence_count})",
                {"action_id": action_id}),
    ]  # fmt: skip
    badges = [brag_badge(action.brag)]
    if action.overdue:
        badges.append(due_text(action.due_date, store.today))
    heading = _heading("Action", action.ref, action.title, *badges)
    return Detail(
        action, heading, fields, [], sections, _history(updates), f"Updates ({len(updates)})"
    )


def _load_evidence(store: Any, evidence_id: int) -> Detail:
    import store as api
    from store.queries import finding_ids_for_evidence, finding_ids_through_actions

    evidence = api.get_evidence(store, evidence_id)
    # Both ways, once each, as the Findings list counts a finding's evidence: linked to
    # the finding itself, or to an action that answers it.
    direct = finding_ids_for_evidence(store, evidence_id)
    through = [i for i in finding_ids_through_actions(store, evidence_id) if i not in direct]
    findings = sorted({*direct, *through})
    where = Text(overflow="fold")  # the whole path or link, folded, never cut
    if evidence.location:
        where.append(safe(evidence.location))
        where.append("  ")
    status = api.location_status(evidence.location)
    if evidence.missing_since is not None and status != "missing":
        where.append(f"✗ missing since {format_date(evidence.missing_since)}", style="bold #e5534b")
    else:
        where.append_text(LOCATION_WORDS[status])
    state = evidence_state(evidence)
    review = _date(evidence.review_by)
    if state == "stale":
        review.append("  ")
        review.append_text(STATE_TEXT["stale"])
    fields = [
        ("Kind", _t(evidence.kind)),
        ("Owner", _or_dash(evidence.owner)),
        ("As of", _date(evidence.as_of)),
        ("Review by", review),
        ("Location", where),
        ("Personal data", Text("yes: handle with care", style="bold") if evidence.personal_data
         else Text("no")),
        ("Impact", _long(evidence.impact)),
    ]  # fmt: skip
    sections = [
        Section("actions", "action", f"Actions it supports ({evidence.action_count})",
                {"evidence_id": evidence_id}),
        Section("findings", "finding", _supports_heading(len(direct), len(through)),
                {"ids": findings}),
    ]  # fmt: skip
    heading = _heading("Evidence", "", evidence.title, STATE_TEXT[state])
    return Detail(evidence, heading, fields, [], sections)


def _supports_heading(direct: int, through: int) -> str:
    """``Findings it supports (5: 1 directly, 4 through its actions)``."""
    total = direct + through
    if not through:
        return f"Findings it supports ({total})"
    if not direct:
        return f"Findings it supports ({total}, through its actions)"
    return f"Findings it supports ({total}: {direct} directly, {through} through its actions)"


def _load_source(store: Any, source_id: int) -> Detail:
    import store as api

    source = api.get_source(store, source_id)
    dates = _date(source.start_date)
    if source.end_date and source.end_date != source.start_date:
        dates.append(f"–{format_date(source.end_date)}")
    fields = [] if source.ours else [("Whose", theirs_text(source.local_authority, source=True))]
    fields += [
        ("Kind", _t(source.kind)),
        ("Local authority", _or_dash(source.local_authority)),
        ("Framework", _or_dash(source.framework)),
        ("Dates", dates),
        ("Published", _date(source.published_date)),
        ("Lead inspector", _or_dash(source.lead_inspector)),
        ("URL", _or_dash(source.url)),
        ("File", _or_dash(source.file_path)),
        ("Judgements", judgement_summary(source)),
    ]
    for judgement in source.judgements:
        fields.append(("", _t(f"{judgement.area}: {judgement.grade}")))
    sections = [
        Section("findings", "finding", f"Findings ({source.finding_count})",
                {"source_id": source_id}, SOURCE_ROWS),
    ]  # fmt: skip
    badges = [] if source.ours else [THEIRS_BADGE.copy()]
    heading = _heading("Source", "", source.title, *badges)
    return Detail(source, heading, fields, [], sections)


def _load_visit(store: Any, visit_id: int) -> Detail:
    import store as api

    visit = api.get_visit(store, visit_id)
    dates = _date(visit.start_date)
    if visit.end_date and visit.end_date != visit.start_date:
        dates.append(f"–{format_date(visit.end_date)}")
    fields = [
        ("Kind", _t(visit.kind)),
        ("Dates", dates),
        ("Starts", Text(countdown(visit.days_to_go), style="bold")),
        ("Focus themes", _or_dash("; ".join(visit.focus_themes))),
        ("Notes", _long(visit.notes)),
    ]
    return Detail(visit, _heading("Visit", "", visit.title), fields)


LOADERS = {
    "finding": _load_finding,
    "action": _load_action,
    "evidence": _load_evidence,
    "source": _load_source,
    "visit": _load_visit,
}


def detail_shape(detail: Detail) -> tuple[Any, ...]:
    """What the view is made of, beyond the values in it."""
    return (bool(detail.links), tuple(s.key for s in detail.sections), detail.history is not None)


def fields_table(fields: list[tuple[str, Text]]) -> Table:
    """Labels beside values; long values wrap under themselves, never under the label."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True, justify="right", min_width=16)
    grid.add_column(ratio=1)
    for label, value in fields:
        grid.add_row(Text(label, style="dim"), value)
    return grid
