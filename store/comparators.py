"""Whose comparators a measure's figures are: the store's own council, from its own reports,
and that council's statistical neighbours, named in the comparator's label."""

from __future__ import annotations

from store.councils import Council, council_by_code, statistical_neighbours
from store.database import Store
from store.importers.reports import own_councils

SHOWN = 3  # neighbours named in a label before "…"


def own_council(store: Store) -> Council | None:
    """The council this store is for: the one council (by ONS code) of its own reports, or
    its successor when that council has since been merged into one. None when it is not
    known: no own report with a council code, a council not on the list (a fictional
    demo council), or own reports of more than one council."""
    found = {c for c in map(council_by_code, own_councils(store)) if c is not None}
    current = set()
    for council in found:
        while council.end is not None and len(council.succeeded_by) == 1:
            following = council_by_code(council.succeeded_by[0])
            if following is None:
                break
            council = following
        current.add(council)
    return current.pop() if len(current) == 1 else None


def neighbours_label(store: Store) -> str:
    """The statistical neighbours comparator, as a label: "statistical neighbours of York
    (10: Bath and North East Somerset, Cheshire East, Cheshire West and Chester, …)" when the
    store's own council is known, or just "statistical neighbours"."""
    council = own_council(store)
    neighbours = statistical_neighbours(council.code) if council else ()
    if council is None or not neighbours:
        return "statistical neighbours"
    names = [c.name for c in neighbours[:SHOWN]] + (["…"] if len(neighbours) > SHOWN else [])
    return f"statistical neighbours of {council.name} ({len(neighbours)}: {', '.join(names)})"
