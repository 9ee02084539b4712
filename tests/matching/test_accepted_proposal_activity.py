"""The activity an accepted proposal becomes is said and linked. (A partner told only "Your acceptance was
recorded" never found the pipeline activity PUX had recorded, recorded the same money again as a new
activity, and the need showed twice its cost as covered.)"""

from __future__ import annotations

import httpx2
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.matching import service as matching
from pux.matching.models import MatchProposal
from tests.web_helpers import csrf_token, sign_in
from tests.world import World, facilitator_round, kenya_grant_programme


def _round_proposal(session: Session, world: World) -> MatchProposal:
    programme_id = kenya_grant_programme(session, world)
    round_record = facilitator_round(session, world, programme_id, title="Round", cap_share=1.0)
    proposals = matching.proposals_for(session, actor=world.actors["facilitator"], round_id=round_record.id)
    return next(p for p in proposals if p.need_id == world.needs["published_ken"])


def _accept_on_the_page(
    client: TestClient, world: World, role: str, proposal: MatchProposal, side: str
) -> httpx2.Response:
    sign_in(client, world.emails[role])
    return client.post(
        f"/proposals/{proposal.id}/decision",
        data={"decision": "accept", "side": side, "csrf_token": csrf_token(client, "/matching")},
        follow_redirects=False,
    )


def test_the_partner_accepting_second_is_taken_to_the_pipeline_activity_to_complete_it(
    client: TestClient, session: Session, world: World
) -> None:
    proposal = _round_proposal(session, world)
    matching.decide(session, actor=world.actors["focal_ken"], proposal_id=proposal.id, accept=True)

    answer = _accept_on_the_page(client, world, "partner_a", proposal, "donor")

    assert proposal.activity_id is not None
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/activities/{proposal.activity_id}"
    page = client.get(answer.headers["location"]).text
    assert f"pipeline activity {proposal.activity_id} now records this commitment" in page
    assert "rather than recording a new activity" in page
    assert "Your acceptance was recorded." not in page


def test_the_country_accepting_second_is_told_of_the_activity_and_the_round_page_links_it(
    client: TestClient, session: Session, world: World
) -> None:
    proposal = _round_proposal(session, world)
    matching.decide(session, actor=world.actors["partner_a"], proposal_id=proposal.id, accept=True)

    answer = _accept_on_the_page(client, world, "focal_ken", proposal, "country")

    assert answer.headers["location"] == f"/matching/rounds/{proposal.round_id}"
    page = client.get(answer.headers["location"]).text
    assert f"pipeline activity {proposal.activity_id} now records this commitment" in page
    assert f'<a href="/activities/{proposal.activity_id}">activity {proposal.activity_id}</a>' in page


def test_the_first_acceptance_still_says_only_that_it_was_recorded(
    client: TestClient, session: Session, world: World
) -> None:
    proposal = _round_proposal(session, world)

    answer = _accept_on_the_page(client, world, "partner_a", proposal, "donor")

    assert answer.headers["location"] == f"/matching/rounds/{proposal.round_id}"
    assert "Your acceptance was recorded." in client.get(answer.headers["location"]).text
    assert proposal.activity_id is None
