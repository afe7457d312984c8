"""What the pack screen shows, as plain data and rich Text: the lines of the tree (theme →
finding → action → evidence), the header, and the line that says the highlighted item in
full. No widgets here: the screen and the tree widget lay these out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rich.text import Text

from store import format_date
from store.wording import EMPTY_THEME, countdown, plural
from tui.text import safe
from tui.widgets.badges import GAP_SHORT, brag_badge, gap_label

TICKED = "✓"
UNTICKED = "☐"
GAP_STYLE = "bold red"
# What an evidence item's own gap makes it, in a sentence ("ticked, though it is ...").
GAP_WORDS = {"stale": "out of date", "missing": "missing its file"}


@dataclass(frozen=True, slots=True)
class PackNode:
    """What a line of the tree stands for. ``key`` is stable across reloads."""

    kind: str  # theme | finding | action | evidence | dropped-heading | dropped
    key: tuple[Any, ...]
    record_id: int = 0
    finding_id: int = 0
    ready: bool = False
    theme: str = ""
    ref: str = ""  # a finding's or action's own ref, for jumping to it
    # An action answering several findings is shown in full under the first; under the
    # others its line names that one ("see R8") and has no evidence of its own.
    see: str = ""


@dataclass(frozen=True, slots=True)
class Line:
    """One line to show: its node, its parent's key, its label and whether it starts open."""

    node: PackNode
    parent: tuple[Any, ...] | None
    label: Text
    expand: bool = True
    leaf: bool = False
    # Where the title is in the label, and where what must stay in view (the BRAG, the
    # gaps) ends: too narrow a tree cuts the title with "…" rather than lose them.
    title: tuple[int, int] = (0, 0)
    keep: int = 0


MIN_TITLE = 12  # narrower than this, a title says nothing: the line is cut at the edge


def fit_label(label: Text, width: int, title: tuple[int, int], keep: int) -> Text:
    """``label`` in ``width`` cells: first what follows ``keep`` gives way, then the title
    (cut with "…"), so the ref, the BRAG and the gap markers stay in view."""
    if label.cell_len <= width:
        return label
    start, end = title
    head, name, kept = label[:start], label[start:end], label[end:keep]
    room = width - head.cell_len - kept.cell_len
    if end > start and room < name.cell_len and room >= min(MIN_TITLE, name.cell_len):
        name.truncate(room, overflow="ellipsis")
        return Text.assemble(head, name, kept)
    cut = label.copy()
    cut.truncate(width, overflow="ellipsis")
    return cut


def location_name(location: str) -> str:
    """The last part of a path or link (its file or folder name), unquoted: what a lead reads.

    ``https://x/sites/Evidence/CiC%20tracker.xlsx`` → ``CiC tracker.xlsx``.
    """
    from urllib.parse import unquote

    trimmed = location.strip().rstrip("/\\")
    name = re.split(r"[/\\]", trimmed)[-1] if trimmed else ""
    name = name.split("?", 1)[0].split("#", 1)[0]
    return unquote(name) or location.strip()


def _gap_text(gaps: Any) -> Text:
    out = Text()
    for gap in gaps:
        out.append("  ")
        label = gap_label(gap.kind)
        if isinstance(label, Text):
            out.append_text(label)
        else:
            out.append(str(label), style=GAP_STYLE)
    return out


