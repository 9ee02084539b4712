"""The allocation round: brute-force optimum on small instances, and properties on random ones."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pux.matching import allocation
from pux.matching.allocation import AllocationInfeasible, RoundRules, allocate, build_problem
from pux.matching.engine import MatchingData, NeedItem, PairSet, ProgrammeItem, eligible_pairs


def need(
    index: int,
    country: str,
    cost: float,
    area: str = "health",
    priority: float = 50.0,
    groups: frozenset[str] = frozenset(),
    technique: str = "radiotherapy",
    status: str = "published",
) -> NeedItem:
    return NeedItem(
        id=index,
        country=country,
        regions=frozenset({"014"}),
        income_group="LIC",
        groups=groups,
        area=area,
        techniques=frozenset({technique}),
        targets=frozenset({"3.4"}),
        modalities=frozenset(),
        readiness={},
        languages=frozenset({"en"}),
        cost=cost,
        currency="USD",
        women_focus=False,
        priority=priority,
        status=status,
    )


def programme(
    index: int,
    budget: float,
    max_per_need: float | None = None,
    divisible: bool = True,
    area: str = "health",
    groups: frozenset[str] = frozenset(),
    countries: frozenset[str] = frozenset(),
) -> ProgrammeItem:
    return ProgrammeItem(
        id=index,
        organisation=f"O{index}",
        modality="funding" if divisible else "equipment",
        areas=frozenset({area}),
        techniques=frozenset({"radiotherapy"}),
        targets=frozenset({"3.4"}),
        countries=countries,
        regions=frozenset(),
        income_groups=frozenset(),
        groups=groups,
        remaining=budget,
        max_per_need=max_per_need,
        currency="USD",
        window_end=None,
        languages=frozenset({"en"}),
        gender_focus=False,
        divisible=divisible,
    )


def _brute_force(data: MatchingData, rules: RoundRules) -> float:
    """The best objective by trying every integer amount on every pair (tiny instances only)."""
    pairs = eligible_pairs(data, for_allocation=True)
    problem = build_problem(data, pairs, rules)
    choices = [
        range(int(cap) + 1) if problem.divisible[pairs.programmes[k]] else (0, int(cap))
        for k, cap in enumerate(problem.pair_cap)
    ]
    best = 0.0
    for amounts in itertools.product(*choices):
        x = np.array(amounts, dtype=float)
        if _feasible(problem, x):
            best = max(best, float((problem.per_unit * x).sum()))
    return best


def _feasible(problem, x: np.ndarray) -> bool:  # type: ignore[no-untyped-def]
    pairs = problem.pairs
    by_programme = np.bincount(pairs.programmes, weights=x, minlength=len(problem.budget))
    by_need = np.bincount(pairs.needs, weights=x, minlength=len(problem.need_cap))
    by_country = np.bincount(
        problem.country_of_need[pairs.needs], weights=x, minlength=len(problem.country_cap)
    )
    return bool(
        (by_programme <= problem.budget + 1e-9).all()
        and (by_need <= problem.need_cap + 1e-9).all()
        and (by_country <= problem.country_cap + 1e-9).all()
        and by_country[problem.ldc_country].sum() >= problem.ldc_floor - 1e-9
    )


SMALL_CASES = [
    (
        [need(1, "KEN", 3, priority=90), need(2, "UGA", 2, priority=40), need(3, "KEN", 2, priority=60)],
        [programme(1, 4, 3), programme(2, 3, 2)],
        RoundRules(country_cap_share=0.75),
    ),
    (
        [need(1, "KEN", 3, priority=90), need(2, "UGA", 2, priority=40), need(3, "TZA", 3, priority=70)],
        [programme(1, 5, 5, divisible=False), programme(2, 3, 3, divisible=False)],
        RoundRules(country_cap_share=1.0),
    ),
    (
        [
            need(1, "KEN", 3, priority=90),
            need(2, "UGA", 2, priority=40, groups=frozenset({"LDC"})),
            need(3, "TZA", 2, priority=70),
        ],
        [programme(1, 4, 3), programme(2, 3, 3, divisible=False)],
        RoundRules(country_cap_share=1.0, ldc_floor_share=2 / 7),
    ),
    # Two areas make two independent pieces; only the country cap joins them, and here it binds.
    (
        [
            need(1, "KEN", 3, priority=90),
            need(2, "KEN", 3, area="food", priority=80),
            need(3, "UGA", 2, area="food", priority=30),
        ],
        [programme(1, 3, 3), programme(2, 3, 3, area="food")],
        RoundRules(country_cap_share=0.5),
    ),
    # The same two pieces joined by an LDC floor that the pieces alone would not meet.
    (
        [
            need(1, "KEN", 3, priority=90),
            need(2, "KEN", 3, area="food", priority=90),
            need(3, "UGA", 2, area="food", priority=20, groups=frozenset({"LDC"})),
        ],
        [programme(1, 3, 3), programme(2, 3, 3, area="food")],
        RoundRules(country_cap_share=1.0, ldc_floor_share=1 / 3),
    ),
]


@pytest.mark.parametrize(("needs", "programmes", "rules"), SMALL_CASES)
def test_small_instances_match_the_brute_force_optimum(
    needs: list[NeedItem], programmes: list[ProgrammeItem], rules: RoundRules
) -> None:
    data = MatchingData(needs, programmes, today=date(2026, 6, 1))
    result = allocate(data, eligible_pairs(data, for_allocation=True), rules)
    assert result.objective == pytest.approx(_brute_force(data, rules), rel=1e-6)
    assert result.gap <= 1e-3


def test_a_round_where_every_pair_is_worth_nothing_still_solves() -> None:
    data = MatchingData([need(1, "KEN", 5, priority=0.0)], [programme(1, 10, 10, divisible=False)])
    result = allocate(data, eligible_pairs(data, for_allocation=True), RoundRules(country_cap_share=1.0))
    assert result.objective == 0.0 and result.upper_bound >= 0.0


def test_an_impossible_ldc_floor_is_refused_clearly() -> None:
    data = MatchingData(
        [need(1, "KEN", 5), need(2, "UGA", 1, groups=frozenset({"LDC"}))], [programme(1, 10, 10)]
    )
    with pytest.raises(AllocationInfeasible):
        allocate(
            data,
            eligible_pairs(data, for_allocation=True),
            RoundRules(country_cap_share=1.0, ldc_floor_share=0.5),
        )


def test_optimum_beats_or_equals_greedy_and_ineligible_pairs_get_nothing() -> None:
    needs = [
        need(1, "KEN", 100, priority=90),
        need(2, "UGA", 100, priority=80, area="food"),
        need(3, "TZA", 60, priority=30),
        need(4, "ETH", 100, status="draft"),
    ]
    programmes = [programme(1, 120, 100), programme(2, 100, 100, area="food")]
    data = MatchingData(needs, programmes)
    result = allocate(data, eligible_pairs(data, for_allocation=True), RoundRules(country_cap_share=1.0))
    assert result.objective >= result.greedy_objective - 1e-9
    awarded = {(data.needs[a.need].id, data.programmes[a.programme].id) for a in result.awards}
    assert (4, 1) not in awarded and (2, 1) not in awarded and (1, 2) not in awarded


@st.composite
def instances(draw: st.DrawFn) -> tuple[MatchingData, RoundRules]:
    countries = ["KEN", "UGA", "TZA", "ETH"]
    n_needs = draw(st.integers(1, 8))
    n_programmes = draw(st.integers(1, 4))
    needs = [
        need(
            i + 1,
            draw(st.sampled_from(countries)),
            float(draw(st.integers(1, 50))) * 1000,
            area=draw(st.sampled_from(["health", "food"])),
            priority=float(draw(st.integers(0, 100))),
            groups=frozenset({"LDC"}) if draw(st.booleans()) else frozenset(),
        )
        for i in range(n_needs)
    ]
    programmes = [
        programme(
            j + 1,
            float(draw(st.integers(0, 120))) * 1000,
            float(draw(st.integers(1, 60))) * 1000,
            divisible=draw(st.booleans()),
            area=draw(st.sampled_from(["health", "food"])),
            groups=frozenset({"LDC"}) if draw(st.integers(0, 4)) == 0 else frozenset(),
        )
        for j in range(n_programmes)
    ]
    rules = RoundRules(country_cap_share=draw(st.sampled_from([0.2, 0.5, 1.0])), mip_time_limit=5)
    return MatchingData(needs, programmes, today=date(2026, 6, 1)), rules


@settings(max_examples=80, deadline=None, derandomize=True)
@given(instances())
def test_allocation_properties(instance: tuple[MatchingData, RoundRules]) -> None:
    data, rules = instance
    pairs = eligible_pairs(data, for_allocation=True)
    result = allocate(data, pairs, rules)
    again = allocate(data, pairs, rules)
    assert [(a.need, a.programme, a.amount) for a in result.awards] == [
        (a.need, a.programme, a.amount) for a in again.awards
    ]  # identical input, identical result
    eligible = set(zip(pairs.needs.tolist(), pairs.programmes.tolist(), strict=True))
    spent: dict[int, float] = {}
    received: dict[int, float] = {}
    by_country: dict[str, float] = {}
    for award in result.awards:
        assert (award.need, award.programme) in eligible  # never an ineligible pair
        programme_item, need_item = data.programmes[award.programme], data.needs[award.need]
        assert award.amount <= (programme_item.max_per_need or np.inf) + 1e-6 or not programme_item.divisible
        if not programme_item.divisible:
            assert award.amount == pytest.approx(need_item.cost)  # all or nothing
        spent[award.programme] = spent.get(award.programme, 0) + award.amount
        received[award.need] = received.get(award.need, 0) + award.amount
        by_country[need_item.country] = by_country.get(need_item.country, 0) + award.amount
    for j, amount in spent.items():
        assert amount <= (data.programmes[j].remaining or 0) + 1e-6  # no budget exceeded
    for i, amount in received.items():
        assert amount <= (data.needs[i].cost or 0) + 1e-6  # no need over-funded
    total = sum(p.remaining or 0 for p in data.programmes)
    for amount in by_country.values():
        assert amount <= np.floor(rules.country_cap_share * total) + 1e-6  # the country cap holds
    assert result.objective <= result.upper_bound + 1e-9
    assert result.objective >= result.greedy_objective - 1e-6


def test_pieces_solved_in_worker_processes_give_the_same_round(monkeypatch: pytest.MonkeyPatch) -> None:
    # Three areas make three pieces; forcing the parallel path must not change a single award.
    areas = ["health", "food", "water"]
    needs = [
        need(
            i + 1, ["KEN", "UGA", "TZA", "ETH"][i % 4], 1000 * (1 + i % 7), area=areas[i % 3], priority=i % 90
        )
        for i in range(60)
    ]
    programmes = [programme(j + 1, 4000 * (1 + j % 4), 1500, area=areas[j % 3]) for j in range(9)]
    data = MatchingData(needs, programmes, today=date(2026, 6, 1))
    pairs = eligible_pairs(data, for_allocation=True)
    rules = RoundRules(country_cap_share=1.0)
    one_by_one = allocate(data, pairs, rules)
    monkeypatch.setattr(allocation, "PARALLEL_PAIRS", 1)
    monkeypatch.setattr(allocation, "_usable_cpus", lambda: 2)  # also on a one-CPU runner
    # Earlier tests (the browser, the web client) may leave an idle thread behind; this round is safe to fork.
    monkeypatch.setattr(allocation.threading, "active_count", lambda: 1)
    forked: list[int] = []
    monkeypatch.setattr(allocation.os, "fork", _counting_fork(allocation.os.fork, forked))
    in_workers = allocate(data, pairs, rules)
    assert forked, "the pieces were not solved in worker processes"
    assert [(a.need, a.programme, a.amount) for a in in_workers.awards] == [
        (a.need, a.programme, a.amount) for a in one_by_one.awards
    ]
    assert in_workers.objective == one_by_one.objective > 0


def _counting_fork(fork: Callable[[], int], forked: list[int]) -> Callable[[], int]:
    def counted() -> int:
        pid = fork()
        if pid:
            forked.append(pid)
        return pid

    return counted


def test_an_all_or_nothing_programme_without_a_recorded_budget_reaches_no_need() -> None:
    # No remaining budget and no maximum per need: nothing to allocate, and nothing may break.
    whole = programme(2, 0, None, divisible=False)
    data = MatchingData([need(1, "KEN", 5)], [programme(1, 10, 10), replace(whole, remaining=None)])
    pairs = eligible_pairs(data, for_allocation=True)
    assert set(pairs.programmes.tolist()) == {0}
    result = allocate(data, pairs, RoundRules(country_cap_share=1.0))
    assert [(a.programme, a.amount) for a in result.awards] == [(0, 5.0)]


def _in_currency_unit(data: MatchingData, unit: float) -> MatchingData:
    """The same round with every amount counted in another unit (a value per unit changes, no ranking)."""
    return MatchingData(
        [replace(item, cost=(item.cost or 0) * unit) for item in data.needs],
        [
            replace(
                item,
                remaining=(item.remaining or 0) * unit,
                max_per_need=None if item.max_per_need is None else item.max_per_need * unit,
            )
            for item in data.programmes
        ],
        today=data.today,
    )


def _mixed_round(seed: int) -> MatchingData:
    """Sixty needs and ten programmes, half of them all-or-nothing offers, in two areas."""
    draw = np.random.default_rng(seed)
    countries, areas = ["KEN", "UGA", "TZA", "ETH", "SEN"], ["health", "food"]
    needs = [
        need(i + 1, str(draw.choice(countries)), float(draw.integers(1, 51)), area=str(draw.choice(areas)))
        for i in range(60)
    ]
    needs = [replace(item, priority=float(draw.integers(1, 101))) for item in needs]
    programmes = [
        programme(
            j + 1,
            float(draw.integers(5, 151)),
            float(draw.integers(1, 61)),
            divisible=bool(draw.random() < 0.5),
            area=str(draw.choice(areas)),
        )
        for j in range(10)
    ]
    return MatchingData(needs, programmes, today=date(2026, 6, 1))


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_a_round_counted_in_millions_is_solved_as_well_as_in_units(seed: int) -> None:
    # Real budgets run to millions: a currency unit is then worth a millionth of a need's value, which
    # the solver once took for zero, stopping far from the optimum and calling it optimal.
    rules = RoundRules(country_cap_share=0.5)
    in_units = _mixed_round(seed)
    in_millions = _in_currency_unit(in_units, 1_000_000)
    small = allocate(in_units, eligible_pairs(in_units, for_allocation=True), rules)
    large = allocate(in_millions, eligible_pairs(in_millions, for_allocation=True), rules)
    assert small.method == large.method == allocation.WHOLE_MIP
    for data, result in ((in_units, small), (in_millions, large)):
        pairs = eligible_pairs(data, for_allocation=True)
        assert _feasible(build_problem(data, pairs, rules), _amounts(result, pairs))
    # Each bound must hold for the other's allocation too: they are the same round.
    assert large.objective <= small.upper_bound + 1e-9 and small.objective <= large.upper_bound + 1e-9
    assert large.objective == pytest.approx(small.objective, rel=rules.mip_gap)


def _amounts(result: allocation.Allocation, pairs: PairSet) -> np.ndarray:
    """The round's amounts per eligible pair, from its awards."""
    index = {
        pair: k for k, pair in enumerate(zip(pairs.needs.tolist(), pairs.programmes.tolist(), strict=True))
    }
    amounts = np.zeros(len(pairs.needs))
    for award in result.awards:
        amounts[index[(award.need, award.programme)]] = award.amount
    return amounts


