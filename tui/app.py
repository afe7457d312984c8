"""The visitprep terminal app: the shell every screen lives in.

It owns the open store, the screen stack (the dashboard at the bottom, never popped),
the global keys, the command palette, the remembered theme, and the two paths by which
news reaches screens: store writes (``StoreChanged``) and failures (``show_error``).
"""

from __future__ import annotations

import gc
import logging
import sys
import time
import weakref
from concurrent.futures import Future
from pathlib import Path, PurePath
from typing import Any, ClassVar

from textual import events, on
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import ModalScreen, Screen

from store import Change, Store, stale_days
from store.records import Dashboard
from tui import config
from tui.commands_palette import VisitPrepCommands
from tui.live import (
    POLL_SECONDS,
    READ_ONLY_MESSAGE,
    WRITE_ACTIONS,
    ChangeListener,
    Look,
    StoreWatcher,
)
from tui.messages import ChangesHeard, ScreenReady, StoreChanged
from tui.screens.dashboard import DashboardScreen
from tui.text import describe_age, error_message, safe
from tui.workers import Failed, WorkFailed, worker

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
WARM_AT_THE_LATEST = 5.0  # seconds after start, the search index loads even if no screen is ready
# Loading the search index keeps Python busy for a second or more on a big store; it waits
# for a pause in the typing, so that a list opened straight away is not slowed down by it.
WARM_WHEN_QUIET = 1.0
WARM_BUSY_RETRY = 0.2  # seconds between looks while other workers run
WARM_BUSY_LOOKS = 15  # looks before loading anyway (3 s)
# Screens where a stray key must not navigate away from unsaved typing.
FORM_SCREENS = {"RecordForm", "ActionUpdateForm"}
NAVIGATION = {"go", "search", "back", "quit", "import"}


_frozen_at: set[str] = set()


def _freeze_once(moment: str) -> None:
    """Take what is loaded so far out of the garbage collector's full passes (once per moment).

    A full collection walks every object and pauses every thread: 0.1-0.2 s at a time while
    a big store's pack is counted in the background, felt as a stuck cursor. The modules, the
    store and the first screen live until the app exits, so they are frozen and not walked
    again. Once per process, so that tests opening many apps do not keep each one.
    """
    if moment not in _frozen_at:
        _frozen_at.add(moment)
        gc.freeze()


class StoreWritten(Message):
    """Posted (thread-safely) by the store listener; handled on the UI thread."""

    def __init__(self, changes: list[Change]) -> None:
        super().__init__()
        self.changes = changes


class SearchWarmFailed(Failed):
    """Loading the search index failed: search still works, it is only slow to start."""


