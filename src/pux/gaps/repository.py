"""All queries of the gaps package. Visibility is always applied here, by the same clauses as the needs'
and the activities' own lists (so a count or a sum never includes what a list would hide)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    Subquery,
    and_,
    cast,
    exists,
    extract,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session

from pux.accounts.permissions import VisibilityScope
from pux.assistance import repository as assistance_repository
from pux.assistance.models import AssistanceActivity
from pux.assistance.repository import Columns
from pux.gaps import vocabulary as v
from pux.gaps.models import NeedInterest
from pux.gaps.schemas import Period
from pux.needs import repository as needs_repository
from pux.needs.models import Need, need_sdg_target, need_technique
from pux.pagination import count_of
from pux.reference.models import SdgTarget, fold_for_search


def _in_period(rows: Select[*Columns], period: Period, *, include_ended: bool) -> Subquery:
    """The ``rows`` of activities that run at some time within the period (the matching engine's rule for
    one day: not cancelled, nor closed unless ``include_ended``; started by its end; not ended before its
    start), read as assistance_repository.not_ended_before reads them."""
    # A status is today's: an activity closed since ran in a period that is over ("assistance running on"
    # a day in 2023 lost every activity that has closed since), so only a period that reaches today
    # leaves the closed ones out.
    over = period.end < date.today()
    excluded = v.CANCELLED_ACTIVITY_STATUSES if include_ended or over else v.ENDED_ACTIVITY_STATUSES
    started = rows.where(
        AssistanceActivity.status.not_in(tuple(excluded)),
        or_(AssistanceActivity.start_date.is_(None), AssistanceActivity.start_date <= period.end),
    )
    return assistance_repository.not_ended_before(started, period.start)


def _activity_place(
    *,
    countries: frozenset[str] | None,
    areas: frozenset[str] | None,
    technique: str | None = None,
    provider_ids: tuple[int, ...] | None = None,
) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if countries is not None:
        clauses.append(AssistanceActivity.recipient_country_iso3.in_(sorted(countries)))
    if areas is not None:
        clauses.append(AssistanceActivity.thematic_area_code.in_(sorted(areas)))
    if technique:
        clauses.append(AssistanceActivity.technique_code == technique)
    if provider_ids is not None:
        clauses.append(AssistanceActivity.provider_organisation_id.in_(provider_ids))
    return clauses


def _committed_once(scope: VisibilityScope) -> ColumnElement[Any]:
    """The amount committed as sums add it (the same money reported by a funder and its implementer
    once: see assistance_repository.amount_counted_once), under the column's own name."""
    return assistance_repository.amount_counted_once(AssistanceActivity.amount_committed, scope).label(
        "amount_committed"
    )


def _disbursed_once(scope: VisibilityScope) -> ColumnElement[Any]:
    return assistance_repository.amount_counted_once(AssistanceActivity.amount_disbursed, scope).label(
        "amount_disbursed"
    )


# (country, area, currency, records, records stating the amount, sum of the stated amounts)
AmountTotals = tuple[str, str | None, str, int, int, Decimal | None]


def running_totals(
    session: Session,
    scope: VisibilityScope,
    period: Period,
    *,
    countries: frozenset[str] | None = None,
    areas: frozenset[str] | None = None,
) -> tuple[list[AmountTotals], dict[tuple[str, str], int]]:
    """The visible activities running in the period (ended ones left out): per recipient country, area and
    currency how many, how many state the amount committed and its sum (the same money once: see
    _committed_once); and per country and area how many providers run them. (Summed here: the records
    themselves, tens of thousands at the mission's scale, took most of a gap ranking's time to read and
    add up in Python.)"""
    rows = select(
        AssistanceActivity.id,
        AssistanceActivity.provider_organisation_id,
        AssistanceActivity.recipient_country_iso3,
        AssistanceActivity.thematic_area_code,
        AssistanceActivity.currency,
        _committed_once(scope),
    ).where(assistance_repository.visible_clause(scope), *_activity_place(countries=countries, areas=areas))
    running = _in_period(rows, period, include_ended=False).c
    place = (running.recipient_country_iso3, running.thematic_area_code, running.currency)
    totals = select(
        *place,
        func.count(running.id),
        func.count(running.amount_committed),
        func.sum(running.amount_committed),
    ).group_by(*place)
    area = (running.recipient_country_iso3, running.thematic_area_code)
    providers = (
        select(*area, func.count(running.provider_organisation_id.distinct()))
        .where(running.thematic_area_code.is_not(None))
        .group_by(*area)
    )
    return (
        list(session.execute(totals).all()),
        {(country, code): int(count) for country, code, count in session.execute(providers)},
    )


