"""A large import holds SQLite's write lock for a time that grows little with its rows: the new records of a
file are built before its write transaction begins and written in it together, and what is checked again
in it is checked for all rows at once. Once a record took several statements of its own inside the
transaction (its insert, its links' inserts, its audit record's insert, and for an activity two reads of its
identifier): at about 2 ms a row a file of 10,000 rows kept every other save of the site waiting past the
busy timeout. Counted here by statements, not timed: the write transaction of a file ten times longer runs
as many statements, the search index's documents included."""

from __future__ import annotations

import csv
import io
import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from pux.assistance.models import AssistanceActivity
from pux.audit.models import AuditEvent
from pux.db import write_from_here
from pux.interop.tabular import service as tabular
from pux.needs.models import Need
from pux.search import indexing
from pux.search import repository as search_repository
from pux.search.models import SearchDocument
from pux.search.sources import source_for
from tests.statements import recorded_statements
from tests.world import World

MARK = f"Saved together {secrets.token_hex(4)}"
FEW, MANY = 30, 300


def _needs_csv(rows: int, tag: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["country_iso3", "title", "thematic_area_code", "technique_codes", "currency"])
    for number in range(rows):
        writer.writerow(["KEN", f"{MARK} need {tag} {number}", "health", "radiotherapy", "USD"])
    return buffer.getvalue().encode()


def _activities_csv(rows: int, tag: str, provider: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["external_id", "title", "provider_organisation_id", "recipient_country_iso3", "currency", "status"]
    )
    for number in range(rows):
        writer.writerow(
            [
                f"ST-{tag}-{number}",
                f"{MARK} activity {tag} {number}",
                provider,
                "KEN",
                "USD",
                "implementation",
            ]
        )
    return buffer.getvalue().encode()


