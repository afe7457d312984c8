"""The dashboard: the first screen. Every number on it opens the list behind it.

The next visit (countdown, focus, evidence readiness, gaps in its pack), actions by BRAG,
deadlines, gaps, and what the store holds. The numbers load in a thread worker; the
screen stays usable while they do, and says so plainly if they cannot be loaded.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from store.records import Dashboard
from store.vocab import BRAG, BRAG_MEANING, GAP_KINDS, NEEDS_ACTION_KINDS, NEEDS_ACTION_STATUSES
from tui.first_numbers import MOST_OVERDUE
from tui.messages import ScreenReady
from tui.text import error_message, safe
from tui.typed_app import app_of
from tui.widgets.badges import (
    BRAG_STYLE,
    GAP_STYLE,
    brag_badge,
    gap_label,
)
from tui.widgets.dashboard_tiles import (
    ALARM,
    CAUTION,
    DashboardBody,
    OverdueRow,
    Tile,
    VisitCard,
    long_date,
)
from tui.widgets.focus_measures import FocusMeasures
from tui.widgets.key_footer import KeyFooter
from tui.workers import Failed, worker

# What each gap tile counts, and the list filters that show exactly those records.
GAP_TILES: dict[str, tuple[str, dict[str, Any]]] = {
    "no_action": (
        "finding",
        {
            "without_action": True,
            "status": NEEDS_ACTION_STATUSES,
            "kind": NEEDS_ACTION_KINDS,
            "ours": True,  # another council's finding is never a gap (store.gaps.NO_ACTION)
        },
    ),
    "no_evidence": ("action", {"without_evidence": True}),
    "stale": ("evidence", {"stale": True}),
    "missing": ("evidence", {"missing": True}),
}


class DashboardScreen(Screen[None]):
    """The first screen: the next visit and the numbers that matter before it."""

    CSS_PATH = "dashboard.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "down,j", "move(1)", "Next", show=False, id="dashboard.next", tooltip="Next number"
        ),
        Binding(
            "up,k",
            "move(-1)",
            "Previous",
            show=False,
            id="dashboard.previous",
            tooltip="Previous number",
        ),
        Binding(
            "right,l",
            "across(1)",
            "Right",
            show=False,
            id="dashboard.right",
            tooltip="The column on the right",
        ),
        Binding(
            "left,h",
            "across(-1)",
            "Left",
            show=False,
            id="dashboard.left",
            tooltip="The column on the left",
        ),
        Binding("p", "pack", "Pack", id="dashboard.pack", tooltip="Open the next visit's pack"),
        Binding(
            "x",
            "export",
            "Export",
            id="dashboard.export",
            tooltip="Write the next visit's checklist (Markdown)",
        ),
        Binding("r", "reload", "Reload", id="dashboard.reload", tooltip="Count everything again"),
        # The app's i, in the footer while the store is empty: the first thing to do.
        Binding(
            "i",
            "import_files",
            "Import",
            id="dashboard.import",
            tooltip="Import reports, a plan, a scorecard or an evidence folder",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: Dashboard | None = None
        self._reported_ready = False
        self._loading = False
        self._again = False

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(Text("visitprep", style="bold"), id="dash-header")
        with DashboardBody(id="dash-body"):
            yield Static("", id="dash-status")
            yield VisitCard()
            with Horizontal(id="dash-columns"):
                with Vertical(classes="dash-column", id="dash-left"):
                    yield Static("Actions by BRAG", classes="dash-heading")
                    for brag in reversed(BRAG):  # worst first: red, amber, green, blue
                        yield Tile(
                            brag_badge(brag),
                            ("list", "action", {"brag": brag}),
                            style=BRAG_STYLE[brag][2],
                            id=f"tile-brag-{brag}",
                        )
                    yield Static("Deadlines", classes="dash-heading")
                    yield Tile(
                        Text("Overdue", style=ALARM),
                        ("list", "action", {"overdue": True}),
                        style=ALARM,
                        alarm=True,
                        id="tile-overdue",
                    )
                    yield Tile(
                        Text("Due in 14 days"),
                        ("list", "action", {"due_within": 14}),
                        style=CAUTION,
                        id="tile-due-soon",
                    )
                with Vertical(classes="dash-column", id="dash-right"):
                    yield Static("Gaps", classes="dash-heading")
                    for kind, (record_kind, filters) in GAP_TILES.items():
                        yield Tile(
                            gap_label(kind),
                            ("list", record_kind, filters),
                            style=GAP_STYLE,
                            alarm=True,
                            id=f"tile-gap-{kind}",
                        )
                    yield Static("In the store", classes="dash-heading")
                    for kind, label, filters in (
                        ("finding", "Findings", {"ours": True}),
                        ("action", "Actions", {}),
                        ("evidence", "Evidence", {}),
                    ):
                        yield Tile(
                            Text(label),
                            ("list", kind, filters),
                            with_bar=False,
                            id=f"tile-total-{kind}",
                        )
                    # Shown only when there are some: imported to search and learn from.
                    others = Tile(
                        Text("Other councils'"),
                        ("list", "finding", {"ours": False}),
                        with_bar=False,
                        note="findings (for search)",
                        id="tile-total-other",
                    )
                    others.display = False
                    yield others
            # Below the numbers, which must all fit 80x24 (issue 16).
            yield FocusMeasures(id="dash-measures")
            yield Static("Most overdue", classes="dash-heading", id="most-overdue-heading")
            for index in range(MOST_OVERDUE):
                yield OverdueRow(index)
            yield Static("", id="first-run")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._header()
        self.query_one(VisitCard).focus()
        self.load()

    def _header(self) -> None:
        store = app_of(self).store
        path = store.path
        name = path.name if path is not None else store.url.split("://", 1)[0] + " database"
        header = Text()
        header.append("visitprep", style="bold")
        header.append("  ·  ")
        header.append(safe(name))
        header.append("  ·  ")
        if store.today_is_demo:
            # A demo is one week's snapshot, judged as at its own date: say so.
            header.append(f"Demo: as at {long_date(store.today)}", style="bold reverse")
        else:
            header.append(f"Today {long_date(store.today)}", style="bold")
        self.query_one("#dash-header", Static).update(header)

    # ------------------------------------------------------------------ loading

    def load(self) -> None:
        """Count everything again, off the UI thread.

        Writes can come faster than counting (an import, a burst of ticks): while one count
        runs, further requests fold into a single recount when it ends.
        """
        if self._loading:
            self._again = True
            return
        self._loading = True
        self._load()

    class Counted(Message):
        """The dashboard's numbers."""

        def __init__(self, numbers: Dashboard) -> None:
            super().__init__()
            self.numbers = numbers

    class CountFailed(Failed):
        """The numbers could not be counted."""

    class PackCounted(Message):
        """The next visit's pack: its gaps, and the evidence ready of the evidence needed."""

        def __init__(self, visit_id: int, gaps: int, ready: int, needed: int) -> None:
            super().__init__()
            self.visit_id = visit_id
            self.gaps = gaps
            self.ready = ready
            self.needed = needed

    class PackCountFailed(Failed):
        """The next pack's gaps could not be counted."""

    class FilesCounted(Message):
        """How many evidence items' files are missing."""

        def __init__(self, count: int) -> None:
            super().__init__()
            self.count = count

    class FilesCountFailed(Failed):
        """The evidence files could not be looked for."""

    @worker(group="dashboard", name="dashboard", failed=CountFailed)
    def _load(self) -> Counted:
        from tui import first_numbers

        # The first time, the read `visitprep` started before the app loaded, if any.
        early = app_of(self).take_first_numbers()
        if early is not None:
            return self.Counted(early.result())
        return self.Counted(first_numbers.read(app_of(self).store))

    @worker(group="dashboard-pack", name="pack", failed=PackCountFailed)
    def _count_pack_gaps(self, visit_id: int) -> PackCounted:
        from store import pack_readiness

        return self.PackCounted(visit_id, *pack_readiness(app_of(self).store, visit_id))

    @worker(group="dashboard-files", name="files", failed=FilesCountFailed)
    def _count_missing_files(self) -> FilesCounted:
        from store.gaps import count_missing_evidence

        return self.FilesCounted(count_missing_evidence(app_of(self).store))

    @on(Counted)
    @on(CountFailed)
    def _counted(self, message: Counted | CountFailed) -> None:
        self._loading = False
        if self._again:
            self._again = False
            self.load()
        if isinstance(message, self.Counted):
            self.show(message.numbers)
        else:
            status = Text.assemble(("Could not load the numbers. ", ALARM), "Press r to try again.")
            self.query_one("#dash-status", Static).update(status)
            app_of(self).show_error(error_message(message.error, "counting the dashboard"))

    @on(PackCounted)
    def _pack_counted(self, message: PackCounted) -> None:
        card = self.query_one(VisitCard)
        if card.visit is not None and card.visit.id == message.visit_id:
            card.gaps, card.ready, card.needed = message.gaps, message.ready, message.needed
            card.refresh(layout=True)

    @on(PackCountFailed)
    def _pack_count_failed(self, message: PackCountFailed) -> None:
        message_text = error_message(message.error, "counting the gaps in the next pack")
        app_of(self).show_error(message_text)

    @on(FilesCounted)
    def _files_counted(self, message: FilesCounted) -> None:
        count = message.count
        whole = self.query_one("#tile-gap-missing", Tile).whole
        self._set("tile-gap-missing", count, whole, f"{GAP_KINDS['missing']}: {count}.")

    @on(FilesCountFailed)
    def _files_count_failed(self, message: FilesCountFailed) -> None:
        app_of(self).show_error(error_message(message.error, "looking for the evidence files"))

    def show(self, numbers: Dashboard) -> None:
        """Put the loaded numbers on screen."""
        self.data = numbers
        self.refresh_bindings()
        self.query_one("#dash-status", Static).update("")
        empty = not (
            numbers.finding_count
            or numbers.other_finding_count
            or numbers.action_count
            or numbers.evidence_count
        )
        self.set_class(empty and numbers.next_visit is None, "-empty")
        self.refresh_bindings()  # i shows in the footer on an empty store only
        self.query_one(FocusMeasures).load()
        card = self.query_one(VisitCard)
        visit = numbers.next_visit
        same_visit = card.visit is not None and visit is not None and card.visit.id == visit.id
        # Keep the last count on screen while it is counted again (no flicker on each write).
        card.show(
            visit,
            card.ready if same_visit else None,
            card.needed if same_visit else None,
            card.gaps if same_visit else None,
        )
        if visit is not None:
            # After this frame is drawn: the pack loads the rest of the store (SQLAlchemy
            # and all) in its thread, which must not hold up the numbers reaching the screen.
            self.call_after_refresh(self._count_pack_gaps, visit.id)
        actions = numbers.action_count
        for brag in BRAG:
            count = numbers.brag_counts.get(brag, 0)
            self._set(
                f"tile-brag-{brag}",
                count,
                actions,
                f"{count} of {actions} actions are {brag} ({BRAG_MEANING[brag]}).",
            )
        self._set(
            "tile-overdue",
            numbers.overdue,
            actions,
            f"{numbers.overdue} actions are past their due date and not complete.",
        )
        self._set(
            "tile-due-soon",
            numbers.due_soon,
            actions,
            f"{numbers.due_soon} actions fall due in the next {numbers.due_soon_days} days.",
        )
        wholes = {
            "no_action": numbers.finding_count,
            "no_evidence": actions,
            "stale": numbers.evidence_count,
            "missing": numbers.evidence_count,
        }
        for kind in GAP_TILES:
            if kind == "missing":
                # Counted next, file by file on disk (thousands of paths, maybe a network
                # drive); the last count (or "…") stays on screen until then.
                self.query_one("#tile-gap-missing", Tile).whole = wholes[kind]
                self.call_after_refresh(self._count_missing_files)
                continue
            count = numbers.gap_counts.get(kind, 0)
            self._set(f"tile-gap-{kind}", count, wholes[kind], f"{GAP_KINDS[kind]}: {count}.")
        self._set("tile-total-finding", numbers.finding_count, 0, "This council's own findings.")
        others = numbers.other_finding_count
        self.query_one("#tile-total-other", Tile).display = others > 0
        self._set(
            "tile-total-other",
            others,
            0,
            f"{others} findings from other councils' reports, kept to search and learn from: "
            "never in a pack, the gaps or the numbers above.",
        )
        self._set("tile-total-action", actions, 0)
        self._set("tile-total-evidence", numbers.evidence_count, 0)
        due = self.query_one("#tile-due-soon", Tile)
        due.label = Text(f"Due in {numbers.due_soon_days} days")
        due.target = ("list", "action", {"due_within": numbers.due_soon_days})
        self.set_class(bool(numbers.most_overdue), "-late")
        for index, row in enumerate(self.query(OverdueRow)):
            row.show(
                numbers.most_overdue[index] if index < len(numbers.most_overdue) else None,
                numbers.today,
            )
        if self.has_class("-empty"):
            self.query_one("#first-run", Static).update(self._first_run_text())
        if not self._reported_ready:
            self._reported_ready = True
            self.app.post_message(ScreenReady("dashboard"))

    def _set(self, tile_id: str, count: int, whole: int, says: str = "") -> None:
        tile = self.query_one(f"#{tile_id}", Tile)
        tile.whole = whole
        tile.count = count
        if says:
            tile.tooltip = f"{says} Enter (or a click) lists them."

    def _first_run_text(self) -> Text:
        store = app_of(self).store
        db = f" --db {store.path}" if store.path is not None else ""
        text = Text()
        text.append("Welcome to visitprep\n\n", style="bold")
        text.append("This store is empty. To get your data in, from a terminal:\n\n")
        rows = (
            (f"visitprep{db} demo --force", "a demo store built from real Ofsted reports"),
            (f"visitprep{db} import report.pdf", "findings from an Ofsted report (PDF or text)"),
            (f"visitprep{db} import plan.xlsx", "actions from your improvement plan (XLSX/CSV)"),
            (f"visitprep{db} import --evidence FOLDER", "your evidence documents"),
        )
        for command, what in rows:
            text.append(f"  {safe(command)}\n", style="bold")
            text.append(f"      {what}\n", style="dim")
        from tui.commands_palette import import_available

        text.append("\nOr here: ")
        if import_available():
            text.append("press ")
            text.append("i", style="bold")
            text.append(" to bring in files, or ")
        text.append("press ctrl+p and choose ")
        text.append("New finding", style="bold")
        text.append(" to type one in. Press ? for the keys.")
        return text

    # ------------------------------------------------------------------ news

    def on_store_changed(self, _message: object) -> None:
        self.load()

    def action_import_files(self) -> None:
        app_of(self).action_import()

    # ------------------------------------------------------------------ keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "import_files":
            return self.has_class("-empty")  # otherwise the app's own (unshown) i
        if action in {"pack", "export"}:
            # Hidden until there is a visit to open; the card says how to add one.
            return self.data is None or self.data.next_visit is not None
        return True

    def action_move(self, step: int) -> None:
        tiles = [tile for tile in self.query(Tile) if tile.display]
        if not tiles:
            return
        focused = self.focused
        if focused not in tiles:
            tiles[0 if step > 0 else -1].focus()
            return
        tiles[(tiles.index(focused) + step) % len(tiles)].focus()

    def action_across(self, step: int) -> None:
        focused = self.focused
        columns = [
            [tile for tile in self.query_one(f"#{name}").query(Tile) if tile.display]
            for name in ("dash-left", "dash-right")
        ]
        for side, column in enumerate(columns):
            if focused in column:
                other = columns[(side + step) % 2]
                other[min(column.index(focused), len(other) - 1)].focus()
                return
        if columns[0]:
            columns[0][0].focus()

    @on(Tile.Chosen)
    def _chosen(self, message: Tile.Chosen) -> None:
        message.stop()
        target = message.tile.target
        app: Any = self.app
        if target[0] == "list":
            _, kind, filters = target
            app.open_list(kind, **filters)
        elif target[0] == "record":
            app.open_record(target[1], target[2])
        elif target[0] == "visit":
            app.open_record("visit", target[1])
        elif target[0] == "new":
            app.new_record(target[1])

    def action_pack(self) -> None:
        app_of(self).action_next_pack()

    def action_export(self) -> None:
        app_of(self).action_export_next()

    def action_reload(self) -> None:
        self.load()
