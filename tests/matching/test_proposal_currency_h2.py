"""The matching API gives each proposal's currency beside its amount. A round's proposals, the paged list
and the answer to a decision said "amount": 500000 and nothing else: a round over dollar and euro
programmes gave the client numbers it could not tell apart (the pages say "500,000 EUR")."""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.matching import service as matching
from pux.matching.allocation import RoundRules
from pux.needs import service as needs
from tests.web_helpers import bearer
from tests.world import World, published_programme


def _euro_round(session: Session, world: World) -> int:
    """A round over one euro programme, for the Kenyan published need costed in euros."""
    kenyan = needs.get_need(session, actor=world.actors["admin"], need_id=world.needs["published_ken"])
    kenyan.modalities_wanted, kenyan.currency = ["equipment", "funding"], "EUR"
    session.flush()
    euros = published_programme(
        session,
        world,
        title="Radiotherapy grants in euros",
        currency="EUR",
        total_budget=Decimal(8_000_000),
        remaining_budget=Decimal(8_000_000),
        max_per_need=None,
    )
    return matching.run_round(
        session,
        actor=world.actors["facilitator"],
        title="Round in euros",
        rules=RoundRules(country_cap_share=1.0),
        programme_ids=[euros],
    ).id


def test_every_proposal_the_api_gives_names_its_currency(
    client: TestClient, session: Session, world: World
) -> None:
    round_id = _euro_round(session, world)
    facilitator = bearer(world.tokens["facilitator"])
    whole = client.get(f"/api/v1/matching/rounds/{round_id}", headers=facilitator)
    assert whole.status_code == 200, whole.text
    [proposal] = whole.json()["proposals"]
    assert proposal["amount"] == 1_200_000 and proposal["currency"] == "EUR"
    paged = client.get(f"/api/v1/matching/rounds/{round_id}/proposals", headers=facilitator)
    assert paged.status_code == 200, paged.text
    assert [item["currency"] for item in paged.json()["items"]] == ["EUR"]
    decided = client.post(
        f"/api/v1/proposals/{proposal['id']}/decision",
        json={"decision": "accept"},
        headers=bearer(world.tokens["partner_a"]),
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["currency"] == "EUR"


def test_the_openapi_description_gives_the_proposals_currency(client: TestClient) -> None:
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    proposal = schemas["ProposalRead"]
    assert "currency" in proposal["required"]
    assert "currency" in proposal["properties"]["currency"]["description"]
    assert "currency" in proposal["properties"]["amount"]["description"]
