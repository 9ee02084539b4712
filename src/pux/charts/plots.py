"""Bar, stacked-bar and line charts: matplotlib drawn to SVG, each with its table.

The SVG is deterministic (a fixed hash salt for its ids, no date in its metadata), so the same figures give
the same bytes and a cached brief stays valid. Text stays text (``svg.fonttype = none``): the browser or
WeasyPrint shapes Arabic and Chinese with the Noto fonts named in the SVG, and screen readers and searches see
the words; ``text_mode="paths"`` draws the text as outlines instead, for WeasyPrint PDFs (see
``pux.charts.text``). Missing figures are left out of the drawing and written "no data" beside their place,
never drawn as zero.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Mapping, Sequence
from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr

from pux.charts.scales import SERIES_COLOURS
from pux.charts.tables import (
    Chart,
    ChartTable,
    compact_number,
    embed_right_to_left,
    format_number,
    is_missing,
    year_text,
)
from pux.charts.text import TextMode, installed_fonts
from pux.i18n import get_language, language_context, text_direction
from pux.i18n import gettext as _

# matplotlib keeps global state (its font cache, its settings): one chart is drawn at a time.
_DRAWING = threading.Lock()
# Drawing one chart costs matplotlib 0.3-1 s; the same table in the same language gives the same bytes, so
# the SVG of the most recent tables is kept (pages show the same charts to everyone until the data change,
# which makes another table). About 100 KB a chart.
CHARTS_KEPT = 128
SOURCE_FONT_SIZE = 8
# matplotlib writes each label as one <text> element with plain content (no tspans when text stays text).
_TEXT_CONTENT = re.compile(r"(<text\b[^>]*>)([^<]+)(</text>)")


@lru_cache(maxsize=1)
def _configured() -> bool:
    """matplotlib set up once for PUX: no display, deterministic SVG, text kept as text, no maths markup."""
    import matplotlib

    matplotlib.use("svg", force=False)
    matplotlib.rcParams.update(
        {
            "svg.hashsalt": "pux",
            "svg.fonttype": "none",
            "font.family": list(installed_fonts()),
            "font.size": 10,
            "text.parse_math": False,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return True


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    title: str,
    value_label: str,
    source: str,
    year: str | int | None,
    unit: str = "",
    row_heading: str = "",
    language: str | None = None,
    text_mode: TextMode = "text",
) -> Chart:
    """Horizontal bars, one per label, in the order given (sort before calling); a missing figure is written
    "no data" where its bar would be. Mirrored in Arabic (labels on the right, bars growing leftwards)."""
    language = language or get_language()
    if len(labels) != len(values):
        raise ValueError("bar_chart: labels and values differ in length")
    with language_context(language):
        table = ChartTable(
            title=title,
            row_heading=row_heading or _("Category"),
            row_labels=tuple(labels),
            column_labels=(value_label,),
            values=tuple((None if is_missing(v) else v,) for v in values),
            source=source,
            year=year_text(year),
            unit=unit,
        )
        svg = _drawn_bars(table, language, text_mode)
    return Chart(svg=svg, table=table)


def stacked_bar_chart(
    periods: Sequence[str | int],
    series: Mapping[str, Sequence[float | None]],
    *,
    title: str,
    source: str,
    year: str | int | None,
    unit: str = "",
    row_heading: str = "",
    language: str | None = None,
    text_mode: TextMode = "text",
) -> Chart:
    """Vertical bars over ``periods``, each stacked from ``series`` (name -> one figure per period)."""
    return _time_chart(
        periods, series, title=title, source=source, year=year, unit=unit, row_heading=row_heading,
        language=language, stacked=True, text_mode=text_mode,
    )  # fmt: skip


def line_chart(
    periods: Sequence[str | int],
    series: Mapping[str, Sequence[float | None]],
    *,
    title: str,
    source: str,
    year: str | int | None,
    unit: str = "",
    row_heading: str = "",
    language: str | None = None,
    text_mode: TextMode = "text",
) -> Chart:
    """One line per series over ``periods``; a missing figure breaks the line (nothing is interpolated)."""
    return _time_chart(
        periods, series, title=title, source=source, year=year, unit=unit, row_heading=row_heading,
        language=language, stacked=False, text_mode=text_mode,
    )  # fmt: skip


def _time_chart(
    periods: Sequence[str | int],
    series: Mapping[str, Sequence[float | None]],
    *,
    title: str,
    source: str,
    year: str | int | None,
    unit: str,
    row_heading: str,
    language: str | None,
    stacked: bool,
    text_mode: TextMode,
) -> Chart:
    language = language or get_language()
    for name, figures in series.items():
        if len(figures) != len(periods):
            raise ValueError(f"chart series {name!r} has {len(figures)} figures for {len(periods)} periods")
    with language_context(language):
        names = tuple(series)
        table = ChartTable(
            title=title,
            row_heading=row_heading or _("Period"),
            row_labels=tuple(str(period) for period in periods),
            column_labels=names,
            values=tuple(
                tuple(None if is_missing(series[name][index]) else series[name][index] for name in names)
                for index in range(len(periods))
            ),
            source=source,
            year=year_text(year),
            unit=unit,
        )
        svg = _drawn_over_time(table, language, stacked, text_mode)
    return Chart(svg=svg, table=table)


def source_line(table: ChartTable) -> str:
    if table.year:
        return _("Source: {source} ({year}).").format(source=table.source, year=table.year)
    return _("Source: {source}.").format(source=table.source)


def _wrapped(text: str, size: float, width_points: float) -> list[str]:
    """``text`` broken between words into lines no wider than ``width_points`` when set at ``size`` (a long
    source line ran off the chart's edge, cut, in Russian and French)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if _text_width(candidate, size) <= width_points:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
        # Chinese writes no spaces: a "word" wider than the line is broken between characters.
        while _text_width(line, size) > width_points and len(line) > 1:
            cut = _longest_fitting(line, size, width_points)
            lines.append(line[:cut])
            line = line[cut:]
    return [*lines, line] if line else lines


def _longest_fitting(text: str, size: float, width_points: float) -> int:
    """How many of ``text``'s first characters fit in ``width_points`` (at least one)."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if _text_width(text[:middle], size) <= width_points:
            low = middle
        else:
            high = middle - 1
    return low


def _text_width(text: str, size: float) -> float:
    """The width of ``text`` in points, set in the charts' fonts at ``size`` (no drawing needed)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    properties = FontProperties(family=list(installed_fonts()), size=size)
    width, _height, _descent = TextToPath().get_text_width_height_descent(text, properties, ismath=False)
    return float(width)


def _axis_label(table: ChartTable, label: str) -> str:
    return f"{label} ({table.unit})" if table.unit else label


@lru_cache(maxsize=CHARTS_KEPT)
def _drawn_bars(table: ChartTable, language: str, text_mode: TextMode) -> str:
    return _draw_bars(table, language, text_mode)


@lru_cache(maxsize=CHARTS_KEPT)
def _drawn_over_time(table: ChartTable, language: str, stacked: bool, text_mode: TextMode) -> str:
    return _draw_over_time(table, language, stacked=stacked, text_mode=text_mode)


def _draw_bars(table: ChartTable, language: str, text_mode: TextMode) -> str:
    _configured()
    from matplotlib.figure import Figure

    rtl = text_direction(language) == "rtl"
    count = max(len(table.row_labels), 1)
    with _DRAWING:
        figure = Figure(figsize=(7.5, 1.7 + 0.34 * count))
        axes = figure.add_subplot()
        positions = list(range(len(table.row_labels)))
        figures = [row[0] for row in table.values]
        drawn = [value if value is not None else 0.0 for value in figures]
        bars = axes.barh(positions, drawn, color=SERIES_COLOURS[0], height=0.7)
        for bar, value in zip(bars, figures, strict=True):
            if value is None:
                bar.set_visible(False)
        axes.set_yticks(positions, labels=list(table.row_labels))
        axes.invert_yaxis()  # the first label on top
        axes.set_xlabel(_axis_label(table, table.column_labels[0]))
        largest = max((abs(v) for v in figures if v is not None), default=1.0) or 1.0
        for position, value in zip(positions, figures, strict=True):
            text = _("no data") if value is None else format_number(value, language=language)
            axes.text(
                (value or 0.0) + largest * 0.01,
                position,
                text,
                va="center",
                ha="right" if rtl else "left",
                fontsize=9,
                color="#555555" if value is None else "#222222",
                fontstyle="italic" if value is None else "normal",
            )
        axes.set_xlim(0, largest * 1.18)
        _amounts_on(axes.xaxis, language)
        if rtl:
            axes.invert_xaxis()
            axes.yaxis.tick_right()
            axes.spines["left"].set_visible(False)
            axes.spines["right"].set_visible(True)
        return _finish(figure, table, language, text_mode)


def _draw_over_time(table: ChartTable, language: str, *, stacked: bool, text_mode: TextMode) -> str:
    _configured()
    from matplotlib.figure import Figure

    with _DRAWING:
        figure = Figure(figsize=(7.5, 4.2))
        axes = figure.add_subplot()
        positions = list(range(len(table.row_labels)))
        bottoms = [0.0] * len(positions)
        for column, name in enumerate(table.column_labels):
            colour = SERIES_COLOURS[column % len(SERIES_COLOURS)]
            figures = [row[column] for row in table.values]
            if stacked:
                heights = [value if value is not None else 0.0 for value in figures]
                bars = axes.bar(positions, heights, bottom=bottoms, color=colour, label=name, width=0.7)
                for bar, value in zip(bars, figures, strict=True):
                    bar.set_visible(value is not None)
                bottoms = [bottom + height for bottom, height in zip(bottoms, heights, strict=True)]
            else:
                # NaN breaks the line where a figure is missing.
                axes.plot(
                    positions,
                    [float("nan") if value is None else value for value in figures],
                    marker="o",
                    color=colour,
                    label=name,
                )
        top = (
            max(bottoms)
            if stacked
            else max((v for row in table.values for v in row if v is not None), default=0)
        )
        for position, row in zip(positions, table.values, strict=True):
            if all(value is None for value in row):
                axes.text(position, (top or 1.0) * 0.02, _("no data"), ha="center", fontsize=8, rotation=90)
        axes.set_xticks(positions, labels=list(table.row_labels))
        if table.unit:
            axes.set_ylabel(table.unit)
        if len(table.column_labels) > 1 or stacked:
            axes.legend(frameon=False, fontsize=9, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        axes.set_ylim(bottom=0)
        _amounts_on(axes.yaxis, language)
        return _finish(figure, table, language, text_mode)


def _amounts_on(axis: object, language: str) -> None:
    """The axis's ticks written as amounts in the reader's language, short ("10 M"), rather than matplotlib's
    plain figures under a "1e7" multiplier."""
    from matplotlib.axis import Axis
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    assert isinstance(axis, Axis)
    # At most seven ticks: the words of the shortened amounts ("2,5 млн") need more room than plain figures.
    axis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    axis.set_major_formatter(FuncFormatter(lambda value, _position: compact_number(value, language=language)))


def _finish(figure: object, table: ChartTable, language: str, text_mode: TextMode) -> str:
    """Title and source on the figure, then the SVG text without its XML prologue, ready to sit in a page."""
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    assert isinstance(figure, Figure)
    rtl = text_direction(language) == "rtl"
    figure.suptitle(
        table.title, x=0.98 if rtl else 0.02, ha="right" if rtl else "left", fontsize=12, weight="bold"
    )
    width_points = figure.get_figwidth() * 72 * (0.98 - 0.02)
    lines = _wrapped(source_line(table), SOURCE_FONT_SIZE, width_points)
    figure.text(
        0.98 if rtl else 0.02, 0.01, "\n".join(lines), ha="right" if rtl else "left", va="bottom",
        fontsize=SOURCE_FONT_SIZE, linespacing=1.3,
    )  # fmt: skip
    # The drawing stands above the source's lines, however many a long source takes.
    source_height = (len(lines) * SOURCE_FONT_SIZE * 1.3 + 6) / (figure.get_figheight() * 72)
    figure.tight_layout(rect=(0, max(0.05, source_height), 1, 0.97))
    buffer = io.StringIO()
    FigureCanvasSVG(figure)
    with matplotlib.rc_context({"svg.fonttype": "path" if text_mode == "paths" else "none"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "PUX"})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    if rtl and text_mode == "text":
        svg = _TEXT_CONTENT.sub(lambda m: m.group(1) + embed_right_to_left(m.group(2)) + m.group(3), svg)
    label = quoteattr(table.title)
    return svg.replace(
        "<svg ",
        f'<svg role="img" aria-label={label} class="chart" lang="{escape(language)}" direction="ltr" '
        'style="max-width:100%;height:auto" ',
        1,
    )
