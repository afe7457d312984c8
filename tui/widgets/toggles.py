"""Radio buttons and checkboxes that say "on" with a mark, not with colour alone.

Textual draws both states with the same glyph (``▐●▌``, ``▐X▌``) in different colours, so
on a monochrome terminal, to a colour-blind reader or in a printed screenshot every choice
looks chosen. These draw the mark only when the value is on.
"""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.strip import Strip
from textual.widgets import Checkbox, RadioButton, SelectionList
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist


class MarkedRadioButton(RadioButton):
    """A radio button with its dot only when chosen."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "●" if self.value else " "
        return super()._button


class MarkedCheckbox(Checkbox):
    """A checkbox with its tick only when ticked."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "✓" if self.value else " "
        return super()._button


class MarkedSelectionList(SelectionList[Any]):
    """A selection list (the focus themes) with its tick only on what is chosen."""

    def render_line(self, y: int) -> Strip:
        _, scroll_y = self.scroll_offset
        try:
            chosen = self.get_option_at_index(scroll_y + y).value in self._selected
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
