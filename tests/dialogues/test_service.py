"""The dialogue's rules, against the real database: the nomination chain (and the moves it refuses), the
balance meter against hand-counted shares, the fund's overrides in the audit trail, concept notes that
become needs, actions and their owners, and the statistics."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pux.accounts.permissions import PermissionDenied
from pux.audit.models import AuditEvent
from pux.dialogues import service, statistics
from pux.dialogues.repository import ActionFilter
from pux.dialogues.schemas import (
    ActionFields,
    ActionProgress,
    ConceptNoteCreate,
    ConceptNoteUpdate,
    GrantOverride,
    OutcomeFields,
    ParticipantFields,
    RecommendationFields,
    TargetFields,
    TravelApplicationFields,
)
from pux.errors import InvalidTransition, NotFound, StaleEdit, ValidationFailed
from pux.pagination import PageRequest
from tests.world import World, event_data


def _event(session: Session, world: World, *, days_ahead: int = 30, **extra: object) -> int:
    event = service.create_event(
        session, actor=world.actors["facilitator"], data=event_data(days_ahead, **extra)
    )
    return event.id


def _person(session: Session, world: World, event_id: int, **fields: object) -> int:
    person = service.add_participant(
        session,
        actor=world.actors["facilitator"],
        event_id=event_id,
        data=ParticipantFields.model_validate(fields),
    )
    return person.id


def _move(session: Session, world: World, role: str, participant_id: int, target: str) -> str:
    person = service.get_participant(
        session, actor=world.actors["facilitator"], participant_id=participant_id
    )
    moved = service.move_participant(
        session,
        actor=world.actors[role],
        participant_id=participant_id,
        target=target,
        version=person.version,
    )
    return moved.status


# --- The nomination chain -------------------------------------------------------------------------


def test_a_focal_point_nominates_and_endorses_their_own_people_and_the_facilitator_confirms(
    session: Session, world: World
) -> None:
    event_id = _event(session, world)
    nominated = service.add_participant(
        session,
        actor=world.actors["focal_ken"],
        event_id=event_id,
        data=ParticipantFields(user_id=world.user_ids["counterpart_ken"], country_iso3="KEN"),
    )
    assert nominated.status == "nominated" and nominated.country_iso3 == "KEN"
    assert _move(session, world, "focal_ken", nominated.id, "endorsed") == "endorsed"
    with pytest.raises(PermissionDenied):  # confirming is the facilitator's step
        _move(session, world, "focal_ken", nominated.id, "confirmed")
    assert _move(session, world, "facilitator", nominated.id, "confirmed") == "confirmed"


def test_a_focal_point_may_not_nominate_or_move_people_of_another_country(
    session: Session, world: World
) -> None:
    event_id = _event(session, world)
    with pytest.raises(PermissionDenied):
        service.add_participant(
            session,
            actor=world.actors["focal_uga"],
            event_id=event_id,
            data=ParticipantFields(
                full_name="Achieng Odhiambo", email="achieng@example.org", country_iso3="KEN"
            ),
        )
    kenyan = _person(
        session, world, event_id, full_name="Achieng Odhiambo", email="a@example.org", country_iso3="KEN"
    )
    with pytest.raises(NotFound):  # another country's participant is not even visible to her
        _move(session, world, "focal_uga", kenyan, "nominated")


def test_recipients_are_confirmed_only_after_endorsement_partners_directly(
    session: Session, world: World
) -> None:
    event_id = _event(session, world)
    recipient = _person(
        session, world, event_id, full_name="Wanjiku Kamau", email="w@example.org", country_iso3="KEN"
    )
    partner = _person(
        session,
        world,
        event_id,
        full_name="Erik Holm",
        email="erik@example.org",
        organisation_id=world.organisations["donor_a"],
    )
    with pytest.raises(InvalidTransition):
        _move(session, world, "facilitator", recipient, "confirmed")
    assert _move(session, world, "facilitator", partner, "confirmed") == "confirmed"


def test_moves_outside_the_chain_and_stale_or_premature_ones_are_refused(
    session: Session, world: World
) -> None:
    event_id = _event(session, world)
    person_id = _person(
        session, world, event_id, full_name="Mary Atieno", email="m@example.org", country_iso3="KEN"
    )
    with pytest.raises(InvalidTransition):  # invited -> attended skips the chain
        _move(session, world, "facilitator", person_id, "attended")
    person = service.get_participant(session, actor=world.actors["facilitator"], participant_id=person_id)
    with pytest.raises(StaleEdit):
        service.move_participant(
            session,
            actor=world.actors["facilitator"],
            participant_id=person_id,
            target="nominated",
            version=person.version + 1,
        )
    _move(session, world, "facilitator", person_id, "endorsed")
    _move(session, world, "facilitator", person_id, "confirmed")
    with pytest.raises(InvalidTransition):  # the event is a month away: nobody has attended yet
        _move(session, world, "facilitator", person_id, "attended")


def test_a_participant_may_decline_for_themself_but_not_confirm(session: Session, world: World) -> None:
    event_id = _event(session, world)
    own = _person(session, world, event_id, user_id=world.user_ids["counterpart_ken"])
    with pytest.raises(PermissionDenied):
        _move(session, world, "counterpart_ken", own, "nominated")
    assert _move(session, world, "counterpart_ken", own, "declined") == "declined"


def test_the_same_person_is_not_listed_twice(session: Session, world: World) -> None:
    event_id = _event(session, world)
    _person(session, world, event_id, full_name="Mary Atieno", email="mary@example.org", country_iso3="KEN")
    with pytest.raises(ValidationFailed) as refused:
        _person(session, world, event_id, full_name="Mary A.", email="MARY@example.org", country_iso3="KEN")
    assert refused.value.problems[0].field == "email"


def test_a_person_in_pux_is_named_by_their_email_address_for_a_list_or_an_action(
    session: Session, world: World
) -> None:
    """The forms ask for an account's address (a chooser of every account is tens of thousands long)."""
    event_id = _event(session, world, days_ahead=-20)
    expert = service.add_participant(
        session,
        actor=world.actors["facilitator"],
        event_id=event_id,
        data=ParticipantFields(user_email=f"  {world.emails['expert'].upper()} "),
    )
    assert (expert.user_id, expert.full_name) == (world.user_ids["expert"], "Test expert")
    action = service.create_action(
        session,
        actor=world.actors["facilitator"],
        event_id=event_id,
        data=ActionFields(title="Circulate the dosimetry notes", owner_email=world.emails["counterpart_ken"]),
    )
    assert action.owner_user_id == world.user_ids["counterpart_ken"]
    for make in (
        lambda: _person(session, world, event_id, user_email="nobody@example.org"),
        lambda: service.create_action(
            session,
            actor=world.actors["facilitator"],
            event_id=event_id,
            data=ActionFields(title="Circulate the dosimetry notes", owner_email="nobody@example.org"),
        ),
    ):
        with pytest.raises(ValidationFailed) as refused:
            make()
        assert [p.message for p in refused.value.problems] == ["is not a person in PUX"]
        assert refused.value.problems[0].field in {"user_email", "owner_email"}


