"""HTML pages of the dialogue: events, lists and the balance meter, travel support, outcomes, actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from pux.accounts import service as accounts
from pux.accounts.permissions import Actor, PermissionDenied, can_run_events
from pux.dialogues import calendar, service, statistics
from pux.dialogues import vocabulary as v
from pux.dialogues.models import DialogueEvent
from pux.dialogues.repository import ActionFilter
from pux.dialogues.schemas import (
    ActionFields,
    ActionProgress,
    ConceptNoteCreate,
    ConceptNoteUpdate,
    DisbursementFields,
    EventCreate,
    EventUpdate,
    GrantOverride,
    OutcomeFields,
    ParticipantFields,
    ParticipantMove,
    RecommendationFields,
    SessionFields,
    TargetFields,
    TravelApplicationFields,
    TravelApplicationUpdate,
    VersionOnly,
)
from pux.errors import FieldProblem, StaleEdit, ValidationFailed
from pux.i18n import gettext as _
from pux.pagination import PageRequest
from pux.reference import service as reference
from pux.reference.vocabulary import ORGANISATION_TYPES, organisation_type_label
from pux.validation import parse
from pux.web.deps import FormDep, SessionDep
from pux.web.filters import ActionFilters, EventFilters, PageNumber
from pux.web.forms import (
    RecordPath,
    flash,
    form_data,
    listing,
    parsed_with_organisations,
    problems_context,
    saved_first,
    sign_in_first,
)
from pux.web.routing import page_router
from pux.web.security import CsrfChecked, PageActor
from pux.web.templating import render

router = page_router()
EVENT_LISTS = ("working_languages", "thematic_area_codes", "technique_codes", "focus_country_codes")
EVENT_FLAGS = ("is_public", "is_online")
NO_PROBLEMS: dict[str, Any] = {"errors": {}, "problems": []}


def _labels() -> dict[str, Any]:
    return {
        "kind_label": v.event_kind_label,
        "participant_status_label": v.participant_status_label,
        "dimension_label": v.dimension_label,
        "application_status_label": v.application_status_label,
        "concept_status_label": v.concept_status_label,
        "action_status_label": v.action_status_label,
        "organisation_type_label": organisation_type_label,
        "event_kinds": v.EVENT_KINDS,
        "today": date.today(),
    }


def _category_label(session: Session) -> Callable[[str, str], str]:
    regions = {r.m49: r.name() for r in reference.list_regions(session)}

    def label(dimension: str, code: str) -> str:
        if dimension == v.REGION and code in regions:
            return regions[code]
        if dimension == v.STAKEHOLDER_TYPE and code in ORGANISATION_TYPES:
            return organisation_type_label(code)
        return v.category_label(dimension, code)

    return label


# --- Events -----------------------------------------------------------------------------------------


@router.get("/events", response_class=HTMLResponse)
def event_list(
    request: Request, session: SessionDep, actor: PageActor, page: PageNumber, filters: EventFilters
) -> HTMLResponse:
    # The list shows no agenda and no balance target: they are not read ahead.
    results = service.list_events(session, actor=actor, filters=filters, page=page, whole=False)
    return render(
        request,
        "dialogues/list.html",
        {
            **_labels(),
            **listing(results, request),
            "areas": reference.list_thematic_areas(session),
            "countries": reference.list_selectable_countries(session),
            "may_run": service.may_run(actor),
            "participations": service.my_participations(session, actor=actor),
        },
    )


def _event_form_values(form: FormData) -> dict[str, Any]:
    return form_data(form, lists=EVENT_LISTS, flags=EVENT_FLAGS)


def _event_form(
    request: Request,
    session: Session,
    *,
    event: DialogueEvent | None,
    values: dict[str, Any],
    failed: ValidationFailed | None = None,
    status_code: int = 422,
) -> HTMLResponse:
    return render(
        request,
        "dialogues/event_form.html",
        {
            **_labels(),
            "event": event,
            "values": values,
            "areas": reference.list_thematic_areas(session),
            "techniques": reference.list_techniques(session),
            "countries": reference.list_selectable_countries(session),
            **(problems_context(failed, whole_form=("version",)) if failed else NO_PROBLEMS),
        },
        status_code if failed else 200,
    )


def _stale_event_form(
    request: Request, session: Session, actor: Actor, event_id: int, values: dict[str, Any]
) -> HTMLResponse:
    """Someone saved the event first: what this person wrote is shown again over the current version (it
    was lost behind a bare page), to compare with the event as it is now and save again."""
    session.expire_all()  # the event as the other person saved it
    current = service.get_event_to_run(session, actor=actor, event_id=event_id)
    failed = saved_first(
        _(
            "Someone else saved this event after you opened it (it is now at version %(version)s). What you "
            "wrote is kept below: compare it with the event as it is now, then save again."
        )
        % {"version": current.version}
    )
    kept = {**values, "version": current.version}
    return _event_form(request, session, event=current, values=kept, failed=failed, status_code=409)


@router.get("/events/new", response_class=HTMLResponse)
def new_event(request: Request, session: SessionDep, actor: PageActor) -> Response:
    if (redirect := sign_in_first(actor, "/events/new")) is not None:
        return redirect
    service.require_may_run(actor)
    values = {"is_public": True, "budget_currency": "USD", "time_zone": "UTC", "kind": v.REGIONAL_WORKSHOP}
    return _event_form(request, session, event=None, values=values)


@router.post("/events", dependencies=[CsrfChecked])
def create_event(request: Request, session: SessionDep, actor: PageActor, form: FormDep) -> Response:
    values = _event_form_values(form)
    try:
        event = service.create_event(session, actor=actor, data=parse(EventCreate, values))
    except ValidationFailed as failed:
        service.require_may_run(actor)
        return _event_form(request, session, event=None, values=values, failed=failed)
    flash(request, _("The event was created. Add its agenda, targets and participants."))
    return RedirectResponse(f"/events/{event.id}", status_code=303)


@router.get("/events/{event_id}/edit", response_class=HTMLResponse)
def edit_event(request: Request, session: SessionDep, actor: PageActor, event_id: RecordPath) -> HTMLResponse:
    event = service.get_event_to_run(session, actor=actor, event_id=event_id)
    values = {name: getattr(event, name) for name in EventUpdate.model_fields if hasattr(event, name)}
    return _event_form(request, session, event=event, values=values)


@router.post("/events/{event_id}/edit", dependencies=[CsrfChecked])
def update_event(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, event_id: RecordPath
) -> Response:
    values = _event_form_values(form)
    try:
        service.update_event(session, actor=actor, event_id=event_id, data=parse(EventUpdate, values))
    except ValidationFailed as failed:
        event = service.get_event_to_run(session, actor=actor, event_id=event_id)
        return _event_form(request, session, event=event, values=values, failed=failed)
    except StaleEdit:
        return _stale_event_form(request, session, actor, event_id, values)
    flash(request, _("Your changes were saved."))
    return RedirectResponse(f"/events/{event_id}", status_code=303)


# Before /events/{event_id}: that route would read "12.ics" as a (bad) event number.
@router.get("/events/{event_id}.ics")
def event_calendar(request: Request, session: SessionDep, actor: PageActor, event_id: RecordPath) -> Response:
    event = service.get_event(session, actor=actor, event_id=event_id)
    # The link back to the event is built from the configured address, as every link PUX hands out is:
    # built from the request, it named whatever host the request's Host header claimed.
    base_url = request.app.state.settings.base_url.rstrip("/")
    body = calendar.event_calendar(service.calendar_event(event, base_url=base_url))
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="pux-event-{event.id}.ics"'},
    )


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, session: SessionDep, actor: PageActor, event_id: RecordPath) -> HTMLResponse:
    return _event_page(request, session, actor, event_id)


def _event_page(
    request: Request,
    session: Session,
    actor: Actor,
    event_id: int,
    *,
    refused: str = "",
    values: dict[str, Any] | None = None,
    failed: ValidationFailed | None = None,
) -> HTMLResponse:
    """The event's page; ``refused`` names the form (agenda, target) shown again with its problems."""
    event = service.get_event(session, actor=actor, event_id=event_id)
    runs = service.may_run(actor)
    return render(
        request,
        "dialogues/event.html",
        {
            **_labels(),
            **_event_context(session, event),
            "runs": runs,
            "balance": service.balance_of(session, event) if runs else None,
            "category_label": _category_label(session),
            "participation": service.public_participation(session, event),
            "mine": service.my_participation(session, actor=actor, event_id=event.id),
            "may_register": service.may_register(session, actor, event),
            "may_nominate": service.may_nominate(actor),
            "outcome": service.outcome_of(session, event),
            "recommendations": service.recommendations(session, actor=actor, event_id=event.id),
            "resulting": service.resulting_needs(session, actor=actor, event=event),
            "actions": service.actions_of_event(session, actor=actor, event_id=event.id) if runs else [],
            "target_categories": service.target_categories(session) if runs else {},
            "dimensions": v.DIMENSIONS,
            "refused": refused,
            "values": values or {},
            **(problems_context(failed) if failed else NO_PROBLEMS),
        },
        422 if failed else 200,
    )


