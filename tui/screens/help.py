"""Help (? or F1): the keys of the screen underneath, then the keys that work everywhere."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tui.widgets.key_footer import KeyFooter

# A word on Textual's own keys that a lead may still want (their labels alone say little).
BUILTIN_SAYS = {
    "app.focus_next": "The next part of the screen (a table, a box, a button)",
    "app.focus_previous": "The previous part of the screen",
    "focus_next": "The next part of the screen (a table, a box, a button)",
    "focus_previous": "The previous part of the screen",
}

# Textual's built-in bindings that mean nothing to someone preparing a visit.
PLUMBING = {"screen.copy_text", "copy_text", "screen.maximize", "screen.minimize", "help_quit"}
# A table's row keys (ours: j/k, home/end, page up/down) are moving around, as Textual's
# own scrolling is: under "Moving around", not before the keys of the screen's job.
MOVING = {"cursor_down", "cursor_up", "first", "last", "page(1)", "page(-1)"}


@dataclass(frozen=True, slots=True)
class KeyHelp:
    """One line of help: the keys, what they do, and a longer word on it."""

    keys: str
    description: str
    tooltip: str
    everywhere: bool
    builtin: bool = False  # Textual's own (scrolling, tab): after the keys of the job


def screen_keys(screen: Screen[Any]) -> list[KeyHelp]:
    """The bindings active on ``screen`` now (its focused widget, itself, the app).

    Keys bound to the same action on the same widget share a line ("down, j").
    Must be called while ``screen`` is the active one, so the app's checks see it.
    """
    app = screen.app
    grouped: dict[tuple[int, str], tuple[list[str], Binding, bool]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or binding.action in PLUMBING:
            continue  # Textual's own plumbing is not the user's business
        group = (id(active.node), binding.action)
        shown = app.get_key_display(binding) if key == binding.key else key
        if group in grouped:
            keys, first, everywhere = grouped[group]
            keys.append(shown)
            if binding.id and not first.id:  # our words over Textual's (q over its ctrl+q)
                grouped[group] = (keys, binding, everywhere)
        else:
            grouped[group] = ([shown], binding, isinstance(active.node, App))
    lines = []
    for keys, binding, everywhere in grouped.values():
        tooltip = binding.tooltip if binding.tooltip != binding.description else ""
        tooltip = tooltip or BUILTIN_SAYS.get(binding.action, "")
        lines.append(
            KeyHelp(
                ", ".join(dict.fromkeys(keys)),
                binding.description,
                tooltip,
                everywhere,
                # Every binding of ours has an id; ours that only move go with Textual's.
                builtin=binding.id is None or binding.action in MOVING,
            )
        )
    return lines


# A key's word (the footer's) wraps past this, so that one long word of Textual's own
# ("Cursor to previous sibling") does not push every explanation to the right.
DOES_WIDTH = 16


def column_widths(lines: list[KeyHelp]) -> tuple[int, int]:
    """The widths of the keys and of their words: one pair for every table of one help
    screen, so that its sections line up."""
    keys = max([10, *(len(line.keys) for line in lines)])
    does = min(DOES_WIDTH, max([0, *(len(line.description) for line in lines)]))
    return keys, does


def keys_table(lines: list[KeyHelp], widths: tuple[int, int] | None = None) -> Table:
    keys_width, does_width = widths or column_widths(lines)
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=True)
    table.add_column("Keys", style="bold", no_wrap=True, width=keys_width)
    table.add_column("Does", width=does_width)
    table.add_column("About", style="dim", ratio=1)
    for line in lines:
        table.add_row(Text(line.keys), Text(line.description), Text(line.tooltip))
    return table


class HelpScreen(ModalScreen[None]):
    """The keys of the screen that was in front, and the global keys."""

    CSS_PATH = "help.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="help.close", tooltip="Close the help"),
        Binding(
            "question_mark",
            "close",
            "Close",
            show=False,
            id="help.close_question",
            tooltip="Close the help",
        ),
        Binding("f1", "close", "Close", show=False, id="help.close_f1", tooltip="Close the help"),
        Binding("q", "close", "Close", show=False, id="help.close_q", tooltip="Close the help"),
    ]

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.for_screen = screen
        self.title_text = getattr(screen, "HELP_TITLE", None) or _screen_name(screen)
        self.lines = screen_keys(screen)  # now, while that screen is still in front

    def compose(self) -> ComposeResult:
        # The keys of the job first; scrolling and tabbing (Textual's own) last.
        here = [line for line in self.lines if not line.everywhere and not line.builtin]
        everywhere = [line for line in self.lines if line.everywhere and not line.builtin]
        moving = [line for line in self.lines if line.builtin]
        widths = column_widths(self.lines)
        with Vertical(id="help-dialog") as dialog:
            dialog.border_title = "Help"
            with VerticalScroll(id="help-scroll"):
                yield Static(Text(f"Keys on {self.title_text}"), classes="help-heading")
                yield Static(keys_table(here, widths) if here else Text("No keys of its own."))
                yield Static(Text("Keys everywhere"), classes="help-heading")
                yield Static(keys_table(everywhere, widths))
                if moving:
                    yield Static(Text("Moving around"), classes="help-heading")
                    yield Static(keys_table(moving, widths))
                yield Static(
                    Text(
                        "ctrl+p finds any screen, command or record by name. "
                        "escape, ? or F1 closes this."
                    ),
                    id="help-foot",
                )
        # Its own keys at the foot, not those of the screen underneath (recomposed once
        # per change of keys, not once per binding update: see KeyFooter).
        yield KeyFooter()

    def action_close(self) -> None:
        self.dismiss(None)


def _screen_name(screen: Screen[Any]) -> str:
    """``DashboardScreen`` → ``the dashboard``."""
    name = type(screen).__name__.removesuffix("Screen")
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in name).strip()
    return f"the {words}" if words else "this screen"
