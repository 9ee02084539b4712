"""Import runs that stop without a word: a run whose process died (killed, or PUX restarted) or that has not
moved on for minutes is shown as stopped, not as running for ever, and the same file again goes on with it;
a run that is alive is never started a second time beside itself."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from pux.accounts.permissions import Actor
from pux.assistance.models import IatiImportRun
from pux.db import unit_of_work
from pux.interop.iati import service, synthetic
from tests.interop.iati.conftest import BASE_URL
from tests.interop.iati.test_export import _upload
from tests.web_helpers import sign_in
from tests.world import World


def _start(factory: sessionmaker[Session], actor: Actor, path: Path) -> service.StartedImport:
    return service.start_import(session_factory=factory, actor=actor, path=path, base_url=BASE_URL)


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def _set(factory: sessionmaker[Session], run_id: int, **values: object) -> None:
    with unit_of_work(factory, write=True) as session:
        run = session.get(IatiImportRun, run_id)
        assert run is not None
        for name, value in values.items():
            setattr(run, name, value)


def _runs(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(IatiImportRun)) or 0


def test_a_run_whose_process_is_gone_shows_as_stopped_and_the_same_file_goes_on_with_it(
    client: TestClient, session_factory: sessionmaker[Session], tmp_path: Path, world: World
) -> None:
    path = synthetic.write_file(tmp_path / "big.xml", list(synthetic.activities(6)))
    started = _start(session_factory, world.actors["facilitator"], path)
    # As if its process had been killed after the first two activities.
    host = service.this_runner().rpartition(":")[0]
    _set(session_factory, started.run_id, runner=f"{host}:{_dead_pid()}", done_count=2)
    sign_in(client, world.emails["facilitator"])
    page = client.get(f"/activities/import/iati/runs/{started.run_id}")
    assert page.status_code == 200
    assert "The import stopped before the end" in page.text and "process running it is gone" in page.text
    # Its job is taken up again by itself: uploading the file again ran the import twice at once.
    assert "taken up again by the next runner" in page.text and 'href="/jobs"' in page.text
    assert 'http-equiv="refresh"' not in page.text and "<progress" not in page.text
    listing = client.get("/activities/import/iati")
    assert "stopped; run it again to continue" in listing.text
    again = _start(session_factory, world.actors["facilitator"], path)
    assert (again.run_id, again.done) == (started.run_id, 2)  # the same run, from where it stopped
    report = service.finish_import(again)
    assert (report.status, report.done, report.read) == ("finished", 6, 4)


def _stalled(factory: sessionmaker[Session], run_id: int) -> bool:
    with unit_of_work(factory) as session:
        run = session.get(IatiImportRun, run_id)
        assert run is not None
        return service.has_stalled(run)


def test_a_run_that_has_not_moved_on_for_minutes_shows_as_stopped(
    client: TestClient, session_factory: sessionmaker[Session], tmp_path: Path, world: World
) -> None:
    path = synthetic.write_file(tmp_path / "slow.xml", [synthetic.activity(2)])
    started = _start(session_factory, world.actors["facilitator"], path)
    assert not _stalled(session_factory, started.run_id)
    # Run by a process on another machine (its liveness cannot be asked), last heard of long ago.
    late = datetime.now(UTC) - service.STALLED_AFTER - timedelta(seconds=5)
    _set(session_factory, started.run_id, runner="elsewhere:1", heartbeat_at=late)
    assert _stalled(session_factory, started.run_id)
    sign_in(client, world.emails["facilitator"])
    page = client.get(f"/activities/import/iati/runs/{started.run_id}")
    assert "The import stopped before the end" in page.text and 'http-equiv="refresh"' not in page.text
    # Heard of a minute ago: it is running.
    _set(session_factory, started.run_id, heartbeat_at=datetime.now(UTC) - timedelta(minutes=1))
    assert not _stalled(session_factory, started.run_id)
    page = client.get(f"/activities/import/iati/runs/{started.run_id}")
    assert "<progress" in page.text and 'http-equiv="refresh"' in page.text


def test_the_same_file_uploaded_while_it_is_being_imported_links_to_that_run(
    client: TestClient, session: Session, session_factory: sessionmaker[Session], tmp_path: Path, world: World
) -> None:
    path = synthetic.write_file(tmp_path / "twice.xml", list(synthetic.activities(3)))
    started = _start(session_factory, world.actors["facilitator"], path)  # alive: this process runs it
    runs_before = _runs(session)
    sign_in(client, world.emails["facilitator"])
    answer = _upload(client, path)
    assert answer.status_code == 409
    assert "This file is being imported already" in answer.text
    assert f'href="/activities/import/iati/runs/{started.run_id}"' in answer.text
    assert _runs(session) == runs_before  # no second run beside it
    service.finish_import(started)


def test_a_failed_run_is_continued_by_the_same_file(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path, world: World
) -> None:
    path = synthetic.write_file(tmp_path / "failed.xml", list(synthetic.activities(4)))
    started = _start(session_factory, world.actors["facilitator"], path)
    _set(session_factory, started.run_id, status="failed", done_count=1)
    again = _start(session_factory, world.actors["facilitator"], path)
    assert (again.run_id, again.done) == (started.run_id, 1)
    assert service.finish_import(again).status == "finished"
