"""Bar and time charts: the table beside each chart holds exactly the figures drawn, missing ones as missing;
the SVG is valid, deterministic, carries its source and year, and keeps Arabic and Chinese labels as text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from pux.charts.plots import bar_chart, line_chart, stacked_bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> list[str]:
    return [element.text or "" for element in ET.fromstring(svg).iter(f"{SVG}text")]


def test_bar_chart_table_matches_the_figures_and_names_missing_ones() -> None:
    chart = bar_chart(
        ["Kenya", "Uganda", "السودان", "中国"],
        [12.5, None, 3000.0, 44.0],
        title="Estimated cost of needs",
        value_label="Cost",
        unit="USD",
        source="PUX needs registry",
        year=2026,
        row_heading="Country",
    )
    table = chart.table
    assert table.row_labels == ("Kenya", "Uganda", "السودان", "中国")
    assert table.values == ((12.5,), (None,), (3000.0,), (44.0,))
    assert (table.title, table.source, table.year, table.unit) == (
        "Estimated cost of needs", "PUX needs registry", "2026", "USD",
    )  # fmt: skip
    drawn = texts(chart.svg)
    assert "Source: PUX needs registry (2026)." in drawn
    assert "no data" in drawn  # Uganda's place says so; no bar of zero is drawn for it
    assert {"Kenya", "السودان", "中国", "3,000", "12.5"} <= set(drawn)
    bars = [p for p in ET.fromstring(chart.svg).iter(f"{SVG}path") if "#0072b2" in p.attrib.get("style", "")]
    assert len(bars) == 3


def test_stacked_and_line_charts_keep_periods_and_series_in_the_table() -> None:
    series: dict[str, list[float | None]] = {"Health": [1.0, 2.0, None], "Food": [2.0, None, None]}
    stacked = stacked_bar_chart(
        [2022, 2023, 2024], series, title="Assistance", source="IATI", year="2022–2024"
    )
    lines = line_chart([2022, 2023, 2024], series, title="Assistance", source="IATI", year="2022–2024")
    for chart in (stacked, lines):
        assert chart.table.row_labels == ("2022", "2023", "2024")
        assert chart.table.column_labels == ("Health", "Food")
        assert chart.table.values == ((1.0, 2.0), (2.0, None), (None, None))
        assert "Source: IATI (2022–2024)." in texts(chart.svg)
    # 2024 has no figure at all: the chart says so instead of drawing an empty (zero) bar.
    assert "no data" in texts(stacked.svg)


def test_charts_are_deterministic_and_carry_no_date() -> None:
    from pux.charts import plots

    first = bar_chart(["A", "B"], [1.0, 2.0], title="T", value_label="V", source="S", year=2020)
    plots._drawn_bars.cache_clear()  # drawn again, not taken from the charts kept
    second = bar_chart(["A", "B"], [1.0, 2.0], title="T", value_label="V", source="S", year=2020)
    assert first.svg == second.svg
    assert "<dc:date>" not in first.svg
    root = ET.fromstring(first.svg)
    assert root.attrib["role"] == "img" and root.attrib["aria-label"] == "T"


def test_arabic_chart_is_mirrored_and_its_text_embedded_right_to_left() -> None:
    chart = bar_chart(
        ["كينيا"], [3.0], title="الاحتياجات", value_label="العدد", source="PUX", year=2026, language="ar"
    )
    assert "\u202bالاحتياجات\u202c" in texts(chart.svg)
    outlined = bar_chart(
        ["كينيا"], [3.0], title="الاحتياجات", value_label="العدد", source="PUX", year=2026, language="ar",
        text_mode="paths",
    )  # fmt: skip
    assert not re.search(r"<text\b", outlined.svg)


def test_series_of_the_wrong_length_are_refused() -> None:
    with pytest.raises(ValueError, match="Health"):
        line_chart([2022, 2023], {"Health": [1.0]}, title="T", source="S", year=None)
    with pytest.raises(ValueError):
        bar_chart(["A"], [1.0, 2.0], title="T", value_label="V", source="S", year=None)


def test_a_chart_asked_again_is_not_drawn_again_and_new_figures_draw_a_new_one() -> None:
    from pux.charts import plots

    arguments = {"title": "Kept", "value_label": "V", "source": "S", "year": 2021}
    first = bar_chart(["A", "B"], [3.0, 4.0], **arguments)  # type: ignore[arg-type]
    hits = plots._drawn_bars.cache_info().hits
    again = bar_chart(["A", "B"], [3.0, 4.0], **arguments)  # type: ignore[arg-type]
    assert plots._drawn_bars.cache_info().hits == hits + 1 and again.svg == first.svg
    changed = bar_chart(["A", "B"], [3.0, 9.0], **arguments)  # type: ignore[arg-type]
    assert changed.svg != first.svg and ">9<" in changed.svg
    arabic = bar_chart(["A", "B"], [3.0, 4.0], language="ar", **arguments)  # type: ignore[arg-type]
    assert arabic.svg != first.svg and 'lang="ar"' in arabic.svg
