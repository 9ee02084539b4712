"""The allocation round: which programme gives how much to which need, optimally, under budgets and fairness.

Maximise the priority-weighted fit of the funded share of needs:  sum over pairs of
fit(i, j) x priority(i) / 100 x amount(i, j) / cost(i), subject to each programme's remaining budget
and maximum per need, no need funded beyond its cost, only eligible pairs, a cap on any one country's
share of the round's budget and, optionally, a floor for least developed countries.

Money that can be split is a min-cost flow, solved exactly (integer currency units), piece by piece
where eligibility splits the round into independent pieces (see ``_solve_flow``). All-or-nothing
offers are first relaxed into the same flow (an upper bound on the optimum), then the pairs the
relaxation left fractional are settled by a mixed-integer programme (HiGHS), and the split money is
re-optimised around them. The report carries the objective, the proven upper bound and the gap; for
all-or-nothing offers the bound is tightened by what each offer can really take whole at the
relaxation's prices, read where they give the lowest bound (see ``_best_whole_offer_bound``). A large
round then spends a few seconds more (``RoundRules.refine_seconds``) solving itself again as one
mixed-integer programme over its most promising pairs, from the repaired round (see ``_refined``).
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import os
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import highspy
import numpy as np
from ortools.graph.python import min_cost_flow
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from pux.matching.engine import MatchingData, PairSet, proven_gap

DIRECT_MIP_PAIRS = 60_000  # up to this many pairs, all-or-nothing rounds are solved as one MIP
# How a round was solved (stored with the round; pages show them translated).
FLOW_EXACT = "min-cost flow (exact)"
WHOLE_MIP = "mixed-integer programme (HiGHS)"
FLOW_THEN_MIP = "flow relaxation + mixed-integer repair (HiGHS)"
PARALLEL_PAIRS = 200_000  # from this many pairs, pieces are solved in parallel processes
COST_SCALE = 2_000_000  # largest per-unit value becomes this integer cost; int64 stays far from overflow


class AllocationInfeasible(ValueError):
    """The rules cannot all be met (for example an LDC floor larger than what LDC needs can receive).
    ``currency``: the budget whose rules could not be met, once known (each currency is allocated apart,
    its floor a share of its own budget: a round in two currencies failed without saying which)."""

    def __init__(self, message: str, currency: str | None = None) -> None:
        super().__init__(message)
        self.currency = currency


@dataclass(frozen=True)
class RoundRules:
    country_cap_share: float = 0.25
    ldc_floor_share: float | None = None
    mip_time_limit: float = 50.0
    mip_gap: float = 1e-3
    refine_seconds: float = 4.0  # what a large round with all-or-nothing offers may add to improve itself


@dataclass(frozen=True)
class Award:
    need: int  # index into data.needs
    programme: int  # index into data.programmes
    amount: float
    value: float


@dataclass(frozen=True)
class CurrencyTotals:
    """A round's money in one currency. Amounts in two currencies are never added (PUX converts nothing):
    each currency's caps and floor are shares of its own budget."""

    budget: float  # what the round's programmes open on the day have left
    allocated: float
    country_cap: float  # the most one country may receive
    ldc_floor: float  # the least the least developed countries receive together (0: no floor)


@dataclass
class Allocation:
    awards: list[Award]
    objective: float
    upper_bound: float
    greedy_objective: float
    method: str
    binding: list[str] = field(default_factory=list)
    seconds: float = 0.0  # the exact solve only (the greedy comparison is not timed)
    pairs: int = 0
    currencies: dict[str, CurrencyTotals] = field(default_factory=dict)

    @property
    def gap(self) -> float:
        return proven_gap(self.objective, self.upper_bound)

    @property
    def allocated(self) -> float:
        """What the round gives, for a round in one currency (see ``currencies``)."""
        return self._only_currency().allocated

    @property
    def total_budget(self) -> float:
        """What the round's programmes have left, for a round in one currency (see ``currencies``)."""
        return self._only_currency().budget

    def _only_currency(self) -> CurrencyTotals:
        if len(self.currencies) > 1:
            raise ValueError(f"a round in {', '.join(self.currencies)} has no single total: see currencies")
        return next(iter(self.currencies.values()), CurrencyTotals(0.0, 0.0, 0.0, 0.0))


@dataclass
class _Problem:
    """Arrays describing one round, shared by the exact solver and the greedy comparison."""

    data: MatchingData
    pairs: PairSet
    per_unit: np.ndarray  # value of one currency unit on each pair
    pair_cap: np.ndarray  # most a pair may carry
    budget: np.ndarray  # per programme
    need_cap: np.ndarray  # per need (its cost)
    country_of_need: np.ndarray  # country index per need
    country_cap: np.ndarray
    ldc_country: np.ndarray  # bool per country
    ldc_floor: float
    divisible: np.ndarray  # bool per programme
    total_budget: float
    currency: str


def build_problem(
    data: MatchingData, pairs: PairSet, rules: RoundRules, currency: str | None = None
) -> _Problem:
    """The round in ``currency`` (None: the only one of the programmes), its pairs all in that currency.

    Its budget, and so its country cap and LDC floor, is what the programmes in that currency that are open
    on the day have left: a programme in another currency, or not open, gives nothing to this round.
    """
    currency = currency if currency is not None else _only_currency(data)
    budget = np.array(
        [(p.remaining or 0.0) if p.currency == currency else 0.0 for p in data.programmes], dtype=np.float64
    ).round()
    budget[~(data.p_open & data.p_started)] = 0.0
    cost = np.nan_to_num(data.n_cost, nan=0.0).round()
    divisible = np.array([p.divisible for p in data.programmes], dtype=bool)  # bool even when empty
    # Per pair, in place where possible: these arrays are millions long.
    need_cost = cost[pairs.needs]
    per_unit = data.n_priority[pairs.needs].astype(np.float64)
    per_unit *= pairs.fit
    per_unit /= 100.0
    per_unit /= np.maximum(need_cost, 1.0)
    # Split money stops at the programme's maximum per need; a whole offer covers the whole cost.
    limit = np.where(divisible, data.p_max_per_need, np.inf)
    pair_cap = np.minimum(limit[pairs.programmes], need_cost, out=need_cost).round()
    countries, country_of_need = np.unique(data.n_country.astype(str), return_inverse=True)
    total = float(budget.sum())
    ldc_country = np.isin(countries, sorted({need.country for need in data.needs if "LDC" in need.groups}))
    floor = (rules.ldc_floor_share or 0.0) * total
    return _Problem(
        data,
        pairs,
        per_unit,
        pair_cap,
        budget,
        cost,
        country_of_need.astype(np.int64),
        np.full(len(countries), np.floor(rules.country_cap_share * total)),
        ldc_country,
        floor,
        divisible,
        total,
        currency,
    )


