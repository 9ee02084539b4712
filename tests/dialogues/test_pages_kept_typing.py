"""A refused dialogue form comes back with what was typed: the page again with the form open, each problem
beside its field and in the summary at the top (422), or over the current version when someone else saved
first (409). They answered a bare error page and the typing was lost: the travel-support decision, the
payment, the progress report on an action, the edit of an event (and of an outcome or a concept note)
that lost to another save, a focal point's nomination of another country's person."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import html
from sqlalchemy.orm import Session

from pux.dialogues import service as dialogues
from pux.dialogues.schemas import (
    ActionFields,
    ActionProgress,
    ConceptNoteCreate,
    ConceptNoteUpdate,
    EventUpdate,
    GrantOverride,
    OutcomeFields,
    ParticipantFields,
    RecommendationFields,
    TravelApplicationFields,
)
from tests.web.accessibility import accessibility_problems
from tests.web_helpers import csrf_token, sign_in
from tests.world import World, event_data

REASON = "The hospital pays the hotel; the fund pays the flight."


def _post(client: TestClient, page: str, action: str, data: dict[str, Any]) -> Any:
    return client.post(action, data={**data, "csrf_token": csrf_token(client, page)}, follow_redirects=False)


def _field(text: str, field_id: str) -> Any:
    found = html.fromstring(text).xpath(f'//*[@id="{field_id}"]')
    assert found, f"no #{field_id} on the page"
    return found[0]


def _shown_again(answer: Any, status: int, field_id: str | None = None) -> str:
    """The page again with its form (not the site's error page), the problem beside ``field_id`` and
    linked from the summary at the top, every link and label leading somewhere."""
    assert answer.status_code == status, (answer.status_code, answer.text[:600])
    text = str(answer.text)
    assert 'class="error-message"' not in text and 'class="problems"' in text
    if field_id is not None:
        assert _field(text, field_id).get("aria-invalid") == "true"
        assert f'href="#{field_id}"' in text
    assert accessibility_problems(text) == []
    return text


def _application(session: Session, world: World) -> Any:
    facilitator = world.actors["facilitator"]
    event = dialogues.create_event(session, actor=facilitator, data=event_data())
    person = dialogues.add_participant(
        session,
        actor=facilitator,
        event_id=event.id,
        data=ParticipantFields(full_name="Amina Njeri", email="amina@test.pux.invalid", country_iso3="KEN"),
    )
    return dialogues.apply_for_travel(
        session,
        actor=facilitator,
        participant_id=person.id,
        data=TravelApplicationFields(
            fare=Decimal(900), daily_allowance=Decimal(150), nights=3, reason="Flight from Mombasa."
        ),
    )


# --- The travel-support decision and the payment ----------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "words"), [("5000", "more than the participant asked for"), ("lots", "must be a number")]
)
def test_a_refused_decision_on_travel_support_keeps_what_was_typed(
    client: TestClient, session: Session, world: World, amount: str, words: str
) -> None:
    application = _application(session, world)
    event_id = application.participant.event_id
    sign_in(client, world.emails["facilitator"])
    page = f"/events/{event_id}/travel"
    answer = _post(
        client,
        page,
        f"/travel/applications/{application.id}/override",
        {"amount": amount, "reason": REASON, "version": "0"},
    )
    text = _shown_again(answer, 422, f"f-o{application.id}-amount")
    assert words in text
    assert _field(text, f"f-o{application.id}-reason").get("value") == REASON
    assert _field(text, f"f-o{application.id}-amount").get("value") == amount
    assert application.grant is None  # nothing was decided
    # Corrected, it is recorded.
    saved = _post(
        client,
        page,
        f"/travel/applications/{application.id}/override",
        {"amount": "800", "reason": REASON, "version": "0"},
    )
    assert saved.status_code == 303 and saved.headers["location"] == page


def test_a_decision_made_from_an_older_version_is_shown_again_over_the_current_one(
    client: TestClient, session: Session, world: World
) -> None:
    application = _application(session, world)
    dialogues.override_grant(
        session,
        actor=world.actors["admin"],
        application_id=application.id,
        data=GrantOverride(amount=Decimal(700), reason="Decided first by someone else.", version=0),
    )
    current = application.grant.version
    sign_in(client, world.emails["facilitator"])
    page = f"/events/{application.participant.event_id}/travel"
    action = f"/travel/applications/{application.id}/override"
    answer = _post(client, page, action, {"amount": "800", "reason": REASON, "version": "0"})
    text = _shown_again(answer, 409)
    assert f"it is now at version {current}" in text
    assert _field(text, f"f-o{application.id}-reason").get("value") == REASON
    form = _field(text, f"f-o{application.id}-reason").getparent().getparent()
    assert form.xpath('string(.//input[@name="version"]/@value)') == str(current)
    again = _post(client, page, action, {"amount": "800", "reason": REASON, "version": str(current)})
    assert again.status_code == 303


def test_a_refused_payment_keeps_what_was_typed(client: TestClient, session: Session, world: World) -> None:
    application = _application(session, world)
    grant = dialogues.override_grant(
        session,
        actor=world.actors["facilitator"],
        application_id=application.id,
        data=GrantOverride(amount=Decimal(800), reason=REASON, version=0),
    )
    sign_in(client, world.emails["facilitator"])
    page = f"/events/{application.participant.event_id}/travel"
    answer = _post(
        client,
        page,
        f"/travel/grants/{grant.id}/disbursements",
        {"amount": "750.50", "paid_on": "0001-01-01", "receipt_amount": "700"},
    )
    text = _shown_again(answer, 422, f"f-p{grant.id}-paid_on")
    assert _field(text, f"f-p{grant.id}-amount").get("value") == "750.50"
    assert _field(text, f"f-p{grant.id}-receipt_amount").get("value") == "700"
    assert _field(text, f"f-p{grant.id}-paid_on").get("value") == "0001-01-01"
    assert grant.disbursements == []


@pytest.mark.parametrize("role", ["focal_ken", "expert"])
def test_bad_values_on_the_travel_forms_from_who_may_not_use_them_get_no_form(
    client: TestClient, session: Session, world: World, role: str
) -> None:
    application = _application(session, world)
    grant = dialogues.override_grant(
        session,
        actor=world.actors["facilitator"],
        application_id=application.id,
        data=GrantOverride(amount=Decimal(800), reason=REASON, version=0),
    )
    sign_in(client, world.emails[role])
    for action, data in (
        (f"/travel/applications/{application.id}/override", {"amount": "lots", "version": "0"}),
        (f"/travel/grants/{grant.id}/disbursements", {"amount": "lots", "paid_on": "never"}),
    ):
        refused = _post(client, "/", action, data)
        assert refused.status_code in {403, 404} and 'class="problems"' not in refused.text, action


# --- Follow-up actions --------------------------------------------------------------------------------


def _action(session: Session, world: World) -> Any:
    event = dialogues.create_event(session, actor=world.actors["facilitator"], data=event_data(days_ahead=-5))
    return dialogues.create_action(
        session,
        actor=world.actors["facilitator"],
        event_id=event.id,
        data=ActionFields(title="Survey the cancer centres", owner_user_id=world.user_ids["expert"]),
    )


def test_a_refused_progress_report_keeps_what_was_chosen_on_the_same_list(
    client: TestClient, session: Session, world: World
) -> None:
    action = _action(session, world)
    sign_in(client, world.emails["expert"])
    page = "/actions?status=open"
    listed = client.get(page).text
    form = _field(listed, f"f-a{action.id}-note").getparent().getparent()
    address, back = form.get("action"), form.xpath('string(.//input[@name="back"]/@value)')
    assert (
        address == f"/actions/{action.id}/progress?status=open&page=1"
        and back == "/actions?status=open&page=1"
    )
    # The same status and no note: nothing progressed.
    answer = _post(
        client, page, address, {"status": "open", "note": "", "version": action.version, "back": back}
    )
    text = _shown_again(answer, 422, f"f-a{action.id}-note")
    assert "say what progress was made" in text
    chosen = _field(text, f"f-a{action.id}-status").xpath("string(.//option[@selected]/@value)")
    assert chosen == "open"
    # A note too long keeps the note and the status chosen.
    long_note, status = "The survey went out. " * 200, "in_progress"
    answer = _post(
        client, page, address, {"status": status, "note": long_note, "version": action.version, "back": back}
    )
    text = _shown_again(answer, 422, f"f-a{action.id}-note")
    assert _field(text, f"f-a{action.id}-note").get("value") == long_note
    assert _field(text, f"f-a{action.id}-status").xpath("string(.//option[@selected]/@value)") == status
    assert action.status == "open" and action.notes == []
    saved = _post(
        client, page, address, {"status": status, "note": "Sent.", "version": action.version, "back": back}
    )
    assert saved.status_code == 303 and saved.headers["location"] == back


def test_a_progress_report_made_from_an_older_version_is_shown_again(
    client: TestClient, session: Session, world: World
) -> None:
    action = _action(session, world)
    old = action.version
    dialogues.progress_action(
        session,
        actor=world.actors["facilitator"],
        action_id=action.id,
        data=ActionProgress(status="in_progress", note="Started.", version=old),
    )
    sign_in(client, world.emails["expert"])
    answer = _post(
        client,
        "/actions",
        f"/actions/{action.id}/progress",
        {"status": "done", "note": "All three centres answered.", "version": old, "back": "/actions"},
    )
    text = _shown_again(answer, 409)
    assert f"it is now at version {action.version}" in text
    assert _field(text, f"f-a{action.id}-note").get("value") == "All three centres answered."


def test_bad_values_on_a_progress_report_from_who_may_not_report_get_no_form(
    client: TestClient, session: Session, world: World
) -> None:
    action = _action(session, world)
    sign_in(client, world.emails["partner_a"])
    refused = _post(
        client, "/actions", f"/actions/{action.id}/progress", {"status": "finished", "version": "0"}
    )
    assert refused.status_code in {403, 404} and 'class="problems"' not in refused.text


# --- An event edit that lost the race -----------------------------------------------------------------


def test_an_event_edit_that_lost_to_another_save_keeps_what_was_typed(
    client: TestClient, session: Session, world: World
) -> None:
    facilitator = world.actors["facilitator"]
    event = dialogues.create_event(session, actor=facilitator, data=event_data())
    sign_in(client, world.emails["facilitator"])
    edit = f"/events/{event.id}/edit"
    opened = client.get(edit).text
    old = _field(opened, "f-title").getparent().getparent().xpath('string(.//input[@name="version"]/@value)')
    assert old == str(event.version)
    # Someone else saves first.
    fields = {
        name: getattr(event, name) for name in EventUpdate.model_fields if name not in {"version", "title"}
    }
    dialogues.update_event(
        session,
        actor=world.actors["admin"],
        event_id=event.id,
        data=EventUpdate(**fields, title="Saved first", version=event.version),
    )
    current = event.version
    mine = {
        "kind": "regional_workshop",
        "title": "Planning workshop, second day moved",
        "description": "The second day moves to the hospital's bunker.",
        "host_country_iso3": "KEN",
        "city": "Mombasa",
        "starts_at": "2099-05-04T09:00",
        "ends_at": "2099-05-06T17:00",
        "time_zone": "Africa/Nairobi",
        "is_public": "on",
        "version": old,
    }
    answer = _post(client, edit, edit, mine)
    text = _shown_again(answer, 409)
    assert f"Someone else saved this event after you opened it (it is now at version {current})" in text
    assert _field(text, "f-title").get("value") == mine["title"]
    assert _field(text, "f-city").get("value") == "Mombasa"
    assert _field(text, "f-description").text == mine["description"]
    form = _field(text, "f-title").getparent().getparent()
    assert form.xpath('string(.//input[@name="version"]/@value)') == str(current)
    session.expire_all()
    assert dialogues.get_event(session, actor=facilitator, event_id=event.id).title == "Saved first"
    # Compared, saved again over the current version.
    again = _post(client, edit, edit, {**mine, "version": str(current)})
    assert again.status_code == 303
    session.expire_all()
    assert dialogues.get_event(session, actor=facilitator, event_id=event.id).title == mine["title"]


def test_an_event_edit_with_a_bad_value_keeps_the_version_it_was_made_from(
    client: TestClient, session: Session, world: World
) -> None:
    """Shown again over the current version, a bad edit made from an older one would, once corrected,
    have overwritten the newer save unseen."""
    event = dialogues.create_event(session, actor=world.actors["facilitator"], data=event_data())
    sign_in(client, world.emails["facilitator"])
    edit = f"/events/{event.id}/edit"
    answer = _post(client, edit, edit, {"title": "", "kind": "regional_workshop", "version": "0"})
    text = _shown_again(answer, 422, "f-title")
    form = _field(text, "f-title").getparent().getparent()
    assert form.xpath('string(.//input[@name="version"]/@value)') == "0" != str(event.version)


# --- An outcome and a concept note that lost the race --------------------------------------------------


def test_an_outcome_saved_from_an_older_version_keeps_what_was_typed(
    client: TestClient, session: Session, world: World
) -> None:
    facilitator = world.actors["facilitator"]
    event = dialogues.create_event(session, actor=facilitator, data=event_data(days_ahead=-5))
    outcome = dialogues.save_outcome(
        session,
        actor=facilitator,
        event_id=event.id,
        data=OutcomeFields(summary="Saved first by someone else."),
    )
    sign_in(client, world.emails["facilitator"])
    page = f"/events/{event.id}/outcomes"
    summary = "Three countries will share one cyclotron and train its physicists together."
    answer = _post(client, page, f"/events/{event.id}/outcome", {"summary": summary, "version": "0"})
    text = _shown_again(answer, 409)
    assert f"it is now at version {outcome.version}" in text
    assert _field(text, "f-summary").text == summary
    again = _post(
        client, page, f"/events/{event.id}/outcome", {"summary": summary, "version": str(outcome.version)}
    )
    assert again.status_code == 303


def test_a_concept_note_saved_from_an_older_version_keeps_what_was_typed(
    client: TestClient, session: Session, world: World
) -> None:
    facilitator = world.actors["facilitator"]
    event = dialogues.create_event(session, actor=facilitator, data=event_data(days_ahead=-5))
    recommendation = dialogues.add_recommendation(
        session, actor=facilitator, event_id=event.id, data=RecommendationFields(text="Share a cyclotron")
    )
    note = dialogues.create_concept_note(
        session,
        actor=facilitator,
        recommendation_id=recommendation.id,
        data=ConceptNoteCreate(country_iso3="KEN", title="Shared cyclotron", thematic_area_code="health"),
    )
    old = note.version
    dialogues.update_concept_note(
        session,
        actor=world.actors["counterpart_ken"],
        note_id=note.id,
        data=ConceptNoteUpdate(title="Shared cyclotron (first)", thematic_area_code="health", version=old),
    )
    sign_in(client, world.emails["focal_ken"])
    page = f"/concept-notes/{note.id}"
    mine = {
        "title": "Shared cyclotron for East Africa",
        "thematic_area_code": "health",
        "problem": "No cyclotron within 1,000 km.",
        "objective": "Isotopes for three countries.",
        "currency": "USD",
        "version": str(old),
    }
    text = _shown_again(_post(client, page, page, mine), 409)
    assert f"it is now at version {note.version}" in text
    assert _field(text, "f-title").get("value") == mine["title"]
    assert _field(text, "f-problem").text == mine["problem"]
    assert _post(client, page, page, {**mine, "version": str(note.version)}).status_code == 303


# --- A focal point's nomination -------------------------------------------------------------------------


def test_a_focal_point_naming_another_countrys_person_keeps_the_form(
    client: TestClient, session: Session, world: World
) -> None:
    event = dialogues.create_event(session, actor=world.actors["facilitator"], data=event_data())
    sign_in(client, world.emails["focal_ken"])
    page = f"/events/{event.id}/participants"
    offered = _field(client.get(page).text, "f-country_iso3").xpath(".//option/@value")
    assert [code for code in offered if code] == ["KEN"]  # only the countries they may nominate for
    person = {"full_name": "Nakato Sarah", "email": "nakato@test.pux.invalid", "country_iso3": "UGA"}
    answer = _post(client, page, page, person)
    text = _shown_again(answer, 403, "f-country_iso3")
    assert "only people of your own country" in text
    assert _field(text, "f-full_name").get("value") == "Nakato Sarah"
    assert _field(text, "f-email").get("value") == "nakato@test.pux.invalid"
    assert dialogues.participants(session, actor=world.actors["facilitator"], event_id=event.id) == []


def test_who_may_not_nominate_still_gets_no_form(client: TestClient, session: Session, world: World) -> None:
    event = dialogues.create_event(session, actor=world.actors["facilitator"], data=event_data())
    sign_in(client, world.emails["counterpart_ken"])
    person = {"full_name": "Nakato Sarah", "email": "nakato@test.pux.invalid", "country_iso3": "UGA"}
    refused = _post(client, f"/events/{event.id}", f"/events/{event.id}/participants", person)
    assert refused.status_code == 403 and 'class="problems"' not in refused.text
    assert re.search(r'class="error-message"', refused.text)
