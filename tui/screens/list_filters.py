"""A list's filters, as fields: the ``f`` of every list (see :mod:`tui.screens.lists`).

Each kind of record has its own fields (BRAG, status, theme, owner, due soon, whose
findings...); enter or Apply dismisses with the filters chosen, escape with None.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from store import vocab
from tui.presenters.lists import ID_FILTERS, kept_filters
from tui.screens.lists import DEFAULT_FILTERS, DUE_SOON_DAYS
from tui.text import safe
from tui.typed_app import app_of
from tui.widgets.record_table import listing
from tui.widgets.toggles import MarkedCheckbox
from tui.workers import Failed, worker

# The Findings filter's choice of whose findings, and the store's ``ours`` for each.
WHOSE: dict[str, bool | None] = {"ours": True, "others": False, "all": None}
WHOSE_LABELS = {
    "ours": "This council's own",
    "others": "Other councils' reports (to learn from)",
    "all": "Both: ours and other councils'",
}


class FilterScreen(ModalScreen[dict[str, Any] | None]):
    """The filters of one list, as fields; dismisses with the new filters (or None)."""

    CSS_PATH = "list_filters.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", "Apply", id="filter.apply", tooltip="Apply"),
        Binding("escape", "cancel", "Cancel", id="filter.cancel", tooltip="Keep the filters"),
    ]

    def __init__(self, kind: str, filters: dict[str, Any]) -> None:
        super().__init__()
        self.kind = kind
        self.filters = dict(filters)

    def compose(self) -> ComposeResult:
        with Vertical(id="filter-dialog"):
            yield Static(Text(f"Filter {listing(self.kind).plural.lower()}"), id="filter-heading")
            yield Vertical(Static(Text("Loading…")), id="filter-fields")
            with Horizontal(id="filter-buttons"):
                yield Button("Apply (ctrl+s)", variant="primary", id="filter-apply")
                yield Button("Clear all", id="filter-clear")
                yield Button("Cancel (esc)", id="filter-cancel")

    def on_mount(self) -> None:
        self._load()

    class Loaded(Message):
        """The choices the filters offer: ``{"themes": [...], "sources": [...]}``."""

        def __init__(self, choices: dict[str, list[Any]]) -> None:
            super().__init__()
            self.choices = choices

    class LoadFailed(Failed):
        """The choices could not be read."""

    @worker(name="filter-load", failed=LoadFailed)
    def _load(self) -> Loaded:
        import store as api

        store = app_of(self).store
        sources = api.list_sources(store) if self.kind == "finding" else []
        return self.Loaded({"themes": api.list_themes(store), "sources": sources})

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self._build(message.choices)

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        app_of(self).show_error(f"Could not load the filters: {message.error}")
        self.dismiss(None)

    def _row(self, label: str, widget: Any) -> Horizontal:
        return Horizontal(Label(label, classes="filter-label"), widget, classes="filter-row")

    def _select(self, key: str, options: list[tuple[Any, Any]], prompt: str) -> Select[Any]:
        value = self.filters.get(key)
        if isinstance(value, list | tuple) and len(value) > 1:
            # Several at once (a dashboard gap): kept as they are unless one is chosen here.
            prompt = "(as now: " + " or ".join(str(v) for v in value) + ")"
            value = None
        elif isinstance(value, list | tuple):
            value = value[0] if value else None
        known = {v for _, v in options}
        return Select(
            options,
            value=value if value in known else Select.NULL,
            allow_blank=True,
            prompt=prompt,
            id=f"filter-{key}",
        )

    def _check(self, key: str, label: str) -> Checkbox:
        return MarkedCheckbox(label, bool(self.filters.get(key)), id=f"filter-{key}")

    def _build(self, data: dict[str, list[Any]]) -> None:
        themes = [(Text(safe(t.name)), t.name) for t in data["themes"]]
        rows: list[Any] = []
        if self.kind in ("finding", "action"):
            rows.append(self._row("Theme", self._select("theme", themes, "(any theme)")))
        if self.kind == "finding":
            whose = next(k for k, v in WHOSE.items() if v == self.filters.get("ours"))
            rows.append(
                self._row(
                    "Whose",
                    Select(
                        [(label, key) for key, label in WHOSE_LABELS.items()],
                        value=whose,
                        allow_blank=False,
                        id="filter-whose",
                    ),
                )
            )
            sources = [(Text(safe(s.title)), s.id) for s in data["sources"]]
            rows.append(self._row("Source", self._select("source_id", sources, "(any source)")))
            statuses = [(s, s) for s in vocab.FINDING_STATUSES]
            rows.append(self._row("Status", self._select("status", statuses, "(any status)")))
            kinds = [(k, k) for k in vocab.FINDING_KINDS]
            rows.append(self._row("Kind", self._select("kind", kinds, "(any kind)")))
            rows.append(self._row("", self._check("without_action", "Only those with no action")))
        if self.kind == "action":
            brags = [(f"{b.title()} ({vocab.BRAG_MEANING[b]})", b) for b in vocab.BRAG]
            rows.append(self._row("BRAG", self._select("brag", brags, "(any BRAG)")))
        if self.kind == "evidence":
            kinds = [(k, k) for k in vocab.EVIDENCE_KINDS]
            rows.append(self._row("Kind", self._select("kind", kinds, "(any kind)")))
        if self.kind in ("action", "evidence"):
            owner = Input(str(self.filters.get("owner") or ""), placeholder="any owner")
            owner.id = "filter-owner"
            rows.append(self._row("Owner", owner))
        if self.kind == "action":
            rows.append(self._row("", self._check("overdue", "Overdue (past due, not Blue)")))
            due_soon = MarkedCheckbox(
                f"Due in the next {DUE_SOON_DAYS} days",
                self.filters.get("due_within") is not None,
                id="filter-due_within",
            )
            rows.append(self._row("", due_soon))
            rows.append(
                self._row("", self._check("without_evidence", "Only those with no evidence"))
            )
        if self.kind == "evidence":
            rows.append(self._row("", self._check("stale", "Out of date (review due, or too old)")))
            rows.append(self._row("", self._check("missing", "File missing")))
            rows.append(self._row("", self._check("unlinked", "Supports nothing yet")))
        if self.kind in ("finding", "action", "evidence"):
            text = Input(str(self.filters.get("text") or ""), placeholder="words in the title")
            text.id = "filter-text"
            rows.append(self._row("Title contains", text))
        else:
            rows.append(Static(Text("This list has no filters; s sorts it.")))
        container = self.query_one("#filter-fields", Vertical)
        container.remove_children()
        container.mount_all(rows)
        if rows and isinstance(rows[0], Horizontal):
            self.call_after_refresh(lambda: rows[0].children[1].focus())

    def _values(self) -> dict[str, Any]:
        out = dict(self.filters)
        for widget in self.query(
            "#filter-fields Select, #filter-fields Input, #filter-fields Checkbox"
        ):
            key = (widget.id or "").removeprefix("filter-")
            if key == "whose" and isinstance(widget, Select):
                out["ours"] = WHOSE.get(str(widget.value))
                continue
            if isinstance(widget, Select):
                before = self.filters.get(key)
                if widget.value != Select.NULL:
                    out[key] = widget.value
                elif not (isinstance(before, list | tuple) and len(before) > 1):
                    out[key] = None
            elif isinstance(widget, Input):
                out[key] = widget.value.strip() or None
            elif isinstance(widget, Checkbox):
                if key == "due_within":
                    days = self.filters.get("due_within") or DUE_SOON_DAYS
                    out[key] = days if widget.value else None
                else:
                    out[key] = bool(widget.value) or None
        return kept_filters(out)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_apply()

    @on(Button.Pressed, "#filter-apply")
    def action_apply(self) -> None:
        self.dismiss(self._values())

    @on(Button.Pressed, "#filter-clear")
    def _clear(self) -> None:
        # Filters set by where the list came from (a finding's actions) are kept.
        kept = {k: v for k, v in self.filters.items() if k in ID_FILTERS}
        self.dismiss({**DEFAULT_FILTERS.get(self.kind, {}), **kept})

    @on(Button.Pressed, "#filter-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
