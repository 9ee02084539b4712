"""The travel-support fund: who is supported to come to a dialogue event, and by how much.

Plain data in (``FundProblem``), decisions and reasons out (``FundResult``); no database, no web.

The model, a mixed-integer programme solved with HiGHS:

* Variables. For each applicant i, x_i in {0, 1} (supported or not) and the award a_i with
  minimum_i * x_i <= a_i <= requested_i * x_i: nobody gets less than the fare (an award below it buys
  no trip), nobody more than they asked. The solver works with the top-up t_i = a_i - minimum_i * x_i,
  0 <= t_i <= (requested_i - minimum_i) * x_i, which is the same model with one linking row instead of
  two. A facilitator's override pins x_i and a_i (amount 0 refuses the person).
* Budget. The awards sum to at most the budget.
* Balance targets (hard). The people counted are those who come without support (``Attending``) and
  the supported applicants; an applicant who is not supported is assumed not to come. For a target on
  category c of dimension d with share s: n_c = attending with c + sum of x_i over applicants in c,
  N = attending.total + sum of x_i; "at least" means n_c >= s * N, "at most" n_c <= s * N. Both are
  linear in x. A target on every category ("*") is one such row per category present among the
  applicants or the attending people. An empty event (N = 0) meets every target (0 >= 0).
* Per-country cap. At most ``max_per_country`` supported people from one country.
* Objective. Maximise sum w_i * x_i + LAMBDA * sum w_i * t_i / requested_i. The first term supports as
  many deserving people as possible (weight = the caller's priority); the second, small, term then
  spends what is left topping awards up towards what was asked, most deserving per unit of money
  first. LAMBDA = 0.01 keeps a top-up worth far less than one more supported person for realistic
  fares, so the fund prefers bringing someone to topping up someone else.
* Precedence. Applicants of a higher ``precedence`` (recipients, above partners) come first, whatever
  the weights: one solve per level above the lowest finds the most weighted support its people can have
  (sum of w_i * x_i over them) within every constraint, and that support is then kept as a floor by the
  later solves; the last solve has the whole objective. Nobody of a lower level is supported with money
  that a higher level's person could have come with.

Given who is supported, the best top-up is a fractional knapsack (by w_i / requested_i, higher precedence
first); the awards are recomputed that way after the solve, so the amounts are exact even when the solver
stops at its gap.

Every refusal has a reason (see ``Decision``): the budget, a target it would break, the country cap,
an override, or - only through joint effects - that the optimum chose others. When the constraints
cannot all hold, a deletion filter finds a minimal set of them that conflict.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

import highspy
import numpy as np

from pux.dialogues.vocabulary import AT_LEAST, AT_MOST, EVERY_CATEGORY, NOT_STATED, BalanceTarget

LAMBDA = 0.01  # weight of the top-up term relative to supporting one more person
TOLERANCE = 1e-6  # slack below this counts as "at the limit"
CHECK_TOLERANCE = 1e-9  # rounding noise allowed when checking a constraint on integer counts

# Statuses.
OPTIMAL = "optimal"
FEASIBLE = "feasible"
INFEASIBLE = "infeasible"
NO_SOLUTION = "no_solution"  # the time limit passed before any allocation was found

# Reasons, for supported people.
FULL = "full"
PARTIAL = "partial"
FIXED = "fixed"
# Reasons, for refused people.
BUDGET = "budget"
TARGET = "target"
COUNTRY_CAP = "country_cap"
LOWER_PRIORITY = "lower_priority"
# For everyone when nothing can be decided.
INFEASIBLE_REASON = "infeasible"
NO_SOLUTION_REASON = "no_solution"


@dataclass(frozen=True)
class Applicant:
    key: int  # participant id
    country_iso3: str
    minimum: float  # smallest useful award (the fare); an award is 0 or between minimum and requested
    requested: float  # fare + daily allowance x nights
    weight: float  # > 0; higher = more deserving
    categories: Mapping[str, frozenset[str]]  # dimension -> categories the person counts in
    precedence: int = 0  # a higher level is supported (and topped up) before anyone of a lower one


@dataclass(frozen=True)
class Attending:
    """People who come without support: they count in the targets."""

    total: int
    counts: Mapping[str, Mapping[str, int]]  # dimension -> category -> number of them


@dataclass(frozen=True)
class FundProblem:
    budget: float
    applicants: tuple[Applicant, ...]
    targets: tuple[BalanceTarget, ...]
    attending: Attending
    max_per_country: int | None = None  # at most this many supported people per country
    fixed: Mapping[int, float] = field(default_factory=dict)  # overrides: key -> amount (0 = refuse)


@dataclass(frozen=True)
class Decision:
    key: int
    amount: float  # 0 when not supported
    reason: str  # FULL, PARTIAL, FIXED, BUDGET, TARGET, COUNTRY_CAP, LOWER_PRIORITY, INFEASIBLE_REASON, ...
    detail: str = ""  # the target's name, the country, or words


@dataclass(frozen=True)
class FundResult:
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE or NO_SOLUTION
    decisions: tuple[Decision, ...]  # one per applicant, in the problem's order
    total_awarded: float
    objective: float
    proven_gap: float  # relative gap proven by the solver (0.0 when optimal; inf for the greedy baseline)
    binding: tuple[str, ...]  # "budget", target row names, "country_cap:<iso3>"
    conflicting: tuple[
        str, ...
    ]  # when infeasible: "budget", target names, "fixed:<key>", "country_cap:<iso3>"
    solve_seconds: float


# --- Plain arrays ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Arrays:
    """The applicants as arrays, in the problem's order."""

    minimum: np.ndarray
    requested: np.ndarray
    weight: np.ndarray
    country: np.ndarray  # index into countries, per applicant
    precedence: np.ndarray
    countries: tuple[str, ...]
    fixed: dict[int, float]  # applicant index -> pinned amount

    @property
    def size(self) -> int:
        return len(self.minimum)

    @property
    def room(self) -> np.ndarray:
        """How far each award can be topped up above the minimum."""
        room: np.ndarray = self.requested - self.minimum
        return room

    @property
    def top_up_value(self) -> np.ndarray:
        """Objective value of one unit of money spent on a top-up."""
        value: np.ndarray = LAMBDA * self.weight / self.requested
        return value


