"""A proposal's "Why" as the API gives it: in the words the pages use, in the reader's language (it said
"eligible: income group LMC; technique radiotherapy matches"), and with every reason the recommendation of
the same pair gives (the language and maximum-per-need reasons were left out of proposals)."""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.i18n import language_context
from pux.matching import service as matching
from pux.matching.models import MatchProposal
from pux.needs import service as needs
from tests.web_helpers import bearer
from tests.world import World, facilitator_round, published_programme


def _kenyan_proposal(session: Session, world: World) -> MatchProposal:
    """A round's proposal of a programme for lower-middle-income countries, working in French only, giving
    at most 1,000,000 per need, to the Kenyan need costed 1,200,000."""
    need = needs.get_need(session, actor=world.actors["admin"], need_id=world.needs["published_ken"])
    need.modalities_wanted = ["equipment", "funding"]
    session.flush()
    programme_id = published_programme(
        session,
        world,
        title="Francophone radiotherapy grants",
        eligible_income_groups=["LMC"],
        working_languages=["fr"],
        total_budget=Decimal("3000000"),
        remaining_budget=Decimal("3000000"),
        max_per_need=Decimal("1000000"),
    )
    round_record = facilitator_round(session, world, programme_id, title="Explained round", cap_share=1.0)
    proposals = matching.proposals_for(session, actor=world.actors["facilitator"], round_id=round_record.id)
    return next(p for p in proposals if p.need_id == need.id)


def test_a_proposal_gives_the_reasons_its_recommendation_gives(session: Session, world: World) -> None:
    proposal = _kenyan_proposal(session, world)
    why = matching.proposal_explanation(proposal, matching.code_labeller(session))
    assert "no shared working language" in why
    assert "cost above the programme's maximum per need" in why


def test_the_api_explains_a_proposal_in_the_pages_words_and_the_readers_language(
    client: TestClient, session: Session, world: World
) -> None:
    proposal = _kenyan_proposal(session, world)
    answer = client.post(
        f"/api/v1/proposals/{proposal.id}/decision",
        json={"decision": "accept"},
        headers={**bearer(world.tokens["partner_a"]), "Accept-Language": "fr"},
    )
    assert answer.status_code == 200, answer.text
    explanation = answer.json()["explanation"]
    with language_context("fr"):
        shown_on_pages = matching.proposal_explanation(proposal, matching.code_labeller(session))
    assert explanation == shown_on_pages
    assert "LMC" not in explanation and "radiotherapy" not in explanation
    assert "aucune langue de travail commune" in explanation