def _only_currency(data: MatchingData) -> str:
    found = sorted({p.currency for p in data.programmes})
    if len(found) > 1:
        raise ValueError(f"programmes in {', '.join(found)}: say which currency the round is in")
    return found[0] if found else ""


@dataclass
class _Flow:
    """An optimal flow: the amount on every pair, and (when asked for) the prices that prove it optimal.

    A need's price is what one more currency unit of its room would add to the round; a country's, one
    more unit under its cap (the dual values of those limits, in objective units per currency unit).
    A flow is seldom proven optimal by one set of prices only: each array has a row per set (see
    ``_Network.solve``).
    """

    amounts: np.ndarray
    need_price: np.ndarray | None = None
    country_price: np.ndarray | None = None

    @classmethod
    def empty(cls, problem: _Problem, with_prices: bool) -> _Flow:
        if not with_prices:
            return cls(np.zeros(len(problem.pairs.needs)))
        return cls(
            np.zeros(len(problem.pairs.needs)),
            np.zeros((PRICE_SETS, len(problem.need_cap))),
            np.zeros((PRICE_SETS, len(problem.country_cap))),
        )

    def take(self, pair_indices: np.ndarray, solved: _SolvedNetwork) -> None:
        """Add one network's answer. A country's price may come from several pieces (each was solved
        with the country's whole cap): the highest is kept; any prices give a valid bound."""
        self.amounts[pair_indices] = solved.flows
        if self.need_price is None or self.country_price is None or solved.prices is None:
            self.need_price = self.country_price = None  # one network without prices: none at all
            return
        need_price, country_price = solved.prices
        self.need_price[:, solved.needs] = need_price
        self.country_price[:, solved.countries] = np.maximum(
            self.country_price[:, solved.countries], country_price
        )


def _solve_flow(
    problem: _Problem,
    keep: np.ndarray,
    budget: np.ndarray,
    need_cap: np.ndarray,
    country_cap: np.ndarray,
    floor: float,
    with_prices: bool = False,
) -> _Flow:
    """Optimal integer flow on the kept pairs; the amount on every pair is 0 where not kept.

    Eligibility usually splits a round into independent pieces (thematic areas rarely share a
    programme), and several small flows solve much faster than one large one. Only the country caps
    and the LDC floor join the pieces, so the pieces are first solved with each country's whole cap and
    no floor: a relaxation of the round. When the joined answer keeps every cap and the floor, it is
    optimal for the whole round; otherwise the round is solved again as one network.
    """
    pairs = problem.pairs
    kept = np.flatnonzero(
        keep & (problem.pair_cap > 0) & (budget[pairs.programmes] > 0) & (need_cap[pairs.needs] > 0)
    )
    # Costs are scaled to the best value per unit; when every pair is worth nothing any scale will do.
    best = float(problem.per_unit[kept].max()) if len(kept) else 0.0
    unit_costs = -np.round(problem.per_unit / (best if best > 0 else 1.0) * COST_SCALE).astype(np.int64)
    # best / COST_SCALE: what one integer cost unit is worth in the objective (for the prices).
    network = _Network(problem, unit_costs, budget, need_cap, country_cap, with_prices, best / COST_SCALE)
    pieces = _pieces(problem, kept)
    if len(pieces) > 1:
        joined = _Flow.empty(problem, with_prices)
        for piece, solved in zip(pieces, _solve_pieces(network, pieces), strict=True):
            joined.take(piece, solved)
        if _keeps_caps_and_floor(problem, joined.amounts, country_cap, floor):
            return joined
    whole = _Flow.empty(problem, with_prices)
    whole.take(kept, network.solve(kept, floor=floor))
    return whole


# Set just before worker processes are forked, so that they inherit the network instead of receiving it.
_FORKED_WORK: tuple[_Network, list[np.ndarray]] | None = None


def _solve_pieces(network: _Network, pieces: list[np.ndarray]) -> list[_SolvedNetwork]:
    """The flows of every piece: on all cores when the round is large and forking is safe.

    The flow solver holds the interpreter lock, so threads would not help; forked processes inherit the
    arrays without copying them. Forking is only done when this process runs a single Python thread (the
    command line, the benchmark); in the web server the pieces are solved one after the other. (Idle
    native worker threads, such as HiGHS's after a repair, hold no lock the children need: they only
    run the flow solver and numpy.)
    """
    workers = min(len(pieces), _usable_cpus())
    large = sum(len(piece) for piece in pieces) >= PARALLEL_PAIRS
    if workers < 2 or not large or threading.active_count() > 1 or "fork" not in mp.get_all_start_methods():
        return [network.solve(piece, floor=0.0) for piece in pieces]
    global _FORKED_WORK
    _FORKED_WORK = (network, pieces)
    try:
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
            # Largest pieces first, so that no worker is left with a big one at the end.
            order = sorted(range(len(pieces)), key=lambda k: -len(pieces[k]))
            solved = dict(zip(order, pool.map(_solve_forked_piece, order), strict=True))
    finally:
        _FORKED_WORK = None
    return [solved[k] for k in range(len(pieces))]


