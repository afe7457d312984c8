"""Progress notes whose BRAG is not given: ``action_update.brag`` may be NULL.

A plan spreadsheet has one BRAG cell a row, so a progress cell of several dated notes
gives the BRAG of its newest note only: the older notes are kept with their BRAG not
given (NULL), never with the row's BRAG of today (a December note of an action now Blue
must not read Blue in December). Every update already stored keeps its BRAG; only
imports leave one out (a person typing an update gives its BRAG).

SQLite rebuilds the table (batch mode: rows, ids, the foreign key and the action_id index
kept); PostgreSQL drops the NOT NULL in place.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("action_update") as batch:
        batch.alter_column("brag", existing_type=sa.String(), nullable=True)


def downgrade() -> None:
    not_given = op.get_bind().scalar(
        sa.text("SELECT COUNT(*) FROM action_update WHERE brag IS NULL")
    )
    if not_given:
        # Giving them a BRAG would say something the plan never said: refuse instead.
        raise RuntimeError(
            f"{not_given} progress notes have no BRAG; 0012 cannot hold them. Nothing was changed."
        )
    with op.batch_alter_table("action_update") as batch:
        batch.alter_column("brag", existing_type=sa.String(), nullable=False)
