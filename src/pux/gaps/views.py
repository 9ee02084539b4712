"""Pages of the gaps: who does what where (/gaps), the gap ranking and a country's gaps, the unfunded-needs
board (/unfunded) with marks of interest, and the world map (/map). Each page parses its input, calls the
gaps service and renders; the charts come from pux.charts with their tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pux.accounts import permissions
from pux.accounts import service as accounts
from pux.charts import maps, plots
from pux.charts.tables import Chart
from pux.errors import FieldProblem, ValidationFailed
from pux.gaps import service
from pux.gaps import vocabulary as v
from pux.gaps.engine import ExchangeRate
from pux.gaps.schemas import (
    CoverageReport,
    GapFilter,
    GapReport,
    InterestCreate,
    MapFigures,
    Period,
    TagGapReport,
    TagLine,
    UnfundedFilter,
    WhoFilter,
    WhoReport,
)
from pux.i18n import decimal_text, get_language, listed
from pux.i18n import gettext as _
from pux.interop.tabular.formats import MEDIA_TYPES
from pux.needs import workflow
from pux.pagination import Page, PageRequest, page_of_rows
from pux.reference import service as reference
from pux.validation import typed_field_number
from pux.web.deps import FormDep, SessionDep
from pux.web.filters import OrganisationChoice, PageNumber, country_code, organisation_ids
from pux.web.forms import CountryPath, RecordPath, flash, form_data, listing
from pux.web.routing import page_router
from pux.web.security import CsrfChecked, PageActor
from pux.web.templating import render

Row = TypeVar("Row")

router = page_router()
Code = Annotated[str | None, Query(max_length=20)]


def _blank(value: str | None) -> str | None:
    return value.strip() or None if value else None


# --- Shared query parameters (the page, its JSON route and its export read the same ones) --------------


def period_query(
    start: Annotated[date | None, Query(description="First day of the period (YYYY-MM-DD)")] = None,
    end: Annotated[date | None, Query(description="Last day of the period (YYYY-MM-DD)")] = None,
    on: Annotated[date | None, Query(description="One day instead of a period (YYYY-MM-DD)")] = None,
) -> Period | None:
    """The period asked for; None when no day is given (each report then has its own default)."""
    if on is not None:
        return Period.on(on)
    if start is None and end is None:
        return None
    start = start or date(end.year if end else date.today().year, 1, 1)
    end = end or date(start.year, 12, 31)
    if end < start:
        raise ValidationFailed([FieldProblem("end", _("must not be before the start"))])
    return Period(start, end)


# The years the coverage-over-time table may span: every year in range is a row, even an empty one, so a
# range without bounds ("0001" to "9999") would build thousands of empty rows.
COVERAGE_YEARS = (1900, 2199)
COVERAGE_MAX_SPAN = 50


def coverage_period_query(
    start: Annotated[date | None, Query(description="First day of the period (YYYY-MM-DD)")] = None,
    end: Annotated[date | None, Query(description="Last day (YYYY-MM-DD); blank: this year's end")] = None,
) -> Period | None:
    """The years of /gaps/over-time: an open "To" means this year (the table runs up to now), and the
    range stays within 1900-2199 and 50 years."""
    if start is None and end is None:
        return None
    if start is not None and end is None:
        end = date(max(date.today().year, start.year), 12, 31)
    period = period_query(start, end)
    assert period is not None  # a day was given
    _check_coverage_years(period, start_given=start is not None)
    return period


def _check_coverage_years(period: Period, *, start_given: bool) -> None:
    low, high = COVERAGE_YEARS
    problems = [
        FieldProblem(name, _("must be a year from %(low)d to %(high)d") % {"low": low, "high": high})
        for name, day in (("start", period.start), ("end", period.end))
        if not low <= day.year <= high and (start_given or name == "end")
    ]
    if not problems and period.end.year - period.start.year >= COVERAGE_MAX_SPAN:
        message = _("must be at most %(years)d years after the start") % {"years": COVERAGE_MAX_SPAN}
        problems.append(FieldProblem("end", message))
    if problems:
        raise ValidationFailed(problems)


# The currency results are given in when the reader names none (a cleared box included: it is not an error).
DEFAULT_CURRENCY = "USD"
# A rate above 0 and below a billion (blank: no rate), and a year from 1950 to 2100 (blank: none).
POSITIVE_RATE = r"^\s*(?:0*[1-9][0-9]{0,8}(?:\.[0-9]{1,12})?|0*\.[0-9]{0,11}[1-9][0-9]{0,11})?\s*$"
RATE_YEAR = r"^\s*(?:19[5-9][0-9]|20[0-9][0-9]|2100)?\s*$"


def rate_query(
    currency: Annotated[
        str, Query(pattern=r"^\s*(?:[A-Za-z]{3})?\s*$", description="Currency of the results (blank: USD)")
    ] = DEFAULT_CURRENCY,
    rate_from: Annotated[
        str | None, Query(max_length=3, description="Currency converted by the rate")
    ] = None,
    rate: Annotated[
        str | None, Query(pattern=POSITIVE_RATE, description="Units of `currency` per unit, above 0")
    ] = None,
    rate_year: Annotated[str | None, Query(pattern=RATE_YEAR, description="1950 to 2100")] = None,
    rate_source: Annotated[str | None, Query(max_length=200)] = None,
) -> tuple[str, tuple[ExchangeRate, ...]]:
    """The results' currency and the one exchange rate a reader may state (its year is required). The
    ranking's form sends its rate fields blank when no rate is stated: blank is "none", not an error."""
    rate_text, year_text = _blank(rate), _blank(rate_year)
    return _stated_rate(
        (_blank(currency) or DEFAULT_CURRENCY).upper(),
        rate_from,
        float(rate_text) if rate_text else None,
        int(year_text) if year_text else None,
        rate_source,
    )


