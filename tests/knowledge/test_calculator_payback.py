"""Payback is the first year, from year 1, by whose end the cumulative discounted net is 0 or more; never
reached, the page says so. With no investment, year 0's cumulative 0 was read as "pays back in year 0" while
the yearly costs exceeded the benefits for ever (NPV -141.43)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from pux.knowledge.roi import Figure, Scenario, calculate
from pux.knowledge.seed import SeedReport


def _usd(value: float) -> Figure:
    return Figure(value, "USD", "entered by the user", 2024, currency="USD", price_year=2024)


def _scenario(investment: float, running_cost: float, benefit: float) -> Scenario:
    return Scenario(
        currency="USD", horizon_years=3, discount_rate=0.0,
        investment=_usd(investment), running_cost=_usd(running_cost), benefit=_usd(benefit),
    )  # fmt: skip


def test_costs_above_benefits_without_investment_never_pay_back() -> None:
    result = calculate(_scenario(0, 100, 50))
    assert result.npv < 0
    assert result.payback_year is None


def test_payback_counts_from_year_one() -> None:
    assert calculate(_scenario(0, 50, 100)).payback_year == 1
    assert calculate(_scenario(100, 0, 50)).payback_year == 2  # cumulative -100, -50, 0
    assert calculate(_scenario(200, 0, 50)).payback_year is None  # -50 after three years


def test_the_page_says_it_does_not_pay_back(client: TestClient, seeded: SeedReport) -> None:
    query = {
        "investment": "0", "investment__currency": "USD", "running_cost": "100",
        "running_cost__currency": "USD", "benefit": "50", "benefit__currency": "USD",
    }  # fmt: skip
    page = client.get("/techniques/sterile-insect-technique", params=query)
    assert page.status_code == 200
    assert re.search(r'class="npv"><span dir="ltr">-', page.text)
    payback = re.search(r"<dt>Pays back in year</dt><dd>(.*?)</dd>", page.text)
    assert payback is not None and payback.group(1) == "not within the horizon"
