"""Scoring: how records are ranked for a query (points per word by how it matched, words
standing together, exact refs and titles first) and the top ones read off bit planes."""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from datetime import date
from itertools import pairwise

from store.search.postings import (
    SearchHit,
    _add_planes,
    _IndexState,
    _slots_of,
    _WordMatch,
)
from store.search.query import Query
from store.search.text import (
    fold,
)

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
# Records with every query word that are checked for the words standing together: the
# best-scoring ones only, so that a common pair of words costs a few milliseconds.
_PHRASE_POOL = 250
# A query word matching more spellings than this is looked for as a prefix in the text.
_PHRASE_SPELLINGS = 60


class _Scoring(_IndexState):
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


def _exact_key(text: str) -> str:
    """What counts as the same ref or title: case, accents and spacing aside."""
    return " ".join(fold(text).split())
