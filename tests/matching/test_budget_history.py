"""What an accepted proposal takes from a programme's remaining budget is in the programme's history, before
and after (the budget fell from 800,000 to 720,000 with no audit record and nothing on the programme's
page to say why)."""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.audit import service as audit
from pux.matching import service as matching
from pux.matching.models import MatchProposal
from tests.web_helpers import sign_in
from tests.world import World, kenya_grant_programme


def _concluded(session: Session, world: World, programme_id: int, amount: str) -> MatchProposal:
    proposal = MatchProposal(
        need_id=world.needs["published_ken"],
        programme_id=programme_id,
        amount=Decimal(amount),
        fit=0.8,
        explanation="[]",
    )
    session.add(proposal)
    session.flush()
    for side in ("partner_a", "focal_ken"):
        matching.decide(session, actor=world.actors[side], proposal_id=proposal.id, accept=True)
    assert proposal.status == "accepted"
    return proposal


def test_an_accepted_proposal_lowers_the_budget_in_the_programmes_history(
    session: Session, world: World
) -> None:
    programme_id = kenya_grant_programme(session, world)  # 3,000,000 remaining
    proposal = _concluded(session, world, programme_id, "80000")
    events = audit.history(session, entity_type="programme", entity_id=str(programme_id))
    budget = [e for e in events if (e.after or {}).get("remaining_budget") == "2920000.00"]
    assert len(budget) == 1
    assert budget[0].before == {"remaining_budget": "3000000.00"}
    assert budget[0].actor == f"matching:proposal:{proposal.id}"


def test_the_programme_page_shows_what_the_proposal_took(
    client: TestClient, session: Session, world: World
) -> None:
    programme_id = kenya_grant_programme(session, world)
    _concluded(session, world, programme_id, "80000")
    sign_in(client, world.emails["partner_a"])
    page = client.get(f"/programmes/{programme_id}")
    rows = page.text.split('id="history-heading"', 1)[1].split("<tr>")
    taken = [row for row in rows if "Remaining capacity" in row]
    assert len(taken) == 1 and ">Matching<" in taken[0]  # done by the matching, not by a person
