"""Kept results: computed once per key even when many threads ask at once; a failure is not kept."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from pux.assistance import repository as assistance_repository
from pux.audit import service as audit
from pux.audit.models import AuditEvent, utcnow
from pux.kept import KeptResults
from pux.priority import repository as priority_repository
from pux.reference import repository as reference_repository
from tests.world import World


def test_a_result_asked_for_by_many_threads_at_once_is_computed_once() -> None:
    kept: KeptResults[list[int]] = KeptResults(4)
    calls: list[int] = []
    lock = threading.Lock()

    def compute() -> list[int]:
        with lock:
            calls.append(1)
        time.sleep(0.3)
        return [42]

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _n: kept.get(("stamp", 1), compute), range(8)))
    assert len(calls) == 1
    assert all(result is results[0] for result in results) and results[0] == [42]


def test_a_failed_computation_is_not_kept_and_its_waiters_compute_themselves() -> None:
    kept: KeptResults[str] = KeptResults(4)
    attempts: list[str] = []
    lock = threading.Lock()

    def compute() -> str:
        with lock:
            attempts.append(threading.current_thread().name)
            first = len(attempts) == 1
        time.sleep(0.2)
        if first:
            raise RuntimeError("database went away")
        return "fine"

    def ask(_n: int) -> str:
        try:
            return kept.get(("stamp", 2), compute)
        except RuntimeError:
            return "failed"

    with ThreadPoolExecutor(4) as pool:
        answers = sorted(pool.map(ask, range(4)))
    assert answers == ["failed", "fine", "fine", "fine"]
    assert kept.get(("stamp", 2), lambda: "recomputed") in ("fine", "recomputed")


def test_the_least_recently_used_goes_first() -> None:
    kept: KeptResults[int] = KeptResults(2)
    kept.get(("a",), lambda: 1)
    kept.get(("b",), lambda: 2)
    kept.get(("a",), lambda: pytest.fail("kept"))  # type: ignore[no-any-return]
    kept.get(("c",), lambda: 3)
    assert kept.get(("a",), lambda: 10) == 1
    assert kept.get(("b",), lambda: 20) == 20  # b went when c came


def test_the_priority_inputs_stamp_is_read_again_after_a_write_in_the_same_session(
    session: Session, world: World
) -> None:
    before = priority_repository.inputs_stamp(session)
    assert priority_repository.inputs_stamp(session) == before  # remembered, not read again
    audit.record(
        session, actor="test", action="reference.load", entity_type="reference", entity_id="packaged"
    )
    after = priority_repository.inputs_stamp(session)
    assert after != before and after[0] == max(
        session.scalars(
            select(AuditEvent.id).where(AuditEvent.entity_type.in_(priority_repository.INPUT_ENTITIES))
        )
    )


def test_what_is_read_once_per_transaction_is_read_again_after_a_statement_write(session: Session) -> None:
    # A statement (not a flushed object) that deletes countries must not leave the old list remembered.
    countries = reference_repository.all_countries(session)
    assert reference_repository.all_countries(session) is countries  # remembered
    uninhabited = next(c.iso3 for c in countries if not c.is_selectable)
    reference_repository.delete_country_data(session, uninhabited)
    assert uninhabited not in {c.iso3 for c in reference_repository.all_countries(session)}


def test_the_activities_stamp_is_read_again_after_a_textual_write(session: Session, world: World) -> None:
    before = assistance_repository.activities_stamp(session)
    assert assistance_repository.activities_stamp(session) is before  # remembered
    session.execute(
        text("UPDATE assistance_activity SET updated_at = :later WHERE id = :id"),
        {"later": utcnow() + timedelta(days=1), "id": world.activities["public_a"]},
    )
    assert assistance_repository.activities_stamp(session) != before
