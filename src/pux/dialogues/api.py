"""JSON routes of the dialogue (/api/v1/events, participants, travel, outcomes, concept notes, actions).

Every route calls the service, which checks permission and audits; writes need a bearer token. The public
routes (events and outcomes) answer with shapes that hold no participant's personal data.
"""

from __future__ import annotations

from pux.dialogues import service
from pux.dialogues.api_shapes import (
    EventOutcomeRead,
    FundLineRead,
    FundRunRead,
    TravelApplicationRead,
    TravelGrantRead,
    balance_read,
)
from pux.dialogues.schemas import (
    ActionFields,
    ActionProgress,
    ActionRead,
    BalanceRead,
    ConceptNoteCreate,
    ConceptNoteRead,
    ConceptNoteUpdate,
    EventCreate,
    EventRead,
    EventUpdate,
    OutcomeFields,
    OutcomeRead,
    ParticipantFields,
    ParticipantMove,
    ParticipantRead,
    RecommendationRead,
    TravelApplicationFields,
    VersionOnly,
)
from pux.needs.schemas import NeedRead
from pux.web.deps import SessionDep
from pux.web.filters import ActionFilters, ApiPage, EventFilters
from pux.web.forms import RecordPath
from pux.web.listing import ListPage
from pux.web.openapi import ApiBody, error_responses
from pux.web.routing import api_router
from pux.web.security import ApiActor

router = api_router("events")


# --- Events -----------------------------------------------------------------------------------------


@router.get("/events", response_model=ListPage[EventRead], responses=error_responses(401, 422))
def list_events(
    session: SessionDep, actor: ApiActor, filters: EventFilters, page: ApiPage
) -> ListPage[EventRead]:
    """Dialogue events visible to the caller (the public sees public ones), filtered and paged."""
    result = service.list_events(session, actor=actor, filters=filters, page=page)
    return ListPage[EventRead].of(result, EventRead.model_validate)


@router.post("/events", response_model=EventRead, status_code=201)
def create_event(session: SessionDep, actor: ApiActor, data: ApiBody[EventCreate]) -> EventRead:
    """Create a dialogue event (facilitators)."""
    return EventRead.model_validate(service.create_event(session, actor=actor, data=data))


@router.get("/events/{event_id}", response_model=EventRead)
def get_event(session: SessionDep, actor: ApiActor, event_id: RecordPath) -> EventRead:
    """One event, if visible to the caller (no participant's personal data)."""
    return EventRead.model_validate(service.get_event(session, actor=actor, event_id=event_id))


@router.put("/events/{event_id}", response_model=EventRead)
def update_event(
    session: SessionDep, actor: ApiActor, event_id: RecordPath, data: ApiBody[EventUpdate]
) -> EventRead:
    """Edit an event; send the version you read: a stale version gets 409 and changes nothing."""
    return EventRead.model_validate(service.update_event(session, actor=actor, event_id=event_id, data=data))


@router.get("/events/{event_id}/balance", response_model=BalanceRead)
def event_balance(session: SessionDep, actor: ApiActor, event_id: RecordPath) -> BalanceRead:
    """The balance meter: shares of the people expected, per dimension, and each target judged."""
    return balance_read(service.event_balance(session, actor=actor, event_id=event_id))


# --- Participants -------------------------------------------------------------------------------------


@router.get("/events/{event_id}/participants", response_model=list[ParticipantRead])
def list_participants(session: SessionDep, actor: ApiActor, event_id: RecordPath) -> list[ParticipantRead]:
    """The people on the list whose details the caller may see (facilitators all; a focal point their
    country's; a participant themselves)."""
    people = service.participants(session, actor=actor, event_id=event_id)
    return [ParticipantRead.model_validate(person) for person in people]


@router.post("/events/{event_id}/participants", response_model=ParticipantRead, status_code=201)
def add_participant(
    session: SessionDep, actor: ApiActor, event_id: RecordPath, data: ApiBody[ParticipantFields]
) -> ParticipantRead:
    """Put a person on the list: facilitators invite anyone, a focal point nominates their own people."""
    participant = service.add_participant(session, actor=actor, event_id=event_id, data=data)
    return ParticipantRead.model_validate(participant)


