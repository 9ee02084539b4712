"""Refusals on the dialogue pages: each problem is shown where the reader can act on it, and the error
summary's links all lead to something on the page."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.dialogues import service as dialogues
from pux.dialogues.schemas import ParticipantFields
from tests.web.accessibility import accessibility_problems
from tests.web_helpers import csrf_token, sign_in
from tests.world import World, event_data


def _post(client: TestClient, page: str, action: str, data: dict[str, str]) -> str:
    answer = client.post(action, data={**data, "csrf_token": csrf_token(client, page)})
    assert answer.status_code == 422, (answer.status_code, answer.text[:400])
    return answer.text


def test_a_full_event_refuses_one_more_person_as_the_forms_problem(
    client: TestClient, session: Session, world: World
) -> None:
    facilitator = world.actors["facilitator"]
    event = dialogues.create_event(session, actor=facilitator, data=event_data(capacity=1))
    dialogues.add_participant(
        session,
        actor=facilitator,
        event_id=event.id,
        data=ParticipantFields(full_name="First Person", email="first@test.pux.invalid"),
    )
    sign_in(client, world.emails["facilitator"])
    page = f"/events/{event.id}/participants"
    text = _post(client, page, page, {"full_name": "Second Person", "email": "second@test.pux.invalid"})
    assert "the event is full" in text
    assert accessibility_problems(text) == []  # no link to a capacity box the form does not have


def test_an_unknown_area_in_a_recommendation_is_shown_beside_its_list(
    client: TestClient, session: Session, world: World
) -> None:
    """A recommendation names one thematic area (the list thematic_area_code): a code nobody knows is
    refused there, not under the outcome's boxes of areas."""
    facilitator = world.actors["facilitator"]
    event = dialogues.create_event(session, actor=facilitator, data=event_data(days_ahead=-5))
    sign_in(client, world.emails["facilitator"])
    page = f"/events/{event.id}/outcomes"
    text = _post(
        client,
        page,
        f"/events/{event.id}/recommendations",
        {"text": "Train the physicists of the region", "thematic_area_code": "alchemy"},
    )
    assert 'href="#f-rec-thematic_area_code"' in text and "unknown thematic area" in text
    assert accessibility_problems(text) == []


def test_enter_in_the_outcome_form_saves_rather_than_asks_for_suggestions(
    client: TestClient, session: Session, world: World
) -> None:
    """A browser sends a form with its first submit button when Enter is pressed in it: that was "Suggest
    SDGs from the text", so Enter on a box of the outcome form asked for suggestions and saved nothing."""
    event = dialogues.create_event(session, actor=world.actors["facilitator"], data=event_data(days_ahead=-5))
    sign_in(client, world.emails["facilitator"])
    text = client.get(f"/events/{event.id}/outcomes").text
    form = text.split(f'action="/events/{event.id}/outcome"', 1)[1].split("</form>", 1)[0]
    first = re.search(r"<button type=\"submit\"[^>]*>", form)
    assert first is not None and "name=" not in first.group(0), first
    assert 'tabindex="-1"' in first.group(0) and 'aria-hidden="true"' in first.group(0)
