"""The value axis of bar and time charts writes amounts in the reader's language, short ("10 M"), never
as plain figures under a "1e7" multiplier."""

from __future__ import annotations

import pytest

from pux.charts.plots import bar_chart, stacked_bar_chart
from tests.charts.test_plots import texts

NBSP = "\u00a0"
TICKS = {
    "en": ["0", "5M", "10M"],
    "fr": ["0", f"5{NBSP}M", f"10{NBSP}M"],
    "ru": ["0", f"5{NBSP}млн", f"10{NBSP}млн"],
    "zh": ["0", "500万", "1000万"],
    "ar": ["0", f"5{NBSP}مليون", f"10{NBSP}مليون"],
}


@pytest.mark.parametrize("language", list(TICKS))
def test_bar_chart_axis_ticks_are_amounts_in_the_readers_language(language: str) -> None:
    chart = bar_chart(
        ["Kenya", "Ghana"], [12_400_000.0, 3_100_000.0], title="Gap", value_label="Gap", unit="USD",
        source="PUX", year=2026, language=language,
    )  # fmt: skip
    drawn = [text.strip("\u202b\u202c") for text in texts(chart.svg)]
    assert not any("1e" in text for text in drawn), drawn
    assert set(TICKS[language]) <= set(drawn), drawn


def test_time_chart_axis_ticks_are_amounts_in_the_readers_language() -> None:
    chart = stacked_bar_chart(
        [2024, 2025],
        {"Health": [20_000_000.0, 30_000_000.0]},
        title="T",
        source="S",
        year=None,
        language="fr",
    )
    drawn = texts(chart.svg)
    assert not any("1e" in text for text in drawn), drawn
    assert f"20{NBSP}M" in drawn and f"30{NBSP}M" in drawn, drawn


@pytest.mark.parametrize(("language", "six_tenths"), [("en", "0.6"), ("fr", "0,6")])
def test_small_ticks_are_written_rounded(language: str, six_tenths: str) -> None:
    """An axis of shares (0 to 1) read "0.6000000000000001" at its fourth tick: figures under a thousand
    were left to Babel's compact form, which writes the float as it is."""
    chart = bar_chart(
        ["Chad", "Niger"], [0.8, 0.45], title="Share", value_label="Share", unit="",
        source="PUX", year=2026, language=language,
    )  # fmt: skip
    drawn = [text.strip("\u202b\u202c") for text in texts(chart.svg)]
    assert six_tenths in drawn, drawn
    assert not any("00000" in text for text in drawn), drawn
