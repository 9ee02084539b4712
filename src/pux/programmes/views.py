"""HTML pages of partners' programmes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from pux.accounts import service as accounts
from pux.accounts.permissions import Actor
from pux.audit.labels import audit_action_label
from pux.audit.models import AuditEvent
from pux.errors import StaleEdit, ValidationFailed
from pux.i18n import LANGUAGE_AUTONYMS, LANGUAGES
from pux.i18n import gettext as _
from pux.matching import service as matching
from pux.programmes import service
from pux.programmes.schemas import ELIGIBLE_GROUPS, PROGRAMME_STATUSES, ProgrammeCreate, ProgrammeUpdate
from pux.reference import service as reference
from pux.reference.vocabulary import INCOME_GROUP_CODES, MODALITIES, income_group_label, modality_label
from pux.web.deps import FormDep, SessionDep
from pux.web.filters import PageNumber, ProgrammeFilters
from pux.web.forms import (
    RecordPath,
    flash,
    form_data,
    form_version,
    listing,
    parsed_with_organisations,
    problems_context,
    saved_first,
    split_codes,
)
from pux.web.routing import page_router
from pux.web.sdg import suggestions_for_form
from pux.web.security import CsrfChecked, PageActor
from pux.web.templating import country_options, render

router = page_router()
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


def _vocabularies(session: Session) -> dict[str, Any]:
    return {
        "areas": reference.list_thematic_areas(session),
        "techniques": reference.list_techniques(session),
        "countries": reference.country_choices(session),
        "regions": reference.list_regions(session),
        "organisations": accounts.organisation_names(session),
        "modalities": MODALITIES,
        "modality_label": modality_label,
        "income_groups": INCOME_GROUP_CODES,
        "income_group_label": income_group_label,
        "eligible_groups": ELIGIBLE_GROUPS,
        "language_options": [(code, LANGUAGE_AUTONYMS[code]) for code in LANGUAGES],
        "statuses": PROGRAMME_STATUSES,
        "eligible_group_label": service.eligible_group_label,
    }


@router.get("/programmes", response_class=HTMLResponse)
def programme_list(
    request: Request, session: SessionDep, actor: PageActor, filters: ProgrammeFilters, page: PageNumber
) -> HTMLResponse:
    # The list shows none of their areas, techniques, targets or countries: reading them ahead for 50
    # programmes (each eligible country with its regions) was most of its database work.
    results = service.list_programmes(session, actor=actor, filters=filters, page=page, whole=False)
    return render(
        request,
        "programmes/list.html",
        {**_vocabularies(session), **listing(results, request), "may_publish": service.may_publish(actor)},
    )


def _form(
    request: Request,
    session: Session,
    programme: Any,
    values: dict[str, Any],
    failed: ValidationFailed | None = None,
    status_code: int = 200,
    suggest: bool = False,
) -> HTMLResponse:
    shown = {**values, "sdg_target_codes": ", ".join(values.get("sdg_target_codes") or [])}
    chosen = list(values.get("eligible_country_codes") or [])
    # The countries a person may choose, and any the programme holds beyond them (kept by an edit).
    country_choices = country_options(reference.list_selectable_countries(session, keep=chosen))
    extra: dict[str, Any] = {}
    if suggest:  # "Suggest SDGs" without JavaScript: the form comes back with suggestions, unsaved
        extra = suggestions_for_form(session, shown)
        shown["sdg_target_codes"] = extra["sdg_value"]
    return render(
        request,
        "programmes/form.html",
        {
            **_vocabularies(session),
            "programme": programme,
            "values": shown,
            "country_choices": country_choices,
            "chosen_country_names": [name for code, name in country_choices if code in chosen],
            "organisation_choices": service.organisations_for_form(session, actor=request.state.actor),
            **(problems_context(failed) if failed else {"errors": {}, "problems": []}),
            **extra,
        },
        status_code,
    )


def _values(programme: Any) -> dict[str, Any]:
    return {name: getattr(programme, name) for name in ProgrammeUpdate.model_fields}


def _form_values(form: FormData) -> dict[str, Any]:
    values = form_data(form, lists=LIST_FIELDS, flags=FLAG_FIELDS)
    values["sdg_target_codes"] = split_codes(values.get("sdg_target_codes"))
    return values


@router.get("/programmes/new", response_class=HTMLResponse)
def new_programme(request: Request, session: SessionDep, actor: PageActor) -> Response:
    if not actor.is_authenticated:
        return RedirectResponse("/sign-in?next=/programmes/new", status_code=303)
    service.require_may_publish(actor)
    own = sorted(actor.organisations("partner", "programme_officer"))
    return _form(
        request,
        session,
        None,
        {"organisation_id": own[0] if own else "", "currency": "USD", "visibility": "public"},
    )


@router.post("/programmes", dependencies=[CsrfChecked])
def create_programme(request: Request, session: SessionDep, actor: PageActor, form: FormDep) -> Response:
    service.require_may_publish(
        actor
    )  # refused before the form is checked: never shown to who may not use it
    values = _form_values(form)
    if form.get("suggest_sdgs"):
        return _form(request, session, None, values, suggest=True)
    try:
        data = parsed_with_organisations(
            session,
            values,
            ("organisation_id",),
            lambda: service.parse_programme_form(session, ProgrammeCreate, values),
        )
        programme = service.create_programme(session, actor=actor, data=data)
    except ValidationFailed as failed:
        return _form(request, session, None, values, failed, 422)
    flash(request, _("Programme saved as a draft. Publish it when partners and countries may see it."))
    return RedirectResponse(f"/programmes/{programme.id}", status_code=303)


@router.get("/programmes/{programme_id}", response_class=HTMLResponse)
def programme_page(
    request: Request, session: SessionDep, actor: PageActor, programme_id: RecordPath
) -> HTMLResponse:
    programme = service.get_programme(session, actor=actor, programme_id=programme_id)
    vocabularies = _vocabularies(session)
    events = service.programme_history(session, actor=actor, programme_id=programme_id)
    history = _named_history(events, vocabularies)
    return render(
        request,
        "programmes/detail.html",
        {
            **vocabularies,
            "programme": programme,
            "may_manage": service.may_manage(actor, programme),
            "moves": service.STATUS_MOVES.get(programme.status, ()),
            "move_label": service.move_label,
            "confirm_message": service.move_confirmation,
            "history": history,
            "history_names": accounts.display_names(session, [event.actor for event in history]),
            "audit_action_label": audit_action_label,
            "eligibility": service.eligibility_summary(session, programme),
            "suggestions": matching.needs_for_programme(session, actor=actor, programme_id=programme_id, k=10)
            if programme.status == "published"
            else [],
            "record_proposals": matching.proposals_of_programme(
                session, actor=actor, programme_id=programme_id
            ),
        },
    )


@dataclass(frozen=True)
class ShownEvent:
    """An event of a programme's history as its page shows it, the codes of its values named."""

    occurred_at: datetime
    actor: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def _named_history(events: Sequence[AuditEvent], vocabularies: dict[str, Any]) -> list[ShownEvent]:
    """The programme's history with its codes named in the reader's language: its countries read
    "['KEN', 'UGA']" on an Arabic page."""
    namers = _code_namers(vocabularies)

    def named(values: dict[str, Any] | None) -> dict[str, Any] | None:
        if not values:
            return values
        return {key: _named(namers.get(key), value) for key, value in values.items()}

    return [
        ShownEvent(event.occurred_at, event.actor, event.action, named(event.before), named(event.after))
        for event in events
    ]


