"""Store-wide settings: how old evidence may be before it is out of date, and the date a
demo store is set on.

Evidence with a review-by date is out of date once that date has passed. Evidence with
none is out of date once it is older than the council's chosen age at the visit (or at
today, outside a pack): six months unless the council chooses otherwise. The choice is kept
in the store (the ``setting`` table), so everyone who opens it counts the same gaps, in the
app and on the command line.
"""

from __future__ import annotations

import math
import re
import sqlite3
import time
from datetime import date
from weakref import WeakKeyDictionary

from store.database import Change, Store, plain_sqlite_path
from store.dialect import postgres_conninfo
from store.errors import ValidationError
from store.vocab import DEFAULT_STALE_DAYS

STALE_DAYS = "stale_days"
MIN_STALE_DAYS = 1
MAX_STALE_DAYS = 3660  # ten years: anything older is out of date whatever the choice

_AGE = re.compile(r"^\s*(\d{1,5})\s*(d|days?|w|weeks?|m|months?|y|years?)?\s*$", re.I)
_UNIT_DAYS = {"d": 1.0, "w": 7.0, "m": 365 / 12, "y": 365.0}


def parse_age(text: str | int) -> int:
    """Days from what a lead types: ``183``, ``90 days``, ``12 weeks``, ``6 months``, ``1 year``.

    Months are twelfths of a year, rounded up (6 months is 183 days, the default).
    Raises :class:`ValidationError` (field ``stale_days``) for anything else or out of range.
    """
    if isinstance(text, bool):
        raise ValidationError(STALE_DAYS, f"'{text}' is not an age.")
    if isinstance(text, int):
        days = text
    else:
        match = _AGE.match(text)
        if match is None:
            raise ValidationError(
                STALE_DAYS,
                f"'{text.strip()}' is not an age. Give days (183), or weeks, months or years "
                "(12 weeks, 6 months, 1 year).",
            )
        unit = (match[2] or "d")[0].lower()
        days = math.ceil(int(match[1]) * _UNIT_DAYS[unit])
    if not MIN_STALE_DAYS <= days <= MAX_STALE_DAYS:
        raise ValidationError(
            STALE_DAYS,
            f"{days} days is not a usable age: choose between {MIN_STALE_DAYS} and "
            f"{MAX_STALE_DAYS} days (ten years).",
        )
    return days


def _stored_days(value: str | None) -> int:
    """The stored text as days; the default when there is none (or it is not a number)."""
    try:
        days = int(value) if value is not None else DEFAULT_STALE_DAYS
    except ValueError:
        return DEFAULT_STALE_DAYS
    return days if MIN_STALE_DAYS <= days <= MAX_STALE_DAYS else DEFAULT_STALE_DAYS


def stale_days_in(connection: sqlite3.Connection) -> int:
    """The chosen age, read on an open ``sqlite3`` connection to a store."""
    try:
        row = connection.execute(
            "SELECT value FROM setting WHERE key = ?", (STALE_DAYS,)
        ).fetchone()
    except sqlite3.Error:
        return DEFAULT_STALE_DAYS  # a store from before settings: nothing was chosen
    return _stored_days(row[0] if row else None)


def read_stale_days(store: Store) -> int:
    """The chosen age as the store holds it now (:func:`stale_days` keeps it once read)."""
    return _stored_days(read_setting(store, STALE_DAYS))


# Each open store's chosen age as last read, with the stamp it was read at.
_KEPT: WeakKeyDictionary[Store, tuple[int, object]] = WeakKeyDictionary()


def stale_days(store: Store) -> int:
    """How old evidence with no review-by date may be before it is out of date, in days:
    the store's choice (:func:`set_stale_days`).

    Kept once read; a SQLite store is read again once its files have changed, so a
    choice made by another program (``visitprep settings``) counts from the next read on
    (a server database is read again at most every two seconds).
    """
    stamp: object = store.files_stamp()
    if store.path is None:
        stamp = int(time.monotonic() // 2)
    kept = _KEPT.get(store)
    if kept is not None and kept[1] == stamp:
        return kept[0]
    # The stamp before reading: a write during the read shows next time.
    days = read_stale_days(store)
    _KEPT[store] = (days, stamp)
    return days


def _remember_stale_days(store: Store, days: int) -> None:
    """Keep a newly chosen age (as the write that stores it commits)."""
    _KEPT[store] = (days, store.files_stamp())


def read_setting(store: Store, key: str) -> str | None:
    """One setting's stored text, or ``None``: read with ``sqlite3`` alone for a SQLite
    store and psycopg alone for a PostgreSQL one (so that opening one and its first
    screen stay quick, without SQLAlchemy), else in a session."""
    path = plain_sqlite_path(store.url)
    if path is not None:
        try:
            connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=5)
        except sqlite3.Error:
            return None
        try:
            row = connection.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None  # a store from before settings: nothing was chosen
        finally:
            connection.close()
        return row[0] if row else None
    conninfo = postgres_conninfo(store.url)
    if conninfo is not None:
        import psycopg

        try:
            with psycopg.connect(conninfo, connect_timeout=10) as server:
                found = server.execute(
                    "SELECT value FROM setting WHERE key = %s", (key,)
                ).fetchone()
        except psycopg.Error:
            pass  # the session below tries again, and says what is wrong in words
        else:
            return found[0] if found else None
    from store.models import SettingRow

    with store.reading() as session:
        setting = session.get(SettingRow, key)
    return setting.value if setting is not None else None


def set_stale_days(store: Store, age: str | int) -> int:
    """Choose how old evidence with no review-by date may be; returns the age in days.

    Every count of out-of-date evidence (dashboard, lists, gaps, packs, checklists) uses it
    from then on. Raises :class:`ValidationError` for an age that is not one.
    """
    from store.models import SettingRow  # SQLAlchemy's models: loaded only to write

    days = parse_age(age)
    before = stale_days(store)
    try:
        with store.transaction() as tx:
            tx.session.merge(SettingRow(key=STALE_DAYS, value=str(days)))
            tx.changes.append(Change("setting", 0, "upsert"))
            # Known before the listeners hear of the change and count again.
            _remember_stale_days(store, days)
    except BaseException:
        _remember_stale_days(store, before)
        raise
    return days


# ---------------------------------------------------------------------------- demo date

DEMO_DATE = "demo_date"


def _stored_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def read_demo_date(store: Store) -> date | None:
    """The date a demo store is set on (``None`` for a council's own store).

    A demo is a snapshot of one week: judged against the real date every action would be
    overdue and no visit planned, so a demo store opens as at its own date (unless
    ``VISITPREP_TODAY`` says otherwise; see ``Store.today``).
    """
    return _stored_date(read_setting(store, DEMO_DATE))


def mark_demo(store: Store, as_at: date) -> None:
    """Record that ``store`` is a demo set on ``as_at`` (the demo builder does, in its batch)."""
    from store.models import SettingRow

    with store.transaction() as tx:
        tx.session.merge(SettingRow(key=DEMO_DATE, value=as_at.isoformat()))
        tx.changes.append(Change("setting", 0, "upsert"))
