"""A recommendation's reasons say what the figures say. A need without a cost was told "cost above the
programme's maximum per need" (of a programme with no maximum at all), and a programme open to a region only
said "eligible: no restriction applies"."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np

from pux.matching.engine import MatchingData, explain, fit_components, reasons, render_reasons
from tests.matching.test_allocation import need, programme

MAXIMUM = "cost above the programme's maximum per need"
NOT_STATED = "cost not stated"
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
