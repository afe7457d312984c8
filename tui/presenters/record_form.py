"""What each record form asks, and what it shows: the presenters behind the record form.

``FORMS`` lists each kind's fields (the store's name for each, its label, how it is typed
in); ``load_form`` reads what a form needs from the store (in a thread worker);
``record_values`` turns a record into the values its form shows (dates as dd/mm/yyyy, a
theme as its id). The screen (:mod:`tui.screens.record_form`) lays them out, and saves.
Nothing here imports Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from store import measure_rules, vocab
from store.periods import FREQUENCIES

KINDS = ("finding", "action", "evidence", "visit", "source", "measure")
KIND_NAMES = {
    "finding": "finding",
    "action": "action",
    "evidence": "evidence item",
    "visit": "visit",
    "source": "source",
    "measure": "measure",
}
DATE_PLACEHOLDER = "dd/mm/yyyy"


@dataclass(frozen=True)
class Field:
    """One field of a form: the store's name for it, and how it is typed in."""

    name: str
    label: str
    widget: str = "text"  # text | date | number | choice | long | flag | themes
    choices: str | tuple[tuple[str, Any], ...] = ()  # or "themes" / "sources", loaded
    required: bool = False
    allow_blank: bool = False
    hint: str = ""


def options(values: tuple[str, ...], meaning: dict[str, str] | None = None) -> tuple:
    if meaning:
        return tuple((f"{v.title()} ({meaning[v]})", v) for v in values)
    return tuple((v[:1].upper() + v[1:], v) for v in values)


FORMS: dict[str, tuple[Field, ...]] = {
    "finding": (
        Field("title", "Short title", required=True),
        Field("ref", "Ref", hint="e.g. R3 or MV2-4"),
        Field("theme", "Theme", "choice", "themes", allow_blank=True),
        Field("kind", "Kind", "choice", options(vocab.FINDING_KINDS)),
        Field("status", "Status", "choice", options(vocab.FINDING_STATUSES)),
        Field("judgement_area", "Judgement area"),
        Field("source_id", "Source", "choice", "sources", allow_blank=True),
        Field("text", "Finding text (verbatim)", "long"),
    ),
    "action": (
        Field("title", "Title", required=True),
        Field("ref", "Ref", hint="Leave blank on a new action for the next ref in the plan"),
        Field("theme", "Theme", "choice", "themes", allow_blank=True),
        Field("owner", "Owner"),
        Field("due_date", "Due date", "date"),
        Field("brag", "BRAG", "choice", options(vocab.BRAG, vocab.BRAG_MEANING)),
        Field("success_measure", "Success measure", "long"),
        Field("description", "Description", "long"),
        Field("opened_on", "Opened on", "date"),
        Field("closed_on", "Closed on", "date"),
    ),
    "evidence": (
        Field("title", "Title", required=True),
        Field("kind", "Kind", "choice", options(vocab.EVIDENCE_KINDS)),
        Field("owner", "Owner"),
        Field("location", "Location", hint="A file path or URL"),
        Field("as_of", "As of", "date"),
        Field("review_by", "Review by", "date"),
        Field("personal_data", "Contains personal data", "flag"),
        Field("impact", "Impact statement", "long"),
    ),
    "visit": (
        Field("title", "Title", required=True),
        Field("kind", "Kind", "choice", options(vocab.VISIT_KINDS)),
        Field("start_date", "Start date", "date", required=True),
        Field("end_date", "End date", "date"),
        Field(
            "focus_themes",
            "Focus themes",
            "themes",
            "themes",
            hint="Space ticks a theme; type its first letters to jump to it (su: Supervision…)",
        ),
        Field("notes", "Notes", "long"),
    ),
    "source": (
        Field("title", "Title", required=True),
        Field("kind", "Kind", "choice", options(vocab.SOURCE_KINDS)),
        Field("local_authority", "Local authority"),
        Field("framework", "Framework", "choice", options(vocab.FRAMEWORKS), allow_blank=True),
        Field("start_date", "Start date", "date"),
        Field("end_date", "End date", "date"),
        Field("published_date", "Published", "date"),
        Field("lead_inspector", "Lead inspector"),
        Field("url", "URL"),
        Field("file_path", "File"),
        Field(
            "ours",
            "Our council's own",
            "flag",
            hint="Untick for another council's report, kept to search and learn from: its "
            "findings are never in a pack or the gaps",
        ),
    ),
    "measure": (
        Field("name", "Name", required=True),
        Field("ref", "Ref", required=True, hint="e.g. A1"),
        Field("theme", "Theme", "choice", "themes", allow_blank=True),
        Field("unit", "Unit", "choice", tuple((u, u) for u in measure_rules.UNITS)),
        Field("polarity", "Better is", "choice", (("Higher", "higher"), ("Lower", "lower"))),
        Field("frequency", "Frequency", "choice", options(FREQUENCIES)),
        Field("target", "Target", "number"),
        Field(
            "tolerance",
            "Amber tolerance",
            "number",
            hint="How far short of the target is still Amber, in the measure's unit",
        ),
        Field("england", "England", "number"),
        Field("neighbours", "Statistical neighbours", "number"),
        Field("comparator_year", "Comparators' year", hint="e.g. 2017-18"),
        Field("owner", "Owner"),
        Field("definition", "Definition", "long"),
    ),
}

