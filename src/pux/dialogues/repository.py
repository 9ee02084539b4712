"""All queries of the dialogue: events, participants, travel, outcomes, concept notes and actions."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, or_, select, true
from sqlalchemy.orm import Session, lazyload

from pux.accounts.permissions import TakingPart
from pux.db import once_per_transaction
from pux.dialogues.models import (
    ActionItem,
    ConceptNote,
    DialogueEvent,
    EventOutcome,
    FundAllocationRun,
    Participant,
    Recommendation,
    TravelApplication,
    TravelGrant,
)
from pux.dialogues.vocabulary import ACTION_OPEN_STATUSES
from pux.pagination import Page, PageRequest, fetch_page, page_of_rows
from pux.reference.models import fold_for_search


@dataclass(frozen=True)
class EventFilter:
    when: str | None = None  # "upcoming" or "past"
    kind: str | None = None
    thematic_area_code: str | None = None
    country_iso3: str | None = None  # host or focus country
    text: str | None = None


@dataclass(frozen=True)
class EventScope:
    """Which events an actor may see: every one, or the public ones plus those listed."""

    everything: bool = False
    event_ids: frozenset[int] = frozenset()
    focus_countries: frozenset[str] = frozenset()


def _visible(scope: EventScope) -> ColumnElement[bool]:
    if scope.everything:
        return true()
    clauses: list[ColumnElement[bool]] = [DialogueEvent.is_public.is_(True)]
    if scope.event_ids:
        clauses.append(DialogueEvent.id.in_(scope.event_ids))
    return or_(*clauses)


def _filtered(statement, filters: EventFilter, now: datetime):  # type: ignore[no-untyped-def]
    # ``now``, like every "now" of this module, is a naive UTC instant, compared with the events' UTC
    # instants: their local times are hours apart from UTC's clock.
    if filters.when == "upcoming":
        statement = statement.where(DialogueEvent.ends_at_utc >= now)
    elif filters.when == "past":
        statement = statement.where(DialogueEvent.ends_at_utc < now)
    if filters.kind:
        statement = statement.where(DialogueEvent.kind == filters.kind)
    if filters.text:
        words = fold_for_search(filters.text.strip())
        statement = statement.where(DialogueEvent.search_text.contains(words, autoescape=True))
    return statement


def _json_filters(events: Sequence[DialogueEvent], filters: EventFilter) -> list[DialogueEvent]:
    # Areas and focus countries are short JSON lists; filtering them here keeps one query for both
    # databases (SQLite and PostgreSQL spell JSON containment differently).
    kept = list(events)
    if filters.thematic_area_code:
        kept = [e for e in kept if filters.thematic_area_code in e.thematic_area_codes]
    if filters.country_iso3:
        kept = [
            e
            for e in kept
            if e.host_country_iso3 == filters.country_iso3 or filters.country_iso3 in e.focus_country_codes
        ]
    return kept


# For lists that show events by title, dates and place: their agenda and balance targets are read only if
# asked for.
WITHOUT_AGENDAS = (lazyload(DialogueEvent.sessions), lazyload(DialogueEvent.targets))


def list_events(
    session: Session,
    scope: EventScope,
    filters: EventFilter,
    page: PageRequest,
    now: datetime,
    *,
    whole: bool = True,
) -> Page[DialogueEvent]:
    """Events the scope may see, newest first for past ones and soonest first for upcoming ones;
    ``whole=False``: without their agendas and targets read ahead (see WITHOUT_AGENDAS)."""
    starts = DialogueEvent.starts_at_utc
    order = starts.asc() if filters.when == "upcoming" else starts.desc()
    statement = _filtered(select(DialogueEvent).where(_visible(scope)), filters, now).order_by(
        order, DialogueEvent.id
    )
    if not whole:
        statement = statement.options(*WITHOUT_AGENDAS)
    if not (filters.thematic_area_code or filters.country_iso3):
        return fetch_page(session, statement, page)
    # Like fetch_page above, a page past the end shows the last one (it showed an empty page).
    return page_of_rows(_json_filters(session.scalars(statement).unique().all(), filters), page)


def all_events(
    session: Session, scope: EventScope, filters: EventFilter, now: datetime
) -> list[DialogueEvent]:
    statement = _filtered(select(DialogueEvent).where(_visible(scope)), filters, now).order_by(
        DialogueEvent.starts_at_utc.desc(), DialogueEvent.id
    )
    return _json_filters(session.scalars(statement).unique().all(), filters)


# The statistics' periods are calendar days where each event is held: an event belongs to the period that
# holds its local start date (the *_between queries below compare local times with local bounds).


def events_between(
    session: Session, start: datetime, end: datetime, *, public_only: bool
) -> Sequence[DialogueEvent]:
    statement = select(DialogueEvent).where(
        DialogueEvent.starts_at >= start, DialogueEvent.starts_at < end, DialogueEvent.is_cancelled.is_(False)
    )
    if public_only:
        statement = statement.where(DialogueEvent.is_public.is_(True))
    return session.scalars(statement.order_by(DialogueEvent.starts_at_utc)).unique().all()


def get_event(session: Session, event_id: int) -> DialogueEvent | None:
    return session.get(DialogueEvent, event_id)


def event_ids_of_user(session: Session, user_id: int) -> frozenset[int]:
    rows = session.scalars(select(Participant.event_id).where(Participant.user_id == user_id))
    return frozenset(rows)


def event_ids_taken_part_in(
    session: Session, taking_part: TakingPart, *, event_id: int | None = None
) -> frozenset[int]:
    """The events a person takes part in (only ``event_id``, when given), as permissions.TakingPart says:
    those they are on the list of, those whose follow-up actions they or their organisation own, and those
    with people of the countries they nominate for on the list."""
    statements = []
    if taking_part.user_id is not None:
        statements.append(select(Participant.event_id).where(Participant.user_id == taking_part.user_id))
    owners = []
    if taking_part.user_id is not None:
        owners.append(ActionItem.owner_user_id == taking_part.user_id)
    if taking_part.organisation_id is not None:
        owners.append(ActionItem.owner_organisation_id == taking_part.organisation_id)
    if owners:
        statements.append(select(ActionItem.event_id).where(or_(*owners)))
    if taking_part.nominating_countries:
        countries = sorted(taking_part.nominating_countries)
        statements.append(select(Participant.event_id).where(Participant.country_iso3.in_(countries)))
    found: set[int] = set()
    for statement in statements:
        if event_id is not None:
            statement = statement.where(statement.selected_columns[0] == event_id)
        found.update(session.scalars(statement.distinct()))
    return frozenset(found)


def add(session: Session, record: object) -> None:
    session.add(record)
    session.flush()


def delete(session: Session, record: object) -> None:
    session.delete(record)
    session.flush()


# --- Participants -----------------------------------------------------------------------------------


def participants_of(session: Session, event_id: int) -> Sequence[Participant]:
    """An event's list, read once per transaction until its next write (db.once_per_transaction): the
    participants page reads it for the people shown and again for the balance meter, each a join of every
    participant with their event, country, organisation and account (a fifth of the page)."""
    return once_per_transaction(
        session, f"dialogues.participants.{event_id}", lambda: _read_participants(session, event_id)
    )


def _read_participants(session: Session, event_id: int) -> Sequence[Participant]:
    statement = (
        select(Participant)
        .where(Participant.event_id == event_id)
        .order_by(Participant.full_name, Participant.id)
    )
    return session.scalars(statement).unique().all()


def get_participant(session: Session, participant_id: int) -> Participant | None:
    return session.get(Participant, participant_id)


def participant_by_email(session: Session, event_id: int, email: str) -> Participant | None:
    statement = select(Participant).where(
        Participant.event_id == event_id, func.lower(Participant.email) == email.lower()
    )
    return session.scalars(statement).unique().first()


def participant_of_user(session: Session, event_id: int, user_id: int) -> Participant | None:
    statement = select(Participant).where(Participant.event_id == event_id, Participant.user_id == user_id)
    return session.scalars(statement).unique().first()


def participations_of_user(session: Session, user_id: int) -> Sequence[Participant]:
    statement = (
        select(Participant)
        .join(DialogueEvent, DialogueEvent.id == Participant.event_id)
        .where(Participant.user_id == user_id)
        .order_by(DialogueEvent.starts_at_utc.desc())
    )
    return session.scalars(statement).unique().all()


def participants_between(session: Session, start: datetime, end: datetime) -> Sequence[Participant]:
    statement = (
        select(Participant)
        .join(DialogueEvent, DialogueEvent.id == Participant.event_id)
        .where(DialogueEvent.starts_at >= start, DialogueEvent.starts_at < end)
    )
    return session.scalars(statement).unique().all()


# --- Travel -----------------------------------------------------------------------------------------


def applications_of(session: Session, event_id: int) -> Sequence[TravelApplication]:
    statement = (
        select(TravelApplication)
        .join(Participant, Participant.id == TravelApplication.participant_id)
        .where(Participant.event_id == event_id)
        .order_by(Participant.full_name, TravelApplication.id)
    )
    return session.scalars(statement).unique().all()


def latest_fund_run(session: Session, event_id: int) -> FundAllocationRun | None:
    statement = (
        select(FundAllocationRun)
        .where(FundAllocationRun.event_id == event_id)
        .order_by(FundAllocationRun.run_at.desc(), FundAllocationRun.id.desc())
    )
    return session.scalars(statement).first()


def grants_between(session: Session, start: datetime, end: datetime) -> Sequence[TravelGrant]:
    statement = (
        select(TravelGrant)
        .join(TravelApplication, TravelApplication.id == TravelGrant.application_id)
        .join(Participant, Participant.id == TravelApplication.participant_id)
        .join(DialogueEvent, DialogueEvent.id == Participant.event_id)
        .where(DialogueEvent.starts_at >= start, DialogueEvent.starts_at < end, TravelGrant.amount > 0)
    )
    return session.scalars(statement).unique().all()


# --- Outcomes and concept notes -----------------------------------------------------------------------


def recommendations_of(session: Session, event_id: int) -> Sequence[Recommendation]:
    statement = select(Recommendation).where(Recommendation.event_id == event_id).order_by(Recommendation.id)
    return session.scalars(statement).unique().all()


def get_recommendation(session: Session, recommendation_id: int) -> Recommendation | None:
    return session.get(Recommendation, recommendation_id)


def recommendations_between(session: Session, start: datetime, end: datetime) -> Sequence[Recommendation]:
    statement = (
        select(Recommendation)
        .join(DialogueEvent, DialogueEvent.id == Recommendation.event_id)
        .where(DialogueEvent.starts_at >= start, DialogueEvent.starts_at < end)
    )
    return session.scalars(statement).unique().all()


def get_concept_note(session: Session, note_id: int) -> ConceptNote | None:
    return session.get(ConceptNote, note_id)


def concept_notes_of_event(session: Session, event_id: int) -> Sequence[ConceptNote]:
    statement = select(ConceptNote).where(ConceptNote.event_id == event_id).order_by(ConceptNote.id)
    return session.scalars(statement).unique().all()


def concept_notes_for_countries(session: Session, countries: frozenset[str] | None) -> Sequence[ConceptNote]:
    """Concept notes of these countries (None: every country), open ones first."""
    statement = select(ConceptNote)
    if countries is not None:
        statement = statement.where(ConceptNote.country_iso3.in_(countries) if countries else false())
    statement = statement.order_by(ConceptNote.status, ConceptNote.updated_at.desc())
    return session.scalars(statement).unique().all()


def concept_notes_between(session: Session, start: datetime, end: datetime) -> Sequence[ConceptNote]:
    statement = (
        select(ConceptNote)
        .join(DialogueEvent, DialogueEvent.id == ConceptNote.event_id)
        .where(DialogueEvent.starts_at >= start, DialogueEvent.starts_at < end)
    )
    return session.scalars(statement).unique().all()


def concept_note_of_need(session: Session, need_id: int) -> ConceptNote | None:
    return session.scalars(select(ConceptNote).where(ConceptNote.need_id == need_id)).unique().first()


# --- Actions ----------------------------------------------------------------------------------------


def get_action(session: Session, action_id: int) -> ActionItem | None:
    return session.get(ActionItem, action_id)


def actions_of_event(session: Session, event_id: int) -> Sequence[ActionItem]:
    statement = (
        select(ActionItem)
        .where(ActionItem.event_id == event_id)
        .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
    )
    return session.scalars(statement).unique().all()


@dataclass(frozen=True)
class ActionFilter:
    status: str | None = None  # a status, or "open" meaning open and in progress
    overdue_on: date | None = None
    owner_user_id: int | None = None
    owner_organisation_id: int | None = None


def list_actions(session: Session, filters: ActionFilter, page: PageRequest) -> Page[ActionItem]:
    statement = select(ActionItem)
    if filters.status == "open" or filters.overdue_on:
        statement = statement.where(ActionItem.status.in_(ACTION_OPEN_STATUSES))
    elif filters.status:
        statement = statement.where(ActionItem.status == filters.status)
    if filters.overdue_on:
        statement = statement.where(ActionItem.due_on < filters.overdue_on)
    owners = []
    if filters.owner_user_id is not None:
        owners.append(ActionItem.owner_user_id == filters.owner_user_id)
    if filters.owner_organisation_id is not None:
        owners.append(ActionItem.owner_organisation_id == filters.owner_organisation_id)
    if owners:
        statement = statement.where(or_(*owners))
    statement = statement.order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
    return fetch_page(session, statement, page)


def count_overdue(session: Session, on: date, *, user_id: int | None, organisation_id: int | None) -> int:
    """How many of open_actions_of were due before ``on``, without loading them: each action brings its
    event, owners and notes, and the header of every signed-in page asks."""
    statement = _open_actions(select(func.count(ActionItem.id)), user_id, organisation_id)
    return 0 if statement is None else session.scalar(statement.where(ActionItem.due_on < on)) or 0


def _waiting_participants(
    statement: Select[Any], countries: frozenset[str], statuses: Sequence[str], now: datetime
) -> Select[Any]:
    return statement.join(DialogueEvent, DialogueEvent.id == Participant.event_id).where(
        Participant.country_iso3.in_(countries),
        Participant.status.in_(statuses),
        DialogueEvent.ends_at_utc >= now,
        DialogueEvent.is_cancelled.is_(False),
    )


def participants_waiting(
    session: Session, countries: frozenset[str], statuses: Sequence[str], now: datetime
) -> Sequence[Participant]:
    """People of these countries in these statuses on events that have not ended yet."""
    if not countries:
        return []
    statement = _waiting_participants(select(Participant), countries, statuses, now)
    statement = statement.order_by(DialogueEvent.starts_at_utc, Participant.full_name)
    return session.scalars(statement).unique().all()


def count_participants_waiting(
    session: Session, countries: frozenset[str], statuses: Sequence[str], now: datetime
) -> int:
    """How many participants_waiting returns, without loading them (for the inbox badge)."""
    if not countries:
        return 0
    statement = _waiting_participants(select(func.count(Participant.id)), countries, statuses, now)
    return session.scalar(statement) or 0


def _open_actions(
    statement: Select[Any], user_id: int | None, organisation_id: int | None
) -> Select[Any] | None:
    """Open actions the person or their organisation owns (None: they can own none)."""
    owners = []
    if user_id is not None:
        owners.append(ActionItem.owner_user_id == user_id)
    if organisation_id is not None:
        owners.append(ActionItem.owner_organisation_id == organisation_id)
    if not owners:
        return None
    return statement.where(ActionItem.status.in_(ACTION_OPEN_STATUSES), or_(*owners))


def open_actions_of(
    session: Session, user_id: int | None, organisation_id: int | None
) -> Sequence[ActionItem]:
    statement = _open_actions(select(ActionItem), user_id, organisation_id)
    if statement is None:
        return []
    statement = statement.order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
    return session.scalars(statement).unique().all()


def count_participants(session: Session, event_id: int, statuses: Collection[str]) -> int:
    statement = select(func.count(Participant.id)).where(
        Participant.event_id == event_id, Participant.status.in_(statuses)
    )
    return session.scalar(statement) or 0


def outcome_of(session: Session, event_id: int) -> EventOutcome | None:
    return session.scalars(select(EventOutcome).where(EventOutcome.event_id == event_id)).first()


def get_application(session: Session, application_id: int) -> TravelApplication | None:
    return session.get(TravelApplication, application_id)


def get_grant(session: Session, grant_id: int) -> TravelGrant | None:
    return session.get(TravelGrant, grant_id)
