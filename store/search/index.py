"""The in-memory search index: typo-tolerant, prefix-aware, ranked, with highlights.

How it stays fast at 100,000 records in pure Python:

* Each record gets a *slot*. Each distinct term has two posting lists (title, body):
  an ``array('I')`` of slots while short, a bitmap (a Python int, one bit per slot)
  once common. Big-int ``&``, ``|`` and ``bit_count`` run in C over 64 slots at a time.
* A query word is matched against the *vocabulary* (tens of thousands of distinct
  terms, not records): exactly, as a prefix (the word still being typed) and within
  one or two edits (rapidfuzz OSA distance, so a swap counts once).
* The score of every record is added up *bit-sliced*: plane ``b`` is a bitmap of the
  records whose score has bit ``b`` set, and a word's contribution is added with a
  ripple-carry adder made of bitwise operations. The top ``limit`` records are then
  read off the planes from the highest bit down, without looking at the others.
* Snippets and highlight spans are computed for the returned hits only.

Ranking, per query word: a match in the title beats one in the body, a whole word beats
a completed prefix, which beats one edit, which beats two. Records matching more of the
query's words always rank above records matching fewer.
"""

from __future__ import annotations

import bisect
import marshal
import re
import struct
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from itertools import pairwise
from sys import intern
from typing import Any, cast

from rapidfuzz import process
from rapidfuzz.distance import OSA

from store.collector import collector_paused
from store.overdue import is_overdue
from store.search.query import KINDS, Query, parse_query
from store.search.text import (
    ABBREVIATIONS,
    ALIASES,
    PHRASE_LIST,
    STOPWORDS,
    WORD,
    fold,
    phrase_spans,
    stem,
    term,
    tokens,
)

Span = tuple[int, int]

# Points for one query word, (in the title, in the body), by how it matched.
EXACT = (12, 8)
PREFIX = (10, 6)
FUZZY_1 = (8, 5)
FUZZY_2 = (6, 3)
PREFIX_FUZZY = (5, 2)
# Two query words found next to each other (at most two words between them, "voice of
# the child"), as typed: "county lines" is a phrase, not "county" here and "lines" there.
PHRASE = 8
_MAX_POINTS = EXACT[0]
_MAX_WORDS = 12

# A word still being typed completes to at most this many postings held as arrays
# (bitmaps are free): keeps the first keystrokes ("c", "ca") cheap.
_SPARSE_BUDGET = 40_000
# Records with every query word that are checked for the words standing together: the
# best-scoring ones only, so that a common pair of words costs a few milliseconds.
_PHRASE_POOL = 250
# A query word matching more spellings than this is looked for as a prefix in the text.
_PHRASE_SPELLINGS = 60
_SNIPPET_WIDTH = 160
_CACHE_WORDS = 64
_FORMAT = 3  # 2: texts kept as UTF-8 bytes; 3: saved in pieces
# Records (or terms' postings) per marshalled piece of a saved index. One marshal.loads of a
# whole 100,000-record index holds the interpreter for 0.2 s, and the UI thread with it (a
# stuck cursor while the index loads behind a list); a piece takes a few milliseconds.
_PIECE = 4096
_LENGTH = struct.Struct("<Q")


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


class _TermIds(dict[str, int]):
    """raw word -> term id, computed once per distinct spelling."""

    def __init__(self, index: SearchIndex) -> None:
        super().__init__()
        self._tid = index._tid

    def __missing__(self, raw: str) -> int:
        value = self[raw] = self._tid(term(raw))
        return value


