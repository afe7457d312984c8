"""Add a dated progress note to an action, with its BRAG at that date (`u` on an action).

Opens on the note with today's date and the action's current BRAG, so "u, type the
note, ctrl+s" is the whole job; b/g/a/r set the BRAG when not typing. The date is
required: a blank one is refused, never taken as today (only a plan import keeps a note
as "date not given"). Escape with a note typed asks Save / Discard / Keep editing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Select, Static, TextArea

from store import vocab
from store.dates import format_date
from tui.text import safe
from tui.typed_app import app_of
from tui.workers import Failed, worker

BRAG_OPTIONS = [(f"{b.title()} ({vocab.BRAG_MEANING[b]})", b) for b in vocab.BRAG]
FIELDS = ("note", "on_date", "brag", "author")


class ActionUpdateForm(ModalScreen[bool]):
    """Dismisses with True once the update is saved, False if cancelled."""

    CSS_PATH = "update_form.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="update.save", tooltip="Save"),
        # Textual's ctrl+q is off in a form (so that q is typed): this one asks first.
        Binding("ctrl+q", "app.quit_anywhere", show=False, id="update.quit"),
        Binding("escape", "cancel", "Cancel", id="update.cancel", tooltip="Close, saving nothing"),
        Binding("b", "brag('blue')", "Blue", id="update.blue", tooltip="Blue: complete"),
        Binding("g", "brag('green')", "Green", id="update.green", tooltip="Green: on track"),
        Binding("a", "brag('amber')", "Amber", id="update.amber", tooltip="Amber: at risk"),
        Binding("r", "brag('red')", "Red", id="update.red", tooltip="Red: off track"),
    ]

    def __init__(self, action_id: int) -> None:
        super().__init__()
        self.action_id = action_id
        self._action: Any = None  # the action as loaded, to name it once saved
        self._ready = False
        self._saving = False
        self._initial: dict[str, Any] = {}
        self._after_save: Callable[[], object] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="update-dialog"):
            yield Static(Text("Add an update"), id="update-heading")
            yield Label("Progress note *", classes="form-label")
            yield TextArea(id="update-note")
            yield Static("", id="error-note", classes="form-error")
            with Horizontal(id="update-row"):
                with Vertical():
                    yield Label("Date", classes="form-label")
                    yield Input(placeholder="dd/mm/yyyy", id="update-date")
                with Vertical():
                    yield Label("BRAG at this date", classes="form-label")
                    yield Select(BRAG_OPTIONS, allow_blank=False, id="update-brag")
                with Vertical():
                    yield Label("Author", classes="form-label")
                    yield Input(id="update-author")
            # Under the row, the whole width: in a column a third wide, a message about a
            # date wrapped into five short lines.
            for field in ("on_date", "brag", "author"):
                yield Static("", id=f"error-{field}", classes="form-error")
            yield Static(
                Text("b/g/a/r set the BRAG when not typing · ctrl+s saves · esc cancels"),
                id="update-keys",
            )
            yield Static("", id="update-message")
            with Horizontal(id="update-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="update-save")
                yield Button("Cancel (esc)", id="update-cancel")
        # Its own keys at the foot, not those of the screen underneath.
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#update-note", TextArea).focus()
        self._load()

    class Loaded(Message):
        """The action, and the store's today (the date the note opens with)."""

        def __init__(self, action: Any, today: Any) -> None:
            super().__init__()
            self.action = action
            self.today = today

    class LoadFailed(Failed):
        """The action could not be read: the form closes."""

    class Saved(Message):
        """The update the store kept."""

        def __init__(self, update: Any) -> None:
            super().__init__()
            self.update = update

    class SaveFailed(Failed):
        """The store refused the update (or saving failed)."""

    @worker(group="update-load", name="load", failed=LoadFailed)
    def _load(self) -> Loaded:
        from store import get_action

        store = app_of(self).store
        return self.Loaded(get_action(store, self.action_id), store.today)

    @worker(group="update-save", name="save", failed=SaveFailed)
    def _save(self, values: dict[str, Any]) -> Saved:
        from store import add_action_update

        return self.Saved(add_action_update(app_of(self).store, self.action_id, **values))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self._show_action(message.action, message.today)

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        app_of(self).show_error(f"Could not open the action: {message.error}")
        self.dismiss(False)

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self._saving = False
        # Said where the lead lands (a detail, a list, the pack), not only shown there.
        self.notify(self._saved_message(message.update), title="Update added", markup=False)
        after, self._after_save = self._after_save, None
        self.dismiss(True)
        if after is not None:
            after()

    @on(SaveFailed)
    def _save_failed(self, message: SaveFailed) -> None:
        self._saving = False
        self._after_save = None
        self._show_error(message.error)

    def _saved_message(self, update: Any) -> str:
        """``3.1 Tracker: now Green (on track), 21/01/2019`` from the update the store kept."""
        from store.vocab import BRAG_MEANING

        action = self._action
        name = safe(f"{action.ref} {action.title}".strip()) if action is not None else "Action"
        brag = getattr(update, "brag", None) or (action.brag if action is not None else "")
        when = getattr(update, "on_date", None)
        text = f"{name}: now {brag.title()}" if brag else name
        if brag in BRAG_MEANING:
            text += f" ({BRAG_MEANING[brag]})"
        if when is not None:
            text += f", {format_date(when)}"
        return text + "."

    def _show_action(self, action: Any, today: Any) -> None:
        self._action = action
        heading = Text("Add an update to ")
        heading.append(safe(f"{action.ref} {action.title}".strip()), style="bold")
        self.query_one("#update-heading", Static).update(heading)
        self.query_one("#update-date", Input).value = today.strftime("%d/%m/%Y")
        self.query_one("#update-brag", Select).value = action.brag
        self._ready = True
        self._initial = self._values()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While typing, the letter goes into the text, not the BRAG.
        return not (action == "brag" and isinstance(self.focused, (Input, TextArea)))

    def action_brag(self, brag: str) -> None:
        self.query_one("#update-brag", Select).value = brag

    def _values(self) -> dict[str, Any]:
        brag = self.query_one("#update-brag", Select).value
        return {
            "note": self.query_one("#update-note", TextArea).text,
            "on_date": self.query_one("#update-date", Input).value,
            "brag": None if brag == Select.NULL else brag,
            "author": self.query_one("#update-author", Input).value,
        }

    @property
    def unsaved(self) -> Text | None:
        """What closing now would lose (a note typed, a BRAG or date changed), or None."""
        if not self._ready or self._values() == self._initial:
            return None
        return Text("This progress update is not saved yet.")

    def save_then(self, then: Callable[[], object]) -> None:
        """Save, and once saved do ``then``; a refused save stays open, saying why."""
        self._after_save = then
        if not self.action_save():
            self._after_save = None

    def action_save(self) -> bool:
        """Start saving; False when nothing was started."""
        if not self._ready or self._saving:
            return False
        self._clear_errors()
        values = self._values()
        if not str(values["on_date"]).strip():
            # A person adding an update knows its date: only a plan import may leave one
            # out ("date not given"), and a blank here is never quietly today.
            from store.errors import ValidationError

            self._show_error(
                ValidationError("on_date", "Give the date of the update (dd/mm/yyyy).")
            )
            return False
        self._saving = True
        self._save(values)
        return True

    def _clear_errors(self) -> None:
        self.query_one("#update-message", Static).update("")
        for error in self.query(".form-error"):
            error.remove_class("-shown")

    def _show_error(self, error: BaseException | None) -> None:
        from store.errors import StoreError, ValidationError

        message = str(error) if isinstance(error, StoreError) else f"Could not save: {error}"
        field = error.field if isinstance(error, ValidationError) else None
        targets = {
            "note": "#update-note",
            "on_date": "#update-date",
            "brag": "#update-brag",
            "author": "#update-author",
        }
        if field in targets:
            label = self.query_one(f"#error-{field}", Static)
            label.update(Text(safe(message)))
            label.add_class("-shown")
            self.query_one(targets[field]).focus()
        else:
            self.query_one("#update-message", Static).update(Text(f"Not saved: {safe(message)}"))

    def field_error(self, name: str) -> str:
        """The message shown under a field ('' if none)."""
        label = self.query_one(f"#error-{name}", Static)
        return str(label.render()) if label.has_class("-shown") else ""

    @on(Input.Changed)
    def _edited(self, event: Input.Changed) -> None:
        name = "on_date" if event.input.id == "update-date" else "author"
        self.query_one(f"#error-{name}", Static).remove_class("-shown")

    @on(Button.Pressed, "#update-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#update-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def _close(self) -> None:
        """Close unsaved (after discard); after a save from the question the form has
        closed itself already."""
        if self in self.app.screen_stack:
            self.dismiss(False)

    def action_cancel(self) -> None:
        """Close; with a note typed, first ask Save / Discard / Keep editing."""
        from tui.screens.confirm import leave_unsaved

        leave_unsaved(self.app, "Close the update?", "Close", self._close, only=self)
