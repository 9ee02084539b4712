"""who runs an IATI import and when it last moved on, so that a run whose process died is seen as stopped

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("iati_import_run") as batch:
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("runner", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("iati_import_run") as batch:
        batch.drop_column("runner")
        batch.drop_column("heartbeat_at")
