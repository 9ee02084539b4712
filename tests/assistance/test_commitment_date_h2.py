"""A commitment counts from the day it is made, not from the day its work starts. A pipeline activity
recorded now for work starting next year (an accepted proposal whose start the partner then set) was left
out of Kenya's current health assistance until next year, so the priority index still read the need as
uncovered and invited more funding for it. The model keeps no commitment date: a pipeline activity's
commitment is dated by its record (or by its start, for one recorded after its work began); an activity
under way still counts from its start."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from pux.assistance import repository
from pux.assistance import service as assistance
from pux.priority import service as priority
from tests.world import World, activity_data


def _kenyan_health(on: date, session: Session) -> float:
    return repository.current_commitments_by_country_and_area(session, on).get(("KEN", "health"), 0.0)


def _recorded(
    session: Session, world: World, amount: str, start: date, end: date, status: str = "pipeline"
) -> None:
    assistance.record_activity(
        session,
        actor=world.actors["partner_a"],
        data=activity_data(
            world.organisations["donor_a"],
            title="Linear accelerator commissioning",
            amount_committed=Decimal(amount),
            status=status,
            start_date=start,
            end_date=end,
        ),
    )


def test_a_pipeline_commitment_counts_now_though_its_work_starts_next_year(
    session: Session, world: World
) -> None:
    today = date.today()
    before = _kenyan_health(today, session)
    next_year = date(today.year + 1, 3, 1)
    _recorded(session, world, "300000", next_year, next_year + timedelta(days=365))
    assert _kenyan_health(today, session) == before + 300_000
    # As the priority index reads Kenya's assistance in health.
    kenya = next(c for c in priority.country_inputs(session, actor=world.actors["admin"]) if c.iso3 == "KEN")
    assert kenya.assistance_by_area["health"] == before + 300_000
    # An activity said to be under way but starting later is still counted from its start.
    _recorded(session, world, "9000", next_year, next_year + timedelta(days=90), status="implementation")
    assert _kenyan_health(today, session) == before + 300_000


def test_a_commitment_is_not_counted_before_it_was_made(session: Session, world: World) -> None:
    """On a day before it was recorded, a commitment counts only if its work had started by then (an
    activity recorded late, for work begun last year, was committed by its start)."""
    today = date.today()
    last_month = today - timedelta(days=30)
    before = _kenyan_health(last_month, session)
    _recorded(session, world, "300000", date(today.year + 1, 3, 1), date(today.year + 2, 3, 1))
    _recorded(session, world, "50000", today - timedelta(days=400), today + timedelta(days=400))
    assert _kenyan_health(last_month, session) == before + 50_000
