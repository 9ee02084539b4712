"""The gaps section of a brief: the one place where briefs read pux.gaps.

The gap arithmetic is pux.gaps' alone: a brief prints what that package computes for the reader (its
visibility decides what counts). Each brief takes its lines from the full ranking, which the gaps service
keeps per data version, reader's scope and language (a batch of country briefs computes it once; a cache of
the briefs' own, keyed without the language, once gave an Arabic brief the English names of its sources).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from sqlalchemy.orm import Session

from pux.accounts.permissions import Actor
from pux.briefs.content import Figure, GapLine, GapSection
from pux.charts.maps import choropleth_svg
from pux.gaps import engine as gap_engine
from pux.gaps import service as gaps
from pux.gaps import vocabulary as gap_vocabulary
from pux.gaps.schemas import GapReport, MapFigures
from pux.i18n import get_language
from pux.i18n import gettext as _

MAX_LINES = 8


def _figure(figure: gap_engine.Figure, cite: Callable[[str], str]) -> Figure:
    return Figure(
        figure.value, figure.unit, cite(figure.source) if figure.value is not None else "", figure.year or ""
    )


def _count(gap: gap_engine.AreaGap, cite: Callable[[str], str]) -> Figure:
    """How many endorsed needs a line counts, cited as its cost is (even when no need has a cost)."""
    cost = gap.needs_cost
    return Figure(float(gap.needs_count), "", cite(cost.source), cost.year or gap.covered.year or "")


def _section(
    report: GapReport,
    keep: Callable[[gap_engine.AreaGap], bool],
    label: Callable[[str, str], str],
    cite: Callable[[str], str],
    area_names: dict[str, str],
    country_names: dict[str, str],
) -> GapSection:
    kept = [line.gap for line in report.lines if keep(line.gap)]
    lines = kept[:MAX_LINES]
    note = ""
    if any(not gap.conversion.complete for gap in lines):
        note = _(
            "Some amounts are in currencies without a stated exchange rate: they are left out, not converted."
        )
    if any(gap.duplicated for gap in lines):
        note = (note + " " if note else "") + _(
            "Two or more providers fund the same technique in some of these."
        )
    return GapSection(
        lines=tuple(
            GapLine(
                label=label(
                    country_names.get(gap.country_iso3, gap.country_iso3), area_names.get(gap.area, gap.area)
                ),
                needs_cost=_figure(gap.needs_cost, cite),
                covered=_figure(gap.covered, cite),
                uncovered=_figure(gap.uncovered, cite),
                endorsed_needs=_count(gap, cite),
                needs_without_cost=gap.needs_without_cost,
                surplus=_figure(gap.surplus, cite) if gap.surplus.value else None,
            )
            for gap in lines
        ),
        note=note,
        more=_more(len(kept) - len(lines), report, cite),
    )


def _more(left_out: int, report: GapReport, cite: Callable[[str], str]) -> Figure | None:
    """How many gap lines the table leaves out, cited as the gap pages that list them (None: none)."""
    if not left_out:
        return None
    return Figure(float(left_out), "", cite(report.needs_source), report.period.label)


def for_country(
    session: Session,
    *,
    actor: Actor,
    iso3: str,
    cite: Callable[[str], str],
    area_names: dict[str, str],
    country_names: dict[str, str],
) -> GapSection:
    """The gap of each thematic area of a country, the largest relative to its burden first."""
    return _section(
        gaps.gap_ranking(session, actor=actor),
        lambda gap: gap.country_iso3 == iso3,
        lambda _country, area: area,
        cite,
        area_names,
        country_names,
    )


def for_countries(
    session: Session,
    *,
    actor: Actor,
    countries: frozenset[str] | None,
    areas: frozenset[str] | None,
    cite: Callable[[str], str],
    area_names: dict[str, str],
    country_names: dict[str, str],
    with_map: bool = False,
) -> GapSection:
    """The largest gaps among some countries (a region's) or in some areas (an organisation's); with_map adds
    a map of the countries' uncovered cost (countries without endorsed needs drawn as "no data")."""
    report = gaps.gap_ranking(session, actor=actor)

    def kept(gap: gap_engine.AreaGap) -> bool:
        return (countries is None or gap.country_iso3 in countries) and (areas is None or gap.area in areas)

    section = _section(
        report, kept, lambda country, area: f"{country}: {area}", cite, area_names, country_names
    )
    if not with_map or not countries:
        return section
    # The world gap map's own figures, so that the brief and the map page agree country by country.
    figures = gaps.map_figures(session, actor=actor, indicator=gap_vocabulary.GAP)
    return _with_uncovered_map(section, figures, countries, country_names)


def _with_uncovered_map(
    section: GapSection, figures: MapFigures, countries: frozenset[str], country_names: dict[str, str]
) -> GapSection:
    """The section with the world gap map's figures for the region's countries: the same totals as the map
    page, a country with one area of unknown cost keeping its known sum, said to be partial (summed here
    instead, one unknown area made the whole country "no data": four of Eastern Africa's eight)."""
    totals = {iso3: value for iso3, value in figures.values.items() if iso3 in countries}
    partial = sorted(country_names.get(iso3, iso3) for iso3 in figures.partial & countries)
    language = get_language()
    svg = choropleth_svg(
        totals,
        title=_("Uncovered cost of the endorsed needs"),
        legend_title=_("Uncovered cost (partial for some countries)") if partial else _("Uncovered"),
        source=figures.source,
        year=figures.year,
        unit=figures.unit,
        focus=countries,
        language=language,
        chart_id="brief-gaps",
        # WeasyPrint would draw Arabic SVG text unjoined: outlines instead (the table beside it is the text).
        text_mode="paths" if language == "ar" else "text",
    )
    return replace(section, map_svg=svg, map_partial=tuple(partial))
