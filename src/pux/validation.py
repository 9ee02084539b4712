"""Turning pydantic's validation errors into translated, field-named problems."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from pux.errors import FieldProblem, ValidationFailed
from pux.i18n import gettext as _

Model = TypeVar("Model", bound=BaseModel)


def _message(error: Any) -> str:
    kind = error["type"]
    context = error.get("ctx") or {}
    messages = {
        "missing": _("is required"),
        "string_too_short": _("is too short"),
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
        "bool_parsing": _("must be yes or no"),
        "value_error": str(context.get("error", _("is not valid"))),
    }
    return messages.get(kind, _("is not valid"))


def problems_from(error: ValidationError, *, row: int | None = None) -> list[FieldProblem]:
    problems = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"] if not isinstance(part, int)) or "form"
        problems.append(FieldProblem(field=field, message=_message(item), row=row))
    return problems


def parse(model: type[Model], data: dict[str, Any], *, row: int | None = None) -> Model:
    """Validate ``data`` into ``model`` or raise ValidationFailed naming each field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ValidationFailed(problems_from(error, row=row)) from error


def known_codes(values: list[str], allowed: tuple[str, ...]) -> list[str]:
    """Blank-free, sorted, unique codes; raises ValueError naming the codes that are not allowed."""
    cleaned = sorted({value.strip() for value in values if value and value.strip()})
    unknown = [value for value in cleaned if value not in allowed]
    if unknown:
        raise ValueError(", ".join(unknown))
    return cleaned
