"""An API client edits an event the usual way: it reads the event, changes what it means to change and
sends the fields back. An edit replaces every field, so whatever the read leaves out is reset: the travel
fund's per-country cap and allowance cut were lost by an edit that meant to change nothing."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from pux.dialogues.schemas import EventUpdate
from tests.dialogues.test_api import API, as_, create_event
from tests.world import World


def _edit_as_read(client: TestClient, world: World, event_id: int, **changes: Any) -> dict[str, Any]:
    read = client.get(f"{API}/events/{event_id}", headers=as_(world, "facilitator")).json()
    sent = {name: read[name] for name in EventUpdate.model_fields if name in read} | changes
    answer = client.put(f"{API}/events/{event_id}", json=sent, headers=as_(world, "facilitator"))
    assert answer.status_code == 200, answer.text
    edited: dict[str, Any] = answer.json()
    return edited


def test_an_edit_sent_back_as_read_keeps_the_travel_funds_rules(client: TestClient, world: World) -> None:
    event = create_event(client, world, max_supported_per_country=4, allowance_cut_allowed=0.2)

    edited = _edit_as_read(client, world, event["id"], title="Regional workshop on treatment planning")

    assert edited["title"] == "Regional workshop on treatment planning"
    assert edited["max_supported_per_country"] == 4
    assert edited["allowance_cut_allowed"] == 0.2
    again = client.get(f"{API}/events/{event['id']}", headers=as_(world, "facilitator")).json()
    assert (again["max_supported_per_country"], again["allowance_cut_allowed"]) == (4, 0.2)


def test_every_field_an_edit_replaces_can_be_read_back(client: TestClient, world: World) -> None:
    """A field added to the edit later must be read back too, or the same loss comes back."""
    event = create_event(client, world)

    read = client.get(f"{API}/events/{event['id']}", headers=as_(world, "public")).json()

    assert set(EventUpdate.model_fields) - set(read) == set()
