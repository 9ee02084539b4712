"""Export: what PUX writes passes the official IATI 2.03 XSD, declares PUX's technique vocabulary,
and importing it again changes nothing (round trip), through the service, the API and the pages."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import etree
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from pux.accounts.permissions import Actor
from pux.assistance.models import (
    AssistanceActivity,
)
from pux.assistance.repository import ActivityFilter
from pux.interop.iati import service, synthetic
from pux.interop.iati.schema import schema_problems
from pux.interop.iati.service import ImportOptions, export_activities, import_file
from pux.jobs import kinds
from tests.interop.iati.conftest import BASE_URL, snapshot
from tests.web_helpers import run_queued_jobs, sign_in
from tests.world import World

EVERYTHING = ImportOptions(everything=True)


def _import(factory: sessionmaker[Session], actor: Actor, path: Path) -> Any:
    return import_file(session_factory=factory, actor=actor, path=path, base_url=BASE_URL, options=EVERYTHING)


def _export(session: Session, actor: Actor, filters: ActivityFilter | None = None) -> bytes:
    target = io.BytesIO()
    export_activities(
        session, actor=actor, filters=filters or ActivityFilter(), target=target, base_url=BASE_URL
    )
    return target.getvalue()


def test_the_export_passes_the_xsd_and_declares_the_technique_vocabulary_in_every_language(
    session: Session,
    session_factory: sessionmaker[Session],
    facilitator: Actor,
    tmp_path: Path,
    example_file: Path,
) -> None:
    _import(session_factory, facilitator, example_file)
    _import(
        session_factory, facilitator, synthetic.write_file(tmp_path / "s.xml", list(synthetic.activities(12)))
    )
    document = etree.fromstring(_export(session, facilitator))
    assert schema_problems(document) == []
    activities = document.findall("iati-activity")
    manual = (
        session.scalars(select(AssistanceActivity).where(AssistanceActivity.origin != "iati")).unique().all()
    )
    assert len(activities) == 13 + len(manual)
    own = [
        a
        for a in document.iter("sector")
        if a.get("vocabulary") == "99" and a.get("vocabulary-uri") == f"{BASE_URL}/techniques"
    ]
    assert own, "no activity carries PUX's technique vocabulary"
    languages = {n.get("{http://www.w3.org/XML/1998/namespace}lang") for n in own[0].findall("narrative")}
    assert {"fr", "es", "ar", "zh", "ru"} <= languages
    assert all(a.get("default-currency") for a in activities)


def test_round_trip_export_then_import_changes_nothing(
    session: Session,
    session_factory: sessionmaker[Session],
    facilitator: Actor,
    tmp_path: Path,
    example_file: Path,
) -> None:
    funder, implementer = synthetic.funder_and_implementer(2)
    _import(session_factory, facilitator, example_file)
    _import(
        session_factory,
        facilitator,
        synthetic.write_file(tmp_path / "s.xml", [*synthetic.activities(10), funder, implementer]),
    )
    before = snapshot(session)
    exported = tmp_path / "export.xml"
    imported_only = ActivityFilter()
    exported.write_bytes(_export(session, facilitator, imported_only))

    recorded_here = len(
        session.scalars(select(AssistanceActivity).where(AssistanceActivity.origin != "iati")).unique().all()
    )
    assert recorded_here
    total = len(session.scalars(select(AssistanceActivity.id)).all())
    again = _import(session_factory, facilitator, exported)
    # The activities recorded in PUX come back as themselves (each was imported again as a copy).
    assert (again.new, again.updated, again.refused) == (0, 0, 0)
    assert again.unchanged == len(before) + recorded_here
    assert len(session.scalars(select(AssistanceActivity.id)).all()) == total
    assert {k: v for k, v in snapshot(session).items() if k in before} == before

    # From empty: importing the export rebuilds exactly what was there.
    session.execute(delete(AssistanceActivity).where(AssistanceActivity.iati_identifier.in_(list(before))))
    session.flush()
    session.expunge_all()
    _import(session_factory, facilitator, exported)
    assert {k: v for k, v in snapshot(session).items() if k in before} == before


def test_the_api_exports_the_lists_filters_and_only_what_the_caller_may_see(
    client: TestClient,
    session: Session,
    session_factory: sessionmaker[Session],
    facilitator: Actor,
    tmp_path: Path,
    world: World,
) -> None:
    _import(
        session_factory, facilitator, synthetic.write_file(tmp_path / "s.xml", list(synthetic.activities(16)))
    )
    answer = client.get("/api/v1/activities.iati.xml", params={"country": "UGA"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/xml")
    document = etree.fromstring(answer.content)
    assert schema_problems(document) == []
    countries = {
        c.get("code") for c in document.iter("recipient-country") if c.getparent().tag == "iati-activity"
    }
    assert countries == {"UG"}
    private = (
        session.scalars(select(AssistanceActivity).where(AssistanceActivity.visibility != "public"))
        .unique()
        .all()
    )
    public_answer = etree.fromstring(client.get("/api/v1/activities.iati.xml").content)
    identifiers = {i.text for i in public_answer.iter("iati-identifier")}
    assert not any(
        identifier and identifier.endswith(f"-PUX-{a.id}") for a in private for identifier in identifiers
    )


def _upload(client: TestClient, path: Path) -> Any:
    """The upload page's form sent with ``path`` as the file (the page must answer 200 first)."""
    page = client.get("/activities/import/iati")
    assert page.status_code == 200
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    with path.open("rb") as handle:
        return client.post(
            "/activities/import/iati",
            data={"csrf_token": token},
            files={"file": (path.name, handle, "application/xml")},
            follow_redirects=False,  # the run's page is read once the import has ended (_when_finished)
        )


