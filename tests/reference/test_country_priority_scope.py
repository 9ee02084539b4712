"""One reader, one score. A donor saw Kenya's water index as 59.7 on the country page, 59.8 on the index
page and 59.83 on the country's gaps: the country page counted the public's activities and the others the
reader's, and each page rounded its own way. The country page now counts what its reader may see, and every
page shows the index with one decimal."""

from __future__ import annotations

import re
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.assistance import service as assistance
from pux.i18n import number_text
from tests.web_helpers import bearer, sign_in
from tests.world import World, activity_data

COUNTRY_PAGE_WATER = re.compile(
    r'href="/priority\?area=water">[^<]*</a></td>\s*<td[^>]*>[^<]*</td>\s*'
    r'<td class="num" data-label="Score">([^<]+)</td>'
)
INDEX_PAGE_KENYA = re.compile(
    r'href="/countries/KEN#priority">[^<]*</a></td>\s*<td class="num" data-label="Score">([^<]+)</td>'
)
GAPS_INDEX = re.compile(r'data-label="Priority index">([^<]+)<span class="source">')


def _private_kenya_water_money(session: Session, world: World) -> None:
    assistance.record_activity(
        session, actor=world.actors["officer_b"],
        data=activity_data(world.organisations["agency_b"], title="Confidential groundwater survey",
                           thematic_area_code="water", technique_code=None, sdg_codes=["6"],
                           amount_committed=Decimal("5000000"), visibility="private"),
    )  # fmt: skip
    session.flush()


def _api_score(client: TestClient, token: str | None = None, area: str = "water") -> float:
    headers = bearer(token) if token else {}
    positions = client.get("/api/v1/priority/countries/KEN", headers=headers).json()
    score: float = next(p["score"] for p in positions if p["area"] == area)
    return score


def _shown(pattern: re.Pattern[str], text: str) -> str:
    match = pattern.search(text)
    assert match, pattern.pattern
    return match.group(1).strip()


def test_the_country_page_shows_the_score_its_reader_sees_everywhere(
    session: Session, world: World, client: TestClient
) -> None:
    _private_kenya_water_money(session, world)
    public_score = _api_score(client)
    own_score = _api_score(client, world.tokens["officer_b"])
    assert number_text(own_score, 1) != number_text(public_score, 1)  # the private activity counts for them

    sign_in(client, world.emails["officer_b"])
    country_page = client.get("/countries/KEN").text
    index_page = client.get("/priority", params={"area": "water"}).text

    assert _shown(COUNTRY_PAGE_WATER, country_page) == number_text(own_score, 1)
    assert _shown(INDEX_PAGE_KENYA, index_page) == number_text(own_score, 1)


def test_an_anonymous_reader_sees_the_public_score(
    session: Session, world: World, client: TestClient
) -> None:
    _private_kenya_water_money(session, world)
    public_score = _api_score(client)

    assert _shown(COUNTRY_PAGE_WATER, client.get("/countries/KEN").text) == number_text(public_score, 1)


def test_the_gap_pages_show_the_index_with_one_decimal(client: TestClient) -> None:
    gaps = client.get("/gaps/countries/KEN").text
    scores = {p["area"]: p["score"] for p in client.get("/api/v1/priority/countries/KEN").json()}

    shown = GAPS_INDEX.findall(gaps)
    assert shown, "no index on the country's gaps"
    expected = {number_text(score, 1) for score in scores.values() if score is not None}
    assert {text.strip() for text in shown} <= expected


def test_the_brief_shows_the_index_with_one_decimal(client: TestClient) -> None:
    brief = client.get("/countries/KEN/brief").text
    health = _api_score(client, area="health")  # the public's: the brief counts public records only

    assert f">{number_text(health, 1)}</data>" in brief