def _event_context(session: Session, event: DialogueEvent) -> dict[str, Any]:
    areas = {a.code: a for a in reference.list_thematic_areas(session)}
    techniques = {t.code: t for t in reference.list_techniques(session)}
    countries = {c.iso3: c for c in reference.list_selectable_countries(session)}
    return {
        "event": event,
        "event_areas": [areas[c] for c in event.thematic_area_codes if c in areas],
        "event_techniques": [techniques[c] for c in event.technique_codes if c in techniques],
        "focus_countries": [countries[c] for c in event.focus_country_codes if c in countries],
        "goals": {g.code: g for g in reference.list_goals(session)},
        "area_by_code": areas,
    }


@router.post("/events/{event_id}/sessions", dependencies=[CsrfChecked])
def add_session(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, event_id: RecordPath
) -> Response:
    values = form_data(form)
    try:
        service.add_session(session, actor=actor, event_id=event_id, data=parse(SessionFields, values))
    except ValidationFailed as failed:
        return _event_page(request, session, actor, event_id, refused="agenda", values=values, failed=failed)
    flash(request, _("The agenda item was added."))
    return RedirectResponse(f"/events/{event_id}#agenda", status_code=303)


@router.post("/events/{event_id}/sessions/{session_id}/delete", dependencies=[CsrfChecked])
def remove_session(
    request: Request, session: SessionDep, actor: PageActor, event_id: RecordPath, session_id: RecordPath
) -> Response:
    service.remove_session(session, actor=actor, event_id=event_id, session_id=session_id)
    flash(request, _("The agenda item was removed."))
    return RedirectResponse(f"/events/{event_id}#agenda", status_code=303)


