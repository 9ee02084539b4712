"""The people page at scale: one page of accounts at a time, found by name or address, role and country,
each role named with its organisation."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from pux.accounts import views as account_views
from tests.web_helpers import sign_in
from tests.world import World


def _names(page: str) -> list[str]:
    return re.findall(r'<td data-label="Name">([^<]+)</td>', page)


def test_people_are_listed_a_page_at_a_time(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(account_views, "PEOPLE_PAGE_SIZE", 3)
    sign_in(client, world.emails["facilitator"])
    first = client.get("/people")
    total = int(re.search(r"1–3 of (\d+)", first.text).group(1))  # type: ignore[union-attr]
    assert total >= len(world.emails) and 'rel="next"' in first.text
    pages = [_names(client.get(f"/people?page={n}").text) for n in range(1, -(-total // 3) + 1)]
    listed = [name for page in pages for name in page]
    assert len(listed) == total and len(set(listed)) == total  # every account once, none twice
    assert listed == sorted(listed)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=PARTNER", ["Test partner_a"]),  # in the name, any case
        ("q=focal.uga%40test", ["Test focal_uga"]),  # in the address
        ("role=focal_point", ["Test focal_ken", "Test focal_uga"]),
        ("role=focal_point&country=UGA", ["Test focal_uga"]),
        ("q=nobody-has-this", []),
    ],
)
def test_people_are_found_by_name_address_role_and_country(
    client: TestClient, world: World, query: str, expected: list[str]
) -> None:
    sign_in(client, world.emails["facilitator"])
    page = client.get(f"/people?{query}")
    assert page.status_code == 200
    assert [name for name in _names(page.text) if name.startswith("Test ")] == expected
    if not expected:
        assert "No one matches these filters." in page.text


def test_a_role_is_shown_with_its_organisations_name(client: TestClient, world: World) -> None:
    sign_in(client, world.emails["admin"])
    page = client.get("/people?q=officer_b").text
    assert "(Test Cooperation Agency B)" in page
    assert f"(#{world.organisations['agency_b']})" not in page


def test_a_focal_point_invites_without_seeing_the_accounts(client: TestClient, world: World) -> None:
    sign_in(client, world.emails["focal_ken"])
    page = client.get("/people?q=Test")
    assert page.status_code == 200
    assert 'action="/people/invitations"' in page.text and "Test partner_a" not in page.text
