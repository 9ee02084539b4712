"""A closed event answers everyone its lists name it to: the owner of one of its follow-up actions and the
focal point of someone on its list see it, act on it and find it listed; others find neither the event nor
its actions and participants (they answer like missing ones)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.dialogues.test_api import API, add_person, as_, create_event
from tests.web_helpers import sign_in
from tests.world import World

TITLE = "Closed consultation on isotope hydrology"


def _closed_event(client: TestClient, world: World) -> dict[str, Any]:
    """A private event on Uganda alone: Kenya's people, and partners, are not among those it is for."""
    return create_event(client, world, title=TITLE, is_public=False, focus_country_codes=["UGA"])


def _action_for_expert(client: TestClient, world: World, event_id: int) -> dict[str, Any]:
    created = client.post(
        f"{API}/events/{event_id}/actions",
        json={"title": "Share the sampling protocol", "owner_user_id": world.user_ids["expert"]},
        headers=as_(world, "facilitator"),
    )
    assert created.status_code == 201, created.text
    action: dict[str, Any] = created.json()
    return action


def test_the_owner_of_an_action_sees_its_event_and_reports_progress_others_find_neither(
    client: TestClient, world: World
) -> None:
    event_id = _closed_event(client, world)["id"]
    action = _action_for_expert(client, world, event_id)
    expert = as_(world, "expert")
    listed = client.get(f"{API}/actions", headers=expert).json()["items"]
    assert [item["event_id"] for item in listed if item["id"] == action["id"]] == [event_id]
    assert client.get(f"{API}/events/{event_id}", headers=expert).json()["title"] == TITLE
    assert event_id in [item["id"] for item in client.get(f"{API}/events", headers=expert).json()["items"]]
    progress = client.post(
        f"{API}/actions/{action['id']}/progress",
        json={"status": "in_progress", "note": "Sent to the laboratories", "version": action["version"]},
        headers=expert,
    )
    assert progress.status_code == 200, progress.text
    # Someone with no part in the event finds neither it nor its action (they answer like missing ones).
    partner = as_(world, "partner_a")
    assert client.get(f"{API}/events/{event_id}", headers=partner).status_code == 404
    assert action["id"] not in [
        item["id"] for item in client.get(f"{API}/actions", headers=partner).json()["items"]
    ]
    body = {"status": "done", "note": "x", "version": progress.json()["version"]}
    hidden = client.post(f"{API}/actions/{action['id']}/progress", json=body, headers=partner)
    missing = client.post(f"{API}/actions/99999/progress", json=body, headers=partner)
    assert hidden.status_code == missing.status_code == 404 and hidden.json() == missing.json()
    sign_in(client, world.emails["expert"])
    assert TITLE in client.get("/actions").text and client.get(f"/events/{event_id}").status_code == 200


def test_the_focal_point_of_someone_on_the_list_sees_the_event_they_endorse_them_for(
    client: TestClient, world: World
) -> None:
    event_id = _closed_event(client, world)["id"]
    kenyan = add_person(
        client,
        world,
        event_id,
        full_name="Wanjiku Mwangi",
        email="wanjiku@test.pux.invalid",
        country_iso3="KEN",
    )
    focal = as_(world, "focal_ken")
    assert client.get(f"{API}/events/{event_id}", headers=focal).status_code == 200
    people = client.get(f"{API}/events/{event_id}/participants", headers=focal).json()
    assert [person["id"] for person in people] == [kenyan["id"]]
    endorsed = client.post(
        f"{API}/participants/{kenyan['id']}/moves",
        json={"target": "endorsed", "version": kenyan["version"]},
        headers=focal,
    )
    assert endorsed.status_code == 200, endorsed.text
    # Kenya's counterpart, who neither nominates nor is on the list, still finds no such event.
    assert client.get(f"{API}/events/{event_id}", headers=as_(world, "counterpart_ken")).status_code == 404