@router.post("/events/{event_id}/targets", dependencies=[CsrfChecked])
def add_target(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, event_id: RecordPath
) -> Response:
    values = form_data(form)
    try:
        service.add_target(session, actor=actor, event_id=event_id, data=parse(TargetFields, values))
    except ValidationFailed as failed:
        return _event_page(request, session, actor, event_id, refused="target", values=values, failed=failed)
    flash(request, _("The target was saved."))
    return RedirectResponse(f"/events/{event_id}#balance", status_code=303)


@router.post("/events/{event_id}/targets/{target_id}/delete", dependencies=[CsrfChecked])
def remove_target(
    request: Request, session: SessionDep, actor: PageActor, event_id: RecordPath, target_id: RecordPath
) -> Response:
    service.remove_target(session, actor=actor, event_id=event_id, target_id=target_id)
    flash(request, _("The target was removed."))
    return RedirectResponse(f"/events/{event_id}#balance", status_code=303)


# --- Participants -------------------------------------------------------------------------------------


def _participants_page(
    request: Request,
    session: Session,
    actor: Actor,
    event_id: int,
    values: dict[str, Any] | None = None,
    failed: ValidationFailed | None = None,
    status_code: int = 422,
) -> HTMLResponse:
    event = service.get_event(session, actor=actor, event_id=event_id)
    runs = service.may_run(actor)
    nominable = service.nominable_countries(actor)
    service.require_may_see_list(actor)
    people = service.participants(session, actor=actor, event_id=event.id)
    return render(
        request,
        "dialogues/participants.html",
        {
            **_labels(),
            "event": event,
            "runs": runs,
            "people": people,
            "moves": {p.id: service.participant_moves(session, actor, p) for p in people},
            "balance": service.balance_of(session, event) if runs else None,
            "category_label": _category_label(session),
            "may_add": runs or bool(nominable),
            "nominable": nominable,
            "organisations": accounts.organisation_names(session),
            # A focal point is offered only the countries whose people they may put on the list.
            "countries": [
                c
                for c in reference.list_selectable_countries(session)
                if nominable is None or c.iso3 in nominable
            ],
            "stakeholder_types": ORGANISATION_TYPES,
            "values": values or {},
            # "capacity": the event is full (the form has no box for it).
            **(problems_context(failed, whole_form=("capacity",)) if failed else NO_PROBLEMS),
        },
        status_code if failed else 200,
    )


@router.get("/events/{event_id}/participants", response_class=HTMLResponse)
def participants_page(
    request: Request, session: SessionDep, actor: PageActor, event_id: RecordPath
) -> Response:
    if (redirect := sign_in_first(actor, f"/events/{event_id}/participants")) is not None:
        return redirect
    return _participants_page(request, session, actor, event_id)


@router.post("/events/{event_id}/participants", dependencies=[CsrfChecked])
def add_participant(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, event_id: RecordPath
) -> Response:
    values = form_data(form)
    try:
        data = parsed_with_organisations(
            session, values, ("organisation_id",), lambda: parse(ParticipantFields, values)
        )
        person = service.add_participant(session, actor=actor, event_id=event_id, data=data)
    except ValidationFailed as failed:
        return _participants_page(request, session, actor, event_id, values, failed)
    except PermissionDenied as refused:
        # A focal point naming a person of another country (chosen, or their organisation's): the form
        # again with what was typed, the refusal beside the country (still 403: nothing was allowed).
        # Whoever may not nominate at all is refused without the form.
        if not service.may_nominate(actor):
            raise
        beside_country = ValidationFailed([FieldProblem("country_iso3", str(refused))])
        return _participants_page(request, session, actor, event_id, values, beside_country, status_code=403)
    flash(request, _("%(name)s is on the list.") % {"name": person.full_name})
    return RedirectResponse(f"/events/{event_id}/participants", status_code=303)


