"""JSON routes for reference data (/api/v1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import HTTPException, Query

from pux.i18n import gettext as _
from pux.reference import service
from pux.reference.repository import CountryFilter
from pux.reference.schemas import (
    CountryDetailRead,
    CountryRead,
    RegionRead,
    SdgGoalDetailRead,
    SdgGoalRead,
    SdgTargetRead,
    ThematicAreaRead,
)
from pux.reference.vocabulary import INCOME_GROUP_CODES
from pux.web.deps import SessionDep
from pux.web.routing import api_router

router = api_router("reference")


@router.get("/countries", response_model=list[CountryRead])
def list_countries(
    session: SessionDep,
    region: Annotated[
        str | None, Query(description="M49 code of a region, sub-region or intermediate region")
    ] = None,
    ldc: bool | None = None,
    lldc: bool | None = None,
    sids: bool | None = None,
    income_group: Annotated[str | None, Query(pattern="^(LIC|LMC|UMC|HIC)$")] = None,
    q: Annotated[str | None, Query(max_length=100, description="part of a name in any UN language")] = None,
) -> list[CountryRead]:
    """Countries and areas (UN M49), filtered."""
    filters = CountryFilter(
        region_m49=region, ldc=ldc, lldc=lldc, sids=sids, income_group=income_group, text=q
    )
    countries = service.list_countries(session, filters=filters)
    latest = service.latest_income_groups(session)
    return [CountryRead.of(country, latest.get(country.iso3)) for country in countries]


@router.get("/countries/{iso3}", response_model=CountryDetailRead)
def get_country(session: SessionDep, iso3: str) -> CountryDetailRead:
    """One country or area with its burden, capacity and context indicators (missing ones flagged)."""
    profile = service.country_profile(session, iso3=iso3)
    if profile is None:
        raise HTTPException(404, _("No country or area has the code %(code)s.") % {"code": iso3})
    return CountryDetailRead.of_profile(profile)


@router.get("/regions", response_model=list[RegionRead])
def list_regions(session: SessionDep) -> list[RegionRead]:
    """UN M49 regions, sub-regions and intermediate regions."""
    return [RegionRead.of(region) for region in service.list_regions(session)]


@router.get("/income-groups", response_model=list[str])
def list_income_groups() -> list[str]:
    """The World Bank income group codes used by filters."""
    return list(INCOME_GROUP_CODES)


@router.get("/sdg/goals", response_model=list[SdgGoalRead])
def list_goals(session: SessionDep) -> list[SdgGoalRead]:
    """The 17 Sustainable Development Goals."""
    return [SdgGoalRead.of(goal) for goal in service.list_goals(session)]


@router.get("/sdg/goals/{code}", response_model=SdgGoalDetailRead)
def get_goal(session: SessionDep, code: str) -> SdgGoalDetailRead:
    """One goal with its targets and indicators."""
    goal = service.get_goal(session, code=code)
    if goal is None:
        raise HTTPException(404, _("No SDG goal has the code %(code)s.") % {"code": code})
    return SdgGoalDetailRead.of_goal(goal)


@router.get("/sdg/targets/{code}", response_model=SdgTargetRead)
def get_target(session: SessionDep, code: str) -> SdgTargetRead:
    """One target with its indicators."""
    target = service.get_target(session, code=code)
    if target is None:
        raise HTTPException(404, _("No SDG target has the code %(code)s.") % {"code": code})
    return SdgTargetRead.of(target)


@router.get("/thematic-areas", response_model=list[ThematicAreaRead])
def list_thematic_areas(session: SessionDep) -> list[ThematicAreaRead]:
    """The thematic areas of the dialogue; safety and security is the enabling area."""
    return [ThematicAreaRead.of(area) for area in service.list_thematic_areas(session)]
