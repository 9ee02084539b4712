"""A need's recommended programmes are the best the reader may see: when the programmes ranked first are
shown to partners only, the public is given the next ones, not nothing (a public country brief said "no
open programme matches this need yet" while a public programme fitted it)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from pux.accounts.permissions import Actor
from pux.matching import service as matching
from tests.world import World, kenya_grant_programme, published_programme

HIDDEN = 6


def _partners_only(session: Session, world: World, number: int) -> None:
    """A published programme made to fit better than the public one (larger budget and per-need sum)
    but shown to partners only."""
    published_programme(
        session,
        world,
        title=f"Partners-only radiotherapy grants {number}",
        visibility="partners",
        total_budget=Decimal("50000000"),
        remaining_budget=Decimal("50000000"),
        max_per_need=Decimal("5000000"),
    )


def test_the_public_is_given_the_best_programme_it_may_see_below_hidden_ones(
    session: Session, world: World
) -> None:
    need_id = world.needs["published_ken"]
    kenya_grant_programme(session, world)
    public_choice = matching.programmes_for_need(session, actor=Actor.public(), need_id=need_id, k=1)
    assert public_choice, "the world has a public programme fitting the need"
    for number in range(HIDDEN):
        _partners_only(session, world, number)
    again = matching.programmes_for_need(session, actor=Actor.public(), need_id=need_id, k=1)
    assert [s.programme.id for s in again] == [public_choice[0].programme.id]
