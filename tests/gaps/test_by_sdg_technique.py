"""Needs against current assistance per SDG goal and per technique: the figures of a small dataset, only
what the reader may see counted, a need with several goals or techniques counted under each, the page in
English and Arabic for the public and a signed-in facilitator, and an export that matches the table."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.assistance import service as assistance
from pux.gaps import engine, service
from pux.gaps.engine import Tagged
from pux.gaps.schemas import GapFilter, TagLine
from pux.needs import service as needs
from tests.web_helpers import sign_in
from tests.world import World, activity_data, need_data

UGANDA = GapFilter(country_iso3="UGA")


def _endorse(session: Session, world: World, role: str, **data: object) -> int:
    """A need of Uganda's focal point, taken to ``published`` (endorsed needs are the ones counted)."""
    need = needs.create_need(session, actor=world.actors[role], data=need_data(country="UGA", **data))
    for target in ("submitted", "endorsed", "published"):
        need = needs.transition_need(
            session, actor=world.actors[role], need_id=need.id, target=target, version=need.version
        )
    return need.id


def _uganda(session: Session, world: World) -> None:
    """Uganda: a public need under goals 3 and 6 (radiotherapy and isotope hydrology), 500,000 USD; a
    public need under goal 6 without a cost; a private need of 9,000,000 USD; a draft of 7,000,000 USD; a
    public activity of 200,000 USD under goal 6 (isotope hydrology); the world's private activity of agency B
    (250,000 USD, goal 3, brachytherapy)."""
    _endorse(
        session, world, "focal_uga", title="Water and cancer", estimated_cost=Decimal("500000"),
        sdg_target_codes=["3.4", "6.1", "6.4"], technique_codes=["radiotherapy", "isotope_hydrology"],
    )  # fmt: skip
    _endorse(
        session, world, "focal_uga", title="Aquifer survey", estimated_cost=None, thematic_area_code="water",
        sdg_target_codes=["6.4"], technique_codes=["isotope_hydrology"],
    )  # fmt: skip
    _endorse(
        session, world, "focal_uga", title="Private upgrade", estimated_cost=Decimal("9000000"),
        visibility="private",
    )  # fmt: skip
    needs.create_need(
        session, actor=world.actors["focal_uga"],
        data=need_data(country="UGA", title="Draft bunker", estimated_cost=Decimal("7000000")),
    )  # fmt: skip
    assistance.record_activity(
        session, actor=world.actors["partner_a"],
        data=activity_data(
            world.organisations["donor_a"], title="Groundwater isotopes", recipient_country_iso3="UGA",
            thematic_area_code="water", technique_code="isotope_hydrology", sdg_codes=["6.4"],
            amount_committed=Decimal("200000"),
        ),
    )  # fmt: skip


def _row(lines: list[TagLine] | tuple[TagLine, ...], tag: str) -> engine.TagGap:
    return next(line.gap for line in lines if line.gap.tag == tag)


def test_the_public_sees_needs_and_assistance_per_goal_and_technique(session: Session, world: World) -> None:
    _uganda(session, world)
    report = service.gaps_by_goal_and_technique(session, actor=world.actors["public"], filters=UGANDA)
    health, water = _row(report.goals, "3"), _row(report.goals, "6")
    # The first need counts under goal 3 and goal 6 alike (two targets of goal 6 are one goal).
    assert (health.needs_count, health.needs_cost.value) == (1, 500_000)
    assert (water.needs_count, water.needs_without_cost, water.needs_cost.value) == (2, 1, 500_000)
    # Agency B's private activity under goal 3 moves nothing: nothing covered, the whole cost uncovered.
    assert (health.activities_count, health.covered.value, health.uncovered.value) == (0, 0.0, 500_000)
    assert (water.activities_count, water.covered.value, water.uncovered.value) == (1, 200_000, 300_000)
    assert water.uncovered_share == pytest.approx(0.6)
    hydrology, radiotherapy = (
        _row(report.techniques, "isotope_hydrology"),
        _row(report.techniques, "radiotherapy"),
    )
    assert (hydrology.needs_count, hydrology.needs_cost.value, hydrology.uncovered.value) == (
        2,
        500_000,
        300_000,
    )
    assert (radiotherapy.needs_count, radiotherapy.uncovered.value) == (1, 500_000)
    assert {line.gap.tag for line in report.techniques} == {"isotope_hydrology", "radiotherapy"}
    # Every figure says where it comes from and for when.
    assert water.needs_cost.source == service.needs_source() and water.needs_cost.year
    assert service.assistance_source() in water.covered.source and water.covered.year == report.period.label
    assert report.goals[0].name.startswith("Goal")


def test_a_private_activity_and_private_or_draft_needs_count_only_for_who_may_see_them(
    session: Session, world: World
) -> None:
    _uganda(session, world)
    focal = service.gaps_by_goal_and_technique(session, actor=world.actors["focal_uga"], filters=UGANDA)
    # The country's own private need counts for its focal point (the draft never does).
    assert _row(focal.goals, "3").needs_cost.value == 9_500_000
    officer = service.gaps_by_goal_and_technique(session, actor=world.actors["officer_b"], filters=UGANDA)
    # Agency B's officer sees its private activity under goal 3 and brachytherapy; not the private need.
    assert _row(officer.goals, "3").covered.value == 250_000
    assert _row(officer.goals, "3").needs_cost.value == 500_000
    assert _row(officer.techniques, "brachytherapy").covered.value == 250_000
    public = service.gaps_by_goal_and_technique(session, actor=world.actors["public"], filters=UGANDA)
    assert "brachytherapy" not in {line.gap.tag for line in public.techniques}


