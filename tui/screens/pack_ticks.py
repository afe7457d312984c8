"""The pack's ``e``: the cursor to the next evidence item not yet ticked ready.

Ticking a visit's evidence is the pack's most repeated job, and arrows took a key for every
line between two items (issue 19.8: about 80 keys to tick 9). ``e`` goes straight to the
next unticked item in the view, wrapping round, so each tick is ``e`` then ``space``.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text


class NextToTick:
    """For the pack screen (its ``_line_keys``, ``_tree_nodes``, ``_status``, ``_cursor_to``)."""

    _line_keys: list[tuple[Any, ...]]
    _tree_nodes: dict[tuple[Any, ...], Any]

    def action_next_to_tick(self) -> None:
        """The next evidence line after the cursor not yet ticked ready, wrapping round."""
        self._status(Text())  # type: ignore[attr-defined]
        order = self._line_keys
        todo = [
            key
            for key in order
            if key[0] == "evidence"
            and key in self._tree_nodes
            and self._tree_nodes[key].data is not None
            and not self._tree_nodes[key].data.ready
        ]
        if not todo:
            words = "Nothing left to tick in this view: every evidence item in it is ready."
            self._status(Text(words))  # type: ignore[attr-defined]
            return
        node = self.query_one("#pack-tree").cursor_node  # type: ignore[attr-defined]
        here = node.data.key if node is not None and node.data is not None else None
        at = order.index(here) if here in order else -1
        later = [key for key in todo if order.index(key) > at]
        self._cursor_to(later[0] if later else todo[0])  # type: ignore[attr-defined]
