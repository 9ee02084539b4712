"""JSON routes of programmes (/api/v1/programmes). Writes need a bearer token."""

from __future__ import annotations

from pydantic import BaseModel

from pux.programmes import service
from pux.programmes.schemas import ProgrammeCreate, ProgrammeRead, ProgrammeUpdate
from pux.web.deps import SessionDep
from pux.web.filters import ApiPage, ApiProgrammeFilters
from pux.web.forms import RecordPath
from pux.web.listing import ListPage
from pux.web.openapi import ApiBody, error_responses
from pux.web.routing import api_router
from pux.web.security import ApiActor

router = api_router("programmes")


class StatusChange(BaseModel):
    target: str
    version: int


@router.get("/programmes", response_model=ListPage[ProgrammeRead], responses=error_responses(401, 422))
def list_programmes(
    session: SessionDep, actor: ApiActor, filters: ApiProgrammeFilters, page: ApiPage
) -> ListPage[ProgrammeRead]:
    """Programmes visible to the caller, filtered and paged."""
    result = service.list_programmes(session, actor=actor, filters=filters, page=page)
    return ListPage[ProgrammeRead].of(result, ProgrammeRead.model_validate)


@router.post("/programmes", response_model=ProgrammeRead, status_code=201)
def create_programme(session: SessionDep, actor: ApiActor, data: ApiBody[ProgrammeCreate]) -> ProgrammeRead:
    """Draft a programme for the caller's organisation."""
    return ProgrammeRead.model_validate(service.create_programme(session, actor=actor, data=data))


@router.get("/programmes/{programme_id}", response_model=ProgrammeRead)
def get_programme(session: SessionDep, actor: ApiActor, programme_id: RecordPath) -> ProgrammeRead:
    """One programme, if visible to the caller."""
    return ProgrammeRead.model_validate(
        service.get_programme(session, actor=actor, programme_id=programme_id)
    )


@router.put("/programmes/{programme_id}", response_model=ProgrammeRead)
def update_programme(
    session: SessionDep, actor: ApiActor, programme_id: RecordPath, data: ApiBody[ProgrammeUpdate]
) -> ProgrammeRead:
    """Edit a programme; a stale version gets 409."""
    programme = service.update_programme(session, actor=actor, programme_id=programme_id, data=data)
    return ProgrammeRead.model_validate(programme)


@router.post("/programmes/{programme_id}/status", response_model=ProgrammeRead)
def set_status(
    session: SessionDep, actor: ApiActor, programme_id: RecordPath, change: ApiBody[StatusChange]
) -> ProgrammeRead:
    """Publish, close or reopen a programme."""
    programme = service.set_programme_status(
        session, actor=actor, programme_id=programme_id, target=change.target, version=change.version
    )
    return ProgrammeRead.model_validate(programme)
