"""Radio buttons and checkboxes that say "on" with a mark, not with colour alone.

Textual draws both states with the same glyph (``▐●▌``, ``▐X▌``) in different colours, so
on a monochrome terminal, to a colour-blind reader or in a printed screenshot every choice
looks chosen. These draw the mark only when the value is on.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox, RadioButton


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
