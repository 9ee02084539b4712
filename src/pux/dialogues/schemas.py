"""Create / Update / Read shapes of the dialogue: events, targets, participants, travel, outcomes, actions.

Codes (countries, areas, techniques, currencies, organisations) are checked against the reference data by
the service, which names every unknown one at once.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pux.dialogues import vocabulary as v
from pux.i18n import gettext as _
from pux.validation import (
    CleanInput,
    FieldValueError,
    RecordNumber,
    UtcDateTime,
    WrittenDay,
    WrittenTime,
    known_codes,
)

Version = Field(
    ge=1, le=2**31 - 1, description="The version that was edited; a stale version is refused (409)"
)
LANGUAGES = ("en", "fr", "es", "ar", "zh", "ru")


def _codes(values: list[str]) -> list[str]:
    return sorted({value.strip() for value in values if value and value.strip()})


def _local(value: datetime) -> datetime:
    # The zone is a field of its own: an offset written with the time would contradict it (it was dropped).
    if value.tzinfo is not None:
        raise ValueError(_("write the local time without an offset: the time zone is given beside it"))
    return value.replace(second=0, microsecond=0)


class EventFields(CleanInput):
    """What a facilitator fills in for an event (times are local wall-clock times in ``time_zone``)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    kind: v.EventKind
    title: str = Field(min_length=5, max_length=300)
    description: str = Field(default="", max_length=10_000)
    is_public: bool = True
    host_country_iso3: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    city: str | None = Field(default=None, max_length=120)
    is_online: bool = False
    starts_at: WrittenTime
    ends_at: WrittenTime
    time_zone: str = Field(default="UTC", min_length=1, max_length=64)
    working_languages: list[str] = Field(default_factory=list)
    capacity: int | None = Field(default=None, ge=1, le=100_000)
    thematic_area_codes: list[str] = Field(default_factory=list)
    technique_codes: list[str] = Field(default_factory=list)
    focus_country_codes: list[str] = Field(default_factory=list)
    travel_budget: Decimal | None = Field(default=None, ge=0, le=Decimal("1e11"), decimal_places=2)
    budget_currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    allowance_cut_allowed: float = Field(default=0.5, ge=0, le=1)
    max_supported_per_country: int | None = Field(default=None, ge=1, le=1000)

    @field_validator("thematic_area_codes", "technique_codes", "focus_country_codes")
    @classmethod
    def _unique(cls, values: list[str]) -> list[str]:
        return _codes(values)

    @field_validator("working_languages")
    @classmethod
    def _known_languages(cls, values: list[str]) -> list[str]:
        return known_codes(values, LANGUAGES)

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _wall_clock(cls, value: datetime) -> datetime:
        return _local(value)

    @model_validator(mode="after")
    def _ends_after_start(self) -> EventFields:
        if self.ends_at < self.starts_at:
            raise FieldValueError("ends_at", _("the event must end after it starts"))
        if not self.is_online and not self.host_country_iso3:
            raise FieldValueError("host_country_iso3", _("an event that is not online needs a host country"))
        return self


class EventCreate(EventFields):
    pass


class EventUpdate(EventFields):
    version: int = Version


class SessionFields(CleanInput):
    model_config = ConfigDict(str_strip_whitespace=True)

    starts_at: WrittenTime
    ends_at: WrittenTime
    title: str = Field(min_length=2, max_length=300)
    speakers: str = Field(default="", max_length=2000)
    language: Literal["en", "fr", "es", "ar", "zh", "ru"] | None = None

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _wall_clock(cls, value: datetime) -> datetime:
        return _local(value)

    @model_validator(mode="after")
    def _ends_after_start(self) -> SessionFields:
        if self.ends_at <= self.starts_at:
            raise FieldValueError("ends_at", _("the session must end after it starts"))
        return self


class VersionOnly(CleanInput):
    """A form that only confirms an action on a record, made from this version of it."""

    version: int = Version


class TargetFields(CleanInput):
    dimension: Literal["gender", "region", "stakeholder_type", "country_side", "country_group"]
    category: str = Field(min_length=1, max_length=40)
    bound: Literal["at_least", "at_most"]
    share_percent: Decimal = Field(ge=0, le=100, decimal_places=1)

    def as_target(self) -> v.BalanceTarget:
        return v.BalanceTarget(self.dimension, self.category, self.bound, float(self.share_percent) / 100)


