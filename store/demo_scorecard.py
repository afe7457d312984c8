"""The demo's performance scorecard: Northbridge's sixteen board measures, 12 to 18 months of
values, loaded from a data file through the real scorecard importer (not written as code).

``store/data/northbridge_scorecard.csv`` is the board's January 2019 scorecard. Its figures
agree with the demo's evidence and action updates that quote them (assessments within 45
working days: 57% in May, 74% in July, 86% in October, 89% in December 2018). Some measures
reach their target (contacts decided within 24 hours, re-referrals), some climb but are not
there yet (assessments, visits to children in care), some stall (life-story work, child in
need reviews) and one gets worse (care leavers in education, employment or training).
"""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources

from store.database import Store
from store.errors import ImportFailed
from store.importers.scorecard import import_scorecard

SCORECARD = "northbridge_scorecard.csv"
# Entered by the performance team on the day the board's papers went out.
ENTERED_BY = "Performance and Intelligence Manager"
ENTERED_AT = datetime(2019, 1, 14, 9, 0, tzinfo=UTC)


def load_demo_scorecard(store: Store) -> None:
    """Import the demo scorecard (its findings and actions must already be in the store)."""
    with resources.as_file(resources.files("store") / "data" / SCORECARD) as path:
        result = import_scorecard(store, path, who=ENTERED_BY, at=ENTERED_AT)
    if result.problems:
        raise ImportFailed(f"The demo scorecard cannot be read: {result.problems[0]}")
