"""Recipients before partners in the travel fund's optimiser: a partner is supported only with what no
eligible recipient could use, checked by hand on the case a facilitator met and against brute force."""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from pux.dialogues.travel_fund import Applicant, Attending, FundProblem, allocate, greedy_allocation
from tests.dialogues.test_travel_fund import (
    EXACT,
    NOBODY,
    assert_allocation_valid,
    person,
    small_problems,
    target_holds,
)

RECIPIENT, PARTNER = 1, 0


def _applicant(key: int, country: str, fare: float, precedence: int, weight: float = 1.0) -> Applicant:
    return Applicant(key, country, fare, fare, weight, person("woman"), precedence=precedence)


def test_a_recipient_who_asks_much_comes_before_three_partners_who_ask_little() -> None:
    # Budget 3,000: a Kenyan asks 2,800, three partners 900 each. Three people weigh more than one, so
    # without precedence the partners took the fund and the Kenyan got nothing.
    kenyan = _applicant(1, "KEN", 2800.0, RECIPIENT, weight=2.8)
    partners = tuple(_applicant(2 + i, iso3, 900.0, PARTNER) for i, iso3 in enumerate(("FRA", "JPN", "CAN")))
    result = allocate(FundProblem(3000.0, (kenyan, *partners), (), NOBODY), gap=EXACT)
    amounts = {decision.key: decision.amount for decision in result.decisions}
    assert amounts == {1: 2800.0, 2: 0.0, 3: 0.0, 4: 0.0}
    refused = [decision for decision in result.decisions if decision.key != 1]
    assert {decision.reason for decision in refused} == {"budget"}  # 200 left, the fare is 900: true


def test_partners_are_supported_from_what_is_left_and_topped_up_after_recipients() -> None:
    # Budget 2,000: a recipient asks 1,000 to 1,500, a partner 600 to 900. Both fit at their least
    # (1,600); the 400 left tops the recipient up first, though the partner's top-up is worth more per
    # unit of money by weight.
    recipient = Applicant(1, "KEN", 1000.0, 1500.0, 1.0, person("woman"), precedence=RECIPIENT)
    partner = Applicant(2, "FRA", 600.0, 900.0, 3.0, person("man"), precedence=PARTNER)
    result = allocate(FundProblem(2000.0, (recipient, partner), (), NOBODY), gap=EXACT)
    assert {d.key: d.amount for d in result.decisions} == {1: 1400.0, 2: 600.0}


def _feasible(problem: FundProblem, chosen: tuple[Applicant, ...]) -> bool:
    """Whether supporting exactly ``chosen`` (each at their least, overrides as fixed) keeps every rule."""
    keys = {a.key for a in chosen}
    if any((amount > 0) != (key in keys) for key, amount in problem.fixed.items()):
        return False
    spent = sum(problem.fixed.get(a.key, a.minimum) for a in chosen)
    if spent > problem.budget + 1e-9:
        return False
    if not all(target_holds(problem, target, list(chosen)) for target in problem.targets):
        return False
    cap = problem.max_per_country
    return cap is None or max(Counter(a.country_iso3 for a in chosen).values(), default=0) <= cap


def _best_recipient_support(problem: FundProblem) -> float | None:
    """The most weighted support recipients can have under every rule (None: no allocation holds)."""
    best = None
    for size in range(len(problem.applicants) + 1):
        for chosen in itertools.combinations(problem.applicants, size):
            if _feasible(problem, chosen):
                support = sum(a.weight for a in chosen if a.precedence == RECIPIENT)
                best = support if best is None else max(best, support)
    return best


@st.composite
def problems_with_recipients(draw: st.DrawFn) -> FundProblem:
    problem = draw(small_problems(with_fixed=True))
    applicants = tuple(
        dataclasses.replace(a, precedence=draw(st.sampled_from((RECIPIENT, PARTNER))))
        for a in problem.applicants
    )
    return dataclasses.replace(problem, applicants=applicants)


@settings(max_examples=60, deadline=None)
@given(problems_with_recipients())
def test_no_allocation_gives_recipients_more_support_than_the_one_chosen(problem: FundProblem) -> None:
    result = allocate(problem, gap=EXACT)
    best = _best_recipient_support(problem)
    if not problem.applicants:
        return
    if best is None:
        assert result.status == "infeasible"
        return
    assert result.status == "optimal"
    assert_allocation_valid(problem, result)
    by_key = {a.key: a for a in problem.applicants}
    chosen = [by_key[d.key] for d in result.decisions if d.amount > 0]
    assert abs(sum(a.weight for a in chosen if a.precedence == RECIPIENT) - best) <= 1e-6
    # No assertion on proven_gap here: awards are topped up recipients first after the solve, which may
    # leave the amounts' part of the objective a little under the solver's bound (0.107 % in one drawn
    # case); what this test guards is the recipients' support, checked above against brute force.


@settings(max_examples=40, deadline=None)
@given(problems_with_recipients())
def test_the_greedy_baseline_with_recipients_keeps_every_rule(problem: FundProblem) -> None:
    greedy = greedy_allocation(problem)
    if greedy.status == "infeasible":
        return
    assert_allocation_valid(problem, greedy)


def test_without_recipients_or_without_partners_nothing_changes() -> None:
    everyone = tuple(_applicant(i, "KEN", 100.0 * i, RECIPIENT, weight=float(i)) for i in range(1, 5))
    alike = FundProblem(500.0, everyone, (), Attending(0, {}))
    none_first = dataclasses.replace(
        alike, applicants=tuple(dataclasses.replace(a, precedence=PARTNER) for a in everyone)
    )
    assert allocate(alike, gap=EXACT).decisions == allocate(none_first, gap=EXACT).decisions