def _usable_cpus() -> int:
    """CPUs this process may run on (its affinity, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _solve_forked_piece(position: int) -> _SolvedNetwork:
    assert _FORKED_WORK is not None
    network, pieces = _FORKED_WORK
    return network.solve(pieces[position], floor=0.0)


def _pieces(problem: _Problem, kept: np.ndarray) -> list[np.ndarray]:
    """The kept pairs grouped by connected piece of the programme-need graph."""
    if len(kept) == 0:
        return []
    n_programmes = len(problem.budget)
    size = n_programmes + len(problem.need_cap)
    tails = problem.pairs.programmes[kept]
    sorted_kept = kept
    # Pairs come grouped by programme (eligible_pairs builds them so); sort only when they do not.
    if not bool((tails[1:] >= tails[:-1]).all()):
        by_programme = np.argsort(tails, kind="stable")
        sorted_kept, tails = kept[by_programme], tails[by_programme]
    starts = np.searchsorted(tails, np.arange(n_programmes + 1))
    row_starts = np.concatenate([starts, np.full(size - n_programmes, len(kept))]).astype(np.int32)
    heads = (n_programmes + problem.pairs.needs[sorted_kept]).astype(np.int32)
    edges = csr_matrix((np.ones(len(kept), dtype=np.int8), heads, row_starts), shape=(size, size))
    _count, labels = connected_components(edges, directed=False)
    # Each programme's block of pairs goes whole to its piece: order the programmes, not the pairs.
    programmes = np.flatnonzero(starts[1:] > starts[:-1])
    programmes = programmes[np.argsort(labels[programmes], kind="stable")]
    pieces = []
    for _label, members in itertools.groupby(programmes.tolist(), key=lambda j: int(labels[j])):
        blocks = [sorted_kept[starts[j] : starts[j + 1]] for j in members]
        pieces.append(np.concatenate(blocks))
    return pieces


def _keeps_caps_and_floor(
    problem: _Problem, amounts: np.ndarray, country_cap: np.ndarray, floor: float
) -> bool:
    pairs = problem.pairs
    used = np.bincount(problem.country_of_need[pairs.needs], weights=amounts, minlength=len(country_cap))
    return bool((used <= country_cap + 0.5).all() and used[problem.ldc_country].sum() >= np.ceil(floor) - 0.5)


def _keeps_every_rule(problem: _Problem, amounts: np.ndarray) -> bool:
    """Budgets, needs' costs, pairs' limits, country caps and the LDC floor, in whole currency units."""
    pairs = problem.pairs
    spent = np.bincount(pairs.programmes, weights=amounts, minlength=len(problem.budget))
    received = np.bincount(pairs.needs, weights=amounts, minlength=len(problem.need_cap))
    return bool(
        (amounts <= problem.pair_cap + 0.5).all()
        and (spent <= problem.budget + 0.5).all()
        and (received <= problem.need_cap + 0.5).all()
        and _keeps_caps_and_floor(problem, amounts, problem.country_cap, problem.ldc_floor)
    )


def _programme_blocks(programmes: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions sorted by programme, and where each programme's block starts (``count`` + 1 entries)."""
    order = np.argsort(programmes, kind="stable")
    return order, np.searchsorted(programmes[order], np.arange(count + 1))


