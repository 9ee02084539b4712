"""Rules of the dialogue: who may run, see and join an event, the nomination chain, the balance meter,
the travel fund, outcomes, concept notes and actions. Every write checks permission and is audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy.orm import Session

from pux.accounts import permissions
from pux.accounts import repository as accounts_repository
from pux.accounts.permissions import Actor, require
from pux.audit import service as audit
from pux.dialogues import balance as balance_engine
from pux.dialogues import repository
from pux.dialogues import travel_fund as fund_engine
from pux.dialogues import vocabulary as v
from pux.dialogues.models import (
    ActionItem,
    ActionNote,
    AgendaSession,
    BalanceTargetRow,
    ConceptNote,
    DialogueEvent,
    Disbursement,
    EventOutcome,
    FundAllocationRun,
    Participant,
    Recommendation,
    TravelApplication,
    TravelGrant,
)
from pux.dialogues.repository import ActionFilter, EventFilter, EventScope
from pux.dialogues.schemas import (
    ActionFields,
    ActionProgress,
    ConceptNoteCreate,
    ConceptNoteUpdate,
    DisbursementFields,
    EventCreate,
    EventFields,
    EventUpdate,
    GrantOverride,
    OutcomeFields,
    ParticipantFields,
    RecommendationFields,
    SessionFields,
    TargetFields,
    TravelApplicationFields,
    TravelApplicationUpdate,
)
from pux.errors import FieldProblem, InvalidTransition, NotFound, ValidationFailed, ensure_current
from pux.i18n import gettext as _
from pux.i18n import number_text
from pux.needs import repository as needs_repository
from pux.needs import service as needs_service
from pux.needs.models import Need
from pux.needs.schemas import NeedCreate
from pux.pagination import Page, PageRequest
from pux.priority import service as priority_service
from pux.reference import repository as reference_repository
from pux.reference.models import Country, Currency, SdgGoal, Technique, ThematicArea, fold_for_search
from pux.reference.vocabulary import ORGANISATION_TYPES

EVENT = "dialogue_event"
PARTICIPANT = "dialogue_participant"
# Organisations that come to give, not to receive: their people sit on the partner side, whatever
# their country.
PARTNER_ORGANISATION_TYPES = frozenset(
    {"donor_agency", "development_bank", "foundation", "iaea", "international_organisation"}
)


def now_utc() -> datetime:
    return datetime.now(UTC)


def _audit(session: Session, actor: Actor, action: str, entity: str, entity_id: int, **values: Any) -> None:
    audit.record(
        session, actor=actor.label, action=action, entity_type=entity, entity_id=str(entity_id), **values
    )


# --- Events -------------------------------------------------------------------------------------------


def event_scope(session: Session, actor: Actor) -> EventScope:
    """The events an actor may see: all for facilitators; else public ones, their own and their countries'."""
    if actor.is_global:
        return EventScope(everything=True)
    own = _events_taken_part_in(session, actor)
    countries = actor.countries(permissions.FOCAL_POINT, permissions.COUNTERPART)
    if countries:
        focused = {
            event.id
            for event in repository.all_events(
                session, EventScope(everything=True), EventFilter(), utc_clock()
            )
            if countries & set(event.focus_country_codes)
        }
        own = own | frozenset(focused)
    return EventScope(event_ids=own, focus_countries=countries)


def list_events(
    session: Session, *, actor: Actor, filters: EventFilter, page: PageRequest, whole: bool = True
) -> Page[DialogueEvent]:
    """Events the actor may see, filtered and paged; ``whole=False`` for lists that show neither their
    agendas nor their balance targets (read one event at a time if asked for after all)."""
    scope = event_scope(session, actor)
    return repository.list_events(session, scope, filters, page, utc_clock(), whole=whole)


def utc_clock() -> datetime:
    """Now as a naive UTC instant, the form of an event's starts_at_utc and ends_at_utc."""
    return now_utc().replace(tzinfo=None)


def has_begun(event: DialogueEvent) -> bool:
    """Whether the event's start has passed, wherever on Earth it is held."""
    return event.starts_at_utc <= utc_clock()


def has_ended(event: DialogueEvent) -> bool:
    """Whether the event's end has passed, wherever on Earth it is held."""
    return event.ends_at_utc < utc_clock()


def get_event(session: Session, *, actor: Actor, event_id: int) -> DialogueEvent:
    """An event the actor may see, else NotFound (whether or not it exists)."""
    event = repository.get_event(session, event_id)
    if event is None or not _may_view(session, actor, event):
        raise NotFound(_("No event with this number is visible to you."))
    return event


def _may_view(session: Session, actor: Actor, event: DialogueEvent) -> bool:
    if permissions.can_view_event(
        actor,
        is_public=event.is_public,
        focus_countries=frozenset(event.focus_country_codes),
        takes_part=False,
    ):
        return True  # without asking the database whether the person is on the list
    return permissions.can_view_event(
        actor,
        is_public=event.is_public,
        focus_countries=frozenset(event.focus_country_codes),
        takes_part=bool(_events_taken_part_in(session, actor, event_id=event.id)),
    )


def _events_taken_part_in(session: Session, actor: Actor, event_id: int | None = None) -> frozenset[int]:
    """The events the actor takes part in (of ``event_id`` alone, when given), and so may see though they
    are closed (the rule: permissions.taking_part)."""
    taking_part = permissions.taking_part(actor)
    if taking_part.none:
        return frozenset()
    return repository.event_ids_taken_part_in(session, taking_part, event_id=event_id)


def _event_code_problems(session: Session, data: EventFields) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    countries = reference_repository.code_set(session, Country.iso3)
    if data.host_country_iso3 and data.host_country_iso3 not in countries:
        problems.append(FieldProblem("host_country_iso3", _("is not a known country code")))
    unknown = sorted(set(data.focus_country_codes) - countries)
    if unknown:
        problems.append(
            FieldProblem(
                "focus_country_codes", _("unknown country: %(codes)s") % {"codes": ", ".join(unknown)}
            )
        )
    unknown = sorted(
        set(data.thematic_area_codes) - reference_repository.code_set(session, ThematicArea.code)
    )
    if unknown:
        problems.append(
            FieldProblem(
                "thematic_area_codes", _("unknown thematic area: %(codes)s") % {"codes": ", ".join(unknown)}
            )
        )
    unknown = sorted(set(data.technique_codes) - reference_repository.code_set(session, Technique.code))
    if unknown:
        problems.append(
            FieldProblem("technique_codes", _("unknown technique: %(codes)s") % {"codes": ", ".join(unknown)})
        )
    if data.budget_currency not in reference_repository.code_set(session, Currency.code):
        problems.append(FieldProblem("budget_currency", _("is not an ISO 4217 currency code")))
    if not _known_zone(data.time_zone):
        problems.append(
            FieldProblem("time_zone", _("is not a time zone (use a name such as Africa/Nairobi)"))
        )
    else:
        problems.extend(_skipped_time_problems(data))
    return problems


def _skipped_time_problems(data: EventFields) -> list[FieldProblem]:
    """The start or end written at a local time the clocks skip (they go forward over it when daylight
    saving time begins): it names no moment. It was stored as an hour earlier in UTC, so an event from 02:30
    to 03:00 on such a night ended before it started. With no such time, local times and the moments they
    name are in the same order (a repeated time is read as its first pass), so the schema's check that the
    end is not before the start holds for the moments too."""
    zone = ZoneInfo(data.time_zone)
    problems: list[FieldProblem] = []
    for name in ("starts_at", "ends_at"):
        written: datetime = getattr(data, name)
        shown = _clock_shows(written, zone)
        if shown != written:
            message = _(
                "%(time)s does not exist in %(zone)s that day: the clocks go forward past it (daylight "
                "saving time). Write another time, such as %(shown)s."
            ) % {"time": f"{written:%H:%M}", "zone": data.time_zone, "shown": f"{shown:%H:%M}"}
            problems.append(FieldProblem(name, message))
    return problems


def _clock_shows(written: datetime, zone: ZoneInfo) -> datetime:
    """What the clocks of ``zone`` show at the moment ``written`` is read as: ``written`` itself, unless
    the clocks skip it."""
    return written.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None)


def _known_zone(name: str) -> bool:
    if name not in available_timezones() and name != "UTC":
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _check(problems: list[FieldProblem]) -> None:
    if problems:
        raise ValidationFailed(problems)


_EVENT_FIELDS = (
    "kind", "title", "description", "is_public", "host_country_iso3", "city", "is_online", "starts_at",
    "ends_at", "time_zone", "working_languages", "capacity", "thematic_area_codes", "technique_codes",
    "focus_country_codes", "travel_budget", "budget_currency", "allowance_cut_allowed",
    "max_supported_per_country",
)  # fmt: skip


def _apply_event(event: DialogueEvent, data: EventFields) -> None:
    for name in _EVENT_FIELDS:
        setattr(event, name, getattr(data, name))
    if data.is_online and not data.host_country_iso3:
        event.city = None
    event.search_text = fold_for_search(f"{event.title} {event.city or ''} {event.description[:2000]}")


