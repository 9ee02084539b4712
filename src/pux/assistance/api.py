"""JSON routes of assistance activities (/api/v1/activities). Writes need a bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from pydantic import BaseModel

from pux.assistance import service
from pux.assistance.repository import ActivityFilter
from pux.assistance.schemas import ActivityCreate, ActivityRead, ActivityUpdate
from pux.pagination import MAX_PAGE_SIZE, PageRequest
from pux.web.deps import SessionDep
from pux.web.forms import RecordPath
from pux.web.routing import api_router
from pux.web.security import ApiActor

router = api_router("assistance")


class ActivityPage(BaseModel):
    total: int
    page: int
    page_size: int
    items: list[ActivityRead]


@router.get("/activities", response_model=ActivityPage)
def list_activities(
    session: SessionDep,
    actor: ApiActor,
    country: str | None = None,
    provider: int | None = None,
    area: str | None = None,
    technique: str | None = None,
    status: str | None = None,
    q: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> ActivityPage:
    """Assistance activities visible to the caller, filtered and paged."""
    filters = ActivityFilter(
        country_iso3=country,
        provider_organisation_id=provider,
        thematic_area_code=area,
        technique_code=technique,
        status=status,
        text=q,
    )
    result = service.list_activities(session, actor=actor, filters=filters, page=PageRequest(page, page_size))
    return ActivityPage(
        total=result.total,
        page=page,
        page_size=page_size,
        items=[ActivityRead.model_validate(a) for a in result.items],
    )


@router.post("/activities", response_model=ActivityRead, status_code=201)
def record_activity(session: SessionDep, actor: ApiActor, data: ActivityCreate) -> ActivityRead:
    """Record an activity of an organisation the caller acts for."""
    return ActivityRead.model_validate(service.record_activity(session, actor=actor, data=data))


@router.get("/activities/{activity_id}", response_model=ActivityRead)
def get_activity(session: SessionDep, actor: ApiActor, activity_id: RecordPath) -> ActivityRead:
    """One activity, if visible to the caller."""
    return ActivityRead.model_validate(service.get_activity(session, actor=actor, activity_id=activity_id))


@router.put("/activities/{activity_id}", response_model=ActivityRead)
def update_activity(
    session: SessionDep, actor: ApiActor, activity_id: RecordPath, data: ActivityUpdate
) -> ActivityRead:
    """Edit an activity; a stale version gets 409."""
    return ActivityRead.model_validate(
        service.update_activity(session, actor=actor, activity_id=activity_id, data=data)
    )
