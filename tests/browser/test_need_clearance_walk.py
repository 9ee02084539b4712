"""In a real browser: a counterpart drafts and submits a need, the focal point endorses and publishes it,
and the public finds it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tests.browser.walking import sign_in
from tests.committed import remove_needs_titled
from tests.world import World

pytestmark = pytest.mark.browser
TITLE = "Walk-through: mobile cervical cancer screening and brachytherapy referral"


@pytest.fixture
def remove_walk_need(engine: Engine) -> Iterator[None]:
    """The live server commits for real; take the walk's need out again so other tests see the usual world."""
    yield
    with Session(engine) as session, session.begin():
        remove_needs_titled(session, TITLE)


def _sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()


@pytest.mark.usefixtures("remove_walk_need")
def test_counterpart_drafts_focal_point_endorses_public_sees(
    live_server: str, browser: Any, world: World, artifacts_dir: Path
) -> None:
    context = browser.new_context(locale="en", viewport={"width": 1200, "height": 1000})
    page = context.new_page()
    sign_in(page, live_server, world.emails["counterpart_ken"])
    page.goto(f"{live_server}/needs/new")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Thematic area").select_option("health")
    page.get_by_label("Brachytherapy", exact=True).check()
    page.get_by_label("SDG targets (official codes, separated by commas)").fill("3.4, 5.6")
    page.get_by_label("Number of people who benefit").fill("25000")
    page.get_by_role("checkbox", name="Women and girls").check()
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(f"{live_server}/needs/*")
    need_url = page.url
    assert page.locator("h1").inner_text() == TITLE
    page.get_by_role("button", name="Submit for endorsement").click()
    page.wait_for_load_state()
    assert "Submitted" in page.locator(".status").first.inner_text()
    assert page.get_by_role("button", name="Endorse").count() == 0  # a counterpart cannot endorse
    page.screenshot(path=str(artifacts_dir / "walk-1-submitted.png"), full_page=True)
    _sign_out(page)

    sign_in(page, live_server, world.emails["focal_ken"])
    page.goto(need_url)
    page.get_by_role("button", name="Endorse").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    assert "Published" in page.locator(".status").first.inner_text()
    history = page.locator(".history")
    assert history.get_by_text("Published", exact=True).count() == 1  # the history shows the step
    page.screenshot(path=str(artifacts_dir / "walk-2-published.png"), full_page=True)
    _sign_out(page)
    context.close()

    public = browser.new_context(locale="en")
    visitor = public.new_page()
    visitor.goto(f"{live_server}/needs?q=cervical+cancer+screening")
    visitor.get_by_role("link", name=TITLE).click()
    assert visitor.locator("h1").inner_text() == TITLE
    assert visitor.get_by_role("button", name="Endorse").count() == 0
    public.close()
