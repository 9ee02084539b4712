"""A travel application through the served pages: its applicant changes it until the fund decides and
withdraws it until the fund pays (which cancels any award, audited); a facilitator applies for someone
without an account from the travel page, and every refusal names its field and keeps what was typed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.audit import service as audit
from pux.dialogues import service as dialogues
from pux.dialogues.models import DialogueEvent, Participant, TravelApplication
from pux.dialogues.schemas import (
    DisbursementFields,
    GrantOverride,
    ParticipantFields,
    TravelApplicationFields,
)
from tests.web_helpers import csrf_token, sign_in
from tests.world import World, event_data

FIELDS = {"fare": "600", "daily_allowance": "40", "nights": "3", "reason": "No institutional travel budget"}


def _setup(session: Session, world: World) -> tuple[DialogueEvent, Participant, TravelApplication]:
    facilitator = world.actors["facilitator"]
    event = dialogues.create_event(session, actor=facilitator, data=event_data())
    person = dialogues.add_participant(
        session,
        actor=facilitator,
        event_id=event.id,
        data=ParticipantFields(user_id=world.user_ids["partner_a"]),
    )
    application = dialogues.apply_for_travel(
        session,
        actor=world.actors["partner_a"],
        participant_id=person.id,
        data=TravelApplicationFields.model_validate(FIELDS),
    )
    return event, person, application


def _post(client: TestClient, page: str, action: str, data: dict[str, str]) -> tuple[int, str]:
    answer = client.post(
        action, data={**data, "csrf_token": csrf_token(client, page)}, follow_redirects=False
    )
    return answer.status_code, answer.text


def test_the_applicant_changes_the_application_and_a_bad_figure_is_shown_beside_its_box(
    client: TestClient, session: Session, world: World
) -> None:
    event, _person, application = _setup(session, world)
    sign_in(client, world.emails["partner_a"])
    me = f"/events/{event.id}/me"
    page = client.get(me).text
    assert f'action="/travel/applications/{application.id}"' in page and "Change my application" in page
    changed = {**FIELDS, "fare": "750", "version": str(application.version)}
    status, _text = _post(client, me, f"/travel/applications/{application.id}", changed)
    assert status == 303
    session.expire_all()
    assert application.fare == Decimal("750")

    typed = {**FIELDS, "fare": "-5", "reason": "Typed and kept", "version": str(application.version)}
    status, text = _post(client, me, f"/travel/applications/{application.id}", typed)
    assert status == 422
    assert 'id="error-fare"' in text and "Typed and kept" in text and 'value="-5"' in text


def test_the_applicant_withdraws_and_the_award_is_cancelled(
    client: TestClient, session: Session, world: World
) -> None:
    event, _person, application = _setup(session, world)
    dialogues.override_grant(
        session,
        actor=world.actors["facilitator"],
        application_id=application.id,
        data=GrantOverride(amount=Decimal("700"), reason="Speaker on the first day", version=0),
    )
    sign_in(client, world.emails["partner_a"])
    me = f"/events/{event.id}/me"
    page = client.get(me).text
    assert "Withdraw my application" in page
    assert "Change my application" not in page  # the fund decided: it can no longer be changed
    status, _text = _post(
        client, me, f"/travel/applications/{application.id}/withdraw", {"version": str(application.version)}
    )
    assert status == 303
    session.expire_all()
    assert application.status == "withdrawn" and application.grant is not None
    assert application.grant.amount == 0 and application.grant.reason_code == "cancelled"
    recorded = audit.history(session, entity_type="travel_application", entity_id=str(application.id))
    assert "travel.withdraw" in [e.action for e in recorded]
    page = client.get(me).text
    assert "Withdraw my application" not in page and "Apply again" in page
    status, _text = _post(
        client, me, f"/travel/applications/{application.id}/withdraw", {"version": str(application.version)}
    )
    assert status == 409  # already withdrawn: an answer, not an error


def test_nothing_is_withdrawn_once_the_fund_paid(client: TestClient, session: Session, world: World) -> None:
    event, _person, application = _setup(session, world)
    facilitator = world.actors["facilitator"]
    grant = dialogues.override_grant(
        session,
        actor=facilitator,
        application_id=application.id,
        data=GrantOverride(amount=Decimal("700"), reason="Speaker on the first day", version=0),
    )
    dialogues.record_disbursement(
        session,
        actor=facilitator,
        grant_id=grant.id,
        data=DisbursementFields(amount=Decimal("100"), paid_on=date.today()),
    )
    sign_in(client, world.emails["partner_a"])
    me = f"/events/{event.id}/me"
    assert "Withdraw my application" not in client.get(me).text
    status, _text = _post(
        client, me, f"/travel/applications/{application.id}/withdraw", {"version": str(application.version)}
    )
    assert status == 409
    session.expire_all()
    assert application.status != "withdrawn"


def test_someone_else_cannot_touch_an_application_they_may_not_see(
    client: TestClient, session: Session, world: World
) -> None:
    event, _person, application = _setup(session, world)
    sign_in(client, world.emails["expert"])
    page = f"/events/{event.id}/me"
    for action in (
        f"/travel/applications/{application.id}",
        f"/travel/applications/{application.id}/withdraw",
    ):
        status, _text = _post(client, page, action, {**FIELDS, "version": str(application.version)})
        assert status == 404
        status, _text = _post(client, page, action.replace(str(application.id), "999999"), {"version": "1"})
        assert status == 404


def test_a_facilitator_applies_for_someone_without_an_account(
    client: TestClient, session: Session, world: World
) -> None:
    facilitator = world.actors["facilitator"]
    event = dialogues.create_event(session, actor=facilitator, data=event_data())
    person = dialogues.add_participant(
        session,
        actor=facilitator,
        event_id=event.id,
        data=ParticipantFields(
            full_name="Amina Wanjiru", email="amina.w@test.pux.invalid", country_iso3="KEN"
        ),
    )
    sign_in(client, world.emails["facilitator"])
    travel = f"/events/{event.id}/travel"
    page = client.get(travel).text
    assert "Apply for this participant" in page and f'<option value="{person.id}"' in page

    status, text = _post(
        client, travel, f"/events/{event.id}/travel/applications", {**FIELDS, "nights": "99"}
    )
    assert status == 422
    assert 'id="error-participant_id"' in text and 'id="error-nights"' in text
    assert 'href="#f-apply-participant_id"' in text and "No institutional travel budget" in text

    chosen = {**FIELDS, "participant_id": str(person.id)}
    status, _text = _post(client, travel, f"/events/{event.id}/travel/applications", chosen)
    assert status == 303
    session.expire_all()
    assert person.application is not None and person.application.fare == Decimal("600")


def test_a_bad_application_for_a_participant_names_its_field_on_the_travel_page(
    client: TestClient, session: Session, world: World
) -> None:
    facilitator = world.actors["facilitator"]
    event = dialogues.create_event(session, actor=facilitator, data=event_data())
    person = dialogues.add_participant(
        session,
        actor=facilitator,
        event_id=event.id,
        data=ParticipantFields(
            full_name="Amina Wanjiru", email="amina.w@test.pux.invalid", country_iso3="KEN"
        ),
    )
    sign_in(client, world.emails["facilitator"])
    travel = f"/events/{event.id}/travel"
    status, text = _post(client, travel, f"/participants/{person.id}/travel", {**FIELDS, "fare": "abc"})
    assert status == 422
    assert "not on this event's list" not in text
    assert 'id="error-fare"' in text and 'value="abc"' in text
    assert f'<option value="{person.id}" selected' in text
