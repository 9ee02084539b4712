"""The query planner's statistics are really written (after `pux demo` and bulk loads): without them SQLite
scans a 200,000-row table where an index would find ten rows. (On SQLite, ANALYZE inside the transaction
PUX begins for every connection was rolled back with it, so no statistics were ever kept.)"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Engine

from pux.db import refresh_statistics
from tests.world import World


def _tables_with_statistics(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            present = connection.scalar(
                text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            )
            if not present:
                return set()
            return set(connection.scalars(text("SELECT DISTINCT tbl FROM sqlite_stat1")))
        return set(
            connection.scalars(text("SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL"))
        )


def test_refreshed_statistics_are_kept_for_the_next_connection(engine: Engine, world: World) -> None:
    refresh_statistics(engine)
    kept = _tables_with_statistics(engine)
    assert {"need", "programme", "assistance_activity", "search_document"} <= kept
