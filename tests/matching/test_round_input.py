"""What a facilitator or a partner writes into a round, a decision or a token that cannot be used is refused
beside its field and nothing is queued or saved (an unknown programme made an empty round, a cap of 0 %
became 25 %, an id past the keys answered 500, a NUL or an invisible-only reason was stored)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.accounts.models import ApiToken
from pux.jobs.models import Job
from pux.matching import service as matching
from pux.matching.models import AllocationRound
from tests.web.test_forms import count, post_form
from tests.web_helpers import bearer, sign_in
from tests.world import World, facilitator_round, kenya_grant_programme


def _problems(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.text
    return {problem["field"]: problem["message"] for problem in response.json()["problems"]}


@pytest.mark.parametrize("route", ["/api/v1/matching/rounds", "/api/v1/matching/round-jobs"])
@pytest.mark.parametrize("ids", [[-1], [99_999], [99999999999999999999]])
def test_a_round_over_programmes_that_are_not_open_to_matching_is_refused(
    client: TestClient, session: Session, world: World, route: str, ids: list[int]
) -> None:
    rounds, jobs = count(session, AllocationRound), count(session, Job)
    response = client.post(
        route,
        json={"title": "Named programmes", "programme_ids": ids},
        headers=bearer(world.tokens["facilitator"]),
    )
    assert [field.split(".")[0] for field in _problems(response)] == ["programme_ids"]
    assert (count(session, AllocationRound), count(session, Job)) == (rounds, jobs)


def test_a_round_named_a_draft_programme_is_refused_naming_it(
    client: TestClient, session: Session, world: World
) -> None:
    draft = world.programmes["draft_a"]
    response = client.post(
        "/api/v1/matching/rounds",
        json={"title": "Named programmes", "programme_ids": [draft]},
        headers=bearer(world.tokens["facilitator"]),
    )
    assert str(draft) in _problems(response)["programme_ids"]


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"country_cap_percent": "0"}, "country_cap_percent"),
        ({"title": "a\x00b"}, "title"),
        ({"title": "x" * 201}, "title"),
    ],
)
def test_the_round_form_refuses_a_cap_of_nothing_and_a_title_that_cannot_be_stored(
    client: TestClient, session: Session, world: World, form: dict[str, str], field: str
) -> None:
    sign_in(client, world.emails["facilitator"])
    jobs = count(session, Job)
    response = post_form(client, "/matching/rounds", {"title": "Round", **form}, "/matching")
    assert response.status_code == 422
    assert f'href="#f-{field}"' in response.text
    assert count(session, Job) == jobs


@pytest.mark.parametrize("reason", ["a\x00b", "\u200b\u200b", "   "])
def test_a_decline_needs_a_reason_that_can_be_read(
    client: TestClient, session: Session, world: World, reason: str
) -> None:
    round_record = facilitator_round(
        session, world, kenya_grant_programme(session, world), title="Declines", cap_share=1.0
    )
    proposal = matching.proposals_for(session, actor=world.actors["partner_a"], round_id=round_record.id)[0]
    response = client.post(
        f"/api/v1/proposals/{proposal.id}/decision",
        json={"decision": "decline", "reason": reason},
        headers=bearer(world.tokens["partner_a"]),
    )
    assert "reason" in _problems(response)
    session.refresh(proposal)
    assert proposal.donor_decision is None and proposal.decline_reason is None


def test_a_token_name_that_cannot_be_stored_is_refused_and_no_token_made(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.emails["expert"])
    tokens = count(session, ApiToken)
    for name in ("a\x00b", "n" * 101):
        response = post_form(client, "/account/tokens", {"name": name}, "/account")
        assert response.status_code == 422, name
    assert count(session, ApiToken) == tokens
    made = post_form(client, "/account/tokens", {"name": "  Reports \u200b "}, "/account")
    assert made.status_code == 200 and "Reports" in made.text
    assert count(session, ApiToken) == tokens + 1


def test_a_mark_of_interest_with_a_note_that_cannot_be_stored_is_refused(
    client: TestClient, world: World
) -> None:
    response = client.post(
        f"/api/v1/needs/{world.needs['published_ken']}/interest",
        json={"note": "a\x00b"},
        headers=bearer(world.tokens["partner_a"]),
    )
    assert "note" in _problems(response)
