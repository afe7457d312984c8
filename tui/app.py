"""The visitprep terminal app: the shell every screen lives in.

It owns the screen stack (the dashboard at the bottom, never popped), the global keys,
the command palette, the remembered theme and settings, and opens the screens. What it does
behind them (the open store, others' writes reaching the screens as ``StoreChanged``, the
warm-up, failures said with ``show_error``) is its base, :class:`tui.backstage.Backstage`.
"""

from __future__ import annotations

import logging
import sys
from concurrent.futures import Future
from pathlib import Path, PurePath
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen

from store import Store, stale_days
from store.files import os_reason
from store.records import Dashboard
from tui import config
from tui.backstage import Backstage, freeze_once
from tui.commands_palette import VisitPrepCommands
from tui.screens.dashboard import DashboardScreen
from tui.text import describe_age, error_message, safe
from tui.workers import worker

log = logging.getLogger(__name__)

RECORD_KINDS = ("finding", "action", "evidence", "source", "visit")
# The sections behind the number keys, in the order the keys go.
SECTIONS = {
    "dashboard": None,
    "findings": "finding",
    "actions": "action",
    "evidence": "evidence",
    "sources": "source",
    "visits": "visit",
    "measures": "measure",  # its own screen (tui/screens/measures.py), not a record list
}
LIST_NAMES = {
    "finding": "findings",
    "action": "actions",
    "evidence": "evidence",
    "source": "sources",
    "visit": "visits",
}
UI_SWITCH_INTERVAL = 0.001  # seconds; Python's default is 0.005
# Screens where a stray key must not navigate away from unsaved typing.
FORM_SCREENS = {"RecordForm", "ActionUpdateForm"}
NAVIGATION = {"go", "search", "back", "quit", "import"}