def test_the_gap_adds_up_each_countrys_own_remainder() -> None:
    sources = engine.Sources("needs", "assistance", "2026", "2026")
    needs_totals = engine.tally(
        [Tagged("KEN", frozenset({"3"}), "USD", 100.0), Tagged("UGA", frozenset({"3"}), "USD", 100.0)]
    )
    # 150 given to Kenya covers Kenya's 100, and nothing of Uganda's 100.
    assistance_totals = engine.tally([Tagged("KEN", frozenset({"3"}), "USD", 150.0)])
    (gap,) = engine.tag_gaps(needs_totals, assistance_totals, currency="USD", rates=(), sources=sources)
    assert (gap.needs_cost.value, gap.covered.value, gap.uncovered.value) == (200, 150, 100)
    unstated = engine.tally([Tagged("UGA", frozenset({"3"}), "USD", None)])
    (unknown,) = engine.tag_gaps(needs_totals, unstated, currency="USD", rates=(), sources=sources)
    # Uganda's activity states no amount: its remainder is not known; Kenya's (nothing given) is 100.
    assert (unknown.covered.value, unknown.uncovered.value, unknown.partial) == (None, 100.0, True)
    assert engine.sdg_goals_of(["3", "3.4", " 6.1 ", ""]) == frozenset({"3", "6"})


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("role", ["public", "facilitator"])
def test_the_page_renders_for_the_public_and_a_facilitator(
    client: TestClient, session: Session, world: World, language: str, role: str
) -> None:
    _uganda(session, world)
    if role != "public":
        sign_in(client, world.emails[role])
    client.cookies.set("pux_lang", language)
    page = client.get("/gaps/by-goal-and-technique?country=UGA")
    assert page.status_code == 200
    assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">' in page.text
    assert 'class="data reflow gaps"' in page.text  # the tables become cards on a narrow screen
    assert "/gaps/by-goal-and-technique/export?by=technique&format=csv" in page.text
    assert 'href="/gaps/by-goal-and-technique"' in client.get("/gaps/ranking").text
    if language == "en":
        assert "counted under each of them" in page.text
        assert "300,000 USD" in page.text and "Isotope hydrology" in page.text


def test_the_export_holds_the_rows_of_each_table(client: TestClient, session: Session, world: World) -> None:
    _uganda(session, world)
    report = service.gaps_by_goal_and_technique(session, actor=world.actors["public"], filters=UGANDA)
    for table, lines in (("goal", report.goals), ("technique", report.techniques)):
        response = client.get(f"/gaps/by-goal-and-technique/export?by={table}&format=csv&country=UGA")
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
        header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        exported = [dict(zip(header, row, strict=True)) for row in rows]
        assert [row["code"] for row in exported] == [line.gap.tag for line in lines]
        for row, line in zip(exported, lines, strict=True):
            assert row["needs"] == str(line.gap.needs_count)
            assert row["uncovered"] == service._cell(line.gap.uncovered.value)
            assert row["currency"] == "USD" and row["period_end"] == report.period.end.isoformat()
    goal_rows = client.get("/gaps/by-goal-and-technique/export?by=goal&country=UGA").content.decode(
        "utf-8-sig"
    )
    water = next(row for row in csv.DictReader(io.StringIO(goal_rows)) if row["code"] == "6")
    assert (water["needs_cost"], water["committed"], water["uncovered"]) == ("500000", "200000", "300000")


def test_amounts_no_rate_converts_are_listed_per_column_never_added_up(
    client: TestClient, session: Session, world: World
) -> None:
    # Goal 6 in euros without a rate: 500,000 USD of needs' cost and 200,000 USD covered stay apart.
    _uganda(session, world)
    page = client.get("/gaps/by-goal-and-technique?country=UGA&currency=EUR")
    assert page.status_code == 200
    assert "Estimated cost not converted: 500,000 USD." in page.text
    assert "Covered not converted: 200,000 USD." in page.text
    assert "700,000 USD" not in page.text  # the sum of a cost and an amount covered means nothing


def _exported_goal_6(client: TestClient, query: str) -> dict[str, str]:
    body = client.get(f"/gaps/by-goal-and-technique/export?by=goal&country=UGA&{query}").content
    return next(row for row in csv.DictReader(io.StringIO(body.decode("utf-8-sig"))) if row["code"] == "6")


def test_the_export_says_which_rate_converted_it_and_what_none_did(
    client: TestClient, session: Session, world: World
) -> None:
    _uganda(session, world)
    stated = "currency=EUR&rate_from=USD&rate=0.9&rate_year=2025&rate_source=Test+bank"
    converted = _exported_goal_6(client, stated)
    assert (converted["needs_cost"], converted["currency"]) == ("450000", "EUR")
    rate = tuple(converted[name] for name in service.RATE_COLUMNS)
    assert rate == ("USD", "EUR", "0.9", "2025", "Test bank")
    assert converted["needs_cost_not_converted"] == converted["committed_not_converted"] == ""
    unconverted = _exported_goal_6(client, "currency=EUR")
    assert unconverted["needs_cost_not_converted"] == "500000 USD"
    assert unconverted["committed_not_converted"] == "200000 USD" and unconverted["rate"] == ""
