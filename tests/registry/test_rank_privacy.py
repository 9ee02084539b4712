"""The national rank of a need as each reader may be told it: the country's own people and the facilitators
see the ranks the country gave; anyone else sees the order among the needs they may see, from 1. (The
public saw ranks 2, 3 and 4 and no 1: the trace of a private need ranked first.)"""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.briefs import service as briefs
from pux.gaps import service as gaps
from pux.needs import service as needs
from pux.needs.repository import NeedFilter
from pux.pagination import PageRequest
from tests.web_helpers import bearer, sign_in
from tests.world import World


def _rank_kenya(session: Session, world: World) -> tuple[int, int]:
    """Kenya ranks its private need first and its public one second."""
    private = needs.get_need(session, actor=world.actors["admin"], need_id=world.needs["private_ken"])
    public = needs.get_need(session, actor=world.actors["admin"], need_id=world.needs["published_ken"])
    private.national_rank, public.national_rank = 1, 2
    session.flush()
    return private.id, public.id


def test_the_public_is_told_the_order_among_what_it_sees(session: Session, world: World) -> None:
    private_id, public_id = _rank_kenya(session, world)
    public = needs.get_need(session, actor=world.actors["admin"], need_id=public_id)
    assert needs.shown_ranks(session, actor=world.actors["public"], needs=[public]) == {public_id: 1}
    for insider in ("focal_ken", "facilitator", "admin"):
        assert needs.shown_ranks(session, actor=world.actors[insider], needs=[public]) == {public_id: 2}
    page = needs.list_needs(
        session,
        actor=world.actors["public"],
        filters=NeedFilter(country_iso3="KEN"),
        page=PageRequest(1, 100),
    )
    assert private_id not in [need.id for need in page.items]


def test_pages_api_board_and_brief_show_no_gap_in_the_ranks(
    client: TestClient, session: Session, world: World
) -> None:
    _private_id, public_id = _rank_kenya(session, world)
    detail = client.get(f"/needs/{public_id}").text
    assert "National priority 1" in detail and "National priority 2" not in detail
    listed = client.get("/needs", params={"country": "KEN"}).text
    row = next(r for r in listed.split("<tr") if f'href="/needs/{public_id}"' in r)
    assert re.search(r'data-label="National rank">1<', row), row
    assert client.get(f"/api/v1/needs/{public_id}").json()["national_rank"] == 1
    api_list = client.get("/api/v1/needs", params={"country": "KEN", "page_size": 100}).json()
    assert next(n for n in api_list["items"] if n["id"] == public_id)["national_rank"] == 1
    board = gaps.unfunded_needs(session, actor=world.actors["public"], page=PageRequest(1, 100))
    shown = [item for item in board.items if item.need_id == public_id]
    assert shown, "the public need is not on the board"
    assert all(item.national_rank == 1 for item in shown)
    brief = briefs.country_brief(session, actor=world.actors["public"], iso3="KEN")
    assert [line.national_rank for line in brief.needs if line.need_id == public_id] == [1]
    # The country's own focal point is told the ranks it gave.
    sign_in(client, world.emails["focal_ken"])
    assert "National priority 2" in client.get(f"/needs/{public_id}").text
    own = client.get(f"/api/v1/needs/{public_id}", headers=bearer(world.tokens["focal_ken"]))
    assert own.json()["national_rank"] == 2
