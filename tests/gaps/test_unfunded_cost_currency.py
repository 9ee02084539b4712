"""The unfunded board compares costs in one currency: a programme officer who asks for needs of at least
100,000 USD, or for the largest cost first, must not be given 900,000 XOF (about 1,500 USD) as if it were
dollars. Another currency is compared only through a rate the reader states (shown with its source and
year); without one its needs are listed after the others and counted, never hidden nor silently mixed."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.web_helpers import bearer
from tests.world import World, published_need, senegal_needs

XOF_RATE = "rate_from=XOF&rate=0.00167&rate_year=2025&rate_source=BCEAO"


@pytest.fixture
def senegal(session: Session, world: World) -> dict[str, int]:
    return senegal_needs(session, world)


def board(client: TestClient, world: World, query: str) -> dict[str, Any]:
    """The board as the programme officer's budget tool reads it (the JSON twin of /unfunded)."""
    response = client.get(f"/api/v1/unfunded?country=SEN&{query}", headers=bearer(world.tokens["officer_b"]))
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def ids(data: dict[str, Any]) -> list[int]:
    return [item["need_id"] for item in data["items"]]


def test_a_cost_in_another_currency_does_not_pass_a_dollar_range_as_a_bare_number(
    client: TestClient, world: World, senegal: dict[str, int]
) -> None:
    data = board(client, world, "cost_min=100000&currency=USD")
    # The dollar need matches; the francs are not compared with dollars: listed after, flagged, counted.
    assert ids(data) == [senegal["usd_500k"], senegal["xof_900k"]]
    dollars, francs = data["items"]
    assert dollars["comparable_cost"]["value"] == 500_000 and dollars["comparable_cost"]["unit"] == "USD"
    assert francs["comparable_cost"] is None
    assert (francs["estimated_cost"]["value"], francs["estimated_cost"]["unit"]) == (900_000, "XOF")
    assert data["currency"] == "USD" and data["not_compared"] == {"XOF": 1}
    assert data["total"] == 2  # nothing dropped without a word


def test_with_a_stated_rate_the_francs_are_converted_and_compared(
    client: TestClient, world: World, senegal: dict[str, int]
) -> None:
    at_least = board(client, world, f"cost_min=100000&{XOF_RATE}")
    assert ids(at_least) == [senegal["usd_500k"]]  # 900,000 XOF is about 1,503 USD: below the range
    assert at_least["not_compared"] == {}
    up_to = board(client, world, f"cost_max=2000&{XOF_RATE}")
    assert ids(up_to) == [senegal["xof_900k"]]
    converted = up_to["items"][0]["comparable_cost"]
    assert converted["value"] == pytest.approx(1503) and converted["unit"] == "USD"
    assert (converted["source"], converted["year"]) == ("BCEAO", "2025")
    assert up_to["rates"] == [
        {"from_currency": "XOF", "to_currency": "USD", "rate": 0.00167, "year": 2025, "source": "BCEAO"}
    ]


def test_largest_cost_first_compares_converted_costs_and_groups_the_rest_by_currency(
    session: Session, client: TestClient, world: World, senegal: dict[str, int]
) -> None:
    more = {
        "usd_1k": published_need(session, world, "Spare parts for a gamma camera", "1000", "USD"),
        "xof_50m": published_need(session, world, "Radiotherapy bunker in Ziguinchor", "50000000", "XOF"),
        "eur_200k": published_need(session, world, "Food irradiation pilot", "200000", "EUR"),
        "no_cost": published_need(session, world, "Isotope hydrology survey", None, "USD"),
    }
    needs_by_name = {**senegal, **more}

    def order(query: str) -> list[str]:
        names = {need_id: name for name, need_id in needs_by_name.items()}
        return [names[need_id] for need_id in ids(board(client, world, f"sort=cost&{query}"))]

    # Without a rate: dollars by amount; then euros, then francs, each by amount; the missing cost last.
    assert order("currency=USD") == ["usd_500k", "usd_1k", "eur_200k", "xof_50m", "xof_900k", "no_cost"]
    assert board(client, world, "sort=cost")["not_compared"] == {"EUR": 1, "XOF": 2}
    # With the franc's rate: 50,000,000 XOF (83,500 USD) and 900,000 XOF (1,503 USD) take their places.
    assert order(XOF_RATE) == ["usd_500k", "xof_50m", "xof_900k", "usd_1k", "eur_200k", "no_cost"]


def test_the_page_says_what_was_not_compared_and_the_rate_it_used(
    client: TestClient, world: World, senegal: dict[str, int]
) -> None:
    page = client.get("/unfunded?country=SEN&cost_min=100000&currency=USD")
    assert page.status_code == 200
    assert "Costs are compared in USD." in page.text
    assert (
        "1 need costed in XOF is not filtered by cost, for want of an exchange rate to USD: "
        "it is listed after the others." in page.text
    )
    francs = page.text[page.text.index(f'id="need-{senegal["xof_900k"]}"') :]
    assert "900,000 XOF" in francs and "Not compared: no exchange rate to USD" in francs
    assert '<details id="rate-fields" open>' in page.text  # where the rate is stated, open

    converted = client.get(f"/unfunded?country=SEN&sort=cost&{XOF_RATE}")
    assert "Converted at 1 XOF = 0.00167 USD (2025; BCEAO)." in converted.text
    assert "≈ 1,503 USD" in converted.text and "at the stated rate: BCEAO, 2025" in converted.text
    assert "not ordered by cost" not in converted.text and "Not compared" not in converted.text


@pytest.mark.parametrize("path", ["/unfunded?country=SEN&sort=cost", "/gaps/ranking?", "/api/v1/gaps?"])
def test_a_cleared_currency_box_means_dollars_not_an_error(
    client: TestClient, world: World, senegal: dict[str, int], path: str
) -> None:
    # The forms send every box: a reader who empties the currency box and filters again meant "no choice".
    answer = client.get(
        f"{path}&currency=&rate_from=&rate=&rate_year=", headers=bearer(world.tokens["officer_b"])
    )
    assert answer.status_code == 200, answer.text
    if path.startswith("/api"):
        assert answer.json()["currency"] == "USD"
    else:
        assert "USD" in answer.text
