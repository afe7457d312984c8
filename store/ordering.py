"""The orders the Sources and Visits lists offer, kept in the store with the records.

A council holds tens of sources and visits, not thousands, so they are read whole and
sorted in memory; findings, actions and evidence are sorted by the database as they are
paged in. A missing value (a source with no dates) sorts last whichever way the list
runs, as the database's date sorts do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from store.database import Store
from store.errors import ValidationError

SOURCE_SORTS: dict[str, Callable[[Any], Any]] = {
    "start_date": lambda s: s.start_date,
    "title": lambda s: s.title.lower(),
    "local_authority": lambda s: s.local_authority.lower(),
    "framework": lambda s: s.framework,
    "findings": lambda s: s.finding_count,
}
VISIT_SORTS: dict[str, Callable[[Any], Any]] = {
    # Upcoming first: the soonest visit, then the later ones, then past visits, the most
    # recent first (the order list_visits gives; ties keep it, as the sort is stable).
    "days_to_go": lambda v: (v.days_to_go < 0, abs(v.days_to_go)),
    "start_date": lambda v: v.start_date,
    "title": lambda v: v.title.lower(),
    "kind": lambda v: v.kind,
}


def _sorted(
    records: list[Any],
    keys: dict[str, Callable[[Any], Any]],
    sort: str,
    descending: bool,
    kind: str,
) -> list[Any]:
    if sort not in keys:
        raise ValidationError(
            "sort", f"{kind} cannot be sorted by '{sort}'. Choose: {', '.join(keys)}."
        )
    key = keys[sort]
    present = [r for r in records if key(r) is not None]
    missing = [r for r in records if key(r) is None]
    return sorted(present, key=key, reverse=descending) + missing


def sorted_sources(
    store: Store,
    *,
    sort: str = "start_date",
    descending: bool = False,
    offset: int = 0,
    limit: int | None = None,
) -> list[Any]:
    """Sources in the order asked for (a key of :data:`SOURCE_SORTS`), a window of them."""
    from store.sources import list_sources

    records = _sorted(list_sources(store), SOURCE_SORTS, sort, descending, "Sources")
    return records[offset : None if limit is None else offset + limit]


def sorted_visits(
    store: Store,
    *,
    sort: str = "days_to_go",
    descending: bool = False,
    offset: int = 0,
    limit: int | None = None,
) -> list[Any]:
    """Visits in the order asked for (a key of :data:`VISIT_SORTS`), a window of them."""
    from store.visits import list_visits

    records = _sorted(list_visits(store), VISIT_SORTS, sort, descending, "Visits")
    return records[offset : None if limit is None else offset + limit]
