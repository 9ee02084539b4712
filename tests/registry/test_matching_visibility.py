"""The matching side and need histories for every role, from the same SEES table as the need visibility
tests: proposals, rounds, match activities, overlaps and histories.

Who sees what is derived, not listed: a role sees a proposal only when it sees the need (SEES) and
decides for one of its sides (or acts for everyone); a round when it sees one of its proposals; a match
activity exactly when it sees the need (the activity is as visible as the need); an overlap when it sees
the activities of both providers; a need's history exactly when it sees the need.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.accounts.permissions import (
    COUNTERPART,
    EXPERT,
    FOCAL_POINT,
    PARTNER,
    PROGRAMME_OFFICER,
    Actor,
    Grant,
)
from pux.assistance import service as assistance
from pux.errors import NotFound
from pux.matching import service as matching
from pux.pagination import PageRequest
from tests.registry.test_visibility import SEES
from tests.web_helpers import bearer, sign_in
from tests.world import ROLES, World, activity_data, facilitator_round, published_grant_programme

GLOBAL = {"admin", "facilitator"}
# Who decides for each side of a proposal of the round below: the offering organisation's people and the
# country's focal point (never its counterpart).
DONOR_A = {"partner_a"}
KENYA_FOCAL = {"focal_ken"}
MATCHABLE = ("published_ken", "partners_ken")  # published and shared: the needs a round may propose


def _sees(role: str, key: str) -> bool:
    return role in GLOBAL or role in SEES[key]


def _round(session: Session, world: World) -> tuple[int, dict[str, int]]:
    """A round over a fresh donor_a programme that fits every Kenyan need; its proposals by need key."""
    programme_id = published_grant_programme(
        session,
        world,
        title="Grants for the visibility round",
        budget=Decimal("9000000"),
        need_keys=tuple(SEES),
    )
    record = facilitator_round(session, world, programme_id, title="Visibility round", cap_share=1.0)
    by_need = {world.needs[key]: key for key in SEES}
    proposals = {
        by_need[p.need_id]: p.id
        for p in matching.proposals_for(session, actor=world.actors["facilitator"], round_id=record.id)
    }
    assert set(proposals) == set(MATCHABLE), proposals  # the round holds exactly the shareable needs
    return record.id, proposals


def _expected_proposals(role: str, proposals: dict[str, int]) -> set[int]:
    return {
        proposal_id
        for key, proposal_id in proposals.items()
        if role in GLOBAL or (_sees(role, key) and role in DONOR_A | KENYA_FOCAL)
    }


@pytest.mark.parametrize("role", ROLES)
def test_proposals_and_rounds_for_every_role(
    client: TestClient, session: Session, world: World, role: str
) -> None:
    round_id, proposals = _round(session, world)
    expected = _expected_proposals(role, proposals)
    assert all(_sees(role, key) for key, pid in proposals.items() if pid in expected)  # never beyond SEES
    round_visible = bool(expected)
    headers = bearer(world.tokens[role]) if role != "public" else {}
    api = client.get(f"/api/v1/matching/rounds/{round_id}", headers=headers)
    assert api.status_code == (200 if round_visible else 404), (role, api.status_code)
    if round_visible:
        assert {p["id"] for p in api.json()["proposals"]} == expected
    paged = [
        client.get(
            f"/api/v1/matching/rounds/{round_id}/proposals",
            params={"page": n, "page_size": 1},
            headers=headers,
        )
        for n in (1, 2)
    ]
    assert [answer.status_code for answer in paged] == [200 if round_visible else 404] * 2, role
    if round_visible:
        assert paged[0].json()["total"] == len(expected)
        assert {p["id"] for answer in paged for p in answer.json()["items"]} == expected
    service_seen = {
        p.id for p in matching.proposals_for(session, actor=world.actors[role], round_id=round_id)
    }
    assert service_seen == expected
    listed = {r.id for r in matching.list_rounds(session, actor=world.actors[role])}
    assert (round_id in listed) == round_visible
    if role == "public":
        assert client.get("/matching", follow_redirects=False).status_code == 303
        assert client.get(f"/matching/rounds/{round_id}").status_code == 404
        return
    sign_in(client, world.emails[role])
    page = client.get(f"/matching/rounds/{round_id}")
    assert page.status_code == (200 if round_visible else 404), (role, page.status_code)
    home = client.get("/matching").text
    assert (f'href="/matching/rounds/{round_id}"' in home) == round_visible, role
    for key, proposal_id in proposals.items():
        shown = f'href="/needs/{world.needs[key]}"' in page.text
        assert shown == (proposal_id in expected), (role, key)


@pytest.mark.parametrize(
    ("grants", "sees_all"),
    [
        # Each clause alone opens the round, whatever other grant sits beside it.
        ((Grant(PARTNER, organisation_id="donor_a"), Grant(FOCAL_POINT, country_iso3="UGA")), True),
        (
            (Grant(PROGRAMME_OFFICER, organisation_id="agency_b"), Grant(FOCAL_POINT, country_iso3="KEN")),
            True,
        ),
        ((Grant(PARTNER, organisation_id="agency_b"), Grant(FOCAL_POINT, country_iso3="UGA")), False),
        ((Grant(COUNTERPART, country_iso3="KEN"), Grant(EXPERT)), False),
        ((), False),
    ],
)
def test_a_person_with_several_roles_sees_the_proposals_either_role_decides(
    session: Session, world: World, grants: tuple[Grant, ...], sees_all: bool
) -> None:
    round_id, proposals = _round(session, world)
    actor = Actor(
        user_id=world.user_ids["expert"],
        label="several roles",
        grants=tuple(
            Grant(
                g.role,
                g.country_iso3,
                world.organisations[str(g.organisation_id)] if g.organisation_id else None,
            )
            for g in grants
        ),
    )
    seen = {p.id for p in matching.proposals_for(session, actor=actor, round_id=round_id)}
    assert seen == (set(proposals.values()) if sees_all else set())  # none, never all, for no decider
    opened = {p.id for p in matching.open_proposals_for(session, actor=actor)}
    assert opened == seen
    if sees_all:
        assert matching.get_round(session, actor=actor, round_id=round_id).id == round_id
        page = matching.round_proposals(session, actor=actor, round_id=round_id, page=PageRequest(1, 20))
        assert {p.id for p in page.items} == seen and page.total == len(seen)
    else:
        with pytest.raises(NotFound):
            matching.round_proposals(session, actor=actor, round_id=round_id, page=PageRequest(1, 20))


def test_a_rounds_proposals_are_paged_to_the_last_page_and_refuse_bad_sizes(
    client: TestClient, session: Session, world: World
) -> None:
    round_id, proposals = _round(session, world)
    headers = bearer(world.tokens["facilitator"])
    path = f"/api/v1/matching/rounds/{round_id}/proposals"
    beyond = client.get(path, params={"page": 9, "page_size": 1}, headers=headers).json()
    # A page past the end answers the last page and says which (a client paging on stops there).
    assert (beyond["page"], beyond["total"]) == (len(proposals), len(proposals))
    assert [p["id"] for p in beyond["items"]] == [max(proposals.values())]
    for size in (0, 201):
        assert client.get(path, params={"page_size": size}, headers=headers).status_code == 422
    assert client.get(path, params={"page_size": 200}, headers=headers).json()["total"] == len(proposals)


@pytest.mark.parametrize("role", ROLES)
def test_match_activities_are_exactly_as_visible_as_their_need(
    client: TestClient, session: Session, world: World, role: str
) -> None:
    _round_id, proposals = _round(session, world)
    activities = {}
    for key, proposal_id in proposals.items():
        matching.decide(session, actor=world.actors["partner_a"], proposal_id=proposal_id, accept=True)
        decided = matching.decide(
            session, actor=world.actors["focal_ken"], proposal_id=proposal_id, accept=True
        )
        assert decided.activity_id is not None
        activities[key] = decided.activity_id
    headers = bearer(world.tokens[role]) if role != "public" else {}
    listed = client.get("/api/v1/activities", params={"page_size": 200}, headers=headers).json()["items"]
    listed_ids = {item["id"] for item in listed}
    for key, activity_id in activities.items():
        visible = _sees(role, key)
        answer = client.get(f"/api/v1/activities/{activity_id}", headers=headers)
        assert answer.status_code == (200 if visible else 404), (role, key)
        assert (activity_id in listed_ids) == visible, (role, key)


@pytest.mark.parametrize("role", ROLES)
def test_overlaps_for_every_role(session: Session, world: World, role: str) -> None:
    # Two providers at once in Kenya, same area and technique: one shares its activity with everyone
    # (seen like the public need), the other keeps it private (seen like the private need, and by its own
    # organisation).
    for actor, organisation, visibility in (
        ("partner_a", "donor_a", "public"),
        ("officer_b", "agency_b", "private"),
    ):
        assistance.record_activity(
            session,
            actor=world.actors[actor],
            data=activity_data(
                world.organisations[organisation],
                title=f"Overlap ({organisation})",
                thematic_area_code="water",
                technique_code="isotope_hydrology",
                status="implementation",
                visibility=visibility,
            ),
        )
    sees_public = _sees(role, "published_ken")
    sees_private = _sees(role, "private_ken") or role == "officer_b"
    expected = 2 if sees_public and sees_private else 0  # one provider alone is no overlap
    found = [
        count
        for country, area, technique, count in matching.provider_overlaps(session, actor=world.actors[role])
        if (country, area, technique) == ("KEN", "water", "isotope_hydrology")
    ]
    assert found == ([expected] if expected else []), role


def test_overlaps_follow_each_new_activity_at_once(session: Session, world: World) -> None:
    """Overlaps are kept between changes; a second and a third provider count on the next reading."""
    facilitator = world.actors["facilitator"]

    def providers_in_kenyan_water() -> list[int]:
        return [
            count
            for country, area, technique, count in matching.provider_overlaps(session, actor=facilitator)
            if (country, area, technique) == ("KEN", "water", "isotope_hydrology")
        ]

    readings = [providers_in_kenyan_water()]
    for actor, organisation in (
        ("partner_a", "donor_a"),
        ("officer_b", "agency_b"),
        ("admin", "hospital_ken"),
    ):
        assistance.record_activity(
            session,
            actor=world.actors[actor],
            data=activity_data(
                world.organisations[organisation],
                thematic_area_code="water",
                technique_code="isotope_hydrology",
                status="implementation",
            ),
        )
        readings.append(providers_in_kenyan_water())
    assert readings == [[], [], [2], [3]]


@pytest.mark.parametrize("role", ROLES)
def test_need_histories_for_every_role(client: TestClient, world: World, role: str) -> None:
    headers = bearer(world.tokens[role]) if role != "public" else {}
    if role != "public":
        sign_in(client, world.emails[role])
    for key in SEES:
        need_id = world.needs[key]
        visible = _sees(role, key)
        history = client.get(f"/api/v1/needs/{need_id}/history", headers=headers)
        assert history.status_code == (200 if visible else 404), (role, key)
        page = client.get(f"/needs/{need_id}")
        assert page.status_code == (200 if visible else 404), (role, key)
        if visible:
            assert [event["action"] for event in history.json()][0] == "need.create"
            assert all("@" not in event["actor"] for event in history.json())
