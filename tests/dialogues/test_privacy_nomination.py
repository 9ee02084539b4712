"""A focal point nominates the people of their own country only: another country's account (or one tied to
no country) answers like a missing one, and nobody else's private details come back to the nominator."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.dialogues.test_api import API, as_, create_event
from tests.world import World

MISSING = 99999


def _nominate(client: TestClient, world: World, event_id: int, **person: Any) -> Any:
    return client.post(f"{API}/events/{event_id}/participants", json=person, headers=as_(world, "focal_ken"))


def _answer(response: Any, *numbers: object) -> str:
    text = response.text
    for number in numbers:
        text = text.replace(str(number), "<who>")
    return text


@pytest.mark.parametrize("other", ["partner_a", "focal_uga", "expert", "facilitator"])
def test_another_countrys_account_answers_like_a_missing_one(
    client: TestClient, world: World, other: str
) -> None:
    event_id = create_event(client, world)["id"]
    missing = _nominate(client, world, event_id, user_id=MISSING, country_iso3="KEN")
    for person in (
        {"user_id": world.user_ids[other], "country_iso3": "KEN"},
        {"user_id": world.user_ids[other]},
    ):
        refused = _nominate(client, world, event_id, **person)
        assert refused.status_code == missing.status_code == 422
        assert _answer(refused, world.user_ids[other]) == _answer(missing, MISSING)
        assert world.emails[other] not in refused.text
    by_email = _nominate(client, world, event_id, user_email=world.emails[other])
    by_missing_email = _nominate(client, world, event_id, user_email="nobody@test.pux.invalid")
    assert by_email.status_code == by_missing_email.status_code == 422
    assert _answer(by_email, world.emails[other]) == _answer(by_missing_email, "nobody@test.pux.invalid")
    listed = client.get(f"{API}/events/{event_id}/participants", headers=as_(world, "facilitator")).json()
    assert listed == []


def test_the_focal_point_still_nominates_their_own_countrys_people(client: TestClient, world: World) -> None:
    event_id = create_event(client, world)["id"]
    nominated = _nominate(client, world, event_id, user_id=world.user_ids["counterpart_ken"])
    assert nominated.status_code == 201, nominated.text
    assert nominated.json()["country_iso3"] == "KEN" and nominated.json()["status"] == "nominated"
    # Facilitators still invite anyone.
    invited = client.post(
        f"{API}/events/{event_id}/participants",
        json={"user_id": world.user_ids["partner_a"]},
        headers=as_(world, "facilitator"),
    )
    assert invited.status_code == 201, invited.text
