"""JSON routes of the priority index."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy.orm import Session

from pux.errors import FieldProblem
from pux.gaps.service import assistance_source
from pux.i18n import gettext as _
from pux.priority import service
from pux.priority.engine import ASSISTANCE_CURRENCY, ComponentScore, PriorityResult
from pux.priority.schemas import PriorityConfigRead, PriorityConfigWrite
from pux.web.deps import SessionDep
from pux.web.openapi import ApiBody
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


class AmountRead(BaseModel):
    """Current commitments in one currency that the index did not count, on the day it was read."""

    currency: str
    amount: float
    as_of: date
    source: str


class ComponentRead(BaseModel):
    name: str
    weight: float
    pressing: float | None
    completeness: float
    note: str
    indicators: list[IndicatorPartRead]
    # The assistance component counts current commitments in this currency only ("USD"; None for the
    # other components) and names what it left out, per currency (never converted).
    counted_currency: str | None = None
    not_counted: list[AmountRead] = []

    @classmethod
    def of(cls, component: ComponentScore) -> ComponentRead:
        return cls(
            name=component.name,
            weight=component.weight,
            pressing=component.pressing,
            completeness=component.completeness,
            note=component.note,
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
                for p in component.parts
            ],
            counted_currency=ASSISTANCE_CURRENCY if component.name == "assistance" else None,
            not_counted=[
                AmountRead(currency=c, amount=a, as_of=date.today(), source=assistance_source())
                for c, a in component.not_counted
            ],
        )


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
            components=[ComponentRead.of(c) for c in result.components],
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
    """A country's position in every thematic area (the assistance component counts the activities the
    caller may see, in US dollars; commitments in other currencies are listed under not_counted)."""
    positions = service.country_positions(session, iso3=iso3, actor=actor)
    return [PriorityRead.of(result) for result, _ranked in positions]


def _in_force(session: Session) -> PriorityConfigRead:
    in_force = service.config_in_force(session)
    # The name as the index reads it: a configuration saved without one is "custom", not unreadable.
    return PriorityConfigRead.model_validate(
        {**in_force.data, "name": in_force.config.name, "revision": in_force.revision}
    )


@router.get("/priority/config", response_model=PriorityConfigRead)
def get_config(session: SessionDep) -> PriorityConfigRead:
    """The configuration in force (indicators, directions, weights) and its revision, to send back with a
    changed configuration."""
    return _in_force(session)


def _facilitators_only(actor: ApiActor) -> None:
    """Refused before the body is checked: what is wrong in a configuration is for facilitators to read."""
    service.require_may_configure(actor)


@router.put("/priority/config", response_model=PriorityConfigRead, dependencies=[Depends(_facilitators_only)])
def put_config(
    session: SessionDep, actor: ApiActor, body: ApiBody[PriorityConfigWrite]
) -> PriorityConfigRead:
    """Replace the configuration (facilitators) with the one sent, made from the revision read: once
    another configuration has been saved since, 409 and nothing is saved (read it again, then send your
    changes over it). Each save is kept in the audit trail (priority.configure)."""
    document = body.document()
    if body.revision is None:
        message = _(
            "send the revision you read: without it, a configuration saved meanwhile would be replaced"
        )
        service.refuse_unread(session, actor=actor, data=document, missing=FieldProblem("revision", message))
    service.save_config(session, actor=actor, data=document, revision=body.revision)
    return _in_force(session)
