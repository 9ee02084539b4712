"""On a 360 px phone, in every language, pages fit the screen: nothing scrolls sideways."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "fr", "es", "ar", "zh", "ru"]
PAGES = ["/", "/events", "/needs", "/gaps", "/techniques", "/countries/KEN"]


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