def create_event(session: Session, *, actor: Actor, data: EventCreate) -> DialogueEvent:
    """Create an event (facilitators only)."""
    require(permissions.can_run_events(actor), _("Only facilitators run dialogue events."))
    _check(_event_code_problems(session, data))
    event = DialogueEvent(created_by_id=actor.user_id)
    _apply_event(event, data)
    repository.add(session, event)
    _audit(session, actor, "event.create", EVENT, event.id, after=event.snapshot())
    return event


def update_event(session: Session, *, actor: Actor, event_id: int, data: EventUpdate) -> DialogueEvent:
    """Edit an event; refused if stale."""
    event = get_event_to_run(session, actor=actor, event_id=event_id)
    ensure_current(event.version, data.version)
    _check(_event_code_problems(session, data))
    before = event.snapshot()
    _apply_event(event, data)
    session.flush()
    _audit(session, actor, "event.update", EVENT, event.id, before=before, after=event.snapshot())
    return event


def get_event_to_run(session: Session, *, actor: Actor, event_id: int) -> DialogueEvent:
    """An event the actor runs (its forms are refused, not shown, to anyone else)."""
    event = get_event(session, actor=actor, event_id=event_id)
    require(permissions.can_run_events(actor), _("Only facilitators run dialogue events."))
    return event


def add_session(session: Session, *, actor: Actor, event_id: int, data: SessionFields) -> AgendaSession:
    """Add an item to the agenda; it must lie within the event's days."""
    event = get_event_to_run(session, actor=actor, event_id=event_id)
    if data.starts_at.date() < event.starts_at.date() or data.ends_at.date() > event.ends_at.date():
        raise ValidationFailed([FieldProblem("starts_at", _("the session must take place during the event"))])
    item = AgendaSession(event_id=event.id, **data.model_dump())
    # Through the event's collection only: adding it to the session first and then to a collection
    # that loads afterwards would list it twice.
    event.sessions.append(item)
    session.flush()
    _audit(
        session, actor, "event.session_add", EVENT, event.id, after={"session": item.id, "title": item.title}
    )
    return item


def remove_session(session: Session, *, actor: Actor, event_id: int, session_id: int) -> None:
    event = get_event_to_run(session, actor=actor, event_id=event_id)
    item = next((s for s in event.sessions if s.id == session_id), None)
    if item is None:
        raise NotFound(_("This event has no such agenda item."))
    _audit(
        session,
        actor,
        "event.session_remove",
        EVENT,
        event.id,
        before={"session": item.id, "title": item.title},
    )
    event.sessions.remove(item)
    session.flush()


def add_target(session: Session, *, actor: Actor, event_id: int, data: TargetFields) -> BalanceTargetRow:
    """Set a participation target (one per dimension, category and bound)."""
    event = get_event_to_run(session, actor=actor, event_id=event_id)
    _check(_target_problems(session, data))
    target = data.as_target()
    existing = next(
        (
            t
            for t in event.targets
            if (t.dimension, t.category, t.bound) == (target.dimension, target.category, target.bound)
        ),
        None,
    )
    before = {"share": existing.share} if existing else None
    row = existing or BalanceTargetRow(
        event_id=event.id, dimension=target.dimension, category=target.category, bound=target.bound
    )
    row.share = target.share
    if existing is None:
        event.targets.append(row)
    session.flush()
    _audit(session, actor, "event.target_set", EVENT, event.id, before=before, after={"target": target.name})
    return row


def _target_problems(session: Session, data: TargetFields) -> list[FieldProblem]:
    known = target_categories(session)[data.dimension]
    if data.category != v.EVERY_CATEGORY and data.category not in known:
        return [FieldProblem("category", _("is not a category of this dimension"))]
    return []


def target_categories(session: Session) -> dict[str, tuple[str, ...]]:
    """The categories each dimension can take (for the target form and its check)."""
    regions = tuple(sorted(set(country_facts(session).regions.values())))
    return {
        v.GENDER: (*v.GENDERS, v.NOT_STATED),
        v.REGION: regions,
        v.STAKEHOLDER_TYPE: ORGANISATION_TYPES,
        v.COUNTRY_SIDE: (v.RECIPIENT, v.PARTNER_SIDE),
        v.COUNTRY_GROUP: v.COUNTRY_GROUPS,
    }


def remove_target(session: Session, *, actor: Actor, event_id: int, target_id: int) -> None:
    event = get_event_to_run(session, actor=actor, event_id=event_id)
    row = next((t for t in event.targets if t.id == target_id), None)
    if row is None:
        raise NotFound(_("This event has no such target."))
    name = as_target(row).name
    event.targets.remove(row)
    session.flush()
    _audit(session, actor, "event.target_remove", EVENT, event.id, before={"target": name})


def as_target(row: BalanceTargetRow) -> v.BalanceTarget:
    return v.BalanceTarget(row.dimension, row.category, row.bound, row.share)


# --- Who counts where: the categories of a participant -------------------------------------------------


@dataclass(frozen=True)
class CountryFacts:
    """What the balance meter and the fund need to know of every country, read once per request."""

    recipients: frozenset[str]
    regions: dict[str, str]
    groups: dict[str, frozenset[str]]


def country_facts(session: Session) -> CountryFacts:
    """Read once per unit of work: the reference data and the index's rules do not change within it."""
    cached = session.info.get("dialogues.country_facts")
    if isinstance(cached, CountryFacts):
        return cached
    facts = _read_country_facts(session)
    session.info["dialogues.country_facts"] = facts
    return facts


def _read_country_facts(session: Session) -> CountryFacts:
    config, _data = priority_service.active_config(session)
    recipients, regions, groups = set(), {}, {}
    for country in reference_repository.all_countries(session):
        income = country.income_group
        if (income.income_group if income else None) not in config.excluded_income_groups:
            recipients.add(country.iso3)
        if country.region_m49:
            regions[country.iso3] = country.region_m49
        flags = (("ldc", country.is_ldc), ("lldc", country.is_lldc), ("sids", country.is_sids))
        groups[country.iso3] = frozenset(name for name, flag in flags if flag)
    return CountryFacts(frozenset(recipients), regions, groups)


def stakeholder_type(participant: Participant) -> str | None:
    if participant.stakeholder_type:
        return participant.stakeholder_type
    return participant.organisation.organisation_type if participant.organisation else None


def is_recipient(participant: Participant, facts: CountryFacts) -> bool:
    return (
        participant.country_iso3 in facts.recipients
        and stakeholder_type(participant) not in PARTNER_ORGANISATION_TYPES
    )


def categories_of(participant: Participant, facts: CountryFacts) -> dict[str, frozenset[str]]:
    """The categories a participant counts in, for every balance dimension. What the list does not say
    is counted as not stated, never guessed: a person with no country is in no region and on neither
    side, unless their organisation is one that comes to give."""
    iso3 = participant.country_iso3
    kind = stakeholder_type(participant)
    return {
        v.GENDER: frozenset({participant.gender or v.NOT_STATED}),
        v.REGION: frozenset({facts.regions.get(iso3 or "", v.NOT_STATED)}),
        v.STAKEHOLDER_TYPE: frozenset({kind or v.NOT_STATED}),
        v.COUNTRY_SIDE: frozenset({_country_side(participant, facts)}),
        # A country in no group is counted in none; a person of no stated country, as not stated.
        v.COUNTRY_GROUP: facts.groups.get(iso3, frozenset()) if iso3 else frozenset({v.NOT_STATED}),
    }


def _country_side(participant: Participant, facts: CountryFacts) -> str:
    if is_recipient(participant, facts):
        return v.RECIPIENT
    if participant.country_iso3 or stakeholder_type(participant) in PARTNER_ORGANISATION_TYPES:
        return v.PARTNER_SIDE
    return v.NOT_STATED


def event_balance(session: Session, *, actor: Actor, event_id: int) -> balance_engine.BalanceReport:
    """The balance meter: shares of the expected participants against the event's targets."""
    event = get_event_to_run(session, actor=actor, event_id=event_id)
    return balance_of(session, event)


def balance_of(session: Session, event: DialogueEvent) -> balance_engine.BalanceReport:
    facts = country_facts(session)
    people = [
        balance_engine.CountedPerson(p.id, categories_of(p, facts))
        for p in repository.participants_of(session, event.id)
        if p.status in v.EXPECTED_STATUSES
    ]
    return balance_engine.measure(people, [as_target(t) for t in event.targets])


# --- Participants and the nomination chain ----------------------------------------------------------


def participants(session: Session, *, actor: Actor, event_id: int) -> list[Participant]:
    """The people on an event's list whose details the actor may see (facilitators: everyone; a focal
    point: their country's people; a participant: themselves)."""
    event = get_event(session, actor=actor, event_id=event_id)
    require(actor.is_authenticated, _("Sign in to see the people on an event's list."))
    return [
        p
        for p in repository.participants_of(session, event.id)
        if permissions.can_see_participant_details(actor, country_iso3=p.country_iso3, user_id=p.user_id)
    ]


