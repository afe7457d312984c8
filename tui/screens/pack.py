"""The visit pack builder: everything in a visit's focus, ticked ready, gaps shown, exported.

A tree of theme → finding → action → evidence. ``space`` ticks an evidence item ready
for this visit; ``a`` adds a finding by hand (or restores a dropped one), ``d`` drops
one; ``g`` shows the gaps only; ``x`` writes the Markdown checklist (the same text as
``visitprep export``) to a path you choose and shows where it went.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Label, OptionList, Static, Tree
from textual.widgets.option_list import Option
from textual.widgets.tree import TreeNode
from textual.worker import Worker, WorkerState

from store import format_date
from store.wording import countdown
from tui.screens.export_prompt import ExportPrompt, default_export_path
from tui.screens.search import highlighted
from tui.text import safe
from tui.widgets.badges import GAP_SHORT, brag_badge, gap_label
from tui.widgets.key_footer import KeyFooter

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
        text.append(f"{total} gap{'s' if total != 1 else ''}: ", style=GAP_STYLE)
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
                node = PackNode("action", action_key, action.id, finding.id)
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
            node = PackNode("finding", finding_key, finding.id, finding.id, theme=finding.theme)
            theme_lines.append(
                Line(node, theme_key, label, leaf=not children, title=(start, end), keep=keep)
            )
            theme_lines.extend(children)
        if gaps_only and not theme_lines:
            continue
        count = len(pack_theme.findings)
        label = Text(safe(pack_theme.theme), style="bold underline")
        label.append(f"  {count} finding{'s' if count != 1 else ''}", style="dim")
        lines.append(Line(PackNode("theme", theme_key, theme=pack_theme.theme), None, label))
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


class PackTree(Tree[PackNode]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select_cursor",
            "Open",
            id="pack.open",
            tooltip="Open the finding, action or evidence item (a theme folds)",
        ),
        Binding(
            "space",
            "screen.tick",
            "Tick",
            id="pack.tick",
            tooltip="Tick (or untick) an evidence item ready for this visit",
        ),
        Binding("j", "cursor_down", "Down", show=False, id="pack.down", tooltip="Next line"),
        Binding("k", "cursor_up", "Up", show=False, id="pack.up", tooltip="Previous line"),
    ]

    def __init__(self, label: str, *, id: str | None = None) -> None:
        super().__init__(label, id=id)
        # Per line (by key): where its title is and what must stay, for fit_label.
        self.cuts: dict[tuple[Any, ...], tuple[tuple[int, int], int]] = {}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Lines are fitted to the width, so there is nothing to scroll sideways to.
        return action not in ("scroll_left", "scroll_right", "page_left", "page_right")

    def render_label(self, node: TreeNode[PackNode], base_style: Style, style: Style) -> Text:
        label = super().render_label(node, base_style, style)
        depth = 0  # under the hidden root: the first level has no guides
        parent = node.parent
        while parent is not None and parent is not self.root:
            depth, parent = depth + 1, parent.parent
        width = self.scrollable_content_region.width - depth * self.guide_depth
        if width <= 0 or label.cell_len <= width:
            return label
        no_cut = ((0, 0), 0)  # a theme's line, say: cut at the edge
        (start, end), keep = self.cuts.get(node.data.key, no_cut) if node.data else no_cut
        icon = len(label) - len(node.label)  # the fold mark before the label, if any
        return fit_label(label, width, (start + icon, end + icon), keep + icon)


def describe(node: PackNode, pack: Any) -> tuple[Text, str]:
    """The highlighted line in full (nothing cut), and the keys that act on it."""
    text = Text()
    keys = ""
    if node.kind == "theme":
        text.append(safe(node.theme), style="bold")
        text.append(" is in this visit's focus.")
        keys = "space folds or unfolds it · a adds a finding by hand"
    elif node.kind == "dropped-heading":
        text.append("Findings dropped from this pack.", style="bold")
        keys = "a on one puts it back"
    elif node.kind == "dropped":
        finding = _find(pack, "dropped", node)
        text.append("Dropped: ", style="dim")
        if finding is not None:
            text.append(safe(f"{finding.ref} {finding.title}".strip()), style="bold")
        keys = "a puts it back in the pack · enter opens it"
    elif node.kind == "finding":
        pf = _find(pack, "finding", node)
        text.append("Finding ", style="dim")
        if pf is not None:
            finding = pf.finding
            text.append(safe(f"{finding.ref} {finding.title}".strip()), style="bold")
            if finding.source_title:
                text.append(f" — {safe(finding.source_title)}", style="dim")
            text.append_text(_gap_text(pf.gaps))
        keys = "n adds a new action to it · l links actions · enter opens · d drops it"
    elif node.kind == "action":
        pa = _find(pack, "action", node)
        text.append("Action ", style="dim")
        if pa is not None:
            action = pa.action
            text.append(safe(f"{action.ref} {action.title}".strip()), style="bold")
            text.append("  ")
            text.append_text(brag_badge(action.brag))
            text.append_text(_gap_text(pa.gaps))
            if action.due_date:
                text.append(f" · due {format_date(action.due_date)}")
            text.append(f" · {safe(action.owner)}" if action.owner else " · no owner")
            update = pa.latest_update
            if update is not None:
                text.append(f" · latest update {format_date(update.on_date)}: ", style="dim")
                text.append(safe(" ".join(update.note.split())))
        keys = "u adds an update · l links evidence · n adds new evidence · enter opens"
    elif node.kind == "evidence":
        item = _find(pack, "evidence", node)
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
        tick = "space unticks it" if ready else "space ticks it ready for this visit"
        keys = f"{tick} · l links actions · enter opens"
    return text, keys


def _find(pack: Any, kind: str, node: PackNode) -> Any:
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


class PackScreen(Screen[None]):
    """Build and check one visit's evidence pack."""

    DEFAULT_CSS = """
    PackScreen #pack-header { height: auto; padding: 0 1; border-bottom: solid $primary; }
    /* Lines are fitted to the width (fit_label), never scrolled sideways. */
    PackScreen PackTree { height: 1fr; overflow-x: hidden; scrollbar-gutter: stable; }
    PackScreen #pack-detail {
        height: auto; max-height: 3; padding: 0 1; border-top: solid $primary;
    }
    PackScreen #pack-keys { height: 1; padding: 0 1; color: $text-muted; }
    PackScreen #pack-status { height: auto; padding: 0 1; color: $text-muted; }
    """

    # In the footer's order, which a narrow footer keeps from the first: export and gaps act
    # on the whole pack and are said nowhere else; the line under the tree names the keys
    # for the highlighted line (n, l, u, a, d), so those give way first.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "export", "Export", id="pack.export", tooltip="Write the Markdown checklist"),
        Binding("g", "gaps", "Gaps", id="pack.gaps", tooltip="Show only what has gaps (or all)"),
        Binding(
            "n",
            "new",
            "New",
            id="pack.new",
            tooltip="On a finding: a new action for it; on an action: new evidence for it",
        ),
        Binding("l", "link", "Link", id="pack.link", tooltip="Link actions or evidence"),
        Binding("u", "update", "Update", id="pack.update", tooltip="Add an update to the action"),
        Binding("a", "add", "Add", id="pack.add", tooltip="Add (or restore) a finding"),
        Binding("d", "drop", "Drop", id="pack.drop", tooltip="Drop the selected finding"),
        Binding(
            "escape",
            "back",
            "Back",
            show=False,
            id="pack.back",
            tooltip="Leave the pack for the screen it was opened from",
        ),
    ]

    def __init__(self, visit_id: int) -> None:
        super().__init__()
        self.visit_id = visit_id
        self.pack: Any = None
        self.gaps_only = False
        self._line_keys: list[tuple[Any, ...]] = []
        self._tree_nodes: dict[tuple[Any, ...], TreeNode[PackNode]] = {}
        # Where the cursor goes once the next pack lands (a line just added): set once what
        # it names is in the store, and used (or dropped) by the first load after that.
        self._wanted_key: tuple[Any, ...] | None = None
        # A line that left the gaps view, and the line the cursor went to instead: if the
        # line comes back (the link just made is unmade) while the cursor is still there,
        # the cursor goes back to it.
        self._left_for: tuple[tuple[Any, ...], tuple[Any, ...]] | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("Loading the pack…"), id="pack-header")
        tree: PackTree = PackTree("pack", id="pack-tree")
        tree.show_root = False
        tree.auto_expand = False
        yield tree
        yield Static("", id="pack-detail")
        yield Static("", id="pack-keys")
        yield Static("", id="pack-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#pack-status", Static).display = False
        self.query_one(PackTree).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        if self.pack is not None:
            self.reload()

    def on_store_changed(self, _message: object) -> None:
        self.reload()

    # ------------------------------------------------------------------ loading

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="pack-load", name="load")
    def _load(self) -> Any:
        from store import build_pack

        return build_pack(self.app.store, self.visit_id)  # type: ignore[attr-defined]

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state == WorkerState.SUCCESS:
            if worker.name == "load":
                self._show(worker.result)
            elif worker.name == "write":
                message, self._wanted_key = worker.result
                self._status(Text(message))
                self.reload()
        elif event.state == WorkerState.ERROR:
            message = str(worker.error)
            if worker.name == "load" and self.pack is None:
                self.query_one("#pack-header", Static).update(
                    Text(f"Could not build the pack: {safe(message)}", style="bold")
                )
            self._status(Text(f"⚠ {safe(message)}", style="bold red"))
            self.app.show_error(message)  # type: ignore[attr-defined]
            if worker.name == "write":
                self.reload()

    # ------------------------------------------------------------------ showing

    def _show(self, pack: Any) -> None:
        self.pack = pack
        self.query_one("#pack-header", Static).update(header_text(pack))
        lines = pack_lines(pack, gaps_only=self.gaps_only)
        keys = [line.node.key for line in lines]
        tree = self.query_one(PackTree)
        wanted, self._wanted_key = self._wanted_key, None
        tree.cuts = {line.node.key: (line.title, line.keep) for line in lines}
        if keys == self._line_keys:
            for line in lines:  # same shape: change the labels in place
                node = self._tree_nodes[line.node.key]
                node.data = line.node
                node.set_label(line.label)
            if wanted in self._tree_nodes:  # already built by an earlier reload
                self._cursor_to(wanted)
        else:
            self._rebuild(tree, lines, wanted)
        self._line_keys = keys
        self._describe()
        if not lines:
            message = (
                "No gaps in this pack." if self.gaps_only else "Nothing in scope yet: press a."
            )
            self._status(Text(message))

    def _rebuild(self, tree: PackTree, lines: list[Line], wanted: tuple[Any, ...] | None) -> None:
        # The line the lead is on. The cursor is always moved here, at once, never later,
        # so a second load landing straight after this one still finds it on the right line.
        cursor = tree.cursor_node
        here = cursor.data.key if cursor is not None and cursor.data is not None else None
        before = self._line_keys
        # Only what the lead folded stays folded: a leaf that gains children opens.
        collapsed = {
            key
            for key, node in self._tree_nodes.items()
            if node.allow_expand and not node.is_expanded
        }
        tree.clear()
        self._tree_nodes = {}
        for line in lines:
            parent = tree.root if line.parent is None else self._tree_nodes[line.parent]
            if line.leaf:
                node = parent.add_leaf(line.label, data=line.node)
            else:
                node = parent.add(line.label, data=line.node)
                if line.node.key not in collapsed and line.expand:
                    node.expand()
            self._tree_nodes[line.node.key] = node
        left = here is not None and here not in self._tree_nodes
        gone_for, self._left_for = self._left_for, None
        back = gone_for is not None and gone_for[1] == here and gone_for[0] in self._tree_nodes
        if wanted in self._tree_nodes:
            self._cursor_to(wanted)
        elif back and gone_for is not None:
            self._cursor_to(gone_for[0])
            self._status(Text("That line has a gap again, so it is back in this view."))
        elif here in self._tree_nodes:
            self._cursor_to(here)
        elif left and (near := nearest_line(before, here, self._tree_nodes)) is not None:
            self._cursor_to(near)
        elif lines:
            # A cleared tree has no cursor: put it on the first line, so space and enter
            # act at once and the line under the tree says where it is.
            self._cursor_to(lines[0].node.key)
        # Gone from this view but still in the pack (not dropped, say): its last gap was
        # closed (evidence linked, an action added), so say where it went.
        if (
            left
            and self.gaps_only
            and self.pack is not None
            and any(line.node.key == here for line in pack_lines(self.pack))
        ):
            self._status(Text("✓ That line has no gaps left, so it left this view (g shows all)."))
            landed = self.query_one(PackTree).cursor_node
            if here is not None and landed is not None and landed.data is not None:
                self._left_for = (here, landed.data.key)

    def _cursor_to(self, key: tuple[Any, ...]) -> None:
        tree = self.query_one(PackTree)
        node = self._tree_nodes[key]
        tree.last_line  # noqa: B018 (lays the lines out now, so the node knows its line)
        tree.move_cursor(node)
        # Scrolled to once the tree knows its new height.
        self.call_after_refresh(tree.scroll_to_node, node, animate=False)

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted[PackNode]) -> None:
        event.stop()
        self._describe()

    def _describe(self) -> None:
        """Say what the highlighted line is, in full, and what can be done to it."""
        selected = self._selected()
        text, keys = describe(selected, self.pack) if selected is not None else (Text(), "")
        self.query_one("#pack-detail", Static).update(text)
        self.query_one("#pack-keys", Static).update(Text(keys))

    def _status(self, text: Text) -> None:
        status = self.query_one("#pack-status", Static)
        status.update(text)
        status.display = bool(text.plain)  # no blank line under the tree when all is quiet

    def _selected(self) -> PackNode | None:
        node = self.query_one(PackTree).cursor_node
        return node.data if node is not None else None

    # ------------------------------------------------------------------ actions

    @work(thread=True, exit_on_error=False, group="pack-write", name="write")
    def _write(
        self, change: str, record_id: int, value: Any, then: tuple[Any, ...] | None = None
    ) -> tuple[str, tuple[Any, ...] | None]:
        """Write; the message to show, and the line the cursor goes to (``then``) once done."""
        import store as api

        store = self.app.store  # type: ignore[attr-defined]
        if change == "ready":
            api.set_evidence_ready(store, self.visit_id, record_id, value)
            if not value:
                return "Unticked.", then
            # Ticked, but a gap of its own stays a gap: say so, so the tick is not mistaken
            # for the fix.
            problems = sorted(
                {GAP_WORDS.get(g.kind, "") for g in self._gaps_of("evidence", record_id)} - {""}
            )
            if problems:
                return f"Ticked ready, though it is {' and '.join(problems)}: still a gap.", then
            return "Ticked ready.", then
        api.set_finding_in_pack(store, self.visit_id, record_id, value)
        words = {
            True: "Finding added.",
            None: "Finding restored.",
            False: "Finding dropped: it is under Dropped at the end, where a puts it back.",
        }
        return words[value], then

    def _gaps_of(self, record_kind: str, record_id: int) -> list[Any]:
        pack = self.pack
        if pack is None:
            return []
        return [g for g in pack.gaps if g.record_kind == record_kind and g.record_id == record_id]

    def action_tick(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        if selected.kind != "evidence":
            node = self.query_one(PackTree).cursor_node
            if node is not None and node.allow_expand:
                node.toggle()
            return
        self._write("ready", selected.record_id, not selected.ready)

    def action_drop(self) -> None:
        selected = self._selected()
        if selected is None or selected.kind not in ("finding", "dropped"):
            self._status(Text("Select a finding to drop it from the pack."))
            return
        if selected.kind == "dropped":
            self._status(Text("Already dropped: press a to put it back."))
            return
        self._write("scope", selected.record_id, False, ("dropped", selected.record_id))

    def action_add(self) -> None:
        selected = self._selected()
        if selected is not None and selected.kind == "dropped":
            in_focus = self.pack is not None and selected.theme in self.pack.visit.focus_themes
            value = None if in_focus else True
            self._write("scope", selected.record_id, value, ("finding", selected.record_id))
            return
        in_scope = {key[1] for key in self._tree_nodes if key[0] == "finding"}
        if self.pack is not None:
            in_scope |= {pf.finding.id for theme in self.pack.themes for pf in theme.findings}

        def chosen(finding_id: int | None) -> None:
            if finding_id is not None:
                self._write("scope", finding_id, True, ("finding", finding_id))

        self.app.push_screen(FindingChooser(in_scope), chosen)

    def action_gaps(self) -> None:
        self.gaps_only = not self.gaps_only
        self._left_for = None  # lines come and go with the view now, not with a change
        self._status(Text("Showing gaps only (g shows all)." if self.gaps_only else ""))
        if self.pack is not None:
            self._show(self.pack)

    def action_export(self) -> None:
        if self.pack is None:
            return
        default = default_export_path(self.pack.visit.title)

        def written(path: str | None) -> None:
            if path:
                self._status(Text(f"Checklist written to {safe(path)}", style="bold"))
                self.notify(f"Checklist written to {safe(path)}", title="Exported", markup=False)

        self.app.push_screen(ExportPrompt(self.visit_id, default), written)

    def action_new(self) -> None:
        """A new action for the selected finding, or new evidence for the selected action."""
        from tui.screens.record_form import RecordForm

        selected = self._selected()
        if selected is None or selected.kind not in ("finding", "action"):
            self._status(
                Text("Select a finding (n adds an action) or an action (n adds evidence).")
            )
            return
        if selected.kind == "finding":
            kind, what = "action", self._record_name(("finding", selected.record_id))
            defaults: dict[str, Any] = {"finding_ids": [selected.record_id]}
            if selected.theme:
                defaults["theme"] = selected.theme
        else:
            kind, what = "evidence", self._record_name(selected.key)
            defaults = {"action_ids": [selected.record_id]}
        noun = "action" if kind == "action" else "evidence item"

        def saved(record_id: int | None) -> None:
            if record_id is not None:
                # The cursor goes to the new line, under what it was added to.
                if kind == "action":
                    self._wanted_key = ("action", selected.finding_id, record_id)
                else:
                    self._wanted_key = ("evidence", selected.finding_id, selected.key, record_id)
                message = f"New {noun} added to {what}."
                self._status(Text(message, style="bold"))
                self.notify(message, markup=False)
                self.reload()

        form = RecordForm(kind, defaults=defaults, heading=f"New {noun} for {what}")
        self.app.push_screen(form, saved)

    def _record_name(self, key: tuple[Any, ...]) -> str:
        """A finding's or action's ref and title, for a message (user text, kept safe)."""
        node = self._tree_nodes.get(key)
        data = node.data if node is not None else None
        if data is not None and self.pack is not None:
            found = _find(self.pack, data.kind, data)
            record = getattr(found, "finding", None) or getattr(found, "action", None)
            if record is not None:
                return safe(f"{record.ref} {record.title}".strip())
        return "it"

    def action_link(self) -> None:
        from tui.screens.link_picker import LinkPicker

        selected = self._selected()
        if selected is None or selected.kind not in ("finding", "action", "evidence"):
            self._status(Text("Select a finding, action or evidence item to link."))
            return
        to_kind = {"finding": "action", "action": "evidence", "evidence": "action"}
        self.app.push_screen(LinkPicker(selected.kind, selected.record_id, to_kind[selected.kind]))

    def action_update(self) -> None:
        from tui.screens.update_form import ActionUpdateForm

        selected = self._selected()
        if selected is None or selected.kind != "action":
            self._status(Text("Select an action to add an update to it."))
            return
        self.app.push_screen(ActionUpdateForm(selected.record_id))

    def action_back(self) -> None:
        self.dismiss(None)

    @on(Tree.NodeSelected)
    def _open(self, event: Tree.NodeSelected[PackNode]) -> None:
        event.stop()
        data = event.node.data
        if data is None:
            return
        if data.kind in ("finding", "dropped"):
            self.app.open_record("finding", data.record_id)  # type: ignore[attr-defined]
        elif data.kind in ("action", "evidence"):
            self.app.open_record(data.kind, data.record_id)  # type: ignore[attr-defined]
        else:
            event.node.toggle()


class FindingChooser(ModalScreen[int | None]):
    """Choose a finding to add to the pack by hand: type to filter, enter to add."""

    DEFAULT_CSS = """
    FindingChooser { align: center middle; }
    FindingChooser #chooser-dialog {
        width: 100; max-width: 100%; height: 80%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    FindingChooser #chooser-status { color: $text-muted; height: 1; }
    FindingChooser OptionList { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Cancel", id="chooser.close", tooltip="Add nothing"),
        Binding("down", "move(1)", "Next", show=False, id="chooser.next"),
        Binding("up", "move(-1)", "Previous", show=False, id="chooser.previous"),
    ]

    def __init__(self, in_scope: set[int]) -> None:
        super().__init__()
        self.in_scope = set(in_scope)
        self.hits: list[Any] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="chooser-dialog"):
            yield Label("Add a finding to this pack")
            yield Input(placeholder="Type to find a finding (typos are fine)", id="chooser-query")
            yield Static("", id="chooser-status")
            yield OptionList(id="chooser-list")
        # Its own keys at the foot, not those of the screen underneath.
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#chooser-query", Input).focus()
        self._search("")

    @work(thread=True, exclusive=True, exit_on_error=False, group="chooser", name="search")
    def _search(self, query: str) -> tuple[str, list[Any]]:
        from store.search import search

        store = self.app.store  # type: ignore[attr-defined]
        hits = search(store, query, limit=50 + len(self.in_scope), kind="finding")
        return query, [h for h in hits if h.id not in self.in_scope][:50]

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.SUCCESS:
            query, hits = event.worker.result
            if query != self.query_one("#chooser-query", Input).value:
                return
            self.hits = hits
            option_list = self.query_one("#chooser-list", OptionList)
            option_list.set_options(Option(self._prompt(h)) for h in hits)
            if hits:
                option_list.highlighted = 0
            status = f"{len(hits)} not in the pack · enter adds" if hits else "No findings match."
            self.query_one("#chooser-status", Static).update(Text(status))
        elif event.state == WorkerState.ERROR:
            self.app.show_error(f"Search failed: {event.worker.error}")  # type: ignore[attr-defined]

    @staticmethod
    def _prompt(hit: Any) -> Text:
        text = Text()
        if hit.ref:
            text.append(safe(hit.ref) + "  ", style="bold")
        text.append_text(highlighted(hit.title, hit.title_spans))
        if hit.theme or hit.source:
            text.append(f"  · {safe(hit.theme or hit.source)}", style="dim italic")
        return text

    @on(Input.Changed, "#chooser-query")
    def _typed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @on(Input.Submitted, "#chooser-query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._choose(self.query_one("#chooser-list", OptionList).highlighted)

    @on(OptionList.OptionSelected, "#chooser-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option_index)

    def _choose(self, index: int | None) -> None:
        if index is not None and 0 <= index < len(self.hits):
            self.dismiss(self.hits[index].id)

    def action_move(self, step: int) -> None:
        option_list = self.query_one("#chooser-list", OptionList)
        (option_list.action_cursor_down if step > 0 else option_list.action_cursor_up)()

    def action_close(self) -> None:
        self.dismiss(None)
