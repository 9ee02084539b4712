"""who checked a seed evidence entry, and against which copy of its source

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 04:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("knowledge_evidence") as batch:
        batch.add_column(sa.Column("checked_by_name", sa.String(200), nullable=True))
        batch.add_column(sa.Column("check_source", sa.String(1000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("knowledge_evidence") as batch:
        batch.drop_column("check_source")
        batch.drop_column("checked_by_name")
