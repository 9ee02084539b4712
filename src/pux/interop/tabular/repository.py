"""The queries of spreadsheet imports that no domain's repository answers for them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

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
