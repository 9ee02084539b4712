"""The task inbox and the header's count of what waits: the count (computed on every page without loading
the needs) is the inbox's own total for every role, and it moves when something starts to wait."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pux.needs import service as needs
from pux.tasks import service as tasks
from tests.world import ROLES, World, need_data


def test_the_header_count_is_the_inbox_total_for_every_role(session: Session, world: World) -> None:
    totals = {role: tasks.inbox(session, actor=world.actors[role]).waiting for role in ROLES}
    assert totals == {role: tasks.waiting_count(session, actor=world.actors[role]) for role in ROLES}
    assert (
        totals["public"] == 0 and totals["focal_ken"] > 0
    )  # Kenya's submitted need waits for its focal point


def test_a_submitted_need_adds_one_for_its_focal_point_and_the_facilitator(
    session: Session, world: World
) -> None:
    before = {
        role: tasks.waiting_count(session, actor=world.actors[role])
        for role in ("focal_ken", "facilitator", "focal_uga")
    }
    need = needs.create_need(session, actor=world.actors["counterpart_ken"], data=need_data("KEN"))
    needs.transition_need(
        session,
        actor=world.actors["counterpart_ken"],
        need_id=need.id,
        target="submitted",
        version=need.version,
    )
    after = {role: tasks.waiting_count(session, actor=world.actors[role]) for role in before}
    assert after == {
        "focal_ken": before["focal_ken"] + 1,
        "facilitator": before["facilitator"] + 1,
        "focal_uga": before["focal_uga"],
    }
