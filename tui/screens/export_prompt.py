"""The pack's export prompt: where to write a visit's checklist.

The writing itself is the store's (:func:`store.export.export_to_file`), the same one writer
the command line uses, so the app can no more write over the store, a device or a folder
than ``visitprep export -o`` can.
"""

from __future__ import annotations

import re
from pathlib import Path

from rich.text import Text

from tui.screens.prompt import ValuePrompt
from tui.text import safe


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "visit"


def default_export_path(visit_title: str, folder: Path | None = None) -> str:
    """``<folder>/<visit-title-slug>-checklist.md`` (the current folder by default)."""
    return str((folder or Path.cwd()) / f"{slug(visit_title)}-checklist.md")


def checklist_path(path_text: str) -> Path | None:
    """The file a typed path names (``~`` expanded, relative to where visitprep started)."""
    raw = path_text.strip()
    if not raw:
        return None
    path = Path(raw).expanduser()
    return path if path.is_absolute() else Path.cwd() / path


class ExportPrompt(ValuePrompt[str]):
    """Ask where to write the checklist, write it, and dismiss with the absolute path."""

    label = "Write the Markdown checklist to:"
    verb = "Write"
    failed = "Export failed"

    def __init__(self, visit_id: int, default_path: str) -> None:
        super().__init__(default_path)
        self.visit_id = visit_id

    def note(self, text: str) -> Text:
        # The box shows the end of a long path; the whole of it, folder first, is here.
        path = checklist_path(text)
        if path is None:
            return Text("Type a path for the checklist.", style="dim")
        return Text.assemble(("Writes ", "dim"), (safe(str(path)), "bold"))

    def run(self, text: str) -> str:
        from store.errors import ValidationError
        from store.export import export_to_file

        if not text.strip():
            raise ValidationError("output", "Type a path for the checklist.")
        written = export_to_file(self.app.store, self.visit_id, text)  # type: ignore[attr-defined]
        return str(written)
