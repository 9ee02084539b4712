"""Turning pydantic's validation errors into translated, field-named problems."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Container, Iterable
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, ValidationError, field_validator

from pux.errors import WHOLE_FORM, FieldProblem, ValidationFailed
from pux.i18n import gettext as _

Model = TypeVar("Model", bound=BaseModel)
# A record number as the database's INTEGER keys hold it (32-bit on PostgreSQL): a larger one is refused,
# never sent to the database (where it failed with "integer out of range").
# The largest record id the INTEGER keys hold (32-bit on PostgreSQL): every bound on ids is this one.
MAX_RECORD_ID = 2**31 - 1
RecordNumber = Annotated[int, Field(ge=1, le=MAX_RECORD_ID)]


def one_of_or_blank(words: Iterable[str]) -> str:
    """A query parameter's pattern: one of ``words`` (a vocabulary's codes, so that a code added there is
    taken at once), or blank, which a filter form sends for "any"."""
    return f"^({'|'.join(re.escape(word) for word in words)})?$"


def record_number(text: object) -> int | None:
    """The record number a text spells (ASCII digits, 1 to MAX_RECORD_ID), else None: typed text that
    only looks like a number (0, Arabic-Indic digits, beyond a key) is no record's."""
    digits = str(text if text is not None else "").strip()
    if not (digits.isascii() and digits.isdigit()):
        return None
    number = int(digits)
    return number if 1 <= number <= MAX_RECORD_ID else None


def problem_message(error: Any, *, otherwise: str | None = None) -> str:
    """A pydantic error in the reader's language; one of a kind not listed here says ``otherwise``, else
    "is not valid"."""
    kind = error["type"]
    context = error.get("ctx") or {}
    messages = {
        "missing": _("is required"),
        "string_too_short": _("is too short (at least %(limit)s characters)")
        % {"limit": context.get("min_length")}
        if context.get("min_length", 0) > 1
        else _("is required"),
        "string_too_long": _("is too long (at most %(limit)s characters)")
        % {"limit": context.get("max_length")},
        "greater_than_equal": _("must be at least %(limit)s") % {"limit": context.get("ge")},
        "less_than_equal": _("must be at most %(limit)s") % {"limit": context.get("le")},
        "int_parsing": _("must be a whole number"),
        "decimal_parsing": _("must be a number"),
        "float_parsing": _("must be a number"),
        "literal_error": _("is not one of the allowed values"),
        "enum": _("is not one of the allowed values"),
        "string_pattern_mismatch": _("is not in the expected format"),
        "date_from_datetime_parsing": _("must be a date (YYYY-MM-DD)"),
        "date_parsing": _("must be a date (YYYY-MM-DD)"),
        "date_type": _("must be a date (YYYY-MM-DD)"),
        "datetime_parsing": _("must be a date and time (YYYY-MM-DD HH:MM)"),
        "datetime_from_date_parsing": _("must be a date and time (YYYY-MM-DD HH:MM)"),
        "datetime_type": _("must be a date and time (YYYY-MM-DD HH:MM)"),
        "decimal_max_places": _("must have at most %(places)s decimals")
        % {"places": context.get("decimal_places")},
        "decimal_max_digits": _("has too many digits"),
        "decimal_whole_digits": _("has too many digits"),
        "finite_number": _("must be a number"),
        "int_from_float": _("must be a whole number"),
        "int_type": _("must be a whole number"),
        "float_type": _("must be a number"),
        "decimal_type": _("must be a number"),
        "greater_than": _("must be more than %(limit)s") % {"limit": context.get("gt")},
        "less_than": _("must be less than %(limit)s") % {"limit": context.get("lt")},
        "bool_parsing": _("must be yes or no"),
        "value_error": str(context.get("error", _("is not valid"))),
    }
    return messages.get(kind, otherwise if otherwise is not None else _("is not valid"))


