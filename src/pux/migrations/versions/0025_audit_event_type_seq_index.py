"""audit_event (entity_type, chain_seq): the latest committed audit record of a kind in one index step

The stamps that say whether kept results (gap reports, activity totals, matching candidates) are current
counted the latest change time and the highest id of the rows: both are given when a row is written, not
when it commits, so a save that committed after a later one left the stamps unmoved and every process
kept serving the figures from before it. The stamps now read the chain place of the latest audit record
of each kind they depend on, which is given at commit, in commit order.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 17:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_audit_event_type_seq", "audit_event", ["entity_type", "chain_seq"])


def downgrade() -> None:
    op.drop_index("ix_audit_event_type_seq", table_name="audit_event")
