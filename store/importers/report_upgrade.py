"""Bring reports imported before migration 0009 up to what an import gives now.

Run by the migration on its connection (SQL only, no ORM, so that it reads the tables as
they are at that revision). For each source:

- its council is matched to the official list (:mod:`store.councils`) by the name stored,
  or, where that fails and the report file is still where it was imported from with the
  same content, by reading the file again; a match stores the council's code and its
  official name. A source matched by neither keeps its name and no code;
- the findings of an imported report (one with a content hash) get their role by the
  refs the importer gave them (B1.. the board's, P<n> a marked paragraph's detail) and
  each detail paragraph is attached to the recommendation it supports, by the same rule
  as an import (:func:`store.importers.report_structure.attach`).

Nothing is deleted: every link, tick and theme a lead made stays where it was.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from store.councils import match_council
from store.importers.report_structure import Piece, attach
from store.vocab import ASKED, BOARD, DETAIL


def _day(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _from_file(file_path: str, content_hash: str | None) -> tuple[str, str] | None:
    """The council (name, code) read again from the report file, if it is still there
    unchanged."""
    from store.errors import ImportFailed
    from store.importers.reports import read_report

    path = Path(file_path) if file_path else None
    if path is None or content_hash is None or not path.is_file():
        return None
    try:
        if hashlib.sha256(path.read_bytes()).hexdigest() != content_hash:
            return None
        report = read_report(path)
    except (ImportFailed, OSError):
        return None
    return report.local_authority, report.council_code


def role_of(ref: str) -> str:
    """A stored finding's role, from the ref an import gave it."""
    if re.fullmatch(r"B\d+(?:-\d+)?", ref):
        return BOARD
    if re.fullmatch(r"P\d*(?:-\d+)?", ref):
        return DETAIL
    return ASKED


def upgrade_reports(connection: sa.Connection) -> None:
    sources = connection.execute(
        sa.text("SELECT id, local_authority, start_date, file_path, content_hash FROM source")
    ).all()
    for source_id, authority, start, file_path, content_hash in sources:
        council = match_council(authority or "", _day(start)) if authority else None
        found = (council.name, council.code) if council is not None else None
        if found is None and content_hash is not None:
            found = _from_file(file_path or "", content_hash)
        if found is not None:
            connection.execute(
                sa.text("UPDATE source SET local_authority = :name, council_code = :code "
                        "WHERE id = :id"),
                {"name": found[0], "code": found[1], "id": source_id},
            )  # fmt: skip
        if content_hash is not None:
            _restructure(connection, source_id)


def _restructure(connection: sa.Connection, source_id: int) -> None:
    rows = connection.execute(
        sa.text("SELECT id, ref, text, judgement_area FROM finding WHERE source_id = :s"),
        {"s": source_id},
    ).all()
    pieces: dict[str, list[Piece]] = {ASKED: [], DETAIL: [], BOARD: []}
    ids: dict[str, int] = {}
    for finding_id, ref, text, area in rows:
        role = role_of(ref)
        number = re.match(r"P(\d+)", ref)
        pieces[role].append(
            Piece(ref, text or "", area or "", int(number.group(1)) if number else None)
        )
        ids[ref] = finding_id
        if role != ASKED:
            connection.execute(
                sa.text("UPDATE finding SET role = :role WHERE id = :id"),
                {"role": role, "id": finding_id},
            )
    links = attach(pieces[ASKED], pieces[DETAIL], pieces[BOARD])
    for ref, headline in links.items():
        if headline is not None:
            connection.execute(
                sa.text("UPDATE finding SET detail_of = :headline WHERE id = :id"),
                {"headline": ids[headline], "id": ids[ref]},
            )
