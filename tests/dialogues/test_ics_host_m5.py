"""An event's calendar file links back to the event at the address PUX is configured with: it took the
host from the request (`curl -H "Host: evil.example" .../events/1.ics` gave URL:http://evil.example/events/1),
so anyone who could send a request with a forged Host header could hand out calendar files pointing people
at another site."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from pux.config import Settings
from tests.web_helpers import bearer
from tests.world import World, event_json

BASE_URL = "https://pux.example.org"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url, files_dir=tmp_path / "files", job_runner="in-process", base_url=BASE_URL
    )


def _event_link(client: TestClient, event_id: int, headers: dict[str, str]) -> str:
    answer = client.get(f"/events/{event_id}.ics", headers=headers)
    assert answer.status_code == 200
    (event,) = [item for item in Calendar.from_ical(answer.text).walk("VEVENT") if "URL" in item]
    return str(event["URL"])


@pytest.mark.parametrize("host", [{"Host": "evil.example"}, {"Host": "127.0.0.1:9999"}, {}])
def test_the_calendar_file_links_to_the_configured_address(
    client: TestClient, world: World, host: dict[str, str]
) -> None:
    created = client.post("/api/v1/events", json=event_json(), headers=bearer(world.tokens["facilitator"]))
    assert created.status_code == 201
    event_id = created.json()["id"]
    assert _event_link(client, event_id, host) == f"{BASE_URL}/events/{event_id}"
