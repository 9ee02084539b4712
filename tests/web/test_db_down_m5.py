"""With the database down, a page said "The site is very busy and nothing was saved. Please try again in a
moment." (a GET of /countries with PostgreSQL stopped): people retried at once and the operator looked for
load. An unreachable database now has its own answer (503, "The database cannot be reached just now ..."),
and a database that is reached but busy (a lock not obtained in time, no free connection) keeps the busy
one."""

from __future__ import annotations

import secrets
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import cast

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from pux.config import Settings
from pux.web.app import create_app
from tests.web.conftest import _free_port

UNREACHABLE = "The database cannot be reached just now; nothing was saved. Try again in a few minutes."
BUSY = "The site is very busy and nothing was saved."


@contextmanager
def _served_over(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """The app over ``database_url``, its start-up left out: it would meet the database first (a runner
    looking for jobs left over), and these tests are about what a page's reader meets."""
    settings = Settings(
        database_url=database_url,
        secret_key=secrets.token_urlsafe(48),
        files_dir=tmp_path / "files",
    )
    app = create_app(settings)
    try:
        yield TestClient(app)
    finally:
        app.state.engine.dispose()


def _says_unreachable(client: TestClient) -> None:
    page = client.get("/countries")
    assert page.status_code == 503
    assert UNREACHABLE in page.text and BUSY not in page.text
    assert "<h1>The database cannot be reached</h1>" in page.text
    assert page.headers["Retry-After"] == "60"
    answer = client.get("/api/v1/countries")
    assert answer.status_code == 503
    assert answer.json() == {"detail": UNREACHABLE}


def test_a_postgresql_server_that_is_not_running(tmp_path: Path) -> None:
    # Nothing listens on the port: the server is stopped (connection refused).
    with _served_over(f"postgresql+psycopg://pux@127.0.0.1:{_free_port()}/pux", tmp_path) as client:
        _says_unreachable(client)


def test_a_sqlite_file_that_cannot_be_opened(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    with _served_over(f"sqlite:///{folder / 'pux.sqlite3'}", tmp_path) as client:
        shutil.rmtree(folder)  # its folder was taken away (an unmounted disk)
        _says_unreachable(client)


# Routes that meet the database's own refusals of a busy site, added to the test's app only.
SQLITE_LOCKED = "/sqlite-locked-for-test"
POSTGRESQL_LOCK_TIMEOUT = "/postgresql-lock-timeout-for-test"
NO_FREE_CONNECTION = "/no-free-connection-for-test"


def _sqlite_lock_not_obtained(tmp_path: Path) -> sqlite3.OperationalError:
    """SQLite's own "database is locked", as a writer meets it when another held the lock too long."""
    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    waiter = sqlite3.connect(path, isolation_level=None, timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    try:
        waiter.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as locked:
        return locked
    finally:
        holder.close()
        waiter.close()
    raise AssertionError("the second writer was not refused")


@pytest.fixture
def busy(client: TestClient, tmp_path: Path) -> Iterator[TestClient]:
    locked = _sqlite_lock_not_obtained(tmp_path)

    def sqlite_locked() -> None:
        raise OperationalError("BEGIN IMMEDIATE", None, locked)

    def postgresql_lock_timeout() -> None:
        lock_timeout = psycopg.errors.LockNotAvailable("canceling statement due to lock timeout")
        raise OperationalError("UPDATE need SET version = 2", None, lock_timeout)

    def no_free_connection() -> None:
        raise PoolTimeout("QueuePool limit of size 8 overflow 8 reached, connection timed out")

    app = cast(FastAPI, client.app)
    app.add_api_route(SQLITE_LOCKED, sqlite_locked)
    app.add_api_route(POSTGRESQL_LOCK_TIMEOUT, postgresql_lock_timeout)
    app.add_api_route(NO_FREE_CONNECTION, no_free_connection)
    yield client


@pytest.mark.parametrize("path", [SQLITE_LOCKED, POSTGRESQL_LOCK_TIMEOUT, NO_FREE_CONNECTION])
def test_a_database_reached_but_busy_is_still_called_busy(busy: TestClient, path: str) -> None:
    answer = busy.get(path)
    assert answer.status_code == 503
    assert BUSY in answer.text and UNREACHABLE not in answer.text
    assert answer.headers["Retry-After"] == "5"
