"""Jobs on the test database: who may queue what, how an attempt ends (done, tried again after a wait that
grows, failed for good with its message), a runner that stopped, and the jobs pages for each role.

Units of work become savepoints of the test's transaction (nothing is left behind); the executor is the
real one. The queue itself (procrastinate, `pux worker`, the app's runner thread) is exercised against a
served app in test_served_jobs.py."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from pux.accounts.permissions import Actor, PermissionDenied
from pux.audit.models import AuditEvent
from pux.errors import NotFound
from pux.jobs import kinds, service
from pux.jobs.models import DONE, FAILED, QUEUED, RUNNING, Job
from pux.jobs.service import RunPolicy
from pux.matching.models import AllocationRound
from tests.web_helpers import csrf_token, run_queued_jobs, sign_in
from tests.world import World

FLAKY = "test.flaky"


@pytest.fixture
def policy(tmp_path: Path) -> RunPolicy:
    return RunPolicy(files_dir=tmp_path, retry_seconds=10.0, stalled_seconds=30.0)


@pytest.fixture
def flaky_kind() -> Iterator[dict[str, int]]:
    """A kind of job that fails (a passing error) as many times as its parameters say, then succeeds."""
    calls = {"count": 0}

    def run(context: kinds.JobContext) -> dict[str, Any]:
        calls["count"] += 1
        if calls["count"] <= int(context.params["failures"]):
            raise ConnectionError(f"database went away (call {calls['count']})")
        return {"calls": calls["count"]}

    kinds.KINDS[FLAKY] = kinds.JobKind(FLAKY, lambda: "Flaky", lambda actor: actor.is_global, run)
    yield calls
    del kinds.KINDS[FLAKY]


def _queue(session: Session, actor: Actor, kind: str, **params: Any) -> Job:
    job = service.enqueue(session, actor=actor, kind=kind, params=params, language="en")
    session.flush()
    return job


def _reload(session: Session, job: Job) -> Job:
    session.expire_all()
    reloaded = session.get(Job, job.id)
    assert reloaded is not None
    return reloaded


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _actions(session: Session, job: Job) -> list[str]:
    statement = (
        select(AuditEvent.action)
        .where(AuditEvent.entity_type == "job", AuditEvent.entity_id == str(job.id))
        .order_by(AuditEvent.id)
    )
    return list(session.scalars(statement))


def test_only_those_with_the_right_may_queue_a_job_and_each_queueing_is_audited(
    session: Session, world: World
) -> None:
    for role in ("focal_ken", "partner_a", "expert", "public"):
        with pytest.raises(PermissionDenied):
            _queue(session, world.actors[role], kinds.COUNTRY_BRIEFS)
    with pytest.raises(PermissionDenied):  # the search index is the administrators' alone
        _queue(session, world.actors["facilitator"], kinds.SEARCH_REINDEX)
    with pytest.raises(NotFound):
        _queue(session, world.actors["facilitator"], "no.such.kind")
    job = _queue(session, world.actors["facilitator"], kinds.COUNTRY_BRIEFS)
    assert (job.status, job.attempts, job.params["language"]) == (QUEUED, 0, "en")
    assert _actions(session, job) == ["job.queue"]


def test_a_round_job_stores_the_round_and_links_it(
    session: Session, session_factory: sessionmaker[Session], policy: RunPolicy, world: World
) -> None:
    job = _queue(
        session,
        world.actors["facilitator"],
        kinds.ALLOCATION_ROUND,
        title="Round from a job",
        country_cap_share=0.5,
        ldc_floor_share=None,
    )
    assert service.execute(session_factory, job.id, policy=policy).status == DONE
    job = _reload(session, job)
    assert (job.status, job.attempts, job.error) == (DONE, 1, None)
    round_record = session.get(AllocationRound, job.result["round_id"])  # type: ignore[index]
    assert round_record is not None and round_record.title == "Round from a job"
    assert _actions(session, job) == ["job.queue", "job.done"]
    # A second delivery of a job that has ended runs nothing again.
    assert service.execute(session_factory, job.id, policy=policy, redelivered=True).status == "skipped"


def test_a_passing_failure_is_tried_again_after_a_growing_wait_then_succeeds(
    session: Session,
    session_factory: sessionmaker[Session],
    policy: RunPolicy,
    world: World,
    flaky_kind: dict[str, int],
) -> None:
    job = _queue(session, world.actors["facilitator"], FLAKY, failures=2)
    # The wait counts from when the attempt failed, somewhere between the start and the end of execute
    # (which may take a while on a busy machine): 10 s, then four times longer.
    for wait in (10, 40):
        before = datetime.now(UTC)
        outcome = service.execute(session_factory, job.id, policy=policy)
        after = datetime.now(UTC)
        assert outcome.status == QUEUED and outcome.retry_at is not None
        assert before + timedelta(seconds=wait) <= outcome.retry_at <= after + timedelta(seconds=wait)
        reloaded = _reload(session, job)
        assert reloaded.status == QUEUED and "database went away" in (reloaded.error or "")
        # Not due before its wait is over: no runner takes it early.
        assert service.next_due(session_factory) != job.id
        reloaded.run_after = datetime.now(UTC) - timedelta(seconds=1)
        session.flush()
    assert service.execute(session_factory, job.id, policy=policy).status == DONE
    job = _reload(session, job)
    assert (job.status, job.attempts, job.result, job.error) == (DONE, 3, {"calls": 3}, None)
    assert _actions(session, job) == ["job.queue", "job.retry_later", "job.retry_later", "job.done"]


def test_a_job_that_keeps_failing_fails_with_its_error_and_can_be_queued_again(
    session: Session,
    session_factory: sessionmaker[Session],
    policy: RunPolicy,
    world: World,
    flaky_kind: dict[str, int],
) -> None:
    job = _queue(session, world.actors["facilitator"], FLAKY, failures=5)
    for _attempt in range(3):
        service.execute(session_factory, job.id, policy=policy)
        _reload(session, job).run_after = datetime.now(UTC) - timedelta(seconds=1)
        session.flush()
    job = _reload(session, job)
    assert (job.status, job.attempts) == (FAILED, 3)
    assert job.error == "ConnectionError: database went away (call 3)"
    assert service.next_due(session_factory) != job.id
    with pytest.raises(NotFound):  # someone else's job is not even there for a focal point
        service.retry(session, actor=world.actors["focal_ken"], job_id=job.id)
    service.retry(session, actor=world.actors["facilitator"], job_id=job.id)
    session.flush()
    job = _reload(session, job)
    assert (job.status, job.attempts, job.error) == (QUEUED, 0, None)
    assert _actions(session, job)[-1] == "job.retry"


def test_rights_are_checked_again_when_the_job_runs(
    session: Session, session_factory: sessionmaker[Session], policy: RunPolicy, world: World
) -> None:
    # Queued in the name of someone who may not run rounds (their role was taken away since): the job
    # fails at once, no retry, with the refusal in words.
    job = Job(
        kind=kinds.ALLOCATION_ROUND,
        params={"title": "Not allowed", "country_cap_share": 0.25, "language": "fr"},
        status=QUEUED,
        requested_by=world.actors["focal_ken"].label,
        requested_by_id=world.user_ids["focal_ken"],
        run_after=datetime.now(UTC),
        attempts=0,
        max_attempts=3,
    )
    session.add(job)
    session.flush()
    rounds_before = len(session.scalars(select(AllocationRound.id)).all())
    assert service.execute(session_factory, job.id, policy=policy).status == FAILED
    job = _reload(session, job)
    assert (job.status, job.attempts) == (FAILED, 1)
    assert job.error and "facilitat" in job.error.lower()  # in the requester's language (French here)
    assert len(session.scalars(select(AllocationRound.id)).all()) == rounds_before


def _running(session: Session, world: World, *, runner: str, silent_for: float, attempts: int = 1) -> Job:
    moment = datetime.now(UTC) - timedelta(seconds=silent_for)
    job = Job(
        kind=kinds.COUNTRY_BRIEFS,
        params={"language": "en"},
        status=RUNNING,
        requested_by=world.actors["facilitator"].label,
        requested_by_id=world.user_ids["facilitator"],
        run_after=moment,
        attempts=attempts,
        max_attempts=3,
        started_at=moment,
        heartbeat_at=moment,
        runner=runner,
    )
    session.add(job)
    session.flush()
    return job


def _dead_pid() -> int:
    pid = 2**22 - 7
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid -= 1


def test_a_job_whose_runner_stopped_is_taken_up_again_and_a_slow_one_is_not(
    session: Session, session_factory: sessionmaker[Session], policy: RunPolicy, world: World
) -> None:
    here = socket.gethostname()
    killed = _running(session, world, runner=f"{here}:{_dead_pid()}:1", silent_for=60)
    elsewhere = _running(session, world, runner="another-machine:4242:1", silent_for=60)
    slow_here = _running(session, world, runner=f"{here}:{os.getpid()}:1", silent_for=60)
    lively = _running(session, world, runner="another-machine:4243:1", silent_for=1)
    taken_up = service.requeue_stalled(session_factory, policy=policy)
    assert set(taken_up) >= {killed.id, elsewhere.id}
    assert not {slow_here.id, lively.id} & set(taken_up)
    for job in (killed, elsewhere):
        reloaded = _reload(session, job)
        assert reloaded.status == QUEUED and reloaded.runner is None
        assert "taken up again" in (reloaded.error or "")
        assert _actions(session, reloaded) == ["job.requeue"]
    assert _reload(session, slow_here).status == RUNNING
    assert _reload(session, lively).status == RUNNING


def test_a_job_stopped_on_every_attempt_fails_and_says_so(
    session: Session, session_factory: sessionmaker[Session], policy: RunPolicy, world: World
) -> None:
    job = _running(
        session, world, runner=f"{socket.gethostname()}:{_dead_pid()}:1", silent_for=60, attempts=3
    )
    assert job.id in service.requeue_stalled(session_factory, policy=policy)
    assert service.execute(session_factory, job.id, policy=policy).status == FAILED
    job = _reload(session, job)
    assert (job.status, job.attempts) == (FAILED, 3)
    assert "stopped before its end on every attempt" in (job.error or "")


def test_two_runners_reaching_for_one_job_cannot_both_have_it(
    session: Session, session_factory: sessionmaker[Session], world: World
) -> None:
    from pux.jobs import repository

    job = _queue(session, world.actors["facilitator"], kinds.COUNTRY_BRIEFS)
    now = datetime.now(UTC)
    assert repository.claim(session, job.id, runner="a:1:1", now=now, silent_since=None)
    assert not repository.claim(session, job.id, runner="b:2:2", now=now, silent_since=None)
    assert _reload(session, job).runner == "a:1:1"


def test_a_job_delivered_again_while_its_runner_is_alive_is_not_run_twice(
    session: Session, session_factory: sessionmaker[Session], policy: RunPolicy, world: World
) -> None:
    # The queue took a slow runner for a stopped one: its job is held back, to be asked again later.
    lively = _running(session, world, runner="another-machine:4243:1", silent_for=1)
    outcome = service.execute(session_factory, lively.id, policy=policy, redelivered=True)
    assert outcome.status == service.HELD and outcome.retry_at is not None
    assert (_reload(session, lively).runner, _reload(session, lively).attempts) == (
        "another-machine:4243:1",
        1,
    )
    # Once that runner has been silent for the stalled time, the next delivery takes the job over.
    silent = _running(session, world, runner="another-machine:4244:1", silent_for=60)
    assert service.execute(session_factory, silent.id, policy=policy, redelivered=True).status == DONE
    assert _reload(session, silent).attempts == 2


# --- Pages ---------------------------------------------------------------------------------------------


def _start(client: TestClient, kind: str, language: str = "en") -> Any:
    token = csrf_token(client, "/jobs")
    return client.post(
        "/jobs", data={"csrf_token": token, "kind": kind, "language": language}, follow_redirects=False
    )


def test_the_jobs_page_offers_each_role_what_it_may_start(client: TestClient, world: World) -> None:
    assert client.get("/jobs", follow_redirects=False).headers["location"] == "/sign-in?next=/jobs"
    sign_in(client, world.emails["focal_ken"])
    page = client.get("/jobs")
    assert page.status_code == 200 and 'name="kind"' not in page.text and "No jobs yet." in page.text
    assert 'href="/jobs"' not in page.text.split("<main")[0]  # no link in the header for them
    refused = client.post(
        "/jobs", data={"csrf_token": csrf_token(client, "/jobs"), "kind": "briefs.countries"}
    )
    assert refused.status_code == 403
    client.cookies.clear()
    sign_in(client, world.emails["facilitator"])
    page = client.get("/jobs")
    assert 'value="briefs.countries"' in page.text and 'value="search.reindex"' not in page.text
    assert 'href="/jobs"' in page.text.split("<main")[0]
    client.cookies.clear()
    sign_in(client, world.emails["admin"])
    assert 'value="search.reindex"' in client.get("/jobs").text


def test_briefs_of_every_country_come_as_one_zip_from_the_job_page(client: TestClient, world: World) -> None:
    sign_in(client, world.emails["facilitator"])
    started = _start(client, kinds.COUNTRY_BRIEFS, "fr")
    assert started.status_code == 303
    job_page = started.headers["location"]
    queued = client.get(job_page)
    assert "Queued" in queued.text and 'http-equiv="refresh"' in queued.text
    assert client.get(job_page + "/file").status_code == 404  # nothing to download yet
    assert run_queued_jobs(client) == [DONE]
    done = client.get(job_page)
    assert 'http-equiv="refresh"' not in done.text and f'href="{job_page}/file"' in done.text
    download = client.get(job_page + "/file")
    assert download.status_code == 200 and download.headers["content-type"] == "application/zip"
    import io
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    assert names and all(name.startswith("pux-country-brief-") and "-fr-" in name for name in names)
    assert any("-KEN-" in name for name in names)
    # Someone who did not ask for it and is not a facilitator sees neither the job nor its file.
    client.cookies.clear()
    sign_in(client, world.emails["partner_a"])
    assert client.get(job_page).status_code == 404
    assert client.get(job_page + "/file").status_code == 404


def test_a_failed_job_shows_its_error_in_arabic_and_can_be_tried_again(
    client: TestClient, session: Session, world: World, flaky_kind: dict[str, int]
) -> None:
    job = _queue(session, world.actors["facilitator"], FLAKY, failures=1)
    job.max_attempts = 1
    session.flush()
    sign_in(client, world.emails["facilitator"])
    assert run_queued_jobs(client) == [FAILED]
    session.expire_all()  # the job was changed by the runner's units of work, not by this session
    client.cookies.set("pux_lang", "ar")
    page = client.get(f"/jobs/{job.id}")
    assert page.status_code == 200 and 'dir="rtl"' in page.text
    assert "ConnectionError: database went away (call 1)" in page.text
    token = csrf_token(client, f"/jobs/{job.id}")
    retried = client.post(f"/jobs/{job.id}/retry", data={"csrf_token": token}, follow_redirects=False)
    assert retried.status_code == 303
    again = client.post(f"/jobs/{job.id}/retry", data={"csrf_token": token}, follow_redirects=False)
    assert again.status_code == 409  # only a failed job can be queued again
    assert run_queued_jobs(client) == [DONE]


def test_a_round_under_way_is_listed_on_the_matching_page_until_it_is_done(
    client: TestClient, world: World
) -> None:
    sign_in(client, world.emails["facilitator"])
    token = csrf_token(client, "/matching")
    asked = client.post(
        "/matching/rounds",
        data={"csrf_token": token, "title": "Round under way", "country_cap_percent": "30"},
        follow_redirects=False,
    )
    job_page = asked.headers["location"]
    home = client.get("/matching").text
    assert f'href="{job_page}">Round under way</a> · Queued' in home
    assert run_queued_jobs(client) == [DONE]
    home = client.get("/matching").text
    assert f'href="{job_page}"' not in home and "Round under way" in home  # now among the rounds


def test_a_refused_round_links_back_to_its_rules_and_offers_no_retry(
    client: TestClient,
    session: Session,
    session_factory: sessionmaker[Session],
    policy: RunPolicy,
    world: World,
) -> None:
    """The failed round's page led to the matching form with its defaults (the title and rules typed were
    lost) and offered "Try again", which could only be refused again."""
    job = Job(
        kind=kinds.ALLOCATION_ROUND,
        params={"title": "Sahel round", "country_cap_share": 0.3, "ldc_floor_share": 0.5, "language": "en"},
        status=QUEUED,
        requested_by=world.actors["focal_ken"].label,  # may not run rounds: refused when it runs
        requested_by_id=world.user_ids["focal_ken"],
        run_after=datetime.now(UTC),
        attempts=0,
        max_attempts=3,
    )
    session.add(job)
    session.flush()
    assert service.execute(session_factory, job.id, policy=policy).status == FAILED
    session.expire_all()  # the job was changed by the runner's units of work, not by this session
    sign_in(client, world.emails["facilitator"])
    page = client.get(f"/jobs/{job.id}")
    assert page.status_code == 200
    assert f'action="/jobs/{job.id}/retry"' not in page.text
    link = "/matching?title=Sahel+round&amp;country_cap_percent=30&amp;ldc_floor_percent=50"
    assert link in page.text
    form = client.get(link.replace("&amp;", "&"))
    assert form.status_code == 200
    for value in ('value="Sahel round"', 'value="30"', 'value="50"'):
        assert value in form.text