class ParticipantFields(CleanInput):
    """A person added to the list: someone with an account in PUX, or a new person by name and email."""

    model_config = ConfigDict(str_strip_whitespace=True)

    user_id: RecordNumber | None = None
    # Or the account's email address: what a form asks for (a list of every account is tens of thousands).
    user_email: str | None = Field(default=None, max_length=254)
    full_name: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    organisation_id: RecordNumber | None = None
    stakeholder_type: str | None = Field(default=None, max_length=40)
    country_iso3: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    gender: Literal["female", "male", "other"] | None = None

    @model_validator(mode="after")
    def _someone(self) -> ParticipantFields:
        if self.user_id is None and not self.user_email and not (self.full_name and self.email):
            raise ValueError(_("choose a person in PUX, or give the new person's name and email"))
        return self


class ParticipantMove(CleanInput):
    target: Literal["invited", "nominated", "endorsed", "confirmed", "attended", "declined", "no_show"]
    comment: str | None = Field(default=None, max_length=2000)
    version: int = Version


class TravelApplicationFields(CleanInput):
    fare: Decimal = Field(ge=0, le=Decimal("1e8"), decimal_places=2)
    daily_allowance: Decimal = Field(ge=0, le=Decimal("1e6"), decimal_places=2)
    nights: int = Field(ge=0, le=60)
    reason: str = Field(min_length=10, max_length=4000)

    @model_validator(mode="after")
    def _asks_for_something(self) -> TravelApplicationFields:
        if self.fare + self.daily_allowance * self.nights <= 0:
            raise ValueError(_("the application asks for no money"))
        return self


class TravelApplicationUpdate(TravelApplicationFields):
    version: int = Version


class GrantOverride(CleanInput):
    amount: Decimal = Field(ge=0, le=Decimal("1e8"), decimal_places=2)
    reason: str = Field(min_length=10, max_length=2000)
    version: int = Field(ge=0, le=2**31 - 1, description="The grant's version (0 when there is no grant yet)")


class DisbursementFields(CleanInput):
    amount: Decimal = Field(ge=0, le=Decimal("1e8"), decimal_places=2)
    paid_on: WrittenDay
    receipt_amount: Decimal | None = Field(default=None, ge=0, le=Decimal("1e8"), decimal_places=2)
    note: str = Field(default="", max_length=2000)


class OutcomeFields(CleanInput):
    model_config = ConfigDict(str_strip_whitespace=True)

    summary: str = Field(min_length=10, max_length=20_000)
    challenges: str = Field(default="", max_length=20_000)
    language: Literal["en", "fr", "es", "ar", "zh", "ru"] | None = None
    thematic_area_codes: list[str] = Field(default_factory=list)
    technique_codes: list[str] = Field(default_factory=list)
    sdg_goal_codes: list[str] = Field(default_factory=list)
    version: int = Field(default=0, ge=0, le=2**31 - 1)

    @field_validator("thematic_area_codes", "technique_codes", "sdg_goal_codes")
    @classmethod
    def _unique(cls, values: list[str]) -> list[str]:
        return _codes(values)


class RecommendationFields(CleanInput):
    model_config = ConfigDict(str_strip_whitespace=True)

    text: str = Field(min_length=10, max_length=4000)
    country_iso3: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    thematic_area_code: str | None = Field(default=None, max_length=20)
    technique_codes: list[str] = Field(default_factory=list)
    sdg_goal_codes: list[str] = Field(default_factory=list)

    @field_validator("technique_codes", "sdg_goal_codes")
    @classmethod
    def _unique(cls, values: list[str]) -> list[str]:
        return _codes(values)


class ConceptNoteFields(CleanInput):
    model_config = ConfigDict(str_strip_whitespace=True)

    title: str = Field(min_length=5, max_length=300)
    thematic_area_code: str = Field(min_length=2, max_length=20)
    technique_codes: list[str] = Field(default_factory=list)
    counterpart_organisation_id: RecordNumber | None = None
    problem: str = Field(default="", max_length=10_000)
    objective: str = Field(default="", max_length=10_000)
    outputs: str = Field(default="", max_length=10_000)
    activities: str = Field(default="", max_length=10_000)
    indicators: str = Field(default="", max_length=10_000)
    assumptions: str = Field(default="", max_length=10_000)
    estimated_cost: Decimal | None = Field(default=None, ge=0, le=Decimal("1e13"), decimal_places=2)
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")

    @field_validator("technique_codes")
    @classmethod
    def _unique(cls, values: list[str]) -> list[str]:
        return _codes(values)


