"""An IATI activity whose transactions state their amounts in a currency other than the file's default:
its page said "Committed: not stated · Disbursed: not stated" of a 100,000 EUR commitment (default USD),
the API gave no amount, and the gap pages counted it among the activities that state no amount. Its
currency is now its transactions' when they share one; a figure in other or several currencies is shown
currency by currency (never added up)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from pux.assistance.models import AssistanceActivity
from pux.interop.iati import synthetic
from pux.interop.iati.records import ActivityRecord, Transaction
from pux.interop.iati.service import ImportOptions, import_file
from tests.interop.iati.conftest import BASE_URL
from tests.web_helpers import bearer
from tests.world import World

START, END = date(2025, 1, 1), date(2035, 12, 31)


def _running(identifier: str, *stated: tuple[str, str | None, str]) -> ActivityRecord:
    """A Kenyan activity of the file default USD, running now, with these (type, currency, value)."""
    record = synthetic.activity(5, identifier=identifier, currency="USD")
    transactions = tuple(
        Transaction(kind, START, Decimal(value), currency, START) for kind, currency, value in stated
    )
    return replace(record, transactions=transactions, dates={"1": START, "3": END})


def _import(factory: sessionmaker[Session], world: World, path: Path, record: ActivityRecord) -> None:
    report = import_file(
        session_factory=factory,
        actor=world.actors["facilitator"],
        path=synthetic.write_file(path, [record]),
        base_url=BASE_URL,
        options=ImportOptions(everything=True),
    )
    assert report.new == 1, report.refusals


def _activity(session: Session, identifier: str) -> AssistanceActivity:
    query = select(AssistanceActivity).where(AssistanceActivity.iati_identifier == identifier)
    return session.scalars(query).one()


def _counted(client: TestClient) -> tuple[int, int]:
    """Kenya's activities counted in its gaps, and of those the ones that state no amount."""
    gaps = client.get("/api/v1/gaps/countries/KEN").json()["gaps"]
    return sum(g["activities_count"] for g in gaps), sum(g["activities_without_amount"] for g in gaps)


def test_amounts_all_in_euros_are_the_activitys_in_euros_and_counted_in_the_gaps(
    client: TestClient, session: Session, session_factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    counted, without_amount = _counted(client)
    record = _running("XM-M7-EUR-1", ("2", "EUR", "100000"), ("3", "EUR", "20000"))

    _import(session_factory, world, tmp_path / "eur.xml", record)

    activity = _activity(session, "XM-M7-EUR-1")
    page = client.get(f"/activities/{activity.id}").text
    assert "Committed: 100,000 EUR" in page and "Disbursed: 20,000 EUR" in page
    assert "not stated" not in page
    read = client.get(f"/api/v1/activities/{activity.id}", headers=bearer(world.tokens["facilitator"])).json()
    assert (Decimal(read["amount_committed"]), read["currency"]) == (Decimal(100000), "EUR")
    assert _counted(client) == (counted + 1, without_amount)


def test_a_figure_in_another_currency_than_the_activitys_is_shown_in_its_own(
    client: TestClient, session: Session, session_factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    """Commitments in US dollars and pounds, a disbursement of 700 pounds: the page said "Disbursed: not
    stated" (one currency only, not the activity's)."""
    stated = ("2", None, "300000"), ("2", "GBP", "50000"), ("3", "GBP", "700")
    _import(session_factory, world, tmp_path / "mixed.xml", _running("XM-M7-MIXED-1", *stated))

    activity = _activity(session, "XM-M7-MIXED-1")
    page = client.get(f"/activities/{activity.id}").text
    assert "Committed: 50,000 GBP + 300,000 USD" in page
    assert "Disbursed: 700 GBP" in page
    assert "not stated" not in page
    # The gap pages do not add the two currencies up: the activity is counted among those with no single
    # amount, and the note says why (it said the activity "states no amount").
    gap = client.get("/gaps/countries/KEN").text
    assert "no single committed amount (none, or amounts in several currencies" in gap
