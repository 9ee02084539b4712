"""The dialogue statistics chart drawn by a real Chromium inside a page of each direction: the group names
sit beside their bars on the reader's starting side, the totals just past the bars' ends, the legend's
words beside (not over) their squares."""

from __future__ import annotations

from typing import Any

import pytest

from pux.dialogues.statistics import events_chart_svg
from pux.i18n import language_context, text_direction
from tests.dialogues.test_statistics_chart import report

pytestmark = pytest.mark.browser

NAMES = {
    "ar": {"UGA": "أوغندا", "KEN": "كينيا", "BOL": "بوليفيا (دولة - المتعددة القوميات)"},
    "en": {"UGA": "Uganda", "KEN": "Kenya", "BOL": "Bolivia (Plurinational State of)"},
    "ru": {"UGA": "Уганда", "KEN": "Кения", "BOL": "Боливия (Многонациональное Государство)"},
}

BOXES = """() => {
  const box = (element) => { const r = element.getBoundingClientRect();
                             return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const svg = document.querySelector('svg');
  return {svg: box(svg), texts: [...svg.querySelectorAll(':scope > text')].map(box),
          rects: [...svg.querySelectorAll(':scope > rect')].map(box)};
}"""


@pytest.mark.parametrize("language", ["ar", "en", "ru"])
def test_labels_totals_and_legend_read_in_the_readers_direction(browser: Any, language: str) -> None:
    names = NAMES[language]
    figures = report(("UGA", 11, 11), ("KEN", 6, 11), ("BOL", 2, 4))
    with language_context(language):
        svg = events_chart_svg(figures, label=names.__getitem__)
        direction = text_direction()
    page = browser.new_page(viewport={"width": 1000, "height": 600})
    page.set_content(
        f'<html lang="{language}" dir="{direction}"><body><div style="width: 640px">{svg}</div></body></html>'
    )
    boxes = page.evaluate(BOXES)
    page.close()
    texts, rects, chart = boxes["texts"], boxes["rects"], boxes["svg"]
    rtl = direction == "rtl"
    for row in range(3):
        name, total = texts[2 * row], texts[2 * row + 1]
        bars = [r for r in rects if abs(r["top"] - name["top"]) < 12]
        assert len(bars) == 2, (row, bars)
        bars_left, bars_right = min(b["left"] for b in bars), max(b["right"] for b in bars)
        # The whole name is on the chart, on the starting side of its bars; the total just past their end.
        assert chart["left"] - 0.5 <= name["left"] and name["right"] <= chart["right"] + 0.5, (row, name)
        if rtl:
            assert name["left"] >= bars_right and total["right"] <= bars_left, (row, name, total, bars)
        else:
            assert name["right"] <= bars_left and total["left"] >= bars_right, (row, name, total, bars)
    legend_texts, squares = texts[6:], rects[-4:]
    for word, square in zip(legend_texts, squares, strict=True):
        if rtl:
            assert word["right"] <= square["left"], (word, square)
        else:
            assert word["left"] >= square["right"], (word, square)
    # No legend entry runs into the next one.
    entries = sorted(
        (min(w["left"], s["left"]), max(w["right"], s["right"]))
        for w, s in zip(legend_texts, squares, strict=True)
    )
    assert all(a[1] <= b[0] for a, b in zip(entries, entries[1:], strict=False)), entries
