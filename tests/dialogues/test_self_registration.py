"""Voluntary registration that commits to nothing, through the served pages and the API: a signed-in person
registers for an event they may see until it begins, sees it, withdraws; an invited person confirms or
declines themselves; every refusal is an answer, never a 500, and a closed event is a missing one."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.audit import service as audit
from pux.dialogues import service as dialogues
from pux.dialogues.models import DialogueEvent, Participant
from pux.dialogues.schemas import ParticipantFields
from tests.web_helpers import bearer, csrf_token, sign_in
from tests.world import World, event_data


def _event(session: Session, world: World, **extra: object) -> DialogueEvent:
    return dialogues.create_event(session, actor=world.actors["facilitator"], data=event_data(**extra))


def _post(client: TestClient, page: str, action: str, data: dict[str, str] | None = None) -> int:
    answer = client.post(
        action, data={**(data or {}), "csrf_token": csrf_token(client, page)}, follow_redirects=False
    )
    return answer.status_code


def _mine(session: Session, world: World, role: str, event: DialogueEvent) -> Participant | None:
    session.expire_all()
    return dialogues.my_participation(session, actor=world.actors[role], event_id=event.id)


def test_an_expert_registers_sees_it_counted_and_withdraws(
    client: TestClient, session: Session, world: World
) -> None:
    event = _event(session, world)
    sign_in(client, world.emails["expert"])
    me = f"/events/{event.id}/me"
    page = client.get(me).text
    assert "Register for this event" in page and "commits you to nothing" in page
    assert f'action="/events/{event.id}/register"' in page

    assert _post(client, me, f"/events/{event.id}/register") == 303
    mine = _mine(session, world, "expert", event)
    assert mine is not None and mine.status == "nominated"
    page = client.get(me).text
    assert "Withdraw my registration" in page and "Register for this event" not in page
    assert dialogues.public_participation(session, event)["people"] == 1
    actions = [
        e.action for e in audit.history(session, entity_type="dialogue_participant", entity_id=str(mine.id))
    ]
    assert "participant.register" in actions

    sign_in(client, world.emails["facilitator"])
    assert "Test expert" in client.get(f"/events/{event.id}/participants").text

    sign_in(client, world.emails["expert"])
    moved = _post(
        client, me, f"/participants/{mine.id}/moves", {"target": "declined", "version": str(mine.version)}
    )
    assert moved == 303
    mine = _mine(session, world, "expert", event)
    assert mine is not None and mine.status == "declined"
    assert dialogues.public_participation(session, event)["people"] == 0
    assert "Register for this event" in client.get(me).text  # and may change their mind
    assert _post(client, me, f"/events/{event.id}/register") == 303
    mine = _mine(session, world, "expert", event)
    assert mine is not None and mine.status == "nominated"


def test_the_event_page_offers_registration_to_the_signed_in(
    client: TestClient, session: Session, world: World
) -> None:
    event = _event(session, world)
    assert "Register (commits you to nothing)" not in client.get(f"/events/{event.id}").text
    sign_in(client, world.emails["partner_a"])
    assert "Register (commits you to nothing)" in client.get(f"/events/{event.id}").text


def test_registration_refusals_are_answers_not_errors(
    client: TestClient, session: Session, world: World
) -> None:
    started = _event(session, world, days_ahead=-1)
    cancelled = _event(session, world)
    cancelled.is_cancelled = True
    closed = _event(session, world, is_public=False, focus_country_codes=["UGA"])
    open_event = _event(session, world)
    session.flush()
    sign_in(client, world.emails["expert"])
    me = f"/events/{open_event.id}/me"
    for event in (started, cancelled):
        assert _post(client, me, f"/events/{event.id}/register") == 409
        page = client.get(f"/events/{event.id}/me").text
        assert "Register for this event" not in page and "Registration is closed" in page
    missing = client.post("/events/999999/register", data={"csrf_token": csrf_token(client, me)})
    hidden = client.post(f"/events/{closed.id}/register", data={"csrf_token": csrf_token(client, me)})
    assert missing.status_code == hidden.status_code == 404
    assert _mine(session, world, "expert", closed) is None
    assert _post(client, me, f"/events/{open_event.id}/register") == 303
    assert _post(client, me, f"/events/{open_event.id}/register") == 409  # once is enough
    assert client.post(f"/events/{open_event.id}/register", data={}).status_code == 403  # no CSRF token

    client.cookies.clear()
    assert _post(client, "/sign-in", f"/events/{open_event.id}/register") == 303  # to sign in
    assert _mine(session, world, "public", open_event) is None


def test_a_full_event_refuses_registration_beside_the_button(
    client: TestClient, session: Session, world: World
) -> None:
    event = _event(session, world, capacity=1)
    dialogues.add_participant(
        session,
        actor=world.actors["facilitator"],
        event_id=event.id,
        data=ParticipantFields(full_name="First Person", email="first@test.pux.invalid"),
    )
    sign_in(client, world.emails["expert"])
    me = f"/events/{event.id}/me"
    answer = client.post(f"/events/{event.id}/register", data={"csrf_token": csrf_token(client, me)})
    assert answer.status_code == 422 and "the event is full" in answer.text


def test_an_invited_partner_confirms_themselves_and_a_recipient_waits_for_endorsement(
    client: TestClient, session: Session, world: World
) -> None:
    event = _event(session, world)
    facilitator = world.actors["facilitator"]
    partner = dialogues.add_participant(
        session,
        actor=facilitator,
        event_id=event.id,
        data=ParticipantFields(user_id=world.user_ids["partner_a"]),
    )
    recipient = dialogues.add_participant(
        session,
        actor=facilitator,
        event_id=event.id,
        data=ParticipantFields(user_id=world.user_ids["counterpart_ken"]),
    )
    me = f"/events/{event.id}/me"
    sign_in(client, world.emails["partner_a"])
    page = client.get(me).text
    assert "I will come" in page and "I cannot come" in page
    data = {"target": "confirmed", "version": str(partner.version)}
    assert _post(client, me, f"/participants/{partner.id}/moves", data) == 303
    assert _mine(session, world, "partner_a", event).status == "confirmed"  # type: ignore[union-attr]

    sign_in(client, world.emails["counterpart_ken"])
    page = client.get(me).text
    assert "I will come" not in page and "focal point endorses you" in page
    data = {"target": "confirmed", "version": str(recipient.version)}
    assert _post(client, me, f"/participants/{recipient.id}/moves", data) == 409
    data = {"target": "declined", "version": str(recipient.version)}
    assert _post(client, me, f"/participants/{recipient.id}/moves", data) == 303


def test_registration_through_the_api(client: TestClient, session: Session, world: World) -> None:
    event = _event(session, world)
    closed = _event(session, world, is_public=False, focus_country_codes=["UGA"])
    headers = bearer(world.tokens["expert"])
    answer = client.post(f"/api/v1/events/{event.id}/registration", headers=headers)
    assert answer.status_code == 201 and answer.json()["status"] == "nominated"
    assert client.post(f"/api/v1/events/{event.id}/registration", headers=headers).status_code == 409
    assert client.post(f"/api/v1/events/{closed.id}/registration", headers=headers).status_code == 404
    assert client.post(f"/api/v1/events/{event.id}/registration").status_code == 401
