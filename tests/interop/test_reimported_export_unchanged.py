"""A provider re-importing their own unchanged activities export changes nothing: a row whose activity is
linked to a need they may not see (exported empty, kept by the save) counted as "updated: 1" and left a
history entry whose only difference was "250000.00" -> "250000"."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.web_helpers import bearer, history_length
from tests.world import World, linked_to_a_hidden_need

HISTORY = "assistance_activity"


def test_a_reimported_export_with_a_hidden_need_link_is_unchanged(
    client: TestClient, session: Session, world: World
) -> None:
    activity = linked_to_a_hidden_need(session, world)
    entries, headers = history_length(session, HISTORY, activity.id), bearer(world.tokens["partner_a"])
    exported = client.get("/api/v1/activities/export", params={"format": "csv"}, headers=headers)
    assert exported.status_code == 200, exported.text

    answer = client.post(
        "/api/v1/activities/import",
        headers=headers,
        files={"file": ("mine.csv", exported.content, "text/csv")},
    )

    assert answer.status_code == 200, answer.text
    counts = answer.json()
    assert activity.id in counts["ids"]  # the activity was in the export and read back, not left out
    assert (counts["updated"], counts["unchanged"]) == (0, len(counts["ids"]))
    assert history_length(session, HISTORY, activity.id) == entries
    session.refresh(activity)
    assert activity.need_id == world.needs["draft_ken"]