@dataclass(frozen=True)
class _TargetRow:
    """One linear balance row, signed so that it holds when ``coefficients @ x + constant >= 0``."""

    name: str  # as reported in ``binding`` (with "[category]" for a "*" target)
    target_name: str  # the target as a whole: what the deletion filter drops and ``conflicting`` names
    coefficients: np.ndarray  # per applicant
    constant: float  # from the attending people

    def slack(self, supported: np.ndarray) -> float:
        return float(self.coefficients @ supported) + self.constant


def _validate(problem: FundProblem) -> None:
    keys: set[int] = set()
    for applicant in problem.applicants:
        values = (applicant.minimum, applicant.requested, applicant.weight)
        if not all(math.isfinite(value) for value in values):
            raise ValueError(f"applicant {applicant.key}: amounts and weight must be finite numbers")
        if applicant.requested <= 0:
            raise ValueError(f"applicant {applicant.key}: requested must be positive")
        if applicant.weight <= 0:
            raise ValueError(f"applicant {applicant.key}: weight must be positive")
        if applicant.minimum <= 0 or applicant.minimum > applicant.requested:
            raise ValueError(f"applicant {applicant.key}: minimum must be positive and at most requested")
        if applicant.key in keys:
            raise ValueError(f"applicant {applicant.key} appears twice")
        keys.add(applicant.key)
    for key, amount in problem.fixed.items():
        if key not in keys:
            raise ValueError(f"fixed amount for {key}, who is not an applicant")
        if not math.isfinite(amount) or amount < 0:
            raise ValueError(f"applicant {key}: a fixed amount must be 0 or positive")
    for target in problem.targets:
        if target.bound not in (AT_LEAST, AT_MOST) or not 0.0 <= target.share <= 1.0:
            raise ValueError(f"target {target.name}: bound must be at_least/at_most and share within 0..1")
    if problem.max_per_country is not None and problem.max_per_country < 0:
        raise ValueError("max_per_country must not be negative")


