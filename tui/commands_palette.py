"""The command palette (ctrl+p): every screen and command, and records found by name.

One provider. ``discover`` lists the commands when the palette opens; ``search`` ranks
them against what is typed and, from three characters on, adds the best matching
findings, actions, evidence and sources from the store's search (typos are fine),
run off the UI thread.

The palette is a picker too: ``a`` on a visit's pack opens a :class:`PickerPalette` with
:class:`FindingsToAdd` alone, the findings the pack has not got, found by the same search,
shown by the same :func:`record_prompt`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol, runtime_checkable

from rich.text import Text
from textual import on
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from store.dates import format_date
from tui.compat import palette_enter, palette_search
from tui.text import safe
from tui.typed_app import app_of
from tui.widgets.badges import brag_badge

log = logging.getLogger(__name__)

RECORD_LIMIT = 10
PICKER_LIMIT = 50
MIN_RECORD_QUERY = 3
KIND_LABELS = {
    "finding": "Finding",
    "action": "Action",
    "evidence": "Evidence",
    "source": "Source",
    "measure": "Measure",
}


@dataclass(frozen=True, slots=True)
class PaletteCommand:
    """A named thing the palette can do."""

    name: str
    help: str
    run: Callable[[], Any]


def import_available() -> bool:
    """Whether this version has the import screen (it may land after the rest)."""
    try:
        from tui.screens import importing  # noqa: F401
    except ImportError:
        return False
    return True


def app_commands(app: Any, next_visit: Any | None) -> list[PaletteCommand]:
    """The app's screens and commands, in the order they are listed when nothing is typed."""
    commands = [
        PaletteCommand(
            "Dashboard",
            "The first screen: BRAG, deadlines, gaps, next visit",
            partial(app.action_go, "dashboard"),
        ),
        PaletteCommand("Findings", "Every finding", partial(app.action_go, "findings")),
        PaletteCommand("Actions", "Every action", partial(app.action_go, "actions")),
        PaletteCommand("Evidence", "Every evidence item", partial(app.action_go, "evidence")),
        PaletteCommand(
            "Sources",
            "Reports and audits the findings come from",
            partial(app.action_go, "sources"),
        ),
        PaletteCommand("Visits", "Visits and their packs", partial(app.action_go, "visits")),
        PaletteCommand(
            "Measures",
            "Performance measures: latest value, target, BRAG, trend (7)",
            partial(app.action_go, "measures"),
        ),
        PaletteCommand(
            "Measures off target",
            "Measures whose latest value misses the target (Amber or Red)",
            partial(app.open_measures, off_target=True),
        ),
        PaletteCommand("Search", "Search everything, as you type (/)", app.action_search),
        PaletteCommand("Help", "The keys of this screen (? or F1)", app.action_help),
    ]
    if next_visit is not None:
        # No user text in names or help: the palette reads both as markup.
        when = format_date(next_visit.start_date)
        commands += [
            PaletteCommand(
                "Next visit's pack",
                f"Open the evidence pack for the visit on {when}",
                partial(app.open_record, "visit", next_visit.id),
            ),
            PaletteCommand(
                "Export the next visit's checklist",
                f"Write the Markdown checklist for the visit on {when}",
                partial(app.export_checklist, next_visit.id, next_visit.title),
            ),
        ]
    commands += [
        PaletteCommand("New finding", "Add a finding", partial(app.new_record, "finding")),
        PaletteCommand("New action", "Add an action", partial(app.new_record, "action")),
        PaletteCommand("New evidence", "Add an evidence item", partial(app.new_record, "evidence")),
        PaletteCommand("New visit", "Plan a visit", partial(app.new_record, "visit")),
        PaletteCommand("New source", "Add a report or audit", partial(app.new_record, "source")),
    ]
    if import_available():
        commands.append(
            PaletteCommand(
                "Import…",
                "Import reports, an improvement plan, a scorecard or evidence",
                app.open_import,
            )
        )
    commands += [
        PaletteCommand(
            "Evidence age…",
            "How old evidence with no review-by date may be before it is out of date",
            app.choose_stale_age,
        ),
        PaletteCommand(
            "Change theme", "Pick a colour theme (remembered next time)", app.action_change_theme
        ),
        PaletteCommand(
            "Screenshot",
            "Save an SVG picture of this screen",
            partial(app.set_timer, 0.1, app.deliver_screenshot),
        ),
        PaletteCommand("Quit", "Leave visitprep (q)", app.exit),
    ]
    return commands


