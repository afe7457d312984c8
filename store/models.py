"""Table models. Private to the store: callers get the plain records of ``store.records``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, DateTime, ForeignKey, Integer, Text, UniqueConstraint, false, true
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel


def _version_mapper_args(cls: Any) -> dict[str, Any]:
    return {"version_id_col": cls.__table__.c.version}


# An editable record's ``version`` (migration 0008): 1 when made, bumped by every UPDATE,
# which only lands if the row still has the version it was read at (else StaleDataError,
# turned into store.errors.StaleRecord): no save ever overwrites one it did not see.
_VERSIONED: Any = declared_attr(_version_mapper_args)  # type: ignore[arg-type]


def _version() -> Any:
    return Field(default=1, sa_column_kwargs={"server_default": "1"})


def _fk(target: str, *, nullable: bool = True, ondelete: str = "CASCADE") -> Column:
    return Column(Integer, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=True)


class ThemeRow(SQLModel, table=True):
    __tablename__ = "theme"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    position: int = 0
    version: int = _version()
    __mapper_args__ = _VERSIONED


class SourceRow(SQLModel, table=True):
    __tablename__ = "source"
    id: int | None = Field(default=None, primary_key=True)
    kind: str
    title: str
    local_authority: str = ""
    framework: str = ""
    start_date: date | None = None
    end_date: date | None = None
    published_date: date | None = None
    lead_inspector: str = ""
    url: str = ""
    file_path: str = ""
    content_hash: str | None = Field(default=None, unique=True)
    created_at: datetime | None = None
    # This council's own report (True), or another council's, kept to search and learn
    # from: its findings are never in a pack, the gaps or the dashboard (migration 0005).
    ours: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    # The council's ONS code on the official list (store.councils; migration 0009): "" for
    # a source that is no report, or one whose council could not be matched.
    council_code: str = Field(default="", index=True, sa_column_kwargs={"server_default": ""})
    version: int = _version()
    __mapper_args__ = _VERSIONED


class JudgementRow(SQLModel, table=True):
    __tablename__ = "judgement"
    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(sa_column=_fk("source.id", nullable=False))
    area: str
    grade: str


class FindingRow(SQLModel, table=True):
    __tablename__ = "finding"
    __table_args__ = (UniqueConstraint("source_id", "ref"),)
    id: int | None = Field(default=None, primary_key=True)
    ref: str = ""
    # store.refs.ref_key(ref), set with the ref, so that lists sort R2 before R10 in SQL.
    ref_key: str = Field(default="", sa_column_kwargs={"server_default": ""})
    source_id: int | None = Field(default=None, sa_column=_fk("source.id", ondelete="RESTRICT"))
    theme_id: int | None = Field(default=None, sa_column=_fk("theme.id", ondelete="SET NULL"))
    kind: str = "improvement area"
    judgement_area: str = ""
    text: str = ""
    title: str
    status: str = "open"
    parent_id: int | None = Field(default=None, sa_column=_fk("finding.id", ondelete="SET NULL"))
    # What the finding is (store.importers.report_structure; migration 0009): "" a thing
    # the report asks the council to do, "detail" a marked paragraph (attached to the
    # recommendation it supports by ``detail_of``), "board" the safeguarding board's
    # recommendation, counted as the council's once ``adopted``.
    role: str = Field(default="", sa_column_kwargs={"server_default": ""})
    detail_of: int | None = Field(default=None, sa_column=_fk("finding.id", ondelete="SET NULL"))
    adopted: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    version: int = _version()
    __mapper_args__ = _VERSIONED


class ActionRow(SQLModel, table=True):
    __tablename__ = "action"
    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(unique=True)
    ref_key: str = Field(default="", sa_column_kwargs={"server_default": ""})  # as a finding's
    title: str
    description: str = ""
    owner: str = ""
    due_date: date | None = None
    brag: str = "green"
    success_measure: str = ""
    opened_on: date | None = None
    closed_on: date | None = None
    theme_id: int | None = Field(default=None, sa_column=_fk("theme.id", ondelete="SET NULL"))
    version: int = _version()
    __mapper_args__ = _VERSIONED


class FindingActionLink(SQLModel, table=True):
    __tablename__ = "finding_action"
    finding_id: int = Field(
        sa_column=Column(Integer, ForeignKey("finding.id", ondelete="CASCADE"), primary_key=True)
    )
    action_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("action.id", ondelete="CASCADE"), primary_key=True, index=True
        )
    )


class ActionUpdateRow(SQLModel, table=True):
    __tablename__ = "action_update"
    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(sa_column=_fk("action.id", nullable=False))
    on_date: date | None = None  # None: "date not given" (an undated note from a plan)
    brag: str | None  # None: "BRAG not given" (an older note of a plan's progress cell)
    note: str
    author: str = ""


class EvidenceRow(SQLModel, table=True):
    __tablename__ = "evidence"
    id: int | None = Field(default=None, primary_key=True)
    title: str
    kind: str = "other"
    as_of: date | None = None
    owner: str = ""
    location: str = ""
    impact: str = ""
    review_by: date | None = None
    personal_data: bool = False
    # Set by an evidence-folder scan when the file it found before has gone.
    missing_since: date | None = None
    version: int = _version()
    __mapper_args__ = _VERSIONED


class ActionEvidenceLink(SQLModel, table=True):
    __tablename__ = "action_evidence"
    action_id: int = Field(
        sa_column=Column(Integer, ForeignKey("action.id", ondelete="CASCADE"), primary_key=True)
    )
    evidence_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True, index=True
        )
    )


class FindingEvidenceLink(SQLModel, table=True):
    __tablename__ = "finding_evidence"
    finding_id: int = Field(
        sa_column=Column(Integer, ForeignKey("finding.id", ondelete="CASCADE"), primary_key=True)
    )
    evidence_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True, index=True
        )
    )


class VisitRow(SQLModel, table=True):
    __tablename__ = "visit"
    id: int | None = Field(default=None, primary_key=True)
    title: str
    kind: str = "monitoring visit"
    start_date: date
    end_date: date | None = None
    notes: str = ""
    version: int = _version()
    __mapper_args__ = _VERSIONED


class VisitThemeLink(SQLModel, table=True):
    __tablename__ = "visit_theme"
    visit_id: int = Field(
        sa_column=Column(Integer, ForeignKey("visit.id", ondelete="CASCADE"), primary_key=True)
    )
    theme_id: int = Field(
        sa_column=Column(Integer, ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True)
    )


class VisitFindingRow(SQLModel, table=True):
    """A finding added to (included) or dropped from (not included) a visit's pack by hand."""

    __tablename__ = "visit_finding"
    visit_id: int = Field(
        sa_column=Column(Integer, ForeignKey("visit.id", ondelete="CASCADE"), primary_key=True)
    )
    finding_id: int = Field(
        sa_column=Column(Integer, ForeignKey("finding.id", ondelete="CASCADE"), primary_key=True)
    )
    included: bool