def header_text(pack: Any) -> Text:
    """Four short lines: the visit and its countdown, when and what, readiness, the gaps."""
    from store.gaps import GAP_KINDS

    visit = pack.visit
    text = Text()
    text.append(safe(visit.title), style="bold")
    text.append("  ·  ")
    text.append(countdown(visit.days_to_go), style="bold")
    dates = format_date(visit.start_date)
    if visit.end_date and visit.end_date != visit.start_date:
        dates += f" – {format_date(visit.end_date)}"
    text.append(f"\n{dates}  ·  {safe(visit.kind)}  ·  ")
    text.append("Focus: ", style="dim")
    text.append(safe("; ".join(visit.focus_themes)) if visit.focus_themes else "no focus themes")
    text.append("\nReady ", style="dim")
    text.append(f"{pack.evidence_ready} / needed {pack.evidence_needed}", style="bold")
    text.append(" evidence   ")
    for brag, count in pack.brag_counts.items():
        if count:
            text.append_text(brag_badge(brag))
            text.append(f" {count}  ")
    counts: dict[str, int] = {}
    for gap in pack.gaps:
        counts[gap.kind] = counts.get(gap.kind, 0) + 1
    text.append("\n")
    if counts:
        # The tree's own short labels, in the store's order, tight enough for 80 columns.
        total = sum(counts.values())
        text.append(f"{plural(total, 'gap')}: ", style=GAP_STYLE)
        kinds = [k for k in GAP_KINDS if k in counts] + [k for k in counts if k not in GAP_KINDS]
        parts = [f"{GAP_SHORT.get(k, safe(k)).lower()} {counts[k]}" for k in kinds]
        text.append(", ".join(parts), style=GAP_STYLE)
    else:
        text.append("Gaps: ", style="dim")
        text.append("none", style="green")
    return text


def nearest_line(
    before: list[tuple[Any, ...]], gone: tuple[Any, ...], shown: Any
) -> tuple[Any, ...] | None:
    """Where the cursor goes when its line left: the next line still shown under the same
    theme, or else the one above it (never a line in the next theme, whose space would
    fold it)."""
    if gone not in before:
        return None
    at = before.index(gone)
    for key in before[at + 1 :]:
        if key[0] in ("theme", "dropped-heading"):
            break
        if key in shown:
            return key
    return next((key for key in reversed(before[:at]) if key in shown), None)


def _see_line(action: Any, key: tuple[Any, ...], finding: Any, first: str) -> Line:
    """One line for an action shown in full under another finding: "3.3 Title · see R8"."""
    label = Text()
    if action.ref:
        label.append(safe(action.ref), style="bold")
        label.append(" ")
    start = len(label)
    label.append(safe(action.title), style="dim")
    end = len(label)
    label.append(f"  · see {safe(first)}", style="italic")
    keep = len(label)
    node = PackNode("action", key, action.id, finding.id, ref=action.ref, see=first)
    return Line(node, ("finding", finding.id), label, leaf=True, title=(start, end), keep=keep)


