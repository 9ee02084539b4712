"""Every write route (pages and API) against every role, from one table.

A new write route without a row here fails `test_every_write_route_has_a_rule`, so no route can ship
without a decision about who may use it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.accounts import repository as accounts_repository
from pux.accounts import service as accounts
from pux.accounts.schemas import InvitationCreate
from pux.dialogues import service as dialogues
from pux.dialogues.schemas import ActionFields, EventCreate, ParticipantFields
from pux.gaps import service as gaps
from pux.gaps.schemas import InterestCreate
from pux.matching.models import MatchProposal
from pux.needs import service as needs
from pux.priority.engine import default_config_data
from pux.priority.service import config_revision
from pux.programmes import service as programmes
from pux.web.app import create_app
from tests.web_helpers import bearer, csrf_token, run_queued_jobs, sign_in
from tests.world import PASSWORD, ROLES, World, event_json

EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"public"}
GLOBAL = frozenset({"admin", "facilitator"})
KENYA_DRAFTERS = GLOBAL | {"focal_ken", "counterpart_ken"}
KENYA_FOCAL = GLOBAL | {"focal_ken"}
DONOR_A = GLOBAL | {"partner_a"}
ADMIN_ONLY = frozenset({"admin"})

Request = tuple[str, dict[str, Any]]  # path, keyword arguments for the test client


@dataclass(frozen=True)
class Rule:
    method: str
    path: str
    allowed: frozenset[str]
    build: Callable[[Session, World, str], Request]
    api: bool = False
    # Whose record the request acts on, when a route is tried both on the role's own and on another's.
    whose: str = ""


def _need_form(session: Session, world: World, key: str) -> dict[str, Any]:
    need = needs.get_need(session, actor=world.actors["admin"], need_id=world.needs[key])
    return {
        "title": need.title + " (edited)",
        "thematic_area_code": need.thematic_area_code,
        "technique_codes": need.technique_codes,
        "sdg_target_codes": ", ".join(need.sdg_target_codes),
        "currency": need.currency,
        "visibility": need.visibility,
        "version": str(need.version),
    }


def _need_json(session: Session, world: World, key: str) -> dict[str, Any]:
    need = needs.get_need(session, actor=world.actors["admin"], need_id=world.needs[key])
    return {
        "title": need.title + " (edited)",
        "thematic_area_code": need.thematic_area_code,
        "technique_codes": need.technique_codes,
        "sdg_target_codes": need.sdg_target_codes,
        "currency": need.currency,
        "visibility": need.visibility,
        "version": need.version,
    }


def _programme_values(session: Session, world: World, with_version: bool) -> dict[str, Any]:
    programme = programmes.get_programme(
        session, actor=world.actors["admin"], programme_id=world.programmes["draft_a"]
    )
    values: dict[str, Any] = {
        "title": "Radiotherapy equipment grants (edited)",
        "modality": "funding",
        "thematic_area_codes": ["health"],
        "currency": "USD",
    }
    if with_version:
        values["version"] = programme.version
    else:
        values["organisation_id"] = world.organisations["donor_a"]
    return values


def _activity_values(session: Session, world: World, with_version: bool) -> dict[str, Any]:
    from pux.assistance import service as assistance

    activity = assistance.get_activity(
        session, actor=world.actors["admin"], activity_id=world.activities["public_a"]
    )
    values: dict[str, Any] = {
        "title": "Brachytherapy training (edited)",
        "recipient_country_iso3": "KEN",
        "provider_organisation_id": world.organisations["donor_a"],
        "currency": "USD",
    }
    if with_version:
        values["version"] = activity.version
    return values


NEED_CSV = (
    "country_iso3,title,thematic_area_code,technique_codes,sdg_target_codes,currency,visibility\n"
    "KEN,Imported PET-CT feasibility study,health,pet_ct,3.4,USD,public\n"
)


def _invitation(session: Session, world: World, role: str) -> Request:
    _invitation, token = accounts.invite(
        session,
        actor=world.actors["admin"],
        data=InvitationCreate(email=f"invited.{role}@test.pux.invalid", role="expert"),
    )
    return f"/invitations/{token}", {
        "data": {"full_name": "Invited Expert", "password": "a long enough password"}
    }


def _own_token(session: Session, world: World, role: str) -> Request:
    owner = world.actors[role] if role != "public" else world.actors["admin"]
    token, _secret = accounts.create_api_token(session, actor=owner, name="to revoke")
    return f"/account/tokens/{token.id}/revoke", {"data": {}}


def _expert_role(session: Session, world: World, role: str) -> Request:
    user = accounts_repository.get_user(session, world.user_ids["expert"])
    assert user is not None
    return f"/roles/{user.roles[0].id}/revoke", {"data": {}}


def _failed_job(session: Session, world: World, role: str) -> Request:
    """A job the facilitator asked for that failed: facilitators and administrators may queue it again."""
    from pux.jobs.kinds import COUNTRY_BRIEFS
    from pux.jobs.models import FAILED, Job

    job = Job(
        kind=COUNTRY_BRIEFS,
        params={"language": "en"},
        status=FAILED,
        requested_by=world.actors["facilitator"].label,
        requested_by_id=world.user_ids["facilitator"],
        run_after=datetime.now(),
        attempts=3,
        max_attempts=3,
        error="ConnectionError: gone",
    )
    session.add(job)
    session.flush()
    return f"/jobs/{job.id}/retry", {"data": {}}


def _proposal(session: Session, world: World, role: str) -> int:
    proposal = MatchProposal(
        need_id=world.needs["published_ken"],
        programme_id=world.programmes["published_a"],
        amount=Decimal("100000"),
        fit=0.8,
        explanation="test",
    )
    session.add(proposal)
    session.flush()
    return proposal.id


def _side(role: str) -> str:
    # Facilitators act for either side and must say which; a focal point decides for the country.
    return "country" if role.startswith("focal") else "donor"


def _decision(session: Session, world: World, role: str) -> Request:
    decision = {"decision": "accept", "side": _side(role)}
    return f"/proposals/{_proposal(session, world, role)}/decision", {"data": decision}


def _decision_api(session: Session, world: World, role: str) -> Request:
    decision = {"decision": "accept", "side": _side(role)}
    return f"/api/v1/proposals/{_proposal(session, world, role)}/decision", {"json": decision}


def _dialogue_event(session: Session, world: World) -> Any:
    """A public Kenyan workshop with a travel budget, run by the world's facilitator."""
    return dialogues.create_event(
        session,
        actor=world.actors["facilitator"],
        data=EventCreate(
            kind="regional_workshop",
            title="Workshop on radiotherapy treatment planning",
            host_country_iso3="KEN",
            city="Nairobi",
            starts_at=datetime(2099, 5, 4, 9),
            ends_at=datetime(2099, 5, 6, 17),
            time_zone="Africa/Nairobi",
            focus_country_codes=["KEN"],
            travel_budget=Decimal("3000"),
        ),
    )


