"""What the app does behind its screens: the store, others' writes, the warm-up, failures.

:class:`Backstage` is the base of :class:`tui.app.VisitPrepApp` (which keeps the keys, the
navigation and the opening of screens). Here:

- the store's SQLAlchemy layer loads behind the first screen, and the search index in the
  first pause in the typing (``_warm_when_quiet``), so neither slows what the user waits for;
- the store's own writes (``StoreWritten``) and others' (a look at the change counter every
  ``POLL_SECONDS``, and on PostgreSQL one as soon as a commit is heard) reach the screens on
  view as ``StoreChanged`` at once, and the ones under them when they come back;
- on a store this user may only read, a key that would write says so (``run_action``);
- a failure reaches the user in words (``show_error``), a worker's too (``WorkFailed``).
"""

from __future__ import annotations

import gc
import logging
import time
import weakref
from typing import Any

from textual import events, on
from textual.app import App
from textual.message import Message
from textual.screen import ModalScreen, Screen

from store import Change, Store
from tui.live import (
    POLL_SECONDS,
    READ_ONLY_MESSAGE,
    WRITE_ACTIONS,
    ChangeListener,
    Look,
    StoreWatcher,
)
from tui.messages import ChangesHeard, ScreenReady, StoreChanged
from tui.text import error_message, safe
from tui.workers import Failed, WorkFailed, worker

log = logging.getLogger("tui.app")

WARM_AT_THE_LATEST = 5.0  # seconds after start, the search index loads even if no screen is ready
# Loading the search index keeps Python busy for a second or more on a big store; it waits
# for a pause in the typing, so that a list opened straight away is not slowed down by it.
WARM_WHEN_QUIET = 1.0
WARM_BUSY_RETRY = 0.2  # seconds between looks while other workers run
WARM_BUSY_LOOKS = 15  # looks before loading anyway (3 s)


_frozen_at: set[str] = set()


def freeze_once(moment: str) -> None:
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


class Backstage(App[None]):
    """The app's work behind the screens (see the module's docstring)."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.ready_times: dict[str, float] = {}
        self.errors: list[str] = []
        self._pending: weakref.WeakKeyDictionary[Screen[Any], list[Change]] = (
            weakref.WeakKeyDictionary()
        )
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

    def start_backstage(self) -> None:
        """Once mounted: listen to the store, follow the screens, and start the timers."""
        self.store.add_listener(self._store_written)
        self.screen_change_signal.subscribe(self, self._screen_changed)
        self.set_timer(WARM_AT_THE_LATEST, self._warm_when_quiet)  # even if no screen is ready
        self.set_interval(POLL_SECONDS, self.look_for_changes)

    def stop_backstage(self) -> None:
        self.store.remove_listener(self._store_written)
        self.listener.stop()

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

    def show_error(self, message: str) -> None:
        """Tell the user something failed, in words, and log it; the app carries on."""
        shown = safe(message)
        self.errors.append(shown)
        log.error("%s", shown)
        self.log.error(shown)
        self.notify(shown, title="Error", severity="error", timeout=10, markup=False)

    @on(ScreenReady)
    def _screen_ready(self, message: ScreenReady) -> None:
        # The first screen's numbers come first; then the search index loads, in a pause,
        # so that it does not share the CPU with what the user is waiting for.
        self._warm_when_quiet()
        self.ready_times.setdefault(message.name, time.perf_counter())
        freeze_once("first screen")
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
            freeze_once("store layer")
        self.listener.start()  # after the first look: whatever it hears is news
        if found is not None:
            self.call_from_thread(self._store_looked_at, found)

    def _store_written(self, changes: list[Change]) -> None:
        # Runs on whichever thread wrote; post_message is thread-safe.
        self.watcher.own(changes)
        self.post_message(StoreWritten(changes))

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
