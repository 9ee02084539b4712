"""HTML pages of partners' programmes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pux.accounts import service as accounts
from pux.errors import StaleEdit, ValidationFailed
from pux.i18n import LANGUAGE_AUTONYMS, LANGUAGES
from pux.matching import service as matching
from pux.pagination import PageRequest
from pux.programmes import service
from pux.programmes.repository import ProgrammeFilter
from pux.programmes.schemas import ELIGIBLE_GROUPS, PROGRAMME_STATUSES, ProgrammeCreate, ProgrammeUpdate
from pux.reference import service as reference
from pux.reference.repository import CountryFilter
from pux.reference.vocabulary import INCOME_GROUP_CODES, MODALITIES, income_group_label, modality_label
from pux.validation import parse
from pux.web.deps import SessionDep
from pux.web.forms import form_data, listing, split_codes
from pux.web.security import CsrfChecked, PageActor
from pux.web.templating import render

router = APIRouter(include_in_schema=False)
LIST_FIELDS = (
    "thematic_area_codes",
    "technique_codes",
    "eligible_country_codes",
    "eligible_region_codes",
    "eligible_income_groups",
    "eligible_groups",
    "working_languages",
)
FLAG_FIELDS = ("gender_focus",)


def _vocabularies(session: SessionDep) -> dict[str, Any]:
    return {
        "areas": reference.list_thematic_areas(session),
        "techniques": reference.list_techniques(session),
        "countries": reference.list_countries(session, filters=CountryFilter()),
        "regions": reference.list_regions(session),
        "organisations": accounts.list_organisations(session),
        "modalities": MODALITIES,
        "modality_label": modality_label,
        "income_groups": INCOME_GROUP_CODES,
        "income_group_label": income_group_label,
        "eligible_groups": ELIGIBLE_GROUPS,
        "language_options": [(code, LANGUAGE_AUTONYMS[code]) for code in LANGUAGES],
        "statuses": PROGRAMME_STATUSES,
    }


@router.get("/programmes", response_class=HTMLResponse)
def programme_list(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    organisation: int | None = None,
    area: str | None = None,
    technique: str | None = None,
    modality: str | None = None,
    q: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
) -> HTMLResponse:
    filters = ProgrammeFilter(
        organisation_id=organisation,
        thematic_area_code=area or None,
        technique_code=technique or None,
        modality=modality or None,
        text=q or None,
    )
    results = service.list_programmes(session, actor=actor, filters=filters, page=PageRequest(number=page))
    return render(
        request,
        "programmes/list.html",
        {
            **_vocabularies(session),
            **listing(
                results, organisation=organisation, area=area, technique=technique, modality=modality, q=q
            ),
        },
    )


def _form(
    request: Request,
    session: SessionDep,
    programme: Any,
    values: dict[str, Any],
    problems: list[Any],
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "programmes/form.html",
        {
            **_vocabularies(session),
            "programme": programme,
            "values": values,
            "problems": problems,
            "errors": {p.field: p.message for p in problems},
        },
        status_code,
    )


def _values(programme: Any) -> dict[str, Any]:
    return {name: getattr(programme, name) for name in ProgrammeUpdate.model_fields}


@router.get("/programmes/new", response_class=HTMLResponse)
def new_programme(request: Request, session: SessionDep, actor: PageActor) -> Response:
    if not actor.is_authenticated:
        return RedirectResponse("/sign-in?next=/programmes/new", status_code=303)
    own = sorted(actor.organisations("partner", "programme_officer"))
    return _form(
        request,
        session,
        None,
        {"organisation_id": own[0] if own else "", "currency": "USD", "visibility": "public"},
        [],
    )


@router.post("/programmes", dependencies=[CsrfChecked])
async def create_programme(request: Request, session: SessionDep, actor: PageActor) -> Response:
    values = form_data(await request.form(), lists=LIST_FIELDS, flags=FLAG_FIELDS)
    values["sdg_target_codes"] = split_codes(values.get("sdg_target_codes"))
    try:
        programme = service.create_programme(session, actor=actor, data=parse(ProgrammeCreate, values))
    except ValidationFailed as failed:
        return _form(request, session, None, values, failed.problems, 422)
    return RedirectResponse(f"/programmes/{programme.id}", status_code=303)


@router.get("/programmes/{programme_id}", response_class=HTMLResponse)
def programme_page(
    request: Request, session: SessionDep, actor: PageActor, programme_id: int
) -> HTMLResponse:
    programme = service.get_programme(session, actor=actor, programme_id=programme_id)
    return render(
        request,
        "programmes/detail.html",
        {
            **_vocabularies(session),
            "programme": programme,
            "may_manage": service.may_manage(actor, programme),
            "moves": service.STATUS_MOVES.get(programme.status, ()),
            "history": (
                history := service.programme_history(session, actor=actor, programme_id=programme_id)
            ),
            "history_names": accounts.display_names(session, [event.actor for event in history]),
            "suggestions": matching.needs_for_programme(session, actor=actor, programme_id=programme_id, k=10)
            if programme.status == "published"
            else [],
        },
    )


@router.get("/programmes/{programme_id}/edit", response_class=HTMLResponse)
def edit_programme(
    request: Request, session: SessionDep, actor: PageActor, programme_id: int
) -> HTMLResponse:
    programme = service.get_programme(session, actor=actor, programme_id=programme_id)
    return _form(request, session, programme, _values(programme), [])


@router.post("/programmes/{programme_id}/edit", dependencies=[CsrfChecked])
async def update_programme(
    request: Request, session: SessionDep, actor: PageActor, programme_id: int
) -> Response:
    values = form_data(await request.form(), lists=LIST_FIELDS, flags=FLAG_FIELDS)
    values["sdg_target_codes"] = split_codes(values.get("sdg_target_codes"))
    try:
        service.update_programme(
            session, actor=actor, programme_id=programme_id, data=parse(ProgrammeUpdate, values)
        )
    except ValidationFailed as failed:
        programme = service.get_programme(session, actor=actor, programme_id=programme_id)
        return _form(request, session, programme, values, failed.problems, 422)
    except StaleEdit as stale:
        return render(request, "error.html", {"status_code": 409, "message": str(stale)}, 409)
    return RedirectResponse(f"/programmes/{programme_id}", status_code=303)


@router.post("/programmes/{programme_id}/status", dependencies=[CsrfChecked])
async def set_status(request: Request, session: SessionDep, actor: PageActor, programme_id: int) -> Response:
    form = form_data(await request.form())
    service.set_programme_status(
        session,
        actor=actor,
        programme_id=programme_id,
        target=str(form.get("target")),
        version=int(form.get("version", 0)),
    )
    return RedirectResponse(f"/programmes/{programme_id}", status_code=303)
