"""JSON routes of assistance activities (/api/v1/activities). Writes need a bearer token."""

from __future__ import annotations

from pux.assistance import service
from pux.assistance.schemas import ActivityCreate, ActivityRead, ActivityUpdate
from pux.web.deps import SessionDep
from pux.web.filters import ActivityFilters, ApiPage
from pux.web.forms import RecordPath
from pux.web.listing import ListPage
from pux.web.openapi import error_responses
from pux.web.routing import api_router
from pux.web.security import ApiActor

router = api_router("assistance")


@router.get("/activities", response_model=ListPage[ActivityRead], responses=error_responses(401, 422))
def list_activities(
    session: SessionDep, actor: ApiActor, filters: ActivityFilters, page: ApiPage
) -> ListPage[ActivityRead]:
    """Assistance activities visible to the caller, filtered and paged."""
    result = service.list_activities(session, actor=actor, filters=filters, page=page)
    return ListPage[ActivityRead].of(result, ActivityRead.model_validate)


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