def test_an_award_never_passes_a_budget_by_the_solvers_tolerance() -> None:
    # Two of these needs cost one unit more than the budget: only one may be funded.
    data = MatchingData(
        [need(i, "KEN", 50_000_000 + i, priority=90) for i in range(1, 4)],
        [programme(1, 100_000_000, None, divisible=False)],
        today=date(2026, 6, 1),
    )
    rules = RoundRules(country_cap_share=1.0)
    result = allocate(data, eligible_pairs(data, for_allocation=True), rules)
    assert len(result.awards) == 1 and result.allocated <= 100_000_000
    assert result.objective == pytest.approx(_brute_force_whole(data, rules))


def _brute_force_whole(data: MatchingData, rules: RoundRules) -> float:
    """The best objective of a round of all-or-nothing offers, by trying every set of awards."""
    pairs = eligible_pairs(data, for_allocation=True)
    problem = build_problem(data, pairs, rules)
    best = 0.0
    for chosen in itertools.product((0, 1), repeat=len(pairs.needs)):
        x = np.array(chosen) * problem.pair_cap
        if _feasible(problem, x):
            best = max(best, float(problem.per_unit @ x))
    return best


def test_the_bound_counts_what_an_all_or_nothing_offer_can_take_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A budget of 5 and needs of 3: the relaxation funds one and two thirds of a need, a whole offer one.
    data = MatchingData(
        [need(1, "KEN", 3, priority=90), need(2, "UGA", 3, priority=60)],
        [programme(1, 5, None, divisible=False)],
        today=date(2026, 6, 1),
    )
    monkeypatch.setattr(allocation, "DIRECT_MIP_PAIRS", 0)  # the large rounds' path
    result = allocate(data, eligible_pairs(data, for_allocation=True), RoundRules(country_cap_share=1.0))
    assert result.method == allocation.FLOW_THEN_MIP
    assert result.objective == pytest.approx(_brute_force(data, RoundRules(country_cap_share=1.0)))
    assert result.upper_bound == pytest.approx(result.objective, rel=1e-6)


