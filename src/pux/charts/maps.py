"""World maps coloured by a figure per country (choropleths), drawn as SVG on the server.

The outlines are the vendored world-atlas package (Natural Earth, 1:110m; states too small for that
scale are drawn as circles from the 1:50m file), projected once with Equal Earth by
``tools/vendor_world_topology.py`` into ``data/world.json``. Missing figures are drawn hatched grey and
named "no data" in the legend and in each country's tooltip: a country without a figure is never drawn as
if it had zero.
"""

from __future__ import annotations

import csv
import hashlib
import json
import textwrap
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from pux.charts.scales import NO_DATA_FILL, NO_DATA_HATCH, ColourScale, quantile_scale
from pux.charts.tables import Chart, ChartTable, embed_right_to_left, format_number, is_missing, year_text
from pux.charts.text import TextMode, text_outline
from pux.i18n import get_language, language_context, text_direction
from pux.i18n import gettext as _

DATA_FILE = Path(__file__).parent / "data" / "world.json"
COUNTRIES_FILE = Path(__file__).parents[1] / "reference" / "data" / "countries.csv"
FONT_FAMILY = "'Noto Sans', 'Noto Sans Arabic', 'Noto Sans CJK SC', 'DejaVu Sans', sans-serif"
WIDTH = 1000.0
MARGIN = 12.0
TITLE_HEIGHT = 44.0
LEGEND_HEIGHT = 62.0
LINE_HEIGHT = 17.0
MARKER_RADIUS = 3.6
MAX_MAP_HEIGHT = 560.0
BORDER_COLOUR = "#ffffff"
# Languages written without spaces between words are wrapped by characters.
WRAP_BY_CHARACTER = frozenset({"zh"})


@dataclass(frozen=True)
class WorldOutlines:
    view_box: tuple[float, float, float, float]  # x, y, width, height in map units
    shapes: Mapping[str, str]  # ISO3 -> SVG path data
    markers: Mapping[str, tuple[float, float]]  # ISO3 -> centre of a small state's circle
    boxes: Mapping[str, tuple[float, float, float, float]]  # ISO3 -> x0, y0, x1, y1
    source: str


@lru_cache(maxsize=1)
def world_outlines() -> WorldOutlines:
    raw: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    x, y, width, height = raw["view_box"]
    return WorldOutlines(
        view_box=(float(x), float(y), float(width), float(height)),
        shapes=dict(raw["shapes"]),
        markers={iso3: (float(p[0]), float(p[1])) for iso3, p in raw["markers"].items()},
        boxes={
            iso3: (float(b[0]), float(b[1]), float(b[2]), float(b[3])) for iso3, b in raw["boxes"].items()
        },
        source=str(raw["source"]),
    )


@lru_cache(maxsize=1)
def _country_names() -> dict[str, dict[str, str]]:
    with COUNTRIES_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            row["iso3"]: {key[5:]: value for key, value in row.items() if key.startswith("name_")}
            for row in csv.DictReader(handle)
        }


def country_name(iso3: str, language: str) -> str:
    """The M49 short name of ``iso3`` in ``language`` (English, then the code, when there is none)."""
    names = _country_names().get(iso3, {})
    return names.get(language) or names.get("en") or iso3


def mapped_countries() -> frozenset[str]:
    """The ISO3 codes the map can draw (as an outline or as a small state's circle)."""
    outlines = world_outlines()
    return frozenset(outlines.shapes) | frozenset(outlines.markers)


def choropleth_svg(
    values: Mapping[str, float | None],
    *,
    title: str,
    legend_title: str,
    source: str,
    year: str | int | None,
    years_by_country: Mapping[str, str] | None = None,
    unit: str = "",
    steps: int = 5,
    palette: str = "viridis",
    focus: Collection[str] | None = None,
    highlight: str | None = None,
    link_pattern: str | None = None,
    language: str | None = None,
    chart_id: str | None = None,
    text_mode: TextMode = "text",
) -> str:
    """A world map coloured by ``values`` (ISO3 -> figure; ``None`` or absent = no data) as SVG text.

    ``focus``: zoom on these countries (a regional map); ``highlight``: outline one country (a country brief);
    ``link_pattern``: make each country a link, e.g. ``"/countries/{iso3}"``; ``chart_id``: prefix of the ids
    inside the SVG (several maps on one page need different ones; by default derived from the content);
    ``text_mode="paths"``: titles, legend and source drawn as outlines (for WeasyPrint PDFs, which would
    draw Arabic SVG text unjoined; see ``pux.charts.text``)."""
    return choropleth(
        values,
        title=title,
        legend_title=legend_title,
        source=source,
        year=year,
        years_by_country=years_by_country,
        unit=unit,
        steps=steps,
        palette=palette,
        focus=focus,
        highlight=highlight,
        link_pattern=link_pattern,
        language=language,
        chart_id=chart_id,
        text_mode=text_mode,
    ).svg


