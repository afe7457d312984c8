"""A tiny stand-in app for TUI-B's screen tests: a store, open_record, show_error, StoreChanged.

The journeys through the real app live in the same test files; this harness lets a screen
be tested on its own, and records what it asked the app to do.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import sys
import types
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.app import App
from textual.message import Message
from textual.widgets import Input
from textual.worker import WorkerCancelled

from store import Store

try:  # TUI-A's shared helpers; stand-ins until they land
    import tui.text
except ImportError:
    _text = types.ModuleType("tui.text")
    _text.safe = lambda s: "".join(  # type: ignore[attr-defined]
        "\ufffd" if (ord(c) < 32 or 0x7F <= ord(c) < 0xA0) else c for c in str(s)
    )
    sys.modules["tui.text"] = _text
try:
    import tui.widgets.badges  # noqa: F401
except ImportError:
    _badges = types.ModuleType("tui.widgets.badges")
    _badges.brag_badge = lambda b: Text(f"■ {b.title()}")  # type: ignore[attr-defined]
    _badges.gap_label = lambda k: Text("⚠ " + k.replace("_", " "))  # type: ignore[attr-defined]
    sys.modules.setdefault("tui.widgets", types.ModuleType("tui.widgets"))
    sys.modules["tui.widgets.badges"] = _badges


class StoreChanged(Message):
    def __init__(self, changes: list[Any]) -> None:
        super().__init__()
        self.changes = changes


class Harness(App[None]):
    """The least of the app a screen needs: a store, open_record and show_error."""

    def __init__(self, store: Store, screen: Any) -> None:
        super().__init__()
        self.store = store
        self.first = screen
        self.results: list[Any] = []
        self.opened: list[tuple[str, int]] = []
        self.errors: list[str] = []

    def on_mount(self) -> None:
        self.store.add_listener(self._changed)
        self.push_screen(self.first, callback=self.results.append)

    def on_unmount(self) -> None:
        self.store.remove_listener(self._changed)

    def _changed(self, changes: list[Any]) -> None:
        self.call_later(lambda: self.screen.post_message(StoreChanged(changes)))

    def open_record(self, kind: str, record_id: int) -> None:
        self.opened.append((kind, record_id))

    def show_error(self, message: str) -> None:
        self.errors.append(message)
        self.notify(message, severity="error")


def pilot_test(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async pilot test with plain pytest (no async plugin needed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return pytest.mark.tui(run)


async def settle(pilot: Any) -> None:
    """Let workers finish and their results land on screen."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def type_into(pilot: Any, selector: str, text: str) -> None:
    """Focus a field and put ``text`` in it, as typing would leave it.

    An Input gets the whole value at once, cursor at the end: it posts the same Changed
    message typing does, without a key press per character (about 0.09 s each). Tests
    about typing itself use :func:`type_keys`. Other fields are typed.
    """
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    if not isinstance(widget, Input):
        await type_keys(pilot, selector, text)
        return
    widget.value = text
    widget.cursor_position = len(text)
    await pilot.pause()


async def type_keys(pilot: Any, selector: str, text: str) -> None:
    """Focus a field, clear it if it is an Input, and type ``text`` key by key."""
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    if isinstance(widget, Input):
        widget.value = ""
    await pilot.pause()
    await pilot.press(*[c if c != " " else "space" for c in text])


def real_app(store: Store, tmp_path: Path) -> Any:
    """The whole app on ``store``, its settings in ``tmp_path`` (none yet)."""
    from tui.app import VisitPrepApp

    return VisitPrepApp(store, config_path=tmp_path / "config" / "config.json")


async def settle_app(pilot: Any) -> None:
    """Like :func:`settle`, but never waiting on the import screen's file picker (its folder
    loader waits for the next folder to open, for ever)."""
    for _ in range(3):
        mine = [w for w in pilot.app.workers if w.group != "_loader"]
        if mine:
            # An exclusive worker started again (a second look at the store, a reload)
            # cancels the one waited on: what replaced it is waited on the next time round.
            with contextlib.suppress(WorkerCancelled):
                await pilot.app.workers.wait_for_complete(mine)
        await pilot.pause()


async def started(pilot: Any) -> None:
    """Wait for the real app's dashboard to show its numbers."""
    for _ in range(500):
        if "dashboard" in pilot.app.ready_times:
            break
        await pilot.pause(0.02)
    assert "dashboard" in pilot.app.ready_times, "the dashboard never showed its numbers"
    await settle_app(pilot)


async def press(pilot: Any, *keys: str) -> None:
    """Press keys in the real app, then let what they started finish."""
    await pilot.press(*keys)
    await settle_app(pilot)
