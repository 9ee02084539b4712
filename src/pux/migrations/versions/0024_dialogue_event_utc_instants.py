"""dialogue_event.starts_at_utc / ends_at_utc: each event's start and end as instants in UTC

Events keep their local wall-clock times and their time zone; "upcoming", "has begun", "has ended" and the
order of events compared those local times with UTC's clock, so an event in Pacific/Kiritimati (UTC+14)
stayed upcoming and open for registration for up to fourteen hours after it ended, and one in
Pacific/Pago_Pago (UTC-11) looked begun eleven hours early. The instants are derived from the local times
with each event's own zone (the model derives them again on every write).

The columns admit null: making them NOT NULL on SQLite means rebuilding dialogue_event, and dropping the old
table would delete, through ON DELETE CASCADE, every participant, outcome and action pointing at it.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 17:10:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_events = sa.table(
    "dialogue_event",
    sa.column("id", sa.Integer()),
    sa.column("starts_at", sa.DateTime()),
    sa.column("ends_at", sa.DateTime()),
    sa.column("time_zone", sa.String()),
    sa.column("starts_at_utc", sa.DateTime()),
    sa.column("ends_at_utc", sa.DateTime()),
)


def _in_utc(local: datetime, zone: str) -> datetime:
    # The model's rule (dialogues.models.utc_instant), copied: a migration must not change when the app does.
    return local.replace(tzinfo=ZoneInfo(zone or "UTC")).astimezone(UTC).replace(tzinfo=None)


def upgrade() -> None:
    with op.batch_alter_table("dialogue_event") as batch:
        batch.add_column(sa.Column("starts_at_utc", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("ends_at_utc", sa.DateTime(), nullable=True))
        batch.create_index("ix_dialogue_event_starts_at_utc", ["starts_at_utc"])
        batch.create_index("ix_dialogue_event_ends_at_utc", ["ends_at_utc"])
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_events.c.id, _events.c.starts_at, _events.c.ends_at, _events.c.time_zone)
    ).all()
    for event_id, starts_at, ends_at, zone in rows:
        connection.execute(
            _events.update()
            .where(_events.c.id == event_id)
            .values(starts_at_utc=_in_utc(starts_at, zone), ends_at_utc=_in_utc(ends_at, zone))
        )


def downgrade() -> None:
    # Not in batch mode: on SQLite that would rebuild the table (see above); SQLite drops a column itself.
    op.drop_index("ix_dialogue_event_ends_at_utc", table_name="dialogue_event")
    op.drop_index("ix_dialogue_event_starts_at_utc", table_name="dialogue_event")
    op.drop_column("dialogue_event", "ends_at_utc")
    op.drop_column("dialogue_event", "starts_at_utc")
