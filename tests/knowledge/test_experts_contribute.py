"""Experts come to PUX to share what they know, and were refused (403) evidence and stories. An expert now
adds evidence entries (reported until a reviewer other than them checks them) and story drafts (published
only by a reviewer's review); they edit only what they contributed, while it is unchecked or unpublished,
and a refusal says why."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.accounts.permissions import Actor, PermissionDenied
from pux.errors import NotFound, ValidationFailed
from pux.knowledge import repository, service
from pux.knowledge.schemas import EvidenceCreate, StoryCreate, StoryUpdate
from tests.web_helpers import bearer, csrf_token, sign_in
from tests.world import World

FIGURE: dict[str, Any] = {
    "technique_code": "sterile_insect",
    "claim": "Cost per hectare protected by sterile flies in the valley",
    "value": 42,
    "unit": "USD per hectare",
    "citation_title": "Area-wide programme costs",
    "citation_year": 2019,
    "citation_url": "https://example.org/aw",
}
STORY = {
    "title": "An account of the valley releases by an expert",
    "body": "Losses fell from 40% to 18%.",
    "source_language": "en",
    "sources_text": "Valley orchard survey | Ministry of Agriculture | 2021 | https://example.org/survey",
}


def test_an_expert_adds_evidence_that_stays_reported_until_someone_else_checks_it(
    client: TestClient, world: World, reviewer: Actor
) -> None:
    expert = bearer(world.tokens["expert"])
    added = client.post("/api/v1/evidence", json=FIGURE, headers=expert)
    assert added.status_code == 201, added.text
    entry = added.json()
    assert entry["status"] == "reported" and entry["checked_by_name"] is None
    check = {"version": entry["version"]}
    refused = client.post(f"/api/v1/evidence/{entry['id']}/check", json=check, headers=expert)
    assert refused.status_code == 403
    checked = client.post(
        f"/api/v1/evidence/{entry['id']}/check", json=check, headers=bearer(world.tokens["facilitator"])
    )
    assert checked.status_code == 200 and checked.json()["status"] == "checked"


def test_an_expert_edits_their_own_entry_until_it_is_checked_and_no_one_elses(
    client: TestClient, session: Session, world: World
) -> None:
    expert = bearer(world.tokens["expert"])
    own = client.post("/api/v1/evidence", json=FIGURE, headers=expert).json()
    address = f"/api/v1/evidence/{own['id']}"
    edited = client.put(
        address,
        json={**FIGURE, "value": 41, "version": own["version"]},
        headers=expert,
    )
    assert edited.status_code == 200 and edited.json()["value"] == 41
    others = service.create_evidence(
        session, actor=world.actors["facilitator"], data=EvidenceCreate.model_validate(FIGURE)
    )
    refused = client.put(
        f"/api/v1/evidence/{others.id}", json={**FIGURE, "version": others.version}, headers=expert
    )
    assert refused.status_code == 403 and "only an entry they added" in refused.json()["detail"]
    client.post(
        f"{address}/check",
        json={"version": edited.json()["version"]},
        headers=bearer(world.tokens["facilitator"]),
    )
    checked = repository.get_evidence(session, own["id"])
    assert checked is not None and checked.status == "checked"
    after_check = client.put(
        address,
        json={**FIGURE, "value": 40, "version": checked.version},
        headers=expert,
    )
    assert after_check.status_code == 403 and checked.value == 41


def test_the_expert_is_told_why_on_the_sites_own_page_when_editing_a_checked_entry(
    client: TestClient, session: Session, world: World, reviewer: Actor
) -> None:
    sign_in(client, world.emails["expert"])
    form = {**FIGURE, "csrf_token": csrf_token(client, "/evidence")}
    saved = client.post("/evidence", data=form, follow_redirects=False)
    assert saved.status_code == 303
    entry_id = int(saved.headers["location"].rsplit("/", 1)[1])
    entry = repository.get_evidence(session, entry_id)
    assert entry is not None and entry.author_id == world.user_ids["expert"] and entry.status == "reported"
    service.check_evidence(session, actor=reviewer, entry_id=entry_id, version=entry.version)
    refused = client.post(
        f"/evidence/{entry_id}/edit",
        data={**form, "value": "40", "version": str(entry.version)},
        follow_redirects=False,
    )
    assert refused.status_code == 403
    assert "an expert edits only an entry they added, until a reviewer has checked it" in refused.text
    assert "<html" in refused.text  # the site's page, not a bare error


def test_an_experts_story_is_a_draft_they_see_and_edit_until_a_reviewer_publishes_it(
    client: TestClient, session: Session, world: World, reviewer: Actor
) -> None:
    sign_in(client, world.emails["expert"])
    form = {**STORY, "csrf_token": csrf_token(client, "/stories")}
    saved = client.post("/stories", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text[:2000]
    path = saved.headers["location"]
    story = repository.get_story_by_slug(session, path.rsplit("/", 1)[1])
    assert story is not None and story.status == "draft" and story.author_id == world.user_ids["expert"]
    assert client.get(path).status_code == 200
    assert STORY["title"] in client.get("/stories").text
    outsider = TestClient(client.app)
    assert outsider.get(path).status_code == 404
    assert (
        client.get(f"/api/v1/stories/{story.slug}", headers=bearer(world.tokens["partner_a"])).status_code
        == 404
    )

    expert = world.actors["expert"]
    fields = {"title": story.title, "body": "Losses fell from 40% to 18% (edited).", "sources": story.sources}
    with pytest.raises(ValidationFailed) as refused:
        service.update_story(
            session, actor=expert, story_id=story.id,
            data=StoryUpdate.model_validate({**fields, "status": "published", "version": story.version}),
        )  # fmt: skip
    assert [p.field for p in refused.value.problems] == ["status"]
    edited = service.update_story(
        session, actor=expert, story_id=story.id,
        data=StoryUpdate.model_validate({**fields, "status": "draft", "version": story.version}),
    )  # fmt: skip
    published = service.review_story(session, actor=reviewer, story_id=story.id, version=edited.version)
    assert published.status == "published" and published.reviewed_at is not None
    with pytest.raises(PermissionDenied):
        service.update_story(
            session, actor=expert, story_id=story.id,
            data=StoryUpdate.model_validate({**fields, "status": "draft", "version": published.version}),
        )  # fmt: skip


def test_an_expert_does_not_see_or_edit_another_persons_draft(session: Session, world: World) -> None:
    draft = service.create_story(
        session,
        actor=world.actors["facilitator"],
        data=StoryCreate.model_validate({"title": "A facilitator's draft story", "body": "Draft."}),
    )
    expert = world.actors["expert"]
    assert draft not in service.list_stories(session, actor=expert)
    with pytest.raises(NotFound):
        service.get_story(session, actor=expert, slug=draft.slug)


@pytest.mark.parametrize("role", ["public", "focal_ken", "partner_a"])
def test_others_still_may_not_contribute(client: TestClient, world: World, role: str) -> None:
    headers = bearer(world.tokens[role]) if role != "public" else {}
    refused = client.post("/api/v1/evidence", json=FIGURE, headers=headers)
    assert refused.status_code in (401, 403)
    if role != "public":
        assert "experts add evidence" in refused.json()["detail"]
