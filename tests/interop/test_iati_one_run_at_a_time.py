"""One IATI import run is imported by one runner at a time: two attempts racing to start it (a job
delivered again while its first attempt still runs, two uploads of one file) end with exactly one running
it; an attempt whose run was taken over (it had looked stopped) writes nothing more; a job whose run is
held by a live runner waits, its attempt not counted, and ends with the run's report; a run whose runner
was killed is still taken up and finished."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from pux.assistance.models import AssistanceActivity, IatiImportRun, IatiSource
from pux.db import make_session_factory, unit_of_work
from pux.interop.iati import service, synthetic
from pux.jobs import kinds
from pux.jobs import service as jobs
from pux.jobs.models import DONE, QUEUED, Job
from pux.jobs.service import RunPolicy
from tests.interop.iati.test_cli import _remove
from tests.world import World

BASE_URL = "http://pux.test"
ACTIVITIES = 40
EVERYTHING = service.ImportOptions(everything=True, batch_size=5)
WHOLE_FILE = service.ImportOptions(everything=True)


def _file(tmp_path: Path, reporting_ref: str, name: str = "race.xml") -> Path:
    records = list(synthetic.activities(ACTIVITIES, reporting_ref=reporting_ref))
    return synthetic.write_file(tmp_path / name, records)


def _start(
    factory: sessionmaker[Session],
    world: World,
    path: Path,
    *,
    options: service.ImportOptions = WHOLE_FILE,
    hand_over: bool = False,
) -> service.StartedImport:
    """The facilitator starting the file's import (handed over to its job, as the upload page does)."""
    return service.start_import(
        session_factory=factory,
        actor=world.actors["facilitator"],
        path=path,
        base_url=BASE_URL,
        options=options,
        hand_over=hand_over,
    )


def _job_params(run_id: int, path: Path) -> dict[str, Any]:
    """What the upload page queues for the job (everything: every valid activity is imported)."""
    return {
        "run_id": run_id,
        "path": str(path),
        "file_name": path.name,
        "countries": [],
        "sector_prefixes": [],
        "everything": True,
        "base_url": BASE_URL,
        "language": "en",
    }


def _run_job_kind(factory: sessionmaker[Session], world: World, run_id: int, path: Path) -> dict[str, Any]:
    """One attempt of the IATI import job, as a runner executes it."""
    context = kinds.JobContext(
        0, world.actors["facilitator"], _job_params(run_id, path), factory, path.parent
    )
    return kinds.KINDS[kinds.IATI_IMPORT].run(context)


