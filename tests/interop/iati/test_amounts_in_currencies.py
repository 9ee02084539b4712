"""An imported activity whose IATI file states its commitments or disbursements in several currencies: the
page lists each currency's total (it said "not stated" of amounts the file stated; PUX converts nothing)."""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.assistance import service as assistance
from pux.assistance.models import IatiTransaction
from tests.world import World, activity_data


def test_the_page_lists_each_currencys_total_of_a_mixed_file(
    client: TestClient, session: Session, world: World
) -> None:
    activity = assistance.record_activity(
        session,
        actor=world.actors["partner_a"],
        data=activity_data(
            world.organisations["donor_a"], amount_committed=None, description="Projet pilote."
        ),
    )
    # As the IATI import leaves it: no single committed or disbursed figure, the transactions kept.
    activity.iati_identifier = "XM-TEST-MIXED-1"
    stated = [("2", "USD", "400000"), ("2", "EUR", "100000"), ("3", None, "120000.50"), ("3", "EUR", "80000")]
    for position, (kind, currency, value) in enumerate(stated):
        session.add(
            IatiTransaction(
                activity_id=activity.id,
                position=position,
                transaction_type=kind,
                currency=currency,
                value=Decimal(value),
            )
        )
    session.flush()
    page = client.get(f"/activities/{activity.id}").text
    assert "Committed: 100,000 EUR + 400,000 USD" in page
    assert "Disbursed: 80,000 EUR + 120,000.50 USD" in page  # a transaction without currency: the default
    assert "PUX converts nothing" in page
    assert "Projet pilote." in page  # the description is shown
