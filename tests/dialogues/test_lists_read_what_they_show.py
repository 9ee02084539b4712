"""The home page's upcoming events and the list of events read what they show (title, dates, place): not
each event's agenda and balance targets, which they do not show; the API's list still gives them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.dialogues import service as dialogues
from pux.dialogues.schemas import SessionFields, TargetFields
from tests.statements import fresh_request
from tests.web_helpers import sign_in
from tests.world import World, event_data

AGENDA_TABLES = ("FROM dialogue_session", "FROM dialogue_balance_target")


def _reads_of_agendas(statements: list[str]) -> int:
    return sum(any(table in statement for table in AGENDA_TABLES) for statement in statements)


def test_the_home_page_and_the_events_list_read_no_agendas(
    client: TestClient, session: Session, world: World
) -> None:
    dialogues.create_event(
        session, actor=world.actors["facilitator"], data=event_data(title="Agenda-free list")
    )
    sign_in(client, world.emails["facilitator"])
    for path in ("/", "/events?when=upcoming"):
        page, seen = fresh_request(client, session, path)
        assert page.status_code == 200
        assert "Agenda-free list" in page.text, path
        assert _reads_of_agendas(seen) == 0, path


def test_the_api_list_gives_each_events_agenda_and_targets(
    client: TestClient, session: Session, world: World
) -> None:
    facilitator = world.actors["facilitator"]
    event = dialogues.create_event(session, actor=facilitator, data=event_data(title="Listed"))
    dialogues.add_session(
        session,
        actor=facilitator,
        event_id=event.id,
        data=SessionFields(
            starts_at=event.starts_at, ends_at=event.starts_at + timedelta(hours=2), title="Opening"
        ),
    )
    dialogues.add_target(
        session,
        actor=facilitator,
        event_id=event.id,
        data=TargetFields(dimension="gender", category="female", bound="at_least", share_percent=Decimal(40)),
    )
    answer = client.get("/api/v1/events")
    assert answer.status_code == 200
    listed = {item["id"]: item for item in answer.json()["items"]}[event.id]
    assert [agenda["title"] for agenda in listed["sessions"]] == ["Opening"]
    assert [(target["dimension"], target["category"]) for target in listed["targets"]] == [
        ("gender", "female")
    ]