def pack_lines(pack: Any, *, gaps_only: bool = False) -> list[Line]:
    """The tree's lines, in order, parents before children."""
    lines: list[Line] = []

    def evidence_line(item: Any, parent: tuple[Any, ...], finding_id: int, under: str) -> Line:
        evidence = item.evidence
        key = ("evidence", finding_id, parent, evidence.id)
        label = Text()
        label.append(
            f"{TICKED if item.ready else UNTICKED} ", style="bold green" if item.ready else "bold"
        )
        start = len(label)
        label.append(safe(evidence.title))
        end = len(label)
        # What is wrong comes before what is long (kind, file), so a narrow screen keeps it.
        label.append_text(_gap_text(item.gaps))
        keep = len(label)
        if under == "finding":
            label.append("  · for the finding", style="dim")
        label.append(f"  ({safe(evidence.kind)})", style="dim")
        if evidence.location:
            label.append(f"  {safe(location_name(evidence.location))}", style="dim italic")
        node = PackNode("evidence", key, evidence.id, finding_id, item.ready)
        return Line(node, parent, label, leaf=True, title=(start, end), keep=keep)

    # Where each action is shown in full: under the first finding (in the pack's order) it
    # answers, as the exported pack does.
    full_under: dict[int, str] = {}
    shown_actions: set[int] = set()
    for pack_theme in pack.themes:
        theme_key = ("theme", pack_theme.theme)
        theme_lines: list[Line] = []
        for pf in pack_theme.findings:
            finding = pf.finding
            finding_key = ("finding", finding.id)
            children: list[Line] = []
            for pa in pf.actions:
                action = pa.action
                action_key = ("action", finding.id, action.id)
                first = full_under.setdefault(action.id, finding.ref or finding.title)
                if first != (finding.ref or finding.title) or action.id in shown_actions:
                    if not gaps_only:  # its gaps are listed where it is shown in full
                        children.append(_see_line(action, action_key, finding, first))
                    continue
                shown_actions.add(action.id)
                items = [
                    evidence_line(item, action_key, finding.id, "action")
                    for item in pa.evidence
                    if item.gaps or not gaps_only
                ]
                if gaps_only and not (pa.gaps or items):
                    continue
                label = Text()
                if action.ref:
                    label.append(safe(action.ref), style="bold")
                    label.append(" ")
                start = len(label)
                label.append(safe(action.title))
                end = len(label)
                # BRAG and gaps before owner and due: the right edge is what gets cut.
                label.append("  ")
                label.append_text(brag_badge(action.brag))
                label.append_text(_gap_text(pa.gaps))
                keep = len(label)
                if action.due_date:
                    label.append(f"  · due {format_date(action.due_date)}", style="dim")
                if action.owner:
                    label.append(f"  · {safe(action.owner)}", style="dim")
                node = PackNode("action", action_key, action.id, finding.id, ref=action.ref)
                children.append(
                    Line(node, finding_key, label, leaf=not items, title=(start, end), keep=keep)
                )
                children.extend(items)
            for item in pf.own_evidence:  # once, under its action, if one lists it too
                if item.gaps or not gaps_only:
                    children.append(evidence_line(item, finding_key, finding.id, "finding"))
            if gaps_only and not (pf.gaps or children):
                continue
            label = Text()
            if finding.ref:
                label.append(safe(finding.ref), style="bold")
                label.append(" ")
            start = len(label)
            label.append(safe(finding.title), style="bold")
            end = len(label)
            label.append_text(_gap_text(pf.gaps))
            keep = len(label)
            if pf.added_by_hand:
                label.append("  (added by hand)", style="italic")
            if finding.source_title:
                label.append(f"  — {safe(finding.source_title)}", style="dim")
            node = PackNode(
                "finding", finding_key, finding.id, finding.id, theme=finding.theme, ref=finding.ref
            )
            theme_lines.append(
                Line(node, theme_key, label, leaf=not children, title=(start, end), keep=keep)
            )
            theme_lines.extend(children)
        if gaps_only and not theme_lines:
            continue
        count = len(pack_theme.findings)
        label = Text(safe(pack_theme.theme), style="bold underline")
        if count:
            label.append(f"  {plural(count, 'finding')}", style="dim")
        else:  # a focus theme with nothing in it yet: named, and said to be empty
            label.append(f"  {EMPTY_THEME}", style="dim italic")
        node = PackNode("theme", theme_key, theme=pack_theme.theme)
        lines.append(Line(node, None, label, leaf=not theme_lines))
        lines.extend(theme_lines)
    if pack.dropped and not gaps_only:
        heading_key = ("dropped-heading",)
        label = Text(f"Dropped from this pack ({len(pack.dropped)})", style="bold dim")
        label.append("  · a restores", style="dim")
        lines.append(Line(PackNode("dropped-heading", heading_key), None, label))
        for finding in pack.dropped:
            label = Text()
            if finding.ref:
                label.append(safe(finding.ref) + " ", style="dim bold")
            label.append(safe(finding.title), style="dim strike")
            node = PackNode(
                "dropped", ("dropped", finding.id), finding.id, finding.id, theme=finding.theme
            )
            lines.append(Line(node, heading_key, label, leaf=True))
    return lines


# The lines each of the pack's line keys acts on, by action (the keys line below names them
# for each): n adds to a finding or an action, l links from those and evidence, u updates an
# action, d drops a finding. On any other line the footer shows the key dimmed, and the key
# pressed anyway says what to select.
LINE_KEYS: dict[str, frozenset[str]] = {
    "new": frozenset({"finding", "action"}),
    "link": frozenset({"finding", "action", "evidence"}),
    "update": frozenset({"action"}),
    "drop": frozenset({"finding"}),
}


def acts_on(action: str, node: PackNode | None) -> bool:
    """Whether the line key ``action`` (new, link, update, drop) does its work on ``node``."""
    return node is not None and node.kind in LINE_KEYS[action]