def _dialogue_participant(session: Session, world: World, **person: Any) -> Any:
    event = _dialogue_event(session, world)
    return dialogues.add_participant(
        session, actor=world.actors["facilitator"], event_id=event.id, data=ParticipantFields(**person)
    )


def _event_json(**extra: Any) -> dict[str, Any]:
    return event_json(travel_budget="3000", **extra)


def _event_edit(session: Session, world: World, role: str) -> Request:
    event = _dialogue_event(session, world)
    return f"/api/v1/events/{event.id}", {
        "json": _event_json(title="Workshop (edited)", version=event.version)
    }


def _nomination(session: Session, world: World, role: str) -> Request:
    event = _dialogue_event(session, world)
    person = {"full_name": "Otieno Kamau", "email": f"otieno.{role}@test.pux.invalid", "country_iso3": "KEN"}
    return f"/api/v1/events/{event.id}/participants", {"json": person}


def _endorsement(session: Session, world: World, role: str) -> Request:
    person = _dialogue_participant(
        session, world, full_name="Otieno Kamau", email="otieno@test.pux.invalid", country_iso3="KEN"
    )
    return f"/api/v1/participants/{person.id}/moves", {
        "json": {"target": "endorsed", "version": person.version}
    }


def _travel_application(session: Session, world: World, role: str) -> Request:
    person = _dialogue_participant(session, world, user_id=world.user_ids["expert"], country_iso3="KEN")
    application = {"fare": "900", "daily_allowance": "150", "nights": 3, "reason": "Flight from Mombasa."}
    return f"/api/v1/participants/{person.id}/travel-application", {"json": application}


def _allocation(session: Session, world: World, role: str) -> Request:
    return f"/api/v1/events/{_dialogue_event(session, world).id}/travel/allocate", {"json": {}}


def _outcome(session: Session, world: World, role: str) -> Request:
    summary = "Participants agreed on a regional dosimetry audit network."
    return f"/api/v1/events/{_dialogue_event(session, world).id}/outcome", {"json": {"summary": summary}}


def _action(session: Session, world: World, role: str) -> Request:
    owner = {"title": "Draft the audit network's terms", "owner_user_id": world.user_ids["expert"]}
    return f"/api/v1/events/{_dialogue_event(session, world).id}/actions", {"json": owner}


def _action_progress(session: Session, world: World, role: str) -> Request:
    event = _dialogue_event(session, world)
    action = dialogues.create_action(
        session,
        actor=world.actors["facilitator"],
        event_id=event.id,
        data=ActionFields(title="Draft the audit network's terms", owner_user_id=world.user_ids["expert"]),
    )
    progress = {"status": "in_progress", "note": "First draft shared.", "version": action.version}
    return f"/api/v1/actions/{action.id}/progress", {"json": progress}


# --- The dialogue's pages (forms) ------------------------------------------------------------------

EVENT_FORM = {
    "kind": "regional_workshop",
    "title": "Workshop on radiotherapy treatment planning",
    "host_country_iso3": "KEN",
    "city": "Nairobi",
    "starts_at": "2099-05-04T09:00",
    "ends_at": "2099-05-06T17:00",
    "time_zone": "Africa/Nairobi",
    "is_public": "on",
}


def _event_page_edit(session: Session, world: World, role: str) -> Request:
    event = _dialogue_event(session, world)
    return f"/events/{event.id}/edit", {
        "data": {**EVENT_FORM, "title": "Workshop (edited)", "version": event.version}
    }


def _agenda_item(session: Session, world: World, role: str) -> Request:
    item = {"starts_at": "2099-05-04T09:00", "ends_at": "2099-05-04T10:00", "title": "Opening"}
    return f"/events/{_dialogue_event(session, world).id}/sessions", {"data": item}


def _agenda_removal(session: Session, world: World, role: str) -> Request:
    from pux.dialogues.schemas import SessionFields

    event = _dialogue_event(session, world)
    item = dialogues.add_session(
        session,
        actor=world.actors["facilitator"],
        event_id=event.id,
        data=SessionFields(
            starts_at=datetime(2099, 5, 4, 9), ends_at=datetime(2099, 5, 4, 10), title="Opening"
        ),
    )
    return f"/events/{event.id}/sessions/{item.id}/delete", {"data": {}}


def _target(session: Session, world: World, role: str) -> Request:
    target = {"dimension": "gender", "category": "female", "bound": "at_least", "share_percent": "40"}
    return f"/events/{_dialogue_event(session, world).id}/targets", {"data": target}


def _target_removal(session: Session, world: World, role: str) -> Request:
    from pux.dialogues.schemas import TargetFields

    event = _dialogue_event(session, world)
    row = dialogues.add_target(
        session,
        actor=world.actors["facilitator"],
        event_id=event.id,
        data=TargetFields(dimension="gender", category="female", bound="at_least", share_percent=Decimal(40)),
    )
    return f"/events/{event.id}/targets/{row.id}/delete", {"data": {}}


def _nomination_form(session: Session, world: World, role: str) -> Request:
    path, kwargs = _nomination(session, world, role)
    return path.removeprefix("/api/v1"), {"data": kwargs["json"]}


def _endorsement_form(session: Session, world: World, role: str) -> Request:
    path, kwargs = _endorsement(session, world, role)
    return path.removeprefix("/api/v1"), {"data": kwargs["json"]}


def _travel_form(session: Session, world: World, role: str) -> Request:
    path, kwargs = _travel_application(session, world, role)
    return path.removeprefix("/api/v1").replace("travel-application", "travel"), {"data": kwargs["json"]}


