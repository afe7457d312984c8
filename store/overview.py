"""The numbers on the first screen, each of which opens the list behind it.

On a SQLite store they are read with the standard library's ``sqlite3``, in one statement,
without importing SQLAlchemy: that import costs more than the counting itself, and the
dashboard is what a lead waits for when the app opens. A PostgreSQL store is read the same
way with psycopg alone, with the same SQL (written so that both understand it: booleans
tested as ``NOT ours`` / ``AND adopted``, never as ``= 0``). Every other part of the store,
the lists behind these numbers included, builds its queries with SQLAlchemy; the SQL below
says the same thing by hand, and the tests hold the two to the same answers on the demo
store (on both backends) and on a store of edge cases (``tests/test_overview.py``). Any
other SQLAlchemy URL is counted through SQLAlchemy.

The read sees what is committed: inside ``store.batch()``, call it after the batch.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from store.errors import StoreUnavailable
from store.overdue import NOT_COMPLETE_SQL, OVERDUE_SQL
from store.records import Action, Dashboard, Visit, action_record
from store.settings import stale_days as chosen_age
from store.vocab import (
    BRAG,
    DEFAULT_STALE_DAYS,
    GAP_KINDS,
    NEEDS_ACTION_KINDS,
    NEEDS_ACTION_STATUSES,
)

if TYPE_CHECKING:
    from store.database import Store


def dashboard(
    store: Store,
    due_soon_days: int = 14,
    *,
    with_pack: bool = True,
    check_files: bool = True,
    most_overdue: int = 0,
) -> Dashboard:
    """BRAG counts, overdue and due-soon actions, gap counts and the next visit's readiness.

    Findings and their gaps are the council's own: other councils' findings (imported to
    learn from) are only counted in ``other_finding_count``.

    ``most_overdue`` also reads that many of the most overdue actions (the longest overdue
    first, as ``list_actions(overdue=True, sort="due")`` orders them).

    Building the next visit's pack is the slowest part on a big store: ``with_pack=False``
    leaves its readiness at 0/0 so a screen can show the counts first and ask for the pack
    (``build_pack``) after. Likewise ``check_files=False`` looks for no evidence file on
    disk: ``gap_counts["missing"]`` then counts only what a folder scan marked, and
    ``store.gaps.count_missing_evidence`` gives the full count after.
    """
    numbers = read_first(store, due_soon_days, most_overdue)
    if check_files:
        from store.gaps import count_missing_evidence

        gaps = {**numbers.gap_counts, "missing": count_missing_evidence(store)}
        numbers = replace(numbers, gap_counts=gaps)
    if numbers.next_visit is not None and with_pack:
        from store.pack import pack_readiness

        pack = pack_readiness(store, numbers.next_visit.id)
        numbers = replace(
            numbers, next_visit_ready=pack.evidence_ready, next_visit_needed=pack.evidence_needed
        )
    return numbers


def read_first(store: Store, due_soon_days: int = 14, most_overdue: int = 0) -> Dashboard:
    """The counts, the next visit and the most overdue actions, by the quickest way there
    is: the driver alone on SQLite and PostgreSQL (no SQLAlchemy), SQLAlchemy otherwise."""
    from store.dialect import postgres_conninfo

    path = store.path
    if path is not None:
        return read_sqlite(
            path, store.today, due_soon_days, most_overdue, stale_days=chosen_age(store)
        )
    if postgres_conninfo(store.url) is not None:
        return read_postgres(
            store.url, store.today, due_soon_days, most_overdue, stale_days=chosen_age(store)
        )
    return read_with_sqlalchemy(store, due_soon_days, most_overdue)


# ------------------------------------------------------------------ SQLite and PostgreSQL, by hand

# Other councils' reports (imported to learn from) and their findings: never counted as
# the council's own (store.findings.ours_clause says the same through SQLAlchemy).
_THEIRS = "(SELECT id FROM source WHERE NOT ours)"
_OURS = f"(finding.source_id IS NULL OR finding.source_id NOT IN {_THEIRS})"
# Things a report asks the council to do: not a detail paragraph, not the safeguarding
# board's unless adopted (store.findings.asked_clause says the same through SQLAlchemy).
_ASKED = "(finding.role = '' OR (finding.role = 'board' AND finding.adopted))"

# Each count is its own subquery so that each keeps its own index (migration 0003); the
# whole screen is one trip to the database.
_COUNTS = f"""
SELECT
  (SELECT count(*) FROM finding WHERE {_OURS} AND {_ASKED}) AS findings,
  (SELECT count(*) FROM finding WHERE finding.source_id IN {_THEIRS}) AS other_findings,
  (SELECT count(*) FROM action) AS actions,
  (SELECT count(*) FROM evidence) AS evidence,
  (SELECT count(*) FROM action
     WHERE due_date >= :today AND due_date <= :horizon AND {NOT_COMPLETE_SQL}) AS due_soon,
  {", ".join(f"(SELECT count(*) FROM action WHERE brag = '{b}') AS brag_{b}" for b in BRAG)},
  (SELECT count(*) FROM finding
     WHERE status IN ({", ".join(f"'{s}'" for s in NEEDS_ACTION_STATUSES)})
       AND kind IN ({", ".join(f"'{k}'" for k in NEEDS_ACTION_KINDS)})
       AND {_OURS}
       AND {_ASKED}
       AND NOT EXISTS (SELECT 1 FROM finding_action
                       WHERE finding_action.finding_id = finding.id)) AS gap_no_action,
  (SELECT count(*) FROM action
     WHERE NOT EXISTS (SELECT 1 FROM action_evidence
                       WHERE action_evidence.action_id = action.id)) AS gap_no_evidence,
  (SELECT count(*) FROM action WHERE {OVERDUE_SQL}) AS gap_overdue,
  (SELECT count(*) FROM evidence
     WHERE review_by < :today
        OR (review_by IS NULL AND as_of < :stale_before)) AS gap_stale,
  (SELECT count(*) FROM evidence WHERE missing_since IS NOT NULL) AS gap_missing
