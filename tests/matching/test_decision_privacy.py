"""Deciding on a proposal tells no one who may not decide it that it exists: they get what a number that
does not exist gets (an expert was told "No such allocation round." for a real proposal and "No such
proposal." for a missing one; a focal point of another country 403 against 404). Anonymous callers get the
API's usual 401."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.matching import service as matching
from tests.web_helpers import bearer
from tests.world import World, facilitator_round, kenya_grant_programme

MISSING = 987_654


def _kenyan_proposal(session: Session, world: World) -> int:
    programme_id = kenya_grant_programme(session, world)
    round_record = facilitator_round(session, world, programme_id, title="Privacy round", cap_share=1.0)
    proposals = matching.proposals_for(session, actor=world.actors["facilitator"], round_id=round_record.id)
    return next(p.id for p in proposals if p.need_id == world.needs["published_ken"])


def _decided(client: TestClient, proposal_id: int, headers: dict[str, str]) -> tuple[int, object]:
    response = client.post(
        f"/api/v1/proposals/{proposal_id}/decision", json={"decision": "accept"}, headers=headers
    )
    return response.status_code, response.json()


def test_who_may_not_decide_a_proposal_is_answered_as_for_a_missing_one(
    client: TestClient, session: Session, world: World
) -> None:
    proposal_id = _kenyan_proposal(session, world)
    for role in ("expert", "focal_uga", "counterpart_ken"):
        headers = bearer(world.tokens[role])
        assert _decided(client, proposal_id, headers) == _decided(client, MISSING, headers), role
        assert _decided(client, MISSING, headers) == (404, {"detail": "No such proposal."})


def test_an_anonymous_decision_needs_a_token_whether_the_proposal_exists_or_not(
    client: TestClient, session: Session, world: World
) -> None:
    proposal_id = _kenyan_proposal(session, world)
    existing, missing = _decided(client, proposal_id, {}), _decided(client, MISSING, {})
    assert existing == missing and existing[0] == 401


def test_the_sides_still_decide(client: TestClient, session: Session, world: World) -> None:
    proposal_id = _kenyan_proposal(session, world)
    status, body = _decided(client, proposal_id, bearer(world.tokens["partner_a"]))
    assert status == 200 and isinstance(body, dict) and body["donor_decision"] == "accepted"
