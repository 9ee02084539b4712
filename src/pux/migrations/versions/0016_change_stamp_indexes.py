"""indexes for the stamps that say whether kept results are still current: the newest change of the
activities, the count and newest change of the needs in some statuses, the latest audit record of a kind

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 23:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_assistance_activity_updated_at", "assistance_activity", ["updated_at"])
    op.create_index("ix_need_status_visibility_updated_at", "need", ["status", "visibility", "updated_at"])
    op.create_index("ix_audit_event_type_id", "audit_event", ["entity_type", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_event_type_id", table_name="audit_event")
    op.drop_index("ix_need_status_visibility_updated_at", table_name="need")
    op.drop_index("ix_assistance_activity_updated_at", table_name="assistance_activity")
