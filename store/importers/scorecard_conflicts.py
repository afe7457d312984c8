"""The scorecard's side of the newer-edits rule (issue 11; the rule itself, one owner for both
importers, is :mod:`store.importers.newer_edits`): a measure's fields and its value for
each period, as the history keeps them and as the lead calls them.

A scorecard re-import never silently overwrites a newer edit: a field (target, owner...)
or a month's value the sheet would change that someone edited by hand since a scorecard
import last wrote it is named ("row 4: would overwrite the target of measure F3
'Re-referrals within 12 months', changed by Alex Khan ...") and nothing is imported,
unless the scorecard wins. A value the sheet leaves blank changes nothing. A scorecard
import's own writes are told from hand edits by their transaction: they carry the same
``at`` and ``who`` as the one "import" entry naming the file ("scorecard NAME (...)"); so
do the entries naming the values it added to each measure ("import" entries too, which is
how a measure made by hand counts as written by the scorecard once it added values to it).
A measure's links follow the plan's rule for links instead (:func:`link_history`): the
sheet removes only the links a scorecard made, and does not put back one removed by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from store.database import Store
from store.dates import format_date
from store.history import HistoryEntry
from store.history_queries import record_writes
from store.importers import newer_edits
from store.importers.newer_edits import ImportKind, overwrite, shown
from store.importers.plan_cells import cut
from store.measure_rules import format_number
from store.periods import period_label
from store.wording import Option

SCORECARD_IMPORT = "scorecard "  # how the import entry of a scorecard names its file
_VALUE = "measure value "  # a value's entry: "measure value 2018-04-01" (store.history)

# A measure's fields a scorecard writes, by the name the history keeps them under.
_WORDS = {
    "ref": "ref",
    "name": "name",
    "theme_id": "theme",
    "unit": "unit",
    "polarity": "direction (higher or lower is better)",
    "target": "target",
    "tolerance": "amber tolerance",
    "england": "England comparator",
    "neighbours": "statistical neighbours comparator",
    "comparator_year": "comparators' year",
    "owner": "owner",
    "frequency": "frequency",
    "definition": "definition",
}
_NUMBERS = ("target", "tolerance", "england", "neighbours")


def value_field(period: date | str) -> str:
    """The conflict key of a measure's value for one period: "value 2018-04-01"."""
    return f"value {period.isoformat() if isinstance(period, date) else period}"


def _fields_of(entry: HistoryEntry) -> list[str]:
    """A measure entry's fields: its own (``target``, ``theme_id``...), or for a value's
    entry the value of its period, when the value itself changed (not only its note)."""
    if entry.detail.startswith(_VALUE):
        period = entry.detail.removeprefix(_VALUE).strip()
        return [value_field(period)] if any(c.field == "value" for c in entry.changes) else []
    return [change.field for change in entry.changes]


# A value entered by hand is an "update" entry; the values a scorecard added are an
# "import" entry of the measure's (added in one statement, not heard row by row). Before
# issue 11's rule, a scorecard import's records had their entries written as its savepoint
# committed, a moment before its import entry: still its own writes, not hand edits.
SCORECARD = ImportKind(
    "measure",
    SCORECARD_IMPORT,
    "scorecard",
    Option.SCORECARD_WINS,
    ops=("create", "edit", "update", "import"),
    fields_of=_fields_of,
    written_before=timedelta(seconds=5),
)


def hand_edits(store: Store, measure_ids: Iterable[int]) -> dict[int, dict[str, HistoryEntry]]:
    """For each measure, the fields and values (``target``, ``value 2018-04-01``...) last
    changed by hand after a scorecard import last wrote them (see the rule), with that
    edit's entry. Measures no scorecard import wrote are left out."""
    return newer_edits.hand_edits(store, SCORECARD, measure_ids)


def link_history(
    store: Store, measure_ids: Iterable[int]
) -> tuple[dict[tuple[int, str, int], HistoryEntry], Callable[[HistoryEntry], bool]]:
    """The latest link or unlink entry of each of these measures' links to an action or a
    finding, by (measure id, "action" or "finding", its id), and whether an entry is one a
    scorecard import wrote. A link's entry names the measure first (store.history)."""
    latest: dict[tuple[int, str, int], HistoryEntry] = {}
    for entry in record_writes(store, "measure", measure_ids, ("link", "unlink")):
        if entry.record_id is not None and entry.other_id is not None:
            latest[(entry.record_id, entry.other_kind, entry.other_id)] = entry
    wrote = newer_edits.import_writes(store, SCORECARD)
    return latest, wrote if wrote is not None else (lambda _entry: False)


def link_kept(measure: str, kind: str, ref: str, entry: HistoryEntry | None) -> str:
    """A link the sheet does not list that the import leaves: no scorecard made it."""
    by = f"by {entry.who or 'someone'} on {_day(entry)}" if entry else "before the history began"
    return (
        f"{measure} stays linked to {kind} {ref}: not in the scorecard, but linked by hand "
        f"{by} (unlink it by hand if it should go)"
    )


def link_not_relinked(measure: str, kind: str, ref: str, entry: HistoryEntry) -> str:
    """A link the sheet lists that someone removed by hand: it stays removed (the plan's
    rule for a finding it lists that was unlinked by hand)."""
    return (
        f"{measure} is not linked to {kind} {ref} again: unlinked by {entry.who or 'someone'} "
        f"on {_day(entry)}, though the scorecard lists it (link it by hand to put it back)"
    )


def _day(entry: HistoryEntry) -> str:
    return format_date(entry.at.astimezone().date())


def measure_named(ref: str, name: str) -> str:
    """ "measure F3 'Re-referrals within 12 months'" (the name as data, in quotes)."""
    return f"measure {ref} '{cut(' '.join(name.split()), 40)}'"


def field_conflicts(
    measure: str,
    unit: str,
    changes: dict[str, tuple[object, object]],
    edits: dict[str, HistoryEntry],
    themes: dict[int, str],
) -> list[str]:
    """What the sheet's ``changes`` (field -> (in the store, in the sheet)) to ``measure``
    (:func:`measure_named`) would overwrite of the hand ``edits``, one sentence each."""
    said = []
    for name, (now, new) in changes.items():
        entry = edits.get(name)
        if entry is None:
            continue
        what = f"the {_WORDS.get(name, name.replace('_', ' '))} of {measure}"
        said.append(
            overwrite(SCORECARD, what, entry, _shown(name, now, unit, themes),
                      _shown(name, new, unit, themes))
        )  # fmt: skip
    return said


def value_conflict(
    measure: str,
    unit: str,
    frequency: str,
    period: date,
    now: float | None,
    new: float,
    edits: dict[str, HistoryEntry],
) -> str | None:
    """The sentence for a period's value the sheet would change (``now`` None: there is
    none in the store) when someone entered, changed or removed it by hand since."""
    entry = edits.get(value_field(period))
    if entry is None:
        return None
    what = f"the {period_label(period, frequency)} value of {measure}"
    return overwrite(SCORECARD, what, entry, _number(now, unit), _number(new, unit))


def _number(value: float | None, unit: str) -> str:
    return format_number(value, unit) if value is not None else "blank"


def _shown(name: str, value: object, unit: str, themes: dict[int, str]) -> str:
    if name == "theme_id":
        return shown(themes.get(value, "") if isinstance(value, int) else "")
    if name in _NUMBERS and (value is None or isinstance(value, int | float)):
        return _number(value, unit)  # the tolerance too: it is in the measure's unit
    return shown(value)
