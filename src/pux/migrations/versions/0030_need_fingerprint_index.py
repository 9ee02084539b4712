"""need (status, visibility, updated_at, version, id): the needs' fingerprint from one index

The stamp that keys kept matching and gap results counted the chain place of the latest audit record of
any need, which moved at every draft written: at the mission's scale each draft made every app process
read all matchable needs again. It now sums the versions (and ids) of the needs it covers instead; this
index, replacing (status, visibility, updated_at), holds those too, so the stamp still reads no table row.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07 00:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_need_fingerprint", "need", ["status", "visibility", "updated_at", "version", "id"])
    op.drop_index("ix_need_status_visibility_updated_at", table_name="need")


def downgrade() -> None:
    op.create_index("ix_need_status_visibility_updated_at", "need", ["status", "visibility", "updated_at"])
    op.drop_index("ix_need_fingerprint", table_name="need")
