"""What a list says about itself: its filters in words, and the highlighted record's line.

``describe_filters`` makes the title's words ("Actions — overdue, BRAG red"); ``preview``
the ref and whole title under the rows. The list screen (:mod:`tui.screens.lists`) shows
them. Nothing here imports Textual.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from tui.text import safe

ID_FILTERS = {
    "source_id": "source",
    "finding_id": "finding",
    "action_id": "action",
    "evidence_id": "evidence",
}


def kept_filters(filters: dict[str, Any]) -> dict[str, Any]:
    """The filters that select something (``ours=False`` does: other councils' findings)."""
    return {
        k: v
        for k, v in filters.items()
        if v not in (None, False, "") or (k == "ours" and v is False)
    }


def ref_title(record: Any) -> str:
    ref = getattr(record, "ref", "")
    return f"{ref} {record.title}".strip() if ref else record.title


def as_tuple(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def describe_filters(filters: dict[str, Any], names: dict[str, str] | None = None) -> list[str]:
    """The active filters in words, in a steady order ("overdue", "BRAG red", ...).

    ``names`` gives the ref/title of records named by id (``source_id`` etc.).
    """
    from store.gaps import NEEDS_ACTION_KINDS, NEEDS_ACTION_STATUSES

    names = names or {}
    words: list[str] = []
    filters = dict(filters)
    if (
        filters.get("without_action")
        and as_tuple(filters.get("status")) == NEEDS_ACTION_STATUSES
        and as_tuple(filters.get("kind")) == NEEDS_ACTION_KINDS
    ):
        # The dashboard's gap: findings that need an action and have none. Say it so.
        for key in ("without_action", "status", "kind"):
            del filters[key]
        words.append("needing an action, with none")
    stale_days = filters.pop("stale_days", None)
    ours = filters.pop("ours", None)
    if ours is False:
        words.append("from other councils' reports")
    for key, value in filters.items():
        if value in (None, False, "", [], ()):
            continue
        if key == "overdue":
            words.append("overdue")
        elif key == "due_within":
            words.append(f"due within {value} days")
        elif key == "brag":
            values = [value] if isinstance(value, str) else list(value)
            words.append("BRAG " + " or ".join(v.lower() for v in values))
        elif key == "status":
            values = [value] if isinstance(value, str) else list(value)
            words.append("status " + " or ".join(values))
        elif key == "kind":
            values = [value] if isinstance(value, str) else list(value)
            words.append("kind " + " or ".join(values))
        elif key == "theme":
            words.append(f"theme {value}")
        elif key == "owner":
            words.append(f"owner “{value}”")
        elif key == "text":
            words.append(f"matching “{value}”")
        elif key == "without_action":
            words.append("no action")
        elif key == "without_evidence":
            words.append("no evidence")
        elif key == "without_finding":
            words.append("no finding")
        elif key == "stale":
            words.append(f"out of date (review due, or older than {stale_days} days with no review date)"
                         if stale_days is not None else "out of date")  # fmt: skip
        elif key == "missing":
            words.append("file missing")
        elif key == "unlinked":
            words.append("not linked")
        elif key in ID_FILTERS:
            name = names.get(key, f"#{value}")
            words.append(
                {
                    "source_id": f"from {name}",
                    "finding_id": f"for finding {name}",
                    "action_id": f"for action {name}",
                    "evidence_id": f"shown by {name}",
                }[key]
            )
        else:
            words.append(f"{key.replace('_', ' ')} {value}")
    return words


def preview(record: Any) -> Text:
    """A record's ref and whole title (two lines at most) for the line under a list."""
    if record is None:
        return Text("")
    text = Text()
    ref = getattr(record, "ref", "")
    if ref:
        text.append(safe(ref) + "  ", style="bold")
    text.append(safe(record.title))
    return text
