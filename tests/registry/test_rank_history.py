"""A need's rank is part of its history: a move that takes it out of the country's order says so (the
withdrawal of the fourth need recorded only its status), the needs ranked below it move up a place as the
ranking form would number them (the order read 1, 2, 3, 5...), and a reorder shows in the history of each
need whose rank it changed (it was recorded for the country alone)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from pux.audit import service as audit
from pux.needs import service as needs
from tests.world import World


def _ranks(session: Session, world: World, keys: tuple[str, ...]) -> list[int | None]:
    session.expire_all()
    admin = world.actors["admin"]
    return [needs.get_need(session, actor=admin, need_id=world.needs[key]).national_rank for key in keys]


def _rank_changes(session: Session, need_id: int) -> list[tuple[Any, Any]]:
    trail = audit.history(session, entity_type="need", entity_id=str(need_id))
    return [
        (event.before["national_rank"], event.after["national_rank"])
        for event in trail
        if event.action == "need.rank" and event.before is not None and event.after is not None
    ]


KEYS = ("private_ken", "published_ken", "partners_ken")


def test_a_reorder_is_in_the_history_of_each_need_it_moved(session: Session, world: World) -> None:
    focal = world.actors["focal_ken"]
    order = [world.needs[key] for key in KEYS]
    needs.rank_needs(session, actor=focal, country_iso3="KEN", ordered_need_ids=order)
    needs.rank_needs(
        session, actor=focal, country_iso3="KEN", ordered_need_ids=[order[1], order[0], order[2]]
    )
    assert _ranks(session, world, KEYS) == [2, 1, 3]
    assert _rank_changes(session, order[0])[-2:] == [(None, 1), (1, 2)]
    assert _rank_changes(session, order[1])[-2:] == [(None, 2), (2, 1)]
    assert _rank_changes(session, order[2]) == [(None, 3)]  # the second order left it where it was
    # The focal point reads it on the need's page (its history is the service's).
    shown = needs.need_history(session, actor=focal, need_id=order[1])
    assert shown[-1].action == "need.rank" and shown[-1].after == {"national_rank": 1}


def test_a_withdrawn_need_leaves_no_gap_and_its_history_says_it_lost_its_rank(
    session: Session, world: World
) -> None:
    focal = world.actors["focal_ken"]
    order = [world.needs[key] for key in KEYS]
    needs.rank_needs(session, actor=focal, country_iso3="KEN", ordered_need_ids=order)
    withdrawn = needs.get_need(session, actor=focal, need_id=order[1])
    needs.transition_need(
        session, actor=focal, need_id=withdrawn.id, target="withdrawn", version=withdrawn.version
    )
    assert _ranks(session, world, KEYS) == [1, None, 2]
    event = audit.history(session, entity_type="need", entity_id=str(order[1]))[-1]
    assert event.action == "need.withdrawn"
    assert event.before is not None and event.before["national_rank"] == 2
    assert event.after is not None and event.after["national_rank"] is None
    assert _rank_changes(session, order[2])[-1] == (3, 2)  # moved up, in its own history
    assert _rank_changes(session, order[0]) == [(None, 1)]  # ranked above: untouched
    country = audit.history(session, entity_type="country_needs", entity_id="KEN")[-1]
    assert country.after == {str(order[0]): 1, str(order[2]): 2}
