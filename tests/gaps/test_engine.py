"""The gap arithmetic against cases worked out by hand: sums, coverage, the remainder, stated exchange
rates, and missing figures that stay missing (never zero)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pytest

from pux.gaps.engine import (
    AreaGap,
    AreaStanding,
    ExchangeRate,
    Money,
    Sources,
    Totals,
    area_gaps,
    convert,
    total,
)

SOURCES = Sources(needs="needs registry", assistance="activities", period="2026-06-30", needs_year="2026")
EUR_TO_USD = ExchangeRate("EUR", "USD", 1.10, 2025, "stated by the facilitator")
STANDING = {
    ("KEN", "health"): AreaStanding(burden=0.8, capacity=0.6, score=70.0, year="2021–2024", source="index"),
    ("UGA", "health"): AreaStanding(burden=0.5, capacity=0.9, score=55.0, year="2022", source="index"),
    ("TZA", "water"): AreaStanding(burden=None, capacity=0.4, score=None, year=None, source="index"),
}


@dataclass(frozen=True)
class Record:
    """One need or activity as a case is worked out by hand; the engine reads their totals."""

    country: str
    area: str | None
    amount: float | None
    currency: str
    provider: int = 0


def need(_need_id: int, country: str, area: str, cost: float | None, currency: str = "USD") -> Record:
    return Record(country, area, cost, currency)


def activity(
    _activity_id: int, provider: int, country: str, area: str | None, committed: float | None,
    currency: str = "USD",
) -> Record:  # fmt: skip
    return Record(country, area, committed, currency, provider)


def totals(records: list[Record]) -> list[Totals]:
    """The records added up per country, area and currency, as the repository's queries add them up."""
    groups: dict[tuple[str, str | None, str], list[Record]] = defaultdict(list)
    for record in records:
        groups[(record.country, record.area, record.currency)].append(record)
    return [_added_up(place, group) for place, group in groups.items()]


def _added_up(place: tuple[str, str | None, str], group: list[Record]) -> Totals:
    stated = [r.amount for r in group if r.amount is not None]
    return Totals(*place, count=len(group), stated=len(stated), amount=sum(stated) if stated else None)


def providers(activities: list[Record]) -> dict[tuple[str, str], int]:
    by_place: dict[tuple[str, str], set[int]] = defaultdict(set)
    for record in activities:
        if record.area:
            by_place[(record.country, record.area)].add(record.provider)
    return {place: len(found) for place, found in by_place.items()}


def ranked(needs: list[Record], activities: list[Record], **options: object) -> list[AreaGap]:
    arguments: dict[str, object] = {"currency": "USD", "rates": (), "duplications": (), "sources": SOURCES}
    arguments.update(options)
    return area_gaps(totals(needs), totals(activities), providers(activities), STANDING, **arguments)  # type: ignore[arg-type]


def gaps_of(
    needs: list[Record], activities: list[Record], **options: object
) -> dict[tuple[str, str], AreaGap]:
    return {(g.country_iso3, g.area): g for g in ranked(needs, activities, **options)}


def test_remainder_is_cost_less_committed_assistance() -> None:
    # Kenya, health: needs 1,200,000 + 300,000 = 1,500,000; assistance 250,000 + 400,000 = 650,000;
    # uncovered 850,000; share 850/1500 = 0.5667; weighted by burden 0.8 -> 0.4533.
    gaps = gaps_of(
        [need(1, "KEN", "health", 1_200_000), need(2, "KEN", "health", 300_000)],
        [activity(10, 100, "KEN", "health", 250_000), activity(11, 101, "KEN", "health", 400_000)],
    )
    gap = gaps[("KEN", "health")]
    assert gap.needs_cost.value == 1_500_000
    assert gap.covered.value == 650_000
    assert gap.uncovered.value == 850_000
    assert gap.surplus.value == 0
    assert gap.uncovered_share == pytest.approx(850 / 1500)
    assert gap.burden_weighted_gap == pytest.approx(0.8 * 850 / 1500)
    assert gap.providers == 2 and gap.needs_count == 2
    assert gap.burden.value == 0.8 and gap.burden.year == "2021–2024"
    assert gap.uncovered.source == "needs registry; activities (2026-06-30)"


def test_more_assistance_than_cost_is_a_surplus_not_a_negative_gap() -> None:
    gap = gaps_of([need(1, "UGA", "health", 100_000)], [activity(10, 100, "UGA", "health", 160_000)])[
        ("UGA", "health")
    ]
    assert gap.uncovered.value == 0 and gap.surplus.value == 60_000