class SearchIndex:
    """A search index over findings, actions, evidence and sources.

    Build it with :meth:`build`, keep it current with :meth:`upsert` and :meth:`remove`,
    query it with :meth:`search`. Safe to share between threads: one lock guards it.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        # A record as given (after a build) or compact (loaded, or edited since).
        self._docs: list[SearchDoc | _Stored | None] = []
        self._slot_of: dict[tuple[str, int], int] = {}
        self._free: list[int] = []
        self._terms: list[str] = []
        self._term_id: dict[str, int] = {}
        self._title: list[array | int] = []
        self._body: list[array | int] = []
        self._surfaces: list[str] = []  # sorted folded spellings, for prefixes
        self._surface_term: dict[str, str] = {}
        self._live = 0
        self._masks: dict[tuple[str, str], int] = {}  # ("kind", "action") -> bitmap
        self._due: dict[int, date] = {}
        self._ids = _TermIds(self)
        self._version = 0
        self._words: OrderedDict[tuple[str, str, bool, str], _WordMatch] = OrderedDict()
        self._derived: dict[object, object] = {}  # per-version caches (overdue masks)
        self._dense_at = 256
        self._buckets: dict[int, list[str]] = {}
        self._df_counts: tuple[list[int], list[int]] | None = None  # per term, when asked
        self._setup_vocabulary()

    def _setup_vocabulary(self) -> None:
        """Stopwords and phrase words get ids first, so documents can be reduced to ids."""
        for abbreviation in (*ABBREVIATIONS, *ALIASES):
            self._surface_term[abbreviation] = stem(abbreviation)
        self._surfaces = sorted(self._surface_term)
        tid = self._tid
        self._stop_ids = frozenset(tid(word) for word in STOPWORDS)
        self._phrases_by_key: dict[int, list[tuple[list[int], int]]] = {}
        for words, abbreviation, key in PHRASE_LIST:
            self._phrases_by_key.setdefault(tid(key), []).append(
                ([tid(w) for w in words], tid(abbreviation))
            )
        self._phrase_keys = frozenset(self._phrases_by_key)

    def _tid(self, word: str) -> int:
        """The id of a term, registering it if new."""
        tid = self._term_id.get(word)
        if tid is None:
            tid = self._term_id[word] = len(self._terms)
            self._terms.append(word)
            self._title.append(array("I"))
            self._body.append(array("I"))
            if self._df_counts is not None:
                self._df_counts[0].append(0)
                self._df_counts[1].append(0)
            if word.isalpha():
                self._buckets.setdefault(len(word), []).append(word)
        return tid

    # ------------------------------------------------------------------ building

    @classmethod
    def build(cls, docs: Iterable[SearchDoc]) -> SearchIndex:
        """A new index over ``docs`` (one pass; about 5 s per 100,000 records here)."""
        index = cls()
        # Until they are compacted below, every posting list is an array (none is a bitmap).
        title_lists = cast("list[array]", index._title)
        body_lists = cast("list[array]", index._body)
        mask_slots: dict[tuple[str, str], list[int]] = {}
        docs_list = index._docs
        slot_of = index._slot_of
        doc_terms = index._doc_terms
        # Millions of small sets and lists come and go here, none of them cyclic.
        with collector_paused():
            for slot, doc in enumerate(docs):
                # Kept as given: compacting here would cost the build ~0.3 s; the saved
                # index is compact, and loading it is what every later start does.
                docs_list.append(doc)
                slot_of[(doc.kind, doc.id)] = slot
                title_ids, body_ids = doc_terms(doc)
                for tid in title_ids:
                    title_lists[tid].append(slot)
                for tid in body_ids:
                    body_lists[tid].append(slot)
                for key in index._mask_keys(doc):
                    mask_slots.setdefault(key, []).append(slot)
                if doc.kind == "action" and doc.due_date is not None:
                    index._due[slot] = doc.due_date
        size = len(docs_list)
        index._dense_at = max(256, size // 48)
        index._title = [index._compact(a, size) for a in title_lists]
        index._body = [index._compact(a, size) for a in body_lists]
        index._live = (1 << size) - 1
        index._masks = {key: _bitmap(slots, size) for key, slots in mask_slots.items()}
        index._index_surfaces()
        return index

    def _compact(self, postings: array, size: int) -> array | int:
        return _bitmap(postings, size) if len(postings) > self._dense_at else postings

    def _doc_terms(self, doc: SearchDoc | _Stored) -> tuple[set[int], set[int]]:
        """The term ids of a record's title and body (body minus what the title has)."""
        title = self._field_ids(WORD.findall(f"{doc.ref} {doc.title}"))
        body = self._field_ids(WORD.findall(f"{doc.body}\n{doc.extra}"))
        body -= title
        return title, body

    def _field_ids(self, raw: list[str]) -> set[int]:
        seq = list(map(self._ids.__getitem__, raw))
        found = set(seq)
        keys = found & self._phrase_keys
        if keys:
            for key in keys:
                for words, abbreviation in self._phrases_by_key[key]:
                    if (
                        abbreviation not in found
                        and found.issuperset(words)
                        and _contains_run(seq, words)
                    ):
                        found.add(abbreviation)
        found -= self._stop_ids
        return found

    @staticmethod
    def _mask_keys(doc: SearchDoc | _Stored) -> list[tuple[str, str]]:
        keys = [("kind", doc.kind)]
        if doc.brag:
            keys.append(("brag", doc.brag))
        if doc.theme:
            keys.append(("theme", doc.theme))
        if doc.source:
            keys.append(("source", doc.source))
        return keys

    def _index_surfaces(self) -> None:
        for raw, tid in self._ids.items():
            self._surface_term.setdefault(fold(raw), self._terms[tid])
        self._surfaces = sorted(self._surface_term)

    # ------------------------------------------------------------------ updating

    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, key: tuple[str, int]) -> bool:
        return key in self._slot_of

    def get(self, kind: str, record_id: int) -> SearchDoc | None:
        """The indexed version of a record, or ``None``."""
        with self._lock:
            slot = self._slot_of.get((kind, record_id))
            stored = None if slot is None else self._docs[slot]
            return stored.doc() if isinstance(stored, _Stored) else stored

    def upsert(self, doc: SearchDoc) -> None:
        """Add a record, or replace what the index knows about it."""
        with self._lock:
            self._remove_slot(self._slot_of.get((doc.kind, doc.id)))
            slot = self._free.pop() if self._free else len(self._docs)
            stored = _Stored.of(doc)
            if slot == len(self._docs):
                self._docs.append(stored)
            else:
                self._docs[slot] = stored
            self._slot_of[(doc.kind, doc.id)] = slot
            before = len(self._ids)
            title_ids, body_ids = self._doc_terms(doc)
            if len(self._ids) != before:
                self._add_surfaces(doc)
            bit = 1 << slot
            counts = self._df_counts
            for field_ids, lists in ((title_ids, self._title), (body_ids, self._body)):
                for tid in field_ids:
                    postings = lists[tid]
                    sparse = 0
                    if isinstance(postings, int):
                        lists[tid] = postings | bit
                    else:
                        postings.append(slot)
                        sparse = 1
                        if len(postings) > self._dense_at:
                            lists[tid] = _bitmap(postings, len(self._docs))
                            sparse = 1 - len(postings)
                    if counts is not None:  # kept current: recounting costs ~40 ms
                        counts[0][tid] += 1
                        counts[1][tid] += sparse
            for key in self._mask_keys(doc):
                self._masks[key] = self._masks.get(key, 0) | bit
            if doc.kind == "action" and doc.due_date is not None:
                self._due[slot] = doc.due_date
            self._live |= bit
            self._changed()

    def _add_surfaces(self, doc: SearchDoc) -> None:
        for raw in WORD.findall(f"{doc.ref} {doc.title} {doc.body} {doc.extra}"):
            surface = fold(raw)
            if surface not in self._surface_term:
                self._surface_term[surface] = self._terms[self._ids[raw]]
                bisect.insort(self._surfaces, surface)

    def remove(self, kind: str, record_id: int) -> None:
        """Forget a record (nothing happens if the index does not have it)."""
        with self._lock:
            self._remove_slot(self._slot_of.get((kind, record_id)))
            self._changed()

    def _remove_slot(self, slot: int | None) -> None:
        if slot is None:
            return
        doc = self._docs[slot]
        assert doc is not None
        title_ids, body_ids = self._doc_terms(doc)
        bit = 1 << slot
        counts = self._df_counts
        for field_ids, lists in ((title_ids, self._title), (body_ids, self._body)):
            for tid in field_ids:
                postings = lists[tid]
                if isinstance(postings, int):
                    lists[tid] = postings & ~bit
                else:
                    postings.remove(slot)
                    if counts is not None:
                        counts[1][tid] -= 1
                if counts is not None:
                    counts[0][tid] -= 1
        for key in self._mask_keys(doc):
            self._masks[key] &= ~bit
        self._due.pop(slot, None)
        self._live &= ~bit
        del self._slot_of[(doc.kind, doc.id)]
        self._docs[slot] = None
        self._free.append(slot)

    def _changed(self) -> None:
        self._version += 1
        self._words.clear()
        self._derived.clear()

    # ------------------------------------------------------------------ searching

    def search(
        self,
        query: str | Query,
        *,
        limit: int = 50,
        kinds: Iterable[str] | None = None,
        today: date | None = None,
    ) -> list[SearchHit]:
        """The records matching ``query``, best first, at most ``limit`` of them.

        ``query`` may hold filters (see :func:`store.search.parse_query`); ``kinds``
        narrows further (e.g. ``{"finding"}`` for a link picker). ``today`` decides
        which actions are overdue (default: the real today).
        """
        parsed = parse_query(query) if isinstance(query, str) else query
        today = today or date.today()
        if limit <= 0:
            return []
        with self._lock:
            mask = self._filter_mask(parsed, kinds, today)
            if not mask:
                return []
            units = self._units(parsed)
            if not units:
                if not (parsed.has_filters or kinds):
                    return []
                slots = _slots_of(mask, limit)
                return [self._hit(slot, 0.0, frozenset(), today) for slot in slots]
            matches = [self._match(*unit) for unit in units]
            ranked = self._rank(matches, mask, limit, today, units)
            return self._exact_first(parsed, ranked, mask, limit, today)

    def _exact_first(
        self, parsed: Query, ranked: list[SearchHit], mask: int, limit: int, today: date
    ) -> list[SearchHit]:
        """Records whose ref or whole title is exactly what was typed, first, always.

        "3.4" typed in a picker must put action 3.4 above 3.1-3.3, which hold the same
        words; a lead presses enter on the top match. An exact match is found even when
        the ranking did not reach it.
        """
        typed = _exact_key(" ".join(parsed.words))
        if not typed:
            return ranked
        slots = [s for s in self._exact_slots().get(typed, ()) if (mask >> s) & 1]
        if not slots:
            return ranked
        terms = frozenset(t for unit in self._units(parsed) for t in (unit[1],))
        first = [replace(self._hit(slot, 1.0, terms, today), exact=True) for slot in slots]
        keys = {(hit.kind, hit.id) for hit in first}
        return (first + [hit for hit in ranked if (hit.kind, hit.id) not in keys])[:limit]

    def _exact_slots(self) -> dict[str, list[int]]:
        """Slots by folded ref and by folded whole title (kept per index version)."""
        cached = self._derived.get("exact")
        if cached is None:
            table: dict[str, list[int]] = {}
            for slot, doc in enumerate(self._docs):
                if doc is None:
                    continue
                for key in {_exact_key(doc.ref), _exact_key(doc.title)}:
                    if key:
                        table.setdefault(key, []).append(slot)
            cached = self._derived["exact"] = table
        return cached  # type: ignore[return-value]

    def _rank(
        self,
        matches: list[_WordMatch],
        mask: int,
        limit: int,
        today: date,
        units: list[tuple[str, str, bool, str]] | None = None,
    ) -> list[SearchHit]:
        n = len(matches)
        coverage = _MAX_POINTS * n  # one more word matched outweighs any points
        top_score = n * (coverage + _MAX_POINTS) + PHRASE * (n - 1)
        planes = [0] * top_score.bit_length()
        candidates = 0
        for match in matches:
            value = [0] * len(planes)
            for points, bits in match.levels:
                v = coverage + points
                b = 0
                while v:
                    if v & 1:
                        value[b] |= bits
                    v >>= 1
                    b += 1
            _add_planes(planes, value)
            candidates |= match.any
        candidates &= mask
        size = (len(self._docs) >> 3) + 1
        plane_bytes = [p.to_bytes(size, "little") for p in planes]

        def score(slot: int) -> int:
            byte, bit = slot >> 3, slot & 7
            return sum(((pb[byte] >> bit) & 1) << b for b, pb in enumerate(plane_bytes))

        full = candidates
        for match in matches:
            full &= match.any
        patterns = self._pair_patterns(matches, units) if n > 1 and full else []
        if patterns:
            # Every record here has all the words, so outranks any record without; among
            # them, words standing together as typed earn PHRASE points a pair.
            pool = self._top(planes, full, max(limit, _PHRASE_POOL))
            docs = self._docs
            ranked = []
            for slot in pool:
                doc = docs[slot]
                assert doc is not None
                title, body = doc.title, doc.body
                pairs = sum(1 for p in patterns if p.search(title) or p.search(body))
                ranked.append((score(slot) + PHRASE * pairs, slot))
            ranked.sort(key=lambda x: (-x[0], x[1]))
            ranked = ranked[:limit]
            if len(ranked) < limit:
                rest = self._top(planes, candidates & ~full, limit - len(ranked))
                ranked += sorted(((score(s), s) for s in rest), key=lambda x: (-x[0], x[1]))
        else:
            chosen = self._top(planes, candidates, limit)
            ranked = sorted(((score(slot), slot) for slot in chosen), key=lambda x: (-x[0], x[1]))
        terms = frozenset().union(*(m.terms for m in matches))
        return [self._hit(slot, s / top_score, terms, today) for s, slot in ranked[:limit]]

    def _pair_patterns(
        self, matches: list[_WordMatch], units: list[tuple[str, str, bool, str]] | None
    ) -> list[re.Pattern[str]]:
        """One regex per pair of neighbouring query words: the two, in order, close by."""
        if units is None or len(units) != len(matches):
            return []
        words: list[str] = []
        for (folded, _, partial, _), match in zip(units, matches, strict=True):
            if len(match.terms) > _PHRASE_SPELLINGS:
                spellings: set[str] = set()  # a word being typed completes to many
            else:
                spellings = self._spellings(match.terms)
            if partial and (len(spellings) > _PHRASE_SPELLINGS or not spellings):
                words.append(re.escape(folded) + r"\w*")
            elif spellings and len(spellings) <= _PHRASE_SPELLINGS:
                words.append("(?:" + "|".join(map(re.escape, sorted(spellings))) + ")")
            else:
                words.append("")  # too many spellings to tell: no pair with this word
        return [
            re.compile(rf"\b{a}\W+(?:\w+\W+){{0,2}}?{b}\b", re.IGNORECASE)
            for a, b in pairwise(words)
            if a and b
        ]

    def _spellings(self, terms: frozenset[str]) -> set[str]:
        """The folded spellings in the records that make these terms ("lines" -> line).

        A term's spellings start with it ("line", "lines"), or with all but its "y"
        ("family", "families"): a binary search in the sorted spellings, no map to keep.
        """
        surfaces = self._surfaces
        surface_term = self._surface_term
        out: set[str] = set()
        for word in terms:
            root = word[:-1] if word.endswith("y") and len(word) > 2 else word
            i = bisect.bisect_left(surfaces, root)
            while i < len(surfaces) and surfaces[i].startswith(root):
                if surface_term[surfaces[i]] == word:
                    out.add(surfaces[i])
                i += 1
        return out

    @staticmethod
    def _top(planes: list[int], candidates: int, k: int) -> list[int]:
        """The ``k`` best candidates by bit-sliced score (ties: lowest slot first)."""
        chosen = 0
        need = k
        for plane in reversed(planes):
            with_bit = candidates & plane
            count = with_bit.bit_count()
            if count > need:
                candidates = with_bit
            else:
                chosen |= with_bit
                need -= count
                candidates &= ~plane
                if need == 0:
                    break
        out = _slots_of(chosen)
        if need:
            out += _slots_of(candidates, need)
        return out

    # ------------------------------------------------------------------ query words

    def _units(self, parsed: Query) -> list[tuple[str, str, bool, str]]:
        """(folded, term, partial, abbreviation) per query word.

        The words of a phrase ("child protection", or "retrun home intervew" once its typos
        are read as the words they most likely are) also match the phrase's abbreviation
        (cp, rhi): a record saying only "RHI" has all three words.
        """
        raw: list[tuple[str, str, bool]] = []
        for i, word in enumerate(parsed.words):
            parts = WORD.findall(word)
            for j, part in enumerate(parts):
                partial = (
                    parsed.last_word_partial and i == len(parsed.words) - 1 and j == len(parts) - 1
                )
                folded = fold(part)
                raw.append((folded, stem(folded), partial))
        alternatives = [""] * len(raw)
        corrected = [self._likely(t) for _, t, _ in raw]
        for start, end, abbreviation in phrase_spans([(i, i, t) for i, t in enumerate(corrected)]):
            for k in range(start, end + 1):
                alternatives[k] = abbreviation
        units: list[tuple[str, str, bool, str]] = []
        for (folded, word, partial), alternative in zip(raw, alternatives, strict=True):
            if not word or (word in STOPWORDS and not partial):
                continue
            if (folded, word, partial, alternative) not in units:
                units.append((folded, word, partial, alternative))
        if len(units) > 1 and units[-1][2] and len(units[-1][0]) == 1:
            # "care leaver a": one letter of the next word narrows nothing yet (tens of
            # thousands of words start with it), and costs the most: wait for the second.
            units.pop()
        return units[:_MAX_WORDS]

    def _likely(self, word: str) -> str:
        """The word meant: itself if indexed, else its most common near spelling."""
        if word in self._term_id or len(word) < 4 or not word.isalpha():
            return word
        near = self._near(word, 1 if len(word) < 6 else 2, set())
        if not near:
            return word
        best = min(near, key=lambda pair: (pair[1], -self._df(pair[0])[0]))
        return self._terms[best[0]]

    def _match(self, folded: str, word: str, partial: bool, alternative: str) -> _WordMatch:
        key = (folded, word, partial, alternative)
        cached = self._words.get(key)
        if cached is not None:
            self._words.move_to_end(key)
            return cached
        match = self._word_match(folded, word, partial, alternative)
        self._words[key] = match
        if len(self._words) > _CACHE_WORDS:
            self._words.popitem(last=False)
        return match

    def _word_match(self, folded: str, word: str, partial: bool, alternative: str) -> _WordMatch:
        groups: list[tuple[tuple[int, int], list[int]]] = []
        seen: set[int] = set()
        abbreviation = self._term_id.get(alternative) if alternative else None
        if abbreviation is not None:
            groups.append((EXACT, [abbreviation]))
            seen.add(abbreviation)
        exact = self._term_id.get(word)
        if exact is not None and word not in STOPWORDS:
            groups.append((EXACT, [exact]))
            seen.add(exact)
        completions: list[int] = []
        if partial:
            completions = self._completions(folded, seen)
            seen.update(completions)
            if completions:
                groups.append((PREFIX, completions))
        if len(word) >= 4 and not word.isdigit():
            max_edits = (1 if len(word) < 6 else 2) if exact is None else int(len(word) >= 6)
            if max_edits:
                near = self._near(word, max_edits, seen)
                for distance, points in ((1, FUZZY_1), (2, FUZZY_2)):
                    ids = [tid for tid, d in near if d == distance]
                    seen.update(ids)
                    if ids:
                        groups.append((points, ids))
            if partial and exact is None and not completions:
                ids = self._near_prefix(folded, seen)
                if ids:
                    groups.append((PREFIX_FUZZY, ids))
        return self._levels(groups)

    def _levels(self, groups: list[tuple[tuple[int, int], list[int]]]) -> _WordMatch:
        size = len(self._docs)
        pairs: list[tuple[int, int]] = []
        terms: set[str] = set()
        for (title_points, body_points), ids in groups:
            terms.update(self._terms[t] for t in ids)
            pairs.append((title_points, self._union(self._title, ids, size)))
            pairs.append((body_points, self._union(self._body, ids, size)))
        return self._exclusive(pairs, terms)

    @staticmethod
    def _exclusive(pairs: list[tuple[int, int]], terms: set[str]) -> _WordMatch:
        """Each record scores the best level it reaches, once."""
        pairs.sort(key=lambda pair: -pair[0])
        covered = 0
        levels: list[tuple[int, int]] = []
        for points, bits in pairs:
            new = bits & ~covered
            if new:
                levels.append((points, new))
                covered |= new
        return _WordMatch(levels, covered, frozenset(terms))

    @staticmethod
    def _union(lists: list[array | int], ids: list[int], size: int) -> int:
        bits = 0
        buf: bytearray | None = None
        for tid in ids:
            postings = lists[tid]
            if isinstance(postings, int):
                bits |= postings
            elif postings:
                if buf is None:
                    buf = bytearray((size >> 3) + 1)
                for slot in postings:
                    buf[slot >> 3] |= 1 << (slot & 7)
        if buf is not None:
            bits |= int.from_bytes(buf, "little")
        return bits

    def _df(self, tid: int) -> tuple[int, int]:
        """(document frequency, postings held as arrays) of a term."""
        counts = self._df_counts
        if counts is None:
            # All terms at once, as plain ints (no objects for the collector to chase):
            # one pass costs what a few thousand lookups one by one would, and the first
            # "c" typed asks for 8,000.
            sizes = [len(p) if isinstance(p, array) else -p.bit_count() for p in self._title]
            sizes += [len(p) if isinstance(p, array) else -p.bit_count() for p in self._body]
            half = len(self._title)
            total = [abs(a) + abs(b) for a, b in zip(sizes[:half], sizes[half:], strict=True)]
            sparse = [
                max(a, 0) + max(b, 0) for a, b in zip(sizes[:half], sizes[half:], strict=True)
            ]
            counts = self._df_counts = (total, sparse)
        total, sparse = counts
        return total[tid], sparse[tid]

    def _budgeted(self, ids: Iterable[int]) -> list[int]:
        """The most frequent terms first, within the budget of array postings."""
        scored = sorted(((self._df(t), t) for t in ids), key=lambda x: -x[0][0])
        out: list[int] = []
        spent = 0
        for (df, sparse), tid in scored:
            if not df:
                continue
            if sparse and spent + sparse > _SPARSE_BUDGET:
                continue
            spent += sparse
            out.append(tid)
        return out

    def _completions(self, prefix: str, seen: set[int]) -> list[int]:
        surfaces = self._surfaces
        i = bisect.bisect_left(surfaces, prefix)
        ids: set[int] = set()
        while i < len(surfaces) and surfaces[i].startswith(prefix):
            tid = self._term_id.get(self._surface_term[surfaces[i]])
            if tid is not None and tid not in seen:
                ids.add(tid)
            i += 1
        return self._budgeted(ids)

    def _near(self, word: str, max_edits: int, seen: set[int]) -> list[tuple[int, int]]:
        """(term id, edits) of the terms within ``max_edits`` of ``word``."""
        buckets = self._buckets
        out: list[tuple[int, int]] = []
        for length in range(len(word) - max_edits, len(word) + max_edits + 1):
            choices = buckets.get(length)
            if not choices:
                continue
            for near, distance, _ in process.extract(
                word, choices, scorer=OSA.distance, score_cutoff=max_edits, limit=None
            ):
                tid = self._term_id[near]
                if tid not in seen and distance:
                    out.append((tid, int(distance)))
        return out

    def _near_prefix(self, folded: str, seen: set[int]) -> list[int]:
        """Terms starting one edit away from a half-typed word ("acom" -> accommodation).

        Tries every spelling one edit from what was typed and looks each up as a prefix
        in the sorted spellings: a few hundred binary searches, no table to build.
        """
        surfaces = self._surfaces
        ids: set[int] = set()
        for variant in _one_edit(folded):
            i = bisect.bisect_left(surfaces, variant)
            while i < len(surfaces) and surfaces[i].startswith(variant):
                tid = self._term_id.get(self._surface_term[surfaces[i]])
                if tid is not None and tid not in seen:
                    ids.add(tid)
                i += 1
        return self._budgeted(ids)

    # ------------------------------------------------------------------ filters

    def _filter_mask(self, parsed: Query, kinds: Iterable[str] | None, today: date) -> int:
        mask = self._live
        wanted = set(parsed.kinds)
        if kinds is not None:
            allowed = set(kinds)
            wanted = (wanted & allowed) if wanted else allowed
            if not wanted:
                return 0
        if wanted:
            mask &= self._any_mask("kind", lambda value: value in wanted)
        if parsed.brags:
            brags = set(parsed.brags)
            mask &= self._any_mask("brag", lambda value: value in brags)
        for theme in parsed.themes:
            mask &= self._any_mask("theme", _name_matcher(theme))
        for source in parsed.sources:
            mask &= self._any_mask("source", _name_matcher(source))
        if parsed.overdue:
            mask &= self._overdue_mask(today)
        return mask

    def unmatched(self, query: str | Query) -> list[str]:
        """The theme: and source: filters naming no theme or source held here, in words."""
        parsed = parse_query(query) if isinstance(query, str) else query
        out: list[str] = []
        with self._lock:
            for field, values in (("theme", parsed.themes), ("source", parsed.sources)):
                names = {v for (name, v), bits in self._masks.items() if name == field and bits}
                for value in values:
                    accept = _name_matcher(value)
                    if not any(accept(name) for name in names):
                        out.append(f"No {field} is called '{value}'.")
        return out

    def _any_mask(self, field: str, accept: object) -> int:
        bits = 0
        for (name, value), mask in self._masks.items():
            if name == field and accept(value):  # type: ignore[operator]
                bits |= mask
        return bits

    def _overdue_mask(self, today: date) -> int:
        key = ("overdue", today)
        cached = self._derived.get(key)
        if cached is None:
            docs = self._docs
            slots = [
                slot
                for slot, due in self._due.items()
                if (doc := docs[slot]) is not None and is_overdue(due, doc.brag, today)
            ]
            cached = self._derived[key] = _bitmap(slots, len(docs))
        return cached  # type: ignore[return-value]

    # ------------------------------------------------------------------ hits

    def _hit(self, slot: int, score: float, terms: frozenset[str], today: date) -> SearchHit:
        doc = self._docs[slot]
        assert doc is not None
        title = doc.title
        title_spans = spans(title, terms)
        snippet, snippet_spans = make_snippet(_after_title(doc.body, title), terms)
        overdue = doc.kind == "action" and is_overdue(doc.due_date, doc.brag, today)
        return SearchHit(
            kind=doc.kind,
            id=doc.id,
            ref=doc.ref,
            title=doc.title,
            snippet=snippet,
            score=round(score, 4),
            title_spans=tuple(title_spans),
            snippet_spans=tuple(snippet_spans),
            theme=doc.theme,
            brag=doc.brag,
            source=doc.source,
            due_date=doc.due_date,
            overdue=overdue,
        )

    # ------------------------------------------------------------------ persistence

    def to_bytes(self) -> bytes:
        """The whole index as bytes (``marshal``: plain data only, nothing executable)."""
        with self._lock:
            docs = [
                None if d is None else (d if isinstance(d, _Stored) else _Stored.of(d)).row()
                for d in self._docs
            ]

            def dump(lists: list[array | int]) -> list[bytes | int]:
                return [p if isinstance(p, int) else p.tobytes() for p in lists]

            title, body = dump(self._title), dump(self._body)
            runs: list[list[Any]] = [docs, title, body]
            head = (
                _FORMAT,
                [(len(run) + _PIECE - 1) // _PIECE for run in runs],
                self._free,
                self._terms,
                self._surface_term,
                self._live,
                self._masks,
                self._dense_at,
            )
            pieces = [marshal.dumps(head)] + [
                marshal.dumps(run[i : i + _PIECE])
                for run in runs
                for i in range(0, len(run), _PIECE)
            ]
        # The number of pieces and each one's length, then the pieces.
        lengths = [_LENGTH.pack(len(pieces))] + [_LENGTH.pack(len(p)) for p in pieces]
        return b"".join(lengths + pieces)

    @classmethod
    def from_bytes(cls, data: bytes) -> SearchIndex:
        """An index saved by :meth:`to_bytes`; ``ValueError`` if it is not one."""
        try:
            pieces = _pieces(data)
            head = marshal.loads(pieces[0])
            if not isinstance(head, tuple) or head[0] != _FORMAT:
                raise ValueError("not a search index of this version")
            _, counts, free, terms, surface_term, live, masks, dense_at = head
            runs: list[list[Any]] = []
            at = 1
            for count in counts:
                run: list[Any] = []
                for piece in pieces[at : at + count]:
                    run.extend(marshal.loads(piece))  # a few ms each: the UI thread gets turns
                runs.append(run)
                at += count
            docs, title, body = runs
        except (EOFError, TypeError, IndexError, struct.error) as error:
            raise ValueError(f"not a search index: {error}") from None
        index = cls()

        def load(lists: list[bytes | int]) -> list[array | int]:
            out: list[array | int] = []
            for p in lists:
                if isinstance(p, int):
                    out.append(p)
                else:
                    postings = array("I")
                    postings.frombytes(p)
                    out.append(postings)
            return out

        for slot, row in enumerate(docs):
            if row is None:
                index._docs.append(None)
                continue
            kind, record_id, heading, text, ref, extra, theme, brag, source, due = row
            # One string per theme, BRAG and source name, not one per record (tens of MB).
            doc = _Stored(
                intern(kind), record_id, heading, text, ref, extra,
                intern(theme), intern(brag), intern(source),
                date.fromordinal(due) if due else None,
            )  # fmt: skip
            index._docs.append(doc)
            index._slot_of[(doc.kind, doc.id)] = slot
            if doc.kind == "action" and doc.due_date is not None:
                index._due[slot] = doc.due_date
        index._free = list(free)
        index._terms = list(terms)
        index._term_id = {word: i for i, word in enumerate(terms)}
        index._title = load(title)
        index._body = load(body)
        index._surface_term = dict(surface_term)
        index._surfaces = sorted(index._surface_term)
        index._live = live
        index._masks = dict(masks)
        index._dense_at = dense_at
        index._buckets = {}
        for word in index._terms:
            if word.isalpha():  # refs and file names are matched exactly, not for typos
                index._buckets.setdefault(len(word), []).append(word)
        index._setup_vocabulary()  # ids of stopwords and phrase words in this vocabulary
        return index

    def stats(self) -> dict[str, int]:
        """Sizes, for the benchmark and for curiosity."""
        with self._lock:
            dense = sum(isinstance(p, int) for p in (*self._title, *self._body))
            return {
                "records": len(self._slot_of),
                "terms": len(self._terms),
                "spellings": len(self._surfaces),
                "dense_postings": dense,
            }


def _pieces(data: bytes) -> list[memoryview]:
    """The pieces of a saved index (see :meth:`SearchIndex.to_bytes`), without copying them."""
    view = memoryview(data)
    (count,) = _LENGTH.unpack_from(view, 0)
    if count > len(view) // _LENGTH.size:
        raise ValueError("not a search index: its piece count is wrong")
    lengths = [_LENGTH.unpack_from(view, _LENGTH.size * (1 + n))[0] for n in range(count)]
    at = _LENGTH.size * (1 + count)
    pieces = []
    for length in lengths:
        pieces.append(view[at : at + length])
        at += length
    if at != len(view):
        raise ValueError("not a search index: its pieces do not add up")
    return pieces


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _one_edit(word: str) -> set[str]:
    """Every spelling one deletion, swap, change or insertion away (letters only)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    out |= {a + c + b for a, b in splits for c in _LETTERS}
    out.discard(word)
    # A deletion makes a shorter prefix that matches far too much; keep 4+ letters.
    return {v for v in out if len(v) >= 4}


def _name_matcher(value: str) -> Callable[[str], bool]:
    """Does a theme/source name contain every word of ``value`` (each as a word start)?"""
    wanted = [fold(w) for w in WORD.findall(value)]

    def accept(name: str) -> bool:
        words = [fold(w) for w in WORD.findall(name)]
        return all(any(w.startswith(x) for w in words) for x in wanted)

    return accept


# ---------------------------------------------------------------------- highlighting


def spans(text: str, terms: frozenset[str]) -> list[Span]:
    """Where the matched terms occur in ``text`` (whole words; phrases for abbreviations)."""
    if not terms or not text:
        return []
    words = list(tokens(text))
    found = [(start, end) for start, end, word in words if word in terms]
    if any(a in terms for a in ABBREVIATIONS):
        found += [(start, end) for start, end, a in phrase_spans(words) if a in terms]
    return _merge(found)


def _merge(found: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _after_title(body: str, title: str) -> str:
    """The body less the title it starts with ("…" and the rest), so a finding whose title
    is its first sentence does not show that sentence twice; ``""`` if nothing is left."""
    flat = " ".join(body.split())
    head = title.removesuffix("…").rstrip()
    if len(head) < 12 or flat[: len(head)].casefold() != head.casefold():
        return body
    rest = flat[len(head) :]
    if not rest.strip(" .;:,"):
        return ""
    if title.endswith("…") or not rest.startswith((". ", "; ", ": ")):
        return "…" + (rest.lstrip() if rest[0].isspace() else rest.split(" ", 1)[-1])
    return rest[2:]


def make_snippet(
    body: str, terms: frozenset[str], width: int = _SNIPPET_WIDTH
) -> tuple[str, list[Span]]:
    """One line of ``body`` around its best cluster of matches, with their spans."""
    flat = " ".join(body.split())
    found = spans(flat, terms)
    if len(flat) <= width:
        return flat, found
    start = 0
    if found:
        # The window holding the most matched words; the earliest such.
        best = max(
            range(len(found)),
            key=lambda i: (
                len(
                    {
                        flat[s:e].lower()
                        for s, e in found
                        if found[i][0] <= s and e <= found[i][0] + width - 20
                    }
                ),
                -i,
            ),
        )
        start = max(0, found[best][0] - 30)
        if start:
            space = flat.find(" ", start)
            start = space + 1 if 0 <= space < found[best][0] else found[best][0]
    end = min(len(flat), start + width)
    if end < len(flat):
        space = flat.rfind(" ", start, end)
        if space > start:
            end = space
    prefix = "…" if start else ""
    suffix = "…" if end < len(flat) else ""
    text = prefix + flat[start:end] + suffix
    shift = len(prefix) - start
    kept = [(s + shift, e + shift) for s, e in found if s >= start and e <= end]
    return text, kept


__all__ = ["KINDS", "SearchDoc", "SearchHit", "SearchIndex", "make_snippet", "spans"]


def _exact_key(text: str) -> str:
    """What counts as the same ref or title: case, accents and spacing aside."""
    return " ".join(fold(text).split())
