"""Reading HTML form posts into plain data for the services' schemas."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import replace
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from fastapi import Path
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse

from pux.accounts import service as accounts
from pux.accounts.permissions import Actor
from pux.errors import WHOLE_FORM, FieldProblem, ValidationFailed
from pux.i18n import gettext as _
from pux.i18n import listed, text_direction
from pux.interop.tabular.columns import typed_codes
from pux.validation import MAX_RECORD_ID, record_number
from pux.web.filters import country_code
from pux.web.security import CSRF_FIELD
from pux.web.templating import ISOLATE_END, ISOLATE_START


def form_data(form: FormData, *, lists: tuple[str, ...] = (), flags: tuple[str, ...] = ()) -> dict[str, Any]:
    """Fields as strings (empty ones left out), ``lists`` as lists of strings, ``flags`` as booleans."""
    data: dict[str, Any] = {}
    for key in form.keys():
        if key == CSRF_FIELD or key in lists or key in flags:
            continue
        value = form.get(key)
        if isinstance(value, str) and value.strip() != "":
            data[key] = value
    for key in lists:
        data[key] = [v for v in form.getlist(key) if isinstance(v, str) and v.strip()]
    for key in flags:
        data[key] = form.get(key) in {"on", "true", "1", "yes"}
    return data


FLASH_KEY = "flash"
Parsed = TypeVar("Parsed")


def parsed_with_organisations(
    session: Session, values: dict[str, Any], fields: tuple[str, ...], parse: Callable[[], Parsed]
) -> Parsed:
    """A form parsed (``parse`` reads ``values``) with its organisation fields read as numbers. Where
    organisations are too many to list, such a field is a box that sends the name or acronym typed or
    picked from its suggestions: it must call one organisation (accounts.organisations_called); a record
    number that calls none is a list's choice, which the form's own checks read. A name that calls none
    or several is refused beside its field, together with every other problem of the form (the field is
    set aside while the rest is parsed) and kept as typed for the form shown again."""
    problems: list[FieldProblem] = []
    set_aside: dict[str, Any] = {}
    for field in fields:
        typed = str(values.get(field) or "").strip()
        if not typed:
            continue
        called = accounts.organisations_called(session, typed)
        if len(called) == 1:
            values[field] = str(called[0])
        elif record_number(typed) is None:
            set_aside[field] = values.pop(field)
            problems.append(FieldProblem(field, _organisation_problem(typed, several=bool(called))))
    try:
        parsed = parse()
    except ValidationFailed as failed:
        others = [problem for problem in failed.problems if problem.field not in set_aside]
        raise ValidationFailed(problems + others) from None
    finally:
        values.update(set_aside)
    if problems:
        raise ValidationFailed(problems)
    return parsed


def _organisation_problem(typed: str, *, several: bool) -> str:
    if several:
        message = _("'%(name)s' stands for several organisations: choose the whole name offered as you type")
    else:
        message = _(
            "'%(name)s' is not the name of an organisation: choose one of the names offered as you type"
        )
    return message % {"name": typed[:200]}


def flash(request: Request, message: str) -> None:
    """A confirmation shown once, on the next page the person sees ("Saved.", "Submitted.")."""
    request.session.setdefault(FLASH_KEY, []).append(message)


def take_flashes(request: Request) -> list[str]:
    """The confirmations waiting for this person (removed once shown)."""
    if "session" not in request.scope:
        return []
    return [str(message) for message in request.session.pop(FLASH_KEY, [])]


def problems_context(failed: ValidationFailed, whole_form: Collection[str] = ()) -> dict[str, Any]:
    """What a form page shows for a refused submission: every problem, each beside its field.

    ``whole_form``: fields the page has no box for (a service names "capacity" when an event is full):
    their problems are the form's, shown at the top without a link that would lead nowhere."""
    problems = [replace(p, field=WHOLE_FORM) if p.field in whole_form else p for p in failed.problems]
    errors: dict[str, str] = {}
    for problem in problems:
        errors[problem.field] = (
            f"{errors[problem.field]} {problem.message}" if problem.field in errors else (problem.message)
        )
    return {"errors": errors, "problems": problems}


def saved_first(message: str) -> ValidationFailed:
    """The problem of a form made from an older version of its record (someone saved it first): the whole
    form's, shown over what the person wrote, kept to compare with the current version and save again."""
    return ValidationFailed([FieldProblem(WHOLE_FORM, message)])


