"""A figure comes with its year: an evidence entry with a value and no year (of its source, or of the
period it measures) was saved and could be checked. It is refused beside the field that needs the year,
on the form and through the API."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.accounts.permissions import Actor
from pux.knowledge import repository
from pux.knowledge.models import EvidenceEntry
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
