"""Read shapes of the dialogue's JSON API that ``schemas.py`` does not hold: travel applications, the
fund's lines and runs, an event's outcome with its recommendations, and the balance meter's report.

Plain pydantic (no web framework): the API builds them from what the service returns.
"""

from __future__ import annotations

import math
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from pux.dialogues import balance as balance_engine
from pux.dialogues.schemas import (
    BalanceDimensionRead,
    BalanceRead,
    BalanceRowRead,
    OutcomeRead,
    RecommendationRead,
    TargetCheckRead,
)


class TravelApplicationRead(BaseModel):
    """A participant's request for travel support (in the event's budget currency)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    participant_id: int
    fare: Decimal
    daily_allowance: Decimal
    nights: int
    requested: Decimal = Field(description="fare + daily_allowance x nights")
    reason: str
    status: str
    version: int


class TravelGrantRead(BaseModel):
    """The fund's (or a facilitator's) decision on one application; amount 0 means not supported."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    amount: Decimal
    reason_code: str
    reason_detail: str
    is_override: bool
    version: int


class FundLineRead(BaseModel):
    """One application as the fund weighs it (facilitators only: it names the person)."""

    application: TravelApplicationRead
    participant_id: int
    full_name: str
    country_iso3: str | None
    priority_score: float | None = Field(description="The country's priority index; null when it has none")
    recipient: bool
    weight: float
    minimum: Decimal = Field(description="The smallest useful award (the fare and the uncut allowance)")
    requested: Decimal
    grant: TravelGrantRead | None


class FundRunRead(BaseModel):
    """One run of the travel-fund optimiser."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    event_id: int
    status: str = Field(description="optimal, feasible, infeasible or no_solution")
    budget: Decimal
    total_awarded: Decimal
    proven_gap: float | None = Field(description="Relative gap the solver proved; null when unbounded")
    binding: list[str]
    conflicting: list[str]
    solve_seconds: float

    @classmethod
    def of(cls, run: object) -> FundRunRead:
        read = cls.model_validate(run)
        if read.proven_gap is not None and not math.isfinite(read.proven_gap):
            read.proven_gap = None  # JSON has no infinity
        return read


class EventOutcomeRead(BaseModel):
    """What an event concluded (null until recorded) and the recommendations it made."""

    event_id: int
    outcome: OutcomeRead | None
    recommendations: list[RecommendationRead]


def balance_read(report: balance_engine.BalanceReport) -> BalanceRead:
    """The balance meter's report as JSON: shares per dimension and each target judged."""
    return BalanceRead(
        total=report.total,
        dimensions=[
            BalanceDimensionRead(
                dimension=shares.dimension,
                rows=[BalanceRowRead(category=r.category, count=r.count, share=r.share) for r in shares.rows],
            )
            for shares in report.dimensions
        ],
        checks=[
            TargetCheckRead(
                dimension=check.target.dimension,
                category=check.target.category,
                checked_category=check.category,
                bound=check.target.bound,
                target_share=check.target.share,
                share=check.share,
                status=check.status,
                people_needed=check.people_needed,
            )
            for check in report.checks
        ],
    )
