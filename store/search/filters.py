"""Filters: the bitmaps of the records a query's kind:, theme:, brag:, source: and overdue
filters keep (the overdue rule is store.overdue's)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from store.overdue import is_overdue
from store.search.postings import (
    _bitmap,
    _IndexState,
)
from store.search.query import Query, parse_query
from store.search.text import (
    WORD,
    fold,
)


class _Filters(_IndexState):
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


def _name_matcher(value: str) -> Callable[[str], bool]:
    """Does a theme/source name contain every word of ``value`` (each as a word start)?"""
    wanted = [fold(w) for w in WORD.findall(value)]

    def accept(name: str) -> bool:
        words = [fold(w) for w in WORD.findall(name)]
        return all(any(w.startswith(x) for w in words) for x in wanted)

    return accept