def committed_by_country(
    session: Session, scope: VisibilityScope, period: Period, *, currency: str, areas: frozenset[str] | None
) -> dict[str, Decimal]:
    """The amounts committed in ``currency`` by the visible activities running in the period (ended ones
    included), per recipient country, the same money once; countries with no stated amount are left
    out."""
    rows = select(AssistanceActivity.recipient_country_iso3, AssistanceActivity.amount_committed).where(
        assistance_repository.visible_clause(scope),
        assistance_repository.counted_once(scope),
        AssistanceActivity.currency == currency,
        AssistanceActivity.amount_committed.is_not(None),
        *_activity_place(countries=None, areas=areas),
    )
    running = _in_period(rows, period, include_ended=True).c
    statement = select(running.recipient_country_iso3, func.sum(running.amount_committed)).group_by(
        running.recipient_country_iso3
    )
    return {
        country: Decimal(total) for country, total in session.execute(statement).all() if total is not None
    }


WhoAggregate = tuple[int, str, str | None, str | None, str, int, float | None, float | None, int, int]


def who_aggregates(
    session: Session,
    scope: VisibilityScope,
    period: Period,
    *,
    countries: frozenset[str] | None,
    areas: frozenset[str] | None,
    technique: str | None,
    provider_ids: tuple[int, ...] | None,
) -> list[WhoAggregate]:
    """Per provider, recipient country, area, technique and currency: activities, sums committed and
    disbursed, and how many activities state each amount (so a sum of nothing stays missing). Every
    activity is counted, but money its funder's activity already counts is not added again."""
    rows = select(
        AssistanceActivity.id,
        AssistanceActivity.provider_organisation_id,
        AssistanceActivity.recipient_country_iso3,
        AssistanceActivity.thematic_area_code,
        AssistanceActivity.technique_code,
        AssistanceActivity.currency,
        _committed_once(scope),
        _disbursed_once(scope),
    ).where(
        assistance_repository.visible_clause(scope),
        *_activity_place(countries=countries, areas=areas, technique=technique, provider_ids=provider_ids),
    )
    running = _in_period(rows, period, include_ended=True).c
    columns = (
        running.provider_organisation_id,
        running.recipient_country_iso3,
        running.thematic_area_code,
        running.technique_code,
        running.currency,
    )
    statement = select(
        *columns,
        func.count(running.id),
        # Read as floats (as shown): tens of thousands of exact decimals cost a third of the query's time.
        cast(func.sum(running.amount_committed), Float),
        cast(func.sum(running.amount_disbursed), Float),
        func.count(running.amount_committed),
        func.count(running.amount_disbursed),
    )
    return list(session.execute(statement.group_by(*columns)).all())


NeedRow = tuple[int, str, str, Decimal | None, str]


def _endorsed(
    statement: Select[*Columns],
    scope: VisibilityScope,
    countries: frozenset[str] | None,
    areas: frozenset[str] | None,
) -> Select[*Columns]:
    """The visible needs a country has endorsed and not finished or withdrawn, in these places."""
    statement = statement.where(
        needs_repository.visible_clause(scope), Need.status.in_(sorted(v.ENDORSED_STATUSES))
    )
    if countries is not None:
        statement = statement.where(Need.country_iso3.in_(sorted(countries)))
    if areas is not None:
        statement = statement.where(Need.thematic_area_code.in_(sorted(areas)))
    return statement


def endorsed_need_costs(
    session: Session,
    scope: VisibilityScope,
    *,
    countries: frozenset[str] | None = None,
    areas: frozenset[str] | None = None,
) -> list[NeedRow]:
    """(id, country, area, estimated cost, currency) of the endorsed needs (see ``_endorsed``)."""
    columns = select(Need.id, Need.country_iso3, Need.thematic_area_code, Need.estimated_cost, Need.currency)
    return list(session.execute(_endorsed(columns, scope, countries, areas).order_by(Need.id)).all())


