"""Turning pydantic's validation errors into translated, field-named problems."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Container, Iterable
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from types import SimpleNamespace, UnionType
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from pux.errors import WHOLE_FORM, FieldProblem, ValidationFailed
from pux.i18n import NumberRefused, ascii_digits, decimal_text, ngettext, read_number
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
        "greater_than_equal": _("must be at least %(limit)s") % {"limit": limit_text(context.get("ge"))},
        "less_than_equal": _("must be at most %(limit)s") % {"limit": limit_text(context.get("le"))},
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
        "greater_than": _("must be more than %(limit)s") % {"limit": limit_text(context.get("gt"))},
        "less_than": _("must be less than %(limit)s") % {"limit": limit_text(context.get("lt"))},
        "bool_parsing": _("must be yes or no"),
        "bool_type": _("must be yes or no"),
        "extra_forbidden": _("is not a field of this record"),
        "list_type": _("must be a list"),
        "set_type": _("must be a list"),
        "tuple_type": _("must be a list"),
        "too_short": _("must have at least %(limit)s items") % {"limit": context.get("min_length")},
        "too_long": _("must have at most %(limit)s items") % {"limit": context.get("max_length")},
        "dict_type": _("must be an object (in JSON, between { and })"),
        "model_type": _("must be an object (in JSON, between { and })"),
        "model_attributes_type": _("must be an object (in JSON, between { and })"),
        "json_invalid": _("is not valid JSON"),
        "json_type": _("is not valid JSON"),
        "string_type": _("must be text"),
        "date_from_datetime_inexact": _("must be a date (YYYY-MM-DD), without a time"),
        "time_parsing": _("must be a time (HH:MM)"),
        "time_type": _("must be a time (HH:MM)"),
        "timezone_naive": _("must be a date and time without a time zone (YYYY-MM-DD HH:MM)"),
        "timezone_aware": _("must be a date and time with its time zone (YYYY-MM-DDTHH:MM+03:00)"),
        "multiple_of": _("must be a multiple of %(limit)s")
        % {"limit": limit_text(context.get("multiple_of"))},
        "url_parsing": _("must be a web address (https://...)"),
        "url_type": _("must be a web address (https://...)"),
        "url_scheme": _("must be a web address (https://...)"),
        "value_error": str(context.get("error", _("is not valid"))),
    }
    return messages.get(kind, otherwise if otherwise is not None else _("is not valid"))


# Decimals a bound is written with at most (no bound in PUX has more; a float's tail is not the bound's).
_LIMIT_PLACES = 6


def limit_text(limit: Any) -> Any:
    """A bound on a number as the reader writes numbers: "10,000,000,000,000" (French "10 000 000 000 000"),
    where pydantic's own text read "1E+13". Anything but a number is left as it is."""
    if isinstance(limit, bool) or not isinstance(limit, int | float | Decimal):
        return limit
    number = Decimal(str(limit)).normalize()
    exponent = number.as_tuple().exponent
    places = min(-exponent, _LIMIT_PLACES) if isinstance(exponent, int) and exponent < 0 else 0
    return decimal_text(float(number), "#,##0" + ("." + "0" * places if places else ""))


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


# How parse and parse_whole validate: what a page's form sends is text people typed, whose numbers
# CleanInput reads as the page's language writes them (read_number). The API's JSON is read as sent (its
# numbers are numbers), and an import reads its cells' numbers itself (interop.tabular.columns).
TYPED = {"typed": True}


def parse(model: type[Model], data: dict[str, Any], *, row: int | None = None) -> Model:
    """Validate ``data`` (typed by people, see TYPED) into ``model`` or raise ValidationFailed naming each
    field."""
    try:
        return model.model_validate(data, context=TYPED)
    except ValidationError as error:
        raise ValidationFailed(problems_from(error, row=row)) from error


