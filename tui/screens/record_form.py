"""Add or edit a finding, action, evidence item, visit, source or measure.

The store checks every value; its typed errors are shown under the field they name,
and that field gets the focus. Dates are typed the way a UK officer writes them
(31/01/2018, 31 Jan 2018, end of March 2018). ``ctrl+s`` saves; ``escape`` closes,
asking Save / Discard / Keep editing first when something was typed. A due date in the
past or more than two years ahead is kept only when saved again after its warning.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
    TextArea,
)

# What a form asks and shows (tui/presenters/record_form.py), under the names used here;
# what it reads from its fields, saves and says back (tui/presenters/record_form_save.py).
from tui.presenters.record_form import (
    DATE_PLACEHOLDER,
    FORMS,
    KIND_NAMES,
    KINDS,
    NEW_DEFAULTS,
    Field,
)
from tui.presenters.record_form import date_text as _date_text
from tui.presenters.record_form import load_form as _load
from tui.presenters.record_form import record_values as _record_values
from tui.presenters.record_form import theme_id as _theme_id
from tui.presenters.record_form_save import (
    choice_options,
    due_to_question,
    form_changes,
    form_values,
    is_stale,
    save_record,
    stale_rows,
)
from tui.screens.focus_offer import FocusOffer
from tui.text import safe
from tui.typed_app import app_of
from tui.widgets.toggles import MarkedCheckbox, MarkedSelectionList
from tui.workers import Failed, Unsaid, worker


class RecordForm(FocusOffer, Screen[int | None]):
    """A form to add (``record_id=None``) or edit a record; dismisses with its id, or None."""

    CSS_PATH = "record_form.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="form.save", tooltip="Save the record"),
        # Textual's ctrl+q is off in a form (so that q is typed): this one asks first.
        Binding("ctrl+q", "app.quit_anywhere", show=False, id="form.quit"),
        Binding(
            "escape", "cancel", "Cancel", id="form.cancel", tooltip="Close without saving anything"
        ),
    ]

    def __init__(
        self,
        kind: str,
        record_id: int | None = None,
        *,
        defaults: dict[str, Any] | None = None,
        heading: str | None = None,
    ) -> None:
        """``heading`` replaces "New action" on a new record, e.g. to name what it is for."""
        if kind not in FORMS:
            raise ValueError(f"no form for {kind!r}; one of {', '.join(KINDS)}")
        super().__init__()
        self.kind = kind
        self.record_id = record_id
        self.defaults = dict(defaults or {})
        self.heading = heading
        self.fields = FORMS[kind]
        self._initial: dict[str, Any] = {}
        self._ready = False
        self._saving = False
        self._after_save: Callable[[], object] | None = None
        self._today: date | None = None
        # The due date whose warning was shown: saving it again keeps it.
        self._warned_due: date | None = None
        self._saved_id: int | None = None
        # The record's version as this form read it: a save over a newer one is refused.
        self._version: int | None = None
        self._labels = {spec.name: spec.label for spec in self.fields}

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        noun = KIND_NAMES[self.kind]
        heading = f"New {noun}" if self.record_id is None else f"Edit {noun}"
        if self.record_id is None and self.heading:
            heading = self.heading
        yield Static(Text(safe(heading)), id="form-title")
        yield VerticalScroll(Static(Text("Loading…")), id="form-fields")
        yield Static("", id="form-message")
        with Horizontal(id="form-buttons"):
            yield Button("Save (ctrl+s)", variant="primary", id="form-save")
            yield Button("Cancel (esc)", id="form-cancel")
        yield Footer()

    def on_mount(self) -> None:
        self._load()

    class Loaded(Message):
        """What the form shows: the record (if any), the themes, today..."""

        def __init__(self, data: dict[str, Any]) -> None:
            super().__init__()
            self.data = data

    class LoadFailed(Failed):
        """The record could not be read: the form closes."""

    class Saved(Message):
        """The record as the store saved it."""

        def __init__(self, record: Any) -> None:
            super().__init__()
            self.record = record

    class SaveFailed(Failed):
        """The store refused the save (or someone saved first: ``is_stale``)."""

    class TheirsRead(Message):
        """Someone saved first: their version, to set beside this form's."""

        def __init__(
            self, said: str, theirs: dict[str, Any], version: int | None, names: dict[Any, str]
        ) -> None:
            super().__init__()
            self.said = said
            self.theirs = theirs
            self.version = version
            self.names = names

    @worker(group="form-load", name="load", failed=LoadFailed)
    def _load(self) -> Loaded:
        return self.Loaded(_load(app_of(self).store, self.kind, self.record_id, self.defaults))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self._build(message.data)

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        app_of(self).show_error(f"Could not open the {KIND_NAMES[self.kind]}: {message.error}")
        self.dismiss(None)

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self._saving = False
        if self.kind == "visit":
            self._find_mentions(message.record.id)  # then closes, as below
        else:
            self._close_saved(message.record.id)

    @on(SaveFailed)
    def _save_failed(self, message: SaveFailed) -> None:
        self._saving = False
        self._after_save = None
        self._show_store_error(message.error)
        if is_stale(message.error):
            self._read_theirs(message.error)

    @on(FocusOffer.MentionsFound)
    def _mentions_found(self, message: FocusOffer.MentionsFound) -> None:
        self._offer_mentions(message.visit_id, message.mentions)

    @on(FocusOffer.MentionsAdded)
    def _mentions_added(self, message: FocusOffer.MentionsAdded) -> None:
        self.notify(f"Added {message.added} to the pack.", title="Pack", markup=False)
        self._close_saved(message.visit_id)

    @on(FocusOffer.OfferFailed)
    def _offer_failed(self, message: FocusOffer.OfferFailed) -> None:
        # The visit is saved; only the offer failed: say so, and close.
        app_of(self).show_error(f"Could not look for more findings: {message.error}")
        self._close_saved(self._saved_id)

    @on(TheirsRead)
    def _theirs_read(self, message: TheirsRead) -> None:
        self._ask_stale(message.said, message.theirs, message.version, message.names)

    def _build(self, data: dict[str, Any]) -> None:
        themes, record = data["themes"], data["record"]
        self._today = data["today"]
        if record is not None:
            self._version = getattr(record, "version", None)
            values = _record_values(self.kind, record, themes)
            title = Text(f"Edit {KIND_NAMES[self.kind]} ")
            ref = getattr(record, "ref", "")
            name = getattr(record, "title", None) or getattr(record, "name", "")  # a measure's
            title.append(safe(f"{ref} {name}".strip()), style="bold")
            self.query_one("#form-title", Static).update(title)
        else:
            values = {**NEW_DEFAULTS[self.kind], **self._field_defaults(themes)}
        rows = [self._row(spec, values.get(spec.name), data) for spec in self.fields]
        container = self.query_one("#form-fields", VerticalScroll)
        container.remove_children()
        container.mount_all(rows)
        # What the fields hold now, as _values reads them: read from the widgets, a Select
        # set in this refresh would still read blank, and an untouched form look changed.
        self._initial = self._as_read(values, data)
        self.call_after_refresh(self._after_build)

    def _as_read(self, values: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        return form_values(self.fields, values, data)

    def _after_build(self) -> None:
        self._ready = True
        self._widget(self.fields[0].name).focus()

    def _field_defaults(self, themes: list[Any]) -> dict[str, Any]:
        """Defaults given by the caller, for fields on this form (theme by name or id)."""
        names = {spec.name for spec in self.fields}
        out = {k: v for k, v in self.defaults.items() if k in names}
        if isinstance(out.get("theme"), str):
            out["theme"] = _theme_id(themes, out["theme"])
        if "focus_themes" in out:
            out["focus_themes"] = [
                _theme_id(themes, t) if isinstance(t, str) else t for t in out["focus_themes"]
            ]
        for spec in self.fields:
            if spec.widget == "date" and isinstance(out.get(spec.name), date):
                out[spec.name] = _date_text(out[spec.name])
        return out

    def _row(self, spec: Field, value: Any, data: dict[str, Any]) -> Widget:
        label = spec.label + (" *" if spec.required else "")
        parts: list[Widget] = []
        wid = f"field-{spec.name}"
        hint = spec.hint
        if spec.widget in ("text", "date", "number"):
            placeholder = DATE_PLACEHOLDER if spec.widget == "date" else ""
            if spec.name == "ref" and data.get("next_ref"):
                placeholder = safe(data["next_ref"])
                hint = f"Leave blank for {placeholder}, the next ref in the plan"
            parts.append(
                Input(value="" if value is None else str(value), placeholder=placeholder, id=wid)
            )
        elif spec.widget == "long":
            parts.append(TextArea(text="" if value is None else str(value), id=wid))
        elif spec.widget == "flag":
            parts.append(MarkedCheckbox("", bool(value), id=wid))
        elif spec.widget == "choice":
            options = choice_options(spec, data)
            known = {v for _, v in options}
            select: Select[Any] = Select(
                options,
                value=value if value in known else Select.NULL,
                allow_blank=spec.allow_blank or value not in known,
                prompt="(none)" if spec.allow_blank else "Choose…",
                id=wid,
            )
            parts.append(select)
        elif spec.widget == "themes":
            chosen = set(value or ())
            parts.append(
                MarkedSelectionList(
                    *((Text(safe(t.name)), t.id, t.id in chosen) for t in data["themes"]), id=wid
                )
            )
        if hint:
            parts.append(Static(Text(hint), classes="form-hint", id=f"hint-{spec.name}"))
        parts.append(Static("", id=f"error-{spec.name}", classes="form-error"))
        return Horizontal(
            Label(label, classes="form-label"),
            Vertical(*parts, classes="form-field"),
            classes="form-row",
        )

    # ------------------------------------------------------------------ values

    def _widget(self, name: str) -> Widget:
        return self.query_one(f"#field-{name}")

    def _values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for spec in self.fields:
            widget = self._widget(spec.name)
            if isinstance(widget, Input):
                values[spec.name] = widget.value
            elif isinstance(widget, TextArea):
                values[spec.name] = widget.text
            elif isinstance(widget, Checkbox):
                values[spec.name] = widget.value
            elif isinstance(widget, Select):
                values[spec.name] = None if widget.value == Select.NULL else widget.value
            elif isinstance(widget, SelectionList):
                values[spec.name] = sorted(widget.selected)
        return values

    @property
    def changed(self) -> bool:
        return self._ready and self._values() != self._initial

    @property
    def unsaved(self) -> Text | None:
        """What closing the form now would lose, for the Save / Discard / Keep editing
        question (None when nothing was typed)."""
        if not self.changed:
            return None
        noun = KIND_NAMES[self.kind]
        if self.record_id is None:
            return Text(f"This new {noun} is not saved yet.")
        return Text(f"Your changes to this {noun} are not saved yet.")

    def save_then(self, then: Callable[[], object]) -> None:
        """Save, and once saved (the form closed) do ``then``; a refused save stays open."""
        self._after_save = then
        if not self.action_save():
            self._after_save = None

    def _changes(self) -> dict[str, Any]:
        return form_changes(
            self.kind,
            self.fields,
            self._values(),
            self._initial,
            self.defaults,
            new=self.record_id is None,
        )

    # ------------------------------------------------------------------ saving

    def action_save(self) -> bool:
        """Start saving; False when nothing was started (not ready, or a warning shown)."""
        if not self._ready or self._saving:
            return False
        self._clear_errors()
        changes = self._changes()
        if self.record_id is not None and not changes:
            after, self._after_save = self._after_save, None
            self.dismiss(self.record_id)
            if after is not None:
                after()
            return True
        if self._due_date_questioned(changes):
            return False
        self._saving = True
        self.query_one("#form-message", Static).update(Text("Saving…"))
        self._save(changes)
        return True

    def _close_saved(self, record_id: int | None) -> None:
        after, self._after_save = self._after_save, None
        self.dismiss(record_id)
        if after is not None:
            after()

    def _due_date_questioned(self, changes: dict[str, Any]) -> bool:
        """A due date in the past or over two years ahead (a mistyped year, most often) is
        kept only when saved a second time: the first save says why under the field."""
        questioned = due_to_question(changes, self._today, self._warned_due)
        if questioned is None:
            return False
        due, warning = questioned
        self._warned_due = due
        label = self.query_one("#error-due_date", Static)
        label.update(Text(f"{warning} ctrl+s again keeps it."))
        label.add_class("-shown")
        widget = self._widget("due_date")
        widget.focus()
        self.query_one("#form-fields", VerticalScroll).scroll_to_widget(widget)
        self.query_one("#form-message", Static).update(
            Text("Not saved yet: check the due date, then save again.")
        )
        return True

    @worker(group="form-save", name="save", failed=SaveFailed)
    def _save(self, changes: dict[str, Any]) -> Saved:
        store = app_of(self).store
        return self.Saved(save_record(store, self.kind, self.record_id, changes, self._version))

    # ------------------------------------------------------------------ someone saved first

    @worker(group="form-load", name="theirs", failed=Unsaid)
    def _read_theirs(self, error: Any) -> TheirsRead:
        """Their version of the record, to set beside this form's (the form keeps all)."""
        data = _load(app_of(self).store, self.kind, self.record_id)
        theirs = _record_values(self.kind, data["record"], data["themes"])
        version = getattr(data["record"], "version", None)
        names = {theme.id: theme.name for theme in data["themes"]}
        return self.TheirsRead(str(error), self._as_read(theirs, data), version, names)

    def _ask_stale(
        self, message: str, theirs: dict[str, Any], version: int | None, names: dict[Any, str]
    ) -> None:
        from tui.screens.stale import StaleScreen

        rows = stale_rows(self._changes(), theirs, self._labels, names)

        def answered(answer: str | None) -> None:
            if answer == "mine":
                self._version = version  # over theirs: only the fields changed here
                self.action_save()
            elif answer == "theirs":
                self._version = None
                self._ready = False
                self._load()
            else:
                self.query_one("#form-message", Static).update(
                    Text(f"Not saved: {safe(message)} ctrl+s asks again.")
                )

        self.app.push_screen(StaleScreen(message, rows), answered)

    def _clear_errors(self) -> None:
        self.query_one("#form-message", Static).update("")
        for error in self.query(".form-error"):
            error.remove_class("-shown")
            if isinstance(error, Static):
                error.update("")
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")

    def _show_store_error(self, error: BaseException | None) -> None:
        from store.errors import StoreError, ValidationError

        message = str(error) if isinstance(error, StoreError) else f"Could not save: {error}"
        field = getattr(error, "field", None) if isinstance(error, ValidationError) else None
        names = {spec.name for spec in self.fields}
        if field == "theme_id":
            field = "theme"
        if field in names:
            label = self.query_one(f"#error-{field}", Static)
            label.update(Text(safe(message)))
            label.add_class("-shown")
            widget = self._widget(field)
            widget.add_class("-invalid")
            widget.focus()
            self.query_one("#form-fields", VerticalScroll).scroll_to_widget(widget)
            self.query_one("#form-message", Static).update(Text("Not saved: see the field marked."))
        else:
            self.query_one("#form-message", Static).update(Text(f"Not saved: {safe(message)}"))
            if not isinstance(error, StoreError):
                app_of(self).show_error(message)

    def field_error(self, name: str) -> str:
        """The message shown under a field ('' if none): for tests and the help line."""
        label = self.query_one(f"#error-{name}", Static)
        return str(label.render()) if label.has_class("-shown") else ""

    @on(Select.Changed, "#field-theme")
    def _theme_chosen(self, event: Select.Changed) -> None:
        """A new action's blank ref carries on the chosen theme's numbering: say which."""
        if self.kind == "action" and self.record_id is None and self._ready:
            theme = None if event.value is Select.NULL else event.value
            self._next_ref(theme)

    @worker(group="form-ref", name="ref", failed=Unsaid)  # the hint stays as it was
    def _next_ref(self, theme: Any) -> None:
        from store.actions import next_action_ref

        store = app_of(self).store
        ref = next_action_ref(store, finding_ids=self.defaults.get("finding_ids", ()), theme=theme)
        self.app.call_from_thread(self._show_next_ref, ref)

    def _show_next_ref(self, ref: str) -> None:
        for box in self.query("#field-ref").results(Input):
            box.placeholder = safe(ref)
        for hint in self.query("#hint-ref").results(Static):
            hint.update(Text(f"Leave blank for {safe(ref)}, the next ref in the plan"))

    @on(Input.Changed)
    def _edited(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("field-")
        for error in self.query(f"#error-{name}"):
            if error.has_class("-shown"):
                error.remove_class("-shown")
                event.input.remove_class("-invalid")

    # ------------------------------------------------------------------ buttons

    @on(Button.Pressed, "#form-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def _close(self) -> None:
        """Close unsaved (after discard); after a save from the question the form has
        closed itself already."""
        if self in self.app.screen_stack:
            self.dismiss(None)

    def action_cancel(self) -> None:
        """Close; with work typed in, first ask Save / Discard / Keep editing."""
        from tui.screens.confirm import leave_unsaved

        leave_unsaved(self.app, "Close the form?", "Close", self._close, only=self)
