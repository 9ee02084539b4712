"""Amount and share fields are text boxes with a decimal keypad, not number inputs: a browser's number
input drops what it cannot read as its own locale's number, so "1 250,50" typed on a French page (which the
forms read) reached PUX as an empty field, "required"."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from lxml import html

from pux.web.middleware import LANGUAGE_COOKIE
from tests.web_helpers import sign_in
from tests.world import World

FIELDS = {
    "/matching": ("country_cap_percent", "ldc_floor_percent"),
    "/needs/new": ("beneficiaries_women_share", "estimated_cost"),
    "/events/new": ("travel_budget", "allowance_cut_allowed"),
}


@pytest.mark.parametrize("path", sorted(FIELDS))
def test_amounts_and_shares_take_the_page_s_written_numbers(
    client: TestClient, world: World, path: str
) -> None:
    sign_in(client, world.emails["facilitator" if path != "/needs/new" else "focal_ken"])
    client.cookies.set(LANGUAGE_COOKIE, "fr")
    page = html.fromstring(client.get(path).text)
    for name in FIELDS[path]:
        (box,) = page.xpath(f"//input[@name='{name}']")
        assert box.get("type") == "text" and box.get("inputmode") == "decimal", (path, name)
