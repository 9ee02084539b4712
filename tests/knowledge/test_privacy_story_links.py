"""A published story never shows (by link or number) a need, programme or activity its reader may not see."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.accounts.permissions import Actor
from pux.knowledge import service
from pux.knowledge.models import SuccessStory
from pux.knowledge.schemas import StoryCreate, StoryUpdate
from tests.web_helpers import bearer, sign_in
from tests.world import World


def _story_of_hidden_records(session: Session, world: World) -> SuccessStory:
    """A facilitator (who sees everything) tells of Kenya's private need, donor A's draft programme and
    agency B's private activity, and publishes it."""
    facilitator = world.actors["facilitator"]
    text = {"title": "Measuring breast milk intake", "body": "Mothers and isotopes.", "status": "published"}
    story = service.create_story(session, actor=facilitator, data=StoryCreate.model_validate(text))
    # Linked by a later edit, so that the story's history holds the change too.
    service.update_story(
        session,
        actor=facilitator,
        story_id=story.id,
        data=StoryUpdate.model_validate({**text, **_hidden(world), "version": story.version}),
    )
    session.flush()
    return story


def _hidden(world: World) -> dict[str, int]:
    return {
        "need_id": world.needs["private_ken"],
        "programme_id": world.programmes["draft_a"],
        "activity_id": world.activities["private_b"],
    }


def test_the_public_reads_the_story_without_the_records_it_may_not_see(
    client: TestClient, session: Session, world: World
) -> None:
    story = _story_of_hidden_records(session, world)
    page = client.get(f"/stories/{story.slug}")
    assert page.status_code == 200 and "Measuring breast milk intake" in page.text
    for path, number in (("needs", "need_id"), ("programmes", "programme_id"), ("activities", "activity_id")):
        assert f"/{path}/{_hidden(world)[number]}" not in page.text
    assert "The need it tells of" not in page.text
    read = client.get(f"/api/v1/stories/{story.slug}").json()
    assert {name: read[name] for name in _hidden(world)} == dict.fromkeys(_hidden(world))
    listed = [item for item in client.get("/api/v1/stories").json() if item["id"] == story.id]
    assert [(item["need_id"], item["programme_id"], item["activity_id"]) for item in listed] == [
        (None, None, None)
    ]


def test_those_who_may_see_a_record_read_its_link(client: TestClient, session: Session, world: World) -> None:
    story = _story_of_hidden_records(session, world)
    kenya = client.get(f"/api/v1/stories/{story.slug}", headers=bearer(world.tokens["focal_ken"])).json()
    assert (kenya["need_id"], kenya["programme_id"], kenya["activity_id"]) == (
        world.needs["private_ken"],
        None,
        None,
    )
    sign_in(client, world.emails["focal_ken"])
    assert f'href="/needs/{world.needs["private_ken"]}"' in client.get(f"/stories/{story.slug}").text


def test_an_editor_who_may_not_see_the_records_edits_the_story_and_keeps_them(
    client: TestClient, session: Session, world: World, editor: Actor
) -> None:
    story = _story_of_hidden_records(session, world)
    values = service.story_form_values(session, actor=editor, story=story)
    assert {name: values[name] for name in _hidden(world)} == dict.fromkeys(_hidden(world))
    service.update_story(
        session,
        actor=editor,
        story_id=story.id,
        data=StoryUpdate.model_validate({**values, "body": "Mothers, infants and isotopes."}),
    )
    assert {name: getattr(story, name) for name in _hidden(world)} == _hidden(world)
    sign_in(client, "editor@test.pux.invalid")
    form = client.get(f"/stories/{story.slug}/edit")
    assert form.status_code == 200
    assert f'name="need_id" value="{world.needs["private_ken"]}"' not in form.text
    # The story's history, which editors read, does not name them either (the facilitator linked them).
    page = client.get(f"/stories/{story.slug}")
    assert "History" in page.text and "Need number" not in page.text
