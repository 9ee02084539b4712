"""Text typed into a one-line box takes its own direction: an English title typed on an Arabic page reads
left to right and shows its beginning, as in the multi-line boxes."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_english_typed_on_an_arabic_page_reads_left_to_right(live_server: str, browser: Any) -> None:
    context = browser.new_context(locale="ar", viewport={"width": 390, "height": 800})
    context.add_cookies([{"name": "pux_lang", "value": "ar", "url": live_server}])
    page = context.new_page()
    page.goto(f"{live_server}/needs")
    assert page.locator("html").get_attribute("dir") == "rtl"
    box = page.locator("main input#f-q")
    box.fill("Radiotherapy services for the western region of Kenya")
    assert box.evaluate("(input) => input.matches(':dir(ltr)')")
    box.fill("خدمات العلاج الإشعاعي")
    assert box.evaluate("(input) => input.matches(':dir(rtl)')")
    context.close()
