"""The first visitprep schema: sources, themes, findings, actions, evidence, visits.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("owner", sa.String(), nullable=False),
        sa.Column("location", sa.String(), nullable=False),
        sa.Column("impact", sa.String(), nullable=False),
        sa.Column("review_by", sa.Date(), nullable=True),
        sa.Column("personal_data", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("local_authority", sa.String(), nullable=False),
        sa.Column("framework", sa.String(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("published_date", sa.Date(), nullable=True),
        sa.Column("lead_inspector", sa.String(), nullable=False),
        sa.Column("url", sa.String(), nullable=False),
        sa.Column("file_path", sa.String(), nullable=False),
        sa.Column("content_hash", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("content_hash"),
    )
    op.create_table(
        "theme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("notes", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("owner", sa.String(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("brag", sa.String(), nullable=False),
        sa.Column("success_measure", sa.String(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["theme_id"], ["theme.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ref"),
    )
    op.create_index(op.f("ix_action_theme_id"), "action", ["theme_id"], unique=False)
    op.create_table(
        "finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("judgement_area", sa.String(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["parent_id"], ["finding.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["theme_id"], ["theme.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_id", "ref"),
    )
    op.create_index(op.f("ix_finding_parent_id"), "finding", ["parent_id"], unique=False)
    op.create_index(op.f("ix_finding_source_id"), "finding", ["source_id"], unique=False)
    op.create_index(op.f("ix_finding_theme_id"), "finding", ["theme_id"], unique=False)
    op.create_table(
        "judgement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("area", sa.String(), nullable=False),
        sa.Column("grade", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_judgement_source_id"), "judgement", ["source_id"], unique=False)
    op.create_table(
        "visit_evidence",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("ready", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["evidence_id"], ["evidence.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("visit_id", "evidence_id"),
    )
    op.create_table(
        "visit_theme",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["theme_id"], ["theme.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("visit_id", "theme_id"),
    )
    op.create_table(
        "action_evidence",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["action_id"], ["action.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["evidence_id"], ["evidence.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("action_id", "evidence_id"),
    )
    op.create_index(
        op.f("ix_action_evidence_evidence_id"), "action_evidence", ["evidence_id"], unique=False
    )
    op.create_table(
        "action_update",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("brag", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["action_id"], ["action.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_action_update_action_id"), "action_update", ["action_id"], unique=False
    )
    op.create_table(
        "finding_action",
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["action_id"], ["action.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["finding_id"], ["finding.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("finding_id", "action_id"),
    )
    op.create_index(
        op.f("ix_finding_action_action_id"), "finding_action", ["action_id"], unique=False
    )
    op.create_table(
        "finding_evidence",
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["evidence_id"], ["evidence.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["finding_id"], ["finding.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("finding_id", "evidence_id"),
    )
    op.create_index(
        op.f("ix_finding_evidence_evidence_id"), "finding_evidence", ["evidence_id"], unique=False
    )
    op.create_table(
        "visit_finding",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("included", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["finding_id"], ["finding.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("visit_id", "finding_id"),
    )
    # ### end Alembic commands ###


def downgrade() -> None:
    op.drop_table("visit_finding")
    op.drop_index(op.f("ix_finding_evidence_evidence_id"), table_name="finding_evidence")
    op.drop_table("finding_evidence")
    op.drop_index(op.f("ix_finding_action_action_id"), table_name="finding_action")
    op.drop_table("finding_action")
    op.drop_index(op.f("ix_action_update_action_id"), table_name="action_update")
    op.drop_table("action_update")
    op.drop_index(op.f("ix_action_evidence_evidence_id"), table_name="action_evidence")
    op.drop_table("action_evidence")
    op.drop_table("visit_theme")
    op.drop_table("visit_evidence")
    op.drop_index(op.f("ix_judgement_source_id"), table_name="judgement")
    op.drop_table("judgement")
    op.drop_index(op.f("ix_finding_theme_id"), table_name="finding")
    op.drop_index(op.f("ix_finding_source_id"), table_name="finding")
    op.drop_index(op.f("ix_finding_parent_id"), table_name="finding")
    op.drop_table("finding")
    op.drop_index(op.f("ix_action_theme_id"), table_name="action")
    op.drop_table("action")
    op.drop_table("visit")
    op.drop_table("theme")
    op.drop_table("source")
    op.drop_table("evidence")
    # ### end Alembic commands ###
