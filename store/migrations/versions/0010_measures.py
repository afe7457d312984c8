"""Performance measures: the indicators the improvement board tracks, their values by month or
quarter, and their links to findings and actions as evidence of impact.

Portable types only (String, Float, Date, DateTime, Integer), so SQLite and PostgreSQL get the
same tables. A value's period is the first day of its month or quarter; one value per measure
and period.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "measure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(), nullable=False),
        sa.Column("ref_key", sa.String(), nullable=False, server_default=""),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.Column("unit", sa.String(), nullable=False),
        sa.Column("polarity", sa.String(), nullable=False),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("tolerance", sa.Float(), nullable=False, server_default="0"),
        sa.Column("england", sa.Float(), nullable=True),
        sa.Column("neighbours", sa.Float(), nullable=True),
        sa.Column("comparator_year", sa.String(), nullable=False, server_default=""),
        sa.Column("owner", sa.String(), nullable=False, server_default=""),
        sa.Column("frequency", sa.String(), nullable=False),
        sa.Column("definition", sa.String(), nullable=False, server_default=""),
        sa.ForeignKeyConstraint(["theme_id"], ["theme.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ref"),
    )
    op.create_index(op.f("ix_measure_theme_id"), "measure", ["theme_id"], unique=False)
    op.create_table(
        "measure_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("note", sa.String(), nullable=False, server_default=""),
        sa.Column("entered_by", sa.String(), nullable=False, server_default=""),
        sa.Column("entered_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["measure_id"], ["measure.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("measure_id", "period"),
    )
    op.create_index(
        op.f("ix_measure_value_measure_id"), "measure_value", ["measure_id"], unique=False
    )
    op.create_table(
        "measure_finding",
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["measure_id"], ["measure.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["finding_id"], ["finding.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("measure_id", "finding_id"),
    )
    op.create_index(
        op.f("ix_measure_finding_finding_id"), "measure_finding", ["finding_id"], unique=False
    )
    op.create_table(
        "measure_action",
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["measure_id"], ["measure.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["action_id"], ["action.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("measure_id", "action_id"),
    )
    op.create_index(
        op.f("ix_measure_action_action_id"), "measure_action", ["action_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_measure_action_action_id"), table_name="measure_action")
    op.drop_table("measure_action")
    op.drop_index(op.f("ix_measure_finding_finding_id"), table_name="measure_finding")
    op.drop_table("measure_finding")
    op.drop_index(op.f("ix_measure_value_measure_id"), table_name="measure_value")
    op.drop_table("measure_value")
    op.drop_index(op.f("ix_measure_theme_id"), table_name="measure")
    op.drop_table("measure")
