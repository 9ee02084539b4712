"""JSON routes of the gaps (/api/v1/gaps..., /api/v1/unfunded, /api/v1/map/...): the same service and the
same filters as the pages. Marking interest needs a bearer token."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import Path, Query
from pydantic import BaseModel, Field

from pux.accounts.permissions import Actor
from pux.gaps import service
from pux.gaps.engine import AreaGap
from pux.gaps.schemas import (
    CoverageReportRead,
    FigureRead,
    GapReport,
    InterestCreate,
    InterestView,
    RateRead,
    TagGapReportRead,
    UnconvertedRead,
    UnfundedBoard,
    UnfundedNeed,
    rates_applied,
    unconverted_by_column,
)
from pux.gaps.views import (
    CoveragePeriodQuery,
    GapQuery,
    PeriodQuery,
    RateQuery,
    Sort,
    UnfundedQuery,
    WhoQuery,
)
from pux.pagination import page_of_rows
from pux.validation import UtcDateTime
from pux.web.deps import SessionDep
from pux.web.filters import ApiPage
from pux.web.forms import CountryPath, RecordPath
from pux.web.listing import ListPage
from pux.web.openapi import error_responses
from pux.web.routing import api_router
from pux.web.security import ApiActor

router = api_router("gaps")


class GapRead(BaseModel):
    country_iso3: str
    country_name: str
    thematic_area: str
    thematic_area_name: str
    burden: FigureRead = Field(description="The area's burden, 0-1 (1 = the heaviest)")
    capacity: FigureRead = Field(
        description="Lack of capacity to meet it, 0-1 (1 = the least capacity, the most pressing)"
    )
    priority_score: FigureRead
    needs_count: int
    needs_without_cost: int
    activities_count: int
    activities_without_amount: int
    needs_cost: FigureRead
    covered: FigureRead
    uncovered: FigureRead
    surplus: FigureRead
    uncovered_share: float | None
    burden_weighted_gap: float | None
    providers: int
    duplicated_techniques: list[str] = Field(description="Techniques two or more providers fund here now")
    rates_applied: list[RateRead]
    unconverted: list[UnconvertedRead] = Field(
        description="Amounts in a currency with no stated rate, per column (not counted)"
    )

    @classmethod
    def of(cls, gap: AreaGap, country_name: str, area_name: str) -> GapRead:
        return cls(
            country_iso3=gap.country_iso3,
            country_name=country_name,
            thematic_area=gap.area,
            thematic_area_name=area_name,
            burden=FigureRead.of(gap.burden),
            capacity=FigureRead.of(gap.capacity),
            priority_score=FigureRead.of(gap.priority_score),
            needs_count=gap.needs_count,
            needs_without_cost=gap.needs_without_cost,
            activities_count=gap.activities_count,
            activities_without_amount=gap.activities_without_amount,
            needs_cost=FigureRead.of(gap.needs_cost),
            covered=FigureRead.of(gap.covered),
            uncovered=FigureRead.of(gap.uncovered),
            surplus=FigureRead.of(gap.surplus),
            uncovered_share=gap.uncovered_share,
            burden_weighted_gap=gap.burden_weighted_gap,
            providers=gap.providers,
            duplicated_techniques=list(gap.duplicated_techniques),
            rates_applied=rates_applied(gap.conversion),
            unconverted=unconverted_by_column(
                needs_cost=gap.cost_unconverted, covered=gap.covered_unconverted
            ),
        )


class GapReportRead(BaseModel):
    currency: str
    period_start: date
    period_end: date
    audience: str = Field(description="What the caller may see decided what was counted")
    made_at: datetime
    gaps: list[GapRead]

    @classmethod
    def of(cls, report: GapReport) -> GapReportRead:
        return cls(
            currency=report.currency,
            period_start=report.period.start,
            period_end=report.period.end,
            audience=report.audience,
            made_at=report.made_at,
            gaps=[GapRead.of(line.gap, line.country_name, line.area_name) for line in report.lines],
        )


class WhoRowRead(BaseModel):
    provider_id: int
    provider_name: str
    recipient_code: str
    recipient_name: str
    thematic_area: str | None
    technique: str | None
    activities: int
    currency: str
    committed: float | None
    disbursed: float | None


class WhoReportRead(BaseModel):
    """One page of the table (``total`` rows in all, ordered by provider, recipient, area and technique);
    the totals per currency are the whole table's. Every row at once: the CSV and Excel export. An
    implementer's activity whose money its funder's activity already counts (linked in IATI) is counted
    among the activities, but its amounts are not added again: no sum counts the same money twice."""

    period_start: date
    period_end: date
    source: str
    total: int
    page: int
    page_size: int
    rows: list[WhoRowRead]
    committed_by_currency: dict[str, float]
    disbursed_by_currency: dict[str, float]


class UnfundedNeedRead(BaseModel):
    need_id: int
    reference: str
    title: str
    country_iso3: str
    country_name: str
    thematic_area: str
    status: str
    national_rank: int | None
    estimated_cost: FigureRead
    unfunded_footnote_a: bool
    tc_project_code: str | None
    priority_score: FigureRead
    waiting_since: date
    interest_count: int | None = Field(
        description="How many partners marked interest: null for a reader who may not see every mark of "
        "interest in the need (only the need's country and facilitators do)."
    )
    my_interest: bool
    comparable_cost: FigureRead | None = Field(
        description="The estimated cost in the board's `currency` (converted with the stated rate, whose "
        "source and year it carries, when the need is costed in another currency); null when it cannot be "
        "compared: no cost stated, or a currency no stated rate converts."
    )

    @classmethod
    def of(cls, need: UnfundedNeed, *, count_shown: bool) -> UnfundedNeedRead:
        return cls(
            need_id=need.need_id,
            reference=need.reference,
            title=need.title,
            country_iso3=need.country_iso3,
            country_name=need.country_name,
            thematic_area=need.area_code,
            status=need.status,
            national_rank=need.national_rank,
            estimated_cost=FigureRead.of(need.cost),
            unfunded_footnote_a=need.unfunded_footnote_a,
            tc_project_code=need.tc_project_code,
            priority_score=FigureRead.of(need.priority_score),
            waiting_since=need.waiting_since,
            interest_count=need.interest_count if count_shown else None,
            my_interest=need.my_interest,
            comparable_cost=FigureRead.of(need.comparable_cost) if need.comparable_cost else None,
        )


class UnfundedBoardRead(ListPage[UnfundedNeedRead]):
    """A page of the unfunded board, with the currency its costs are compared in."""

    currency: str = Field(description="The currency of the cost range and of the cost order")
    rates: list[RateRead] = Field(description="The exchange rates stated to compare costs")
    not_compared: dict[str, int] = Field(
        description="With a cost range or the cost order: how many needs (on every page) are costed in a "
        "currency no stated rate converts, per currency. They are listed after the compared needs, grouped "
        "by currency, and not filtered by the cost range."
    )

    @classmethod
    def of_board(cls, board: UnfundedBoard, *, actor: Actor) -> UnfundedBoardRead:
        return cls(
            total=board.total,
            page=board.request.number,
            page_size=board.request.size,
            items=[
                UnfundedNeedRead.of(
                    need, count_shown=service.shows_interest_count(actor, country_iso3=need.country_iso3)
                )
                for need in board.items
            ],
            currency=board.currency,
            rates=[RateRead.of(rate) for rate in board.rates],
            not_compared=board.not_compared,
        )


class InterestRead(BaseModel):
    interest_id: int
    need_id: int
    need_reference: str
    country_iso3: str
    organisation_id: int
    organisation_name: str
    note: str
    status: str
    marked_at: UtcDateTime
    acknowledged_at: UtcDateTime | None

    @classmethod
    def of(cls, view: InterestView) -> InterestRead:
        return cls(
            interest_id=view.interest_id,
            need_id=view.need_id,
            need_reference=view.need_reference,
            country_iso3=view.country_iso3,
            organisation_id=view.organisation_id,
            organisation_name=view.organisation_name,
            note=view.note,
            status=view.status,
            marked_at=view.marked_at,
            acknowledged_at=view.acknowledged_at,
        )


class MapRead(BaseModel):
    indicator: str
    title: str
    unit: str
    source: str
    year: str | None
    values: dict[str, float | None] = Field(description="ISO3 -> figure; null or absent is no data")
    partial: list[str] = Field(
        default_factory=list,
        description="ISO3 codes whose figure adds up only the known parts (e.g. an uncovered cost that "
        "leaves out an area whose cost is not known): a lower bound, not the whole",
    )


@router.get("/gaps", response_model=GapReportRead, responses=error_responses(401, 422))
def gap_ranking(
    session: SessionDep, actor: ApiActor, filters: GapQuery, period: PeriodQuery, money: RateQuery
) -> GapReportRead:
    """Gaps per country and thematic area visible to the caller, the largest burden-weighted gap first."""
    currency, rates = money
    report = service.gap_ranking(
        session, actor=actor, filters=filters, period=period, currency=currency, rates=rates
    )
    return GapReportRead.of(report)


@router.get("/gaps/countries/{iso3}", response_model=GapReportRead)
def country_gaps(
    session: SessionDep, actor: ApiActor, iso3: CountryPath, period: PeriodQuery, money: RateQuery
) -> GapReportRead:
    """One country's gap in each thematic area."""
    currency, rates = money
    report = service.country_gaps(
        session, actor=actor, iso3=iso3, period=period, currency=currency, rates=rates
    )
    return GapReportRead.of(report)


