"""The kinds of event a facilitator runs: a conference and a virtual symposium (several online sessions over
days) are kinds of their own, chosen on the form, filtered on in the list and the API, and counted by the
statistics under their names."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.dialogues import service as dialogues
from tests.web_helpers import bearer, csrf_token, sign_in
from tests.world import World, event_data, event_json

SYMPOSIUM_FORM = {
    "kind": "virtual_symposium",
    "title": "Virtual symposium on isotope hydrology",
    "is_public": "on",
    "is_online": "on",
    "starts_at": "2099-03-02T13:00",
    "ends_at": "2099-03-06T15:00",
    "time_zone": "UTC",
}


def test_a_facilitator_creates_a_virtual_symposium_and_finds_it_by_its_kind(
    client: TestClient, session: Session, world: World
) -> None:
    dialogues.create_event(session, actor=world.actors["facilitator"], data=event_data())
    sign_in(client, world.emails["facilitator"])
    form = client.get("/events/new").text
    assert '<option value="conference"' in form and ">Conference</option>" in form
    assert '<option value="virtual_symposium"' in form and ">Virtual symposium</option>" in form

    created = client.post(
        "/events",
        data={**SYMPOSIUM_FORM, "csrf_token": csrf_token(client, "/events/new")},
        follow_redirects=False,
    )
    assert created.status_code == 303, created.text[:600]
    assert "Virtual symposium ·" in client.get(created.headers["location"]).text

    listed = client.get("/events", params={"kind": "virtual_symposium"})
    assert listed.status_code == 200, listed.text[:400]
    assert SYMPOSIUM_FORM["title"] in listed.text
    assert "Radiotherapy planning workshop" not in listed.text  # the workshop is of another kind
    assert '<option value="virtual_symposium" selected>' in listed.text.replace("  ", " ")


def test_the_api_takes_a_conference_and_filters_on_it(client: TestClient, world: World) -> None:
    headers = bearer(world.tokens["facilitator"])
    made = client.post("/api/v1/events", json=event_json(kind="conference"), headers=headers)
    assert made.status_code == 201, made.text
    found = client.get("/api/v1/events", params={"kind": "conference"}, headers=headers)
    assert found.status_code == 200, found.text
    assert [event["kind"] for event in found.json()["items"]] == ["conference"]
    enum = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["EventCreate"]["properties"][
        "kind"
    ]
    assert {"conference", "virtual_symposium"} <= set(enum["enum"])


def test_the_statistics_count_held_symposia_under_their_name(
    client: TestClient, session: Session, world: World
) -> None:
    dialogues.create_event(
        session,
        actor=world.actors["facilitator"],
        data=event_data(days_ahead=-10, kind="virtual_symposium", is_online=True),
    )
    # The public reads whole calendar years: the year the symposium was held in (early in January, the
    # year before today's).
    year = (date.today() - timedelta(days=10)).year
    text = client.get("/events-statistics", params={"from": f"{year}-01-01", "to": f"{year}-12-31"}).text
    assert "Virtual symposium: 1" in text
