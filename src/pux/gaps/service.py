"""Gaps: the service the pages, the API, the CLI and the briefs call. Reads through the repositories with
the reader's visibility scopes, computes with ``pux.gaps.engine``, checks permissions and audits every
write (marks of interest). Never commits: the request or the command is the unit of work.

Public functions (keyword-only, a session first; each returns plain dataclasses):
``gap_ranking``, ``country_gaps``, ``region_gaps``, ``organisation_gaps`` -> ``GapReport``;
``who_does_what_where`` -> ``WhoReport``; ``unfunded_needs`` -> ``UnfundedBoard`` (a page of needs);
``map_figures`` -> ``MapFigures``; ``mark_interest``, ``withdraw_interest``, ``acknowledge_interest``,
``interests_for_need``, ``interests_waiting``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import cast

from sqlalchemy.orm import Session

from pux.accounts import permissions
from pux.accounts import repository as accounts_repository
from pux.accounts.permissions import Actor, VisibilityScope, require
from pux.audit import service as audit
from pux.errors import FieldProblem, NotFound, ValidationFailed
from pux.gaps import engine, repository
from pux.gaps import vocabulary as v
from pux.gaps.engine import AreaStanding, ExchangeRate, Figure, Totals
from pux.gaps.models import NeedInterest
from pux.gaps.schemas import (
    CoverageReport,
    GapFilter,
    GapLine,
    GapReport,
    InterestCreate,
    InterestView,
    MapFigures,
    Period,
    TagGapReport,
    TagLine,
    UnfundedBoard,
    UnfundedFilter,
    UnfundedNeed,
    WhoFilter,
    WhoReport,
    WhoRow,
)
from pux.i18n import get_language
from pux.i18n import gettext as _
from pux.kept import KeptResults
from pux.matching import service as matching
from pux.needs import repository as needs_repository
from pux.needs import service as needs
from pux.pagination import PageRequest, page_of_rows
from pux.priority import engine as priority_engine
from pux.priority import service as priority
from pux.reference import repository as reference_repository
from pux.reference.models import Country

INTEREST_ENTITY = "need_interest"
SORTS = ("priority", "oldest", "cost")


def needs_source() -> str:
    return _("PUX needs registry: endorsed needs and their estimated costs")


def assistance_source() -> str:
    return _("PUX assistance activities: amounts committed")


# --- The priority index behind each gap ---------------------------------------------------------------


def _years(result: priority_engine.PriorityResult, component: str | None = None) -> tuple[str | None, str]:
    """The years and source codes of the observations a result (or one of its components) used."""
    span, sources = priority_engine.data_years(result, component)
    return span, ", ".join(sources)


def _component(result: priority_engine.PriorityResult, name: str) -> float | None:
    return next((c.pressing for c in result.components if c.name == name), None)


def _data_stamp(session: Session) -> tuple[object, ...]:
    """Moves whenever anything a gap report reads may have changed: the priority index's inputs (assistance
    included) and the needs a country has endorsed (a draft written elsewhere leaves it alone)."""
    return (
        *priority.inputs_stamp(session),
        *needs_repository.fingerprint(session, statuses=v.ENDORSED_STATUSES),
    )


# Standings computed lately, by what they were computed from (see standing_by_country_and_area).
_STANDINGS: KeptResults[dict[tuple[str, str], AreaStanding]] = KeptResults(16)
# Who-does-what-where tables and assistance maps asked lately (one per filter set and viewer's scope).
_ASSISTANCE: KeptResults[object] = KeptResults(64)


def standing_by_country_and_area(
    session: Session,
    *,
    on: date | None = None,
    areas: frozenset[str] | None = None,
    actor: Actor | None = None,
) -> dict[tuple[str, str], AreaStanding]:
    """Burden, capacity and score of every ranked country in every area (or in ``areas``) of the priority
    index in force, from the assistance ``actor`` may see (the public's by default). Kept per process and
    reader's scope until the data it reads change: computing it takes about a second on the demo, and the
    gap pages, the unfunded board and every brief ask for it."""
    scope = permissions.activity_scope(actor or Actor.public())
    key = (priority.inputs_stamp(session), on or date.today(), get_language(), scope)
    # Every area at once: one entry serves every page, whatever areas it asks for.
    standing = _STANDINGS.get(key, lambda: _computed_standing(session, on=on, actor=actor))
    if areas is None:
        return dict(standing)
    return {(iso3, area): entry for (iso3, area), entry in standing.items() if area in areas}


def _computed_standing(
    session: Session, *, on: date | None, actor: Actor | None
) -> dict[tuple[str, str], AreaStanding]:
    _config, results = priority.rankings(session, on=on, actor=actor)
    standing: dict[tuple[str, str], AreaStanding] = {}
    for area, ranked in results.items():
        for result in ranked:
            year, codes = _years(result)
            source = (
                _("PUX priority index (%(sources)s)") % {"sources": codes}
                if codes
                else _("PUX priority index")
            )
            standing[(result.iso3, area)] = AreaStanding(
                burden=_component(result, "burden"),
                capacity=_component(result, "capacity"),
                score=result.score,
                year=year,
                source=source,
            )
    return standing


# --- Gaps ---------------------------------------------------------------------------------------------


def _audience(actor: Actor) -> str:
    if actor.is_global:
        return "all"
    if actor.countries(permissions.FOCAL_POINT, permissions.COUNTERPART):
        return "country"
    return "partners" if actor.is_partner_level else "public"


def _countries_of(session: Session, filters: GapFilter) -> frozenset[str] | None:
    chosen: frozenset[str] | None = filters.countries
    if filters.country_iso3:
        single = frozenset({filters.country_iso3.upper()})
        chosen = single if chosen is None else chosen & single
    if filters.region_m49:
        in_region = frozenset(c.iso3 for c in _countries_in_region(session, filters.region_m49))
        chosen = in_region if chosen is None else chosen & in_region
    return chosen


def _areas_of(filters: GapFilter) -> frozenset[str] | None:
    chosen = filters.areas
    if filters.thematic_area_code:
        single = frozenset({filters.thematic_area_code})
        chosen = single if chosen is None else chosen & single
    return chosen


def _countries_in_region(session: Session, m49: str) -> list[Country]:
    return [
        c
        for c in reference_repository.all_countries(session)
        if m49 in (c.region_m49, c.subregion_m49, c.intermediate_m49)
    ]


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _totals(row: repository.AmountTotals) -> Totals:
    country, area, currency, count, stated, amount = row
    return Totals(country, area, currency, int(count), int(stated), _money(amount))


def _report_key(
    kind: str,
    session: Session,
    actor: Actor,
    filters: GapFilter,
    period: Period | None,
    currency: str,
    rates: Sequence[ExchangeRate],
) -> tuple[object, ...]:
    """What a kept gap report depends on: the data's version, what the reader may see, the page's choices
    and the language its names are in."""
    scopes = (permissions.need_scope(actor), permissions.activity_scope(actor), _audience(actor))
    choices = (filters, period, currency.upper(), tuple(rates))
    return (kind, _data_stamp(session), scopes, *choices, get_language())


def gap_ranking(
    session: Session,
    *,
    actor: Actor,
    filters: GapFilter | None = None,
    period: Period | None = None,
    currency: str = "USD",
    rates: Sequence[ExchangeRate] = (),
) -> GapReport:
    """Each country's gap per thematic area (what its endorsed needs cost, what current assistance there
    covers, the remainder), the largest burden-weighted gap first; only what ``actor`` may see counts.

    ``period``: when assistance counts as current (default: today); ``rates``: stated exchange rates to
    ``currency``; amounts in other currencies without one are reported apart, unconverted."""
    period = period or Period.on(date.today())
    filters = filters or GapFilter()
    # Kept per data version and what the reader may see: the ranking reads every endorsed need and every
    # current activity and checks providers' overlaps, seconds at the mission's scale, and the ranking
    # page asks for it twice (table and map).
    key = _report_key("gaps", session, actor, filters, period, currency, rates)
    return cast(
        GapReport,
        _ASSISTANCE.get(key, lambda: _gap_report(session, actor, filters, period, currency, rates)),
    )


def _gap_report(
    session: Session,
    actor: Actor,
    filters: GapFilter,
    period: Period,
    currency: str,
    rates: Sequence[ExchangeRate],
) -> GapReport:
    countries, areas = _countries_of(session, filters), _areas_of(filters)
    need_scope, activity_scope = permissions.need_scope(actor), permissions.activity_scope(actor)
    need_totals = repository.endorsed_cost_totals(session, need_scope, countries=countries, areas=areas)
    committed, providers = repository.running_totals(
        session, activity_scope, period, countries=countries, areas=areas
    )
    # The matching engine's overlap rule, on the last day of the period (the same providers on the same
    # country, area and technique at the same time), counting only activities the reader may see.
    duplications = [
        (country, area, technique)
        for country, area, technique, _count in matching.provider_overlaps(
            session, actor=actor, on=period.end
        )
        if (countries is None or country in countries) and (areas is None or area in areas)
    ]
    sources = engine.Sources(
        needs=needs_source(),
        assistance=assistance_source(),
        period=period.label,
        needs_year=str(date.today().year),
    )
    gaps = engine.area_gaps(
        [_totals(row) for row in need_totals],
        [_totals(row) for row in committed],
        providers,
        standing_by_country_and_area(session, on=period.end, areas=areas, actor=actor),
        currency=currency.upper(),
        rates=rates,
        duplications=duplications,
        sources=sources,
    )
    country_names = {c.iso3: c.name() for c in reference_repository.all_countries(session)}
    area_names = {a.code: a.name() for a in reference_repository.list_thematic_areas(session)}
    return GapReport(
        lines=[
            GapLine(
                gap, country_names.get(gap.country_iso3, gap.country_iso3), area_names.get(gap.area, gap.area)
            )
            for gap in gaps
        ],
        currency=currency.upper(),
        rates=tuple(rates),
        period=period,
        needs_source=sources.needs,
        assistance_source=sources.assistance,
        index_source=_("PUX priority index"),
        made_at=datetime.now(UTC),
        audience=_audience(actor),
    )


def country_gaps(
    session: Session,
    *,
    actor: Actor,
    iso3: str,
    period: Period | None = None,
    currency: str = "USD",
    rates: Sequence[ExchangeRate] = (),
) -> GapReport:
    """One country's gap in each thematic area (see ``gap_ranking``); NotFound for an unknown country."""
    if reference_repository.get_country(session, iso3.upper()) is None:
        raise NotFound(_("No country or area has this code."))
    return gap_ranking(
        session, actor=actor, filters=GapFilter(country_iso3=iso3.upper()), period=period, currency=currency,
        rates=rates,
    )  # fmt: skip


