"""A running job whose only worker died (SIGKILL, no other `pux worker`) promised on its page "if it
stopped, another runner takes the job up again", and /jobs said nothing, while nothing took it up until
someone started a worker. When no runner has been seen within the stalled time, the jobs list and the
job's page now say that no worker is taking jobs and to start `pux worker`, as for a queued job; while a
runner is seen (on SQLite, the app's own runner alive), the takeover is still promised: it comes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.jobs.models import Job
from tests.jobs.conftest import stop_the_apps_runner
from tests.jobs.test_jobs import _running
from tests.jobs.test_no_worker_m5 import NEVER_SEEN, NOTICE, SEEN_SINCE
from tests.world import World

TAKEOVER_PROMISED = "if it stopped, another runner takes the job up again"
TAKEN_UP_ONCE_ONE_RUNS = "once a worker runs, it takes the job up again if attempts remain"
NOBODY_SINCE = "Its runner has not said it is alive for a while, and no other runner has been seen since."
KILLED_AT = 60.0  # seconds since the killed runner last said it was alive (stalled after 30)


def _pages(client: TestClient, job: Job) -> tuple[str, str]:
    listed, shown = client.get("/jobs"), client.get(f"/jobs/{job.id}")
    assert (listed.status_code, shown.status_code) == (200, 200)
    return listed.text, shown.text


def test_a_job_whose_only_worker_died_says_no_worker_is_taking_jobs_and_what_to_do(
    watching: TestClient, session: Session, world: World
) -> None:
    stop_the_apps_runner(watching)
    job = _running(session, world, runner="another-machine:4261:1", silent_for=KILLED_AT)
    last_seen = datetime.now(UTC) - timedelta(seconds=KILLED_AT)
    said = SEEN_SINCE.format(moment=last_seen.strftime("%Y-%m-%d %H:%M"))
    listed, shown = _pages(watching, job)
    for page in (listed, shown):
        assert NOTICE in page and said in page and TAKEN_UP_ONCE_ONE_RUNS in page
        assert "Queued jobs wait until one runs" not in page  # none is queued
    assert TAKEOVER_PROMISED not in shown and NOBODY_SINCE in shown


def test_a_job_whose_worker_died_before_any_was_ever_seen_elsewhere_says_so_too(
    watching: TestClient, session: Session, world: World
) -> None:
    stop_the_apps_runner(watching)
    job = _running(session, world, runner="another-machine:4262:1", silent_for=KILLED_AT)
    job.heartbeat_at = None  # its runner never beat
    session.flush()
    for page in _pages(watching, job):
        assert NOTICE in page and NEVER_SEEN in page


def test_a_silent_runner_while_another_is_seen_keeps_the_promise_of_a_takeover(
    watching: TestClient, session: Session, world: World
) -> None:
    stop_the_apps_runner(watching)
    job = _running(session, world, runner="another-machine:4263:1", silent_for=KILLED_AT)
    _running(session, world, runner="another-machine:4264:1", silent_for=5)  # a runner at work
    listed, shown = _pages(watching, job)
    assert NOTICE not in listed and NOTICE not in shown
    assert TAKEOVER_PROMISED in shown


def test_on_the_apps_own_runner_a_stopped_runners_job_keeps_the_promise(
    watching: TestClient, apps_runner: None, session: Session, world: World
) -> None:
    """The embedded default: the app's runner is alive and takes such a job up itself."""
    job = _running(session, world, runner="another-machine:4265:1", silent_for=KILLED_AT)
    listed, shown = _pages(watching, job)
    assert NOTICE not in listed and NOTICE not in shown
    assert TAKEOVER_PROMISED in shown
