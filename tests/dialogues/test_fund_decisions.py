"""The travel fund as its users meet it, against the real database: settings and earlier decisions that
once stopped the allocation, awards that must stay within the budget when people decline and the fund is
allocated again, recipients who come before partners, and payments that must stay within the award."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from pux.dialogues import service
from pux.dialogues.schemas import GrantOverride, ParticipantFields, TravelApplicationFields
from tests.world import World, event_data


def _event(session: Session, world: World, **extra: object) -> int:
    return service.create_event(session, actor=world.actors["facilitator"], data=event_data(**extra)).id


def _applicant(
    session: Session,
    world: World,
    event_id: int,
    name: str,
    country: str,
    *,
    fare: int,
    allowance: int = 0,
    nights: int = 0,
) -> int:
    """A person on the list who asks for travel support; returns their participant number."""
    person = service.add_participant(
        session,
        actor=world.actors["facilitator"],
        event_id=event_id,
        data=ParticipantFields(
            full_name=name,
            email=f"{name.lower().replace(' ', '.')}@example.org",
            country_iso3=country,
            stakeholder_type="ministry",
        ),
    )
    service.apply_for_travel(
        session,
        actor=world.actors["facilitator"],
        participant_id=person.id,
        data=TravelApplicationFields(
            fare=Decimal(fare),
            daily_allowance=Decimal(allowance),
            nights=nights,
            reason="Applied on their behalf",
        ),
    )
    return person.id


def _allocate(session: Session, world: World, event_id: int) -> dict[int, service.FundLine]:
    run = service.run_fund(session, actor=world.actors["facilitator"], event_id=event_id)
    assert run.status == "optimal", (run.status, run.conflicting)
    lines = service.travel_applications(session, actor=world.actors["facilitator"], event_id=event_id)
    return {line.participant.id: line for line in lines}


def _decline(session: Session, world: World, participant_id: int) -> None:
    facilitator = world.actors["facilitator"]
    person = service.get_participant(session, actor=facilitator, participant_id=participant_id)
    service.move_participant(
        session,
        actor=facilitator,
        participant_id=participant_id,
        target="declined",
        version=person.version,
    )


def _override(session: Session, world: World, line: service.FundLine, amount: int) -> None:
    service.override_grant(
        session,
        actor=world.actors["facilitator"],
        application_id=line.application.id,
        data=GrantOverride(
            amount=Decimal(amount),
            reason="Agreed a lower amount by phone",
            version=line.grant.version if line.grant else 0,
        ),
    )


# --- Settings and decisions that stopped the allocation ------------------------------------------


def test_an_award_that_may_leave_out_the_whole_allowance_is_allocated_for_someone_with_no_fare(
    session: Session, world: World
) -> None:
    # The event lets an award leave out the whole daily allowance; a local participant asks no fare:
    # the least useful award is then a cent, not zero (which the optimiser refused as a minimum).
    event_id = _event(session, world, allowance_cut_allowed=1)
    local = _applicant(session, world, event_id, "Local Ghanaian", "GHA", fare=0, allowance=100, nights=2)
    lines = _allocate(session, world, event_id)
    assert lines[local].minimum == Decimal("0.01")
    assert lines[local].grant is not None and lines[local].grant.amount == Decimal("200")


def test_allocating_again_after_someone_with_an_override_declined_decides_for_the_others(
    session: Session, world: World
) -> None:
    event_id = _event(session, world, travel_budget=Decimal("5000"))
    ugandan = _applicant(session, world, event_id, "Ugandan One", "UGA", fare=800, allowance=100, nights=3)
    malawian = _applicant(session, world, event_id, "Malawian Two", "MWI", fare=800, allowance=100, nights=3)
    lines = _allocate(session, world, event_id)
    _override(session, world, lines[malawian], 900)
    _decline(session, world, malawian)
    again = _allocate(session, world, event_id)  # the override was once "fixed for a non-applicant"
    assert again[ugandan].grant is not None and again[ugandan].grant.amount == Decimal("1100")
