"""An edit of a programme that changes nothing a reader can see is no new version and no history entry:
an unchanged PUT added a "programme.update" entry with nothing in it, and a budget written "4000000.00"
for a stored 4000000 counted as a change."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.programmes.models import Programme
from pux.programmes.schemas import ProgrammeUpdate
from pux.reference.models import Technique, ThematicArea
from tests.web_helpers import bearer, history_length, update_fields
from tests.world import World


def _in_two_areas_with_two_techniques(session: Session, programme_id: int) -> None:
    """Two areas and two techniques, so that an order can differ (set in the tables: no edit)."""
    programme = session.get_one(Programme, programme_id)
    programme.thematic_areas = [session.get_one(ThematicArea, code) for code in ("health", "water")]
    programme.techniques = [
        session.get_one(Technique, code) for code in ("radiotherapy", "isotope_hydrology")
    ]
    session.flush()


def test_an_unchanged_programme_put_back_through_the_api_is_no_new_version_nor_history_entry(
    client: TestClient, session: Session, world: World
) -> None:
    programme_id, headers = world.programmes["draft_a"], bearer(world.tokens["partner_a"])
    _in_two_areas_with_two_techniques(session, programme_id)
    read = client.get(f"/api/v1/programmes/{programme_id}", headers=headers).json()
    assert len(read["thematic_area_codes"]) == len(read["technique_codes"]) == 2
    sent = update_fields(read, ProgrammeUpdate)
    # The same links in another order are the same links (the programme keeps them in the lists' order).
    sent |= {key: read[key][::-1] for key in ("thematic_area_codes", "technique_codes")}
    sent |= {"remaining_budget": "4000000.00"}
    entries = history_length(session, "programme", programme_id)

    answer = client.put(f"/api/v1/programmes/{programme_id}", json=sent, headers=headers)

    assert answer.status_code == 200, answer.text
    assert answer.json()["version"] == read["version"]
    assert history_length(session, "programme", programme_id) == entries