def page_rate_query(
    currency: Annotated[str, Query(pattern=r"^\s*(?:[A-Za-z]{3})?\s*$")] = DEFAULT_CURRENCY,
    rate_from: Annotated[str | None, Query(max_length=3)] = None,
    rate: Annotated[str | None, Query(max_length=40)] = None,
    rate_year: Annotated[str | None, Query(pattern=RATE_YEAR)] = None,
    rate_source: Annotated[str | None, Query(max_length=200)] = None,
) -> tuple[str, tuple[ExchangeRate, ...]]:
    """rate_query for the pages: the rate a reader states is read as the page's language writes numbers
    ("0,92" on a French page was refused); the API keeps its plain decimal."""
    rate_text, year_text = _blank(rate), _blank(rate_year)
    return _stated_rate(
        (_blank(currency) or DEFAULT_CURRENCY).upper(),
        rate_from,
        _page_rate(rate_text) if rate_text else None,
        int(year_text) if year_text else None,
        rate_source,
    )


# The rates a reader may state, as the API's pattern bounds them: above 0 and below a billion.
LARGEST_RATE = Decimal("1e9")


def _page_rate(text: str) -> float:
    rate = typed_field_number("rate", text)
    if not 0 < rate < LARGEST_RATE:
        limit = decimal_text(float(LARGEST_RATE), "#,##0")
        raise ValidationFailed(
            [FieldProblem("rate", _("must be above 0 and below %(limit)s") % {"limit": limit})]
        )
    return float(rate)


def _stated_rate(
    currency: str, rate_from: str | None, rate: float | None, rate_year: int | None, rate_source: str | None
) -> tuple[str, tuple[ExchangeRate, ...]]:
    if not (_blank(rate_from) or rate is not None):
        return currency, ()
    problems = []
    if not _blank(rate_from) or len((rate_from or "").strip()) != 3:
        problems.append(FieldProblem("rate_from", _("name the currency the rate converts (three letters)")))
    if rate is None:
        problems.append(FieldProblem("rate", _("state the rate")))
    if rate_year is None:
        problems.append(FieldProblem("rate_year", _("an exchange rate needs its year")))
    if problems:
        raise ValidationFailed(problems)
    assert rate is not None and rate_year is not None and rate_from is not None
    source = _blank(rate_source) or _("stated by the reader")
    return currency, (ExchangeRate(rate_from.strip().upper(), currency, rate, rate_year, source),)


