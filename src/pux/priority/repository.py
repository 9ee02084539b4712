"""Queries for the priority index."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pux.priority.models import PriorityConfigVersion


def latest_config(session: Session) -> PriorityConfigVersion | None:
    statement = select(PriorityConfigVersion).order_by(PriorityConfigVersion.id.desc()).limit(1)
    return session.scalars(statement).first()


def add(session: Session, version: PriorityConfigVersion) -> None:
    session.add(version)
    session.flush()
