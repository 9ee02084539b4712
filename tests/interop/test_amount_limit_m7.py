"""One upper bound for amounts everywhere, what the amount columns hold: an activity an IATI file brought
with a commitment of 20 trillion XOF could not be saved again from its own edit form (the forms stopped at
10 trillion, the import at ten quadrillion), and a total past what the column holds was imported."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from pux.assistance.models import AssistanceActivity
from pux.assistance.schemas import ActivityUpdate
from pux.interop.iati import synthetic
from pux.interop.iati.service import ImportOptions, import_file
from pux.needs.schemas import NeedCreate
from pux.programmes.schemas import ProgrammeCreate
from tests.interop.iati.conftest import BASE_URL
from tests.web_helpers import bearer
from tests.world import World


def _import(factory: sessionmaker[Session], world: World, path: Path):  # type: ignore[no-untyped-def]
    return import_file(
        session_factory=factory,
        actor=world.actors["facilitator"],
        path=path,
        base_url=BASE_URL,
        options=ImportOptions(everything=True),
    )


def test_an_activity_imported_with_20_trillion_xof_is_saved_again_unchanged(
    client: TestClient, session: Session, session_factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    record = synthetic.activity(1, identifier="XM-M7-LARGE-1", commitment=Decimal("2e13"), currency="XOF")
    report = _import(session_factory, world, synthetic.write_file(tmp_path / "large.xml", [record]))
    assert report.new == 1, report.refusals
    activity = session.scalars(
        select(AssistanceActivity).where(AssistanceActivity.iati_identifier == "XM-M7-LARGE-1")
    ).one()
    headers = bearer(world.tokens["facilitator"])
    read = client.get(f"/api/v1/activities/{activity.id}", headers=headers).json()
    assert Decimal(read["amount_committed"]) == Decimal("2e13")

    sent = {key: value for key, value in read.items() if key in ActivityUpdate.model_fields}
    answer = client.put(f"/api/v1/activities/{activity.id}", json=sent, headers=headers)

    assert answer.status_code == 200, answer.text


def test_an_iati_total_past_what_the_column_holds_is_refused_by_name(
    session_factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    record = synthetic.activity(2, identifier="XM-M7-LARGE-2", commitment=Decimal("9e13"), currency="XOF")
    commitment = record.transactions[0]
    twice = replace(record, transactions=(commitment, commitment, *record.transactions[1:]))

    report = _import(session_factory, world, synthetic.write_file(tmp_path / "twice.xml", [twice]))

    assert report.new == 0
    refusal = next(r for r in report.refusals if r.identifier == "XM-M7-LARGE-2")
    assert refusal.rule == "amount-too-large"
    assert "less than 100,000,000,000,000" in refusal.message()


def test_forms_and_api_take_every_amount_the_column_holds_and_no_more() -> None:
    largest, past = Decimal("99999999999999.99"), Decimal("100000000000000")
    for schema, field in [
        (ActivityUpdate, "amount_committed"),
        (NeedCreate, "estimated_cost"),
        (ProgrammeCreate, "total_budget"),
    ]:
        limit = next(m for m in schema.model_fields[field].metadata if hasattr(m, "lt"))
        assert largest < limit.lt and not past < limit.lt, (schema, field)
