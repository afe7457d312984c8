"""The vocabulary and near-word lookups: a query word matched exactly, as a prefix being
typed, within one or two edits, and as an abbreviation's phrase."""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from store.search.postings import (
    _IndexState,
    _WordMatch,
)
from store.search.query import Query
from store.search.scoring import (
    _MAX_WORDS,
    EXACT,
    FUZZY_1,
    FUZZY_2,
    PREFIX,
    PREFIX_FUZZY,
)
from store.search.text import (
    STOPWORDS,
    WORD,
    fold,
    phrase_spans,
    stem,
)

# A word still being typed completes to at most this many postings held as arrays
# (bitmaps are free): keeps the first keystrokes ("c", "ca") cheap.
_SPARSE_BUDGET = 40_000
_CACHE_WORDS = 64

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


class _Vocabulary(_IndexState):
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
