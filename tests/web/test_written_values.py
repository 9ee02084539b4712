"""Values people write that PUX cannot use are refused beside their field, in the reader's language, and
nothing of them is saved: dates out of any plausible year, times with an offset, checks across fields,
roles and scopes that do not exist."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pux.accounts.models import Organisation, RoleAssignment
from pux.dialogues.models import DialogueEvent
from tests.web_helpers import bearer, csrf_token, sign_in
from tests.world import World, event_json


def _events(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(DialogueEvent)) or 0


def _problems(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.text
    return {problem["field"]: problem["message"] for problem in response.json()["problems"]}


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"starts_at": "0001-01-01T00:00", "ends_at": "0001-01-01T05:00"}, "starts_at", "between the years"),
        ({"ends_at": "9999-12-31T23:59"}, "ends_at", "between the years"),
        ({"starts_at": 20260101}, "starts_at", "YYYY-MM-DD"),
        ({"starts_at": "2099-05-04T09:00:00+14:00"}, "starts_at", "without an offset"),
        ({"ends_at": "2099-05-01T09:00:00"}, "ends_at", "must end after it starts"),
        ({"host_country_iso3": None}, "host_country_iso3", "needs a host country"),
    ],
)
def test_an_event_with_times_that_cannot_be_used_is_refused_beside_the_field(
    client: TestClient, session: Session, world: World, change: dict[str, Any], field: str, words: str
) -> None:
    before = _events(session)
    response = client.post(
        "/api/v1/events", json=event_json(**change), headers=bearer(world.tokens["facilitator"])
    )
    assert words in _problems(response)[field]
    assert _events(session) == before


def test_a_plausible_event_still_gets_its_calendar_file(client: TestClient, world: World) -> None:
    created = client.post("/api/v1/events", json=event_json(), headers=bearer(world.tokens["facilitator"]))
    assert created.status_code == 201
    calendar = client.get(f"/events/{created.json()['id']}.ics")
    assert calendar.status_code == 200 and "BEGIN:VEVENT" in calendar.text


def test_checks_across_fields_name_their_field_in_the_readers_language(
    client: TestClient, world: World
) -> None:
    officer = world.tokens["officer_b"]
    programme = {
        "title": "Training in dosimetry for medical physicists",
        "organisation_id": world.organisations["agency_b"],
        "modality": "training",
        "window_start": "2027-12-31",
        "window_end": "2027-01-01",
        "total_budget": "100",
        "remaining_budget": "500",
        "currency": "USD",
        "thematic_area_codes": ["health"],
    }
    problems = _problems(client.post("/api/v1/programmes", json=programme, headers=bearer(officer)))
    assert "start of the window" in problems["window_end"]
    french = client.post(
        "/api/v1/programmes",
        json={**programme, "title": "x", "window_end": "2028-01-01", "remaining_budget": "50"},
        headers={**bearer(officer), "Accept-Language": "fr"},
    )
    assert "caractères" in _problems(french)["title"]  # not pydantic's English "String should have..."


def test_a_role_that_does_not_exist_or_an_unknown_scope_is_refused_and_not_given(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.emails["admin"])
    token = csrf_token(client)
    person = world.user_ids["expert"]
    roles_before = session.scalar(select(func.count()).select_from(RoleAssignment))
    for form, field in (
        ({"role": "nope"}, "Role"),
        ({"role": "focal_point", "country_iso3": "XXX"}, "Country"),
        ({"role": "partner", "organisation_id": "999999"}, "Organisation"),
        ({"role": "partner", "organisation_id": "99999999999999999999"}, "Organisation"),
    ):
        response = client.post(f"/people/{person}/roles", data={"csrf_token": token, **form})
        assert response.status_code == 422, (form, response.status_code)
        assert field in response.text, form
    assert session.scalar(select(func.count()).select_from(RoleAssignment)) == roles_before
    organisations = session.scalar(select(func.count()).select_from(Organisation))
    unknown_country = client.post(
        "/organisations",
        data={
            "csrf_token": token,
            "name": "Institute of nowhere",
            "organisation_type": "ngo",
            "country_iso3": "XXX",
        },
    )
    assert unknown_country.status_code == 422 and "is not a known country code" in unknown_country.text
    assert session.scalar(select(func.count()).select_from(Organisation)) == organisations


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("partner_a", "/programmes/{agency_b_programme}/edit"),
        ("focal_ken", "/programmes"),
        ("partner_a", "/priority/config"),
        ("expert", "/organisations"),
    ],
)
def test_a_form_is_refused_before_its_values_are_checked_to_who_may_not_use_it(
    client: TestClient, session: Session, world: World, role: str, path: str
) -> None:
    """Bad values from someone who may not use the form got the form back with its errors (a 403 only
    for good values)."""
    from pux.programmes.models import Programme

    other = session.scalar(
        select(Programme.id).where(Programme.organisation_id == world.organisations["agency_b"])
    )
    sign_in(client, world.emails[role])
    token = csrf_token(client)
    response = client.post(
        path.format(agency_b_programme=other),
        data={"csrf_token": token, "title": "x", "name": "x", "configuration": "{not json"},
    )
    assert response.status_code in {403, 404}, (path, response.status_code)
    assert 'class="problems"' not in response.text


def test_numbers_and_times_written_wrong_say_what_is_expected(client: TestClient, world: World) -> None:
    """ "is not valid" said nothing of what to write."""
    event = event_json(starts_at="2026-02-30T10:00", travel_budget="12.345")
    problems = _problems(
        client.post("/api/v1/events", json=event, headers=bearer(world.tokens["facilitator"]))
    )
    assert problems["starts_at"] == "must be a date and time (YYYY-MM-DD HH:MM)"
    assert problems["travel_budget"] == "must have at most 2 decimals"
