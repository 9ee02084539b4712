"""Fixtures of the jobs pages' notices about runners (no worker seen, a stopped runner)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text, update
from sqlalchemy.orm import Session

from pux.jobs.models import DONE, Job
from tests.web_helpers import sign_in
from tests.world import World

ON_POSTGRESQL = "postgresql"


@pytest.fixture
def watching(client: TestClient, session: Session, world: World) -> TestClient:
    """A facilitator on the jobs pages, with no trace of any runner in the database (other tests' jobs,
    and on PostgreSQL the queue's workers, are set aside in this test's transaction)."""
    session.execute(update(Job).values(status=DONE, heartbeat_at=None, finished_at=None))
    if dialect(session) == ON_POSTGRESQL:
        session.execute(text("DELETE FROM procrastinate_workers"))
    sign_in(client, world.emails["facilitator"])
    return client


def dialect(session: Session) -> str:
    return session.get_bind().dialect.name


@pytest.fixture
def apps_runner(watching: TestClient) -> Iterator[None]:
    """The app's own runner thread alive, as `pux serve` starts it (a test client's app starts none)."""
    state = cast(FastAPI, watching.app).state
    state.start_jobs()
    try:
        yield
    finally:
        state.stop_jobs()


def stop_the_apps_runner(client: TestClient) -> None:
    """As with `pux worker` processes (PostgreSQL): the app process itself runs no job."""
    cast(FastAPI, client.app).state.stop_jobs()
