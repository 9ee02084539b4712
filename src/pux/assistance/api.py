"""JSON routes of assistance activities (/api/v1/activities). Writes need a bearer token."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from pux.accounts.permissions import Actor
from pux.assistance import service
from pux.assistance.models import AssistanceActivity
from pux.assistance.schemas import ActivityCreateRequest, ActivityRead, ActivityUpdate
from pux.web.deps import SessionDep
from pux.web.filters import ApiActivityFilters, ApiPage
from pux.web.forms import RecordPath
from pux.web.listing import ListPage
from pux.web.openapi import ApiBody, error_responses
from pux.web.routing import api_router
from pux.web.security import ApiActor

router = api_router("assistance")


def _read(session: Session, actor: Actor, activities: Sequence[AssistanceActivity]) -> list[ActivityRead]:
    """Activities as the caller may read them: a linked need or programme they may not see is null, as
    when there is none (its number would tell them it exists)."""
    links = service.links_seen_by(session, actor=actor, activities=activities)
    return [
        ActivityRead.model_validate(activity).model_copy(
            update={"need_id": links[activity.id].need_id, "programme_id": links[activity.id].programme_id}
        )
        for activity in activities
    ]


def _one(session: Session, actor: Actor, activity: AssistanceActivity) -> ActivityRead:
    return _read(session, actor, [activity])[0]


@router.get("/activities", response_model=ListPage[ActivityRead], responses=error_responses(401, 422))
def list_activities(
    session: SessionDep, actor: ApiActor, filters: ApiActivityFilters, page: ApiPage
) -> ListPage[ActivityRead]:
    """Assistance activities visible to the caller, filtered and paged."""
    result = service.list_activities(session, actor=actor, filters=filters, page=page)
    shown = {read.id: read for read in _read(session, actor, result.items)}
    return ListPage[ActivityRead].of(result, lambda activity: shown[activity.id])


@router.post("/activities", response_model=ActivityRead, status_code=201)
def record_activity(
    session: SessionDep, actor: ApiActor, data: ApiBody[ActivityCreateRequest]
) -> ActivityRead:
    """Record an activity of an organisation the caller acts for. When the same need and programme already
    have an activity the caller may see, it is refused with 409 (the message names that activity: complete
    it with PUT instead) unless `separate_from_existing` is true."""
    activity = service.record_activity(
        session, actor=actor, data=data, ask_before_another=not data.separate_from_existing
    )
    return _one(session, actor, activity)


@router.get("/activities/{activity_id}", response_model=ActivityRead)
def get_activity(session: SessionDep, actor: ApiActor, activity_id: RecordPath) -> ActivityRead:
    """One activity, if visible to the caller."""
    return _one(session, actor, service.get_activity(session, actor=actor, activity_id=activity_id))


@router.put("/activities/{activity_id}", response_model=ActivityRead)
def update_activity(
    session: SessionDep, actor: ApiActor, activity_id: RecordPath, data: ApiBody[ActivityUpdate]
) -> ActivityRead:
    """Edit an activity; a stale version gets 409."""
    return _one(
        session, actor, service.update_activity(session, actor=actor, activity_id=activity_id, data=data)
    )
