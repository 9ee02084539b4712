"""In a real browser: a donor opens the unfunded-needs board on a phone, filters it, marks interest in a
need; the country's focal point finds the interest in the task inbox and on the need's page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from pux.audit.models import AuditEvent
from pux.gaps.models import NeedInterest
from tests.browser.walking import sign_in
from tests.world import World

pytestmark = pytest.mark.browser
NOTE = "Walk-through: we could fund the bunker design review"


@pytest.fixture
def remove_walk_interest(engine: Engine) -> Iterator[None]:
    """The live server commits for real; take the walk's mark of interest out again afterwards."""
    yield
    with Session(engine) as session, session.begin():
        ids = session.scalars(select(NeedInterest.id).where(NeedInterest.note == NOTE)).all()
        if ids:
            session.execute(
                delete(AuditEvent).where(
                    AuditEvent.entity_type == "need_interest", AuditEvent.entity_id.in_([str(i) for i in ids])
                )
            )
            session.execute(delete(NeedInterest).where(NeedInterest.id.in_(ids)))


def _fits_the_screen(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


@pytest.mark.usefixtures("remove_walk_interest")
def test_donor_marks_interest_and_the_focal_point_sees_it(
    live_server: str, browser: Any, world: World, artifacts_dir: Path
) -> None:
    need_id = world.needs["published_ken"]
    phone = browser.new_context(locale="en", viewport={"width": 390, "height": 844})
    donor = phone.new_page()
    sign_in(donor, live_server, world.emails["partner_a"])
    donor.goto(f"{live_server}/unfunded")
    donor.get_by_label("Thematic area").select_option("health")
    donor.get_by_label("Technique").select_option("radiotherapy")
    donor.get_by_label("Country group").select_option("LDC")
    donor.get_by_role("button", name="Filter").click()
    donor.wait_for_url("**/unfunded?**")
    # Kenya is not a least developed country: the filter leaves nothing, and says so.
    expect(donor.get_by_text("No unfunded needs match these filters.")).to_be_visible()
    donor.get_by_label("Country group").select_option("")
    donor.get_by_label("Cost up to").fill("1500000")
    donor.get_by_role("button", name="Filter").click()
    donor.wait_for_load_state()
    card = donor.locator(f"#need-{need_id}")
    expect(card).to_be_visible()
    assert "1,200,000 USD" in card.inner_text()
    assert _fits_the_screen(donor), "the board is wider than a 390 px phone"
    card.get_by_label("What you could offer (optional)").fill(NOTE)
    card.get_by_role("button", name="Mark interest").click()
    donor.wait_for_load_state()
    expect(donor.get_by_text("Your interest was recorded")).to_be_visible()
    expect(
        donor.locator(f"#need-{need_id}").get_by_text("Your organisation has marked interest.")
    ).to_be_visible()
    donor.screenshot(path=str(artifacts_dir / "gaps-walk-1-interest.png"), full_page=True)
    phone.close()

    desk = browser.new_context(locale="en", viewport={"width": 1200, "height": 1000})
    focal = desk.new_page()
    sign_in(focal, live_server, world.emails["focal_ken"])
    focal.goto(f"{live_server}/me")
    interests = focal.locator("section[aria-labelledby=interests-heading]")
    expect(interests).to_contain_text("Test Donor Agency A")
    expect(interests).to_contain_text(NOTE)
    interests.get_by_role("link").first.click()
    focal.wait_for_load_state()
    section = focal.locator("#interests")
    expect(section).to_contain_text("Test Donor Agency A")
    section.get_by_role("button", name="Acknowledge").click()
    focal.wait_for_load_state()
    expect(focal.locator("#interests")).to_contain_text("acknowledged")
    focal.goto(f"{live_server}/me")
    assert focal.locator("section[aria-labelledby=interests-heading]").count() == 0
    focal.screenshot(path=str(artifacts_dir / "gaps-walk-2-focal-point.png"), full_page=True)
    desk.close()
