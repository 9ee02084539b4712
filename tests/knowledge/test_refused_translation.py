"""A refused translation comes back on its record's page as it was typed (422), the problem beside its field
and in the reader's language: a French translation of 20,910 characters was answered by a redirect saying
"...: text: est trop long", the text box empty, the field named by its internal name."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.accounts.permissions import Actor
from pux.knowledge import service
from pux.knowledge.schemas import StoryCreate
from pux.knowledge.seed import SeedReport
from tests.web_helpers import csrf_token, sign_in
from tests.world import screwworm_evidence

TYPED = "Une traduction soignée, phrase après phrase. " * 465  # 20,925 characters


def _record(session: Session, editor: Actor, kind: str) -> tuple[int, str]:
    """A record of ``kind`` to translate, and the address of its page."""
    if kind == "evidence":
        entry = screwworm_evidence(session, editor)
        return entry.id, f"/evidence/{entry.id}"
    if kind == "story":
        story = service.create_story(
            session,
            actor=editor,
            data=StoryCreate(title="Sterile flies protect the herds", status="published"),
        )
        return story.id, f"/stories/{story.slug}"
    if kind == "myth":
        myth = service.get_myth(session, actor=editor, slug="irradiated-food-is-radioactive")
        return myth.id, f"/myths/{myth.slug}"
    page = service.technique_page(session, actor=editor, slug="sterile-insect-technique")
    assert page.profile is not None
    return page.profile.id, "/techniques/sterile-insect-technique"


@pytest.mark.parametrize("kind", ["evidence", "story", "myth", "technique"])
def test_a_refused_translation_keeps_what_was_typed_and_says_why_beside_it(
    client: TestClient, session: Session, seeded: SeedReport, editor: Actor, kind: str
) -> None:
    record_id, page = _record(session, editor, kind)
    sign_in(client, "editor@test.pux.invalid")
    client.get("/language/fr")
    field = {"evidence": "claim", "story": "title", "myth": "claim", "technique": "summary"}[kind]
    answer = client.post(
        f"/knowledge/{kind}/{record_id}/translations",
        data={"field": field, "language": "ar", "text": TYPED, "csrf_token": csrf_token(client, page)},
        follow_redirects=False,
    )
    assert answer.status_code == 422
    text_box = re.search(
        r'<textarea id="f-tr-text" name="text"[^>]*>(.*?)</textarea>\s*(<p[^>]*>.*?</p>)?', answer.text, re.S
    )
    assert text_box is not None
    assert html.unescape(text_box.group(1)) == TYPED
    assert text_box.group(2) is not None and "est trop long (20000 caractères au maximum)" in text_box.group(
        2
    )
    assert 'aria-invalid="true" aria-describedby="error-text"' in answer.text
    assert "text:" not in answer.text
    assert 'action="/knowledge/' + kind + f'/{record_id}/translations#translations"' in answer.text
    # The language chosen stays chosen.
    assert re.search(r'<option value="ar"\s+selected>', answer.text)
