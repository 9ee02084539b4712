"""Coverage over time: year by year, the endorsed needs recorded and their cost against the assistance
committed by the activities begun that year; only what the reader may see counts, a year without needs
shows their cost as missing (not 0), the page renders in English and Arabic, and the export matches it."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from pux.assistance import service as assistance
from pux.gaps import service
from pux.gaps.schemas import GapFilter, Period
from pux.needs import service as needs
from pux.needs.models import Need
from tests.web_helpers import sign_in
from tests.world import World, activity_data, need_data

UGANDA = GapFilter(country_iso3="UGA")


def _need(session: Session, world: World, year: int, cost: str, *, visibility: str = "public") -> None:
    """An endorsed (published) need of Uganda, recorded in ``year``."""
    actor = world.actors["focal_uga"]
    need = needs.create_need(
        session, actor=actor,
        data=need_data(
            country="UGA", title=f"Need of {year}", estimated_cost=Decimal(cost), visibility=visibility
        ),
    )  # fmt: skip
    for target in ("submitted", "endorsed", "published"):
        need = needs.transition_need(
            session, actor=actor, need_id=need.id, target=target, version=need.version
        )
    recorded = datetime(year, 6, 1, tzinfo=UTC)
    session.execute(update(Need).where(Need.id == need.id).values(created_at=recorded))


def _activity(session: Session, world: World, start: date | None, committed: str, **extra: object) -> None:
    role, organisation = ("officer_b", "agency_b") if extra.get("visibility") else ("partner_a", "donor_a")
    assistance.record_activity(
        session, actor=world.actors[role],
        data=activity_data(
            world.organisations[organisation], title=f"Uganda activity {committed}",
            recipient_country_iso3="UGA", start_date=start, amount_committed=Decimal(committed), **extra,
        ),
    )  # fmt: skip


def _uganda(session: Session, world: World) -> None:
    """Public needs of 300,000 USD (2022) and 500,000 USD (2024); a private need of 9,000,000 USD (2024)
    and a draft; public activities begun in 2024 (200,000 committed, 50,000 disbursed) and without a start
    date (40,000); a private activity begun in 2024 (1,000,000)."""
    _need(session, world, 2022, "300000")
    _need(session, world, 2024, "500000")
    _need(session, world, 2024, "9000000", visibility="private")
    needs.create_need(
        session, actor=world.actors["focal_uga"],
        data=need_data(country="UGA", title="Draft bunker", estimated_cost=Decimal("7000000")),
    )  # fmt: skip
    _activity(session, world, date(2024, 3, 1), "200000", amount_disbursed=Decimal("50000"))
    _activity(session, world, None, "40000")
    _activity(session, world, date(2024, 5, 1), "1000000", visibility="private")


def _years(report):  # type: ignore[no-untyped-def]
    return {
        year.year: (year.needs_count, year.needs_cost.value, year.activities_count, year.committed.value,
                    year.disbursed.value, year.covered_share)
        for year in report.coverage.years
    }  # fmt: skip


def test_each_year_holds_the_needs_recorded_and_the_assistance_begun_in_it(
    session: Session, world: World
) -> None:
    _uganda(session, world)
    report = service.coverage_over_time(session, actor=world.actors["public"], filters=UGANDA)
    assert _years(report) == {
        2022: (1, 300_000, 0, 0.0, 0.0, 0.0),
        # 2023 has no need: its cost is missing (not 0) and so is the share covered.
        2023: (0, None, 0, 0.0, 0.0, None),
        # Neither the private need nor the private activity nor the draft moves the public's figures.
        2024: (1, 500_000, 1, 200_000, 50_000, pytest.approx(0.4)),
    }
    assert (report.coverage.undated_activities, report.coverage.undated_committed.value) == (1, 40_000)
    year = report.coverage.years[-1]
    assert year.needs_cost.source == report.needs_source and year.needs_cost.year == "2024"
    assert year.committed.source.startswith(report.assistance_source) and year.committed.year == "2024"


def test_who_may_see_private_records_sees_them_counted(session: Session, world: World) -> None:
    _uganda(session, world)
    focal = _years(service.coverage_over_time(session, actor=world.actors["focal_uga"], filters=UGANDA))
    assert focal[2024][:2] == (2, 9_500_000)
    officer = _years(service.coverage_over_time(session, actor=world.actors["officer_b"], filters=UGANDA))
    assert officer[2024][2:4] == (2, 1_200_000)


def test_a_period_keeps_its_years(session: Session, world: World) -> None:
    _uganda(session, world)
    report = service.coverage_over_time(
        session,
        actor=world.actors["public"],
        filters=UGANDA,
        period=Period(date(2023, 1, 1), date(2025, 12, 31)),
    )
    assert [year.year for year in report.coverage.years] == [2023, 2024, 2025]


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("role", ["public", "focal_uga"])
def test_the_page_renders_with_chart_table_and_sources(
    client: TestClient, session: Session, world: World, language: str, role: str
) -> None:
    _uganda(session, world)
    if role != "public":
        sign_in(client, world.emails[role])
    client.cookies.set("pux_lang", language)
    page = client.get("/gaps/over-time?country=UGA")
    assert page.status_code == 200
    assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">' in page.text
    assert 'class="data reflow gaps"' in page.text and 'class="chart-figure"' in page.text
    assert "/gaps/over-time/export?format=csv&country=UGA" in page.text
    assert 'href="/gaps/over-time"' in client.get("/gaps").text
    if language == "en":
        assert "200,000 USD" in page.text and "not known" in page.text
        # Uganda's focal point also sees the country's private need and the private activity of 2024.
        if role == "public":
            assert "500,000 USD" in page.text and "40%" in page.text and "9,500,000 USD" not in page.text
        else:
            assert "9,500,000 USD" in page.text and "1,200,000 USD" in page.text and "13%" in page.text


def test_the_export_matches_the_table(client: TestClient, session: Session, world: World) -> None:
    _uganda(session, world)
    response = client.get("/gaps/over-time/export?format=csv&country=UGA")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [
        (r["year"], r["needs"], r["needs_cost"], r["committed"], r["disbursed"], r["covered_share"])
        for r in rows
    ] == [
        ("2022", "1", "300000", "0", "0", "0.0000"),
        ("2023", "0", "", "0", "0", ""),
        ("2024", "1", "500000", "200000", "50000", "0.4000"),
    ]
    assert all(r["currency"] == "USD" and r["sources"] for r in rows)


def test_amounts_no_rate_converts_are_said_not_converted_per_column(
    client: TestClient, session: Session, world: World
) -> None:
    # 2024 in euros without a rate: 200,000 USD committed and 50,000 USD disbursed are stated, not converted.
    _uganda(session, world)
    page = client.get("/gaps/over-time?country=UGA&currency=EUR")
    assert page.status_code == 200
    assert "Committed not converted: 200,000 USD." in page.text
    assert "Disbursed not converted: 50,000 USD." in page.text
    assert "250,000 USD" not in page.text  # committed and disbursed are never added up
    assert "not stated" not in page.text and "not converted</span>" in page.text


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("start=0001-01-01&end=9999-12-31", "From"),  # thousands of empty years
        ("start=1950-01-01&end=2026-12-31", "To"),  # more than 50 years
        ("end=2500-12-31", "To"),
    ],
)
def test_a_range_of_years_without_bounds_is_refused_naming_the_field(
    client: TestClient, query: str, field: str
) -> None:
    for path in ("/gaps/over-time", "/gaps/over-time/export"):
        refused = client.get(f"{path}?{query}")
        assert refused.status_code == 422 and f"{field}:" in refused.text


def test_an_open_to_runs_the_table_up_to_this_year(
    client: TestClient, session: Session, world: World
) -> None:
    _uganda(session, world)
    response = client.get("/gaps/over-time/export?format=csv&country=UGA&start=2022-01-01")
    years = [row["year"] for row in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))]
    assert years == [str(year) for year in range(2022, date.today().year + 1)]


def _exported_2024(client: TestClient, query: str) -> dict[str, str]:
    body = client.get(f"/gaps/over-time/export?format=csv&country=UGA&{query}").content
    return next(row for row in csv.DictReader(io.StringIO(body.decode("utf-8-sig"))) if row["year"] == "2024")


def test_the_export_says_which_rate_converted_it_and_what_none_did(
    client: TestClient, session: Session, world: World
) -> None:
    _uganda(session, world)
    stated = "currency=EUR&rate_from=USD&rate=0.9&rate_year=2025&rate_source=Test+bank"
    converted = _exported_2024(client, stated)
    assert (converted["committed"], converted["currency"]) == ("180000", "EUR")
    rate = tuple(converted[name] for name in service.RATE_COLUMNS)
    assert rate == ("USD", "EUR", "0.9", "2025", "Test bank")
    unconverted = _exported_2024(client, "currency=EUR")
    assert (unconverted["committed_not_converted"], unconverted["disbursed_not_converted"]) == (
        "200000 USD",
        "50000 USD",
    )
    assert unconverted["needs_cost_not_converted"] == "500000 USD" and unconverted["rate"] == ""
