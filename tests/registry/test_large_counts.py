"""A need that benefits billions of people: the form and an import admit up to ten billion, and the
database keeps what they admit (on PostgreSQL, 3,000,000,000 passed every check and the 32-bit column
refused it: a 500 on the form and on an import). Run on both databases (PUX_TEST_DATABASE)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pux.interop.tabular import service as tabular
from pux.needs.models import Need
from tests.web_helpers import bearer, csrf_token, sign_in
from tests.world import World

THREE_BILLION = 3_000_000_000
TEN_BILLION = 10_000_000_000  # the most the schema admits


def _stored_count(session: Session, need_id: int) -> int | None:
    session.expire_all()
    return session.scalar(select(Need.beneficiaries_count).where(Need.id == need_id))


def test_a_need_drafted_on_its_form_for_three_billion_people_is_saved(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.emails["focal_ken"])
    form = {
        "csrf_token": csrf_token(client, "/needs/new"),
        "country_iso3": "KEN",
        "title": "Regional food irradiation for three billion people",
        "thematic_area_code": "food",
        "currency": "USD",
        "visibility": "public",
        "beneficiaries_count": str(THREE_BILLION),
    }
    response = client.post("/needs", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text[:500]
    need_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert _stored_count(session, need_id) == THREE_BILLION
    read = client.get(f"/api/v1/needs/{need_id}", headers=bearer(world.tokens["focal_ken"]))
    assert read.json()["beneficiaries_count"] == THREE_BILLION


def test_an_imported_need_for_ten_billion_people_is_saved(session: Session, world: World) -> None:
    content = (
        "country_iso3,title,thematic_area_code,beneficiaries_count\n"
        + f"KEN,Imported: sterile insect technique for the continent,food,{TEN_BILLION}\n"
    )
    report = tabular.import_table(
        session,
        actor=world.actors["counterpart_ken"],
        entity_name="needs",
        content=content.encode(),
        filename="needs.csv",
    )
    assert report.created == 1
    assert _stored_count(session, report.ids[0]) == TEN_BILLION
