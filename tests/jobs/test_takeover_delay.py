"""A killed runner's job is taken over about PUX_JOB_STALLED_SECONDS after the runner last said it was
alive, not up to twice that: a worker looks for stopped workers every few seconds, and a job the queue
hands over a little before its runner counts as stopped is asked again the moment it does (it waited a
whole stalled time more). A runner still alive is never taken over: it keeps saying so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from pux.jobs import service
from pux.jobs.models import DONE, RUNNING, Job
from pux.jobs.service import RunPolicy
from pux.jobs.worker import keeper_poll_seconds
from tests.jobs.test_jobs import _aware, _reload, _running
from tests.world import World

STALLED = 30.0


def _beat(session: Session, job: Job) -> datetime:
    beat = _reload(session, job).heartbeat_at
    assert beat is not None
    return _aware(beat)


def test_a_job_handed_over_just_before_its_silent_runner_counts_as_stopped_is_taken_the_moment_it_does(
    session: Session, session_factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    policy = RunPolicy(files_dir=tmp_path, stalled_seconds=STALLED)
    # Its worker was killed 25 s after its last heartbeat... and the queue handed its job over already.
    job = _running(session, world, runner="another-machine:4250:1", silent_for=STALLED - 5)
    outcome = service.execute(session_factory, job.id, policy=policy, redelivered=True)
    assert outcome.status == service.HELD and outcome.retry_at is not None
    assert _reload(session, job).status == RUNNING  # not taken: its runner has not been silent long enough
    last_heard = _beat(session, job)
    waited = (outcome.retry_at - last_heard).total_seconds()
    assert STALLED < waited <= STALLED + 2, waited  # about once the stalled time after it was last heard
    assert outcome.retry_at - datetime.now(UTC) < timedelta(seconds=10)
    # Asked again then, it is taken over and run.
    job.heartbeat_at = last_heard - (outcome.retry_at - datetime.now(UTC))
    session.flush()
    assert service.execute(session_factory, job.id, policy=policy, redelivered=True).status == DONE


def test_a_job_whose_runner_keeps_saying_it_is_alive_is_never_taken(
    session: Session, session_factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    policy = RunPolicy(files_dir=tmp_path, stalled_seconds=STALLED)
    job = _running(session, world, runner="another-machine:4251:1", silent_for=STALLED - 5)
    first = service.execute(session_factory, job.id, policy=policy, redelivered=True)
    assert first.status == service.HELD and first.retry_at is not None
    # Alive, it said so again (every third of the stalled time): asked at the time given, it is held again.
    job.heartbeat_at = datetime.now(UTC) - timedelta(seconds=STALLED / 3)
    session.flush()
    again = service.execute(session_factory, job.id, policy=policy, redelivered=True)
    assert again.status == service.HELD and again.retry_at is not None and again.retry_at > first.retry_at
    assert (_reload(session, job).status, _reload(session, job).runner) == (RUNNING, "another-machine:4251:1")


def test_workers_look_for_stopped_workers_every_few_seconds_whatever_the_stalled_time() -> None:
    # A killed worker's jobs are found at most this long after it counts as stopped (every third of the
    # stalled time before: 10 s more at the default 30 s).
    assert keeper_poll_seconds(30.0) == 2.0
    assert keeper_poll_seconds(300.0) == 2.0
    assert keeper_poll_seconds(3.0) == 1.0
    assert keeper_poll_seconds(0.3) == 0.5
