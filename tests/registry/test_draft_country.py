"""The need drafting form offers a focal point or counterpart only the countries they may draft for (it
offered every country, and a need saved for another one answered a bare 403 page: what was typed was lost).
A country that still arrives from outside their scope (a forged form, an old page) brings the form back
with what was typed and the refusal beside the Country field (403); people who may draft for any country
keep the whole list."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import html
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pux.needs.models import Need
from tests.registry.form_fields import field_error, form_problem, sent_again
from tests.web.accessibility import accessibility_problems
from tests.web_helpers import csrf_token, sign_in
from tests.world import World

REFUSAL = "You may draft needs only for your own country."
TITLE = "Cobalt-60 source replacement for the N'Djamena cancer centre"


def _offered_countries(text: str) -> list[str]:
    return [str(code) for code in html.fromstring(text).xpath("//select[@name='country_iso3']/option/@value")]


def _chosen_country(text: str) -> list[str]:
    return [
        str(code)
        for code in html.fromstring(text).xpath("//select[@name='country_iso3']/option[@selected]/@value")
    ]


def _drafted(session: Session, title: str) -> int:
    return int(session.scalar(select(func.count()).select_from(Need).where(Need.title == title)) or 0)


def _post_new(client: TestClient, data: dict[str, Any]) -> Any:
    token = csrf_token(client, "/needs/new")
    return client.post("/needs", data={**data, "csrf_token": token}, follow_redirects=False)


@pytest.mark.parametrize("role", ["focal_ken", "counterpart_ken"])
def test_a_country_person_is_offered_only_their_countries(
    client: TestClient, world: World, role: str
) -> None:
    sign_in(client, world.emails[role])
    page = client.get("/needs/new")
    assert page.status_code == 200
    assert _offered_countries(page.text) == ["KEN"]
    # A link naming another country opens the form on their own.
    linked = client.get("/needs/new", params={"country": "UGA"})
    assert _chosen_country(linked.text) == ["KEN"]


def test_who_may_draft_for_any_country_keeps_the_whole_list(client: TestClient, world: World) -> None:
    sign_in(client, world.emails["facilitator"])
    offered = _offered_countries(client.get("/needs/new").text)
    assert len(offered) > 200 and {"KEN", "NER", "TCD", "UGA"} <= set(offered)
    assert _chosen_country(client.get("/needs/new", params={"country": "TCD"}).text) == ["TCD"]


def test_a_need_for_another_country_comes_back_with_what_was_typed(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.emails["focal_ken"])
    typed = {
        "country_iso3": "NER",
        "title": TITLE,
        "description": "The source has decayed below clinical use; treatment times have doubled.",
        "thematic_area_code": "health",
        "technique_codes": "radiotherapy",
        "estimated_cost": "850000",
        "currency": "USD",
        "visibility": "public",
    }
    refused = _post_new(client, typed)
    assert refused.status_code == 403, refused.text[:400]
    assert field_error(refused.text, "country_iso3") == REFUSAL
    assert REFUSAL in form_problem(refused.text)
    sent = sent_again(refused.text)
    assert sent["title"] == [TITLE] and sent["description"] == [typed["description"]]
    assert sent["estimated_cost"] == ["850000"] and sent["technique_codes"] == ["radiotherapy"]
    assert sent["country_iso3"] == ["KEN"]  # the only country offered: saved again, it is theirs
    assert accessibility_problems(refused.text) == []
    assert _drafted(session, TITLE) == 0


def test_the_country_refusal_comes_with_the_forms_other_problems(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.emails["counterpart_ken"])
    refused = _post_new(client, {"country_iso3": "UGA", "title": TITLE, "currency": "dollars"})
    assert refused.status_code == 403, refused.text[:400]
    assert field_error(refused.text, "country_iso3") == REFUSAL
    assert field_error(refused.text, "thematic_area_code") and field_error(refused.text, "currency")
    assert sent_again(refused.text)["title"] == [TITLE]
    assert _drafted(session, TITLE) == 0


def test_a_need_for_their_own_country_is_still_saved(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.emails["focal_ken"])
    saved = _post_new(
        client, {"country_iso3": "KEN", "title": TITLE, "thematic_area_code": "health", "currency": "USD"}
    )
    assert saved.status_code == 303, saved.text[:400]
    assert _drafted(session, TITLE) == 1


def test_who_may_draft_for_no_country_is_refused_without_the_form(client: TestClient, world: World) -> None:
    sign_in(client, world.emails["partner_a"])
    refused = _post_new_without_page(client, {"country_iso3": "KEN", "title": TITLE})
    assert refused.status_code == 403
    assert 'name="title"' not in refused.text


def _post_new_without_page(client: TestClient, data: dict[str, Any]) -> Any:
    """A post from someone refused the form page (the token of another page of theirs)."""
    token = csrf_token(client, "/account")
    return client.post("/needs", data={**data, "csrf_token": token}, follow_redirects=False)
