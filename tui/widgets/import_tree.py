"""The import screen's widgets: the file picker and the list of preview lines."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DirectoryTree, OptionList

from tui.presenters.import_common import PLAN_SUFFIXES, REPORT_SUFFIXES
from tui.text import safe


class ImportTree(DirectoryTree):
    """The file picker: folders and the files an importer reads, names shown literally."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "backspace",
            "parent",
            "Folder up",
            id="import.tree_parent",
            tooltip="Show the folder above this one",
        ),
        Binding("j", "cursor_down", "Down", show=False, id="import.tree_next"),
        Binding("k", "cursor_up", "Up", show=False, id="import.tree_previous"),
    ]

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        keep = REPORT_SUFFIXES | PLAN_SUFFIXES
        return [
            p
            for p in paths
            if not p.name.startswith((".", "~$"))
            and (self._safe_is_dir(p) or p.suffix.lower() in keep)
        ]

    def process_label(self, label: str | Text) -> Text:
        return Text(safe(label.plain if isinstance(label, Text) else label))

    def action_parent(self) -> None:
        current = Path(self.path).expanduser().resolve()
        if current.parent != current:
            self.path = current.parent


class ImportLines(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="import.down"),
        Binding("k", "cursor_up", "Up", show=False, id="import.up"),
    ]
