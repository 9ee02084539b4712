"""The matching mends that need matching.service and matching.api (handed over with their patch): a
region named in a recommendation's reasons, a programme's window start read from the record, each round's
money stored per currency, and the round's rules in the API's answer."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.matching import service as matching
from pux.matching.allocation import RoundRules
from pux.needs import service as needs
from tests.web_helpers import bearer, sign_in
from tests.world import World, published_programme


def _funding_programme(session: Session, world: World, title: str, **extra: object) -> int:
    """A published funding programme for the Kenyan published need (made to take funding)."""
    kenyan = needs.get_need(session, actor=world.actors["admin"], need_id=world.needs["published_ken"])
    kenyan.modalities_wanted = ["equipment", "funding"]
    session.flush()
    return published_programme(session, world, title=title, **extra)


def _recommended_to_the_kenyan_need(client: TestClient, world: World) -> dict[int, list[str]]:
    answer = client.get(
        f"/api/v1/needs/{world.needs['published_ken']}/recommendations", headers=bearer(world.tokens["admin"])
    )
    assert answer.status_code == 200, answer.text
    return {item["id"]: item["reasons"] for item in answer.json()}


def _kenyan_round(session: Session, world: World, cap: float, floor: float | None, budget: int) -> int:
    programme_id = _funding_programme(
        session,
        world,
        "Radiotherapy grants for the round's rules",
        total_budget=Decimal(max(budget, 1)),
        remaining_budget=Decimal(budget),
        max_per_need=None,
    )
    return matching.run_round(
        session,
        actor=world.actors["facilitator"],
        title="Round with its rules",
        rules=RoundRules(country_cap_share=cap, ldc_floor_share=floor),
        programme_ids=[programme_id],
    ).id


def test_a_needs_recommendations_name_the_region(client: TestClient, session: Session, world: World) -> None:
    """Through the API, in the words of the pages (the region's name, not its code)."""
    region_only = _funding_programme(
        session, world, "Cancer care grants for Eastern Africa", eligible_region_codes=["014"]
    )
    assert "eligible: in Eastern Africa" in _recommended_to_the_kenyan_need(client, world)[region_only]


def test_a_round_through_the_service_leaves_out_a_programme_not_yet_open(
    client: TestClient, session: Session, world: World
) -> None:
    kenyan = needs.get_need(session, actor=world.actors["admin"], need_id=world.needs["published_ken"])
    kenyan.modalities_wanted = ["equipment", "funding"]
    session.flush()
    opens = date.today() + timedelta(days=270)
    later = published_programme(
        session, world, title="Radiotherapy grants from next year", window_start=opens
    )
    answer = client.get(f"/api/v1/needs/{kenyan.id}/recommendations", headers=bearer(world.tokens["admin"]))
    mine = next(item for item in answer.json() if item["id"] == later)
    assert f"opens on {opens.isoformat()}: allocation rounds leave it out until then" in mine["reasons"]
    record = matching.run_round(
        session,
        actor=world.actors["facilitator"],
        title="Round before the window",
        rules=RoundRules(country_cap_share=1.0),
        programme_ids=[later],
    )
    assert record.summary["awards"] == 0
    assert record.summary["currencies"]["USD"]["budget"] == 0.0  # its 4,000,000 wait for its window


def test_the_round_page_and_the_api_give_each_currency_its_own_totals(
    client: TestClient, session: Session, world: World
) -> None:
    kenyan = needs.get_need(session, actor=world.actors["admin"], need_id=world.needs["published_ken"])
    kenyan.modalities_wanted = ["equipment", "funding"]
    session.flush()
    dollars = published_programme(session, world, title="Radiotherapy grants in dollars")
    euros = published_programme(
        session,
        world,
        title="Radiotherapy grants in euros",
        currency="EUR",
        total_budget=Decimal(80_000_000),
        remaining_budget=Decimal(80_000_000),
    )
    record = matching.run_round(
        session,
        actor=world.actors["facilitator"],
        title="Round in two currencies",
        rules=RoundRules(country_cap_share=0.25),
        programme_ids=[dollars, euros],
    )
    sign_in(client, world.emails["facilitator"])
    page = client.get(f"/matching/rounds/{record.id}").text
    assert "1,000,000 of 4,000,000 USD" in page  # Kenya's cap: a quarter of the dollars
    assert "0 of 80,000,000 EUR" in page  # the need is costed in dollars
    assert "84,000,000" not in page
    answer = client.get(f"/api/v1/matching/rounds/{record.id}", headers=bearer(world.tokens["facilitator"]))
    money = answer.json()["summary"]["currencies"]
    assert money["USD"] == {"budget": 4e6, "allocated": 1e6, "country_cap": 1e6, "ldc_floor": 0.0}
    assert money["EUR"]["budget"] == 8e7 and money["EUR"]["allocated"] == 0.0


def test_the_round_page_gives_the_cap_and_what_the_round_had_in_its_currency(
    client: TestClient, session: Session, world: World
) -> None:
    round_id = _kenyan_round(session, world, 0.015, None, 4_000_000)
    sign_in(client, world.emails["facilitator"])
    page = client.get(f"/matching/rounds/{round_id}").text
    assert "1.5: at most 60,000 USD to one country" in page
    assert "60,000 of 4,000,000 USD" in page
    nothing = client.get(f"/matching/rounds/{_kenyan_round(session, world, 0.25, None, 0)}").text
    assert "0 of 0 USD" in nothing


def test_the_api_gives_a_rounds_rules(client: TestClient, session: Session, world: World) -> None:
    round_id = _kenyan_round(session, world, 0.2, 0.0, 4_000_000)
    answer = client.get(f"/api/v1/matching/rounds/{round_id}", headers=bearer(world.tokens["facilitator"]))
    assert answer.status_code == 200, answer.text
    rules = answer.json()["rules"]
    assert (rules["country_cap_share"], rules["ldc_floor_share"]) == (0.2, 0.0)
    assert len(rules["programme_ids"]) == 1
    assert answer.json()["summary"]["currencies"]["USD"]["country_cap"] == 800_000
