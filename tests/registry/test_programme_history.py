"""A programme's history names every field and shows its values as people read them: the Arabic page showed
"eligible_countries: ['KEN', 'UGA'] ← —" (no label for the field, the Python list as it is)."""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient
from lxml import html
from sqlalchemy.orm import Session

from pux.i18n import language_context
from pux.programmes import service as programmes
from pux.programmes.schemas import ProgrammeUpdate
from pux.reference.models import Country
from pux.web.field_labels import field_label
from pux.web.middleware import LANGUAGE_COOKIE
from pux.web.templating import HIDDEN_IN_HISTORY
from tests.web_helpers import sign_in
from tests.world import World


def _edited(session: Session, world: World, **changes: object) -> int:
    partner = world.actors["partner_a"]
    programme_id = world.programmes["draft_a"]
    programme = programmes.get_programme(session, actor=partner, programme_id=programme_id)
    values = {name: getattr(programme, name) for name in ProgrammeUpdate.model_fields}
    programmes.update_programme(
        session,
        actor=partner,
        programme_id=programme_id,
        data=ProgrammeUpdate.model_validate({**values, **changes}),
    )
    session.flush()
    return programme_id


def _changes(client: TestClient, programme_id: int) -> list[str]:
    page = html.fromstring(client.get(f"/programmes/{programme_id}").text)
    return [" ".join(item.text_content().split()) for item in page.xpath("//ul[@class='changes']/li")]


def test_every_field_of_a_programmes_history_has_a_label(session: Session, world: World) -> None:
    programme = programmes.get_programme(
        session, actor=world.actors["partner_a"], programme_id=world.programmes["draft_a"]
    )
    unlabelled = [
        name for name in programme.snapshot() if name not in HIDDEN_IN_HISTORY and field_label(name) == name
    ]
    assert unlabelled == []


def test_the_arabic_history_names_the_countries(client: TestClient, session: Session, world: World) -> None:
    programme_id = _edited(session, world, eligible_country_codes=["KEN", "UGA"])
    names = {code: session.get(Country, code).name("ar") for code in ("KEN", "UGA")}  # type: ignore[union-attr]
    sign_in(client, world.emails["partner_a"])
    client.cookies.set(LANGUAGE_COOKIE, "ar")
    changes = _changes(client, programme_id)
    with language_context("ar"):
        label = field_label("eligible_countries")
    countries = [change for change in changes if change.startswith(f"{label}:")]
    assert len(countries) == 1, changes
    assert names["KEN"] in countries[0] and names["UGA"] in countries[0]
    assert not any("KEN" in change or "eligible_countries" in change or "[" in change for change in changes)


def test_amounts_flags_and_codes_read_as_on_the_page(
    client: TestClient, session: Session, world: World
) -> None:
    programme_id = _edited(
        session,
        world,
        remaining_budget=Decimal("3500000.50"),
        gender_focus=True,
        eligible_income_groups=["LIC", "LMC"],
        working_languages=["fr", "ar"],
    )
    sign_in(client, world.emails["partner_a"])
    changes = _changes(client, programme_id)
    assert "Remaining capacity: 4,000,000 → 3,500,000.50" in changes
    assert "Gives priority to women and girls: No → Yes" in changes
    assert "Income groups: — → Low income, Lower-middle income" in changes
    assert "Working languages: — → العربية, Français" in changes
