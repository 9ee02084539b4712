"""Nothing told anyone that no runner was there: a round queued from /matching with no `pux worker`
running showed "Queued - Waiting for a runner to take it" for as long as anyone watched. The jobs page and
a queued job's page now say so when jobs wait and no runner has been seen for longer than the stalled
time; on the embedded default the app's own runner is there, and nothing is said while it is alive."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from pux.jobs import kinds, service
from pux.jobs.models import DONE, RUNNING, Job
from tests.jobs.conftest import ON_POSTGRESQL, dialect, stop_the_apps_runner
from tests.world import World

START_ONE = "ask the administrator to start <code>pux worker</code>."
NEVER_SEEN = f"No worker has been seen yet: {START_ONE}"
SEEN_SINCE = "No worker has been seen since {moment} UTC: " + START_ONE
NOTICE = "No worker is taking jobs"


def _now() -> datetime:
    return datetime.now(UTC)


def _queued(session: Session, world: World) -> Job:
    job = service.enqueue(
        session, actor=world.actors["facilitator"], kind=kinds.COUNTRY_BRIEFS, params={}, language="en"
    )
    session.flush()
    return job


def _earlier_job(session: Session, world: World, *, status: str, seen: datetime) -> None:
    """A job a runner took: its heartbeat (and, when done, its end) at ``seen``."""
    job = _queued(session, world)
    job.status, job.runner, job.heartbeat_at, job.started_at = status, "elsewhere:1:1", seen, seen
    job.finished_at = seen if status == DONE else None
    session.flush()


def _pages(client: TestClient, job: Job) -> list[str]:
    pages = [client.get("/jobs"), client.get(f"/jobs/{job.id}")]
    assert [page.status_code for page in pages] == [200, 200]
    return [page.text for page in pages]


def test_nothing_is_said_while_the_apps_own_runner_is_alive(
    watching: TestClient, apps_runner: None, session: Session, world: World
) -> None:
    job = _queued(session, world)
    for page in _pages(watching, job):
        assert NOTICE not in page
    assert "Waiting for a runner to take it." in _pages(watching, job)[1]


def test_queued_jobs_with_no_runner_ever_seen_say_to_start_a_worker(
    watching: TestClient, session: Session, world: World
) -> None:
    stop_the_apps_runner(watching)
    job = _queued(session, world)
    for page in _pages(watching, job):
        assert NOTICE in page and NEVER_SEEN in page


def test_the_notice_says_when_a_runner_was_last_seen(
    watching: TestClient, session: Session, world: World
) -> None:
    stop_the_apps_runner(watching)
    last_seen = _now() - timedelta(minutes=10)
    _earlier_job(session, world, status=DONE, seen=last_seen)
    job = _queued(session, world)
    said = SEEN_SINCE.format(moment=last_seen.strftime("%Y-%m-%d %H:%M"))
    for page in _pages(watching, job):
        assert said in page


def test_a_runner_seen_within_the_stalled_time_is_taken_as_there(
    watching: TestClient, session: Session, world: World
) -> None:
    stop_the_apps_runner(watching)
    _earlier_job(session, world, status=RUNNING, seen=_now() - timedelta(seconds=5))  # stalled after 30 s
    job = _queued(session, world)
    for page in _pages(watching, job):
        assert NOTICE not in page


def test_nothing_is_said_when_no_job_waits(watching: TestClient, session: Session, world: World) -> None:
    stop_the_apps_runner(watching)
    _earlier_job(session, world, status=DONE, seen=_now() - timedelta(hours=1))
    assert NOTICE not in watching.get("/jobs").text


def test_an_idle_runner_is_taken_as_there(
    watching: TestClient, apps_runner: None, session: Session, world: World
) -> None:
    """A runner waiting for work leaves no job heartbeat: on SQLite the app's own runner is alive in its
    process; on PostgreSQL an idle `pux worker` says it is alive in procrastinate's table of workers."""
    if dialect(session) == ON_POSTGRESQL:
        stop_the_apps_runner(watching)
        session.execute(text("INSERT INTO procrastinate_workers DEFAULT VALUES"))  # last_heartbeat now()
    job = _queued(session, world)
    for page in _pages(watching, job):
        assert NOTICE not in page
