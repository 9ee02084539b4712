"""What the first reader after a change waits for: results kept per data version (the gap ranking, the
priority inputs, who does what where, a partner brief) are computed again by the first request that needs
them after a write moves their stamp. Prints `route: p50 p95` (ms) of that first reading, one line per
route, then the same route read again at once (`route, again: p50 p95`), and the worst first reading last.
Asserts nothing.

    python bench/after_change.py --database-url sqlite:////path/pux.sqlite3 --repeat 5
    python bench/after_change.py --database-url postgresql+psycopg://.../pux --workers 2

Load the mission's scale first (bench/scale.py). For each route and each repeat: the facilitator records an
assistance activity through the API (what moves the most kept results: every sum over running activities),
then reads the route (as the facilitator, signed in, as bench/pages.py does) and reads it once more. With
several workers a reading may reach a process that computed nothing yet: both are the first reading of a
change, as a workshop meets them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import httpx2

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import report, sample_ids, served_as_facilitator  # noqa: E402

ROUTES = (
    ("home", "/"),
    ("gaps ranking", "/gaps/ranking"),
    ("who does what where", "/gaps"),
    ("country gaps", "/gaps/countries/KEN"),
    ("country page", "/countries/KEN"),
    ("priority index", "/priority"),
    ("matching", "/matching"),
    ("partner brief", "/organisations/{organisation}/brief"),
    ("api gaps", "/api/v1/gaps"),
)


def record_activity(api: httpx2.Client, provider: int, number: int) -> None:
    body = {
        "title": f"bench/after_change.py activity {number}",
        "provider_organisation_id": provider,
        "recipient_country_iso3": "KEN",
        "thematic_area_code": "health",
        "technique_code": "radiotherapy",
        "amount_committed": "125000",
        "currency": "USD",
    }
    response = api.post("/api/v1/activities", json=body)
    if response.status_code != 201:
        raise SystemExit(f"recording an activity answered {response.status_code}: {response.text[:300]}")


def timed_get(client: httpx2.Client, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    ids = sample_ids(args.database_url)
    worst = ("", 0.0)
    written = 0
    with served_as_facilitator(args.database_url, args.workers) as (browser, api):
        for name, pattern in ROUTES:
            path = pattern.format(**ids)
            client = api if path.startswith("/api/") else browser
            client.get(path)  # warm: what is measured is a change's cost, not a cold process's
            first, again = [], []
            for _ in range(args.repeat):
                written += 1
                record_activity(api, ids["organisation"], written)
                first.append(timed_get(client, path))
                again.append(timed_get(client, path))
            p95 = report(name, first)
            report(f"{name}, again", again)
            if p95 > worst[1]:
                worst = (name, p95)
    print(f"activities_recorded: {written}")
    print(f"worst_first_reading_p95_ms: {worst[1]:.0f} ({worst[0]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