def public_participation(session: Session, event: DialogueEvent) -> dict[str, int]:
    """What anyone may know of the list: how many people and countries, nothing personal."""
    expected = [p for p in repository.participants_of(session, event.id) if p.status in v.EXPECTED_STATUSES]
    attended = [p for p in expected if p.status == v.ATTENDED]
    return {
        "people": len(expected),
        "countries": len({p.country_iso3 for p in expected if p.country_iso3}),
        "attended": len(attended),
    }


def may_nominate(actor: Actor) -> bool:
    return nominable_countries(actor) != frozenset()


def nominable_countries(actor: Actor) -> frozenset[str] | None:
    """Countries the actor may put people on a list for; None means any."""
    return permissions.nominable_countries(actor)


def add_participant(session: Session, *, actor: Actor, event_id: int, data: ParticipantFields) -> Participant:
    """Put a person on the list: facilitators invite anyone; a focal point nominates their own people."""
    event = get_event(session, actor=actor, event_id=event_id)
    person = _person_fields(session, data, naming=actor)
    require(
        permissions.can_nominate_for(actor, country_iso3=person["country_iso3"]),
        _("You may put on the list only people of your own country."),
    )
    if repository.participant_by_email(session, event.id, person["email"]) is not None:
        raise ValidationFailed([FieldProblem("email", _("this person is already on the list"))])
    capacity_left = _capacity_left(session, event)
    if capacity_left is not None and capacity_left <= 0:
        raise ValidationFailed([FieldProblem("capacity", _("the event is full"))])
    nominated = not actor.is_global
    participant = Participant(
        event_id=event.id,
        status=v.NOMINATED if nominated else v.INVITED,
        invited_by_id=actor.user_id,
        nominated_by_id=actor.user_id if nominated else None,
        **person,
    )
    repository.add(session, participant)
    _audit(
        session,
        actor,
        f"participant.{participant.status}",
        PARTICIPANT,
        participant.id,
        after=participant.snapshot(),
    )
    return participant


def _capacity_left(session: Session, event: DialogueEvent) -> int | None:
    if event.capacity is None:
        return None
    return event.capacity - repository.count_participants(session, event.id, v.EXPECTED_STATUSES)


def _person_fields(session: Session, data: ParticipantFields, *, naming: Actor | None) -> dict[str, Any]:
    """The participant's name, email, organisation, type, country and gender, from their account if any.
    ``naming``: who puts the person on the list (the accounts they may name: permissions.can_name_account);
    None when the person registers themselves."""
    problems: list[FieldProblem] = []
    user, problem = _account(
        session, data.user_id, data.user_email, fields=("user_id", "user_email"), naming=naming
    )
    problems += problem
    role_organisation, role_country = _scope_of_roles(user)
    organisation_id = data.organisation_id or (user.organisation_id if user else None) or role_organisation
    organisation = accounts_repository.get_organisation(session, organisation_id) if organisation_id else None
    if organisation_id is not None and organisation is None:
        problems.append(FieldProblem("organisation_id", _("is not a known organisation")))
    country = data.country_iso3 or (organisation.country_iso3 if organisation else None) or role_country
    if country and country not in reference_repository.code_set(session, Country.iso3):
        problems.append(FieldProblem("country_iso3", _("is not a known country code")))
    if data.stakeholder_type and data.stakeholder_type not in ORGANISATION_TYPES:
        problems.append(FieldProblem("stakeholder_type", _("is not a stakeholder type")))
    _check(problems)
    return {
        "user_id": user.id if user else None,
        "full_name": data.full_name or (user.full_name if user else ""),
        "email": (data.email or (user.email if user else "")).lower(),
        "organisation_id": organisation.id if organisation else None,
        "stakeholder_type": data.stakeholder_type
        or (organisation.organisation_type if organisation else None),
        "country_iso3": country,
        "gender": data.gender or (user.gender if user and user.gender in v.GENDERS else None),
    }


def _account(
    session: Session,
    user_id: int | None,
    email: str | None,
    *,
    fields: tuple[str, str],
    naming: Actor | None = None,
) -> tuple[Any, list[FieldProblem]]:
    """The open account named by its number or, failing that, its email address (``fields``: the two
    fields' names, for the problem); None when neither is given. With ``naming`` (who puts the person on
    an event's list), an account they may not name (another country's, for a focal point) is refused in
    the words of a missing one: the nominator may not learn who has an account, nor take another
    country's person (and their details) as theirs."""
    if user_id is not None:
        user, field = accounts_repository.get_user(session, user_id), fields[0]
    elif email:
        user, field = accounts_repository.get_user_by_email(session, email), fields[1]
    else:
        return None, []
    if user is None or not user.is_active or (naming is not None and not _may_name(naming, user)):
        return None, [FieldProblem(field, _("is not a person in PUX"))]
    return user, []


def _may_name(actor: Actor, user: Any) -> bool:
    """Whether the actor may name this account for an event's list (permissions.can_name_account)."""
    return permissions.can_name_account(
        actor,
        role_countries=frozenset(role.country_iso3 for role in user.roles if role.country_iso3),
        organisation_country=user.organisation.country_iso3 if user.organisation else None,
    )


def _scope_of_roles(user: Any) -> tuple[int | None, str | None]:
    """The organisation and country a person's roles are scoped to (a counterpart's hospital and
    country), for accounts that carry them only on their roles."""
    if user is None:
        return None, None
    organisation = next((r.organisation_id for r in user.roles if r.organisation_id), None)
    country = next((r.country_iso3 for r in user.roles if r.country_iso3), None)
    return organisation, country


def get_participant(session: Session, *, actor: Actor, participant_id: int) -> Participant:
    """A participant whose details the actor may see, else NotFound."""
    participant = repository.get_participant(session, participant_id)
    if participant is None or not permissions.can_see_participant_details(
        actor, country_iso3=participant.country_iso3, user_id=participant.user_id
    ):
        raise NotFound(_("No participant with this number is visible to you."))
    return participant


def move_participant(
    session: Session,
    *,
    actor: Actor,
    participant_id: int,
    target: str,
    version: int,
    comment: str | None = None,
) -> Participant:
    """Move a participant along the chain (nominate, endorse, confirm, mark attendance, decline)."""
    participant = get_participant(session, actor=actor, participant_id=participant_id)
    source = participant.status
    if (source, target) not in permissions.PARTICIPANT_MOVE_ROLES:
        raise InvalidTransition(
            _("A participant who is %(status)s cannot become %(target)s.")
            % {"status": v.participant_status_label(source), "target": v.participant_status_label(target)}
        )
    require(
        permissions.can_move_participant(
            actor,
            source=source,
            target=target,
            country_iso3=participant.country_iso3,
            user_id=participant.user_id,
        )
        or _confirms_self(actor, participant, source, target),
        _("You may not make this change to this participant."),
    )
    ensure_current(participant.version, version)
    _check_chain(session, participant, source, target)
    before = {"status": source}
    participant.status = target
    participant.status_comment = comment.strip() if comment and comment.strip() else None
    participant.status_changed_at = now_utc()
    stamp = {v.NOMINATED: "nominated_by_id", v.ENDORSED: "endorsed_by_id", v.CONFIRMED: "confirmed_by_id"}
    if target in stamp:
        setattr(participant, stamp[target], actor.user_id)
    session.flush()
    _audit(
        session, actor, f"participant.{target}", PARTICIPANT, participant.id,
        before=before, after={"status": target, "comment": participant.status_comment},
    )  # fmt: skip
    application = participant.application
    if application is not None and target == v.DECLINED and application.status != v.WITHDRAWN:
        withdraw_application(session, actor=actor, application=application)
    elif application is not None and target in v.FUNDABLE_STATUSES and application.status == v.WITHDRAWN:
        _reopen_application(session, actor, application)
    return participant


def _check_chain(session: Session, participant: Participant, source: str, target: str) -> None:
    # A recipient country's people are confirmed only once their focal point endorsed them: the
    # country decides who speaks for it.
    if (source, target) == (v.INVITED, v.CONFIRMED) and is_recipient(participant, country_facts(session)):
        raise InvalidTransition(
            _(
                "People from recipient countries are confirmed after their country's focal point "
                "endorses them."
            )
        )
    if target in {v.ATTENDED, v.NO_SHOW} and not has_begun(participant.event):
        raise InvalidTransition(_("Attendance is recorded once the event has begun."))


def participant_moves(session: Session, actor: Actor, participant: Participant) -> list[str]:
    """The moves this actor may make on this participant now (for the buttons): those the chain and
    the actor's role allow, less the ones the chain's own rules would refuse (a recipient's people
    are not confirmed before their endorsement; attendance waits for the event to begin)."""
    refused = set()
    if participant.status == v.INVITED and is_recipient(participant, country_facts(session)):
        refused.add(v.CONFIRMED)
    if not has_begun(participant.event):
        refused |= {v.ATTENDED, v.NO_SHOW}
    return [
        target
        for (source, target) in permissions.PARTICIPANT_MOVE_ROLES
        if source == participant.status
        and target not in refused
        and (
            permissions.can_move_participant(
                actor,
                source=source,
                target=target,
                country_iso3=participant.country_iso3,
                user_id=participant.user_id,
            )
            or _confirms_self(actor, participant, source, target)
        )
    ]


