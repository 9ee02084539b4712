"""Queries for the priority index."""

from __future__ import annotations

from sqlalchemy import func, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pux.assistance.repository import activities_stamp
from pux.audit.models import AuditEvent
from pux.audit.repository import latest_event_of, latest_seq_of
from pux.db import once_per_transaction
from pux.priority.models import PriorityConfigVersion
from pux.reference.models import Country, IndicatorObservation


def latest_config(session: Session) -> PriorityConfigVersion | None:
    statement = select(PriorityConfigVersion).order_by(PriorityConfigVersion.id.desc()).limit(1)
    return session.scalars(statement).first()


def latest_config_id(session: Session) -> int:
    """The id of the newest saved configuration; 0 when none is saved."""
    return session.scalar(select(func.max(PriorityConfigVersion.id))) or 0


def lock_latest_config_id(session: Session) -> int:
    """latest_config_id, read after locking the newest saved configuration until the transaction ends
    (PostgreSQL; SQLite's writer already holds the only write lock). A save made meanwhile by another
    transaction is then waited for and its configuration counted, instead of both being checked against
    the same newest one. (Before the first save there is no row to lock, and a save waited for may be
    missed by the query read before it committed: made_from's unique key refuses what the lock lets by.)"""
    newest = select(PriorityConfigVersion.id).order_by(PriorityConfigVersion.id.desc()).limit(1)
    return session.scalar(newest.with_for_update()) or 0


def add(session: Session, version: PriorityConfigVersion) -> None:
    session.add(version)
    session.flush()


# The unique key on the revision a configuration was made from (named by db.NAMING_CONVENTION).
MADE_FROM_KEY = "uq_priority_config_version_made_from"


def add_unless_replaced_meanwhile(session: Session, version: PriorityConfigVersion) -> bool:
    """Save ``version``; False, saving nothing, when another configuration made from the same revision was
    saved first (its unique ``made_from``: on PostgreSQL the insert waits for that other transaction and
    meets its key once it commits). Within a savepoint, so that the transaction stays usable to say so."""
    try:
        with session.begin_nested():
            add(session, version)
    except IntegrityError as error:
        if not _is_made_from_taken(error):
            raise
        return False
    return True


def _is_made_from_taken(error: IntegrityError) -> bool:
    """Whether ``error`` is made_from's unique key (PostgreSQL names the constraint, SQLite the column)."""
    message = str(error.orig)
    return MADE_FROM_KEY in message or "priority_config_version.made_from" in message


# The audited writes that change what the index reads besides the rows counted below (a configuration, an
# indicator file, reference data, an organisation's name). Writes of needs, programmes, proposals, events
# and people do not: they leave the stamp, and what is kept by it, alone.
INPUT_ENTITIES = ("priority_config", "indicator_file", "reference", "seed", "sdg_framework", "organisation")


def inputs_stamp(session: Session) -> tuple[object, ...]:
    """Read once per transaction until its next write (a page asks for it several times): see
    db.once_per_transaction."""
    return once_per_transaction(session, "priority inputs", lambda: _read_inputs_stamp(session))


def _read_inputs_stamp(session: Session) -> tuple[object, ...]:
    """What the index's inputs are read from, in a few index lookups: the latest audited write of the
    kinds that change them (INPUT_ENTITIES), and the count or newest row of what the index reads (writes
    made around PUX: a loader, a manual correction).

    The latest write by its chain place, given at commit in commit order: a save that commits after a
    later one moves it. Ids are given when an event is written, so by the latest id alone that save went
    unseen. The latest id is read too: a transaction's own writes have no place until it commits."""
    # The latest of each kind, then the latest of those: one index step each (a max over all the kinds at
    # once walked back through every newer audit record on PostgreSQL).
    latest_of_each = union_all(*(latest_event_of(kind) for kind in INPUT_ENTITIES)).subquery()
    latest_input = select(func.max(latest_of_each.c.id))
    # Activities by their own stamp (no count: counting 200,000 of them cost PostgreSQL 15-50 ms a page).
    inputs = session.execute(
        select(
            latest_input.scalar_subquery(),
            # With its time: SQLite hands a rolled-back or deleted id out again. (The time of that row,
            # not the latest time of those kinds: that walked back through every newer audit record.)
            select(AuditEvent.occurred_at)
            .where(AuditEvent.id == latest_input.scalar_subquery())
            .scalar_subquery(),
            latest_seq_of(*INPUT_ENTITIES),
            select(func.max(PriorityConfigVersion.id)).scalar_subquery(),
            select(func.count()).select_from(IndicatorObservation).scalar_subquery(),
            select(func.max(IndicatorObservation.id)).scalar_subquery(),
            select(func.count()).select_from(Country).scalar_subquery(),
        )
    ).one()
    return (*inputs, *activities_stamp(session))
