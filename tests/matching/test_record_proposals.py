"""A programme's page and a need's page list their proposals and what became of them. (The programme's
officer could not see on its page which needs it had been proposed for, which were accepted and the
activity they became, nor a focal point on their need's page that it had been proposed and accepted: only
the round's page and the matching page said so.)"""

from __future__ import annotations

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from pux.accounts.permissions import proposal_deciders
from pux.matching import repository
from pux.matching import service as matching
from pux.matching.models import MatchProposal
from pux.needs import service as needs
from tests.web_helpers import sign_in
from tests.world import World, facilitator_round, kenya_grant_programme

SECTION = 'id="proposals-heading"'


def _round_proposals(session: Session, world: World) -> tuple[int, dict[str, MatchProposal]]:
    """The Kenya grant programme and its round's proposals for Kenya's public and partners' needs."""
    programme_id = kenya_grant_programme(session, world)
    round_record = facilitator_round(session, world, programme_id, title="Kenya round", cap_share=1.0)
    proposals = matching.proposals_for(session, actor=world.actors["facilitator"], round_id=round_record.id)
    by_need = {p.need_id: p for p in proposals}
    return programme_id, {key: by_need[world.needs[key]] for key in ("published_ken", "partners_ken")}


def _accepted(session: Session, world: World, proposal: MatchProposal) -> MatchProposal:
    for role in ("partner_a", "focal_ken"):
        matching.decide(session, actor=world.actors[role], proposal_id=proposal.id, accept=True)
    assert proposal.activity_id is not None
    return proposal


def _need_reference(session: Session, world: World, key: str) -> str:
    return needs.get_need(session, actor=world.actors["admin"], need_id=world.needs[key]).reference


def test_the_programme_page_shows_its_partner_the_accepted_proposal_and_the_activity_it_became(
    client: TestClient, session: Session, world: World
) -> None:
    programme_id, proposals = _round_proposals(session, world)
    accepted = _accepted(session, world, proposals["published_ken"])
    matching.decide(
        session,
        actor=world.actors["focal_ken"],
        proposal_id=proposals["partners_ken"].id,
        accept=False,
        reason="Funded by the ministry already",
    )
    sign_in(client, world.emails["partner_a"])

    page = client.get(f"/programmes/{programme_id}").text

    assert SECTION in page
    reference = _need_reference(session, world, "published_ken")
    assert f'<a href="/needs/{accepted.need_id}">{reference}</a>' in page
    assert f'<a href="/activities/{accepted.activity_id}">activity {accepted.activity_id}</a>' in page
    assert f'<a href="/matching/rounds/{accepted.round_id}" dir="auto">Kenya round</a>' in page
    assert "Funded by the ministry already" in page  # the declined one, with its reason


def test_the_need_page_shows_its_focal_point_the_proposal_and_where_to_decide_it(
    client: TestClient, session: Session, world: World
) -> None:
    programme_id, proposals = _round_proposals(session, world)
    proposal = proposals["published_ken"]
    sign_in(client, world.emails["focal_ken"])

    page = client.get(f"/needs/{proposal.need_id}").text

    assert SECTION in page
    title = "Cancer care grants for Eastern Africa"
    assert f'<a href="/programmes/{programme_id}" dir="auto">{title}</a>' in page
    assert f"/matching/rounds/{proposal.round_id}\">Decide on the round's page</a>" in page
    assert '<form method="post" action="/proposals/' not in page  # decided on the round's page only


@pytest.mark.parametrize("role", ["public", "officer_b", "focal_uga"])
def test_readers_who_decide_none_of_them_see_no_proposal(
    client: TestClient, session: Session, world: World, role: str
) -> None:
    programme_id, proposals = _round_proposals(session, world)
    _accepted(session, world, proposals["published_ken"])
    if role != "public":
        sign_in(client, world.emails[role])

    programme_page = client.get(f"/programmes/{programme_id}").text
    need_page = client.get(f"/needs/{world.needs['published_ken']}").text

    for page in (programme_page, need_page):
        assert SECTION not in page
        assert f"/matching/rounds/{proposals['published_ken'].round_id}" not in page


def test_a_need_made_private_since_the_round_leaves_the_programme_page(
    client: TestClient, session: Session, world: World
) -> None:
    programme_id, proposals = _round_proposals(session, world)
    hidden = needs.get_need(session, actor=world.actors["admin"], need_id=world.needs["partners_ken"])
    hidden.visibility = "private"
    session.flush()
    sign_in(client, world.emails["partner_a"])

    page = client.get(f"/programmes/{programme_id}").text

    assert f'<a href="/needs/{proposals["published_ken"].need_id}">' in page
    assert f'href="/needs/{hidden.id}"' not in page
    assert hidden.reference not in page


def test_past_fifty_the_page_lists_the_newest_and_says_how_many_there_are(
    client: TestClient, session: Session, world: World
) -> None:
    programme_id = kenya_grant_programme(session, world)
    session.add_all(
        MatchProposal(
            need_id=world.needs["published_ken"],
            programme_id=programme_id,
            amount=Decimal(1000 + number),
            fit=0.5,
            explanation="[]",
            status="declined",
        )
        for number in range(51)
    )
    session.flush()
    sign_in(client, world.emails["facilitator"])

    page = client.get(f"/programmes/{programme_id}").text

    assert "The 50 newest of 51." in page
    assert "1,050 USD" in page  # the newest
    assert "1,000 USD" not in page  # the oldest, past the fifty


def test_the_link_to_decide_opens_the_page_of_the_round_that_lists_the_proposal(
    client: TestClient, session: Session, world: World
) -> None:
    programme_id, proposals = _round_proposals(session, world)
    round_id = proposals["published_ken"].round_id
    later = [
        MatchProposal(
            round_id=round_id,
            need_id=world.needs["published_ken"],
            programme_id=programme_id,
            amount=Decimal(5000 + number),
            fit=0.5,
            explanation="[]",
        )
        for number in range(20)
    ]
    session.add_all(later)
    session.flush()  # the round now lists 22 proposals for partner_a: 20 a page, the last on the second
    sign_in(client, world.emails["partner_a"])

    page = client.get(f"/programmes/{programme_id}").text

    listed = matching.proposals_of_programme(
        session, actor=world.actors["partner_a"], programme_id=programme_id
    )
    assert listed.decide_on_page[later[-1].id] == 2
    assert listed.decide_on_page[proposals["published_ken"].id] == 1
    assert f'href="/matching/rounds/{round_id}?page=2"' in page
    assert (
        client.get(f"/matching/rounds/{round_id}?page=2").text.count(f"/proposals/{later[-1].id}/decision")
        == 1
    )


def test_the_list_is_read_in_one_query_with_each_proposal_s_need_programme_and_round(
    session: Session, world: World
) -> None:
    programme_id, _proposals = _round_proposals(session, world)
    session.expire_all()
    statements: list[str] = []

    def counted(*arguments: object) -> None:
        statements.append(str(arguments[2]))

    connection = session.connection()
    event.listen(connection, "before_cursor_execute", counted)
    try:
        deciders = proposal_deciders(world.actors["partner_a"])
        shown, total = repository.newest_proposals_of(session, deciders, programme_id=programme_id)
        shown_as_listed = [
            (p.need.reference, p.need.title, p.programme.title, p.programme.organisation.name, p.round)
            for p in shown
        ]
    finally:
        event.remove(connection, "before_cursor_execute", counted)

    assert total == len(shown_as_listed) == 2
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
