"""In a real browser: Enter in a one-line box of a form with the SDG field does the form's main action (it
pressed "Suggest SDGs", the form's first submit button, and nothing was saved), and the button that makes it
so is met neither by the Tab key nor by a screen reader."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tests.browser.walking import sign_in
from tests.committed import remove_needs_titled
from tests.world import World

pytestmark = pytest.mark.browser
TITLE = "Enter key: gamma camera for the Kisumu referral hospital"


@pytest.fixture
def remove_entered_need(engine: Engine) -> Iterator[None]:
    """The live server commits for real: take the need saved by Enter out again."""
    yield
    with Session(engine) as session, session.begin():
        remove_needs_titled(session, TITLE)


@pytest.mark.usefixtures("remove_entered_need")
@pytest.mark.parametrize("language", ["en", "ar"])
def test_enter_in_the_title_saves_the_draft(
    live_server: str, browser: Any, world: World, language: str
) -> None:
    context = browser.new_context(locale="en", viewport={"width": 390, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, world.emails["focal_ken"])  # in English, then in the language of the test
    context.add_cookies([{"name": "pux_lang", "value": language, "url": live_server}])
    page.goto(f"{live_server}/needs/new")
    page.wait_for_load_state("networkidle")  # htmx loaded: the suggestion button would be taken over by it
    page.locator("#f-thematic_area_code").select_option("health")
    title = page.locator("#f-title")
    title.fill(TITLE)
    title.press("Enter")
    page.wait_for_url(re.compile(r"/needs/\d+$"))
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator(".flash")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", language)
    context.close()


def test_the_enter_button_is_out_of_the_tab_order_and_hidden_from_screen_readers(
    live_server: str, browser: Any, world: World
) -> None:
    context = browser.new_context(locale="en", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, world.emails["focal_ken"])
    page.goto(f"{live_server}/needs/new")
    buttons = page.locator("form.form").get_by_role("button")
    # What a screen reader meets in the form: the suggestion button and the main one, nothing else.
    assert buttons.all_inner_texts() == ["Suggest SDGs", "Save draft"]
    page.locator("#f-sdg_target_codes").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "suggest_sdgs"
    context.close()


def test_enter_in_the_programme_title_saves_rather_than_suggests(
    live_server: str, browser: Any, world: World
) -> None:
    """The programme form includes the same SDG field: Enter sends the form as Save does (stopped on its way,
    so nothing is kept)."""
    context = browser.new_context(locale="en", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, world.emails["partner_a"])
    page.goto(f"{live_server}/programmes/new")
    page.wait_for_load_state("networkidle")
    page.locator("#f-modality").select_option(index=1)
    sent: list[Any] = []

    def stop(route: Any) -> None:
        sent.append(route.request)
        route.abort()

    page.route("**/programmes", stop)
    page.route("**/sdg/suggest-form", stop)
    title = page.locator("#f-title")
    title.fill("Enter key: fellowships in medical physics")
    title.press("Enter")
    for _ in range(50):
        if sent:
            break
        page.wait_for_timeout(100)
    assert sent, "Enter sent nothing"
    request = sent[0]
    assert request.method == "POST" and request.url.endswith("/programmes")
    assert "suggest_sdgs" not in (request.post_data or "")
    context.close()