# What a new record starts with (the store's own defaults, made visible).
NEW_DEFAULTS: dict[str, dict[str, Any]] = {
    "finding": {"kind": "improvement area", "status": "open"},
    "action": {"brag": "green"},
    "evidence": {"kind": "other"},
    "visit": {"kind": "monitoring visit"},
    "source": {"kind": "inspection", "ours": True},
    "measure": {"unit": "%", "polarity": "higher", "frequency": "monthly"},
}


def date_text(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _number_text(value: float | None) -> str:
    """A measure's number as typed: 90, 17.5; "" for none."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def theme_id(themes: list[Any], name: str) -> int | None:
    """A theme named in full or by a unique start (as the store reads them), or None."""
    wanted = name.strip().lower()
    exact = [t.id for t in themes if t.name.lower() == wanted]
    starts = [t.id for t in themes if t.name.lower().startswith(wanted)]
    return (exact or starts)[0] if exact or len(starts) == 1 else None


def load_form(
    store: Any, kind: str, record_id: int | None, defaults: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Everything the form needs from the store (runs in a thread worker)."""
    import store as api

    data: dict[str, Any] = {"themes": api.list_themes(store), "sources": [], "record": None}
    data["today"] = store.today
    if kind == "finding":
        data["sources"] = api.list_sources(store)
    if kind == "action" and record_id is None:
        from store.actions import next_action_ref

        # What a blank ref becomes, shown greyed: the numbering of what the action is for.
        given = defaults or {}
        data["next_ref"] = next_action_ref(
            store, finding_ids=given.get("finding_ids", ()), theme=given.get("theme")
        )
    if record_id is not None:
        getter = {
            "finding": api.get_finding,
            "action": api.get_action,
            "evidence": api.get_evidence,
            "visit": api.get_visit,
            "source": api.get_source,
            "measure": api.get_measure,
        }[kind]
        data["record"] = getter(store, record_id)
    return data


def record_values(kind: str, record: Any, themes: list[Any]) -> dict[str, Any]:
    """A record's values as the form shows them (dates as dd/mm/yyyy, theme as its id)."""
    values: dict[str, Any] = {}
    for spec in FORMS[kind]:
        if spec.name == "theme":
            values["theme"] = record.theme_id
        elif spec.name == "focus_themes":
            by_name = {t.name: t.id for t in themes}
            values["focus_themes"] = [by_name[n] for n in record.focus_themes if n in by_name]
        else:
            value = getattr(record, spec.name)
            if spec.widget == "date":
                value = date_text(value)
            elif spec.widget == "number":
                value = _number_text(value)
            values[spec.name] = value
    return values
