"""Queries on the audit trail."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from pux.audit.models import AuditEvent


def add_event(session: Session, event: AuditEvent) -> AuditEvent:
    session.add(event)
    return event


def events_for(session: Session, *, entity_type: str, entity_id: str) -> Sequence[AuditEvent]:
    statement = (
        select(AuditEvent)
        .where(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == entity_id)
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    )
    return session.scalars(statement).all()
