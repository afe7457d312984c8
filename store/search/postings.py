"""The index's records and postings: what a record is as given and as kept, a query
word's match levels, and the bitmaps (a Python int, one bit per slot) everything is
counted with."""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from sys import intern
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from store.search.query import Query

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """One record as the index sees it.

    ``title`` and ``ref`` rank as title; ``body`` (the snippet is cut from it) and
    ``extra`` (owner, theme, source, ...) rank as body. ``theme``, ``brag``, ``source``
    and ``due_date`` feed the filters and are handed back on each hit for display.
    """

    kind: str
    id: int
    title: str
    body: str = ""
    ref: str = ""
    extra: str = ""
    theme: str = ""
    brag: str = ""
    source: str = ""
    due_date: date | None = None


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A record that matched, best first. Spans are ``(start, end)`` offsets into
    ``title`` and ``snippet`` of the words to highlight. ``score`` is in (0, 1] and only
    compares hits of the same query."""

    kind: str
    id: int
    ref: str
    title: str
    snippet: str
    score: float
    title_spans: tuple[Span, ...]
    snippet_spans: tuple[Span, ...]
    theme: str = ""
    brag: str = ""
    source: str = ""
    due_date: date | None = None
    overdue: bool = False
    # False for another council's report or one of its findings (imported to learn from);
    # set by ``store.search.search``, which knows whose each source is.
    ours: bool = True
    # Its ref or whole title is exactly what was typed: always first (pickers, palette).
    exact: bool = False


class _Stored:
    """A record as the index keeps it: the long texts as UTF-8 bytes, half the memory of
    the reports' text as Python strings (their curly quotes make every character two
    bytes). Reads like a SearchDoc; texts are decoded when asked for (hits, edits)."""

    __slots__ = (
        "_body",
        "_extra",
        "_title",
        "brag",
        "due_date",
        "id",
        "kind",
        "ref",
        "source",
        "theme",
    )  # fmt: skip

    def __init__(
        self,
        kind: str,
        record_id: int,
        title: bytes,
        body: bytes,
        ref: str,
        extra: bytes,
        theme: str,
        brag: str,
        source: str,
        due_date: date | None,
    ) -> None:
        self.kind = kind
        self.id = record_id
        self._title = title
        self._body = body
        self.ref = ref
        self._extra = extra
        self.theme = theme
        self.brag = brag
        self.source = source
        self.due_date = due_date

    @classmethod
    def of(cls, doc: SearchDoc) -> _Stored:
        return cls(
            intern(doc.kind), doc.id, doc.title.encode(), doc.body.encode(), doc.ref,
            doc.extra.encode(), intern(doc.theme), intern(doc.brag), intern(doc.source),
            doc.due_date,
        )  # fmt: skip

    @property
    def title(self) -> str:
        return self._title.decode()

    @property
    def body(self) -> str:
        return self._body.decode()

    @property
    def extra(self) -> str:
        return self._extra.decode()

    def doc(self) -> SearchDoc:
        return SearchDoc(
            self.kind, self.id, self.title, self.body, self.ref, self.extra, self.theme,
            self.brag, self.source, self.due_date,
        )  # fmt: skip

    def row(self) -> tuple[object, ...]:
        """Plain data for saving (see :meth:`SearchIndex.to_bytes`)."""
        due = self.due_date.toordinal() if self.due_date else 0
        return (self.kind, self.id, self._title, self._body, self.ref, self._extra,
                self.theme, self.brag, self.source, due)  # fmt: skip


@dataclass(slots=True)
class _WordMatch:
    """What one query word matched: exclusive (points, bitmap) pairs, best first."""

    levels: list[tuple[int, int]]
    any: int
    terms: frozenset[str]


def _bitmap(slots: Iterable[int], size: int) -> int:
    buf = bytearray((size >> 3) + 1)
    for slot in slots:
        buf[slot >> 3] |= 1 << (slot & 7)
    return int.from_bytes(buf, "little")


def _slots_of(bits: int, limit: int | None = None) -> list[int]:
    """Set bits, lowest first (at most ``limit``)."""
    out: list[int] = []
    while bits and (limit is None or len(out) < limit):
        low = bits & -bits
        out.append(low.bit_length() - 1)
        bits ^= low
    return out


def _add_planes(acc: list[int], value: list[int]) -> None:
    """acc += value, both bit-sliced (plane b = bitmap of records with bit b set)."""
    carry = 0
    for b in range(len(acc)):
        v = value[b] if b < len(value) else 0
        if not v and not carry:
            if b >= len(value):
                return
            continue
        a = acc[b]
        acc[b] = a ^ v ^ carry
        carry = (a & v) | (carry & (a ^ v))


def _contains_run(seq: list[int], words: list[int]) -> bool:
    """Does ``words`` occur as a contiguous run in ``seq``?"""
    first, n = words[0], len(words)
    start = 0
    try:
        while True:
            i = seq.index(first, start)
            if seq[i : i + n] == words:
                return True
            start = i + 1
    except ValueError:
        return False


class _IndexState:
    """What the index holds, for the parts of it written in their own modules."""

    _lock: threading.RLock
    _docs: list[SearchDoc | _Stored | None]
    _slot_of: dict[tuple[str, int], int]
    _free: list[int]
    _terms: list[str]
    _term_id: dict[str, int]
    _title: list[array | int]
    _body: list[array | int]
    _surfaces: list[str]
    _surface_term: dict[str, str]
    _live: int
    _masks: dict[tuple[str, str], int]
    _due: dict[int, date]
    _ids: dict[str, int]
    _version: int
    _words: OrderedDict[tuple[str, str, bool, str], _WordMatch]
    _derived: dict[object, object]
    _dense_at: int
    _buckets: dict[int, list[str]]
    _df_counts: tuple[list[int], list[int]] | None
    _stop_ids: frozenset[int]
    _phrases_by_key: dict[int, list[tuple[list[int], int]]]
    _phrase_keys: frozenset[int]

    if TYPE_CHECKING:  # written in the modules that own them (vocabulary, index)

        def _units(self, parsed: Query) -> list[tuple[str, str, bool, str]]: ...

        def _hit(
            self, slot: int, score: float, terms: frozenset[str], today: date
        ) -> SearchHit: ...

        def _setup_vocabulary(self) -> None: ...
