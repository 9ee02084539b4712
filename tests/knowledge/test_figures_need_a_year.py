"""A figure comes with its year: an evidence entry with a value and no year (of its source, or of the
period it measures) was saved and could be checked; a story citing a source without its year was
published. Both are refused beside the field that needs the year, on the form and through the API."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.accounts.permissions import Actor
from pux.errors import ValidationFailed
from pux.knowledge import repository, service
from pux.knowledge.models import EvidenceEntry
from pux.knowledge.schemas import StoryCreate, sources_from_lines
from pux.validation import parse
from tests.web_helpers import bearer, csrf_token, sign_in
from tests.world import World

UNDATED_FIGURE: dict[str, Any] = {
    "technique_code": "sterile_insect",
    "claim": "Cost per hectare protected by sterile flies",
    "value": "42",
    "unit": "USD per hectare",
    "citation_title": "Area-wide programme costs",
    "citation_url": "https://example.org/aw",
}


def _entries_claiming(session: Session, claim: str) -> list[EvidenceEntry]:
    return [e for e in repository.all_evidence(session, repository.EvidenceFilter()) if e.claim == claim]


def test_the_evidence_form_refuses_a_figure_without_its_year_beside_the_citation_year(
    client: TestClient, session: Session, editor: Actor
) -> None:
    sign_in(client, "editor@test.pux.invalid")
    form = {**UNDATED_FIGURE, "csrf_token": csrf_token(client, "/evidence/new")}
    refused = client.post("/evidence", data=form, follow_redirects=False)
    assert refused.status_code == 422
    assert 'aria-describedby="error-citation_year"' in refused.text
    assert "a figure needs its year" in refused.text
    assert _entries_claiming(session, UNDATED_FIGURE["claim"]) == []


def test_the_api_refuses_a_figure_without_its_year_naming_the_field(
    client: TestClient, session: Session, world: World
) -> None:
    body = {**UNDATED_FIGURE, "value": 42}
    refused = client.post("/api/v1/evidence", json=body, headers=bearer(world.tokens["facilitator"]))
    assert refused.status_code == 422
    assert [p["field"] for p in refused.json()["problems"]] == ["citation_year"]
    assert _entries_claiming(session, UNDATED_FIGURE["claim"]) == []


def test_a_figure_is_dated_by_its_source_or_by_the_period_it_measures(
    client: TestClient, world: World
) -> None:
    token = bearer(world.tokens["facilitator"])
    by_source = {**UNDATED_FIGURE, "value": 42, "citation_year": 2019}
    by_period = {**UNDATED_FIGURE, "value": 43, "period_start": 2010, "period_end": 2015}
    for body in (by_source, by_period):
        saved = client.post("/api/v1/evidence", json=body, headers=token)
        assert saved.status_code == 201, saved.text
    # A claim without a figure has no year to give.
    no_figure = {key: value for key, value in UNDATED_FIGURE.items() if key not in ("value", "unit")}
    assert client.post("/api/v1/evidence", json=no_figure, headers=token).status_code == 201


def test_an_edit_that_takes_away_the_year_of_a_figure_is_refused(client: TestClient, world: World) -> None:
    token = bearer(world.tokens["facilitator"])
    saved = client.post(
        "/api/v1/evidence", json={**UNDATED_FIGURE, "value": 42, "citation_year": 2019}, headers=token
    ).json()
    undated = {**UNDATED_FIGURE, "value": 42, "version": saved["version"]}
    refused = client.put(f"/api/v1/evidence/{saved['id']}", json=undated, headers=token)
    assert refused.status_code == 422
    assert [p["field"] for p in refused.json()["problems"]] == ["citation_year"]


STORY = {
    "title": "Fruit losses halved in the valley",
    "body": "Losses fell from 40% to 18% in three seasons.",
    "source_language": "en",
    "status": "published",
}
UNDATED_SOURCE = "Valley orchard survey | Ministry of Agriculture |  | https://example.org/survey"


def test_a_story_source_without_its_year_is_refused_beside_the_sources(
    client: TestClient, session: Session, editor: Actor
) -> None:
    sign_in(client, "editor@test.pux.invalid")
    form = {**STORY, "sources_text": UNDATED_SOURCE, "csrf_token": csrf_token(client, "/stories/new")}
    refused = client.post("/stories", data=form, follow_redirects=False)
    assert refused.status_code == 422
    assert 'aria-describedby="error-sources_text"' in refused.text
    assert "Valley orchard survey” needs its year" in refused.text
    titles = [story.title for story in repository.list_stories(session, published_only=False)]
    assert STORY["title"] not in titles
    dated = {**form, "sources_text": UNDATED_SOURCE.replace("|  |", "| 2021 |")}
    assert client.post("/stories", data=dated, follow_redirects=False).status_code == 303


def test_a_story_source_without_its_year_is_refused_by_the_service(session: Session, editor: Actor) -> None:
    with pytest.raises(ValidationFailed) as refused:
        data = parse(StoryCreate, {**STORY, "sources": sources_from_lines(UNDATED_SOURCE)})
        service.create_story(session, actor=editor, data=data)
    assert [problem.field for problem in refused.value.problems] == ["sources.year"]
