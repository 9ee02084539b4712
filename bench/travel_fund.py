"""Benchmark of the travel-support fund optimiser. Prints `name=value` lines; asserts nothing about time.

python bench/travel_fund.py                                  # 2,000 applicants from 200 countries
python bench/travel_fund.py --applicants 500 --countries 60 --seed 7
"""

from __future__ import annotations

import argparse
import resource
from collections import Counter

import numpy as np

from pux.dialogues.travel_fund import Applicant, Attending, FundProblem, allocate, greedy_allocation
from pux.dialogues.vocabulary import (
    AT_LEAST,
    AT_MOST,
    COUNTRY_GROUP,
    COUNTRY_SIDE,
    EVERY_CATEGORY,
    GENDER,
    PARTNER_SIDE,
    RECIPIENT,
    REGION,
    STAKEHOLDER_TYPE,
    BalanceTarget,
)

REGIONS = ("002", "019", "142", "150", "009")  # UN M49: Africa, Americas, Asia, Europe, Oceania
REGION_SHARES = (0.32, 0.2, 0.28, 0.12, 0.08)
STAKEHOLDERS = ("government", "regulator", "academia", "hospital", "industry", "civil_society")
STAKEHOLDER_SHARES = (0.28, 0.16, 0.2, 0.14, 0.12, 0.1)
RECIPIENT_BONUS = 0.5
TARGETS = (
    BalanceTarget(GENDER, "woman", AT_LEAST, 0.47),
    BalanceTarget(GENDER, "man", AT_MOST, 0.53),
    BalanceTarget(COUNTRY_SIDE, RECIPIENT, AT_LEAST, 0.6),
    BalanceTarget(COUNTRY_SIDE, PARTNER_SIDE, AT_MOST, 0.38),
    BalanceTarget(STAKEHOLDER_TYPE, EVERY_CATEGORY, AT_MOST, 0.3),
    BalanceTarget(STAKEHOLDER_TYPE, "regulator", AT_LEAST, 0.17),
    BalanceTarget(STAKEHOLDER_TYPE, "civil_society", AT_LEAST, 0.08),
    BalanceTarget(REGION, EVERY_CATEGORY, AT_MOST, 0.35),
    BalanceTarget(REGION, "009", AT_LEAST, 0.06),
    BalanceTarget(COUNTRY_GROUP, "ldc", AT_LEAST, 0.25),
    BalanceTarget(COUNTRY_GROUP, "sids", AT_LEAST, 0.08),
    BalanceTarget(COUNTRY_GROUP, "lldc", AT_LEAST, 0.1),
)


def _countries(rng: np.random.Generator, count: int) -> list[dict[str, object]]:
    """Synthetic countries: region, recipient or partner, groups and a priority index (0.2-1.0)."""
    countries = []
    for c in range(count):
        region = str(rng.choice(REGIONS, p=REGION_SHARES))
        recipient = bool(rng.random() < 0.75)
        groups = set()
        if recipient and rng.random() < 0.35:
            groups.add("ldc")
        if recipient and rng.random() < 0.2:
            groups.add("lldc")
        if recipient and (region == "009" or rng.random() < 0.08):
            groups.add("sids")
        priority = float(rng.uniform(0.2, 1.0)) if recipient else float(rng.uniform(0.2, 0.5))
        countries.append(
            {
                "iso3": f"C{c:03d}",
                "region": region,
                "recipient": recipient,
                "groups": groups,
                "priority": priority,
            }
        )
    return countries


def _person(
    rng: np.random.Generator, country: dict[str, object], woman_share: float
) -> dict[str, frozenset[str]]:
    draw = rng.random()
    gender = "woman" if draw < woman_share else ("other" if draw > 0.98 else "man")
    return {
        GENDER: frozenset({gender}),
        REGION: frozenset({str(country["region"])}),
        STAKEHOLDER_TYPE: frozenset({str(rng.choice(STAKEHOLDERS, p=STAKEHOLDER_SHARES))}),
        COUNTRY_SIDE: frozenset({RECIPIENT if country["recipient"] else PARTNER_SIDE}),
        COUNTRY_GROUP: frozenset(country["groups"]),  # type: ignore[arg-type]
    }


def _applicants(
    rng: np.random.Generator, countries: list[dict[str, object]], count: int
) -> tuple[Applicant, ...]:
    applicants = []
    for key in range(count):
        country = countries[int(rng.integers(0, len(countries)))]
        fare = float(rng.integers(300, 2501))
        allowance = float(rng.integers(150, 301)) * int(rng.integers(2, 7))
        weight = float(country["priority"]) + (RECIPIENT_BONUS if country["recipient"] else 0.0)  # type: ignore[arg-type]
        applicants.append(
            Applicant(
                key=key,
                country_iso3=str(country["iso3"]),
                minimum=fare,
                requested=fare + allowance,
                weight=weight,
                categories=_person(rng, country, woman_share=0.42),
            )
        )
    return tuple(applicants)


def _attending(rng: np.random.Generator, countries: list[dict[str, object]], count: int) -> Attending:
    """Self-funded people: mostly from partner countries, fewer women."""
    partners = [c for c in countries if not c["recipient"]] or countries
    counts: dict[str, Counter[str]] = {}
    for _person_number in range(count):
        pool = partners if rng.random() < 0.7 else countries
        person = _person(rng, pool[int(rng.integers(0, len(pool)))], woman_share=0.35)
        for dimension, categories in person.items():
            counts.setdefault(dimension, Counter()).update(categories)
    return Attending(total=count, counts={d: dict(c) for d, c in counts.items()})


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--applicants", type=int, default=2000)
    parser.add_argument("--countries", type=int, default=200)
    parser.add_argument("--attending", type=int, default=150)
    parser.add_argument("--time-limit", type=float, default=30.0)
    arguments = parser.parse_args()

    rng = np.random.default_rng(arguments.seed)
    countries = _countries(rng, arguments.countries)
    applicants = _applicants(rng, countries, arguments.applicants)
    problem = FundProblem(
        budget=round(0.25 * sum(a.requested for a in applicants)),
        applicants=applicants,
        targets=TARGETS,
        attending=_attending(rng, countries, arguments.attending),
        max_per_country=6,
    )
    result = allocate(problem, time_limit=arguments.time_limit, gap=0.001)
    greedy = greedy_allocation(problem)
    supported = sum(1 for d in result.decisions if d.amount > 0)
    reasons = Counter(d.reason for d in result.decisions)
    print(f"applicants={len(applicants)}")
    print(f"countries={len({a.country_iso3 for a in applicants})}")
    print(f"status={result.status}")
    print(f"solve_s={result.solve_seconds:.2f}")
    print(f"proven_gap={result.proven_gap:.6f}")
    print(f"objective={result.objective:.4f}")
    if greedy.status == "infeasible":
        print(f"optimal_vs_greedy=greedy infeasible (breaks {', '.join(greedy.conflicting)})")
    else:
        print(f"optimal_vs_greedy={result.objective / greedy.objective:.4f}")
    print(f"greedy_objective={greedy.objective:.4f}")
    print(f"supported={supported}")
    print(f"total_awarded={result.total_awarded:.2f}")
    print(f"budget={problem.budget:.2f}")
    print(f"reasons={dict(sorted(reasons.items()))}")
    caps = [name for name in result.binding if name.startswith("country_cap:")]
    others = [name for name in result.binding if name not in caps]
    print(f"binding={', '.join(others) or '-'} (+ {len(caps)} country caps reached)")
    print(f"peak_rss_mb={_peak_rss_mb():.0f}")


if __name__ == "__main__":
    main()
