"""Writing to the audit trail. Services call ``record`` inside the transaction of their change; the
events a transaction wrote are chained (pux.audit.chain) as it commits, and ``verify`` checks the chain."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from pux.accounts import permissions
from pux.accounts.permissions import Actor, require
from pux.audit import chain, repository
from pux.audit.chain import ChainReport
from pux.audit.models import AuditEvent
from pux.i18n import N_
from pux.i18n import gettext as _


@dataclass(frozen=True)
class HistoryEntry:
    """One change of a record as a reader may see it: the values they may not see left out (the audit
    event itself is never altered)."""

    occurred_at: datetime
    actor: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


# Set on a session that flushed new audit events; its commit chains them.
UNSEALED = "audit_unsealed"
REASON_LABELS = {
    chain.MISSING: N_("an event before it is missing"),
    chain.CHANGED: N_("its content was changed after it was sealed"),
    chain.UNLINKED: N_("its link does not follow from the event before it"),
    chain.TRUNCATED: N_("events are missing from the end of the chain"),
}


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


# --- The hash chain ---------------------------------------------------------------------------------


def seal_pending(session: Session) -> int:
    """Chain the events not chained yet (this transaction's, and any written outside the ORM), one
    transaction at a time; returns how many were sealed."""
    if not repository.has_unsealed(session):
        return 0
    head = repository.locked_head(session)
    events = repository.unsealed(session)  # read after the lock: another commit may have sealed some
    seals = chain.seal(events, last_seq=head.last_seq, last_hash=head.last_hash)
    if seals:
        repository.save_seals(session, seals)
        head.last_seq, head.last_hash = seals[-1].seq, seals[-1].chain_hash
        session.flush()
    return len(seals)


def verify(session: Session, *, actor: Actor) -> ChainReport:
    """Check the whole chain (administrators): names the first event that does not fit."""
    require(permissions.can_verify_audit(actor), _("Only administrators check the audit trail."))
    current = repository.head(session)
    unsealed = repository.unsealed_count(session)
    with closing(repository.sealed_events(session)) as events:
        return chain.verify(
            events,
            head_seq=current.last_seq if current else 0,
            head_hash=current.last_hash if current else chain.GENESIS,
            unsealed=unsealed,
        )


def reason_label(reason: str) -> str:
    return _(REASON_LABELS[reason]) if reason in REASON_LABELS else reason


def _has_new_events(session: Session) -> bool:
    return any(isinstance(record, AuditEvent) for record in session.new)


def _note_new_events(session: Session, *_args: Any) -> None:
    if _has_new_events(session):
        session.info[UNSEALED] = True


def _seal_before_commit(session: Session) -> None:
    # Events flushed earlier in the transaction, or still waiting for the commit's own flush.
    if not session.info.get(UNSEALED) and not _has_new_events(session):
        return
    session.flush()  # what commit would flush next, so that its events are chained too
    session.info.pop(UNSEALED, None)
    seal_pending(session)


def install() -> None:
    """Listen to every session (idempotent)."""
    if not event.contains(Session, "before_flush", _note_new_events):
        event.listen(Session, "before_flush", _note_new_events)
        event.listen(Session, "before_commit", _seal_before_commit)


install()
