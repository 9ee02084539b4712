"""JSON routes of the needs registry (/api/v1/needs). Writes need a bearer token."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from pux.accounts import service as accounts
from pux.needs import service
from pux.needs.schemas import NeedCreate, NeedRead, NeedTransition, NeedUpdate
from pux.validation import UtcDateTime
from pux.web.deps import SessionDep
from pux.web.filters import ApiNeedFilters, ApiPage
from pux.web.forms import RecordPath
from pux.web.listing import ListPage
from pux.web.openapi import ApiBody, error_responses
from pux.web.routing import api_router
from pux.web.security import ApiActor

router = api_router("needs")


class AuditEventRead(BaseModel):
    occurred_at: UtcDateTime
    actor: str
    action: str
    before: dict[str, object] | None
    after: dict[str, object] | None


class RankingOrder(BaseModel):
    need_ids: list[int]


@router.get("/needs", response_model=ListPage[NeedRead], responses=error_responses(401, 422))
def list_needs(
    session: SessionDep, actor: ApiActor, filters: ApiNeedFilters, page: ApiPage
) -> ListPage[NeedRead]:
    """Needs visible to the caller (the public sees published public needs), filtered and paged."""
    result = service.list_needs(session, actor=actor, filters=filters, page=page)
    ranks = service.shown_ranks(session, actor=actor, needs=result.items)
    return ListPage[NeedRead].of(result, lambda need: _read(need, ranks))


@router.post("/needs", response_model=NeedRead, status_code=201)
def create_need(session: SessionDep, actor: ApiActor, data: ApiBody[NeedCreate]) -> NeedRead:
    """Draft a need for a country the caller may draft for."""
    return NeedRead.model_validate(service.create_need(session, actor=actor, data=data))


@router.get("/needs/{need_id}", response_model=NeedRead)
def get_need(session: SessionDep, actor: ApiActor, need_id: RecordPath) -> NeedRead:
    """One need, if visible to the caller."""
    need = service.get_need(session, actor=actor, need_id=need_id)
    return _read(need, service.shown_ranks(session, actor=actor, needs=[need]))


def _read(need: Any, ranks: dict[int, int]) -> NeedRead:
    """The need as the caller may read it: its national rank among the needs they may see (see
    ``service.shown_ranks``)."""
    return NeedRead.model_validate(need).model_copy(update={"national_rank": ranks.get(need.id)})


@router.put("/needs/{need_id}", response_model=NeedRead)
def update_need(
    session: SessionDep, actor: ApiActor, need_id: RecordPath, data: ApiBody[NeedUpdate]
) -> NeedRead:
    """Edit a need; send the version you read: a stale version gets 409 and changes nothing."""
    return NeedRead.model_validate(service.update_need(session, actor=actor, need_id=need_id, data=data))


@router.post("/needs/{need_id}/transitions", response_model=NeedRead)
def transition_need(
    session: SessionDep, actor: ApiActor, need_id: RecordPath, data: ApiBody[NeedTransition]
) -> NeedRead:
    """Submit, endorse, return (with a comment), publish, withdraw... a need."""
    need = service.transition_need(
        session, actor=actor, need_id=need_id, target=data.target, version=data.version, comment=data.comment
    )
    return NeedRead.model_validate(need)


@router.put("/countries/{iso3}/needs/ranking", response_model=list[NeedRead])
def rank_needs(
    session: SessionDep, actor: ApiActor, iso3: str, order: ApiBody[RankingOrder]
) -> list[NeedRead]:
    """Set the national priority order of a country's endorsed and published needs."""
    needs = service.rank_needs(
        session, actor=actor, country_iso3=iso3.upper(), ordered_need_ids=order.need_ids
    )
    return [NeedRead.model_validate(need) for need in needs]


@router.get("/needs/{need_id}/history", response_model=list[AuditEventRead], responses=error_responses(404))
def need_history(session: SessionDep, actor: ApiActor, need_id: RecordPath) -> list[AuditEventRead]:
    """Who changed what and when (people by name; e-mail addresses are never shown)."""
    events = service.need_history(session, actor=actor, need_id=need_id)
    names = accounts.display_names(session, [event.actor for event in events])
    return [
        AuditEventRead(
            occurred_at=event.occurred_at,
            actor=names.get(event.actor, "—"),
            action=event.action,
            before=event.before,
            after=event.after,
        )
        for event in events
    ]
