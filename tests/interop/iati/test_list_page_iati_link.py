"""The list page's "IATI XML" link gives the file of what the page lists to whoever is signed in: it
pointed to the API's export, which knows bearer tokens only, so a signed-in person's file lacked the
activities only they may see although the page listed them."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from lxml import etree

from pux.interop.iati.schema import schema_problems
from tests.web_helpers import bearer, sign_in
from tests.world import World

IATI_LINK = re.compile(r'<a href="([^"]+)">IATI XML</a>')


def _identifiers(answer_content: bytes) -> set[str]:
    document = etree.fromstring(answer_content)
    assert schema_problems(document) == []
    return {str(identifier.text) for identifier in document.iter("iati-identifier")}


def _iati_link(client: TestClient, query: str = "") -> str:
    page = client.get(f"/activities{query}")
    assert page.status_code == 200
    found = IATI_LINK.search(page.text)
    assert found, "no IATI XML link on the list page"
    return html.unescape(found.group(1))


def test_the_list_s_iati_link_gives_a_signed_in_person_the_private_activities_the_page_lists(
    client: TestClient, world: World
) -> None:
    private_id = world.activities["private_b"]
    sign_in(client, world.emails["officer_b"])
    assert f'href="/activities/{private_id}"' in client.get("/activities", params={"country": "UGA"}).text

    link = _iati_link(client, "?country=UGA")
    assert not link.startswith("/api/")
    answer = client.get(link)

    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/xml")
    assert "attachment" in answer.headers["content-disposition"]
    identifiers = _identifiers(answer.content)
    assert any(identifier.endswith(f"-PUX-{private_id}") for identifier in identifiers)
    # The page's filters hold: only Uganda's activities.
    document = etree.fromstring(answer.content)
    countries = {
        c.get("code") for c in document.iter("recipient-country") if c.getparent().tag == "iati-activity"
    }
    assert countries == {"UG"}


def test_signed_out_the_list_s_iati_link_gives_only_public_activities(
    client: TestClient, world: World
) -> None:
    identifiers = _identifiers(client.get(_iati_link(client)).content)
    assert not any(identifier.endswith(f"-PUX-{world.activities['private_b']}") for identifier in identifiers)
    assert any(identifier.endswith(f"-PUX-{world.activities['public_a']}") for identifier in identifiers)


def test_the_api_export_still_answers_to_bearer_tokens(client: TestClient, world: World) -> None:
    answer = client.get(
        "/api/v1/activities.iati.xml", params={"country": "UGA"}, headers=bearer(world.tokens["officer_b"])
    )
    assert answer.status_code == 200
    assert any(
        identifier.endswith(f"-PUX-{world.activities['private_b']}")
        for identifier in _identifiers(answer.content)
    )