# Characters that change how text is displayed without being seen: bidirectional overrides and isolates
# (a title could be made to read backwards), and zero-width characters that join nothing (a space, a word
# joiner, a byte-order mark: "Ke\u200bnya" looked like Kenya and was not).
_INVISIBLE = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200B, 0x2060, 0xFEFF])
# The zero-width joiner and non-joiner are part of what is written: they make the emoji "👩‍⚕️" a health
# worker, and Persian, Arabic-script and Indic words need them between letters. They join nothing in the
# Latin, Greek and Cyrillic alphabets, where one would only hide a difference ("Ken\u200dya" is not Kenya),
# nor at either end of a word or beside another joiner (a title of only joiners is empty): there they go.
_JOINERS = "\u200c\u200d"
_UNJOINED_ALPHABETS = ("LATIN ", "GREEK ", "CYRILLIC ")
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def clean_text(value: str) -> str:
    """Text as PUX stores it: NFC-normalised, without invisible formatting characters; refused (ValueError
    with a readable message) when it holds control characters or broken Unicode."""
    if any(0xD800 <= ord(char) <= 0xDFFF for char in value):
        raise ValueError(_("contains broken characters (invalid Unicode)"))
    if any((unicodedata.category(char) == "Cc" and char not in _ALLOWED_CONTROLS) for char in value):
        raise ValueError(_("contains control characters (such as NUL) that cannot be stored"))
    if any(is_noncharacter(char) for char in value):
        # Never text (Unicode keeps them for programs' own use), and U+FFFE / U+FFFF are not allowed in
        # XML: one such title made the public IATI file answer 500 for everyone.
        raise ValueError(_("contains characters that are not text (Unicode noncharacters such as U+FFFE)"))
    return unicodedata.normalize("NFC", _without_loose_joiners(value.translate(_INVISIBLE)))


def is_noncharacter(char: str) -> bool:
    """U+FDD0..U+FDEF and the last two code points of every plane (U+FFFE, U+FFFF, U+1FFFE ...)."""
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def _without_loose_joiners(text: str) -> str:
    """``text`` keeping only the joiners that join two characters of a writing that uses them."""
    if not any(joiner in text for joiner in _JOINERS):
        return text
    return "".join(
        character
        for index, character in enumerate(text)
        if character not in _JOINERS or _joins(text[index - 1 : index], text[index + 1 : index + 2])
    )


def _joins(before: str, after: str) -> bool:
    if not (_visible(before) and _visible(after)):
        return False
    return not (_in_unjoined_alphabet(before) and _in_unjoined_alphabet(after))


def _visible(character: str) -> bool:
    return character != "" and not character.isspace() and character not in _JOINERS


def _in_unjoined_alphabet(character: str) -> bool:
    return (character.isascii() and character.isalnum()) or unicodedata.name(character, "").startswith(
        _UNJOINED_ALPHABETS
    )


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


# Points other scripts write between a number's whole part and its decimals: the Arabic decimal separator
# ("٢٫٥"), the full-width and the ideographic full stop.
_POINTS = str.maketrans({"٫": ".", "．": ".", "。": "."})
# What may stand between groups of figures and is never a decimal point: a space of any width (French writes
# a narrow no-break space) and the Arabic thousands separator "٬". A comma or a point may be either, so
# neither is taken for a thousands separator.
_GROUP_SEPARATOR = re.compile(r"[\s\u066c]")
# Of a number refused for its decimals, as much as the message repeats.
_SHOWN_FIGURES = 40
# A number that reads as thousands where the point separates them ("250.000" in Spanish): one to three
# figures, the point, three figures.
_THOUSANDS_LOOKALIKE = re.compile(r"[-+]?\d{1,3}\.\d{3}")


def western_digits(text: str) -> str:
    """``text`` with every script's digits written as ASCII ones ("٣٫٤", "۳٫۴" and "३.४" are 3.4): Arabic
    keyboards type Arabic-Indic digits, Persian ones their own (U+06F0-06F9)."""
    return ascii_digits(text).translate(_POINTS)


def typed_number(text: str) -> str:
    """A number as typed, in the figures Python reads: any script's digits and decimal point, its groups
    run together ("٤٠٬٠٠٠" and "40 000" are 40000)."""
    return _GROUP_SEPARATOR.sub("", western_digits(text))


def typed_amount(text: str, places: int | None = None) -> Decimal:
    """A finite number typed as text (see typed_number), with at most ``places`` decimals when given;
    ValueError with a readable message otherwise."""
    try:
        number = Decimal(typed_number(text))
    except InvalidOperation as error:
        raise ValueError(_("must be a number")) from error
    if not number.is_finite():
        raise ValueError(_("must be a number"))
    if places is not None:
        refuse_extra_decimals(text, number, places)
    return number


def refuse_extra_decimals(typed: str, number: Decimal, places: int) -> None:
    """Refuse ``number`` (read from ``typed``) when it was written with more than ``places`` decimals, even
    zeros: pydantic drops the zeros before it counts decimals, so the Spanish "250.000" (two hundred and
    fifty thousand) was saved as 250. Where the figures read as thousands in a layout that separates them
    with a point, the message says so."""
    exponent = number.as_tuple().exponent
    written = -exponent if isinstance(exponent, int) else 0
    if written <= places:
        return
    if not _THOUSANDS_LOOKALIKE.fullmatch(typed_number(typed)):
        raise ValueError(_("must have at most %(places)s decimals") % {"places": places})
    message = ngettext(
        "'%(number)s' has more than %(num)d digit after the decimal point: if the point separates "
        "thousands where you write it, write the number without it",
        "'%(number)s' has more than %(num)d digits after the decimal point: if the point separates "
        "thousands where you write it, write the number without it",
        places,
    )
    raise ValueError(message % {"number": typed.strip()[:_SHOWN_FIGURES], "num": places})


