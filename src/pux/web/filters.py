"""The filters of each list, declared once and shared by its page, its JSON route and its export.

A filter a person can type is checked here: a value that cannot be right (an SDG code such as "99", a
status no record can have) is refused with a clear message instead of quietly returning nothing, and
``%``/``_`` in a code are never wildcards. An organisation filter takes a number or typed text (see
organisation_ids).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import Depends, Query
from pydantic import BeforeValidator
from sqlalchemy.orm import Session

from pux.accounts import service as accounts
from pux.accounts.permissions import ROLES
from pux.accounts.repository import OrganisationFilter, PeopleFilter
from pux.assistance import repository as activities
from pux.assistance.models import ACTIVITY_STATUSES
from pux.assistance.repository import ActivityFilter
from pux.dialogues import vocabulary as dialogue_words
from pux.dialogues.repository import ActionFilter, EventFilter
from pux.errors import FieldProblem, ValidationFailed
from pux.i18n import gettext as _
from pux.needs import repository as needs
from pux.needs import workflow as need_workflow
from pux.needs.repository import NeedFilter
from pux.pagination import MAX_PAGE_NUMBER, MAX_PAGE_SIZE, PageRequest
from pux.programmes import repository as programmes
from pux.programmes.repository import ProgrammeFilter
from pux.programmes.schemas import PROGRAMME_STATUSES
from pux.reference.vocabulary import INCOME_GROUP_CODES, MODALITIES, ORGANISATION_TYPES
from pux.validation import MAX_RECORD_ID, one_of_or_blank, record_number
from pux.web.deps import SessionDep

# The largest record number a 64-bit database key holds.
RecordId = Annotated[int, Query(ge=1, le=MAX_RECORD_ID)]
Code = Annotated[str | None, Query(max_length=20)]
Words = Annotated[str | None, Query(max_length=200)]


def allowed(words: Iterable[str]) -> str:
    """The API description of a filter taking one of a vocabulary's codes."""
    return "One of: " + ", ".join(words) + ". Blank: any. Any other value is refused (422)."


# Filters that take a code from a closed vocabulary, each checked against the domain's own list (a code
# added there is taken at once): an unknown one, such as "in-implementation" for "in_implementation", was
# taken and listed nothing, as if no record had that status. Blank is allowed: a filter form sends
# "status=" for "any". A refused value gets 422 naming the filter, on the API and on the pages.
NeedStatus = Annotated[
    str | None,
    Query(pattern=one_of_or_blank(need_workflow.STATUSES), description=allowed(need_workflow.STATUSES)),
]
IncomeGroup = Annotated[
    str | None, Query(pattern=one_of_or_blank(INCOME_GROUP_CODES), description=allowed(INCOME_GROUP_CODES))
]
ProgrammeStatus = Annotated[
    str | None, Query(pattern=one_of_or_blank(PROGRAMME_STATUSES), description=allowed(PROGRAMME_STATUSES))
]
Modality = Annotated[str | None, Query(pattern=one_of_or_blank(MODALITIES), description=allowed(MODALITIES))]
ActivityStatus = Annotated[
    str | None, Query(pattern=one_of_or_blank(ACTIVITY_STATUSES), description=allowed(ACTIVITY_STATUSES))
]
OrganisationType = Annotated[
    str | None,
    Query(alias="type", pattern=one_of_or_blank(ORGANISATION_TYPES), description=allowed(ORGANISATION_TYPES)),
]
Role = Annotated[str | None, Query(pattern=one_of_or_blank(ROLES), description=allowed(ROLES))]
_SDG_CODE = re.compile(r"^(?:sdg|goal|target)?\s*([0-9]{1,2}(?:\.[0-9a-z]{1,2})?)$", re.IGNORECASE)


def sdg_code(text: str | None) -> str | None:
    """ "SDG 3", "goal 3", "3", "3.4", "3.b" → the code; anything else is refused, naming the field."""
    if not text or not text.strip():
        return None
    match = _SDG_CODE.match(text.strip())
    goal = int(match.group(1).split(".")[0]) if match else 0
    if match is None or not 1 <= goal <= 17:
        raise ValidationFailed(
            [
                FieldProblem(
                    "sdg",
                    _("'%(code)s' is not an SDG goal (1-17) or target (such as 3.4)") % {"code": text[:20]},
                )
            ]
        )
    return match.group(1).lower()


def _blank_is_none(value: str | None) -> str | None:
    return value.strip() or None if value else None


