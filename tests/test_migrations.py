"""Migrations build the schema from empty on this run's database engine, and match the models."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text

from pux import migrate
from pux.db import Base, make_engine
from pux.models import load_all_models
from tests.conftest import empty_database


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """A brand-new empty database of the kind this run tests."""
    with empty_database(tmp_path, "pux_migration_check") as url:
        yield url


def _ours(item: object, name: str | None, kind: str, reflected: bool, compare_to: object) -> bool:
    """PUX's own schema: the job queue's tables on PostgreSQL are procrastinate's (its schema, applied by
    migration 0015, is compared with nothing of ours)."""
    return not (kind == "table" and (name or "").startswith("procrastinate_"))


def test_upgrade_from_empty_matches_the_models_and_downgrades_cleanly(empty_database_url: str) -> None:
    migrate.upgrade(empty_database_url)
    load_all_models()
    engine = make_engine(empty_database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": _ours})
        differences = compare_metadata(context, Base.metadata)
        assert differences == [], differences
        assert context.get_current_revision() in migrate.current_heads()
    tables = set(inspect(engine).get_table_names())
    assert {"country", "region", "sdg_target", "indicator_observation", "audit_event"} <= tables
    migrate.downgrade(empty_database_url, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}  # the queue's tables too
    migrate.upgrade(empty_database_url)
    assert "country" in set(inspect(engine).get_table_names())
    engine.dispose()


def test_events_written_before_the_chain_are_chained_by_its_migration(empty_database_url: str) -> None:
    from pux.accounts.permissions import Actor
    from pux.audit import service as audit
    from pux.audit.models import AuditEvent
    from pux.db import make_session_factory

    migrate.upgrade(empty_database_url, "0010")
    engine = make_engine(empty_database_url)
    with engine.begin() as connection:
        for number in range(3):
            connection.execute(
                text(
                    "INSERT INTO audit_event (occurred_at, actor, action, entity_type, entity_id, after)"
                    " VALUES (:at, 'old-writer', 'test.write', 'test_record', :key, :after)"
                ),
                {
                    "at": f"2026-11-0{number + 1} 10:00:00",
                    "key": str(number),
                    "after": json.dumps({"n": number}),
                },
            )
    migrate.upgrade(empty_database_url)
    with make_session_factory(engine)() as session:
        report = audit.verify(session, actor=Actor.system("test"))
        seqs = session.scalars(select(AuditEvent.chain_seq).order_by(AuditEvent.id)).all()
    assert report.intact and report.checked == 3 and seqs == [1, 2, 3]
    engine.dispose()