def _when_finished(client: TestClient, run_page: str) -> str:
    """The run's page once the import's job has run (in the test's transaction, by the real executor)."""
    assert run_queued_jobs(client) == ["done"]
    page = client.get(run_page)
    assert page.status_code == 200, page.text
    assert 'http-equiv="refresh"' not in page.text  # it no longer reloads itself
    return page.text


def test_the_upload_page_imports_a_file_and_reports_refusals_to_a_facilitator_only(
    client: TestClient, session: Session, tmp_path: Path, world: World
) -> None:
    from dataclasses import replace

    good = synthetic.activity(1)
    bad = replace(synthetic.activity(2), default_currency="XYZ")
    path = synthetic.write_file(tmp_path / "upload.xml", [good, bad])
    sign_in(client, world.emails["partner_a"])
    assert client.get("/activities/import/iati").status_code == 403
    client.post("/sign-out")
    sign_in(client, world.emails["facilitator"])
    answer = _upload(client, path)
    # Answered at once with the run's page, which follows the import going on in the background.
    assert answer.status_code == 303, answer.text
    run_page = answer.headers["location"]
    assert run_page.startswith("/activities/import/iati/runs/")
    report = _when_finished(client, run_page)
    assert bad.identifier in report and "XYZ" in report and "Import report" in report
    assert run_page in client.get("/activities/import/iati").text  # listed among the recent imports
    stored = (
        session.scalars(
            select(AssistanceActivity).where(AssistanceActivity.iati_identifier == good.identifier)
        )
        .unique()
        .one()
    )
    detail = client.get(f"/activities/{stored.id}")
    assert "upload.xml" in detail.text and "2025-06-02" in detail.text
    listing = client.get("/activities")
    assert "/activities/import/iati" in listing.text
    (tmp_path / "not.xml").write_bytes(b"not xml at all")
    refused = _upload(client, tmp_path / "not.xml")
    assert refused.status_code == 422