class ConceptNoteCreate(ConceptNoteFields):
    country_iso3: str = Field(pattern=r"^[A-Z]{3}$")


class ConceptNoteUpdate(ConceptNoteFields):
    version: int = Version


class ActionFields(CleanInput):
    model_config = ConfigDict(str_strip_whitespace=True)

    title: str = Field(min_length=5, max_length=300)
    owner_user_id: RecordNumber | None = None
    owner_email: str | None = Field(default=None, max_length=254)  # or the owner's account by its address
    owner_organisation_id: RecordNumber | None = None
    due_on: WrittenDay | None = None

    @model_validator(mode="after")
    def _has_owner(self) -> ActionFields:
        if self.owner_user_id is None and not self.owner_email and self.owner_organisation_id is None:
            raise ValueError(_("name the person or the organisation who owns the action"))
        return self


class ActionProgress(CleanInput):
    status: Literal["open", "in_progress", "done", "dropped"]
    note: str = Field(default="", max_length=4000)
    version: int = Version


# --- Read shapes (JSON API) -----------------------------------------------------------------------


class SessionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    starts_at: datetime
    ends_at: datetime
    title: str
    speakers: str
    language: str | None


class TargetRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    dimension: str
    category: str
    bound: str
    share: float


class EventRead(BaseModel):
    """An event as the public sees it (no participant's personal data)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    title: str
    description: str
    is_public: bool
    is_cancelled: bool
    host_country_iso3: str | None
    city: str | None
    is_online: bool
    starts_at: datetime = Field(description="Local wall-clock time in time_zone")
    ends_at: datetime = Field(description="Local wall-clock time in time_zone")
    time_zone: str
    working_languages: list[str]
    capacity: int | None
    thematic_area_codes: list[str]
    technique_codes: list[str]
    focus_country_codes: list[str]
    travel_budget: Decimal | None
    budget_currency: str
    # The travel fund's two rules, read back so that a client can send an edit with them unchanged: an
    # edit replaces every field, and one the read left out came back as its default (the cap was lost).
    allowance_cut_allowed: float = Field(
        description="The largest share of the daily allowance a travel award may leave out (0: the whole "
        "request or nothing)"
    )
    max_supported_per_country: int | None = Field(
        description="The most people of one country the travel fund supports; null: no such cap"
    )
    sessions: list[SessionRead]
    targets: list[TargetRead]
    version: int
    updated_at: UtcDateTime


class ParticipantRead(BaseModel):
    """A participant as the facilitators, the person and their focal point see them."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    event_id: int
    user_id: int | None
    full_name: str
    email: str
    organisation_id: int | None
    stakeholder_type: str | None
    country_iso3: str | None
    gender: str | None
    status: str
    status_comment: str | None
    version: int


class BalanceRowRead(BaseModel):
    category: str
    count: int
    share: float | None


class BalanceDimensionRead(BaseModel):
    dimension: str
    rows: list[BalanceRowRead]


class TargetCheckRead(BaseModel):
    dimension: str
    category: str
    checked_category: str = Field(description="The category checked: for a '*' target, the worst one")
    bound: str
    target_share: float
    share: float | None
    status: str
    people_needed: int | None


class BalanceRead(BaseModel):
    total: int
    dimensions: list[BalanceDimensionRead]
    checks: list[TargetCheckRead]


class ActionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    event_id: int
    title: str
    owner_user_id: int | None
    owner_organisation_id: int | None
    due_on: date | None
    status: str
    version: int


class ConceptNoteRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    event_id: int
    recommendation_id: int
    country_iso3: str
    counterpart_organisation_id: int | None
    title: str
    thematic_area_code: str
    technique_codes: list[str]
    problem: str
    objective: str
    outputs: str
    activities: str
    indicators: str
    assumptions: str
    estimated_cost: Decimal | None
    currency: str
    status: str
    need_id: int | None
    version: int


class RecommendationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    event_id: int
    text: str
    country_iso3: str | None
    thematic_area_code: str | None
    technique_codes: list[str]
    sdg_goal_codes: list[str]


class OutcomeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    summary: str
    challenges: str
    language: str | None
    thematic_area_codes: list[str]
    technique_codes: list[str]
    sdg_goal_codes: list[str]
    version: int
