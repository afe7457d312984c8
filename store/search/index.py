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

The index is written in parts, each a module beside this one: postings, scoring, the
vocabulary and near-word lookups, filters, snippets and persistence; this one builds,
updates and searches.
"""

from __future__ import annotations

import bisect
import threading
from array import array
from collections import OrderedDict
from collections.abc import Iterable
from datetime import date
from typing import cast

from store.collector import collector_paused
from store.overdue import is_overdue
from store.search.filters import _Filters
from store.search.persistence import _Persistence
from store.search.postings import (
    SearchDoc,
    SearchHit,
    _bitmap,
    _contains_run,
    _slots_of,
    _Stored,
    _WordMatch,
)
from store.search.query import KINDS, Query, parse_query
from store.search.scoring import (
    _Scoring,
)
from store.search.snippets import _after_title, make_snippet, spans
from store.search.text import (
    ABBREVIATIONS,
    ALIASES,
    PHRASE_LIST,
    STOPWORDS,
    WORD,
    fold,
    stem,
    term,
)
from store.search.vocabulary import _Vocabulary


class _TermIds(dict[str, int]):
    """raw word -> term id, computed once per distinct spelling."""

    def __init__(self, index: SearchIndex) -> None:
        super().__init__()
        self._tid = index._tid

    def __missing__(self, raw: str) -> int:
        value = self[raw] = self._tid(term(raw))
        return value


class SearchIndex(_Vocabulary, _Scoring, _Filters, _Persistence):
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


__all__ = ["KINDS", "SearchDoc", "SearchHit", "SearchIndex", "make_snippet", "spans"]
