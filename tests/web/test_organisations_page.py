"""The organisations page at the mission's scale: thousands of organisations are read a page at a time,
found by name or acronym, type and country; the registration form is one link away."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pux.accounts import service as accounts
from pux.accounts.models import Organisation
from pux.accounts.permissions import Actor
from pux.accounts.schemas import OrganisationCreate
from tests.web_helpers import sign_in
from tests.world import World

ROW_NAME = re.compile(r'<td data-label="Name">([^<]+)</td>')


def _add(session: Session, count: int) -> None:
    system = Actor.system("organisations-page-test")
    for number in range(count):
        accounts.create_organisation(
            session,
            actor=system,
            data=OrganisationCreate(
                name=f"Paged Institute {number:03d}",
                acronym=f"PI{number:03d}",
                organisation_type="university_research" if number % 2 else "regulator",
                country_iso3="GHA" if number % 3 == 0 else None,
            ),
        )


def test_organisations_are_read_a_page_at_a_time_by_name(client: TestClient, session: Session) -> None:
    _add(session, 60)
    total = int(session.scalar(select(func.count()).select_from(Organisation)) or 0)
    first = client.get("/organisations")
    assert first.status_code == 200
    names = ROW_NAME.findall(first.text)
    assert len(names) == 50 and names == sorted(names)
    assert f"1–50 of {total}" in first.text
    second = client.get("/organisations", params={"page": 2})
    rest = ROW_NAME.findall(second.text)
    assert len(rest) == total - 50 and not set(rest) & set(names)


def test_organisations_are_found_by_name_or_acronym_type_and_country(
    client: TestClient, session: Session
) -> None:
    _add(session, 60)
    by_name = ROW_NAME.findall(client.get("/organisations", params={"q": "institute 05"}).text)
    assert by_name == [f"Paged Institute 05{n} (PI05{n})" for n in range(10)]
    by_acronym = ROW_NAME.findall(client.get("/organisations", params={"q": "pi01"}).text)
    assert len(by_acronym) == 10
    chosen = client.get("/organisations", params={"q": "paged", "type": "regulator", "country": "gha"})
    # Even numbers are regulators, multiples of three are in Ghana: the multiples of six below 60.
    assert ROW_NAME.findall(chosen.text) == [f"Paged Institute {n:03d} (PI{n:03d})" for n in range(0, 60, 6)]
    nothing = client.get("/organisations", params={"q": "no such body"})
    assert nothing.status_code == 200 and "No organisation matches these filters." in nothing.text
    wildcard = client.get("/organisations", params={"q": "%"})
    assert ROW_NAME.findall(wildcard.text) == []  # a per cent sign is a character, not a wildcard


def test_the_registration_form_is_linked_from_the_top_for_those_who_register(
    client: TestClient, session: Session, world: World
) -> None:
    _add(session, 60)
    assert 'href="#register"' not in client.get("/organisations").text  # the public reads only
    sign_in(client, world.emails["admin"])
    page = client.get("/organisations")
    assert page.text.index('href="#register"') < page.text.index("<table")
    assert '<h2 id="register">' in page.text
