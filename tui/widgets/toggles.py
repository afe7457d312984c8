"""Radio buttons and checkboxes that say "on" with a mark, not with colour alone.

Textual draws both states with the same glyph (``▐●▌``, ``▐X▌``) in different colours, so
on a monochrome terminal, to a colour-blind reader or in a printed screenshot every choice
looks chosen. These draw the mark only when the value is on.
"""

from __future__ import annotations

import time
from typing import Any

from textual import events
from textual.strip import Strip
from textual.widgets import Checkbox, RadioButton, SelectionList
from textual.widgets.option_list import OptionDoesNotExist

from tui.compat import MarkWhenOn, ToggleButton, is_ticked


class MarkedRadioButton(RadioButton, MarkWhenOn):
    """A radio button with its dot only when chosen."""

    MARK = "●"


class MarkedCheckbox(Checkbox, MarkWhenOn):
    """A checkbox with its tick only when ticked."""

    MARK = "✓"


class MarkedSelectionList(SelectionList[Any]):
    """A selection list (the focus themes) with its tick only on what is chosen.

    In a form: down from the last line goes on to the next field and up from the first
    to the one before (the list never wraps round to its top without a word), and typing
    jumps to the line that starts with what was typed ("ca" to Care leavers).
    """

    TYPE_AHEAD_PAUSE = 1.0  # seconds: a longer pause starts a new word

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._typed = ""
        self._typed_at = 0.0

    def action_cursor_down(self) -> None:
        if self.highlighted is not None and self.highlighted >= self.option_count - 1:
            self.screen.focus_next()
            return
        super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.highlighted is not None and self.highlighted <= 0:
            self.screen.focus_previous()
            return
        super().action_cursor_up()

    def on_key(self, event: events.Key) -> None:
        char = event.character
        if not char or not char.isprintable() or char == " " or len(char) != 1:
            return
        now = time.monotonic()
        if now - self._typed_at > self.TYPE_AHEAD_PAUSE:
            self._typed = ""
        self._typed_at = now
        self._typed += char.lower()
        if self.jump_to(self._typed) is None and len(self._typed) > 1:
            # Not a longer start: the same letter again goes to the next line with it.
            self._typed = char.lower()
            self.jump_to(self._typed, after=self.highlighted)
        event.stop()
        event.prevent_default()

    def jump_to(self, start: str, *, after: int | None = None) -> int | None:
        """Highlight the first line (after ``after``, round to the top) starting ``start``."""
        count = self.option_count
        first = 0 if after is None else after + 1
        for step in range(count):
            index = (first + step) % count
            prompt = self.get_option_at_index(index).prompt
            text = getattr(prompt, "plain", str(prompt))
            if text.lower().startswith(start):
                self.highlighted = index
                return index
        return None

    def render_line(self, y: int) -> Strip:
        _, scroll_y = self.scroll_offset
        try:
            chosen = is_ticked(self, self.get_option_at_index(scroll_y + y).value)
        except OptionDoesNotExist:
            return super().render_line(y)
        # The list draws ToggleButton's glyph for every line: for this line only, and put
        # back at once (drawing is on the UI thread, one line at a time).
        inner = ToggleButton.BUTTON_INNER
        ToggleButton.BUTTON_INNER = "✓" if chosen else " "
        try:
            return super().render_line(y)
        finally:
            ToggleButton.BUTTON_INNER = inner
