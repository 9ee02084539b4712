"""Matching on the real database: rounds, two-sided decisions, recommendations and coordination warnings."""

from __future__ import annotations

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.accounts.permissions import PermissionDenied
from pux.audit import service as audit
from pux.errors import InvalidTransition, NotFound, ValidationFailed
from pux.i18n import language_context
from pux.matching import service as matching
from pux.matching.allocation import RoundRules
from pux.matching.models import MatchProposal
from pux.needs import service as needs
from pux.programmes import service as programmes
from pux.web.middleware import LANGUAGE_COOKIE
from tests.web_helpers import bearer, sign_in
from tests.world import ROLES, World, facilitator_round, kenya_grant_programme


def test_a_round_proposes_within_budget_and_country_cap(session: Session, world: World) -> None:
    programme_id = kenya_grant_programme(session, world)
    with pytest.raises(PermissionDenied):
        matching.run_round(session, actor=world.actors["partner_a"], title="x", rules=RoundRules())
    record = facilitator_round(session, world, programme_id, title="Test round", cap_share=0.5)
    proposals = matching.proposals_for(session, actor=world.actors["facilitator"], round_id=record.id)
    assert proposals and all(p.programme_id == programme_id for p in proposals)
    assert sum(p.amount for p in proposals) <= Decimal("1500000")  # half of the round's 3,000,000
    assert all(p.amount <= p.need.estimated_cost for p in proposals)  # type: ignore[operator]
    assert record.objective >= record.greedy_objective - 1e-9 and record.gap <= 1e-3
    assert all("technique radiotherapy matches" in matching.proposal_explanation(p) for p in proposals)
    # The reasons are stored without a language: a French reader reads them in French.
    with language_context("fr"):
        in_french = matching.proposal_explanation(proposals[0])
    assert "radiotherapy" in in_french and "technique radiotherapy matches" not in in_french
    assert in_french.startswith("admissible") and "correspondance de technique\xa0: radiotherapy" in in_french
    assert audit.history(session, entity_type="allocation_round", entity_id=str(record.id))


def _proposal(session: Session, world: World) -> MatchProposal:
    programme_id = kenya_grant_programme(session, world)
    proposal = MatchProposal(
        need_id=world.needs["published_ken"],
        programme_id=programme_id,
        amount=Decimal("900000"),
        fit=0.8,
        explanation="test",
    )
    session.add(proposal)
    session.flush()
    return proposal


def test_both_sides_accept_and_the_need_is_matched_with_a_planned_activity(
    session: Session, world: World
) -> None:
    proposal = _proposal(session, world)
    with pytest.raises(NotFound, match="No such proposal"):  # not a party: as for a missing proposal
        matching.decide(session, actor=world.actors["focal_uga"], proposal_id=proposal.id, accept=True)
    matching.decide(session, actor=world.actors["partner_a"], proposal_id=proposal.id, accept=True)
    assert proposal.status == "proposed" and proposal.donor_decision == "accepted"
    matching.decide(session, actor=world.actors["focal_ken"], proposal_id=proposal.id, accept=True)
    assert proposal.status == "accepted" and proposal.activity_id is not None
    need = needs.get_need(session, actor=world.actors["admin"], need_id=world.needs["published_ken"])
    assert need.status == "matched"
    programme = programmes.get_programme(
        session, actor=world.actors["admin"], programme_id=proposal.programme_id
    )
    assert programme.remaining_budget == Decimal("2100000")
    warnings = matching.warnings_for_need(session, actor=world.actors["focal_ken"], need_id=need.id)
    assert any(w.kind == "funded" for w in warnings)
    with pytest.raises(InvalidTransition):
        matching.decide(session, actor=world.actors["partner_a"], proposal_id=proposal.id, accept=False)
    actions = [
        e.action for e in audit.history(session, entity_type="match_proposal", entity_id=str(proposal.id))
    ]
    assert actions == ["proposal.donor.accepted", "proposal.country.accepted"]