def _race(*attempts: Callable[[], Any]) -> list[Any]:
    """Run the attempts in threads released at the same moment; each one's result or exception."""
    barrier = threading.Barrier(len(attempts))
    outcomes: list[Any] = [None] * len(attempts)

    def run(position: int) -> None:
        barrier.wait()
        try:
            outcomes[position] = attempts[position]()
        except Exception as error:
            outcomes[position] = error

    threads = [threading.Thread(target=run, args=(position,)) for position in range(len(attempts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return outcomes


@pytest.fixture
def committed(engine: Engine) -> Iterator[tuple[sessionmaker[Session], str]]:
    """A session factory that commits for real (threads need their own connections), and a publisher
    whose imports are removed afterwards, with the runs and records of its files."""
    reporting_ref = "XX-SYN-RACE"
    yield make_session_factory(engine), reporting_ref
    _remove(engine, reporting_ref)
    with unit_of_work(make_session_factory(engine)) as session:
        sources = select(IatiSource.id).where(IatiSource.file_name.in_(("race.xml", "uploaded.xml")))
        session.execute(delete(IatiImportRun).where(IatiImportRun.source_id.in_(sources)))
        session.execute(delete(IatiSource).where(IatiSource.file_name.in_(("race.xml", "uploaded.xml"))))


def _stored(factory: sessionmaker[Session], reporting_ref: str) -> int:
    with unit_of_work(factory) as session:
        statement = select(func.count()).where(AssistanceActivity.iati_reporting_org_ref == reporting_ref)
        return int(session.scalar(statement) or 0)


def _run(factory: sessionmaker[Session], run_id: int) -> IatiImportRun:
    with unit_of_work(factory) as session:
        run = session.get(IatiImportRun, run_id)
        assert run is not None
        session.expunge(run)
        return run


@pytest.mark.parametrize("first_look", [True, False], ids=["as-is", "both-past-the-first-look"])
def test_two_attempts_of_one_import_job_racing_to_start_it_end_with_exactly_one_running_it(
    committed: tuple[sessionmaker[Session], str],
    world: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    first_look: bool,
) -> None:
    factory, reporting_ref = committed
    if not first_look:
        # Both attempts read the file through and reach for the run: the one taking it decides.
        monkeypatch.setattr(service, "_ended_or_held", lambda *_args, **_kwargs: None)
    path = _file(tmp_path, reporting_ref)
    # As the upload page records it: the run, handed over to its job.
    recorded = _start(factory, world, path, hand_over=True)
    # The job delivered twice at once (its first worker taken for stopped while it still ran).
    outcomes = _race(*[lambda: _run_job_kind(factory, world, recorded.run_id, path)] * 2)

    ran = [outcome for outcome in outcomes if isinstance(outcome, dict)]
    waited = [outcome for outcome in outcomes if isinstance(outcome, kinds.HeldElsewhere)]
    assert (len(ran), len(waited)) == (1, 1), outcomes
    assert "waits for that import to end" in str(waited[0])
    run = _run(factory, recorded.run_id)
    assert run.status == "finished"
    assert (run.read_count, run.new_count, run.updated_count, run.unchanged_count) == (
        ACTIVITIES,
        ACTIVITIES,
        0,
        0,
    )
    assert _stored(factory, reporting_ref) == ACTIVITIES
    # Asked again (the job waits its turn), the second attempt ends with the run's report.
    monkeypatch.undo()
    assert _run_job_kind(factory, world, recorded.run_id, path) == ran[0]


def test_two_uploads_of_one_new_file_at_once_record_one_run(
    committed: tuple[sessionmaker[Session], str], world: World, tmp_path: Path
) -> None:
    factory, reporting_ref = committed
    path = _file(tmp_path, reporting_ref, "uploaded.xml")

    def upload() -> service.StartedImport:
        return _start(factory, world, path, hand_over=True)

    outcomes = _race(upload, upload)
    recorded = [outcome for outcome in outcomes if isinstance(outcome, service.StartedImport)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, service.ImportUnderway)]
    assert (len(recorded), len(refused)) == (1, 1), outcomes
    assert refused[0].run_id == recorded[0].run_id
    with unit_of_work(factory) as session:
        runs = session.scalar(
            select(func.count())
            .select_from(IatiImportRun)
            .join(IatiSource)
            .where(IatiSource.file_name == path.name)
        )
    assert runs == 1


def test_an_attempt_whose_run_was_taken_over_writes_nothing_more_and_the_taker_finishes_it(
    session: Session, session_factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    path = _file(tmp_path, "XX-SYN-SLOW")

    def start() -> service.StartedImport:
        return _start(session_factory, world, path, options=EVERYTHING)

    slow = start()
    # Its runner looks stopped (no batch for longer than a run may stay silent), though it is alive.
    with unit_of_work(session_factory, write=True) as unit:
        run = unit.get(IatiImportRun, slow.run_id)
        assert run is not None
        run.heartbeat_at = datetime.now(UTC) - service.STALLED_AFTER - timedelta(seconds=5)
    taker = start()
    assert taker.run_id == slow.run_id
    with pytest.raises(service.ImportUnderway):
        start()  # a third one refuses: the taker holds the run and is alive
    with pytest.raises(service.ImportTakenOver):
        service.finish_import(slow)
    assert _run(session_factory, slow.run_id).read_count == 0  # not one batch of the slow one written
    report = service.finish_import(taker)
    assert (report.status, report.read, report.new) == ("finished", ACTIVITIES, ACTIVITIES)


def _import_job(session: Session, world: World, run_id: int, path: Path) -> Job:
    job = jobs.enqueue(
        session,
        actor=world.actors["facilitator"],
        kind=kinds.IATI_IMPORT,
        params=_job_params(run_id, path),
        language="en",
    )
    session.flush()
    return job


def test_a_job_whose_run_a_live_runner_holds_waits_uncounted_then_ends_with_the_run_s_report(
    session: Session, session_factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    policy = RunPolicy(files_dir=tmp_path, retry_seconds=10.0, stalled_seconds=30.0)
    path = _file(tmp_path, "XX-SYN-HELD")
    holder = _start(session_factory, world, path)  # a command importing the same file, alive in this process
    job = _import_job(session, world, holder.run_id, path)
    outcome = jobs.execute(session_factory, job.id, policy=policy)
    session.expire_all()
    assert outcome.status == QUEUED and outcome.retry_at is not None
    waiting = session.get(Job, job.id)
    assert waiting is not None and (waiting.status, waiting.attempts) == (QUEUED, 0)
    assert "waits for that import to end" in (waiting.error or "")
    assert _run(session_factory, holder.run_id).read_count == 0
    report = service.finish_import(holder)
    assert jobs.execute(session_factory, job.id, policy=policy).status == DONE
    session.expire_all()
    done = session.get(Job, job.id)
    assert done is not None and done.result == {
        "run_id": holder.run_id,
        "new": ACTIVITIES,
        "updated": 0,
        "refused": 0,
    }
    assert _run(session_factory, holder.run_id).read_count == report.read == ACTIVITIES  # imported once


def test_a_job_whose_run_s_runner_was_killed_takes_the_run_up_and_finishes_it(
    session: Session, session_factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    from tests.interop.iati.test_runs import _dead_pid

    policy = RunPolicy(files_dir=tmp_path, retry_seconds=10.0, stalled_seconds=30.0)
    path = _file(tmp_path, "XX-SYN-KILLED")
    killed = _start(session_factory, world, path)
    with unit_of_work(session_factory, write=True) as unit:
        run = unit.get(IatiImportRun, killed.run_id)
        assert run is not None
        # Its process (of this machine) was killed a moment ago: heard of just now, but gone.
        run.runner = f"{service.this_runner().partition(':')[0]}:{_dead_pid()}:1:token"
    job = _import_job(session, world, killed.run_id, path)
    assert jobs.execute(session_factory, job.id, policy=policy).status == DONE
    run = _run(session_factory, killed.run_id)
    assert (run.status, run.read_count, run.new_count) == ("finished", ACTIVITIES, ACTIVITIES)