@router.post("/participants/{participant_id}/moves", dependencies=[CsrfChecked])
def move_participant(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, participant_id: RecordPath
) -> Response:
    move = parse(ParticipantMove, form_data(form))
    person = service.move_participant(
        session,
        actor=actor,
        participant_id=participant_id,
        target=move.target,
        version=move.version,
        comment=move.comment,
    )
    flash(
        request,
        _("%(name)s: %(status)s.")
        % {"name": person.full_name, "status": v.participant_status_label(person.status)},
    )
    back = str(form.get("back") or "")
    target = back if back.startswith("/events/") else f"/events/{person.event_id}/participants"
    return RedirectResponse(target, status_code=303)


# --- A participant's own page -----------------------------------------------------------------------


@router.get("/events/{event_id}/me", response_class=HTMLResponse)
def my_event_page(request: Request, session: SessionDep, actor: PageActor, event_id: RecordPath) -> Response:
    if (redirect := sign_in_first(actor, f"/events/{event_id}/me")) is not None:
        return redirect
    return _my_page(request, session, actor, event_id)


def _my_page(
    request: Request,
    session: Session,
    actor: Actor,
    event_id: int,
    values: dict[str, Any] | None = None,
    failed: ValidationFailed | None = None,
) -> HTMLResponse:
    event = service.get_event(session, actor=actor, event_id=event_id)
    mine = service.my_participation(session, actor=actor, event_id=event.id)
    return render(
        request,
        "dialogues/me.html",
        {
            **_labels(),
            **_event_context(session, event),
            "mine": mine,
            "may_withdraw_application": service.may_withdraw_application,
            "moves": service.participant_moves(session, actor, mine) if mine else [],
            "may_register": service.may_register(session, actor, event),
            "registration_open": service.registration_open(event),
            "registered_self": service.registered_self(mine) if mine else False,
            "values": values or {},
            **(problems_context(failed) if failed else NO_PROBLEMS),
        },
        422 if failed else 200,
    )


@router.post("/events/{event_id}/register", dependencies=[CsrfChecked])
def register_self(request: Request, session: SessionDep, actor: PageActor, event_id: RecordPath) -> Response:
    if (redirect := sign_in_first(actor, f"/events/{event_id}/me")) is not None:
        return redirect
    try:
        service.register_self(session, actor=actor, event_id=event_id)
    except ValidationFailed as failed:
        return _my_page(request, session, actor, event_id, failed=failed)
    flash(request, _("You are registered. This commits you to nothing; you can withdraw at any time."))
    return RedirectResponse(f"/events/{event_id}/me", status_code=303)


@router.post("/participants/{participant_id}/travel", dependencies=[CsrfChecked])
def apply_for_travel(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, participant_id: RecordPath
) -> Response:
    values = form_data(form)
    person = service.get_participant(session, actor=actor, participant_id=participant_id)
    own = person.user_id is not None and person.user_id == actor.user_id
    try:
        service.apply_for_travel(
            session, actor=actor, participant_id=person.id, data=parse(TravelApplicationFields, values)
        )
    except ValidationFailed as failed:
        if own:
            return _my_page(request, session, actor, person.event_id, values, failed)
        # A facilitator applying for someone: their form is on the travel page, not on a page of their own.
        kept = {**values, "participant_id": str(person.id)}
        return _travel_page(
            request, session, actor, person.event_id, refused="apply", values=kept, failed=failed
        )
    flash(
        request,
        _("Your application for travel support was received.") if own else _("The application was received."),
    )
    return RedirectResponse(f"/events/{person.event_id}/{'me' if own else 'travel'}", status_code=303)


@router.post("/events/{event_id}/travel/applications", dependencies=[CsrfChecked])
def apply_for_participant(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, event_id: RecordPath
) -> Response:
    """A facilitator applies for a participant who has no account (the form on the travel page)."""
    values = form_data(form)
    try:
        problems = _participant_choice_problems(values.get("participant_id"))
        try:
            data = parse(TravelApplicationFields, values)
        except ValidationFailed as failed:
            raise ValidationFailed(problems + list(failed.problems)) from failed
        if problems:
            raise ValidationFailed(problems)
        service.apply_for_participant(
            session, actor=actor, event_id=event_id, participant_id=int(values["participant_id"]), data=data
        )
    except ValidationFailed as failed:
        return _travel_page(request, session, actor, event_id, refused="apply", values=values, failed=failed)
    flash(request, _("The application was received."))
    return RedirectResponse(f"/events/{event_id}/travel", status_code=303)


def _participant_choice_problems(chosen: object) -> list[FieldProblem]:
    text = str(chosen or "").strip()
    if text.isdigit() and 0 < int(text) < 2**31:
        return []
    return [FieldProblem("participant_id", _("choose a person on this event's list"))]


