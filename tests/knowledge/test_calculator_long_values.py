"""The calculator takes what was typed whole, up to 200 characters a box, and refuses longer by the box's
name: values were cut at 40 characters without a word (a rate's source came back cut)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from pux.knowledge.seed import SeedReport

PAGE = "/techniques/sterile-insect-technique"
SOURCE = "European Central Bank euro reference rate, annual average 2023"
IN_EUROS = {
    "investment": "100", "investment__currency": "EUR", "running_cost": "10", "running_cost__currency": "USD",
    "benefit": "50", "benefit__currency": "USD",
    "rate_from": "EUR", "rate_value": "1.08", "rate_year": "2023",
}  # fmt: skip


def test_a_rates_source_is_kept_whole(client: TestClient, seeded: SeedReport) -> None:
    page = client.get(PAGE, params={**IN_EUROS, "rate_source": SOURCE})
    assert page.status_code == 200
    assert 'class="npv"' in page.text
    assert f"rate of 2023, {SOURCE})" in page.text  # the conversion states it
    assert f'value="{SOURCE}"' in page.text  # and the form keeps it


def test_a_value_too_long_is_refused_by_name(client: TestClient, seeded: SeedReport) -> None:
    page = client.get(PAGE, params={**IN_EUROS, "rate_source": "x" * 201})
    assert page.status_code == 200
    assert 'class="npv"' not in page.text
    assert "Source of the rate is too long (at most 200 characters)" in page.text
