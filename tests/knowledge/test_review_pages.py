"""A reviewer reviews a draft story or an unpublished myth from its page (the review existed only in the
API); its writer is offered no such button."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.accounts.permissions import Actor
from pux.knowledge import service
from pux.knowledge.models import Myth, SuccessStory
from pux.knowledge.schemas import MythCreate, StoryCreate
from tests.web_helpers import csrf_token, sign_in

SOURCE = {"title": "Programme report", "year": 2021, "url": "https://example.org/report"}
BUTTON = "Review and publish"


def _review(client: TestClient, page: str, version: int) -> int:
    answer = client.post(
        f"{page}/review",
        data={"version": str(version), "csrf_token": csrf_token(client, page)},
        follow_redirects=False,
    )
    return answer.status_code


def test_a_reviewer_reviews_a_draft_story_from_its_page(
    client: TestClient, session: Session, editor: Actor, reviewer: Actor
) -> None:
    data = StoryCreate.model_validate(
        {"title": "Clinics reopen in the valley", "body": "Text.", "sources": [SOURCE], "status": "draft"}
    )
    story = service.create_story(session, actor=editor, data=data)
    page = f"/stories/{story.slug}"
    sign_in(client, "editor@test.pux.invalid")
    assert BUTTON not in client.get(page).text  # its writer never reviews it
    sign_in(client, "reviewer@test.pux.invalid")
    assert BUTTON in client.get(page).text
    assert _review(client, page, story.version) == 303
    session.expire_all()
    reviewed = session.get(SuccessStory, story.id)
    assert reviewed is not None and reviewed.status == "published" and reviewed.reviewed_at is not None
    assert "Last reviewed on" in client.get(page).text and BUTTON not in client.get(page).text


def test_a_reviewer_reviews_an_unpublished_myth_from_its_page(
    client: TestClient, session: Session, editor: Actor, reviewer: Actor
) -> None:
    data = MythCreate.model_validate(
        {
            "claim": "Irradiated seeds glow",
            "finding": "They do not.",
            "sources": [SOURCE],
            "is_published": False,
        }
    )
    myth = service.create_myth(session, actor=editor, data=data)
    page = f"/myths/{myth.slug}"
    sign_in(client, "reviewer@test.pux.invalid")
    assert BUTTON in client.get(page).text
    assert _review(client, page, myth.version + 1) == 409  # not the version shown: someone saved since
    assert _review(client, page, myth.version) == 303
    session.expire_all()
    reviewed = session.get(Myth, myth.id)
    assert reviewed is not None and reviewed.is_published and reviewed.reviewed_at is not None
