"""A story or myth says it was reviewed only when someone other than who wrote it reviewed it. An editor
published their own story at once and its page said "Last reviewed on" that day; a reviewer got 404 on
drafts and had no review step; myths and technique pages claimed a review on every editor's save, and the
seed claimed one for every text it loaded."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.accounts import service as accounts
from pux.accounts.permissions import EDITOR, REVIEWER, Actor, Grant, PermissionDenied
from pux.audit import service as audit
from pux.errors import ValidationFailed
from pux.knowledge import repository, service
from pux.knowledge.models import Myth, SuccessStory
from pux.knowledge.schemas import MythCreate, StoryCreate, StoryUpdate
from pux.knowledge.seed import SeedReport, load_demo_stories, load_knowledge_seed
from tests.knowledge.conftest import FIXTURES
from tests.web_helpers import bearer, sign_in
from tests.world import PASSWORD, World

SOURCE = {"title": "Programme report", "year": 2021, "url": "https://example.org/report"}


def _story(session: Session, author: Actor, status: str = "draft") -> SuccessStory:
    data = StoryCreate.model_validate(
        {"title": "Clinics reopen in the valley", "body": "Text.", "sources": [SOURCE], "status": status}
    )
    return service.create_story(session, actor=author, data=data)


def _myth(session: Session, author: Actor, *, published: bool) -> Myth:
    data = MythCreate.model_validate(
        {"claim": "Irradiated seeds glow", "finding": "They do not: nothing in them becomes radioactive.",
         "sources": [SOURCE], "is_published": published}
    )  # fmt: skip
    return service.create_myth(session, actor=author, data=data)


def _token(session: Session, actor: Actor) -> dict[str, str]:
    _record, secret = accounts.create_api_token(session, actor=actor, name="tests")
    return bearer(secret)


def test_an_editors_own_publication_claims_no_review(
    client: TestClient, session: Session, editor: Actor
) -> None:
    story = _story(session, editor, status="published")
    assert story.status == "published" and story.reviewed_at is None
    page = client.get(f"/stories/{story.slug}").text
    assert "Last reviewed" not in page and "Not yet reviewed" in page
    assert client.get(f"/api/v1/stories/{story.slug}").json()["reviewed_at"] is None
    edited = service.update_story(
        session,
        actor=editor,
        story_id=story.id,
        data=StoryUpdate.model_validate(
            {"title": story.title, "body": "Edited.", "sources": [SOURCE], "status": "published",
             "version": story.version}
        ),
    )  # fmt: skip
    assert edited.reviewed_at is None


def test_a_reviewer_sees_a_draft_and_reviews_it_which_publishes_it_with_the_date(
    client: TestClient, session: Session, editor: Actor, reviewer: Actor
) -> None:
    story = _story(session, editor)
    sign_in(client, "reviewer@test.pux.invalid")
    assert client.get(f"/stories/{story.slug}").status_code == 200
    assert "Clinics reopen in the valley" in client.get("/stories").text
    answer = client.post(
        f"/api/v1/stories/{story.slug}/review",
        json={"version": story.version},
        headers=_token(session, reviewer),
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "published" and answer.json()["reviewed_at"] is not None
    events = audit.history(session, entity_type="knowledge_story", entity_id=str(story.id))
    assert [(e.action, e.actor) for e in events][-1] == ("story.review", reviewer.label)
    assert "Last reviewed on" in client.get(f"/stories/{story.slug}").text


def test_whoever_wrote_a_story_never_reviews_it(session: Session, world: World) -> None:
    facilitator = world.actors["facilitator"]  # a facilitator may review others' stories
    story = _story(session, facilitator)
    with pytest.raises(PermissionDenied):
        service.review_story(session, actor=facilitator, story_id=story.id, version=story.version)
    assert story.status == "draft" and story.reviewed_at is None


def test_an_editor_may_not_publish_a_draft_someone_else_wrote_without_a_review(
    session: Session, world: World, editor: Actor, reviewer: Actor
) -> None:
    story = _story(session, world.actors["facilitator"])
    publish = StoryUpdate.model_validate(
        {"title": story.title, "body": story.body, "sources": [SOURCE], "status": "published",
         "version": story.version}
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as refused:
        service.update_story(session, actor=editor, story_id=story.id, data=publish)
    assert [p.field for p in refused.value.problems] == ["status"]
    reviewed = service.review_story(session, actor=reviewer, story_id=story.id, version=story.version)
    assert reviewed.status == "published" and reviewed.reviewed_at is not None


def test_a_myth_is_marked_reviewed_only_by_a_reviewer_who_did_not_write_it(
    client: TestClient, session: Session, world: World, reviewer: Actor
) -> None:
    facilitator = world.actors["facilitator"]
    myth = _myth(session, facilitator, published=True)
    assert myth.is_published and myth.reviewed_at is None
    assert "Not yet reviewed" in client.get(f"/myths/{myth.slug}").text
    refused = client.post(
        f"/api/v1/myths/{myth.slug}/review",
        json={"version": myth.version},
        headers=bearer(world.tokens["facilitator"]),
    )
    assert refused.status_code == 403
    unpublished = _myth(session, facilitator, published=False)
    sign_in(client, "reviewer@test.pux.invalid")
    assert client.get(f"/myths/{unpublished.slug}").status_code == 200
    answer = client.post(
        f"/api/v1/myths/{unpublished.slug}/review",
        json={"version": unpublished.version},
        headers=_token(session, reviewer),
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["is_published"] and answer.json()["reviewed_at"] is not None


def test_an_editor_saving_a_technique_summary_claims_no_review(
    session: Session, editor: Actor, seeded: SeedReport
) -> None:
    page = service.technique_page(session, actor=editor, slug="sterile-insect-technique")
    assert page.profile is not None
    profile = service.update_technique_summary(
        session, actor=editor, slug="sterile-insect-technique", summary="Sterile males mate in vain.",
        sdg_target_codes=[], version=page.profile.version,
    )  # fmt: skip
    assert profile.reviewed_at is None


def test_loading_the_seed_is_no_review_and_a_real_review_survives_a_reload(
    session: Session, world: World, reviewer: Actor
) -> None:
    load_knowledge_seed(session, actor="test-seed", data_dir=FIXTURES)
    load_demo_stories(session, data_dir=FIXTURES)
    myths = repository.list_myths(session, published_only=False)
    stories = repository.list_stories(session, published_only=False)
    assert myths and stories
    assert [m.reviewed_at for m in myths] == [None] * len(myths)
    assert [s.reviewed_at for s in stories] == [None] * len(stories)
    reviewed = service.review_myth(session, actor=reviewer, myth_id=myths[0].id, version=myths[0].version)
    when = reviewed.reviewed_at
    # A date an earlier loader wrote, with no review behind it, goes at the next load.
    stories[0].reviewed_at = when
    load_knowledge_seed(session, actor="test-seed", data_dir=FIXTURES)
    load_demo_stories(session, data_dir=FIXTURES)
    assert reviewed.reviewed_at == when and stories[0].reviewed_at is None


def test_a_person_both_editor_and_reviewer_does_not_review_what_they_wrote(
    session: Session, world: World
) -> None:
    both = accounts.actor_for(
        accounts.create_user(
            session, actor=world.actors["admin"], email="both@test.pux.invalid", full_name="Test both",
            password=PASSWORD, grants=[Grant(EDITOR), Grant(REVIEWER)],
        )
    )  # fmt: skip
    myth = _myth(session, both, published=False)
    with pytest.raises(PermissionDenied):
        service.review_myth(session, actor=both, myth_id=myth.id, version=myth.version)
    assert not service.may_review_myth(session, both, myth)
