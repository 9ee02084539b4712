"""The IATI export does not make dates up: an activity recorded without dates was exported with a planned
start and a commitment and a disbursement dated the day it was recorded, as if PUX knew them.

IATI 2.03 requires an activity-date, and a planned or an actual start among them: such an activity gets a
planned start whose narrative says it is not the activity's start. Transactions need a date: with none
known, the amounts are given in words (a description of type 4, "other"), not as dated transactions."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from pux.accounts.models import Organisation
from pux.accounts.permissions import Actor
from pux.assistance import service as assistance
from pux.assistance.repository import ActivityFilter
from pux.interop.iati.schema import schema_problems
from pux.interop.iati.service import export_activities
from tests.interop.iati.conftest import BASE_URL
from tests.world import activity_data


def _exported(session: Session, actor: Actor, activity_id: int) -> Any:
    """The activity's iati-activity element in an export that passes the official 2.03 schema."""
    target = io.BytesIO()
    export_activities(session, actor=actor, filters=ActivityFilter(), target=target, base_url=BASE_URL)
    document = etree.fromstring(target.getvalue())
    assert schema_problems(document) == []
    return next(
        a
        for a in document.iter("iati-activity")
        if a.findtext("iati-identifier", "").endswith(f"-PUX-{activity_id}")
    )


def _record(session: Session, actor: Actor, **extra: object) -> int:
    provider = session.scalar(select(Organisation.id).limit(1))
    assert provider is not None
    values: dict[str, object] = {
        "title": "Undated dosimetry calibration",
        "amount_committed": Decimal("1500000"),
        "amount_disbursed": Decimal("400000.50"),
        **extra,
    }
    return assistance.record_activity(session, actor=actor, data=activity_data(provider, **values)).id


def test_an_activity_without_dates_is_exported_with_a_start_said_to_be_unknown_and_no_dated_money(
    session: Session, facilitator: Actor
) -> None:
    activity_id = _record(session, facilitator)
    written = _exported(session, facilitator, activity_id)

    dates = written.findall("activity-date")
    assert [d.get("type") for d in dates] == ["1"]  # a planned start, never an actual one
    assert "not known" in " ".join(n.text for n in dates[0].findall("narrative"))
    assert written.findall("transaction") == []
    other = written.find("description[@type='4']")
    assert other is not None
    words = other.findtext("narrative", "")
    assert "committed 1500000.00 USD" in words and "disbursed 400000.50 USD" in words
    assert written.findtext("description[@type='1']/narrative")


def test_the_start_put_in_for_an_unknown_one_is_not_after_the_known_end(
    session: Session, facilitator: Actor
) -> None:
    activity_id = _record(session, facilitator, status="closed", end_date=date(2021, 6, 30))
    written = _exported(session, facilitator, activity_id)
    assert {d.get("type"): d.get("iso-date") for d in written.findall("activity-date")} == {
        "1": "2021-06-30",
        "4": "2021-06-30",
    }


def test_an_activity_with_a_start_has_its_amounts_as_transactions_on_that_day(
    session: Session, facilitator: Actor
) -> None:
    activity_id = _record(session, facilitator, start_date=date(2020, 3, 1), title="Dated dosimetry")
    written = _exported(session, facilitator, activity_id)

    assert {d.get("type") for d in written.findall("activity-date")} == {"2"}
    assert all(d.find("narrative") is None for d in written.findall("activity-date"))
    transactions = {
        t.find("transaction-type").get("code"): (
            t.find("transaction-date").get("iso-date"),
            t.findtext("value"),
        )
        for t in written.findall("transaction")
    }
    assert transactions == {"2": ("2020-03-01", "1500000"), "3": ("2020-03-01", "400000.50")}
    assert written.find("description[@type='4']") is None
