"""One record with every link, both ways: a finding, an action, an evidence item, a source.

A finding shows its source and judgement area, the finding it follows up (and the later
ones that follow it up), its actions with BRAG, owner and due date, and its evidence. An
action shows the findings it answers, its evidence and its dated update history, newest
first. An evidence item shows what it supports and whether its file is still there. A
source shows its judgements and its findings.

Linked records are small :class:`RecordTable` windows: ``tab`` moves between them,
``enter`` follows a link, ``escape`` goes back along the path you came. ``l`` links
records of the kind in the focused table (or the usual kind), ``u`` adds an update to an
action, ``e`` edits, ``d`` deletes after asking. The view reloads whenever the store
changes, so a link made in the picker shows at once.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from store.errors import NotFound
from tui.messages import ScreenReady
from tui.presenters.detail import (
    KINDS,
    LOADERS,
    SECTION_ROWS,
    Detail,
    detail_shape,
    fields_table,
)
from tui.screens.confirm import (
    ConfirmScreen,
    Deleted,
    DeletePlan,
    DeletePlanned,
    carry_out,
    plan_delete,
)
from tui.screens.lists import LINK_TARGETS
from tui.text import safe
from tui.typed_app import app_of
from tui.widgets.key_footer import KeyFooter
from tui.widgets.record_table import (
    RecordTable,
    listing,
)
from tui.workers import Failed, worker

# What ``n`` adds from a detail, linked to the record shown (first: when no table has focus).
NEW_LINKED: dict[str, tuple[str, ...]] = {
    "finding": ("action", "evidence"),
    "action": ("evidence",),
}


class LinkList(OptionList):
    """Single links (a source, the finding followed up): enter follows one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="detail.links.down", tooltip="Next"),
        Binding("k", "cursor_up", "Up", show=False, id="detail.links.up", tooltip="Previous"),
    ]