def test_a_decline_by_either_side_ends_the_proposal(session: Session, world: World) -> None:
    proposal = _proposal(session, world)
    with pytest.raises(ValidationFailed):  # a decline says why
        matching.decide(session, actor=world.actors["focal_ken"], proposal_id=proposal.id, accept=False)
    matching.decide(
        session,
        actor=world.actors["focal_ken"],
        proposal_id=proposal.id,
        accept=False,
        reason="The hospital has found other funding.",
    )
    assert proposal.status == "declined"
    assert proposal.decline_reason == "The hospital has found other funding."
    need = needs.get_need(session, actor=world.actors["admin"], need_id=world.needs["published_ken"])
    assert need.status == "published"


def test_recommendations_through_the_api_respect_visibility(
    client: TestClient, session: Session, world: World
) -> None:
    programme_id = kenya_grant_programme(session, world)
    public = client.get(f"/api/v1/programmes/{programme_id}/recommendations").json()
    public_ids = {item["id"] for item in public}
    assert world.needs["published_ken"] in public_ids
    assert world.needs["private_ken"] not in public_ids and world.needs["partners_ken"] not in public_ids
    partner = client.get(
        f"/api/v1/programmes/{programme_id}/recommendations", headers=bearer(world.tokens["partner_a"])
    ).json()
    partner_ids = {item["id"] for item in partner}
    assert {world.needs["partners_ken"], world.needs["published_ken"]} <= partner_ids
    assert world.needs["private_ken"] not in partner_ids and world.needs["draft_ken"] not in partner_ids
    assert partner and all(item["reasons"] and 0 < item["fit"] <= 1 for item in partner)
    assert [item["fit"] for item in partner] == sorted((item["fit"] for item in partner), reverse=True)
    for_need = client.get(f"/api/v1/needs/{world.needs['published_ken']}/recommendations").json()
    mine = next(item for item in for_need if item["id"] == programme_id)
    # The reasons name what actually matches between this need and this programme.
    assert "technique External beam radiotherapy matches" in mine["reasons"]
    assert "eligible: no restriction applies" in mine["reasons"]
    assert mine["components"] and 0 < mine["fit"] <= 1


def test_the_round_page_names_the_method_and_binding_rules_in_the_reader_s_language(
    client: TestClient, session: Session, world: World
) -> None:
    programme_id = kenya_grant_programme(session, world)
    # Kenya's needs alone are eligible: its cap binds.
    record = facilitator_round(session, world, programme_id, title="Round for the page", cap_share=0.1)
    sign_in(client, world.emails["facilitator"])
    client.cookies.set(LANGUAGE_COOKIE, "fr")
    page = client.get(f"/matching/rounds/{record.id}").text
    assert record.method == "min-cost flow (exact)"
    assert "flot à coût minimal (exact)" in page and "min-cost flow" not in page
    assert record.binding and "budget:" not in page and "country_cap:" not in page
    assert any(label in page for label in ("budget du programme", "plafond par pays de"))


def test_recommendations_follow_a_need_that_leaves_the_market(
    client: TestClient, session: Session, world: World
) -> None:
    """Recommendations are kept between changes: a need withdrawn after they were computed is gone from
    them at once, even for a reader who may still see it."""
    programme_id = kenya_grant_programme(session, world)
    route = f"/api/v1/programmes/{programme_id}/recommendations"
    facilitator = bearer(world.tokens["facilitator"])
    before = {item["id"] for item in client.get(route, headers=facilitator).json()}
    assert world.needs["published_ken"] in before
    assert {item["id"] for item in client.get(route, headers=facilitator).json()} == before  # kept
    need = needs.get_need(session, actor=world.actors["admin"], need_id=world.needs["published_ken"])
    needs.transition_need(
        session, actor=world.actors["focal_ken"], need_id=need.id, target="withdrawn", version=need.version
    )
    after = {item["id"] for item in client.get(route, headers=facilitator).json()}
    assert world.needs["published_ken"] not in after
    assert after == before - {world.needs["published_ken"]}


