"""HTML pages of the needs registry."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from pux.accounts import service as accounts
from pux.accounts.permissions import Actor, PermissionDenied
from pux.audit.labels import audit_action_label
from pux.dialogues import service as dialogues
from pux.errors import DomainError, FieldProblem, StaleEdit, ValidationFailed
from pux.gaps import service as gaps
from pux.i18n import gettext as _
from pux.knowledge import service as knowledge
from pux.matching import service as matching
from pux.needs import service, workflow
from pux.needs.schemas import NeedCreate, NeedUpdate
from pux.reference import service as reference
from pux.reference.choices import sdg_filter_options
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
from pux.web.deps import FormDep, SessionDep
from pux.web.filters import Code, NeedFilters, PageNumber
from pux.web.forms import (
    CountryPath,
    RecordPath,
    flash,
    form_data,
    form_version,
    listing,
    problems_context,
    ranking_from_form,
    saved_first,
    split_codes,
)
from pux.web.routing import page_router
from pux.web.sdg import suggestions_for_form
from pux.web.security import CsrfChecked, PageActor
from pux.web.templating import render

router = page_router()
LIST_FIELDS = ("modalities_wanted", "vulnerable_groups", "technique_codes")
FLAG_FIELDS = ("unfunded_footnote_a",)
# Fields of a need its form has no box for (set through the API or an import): an edit on the page keeps
# them as they are. An update sets every field, so the page's save cleared the need's organisation.
NOT_ON_FORM = ("organisation_id",)


def _vocabularies(session: Session) -> dict[str, Any]:
    return {
        "areas": reference.list_thematic_areas(session),
        "techniques": reference.list_techniques(session),
        "countries": reference.country_choices(session),
        "regions": reference.list_regions(session),
        "sdg_options": sdg_filter_options(session),
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
        "audit_action_label": audit_action_label,
    }


@router.get("/needs", response_class=HTMLResponse)
def need_list(
    request: Request, session: SessionDep, actor: PageActor, filters: NeedFilters, page: PageNumber
) -> HTMLResponse:
    # The list shows neither techniques nor SDG targets: reading them ahead was 2 ms of its CPU.
    results = service.list_needs(session, actor=actor, filters=filters, page=page, whole=False)
    return render(
        request,
        "needs/list.html",
        {
            **_vocabularies(session),
            **listing(results, request),
            "ranks": service.shown_ranks(session, actor=actor, needs=results.items),
            "draftable": service.draftable_countries(actor),
            "signed_in": actor.is_authenticated,
        },
    )


def _values_from_need(need: Any) -> dict[str, Any]:
    values = {name: getattr(need, name) for name in NeedUpdate.model_fields if hasattr(need, name)}
    values["sdg_target_codes"] = ", ".join(need.sdg_target_codes)
    return values


def _form_values(form: FormData) -> dict[str, Any]:
    values = form_data(form, lists=LIST_FIELDS, flags=FLAG_FIELDS)
    values["sdg_target_codes"] = split_codes(values.get("sdg_target_codes"))
    return values


def _shown(values: dict[str, Any]) -> dict[str, Any]:
    """Form values as the form shows them again (codes typed in one field)."""
    return {**values, "sdg_target_codes": ", ".join(values.get("sdg_target_codes") or [])}


def _form_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    need: Any,
    values: dict[str, Any],
    failed: ValidationFailed | None = None,
    status_code: int = 200,
    suggest: bool = False,
) -> HTMLResponse:
    extra: dict[str, Any] = {}
    if suggest:  # "Suggest SDGs" without JavaScript: the form comes back with suggestions, unsaved
        extra = suggestions_for_form(session, values)
        values = {**values, "sdg_target_codes": extra["sdg_value"]}
    vocabularies = _vocabularies(session)
    draftable = service.draftable_countries(actor)
    if draftable is not None:  # a focal point or counterpart is offered only the countries they draft for
        vocabularies["countries"] = [c for c in vocabularies["countries"] if c.iso3 in draftable]
    return render(
        request,
        "needs/form.html",
        {
            **vocabularies,
            "need": need,
            "values": values,
            **(problems_context(failed) if failed else {"errors": {}, "problems": []}),
            **extra,
        },
        status_code,
    )


@router.get("/needs/new", response_class=HTMLResponse)
def new_need(request: Request, session: SessionDep, actor: PageActor, country: Code = None) -> Response:
    if not actor.is_authenticated:
        return RedirectResponse("/sign-in?next=/needs/new", status_code=303)
    service.require_may_draft(actor)
    draftable = service.draftable_countries(actor)
    if draftable is not None and country not in draftable:  # a link's country they may not draft for
        country = sorted(draftable)[0]
    return _form_page(
        request,
        session,
        actor,
        need=None,
        values={"country_iso3": country or "", "currency": "USD", "visibility": "public"},
    )


@router.post("/needs", dependencies=[CsrfChecked])
def create_need(request: Request, session: SessionDep, actor: PageActor, form: FormDep) -> Response:
    service.require_may_draft(actor)  # refused before the form is checked: never shown to who may not use it
    values = _form_values(form)
    if form.get("suggest_sdgs"):
        return _form_page(request, session, actor, need=None, values=_shown(values), suggest=True)
    try:
        data = service.parse_need_form(session, NeedCreate, values)
        need = service.create_need(session, actor=actor, data=data)
    except (ValidationFailed, PermissionDenied) as refused:
        return _refused_draft(request, session, actor, values, refused)
    flash(
        request, _("Draft %(reference)s saved. Submit it when it is ready.") % {"reference": need.reference}
    )
    return RedirectResponse(f"/needs/{need.id}", status_code=303)


def _refused_draft(
    request: Request, session: Session, actor: Actor, values: dict[str, Any], refused: DomainError
) -> HTMLResponse:
    """A new need refused: the form again with what was typed and each problem beside its field (422). A
    country the person may not draft for (a forged form: they are offered only their own) is refused beside
    the Country field, with the form's other problems (403: nothing was allowed)."""
    problems = list(refused.problems) if isinstance(refused, ValidationFailed) else []
    try:
        service.require_may_draft_for(actor, country_iso3=str(values.get("country_iso3", "")))
    except PermissionDenied as not_theirs:
        beside_country = FieldProblem("country_iso3", str(not_theirs))
        problems = [beside_country, *(p for p in problems if p.field != "country_iso3")]
        failed = ValidationFailed(problems)
        return _form_page(
            request, session, actor, need=None, values=_shown(values), failed=failed, status_code=403
        )
    if not isinstance(refused, ValidationFailed):
        raise refused
    return _form_page(
        request, session, actor, need=None, values=_shown(values), failed=refused, status_code=422
    )


