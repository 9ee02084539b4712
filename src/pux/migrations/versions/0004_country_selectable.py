"""country.is_selectable: uninhabited areas are listed but not offered in country pickers

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The uninhabited M49 areas (tools/build_reference.py, UNINHABITED). `pux init` sets the flag from the
# packaged table too; this keeps a database that is upgraded but not yet re-initialised right.
UNINHABITED = ("ATA", "BVT", "HMD", "ATF", "SGS", "UMI", "IOT")


def upgrade() -> None:
    with op.batch_alter_table("country", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_selectable", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    country = sa.table("country", sa.column("iso3", sa.String(3)), sa.column("is_selectable", sa.Boolean()))
    op.execute(country.update().where(country.c.iso3.in_(UNINHABITED)).values(is_selectable=False))


def downgrade() -> None:
    with op.batch_alter_table("country", schema=None) as batch_op:
        batch_op.drop_column("is_selectable")
