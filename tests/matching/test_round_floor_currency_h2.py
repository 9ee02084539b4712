"""A round's LDC floor that cannot be met names the currency whose budget it could not be met in. Each
currency is allocated apart, its floor a share of its own budget: a round over dollar and euro programmes
refused with "the least developed countries cannot receive this share of the round", and the facilitator
could not tell that the dollars were fine and the euros had no least developed country's need to go to."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from pux.errors import ValidationFailed
from pux.matching import service as matching
from pux.matching.allocation import RoundRules
from pux.needs import service as needs
from tests.world import World, need_data, published_programme


def _published_ugandan_need(session: Session, world: World) -> int:
    """A need of Uganda (a least developed country), costed in dollars, that takes funding."""
    focal = world.actors["focal_uga"]
    need = needs.create_need(
        session,
        actor=focal,
        data=need_data(country="UGA", title="Radiotherapy bunker for Kampala", modalities_wanted=["funding"]),
    )
    for target in ("submitted", "endorsed", "published"):
        need = needs.transition_need(
            session, actor=focal, need_id=need.id, target=target, version=need.version
        )
    return need.id


def test_a_floor_the_euros_cannot_meet_is_refused_naming_the_euros(session: Session, world: World) -> None:
    _published_ugandan_need(session, world)
    dollars = published_programme(session, world, title="Radiotherapy grants in dollars", max_per_need=None)
    euros = published_programme(
        session,
        world,
        title="Radiotherapy grants in euros",
        currency="EUR",
        total_budget=Decimal(80_000_000),
        remaining_budget=Decimal(80_000_000),
        max_per_need=None,
    )
    with pytest.raises(ValidationFailed) as refused:
        matching.run_round(
            session,
            actor=world.actors["facilitator"],
            title="Round in two currencies with a floor",
            rules=RoundRules(country_cap_share=1.0, ldc_floor_share=0.2),
            programme_ids=[dollars, euros],
        )
    [problem] = refused.value.problems
    assert problem.field == "ldc_floor_percent"
    assert "No allocation can meet these rules in EUR" in problem.message
    assert "this share of the round's EUR budget" in problem.message
    assert "USD" not in problem.message
