"""The calculator bounds the amounts it takes, as the evidence ledger does (at most 1e15): a larger one is
refused with its field named, in the reader's language; before, 1e28 made the results too large to write and
the page failed (500)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from pux.knowledge.seed import SeedReport

PAGE = "/techniques/sterile-insect-technique"
FIGURES = {
    "investment": "100", "investment__currency": "USD", "running_cost": "1", "running_cost__currency": "USD",
    "benefit": "1", "benefit__currency": "USD",
}  # fmt: skip


def test_an_amount_beyond_the_bound_is_refused_by_its_name(client: TestClient, seeded: SeedReport) -> None:
    page = client.get(PAGE, params={**FIGURES, "investment": "1e28"})
    assert page.status_code == 200
    assert 'class="npv"' not in page.text
    bound = "1,000,000,000,000,000"
    assert f"Up-front investment (year 0) must be from -{bound} to {bound}" in page.text


def test_the_bound_is_stated_in_the_readers_language(client: TestClient, seeded: SeedReport) -> None:
    client.get("/language/fr")
    page = client.get(PAGE, params={**FIGURES, "benefit": "1e28"})
    assert page.status_code == 200
    assert "Bénéfice" in page.text.split("calculator-result")[1]
    assert "1\u202f000\u202f000\u202f000\u202f000\u202f000" in page.text.split("calculator-result")[1]


def test_an_amount_too_large_once_converted_is_refused(client: TestClient, seeded: SeedReport) -> None:
    # Each is within the bound; their product is not.
    converted = {
        **FIGURES, "investment": "1000000000000000", "investment__currency": "EUR", "rate_from": "EUR",
        "rate_value": "1000000000000000", "rate_year": "2023",
    }  # fmt: skip
    page = client.get(PAGE, params=converted)
    assert page.status_code == 200
    assert 'class="npv"' not in page.text
    assert "more than 1,000,000,000,000,000 USD once converted" in page.text
