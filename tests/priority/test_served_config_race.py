"""Facilitators saving the priority configuration at the same moment through `pux serve` (its own process,
its worker threads and pool): from one revision, exactly one save stands and every other is told 409. Two
first saves made at once on PostgreSQL were both answered 200, the later silently replacing the earlier."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2
import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine

from pux.audit.models import AuditEvent
from pux.db import make_session_factory, unit_of_work
from pux.priority import repository
from pux.priority.models import PriorityConfigVersion
from tests.committed import audit_events_taken_back
from tests.web.conftest import Served, serve_pux
from tests.web_helpers import bearer
from tests.world import World

CONFIG = "/api/v1/priority/config"
RACERS = 8
REQUEST_TIMEOUT = httpx2.Timeout(120.0)


@pytest.fixture
def server(engine: Engine, database_url: str, world: World, tmp_path: Path) -> Iterator[Served]:
    """`pux serve` over the test database; the configurations saved through it go at the end, with their
    audit records (the chain set back)."""
    factory = make_session_factory(engine)
    with unit_of_work(factory) as session:
        newest_before = repository.latest_config_id(session)
    try:
        with audit_events_taken_back(database_url), serve_pux(database_url, tmp_path) as served:
            yield served
    finally:
        with unit_of_work(factory, write=True) as session:
            session.execute(delete(PriorityConfigVersion).where(PriorityConfigVersion.id > newest_before))


def _saves(engine: Engine) -> int:
    with unit_of_work(make_session_factory(engine)) as session:
        statement = select(func.count()).where(AuditEvent.action == "priority.configure")
        return session.scalar(statement) or 0


def test_simultaneous_saves_from_one_revision_leave_one_200_and_the_rest_409(
    server: Served, engine: Engine, world: World
) -> None:
    saves = _saves(engine)
    headers = bearer(world.tokens["facilitator"])
    read = httpx2.get(f"{server.base_url}{CONFIG}", headers=headers, timeout=REQUEST_TIMEOUT).json()
    released = threading.Barrier(RACERS, timeout=60)

    def save(index: int) -> httpx2.Response:
        body = {**read, "component_weights": {**read["component_weights"], "burden": 0.1 * (index + 1)}}
        with httpx2.Client(base_url=server.base_url, headers=headers, timeout=REQUEST_TIMEOUT) as client:
            client.get("/healthz")  # connected before the others are released
            released.wait()
            return client.put(CONFIG, json=body)

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        answers = list(pool.map(save, range(RACERS)))

    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [200] + [409] * (RACERS - 1), (statuses, server.log_tail())
    winner = next(answer for answer in answers if answer.status_code == 200).json()
    for refused in (answer for answer in answers if answer.status_code == 409):
        assert f"revision {winner['revision']}" in refused.json()["detail"]
    in_force = httpx2.get(f"{server.base_url}{CONFIG}", headers=headers, timeout=REQUEST_TIMEOUT).json()
    assert in_force == winner
    assert _saves(engine) == saves + 1  # only the save that stands is audited
