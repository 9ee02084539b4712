"""A programme's page shows what its author entered, as readers read it: the SDG targets entered were
saved and never shown, and the working languages were codes ("en, fr") on every page, Arabic too."""

from __future__ import annotations

from fastapi.testclient import TestClient
from lxml import html
from sqlalchemy.orm import Session

from pux.web.middleware import LANGUAGE_COOKIE
from tests.world import World, published_programme


def _fact(client: TestClient, programme_id: int, label: str) -> str:
    page = html.fromstring(client.get(f"/programmes/{programme_id}").text)
    (value,) = page.xpath(f"//dl[@class='facts']/dt[normalize-space()='{label}']/following-sibling::dd[1]")
    return " ".join(value.text_content().split())


def test_the_programme_page_shows_its_sdg_targets_and_languages_by_name(
    client: TestClient, session: Session, world: World
) -> None:
    programme_id = published_programme(
        session, world, sdg_target_codes=["3.4", "3.8"], working_languages=["en", "fr"]
    )
    session.flush()
    targets = _fact(client, programme_id, "SDG targets")
    assert targets.startswith("3.4 ") and "; 3.8 " in targets
    assert _fact(client, programme_id, "Working languages") == "English, Français"
    client.cookies.set(LANGUAGE_COOKIE, "ar")
    assert _fact(client, programme_id, "لغات العمل") == "English، Français"
