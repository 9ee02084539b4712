"""The queries of spreadsheet imports that no domain's repository answers for them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pux.db import reserve_ids

# Ids per query when records are read by id: well under every database's limit of bound parameters.
ID_CHUNK = 1000


def current_versions(session: Session, model: Any, ids: Sequence[int]) -> dict[int, int]:
    """The version of each record of ``model`` with these ids as stored now (absent: removed), read a
    thousand at a time; the records already loaded are brought up to date by the same query."""
    versions: dict[int, int] = {}
    for start in range(0, len(ids), ID_CHUNK):
        chunk = list(ids[start : start + ID_CHUNK])
        statement = select(model).where(model.id.in_(chunk)).execution_options(populate_existing=True)
        versions.update((record.id, record.version) for record in session.scalars(statement))
    return versions


def new_ids(session: Session, model: Any, count: int) -> list[int]:
    """The ids ``count`` new records of ``model`` will have, given to them before they are written: a record
    without one goes in by a statement of its own, which hands its id back (SQLite cannot say in which
    order a multi-row insert numbered its rows), while records with their ids go in by one executemany.
    On PostgreSQL from the table's sequence; on SQLite the next ones after the highest, as SQLite itself
    numbers a table without AUTOINCREMENT. For a write transaction only: on SQLite it holds the database's
    one write lock, so no other writer takes them meanwhile."""
    reserved = reserve_ids(session.connection(), model.__table__, count)
    if reserved is not None:
        return reserved
    highest = session.scalar(select(func.max(model.id))) or 0
    return list(range(highest + 1, highest + 1 + count))
