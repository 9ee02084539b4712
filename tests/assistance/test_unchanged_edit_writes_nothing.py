"""An edit of an activity that changes nothing a reader can see is no new version and no history entry,
also when the activity is linked to a need its provider may not see (shown to them as no link, and kept
by the save): the provider's unchanged PUT was a "activity.update" whose only difference was an amount
written "250000.00" for "250000"."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.assistance.schemas import ActivityUpdate
from tests.web_helpers import bearer, history_length, update_fields
from tests.world import World, linked_to_a_hidden_need

HISTORY = "assistance_activity"


def test_an_unchanged_activity_put_back_by_its_provider_is_no_new_version_nor_history_entry(
    client: TestClient, session: Session, world: World
) -> None:
    activity = linked_to_a_hidden_need(session, world)
    entries, headers = history_length(session, HISTORY, activity.id), bearer(world.tokens["partner_a"])
    read = client.get(f"/api/v1/activities/{activity.id}", headers=headers).json()
    assert read["need_id"] is None
    sent = update_fields(read, ActivityUpdate)

    answer = client.put(
        f"/api/v1/activities/{activity.id}", json={**sent, "amount_committed": "250000.00"}, headers=headers
    )

    assert answer.status_code == 200, answer.text
    assert answer.json()["version"] == read["version"]
    assert history_length(session, HISTORY, activity.id) == entries
    session.refresh(activity)
    assert activity.need_id == world.needs["draft_ken"]
