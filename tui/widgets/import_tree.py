"""The import screen's widgets: the file picker and the list of preview lines."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DirectoryTree, OptionList

from tui.compat import is_folder
from tui.presenters.import_common import PLAN_SUFFIXES, REPORT_SUFFIXES, expand
from tui.text import safe
from tui.workers import worker


def start_folder(typed: str) -> Path:
    """The folder the picker opens in for a typed path: that folder, or the typed file's
    folder, else the working folder."""
    path = expand(typed)
    try:
        if path is not None and path.is_dir():
            return path
        if path is not None and path.parent.is_dir():
            return path.parent
    except OSError:
        pass
    return Path.cwd()


class ImportTree(DirectoryTree):
    """The file picker: folders and the files an importer reads, names shown literally.

    A file saved into the folder after the picker opened (a plan just exported from Excel)
    shows up when the picker takes the focus again, or at once with ``r``.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "backspace",
            "parent",
            "Folder up",
            id="import.tree_parent",
            tooltip="Show the folder above this one",
        ),
        Binding(
            "r",
            "refresh_files",
            "Refresh",
            id="import.tree_refresh",
            tooltip="List the folder's files again (files saved since it was opened)",
        ),
        Binding("j", "cursor_down", "Down", show=False, id="import.tree_next"),
        Binding("k", "cursor_up", "Up", show=False, id="import.tree_previous"),
    ]

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        keep = REPORT_SUFFIXES | PLAN_SUFFIXES
        return [
            p
            for p in paths
            if not p.name.startswith((".", "~$")) and (is_folder(p) or p.suffix.lower() in keep)
        ]

    def process_label(self, label: str | Text) -> Text:
        return Text(safe(label.plain if isinstance(label, Text) else label))

    def action_refresh_files(self) -> None:
        self.reload()

    def on_focus(self) -> None:
        self._look_again()

    @worker(group="tree-refresh")
    def _look_again(self) -> None:
        """List the shown folder again (in a thread: a shared drive can be slow) and reload
        the picker only when its files changed, so the cursor stays put otherwise."""
        root = Path(self.path)
        try:
            now = sorted(str(p) for p in self.filter_paths(root.iterdir()))
        except OSError:
            return
        shown = sorted(str(node.data.path) for node in self.root.children if node.data is not None)
        if now != shown and self.root.data is not None and Path(self.root.data.path) == root:
            self.app.call_from_thread(self.reload)

    def action_parent(self) -> None:
        current = Path(self.path).expanduser().resolve()
        if current.parent != current:
            self.path = current.parent


class ImportLines(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="import.down"),
        Binding("k", "cursor_up", "Up", show=False, id="import.up"),
    ]
