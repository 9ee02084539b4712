"""Two saves of the priority configuration made from the same revision cannot both pass: before any
configuration was saved there was no row to lock, and on PostgreSQL two first saves made at once were both
accepted, the second silently replacing the first facilitator's work (no 409). Each saved configuration now
records the revision it replaced, which the database keeps unique."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pux import migrate
from pux.audit.models import AuditEvent
from pux.db import make_engine, make_session_factory, unit_of_work
from pux.errors import StaleEdit
from pux.priority import engine as priority_engine
from pux.priority import repository, service
from pux.priority.models import PriorityConfigVersion
from tests.committed import audit_events_taken_back
from tests.conftest import empty_database
from tests.world import World


def _saves(session: Session) -> int:
    statement = select(func.count()).where(AuditEvent.action == "priority.configure")
    return session.scalar(statement) or 0


def _with_burden(burden: float) -> dict[str, Any]:
    data = priority_engine.default_config_data()
    data["component_weights"]["burden"] = burden
    return data


def _lock_that_lets_through(
    monkeypatch: pytest.MonkeyPatch, then: Callable[[], object] = lambda: None
) -> None:
    """The lock's read answers the revision in force before this transaction's view of any rival save,
    then ``then`` runs: a save racing another one from the same revision, past the lock."""
    locked_read = repository.lock_latest_config_id

    def read_then(session: Session) -> int:
        current = locked_read(session)
        then()
        return current

    monkeypatch.setattr(repository, "lock_latest_config_id", read_then)


@pytest.fixture
def saves_taken_back(engine: Engine, database_url: str) -> Iterator[None]:
    """The configurations the racers commit for real, removed afterwards with their audit records (the
    audit chain set back), so that later tests see the shipped default again."""
    factory = make_session_factory(engine)
    with unit_of_work(factory) as session:
        newest_before = repository.latest_config_id(session)
    with audit_events_taken_back(database_url):
        try:
            yield
        finally:
            with unit_of_work(factory, write=True) as session:
                session.execute(delete(PriorityConfigVersion).where(PriorityConfigVersion.id > newest_before))


def test_two_saves_from_one_revision_at_the_same_moment_leave_one_winner_and_one_409(
    engine: Engine, world: World, saves_taken_back: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each racer in its own transaction, as two facilitators' requests. On PostgreSQL both read the
    revision in force (before the first save there is nothing to lock) before either saves; on SQLite the
    write lock a saving request takes at its start queues them, so only the first reads before it saves."""
    factory = make_session_factory(engine)
    with unit_of_work(factory) as session:
        read = service.config_revision(session)
        saves = _saves(session)
    both_have_read = threading.Barrier(2 if engine.dialect.name == "postgresql" else 1)
    _lock_that_lets_through(monkeypatch, lambda: both_have_read.wait(timeout=30))

    def save(burden: float) -> StaleEdit | None:
        try:
            with unit_of_work(factory, write=True) as session:
                service.save_config(
                    session, actor=world.actors["facilitator"], data=_with_burden(burden), revision=read
                )
        except StaleEdit as refused:
            return refused
        return None

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(save, (0.5, 0.4)))

    assert sorted(outcome is None for outcome in outcomes) == [False, True], outcomes
    winner = outcomes.index(None)
    with unit_of_work(factory) as session:
        in_force = service.config_in_force(session)
        assert in_force.data["component_weights"]["burden"] == (0.5, 0.4)[winner]
        assert in_force.revision != read
        assert f"now at revision {in_force.revision}, you read revision {read}" in str(outcomes[1 - winner])
        assert _saves(session) == saves + 1  # only the winning save is audited
        newer = select(func.count()).where(PriorityConfigVersion.id > read)
        assert session.scalar(newer) == 1  # nothing of the refused save was kept


def test_a_save_whose_revision_was_replaced_past_the_lock_is_refused_by_the_database(
    session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the lock missed, the database refuses a second configuration made from one revision:
    the same 409 as any stale save, naming the revision now in force, with nothing saved or audited."""
    facilitator = world.actors["facilitator"]
    read = service.config_revision(session)
    service.save_config(session, actor=facilitator, data=_with_burden(0.5), revision=read)
    theirs = service.config_revision(session)
    saves = _saves(session)
    monkeypatch.setattr(repository, "lock_latest_config_id", lambda _session: read)
    with pytest.raises(StaleEdit, match=f"now at revision {theirs}, you read revision {read}"):
        service.save_config(session, actor=facilitator, data=_with_burden(0.4), revision=read)
    in_force = service.config_in_force(session)
    assert in_force.revision == theirs and in_force.data["component_weights"]["burden"] == 0.5
    assert _saves(session) == saves
    assert session.scalar(select(func.count()).where(PriorityConfigVersion.id > read)) == 1


def test_each_save_records_the_revision_it_replaced_even_when_it_names_none(
    session: Session, world: World
) -> None:
    facilitator = world.actors["facilitator"]
    first_read = service.config_revision(session)
    service.save_config(session, actor=facilitator, data=_with_burden(0.5), revision=first_read)
    named = repository.latest_config(session)
    service.save_config(session, actor=facilitator, data=_with_burden(0.4))
    unnamed = repository.latest_config(session)
    assert named is not None and unnamed is not None
    assert (named.made_from, unnamed.made_from) == (first_read, named.id)


def test_the_migration_gives_configurations_already_saved_their_predecessor(tmp_path: Path) -> None:
    with empty_database(tmp_path, "pux_made_from_check") as url:
        migrate.upgrade(url, "0027")
        engine = make_engine(url)
        insert = text(
            "INSERT INTO priority_config_version (name, data, created_at) VALUES (:name, '{}', :at)"
        )
        with engine.begin() as connection:
            for name in ("first", "second"):
                connection.execute(insert, {"name": name, "at": "2026-12-01 10:00:00"})
        migrate.upgrade(url)
        with engine.begin() as connection:
            rows = connection.execute(
                text("SELECT id, made_from FROM priority_config_version ORDER BY id")
            ).all()
        first, second = rows
        assert (first.made_from, second.made_from) == (0, first.id)
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO priority_config_version (name, data, created_at, made_from)"
                    " VALUES ('again', '{}', '2026-12-02 10:00:00', :made_from)"
                ),
                {"made_from": first.id},
            )
        engine.dispose()
