"""Pages of the priority index."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pux.errors import FieldProblem, ValidationFailed
from pux.i18n import gettext as _
from pux.priority import engine, service
from pux.reference import service as reference
from pux.web.deps import SessionDep
from pux.web.security import CsrfChecked, PageActor
from pux.web.templating import render

router = APIRouter(include_in_schema=False)


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
    area: Annotated[str, Query(pattern=r"^[a-z_]+$")] = "health",
) -> HTMLResponse:
    config, data = service.active_config(session)
    results, ranges = service.ranking_with_ranges(session, area=area, draws=60)
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
            "config_json": json.dumps(data, indent=2, ensure_ascii=False),
            "problems": [],
        },
    )


@router.post("/priority/config", dependencies=[CsrfChecked])
async def save_config(request: Request, session: SessionDep, actor: PageActor) -> Response:
    form = await request.form()
    try:
        data = json.loads(str(form.get("configuration", "")))
        if not isinstance(data, dict):
            raise ValueError("not an object")
    except ValueError as error:
        raise ValidationFailed(
            [FieldProblem("configuration", _("is not valid JSON: %(error)s") % {"error": str(error)})]
        ) from error
    service.save_config(session, actor=actor, data=data)
    return RedirectResponse("/priority", status_code=303)
