"""A re-import never silently overwrites a newer edit (issue 11): the one rule the plan and
the scorecard importers both follow (their kinds: :data:`store.importers.plan_conflicts.PLAN`
and :data:`store.importers.scorecard_conflicts.SCORECARD`).

A field the re-import would change conflicts when the history shows it was last changed
by hand (in the app, on the command line, or any write that is not an import of that kind)
after an import of that kind last wrote that field (or, for a field no such import wrote,
after the first such import that wrote the record: created it, or updated one made by
hand). It goes by the field, not the record: a plan that leaves the due cell blank but
changes the owner writes the action, yet a hand edit of the due date made before it is
still newer than any due date a plan wrote, so a later sheet carrying the old date is
refused. A scorecard's fields are a measure's own (target, owner...) and its value for each
period. The import is then refused, all or nothing, naming each row, record and field,
unless the lead lets the sheet win. A field nobody edited by hand since is updated as
before; a cell the sheet leaves blank changes nothing, so overwrites nothing; a record no
such import ever wrote (made by hand, then matched by the sheet) has nothing to conflict
with.

An import's own writes are told from hand edits by their transaction: they carry the same
``at`` and ``who`` as the one "import" entry naming the file
(:func:`store.history_queries.import_entries`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from store.database import Store
from store.dates import format_date
from store.history import HistoryEntry
from store.history_queries import import_entries, record_writes
from store.importers.plan_cells import cut
from store.wording import Option, Phrase, phrase


def changed_fields(entry: HistoryEntry) -> list[str]:
    """The fields an entry wrote, by the names the history keeps them under."""
    return [change.field for change in entry.changes]


@dataclass(frozen=True)
class ImportKind:
    """An import the rule guards: what it writes, how its import entry names its file, what
    the lead calls it and the choice that lets it win."""

    kind: str  # the records it writes: "action", "measure"
    detail: str  # how its import entry names its file: "improvement plan "
    word: str  # "plan": "since the plan was last imported", "28 Feb 2019 in the plan"
    wins: Option  # the choice that lets its values go over newer edits
    ops: tuple[str, ...] = ("create", "edit")  # the history entries that write a record
    # The fields an entry of ``ops`` wrote: their names are the conflict keys.
    fields_of: Callable[[HistoryEntry], Iterable[str]] = changed_fields
    # How long before its import entry (by the same person) an import's own writes may be
    # dated in a history written before they shared its ``at`` (scorecard imports wrote
    # their records' entries as their savepoint committed, a moment before the import's).
    written_before: timedelta = timedelta(0)


@dataclass(frozen=True, order=True)
class NewerEdit:
    """A field a re-import would overwrite: its sheet row and the sentence naming it."""

    row: int
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.reason}"


def hand_edits(
    store: Store, source: ImportKind, record_ids: Iterable[int]
) -> dict[int, dict[str, HistoryEntry]]:
    """For each record, the fields (``source.fields_of`` names) last changed by a hand edit
    after an import of ``source`` last wrote that field (or, for a field no such import
    wrote, after the first such import that wrote the record), with that edit's entry.
    Records no such import wrote are left out. Inside a store transaction it reads in
    that transaction (``store.reading`` joins it)."""
    ids = sorted(set(record_ids))
    if not ids:
        return {}
    an_import_wrote = import_writes(store, source)
    if an_import_wrote is None:
        return {}
    writes: dict[int, list[HistoryEntry]] = {}
    for entry in record_writes(store, source.kind, ids, source.ops):
        writes.setdefault(entry.record_id or 0, []).append(entry)
    found: dict[int, dict[str, HistoryEntry]] = {}
    for record_id, entries in writes.items():
        edited: dict[str, HistoryEntry] = {}
        imported = False  # an import has written the record (oldest first)
        for entry in entries:
            if an_import_wrote(entry):
                imported = True
                for name in source.fields_of(entry):  # hand edits before are behind it
                    edited.pop(name, None)
            elif imported:  # hand edits before any import wrote the record do not count
                for name in source.fields_of(entry):
                    edited[name] = entry  # the latest hand edit of each field
        if edited:
            found[record_id] = edited
    return found


def import_writes(store: Store, source: ImportKind) -> Callable[[HistoryEntry], bool] | None:
    """Whether an entry is one an import of ``source`` wrote (its transaction's: the same
    ``at`` and ``who`` as its import entry, or up to ``source.written_before`` before it by
    the same person), or ``None`` when no such import was ever made."""
    imports = [e for e in import_entries(store, source.kind) if e.detail.startswith(source.detail)]
    if not imports:
        return None
    by_import = {(e.at, e.who) for e in imports}
    lately: dict[str, list[datetime]] = {}  # each importer's import times, in order
    if source.written_before:
        for e in imports:
            lately.setdefault(e.who, []).append(e.at)
        for times in lately.values():
            times.sort()

    def an_import_wrote(entry: HistoryEntry) -> bool:
        if (entry.at, entry.who) in by_import:
            return True
        times = lately.get(entry.who)
        if not times:
            return False
        after = bisect_left(times, entry.at)  # the importer's next import from then on
        return after < len(times) and times[after] - entry.at <= source.written_before

    return an_import_wrote


def overwrite(source: ImportKind, what: str, entry: HistoryEntry, now: str, new: str) -> str:
    """The sentence naming one newer edit: "would overwrite {what}, changed by Sam Patel on
    20 Jan 2019 since the plan was last imported ({now} in the store, {new} in the plan)";
    ``now`` and ``new`` as :func:`shown` says them."""
    word = source.word
    return (
        f"would overwrite {what}, changed by {entry.who or 'someone'} on {_day(entry.at)} "
        f"since the {word} was last imported ({now} in the store, {new} in the {word})"
    )


def refusal(source: ImportKind, name: str, edits: Iterable[object]) -> Phrase:
    """The refusal of an import of file ``name`` that would overwrite ``edits`` (each
    "row 3: would overwrite ...", one line each)."""
    lines = [str(edit) for edit in edits]
    count = "a newer edit" if len(lines) == 1 else f"{len(lines)} newer edits"
    said = "".join(f"\n{line}" for line in lines)
    return phrase(
        f"{name} would overwrite {count}, so nothing was imported:{said}\n"
        "Bring the sheet up to date with the store and import it again, or import it with ",
        source.wins, f" to write the {source.word}'s values over them.",
    )  # fmt: skip


def shown(value: object) -> str:
    """A field's value in a newer edit's sentence: 'text' quoted (as data), a date as the
    app writes it, "blank" for none."""
    if value is None or value == "":
        return "blank"
    if isinstance(value, date):
        return format_date(value)
    return f"'{cut(' '.join(str(value).split()), 40)}'"


def _day(at: datetime) -> str:
    return format_date(at.astimezone().date())
