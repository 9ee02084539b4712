"""An edit of a programme that changes nothing a reader can see is no new version and no history entry:
an unchanged PUT added a "programme.update" entry with nothing in it, and a budget written "4000000.00"
for a stored 4000000 counted as a change."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.programmes.schemas import ProgrammeUpdate
from tests.web_helpers import bearer, history_length, update_fields
from tests.world import World


def test_an_unchanged_programme_put_back_through_the_api_is_no_new_version_nor_history_entry(
    client: TestClient, session: Session, world: World
) -> None:
    programme_id, headers = world.programmes["draft_a"], bearer(world.tokens["partner_a"])
    read = client.get(f"/api/v1/programmes/{programme_id}", headers=headers).json()
    sent = update_fields(read, ProgrammeUpdate)
    sent |= {"remaining_budget": "4000000.00", "thematic_area_codes": ["health"]}
    entries = history_length(session, "programme", programme_id)

    answer = client.put(f"/api/v1/programmes/{programme_id}", json=sent, headers=headers)

    assert answer.status_code == 200, answer.text
    assert answer.json()["version"] == read["version"]
    assert history_length(session, "programme", programme_id) == entries
