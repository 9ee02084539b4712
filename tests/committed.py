"""Clean-up for tests whose code under test commits for real (the CLI, served apps): what they wrote is
deleted afterwards, audit events included, so the audit chain must be set back to what is left."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from pux.audit.chain import GENESIS
from pux.audit.models import AuditChainHead, AuditEvent
from pux.audit.repository import HEAD_ID
from pux.db import make_engine, make_session_factory, unit_of_work
from pux.needs.models import Need, need_sdg_target, need_technique


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


@contextmanager
def audit_events_taken_back(database_url: str) -> Iterator[None]:
    """Around a served app's module: every audit event written meanwhile (sign-ins, drafts, imports: the
    app's own commits, sealed into the chain) is removed afterwards and the chain's head set back. Removing
    only the records' own events left the others chained after a gap, and every later `pux audit verify`
    of the run reported events missing (the chain tests failed when run after a served module)."""
    engine = make_engine(database_url)
    factory = make_session_factory(engine)
    try:
        with unit_of_work(factory) as session:
            last_before = session.scalar(select(func.max(AuditEvent.id))) or 0
        yield
    finally:
        with unit_of_work(factory, write=True) as session:
            session.execute(delete(AuditEvent).where(AuditEvent.id > last_before))
            rewind_audit_chain(session)
        engine.dispose()


def remove_needs_titled(session: Session, title: str) -> None:
    """Take out the needs a served app saved for real under ``title`` (with their links and audit events),
    so that later tests see the usual world; the audit chain's head is set back to what is left."""
    ids = session.scalars(select(Need.id).where(Need.title == title)).all()
    if not ids:
        return
    session.execute(delete(need_technique).where(need_technique.c.need_id.in_(ids)))
    session.execute(delete(need_sdg_target).where(need_sdg_target.c.need_id.in_(ids)))
    session.execute(
        delete(AuditEvent).where(
            AuditEvent.entity_type == "need", AuditEvent.entity_id.in_([str(i) for i in ids])
        )
    )
    session.execute(delete(Need).where(Need.id.in_(ids)))
    rewind_audit_chain(session)
