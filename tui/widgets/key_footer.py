"""The footer, made to fit: on a narrow terminal the keys that do not fit give way, help never.

Textual's footer shows the focused widget's keys, then the screen's, then the app's, and
cuts the line off at the edge: at 80 columns a list's own keys pushed ``? Help``,
``/ Search`` and ``q Quit`` out of sight, so a newcomer could not see how to get help.
:class:`KeyFooter` hides whole keys instead, in this order, until the rest fit:

1. the screen's keys, the last first (screens list their keys most useful first, and a
   list's header line repeats its filter and sort keys, which come last);
2. the app's keys but help (``q Quit``, then ``/ Search``).

A screen whose own keys are its work sets ``FOOTER_KEEPS_OWN_KEYS = True``: there the
app's keys give way first.

A screen whose keys act on what has the focus (a detail's ``l``: link findings or evidence)
may name them as the focus stands, with ``key_description(action) -> str | None``.

Help is never hidden: it lists every key of the screen, hidden ones too. Where a text box
has the focus and ``?`` would be typed into it (search, import), the footer shows ``f1 Help``
in its place. A hidden key still works; only its label is gone.

A key whose screen's ``check_action`` answers ``None`` (the pack's ``u`` on an evidence line)
keeps its place and is drawn dimmed (Textual's ``FooterKey.-disabled``); it is measured and
hidden like any other, and ``_signature`` counts it, so the footer redraws when it changes.
"""

from __future__ import annotations

import string
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.keys import key_to_character
from textual.screen import Screen
from textual.widgets import Footer

from tui.compat import FooterKey, bindings_ready, character_to_key, note_bindings_ready

# Actions of help keys: the app's own, or a screen's binding that calls it.
HELP_ACTIONS = frozenset({"help", "app.help"})
PALETTE = "-command-palette"  # the class of the footer's ctrl+p key, docked at the right
# Textual's key_to_character misses some keys ("slash": U+002F is named SOLIDUS), so the
# footer offered "/ Search" while a focused text box took "/" as a character.
PUNCTUATION = {character_to_key(character): character for character in string.punctuation}


def key_width(key: FooterKey) -> int:
    """Columns ``key`` takes in the footer, padding and margin included."""
    return key.render().cell_len + key.styles.gutter.width + key.styles.margin.width


class KeyFooter(Footer):
    """A :class:`~textual.widgets.Footer` that hides the keys that do not fit, help last."""

    # The keys the app binds (help, search, quit), as the last compose found them.
    _app_keys: frozenset[str] = frozenset()

    def compose(self) -> ComposeResult:
        if not bindings_ready(self):
            return
        active = self.screen.active_bindings
        focused = self.screen.focused
        self._app_keys = frozenset(key for key, (node, *_) in active.items() if node is self.app)

        def typed(key: str) -> bool:
            """Whether the focused widget takes ``key`` as text (a letter in a text box)."""
            if focused is None or active[key].node is focused:
                return False
            return focused.check_consume_key(key, key_to_character(key) or PUNCTUATION.get(key))

        help_keys = [entry for key, entry in active.items()
                     if entry.binding.action in HELP_ACTIONS and not typed(key)]  # fmt: skip
        # ``?`` goes into the text box: show the help key that still works (F1) instead.
        hidden_help = None
        if help_keys and not any(entry.binding.show for entry in help_keys):
            hidden_help = help_keys[0]
        describe = getattr(self.screen, "key_description", None)
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                if describe is not None:
                    widget.description = describe(widget.action) or widget.description
                if widget.key in active and typed(widget.key):
                    continue
                if hidden_help and widget.has_class(PALETTE):
                    yield self._key(hidden_help.binding, hidden_help.enabled)
                    hidden_help = None
            yield widget
        if hidden_help:
            yield self._key(hidden_help.binding, hidden_help.enabled)

    def _key(self, binding: Binding, enabled: bool) -> FooterKey:
        return FooterKey(
            binding.key,
            self.app.get_key_display(binding),
            binding.description,
            binding.action,
            disabled=not enabled,
            tooltip=binding.tooltip,
        ).data_bind(compact=Footer.compact)

    _recompose_pending = False
    _composed_for: object = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """Textual recomposes the footer once per bindings change, and a screen opening
        changes them many times in one go (focus, each table loading, its checks): a dozen
        recompositions of a dozen keys each, a third of a second before the screen first
        paints. Here: once after the burst, and not at all when the keys read the same."""
        note_bindings_ready(self)
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if not self._recompose_pending:
            self._recompose_pending = True
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        self._recompose_pending = False
        if not self.is_attached:
            return
        shown = self._signature()
        if shown == self._composed_for:
            return
        await self.recompose()

    def _signature(self) -> object:
        """What the footer's keys depend on: the active bindings, their checks, the focus
        (a key typed into a text box is left out), the screen's words for its keys."""
        screen = self.screen
        describe = getattr(screen, "key_description", None)
        return (
            id(screen.focused),
            tuple(
                (key, id(entry.node), entry.binding.action, entry.binding.description,
                 entry.binding.show, entry.enabled,
                 describe(entry.binding.action) if describe is not None else None)
                for key, entry in screen.active_bindings.items()
            ),
        )  # fmt: skip

    async def recompose(self) -> None:
        self._composed_for = self._signature() if bindings_ready(self) else None
        await super().recompose()
        self.fit()

    def on_resize(self, _event: Resize) -> None:
        self.fit()

    def shown_keys(self) -> list[str]:
        """The keys whose labels are on show, in order (``question_mark``, ``ctrl+p``...)."""
        return [key.key for key in self.query_children(FooterKey) if key.display]

    def fit(self) -> None:
        """Show as many keys as fit on the line, hiding them in the order the module gives."""
        keys = list(self.query_children(FooterKey))
        palette = [key for key in keys if key.has_class(PALETTE)]
        keys = [key for key in keys if key not in palette]
        if not keys or not self.size.width:
            return
        room = self.size.width - sum(key_width(key) for key in palette)
        widths = {key: key_width(key) for key in keys}
        may_go = [key for key in keys if key.action not in HELP_ACTIONS]
        screen_keys = [key for key in may_go if key.key not in self._app_keys]
        app_keys = [key for key in may_go if key.key in self._app_keys]
        give_way = [*reversed(screen_keys), *reversed(app_keys)]
        if getattr(self.screen, "FOOTER_KEEPS_OWN_KEYS", False):
            # A screen whose own keys are the work (the pack: n l u a d) keeps them before
            # the app's search and quit, which help still lists.
            give_way = [*reversed(app_keys), *reversed(screen_keys)]
        hidden: set[FooterKey] = set()
        while give_way and sum(widths[key] for key in keys if key not in hidden) > room:
            hidden.add(give_way.pop(0))
        for key in keys:
            key.display = key not in hidden
