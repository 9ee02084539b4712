"""The SQL statements a piece of code runs, recorded as the database gets them: for tests of how many
statements a write takes (what holds SQLite's write lock) and of which tables a reading touches."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine


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
