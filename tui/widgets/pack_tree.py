"""The pack's tree: one line per theme, finding, action and evidence item, each fitted to
the width (the title gives way, the ref, BRAG and gaps stay)."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.presenters.pack import PackNode, fit_label


class PackTree(Tree[PackNode]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select_cursor",
            "Open",
            show=False,  # the line under the tree names enter and space for the line
            id="pack.open",
            tooltip="Open the finding, action or evidence item (a theme folds)",
        ),
        Binding(
            "space",
            "screen.tick",
            "Tick",
            show=False,
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
