"""The travel fund as its users meet it, against the real database: settings and earlier decisions that
once stopped the allocation, awards that must stay within the budget when people decline and the fund is
allocated again, recipients who come before partners, and payments that must stay within the award."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.dialogues import service
from pux.dialogues.schemas import (
    DisbursementFields,
    GrantOverride,
    ParticipantFields,
    TravelApplicationFields,
)
from pux.errors import InvalidTransition, ValidationFailed
from tests.web_helpers import csrf_token, sign_in
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


# --- Awards stay within the budget when people decline -------------------------------------------


def _awarded(lines: dict[int, service.FundLine]) -> Decimal:
    return sum((line.grant.amount for line in lines.values() if line.grant), Decimal(0))


def _seven_applicants(session: Session, world: World, event_id: int) -> list[int]:
    """Seven recipients who each ask 1,600 (1,200 fare, 4 nights at 100): 11,200 in all."""
    countries = ("KEN", "UGA", "TZA", "ETH", "RWA", "MWI", "ZMB")
    return [
        _applicant(session, world, event_id, f"Person {iso3}", iso3, fare=1200, allowance=100, nights=4)
        for iso3 in countries
    ]


def test_a_declined_persons_award_goes_back_to_the_fund_and_allocating_again_stays_within_the_budget(
    session: Session, world: World
) -> None:
    event_id = _event(session, world, travel_budget=Decimal("10000"))
    people = _seven_applicants(session, world, event_id)
    first = _allocate(session, world, event_id)
    # All seven come: each gets at least 1,400, and what is left (200) tops one award up.
    assert _awarded(first) == Decimal("10000")
    declined = people[0]
    _decline(session, world, declined)

    again = _allocate(session, world, event_id)
    # Was 11,000: the declined person's award stood beside the new ones, solved against the whole budget.
    assert _awarded(again) == Decimal("9600")
    gone = again[declined]
    assert gone.application.status == "withdrawn"
    assert gone.grant is not None and gone.grant.amount == 0 and gone.grant.reason_code == "cancelled"
    assert "can no longer come" in service.explain_grant(gone.grant)
    # What the declined award held went to the six others: each is now supported in full.
    assert {again[p].grant.amount for p in people[1:]} == {Decimal("1600")}  # type: ignore[union-attr]
    run = service.latest_fund_run(session, actor=world.actors["facilitator"], event_id=event_id)
    assert run is not None and run.total_awarded == Decimal("9600")


def test_overrides_declines_and_allocating_again_never_award_more_than_the_budget(
    session: Session, world: World
) -> None:
    event_id = _event(session, world, travel_budget=Decimal("10000"))
    people = _seven_applicants(session, world, event_id)
    lines = _allocate(session, world, event_id)
    _override(session, world, lines[people[0]], 1400)  # fixed by hand, then declined: the override lapses
    _decline(session, world, people[0])
    lines = _allocate(session, world, event_id)
    assert _awarded(lines) == Decimal("9600")
    _override(session, world, lines[people[1]], 1500)
    _decline(session, world, people[2])
    _decline(session, world, people[3])
    lines = _allocate(session, world, event_id)
    assert lines[people[0]].grant.amount == 0  # type: ignore[union-attr]
    assert lines[people[1]].grant.amount == Decimal("1500")  # type: ignore[union-attr]
    # Three people left beside the override, each supported in full: 1,500 + 3 x 1,600.
    assert _awarded(lines) == Decimal("6300")


def test_someone_invited_again_after_declining_is_decided_anew(session: Session, world: World) -> None:
    event_id = _event(session, world, travel_budget=Decimal("3000"))
    kenyan = _applicant(session, world, event_id, "Kenyan Again", "KEN", fare=1000)
    _allocate(session, world, event_id)
    _decline(session, world, kenyan)
    person = service.get_participant(session, actor=world.actors["facilitator"], participant_id=kenyan)
    service.move_participant(
        session,
        actor=world.actors["facilitator"],
        participant_id=kenyan,
        target="invited",
        version=person.version,
    )
    assert person.application is not None and person.application.status == "applied"
    lines = _allocate(session, world, event_id)
    assert lines[kenyan].grant is not None and lines[kenyan].grant.amount == Decimal("1000")


def test_a_participant_who_cannot_come_no_longer_sees_an_award(
    client: TestClient, session: Session, world: World
) -> None:
    event_id = _event(session, world)
    counterpart = world.actors["counterpart_ken"]
    person = service.add_participant(
        session,
        actor=world.actors["facilitator"],
        event_id=event_id,
        data=ParticipantFields(user_id=world.user_ids["counterpart_ken"], country_iso3="KEN"),
    )
    service.apply_for_travel(
        session,
        actor=counterpart,
        participant_id=person.id,
        data=TravelApplicationFields(
            fare=Decimal(600), daily_allowance=Decimal(0), nights=0, reason="No budget for the flight"
        ),
    )
    assert _allocate(session, world, event_id)[person.id].grant.amount == Decimal("600")  # type: ignore[union-attr]
    service.move_participant(  # "I cannot come", as she clicks it
        session, actor=counterpart, participant_id=person.id, target="declined", version=person.version
    )
    sign_in(client, world.emails["counterpart_ken"])
    page = client.get(f"/events/{event_id}/me").text
    assert "Your travel award</dt><dd><strong>" not in page  # it said 600 USD
    assert "cancelled because you are no longer expected at the event" in page


# --- Recipients before partners --------------------------------------------------------------------


def test_a_recipient_comes_before_partners_who_ask_less(session: Session, world: World) -> None:
    event_id = _event(session, world, travel_budget=Decimal("3000"))
    kenyan = _applicant(session, world, event_id, "Kenyan Recipient", "KEN", fare=2800)
    partners = [
        _applicant(session, world, event_id, f"Partner {iso3}", iso3, fare=900)
        for iso3 in ("FRA", "JPN", "CAN")
    ]
    lines = _allocate(session, world, event_id)
    assert lines[kenyan].recipient and not any(lines[p].recipient for p in partners)
    # Was 0 for the Kenyan ("the budget does not cover the fare") and 900 for each partner.
    assert lines[kenyan].grant.amount == Decimal("2800")  # type: ignore[union-attr]
    assert all(lines[p].grant.amount == 0 for p in partners)  # type: ignore[union-attr]


# --- Payments stay within the award ---------------------------------------------------------------


def _pay(session: Session, world: World, grant_id: int, amount: int, receipts: int | None = None) -> None:
    service.record_disbursement(
        session,
        actor=world.actors["facilitator"],
        grant_id=grant_id,
        data=DisbursementFields(
            amount=Decimal(amount),
            paid_on=date(2027, 4, 1),
            receipt_amount=Decimal(receipts) if receipts is not None else None,
        ),
    )


def _awarded_grant(session: Session, world: World, event_id: int, participant_id: int) -> int:
    grant = _allocate(session, world, event_id)[participant_id].grant
    assert grant is not None and grant.amount > 0
    return grant.id


def test_payments_never_add_up_to_more_than_the_award(session: Session, world: World) -> None:
    event_id = _event(session, world)
    ugandan = _applicant(session, world, event_id, "Paid Ugandan", "UGA", fare=1500, allowance=100, nights=3)
    grant_id = _awarded_grant(session, world, event_id, ugandan)  # 1,800
    with pytest.raises(ValidationFailed) as above:  # was recorded, leaving a difference of -3,200
        _pay(session, world, grant_id, 5000, receipts=7000)
    assert [problem.field for problem in above.value.problems] == ["amount"]
    assert "1,800 USD: 1,800 is left" in above.value.problems[0].message
    _pay(session, world, grant_id, 1000)
    with pytest.raises(ValidationFailed) as second:
        _pay(session, world, grant_id, 900)
    assert ": 800 is left" in second.value.problems[0].message
    _pay(session, world, grant_id, 800)
    (row,) = service.reconciliation(session, actor=world.actors["facilitator"], event_id=event_id)
    assert (row.paid, row.difference) == (Decimal("1800"), Decimal("0"))


def test_nothing_more_is_paid_on_a_cancelled_award_and_what_was_paid_keeps_its_share_of_the_budget(
    session: Session, world: World
) -> None:
    event_id = _event(session, world, travel_budget=Decimal("3000"))
    kenyan = _applicant(session, world, event_id, "Paid Kenyan", "KEN", fare=1000)
    grant_id = _awarded_grant(session, world, event_id, kenyan)
    _pay(session, world, grant_id, 1000)
    _decline(session, world, kenyan)
    with pytest.raises(InvalidTransition):  # payments on a declined person's award were accepted
        _pay(session, world, grant_id, 100)
    ugandan = _applicant(session, world, event_id, "Waiting Ugandan", "UGA", fare=2500)
    # The 1,000 already paid is spent until recovered: 2,000 is left, short of the Ugandan's 2,500.
    lines = _allocate(session, world, event_id)
    assert lines[ugandan].grant.amount == 0  # type: ignore[union-attr]
    (row,) = service.reconciliation(session, actor=world.actors["facilitator"], event_id=event_id)
    assert (row.grant.amount, row.paid, row.difference) == (Decimal("0"), Decimal("1000"), Decimal("-1000"))


def test_who_may_not_record_payments_cannot_tell_a_grant_from_a_missing_one(
    client: TestClient, session: Session, world: World
) -> None:
    event_id = _event(session, world)
    kenyan = _applicant(session, world, event_id, "Kenyan Grantee", "KEN", fare=1000)
    grant_id = _awarded_grant(session, world, event_id, kenyan)
    sign_in(client, world.emails["focal_ken"])  # sees Kenya's people, but does not record payments
    token = csrf_token(client, "/events")
    answers = {
        (number, amount): client.post(
            f"/travel/grants/{number}/disbursements",
            data={"amount": amount, "paid_on": "2027-04-01", "csrf_token": token},
        ).status_code
        for number in (grant_id, 999_999)
        for amount in ("10", "not a number")
    }
    assert set(answers.values()) == {404}, answers  # was 403 for the grant, 404 for the missing one


def test_a_payment_above_the_award_is_shown_again_with_its_problem(
    client: TestClient, session: Session, world: World
) -> None:
    event_id = _event(session, world)
    ugandan = _applicant(session, world, event_id, "Form Ugandan", "UGA", fare=1500, allowance=100, nights=3)
    grant_id = _awarded_grant(session, world, event_id, ugandan)
    sign_in(client, world.emails["facilitator"])
    answer = client.post(
        f"/travel/grants/{grant_id}/disbursements",
        data={
            "amount": "5000",
            "paid_on": "2027-04-01",
            "receipt_amount": "7000",
            "csrf_token": csrf_token(client, f"/events/{event_id}/travel"),
        },
    )
    assert answer.status_code == 422  # was 303 "The payment was recorded"
    assert "would take the payments above the award of 1,800 USD" in answer.text
    assert f'href="#f-p{grant_id}-amount"' in answer.text  # the summary leads to the amount field
