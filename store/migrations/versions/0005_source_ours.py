"""Whose report a source is: this council's own, or another council's (for learning).

Leads import other councils' published reports to search them ("what did Ofsted say
about return home interviews elsewhere?"); those findings must never land in a visit's
pack, the gaps or the dashboard. ``source.ours`` says which; a finding is ours when its
source is (or when it has no source).

Stores written before this say nothing about it, so the column is filled in by a rule a
lead can check against their own store:

- a store whose sources name one local authority (or none) is all the council's own;
- otherwise the council is the local authority (or authorities) whose findings its own
  work answers: a finding linked to an action or an evidence item, or added to a visit's
  pack by hand. Their sources stay ours;
- a source of any other local authority becomes another council's, unless one of its
  findings is itself linked or added by hand (the lead used it as theirs: it stays ours);
- when no finding is linked at all, nothing says which council is the lead's, so every
  source stays ours. A source with no local authority (an internal audit) stays ours.

The column is added with a default of true (SQLite adds a NOT NULL column only with one),
then the other councils' sources are set to false.

The dashboard's "no action" count now asks whose each finding is: the index it counts on
(0003's finding (status, kind)) gains source_id, so that the count still reads the index
alone (about 45 ms for the whole dashboard at 100,000 records, not 80).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Findings the council's own work answers: linked to an action or evidence, or put in a
# pack by hand.
_USED_FINDINGS = """
SELECT finding_id FROM finding_action
UNION SELECT finding_id FROM finding_evidence
UNION SELECT finding_id FROM visit_finding WHERE included
"""


def other_council_sources(connection: sa.Connection) -> list[int]:
    """Ids of the sources the rule above makes another council's."""
    councils: dict[int, str] = {
        source_id: " ".join((authority or "").split()).lower()
        for source_id, authority in connection.execute(
            sa.text("SELECT id, local_authority FROM source")
        )
    }
    if len({name for name in councils.values() if name}) <= 1:
        return []
    used = {
        source_id
        for (source_id,) in connection.execute(
            sa.text(
                f"SELECT DISTINCT source_id FROM finding WHERE source_id IS NOT NULL "
                f"AND id IN ({_USED_FINDINGS})"
            )
        )
    }
    ours = {councils[source_id] for source_id in used if councils.get(source_id)}
    if not ours:
        return []
    return sorted(
        source_id
        for source_id, name in councils.items()
        if name and name not in ours and source_id not in used
    )


def upgrade() -> None:
    op.add_column(
        "source", sa.Column("ours", sa.Boolean(), nullable=False, server_default=sa.true())
    )
    connection = op.get_bind()
    others = other_council_sources(connection)
    if others:
        source = sa.table("source", sa.column("id", sa.Integer), sa.column("ours", sa.Boolean))
        connection.execute(source.update().where(source.c.id.in_(others)).values(ours=False))
    op.drop_index("ix_finding_status_kind", table_name="finding")
    op.create_index("ix_finding_status_kind_source_id", "finding", ["status", "kind", "source_id"])


def downgrade() -> None:
    op.drop_index("ix_finding_status_kind_source_id", table_name="finding")
    op.create_index("ix_finding_status_kind", "finding", ["status", "kind"])
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35+), not a batch rebuild: see 0004.
    op.drop_column("source", "ours")
