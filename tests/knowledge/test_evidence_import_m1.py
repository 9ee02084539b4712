"""`pux evidence import` refuses a column it does not know (a misspelt `study_methd` was dropped unread,
leaving every entry's study method "not stated") and names a bad row by its own number in the file (a
blank row above it made the refusal name the row before)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from pux.accounts.permissions import Actor
from pux.audit.models import AuditEvent
from pux.cli import app
from pux.db import make_session_factory, unit_of_work
from pux.errors import ValidationFailed
from pux.knowledge import repository, service
from pux.knowledge.models import EvidenceEntry
from tests.committed import rewind_audit_chain

runner = CliRunner()
WIDE = {"COLUMNS": "220"}
HEADER = (
    "key,technique,comparator,claim,value,value_high,unit,currency,price_year,country_iso3,region,"
    "period_start,period_end,citation_title,citation_publisher,citation_year,citation_url,citation_doi,note"
)
ROW = (
    "{key},isotope_hydrology,,Cost of an isotope survey of one aquifer,{value},,USD,USD,2020,KEN,,,,"
    "Isotope hydrology costs,Test,2021,https://example.org/iso,,"
)
BLANK_SPREADSHEET_ROW = "," * HEADER.count(",")


@pytest.fixture
def cleanup(engine: Engine) -> Iterator[None]:
    """The command commits: remove what it added, should it import anything."""
    yield
    with unit_of_work(make_session_factory(engine)) as session:
        session.execute(delete(EvidenceEntry).where(EvidenceEntry.key.like("m1-test-%")))
        session.execute(delete(AuditEvent).where(AuditEvent.entity_type == "knowledge_evidence"))
        rewind_audit_chain(session)


def _import(tmp_path: Path, *lines: str) -> tuple[int, str]:
    file = tmp_path / "evidence.csv"
    file.write_text("\n".join(lines) + "\n", "utf-8")
    result = runner.invoke(app, ["evidence", "import", str(file)], env=WIDE)
    return result.exit_code, " ".join(result.output.split())


def _imported(engine: Engine, *keys: str) -> set[str]:
    with Session(engine) as session:
        return set(repository.evidence_by_keys(session, list(keys)))


@pytest.mark.usefixtures("cli_env", "cleanup")
def test_a_misspelt_column_refuses_the_file_naming_it(tmp_path: Path, engine: Engine) -> None:
    exit_code, output = _import(
        tmp_path,
        HEADER + ",study_methd,Remarks",
        ROW.format(key="m1-test-1", value="1250") + ",randomised_trial,x",
    )
    assert exit_code == 1, output
    assert "nothing was imported" in output
    assert "row 1, field header: unknown columns: study_methd, Remarks" in output
    assert _imported(engine, "m1-test-1") == set()


def test_the_seed_s_loader_meets_the_same_refusal(session: Session) -> None:
    row = {"key": "m1-test-9", "technique": "isotope_hydrology", "claim": "A claim of ten letters"}
    with pytest.raises(ValidationFailed) as refused:
        service.import_evidence(session, actor=Actor.system("test"), rows=[{**row, "study_methd": "x"}])
    assert [(p.row, p.field) for p in refused.value.problems if p.field == "header"] == [(1, "header")]


@pytest.mark.usefixtures("cli_env", "cleanup")
def test_a_bad_row_below_blank_rows_is_named_by_its_own_row(tmp_path: Path, engine: Engine) -> None:
    exit_code, output = _import(
        tmp_path,
        HEADER,
        ROW.format(key="m1-test-2", value="1250"),
        "",
        ROW.format(key="m1-test-3", value="abc"),
        BLANK_SPREADSHEET_ROW,
        ROW.format(key="m1-test-2", value="99"),
    )
    assert exit_code == 1, output
    assert "row 4, field value" in output and "row 3," not in output
    assert "row 6, field key: repeats row 2" in output
    assert _imported(engine, "m1-test-2", "m1-test-3") == set()


@pytest.mark.usefixtures("cli_env", "cleanup")
def test_blank_rows_between_good_rows_are_passed_over(tmp_path: Path, engine: Engine) -> None:
    exit_code, output = _import(
        tmp_path,
        HEADER,
        ROW.format(key="m1-test-4", value="1250"),
        "",
        BLANK_SPREADSHEET_ROW,
        ROW.format(key="m1-test-5", value="99"),
    )
    assert exit_code == 0, output
    assert "2 new" in output
    assert _imported(engine, "m1-test-4", "m1-test-5") == {"m1-test-4", "m1-test-5"}
