"""Clean-up for tests whose code under test commits for real (the CLI, served apps): what they wrote is
deleted afterwards, audit events included, so the audit chain must be set back to what is left."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pux.audit.chain import GENESIS
from pux.audit.models import AuditChainHead, AuditEvent
from pux.audit.repository import HEAD_ID


def rewind_audit_chain(session: Session) -> None:
    """The audit chain's head back to the last event left. The removed events were committed at the end of
    the chain; a head past them made every later `pux audit verify` of the run report them missing (the
    chain tests failed when run after these)."""
    last = session.execute(
        select(AuditEvent.chain_seq, AuditEvent.chain_hash)
        .where(AuditEvent.chain_seq.is_not(None))
        .order_by(AuditEvent.chain_seq.desc())
        .limit(1)
    ).first()
    head = session.get(AuditChainHead, HEAD_ID)
    if head is not None:
        head.last_seq, head.last_hash = (last.chain_seq, last.chain_hash) if last else (0, GENESIS)
