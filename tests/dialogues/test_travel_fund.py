"""The travel-support fund optimiser: exact against brute force on small cases, properties, reasons."""

from __future__ import annotations

import ast
import itertools
import math
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pux.dialogues import travel_fund
from pux.dialogues.travel_fund import (
    LAMBDA,
    Applicant,
    Attending,
    FundProblem,
    FundResult,
    allocate,
    greedy_allocation,
)
from pux.dialogues.vocabulary import AT_LEAST, AT_MOST, EVERY_CATEGORY, BalanceTarget

WOMEN_40 = BalanceTarget("gender", "woman", AT_LEAST, 0.4)
WOMEN_50 = BalanceTarget("gender", "woman", AT_LEAST, 0.5)
WOMEN_60 = BalanceTarget("gender", "woman", AT_LEAST, 0.6)
MEN_60 = BalanceTarget("gender", "man", AT_LEAST, 0.6)
MEN_AT_MOST_60 = BalanceTarget("gender", "man", AT_MOST, 0.6)
EACH_TYPE_AT_MOST_50 = BalanceTarget("stakeholder_type", EVERY_CATEGORY, AT_MOST, 0.5)
LDC_30 = BalanceTarget("country_group", "ldc", AT_LEAST, 0.3)
TARGET_POOL = (WOMEN_40, WOMEN_60, MEN_60, MEN_AT_MOST_60, EACH_TYPE_AT_MOST_50, LDC_30)
NOBODY = Attending(0, {})
EXACT = 1e-9  # the gap asked of HiGHS when comparing with brute force


def person(
    gender: str, stakeholder: str = "government", groups: frozenset[str] = frozenset()
) -> dict[str, frozenset[str]]:
    return {
        "gender": frozenset({gender}),
        "stakeholder_type": frozenset({stakeholder}),
        "country_group": groups,
    }


def applicant(
    key: int, gender: str, minimum: float = 100.0, requested: float = 200.0, weight: float = 1.0
) -> Applicant:
    return Applicant(key, f"C{key % 3}", minimum, requested, weight, person(gender))


# --- Brute force ----------------------------------------------------------------------------------


def categories_in(problem: FundProblem, dimension: str) -> list[str]:
    present = {c for a in problem.applicants for c in a.categories.get(dimension, frozenset())}
    return sorted(present | {c for c, n in problem.attending.counts.get(dimension, {}).items() if n > 0})


def target_holds(problem: FundProblem, target: BalanceTarget, chosen: list[Applicant]) -> bool:
    categories = (
        categories_in(problem, target.dimension) if target.category == EVERY_CATEGORY else [target.category]
    )
    total = problem.attending.total + len(chosen)
    for category in categories:
        count = problem.attending.counts.get(target.dimension, {}).get(category, 0)
        count += sum(category in a.categories.get(target.dimension, frozenset()) for a in chosen)
        holds = (
            count >= target.share * total - 1e-9
            if target.bound == AT_LEAST
            else count <= target.share * total + 1e-9
        )
        if not holds:
            return False
    return True


def brute_force(problem: FundProblem, active: set[str] | None = None) -> float | None:
    """The best objective over every subset of supported applicants (None when none is feasible), with the
    top-up a fractional knapsack. ``active`` restricts which constraints apply (None: all)."""

    def on(name: str) -> bool:
        return active is None or name in active

    fixed = {key: amount for key, amount in problem.fixed.items() if on(f"fixed:{key}")}
    free = [a for a in problem.applicants if a.key not in fixed]
    pinned = [a for a in problem.applicants if fixed.get(a.key, 0) > 0]
    best = None
    for size in range(len(free) + 1):
        for subset in itertools.combinations(free, size):
            chosen = list(subset) + pinned
            spent = sum(a.minimum for a in subset) + sum(fixed.values())
            if on("budget") and spent > problem.budget + 1e-9:
                continue
            if not all(target_holds(problem, t, chosen) for t in problem.targets if on(t.name)):
                continue
            per_country = Counter(a.country_iso3 for a in chosen)
            cap = problem.max_per_country
            if cap is not None and any(n > cap for c, n in per_country.items() if on(f"country_cap:{c}")):
                continue
            value = sum(a.weight for a in chosen)
            value += sum(LAMBDA * a.weight * (fixed[a.key] - a.minimum) / a.requested for a in pinned)
            left = problem.budget - spent if on("budget") else math.inf
            for a in sorted(subset, key=lambda a: -a.weight / a.requested):
                top_up = min(a.requested - a.minimum, max(left, 0.0))
                value += LAMBDA * a.weight * top_up / a.requested
                left -= top_up
            best = value if best is None else max(best, value)
    return best