def _arrays(problem: FundProblem) -> _Arrays:
    applicants = problem.applicants
    countries = tuple(sorted({applicant.country_iso3 for applicant in applicants}))
    country_index = {iso3: index for index, iso3 in enumerate(countries)}
    index_of_key = {applicant.key: index for index, applicant in enumerate(applicants)}
    return _Arrays(
        minimum=np.array([a.minimum for a in applicants], dtype=np.float64),
        requested=np.array([a.requested for a in applicants], dtype=np.float64),
        weight=np.array([a.weight for a in applicants], dtype=np.float64),
        country=np.array([country_index[a.country_iso3] for a in applicants], dtype=np.int64),
        precedence=np.array([a.precedence for a in applicants], dtype=np.int64),
        countries=countries,
        fixed={index_of_key[key]: float(amount) for key, amount in problem.fixed.items()},
    )


def _categories_present(problem: FundProblem, dimension: str) -> list[str]:
    """The categories a target on each one applies to: those present, less "not stated" (missing data,
    as the balance meter reads it)."""
    present = {c for a in problem.applicants for c in a.categories.get(dimension, frozenset())}
    present |= {c for c, n in problem.attending.counts.get(dimension, {}).items() if n > 0}
    return sorted(present - {NOT_STATED})


def _target_row(problem: FundProblem, target: BalanceTarget, category: str, name: str) -> _TargetRow:
    member = np.array(
        [category in a.categories.get(target.dimension, frozenset()) for a in problem.applicants],
        dtype=np.float64,
    )
    attending_in_category = problem.attending.counts.get(target.dimension, {}).get(category, 0)
    # n_c - s * N >= 0 for "at least"; the negation for "at most".
    sign = 1.0 if target.bound == AT_LEAST else -1.0
    return _TargetRow(
        name=name,
        target_name=target.name,
        coefficients=sign * (member - target.share),
        constant=sign * (attending_in_category - target.share * problem.attending.total),
    )


def _target_rows(problem: FundProblem) -> list[_TargetRow]:
    rows = []
    for target in problem.targets:
        if target.category == EVERY_CATEGORY:
            for category in _categories_present(problem, target.dimension):
                rows.append(_target_row(problem, target, category, f"{target.name}[{category}]"))
        else:
            rows.append(_target_row(problem, target, target.category, target.name))
    return rows


def _slacks(rows: list[_TargetRow], supported: np.ndarray) -> np.ndarray:
    return np.array([row.slack(supported) for row in rows], dtype=np.float64)


def _cap_name(iso3: str) -> str:
    return f"country_cap:{iso3}"


def _fixed_name(key: int) -> str:
    return f"fixed:{key}"


def _constraint_groups(problem: FundProblem, arrays: _Arrays) -> list[str]:
    """Everything the deletion filter may drop, in the order it tries: the budget, caps and overrides
    first, so that the targets (what a facilitator most often relaxes) tend to stay in the report."""
    groups = ["budget"]
    if problem.max_per_country is not None:
        groups += [_cap_name(iso3) for iso3 in arrays.countries]
    groups += [_fixed_name(key) for key in problem.fixed]
    groups += list(dict.fromkeys(target.name for target in problem.targets))
    return groups


# --- The solver -----------------------------------------------------------------------------------


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


@dataclass
class _Rows:
    """Triplets of a sparse constraint matrix, gathered row by row."""

    rows: list[np.ndarray] = field(default_factory=list)
    columns: list[np.ndarray] = field(default_factory=list)
    values: list[np.ndarray] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)

    def add(self, columns: np.ndarray, values: np.ndarray, lower: float, upper: float) -> None:
        keep = values != 0
        self.rows.append(np.full(int(keep.sum()), len(self.lower), dtype=np.int64))
        self.columns.append(columns[keep].astype(np.int64))
        self.values.append(values[keep].astype(np.float64))
        self.lower.append(lower)
        self.upper.append(upper)


