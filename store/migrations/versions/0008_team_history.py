"""The team store: history (who changed what, when) and record versions.

``history`` is the audit trail: every write appends entries in the transaction that
makes it (see :mod:`store.history`), and nothing ever edits or deletes one. Its largest
id is the store's change counter. A store upgraded to this starts with an empty history:
what happened before was not recorded.

Each editable record (theme, source, finding, action, evidence, visit) gets a
``version``, 1 for the rows already there, bumped by every change, so that a save
started from an older version is refused instead of overwriting the newer one.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

VERSIONED = ("theme", "source", "finding", "action", "evidence", "visit")


def upgrade() -> None:
    op.create_table(
        "history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("who", sa.String(), nullable=False),
        sa.Column("op", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("label", sa.String(), nullable=False, server_default=""),
        sa.Column("other_kind", sa.String(), nullable=False, server_default=""),
        sa.Column("other_id", sa.Integer(), nullable=True),
        sa.Column("other_label", sa.String(), nullable=False, server_default=""),
        sa.Column("changes", sa.Text(), nullable=False, server_default=""),
        sa.Column("detail", sa.String(), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_history_who", "history", ["who"])
    op.create_index("ix_history_record", "history", ["kind", "record_id"])
    op.create_index("ix_history_other", "history", ["other_kind", "other_id"])
    for table in VERSIONED:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
    op.drop_index("ix_history_other", "history")
    op.drop_index("ix_history_record", "history")
    op.drop_index("ix_history_who", "history")
    op.drop_table("history")