@router.post("/travel/applications/{application_id}", dependencies=[CsrfChecked])
def update_application(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, application_id: RecordPath
) -> Response:
    """The applicant changes their application until the fund has decided on it."""
    values = form_data(form)
    application = service.get_application(session, actor=actor, application_id=application_id)
    event_id = application.participant.event_id
    try:
        service.update_application(
            session, actor=actor, application_id=application_id, data=parse(TravelApplicationUpdate, values)
        )
    except ValidationFailed as failed:
        return _my_page(request, session, actor, event_id, values, failed)
    except StaleEdit:
        session.expire_all()
        current = service.get_application(session, actor=actor, application_id=application_id)
        kept = {**values, "version": str(current.version)}
        stale = saved_first(
            _(
                "The application changed after you opened the page. What you typed is kept below: check it "
                "and save again."
            )
        )
        return _my_page(request, session, actor, event_id, kept, stale)
    flash(request, _("Your application was changed."))
    return RedirectResponse(f"/events/{event_id}/me", status_code=303)


@router.post("/travel/applications/{application_id}/withdraw", dependencies=[CsrfChecked])
def withdraw_application(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, application_id: RecordPath
) -> Response:
    """The applicant withdraws their application (and so gives back any award) while nothing was paid."""
    version = parse(VersionOnly, form_data(form)).version
    application = service.withdraw_own_application(
        session, actor=actor, application_id=application_id, version=version
    )
    flash(request, _("Your application was withdrawn; any award on it is cancelled."))
    own = application.participant.user_id == actor.user_id
    return RedirectResponse(
        f"/events/{application.participant.event_id}/{'me' if own else 'travel'}", status_code=303
    )


# --- Travel fund ------------------------------------------------------------------------------------


@router.get("/events/{event_id}/travel", response_class=HTMLResponse)
def travel_page(request: Request, session: SessionDep, actor: PageActor, event_id: RecordPath) -> Response:
    if (redirect := sign_in_first(actor, f"/events/{event_id}/travel")) is not None:
        return redirect
    return _travel_page(request, session, actor, event_id)


def _travel_page(
    request: Request,
    session: Session,
    actor: Actor,
    event_id: int,
    *,
    refused: str = "",
    values: dict[str, Any] | None = None,
    failed: ValidationFailed | None = None,
    status_code: int = 422,
) -> HTMLResponse:
    """The travel fund's page; ``refused`` names the form shown again with what was typed and its problems
    (``override-<application>``: a decision on an application; ``payment-<grant>``: a payment)."""
    event = service.get_event_to_run(session, actor=actor, event_id=event_id)
    lines = service.travel_applications(session, actor=actor, event_id=event.id)
    run = service.latest_fund_run(session, actor=actor, event_id=event.id)
    return render(
        request,
        "dialogues/travel.html",
        {
            **_labels(),
            "event": event,
            "lines": lines,
            "run": run,
            "explain": service.explain_grant,
            "explain_constraint": service.explain_constraint,
            "awarded_total": sum((line.grant.amount for line in lines if line.grant), start=0),
            "reconciliation": service.reconciliation(session, actor=actor, event_id=event.id),
            "started": service.has_begun(event),
            "priority_area": next(
                (
                    a
                    for a in reference.list_thematic_areas(session)
                    if a.code == service.fund_priority_area(session, event)
                ),
                None,
            ),
            "candidates": service.travel_candidates(session, event),
            "refused": refused if failed else "",
            "values": values or {},
            **(problems_context(failed, whole_form=("version",)) if failed else NO_PROBLEMS),
        },
        status_code if failed else 200,
    )


@router.post("/events/{event_id}/travel/allocate", dependencies=[CsrfChecked])
def allocate_fund(request: Request, session: SessionDep, actor: PageActor, event_id: RecordPath) -> Response:
    run = service.run_fund(session, actor=actor, event_id=event_id)
    if run.status == "infeasible":
        flash(request, _("The targets cannot all be kept with these applicants: nothing was awarded."))
    else:
        flash(request, _("The travel fund was allocated."))
    return RedirectResponse(f"/events/{event_id}/travel", status_code=303)


@router.post("/travel/applications/{application_id}/override", dependencies=[CsrfChecked])
def override_grant(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, application_id: RecordPath
) -> Response:
    values = form_data(form)
    try:
        grant = service.override_grant(
            session, actor=actor, application_id=application_id, data=parse(GrantOverride, values)
        )
    except (ValidationFailed, StaleEdit) as refusal:
        # Refused (or not found) before the form is shown again to who may not decide on travel support.
        event_id = service.event_of_application(session, actor=actor, application_id=application_id)
        service.require_may_run(actor)
        refused = f"override-{application_id}"
        if isinstance(refusal, ValidationFailed):
            return _travel_page(
                request, session, actor, event_id, refused=refused, values=values, failed=refusal
            )
        session.expire_all()  # the decision as the other person saved it
        current = service.current_grant_version(session, actor=actor, application_id=application_id)
        kept = {**values, "version": current}
        failed = saved_first(
            _(
                "The decision on this application changed after you opened the page (it is now at version "
                "%(version)s); the award shown is the current one. What you wrote is kept below: compare "
                "it with the award, then record your decision again."
            )
            % {"version": current}
        )
        return _travel_page(
            request, session, actor, event_id, refused=refused, values=kept, failed=failed, status_code=409
        )
    flash(request, _("Your decision was recorded with its reason."))
    return RedirectResponse(f"/events/{grant.application.participant.event_id}/travel", status_code=303)