@dataclass(frozen=True)
class _Floor:
    """Support an earlier solve found for a precedence level, kept by the later ones: the weighted sum of
    x over the level's people stays at least ``least``."""

    coefficients: np.ndarray  # per applicant: w_i for the level's people, 0 for the others
    least: float


def _build_model(
    problem: FundProblem,
    arrays: _Arrays,
    rows: list[_TargetRow],
    active: set[str],
    objective: np.ndarray | None,
    floors: tuple[_Floor, ...] = (),
) -> highspy.HighsLp:
    """Columns 0..n-1 are x (supported), n..2n-1 the top-ups t; only the ``active`` groups constrain.
    ``objective``: what to maximise per column (None: any allocation that holds, for feasibility checks)."""
    n = arrays.size
    x_columns, t_columns = np.arange(n), np.arange(n, 2 * n)
    x_upper, t_lower, t_upper = np.ones(n), np.zeros(n), arrays.room.copy()
    x_lower = np.zeros(n)
    pinned = np.zeros(n, dtype=bool)
    for index, amount in arrays.fixed.items():
        if _fixed_name(problem.applicants[index].key) not in active:
            continue
        pinned[index] = True
        supported = 1.0 if amount > 0 else 0.0
        x_lower[index] = x_upper[index] = supported
        # The top-up may be negative or above the room: an override is honoured as given.
        t_lower[index] = t_upper[index] = amount - arrays.minimum[index] * supported
    matrix = _Rows()
    for i in np.flatnonzero(~pinned & (arrays.room > 0)):
        # t_i <= room_i * x_i: no top-up without support.
        matrix.add(np.array([t_columns[i], x_columns[i]]), np.array([1.0, -arrays.room[i]]), -math.inf, 0.0)
    if "budget" in active:
        matrix.add(
            np.concatenate([x_columns, t_columns]),
            np.concatenate([arrays.minimum, np.ones(n)]),
            -math.inf,
            problem.budget,
        )
    for row in rows:
        if row.target_name in active:
            matrix.add(x_columns, row.coefficients, -row.constant, math.inf)
    if problem.max_per_country is not None:
        for country, iso3 in enumerate(arrays.countries):
            if _cap_name(iso3) in active:
                members = x_columns[arrays.country == country]
                matrix.add(members, np.ones(len(members)), -math.inf, float(problem.max_per_country))
    for floor in floors:
        matrix.add(x_columns, floor.coefficients, floor.least, math.inf)
    return _highs_lp(arrays, matrix, (x_lower, x_upper, t_lower, t_upper), objective)


def _highs_lp(
    arrays: _Arrays,
    matrix: _Rows,
    bounds: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    objective: np.ndarray | None,
) -> highspy.HighsLp:
    n = arrays.size
    x_lower, x_upper, t_lower, t_upper = bounds
    model = highspy.HighsLp()
    model.num_col_, model.num_row_ = 2 * n, len(matrix.lower)
    # HiGHS minimises: the negated objective. A feasibility check needs none (it stops at the first
    # allocation found).
    cost = -objective if objective is not None else np.zeros(2 * n)
    model.col_cost_ = cost
    model.col_lower_ = np.concatenate([x_lower, t_lower])
    model.col_upper_ = np.concatenate([x_upper, t_upper])
    model.row_lower_ = np.array([-highspy.kHighsInf if v == -math.inf else v for v in matrix.lower])
    model.row_upper_ = np.array([highspy.kHighsInf if v == math.inf else v for v in matrix.upper])
    rows = np.concatenate(matrix.rows) if matrix.rows else np.zeros(0, dtype=np.int64)
    columns = np.concatenate(matrix.columns) if matrix.columns else np.zeros(0, dtype=np.int64)
    values = np.concatenate(matrix.values) if matrix.values else np.zeros(0)
    order = np.lexsort((rows, columns))
    starts = np.concatenate([[0], np.cumsum(np.bincount(columns, minlength=2 * n))])
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.start_ = starts.astype(np.int32)
    model.a_matrix_.index_ = rows[order].astype(np.int32)
    model.a_matrix_.value_ = values[order]
    model.integrality_ = [highspy.HighsVarType.kInteger] * n + [highspy.HighsVarType.kContinuous] * n
    return model