# --- The balance meter ----------------------------------------------------------------------------


def test_balance_meter_matches_hand_counted_shares(session: Session, world: World) -> None:
    event_id = _event(session, world)
    facilitator = world.actors["facilitator"]
    for dimension, category, bound, percent in (
        ("gender", "female", "at_least", 40),
        ("country_side", "recipient", "at_least", 60),
        ("stakeholder_type", "*", "at_most", 30),
    ):
        service.add_target(
            session,
            actor=facilitator,
            event_id=event_id,
            data=TargetFields(
                dimension=dimension, category=category, bound=bound, share_percent=Decimal(percent)
            ),
        )
    people = (
        ("Akinyi", "female", "KEN", "ministry"),
        ("Otieno", "male", "KEN", "ministry"),
        ("Nakato", "female", "UGA", "hospital"),
        ("Holm", "male", None, "donor_agency"),
        ("Sato", "male", None, "iaea"),
    )
    for index, (name, gender, country, kind) in enumerate(people):
        _person(
            session,
            world,
            event_id,
            full_name=name,
            email=f"p{index}@example.org",
            gender=gender,
            country_iso3=country,
            stakeholder_type=kind,
        )
    declined = _person(session, world, event_id, full_name="Absent", email="x@example.org", gender="female")
    _move(session, world, "facilitator", declined, "declined")

    report = service.event_balance(session, actor=facilitator, event_id=event_id)

    # Counted by hand: five people expected (the one who declined is not counted).
    assert report.total == 5
    checks = {check.target.dimension: check for check in report.checks}
    assert (checks["gender"].count, checks["gender"].share, checks["gender"].status) == (2, 0.4, "met")
    # Kenya and Uganda are recipients; the donor agency's and the IAEA's people sit on the partner side.
    assert (checks["country_side"].count, checks["country_side"].share) == (3, 0.6)
    assert checks["country_side"].status == "met"
    # Ministries are 2 of 5 = 40% > 30%: missed; 2 / (5 + k) <= 0.30 first holds for k = 2.
    worst = checks["stakeholder_type"]
    assert (worst.category, worst.share, worst.status, worst.people_needed) == ("ministry", 0.4, "missed", 2)
    with pytest.raises(PermissionDenied):
        service.event_balance(session, actor=world.actors["focal_ken"], event_id=event_id)


