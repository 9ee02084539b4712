"""The append-only audit trail."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from pux.db import Base


def utcnow() -> datetime:
    return datetime.now(UTC)


class AuditEvent(Base):
    """One write: written in the same transaction as the change it describes, never edited."""

    __tablename__ = "audit_event"
    # A record's history (every page shows one) is read in this order: one index walk, no sort.
    # The latest record of a kind (the stamps of kept results ask for it on every page): one index step.
    __table_args__ = (
        Index("ix_audit_event_history", "entity_type", "entity_id", "occurred_at", "id"),
        Index("ix_audit_event_type_id", "entity_type", "id"),
        # The latest committed record of a kind, in commit order (repository.latest_seq_of): one index step.
        Index("ix_audit_event_type_seq", "entity_type", "chain_seq"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(80))
    entity_type: Mapped[str] = mapped_column(String(80), index=True)
    entity_id: Mapped[str] = mapped_column(String(120), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The hash chain (pux.audit.chain): set when the transaction that wrote the event commits.
    chain_seq: Mapped[int | None] = mapped_column(Integer, index=True, unique=True)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    chain_hash: Mapped[str | None] = mapped_column(String(64))


class AuditChainHead(Base):
    """The end of the audit chain (one row): its last sequence number and link hash. Sealing locks it,
    so that events are chained one transaction at a time."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))


def column_values(record: Any) -> dict[str, Any]:
    """A record's column values as JSON-ready data, for the before/after of an audit event."""
    values: dict[str, Any] = {}
    for column in record.__table__.columns:
        value = getattr(record, column.key)
        values[column.key] = str(value) if isinstance(value, Decimal | date) else value
    return values
