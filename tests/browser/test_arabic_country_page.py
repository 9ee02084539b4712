"""A real Chromium (Debian's) opens the Kenya page in Arabic through a real server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_kenya_in_arabic_is_right_to_left(live_server: str, browser: Any, artifacts_dir: Path) -> None:
    context = browser.new_context(
        locale="ar", extra_http_headers={"Accept-Language": "ar"}, viewport={"width": 1200, "height": 900}
    )
    page = context.new_page()
    page.goto(f"{live_server}/countries/KEN")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("h1").inner_text() == "كينيا"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # In right-to-left layout the heading starts at the right edge of the page.
    heading = page.locator("h1").bounding_box()
    assert heading is not None and heading["x"] + heading["width"] > 1200 * 0.5
    page.screenshot(path=str(artifacts_dir / "kenya-ar.png"), full_page=True)
    # Switching language with the visible switcher keeps the person on the same page.
    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"{live_server}/countries/KEN")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("h1").inner_text() == "Kenya"
    context.close()
