"""tamper-evident audit chain and operations (issue 16)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 19:20:00
"""

from collections.abc import Sequence

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Reserved so that work in parallel keeps one linear chain; filled in by its issue's change.
    pass


def downgrade() -> None:
    pass
