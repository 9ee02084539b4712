"""The machine-assisted translations loaded with PUX, listed for reviewers (/me/translations). The inbox only
said how many there were (1,200 at the demo) and that "each is on the page of its record": a reviewer of
Arabic had no way to find the Arabic ones but to open every record. The page lists them, by language if
the reviewer chooses, each linking to where it is reviewed; a reviewed one leaves the list."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.accounts.permissions import REVIEWER
from pux.knowledge import repository
from pux.knowledge.models import KnowledgeTranslation
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
    link = f"/evidence/{draft.entity_id}?translation={draft.id}#translation-{draft.id}"
    assert f'href="{link}"' in first.text
    record = client.get(link)
    assert f'<tr id="translation-{draft.id}">' in record.text
    assert draft.text in record.text and f"/knowledge/translations/{draft.id}/review" in record.text
    reviewed = client.post(
        f"/knowledge/translations/{draft.id}/review",
        data={
            "version": str(draft.version),
            "csrf_token": csrf_token(client, f"/evidence/{draft.entity_id}"),
        },
        follow_redirects=False,
    )
    assert reviewed.status_code == 303
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
