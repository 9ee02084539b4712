"""A round says which limits held it back, and the rules it ran under. A round that gave nothing said
"Allocated 0 / 0 - Binding constraints 39: country cap of ALB, ..." (every country "reached" a cap of 0),
and no round page or answer told the cap or the floor it had been run with. A limit is listed only when
the round reached it while something more could have been given through it."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.matching import service as matching
from pux.matching.allocation import RoundRules, allocate
from pux.matching.engine import MatchingData, NeedItem, ProgrammeItem, eligible_pairs
from pux.needs import service as needs
from tests.matching.test_allocation import need, programme
from tests.web_helpers import sign_in
from tests.world import World, published_programme

TODAY = date(2026, 12, 6)


def _binding(needs_: list[NeedItem], programmes: list[ProgrammeItem], rules: RoundRules) -> list[str]:
    data = MatchingData(needs_, programmes, today=TODAY)
    return allocate(data, eligible_pairs(data, for_allocation=True), rules).binding


def test_a_round_that_gives_nothing_is_held_back_by_nothing() -> None:
    assert _binding([need(1, "KEN", 100_000), need(2, "UGA", 100_000)], [programme(1, 0)], RoundRules()) == []
    assert _binding([need(1, "KEN", 100_000)], [programme(1, None)], RoundRules()) == []


def test_a_cap_binds_only_when_it_stopped_money_that_could_have_been_given() -> None:
    # Kenya's need takes its whole cap of 500,000 and wants nothing more: the cap held nothing back.
    assert _binding([need(1, "KEN", 500_000)], [programme(1, 1_000_000)], RoundRules(0.5)) == []
    # Kenya's need wants 800,000, the programme has 1,000,000: the cap of 500,000 stopped the rest.
    assert _binding([need(1, "KEN", 800_000)], [programme(1, 1_000_000)], RoundRules(0.5)) == [
        "country_cap:KEN:USD"
    ]


def test_a_budget_binds_only_when_a_need_it_could_fund_still_lacks_money() -> None:
    assert _binding([need(1, "KEN", 500_000)], [programme(1, 500_000)], RoundRules(1.0)) == []
    assert _binding(
        [need(1, "KEN", 500_000), need(2, "UGA", 300_000)], [programme(1, 500_000)], RoundRules(1.0)
    ) == ["budget:1"]


def test_the_floor_binds_when_others_would_have_received_more() -> None:
    least_developed = frozenset({"LDC"})
    needs_ = [
        need(1, "KEN", 1_000_000, priority=90),
        need(2, "SDN", 1_000_000, priority=10, groups=least_developed),
    ]
    assert _binding(needs_, [programme(1, 1_000_000)], RoundRules(1.0, 0.3)) == ["budget:1", "ldc_floor:USD"]
    assert "ldc_floor:USD" not in _binding(needs_, [programme(1, 1_000_000)], RoundRules(1.0, 0.0))


def _kenyan_round(session: Session, world: World, cap: float, floor: float | None, budget: int) -> int:
    kenyan = needs.get_need(session, actor=world.actors["admin"], need_id=world.needs["published_ken"])
    kenyan.modalities_wanted = ["equipment", "funding"]
    session.flush()
    programme_id = published_programme(
        session,
        world,
        title="Radiotherapy grants for the round's rules",
        total_budget=Decimal(max(budget, 1)),
        remaining_budget=Decimal(budget),
        max_per_need=None,
    )
    return matching.run_round(
        session,
        actor=world.actors["facilitator"],
        title="Round with its rules",
        rules=RoundRules(country_cap_share=cap, ldc_floor_share=floor),
        programme_ids=[programme_id],
    ).id


def test_the_round_page_shows_its_rules_and_what_held_it_back(
    client: TestClient, session: Session, world: World
) -> None:
    round_id = _kenyan_round(session, world, 0.015, None, 4_000_000)
    sign_in(client, world.emails["facilitator"])
    page = client.get(f"/matching/rounds/{round_id}").text
    assert "Rules of this round" in page
    assert re.search(r"share of the round \(%\)</dt><dd>1\.5\b", page)
    assert re.search(r"least developed countries \(%, optional\)</dt><dd>none</dd>", page)
    assert "country cap of Kenya (USD)" in page  # its need wants 1,200,000


def test_a_round_that_gave_nothing_lists_no_binding_limit(
    client: TestClient, session: Session, world: World
) -> None:
    round_id = _kenyan_round(session, world, 0.25, None, 0)
    sign_in(client, world.emails["facilitator"])
    page = client.get(f"/matching/rounds/{round_id}").text
    assert "country cap of" not in page
    assert "none: no budget, cap or floor held back money that could have been given" in page