def region_gaps(
    session: Session,
    *,
    actor: Actor,
    m49: str,
    area: str | None = None,
    period: Period | None = None,
    currency: str = "USD",
    rates: Sequence[ExchangeRate] = (),
) -> GapReport:
    """The gaps of a region's countries (M49 region, sub-region or intermediate region)."""
    if reference_repository.get_region(session, m49) is None:
        raise NotFound(_("No region has this code."))
    return gap_ranking(
        session, actor=actor, filters=GapFilter(region_m49=m49, thematic_area_code=area), period=period,
        currency=currency, rates=rates,
    )  # fmt: skip


def organisation_gaps(
    session: Session,
    *,
    actor: Actor,
    organisation_id: int,
    period: Period | None = None,
    currency: str = "USD",
    rates: Sequence[ExchangeRate] = (),
) -> GapReport:
    """The gaps in the thematic areas an organisation works in (its visible activities in the period), in
    every country: the gaps it could help fill."""
    if accounts_repository.get_organisation(session, organisation_id) is None:
        raise NotFound(_("No organisation has this number."))
    period = period or Period.on(date.today())
    rows = repository.who_aggregates(
        session, permissions.activity_scope(actor), period, countries=None, areas=None, technique=None,
        provider_ids=(organisation_id,),
    )  # fmt: skip
    areas = frozenset(area for _p, _c, area, _t, _cur, *_rest in rows if area)
    return gap_ranking(
        session, actor=actor, filters=GapFilter(areas=areas), period=period, currency=currency, rates=rates
    )


# --- Gaps by SDG goal and by technique; coverage over time ------------------------------------------


def gaps_by_goal_and_technique(
    session: Session,
    *,
    actor: Actor,
    filters: GapFilter | None = None,
    period: Period | None = None,
    currency: str = "USD",
    rates: Sequence[ExchangeRate] = (),
) -> TagGapReport:
    """Needs against current assistance per SDG goal and per technique, visible to ``actor``: the endorsed
    needs' cost under each goal (of their SDG targets) or technique, the assistance committed by the
    activities running in the period classified under it, and the uncovered remainder (each country's own,
    added up). A record with several goals or techniques counts under each. ``period``, ``currency`` and
    ``rates`` as in ``gap_ranking``."""
    period = period or Period.on(date.today())
    filters = filters or GapFilter()
    key = _report_key("tags", session, actor, filters, period, currency, rates)
    return cast(
        TagGapReport,
        _ASSISTANCE.get(key, lambda: _tag_report(session, actor, filters, period, currency.upper(), rates)),
    )