@contextmanager
def _written_in_the_write_transaction(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The statements run from the moment the import begins its write transaction (write_from_here)."""
    begun_at: list[int] = []
    with recorded_statements(engine) as seen:

        def begun_and_noted(session: Session) -> None:
            write_from_here(session)
            begun_at.append(len(seen))

        monkeypatch.setattr(tabular, "write_from_here", begun_and_noted)
        written: list[str] = []
        try:
            yield written
        finally:
            monkeypatch.undo()
    written.extend(seen[begun_at[0] :] if begun_at else [])


def _import(session: Session, world: World, entity: str, content: bytes) -> tabular.ImportReport:
    actor = world.actors["focal_ken" if entity == "needs" else "partner_a"]
    return tabular.import_table(
        session, actor=actor, entity_name=entity, content=content, filename=f"{entity}.csv"
    )


def _content(entity: str, rows: int, world: World) -> bytes:
    tag = secrets.token_hex(3)
    if entity == "needs":
        return _needs_csv(rows, tag)
    return _activities_csv(rows, tag, world.organisations["donor_a"])


KINDS: dict[str, tuple[Any, str, str]] = {
    "needs": (Need, "need", "need.create"),
    "activities": (AssistanceActivity, "assistance_activity", "activity.create"),
}


@pytest.mark.parametrize("entity", ["needs", "activities"])
def test_a_file_ten_times_longer_runs_as_many_statements_while_it_holds_the_write_lock(
    session: Session, engine: Engine, world: World, monkeypatch: pytest.MonkeyPatch, entity: str
) -> None:
    counts = []
    for rows in (FEW, MANY):
        with _written_in_the_write_transaction(engine, monkeypatch) as seen:
            report = _import(session, world, entity, _content(entity, rows, world))
        assert report.created == len(report.ids) == rows
        _assert_saved_and_audited_in_file_order(session, entity, report)
        counts.append(len(seen))  # the search index's documents too: given their ids, they go in together
    few, many = counts
    assert few and many == few, (
        f"{FEW} rows ran {few} statements in the write transaction, {MANY} rows {many}"
    )


def _assert_saved_and_audited_in_file_order(
    session: Session, entity: str, report: tabular.ImportReport
) -> None:
    """The records are the file's rows in its order, each with its one audit record of its creation."""
    model, kind, action = KINDS[entity]
    titles = session.scalars(select(model.title).where(model.id.in_(report.ids)).order_by(model.id)).all()
    assert [int(title.rsplit(" ", 1)[1]) for title in titles] == list(range(len(report.ids)))
    assert report.ids == sorted(report.ids)
    events = session.execute(
        select(AuditEvent.entity_id, AuditEvent.action, AuditEvent.after).where(
            AuditEvent.entity_type == kind, AuditEvent.entity_id.in_([str(i) for i in report.ids])
        )
    ).all()
    assert sorted(int(entity_id) for entity_id, _action, _after in events) == report.ids
    assert {taken for _id, taken, _after in events} == {action}
    assert all(after["id"] == int(entity_id) and after["version"] == 1 for entity_id, _a, after in events)
    # What was written is what the audit record says was: every column (defaults too) and every link.
    session.expire_all()
    records = session.scalars(select(model).where(model.id.in_(report.ids)))
    stored = {str(record.id): json.loads(json.dumps(record.snapshot(), default=str)) for record in records}
    differences = {
        (entity_id, field): (after.get(field), stored[entity_id].get(field))
        for entity_id, _action, after in events
        for field in after.keys() | stored[entity_id].keys()
        if not _same_value(after.get(field), stored[entity_id].get(field))
    }
    assert differences == {}


def _same_value(audited: Any, stored: Any) -> bool:
    """Equal, a moment read back without its UTC offset (SQLite) being the same moment."""
    if audited == stored:
        return True
    try:
        moments = [datetime.fromisoformat(value) for value in (audited, stored)]
    except (TypeError, ValueError):
        return False
    return moments[0] == moments[1].replace(tzinfo=moments[1].tzinfo or UTC)


@pytest.mark.parametrize("entity", ["needs", "activities"])
def test_the_new_records_words_and_meaning_are_worked_out_before_the_write_lock(
    session: Session, engine: Engine, world: World, monkeypatch: pytest.MonkeyPatch, entity: str
) -> None:
    """Stemming and embedding a file's new records for search was a sixth of the time a large import held
    SQLite's write lock: it is done before (their references and ids, known only in it, are added there),
    and the index holds what it would make of the saved records afresh."""
    in_write_transaction: list[bool] = []
    embedded_while_writing: list[int] = []
    real_vectors = indexing._document_vectors

    def noted_vectors(model: Any, titles: list[str], bodies: list[str]) -> Any:
        if in_write_transaction:
            embedded_while_writing.append(len(titles))
        return real_vectors(model, titles, bodies)

    def begun_and_noted(session: Session) -> None:
        write_from_here(session)
        in_write_transaction.append(True)

    monkeypatch.setattr(indexing, "_document_vectors", noted_vectors)
    monkeypatch.setattr(tabular, "write_from_here", begun_and_noted)
    report = _import(session, world, entity, _content(entity, FEW, world))
    monkeypatch.undo()
    session.commit()
    assert in_write_transaction and report.created == FEW
    assert embedded_while_writing == []
    model = KINDS[entity][0]
    records = session.scalars(select(model).where(model.id.in_(report.ids)).order_by(model.id)).all()
    pairs = [
        (source.kind, document)
        for record in records
        if (source := source_for(record)) and (document := source.to_document(record)) is not None
    ]
    assert len(pairs) == FEW
    afresh = indexing.prepare(pairs, names=search_repository.reference_names(session.connection()))
    stored = {
        (row.kind, row.source_key): row
        for row in session.scalars(
            select(SearchDocument).where(
                SearchDocument.kind == pairs[0][0],
                SearchDocument.source_key.in_([str(i) for i in report.ids]),
            )
        )
    }
    assert len(stored) == FEW
    for expected in afresh.rows:
        found = stored[(expected["kind"], expected["source_key"])]
        assert (found.language, found.terms, found.vector, found.body, found.title) == (
            expected["language"],
            expected["terms"],
            expected["vector"],
            expected["body"],
            expected["title"],
        )
    # Their audit records, written as rows around the session, are chained by the commit as any others.
    kind = KINDS[entity][1]
    sealed = session.scalars(
        select(AuditEvent.chain_seq).where(
            AuditEvent.entity_type == kind, AuditEvent.entity_id.in_([str(i) for i in report.ids])
        )
    ).all()
    assert len(sealed) == FEW and None not in sealed
    # The identifier people call a record by is found as a word and shown first, as before.
    first = stored[(pairs[0][0], str(report.ids[0]))]
    identifier = records[0].reference if entity == "needs" else records[0].external_id
    assert first.body.startswith(f"{identifier} · ")
