"""Pages of the priority index."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from pux.accounts.permissions import Actor
from pux.errors import FieldProblem, ValidationFailed
from pux.i18n import gettext as _
from pux.priority import engine, service
from pux.reference import service as reference
from pux.web.deps import FormDep, SessionDep
from pux.web.forms import flash, problems_context
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
) -> HTMLResponse:
    config, data = service.active_config(session)
    results, ranges = service.ranking_with_ranges(session, area=area, actor=actor)
    indicators = {i.code: i for i in reference.list_indicators(session)}
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
            "config_json": config_text
            if config_text is not None
            else json.dumps(data, indent=2, ensure_ascii=False),
            **(problems_context(failed) if failed else {"errors": {}, "problems": []}),
        },
        422 if failed else 200,
    )


def _on_the_form(failed: ValidationFailed) -> ValidationFailed:
    """The problems of a configuration as the form shows them: all beside its one text box, each naming
    its part of the JSON ("areas.health.burden[0].code: ..."), which the API gives as the field."""
    named = [p.message if p.field == "configuration" else f"{p.field}: {p.message}" for p in failed.problems]
    return ValidationFailed([FieldProblem("configuration", message) for message in named])


@router.post("/priority/config", dependencies=[CsrfChecked])
def save_config(request: Request, session: SessionDep, actor: PageActor, form: FormDep) -> Response:
    service.require_may_configure(actor)  # before the text is checked: its errors are for facilitators
    text = str(form.get("configuration", ""))
    try:
        try:
            data = json.loads(text)
        except ValueError as error:
            message = _("is not valid JSON: %(error)s") % {"error": str(error)[:200]}
            raise ValidationFailed([FieldProblem("configuration", message)]) from error
        if not isinstance(data, dict):
            raise ValidationFailed([FieldProblem("configuration", _("must be a JSON object"))])
        service.save_config(session, actor=actor, data=data)
    except ValidationFailed as failed:
        return _ranking_page(request, session, actor, "health", config_text=text, failed=_on_the_form(failed))
    flash(request, _("The priority index now uses the new configuration."))
    return RedirectResponse("/priority", status_code=303)
