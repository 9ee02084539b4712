"""JSON routes of the priority index."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body, Query
from pydantic import BaseModel

from pux.priority import service
from pux.priority.engine import PriorityResult
from pux.web.deps import SessionDep
from pux.web.routing import api_router
from pux.web.security import ApiActor

router = api_router("priority")


class IndicatorPartRead(BaseModel):
    code: str
    weight: float
    value: float | None
    year: int | None
    source: str | None
    pressing: float | None
    missing: bool


class ComponentRead(BaseModel):
    name: str
    weight: float
    pressing: float | None
    completeness: float
    note: str
    indicators: list[IndicatorPartRead]


class PriorityRead(BaseModel):
    iso3: str
    name: str
    area: str
    score: float | None
    rank: int | None
    completeness: float
    missing: list[str]
    rank_range: tuple[int, int] | None = None
    components: list[ComponentRead]

    @classmethod
    def of(cls, result: PriorityResult, rank_range: tuple[int, int] | None = None) -> PriorityRead:
        return cls(
            iso3=result.iso3,
            name=result.name,
            area=result.area,
            score=result.score,
            rank=result.rank,
            completeness=result.completeness,
            missing=list(result.missing),
            rank_range=rank_range,
            components=[
                ComponentRead(
                    name=c.name,
                    weight=c.weight,
                    pressing=c.pressing,
                    completeness=c.completeness,
                    note=c.note,
                    indicators=[
                        IndicatorPartRead(
                            code=p.code,
                            weight=p.weight,
                            value=p.observation.value if p.observation else None,
                            year=p.observation.year if p.observation else None,
                            source=p.observation.source if p.observation else None,
                            pressing=p.pressing,
                            missing=p.observation is None,
                        )
                        for p in c.parts
                    ],
                )
                for c in result.components
            ],
        )


@router.get("/priority", response_model=list[PriorityRead])
def ranking(
    session: SessionDep,
    actor: ApiActor,
    area: Annotated[str, Query(pattern=r"^[a-z_]+$")] = "health",
    sensitivity: bool = False,
) -> list[PriorityRead]:
    """Recipient countries ranked for one area; every component with its indicators, years and sources
    (the assistance component counts the activities the caller may see)."""
    ranges = service.rank_ranges(session, area=area, actor=actor) if sensitivity else {}
    return [
        PriorityRead.of(r, (ranges[r.iso3].best, ranges[r.iso3].worst) if r.iso3 in ranges else None)
        for r in service.ranking(session, area=area, actor=actor)
    ]


@router.get("/priority/countries/{iso3}", response_model=list[PriorityRead])
def country(session: SessionDep, actor: ApiActor, iso3: str) -> list[PriorityRead]:
    """A country's position in every thematic area."""
    positions = service.country_positions(session, iso3=iso3, actor=actor)
    return [PriorityRead.of(result) for result, _ranked in positions]


@router.get("/priority/config", response_model=dict[str, Any])
def get_config(session: SessionDep) -> dict[str, Any]:
    """The configuration in force (indicators, directions, weights)."""
    return service.active_config(session)[1]


@router.put("/priority/config", response_model=dict[str, Any])
def put_config(
    session: SessionDep, actor: ApiActor, data: Annotated[dict[str, Any], Body()]
) -> dict[str, Any]:
    """Replace the configuration (facilitators)."""
    service.save_config(session, actor=actor, data=data)
    return service.active_config(session)[1]
