"""The JSON API serves the gaps by goal and technique and the coverage over time as the pages show them:
the same figures for the public and a facilitator (a private activity counts only for the facilitator),
a stated rate applied and named, amounts no rate converts listed per column (the ranking's too), a missing
figure null, and a range of years beyond the page's limits refused naming the field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.assistance import service as assistance
from pux.gaps import service
from pux.gaps.schemas import GapFilter
from tests.gaps import test_by_sdg_technique as by_tag
from tests.gaps import test_coverage_over_time as over_time
from tests.web_helpers import bearer, sign_in
from tests.world import World, activity_data

UGANDA = GapFilter(country_iso3="UGA")
STATED_RATE = "currency=EUR&rate_from=USD&rate=0.9&rate_year=2025&rate_source=Test+bank"


def _api(client: TestClient, world: World, role: str, path: str) -> Any:
    headers = bearer(world.tokens[role]) if role != "public" else {}
    response = client.get(f"/api/v1{path}", headers=headers)
    assert response.status_code == 200, response.text[:500]
    return response.json()


def _row(rows: list[dict[str, Any]], code: str) -> dict[str, Any]:
    return next(row for row in rows if row["code"] == code)


def _figures(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["needs_count"], row["needs_cost"]["value"], row["activities_count"], row["covered"]["value"],
            row["uncovered"]["value"])  # fmt: skip


@pytest.mark.parametrize("role", ["public", "facilitator"])
def test_the_goal_and_technique_tables_are_the_pages(
    client: TestClient, session: Session, world: World, role: str
) -> None:
    by_tag._uganda(session, world)
    body = _api(client, world, role, "/gaps/by-goal-and-technique?country=UGA")
    report = service.gaps_by_goal_and_technique(session, actor=world.actors[role], filters=UGANDA)
    for rows, lines in ((body["goals"], report.goals), (body["techniques"], report.techniques)):
        assert [row["code"] for row in rows] == [line.gap.tag for line in lines]
        for row, line in zip(rows, lines, strict=True):
            gap = line.gap
            assert _figures(row) == (gap.needs_count, gap.needs_cost.value, gap.activities_count,
                                     gap.covered.value, gap.uncovered.value)  # fmt: skip
    assert body["audience"] == report.audience and body["period_end"] == report.period.end.isoformat()
    water = _row(body["goals"], "6")
    assert water["uncovered"]["source"] and water["covered"]["year"] == report.period.label
    # Agency B's private activity under goal 3 (250,000 USD) counts for a facilitator, never for the public.
    health = _row(body["goals"], "3")
    if role != "public":
        sign_in(client, world.emails[role])
    page = client.get("/gaps/by-goal-and-technique?country=UGA").text
    if role == "public":
        assert health["covered"]["value"] == 0
        assert "brachytherapy" not in {row["code"] for row in body["techniques"]}
        assert "250,000 USD" not in page
    else:
        assert health["covered"]["value"] == 250_000 and "250,000 USD" in page
    assert "300,000 USD" in page and water["uncovered"]["value"] == 300_000


def test_a_stated_rate_is_applied_and_named_and_what_none_converts_is_listed_per_column(
    client: TestClient, session: Session, world: World
) -> None:
    by_tag._uganda(session, world)
    converted = _row(_api(client, world, "public", f"/gaps/by-goal-and-technique?country=UGA&{STATED_RATE}")
                     ["goals"], "6")  # fmt: skip
    assert (converted["needs_cost"]["value"], converted["covered"]["value"]) == (450_000, 180_000)
    assert converted["needs_cost"]["unit"] == "EUR" and converted["unconverted"] == []
    assert converted["rates_applied"] == [
        {"from_currency": "USD", "to_currency": "EUR", "rate": 0.9, "year": 2025, "source": "Test bank"}
    ]
    body = _api(client, world, "public", "/gaps/by-goal-and-technique?country=UGA&currency=EUR")
    water = _row(body["goals"], "6")
    # Not converted is not known: null, never 0; the cost and the amount covered are never added up.
    assert (water["needs_cost"]["value"], water["covered"]["value"], water["uncovered"]["value"]) == (
        None, None, None
    )  # fmt: skip
    assert water["unconverted"] == [
        {"column": "needs_cost", "amount": 500_000, "currency": "USD"},
        {"column": "covered", "amount": 200_000, "currency": "USD"},
    ]


def _year(body: dict[str, Any], year: int) -> dict[str, Any]:
    return next(row for row in body["years"] if row["year"] == year)


@pytest.mark.parametrize("role", ["public", "facilitator"])
def test_coverage_over_time_is_the_pages(
    client: TestClient, session: Session, world: World, role: str
) -> None:
    over_time._uganda(session, world)
    body = _api(client, world, role, "/gaps/over-time?country=UGA")
    report = service.coverage_over_time(session, actor=world.actors[role], filters=UGANDA)
    assert [
        (row["year"], row["needs_count"], row["needs_cost"]["value"], row["activities_count"],
         row["committed"]["value"], row["disbursed"]["value"], row["covered_share"])
        for row in body["years"]
    ] == [
        (year.year, year.needs_count, year.needs_cost.value, year.activities_count, year.committed.value,
         year.disbursed.value, year.covered_share)
        for year in report.coverage.years
    ]  # fmt: skip
    # 2023 holds no need: its cost is missing (null, not 0), and so is the share covered.
    assert (_year(body, 2023)["needs_cost"]["value"], _year(body, 2023)["covered_share"]) == (None, None)
    undated = (body["undated_activities"], body["undated_committed"]["value"])
    recent = _year(body, 2024)
    assert recent["committed"]["year"] == "2024" and recent["committed"]["source"]
    if role == "public":  # the private need (9,000,000) and activity (1,000,000) of 2024 are not counted
        assert (recent["needs_cost"]["value"], recent["committed"]["value"]) == (500_000, 200_000)
        assert undated == (1, 40_000)
    else:
        assert (recent["needs_cost"]["value"], recent["committed"]["value"]) == (9_500_000, 1_200_000)
        assert undated == (2, 290_000)  # with the world's private activity of agency B, without a start
        sign_in(client, world.emails[role])
    page = client.get("/gaps/over-time?country=UGA").text
    assert f"{recent['needs_cost']['value']:,.0f} USD" in page


def test_coverage_over_time_applies_a_stated_rate_and_lists_per_column_what_none_converts(
    client: TestClient, session: Session, world: World
) -> None:
    over_time._uganda(session, world)
    converted = _year(_api(client, world, "public", f"/gaps/over-time?country=UGA&{STATED_RATE}"), 2024)
    assert (converted["committed"]["value"], converted["disbursed"]["value"]) == (180_000, 45_000)
    assert [rate["rate"] for rate in converted["rates_applied"]] == [0.9]
    unconverted = _year(_api(client, world, "public", "/gaps/over-time?country=UGA&currency=EUR"), 2024)
    assert (unconverted["committed"]["value"], unconverted["disbursed"]["value"]) == (None, None)
    assert unconverted["unconverted"] == [
        {"column": "needs_cost", "amount": 500_000, "currency": "USD"},
        {"column": "committed", "amount": 200_000, "currency": "USD"},
        {"column": "disbursed", "amount": 50_000, "currency": "USD"},
    ]


def test_the_ranking_says_which_column_each_unconverted_amount_is_missing_from(
    client: TestClient, session: Session, world: World
) -> None:
    by_tag._uganda(session, world)
    assistance.record_activity(
        session, actor=world.actors["partner_a"],
        data=activity_data(
            world.organisations["donor_a"], title="Cancer care", recipient_country_iso3="UGA",
            thematic_area_code="health", amount_committed=Decimal("100000"),
        ),
    )  # fmt: skip
    gaps = _api(client, world, "public", "/gaps?country=UGA&currency=EUR")["gaps"]
    # Health's 500,000 USD of needs and 100,000 USD covered stay apart, each named by its column.
    assert {gap["thematic_area"]: gap["unconverted"] for gap in gaps} == {
        "health": [
            {"column": "needs_cost", "amount": 500_000, "currency": "USD"},
            {"column": "covered", "amount": 100_000, "currency": "USD"},
        ],
        "water": [{"column": "covered", "amount": 200_000, "currency": "USD"}],
    }


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ("start=0001-01-01&end=9999-12-31", {"start", "end"}),  # thousands of empty years
        ("start=1950-01-01&end=2026-12-31", {"end"}),  # more than 50 years
        ("end=2500-12-31", {"end"}),
    ],
)
def test_a_range_of_years_beyond_the_pages_limits_is_refused_naming_the_field(
    client: TestClient, query: str, fields: set[str]
) -> None:
    refused = client.get(f"/api/v1/gaps/over-time?{query}")
    assert refused.status_code == 422
    assert {problem["field"] for problem in refused.json()["problems"]} == fields
