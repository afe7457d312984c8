"""Measures get a ``version``, as every other editable record has since 0008.

A measure's form started from an older version than the one stored is refused instead of
overwriting it ("changed by Alex Khan at 10:42 since you opened it"). The measures
already there start at 1; their values and links are not touched.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("measure", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("measure") as batch:
        batch.drop_column("version")