def endorsed_cost_totals(
    session: Session,
    scope: VisibilityScope,
    *,
    countries: frozenset[str] | None = None,
    areas: frozenset[str] | None = None,
) -> list[AmountTotals]:
    """Per country, area and currency, the endorsed needs (see ``_endorsed``): how many, how many state an
    estimated cost, and its sum."""
    place = (Need.country_iso3, Need.thematic_area_code, Need.currency)
    totals = select(
        *place, func.count(Need.id), func.count(Need.estimated_cost), func.sum(Need.estimated_cost)
    )
    return list(session.execute(_endorsed(totals, scope, countries, areas).group_by(*place)).all())


# --- By SDG goal and by technique, and year by year -------------------------------------------------


def _need_tags(by: str) -> Subquery:
    """(need_id, tag): each need once under each SDG goal its targets belong to (two targets of one goal
    are one goal), or under each of its techniques."""
    if by == v.BY_GOAL:
        return (
            select(need_sdg_target.c.need_id, SdgTarget.goal_code.label("tag"))
            .join(SdgTarget, SdgTarget.code == need_sdg_target.c.target_code)
            .distinct()
            .subquery()
        )
    return select(need_technique.c.need_id, need_technique.c.technique_code.label("tag")).subquery()


def endorsed_cost_totals_by_tag(
    session: Session,
    scope: VisibilityScope,
    *,
    by: str,
    countries: frozenset[str] | None = None,
    areas: frozenset[str] | None = None,
) -> list[AmountTotals]:
    """Per country, SDG goal (``by`` v.BY_GOAL) or technique (v.BY_TECHNIQUE) and currency, the endorsed
    needs (see ``_endorsed``): how many, how many state a cost, and its sum. A need with several goals or
    techniques is in the totals of each (the second element of each row is the goal or technique)."""
    tags = _need_tags(by)
    place = (Need.country_iso3, tags.c.tag, Need.currency)
    totals = select(
        *place, func.count(Need.id), func.count(Need.estimated_cost), func.sum(Need.estimated_cost)
    ).join(tags, tags.c.need_id == Need.id)
    return list(session.execute(_endorsed(totals, scope, countries, areas).group_by(*place)).all())


def count_endorsed_without_tag(
    session: Session,
    scope: VisibilityScope,
    *,
    by: str,
    countries: frozenset[str] | None = None,
    areas: frozenset[str] | None = None,
) -> int:
    """How many of the endorsed needs (see ``_endorsed``) name no SDG target (or no technique)."""
    tags = _need_tags(by)
    untagged = select(func.count(Need.id)).where(~exists().where(tags.c.need_id == Need.id))
    return session.scalar(_endorsed(untagged, scope, countries, areas)) or 0


# (recipient country, technique, SDG codes, currency, amount committed as sums add it)
ActivityTags = tuple[str, str | None, list[str] | None, str, Decimal | None]


def running_activity_tags(
    session: Session,
    scope: VisibilityScope,
    period: Period,
    *,
    countries: frozenset[str] | None = None,
    areas: frozenset[str] | None = None,
) -> list[ActivityTags]:
    """The visible activities running in the period (ended ones left out, as in ``running_totals``), one
    row each with the technique and SDG codes they are classified under. (Read one by one: the SDG codes
    are a list in one column, which no database groups by the same way.)"""
    rows = select(
        AssistanceActivity.id,
        AssistanceActivity.recipient_country_iso3,
        AssistanceActivity.technique_code,
        AssistanceActivity.sdg_codes,
        AssistanceActivity.currency,
        _committed_once(scope),
    ).where(assistance_repository.visible_clause(scope), *_activity_place(countries=countries, areas=areas))
    running = _in_period(rows, period, include_ended=False).c
    statement = select(
        running.recipient_country_iso3,
        running.technique_code,
        running.sdg_codes,
        running.currency,
        running.amount_committed,
    ).order_by(running.id)
    return [tuple(row) for row in session.execute(statement).all()]