def country_code(value: str | None) -> str | None:
    """A country's ISO3 code as the records hold it: "gha" in a typed link is Ghana, listed as chosen."""
    code = _blank_is_none(value)
    return code.upper() if code else None


# An organisation chosen in a filter form: its number (a chooser's option, a link), part of its name or
# acronym (what a person types where thousands of organisations are too many to list), or blank for "all".
OrganisationChoice = Annotated[
    str | None,
    Query(
        max_length=200,
        description="An organisation's number, or part of its name or acronym (any case): its whole name or "
        "acronym means that organisation alone, otherwise every organisation whose name contains it.",
    ),
]


def organisation_ids(session: Session, value: str | None) -> tuple[int, ...] | None:
    """The organisations a filter form or link chose: None for the blank "all", the one a record number
    names, else those typed text stands for (empty when none: nothing is listed). Digits that no record
    number can be (0, beyond a database key) are typed text."""
    text = (value or "").strip()
    if not text:
        return None
    number = record_number(text)
    return (number,) if number is not None else accounts.organisations_named(session, text)


def organisation_filters(
    q: Words = None,
    kind: OrganisationType = None,
    country: Code = None,
) -> OrganisationFilter:
    return OrganisationFilter(
        text=_blank_is_none(q),
        organisation_type=_blank_is_none(kind),
        country_iso3=country_code(country),
    )


def people_filters(q: Words = None, role: Role = None, country: Code = None) -> PeopleFilter:
    return PeopleFilter(
        text=_blank_is_none(q),
        role=_blank_is_none(role),
        country_iso3=country_code(country),
    )


def need_filters(
    country: Code = None,
    region: Code = None,
    area: Code = None,
    technique: Annotated[str | None, Query(max_length=60)] = None,
    sdg: Code = None,
    status: NeedStatus = None,
    income_group: IncomeGroup = None,
    q: Words = None,
    mine: bool = False,
) -> NeedFilter:
    return NeedFilter(
        mine=mine,
        country_iso3=country_code(country),
        region_m49=_blank_is_none(region),
        thematic_area_code=_blank_is_none(area),
        technique_code=_blank_is_none(technique),
        sdg_code=sdg_code(sdg),
        status=_blank_is_none(status),
        income_group=_blank_is_none(income_group),
        text=_blank_is_none(q),
    )


def programme_filters(
    session: SessionDep,
    organisation: OrganisationChoice = None,
    area: Code = None,
    technique: Annotated[str | None, Query(max_length=60)] = None,
    modality: Modality = None,
    status: ProgrammeStatus = None,
    q: Words = None,
) -> ProgrammeFilter:
    return ProgrammeFilter(
        organisation_ids=organisation_ids(session, organisation),
        thematic_area_code=_blank_is_none(area),
        technique_code=_blank_is_none(technique),
        modality=_blank_is_none(modality),
        status=_blank_is_none(status),
        text=_blank_is_none(q),
    )


def activity_filters(
    session: SessionDep,
    country: Code = None,
    provider: OrganisationChoice = None,
    area: Code = None,
    technique: Annotated[str | None, Query(max_length=60)] = None,
    status: ActivityStatus = None,
    need: Annotated[int | None, Query(ge=1, le=MAX_RECORD_ID)] = None,
    q: Words = None,
) -> ActivityFilter:
    return ActivityFilter(
        country_iso3=country_code(country),
        provider_organisation_ids=organisation_ids(session, provider),
        thematic_area_code=_blank_is_none(area),
        technique_code=_blank_is_none(technique),
        status=_blank_is_none(status),
        need_id=need,
        text=_blank_is_none(q),
    )


def page_request(page: Annotated[int, Query(ge=1, le=MAX_PAGE_NUMBER)] = 1) -> PageRequest:
    """The page of a list page (20 rows)."""
    return PageRequest(number=page)


