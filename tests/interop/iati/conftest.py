"""Fixtures of the IATI tests: a session factory whose units of work join the test's rolled-back
transaction (as the app's do in the client fixture), the facilitator, and IATI files."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from pux.accounts.permissions import Actor
from pux.assistance.models import (
    AssistanceActivity,
    IatiImportRun,
    IatiNarrative,
    IatiParticipatingOrganisation,
    IatiSplit,
    IatiTransaction,
)
from pux.interop.iati import synthetic
from pux.interop.iati.service import ImportOptions, ImportReport, import_file
from tests.world import World

BASE_URL = "http://pux.test"
REPOSITORY = Path(__file__).resolve().parents[3]
EXAMPLE_NAME = "activity-standard-example-annotated.xml"


@pytest.fixture
def facilitator(world: World) -> Actor:
    return world.actors["facilitator"]


def import_everything(factory: sessionmaker[Session], actor: Actor, path: Path) -> ImportReport:
    """Import every activity of a file (not only those about PUX's techniques), in the test's transaction."""
    return import_file(
        session_factory=factory,
        actor=actor,
        path=path,
        base_url=BASE_URL,
        options=ImportOptions(everything=True),
    )


def activity_id_of(session: Session, iati_identifier: str) -> int | None:
    return session.scalar(
        select(AssistanceActivity.id).where(AssistanceActivity.iati_identifier == iati_identifier)
    )


def official_example() -> Path | None:
    """The official IATI 2.03 example file, where the shared data folder is beside the repository (as in
    CI) or named by PUX_IATI_EXAMPLES; None when neither has it."""
    candidates = [
        Path(os.environ["PUX_IATI_EXAMPLES"]) / EXAMPLE_NAME if os.environ.get("PUX_IATI_EXAMPLES") else None,
        REPOSITORY.parent / "shared" / "data" / "iati" / "samples" / EXAMPLE_NAME,
        Path("/work/shared/data/iati/samples") / EXAMPLE_NAME,
    ]
    return next((path for path in candidates if path is not None and path.is_file()), None)


@pytest.fixture
def example_file(tmp_path: Path) -> Path:
    """The official example when it is at hand, else a synthetic file with the same kinds of elements."""
    found = official_example()
    if found is not None:
        return found
    return synthetic.write_file(tmp_path / EXAMPLE_NAME, [synthetic.activity(1, relevant=False)])


@pytest.fixture
def relevant_file(tmp_path: Path) -> Path:
    return synthetic.write_file(tmp_path / "relevant.xml", list(synthetic.activities(30, relevant_share=0.7)))


def _rows(session: Session, table: Any, activity_id: int) -> list[tuple[Any, ...]]:
    """A child table's rows of one activity, without database ids, in a stable order."""
    # Organisations are named by their IATI identifier: ids differ between databases and runs.
    skip = ("id", "activity_id", "transaction_id", "organisation_id")
    found = session.scalars(select(table).where(table.activity_id == activity_id)).all()
    return sorted(
        tuple((c.key, str(getattr(row, c.key))) for c in table.__table__.columns if c.key not in skip)
        for row in found
    )


def snapshot(session: Session) -> dict[str, Any]:
    """Everything PUX keeps of its IATI activities, by identifier, without database ids."""
    activities = (
        session.scalars(select(AssistanceActivity).where(AssistanceActivity.origin == "iati")).unique().all()
    )
    by_id = {a.id: a.iati_identifier for a in activities}
    ignored = {
        "id",
        "created_at",
        "updated_at",
        "version",
        "iati_source_id",
        "created_by_id",
        "counted_in_activity_id",
    }
    result: dict[str, Any] = {}
    for activity in activities:
        columns = {key: value for key, value in activity.snapshot().items() if key not in ignored}
        columns["counted_in"] = by_id.get(activity.counted_in_activity_id or 0)
        columns["provider_organisation_id"] = activity.provider.iati_identifier or activity.provider.name
        columns["transactions"] = _rows(session, IatiTransaction, activity.id)
        columns["splits"] = _rows(session, IatiSplit, activity.id)
        columns["narratives"] = _rows(session, IatiNarrative, activity.id)
        columns["participants"] = _rows(session, IatiParticipatingOrganisation, activity.id)
        result[str(activity.iati_identifier)] = columns
    return result


def run_counts(run: IatiImportRun) -> tuple[int, ...]:
    """What an import run counted: read, relevant, new, updated, unchanged, refused."""
    return (
        run.read_count,
        run.relevant_count,
        run.new_count,
        run.updated_count,
        run.unchanged_count,
        run.refused_count,
    )
