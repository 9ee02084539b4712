"""Private and partner-only needs never reach those who may not see them, through any route."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.pagination import PageRequest
from pux.programmes import service as programmes
from pux.programmes.repository import ProgrammeFilter
from tests.web_helpers import bearer, sign_in
from tests.world import ROLES, World

# Who may see each of the world's needs (besides administrators and facilitators).
SEES = {
    "published_ken": {
        "public",
        "focal_ken",
        "counterpart_ken",
        "focal_uga",
        "partner_a",
        "officer_b",
        "expert",
    },
    "partners_ken": {"focal_ken", "counterpart_ken", "focal_uga", "partner_a", "officer_b", "expert"},
    "private_ken": {"focal_ken", "counterpart_ken"},
    "draft_ken": {"focal_ken", "counterpart_ken"},
    "submitted_ken": {"focal_ken", "counterpart_ken"},
}
VIEWERS = ("public", "focal_ken", "focal_uga", "partner_a", "expert", "facilitator")


def _expected(world: World, viewer: str) -> dict[int, bool]:
    return {world.needs[key]: viewer == "facilitator" or viewer in allowed for key, allowed in SEES.items()}


@pytest.mark.parametrize("viewer", VIEWERS)
def test_api_list_detail_history_and_export_agree_with_the_rules(
    client: TestClient, world: World, viewer: str
) -> None:
    headers = bearer(world.tokens[viewer]) if viewer != "public" else {}
    listed = client.get("/api/v1/needs", params={"country": "KEN", "page_size": 200}, headers=headers).json()
    listed_ids = {item["id"] for item in listed["items"]}
    exported = client.get("/api/v1/needs/export", params={"format": "csv"}, headers=headers)
    exported_ids = {
        int(row["id"]) for row in csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig")))
    }
    for need_id, visible in _expected(world, viewer).items():
        assert (need_id in listed_ids) == visible, (viewer, need_id)
        assert (need_id in exported_ids) == visible, (viewer, need_id)
        detail = client.get(f"/api/v1/needs/{need_id}", headers=headers)
        assert detail.status_code == (200 if visible else 404), (viewer, need_id)
        history = client.get(f"/api/v1/needs/{need_id}/history", headers=headers)
        assert history.status_code == (200 if visible else 404)
    assert listed["total"] == len(listed_ids)  # counts never include what the list hides


@pytest.mark.parametrize("viewer", ("public", "partner_a", "focal_uga", "focal_ken"))
def test_pages_search_and_counts_hide_what_the_viewer_may_not_see(
    client: TestClient, world: World, viewer: str
) -> None:
    if viewer != "public":
        sign_in(client, world.emails[viewer])
    expected = _expected(world, viewer)
    page = client.get("/needs", params={"country": "KEN"})
    search = client.get("/needs", params={"q": "nuclear medicine"})
    for need_id, visible in expected.items():
        assert (f'href="/needs/{need_id}"' in page.text) == visible, (viewer, need_id)
        assert client.get(f"/needs/{need_id}").status_code == (200 if visible else 404)
    search_hits = {
        key
        for key in ("published_ken", "partners_ken", "private_ken")
        if f'href="/needs/{world.needs[key]}"' in search.text
    }
    assert search_hits == {
        key for key in ("published_ken", "partners_ken", "private_ken") if expected[world.needs[key]]
    }
    visible_count = sum(expected.values())
    counts = re.findall(r'<p class="count">(\d+)–(\d+) of (\d+)', page.text)
    assert counts == [("1", str(visible_count), str(visible_count))], (viewer, counts)


def test_private_activity_is_hidden_from_the_public_and_other_organisations(
    client: TestClient, world: World
) -> None:
    hidden = world.activities["private_b"]
    assert client.get(f"/api/v1/activities/{hidden}").status_code == 404
    assert (
        client.get(f"/api/v1/activities/{hidden}", headers=bearer(world.tokens["partner_a"])).status_code
        == 404
    )
    assert (
        client.get(f"/api/v1/activities/{hidden}", headers=bearer(world.tokens["officer_b"])).status_code
        == 200
    )
    assert (
        client.get(f"/api/v1/activities/{hidden}", headers=bearer(world.tokens["focal_uga"])).status_code
        == 200
    )
    public_ids = {
        a["id"] for a in client.get("/api/v1/activities", params={"page_size": 200}).json()["items"]
    }
    assert hidden not in public_ids and world.activities["public_a"] in public_ids


def test_draft_programme_is_visible_only_to_its_organisation(client: TestClient, world: World) -> None:
    draft = world.programmes["draft_a"]
    assert client.get(f"/api/v1/programmes/{draft}").status_code == 404
    assert (
        client.get(f"/api/v1/programmes/{draft}", headers=bearer(world.tokens["officer_b"])).status_code
        == 404
    )
    assert (
        client.get(f"/api/v1/programmes/{draft}", headers=bearer(world.tokens["partner_a"])).status_code
        == 200
    )
    assert client.get(f"/api/v1/programmes/{world.programmes['published_a']}").status_code == 200


def test_a_revoked_or_invented_token_is_refused(client: TestClient, world: World) -> None:
    response = client.get("/api/v1/needs", headers=bearer("pux_not-a-real-token"))
    assert response.status_code == 401


def test_programme_counts_are_the_lists_totals_for_every_viewer(session: Session, world: World) -> None:
    """The home page's "published programmes" figure is counted, not listed: the count must be the
    list's total for every viewer and filter."""
    filters = [ProgrammeFilter(), ProgrammeFilter(status="published"), ProgrammeFilter(status="draft")]
    for role in ROLES:
        actor = world.actors[role]
        for wanted in filters:
            listed = programmes.list_programmes(session, actor=actor, filters=wanted, page=PageRequest())
            assert programmes.count_programmes(session, actor=actor, filters=wanted) == listed.total
    everything = programmes.count_programmes(session, actor=world.actors["admin"], filters=ProgrammeFilter())
    public = programmes.count_programmes(session, actor=world.actors["public"], filters=ProgrammeFilter())
    assert everything > public > 0  # a draft is counted for its organisation and the administrators only
