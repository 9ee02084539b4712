"""HTML pages of the needs registry."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pux.accounts import service as accounts
from pux.errors import StaleEdit, ValidationFailed
from pux.matching import service as matching
from pux.needs import service, workflow
from pux.needs.repository import NeedFilter
from pux.needs.schemas import NeedCreate, NeedUpdate
from pux.pagination import PageRequest
from pux.reference import service as reference
from pux.reference.repository import CountryFilter
from pux.reference.vocabulary import (
    HORIZONS,
    INCOME_GROUP_CODES,
    MODALITIES,
    READINESS_LEVELS,
    VULNERABLE_GROUPS,
    horizon_label,
    income_group_label,
    modality_label,
    readiness_label,
    visibility_label,
    vulnerable_group_label,
)
from pux.validation import parse
from pux.web.deps import SessionDep
from pux.web.forms import form_data, listing, split_codes
from pux.web.security import CsrfChecked, PageActor
from pux.web.templating import render

router = APIRouter(include_in_schema=False)
LIST_FIELDS = ("modalities_wanted", "vulnerable_groups", "technique_codes")
FLAG_FIELDS = ("unfunded_footnote_a",)


def need_filter(
    country: str | None = None,
    region: str | None = None,
    area: str | None = None,
    technique: str | None = None,
    sdg: str | None = None,
    status: str | None = None,
    income_group: str | None = None,
    q: str | None = None,
) -> NeedFilter:
    return NeedFilter(
        country_iso3=country or None,
        region_m49=region or None,
        thematic_area_code=area or None,
        technique_code=technique or None,
        sdg_code=sdg or None,
        status=status or None,
        income_group=income_group or None,
        text=q or None,
    )


def _vocabularies(session: SessionDep) -> dict[str, Any]:
    return {
        "areas": reference.list_thematic_areas(session),
        "techniques": reference.list_techniques(session),
        "countries": reference.list_countries(session, filters=CountryFilter()),
        "regions": reference.list_regions(session),
        "modalities": MODALITIES,
        "modality_label": modality_label,
        "groups": VULNERABLE_GROUPS,
        "group_label": vulnerable_group_label,
        "readiness": READINESS_LEVELS,
        "readiness_label": readiness_label,
        "horizons": HORIZONS,
        "horizon_label": horizon_label,
        "visibility_label": visibility_label,
        "status_label": workflow.status_label,
        "statuses": workflow.STATUSES,
        "income_groups": INCOME_GROUP_CODES,
        "income_group_label": income_group_label,
    }


@router.get("/needs", response_class=HTMLResponse)
def need_list(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    country: str | None = None,
    region: str | None = None,
    area: str | None = None,
    technique: str | None = None,
    sdg: str | None = None,
    status: str | None = None,
    income_group: str | None = None,
    q: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
) -> HTMLResponse:
    filters = need_filter(country, region, area, technique, sdg, status, income_group, q)
    results = service.list_needs(session, actor=actor, filters=filters, page=PageRequest(number=page))
    return render(
        request,
        "needs/list.html",
        {
            **_vocabularies(session),
            **listing(
                results,
                country=country,
                region=region,
                area=area,
                technique=technique,
                sdg=sdg,
                status=status,
                income_group=income_group,
                q=q,
            ),
            "draftable": service.draftable_countries(actor),
        },
    )


def _values_from_need(need: Any) -> dict[str, Any]:
    values = {name: getattr(need, name) for name in NeedUpdate.model_fields if hasattr(need, name)}
    values["sdg_target_codes"] = ", ".join(need.sdg_target_codes)
    return values


def _parse_form(form_values: dict[str, Any]) -> dict[str, Any]:
    form_values["sdg_target_codes"] = split_codes(form_values.get("sdg_target_codes"))
    return form_values


def _form_page(
    request: Request,
    session: SessionDep,
    *,
    need: Any,
    values: dict[str, Any],
    errors: dict[str, str],
    problems: list[Any],
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "needs/form.html",
        {
            **_vocabularies(session),
            "need": need,
            "values": values,
            "errors": errors,
            "problems": problems,
        },
        status_code,
    )


@router.get("/needs/new", response_class=HTMLResponse)
def new_need(request: Request, session: SessionDep, actor: PageActor, country: str | None = None) -> Response:
    if not actor.is_authenticated:
        return RedirectResponse("/sign-in?next=/needs/new", status_code=303)
    draftable = service.draftable_countries(actor)
    default_country = country or (sorted(draftable)[0] if draftable else "")
    return _form_page(
        request,
        session,
        need=None,
        errors={},
        problems=[],
        values={"country_iso3": default_country, "currency": "USD", "visibility": "public"},
    )


@router.post("/needs", dependencies=[CsrfChecked])
async def create_need(request: Request, session: SessionDep, actor: PageActor) -> Response:
    values = _parse_form(form_data(await request.form(), lists=LIST_FIELDS, flags=FLAG_FIELDS))
    try:
        need = service.create_need(session, actor=actor, data=parse(NeedCreate, values))
    except ValidationFailed as failed:
        values["sdg_target_codes"] = ", ".join(values["sdg_target_codes"])
        return _form_page(
            request,
            session,
            need=None,
            values=values,
            problems=failed.problems,
            errors={p.field: p.message for p in failed.problems},
            status_code=422,
        )
    return RedirectResponse(f"/needs/{need.id}", status_code=303)


@router.get("/needs/{need_id}", response_class=HTMLResponse)
def need_page(request: Request, session: SessionDep, actor: PageActor, need_id: int) -> HTMLResponse:
    need = service.get_need(session, actor=actor, need_id=need_id)
    return render(
        request,
        "needs/detail.html",
        {
            **_vocabularies(session),
            "need": need,
            "actions": service.available_transitions(actor, need),
            "action_label": workflow.action_label,
            "may_edit": service.may_edit(actor, need),
            "comment_required": {
                target for source, target in workflow.COMMENT_REQUIRED if source == need.status
            },
            "history": (history := service.need_history(session, actor=actor, need_id=need_id)),
            "suggestions": matching.programmes_for_need(session, actor=actor, need_id=need_id, k=5)
            if need.status in {"endorsed", "published"}
            else [],
            "warnings": matching.warnings_for_need(session, actor=actor, need_id=need_id),
            "history_names": accounts.display_names(session, [event.actor for event in history]),
        },
    )


@router.get("/needs/{need_id}/edit", response_class=HTMLResponse)
def edit_need(request: Request, session: SessionDep, actor: PageActor, need_id: int) -> HTMLResponse:
    need = service.get_need(session, actor=actor, need_id=need_id)
    return _form_page(request, session, need=need, values=_values_from_need(need), errors={}, problems=[])


@router.post("/needs/{need_id}/edit", dependencies=[CsrfChecked])
async def update_need(request: Request, session: SessionDep, actor: PageActor, need_id: int) -> Response:
    values = _parse_form(form_data(await request.form(), lists=LIST_FIELDS, flags=FLAG_FIELDS))
    try:
        service.update_need(session, actor=actor, need_id=need_id, data=parse(NeedUpdate, values))
    except ValidationFailed as failed:
        need = service.get_need(session, actor=actor, need_id=need_id)
        values["sdg_target_codes"] = ", ".join(values["sdg_target_codes"])
        return _form_page(
            request,
            session,
            need=need,
            values=values,
            problems=failed.problems,
            errors={p.field: p.message for p in failed.problems},
            status_code=422,
        )
    except StaleEdit as stale:
        need = service.get_need(session, actor=actor, need_id=need_id)
        values["sdg_target_codes"] = ", ".join(values["sdg_target_codes"])
        return render(request, "needs/stale.html", {"need": need, "message": str(stale)}, 409)
    return RedirectResponse(f"/needs/{need_id}", status_code=303)


@router.post("/needs/{need_id}/transitions", dependencies=[CsrfChecked])
async def transition_need(request: Request, session: SessionDep, actor: PageActor, need_id: int) -> Response:
    form = form_data(await request.form())
    service.transition_need(
        session,
        actor=actor,
        need_id=need_id,
        target=str(form.get("target", "")),
        version=int(form.get("version", 0)),
        comment=form.get("comment"),
    )
    return RedirectResponse(f"/needs/{need_id}", status_code=303)


@router.get("/countries/{iso3}/ranking", response_class=HTMLResponse)
def ranking_page(request: Request, session: SessionDep, actor: PageActor, iso3: str) -> HTMLResponse:
    needs = service.rankable_needs(session, actor=actor, country_iso3=iso3.upper())
    country = reference.get_country(session, iso3=iso3)
    return render(
        request,
        "needs/ranking.html",
        {"needs": needs, "country": country, "status_label": workflow.status_label},
    )


@router.post("/countries/{iso3}/ranking", dependencies=[CsrfChecked])
async def rank_needs(request: Request, session: SessionDep, actor: PageActor, iso3: str) -> Response:
    form = await request.form()
    positions = []
    for key, value in form.items():
        if key.startswith("rank-") and isinstance(value, str) and value.strip().isdigit():
            positions.append((int(value), int(key.removeprefix("rank-"))))
    ordered = [need_id for _position, need_id in sorted(positions)]
    service.rank_needs(session, actor=actor, country_iso3=iso3.upper(), ordered_need_ids=ordered)
    return RedirectResponse(f"/countries/{iso3.upper()}/ranking", status_code=303)
