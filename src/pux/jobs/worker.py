"""`pux worker`: takes jobs from the queue and runs them.

On PostgreSQL the queue is procrastinate's: jobs are taken with SELECT .. FOR UPDATE SKIP LOCKED, each
worker says it is alive every few seconds, and the jobs of a worker that stopped saying so (killed, its
machine gone) are handed to another. The task it runs is one: ``execute`` a PUX job by its id. On SQLite
a worker is the app's own runner loop in a process of its own.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import procrastinate
from procrastinate.jobs import Job as QueueJob
from procrastinate.retry import BaseRetryStrategy, RetryDecision
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from pux.config import Settings
from pux.db import make_engine, make_session_factory
from pux.jobs import service
from pux.jobs.models import QUEUED
from pux.jobs.service import RunPolicy
from pux.processes import prepare_ahead

LOGGER = logging.getLogger(__name__)
TASK_NAME = "pux.run_job"
# The longest a worker waits between two looks for the jobs of workers that stopped.
MAX_KEEPER_POLL_SECONDS = 2.0


def keeper_poll_seconds(stalled_seconds: float) -> float:
    """How often a worker looks for the jobs of workers that stopped: every few seconds, whatever the
    stalled time, so that a killed worker's job is handed over about the stalled time after its last
    heartbeat (looking every third of it made that up to a third longer; a look is one small query)."""
    return min(max(stalled_seconds / 3, 0.5), MAX_KEEPER_POLL_SECONDS)


class RunAgainLater(Exception):
    """The attempt failed in a way that may pass; the job row says when to try again."""

    def __init__(self, outcome: service.Outcome) -> None:
        super().__init__(f"retry at {outcome.retry_at}")
        self.outcome = outcome


class FollowTheJobRow(BaseRetryStrategy):
    """Retries as the job table decides (service.execute counts the attempts and sets the wait), so that
    the queue and the job page never disagree."""

    def get_retry_decision(self, *, exception: BaseException, job: QueueJob) -> RetryDecision | None:
        if isinstance(exception, RunAgainLater) and exception.outcome.retry_at is not None:
            return RetryDecision(retry_at=exception.outcome.retry_at)
        return None


class _Runtime:
    """What the task needs in a worker process (set by run_worker before the first job is taken)."""

    factory: sessionmaker[Session] | None = None
    policy: RunPolicy | None = None


RUNTIME = _Runtime()


def run_queued_job(job_id: int) -> None:
    """The procrastinate task: one attempt of a PUX job. A second delivery of a job whose first worker
    stopped finds it marked running, which is why every delivery may take a running job."""
    assert RUNTIME.factory is not None and RUNTIME.policy is not None, "run_worker sets the runtime"
    outcome = service.execute(RUNTIME.factory, job_id, policy=RUNTIME.policy, redelivered=True)
    if outcome.status in (QUEUED, service.HELD):
        raise RunAgainLater(outcome)


def build_app(connector: Any) -> procrastinate.App:
    app = procrastinate.App(connector=connector)
    app.task(name=TASK_NAME, retry=FollowTheJobRow())(run_queued_job)
    return app


def conninfo(database_url: str) -> str:
    """The libpq address of a SQLAlchemy URL ("postgresql+psycopg://..." names the driver too)."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def run_worker(settings: Settings, *, concurrency: int = 1) -> None:
    """Run jobs until stopped (SIGINT or SIGTERM: the jobs under way end first)."""
    from pux.jobs.queue import InProcessRunner, policy_for

    engine = make_engine(settings.database_url, pool_size=concurrency + 2)
    RUNTIME.factory, RUNTIME.policy = make_session_factory(engine), policy_for(settings)
    _prepare_for_rounds(RUNTIME.factory)
    try:
        if settings.is_sqlite:
            _run_sqlite_worker(InProcessRunner(RUNTIME.factory, RUNTIME.policy))
        else:
            asyncio.run(_run_procrastinate_worker(settings, concurrency))
    finally:
        engine.dispose()


def _prepare_for_rounds(factory: sessionmaker[Session]) -> None:
    """Read what an allocation round over every programme starts from (each matchable need and programme
    with its text vector, the priority inputs) before taking the first job, as an app process does before
    its first request: at the mission's scale the first round after a worker started took 16.7 s, 11.5 s
    with this (which takes 5.6 s at the start), the next ones 9.3-9.9 s."""
    from pux.matching import service as matching

    prepare_ahead(factory, "the rounds' data", matching.prepare, LOGGER, "worker: ")


def _run_sqlite_worker(runner: Any) -> None:
    import signal
    import threading

    stopped = threading.Event()
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: stopped.set())
    runner.start()
    stopped.wait()
    runner.stop()


async def _run_procrastinate_worker(settings: Settings, concurrency: int) -> None:
    stalled = settings.job_stalled_seconds
    app = build_app(procrastinate.PsycopgConnector(conninfo=conninfo(settings.database_url)))
    async with app.open_async():
        keeper = asyncio.create_task(_keep_queue_whole(app, stalled))
        try:
            await app.run_worker_async(
                concurrency=concurrency,
                name="pux-worker",
                update_heartbeat_interval=max(stalled / 3, 0.5),
                stalled_worker_timeout=stalled,
                fetch_job_polling_interval=2.0,
            )
        finally:
            keeper.cancel()


async def _keep_queue_whole(app: procrastinate.App, stalled_seconds: float) -> None:
    """Every few seconds: hand over again the jobs of workers that stopped (killed mid-job), and hand
    over the jobs an app process committed but never handed over (it stopped in between)."""
    assert RUNTIME.factory is not None
    while True:
        try:
            for stalled_job in await app.job_manager.get_stalled_jobs(
                seconds_since_heartbeat=stalled_seconds
            ):
                LOGGER.warning("job %s: its worker stopped; handed over again", stalled_job.id)
                await app.job_manager.retry_job(stalled_job)
            lost = await asyncio.to_thread(
                service.not_handed_over, RUNTIME.factory, older_than=stalled_seconds
            )
            for job_id in lost:
                queue_id = await app.tasks[TASK_NAME].defer_async(job_id=job_id)
                await asyncio.to_thread(service.handed_over, RUNTIME.factory, job_id, queue_id)
        except Exception:
            LOGGER.exception("worker: could not look for stalled jobs")
        await asyncio.sleep(keeper_poll_seconds(stalled_seconds))