# --- Travel support -------------------------------------------------------------------------------


def _apply(session: Session, world: World, role: str, participant_id: int, fare: int) -> int:
    application = service.apply_for_travel(
        session,
        actor=world.actors[role],
        participant_id=participant_id,
        data=TravelApplicationFields(
            fare=Decimal(fare), daily_allowance=Decimal(100), nights=3, reason="No budget for the flight"
        ),
    )
    return application.id


def test_the_fund_keeps_its_budget_and_an_override_is_kept_and_audited(
    session: Session, world: World
) -> None:
    event_id = _event(session, world)
    own = _person(session, world, event_id, user_id=world.user_ids["counterpart_ken"])
    other = _person(
        session, world, event_id, full_name="Ruth Nakato", email="r@example.org", country_iso3="UGA"
    )
    third = _person(
        session, world, event_id, full_name="Peter Okello", email="p@example.org", country_iso3="UGA"
    )
    mine = _apply(session, world, "counterpart_ken", own, 1200)
    with pytest.raises(NotFound):  # nobody applies for someone else, except facilitators
        _apply(session, world, "counterpart_ken", other, 900)
    with pytest.raises(PermissionDenied):  # not even the person's focal point, who sees them
        _apply(session, world, "focal_uga", other, 900)
    _apply(session, world, "facilitator", other, 900)
    _apply(session, world, "facilitator", third, 1500)

    run = service.run_fund(session, actor=world.actors["facilitator"], event_id=event_id)
    lines = service.travel_applications(session, actor=world.actors["facilitator"], event_id=event_id)
    awarded = sum(line.grant.amount for line in lines if line.grant)
    assert run.status == "optimal" and awarded <= Decimal("3000") and awarded == run.total_awarded
    for line in lines:
        assert line.grant is not None
        assert line.grant.amount == 0 or line.minimum <= line.grant.amount <= line.requested

    grant = next(line.grant for line in lines if line.application.id == mine)
    assert grant is not None
    others = awarded - grant.amount
    with pytest.raises(ValidationFailed) as beyond:  # an override may not break the budget either
        service.override_grant(
            session,
            actor=world.actors["facilitator"],
            application_id=mine,
            data=GrantOverride(
                amount=Decimal("3000") - others + 1, reason="Give the whole request", version=grant.version
            ),
        )
    assert beyond.value.problems[0].field == "amount"
    service.override_grant(
        session,
        actor=world.actors["facilitator"],
        application_id=mine,
        data=GrantOverride(amount=Decimal("0"), reason="Fare paid by the hospital", version=grant.version),
    )
    trail = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "travel.override", AuditEvent.entity_id == str(event_id)
        )
    ).all()
    assert len(trail) == 1 and trail[0].after is not None
    assert trail[0].after["reason"] == "Fare paid by the hospital" and trail[0].after["amount"] == "0"

    service.run_fund(session, actor=world.actors["facilitator"], event_id=event_id)
    again = service.travel_applications(session, actor=world.actors["facilitator"], event_id=event_id)
    kept = next(line.grant for line in again if line.application.id == mine)
    assert kept is not None and kept.amount == Decimal("0") and kept.is_override
    assert sum(line.grant.amount for line in again if line.grant) <= Decimal("3000")
    with pytest.raises(PermissionDenied):
        service.run_fund(session, actor=world.actors["focal_ken"], event_id=event_id)