# --- Voluntary registration -------------------------------------------------------------------------


# A person on a list says they will come (a recipient country's people only after their focal point
# endorsed them: _check_chain), while the event is open for registration.
def _confirms_self(actor: Actor, participant: Participant, source: str, target: str) -> bool:
    return permissions.can_confirm_self(
        actor, source=source, target=target, participant_user_id=participant.user_id
    ) and registration_open(participant.event)


def registration_open(event: DialogueEvent) -> bool:
    """People register (and confirm themselves) until the event begins, unless it was cancelled."""
    return not event.is_cancelled and not has_begun(event)


def may_register(session: Session, actor: Actor, event: DialogueEvent) -> bool:
    """Whether the signed-in person may put themselves on this event's list now (for the button)."""
    if not permissions.can_register_for_event(actor) or not registration_open(event):
        return False
    mine = my_participation(session, actor=actor, event_id=event.id)
    return mine is None or mine.status == v.DECLINED


def registered_self(participant: Participant) -> bool:
    """Whether the person put themselves on the list (and so withdraws a registration, not an invitation)."""
    return participant.user_id is not None and participant.nominated_by_id == participant.user_id


def register_self(session: Session, *, actor: Actor, event_id: int) -> Participant:
    """A signed-in person puts themselves on an event's list. It commits them to nothing: they join as
    nominated, and the chain goes on as for anyone nominated (their focal point endorses a recipient
    country's people, the facilitators confirm). Someone who declined registers again the same way."""
    event = get_event(session, actor=actor, event_id=event_id)
    require(permissions.can_register_for_event(actor), _("Sign in to register for an event."))
    if not registration_open(event):
        raise InvalidTransition(_("Registration is closed: the event has begun or was cancelled."))
    mine = my_participation(session, actor=actor, event_id=event.id)
    if mine is not None and mine.status != v.DECLINED:
        raise InvalidTransition(_("You are already on this event's list."))
    capacity_left = _capacity_left(session, event)
    if capacity_left is not None and capacity_left <= 0:
        raise ValidationFailed([FieldProblem("capacity", _("the event is full"))])
    if mine is not None:
        return _register_again(session, actor, mine)
    person = _person_fields(session, ParticipantFields(user_id=actor.user_id), naming=None)
    if repository.participant_by_email(session, event.id, person["email"]) is not None:
        # On the list by email, before the account was linked: the facilitators sort that out.
        raise InvalidTransition(_("You are already on this event's list."))
    participant = Participant(
        event_id=event.id, status=v.NOMINATED, invited_by_id=None, nominated_by_id=actor.user_id, **person
    )
    repository.add(session, participant)
    _audit(session, actor, "participant.register", PARTICIPANT, participant.id, after=participant.snapshot())
    return participant


def _register_again(session: Session, actor: Actor, participant: Participant) -> Participant:
    before = {"status": participant.status}
    participant.status = v.NOMINATED
    participant.nominated_by_id = actor.user_id
    participant.status_comment = None
    participant.status_changed_at = now_utc()
    session.flush()
    _audit(
        session, actor, "participant.register", PARTICIPANT, participant.id,
        before=before, after={"status": participant.status},
    )  # fmt: skip
    application = participant.application
    if application is not None and application.status == v.WITHDRAWN:
        _reopen_application(session, actor, application)
    return participant


def my_participations(session: Session, *, actor: Actor) -> Sequence[Participant]:
    """The events the signed-in person is on the list of."""
    if actor.user_id is None:
        return []
    return repository.participations_of_user(session, actor.user_id)


def my_participation(session: Session, *, actor: Actor, event_id: int) -> Participant | None:
    if actor.user_id is None:
        return None
    return repository.participant_of_user(session, event_id, actor.user_id)


# --- Travel support -----------------------------------------------------------------------------------


def apply_for_travel(
    session: Session, *, actor: Actor, participant_id: int, data: TravelApplicationFields
) -> TravelApplication:
    """A participant (or a facilitator for them) asks for travel support, once per event."""
    participant = get_participant(session, actor=actor, participant_id=participant_id)
    require(
        permissions.can_apply_for_travel(actor, participant_user_id=participant.user_id),
        _("Only the participant or a facilitator may apply for this person's travel support."),
    )
    if participant.status not in v.FUNDABLE_STATUSES:
        raise InvalidTransition(_("Only people expected at the event can apply for travel support."))
    if participant.application is not None and participant.application.status == v.WITHDRAWN:
        return _apply_again(session, actor, participant.application, data)
    if participant.application is not None:
        raise ValidationFailed(
            [FieldProblem("fare", _("this participant has already applied: change that application instead"))]
        )
    if participant.event.travel_budget is None:
        raise InvalidTransition(_("This event has no travel-support budget."))
    application = TravelApplication(
        participant_id=participant.id, submitted_by_id=actor.user_id, **data.model_dump()
    )
    repository.add(session, application)
    participant.application = application  # the participant was loaded before: keep it current
    _audit(session, actor, "travel.apply", "travel_application", application.id, after=application.snapshot())
    return application


def apply_for_participant(
    session: Session,
    *,
    actor: Actor,
    event_id: int,
    participant_id: int | None,
    data: TravelApplicationFields,
) -> TravelApplication:
    """A facilitator applies for travel support for someone on the event's list (someone without an
    account, who cannot apply themselves). A person not on this event's list is the form's problem."""
    event = get_event_to_run(session, actor=actor, event_id=event_id)
    participant = repository.get_participant(session, participant_id) if participant_id else None
    if participant is None or participant.event_id != event.id:
        raise ValidationFailed([FieldProblem("participant_id", _("choose a person on this event's list"))])
    return apply_for_travel(session, actor=actor, participant_id=participant.id, data=data)


def travel_candidates(session: Session, event: DialogueEvent) -> list[Participant]:
    """The people a facilitator may apply for: expected at the event, without a live application."""
    return [
        p
        for p in repository.participants_of(session, event.id)
        if p.status in v.FUNDABLE_STATUSES and (p.application is None or p.application.status == v.WITHDRAWN)
    ]


def get_application(session: Session, *, actor: Actor, application_id: int) -> TravelApplication:
    """A travel application whose person's details the actor may see, else NotFound."""
    return _application(session, actor, application_id)


# The reason recorded on an award given back because its holder can no longer come.
CANCELLED = "cancelled"


def withdraw_application(session: Session, *, actor: Actor, application: TravelApplication) -> None:
    """Someone who can no longer come gives their award back: the application is withdrawn and the award
    cancelled, so what it held of the budget goes to others at the next allocation. Money already paid on
    it stays recorded (to be recovered) and keeps holding its share of the budget."""
    grant = application.grant
    before = {"status": application.status, "amount": str(grant.amount) if grant else None}
    application.status = v.WITHDRAWN
    if grant is not None:
        grant.amount = Decimal(0)
        grant.reason_code = CANCELLED
        grant.reason_detail = ""
        grant.is_override = False  # a facilitator's decision for someone who no longer comes lapses too
        grant.decided_by_id = actor.user_id
        grant.decided_at = now_utc()
    session.flush()
    _audit(
        session, actor, "travel.withdraw", "travel_application", application.id,
        before=before, after={"status": application.status, "amount": "0" if grant else None},
    )  # fmt: skip


def _reopen_application(session: Session, actor: Actor, application: TravelApplication) -> None:
    # Invited again after declining: the application waits for the fund's next decision.
    application.status = v.APPLIED
    session.flush()
    _audit(
        session, actor, "travel.reopen", "travel_application", application.id,
        before={"status": v.WITHDRAWN}, after={"status": application.status},
    )  # fmt: skip


def _apply_again(
    session: Session, actor: Actor, application: TravelApplication, data: TravelApplicationFields
) -> TravelApplication:
    # An application withdrawn by its applicant is asked for again with the new figures; the fund decides
    # on it afresh at its next allocation.
    before = application.snapshot()
    for name, value in data.model_dump().items():
        setattr(application, name, value)
    _reopen_application(session, actor, application)
    _audit(
        session, actor, "travel.update", "travel_application", application.id,
        before=before, after=application.snapshot(),
    )  # fmt: skip
    return application


def may_withdraw_application(application: TravelApplication) -> bool:
    """An applicant withdraws their application until the fund has paid anything on it (money paid is
    recovered through the facilitators, not by a button)."""
    grant = application.grant
    return application.status != v.WITHDRAWN and (grant is None or paid_on(grant) == 0)


def withdraw_own_application(
    session: Session, *, actor: Actor, application_id: int, version: int
) -> TravelApplication:
    """The applicant (or a facilitator for them) withdraws a travel application; any award is cancelled."""
    application = _application(session, actor, application_id)
    require(
        permissions.can_apply_for_travel(actor, participant_user_id=application.participant.user_id),
        _("Only the participant or a facilitator may withdraw this application."),
    )
    if application.status == v.WITHDRAWN:
        raise InvalidTransition(_("This application is already withdrawn."))
    if not may_withdraw_application(application):
        raise InvalidTransition(
            _("The fund has already paid on this application; ask the facilitators to cancel it.")
        )
    ensure_current(application.version, version)
    withdraw_application(session, actor=actor, application=application)
    return application


