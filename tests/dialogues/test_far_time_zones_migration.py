"""Migration 0024 gives the events already planned their instants in UTC, read in each event's own zone,
and keeps everything that points at them (a rebuilt SQLite table would have cascaded their deletion)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from pux import migrate
from pux.db import make_engine
from tests.conftest import empty_database

EVENT_COLUMNS = (
    "id, version, kind, title, description, is_public, is_cancelled, is_online, starts_at, ends_at,"
    " time_zone, working_languages, thematic_area_codes, technique_codes, focus_country_codes,"
    " budget_currency, allowance_cut_allowed, search_text, created_at, updated_at"
)


@pytest.fixture
def database_before_0024(tmp_path: Path) -> Iterator[str]:
    with empty_database(tmp_path, "pux_utc_instants_check") as url:
        migrate.upgrade(url, "0023")
        yield url


def _insert_event(connection: object, event_id: int, starts: str, ends: str, zone: str) -> None:
    connection.execute(  # type: ignore[attr-defined]
        text(
            f"INSERT INTO dialogue_event ({EVENT_COLUMNS}) VALUES (:id, 1, 'webinar', 'Old event', '',"
            " true, false, true, :starts, :ends, :zone, '[]', '[]', '[]', '[]', 'USD', 0.5, '',"
            " '2026-12-01 10:00:00', '2026-12-01 10:00:00')"
        ),
        {"id": event_id, "starts": starts, "ends": ends, "zone": zone},
    )


def test_events_planned_before_the_migration_get_their_utc_instants(database_before_0024: str) -> None:
    engine = make_engine(database_before_0024)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO currency (code) VALUES ('USD')"))
        _insert_event(connection, 1, "2026-12-07 02:00:00", "2026-12-07 04:00:00", "Pacific/Kiritimati")
        _insert_event(connection, 2, "2026-12-06 07:00:00", "2026-12-06 09:00:00", "Pacific/Pago_Pago")
        connection.execute(
            text(
                "INSERT INTO dialogue_participant (id, version, event_id, full_name, email, status,"
                " created_at, status_changed_at) VALUES (1, 1, 1, 'Ana', 'ana@test.pux.invalid', 'invited',"
                " '2026-12-01 10:00:00', '2026-12-01 10:00:00')"
            )
        )
    migrate.upgrade(database_before_0024)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT id, starts_at_utc, ends_at_utc FROM dialogue_event ORDER BY id")
        ).all()
        participants = connection.scalar(text("SELECT count(*) FROM dialogue_participant"))
    instants = {row[0]: (_as_datetime(row[1]), _as_datetime(row[2])) for row in rows}
    assert instants == {
        1: (datetime(2026, 12, 6, 12), datetime(2026, 12, 6, 14)),
        2: (datetime(2026, 12, 6, 18), datetime(2026, 12, 6, 20)),
    }
    assert participants == 1
    migrate.downgrade(database_before_0024, "0023")
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM dialogue_participant")) == 1
    engine.dispose()


def _as_datetime(value: object) -> datetime:
    # SQLite hands a raw query's DATETIME back as text.
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
