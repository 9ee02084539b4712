"""A minister's adviser (not signed in) finds Kenya, switches the site to French, opens the country brief and
downloads its PDF: the file is a PDF, in French, of Kenya. Screenshots go to test-artifacts/briefs/."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pypdf
import pytest
from playwright.sync_api import expect

from tests.browser.walking import switch_language

pytestmark = pytest.mark.browser


def test_an_adviser_downloads_the_brief_of_kenya_in_french(
    live_server: str, browser: Any, artifacts_dir: Path, tmp_path: Path
) -> None:
    folder = artifacts_dir / "briefs"
    folder.mkdir(exist_ok=True)
    context = browser.new_context(accept_downloads=True, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server}/countries?q=kenya")
    page.locator("#country-results").get_by_role("link", name="Kenya").first.click()
    page.wait_for_url(f"{live_server}/countries/KEN")
    switch_language(page, "Français")
    page.locator('a[href="/countries/KEN/brief"]').click()
    page.wait_for_url(f"{live_server}/countries/KEN/brief")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1#brief-title")).to_have_text("Kenya")
    # The page fits a phone: nothing wider than the screen but the tables, which scroll in their own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    page.screenshot(path=str(folder / "walk-adviser-brief-390-fr.png"), full_page=True)
    with page.expect_download() as waiting:
        page.locator('.brief-actions a[href="/countries/KEN/brief.pdf"]').click()
    download = waiting.value
    assert download.suggested_filename.startswith("pux-country-brief-KEN-fr-")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    content = saved.read_bytes()
    assert content.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(content))
    catalogue: Any = reader.trailer["/Root"]
    assert str(catalogue["/Lang"]) == "fr"
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Kenya" in text and "Région" in text  # the facts are labelled in French
    context.close()
