"""A round proposes no pair of a need and a programme that an earlier proposal still stands for (open, or
accepted), and says how many it left out: each round proposed again every pair still open, and a
programme officer had the same two proposals from six rounds to decline one by one."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.matching import service as matching
from pux.needs import service as needs
from tests.web_helpers import bearer
from tests.world import World, facilitator_round, kenya_grant_programme, need_data


def _pairs(session: Session, world: World, round_id: int) -> set[tuple[int, int]]:
    proposals = matching.proposals_for(session, actor=world.actors["facilitator"], round_id=round_id)
    return {(p.need_id, p.programme_id) for p in proposals}


def _published_need(session: Session, world: World, title: str) -> int:
    focal = world.actors["focal_ken"]
    need = needs.create_need(
        session, actor=focal, data=need_data(title=title, modalities_wanted=["equipment", "funding"])
    )
    for target in ("submitted", "endorsed", "published"):
        need = needs.transition_need(
            session, actor=focal, need_id=need.id, target=target, version=need.version
        )
    return need.id


def test_a_new_round_leaves_out_the_pairs_already_proposed(session: Session, world: World) -> None:
    programme_id = kenya_grant_programme(session, world)
    first = facilitator_round(session, world, programme_id, title="First round", cap_share=1.0)
    proposed = _pairs(session, world, first.id)
    assert len(proposed) >= 2
    accepted = next(
        p for p in matching.proposals_for(session, actor=world.actors["facilitator"], round_id=first.id)
    )
    for side in ("partner_a", "focal_ken"):
        matching.decide(session, actor=world.actors[side], proposal_id=accepted.id, accept=True)
    assert accepted.status == "accepted"  # one accepted, the others still open
    new_need = _published_need(session, world, "Published later: a second bunker for the cobalt unit")
    second = facilitator_round(session, world, programme_id, title="Second round", cap_share=1.0)
    assert _pairs(session, world, second.id) == {(new_need, programme_id)}
    # The accepted proposal's need is matched now, out of every round: the open ones were left out.
    assert second.parameters["proposed_pairs_left_out"] == len(proposed) - 1


def test_the_round_says_how_many_pairs_were_proposed_already(
    client: TestClient, session: Session, world: World
) -> None:
    programme_id = kenya_grant_programme(session, world)
    first = facilitator_round(session, world, programme_id, title="First round", cap_share=1.0)
    proposed = len(_pairs(session, world, first.id))
    answer = client.post(
        "/api/v1/matching/rounds",
        json={"title": "Second round", "country_cap_share": 1.0, "programme_ids": [programme_id]},
        headers=bearer(world.tokens["facilitator"]),
    )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["proposals"] == [] and body["proposed_pairs_left_out"] == proposed
    assert body["declined_pairs_left_out"] == 0
