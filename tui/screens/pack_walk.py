"""Walking the pack: the cursor to a ref, to the next finding or theme, to the next item to tick.

A pack of a few hundred lines is walked by key, not by arrow (issue 19.8: reaching a finding
took 34 arrow presses, ticking 9 items about 80):

- ``f`` asks for a ref and goes to its line. Two reports' R1 in one pack: the ref typed again
  goes on to the next after the cursor, round to the first.
- ``]`` ``[`` and ``}`` ``{`` go to the next or previous finding and theme, wrapping round.
- ``e`` goes to the next evidence item not yet ticked ready, wrapping round, so each tick is
  ``e`` then ``space``.

:class:`PackWalk` is a mixin for :class:`tui.screens.pack.PackScreen`; it reads the screen's
lines (``_line_keys`` in order, ``_tree_nodes`` by key) and moves its cursor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text

from tui.screens.ref_prompt import RefPrompt
from tui.text import safe
from tui.widgets.pack_tree import PackTree

if TYPE_CHECKING:
    from textual.widgets.tree import TreeNode

    from tui.presenters.pack import PackNode

    _Base = Any
else:
    _Base = object


class PackWalk(_Base):
    """For the pack screen: its lines, its tree, its status line and its cursor."""

    _line_keys: list[tuple[Any, ...]]
    _tree_nodes: dict[tuple[Any, ...], TreeNode[PackNode]]
    gaps_only: bool

    def _tree(self) -> PackTree:
        return self.query_one(PackTree)

    def action_next(self, kind: str, step: int) -> None:
        """The cursor to the next (or previous) finding or theme line, wrapping round."""
        self._status(Text())
        keys = [key for key in self._line_keys if key[0] == kind and key in self._tree_nodes]
        if not keys:
            return
        node = self._tree().cursor_node
        here = node.data.key if node is not None and node.data is not None else None
        order = self._line_keys
        at = order.index(here) if here in order else -1
        if step > 0:
            later = [key for key in keys if order.index(key) > at]
            target = later[0] if later else keys[0]
        else:
            earlier = [key for key in keys if order.index(key) < at]
            target = earlier[-1] if earlier else keys[-1]
        self._cursor_to(target)

    def action_go_to(self) -> None:
        """Ask for a ref and put the cursor on it."""
        self._status(Text())

        def chosen(ref: str | None) -> None:
            if not ref:
                return
            key = self.ref_line(ref)
            if key is None:
                hidden = " (g shows all)" if self.gaps_only else ""
                self._status(Text(f"No finding or action {safe(ref)} in this view{hidden}."))
                return
            self._cursor_to(key)

        self.app.push_screen(RefPrompt(self.ref_line, self._ref_name), chosen)

    def ref_line(self, ref: str) -> tuple[Any, ...] | None:
        """The line a typed ref names: a finding with that ref, else an action shown in full
        with it, else the only line whose ref starts with it."""
        wanted = " ".join(ref.split()).casefold()
        if not wanted:
            return None
        nodes = [self._tree_nodes[key].data for key in self._line_keys if key in self._tree_nodes]
        lines = [n for n in nodes if n is not None and n.ref and n.kind in ("finding", "action")]
        for kind in ("finding", "action"):
            same = [
                node.key
                for node in lines
                if node.kind == kind and node.ref.casefold() == wanted and not node.see
            ]
            if same:
                # Two reports' R1 in one pack: the next after the cursor, round to the first,
                # so typing the ref again reaches the other.
                cursor = self._tree().cursor_node
                here = cursor.data.key if cursor is not None and cursor.data is not None else None
                at = self._line_keys.index(here) if here in self._line_keys else -1
                later = [key for key in same if self._line_keys.index(key) > at]
                return later[0] if later else same[0]
        starts = [n for n in lines if n.ref.casefold().startswith(wanted) and not n.see]
        return starts[0].key if len({n.ref for n in starts}) == 1 else None

    def _ref_name(self, key: tuple[Any, ...]) -> str:
        node = self._tree_nodes.get(key)
        ref = node.data.ref if node is not None and node.data is not None else ""
        shared = sum(
            1
            for other in self._tree_nodes.values()
            if other.data is not None
            and other.data.kind == key[0]
            and other.data.ref == ref
            and not other.data.see
        )
        more = f" ({shared} have this ref: f and it again for the next)" if shared > 1 else ""
        return self._record_name(key) + more

    def _unticked(self, key: tuple[Any, ...]) -> bool:
        node = self._tree_nodes.get(key)
        data = node.data if node is not None else None
        return data is not None and not data.ready

    def action_next_to_tick(self) -> None:
        """The next evidence line after the cursor not yet ticked ready, wrapping round."""
        self._status(Text())
        order = self._line_keys
        todo = [key for key in order if key[0] == "evidence" and self._unticked(key)]
        if not todo:
            words = "Nothing left to tick in this view: every evidence item in it is ready."
            self._status(Text(words))
            return
        node = self._tree().cursor_node
        here = node.data.key if node is not None and node.data is not None else None
        at = order.index(here) if here in order else -1
        later = [key for key in todo if order.index(key) > at]
        self._cursor_to(later[0] if later else todo[0])
