"""Benchmark of fit, recommendations and allocation. Prints `name: value` lines; asserts nothing about time.

python bench/matching.py                       # 20,000 needs x 2,000 programmes
python bench/matching.py --needs 2000 --programmes 200
python bench/matching.py --country-cap 0.006 --skip-indivisible   # caps that bind: one joint flow
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import generate  # noqa: E402

from pux.matching.allocation import RoundRules, allocate  # noqa: E402
from pux.matching.engine import (  # noqa: E402
    MatchingData,
    eligible_pairs,
    top_needs_for_programme,
    top_programmes_for_need,
)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _peak_worker_rss_mb() -> float:
    """The largest worker process (large rounds solve their pieces in forked processes); 0 if none ran.

    A forked worker's figure counts the pages it shares with this process as well."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--needs", type=int, default=20_000)
    parser.add_argument("--programmes", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--skip-indivisible", action="store_true")
    parser.add_argument(
        "--country-cap", type=float, default=0.05, help="share of the round one country may get (0.05)"
    )
    arguments = parser.parse_args()

    needs, programmes = generate(arguments.needs, arguments.programmes, seed=arguments.seed)
    started = time.perf_counter()
    data = MatchingData(needs, programmes)
    pairs = eligible_pairs(data, for_allocation=True)
    scoring = time.perf_counter() - started
    allocation = allocate(data, pairs, RoundRules(country_cap_share=arguments.country_cap))
    print(f"needs: {len(needs)}")
    print(f"programmes: {len(programmes)}")
    print(f"eligible_pairs: {len(pairs.needs)}")
    print(f"scoring_s: {scoring:.2f}")
    print(f"allocation_s: {allocation.seconds:.2f}")
    print(f"scoring_plus_allocation_s: {scoring + allocation.seconds:.2f}")
    print(f"allocation_method: {allocation.method}")
    print(f"objective: {allocation.objective:.4f}")
    print(f"proven_gap: {allocation.gap:.6f}")
    print(f"optimal_vs_greedy: {allocation.objective / allocation.greedy_objective:.3f}")
    print(f"allocated_share_of_budget: {allocation.allocated / allocation.total_budget:.3f}")
    print(f"binding_constraints: {len(allocation.binding)}")
    print(f"peak_rss_mb: {_peak_rss_mb():.0f}")
    print(f"peak_rss_worker_mb: {_peak_worker_rss_mb():.0f}")

    rng = np.random.default_rng(arguments.seed)
    need_times, programme_times = [], []
    for _query in range(arguments.queries):
        i = int(rng.integers(0, len(needs)))
        tick = time.perf_counter()
        top_programmes_for_need(data, i, 10)
        need_times.append(time.perf_counter() - tick)
        j = int(rng.integers(0, len(programmes)))
        tick = time.perf_counter()
        top_needs_for_programme(data, j, 10)
        programme_times.append(time.perf_counter() - tick)
    print(f"topk_need_p95_ms: {1000 * np.percentile(need_times, 95):.1f}")
    print(f"topk_programme_p95_ms: {1000 * np.percentile(programme_times, 95):.1f}")
    print(f"topk_p95_ms: {1000 * np.percentile(need_times + programme_times, 95):.1f}")

    if not arguments.skip_indivisible:
        needs, programmes = generate(
            arguments.needs, arguments.programmes, seed=arguments.seed, divisible_share=0.0
        )
        data = MatchingData(needs, programmes)
        pairs = eligible_pairs(data, for_allocation=True)
        indivisible = allocate(
            data, pairs, RoundRules(country_cap_share=arguments.country_cap, mip_time_limit=50)
        )
        print(f"indivisible_eligible_pairs: {len(pairs.needs)}")
        print(f"indivisible_allocation_s: {indivisible.seconds:.2f}")
        print(f"indivisible_method: {indivisible.method}")
        print(f"indivisible_proven_gap: {indivisible.gap:.6f}")
        print(f"indivisible_optimal_vs_greedy: {indivisible.objective / indivisible.greedy_objective:.3f}")
        print(f"peak_rss_mb_after_indivisible: {_peak_rss_mb():.0f}")


if __name__ == "__main__":
    main()
