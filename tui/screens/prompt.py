"""One value asked for in a box: the export path, the evidence age.

``enter`` (or the first button) does the work in a thread; what the store refuses is said
under the box, which keeps the focus, so the value can be fixed and tried again. A line
under the box may say what the typed value means as it is typed (where a file will go).
``escape`` changes nothing. The prompt has its own footer, not the keys of the screen
underneath.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult, CSSPathType
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Static

from tui.text import safe
from tui.workers import Failed, worker

Result = TypeVar("Result")


class ValuePrompt(ModalScreen[Result | None], Generic[Result]):
    """Dismisses with what :meth:`run` returned, or ``None`` when cancelled."""

    # Typed as Textual types it, so that a prompt may list the base sheet and its own.
    CSS_PATH: ClassVar[CSSPathType | None] = "prompt.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Cancel", id="prompt.close", tooltip="Change nothing"),
    ]

    heading = ""
    explained = ""
    label = ""
    verb = "Save"  # the first button: "Save (enter)"
    failed = "Not saved"  # before an error that is not the store's own words
    select_on_focus = False  # True: typing replaces the value shown (a number)

    def __init__(self, value: str) -> None:
        super().__init__()
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-dialog"):
            if self.heading:
                yield Static(Text(self.heading), id="prompt-heading")
            if self.explained:
                yield Static(Text(self.explained), id="prompt-explained")
            yield Label(self.label)
            yield Input(value=self.value, id="prompt-value", select_on_focus=self.select_on_focus)
            yield Static("", id="prompt-note")
            yield Static("", id="prompt-error")
            with Horizontal(id="prompt-buttons"):
                yield Button(f"{self.verb} (enter)", variant="primary", id="prompt-do")
                yield Button("Cancel (esc)", id="prompt-cancel")
        yield Footer()

    def run(self, text: str) -> Result:
        """Do the work with what was typed (in a worker thread); raise to refuse it."""
        raise NotImplementedError

    def note(self, text: str) -> Text | None:
        """What ``text`` means, said under the box as it is typed (nothing by default)."""
        return None

    def submit(self, text: str) -> None:
        """Enter was pressed: do the work (a prompt may ask something first)."""
        self._run(text)

    def done(self, result: Result) -> None:
        """The work is done: close with its result (a prompt may do more first)."""
        self.dismiss(result)

    def on_mount(self) -> None:
        self.query_one("#prompt-value", Input).focus()
        self._noted(self.value)

    @on(Input.Changed, "#prompt-value")
    def _typed(self, event: Input.Changed) -> None:
        self._noted(event.value)
        # What was refused was the old value: its error goes once the value changes.
        self.query_one("#prompt-error", Static).update("")

    def _noted(self, text: str) -> None:
        note = self.note(text)
        widget = self.query_one("#prompt-note", Static)
        widget.display = note is not None
        widget.update(note or "")

    @on(Input.Submitted, "#prompt-value")
    @on(Button.Pressed, "#prompt-do")
    def _do_pressed(self, event: Any) -> None:
        event.stop()
        self.query_one("#prompt-error", Static).update("")
        self.submit(self.query_one("#prompt-value", Input).value)

    @on(Button.Pressed, "#prompt-cancel")
    def _cancel_pressed(self) -> None:
        self.action_close()

    class Done(Message):
        """The work with what was typed is done: its result."""

        def __init__(self, result: Any) -> None:
            super().__init__()
            self.result = result

    class Refused(Failed):
        """The work refused what was typed (or failed)."""

    @worker(group="prompt", name="prompt", failed=Refused)
    def _run(self, text: str) -> Done:
        return self.Done(self.run(text))

    @on(Done)
    def _done(self, message: Done) -> None:
        self.done(message.result)

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        from store.errors import StoreError

        error = message.error
        said = str(error) if isinstance(error, StoreError) else f"{self.failed}: {error}"
        self.query_one("#prompt-error", Static).update(Text(safe(said)))
        self.query_one("#prompt-value", Input).focus()

    def action_close(self) -> None:
        self.dismiss(None)