def paid_on(grant: TravelGrant) -> Decimal:
    return sum((payment.amount for payment in grant.disbursements), Decimal(0))


def held_of_budget(grant: TravelGrant | None) -> Decimal:
    """What a decision holds of the event's budget: its award, or what was already paid on it when that is
    more (an award cancelled after a payment that was not yet recovered)."""
    if grant is None:
        return Decimal(0)
    return max(grant.amount, paid_on(grant))


def update_application(
    session: Session, *, actor: Actor, application_id: int, data: TravelApplicationUpdate
) -> TravelApplication:
    """Change an application until the fund has decided on it."""
    application = _application(session, actor, application_id)
    require(
        permissions.can_apply_for_travel(actor, participant_user_id=application.participant.user_id),
        _("Only the participant or a facilitator may change this application."),
    )
    if application.status != v.APPLIED:
        raise InvalidTransition(_("The fund has decided on this application; it can no longer be changed."))
    ensure_current(application.version, data.version)
    before = application.snapshot()
    for name, value in data.model_dump(exclude={"version"}).items():
        setattr(application, name, value)
    session.flush()
    _audit(
        session,
        actor,
        "travel.update",
        "travel_application",
        application.id,
        before=before,
        after=application.snapshot(),
    )
    return application


def _application(session: Session, actor: Actor, application_id: int) -> TravelApplication:
    application = repository.get_application(session, application_id)
    if application is None or not permissions.can_see_participant_details(
        actor, country_iso3=application.participant.country_iso3, user_id=application.participant.user_id
    ):
        raise NotFound(_("No travel application with this number is visible to you."))
    return application


@dataclass(frozen=True)
class FundLine:
    """One application as the fund sees it: the person, their country's priority and the decision."""

    application: TravelApplication
    participant: Participant
    priority_score: float | None
    recipient: bool
    weight: float
    minimum: Decimal
    requested: Decimal
    grant: TravelGrant | None


def travel_applications(session: Session, *, actor: Actor, event_id: int) -> list[FundLine]:
    """Every application of an event with its priority and decision (facilitators only)."""
    event = get_event_to_run(session, actor=actor, event_id=event_id)
    return _fund_lines(session, event)


def fund_priority_area(session: Session, event: DialogueEvent) -> str | None:
    """The thematic area whose priority index weighs the event's applicants: the event's first area
    the index is configured for."""
    config, _data = priority_service.active_config(session)
    return next((code for code in event.thematic_area_codes if code in config.areas), None)


def _priority_scores(session: Session, event: DialogueEvent) -> dict[str, float]:
    # Countries without a score are shown as "no index" and weighed as the lowest priority, never
    # given an invented score.
    area = fund_priority_area(session, event)
    if area is None:
        return {}
    cache: dict[str, dict[str, float]] = session.info.setdefault("dialogues.priority_scores", {})
    if area not in cache:  # the index reads every country's indicators: once per unit of work
        cache[area] = {
            r.iso3: r.score for r in priority_service.ranking(session, area=area) if r.score is not None
        }
    return cache[area]


def _fund_lines(session: Session, event: DialogueEvent) -> list[FundLine]:
    facts = country_facts(session)
    scores = _priority_scores(session, event)
    cut = Decimal(str(event.allowance_cut_allowed))
    lines = []
    for application in repository.applications_of(session, event.id):
        participant = application.participant
        score = scores.get(participant.country_iso3 or "")
        recipient = is_recipient(participant, facts)
        allowance = application.daily_allowance * application.nights
        lines.append(
            FundLine(
                application=application,
                participant=participant,
                priority_score=score,
                recipient=recipient,
                weight=fund_weight(score, recipient),
                minimum=smallest_useful_award(application.fare + allowance * (1 - cut)),
                requested=application.requested,
                grant=application.grant,
            )
        )
    return lines


SMALLEST_AWARD = Decimal("0.01")


def smallest_useful_award(minimum: Decimal) -> Decimal:
    """The least an award may be, in cents. Someone who asks no fare, at an event whose awards may leave out
    the whole daily allowance, may be given any amount above nothing: one cent, not zero (an award of
    zero is a refusal, and the fund needs a positive least amount to tell the two apart)."""
    return max(minimum.quantize(SMALLEST_AWARD), SMALLEST_AWARD)


def fund_weight(priority_score: float | None, recipient: bool) -> float:
    """How strongly the fund wants to support someone: their country's priority (0–100 → 1–3) and a
    bonus for recipients, so a recipient from a high-priority country comes first."""
    base = 1.0 + 2.0 * (priority_score or 0.0) / 100.0
    return base + (1.0 if recipient else 0.0)


def decided_by_the_fund(line: FundLine) -> bool:
    """Whether an allocation decides on this application now: its person is still expected and has not
    withdrawn it. Every other decision stands as it is and holds its share of the budget."""
    return line.participant.status in v.FUNDABLE_STATUSES and line.application.status != v.WITHDRAWN


def _fund_problem(
    session: Session, event: DialogueEvent, lines: list[FundLine], budget: Decimal
) -> fund_engine.FundProblem:
    """The optimiser's problem for the applications decided now (``lines``), within ``budget``: what is left
    of the event's budget once the decisions that stand are paid for."""
    facts = country_facts(session)
    applying = {line.participant.id for line in lines}
    attending_people = [
        p
        for p in repository.participants_of(session, event.id)
        if p.status in v.FUNDABLE_STATUSES and p.id not in applying
    ]
    counts: dict[str, dict[str, int]] = {}
    for person in attending_people:
        for dimension, categories in categories_of(person, facts).items():
            for category in categories:
                counts.setdefault(dimension, {}).setdefault(category, 0)
                counts[dimension][category] += 1
    fundable = [line for line in lines if decided_by_the_fund(line)]
    # Only the people the fund decides on now can have their award fixed: an override of someone no
    # longer expected (declined, did not come) is not the solver's to keep.
    fixed = {
        line.participant.id: float(line.grant.amount)
        for line in fundable
        if line.grant is not None and line.grant.is_override
    }
    applicants = tuple(
        fund_engine.Applicant(
            key=line.participant.id,
            country_iso3=line.participant.country_iso3 or "",
            minimum=float(line.minimum),
            requested=float(line.requested),
            weight=line.weight,
            categories=categories_of(line.participant, facts),
            # Recipients first: a partner is supported only with what no eligible recipient could use.
            precedence=1 if line.recipient else 0,
        )
        for line in fundable
    )
    return fund_engine.FundProblem(
        budget=float(budget),
        applicants=applicants,
        targets=tuple(as_target(t) for t in event.targets),
        attending=fund_engine.Attending(total=len(attending_people), counts=counts),
        max_per_country=event.max_supported_per_country,
        fixed=fixed,
    )


def run_fund(session: Session, *, actor: Actor, event_id: int) -> FundAllocationRun:
    """Allocate the travel budget with the optimiser; the facilitator's overrides are kept as fixed."""
    event = get_event_to_run(session, actor=actor, event_id=event_id)
    if event.travel_budget is None:
        raise InvalidTransition(_("This event has no travel-support budget."))
    lines = _fund_lines(session, event)
    for line in lines:
        if line.participant.status == v.DECLINED and line.application.status != v.WITHDRAWN:
            # Declined before declining withdrew the application: their award goes back now.
            withdraw_application(session, actor=actor, application=line.application)
    deciding = [line for line in lines if decided_by_the_fund(line)]
    standing = sum(
        (held_of_budget(line.application.grant) for line in lines if not decided_by_the_fund(line)),
        Decimal(0),
    )
    result = fund_engine.allocate(_fund_problem(session, event, deciding, event.travel_budget - standing))
    run = FundAllocationRun(
        event_id=event.id,
        run_by_id=actor.user_id,
        status=result.status,
        budget=event.travel_budget,
        total_awarded=Decimal(0),
        proven_gap=result.proven_gap,
        solve_seconds=result.solve_seconds,
        binding=list(result.binding),
        conflicting=list(result.conflicting),
    )
    repository.add(session, run)
    if result.status in {"optimal", "feasible"}:  # otherwise the earlier decisions stand
        _record_decisions(session, actor, run, deciding, result)
    run.total_awarded = awarded_total(session, event)
    _audit(
        session, actor, "travel.allocate", EVENT, event.id,
        after={"run": run.id, "status": run.status, "total_awarded": str(run.total_awarded),
               "binding": run.binding, "conflicting": run.conflicting},
    )  # fmt: skip
    return run


def awarded_total(session: Session, event: DialogueEvent) -> Decimal:
    """Every award of the event as it stands (cancelled ones are zero)."""
    return sum((a.grant.amount for a in repository.applications_of(session, event.id) if a.grant), Decimal(0))


