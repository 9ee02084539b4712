"""Alembic environment: the URL comes from PUX settings (or the caller's config), batch mode for SQLite."""

from __future__ import annotations

from alembic import context

from pux.config import get_settings
from pux.db import Base, make_engine
from pux.models import load_all_models

load_all_models()
config = context.config
url = config.get_main_option("sqlalchemy.url") or get_settings().database_url


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_on(connection)
        return
    engine = make_engine(url)
    with engine.connect() as new_connection:
        _run_on(new_connection)
    engine.dispose()


def _run_on(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
