"""Who runs the jobs, and how they hear of them.

Embedded (SQLite, or ``PUX_JOB_RUNNER=in-process``): each app process has one runner thread that takes due
jobs from the job table, one at a time, woken when a session that queued one commits (and every few
seconds, for retries that come due and jobs of runners that stopped). Scaled out (PostgreSQL): a committed
job is handed to procrastinate's queue, and `pux worker` processes take it from there (pux.jobs.worker).
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from pux.config import Settings
from pux.jobs import service
from pux.jobs.service import RunPolicy

LOGGER = logging.getLogger(__name__)
# How often an idle runner looks for retries that came due and jobs whose runner stopped.
POLL_SECONDS = 2.0


def policy_for(settings: Settings) -> RunPolicy:
    return RunPolicy(
        files_dir=settings.files_dir,
        retry_seconds=settings.job_retry_seconds,
        stalled_seconds=settings.job_stalled_seconds,
    )


# The runners of this process (the app's own, on the embedded default), for the jobs pages to tell whether
# one is there to take queued jobs: it leaves no trace in the database while it waits for work.
RUNNERS_HERE: weakref.WeakSet[InProcessRunner] = weakref.WeakSet()


class InProcessRunner:
    """One thread of this process that runs due jobs in turn; started when first woken."""

    def __init__(self, factory: sessionmaker[Session], policy: RunPolicy) -> None:
        self.factory, self.policy = factory, policy
        self._wake, self._stop = threading.Event(), threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._resident = False
        RUNNERS_HERE.add(self)

    @property
    def alive(self) -> bool:
        """Whether its thread runs and has not been told to stop (it takes jobs as they come due)."""
        thread = self._thread
        return thread is not None and thread.is_alive() and not self._stop.is_set()

    def start(self) -> None:
        """Run for as long as the process does (a served app, a worker): jobs queued by commands or
        other processes are found by polling."""
        self._resident = True
        self.wake()

    def wake(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._stop.clear()
                self._thread = threading.Thread(target=self._loop, name="pux-job-runner", daemon=True)
                self._thread.start()
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop after the job under way (if any) has ended."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        # Unless resident, the thread ends once no job is queued or running (the next job queued here
        # starts it again): an app made for a test keeps no thread polling its database.
        while not self._stop.is_set():
            try:
                self.run_due()
                if not self._resident and not service.unfinished(self.factory):
                    return
            except Exception:  # the database went away for a moment: look again at the next poll
                LOGGER.exception("job runner: could not look for due jobs")
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()

    def run_due(self) -> None:
        """Run every job that is due now, then return."""
        service.requeue_stalled(self.factory, policy=self.policy)
        while not self._stop.is_set():
            job_id = service.next_due(self.factory)
            if job_id is None:
                return
            service.execute(self.factory, job_id, policy=self.policy)


def runner_alive_for(factory: sessionmaker[Session]) -> bool:
    """Whether a runner of this process, over the sessions of ``factory`` (an app's), is alive to take
    jobs as they come due. Another app's runner in the same process (tests make many apps) says nothing
    of this one's: counting it hid the no-worker notice whenever one was alive."""
    return any(runner.alive and runner.factory is factory for runner in list(RUNNERS_HERE))


def install(
    factory: sessionmaker[Session], settings: Settings, *, runs_jobs: bool = True
) -> tuple[Callable[[], None], Callable[[], None]]:
    """Make every session of ``factory`` that queued jobs tell the queue once it commits (and forget them
    when it rolls back). Returns what starts and stops this process's part: its runner thread when jobs
    run in-process; nothing when `pux worker` processes run them. A process that does not run jobs
    (``runs_jobs`` False: a command that queues one and ends) leaves in-process jobs to the runners that
    poll the job table."""
    tell: Callable[[Sequence[int]], None]
    start: Callable[[], None]
    stop: Callable[[], None]
    if settings.jobs_in_process and not runs_jobs:
        tell, start, stop = _tell_nobody, _nothing, _nothing
    elif settings.jobs_in_process:
        runner = InProcessRunner(factory, policy_for(settings))
        tell, start, stop = (lambda _ids: runner.wake()), runner.start, runner.stop
    else:
        handover = ProcrastinateHandover(settings.database_url)
        tell, start, stop = handover.hand_over_and_record(factory), _nothing, handover.close

    def committed(session: Session) -> None:
        queued = session.info.pop(service.QUEUED_IN_SESSION, None)
        if queued:
            tell(queued)

    def rolled_back(session: Session) -> None:
        session.info.pop(service.QUEUED_IN_SESSION, None)

    event.listen(factory, "after_commit", committed)
    event.listen(factory, "after_rollback", rolled_back)

    return start, stop


def _nothing() -> None:
    return None


def _tell_nobody(_job_ids: Sequence[int]) -> None:
    return None


class ProcrastinateHandover:
    """Hands committed jobs to procrastinate's queue from an app process (a small pool of its own,
    opened on first use)."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self._app: Any = None
        self._lock = threading.Lock()

    def _opened(self) -> Any:
        from procrastinate import SyncPsycopgConnector

        from pux.jobs.worker import build_app, conninfo

        with self._lock:
            if self._app is None:
                app = build_app(
                    SyncPsycopgConnector(conninfo=conninfo(self.database_url), min_size=0, max_size=2)
                )
                app.open()
                self._app = app
            return self._app

    def close(self) -> None:
        with self._lock:
            if self._app is not None:
                self._app.close()
                self._app = None

    def defer(self, job_id: int) -> int:
        from pux.jobs.worker import TASK_NAME

        return int(self._opened().tasks[TASK_NAME].defer(job_id=job_id))

    def hand_over_and_record(self, factory: sessionmaker[Session]) -> Callable[[Sequence[int]], None]:
        def tell(job_ids: Sequence[int]) -> None:
            for job_id in job_ids:
                try:
                    service.handed_over(factory, job_id, self.defer(job_id))
                except Exception:  # `pux worker` hands it over later (service.not_handed_over)
                    LOGGER.exception("job %s: not handed to the queue yet", job_id)

        return tell
