"""Writing to the audit trail. Services call ``record`` inside the transaction of their change; the
events a transaction wrote are chained (pux.audit.chain) as it commits, and ``verify`` checks the chain.

A commit chains the events its own transaction wrote and no others: an event nobody chained was not
written by the app (a row put into the table by hand), and ``verify`` names it. Events written around the
ORM (a Core insert, COPY) are chained only if their writer claims them (``claim_written``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from pux import db
from pux.accounts import permissions
from pux.accounts.permissions import Actor, require
from pux.audit import chain, repository
from pux.audit.chain import ChainReport
from pux.audit.models import AuditEvent, utcnow
from pux.i18n import N_, ngettext
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


# The ids of the audit events the session's transaction wrote: its commit chains them (and only them).
OWN_EVENTS = "audit_own_events"
# How many of the events outside the chain a check names.
NAMED_OUTSIDE = 10
REASON_LABELS = {
    chain.MISSING: N_("an event before it is missing"),
    chain.CHANGED: N_("its content was changed after it was sealed"),
    chain.UNLINKED: N_("its link does not follow from the event before it"),
    chain.TRUNCATED: N_("events are missing from the end of the chain"),
    chain.UNSEALED: N_("it is outside the chain, so the application did not write it"),
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


def record_created(
    session: Session, *, actor: str, action: str, entity_type: str, records: Sequence[Any]
) -> None:
    """The audit event of each of ``records`` just created and written (they have their ids), its
    snapshot as after, as a service writes one for a record it creates. They go in by one statement and
    as rows, not as objects the session keeps and flushes one by one: an import writes thousands while it
    holds SQLite's write lock, and building and flushing them as objects was a fifth of that time."""
    event_ids = repository.new_event_ids(session, len(records))
    now = utcnow()
    repository.insert_events(
        session,
        [
            {
                "id": event_id,
                "occurred_at": now,
                "actor": actor,
                "action": action,
                "entity_type": entity_type,
                "entity_id": str(created.id),
                "before": None,
                "after": created.snapshot(),
            }
            for created, event_id in zip(records, event_ids, strict=True)
        ],
    )
    claim_written(session, event_ids)


def history(session: Session, *, entity_type: str, entity_id: str) -> Sequence[AuditEvent]:
    """The trail of one record, oldest first."""
    return repository.events_for(session, entity_type=entity_type, entity_id=entity_id)


# --- The hash chain ---------------------------------------------------------------------------------


def claim_written(session: Session, event_ids: Iterable[int]) -> None:
    """Audit events the session's transaction wrote around the ORM (a Core insert, COPY): its commit
    chains them with the rest. Unclaimed, they stay outside the chain and fail ``verify``."""
    session.info.setdefault(OWN_EVENTS, set()).update(event_ids)


def seal_own_events(session: Session) -> int:
    """Chain the events this transaction wrote, after the chain's end; returns how many were sealed.

    The head stays locked until the transaction ends (PostgreSQL: FOR UPDATE, read as committed when the
    lock is granted; SQLite: the transaction already holds the database's only write lock, having written
    the events), so transactions chain one at a time and no two events get the same place. Other
    transactions' events are never read: their own commits chain them."""
    own: set[int] = session.info.pop(OWN_EVENTS, set())
    if not own:
        return 0
    head = repository.locked_head(session)
    events = repository.unsealed_among(session, own)  # those a rolled-back savepoint took away are gone
    seals = chain.seal(events, last_seq=head.last_seq, last_hash=head.last_hash)
    if seals:
        repository.save_seals(session, seals)
        head.last_seq, head.last_hash = seals[-1].seq, seals[-1].chain_hash
        session.flush()
    return len(seals)


def verify(session: Session, *, actor: Actor) -> ChainReport:
    """Check the whole chain (administrators): names the first event that does not fit, or else the
    events outside the chain (which the app did not write)."""
    require(permissions.can_verify_audit(actor), _("Only administrators check the audit trail."))
    # The head, the count outside the chain and the events must be one moment's: a save committed between
    # reading them would otherwise look like events missing from the end of the chain.
    db.read_in_one_snapshot(session)
    current = repository.head(session)
    unsealed = repository.unsealed_count(session)
    outside = repository.first_unsealed_ids(session, NAMED_OUTSIDE) if unsealed else []
    with closing(repository.sealed_events(session)) as events:
        return chain.verify(
            events,
            head_seq=current.last_seq if current else 0,
            head_hash=current.last_hash if current else chain.GENESIS,
            unsealed=unsealed,
            unsealed_ids=outside,
        )


def reason_label(reason: str) -> str:
    return _(REASON_LABELS[reason]) if reason in REASON_LABELS else reason


def outside_chain_note(report: ChainReport) -> str:
    """The events outside the chain, by id (the first few), for a report that found any; else ''."""
    if not report.unsealed:
        return ""
    ids = ", ".join(str(event_id) for event_id in report.unsealed_ids)
    if report.unsealed > len(report.unsealed_ids):
        ids += ", …"
    return ngettext(
        "%(num)d event is outside the audit chain (not written by the application): %(ids)s",
        "%(num)d events are outside the audit chain (not written by the application): %(ids)s",
        report.unsealed,
    ) % {"num": report.unsealed, "ids": ids}


def _has_new_events(session: Session) -> bool:
    return any(isinstance(record, AuditEvent) for record in session.new)


def _note_own_events(session: Session, _flush_context: Any) -> None:
    # After the flush the new events have their ids; ``session.new`` still lists them.
    written = [record.id for record in session.new if isinstance(record, AuditEvent)]
    if written:
        claim_written(session, written)


def _seal_before_commit(session: Session) -> None:
    # A savepoint's release is no commit: the transaction's own commit seals its events, all at once. Sealing
    # at every release locked and moved the chain's head once per saved row of an import (a savepoint each),
    # a third of the time the import held the write lock.
    if session.in_nested_transaction():
        return
    # Events flushed earlier in the transaction, or still waiting for the commit's own flush.
    if not session.info.get(OWN_EVENTS) and not _has_new_events(session):
        return
    session.flush()  # what commit would flush next, so that its events are chained too
    seal_own_events(session)


def _forget_own_events(session: Session, transaction: SessionTransaction) -> None:
    # A rolled-back transaction's events are gone; the next transaction starts with none of its own.
    if transaction.parent is None:
        session.info.pop(OWN_EVENTS, None)


def install() -> None:
    """Listen to every session (idempotent)."""
    if not event.contains(Session, "after_flush", _note_own_events):
        event.listen(Session, "after_flush", _note_own_events)
        event.listen(Session, "before_commit", _seal_before_commit)
        event.listen(Session, "after_transaction_end", _forget_own_events)


install()