def _tag_report(
    session: Session,
    actor: Actor,
    filters: GapFilter,
    period: Period,
    currency: str,
    rates: Sequence[ExchangeRate],
) -> TagGapReport:
    countries, areas = _countries_of(session, filters), _areas_of(filters)
    need_scope = permissions.need_scope(actor)
    place = {"countries": countries, "areas": areas}
    activities = [
        _tagged_activity(row)
        for row in repository.running_activity_tags(
            session, permissions.activity_scope(actor), period, **place
        )
    ]
    sources = engine.Sources(
        needs=needs_source(), assistance=assistance_source(), period=period.label,
        needs_year=str(date.today().year),
    )  # fmt: skip

    def table(by: str, assistance: list[engine.Tagged]) -> list[engine.TagGap]:
        needs_totals = repository.endorsed_cost_totals_by_tag(session, need_scope, by=by, **place)
        return engine.tag_gaps(
            [_totals(row) for row in needs_totals], engine.tally(assistance), currency=currency,
            rates=rates, sources=sources,
        )  # fmt: skip

    goal_names = {g.code: _("Goal %(code)s") % {"code": g.code} + f": {g.label()}" for g in
                  reference_repository.list_goals(session)}  # fmt: skip
    technique_names = {t.code: t.name() for t in reference_repository.list_techniques(session)}
    goals = table(v.BY_GOAL, [a for a, _t in activities])
    techniques = table(v.BY_TECHNIQUE, [t for _a, t in activities])
    return TagGapReport(
        goals=[TagLine(gap, goal_names.get(gap.tag, gap.tag)) for gap in goals],
        techniques=[TagLine(gap, technique_names.get(gap.tag, gap.tag)) for gap in techniques],
        currency=currency,
        rates=tuple(rates),
        period=period,
        needs_source=sources.needs,
        assistance_source=sources.assistance,
        made_at=datetime.now(UTC),
        audience=_audience(actor),
        needs_without_goal=repository.count_endorsed_without_tag(session, need_scope, by=v.BY_GOAL, **place),
        needs_without_technique=repository.count_endorsed_without_tag(
            session, need_scope, by=v.BY_TECHNIQUE, **place
        ),
        activities_without_goal=sum(1 for a, _t in activities if not a.tags),
        activities_without_technique=sum(1 for _a, t in activities if not t.tags),
    )


def _tagged_activity(row: repository.ActivityTags) -> tuple[engine.Tagged, engine.Tagged]:
    """An activity as the goal table counts it (under each goal it names) and as the technique table
    does (under its technique)."""
    country, technique, sdg_codes, currency, amount = row
    goals = engine.sdg_goals_of(sdg_codes or ())
    techniques = frozenset({technique}) if technique else frozenset()
    return (
        engine.Tagged(country, goals, currency, _money(amount)),
        engine.Tagged(country, techniques, currency, _money(amount)),
    )


def coverage_over_time(
    session: Session,
    *,
    actor: Actor,
    filters: GapFilter | None = None,
    period: Period | None = None,
    currency: str = "USD",
    rates: Sequence[ExchangeRate] = (),
) -> CoverageReport:
    """Year by year, the endorsed needs ``actor`` may see recorded in that year and their cost, against
    the assistance committed (and disbursed) by the visible activities that began in it: whether the gap
    narrows. Every year the data covers, or the years of ``period``."""
    filters = filters or GapFilter()
    key = _report_key("coverage", session, actor, filters, period, currency, rates)
    return cast(
        CoverageReport,
        _ASSISTANCE.get(
            key, lambda: _coverage_report(session, actor, filters, period, currency.upper(), rates)
        ),
    )


def _coverage_report(
    session: Session,
    actor: Actor,
    filters: GapFilter,
    period: Period | None,
    currency: str,
    rates: Sequence[ExchangeRate],
) -> CoverageReport:
    place = {"countries": _countries_of(session, filters), "areas": _areas_of(filters)}
    needs_rows = repository.endorsed_costs_by_year(session, permissions.need_scope(actor), **place)
    committed, disbursed = repository.assistance_by_start_year(
        session, permissions.activity_scope(actor), **place
    )
    sources = engine.Sources(
        needs=_("PUX needs registry: endorsed needs by the year they were recorded, and their costs"),
        assistance=_("PUX assistance activities: amounts committed and disbursed, by the year each began"),
        period="",
        needs_year=None,
    )
    coverage = engine.coverage_over_time(
        [_year_totals(row) for row in needs_rows],
        [_year_totals(row) for row in committed],
        [_year_totals(row) for row in disbursed],
        currency=currency,
        rates=rates,
        sources=sources,
        first=period.start.year if period else None,
        last=period.end.year if period else None,
    )
    return CoverageReport(
        coverage=coverage,
        currency=currency,
        rates=tuple(rates),
        needs_source=sources.needs,
        assistance_source=sources.assistance,
        made_at=datetime.now(UTC),
        audience=_audience(actor),
    )


def _year_totals(row: repository.YearAmounts) -> engine.YearTotals:
    year, currency, count, stated, amount = row
    return engine.YearTotals(year, currency, int(count), int(stated), _money(amount))


# --- Who does what where ----------------------------------------------------------------------------


def _sum_or_missing(total: float | None, stated: int) -> float | None:
    return float(total) if stated and total is not None else None


def who_does_what_where(
    session: Session, *, actor: Actor, filters: WhoFilter | None = None, period: Period | None = None
) -> WhoReport:
    """Providers x recipients (countries or regions) x areas x techniques: activities and the amounts
    committed and disbursed by activities running in the period (each activity's recorded totals, in its
    own currency: nothing is converted or pro-rated), visible to ``actor``."""
    period = period or Period.year(date.today().year)
    filters = filters or WhoFilter()
    scope = permissions.activity_scope(actor)
    # Kept per data version, viewer's scope and language: at the mission's scale the table is tens of
    # thousands of rows, merged and sorted by name in Python.
    key = ("who", _data_stamp(session), scope, period, filters, get_language())
    return cast(WhoReport, _ASSISTANCE.get(key, lambda: _who_report(session, scope, filters, period)))