def _named(namer: Callable[[str], str] | None, value: Any) -> Any:
    if namer is None:
        return value
    if isinstance(value, list):
        return [namer(str(code)) for code in value]
    return namer(value) if isinstance(value, str) else value


def _code_namers(vocabularies: dict[str, Any]) -> dict[str, Callable[[str], str]]:
    """What names each coded field of a programme's history (by the names its snapshots use)."""

    def by_code(records: Iterable[Any], code: str) -> Callable[[str], str]:
        names = {getattr(record, code): record.name() for record in records}
        return lambda value: names.get(value, value)

    country = by_code(vocabularies["countries"], "iso3")
    audiences = {"public": _("Public"), "partners": _("Partners only")}
    return {
        "eligible_countries": country,
        "eligible_country_codes": country,
        "eligible_region_codes": by_code(vocabularies["regions"], "m49"),
        "eligible_income_groups": income_group_label,
        "eligible_groups": service.eligible_group_label,
        "thematic_areas": by_code(vocabularies["areas"], "code"),
        "techniques": by_code(vocabularies["techniques"], "code"),
        "working_languages": lambda code: LANGUAGE_AUTONYMS.get(code, code),
        "modality": modality_label,
        "visibility": lambda code: audiences.get(code, code),
    }


@router.get("/programmes/{programme_id}/edit", response_class=HTMLResponse)
def edit_programme(
    request: Request, session: SessionDep, actor: PageActor, programme_id: RecordPath
) -> HTMLResponse:
    programme = service.get_programme_for_edit(session, actor=actor, programme_id=programme_id)
    return _form(request, session, programme, _values(programme))


def _stale_form(
    request: Request, session: Session, actor: Actor, programme_id: int, values: dict[str, Any]
) -> HTMLResponse:
    """Someone saved the programme first: what this person wrote is shown again over the current version
    (their work was lost behind a bare 409 page), to compare with it and save again."""
    session.expire_all()  # the programme as the other person saved it
    current = service.get_programme_for_edit(session, actor=actor, programme_id=programme_id)
    message = _(
        "Someone else saved this programme after you opened it (it is now at version %(version)s). What "
        "you wrote is kept below: compare it with the programme as it is now, then save again."
    ) % {"version": current.version}
    failed = saved_first(message)
    return _form(request, session, current, {**values, "version": current.version}, failed, 409)


@router.post("/programmes/{programme_id}/edit", dependencies=[CsrfChecked])
def update_programme(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, programme_id: RecordPath
) -> Response:
    # Refused (or not found) before the form is checked: the form is never shown to who may not use it.
    programme = service.get_programme_for_edit(session, actor=actor, programme_id=programme_id)
    values = _form_values(form)
    if form.get("suggest_sdgs"):
        return _form(request, session, programme, values, suggest=True)
    try:
        data = service.parse_programme_form(session, ProgrammeUpdate, values)
        service.update_programme(session, actor=actor, programme_id=programme_id, data=data)
    except ValidationFailed as failed:
        return _form(request, session, programme, values, failed, 422)
    except StaleEdit:
        return _stale_form(request, session, actor, programme_id, values)
    flash(request, _("Your changes were saved."))
    return RedirectResponse(f"/programmes/{programme_id}", status_code=303)


@router.post("/programmes/{programme_id}/status", dependencies=[CsrfChecked])
def set_status(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, programme_id: RecordPath
) -> Response:
    values = form_data(form)
    programme = service.set_programme_status(
        session,
        actor=actor,
        programme_id=programme_id,
        target=str(values.get("target", "")),
        version=form_version(values),
    )
    flash(request, service.move_done_message(programme.status))
    return RedirectResponse(f"/programmes/{programme_id}", status_code=303)
