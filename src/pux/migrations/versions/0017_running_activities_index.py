"""an index holding every column that a sum or count over the activities running at a time reads (current
commitments, provider overlaps, gaps, who does what where), led by the end date

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 21:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = [
    "end_date",
    "start_date",
    "status",
    "currency",
    "counted_in_activity_id",
    "visibility",
    "recipient_country_iso3",
    "thematic_area_code",
    "technique_code",
    "provider_organisation_id",
    "amount_committed",
    "amount_disbursed",
    "id",
]


def upgrade() -> None:
    op.create_index("ix_assistance_activity_running", "assistance_activity", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_assistance_activity_running", table_name="assistance_activity")