def test_a_file_as_large_as_the_iati_registry_takes_is_read_not_refused_for_its_size(
    client: TestClient, tmp_path: Path, world: World
) -> None:
    """The registry accepts files up to 60 MB: such an upload reaches the reader (here it is refused for
    what it holds, a root that never closes, not for its size)."""
    path = tmp_path / "large.xml"
    line = b"<!-- " + b"padding " * 127 + b"-->\n"
    with path.open("wb") as handle:
        handle.write(b"<?xml version='1.0'?>\n<iati-activities version='2.03'>\n")
        for _number in range(61 * 1024 * 1024 // len(line)):
            handle.write(line)
    sign_in(client, world.emails["facilitator"])
    answer = _upload(client, path)
    assert answer.status_code == 422, answer.status_code
    assert "it looks truncated" in answer.text


def test_a_run_page_is_for_facilitators_only(client: TestClient, tmp_path: Path, world: World) -> None:
    path = synthetic.write_file(tmp_path / "one.xml", [synthetic.activity(3)])
    sign_in(client, world.emails["facilitator"])
    run_page = _upload(client, path).headers["location"]
    _when_finished(client, run_page)
    client.cookies.clear()  # the public
    assert client.get(run_page, follow_redirects=False).headers["location"].startswith("/sign-in")
    sign_in(client, world.emails["partner_a"])
    assert client.get(run_page).status_code == 403
    assert client.get("/activities/import/iati/runs/999999").status_code in (403, 404)


def test_an_import_job_that_fails_marks_its_run_failed_and_says_how_to_go_on(
    client: TestClient, session_factory: sessionmaker[Session], tmp_path: Path, world: World
) -> None:
    path = synthetic.write_file(tmp_path / "gone.xml", [synthetic.activity(4)])
    started = service.start_import(  # as the upload page does: recorded, and handed over to its job
        session_factory=session_factory,
        actor=world.actors["facilitator"],
        path=path,
        base_url=BASE_URL,
        hand_over=True,
    )
    sign_in(client, world.emails["facilitator"])
    running = client.get(f"/activities/import/iati/runs/{started.run_id}")
    # Started, not finished: the page shows the progress and reloads itself.
    assert "<progress" in running.text and 'http-equiv="refresh"' in running.text
    path.unlink()  # the file is gone before the import goes on: it cannot finish
    with pytest.raises(FileNotFoundError):
        kinds.KINDS[kinds.IATI_IMPORT].run(
            kinds.JobContext(
                0,
                world.actors["facilitator"],
                {"run_id": started.run_id, "path": str(path), "base_url": BASE_URL, "file_name": path.name},
                session_factory,
                tmp_path,
            )
        )
    page = client.get(f"/activities/import/iati/runs/{started.run_id}")
    assert page.status_code == 200 and "The import stopped before the end" in page.text
    assert 'http-equiv="refresh"' not in page.text


@pytest.mark.parametrize(
    ("status", "start", "end", "expected"),
    [
        ("pipeline", "2099-01-01", "2100-12-31", {"1": "2099-01-01", "3": "2100-12-31"}),
        ("implementation", "2020-01-01", "2099-12-31", {"2": "2020-01-01", "3": "2099-12-31"}),
        ("closed", "2019-01-01", "2021-06-30", {"2": "2019-01-01", "4": "2021-06-30"}),
        ("implementation", "2099-01-01", None, {"1": "2099-01-01"}),
    ],
)
def test_an_activity_s_dates_are_exported_as_planned_or_actual_by_its_status_and_the_day(
    session: Session, facilitator: Actor, status: str, start: str, end: str | None, expected: dict[str, str]
) -> None:
    """A pipeline activity starting in 2099 was written as having actually started; a closed one's end
    as planned."""
    from datetime import date

    from pux.accounts.models import Organisation
    from pux.assistance import service as assistance
    from tests.world import activity_data

    provider = session.scalar(select(Organisation.id).limit(1))
    assert provider is not None
    record = assistance.record_activity(
        session,
        actor=facilitator,
        data=activity_data(
            provider,
            title="Dated for the export",
            status=status,
            start_date=date.fromisoformat(start),
            end_date=date.fromisoformat(end) if end else None,
        ),
    )
    document = etree.fromstring(_export(session, facilitator))
    written = next(
        a
        for a in document.iter("iati-activity")
        if a.findtext("iati-identifier", "").endswith(f"-{record.id}")
    )
    assert {d.get("type"): d.get("iso-date") for d in written.findall("activity-date")} == expected


def test_the_countries_an_import_is_limited_to_are_checked(
    client: TestClient, session: Session, tmp_path: Path, world: World
) -> None:
    """An unknown code matched nothing and the import said 0 relevant activities without a word; the
    alpha-2 codes IATI files use ("KE") are read as the countries they name."""
    assert service.chosen_countries(session, ["ke", "UGA", "KEN"]) == ("KEN", "UGA")
    path = synthetic.write_file(tmp_path / "upload.xml", [synthetic.activity(1)])
    sign_in(client, world.emails["facilitator"])
    earlier = _upload(client, path).headers["location"]
    run_queued_jobs(client)
    page = client.get("/activities/import/iati")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    with path.open("rb") as handle:
        refused = client.post(
            "/activities/import/iati",
            data={"csrf_token": token, "countries": "Kenya, XX"},
            files={"file": (path.name, handle, "application/xml")},
            follow_redirects=False,
        )
    assert refused.status_code == 422
    assert "unknown country code: Kenya, XX" in refused.text
    assert earlier in refused.text  # the recent imports are still listed