@router.get(
    "/gaps/by-goal-and-technique", response_model=TagGapReportRead, responses=error_responses(401, 422)
)
def gaps_by_goal_and_technique(
    session: SessionDep, actor: ApiActor, filters: GapQuery, period: PeriodQuery, money: RateQuery
) -> TagGapReportRead:
    """Needs against the assistance running in the period (`on`, or `start` to `end`; blank: today), per
    SDG goal and per technique, counting only what the caller may see: the same figures as
    /gaps/by-goal-and-technique."""
    currency, rates = money
    report = service.gaps_by_goal_and_technique(
        session, actor=actor, filters=filters, period=period, currency=currency, rates=rates
    )
    return TagGapReportRead.of(report)


@router.get("/gaps/over-time", response_model=CoverageReportRead, responses=error_responses(401, 422))
def coverage_over_time(
    session: SessionDep, actor: ApiActor, filters: GapQuery, period: CoveragePeriodQuery, money: RateQuery
) -> CoverageReportRead:
    """Year by year, the endorsed needs the caller may see recorded in that year against the assistance
    begun in it: the same figures as /gaps/over-time. The years run from `start` to `end` (blank `end`: this
    year; blank both: every year the data covers), within 1900-2199 and at most 50 years (422 otherwise,
    naming the field)."""
    currency, rates = money
    report = service.coverage_over_time(
        session, actor=actor, filters=filters, period=period, currency=currency, rates=rates
    )
    return CoverageReportRead.of(report)