"""

_NEXT_VISIT = """
SELECT id, title, kind, start_date, end_date, notes, version FROM visit
WHERE start_date >= :today ORDER BY start_date, id LIMIT 1
"""

_FOCUS_THEMES = """
SELECT theme.name FROM theme JOIN visit_theme ON visit_theme.theme_id = theme.id
WHERE visit_theme.visit_id = :visit ORDER BY theme.position
"""

_ACTION_COLUMNS = (
    "id", "ref", "title", "description", "owner", "due_date", "brag", "success_measure",
    "opened_on", "closed_on", "theme_id", "version",
)  # fmt: skip
_ACTION_DATES = ("due_date", "opened_on", "closed_on")

# The window of ids first, then whole rows and their link counts for those few only (as
# list_actions does): counting links for every overdue action before the sort took 0.1 s
# at 100,000 records.
_MOST_OVERDUE = f"""
SELECT {", ".join(f"action.{c}" for c in _ACTION_COLUMNS)}, theme.name,
  (SELECT count(*) FROM finding_action WHERE finding_action.action_id = action.id),
  (SELECT count(*) FROM action_evidence WHERE action_evidence.action_id = action.id)
FROM action LEFT JOIN theme ON theme.id = action.theme_id
WHERE action.id IN (SELECT id FROM action WHERE {OVERDUE_SQL}
                    ORDER BY due_date IS NULL, due_date, ref_key, id LIMIT :limit)
ORDER BY action.due_date IS NULL, action.due_date, action.ref_key, action.id
"""


def read_sqlite(
    path: Path,
    today: date,
    due_soon_days: int = 14,
    most_overdue: int = 0,
    *,
    stale_days: int = DEFAULT_STALE_DAYS,
) -> Dashboard:
    """The dashboard of the SQLite store at ``path``, read with ``sqlite3`` alone.

    "missing" counts the files a folder scan saw go; the next visit's readiness is 0/0.
    """
    # SQLite keeps dates as ISO text, and compares them as text.
    params = {
        key: _iso(value)
        for key, value in _params(today, due_soon_days, most_overdue, stale_days).items()
    }
    try:
        connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error as error:
        raise StoreUnavailable(f"The store could not be read: {error}.") from None
    try:
        return _read_by_hand(connection.execute, params, today, due_soon_days)
    except sqlite3.Error as error:
        raise StoreUnavailable(f"The store could not be read: {error}.") from None
    finally:
        connection.close()


def read_postgres(
    url: str,
    today: date,
    due_soon_days: int = 14,
    most_overdue: int = 0,
    *,
    stale_days: int = DEFAULT_STALE_DAYS,
) -> Dashboard:
    """The same numbers as :func:`read_sqlite`, from the PostgreSQL store at ``url`` (an
    up-to-date one: any opened store is), read with psycopg alone: the same SQL, in one
    read-only transaction, so that every number is of the same moment."""
    import psycopg

    from store.dialect import (
        connection_problem,
        one_line,
        postgres_conninfo,
        pyformat,
        without_password,
    )

    conninfo = postgres_conninfo(url)
    if conninfo is None:
        raise ValueError(f"not a PostgreSQL URL: {without_password(url)}")
    params = _params(today, due_soon_days, most_overdue, stale_days)
    try:
        with psycopg.connect(conninfo, connect_timeout=10) as connection:
            connection.read_only = True
            return _read_by_hand(
                lambda sql, values: connection.execute(pyformat(sql), values),
                params,
                today,
                due_soon_days,
            )
    except psycopg.OperationalError as error:
        raise connection_problem(error, without_password(url) or url) from None
    except psycopg.Error as error:
        raise StoreUnavailable(f"The store could not be read: {one_line(str(error))}.") from None


def _params(today: date, due_soon_days: int, most_overdue: int, stale_days: int) -> dict[str, Any]:
    return {
        "today": today,
        "horizon": today + timedelta(days=int(due_soon_days)),
        "stale_before": today - timedelta(days=int(stale_days)),
        "limit": max(0, int(most_overdue)),
    }


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _read_by_hand(
    execute: Callable[[str, dict[str, Any]], Any],
    params: dict[str, Any],
    today: date,
    due_soon_days: int,
) -> Dashboard:
    """The SQL above, run by a driver's own ``execute`` (sqlite3's or psycopg's)."""
    counts = _named(execute(_COUNTS, params))
    visit_row = _named(execute(_NEXT_VISIT, params))
    visit = None
    if visit_row is not None:
        themes = execute(_FOCUS_THEMES, {"visit": visit_row["id"]}).fetchall()
        visit = _visit(visit_row, tuple(name for (name,) in themes), today)
    late = execute(_MOST_OVERDUE, params).fetchall() if params["limit"] else []
    assert counts is not None  # one row of counts, always
    return _numbers(counts, today, due_soon_days, visit, [_action(row, today) for row in late])