@router.post("/travel/grants/{grant_id}/disbursements", dependencies=[CsrfChecked])
def record_disbursement(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, grant_id: RecordPath
) -> Response:
    values = form_data(form)
    try:
        payment = service.record_disbursement(
            session, actor=actor, grant_id=grant_id, data=parse(DisbursementFields, values)
        )
    except ValidationFailed as failed:
        # Refused (as not found) before the form is shown again to who may not record payments.
        event_id = service.event_id_of_grant(session, actor=actor, grant_id=grant_id)
        refused = f"payment-{grant_id}"
        return _travel_page(request, session, actor, event_id, refused=refused, values=values, failed=failed)
    flash(request, _("The payment was recorded."))
    event_id = service.event_id_of_grant(session, actor=actor, grant_id=payment.grant_id)
    return RedirectResponse(f"/events/{event_id}/travel#reconciliation", status_code=303)


# --- Outcomes, recommendations, concept notes ---------------------------------------------------------


@router.get("/events/{event_id}/outcomes", response_class=HTMLResponse)
def outcomes_page(request: Request, session: SessionDep, actor: PageActor, event_id: RecordPath) -> Response:
    if (redirect := sign_in_first(actor, f"/events/{event_id}/outcomes")) is not None:
        return redirect
    return _outcomes_page(request, session, actor, event_id)


def _outcomes_page(
    request: Request,
    session: Session,
    actor: Actor,
    event_id: int,
    values: dict[str, Any] | None = None,
    failed: ValidationFailed | None = None,
    suggested: list[str] | None = None,
    refused: str = "outcome",
    status_code: int = 422,
) -> HTMLResponse:
    event = service.get_event_to_run(session, actor=actor, event_id=event_id)
    outcome = service.outcome_of(session, event)
    if (values is None or refused != "outcome") and outcome is not None:
        values_of_outcome = {name: getattr(outcome, name) for name in OutcomeFields.model_fields}
    else:
        values_of_outcome = None
    return render(
        request,
        "dialogues/outcomes.html",
        {
            **_labels(),
            **_event_context(session, event),
            "outcome": outcome,
            "values": values_of_outcome or (values if refused == "outcome" else None) or {"language": "en"},
            "suggested": suggested,
            "refused": refused if failed else "",
            "other_values": values if failed and refused != "outcome" else {},
            "goal_options": [(g.code, f"{g.code}. {g.label()}") for g in reference.list_goals(session)],
            "recommendations": service.recommendations(session, actor=actor, event_id=event.id),
            "techniques": reference.list_techniques(session),
            "countries": reference.list_selectable_countries(session),
            "organisations": accounts.organisation_names(session),
            "actions": service.actions_of_event(session, actor=actor, event_id=event.id),
            **(problems_context(failed, whole_form=("version",)) if failed else NO_PROBLEMS),
        },
        status_code if failed else 200,
    )


@router.post("/events/{event_id}/outcome", dependencies=[CsrfChecked])
def save_outcome(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, event_id: RecordPath
) -> Response:
    values = form_data(form, lists=("thematic_area_codes", "technique_codes", "sdg_goal_codes"))
    if form.get("suggest_sdgs"):
        text = f"{values.get('summary', '')}\n{values.get('challenges', '')}"
        suggested = service.suggested_goals(text, values.get("language"))
        values["sdg_goal_codes"] = sorted(set(values["sdg_goal_codes"]) | set(suggested), key=int)
        return _outcomes_page(request, session, actor, event_id, values, suggested=suggested)
    try:
        service.save_outcome(session, actor=actor, event_id=event_id, data=parse(OutcomeFields, values))
    except ValidationFailed as failed:
        return _outcomes_page(request, session, actor, event_id, values, failed)
    except StaleEdit:
        session.expire_all()  # the outcome as the other person saved it
        event = service.get_event_to_run(session, actor=actor, event_id=event_id)
        current = outcome.version if (outcome := service.outcome_of(session, event)) else 0
        kept = {**values, "version": current}
        stale = saved_first(
            _(
                "Someone else saved this outcome after you opened it (it is now at version %(version)s). "
                "What you wrote is kept below: compare it with the outcome as it is now, then save again."
            )
            % {"version": current}
        )
        return _outcomes_page(request, session, actor, event_id, kept, stale, status_code=409)
    flash(request, _("The outcome was saved."))
    return RedirectResponse(f"/events/{event_id}/outcomes", status_code=303)


@router.post("/events/{event_id}/recommendations", dependencies=[CsrfChecked])
def add_recommendation(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, event_id: RecordPath
) -> Response:
    values = form_data(form, lists=("technique_codes", "sdg_goal_codes"))
    try:
        service.add_recommendation(
            session, actor=actor, event_id=event_id, data=parse(RecommendationFields, values)
        )
    except ValidationFailed as failed:
        return _outcomes_page(request, session, actor, event_id, values, failed, refused="recommendation")
    flash(request, _("The recommendation was added."))
    return RedirectResponse(f"/events/{event_id}/outcomes#recommendations", status_code=303)


