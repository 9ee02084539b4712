"""An administrator gives a person a role, or a role back, from /people: after a role was revoked the
person's row was empty, inviting the address again answered "this person has an account already", and
no page had a form for the route that gives one."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pux.accounts.models import Organisation, RoleAssignment
from pux.audit.models import AuditEvent
from tests.web_helpers import csrf_token, sign_in
from tests.world import World


def _roles(session: Session, user_id: int) -> set[tuple[str, str | None, int | None]]:
    rows = session.scalars(select(RoleAssignment).where(RoleAssignment.user_id == user_id))
    return {(r.role, r.country_iso3, r.organisation_id) for r in rows}


def _give(client: TestClient, user_id: int, form: dict[str, str]) -> object:
    page = f"/people/{user_id}/roles"
    return client.post(page, data={"csrf_token": csrf_token(client, page), **form}, follow_redirects=False)


def test_a_revoked_role_is_given_back_from_the_people_page(
    client: TestClient, session: Session, world: World
) -> None:
    person = world.user_ids["expert"]
    sign_in(client, world.emails["admin"])
    (held,) = session.scalars(select(RoleAssignment).where(RoleAssignment.user_id == person)).all()
    revoked = client.post(
        f"/roles/{held.id}/revoke", data={"csrf_token": csrf_token(client, "/people")}, follow_redirects=False
    )
    assert revoked.status_code == 303 and _roles(session, person) == set()
    people = client.get("/people", params={"q": world.emails["expert"]})
    assert f'href="/people/{person}/roles"' in people.text  # "Give a role", in the person's row
    form = client.get(f"/people/{person}/roles")
    assert form.status_code == 200 and 'name="role"' in form.text and 'name="country_iso3"' in form.text
    assert 'name="organisation_id"' in form.text
    given = _give(client, person, {"role": held.role})
    assert given.status_code == 303
    assert _roles(session, person) == {(held.role, None, None)}
    shown = client.get(given.headers["location"])
    assert "The role was granted." in shown.text and world.emails["expert"] in shown.text
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "role.grant", AuditEvent.entity_id == str(person))
    ).one()
    assert event.after == {"role": held.role, "country": None, "organisation": None}


def test_a_role_for_a_country_or_an_organisation_is_given_with_its_scope(
    client: TestClient, session: Session, world: World
) -> None:
    person = world.user_ids["expert"]
    sign_in(client, world.emails["admin"])
    assert _give(client, person, {"role": "focal_point", "country_iso3": "UGA"}).status_code == 303
    organisation = session.scalars(select(Organisation).order_by(Organisation.id)).first()
    assert organisation is not None
    answer = _give(client, person, {"role": "partner", "organisation_id": organisation.name})
    assert answer.status_code == 303, answer.text[:2000]
    assert {("focal_point", "UGA", None), ("partner", None, organisation.id)} <= _roles(session, person)


def test_refusals_are_told_beside_their_boxes_with_the_choices_kept(
    client: TestClient, session: Session, world: World
) -> None:
    person = world.user_ids["expert"]
    before = _roles(session, person)
    sign_in(client, world.emails["admin"])
    no_country = _give(client, person, {"role": "focal_point"})
    assert no_country.status_code == 422
    assert 'id="error-country_iso3"' in no_country.text and "this role needs a country" in no_country.text
    assert '<option value="focal_point" selected' in no_country.text
    no_organisation = _give(client, person, {"role": "partner", "country_iso3": "KEN"})
    assert no_organisation.status_code == 422 and 'id="error-organisation_id"' in no_organisation.text
    assert '<option value="KEN" selected' in no_organisation.text
    unknown = _give(client, person, {"role": "partner", "organisation_id": "Nowhere Institute of Nothing"})
    assert unknown.status_code == 422 and 'id="error-organisation_id"' in unknown.text
    assert "Nowhere Institute of Nothing" in unknown.text
    (role, country, organisation) = next(iter(before))
    twice = _give(
        client,
        person,
        {"role": role, "country_iso3": country or "", "organisation_id": str(organisation or "")},
    )
    assert twice.status_code == 422 and "holds this role already" in twice.text
    assert _roles(session, person) == before


def test_only_administrators_give_roles(client: TestClient, session: Session, world: World) -> None:
    person = world.user_ids["expert"]
    before = _roles(session, person)
    sign_in(client, world.emails["facilitator"])
    assert f'href="/people/{person}/roles"' not in client.get("/people").text
    form = client.get(f"/people/{person}/roles")
    assert form.status_code == 403 and "<html" in form.text.lower()
    answer = client.post(
        f"/people/{person}/roles",
        data={"csrf_token": csrf_token(client, "/people"), "role": "admin"},
    )
    assert answer.status_code == 403 and "<html" in answer.text.lower()
    assert _roles(session, person) == before


def test_signed_out_visitors_are_sent_to_sign_in(client: TestClient, world: World) -> None:
    answer = client.get(f"/people/{world.user_ids['expert']}/roles", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/sign-in")
