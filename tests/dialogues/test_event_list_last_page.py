"""A page number past the end of the events list shows the last page, as every other list does, also when
the list is filtered by thematic area or country (those filters are applied after the query): an old link
or a list that shrank gave an empty page with nothing to follow."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.dialogues import service as dialogues
from tests.dialogues.test_api import API, as_
from tests.world import World, event_data

WORD = "Lastpagequux"  # in every title here, to list these events alone


def _three_health_events(session: Session, world: World) -> list[str]:
    titles = [f"{WORD} workshop {number}" for number in (1, 2, 3)]
    for days_ahead, title in enumerate(titles, start=10):
        data = event_data(days_ahead=days_ahead, title=title, thematic_area_codes=["health"])
        dialogues.create_event(session, actor=world.actors["facilitator"], data=data)
    return titles


def test_the_api_answers_a_page_past_the_end_with_the_last_page(
    client: TestClient, session: Session, world: World
) -> None:
    titles = _three_health_events(session, world)
    query = {"q": WORD, "area": "health", "page_size": 2}

    last = client.get(f"{API}/events", params={**query, "page": 2}, headers=as_(world, "facilitator")).json()
    beyond = client.get(f"{API}/events", params={**query, "page": 50}, headers=as_(world, "facilitator"))

    assert beyond.status_code == 200
    assert beyond.json() == last
    assert (last["total"], last["page"], len(last["items"])) == (3, 2, 1)
    assert last["items"][0]["title"] in titles


def test_the_page_past_the_end_lists_the_last_events(
    client: TestClient, session: Session, world: World
) -> None:
    titles = _three_health_events(session, world)

    page = client.get("/events", params={"q": WORD, "area": "health", "page": 50})

    assert page.status_code == 200
    assert all(title in page.text for title in titles)
