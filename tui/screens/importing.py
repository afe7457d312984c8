"""Import: Ofsted reports, an improvement plan, a performance scorecard or an evidence folder,
previewed before storing.

Pick a file or folder (type or paste its path, or choose it in the tree), preview what the
import would create (``p`` or enter), then import it (``ctrl+s``). Reading files and writing
the store both run in thread workers; a file that cannot be imported is refused with its
reason in a red line and nothing from it is stored. A spreadsheet is read as a scorecard
when the store finds its period columns (as ``visitprep import`` does), else as a plan;
the lead can choose the other.

This module is the screen's own sequence: a path, a preview, an import, and the question
before a preview not yet imported is left. What a preview or a failure says is in
``tui/presenters/import*.py``, the file picker in ``tui/widgets/import_tree.py``, the Path
row, the choices under it and the preview pane in ``tui/widgets/import_panes.py``, and the
previews themselves in the store's importers.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Checkbox, DirectoryTree, Input, OptionList, RadioSet, Static

from store.errors import StoreError
from tui.presenters.import_common import (
    CHOOSE_HINT,
    PREVIEW_HINT,
    SHEET_KINDS,
    Choice,
    Line,
    ProgressCallback,
    Shown,
    available,
    expand,
    in_screen_words,
    kinds_for,
    parse_columns,
)
from tui.presenters.importing import (
    failure,
    kind_to_use,
    not_imported_yet,
    run_import,
    run_preview,
    status_line,
)
from tui.screens.confirm import leave_unsaved
from tui.typed_app import app_of
from tui.widgets.import_panes import ImportOptions, ImportPane, ImportPath
from tui.widgets.import_tree import ImportLines, ImportTree, start_folder
from tui.widgets.key_footer import KeyFooter
from tui.workers import Failed, worker

__all__ = ["ImportScreen", "ImportTree", "expand", "kinds_for"]


class ImportScreen(Screen[None]):
    """Choose a file or folder, preview what it would create, then import it."""

    CSS_PATH = "importing.tcss"
    # Textual declares it ``ClassVar[...] | None``, which mypy takes for an instance variable.
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]  # type: ignore[misc]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="import.back", tooltip="Leave the import screen"),
        Binding(
            "p",
            "preview",
            "Preview",
            id="import.preview",
            tooltip="Show what importing the chosen file or folder would create",
        ),
        Binding(
            "ctrl+s",
            "import",
            "Import",
            id="import.import",
            tooltip="Import the previewed file or folder into the store",
        ),
        Binding(
            "enter",
            "open",
            "Open",
            id="import.open",
            tooltip="Open the highlighted source, action or evidence",
        ),
        Binding(
            "ctrl+t",
            "focus_tree",
            "Files",
            id="import.tree",
            tooltip="Choose a file or folder in the file picker",
        ),
        Binding(
            "ctrl+l",
            "focus_path",
            "Path",
            show=False,
            id="import.path",
            tooltip="Type or paste a path",
        ),
        Binding(
            "x",
            "toggle_personal",
            "Personal data?",
            id="import.personal",
            tooltip="Mark the highlighted new file as holding personal data, or not (the "
            "scan guesses from its name: a case sample is about named children)",
        ),
        Binding(
            "ctrl+o",
            "toggle_ours",
            "Ours?",
            show=False,
            id="import.ours",
            tooltip="Import the previewed reports as this council's own, or as another "
            "council's (for search and learning, never in packs or gaps)",
        ),
    ]

    class Progress(Message):
        """Posted from a worker thread: ``done`` of ``total`` files or rows."""

        def __init__(self, verb: str, done: int, total: int, label: str) -> None:
            super().__init__()
            self.verb, self.done, self.total, self.label = verb, done, total, label

    def __init__(self, path: str | None = None) -> None:
        super().__init__()
        self.initial_path = path or ""
        self.shown: Shown | None = None
        self.busy: str | None = None  # "preview" or "import" while a worker runs
        self.lines: list[Line] = []
        self._kind: str | None = None  # the import chosen in the radio set
        # Reports: the lead's own say on whose they are (None: each by its council).
        self._ours: bool | None = None

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(
            "Import Ofsted reports, a plan, a scorecard or an evidence folder", id="import-title"
        )
        yield ImportPath(self.initial_path, id="import-path-row")
        yield ImportOptions(id="import-options")
        with Horizontal(id="import-body"):
            yield ImportTree(start_folder(self.initial_path), id="import-tree")
            yield ImportPane(id="import-right")
        yield KeyFooter()

    @property
    def _options(self) -> ImportOptions:
        return self.query_one("#import-options", ImportOptions)

    @property
    def _pane(self) -> ImportPane:
        return self.query_one("#import-right", ImportPane)

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()
        self._sync_buttons()
        self._path_changed(self.path_value)

    # ------------------------------------------------------------------ state

    @property
    def path_value(self) -> str:
        return self.query_one("#import-path", Input).value

    def choice(self) -> Choice | None:
        """What is chosen on screen now (None without a path). Raises ImportFailed for a
        Columns box that cannot be read."""
        path = expand(self.path_value)
        if path is None:
            return None
        return Choice(
            path,
            self._kind,
            update=self._options.update,
            columns=parse_columns(self._options.columns),
            ours=self._ours,
        )

    def _matches_shown(self) -> bool:
        try:
            choice = self.choice()
        except StoreError:
            return False
        return choice is not None and choice.shown_by(self.shown)

    def _show_lines(self, lines: list[Line]) -> None:
        self.lines = lines
        self._pane.show_lines(lines)

    def _clear(self, hint: str = "") -> None:
        self.shown = None
        self._show_lines([])
        self._pane.set_error(None)
        self._pane.set_status(hint)
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        self._options.show_for(self._kind)
        self._pane.show_ours(self.shown)
        idle = self.busy is None
        refused = self.shown is not None and self._matches_shown() and not self.shown.can_import
        self.query_one(ImportPath).enable(preview=idle, import_=idle and not refused)
        self.refresh_bindings()

    @on(Checkbox.Changed, "#import-ours")
    def _ours_changed(self, event: Checkbox.Changed) -> None:
        """The lead says whose the report is: show what importing it that way would do.

        (Not disabled while a preview runs, which would take the focus from it: a change
        during an import is undone instead, as the import goes ahead as previewed.)"""
        if self.busy == "import":
            with event.checkbox.prevent(Checkbox.Changed):
                event.checkbox.value = not event.value
            return
        self._ours = event.value
        self.action_preview()

    def action_toggle_ours(self) -> None:
        self._pane.toggle_ours()

    # ------------------------------------------------------------------ choosing

    @on(Input.Changed, "#import-path")
    def _typed(self, event: Input.Changed) -> None:
        self._path_changed(event.value)

    def _path_changed(self, value: str) -> None:
        path = expand(value)
        self._ours = None  # another file: whose it is, decided afresh
        if self._kind in SHEET_KINDS:
            # Whether a spreadsheet is a plan or a scorecard is read from the file itself:
            # another file is looked at afresh (a choice of folder kind stands as typed).
            self._kind = None
        self._choice_changed(CHOOSE_HINT if path is None else PREVIEW_HINT)
        if path is not None:
            self._infer(path)

    def _choice_changed(self, hint: str = "") -> None:
        """The path or a setting changed: a preview of something else no longer applies.

        While a worker runs nothing is cleared: its result is checked when it lands.
        """
        if self.busy is None and not self._matches_shown():
            self._clear(hint or PREVIEW_HINT)

    class KindsGuessed(Message):
        """What ``path`` looks like (``kind``) and which kinds it could be imported as."""

        def __init__(self, path: Path, kind: str | None, allowed: tuple[str, ...]) -> None:
            super().__init__()
            self.path = path
            self.kind = kind
            self.allowed = allowed

    class GuessFailed(Failed):
        """Not handled: the kinds stay as they were, and the preview says what is wrong."""

    @worker(group="infer", name="infer", failed=GuessFailed)
    def _infer(self, path: Path) -> KindsGuessed:
        return self.KindsGuessed(path, *kinds_for(path))

    @on(KindsGuessed)
    def _kinds_guessed(self, message: KindsGuessed) -> None:
        self._apply_kinds(message.path, message.kind, message.allowed)

    def _apply_kinds(self, path: Path, kind: str | None, allowed: tuple[str, ...]) -> None:
        if path != expand(self.path_value) or self.busy == "import":
            return
        self._options.allow(allowed)
        if self._kind in allowed:
            kind = self._kind  # the user's choice (a folder of evidence, say) stands
        if kind is not None and available(kind):
            self._options.pick(kind)
            self._kind = kind
        self._sync_buttons()

    @on(RadioSet.Changed, "#import-kind")
    def _kind_changed(self, event: RadioSet.Changed) -> None:
        self._kind = (event.pressed.id or "").removeprefix("import-kind-") or None
        self._choice_changed()
        self._sync_buttons()

    @on(Checkbox.Changed, "#import-update")
    def _update_changed(self) -> None:
        what = {"plan": "letting the plan win", "scorecard": "letting the scorecard win"}.get(
            self._kind or "", "replacing"
        )
        self._choice_changed(f"Preview again to see what {what} would do.")
        self._sync_buttons()

    @on(Input.Changed, "#import-columns")
    def _columns_changed(self) -> None:
        self._choice_changed("Press enter to preview the plan with these columns.")

    @on(DirectoryTree.FileSelected, "#import-tree")
    def _file_picked(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.query_one("#import-path", Input).value = str(event.path)
        self._kind = None  # a new file: its own kind, whatever was chosen before
        self._ours = None
        self.action_preview()

    @on(DirectoryTree.DirectorySelected, "#import-tree")
    def _folder_picked(self, event: DirectoryTree.DirectorySelected) -> None:
        event.stop()
        self._kind = None
        self.query_one("#import-path", Input).value = str(event.path)

    @on(Input.Submitted, "#import-path, #import-columns")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_preview()

    @on(Button.Pressed, "#import-preview-button")
    def _preview_pressed(self) -> None:
        self.action_preview()

    @on(Button.Pressed, "#import-import-button")
    def _import_pressed(self) -> None:
        self.action_import()

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("preview", "import", "focus_tree") and self.busy == "import":
            return False  # starting again mid-import would hide what it did
        if action == "open":
            return any(line.target for line in self.lines)
        if action == "toggle_personal":
            shown = self.shown
            return shown is not None and shown.stage == "preview" and bool(shown.found)
        return True

    def action_back(self) -> None:
        if self.busy == "import":
            # Kept enabled (so the app's own escape does not pop the screen instead) but
            # refused: the summary of what was stored must be seen.
            self._pane.set_status(Text("Importing… wait for it to finish.", style="bold"))
            return
        leave_unsaved(self.app, "Leave the import?", "Leave", lambda: self.dismiss(None))

    def action_focus_tree(self) -> None:
        self.query_one("#import-tree", ImportTree).focus()

    def action_focus_path(self) -> None:
        self.query_one("#import-path", Input).focus()

    def action_preview(self) -> None:
        """Read the chosen file or folder in a worker and show what importing would do."""
        if self.busy == "import":
            return
        try:
            choice = self.choice()
        except StoreError as error:
            self._pane.set_error(in_screen_words(error))
            return
        if choice is None:
            self._pane.set_error("Type or choose a file or folder to import first.")
            return
        self._start("preview")
        self._preview(choice)

    def action_import(self) -> None:
        """Import what the preview showed; without a current preview, preview first."""
        if self.busy is not None:
            return
        if not self._matches_shown() or self.shown is None or self.shown.stage != "preview":
            if self.shown is not None and self.shown.stage == "imported" and self._matches_shown():
                self._pane.set_error("This was just imported. Choose another file or folder.")
                return
            self.action_preview()
            self._pane.set_status(
                "Previewing first: check what it would create, then ctrl+s imports."
            )
            return
        if not self.shown.can_import:
            self._pane.set_error(self.shown.reason or "Nothing to import.")
            return
        shown = self.shown
        self._start("import")
        self._import(shown)

    def action_toggle_personal(self) -> None:
        """The lead confirms or clears the scan's personal-data guess for one new file."""
        if self.shown is not None and self.shown.stage == "preview":
            self._pane.toggle_personal(self.shown)

    def action_open(self) -> None:
        index = self._pane.highlighted
        if index is not None:
            self._open(index)

    @on(OptionList.OptionSelected, "#import-lines")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open(event.option_index)

    def _open(self, index: int) -> None:
        if 0 <= index < len(self.lines) and self.lines[index].target:
            kind, record_id = self.lines[index].target  # type: ignore[misc]
            app_of(self).open_record(kind, record_id)

    # ------------------------------------------------------------------ workers

    def _start(self, stage: str) -> None:
        self.busy = stage
        self._pane.start_progress("Reading…" if stage == "preview" else "Importing…")
        self._sync_buttons()

    def _progress(self, verb: str) -> ProgressCallback:
        def report(done: int, total: int, label: str) -> None:
            # Runs on the worker thread: post_message is thread-safe. About 100 updates at most.
            if done in (1, total) or done % max(1, total // 100) == 0:
                self.post_message(self.Progress(verb, done, total, label))

        return report

    @on(Progress)
    def _progressed(self, message: Progress) -> None:
        if self.busy is None:
            return
        self._pane.progress(message.verb, message.done, message.total, message.label)

    class Previewed(Message):
        """The preview of what importing would store."""

        def __init__(self, shown: Shown) -> None:
            super().__init__()
            self.shown = shown

    class Imported(Previewed):
        """What the import stored."""

    class PreviewFailed(Failed):
        """Reading the file for the preview failed (or the store refused it)."""

    class ImportStepFailed(Failed):
        """The import itself failed (or the store refused it)."""

    @worker(group="import", name="preview", failed=PreviewFailed)
    def _preview(self, choice: Choice) -> Previewed:
        kind = kind_to_use(choice.path, choice.kind)
        store = app_of(self).store
        return self.Previewed(run_preview(store, choice, kind, self._progress("Reading")))

    @worker(group="import", name="import", failed=ImportStepFailed)
    def _import(self, shown: Shown) -> Imported:
        store = app_of(self).store
        return self.Imported(run_import(store, shown, self._progress("Importing")))

    @on(Previewed)
    @on(PreviewFailed)
    @on(ImportStepFailed)
    def _step_done(self, message: Previewed | Failed) -> None:
        """A preview or an import finished (``Imported`` is a kind of ``Previewed``)."""
        previewing = isinstance(message, self.PreviewFailed) or (
            isinstance(message, self.Previewed) and not isinstance(message, self.Imported)
        )
        if previewing and self.busy == "import":
            return  # an old preview finishing late must not touch an import under way
        self.busy = None
        self._pane.stop_progress()
        if isinstance(message, Failed):
            self._failed("preview" if previewing else "import", message.error)
        else:
            self._finished(message.shown)
        self._sync_buttons()

    def _finished(self, shown: Shown) -> None:
        if shown.stage == "preview" and shown.path != expand(self.path_value):
            self._clear(PREVIEW_HINT)  # the path was changed while it was being read
            return
        chosen = self._kind
        if shown.stage == "preview" and shown.kind != chosen and chosen in SHEET_KINDS:
            # The lead chose Plan (or Scorecard) while the other was being read: their choice
            # stands, and this preview is not of it.
            self._clear(PREVIEW_HINT)
            return
        self.shown = shown
        if shown.kind != self._kind and available(shown.kind):
            self._kind = shown.kind
            self._options.pick(shown.kind)
        self._pane.set_error(None)
        self._pane.set_status(status_line(shown))
        self._show_lines(shown.lines)
        if shown.stage == "imported" and shown.lines:
            self.query_one("#import-lines", ImportLines).focus()  # enter opens what was stored
        else:
            self._keep_choosing()

    def _failed(self, stage: str, error: BaseException | None) -> None:
        self.shown = None
        self._show_lines([])
        said = failure(stage, self._kind, error)
        self._pane.set_error(said.error)
        self._pane.set_status(said.status)
        self._keep_choosing()
        if said.unexpected:  # not a refusal the store meant: the app logs it too
            app_of(self).show_error(said.error)

    def _keep_choosing(self) -> None:
        """After a preview or a refusal the lead may try another file: the focus stays in the
        box or picker they chose with, or comes back to the Path box (never on the preview,
        where a typed path would run the app's keys: / searched, q quit)."""
        choosing = ("import-path", "import-columns", "import-tree", "import-ours")
        focused = self.app.focused
        if focused is None or focused.screen is not self or focused.id not in choosing:
            self.query_one("#import-path", Input).focus()

    @property
    def unsaved(self) -> Text | None:
        """What leaving visitprep now would lose, for the app to ask about first: a preview
        that could be imported and is not yet."""
        shown = self.shown
        if shown is None or shown.stage != "preview" or not shown.can_import:
            return None
        if not self._matches_shown():
            return None  # the path or a setting changed since: nothing ready to import
        return not_imported_yet(shown)
