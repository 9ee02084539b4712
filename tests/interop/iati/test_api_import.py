"""An integrator imports an IATI file through the API (M14): only the upload page could, and a bearer
token got 403 there, so a facilitator's system could not feed PUX its partners' IATI files unattended."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from pux.assistance.models import AssistanceActivity, IatiImportRun
from pux.interop.iati import service, synthetic
from tests.web_helpers import bearer, run_queued_jobs
from tests.world import World

ROUTE = "/api/v1/activities/import/iati"


def _post(client: TestClient, token: str, path: Path, **choices: str) -> Any:
    with path.open("rb") as handle:
        return client.post(
            ROUTE,
            headers=bearer(token),
            data=choices,
            files={"file": (path.name, handle, "application/xml")},
        )


def _count(session: Session, model: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_facilitators_token_imports_a_file_as_a_job_and_reads_what_it_made(
    client: TestClient, session: Session, tmp_path: Path, world: World
) -> None:
    path = synthetic.write_file(tmp_path / "partners.xml", list(synthetic.activities(4)))
    before = _count(session, AssistanceActivity)
    answer = _post(client, world.tokens["facilitator"], path, everything="true")
    assert answer.status_code == 202, answer.text
    job = answer.json()
    assert answer.headers["location"] == f"/api/v1/jobs/{job['id']}" and job["status"] == "queued"
    assert run_queued_jobs(client) == ["done"]
    done = client.get(answer.headers["location"], headers=bearer(world.tokens["facilitator"])).json()
    assert done["status"] == "done" and done["result"]["new"] == 4
    assert _count(session, AssistanceActivity) == before + 4
    run = session.get(IatiImportRun, done["result"]["run_id"])
    assert run is not None and run.status == "finished" and run.options["everything"] is True


def test_what_cannot_be_imported_is_refused_at_once_and_nothing_is_written(
    client: TestClient, session: Session, tmp_path: Path, world: World
) -> None:
    runs = _count(session, IatiImportRun)
    not_xml = tmp_path / "activities.csv"
    not_xml.write_text("title,amount\nRadiotherapy,100\n")
    refused = _post(client, world.tokens["facilitator"], not_xml)
    assert refused.status_code == 422, refused.text
    assert [p["field"] for p in refused.json()["problems"]] == ["file"]
    good = synthetic.write_file(tmp_path / "good.xml", list(synthetic.activities(2)))
    unknown = _post(client, world.tokens["facilitator"], good, countries="KEN ZZZ")
    assert unknown.status_code == 422 and "ZZZ" in unknown.text
    for role in ("partner_a", "focal_ken"):
        assert _post(client, world.tokens[role], good).status_code == 403
    assert _post(client, "", good).status_code in (401, 403)
    assert _count(session, IatiImportRun) == runs and run_queued_jobs(client) == []


def test_the_same_file_being_imported_answers_409(
    client: TestClient, session_factory: sessionmaker[Session], tmp_path: Path, world: World
) -> None:
    path = synthetic.write_file(tmp_path / "twice.xml", list(synthetic.activities(3)))
    started = service.start_import(
        session_factory=session_factory,
        actor=world.actors["facilitator"],
        path=path,
        base_url="http://pux.test",
        file_name=path.name,
    )
    answer = _post(client, world.tokens["facilitator"], path)
    assert answer.status_code == 409, answer.text
    assert "being imported already" in answer.json()["detail"]
    service.finish_import(started)


def test_an_iati_file_sent_to_the_table_import_is_named_as_such(
    client: TestClient, session: Session, tmp_path: Path, world: World
) -> None:
    """It was read as a table and refused as "row 1802, column B has no header"."""
    path = synthetic.write_file(tmp_path / "partners.xml", list(synthetic.activities(3)))
    with path.open("rb") as handle:
        answer = client.post(
            "/api/v1/activities/import",
            headers=bearer(world.tokens["partner_a"]),
            files={"file": (path.name, handle, "application/xml")},
        )
    assert answer.status_code == 422, answer.text
    problems = answer.json()["problems"]
    assert len(problems) == 1 and problems[0]["field"] == "file"
    assert "the file is XML, not CSV or xlsx" in problems[0]["message"] and ROUTE in problems[0]["message"]