def screen_commands(app: Any, screen: Any) -> list[PaletteCommand]:
    """The keys of the screen the palette was opened on, as commands ("Tick (space)").

    Only our own bindings (each has an id), not the app's (listed above) nor Textual's
    scrolling; each runs on the widget or screen that binds it, as its key would.
    """
    from textual.app import App

    commands: list[PaletteCommand] = []
    seen: set[tuple[int, str]] = set()
    try:
        active = list(screen.active_bindings.items())
    except Exception:  # a screen half torn down: the palette still offers the rest
        log.exception("palette: could not read the screen's keys")
        return commands
    for key, bound in active:
        binding = bound.binding
        if not binding.id or not binding.show or isinstance(bound.node, App):
            continue  # j/k and other hidden keys are noise here; the footer's keys are not
        if not bound.enabled or (id(bound.node), binding.action) in seen:
            continue
        seen.add((id(bound.node), binding.action))
        shown = app.get_key_display(binding) if key == binding.key else key
        run = partial(app.call_later, app.run_action, binding.action, bound.node)
        commands.append(
            PaletteCommand(f"{binding.description} ({shown})", binding.tooltip or "", run)
        )
    return commands


def record_prompt(hit: Any, *, kind: bool = True, brag: bool = False) -> Text:
    """A record found by search, as one line of literal text: kind (unless ``kind`` is
    False: a picker of one kind), ref, its BRAG badge (with ``brag``), title with the
    matches lit, and its theme or source, or whose it is when it is another council's.
    The palette, the pack's finding palette and the link picker show it."""
    from tui.screens.search import highlighted

    line = Text()
    if kind:
        line.append(f"{KIND_LABELS.get(hit.kind, hit.kind)}  ", style="bold")
    if hit.ref:
        line.append(safe(hit.ref), style="bold")
        line.append("  ")
    if brag and hit.brag:
        # Before the title: a line cut short with "…" loses the theme, not the BRAG.
        line.append_text(brag_badge(hit.brag))
        line.append("  ")
    line.append_text(highlighted(hit.title, hit.title_spans))
    if not getattr(hit, "ours", True):
        # Another council's, marked as / search marks it: Luton's R1 is not our R1.
        line.append("  · ", style="dim")
        line.append("other: ", style="dim italic")
        line.append(safe(hit.source), style="italic")
        return line
    where = hit.theme or hit.source
    if where:
        line.append(f"  · {safe(where)}", style="dim")
    return line


async def search_off_the_ui(
    provider: Provider, query: str, *, limit: int, kind: str | None = None
) -> list[Any]:
    """The store's search for ``query`` (of ``kind`` alone, if given), run in a thread: the
    first search loads the index, and none should stop the cursor."""
    from store.search import search

    store = getattr(provider.app, "store", None)
    if store is None:
        return []
    return await asyncio.to_thread(search, store, query, limit=limit, kind=kind)


class VisitPrepCommands(Provider):
    """Screens, commands and records for visitprep's command palette."""

    async def startup(self) -> None:
        self.next_visit = None
        # The screen the palette was opened on: its own keys are commands too.
        self.here = screen_commands(self.app, self.screen)
        store = getattr(self.app, "store", None)
        if store is None:
            return
        from store import next_visit

        try:
            self.next_visit = await asyncio.to_thread(next_visit, store)
        except Exception:  # the palette still offers everything else
            log.exception("palette: could not find the next visit")

    def _commands(self) -> list[PaletteCommand]:
        here = getattr(self, "here", [])
        return here + app_commands(self.app, getattr(self, "next_visit", None))

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.name, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(score, matcher.highlight(command.name), command.run, help=command.help)
        typed = query.strip()
        # Two letters find too much to be useful, but a short ref (R1, 3.4) names one record.
        if len(typed) < MIN_RECORD_QUERY and not any(ch.isdigit() for ch in typed):
            return
        async for hit in self._records(query):
            yield hit

    async def _records(self, query: str) -> Hits:
        try:
            found = await search_off_the_ui(self, query, limit=RECORD_LIMIT)
        except Exception as error:  # a failed search must not break the palette
            log.warning("palette: record search failed: %s", error)
            return
        for rank, hit in enumerate(found):
            prompt = record_prompt(hit)
            # Below a command that matches well, above a command that barely does; a
            # record whose ref or title is exactly what was typed above everything.
            score = 1.0 if getattr(hit, "exact", False) else 0.6 - rank * 0.01
            opener = partial(app_of(self).open_record, hit.kind, hit.id)
            yield Hit(score, prompt, opener, text=prompt.plain)


