"""Create / Update / Read shapes of a programme."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pux.assistance.money import (
    AMOUNT_LIMIT,
    AmountsCurrency,
    StoredAmount,
    require_currency_with_amounts,
)
from pux.i18n import LANGUAGES
from pux.i18n import gettext as _
from pux.reference.vocabulary import INCOME_GROUP_CODES, MODALITIES
from pux.validation import (
    CleanInput,
    FieldValueError,
    RecordNumber,
    UtcDateTime,
    WrittenDay,
    known_codes,
)

Money = Decimal
ELIGIBLE_GROUPS = ("LDC", "LLDC", "SIDS")
PROGRAMME_STATUSES = ("draft", "published", "closed")


class ProgrammeFields(CleanInput):
    model_config = ConfigDict(str_strip_whitespace=True)

    title: str = Field(min_length=5, max_length=300)
    description: str = Field(default="", max_length=10_000)
    modality: str
    thematic_area_codes: list[str] = Field(min_length=1)
    technique_codes: list[str] = Field(default_factory=list)
    sdg_target_codes: list[str] = Field(default_factory=list)
    eligible_country_codes: list[str] = Field(default_factory=list)
    eligible_region_codes: list[str] = Field(default_factory=list)
    eligible_income_groups: list[str] = Field(default_factory=list)
    eligible_groups: list[str] = Field(default_factory=list)
    total_budget: Money | None = Field(default=None, ge=0, lt=AMOUNT_LIMIT, decimal_places=2)
    remaining_budget: Money | None = Field(default=None, ge=0, lt=AMOUNT_LIMIT, decimal_places=2)
    max_per_need: Money | None = Field(default=None, ge=0, lt=AMOUNT_LIMIT, decimal_places=2)
    currency: AmountsCurrency = "USD"
    window_start: WrittenDay | None = None
    window_end: WrittenDay | None = None
    working_languages: list[str] = Field(default_factory=list)
    gender_focus: bool = False
    visibility: Literal["public", "partners"] = "public"

    @model_validator(mode="before")
    @classmethod
    def _currency_with_amounts(cls, data: Any) -> Any:
        require_currency_with_amounts(data, ("total_budget", "remaining_budget", "max_per_need"))
        return data

    @field_validator("modality")
    @classmethod
    def _known_modality(cls, value: str) -> str:
        codes = known_codes([value], MODALITIES)
        if not codes:  # blank: known_codes drops it, and a programme needs its one modality
            raise ValueError("is required")
        return codes[0]

    @field_validator("eligible_income_groups")
    @classmethod
    def _income_groups(cls, values: list[str]) -> list[str]:
        return known_codes(values, INCOME_GROUP_CODES)

    @field_validator("eligible_groups")
    @classmethod
    def _groups(cls, values: list[str]) -> list[str]:
        return known_codes(values, ELIGIBLE_GROUPS)

    @field_validator("working_languages")
    @classmethod
    def _languages(cls, values: list[str]) -> list[str]:
        return known_codes(values, LANGUAGES)

    @field_validator(
        "thematic_area_codes",
        "technique_codes",
        "sdg_target_codes",
        "eligible_country_codes",
        "eligible_region_codes",
    )
    @classmethod
    def _unique(cls, values: list[str]) -> list[str]:
        return sorted({value.strip() for value in values if value and value.strip()})

    @model_validator(mode="after")
    def _consistent(self) -> ProgrammeFields:
        if self.window_start and self.window_end and self.window_end < self.window_start:
            raise FieldValueError("window_end", _("must not be before the start of the window"))
        if self.total_budget is not None:
            self._check_budget_against_total(self.total_budget)
        return self

    def _check_budget_against_total(self, total: Money) -> None:
        if self.remaining_budget is None:
            # Nothing spent yet: a blank remaining left the programme out of every round, as if it had none.
            self.remaining_budget = total
        if self.remaining_budget > total:
            raise FieldValueError("remaining_budget", _("must not exceed the total budget"))
        if self.max_per_need is not None and self.max_per_need > total:
            raise FieldValueError("max_per_need", _("must not exceed the total budget"))


class ProgrammeCreate(ProgrammeFields):
    organisation_id: RecordNumber


class ProgrammeUpdate(ProgrammeFields):
    version: int = Field(ge=1, le=2**31 - 1)


class ProgrammeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    organisation_id: int
    title: str
    description: str
    modality: str
    thematic_area_codes: list[str]
    technique_codes: list[str]
    sdg_target_codes: list[str]
    eligible_country_codes: list[str]
    eligible_region_codes: list[str]
    eligible_income_groups: list[str]
    eligible_groups: list[str]
    total_budget: StoredAmount | None
    remaining_budget: StoredAmount | None
    max_per_need: StoredAmount | None
    currency: str
    window_start: date | None
    window_end: date | None
    working_languages: list[str]
    gender_focus: bool
    visibility: str
    status: str
    version: int
    updated_at: UtcDateTime