def _local(values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values (sorted) and each value's position among them; linear time for small ranges."""
    present = np.zeros(size, dtype=bool)
    present[values] = True
    distinct = np.flatnonzero(present)
    position = np.cumsum(present) - 1
    return distinct, position[values]


@dataclass
class _SolvedNetwork:
    """One network's optimal flow on its pairs, and the prices of its needs and countries (if asked)."""

    flows: np.ndarray
    needs: np.ndarray  # the round's indices of the network's needs
    countries: np.ndarray
    prices: tuple[np.ndarray, np.ndarray] | None  # per price set and need, per set and country (see _Flow)


@dataclass
class _Network:
    """The flow network of a set of pairs: source → programmes → needs → countries → sink."""

    problem: _Problem
    unit_costs: np.ndarray
    budget: np.ndarray
    need_cap: np.ndarray
    country_cap: np.ndarray
    with_prices: bool = False
    value_of_cost_unit: float = 0.0

    def solve(self, pair_indices: np.ndarray, floor: float) -> _SolvedNetwork:
        problem, pairs = self.problem, self.problem.pairs
        programmes, programme_of_pair = _local(pairs.programmes[pair_indices], len(self.budget))
        needs, need_of_pair = _local(pairs.needs[pair_indices], len(self.need_cap))
        countries, country_of_need = _local(problem.country_of_need[needs], len(self.country_cap))
        n_programmes, n_needs, n_countries = len(programmes), len(needs), len(countries)
        source, sink, ldc_node = 0, 1, 2
        first_programme = 3
        first_need = first_programme + n_programmes
        first_country = first_need + n_needs
        budget = self.budget[programmes].astype(np.int64)
        total = int(budget.sum())
        floor_units = int(np.ceil(floor))
        tails = np.concatenate(
            [
                np.full(n_programmes, source),
                first_programme + programme_of_pair,
                first_need + np.arange(n_needs),
                first_country + np.arange(n_countries),
                [ldc_node, source],
            ]
        )
        heads = np.concatenate(
            [
                first_programme + np.arange(n_programmes),
                first_need + need_of_pair,
                first_country + country_of_need,
                # Without a floor the LDC node is left out: one layer fewer for the solver.
                np.where(problem.ldc_country[countries] & (floor_units > 0), ldc_node, sink),
                [sink, sink],
            ]
        )
        capacities = np.concatenate(
            [
                budget,
                problem.pair_cap[pair_indices],
                self.need_cap[needs],
                self.country_cap[countries],
                [max(total - floor_units, 0), total],
            ]
        ).astype(np.int64)
        costs = np.concatenate(
            [
                np.zeros(n_programmes, np.int64),
                self.unit_costs[pair_indices],
                np.zeros(n_needs + n_countries + 2, np.int64),
            ]
        )
        solver = min_cost_flow.SimpleMinCostFlow()
        arcs = solver.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
        supplies = np.zeros(first_country + n_countries, np.int64)
        # A floor is a lower bound on the LDC arc: those units are taken as already sent.
        supplies[source], supplies[sink], supplies[ldc_node] = total, -(total - floor_units), -floor_units
        solver.set_nodes_supplies(np.arange(len(supplies)), supplies)
        if solver.solve() != solver.OPTIMAL:
            raise AllocationInfeasible("the rules cannot all be met (check the LDC floor)")
        all_flows = solver.flows(arcs)
        flows = all_flows[n_programmes : n_programmes + len(pair_indices)].astype(np.float64)
        if not self.with_prices:
            return _SolvedNetwork(flows, needs, countries, None)
        # Two sets of prices that both prove the flow optimal, at the two ends of what the flow allows:
        # distances from every node, and (the network reversed) to every node. The knapsack bound
        # differs between them (see _best_whole_offer_bound).
        from_nodes = _potentials(tails, heads, capacities, costs, all_flows, len(supplies))
        if from_nodes is None:
            return _SolvedNetwork(flows, needs, countries, None)
        to_nodes = _potentials(heads, tails, capacities, costs, all_flows, len(supplies))
        # Should the distances to every node not settle, the first set serves as both.
        potentials = np.stack([from_nodes, from_nodes if to_nodes is None else -to_nodes])
        # The dual value of an arc's capacity is how far its reduced cost is below zero.
        reduced = costs + potentials[:, tails] - potentials[:, heads]
        duals = np.maximum(0, -reduced) * self.value_of_cost_unit
        first_need_arc = n_programmes + len(pair_indices)
        need_price = duals[:, first_need_arc : first_need_arc + n_needs]
        country_price = duals[:, first_need_arc + n_needs : first_need_arc + n_needs + n_countries]
        return _SolvedNetwork(flows, needs, countries, (need_price, country_price))


PRICE_SETS = 2  # prices from distances from every node and to every node (see _Network.solve)
MAX_POTENTIAL_PASSES = 2_000  # beyond this, a round's bound stays the relaxation's (no prices)


def _potentials(
    tails: np.ndarray,
    heads: np.ndarray,
    capacities: np.ndarray,
    costs: np.ndarray,
    flows: np.ndarray,
    nodes: int,
) -> np.ndarray | None:
    """Node potentials that prove a flow optimal: shortest distances in its residual network (from a
    start joined to every node at no cost). Given the arcs reversed (``tails`` and ``heads`` swapped),
    the distances to every node instead: negated, they prove it too.

    Bellman-Ford passes over all residual arcs at once (costs are integers, so the distances settle
    exactly; an optimal flow leaves no negative cycle). On the mission's data it settles in tens of passes.
    """
    forward, backward = flows < capacities, flows > 0
    ends = np.concatenate([heads[forward], tails[backward]])
    distance = np.zeros(nodes, np.int64)
    if len(ends) == 0:
        return distance
    by_end = np.argsort(ends, kind="stable")
    origins = np.concatenate([tails[forward], heads[backward]])[by_end]
    lengths = np.concatenate([costs[forward], -costs[backward]])[by_end]
    targets, starts = np.unique(ends[by_end], return_index=True)
    for _pass in range(MAX_POTENTIAL_PASSES):
        shortest_in = np.minimum.reduceat(distance[origins] + lengths, starts)
        shorter = shortest_in < distance[targets]
        if not shorter.any():
            return distance
        distance[targets[shorter]] = shortest_in[shorter]
    return None


def _objective(problem: _Problem, amounts: np.ndarray) -> float:
    return float((problem.per_unit * amounts).sum())


def _rounding_slack(problem: _Problem, amounts: np.ndarray) -> float:
    """How much integer rounding of the costs could hide: added to the bound so that it stays a bound."""
    best = float(problem.per_unit.max()) if len(problem.per_unit) else 0.0
    return 0.5 * best / COST_SCALE * float(amounts.sum() or problem.total_budget)


# How a round in several currencies names its method: the least exact of its currencies' first.
_METHODS_LEAST_EXACT_FIRST = (FLOW_THEN_MIP, WHOLE_MIP, FLOW_EXACT)


def allocate(data: MatchingData, pairs: PairSet, rules: RoundRules = RoundRules()) -> Allocation:
    """The optimal allocation of a round (exact for split money; proven gap for all-or-nothing offers).

    Each currency of the round's programmes is allocated apart, its country cap and LDC floor shares of
    its own budget: a pair is always in one currency (a need costed in another is never funded), and
    adding 80 million EUR to a round of 100 million USD loosened every country's cap by 80%.
    """
    started = time.perf_counter()
    parts = []
    for currency, pairs_in_currency in _pairs_by_currency(data, pairs):
        time_left = max(1.0, rules.mip_time_limit - (time.perf_counter() - started))
        part_rules = replace(rules, mip_time_limit=min(rules.mip_time_limit, time_left))
        try:
            parts.append(_allocate_in_currency(data, pairs_in_currency, part_rules, currency))
        except AllocationInfeasible as infeasible:
            raise AllocationInfeasible(str(infeasible), currency=currency or None) from infeasible
    if len(parts) == 1:
        return parts[0]
    awards = sorted((award for part in parts for award in part.awards), key=lambda a: (a.programme, a.need))
    methods = {part.method for part in parts}
    return Allocation(
        awards,
        sum(part.objective for part in parts),
        sum(part.upper_bound for part in parts),
        sum(part.greedy_objective for part in parts),
        next((method for method in _METHODS_LEAST_EXACT_FIRST if method in methods), FLOW_EXACT),
        [constraint for part in parts for constraint in part.binding],
        sum(part.seconds for part in parts),
        sum(part.pairs for part in parts),
        {currency: totals for part in parts for currency, totals in part.currencies.items()},
    )


def _pairs_by_currency(data: MatchingData, pairs: PairSet) -> list[tuple[str, PairSet]]:
    """The pairs of each currency of the round's programmes (a currency whose programmes reach no need
    still has its budget on the round's page); a round in one currency keeps its pairs as they are."""
    currencies = sorted({p.currency for p in data.programmes})
    if len(currencies) <= 1:
        return [(currencies[0] if currencies else "", pairs)]
    pair_currency = data.p_currency[pairs.programmes]
    found = []
    for currency in currencies:
        keep = pair_currency == data.currencies.index(currency)
        found.append((currency, PairSet(pairs.needs[keep], pairs.programmes[keep], pairs.fit[keep])))
    return found


def _allocate_in_currency(data: MatchingData, pairs: PairSet, rules: RoundRules, currency: str) -> Allocation:
    """The round of one currency's programmes and pairs."""
    started = time.perf_counter()
    problem = build_problem(data, pairs, rules, currency)
    # Prices tighten the bound of large rounds with all-or-nothing offers, and serve nothing else.
    relaxation = _relaxation(
        problem, with_prices=len(pairs.needs) > DIRECT_MIP_PAIRS and not problem.divisible.all()
    )
    relaxed = relaxation.amounts
    upper = _objective(problem, relaxed) + _rounding_slack(problem, relaxed)
    indivisible = ~problem.divisible[pairs.programmes]
    fractional = indivisible & (relaxed > 0) & (relaxed < problem.pair_cap)
    if not fractional.any():
        amounts, method = relaxed, FLOW_EXACT
    elif len(pairs.needs) <= DIRECT_MIP_PAIRS:
        amounts, bound = _solve_full_mip(problem, rules)
        upper = min(upper, bound)
        method = WHOLE_MIP
        if not _keeps_every_rule(problem, amounts):
            # Within the solver's tolerances an award may pass a limit by a few units: the large rounds'
            # way settles the round without that (each step keeps every rule by construction).
            amounts, method = _settle_indivisible(problem, relaxed, fractional, rules, upper), FLOW_THEN_MIP
    else:
        if relaxation.need_price is not None and relaxation.country_price is not None:
            upper = min(
                upper, _best_whole_offer_bound(problem, relaxation.need_price, relaxation.country_price)
            )
        amounts = _settle_indivisible(problem, relaxed, fractional, rules, upper)
        if _objective(problem, amounts) < (1 - rules.mip_gap) * upper:
            refine_for = min(rules.refine_seconds, rules.mip_time_limit - (time.perf_counter() - started))
            amounts = _refined(problem, amounts, relaxation, rules, refine_for)
        method = FLOW_THEN_MIP
    seconds = time.perf_counter() - started
    greedy = greedy_allocation(problem)
    awards = [
        Award(
            int(pairs.needs[k]),
            int(pairs.programmes[k]),
            float(amounts[k]),
            float(problem.per_unit[k] * amounts[k]),
        )
        for k in np.flatnonzero(amounts > 0)
    ]
    return Allocation(
        awards,
        _objective(problem, amounts),
        max(upper, _objective(problem, amounts)),
        _objective(problem, greedy),
        method,
        _binding(problem, amounts),
        seconds,
        len(pairs.needs),
        {currency: _totals(problem, amounts, rules)} if currency else {},
    )


def _totals(problem: _Problem, amounts: np.ndarray, rules: RoundRules) -> CurrencyTotals:
    return CurrencyTotals(
        problem.total_budget,
        float(amounts.sum()),
        float(np.floor(rules.country_cap_share * problem.total_budget)),
        float(problem.ldc_floor),
    )


def _relaxation(problem: _Problem, *, with_prices: bool) -> _Flow:
    """The round with all-or-nothing offers taken as split money: its optimum bounds the round's."""
    everything = np.ones(len(problem.pairs.needs), dtype=bool)
    return _solve_flow(
        problem,
        everything,
        problem.budget,
        problem.need_cap,
        problem.country_cap,
        problem.ldc_floor,
        with_prices,
    )


def _settle_indivisible(
    problem: _Problem, relaxed: np.ndarray, fractional: np.ndarray, rules: RoundRules, upper: float
) -> np.ndarray:
    pairs = problem.pairs
    indivisible = ~problem.divisible[pairs.programmes]
    whole = indivisible & (relaxed >= problem.pair_cap) & (relaxed > 0)
    amounts = np.where(whole, relaxed, 0.0)
    budget, country_cap, floor = _residual(problem, amounts)
    settled_needs = set(pairs.needs[whole].tolist())
    open_needs = set(pairs.needs[fractional].tolist()) - settled_needs
    candidates = np.flatnonzero(
        indivisible & np.isin(pairs.needs, list(open_needs)) & (problem.pair_cap <= budget[pairs.programmes])
    )
    # The repair may stop once it is within half the round's gap tolerance of its own best: proving the
    # last hundredths of a percent of a sub-problem took most of a round's time at the mission's scale.
    chosen = _solve_mip(problem, candidates, budget, country_cap, rules, enough=0.5 * rules.mip_gap * upper)
    amounts[chosen] = problem.pair_cap[chosen]
    return _repacked_if_better(problem, _with_split_money(problem, amounts))


def _repacked_if_better(problem: _Problem, settled: np.ndarray) -> np.ndarray:
    repacked = _repacked(problem, settled)
    if repacked is not None and _objective(problem, repacked) > _objective(problem, settled):
        return repacked
    return settled


def _with_split_money(problem: _Problem, whole_awards: np.ndarray) -> np.ndarray:
    """The whole awards with the split money optimised around them (those needs are fully funded)."""
    pairs = problem.pairs
    budget, country_cap, floor = _residual(problem, whole_awards)
    funded = np.zeros(len(problem.need_cap), dtype=bool)
    funded[pairs.needs[whole_awards > 0]] = True
    keep = problem.divisible[pairs.programmes] & ~funded[pairs.needs]
    need_cap = np.where(funded, 0.0, problem.need_cap)
    divisible_budget = np.where(problem.divisible, problem.budget, 0.0)
    split = _solve_flow(problem, keep, divisible_budget, need_cap, country_cap, floor).amounts
    settled: np.ndarray = whole_awards + split
    return settled


REPACK_CANDIDATES = (
    256  # unfunded needs an offer considers when it chooses again (its best by value per unit)
)


def _repacked(problem: _Problem, settled: np.ndarray) -> np.ndarray | None:
    """A local improvement of a settled round: each all-or-nothing offer in turn chooses again among the
    needs it funds and the needs nobody funds (its best REPACK_CANDIDATES of them), the set worth most
    within its budget (the repair left budgets with room a different set would use). A new choice is kept
    when it is worth more and leaves every country within its cap. None when the split money can then no
    longer meet the LDC floor or a cap; the caller keeps the better of the two.
    """
    pairs = problem.pairs
    whole = np.where(problem.divisible[pairs.programmes], 0.0, settled)
    value = problem.per_unit * problem.pair_cap
    funded = np.bincount(pairs.needs, weights=settled, minlength=len(problem.need_cap)) > 0
    country_of_pair = problem.country_of_need[pairs.needs]
    room = problem.country_cap - np.bincount(
        country_of_pair, weights=settled, minlength=len(problem.country_cap)
    )
    order, starts = _programme_blocks(pairs.programmes, len(problem.budget))
    for programme in np.flatnonzero(~problem.divisible & (problem.budget > 0)):
        block = order[starts[programme] : starts[programme + 1]]
        own = block[whole[block] > 0]
        free = block[
            ~funded[pairs.needs[block]]
            & (problem.pair_cap[block] > 0)
            & (problem.pair_cap[block] <= np.minimum(problem.budget[programme], room[country_of_pair[block]]))
        ]
        if len(free) == 0:
            continue
        free = free[np.argsort(-problem.per_unit[free], kind="stable")[:REPACK_CANDIDATES]]
        items = np.concatenate([own, free])
        _best, picked = _knapsack(
            value[items], problem.pair_cap[items], problem.budget[programme], for_award=True
        )
        chosen = items[picked]
        change = np.bincount(
            country_of_pair[chosen], weights=problem.pair_cap[chosen], minlength=len(room)
        ) - np.bincount(country_of_pair[own], weights=problem.pair_cap[own], minlength=len(room))
        if value[chosen].sum() > value[own].sum() * (1 + 1e-12) and (change <= room + 0.5).all():
            whole[own], funded[pairs.needs[own]] = 0.0, False
            whole[chosen], funded[pairs.needs[chosen]] = problem.pair_cap[chosen], True
            room -= change
    try:
        repacked = _with_split_money(problem, whole)
    except AllocationInfeasible:
        return None
    return repacked if _keeps_every_rule(problem, repacked) else None


REFINE_PAIRS_PER_PROGRAMME = 25  # the refinement's choice: each programme's best pairs at the prices
MIN_REFINE_SECONDS = 0.5  # below this the refinement's programme would not get past its first steps


def _refined(
    problem: _Problem, settled: np.ndarray, relaxation: _Flow, rules: RoundRules, seconds: float
) -> np.ndarray:
    """A better round than ``settled``, when ``seconds`` find one: the whole round as one mixed-integer
    programme (split money and whole offers together) over each programme's REFINE_PAIRS_PER_PROGRAMME
    pairs worth most at the relaxation's prices and the pairs the relaxation or ``settled`` funds, started
    from ``settled``; then the split money is optimised again over all pairs around its whole awards.

    The repair settles only the needs the relaxation left in part; the awards it kept whole leave offers
    with budget they cannot use, and other offers without the needs they would fund best. Choosing all the
    whole awards again, among fewer pairs, closed 40 % of the proven gap on the mission's scale data
    (0.574 % to 0.35 % in 4 s more). The search stops at its time, not at a proof: the same large round
    on a busier machine may end with another allocation of nearly the same worth (each round stores its
    own proven gap); small rounds finish their search and come out the same every time.
    """
    if seconds < MIN_REFINE_SECONDS:
        return settled
    pairs = problem.pairs
    value = problem.per_unit
    if relaxation.need_price is not None and relaxation.country_price is not None:
        value = _gain(problem, relaxation.need_price.mean(axis=0), relaxation.country_price.mean(axis=0))
    by_value = np.lexsort((-value, pairs.programmes))  # each programme's pairs, the most worth first
    _order, starts = _programme_blocks(pairs.programmes, len(problem.budget))
    rank = np.empty(len(by_value), dtype=np.int64)
    rank[by_value] = np.arange(len(by_value)) - starts[pairs.programmes[by_value]]
    kept = np.flatnonzero(
        (_may_be_awarded(problem) & (rank < REFINE_PAIRS_PER_PROGRAMME))
        | (relaxation.amounts > 0)
        | (settled > 0)
    )
    smaller = build_problem(
        problem.data,
        PairSet(pairs.needs[kept], pairs.programmes[kept], pairs.fit[kept]),
        rules,
        problem.currency,
    )
    start = settled[kept] / np.maximum(smaller.pair_cap, 1.0)
    try:
        chosen, _bound = _solve_full_mip(smaller, replace(rules, mip_time_limit=seconds), start)
        whole_awards = np.zeros(len(pairs.needs))
        whole_awards[kept] = np.where(problem.divisible[pairs.programmes[kept]], 0.0, chosen)
        refined = _with_split_money(problem, whole_awards)
    except AllocationInfeasible:
        return settled
    best = _repacked_if_better(problem, refined)
    if _keeps_every_rule(problem, best) and _objective(problem, best) > _objective(problem, settled):
        return best
    return settled


KNAPSACK_STEPS = 4_096  # budget steps of the whole-offer knapsack; finer budgets are read on a grid
# Where the whole-offer bound is read between the relaxation's two price sets (0: the first, 1: the second).
PRICE_MIXES = (0.0, 0.5, 1.0)


def _best_whole_offer_bound(problem: _Problem, need_prices: np.ndarray, country_prices: np.ndarray) -> float:
    """The lowest whole-offer bound over mixes of the relaxation's two price sets (rows of the arrays).

    The bound holds at any prices, so the lowest read is still a bound; it changes with the prices as a
    convex function, so a few reads between the two sets come close to its lowest there. Which mix is
    lowest depends on the round: on the mission's scale data the first set gave a gap of 0.64 %, the
    second 0.60 % and halfway 0.58 % (finer reads between them: none lower than 0.578 %).
    """
    first, second = (need_prices[0], country_prices[0]), (need_prices[-1], country_prices[-1])
    return min(
        _whole_offer_bound(
            problem, (1 - mix) * first[0] + mix * second[0], (1 - mix) * first[1] + mix * second[1]
        )
        for mix in PRICE_MIXES
    )


def _whole_offer_bound(problem: _Problem, need_price: np.ndarray, country_price: np.ndarray) -> float:
    """An upper bound on the round, tighter than the relaxation where all-or-nothing offers cannot use
    their whole budget.

    Charging each need's and each country's price for the money they receive, instead of limiting it,
    splits the round into one problem per programme: the most it can buy at the values less those
    prices. The charges plus those programmes' bests bound the round for any prices (weak duality). With
    the relaxation's prices, and split money, it is close to the relaxation's bound; an all-or-nothing
    offer may only take needs whole (a 0-1 knapsack), which is what tightens it. (The LDC floor is left
    out: a bound without it is still a bound; the caller keeps the lower of this and the relaxation's.)
    """
    pairs = problem.pairs
    gain = _gain(problem, need_price, country_price)
    usable = (gain > 0) & _may_be_awarded(problem)
    order, starts = _programme_blocks(pairs.programmes, len(problem.budget))
    total = float(need_price @ problem.need_cap + country_price @ problem.country_cap)
    for programme in range(len(problem.budget)):
        block = order[starts[programme] : starts[programme + 1]]
        block = block[usable[block]]
        if len(block) == 0:
            continue
        capacity = float(problem.budget[programme])
        best = _fractional_knapsack(gain[block], problem.pair_cap[block], capacity)
        if not problem.divisible[programme] and problem.pair_cap[block].sum() > capacity:
            best = min(
                best,
                _knapsack(
                    gain[block] * problem.pair_cap[block], problem.pair_cap[block], capacity, for_award=False
                )[0],
            )
        total += best
    return total


def _gain(problem: _Problem, need_price: np.ndarray, country_price: np.ndarray) -> np.ndarray:
    """Each pair's value of a currency unit less its need's and its country's price."""
    pairs = problem.pairs
    gain: np.ndarray = (
        problem.per_unit - need_price[pairs.needs] - country_price[problem.country_of_need[pairs.needs]]
    )
    return gain


def _may_be_awarded(problem: _Problem) -> np.ndarray:
    """The pairs that can carry money: some room, and an all-or-nothing offer no larger than its budget."""
    pairs = problem.pairs
    whole = ~problem.divisible[pairs.programmes]
    awardable: np.ndarray = (problem.pair_cap > 0) & ~(
        whole & (problem.pair_cap > problem.budget[pairs.programmes])
    )
    return awardable


def _fractional_knapsack(gain_per_unit: np.ndarray, sizes: np.ndarray, capacity: float) -> float:
    """The most a budget buys when any share of an item may be bought: best value per unit first."""
    order = np.argsort(-gain_per_unit, kind="stable")
    before = np.concatenate([[0.0], np.cumsum(sizes[order])[:-1]])
    bought = np.clip(capacity - before, 0.0, sizes[order])
    return float(gain_per_unit[order] @ bought)


def _knapsack(
    values: np.ndarray, sizes: np.ndarray, capacity: float, *, for_award: bool
) -> tuple[float, np.ndarray]:
    """The most a budget buys in whole items, and (``for_award``) which items.

    Dynamic programming over the budget in steps of the sizes' common divisor. When that gives more
    than KNAPSACK_STEPS steps (real costs rarely share a large divisor), the step is coarser and sizes
    are rounded to it: down for a bound (every set that fitted still fits, so the best stays an upper
    bound), up when the items are to be awarded (every set chosen fits the real budget, though a set
    that fitted only just may be missed). Exact when no rounding was needed.
    """
    whole_sizes = np.round(sizes).astype(np.int64)
    budget = int(capacity)
    step = int(np.gcd.reduce(np.append(whole_sizes, budget))) or 1
    if budget // step > KNAPSACK_STEPS:
        step = -(-budget // KNAPSACK_STEPS)
    steps = budget // step
    in_steps = -(-whole_sizes // step) if for_award else whole_sizes // step
    best = np.zeros(steps + 1)  # best[c]: the most bought within c steps
    took = np.zeros((len(values), steps + 1), dtype=bool) if for_award else None
    for item, (size, value) in enumerate(zip(in_steps.tolist(), values.tolist(), strict=True)):
        if size > steps:
            continue
        with_it = best[: steps + 1 - size] + value
        better = with_it > best[size:]
        if took is not None:
            took[item, size:] = better
        best[size:] = np.where(better, with_it, best[size:])
    picked = np.zeros(len(values), dtype=bool)
    if took is not None:
        room = steps
        for item in range(len(values) - 1, -1, -1):
            if took[item, room]:
                picked[item], room = True, room - int(in_steps[item])
    return float(best[-1]), picked


def _residual(problem: _Problem, amounts: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    pairs = problem.pairs
    used_budget = np.bincount(pairs.programmes, weights=amounts, minlength=len(problem.budget))
    used_country = np.bincount(
        problem.country_of_need[pairs.needs], weights=amounts, minlength=len(problem.country_cap)
    )
    used_ldc = float(used_country[problem.ldc_country].sum())
    return (
        np.maximum(problem.budget - used_budget, 0),
        np.maximum(problem.country_cap - used_country, 0),
        max(problem.ldc_floor - used_ldc, 0.0),
    )


@contextmanager
def _quiet_stdout() -> Iterator[None]:
    """HiGHS prints a banner when created, before options apply: hide it at the descriptor level."""
    sys.stdout.flush()
    saved = os.dup(1)
    with open(os.devnull, "wb") as devnull:
        os.dup2(devnull.fileno(), 1)
        try:
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)


def _new_highs() -> highspy.Highs:
    with _quiet_stdout():
        solver = highspy.Highs()  # type: ignore[no-untyped-call]
    solver.setOptionValue("output_flag", False)
    return solver


def _solve_mip(
    problem: _Problem,
    candidates: np.ndarray,
    budget: np.ndarray,
    country_cap: np.ndarray,
    rules: RoundRules,
    enough: float,
) -> np.ndarray:
    """Choose whole awards among candidate pairs: at most one per need, within budgets and country caps.
    ``enough``: the value short of the best possible at which the search may stop."""
    if len(candidates) == 0:
        return candidates
    pairs = problem.pairs
    needs, need_rows = np.unique(pairs.needs[candidates], return_inverse=True)
    programmes, programme_rows = np.unique(pairs.programmes[candidates], return_inverse=True)
    countries, country_rows = np.unique(problem.country_of_need[pairs.needs[candidates]], return_inverse=True)
    n_rows = len(needs) + len(programmes) + len(countries)
    size = problem.pair_cap[candidates]
    rows = np.stack(
        [need_rows, len(needs) + programme_rows, len(needs) + len(programmes) + country_rows], axis=1
    )
    values = np.stack([np.ones(len(candidates)), size, size], axis=1)
    model = highspy.HighsLp()
    model.num_col_, model.num_row_ = len(candidates), n_rows
    model.col_cost_ = -(problem.per_unit[candidates] * size)
    model.col_lower_, model.col_upper_ = np.zeros(len(candidates)), np.ones(len(candidates))
    model.row_lower_ = np.full(n_rows, -highspy.kHighsInf)
    model.row_upper_ = np.concatenate([np.ones(len(needs)), budget[programmes], country_cap[countries]])
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.start_ = np.arange(0, 3 * len(candidates) + 1, 3, dtype=np.int32)
    model.a_matrix_.index_ = rows.ravel().astype(np.int32)
    model.a_matrix_.value_ = values.ravel()
    model.integrality_ = [highspy.HighsVarType.kInteger] * len(candidates)
    solver = _new_highs()
    solver.setOptionValue("time_limit", rules.mip_time_limit)
    solver.setOptionValue("mip_rel_gap", rules.mip_gap)
    solver.setOptionValue("mip_abs_gap", enough)
    solver.passModel(model)
    solver.run()
    solution = (
        np.array(solver.getSolution().col_value[: len(candidates)])
        if solver.getInfo().primal_solution_status
        else np.zeros(len(candidates))
    )
    return candidates[solution > 0.5]


def _solve_full_mip(
    problem: _Problem, rules: RoundRules, start: np.ndarray | None = None
) -> tuple[np.ndarray, float]:
    """The whole round as one mixed-integer programme: split money continuous, whole offers binary.

    Returns the amounts and HiGHS's proven upper bound on the optimum. ``start``: a known allocation (each
    pair's share of its most) the search begins from.

    Every column is the share of its pair's most (0 to 1), so that each is worth the pair's whole value:
    with columns in currency units a unit is worth about a millionth, below the solver's tolerances, and a
    round in millions was stopped far from its optimum and reported as optimal. Rows stay in currency
    units; what the solver's tolerances still let through is caught by the caller (_keeps_every_rule).
    """
    pairs = problem.pairs
    count = len(pairs.needs)
    needs, need_rows = np.unique(pairs.needs, return_inverse=True)
    programmes, programme_rows = np.unique(pairs.programmes, return_inverse=True)
    countries, country_rows = np.unique(problem.country_of_need[pairs.needs], return_inverse=True)
    whole = ~problem.divisible[pairs.programmes]
    size = problem.pair_cap
    ldc = problem.ldc_country[countries][country_rows]
    floor_row = len(needs) + len(programmes) + len(countries)
    # Each column: its need, its programme, its country, and the LDC floor's row when its country is one.
    rows = np.stack(
        [
            need_rows,
            len(needs) + programme_rows,
            len(needs) + len(programmes) + country_rows,
            floor_row + 0 * need_rows,
        ],
        axis=1,
    )
    present = np.ones_like(rows, dtype=bool)
    present[:, 3] = ldc
    model = highspy.HighsLp()
    model.num_col_, model.num_row_ = count, floor_row + 1
    model.col_cost_ = -(problem.per_unit * problem.pair_cap)
    model.col_lower_, model.col_upper_ = np.zeros(count), np.ones(count)
    model.row_lower_ = np.concatenate([np.full(floor_row, -highspy.kHighsInf), [problem.ldc_floor]])
    model.row_upper_ = np.concatenate(
        [problem.need_cap[needs], problem.budget[programmes], problem.country_cap[countries], [np.inf]]
    )
    model.row_upper_[-1] = highspy.kHighsInf
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.start_ = np.concatenate([[0], np.cumsum(present.sum(axis=1))]).astype(np.int32)
    model.a_matrix_.index_ = rows[present].astype(np.int32)
    model.a_matrix_.value_ = np.repeat(size, present.sum(axis=1))
    model.integrality_ = [
        highspy.HighsVarType.kInteger if w else highspy.HighsVarType.kContinuous for w in whole
    ]
    solver = _new_highs()
    solver.setOptionValue("time_limit", rules.mip_time_limit)
    solver.setOptionValue("mip_rel_gap", rules.mip_gap)
    solver.passModel(model)
    if start is not None:
        known = highspy.HighsSolution()
        known.col_value, known.value_valid = start.tolist(), True
        solver.setSolution(known)
    solver.run()
    if not solver.getInfo().primal_solution_status:
        raise AllocationInfeasible("the rules cannot all be met (check the LDC floor)")
    share = np.clip(np.array(solver.getSolution().col_value[:count]), 0.0, 1.0)
    split = np.floor(share * problem.pair_cap + 1e-6)
    amounts = np.where(whole, np.where(share > 0.5, problem.pair_cap, 0.0), split)
    return amounts, -float(solver.getInfo().mip_dual_bound)


def greedy_allocation(problem: _Problem) -> np.ndarray:
    """What a person would do by hand: best value per unit first, as much as the rules allow."""
    pairs = problem.pairs
    budget = problem.budget.copy()
    need_left = problem.need_cap.copy()
    country_left = problem.country_cap.copy()
    amounts = np.zeros(len(pairs.needs))
    for k in np.argsort(-problem.per_unit, kind="stable"):
        need, programme = pairs.needs[k], pairs.programmes[k]
        country = problem.country_of_need[need]
        room = min(budget[programme], need_left[need], country_left[country], problem.pair_cap[k])
        if not problem.divisible[programme] and room < problem.pair_cap[k]:
            continue  # an all-or-nothing offer fits whole or not at all
        if problem.divisible[programme] or need_left[need] == problem.need_cap[need]:
            give = room if problem.divisible[programme] else problem.pair_cap[k]
            if give <= 0:
                continue
            amounts[k] = give
            budget[programme] -= give
            need_left[need] -= give
            country_left[country] -= give
    return amounts


def _binding(problem: _Problem, amounts: np.ndarray) -> list[str]:
    """The limits that held the round back: each one reached while something more could have been given
    through it (a round that gave nothing listed every country's cap of 0 as binding).

    A programme's budget binds when what is left of it is too little for a need it could still fund; a
    country's cap when what is left under it is too little for one of its needs a programme with money left
    could still fund; the LDC floor when the least developed countries receive just the floor while a need
    elsewhere could still receive more. "Could still receive": the pair and the need have room, and an
    all-or-nothing offer only a need nobody funds, whole.
    """
    pairs = problem.pairs
    received = np.bincount(pairs.needs, weights=amounts, minlength=len(problem.need_cap))
    whole = ~problem.divisible[pairs.programmes]
    # What more each pair could carry at the least: a unit of split money, or a whole offer's full amount.
    wanted = np.where(whole, problem.pair_cap, 1.0)
    more = (amounts < problem.pair_cap - 0.5) & (received[pairs.needs] < problem.need_cap[pairs.needs] - 0.5)
    more &= ~whole | (received[pairs.needs] == 0)
    budget_left = problem.budget - np.bincount(
        pairs.programmes, weights=amounts, minlength=len(problem.budget)
    )
    country_of_pair = problem.country_of_need[pairs.needs]
    used_country = np.bincount(country_of_pair, weights=amounts, minlength=len(problem.country_cap))
    cap_left = problem.country_cap - used_country
    stopped_by_budget = more & (budget_left[pairs.programmes] < wanted - 0.5)
    binding = [
        f"budget:{problem.data.programmes[int(j)].id}" for j in np.unique(pairs.programmes[stopped_by_budget])
    ]
    stopped_by_cap = more & ~stopped_by_budget & (cap_left[country_of_pair] < wanted - 0.5)
    countries = np.unique(problem.data.n_country.astype(str))
    binding += [
        f"country_cap:{countries[c]}:{problem.currency}" for c in np.unique(country_of_pair[stopped_by_cap])
    ]
    at_floor = used_country[problem.ldc_country].sum() <= problem.ldc_floor + 1
    if problem.ldc_floor > 0 and at_floor and (more & ~problem.ldc_country[country_of_pair]).any():
        binding.append(f"ldc_floor:{problem.currency}")
    return binding
