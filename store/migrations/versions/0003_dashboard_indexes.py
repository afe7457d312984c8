"""Indexes for the dashboard's counts, so a big store's first screen is quick.

Each number on the dashboard is one count; without these, every count reads the whole
table (about 0.1 s in all at 100,000 records; with them, about 0.04 s).

- action (brag, due_date): BRAG counts, overdue and due soon (never Blue, due before/after today);
- evidence review_by / as_of: out-of-date evidence (review due, or older than the stale days);
- evidence missing_since: files a folder scan saw go;
- finding (status, kind): findings that still need an action.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_action_brag_due_date", "action", ["brag", "due_date"]),
    ("ix_evidence_review_by", "evidence", ["review_by"]),
    ("ix_evidence_as_of", "evidence", ["as_of"]),
    ("ix_evidence_missing_since", "evidence", ["missing_since"]),
    ("ix_finding_status_kind", "finding", ["status", "kind"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