class VisitPrepApp(App[None]):
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
            tooltip="Import reports, a plan or an evidence folder",
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
        super().__init__()
        self._first_numbers = first_numbers
        _freeze_once("start")  # the imports and the open store
        # Workers (the pack, the search index, the store loading behind the first screen)
        # compute in Python while the user moves the cursor. Each turn of the UI thread's
        # event loop waits for a worker to hand back the interpreter, by default after up
        # to 5 ms, and a cursor step takes several turns: 1 ms keeps the step quick.
        sys.setswitchinterval(UI_SWITCH_INTERVAL)
        self.store = store
        self.config_path = config_path or config.default_config_path()
        self.start = start
        self.ready_times: dict[str, float] = {}
        self.errors: list[str] = []
        self._pending: weakref.WeakKeyDictionary[Screen[Any], list[Change]] = (
            weakref.WeakKeyDictionary()
        )
        loaded = config.load_settings(self.config_path)
        self.settings: dict[str, Any] = loaded.settings
        self._config_problems = loaded.problems
        self._restoring_theme = False
        self._warm_started = False
        self._store_layer_asked = False
        self._warm_waiting = False
        self._warm_busy_looks = 0
        self._last_input = time.monotonic()
        # Other people's writes (and other programs'): looked for every POLL_SECONDS.
        self.watcher = StoreWatcher(store, self._store_looked_at)
        # ... and on PostgreSQL heard as they commit, for a look at once (posted from the
        # listener's thread).
        self.listener = ChangeListener(store, self._heard)

    # ------------------------------------------------------------------ start and stop

    def get_default_screen(self) -> Screen[Any]:
        # The dashboard is the bottom of the stack: escape can never go past it.
        return DashboardScreen()

    def on_mount(self) -> None:
        self._restore_theme()
        self._apply_keymap()
        for problem in self._config_problems:
            self.notify(problem, title="Settings ignored", severity="warning", markup=False)
        self.store.add_listener(self._store_written)
        self.screen_change_signal.subscribe(self, self._screen_changed)
        self.set_timer(WARM_AT_THE_LATEST, self._warm_when_quiet)  # even if no screen is ready
        self.set_interval(POLL_SECONDS, self.look_for_changes)
        if self.start == "search":
            self.action_search()
        elif self.start != "dashboard":
            self.action_go(self.start)

    def on_unmount(self) -> None:
        self.store.remove_listener(self._store_written)
        self.listener.stop()

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
            self.show_error(f"Could not remember the theme: {config._reason(error)}.")

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent) and not event.is_forwarded:
            self._last_input = time.monotonic()  # a key or the mouse: the user is busy
        await super().on_event(event)

    def _warm_when_quiet(self) -> None:
        """Load the search index once nothing has been typed or clicked for a moment, and
        no other work (a list, a pack being counted) is running: each thread more shares
        the interpreter with the UI thread, and the cursor feels it."""
        if self._warm_started:
            return
        quiet = time.monotonic() - self._last_input
        # Waited for at most a few seconds: some workers run for as long as their screen
        # (a file picker watching its folder).
        busy = self._warm_busy_looks < WARM_BUSY_LOOKS and any(
            not worker.is_finished for worker in self.workers
        )
        if quiet >= WARM_WHEN_QUIET and busy:
            self._warm_busy_looks += 1
        if quiet >= WARM_WHEN_QUIET and not busy:
            self._warm_started = True
            self._warm_search()
        elif not self._warm_waiting:  # one timer at a time; it looks again when it fires
            self._warm_waiting = True
            wait = WARM_WHEN_QUIET - quiet if quiet < WARM_WHEN_QUIET else WARM_BUSY_RETRY
            self.set_timer(wait, self._check_quiet)

    def _check_quiet(self) -> None:
        self._warm_waiting = False
        self._warm_when_quiet()

    @worker(group="search-warm", name="warm", failed=SearchWarmFailed)
    def _warm_search(self) -> None:
        from store.search import warm

        warm(self.store)

    @on(SearchWarmFailed)
    def _warm_failed(self, message: SearchWarmFailed) -> None:
        self.notify(
            f"Search will be slow to start: {error_message(message.error)}",
            severity="warning",
            markup=False,
        )

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

    def show_error(self, message: str) -> None:
        """Tell the user something failed, in words, and log it; the app carries on."""
        shown = safe(message)
        self.errors.append(shown)
        log.error("%s", shown)
        self.log.error(shown)
        self.notify(shown, title="Error", severity="error", timeout=10, markup=False)

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

    # ------------------------------------------------------------------ messages

    @on(ScreenReady)
    def _screen_ready(self, message: ScreenReady) -> None:
        # The first screen's numbers come first; then the search index loads, in a pause,
        # so that it does not share the CPU with what the user is waiting for.
        self._warm_when_quiet()
        self.ready_times.setdefault(message.name, time.perf_counter())
        _freeze_once("first screen")
        if not self._store_layer_asked:
            self._store_layer_asked = True
            self._load_store_layer()

    @worker(group="store-layer", name="store")
    def _load_store_layer(self) -> None:
        """Load the store's SQLAlchemy layer behind the first screen, then freeze it.

        The first screen is counted without SQLAlchemy (store.overview), so it, the table
        models and the engine load here, once the numbers are on screen. Frozen like the
        rest of start-up: otherwise every full garbage collection walks their objects again,
        and a collection stops the cursor for as long as it takes. The collector waits while
        they load (importing allocates hundreds of thousands of objects, none of them
        garbage), so the loading never stops the UI thread for a collection either.
        """
        from store.collector import collector_paused

        found = None
        try:
            with collector_paused():
                import store.pack  # noqa: F401  (every list, detail and the pack build on it)

                _ = self.store.engine
                # The first look at the store's change counter (and whether it may be
                # written, and where it sits) loads the history's code: here too, so that
                # a later look is one indexed read that never stalls the cursor.
                found = self.watcher.look()
        finally:
            _freeze_once("store layer")
        self.listener.start()  # after the first look: whatever it hears is news
        if found is not None:
            self.call_from_thread(self._store_looked_at, found)

    def _store_written(self, changes: list[Change]) -> None:
        # Runs on whichever thread wrote; post_message is thread-safe.
        self.watcher.own(changes)
        self.post_message(StoreWritten(changes))

    # ------------------------------------------------------------------ others' writes

    def look_for_changes(self) -> None:
        """Look (in a thread) whether anyone else wrote to the store since the last look."""
        if self.watcher.seen is not None:  # after the first look, made as the store loads
            self._look_at_store()

    def _heard(self) -> None:
        """The listener heard a commit (on its own thread: post_message is thread-safe)."""
        self.post_message(ChangesHeard())

    @on(ChangesHeard)
    def _changes_heard(self) -> None:
        self.look_for_changes()  # someone's write just committed (PostgreSQL)

    @worker(group="store-watch", name="watch")
    def _look_at_store(self) -> None:
        found = self.watcher.look()
        if found is not None:
            self.call_from_thread(self._store_looked_at, found)

    def _store_looked_at(self, found: Look) -> None:
        """What a look found: reload what is on view, say who changed what is in it, and
        (the first time) what the app must know about the store."""
        from tui.live import changes_of, in_view, shown_by, toast_lines

        if found.read_only:
            self.notify(READ_ONLY_MESSAGE, title="Read-only", severity="warning", markup=False)
        if found.network_drive:
            self.notify(
                f"This store is a file on a network drive ({found.network_drive}). Two people "
                "using one SQLite file there can corrupt it: a team's store belongs on "
                "PostgreSQL ('visitprep copy --to postgresql://...' moves it; see the README).",
                title="Shared store",
                severity="warning",
                timeout=15,
                markup=False,
            )
        if not found.entries:
            return
        self.post_message(StoreWritten(changes_of(found.entries)))
        shown = [shown_by(screen) for screen in self._visible_screens()]
        concerned = [e for e in found.entries if in_view(e, shown)]
        for line in toast_lines(concerned, self.store.user):
            self.notify(safe(line), title="Changed by someone else", markup=False)

    @property
    def read_only(self) -> bool:
        """Whether this user may only read the store (known after the first look)."""
        return bool(self.watcher.read_only)

    async def run_action(
        self,
        action: Any,
        default_namespace: Any = None,
        namespaces: Any = None,
    ) -> bool:
        """Every action goes through here: on a store this user may only read, a key that
        would write says so instead (one place, for every screen's write keys)."""
        if self.read_only and isinstance(action, str):
            from tui.live import action_name

            if action_name(action) in WRITE_ACTIONS:
                self.notify(READ_ONLY_MESSAGE, title="Read-only", severity="warning", markup=False)
                return True
        return await super().run_action(action, default_namespace, namespaces)

    @on(StoreWritten)
    def _deliver_changes(self, message: StoreWritten) -> None:
        """The screens on view reload now; the ones under them when they come back."""
        visible = self._visible_screens()
        for screen in self.screen_stack:
            if screen in visible:
                screen.post_message(StoreChanged(list(message.changes)))
            else:
                self._pending.setdefault(screen, []).extend(message.changes)

    def _visible_screens(self) -> list[Screen[Any]]:
        visible: list[Screen[Any]] = []
        for screen in reversed(self.screen_stack):
            visible.append(screen)
            if not isinstance(screen, ModalScreen):
                break
        return visible

    def _screen_changed(self, screen: Screen[Any]) -> None:
        for shown in self._visible_screens():
            pending = self._pending.pop(shown, None)
            if pending:
                shown.post_message(StoreChanged(pending))

    @on(WorkFailed)
    def _worker_failed(self, message: WorkFailed) -> None:
        """A worker (the app's, or a screen's with no failure message of its own) failed."""
        log.error("worker %r on %r failed", message.name, message.node, exc_info=message.error)
        self.show_error(error_message(message.error))

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
