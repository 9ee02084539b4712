"""One activity's title made the public IATI file answer 500 for everyone: a donor's title holding U+FFFE
(a Unicode noncharacter, which XML cannot hold) was saved, then every export failed ("All strings must be
XML compatible"). Forms and the API now refuse such text beside the field; a record saved before still
exports, without those characters."""

from __future__ import annotations

from fastapi.testclient import TestClient
from lxml import etree
from sqlalchemy import update
from sqlalchemy.orm import Session

from pux.assistance.models import AssistanceActivity
from tests.web_helpers import bearer
from tests.world import World, activity_data


def test_the_api_refuses_a_title_with_a_noncharacter_naming_the_field(
    client: TestClient, world: World
) -> None:
    body = activity_data(world.organisations["donor_a"]).model_dump(mode="json")
    for text in ("Nonchar \ufffe title", "Nonchar \U0001ffff title", "Nonchar \ufdd0 title"):
        answer = client.post(
            "/api/v1/activities", json={**body, "title": text}, headers=bearer(world.tokens["partner_a"])
        )
        assert answer.status_code == 422, answer.text
        assert "title" in answer.text and "noncharacter" in answer.text


def test_a_title_saved_before_with_such_characters_still_exports(
    client: TestClient, session: Session, world: World
) -> None:
    activity_id = world.activities["public_a"]
    session.execute(
        update(AssistanceActivity)
        .where(AssistanceActivity.id == activity_id)
        .values(title="Old \ufffe title\uffff kept")
    )
    session.flush()
    for path in ("/activities/iati.xml", "/api/v1/activities.iati.xml"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        titles = [n.text for n in etree.fromstring(answer.content).iter("narrative")]
        assert "Old  title kept" in titles, path
