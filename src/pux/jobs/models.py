"""The Job table: one piece of long work somebody asked for, and where it stands."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pux.audit.models import utcnow
from pux.db import Base

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
JOB_STATUSES = (QUEUED, RUNNING, DONE, FAILED)


class Job(Base):
    """What was asked (kind and parameters), by whom, and how it went: each attempt counted, the last
    error kept (shown to facilitators in the language of the page, the message as the code raised it),
    and what it made (a round, a set of briefs) for the job page to link to."""

    __tablename__ = "job"
    __table_args__ = (Index("ix_job_status_run_after", "status", "run_after"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default=QUEUED)
    requested_by: Mapped[str] = mapped_column(String(200))
    requested_by_id: Mapped[int | None] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    # Not before this moment: a retry waits its backoff.
    run_after: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The process running it ("host:pid") and when that process last said it still was: a job whose
    # runner stopped saying so is taken up again by another.
    runner: Mapped[str | None] = mapped_column(String(200))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The job's id in procrastinate's queue (PostgreSQL with workers); None until it is handed over.
    queue_job_id: Mapped[int | None] = mapped_column(Integer)