@router.post("/events/{event_id}/registration", response_model=ParticipantRead, status_code=201)
def register_self(session: SessionDep, actor: ApiActor, event_id: RecordPath) -> ParticipantRead:
    """Register yourself for an event open for registration (it commits you to nothing: you join the list
    as nominated). Withdraw by moving yourself to declined."""
    participant = service.register_self(session, actor=actor, event_id=event_id)
    return ParticipantRead.model_validate(participant)


@router.post("/participants/{participant_id}/moves", response_model=ParticipantRead)
def move_participant(
    session: SessionDep, actor: ApiActor, participant_id: RecordPath, data: ApiBody[ParticipantMove]
) -> ParticipantRead:
    """Move a participant along the chain (nominate, endorse, confirm, attendance, decline)."""
    participant = service.move_participant(
        session,
        actor=actor,
        participant_id=participant_id,
        target=data.target,
        version=data.version,
        comment=data.comment,
    )
    return ParticipantRead.model_validate(participant)


# --- Travel support -----------------------------------------------------------------------------------


@router.post(
    "/participants/{participant_id}/travel-application", response_model=TravelApplicationRead, status_code=201
)
def apply_for_travel(
    session: SessionDep, actor: ApiActor, participant_id: RecordPath, data: ApiBody[TravelApplicationFields]
) -> TravelApplicationRead:
    """Ask for travel support (the participant themself, or a facilitator for them), once per event."""
    application = service.apply_for_travel(session, actor=actor, participant_id=participant_id, data=data)
    return TravelApplicationRead.model_validate(application)


@router.get("/events/{event_id}/travel", response_model=list[FundLineRead])
def travel_applications(session: SessionDep, actor: ApiActor, event_id: RecordPath) -> list[FundLineRead]:
    """Every travel application of an event with its priority, weight and decision (facilitators)."""
    lines = service.travel_applications(session, actor=actor, event_id=event_id)
    return [
        FundLineRead(
            application=TravelApplicationRead.model_validate(line.application),
            participant_id=line.participant.id,
            full_name=line.participant.full_name,
            country_iso3=line.participant.country_iso3,
            priority_score=line.priority_score,
            recipient=line.recipient,
            weight=line.weight,
            minimum=line.minimum,
            requested=line.requested,
            grant=TravelGrantRead.model_validate(line.grant) if line.grant is not None else None,
        )
        for line in lines
    ]


@router.post("/events/{event_id}/travel/allocate", response_model=FundRunRead, status_code=201)
def allocate_travel_fund(session: SessionDep, actor: ApiActor, event_id: RecordPath) -> FundRunRead:
    """Allocate the travel budget with the optimiser (facilitators); overrides are kept as they are."""
    return FundRunRead.of(service.run_fund(session, actor=actor, event_id=event_id))


# --- Outcomes -----------------------------------------------------------------------------------------


@router.get("/events/{event_id}/outcome", response_model=EventOutcomeRead)
def get_outcome(session: SessionDep, actor: ApiActor, event_id: RecordPath) -> EventOutcomeRead:
    """What an event concluded (null until recorded) and its recommendations; public for public events."""
    event = service.get_event(session, actor=actor, event_id=event_id)
    outcome = service.outcome_of(session, event)
    recommendations = service.recommendations(session, actor=actor, event_id=event.id)
    return EventOutcomeRead(
        event_id=event.id,
        outcome=OutcomeRead.model_validate(outcome) if outcome is not None else None,
        recommendations=[RecommendationRead.model_validate(r) for r in recommendations],
    )


@router.put("/events/{event_id}/outcome", response_model=OutcomeRead)
def save_outcome(
    session: SessionDep, actor: ApiActor, event_id: RecordPath, data: ApiBody[OutcomeFields]
) -> OutcomeRead:
    """Record or edit what an event concluded (facilitators); send version 0 for the first record."""
    return OutcomeRead.model_validate(
        service.save_outcome(session, actor=actor, event_id=event_id, data=data)
    )


# --- Concept notes ----------------------------------------------------------------------------------