# --- Random small problems ------------------------------------------------------------------------


@st.composite
def small_problems(draw: st.DrawFn, with_fixed: bool = False) -> FundProblem:
    count = draw(st.integers(0, 8))
    applicants = []
    for key in range(count):
        minimum = draw(st.integers(1, 10))
        groups = draw(st.sampled_from([frozenset(), frozenset({"ldc"}), frozenset({"ldc", "sids"})]))
        applicants.append(
            Applicant(
                key=100 + key,
                country_iso3=draw(st.sampled_from(["AAA", "BBB", "CCC"])),
                minimum=float(minimum),
                requested=float(minimum + draw(st.integers(0, 10))),
                weight=draw(st.integers(1, 30)) / 10,
                categories=person(
                    draw(st.sampled_from(["woman", "man", "other"])),
                    draw(st.sampled_from(["government", "academia", "ngo"])),
                    groups,
                ),
            )
        )
    attending_people = draw(
        st.lists(
            st.tuples(st.sampled_from(["woman", "man"]), st.sampled_from(["government", "ngo"])), max_size=4
        )
    )
    counts: dict[str, Counter[str]] = {"gender": Counter(), "stakeholder_type": Counter()}
    for gender, stakeholder in attending_people:
        counts["gender"][gender] += 1
        counts["stakeholder_type"][stakeholder] += 1
    targets = draw(st.lists(st.sampled_from(TARGET_POOL), min_size=2, max_size=3, unique=True))
    total_requested = sum(a.requested for a in applicants)
    fixed: dict[int, float] = {}
    if with_fixed and applicants:
        for a in draw(st.lists(st.sampled_from(applicants), max_size=2, unique_by=lambda a: a.key)):
            fixed[a.key] = draw(st.sampled_from([0.0, a.minimum, a.requested]))
    return FundProblem(
        budget=float(draw(st.integers(0, int(total_requested) + 5))),
        applicants=tuple(applicants),
        targets=tuple(targets),
        attending=Attending(len(attending_people), {d: dict(c) for d, c in counts.items()}),
        max_per_country=draw(st.none() | st.integers(1, 3)),
        fixed=fixed,
    )


def assert_allocation_valid(problem: FundProblem, result: FundResult) -> None:
    """Budget, award ranges, targets, caps and overrides hold on the returned decisions."""
    by_key = {a.key: a for a in problem.applicants}
    assert [d.key for d in result.decisions] == [a.key for a in problem.applicants]
    assert sum(d.amount for d in result.decisions) <= problem.budget + 1e-6
    assert math.isclose(result.total_awarded, sum(d.amount for d in result.decisions), abs_tol=1e-6)
    for decision in result.decisions:
        if decision.key in problem.fixed:
            assert decision.amount == problem.fixed[decision.key]
            assert decision.reason == "fixed"
        elif decision.amount > 0:
            a = by_key[decision.key]
            assert a.minimum - 1e-9 <= decision.amount <= a.requested + 1e-9
    chosen = [by_key[d.key] for d in result.decisions if d.amount > 0]
    for target in problem.targets:
        assert target_holds(problem, target, chosen), target.name
    if problem.max_per_country is not None:
        assert max(Counter(a.country_iso3 for a in chosen).values(), default=0) <= problem.max_per_country


