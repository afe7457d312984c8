"""The pack's export prompt: which format, where, and whether to open it once written.

The writing itself is the store's (:func:`store.export.export_to_file`), the same one writer
the command line uses, so the app can no more write over the store, a device or a folder
than ``visitprep export -o`` can.

The format (Markdown, Word, web page) and the folder are remembered from the last export
(in the app's settings file); the first time, the folder is the user's documents folder,
and the prompt says which. Choosing a format changes the file name's ending, and typing an
ending chooses the format. A file that exists already is replaced only after a yes.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path, PurePath
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Footer, Input, Label, RadioButton, RadioSet, Static

from tui.screens.prompt import ValuePrompt
from tui.text import safe
from tui.typed_app import app_of
from tui.widgets.toggles import MarkedCheckbox, MarkedRadioButton

# Format -> (what the lead calls it, the file ending).
FORMATS = {
    "md": ("Markdown checklist", ".md"),
    "docx": ("Word document", ".docx"),
    "html": ("Web page", ".html"),
}
_ENDINGS = {".md": "md", ".markdown": "md", ".docx": "docx", ".html": "html", ".htm": "html"}
SETTINGS_KEY = "export"  # {"format": "docx", "folder": "/home/sam/Packs", "open": false}


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "visit"


def default_export_path(visit_title: str, folder: Path | None = None, fmt: str = "md") -> str:
    """``<folder>/<visit-title-slug>-checklist.<ending>`` (the current folder by default)."""
    ending = FORMATS.get(fmt, FORMATS["md"])[1]
    return str((folder or Path.cwd()) / f"{slug(visit_title)}-checklist{ending}")


def remembered(settings: dict[str, Any]) -> dict[str, Any]:
    value = settings.get(SETTINGS_KEY)
    return value if isinstance(value, dict) else {}


def default_folder(settings: dict[str, Any]) -> tuple[Path, str]:
    """Where an export goes first, and why: the last export's folder, else the documents
    folder, else the folder visitprep was started in."""
    last = remembered(settings).get("folder")
    if isinstance(last, str) and last and Path(last).is_dir():
        return Path(last), "the folder of your last export"
    from platformdirs import user_documents_path

    documents = user_documents_path()
    if documents.is_dir():
        return documents, "your documents folder"
    return Path.cwd(), "the folder visitprep was started in"


def export_prompt(
    app: Any, visit_id: int, visit_title: str, *, owner: str | None = None
) -> ExportPrompt:
    """The prompt for a visit, with the last export's format and folder (or the defaults)."""
    settings = getattr(app, "settings", None)
    settings = settings if isinstance(settings, dict) else {}
    last = remembered(settings)
    chosen = last.get("format")
    fmt = chosen if isinstance(chosen, str) and chosen in FORMATS else "md"
    folder, where = default_folder(settings)
    return ExportPrompt(
        visit_id,
        default_export_path(visit_title, folder, fmt),
        fmt=fmt,
        where=where,
        open_after=bool(last.get("open", False)),
        owner=owner,
    )


def checklist_path(path_text: str) -> Path | None:
    """The file a typed path names (``~`` expanded, relative to where visitprep started)."""
    raw = path_text.strip()
    if not raw:
        return None
    path = Path(raw).expanduser()
    return path if path.is_absolute() else Path.cwd() / path


def format_of(path_text: str) -> str | None:
    return _ENDINGS.get(Path(path_text.strip()).suffix.lower())


