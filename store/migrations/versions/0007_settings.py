"""Store-wide settings: how old evidence may be before it is out of date.

Evidence with no review-by date goes out of date once it is older than an age the council
chooses (six months unless it chooses otherwise). The choice belongs to the store, not to
one person's machine: everyone who opens the store, the app and the command line alike,
counts the same gaps. A store upgraded to this keeps six months until someone changes it.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "setting",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("setting")
