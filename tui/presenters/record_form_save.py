"""What a record form reads from its fields, sends to the store, and says back: the
presenters behind saving the record form (:mod:`tui.screens.record_form`).

``form_values`` is what each field holds as the form reads it; ``form_changes`` what a save
sends (on a new record, only what was filled in, so that the store's defaults apply);
``save_record`` creates or updates the record (in a thread worker); ``due_to_question`` is
the due date whose warning a first save shows; ``stale_rows`` sets a record someone saved
first beside this form's changes. Nothing here imports Textual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from rich.text import Text

from tui.presenters.record_form import Field
from tui.text import safe

# The links a caller gives a new record (a finding's action...), kept unless the form sets them.
CALLER_LINKS = ("finding_ids", "action_ids", "source_id", "parent_id")


def choice_options(spec: Field, data: dict[str, Any]) -> list[tuple[Any, Any]]:
    """A choice field's options as (shown, value): the themes or sources loaded, or its own."""
    if spec.choices == "themes":
        return [(Text(safe(t.name)), t.id) for t in data["themes"]]
    if spec.choices == "sources":
        return [(Text(safe(s.title)), s.id) for s in data["sources"]]
    return list(spec.choices)  # type: ignore[arg-type]


def form_values(
    fields: Iterable[Field], values: dict[str, Any], data: dict[str, Any]
) -> dict[str, Any]:
    """The values as the form's fields read them back: text as a string, a flag as a bool, a
    choice it does not offer as None, themes as a sorted list."""
    out: dict[str, Any] = {}
    for spec in fields:
        value = values.get(spec.name)
        if spec.widget in ("text", "date", "number", "long"):
            out[spec.name] = "" if value is None else str(value)
        elif spec.widget == "flag":
            out[spec.name] = bool(value)
        elif spec.widget == "choice":
            # A list, not a set: vocab enums hash by name, though equal to their value.
            known = [v for _, v in choice_options(spec, data)]
            out[spec.name] = value if value in known else None
        else:
            out[spec.name] = sorted(value or ())
    return out


def form_changes(
    kind: str,
    fields: Iterable[Field],
    values: dict[str, Any],
    initial: dict[str, Any],
    defaults: dict[str, Any],
    *,
    new: bool,
) -> dict[str, Any]:
    """What a save sends: on a record being edited, the fields changed since it was read; on
    a new one, what was filled in (and the required fields), with the caller's links."""
    if not new:
        changes = {k: v for k, v in values.items() if v != initial.get(k)}
    else:
        # Leave out what was not filled in, so that the store's defaults apply
        # (an action's next free ref); pass through links given by the caller.
        required = {spec.name for spec in fields if spec.required}
        changes = {k: v for k, v in values.items() if k in required or v not in (None, "", [])}
        for key in CALLER_LINKS:
            if key in defaults and key not in changes:
                changes[key] = defaults[key]
    if kind == "source" and changes.get("framework", "") is None:
        changes["framework"] = ""
    return changes


def due_to_question(
    changes: dict[str, Any], today: date | None, warned: date | None
) -> tuple[date | None, str] | None:
    """The due date being saved and its warning, when it is in the past or over two years
    ahead (a mistyped year, most often) and that warning was not shown for it yet; None
    otherwise (an unreadable date too: the store says what is wrong with it)."""
    from store.dates import parse_date
    from store.errors import ValidationError
    from store.validation import due_date_warning

    if "due_date" not in changes or today is None:
        return None
    try:
        due = parse_date(changes["due_date"], "due_date")
    except ValidationError:
        return None  # the store says what is wrong with it
    warning = due_date_warning(due, today)
    if warning is None or due == warned:
        return None
    return due, warning


def save_record(
    store: Any,
    kind: str,
    record_id: int | None,
    changes: dict[str, Any],
    version: int | None = None,
) -> Any:
    """Create or update the record (runs in a thread worker); the store validates. An
    update started from ``version`` is refused (StaleRecord) if someone saved since."""
    import store as api

    if record_id is None:
        creators: dict[str, Callable[..., Any]] = {
            "finding": api.create_finding,
            "action": api.create_action,
            "evidence": api.create_evidence,
            "visit": api.create_visit,
            "source": api.create_source,
            "measure": api.create_measure,
        }
        return creators[kind](store, **changes)
    updaters: dict[str, Callable[..., Any]] = {
        "finding": api.update_finding,
        "action": api.update_action,
        "evidence": api.update_evidence,
        "visit": api.update_visit,
        "source": api.update_source,
        "measure": api.update_measure,
    }
    return updaters[kind](store, record_id, expected_version=version, **changes)


def is_stale(error: BaseException | None) -> bool:
    """Whether the store refused the save because someone saved the record first."""
    from store.errors import StaleRecord

    return isinstance(error, StaleRecord)


def shown(value: Any) -> str:
    """A field's value as the someone-saved-first question shows it."""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if value is None or value is False:
        return ""
    return "yes" if value is True else str(value)


def stale_rows(
    changes: dict[str, Any],
    theirs: dict[str, Any],
    labels: dict[str, str],
    names: dict[Any, str],
) -> list[tuple[str, str, str]]:
    """Each field this form changes that their saved version holds otherwise, as (label,
    theirs, mine); themes by name (``names``: theme id -> name)."""

    def said(name: str, value: Any) -> str:
        if name in ("theme", "focus_themes"):
            value = (
                [names.get(v, v) for v in value]
                if isinstance(value, list)
                else (names.get(value, value))
            )
        return shown(value)

    return [
        (labels.get(name, name), said(name, theirs.get(name)), said(name, value))
        for name, value in changes.items()
        if name in theirs and theirs.get(name) != value
    ]
