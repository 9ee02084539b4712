"""The API tells an imported activity's IATI identifier: it showed external_id null and nothing else,
though the activity's page shows XM-DAC-99-TEST-A1, so an API client could not tell which IATI activity
it was."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from pux.accounts.permissions import Actor
from pux.interop.iati import synthetic
from tests.interop.iati.conftest import activity_id_of, import_everything
from tests.world import World

IDENTIFIER = "XM-DAC-99-TEST-A1"


def test_the_api_reads_an_imported_activity_s_iati_identifier(
    client: TestClient,
    session: Session,
    session_factory: sessionmaker[Session],
    facilitator: Actor,
    world: World,
    tmp_path: Path,
) -> None:
    record = synthetic.activity(1, identifier=IDENTIFIER, reporting_ref="XM-DAC-99", country="UG")
    import_everything(session_factory, facilitator, synthetic.write_file(tmp_path / "a1.xml", [record]))
    activity_id = activity_id_of(session, IDENTIFIER)
    assert IDENTIFIER in client.get(f"/activities/{activity_id}").text  # the page showed it already

    one = client.get(f"/api/v1/activities/{activity_id}").json()
    assert one["iati_identifier"] == IDENTIFIER
    listed = client.get("/api/v1/activities", params={"country": "UGA", "q": "Sterile"}).json()
    assert {item["id"]: item["iati_identifier"] for item in listed["items"]}[activity_id] == IDENTIFIER

    recorded_here = client.get(f"/api/v1/activities/{world.activities['public_a']}").json()
    assert recorded_here["iati_identifier"] is None


def test_the_api_description_documents_the_iati_identifier(client: TestClient) -> None:
    shapes = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    field = shapes["ActivityRead"]["properties"]["iati_identifier"]
    assert "IATI" in field["description"] and "Read-only" in field["description"]