@router.get("/gaps/who", response_model=WhoReportRead, responses=error_responses(401, 422))
def who_does_what_where(
    session: SessionDep, actor: ApiActor, filters: WhoQuery, period: PeriodQuery, page: ApiPage
) -> WhoReportRead:
    """Who does what where: providers x recipients x areas x techniques with amounts per currency, paged
    (at the mission's scale the table has tens of thousands of rows)."""
    report = service.who_does_what_where(session, actor=actor, filters=filters, period=period)
    shown = page_of_rows(report.rows, page)
    return WhoReportRead(
        period_start=report.period.start,
        period_end=report.period.end,
        source=report.source,
        total=shown.total,
        page=shown.request.number,
        page_size=shown.request.size,
        rows=[
            WhoRowRead(
                provider_id=row.provider_id,
                provider_name=row.provider_name,
                recipient_code=row.recipient_code,
                recipient_name=row.recipient_name,
                thematic_area=row.area_code,
                technique=row.technique_code,
                activities=row.activities,
                currency=row.currency,
                committed=row.committed,
                disbursed=row.disbursed,
            )  # fmt: skip
            for row in shown.items
        ],
        committed_by_currency=report.committed_by_currency,
        disbursed_by_currency=report.disbursed_by_currency,
    )


@router.get("/unfunded", response_model=UnfundedBoardRead, responses=error_responses(401, 422))
def unfunded_needs(
    session: SessionDep,
    actor: ApiActor,
    filters: UnfundedQuery,
    money: RateQuery,
    page: ApiPage,
    sort: Sort = "priority",
) -> UnfundedBoardRead:
    """Endorsed and published needs that no programme or recorded funding answers yet. Costs are compared
    in `currency`; a need costed in another currency only through a stated rate, else it is listed after
    the compared needs and counted in `not_compared`."""
    currency, rates = money
    board = service.unfunded_needs(
        session, actor=actor, filters=filters, page=page, sort=sort, currency=currency, rates=rates
    )
    return UnfundedBoardRead.of_board(board, actor=actor)


@router.post("/needs/{need_id}/interest", response_model=InterestRead, status_code=201)
def mark_interest(
    session: SessionDep, actor: ApiActor, need_id: RecordPath, data: InterestCreate
) -> InterestRead:
    """Mark an organisation's interest in an unfunded need (partners of that organisation)."""
    interest = service.mark_interest(session, actor=actor, need_id=need_id, data=data)
    views = service.interests_for_need(session, actor=actor, need_id=interest.need_id)
    return InterestRead.of(next(view for view in views if view.interest_id == interest.id))


@router.get("/needs/{need_id}/interest", response_model=list[InterestRead])
def interests_for_need(session: SessionDep, actor: ApiActor, need_id: RecordPath) -> list[InterestRead]:
    """The marks of interest in a need that the caller may see."""
    return [
        InterestRead.of(view) for view in service.interests_for_need(session, actor=actor, need_id=need_id)
    ]


@router.get("/map/{indicator}", response_model=MapRead, responses=error_responses(401, 422))
def map_figures(
    session: SessionDep,
    actor: ApiActor,
    indicator: Annotated[str, Path(pattern="^(priority|gap|needs|assistance)$")],
    period: PeriodQuery,
    area: Annotated[str | None, Query(max_length=20)] = None,
) -> MapRead:
    """The figures of a world map: ISO3 -> value for one indicator, with its source and year."""
    figures = service.map_figures(session, actor=actor, indicator=indicator, area=area or None, period=period)
    return MapRead(
        indicator=figures.indicator, title=figures.title, unit=figures.unit, source=figures.source,
        year=figures.year, values=figures.values, partial=sorted(figures.partial),
    )  # fmt: skip
