"""A new activity for a need and programme that already have one is saved only once confirmed separate.
(After both sides accepted a proposal, the partner recorded the real activity beside the pipeline one PUX
had recorded: the form took it without a word, the gaps counted 2,500,000 EUR covered for a need of
1,250,000 EUR and the IATI file published two commitments.)"""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.assistance.models import AssistanceActivity
from pux.matching import service as matching
from pux.matching.models import MatchProposal
from tests.web.test_forms import count
from tests.web_helpers import bearer, csrf_token, sign_in
from tests.world import World, kenya_grant_programme

TYPED_TITLE = "Radiotherapy bunker for Kenyatta hospital"


def _accepted(session: Session, world: World) -> MatchProposal:
    """A proposal both sides accepted: PUX recorded its pipeline activity."""
    proposal = MatchProposal(
        need_id=world.needs["published_ken"],
        programme_id=kenya_grant_programme(session, world),
        amount=Decimal("1000000"),
        fit=0.8,
        explanation="[]",
    )
    session.add(proposal)
    session.flush()
    for role in ("partner_a", "focal_ken"):
        matching.decide(session, actor=world.actors[role], proposal_id=proposal.id, accept=True)
    assert proposal.activity_id is not None
    return proposal


def _typed(world: World, proposal: MatchProposal) -> dict[str, str]:
    return {
        "provider_organisation_id": str(world.organisations["donor_a"]),
        "title": TYPED_TITLE,
        "recipient_country_iso3": "KEN",
        "amount_committed": "1000000",
        "currency": "USD",
        "status": "implementation",
        "visibility": "public",
        "need_id": str(proposal.need_id),
        "programme_id": str(proposal.programme_id),
    }


def test_the_form_asks_before_recording_a_second_activity_and_keeps_what_was_typed(
    client: TestClient, session: Session, world: World
) -> None:
    proposal = _accepted(session, world)
    before = count(session, AssistanceActivity)
    sign_in(client, world.emails["partner_a"])
    typed = {**_typed(world, proposal), "csrf_token": csrf_token(client, "/activities/new")}

    asked = client.post("/activities", data=typed, follow_redirects=False)

    assert asked.status_code == 409
    assert count(session, AssistanceActivity) == before
    existing = proposal.activity_id
    need_reference = proposal.need.reference
    assert (
        f"Need {need_reference} already has activity {existing} from this programme (Pipeline, 1,000,000 USD)"
        in asked.text
    )
    assert f'href="/activities/{existing}/edit"' in asked.text
    assert f'value="{TYPED_TITLE}"' in asked.text
    assert 'name="separate_from_existing" value="yes"' in asked.text

    confirmed = client.post(
        "/activities", data={**typed, "separate_from_existing": "yes"}, follow_redirects=False
    )

    assert confirmed.status_code == 303
    assert count(session, AssistanceActivity) == before + 1


def test_an_activity_for_another_need_is_recorded_without_a_question(
    client: TestClient, session: Session, world: World
) -> None:
    proposal = _accepted(session, world)
    sign_in(client, world.emails["partner_a"])
    typed = {**_typed(world, proposal), "csrf_token": csrf_token(client, "/activities/new")}
    typed.pop("need_id")

    assert client.post("/activities", data=typed, follow_redirects=False).status_code == 303


def test_the_api_refuses_a_second_activity_with_409_unless_told_it_is_separate(
    client: TestClient, session: Session, world: World
) -> None:
    proposal = _accepted(session, world)
    before = count(session, AssistanceActivity)
    body = {
        **_typed(world, proposal),
        "provider_organisation_id": world.organisations["donor_a"],
        "need_id": proposal.need_id,
        "programme_id": proposal.programme_id,
    }
    headers = bearer(world.tokens["partner_a"])

    refused = client.post("/api/v1/activities", json=body, headers=headers)

    assert refused.status_code == 409
    assert f"already has activity {proposal.activity_id} from this programme" in refused.json()["detail"]
    assert count(session, AssistanceActivity) == before

    separate = {**body, "separate_from_existing": True}
    recorded = client.post("/api/v1/activities", json=separate, headers=headers)

    assert recorded.status_code == 201
    assert count(session, AssistanceActivity) == before + 1


def test_the_openapi_description_documents_the_flag(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"]["/api/v1/activities"]["post"]
    reference = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    shape = spec["components"]["schemas"][reference.rsplit("/", 1)[1]]
    assert "409" in shape["properties"]["separate_from_existing"]["description"]
    assert "separate_from_existing" in operation["description"]
