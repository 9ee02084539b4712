"""The brief pages and PDFs through the real app and the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pux.cli import app as cli
from tests.web_helpers import sign_in
from tests.world import World


def test_the_country_page_links_to_its_brief_and_the_brief_to_its_pdf(
    client: TestClient, world: World
) -> None:
    country = client.get("/countries/KEN")
    assert 'href="/countries/KEN/brief"' in country.text
    assert 'href="/regions/014/brief"' in country.text  # Eastern Africa
    page = client.get("/countries/ken/brief")
    assert page.status_code == 200
    assert 'href="/countries/KEN/brief.pdf"' in page.text
    assert "Published public: nuclear medicine upgrade" in page.text
    assert "Published private: nuclear medicine upgrade" not in page.text


def test_the_pdf_is_served_as_a_download_named_for_what_it_is(client: TestClient, world: World) -> None:
    client.cookies.set("pux_lang", "fr")
    answer = client.get("/countries/KEN/brief.pdf")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF-")
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="pux-country-brief-KEN-fr-')
    assert answer.headers["cache-control"] == "private, no-store"
    assert answer.headers["x-pux-data-version"]


def test_a_signed_in_focal_point_sees_the_private_need_in_the_brief(client: TestClient, world: World) -> None:
    sign_in(client, world.emails["focal_ken"])
    page = client.get("/countries/KEN/brief")
    assert "Published private: nuclear medicine upgrade" in page.text
    assert "do not pass it on" in page.text


@pytest.mark.parametrize(
    "address",
    ["/countries/XXX/brief", "/regions/999/brief", "/organisations/999999/brief", "/countries/XXX/brief.pdf"],
)
def test_unknown_briefs_are_not_found(client: TestClient, address: str) -> None:
    assert client.get(address).status_code == 404


def test_regional_and_partner_brief_pages(client: TestClient, world: World) -> None:
    region = client.get("/regions/014/brief")
    assert region.status_code == 200 and "Eastern Africa" in region.text
    partner = client.get(f"/organisations/{world.organisations['donor_a']}/brief")
    assert partner.status_code == 200 and "Published fellowship programme" in partner.text
    assert "Radiotherapy equipment grants" not in partner.text  # its draft programme is not public


def test_the_command_line_writes_briefs(cli_env: None, world: World, tmp_path: Path) -> None:
    runner = CliRunner()
    single = tmp_path / "kenya-ar.pdf"
    result = runner.invoke(cli, ["brief", "KEN", "--lang", "ar", "--output", str(single)])
    assert result.exit_code == 0, result.output
    assert single.read_bytes().startswith(b"%PDF-")
    folder = tmp_path / "briefs"
    result = runner.invoke(cli, ["briefs", "all", "--lang", "fr", "--output", str(folder)])
    assert result.exit_code == 0, result.output
    written = sorted(path.name for path in folder.iterdir())
    assert any(name.startswith("pux-country-brief-KEN-fr-") for name in written)
    assert any(name.startswith("pux-country-brief-UGA-fr-") for name in written)
    refused = runner.invoke(cli, ["brief", "XXX", "--output", str(tmp_path / "none.pdf")])
    assert refused.exit_code == 1 and not (tmp_path / "none.pdf").exists()
