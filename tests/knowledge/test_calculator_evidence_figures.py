"""A calculator figure "based on" an evidence entry is the entry's own figure (its value, unit, currency and
price year), or the pairing is refused naming the field; never a typed number carrying the entry's source.
A reader typed 1,500 "based on" an entry that says 896 USD million per year and the page listed "1,500 USD —
evidence entry 1"."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.accounts.permissions import Actor
from pux.knowledge import service
from pux.knowledge.schemas import EvidenceCreate
from pux.knowledge.seed import SeedReport

PAGE = "/techniques/sterile-insect-technique"
COSTS = {
    "investment": "1000", "investment__currency": "USD",
    "running_cost": "100", "running_cost__currency": "USD",
    "horizon_years": "1", "discount_percent": "0", "sensitivity_percent": "0",
}  # fmt: skip


def _entry(session: Session, editor: Actor, *, value: float, unit: str, price_year: int | None = 2019) -> int:
    data = EvidenceCreate(
        technique_code="sterile_insect", claim="Yearly benefit to livestock producers after eradication",
        value=value, unit=unit, currency="USD", price_year=price_year, citation_title="Screwworm impact",
        citation_year=2021, citation_url="https://example.org/screwworm",
    )  # fmt: skip
    return service.create_evidence(session, actor=editor, data=data).id


def _result(client: TestClient, **query: str) -> str:
    page = client.get(PAGE, params={**COSTS, **query})
    assert page.status_code == 200
    return page.text.split('class="calculator-result"')[1].split("</section>")[0]


def test_a_typed_number_is_not_credited_to_an_entry(
    client: TestClient, session: Session, seeded: SeedReport, editor: Actor
) -> None:
    entry_id = _entry(session, editor, value=896, unit="USD million per year")
    result = _result(client, benefit="1500", benefit__currency="USD", benefit__source=str(entry_id))
    assert 'class="npv"' not in result
    assert f"evidence entry {entry_id}" not in result.split("Please correct")[0]
    assert (
        "Benefit per year (at full scale): you typed 1500, "
        f"but evidence entry {entry_id} gives 896 USD million per year" in result
    )


def test_the_entrys_own_figure_is_used(
    client: TestClient, session: Session, seeded: SeedReport, editor: Actor
) -> None:
    entry_id = _entry(session, editor, value=896, unit="USD million per year")
    result = _result(client, benefit__source=str(entry_id))
    # One year, no discounting: 896,000,000 - 1,000 - 100.
    assert re.search(r'class="npv"><span dir="ltr">895,998,900</span>', result), result
    assert (
        f"896,000,000</span> USD (prices of 2019) — evidence entry {entry_id} (896 USD million per year)"
        in result
    )


def test_an_entry_whose_figure_does_not_fit_is_refused_by_the_fields_name(
    client: TestClient, session: Session, seeded: SeedReport, editor: Actor
) -> None:
    per_flies = _entry(session, editor, value=150, unit="USD per million flies")
    once = _entry(session, editor, value=40, unit="USD million (lost exports)")
    result = _result(client, benefit="10", benefit__currency="USD", running_cost__source=str(per_flies))
    assert 'class="npv"' not in result
    assert f"Running cost per year: evidence entry {per_flies} gives 150 USD per million flies" in result
    result = _result(client, benefit__source=str(once))
    assert 'class="npv"' not in result
    assert (
        f"Benefit per year (at full scale) is an amount per year; evidence entry {once} gives 40 USD"
        in result
    )
    yearly = _entry(session, editor, value=5, unit="USD per year", price_year=None)
    result = _result(client, benefit__source=str(yearly), benefit__currency="EUR", benefit__price_year="2020")
    assert 'class="npv"' not in result
    assert f"Currency: evidence entry {yearly} gives its figure in USD" in result
    assert f"Price year: evidence entry {yearly} does not state the price year of its figure" in result
