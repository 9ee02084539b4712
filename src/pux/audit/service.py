"""Writing to the audit trail. Services call ``record`` inside the transaction of their change."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from pux.audit import repository
from pux.audit.models import AuditEvent


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one audit event to the current transaction."""
    event = AuditEvent(
        actor=actor, action=action, entity_type=entity_type, entity_id=entity_id, before=before, after=after
    )
    return repository.add_event(session, event)


def history(session: Session, *, entity_type: str, entity_id: str) -> Sequence[AuditEvent]:
    """The trail of one record, oldest first."""
    return repository.events_for(session, entity_type=entity_type, entity_id=entity_id)
