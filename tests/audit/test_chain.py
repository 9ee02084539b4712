"""The audit trail is a hash chain: each commit chains the events it wrote, one transaction at a time, and
`pux audit verify` names the first event that was altered, removed or cut off, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from pux.accounts.permissions import Actor, PermissionDenied
from pux.audit import chain
from pux.audit import repository as audit_repository
from pux.audit import service as audit
from pux.audit.models import AuditEvent
from pux.cli import app
from pux.db import make_session_factory
from tests.world import World

ADMIN = Actor.system("test-admin")


def _write(session: Session, count: int, label: str) -> list[int]:
    events = [
        audit.record(
            session,
            actor=f"test:{label}",
            action="test.write",
            entity_type="test_record",
            entity_id=f"{label}-{number}",
            before={"amount": "10.50", "note": "before"},
            after={"amount": "12.00", "tags": ["a", "ب", "中"], "when": "2026-12-01"},
        )
        for number in range(count)
    ]
    session.flush()
    return [event.id for event in events]


def _chained(session: Session, ids: list[int]) -> dict[int, int | None]:
    rows = session.execute(select(AuditEvent.id, AuditEvent.chain_seq).where(AuditEvent.id.in_(ids)))
    return {event_id: seq for event_id, seq in rows}


def test_a_commit_chains_the_events_it_wrote_and_the_chain_verifies(session: Session, world: World) -> None:
    ids = _write(session, 5, "commit")
    assert set(_chained(session, ids).values()) == {None}  # not before the commit
    session.commit()
    seqs = [_chained(session, ids)[i] for i in ids]
    assert all(seq is not None for seq in seqs)
    assert seqs == list(range(seqs[0], seqs[0] + 5))  # in the order they were written, no gaps
    report = audit.verify(session, actor=ADMIN)
    assert report.intact and report.unsealed == 0 and report.checked >= 5


def test_events_still_waiting_for_the_commits_flush_are_chained(session: Session, world: World) -> None:
    event = audit.record(session, actor="test:unflushed", action="test.write", entity_type="t", entity_id="1")
    session.commit()  # the event is flushed by the commit itself
    assert event.chain_seq is not None or _chained(session, [event.id])[event.id] is not None


def test_an_event_changed_in_the_database_is_named(session: Session, world: World) -> None:
    ids = _write(session, 3, "changed")
    session.commit()
    target = ids[1]
    session.execute(update(AuditEvent).where(AuditEvent.id == target).values(actor="someone else"))
    report = audit.verify(session, actor=ADMIN)
    assert not report.intact
    assert report.event_id == target and report.reason == chain.CHANGED
    assert report.broken_at == _chained(session, [target])[target]


def test_a_removed_event_is_noticed_at_its_place(session: Session, world: World) -> None:
    ids = _write(session, 3, "removed")
    session.commit()
    place = _chained(session, [ids[1]])[ids[1]]
    session.execute(delete(AuditEvent).where(AuditEvent.id == ids[1]))
    report = audit.verify(session, actor=ADMIN)
    assert report.reason == chain.MISSING and report.broken_at == place and report.event_id == ids[2]


def test_events_cut_off_the_end_are_noticed(session: Session, world: World) -> None:
    ids = _write(session, 2, "cut")
    session.commit()
    session.execute(delete(AuditEvent).where(AuditEvent.id == ids[-1]))
    report = audit.verify(session, actor=ADMIN)
    assert report.reason == chain.TRUNCATED and report.event_id is None


def test_a_forged_link_is_noticed(session: Session, world: World) -> None:
    # Storing the altered event's own new content hash is not enough: its link no longer follows.
    ids = _write(session, 2, "forged")
    session.commit()
    event = session.get(AuditEvent, ids[0])
    assert event is not None
    altered = chain.EventContent(
        event.id, event.occurred_at, event.actor, event.action, event.entity_type, "forged",
        event.before, event.after,
    )  # fmt: skip
    session.execute(
        update(AuditEvent)
        .where(AuditEvent.id == ids[0])
        .values(entity_id="forged", content_hash=chain.content_hash(altered))
    )
    report = audit.verify(session, actor=ADMIN)
    assert report.event_id == ids[0] and report.reason == chain.UNLINKED


def test_only_administrators_verify(session: Session, world: World) -> None:
    with pytest.raises(PermissionDenied):
        audit.verify(session, actor=world.actors["facilitator"])


def test_writers_at_the_same_time_make_one_unbroken_chain(engine: Engine, world: World) -> None:
    # Real commits from several threads, each its own session and connection: the head is locked
    # while a commit chains its events, so no two events get the same place and none is skipped.
    factory = make_session_factory(engine)
    errors: list[BaseException] = []

    def writer(label: str) -> None:
        try:
            for _round in range(5):
                with factory() as session:
                    _write(session, 3, label)
                    session.commit()
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(f"thread{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with factory() as session:
        report = audit.verify(session, actor=ADMIN)
        written = session.scalars(
            select(AuditEvent.chain_seq).where(AuditEvent.actor.like("test:thread%"))
        ).all()
    assert report.intact, report
    assert len(written) == 60 and None not in written and len(set(written)) == 60


def test_the_command_says_the_chain_is_intact(cli_env: None, world: World) -> None:
    result = CliRunner().invoke(app, ["audit", "verify"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "intact" in result.output


def test_a_save_committed_while_the_chain_is_checked_does_not_break_it(
    engine: Engine, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The check reads the chain's head, then its events: a save committed in between (another user's,
    # a running app's) must not look like events missing from the chain's end, nor like a break.
    factory = make_session_factory(engine)
    with factory() as session:
        _write(session, 2, "before-check")
        session.commit()
    read_unsealed = audit_repository.unsealed_count

    def someone_saves_meanwhile(session: Session) -> int:
        with factory() as other:
            _write(other, 3, "during-check")
            other.commit()
        return read_unsealed(session)

    monkeypatch.setattr(audit_repository, "unsealed_count", someone_saves_meanwhile)
    with factory() as session:
        report = audit.verify(session, actor=ADMIN)
    assert report.intact, report
    monkeypatch.undo()
    with factory() as session:
        assert audit.verify(session, actor=ADMIN).intact  # and the save itself was chained
