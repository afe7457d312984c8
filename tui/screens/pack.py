"""The visit pack builder: everything in a visit's focus, ticked ready, gaps shown, exported.

A tree of theme → finding → action → evidence. ``space`` ticks an evidence item ready
for this visit; ``a`` adds a finding by hand (or restores a dropped one), ``d`` drops
one; ``g`` shows the gaps only; ``x`` exports the pack (Markdown, Word or a web page, the
same files as ``visitprep export``) to a path you choose and shows where it went.

What the lines say is in :mod:`tui.presenters.pack`; the tree widget is
:mod:`tui.widgets.pack_tree`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from store.wording import countdown
from tui.commands_palette import FindingsToAdd, PickerPalette
from tui.presenters.pack import (
    GAP_WORDS,
    LINE_KEYS,
    Line,
    PackNode,
    acts_on,
    describe,
    header_text,
    location_name,
    nearest_line,
    pack_entry,
    pack_lines,
)
from tui.screens.export_prompt import ExportPrompt, default_export_path, export_prompt
from tui.screens.mention_review import PackOffer
from tui.screens.pack_keys import PACK_BINDINGS
from tui.screens.pack_walk import PackWalk
from tui.text import safe
from tui.typed_app import app_of
from tui.widgets.key_footer import KeyFooter
from tui.widgets.pack_measures import PackMeasures
from tui.widgets.pack_tree import PackTree
from tui.workers import Failed, worker

__all__ = [
    "ExportPrompt",
    "PackScreen",
    "PackTree",
    "countdown",
    "default_export_path",
    "location_name",
]


class PackScreen(PackOffer, PackWalk, Screen[None]):
    """Build and check one visit's evidence pack."""

    CSS_PATH = "pack.tcss"

    # At 80 columns the footer keeps every key below and lets the app's / and q go (help,
    # which lists them, stays).
    FOOTER_KEEPS_OWN_KEYS = True

    # The keys, in the footer's order: tui.screens.pack_keys.
    BINDINGS: ClassVar[list[BindingType]] = PACK_BINDINGS

    def __init__(self, visit_id: int) -> None:
        super().__init__()
        self.visit_id = visit_id
        self.pack: Any = None
        self.gaps_only = False
        self._line_keys: list[tuple[Any, ...]] = []
        self._tree_nodes: dict[tuple[Any, ...], TreeNode[PackNode]] = {}
        # Where the cursor goes once the next pack lands (a line just added): set once what
        # it names is in the store, and used (or dropped) by the first load begun after that
        # (_wanted_from): a load begun before the write can land after it, without the line.
        self._wanted_key: tuple[Any, ...] | None = None
        self._loads = 0  # loads begun
        self._wanted_from = 0
        # A line that left the gaps view, and the line the cursor went to instead: if the
        # line comes back (the link just made is unmade) while the cursor is still there,
        # the cursor goes back to it.
        self._left_for: tuple[tuple[Any, ...], tuple[Any, ...]] | None = None
        # Findings outside the focus themes that name the focus (store.focus): offered.
        self.mentions: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Static(Text("Loading the pack…"), id="pack-header")
        yield Static("", id="pack-offer")
        yield PackMeasures(self.visit_id, id="pack-measures")  # issue 16
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
        self.query_one("#pack-offer", Static).display = False
        self.query_one(PackTree).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        if self.pack is not None:
            self.reload()

    def on_store_changed(self, _message: object) -> None:
        self.reload()

    # ------------------------------------------------------------------ loading

    def reload(self) -> None:
        self._loads += 1
        self._load(self._loads)
        self._find_mentions()
        self.query_one(PackMeasures).load()

    def action_measures(self) -> None:
        themes = self.query_one(PackMeasures).theme_ids
        app_of(self).open_measures(themes=themes)

    class Loaded(Message):
        """The visit's pack, built."""

        def __init__(self, pack: Any, serial: int = 0) -> None:
            super().__init__()
            self.pack = pack
            self.serial = serial  # which load (PackScreen._loads) built it

    class LoadFailed(Failed):
        """The pack could not be built."""

    @worker(group="pack-load", name="load", failed=LoadFailed)
    def _load(self, serial: int = 0) -> Loaded:
        from store import build_pack

        return self.Loaded(build_pack(app_of(self).store, self.visit_id), serial)

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self._show(message.pack, message.serial)

    def _reload_to(self, key: tuple[Any, ...] | None) -> None:
        """Reload, and put the cursor on ``key`` once a load begun from now has landed."""
        self._wanted_key = key
        self._wanted_from = self._loads + 1
        self.reload()

    @on(PackOffer.MentionsFound)
    def _mentions_found(self, message: PackOffer.MentionsFound) -> None:
        self._show_offer(message.mentions)

    @on(PackOffer.Written)
    def _written(self, message: PackOffer.Written) -> None:
        self._status(Text(message.message))
        self._reload_to(message.then)

    @on(LoadFailed)
    @on(PackOffer.MentionsFailed)
    @on(PackOffer.WriteFailed)
    def _failed(self, failure: Failed) -> None:
        message = str(failure.error)
        if isinstance(failure, self.LoadFailed) and self.pack is None:
            self.query_one("#pack-header", Static).update(
                Text(f"Could not build the pack: {safe(message)}", style="bold")
            )
        self._status(Text(f"⚠ {safe(message)}", style="bold red"))
        app_of(self).show_error(message)
        if isinstance(failure, PackOffer.WriteFailed):
            self.reload()

    # ------------------------------------------------------------------ showing

    def _show(self, pack: Any, serial: int | None = None) -> None:
        self.pack = pack
        self.query_one("#pack-header", Static).update(header_text(pack))
        lines = pack_lines(pack, gaps_only=self.gaps_only)
        keys = [line.node.key for line in lines]
        tree = self.query_one(PackTree)
        wanted = None
        if serial is None or serial >= self._wanted_from:  # else: begun before the write
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
        if wanted is not None and wanted not in self._tree_nodes and self.gaps_only:
            self._say_hidden(pack, wanted)
        if not lines:
            message = (
                "No gaps in this pack." if self.gaps_only else "Nothing in scope yet: press a."
            )
            self._status(Text(message))

    def _say_hidden(self, pack: Any, key: tuple[Any, ...]) -> None:
        """The line just added (a finding put in by hand) has no gaps, so the gaps view
        does not show it and the cursor could not go to it: say which it is and where."""
        for line in pack_lines(pack):
            if line.node.key == key:
                start, end = line.title
                name = " ".join(p for p in (line.node.ref, line.label.plain[start:end]) if p)
                self._status(
                    Text(
                        f"{safe(name)}: in the pack, with no gaps, so not in this view (g shows all)."
                    )
                )
                return

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
        elif (
            left
            and here is not None
            and (near := nearest_line(before, here, self._tree_nodes)) is not None
        ):
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
        self.refresh_bindings()  # the footer dims n, l, u and d where they do nothing

    def _status(self, text: Text) -> None:
        status = self.query_one("#pack-status", Static)
        status.update(text)
        status.display = bool(text.plain)  # no blank line under the tree when all is quiet

    def _selected(self) -> PackNode | None:
        node = self.query_one(PackTree).cursor_node
        return node.data if node is not None else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # n, l, u and d act on some lines only (u on an action): elsewhere the footer shows
        # them dimmed (None), as the line under the tree leaves them out.
        if action in LINE_KEYS:
            return True if acts_on(action, self._selected()) else None
        return True

    def on_key(self, event: events.Key) -> None:
        # Textual runs nothing for a dimmed key: pressed anyway, it says what to select.
        entry = self.active_bindings.get(event.key)
        if entry is not None and entry.node is self and not entry.enabled:
            action = getattr(self, f"action_{entry.binding.action}", None)
            if callable(action):
                event.stop()
                action()

    # ------------------------------------------------------------------ actions

    @worker(group="pack-write", name="write", exclusive=False, failed=PackOffer.WriteFailed)
    def _write(
        self, change: str, record_id: int, value: Any, then: tuple[Any, ...] | None = None
    ) -> PackOffer.Written:
        """Write; the message to show, and the line the cursor goes to (``then``) once done."""
        import store as api

        store = app_of(self).store
        if change == "ready":
            api.set_evidence_ready(store, self.visit_id, record_id, value)
            if not value:
                return self.Written("Unticked.", then)
            # Ticked, but a gap of its own stays a gap: say so, so the tick is not mistaken
            # for the fix.
            problems = sorted(
                {GAP_WORDS.get(g.kind, "") for g in self._gaps_of("evidence", record_id)} - {""}
            )
            if problems:
                return self.Written(
                    f"Ticked ready, though it is {' and '.join(problems)}: still a gap.", then
                )
            return self.Written("Ticked ready.", then)
        api.set_finding_in_pack(store, self.visit_id, record_id, value)
        words = {
            True: "Finding added.",
            None: "Finding restored.",
            False: "Finding dropped: it is under Dropped at the end, where a puts it back.",
        }
        return self.Written(words[value], then)

    def _gaps_of(self, record_kind: str, record_id: int) -> list[Any]:
        pack = self.pack
        if pack is None:
            return []
        return [g for g in pack.gaps if g.record_kind == record_kind and g.record_id == record_id]

    def action_tick(self) -> None:
        self._status(Text())  # an old message is not about what happens next
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
        self._status(Text())  # an old message is not about what happens next
        selected = self._selected()
        if selected is None or selected.kind not in ("finding", "dropped"):
            self._status(Text("Select a finding to drop it from the pack."))
            return
        if selected.kind == "dropped":
            self._status(Text("Already dropped: press a to put it back."))
            return
        self._write("scope", selected.record_id, False, ("dropped", selected.record_id))

    def action_add(self) -> None:
        self._status(Text())  # an old message is not about what happens next
        selected = self._selected()
        if selected is not None and selected.kind == "dropped":
            in_focus = self.pack is not None and selected.theme in self.pack.visit.focus_themes
            value = None if in_focus else True
            self._write("scope", selected.record_id, value, ("finding", selected.record_id))
            return
        # The findings not in the pack, in the command palette: FindingsToAdd asks this
        # screen which they are (findings_in_pack) and adds the one chosen (add_finding).
        self.app.push_screen(PickerPalette(FindingsToAdd, placeholder=FindingsToAdd.PLACEHOLDER))

    def findings_in_pack(self) -> set[int]:
        """The findings shown in the pack, or in it as last built: a does not offer them."""
        in_scope = {key[1] for key in self._tree_nodes if key[0] == "finding"}
        if self.pack is not None:
            in_scope |= {pf.finding.id for theme in self.pack.themes for pf in theme.findings}
        return in_scope

    def add_finding(self, finding_id: int) -> None:
        """Put a finding in the pack by hand; the cursor goes to it once written."""
        self._write("scope", finding_id, True, ("finding", finding_id))

    def action_gaps(self) -> None:
        self.gaps_only = not self.gaps_only
        self._left_for = None  # lines come and go with the view now, not with a change
        self._status(Text("Showing gaps only (g shows all)." if self.gaps_only else ""))
        if self.pack is not None:
            self._show(self.pack)

    def action_export(self) -> None:
        self._status(Text())  # an old message is not about what happens next
        if self.pack is None:
            return

        def written(path: str | None) -> None:
            if path:
                self._status(Text(f"Written to {safe(path)}", style="bold"))
                self.notify(f"Written to {safe(path)}", title="Exported", markup=False)

        # On a line someone owns, the prompt offers that owner's chase list alone.
        owner = self._owner_here()
        prompt = export_prompt(self.app, self.visit_id, self.pack.visit.title, owner=owner)
        self.app.push_screen(prompt, written)

    def _owner_here(self) -> str | None:
        selected = self._selected()
        if selected is None or selected.kind not in ("action", "evidence"):
            return None
        entry = pack_entry(self.pack, selected.kind, selected)
        record = getattr(entry, "action", None) or getattr(entry, "evidence", None)
        owner = " ".join(str(getattr(record, "owner", "") or "").split())
        return owner or None

    def action_new(self) -> None:
        """A new action for the selected finding, or new evidence for the selected action."""
        self._status(Text())  # an old message is not about what happens next
        from tui.screens.record_form import RecordForm

        selected = self._selected()
        if selected is None or not acts_on("new", selected):
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
                    key: tuple[Any, ...] = ("action", selected.finding_id, record_id)
                else:
                    key = ("evidence", selected.finding_id, selected.key, record_id)
                message = f"New {noun} added to {what}."
                self._status(Text(message, style="bold"))
                self.notify(message, markup=False)
                self._reload_to(key)

        form = RecordForm(kind, defaults=defaults, heading=f"New {noun} for {what}")
        self.app.push_screen(form, saved)

    def _record_name(self, key: tuple[Any, ...]) -> str:
        """A finding's or action's ref and title, for a message (user text, kept safe)."""
        node = self._tree_nodes.get(key)
        data = node.data if node is not None else None
        if data is not None and self.pack is not None:
            found = pack_entry(self.pack, data.kind, data)
            record = getattr(found, "finding", None) or getattr(found, "action", None)
            if record is not None:
                return safe(f"{record.ref} {record.title}".strip())
        return "it"

    def action_link(self) -> None:
        self._status(Text())  # an old message is not about what happens next
        from tui.screens.link_picker import LinkPicker

        selected = self._selected()
        if selected is None or not acts_on("link", selected):
            self._status(Text("Select a finding, action or evidence item to link."))
            return
        to_kind = {"finding": "action", "action": "evidence", "evidence": "action"}
        self.app.push_screen(LinkPicker(selected.kind, selected.record_id, to_kind[selected.kind]))

    def action_update(self) -> None:
        self._status(Text())  # an old message is not about what happens next
        from tui.screens.update_form import ActionUpdateForm

        selected = self._selected()
        if selected is None or not acts_on("update", selected):
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
            app_of(self).open_record("finding", data.record_id)
        elif data.kind in ("action", "evidence"):
            app_of(self).open_record(data.kind, data.record_id)
        else:
            event.node.toggle()
