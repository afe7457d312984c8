"""Reserved for reports read right (council codes, detail paragraphs, board findings): filled by the work that needs it.

Revision ID: 0009
Revises: 0008
"""

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