class ExportPrompt(ValuePrompt[str]):
    """Ask for the format and where to write the pack, write it, dismiss with the path."""

    # The base prompt's sheet first: on equal specificity the later rule wins.
    CSS_PATH: ClassVar[list[str | PurePath]] = ["prompt.tcss", "export_prompt.tcss"]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Cancel", id="prompt.close", tooltip="Change nothing"),
        Binding("f2", "next_format", "Format", id="export.format", tooltip="The next format"),
    ]

    heading = "Export the pack"
    label = "Write it to:"
    verb = "Write"
    failed = "Export failed"

    def __init__(
        self,
        visit_id: int,
        default_path: str,
        *,
        fmt: str = "md",
        where: str = "",
        open_after: bool = False,
        owner: str | None = None,
    ) -> None:
        super().__init__(default_path)
        self.visit_id = visit_id
        self.fmt = format_of(default_path) or fmt
        self.where = where
        self.open_after = open_after
        self.owner = owner
        self._confirmed: str | None = None  # the path a "replace it" was answered yes for
        self.only_owner = False  # the chase list for ``owner`` only (the line's owner)

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-dialog"):
            yield Static(Text(self.heading), id="prompt-heading")
            if self.where:
                yield Static(
                    Text(f"The file goes in {self.where} unless you change it."),
                    id="prompt-explained",
                )
            with RadioSet(id="export-format"):
                for fmt, (name, ending) in FORMATS.items():
                    yield MarkedRadioButton(
                        f"{name} ({ending})", value=fmt == self.fmt, id=f"fmt-{fmt}"
                    )
            yield Label(self.label)
            yield Input(value=self.value, id="prompt-value")
            yield Static("", id="prompt-note")
            yield Static("", id="prompt-error")
            if self.owner:
                yield MarkedCheckbox(
                    Text(f"Only the chase list for {safe(self.owner)}"),
                    False,
                    id="export-owner",
                )
            yield MarkedCheckbox("Open it when written", self.open_after, id="export-open")
            with Horizontal(id="prompt-buttons"):
                yield Button(f"{self.verb} (enter)", variant="primary", id="prompt-do")
                yield Button("Cancel (esc)", id="prompt-cancel")
        yield Footer()

    def note(self, text: str) -> Text:
        # The box shows the end of a long path; the whole of it is here, the file's name on
        # a line of its own so a narrow screen never breaks it mid-ending.
        path = checklist_path(text)
        if path is None:
            return Text("Type a path for the file.", style="dim")
        name = FORMATS[self.fmt][0]
        return Text.assemble(
            ("Writes ", "dim"),
            (safe(path.name), "bold"),
            (f"  ({name})", "dim"),
            ("\nin ", "dim"),
            (safe(str(path.parent)), ""),
        )

    # ---------------------------------------------------------------- format and path agree

    @on(RadioSet.Changed, "#export-format")
    def _format_chosen(self, event: RadioSet.Changed) -> None:
        event.stop()
        fmt = (event.pressed.id or "fmt-md").removeprefix("fmt-")
        if fmt == self.fmt:
            return
        self.fmt = fmt
        box = self.query_one("#prompt-value", Input)
        text = box.value.strip()
        if text:
            path = Path(text)
            ending = FORMATS[fmt][1]
            box.value = str(path.with_suffix(ending)) if path.suffix else text + ending
        self._noted(box.value)

    @on(Input.Changed, "#prompt-value")
    def _path_typed(self, event: Input.Changed) -> None:
        self._confirmed = None
        fmt = format_of(event.value)
        if fmt is not None and fmt != self.fmt:
            self.fmt = fmt
            self.query_one(f"#fmt-{fmt}", RadioButton).value = True

    @on(Checkbox.Changed, "#export-owner")
    def _owner_chosen(self, event: Checkbox.Changed) -> None:
        """One owner's chase list is a different file: its name says whose."""
        event.stop()
        self.only_owner = event.value
        box = self.query_one("#prompt-value", Input)
        mine = f"-chase-{slug(self.owner or '')}"
        if event.value and "-checklist" in box.value:
            box.value = box.value.replace("-checklist", mine)
        elif not event.value and mine in box.value:
            box.value = box.value.replace(mine, "-checklist")

    def action_next_format(self) -> None:
        order = list(FORMATS)
        fmt = order[(order.index(self.fmt) + 1) % len(order)]
        self.query_one(f"#fmt-{fmt}", RadioButton).value = True

    # ---------------------------------------------------------------- writing

    def submit(self, text: str) -> None:
        """Ask first when the file is there already (once per path typed)."""
        from store.errors import StoreError
        from store.files import output_path
        from tui.screens.confirm import ConfirmScreen

        path = checklist_path(text)
        if path is not None:
            try:  # a path that can never be written is refused, not asked about
                path = output_path(path, store_path=app_of(self).store.path)
            except StoreError as error:
                self.query_one("#prompt-error", Static).update(Text(safe(str(error))))
                return
        if path is not None and path.is_file() and self._confirmed != str(path):

            def answered(replace: bool | None) -> None:
                if replace:
                    self._confirmed = str(path)
                    self._run(text)
                else:
                    self.query_one("#prompt-value", Input).focus()

            # The name on a line of its own, in a dialog wide enough for it: run on in a
            # sentence, a long name folded mid-word ('checklist.doc' / 'x is already in').
            question = ConfirmScreen(
                "Replace the file?",
                Text.assemble(
                    f"A file of this name is already in {safe(str(path.parent))}:\n",
                    (safe(path.name), "bold"),
                    "\nReplace it with this export? (No keeps it: change the name instead.)",
                ),
                yes="Replace",
                no="Keep it",
            )
            question.add_class("-wide")
            self.app.push_screen(question, answered)
            return
        self._run(text)

    def run(self, text: str) -> str:
        from store.errors import ValidationError
        from store.export import export_to_file

        if not text.strip():
            raise ValidationError("output", "Type a path for the file.")
        written = export_to_file(
            app_of(self).store,
            self.visit_id,
            text,
            fmt=self.fmt,
            owner=self.owner if self.only_owner else None,
        )
        return str(written)

    def done(self, result: str) -> None:
        """Remember the format and folder, open the file if asked, then close."""
        from tui import config

        self.open_after = self.query_one("#export-open", Checkbox).value
        app: Any = self.app
        settings = getattr(app, "settings", None)
        if isinstance(settings, dict):
            chosen = {
                "format": self.fmt,
                "folder": str(Path(result).parent),
                "open": self.open_after,
            }
            settings[SETTINGS_KEY] = chosen
            # The export itself is written; at worst only next time's default is lost.
            with contextlib.suppress(OSError):
                config.save_settings(app.config_path, {SETTINGS_KEY: chosen})
        if self.open_after:
            from tui.open_file import open_file

            said = open_file(Path(result))
            if said:
                app.notify(said, title="Not opened", markup=False)
        self.dismiss(result)
