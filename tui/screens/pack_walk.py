"""Walking the pack: the cursor to a ref, to the next finding or theme, to the next item to tick.

A pack of a few hundred lines is walked by key, not by arrow (issue 19.8: reaching a finding
took 34 arrow presses, ticking 9 items about 80):

- ``f`` asks for a ref and goes to its line. Two reports' R1 in one pack: the ref typed again
  goes on to the next after the cursor, round to the first. A ref with no line here says
  what the lead can do: hidden by the gaps view, ``g`` shows all; a finding in the store but
  not in this pack, ``a`` adds it (``/`` finds anything anywhere); nowhere, it says so.
- ``]`` ``[`` and ``}`` ``{`` go to the next or previous finding and theme, wrapping round.
- ``e`` goes to the next evidence item not yet ticked ready, wrapping round, so each tick is
  ``e`` then ``space``.

:class:`PackWalk` is a mixin for :class:`tui.screens.pack.PackScreen`; it reads the screen's
lines (``_line_keys`` in order, ``_tree_nodes`` by key) and moves its cursor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.message import Message

from tui.screens.ref_prompt import RefPrompt
from tui.text import safe
from tui.typed_app import app_of
from tui.widgets.pack_tree import PackTree
from tui.workers import Unsaid, worker

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
    pack: Any

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
            if key is not None:
                self._cursor_to(key)
            elif self.gaps_only and self._in_pack(ref):
                name = safe(" ".join(ref.split()))
                self._status(Text(f"{name} has no gaps, so it is not in this view: g shows all."))
            else:
                self._where_is(ref)  # not in this pack: the store says where it is, if anywhere

        self.app.push_screen(RefPrompt(self.ref_line, self._ref_name), chosen)

    def _in_pack(self, ref: str, *, starts: bool = True) -> bool:
        """Whether the pack as last built has a line for the ref, shown or not (``starts``:
        or for the one ref that starts with it)."""
        from tui.presenters.pack import pack_lines

        if self.pack is None:
            return False
        return bool(_named([line.node for line in pack_lines(self.pack)], ref, starts=starts))

    class RefPlaced(Message):
        """What the store has of a ref typed to f that is not in this pack, in words."""

        def __init__(self, said: str) -> None:
            super().__init__()
            self.said = said

    @worker(group="pack-ref", name="ref-placed", failed=Unsaid)
    def _where_is(self, ref: str) -> RefPlaced:
        """A finding in the store but not in this pack: a adds it. An action: / finds it
        (a adds findings only). Neither: there is none. Matched as a line is: the ref
        itself, else the one ref that starts so."""
        import store as api

        shown = " ".join(ref.split())
        wanted = shown.casefold()
        store = app_of(self).store
        found = {
            "finding": {f.ref.casefold() for f in api.list_findings(store, text=shown) if f.ref},
            "action": {a.ref.casefold() for a in api.list_actions(store, text=shown) if a.ref},
        }
        kind = next((k for k, refs in found.items() if wanted in refs), None)
        if kind is None:
            starts = {k: {r for r in refs if r.startswith(wanted)} for k, refs in found.items()}
            begun = starts["finding"] | starts["action"]
            if len(begun) > 1:
                return self.RefPlaced(f"{shown} is the start of {len(begun)} refs: type more.")
            if begun:
                kind = "finding" if starts["finding"] else "action"
        if kind == "finding":
            return self.RefPlaced(f"{shown} is not in this pack: a adds it, / finds it anywhere.")
        if kind == "action":
            return self.RefPlaced(f"{shown} is not in this pack: / finds it anywhere.")
        return self.RefPlaced(f"No finding or action {shown} in the store.")

    def on_pack_walk_ref_placed(self, message: RefPlaced) -> None:
        # A handler by name: @on in a mixin is not seen by Textual.
        self._status(Text(safe(message.said)))

    def ref_line(self, ref: str) -> tuple[Any, ...] | None:
        """The line a typed ref names: a finding with that ref, else an action shown in full
        with it, else the only line whose ref starts with it."""
        data = [self._tree_nodes[key].data for key in self._line_keys if key in self._tree_nodes]
        nodes = [n for n in data if n is not None]
        named = _named(nodes, ref, starts=False)
        if not named and not (self.gaps_only and self._in_pack(ref, starts=False)):
            # The start of a ref, unless the ref itself is in the pack, hidden by the gaps
            # view: f R1 then goes to no R15, and says g shows R1.
            named = _named(nodes, ref)
        same = [node.key for node in named]
        if len(same) <= 1:
            return same[0] if same else None
        # Two reports' R1 in one pack: the next after the cursor, round to the first, so
        # typing the ref again reaches the other.
        cursor = self._tree().cursor_node
        here = cursor.data.key if cursor is not None and cursor.data is not None else None
        at = self._line_keys.index(here) if here in self._line_keys else -1
        later = [key for key in same if self._line_keys.index(key) > at]
        return later[0] if later else same[0]

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


def _named(nodes: list[PackNode], ref: str, *, starts: bool = True) -> list[PackNode]:
    """The lines a typed ref names, in order: the findings with that ref, else the actions
    shown in full with it, else (``starts``) the first line of the one ref that starts
    with it."""
    wanted = " ".join(ref.split()).casefold()
    if not wanted:
        return []
    lines = [n for n in nodes if n.ref and n.kind in ("finding", "action") and not n.see]
    for kind in ("finding", "action"):
        same = [n for n in lines if n.kind == kind and n.ref.casefold() == wanted]
        if same:
            return same
    if not starts:
        return []
    begun = [n for n in lines if n.ref.casefold().startswith(wanted)]
    return begun[:1] if len({n.ref for n in begun}) == 1 else []
