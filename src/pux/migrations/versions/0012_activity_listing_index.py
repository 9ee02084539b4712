"""an index in the activity list's order (newest start first, then id)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 00:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_assistance_activity_listing",
        "assistance_activity",
        [sa.text("start_date DESC"), "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_assistance_activity_listing", table_name="assistance_activity")