# --- Exactness ------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(small_problems(with_fixed=True))
def test_matches_brute_force(problem: FundProblem) -> None:
    result = allocate(problem, gap=EXACT)
    if not problem.applicants:
        assert result.status == "optimal"  # nothing to decide, even if the attending people miss a target
        return
    best = brute_force(problem)
    if best is None:
        assert result.status == "infeasible"
        assert all(d.amount == 0 and d.reason == "infeasible" for d in result.decisions)
        return
    assert result.status == "optimal"
    scale = max(1.0, sum(a.weight for a in problem.applicants))
    assert abs(result.objective - best) <= 1e-6 * scale


@settings(max_examples=40, deadline=None)
@given(small_problems(with_fixed=True))
def test_conflicting_set_is_minimal(problem: FundProblem) -> None:
    result = allocate(problem, gap=EXACT)
    if result.status != "infeasible":
        return
    conflicting = set(result.conflicting)
    assert conflicting
    assert brute_force(problem, conflicting) is None  # they cannot hold together
    for name in conflicting:
        assert brute_force(problem, conflicting - {name}) is not None, name  # and each one is needed


# --- Properties -----------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(small_problems(with_fixed=True))
def test_returned_allocation_respects_every_constraint(problem: FundProblem) -> None:
    result = allocate(problem)
    if not problem.applicants:
        return  # nothing to decide: the attending people alone may miss a target (see the empty-event test)
    if result.status == "infeasible":
        assert result.conflicting and result.total_awarded == 0
        return
    assert_allocation_valid(problem, result)
    assert result.proven_gap <= 0.001 + 1e-9


@settings(max_examples=40, deadline=None)
@given(small_problems(with_fixed=True))
def test_greedy_never_beats_the_optimum(problem: FundProblem) -> None:
    greedy = greedy_allocation(problem)
    optimal = allocate(problem, gap=EXACT)
    if greedy.status == "infeasible":
        return
    assert_allocation_valid(problem, greedy)  # a feasible greedy allocation really is feasible
    assert optimal.status == "optimal"
    assert greedy.objective <= optimal.objective + 1e-9


def test_the_empty_event_is_optimal_and_decides_nothing() -> None:
    result = allocate(FundProblem(1000.0, (), (WOMEN_40,), Attending(3, {"gender": {"man": 3}})))
    assert (result.status, result.decisions, result.binding, result.conflicting) == ("optimal", (), (), ())


# --- Infeasibility --------------------------------------------------------------------------------


def test_contradictory_targets_are_reported_as_the_conflict() -> None:
    applicants = tuple(applicant(k, "woman" if k % 2 else "man") for k in range(6))
    problem = FundProblem(
        budget=10_000.0,
        applicants=applicants,
        targets=(WOMEN_60, MEN_60, EACH_TYPE_AT_MOST_50.__class__("region", EVERY_CATEGORY, AT_MOST, 1.0)),
        attending=Attending(1, {"gender": {"other": 1}}),
        max_per_country=2,
    )
    result = allocate(problem)
    assert result.status == "infeasible"
    assert set(result.conflicting) == {WOMEN_60.name, MEN_60.name}
    assert all(d.amount == 0 and d.reason == "infeasible" for d in result.decisions)


def test_overrides_beyond_the_budget_conflict_with_it() -> None:
    applicants = (applicant(1, "woman"), applicant(2, "man"), applicant(3, "woman"))
    problem = FundProblem(300.0, applicants, (), NOBODY, fixed={1: 200.0, 2: 200.0})
    result = allocate(problem)
    assert result.status == "infeasible"
    assert set(result.conflicting) == {"budget", "fixed:1", "fixed:2"}


# --- Reasons --------------------------------------------------------------------------------------


def decision_of(result: FundResult, key: int) -> travel_fund.Decision:
    return next(d for d in result.decisions if d.key == key)


