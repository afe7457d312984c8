"""Saving and loading an index as bytes (marshal: plain data only), in pieces small enough
not to hold the interpreter."""

from __future__ import annotations

import marshal
import struct
from array import array
from datetime import date
from sys import intern
from typing import TYPE_CHECKING, Any, cast

from store.search.postings import (
    _IndexState,
    _Stored,
)

_FORMAT = 3  # 2: texts kept as UTF-8 bytes; 3: saved in pieces
# Records (or terms' postings) per marshalled piece of a saved index. One marshal.loads of a
# whole 100,000-record index holds the interpreter for 0.2 s, and the UI thread with it (a
# stuck cursor while the index loads behind a list); a piece takes a few milliseconds.
_PIECE = 4096
_LENGTH = struct.Struct("<Q")

if TYPE_CHECKING:
    from store.search.index import SearchIndex


class _Persistence(_IndexState):
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
        return cast("SearchIndex", index)

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
