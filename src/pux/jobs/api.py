"""JSON routes of jobs (/api/v1/jobs): where long work asked for through the API stands, and what it made."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from pux.jobs import service
from pux.jobs.kinds import ALLOCATION_ROUND
from pux.jobs.models import Job
from pux.validation import UtcDateTime
from pux.web.deps import SessionDep
from pux.web.filters import ApiPage
from pux.web.forms import RecordPath
from pux.web.listing import ListPage
from pux.web.openapi import error_responses
from pux.web.routing import api_router
from pux.web.security import ApiActor

router = api_router("jobs")


class JobRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    status: str = Field(description="queued, running, done or failed")
    attempts: int
    max_attempts: int
    created_at: UtcDateTime
    started_at: UtcDateTime | None
    finished_at: UtcDateTime | None
    error: str | None = Field(description="Why the last attempt failed, in the language it was asked in")
    result: dict[str, Any] | None = Field(description="What the job made (for a round: its round_id)")
    result_url: str | None = Field(default=None, description="Where to read what the job made, once done")

    @classmethod
    def of(cls, job: Job) -> JobRead:
        return cls.model_validate(job).model_copy(update={"result_url": _result_url(job)})


def _result_url(job: Job) -> str | None:
    round_id = (job.result or {}).get("round_id")
    if job.kind == ALLOCATION_ROUND and round_id is not None:
        return f"/api/v1/matching/rounds/{int(round_id)}"
    return None


def job_location(job: Job) -> str:
    """The address a client follows to see how a job it queued goes."""
    return f"/api/v1/jobs/{job.id}"


@router.get("/jobs", response_model=ListPage[JobRead], responses=error_responses(401, 422))
def list_jobs(session: SessionDep, actor: ApiActor, page: ApiPage) -> ListPage[JobRead]:
    """The caller's jobs, newest first (facilitators see every job)."""
    return ListPage[JobRead].of(service.list_jobs(session, actor=actor, page=page), JobRead.of)


@router.get("/jobs/{job_id}", response_model=JobRead)
def get_job(session: SessionDep, actor: ApiActor, job_id: RecordPath) -> JobRead:
    """One job the caller asked for (facilitators: any job): its status, its error, what it made."""
    return JobRead.of(service.get_job(session, actor=actor, job_id=job_id))
