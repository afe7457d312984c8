"""Progress notes whose date is not given: ``action_update.on_date`` may be NULL.

A plan spreadsheet's progress note that no "Updated" column, no date in the note and no
period in its column's header dates is kept as "date not given" (NULL), never as the day
of the import. Every update already stored keeps its date; only imports leave one out (a
person typing an update gives its date).

SQLite rebuilds the table (batch mode: rows, ids, the foreign key and the action_id index
kept); PostgreSQL drops the NOT NULL in place.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("action_update") as batch:
        batch.alter_column("on_date", existing_type=sa.Date(), nullable=True)


def downgrade() -> None:
    undated = op.get_bind().scalar(
        sa.text("SELECT COUNT(*) FROM action_update WHERE on_date IS NULL")
    )
    if undated:
        # Giving them a date would say something the plan never said: refuse instead.
        raise RuntimeError(
            f"{undated} progress notes have no date; 0010 cannot hold them. Nothing was changed."
        )
    with op.batch_alter_table("action_update") as batch:
        batch.alter_column("on_date", existing_type=sa.Date(), nullable=False)
