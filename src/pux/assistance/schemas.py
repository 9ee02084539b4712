"""Create / Update / Read shapes of an assistance activity."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from pux.assistance.models import ACTIVITY_STATUSES
from pux.assistance.money import (
    AMOUNT_LIMIT,
    AmountsCurrency,
    StoredAmount,
    require_currency_with_amounts,
)
from pux.i18n import gettext as _
from pux.validation import CleanInput, FieldValueError, RecordNumber, UtcDateTime, WrittenDay

ActivityStatus = Literal["pipeline", "implementation", "finalisation", "closed", "cancelled", "suspended"]
assert set(ACTIVITY_STATUSES) == {
    "pipeline",
    "implementation",
    "finalisation",
    "closed",
    "cancelled",
    "suspended",
}


class ActivityFields(CleanInput):
    model_config = ConfigDict(str_strip_whitespace=True)

    external_id: str | None = Field(
        default=None,
        max_length=150,
        description="The provider's own identifier of the activity, unique in PUX (IATI's: iati_identifier)",
    )
    title: str = Field(min_length=3, max_length=300)
    description: str = Field(default="", max_length=10_000)
    provider_organisation_id: RecordNumber
    implementer: str | None = Field(default=None, max_length=200)
    recipient_country_iso3: str = Field(pattern=r"^[A-Z]{3}$")
    need_id: RecordNumber | None = None
    programme_id: RecordNumber | None = None
    thematic_area_code: str | None = None
    technique_code: str | None = None
    amount_committed: Decimal | None = Field(default=None, ge=0, lt=AMOUNT_LIMIT, decimal_places=2)
    amount_disbursed: Decimal | None = Field(default=None, ge=0, lt=AMOUNT_LIMIT, decimal_places=2)
    currency: AmountsCurrency = "USD"
    start_date: WrittenDay | None = None
    end_date: WrittenDay | None = None
    status: ActivityStatus = "implementation"
    dac_sector_codes: list[str] = Field(default_factory=list)
    sdg_codes: list[str] = Field(default_factory=list)
    visibility: Literal["public", "partners", "private"] = "public"

    @model_validator(mode="before")
    @classmethod
    def _currency_with_amounts(cls, data: Any) -> Any:
        require_currency_with_amounts(data, ("amount_committed", "amount_disbursed"))
        return data

    @field_validator("dac_sector_codes", "sdg_codes")
    @classmethod
    def _unique(cls, values: list[str]) -> list[str]:
        return sorted({value.strip() for value in values if value and value.strip()})

    @field_validator("external_id", "implementer", "thematic_area_code", "technique_code")
    @classmethod
    def _empty_is_none(cls, value: str | None) -> str | None:
        return value or None

    @model_validator(mode="after")
    def _consistent(self) -> ActivityFields:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise FieldValueError("end_date", _("must not be before the start date"))
        return self


class ActivityCreate(ActivityFields):
    pass


class ActivityCreateRequest(ActivityCreate):
    """What POST /activities takes: an activity, and whether it is meant beside one already recorded."""

    separate_from_existing: bool = Field(
        default=False,
        description=(
            "true to record this activity although the same need and programme already have one the caller "
            "may see (not cancelled). Without it such an activity is refused with 409 naming the existing "
            "one: most often it is the pipeline activity recorded when both sides accepted an allocation "
            "proposal, to complete with PUT rather than record again (the same money would be counted "
            "twice in the gaps and published twice to IATI)."
        ),
    )


class ActivityUpdate(ActivityFields):
    version: int = Field(ge=1, le=2**31 - 1)


class ActivityRead(ActivityFields):
    model_config = ConfigDict(from_attributes=True)

    id: int
    origin: str
    # As stored (the fields above take them as sent).
    amount_committed: StoredAmount | None = None
    amount_disbursed: StoredAmount | None = None
    # Read-only, as id and origin: an edit does not take it (PUT refuses it by name).
    iati_identifier: str | None = Field(
        default=None,
        description=(
            "The activity's iati-identifier, for an activity imported from an IATI file (e.g. "
            "XM-DAC-41114-PROJ-123); null for one recorded in PUX. Read-only. Not the same as external_id, "
            "the identifier its provider gave it in PUX."
        ),
    )
    version: int
    updated_at: UtcDateTime