def _record_decisions(
    session: Session,
    actor: Actor,
    run: FundAllocationRun,
    lines: list[FundLine],
    result: fund_engine.FundResult,
) -> None:
    decisions = {decision.key: decision for decision in result.decisions}
    for line in lines:
        decision = decisions.get(line.participant.id)
        if decision is None or (line.grant is not None and line.grant.is_override):
            continue
        grant = line.grant or TravelGrant(application_id=line.application.id)
        grant.run_id = run.id
        grant.amount = Decimal(str(round(decision.amount, 2)))
        grant.reason_code = decision.reason
        grant.reason_detail = decision.detail[:200]
        grant.decided_by_id = actor.user_id
        grant.decided_at = now_utc()
        if line.grant is None:
            repository.add(session, grant)
            line.application.grant = grant
        line.application.status = v.AWARDED if grant.amount > 0 else v.REFUSED
    session.flush()


def override_grant(
    session: Session, *, actor: Actor, application_id: int, data: GrantOverride
) -> TravelGrant:
    """Replace the fund's decision on one application with the facilitator's, with a recorded reason."""
    application = _application(session, actor, application_id)
    event = application.participant.event
    require(permissions.can_run_events(actor), _("Only facilitators decide on travel support."))
    grant = application.grant
    ensure_current(grant.version if grant else 0, data.version)
    if application.status == v.WITHDRAWN:
        raise InvalidTransition(
            _("This application was withdrawn when the participant declined: there is nothing to award.")
        )
    if data.amount > application.requested:
        raise ValidationFailed([FieldProblem("amount", _("is more than the participant asked for"))])
    others = sum(
        (
            held_of_budget(a.grant)
            for a in repository.applications_of(session, event.id)
            if a.id != application.id
        ),
        Decimal(0),
    )
    if event.travel_budget is not None and others + data.amount > event.travel_budget:
        raise ValidationFailed(
            [
                FieldProblem(
                    "amount",
                    _("would take the awards beyond the budget: %(left)s %(currency)s is left")
                    % {
                        "left": max(event.travel_budget - others, Decimal(0)),
                        "currency": event.budget_currency,
                    },
                )
            ]
        )
    before = grant.snapshot() if grant else None
    grant = grant or TravelGrant(application_id=application.id)
    grant.amount = data.amount
    grant.reason_code = "override"
    grant.reason_detail = ""
    grant.is_override = True
    grant.override_reason = data.reason
    grant.decided_by_id = actor.user_id
    grant.decided_at = now_utc()
    if grant.id is None:
        repository.add(session, grant)
        application.grant = grant
    application.status = v.AWARDED if data.amount > 0 else v.REFUSED
    session.flush()
    _audit(
        session, actor, "travel.override", EVENT, event.id, before=before,
        after={"application": application.id, "amount": str(data.amount), "reason": data.reason},
    )  # fmt: skip
    return grant


def latest_fund_run(session: Session, *, actor: Actor, event_id: int) -> FundAllocationRun | None:
    event = get_event_to_run(session, actor=actor, event_id=event_id)
    return repository.latest_fund_run(session, event.id)


def record_disbursement(
    session: Session, *, actor: Actor, grant_id: int, data: DisbursementFields
) -> Disbursement:
    """Record money paid against a grant (and the receipts, when they come back); the payments on a grant
    never add up to more than its award."""
    grant = _grant_to_pay(session, actor, grant_id)
    if grant.application.status == v.WITHDRAWN:
        raise InvalidTransition(
            _("This award was cancelled when the participant declined: nothing more can be paid on it.")
        )
    if grant.amount <= 0:
        raise InvalidTransition(_("Nothing was awarded on this application."))
    paid = paid_on(grant)
    if paid + data.amount > grant.amount:
        left = max(grant.amount - paid, Decimal(0))
        currency = grant.application.participant.event.budget_currency
        raise ValidationFailed(
            [
                FieldProblem(
                    "amount",
                    _("would take the payments above the award of %(award)s %(currency)s: %(left)s is left")
                    % {
                        "award": number_text(float(grant.amount), 2),
                        "left": number_text(float(left), 2),
                        "currency": currency,
                    },
                )
            ]
        )
    payment = Disbursement(grant_id=grant.id, recorded_by_id=actor.user_id, **data.model_dump())
    grant.disbursements.append(payment)
    session.flush()
    _audit(
        session, actor, "travel.disburse", "travel_grant", grant.id,
        after={"amount": str(data.amount), "paid_on": str(data.paid_on),
               "receipt_amount": str(data.receipt_amount) if data.receipt_amount is not None else None},
    )  # fmt: skip
    return payment


def _grant_to_pay(session: Session, actor: Actor, grant_id: int) -> TravelGrant:
    """A grant the actor may record payments on. Whoever may not is told it is not there, whether or not
    it exists: the answer must not tell which grant numbers are in use."""
    grant = repository.get_grant(session, grant_id)
    if grant is None or not permissions.can_run_events(actor):
        raise NotFound(_("No travel grant with this number."))
    return grant


@dataclass(frozen=True)
class Reconciliation:
    participant: Participant
    grant: TravelGrant
    paid: Decimal
    receipts: Decimal | None  # None until every payment has its receipt
    difference: Decimal  # awarded − paid


def reconciliation(session: Session, *, actor: Actor, event_id: int) -> list[Reconciliation]:
    """Awarded, paid, receipts received and the difference, per supported participant."""
    event = get_event_to_run(session, actor=actor, event_id=event_id)
    rows = []
    for application in repository.applications_of(session, event.id):
        grant = application.grant
        if grant is None or (grant.amount <= 0 and not grant.disbursements):
            continue  # listed while something was awarded or paid (a cancelled award's payment to recover)
        paid = paid_on(grant)
        receipts = [d.receipt_amount for d in grant.disbursements]
        complete = bool(receipts) and all(r is not None for r in receipts)
        rows.append(
            Reconciliation(
                participant=application.participant,
                grant=grant,
                paid=paid,
                receipts=sum((r for r in receipts if r is not None), Decimal(0)) if complete else None,
                difference=grant.amount - paid,
            )
        )
    return rows


# --- Outcomes, recommendations and concept notes -------------------------------------------------


def outcome_of(session: Session, event: DialogueEvent) -> EventOutcome | None:
    return repository.outcome_of(session, event.id)


def _tag_problems(
    session: Session,
    areas: Sequence[str],
    techniques: Sequence[str],
    goals: Sequence[str],
    area_field: str = "thematic_area_codes",
) -> list[FieldProblem]:
    """Codes no reference list holds; ``area_field``: the field that gave the areas (a recommendation and
    a concept note have one, thematic_area_code)."""
    problems = []
    if set(areas) - reference_repository.code_set(session, ThematicArea.code):
        problems.append(FieldProblem(area_field, _("unknown thematic area")))
    if set(techniques) - reference_repository.code_set(session, Technique.code):
        problems.append(FieldProblem("technique_codes", _("unknown technique")))
    if set(goals) - reference_repository.code_set(session, SdgGoal.code):
        problems.append(FieldProblem("sdg_goal_codes", _("not an SDG goal")))
    return problems


def save_outcome(session: Session, *, actor: Actor, event_id: int, data: OutcomeFields) -> EventOutcome:
    """Record or edit what an event concluded."""
    event = get_event_to_run(session, actor=actor, event_id=event_id)
    _check(_tag_problems(session, data.thematic_area_codes, data.technique_codes, data.sdg_goal_codes))
    outcome = outcome_of(session, event)
    ensure_current(outcome.version if outcome else 0, data.version)
    before = outcome.snapshot() if outcome else None
    outcome = outcome or EventOutcome(event_id=event.id)
    for name, value in data.model_dump(exclude={"version"}).items():
        setattr(outcome, name, value)
    outcome.recorded_by_id = actor.user_id
    if outcome.id is None:
        repository.add(session, outcome)
    session.flush()
    _audit(session, actor, "event.outcome", EVENT, event.id, before=before, after=outcome.snapshot())
    return outcome


def suggested_goals(text: str, language: str | None = None) -> list[str]:
    """The SDG goals the tagger finds in an outcome's text (a person confirms them)."""
    from pux.sdg_tagging.engine import get_tagger

    if not text.strip():
        return []
    return [s.goal for s in get_tagger().suggest(text[:20_000], language)]


def add_recommendation(
    session: Session, *, actor: Actor, event_id: int, data: RecommendationFields
) -> Recommendation:
    event = get_event_to_run(session, actor=actor, event_id=event_id)
    problems = _tag_problems(
        session,
        [data.thematic_area_code] if data.thematic_area_code else [],
        data.technique_codes,
        data.sdg_goal_codes,
        area_field="thematic_area_code",
    )
    if data.country_iso3 and data.country_iso3 not in reference_repository.code_set(session, Country.iso3):
        problems.append(FieldProblem("country_iso3", _("is not a known country code")))
    _check(problems)
    recommendation = Recommendation(event_id=event.id, created_by_id=actor.user_id, **data.model_dump())
    repository.add(session, recommendation)
    _audit(session, actor, "event.recommendation", EVENT, event.id, after=recommendation.snapshot())
    return recommendation


