"""The world map: every country with a figure gets a colour of the scale, countries without one are drawn as
"no data" (never as zero), and the legend, the source, the year and the boundary disclaimer are all there."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from pux.charts.maps import choropleth, choropleth_svg, mapped_countries
from pux.charts.scales import palette_colours, quantile_scale
from pux.i18n import language_context

SVG = "{http://www.w3.org/2000/svg}"
FIGURES: dict[str, float | None] = {"KEN": 12.0, "UGA": 40.0, "TZA": 0.0, "ETH": 75.5, "BRA": 3.0, "TUV": 9.0}
FIGURES_WITH_GAPS: dict[str, float | None] = {**FIGURES, "SOM": None, "SDN": float("nan")}


def draw(values: dict[str, float | None], **options: object) -> ET.Element:
    arguments: dict[str, object] = {
        "title": "Priority index, health",
        "legend_title": "Index",
        "source": "PUX priority index",
        "year": 2024,
    }
    arguments.update(options)
    svg = choropleth_svg(values, **arguments)  # type: ignore[arg-type]
    return ET.fromstring(svg)  # valid XML or this raises


def countries(root: ET.Element) -> dict[str, ET.Element]:
    return {element.attrib["data-iso3"]: element for element in root.iter() if "data-iso3" in element.attrib}


def test_every_country_with_a_figure_gets_a_colour_of_the_scale() -> None:
    root = draw(FIGURES_WITH_GAPS)
    scale = quantile_scale([v for v in FIGURES.values() if v is not None])
    assert scale is not None
    scale_colours = {c.colour for c in scale.classes}
    drawn = countries(root)
    for iso3, value in FIGURES.items():
        assert value is not None
        assert drawn[iso3].attrib["fill"] == scale.colour_of(value)
        assert drawn[iso3].attrib["fill"] in scale_colours
        assert "no-data" not in drawn[iso3].attrib["class"]
    # Zero is a figure like any other: coloured, not hatched.
    assert drawn["TZA"].attrib["fill"].startswith("#")
    # The largest figure gets the darkest colour, the smallest the lightest.
    assert drawn["ETH"].attrib["fill"] == scale.classes[-1].colour
    assert drawn["TZA"].attrib["fill"] == scale.classes[0].colour


def test_countries_without_a_figure_are_drawn_as_no_data_not_as_zero() -> None:
    root = draw(FIGURES_WITH_GAPS)
    drawn = countries(root)
    colours_of_figures = {drawn[iso3].attrib["fill"] for iso3 in FIGURES}
    for iso3 in ("SOM", "SDN", "FRA"):  # None, NaN and absent from the figures
        element = drawn[iso3]
        assert element.attrib["fill"].startswith("url(#") and element.attrib["fill"].endswith("-nodata)")
        assert element.attrib["fill"] not in colours_of_figures
        assert "no-data" in element.attrib["class"]
        title = element.find(f"{SVG}title")
        assert title is not None and title.text is not None and title.text.endswith("no data")
    assert drawn["TZA"].find(f"{SVG}title").text == "United Republic of Tanzania: 0 (2024)"  # type: ignore[union-attr]


def test_every_country_of_the_map_has_a_title_with_its_name_and_figure() -> None:
    root = draw(FIGURES)
    drawn = countries(root)
    assert set(drawn) == set(mapped_countries())
    assert len(drawn) > 220  # the outlines and the small states' circles
    assert drawn["KEN"].find(f"{SVG}title").text == "Kenya: 12 (2024)"  # type: ignore[union-attr]
    # Tuvalu is too small for the 1:110m outlines: it is drawn as a circle, coloured like the others.
    assert drawn["TUV"].tag == f"{SVG}circle" and drawn["TUV"].attrib["fill"].startswith("#")


def test_a_country_whose_own_figure_has_other_years_names_them_not_the_maps_span() -> None:
    # The priority index of Kenya rests on data of 2019-2025 while the map's span is 2015-2025: Kenya's
    # title must not claim 2015.
    drawn = countries(draw(FIGURES, year="2015–2025", years_by_country={"KEN": "2019–2025"}))
    assert drawn["KEN"].find(f"{SVG}title").text == "Kenya: 12 (2019–2025)"  # type: ignore[union-attr]
    assert drawn["UGA"].find(f"{SVG}title").text == "Uganda: 40 (2015–2025)"  # type: ignore[union-attr]


def test_a_map_of_links_lets_a_keyboard_reach_them_and_a_map_without_is_one_picture() -> None:
    """An element that is a picture to assistive technology may hold nothing one can focus: a map whose
    countries are links is a group (its title and description kept), a map without links one image."""
    linked = draw(FIGURES, link_pattern="/countries/{iso3}")
    assert linked.attrib["role"] == "group" and linked.attrib["aria-labelledby"].endswith("-title")
    assert linked.findall(f".//{SVG}a")
    plain = draw(FIGURES)
    assert plain.attrib["role"] == "img" and not plain.findall(f".//{SVG}a")


def test_legend_source_year_and_disclaimer_are_printed() -> None:
    root = draw(FIGURES_WITH_GAPS, unit="points")
    texts = [element.text or "" for element in root.iter(f"{SVG}text")]
    assert "Priority index, health" in texts
    assert "Index (points)" in texts
    assert "No data" in texts
    assert any("Source: PUX priority index (2024)." in text for text in texts)
    # The disclaimer may be wrapped over several lines.
    assert "do not imply official endorsement or acceptance by the United Nations" in " ".join(texts)
    swatches = [e for e in root.iter(f"{SVG}rect") if e.attrib.get("class") == "legend-swatch"]
    assert swatches[-1].attrib["fill"].endswith("-nodata-legend)")
    assert len(swatches) >= 2
    # The legend's ranges name the figures' extremes.
    assert any(text.startswith("0–") for text in texts)
    assert any(text.endswith("75.5") for text in texts)


def test_a_map_without_any_figure_is_all_no_data_with_its_legend() -> None:
    root = draw({"KEN": None})
    assert all("no-data" in element.attrib["class"] for element in countries(root).values())
    assert "No data" in [element.text for element in root.iter(f"{SVG}text")]


def test_arabic_text_runs_right_to_left_from_the_right_edge() -> None:
    with language_context("ar"):
        root = draw(FIGURES, title="مؤشر الأولوية")
    title = next(e for e in root.iter(f"{SVG}text") if "مؤشر" in (e.text or ""))
    assert float(title.attrib["x"]) > 900 and title.attrib["text-anchor"] == "end"
    assert title.text is not None and title.text.startswith("\u202b")
    assert root.attrib["direction"] == "ltr" and root.attrib["lang"] == "ar"


def test_text_as_outlines_for_print_keeps_the_words_as_labels() -> None:
    root = draw(FIGURES, text_mode="paths", language="ar", title="مؤشر الأولوية")
    assert not list(root.iter(f"{SVG}text"))
    labels = [e.attrib.get("aria-label", "") for e in root.iter(f"{SVG}path")]
    assert "مؤشر الأولوية" in labels


def test_the_table_lists_the_figures_highest_first_and_missing_ones_as_missing() -> None:
    chart = choropleth(FIGURES_WITH_GAPS, title="T", legend_title="Index", source="S", year="2024")
    table = chart.table
    assert table.row_labels[0] == "Ethiopia" and table.values[0] == (75.5,)
    assert table.values[-2:] == ((None,), (None,))
    assert set(table.row_labels[-2:]) == {"Somalia", "Sudan"}
    assert (table.source, table.year) == ("S", "2024")


def test_the_same_figures_give_the_same_bytes_and_a_regional_map_zooms() -> None:
    assert choropleth_svg(FIGURES, title="T", legend_title="L", source="S", year=1) == choropleth_svg(
        FIGURES, title="T", legend_title="L", source="S", year=1
    )

    def zoom(root: ET.Element) -> float:
        transform = next(
            g.attrib["transform"] for g in root.iter(f"{SVG}g") if "scale(" in g.attrib.get("transform", "")
        )
        return float(transform.split("scale(")[1].rstrip(")"))

    region = draw(FIGURES, focus=["KEN", "UGA", "TZA"], highlight="KEN")
    assert zoom(draw(FIGURES)) == 1.0
    assert zoom(region) > 3
    assert [p for p in region.iter(f"{SVG}path") if p.attrib.get("class") == "highlight"]


@pytest.mark.parametrize("count", [1, 2, 5, 7])
def test_palettes_run_from_light_to_dark(count: int) -> None:
    colours = palette_colours("viridis", count)
    assert len(colours) == count == len(set(colours))

    def lightness(colour: str) -> float:
        red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        return 0.299 * red + 0.587 * green + 0.114 * blue

    assert [lightness(c) for c in colours] == sorted((lightness(c) for c in colours), reverse=True)


def test_scale_classes_cover_every_figure_in_order() -> None:
    figures = [float(v) for v in range(1, 101)]
    scale = quantile_scale(figures, steps=5)
    assert scale is not None and len(scale.classes) == 5
    assert scale.classes[0].lower == 1 and scale.classes[-1].upper == 100
    uppers = [c.upper for c in scale.classes]
    assert uppers == sorted(uppers)
    assert scale.colour_of(1) == scale.classes[0].colour and scale.colour_of(100) == scale.classes[-1].colour
    assert quantile_scale([]) is None


def test_a_map_asked_again_is_not_drawn_again_and_changed_figures_draw_a_new_one() -> None:
    from pux.charts import maps

    figures = dict(FIGURES)
    arguments = {"title": "Kept map", "legend_title": "L", "source": "S", "year": 2021}
    first = choropleth(figures, **arguments)  # type: ignore[arg-type]
    hits = maps._drawn_choropleth.cache_info().hits
    assert choropleth(dict(figures), **arguments).svg == first.svg  # type: ignore[arg-type]
    assert maps._drawn_choropleth.cache_info().hits == hits + 1
    figures["KEN"] = 99.0  # the same mapping, changed: a new drawing
    changed = choropleth(figures, **arguments)  # type: ignore[arg-type]
    assert changed.svg != first.svg and changed.table.values != first.table.values
    assert 99.0 in {row[0] for row in changed.table.values}
    with language_context("ar"):
        arabic = choropleth(FIGURES, **arguments)  # type: ignore[arg-type]
    assert 'lang="ar"' in arabic.svg and 'lang="ar"' not in first.svg
