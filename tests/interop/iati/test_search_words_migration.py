"""Migration 0027 gives IATI activities edited before the search words kept their IATI identifier that
identifier back, so they are found by it again; the other activities' words stay as they were."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from pux import migrate
from pux.db import make_engine
from tests.conftest import empty_database

MOMENT = "2026-12-01 10:00:00"


@pytest.fixture
def database_before_0027(tmp_path: Path) -> Iterator[str]:
    with empty_database(tmp_path, "pux_search_words_check") as url:
        migrate.upgrade(url, "0026")
        yield url


def _insert_activity(connection: object, activity_id: int, iati_identifier: str | None, words: str) -> None:
    connection.execute(  # type: ignore[attr-defined]
        text(
            "INSERT INTO assistance_activity (id, title, description, provider_organisation_id,"
            " recipient_country_iso3, currency, status, dac_sector_codes, sdg_codes, visibility, origin,"
            " search_text, created_at, updated_at, version, iati_related_activities, iati_identifier)"
            " VALUES (:id, 'Water isotopes', '', 1, 'TCD', 'USD', 'implementation', '[]', '[]', 'public',"
            " 'iati', :words, :moment, :moment, 2, '[]', :iati)"
        ),
        {"id": activity_id, "words": words, "moment": MOMENT, "iati": iati_identifier},
    )


def test_edited_iati_activities_get_their_identifier_back_in_their_words(database_before_0027: str) -> None:
    engine = make_engine(database_before_0027)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO currency (code) VALUES ('USD')"))
        connection.execute(
            text(
                "INSERT INTO country (iso3, iso2, m49, is_ldc, is_lldc, is_sids, search_text, name_en,"
                " name_fr, name_es, name_ar, name_zh, name_ru, un_languages, is_selectable) VALUES"
                " ('TCD', 'TD', '148', true, true, false, 'chad', 'Chad', 'Tchad', 'Chad', 'تشاد', '乍得',"
                " 'Чад', '', true)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO organisation (id, name, organisation_type, is_active, version, created_at)"
                " VALUES (1, 'Agency', 'government_agency', true, 1, :moment)"
            ),
            {"moment": MOMENT},
        )
        _insert_activity(connection, 1, "XM-DAC-41301-AUD-0002", "water isotopes")  # edited: lost it
        _insert_activity(connection, 2, "XM-DAC-41301-AUD-0003", "xm-dac-41301-aud-0003 water isotopes")
        _insert_activity(connection, 3, None, "water isotopes")  # typed into PUX: nothing to add
    migrate.upgrade(database_before_0027)
    with engine.connect() as connection:
        words = dict(connection.execute(text("SELECT id, search_text FROM assistance_activity")).all())
    assert words == {
        1: "xm-dac-41301-aud-0002 water isotopes",
        2: "xm-dac-41301-aud-0003 water isotopes",
        3: "water isotopes",
    }
    engine.dispose()
