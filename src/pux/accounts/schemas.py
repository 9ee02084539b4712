"""Shapes of organisations, people, invitations and tokens."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from pux.accounts.permissions import ROLES
from pux.i18n import gettext as _
from pux.reference.vocabulary import ORGANISATION_TYPES
from pux.validation import CleanInput, RecordNumber, known_code

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class OrganisationCreate(CleanInput):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = Field(min_length=2, max_length=200)
    acronym: str | None = Field(default=None, max_length=40)
    organisation_type: str
    country_iso3: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    iati_identifier: str | None = Field(default=None, max_length=80)
    website: str | None = Field(default=None, max_length=300)

    @field_validator("organisation_type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        return known_code(value, ORGANISATION_TYPES)

    @field_validator("acronym", "country_iso3", "iati_identifier", "website", mode="before")
    @classmethod
    def _empty_is_none(cls, value: str | None) -> str | None:
        return value or None


class OrganisationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    acronym: str | None
    organisation_type: str
    country_iso3: str | None


class InvitationCreate(CleanInput):
    model_config = ConfigDict(str_strip_whitespace=True)

    email: str = Field(pattern=EMAIL_PATTERN, max_length=254)
    role: str
    country_iso3: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    organisation_id: RecordNumber | None = None

    @field_validator("role")
    @classmethod
    def _known_role(cls, value: str) -> str:
        return known_code(value, ROLES)

    @field_validator("country_iso3", mode="before")
    @classmethod
    def _empty_country(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("organisation_id", mode="before")
    @classmethod
    def _empty_organisation(cls, value: object) -> object:
        return value or None


# What a new password must be, wherever one is chosen (an invitation, a change, a reset link).
PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 200


def _typed_again(again: str | None, info: ValidationInfo) -> str | None:
    """The password typed a second time must be the first: one typed once, with a slip, locked its
    owner out. None when a caller (the API, a script) did not ask for it twice."""
    if again is None:
        return None
    first = info.data.get("password")
    if first is None:  # the first was refused already, beside its own box
        return again
    if not again:
        raise ValueError(_("type the new password a second time"))
    if again != first:
        raise ValueError(_("is not the same as the password typed above"))
    return again


class RoleGrant(CleanInput):
    """A role given to a person who has an account, with the country or organisation it needs."""

    model_config = ConfigDict(str_strip_whitespace=True)

    role: str
    country_iso3: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    organisation_id: RecordNumber | None = None

    @field_validator("role")
    @classmethod
    def _known_role(cls, value: str) -> str:
        return known_code(value, ROLES)

    @field_validator("country_iso3", "organisation_id", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return value or None


class InvitationAccept(CleanInput):
    full_name: str = Field(min_length=2, max_length=200)
    password: str = Field(min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH)
    password_again: str | None = None
    gender: Literal["female", "male", "other", "undisclosed"] = "undisclosed"

    _password_typed_twice = field_validator("password_again")(_typed_again)


class NewPassword(CleanInput):
    """A new password chosen on the account page or through a reset link: the invitation's rules."""

    password: str = Field(min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH)
    password_again: str = Field(default="", validate_default=True)

    _password_typed_twice = field_validator("password_again")(_typed_again)


class TokenCreate(CleanInput):
    name: str = Field(min_length=1, max_length=100)