@router.get("/needs/{need_id}", response_class=HTMLResponse)
def need_page(request: Request, session: SessionDep, actor: PageActor, need_id: RecordPath) -> HTMLResponse:
    need = service.get_need(session, actor=actor, need_id=need_id)
    history = service.need_history(session, actor=actor, need_id=need_id)
    offers = gaps.interest_offers(actor, country_iso3=need.country_iso3, status=need.status)
    return render(
        request,
        "needs/detail.html",
        {
            **_vocabularies(session),
            "need": need,
            "ranks": service.shown_ranks(session, actor=actor, needs=[need]),
            "actions": service.available_transitions(actor, need),
            "action_label": workflow.action_label,
            "confirm_message": workflow.confirmation_message,
            "may_edit": service.may_edit(actor, need),
            "may_rank": service.may_rank(actor, need.country_iso3),
            "comment_required": {
                target for source, target in workflow.COMMENT_REQUIRED if source == need.status
            },
            "history": history,
            "suggestions": matching.programmes_for_need(session, actor=actor, need_id=need_id, k=5)
            if need.status in {"endorsed", "published"}
            else [],
            "warnings": matching.warnings_for_need(session, actor=actor, need_id=need_id),
            "record_proposals": matching.proposals_of_need(session, actor=actor, need_id=need_id),
            "history_names": accounts.display_names(session, [event.actor for event in history]),
            "source_event": dialogues.event_of_need(session, actor=actor, need_id=need.id),
            "stories": knowledge.stories_of_need(session, actor=actor, need_id=need.id),
            "may_start_story": knowledge.may_start_story(actor, need),
            "interests": gaps.interests_for_need(session, actor=actor, need_id=need.id),
            "interest_offers": offers,
            "interest_organisations": [
                o for o in accounts.organisation_names(session) if o.id in offers.organisations
            ],
        },
    )