@router.get("/concept-notes", response_model=list[ConceptNoteRead], responses=error_responses(401))
def list_concept_notes(session: SessionDep, actor: ApiActor) -> list[ConceptNoteRead]:
    """The concept notes the caller may refine: their countries' (facilitators: all), converted ones
    included (each names the need it became)."""
    notes = service.callers_concept_notes(session, actor=actor)
    return [ConceptNoteRead.model_validate(note) for note in notes]


@router.post(
    "/recommendations/{recommendation_id}/concept-notes", response_model=ConceptNoteRead, status_code=201
)
def create_concept_note(
    session: SessionDep, actor: ApiActor, recommendation_id: RecordPath, data: ApiBody[ConceptNoteCreate]
) -> ConceptNoteRead:
    """Turn a recommendation of an event into a concept note for one country (facilitators)."""
    note = service.create_concept_note(session, actor=actor, recommendation_id=recommendation_id, data=data)
    return ConceptNoteRead.model_validate(note)


@router.get("/concept-notes/{note_id}", response_model=ConceptNoteRead)
def get_concept_note(session: SessionDep, actor: ApiActor, note_id: RecordPath) -> ConceptNoteRead:
    """One concept note, for its country's focal points and counterparts and the facilitators."""
    return ConceptNoteRead.model_validate(service.get_concept_note(session, actor=actor, note_id=note_id))


@router.put("/concept-notes/{note_id}", response_model=ConceptNoteRead)
def update_concept_note(
    session: SessionDep, actor: ApiActor, note_id: RecordPath, data: ApiBody[ConceptNoteUpdate]
) -> ConceptNoteRead:
    """Refine a concept note until it becomes a need; send the version you read (a stale one gets 409).
    It is ``ready`` once its problem, objective, outputs and activities are written."""
    note = service.update_concept_note(session, actor=actor, note_id=note_id, data=data)
    return ConceptNoteRead.model_validate(note)


@router.post("/concept-notes/{note_id}/conversion", response_model=NeedRead, status_code=201)
def convert_concept_note(
    session: SessionDep, actor: ApiActor, note_id: RecordPath, data: ApiBody[VersionOnly]
) -> NeedRead:
    """Turn a complete concept note into a draft need of its country (answered here), which keeps the link
    to the event; the parts still missing are named in a 422."""
    need = service.convert_concept_note(session, actor=actor, note_id=note_id, version=data.version)
    return NeedRead.model_validate(need)


# --- Actions ------------------------------------------------------------------------------------------


@router.get("/actions", response_model=ListPage[ActionRead], responses=error_responses(401, 422))
def list_actions(
    session: SessionDep, actor: ApiActor, filters: ActionFilters, page: ApiPage
) -> ListPage[ActionRead]:
    """Follow-up actions: facilitators see all, others those they or their organisation own."""
    result = service.list_actions(session, actor=actor, filters=filters, page=page)
    return ListPage[ActionRead].of(result, ActionRead.model_validate)


@router.get("/actions/{action_id}", response_model=ActionRead)
def get_action(session: SessionDep, actor: ApiActor, action_id: RecordPath) -> ActionRead:
    """One follow-up action: facilitators read every one, others those they or their organisation own."""
    return ActionRead.model_validate(service.get_listed_action(session, actor=actor, action_id=action_id))


@router.post("/events/{event_id}/actions", response_model=ActionRead, status_code=201)
def create_action(
    session: SessionDep, actor: ApiActor, event_id: RecordPath, data: ApiBody[ActionFields]
) -> ActionRead:
    """Record a follow-up action agreed at an event, with its owner and due date (facilitators)."""
    return ActionRead.model_validate(
        service.create_action(session, actor=actor, event_id=event_id, data=data)
    )


@router.post("/actions/{action_id}/progress", response_model=ActionRead)
def progress_action(
    session: SessionDep, actor: ApiActor, action_id: RecordPath, data: ApiBody[ActionProgress]
) -> ActionRead:
    """Report progress on an action (its owner or a facilitator): a status and a note."""
    action = service.progress_action(session, actor=actor, action_id=action_id, data=data)
    return ActionRead.model_validate(action)
