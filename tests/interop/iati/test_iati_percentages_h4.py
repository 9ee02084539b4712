"""An activity refused because its sector or country shares do not add up to 100 is reported in the
reader's language and notation. The breach was stored in English words ("sector (vocabulary 1)",
"country/region") with its total as written in English ("90.5"), so a French report read "90.5" where a
French reader writes "90,5", and what the shares are of was guessed back from the English words. It is
now stored as a code with its numbers; reports stored before still display."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from fastapi.testclient import TestClient
from lxml import html
from sqlalchemy.orm import Session

from pux.assistance.models import IatiImportRun
from pux.i18n import language_context
from pux.interop.iati import rules, synthetic
from pux.interop.iati.records import COUNTRY, SECTOR, Split
from tests.interop.iati.test_export import _upload, _when_finished
from tests.web_helpers import sign_in
from tests.world import World

SECTORS_OFF = "XM-DAC-99-TEST-SECTORS"  # its sectors of vocabulary 1 add up to 90.5
COUNTRIES_OFF = "XM-DAC-99-TEST-COUNTRIES"  # its one country has a share of 80.25


def _shares_file(tmp_path: Path) -> Path:
    sectors = replace(
        synthetic.activity(1, identifier=SECTORS_OFF, reporting_ref="XM-DAC-99"),
        splits=(
            Split(COUNTRY, "1", "KE", Decimal(100)),
            Split(SECTOR, "1", "12191", Decimal("60.5")),
            Split(SECTOR, "1", "43082", Decimal(30)),
        ),
    )
    countries = replace(
        synthetic.activity(2, identifier=COUNTRIES_OFF, reporting_ref="XM-DAC-99"),
        splits=(
            Split(COUNTRY, "1", "KE", Decimal("80.25")),
            Split(SECTOR, "1", "12191", Decimal(100)),
        ),
    )
    return synthetic.write_file(tmp_path / "shares.xml", [sectors, countries])


def _imported_run(client: TestClient, world: World, tmp_path: Path) -> str:
    sign_in(client, world.emails["facilitator"])
    sent = _upload(client, _shares_file(tmp_path))
    assert sent.status_code == 303, sent.text
    run_page = str(sent.headers["location"])
    _when_finished(client, run_page)
    return run_page


def _rule_broken(client: TestClient, run_page: str, language: str, identifier: str) -> str:
    page = client.get(run_page, headers={"Accept-Language": language})
    assert page.status_code == 200
    cells = html.fromstring(page.text).xpath(f"//tbody/tr[td/code='{identifier}']/td[3]")
    assert len(cells) == 1, f"{identifier} is not among the refusals"
    return str(cells[0].text_content()).strip()


def _run(session: Session, run_page: str) -> IatiImportRun:
    run = session.get(IatiImportRun, int(run_page.rsplit("/", 1)[1]))
    assert run is not None
    return run


def test_a_shares_refusal_reads_in_the_reader_s_language_and_notation(
    client: TestClient, world: World, tmp_path: Path
) -> None:
    run_page = _imported_run(client, world, tmp_path)

    sectors = _rule_broken(client, run_page, "fr", SECTORS_OFF)
    assert "secteur (vocabulaire 1)" in sectors and "90,5" in sectors
    assert "sector" not in sectors and "90.5" not in sectors
    countries = _rule_broken(client, run_page, "fr", COUNTRIES_OFF)
    assert "pays et région" in countries and "80,25" in countries and "80.25" not in countries

    arabic = _rule_broken(client, run_page, "ar", COUNTRIES_OFF)
    assert "البلد والمنطقة" in arabic and "country" not in arabic
    english = _rule_broken(client, run_page, "en", SECTORS_OFF)
    assert english == "has sector (vocabulary 1) shares that add up to 90.5, not 100"


def test_the_report_stores_a_code_and_the_numbers_not_english_words(
    client: TestClient, session: Session, world: World, tmp_path: Path
) -> None:
    run = _run(session, _imported_run(client, world, tmp_path))

    stored = {r["identifier"]: (r["rule"], r["details"]) for r in run.refusals}
    assert stored[SECTORS_OFF] == ("percentages", {"shares": "sector", "vocabulary": "1", "total": "90.5"})
    assert stored[COUNTRIES_OFF] == ("percentages", {"shares": "country-region", "total": "80.25"})


def test_a_report_stored_in_english_words_still_displays(
    client: TestClient, session: Session, world: World, tmp_path: Path
) -> None:
    """Runs stored before: what the shares are of in English words, translated when PUX knows them, else
    shown as stored."""
    run_page = _imported_run(client, world, tmp_path)
    run = _run(session, run_page)
    old_words = {
        SECTORS_OFF: {"what": "sector (vocabulary 1)", "total": "90.5"},
        COUNTRIES_OFF: {"what": "land and sea", "total": "80.25"},
    }
    run.refusals = [{**r, "details": old_words[r["identifier"]]} for r in run.refusals]
    session.flush()

    sectors = _rule_broken(client, run_page, "fr", SECTORS_OFF)
    assert "secteur (vocabulaire 1)" in sectors and "90,5" in sectors
    unknown = _rule_broken(client, run_page, "fr", COUNTRIES_OFF)
    with language_context("fr"):
        assert unknown == rules.describe("percentages", old_words[COUNTRIES_OFF])
    assert "land and sea" in unknown and "80,25" in unknown


def test_the_time_taken_is_written_in_the_reader_s_notation(
    client: TestClient, session: Session, world: World, tmp_path: Path
) -> None:
    run_page = _imported_run(client, world, tmp_path)
    run = _run(session, run_page)
    run.seconds = Decimal("12.25")
    session.commit()

    french = client.get(run_page, headers={"Accept-Language": "fr"}).text
    time_taken = html.fromstring(french).xpath("//dt[.='Durée']/following-sibling::dd[1]")
    assert time_taken, "the report names no time taken"
    assert time_taken[0].text_content().strip().startswith("12,2"), time_taken[0].text_content()
