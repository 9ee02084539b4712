"""The SQL statements a piece of code runs, recorded as the database gets them: for tests of how many
statements a write takes (what holds SQLite's write lock) and of which tables a reading touches."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session


@contextmanager
def recorded_statements(engine: Engine | Connection) -> Iterator[list[str]]:
    """Every statement ``engine`` (or a connection) runs inside the block, in order."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def fresh_request(client: TestClient, session: Session, path: str) -> tuple[Response, list[str]]:
    """``client``'s answer to a GET of ``path`` and the statements it ran, the records read as a new
    request finds them: nothing the test's session (which the app shares) holds already is reused."""
    session.expunge_all()
    with recorded_statements(session.get_bind()) as seen:
        answer = client.get(path)
    return answer, seen
