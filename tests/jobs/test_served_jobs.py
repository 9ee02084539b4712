"""Jobs as `pux serve` and `pux worker` run them, on this run's database.

On SQLite the served app's own runner thread runs them; on PostgreSQL the app hands them to procrastinate's
queue and `pux worker` processes run them (PUX_JOB_RUNNER=workers, as the README's scaled-out form). A
facilitator asks for a round on the page and follows its job to the round; an IATI import's runner is
killed (SIGKILL) half way, another takes the job up, and the result equals one clean run, with the audit
chain's verdict unchanged."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx2
import pytest
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from pux.accounts.permissions import Actor
from pux.assistance.models import IatiImportRun, IatiSource
from pux.audit import service as audit
from pux.db import make_session_factory, unit_of_work
from pux.interop.iati import synthetic
from pux.jobs.models import Job
from pux.matching.models import AllocationRound, MatchProposal
from tests.interop.iati.conftest import run_counts, snapshot
from tests.interop.iati.test_cli import _clean_run, _remove
from tests.web.conftest import Served, serve_pux
from tests.world import PASSWORD, World

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
STATE = re.compile(r'<h2 id="state-heading">([^<]+)</h2>')
# A runner that stops saying it is alive is taken up again after this long (the default is 30 s).
STALLED_SECONDS = "3"


@dataclass
class Runners:
    """The served app and whoever runs its jobs: the app itself (SQLite) or `pux worker` (PostgreSQL)."""

    database_url: str
    workdir: Path
    stack: ExitStack
    served: Served | None = None
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def in_app(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def settings(self) -> dict[str, str]:
        runner = "in-process" if self.in_app else "workers"
        return {
            "job_runner": runner,
            "job_stalled_seconds": STALLED_SECONDS,
            "files_dir": str(self.workdir / "files"),
        }

    def serve(self) -> Served:
        self.served = self.stack.enter_context(serve_pux(self.database_url, self.workdir, **self.settings))
        return self.served

    def start_worker(self) -> None:
        if self.in_app:
            return
        environment = {
            **os.environ,
            "PUX_DATABASE_URL": self.database_url,
            **{f"PUX_{name.upper()}": value for name, value in self.settings.items()},
        }
        pux = Path(sys.executable).parent / "pux"
        with (self.workdir / f"worker-{len(self.workers)}.log").open("wb") as log:
            worker = subprocess.Popen(
                [str(pux), "worker"], env=environment, cwd=self.workdir, stdout=log, stderr=log
            )
        self.workers.append(worker)

    def kill_runner(self) -> None:
        """SIGKILL whoever runs the jobs (the app, or the worker); no goodbye, no cleanup."""
        if self.in_app:
            assert self.served is not None
            os.kill(self.served.pid, signal.SIGKILL)
        else:
            self.workers[-1].send_signal(signal.SIGKILL)
            self.workers[-1].wait(timeout=30)

    def logs(self) -> str:
        return "\n".join(
            path.read_text(errors="replace")[-3000:] for path in sorted(self.workdir.glob("*.log"))
        )

    def stop(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=60)


@pytest.fixture
def runners(database_url: str, world: World, tmp_path: Path) -> Iterator[Runners]:
    with ExitStack() as stack:
        started = Runners(database_url, tmp_path, stack)
        try:
            yield started
        finally:
            started.stop()


@contextmanager
def _signed_in(base_url: str, email: str) -> Iterator[httpx2.Client]:
    with httpx2.Client(base_url=base_url, timeout=60) as client:
        token = CSRF.search(client.get("/sign-in").text).group(1)  # type: ignore[union-attr]
        answer = client.post("/sign-in", data={"csrf_token": token, "email": email, "password": PASSWORD})
        assert answer.status_code == 303, answer.text[:300]
        yield client


def _token(client: httpx2.Client, path: str) -> str:
    return CSRF.search(client.get(path).text).group(1)  # type: ignore[union-attr]


def _until_ended(client: httpx2.Client, job_page: str, runners: Runners, seconds: float = 180) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = client.get(job_page).text
        state = STATE.search(page)
        if state and state.group(1) in ("Done", "Failed"):
            return page
        time.sleep(0.25)
    raise AssertionError(f"{job_page} did not end:\n{runners.logs()}")


@contextmanager
def _forgetting_rounds(engine: Engine, title: str) -> Iterator[None]:
    try:
        yield
    finally:
        with unit_of_work(make_session_factory(engine)) as session:
            ids = list(session.scalars(select(AllocationRound.id).where(AllocationRound.title == title)))
            session.execute(delete(MatchProposal).where(MatchProposal.round_id.in_(ids)))
            session.execute(delete(AllocationRound).where(AllocationRound.id.in_(ids)))
            session.execute(delete(Job))


def test_a_round_asked_for_on_the_page_runs_as_a_job_and_leads_to_the_round(
    runners: Runners, world: World, engine: Engine
) -> None:
    served = runners.serve()
    runners.start_worker()
    title = "Round run by the queue"
    with (
        _forgetting_rounds(engine, title),
        _signed_in(served.base_url, world.emails["facilitator"]) as client,
    ):
        token = _token(client, "/matching")
        asked = client.post(
            "/matching/rounds", data={"csrf_token": token, "title": title, "country_cap_percent": "40"}
        )
        assert asked.status_code == 303 and asked.headers["location"].startswith("/jobs/")
        page = _until_ended(client, asked.headers["location"], runners)
        assert "Done" in page, page
        round_link = re.search(r'href="(/matching/rounds/\d+)"', page)
        assert round_link, page
        round_page = client.get(round_link.group(1))
        assert round_page.status_code == 200 and title in round_page.text
        listing = client.get("/jobs").text
        assert asked.headers["location"] in listing and "Allocation round" in listing


def _run_of(engine: Engine, file_name: str) -> IatiImportRun | None:
    with Session(engine) as session:
        return session.scalars(
            select(IatiImportRun).join(IatiSource).where(IatiSource.file_name == file_name)
        ).first()


def _chain_verdict(engine: Engine) -> bool:
    with Session(engine) as session:
        return audit.verify(session, actor=Actor.system("tests")).intact


def test_an_import_job_whose_runner_is_killed_is_taken_up_again_and_equals_one_clean_run(
    runners: Runners, world: World, engine: Engine, tmp_path: Path
) -> None:
    reporting_ref = "XX-SYN-JOB"
    activities = 3000
    path = synthetic.write_file(
        tmp_path / "queued-import.xml", list(synthetic.activities(activities, reporting_ref=reporting_ref))
    )
    expected, expected_counts = _clean_run(engine, world, path)
    chain_before = _chain_verdict(engine)
    served = runners.serve()
    runners.start_worker()
    try:
        with _signed_in(served.base_url, world.emails["facilitator"]) as client:
            token = _token(client, "/activities/import/iati")
            with path.open("rb") as handle:
                uploaded = client.post(
                    "/activities/import/iati",
                    data={"csrf_token": token},
                    files={"file": (path.name, handle, "application/xml")},
                )
            assert uploaded.status_code == 303, uploaded.text[:500]
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            run = _run_of(engine, path.name)
            if run is not None and run.done_count > 0:
                break
            time.sleep(0.02)
        run = _run_of(engine, path.name)
        assert run is not None and 0 < run.done_count < activities, "no batch written, or all of them"
        runners.kill_runner()
        killed_at = _run_of(engine, path.name).done_count  # type: ignore[union-attr]
        assert killed_at < activities
        if runners.in_app:
            served = runners.serve()  # the app again: its runner finds the job of the killed one
        else:
            runners.start_worker()  # another worker takes up the job of the killed one
        with _signed_in(served.base_url, world.emails["facilitator"]) as client:
            jobs = client.get("/jobs").text
            job_page = re.search(r'href="(/jobs/\d+)"', jobs).group(1)  # type: ignore[union-attr]
            page = _until_ended(client, job_page, runners)
            assert "Done" in page and "Open the import report" in page, page
            assert re.search(r"<dd>2 / 3</dd>", page), page  # the killed attempt counts
        with Session(engine) as session:
            mine = {key: value for key, value in expected.items() if key.startswith(reporting_ref)}
            assert (
                mine and {k: v for k, v in snapshot(session).items() if k.startswith(reporting_ref)} == mine
            )
            run = session.scalars(
                select(IatiImportRun).join(IatiSource).where(IatiSource.file_name == path.name)
            ).one()
            counts = run_counts(run)
        assert counts == expected_counts and run.status == "finished"
        assert _chain_verdict(engine) == chain_before
        assert not list((runners.workdir / "files" / "uploads").iterdir())  # the upload is gone once done
    finally:
        _remove(engine, reporting_ref)
        with unit_of_work(make_session_factory(engine)) as session:
            session.execute(delete(Job))
