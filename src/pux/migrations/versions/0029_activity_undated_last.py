"""the activity listing indexes on PostgreSQL in the list's order, undated activities last

The activities' list (newest start first) put the activities with no start date first on PostgreSQL and
last on SQLite, each database's own place for a missing value in a descending order. The list now says
NULLS LAST; PostgreSQL's DESC index holds them first, in an order it cannot walk for that, so it would sort
every activity on each page again (the reason of 0012 and 0020). Its three listing indexes are made again
in the list's order. SQLite's DESC index already holds them last: nothing changes there.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Each listing index by the columns before the start date (see 0012 and 0020).
LISTING_INDEXES = {
    "ix_assistance_activity_listing": [],
    "ix_assistance_activity_visibility_listing": ["visibility"],
    "ix_assistance_activity_country_listing": ["recipient_country_iso3"],
}


def upgrade() -> None:
    _make_listing_indexes_again("start_date DESC NULLS LAST")


def downgrade() -> None:
    _make_listing_indexes_again("start_date DESC")


def _make_listing_indexes_again(start_date_order: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, leading in LISTING_INDEXES.items():
        op.drop_index(name, table_name="assistance_activity")
        op.create_index(name, "assistance_activity", [*leading, sa.text(start_date_order), "id"])
