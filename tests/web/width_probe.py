"""Measure pages in Debian's Chromium on a narrow screen (run in its own process by the crawl test).

Reads a JSON job from stdin: {"base_url", "width", "groups": [{"label", "cookies": {name: value},
"paths": [...]}]} and writes one JSON line per page: {"label", "path", "status", "scroll", "inner"}.
Its own process, so it never meets another Playwright instance of the test session.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from playwright.sync_api import sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

MEASURE = "[document.documentElement.scrollWidth, window.innerWidth]"


def main() -> None:
    job: dict[str, Any] = json.load(sys.stdin)
    base_url, width = job["base_url"], int(job["width"])
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for group in job["groups"]:
            # The pages work without JavaScript; measuring them without it keeps the probe quick.
            context = browser.new_context(viewport={"width": width, "height": 844}, java_script_enabled=False)
            context.add_cookies(
                [{"name": name, "value": value, "url": base_url} for name, value in group["cookies"].items()]
            )
            page = context.new_page()
            for path in group["paths"]:
                response = page.goto(base_url + path, wait_until="load")
                scroll, inner = page.evaluate(MEASURE)
                row = {
                    "label": group["label"],
                    "path": path,
                    "status": response.status if response else 0,
                    "scroll": scroll,
                    "inner": inner,
                }
                print(json.dumps(row), flush=True)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
