"""Create / Update / Read shapes of a need."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pux.assistance.money import (
    AMOUNT_LIMIT,
    AmountsCurrency,
    StoredAmount,
    require_currency_with_amounts,
)
from pux.needs.workflow import STATUSES
from pux.reference.vocabulary import HORIZONS, MODALITIES, READINESS_LEVELS, VULNERABLE_GROUPS
from pux.validation import CleanInput, RecordNumber, UtcDateTime, known_code, known_codes

Visibility = Literal["public", "partners", "private"]
Readiness = Literal["none", "partial", "ready"]
Horizon = Literal["short", "medium", "long"]
assert set(READINESS_LEVELS) == {"none", "partial", "ready"} and set(HORIZONS) == {"short", "medium", "long"}


class NeedFields(CleanInput):
    """What a counterpart fills in; area, technique and target codes are checked by the service."""

    model_config = ConfigDict(str_strip_whitespace=True)

    title: str = Field(min_length=5, max_length=300)
    description: str = Field(default="", max_length=10_000)
    thematic_area_code: str = Field(min_length=2, max_length=20)
    technique_codes: list[str] = Field(default_factory=list)
    sdg_target_codes: list[str] = Field(default_factory=list)
    modalities_wanted: list[str] = Field(default_factory=list)
    beneficiaries_count: int | None = Field(default=None, ge=0, le=10_000_000_000)
    beneficiaries_women_share: int | None = Field(default=None, ge=0, le=100)
    beneficiary_description: str | None = Field(default=None, max_length=2000)
    gender_dimension: str | None = Field(default=None, max_length=2000)
    vulnerable_groups: list[str] = Field(default_factory=list)
    estimated_cost: Decimal | None = Field(default=None, ge=0, lt=AMOUNT_LIMIT, decimal_places=2)
    currency: AmountsCurrency = "USD"
    cofinancing_amount: Decimal | None = Field(default=None, ge=0, lt=AMOUNT_LIMIT, decimal_places=2)
    cofinancing_note: str | None = Field(default=None, max_length=2000)
    regulatory_body: Readiness | None = None
    infrastructure: Readiness | None = None
    trained_staff: Readiness | None = None
    horizon: Horizon | None = None
    national_plan_reference: str | None = Field(default=None, max_length=300)
    cpf_priority: str | None = Field(default=None, max_length=300)
    tc_project_code: str | None = Field(default=None, pattern=r"^[A-Z]{3}\d{4}$")
    unfunded_footnote_a: bool = False
    visibility: Visibility = "public"
    organisation_id: RecordNumber | None = None

    @model_validator(mode="before")
    @classmethod
    def _currency_with_amounts(cls, data: Any) -> Any:
        require_currency_with_amounts(data, ("estimated_cost", "cofinancing_amount"))
        return data

    @field_validator("modalities_wanted")
    @classmethod
    def _known_modalities(cls, values: list[str]) -> list[str]:
        return known_codes(values, MODALITIES)

    @field_validator("vulnerable_groups")
    @classmethod
    def _known_groups(cls, values: list[str]) -> list[str]:
        return known_codes(values, VULNERABLE_GROUPS)

    @field_validator("technique_codes", "sdg_target_codes")
    @classmethod
    def _unique(cls, values: list[str]) -> list[str]:
        return sorted({value.strip() for value in values if value and value.strip()})


class NeedCreate(NeedFields):
    country_iso3: str = Field(pattern=r"^[A-Z]{3}$")


class NeedUpdate(NeedFields):
    version: int = Field(
        ge=1, le=2**31 - 1, description="The version that was edited; a stale version is refused (409)"
    )


class NeedTransition(CleanInput):
    target: str
    comment: str | None = Field(default=None, max_length=2000)
    version: int = Field(ge=1, le=2**31 - 1)

    @field_validator("target")
    @classmethod
    def _a_status(cls, value: str) -> str:
        # "flying" answered 409 "a draft cannot become flying": a value that is no status is a bad value.
        return known_code(value, STATUSES)


class NeedRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    reference: str
    country_iso3: str
    organisation_id: int | None
    title: str
    description: str
    thematic_area_code: str
    technique_codes: list[str]
    sdg_target_codes: list[str]
    modalities_wanted: list[str]
    beneficiaries_count: int | None
    beneficiaries_women_share: int | None
    beneficiary_description: str | None
    gender_dimension: str | None
    vulnerable_groups: list[str]
    estimated_cost: StoredAmount | None
    currency: str
    cofinancing_amount: StoredAmount | None
    cofinancing_note: str | None
    regulatory_body: str | None
    infrastructure: str | None
    trained_staff: str | None
    horizon: str | None
    national_plan_reference: str | None
    cpf_priority: str | None
    tc_project_code: str | None
    unfunded_footnote_a: bool
    visibility: str
    status: str
    national_rank: int | None
    version: int
    updated_at: UtcDateTime
