"""The dashboard's tiles: a labelled count with a bar, the next visit's card, and the rows
of the most overdue actions. Each opens what it counts (enter or a click), through a
``Tile.Chosen`` message the dashboard screen acts on.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from store.dates import format_date
from store.overdue import is_complete
from store.records import Action, Visit
from store.wording import countdown, plural
from tui.text import safe
from tui.widgets.badges import GAP_STYLE, due_text, short_owner

LABEL_WIDTH = 16
COUNT_WIDTH = 5
MAX_BAR = 28
ALARM = "bold #e5534b"
CAUTION = "bold #d29922"
GOOD = "bold #2ea043"


def long_date(day: date) -> str:
    """``20 Jan 2018``: the date as people say it."""
    return f"{day.day} {day:%b %Y}"


def bar(part: int, whole: int, width: int, style: str) -> Text:
    """``part`` of ``whole`` as a bar ``width`` cells wide (filled ``█``, empty ``░``)."""
    width = max(0, width)
    filled = 0 if whole <= 0 else round(width * min(part, whole) / whole)
    if part > 0 and filled == 0 and width > 0:
        filled = 1  # a non-zero count never looks like nothing
    return Text.assemble(("█" * filled, style), ("░" * (width - filled), "dim"))


class Tile(Widget, can_focus=True):
    """A labelled count (with a bar) that opens its list on enter or click."""

    DEFAULT_CSS = """
    Tile { height: 1; padding: 0 1; }
    Tile:hover { background: $boost; }
    Tile:focus { background: $accent 35%; text-style: bold; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "choose",
            "Open",
            id="dashboard.open",
            tooltip="Open the list behind this number",
        ),
    ]

    count: reactive[int | None] = reactive(None)
    whole: reactive[int] = reactive(0)

    class Chosen(Message):
        """The user chose a tile (enter or click)."""

        def __init__(self, tile: Tile) -> None:
            super().__init__()
            self.tile = tile

    def __init__(
        self,
        label: Text,
        target: tuple[Any, ...],
        *,
        style: str = "bold",
        alarm: bool = False,
        with_bar: bool = True,
        note: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.label = label
        self.target = target  # ("list", kind, filters)
        self.bar_style = style
        self.alarm = alarm  # a non-zero count is bad news (gaps, overdue)
        self.with_bar = with_bar
        self.note = note  # said after the count, in place of a bar

    def render(self) -> RenderableType:
        line = Text(no_wrap=True, overflow="ellipsis")
        label = self.label.copy()
        label.truncate(LABEL_WIDTH, pad=True)
        line.append_text(label)
        if self.count is None:
            line.append(f"{'…':>{COUNT_WIDTH}}", style="dim")
            return line
        count_style = ALARM if self.alarm and self.count else "bold"
        line.append(f"{self.count:>{COUNT_WIDTH}}", style=count_style)
        if self.with_bar:
            room = self.content_size.width - LABEL_WIDTH - COUNT_WIDTH - 1
            line.append(" ")
            line.append_text(bar(self.count, self.whole, min(MAX_BAR, room), self.bar_style))
        elif self.note:
            line.append(f" {self.note}", style="dim")
        return line

    def action_choose(self) -> None:
        self.post_message(self.Chosen(self))

    def on_click(self) -> None:
        self.focus()
        self.post_message(self.Chosen(self))


class VisitCard(Tile):
    """The next visit: what, when, how ready. Opens its pack (or a form to add one)."""

    DEFAULT_CSS = """
    VisitCard { height: auto; padding: 0 1; border: round $primary; }
    VisitCard:focus { border: round $accent; background: $accent 15%; text-style: none; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "choose",
            "Open",
            id="dashboard.open_pack",
            tooltip="Open the next visit's pack",
        ),
    ]

    def __init__(self) -> None:
        super().__init__(Text("Next visit"), ("new", "visit"), id="next-visit")
        self.border_title = "Next visit"
        self.visit: Visit | None = None
        # Read from the pack after the rest: building a pack takes longest on a big store.
        self.ready: int | None = None
        self.needed: int | None = None
        self.gaps: int | None = None

    def show(
        self, visit: Visit | None, ready: int | None, needed: int | None, gaps: int | None
    ) -> None:
        self.visit, self.ready, self.needed, self.gaps = visit, ready, needed, gaps
        self.target = ("visit", visit.id) if visit else ("new", "visit")
        self.count = -1 if visit is None else visit.id  # any change re-renders
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        if self.count is None:
            return Text("Loading…", style="dim")
        if self.visit is None:
            return Text.assemble(
                ("No visit planned. ", "bold"),
                "Press enter to add one: its pack gathers the findings in its focus.",
            )
        head, when, body = self._parts(self.visit)
        # A grid, not padding by hand: its width is the one the layout gives it.
        top = Table.grid(expand=True)
        top.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        top.add_column(justify="right", no_wrap=True)
        top.add_row(head, when)
        return Group(top, body)

    def summary(self) -> str:
        """The card as plain text (what a screen reader or a test reads)."""
        rendered = self.render()
        if isinstance(rendered, Text):
            return rendered.plain
        head, when, body = self._parts(self.visit)  # type: ignore[arg-type]
        return f"{head.plain}  {when.plain}\n{body.plain}"

    def _parts(self, visit: Visit) -> tuple[Text, Text, Text]:
        head = Text(safe(visit.title), style="bold")
        when = Text(
            countdown(visit.days_to_go, since="started "),
            style=CAUTION if visit.days_to_go <= 7 else "bold",
        )
        dates = format_date(visit.start_date)
        if visit.end_date and visit.end_date != visit.start_date:
            dates += f" – {format_date(visit.end_date)}"
        body = Text(f"{dates} · {safe(visit.kind)} · ")
        body.append("Focus: ", style="dim")
        body.append(safe(", ".join(visit.focus_themes)) if visit.focus_themes else "none set")
        body.append("\nEvidence ready ", style="dim")
        if self.ready is None or self.needed is None:
            body.append("counting…", style="dim")
        else:
            body.append(f"{self.ready} / {self.needed}", style="bold")
            body.append("  ")
            body.append_text(bar(self.ready, self.needed, MAX_BAR, GOOD))
            if self.needed:
                body.append(f" {round(100 * self.ready / self.needed)}%")
        body.append("\n")
        if self.gaps is None:
            body.append("Counting the gaps in the pack…", style="dim")
        elif self.gaps:
            body.append(f"⚠ {plural(self.gaps, 'gap')} in the pack", GAP_STYLE)
        else:
            body.append("✓ No gaps in the pack", style=GOOD)
        body.append("   enter: open the pack · x: export the checklist", style="dim")
        return head, when, body


class OverdueRow(Tile):
    """One of the most overdue actions: ref, title, owner, how late. Opens the action."""

    DEFAULT_CSS = """
    OverdueRow { display: none; }
    OverdueRow.-shown { display: block; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Open", id="dashboard.open_action", tooltip="Open this action"),
    ]

    def __init__(self, index: int) -> None:
        super().__init__(Text(""), ("none",), id=f"overdue-{index}")
        self.action: Action | None = None
        self.today = date.min

    def show(self, action: Action | None, today: date) -> None:
        self.action = action
        self.target = ("record", "action", action.id) if action else ("none",)
        self.set_class(action is not None, "-shown")
        self.today = today
        self.refresh()

    def render(self) -> Text:
        action = self.action
        if action is None:
            return Text("")
        width = max(40, self.content_size.width)
        late = self._late(action)
        room_for_owner = 24 if width >= 90 else 14
        owner = Text(safe(short_owner(action.owner, room_for_owner)), style="dim")
        owner.truncate(room_for_owner, overflow="ellipsis", pad=True)
        ref = Text(safe(action.ref), style="bold")
        ref.truncate(7, overflow="ellipsis", pad=True)
        title = Text(safe(action.title))
        room = width - len(ref.plain) - len(owner.plain) - len(late.plain) - 5
        title.truncate(max(8, room), overflow="ellipsis", pad=True)
        line = Text(no_wrap=True, overflow="ellipsis")
        for part in (ref, title, owner):
            line.append_text(part)
            line.append("  " if part is not ref else " ")
        line.append_text(late)
        return line

    def _late(self, action: Action) -> Text:
        """``31 Jan 2018 ⚠ overdue 355d`` in two fixed columns: the dates line up down
        the rows whatever the number of days (right-aligned whole, one more digit moved
        every date along)."""
        late = due_text(action.due_date, self.today, done=is_complete(action.brag))
        shown = format_date(action.due_date) if action.due_date else ""
        if not shown or not late.plain.startswith(shown):
            late.align("right", LATE_WIDTH)
            return late
        date_part = late[: len(shown)]
        date_part.align("right", DUE_DATE_WIDTH)
        rest = late[len(shown) :]
        rest.align("left", LATE_WIDTH - DUE_DATE_WIDTH)
        return Text.assemble(date_part, rest)


# The overdue rows' due column: "31 Jan 2018" right-aligned, then " ⚠ overdue 1234d".
DUE_DATE_WIDTH = 11
LATE_WIDTH = 28


class DashboardBody(VerticalScroll, inherit_bindings=False, can_focus=False):
    """Scrolls when the terminal is short, but leaves the arrow keys to the tiles."""
