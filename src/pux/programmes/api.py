"""JSON routes of programmes (/api/v1/programmes). Writes need a bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from pydantic import BaseModel

from pux.pagination import MAX_PAGE_SIZE, PageRequest
from pux.programmes import service
from pux.programmes.repository import ProgrammeFilter
from pux.programmes.schemas import ProgrammeCreate, ProgrammeRead, ProgrammeUpdate
from pux.web.deps import SessionDep
from pux.web.forms import RecordPath
from pux.web.routing import api_router
from pux.web.security import ApiActor

router = api_router("programmes")


class ProgrammePage(BaseModel):
    total: int
    page: int
    page_size: int
    items: list[ProgrammeRead]


class StatusChange(BaseModel):
    target: str
    version: int


@router.get("/programmes", response_model=ProgrammePage)
def list_programmes(
    session: SessionDep,
    actor: ApiActor,
    organisation: int | None = None,
    area: str | None = None,
    technique: str | None = None,
    modality: str | None = None,
    q: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> ProgrammePage:
    """Programmes visible to the caller, filtered and paged."""
    filters = ProgrammeFilter(
        organisation_id=organisation,
        thematic_area_code=area,
        technique_code=technique,
        modality=modality,
        text=q,
    )
    result = service.list_programmes(session, actor=actor, filters=filters, page=PageRequest(page, page_size))
    return ProgrammePage(
        total=result.total,
        page=page,
        page_size=page_size,
        items=[ProgrammeRead.model_validate(p) for p in result.items],
    )


@router.post("/programmes", response_model=ProgrammeRead, status_code=201)
def create_programme(session: SessionDep, actor: ApiActor, data: ProgrammeCreate) -> ProgrammeRead:
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
    session: SessionDep, actor: ApiActor, programme_id: RecordPath, data: ProgrammeUpdate
) -> ProgrammeRead:
    """Edit a programme; a stale version gets 409."""
    programme = service.update_programme(session, actor=actor, programme_id=programme_id, data=data)
    return ProgrammeRead.model_validate(programme)


@router.post("/programmes/{programme_id}/status", response_model=ProgrammeRead)
def set_status(
    session: SessionDep, actor: ApiActor, programme_id: RecordPath, change: StatusChange
) -> ProgrammeRead:
    """Publish, close or reopen a programme."""
    programme = service.set_programme_status(
        session, actor=actor, programme_id=programme_id, target=change.target, version=change.version
    )
    return ProgrammeRead.model_validate(programme)