@dataclass(frozen=True)
class _Solve:
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE or NO_SOLUTION
    supported: np.ndarray  # x rounded to 0/1 (zeros without a solution)
    bound: float  # proven upper bound on the objective (inf when none)


def _run(model: highspy.HighsLp, size: int, time_limit: float, gap: float) -> _Solve:
    solver = _new_highs()
    solver.setOptionValue("time_limit", max(time_limit, 0.01))
    solver.setOptionValue("mip_rel_gap", gap)
    solver.passModel(model)
    solver.run()
    model_status = solver.getModelStatus()
    info = solver.getInfo()
    # The model is bounded (every column is), so "unbounded or infeasible" can only be infeasible.
    infeasible = (highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kUnboundedOrInfeasible)
    if model_status in infeasible:
        return _Solve(INFEASIBLE, np.zeros(size), math.inf)
    if not info.primal_solution_status:
        return _Solve(NO_SOLUTION, np.zeros(size), math.inf)
    supported = np.round(np.array(solver.getSolution().col_value[:size]))
    status = OPTIMAL if model_status == highspy.HighsModelStatus.kOptimal else FEASIBLE
    bound = -float(info.mip_dual_bound) if size else 0.0
    return _Solve(status, supported, bound)


# --- Amounts, objective, checks -------------------------------------------------------------------


def _amounts(problem: FundProblem, arrays: _Arrays, supported: np.ndarray) -> np.ndarray:
    """Awards for the chosen people: the minimum each, then what is left tops awards up, higher precedence
    first and within it best value per unit of money first (a fractional knapsack, which is optimal for the
    top-up term)."""
    amounts: np.ndarray = arrays.minimum * supported
    for index, amount in arrays.fixed.items():
        amounts[index] = amount
    left = problem.budget - float(amounts.sum())
    free = np.array([supported[i] > 0 and i not in arrays.fixed for i in range(arrays.size)], dtype=bool)
    for i in sorted(np.flatnonzero(free), key=lambda i: (-arrays.precedence[i], -arrays.top_up_value[i], i)):
        if left <= 0:
            break
        top_up = min(float(arrays.room[i]), left)
        amounts[i] += top_up
        left -= top_up
    return amounts


def _objective(arrays: _Arrays, supported: np.ndarray, amounts: np.ndarray) -> float:
    top_ups = amounts - arrays.minimum * supported
    return float(arrays.weight @ supported + arrays.top_up_value @ top_ups)


def _country_counts(arrays: _Arrays, supported: np.ndarray) -> np.ndarray:
    return np.bincount(arrays.country, weights=supported, minlength=len(arrays.countries))


def _counted_people(problem: FundProblem, supported: np.ndarray) -> float:
    return problem.attending.total + float(supported.sum())


def _binding(
    problem: FundProblem, arrays: _Arrays, rows: list[_TargetRow], supported: np.ndarray, amounts: np.ndarray
) -> tuple[str, ...]:
    binding = []
    left = problem.budget - float(amounts.sum())
    refused = [i for i in range(arrays.size) if supported[i] == 0 and i not in arrays.fixed]
    if left < TOLERANCE or (refused and left < min(arrays.minimum[i] for i in refused)):
        binding.append("budget")
    # With nobody counted every target holds as 0 >= 0: not a limit worth reporting.
    if _counted_people(problem, supported) > 0:
        binding += [row.name for row in rows if row.slack(supported) < TOLERANCE]
    if problem.max_per_country is not None:
        counts = _country_counts(arrays, supported)
        binding += [
            _cap_name(iso3) for c, iso3 in enumerate(arrays.countries) if counts[c] >= problem.max_per_country
        ]
    return tuple(binding)