def _application(session: Session, world: World) -> Any:
    from pux.dialogues.schemas import TravelApplicationFields

    person = _dialogue_participant(
        session, world, full_name="Amina Njeri", email="amina@test.pux.invalid", country_iso3="KEN"
    )
    return dialogues.apply_for_travel(
        session,
        actor=world.actors["facilitator"],
        participant_id=person.id,
        data=TravelApplicationFields(
            fare=Decimal(900), daily_allowance=Decimal(150), nights=3, reason="Flight from Mombasa."
        ),
    )


def _override(session: Session, world: World, role: str) -> Request:
    application = _application(session, world)
    decision = {"amount": "800", "reason": "The hospital pays the rest.", "version": "0"}
    return f"/travel/applications/{application.id}/override", {"data": decision}


def _disbursement(session: Session, world: World, role: str) -> Request:
    from pux.dialogues.schemas import GrantOverride

    application = _application(session, world)
    grant = dialogues.override_grant(
        session,
        actor=world.actors["facilitator"],
        application_id=application.id,
        data=GrantOverride(amount=Decimal(800), reason="The hospital pays the rest.", version=0),
    )
    return f"/travel/grants/{grant.id}/disbursements", {"data": {"amount": "800", "paid_on": "2099-05-01"}}


def _allocation_form(session: Session, world: World, role: str) -> Request:
    return f"/events/{_dialogue_event(session, world).id}/travel/allocate", {"data": {}}


def _outcome_form(session: Session, world: World, role: str) -> Request:
    path, kwargs = _outcome(session, world, role)
    return path.removeprefix("/api/v1"), {"data": {**kwargs["json"], "version": "0"}}


def _recommendation(session: Session, world: World) -> Any:
    from pux.dialogues.schemas import RecommendationFields

    event = _dialogue_event(session, world)
    return dialogues.add_recommendation(
        session,
        actor=world.actors["facilitator"],
        event_id=event.id,
        data=RecommendationFields(text="Kenya should plan a dosimetry audit network.", country_iso3="KEN"),
    )


def _recommendation_form(session: Session, world: World, role: str) -> Request:
    text = {"text": "Kenya should plan a dosimetry audit network.", "country_iso3": "KEN"}
    return f"/events/{_dialogue_event(session, world).id}/recommendations", {"data": text}


def _concept_note_form(session: Session, world: World, role: str) -> Request:
    note = {"country_iso3": "KEN", "title": "Dosimetry audit network", "thematic_area_code": "health"}
    return f"/recommendations/{_recommendation(session, world).id}/concept-notes", {"data": note}


CONCEPT = {
    "title": "Dosimetry audit network",
    "thematic_area_code": "health",
    "problem": "No independent dose audits",
    "objective": "Audit every radiotherapy centre yearly",
    "outputs": "An audit service",
    "activities": "Train auditors; buy dosimeters",
}


def _concept_note(session: Session, world: World) -> Any:
    from pux.dialogues.schemas import ConceptNoteCreate

    return dialogues.create_concept_note(
        session,
        actor=world.actors["facilitator"],
        recommendation_id=_recommendation(session, world).id,
        data=ConceptNoteCreate(country_iso3="KEN", **CONCEPT),
    )


def _concept_note_edit(session: Session, world: World, role: str) -> Request:
    note = _concept_note(session, world)
    return f"/concept-notes/{note.id}", {
        "data": {**CONCEPT, "assumptions": "Stable power", "version": note.version}
    }


def _conversion(session: Session, world: World, role: str) -> Request:
    note = _concept_note(session, world)
    return f"/concept-notes/{note.id}/convert", {"data": {"version": note.version}}


def _api(form: Callable[[Session, World, str], Request]) -> Callable[[Session, World, str], Request]:
    """The JSON route of a concept-note form: the same body under /api/v1 (converting is "conversion")."""

    def request(session: Session, world: World, role: str) -> Request:
        path, kwargs = form(session, world, role)
        return "/api/v1" + path.replace("/convert", "/conversion"), {"json": kwargs["data"]}

    return request


def _action_form(session: Session, world: World, role: str) -> Request:
    path, kwargs = _action(session, world, role)
    return path.removeprefix("/api/v1"), {"data": kwargs["json"]}


def _action_progress_form(session: Session, world: World, role: str) -> Request:
    path, kwargs = _action_progress(session, world, role)
    return path.removeprefix("/api/v1"), {"data": kwargs["json"]}


# --- Knowledge: technique pages, evidence, stories, myths, translations --------------------------------
# The world has no knowledge editor or reviewer (tests/knowledge covers them); here: facilitators and
# administrators may, everyone else is refused. Entries are written by the system (no author), so a
# facilitator's check is a second person's.

EVIDENCE_VALUES: dict[str, Any] = {
    "technique_code": "sterile_insect",
    "claim": "Benefit-cost ratio of a fruit-fly programme",
    "value": 5,
    "unit": "benefit-cost ratio",
    "citation_title": "A cited report",
    "citation_year": 2020,
    "citation_url": "https://example.org/report",
}


def _evidence(session: Session) -> Any:
    from pux.accounts.permissions import Actor
    from pux.knowledge import service as knowledge
    from pux.knowledge.schemas import EvidenceCreate

    return knowledge.create_evidence(
        session, actor=Actor.system("test"), data=EvidenceCreate.model_validate(EVIDENCE_VALUES)
    )


def _evidence_edit(session: Session, world: World, role: str) -> Request:
    entry = _evidence(session)
    return f"/evidence/{entry.id}/edit", {
        "data": {**EVIDENCE_VALUES, "value": "6", "version": str(entry.version)}
    }


def _evidence_check(session: Session, world: World, role: str) -> Request:
    entry = _evidence(session)
    return f"/evidence/{entry.id}/check", {"data": {"version": str(entry.version)}}


def _evidence_dispute(session: Session, world: World, role: str) -> Request:
    entry = _evidence(session)
    reason = {"version": str(entry.version), "reason": "The source gives another figure."}
    return f"/evidence/{entry.id}/dispute", {"data": reason}


def _evidence_edit_api(session: Session, world: World, role: str) -> Request:
    entry = _evidence(session)
    return f"/api/v1/evidence/{entry.id}", {"json": {**EVIDENCE_VALUES, "value": 6, "version": entry.version}}


def _evidence_check_api(session: Session, world: World, role: str) -> Request:
    entry = _evidence(session)
    return f"/api/v1/evidence/{entry.id}/check", {"json": {"version": entry.version}}


