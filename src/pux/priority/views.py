"""Pages of the priority index."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from pux.accounts.permissions import Actor
from pux.errors import WHOLE_FORM, FieldProblem, StaleEdit, ValidationFailed
from pux.i18n import gettext as _
from pux.priority import engine, service
from pux.reference import service as reference
from pux.web.deps import FormDep, SessionDep
from pux.web.forms import flash, problems_context, saved_first
from pux.web.routing import page_router
from pux.web.security import CsrfChecked, PageActor
from pux.web.templating import render

router = page_router()


def component_label(name: str) -> str:
    labels = {
        "burden": _("Burden"),
        "capacity": _("Lack of capacity"),
        "assistance": _("Little assistance so far"),
        "groups": _("LDC, LLDC or SIDS"),
    }
    return labels.get(name, name)


@router.get("/priority", response_class=HTMLResponse)
def ranking_page(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    area: Annotated[str, Query(pattern=r"^[a-z_]+$", max_length=40)] = "health",
) -> HTMLResponse:
    return _ranking_page(request, session, actor, area)


def _ranking_page(
    request: Request,
    session: Session,
    actor: Actor,
    area: str,
    config_text: str | None = None,
    failed: ValidationFailed | None = None,
    *,
    saved_meanwhile: bool = False,
) -> HTMLResponse:
    """The ranking, with the configuration form for facilitators: ``config_text`` as they typed it and
    ``failed`` when a save was refused; ``saved_meanwhile``: someone else's configuration is now in force,
    shown beside what they typed."""
    current = service.config_in_force(session)
    config, data = current.config, current.data
    results, ranges = service.ranking_with_ranges(session, area=area, actor=actor)
    indicators = {i.code: i for i in reference.list_indicators(session)}
    in_force = json.dumps(data, indent=2, ensure_ascii=False)
    status = 409 if saved_meanwhile else 422 if failed else 200
    return render(
        request,
        "priority/ranking.html",
        {
            "area": area,
            "areas": reference.list_thematic_areas(session),
            "results": results,
            "ranges": ranges,
            "config": config,
            "explanation": engine.method_explanation(config),
            "indicators": indicators,
            "component_label": component_label,
            "data_years": engine.data_years,
            "assistance_on": date.today(),
            "config_json": config_text if config_text is not None else in_force,
            "config_revision": current.revision,
            "in_force_json": in_force if saved_meanwhile else None,
            **(problems_context(failed) if failed else {"errors": {}, "problems": []}),
        },
        status,
    )


def _on_the_form(failed: ValidationFailed) -> ValidationFailed:
    """The problems of a configuration as the form shows them: all beside its one text box, each naming
    its part of the JSON ("areas.health.burden[0].code: ..."), which the API gives as the field. A problem of
    the whole form (made from an older page) stays the form's."""
    return ValidationFailed([p if p.field == WHOLE_FORM else _in_the_box(p) for p in failed.problems])


def _in_the_box(problem: FieldProblem) -> FieldProblem:
    message = problem.message if problem.field == "configuration" else f"{problem.field}: {problem.message}"
    return FieldProblem("configuration", message)


def _revision_read(form: FormData) -> int | None:
    """The revision of the configuration the form was made from (its hidden field); None when it is
    missing or garbled (a page opened before the field was added)."""
    text = str(form.get("revision", "")).strip()
    return int(text) if text.isdigit() and len(text) <= 18 else None


def _saved_meanwhile(request: Request, session: Session, actor: Actor, text: str) -> HTMLResponse:
    """Someone saved a configuration after this form was made: what the facilitator typed is shown again,
    beside the configuration now in force, and the form now names that one (a second save replaces it)."""
    message = _(
        "Someone else saved the priority configuration after you opened this page (it is now at revision "
        "%(revision)s). Nothing was saved: what you wrote is kept below; compare it with the configuration "
        "now in force, shown beside it, then save again."
    ) % {"revision": service.config_revision(session)}
    return _ranking_page(
        request, session, actor, "health", config_text=text, failed=saved_first(message), saved_meanwhile=True
    )


def _document(text: str) -> dict[str, Any]:
    """The configuration typed into the form, refused beside its box when it is not a JSON object."""
    try:
        data = json.loads(text)
    except ValueError as error:
        message = _("is not valid JSON: %(error)s") % {"error": str(error)[:200]}
        raise ValidationFailed([FieldProblem("configuration", message)]) from error
    if not isinstance(data, dict):
        raise ValidationFailed([FieldProblem("configuration", _("must be a JSON object"))])
    return data


@router.post("/priority/config", dependencies=[CsrfChecked])
def save_config(request: Request, session: SessionDep, actor: PageActor, form: FormDep) -> Response:
    service.require_may_configure(actor)  # before the text is checked: its errors are for facilitators
    text = str(form.get("configuration", ""))
    revision = _revision_read(form)
    try:
        data = _document(text)
        if revision is None:
            incomplete = FieldProblem(WHOLE_FORM, _("the form is incomplete: reload the page"))
            service.refuse_unread(session, actor=actor, data=data, missing=incomplete)
        service.save_config(session, actor=actor, data=data, revision=revision)
    except ValidationFailed as failed:
        return _ranking_page(request, session, actor, "health", config_text=text, failed=_on_the_form(failed))
    except StaleEdit:
        return _saved_meanwhile(request, session, actor, text)
    flash(request, _("The priority index now uses the new configuration."))
    return RedirectResponse("/priority", status_code=303)
