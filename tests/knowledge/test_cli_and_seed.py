"""``pux evidence`` against the test database (it commits for real, so the test removes what it added),
the real seed files of src/pux/knowledge/data, and the demo's knowledge part."""

from __future__ import annotations

import csv
import html
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from pux.audit.models import AuditEvent
from pux.cli import app
from pux.db import make_session_factory, unit_of_work
from pux.knowledge import repository, service
from pux.knowledge.demo import load_knowledge_demo
from pux.knowledge.models import EvidenceEntry
from pux.knowledge.seed import DATA_DIR, load_knowledge_seed
from pux.reference import service as reference
from tests.committed import rewind_audit_chain
from tests.world import PASSWORD, World

runner = CliRunner()
WIDE = {"COLUMNS": "220"}
HEADER = (
    "key,technique,comparator,claim,value,value_high,unit,currency,price_year,country_iso3,region,"
    "period_start,period_end,citation_title,citation_publisher,citation_year,citation_url,citation_doi,note\n"
)
GOOD = "cli-test-1,isotope_hydrology,,Cost of an isotope survey of one aquifer,250000,,USD,USD,2020,KEN,,,,"
GOOD += "Isotope hydrology costs,Test,2021,https://example.org/iso,,\n"
BAD = (
    "cli-test-2,alchemy,,Claim with an unknown technique code,1,,ratio,,,,,,,Title,Test,2021,https://x.org/a,,\n"
    "cli-test-3,isotope_hydrology,,Claim missing its source link,abc,,ratio,,,XXX,,,,Title,Test,2021,,,\n"
)


@pytest.fixture
def cleanup(engine: Engine) -> Iterator[None]:
    yield
    with unit_of_work(make_session_factory(engine)) as session:
        session.execute(delete(EvidenceEntry).where(EvidenceEntry.key.like("cli-test-%")))
        session.execute(delete(AuditEvent).where(AuditEvent.entity_type == "knowledge_evidence"))
        rewind_audit_chain(session)


def test_import_refuses_naming_every_row_and_field(
    cli_env: None, cleanup: None, tmp_path: Path, engine: Engine
) -> None:
    file = tmp_path / "evidence.csv"
    file.write_text(HEADER + GOOD + BAD, "utf-8")
    result = runner.invoke(app, ["evidence", "import", str(file)], env=WIDE)
    assert result.exit_code == 1, result.output
    assert "nothing was imported" in result.output
    assert "row 3, field technique" in result.output
    assert "row 4, field value" in result.output and "row 4, field country_iso3" in result.output
    with Session(engine) as session:
        assert repository.evidence_by_keys(session, ["cli-test-1"]) == {}


def test_import_then_again_is_idempotent_and_list_shows_it(
    cli_env: None, cleanup: None, tmp_path: Path, world: World
) -> None:
    file = tmp_path / "evidence.csv"
    file.write_text(HEADER + GOOD, "utf-8")
    first = runner.invoke(
        app, ["evidence", "import", str(file), "--as", world.emails["facilitator"]], env=WIDE
    )
    assert first.exit_code == 0, first.output
    assert "1 new, 0 updated, 0 unchanged" in first.output
    again = runner.invoke(app, ["evidence", "import", str(file)], env=WIDE)
    assert "0 new, 0 updated, 1 unchanged" in again.output
    listed = runner.invoke(app, ["evidence", "list", "--status", "reported"], env=WIDE)
    assert listed.exit_code == 0 and "cli-test-1" in listed.output
    assert "Not stated" in listed.output  # the file gives no study method, and the list says so


def test_the_real_seed_loads_whole_and_every_technique_page_shows_it(
    client: TestClient, session: Session, world: World
) -> None:
    report = load_knowledge_seed(session, actor="test-seed", data_dir=DATA_DIR)
    assert report.problems == [] and report.skipped == []
    assert report.techniques == len(reference.list_techniques(session)) == 28
    assert report.myths >= 12 and report.evidence_created >= 1
    for _area, items in service.list_techniques(session):
        for item in items:
            assert item.summary is not None, item.technique.code
            page = client.get(f"/techniques/{item.slug}")
            assert page.status_code == 200, item.slug
            assert "Compared with conventional alternatives" in page.text
    for myth in repository.list_myths(session, published_only=True):
        assert myth.sources, myth.slug
        assert client.get(f"/myths/{myth.slug}").status_code == 200
    _every_recorded_check_shows_on_its_entry(client, session, report.evidence_checked)


def _every_recorded_check_shows_on_its_entry(client: TestClient, session: Session, marked: int) -> None:
    """The seed's checks (evidence_checks.csv) mark their entries checked, with who, when and the copy of the
    source read; every other seed entry stays reported."""
    with (DATA_DIR / "evidence_checks.csv").open(encoding="utf-8") as handle:
        checks = {row["key"]: row for row in csv.DictReader(handle)}
    with (DATA_DIR / "evidence.csv").open(encoding="utf-8") as handle:
        keys = [row["key"] for row in csv.DictReader(handle)]
    assert checks and set(checks) <= set(keys) and marked == len(checks)
    entries = repository.evidence_by_keys(session, keys)
    for key in keys:
        entry = entries[key]
        if key not in checks:
            assert entry.status == "reported", key
            continue
        assert entry.status == "checked" and entry.check_source == checks[key]["source_read"], key
        page = client.get(f"/evidence/{entry.id}")
        assert f"Checked by {checks[key]['checked_by']} on {checks[key]['checked_on']}" in page.text, key
        assert f'href="{html.escape(checks[key]["source_read"])}"' in page.text, key


def test_the_demo_adds_an_editor_a_reviewer_and_illustrative_stories(session: Session, world: World) -> None:
    stories = load_knowledge_demo(session, password=PASSWORD)
    assert stories >= 8
    published = repository.list_stories(session, published_only=True)
    assert all(story.is_illustrative for story in published)
    assert sum(1 for story in published if story.need_id is not None) >= 1


def test_a_seed_row_with_a_cell_past_the_header_is_reported_not_dropped(
    session: Session, world: World, tmp_path: Path
) -> None:
    # Whoever edits the packaged evidence file and slips a comma into an unquoted claim must be told
    # which row it is: the cell past the last column would otherwise be dropped unread.
    lines = (Path(__file__).parent / "fixtures" / "evidence.csv").read_text("utf-8").splitlines()
    lines[2] += ",a cell past the last column"
    (tmp_path / "evidence.csv").write_text("\n".join(lines) + "\n", "utf-8")
    report = load_knowledge_seed(session, actor="test-seed", data_dir=tmp_path)
    assert report.evidence_created == 0
    assert any(str(problem).startswith("evidence.csv: row 3,") for problem in report.problems), report