def _evidence_dispute_api(session: Session, world: World, role: str) -> Request:
    entry = _evidence(session)
    reason = {"version": entry.version, "reason": "The source gives another figure."}
    return f"/api/v1/evidence/{entry.id}/dispute", {"json": reason}


def _technique_edit(session: Session, world: World, role: str) -> Request:
    from pux.knowledge.models import TechniqueProfile

    profile = TechniqueProfile(technique_code="sterile_insect", slug="sterile-insect-technique", summary="S")
    session.add(profile)
    session.flush()
    return "/techniques/sterile-insect-technique/edit", {
        "data": {
            "summary": "Sterile males released.",
            "sdg_target_codes": "2.3",
            "version": str(profile.version),
        }
    }


def _translation(session: Session, world: World, role: str) -> Request:
    entry = _evidence(session)
    data = {"field": "claim", "language": "fr", "text": "Rapport bénéfice-coût"}
    return f"/knowledge/evidence/{entry.id}/translations", {"data": data}


def _translation_review(session: Session, world: World, role: str) -> Request:
    from pux.accounts.permissions import Actor
    from pux.knowledge import service as knowledge
    from pux.knowledge.schemas import TranslationFields

    entry = _evidence(session)
    # Written by the system (as the seed's are): the one who writes a translation never reviews it.
    translation = knowledge.save_translation(
        session, actor=Actor.system("test"), entity_type="evidence", entity_id=entry.id,
        data=TranslationFields(field="claim", language="fr", text="Rapport bénéfice-coût"),
    )  # fmt: skip
    return f"/knowledge/translations/{translation.id}/review", {"data": {"version": str(translation.version)}}


STORY_FORM = {"title": "Radiotherapy reaches the west", "body": "A story.", "status": "draft"}
MYTH_FORM = {
    "claim": "Irradiated food is radioactive",
    "finding": "It is not: the dose does not make food radioactive.",
    "sources_text": "Food irradiation | WHO | 1999 | https://example.org/who",
}


def _story_edit(session: Session, world: World, role: str) -> Request:
    from pux.knowledge import service as knowledge
    from pux.knowledge.schemas import StoryCreate

    story = knowledge.create_story(session, actor=world.actors["admin"], data=StoryCreate(**STORY_FORM))
    return f"/stories/{story.slug}/edit", {"data": {**STORY_FORM, "version": str(story.version)}}


def _story_review_api(session: Session, world: World, role: str) -> Request:
    from pux.accounts.permissions import Actor
    from pux.knowledge import service as knowledge
    from pux.knowledge.schemas import StoryCreate

    story = knowledge.create_story(session, actor=Actor.system("test"), data=StoryCreate(**STORY_FORM))
    return f"/api/v1/stories/{story.slug}/review", {"json": {"version": story.version}}


def _myth_review_api(session: Session, world: World, role: str) -> Request:
    from pux.accounts.permissions import Actor
    from pux.knowledge import service as knowledge
    from pux.knowledge.schemas import MythCreate, sources_from_lines

    values = {**MYTH_FORM, "sources": sources_from_lines(MYTH_FORM["sources_text"])}
    myth = knowledge.create_myth(session, actor=Actor.system("test"), data=MythCreate.model_validate(values))
    return f"/api/v1/myths/{myth.slug}/review", {"json": {"version": myth.version}}


def _story_review_page(session: Session, world: World, role: str) -> Request:
    path, body = _story_review_api(session, world, role)
    return path.removeprefix("/api/v1"), {"data": {"version": str(body["json"]["version"])}}


def _myth_review_page(session: Session, world: World, role: str) -> Request:
    path, body = _myth_review_api(session, world, role)
    return path.removeprefix("/api/v1"), {"data": {"version": str(body["json"]["version"])}}


def _myth_edit(session: Session, world: World, role: str) -> Request:
    from pux.knowledge import service as knowledge
    from pux.knowledge.schemas import MythCreate, sources_from_lines

    values = {**MYTH_FORM, "sources": sources_from_lines(MYTH_FORM["sources_text"])}
    myth = knowledge.create_myth(session, actor=world.actors["admin"], data=MythCreate.model_validate(values))
    return f"/myths/{myth.slug}/edit", {"data": {**MYTH_FORM, "version": str(myth.version)}}


ROUND_FORM = {"title": "Test round", "country_cap_percent": "50"}
PROPOSAL_DECIDERS = GLOBAL | {"partner_a", "focal_ken"}


def _interest_mark(session: Session, world: World, role: str) -> Request:
    """Donor A's interest in Kenya's published need (facilitators may mark it on the donor's behalf)."""
    return f"/needs/{world.needs['published_ken']}/interest", {
        "data": {"organisation_id": str(world.organisations["donor_a"]), "note": "Matrix"}
    }


def _interest_mark_api(session: Session, world: World, role: str) -> Request:
    path, _kwargs = _interest_mark(session, world, role)
    return f"/api/v1{path}", {"json": {"organisation_id": world.organisations["donor_a"], "note": "Matrix"}}


def _existing_interest(session: Session, world: World, action: str) -> Request:
    interest = gaps.mark_interest(
        session, actor=world.actors["partner_a"], need_id=world.needs["published_ken"], data=InterestCreate()
    )
    return f"/interests/{interest.id}/{action}", {"data": {}}


def _iati_file() -> bytes:
    """A small valid IATI 2.03 file (two activities about PUX's techniques), written by the generator."""
    import io

    from pux.interop.iati.synthetic import activities
    from pux.interop.iati.writer import write_activities

    buffer = io.BytesIO()
    write_activities(buffer, activities(2, relevant_share=1.0), generated_at=datetime(2025, 6, 2, 8, 0))
    return buffer.getvalue()


def _iati_upload(session: Session, world: World, role: str) -> Request:
    upload = ("activities.xml", _iati_file(), "application/xml")
    return "/activities/import/iati", {"files": {"file": upload}, "data": {"everything": "true"}}


def _iati_upload_api(session: Session, world: World, role: str) -> Request:
    _path, request = _iati_upload(session, world, role)
    return "/api/v1/activities/import/iati", request


def _organisation_to_confirm(session: Session, world: World, role: str) -> Request:
    from pux.accounts.models import Organisation
    from pux.assistance.models import IatiOrganisationToConfirm

    organisation = Organisation(name=f"Imported publisher ({role})", organisation_type="donor_agency")
    session.add(organisation)
    session.flush()
    session.add(IatiOrganisationToConfirm(organisation_id=organisation.id, iati_ref=f"XM-TEST-{role}"))
    session.flush()
    return f"/activities/import/iati/organisations/{organisation.id}/confirm", {"data": {}}