@router.post("/recommendations/{recommendation_id}/concept-notes", dependencies=[CsrfChecked])
def create_concept_note(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, recommendation_id: RecordPath
) -> Response:
    values = form_data(form, lists=("technique_codes",))
    try:
        data = parsed_with_organisations(
            session, values, ("counterpart_organisation_id",), lambda: parse(ConceptNoteCreate, values)
        )
        note = service.create_concept_note(
            session, actor=actor, recommendation_id=recommendation_id, data=data
        )
    except ValidationFailed as failed:
        event_id = service.event_of_recommendation(session, actor=actor, recommendation_id=recommendation_id)
        refused = f"recommendation-{recommendation_id}"
        return _outcomes_page(request, session, actor, event_id, values, failed, refused=refused)
    flash(request, _("The concept note was created; the country's counterpart can now refine it."))
    return RedirectResponse(f"/concept-notes/{note.id}", status_code=303)


@router.get("/concept-notes", response_class=HTMLResponse)
def concept_note_list(request: Request, session: SessionDep, actor: PageActor) -> Response:
    if (redirect := sign_in_first(actor, "/concept-notes")) is not None:
        return redirect
    return render(
        request,
        "dialogues/concept_notes.html",
        {**_labels(), "notes": service.concept_notes_for(session, actor=actor)},
    )


def _concept_page(
    request: Request,
    session: Session,
    actor: Actor,
    note_id: int,
    values: dict[str, Any] | None = None,
    failed: ValidationFailed | None = None,
    status_code: int = 422,
) -> HTMLResponse:
    note = service.get_concept_note(session, actor=actor, note_id=note_id)
    if values is None:
        values = {name: getattr(note, name) for name in ConceptNoteUpdate.model_fields}
    return render(
        request,
        "dialogues/concept_note.html",
        {
            **_labels(),
            "note": note,
            "event": service.source_event(session, actor=actor, note=note),
            "values": values,
            "gaps": service.concept_note_gaps(note),
            "areas": reference.list_thematic_areas(session),
            "techniques": reference.list_techniques(session),
            "organisations": accounts.organisation_names(session),
            **(problems_context(failed, whole_form=("version",)) if failed else NO_PROBLEMS),
        },
        status_code if failed else 200,
    )


@router.get("/concept-notes/{note_id}", response_class=HTMLResponse)
def concept_note_page(
    request: Request, session: SessionDep, actor: PageActor, note_id: RecordPath
) -> Response:
    if (redirect := sign_in_first(actor, f"/concept-notes/{note_id}")) is not None:
        return redirect
    return _concept_page(request, session, actor, note_id)


@router.post("/concept-notes/{note_id}", dependencies=[CsrfChecked])
def update_concept_note(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, note_id: RecordPath
) -> Response:
    values = form_data(form, lists=("technique_codes",))
    try:
        data = parsed_with_organisations(
            session, values, ("counterpart_organisation_id",), lambda: parse(ConceptNoteUpdate, values)
        )
        service.update_concept_note(session, actor=actor, note_id=note_id, data=data)
    except ValidationFailed as failed:
        return _concept_page(request, session, actor, note_id, values, failed)
    except StaleEdit:
        session.expire_all()  # the note as the other person saved it
        current = service.get_concept_note(session, actor=actor, note_id=note_id).version
        kept = {**values, "version": current}
        stale = saved_first(
            _(
                "Someone else saved this concept note after you opened it (it is now at version "
                "%(version)s). What you wrote is kept below: compare it with the concept note as it is now, "
                "then save again."
            )
            % {"version": current}
        )
        return _concept_page(request, session, actor, note_id, kept, stale, status_code=409)
    flash(request, _("The concept note was saved."))
    return RedirectResponse(f"/concept-notes/{note_id}", status_code=303)


@router.post("/concept-notes/{note_id}/convert", dependencies=[CsrfChecked])
def convert_concept_note(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, note_id: RecordPath
) -> Response:
    version = parse(VersionOnly, form_data(form)).version
    need = service.convert_concept_note(session, actor=actor, note_id=note_id, version=version)
    flash(
        request,
        _("Draft need %(reference)s was created from the concept note. Submit it when it is ready.")
        % {"reference": need.reference},
    )
    return RedirectResponse(f"/needs/{need.id}", status_code=303)


# --- Actions ------------------------------------------------------------------------------------------


@router.post("/events/{event_id}/actions", dependencies=[CsrfChecked])
def create_action(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, event_id: RecordPath
) -> Response:
    values = form_data(form)
    try:
        data = parsed_with_organisations(
            session, values, ("owner_organisation_id",), lambda: parse(ActionFields, values)
        )
        service.create_action(session, actor=actor, event_id=event_id, data=data)
    except ValidationFailed as failed:
        return _outcomes_page(request, session, actor, event_id, values, failed, refused="action")
    flash(request, _("The action was added."))
    return RedirectResponse(f"/events/{event_id}/outcomes#actions", status_code=303)