def _broken(
    problem: FundProblem, arrays: _Arrays, rows: list[_TargetRow], supported: np.ndarray, amounts: np.ndarray
) -> list[str]:
    """The constraints an allocation breaks (the greedy baseline can break targets and, with overrides,
    the budget)."""
    broken = []
    if float(amounts.sum()) > problem.budget + TOLERANCE:
        broken.append("budget")
    broken += [row.name for row in rows if row.slack(supported) < -CHECK_TOLERANCE]
    if problem.max_per_country is not None:
        counts = _country_counts(arrays, supported)
        broken += [
            _cap_name(iso3) for c, iso3 in enumerate(arrays.countries) if counts[c] > problem.max_per_country
        ]
    return broken


# --- Reasons --------------------------------------------------------------------------------------


def _supported_decision(applicant: Applicant, amount: float) -> Decision:
    if amount >= applicant.requested - TOLERANCE:
        return Decision(applicant.key, amount, FULL)
    return Decision(applicant.key, amount, PARTIAL, "the budget ran out")


@dataclass(frozen=True)
class _Outcome:
    """What the chosen allocation leaves: money, each target row's slack, each country's count."""

    left: float
    slacks: np.ndarray
    country_counts: np.ndarray


def _refused_decision(
    problem: FundProblem, arrays: _Arrays, rows: list[_TargetRow], index: int, outcome: _Outcome
) -> Decision:
    """Why the optimum left this person out, testing their support alone at their minimum."""
    applicant = problem.applicants[index]
    key = applicant.key
    if outcome.left < applicant.minimum - TOLERANCE:
        left = max(outcome.left, 0.0)
        return Decision(key, 0.0, BUDGET, f"{left:.2f} left, the fare is {applicant.minimum:.2f}")
    if problem.max_per_country is not None:
        if outcome.country_counts[arrays.country[index]] >= problem.max_per_country:
            return Decision(key, 0.0, COUNTRY_CAP, applicant.country_iso3)
    for row, slack in zip(rows, outcome.slacks, strict=True):
        if slack + row.coefficients[index] < -CHECK_TOLERANCE:
            return Decision(key, 0.0, TARGET, row.name)
    return Decision(
        key,
        0.0,
        LOWER_PRIORITY,
        "fits the budget and breaks no target on its own; together with others it would not be the best use",
    )


def _decisions(
    problem: FundProblem, arrays: _Arrays, rows: list[_TargetRow], supported: np.ndarray, amounts: np.ndarray
) -> tuple[Decision, ...]:
    outcome = _Outcome(
        left=problem.budget - float(amounts.sum()),
        slacks=_slacks(rows, supported),
        country_counts=_country_counts(arrays, supported),
    )
    decisions = []
    for index, applicant in enumerate(problem.applicants):
        amount = float(amounts[index])
        if index in arrays.fixed:
            detail = "override" if amount > 0 else "refused by override"
            decisions.append(Decision(applicant.key, amount, FIXED, detail))
        elif supported[index] > 0:
            decisions.append(_supported_decision(applicant, amount))
        else:
            decisions.append(_refused_decision(problem, arrays, rows, index, outcome))
    return tuple(decisions)


def _undecided(problem: FundProblem, reason: str) -> tuple[Decision, ...]:
    return tuple(Decision(applicant.key, 0.0, reason) for applicant in problem.applicants)


# --- Infeasibility --------------------------------------------------------------------------------


def _conflicting(
    problem: FundProblem, arrays: _Arrays, rows: list[_TargetRow], deadline: float
) -> tuple[str, ...]:
    """A minimal set of constraints that cannot hold together (deletion filter).

    Drop each constraint in turn and keep it dropped when the rest still cannot hold. A check that
    runs out of time keeps the constraint, so the set reported is always proven to conflict (but may
    then not be minimal)."""
    active = _constraint_groups(problem, arrays)
    for group in list(active):
        rest = set(active) - {group}
        model = _build_model(problem, arrays, rows, rest, objective=None)
        check = _run(model, arrays.size, deadline - time.perf_counter(), 0.0)
        if check.status == INFEASIBLE:
            active.remove(group)
    return tuple(active)