def _who_report(session: Session, scope: VisibilityScope, filters: WhoFilter, period: Period) -> WhoReport:
    countries = _countries_of(
        session, GapFilter(country_iso3=filters.country_iso3, region_m49=filters.region_m49)
    )
    areas = frozenset({filters.thematic_area_code}) if filters.thematic_area_code else None
    rows = repository.who_aggregates(
        session,
        scope,
        period,
        countries=countries,
        areas=areas,
        technique=filters.technique_code,
        provider_ids=filters.provider_organisation_ids,
    )
    region_names = {r.m49: r.name() for r in reference_repository.list_regions(session)}
    area_names = {a.code: a.name() for a in reference_repository.list_thematic_areas(session)}
    technique_names = {t.code: t.name() for t in reference_repository.list_techniques(session)}
    provider_names = accounts_repository.organisation_names(session, {row[0] for row in rows})
    # Each country's recipient (code and name) worked out once, not once per row (tens of thousands).
    recipients: dict[str, tuple[str, str]] = {}
    for place in reference_repository.all_countries(session):
        if filters.by == v.BY_REGION:
            code = place.subregion_m49 or place.region_m49 or place.iso3
            recipients[place.iso3] = (code, region_names.get(code, code))
        else:
            recipients[place.iso3] = (place.iso3, place.name())

    names = {code: name for code, name in recipients.values()}
    # By country each row of the query is a row of the table (its group already names the country).
    placed: Iterable[_Placed] = (
        _merged_by_recipient(rows, recipients)
        if filters.by == v.BY_REGION
        else (
            (provider, country, area, technique, currency, count, committed if n_c else None,
             disbursed if n_d else None)
            for provider, country, area, technique, currency, count, committed, disbursed, n_c, n_d in rows
        )
    )  # fmt: skip
    report_rows = [
        WhoRow(
            provider,
            provider_names.get(provider, str(provider)),
            code,
            names.get(code, code),
            area,
            area_names.get(area, "—") if area else "—",
            technique,
            technique_names.get(technique, "—") if technique else "—",
            int(count),
            currency,
            committed,
            disbursed,
        )
        for provider, code, area, technique, currency, count, committed, disbursed in placed
    ]
    # Each provider's name folded once, not once per row.
    folded = {provider: name.casefold() for provider, name in provider_names.items()}
    report_rows.sort(
        key=lambda r: (
            folded.get(r.provider_id) or r.provider_name.casefold(), r.recipient_name, r.area_name,
            r.technique_name,
        )
    )  # fmt: skip
    committed_by_currency: dict[str, float] = defaultdict(float)
    disbursed_by_currency: dict[str, float] = defaultdict(float)
    committed_by_area: dict[tuple[str, str], float] = defaultdict(float)
    for row in report_rows:
        if row.committed is not None:
            committed_by_currency[row.currency] += row.committed
            committed_by_area[(row.area_name, row.currency)] += row.committed
        if row.disbursed is not None:
            disbursed_by_currency[row.currency] += row.disbursed
    return WhoReport(
        rows=report_rows,
        period=period,
        source=_("PUX assistance activities (recorded by providers and imported from IATI)"),
        committed_by_currency=dict(committed_by_currency),
        disbursed_by_currency=dict(disbursed_by_currency),
        committed_by_area=dict(committed_by_area),
    )


# One row of the table before names: provider, recipient code, area, technique, currency, activities,
# committed and disbursed (None when no activity states the amount).
_Placed = tuple[int, str, str | None, str | None, str, int, float | None, float | None]


def _merged_by_recipient(
    rows: Sequence[repository.WhoAggregate], recipients: Mapping[str, tuple[str, str]]
) -> list[_Placed]:
    """The rows of several countries added up under their recipient (a region)."""
    activities: dict[tuple[int, str, str | None, str | None, str], int] = defaultdict(int)
    committed: dict[tuple[int, str, str | None, str | None, str], float] = {}
    disbursed: dict[tuple[int, str, str | None, str | None, str], float] = {}
    for provider, country, area, technique, currency, count, committed_sum, disbursed_sum, n_c, n_d in rows:
        key = (provider, recipients.get(country, (country, country))[0], area, technique, currency)
        activities[key] += count
        for sums, total, stated in ((committed, committed_sum, n_c), (disbursed, disbursed_sum, n_d)):
            value = _sum_or_missing(total, stated)
            if value is not None:
                sums[key] = sums.get(key, 0.0) + value
    return [(*key, count, committed.get(key), disbursed.get(key)) for key, count in activities.items()]


# --- The unfunded-needs board -------------------------------------------------------------------------


def _board_countries(session: Session, filters: UnfundedFilter) -> frozenset[str] | None:
    """The countries a donor's filters leave (region, income group, LDC / LLDC / SIDS); None: all."""
    if not (filters.region_m49 or filters.income_group or filters.group or filters.country_iso3):
        return None
    chosen = []
    for country in reference_repository.all_countries(session):
        if filters.country_iso3 and country.iso3 != filters.country_iso3.upper():
            continue
        if filters.region_m49 and filters.region_m49 not in (
            country.region_m49, country.subregion_m49, country.intermediate_m49,
        ):  # fmt: skip
            continue
        income = country.income_group
        if filters.income_group and (income is None or income.income_group != filters.income_group):
            continue
        if filters.group and not {
            "LDC": country.is_ldc,
            "LLDC": country.is_lldc,
            "SIDS": country.is_sids,
        }.get(filters.group, False):
            continue
        chosen.append(country.iso3)
    return frozenset(chosen)


def _check_board_filters(filters: UnfundedFilter, sort: str) -> None:
    problems = []
    if filters.cost_min is not None and filters.cost_max is not None and filters.cost_min > filters.cost_max:
        problems.append(FieldProblem("cost_max", _("must not be below the lowest cost")))
    if filters.group and filters.group not in ("LDC", "LLDC", "SIDS"):
        problems.append(FieldProblem("group", _("must be LDC, LLDC or SIDS")))
    if sort not in SORTS:
        problems.append(
            FieldProblem("sort", _("must be one of: %(choices)s") % {"choices": ", ".join(SORTS)})
        )
    if problems:
        raise ValidationFailed(problems)


def count_unfunded_needs(session: Session, *, actor: Actor) -> int:
    """How many needs the unfunded board lists for ``actor`` without filters (counted, not loaded)."""
    scope, funders = permissions.need_scope(actor), permissions.activity_scope(actor)
    return cast(
        int,
        _ASSISTANCE.get(
            ("unfunded count", _data_stamp(session), scope, funders),
            lambda: repository.count_unfunded_needs(session, scope, funders),
        ),
    )