def recommendations(session: Session, *, actor: Actor, event_id: int) -> Sequence[Recommendation]:
    event = get_event(session, actor=actor, event_id=event_id)
    return repository.recommendations_of(session, event.id)


def _concept_problems(session: Session, data: ConceptNoteCreate | ConceptNoteUpdate) -> list[FieldProblem]:
    problems = _tag_problems(
        session, [data.thematic_area_code], data.technique_codes, [], area_field="thematic_area_code"
    )
    if data.currency not in reference_repository.code_set(session, Currency.code):
        problems.append(FieldProblem("currency", _("is not an ISO 4217 currency code")))
    if data.counterpart_organisation_id is not None and not accounts_repository.get_organisation(
        session, data.counterpart_organisation_id
    ):
        problems.append(FieldProblem("counterpart_organisation_id", _("is not a known organisation")))
    return problems


def _recommendation(session: Session, actor: Actor, recommendation_id: int) -> Recommendation:
    """A recommendation of an event the actor may see, else NotFound: one made at an event they may not see
    answers exactly like a missing one (naming the event would say that it exists)."""
    recommendation = repository.get_recommendation(session, recommendation_id)
    event = repository.get_event(session, recommendation.event_id) if recommendation is not None else None
    if recommendation is None or event is None or not _may_view(session, actor, event):
        raise NotFound(_("No recommendation with this number is visible to you."))
    return recommendation


def event_of_recommendation(session: Session, *, actor: Actor, recommendation_id: int) -> int:
    """The event a recommendation was made at (its page shows the recommendation's forms)."""
    return _recommendation(session, actor, recommendation_id).event_id


def create_concept_note(
    session: Session, *, actor: Actor, recommendation_id: int, data: ConceptNoteCreate
) -> ConceptNote:
    """Turn a recommendation into a concept note for one country (facilitators)."""
    recommendation = _recommendation(session, actor, recommendation_id)
    get_event_to_run(session, actor=actor, event_id=recommendation.event_id)
    problems = _concept_problems(session, data)
    if data.country_iso3 not in reference_repository.code_set(session, Country.iso3):
        problems.append(FieldProblem("country_iso3", _("is not a known country code")))
    _check(problems)
    note = ConceptNote(
        recommendation_id=recommendation.id,
        event_id=recommendation.event_id,
        created_by_id=actor.user_id,
        status=v.CONCEPT_DRAFT,
        **data.model_dump(),
    )
    repository.add(session, note)
    _audit(session, actor, "concept_note.create", "concept_note", note.id, after=note.snapshot())
    return note


def get_concept_note(session: Session, *, actor: Actor, note_id: int) -> ConceptNote:
    """A concept note, for its country's counterparts and focal point and the facilitators only (once
    converted, the need it became is what others see, under the need's own visibility)."""
    note = repository.get_concept_note(session, note_id)
    if note is None or not permissions.can_refine_concept_note(actor, country_iso3=note.country_iso3):
        raise NotFound(_("No concept note with this number is visible to you."))
    return note


def update_concept_note(
    session: Session, *, actor: Actor, note_id: int, data: ConceptNoteUpdate
) -> ConceptNote:
    """The counterpart refines the concept note until it is converted."""
    note = get_concept_note(session, actor=actor, note_id=note_id)
    if note.status == v.CONCEPT_CONVERTED:
        raise InvalidTransition(_("This concept note has become a need; edit the need instead."))
    ensure_current(note.version, data.version)
    _check(_concept_problems(session, data))
    before = note.snapshot()
    for name, value in data.model_dump(exclude={"version"}).items():
        setattr(note, name, value)
    note.status = v.CONCEPT_READY if _complete(note) else v.CONCEPT_DRAFT
    session.flush()
    _audit(
        session, actor, "concept_note.update", "concept_note", note.id, before=before, after=note.snapshot()
    )
    return note


def _complete(note: ConceptNote) -> bool:
    return all(text.strip() for text in (note.problem, note.objective, note.outputs, note.activities))


def concept_note_gaps(note: ConceptNote) -> list[str]:
    """The parts a concept note still lacks before it can become a need."""
    parts = {
        "problem": note.problem,
        "objective": note.objective,
        "outputs": note.outputs,
        "activities": note.activities,
    }
    return [name for name, text in parts.items() if not text.strip()]


def convert_concept_note(session: Session, *, actor: Actor, note_id: int, version: int) -> Need:
    """Convert a complete concept note into a draft need of its country, keeping the link to the event."""
    note = get_concept_note(session, actor=actor, note_id=note_id)
    if note.status == v.CONCEPT_CONVERTED:
        raise InvalidTransition(_("This concept note has already become a need."))
    ensure_current(note.version, version)
    gaps = concept_note_gaps(note)
    if gaps:
        raise ValidationFailed(
            [FieldProblem(name, _("is needed before the concept note becomes a need")) for name in gaps]
        )
    need = needs_service.create_need(session, actor=actor, data=_need_from(note))
    before = note.snapshot()
    note.need_id = need.id
    note.status = v.CONCEPT_CONVERTED
    session.flush()
    _audit(
        session, actor, "concept_note.convert", "concept_note", note.id, before=before, after=note.snapshot()
    )
    return need


def _need_from(note: ConceptNote) -> NeedCreate:
    sections = (
        (_("Problem"), note.problem), (_("Objective"), note.objective),
        (_("Outputs"), note.outputs), (_("Activities"), note.activities),
        (_("Indicators"), note.indicators), (_("Assumptions"), note.assumptions),
    )  # fmt: skip
    body = "\n\n".join(f"{title}: {text.strip()}" for title, text in sections if text.strip())
    return NeedCreate(
        country_iso3=note.country_iso3,
        title=note.title,
        description=body[:10_000],
        thematic_area_code=note.thematic_area_code,
        technique_codes=list(note.technique_codes),
        estimated_cost=note.estimated_cost,
        currency=note.currency,
        organisation_id=note.counterpart_organisation_id,
    )


def concept_notes_for(session: Session, *, actor: Actor) -> Sequence[ConceptNote]:
    """The concept notes the actor may refine: their countries' ones (facilitators: all)."""
    countries = None if actor.is_global else actor.countries(permissions.FOCAL_POINT, permissions.COUNTERPART)
    return repository.concept_notes_for_countries(session, countries)


def callers_concept_notes(session: Session, *, actor: Actor) -> Sequence[ConceptNote]:
    """``concept_notes_for`` a caller of the API, who must say who they are: refused (401) rather than
    answered with a list that is empty only for want of a token."""
    permissions.require(actor.is_authenticated, _("Sign in to see the concept notes you may refine."))
    return concept_notes_for(session, actor=actor)


@dataclass(frozen=True)
class ResultingNeed:
    note: ConceptNote
    need: Need


def resulting_needs(session: Session, *, actor: Actor, event: DialogueEvent) -> list[ResultingNeed]:
    """The needs that came out of an event, as far as the actor may see them."""
    notes = [n for n in repository.concept_notes_of_event(session, event.id) if n.need_id is not None]
    needs = needs_repository.by_ids(session, [n.need_id for n in notes if n.need_id is not None])
    visible = []
    for note in notes:
        need = needs.get(note.need_id or 0)
        if need is not None and permissions.can_view_need(
            actor, country_iso3=need.country_iso3, status=need.status, visibility=need.visibility
        ):
            visible.append(ResultingNeed(note, need))
    return visible


def event_of_need(session: Session, *, actor: Actor, need_id: int) -> DialogueEvent | None:
    """The dialogue event a need came out of, if the actor may see it."""
    note = repository.concept_note_of_need(session, need_id)
    if note is None:
        return None
    event = repository.get_event(session, note.event_id)
    return event if event is not None and _may_view(session, actor, event) else None


# --- Actions ------------------------------------------------------------------------------------------


def create_action(session: Session, *, actor: Actor, event_id: int, data: ActionFields) -> ActionItem:
    event = get_event_to_run(session, actor=actor, event_id=event_id)
    owner, problems = _account(
        session, data.owner_user_id, data.owner_email, fields=("owner_user_id", "owner_email")
    )
    if data.owner_organisation_id is not None and not accounts_repository.get_organisation(
        session, data.owner_organisation_id
    ):
        problems.append(FieldProblem("owner_organisation_id", _("is not a known organisation")))
    _check(problems)
    action = ActionItem(
        event_id=event.id,
        created_by_id=actor.user_id,
        status=v.ACTION_OPEN,
        **data.model_dump(exclude={"owner_user_id", "owner_email"}),
        owner_user_id=owner.id if owner else None,
    )
    repository.add(session, action)
    _audit(session, actor, "action.create", "action", action.id, after=action.snapshot())
    return action


def get_action(session: Session, *, actor: Actor, action_id: int) -> ActionItem:
    action = repository.get_action(session, action_id)
    if action is None or not _may_view(session, actor, action.event):
        raise NotFound(_("No action with this number is visible to you."))
    return action


