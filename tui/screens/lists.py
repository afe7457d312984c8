"""Lists of findings, actions, evidence, sources and visits: filter, sort, open, act.

The title says in words what is shown ("Actions — overdue, BRAG red"). ``f`` opens the
filters, ``o`` and ``w`` toggle overdue and due soon on actions, ``c`` clears them; ``s``
picks the next sort column and ``S`` reverses it (or click a heading). ``enter`` opens a
record, ``n`` adds one, ``e`` edits, ``l``/``L`` link, ``u`` adds an update to an action
and ``delete`` deletes after asking. The rows are a :class:`RecordTable`: a window onto
the store, however long the list.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from tui.messages import ScreenReady

# The list's words (tui/presenters/lists.py), under the names used here.
from tui.presenters.lists import ID_FILTERS, describe_filters, preview
from tui.presenters.lists import kept_filters as _kept
from tui.presenters.lists import ref_title as _ref_title
from tui.screens.confirm import (
    ConfirmScreen,
    Deleted,
    DeletePlan,
    DeletePlanned,
    carry_out,
    plan_delete,
)
from tui.text import safe
from tui.typed_app import app_of
from tui.widgets.key_footer import KeyFooter
from tui.widgets.record_table import RecordTable, listing
from tui.workers import Failed, worker

KINDS = ("finding", "action", "evidence", "source", "visit")
DUE_SOON_DAYS = 14
# Which records each kind links to with l (first) and L (second).
LINK_TARGETS = {
    "finding": ("action", "evidence"),
    "action": ("evidence", "finding"),
    "evidence": ("action", "finding"),
}
# What a list shows until filtered otherwise: the Findings list, this council's own (other
# councils' reports are there to search and learn from: f shows them).
DEFAULT_FILTERS: dict[str, dict[str, Any]] = {"finding": {"ours": True}}


class ListScreen(Screen[None]):
    """Records of one kind, filtered and sorted; ``filters`` as the store's ``list_*`` take."""

    CSS_PATH = "lists.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New", id="list.new", tooltip="Add a record to this list"),
        Binding("e", "edit", "Edit", id="list.edit", tooltip="Edit the highlighted record"),
        Binding("l", "link(0)", "Link", id="list.link", tooltip="Link records to this one"),
        Binding("L", "link(1)", "Link other", show=False, id="list.link_other",
                tooltip="Link records of the other kind"),
        Binding("u", "update", "Update", id="list.update",
                tooltip="Add a dated update (BRAG, note) to the highlighted action"),
        Binding("delete", "delete", "Delete", id="list.delete",
                tooltip="Delete the highlighted record (asks first)"),
        Binding("f", "filters", "Filter", id="list.filters", tooltip="Choose filters"),
        Binding("o", "toggle_overdue", "Overdue", id="list.overdue",
                tooltip="Show only overdue actions (or all again)"),
        Binding("o", "open_location", "Open file", show=False, id="list.open",
                tooltip="Open the highlighted evidence item's file or link"),
        Binding("w", "toggle_due_soon", "Due soon", id="list.due_soon",
                tooltip=f"Show only actions due in the next {DUE_SOON_DAYS} days"),
        Binding("c", "clear_filters", "Clear", id="list.clear", tooltip="Clear the filters"),
        Binding("s", "next_sort", "Sort", id="list.sort", tooltip="Sort by the next column"),
        Binding("S", "reverse_sort", "Reverse", show=False, id="list.reverse",
                tooltip="Reverse the sort"),
    ]  # fmt: skip

    def __init__(self, kind: str, filters: dict[str, Any] | None = None) -> None:
        if kind not in KINDS:
            raise ValueError(f"no list of {kind!r}; one of {', '.join(KINDS)}")
        super().__init__()
        self.kind = kind
        self.listing = listing(kind)
        # The list's default view, unless the filters say otherwise (ours=None: all).
        given = {**DEFAULT_FILTERS.get(kind, {}), **(filters or {})}
        self.filters: dict[str, Any] = _kept(given)
        unknown = sorted(set(self.filters) - set(self.listing.filters))
        if unknown:
            known = ", ".join(self.listing.filters)
            raise ValueError(
                f"{self.listing.plural} cannot be filtered by {', '.join(unknown)}"
                + (f" (only by {known})." if known else "; they have no filters.")
            )
        self.names: dict[str, str] = {}
        self.total: int | None = None
        # Other councils' findings the filters leave out (None: not counted, or none left out).
        self.hidden: int | None = None

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="list-title")
        yield Static(self._bar(), id="list-bar")
        yield RecordTable(
            self.kind, filters=self.filters, empty_text=self._empty_text(), id="list-table"
        )
        yield Static("", id="list-preview")
        yield KeyFooter()

    @property
    def table(self) -> RecordTable:
        return self.query_one("#list-table", RecordTable)

    def on_mount(self) -> None:
        self.table.focus()
        self.table.reload(keep_rows=False)
        if any(key in self.filters for key in ID_FILTERS):
            self._name_records(dict(self.filters))

    def _title(self) -> Text:
        title = Text(self.listing.plural)
        words = describe_filters(self.filters, self.names)
        if self.kind == "finding" and "ours" not in self.filters:
            words.append("ours and other councils'")
        if words:
            title.append(" — " + safe(", ".join(words)))
        if self.total is not None:
            title.append(f"  ({self.total:,})", style="dim")
        if self.hidden:
            title.append(
                f" · {self.hidden:,} from other councils' reports not shown (f)", style="dim"
            )
        return title

    def _bar(self) -> Text:
        table = self.query("#list-table")
        sort = table.first(RecordTable).sort if table else self.listing.default_sort
        default = self.listing.default_descending
        descending = table.first(RecordTable).descending if table else default
        label = next(
            (c.label for c in self.listing.columns if c.sort == sort), sort.replace("_", " ")
        )
        words = label.lower()
        if sort == "theme":
            words = "theme, in plan order"  # the themes' own order, as the plan numbers them
        bar = Text(f"Sorted by {words} {'▼' if descending else '▲'} (")
        bar.append_text(Text.assemble(("s", "bold"), ", ", ("S", "bold"), ")"))
        # The footer gives way to these first on a narrow terminal: at 80 columns this line
        # is where they are seen, so it must fit there (the longest, an action list sorted
        # by evidence and filtered, is 73 columns).
        keys: list[tuple[str, str]] = []
        if self.kind in ("finding", "action", "evidence"):
            keys.append(("f", "filter"))
        if self.kind == "action":
            keys += [("o", "overdue"), ("w", "due soon")]
        if self._clearable():
            keys.append(("c", "clear"))
        for key, does in keys:
            bar.append_text(Text.assemble(" · ", (key, "bold"), f" {does}"))
        return bar

    def _clearable(self) -> bool:
        """Whether c would change anything (where the list came from is kept)."""
        return self.filters != self._cleared()

    def _cleared(self) -> dict[str, Any]:
        """The filters after c: where the list came from, and the list's default view."""
        kept = {k: v for k, v in self.filters.items() if k in ID_FILTERS}
        return {**DEFAULT_FILTERS.get(self.kind, {}), **kept}

    def _empty_text(self) -> str:
        plural = self.listing.plural.lower()
        if self._clearable():
            return f"No {plural} match these filters (c clears them)."
        words = describe_filters(self.filters, self.names)
        if self.hidden:
            return (
                f"No {plural} of this council's own yet; {self.hidden:,} from other councils' "
                "reports are not shown (f shows them)."
            )
        if words:
            return f"No {plural} {', '.join(words)} yet."
        return f"No {plural} yet: n adds one."

    def _show_header(self) -> None:
        self.query_one("#list-title", Static).update(self._title())
        self.query_one("#list-bar", Static).update(self._bar())
        empty = self._empty_text()
        if empty != self.table.empty_text:
            self.table.empty_text = empty
            self.table.refresh()
        self.refresh_bindings()

    # ------------------------------------------------------------------ data

    class Named(Message):
        """Refs and titles of the records the filters name by id."""

        def __init__(self, names: dict[str, str]) -> None:
            super().__init__()
            self.names = names

    class HiddenCounted(Message):
        """How many other councils' findings ``filters`` leave out."""

        def __init__(self, filters: dict[str, Any], hidden: int) -> None:
            super().__init__()
            self.filters = filters
            self.hidden = hidden

    class StepFailed(Failed):
        """Naming, counting, planning or deleting failed."""

    @worker(name="list-names", failed=StepFailed)
    def _name_records(self, filters: dict[str, Any]) -> Named:
        """Refs and titles for filters given as ids, so the title can say them."""
        store = app_of(self).store
        return self.Named(
            {
                key: _ref_title(listing(kind).get(store, filters[key]))
                for key, kind in ID_FILTERS.items()
                if key in filters
            }
        )

    @on(Named)
    def _named(self, message: Named) -> None:
        self.names = message.names
        self._show_header()

    @on(HiddenCounted)
    def _hidden_counted(self, message: HiddenCounted) -> None:
        if message.filters == self.filters:  # not a count for filters changed since
            self.hidden = message.hidden
            self._show_header()

    @on(DeletePlanned)
    def _delete_planned(self, message: DeletePlanned) -> None:
        self._ask_delete(message.plan)

    @on(Deleted)
    def _deleted(self, _message: Deleted) -> None:
        self.notify("Deleted.")

    @on(StepFailed)
    def _step_failed(self, message: StepFailed) -> None:
        app_of(self).show_error(str(message.error))

    @worker(name="list-hidden", failed=StepFailed)
    def _count_hidden(self, filters: dict[str, Any]) -> HiddenCounted:
        """How many other councils' findings these filters leave out of our own."""
        import store as api

        store = app_of(self).store
        return self.HiddenCounted(filters, api.count_findings(store, **{**filters, "ours": False}))

    @on(RecordTable.Loaded)
    def _loaded(self, event: RecordTable.Loaded) -> None:
        self.total = event.total
        if self.kind == "finding" and self.filters.get("ours") is True:
            self._count_hidden(dict(self.filters))
        else:
            self.hidden = None
        self._show_header()
        if event.first:
            self.app.post_message(ScreenReady(f"list:{self.kind}"))

    @on(RecordTable.Highlighted)
    def _highlighted_changed(self, event: RecordTable.Highlighted) -> None:
        """The highlighted record's whole title, which the table may have cut short."""
        self.query_one("#list-preview", Static).update(preview(event.record))

    @on(RecordTable.Failed)
    def _failed(self, event: RecordTable.Failed) -> None:
        app_of(self).show_error(str(event.error))

    @on(RecordTable.Opened)
    def _opened(self, event: RecordTable.Opened) -> None:
        event.stop()
        app_of(self).open_record(event.kind, event.record_id)

    @on(RecordTable.SortChanged)
    def _sorted(self, _event: RecordTable.SortChanged) -> None:
        self._show_header()

    def on_store_changed(self, _message: object) -> None:
        """Something was written (here, or on a screen above while this one was hidden):
        fetch again, keeping the cursor where it is."""
        self.table.reload()

    # ------------------------------------------------------------------ filters and sort

    def set_filters(self, filters: dict[str, Any]) -> None:
        """Show the list with these filters (the store's keyword arguments)."""
        self.filters = _kept(filters)
        self.total = None
        self.hidden = None
        self.table.set_query(filters=self.filters)
        self._show_header()
        if any(key in self.filters for key in ID_FILTERS):
            self._name_records(dict(self.filters))

    def action_filters(self) -> None:
        def chosen(filters: dict[str, Any] | None) -> None:
            if filters is not None:
                self.set_filters(filters)

        from tui.screens.list_filters import FilterScreen

        self.app.push_screen(FilterScreen(self.kind, self.filters), callback=chosen)

    def action_toggle_overdue(self) -> None:
        filters = dict(self.filters)
        if filters.pop("overdue", False):
            self.set_filters(filters)
        else:
            filters.pop("due_within", None)  # overdue and due soon never overlap
            self.set_filters({**filters, "overdue": True})

    def action_toggle_due_soon(self) -> None:
        filters = dict(self.filters)
        if filters.pop("due_within", None) is not None:
            self.set_filters(filters)
        else:
            filters.pop("overdue", None)
            self.set_filters({**filters, "due_within": DUE_SOON_DAYS})

    def action_clear_filters(self) -> None:
        self.set_filters(self._cleared())

    def action_next_sort(self) -> None:
        sorts = [c.sort for c in self.listing.columns if c.sort]
        current = self.table.sort
        following = sorts[(sorts.index(current) + 1) % len(sorts)] if current in sorts else sorts[0]
        self.table.set_query(sort=following, descending=False)
        self._show_header()

    def action_reverse_sort(self) -> None:
        self.table.set_query(descending=not self.table.descending)
        self._show_header()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("toggle_overdue", "toggle_due_soon", "update"):
            return self.kind == "action"
        if action == "open_location":
            return self.kind == "evidence"
        if action == "link":
            return self.kind in LINK_TARGETS
        if action == "filters":
            return self.kind in ("finding", "action", "evidence")
        if action == "clear_filters":
            return self._clearable()
        return True

    # ------------------------------------------------------------------ records

    def _highlighted(self) -> Any:
        record = self.table.record
        if record is None:
            self.notify("No record is highlighted yet.", severity="warning")
        return record

    def action_new(self) -> None:
        from tui.screens.record_form import RecordForm

        defaults: dict[str, Any] = {}
        if self.filters.get("theme") and self.kind in ("finding", "action"):
            defaults["theme"] = self.filters["theme"]
        if self.kind == "finding" and self.filters.get("source_id") is not None:
            defaults["source_id"] = self.filters["source_id"]
        if self.kind in ("action", "evidence") and self.filters.get("finding_id") is not None:
            defaults["finding_ids"] = [self.filters["finding_id"]]
        if self.kind == "evidence" and self.filters.get("action_id") is not None:
            defaults["action_ids"] = [self.filters["action_id"]]

        def saved(record_id: int | None) -> None:
            if record_id is not None:
                app_of(self).open_record(self.kind, record_id)

        self.app.push_screen(RecordForm(self.kind, defaults=defaults), callback=saved)

    def action_edit(self) -> None:
        from tui.screens.record_form import RecordForm

        record = self._highlighted()
        if record is not None:
            self.app.push_screen(RecordForm(self.kind, record.id))

    def action_link(self, which: int) -> None:
        from tui.screens.link_picker import LinkPicker

        record = self._highlighted()
        if record is None or self.kind not in LINK_TARGETS:
            return
        target = LINK_TARGETS[self.kind][which]
        self.app.push_screen(LinkPicker(self.kind, record.id, target))

    def action_open_location(self) -> None:
        """o on an evidence list: the highlighted item's file or link, in the system's app."""
        from tui.opening import open_and_say

        record = self.table.record
        if record is not None:
            open_and_say(self, record.location)

    def action_update(self) -> None:
        from tui.screens.update_form import ActionUpdateForm

        record = self._highlighted()
        if record is not None and self.kind == "action":
            self.app.push_screen(ActionUpdateForm(record.id))

    def action_delete(self) -> None:
        record = self._highlighted()
        if record is not None:
            self._plan_delete(record.id)

    @worker(name="list-plan-delete", failed=StepFailed)
    def _plan_delete(self, record_id: int) -> DeletePlanned:
        return DeletePlanned(plan_delete(app_of(self).store, self.kind, record_id))

    def _ask_delete(self, plan: DeletePlan) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(plan)

        self.app.push_screen(
            ConfirmScreen(plan.title, plan.message, yes=plan.yes), callback=answered
        )

    @worker(name="list-delete", failed=StepFailed)
    def _delete(self, plan: DeletePlan) -> Deleted:
        carry_out(app_of(self).store, plan)
        return Deleted()
