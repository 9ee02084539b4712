"""Accepting proposals never funds a need twice, beyond its cost, or past a programme's budget; a pair
declined once is not proposed again. (Two rounds run before their proposals were decided proposed the same
pairs: accepting both created two activities for one need and committed twice a programme's budget.)"""

from __future__ import annotations

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.audit import service as audit
from pux.errors import InvalidTransition
from pux.matching import service as matching
from pux.matching.models import MatchProposal
from pux.programmes import service as programmes
from tests.web_helpers import csrf_token, sign_in
from tests.world import World, facilitator_round, kenya_grant_programme, published_grant_programme


def _proposed(session: Session, world: World, programme_id: int, amount: str) -> MatchProposal:
    proposal = MatchProposal(
        need_id=world.needs["published_ken"],
        programme_id=programme_id,
        amount=Decimal(amount),
        fit=0.8,
        explanation="[]",
    )
    session.add(proposal)
    session.flush()
    return proposal


def _accepted_by_both(session: Session, world: World, proposal: MatchProposal) -> None:
    for side in ("partner_a", "focal_ken"):
        matching.decide(session, actor=world.actors[side], proposal_id=proposal.id, accept=True)


def _remaining(session: Session, world: World, programme_id: int) -> Decimal | None:
    return programmes.get_programme(
        session, actor=world.actors["admin"], programme_id=programme_id
    ).remaining_budget


def test_the_same_programme_cannot_fund_a_need_twice(session: Session, world: World) -> None:
    programme_id = kenya_grant_programme(session, world)
    first = _proposed(session, world, programme_id, "300000")
    again = _proposed(session, world, programme_id, "300000")  # the same pair, from a later round
    _accepted_by_both(session, world, first)
    with pytest.raises(InvalidTransition, match="already funds this need"):
        matching.decide(session, actor=world.actors["partner_a"], proposal_id=again.id, accept=True)
    assert again.status == "proposed" and again.donor_decision is None
    assert _remaining(session, world, programme_id) == Decimal("2700000")  # committed once
    assert not audit.history(session, entity_type="match_proposal", entity_id=str(again.id))
    # Declining it with the reason is still possible.
    matching.decide(
        session, actor=world.actors["partner_a"], proposal_id=again.id, accept=False, reason="Funded already."
    )
    assert again.status == "declined"


def test_a_proposal_larger_than_what_is_left_of_the_budget_is_refused(session: Session, world: World) -> None:
    programme_id = kenya_grant_programme(session, world)
    proposal = _proposed(session, world, programme_id, "900000")
    matching.decide(session, actor=world.actors["partner_a"], proposal_id=proposal.id, accept=True)
    programme = programmes.get_programme(session, actor=world.actors["admin"], programme_id=programme_id)
    programme.remaining_budget = Decimal("500000.5")  # spent since, by proposals of another round
    session.flush()
    # The figures are written as the pages write amounts: cents kept, both of them.
    with pytest.raises(InvalidTransition, match="500,000.50 USD left, less than the 900,000 USD"):
        matching.decide(session, actor=world.actors["focal_ken"], proposal_id=proposal.id, accept=True)
    assert proposal.status == "proposed" and proposal.activity_id is None
    assert _remaining(session, world, programme_id) == Decimal("500000.5")


def test_two_programmes_together_cannot_fund_a_need_beyond_its_cost(session: Session, world: World) -> None:
    first_programme = kenya_grant_programme(session, world)
    second_programme = published_grant_programme(
        session,
        world,
        title="Second cancer care fund",
        budget=Decimal("3000000"),
        need_keys=("published_ken",),
    )
    _accepted_by_both(session, world, _proposed(session, world, first_programme, "900000"))
    too_much = _proposed(session, world, second_programme, "400000")  # the need costs 1,200,000
    with pytest.raises(InvalidTransition, match="beyond its cost"):
        matching.decide(session, actor=world.actors["partner_a"], proposal_id=too_much.id, accept=True)
    rest = _proposed(session, world, second_programme, "300000")  # exactly what is left: co-funding
    _accepted_by_both(session, world, rest)
    assert rest.status == "accepted" and rest.activity_id is not None


def test_a_declined_pair_is_not_proposed_again_by_the_next_round(session: Session, world: World) -> None:
    programme_id = kenya_grant_programme(session, world)
    first = facilitator_round(session, world, programme_id, title="First round", cap_share=1.0)
    proposals = matching.proposals_for(session, actor=world.actors["facilitator"], round_id=first.id)
    declined = next(p for p in proposals if p.need_id == world.needs["published_ken"])
    matching.decide(
        session,
        actor=world.actors["focal_ken"],
        proposal_id=declined.id,
        accept=False,
        reason="The hospital has other funding.",
    )
    second = facilitator_round(session, world, programme_id, title="Second round", cap_share=1.0)
    again = matching.proposals_for(session, actor=world.actors["facilitator"], round_id=second.id)
    assert all(p.need_id != declined.need_id for p in again)
    assert second.parameters["declined_pairs_left_out"] == 1
    # The first round's other proposals are still open: not proposed again either.
    assert second.parameters["proposed_pairs_left_out"] == len(proposals) - 1


def test_the_partner_is_told_why_on_the_round_page_action(
    client: TestClient, session: Session, world: World
) -> None:
    programme_id = kenya_grant_programme(session, world)
    first = _proposed(session, world, programme_id, "300000")
    again = _proposed(session, world, programme_id, "300000")
    _accepted_by_both(session, world, first)
    sign_in(client, world.emails["partner_a"])
    answer = client.post(
        f"/proposals/{again.id}/decision",
        data={"decision": "accept", "side": "donor", "csrf_token": csrf_token(client, "/matching")},
        follow_redirects=False,
    )
    assert answer.status_code == 409
    assert "already funds this need" in answer.text


def test_the_round_page_says_how_many_declined_pairs_were_left_out(
    client: TestClient, session: Session, world: World
) -> None:
    programme_id = kenya_grant_programme(session, world)
    first = facilitator_round(session, world, programme_id, title="First round", cap_share=1.0)
    proposal = matching.proposals_for(session, actor=world.actors["facilitator"], round_id=first.id)[0]
    matching.decide(
        session,
        actor=world.actors["partner_a"],
        proposal_id=proposal.id,
        accept=False,
        reason="Not this year.",
    )
    second = facilitator_round(session, world, programme_id, title="Second round", cap_share=1.0)
    sign_in(client, world.emails["facilitator"])
    page = client.get(f"/matching/rounds/{second.id}")
    assert page.status_code == 200
    assert (
        "1 pair of a need and a programme declined in an earlier proposal was not proposed again."
        in page.text
    )