def _numbers(
    counts: dict[str, Any],
    today: date,
    due_soon_days: int,
    visit: Visit | None,
    late: list[Action],
) -> Dashboard:
    return Dashboard(
        today=today,
        brag_counts={b: int(counts[f"brag_{b}"] or 0) for b in BRAG},
        overdue=int(counts["gap_overdue"] or 0),  # an overdue action is a gap: the same count
        due_soon=int(counts["due_soon"] or 0),
        due_soon_days=due_soon_days,
        gap_counts={kind: int(counts[f"gap_{kind}"] or 0) for kind in GAP_KINDS},
        finding_count=int(counts["findings"] or 0),
        action_count=int(counts["actions"] or 0),
        evidence_count=int(counts["evidence"] or 0),
        next_visit=visit,
        most_overdue=tuple(late),
        other_finding_count=int(counts["other_findings"] or 0),
    )


def _named(cursor: Any) -> dict[str, Any] | None:
    row = cursor.fetchone()
    if row is None:
        return None
    return {column[0]: value for column, value in zip(cursor.description, row, strict=True)}


def _day(value: date | str | None) -> date | None:
    """A date as the driver gives it: ISO text from SQLite, a ``date`` from PostgreSQL."""
    if isinstance(value, date) or value is None:
        return value
    return date.fromisoformat(value) if value else None


def _visit(row: dict[str, Any], themes: tuple[str, ...], today: date) -> Visit:
    start = _day(row["start_date"])
    assert start is not None  # a visit always has its start
    return Visit(
        id=row["id"],
        title=row["title"],
        kind=row["kind"],
        start_date=start,
        end_date=_day(row["end_date"]),
        notes=row["notes"],
        focus_themes=themes,
        days_to_go=(start - today).days,
        version=row["version"],
    )


def _action(row: tuple[Any, ...], today: date) -> Action:
    *columns, theme, findings, evidence = row
    fields = dict(zip(_ACTION_COLUMNS, columns, strict=True))
    for name in _ACTION_DATES:
        fields[name] = _day(fields[name])
    return action_record(today, SimpleNamespace(**fields), theme, findings, evidence)


# --------------------------------------------------------------------------- SQLAlchemy


def read_with_sqlalchemy(store: Store, due_soon_days: int = 14, most_overdue: int = 0) -> Dashboard:
    """The same numbers as :func:`read_sqlite`, through SQLAlchemy (any database)."""
    from store.actions import count_actions_query, list_actions
    from store.evidence import count_evidence_query
    from store.findings import count_findings_query
    from store.gaps import count_at_once, gap_count_queries, marked_missing_query
    from store.visits import next_visit

    with store.reading() as session:
        queries = {
            "findings": count_findings_query(session, ours=True, asked=True),
            "other_findings": count_findings_query(session, ours=False),
            "actions": count_actions_query(store, session),
            "evidence": count_evidence_query(store),
            "due_soon": count_actions_query(store, session, due_within=due_soon_days),
            **{f"brag_{b}": count_actions_query(store, session, brag=b) for b in BRAG},
            **{f"gap_{kind}": q for kind, q in gap_count_queries(store, session).items()},
            "gap_missing": marked_missing_query(),
        }
        counts = count_at_once(session, queries)
    late = list_actions(store, overdue=True, sort="due", limit=most_overdue) if most_overdue else []
    return _numbers(counts, store.today, due_soon_days, next_visit(store), late)
