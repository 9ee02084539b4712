"""knowledge_evidence.study_method: how an entry's figure was obtained (null: the source does not say)

The entries already in the ledger, the seed's among them, stay "not stated": none is given a method nobody
read in its source.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("knowledge_evidence") as batch:
        batch.add_column(sa.Column("study_method", sa.String(30), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("knowledge_evidence") as batch:
        batch.drop_column("study_method")
