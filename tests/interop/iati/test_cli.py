"""``pux iati`` against the test database, and an import killed half way (SIGKILL) then run again:
the result is the same as one clean run. These commit for real, so each test removes what it added."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from pux.accounts.models import Organisation
from pux.assistance.models import AssistanceActivity, IatiImportRun, IatiOrganisationToConfirm, IatiSource
from pux.audit.models import AuditEvent
from pux.cli import app
from pux.db import make_session_factory, unit_of_work
from pux.interop.iati import synthetic
from pux.interop.iati.schema import schema_problems
from pux.interop.iati.service import ImportOptions, finish_import, import_file, start_import
from tests.committed import rewind_audit_chain
from tests.interop.iati.conftest import BASE_URL, run_counts, snapshot
from tests.world import World

runner = CliRunner()
WIDE = {"COLUMNS": "220"}


def _remove(engine: Engine, reporting_ref: str) -> None:
    """Delete what imports of this publisher committed: activities (their rows go with them), runs,
    sources, the organisations they created and the audit records of all of it."""
    with unit_of_work(make_session_factory(engine)) as session:
        activities = (
            session.scalars(
                select(AssistanceActivity).where(AssistanceActivity.iati_reporting_org_ref == reporting_ref)
            )
            .unique()
            .all()
        )
        ids = [str(a.id) for a in activities]
        for activity in activities:
            session.delete(activity)  # through the ORM, so the search index forgets them too
        session.flush()
        sources = [
            s.id for s in session.scalars(select(IatiSource).where(IatiSource.publisher_ref == reporting_ref))
        ]
        runs = [
            str(r)
            for r in session.scalars(select(IatiImportRun.id).where(IatiImportRun.source_id.in_(sources)))
        ]
        organisations = list(
            session.scalars(select(Organisation.id).where(Organisation.iati_identifier == reporting_ref))
        )
        session.execute(
            delete(IatiOrganisationToConfirm).where(
                IatiOrganisationToConfirm.organisation_id.in_(organisations)
            )
        )
        session.execute(delete(IatiImportRun).where(IatiImportRun.source_id.in_(sources)))
        session.execute(delete(IatiSource).where(IatiSource.id.in_(sources)))
        session.execute(delete(Organisation).where(Organisation.id.in_(organisations)))
        session.execute(
            delete(AuditEvent).where(
                (AuditEvent.entity_id.in_(ids) & (AuditEvent.entity_type == "assistance_activity"))
                | (AuditEvent.entity_id.in_(runs) & (AuditEvent.entity_type == "iati_import_run"))
                | (
                    AuditEvent.entity_id.in_([str(o) for o in organisations])
                    & (AuditEvent.entity_type == "organisation")
                )
            )
        )
        rewind_audit_chain(session)


@pytest.fixture
def cli_publisher(engine: Engine, cli_env: None) -> Iterator[str]:
    reporting_ref = "XX-SYN-CLI"
    yield reporting_ref
    _remove(engine, reporting_ref)


def test_the_cli_imports_a_folder_reports_refusals_and_exports_valid_iati(
    cli_publisher: str, tmp_path: Path, engine: Engine
) -> None:
    from dataclasses import replace

    folder = tmp_path / "files"
    folder.mkdir()
    records = list(synthetic.activities(6, reporting_ref=cli_publisher, relevant_share=1.0))
    synthetic.write_file(folder / "a.xml", records[:3])
    synthetic.write_file(
        folder / "b.xml",
        [*records[3:], replace(records[0], identifier=f"{cli_publisher}-bad", default_currency="XYZ")],
    )
    result = runner.invoke(
        app,
        ["iati", "import", str(folder), "--country", "ken", "--country", "UGA", "--country", "TZA"],
        env=WIDE,
    )
    assert result.exit_code == 0, result.output
    assert "a.xml: 3 read" in result.output and "refused" in result.output
    assert f"{cli_publisher}-bad" in result.output and "XYZ" in result.output
    with Session(engine) as session:
        countries = set(
            session.scalars(
                select(AssistanceActivity.recipient_country_iso3).where(
                    AssistanceActivity.iati_reporting_org_ref == cli_publisher
                )
            )
        )
    assert countries and countries <= {"KEN", "UGA", "TZA"}
    again = runner.invoke(
        app,
        ["iati", "import", str(folder / "a.xml"), "--country", "KEN", "--country", "UGA", "--country", "TZA"],
        env=WIDE,
    )
    assert "0 new, 0 updated, 3 unchanged" in again.output, again.output

    output = tmp_path / "export.xml"
    exported = runner.invoke(app, ["iati", "export", str(output), "--country", "KEN"], env=WIDE)
    assert exported.exit_code == 0, exported.output
    assert schema_problems(etree.parse(str(output)).getroot()) == []


def test_the_cli_refuses_a_file_that_is_not_iati_and_says_why(cli_env: None, tmp_path: Path) -> None:
    path = tmp_path / "page.xml"
    path.write_text("<html><body>hello</body></html>", encoding="utf-8")
    result = runner.invoke(app, ["iati", "import", str(path)], env=WIDE)
    assert result.exit_code == 1
    assert "refused, nothing was imported" in result.output and "not an IATI activity file" in result.output
    assert "its root is html" in " ".join(result.output.split())


def test_the_cli_says_a_file_is_being_imported_elsewhere_not_that_nothing_was_imported(
    cli_publisher: str, tmp_path: Path, engine: Engine, world: World
) -> None:
    path = synthetic.write_file(
        tmp_path / "held.xml", list(synthetic.activities(10, reporting_ref=cli_publisher))
    )
    held = start_import(
        session_factory=make_session_factory(engine),
        actor=world.actors["facilitator"],
        path=path,
        base_url=BASE_URL,
        options=ImportOptions(everything=True, batch_size=5),
    )
    result = runner.invoke(app, ["iati", "import", str(path), "--all", "--batch-size", "5"], env=WIDE)
    finish_import(held)
    # The operator learns another process has the file, and which run to watch; no false "nothing".
    assert result.exit_code == 1
    assert "nothing was imported" not in result.output
    assert "being imported already" in result.output and f"(run {held.run_id})" in result.output


def _clean_run(engine: Engine, world: World, path: Path) -> tuple[dict[str, Any], tuple[int, ...]]:
    """What one uninterrupted import of the file gives (in a transaction that is then rolled back)."""
    with engine.connect() as connection:
        transaction = connection.begin()
        factory = sessionmaker(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        report = import_file(
            session_factory=factory,
            actor=world.actors["facilitator"],
            path=path,
            base_url=BASE_URL,
            options=ImportOptions(),
        )
        with factory() as session:
            state = snapshot(session)
        transaction.rollback()
    return state, (report.read, report.relevant, report.new, report.updated, report.unchanged, report.refused)


def _done(engine: Engine, file_name: str) -> int:
    with Session(engine) as session:
        run = session.scalars(
            select(IatiImportRun)
            .join(IatiSource)
            .where(IatiSource.file_name == file_name)
            .order_by(IatiImportRun.id.desc())
        ).first()
        return run.done_count if run is not None else 0


def test_an_import_killed_half_way_and_run_again_equals_one_clean_run(
    engine: Engine, world: World, database_url: str, tmp_path: Path
) -> None:
    reporting_ref = "XX-SYN-KILL"
    path = synthetic.write_file(
        tmp_path / "large.xml", list(synthetic.activities(400, reporting_ref=reporting_ref))
    )
    expected, expected_counts = _clean_run(engine, world, path)
    assert expected and not _done(engine, path.name)
    environment = {**os.environ, "PUX_DATABASE_URL": database_url}
    command = [
        sys.executable,
        "-c",
        "from pux.cli import app; app()",
        "iati",
        "import",
        str(path),
        "--batch-size",
        "20",
    ]
    try:
        process = subprocess.Popen(
            command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 120
        while _done(engine, path.name) < 60 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert process.poll() is None, "the import finished before it could be killed"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        killed_at = _done(engine, path.name)
        assert 0 < killed_at < 400
        finished = subprocess.run(
            command, env=environment, capture_output=True, text=True, timeout=600, check=False
        )
        assert finished.returncode == 0, finished.stderr
        with Session(engine) as session:
            assert snapshot(session) == {**_others(session, expected), **expected}
            run = session.scalars(
                select(IatiImportRun).join(IatiSource).where(IatiSource.file_name == path.name)
            ).one()
            counts = run_counts(run)
        assert counts == expected_counts
        assert run.status == "finished"
    finally:
        _remove(engine, reporting_ref)


def _others(session: Session, expected: dict[str, Any]) -> dict[str, Any]:
    """IATI activities in the database that this test did not import (other tests' committed ones)."""
    return {key: value for key, value in snapshot(session).items() if not key.startswith("XX-SYN-KILL")}