def _whole_objective(arrays: _Arrays) -> np.ndarray:
    return np.concatenate([arrays.weight, arrays.top_up_value])


def _support_of_level(arrays: _Arrays, level: int) -> np.ndarray:
    """The weighted number of supported people of one precedence level (no top-ups), per x column."""
    weights: np.ndarray = np.where(arrays.precedence == level, arrays.weight, 0.0)
    return weights


def _solve_in_precedence(
    problem: FundProblem,
    arrays: _Arrays,
    rows: list[_TargetRow],
    active: set[str],
    time_limit: float,
    gap: float,
) -> _Solve:
    """The allocation, level by level of precedence (see the module's docstring); each solve gets an equal
    share of the time left. Without levels, one solve of the whole objective."""
    deadline = time.perf_counter() + time_limit
    levels = sorted(set(arrays.precedence.tolist()), reverse=True)
    floors: tuple[_Floor, ...] = ()
    for done, level in enumerate(levels[:-1]):
        support = _support_of_level(arrays, level)
        objective = np.concatenate([support, np.zeros(arrays.size)])
        share = (deadline - time.perf_counter()) / (len(levels) - done)
        solve = _run(_build_model(problem, arrays, rows, active, objective, floors), arrays.size, share, gap)
        if solve.status in (INFEASIBLE, NO_SOLUTION):
            return solve  # the constraints are the same at every level: the answer is the whole one's
        reached = float(support @ solve.supported)
        floors += (_Floor(support, reached - TOLERANCE * max(1.0, reached)),)
    model = _build_model(problem, arrays, rows, active, _whole_objective(arrays), floors)
    return _run(model, arrays.size, deadline - time.perf_counter(), gap)


# --- Entry points ---------------------------------------------------------------------------------


def allocate(problem: FundProblem, *, time_limit: float = 10.0, gap: float = 0.001) -> FundResult:
    """The optimal allocation (within ``gap``) of the budget, with a reason for every decision."""
    started = time.perf_counter()
    _validate(problem)
    if not problem.applicants:
        return FundResult(OPTIMAL, (), 0.0, 0.0, 0.0, (), (), time.perf_counter() - started)
    arrays = _arrays(problem)
    rows = _target_rows(problem)
    everything = set(_constraint_groups(problem, arrays))
    solve = _solve_in_precedence(problem, arrays, rows, everything, time_limit, gap)
    if solve.status in (INFEASIBLE, NO_SOLUTION):
        # Explaining an infeasible problem gets as long again as the solve was allowed.
        conflicting = (
            _conflicting(problem, arrays, rows, time.perf_counter() + time_limit)
            if solve.status == INFEASIBLE
            else ()
        )
        reason = INFEASIBLE_REASON if solve.status == INFEASIBLE else NO_SOLUTION_REASON
        seconds = time.perf_counter() - started
        return FundResult(
            solve.status, _undecided(problem, reason), 0.0, 0.0, math.inf, (), conflicting, seconds
        )
    amounts = _amounts(problem, arrays, solve.supported)
    objective = _objective(arrays, solve.supported, amounts)
    proven_gap = max(0.0, solve.bound - objective) / max(abs(objective), 1e-9)
    return FundResult(
        status=solve.status,
        decisions=_decisions(problem, arrays, rows, solve.supported, amounts),
        total_awarded=float(amounts.sum()),
        objective=objective,
        proven_gap=proven_gap if proven_gap > 1e-9 else 0.0,
        binding=_binding(problem, arrays, rows, solve.supported, amounts),
        conflicting=(),
        solve_seconds=time.perf_counter() - started,
    )