# --- Self-service: a person's own password, registration and travel application ------------------------
# Each signed-in role acts on its OWN record (as with `_own_token`); the public, having none, is sent the
# expert's. The "another's" rules give each role the expert's record, so a role refused there cannot
# reach someone else's application by its number.

NEW_PASSWORD = "a new password, long enough"


def _owner(world: World, role: str) -> int:
    return world.user_ids[role if role != "public" else "expert"]


def _password_change(session: Session, world: World, role: str) -> Request:
    typed = {"current_password": PASSWORD, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    return "/account/password", {"data": typed}


def _reset_link(session: Session, world: World, role: str) -> Request:
    return f"/people/{world.user_ids['expert']}/password-reset", {"data": {}}


def _account(world: World, change: str) -> Request:
    return f"/people/{world.user_ids['expert']}/{change}", {"data": {}}


def _password_reset(session: Session, world: World, role: str) -> Request:
    """A reset link the administrator made for the role's own account: whoever holds it may use it."""
    from pux.config import Settings

    # The app's secret: the test app's settings leave the key to the same defaults as these.
    secret = Settings(database_url=str(session.get_bind().engine.url)).session_secret()
    _person, token = accounts.make_password_reset(
        session, actor=world.actors["admin"], user_id=_owner(world, role), secret=secret
    )
    return f"/password-reset/{token}", {"data": {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}}


def _registration_api(session: Session, world: World, role: str) -> Request:
    return f"/api/v1/events/{_dialogue_event(session, world).id}/registration", {"json": {}}


def _registration_form(session: Session, world: World, role: str) -> Request:
    return f"/events/{_dialogue_event(session, world).id}/register", {"data": {}}


def _application_for_participant(session: Session, world: World, role: str) -> Request:
    """A facilitator applies for someone on the list who has no account."""
    person = _dialogue_participant(
        session, world, full_name="Amina Njeri", email="amina@test.pux.invalid", country_iso3="KEN"
    )
    application = {"participant_id": str(person.id), **TRAVEL_FORM}
    return f"/events/{person.event_id}/travel/applications", {"data": application}


TRAVEL_FORM = {"fare": "900", "daily_allowance": "150", "nights": "3", "reason": "Flight from Mombasa."}


def _application_of(session: Session, world: World, user_id: int) -> Any:
    from pux.dialogues.schemas import TravelApplicationFields

    person = _dialogue_participant(session, world, user_id=user_id, country_iso3="KEN")
    return dialogues.apply_for_travel(
        session,
        actor=world.actors["facilitator"],
        participant_id=person.id,
        data=TravelApplicationFields(
            fare=Decimal(900), daily_allowance=Decimal(150), nights=3, reason="Flight from Mombasa."
        ),
    )


def _application_change(application: Any) -> Request:
    changed = {**TRAVEL_FORM, "fare": "850", "version": str(application.version)}
    return f"/travel/applications/{application.id}", {"data": changed}


def _application_withdrawal(application: Any) -> Request:
    return f"/travel/applications/{application.id}/withdraw", {"data": {"version": str(application.version)}}


def _own_application_change(session: Session, world: World, role: str) -> Request:
    return _application_change(_application_of(session, world, _owner(world, role)))


def _others_application_change(session: Session, world: World, role: str) -> Request:
    return _application_change(_application_of(session, world, world.user_ids["expert"]))


def _own_application_withdrawal(session: Session, world: World, role: str) -> Request:
    return _application_withdrawal(_application_of(session, world, _owner(world, role)))


def _others_application_withdrawal(session: Session, world: World, role: str) -> Request:
    return _application_withdrawal(_application_of(session, world, world.user_ids["expert"]))


RULES = (
    Rule(
        "POST",
        "/sdg/suggest-form",
        EVERYONE,
        lambda s, w, r: (
            "/sdg/suggest-form",
            {
                "data": {
                    "title": "Radiotherapy for cervical cancer",
                    "description": "",
                    "sdg_target_codes": "3.4",
                }
            },
        ),
    ),
    Rule(
        "POST",
        "/api/v1/sdg/suggest",
        EVERYONE,
        lambda s, w, r: (
            "/api/v1/sdg/suggest",
            {"json": {"text": "Radiotherapy for cervical cancer patients."}},
        ),
        True,
    ),
    Rule(
        "POST",
        "/priority/config",
        GLOBAL,
        lambda s, w, r: (
            "/priority/config",
            {
                "data": {
                    "configuration": json.dumps(default_config_data()),
                    "revision": str(config_revision(s)),
                }
            },
        ),
    ),
    Rule(
        "PUT",
        "/api/v1/priority/config",
        GLOBAL,
        lambda s, w, r: (
            "/api/v1/priority/config",
            {"json": {**default_config_data(), "revision": config_revision(s)}},
        ),
        True,
    ),
    Rule("POST", "/matching/rounds", GLOBAL, lambda s, w, r: ("/matching/rounds", {"data": ROUND_FORM})),
    Rule("POST", "/jobs", GLOBAL, lambda s, w, r: ("/jobs", {"data": {"kind": "briefs.countries"}})),
    Rule("POST", "/jobs/{job_id}/retry", GLOBAL, _failed_job),
    Rule(
        "POST",
        "/api/v1/matching/rounds",
        GLOBAL,
        lambda s, w, r: (
            "/api/v1/matching/rounds",
            {"json": {"title": "Test round", "country_cap_share": 0.5}},
        ),
        True,
    ),
    Rule(
        "POST",
        "/api/v1/matching/round-jobs",
        GLOBAL,
        lambda s, w, r: (
            "/api/v1/matching/round-jobs",
            {"json": {"title": "Queued round", "country_cap_share": 0.5}},
        ),
        True,
    ),
    Rule("POST", "/proposals/{proposal_id}/decision", PROPOSAL_DECIDERS, _decision),
    Rule("POST", "/api/v1/proposals/{proposal_id}/decision", PROPOSAL_DECIDERS, _decision_api, True),
    Rule(
        "POST",
        "/sign-in",
        EVERYONE,
        lambda s, w, r: (
            "/sign-in",
            {"data": {"email": w.emails["admin"], "password": "correct horse battery staple", "next": "/"}},
        ),
    ),
    Rule("POST", "/sign-out", EVERYONE, lambda s, w, r: ("/sign-out", {"data": {}})),
    Rule("POST", "/invitations/{token}", EVERYONE, _invitation),
    Rule("POST", "/account/tokens", SIGNED_IN, lambda s, w, r: ("/account/tokens", {"data": {"name": "ci"}})),
    Rule("POST", "/account/tokens/{token_id}/revoke", SIGNED_IN, _own_token),
    Rule(
        "POST",
        "/people/invitations",
        KENYA_FOCAL,
        lambda s, w, r: (
            "/people/invitations",
            {"data": {"email": f"new.{r}@test.pux.invalid", "role": "counterpart", "country_iso3": "KEN"}},
        ),
    ),
    Rule(
        "POST",
        "/people/{user_id}/roles",
        ADMIN_ONLY,
        lambda s, w, r: (
            f"/people/{w.user_ids['expert']}/roles",
            {"data": {"role": "focal_point", "country_iso3": "UGA"}},
        ),
    ),
    Rule("POST", "/roles/{role_id}/revoke", ADMIN_ONLY, _expert_role),
    Rule(
        "POST",
        "/organisations",
        GLOBAL,
        lambda s, w, r: (
            "/organisations",
            {"data": {"name": f"New organisation {r}", "organisation_type": "ngo"}},
        ),
    ),
    Rule(
        "POST",
        "/needs",
        KENYA_DRAFTERS,
        lambda s, w, r: (
            "/needs",
            {
                "data": {
                    "country_iso3": "KEN",
                    "title": "Dosimetry laboratory for Kenya",
                    "thematic_area_code": "safety",
                    "currency": "USD",
                    "visibility": "public",
                }
            },
        ),
    ),
    Rule(
        "POST",
        "/needs/{need_id}/edit",
        KENYA_DRAFTERS,
        lambda s, w, r: (f"/needs/{w.needs['draft_ken']}/edit", {"data": _need_form(s, w, "draft_ken")}),
    ),
    Rule(
        "POST",
        "/needs/{need_id}/transitions",
        KENYA_FOCAL,
        lambda s, w, r: (
            f"/needs/{w.needs['submitted_ken']}/transitions",
            {
                "data": {
                    "target": "endorsed",
                    "version": str(
                        needs.get_need(s, actor=w.actors["admin"], need_id=w.needs["submitted_ken"]).version
                    ),
                }
            },
        ),
    ),
    Rule(
        "POST",
        "/countries/{iso3}/ranking",
        KENYA_FOCAL,
        lambda s, w, r: ("/countries/KEN/ranking", {"data": {f"rank-{w.needs['published_ken']}": "1"}}),
    ),
    Rule(
        "POST",
        "/programmes",
        DONOR_A,
        lambda s, w, r: ("/programmes", {"data": _programme_values(s, w, False)}),
    ),
    Rule(
        "POST",
        "/programmes/{programme_id}/edit",
        DONOR_A,
        lambda s, w, r: (
            f"/programmes/{w.programmes['draft_a']}/edit",
            {"data": _programme_values(s, w, True)},
        ),
    ),
    Rule(
        "POST",
        "/programmes/{programme_id}/status",
        DONOR_A,
        lambda s, w, r: (
            f"/programmes/{w.programmes['draft_a']}/status",
            {"data": {"target": "published", "version": str(_programme_values(s, w, True)["version"])}},
        ),
    ),
    Rule(
        "POST",
        "/activities",
        DONOR_A,
        lambda s, w, r: ("/activities", {"data": _activity_values(s, w, False)}),
    ),
    Rule(
        "POST",
        "/activities/{activity_id}/edit",
        DONOR_A,
        lambda s, w, r: (
            f"/activities/{w.activities['public_a']}/edit",
            {"data": _activity_values(s, w, True)},
        ),
    ),
    Rule(
        "POST",
        "/{entity}/import",
        KENYA_DRAFTERS,
        lambda s, w, r: ("/needs/import", {"files": {"file": ("needs.csv", NEED_CSV.encode(), "text/csv")}}),
    ),
    Rule(
        "POST",
        "/api/v1/needs",
        KENYA_DRAFTERS,
        lambda s, w, r: (
            "/api/v1/needs",
            {
                "json": {
                    "country_iso3": "KEN",
                    "title": "Dosimetry laboratory for Kenya",
                    "thematic_area_code": "safety",
                }
            },
        ),
        True,
    ),
    Rule(
        "PUT",
        "/api/v1/needs/{need_id}",
        KENYA_DRAFTERS,
        lambda s, w, r: (f"/api/v1/needs/{w.needs['draft_ken']}", {"json": _need_json(s, w, "draft_ken")}),
        True,
    ),
    Rule(
        "POST",
        "/api/v1/needs/{need_id}/transitions",
        KENYA_FOCAL,
        lambda s, w, r: (
            f"/api/v1/needs/{w.needs['submitted_ken']}/transitions",
            {
                "json": {
                    "target": "endorsed",
                    "version": needs.get_need(
                        s, actor=w.actors["admin"], need_id=w.needs["submitted_ken"]
                    ).version,
                }
            },
        ),
        True,
    ),
    Rule(
        "PUT",
        "/api/v1/countries/{iso3}/needs/ranking",
        KENYA_FOCAL,
        lambda s, w, r: (
            "/api/v1/countries/KEN/needs/ranking",
            {"json": {"need_ids": [w.needs["published_ken"]]}},
        ),
        True,
    ),
    Rule(
        "POST",
        "/api/v1/programmes",
        DONOR_A,
        lambda s, w, r: ("/api/v1/programmes", {"json": _programme_values(s, w, False)}),
        True,
    ),
    Rule(
        "PUT",
        "/api/v1/programmes/{programme_id}",
        DONOR_A,
        lambda s, w, r: (
            f"/api/v1/programmes/{w.programmes['draft_a']}",
            {"json": _programme_values(s, w, True)},
        ),
        True,
    ),
    Rule(
        "POST",
        "/api/v1/programmes/{programme_id}/status",
        DONOR_A,
        lambda s, w, r: (
            f"/api/v1/programmes/{w.programmes['draft_a']}/status",
            {"json": {"target": "published", "version": _programme_values(s, w, True)["version"]}},
        ),
        True,
    ),
    Rule(
        "POST",
        "/api/v1/activities",
        DONOR_A,
        lambda s, w, r: ("/api/v1/activities", {"json": _activity_values(s, w, False)}),
        True,
    ),
    Rule(
        "PUT",
        "/api/v1/activities/{activity_id}",
        DONOR_A,
        lambda s, w, r: (
            f"/api/v1/activities/{w.activities['public_a']}",
            {"json": _activity_values(s, w, True)},
        ),
        True,
    ),
    Rule(
        "POST",
        "/api/v1/{entity}/import",
        KENYA_DRAFTERS,
        lambda s, w, r: (
            "/api/v1/needs/import",
            {"files": {"file": ("needs.csv", NEED_CSV.encode(), "text/csv")}},
        ),
        True,
    ),
    Rule("POST", "/api/v1/events", GLOBAL, lambda s, w, r: ("/api/v1/events", {"json": _event_json()}), True),
    Rule("PUT", "/api/v1/events/{event_id}", GLOBAL, _event_edit, True),
    Rule("POST", "/api/v1/events/{event_id}/participants", KENYA_FOCAL, _nomination, True),
    Rule("POST", "/api/v1/participants/{participant_id}/moves", KENYA_FOCAL, _endorsement, True),
    Rule(
        "POST",
        "/api/v1/participants/{participant_id}/travel-application",
        GLOBAL | {"expert"},
        _travel_application,
        True,
    ),
    Rule("POST", "/api/v1/events/{event_id}/travel/allocate", GLOBAL, _allocation, True),
    Rule("PUT", "/api/v1/events/{event_id}/outcome", GLOBAL, _outcome, True),
    Rule("POST", "/api/v1/events/{event_id}/actions", GLOBAL, _action, True),
    Rule("POST", "/api/v1/actions/{action_id}/progress", GLOBAL | {"expert"}, _action_progress, True),
    Rule("POST", "/evidence", GLOBAL | {"expert"}, lambda s, w, r: ("/evidence", {"data": EVIDENCE_VALUES})),
    Rule("POST", "/evidence/{entry_id}/edit", GLOBAL, _evidence_edit),
    Rule("POST", "/evidence/{entry_id}/check", GLOBAL, _evidence_check),
    Rule("POST", "/evidence/{entry_id}/dispute", GLOBAL, _evidence_dispute),
    Rule("POST", "/techniques/{slug}/edit", GLOBAL, _technique_edit),
    Rule("POST", "/knowledge/{entity_type}/{entity_id}/translations", GLOBAL, _translation),
    Rule("POST", "/knowledge/translations/{translation_id}/review", GLOBAL, _translation_review),
    Rule("POST", "/stories", GLOBAL | {"expert"}, lambda s, w, r: ("/stories", {"data": STORY_FORM})),
    Rule("POST", "/stories/{slug}/edit", GLOBAL, _story_edit),
    Rule("POST", "/myths", GLOBAL, lambda s, w, r: ("/myths", {"data": MYTH_FORM})),
    Rule("POST", "/myths/{slug}/edit", GLOBAL, _myth_edit),
    Rule(
        "POST",
        "/api/v1/evidence",
        GLOBAL | {"expert"},
        lambda s, w, r: ("/api/v1/evidence", {"json": EVIDENCE_VALUES}),
        True,
    ),
    Rule("POST", "/api/v1/stories/{slug}/review", GLOBAL, _story_review_api, True),
    Rule("POST", "/api/v1/myths/{slug}/review", GLOBAL, _myth_review_api, True),
    Rule("POST", "/stories/{slug}/review", GLOBAL, _story_review_page),
    Rule("POST", "/myths/{slug}/review", GLOBAL, _myth_review_page),
    Rule("PUT", "/api/v1/evidence/{entry_id}", GLOBAL, _evidence_edit_api, True),
    Rule("POST", "/api/v1/evidence/{entry_id}/check", GLOBAL, _evidence_check_api, True),
    Rule("POST", "/api/v1/evidence/{entry_id}/dispute", GLOBAL, _evidence_dispute_api, True),
    Rule("POST", "/events", GLOBAL, lambda s, w, r: ("/events", {"data": EVENT_FORM})),
    Rule("POST", "/events/{event_id}/edit", GLOBAL, _event_page_edit),
    Rule("POST", "/events/{event_id}/sessions", GLOBAL, _agenda_item),
    Rule("POST", "/events/{event_id}/sessions/{session_id}/delete", GLOBAL, _agenda_removal),
    Rule("POST", "/events/{event_id}/targets", GLOBAL, _target),
    Rule("POST", "/events/{event_id}/targets/{target_id}/delete", GLOBAL, _target_removal),
    Rule("POST", "/events/{event_id}/participants", KENYA_FOCAL, _nomination_form),
    Rule("POST", "/participants/{participant_id}/moves", KENYA_FOCAL, _endorsement_form),
    Rule("POST", "/participants/{participant_id}/travel", GLOBAL | {"expert"}, _travel_form),
    Rule("POST", "/events/{event_id}/travel/allocate", GLOBAL, _allocation_form),
    Rule("POST", "/travel/applications/{application_id}/override", GLOBAL, _override),
    Rule("POST", "/travel/grants/{grant_id}/disbursements", GLOBAL, _disbursement),
    Rule("POST", "/events/{event_id}/outcome", GLOBAL, _outcome_form),
    Rule("POST", "/events/{event_id}/recommendations", GLOBAL, _recommendation_form),
    Rule("POST", "/recommendations/{recommendation_id}/concept-notes", GLOBAL, _concept_note_form),
    Rule("POST", "/concept-notes/{note_id}", KENYA_DRAFTERS, _concept_note_edit),
    Rule("POST", "/concept-notes/{note_id}/convert", KENYA_DRAFTERS, _conversion),
    Rule(
        "POST",
        "/api/v1/recommendations/{recommendation_id}/concept-notes",
        GLOBAL,
        _api(_concept_note_form),
        True,
    ),
    Rule("PUT", "/api/v1/concept-notes/{note_id}", KENYA_DRAFTERS, _api(_concept_note_edit), True),
    Rule("POST", "/api/v1/concept-notes/{note_id}/conversion", KENYA_DRAFTERS, _api(_conversion), True),
    Rule("POST", "/events/{event_id}/actions", GLOBAL, _action_form),
    Rule("POST", "/actions/{action_id}/progress", GLOBAL | {"expert"}, _action_progress_form),
    Rule("POST", "/needs/{need_id}/interest", DONOR_A, _interest_mark),
    Rule("POST", "/api/v1/needs/{need_id}/interest", DONOR_A, _interest_mark_api, True),
    Rule(
        "POST",
        "/interests/{interest_id}/withdraw",
        DONOR_A,
        lambda s, w, r: _existing_interest(s, w, "withdraw"),
    ),
    Rule("POST", "/activities/import/iati", GLOBAL, _iati_upload),
    Rule("POST", "/api/v1/activities/import/iati", GLOBAL, _iati_upload_api, True),
    Rule(
        "POST",
        "/activities/import/iati/organisations/{organisation_id}/confirm",
        GLOBAL,
        _organisation_to_confirm,
    ),
    Rule(
        "POST",
        "/interests/{interest_id}/acknowledge",
        KENYA_FOCAL,
        lambda s, w, r: _existing_interest(s, w, "acknowledge"),
    ),
    Rule("POST", "/account/password", SIGNED_IN, _password_change),
    Rule("POST", "/people/{user_id}/password-reset", ADMIN_ONLY, _reset_link),
    Rule("POST", "/people/{user_id}/deactivate", ADMIN_ONLY, lambda s, w, r: _account(w, "deactivate")),
    Rule("POST", "/people/{user_id}/reactivate", ADMIN_ONLY, lambda s, w, r: _account(w, "reactivate")),
    Rule("POST", "/password-reset/{token}", EVERYONE, _password_reset),
    Rule("POST", "/api/v1/events/{event_id}/registration", SIGNED_IN, _registration_api, True),
    Rule("POST", "/events/{event_id}/register", SIGNED_IN, _registration_form),
    Rule("POST", "/events/{event_id}/travel/applications", GLOBAL, _application_for_participant),
    Rule("POST", "/travel/applications/{application_id}", SIGNED_IN, _own_application_change, whose="own"),
    Rule(
        "POST",
        "/travel/applications/{application_id}",
        GLOBAL | {"expert"},
        _others_application_change,
        whose="the expert's",
    ),
    Rule(
        "POST",
        "/travel/applications/{application_id}/withdraw",
        SIGNED_IN,
        _own_application_withdrawal,
        whose="own",
    ),
    Rule(
        "POST",
        "/travel/applications/{application_id}/withdraw",
        GLOBAL | {"expert"},
        _others_application_withdrawal,
        whose="the expert's",
    ),
)
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _flatten(routes: Any) -> list[APIRoute]:
    """Every API route of the app, looking inside included routers."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found += _flatten(route.original_router.routes)
    return found


def test_every_write_route_has_a_rule(database_url: str) -> None:
    from pux.config import Settings

    app = create_app(Settings(database_url=database_url))
    routes = {
        (method, route.path) for route in _flatten(app.routes) for method in route.methods & WRITE_METHODS
    }
    app.state.engine.dispose()
    covered = {(rule.method, rule.path) for rule in RULES}
    assert routes - covered == set(), "write routes without an authorisation rule"
    assert covered - routes == set(), "rules for routes that no longer exist"


def _denied(response: Any, rule: Rule) -> bool:
    if response.status_code == 303:
        return bool(response.headers["location"].startswith("/sign-in"))
    return response.status_code in ({401, 403, 404, 422} if "import" in rule.path else {401, 403, 404})


def _succeeded(response: Any) -> bool:
    if response.status_code == 303:
        return not response.headers["location"].startswith("/sign-in")
    return response.status_code in {200, 201, 202}  # 202: queued as a job


CASES = [
    pytest.param(
        rule, role, id=f"{rule.method} {rule.path} as {role}" + (f" on {rule.whose}" if rule.whose else "")
    )
    for rule in RULES
    for role in ROLES
]


@pytest.mark.parametrize(("rule", "role"), CASES)
def test_authorisation(client: TestClient, session: Session, world: World, rule: Rule, role: str) -> None:
    path, kwargs = rule.build(session, world, role)
    if rule.api:
        headers = bearer(world.tokens[role]) if role != "public" else {}
        if "json" in kwargs:
            kwargs = {
                "content": json.dumps(kwargs["json"]),
                "headers": {**headers, "Content-Type": "application/json"},
            }
        else:
            kwargs = {**kwargs, "headers": headers}
        response = client.request(rule.method, path, **kwargs)
    else:
        if role != "public":
            sign_in(client, world.emails[role])
        token = csrf_token(client, "/sign-in")
        data = {**kwargs.get("data", {}), "csrf_token": token}
        response = client.request(
            rule.method, path, data=data, files=kwargs.get("files"), follow_redirects=False
        )
    # An accepted upload or round is queued as a job: it runs to its end before the test ends.
    run_queued_jobs(client)
    expected_allowed = role in rule.allowed
    if expected_allowed:
        assert _succeeded(response), f"{role} should be allowed: {response.status_code} {response.text[:300]}"
    else:
        assert _denied(response, rule), (
            f"{role} should be refused: {response.status_code} {response.text[:300]}"
        )


def test_a_form_without_its_csrf_token_is_refused(client: TestClient, world: World) -> None:
    sign_in(client, world.emails["admin"])
    response = client.post(
        "/organisations", data={"name": "No token", "organisation_type": "ngo"}, follow_redirects=False
    )
    assert response.status_code == 403
    listed = client.get("/organisations").text
    assert "No token" not in listed


@pytest.mark.parametrize("token", ["ü", "é" * 40, "\u200b"])
def test_a_forged_token_with_other_than_ascii_letters_is_refused_not_failed(
    client: TestClient, world: World, token: str
) -> None:
    csrf_token(client)  # the sign-in page was opened: the session holds the token the form should carry
    refused = client.post(
        "/sign-in", data={"csrf_token": token, "email": world.emails["admin"], "password": "x"}
    )
    assert refused.status_code == 403 and "This form has expired" in refused.text
    sign_in(client, world.emails["counterpart_ken"])
    response = client.post(
        "/needs", data={"csrf_token": token, "title": "Forged token need"}, follow_redirects=False
    )
    assert response.status_code == 403 and "This form has expired" in response.text
    assert "Forged token need" not in client.get("/needs", params={"q": "Forged"}).text
