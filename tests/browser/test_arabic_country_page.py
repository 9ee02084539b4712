"""A real Chromium (Debian's) opens the Kenya page in Arabic through a real server."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from pux.config import Settings
from pux.web.app import create_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def live_server(database_url: str) -> Iterator[str]:
    port = _free_port()
    config = uvicorn.Config(
        create_app(Settings(database_url=database_url)), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.skip("Debian chromium is not installed (CI installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_kenya_in_arabic_is_right_to_left(live_server: str, browser: object, artifacts_dir: Path) -> None:
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
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
