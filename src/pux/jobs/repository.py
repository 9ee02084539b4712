"""Queries on the job table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, DateTime, Select, and_, column, func, or_, select, table, update
from sqlalchemy.orm import Session

from pux.db import as_utc
from pux.jobs.models import QUEUED, RUNNING, Job


def add(session: Session, job: Job) -> Job:
    session.add(job)
    session.flush()
    return job


def get(session: Session, job_id: int) -> Job | None:
    return session.get(Job, job_id)


def listing(*, everyone: bool, requested_by_id: int | None) -> Select[Job]:
    """Newest first: everyone's jobs, or the jobs one person asked for."""
    statement = select(Job).order_by(Job.id.desc())
    return statement if everyone else statement.where(Job.requested_by_id == requested_by_id)


def under_way(
    session: Session, *, kind: str, everyone: bool, requested_by_id: int | None, limit: int = 20
) -> Sequence[Job]:
    statement = listing(everyone=everyone, requested_by_id=requested_by_id)
    statement = statement.where(Job.kind == kind, Job.status.in_((QUEUED, RUNNING))).limit(limit)
    return session.scalars(statement).all()


def unfinished_statuses(session: Session, *, everyone: bool, requested_by_id: int | None) -> set[str]:
    """Which of queued and running the jobs are that wait for a runner or are under way: anyone's, or
    the ones one person asked for."""
    statement = listing(everyone=everyone, requested_by_id=requested_by_id).where(
        Job.status.in_((QUEUED, RUNNING))
    )
    return set(session.scalars(statement.with_only_columns(Job.status).order_by(None).distinct()))


# procrastinate's own table of the `pux worker` processes running (PostgreSQL only): each says it is alive
# in it every third of the stalled time, and takes its row away when it stops.
QUEUE_WORKERS = table("procrastinate_workers", column("last_heartbeat", DateTime(timezone=True)))


def last_runner_sign(session: Session) -> datetime | None:
    """The last moment a runner was seen: a job's heartbeat or end, or on PostgreSQL a queue worker's
    heartbeat (an idle worker beats too)."""
    signs = list(session.execute(select(func.max(Job.heartbeat_at), func.max(Job.finished_at))).one())
    if session.get_bind().dialect.name == "postgresql":
        signs.append(session.scalar(select(func.max(QUEUE_WORKERS.c.last_heartbeat))))
    return max((moment for moment in map(as_utc, signs) if moment is not None), default=None)


def next_due(session: Session, *, now: datetime) -> int | None:
    """The oldest queued job whose wait is over."""
    statement = (
        select(Job.id)
        .where(Job.status == QUEUED, Job.run_after <= now)
        .order_by(Job.run_after, Job.id)
        .limit(1)
    )
    return session.scalar(statement)


def unfinished(session: Session) -> bool:
    return session.scalar(select(Job.id).where(Job.status.in_((QUEUED, RUNNING))).limit(1)) is not None


def _takeable(silent_since: datetime | None) -> ColumnElement[bool]:
    """A job a runner may take: queued, or (with ``silent_since``) running for a runner silent since then
    (a queue's second delivery of a job whose runner stopped)."""
    queued = Job.status == QUEUED
    if silent_since is None:
        return queued
    return or_(queued, and_(Job.status == RUNNING, Job.heartbeat_at < silent_since))


def claim(
    session: Session, job_id: int, *, runner: str, now: datetime, silent_since: datetime | None
) -> bool:
    """Mark the job running for ``runner``, an attempt more, if it may be taken (``_takeable``) and has
    attempts left. One conditional UPDATE, so two runners that reach for the same job at once cannot both
    have it."""
    statement = (
        update(Job)
        .where(Job.id == job_id, _takeable(silent_since), Job.attempts < Job.max_attempts)
        .values(
            status=RUNNING,
            runner=runner,
            attempts=Job.attempts + 1,
            started_at=now,
            heartbeat_at=now,
            finished_at=None,
        )
    )
    return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def used_up(session: Session, job_id: int, *, silent_since: datetime | None) -> Job | None:
    """The job, locked, if a runner could take it but its attempts are all used (its runner was stopped
    on each): to be failed as it stands, no attempt counted and no start recorded (none was made)."""
    statement = select(Job).where(Job.id == job_id, _takeable(silent_since), Job.attempts >= Job.max_attempts)
    return session.scalar(statement.with_for_update())


def beat(session: Session, job_id: int, *, runner: str, now: datetime) -> None:
    session.execute(update(Job).where(Job.id == job_id, Job.runner == runner).values(heartbeat_at=now))


def stalled(session: Session, *, silent_since: datetime, lock: bool = False) -> Sequence[Job]:
    """Running jobs whose runner has said nothing since ``silent_since`` (its process is gone)."""
    statement = select(Job).where(Job.status == RUNNING, Job.heartbeat_at < silent_since)
    return session.scalars(statement.with_for_update() if lock else statement).all()


def not_handed_over(session: Session, *, created_before: datetime) -> Sequence[int]:
    """Queued jobs the queue never received (their app process stopped between commit and hand-over)."""
    statement = select(Job.id).where(
        Job.status == QUEUED, Job.queue_job_id.is_(None), Job.created_at < created_before
    )
    return session.scalars(statement).all()


def set_queue_id(session: Session, job_id: int, queue_job_id: int) -> None:
    session.execute(update(Job).where(Job.id == job_id).values(queue_job_id=queue_job_id))
