"""What a backup is checked against: the row count of every table PUX has."""

from __future__ import annotations

from sqlalchemy import func, inspect, select, table
from sqlalchemy.engine import Connection


def table_counts(connection: Connection) -> dict[str, int]:
    """Rows per table (the database's own word-index tables included: they are restored too)."""
    counts: dict[str, int] = {}
    for name in sorted(inspect(connection).get_table_names()):
        counts[name] = connection.execute(select(func.count()).select_from(table(name))).scalar_one()
    return counts