def unfunded_needs(
    session: Session,
    *,
    actor: Actor,
    filters: UnfundedFilter | None = None,
    page: PageRequest | None = None,
    sort: str = "priority",
    currency: str = "USD",
    rates: Sequence[ExchangeRate] = (),
) -> UnfundedBoard:
    """Endorsed and published needs that no programme or recorded funding answers yet, visible to
    ``actor``. ``sort``: "priority" (the country's index in the need's area, then the national rank, then
    the oldest), "oldest" (longest waiting first, then priority) or "cost" (largest known cost first).

    Costs are compared in ``currency`` (the cost range and the cost order): a need costed in another one
    only through a stated rate in ``rates``. Needs whose currency no rate converts are listed after the
    compared ones, grouped by currency, and counted on the board; needs without a cost sort last."""
    filters = filters or UnfundedFilter()
    page = page or PageRequest()
    currency = currency.upper()
    _check_board_filters(filters, sort)
    cost_range = engine.CostRange(currency, _money(filters.cost_min), _money(filters.cost_max))
    listed = repository.unfunded_needs(
        session,
        permissions.need_scope(actor),
        permissions.activity_scope(actor),
        countries=_board_countries(session, filters),
        area=filters.thematic_area_code,
        technique=filters.technique_code,
        footnote_a_only=filters.footnote_a_only,
        text=filters.text,
    )
    costs = {need.id: engine.compared_cost(_stated_cost(need), currency, rates) for need in listed}
    found = [need for need in listed if engine.kept_by_cost_range(costs[need.id], cost_range)]
    areas_found = frozenset(n.thematic_area_code for n in found)
    standing = standing_by_country_and_area(session, areas=areas_found, actor=actor) if found else {}

    def score(need_country: str, area: str) -> float | None:
        entry = standing.get((need_country, area))
        return entry.score if entry else None

    def waiting(need_updated: datetime) -> datetime:
        return need_updated if need_updated.tzinfo else need_updated.replace(tzinfo=UTC)

    def key(need: needs_repository.NeedPlace) -> tuple[object, ...]:
        index = score(need.country_iso3, need.thematic_area_code)
        rank = need.national_rank
        priority_key = (index is None, -(index or 0.0), rank is None, rank or 0)
        since = waiting(need.updated_at).timestamp()
        cost = costs[need.id]
        if sort == "cost":
            return (*engine.cost_order(cost), *priority_key, need.id)
        # Within a cost range, the needs whose cost could not be compared follow the others, by currency.
        apart = cost.apart_currency if cost_range.bounded else None
        if sort == "oldest":
            return (apart is not None, apart or "", since, *priority_key, need.id)
        return (apart is not None, apart or "", *priority_key, since, need.id)

    keys = page_of_rows(sorted(found, key=key), page)
    ids = [n.id for n in keys.items]
    read = needs_repository.by_ids(session, ids)
    shown = [read[i] for i in ids]
    # Only the counts the reader may know (the others stay 0 and are not shown: see shows_interest_count).
    counts = repository.active_interest_counts(
        session, [need.id for need in shown if shows_interest_count(actor, country_iso3=need.country_iso3)]
    )
    mine = repository.needs_marked_by(session, permissions.interest_organisations(actor), ids)
    area_names = {a.code: a.name() for a in reference_repository.list_thematic_areas(session)}
    ranks = needs.shown_ranks(session, actor=actor, needs=shown)
    items = []
    for need in shown:
        entry = standing.get((need.country_iso3, need.thematic_area_code))
        cost = Figure(
            _money(need.estimated_cost), need.currency, needs_source(), str(waiting(need.updated_at).year)
        )
        items.append(
            UnfundedNeed(
                need_id=need.id,
                reference=need.reference,
                title=need.title,
                country_iso3=need.country_iso3,
                country_name=need.country.name(),
                area_code=need.thematic_area_code,
                area_name=area_names.get(need.thematic_area_code, need.thematic_area_code),
                technique_names=tuple(t.name() for t in need.techniques),
                status=need.status,
                national_rank=ranks.get(need.id),
                cost=cost,
                unfunded_footnote_a=need.unfunded_footnote_a,
                tc_project_code=need.tc_project_code,
                priority_score=Figure(
                    entry.score if entry else None,
                    "0-100",
                    entry.source if entry else _("PUX priority index"),
                    entry.year if entry else None,
                ),  # fmt: skip
                waiting_since=waiting(need.updated_at).date(),
                interest_count=counts.get(need.id, 0),
                my_interest=need.id in mine,
                comparable_cost=_comparable_figure(costs[need.id], currency, cost),
            )
        )
    not_compared = Counter(apart for need in found if (apart := costs[need.id].apart_currency) is not None)
    return UnfundedBoard(
        items=items,
        total=keys.total,
        request=keys.request,
        currency=currency,
        rates=tuple(rates),
        cost_filtered=cost_range.bounded,
        cost_sorted=sort == "cost",
        not_compared=dict(sorted(not_compared.items())) if cost_range.bounded or sort == "cost" else {},
    )


def _stated_cost(need: needs_repository.NeedPlace) -> engine.Money | None:
    if need.estimated_cost is None:
        return None
    return engine.Money(float(need.estimated_cost), need.currency)


def _comparable_figure(cost: engine.ComparedCost, currency: str, stated: Figure) -> Figure | None:
    """A need's cost in the board's currency: the stated figure itself in that currency, or the converted
    figure with the stated rate's source and year (never a guess: None without a rate)."""
    if cost.value is None:
        return None
    if cost.rate is None:
        return Figure(cost.value, currency, stated.source, stated.year)
    return Figure(cost.value, currency, cost.rate.source, str(cost.rate.year))


# --- Marks of interest ---------------------------------------------------------------------------------


def shows_interest_count(actor: Actor, *, country_iso3: str) -> bool:
    """Whether the reader is told how many partners marked interest in a need of this country (the rule:
    permissions.can_count_interests)."""
    return permissions.can_count_interests(actor, country_iso3=country_iso3)


def _organisation_for(actor: Actor, chosen: int | None) -> int:
    own = permissions.interest_organisations(actor)
    if chosen is not None:
        require(
            permissions.can_mark_interest(actor, organisation_id=chosen),
            _("You may mark interest only for an organisation you represent."),
        )
        return chosen
    if len(own) == 1:
        return next(iter(own))
    if not own:
        require(False, _("Only the people of a partner organisation may mark interest in a need."))
    raise ValidationFailed(
        [FieldProblem("organisation_id", _("choose the organisation you mark interest for"))]
    )


def mark_interest(session: Session, *, actor: Actor, need_id: int, data: InterestCreate) -> NeedInterest:
    """An organisation marks interest in an unfunded need it may see (again, if it had withdrawn);
    audited, and shown to the need's country in its inbox until acknowledged."""
    need = needs.get_need(session, actor=actor, need_id=need_id)
    organisation_id = _organisation_for(actor, data.organisation_id)
    if accounts_repository.get_organisation(session, organisation_id) is None:
        raise ValidationFailed([FieldProblem("organisation_id", _("is not a known organisation"))])
    if need.status not in v.UNFUNDED_STATUSES:
        raise ValidationFailed([FieldProblem("need_id", _("this need is no longer waiting for a partner"))])
    interest = repository.interest_of(session, need_id=need.id, organisation_id=organisation_id)
    before = interest.snapshot() if interest is not None else None
    if interest is None:
        interest = NeedInterest(need_id=need.id, organisation_id=organisation_id, note=data.note)
        repository.add(session, interest)
    interest.note = data.note
    interest.status = v.INTEREST_ACTIVE
    interest.marked_by_id = actor.user_id
    interest.acknowledged_at = None
    interest.acknowledged_by_id = None
    session.flush()
    audit.record(
        session, actor=actor.label, action="need_interest.mark", entity_type=INTEREST_ENTITY,
        entity_id=str(interest.id), before=before, after=interest.snapshot(),
    )  # fmt: skip
    return interest


