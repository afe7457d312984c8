"""Fuzzy search over findings, actions, evidence and sources, as you type (no Textual here).

For the app and the command line::

    from store.search import search
    hits = search(store, "retrun home intervew kind:finding", limit=50)
    for hit in hits:
        hit.kind, hit.id          # open it: app.open_record(hit.kind, hit.id)
        hit.title, hit.title_spans      # spans: (start, end) offsets to highlight
        hit.snippet, hit.snippet_spans  # one line of the body around the matches
        hit.ref, hit.theme, hit.brag, hit.source, hit.due_date, hit.overdue, hit.score

The first search on a store loads (or builds) its index: run searches in a thread
worker, and call ``warm(store)`` from one at start-up. Writes through the store keep
the index current by themselves.

Query language (see :func:`parse_query`): words in any order, typos welcome, the last
word also matches as a prefix while being typed; abbreviations (CiN, CP, CLA/CiC, PLO,
RHI, MASH, IRO, CSE, NEET, LADO, PEP, ...) find their spelled-out phrases and back;
filters ``kind:finding``, ``theme:mash``, ``brag:red``, ``source:haringey``, ``overdue``.

For an index without a store (tests, the benchmark): :class:`SearchIndex`.
"""

from store.search.index import SearchDoc, SearchHit, SearchIndex
from store.search.live import StoreSearch, index_for, save, search, warm
from store.search.query import Query, parse_query

__all__ = [
    "Query",
    "SearchDoc",
    "SearchHit",
    "SearchIndex",
    "StoreSearch",
    "index_for",
    "parse_query",
    "save",
    "search",
    "warm",
]