def describe(node: PackNode, pack: Any) -> tuple[Text, str]:
    """The highlighted line in full (nothing cut), and the keys that act on it."""
    text = Text()
    keys = ""
    if node.kind == "theme":
        text.append(safe(node.theme), style="bold")
        text.append(" is in this visit's focus.")
        keys = "space folds or unfolds it · a adds a finding by hand"
        theme = next((t for t in getattr(pack, "themes", ()) if t.theme == node.theme), None)
        if theme is not None and not theme.findings:
            text.append(f" {EMPTY_THEME}.")
            keys = "a adds a finding by hand"
    elif node.kind == "dropped-heading":
        text.append("Findings dropped from this pack.", style="bold")
        keys = "a on one puts it back"
    elif node.kind == "dropped":
        finding = pack_entry(pack, "dropped", node)
        text.append("Dropped: ", style="dim")
        if finding is not None:
            text.append(safe(f"{finding.ref} {finding.title}".strip()), style="bold")
        keys = "a puts it back in the pack · enter opens it"
    elif node.kind == "finding":
        pf = pack_entry(pack, "finding", node)
        text.append("Finding ", style="dim")
        if pf is not None:
            finding = pf.finding
            text.append(safe(f"{finding.ref} {finding.title}".strip()), style="bold")
            if finding.source_title:
                text.append(f" — {safe(finding.source_title)}", style="dim")
            text.append_text(_gap_text(pf.gaps))
        keys = "n adds a new action to it · l links actions · enter opens · d drops it"
    elif node.kind == "action":
        pa = pack_entry(pack, "action", node)
        text.append("Action ", style="dim")
        if pa is not None:
            action = pa.action
            text.append(safe(f"{action.ref} {action.title}".strip()), style="bold")
            if node.see:
                text.append(f" answers this finding too: shown in full under {safe(node.see)}")
            text.append("  ")
            text.append_text(brag_badge(action.brag))
            text.append_text(_gap_text(pa.gaps))
            if action.due_date:
                text.append(f" · due {format_date(action.due_date)}")
            text.append(f" · {safe(action.owner)}" if action.owner else " · no owner")
            update = pa.latest_update
            if update is not None:
                text.append(f" · latest update {update.date_text}: ", style="dim")
                text.append(safe(" ".join(update.note.split())))
        keys = "u adds an update · l links evidence · n adds new evidence · enter opens"
    elif node.kind == "evidence":
        item = pack_entry(pack, "evidence", node)
        text.append("Evidence ", style="dim")
        if item is not None:
            evidence = item.evidence
            text.append(safe(evidence.title), style="bold")
            text.append(
                "  ✓ ready" if item.ready else "  ☐ not ticked",
                style="bold green" if item.ready else "bold",
            )
            text.append_text(_gap_text(item.gaps))
            text.append(f" · {safe(evidence.kind)}")
            if evidence.location:
                text.append(f" · {safe(location_name(evidence.location))}", style="dim")
        ready = item is not None and item.ready
        tick = "space unticks it" if ready else "space ticks it ready"
        keys = f"{tick} · e the next to tick · l links actions · enter opens"
    return text, keys


def pack_entry(pack: Any, kind: str, node: PackNode) -> Any:
    """The pack's own record behind a line (a finding's, action's or evidence's entry)."""
    if pack is None:
        return None
    if kind == "dropped":
        return next((f for f in pack.dropped if f.id == node.record_id), None)
    for pack_theme in pack.themes:
        for pf in pack_theme.findings:
            if pf.finding.id != node.finding_id:
                continue
            if kind == "finding":
                return pf
            if kind == "action":
                return next((pa for pa in pf.actions if pa.action.id == node.record_id), None)
            # evidence: under the action the line hangs from, or under the finding itself
            parent = node.key[2]
            if parent[0] == "action":
                pa = next((pa for pa in pf.actions if pa.action.id == parent[2]), None)
                items = pa.evidence if pa is not None else []
            else:
                items = pf.own_evidence
            return next((i for i in items if i.evidence.id == node.record_id), None)
    return None
