"""On a 360 px phone, in every language, pages fit the screen: nothing scrolls sideways."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "fr", "es", "ar", "zh", "ru"]
PAGES = ["/", "/events", "/needs", "/gaps", "/techniques", "/countries", "/countries/KEN"]


def _phone(browser: Any, base: str, language: str, width: int = 360) -> Any:
    context = browser.new_context(locale=language, viewport={"width": width, "height": 800})
    context.add_cookies([{"name": "pux_lang", "value": language, "url": base}])
    return context


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_scrolls_sideways_at_360_px(live_server: str, browser: Any, language: str) -> None:
    context = _phone(browser, live_server, language)
    page = context.new_page()
    too_wide = {}
    for path in PAGES:
        page.goto(f"{live_server}{path}")
        assert page.locator("html").get_attribute("lang") == language
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            too_wide[path] = width
        # The header's search button is wholly on the screen.
        button = page.locator("form.site-search button").bounding_box()
        assert button is not None, path
        assert 0 <= button["x"] and button["x"] + button["width"] <= 360, (path, button)
    context.close()
    assert too_wide == {}, f"wider than a 360 px phone in {language}: {too_wide}"


CAPTIONS = """() => [...document.querySelectorAll('main table caption')]
  .filter((caption) => caption.getClientRects().length && caption.innerText.trim())
  .map((caption) => [caption.innerText.slice(0, 40), caption.getBoundingClientRect().width,
                     caption.closest('table').getBoundingClientRect().width])"""

# Every word of every visible column heading: on one line (a word split over two lines has two boxes).
SPLIT_WORDS = """() => {
  const split = [];
  for (const th of document.querySelectorAll('main table thead th')) {
    if (!th.getClientRects().length) continue;
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const boxes = [...range.getClientRects()].filter((r) => r.width > 0);
        const lines = new Set(boxes.map((r) => Math.round(r.top)));
        if (lines.size > 1) split.push(match[0]);
      }
    }
  }
  return split;
}"""


@pytest.mark.parametrize("language", ["en", "ar", "ru"])
def test_table_captions_span_the_table_on_a_phone(live_server: str, browser: Any, language: str) -> None:
    context = _phone(browser, live_server, language, width=390)
    page = context.new_page()
    page.goto(f"{live_server}/gaps")
    captions = page.evaluate(CAPTIONS)
    context.close()
    assert captions, "the gaps page shows a table caption"
    narrow = [caption for caption in captions if caption[1] < caption[2] - 1]
    assert narrow == [], f"captions narrower than their tables: {narrow}"


@pytest.mark.parametrize("language", ["en", "fr", "ar", "ru", "zh", "es"])
def test_column_headings_keep_their_words_whole_on_a_phone(
    live_server: str, browser: Any, language: str
) -> None:
    context = _phone(browser, live_server, language, width=390)
    page = context.new_page()
    page.goto(f"{live_server}/countries/KEN")
    split = page.evaluate(SPLIT_WORDS)
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert split == [], f"words split inside column headings: {split}"
    assert width <= 390  # the table scrolls in its own box, not the page


# The rendered size of the smallest word in each chart of the page (the labels, figures and source).
CHART_TEXT = """() => [...document.querySelectorAll('main figure svg.chart')].map((svg) => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const sizes = [...svg.querySelectorAll('text')]
    .map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
  return Math.min(...sizes);
})"""


@pytest.mark.parametrize("path", ["/gaps/ranking", "/gaps"])
def test_charts_stay_readable_on_a_phone_and_scroll_in_their_own_box(
    live_server: str, browser: Any, path: str
) -> None:
    context = _phone(browser, live_server, "ar", width=390)
    page = context.new_page()
    page.goto(f"{live_server}{path}")
    smallest = page.evaluate(CHART_TEXT)
    page_width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert smallest, f"no chart drawn on {path}"
    # Shrunk to the phone's width the words were 4-6 px high; the chart keeps a readable size instead ...
    assert min(smallest) >= 7, smallest
    # ... and scrolls inside its figure, not the page.
    assert page_width <= 390


# Per chart box: whether it scrolls sideways, and whether the line saying so is shown.
CHART_BOXES = """() => [...document.querySelectorAll('main .chart-picture')].map((box) => {
  const hint = box.parentElement.querySelector('.scroll-hint');
  return {scrolls: box.scrollWidth > box.clientWidth + 1,
          hinted: hint !== null && hint.getClientRects().length > 0 && hint.innerText.trim() !== '',
          shaded: getComputedStyle(box).backgroundImage.includes('gradient')};
})"""


@pytest.mark.parametrize(("width", "language"), [(390, "en"), (390, "ar"), (600, "en"), (1280, "en")])
def test_a_chart_that_scrolls_sideways_says_so(
    live_server: str, browser: Any, width: int, language: str
) -> None:
    context = _phone(browser, live_server, language, width=width)
    page = context.new_page()
    page.goto(f"{live_server}/gaps/ranking")
    boxes = page.evaluate(CHART_BOXES)
    context.close()
    assert boxes, "no chart on /gaps/ranking"
    for box in boxes:
        # A reader is told (and the edges shade) exactly when part of the chart lies off the screen.
        assert box["hinted"] == box["scrolls"], box
        assert box["shaded"] == box["scrolls"], box
    assert any(box["scrolls"] for box in boxes) == (width < 576)
