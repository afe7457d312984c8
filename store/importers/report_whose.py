"""Whose a report is, and which stored report is the same inspection.

A report is this council's own (in packs and gaps) or another council's (for search and
learning); :func:`is_ours` decides, from the councils of the sources already marked as our
own (:func:`own_councils`), and :func:`whose` says it. Whether a file is an inspection
already stored is one indexed look-up: the council's ONS code and the inspection dates,
never a name (:func:`same_inspection`).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session, col

from store.database import Store
from store.importers.report_read import ParsedReport
from store.models import SourceRow
from store.wording import Option, Phrase, phrase


def council_key(name: str) -> str:
    """A local authority's name as :func:`own_councils` holds it (any case or spacing)."""
    return " ".join(name.split()).lower()


def _key_of(code: str, name: str) -> str:
    """A council as this council's own are held: its ONS code, or for a source with none
    (made by hand) its name."""
    return code or council_key(name)


def own_councils(store: Store, session: Session | None = None) -> set[str]:
    """The councils of this council's own sources (ONS codes; a source with no code by its
    lowercased name), for :func:`is_ours`."""

    def read(s: Session) -> set[str]:
        rows = s.execute(
            select(col(SourceRow.council_code), col(SourceRow.local_authority))
            .where(col(SourceRow.ours).is_(True))
            .distinct()
        )
        return {_key_of(code, name) for code, name in rows if code or name.strip()}

    if session is not None:
        return read(session)
    with store.reading() as s:
        return read(s)


def is_ours(council: str, own: set[str]) -> bool:
    """Whether a report of ``council`` (its ONS code, or a name) is this council's own: one
    of our own sources is that council's, or no own source names a council yet (the first
    report is the council's own). Otherwise it is another council's, imported to learn from."""
    return not own or council in own or council_key(council) in own


def whose(ours: bool, *, hint: bool = True) -> Phrase:
    """How a report is stored, said plainly ("as another council's report, for search and
    learning: not in packs or gaps"), with how to change it when ``hint`` (the choice each
    front end names: ``--ours`` and ``--other`` on the command line)."""
    if ours:
        return phrase(
            "as this council's own report",
            phrase(" (use ", Option.OTHER, " if it is another council's)") if hint else "",
        )
    return phrase(
        "as another council's report, for search and learning: not in packs or gaps",
        phrase(" (use ", Option.OURS, " if it is yours)") if hint else "",
    )


# --- the same inspection --------------------------------------------------------------------


def same_inspection(session: Session, report: ParsedReport) -> SourceRow | None:
    """The stored report of the same inspection: the same council (by its ONS code, never
    its name) and the same inspection dates. One indexed look-up."""
    if not report.council_code or report.start_date is None:
        return None
    query = select(SourceRow).where(
        col(SourceRow.council_code) == report.council_code,
        col(SourceRow.start_date) == report.start_date,
    )
    if report.end_date is not None:
        query = query.where(col(SourceRow.end_date) == report.end_date)
    return session.scalars(query.order_by(col(SourceRow.id)).limit(1)).first()


def inspection_key(report: ParsedReport) -> tuple[str, date | None, date | None]:
    """An inspection as a preview tells two files of it apart: council code and dates."""
    return report.council_code, report.start_date, report.end_date
