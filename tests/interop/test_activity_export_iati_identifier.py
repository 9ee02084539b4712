"""An imported activity's IATI identifier travels in the activities' CSV and Excel files (the column was
missing, so a shared file could not be traced back to its publisher), and an import cannot change it."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.assistance.models import AssistanceActivity
from tests.web_helpers import bearer
from tests.world import World

IDENTIFIER = "XM-DAC-41114-PROJ-123"


def _exported_rows(client: TestClient, world: World) -> list[dict[str, str]]:
    answer = client.get(
        "/api/v1/activities/export", params={"format": "csv"}, headers=bearer(world.tokens["admin"])
    )
    assert answer.status_code == 200, answer.text
    return list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))


def test_the_export_names_an_imported_activitys_iati_identifier(
    client: TestClient, session: Session, world: World
) -> None:
    activity = session.get(AssistanceActivity, world.activities["public_a"])
    assert activity is not None
    activity.iati_identifier = IDENTIFIER  # as an IATI import records it
    session.flush()
    rows = {row["id"]: row for row in _exported_rows(client, world)}
    assert rows[str(activity.id)]["iati_identifier"] == IDENTIFIER
    assert rows[str(world.activities["private_b"])]["iati_identifier"] == ""