def _clean_any(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_text(item) if isinstance(item, str) else item for item in value]
    return value


class CleanInput(BaseModel):
    """Base of every shape people write: each text field is cleaned (clean_text) before it is checked,
    so a title of only invisible characters is empty, and NUL or broken Unicode is refused by name. A number
    typed as text in a form (validated with the TYPED context) is read as the page's language writes it."""

    @field_validator("*", mode="before")
    @classmethod
    def _clean_texts(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str) and info.context == TYPED and info.field_name is not None:
            number = _number_field(cls, info.field_name)
            if number is not None:
                return _typed_figures(clean_text(value), *number)
        return _clean_any(value)


def _typed_figures(text: str, kind: type, places: int | None) -> str:
    """A number typed into a form, read as the page's language writes it (read_number: "1,250,000.50" on
    an English page, "1 250 000,50" on a French one, in any script's digits) and handed to the schema in
    the figures it reads; refused by its field with an example in that language when it cannot be read
    or could be read two ways. An amount written with more decimals than it may have is refused even when
    they are zeros. A blank is left for the schema (blank or required)."""
    if not text.strip():
        return typed_number(text)
    try:
        number = read_number(text, amount=kind is Decimal)
    except NumberRefused as refusal:
        raise ValueError(_refusal_message(text, refusal, kind, places)) from None
    if kind is Decimal and places is not None:
        refuse_extra_decimals(text, number, places)
    return str(number)


def typed_field_number(
    field: str, text: str, *, places: int | None = None, example: Decimal | None = None
) -> Decimal:
    """A number a person typed into a page's field outside a form model (a round's percentages, a stated
    exchange rate), read as _typed_figures reads a form's: refused naming ``field``, with an example (of
    an amount unless ``example`` is given) in the page's language, when it cannot be read or could be read
    two ways."""
    try:
        number = read_number(text, amount=True)
        if places is not None:
            refuse_extra_decimals(text, number, places)
    except NumberRefused as refusal:
        message = _refusal_message(text, refusal, Decimal, places, example)
        raise ValidationFailed([FieldProblem(field, message)]) from None
    except ValueError as error:
        raise ValidationFailed([FieldProblem(field, str(error))]) from None
    return number


# The number the form's refusals write in the page's language, to show how to write one.
_EXAMPLE_NUMBER = Decimal("1250000.5")


def _refusal_message(
    typed: str, refusal: NumberRefused, kind: type, places: int | None, example: Decimal | None = None
) -> str:
    written = decimal_text(float(example or _EXAMPLE_NUMBER), _example_pattern(kind, places))
    if refusal.ambiguous:
        message = _("%(value)s could mean thousands or decimals; write it as in %(example)s")
    else:
        message = _("must be a number, written as in %(example)s")
    return message % {"value": typed.strip()[:_SHOWN_FIGURES], "example": written}


def _example_pattern(kind: type, places: int | None) -> str:
    if kind is int:
        return "#,##0"
    if places:
        return "#,##0." + "0" * places
    return "#,##0.##"


@cache
def _number_field(model: type[BaseModel], name: str) -> tuple[type, int | None] | None:
    """The kind of number a field holds (int, float or Decimal) and the decimals it may have, or None for
    a field that is not a number."""
    field = model.model_fields.get(name)
    kind = _number_kind(field.annotation) if field is not None else None
    if field is None or kind is None:
        return None
    places = [getattr(item, "decimal_places", None) for item in field.metadata]
    return kind, next((place for place in places if place is not None), None)


def _number_kind(annotation: Any) -> type | None:
    if annotation in (int, float, Decimal):
        return annotation  # type: ignore[no-any-return]
    origin = get_origin(annotation)
    if origin is Annotated:
        return _number_kind(get_args(annotation)[0])
    if origin in (Union, UnionType):
        options = [option for option in get_args(annotation) if option is not type(None)]
        kinds = {_number_kind(option) for option in options}
        return kinds.pop() if len(kinds) == 1 else None
    return None


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
        data = model.model_validate(values, context=TYPED)
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
