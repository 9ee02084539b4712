"""A need's history shows coded values by their labels in the reader's language: it read "Regulatory
body: ready <- partial" and "['rural_communities', 'women_girls']" on English and Arabic pages alike."""

from __future__ import annotations

from fastapi.testclient import TestClient
from lxml import html
from sqlalchemy.orm import Session

from pux.i18n import language_context
from pux.needs import service as needs
from pux.needs.schemas import NeedUpdate
from pux.reference.vocabulary import readiness_label, vulnerable_group_label
from pux.web.middleware import LANGUAGE_COOKIE
from tests.web_helpers import sign_in
from tests.world import World


def _changes(client: TestClient, need_id: int) -> str:
    page = html.fromstring(client.get(f"/needs/{need_id}").text)
    items = page.xpath("//ul[@class='changes']/li")
    return " | ".join(" ".join(item.text_content().split()) for item in items)


def test_readiness_and_groups_read_as_words_in_the_readers_language(
    client: TestClient, session: Session, world: World
) -> None:
    focal = world.actors["focal_ken"]
    need_id = world.needs["published_ken"]
    need = needs.get_need(session, actor=focal, need_id=need_id)
    values = {name: getattr(need, name) for name in NeedUpdate.model_fields}
    changes = {"regulatory_body": "ready", "vulnerable_groups": ["rural_communities", "women_girls"]}
    needs.update_need(
        session, actor=focal, need_id=need_id, data=NeedUpdate.model_validate({**values, **changes})
    )
    session.flush()
    sign_in(client, world.emails["focal_ken"])
    for language in ("en", "ar"):
        client.cookies.set(LANGUAGE_COOKIE, language)
        shown = _changes(client, need_id)
        with language_context(language):
            assert readiness_label("ready") in shown, shown
            assert vulnerable_group_label("rural_communities") in shown, shown
        assert "rural_communities" not in shown and "['" not in shown, shown
