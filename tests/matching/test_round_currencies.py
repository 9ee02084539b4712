"""A round never adds amounts in different currencies. After an 80 million EUR programme was published, a
round showed "Allocated 11,310,000 / 180,520,000" (dollars and euros added, no currency named), and its
country cap, a share of that sum, loosened: at 1.5% Sudan received 1,705,000 USD with the euro programme in
the round, 1,507,800 without. Each currency is now allocated apart, its cap and floor shares of its own
budget, and every total says its currency."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.matching.allocation import Allocation, RoundRules, allocate
from pux.matching.engine import MatchingData, eligible_pairs
from pux.matching.models import AllocationRound
from tests.matching.test_allocation import need, programme
from tests.web_helpers import sign_in
from tests.world import World

TODAY = date(2026, 12, 6)


def _round(with_euros: bool, floor: float | None = None) -> Allocation:
    """Sudan and Kenya costed in dollars, Mozambique in euros; a programme in dollars, one in euros."""
    least_developed = frozenset({"LDC"})
    needs_ = [
        need(1, "SDN", 900_000, priority=90, groups=least_developed),
        need(2, "KEN", 900_000, priority=40),
        replace(need(3, "MOZ", 500_000, priority=60, groups=least_developed), currency="EUR"),
    ]
    programmes = [programme(1, 1_000_000)]
    if with_euros:
        programmes.append(replace(programme(2, 80_000_000), currency="EUR"))
    data = MatchingData(needs_, programmes, today=TODAY)
    return allocate(data, eligible_pairs(data, for_allocation=True), RoundRules(0.25, floor))


def test_a_programme_in_another_currency_does_not_loosen_the_cap() -> None:
    dollars_only, with_euros = _round(with_euros=False), _round(with_euros=True)
    given = {(a.need, a.programme): a.amount for a in with_euros.awards}
    # Sudan's cap is a quarter of the 1,000,000 USD, whatever euros the round also holds.
    assert given[(0, 0)] == 250_000
    assert {(a.need, a.programme): a.amount for a in dollars_only.awards}.items() <= given.items()
    # The euro need is funded from euros, its cap a quarter of the 80 million EUR (all it costs).
    assert given[(2, 1)] == 500_000


def test_every_total_is_given_in_its_currency() -> None:
    result = _round(with_euros=True, floor=0.005)
    money = result.currencies
    assert set(money) == {"EUR", "USD"}
    assert (money["USD"].budget, money["USD"].allocated, money["USD"].country_cap) == (1e6, 5e5, 2.5e5)
    assert (money["EUR"].budget, money["EUR"].allocated, money["EUR"].country_cap) == (8e7, 5e5, 2e7)
    assert (money["USD"].ldc_floor, money["EUR"].ldc_floor) == (5e3, 4e5)
    with pytest.raises(ValueError, match="no single total"):
        _ = result.total_budget


def test_a_round_stored_before_currencies_were_kept_apart_says_its_currency_is_not_known(
    client: TestClient, session: Session, world: World
) -> None:
    earlier = AllocationRound(
        title="Round of the earlier kind",
        method="min-cost flow (exact)",
        objective=0.0,
        upper_bound=0.0,
        greedy_objective=0.0,
        binding=["country_cap:KEN"],
        parameters={"country_cap_share": 0.25, "ldc_floor_share": None, "programmes": [1, 2]},
        summary={"pairs": 0, "awards": 0, "allocated": 11310000.0, "total_budget": 180520000.0},
    )
    session.add(earlier)
    session.flush()
    sign_in(client, world.emails["facilitator"])
    page = client.get(f"/matching/rounds/{earlier.id}").text
    assert "11,310,000 / 180,520,000" in page
    assert "currency not recorded: this round was run before PUX kept currencies apart" in page
    assert "country cap of" in page  # stored without its currency, shown without one
