"""A recommendation made at an event the reader may not see answers exactly like a missing one, whether
the concept-note form they send is complete or not."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.dialogues import service as dialogues
from pux.dialogues.schemas import RecommendationFields
from tests.dialogues.test_api import create_event
from tests.web_helpers import csrf_token, sign_in
from tests.world import World

MISSING = 99999
COMPLETE = {"title": "Isotope hydrology survey", "thematic_area_code": "water", "country_iso3": "UGA"}


def _recommendation_of_closed_event(client: TestClient, session: Session, world: World) -> int:
    event = create_event(client, world, is_public=False, focus_country_codes=["UGA"])
    recommendation = dialogues.add_recommendation(
        session,
        actor=world.actors["facilitator"],
        event_id=event["id"],
        data=RecommendationFields(text="Survey the aquifers of the Albertine rift", country_iso3="UGA"),
    )
    session.flush()
    return recommendation.id


def _main(html: str) -> str:
    """The page's message, without what differs by nature (the address and the form's token)."""
    match = re.search(r"<main.*?</main>", html, re.S)
    return match.group(0) if match else html


@pytest.mark.parametrize("form", [COMPLETE, {"title": "x"}], ids=["complete", "refused"])
def test_a_hidden_recommendation_answers_like_a_missing_one(
    client: TestClient, session: Session, world: World, form: dict[str, str]
) -> None:
    hidden = _recommendation_of_closed_event(client, session, world)
    sign_in(client, world.emails["partner_a"])
    token = csrf_token(client, "/me")

    def send(number: int) -> tuple[int, str]:
        answer = client.post(f"/recommendations/{number}/concept-notes", data={**form, "csrf_token": token})
        return answer.status_code, _main(answer.text)

    assert send(hidden) == send(MISSING)
    assert send(hidden)[0] == 404 and "event" not in send(hidden)[1].lower()
