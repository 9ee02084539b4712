"""HTML pages for reference data."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from pux.i18n import gettext as _
from pux.priority import engine as priority_engine
from pux.priority import service as priority
from pux.priority.views import component_label
from pux.reference import service
from pux.reference.repository import CountryFilter
from pux.reference.vocabulary import (
    INCOME_GROUP_CODES,
    income_basis_label,
    income_group_label,
    indicator_role_label,
    region_level_label,
    unit_label,
)
from pux.web.deps import SessionDep
from pux.web.routing import page_router
from pux.web.security import PageActor
from pux.web.templating import render

router = page_router()

FLAG_CHOICES = ("", "yes", "no")


def _flag(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


@router.get("/countries", response_class=HTMLResponse)
def country_list(
    request: Request,
    session: SessionDep,
    region: str | None = None,
    ldc: Annotated[str | None, Query(pattern="^(yes|no)?$")] = None,
    lldc: Annotated[str | None, Query(pattern="^(yes|no)?$")] = None,
    sids: Annotated[str | None, Query(pattern="^(yes|no)?$")] = None,
    income_group: Annotated[str | None, Query(pattern="^(LIC|LMC|UMC|HIC)?$")] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> HTMLResponse:
    filters = CountryFilter(
        region_m49=region or None,
        ldc=_flag(ldc),
        lldc=_flag(lldc),
        sids=_flag(sids),
        income_group=income_group or None,
        text=q or None,
    )
    countries = service.list_countries(session, filters=filters)
    template = (
        "reference/_country_rows.html" if request.headers.get("HX-Request") else "reference/countries.html"
    )
    return render(
        request,
        template,
        {
            "countries": countries,
            "latest_income": service.latest_income_groups(session),
            "regions": service.list_regions(session),
            "selected": {
                "region": region or "",
                "ldc": ldc or "",
                "lldc": lldc or "",
                "sids": sids or "",
                "income_group": income_group or "",
                "q": q or "",
            },
            "income_groups": INCOME_GROUP_CODES,
            "income_group_label": income_group_label,
            "region_level_label": region_level_label,
        },
    )


@router.get("/countries/{iso3}", response_class=HTMLResponse)
def country_page(request: Request, session: SessionDep, actor: PageActor, iso3: str) -> HTMLResponse:
    profile = service.country_profile(session, iso3=iso3)
    if profile is None:
        raise HTTPException(404, _("No country or area has the code %(code)s.") % {"code": iso3})
    return render(
        request,
        "reference/country.html",
        {
            "profile": profile,
            "country": profile.country,
            "income_group_label": income_group_label,
            "income_basis_label": income_basis_label,
            "indicator_role_label": indicator_role_label,
            "unit_label": unit_label,
            "thematic_areas": {area.code: area for area in service.list_thematic_areas(session)},
            # The reader's own scope, as on the index's and the gap pages: the public's made a donor's
            # score here differ from the same score there.
            "positions": priority.country_positions(session, iso3=profile.country.iso3, actor=actor),
            "assistance_on": date.today(),
            "component_label": component_label,
            "data_years": priority_engine.data_years,
        },
    )


@router.get("/sdgs", response_class=HTMLResponse)
def goal_list(request: Request, session: SessionDep) -> HTMLResponse:
    return render(
        request,
        "reference/goals.html",
        {
            "goals": service.list_goals(session),
        },
    )


@router.get("/sdgs/{code}", response_class=HTMLResponse)
def goal_page(request: Request, session: SessionDep, code: str) -> HTMLResponse:
    goal = service.get_goal(session, code=code)
    if goal is None:
        raise HTTPException(404, _("No SDG goal has the code %(code)s.") % {"code": code})
    return render(request, "reference/goal.html", {"goal": goal})


@router.get("/thematic-areas", response_class=HTMLResponse)
def thematic_area_list(request: Request, session: SessionDep) -> HTMLResponse:
    return render(
        request,
        "reference/thematic_areas.html",
        {
            "areas": service.list_thematic_areas(session),
            "indicators": service.list_indicators(session),
            "indicator_role_label": indicator_role_label,
        },
    )