def api_page_request(
    page: Annotated[int, Query(ge=1, le=MAX_PAGE_NUMBER)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> PageRequest:
    """The page of a JSON list (up to 200 items)."""
    return PageRequest(number=page, size=page_size)


# --- What an integrator pulling a list page by page adds to its filters ------------------------------


def _not_a_number(value: Any) -> Any:
    # Pydantic reads digits as seconds since 1970: "20261201" would have asked for changes since 1970.
    if isinstance(value, str) and value.strip().isdigit():
        raise ValueError(_("write a date as YYYY-MM-DD (and a time as HH:MM)"))
    return value


UpdatedSince = Annotated[
    datetime | None,
    Query(
        description="Only records changed at or after this moment: an ISO 8601 date and time, in UTC unless "
        "it states its offset (2026-12-01T00:00:00Z). A record's time is taken as it is saved: to pull what "
        "changed since a previous pull, ask from a minute before it began, with sort=id.",
    ),
    BeforeValidator(_not_a_number),
]


def in_utc(moment: datetime | None) -> datetime | None:
    """A moment a caller sent, in UTC (as PUX stores times): one without an offset is UTC already; one
    that its offset puts before year 1 or after year 9999 in UTC is before or after every record."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return (datetime.min if moment.year == 1 else datetime.max).replace(tzinfo=UTC)


def _sort(orders: tuple[str, ...], meanings: str) -> Any:
    return Query(pattern=one_of_or_blank(orders), description=f"{meanings} Blank: the default.")


# How the order by id serves a pull page by page, said of every list that has it.
_BY_ID = (
    "the order records were added in, oldest first: one added meanwhile comes last, so that a pull page by "
    "page neither skips nor repeats a record."
)
ActivitySort = Annotated[
    str, _sort(activities.ORDERS, f"start_date (the default): the latest start first. id: {_BY_ID}")
]
NeedSort = Annotated[
    str, _sort(needs.ORDERS, f"country_rank (the default): by country, then national rank. id: {_BY_ID}")
]
ProgrammeSort = Annotated[str, _sort(programmes.ORDERS, f"id (the default, and the only order): {_BY_ID}")]


def api_activity_filters(
    filters: Annotated[ActivityFilter, Depends(activity_filters)],
    sort: ActivitySort = activities.BY_START_DATE,
    updated_since: UpdatedSince = None,
) -> ActivityFilter:
    return replace(filters, order=sort or activities.BY_START_DATE, updated_since=in_utc(updated_since))


def api_need_filters(
    filters: Annotated[NeedFilter, Depends(need_filters)],
    sort: NeedSort = needs.BY_COUNTRY_RANK,
    updated_since: UpdatedSince = None,
) -> NeedFilter:
    return replace(filters, order=sort or needs.BY_COUNTRY_RANK, updated_since=in_utc(updated_since))


def api_programme_filters(
    filters: Annotated[ProgrammeFilter, Depends(programme_filters)],
    sort: ProgrammeSort = programmes.BY_ID,  # the one order there is
    updated_since: UpdatedSince = None,
) -> ProgrammeFilter:
    return replace(filters, updated_since=in_utc(updated_since))


NeedFilters = Annotated[NeedFilter, Depends(need_filters)]
PeopleFilters = Annotated[PeopleFilter, Depends(people_filters)]
OrganisationFilters = Annotated[OrganisationFilter, Depends(organisation_filters)]
ProgrammeFilters = Annotated[ProgrammeFilter, Depends(programme_filters)]
ActivityFilters = Annotated[ActivityFilter, Depends(activity_filters)]
PageNumber = Annotated[PageRequest, Depends(page_request)]
ApiPage = Annotated[PageRequest, Depends(api_page_request)]
ApiActivityFilters = Annotated[ActivityFilter, Depends(api_activity_filters)]
ApiNeedFilters = Annotated[NeedFilter, Depends(api_need_filters)]
ApiProgrammeFilters = Annotated[ProgrammeFilter, Depends(api_programme_filters)]


# --- Dialogue events and their follow-up actions -----------------------------------------------------

# Blank is allowed: a filter form sends "when=" for "any time".
When = Annotated[str | None, Query(pattern="^(upcoming|past)?$")]
# The vocabulary's kinds, so that a kind added there can be filtered on (a list written out here refused it).
EventKind = Annotated[str | None, Query(pattern=one_of_or_blank(dialogue_words.EVENT_KINDS))]
ActionStatus = Annotated[str | None, Query(pattern="^(open|in_progress|done|dropped)?$")]


def event_filters(
    when: When = None,
    kind: EventKind = None,
    area: Annotated[str | None, Query(max_length=20)] = None,
    country: Annotated[str | None, Query(max_length=20)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> EventFilter:
    return EventFilter(
        when=_blank_is_none(when),
        kind=_blank_is_none(kind),
        thematic_area_code=_blank_is_none(area),
        country_iso3=country_code(country),
        text=_blank_is_none(q),
    )


def action_filters(
    status: ActionStatus = None,
    overdue: Annotated[bool, Query(description="Only open actions past their due date")] = False,
) -> ActionFilter:
    return ActionFilter(status=_blank_is_none(status), overdue_on=date.today() if overdue else None)


EventFilters = Annotated[EventFilter, Depends(event_filters)]
ActionFilters = Annotated[ActionFilter, Depends(action_filters)]