@pytest.mark.parametrize("cap", [0.5, 0.15])
@pytest.mark.parametrize("seed", range(6))
def test_the_large_rounds_bound_holds_for_the_best_allocation_found(
    seed: int, cap: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = RoundRules(country_cap_share=cap)
    data = _in_currency_unit(_mixed_round(seed), 1000)
    pairs = eligible_pairs(data, for_allocation=True)
    best = allocate(data, pairs, rules)  # one mixed-integer programme: near the optimum
    monkeypatch.setattr(allocation, "DIRECT_MIP_PAIRS", 0)
    relaxation_only = allocate(data, pairs, rules)
    assert relaxation_only.method == allocation.FLOW_THEN_MIP
    assert best.objective <= relaxation_only.upper_bound + 1e-9
    assert relaxation_only.objective <= best.upper_bound + 1e-9
    # And what the large rounds' path awards keeps every rule (budgets, costs, caps, whole offers whole).
    problem = build_problem(data, pairs, rules)
    amounts = _amounts(relaxation_only, pairs)
    assert _feasible(problem, amounts)
    whole = ~problem.divisible[pairs.programmes] & (amounts > 0)
    assert np.array_equal(amounts[whole], problem.pair_cap[whole])


def _six_then_chosen_again(
    countries: tuple[str, str, str], cap_share: float
) -> tuple[MatchingData, PairSet, allocation._Problem, np.ndarray | None]:
    """An offer of 10 funding a need of 6 (worth 50), then choosing again with two needs of 5 (60 each)."""
    data = MatchingData(
        [need(1, countries[0], 6, priority=50), *(need(i, countries[i - 1], 5, priority=60) for i in (2, 3))],
        [programme(1, 10, None, divisible=False)],
        today=date(2026, 6, 1),
    )
    pairs = eligible_pairs(data, for_allocation=True)
    problem = build_problem(data, pairs, RoundRules(country_cap_share=cap_share))
    return (
        data,
        pairs,
        problem,
        allocation._repacked(problem, np.where(pairs.needs == 0, problem.pair_cap, 0.0)),
    )


def test_an_all_or_nothing_offer_chooses_again_among_its_needs_and_the_unfunded() -> None:
    # Budget 10: funding the 6 leaves 4 unused; the two 5s (worth more together) fill it.
    data, pairs, problem, repacked = _six_then_chosen_again(("KEN", "UGA", "TZA"), 1.0)
    assert repacked is not None
    assert sorted(pairs.needs[repacked > 0].tolist()) == [1, 2]
    assert float(problem.per_unit @ repacked) == pytest.approx(
        _brute_force(data, RoundRules(country_cap_share=1.0))
    )


def test_choosing_again_keeps_every_country_within_its_cap() -> None:
    # The two 5s are both Uganda's: together they would pass its cap of 6, so the 6 stays funded.
    _data, pairs, problem, repacked = _six_then_chosen_again(("KEN", "UGA", "UGA"), 0.6)
    assert repacked is not None and _feasible(problem, repacked)
    assert pairs.needs[repacked > 0].tolist() == [0]
    _data, pairs, _problem, chosen = _six_then_chosen_again(("KEN", "UGA", "UGA"), 1.0)
    assert chosen is not None and sorted(pairs.needs[chosen > 0].tolist()) == [1, 2]  # the cap alone held it


def test_the_large_rounds_path_against_the_brute_force_optimum(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tiny rounds through the large rounds' path (relaxation, prices, knapsack bound, repair, repacking):
    # the proven bound is never below the true optimum and every award keeps the rules.
    monkeypatch.setattr(allocation, "DIRECT_MIP_PAIRS", 0)
    draw = np.random.default_rng(11)
    solved = 0
    while solved < 100:
        needs = [
            need(
                i + 1,
                str(draw.choice(["KEN", "UGA", "TZA"])),
                float(draw.integers(2, 6)),
                area=str(draw.choice(["health", "food"])),
                priority=float(draw.integers(1, 101)),
                groups=frozenset({"LDC"}) if draw.random() < 0.3 else frozenset(),
            )
            for i in range(int(draw.integers(2, 5)))
        ]
        programmes = [
            programme(
                j + 1,
                float(draw.integers(3, 10)),
                float(draw.integers(1, 5)),
                divisible=bool(draw.random() < 0.25),
                area=str(draw.choice(["health", "food"])),
            )
            for j in range(int(draw.integers(1, 4)))
        ]
        rules = RoundRules(
            country_cap_share=float(draw.choice([0.3, 0.5, 1.0])),
            ldc_floor_share=0.2 if draw.random() < 0.25 else None,
        )
        data = MatchingData(needs, programmes, today=date(2026, 6, 1))
        pairs = eligible_pairs(data, for_allocation=True)
        if not 0 < len(pairs.needs) <= 5:
            continue
        try:
            result = allocate(data, pairs, rules)
        except AllocationInfeasible:
            continue
        best = _brute_force(data, rules)
        problem = build_problem(data, pairs, rules)
        assert result.upper_bound >= best - 1e-9 and result.objective <= best + 1e-9
        assert _feasible(problem, _amounts(result, pairs))
        # The knapsack bound itself (the round's may be the relaxation's): at the relaxation's prices and at
        # any others, never below the optimum.
        relaxation = allocation._relaxation(problem, with_prices=True)
        assert relaxation.need_price is not None and relaxation.country_price is not None
        for need_price, country_price in (
            *zip(relaxation.need_price, relaxation.country_price, strict=True),
            (draw.random(len(problem.need_cap)) * 0.2, draw.random(len(problem.country_cap)) * 0.2),
        ):
            assert allocation._whole_offer_bound(problem, need_price, country_price) >= best - 1e-9
        best_bound = allocation._best_whole_offer_bound(
            problem, relaxation.need_price, relaxation.country_price
        )
        assert best_bound >= best - 1e-9
        solved += 1


def test_the_bound_is_read_at_the_best_of_the_relaxations_prices(monkeypatch: pytest.MonkeyPatch) -> None:
    # An offer of 5 and needs of 4 and 2: the relaxation takes the 2 and three quarters of the 4, a whole
    # offer only one of them. Both price sets prove the relaxation optimal, but at the first the knapsack
    # bound stays the relaxation's; at the second it is the optimum, and the round's gap closes.
    data = MatchingData(
        [need(1, "KEN", 4, priority=41), need(2, "KEN", 2, priority=80)],
        [programme(1, 5, None, divisible=False)],
        today=date(2026, 6, 1),
    )
    rules = RoundRules(country_cap_share=1.0)
    pairs = eligible_pairs(data, for_allocation=True)
    problem = build_problem(data, pairs, rules)
    relaxation = allocation._relaxation(problem, with_prices=True)
    assert relaxation.need_price is not None and relaxation.country_price is not None
    optimum = _brute_force(data, rules)
    first = allocation._whole_offer_bound(problem, relaxation.need_price[0], relaxation.country_price[0])
    best = allocation._best_whole_offer_bound(problem, relaxation.need_price, relaxation.country_price)
    assert first > optimum * 1.2
    assert best == pytest.approx(optimum, rel=1e-6) and best >= optimum - 1e-9
    monkeypatch.setattr(allocation, "DIRECT_MIP_PAIRS", 0)  # the large rounds' path
    result = allocate(data, pairs, rules)
    assert result.objective == pytest.approx(optimum, rel=1e-6)
    assert result.gap == pytest.approx(0.0, abs=1e-6)


def test_a_large_round_refined_is_never_worse_and_often_better(monkeypatch: pytest.MonkeyPatch) -> None:
    # Small rounds of mostly all-or-nothing offers through the large rounds' path, with and without the
    # refinement: the repair keeps the awards the relaxation made whole, which leaves some offers unable to
    # spend their budget; choosing every award again finds better rounds, keeping every rule.
    monkeypatch.setattr(allocation, "DIRECT_MIP_PAIRS", 0)
    draw = np.random.default_rng(5)
    rounds = improved = 0
    while rounds < 60:
        needs = [
            need(
                i + 1,
                str(draw.choice(["KEN", "UGA", "TZA", "SEN"])),
                float(draw.integers(2, 9)) * 100_000,
                area=str(draw.choice(["health", "food"])),
                priority=float(draw.integers(1, 101)),
            )
            for i in range(int(draw.integers(6, 20)))
        ]
        programmes = [
            programme(
                j + 1,
                float(draw.integers(3, 20)) * 100_000,
                divisible=bool(draw.random() < 0.2),
                area=str(draw.choice(["health", "food"])),
            )
            for j in range(int(draw.integers(2, 8)))
        ]
        data = MatchingData(needs, programmes, today=date(2026, 6, 1))
        pairs = eligible_pairs(data, for_allocation=True)
        rules = RoundRules(country_cap_share=float(draw.choice([0.4, 1.0])))
        try:
            repaired = allocate(data, pairs, replace(rules, refine_seconds=0.0))
        except AllocationInfeasible:
            continue
        refined = allocate(data, pairs, rules)
        assert refined.objective >= repaired.objective - 1e-9
        assert refined.upper_bound == pytest.approx(repaired.upper_bound)
        assert _feasible(build_problem(data, pairs, rules), _amounts(refined, pairs))
        improved += refined.objective > repaired.objective * (1 + 1e-9)
        rounds += 1
    assert improved >= 10
