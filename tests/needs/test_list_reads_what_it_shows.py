"""The list of needs reads what its rows show: its page shows no need's techniques or SDG targets and reads
none (reading them for 50 needs was 2 ms of the page's CPU), while the API's list still gives each need's
technique and target codes."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.needs import service as needs
from tests.statements import fresh_request
from tests.web_helpers import sign_in
from tests.world import World

LIST_TABLES = ("FROM need_technique", "FROM need_sdg_target", "JOIN need_technique", "JOIN need_sdg_target")


def _reads_of_need_lists(statements: list[str]) -> int:
    return sum(any(table in statement for table in LIST_TABLES) for statement in statements)


def test_the_needs_page_reads_no_techniques_or_targets(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.emails["focal_ken"])
    page, seen = fresh_request(client, session, "/needs")
    assert page.status_code == 200
    published = needs.get_need(session, actor=world.actors["admin"], need_id=world.needs["published_ken"])
    assert published.title in page.text and published.reference in page.text
    assert _reads_of_need_lists(seen) == 0


def test_the_api_list_gives_each_needs_techniques_and_targets(
    client: TestClient, session: Session, world: World
) -> None:
    answer = client.get("/api/v1/needs")
    assert answer.status_code == 200
    by_id = {item["id"]: item for item in answer.json()["items"]}
    published = needs.get_need(session, actor=world.actors["admin"], need_id=world.needs["published_ken"])
    listed = by_id[published.id]
    assert published.technique_codes and listed["technique_codes"] == published.technique_codes
    assert published.sdg_target_codes and listed["sdg_target_codes"] == published.sdg_target_codes