def get_listed_action(session: Session, *, actor: Actor, action_id: int) -> ActionItem:
    """An action as the actions list shows it: facilitators read every one, others those they or their
    organisation own; to anyone else it answers as a missing one does."""
    action = repository.get_action(session, action_id)
    if action is None or not (permissions.can_see_every_action(actor) or may_update_action(actor, action)):
        raise NotFound(_("No action with this number is visible to you."))
    return action


def may_update_action(actor: Actor, action: ActionItem) -> bool:
    return permissions.can_update_action(
        actor, owner_user_id=action.owner_user_id, owner_organisation_id=action.owner_organisation_id
    )


def get_action_to_update(session: Session, *, actor: Actor, action_id: int) -> ActionItem:
    """An action the actor reports progress on (its form is refused, not shown, to anyone else)."""
    action = get_action(session, actor=actor, action_id=action_id)
    require(may_update_action(actor, action), _("Only the action's owner or a facilitator may report on it."))
    return action


def progress_action(session: Session, *, actor: Actor, action_id: int, data: ActionProgress) -> ActionItem:
    """The owner (or a facilitator) reports progress: a status and a note."""
    action = get_action_to_update(session, actor=actor, action_id=action_id)
    ensure_current(action.version, data.version)
    if data.status == action.status and not data.note.strip():
        raise ValidationFailed([FieldProblem("note", _("say what progress was made"))])
    before = {"status": action.status}
    action.status = data.status
    if data.note.strip():
        action.notes.append(
            ActionNote(
                action_id=action.id,
                text=data.note.strip(),
                written_by_id=actor.user_id,
                written_by_label=actor.label,
            )
        )
    action.updated_at = now_utc()
    session.flush()
    _audit(
        session,
        actor,
        "action.progress",
        "action",
        action.id,
        before=before,
        after={"status": data.status, "note": data.note},
    )
    return action


def list_actions(
    session: Session, *, actor: Actor, filters: ActionFilter, page: PageRequest
) -> Page[ActionItem]:
    """Facilitators see every action; others the actions they or their organisation own."""
    if not permissions.can_see_every_action(actor):
        filters = ActionFilter(
            status=filters.status,
            overdue_on=filters.overdue_on,
            owner_user_id=actor.user_id if actor.user_id is not None else -1,
            owner_organisation_id=actor.organisation_id,
        )
    return repository.list_actions(session, filters, page)


def actions_of_event(session: Session, *, actor: Actor, event_id: int) -> Sequence[ActionItem]:
    event = get_event(session, actor=actor, event_id=event_id)
    return repository.actions_of_event(session, event.id)


def overdue_count(session: Session, *, actor: Actor, today: date) -> int:
    """How many of the actor's own actions are overdue (shown in their inbox)."""
    return repository.count_overdue(
        session, today, user_id=actor.user_id, organisation_id=actor.organisation_id
    )


# --- Helpers for the pages ---------------------------------------------------------------------------


def require_may_run(actor: Actor) -> None:
    """Refuse the event forms to anyone who does not run events."""
    require(permissions.can_run_events(actor), _("Only facilitators run dialogue events."))


def event_of_application(session: Session, *, actor: Actor, application_id: int) -> int:
    """The event of a travel application whose details the actor may see (its travel page holds the
    form of the decision on it)."""
    return _application(session, actor, application_id).participant.event_id


def current_grant_version(session: Session, *, actor: Actor, application_id: int) -> int:
    """The version of the decision on an application that a new decision must be made from (0: none yet)."""
    grant = _application(session, actor, application_id).grant
    return grant.version if grant else 0


def event_id_of_grant(session: Session, *, actor: Actor, grant_id: int) -> int:
    """The event of a grant the actor may record payments on (else NotFound, see _grant_to_pay)."""
    return _grant_to_pay(session, actor, grant_id).application.participant.event_id


def calendar_event(event: DialogueEvent, *, base_url: str) -> Any:
    """The event as the iCalendar engine takes it (UIDs stable across versions; SEQUENCE = version)."""
    from pux.dialogues.calendar import CalendarEvent, CalendarSession

    place = (
        _("Online")
        if event.is_online and not event.city
        else ", ".join(
            part for part in (event.city, event.host_country.name() if event.host_country else None) if part
        )
    )
    return CalendarEvent(
        uid=f"event-{event.id}@pux",
        title=event.title,
        description=event.description,
        location=place,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        time_zone=event.time_zone,
        url=f"{base_url}/events/{event.id}",
        stamp=now_utc(),
        sequence=event.version,
        sessions=tuple(
            CalendarSession(
                uid=f"event-{event.id}-session-{item.id}@pux",
                title=item.title,
                starts_at=item.starts_at,
                ends_at=item.ends_at,
                speakers=item.speakers,
                language=item.language or "",
            )
            for item in event.sessions
        ),
        cancelled=event.is_cancelled,
    )


def explain_constraint(name: str) -> str:
    """A constraint of the fund in words ("budget", "gender:female>=0.40", "country_cap:KEN", ...)."""
    if name == "budget":
        return _("the travel budget")
    if name.startswith("country_cap:"):
        return _("the limit of supported people per country (%(country)s)") % {
            "country": name.split(":", 1)[1]
        }
    if name.startswith("fixed:"):
        return _("a decision you fixed by hand (participant %(number)s)") % {"number": name.split(":", 1)[1]}
    dimension, _sep, rest = name.partition(":")
    for sign, words in ((">=", _("at least")), ("<=", _("at most"))):
        if sign in rest:
            category, share = rest.split(sign, 1)
            category = category.split("[", 1)[0]
            checked = name.split("[", 1)[1].rstrip("]") if "[" in name else None
            label = v.category_label(dimension, checked or category)
            return _("target: %(category)s %(bound)s %(share)s%%") % {
                "category": label,
                "bound": words,
                "share": round(float(share.split("[", 1)[0]) * 100),
            }
    return name


def explain_grant(grant: TravelGrant | None) -> str:
    """Why the fund decided as it did on one application, in the reader's language."""
    if grant is None:
        return _("Not decided yet: run the allocation.")
    detail = grant.reason_detail
    reasons = {
        "full": _("Supported in full: among the most deserving applicants within the budget and targets."),
        "partial": _("Supported in part: the budget ran out before the whole request could be paid."),
        "override": _("Decided by a facilitator: %(reason)s") % {"reason": grant.override_reason or ""},
        "fixed": _("Decided by a facilitator: %(reason)s") % {"reason": grant.override_reason or ""},
        "budget": _("Not supported: what is left of the budget does not cover the fare."),
        "target": _("Not supported: supporting this person would break %(constraint)s.")
        % {"constraint": explain_constraint(detail)},
        "country_cap": _(
            "Not supported: the country already has the most supported people allowed (%(country)s)."
        )
        % {"country": detail},
        "lower_priority": _(
            "Not supported: others from countries with greater need were chosen; together they make the best "
            "use of the budget."
        ),
        CANCELLED: _("Cancelled: the participant can no longer come, so the award went back to the fund."),
        "infeasible": _("Not decided: the targets cannot all be kept with these applicants."),
        "no_solution": _("Not decided: the optimiser found no allocation in the time allowed."),
    }
    return reasons.get(grant.reason_code, grant.reason_code)


def may_run(actor: Actor) -> bool:
    """Whether to offer the facilitator's forms and links."""
    return permissions.can_run_events(actor)


def source_event(session: Session, *, actor: Actor, note: ConceptNote) -> DialogueEvent | None:
    """The event a concept note came from, if the actor may see it: refining a country's note does not open
    a closed event of other countries to its counterparts."""
    event = repository.get_event(session, note.event_id)
    return event if event is not None and _may_view(session, actor, event) else None


def require_may_see_list(actor: Actor) -> None:
    """The list page is for those who run events and the focal points who nominate for them."""
    require(
        permissions.can_run_events(actor) or may_nominate(actor),
        _("The participants' list is for the facilitators and the countries' focal points."),
    )


# A participant waits for their country's focal point in these statuses.
AWAITING_FOCAL_POINT = (v.INVITED, v.NOMINATED)


def nominations_waiting(session: Session, *, actor: Actor) -> Sequence[Participant]:
    """People of the focal point's countries whom they still have to nominate or endorse."""
    countries = actor.countries(permissions.FOCAL_POINT)
    return repository.participants_waiting(session, countries, AWAITING_FOCAL_POINT, utc_clock())


def my_open_actions(session: Session, *, actor: Actor) -> Sequence[ActionItem]:
    """Open actions the person or their organisation owns, soonest due first."""
    return repository.open_actions_of(session, actor.user_id, actor.organisation_id)


def count_nominations_waiting(session: Session, *, actor: Actor) -> int:
    """How many nominations_waiting lists (counted, not loaded)."""
    countries = actor.countries(permissions.FOCAL_POINT)
    return repository.count_participants_waiting(session, countries, AWAITING_FOCAL_POINT, utc_clock())


def concept_notes_to_refine(session: Session, *, actor: Actor) -> list[ConceptNote]:
    """Concept notes of the person's countries not yet converted (empty for facilitators: they hand
    notes over, the countries refine them)."""
    if actor.is_global:
        return []
    return [n for n in concept_notes_for(session, actor=actor) if n.status != v.CONCEPT_CONVERTED]
