"""A newer version of an IATI file updates an imported activity's figures, not who may see it: an
activity PUX's people made private stayed private only until the next import made it public again."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from pux.accounts.permissions import Actor
from pux.assistance.schemas import ActivityUpdate
from pux.interop.iati import synthetic
from tests.interop.iati.conftest import activity_id_of, import_everything
from tests.web_helpers import bearer
from tests.world import World

IDENTIFIER = "XM-DAC-99-TEST-A1"


def _import(factory: sessionmaker[Session], actor: Actor, path: Path) -> tuple[int, int]:
    report = import_everything(factory, actor, path)
    return report.new, report.updated


def test_an_imported_activity_made_private_stays_private_when_a_newer_version_is_imported(
    client: TestClient,
    session: Session,
    session_factory: sessionmaker[Session],
    facilitator: Actor,
    world: World,
    tmp_path: Path,
) -> None:
    first = synthetic.activity(1, identifier="XM-DAC-99-TEST-A1", reporting_ref="XM-DAC-99")
    assert _import(session_factory, facilitator, synthetic.write_file(tmp_path / "v1.xml", [first])) == (1, 0)
    activity_id = activity_id_of(session, IDENTIFIER)
    assert client.get(f"/activities/{activity_id}").status_code == 200

    headers = bearer(world.tokens["facilitator"])
    read = client.get(f"/api/v1/activities/{activity_id}", headers=headers).json()
    kept = {key: value for key, value in read.items() if key in ActivityUpdate.model_fields}
    made_private = client.put(
        f"/api/v1/activities/{activity_id}", json={**kept, "visibility": "private"}, headers=headers
    )
    assert made_private.status_code == 200, made_private.text
    assert client.get(f"/activities/{activity_id}").status_code == 404  # signed out

    newer = replace(first, last_updated=synthetic.LAST_UPDATED + timedelta(days=30))
    assert _import(session_factory, facilitator, synthetic.write_file(tmp_path / "v2.xml", [newer])) == (0, 1)

    assert client.get(f"/activities/{activity_id}").status_code == 404
    assert client.get(f"/api/v1/activities/{activity_id}").status_code == 404
    assert client.get(f"/api/v1/activities/{activity_id}", headers=headers).json()["visibility"] == "private"


def test_an_activity_imported_for_the_first_time_is_public(
    client: TestClient,
    session: Session,
    session_factory: sessionmaker[Session],
    facilitator: Actor,
    tmp_path: Path,
) -> None:
    record = synthetic.activity(2, identifier="XM-DAC-99-TEST-A2", reporting_ref="XM-DAC-99")
    _import(session_factory, facilitator, synthetic.write_file(tmp_path / "a2.xml", [record]))
    activity_id = activity_id_of(session, "XM-DAC-99-TEST-A2")
    assert client.get(f"/activities/{activity_id}").status_code == 200
