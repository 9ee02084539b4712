"""What every chart returns: the picture and the same figures as a table (for screen readers)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from babel.numbers import format_compact_decimal

from pux.i18n import BABEL_LOCALES, decimal_text, get_language


@dataclass(frozen=True)
class ChartTable:
    """The figures of one chart: one row per category (or country), one column per series (or period).

    ``values[r][c]`` is the figure of row ``r`` in column ``c``; ``None`` is missing data (shown as "no data",
    never as zero)."""

    title: str
    row_heading: str  # what the rows are ("Country", "Thematic area", "Year")
    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    values: tuple[tuple[float | None, ...], ...]
    source: str
    year: str | None
    unit: str = ""

    def cell(self, row: int, column: int) -> float | None:
        return self.values[row][column]


@dataclass(frozen=True)
class Chart:
    """An SVG picture and its table."""

    svg: str
    table: ChartTable

    def with_id_prefix(self, prefix: str) -> Chart:
        """The same chart whose SVG ids (and the references to them) begin with ``prefix``: matplotlib
        names every drawing's parts alike ("figure_1", "patch_1"), so a second chart on a page repeated
        the first one's ids, and a reference inside it could draw the other chart's part."""
        return Chart(svg=_SVG_ID.sub(lambda found: _prefixed(found, prefix), self.svg), table=self.table)


# An id, or a reference to one, in matplotlib's SVG: id="x", href="#x", xlink:href="#x" and url(#x).
_SVG_ID = re.compile(r'(\bid="|href="#|url\(#)([^"\)]+)')


def _prefixed(found: re.Match[str], prefix: str) -> str:
    return f"{found.group(1)}{prefix}{found.group(2)}"


def is_missing(value: float | None) -> bool:
    """None, NaN or an infinite figure: none of them can be shown or coloured as a number."""
    return value is None or not math.isfinite(value)


def format_number(value: float | None, *, language: str | None = None, missing: str = "") -> str:
    """A figure in the reader's language: at most two decimals below 100, whole numbers above."""
    if is_missing(value):
        return missing
    assert value is not None
    pattern = "#,##0.##" if abs(value) < 100 else "#,##0"
    return decimal_text(value, pattern, language)


# From this figure on, axes write numbers short ("1.5K"); below it, as they are.
COMPACT_FROM = 1000


def compact_number(value: float, *, language: str | None = None) -> str:
    """A figure of an axis, short, in the reader's language: "10M" in English, "10 M" in French, "10 млн" in
    Russian, "1000万" in Chinese, "10 مليون" in Arabic (never a "1e7" multiplier beside the axis)."""
    language = language or get_language()
    if abs(value) < COMPACT_FROM:
        # Below a thousand Babel writes the float as it is: a tick at 3 x 0.2 read "0.6000000000000001".
        return decimal_text(round(value, 2), "#,##0.##", language)
    return str(format_compact_decimal(value, locale=BABEL_LOCALES.get(language, language), fraction_digits=2))


# Right-to-left embedding and its end (Unicode bidi controls). Charts fix their own base direction to
# left-to-right, so that positions and anchors mean the same in a browser, in WeasyPrint and inside a
# right-to-left page; Arabic text is then laid out right to left by this embedding, which every text renderer
# applies, whether or not it reads SVG's ``direction``.
RIGHT_TO_LEFT_EMBEDDING = "\u202b"
POP_DIRECTIONAL_FORMATTING = "\u202c"


def embed_right_to_left(text: str) -> str:
    return f"{RIGHT_TO_LEFT_EMBEDDING}{text}{POP_DIRECTIONAL_FORMATTING}"


def year_text(year: str | int | None) -> str | None:
    return None if year is None or year == "" else str(year)
