"""A job whose runner was stopped on each of its three attempts (`pux worker` SIGKILLed mid-job, a new
one started each time) failed showing "Attempts 4 / 3" on /jobs (the API said attempts 4, max_attempts
3), and "Last started" showed the moment it was refused, not a real start: the runner that refused it
counted an attempt and a start first. Refusing it now counts neither, on either way a job is handed over
again (the queue's second delivery on PostgreSQL, the job table's poll on SQLite)."""

from __future__ import annotations

import socket
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from pux.jobs import service
from pux.jobs.models import FAILED, RUNNING, Job
from pux.jobs.service import RunPolicy
from tests.jobs.test_jobs import _actions, _aware, _dead_pid, _reload, _running
from tests.web_helpers import bearer, sign_in
from tests.world import World

STOPPED_ON_EVERY_ATTEMPT = "stopped before its end on every attempt"
KILLED_AT = 60.0  # seconds since the killed runner last said it was alive (stalled after 30)


@pytest.fixture
def policy(tmp_path: Path) -> RunPolicy:
    return RunPolicy(files_dir=tmp_path, retry_seconds=10.0, stalled_seconds=30.0)


def _killed_on_its_last_attempt(session: Session, world: World) -> Job:
    """A job whose runner was killed during its third and last attempt."""
    runner = f"{socket.gethostname()}:{_dead_pid()}:1"
    return _running(session, world, runner=runner, silent_for=KILLED_AT, attempts=3)


def _started(job: Job) -> datetime:
    assert job.started_at is not None
    return _aware(job.started_at)


def test_a_worker_handed_a_job_killed_on_its_last_attempt_fails_it_without_counting_an_attempt(
    client: TestClient,
    session: Session,
    session_factory: sessionmaker[Session],
    policy: RunPolicy,
    world: World,
) -> None:
    """PostgreSQL's way: the queue hands the killed worker's job to the next worker."""
    job = _killed_on_its_last_attempt(session, world)
    last_start, earlier_actions = _started(job), len(_actions(session, job))  # a reused id's, on SQLite
    outcome = service.execute(session_factory, job.id, policy=policy, redelivered=True)
    assert outcome.status == FAILED
    job = _reload(session, job)
    assert (job.status, job.attempts, job.max_attempts) == (FAILED, 3, 3)
    assert _started(job) == last_start
    assert job.finished_at is not None and _aware(job.finished_at) > last_start
    assert STOPPED_ON_EVERY_ATTEMPT in (job.error or "")
    assert _actions(session, job)[earlier_actions:] == ["job.fail"]
    read = client.get(f"/api/v1/jobs/{job.id}", headers=bearer(world.tokens["facilitator"])).json()
    assert (read["status"], read["attempts"], read["max_attempts"]) == (FAILED, 3, 3)
    assert _aware(datetime.fromisoformat(read["started_at"].replace("Z", "+00:00"))) == last_start


def test_a_runner_polling_the_job_table_fails_a_job_killed_on_its_last_attempt_as_it_stood(
    client: TestClient,
    session: Session,
    session_factory: sessionmaker[Session],
    policy: RunPolicy,
    world: World,
) -> None:
    """SQLite's way: the app's runner (or a SQLite `pux worker`) queues it again, then takes it."""
    job = _killed_on_its_last_attempt(session, world)
    last_start = _started(job)
    assert job.id in service.requeue_stalled(session_factory, policy=policy)
    assert service.execute(session_factory, job.id, policy=policy).status == FAILED
    job = _reload(session, job)
    assert (job.status, job.attempts) == (FAILED, 3)
    assert _started(job) == last_start
    sign_in(client, world.emails["facilitator"])
    for page in (client.get("/jobs").text, client.get(f"/jobs/{job.id}").text):
        assert "3 / 3" in page and "4 / 3" not in page
    assert last_start.strftime("%Y-%m-%d %H:%M:%S") in client.get(f"/jobs/{job.id}").text


def test_a_used_up_job_whose_runner_still_says_it_is_alive_is_left_to_it(
    session: Session, session_factory: sessionmaker[Session], policy: RunPolicy, world: World
) -> None:
    job = _running(session, world, runner="another-machine:4260:1", silent_for=1, attempts=3)
    outcome = service.execute(session_factory, job.id, policy=policy, redelivered=True)
    assert outcome.status == service.HELD
    job = _reload(session, job)
    assert (job.status, job.attempts, job.error) == (RUNNING, 3, None)


def test_a_job_with_an_attempt_left_is_still_taken_up_and_counted(
    session: Session, session_factory: sessionmaker[Session], policy: RunPolicy, world: World
) -> None:
    runner = f"{socket.gethostname()}:{_dead_pid()}:1"
    job = _running(session, world, runner=runner, silent_for=KILLED_AT, attempts=2)
    service.execute(session_factory, job.id, policy=policy, redelivered=True)
    assert _reload(session, job).attempts == 3
