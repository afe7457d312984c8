"""A small yes/no question before anything is lost (a delete, a cascade), and the one
Save / Discard / Keep editing question before unsaved work would be (a form, an import
preview not yet imported).

``y`` (or the first button) answers yes; ``n`` or ``escape`` answers no. "No" has the
focus when it opens, so an enter pressed out of habit never deletes anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from tui.text import safe

T = TypeVar("T")


class _Question(ModalScreen[T]):
    """The layout both questions share: a bold title, the message, a row of buttons (each
    saying its key), and the question's own keys at the foot, not those of the screen
    underneath. ``FOCUS`` names the button focused when it opens (the harmless answer);
    ids are ``PREFIX-dialog``, ``PREFIX-title``, ``PREFIX-message`` and ``PREFIX-NAME``."""

    PREFIX: ClassVar[str]
    FOCUS: ClassVar[str]

    def __init__(self, title: str | Text, message: str | Text) -> None:
        super().__init__()
        # Plain strings are ours; anything holding user text arrives as a rich Text.
        self.title_text = title if isinstance(title, Text) else Text(title)
        self.message = message if isinstance(message, Text) else Text(message)

    def buttons(self) -> list[Button]:
        """The answers, in order, each with the id ``PREFIX-NAME``."""
        raise NotImplementedError

    def answer_of(self, name: str) -> T:
        """What pressing the button ``PREFIX-NAME`` answers."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(id=f"{self.PREFIX}-dialog"):
            yield Static(self.title_text, id=f"{self.PREFIX}-title")
            yield Static(self.message, id=f"{self.PREFIX}-message")
            with Horizontal(id=f"{self.PREFIX}-buttons"):
                yield from self.buttons()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(f"#{self.PREFIX}-{self.FOCUS}", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(self.answer_of((event.button.id or "").removeprefix(f"{self.PREFIX}-")))

    def action_answer(self, answer: T) -> None:
        self.dismiss(answer)


class ConfirmScreen(_Question[bool]):
    """Ask a question; dismisses with True (yes) or False (no).

    A question before something is lost (the default, ``danger=True``) is red: a red border
    and a red yes. A harmless one (``danger=False``: add findings to a pack, say) has the
    ordinary look: the yes is the primary button, the border the primary colour. Either
    way "No" has the focus when it opens."""

    CSS_PATH = "confirm.tcss"
    PREFIX = "confirm"
    FOCUS = "no"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="Yes, go ahead"),
        Binding("n", "answer(False)", "No", id="confirm.no", tooltip="No, change nothing"),
        Binding("escape", "answer(False)", "No", id="confirm.cancel", tooltip="No, change nothing"),
    ]

    def __init__(
        self,
        title: str | Text,
        message: str | Text,
        *,
        yes: str = "Yes",
        no: str = "No",
        danger: bool = True,
    ) -> None:
        super().__init__(title, message)
        self.yes_label = yes
        self.no_label = no
        self.danger = danger
        self.set_class(not danger, "-harmless")  # confirm.tcss: the border's colour

    def buttons(self) -> list[Button]:
        return [
            Button(
                f"{self.yes_label} (y)",
                variant="error" if self.danger else "primary",
                id="confirm-yes",
            ),
            Button(
                f"{self.no_label} (n)",
                variant="primary" if self.danger else "default",
                id="confirm-no",
            ),
        ]

    def answer_of(self, name: str) -> bool:
        return name == "yes"


# ---------------------------------------------------------------------------- deleting

NOUNS = {
    "finding": "finding",
    "action": "action",
    "evidence": "evidence item",
    "source": "source",
    "visit": "visit",
}


@dataclass(frozen=True, slots=True)
class DeletePlan:
    """What deleting one record would take with it, worded for the question asked first."""

    kind: str
    record_id: int
    title: Text
    message: Text
    yes: str
    cascade: bool = False


def _name(kind: str, record: Any) -> str:
    ref = getattr(record, "ref", "")
    return f"{ref} {record.title}".strip() if ref else record.title


