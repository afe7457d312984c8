"""A plan re-import never silently overwrites a newer edit (issue 11).

A field the re-import would change conflicts when the history shows it was last changed
by hand (in the app, or any write that is not a plan import) after a plan import last
wrote that field (or, for a field no plan import wrote, after the first plan import that
wrote the action: created it, or updated one made by hand). It goes by the field, not the
action: a plan that leaves the due cell blank but changes the owner writes the action, yet
a hand edit of the due date made before it is still newer than any due date a plan wrote,
so a later sheet carrying the old date is refused. The import is then refused, all or
nothing, naming each row, action and field, unless the lead lets the plan win. A field
nobody edited by hand since is updated as before; an action no plan import ever wrote
(made by hand, then matched by the plan) has nothing to conflict with.

A plan import's own writes are told from hand edits by their transaction: they carry the
same ``at`` and ``who`` as the one "import" entry naming the file ("improvement plan
NAME", :func:`store.history_queries.import_entries`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from store.database import Store
from store.dates import format_date
from store.history import HistoryEntry
from store.history_queries import import_entries, record_writes
from store.importers.plan_cells import cut
from store.records import Action

PLAN_IMPORT = "improvement plan "  # how the import entry of a plan names its file

# The action's fields a plan writes, by the name the history keeps them under.
_HISTORY_FIELD = {"theme": "theme_id"}
_WORDS = {
    "title": "title",
    "description": "description",
    "owner": "owner",
    "due_date": "due date",
    "success_measure": "success measure",
    "theme": "theme",
}


def hand_edits(store: Store, action_ids: Iterable[int]) -> dict[int, dict[str, HistoryEntry]]:
    """For each action, the fields (history names: ``due_date``, ``theme_id``...) last
    changed by a hand edit after a plan import last wrote that field (or, for a field no
    plan import wrote, after the first plan import that wrote the action), with that
    edit's entry. Actions no plan import wrote are left out."""
    ids = sorted(set(action_ids))
    if not ids:
        return {}
    by_plan = {
        (e.at, e.who) for e in import_entries(store, "action") if e.detail.startswith(PLAN_IMPORT)
    }
    if not by_plan:
        return {}
    writes: dict[int, list[HistoryEntry]] = {}
    for entry in record_writes(store, "action", ids):
        writes.setdefault(entry.record_id or 0, []).append(entry)
    found: dict[int, dict[str, HistoryEntry]] = {}
    for action_id, entries in writes.items():
        edited: dict[str, HistoryEntry] = {}
        by_a_plan = False  # a plan import has written the action (oldest first)
        for entry in entries:
            if (entry.at, entry.who) in by_plan:
                by_a_plan = True
                for change in entry.changes:  # the plan wrote it: hand edits before are behind
                    edited.pop(change.field, None)
            elif by_a_plan:  # hand edits before any plan import wrote the action do not count
                for change in entry.changes:
                    edited[change.field] = entry  # the latest hand edit of each field
        if edited:
            found[action_id] = edited
    return found


def conflicts(
    existing: Action, changes: dict[str, object], edits: dict[str, HistoryEntry]
) -> list[str]:
    """What the plan's ``changes`` to ``existing`` would overwrite of the hand ``edits``
    (:func:`hand_edits`), one sentence each: "would overwrite action 1.2's due date,
    changed by Sam Patel on 20 Jan 2019 since the plan was last imported (31 Mar 2019 in
    the store, 28 Feb 2019 in the plan)"."""
    said = []
    name = existing.ref or f"'{cut(existing.title, 40)}'"
    for field_name, planned in changes.items():
        entry = edits.get(_HISTORY_FIELD.get(field_name, field_name))
        if entry is None:
            continue
        now = _value(getattr(existing, field_name, None))
        said.append(
            f"would overwrite action {name}'s {_WORDS.get(field_name, field_name)}, changed "
            f"by {entry.who or 'someone'} on {_day(entry.at)} since the plan was last "
            f"imported ({now} in the store, {_value(planned)} in the plan)"
        )
    return said


def _day(at: datetime) -> str:
    return format_date(at.astimezone().date())


def _value(value: object) -> str:
    if value is None or value == "":
        return "blank"
    if isinstance(value, date):
        return format_date(value)
    return f"'{cut(' '.join(str(value).split()), 40)}'"