def choropleth(
    values: Mapping[str, float | None],
    *,
    title: str,
    legend_title: str,
    source: str,
    year: str | int | None,
    years_by_country: Mapping[str, str] | None = None,
    unit: str = "",
    steps: int = 5,
    palette: str = "viridis",
    focus: Collection[str] | None = None,
    highlight: str | None = None,
    link_pattern: str | None = None,
    language: str | None = None,
    chart_id: str | None = None,
    text_mode: TextMode = "text",
) -> Chart:
    """The map of ``choropleth_svg`` and its table (the countries in ``values``, highest figure first, the
    ones without a figure last, as "no data"). ``years_by_country``: the years of each country's own figure
    when they differ from the map's (a country's tooltip then names its own, not the whole map's span)."""
    return _drawn_choropleth(
        tuple(values.items()),
        title=title,
        legend_title=legend_title,
        source=source,
        year=year,
        years_by_country=tuple(sorted((years_by_country or {}).items())),
        unit=unit,
        steps=steps,
        palette=palette,
        focus=None if focus is None else tuple(focus),
        highlight=highlight,
        link_pattern=link_pattern,
        language=language or get_language(),
        chart_id=chart_id,
        text_mode=text_mode,
    )


# Maps lately drawn, by everything they are drawn from: the home and gap pages draw the same few maps for
# every reader, and drawing 190 countries took a tenth of those pages' time.
@lru_cache(maxsize=64)
def _drawn_choropleth(
    values: tuple[tuple[str, float | None], ...],
    *,
    title: str,
    legend_title: str,
    source: str,
    year: str | int | None,
    years_by_country: tuple[tuple[str, str], ...],
    unit: str,
    steps: int,
    palette: str,
    focus: tuple[str, ...] | None,
    highlight: str | None,
    link_pattern: str | None,
    language: str,
    chart_id: str | None,
    text_mode: TextMode,
) -> Chart:
    with language_context(language):
        figures = {iso3: None if is_missing(value) else value for iso3, value in values}
        scale = quantile_scale([v for v in figures.values() if v is not None], steps=steps, palette=palette)
        identifier = chart_id or _content_id(title, figures)
        svg = _MapDrawing(
            figures=figures,
            scale=scale,
            title=title,
            legend_title=legend_title,
            source=source,
            year=year_text(year),
            years_by_country=dict(years_by_country),
            unit=unit,
            focus=focus,
            highlight=highlight,
            link_pattern=link_pattern,
            language=language,
            identifier=identifier,
            text_mode=text_mode,
        ).render()
        table = _map_table(
            figures, title=title, legend_title=legend_title, source=source, year=year, unit=unit
        )
    return Chart(svg=svg, table=table)


def _map_table(
    figures: Mapping[str, float | None],
    *,
    title: str,
    legend_title: str,
    source: str,
    year: str | int | None,
    unit: str,
) -> ChartTable:
    language = get_language()
    ordered = sorted(
        figures.items(),
        key=lambda item: (item[1] is None, -(item[1] or 0.0), country_name(item[0], language)),
    )
    return ChartTable(
        title=title,
        row_heading=_("Country"),
        row_labels=tuple(country_name(iso3, language) for iso3, _value in ordered),
        column_labels=(legend_title,),
        values=tuple((value,) for _iso3, value in ordered),
        source=source,
        year=year_text(year),
        unit=unit,
    )


def _hatch(identifier: str, scale: float) -> str:
    return (
        f'<pattern id="{identifier}" patternUnits="userSpaceOnUse" width="5" height="5" '
        f'patternTransform="rotate(45) scale({scale:.4f})"><rect width="5" height="5" fill="{NO_DATA_FILL}"/>'
        f'<line x1="0" y1="0" x2="0" y2="5" stroke="{NO_DATA_HATCH}" stroke-width="1.6"/></pattern>'
    )


def _content_id(title: str, figures: Mapping[str, float | None]) -> str:
    digest = hashlib.sha1(repr((title, sorted(figures.items()))).encode("utf-8")).hexdigest()
    return f"map-{digest[:10]}"


