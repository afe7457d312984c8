"""Reports read right: council codes, detail paragraphs, the board's recommendations.

- ``source.council_code``: the council's ONS code on the official list (store.councils).
  The "same inspection" rule is the content hash, then this code with the inspection's
  dates, never a name.
- ``finding.role``: "" a thing the report asks the council to do; "detail" a SIF body
  paragraph marked "(Recommendation)" or "(Area for improvement)", attached by
  ``finding.detail_of`` to the recommendation it supports (or to none); "board" the
  safeguarding board's recommendation, which counts as the council's once the lead adopts
  it (``finding.adopted``). Only "" and adopted board findings are counted: the lead's
  "No action" is the number of distinct things the report asks.

The upgrade re-reads each stored report's structure with the import's own rules
(:mod:`store.importers.report_upgrade`), from what is stored and, where a council's name
does not match the list, from the report file if it is still there unchanged. Nothing is
deleted: every link a lead made stays.

The dashboard's "no action" count reads the index alone: 0005's (status, kind, source_id)
index gains role and adopted.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "source", sa.Column("council_code", sa.String(), nullable=False, server_default="")
    )
    op.create_index("ix_source_council_code", "source", ["council_code"])
    op.add_column("finding", sa.Column("role", sa.String(), nullable=False, server_default=""))
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with a foreign key (its default NULL) by plain ALTER TABLE,
        # which alembic's add_column will not write.
        op.execute(
            "ALTER TABLE finding ADD COLUMN detail_of INTEGER "
            "REFERENCES finding (id) ON DELETE SET NULL"
        )
    else:
        op.add_column(
            "finding",
            sa.Column(
                "detail_of", sa.Integer(), sa.ForeignKey("finding.id", ondelete="SET NULL"),
                nullable=True,
            ),
        )  # fmt: skip
    op.create_index("ix_finding_detail_of", "finding", ["detail_of"])
    op.add_column(
        "finding",
        sa.Column("adopted", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.drop_index("ix_finding_status_kind_source_id", table_name="finding")
    op.create_index(
        "ix_finding_status_kind_source_id_role",
        "finding",
        ["status", "kind", "source_id", "role", "adopted"],
    )
    from store.importers.report_upgrade import upgrade_reports

    upgrade_reports(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_finding_status_kind_source_id_role", table_name="finding")
    op.create_index("ix_finding_status_kind_source_id", "finding", ["status", "kind", "source_id"])
    op.drop_index("ix_finding_detail_of", table_name="finding")
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35+), not a batch rebuild: see 0004.
    op.drop_column("finding", "adopted")
    op.drop_column("finding", "detail_of")
    op.drop_column("finding", "role")
    op.drop_index("ix_source_council_code", table_name="source")
    op.drop_column("source", "council_code")
