"""Run Alembic migrations from code (the CLI and the tests use this, no alembic.ini needed)."""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(database_url: str, connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


@functools.cache
def current_heads() -> frozenset[str]:
    """The code's migration heads. Read once a process: finding them loads every migration script (40 ms,
    which /readyz spent on each probe), and the scripts a running process was installed with do not
    change under it."""
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def database_revisions(connection: Connection) -> set[str]:
    """The migration revisions a database is at (empty when it was never migrated)."""
    from alembic.runtime.migration import MigrationContext

    return set(MigrationContext.configure(connection).get_current_heads())


def readiness(engine: Engine) -> tuple[bool, str]:
    """Whether the database answers and its schema is the code's, with a short reason when not."""
    try:
        with engine.connect() as connection:
            current = database_revisions(connection)
    except OperationalError:
        return False, "database unreachable"
    if current != current_heads():
        # "pux db upgrade" would leave a new database without its reference data: init does both.
        return False, "database schema is not current: run pux init"
    return True, "ok"