def who_query(
    session: SessionDep,
    provider: OrganisationChoice = None,
    country: Code = None,
    region: Code = None,
    area: Code = None,
    technique: Annotated[str | None, Query(max_length=60)] = None,
    by: Annotated[str, Query(pattern="^(country|region)$")] = "country",
) -> WhoFilter:
    return WhoFilter(
        provider_organisation_ids=organisation_ids(session, provider),
        country_iso3=country_code(country),
        region_m49=_blank(region),
        thematic_area_code=_blank(area),
        technique_code=_blank(technique),
        by=by,
    )


def gap_query(region: Code = None, area: Code = None, country: Code = None) -> GapFilter:
    return GapFilter(
        region_m49=_blank(region),
        thematic_area_code=_blank(area),
        country_iso3=country_code(country),
    )


def _page_amount(name: str, text: str | None) -> Decimal | None:
    """A cost bound typed on the unfunded needs page, read as the page's language writes numbers (the
    API's reading, _amount, took "1 250 000,50" on a French page for no number)."""
    if not _blank(text):
        return None
    return _cost_bound(name, typed_field_number(name, str(text)))


def _amount(name: str, text: str | None) -> Decimal | None:
    if not _blank(text):
        return None
    try:
        value = Decimal(str(text).strip().replace(",", ""))
    except InvalidOperation:
        value = Decimal(-1)
    return _cost_bound(name, value)


# The largest cost bound read (no need costs more): beyond it a typed figure is a mistake.
LARGEST_COST_BOUND = Decimal("1e15")


def _cost_bound(name: str, value: Decimal) -> Decimal:
    """``value`` as a cost bound, or refused beside its field (negative, too large, not a number)."""
    if not value.is_finite() or value < 0 or value > LARGEST_COST_BOUND:
        raise ValidationFailed([FieldProblem(name, _("must be an amount of 0 or more"))])
    return value


COST_BOUND = (
    "%s estimated cost, in `currency`: a need costed in another currency is compared only through a "
    "stated rate (`rate_from`, `rate`, `rate_year`); without one it is listed after the others"
)


def unfunded_query(
    filters: Annotated[UnfundedFilter, Depends(unfunded_filter)],
    cost_min: Annotated[str | None, Query(max_length=30, description=COST_BOUND % "Lowest")] = None,
    cost_max: Annotated[str | None, Query(max_length=30, description=COST_BOUND % "Highest")] = None,
) -> UnfundedFilter:
    return replace(filters, cost_min=_amount("cost_min", cost_min), cost_max=_amount("cost_max", cost_max))


def page_unfunded_query(
    filters: Annotated[UnfundedFilter, Depends(unfunded_filter)],
    cost_min: Annotated[str | None, Query(max_length=30)] = None,
    cost_max: Annotated[str | None, Query(max_length=30)] = None,
) -> UnfundedFilter:
    """unfunded_query for the page: its cost bounds read as the page's language writes numbers."""
    low, high = _each_read(
        lambda: _page_amount("cost_min", cost_min), lambda: _page_amount("cost_max", cost_max)
    )
    return replace(filters, cost_min=low, cost_max=high)


def _each_read(*readings: Callable[[], Decimal | None]) -> list[Decimal | None]:
    """Every bound read, every refusal named at once rather than the first."""
    values, problems = [], []
    for reading in readings:
        try:
            values.append(reading())
        except ValidationFailed as failed:
            problems += failed.problems
            values.append(None)
    if problems:
        raise ValidationFailed(problems)
    return values


