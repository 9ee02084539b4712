"""A recommendation's reasons say what the figures say. A need without a cost was told "cost above the
programme's maximum per need" (of a programme with no maximum at all), a programme open to a region only
said "eligible: no restriction applies", and a programme with nothing left was a need's first match without
a word on its budget."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import numpy as np
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.matching.engine import (
    MatchingData,
    explain,
    fit_components,
    reasons,
    render_reasons,
    top_needs_for_programme,
    top_programmes_for_need,
)
from pux.needs import service as needs
from tests.matching.test_allocation import need, programme
from tests.web_helpers import bearer
from tests.world import World, published_programme

MAXIMUM = "cost above the programme's maximum per need"
NOT_STATED = "cost not stated"
NOTHING_LEFT = "nothing is left of the programme's budget (allocation rounds leave it out)"
TODAY = date(2026, 12, 6)


def test_a_need_without_a_cost_is_told_its_cost_is_not_stated() -> None:
    uncosted = replace(need(1, "KEN", 0), cost=None)
    for limit in (None, 100_000):
        shown = explain(uncosted, programme(1, 500_000, max_per_need=limit), {"cost": 0.5})
        assert NOT_STATED in shown
        assert MAXIMUM not in shown and not any("budget would cover" in reason for reason in shown)


def test_only_a_cost_above_the_maximum_is_said_to_be_above_it() -> None:
    assert MAXIMUM in explain(need(1, "KEN", 250_000), programme(1, 500_000, max_per_need=100_000), {})
    assert MAXIMUM not in explain(need(1, "KEN", 50_000), programme(1, 500_000, max_per_need=100_000), {})
    assert MAXIMUM not in explain(need(1, "KEN", 250_000), programme(1, 500_000, max_per_need=None), {})


def test_the_fit_does_not_count_a_cost_not_stated_for_or_against_the_need() -> None:
    """Without a maximum no cost can pass it (every need fits: 1); with one, a cost not stated is neither
    within nor above it (0.5, the engine's "not known")."""
    uncosted, costed = replace(need(1, "KEN", 0), cost=None), need(2, "KEN", 50_000)
    data = MatchingData(
        [uncosted, costed],
        [programme(1, 500_000, max_per_need=None), programme(2, 500_000, max_per_need=100_000)],
        today=TODAY,
    )
    cost = fit_components(data, np.array([0, 1, 0, 1]), np.array([0, 0, 1, 1]))["cost"]
    assert cost.tolist() == [1.0, 1.0, 0.5, 1.0]


def test_a_programme_open_to_a_region_says_so_and_names_it() -> None:
    eastern_africa = replace(programme(1, 500_000), regions=frozenset({"014"}))
    found = reasons(need(1, "KEN", 100_000), eastern_africa, {})
    assert ("eligible: in %(region)s", {"region": "014"}) in found
    assert not any(message == "eligible: no restriction applies" for message, _values in found)
    named = render_reasons(
        found, lambda key, code: {"014": "Eastern Africa"}[code] if key == "region" else code
    )
    assert "eligible: in Eastern Africa" in named


def test_each_restriction_the_need_passes_is_named() -> None:
    strict = replace(programme(1, 500_000), regions=frozenset({"014"}), income_groups=frozenset({"LIC"}))
    shown = explain(need(1, "KEN", 100_000), strict, {})
    assert "eligible: in 014" in shown and "eligible: income group LIC" in shown
    assert "eligible: no restriction applies" in explain(need(1, "KEN", 100_000), programme(1, 500_000), {})


def _funding_programme(session: Session, world: World, title: str, **extra: object) -> int:
    """A published funding programme for the Kenyan published need (made to take funding)."""
    kenyan = needs.get_need(session, actor=world.actors["admin"], need_id=world.needs["published_ken"])
    kenyan.modalities_wanted = ["equipment", "funding"]
    session.flush()
    return published_programme(session, world, title=title, **extra)


def _recommended_to_the_kenyan_need(client: TestClient, world: World) -> dict[int, list[str]]:
    answer = client.get(
        f"/api/v1/needs/{world.needs['published_ken']}/recommendations", headers=bearer(world.tokens["admin"])
    )
    assert answer.status_code == 200, answer.text
    return {item["id"]: item["reasons"] for item in answer.json()}


def test_a_needs_recommendations_leave_out_a_spent_programme(
    client: TestClient, session: Session, world: World
) -> None:
    spent = _funding_programme(session, world, "Spent cancer care grants", remaining_budget=Decimal(0))
    with_money = _funding_programme(session, world, "Cancer care grants with money left")
    recommended = _recommended_to_the_kenyan_need(client, world)
    assert with_money in recommended and spent not in recommended


def test_a_programme_with_nothing_left_is_recommended_to_no_need() -> None:
    data = MatchingData(
        [need(1, "KEN", 100_000)], [programme(1, 0), programme(2, 300_000), programme(3, None)], today=TODAY
    )
    recommended = [r.programme_id for r in top_programmes_for_need(data, 0)]
    assert recommended == [2, 3]  # a budget not stated may still give


def test_the_needs_of_a_programme_with_nothing_left_are_told_so() -> None:
    data = MatchingData([need(1, "KEN", 100_000)], [programme(1, 0)], today=TODAY)
    (found,) = top_needs_for_programme(data, 0)
    assert NOTHING_LEFT in found.reasons
    assert not any("budget would cover" in reason for reason in found.reasons)