class FieldValueError(ValueError):
    """A check across fields (in a model validator) whose problem belongs beside one of them: an end before
    its start is the end's. Pydantic would name no field (the whole form, "body" in the API)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def problem_field(item: Any, *, skip: int = 0, positions: bool = False) -> str:
    """The dotted name of the field a pydantic error is about ("" for none): its place after the first
    ``skip`` parts (the API's "body"), with list positions when ``positions``, or the field a check across
    fields named (FieldValueError)."""
    parts = [str(part) for part in item["loc"][skip:] if positions or not isinstance(part, int)]
    within = ".".join(parts)
    cause = (item.get("ctx") or {}).get("error")
    if isinstance(cause, FieldValueError):
        return f"{within}.{cause.field}" if within else cause.field
    return within


def problems_from(error: ValidationError, *, row: int | None = None) -> list[FieldProblem]:
    return [
        FieldProblem(field=problem_field(item) or WHOLE_FORM, message=problem_message(item), row=row)
        for item in error.errors()
    ]


def parse(model: type[Model], data: dict[str, Any], *, row: int | None = None) -> Model:
    """Validate ``data`` into ``model`` or raise ValidationFailed naming each field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ValidationFailed(problems_from(error, row=row)) from error


# Characters that change how text is displayed without being seen: bidirectional overrides and isolates
# (a title could be made to read backwards), and zero-width characters.
_INVISIBLE = dict.fromkeys(
    [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF]
)
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def clean_text(value: str) -> str:
    """Text as PUX stores it: NFC-normalised, without invisible formatting characters; refused (ValueError
    with a readable message) when it holds control characters or broken Unicode."""
    if any(0xD800 <= ord(char) <= 0xDFFF for char in value):
        raise ValueError(_("contains broken characters (invalid Unicode)"))
    if any((unicodedata.category(char) == "Cc" and char not in _ALLOWED_CONTROLS) for char in value):
        raise ValueError(_("contains control characters (such as NUL) that cannot be stored"))
    return unicodedata.normalize("NFC", value.translate(_INVISIBLE))


def cleaned_field(field: str, value: str, *, max_length: int) -> str:
    """One text a person wrote outside a form model (a decline reason, a token's name): cleaned as
    CleanInput cleans, stripped; refused naming ``field`` when it cannot be stored or is too long."""
    try:
        text = clean_text(value).strip()
    except ValueError as error:
        raise ValidationFailed([FieldProblem(field, str(error))]) from error
    if len(text) > max_length:
        message = _("is too long (at most %(limit)s characters)") % {"limit": max_length}
        raise ValidationFailed([FieldProblem(field, message)])
    return text


def _clean_any(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_text(item) if isinstance(item, str) else item for item in value]
    return value


class CleanInput(BaseModel):
    """Base of every shape people write: each text field is cleaned (clean_text) before it is checked,
    so a title of only invisible characters is empty, and NUL or broken Unicode is refused by name."""

    @field_validator("*", mode="before")
    @classmethod
    def _clean_texts(cls, value: Any) -> Any:
        return _clean_any(value)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# A time as the API shows it: in UTC with its offset (SQLite hands back times without one).
UtcDateTime = Annotated[datetime, AfterValidator(_utc)]


# The years a date written in PUX may fall in: assistance recorded since the mid-20th century, plans to the
# end of this one. Beyond them a typing slip (0001, 9999) was saved and broke what computes with it (a
# calendar file's time zone rules past year 9999).
FIRST_YEAR, LAST_YEAR = 1900, 2199
DateOrTime = TypeVar("DateOrTime", date, datetime)


def _not_a_number(value: Any) -> Any:
    # Pydantic reads a number as seconds since 1970: 20260101 was saved as 1970-08-23.
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError(_("write a date as YYYY-MM-DD (and a time as HH:MM)"))
    return value


def _within_years(value: DateOrTime) -> DateOrTime:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(
            _("must fall between the years %(first)s and %(last)s") % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return value


# A day or a time people write (forms, the API, files): written as such, within FIRST_YEAR..LAST_YEAR.
WrittenDay = Annotated[date, BeforeValidator(_not_a_number), AfterValidator(_within_years)]
WrittenTime = Annotated[datetime, BeforeValidator(_not_a_number), AfterValidator(_within_years)]


def lenient(model: type[BaseModel], values: dict[str, Any]) -> Any:
    """The submitted values with the model's defaults, unchecked: enough for the code checks to look
    at every field even when some other field failed its own check."""
    defaults = {
        name: None if field.is_required() else field.get_default(call_default_factory=True)
        for name, field in model.model_fields.items()
    }
    given = {name: value for name, value in values.items() if name in model.model_fields}
    return SimpleNamespace(**{**defaults, **given})


def parse_whole(
    model: type[Model], values: dict[str, Any], code_problems: Callable[[Any], list[FieldProblem]]
) -> Model:
    """Validate a whole form at once: every field's own check and every code check, so a person sees
    all that is wrong in one go. ``code_problems`` gets the parsed data, or the unchecked values when
    some field failed (it must cope with None and with text where a number was expected)."""
    try:
        data = model.model_validate(values)
    except ValidationError as error:
        problems = problems_from(error)
        already = {problem.field for problem in problems}
        try:
            later = code_problems(lenient(model, values))
        except (TypeError, ValueError, AttributeError):
            later = []  # a field too garbled for the code checks is already named above
        problems += [problem for problem in later if problem.field not in already]
        raise ValidationFailed(problems) from error
    problems = code_problems(data)
    if problems:
        raise ValidationFailed(problems)
    return data


def known_code(value: str, allowed: Container[str]) -> str:
    """``value`` if allowed; else ValueError naming it as one that was not offered."""
    if value not in allowed:
        raise ValueError(_("not one of the choices offered: %(codes)s") % {"codes": value})
    return value


def known_codes(values: list[str], allowed: tuple[str, ...]) -> list[str]:
    """Blank-free, sorted, unique codes; raises ValueError naming the codes that are not allowed."""
    cleaned = sorted({value.strip() for value in values if value and value.strip()})
    unknown = [value for value in cleaned if value not in allowed]
    if unknown:
        raise ValueError(_("not one of the choices offered: %(codes)s") % {"codes": ", ".join(unknown)})
    return cleaned