def _listed(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def plan_delete(store: Any, kind: str, record_id: int) -> DeletePlan:
    """Look up what would go with the record (runs in a worker: it reads the store)."""
    import store as api
    from store._common import plural
    from tui.widgets.record_table import listing

    record = listing(kind).get(store, record_id)
    title = Text(f"Delete this {NOUNS[kind]}?")
    message = Text()
    message.append(safe(_name(kind, record)), style="bold")
    message.append("\n\n")
    cascade = False
    yes = "Delete"
    if kind == "finding":
        children = len(api.finding_children(store, record_id))
        parts = [
            plural(n, word)
            for n, word in (
                (record.action_count, "action"),
                (record.evidence_count, "evidence item"),
                (children, "later finding"),
            )
            if n
        ]
        if parts:
            cascade = True
            yes = "Delete with its links"
            message.append(f"It is linked to {_listed(parts)}. ")
            message.append("Deleting it removes those links too", style="bold")
            message.append("; the actions, evidence and later findings themselves stay.")
        else:
            message.append("Nothing is linked to it. This cannot be undone.")
    elif kind == "action":
        updates = len(api.list_action_updates(store, record_id))
        parts = [
            plural(n, word)
            for n, word in (
                (record.finding_count, "finding"),
                (record.evidence_count, "evidence item"),
            )
            if n
        ]
        gone = [plural(updates, "progress update")] if updates else []  # some may be undated
        if parts:
            gone.append(f"its links to {_listed(parts)}")
        if gone:
            message.append(f"{_listed(gone)} go with it".capitalize())
            message.append("; the findings and evidence themselves stay. ")
        message.append("This cannot be undone.")
    elif kind == "evidence":
        parts = [
            plural(n, word)
            for n, word in ((record.action_count, "action"), (record.finding_count, "finding"))
            if n
        ]
        if parts:
            message.append(f"Its links to {_listed(parts)} go with it, ")
        else:
            message.append("It supports nothing yet. ")
        message.append("and so do its ready ticks in visit packs. The file it points to is ")
        message.append("not touched.")
    elif kind == "source":
        if record.finding_count:
            cascade = True
            yes = f"Delete it and its {plural(record.finding_count, 'finding')}"
            message.append(f"Its {plural(record.finding_count, 'finding')} ")
            verb = "is" if record.finding_count == 1 else "are"
            message.append(f"{verb} deleted too", style="bold")
            message.append(", with their links (the actions and evidence stay). ")
        message.append("This cannot be undone.")
    else:
        message.append("Its pack choices and ready ticks go with it; findings, actions and ")
        message.append("evidence stay.")
    return DeletePlan(kind, record_id, title, message, yes, cascade)


class DeletePlanned(Message):
    """What deleting a record would do, read in a worker, for its screen to ask about."""

    def __init__(self, plan: DeletePlan) -> None:
        super().__init__()
        self.plan = plan


class Deleted(Message):
    """The record a screen asked about is deleted."""


def carry_out(store: Any, plan: DeletePlan) -> None:
    """Delete as planned (runs in a worker). The store checks again and refuses a
    finding or source that gained links since, unless the plan said cascade."""
    import store as api

    if plan.kind == "finding":
        api.delete_finding(store, plan.record_id, cascade=plan.cascade)
    elif plan.kind == "source":
        api.delete_source(store, plan.record_id, cascade=plan.cascade)
    else:
        {
            "action": api.delete_action,
            "evidence": api.delete_evidence,
            "visit": api.delete_visit,
        }[plan.kind](store, plan.record_id)


class UnsavedScreen(_Question[str]):
    """Save / Discard / Keep editing: asked before work not yet saved would be lost (escape
    on a form, ctrl+q, a switch to another screen). Dismisses with "save", "discard" or
    "keep". "Keep editing" has the focus, so an enter pressed out of habit loses nothing."""

    CSS_PATH = "confirm.tcss"
    PREFIX = "unsaved"
    FOCUS = "keep"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "answer('save')", "Save", id="unsaved.save", tooltip="Save, then go on"),
        Binding(
            "d", "answer('discard')", "Discard", id="unsaved.discard", tooltip="Lose it and go on"
        ),
        Binding(
            "k", "answer('keep')", "Keep editing", id="unsaved.keep", tooltip="Back to the work"
        ),
        Binding(
            "escape",
            "answer('keep')",
            "Keep editing",
            id="unsaved.cancel",
            tooltip="Back to the work",
        ),
    ]

    def __init__(self, title: str, message: Text, *, can_save: bool = True) -> None:
        super().__init__(title, message)
        self.can_save = can_save

    def buttons(self) -> list[Button]:
        save = [Button("Save (s)", variant="primary", id="unsaved-save")] if self.can_save else []
        return [
            *save,
            Button("Discard (d)", variant="error", id="unsaved-discard"),
            Button("Keep editing (k)", id="unsaved-keep"),
        ]

    def answer_of(self, name: str) -> str:
        return name or "keep"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "answer" and parameters == ("save",) and not self.can_save)


def leave_unsaved(
    app: App[Any],
    title: str,
    verb: str,
    then: Callable[[], object],
    *,
    only: Any = None,
) -> None:
    """Do ``then`` (which closes screens, or the app), asking first, with the one
    Save / Discard / Keep editing question, about each screen on the stack (or only
    ``only``) that holds work not yet saved: its ``unsaved`` says what would be lost, and
    its ``save_then(callback)``, if it has one, saves and calls back once saved (a form
    whose save fails stays open, saying why, and nothing more happens). ``verb`` names
    what happens afterwards ("Quit", "Go", "Close")."""
    screens = [only] if only is not None else list(reversed(app.screen_stack))
    waiting = [s for s in screens if getattr(s, "unsaved", None)]
    _ask_each(app, title, verb, waiting, then)


def _ask_each(
    app: App[Any], title: str, verb: str, waiting: list[Any], then: Callable[[], object]
) -> None:
    while waiting and not getattr(waiting[0], "unsaved", None):
        waiting = waiting[1:]
    if not waiting:
        then()
        return
    screen, rest = waiting[0], waiting[1:]
    save_then = getattr(screen, "save_then", None)

    def go_on() -> None:
        _ask_each(app, title, verb, rest, then)

    def answered(answer: str | None) -> None:
        if answer == "save" and save_then is not None:
            save_then(go_on)
        elif answer == "discard":
            go_on()

    then_word = verb.lower()
    question = (
        f"Save and {then_word}, discard and {then_word}, or keep editing?"
        if save_then is not None
        else f"Discard and {then_word}, or keep editing?"
    )
    message = Text.assemble(screen.unsaved, "\n\n", question)
    app.push_screen(UnsavedScreen(title, message, can_save=save_then is not None), answered)
