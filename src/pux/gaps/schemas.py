"""The shapes the gaps service returns and takes: plain dataclasses (filters in, reports out), the
pydantic shape of a mark of interest sent to the API, and the JSON shapes of the gaps by goal and technique
and of coverage over time. Every figure carries its unit, source and year."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from pux.gaps.engine import AreaGap, Conversion, Coverage, ExchangeRate, Figure, Money, TagGap, YearCoverage
from pux.pagination import Page
from pux.validation import CleanInput, RecordNumber


@dataclass(frozen=True)
class Period:
    """Assistance counts when its activity runs at some time between ``start`` and ``end`` (inclusive);
    an activity without dates runs throughout."""

    start: date
    end: date

    @classmethod
    def on(cls, day: date) -> Period:
        return cls(day, day)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def label(self) -> str:
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()}–{self.end.isoformat()}"


# --- Who does what where ------------------------------------------------------------------------


@dataclass(frozen=True)
class WhoFilter:
    # The providers chosen (None: every one; empty: a typed name that fits none, so nothing is listed).
    provider_organisation_ids: tuple[int, ...] | None = None
    country_iso3: str | None = None
    region_m49: str | None = None
    thematic_area_code: str | None = None
    technique_code: str | None = None
    by: str = "country"  # "country" or "region": what the rows group recipients by


class WhoRow(NamedTuple):
    """One provider's assistance to one recipient (a country, or a region) in one area and technique.
    (A named tuple: a table at the mission's scale makes tens of thousands of them after each change.)"""

    provider_id: int
    provider_name: str
    recipient_code: str  # ISO3, or the M49 code of the region
    recipient_name: str
    area_code: str | None
    area_name: str
    technique_code: str | None
    technique_name: str
    activities: int
    currency: str
    committed: float | None  # None when no activity of the row states an amount
    disbursed: float | None


@dataclass(frozen=True)
class WhoReport:
    rows: Sequence[WhoRow]
    period: Period
    source: str
    # Totals per currency (amounts are never converted here).
    committed_by_currency: dict[str, float] = field(default_factory=dict)
    disbursed_by_currency: dict[str, float] = field(default_factory=dict)
    # Committed per thematic area and currency, for the chart beside the table.
    committed_by_area: dict[tuple[str, str], float] = field(default_factory=dict)


# --- Gaps ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GapFilter:
    country_iso3: str | None = None
    countries: frozenset[str] | None = None  # e.g. a region's, or an organisation's recipients
    region_m49: str | None = None
    thematic_area_code: str | None = None
    areas: frozenset[str] | None = None


@dataclass(frozen=True)
class GapLine:
    """An ``AreaGap`` with the names a reader needs."""

    gap: AreaGap
    country_name: str
    area_name: str


@dataclass(frozen=True)
class GapReport:
    """Gaps per country and area, the largest burden-weighted gap first, with how they were computed."""

    lines: Sequence[GapLine]
    currency: str
    rates: Sequence[ExchangeRate]
    period: Period
    needs_source: str
    assistance_source: str
    index_source: str
    made_at: datetime
    # Audience: what the reader may see decided what was counted ("public", "partners", "country", "all").
    audience: str = "public"

    @property
    def has_unconverted(self) -> bool:
        return any(not line.gap.conversion.complete for line in self.lines)


@dataclass(frozen=True)
class TagLine:
    """A ``TagGap`` with the name of its SDG goal or technique."""

    gap: TagGap
    name: str


@dataclass(frozen=True)
class TagGapReport:
    """Needs against current assistance per SDG goal and per technique. A need (or an activity) tagged
    with several goals or techniques is counted under each: the rows do not add up to a total."""

    goals: Sequence[TagLine]
    techniques: Sequence[TagLine]
    currency: str
    rates: Sequence[ExchangeRate]
    period: Period
    needs_source: str
    assistance_source: str
    made_at: datetime
    audience: str
    # Counted nowhere in the table of that kind: they name no goal (or no technique).
    needs_without_goal: int = 0
    needs_without_technique: int = 0
    activities_without_goal: int = 0
    activities_without_technique: int = 0

    @property
    def has_unconverted(self) -> bool:
        return any(not line.gap.conversion.complete for line in (*self.goals, *self.techniques))


@dataclass(frozen=True)
class CoverageReport:
    """Year by year: endorsed needs recorded and their cost against the assistance begun in that year."""

    coverage: Coverage
    currency: str
    rates: Sequence[ExchangeRate]
    needs_source: str
    assistance_source: str
    made_at: datetime
    audience: str

    @property
    def has_unconverted(self) -> bool:
        return any(not year.conversion.complete for year in self.coverage.years)


# --- The unfunded-needs board ---------------------------------------------------------------------


@dataclass(frozen=True)
class UnfundedFilter:
    thematic_area_code: str | None = None
    technique_code: str | None = None
    region_m49: str | None = None
    income_group: str | None = None
    group: str | None = None  # "LDC", "LLDC" or "SIDS"
    cost_min: Decimal | None = None
    cost_max: Decimal | None = None
    footnote_a_only: bool = False
    country_iso3: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class UnfundedNeed:
    need_id: int
    reference: str
    title: str
    country_iso3: str
    country_name: str
    area_code: str
    area_name: str
    technique_names: tuple[str, ...]
    status: str
    national_rank: int | None
    cost: Figure  # the need's estimated cost in its own currency; missing when not stated
    unfunded_footnote_a: bool
    tc_project_code: str | None
    priority_score: Figure  # the country's index in the need's area
    waiting_since: date  # when the need was last changed (endorsed or published)
    interest_count: int
    my_interest: bool  # the reader's organisation has marked interest
    # The cost in the board's currency (converted with a stated rate when the need states another); None
    # when it cannot be compared: no cost stated, or a currency no stated rate converts.
    comparable_cost: Figure | None = None


@dataclass(frozen=True)
class UnfundedBoard(Page[UnfundedNeed]):
    """A page of the unfunded board, with the currency its costs are compared in and the rates stated for
    that. A cost range or the cost order compares costs; the needs whose currency no rate converts are
    then listed after the others, and ``not_compared`` counts them per currency (on every page), so a
    reader is told what was not compared instead of finding it hidden or misplaced."""

    currency: str = "USD"
    rates: tuple[ExchangeRate, ...] = ()
    cost_filtered: bool = False  # a cost range was asked for
    cost_sorted: bool = False  # the largest cost first
    not_compared: dict[str, int] = field(default_factory=dict)

    @property
    def compares_costs(self) -> bool:
        return self.cost_filtered or self.cost_sorted

    @property
    def not_compared_count(self) -> int:
        return sum(self.not_compared.values())


# --- Interest marks ---------------------------------------------------------------------------------


class InterestCreate(CleanInput):
    """A partner's mark of interest in a need."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    organisation_id: RecordNumber | None = Field(
        default=None, description="The organisation that is interested (needed when you represent several)."
    )
    note: str = Field(default="", max_length=2000, description="What the organisation could offer, briefly.")


@dataclass(frozen=True)
class InterestView:
    interest_id: int
    need_id: int
    need_reference: str
    need_title: str
    country_iso3: str
    organisation_id: int
    organisation_name: str
    note: str
    status: str
    marked_at: datetime
    acknowledged_at: datetime | None


# --- Maps -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapFigures:
    """What a choropleth needs: ISO3 -> value (None = no data), with its title, unit, source and year."""

    indicator: str
    values: dict[str, float | None]
    title: str
    legend_title: str
    unit: str
    source: str
    year: str | None
    # The countries whose figure adds up only the parts that are known (the uncovered cost of a country
    # with an area whose cost is not known): shown, and said to be partial, never as "no data".
    partial: frozenset[str] = frozenset()
    # Each country's own years where they differ from the map's span (the priority index's data years).
    years_by_country: Mapping[str, str] = field(default_factory=dict)


# --- JSON shapes of the API ------------------------------------------------------------------------------


class FigureRead(BaseModel):
    """A figure with its unit, source and year; ``value`` null is missing data (never zero)."""

    value: float | None
    unit: str
    source: str
    year: str | None

    @classmethod
    def of(cls, figure: Figure) -> FigureRead:
        return cls(value=figure.value, unit=figure.unit, source=figure.source, year=figure.year)


class MoneyRead(BaseModel):
    amount: float
    currency: str


class UnconvertedRead(MoneyRead):
    """An amount in a currency no stated rate converts: left out of one column's figure, and never added to
    what another column left out (a cost plus an amount covered would mean nothing)."""

    column: str = Field(description="The figure it is missing from, by its field name (e.g. `needs_cost`)")


def unconverted_by_column(**columns: Sequence[Money]) -> list[UnconvertedRead]:
    """What each named column left unconverted, column by column."""
    return [
        UnconvertedRead(column=column, amount=money.amount, currency=money.currency)
        for column, amounts in columns.items()
        for money in amounts
    ]


class RateRead(BaseModel):
    from_currency: str
    to_currency: str
    rate: float
    year: int
    source: str

    @classmethod
    def of(cls, rate: ExchangeRate) -> RateRead:
        return cls(**rate.__dict__)


def rates_applied(conversion: Conversion) -> list[RateRead]:
    return [RateRead.of(rate) for rate in conversion.applied]


class TagGapRead(BaseModel):
    """One SDG goal or technique: every country's figures under it added up."""

    code: str = Field(description="The SDG goal's number or the technique's code")
    name: str
    needs_count: int
    needs_without_cost: int = Field(description="Endorsed needs counted that state no cost")
    activities_count: int
    activities_without_amount: int = Field(
        description="Activities counted that state no single committed amount: none, or amounts in several "
        "currencies (which PUX does not add up)"
    )
    needs_cost: FigureRead
    covered: FigureRead
    uncovered: FigureRead = Field(description="Each country's own remainder, added up")
    uncovered_share: float | None
    partial: bool = Field(
        description="Some country's remainder is not known (no cost, no amount, or not converted): the "
        "uncovered cost is a lower bound"
    )
    rates_applied: list[RateRead]
    unconverted: list[UnconvertedRead] = Field(
        description="Amounts in a currency with no stated rate, per column (not counted)"
    )

    @classmethod
    def of(cls, line: TagLine) -> TagGapRead:
        gap = line.gap
        return cls(
            code=gap.tag,
            name=line.name,
            needs_count=gap.needs_count,
            needs_without_cost=gap.needs_without_cost,
            activities_count=gap.activities_count,
            activities_without_amount=gap.activities_without_amount,
            needs_cost=FigureRead.of(gap.needs_cost),
            covered=FigureRead.of(gap.covered),
            uncovered=FigureRead.of(gap.uncovered),
            uncovered_share=gap.uncovered_share,
            partial=gap.partial,
            rates_applied=rates_applied(gap.conversion),
            unconverted=unconverted_by_column(
                needs_cost=gap.cost_unconverted, covered=gap.covered_unconverted
            ),
        )


class TagGapReportRead(BaseModel):
    """Needs against the assistance running in the period, per SDG goal and per technique. A record with
    several goals or techniques counts under each: the rows do not add up to a total."""

    currency: str
    period_start: date
    period_end: date
    audience: str = Field(description="What the caller may see decided what was counted")
    made_at: datetime
    needs_source: str
    assistance_source: str
    rates: list[RateRead] = Field(description="The exchange rates stated to convert amounts into `currency`")
    goals: list[TagGapRead]
    techniques: list[TagGapRead]
    needs_without_goal: int = Field(description="Endorsed needs in no goal row: they name no SDG target")
    needs_without_technique: int
    activities_without_goal: int
    activities_without_technique: int

    @classmethod
    def of(cls, report: TagGapReport) -> TagGapReportRead:
        return cls(
            currency=report.currency,
            period_start=report.period.start,
            period_end=report.period.end,
            audience=report.audience,
            made_at=report.made_at,
            needs_source=report.needs_source,
            assistance_source=report.assistance_source,
            rates=[RateRead.of(rate) for rate in report.rates],
            goals=[TagGapRead.of(line) for line in report.goals],
            techniques=[TagGapRead.of(line) for line in report.techniques],
            needs_without_goal=report.needs_without_goal,
            needs_without_technique=report.needs_without_technique,
            activities_without_goal=report.activities_without_goal,
            activities_without_technique=report.activities_without_technique,
        )


class YearCoverageRead(BaseModel):
    """One year: the endorsed needs recorded in it, and the assistance whose activities began in it."""

    year: int
    needs_count: int
    needs_without_cost: int
    needs_cost: FigureRead
    activities_count: int
    activities_without_amount: int
    committed: FigureRead
    disbursed: FigureRead
    covered_share: float | None = Field(description="committed / needs_cost; null when either is not known")
    rates_applied: list[RateRead]
    unconverted: list[UnconvertedRead] = Field(
        description="Amounts in a currency with no stated rate, per column (not counted)"
    )

    @classmethod
    def of(cls, year: YearCoverage) -> YearCoverageRead:
        return cls(
            year=year.year,
            needs_count=year.needs_count,
            needs_without_cost=year.needs_without_cost,
            needs_cost=FigureRead.of(year.needs_cost),
            activities_count=year.activities_count,
            activities_without_amount=year.activities_without_amount,
            committed=FigureRead.of(year.committed),
            disbursed=FigureRead.of(year.disbursed),
            covered_share=year.covered_share,
            rates_applied=rates_applied(year.conversion),
            unconverted=unconverted_by_column(
                needs_cost=year.cost_unconverted,
                committed=year.committed_unconverted,
                disbursed=year.disbursed_unconverted,
            ),
        )


class CoverageReportRead(BaseModel):
    """Year by year, every year of the range (one without records included): whether the gap narrows."""

    currency: str
    audience: str = Field(description="What the caller may see decided what was counted")
    made_at: datetime
    needs_source: str
    assistance_source: str
    rates: list[RateRead] = Field(description="The exchange rates stated to convert amounts into `currency`")
    years: list[YearCoverageRead]
    undated_activities: int = Field(description="Activities in no year: they state no start date")
    undated_committed: FigureRead

    @classmethod
    def of(cls, report: CoverageReport) -> CoverageReportRead:
        return cls(
            currency=report.currency,
            audience=report.audience,
            made_at=report.made_at,
            needs_source=report.needs_source,
            assistance_source=report.assistance_source,
            rates=[RateRead.of(rate) for rate in report.rates],
            years=[YearCoverageRead.of(year) for year in report.coverage.years],
            undated_activities=report.coverage.undated_activities,
            undated_committed=FigureRead.of(report.coverage.undated_committed),
        )
