"""A proposal whose need was made private after the round leaves no trace for the partner on the other side:
not in their lists, their inbox or the round's page, and deciding it answers as for a missing one."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.matching import service as matching
from pux.needs.models import Need
from pux.tasks import service as tasks
from tests.web_helpers import bearer, sign_in
from tests.world import World, facilitator_round, kenya_grant_programme


def test_a_need_made_private_after_the_round_hides_its_proposal_from_the_partner(
    client: TestClient, session: Session, world: World
) -> None:
    round_record = facilitator_round(
        session, world, kenya_grant_programme(session, world), title="Hidden later", cap_share=1.0
    )
    partner = world.actors["partner_a"]
    proposals = matching.proposals_for(session, actor=partner, round_id=round_record.id)
    assert len(proposals) >= 2
    hidden = proposals[0]
    need = session.get(Need, hidden.need_id)
    assert need is not None
    need.visibility = "private"  # the country's focal point withdrew it from view
    session.flush()
    still = matching.proposals_for(session, actor=partner, round_id=round_record.id)
    assert hidden.id not in {p.id for p in still} and still
    assert hidden.id not in {p.id for p in tasks.inbox(session, actor=partner).proposals}
    assert hidden.id not in {p.id for p in matching.open_proposals_for(session, actor=partner)}
    # The country's own focal point still sees and decides it.
    assert hidden.id in {p.id for p in tasks.inbox(session, actor=world.actors["focal_ken"]).proposals}
    decided = client.post(
        f"/api/v1/proposals/{hidden.id}/decision",
        json={"decision": "accept"},
        headers=bearer(world.tokens["partner_a"]),
    )
    missing = client.post(
        "/api/v1/proposals/999999/decision",
        json={"decision": "accept"},
        headers=bearer(world.tokens["partner_a"]),
    )
    assert (decided.status_code, decided.json()) == (missing.status_code, missing.json())
    session.refresh(hidden)
    assert hidden.donor_decision is None
    sign_in(client, world.emails["partner_a"])
    page = client.get(f"/matching/rounds/{round_record.id}").text
    assert need.reference not in page and need.title not in page
    assert need.title not in client.get("/me").text
