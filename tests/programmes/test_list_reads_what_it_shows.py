"""The list of programmes reads what its rows show (title, organisation, modality, budget, window): none
of their thematic areas, techniques, SDG targets or eligible countries, which its page does not show
(eligible countries were read with their regions for 50 programmes a page); the API's list still gives
them."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.programmes import service as programmes
from tests.statements import fresh_request
from tests.world import World

LIST_TABLES = (
    "programme_thematic_area",
    "programme_technique",
    "programme_sdg_target",
    "programme_eligible_country",
)


def test_the_programmes_page_reads_none_of_their_lists(
    client: TestClient, session: Session, world: World
) -> None:
    page, seen = fresh_request(client, session, "/programmes")
    assert page.status_code == 200
    published = programmes.get_programme(
        session, actor=world.actors["admin"], programme_id=world.programmes["published_a"]
    )
    assert published.title in page.text and published.organisation.name in page.text
    assert not [statement for statement in seen if any(table in statement for table in LIST_TABLES)]


def test_the_api_list_gives_each_programmes_lists(client: TestClient, session: Session, world: World) -> None:
    answer = client.get("/api/v1/programmes")
    assert answer.status_code == 200
    published = programmes.get_programme(
        session, actor=world.actors["admin"], programme_id=world.programmes["published_a"]
    )
    listed = {item["id"]: item for item in answer.json()["items"]}[published.id]
    assert published.thematic_area_codes and listed["thematic_area_codes"] == published.thematic_area_codes
    assert listed["technique_codes"] == published.technique_codes
