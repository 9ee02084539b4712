"""An event's times are local wall-clock times in its zone. On the night daylight saving time begins the
clocks skip an hour (in Paris, 02:00 to 03:00 on 28 March 2027): a time in it names no moment. Such a
start was stored an hour early in UTC, and an event from 02:30 to 03:00 ended before it started. It is now
refused beside the box it was written in, on the page (in the page's language) and in the API."""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.dialogues import service as dialogues
from pux.dialogues.models import DialogueEvent
from tests.dialogues.test_api import API, as_, create_event, event_json
from tests.web_helpers import csrf_token, sign_in
from tests.world import World, event_data

PARIS = "Europe/Paris"


def _edit(client: TestClient, world: World, event: dict[str, Any], **times: str) -> Any:
    sent = {
        name: event[name]
        for name in ("kind", "title", "is_online", "host_country_iso3", "city", "budget_currency", "version")
    }
    return client.put(
        f"{API}/events/{event['id']}", json={**sent, **times}, headers=as_(world, "facilitator")
    )


def _problems(answer: Any) -> dict[str, str]:
    return {problem["field"]: problem["message"] for problem in answer.json()["problems"]}


def test_a_start_the_clocks_skip_is_refused_and_the_event_is_left_as_it_was(
    client: TestClient, world: World
) -> None:
    event = create_event(client, world)

    answer = _edit(
        client, world, event, time_zone=PARIS, starts_at="2027-03-28T02:30:00", ends_at="2027-03-28T03:00:00"
    )

    assert answer.status_code == 422, answer.text
    problems = _problems(answer)
    assert set(problems) == {"starts_at"}
    assert "02:30" in problems["starts_at"] and PARIS in problems["starts_at"]
    assert "03:30" in problems["starts_at"]  # what the clocks show at the moment it was read as
    kept = client.get(f"{API}/events/{event['id']}", headers=as_(world, "facilitator")).json()
    assert (kept["version"], kept["starts_at"], kept["time_zone"]) == (
        event["version"],
        event["starts_at"],
        event["time_zone"],
    )


def test_a_new_event_names_each_time_the_clocks_skip(client: TestClient, world: World) -> None:
    times = {"time_zone": PARIS, "starts_at": "2027-03-28T02:00:00", "ends_at": "2027-03-28T02:59:00"}
    answer = client.post(
        f"{API}/events",
        json=event_json(**times),
        headers=as_(world, "facilitator"),
    )

    assert answer.status_code == 422, answer.text
    assert set(_problems(answer)) == {"starts_at", "ends_at"}


def test_times_around_the_gap_and_in_the_hour_that_repeats_are_kept_in_order(
    session: Session, world: World
) -> None:
    facilitator = world.actors["facilitator"]
    around_the_gap = event_data(
        time_zone=PARIS, starts_at=datetime(2027, 3, 28, 1, 30), ends_at=datetime(2027, 3, 28, 3, 0)
    )
    # When the clocks go back (31 October 2027) 02:00-03:00 comes twice: read as its first pass.
    repeated_hour = event_data(
        time_zone=PARIS, starts_at=datetime(2027, 10, 31, 2, 30), ends_at=datetime(2027, 10, 31, 2, 45)
    )

    for data in (around_the_gap, repeated_hour):
        event: DialogueEvent = dialogues.create_event(session, actor=facilitator, data=data)
        session.flush()
        assert event.starts_at_utc < event.ends_at_utc

    assert (event.starts_at_utc, event.ends_at_utc) == (
        datetime(2027, 10, 31, 0, 30),
        datetime(2027, 10, 31, 0, 45),
    )


def test_the_page_refuses_a_skipped_end_beside_its_box_in_the_readers_language(
    client: TestClient, session: Session, world: World
) -> None:
    event = dialogues.create_event(session, actor=world.actors["facilitator"], data=event_data())
    sign_in(client, world.emails["facilitator"])
    client.cookies.set("pux_lang", "fr")
    form = {
        "kind": "regional_workshop",
        "title": event.title,
        "host_country_iso3": "KEN",
        "city": "Nairobi",
        "starts_at": "2027-03-28T01:00",
        "ends_at": "2027-03-28T02:15",
        "time_zone": PARIS,
        "is_public": "on",
        "version": str(event.version),
    }
    page = f"/events/{event.id}/edit"

    answer = client.post(page, data={**form, "csrf_token": csrf_token(client, page)})

    assert answer.status_code == 422, answer.text[:400]
    assert 'lang="fr"' in answer.text
    beside_the_end = re.search(r'<p class="field-error" id="error-ends_at">([^<]*)</p>', answer.text)
    assert beside_the_end, answer.text
    # The French catalogue's sentence (French writes a no-break space before a colon).
    assert html.unescape(beside_the_end.group(1)) == (
        "02:15 n'existe pas dans le fuseau horaire Europe/Paris ce jour-là\u00a0: les horloges avancent et "
        "sautent cette heure (passage à l'heure d'été). Indiquez une autre heure, par exemple 03:15."
    )
    assert 'id="error-starts_at"' not in answer.text
    assert 'value="2027-03-28T02:15"' in answer.text  # what was written is kept to be corrected
