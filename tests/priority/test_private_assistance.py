"""A private activity leaves no trace in what a reader without access sees: the priority index's
"little assistance so far" component and rank, and the unfunded-needs board, are computed from the
activities the reader may see."""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.assistance import service as assistance
from pux.gaps import service as gaps
from pux.pagination import PageRequest
from pux.priority import service as priority
from tests.world import World, activity_data


def _afghanistan_health(session: Session, world: World, role: str) -> tuple[int | None, float | None]:
    result = next(
        r for r in priority.ranking(session, area="health", actor=world.actors[role]) if r.iso3 == "AFG"
    )
    assistance_part = next(c.pressing for c in result.components if c.name == "assistance")
    return result.rank, assistance_part


def _api_afghanistan_health(client: TestClient) -> dict[str, object]:
    ranked = client.get("/api/v1/priority", params={"area": "health"}).json()
    afghanistan = next(r for r in ranked if r["iso3"] == "AFG")
    return {
        "rank": afghanistan["rank"],
        "assistance": next(c["pressing"] for c in afghanistan["components"] if c["name"] == "assistance"),
    }


def test_a_private_activity_changes_no_public_priority_figure(
    session: Session, world: World, client: TestClient
) -> None:
    public_before = _api_afghanistan_health(client)
    ranked_before = client.get("/api/v1/priority", params={"area": "health", "sensitivity": True}).json()

    activity = assistance.record_activity(
        session, actor=world.actors["officer_b"],
        data=activity_data(world.organisations["agency_b"], title="Confidential oncology support",
                           recipient_country_iso3="AFG", amount_committed=Decimal("5000000"),
                           visibility="private"),
    )  # fmt: skip
    session.flush()

    assert _api_afghanistan_health(client) == public_before
    assert (
        client.get("/api/v1/priority", params={"area": "health", "sensitivity": True}).json() == ranked_before
    )
    # Its provider's people see it: for them Afghanistan has had more assistance already.
    _rank, owner_assistance = _afghanistan_health(session, world, "officer_b")
    activity.visibility = "public"
    session.flush()
    assert _afghanistan_health(session, world, "public")[1] == owner_assistance
    assert owner_assistance is not None and owner_assistance < public_before["assistance"]  # type: ignore[operator]


def test_a_need_funded_by_a_private_activity_stays_on_the_public_board(
    session: Session, world: World
) -> None:
    need_id = world.needs["published_ken"]

    def listed(role: str) -> tuple[bool, int]:
        board = gaps.unfunded_needs(session, actor=world.actors[role], page=PageRequest(size=200))
        return need_id in {item.need_id for item in board.items}, gaps.count_unfunded_needs(
            session, actor=world.actors[role]
        )

    public_before = listed("public")
    assert public_before[0]
    assistance.record_activity(
        session, actor=world.actors["officer_b"],
        data=activity_data(world.organisations["agency_b"], title="Confidential funding of the upgrade",
                           need_id=need_id, visibility="private"),
    )  # fmt: skip
    session.flush()

    assert listed("public") == public_before
    assert not listed("officer_b")[0]  # its provider knows the need is funded
