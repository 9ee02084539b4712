"""The priority index's stamp moves at every commit of an audited input, in the order of the commits.

It read the latest audit event's id, which is given when the event is written: an organisation renamed
in a transaction that waited (a row lock held elsewhere, on PostgreSQL) committed with an id below one
committed meanwhile, and every process kept the index, and the gap reports, from before it."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from pux.audit import service as audit
from pux.db import make_session_factory
from pux.priority import repository as priority_repository

# Written first and committed last is possible on PostgreSQL only (a SQLite writer holds the database's
# only write lock from its first write to its commit): SQLite commits them in the order they were written.
ORDERS = ["in_order", *(["committed_last"] if os.environ.get("PUX_TEST_DATABASE_URL") else [])]


def _rename_recorded(session: Session, label: str) -> None:
    audit.record(
        session,
        actor=f"test:{label}",
        action="organisation.update",
        entity_type="organisation",
        entity_id="0",
    )
    session.flush()  # the event has its id now; its place in the chain comes at commit


def _stamp(engine: Engine) -> tuple[object, ...]:
    with make_session_factory(engine)() as session:
        return priority_repository.inputs_stamp(session)


@pytest.mark.parametrize("order", ORDERS)
def test_an_input_committed_after_a_later_one_moves_the_stamp(engine: Engine, order: str) -> None:
    factory = make_session_factory(engine)
    with factory() as first:
        if order == "committed_last":
            _rename_recorded(first, "first")  # the lower id, committed last
        with factory() as second:
            _rename_recorded(second, "second")
            second.commit()
        meanwhile = _stamp(engine)
        if order == "in_order":
            _rename_recorded(first, "first")
        first.commit()
    assert _stamp(engine) != meanwhile