@dataclass
class _Greedy:
    """The running state of the greedy baseline: who is in, the money left, each row's slack and
    each country's count, kept in step as people are added rather than recounted."""

    problem: FundProblem
    arrays: _Arrays
    coefficients: np.ndarray  # target rows x applicants
    supported: np.ndarray
    amounts: np.ndarray
    slacks: np.ndarray
    country_counts: np.ndarray
    left: float

    def open_to(self) -> np.ndarray:
        """Who may still be added: not decided yet, the fare fits, the country has room, and no target
        that holds now would break."""
        arrays = self.arrays
        candidates = (self.supported == 0) & (arrays.minimum <= self.left)
        candidates[list(arrays.fixed)] = False
        if self.problem.max_per_country is not None:
            candidates &= self.country_counts[arrays.country] < self.problem.max_per_country
        holding = self.slacks >= -CHECK_TOLERANCE
        breaks = (self.slacks[holding, None] + self.coefficients[holding] < -CHECK_TOLERANCE).any(axis=0)
        result: np.ndarray = candidates & ~breaks
        return result

    def add(self, index: int) -> None:
        self.supported[index] = 1.0
        self.amounts[index] = min(float(self.arrays.requested[index]), self.left)
        self.left -= float(self.amounts[index])
        self.slacks += self.coefficients[:, index]
        self.country_counts[self.arrays.country[index]] += 1


def _start_greedy(problem: FundProblem, arrays: _Arrays, rows: list[_TargetRow]) -> _Greedy:
    supported, amounts = np.zeros(arrays.size), np.zeros(arrays.size)
    for index, amount in arrays.fixed.items():
        supported[index], amounts[index] = (1.0 if amount > 0 else 0.0), amount
    return _Greedy(
        problem=problem,
        arrays=arrays,
        coefficients=np.array([row.coefficients for row in rows]).reshape(len(rows), arrays.size),
        supported=supported,
        amounts=amounts,
        slacks=_slacks(rows, supported),
        country_counts=_country_counts(arrays, supported),
        left=problem.budget - float(amounts.sum()),
    )


def greedy_allocation(problem: FundProblem) -> FundResult:
    """The baseline a person would follow, by weight per unit requested (``ratio``):

    1. while a target is short (the self-funded people alone often leave some short), add the best-ratio
       applicant who helps the shortest one without breaking a target that holds;
    2. then everyone else, higher precedence first and in ratio order within it, while the fare fits, the
       country has room and no target breaks.

    Each is awarded in full, or what is left. Overrides are applied first. Simple and often worse; it
    may end with a target still short (status INFEASIBLE, the broken constraints in ``conflicting``,
    the amounts kept so that they can be compared)."""
    started = time.perf_counter()
    _validate(problem)
    arrays = _arrays(problem)
    rows = _target_rows(problem)
    greedy = _start_greedy(problem, arrays, rows)
    ratio = arrays.weight / arrays.requested
    while len(rows) and greedy.slacks.min() < -CHECK_TOLERANCE:
        shortest = int(np.argmin(greedy.slacks))
        helpers = greedy.open_to() & (greedy.coefficients[shortest] > 0)
        if not helpers.any():
            break
        greedy.add(int(np.argmax(np.where(helpers, ratio, -np.inf))))
    for index in sorted(range(arrays.size), key=lambda i: (-arrays.precedence[i], -ratio[i], i)):
        # Rows already short stay reported below; here nobody may make a short row shorter either.
        if greedy.open_to()[index] and not np.any(
            (greedy.slacks < -CHECK_TOLERANCE) & (greedy.coefficients[:, index] < 0)
        ):
            greedy.add(index)
    supported, amounts = greedy.supported, greedy.amounts
    broken = _broken(problem, arrays, rows, supported, amounts)
    return FundResult(
        status=INFEASIBLE if broken else FEASIBLE,
        decisions=_decisions(problem, arrays, rows, supported, amounts),
        total_awarded=float(amounts.sum()),
        objective=_objective(arrays, supported, amounts),
        proven_gap=math.inf,
        binding=_binding(problem, arrays, rows, supported, amounts),
        conflicting=tuple(broken),
        solve_seconds=time.perf_counter() - started,
    )