class VisitPrepApp(Backstage):
    """Keyboard-first app for preparing an Ofsted visit: dashboard, lists, packs, search."""

    TITLE = "visitprep"
    # App-wide styles, and the dashboard's own: Textual loads a screen's CSS_PATH when it is
    # pushed, but not for the screen get_default_screen() makes (textual 8.2.8).
    CSS_PATH: ClassVar[list[str | PurePath]] = ["app.tcss", "screens/dashboard.tcss"]
    # One provider for everything, in our order (it offers Textual's theme picker too).
    COMMANDS: ClassVar[set[Any]] = {VisitPrepCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="app.help", tooltip="Keys of this screen"),
        Binding("f1", "help", "Help", show=False, id="app.help_f1", tooltip="Keys of this screen"),
        Binding(
            "slash", "search", "Search", id="app.search", tooltip="Search everything (typos ok)"
        ),
        Binding(
            "i",
            "import",
            "Import",
            show=False,  # the footer keeps to the screen's own keys; help and ctrl+p list it
            id="app.import",
            tooltip="Import reports, a plan, a scorecard or an evidence folder",
        ),
        Binding(
            "ctrl+p",
            "command_palette",
            "Commands",
            show=False,  # the footer shows the palette key on its own
            priority=True,
            id="app.palette",
            tooltip="Every screen and command, and records by name",
        ),
        Binding("escape", "back", "Back", show=False, id="app.back", tooltip="Previous screen"),
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Leave visitprep"),
        Binding(
            "1",
            "go('dashboard')",
            "Dashboard",
            show=False,
            id="app.go_dashboard",
            tooltip="Back to the first screen",
        ),
        Binding(
            "2",
            "go('findings')",
            "Findings",
            show=False,
            id="app.go_findings",
            tooltip="Every finding",
        ),
        Binding(
            "3", "go('actions')", "Actions", show=False, id="app.go_actions", tooltip="Every action"
        ),
        Binding(
            "4",
            "go('evidence')",
            "Evidence",
            show=False,
            id="app.go_evidence",
            tooltip="Every evidence item",
        ),
        Binding(
            "5",
            "go('sources')",
            "Sources",
            show=False,
            id="app.go_sources",
            tooltip="Reports and audits the findings come from",
        ),
        Binding(
            "6",
            "go('visits')",
            "Visits",
            show=False,
            id="app.go_visits",
            tooltip="Visits and their packs",
        ),
        Binding(
            "7",
            "go('measures')",
            "Measures",
            show=False,
            id="app.go_measures",
            tooltip="Performance measures against their targets",
        ),
    ]

    def __init__(
        self,
        store: Store,
        *,
        config_path: Path | None = None,
        start: str = "dashboard",
        first_numbers: Future[Dashboard] | None = None,
    ) -> None:
        """``first_numbers``: the dashboard's read, started before the app (tui.first_numbers)."""
        super().__init__(store)
        self._first_numbers = first_numbers
        freeze_once("start")  # the imports and the open store
        # Workers (the pack, the search index, the store loading behind the first screen)
        # compute in Python while the user moves the cursor. Each turn of the UI thread's
        # event loop waits for a worker to hand back the interpreter, by default after up
        # to 5 ms, and a cursor step takes several turns: 1 ms keeps the step quick.
        sys.setswitchinterval(UI_SWITCH_INTERVAL)
        self.config_path = config_path or config.default_config_path()
        self.start = start
        loaded = config.load_settings(self.config_path)
        self.settings: dict[str, Any] = loaded.settings
        self._config_problems = loaded.problems
        self._restoring_theme = False

    # ------------------------------------------------------------------ start and stop

    def get_default_screen(self) -> Screen[Any]:
        # The dashboard is the bottom of the stack: escape can never go past it.
        return DashboardScreen()

    def on_mount(self) -> None:
        self._restore_theme()
        self._apply_keymap()
        for problem in self._config_problems:
            self.notify(problem, title="Settings ignored", severity="warning", markup=False)
        self.start_backstage()
        if self.start == "search":
            self.action_search()
        elif self.start != "dashboard":
            self.action_go(self.start)

    def on_unmount(self) -> None:
        self.stop_backstage()

    def _restore_theme(self) -> None:
        name = self.settings.get("theme")
        if not name:
            return
        if name not in self.available_themes:  # its type is the settings model's to check
            self.notify(
                f"The remembered theme {safe(name)!r} is not available; using the default.",
                severity="warning",
                markup=False,
            )
            return
        self._restoring_theme = True
        try:
            self.theme = name
        finally:
            self._restoring_theme = False

    def _apply_keymap(self) -> None:
        """Keys the user moved, by binding id: ``"keymap": {"app.search": "ctrl+f"}`` (the
        settings model has checked its shape; :mod:`tui.settings_file`)."""
        keymap = self.settings.get("keymap")
        if keymap:
            self.set_keymap(keymap)

    def watch_theme(self, name: str) -> None:
        """Remember the chosen theme for next time."""
        if self._restoring_theme or self.settings.get("theme") == name:
            return
        self.settings["theme"] = name
        try:
            self.settings.update(config.save_settings(self.config_path, {"theme": name}))
        except OSError as error:
            self.show_error(f"Could not remember the theme: {os_reason(error)}.")

    # ------------------------------------------------------------------ what screens use

    def take_first_numbers(self) -> Future[Dashboard] | None:
        """The dashboard's numbers read ahead of the app, once; ``None`` after (read again)."""
        early, self._first_numbers = self._first_numbers, None
        return early

    def open_record(self, kind: str, record_id: int) -> None:
        """Show one record: a visit opens its pack, anything else its detail view."""
        if kind == "visit":
            from tui.screens.pack import PackScreen

            self._push(lambda: PackScreen(record_id), "the visit's pack")
            return
        if kind == "measure":
            from tui.screens.measure_detail import MeasureDetailScreen

            self._push(lambda: MeasureDetailScreen(record_id), "the measure")
            return
        if kind not in RECORD_KINDS:
            self.show_error(f"There is no view for a {safe(kind)!r} record.")
            return
        try:
            from tui.screens.detail import DetailScreen
        except ImportError as error:
            self._not_available(error, "tui.screens.detail", "Record details are")
            return
        self._push(lambda: DetailScreen(kind, record_id), f"the {kind}")

    def open_list(self, kind: str, /, **filters: Any) -> None:
        """Show the list of ``kind`` records narrowed by store filters (``brag="red"``, ...).

        ``kind`` is positional-only, so a filter on a finding's own kind can be passed too.
        """
        if kind not in RECORD_KINDS:
            self.show_error(f"There is no list of {safe(kind)!r} records.")
            return
        try:
            from tui.screens.lists import ListScreen
        except ImportError as error:
            self._not_available(error, "tui.screens.lists", f"The {LIST_NAMES[kind]} list is")
            return
        self._push(lambda: ListScreen(kind, filters), f"the {LIST_NAMES[kind]} list")

    def open_import(self) -> None:
        """The import screen, in versions that have one."""
        try:
            from tui.screens.importing import ImportScreen
        except ImportError as error:
            self._not_available(error, "tui.screens.importing", "Importing here is")
            return
        self._push(ImportScreen, "the import screen")

    def new_record(self, kind: str) -> None:
        """Open the form for a new ``kind`` record; once saved, show it."""
        from tui.screens.record_form import RecordForm

        def saved(record_id: int | None) -> None:
            if record_id is not None:
                self.open_record(kind, record_id)

        try:
            form = RecordForm(kind)
        except ValueError as error:
            self.show_error(str(error))
            return
        self.push_screen(form, saved)

    def _push(self, make: Any, what: str) -> None:
        try:
            screen = make()
        except Exception as error:  # a screen that cannot be built must not take the app down
            self.show_error(error_message(error, f"opening {what}"))
            return
        self.push_screen(screen)

    def _not_available(self, error: ImportError, module: str, what: str) -> None:
        if error.name == module:
            self.show_error(f"{what} not available yet in this version.")
        else:
            self.show_error(error_message(error, f"loading {module}"))

    # ------------------------------------------------------------------ keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        screen = self.screen
        editing = type(screen).__name__ in FORM_SCREENS or isinstance(screen, ModalScreen)
        if action in NAVIGATION and editing:
            return False
        if action == "back":
            return len(self.screen_stack) > 1
        return True

    async def action_quit(self) -> None:
        """Leave visitprep; first ask, when a screen holds work not yet saved (an import
        screen's preview): one stray q must not throw it away."""
        from tui.screens.confirm import leave_unsaved

        leave_unsaved(self, "Quit visitprep?", "Quit", self.exit)

    async def action_quit_anywhere(self) -> None:
        """ctrl+q in a form (where the app's quit keys are off, so that a stray q is
        typed, not obeyed): quit, asking Save / Discard / Keep editing first."""
        await self.action_quit()

    def action_help(self) -> None:
        """Show (or close) the keys of the screen in front."""
        from tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        self.push_screen(HelpScreen(self.screen))

    def action_import(self) -> None:
        """The import screen (once: from the import screen itself, i does nothing more)."""
        if type(self.screen).__name__ != "ImportScreen":
            self.open_import()

    def action_search(self) -> None:
        """Search everything; from the search screen, back to its box."""
        from tui.screens.search import SearchScreen

        if isinstance(self.screen, SearchScreen):
            self.screen.query_one("#search-box").focus()
            return
        self.push_screen(SearchScreen())

    # Textual's own action_back is a coroutine; run_action awaits it or not, as it is.
    def action_back(self) -> None:  # type: ignore[override]
        if len(self.screen_stack) > 1:
            self.pop_screen()

    def action_go(self, section: str) -> None:
        """Go to a main section: the dashboard, or a whole list on top of it."""
        if section not in SECTIONS:
            self.show_error(f"There is no {safe(section)!r} screen.")
            return
        kind = SECTIONS[section]
        if kind is not None and self._showing_list(kind):
            return

        def go() -> None:
            while len(self.screen_stack) > 1:
                self.pop_screen()
            if kind == "measure":
                self.open_measures()
            elif kind is not None:
                self.open_list(kind)

        from tui.screens.confirm import leave_unsaved

        leave_unsaved(self, f"Go to {section.title()}?", "Go", go)

    def open_measures(self, **filters: Any) -> None:
        """Show the Measures list (``off_target=True``, ``theme=...`` narrow it)."""
        from tui.screens.measures import MeasuresScreen

        self._push(lambda: MeasuresScreen(filters), "the measures")

    def _showing_list(self, kind: str) -> bool:
        screen = self.screen
        if kind == "measure":
            return type(screen).__name__ == "MeasuresScreen" and not getattr(screen, "filters", 1)
        return (
            type(screen).__name__ == "ListScreen"
            and getattr(screen, "kind", None) == kind
            and not getattr(screen, "filters", None)
        )

    def action_next_pack(self) -> None:
        """Open the next visit's pack (or say there is none)."""
        self._find_next_visit("pack")

    def action_export_next(self) -> None:
        """Write the next visit's checklist to a file chosen in a prompt."""
        self._find_next_visit("export")

    @worker(group="next-visit", name="next visit")
    def _find_next_visit(self, then: str) -> None:
        from store import next_visit

        visit = next_visit(self.store)
        self.call_from_thread(self._with_next_visit, visit, then)

    def _with_next_visit(self, visit: Any, then: str) -> None:
        if visit is None:
            self.notify("No visit is planned. Add one from the palette: New visit.")
            return
        if then == "pack":
            self.open_record("visit", visit.id)
        else:
            self.export_checklist(visit.id, visit.title)

    def choose_stale_age(self) -> None:
        """Ask how old evidence may be before it is out of date (the store's setting)."""
        self._stale_age_asked()

    @worker(group="settings", name="settings")
    def _stale_age_asked(self) -> None:
        days = stale_days(self.store)  # read once, off the UI thread
        self.call_from_thread(self._ask_stale_age, days)

    def _ask_stale_age(self, days: int) -> None:
        from tui.screens.settings import StaleAgePrompt

        def chosen(saved: int | None) -> None:
            if saved is not None:
                self.notify(
                    f"Evidence with no review-by date is now out of date once older than "
                    f"{describe_age(saved)}.",
                    title="Evidence age",
                    markup=False,
                )

        self.push_screen(StaleAgePrompt(days), chosen)

    def export_checklist(self, visit_id: int, title: str) -> None:
        """Ask which format and where, write the visit's pack, and say where it went."""
        from tui.screens.export_prompt import export_prompt

        def written(path: str | None) -> None:
            if path:
                self.notify(f"Written to {safe(path)}", markup=False)

        self.push_screen(export_prompt(self, visit_id, title), written)