def test_refused_for_the_budget_and_a_partial_award() -> None:
    # 380 pays three fares (100 each); the 80 left tops up the most deserving per unit of money first.
    applicants = (
        applicant(1, "woman", requested=150.0, weight=3.0),
        applicant(2, "man", weight=2.0),
        applicant(3, "woman", weight=1.5),
        applicant(4, "man", weight=1.0),
    )
    result = allocate(FundProblem(380.0, applicants, (), NOBODY))
    assert (decision_of(result, 1).reason, decision_of(result, 1).amount) == ("full", 150.0)
    assert (decision_of(result, 2).reason, decision_of(result, 2).amount) == ("partial", 130.0)
    assert (decision_of(result, 3).reason, decision_of(result, 3).amount) == ("partial", 100.0)
    assert (decision_of(result, 4).reason, decision_of(result, 4).amount) == ("budget", 0.0)
    assert result.binding == ("budget",)
    assert result.total_awarded == 380.0


def test_refused_because_of_a_target() -> None:
    # Two women, three men, at least half women: the third man would break the target, money is plenty.
    applicants = (
        applicant(1, "woman"),
        applicant(2, "woman"),
        applicant(3, "man", weight=3.0),
        applicant(4, "man", weight=2.0),
        applicant(5, "man", weight=1.0),
    )
    result = allocate(FundProblem(10_000.0, applicants, (WOMEN_50,), NOBODY))
    assert [d.amount > 0 for d in result.decisions] == [True, True, True, True, False]
    refused = decision_of(result, 5)
    assert (refused.reason, refused.detail) == ("target", WOMEN_50.name)
    assert WOMEN_50.name in result.binding and "budget" not in result.binding


def test_refused_for_the_country_cap_and_the_override() -> None:
    applicants = tuple(Applicant(k, "KEN", 100.0, 100.0, float(k), person("woman")) for k in range(1, 5))
    result = allocate(FundProblem(10_000.0, applicants, (), NOBODY, max_per_country=2, fixed={4: 0.0}))
    assert [d.reason for d in result.decisions] == ["country_cap", "full", "full", "fixed"]
    assert decision_of(result, 1).detail == "KEN"
    assert "country_cap:KEN" in result.binding


def test_every_category_target_names_the_category() -> None:
    applicants = tuple(
        Applicant(k, f"C{k}", 100.0, 100.0, 1.0, person("woman", "ngo" if k < 4 else "academia"))
        for k in range(6)
    )
    result = allocate(FundProblem(10_000.0, applicants, (EACH_TYPE_AT_MOST_50,), NOBODY))
    assert sum(d.amount > 0 for d in result.decisions) == 4  # two of each type
    refused = [d for d in result.decisions if d.amount == 0]
    assert {(d.reason, d.detail) for d in refused} == {("target", f"{EACH_TYPE_AT_MOST_50.name}[ngo]")}


# --- Robustness -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minimum", "requested", "weight"),
    [(100.0, 0.0, 1.0), (100.0, 200.0, 0.0), (300.0, 200.0, 1.0), (100.0, -5.0, 1.0), (100.0, 200.0, -1.0)],
)
def test_bad_applicants_are_refused_by_key(minimum: float, requested: float, weight: float) -> None:
    bad = Applicant(4711, "AUT", minimum, requested, weight, person("man"))
    with pytest.raises(ValueError, match="4711"):
        allocate(FundProblem(1000.0, (applicant(1, "woman"), bad), (), NOBODY))


def test_minimum_equal_to_requested_is_allowed() -> None:
    result = allocate(FundProblem(500.0, (applicant(1, "woman", 200.0, 200.0),), (), NOBODY))
    assert decision_of(result, 1).amount == 200.0 and decision_of(result, 1).reason == "full"


def test_the_engine_imports_only_plain_libraries() -> None:
    tree = ast.parse(Path(travel_fund.__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    allowed_outside_stdlib = {"numpy", "highspy", "pux.dialogues.vocabulary"}
    import sys

    assert {
        name for name in imported if name.split(".")[0] not in sys.stdlib_module_names
    } <= allowed_outside_stdlib