# (year, currency, records, records stating the amount, sum of the stated amounts)
YearAmounts = tuple[int | None, str, int, int, Decimal | None]


def _year(column: Any) -> ColumnElement[Any]:
    return extract("year", column)


def endorsed_costs_by_year(
    session: Session,
    scope: VisibilityScope,
    *,
    countries: frozenset[str] | None = None,
    areas: frozenset[str] | None = None,
) -> list[YearAmounts]:
    """Per year the need was recorded in PUX and currency, the endorsed needs (see ``_endorsed``): how
    many, how many state a cost, and its sum."""
    year = _year(Need.created_at)
    counts = (func.count(Need.id), func.count(Need.estimated_cost), func.sum(Need.estimated_cost))
    totals = select(year, Need.currency, *counts)
    grouped = _endorsed(totals, scope, countries, areas).group_by(year, Need.currency)
    return [(_int(y), currency, *rest) for y, currency, *rest in session.execute(grouped).all()]


def assistance_by_start_year(
    session: Session,
    scope: VisibilityScope,
    *,
    countries: frozenset[str] | None = None,
    areas: frozenset[str] | None = None,
) -> tuple[list[YearAmounts], list[YearAmounts]]:
    """Per year its activity starts (None: no start date) and currency, the visible activities that were
    not cancelled (ended ones included: they committed their money then): the amounts committed, and the
    amounts disbursed, each as (year, currency, activities, how many state it, sum), the same money once."""
    rows = (
        select(
            AssistanceActivity.start_date,
            AssistanceActivity.currency,
            AssistanceActivity.id,
            _committed_once(scope),
            _disbursed_once(scope),
        )
        .where(
            assistance_repository.visible_clause(scope),
            AssistanceActivity.status.not_in(tuple(v.CANCELLED_ACTIVITY_STATUSES)),
            *_activity_place(countries=countries, areas=areas),
        )
        .subquery()
    )
    year = _year(rows.c.start_date)
    statement = select(
        year,
        rows.c.currency,
        func.count(rows.c.id),
        func.count(rows.c.amount_committed),
        func.sum(rows.c.amount_committed),
        func.count(rows.c.amount_disbursed),
        func.sum(rows.c.amount_disbursed),
    ).group_by(year, rows.c.currency)
    committed: list[YearAmounts] = []
    disbursed: list[YearAmounts] = []
    for y, currency, count, n_committed, sum_committed, n_disbursed, sum_disbursed in session.execute(
        statement
    ):
        committed.append((_int(y), currency, int(count), int(n_committed), sum_committed))
        disbursed.append((_int(y), currency, int(count), int(n_disbursed), sum_disbursed))
    return committed, disbursed


def _int(value: object) -> int | None:
    return None if value is None else int(str(value).split(".")[0])


def needs_count_by_country(
    session: Session, scope: VisibilityScope, statuses: frozenset[str]
) -> dict[str, int]:
    statement = (
        select(Need.country_iso3, func.count(Need.id))
        .where(needs_repository.visible_clause(scope), Need.status.in_(sorted(statuses)))
        .group_by(Need.country_iso3)
    )
    return {country: int(count) for country, count in session.execute(statement)}


def _unfunded(scope: VisibilityScope, funders: VisibilityScope) -> tuple[ColumnElement[bool], ...]:
    """The needs ``scope`` may see that no activity ``funders`` may see funds (an activity the reader may
    not see takes no need off the reader's board: a private record leaves no trace)."""
    # Asked per need through the activities' need index: NOT IN a list of funded needs read every one of
    # 200,000 activities for each board and home page.
    funded = exists().where(
        AssistanceActivity.need_id == Need.id,
        AssistanceActivity.status.not_in(tuple(v.CANCELLED_ACTIVITY_STATUSES)),
        assistance_repository.visible_clause(funders),
    )
    return (
        needs_repository.visible_clause(scope),
        Need.status.in_(sorted(v.UNFUNDED_STATUSES)),
        ~funded,
    )


def count_unfunded_needs(session: Session, scope: VisibilityScope, funders: VisibilityScope) -> int:
    """How many needs unfunded_needs finds without filters."""
    return session.scalar(select(func.count(Need.id)).where(*_unfunded(scope, funders))) or 0


