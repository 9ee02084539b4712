"""A programme's budget fields: a remaining capacity left blank is the whole total (blank, the programme was
left out of every round: 3,000,000 offered, no pair proposed), and a maximum per need above the total is
refused beside its field (5,000 per need out of 1,000 was accepted)."""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.needs import service as needs
from pux.programmes.models import Programme
from tests.registry.form_fields import field_error
from tests.web_helpers import bearer, csrf_token, sign_in
from tests.world import World, facilitator_round, published_programme


def _programme_json(world: World, **budget: str) -> dict[str, object]:
    return {
        "organisation_id": world.organisations["donor_a"],
        "title": "Radiotherapy grants with a budget",
        "modality": "funding",
        "thematic_area_codes": ["health"],
        "technique_codes": ["radiotherapy"],
        "currency": "EUR",  # a budget names its currency (the form's select always sends one)
        **budget,
    }


def test_a_blank_remaining_capacity_is_the_whole_total(client: TestClient, world: World) -> None:
    created = client.post(
        "/api/v1/programmes",
        json=_programme_json(world, total_budget="3000000"),
        headers=bearer(world.tokens["partner_a"]),
    )
    assert created.status_code == 201, created.text
    assert Decimal(created.json()["remaining_budget"]) == Decimal("3000000")


def test_a_blank_remaining_capacity_on_the_form_is_the_whole_total_and_says_so(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.emails["partner_a"])
    form = client.get("/programmes/new").text
    assert "Left empty, the whole total budget is taken as remaining." in form
    data = {
        **_programme_json(world, total_budget="3000000", remaining_budget=""),
        "csrf_token": csrf_token(client, "/programmes/new"),
    }
    saved = client.post("/programmes", data=data, follow_redirects=False)
    assert saved.status_code == 303, saved.text[:400]
    programme = session.get(Programme, int(saved.headers["location"].rsplit("/", 1)[1]))
    assert programme is not None and programme.remaining_budget == Decimal("3000000")


def test_a_programme_written_without_its_remaining_capacity_takes_part_in_rounds(
    session: Session, world: World
) -> None:
    for key in ("published_ken", "partners_ken"):
        need = needs.get_need(session, actor=world.actors["admin"], need_id=world.needs[key])
        need.modalities_wanted = ["equipment", "funding"]
    session.flush()
    programme_id = published_programme(
        session,
        world,
        title="Grants whose remaining capacity was left blank",
        total_budget=Decimal("3000000"),
        remaining_budget=None,
        max_per_need=Decimal("2000000"),
    )
    round_record = facilitator_round(session, world, programme_id, title="Blank remaining", cap_share=1.0)
    assert round_record.summary["pairs"] > 0 and round_record.summary["awards"] > 0


def test_a_maximum_per_need_above_the_total_is_refused_by_name(client: TestClient, world: World) -> None:
    refused = client.post(
        "/api/v1/programmes",
        json=_programme_json(world, total_budget="1000", remaining_budget="1000", max_per_need="5000"),
        headers=bearer(world.tokens["partner_a"]),
    )
    assert refused.status_code == 422, refused.text
    assert [p["field"] for p in refused.json()["problems"]] == ["max_per_need"]
    sign_in(client, world.emails["partner_a"])
    data = {
        **_programme_json(world, total_budget="1000", max_per_need="5000"),
        "csrf_token": csrf_token(client, "/programmes/new"),
    }
    page = client.post("/programmes", data=data, follow_redirects=False)
    assert page.status_code == 422
    assert field_error(page.text, "max_per_need") == "must not exceed the total budget"