def _interest_for_change(session: Session, actor: Actor, interest_id: int) -> NeedInterest:
    interest = repository.get_interest(session, interest_id)
    if interest is None or not permissions.can_view_interests(
        actor, country_iso3=interest.need.country_iso3, organisation_id=interest.organisation_id
    ):
        raise NotFound(_("No mark of interest with this number is visible to you."))
    return interest


def withdraw_interest(session: Session, *, actor: Actor, interest_id: int) -> NeedInterest:
    """The organisation takes its mark of interest back (audited)."""
    interest = _interest_for_change(session, actor, interest_id)
    require(
        permissions.can_mark_interest(actor, organisation_id=interest.organisation_id),
        _("Only the interested organisation may withdraw its interest."),
    )
    before = interest.snapshot()
    interest.status = v.INTEREST_WITHDRAWN
    session.flush()
    audit.record(
        session, actor=actor.label, action="need_interest.withdraw", entity_type=INTEREST_ENTITY,
        entity_id=str(interest.id), before=before, after=interest.snapshot(),
    )  # fmt: skip
    return interest


def acknowledge_interest(session: Session, *, actor: Actor, interest_id: int) -> NeedInterest:
    """The need's focal point has seen the mark of interest (it leaves the inbox; audited)."""
    interest = _interest_for_change(session, actor, interest_id)
    require(
        permissions.can_acknowledge_interest(actor, country_iso3=interest.need.country_iso3),
        _("Only the focal point of the need's country may acknowledge this."),
    )
    before = interest.snapshot()
    interest.acknowledged_at = datetime.now(UTC)
    interest.acknowledged_by_id = actor.user_id
    session.flush()
    audit.record(
        session, actor=actor.label, action="need_interest.acknowledge", entity_type=INTEREST_ENTITY,
        entity_id=str(interest.id), before=before, after=interest.snapshot(),
    )  # fmt: skip
    return interest


def _view(interest: NeedInterest) -> InterestView:
    return InterestView(
        interest_id=interest.id,
        need_id=interest.need_id,
        need_reference=interest.need.reference,
        need_title=interest.need.title,
        country_iso3=interest.need.country_iso3,
        organisation_id=interest.organisation_id,
        organisation_name=interest.organisation.name,
        note=interest.note,
        status=interest.status,
        marked_at=interest.created_at,
        acknowledged_at=interest.acknowledged_at,
    )


def interests_for_need(session: Session, *, actor: Actor, need_id: int) -> list[InterestView]:
    """The marks of interest in a need that ``actor`` may see (its country sees all of them, an
    organisation its own); NotFound when the need itself is not visible."""
    need = needs.get_need(session, actor=actor, need_id=need_id)
    return [
        _view(interest)
        for interest in repository.interests_for_need(session, need.id)
        if permissions.can_view_interests(
            actor, country_iso3=need.country_iso3, organisation_id=interest.organisation_id
        )
    ]


def _acknowledging(actor: Actor) -> frozenset[str] | None:
    """The countries whose interest marks wait for ``actor``: every country (None) for facilitators, their
    own for focal points, none for anyone else."""
    if not actor.is_authenticated:
        return frozenset()
    return None if actor.is_global else actor.countries(permissions.FOCAL_POINT)


def interests_waiting(session: Session, *, actor: Actor) -> list[InterestView]:
    """Marks of interest in the needs of the countries whose focal point ``actor`` is, not yet
    acknowledged (every country for facilitators): for the task inbox."""
    countries = _acknowledging(actor)
    if countries is not None and not countries:
        return []
    return [_view(i) for i in repository.unacknowledged_interests(session, countries=countries)]


def count_interests_waiting(session: Session, *, actor: Actor) -> int:
    """How many interests_waiting lists (counted, not loaded: for the header of every page)."""
    countries = _acknowledging(actor)
    if countries is not None and not countries:
        return 0
    return repository.count_unacknowledged_interests(session, countries=countries)


# --- Map figures -------------------------------------------------------------------------------------


def _recipients(session: Session) -> frozenset[str]:
    """The recipient countries of the priority configuration (every country read with its income group:
    kept until a priority input changes)."""
    return cast(
        frozenset[str],
        _ASSISTANCE.get(("recipients", priority.inputs_stamp(session)), lambda: _read_recipients(session)),
    )


def _read_recipients(session: Session) -> frozenset[str]:
    """Countries the dialogue may assist (the priority index's rule: not in an excluded income group)."""
    config, _data = priority.active_config(session)
    countries = [
        priority_engine.CountryInput(
            iso3=c.iso3,
            name=c.iso3,
            income_group=c.income_group.income_group if c.income_group else None,
            groups=frozenset(),
            observations={},
            population=None,
        )  # fmt: skip
        for c in reference_repository.all_countries(session)
    ]
    return frozenset(c.iso3 for c in priority_engine.recipients(countries, config))


# The priority index is an area's: asked for all areas, the map draws this one (and says so).
PRIORITY_MAP_AREA = "health"


def map_area(indicator: str, area: str | None) -> str | None:
    """The thematic area a map of ``indicator`` is drawn for when ``area`` is asked (None: all areas)."""
    return priority_map_area(area) if indicator == v.PRIORITY_INDEX else area


def priority_map_area(area: str | None) -> str:
    return area or PRIORITY_MAP_AREA


