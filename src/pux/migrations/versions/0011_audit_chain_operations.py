"""tamper-evident audit chain: each event's content hash and link, the chain's head; existing events are
chained in the order they were written; an index for a record's history

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 19:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pux.audit.chain import GENESIS, EventContent, seal

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000


def upgrade() -> None:
    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chain_seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("content_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("chain_hash", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_audit_event_chain_seq"), ["chain_seq"], unique=True)
        batch_op.create_index(
            "ix_audit_event_history", ["entity_type", "entity_id", "occurred_at", "id"], unique=False
        )
    _chain_existing_events()


def _chain_existing_events() -> None:
    """Events written before the chain existed are chained now, oldest first (the chain vouches for
    them from this moment on)."""
    events = sa.table(
        "audit_event",
        sa.column("id", sa.Integer),
        sa.column("occurred_at", sa.DateTime(timezone=True)),
        sa.column("actor", sa.String),
        sa.column("action", sa.String),
        sa.column("entity_type", sa.String),
        sa.column("entity_id", sa.String),
        sa.column("before", sa.JSON),
        sa.column("after", sa.JSON),
        sa.column("chain_seq", sa.Integer),
        sa.column("content_hash", sa.String),
        sa.column("chain_hash", sa.String),
    )
    connection = op.get_bind()
    last_seq, last_hash, after_id = 0, GENESIS, 0
    while True:
        rows = connection.execute(
            sa.select(events).where(events.c.id > after_id).order_by(events.c.id).limit(BATCH)
        ).all()
        if not rows:
            break
        contents = [
            EventContent(
                r.id, r.occurred_at, r.actor, r.action, r.entity_type, r.entity_id, r.before, r.after
            )
            for r in rows
        ]
        seals = seal(contents, last_seq=last_seq, last_hash=last_hash)
        connection.execute(
            events.update()
            .where(events.c.id == sa.bindparam("event_id"))
            .values(
                chain_seq=sa.bindparam("seq"),
                content_hash=sa.bindparam("digest"),
                chain_hash=sa.bindparam("link"),
            ),
            [{"event_id": s.id, "seq": s.seq, "digest": s.content_hash, "link": s.chain_hash} for s in seals],
        )
        last_seq, last_hash, after_id = seals[-1].seq, seals[-1].chain_hash, rows[-1].id
    heads = sa.table(
        "audit_chain_head", sa.column("id", sa.Integer), sa.column("last_seq", sa.Integer),
        sa.column("last_hash", sa.String),
    )  # fmt: skip
    connection.execute(heads.insert().values(id=1, last_seq=last_seq, last_hash=last_hash))


def downgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_history")
        batch_op.drop_index(batch_op.f("ix_audit_event_chain_seq"))
        batch_op.drop_column("chain_hash")
        batch_op.drop_column("content_hash")
        batch_op.drop_column("chain_seq")
    op.drop_table("audit_chain_head")
