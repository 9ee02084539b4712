"""A new evidence entry, story or myth is said to be written in the page's language until its author says
otherwise: the forms said English on every page, so an Arabic editor's claim, left so, was saved as English,
and its Arabic readers were told it was not translated yet and offered to translate it into Arabic."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.accounts.permissions import Actor
from pux.knowledge.models import EvidenceEntry
from pux.needs import service as needs
from tests.web.test_forms import language, post_form
from tests.web_helpers import sign_in
from tests.world import World

NEW_FORMS = ("/evidence/new", "/stories/new", "/myths/new")


def _chosen_language(page: str) -> str:
    start = page.index('name="source_language"')
    chosen = re.findall(r'<option value="(\w+)" selected>', page[start : page.index("</select>", start)])
    assert len(chosen) == 1, chosen
    return chosen[0]


@pytest.mark.parametrize("lang", ["ar", "fr", "zh"])
@pytest.mark.parametrize("path", NEW_FORMS)
def test_a_new_texts_language_starts_as_the_pages(
    client: TestClient, world: World, editor: Actor, lang: str, path: str
) -> None:
    sign_in(client, "editor@test.pux.invalid")
    with language(client, lang):
        page = client.get(path)
    assert page.status_code == 200, page.text[:400]
    assert _chosen_language(page.text) == lang


def test_a_story_drafted_from_a_need_starts_in_the_pages_language(
    client: TestClient, session: Session, world: World
) -> None:
    need = needs.get_need(session, actor=world.actors["admin"], need_id=world.needs["published_ken"])
    need.status = "completed"
    session.flush()
    sign_in(client, world.emails["facilitator"])
    with language(client, "ru"):
        page = client.get("/stories/new", params={"need": need.id})
    assert page.status_code == 200 and f'name="need_id" value="{need.id}"' in page.text
    assert _chosen_language(page.text) == "ru"


def test_an_arabic_claim_sent_as_the_form_offers_it_is_saved_as_arabic(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.emails["facilitator"])
    with language(client, "ar"):
        offered = _chosen_language(client.get("/evidence/new").text)
        typed = {
            "technique_code": "sterile_insect",
            "claim": "خفض تقنية الحشرات العقيمة أعداد ذبابة الفاكهة في وادي الأردن",
            "value": "85",
            "unit": "في المائة",
            "citation_title": "تقرير الوكالة الدولية للطاقة الذرية",
            "citation_year": "2021",
            "citation_url": "https://example.org/report",
            "source_language": offered,
        }
        created = post_form(client, "/evidence", typed, "/evidence/new")
    assert created.status_code == 303, created.text[:500]
    entry = session.get(EvidenceEntry, int(created.headers["location"].rsplit("/", 1)[1]))
    assert entry is not None and entry.source_language == "ar"
