"""The priority index's "little assistance so far" counts commitments in US dollars only (PUX converts no
currency and has no shared source of exchange rates). An auditor added 2,500,000 EUR of running
activities for Kenya's health and no figure moved, and no page said why: every place that shows or explains
the component now says it counts US dollars and names, per currency, the amount it left out."""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.assistance import service as assistance
from tests.world import World, activity_data

NOTE = "Not counted, not in US dollars: 2,500,000 EUR"


def _euro_activity(session: Session, world: World, amount: str = "2500000") -> None:
    assistance.record_activity(
        session, actor=world.actors["officer_b"],
        data=activity_data(world.organisations["agency_b"], title="Euro-funded radiotherapy support",
                           amount_committed=Decimal(amount), currency="EUR", visibility="public"),
    )  # fmt: skip
    session.flush()


def _kenya_health_assistance(client: TestClient) -> dict[str, object]:
    positions = client.get("/api/v1/priority/countries/KEN").json()
    health = next(p for p in positions if p["area"] == "health")
    component: dict[str, object] = next(c for c in health["components"] if c["name"] == "assistance")
    return component


def test_the_api_names_the_commitments_it_did_not_count(
    session: Session, world: World, client: TestClient
) -> None:
    before = _kenya_health_assistance(client)
    assert before["counted_currency"] == "USD"
    assert before["not_counted"] == []

    _euro_activity(session, world)

    after = _kenya_health_assistance(client)
    assert after["pressing"] == before["pressing"]  # counted nowhere, converted never
    assert [(a["currency"], a["amount"]) for a in after["not_counted"]] == [("EUR", 2500000.0)]  # type: ignore[union-attr]
    assert after["not_counted"][0]["source"]  # type: ignore[index]
    assert after["not_counted"][0]["as_of"]  # type: ignore[index]


def test_the_index_page_and_the_country_page_say_what_was_left_out(
    session: Session, world: World, client: TestClient
) -> None:
    _euro_activity(session, world)

    index_page = client.get("/priority", params={"area": "health"})
    country_page = client.get("/countries/KEN")

    for page in (index_page, country_page):
        assert page.status_code == 200
        assert "counts the current commitments in US dollars" in page.text
        assert NOTE in page.text
        assert "PUX assistance records" in page.text
    # Only Kenya's health had euros: the other areas and countries name nothing.
    assert index_page.text.count(NOTE) == 1
    assert country_page.text.count(NOTE) == 1


def test_a_country_page_without_other_currencies_names_none(client: TestClient) -> None:
    page = client.get("/countries/KEN")
    assert "counts the current commitments in US dollars" in page.text
    assert "Not counted, not in US dollars" not in page.text


def test_the_brief_says_its_index_counts_public_records_and_dollars_only(client: TestClient) -> None:
    brief = client.get("/countries/KEN/brief")
    assert brief.status_code == 200
    assert "counts public records only" in brief.text
    assert "current commitments in US dollars only" in brief.text
