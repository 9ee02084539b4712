"""How many partners marked interest in a need is told only to those who see every mark of interest in it
(the need's country and facilitators): a count would tell others of marks they may not see."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.gaps import service
from pux.gaps.schemas import InterestCreate
from tests.web_helpers import bearer, sign_in
from tests.world import World


def _marked(session: Session, world: World) -> int:
    need_id = world.needs["published_ken"]
    service.mark_interest(session, actor=world.actors["partner_a"], need_id=need_id, data=InterestCreate())
    session.flush()
    return need_id


def _count(client: TestClient, world: World, viewer: str, need_id: int) -> object:
    headers = bearer(world.tokens[viewer]) if viewer != "public" else {}
    board = client.get(
        "/api/v1/unfunded", params={"country": "KEN", "page_size": 100}, headers=headers
    ).json()
    return next(item["interest_count"] for item in board["items"] if item["need_id"] == need_id)


@pytest.mark.parametrize(
    ("viewer", "told"),
    [("public", None), ("officer_b", None), ("partner_a", None), ("expert", None), ("focal_ken", 1)]
    + [("counterpart_ken", 1), ("facilitator", 1), ("focal_uga", None)],
)
def test_the_board_tells_the_count_only_to_those_who_see_every_mark(
    client: TestClient, session: Session, world: World, viewer: str, told: int | None
) -> None:
    need_id = _marked(session, world)
    assert _count(client, world, viewer, need_id) == told
    # The marks the same reader may list agree: none for the public and the other partner.
    if viewer in {"public", "officer_b"}:
        headers = bearer(world.tokens[viewer]) if viewer != "public" else {}
        assert client.get(f"/api/v1/needs/{need_id}/interest", headers=headers).json() == []


def test_the_board_page_shows_partners_interested_only_to_the_country(
    client: TestClient, session: Session, world: World
) -> None:
    _marked(session, world)
    assert "Partners interested" not in client.get("/unfunded", params={"country": "KEN"}).text
    sign_in(client, world.emails["partner_a"])
    own = client.get("/unfunded", params={"country": "KEN"}).text
    assert "Partners interested" not in own and "Your organisation has marked interest." in own
    sign_in(client, world.emails["focal_ken"])
    assert "Partners interested" in client.get("/unfunded", params={"country": "KEN"}).text