@router.post("/actions/{action_id}/progress", dependencies=[CsrfChecked])
def progress_action(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    form: FormDep,
    action_id: RecordPath,
    page: PageNumber,
    filters: ActionFilters,
) -> Response:
    """Progress reported from the list of actions; the form's address carries the list's filters and page,
    so a refused report comes back on the same list, with what was typed."""
    values = form_data(form)
    try:
        service.progress_action(session, actor=actor, action_id=action_id, data=parse(ActionProgress, values))
    except (ValidationFailed, StaleEdit) as refusal:
        # Refused (or not found) before the form is shown again to who may not report on the action.
        service.get_action_to_update(session, actor=actor, action_id=action_id)
        if isinstance(refusal, ValidationFailed):
            return _action_list(request, session, actor, page, filters, action_id, values, refusal)
        session.expire_all()  # the action as the other person saved it
        current = service.get_action_to_update(session, actor=actor, action_id=action_id).version
        kept = {**values, "version": current}
        failed = saved_first(
            _(
                "Someone else reported on this action after you opened the page (it is now at version "
                "%(version)s). What you wrote is kept below: compare it with the action as it is now, then "
                "save again."
            )
            % {"version": current}
        )
        return _action_list(request, session, actor, page, filters, action_id, kept, failed, 409)
    flash(request, _("The progress was recorded."))
    back = str(form.get("back") or "")
    return RedirectResponse(
        back if back.startswith(("/actions", "/events/")) else "/actions", status_code=303
    )


@router.get("/actions", response_class=HTMLResponse)
def action_list(
    request: Request, session: SessionDep, actor: PageActor, page: PageNumber, filters: ActionFilters
) -> Response:
    if (redirect := sign_in_first(actor, "/actions")) is not None:
        return redirect
    return _action_list(request, session, actor, page, filters)


def _action_list(
    request: Request,
    session: Session,
    actor: Actor,
    page: PageRequest,
    filters: ActionFilter,
    refused: int | None = None,
    values: dict[str, Any] | None = None,
    failed: ValidationFailed | None = None,
    status_code: int = 422,
) -> HTMLResponse:
    """The list of follow-up actions; ``refused``: the action whose progress report is shown again with
    what was typed and its problems."""
    today = date.today()
    results = service.list_actions(session, actor=actor, filters=filters, page=page)
    return render(
        request,
        "dialogues/actions.html",
        {
            **_labels(),
            **listing(results, request),
            "statuses": v.ACTION_STATUSES,
            "may_update": {a.id: service.may_update_action(actor, a) for a in results.items},
            "overdue_total": service.list_actions(
                session, actor=actor, filters=ActionFilter(overdue_on=today), page=PageRequest(1, 1)
            ).total,
            "refused": refused if failed else None,
            "values": values or {},
            **(problems_context(failed, whole_form=("version",)) if failed else NO_PROBLEMS),
        },
        status_code if failed else 200,
    )


# --- Statistics ---------------------------------------------------------------------------------------


def _day(text: str | None, field: str) -> date | None:
    """A date of the statistics form: blank (a cleared date field) is no limit, not an error."""
    if not text or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError as error:
        raise ValidationFailed([FieldProblem(field, _("must be a date (YYYY-MM-DD)"))]) from error


@router.get("/events-statistics", response_class=HTMLResponse)
def statistics_page(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    start: Annotated[str | None, Query(alias="from", max_length=20)] = None,
    end: Annotated[str | None, Query(alias="to", max_length=20)] = None,
    by: Annotated[str, Query(pattern="^(country|region|stakeholder_type)$")] = "country",
) -> HTMLResponse:
    first, last = _day(start, "from"), _day(end, "to")
    if can_run_events(actor):
        period = statistics.period(first, last)
    else:
        # Overlapping periods would let the public subtract one table from another.
        problems = statistics.public_period_problems(first, last)
        if problems:
            raise ValidationFailed([FieldProblem(name, message) for name, message in problems])
        period = statistics.public_period(first, last)
    report = statistics.dialogue_statistics(session, actor=actor, period=period, by=by)
    countries = {c.iso3: c.name() for c in reference.list_selectable_countries(session)}
    category_label = _category_label(session)

    def group_label(key: str) -> str:
        if by == "country":
            return countries.get(key) or str(v.category_label(v.GENDER, key))
        return str(category_label(v.REGION if by == "region" else v.STAKEHOLDER_TYPE, key))

    return render(
        request,
        "dialogues/statistics.html",
        {
            **_labels(),
            "report": report,
            "period": period,
            "by": by,
            "chart": statistics.events_chart_svg(report, label=group_label),
            "group_label": group_label,
            "groupings": statistics.GROUPINGS,
            "smallest_group": statistics.SMALLEST_GROUP_SHOWN,
            "gender_hidden_note": statistics.gender_hidden_note,
            "whole_years_only": not can_run_events(actor),
        },
    )