def test_targets_that_cannot_hold_are_reported_and_nothing_is_awarded(session: Session, world: World) -> None:
    event_id = _event(session, world)
    for category in ("female", "male"):
        service.add_target(
            session,
            actor=world.actors["facilitator"],
            event_id=event_id,
            data=TargetFields(
                dimension="gender", category=category, bound="at_least", share_percent=Decimal(60)
            ),
        )
    # Two women and two men come without support; two women and two men apply. Either target alone can
    # be met (support two of that gender: 4 of 6), both together cannot (they would need 120%).
    applicants = []
    for index, gender in enumerate(("female", "male", "female", "male")):
        _person(
            session,
            world,
            event_id,
            full_name=f"Self {index}",
            email=f"self{index}@example.org",
            gender=gender,
        )
        applicants.append(
            _person(
                session,
                world,
                event_id,
                full_name=f"App {index}",
                email=f"app{index}@example.org",
                gender=gender,
            )
        )
    for applicant in applicants:
        _apply(session, world, "facilitator", applicant, 500)
    run = service.run_fund(session, actor=world.actors["facilitator"], event_id=event_id)
    assert run.status == "infeasible"
    assert set(run.conflicting) == {"gender:female>=0.60", "gender:male>=0.60"}
    lines = service.travel_applications(session, actor=world.actors["facilitator"], event_id=event_id)
    assert len(lines) == 4 and all(line.grant is None for line in lines)


# --- Outcomes, concept notes, needs -----------------------------------------------------------------


def test_a_recommendation_becomes_a_concept_note_and_then_a_need_linked_to_the_event(
    session: Session, world: World
) -> None:
    event_id = _event(session, world, days_ahead=-10)
    facilitator = world.actors["facilitator"]
    service.save_outcome(
        session,
        actor=facilitator,
        event_id=event_id,
        data=OutcomeFields(
            summary="Radiotherapy waiting lists are the main gap in the region.", sdg_goal_codes=["3"]
        ),
    )
    recommendation = service.add_recommendation(
        session,
        actor=facilitator,
        event_id=event_id,
        data=RecommendationFields(text="Plan a second radiotherapy centre in Kisumu", country_iso3="KEN"),
    )
    note = service.create_concept_note(
        session,
        actor=facilitator,
        recommendation_id=recommendation.id,
        data=ConceptNoteCreate(
            country_iso3="KEN", title="Radiotherapy centre in Kisumu", thematic_area_code="health"
        ),
    )
    counterpart = world.actors["counterpart_ken"]
    with pytest.raises(ValidationFailed) as incomplete:
        service.convert_concept_note(session, actor=counterpart, note_id=note.id, version=note.version)
    assert {p.field for p in incomplete.value.problems} == {"problem", "objective", "outputs", "activities"}
    with pytest.raises(NotFound):  # another country's focal point does not see Kenya's note
        service.get_concept_note(session, actor=world.actors["focal_uga"], note_id=note.id)
    note = service.update_concept_note(
        session,
        actor=counterpart,
        note_id=note.id,
        data=ConceptNoteUpdate(
            title="Radiotherapy centre in Kisumu",
            thematic_area_code="health",
            technique_codes=["radiotherapy"],
            problem="Patients travel 350 km",
            objective="Treat 1,200 patients a year in Kisumu",
            outputs="A bunker and a linear accelerator",
            activities="Design, build, train",
            estimated_cost=Decimal("4500000"),
            version=note.version,
        ),
    )
    assert note.status == "ready"
    need = service.convert_concept_note(session, actor=counterpart, note_id=note.id, version=note.version)
    assert (need.country_iso3, need.status, need.estimated_cost) == ("KEN", "draft", Decimal("4500000"))
    assert "Patients travel 350 km" in need.description
    event = service.get_event(session, actor=facilitator, event_id=event_id)
    assert [r.need.id for r in service.resulting_needs(session, actor=counterpart, event=event)] == [need.id]
    # A draft need is the country's own business: the public does not see it among the event's results.
    assert service.resulting_needs(session, actor=world.actors["public"], event=event) == []
    assert service.event_of_need(session, actor=world.actors["public"], need_id=need.id) is not None
    with pytest.raises(InvalidTransition):
        service.convert_concept_note(session, actor=counterpart, note_id=note.id, version=note.version)


# --- Actions -------------------------------------------------------------------------------------------


