"""HTML pages of current assistance (who does what where)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pux.accounts import service as accounts
from pux.assistance import service
from pux.assistance.models import ACTIVITY_STATUSES
from pux.assistance.repository import ActivityFilter
from pux.assistance.schemas import ActivityCreate, ActivityUpdate
from pux.errors import StaleEdit, ValidationFailed
from pux.pagination import PageRequest
from pux.reference import service as reference
from pux.reference.repository import CountryFilter
from pux.validation import parse
from pux.web.deps import SessionDep
from pux.web.forms import form_data, listing
from pux.web.security import CsrfChecked, PageActor
from pux.web.templating import render

router = APIRouter(include_in_schema=False)
LIST_FIELDS = ("dac_sector_codes", "sdg_codes")


def _split(values: dict[str, Any]) -> dict[str, Any]:
    for key in LIST_FIELDS:
        joined = " ".join(values.get(key, []))
        values[key] = [code for code in joined.replace(",", " ").split() if code]
    return values


def _vocabularies(session: SessionDep) -> dict[str, Any]:
    return {
        "areas": reference.list_thematic_areas(session),
        "techniques": reference.list_techniques(session),
        "countries": reference.list_countries(session, filters=CountryFilter()),
        "organisations": accounts.list_organisations(session),
        "statuses": ACTIVITY_STATUSES,
    }


@router.get("/activities", response_class=HTMLResponse)
def activity_list(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    country: str | None = None,
    provider: int | None = None,
    area: str | None = None,
    technique: str | None = None,
    status: str | None = None,
    q: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
) -> HTMLResponse:
    filters = ActivityFilter(
        country_iso3=country or None,
        provider_organisation_id=provider,
        thematic_area_code=area or None,
        technique_code=technique or None,
        status=status or None,
        text=q or None,
    )
    results = service.list_activities(session, actor=actor, filters=filters, page=PageRequest(number=page))
    return render(
        request,
        "assistance/list.html",
        {
            **_vocabularies(session),
            **listing(
                results,
                country=country,
                provider=provider,
                area=area,
                technique=technique,
                status=status,
                q=q,
            ),
        },
    )


def _form(
    request: Request,
    session: SessionDep,
    activity: Any,
    values: dict[str, Any],
    problems: list[Any],
    status_code: int = 200,
) -> HTMLResponse:
    shown = dict(values)
    for key in LIST_FIELDS:
        shown[key] = ", ".join(values.get(key) or [])
    return render(
        request,
        "assistance/form.html",
        {
            **_vocabularies(session),
            "activity": activity,
            "values": shown,
            "problems": problems,
            "errors": {p.field: p.message for p in problems},
        },
        status_code,
    )


@router.get("/activities/new", response_class=HTMLResponse)
def new_activity(request: Request, session: SessionDep, actor: PageActor) -> Response:
    if not actor.is_authenticated:
        return RedirectResponse("/sign-in?next=/activities/new", status_code=303)
    own = sorted(actor.organisations("partner", "programme_officer"))
    return _form(
        request,
        session,
        None,
        {
            "provider_organisation_id": own[0] if own else "",
            "currency": "USD",
            "status": "implementation",
            "visibility": "public",
        },
        [],
    )


@router.post("/activities", dependencies=[CsrfChecked])
async def create_activity(request: Request, session: SessionDep, actor: PageActor) -> Response:
    values = _split(form_data(await request.form(), lists=LIST_FIELDS))
    try:
        activity = service.record_activity(session, actor=actor, data=parse(ActivityCreate, values))
    except ValidationFailed as failed:
        return _form(request, session, None, values, failed.problems, 422)
    return RedirectResponse(f"/activities/{activity.id}", status_code=303)


@router.get("/activities/{activity_id}", response_class=HTMLResponse)
def activity_page(request: Request, session: SessionDep, actor: PageActor, activity_id: int) -> HTMLResponse:
    activity = service.get_activity(session, actor=actor, activity_id=activity_id)
    return render(
        request,
        "assistance/detail.html",
        {
            **_vocabularies(session),
            "activity": activity,
            "may_edit": service.may_edit(actor, activity),
            "history": (history := service.activity_history(session, actor=actor, activity_id=activity_id)),
            "history_names": accounts.display_names(session, [event.actor for event in history]),
        },
    )


@router.get("/activities/{activity_id}/edit", response_class=HTMLResponse)
def edit_activity(request: Request, session: SessionDep, actor: PageActor, activity_id: int) -> HTMLResponse:
    activity = service.get_activity(session, actor=actor, activity_id=activity_id)
    values = {name: getattr(activity, name) for name in ActivityUpdate.model_fields}
    return _form(request, session, activity, values, [])


@router.post("/activities/{activity_id}/edit", dependencies=[CsrfChecked])
async def update_activity(
    request: Request, session: SessionDep, actor: PageActor, activity_id: int
) -> Response:
    values = _split(form_data(await request.form(), lists=LIST_FIELDS))
    try:
        service.update_activity(
            session, actor=actor, activity_id=activity_id, data=parse(ActivityUpdate, values)
        )
    except ValidationFailed as failed:
        activity = service.get_activity(session, actor=actor, activity_id=activity_id)
        return _form(request, session, activity, values, failed.problems, 422)
    except StaleEdit as stale:
        return render(request, "error.html", {"status_code": 409, "message": str(stale)}, 409)
    return RedirectResponse(f"/activities/{activity_id}", status_code=303)