def map_figures(
    session: Session,
    *,
    actor: Actor,
    indicator: str,
    area: str | None = None,
    period: Period | None = None,
) -> MapFigures:
    """ISO3 -> figure for a world map of ``indicator`` (``vocabulary.MAP_INDICATORS``), in one thematic area
    or all; recipients without a figure stay absent or None (drawn as "no data", never as zero)."""
    if indicator not in v.MAP_INDICATORS:
        raise ValidationFailed(
            [
                FieldProblem(
                    "indicator", _("must be one of: %(choices)s") % {"choices": ", ".join(v.MAP_INDICATORS)}
                )
            ]
        )
    areas = {a.code: a for a in reference_repository.list_thematic_areas(session)}
    if area is not None and area not in areas:
        raise ValidationFailed([FieldProblem("area", _("unknown thematic area"))])
    area_name = areas[area].name() if area else _("all thematic areas")
    label = v.map_indicator_label(indicator)
    title = f"{label}: {area_name}"
    if indicator == v.PRIORITY_INDEX:
        drawn = priority_map_area(area)
        return _priority_map(
            session, drawn, actor=actor, title=f"{label}: {areas[drawn].name()}" if areas else title
        )
    if indicator == v.GAP:
        report = gap_ranking(session, actor=actor, filters=GapFilter(thematic_area_code=area), period=period)
        totals, partial = _uncovered_by_country(report)
        return MapFigures(
            indicator, totals, title,
            _("Uncovered cost (partial for some countries)") if partial else _("Uncovered cost"), "USD",
            f"{report.needs_source}; {report.assistance_source}", report.period.label, partial,
        )  # fmt: skip
    recipients = _recipients(session)
    if indicator == v.NEEDS:
        scope = permissions.need_scope(actor)
        counts = (
            cast(
                dict[str, int],
                _ASSISTANCE.get(
                    ("needs by country", _data_stamp(session), scope),
                    lambda: repository.needs_count_by_country(session, scope, v.ENDORSED_STATUSES),
                ),
            )
            if area is None
            else {
                country: len([1 for _i, c, _a, _cost, _cur in rows])
                for country, rows in _group_by_country(
                    repository.endorsed_need_costs(session, scope, areas=frozenset({area}))
                ).items()
            }
        )
        values: dict[str, float | None] = {iso3: 0.0 for iso3 in recipients}
        values.update({iso3: float(count) for iso3, count in counts.items()})
        return MapFigures(
            indicator, values, title, _("Endorsed needs"), "", needs_source(), str(date.today().year)
        )
    period = period or Period.year(date.today().year)
    # Only US dollars are added up on the map: PUX converts no currency without a stated rate.
    sums = _usd_committed_by_country(session, actor, period, frozenset({area}) if area else None)
    committed: dict[str, float | None] = {iso3: 0.0 for iso3 in recipients}
    committed.update({country: float(amount) for country, amount in sums.items()})
    return MapFigures(
        indicator, committed, title, _("Committed"), "USD", assistance_source() + _(" (US dollars only)"),
        period.label,
    )  # fmt: skip


def _uncovered_by_country(report: GapReport) -> tuple[dict[str, float | None], frozenset[str]]:
    """Each country's uncovered cost: the sum of its areas' known uncovered costs, and the countries
    where that sum is partial (an area whose uncovered cost is not known, such as assistance without an
    endorsed, costed need; needs without a cost; amounts no stated rate converts). A country none of whose
    areas has a known figure has none (no data). One unknown area used to wipe out the known ones: 29
    countries with a known gap showed "no data"."""
    totals: dict[str, float | None] = {}
    partial: set[str] = set()
    for line in report.lines:
        gap = line.gap
        known = gap.uncovered.value
        if known is None or gap.needs_without_cost or not gap.conversion.complete:
            partial.add(gap.country_iso3)
        if known is None:
            totals.setdefault(gap.country_iso3, None)
        else:
            totals[gap.country_iso3] = (totals.get(gap.country_iso3) or 0.0) + known
    return totals, frozenset(iso3 for iso3 in partial if totals.get(iso3) is not None)


def _usd_committed_by_country(
    session: Session, actor: Actor, period: Period, areas: frozenset[str] | None
) -> dict[str, Decimal]:
    scope = permissions.activity_scope(actor)
    return cast(
        dict[str, Decimal],
        _ASSISTANCE.get(
            ("map", _data_stamp(session), scope, period, areas),
            lambda: repository.committed_by_country(session, scope, period, currency="USD", areas=areas),
        ),
    )


def usd_committed(session: Session, *, actor: Actor, period: Period) -> float | None:
    """What the visible activities running in the period (ended ones included) commit in US dollars,
    added up; None when none states an amount in dollars. (Other currencies are not converted without a
    stated rate.) The map's sums, kept with them: the whole who-does-what-where table used to be built
    for this one figure on the home page."""
    sums = _usd_committed_by_country(session, actor, period, None)
    return float(sum(sums.values())) if sums else None


def _group_by_country(
    rows: Sequence[tuple[int, str, str, Decimal | None, str]],
) -> Mapping[str, list[tuple[int, str, str, Decimal | None, str]]]:
    grouped: dict[str, list[tuple[int, str, str, Decimal | None, str]]] = defaultdict(list)
    for row in rows:
        grouped[row[1]].append(row)
    return grouped


def _priority_map(session: Session, area: str, *, actor: Actor, title: str) -> MapFigures:
    standing = standing_by_country_and_area(session, areas=frozenset({area}), actor=actor)
    values = {iso3: entry.score for (iso3, code), entry in standing.items() if code == area}
    own_years = {iso3: e.year for (iso3, code), e in standing.items() if code == area and e.year}
    years = sorted({y for span in own_years.values() for y in span.split("–")})
    year = None if not years else (years[0] if years[0] == years[-1] else f"{years[0]}–{years[-1]}")
    return MapFigures(
        v.PRIORITY_INDEX, values, title, _("Index (0-100)"), "", _("PUX priority index"), year,
        years_by_country=own_years,
    )  # fmt: skip


# --- Exports ------------------------------------------------------------------------------------------

# Column names, and their HXL hashtags (the Humanitarian Exchange Language, whose first use was exactly this
# "who does what where" table). A recipient is a country (#country) or a region (#region).
WHO_COLUMNS = (
    ("provider_id", "#org+code"),
    ("provider", "#org+name"),
    ("recipient_code", "#{recipient}+code"),
    ("recipient", "#{recipient}+name"),
    ("thematic_area_code", "#sector+code"),
    ("thematic_area", "#sector+name"),
    ("technique_code", "#subsector+code"),
    ("technique", "#subsector+name"),
    ("activities", "#activity+num"),
    ("currency", "#currency"),
    ("committed", "#value+committed"),
    ("disbursed", "#value+spent"),
    ("period_start", "#date+start"),
    ("period_end", "#date+end"),
    ("source", "#meta+source"),  # a file travels without its page: each row says where its figures come from
)


def _cell(value: float | int | str | None) -> str:
    """A figure as a file cell: missing stays empty (never 0); whole amounts without decimals."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def who_table(report: WhoReport, *, by: str = v.BY_COUNTRY) -> tuple[list[str], list[list[str]], list[str]]:
    """The rows of a who-does-what-where report as a file table: header, rows and HXL tags."""
    recipient = "region" if by == v.BY_REGION else "country"
    header = [name for name, _tag in WHO_COLUMNS]
    hxl = [tag.format(recipient=recipient) for _name, tag in WHO_COLUMNS]
    rows = [
        [
            _cell(row.provider_id),
            row.provider_name,
            row.recipient_code,
            row.recipient_name,
            row.area_code or "",
            row.area_name if row.area_code else "",
            row.technique_code or "",
            row.technique_name if row.technique_code else "",
            _cell(row.activities),
            row.currency,
            _cell(row.committed),
            _cell(row.disbursed),
            report.period.start.isoformat(),
            report.period.end.isoformat(),
            report.source,
        ]  # fmt: skip
        for row in report.rows
    ]
    return header, rows, hxl


def export_who(
    session: Session,
    *,
    actor: Actor,
    filters: WhoFilter | None = None,
    period: Period | None = None,
    file_format: str = "csv",
    hxl: bool = False,
) -> bytes:
    """The who-does-what-where table with the page's filters, as CSV or Excel (optionally with HXL tags)."""
    from pux.interop.tabular import formats

    filters = filters or WhoFilter()
    report = who_does_what_where(session, actor=actor, filters=filters, period=period)
    header, rows, tags = who_table(report, by=filters.by)
    if file_format == "xlsx":
        return formats.write_xlsx(header, rows, tags if hxl else None, title="who-does-what-where")
    return formats.write_csv(header, rows, tags if hxl else None)


