"""A row put into the audit trail by hand is not the app's: `pux audit verify` used to answer "1 not
chained yet / The audit chain is intact" (exit code 0), and the app's next write sealed the forged row
into the chain as if it were genuine. A commit now chains only the events its own transaction wrote, and
the check names any event outside the chain as a failure."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine, delete, insert, select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from pux.accounts.permissions import Actor
from pux.audit import chain
from pux.audit import repository as audit_repository
from pux.audit import service as audit
from pux.audit.models import AuditEvent
from pux.cli import app
from pux.db import make_session_factory
from tests.world import World

ADMIN = Actor.system("test-forged-rows")
FORGED_ACTOR = "user:1:admin@demo.pux.invalid"


def _forge(connection: Connection) -> int:
    """What the auditor typed into the database: a need's deletion nobody made."""
    connection.execute(
        text(
            "INSERT INTO audit_event (occurred_at, actor, action, entity_type, entity_id, after)"
            " VALUES (CURRENT_TIMESTAMP, :actor, 'need.delete', 'need', '5', '{}')"
        ),
        {"actor": FORGED_ACTOR},
    )
    forged = connection.execute(
        select(AuditEvent.id).where(AuditEvent.actor == FORGED_ACTOR).order_by(AuditEvent.id.desc())
    ).scalar_one_or_none()
    assert forged is not None
    return forged


def _app_write(session: Session, label: str) -> AuditEvent:
    event = audit.record(
        session, actor=f"test:{label}", action="test.write", entity_type="test_record", entity_id=label
    )
    session.commit()
    return event


def _seq(session: Session, event_id: int) -> int | None:
    return session.scalar(select(AuditEvent.chain_seq).where(AuditEvent.id == event_id))


def test_a_forged_row_fails_the_check_and_is_named(session: Session, world: World) -> None:
    forged = _forge(session.connection())
    report = audit.verify(session, actor=ADMIN)
    assert not report.intact
    assert report.reason == chain.UNSEALED and report.event_id == forged
    assert report.unsealed == 1 and report.unsealed_ids == (forged,)
    assert str(forged) in audit.outside_chain_note(report)


def test_the_apps_next_write_does_not_seal_a_forged_row(session: Session, world: World) -> None:
    forged = _forge(session.connection())
    genuine = _app_write(session, "after-forgery")
    assert _seq(session, genuine.id) is not None  # the app's own event is chained
    assert _seq(session, forged) is None  # the forged one is left outside
    report = audit.verify(session, actor=ADMIN)
    assert report.reason == chain.UNSEALED and report.event_id == forged


def test_events_written_around_the_orm_are_chained_when_their_writer_claims_them(
    session: Session, world: World
) -> None:
    written = session.execute(
        insert(AuditEvent).returning(AuditEvent.id),
        [
            {"actor": "test:bulk", "action": "test.write", "entity_type": "test_record", "entity_id": str(n)}
            for n in range(3)
        ],
    ).scalars()
    claimed = list(written)
    audit.claim_written(session, claimed)
    session.commit()
    assert all(_seq(session, event_id) is not None for event_id in claimed)
    assert audit.verify(session, actor=ADMIN).intact


def test_a_rolled_back_transactions_events_are_not_claimed_by_the_next(
    session: Session, world: World
) -> None:
    audit.record(session, actor="test:undone", action="test.write", entity_type="test_record", entity_id="u")
    session.flush()
    session.rollback()
    assert audit.OWN_EVENTS not in session.info
    _app_write(session, "after-rollback")
    assert audit.verify(session, actor=ADMIN).intact


def test_a_head_this_session_read_before_another_commit_is_read_again(engine: Engine, world: World) -> None:
    # Sessions keep what they loaded past a commit: the head a session read earlier must not be taken as
    # the chain's end once another transaction has chained events after it.
    factory = make_session_factory(engine)
    with factory() as first, factory() as second:
        kept = audit_repository.head(first)
        first.commit()
        before = _seq(second, _app_write(second, "second-writer").id)
        event = _app_write(first, "first-writer")
        assert kept is not None and before is not None
        assert _seq(first, event.id) == before + 1
        assert audit.verify(first, actor=ADMIN).intact


@pytest.fixture
def forged_and_committed(engine: Engine, world: World) -> Iterator[int]:
    with engine.begin() as connection:
        forged = _forge(connection)
    try:
        yield forged
    finally:
        with engine.begin() as connection:
            connection.execute(delete(AuditEvent).where(AuditEvent.id == forged))


def test_the_command_fails_on_a_forged_row(cli_env: None, forged_and_committed: int) -> None:
    result = CliRunner().invoke(app, ["audit", "verify"], env={"COLUMNS": "200"})
    assert result.exit_code == 1, result.output
    assert "intact" not in result.output
    assert f"event {forged_and_committed}" in result.output
    # The operator is told what the row is, not that it will be chained later.
    assert "1 event is outside the audit chain (not written by the application)" in result.output
    assert "not chained yet" not in result.output
