"""Each installation reports IATI under its own organisation identifier (PUX_IATI_REPORTING_REF, named
PUX_IATI_REPORTING_NAME): every PUX reported the activities whose provider has no IATI identifier as
"XI-PUX" and minted "XI-PUX-PUX-<n>" for them, so a facilitator's installation and a regional one
published clashing identifiers. The configured identifier is what the export mints and reports under,
and what an import recognises PUX's own export by; a value IATI does not allow stops PUX at start-up."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import etree
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from pux.assistance.models import AssistanceActivity
from pux.cli import app
from pux.config import Settings, get_settings
from pux.interop.iati import synthetic
from pux.interop.iati.records import Narrative
from tests.interop.iati.test_export import _upload, _when_finished
from tests.web_helpers import sign_in
from tests.world import World

REGIONAL_REF = "XM-DAC-41301"
REGIONAL_NAME = "PUX of the regional office"
# The title and country of the world's activity "public_a", recorded in PUX by a provider with no IATI
# identifier.
TITLE, COUNTRY = "Brachytherapy training for Kenyan physicists", "KE"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Iterator[Settings]:
    """The app of a regional installation; its jobs read the same identifier from the environment."""
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("PUX_IATI_REPORTING_REF", REGIONAL_REF)
        environment.setenv("PUX_IATI_REPORTING_NAME", REGIONAL_NAME)
        get_settings.cache_clear()
        yield Settings(database_url=database_url, files_dir=tmp_path / "files", job_runner="in-process")
    get_settings.cache_clear()  # no later test may read this installation's settings


def _activity(document: etree._Element, identifier: str) -> etree._Element:
    found = [a for a in document.iter("iati-activity") if a.findtext("iati-identifier") == identifier]
    assert len(found) == 1, f"{identifier} is not in the export"
    return found[0]


def _export(client: TestClient, tmp_path: Path) -> Path:
    answer = client.get("/activities/iati.xml", params={"country": "KEN"})
    assert answer.status_code == 200, answer.text
    path = tmp_path / "regional-export.xml"
    path.write_bytes(answer.content)
    return path


def _import(client: TestClient, path: Path) -> str:
    sent = _upload(client, path)
    assert sent.status_code == 303, sent.text
    return _when_finished(client, sent.headers["location"])


def _by_identifier(session: Session, identifier: str) -> AssistanceActivity | None:
    return session.scalars(
        select(AssistanceActivity).where(AssistanceActivity.iati_identifier == identifier)
    ).first()


def test_the_export_mints_identifiers_and_reports_under_this_installation_s_reference(
    client: TestClient, world: World, tmp_path: Path
) -> None:
    sign_in(client, world.emails["facilitator"])
    document = etree.parse(str(_export(client, tmp_path))).getroot()

    ours = _activity(document, f"{REGIONAL_REF}-PUX-{world.activities['public_a']}")
    reporting = ours.find("reporting-org")
    assert reporting is not None and reporting.get("ref") == REGIONAL_REF
    assert reporting.findtext("narrative") == REGIONAL_NAME
    assert b"XI-PUX" not in etree.tostring(document)


def test_an_import_knows_this_installation_s_export_and_imports_a_default_installation_s(
    client: TestClient, session: Session, world: World, tmp_path: Path
) -> None:
    """Read back, the regional export is PUX's own (nothing new); a file of an installation left at
    "XI-PUX", naming the same number, title and country, is another publisher's and is imported."""
    number = world.activities["public_a"]
    sign_in(client, world.emails["facilitator"])

    _import(client, _export(client, tmp_path))
    assert _by_identifier(session, f"{REGIONAL_REF}-PUX-{number}") is None

    theirs = replace(
        synthetic.activity(0, identifier=f"XI-PUX-PUX-{number}", reporting_ref="XI-PUX", country=COUNTRY),
        titles=(Narrative("en", TITLE),),
    )
    _import(client, synthetic.write_file(tmp_path / "default-installation.xml", [theirs]))
    imported = _by_identifier(session, f"XI-PUX-PUX-{number}")
    assert imported is not None and imported.id != number and imported.origin == "iati"


def test_without_the_setting_pux_reports_as_before() -> None:
    defaults = Settings()
    assert (defaults.iati_reporting_ref, defaults.iati_reporting_name) == (
        "XI-PUX",
        "PUX - Peaceful Uses Exchange",
    )


@pytest.mark.parametrize("wrong", ["XM DAC 41301", "XM_DAC_41301", "XIPUX", "-XI-PUX", "XI-PUX/1", "XI--PUX"])
def test_a_reference_iati_does_not_allow_is_refused(wrong: str) -> None:
    with pytest.raises(ValidationError, match="is not an IATI organisation identifier"):
        Settings(iati_reporting_ref=wrong)


def test_a_blank_reporting_name_is_refused() -> None:
    with pytest.raises(ValidationError, match="may not be blank"):
        Settings(iati_reporting_name="  ")


def test_pux_stops_at_start_up_naming_the_wrong_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUX_IATI_REPORTING_REF", "XM DAC 41301")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["jobs", "list"], env={"COLUMNS": "300"})
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    said = "Wrong setting: PUX_IATI_REPORTING_REF: 'XM DAC 41301' is not an IATI organisation identifier"
    assert said in result.output
    assert "Traceback" not in result.output
