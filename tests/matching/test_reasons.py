"""What a match's reasons say of the need's cost beside the programme's remaining budget: the share of the
budget the need takes when it fits, the share of the cost the budget covers when it does not (it said
"100% of the remaining budget would cover it" of a 2.5 billion need and a 500,000 budget), and no
comparison at all between two currencies. Reasons stored with a proposal are shown in the reader's
language when read."""

from __future__ import annotations

import json
from dataclasses import replace

from pux.i18n import language_context
from pux.matching.engine import explain, reasons, render_reasons
from tests.matching.test_allocation import need, programme

COVERED_PART = "the remaining budget would cover %(part)s%% of its cost"
CURRENCIES = (
    "costed in %(need_currency)s, the programme budgets in %(programme_currency)s: amounts not compared "
    "(allocation rounds leave such pairs out)"
)


def test_a_need_within_the_budget_keeps_its_share_of_the_budget() -> None:
    shown = explain(need(1, "KEN", 250_000), programme(1, 500_000), {})
    assert "50% of the remaining budget would cover it" in shown


def test_a_need_above_the_budget_is_told_how_much_of_its_cost_the_budget_covers() -> None:
    shown = explain(need(1, "KEN", 2_000_000), programme(1, 500_000), {})
    assert "the remaining budget would cover 25% of its cost" in shown
    assert not any("of the remaining budget would cover it" in reason for reason in shown)


def test_a_small_part_is_neither_rounded_to_nothing_nor_up_to_all() -> None:
    huge = explain(need(1, "KEN", 2_500_000_000), programme(1, 500_000), {})
    assert "the remaining budget would cover 0.02% of its cost" in huge
    nearly = explain(need(1, "KEN", 1_000_000), programme(1, 999_900), {})
    assert "the remaining budget would cover 99% of its cost" in nearly  # 99.99%: not "100%"
    with language_context("fr"):
        in_french = explain(need(1, "KEN", 2_500_000_000), programme(1, 500_000), {})
    assert any("0,02" in reason for reason in in_french)  # the reader's decimal sign


def test_amounts_in_two_currencies_are_not_compared() -> None:
    euros = replace(need(1, "KEN", 2_500_000_000), currency="EUR")
    dollars = programme(1, 500_000, max_per_need=100_000)
    found = reasons(euros, dollars, {"cost": 0.00004})
    assert (CURRENCIES, {"need_currency": "EUR", "programme_currency": "USD"}) in found
    shown = render_reasons(found)
    assert not any("%" in reason or "maximum per need" in reason for reason in shown)


def test_reasons_stored_with_a_proposal_are_read_in_the_readers_language() -> None:
    found = reasons(need(1, "KEN", 2_000_000), programme(1, 500_000), {})
    assert (COVERED_PART, {"part": 25.0}) in found
    stored = json.loads(json.dumps(found))  # as MatchProposal.explanation keeps them
    read = [(str(message), dict(values)) for message, values in stored]
    assert "the remaining budget would cover 25% of its cost" in render_reasons(read)


def test_the_fit_does_not_compare_a_cost_and_a_maximum_in_two_currencies() -> None:
    """A EUR need beside a USD programme's maximum per need counted as far too costly (or as fitting)
    from the bare figures; the cost part of the fit is unknown instead, as for a need without a cost."""
    import numpy as np

    from pux.matching.engine import MatchingData, fit_components

    euros = replace(need(1, "KEN", 2_500_000_000), currency="EUR")
    dollars = programme(1, 500_000, max_per_need=100_000)
    data = MatchingData([euros, need(2, "KEN", 2_500_000_000)], [dollars])
    cost = fit_components(data, np.array([0, 1]), np.array([0, 0]))["cost"]
    assert cost[0] == 0.5  # not compared
    assert cost[1] < 0.001  # same currency: far above the programme's maximum
