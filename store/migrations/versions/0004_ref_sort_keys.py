"""Refs sort naturally: a sort key beside each finding's and action's ref.

``ref_key`` (``store.refs.ref_key``) is the ref lowercased with every run of digits
zero-padded, after the length of the words before its first number: text order is then
R1, R2 ... R10, then Para 41, and 1.9, 1.10, 2.1, 10.1.
Lists page through up to 100,000 rows sorted in the database, so the order has to be a
column with an index: findings sort by source then ref, actions by ref.

The column is added with an empty default (SQLite adds a NOT NULL column only with one;
changing it after would rebuild the tables, and with foreign keys on, dropping the old
``finding`` table would delete its links), then filled in for the rows already there.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from store.refs import ref_key

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_finding_source_id_ref_key", "finding", ["source_id", "ref_key"]),
    ("ix_action_ref_key", "action", ["ref_key"]),
)


def upgrade() -> None:
    connection = op.get_bind()
    for table in ("finding", "action"):
        op.add_column(table, sa.Column("ref_key", sa.String(), nullable=False, server_default=""))
        rows = sa.table(table, sa.column("id", sa.Integer), sa.column("ref", sa.String))
        keys = [
            {"row_id": row_id, "key": ref_key(ref)}
            for row_id, ref in connection.execute(sa.select(rows.c.id, rows.c.ref))
            if ref
        ]
        if keys:
            target = sa.table(table, sa.column("id", sa.Integer), sa.column("ref_key", sa.String))
            connection.execute(
                target.update()
                .where(target.c.id == sa.bindparam("row_id"))
                .values(ref_key=sa.bindparam("key")),
                keys,
            )
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    for table in ("action", "finding"):
        # ALTER TABLE ... DROP COLUMN (SQLite 3.35+), not a batch rebuild: see above.
        op.drop_column(table, "ref_key")
