"""The machine-assisted translations loaded with PUX, listed for reviewers (/me/translations). The inbox only
said how many there were (1,200 at the demo) and that "each is on the page of its record": a reviewer of
Arabic had no way to find the Arabic ones but to open every record. The page lists them, by language if
the reviewer chooses, each linking to where it is reviewed; a reviewed one leaves the list."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.accounts.permissions import REVIEWER, Actor
from pux.knowledge import repository
from pux.knowledge import service as knowledge
from pux.knowledge.models import KnowledgeTranslation
from pux.knowledge.schemas import MythCreate, StoryCreate, sources_from_lines
from pux.pagination import DEFAULT_PAGE_SIZE
from tests.web_helpers import csrf_token, sign_in
from tests.world import World, person, screwworm_evidence

REVIEWER_EMAIL = "reviewer.loaded@test.pux.invalid"
# More Arabic drafts than a page holds, and a few French ones.
ARABIC, FRENCH = DEFAULT_PAGE_SIZE + 3, 4


def _loaded(session: Session, world: World) -> dict[str, list[KnowledgeTranslation]]:
    """Drafts as PUX loads them (no writer, not reviewed), of the claims of several evidence entries."""
    editor = world.actors["admin"]
    drafts: dict[str, list[KnowledgeTranslation]] = {"ar": [], "fr": []}
    for number in range(max(ARABIC, FRENCH)):
        entry = screwworm_evidence(session, editor, f"Yearly benefit to livestock producers, study {number}")
        for language, count, text in (
            ("ar", ARABIC, "الفائدة السنوية رقم"),
            ("fr", FRENCH, "Bénéfice annuel n°"),
        ):
            if number < count:
                draft = KnowledgeTranslation(
                    entity_type="evidence",
                    entity_id=entry.id,
                    field="claim",
                    language=language,
                    text=f"{text} {number}",
                )
                repository.add(session, draft)
                drafts[language].append(draft)
    session.commit()
    return drafts


def _listed(page: str) -> list[str]:
    """The texts of the drafts a page lists, in order."""
    return [html.unescape(text) for text in re.findall(r'<q lang="[a-z]{2}" dir="auto">([^<]*)</q>', page)]


def test_a_reviewer_finds_the_loaded_drafts_of_a_language_and_reviews_one(
    client: TestClient, session: Session, world: World
) -> None:
    person(session, world, REVIEWER, REVIEWER_EMAIL)
    drafts = _loaded(session, world)
    sign_in(client, REVIEWER_EMAIL)
    assert 'href="/me/translations"' in client.get("/me").text

    everything = client.get("/me/translations")
    assert everything.status_code == 200
    assert f"of {ARABIC + FRENCH}" in everything.text
    assert f"العربية ({ARABIC})" in everything.text and f"Français ({FRENCH})" in everything.text

    first = client.get("/me/translations?language=ar")
    second = client.get("/me/translations?language=ar&page=2")
    arabic = _listed(first.text) + _listed(second.text)
    assert sorted(arabic) == sorted(draft.text for draft in drafts["ar"])
    assert len(_listed(first.text)) == DEFAULT_PAGE_SIZE and 'rel="next"' in first.text

    draft = drafts["ar"][0]
    found = re.search(rf'href="(/evidence/{draft.entity_id}\?translation={draft.id}[^"]*)"', first.text)
    assert found, "the list does not link the draft's record"
    link = html.unescape(found.group(1))
    assert link.endswith(f"#translation-{draft.id}")
    record = client.get(link)
    assert f'<tr id="translation-{draft.id}">' in record.text
    assert draft.text in record.text and f"/knowledge/translations/{draft.id}/review" in record.text
    form = re.search(rf'action="/knowledge/translations/{draft.id}/review".*?</form>', record.text, re.S)
    assert form, "the record offers no review of the draft"
    back = re.search(r'name="back" value="([^"]*)"', form.group(0))
    assert back, "the review does not lead back to the list"
    reviewed = client.post(
        f"/knowledge/translations/{draft.id}/review",
        data={
            "version": str(draft.version),
            "back": html.unescape(back.group(1)),
            "csrf_token": csrf_token(client, link),
        },
        follow_redirects=False,
    )
    assert reviewed.status_code == 303
    assert reviewed.headers["location"] == "/me/translations?language=ar&page=1"
    after = client.get("/me/translations?language=ar")
    assert f"of {ARABIC - 1}" in after.text and draft.text not in _listed(after.text)


def test_only_reviewers_see_the_list(client: TestClient, session: Session, world: World) -> None:
    _loaded(session, world)
    anonymous = client.get("/me/translations", follow_redirects=False)
    assert anonymous.status_code == 303 and "/sign-in" in anonymous.headers["location"]
    sign_in(client, world.emails["focal_ken"])
    refused = client.get("/me/translations")
    assert refused.status_code == 403 and "Only knowledge reviewers review translations." in refused.text
    assert client.get("/me/translations?language=xx").status_code == 422


def _myth(session: Session) -> tuple[str, int]:
    data = MythCreate.model_validate(
        {
            "claim": "Irradiated food is radioactive",
            "finding": "It is not: the dose does not make food radioactive.",
            "sources": sources_from_lines("Food irradiation | WHO | 1999 | https://example.org/who"),
        }
    )
    myth = knowledge.create_myth(session, actor=Actor.system("test"), data=data)
    return f"/myths/{myth.slug}", myth.id


def _story(session: Session) -> tuple[str, int]:
    data = StoryCreate(title="Radiotherapy reaches the west", body="A story.", status="published")
    story = knowledge.create_story(session, actor=Actor.system("test"), data=data)
    return f"/stories/{story.slug}", story.id


@pytest.mark.parametrize(("kind", "field", "make"), [("myth", "finding", _myth), ("story", "body", _story)])
def test_a_reviewer_who_is_no_editor_reviews_a_loaded_draft_of_a_myth_or_a_story(
    client: TestClient, session: Session, world: World, kind: str, field: str, make: Any
) -> None:
    """A story's or a myth's translations were shown to editors only: the reviewer the inbox sent there
    found nothing to review."""
    person(session, world, REVIEWER, REVIEWER_EMAIL)
    page, record_id = make(session)
    draft = KnowledgeTranslation(
        entity_type=kind, entity_id=record_id, field=field, language="fr", text="**Non.** Traduction chargée"
    )
    repository.add(session, draft)
    session.commit()
    sign_in(client, REVIEWER_EMAIL)
    listed = client.get("/me/translations?language=fr").text
    assert "Non. Traduction chargée" in _listed(listed)  # the Markdown's marks left out of the excerpt
    found = re.search(rf'href="({re.escape(page)}\?translation={draft.id}[^"]*)"', listed)
    assert found, f"the list does not link the {kind}"
    record = client.get(html.unescape(found.group(1)))
    assert f'<tr id="translation-{draft.id}">' in record.text
    assert f'action="/knowledge/translations/{draft.id}/review"' in record.text
    assert f'href="{page}/edit"' not in record.text  # a reviewer, not an editor
