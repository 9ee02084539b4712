"""priority_config_version.made_from: two saves of the priority configuration from one revision both passed

A save names the revision it was made from and is refused when another was saved since, checked under a
lock on the newest saved configuration. Before the first save there is no row to lock: on PostgreSQL two
first saves made at once both passed, and the second silently replaced the first facilitator's work. Each
saved configuration now records the revision it replaced, unique, so the database refuses the second.

The configurations already kept are each given their predecessor's id (0 for the first, made from the
shipped default): that is the one they replaced, as the newest is the one in force.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 10:00:00
"""

from collections.abc import Sequence
from itertools import pairwise

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_configs = sa.table(
    "priority_config_version",
    sa.column("id", sa.Integer()),
    sa.column("made_from", sa.Integer()),
)
MADE_FROM_KEY = "uq_priority_config_version_made_from"


def upgrade() -> None:
    with op.batch_alter_table("priority_config_version") as batch:
        batch.add_column(sa.Column("made_from", sa.Integer(), nullable=True))
    _record_predecessors()
    with op.batch_alter_table("priority_config_version") as batch:
        batch.alter_column("made_from", existing_type=sa.Integer(), nullable=False)
        batch.create_unique_constraint(MADE_FROM_KEY, ["made_from"])


def downgrade() -> None:
    with op.batch_alter_table("priority_config_version") as batch:
        batch.drop_constraint(MADE_FROM_KEY, type_="unique")
        batch.drop_column("made_from")


def _record_predecessors() -> None:
    connection = op.get_bind()
    ids = connection.scalars(sa.select(_configs.c.id).order_by(_configs.c.id)).all()
    update = (
        _configs.update()
        .where(_configs.c.id == sa.bindparam("row_id"))
        .values(made_from=sa.bindparam("before"))
    )
    predecessors = [{"row_id": row_id, "before": before} for before, row_id in pairwise([0, *ids])]
    if predecessors:  # an empty list of parameters would run the update once, without them
        connection.execute(update, predecessors)
