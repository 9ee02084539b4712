"""Migrations build the schema from empty on this run's database engine, and match the models."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from pux import migrate
from pux.db import Base, make_engine
from pux.models import load_all_models


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """A brand-new empty database of the kind this run tests (a fresh PostgreSQL database, or SQLite file)."""
    server_url = os.environ.get("PUX_TEST_DATABASE_URL")
    if not server_url:
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    name = "pux_migration_check"
    admin = make_engine(server_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def test_upgrade_from_empty_matches_the_models_and_downgrades_cleanly(empty_database_url: str) -> None:
    migrate.upgrade(empty_database_url)
    load_all_models()
    engine = make_engine(empty_database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
        assert differences == [], differences
        assert context.get_current_revision() in migrate.current_heads()
    tables = set(inspect(engine).get_table_names())
    assert {"country", "region", "sdg_target", "indicator_observation", "audit_event"} <= tables
    migrate.downgrade(empty_database_url, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(empty_database_url)
    assert "country" in set(inspect(engine).get_table_names())
    engine.dispose()
