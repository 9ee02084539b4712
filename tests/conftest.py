"""Shared fixtures: one real database per run (SQLite file or PostgreSQL), migrated and loaded once.

PUX_TEST_DATABASE_URL selects PostgreSQL; without it a fresh SQLite file is used. Each test gets a
session inside a transaction that is rolled back, so tests never see each other's writes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from pux import migrate
from pux.config import Settings, get_settings
from pux.db import make_engine, make_session_factory, unit_of_work
from pux.reference import service as reference
from pux.web.app import create_app
from pux.web.deps import get_session
from pux.web.errors import RERAISE_DEFECTS
from tests.world import World, build_world

FAIL_ON_SKIP = os.environ.get("PUX_FAIL_ON_SKIP") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """In CI nothing may be skipped silently: a skip becomes a failure."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if FAIL_ON_SKIP and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI (PUX_FAIL_ON_SKIP=1): {report.longrepr}"


def _reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("PUX_TEST_DATABASE_URL")
    if url:
        _reset_postgres(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'pux-test.sqlite3'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    with unit_of_work(make_session_factory(engine)) as session:
        reference.load_reference_data(session, actor="test-setup")
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def world(database_url: str) -> World:
    """Organisations, people with every role, API tokens and a few records, committed once per run."""
    engine = make_engine(database_url)
    with unit_of_work(make_session_factory(engine)) as session:
        built = build_world(session)
    engine.dispose()
    return built


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back at the end of the test (commits become savepoints)."""
    with engine.connect() as connection:
        transaction = connection.begin()
        db_session = Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        try:
            yield db_session
        finally:
            db_session.close()
            transaction.rollback()


@pytest.fixture
def session_factory(session: Session) -> sessionmaker[Session]:
    """Units of work of the code under test (imports, jobs) become savepoints of the test's transaction."""
    return sessionmaker(
        bind=session.get_bind(), join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    # Jobs queued by a test's requests stay in its rolled-back transaction; tests run them with
    # tests.web_helpers.run_queued_jobs (the app's own runner thread cannot see them). The procrastinate
    # queue and `pux worker` are tested against a served app (tests/jobs/test_served_jobs.py).
    return Settings(database_url=database_url, files_dir=tmp_path / "files", job_runner="in-process")


@pytest.fixture
def client(settings: Settings, session: Session) -> Iterator[TestClient]:
    """The real app, its requests running in the test's rolled-back session."""
    app = create_app(settings)

    def test_session() -> Iterator[Session]:
        yield session
        session.flush()

    app.dependency_overrides[get_session] = test_session
    setattr(app.state, RERAISE_DEFECTS, True)  # a 500 in a test fails it (after the page is answered)
    # Work the app does in units of its own (sign-in steps, token use) joins the test's transaction too.
    app.state.session_factory = sessionmaker(
        bind=session.get_bind(), join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    with TestClient(app) as test_client:
        yield test_client
    app.state.engine.dispose()


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point the CLI (which reads settings from the environment) at the test database."""
    monkeypatch.setenv("PUX_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    path = Path(__file__).resolve().parents[1] / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


@contextmanager
def empty_database(tmp_path: Path, name: str) -> Iterator[str]:
    """The URL of a brand-new empty database of the kind this run tests: a fresh PostgreSQL database
    ``name`` on the run's server (dropped afterwards), or a new SQLite file."""
    server_url = os.environ.get("PUX_TEST_DATABASE_URL")
    if not server_url:
        yield f"sqlite:///{tmp_path / (name + '.sqlite3')}"
        return
    admin = make_engine(server_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