def test_the_owner_reports_progress_others_may_not_and_overdue_actions_are_counted(
    session: Session, world: World
) -> None:
    event_id = _event(session, world, days_ahead=-20)
    action = service.create_action(
        session,
        actor=world.actors["facilitator"],
        event_id=event_id,
        data=ActionFields(
            title="Send the workshop report to the ministry",
            owner_user_id=world.user_ids["counterpart_ken"],
            due_on=date.today() - timedelta(days=3),
        ),
    )
    counterpart = world.actors["counterpart_ken"]
    assert service.overdue_count(session, actor=counterpart, today=date.today()) == 1
    with pytest.raises(PermissionDenied):
        service.progress_action(
            session,
            actor=world.actors["focal_uga"],
            action_id=action.id,
            data=ActionProgress(status="done", note="", version=action.version),
        )
    with pytest.raises(ValidationFailed):  # no change and nothing said
        service.progress_action(
            session,
            actor=counterpart,
            action_id=action.id,
            data=ActionProgress(status="open", note=" ", version=action.version),
        )
    done = service.progress_action(
        session,
        actor=counterpart,
        action_id=action.id,
        data=ActionProgress(status="done", note="Report sent on Monday", version=action.version),
    )
    assert done.status == "done" and [n.text for n in done.notes] == ["Report sent on Monday"]
    assert service.overdue_count(session, actor=counterpart, today=date.today()) == 0
    others = service.list_actions(
        session, actor=world.actors["focal_uga"], filters=ActionFilter(), page=PageRequest()
    )
    assert action.id not in {a.id for a in others.items}


# --- Statistics and what the public sees ------------------------------------------------------------


def test_statistics_count_the_period_s_events_people_and_results(session: Session, world: World) -> None:
    event_id = _event(session, world, days_ahead=-5, title="Statistics workshop of the test")
    for index, (gender, country) in enumerate((("female", "KEN"), ("male", "KEN"), ("female", "UGA"))):
        _person(
            session,
            world,
            event_id,
            full_name=f"P{index}",
            email=f"s{index}@example.org",
            gender=gender,
            country_iso3=country,
        )
    service.add_recommendation(
        session,
        actor=world.actors["facilitator"],
        event_id=event_id,
        data=RecommendationFields(text="Train two medical physicists a year", country_iso3="UGA"),
    )
    today = date.today()
    period = statistics.period(today - timedelta(days=6), today - timedelta(days=4))
    report = statistics.dialogue_statistics(
        session, actor=world.actors["facilitator"], period=period, by="country"
    )
    rows = {row.key: row for row in report.rows}
    assert (rows["KEN"].participants, rows["KEN"].by_gender["female"], rows["KEN"].by_gender["male"]) == (
        2,
        1,
        1,
    )
    assert (rows["UGA"].participants, rows["UGA"].recommendations) == (1, 1)
    assert report.totals.participants == 3 and report.totals.event_count == 1 and report.events_held == 1


def test_no_personal_data_reaches_the_public(client: TestClient, session: Session, world: World) -> None:
    event_id = _event(session, world, title="Public workshop on cancer care")
    _person(
        session,
        world,
        event_id,
        full_name="Hidden Person",
        email="hidden.person@example.org",
        gender="female",
        country_iso3="KEN",
    )
    session.flush()
    for path in (
        f"/events/{event_id}",
        "/events",
        f"/events/{event_id}.ics",
        f"/api/v1/events/{event_id}",
        "/api/v1/events",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "hidden.person@example.org" not in response.text and "Hidden Person" not in response.text, path
    assert client.get(f"/events/{event_id}/participants", follow_redirects=False).status_code == 303
    assert client.get(f"/api/v1/events/{event_id}/participants").status_code in {401, 403, 404}


def test_a_closed_event_is_hidden_from_the_public_and_shown_to_its_focus_countries(
    session: Session, world: World
) -> None:
    event_id = _event(session, world, is_public=False, focus_country_codes=["UGA"])
    with pytest.raises(NotFound):
        service.get_event(session, actor=world.actors["public"], event_id=event_id)
    with pytest.raises(NotFound):
        service.get_event(session, actor=world.actors["focal_ken"], event_id=event_id)
    assert service.get_event(session, actor=world.actors["focal_uga"], event_id=event_id).id == event_id
