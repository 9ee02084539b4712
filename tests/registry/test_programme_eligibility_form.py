"""A programme's eligibility on its edit form: the countries and every level of region it is open to are on
the form, so saving the form with only the title changed keeps them (the form had no countries and only the
top-level regions, and an edit of the title made a programme for Kenya and Uganda open to every country)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.programmes import service as programmes
from pux.programmes.models import Programme
from pux.programmes.schemas import ProgrammeUpdate
from tests.registry.form_fields import form_problem, sent_again
from tests.web.accessibility import accessibility_problems
from tests.web_helpers import csrf_token, sign_in
from tests.world import World, programme_data

EASTERN_AFRICA = "014"  # an intermediate region (Africa › Sub-Saharan Africa › Eastern Africa)
SUB_SAHARAN_AFRICA = "202"  # a sub-region


def _restricted_programme(session: Session, world: World) -> int:
    programme = programmes.create_programme(
        session,
        actor=world.actors["partner_a"],
        data=programme_data(
            world.organisations["donor_a"],
            title="Grants for Kenya and Uganda",
            eligible_country_codes=["KEN", "UGA"],
            eligible_region_codes=[EASTERN_AFRICA, SUB_SAHARAN_AFRICA],
        ),
    )
    session.flush()
    return programme.id


def _opened(client: TestClient, path: str) -> dict[str, list[str]]:
    page = client.get(path)
    assert page.status_code == 200, page.text[:400]
    assert accessibility_problems(page.text) == []
    return sent_again(page.text)


def _saved(client: TestClient, path: str, form: dict[str, list[str]]) -> None:
    sent: dict[str, Any] = {**form, "csrf_token": csrf_token(client, path)}
    response = client.post(path, data=sent, follow_redirects=False)
    assert response.status_code == 303, form_problem(response.text) or response.text[:400]


def _programme(session: Session, programme_id: int) -> Programme:
    session.expire_all()
    programme = session.get(Programme, programme_id)
    assert programme is not None
    return programme


def test_saving_the_form_with_a_new_title_keeps_the_countries_and_regions(
    client: TestClient, session: Session, world: World
) -> None:
    programme_id = _restricted_programme(session, world)
    path = f"/programmes/{programme_id}/edit"
    sign_in(client, world.emails["partner_a"])
    form = _opened(client, path)
    assert form["eligible_country_codes"] == ["KEN", "UGA"]
    _saved(client, path, {**form, "title": ["Grants for Kenya and Uganda, renamed"]})
    programme = _programme(session, programme_id)
    assert programme.title == "Grants for Kenya and Uganda, renamed"
    assert programme.eligible_country_codes == ["KEN", "UGA"]
    assert programme.eligible_region_codes == sorted([EASTERN_AFRICA, SUB_SAHARAN_AFRICA])
    page = client.get(f"/programmes/{programme_id}").text
    assert "No restriction" not in page and "Kenya, Uganda" in page and "Eastern Africa" in page


def test_the_form_chooses_the_countries_and_any_level_of_region(
    client: TestClient, session: Session, world: World
) -> None:
    programme_id = _restricted_programme(session, world)
    path = f"/programmes/{programme_id}/edit"
    sign_in(client, world.emails["partner_a"])
    form = _opened(client, path)
    _saved(
        client,
        path,
        {**form, "eligible_country_codes": ["TZA"], "eligible_region_codes": ["015"]},  # Northern Africa
    )
    programme = _programme(session, programme_id)
    assert programme.eligible_country_codes == ["TZA"] and programme.eligible_region_codes == ["015"]
    _saved(client, path, {**_opened(client, path), "eligible_country_codes": [], "eligible_region_codes": []})
    cleared = _programme(session, programme_id)
    assert cleared.eligible_country_codes == [] and cleared.eligible_region_codes == []


def test_every_field_of_a_programme_is_on_its_edit_form(client: TestClient, world: World) -> None:
    """A field missing from the form is lost on each save (the form posts the whole programme)."""
    sign_in(client, world.emails["partner_a"])
    page = client.get(f"/programmes/{world.programmes['draft_a']}/edit").text
    missing = [name for name in ProgrammeUpdate.model_fields if f'name="{name}"' not in page]
    assert missing == []