@router.get("/needs/{need_id}/edit", response_class=HTMLResponse)
def edit_need(request: Request, session: SessionDep, actor: PageActor, need_id: RecordPath) -> HTMLResponse:
    need = service.get_need_for_edit(session, actor=actor, need_id=need_id)
    return _form_page(request, session, actor, need=need, values=_values_from_need(need))


def _stale_form(
    request: Request, session: Session, actor: Actor, need_id: int, values: dict[str, Any]
) -> HTMLResponse:
    """Someone saved the need first: what this person wrote is shown again over the current version (their
    work was lost behind a bare page), to compare with it and save again."""
    session.expire_all()  # the need as the other person saved it
    current = service.get_need_for_edit(session, actor=actor, need_id=need_id)
    kept = {**_shown(values), "version": current.version}
    message = _(
        "Someone else saved this need after you opened it (it is now at version %(version)s). What you wrote "
        "is kept below: compare it with the need as it is now, then save again."
    ) % {"version": current.version}
    failed = saved_first(message)
    return _form_page(request, session, actor, need=current, values=kept, failed=failed, status_code=409)


@router.post("/needs/{need_id}/edit", dependencies=[CsrfChecked])
def update_need(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, need_id: RecordPath
) -> Response:
    # Refused (or not found) before the form is checked: the form is never shown to who may not use it.
    need = service.get_need_for_edit(session, actor=actor, need_id=need_id)
    values = {**_form_values(form), **{name: getattr(need, name) for name in NOT_ON_FORM}}
    if form.get("suggest_sdgs"):
        return _form_page(request, session, actor, need=need, values=_shown(values), suggest=True)
    try:
        data = service.parse_need_form(session, NeedUpdate, values)
        service.update_need(session, actor=actor, need_id=need_id, data=data)
    except ValidationFailed as failed:
        return _form_page(
            request, session, actor, need=need, values=_shown(values), failed=failed, status_code=422
        )
    except StaleEdit:
        return _stale_form(request, session, actor, need_id, values)
    flash(request, _("Your changes were saved."))
    return RedirectResponse(f"/needs/{need_id}", status_code=303)


@router.post("/needs/{need_id}/transitions", dependencies=[CsrfChecked])
def transition_need(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, need_id: RecordPath
) -> Response:
    values = form_data(form)
    need = service.transition_need(
        session,
        actor=actor,
        need_id=need_id,
        target=str(values.get("target", "")),
        version=form_version(values),
        comment=values.get("comment"),
    )
    flash(request, workflow.done_message(need.status))
    return RedirectResponse(f"/needs/{need_id}", status_code=303)


@router.get("/countries/{iso3}/ranking", response_class=HTMLResponse)
def ranking_page(request: Request, session: SessionDep, actor: PageActor, iso3: CountryPath) -> HTMLResponse:
    return _ranking_form(request, session, actor, iso3)


def _ranking_form(
    request: Request,
    session: Session,
    actor: Any,
    iso3: str,
    places: dict[str, str] | None = None,
    failed: ValidationFailed | None = None,
) -> HTMLResponse:
    needs = service.rankable_needs(session, actor=actor, country_iso3=iso3.upper())
    country = reference.get_country(session, iso3=iso3)
    return render(
        request,
        "needs/ranking.html",
        {
            "needs": needs,
            "country": country,
            "status_label": workflow.status_label,
            "places": places,
            **(problems_context(failed) if failed else {"errors": {}, "problems": []}),
        },
        422 if failed else 200,
    )


@router.post("/countries/{iso3}/ranking", dependencies=[CsrfChecked])
def rank_needs(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, iso3: CountryPath
) -> Response:
    needs = service.rankable_needs(session, actor=actor, country_iso3=iso3.upper())
    try:
        order = ranking_from_form(form, {need.id: need.reference for need in needs})
        service.rank_needs(session, actor=actor, country_iso3=iso3.upper(), ordered_need_ids=order)
    except ValidationFailed as failed:
        places = {key: str(value) for key, value in form.items() if key.startswith("rank-")}
        return _ranking_form(request, session, actor, iso3, places, failed)
    flash(request, _("The national priority order was saved."))
    return RedirectResponse(f"/countries/{iso3.upper()}/ranking", status_code=303)