@runtime_checkable
class TakesFindings(Protocol):
    """A screen findings are added to by hand (a visit's pack)."""

    def findings_in_pack(self) -> set[int]:
        """The findings it has already: not offered."""
        ...

    def add_finding(self, finding_id: int) -> None:
        """Add one, as its own key would."""
        ...


class FindingsToAdd(Provider):
    """The findings the screen under the palette has not got (``a`` on a visit's pack).

    Built from that screen's state when the palette opens: with nothing typed, the best
    findings first; as you type, the search's matches (typos are fine), off the UI thread.
    Choosing one adds it through the screen, as if it had been chosen there.
    """

    PLACEHOLDER = "Add a finding to this pack: type to find it (typos are fine)"

    async def startup(self) -> None:
        screen = self.screen
        if not isinstance(screen, TakesFindings):
            raise TypeError(f"no findings can be added to {type(screen).__name__}")
        self.target: TakesFindings = screen
        self.in_pack = set(screen.findings_in_pack())

    async def discover(self) -> Hits:
        for finding in await self._findings(""):
            prompt = record_prompt(finding, kind=False)
            yield DiscoveryHit(prompt, self._adder(finding), text=prompt.plain)

    async def search(self, query: str) -> Hits:
        for rank, finding in enumerate(await self._findings(query)):
            prompt = record_prompt(finding, kind=False)
            # In the search's order (the palette sorts by score): an exact ref first.
            yield Hit(1.0 - rank * 0.001, prompt, self._adder(finding), text=prompt.plain)

    async def _findings(self, query: str) -> list[Any]:
        """The best matches for ``query`` not in the pack; a failed search says so."""
        limit = PICKER_LIMIT + len(self.in_pack)
        try:
            found = await search_off_the_ui(self, query, limit=limit, kind="finding")
        except Exception as error:
            app_of(self).show_error(f"Search failed: {error}")
            return []
        return [hit for hit in found if hit.id not in self.in_pack][:PICKER_LIMIT]

    def _adder(self, finding: Any) -> Callable[[], None]:
        return partial(self.target.add_finding, finding.id)


class PickerPalette(CommandPalette):
    """The command palette as a picker: enter takes the top match of what is typed.

    Textual's palette acts on the list it shows, and while the search of what was just
    typed runs (a moment, on a big store) that is still the list of what was typed
    before: a paste and enter would add the wrong finding. Here enter waits for the
    search of what is typed, then acts on its top match (as the link picker's does).
    Typing again meanwhile takes the enter back. Uses the palette's own search worker
    (its group and its enter handler, through :mod:`tui.compat`): the pack's tests pin both.
    """

    def __init__(self, provider: type[Provider], *, placeholder: str) -> None:
        super().__init__([provider], placeholder=placeholder)
        self._enter_after: Worker[None] | None = None

    @on(Input.Changed)
    def _typed_again(self, _event: Input.Changed) -> None:
        self._enter_after = None  # the palette's own handler, next, starts the new search

    @on(Input.Submitted)
    def _enter_once_found(self, event: Input.Submitted) -> None:
        searching = palette_search(self)
        if searching is not None:
            event.stop()
            event.prevent_default()  # not the palette's own enter, on the list shown now
            self._enter_after = searching

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is self._enter_after and event.state == WorkerState.SUCCESS:
            self._enter_after = None
            palette_enter(self)
