"""The plan's side of the newer-edits rule (issue 11; the rule itself, one owner for both
importers, is :mod:`store.importers.newer_edits`): an action's fields, as the history
keeps them and as the lead calls them.

A plan re-import never silently overwrites a newer edit: a field the sheet would change
that someone edited by hand since a plan import last wrote it is named ("row 3: would
overwrite action 1.2's due date, changed by Alex Khan ...") and nothing is imported,
unless the plan wins. A plan import's own writes are told from hand edits by their
transaction: they carry the same ``at`` and ``who`` as the one "import" entry naming the
file ("improvement plan NAME").
"""

from __future__ import annotations

from collections.abc import Iterable

from store.database import Store
from store.history import HistoryEntry
from store.importers import newer_edits
from store.importers.newer_edits import ImportKind, overwrite, shown
from store.importers.plan_cells import cut
from store.records import Action
from store.wording import Option

PLAN_IMPORT = "improvement plan "  # how the import entry of a plan names its file
PLAN = ImportKind("action", PLAN_IMPORT, "plan", Option.PLAN_WINS)

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
    return newer_edits.hand_edits(store, PLAN, action_ids)


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
        what = f"action {name}'s {_WORDS.get(field_name, field_name)}"
        now = shown(getattr(existing, field_name, None))
        said.append(overwrite(PLAN, what, entry, now, shown(planned)))
    return said
