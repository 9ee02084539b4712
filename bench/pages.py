"""Latency of every list, detail, recommendation and export route of a served PUX, at whatever scale its
database holds (load the mission's scale first with bench/scale.py; a round's routes are measured when it
holds one: run `pux matching round --cap 25` on it). Prints `route: p50 p95` (ms), one line
per route, then the worst p95 last. Asserts nothing.

    python bench/pages.py --database-url sqlite:////path/pux.sqlite3            # one worker
    python bench/pages.py --database-url postgresql+psycopg://.../pux --workers 2
    python bench/pages.py --database-url ... --repeat 10 --only api             # routes whose name has 'api'

Requests are sequential (this measures each route, not the server under load: that is bench/load.py), as
the facilitator (who sees everything, the heaviest case) for pages and with that account's API token for the
API. Each route is requested once to warm it (caches per data version are part of the design), then
--repeat times. Every answer must be 200: another status is printed and counted, never timed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2

sys.path.insert(0, str(Path(__file__).resolve().parent))

from concurrency import CSRF, DEMO_PASSWORD, TIMEOUT, _percentile, api_token, served  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from pux.assistance.models import AssistanceActivity  # noqa: E402
from pux.db import make_engine  # noqa: E402
from pux.dialogues.models import DialogueEvent  # noqa: E402
from pux.matching.models import AllocationRound  # noqa: E402
from pux.needs.models import Need  # noqa: E402
from pux.programmes.models import Programme  # noqa: E402

FACILITATOR = "facilitator@demo.pux.invalid"


def sample_ids(database_url: str) -> dict[str, int]:
    """A published need, a published programme and an activity near the middle of their tables, the
    programme's organisation, the latest dialogue event and the latest allocation round (0: none)."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            need_count = session.scalar(select(func.count()).select_from(Need)) or 1
            need = session.scalar(
                select(Need.id)
                .where(Need.status == "published")
                .order_by(Need.id)
                .offset(need_count // 2)
                .limit(1)
            ) or session.scalar(select(Need.id).where(Need.status == "published").limit(1))
            programme = session.scalar(
                select(Programme.id)
                .where(Programme.status == "published")
                .order_by(Programme.id.desc())
                .limit(1)
            )
            activity = session.scalar(select(func.max(AssistanceActivity.id)))
            organisation = session.scalar(select(Programme.organisation_id).where(Programme.id == programme))
            event = session.scalar(select(func.max(DialogueEvent.id)))
            allocation_round = session.scalar(select(func.max(AllocationRound.id))) or 0
            pages = (
                session.scalar(select(func.count()).select_from(Need).where(Need.status == "published")) or 0
            )
    finally:
        engine.dispose()
    if need is None or programme is None or activity is None or organisation is None or event is None:
        raise SystemExit("no published need, programme, activity or event in the database: run pux demo")
    return {
        "need": need,
        "programme": programme,
        "activity": activity,
        "organisation": organisation,
        "event": event,
        "deep_page": max(1, pages // 40),
        "round": allocation_round,
    }


def routes(ids: dict[str, int]) -> list[tuple[str, str, str]]:
    """(name, kind, path): kind is 'page' (signed-in browser) or 'api' (bearer token)."""
    need, programme, activity, deep = ids["need"], ids["programme"], ids["activity"], ids["deep_page"]
    pages = [
        ("home", "/"),
        ("needs list", "/needs"),
        ("needs list, deep page", f"/needs?page={deep}"),
        ("needs list, filtered", "/needs?country=KEN&area=health"),
        ("programmes list", "/programmes"),
        ("activities list", "/activities"),
        ("activities list, deep page", "/activities?page=2000"),
        ("countries list", "/countries"),
        ("events list", "/events"),
        ("gaps", "/gaps"),
        ("gaps ranking", "/gaps/ranking"),
        ("unfunded board", "/unfunded"),
        ("priority index", "/priority"),
        ("search", "/search?q=radiotherapy"),
        ("techniques", "/techniques"),
        ("evidence", "/evidence"),
        ("need detail", f"/needs/{need}"),
        ("programme detail", f"/programmes/{programme}"),
        ("activity detail", f"/activities/{activity}"),
        ("country page", "/countries/KEN"),
        ("country gaps", "/gaps/countries/KEN"),
        ("matching", "/matching"),
        ("people", "/people"),
        ("people, found by name", "/people?q=an"),
        ("event participants", f"/events/{ids['event']}/participants"),
        ("event outcomes", f"/events/{ids['event']}/outcomes"),
        ("partner brief", f"/organisations/{ids['organisation']}/brief"),
        ("export needs csv", "/needs/export?format=csv"),
        ("export needs xlsx", "/needs/export?format=xlsx"),
        ("export programmes csv", "/programmes/export?format=csv"),
        ("export activities csv, Kenya", "/activities/export?format=csv&country=KEN"),
    ]
    api = [
        ("api needs", "/api/v1/needs?page_size=100"),
        ("api needs, deep page", f"/api/v1/needs?page_size=100&page={max(1, deep // 5)}"),
        ("api need", f"/api/v1/needs/{need}"),
        ("api need history", f"/api/v1/needs/{need}/history"),
        ("api programmes", "/api/v1/programmes?page_size=100"),
        ("api programme", f"/api/v1/programmes/{programme}"),
        ("api activities", "/api/v1/activities?page_size=100"),
        ("api activity", f"/api/v1/activities/{activity}"),
        ("api need recommendations", f"/api/v1/needs/{need}/recommendations"),
        ("api programme recommendations", f"/api/v1/programmes/{programme}/recommendations"),
        ("api gaps", "/api/v1/gaps"),
        ("api who does what where", "/api/v1/gaps/who"),
        ("api country priority", "/api/v1/priority/countries/KEN"),
        ("api priority", "/api/v1/priority"),
        ("api search", "/api/v1/search?q=radiotherapy"),
        ("api country", "/api/v1/countries/KEN"),
    ]
    if ids["round"]:  # a round's routes, when the database holds one (`pux matching round --cap 25`)
        pages += [
            ("round", f"/matching/rounds/{ids['round']}"),
            ("round, page 5", f"/matching/rounds/{ids['round']}?page=5"),
        ]
        round_api = f"/api/v1/matching/rounds/{ids['round']}"
        api += [
            ("api round", round_api),
            ("api round proposals, 200 a page", f"{round_api}/proposals?page_size=200"),
            ("api round proposals, 50 a page, page 5", f"{round_api}/proposals?page=5&page_size=50"),
        ]
    return [(name, "page", path) for name, path in pages] + [(name, "api", path) for name, path in api]


def sign_in(client: httpx2.Client, email: str) -> None:
    match = CSRF.search(client.get("/sign-in").text)
    form = {
        "email": email,
        "password": DEMO_PASSWORD,
        "csrf_token": match.group(1) if match else "",
        "next": "/",
    }
    if client.post("/sign-in", data=form).status_code != 303:
        raise SystemExit(f"could not sign in as {email}: load the demo data (pux demo) into this database")


def measure(client: httpx2.Client, path: str, repeat: int) -> tuple[list[float], list[int]]:
    """Latencies of `repeat` requests after one warm-up, and the statuses that were not 200."""
    client.get(path)
    latencies, failures = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        elapsed = time.perf_counter() - started
        if response.status_code == 200:
            latencies.append(elapsed)
        else:
            failures.append(response.status_code)
    return latencies, failures


def report(name: str, latencies: list[float]) -> float:
    """Prints `name: p50 p95` (ms); returns the p95."""
    p50, p95 = _percentile(latencies, 0.50) * 1000, _percentile(latencies, 0.95) * 1000
    print(f"{name}: {p50:.0f} {p95:.0f}", flush=True)
    return p95


@contextmanager
def served_as_facilitator(database_url: str, workers: int) -> Iterator[tuple[httpx2.Client, httpx2.Client]]:
    """`pux serve` on ``database_url`` with ``workers`` processes; yields a browser signed in as the
    facilitator and an API client with a fresh token of that account."""
    token = api_token(database_url, FACILITATOR)
    with (
        tempfile.TemporaryDirectory() as scratch,
        served(database_url, Path(scratch), workers) as base,
        httpx2.Client(base_url=base, timeout=TIMEOUT) as browser,
        httpx2.Client(base_url=base, timeout=TIMEOUT, headers={"Authorization": f"Bearer {token}"}) as api,
    ):
        sign_in(browser, FACILITATOR)
        yield browser, api


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--only", default="", help="only the routes whose name contains this")
    args = parser.parse_args()
    ids = sample_ids(args.database_url)
    worst = ("", 0.0)
    failed = 0
    with served_as_facilitator(args.database_url, args.workers) as (browser, api):
        for name, kind, path in routes(ids):
            if args.only not in name:
                continue
            latencies, failures = measure(browser if kind == "page" else api, path, args.repeat)
            if failures:
                failed += 1
                print(f"{name}: answered {sorted(set(failures))} ({path})")
                continue
            p95 = report(name, latencies)
            if p95 > worst[1]:
                worst = (name, p95)
    print(f"routes_not_200: {failed}")
    print(f"worst_p95_ms: {worst[1]:.0f} ({worst[0]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