def unfunded_needs(
    session: Session,
    scope: VisibilityScope,
    funders: VisibilityScope,
    *,
    countries: frozenset[str] | None,
    area: str | None,
    technique: str | None,
    footnote_a_only: bool,
    text: str | None,
) -> list[needs_repository.NeedPlace]:
    """Needs ``scope`` may see, endorsed or published, that no activity ``funders`` may see funds yet, as
    their sort keys. (Their costs are compared by the service, which converts currencies with the rates a
    reader states.)"""
    statement = select(*needs_repository.PLACE_COLUMNS).where(*_unfunded(scope, funders))
    if countries is not None:
        statement = statement.where(Need.country_iso3.in_(sorted(countries)))
    if area:
        statement = statement.where(Need.thematic_area_code == area)
    if technique:
        statement = statement.where(
            Need.id.in_(select(need_technique.c.need_id).where(need_technique.c.technique_code == technique))
        )
    if footnote_a_only:
        statement = statement.where(Need.unfunded_footnote_a.is_(True))
    if text and text.strip():
        statement = statement.where(Need.search_text.contains(fold_for_search(text.strip()), autoescape=True))
    ordered = statement.order_by(Need.updated_at, Need.id)
    return [needs_repository.NeedPlace(*row) for row in session.execute(ordered)]


# --- Interest marks ---------------------------------------------------------------------------------


def get_interest(session: Session, interest_id: int) -> NeedInterest | None:
    return session.get(NeedInterest, interest_id)


def interest_of(session: Session, *, need_id: int, organisation_id: int) -> NeedInterest | None:
    return session.scalars(
        select(NeedInterest).where(
            NeedInterest.need_id == need_id, NeedInterest.organisation_id == organisation_id
        )
    ).first()


def interests_for_need(session: Session, need_id: int) -> Sequence[NeedInterest]:
    statement = select(NeedInterest).where(NeedInterest.need_id == need_id).order_by(NeedInterest.created_at)
    return session.scalars(statement).unique().all()


def active_interest_counts(session: Session, need_ids: Sequence[int]) -> dict[int, int]:
    if not need_ids:
        return {}
    statement = (
        select(NeedInterest.need_id, func.count(NeedInterest.id))
        .where(NeedInterest.need_id.in_(need_ids), NeedInterest.status == v.INTEREST_ACTIVE)
        .group_by(NeedInterest.need_id)
    )
    return {need_id: int(count) for need_id, count in session.execute(statement)}


def needs_marked_by(session: Session, organisations: frozenset[int], need_ids: Sequence[int]) -> set[int]:
    if not organisations or not need_ids:
        return set()
    statement = select(NeedInterest.need_id).where(
        NeedInterest.need_id.in_(need_ids),
        NeedInterest.organisation_id.in_(sorted(organisations)),
        NeedInterest.status == v.INTEREST_ACTIVE,
    )
    return set(session.scalars(statement))


def _unacknowledged(statement: Select[Any], countries: frozenset[str] | None) -> Select[Any]:
    statement = statement.join(Need, Need.id == NeedInterest.need_id).where(
        and_(NeedInterest.status == v.INTEREST_ACTIVE, NeedInterest.acknowledged_at.is_(None))
    )
    return statement if countries is None else statement.where(Need.country_iso3.in_(sorted(countries)))


def unacknowledged_interests(
    session: Session, *, countries: frozenset[str] | None, limit: int = 100
) -> Sequence[NeedInterest]:
    """Active interest marks that the need's country has not acknowledged (None: of every country)."""
    statement = _unacknowledged(select(NeedInterest), countries)
    statement = statement.order_by(NeedInterest.created_at, NeedInterest.id).limit(limit)
    return session.scalars(statement).unique().all()


def count_unacknowledged_interests(session: Session, *, countries: frozenset[str] | None) -> int:
    """How many marks unacknowledged_interests would list without its limit, without loading them (the
    header counts every one: the inbox lists the 100 oldest)."""
    return count_of(session, _unacknowledged(select(NeedInterest.id), countries))


def add(session: Session, record: object) -> None:
    session.add(record)
    session.flush()