class VisitEvidenceRow(SQLModel, table=True):
    """The "ready for this visit" tick on an evidence item."""

    __tablename__ = "visit_evidence"
    visit_id: int = Field(
        sa_column=Column(Integer, ForeignKey("visit.id", ondelete="CASCADE"), primary_key=True)
    )
    evidence_id: int = Field(
        sa_column=Column(Integer, ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True)
    )
    ready: bool = True


class HistoryRow(SQLModel, table=True):
    """One write, appended in the transaction that made it and never changed (migration
    0008; written by :mod:`store.history`, read through its functions)."""

    __tablename__ = "history"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=Column(DateTime, nullable=False))  # UTC, naive
    who: str = Field(index=True)
    op: str
    kind: str
    record_id: int | None = None
    label: str = ""
    other_kind: str = ""
    other_id: int | None = None
    other_label: str = ""
    changes: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    detail: str = ""


class SettingRow(SQLModel, table=True):
    """A store-wide choice, by name (``stale_days``: see :mod:`store.settings`)."""

    __tablename__ = "setting"
    key: str = Field(primary_key=True)
    value: str


class MeasureRow(SQLModel, table=True):
    """A performance indicator the improvement board tracks (see :mod:`store.measures`)."""

    __tablename__ = "measure"
    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(unique=True)
    ref_key: str = ""  # store.refs.ref_key(ref), so that M2 sorts before M10
    name: str
    theme_id: int | None = Field(default=None, sa_column=_fk("theme.id", ondelete="SET NULL"))
    unit: str = "%"
    polarity: str = "higher"
    target: float | None = None
    tolerance: float = 0.0
    england: float | None = None
    neighbours: float | None = None
    comparator_year: str = ""
    owner: str = ""
    frequency: str = "monthly"
    definition: str = ""
    # Migration 0012: a save started from an older version is refused (see _VERSIONED).
    version: int = _version()
    __mapper_args__ = _VERSIONED


class MeasureValueRow(SQLModel, table=True):
    """A measure's value for one month or quarter (``period`` is its first day)."""

    __tablename__ = "measure_value"
    __table_args__ = (UniqueConstraint("measure_id", "period"),)
    id: int | None = Field(default=None, primary_key=True)
    measure_id: int = Field(sa_column=_fk("measure.id", nullable=False))
    period: date
    value: float
    note: str = ""
    entered_by: str = ""
    entered_at: datetime | None = None


class MeasureFindingLink(SQLModel, table=True):
    __tablename__ = "measure_finding"
    measure_id: int = Field(
        sa_column=Column(Integer, ForeignKey("measure.id", ondelete="CASCADE"), primary_key=True)
    )
    finding_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("finding.id", ondelete="CASCADE"), primary_key=True, index=True
        )
    )


class MeasureActionLink(SQLModel, table=True):
    __tablename__ = "measure_action"
    measure_id: int = Field(
        sa_column=Column(Integer, ForeignKey("measure.id", ondelete="CASCADE"), primary_key=True)
    )
    action_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("action.id", ondelete="CASCADE"), primary_key=True, index=True
        )
    )
