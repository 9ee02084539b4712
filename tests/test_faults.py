"""A process killed (SIGKILL) in the middle of a write: an allocation round and a multi-record edit (a
country's ranking of its needs) are written by the real services in a process of their own, which is
killed after its records have gone to the database and before its commit. Afterwards nothing of them is
there, the audit chain's verdict is what it was (whole on a fresh database), and the next write goes
through (no lock left behind). Runs on the test
database (SQLite or PostgreSQL); an IATI import killed half way is in tests/interop/iati/test_cli.py."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from pux.audit import service as audit
from pux.audit.chain import ChainReport
from pux.audit.models import AuditEvent
from pux.db import make_session_factory, unit_of_work
from pux.matching.models import AllocationRound, MatchProposal
from pux.needs import repository as needs_repository
from pux.needs import service as needs
from pux.needs.workflow import RANKABLE_STATUSES
from pux.programmes.models import Programme
from tests.world import World

# The write, then a pause before the commit in which the test kills the process.
WRITER = """
import json, sys, time
from decimal import Decimal
from pux.accounts import repository, service as accounts
from pux.accounts.permissions import Actor
from pux.config import get_settings
from pux.db import make_engine, make_session_factory, unit_of_work
from pux.matching import service as matching
from pux.matching.allocation import RoundRules
from pux.needs import service as needs

engine = make_engine(get_settings().database_url)
with unit_of_work(make_session_factory(engine), write=True) as session:
    if sys.argv[1] == "rank":
        focal = accounts.actor_for(repository.get_user_by_email(session, sys.argv[2]))
        order = [int(need_id) for need_id in sys.argv[3].split(",")]
        needs.rank_needs(session, actor=focal, country_iso3="KEN", ordered_need_ids=order)
    else:
        from tests.world import World, published_grant_programme

        given = json.loads(sys.argv[3])
        partner = accounts.actor_for(repository.get_user_by_email(session, given["partner"]))
        actor = Actor.system("tests/test_faults.py")
        actors = {"admin": actor, "partner_a": partner}
        world = World(organisations=given["organisations"], needs=given["needs"], actors=actors)
        # A programme the round can fund, in the same transaction (so it goes with the kill too).
        budget = Decimal("3000000")
        keys = tuple(given["needs"])
        published_grant_programme(session, world, title=sys.argv[2], budget=budget, need_keys=keys)
        record = matching.run_round(session, actor=actor, title=sys.argv[2], rules=RoundRules())
        assert record.summary["awards"] > 0, "the round proposes nothing: nothing to kill half-way"
    session.flush()
    print("written", flush=True)
    time.sleep(300)
"""


@contextmanager
def killed_after_writing(database_url: str, *arguments: str) -> Iterator[None]:
    """Runs WRITER with ``arguments``, waits until its records are in the database (uncommitted), kills it."""
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, *arguments],
        env={**os.environ, "PUX_DATABASE_URL": database_url},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.strip() == "written", process.stderr.read() if process.stderr else ""
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=60) == -signal.SIGKILL
        yield
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def _audit_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def _chain(session: Session, world: World) -> ChainReport:
    """The audit chain's verdict. Whole on a fresh database; in a full run, tests that remove the records
    they committed (and their events) have cut it before, so the tests compare it before and after."""
    report = audit.verify(session, actor=world.actors["admin"])
    assert report.unsealed == 0, report
    return report


def test_a_ranking_killed_before_its_commit_leaves_every_rank_as_it_was(
    engine: Engine, world: World, database_url: str
) -> None:
    with Session(engine) as session:
        rankable = needs_repository.for_country(session, "KEN", RANKABLE_STATUSES)
        ranks = {need.id: need.national_rank for need in rankable}
        events = _audit_count(session)
        chain = _chain(session, world)
    assert len(ranks) >= 2
    reversed_order = ",".join(str(need_id) for need_id in reversed(list(ranks)))
    with killed_after_writing(database_url, "rank", world.emails["focal_ken"], reversed_order):
        with Session(engine) as session:
            after = {
                need.id: need.national_rank
                for need in needs_repository.for_country(session, "KEN", RANKABLE_STATUSES)
            }
            assert after == ranks
            assert _audit_count(session) == events
            assert _chain(session, world) == chain
        # The killed writer left no lock: the same edit goes through now (and is undone again).
        with unit_of_work(make_session_factory(engine), write=True) as session:
            needs.rank_needs(
                session,
                actor=world.actors["focal_ken"],
                country_iso3="KEN",
                ordered_need_ids=[int(need_id) for need_id in reversed_order.split(",")],
            )
            assert {
                need.id: need.national_rank
                for need in needs_repository.for_country(session, "KEN", RANKABLE_STATUSES)
            } != ranks
            session.rollback()


def test_an_allocation_round_killed_before_its_commit_leaves_no_round_and_no_proposal(
    engine: Engine, world: World, database_url: str
) -> None:
    with Session(engine) as session:
        rounds = session.scalar(select(func.count()).select_from(AllocationRound))
        proposals = session.scalar(select(func.count()).select_from(MatchProposal))
        programme_count = session.scalar(select(func.count()).select_from(Programme))
        events = _audit_count(session)
        chain = _chain(session, world)
    given = {
        "partner": world.emails["partner_a"],
        "organisations": {"donor_a": world.organisations["donor_a"]},
        "needs": {"published_ken": world.needs["published_ken"]},
    }
    with killed_after_writing(
        database_url, "round", "Round killed by tests/test_faults.py", json.dumps(given)
    ):
        with Session(engine) as session:
            assert session.scalar(select(func.count()).select_from(AllocationRound)) == rounds
            assert session.scalar(select(func.count()).select_from(MatchProposal)) == proposals
            assert session.scalar(select(func.count()).select_from(Programme)) == programme_count
            assert _audit_count(session) == events
            assert _chain(session, world) == chain