def unfunded_filter(
    area: Code = None,
    technique: Annotated[str | None, Query(max_length=60)] = None,
    region: Code = None,
    income_group: Code = None,
    group: Annotated[str | None, Query(pattern="^(LDC|LLDC|SIDS)?$")] = None,
    footnote_a: bool = False,
    country: Code = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> UnfundedFilter:
    return UnfundedFilter(
        thematic_area_code=_blank(area),
        technique_code=_blank(technique),
        region_m49=_blank(region),
        income_group=_blank(income_group),
        group=_blank(group),
        footnote_a_only=footnote_a,
        country_iso3=country_code(country),
        text=_blank(q),
    )


PeriodQuery = Annotated[Period | None, Depends(period_query)]
CoveragePeriodQuery = Annotated[Period | None, Depends(coverage_period_query)]
RateQuery = Annotated[tuple[str, tuple[ExchangeRate, ...]], Depends(rate_query)]
WhoQuery = Annotated[WhoFilter, Depends(who_query)]
GapQuery = Annotated[GapFilter, Depends(gap_query)]
UnfundedQuery = Annotated[UnfundedFilter, Depends(unfunded_query)]
# The pages' own: what a reader types is read as the page's language writes numbers.
PageRateQuery = Annotated[tuple[str, tuple[ExchangeRate, ...]], Depends(page_rate_query)]
PageUnfundedQuery = Annotated[UnfundedFilter, Depends(page_unfunded_query)]
Sort = Annotated[str, Query(pattern="^(priority|oldest|cost)$")]
Indicator = Annotated[str, Query(pattern="^(priority|gap|needs|assistance)$")]


def _choices(request: Request, session: Any) -> dict[str, Any]:
    techniques = reference.list_techniques(session)
    return {
        "areas": reference.list_thematic_areas(session),
        "techniques": techniques,
        "technique_names": {technique.code: technique.name() for technique in techniques},
        "countries": reference.country_choices(session),
        "regions": reference.list_regions(session),
        "organisations": accounts.organisation_names(session),
        "selected": listing([], request)["selected"],
        "query": listing([], request)["query"],
    }


# --- Who does what where -----------------------------------------------------------------------------


def who_chart(report: WhoReport) -> Chart | None:
    """Committed amounts by thematic area in the report's main currency (the one most rows use)."""
    if not report.committed_by_area:
        return None
    currencies = sorted({currency for _area, currency in report.committed_by_area})
    main = "USD" if "USD" in currencies else currencies[0]
    areas = sorted(
        ((area, value) for (area, currency), value in report.committed_by_area.items() if currency == main),
        key=lambda item: -item[1],
    )
    return plots.bar_chart(
        [area for area, _value in areas],
        [value for _area, value in areas],
        title=_("Assistance committed by thematic area"),
        value_label=_("Committed"),
        unit=main,
        source=report.source,
        year=report.period.label,
        row_heading=_("Thematic area"),
    )


def map_chart(figures: MapFigures, *, chart_id: str, link: bool = True) -> Chart:
    """The map of ``figures``, each country linked to its gap page (``link``): the gap pages' and the home
    page's maps."""
    return maps.choropleth(
        figures.values,
        title=figures.title,
        legend_title=figures.legend_title,
        unit=figures.unit,
        source=figures.source,
        year=figures.year,
        years_by_country=figures.years_by_country,
        link_pattern="/gaps/countries/{iso3}" if link else None,
        chart_id=chart_id,
    )


def _partial_note(figures: MapFigures) -> str:
    """The countries whose figure on a map adds up only what is known, named in a sentence ("" if none)."""
    if not figures.partial:
        return ""
    language = get_language()
    names = sorted(maps.country_name(iso3, language) for iso3 in figures.partial)
    return _(
        "Partial totals: these countries have an area whose uncovered cost is not known (such as assistance "
        "without an endorsed, costed need); their figure adds up the areas that are known: %(countries)s."
    ) % {"countries": listed(names)}


# Rows of a report table per page: the whole table is in its CSV and Excel export.
REPORT_PAGE_SIZE = 50


def _page_of(rows: Sequence[Row], page: PageRequest) -> Page[Row]:
    return page_of_rows(rows, PageRequest(number=page.number, size=REPORT_PAGE_SIZE))


@router.get("/gaps", response_class=HTMLResponse)
def who_does_what_where(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    filters: WhoQuery,
    period: PeriodQuery,
    page: PageNumber,
) -> HTMLResponse:
    report = service.who_does_what_where(session, actor=actor, filters=filters, period=period)
    figures = service.map_figures(
        session, actor=actor, indicator=v.ASSISTANCE, area=filters.thematic_area_code, period=report.period
    )
    return render(
        request,
        "gaps/who.html",
        {
            **_choices(request, session),
            "report": report,
            "page": _page_of(report.rows, page),
            "filters": filters,
            "chart": who_chart(report),
            "map": map_chart(figures, chart_id="who-map"),
        },
    )


@router.get("/gaps/export")
def export_who(
    session: SessionDep,
    actor: PageActor,
    filters: WhoQuery,
    period: PeriodQuery,
    format: Annotated[str, Query(pattern="^(csv|xlsx)$")] = "csv",
    hxl: bool = False,
) -> Response:
    """The table of /gaps with the same filters, as a file (HXL tags under the header with hxl=1)."""
    content = service.export_who(
        session, actor=actor, filters=filters, period=period, file_format=format, hxl=hxl
    )
    return Response(
        content,
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="pux-who-does-what-where.{format}"'},
    )


# --- Gaps ------------------------------------------------------------------------------------------------


def gap_chart(report: GapReport, *, limit: int = 15) -> Chart | None:
    """The uncovered cost of the first lines of a report (as ordered: largest burden-weighted gap first)."""
    lines = report.lines[:limit]
    if not lines:
        return None
    single_country = len({line.gap.country_iso3 for line in lines}) == 1
    return plots.bar_chart(
        [line.area_name if single_country else f"{line.country_name} · {line.area_name}" for line in lines],
        [line.gap.uncovered.value for line in lines],
        title=_("Uncovered cost of endorsed needs"),
        value_label=_("Uncovered"),
        unit=report.currency,
        source=f"{report.needs_source}; {report.assistance_source}",
        year=report.period.label,
        row_heading=_("Gap"),
    )


@router.get("/gaps/ranking", response_class=HTMLResponse)
def gap_ranking(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    filters: GapQuery,
    period: PeriodQuery,
    money: PageRateQuery,
    page: PageNumber,
) -> HTMLResponse:
    currency, rates = money
    report = service.gap_ranking(
        session, actor=actor, filters=filters, period=period, currency=currency, rates=rates
    )
    shown = _page_of(report.lines, page)
    figures = service.map_figures(
        session, actor=actor, indicator=v.GAP, area=filters.thematic_area_code, period=period
    )
    return render(
        request,
        "gaps/ranking.html",
        {
            **_choices(request, session),
            "report": report,
            "lines": shown.items,
            "page": shown,
            "chart": gap_chart(report),
            "map": map_chart(figures, chart_id="gap-map"),
            "partial_note": _partial_note(figures),
            "country": None,
        },
    )


@router.get("/gaps/countries/{iso3}", response_class=HTMLResponse)
def country_gaps(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    iso3: CountryPath,
    period: PeriodQuery,
    money: PageRateQuery,
) -> HTMLResponse:
    currency, rates = money
    report = service.country_gaps(
        session, actor=actor, iso3=iso3, period=period, currency=currency, rates=rates
    )
    return render(
        request,
        "gaps/ranking.html",
        {
            **_choices(request, session),
            "report": report,
            "lines": report.lines,
            "page": None,
            "chart": gap_chart(report),
            "map": None,
            "country": reference.get_country(session, iso3=iso3.upper()),
        },
    )


# --- The unfunded-needs board and marks of interest -----------------------------------------------------


@router.get("/unfunded", response_class=HTMLResponse)
def unfunded_board(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    filters: PageUnfundedQuery,
    money: PageRateQuery,
    page: PageNumber,
    sort: Sort = "priority",
) -> HTMLResponse:
    currency, rates = money
    results = service.unfunded_needs(
        session, actor=actor, filters=filters, page=page, sort=sort, currency=currency, rates=rates
    )
    organisations = sorted(permissions.interest_organisations(actor))
    return render(
        request,
        "gaps/unfunded.html",
        {
            **_choices(request, session),
            **listing(results, request),
            "sort": sort,
            "board": results,
            "may_mark": bool(organisations) or actor.is_global,
            "interest_organisations": [
                o for o in accounts.organisation_names(session) if o.id in organisations
            ],
            "status_label": workflow.status_label,
            "income_groups": ("LIC", "LMC", "UMC", "HIC"),
            "counts_shown": {
                need.need_id
                for need in results.items
                if service.shows_interest_count(actor, country_iso3=need.country_iso3)
            },
        },
    )


def _back(form_values: dict[str, Any], default: str) -> str:
    target = str(form_values.get("next") or "")
    # Only a path of this site (never another host) is followed after a form.
    return target if target.startswith("/") and not target.startswith("//") else default


@router.post("/needs/{need_id}/interest", dependencies=[CsrfChecked])
def mark_interest(
    request: Request, session: SessionDep, actor: PageActor, need_id: RecordPath, form: FormDep
) -> Response:
    values = form_data(form)
    if not actor.is_authenticated:
        return RedirectResponse(f"/sign-in?next=/needs/{need_id}", status_code=303)
    organisation = str(values.get("organisation_id") or "").strip()
    data = InterestCreate(
        organisation_id=int(organisation) if organisation.isdigit() and len(organisation) < 12 else None,
        note=str(values.get("note") or "")[:2000],
    )
    service.mark_interest(session, actor=actor, need_id=need_id, data=data)
    flash(request, _("Your interest was recorded; the country's focal point will see it."))
    return RedirectResponse(_back(values, f"/needs/{need_id}"), status_code=303)


@router.post("/interests/{interest_id}/withdraw", dependencies=[CsrfChecked])
def withdraw_interest(
    request: Request, session: SessionDep, actor: PageActor, interest_id: RecordPath, form: FormDep
) -> Response:
    interest = service.withdraw_interest(session, actor=actor, interest_id=interest_id)
    flash(request, _("Your interest was withdrawn."))
    return RedirectResponse(_back(form_data(form), f"/needs/{interest.need_id}"), status_code=303)


@router.post("/interests/{interest_id}/acknowledge", dependencies=[CsrfChecked])
def acknowledge_interest(
    request: Request, session: SessionDep, actor: PageActor, interest_id: RecordPath, form: FormDep
) -> Response:
    interest = service.acknowledge_interest(session, actor=actor, interest_id=interest_id)
    flash(request, _("The interest was acknowledged."))
    return RedirectResponse(_back(form_data(form), f"/needs/{interest.need_id}"), status_code=303)


# --- The world map ---------------------------------------------------------------------------------------


@router.get("/map", response_class=HTMLResponse)
def world_map(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    period: PeriodQuery,
    indicator: Indicator = v.PRIORITY_INDEX,
    area: Code = None,
) -> HTMLResponse:
    figures = service.map_figures(session, actor=actor, indicator=indicator, area=_blank(area), period=period)
    choices = _choices(request, session)
    # The form names the area drawn: the priority index asked for "all areas" is drawn for one.
    drawn = service.map_area(indicator, _blank(area))
    return render(
        request,
        "gaps/map.html",
        {
            **choices,
            "selected": {**choices["selected"], "area": drawn or ""},
            "indicators": [(code, v.map_indicator_label(code)) for code in v.MAP_INDICATORS],
            "indicator": indicator,
            "map": map_chart(figures, chart_id="world-map"),
            "partial_note": _partial_note(figures),
        },
    )


# --- Gaps by SDG goal and by technique; coverage over time -----------------------------------------------

FileFormat = Annotated[str, Query(pattern="^(csv|xlsx)$")]
TagTable = Annotated[str, Query(pattern="^(goal|technique)$", description="The table: by goal or technique")]


def tag_chart(
    lines: Sequence[TagLine], *, title: str, row_heading: str, report: TagGapReport
) -> Chart | None:
    """The uncovered cost of the first rows of a goal or technique table (largest first)."""
    shown = lines[:15]
    if not shown:
        return None
    return plots.bar_chart(
        [line.name for line in shown],
        [line.gap.uncovered.value for line in shown],
        title=title,
        value_label=_("Uncovered"),
        unit=report.currency,
        source=f"{report.needs_source}; {report.assistance_source}",
        year=report.period.label,
        row_heading=row_heading,
    )


def _second_on_page(chart: Chart | None) -> Chart | None:
    return chart.with_id_prefix("second-") if chart is not None else None


@router.get("/gaps/by-goal-and-technique", response_class=HTMLResponse)
def gaps_by_goal_and_technique(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    filters: GapQuery,
    period: PeriodQuery,
    money: PageRateQuery,
) -> HTMLResponse:
    currency, rates = money
    report = service.gaps_by_goal_and_technique(
        session, actor=actor, filters=filters, period=period, currency=currency, rates=rates
    )
    return render(
        request,
        "gaps/by_goal_and_technique.html",
        {
            **_choices(request, session),
            "report": report,
            "goal_chart": tag_chart(
                report.goals,
                title=_("Uncovered cost of endorsed needs by SDG goal"),
                row_heading=_("SDG goal"),
                report=report,
            ),
            # Two charts on one page: the second one's SVG ids must not repeat the first one's.
            "technique_chart": _second_on_page(
                tag_chart(
                    report.techniques,
                    title=_("Uncovered cost of endorsed needs by technique"),
                    row_heading=_("Technique"),
                    report=report,
                )
            ),
        },  # fmt: skip
    )


@router.get("/gaps/by-goal-and-technique/export")
def export_gaps_by_goal_and_technique(
    session: SessionDep,
    actor: PageActor,
    filters: GapQuery,
    period: PeriodQuery,
    money: PageRateQuery,
    by: TagTable = v.BY_GOAL,
    format: FileFormat = "csv",
) -> Response:
    """The goal table (by=goal) or the technique table of /gaps/by-goal-and-technique, as a file."""
    currency, rates = money
    content = service.export_tag_gaps(
        session, actor=actor, by=by, filters=filters, period=period, currency=currency, rates=rates,
        file_format=format,
    )  # fmt: skip
    return _attachment(content, format, f"pux-gaps-by-{by}")


def coverage_chart(report: CoverageReport) -> Chart | None:
    """The needs' cost and the assistance committed, year by year."""
    years = report.coverage.years
    if not years:
        return None
    return plots.line_chart(
        [year.year for year in years],
        {
            _("Estimated cost of needs recorded"): [year.needs_cost.value for year in years],
            _("Assistance committed"): [year.committed.value for year in years],
        },
        title=_("Needs and assistance, year by year"),
        unit=report.currency,
        source=f"{report.needs_source}; {report.assistance_source}",
        year=f"{years[0].year}–{years[-1].year}" if len(years) > 1 else years[0].year,
        row_heading=_("Year"),
    )


@router.get("/gaps/over-time", response_class=HTMLResponse)
def coverage_over_time(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    filters: GapQuery,
    period: CoveragePeriodQuery,
    money: PageRateQuery,
) -> HTMLResponse:
    currency, rates = money
    report = service.coverage_over_time(
        session, actor=actor, filters=filters, period=period, currency=currency, rates=rates
    )
    return render(
        request,
        "gaps/over_time.html",
        {**_choices(request, session), "report": report, "chart": coverage_chart(report)},
    )


@router.get("/gaps/over-time/export")
def export_coverage_over_time(
    session: SessionDep,
    actor: PageActor,
    filters: GapQuery,
    period: CoveragePeriodQuery,
    money: PageRateQuery,
    format: FileFormat = "csv",
) -> Response:
    """The table of /gaps/over-time with the same filters, as a file."""
    currency, rates = money
    content = service.export_coverage(
        session, actor=actor, filters=filters, period=period, currency=currency, rates=rates,
        file_format=format,
    )  # fmt: skip
    return _attachment(content, format, "pux-coverage-over-time")


def _attachment(content: bytes, file_format: str, name: str) -> Response:
    return Response(
        content,
        media_type=MEDIA_TYPES[file_format],
        headers={"Content-Disposition": f'attachment; filename="{name}.{file_format}"'},
    )
