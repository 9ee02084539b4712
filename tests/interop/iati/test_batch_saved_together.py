"""An IATI batch holds SQLite's write lock for a time that grows little with its activities: its new
activities and their audit records are given their ids before they are written, so each table takes one
statement for the batch. SQLite cannot say in which order a multi-row insert numbered its rows, so a row
whose id the database hands back went in by a statement of its own: a batch of 250 activities ran 500
inserts while every other save of the site waited. Counted by statements, not timed."""

from __future__ import annotations

import secrets
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from pux.interop.iati import service, synthetic
from tests.interop.iati.conftest import BASE_URL
from tests.statements import recorded_statements
from tests.world import World

FEW, MANY = 6, 60
SAVED_TOGETHER = ("INSERT INTO assistance_activity", "INSERT INTO audit_event")


def _imported(factory: sessionmaker[Session], world: World, path: Path, count: int) -> service.ImportReport:
    reporter = f"XM-TOGETHER-{secrets.token_hex(3)}"
    synthetic.write_file(path, synthetic.activities(count, relevant_share=1.0, reporting_ref=reporter))
    return service.import_file(
        session_factory=factory,
        actor=world.actors["facilitator"],
        path=path,
        base_url=BASE_URL,
        options=service.ImportOptions(everything=True, batch_size=MANY),
    )


def test_a_batch_ten_times_larger_runs_as_many_inserts_of_activities_and_audit_records(
    session_factory: sessionmaker[Session], engine: Engine, world: World, tmp_path: Path
) -> None:
    counts = []
    for count in (FEW, MANY):
        with recorded_statements(engine) as seen:
            report = _imported(session_factory, world, tmp_path / f"{count}.xml", count)
        assert report.new == count, report
        counts.append(sorted(s.split(" (", 1)[0] for s in seen if s.startswith(SAVED_TOGETHER)))
    few, many = counts
    assert few and many == few, f"{FEW} activities: {len(few)} inserts; {MANY} activities: {len(many)}"
