"""The import screen's panes: the Path box with its buttons, the choices under it, and the
preview beside the picker (its red line for a refusal, status, progress bar, "our council's
own" box, lines).

They lay out and show; what is chosen and what happens next stays with the screen
(tui/screens/importing.py), whose stylesheet styles them by their ids.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, ProgressBar, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option

from tui.presenters.import_common import (
    KINDS,
    PLAN_WINS_LABEL,
    REPLACE_LABEL,
    SCORECARD_WINS_LABEL,
    Line,
    Shown,
    available,
    styled,
)
from tui.presenters.import_evidence import toggle_personal
from tui.presenters.import_reports import OURS_LABEL
from tui.presenters.importing import ours_ticked
from tui.text import safe
from tui.widgets.import_tree import ImportLines
from tui.widgets.toggles import MarkedCheckbox, MarkedRadioButton


class ImportPath(Horizontal):
    """The Path box (a file or folder typed or pasted) and the Preview and Import buttons."""

    def __init__(self, path: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.initial_path = path

    def compose(self) -> ComposeResult:
        yield Static("Path")
        yield Input(
            value=self.initial_path,
            placeholder="Type or paste a file or folder (~ works); enter previews",
            id="import-path",
        )
        yield Button("Preview (p)", id="import-preview-button")
        yield Button("Import (ctrl+s)", id="import-import-button", variant="primary")

    def enable(self, *, preview: bool, import_: bool) -> None:
        self.query_one("#import-preview-button", Button).disabled = not preview
        self.query_one("#import-import-button", Button).disabled = not import_


class ImportOptions(Horizontal):
    """Which import reads the path (a radio button each), the box for replacing a report
    stored from another file (under a plan or a scorecard: whether it wins over newer
    edits), and a plan's Columns."""

    def compose(self) -> ComposeResult:
        with RadioSet(id="import-kind"):
            for kind, (label, _) in KINDS.items():
                ok = available(kind)
                yield MarkedRadioButton(
                    label if ok else f"{label} (not available)",
                    id=f"import-kind-{kind}",
                    disabled=not ok,
                )
        yield MarkedCheckbox(
            REPLACE_LABEL,
            id="import-update",
            tooltip="A report imported before from a different file is updated in place",
        )
        yield Input(
            placeholder="Columns: owner=Lead officer; due=By when",
            id="import-columns",
            tooltip="Name the plan's columns (field=Header, separated by ;) when the "
            "usual names do not find them",
        )

    @property
    def update(self) -> bool:
        """Whether the Replace box (a plan's or scorecard's: let it win) is ticked."""
        return self.query_one("#import-update", Checkbox).value

    @property
    def columns(self) -> str:
        """The Columns box as typed."""
        return self.query_one("#import-columns", Input).value

    def show_for(self, kind: str | None) -> None:
        """Show the settings ``kind`` has: Replace for reports, Columns and the plan-wins box
        for a plan, the scorecard-wins box for a scorecard, neither for evidence."""
        box = self.query_one("#import-update", Checkbox)
        box.display = kind in ("reports", "plan", "scorecard")
        box.label = {"plan": PLAN_WINS_LABEL, "scorecard": SCORECARD_WINS_LABEL}.get(
            kind or "", REPLACE_LABEL
        )
        self.query_one("#import-columns", Input).display = kind == "plan"

    def allow(self, allowed: tuple[str, ...]) -> None:
        """Let only the imports that could read the path be chosen (all, when none could)."""
        for name in KINDS:
            button = self.query_one(f"#import-kind-{name}", RadioButton)
            button.disabled = not available(name) or (bool(allowed) and name not in allowed)

    def pick(self, kind: str) -> None:
        self.query_one(f"#import-kind-{kind}", RadioButton).value = True


class ImportPane(Vertical):
    """What a preview or an import says, beside the picker."""

    def compose(self) -> ComposeResult:
        error = Static(id="import-error")
        error.display = False
        yield error
        yield Static(id="import-status")
        bar = ProgressBar(id="import-progress", show_eta=False)
        bar.display = False
        yield bar
        yield MarkedCheckbox(
            OURS_LABEL,
            id="import-ours",
            tooltip="Ticked: its findings go into packs and gaps. Unticked: another "
            "council's report, for search and learning only",
        )
        yield ImportLines(id="import-lines")

    def set_error(self, message: str | Text | None) -> None:
        """The red line: ``message`` (plain text is shown literally), or none."""
        error = self.query_one("#import-error", Static)
        if not message:
            error.display = False
            error.update("")
            return
        text = message if isinstance(message, Text) else Text(safe(message))
        error.update(Text.assemble(("✖ ", "bold"), text))
        error.display = True

    def set_status(self, text: Text | str) -> None:
        status = text if isinstance(text, Text) else Text(text)
        self.query_one("#import-status", Static).update(status)

    def show_lines(self, lines: list[Line]) -> None:
        """The preview's lines, the first that opens a record highlighted."""
        widget = self.query_one("#import-lines", ImportLines)
        widget.set_options(Option(line.text) for line in lines)
        openable = [i for i, line in enumerate(lines) if line.target]
        if lines:
            widget.highlighted = openable[0] if openable else 0

    def show_ours(self, shown: Shown | None) -> None:
        """The "our council's own" box: under a preview of new reports, ticked as decided."""
        box = self.query_one("#import-ours", Checkbox)
        ticked = ours_ticked(shown)
        box.display = ticked is not None
        if ticked is not None and box.value != ticked:
            with box.prevent(Checkbox.Changed):
                box.value = ticked

    def toggle_ours(self) -> None:
        box = self.query_one("#import-ours", Checkbox)
        if box.display:
            box.toggle()

    @property
    def highlighted(self) -> int | None:
        """The index of the highlighted line, if any."""
        return self.query_one("#import-lines", ImportLines).highlighted

    def toggle_personal(self, shown: Shown) -> None:
        """Flip the personal-data mark of the highlighted line's new file (if it is one)."""
        widget = self.query_one("#import-lines", ImportLines)
        if widget.highlighted is None:
            return
        line = toggle_personal(shown, widget.highlighted)
        if line is not None:
            widget.replace_option_prompt_at_index(widget.highlighted, line.text)

    def start_progress(self, status: str) -> None:
        """A preview or an import started: no red line, ``status``, and a bar not yet full."""
        self.set_error(None)
        self.set_status(status)
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True

    def progress(self, verb: str, done: int, total: int, label: str) -> None:
        """``Reading 3 of 12: x.pdf``, and the bar as far."""
        self.query_one("#import-progress", ProgressBar).update(total=total, progress=done)
        self.set_status(styled(f"{verb} {done} of {total}: ", (label, "bold")))

    def stop_progress(self) -> None:
        self.query_one("#import-progress", ProgressBar).display = False
