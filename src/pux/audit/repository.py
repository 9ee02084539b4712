"""Queries on the audit trail."""

from __future__ import annotations

from collections.abc import Collection, Generator, Sequence
from typing import Any

from sqlalchemy import ScalarSelect, Select, Table, func, insert, select, union_all, update
from sqlalchemy.orm import Session

from pux import db
from pux.audit.chain import GENESIS, EventContent, Seal, SealedEvent
from pux.audit.models import AuditChainHead, AuditEvent

HEAD_ID = 1


def latest_event_of(kind: str) -> Select[int]:
    """The id of the latest audit record of one kind of entity, as a query to embed in a change stamp
    (one step of the index on kind and id)."""
    return select(func.max(AuditEvent.id).label("id")).where(AuditEvent.entity_type == kind)


def latest_seq_of(*kinds: str) -> ScalarSelect[int | None]:
    """The chain place of the latest committed audit record of these kinds of entity (None: none yet), as
    a query to embed in a change stamp: one step of the index on kind and place per kind.

    Places are given at commit, one transaction at a time under the chain head's lock (see
    service.seal_own_events), so they follow the order of the commits: a reader that sees place N has seen
    every commit before it. An id or a time is given when a row is written, and a write that commits after
    a later one would leave a stamp built of those unmoved."""
    latest_of_each = [
        select(func.max(AuditEvent.chain_seq).label("seq")).where(AuditEvent.entity_type == kind)
        for kind in kinds
    ]
    if len(latest_of_each) == 1:
        return latest_of_each[0].scalar_subquery()
    # The latest of each kind, then the latest of those: a max over all the kinds at once walked back
    # through every newer audit record on PostgreSQL.
    each = union_all(*latest_of_each).subquery()
    return select(func.max(each.c.seq)).scalar_subquery()


def kinds_written(session: Session) -> list[str]:
    """Every kind of entity the trail holds a record of, alphabetically, in one step of the index on kind per
    kind (a loose index scan: the next kind after the last one found, until there is none). A plain
    DISTINCT reads every record: 270,000 of them at the mission's scale."""
    first = select(func.min(AuditEvent.entity_type).label("kind")).cte("kinds", recursive=True)
    after = select(func.min(AuditEvent.entity_type)).where(AuditEvent.entity_type > first.c.kind)
    kinds = first.union_all(select(after.scalar_subquery()).where(first.c.kind.is_not(None)))
    return [kind for kind in session.scalars(select(kinds.c.kind)) if kind is not None]


def new_event_ids(session: Session, count: int) -> list[int]:
    """The ids of ``count`` audit records about to be written together (db.new_ids): they then go in by
    one statement, not one each."""
    return db.new_ids(session, AuditEvent.__table__, count)  # type: ignore[arg-type]


def add_event(session: Session, event: AuditEvent) -> AuditEvent:
    session.add(event)
    return event


_EVENTS: Table = AuditEvent.__table__  # type: ignore[assignment]


def insert_events(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Audit events given as rows (their ids among them) in one statement, around the ORM: the caller
    claims them for the chain (service.claim_written)."""
    if rows:
        session.execute(insert(_EVENTS), list(rows))


def events_for(session: Session, *, entity_type: str, entity_id: str) -> Sequence[AuditEvent]:
    statement = (
        select(AuditEvent)
        .where(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == entity_id)
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    )
    return session.scalars(statement).all()


# --- The hash chain ---------------------------------------------------------------------------------


def _content(row: Any) -> EventContent:
    return EventContent(
        id=row.id,
        occurred_at=row.occurred_at,
        actor=row.actor,
        action=row.action,
        entity_type=row.entity_type,
        entity_id=row.entity_id,
        before=row.before,
        after=row.after,
    )


_CONTENT_COLUMNS = (
    AuditEvent.id,
    AuditEvent.occurred_at,
    AuditEvent.actor,
    AuditEvent.action,
    AuditEvent.entity_type,
    AuditEvent.entity_id,
    AuditEvent.before,
    AuditEvent.after,
)


# Ids per query: well under the bound parameters a statement may have (32,766 on SQLite).
_IDS_PER_QUERY = 2000


def unsealed_among(session: Session, ids: Collection[int]) -> list[EventContent]:
    """Those of these events not chained yet, in the order they were written (as stored: that is what is
    hashed)."""
    wanted = sorted(ids)
    events: list[EventContent] = []
    for start in range(0, len(wanted), _IDS_PER_QUERY):
        statement = (
            select(*_CONTENT_COLUMNS)
            .where(AuditEvent.id.in_(wanted[start : start + _IDS_PER_QUERY]), AuditEvent.chain_seq.is_(None))
            .order_by(AuditEvent.id)
        )
        events.extend(_content(row) for row in session.execute(statement))
    return events


def unsealed_count(session: Session) -> int:
    return session.scalar(select(func.count()).where(AuditEvent.chain_seq.is_(None))) or 0


def first_unsealed_ids(session: Session, limit: int) -> list[int]:
    unsealed = select(AuditEvent.id).where(AuditEvent.chain_seq.is_(None))
    return list(session.scalars(unsealed.order_by(AuditEvent.id).limit(limit)))


def locked_head(session: Session) -> AuditChainHead:
    """The chain's head, locked until the transaction ends (PostgreSQL: FOR UPDATE; SQLite's writer
    already holds the database's only write lock); created on first use."""
    # populate_existing: a head loaded earlier by this session (kept past a commit) is read again as the
    # lock found it, not as another transaction's seals left it behind.
    head = session.scalars(
        select(AuditChainHead)
        .where(AuditChainHead.id == HEAD_ID)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if head is None:
        head = AuditChainHead(id=HEAD_ID, last_seq=0, last_hash=GENESIS)
        session.add(head)
        session.flush()
    return head


def head(session: Session) -> AuditChainHead | None:
    return session.get(AuditChainHead, HEAD_ID)


def save_seals(session: Session, seals: Sequence[Seal]) -> None:
    session.execute(
        update(AuditEvent),
        [
            {"id": s.id, "chain_seq": s.seq, "content_hash": s.content_hash, "chain_hash": s.chain_hash}
            for s in seals
        ],
    )


def sealed_events(session: Session, batch: int = 5000) -> Generator[SealedEvent, None, None]:
    """Every chained event in chain order, read in batches (constant memory)."""
    statement = (
        select(*_CONTENT_COLUMNS, AuditEvent.chain_seq, AuditEvent.content_hash, AuditEvent.chain_hash)
        .where(AuditEvent.chain_seq.is_not(None))
        .order_by(AuditEvent.chain_seq)
        .execution_options(yield_per=batch)
    )
    result = session.execute(statement)
    try:
        for row in result:
            yield SealedEvent(_content(row), row.chain_seq, row.content_hash or "", row.chain_hash or "")
    finally:
        result.close()  # a check that stops at the first break leaves PostgreSQL's cursor open otherwise
