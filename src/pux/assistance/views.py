"""HTML pages of current assistance (who does what where)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from pux.accounts import service as accounts
from pux.accounts.permissions import Actor, PermissionDenied
from pux.assistance import service
from pux.assistance.models import ACTIVITY_STATUSES
from pux.assistance.schemas import ActivityCreate, ActivityUpdate
from pux.errors import WHOLE_FORM, FieldProblem, StaleEdit, ValidationFailed
from pux.i18n import get_language
from pux.i18n import gettext as _
from pux.interop.iati import service as iati
from pux.reference import service as reference
from pux.web.deps import FormDep, SessionDep
from pux.web.filters import ActivityFilters, PageNumber
from pux.web.forms import (
    RecordPath,
    flash,
    form_data,
    listing,
    parsed_with_organisations,
    problems_context,
    saved_first,
)
from pux.web.routing import page_router
from pux.web.security import CsrfChecked, PageActor
from pux.web.templating import render

router = page_router()
LIST_FIELDS = ("dac_sector_codes", "sdg_codes")
# The box a person ticks to record an activity beside the one the same need and programme already have.
SEPARATE_FIELD = "separate_from_existing"


def _split(values: dict[str, Any]) -> dict[str, Any]:
    for key in LIST_FIELDS:
        joined = " ".join(values.get(key, []))
        values[key] = [code for code in joined.replace(",", " ").split() if code]
    return values


def _vocabularies(session: Session) -> dict[str, Any]:
    return {
        "areas": reference.list_thematic_areas(session),
        "techniques": reference.list_techniques(session),
        "countries": reference.country_choices(session),
        "organisations": accounts.organisation_names(session),
        "statuses": ACTIVITY_STATUSES,
    }


@router.get("/activities", response_class=HTMLResponse)
def activity_list(
    request: Request, session: SessionDep, actor: PageActor, filters: ActivityFilters, page: PageNumber
) -> HTMLResponse:
    results = service.list_activities(session, actor=actor, filters=filters, page=page)
    return render(
        request,
        "assistance/list.html",
        {
            **_vocabularies(session),
            **listing(results, request),
            "may_record": service.may_record(actor),
            "may_import_iati": service.may_import_iati(actor),
        },
    )


def _form(
    request: Request,
    session: Session,
    actor: Actor,
    activity: Any,
    values: dict[str, Any],
    failed: ValidationFailed | None = None,
    status_code: int = 200,
    extra: dict[str, Any] | None = None,
) -> HTMLResponse:
    shown = dict(values)
    for key in LIST_FIELDS:
        shown[key] = ", ".join(values.get(key) or [])
    return render(
        request,
        "assistance/form.html",
        {
            **_vocabularies(session),
            # Only the organisations the person acts for: choosing another was a refusal page that lost
            # the form.
            "organisations": service.provider_choices(session, actor),
            "activity": activity,
            "values": shown,
            **(problems_context(failed) if failed else {"errors": {}, "problems": []}),
            **(extra or {}),
        },
        status_code,
    )


def _refused_provider(
    request: Request,
    session: Session,
    actor: Actor,
    activity: Any,
    values: dict[str, Any],
    refused: PermissionDenied,
) -> HTMLResponse:
    """A provider the person does not act for (a forged form: they are offered only their own): the form
    again with what was typed and the refusal beside the Provider field (403: nothing was allowed); it was
    a bare refusal page that lost the form."""
    if not service.may_record(actor):
        raise refused  # not a matter of the provider: they may record nothing
    failed = ValidationFailed([FieldProblem("provider_organisation_id", str(refused))])
    return _form(request, session, actor, activity, values, failed, 403)


@router.get("/activities/new", response_class=HTMLResponse)
def new_activity(request: Request, session: SessionDep, actor: PageActor) -> Response:
    if not actor.is_authenticated:
        return RedirectResponse("/sign-in?next=/activities/new", status_code=303)
    service.require_may_record(actor)
    own = sorted(actor.organisations("partner", "programme_officer"))
    return _form(
        request,
        session,
        actor,
        None,
        {
            "provider_organisation_id": own[0] if own else "",
            "currency": "USD",
            "status": "implementation",
            "visibility": "public",
        },
    )


def _existing_form(
    request: Request,
    session: Session,
    actor: Actor,
    values: dict[str, Any],
    found: service.ExistingActivityFound,
) -> HTMLResponse:
    """The need and programme already have an activity (most often the pipeline one recorded when both
    sides accepted a proposal): the form again as typed, saying which one, with a link to edit it and a box
    to confirm this one is separate (saved without a word, it counted the same money twice)."""
    failed = ValidationFailed([FieldProblem(WHOLE_FORM, str(found))])
    existing = {"existing": found.existing, "may_edit_existing": service.may_edit(actor, found.existing)}
    return _form(request, session, actor, None, values, failed, 409, existing)


@router.post("/activities", dependencies=[CsrfChecked])
def create_activity(request: Request, session: SessionDep, actor: PageActor, form: FormDep) -> Response:
    values = _split(form_data(form, lists=LIST_FIELDS))
    confirmed_separate = values.pop(SEPARATE_FIELD, None) == "yes"
    try:
        data = parsed_with_organisations(
            session,
            values,
            ("provider_organisation_id",),
            lambda: service.parse_activity_form(session, ActivityCreate, values, actor=actor),
        )
        activity = service.record_activity(
            session, actor=actor, data=data, ask_before_another=not confirmed_separate
        )
    except ValidationFailed as failed:
        return _form(request, session, actor, None, values, failed, 422)
    except PermissionDenied as not_theirs:
        return _refused_provider(request, session, actor, None, values, not_theirs)
    except service.ExistingActivityFound as found:
        return _existing_form(request, session, actor, values, found)
    flash(request, _("The activity was recorded."))
    return RedirectResponse(f"/activities/{activity.id}", status_code=303)


@router.get("/activities/{activity_id}", response_class=HTMLResponse)
def activity_page(
    request: Request, session: SessionDep, actor: PageActor, activity_id: RecordPath
) -> HTMLResponse:
    activity = service.get_activity(session, actor=actor, activity_id=activity_id)
    history = service.activity_history(session, actor=actor, activity_id=activity_id)
    return render(
        request,
        "assistance/detail.html",
        {
            **_vocabularies(session),
            "activity": activity,
            "title": iati.title_for_reader(session, activity, get_language()),
            "links": service.links_seen_by(session, actor=actor, activities=[activity])[activity.id],
            "iati_source": service.iati_source_of(activity),
            "in_currencies": service.amounts_by_currency(session, activity),
            "sector_shares": service.dac_sector_shares(session, activity),
            "may_edit": service.may_edit(actor, activity),
            "history": history,
            "history_names": accounts.display_names(session, [event.actor for event in history]),
        },
    )


@router.get("/activities/{activity_id}/edit", response_class=HTMLResponse)
def edit_activity(
    request: Request, session: SessionDep, actor: PageActor, activity_id: RecordPath
) -> HTMLResponse:
    activity = service.get_activity_for_edit(session, actor=actor, activity_id=activity_id)
    values = service.form_values(session, actor=actor, activity=activity)
    return _form(request, session, actor, activity, values)


def _stale_form(
    request: Request, session: Session, actor: Actor, activity_id: int, values: dict[str, Any]
) -> HTMLResponse:
    """Someone saved the activity first: what this person wrote is shown again over the current version
    (their work was lost behind a bare 409 page), to compare with it and save again."""
    session.expire_all()  # the activity as the other person saved it
    current = service.get_activity_for_edit(session, actor=actor, activity_id=activity_id)
    message = _(
        "Someone else saved this activity after you opened it (it is now at version %(version)s). What "
        "you wrote is kept below: compare it with the activity as it is now, then save again."
    ) % {"version": current.version}
    failed = saved_first(message)
    return _form(request, session, actor, current, {**values, "version": current.version}, failed, 409)


@router.post("/activities/{activity_id}/edit", dependencies=[CsrfChecked])
def update_activity(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, activity_id: RecordPath
) -> Response:
    # Refused (or not found) before the form is checked: the form is never shown to who may not use it.
    activity = service.get_activity_for_edit(session, actor=actor, activity_id=activity_id)
    values = _split(form_data(form, lists=LIST_FIELDS))
    try:
        data = parsed_with_organisations(
            session,
            values,
            ("provider_organisation_id",),
            lambda: service.parse_activity_form(session, ActivityUpdate, values, actor=actor),
        )
        service.update_activity(session, actor=actor, activity_id=activity_id, data=data)
    except ValidationFailed as failed:
        return _form(request, session, actor, activity, values, failed, 422)
    except PermissionDenied as not_theirs:
        return _refused_provider(request, session, actor, activity, values, not_theirs)
    except StaleEdit:
        return _stale_form(request, session, actor, activity_id, values)
    flash(request, _("Your changes were saved."))
    return RedirectResponse(f"/activities/{activity_id}", status_code=303)
