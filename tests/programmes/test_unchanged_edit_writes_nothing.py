"""An edit of a programme that changes nothing a reader can see is no new version and no history entry:
an unchanged PUT added a "programme.update" entry with nothing in it, and a budget written "4000000.00"
for a stored 4000000 counted as a change."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.audit import service as audit
from pux.programmes.schemas import ProgrammeUpdate
from tests.web_helpers import bearer
from tests.world import World


def test_an_unchanged_programme_put_back_through_the_api_is_no_new_version_nor_history_entry(
    client: TestClient, session: Session, world: World
) -> None:
    programme_id, headers = world.programmes["draft_a"], bearer(world.tokens["partner_a"])
    read = client.get(f"/api/v1/programmes/{programme_id}", headers=headers).json()
    sent = {key: value for key, value in read.items() if key in ProgrammeUpdate.model_fields}
    sent |= {"remaining_budget": "4000000.00", "thematic_area_codes": ["health"]}
    entries = len(audit.history(session, entity_type="programme", entity_id=str(programme_id)))

    answer = client.put(f"/api/v1/programmes/{programme_id}", json=sent, headers=headers)

    assert answer.status_code == 200, answer.text
    assert answer.json()["version"] == read["version"]
    assert len(audit.history(session, entity_type="programme", entity_id=str(programme_id))) == entries