@dataclass(frozen=True)
class InterestOffers:
    """What a need's page may offer about interest (the service still checks each action)."""

    may_mark: bool  # the actor speaks for an organisation and the need waits for a partner
    organisations: frozenset[int]  # the organisations the actor may mark interest for
    may_acknowledge: bool


def interest_offers(actor: Actor, *, country_iso3: str, status: str) -> InterestOffers:
    organisations = frozenset(
        o
        for o in permissions.interest_organisations(actor)
        if permissions.can_mark_interest(actor, organisation_id=o)
    )
    return InterestOffers(
        may_mark=bool(organisations) and status in v.UNFUNDED_STATUSES,
        organisations=organisations,
        may_acknowledge=permissions.can_acknowledge_interest(actor, country_iso3=country_iso3),
    )


# The exchange rate the reader stated (named as the form's fields): a file read apart from the page must
# still say how its amounts were converted.
RATE_COLUMNS = ("rate_from", "rate_to", "rate", "rate_year", "rate_source")


def _rate_cells(rates: Sequence[ExchangeRate]) -> list[str]:
    """The stated rates as cells (several joined with "; "); empty cells when none is stated."""
    if not rates:
        return [""] * len(RATE_COLUMNS)
    stated = [(r.from_currency, r.to_currency, _cell(r.rate), str(r.year), r.source) for r in rates]
    return ["; ".join(column) for column in zip(*stated, strict=True)]


def _unconverted_cell(amounts: Sequence[engine.Money]) -> str:
    """Amounts no stated rate converts, each in its own currency, e.g. "92025000 USD; 300 GBP"."""
    return "; ".join(f"{_cell(money.amount)} {money.currency}" for money in amounts)


# The columns of the goal and technique tables as files (the page's columns, each figure's currency and
# period beside it; a missing figure is an empty cell).
TAG_COLUMNS = (
    "code", "name", "needs", "needs_without_cost", "needs_cost", "activities", "activities_without_amount",
    "committed", "uncovered", "uncovered_share", "uncovered_partial", "currency", "period_start",
    "period_end", "sources", "needs_cost_not_converted", "committed_not_converted", *RATE_COLUMNS,
)  # fmt: skip
COVERAGE_COLUMNS = (
    "year", "needs", "needs_without_cost", "needs_cost", "activities", "activities_without_amount",
    "committed", "disbursed", "covered_share", "currency", "sources", "needs_cost_not_converted",
    "committed_not_converted", "disbursed_not_converted", *RATE_COLUMNS,
)  # fmt: skip


def tag_table(report: TagGapReport, *, by: str) -> tuple[list[str], list[list[str]]]:
    """The goal table (``by`` v.BY_GOAL) or the technique table of a report, as a file table."""
    lines = report.goals if by == v.BY_GOAL else report.techniques
    sources = f"{report.needs_source}; {report.assistance_source}"
    rates = _rate_cells(report.rates)
    rows = [
        [
            line.gap.tag,
            line.name,
            _cell(line.gap.needs_count),
            _cell(line.gap.needs_without_cost),
            _cell(line.gap.needs_cost.value),
            _cell(line.gap.activities_count),
            _cell(line.gap.activities_without_amount),
            _cell(line.gap.covered.value),
            _cell(line.gap.uncovered.value),
            _share_cell(line.gap.uncovered_share),
            "yes" if line.gap.partial else "",
            report.currency,
            report.period.start.isoformat(),
            report.period.end.isoformat(),
            sources,
            _unconverted_cell(line.gap.cost_unconverted),
            _unconverted_cell(line.gap.covered_unconverted),
            *rates,
        ]  # fmt: skip
        for line in lines
    ]
    return list(TAG_COLUMNS), rows


def coverage_table(report: CoverageReport) -> tuple[list[str], list[list[str]]]:
    """The years of a coverage report as a file table."""
    sources = f"{report.needs_source}; {report.assistance_source}"
    rates = _rate_cells(report.rates)
    rows = [
        [
            str(year.year),
            _cell(year.needs_count),
            _cell(year.needs_without_cost),
            _cell(year.needs_cost.value),
            _cell(year.activities_count),
            _cell(year.activities_without_amount),
            _cell(year.committed.value),
            _cell(year.disbursed.value),
            _share_cell(year.covered_share),
            report.currency,
            sources,
            _unconverted_cell(year.cost_unconverted),
            _unconverted_cell(year.committed_unconverted),
            _unconverted_cell(year.disbursed_unconverted),
            *rates,
        ]  # fmt: skip
        for year in report.coverage.years
    ]
    return list(COVERAGE_COLUMNS), rows


def _share_cell(share: float | None) -> str:
    return "" if share is None else f"{share:.4f}"


def export_tag_gaps(
    session: Session,
    *,
    actor: Actor,
    by: str,
    filters: GapFilter | None = None,
    period: Period | None = None,
    currency: str = "USD",
    rates: Sequence[ExchangeRate] = (),
    file_format: str = "csv",
) -> bytes:
    """The goal or the technique table with the page's filters, as CSV or Excel."""
    report = gaps_by_goal_and_technique(
        session, actor=actor, filters=filters, period=period, currency=currency, rates=rates
    )
    header, rows = tag_table(report, by=by)
    return _file(header, rows, file_format, title=f"gaps-by-{by}")


def export_coverage(
    session: Session,
    *,
    actor: Actor,
    filters: GapFilter | None = None,
    period: Period | None = None,
    currency: str = "USD",
    rates: Sequence[ExchangeRate] = (),
    file_format: str = "csv",
) -> bytes:
    """The coverage-over-time table with the page's filters, as CSV or Excel."""
    report = coverage_over_time(
        session, actor=actor, filters=filters, period=period, currency=currency, rates=rates
    )
    header, rows = coverage_table(report)
    return _file(header, rows, file_format, title="coverage-over-time")


def _file(header: list[str], rows: list[list[str]], file_format: str, *, title: str) -> bytes:
    from pux.interop.tabular import formats

    if file_format == "xlsx":
        return formats.write_xlsx(header, rows, None, title=title)
    return formats.write_csv(header, rows, None)
