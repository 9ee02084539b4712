"""allocation_round.method: 80 characters, not 40

A round of the large rounds' way is stored with the method "flow relaxation + mixed-integer repair
(HiGHS)", 47 characters: on PostgreSQL every such round (a round over all programmes at the mission's
scale, with all-or-nothing offers) failed as it was saved. SQLite does not hold text to its declared length.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07 16:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("allocation_round") as batch:
        batch.alter_column(
            "method", existing_type=sa.String(40), type_=sa.String(80), existing_nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("allocation_round") as batch:
        batch.alter_column(
            "method", existing_type=sa.String(80), type_=sa.String(40), existing_nullable=False
        )
