"""need.beneficiaries_count as a 64-bit number: the form and imports admit up to ten billion people

On PostgreSQL the column was a 32-bit integer: 3,000,000,000 passed every check, then the database refused
it (NumericValueOutOfRange, a 500 on the form and on an import). SQLite's INTEGER already holds 64 bits, so
nothing changes there (altering a type would rebuild the need table, whose rows other tables point to).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _holds_32_bits_only() -> bool:
    return op.get_bind().dialect.name != "sqlite"


def upgrade() -> None:
    if _holds_32_bits_only():
        op.alter_column(
            "need",
            "beneficiaries_count",
            type_=sa.BigInteger(),
            existing_type=sa.Integer(),
            existing_nullable=True,
        )


def downgrade() -> None:
    # A count past 32 bits cannot go back: the downgrade stops on it rather than change what was stated.
    if _holds_32_bits_only():
        op.alter_column(
            "need",
            "beneficiaries_count",
            type_=sa.Integer(),
            existing_type=sa.BigInteger(),
            existing_nullable=True,
        )