def split_codes(text: object) -> list[str]:
    """Codes typed into one field ("3.4, 3.8; 5.6", in Arabic "٣٫٤، ٣٫٨") as a list, read as an import reads
    a list cell: the comma and semicolon of any script, any script's digits."""
    return typed_codes(text)


def listing(rows: Any, request: Request) -> dict[str, Any]:
    """What a filtered list page shows besides its rows: the filters chosen (as form values) and the query
    string that keeps them from page to page and in its export links."""
    selected = {name: value for name, value in request.query_params.items() if name != "page"}
    if selected.get("country"):  # a typed link's "gha" is Ghana, shown chosen in the list
        selected["country"] = country_code(selected["country"]) or ""
    return {
        "page": rows,
        "selected": _Selected(selected),
        "query": urlencode({name: value for name, value in selected.items() if value}),
    }


class _Selected(dict[str, str]):
    """The filters chosen on a list page; a filter not chosen reads as empty."""

    def __missing__(self, key: str) -> str:
        return ""

    def __getattr__(self, name: str) -> str:
        return self[name]


def form_version(values: dict[str, Any]) -> int:
    """The record version a form was made from; a missing or garbled one is refused, naming the field."""
    text = str(values.get("version", "")).strip()
    if not text.isdigit() or len(text) > 18:
        raise ValidationFailed([FieldProblem(WHOLE_FORM, _("the form is incomplete: reload the page"))])
    return int(text)


def ranking_from_form(form: FormData, names: Mapping[int, str] | None = None) -> list[int]:
    """The need numbers in the order given by the places typed on the ranking form ("rank-ID" = place).

    Refused beside each row, naming the need (``names``: each need's reference) and the place: a place that
    is not a whole number from 1 up, and a place given to more than one need (an order cannot be read from
    a tie; it was broken by record number without a word)."""
    names = names or {}
    places: dict[int, int] = {}
    fields: dict[int, str] = {}
    problems: list[FieldProblem] = []
    for key, value in form.items():
        if not key.startswith("rank-") or not isinstance(value, str) or not value.strip():
            continue
        need_text, typed = key.removeprefix("rank-"), value.strip()
        if not need_text.isdecimal() or len(need_text) > 18:
            problems.append(FieldProblem(WHOLE_FORM, _("the form is incomplete: reload the page")))
            continue
        need_id = int(need_text)
        # Any script's digits ("٣" is 3); no more than 18 of them (a place beyond is no one's intent).
        if not typed.isdecimal() or len(typed) > 18 or int(typed) < 1:
            message = _("the place of %(need)s must be a whole number from 1 up, not '%(place)s'")
            values = {"need": _apart(names.get(need_id, need_text)), "place": _apart(typed[:20])}
            problems.append(FieldProblem(key, message % values))
            continue
        places[need_id], fields[need_id] = int(typed), key
    for need_id, place in places.items():
        others = [other for other, taken in places.items() if taken == place and other != need_id]
        if others:
            message = _("%(need)s has the same place (%(place)s) as %(others)s")
            clash = {
                "need": _apart(names.get(need_id, str(need_id))),
                "place": place,
                "others": listed(_apart(names.get(other, str(other))) for other in others),
            }
            problems.append(FieldProblem(fields[need_id], message % clash))
    if problems:
        raise ValidationFailed(_in_form_order(problems, list(form.keys())))
    return sorted(places, key=lambda need_id: places[need_id])


def _in_form_order(problems: list[FieldProblem], keys: list[str]) -> list[FieldProblem]:
    """The problems in the order of the form's rows (the summary reads as the table does)."""
    return sorted(problems, key=lambda problem: keys.index(problem.field) if problem.field in keys else -1)


def _apart(text: str) -> str:
    """A name or typed value set apart from a right-to-left sentence (a reference ending in figures took
    the sentence's punctuation to the wrong side), as the templates' messages do."""
    return f"{ISOLATE_START}{text}{ISOLATE_END}" if text_direction() == "rtl" else text


# Record numbers in addresses: anything that is not a number a database can hold answers 404.
RecordPath = Annotated[int, Path(ge=1, le=MAX_RECORD_ID)]
CountryPath = Annotated[str, Path(min_length=3, max_length=3, pattern="^[A-Za-z]{3}$")]


def sign_in_first(actor: Actor, path: str) -> RedirectResponse | None:
    """A page for signed-in people, opened by someone who is not: to the sign-in page, then back here."""
    return None if actor.is_authenticated else RedirectResponse(f"/sign-in?next={path}", status_code=303)
