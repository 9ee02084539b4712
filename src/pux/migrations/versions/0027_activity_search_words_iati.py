"""assistance_activity.search_text: IATI activities edited before 0c95217 are found by their IATI identifier

An edit rebuilt an activity's search words without its IATI identifier, so an imported activity edited
once (page form, API or import row) was no longer found by it. Edits keep it now; this puts it back in
the words of those already edited.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-06 21:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pux.reference.models import fold_for_search

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

activity = sa.table(
    "assistance_activity",
    sa.column("id", sa.Integer),
    sa.column("iati_identifier", sa.String),
    sa.column("search_text", sa.Text),
)
BATCH = 1000


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(activity.c.id, activity.c.iati_identifier, activity.c.search_text).where(
            activity.c.iati_identifier.is_not(None)
        )
    ).all()
    missing = [
        {"row_id": row.id, "words": f"{fold_for_search(row.iati_identifier)} {row.search_text or ''}".strip()}
        for row in rows
        if fold_for_search(row.iati_identifier) not in (row.search_text or "")
    ]
    update = (
        activity.update()
        .where(activity.c.id == sa.bindparam("row_id"))
        .values(search_text=sa.bindparam("words"))
    )
    for start in range(0, len(missing), BATCH):
        connection.execute(update, missing[start : start + BATCH])


def downgrade() -> None:
    """Nothing to take back: the words only regain what every edit now keeps."""
