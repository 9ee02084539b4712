"""An import's saving holds SQLite's write lock for less time (M6): the audit chain is sealed once, when the
transaction commits, not at every savepoint an activity is saved in; needs drafted together take their
references one after another without reading the newest reference again for each."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pux.audit import service as audit
from pux.audit.models import AuditEvent
from pux.needs import service as needs
from tests.statements import recorded_statements
from tests.world import World, need_data


def _seqs(session: Session, events: list[AuditEvent]) -> list[int | None]:
    return [session.scalar(select(AuditEvent.chain_seq).where(AuditEvent.id == e.id)) for e in events]


def test_events_saved_in_savepoints_are_sealed_once_at_the_commit(session: Session) -> None:
    written = []
    for number in range(3):
        with session.begin_nested():  # as each imported activity is saved
            written.append(
                audit.record(session, actor="test", action="m6", entity_type="m6", entity_id=str(number))
            )
    session.flush()
    assert _seqs(session, written) == [None, None, None]  # not sealed yet: the transaction goes on

    session.commit()

    seqs = _seqs(session, written)
    assert None not in seqs and seqs == sorted(seqs) and seqs[-1] - seqs[0] == 2


def test_needs_drafted_together_take_consecutive_references_reading_the_newest_once(
    session: Session, world: World
) -> None:
    focal = world.actors["focal_ken"]
    with recorded_statements(session.get_bind()) as seen:
        drafted = [
            needs.create_need(session, actor=focal, data=need_data(title=f"M6 need {n}")) for n in range(4)
        ]
    numbers = [int(need.reference.rsplit("-", 1)[1]) for need in drafted]
    assert numbers == list(range(numbers[0], numbers[0] + 4))
    newest_reads = [s for s in seen if "need.reference LIKE" in s and "ORDER BY need.id DESC" in s]
    assert len(newest_reads) == 1
    technique_lists = [s for s in seen if "FROM technique" in s and "ORDER BY technique.position" in s]
    assert technique_lists == []
    assert all(sorted(t.code for t in need.techniques) == ["radiotherapy"] for need in drafted)
