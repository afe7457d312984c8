"""Every use of Textual's private API, in one place, each with why it is needed.

Textual is pinned at **8.2.8** (``constraints.txt``). Names starting with ``_`` are not
part of its public API and may change in any release, so nothing else in ``tui/`` touches
them: a Textual upgrade checks this module (and the tests of the widgets named below) and
nothing more. Each entry says what uses it and what would replace it.

- ``textual.widgets._footer.FooterKey``: the key labels inside the footer.
  ``tui.widgets.key_footer.KeyFooter`` measures and hides whole keys that do not fit; the
  class is not exported from ``textual.widgets``.
- ``Footer._bindings_ready``: Textual's footer composes nothing until the screen's bindings
  first change; ``KeyFooter`` recomposes on its own timetable (once per burst of changes)
  and must keep that flag as Textual does.
- ``textual.keys._character_to_key``: the key name of a punctuation character
  (``"/"`` -> ``"slash"``). The public ``key_to_character`` misses some of them, so the
  footer would offer ``/ Search`` while a focused text box takes ``/`` as a character.
- ``textual.widgets._toggle_button.ToggleButton`` and its ``_button`` property: the glyph
  of radio buttons, checkboxes and selection lists. Textual draws "on" and "off" with one
  glyph in two colours; ``tui.widgets.toggles`` draws the mark only when on (readable in
  monochrome, to a colour-blind reader, in a screenshot). ``ToggleButton`` is not exported.
- ``SelectionList._selected``: whether one value is ticked, asked per line drawn. The
  public ``selected`` builds a list of every ticked value on each call.
- ``CommandPalette._GATHER_COMMANDS_GROUP`` and ``CommandPalette._select_or_command``: the
  palette's own search worker and its enter. ``tui.commands_palette.PickerPalette`` makes
  enter wait for the search of what is typed, then acts as the palette's enter would; the
  palette has no public "search finished" event (the pack's tests pin both).
- ``DirectoryTree._safe_is_dir``: whether a path is a folder, answering ``False`` (not
  raising) for one that cannot be read; the import tree filters with Textual's own rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.command import CommandPalette
from textual.content import Content
from textual.keys import _character_to_key
from textual.widgets import DirectoryTree, Footer, SelectionList
from textual.widgets._footer import FooterKey
from textual.widgets._toggle_button import ToggleButton
from textual.worker import Worker

__all__ = [
    "FooterKey",
    "MarkWhenOn",
    "ToggleButton",
    "bindings_ready",
    "character_to_key",
    "is_folder",
    "is_ticked",
    "note_bindings_ready",
    "palette_enter",
    "palette_search",
]

TEXTUAL_PINNED = "8.2.8"  # constraints.txt; check this module when it changes


def character_to_key(character: str) -> str:
    """Textual's key name for ``character`` (``"/"`` -> ``"slash"``)."""
    return _character_to_key(character)


def bindings_ready(footer: Footer) -> bool:
    """Whether the screen's bindings have changed once (Textual's footer waits for it)."""
    return bool(footer._bindings_ready)


def note_bindings_ready(footer: Footer) -> None:
    """Set the footer's flag as Textual's own ``bindings_changed`` does."""
    footer._bindings_ready = True


def is_ticked(selection_list: SelectionList[Any], value: Any) -> bool:
    """Whether ``value`` is ticked in ``selection_list`` (without copying the ticked set)."""
    return value in selection_list._selected


def is_folder(path: Path) -> bool:
    """Textual's directory tree's own test: a folder, and ``False`` where it cannot look."""
    return DirectoryTree._safe_is_dir(path)


def palette_search(palette: CommandPalette) -> Worker[None] | None:
    """The palette's search of what is typed, while it runs (``None`` once it is done)."""
    running = [
        w
        for w in palette.workers
        if w.node is palette and w.group == palette._GATHER_COMMANDS_GROUP and not w.is_finished
    ]
    return running[-1] if running else None


def palette_enter(palette: CommandPalette) -> None:
    """What enter does in the palette: run the highlighted command (or the top one)."""
    palette._select_or_command()


class MarkWhenOn(ToggleButton):
    """A toggle that draws its ``MARK`` only when on (Textual builds the button in the
    private ``_button``). List it after ``RadioButton`` or ``Checkbox`` among the bases:
    Textual takes a widget's CSS type names from its first base."""

    MARK = "●"

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = self.MARK if self.value else " "
        return super()._button