@dataclass
class _MapDrawing:
    figures: Mapping[str, float | None]
    scale: ColourScale | None
    title: str
    legend_title: str
    source: str
    year: str | None
    years_by_country: Mapping[str, str]
    unit: str
    focus: Collection[str] | None
    highlight: str | None
    link_pattern: str | None
    language: str
    identifier: str
    text_mode: TextMode

    @property
    def right_to_left(self) -> bool:
        return text_direction(self.language) == "rtl"

    def render(self) -> str:
        outlines = world_outlines()
        map_x, map_y, _map_width, map_height, zoom = self._frame(outlines)
        map_top = TITLE_HEIGHT
        drawn_height = map_height * zoom
        footer = self._footer_lines()
        legend_top = map_top + drawn_height + 8
        height = legend_top + LEGEND_HEIGHT + len(footer) * LINE_HEIGHT + MARGIN
        ident = self.identifier
        # A picture to assistive technology, unless its countries are links: then a group whose links
        # can be reached (an image may not hold anything one can focus).
        role = "group" if self.link_pattern else "img"
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:g} {height:.0f}" '
            f'class="chart chart-map" style="width:100%;max-width:64rem;height:auto" role="{role}" '
            f'aria-labelledby="{ident}-title" '
            f'aria-describedby="{ident}-desc" '
            f'font-family="{FONT_FAMILY}" lang="{self.language}" direction="ltr">',
            f'<title id="{ident}-title">{escape(self.title)}</title>',
            f'<desc id="{ident}-desc">{escape(" ".join(footer))}</desc>',
            self._defs(map_top, drawn_height, zoom),
            self._text(MARGIN, 28, self.title, size=20, weight="bold"),
            f'<rect x="0" y="{map_top:g}" width="{WIDTH:g}" height="{drawn_height:.1f}" fill="#f4f8fb"/>',
            f'<g clip-path="url(#{ident}-clip)"><g transform="translate({-map_x * zoom:.2f} '
            f'{map_top - map_y * zoom:.2f}) scale({zoom:.4f})" stroke="{BORDER_COLOUR}" '
            f'stroke-width="{0.5 / zoom:.3f}" stroke-linejoin="round">',
            *self._countries(outlines, zoom),
            "</g></g>",
            *self._legend(legend_top),
        ]
        for index, line in enumerate(footer):
            parts.append(self._text(MARGIN, legend_top + LEGEND_HEIGHT + index * LINE_HEIGHT, line, size=13))
        parts.append("</svg>")
        return "".join(parts)

    def _frame(self, outlines: WorldOutlines) -> tuple[float, float, float, float, float]:
        """The part of the map drawn (x, y, width, height in map units) and the zoom that fits it to WIDTH."""
        x, y, width, height = outlines.view_box
        boxes = [outlines.boxes[iso3] for iso3 in (self.focus or ()) if iso3 in outlines.boxes]
        points = [outlines.markers[iso3] for iso3 in (self.focus or ()) if iso3 in outlines.markers]
        boxes += [(px - 5, py - 5, px + 5, py + 5) for px, py in points]
        if boxes:
            x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
            x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
            pad = max(x1 - x0, y1 - y0) * 0.08 + 4
            x, y, width, height = x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad
            # A tall region is widened so that the drawing keeps a sensible height.
            width = max(width, height * WIDTH / MAX_MAP_HEIGHT)
            x -= (width - (x1 - x0 + 2 * pad)) / 2
        zoom = WIDTH / width
        return x, y, width, height, zoom

    def _defs(self, map_top: float, drawn_height: float, zoom: float) -> str:
        """The "no data" hatching twice: at the map's zoom (so that the stripes keep their width on a regional
        map) and unzoomed for the legend."""
        ident = self.identifier
        return (
            f"<defs>{_hatch(f'{ident}-nodata', 1 / zoom)}{_hatch(f'{ident}-nodata-legend', 1.0)}"
            f'<clipPath id="{ident}-clip"><rect x="0" y="{map_top:g}" width="{WIDTH:g}" '
            f'height="{drawn_height:.1f}"/></clipPath></defs>'
        )

    def _fill(self, iso3: str) -> str:
        value = self.figures.get(iso3)
        if value is None or self.scale is None:
            return f"url(#{self.identifier}-nodata)"
        return self.scale.colour_of(value)

    def _tooltip(self, iso3: str) -> str:
        name = country_name(iso3, self.language)
        value = self.figures.get(iso3)
        if value is None:
            return _("{country}: no data").format(country=name)
        figure = format_number(value, language=self.language)
        shown = f"{figure} {self.unit}".strip()
        year = self.years_by_country.get(iso3) or self.year
        if year:
            return _("{country}: {value} ({year})").format(country=name, value=shown, year=year)
        return f"{name}: {shown}"

    def _countries(self, outlines: WorldOutlines, zoom: float) -> list[str]:
        parts = []
        for iso3, path in outlines.shapes.items():
            parts.append(self._country_element(iso3, f'<path d="{path}"'))
        for iso3, (x, y) in outlines.markers.items():
            radius = MARKER_RADIUS / max(zoom, 1.0) * (1.6 if zoom > 1 else 1.0)
            parts.append(
                self._country_element(
                    iso3, f'<circle cx="{x:g}" cy="{y:g}" r="{radius:.2f}" stroke="#555555"', marker=True
                )
            )
        if self.highlight and self.highlight in outlines.shapes:
            parts.append(
                f'<path d="{outlines.shapes[self.highlight]}" fill="none" stroke="#d55e00" '
                f'stroke-width="{2.2 / zoom:.3f}" class="highlight"/>'
            )
        return parts

    def _country_element(self, iso3: str, opening: str, *, marker: bool = False) -> str:
        has_data = self.figures.get(iso3) is not None
        css = "country" + ("" if has_data else " no-data") + (" small-state" if marker else "")
        element = (
            f'{opening} fill="{self._fill(iso3)}" class="{css}" data-iso3="{iso3}">'
            f"<title>{escape(self._tooltip(iso3))}</title></{'circle' if marker else 'path'}>"
        )
        if self.link_pattern:
            href = quoteattr(self.link_pattern.format(iso3=iso3))
            return f"<a href={href}>{element}</a>"
        return element

    def _legend(self, top: float) -> list[str]:
        heading = self.legend_title + (f" ({self.unit})" if self.unit else "")
        parts = [self._text(MARGIN, top + 16, heading, size=14, weight="bold")]
        entries: list[tuple[str, str]] = []
        for colour_class in self.scale.classes if self.scale else ():
            low = format_number(colour_class.lower, language=self.language)
            high = format_number(colour_class.upper, language=self.language)
            entries.append((colour_class.colour, low if low == high else f"{low}–{high}"))
        entries.append((f"url(#{self.identifier}-nodata-legend)", _("No data")))
        slot = (WIDTH - 2 * MARGIN) / max(len(entries), 6)
        for index, (fill, label) in enumerate(entries):
            x = MARGIN + index * slot
            box_x = WIDTH - x - 22 if self.right_to_left else x
            parts.append(
                f'<rect x="{box_x:.1f}" y="{top + 26:g}" width="22" height="16" fill="{fill}" '
                f'stroke="#555555" stroke-width="0.6" class="legend-swatch"/>'
            )
            parts.append(self._text(x + 28, top + 39, label, size=14, css="legend-label"))
        return parts

    def _footer_lines(self) -> list[str]:
        if self.year:
            credit = _("Source: {source} ({year}).").format(source=self.source, year=self.year)
        else:
            credit = _("Source: {source}.").format(source=self.source)
        disclaimer = _(
            "The boundaries and names shown and the designations used on this map do not imply official "
            "endorsement or acceptance by the United Nations or by PUX. Small states are drawn as circles. "
            "Outlines: Natural Earth via world-atlas."
        )
        return [*self._wrap(credit), *self._wrap(disclaimer)]

    def _wrap(self, text: str) -> list[str]:
        if self.language in WRAP_BY_CHARACTER:
            width = 64
            return [text[start : start + width] for start in range(0, len(text), width)] or [""]
        return textwrap.wrap(text, width=135) or [""]

    def _text(
        self, x: float, y: float, text: str, *, size: int, weight: str = "normal", css: str = ""
    ) -> str:
        """Text placed from the start of its line: the left in left-to-right languages, the right in
        Arabic."""
        if self.text_mode == "paths":
            return self._outlined_text(x, y, text, size=size, bold=weight != "normal", css=css)
        attributes = f'font-size="{size}" fill="#222222"'
        if weight != "normal":
            attributes += f' font-weight="{weight}"'
        if css:
            attributes += f' class="{css}"'
        if self.right_to_left:
            return (
                f'<text x="{WIDTH - x:.1f}" y="{y:.1f}" {attributes} text-anchor="end">'
                f"{escape(embed_right_to_left(text))}</text>"
            )
        return f'<text x="{x:.1f}" y="{y:.1f}" {attributes} text-anchor="start">{escape(text)}</text>'

    def _outlined_text(self, x: float, y: float, text: str, *, size: int, bold: bool, css: str) -> str:
        outline, width = text_outline(text, float(size), bold)
        left = WIDTH - x - width if self.right_to_left else x
        label = quoteattr(text)
        return (
            f'<path d="{outline}" transform="translate({left:.1f} {y:.1f})" fill="#222222" role="img" '
            f'aria-label={label} class="{css or "text"}"/>'
        )
