"""In a real browser, with more organisations than a list can offer: a reader types part of a provider's
name in the activities filter, is offered the names that fit, picks one and sees that provider's activities
only; a facilitator records an activity naming its provider in the form's box, is told when the name is
no organisation's, and records it; in English on a desktop and in Arabic on a phone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from pux.accounts.models import Organisation
from pux.assistance.models import AssistanceActivity
from pux.audit.models import AuditEvent
from pux.web.templating import ORGANISATION_SELECT_LIMIT
from tests.browser.walking import sign_in, switch_language
from tests.world import World

pytestmark = pytest.mark.browser
PREFIX = "Walk Chooser Institute"
WALK_TITLE = "Walk chooser activity"


@pytest.fixture
def many_organisations(engine: Engine) -> Iterator[None]:
    """More organisations than the filter lists, committed for the live server and taken out again."""
    with Session(engine) as session, session.begin():
        session.add_all(
            Organisation(name=f"{PREFIX} {number:03d}", organisation_type="university_research")
            for number in range(ORGANISATION_SELECT_LIMIT)
        )
    yield
    with Session(engine) as session, session.begin():
        session.execute(delete(Organisation).where(Organisation.name.startswith(PREFIX)))


def _pick(page: Any, field: str, typed: str, name: str) -> None:
    box = page.locator(f"#f-{field}")
    box.press_sequentially(typed, delay=30)
    # The suggestions arrive as the person types (the datalist the browser shows under the box).
    expect(page.locator(f'#f-{field}-choices option[value="{name}"]')).to_have_count(1)
    box.fill(name)


@pytest.mark.usefixtures("many_organisations")
@pytest.mark.parametrize(("language", "width"), [("en", 1280), ("ar", 390)])
def test_a_reader_finds_a_providers_activities_by_typing_its_name(
    live_server: str, browser: Any, artifacts_dir: Path, language: str, width: int
) -> None:
    context = browser.new_context(locale="en", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server}/activities")
    if language == "ar":
        switch_language(page, "العربية")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("select#f-provider")).to_have_count(0)  # too many to list
    _pick(page, "provider", "donor agen", "Test Donor Agency A")
    page.locator("#f-provider").press("Enter")
    page.wait_for_url("**/activities?**provider=Test+Donor+Agency+A**")
    providers = page.locator("td[data-label]").filter(has_text="Test ")
    expect(providers.first).to_be_visible()
    assert set(page.locator("tbody tr td:nth-child(2)").all_inner_texts()) == {"Test Donor Agency A"}
    expect(page.locator("#f-provider")).to_have_value("Test Donor Agency A")  # the choice stays shown
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(artifacts_dir / f"chooser-walk-{language}-{width}.png"), full_page=True)
    # A name nobody has lists nothing and says so, instead of failing.
    page.locator("#f-provider").fill("no such provider anywhere")
    page.locator("#f-provider").press("Enter")
    page.wait_for_url("**provider=no+such+provider+anywhere**")
    expect(page.locator("tbody tr td[colspan]")).to_have_count(1)
    expect(page.locator("tbody tr td[data-label]")).to_have_count(0)
    context.close()


@pytest.fixture
def remove_walk_activities(engine: Engine) -> Iterator[None]:
    """The live server commits the walk's activities (and their audit records): take them out again."""
    yield
    with Session(engine) as session, session.begin():
        ids = [
            str(i)
            for i in session.scalars(
                select(AssistanceActivity.id).where(AssistanceActivity.title.startswith(WALK_TITLE))
            )
        ]
        session.execute(
            delete(AuditEvent).where(
                AuditEvent.entity_type == "assistance_activity", AuditEvent.entity_id.in_(ids)
            )
        )
        session.execute(delete(AssistanceActivity).where(AssistanceActivity.title.startswith(WALK_TITLE)))


@pytest.mark.usefixtures("many_organisations", "remove_walk_activities")
@pytest.mark.parametrize(("language", "width"), [("en", 1280), ("ar", 390)])
def test_a_facilitator_records_an_activity_naming_its_provider(
    live_server: str, browser: Any, artifacts_dir: Path, world: World, language: str, width: int
) -> None:
    title = f"{WALK_TITLE} {language}"
    context = browser.new_context(locale="en", viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, world.emails["facilitator"])
    if language == "ar":
        switch_language(page, "العربية")
    page.goto(f"{live_server}/activities/new")
    page.locator("#f-title").fill(title)
    page.locator("#f-recipient_country_iso3").select_option("KEN")
    page.locator("#f-provider_organisation_id").fill("Test Cooperation")  # part of a name only
    page.locator("form.form button[type=submit]").click()
    box = page.locator("#f-provider_organisation_id")
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_have_value("Test Cooperation")  # what was typed is kept
    expect(page.locator("#f-title")).to_have_value(title)  # and so is the rest of the form
    expect(page.locator("p.field-error")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(artifacts_dir / f"chooser-form-refused-{language}-{width}.png"), full_page=True)
    box.fill("")
    _pick(page, "provider_organisation_id", "cooperation ag", "Test Cooperation Agency B")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url("**/activities/*")
    expect(page.get_by_text("Test Cooperation Agency B").first).to_be_visible()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    page.screenshot(path=str(artifacts_dir / f"chooser-form-recorded-{language}-{width}.png"), full_page=True)
    context.close()
