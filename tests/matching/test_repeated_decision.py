"""A decision given again changes nothing and records nothing: accepting a proposal a second time wrote a
second "proposal.donor.accepted" into its trail."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.audit import service as audit
from tests.web_helpers import bearer
from tests.world import World, kenya_proposal


def _decide(
    client: TestClient, world: World, role: str, proposal_id: int, **decision: str
) -> dict[str, object]:
    response = client.post(
        f"/api/v1/proposals/{proposal_id}/decision", json=decision, headers=bearer(world.tokens[role])
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert isinstance(body, dict)
    return body


def _actions(session: Session, proposal_id: int) -> list[str]:
    return [
        e.action for e in audit.history(session, entity_type="match_proposal", entity_id=str(proposal_id))
    ]


def test_accepting_again_records_nothing(client: TestClient, session: Session, world: World) -> None:
    proposal = kenya_proposal(session, world)
    first = _decide(client, world, "partner_a", proposal.id, decision="accept")
    again = _decide(client, world, "partner_a", proposal.id, decision="accept")
    assert again == first and again["donor_decision"] == "accepted" and again["status"] == "proposed"
    assert _actions(session, proposal.id) == ["proposal.donor.accepted"]


def test_a_concluded_proposal_accepted_again_stays_as_it_is(
    client: TestClient, session: Session, world: World
) -> None:
    proposal = kenya_proposal(session, world)
    _decide(client, world, "partner_a", proposal.id, decision="accept")
    concluded = _decide(client, world, "focal_ken", proposal.id, decision="accept")
    assert concluded["status"] == "accepted"
    assert _decide(client, world, "focal_ken", proposal.id, decision="accept") == concluded
    assert _actions(session, proposal.id) == ["proposal.donor.accepted", "proposal.country.accepted"]


def test_declining_again_records_nothing(client: TestClient, session: Session, world: World) -> None:
    proposal = kenya_proposal(session, world)
    _decide(client, world, "focal_ken", proposal.id, decision="decline", reason="Funded by the ministry.")
    _decide(client, world, "focal_ken", proposal.id, decision="decline", reason="Funded by the ministry.")
    assert _actions(session, proposal.id) == ["proposal.country.declined"]