class DetailScreen(Screen[None]):
    """One record and everything linked to it."""

    CSS_PATH = "detail.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New", id="detail.new",
                tooltip="A new record linked to this one (an action for a finding, "
                "evidence for an action; the focused table's kind first)"),
        Binding("l", "link(0)", "Link", id="detail.link",
                tooltip="Link records of the focused table's kind (or the usual kind)"),
        Binding("L", "link(1)", "Link other", show=False, id="detail.link_other",
                tooltip="Link records of the other kind"),
        Binding("o", "open_location", "Open file", id="detail.open",
                tooltip="Open the evidence's file or link with the system's own app"),
        Binding("c", "copy_location", "Copy location", show=False, id="detail.copy",
                tooltip="Copy the evidence's file path or link (to paste, or open elsewhere)"),
        Binding("u", "update", "Update", id="detail.update",
                tooltip="Add a dated update (BRAG, note) to this action"),
        Binding("a", "adopt", "Adopt", id="detail.adopt",
                tooltip="Adopt the safeguarding board's recommendation as the council's own "
                "(it then counts in the gaps), or let it go back"),
        Binding("e", "edit", "Edit", id="detail.edit", tooltip="Edit this record"),
        Binding("h", "history", "History", show=False, id="detail.history",
                tooltip="Every change to this record: who, when, what (old → new)"),
        Binding("d", "delete", "Delete", id="detail.delete", tooltip="Delete (asks first)"),
        Binding("delete", "delete", "Delete", show=False, id="detail.delete_key",
                tooltip="Delete (asks first)"),
    ]  # fmt: skip

    def __init__(self, kind: str, record_id: int) -> None:
        if kind not in KINDS:
            raise ValueError(f"no view of {kind!r}; one of {', '.join(KINDS)}")
        super().__init__()
        self.kind = kind
        self.record_id = int(record_id)
        self.detail: Detail | None = None
        self._built: tuple[Any, ...] | None = None
        self._gone = False
        self._left = False

    def compose(self) -> ComposeResult:
        yield Static(Text("Loading…"), id="detail-heading")
        with VerticalScroll(id="detail-body"):
            yield Static("", id="detail-fields")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._load()

    @property
    def record(self) -> Any:
        return self.detail.record if self.detail else None

    # ------------------------------------------------------------------ loading

    class Loaded(Message):
        """What the record's page shows."""

        def __init__(self, detail: Detail) -> None:
            super().__init__()
            self.detail = detail

    class LoadFailed(Failed):
        """The record could not be read (``NotFound``: it was deleted)."""

    class DeleteFailed(Failed):
        """Planning or carrying out the delete failed."""

    @worker(name="detail-load", failed=LoadFailed)
    def _load(self) -> Loaded:
        return self.Loaded(LOADERS[self.kind](app_of(self).store, self.record_id))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self._show(message.detail)

    @on(DeletePlanned)
    def _delete_planned(self, message: DeletePlanned) -> None:
        self._ask_delete(message.plan)

    @on(Deleted)
    def _deleted(self, _message: Deleted) -> None:
        self.notify("Deleted.")
        self._leave()

    @on(LoadFailed)
    @on(DeleteFailed)
    def _failed(self, failure: Failed) -> None:
        loading = isinstance(failure, self.LoadFailed)
        if loading and isinstance(failure.error, NotFound):
            self._record_gone()
            return
        if loading and self.detail is None:
            self.query_one("#detail-heading", Static).update(
                Text(f"Could not open this {listing(self.kind).noun}.", style="bold")
            )
        app_of(self).show_error(str(failure.error))

    def _record_gone(self) -> None:
        """The record was deleted (here or elsewhere): say so and go back."""
        noun = listing(self.kind).noun
        self.query_one("#detail-heading", Static).update(
            Text(f"This {noun} no longer exists.", style="bold")
        )
        if not self._gone:
            self.notify(f"That {noun} no longer exists.")
        self._leave()

    def _leave(self) -> None:
        self._gone = True
        if self.is_current and not self._left:
            self._left = True
            self.dismiss(None)

    def on_screen_resume(self) -> None:
        # Deleted while another screen was in front: nothing to come back to.
        if self._gone:
            self._leave()

    def _show(self, detail: Detail) -> None:
        self.detail = detail
        self.query_one("#detail-heading", Static).update(detail.heading)
        self.query_one("#detail-fields", Static).update(fields_table(detail.fields))
        if self._built is None:
            self._build(detail)
            self.app.post_message(ScreenReady(f"detail:{self.kind}"))
        elif self._built != detail_shape(detail):
            # A link list or section came or went (a first later finding): lay out again.
            self.call_later(self._rebuild, detail)
        else:
            self._update(detail)

    async def _rebuild(self, detail: Detail) -> None:
        await self.query(".detail-part").remove()
        self._build(detail)

    def _build(self, detail: Detail) -> None:
        self._built = detail_shape(detail)
        body = self.query_one("#detail-body", VerticalScroll)
        widgets: list[Any] = []
        if detail.links:
            widgets.append(Static(Text("Comes from"), classes="detail-section"))
            widgets.append(
                LinkList(*(Option(link.label) for link in detail.links), id="detail-links")
            )
        for index, section in enumerate(detail.sections):
            widgets.append(
                Static(Text(section.heading), id=f"heading-{section.key}", classes="detail-section")
            )
            # The page opens with the focus on its first list: its "Comes from", else here.
            first = index == 0 and not detail.links
            table = RecordTable(
                section.kind,
                filters=section.filters,
                empty_text=f"None yet: {self._link_hint(section.kind, focused_first=first)}",
                id=f"section-{section.key}",
            )
            table.styles.height = min(section.rows, 1) + 1
            widgets.append(table)
        if detail.history is not None:
            widgets.append(
                Static(Text(detail.history_heading), id="heading-history", classes="detail-section")
            )
            widgets.append(Static(detail.history, id="detail-history"))
        for widget in widgets:
            widget.add_class("detail-part")
        body.mount_all(widgets)
        for table in self.query(RecordTable):
            table.reload(keep_rows=False)
        # The linked records are what a lead came for; "comes from" is a tab away. The page
        # stays at its top: scrolled to the table, it was scrolled or not by whether the
        # table's rows (and so its height) landed before the scroll did.
        focusable: list[Widget] = [w for w in widgets if isinstance(w, RecordTable)]
        focusable += [w for w in widgets if isinstance(w, LinkList)]
        if focusable:
            focusable[0].focus(scroll_visible=False)

    def _update(self, detail: Detail) -> None:
        for section in detail.sections:
            for heading in self.query(f"#heading-{section.key}"):
                if isinstance(heading, Static):
                    heading.update(Text(section.heading))
            for table in self.query(f"#section-{section.key}"):
                if not isinstance(table, RecordTable):
                    continue
                if table.filters != section.filters:
                    table.filters = dict(section.filters)
                table.reload()
        for links in self.query("#detail-links"):
            if isinstance(links, LinkList):
                highlighted = links.highlighted
                links.set_options(Option(link.label) for link in detail.links)
                if highlighted is not None and detail.links:
                    links.highlighted = min(highlighted, len(detail.links) - 1)
        if detail.history is not None:
            self.query_one("#heading-history", Static).update(Text(detail.history_heading))
            self.query_one("#detail-history", Static).update(detail.history)

    def _link_hint(self, kind: str, *, focused_first: bool) -> str:
        """What an empty table says. n and l act on the focused table, so a table that does
        not have the focus when the page opens says to tab to it first."""
        if kind not in LINK_TARGETS.get(self.kind, ()):
            return "nothing linked."
        first = "" if focused_first else "tab here, then "
        if kind in NEW_LINKED.get(self.kind, ()):
            some = "one" if kind == "action" else "some"
            return f"{first}n adds a new {listing(kind).noun} or l links {some} already stored."
        return f"{first}l links {listing(kind).plural.lower()}."

    @on(RecordTable.Loaded)
    def _table_loaded(self, event: RecordTable.Loaded) -> None:
        # A linked table is as tall as its rows (up to its section's limit), never taller.
        sections = self.detail.sections if self.detail else []
        section = next((s for s in sections if f"section-{s.key}" == event.table.id), None)
        rows = section.rows if section else SECTION_ROWS
        event.table.styles.height = min(max(event.total, 1), rows) + 1
        self.refresh_bindings()  # u and the like depend on the focused table's rows

    @on(RecordTable.Highlighted)
    def _highlight_moved(self, _event: RecordTable.Highlighted) -> None:
        # Keys that act on the highlighted row (u on an action) come and go with it.
        self.refresh_bindings()

    def on_store_changed(self, _message: object) -> None:
        """Something was written: read the record and its links again."""
        if not self._gone:
            self._load()

    # ------------------------------------------------------------------ following links

    @on(RecordTable.Opened)
    def _opened(self, event: RecordTable.Opened) -> None:
        event.stop()
        app_of(self).open_record(event.kind, event.record_id)

    @on(OptionList.OptionSelected, "#detail-links")
    def _link_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.detail and 0 <= event.option_index < len(self.detail.links):
            link = self.detail.links[event.option_index]
            app_of(self).open_record(link.kind, link.record_id)

    # ------------------------------------------------------------------ acting

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Another council's finding is read, not answered: no actions or evidence of ours.
        ours = getattr(self.record, "ours", True)
        if action == "link":
            return self.kind in LINK_TARGETS and ours
        if action == "update":
            return self.kind == "action" or self._focused_action() is not None
        if action == "new":
            return self.detail is not None and self.kind in NEW_LINKED and ours
        if action in ("edit", "delete"):
            return self.detail is not None
        if action in ("open_location", "copy_location"):
            return self.kind == "evidence" and bool(getattr(self.record, "location", ""))
        if action == "adopt":
            record = self.record
            return self.kind == "finding" and getattr(record, "role", "") == "board" and ours
        return True

    def _focused_table(self) -> RecordTable | None:
        focused = self.focused
        return focused if isinstance(focused, RecordTable) else None

    def _focused_action(self) -> Any:
        table = self._focused_table()
        if table is not None and table.kind == "action":
            return table.record
        return None

    def _new_kind(self) -> str | None:
        """What n adds: the focused table's kind, else the usual kind."""
        kinds = NEW_LINKED.get(self.kind)
        if not kinds:
            return None
        table = self._focused_table()
        return table.kind if table is not None and table.kind in kinds else kinds[0]

    def _link_target(self, which: int) -> str | None:
        """What l (``which`` 0) or L (1) links: the focused table's kind or the other one,
        else the usual kind or the other one."""
        targets = LINK_TARGETS.get(self.kind)
        if not targets:
            return None
        table = self._focused_table()
        if table is not None and table.kind in targets:
            return table.kind if which == 0 else targets[1 - targets.index(table.kind)]
        return targets[which]

    def key_description(self, action: str) -> str | None:
        """The footer's label for ``action`` as the focus stands: "Link evidence" while the
        evidence table has the focus, "Link findings" on the findings table."""
        if action in ("link(0)", "link(1)"):
            target = self._link_target(int(action[5]))
            return f"Link {listing(target).plural.lower()}" if target else None
        if action == "adopt":
            return "Let go" if getattr(self.record, "adopted", False) else None
        if action == "new":
            kind = self._new_kind()
            # Short: at 80 columns every column of the footer counts.
            return (
                f"New {'evidence' if kind == 'evidence' else listing(kind).noun}" if kind else None
            )
        return None

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()  # the footer names what l and n do for the focused table

    def action_new(self) -> None:
        """A new record linked to this one: the focused table's kind, else the usual kind."""
        from tui.screens.record_form import RecordForm

        kind = self._new_kind()
        record = self.record
        if kind is None or record is None:
            return
        defaults: dict[str, Any] = {f"{self.kind}_ids": [self.record_id]}
        if kind == "action" and getattr(record, "theme", None):
            defaults["theme"] = record.theme
        what = safe(f"{getattr(record, 'ref', '')} {record.title}".strip())
        noun = listing(kind).noun

        def saved(record_id: int | None) -> None:
            if record_id is not None:
                self.notify(f"New {noun} added to {what}.", markup=False)
                self._load()

        form = RecordForm(kind, defaults=defaults, heading=f"New {noun} for {what}")
        self.app.push_screen(form, saved)

    def action_adopt(self) -> None:
        """a: adopt the board's recommendation as the council's own, or let it go back."""
        record = self.record
        if getattr(record, "role", "") == "board":
            self._adopt(record.id, not record.adopted)

    @worker(name="detail-adopt")  # a failure is said by the app (WorkFailed)
    def _adopt(self, finding_id: int, adopted: bool) -> None:
        import store as api

        updated = api.adopt_finding(app_of(self).store, finding_id, adopted)
        self.app.call_from_thread(
            self.notify,
            f"{updated.ref} adopted: it now counts in the council's gaps."
            if updated.adopted
            else f"{updated.ref} is the board's again: not in the council's gaps.",
        )

    def action_open_location(self) -> None:
        """o: the file or link, in the system's own app (or why it cannot be, and c)."""
        from tui.opening import open_and_say

        open_and_say(self, getattr(self.record, "location", ""))

    def action_copy_location(self) -> None:
        """c: the location to the clipboard, through the terminal (OSC 52)."""
        location = getattr(self.record, "location", "")
        self.app.copy_to_clipboard(location)
        self.notify(
            f"Copied {location} (if your terminal lets apps copy; otherwise select it here).",
            title="Location copied",
            markup=False,
        )

    def action_edit(self) -> None:
        from tui.screens.record_form import RecordForm

        if self.detail is not None:
            self.app.push_screen(RecordForm(self.kind, self.record_id))

    def action_history(self) -> None:
        from tui.screens.history import HistoryScreen

        record = self.record
        if record is not None:
            title = " ".join(str(p) for p in (getattr(record, "ref", ""), record.title) if p)
            self.app.push_screen(HistoryScreen(self.kind, self.record_id, title))

    def action_link(self, which: int) -> None:
        from tui.screens.link_picker import LinkPicker

        target = self._link_target(which)
        if target is not None:
            self.app.push_screen(LinkPicker(self.kind, self.record_id, target))

    def action_update(self) -> None:
        from tui.screens.update_form import ActionUpdateForm

        if self.kind == "action":
            self.app.push_screen(ActionUpdateForm(self.record_id))
            return
        action = self._focused_action()
        if action is not None:
            self.app.push_screen(ActionUpdateForm(action.id))

    def action_delete(self) -> None:
        if self.detail is not None:
            self._plan_delete()

    @worker(name="detail-plan-delete", failed=DeleteFailed)
    def _plan_delete(self) -> DeletePlanned:
        return DeletePlanned(plan_delete(app_of(self).store, self.kind, self.record_id))

    def _ask_delete(self, plan: DeletePlan) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(plan)

        self.app.push_screen(ConfirmScreen(plan.title, plan.message, yes=plan.yes), answered)

    @worker(name="detail-delete", failed=DeleteFailed)
    def _delete(self, plan: DeletePlan) -> Deleted:
        carry_out(app_of(self).store, plan)
        return Deleted()
