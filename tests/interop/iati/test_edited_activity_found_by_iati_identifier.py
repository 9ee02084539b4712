"""An activity imported from IATI is found by its IATI identifier after it is edited in PUX: the edit
rebuilt the activity's search words without the identifier, and a search by it found nothing, on the
activities page and in the API alike."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from pux.accounts.permissions import Actor
from pux.assistance.schemas import ActivityUpdate
from pux.interop.iati import synthetic
from tests.interop.iati.conftest import activity_id_of, import_everything
from tests.web_helpers import bearer, update_fields
from tests.world import World

IDENTIFIER = "XM-DAC-99-AUD-0002"


def _found_by_identifier(client: TestClient, headers: dict[str, str]) -> list[int]:
    answer = client.get("/api/v1/activities", params={"q": IDENTIFIER}, headers=headers)
    assert answer.status_code == 200, answer.text
    return [item["id"] for item in answer.json()["items"]]


def test_an_edited_iati_activity_is_still_found_by_its_iati_identifier(
    client: TestClient,
    session: Session,
    session_factory: sessionmaker[Session],
    facilitator: Actor,
    world: World,
    tmp_path: Path,
) -> None:
    record = synthetic.activity(1, identifier=IDENTIFIER, reporting_ref="XM-DAC-99")
    import_everything(session_factory, facilitator, synthetic.write_file(tmp_path / "audit.xml", [record]))
    activity_id = activity_id_of(session, IDENTIFIER)
    headers = bearer(world.tokens["facilitator"])
    assert _found_by_identifier(client, headers) == [activity_id]

    read = client.get(f"/api/v1/activities/{activity_id}", headers=headers).json()
    fields = update_fields(read, ActivityUpdate)
    edited = client.put(
        f"/api/v1/activities/{activity_id}",
        json={**fields, "title": f"{read['title']} (reviewed)"},
        headers=headers,
    )
    assert edited.status_code == 200, edited.text

    assert _found_by_identifier(client, headers) == [activity_id]
    page = client.get("/activities", params={"q": IDENTIFIER})
    assert f'href="/activities/{activity_id}"' in page.text