def test_a_need_without_a_cost_is_counted_apart_and_never_read_as_zero() -> None:
    gaps = gaps_of(
        [need(1, "KEN", "health", None), need(2, "KEN", "health", 500_000), need(3, "UGA", "health", None)],
        [],
    )
    kenya = gaps[("KEN", "health")]
    assert kenya.needs_cost.value == 500_000 and kenya.needs_without_cost == 1
    assert kenya.covered.value == 0  # no activity recorded: nothing known to be covered
    uganda = gaps[("UGA", "health")]
    # No need states a cost: the cost, and therefore the gap, are unknown, not zero.
    assert uganda.needs_cost.value is None and uganda.needs_cost.is_missing
    assert uganda.uncovered.value is None and uganda.burden_weighted_gap is None


def test_activities_without_amounts_leave_coverage_missing() -> None:
    gap = gaps_of([need(1, "KEN", "health", 500_000)], [activity(10, 100, "KEN", "health", None)])[
        ("KEN", "health")
    ]
    assert gap.covered.value is None and gap.uncovered.value is None
    assert gap.activities_without_amount == 1


def test_missing_burden_keeps_the_gap_but_sorts_it_last() -> None:
    gaps = ranked(
        [need(1, "TZA", "water", 900_000), need(2, "UGA", "health", 100_000), need(3, "KEN", "health", 1e5)],
        [activity(10, 100, "UGA", "health", 50_000)],
    )
    # Kenya: share 1.0 x burden 0.8 = 0.8; Uganda: 0.5 x 0.5 = 0.25; Tanzania: burden missing.
    assert [(g.country_iso3, g.burden_weighted_gap) for g in gaps] == [
        ("KEN", 0.8),
        ("UGA", 0.25),
        ("TZA", None),
    ]
    assert gaps[-1].uncovered.value == 900_000 and gaps[-1].burden.is_missing


def test_stated_rate_converts_and_is_returned_with_the_result() -> None:
    # 200,000 EUR at 1.10 = 220,000 USD of cost; 110,000 USD committed -> 110,000 uncovered.
    gap = gaps_of(
        [need(1, "KEN", "health", 200_000, "EUR")],
        [activity(10, 100, "KEN", "health", 110_000)],
        rates=(EUR_TO_USD,),
    )[("KEN", "health")]
    assert gap.needs_cost.value == pytest.approx(220_000)
    assert gap.uncovered.value == pytest.approx(110_000)
    assert gap.conversion.applied == (EUR_TO_USD,) and gap.conversion.complete


def test_an_inverse_rate_serves_the_other_direction() -> None:
    # Results in EUR with a USD<-EUR rate: 1,100 USD / 1.10 = 1,000 EUR.
    value, rate = convert(Money(1_100, "USD"), "EUR", (EUR_TO_USD,))
    assert value == pytest.approx(1_000) and rate == EUR_TO_USD


def test_without_a_stated_rate_nothing_is_converted_and_the_amount_is_listed_apart() -> None:
    gap = gaps_of(
        [need(1, "KEN", "health", 300_000), need(2, "KEN", "health", 50_000, "GBP")],
        [activity(10, 100, "KEN", "health", 20_000, "JPY")],
        rates=(EUR_TO_USD,),
    )[("KEN", "health")]
    assert gap.needs_cost.value == 300_000
    # The only assistance is in yen with no stated rate: coverage is unknown, so is the gap.
    assert gap.covered.value is None and gap.uncovered.value is None
    assert not gap.conversion.complete
    assert gap.conversion.unconverted == (Money(50_000, "GBP"), Money(20_000, "JPY"))
    assert total([], "USD", ()) == (None, total([], "USD", ())[1])


def test_duplication_flag_names_the_techniques_two_providers_fund() -> None:
    gap = gaps_of(
        [need(1, "KEN", "health", 100_000)],
        [activity(10, 100, "KEN", "health", 10_000), activity(11, 101, "KEN", "health", 10_000)],
        duplications=[("KEN", "health", "radiotherapy")],
    )[("KEN", "health")]
    assert gap.duplicated and gap.duplicated_techniques == ("radiotherapy",)
    other = gaps_of([need(1, "UGA", "health", 100_000)], [], duplications=[("KEN", "health", "radiotherapy")])
    assert not other[("UGA", "health")].duplicated


def test_assistance_without_an_area_is_left_out_of_area_gaps() -> None:
    gaps = gaps_of([need(1, "KEN", "health", 100_000)], [activity(10, 100, "KEN", None, 90_000)])
    assert gaps[("KEN", "health")].covered.value == 0
    assert set(gaps) == {("KEN", "health")}
