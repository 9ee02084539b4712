"""A list of values asked about in one statement (db.one_of): exactly the rows named, on either database; on
PostgreSQL (the suite's second run) one statement text whatever the list's length, so that it is compiled
once and prepared, and text longer than its column matches nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from pux.db import one_of
from pux.needs.models import Need
from pux.reference.models import Country
from tests.world import World


def _ids_found(session: Session, ids: list[int], statements: list[str]) -> set[int]:
    def keep(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    connection = session.connection()
    event.listen(connection, "before_cursor_execute", keep)
    try:
        found = session.scalars(select(Need.id).where(one_of(session, Need.id, "ids")), {"ids": ids})
        return set(found)
    finally:
        event.remove(connection, "before_cursor_execute", keep)


def test_one_of_finds_exactly_the_rows_named_whatever_the_length(session: Session, world: World) -> None:
    every = sorted(session.scalars(select(Need.id)))
    assert len(every) >= 3
    short_statements: list[str] = []
    long_statements: list[str] = []
    assert _ids_found(session, every[:2], short_statements) == set(every[:2])
    # Ids of no row among them: only the rows that exist come back.
    wanted = [*every[1:], max(every) + 1, max(every) + 1000]
    assert _ids_found(session, wanted, long_statements) == set(every[1:])
    if session.get_bind().dialect.name == "postgresql":
        assert short_statements == long_statements  # one text: compiled once, prepared once


def test_one_of_matches_whole_text_only(session: Session, world: World) -> None:
    # "KENYA" is longer than the column's three letters: cast to its size it would be "KEN" and match Kenya.
    statement = select(Country.iso3).where(one_of(session, Country.iso3, "codes"))
    assert set(session.scalars(statement, {"codes": ["KENYA", "UGA"]})) == {"UGA"}