def test_a_needs_recommendations_follow_a_programme_published_after_they_were_computed(
    session: Session, world: World
) -> None:
    """The programmes' side of a need's recommendations is kept between changes: a programme published
    after it was computed is among them at once, with its reasons."""
    need_id, reader = world.needs["published_ken"], world.actors["facilitator"]
    before = matching.programmes_for_need(session, actor=reader, need_id=need_id)
    programme_id = kenya_grant_programme(session, world)
    assert programme_id not in {suggestion.programme.id for suggestion in before}
    after = matching.programmes_for_need(session, actor=reader, need_id=need_id)
    added = next(suggestion for suggestion in after if suggestion.programme.id == programme_id)
    assert any("radiotherapy" in reason for reason in added.reasons)
    other = matching.programmes_for_need(session, actor=reader, need_id=world.needs["partners_ken"])
    assert programme_id in {suggestion.programme.id for suggestion in other}


def test_the_matching_page_lists_the_open_proposals_each_person_may_see(
    session: Session, world: World
) -> None:
    programme_id = kenya_grant_programme(session, world)
    record = facilitator_round(session, world, programme_id, title="Open proposals", cap_share=0.5)
    first = matching.proposals_for(session, actor=world.actors["facilitator"], round_id=record.id)[0]
    matching.decide(
        session, actor=world.actors["partner_a"], proposal_id=first.id, accept=False, reason="Budget spent"
    )
    for role in ROLES:
        actor = world.actors[role]
        expected = [p.id for p in matching.proposals_for(session, actor=actor) if p.status == "proposed"]
        assert [p.id for p in matching.open_proposals_for(session, actor=actor)] == expected[:200], role
    assert matching.open_proposals_for(session, actor=world.actors["partner_a"]) != []
    assert first.id not in [p.id for p in matching.open_proposals_for(session, actor=world.actors["admin"])]


def test_a_round_with_many_proposals_is_shown_a_page_at_a_time(
    client: TestClient, session: Session, world: World
) -> None:
    # A round at the mission's scale proposes thousands of awards: its page shows twenty at a time.
    programme_id = kenya_grant_programme(session, world)
    record = facilitator_round(session, world, programme_id, title="Many proposals", cap_share=1.0)
    first = matching.proposals_for(session, actor=world.actors["facilitator"], round_id=record.id)[0]
    session.add_all(
        MatchProposal(
            round_id=record.id, need_id=first.need_id, programme_id=first.programme_id, amount=Decimal(i + 1),
            fit=first.fit, explanation=first.explanation,
        )
        for i in range(30)
    )  # fmt: skip
    session.flush()
    total = len(matching.proposals_for(session, actor=world.actors["facilitator"], round_id=record.id))
    sign_in(client, world.emails["facilitator"])
    pages = [client.get(f"/matching/rounds/{record.id}", params={"page": n}).text for n in (1, 2)]
    forms = [page.count('class="decision-form"') for page in pages]
    assert f"1–20 of {total}" in pages[0] and 'rel="next"' in pages[0] and 'rel="prev"' in pages[1]
    assert sum(page.count("<tr><td data-label") for page in pages) == total > 20
    assert forms[0] >= 20 and forms[1] >= total - 20


def test_a_round_over_every_programme_reads_the_needs_as_they_are_now(session: Session, world: World) -> None:
    """A round over every programme reads the needs kept per data version (as recommendations do): a need
    withdrawn since the last round, in the same process, is not proposed again."""
    kenya_grant_programme(session, world)
    facilitator = world.actors["facilitator"]
    first = matching.run_round(session, actor=facilitator, title="Every programme", rules=RoundRules(1.0))
    proposals = matching.proposals_for(session, actor=facilitator, round_id=first.id)
    assert world.needs["published_ken"] in {p.need_id for p in proposals}
    need = needs.get_need(session, actor=facilitator, need_id=world.needs["published_ken"])
    needs.transition_need(
        session, actor=world.actors["focal_ken"], need_id=need.id, target="withdrawn", version=need.version
    )
    again = matching.run_round(
        session, actor=facilitator, title="Every programme again", rules=RoundRules(1.0)
    )
    # The first round's open pairs are left out of the second; the withdrawn need's pair is not even read.
    assert not matching.proposals_for(session, actor=facilitator, round_id=again.id)
    still_open = [p for p in proposals if p.need_id != need.id]
    assert again.parameters["proposed_pairs_left_out"] == len(still_open)
