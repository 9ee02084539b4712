"""Queries for the priority index."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pux.assistance.models import AssistanceActivity
from pux.audit.models import AuditEvent
from pux.priority.models import PriorityConfigVersion
from pux.reference.models import Country, IndicatorObservation


def latest_config(session: Session) -> PriorityConfigVersion | None:
    statement = select(PriorityConfigVersion).order_by(PriorityConfigVersion.id.desc()).limit(1)
    return session.scalars(statement).first()


def add(session: Session, version: PriorityConfigVersion) -> None:
    session.add(version)
    session.flush()


def inputs_stamp(session: Session) -> tuple[object, ...]:
    """What the index's inputs are read from, in a few index lookups: the latest audit event
    (every write through PUX moves it), and the count and newest row of what the index reads (writes
    made around PUX: a loader, a manual correction)."""
    return tuple(
        session.execute(
            select(
                select(func.max(AuditEvent.id)).scalar_subquery(),
                # With the time: SQLite hands a rolled-back or deleted id out again.
                select(func.max(AuditEvent.occurred_at)).scalar_subquery(),
                select(func.max(PriorityConfigVersion.id)).scalar_subquery(),
                select(func.count()).select_from(IndicatorObservation).scalar_subquery(),
                select(func.max(IndicatorObservation.id)).scalar_subquery(),
                select(func.max(AssistanceActivity.updated_at)).scalar_subquery(),
                select(func.count()).select_from(AssistanceActivity).scalar_subquery(),
                select(func.count()).select_from(Country).scalar_subquery(),
            )
        ).one()
    )
