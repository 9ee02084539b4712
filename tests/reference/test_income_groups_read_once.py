"""A country's income group history is read where it is shown or used, once for all the countries at hand,
never one country at a time, and never for lists that do not show it. (Every list of needs, activities or
events read the whole history of each country listed: 4 ms of the app's CPU for a page of 50 activities,
12 ms for the list of countries, which shows only the latest group.)"""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.matching import repository as matching_repository
from pux.reference import service as reference
from pux.reference.vocabulary import income_group_label
from tests.statements import fresh_request, recorded_statements
from tests.world import World, published_need

INCOME_TABLE = "FROM income_group_assessment"


def _reads_of_income_groups(statements: list[str]) -> int:
    return sum(INCOME_TABLE in statement for statement in statements)


def test_the_list_of_countries_shows_each_ones_latest_income_group_read_in_one_statement(
    client: TestClient, session: Session, world: World
) -> None:
    page, seen = fresh_request(client, session, "/countries")
    assert page.status_code == 200
    assert _reads_of_income_groups(seen) == 1
    kenya = reference.get_country(session, iso3="KEN")
    assert kenya is not None and kenya.income_group is not None
    latest = kenya.income_group
    row = re.search(r'<tr>\s*<td><a href="/countries/KEN">.*?</tr>', page.text, re.S)
    assert row is not None
    assert income_group_label(latest.income_group) in row.group(0)
    assert f"FY{latest.fiscal_year}" in row.group(0)


def test_the_countries_api_gives_each_ones_latest_income_group_in_one_statement(
    client: TestClient, session: Session, world: World
) -> None:
    answer, seen = fresh_request(client, session, "/api/v1/countries")
    assert answer.status_code == 200
    assert _reads_of_income_groups(seen) == 1
    by_code = {country["iso3"]: country for country in answer.json()}
    for code in ("KEN", "UGA", "FRA"):
        country = reference.get_country(session, iso3=code)
        assert country is not None
        latest = country.income_group
        given = by_code[code]["income_group"]
        assert (given["income_group"], given["fiscal_year"]) == (latest.income_group, latest.fiscal_year)


def test_lists_of_needs_and_activities_do_not_read_income_groups(
    client: TestClient, session: Session, world: World
) -> None:
    for path in ("/needs", "/activities", "/api/v1/needs"):
        page, seen = fresh_request(client, session, path)
        assert page.status_code == 200
        assert "KEN" in page.text  # a Kenyan need or activity is listed, with its country
        assert _reads_of_income_groups(seen) == 0, path


def test_matching_reads_the_income_groups_of_all_needs_countries_at_once(
    session: Session, world: World
) -> None:
    published_need(session, world, "Cyclotron for Dakar", "500000", "USD")  # Senegal's, beside Kenya's
    session.expunge_all()  # the countries as a new request finds them
    with recorded_statements(session.get_bind()) as seen:
        needs = matching_repository.matchable_needs(session)
        groups = {need.country_iso3: need.country.income_group for need in needs}
    assert len(groups) >= 2  # needs of several countries
    assert all(group is not None for group in groups.values())
    assert _reads_of_income_groups(seen) == 1


def test_filters_by_income_group_read_each_countrys_latest_group(
    client: TestClient, session: Session, world: World
) -> None:
    kenya = reference.get_country(session, iso3="KEN")
    assert kenya is not None and kenya.income_group is not None
    latest = kenya.income_group.income_group
    other = next(code for code in ("LIC", "LMC", "UMC", "HIC") if code != latest)
    listed = {
        group: [
            item["country_iso3"]
            for item in client.get("/api/v1/needs", params={"income_group": group}).json()["items"]
        ]
        for group in (latest, other)
    }
    assert "KEN" in listed[latest] and "KEN" not in listed[other]
    countries = {
        group: [c["iso3"] for c in client.get("/api/v1/countries", params={"income_group": group}).json()]
        for group in (latest, other)
    }
    assert "KEN" in countries[latest] and "KEN" not in countries[other]
