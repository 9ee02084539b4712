"""Concurrency benchmark against `pux serve` in its own process. Prints `name: value` lines; asserts nothing.

python bench/concurrency.py                          # scratch SQLite made with `pux init` + `pux demo`
python bench/concurrency.py --database-url postgresql+psycopg://user@host/scratch   # demo data loaded there
python bench/concurrency.py --reads 200 --import-rows 2000                          # a quicker run

Scenarios: simultaneous sign-ins through the form (each then opens /me), parallel API reads, write-then-read
pairs (each read must show the version its write returned), rival edits of one need (one should win, the
rest get 409) and /healthz and /countries latency, and another user's need drafts, while a large needs CSV
is imported (with the import's rows per second, and its checking and write-lock seconds from the server's
log). For each: requests, errors, p50_ms and p95_ms. The needs it writes stay in the database: give it a
scratch one.
"""

from __future__ import annotations

import argparse
import csv
import functools
import io
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2

DEMO_PASSWORD = "pux-demo-2026"
DEMO_ACCOUNTS = (
    "admin",
    "facilitator",
    "focal.kenya",
    "counterpart.kenya",
    "focal.uganda",
    "donor",
    "programme.officer",
    "expert",
)
FOCAL_POINT = "focal.kenya@demo.pux.invalid"
# Another user of the same country, who drafts needs while the focal point imports a file.
DRAFTER = "counterpart.kenya@demo.pux.invalid"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
TIMEOUT = httpx2.Timeout(300.0)
PUX = Path(sys.executable).parent / "pux"


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def report(name: str, latencies: list[float], errors: int, requests: int | None = None) -> None:
    """One scenario's figures (latencies in seconds, printed in milliseconds)."""
    print(f"{name}_requests: {requests if requests is not None else len(latencies)}")
    print(f"{name}_errors: {errors}")
    print(f"{name}_p50_ms: {_percentile(latencies, 0.50) * 1000:.1f}")
    print(f"{name}_p95_ms: {_percentile(latencies, 0.95) * 1000:.1f}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _timed(call: Callable[[], httpx2.Response]) -> tuple[int | str, float]:
    started = time.perf_counter()
    try:
        outcome: int | str = call().status_code
    except httpx2.HTTPError as error:
        outcome = type(error).__name__
    return outcome, time.perf_counter() - started


@contextmanager
def served(database_url: str, workdir: Path, workers: int = 1) -> Iterator[str]:
    """`pux serve` (with `workers` app processes) on a free port; yields its base URL."""
    with served_process(database_url, workdir, workers) as (base_url, _process):
        yield base_url


@contextmanager
def served_process(
    database_url: str, workdir: Path, workers: int = 1
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`pux serve` (with `workers` app processes) on a free port; yields its base URL and its process."""
    port = _free_port()
    env = {
        **os.environ,
        "PUX_DATABASE_URL": database_url,
        "PUX_SECRET_KEY": secrets.token_urlsafe(48),
        "PUX_SECRET_KEY_FILE": str(workdir / "secret_key"),
    }
    log_path = workdir / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(PUX), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
            cwd=workdir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"pux serve did not start:\n{log_path.read_text()[-3000:]}")
            try:
                if httpx2.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            time.sleep(0.2)
        yield base_url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def prepare_scratch(workdir: Path) -> str:
    database_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    env = {**os.environ, "PUX_DATABASE_URL": database_url, "PUX_SECRET_KEY_FILE": str(workdir / "secret_key")}
    for command in (["init"], ["demo"]):
        subprocess.run([str(PUX), *command], env=env, cwd=workdir, check=True, stdout=subprocess.DEVNULL)
    return database_url


def api_token(database_url: str, email: str) -> str:
    """A fresh personal API token for a demo account (made directly in the database)."""
    from pux.accounts import repository
    from pux.accounts import service as accounts
    from pux.db import make_engine, make_session_factory, unit_of_work

    engine = make_engine(database_url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            user = repository.get_user_by_email(session, email)
            if user is None:
                raise SystemExit(f"{email} is missing: load the demo data (pux demo) into this database")
            _token, secret = accounts.create_api_token(
                session, actor=accounts.actor_for(user), name="bench/concurrency.py"
            )
            return secret
    finally:
        engine.dispose()


def all_at_once(count: int, work: Callable[[int], Any]) -> list[Any]:
    """work(0..count-1) on `count` threads released together."""
    barrier = threading.Barrier(count, timeout=600)

    def run(index: int) -> Any:
        barrier.wait()
        return work(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def bench_sign_ins(base_url: str, count: int) -> None:
    clients = [httpx2.Client(base_url=base_url, timeout=TIMEOUT) for _ in range(count)]
    try:
        tokens = []
        for client in clients:
            match = CSRF.search(client.get("/sign-in").text)
            tokens.append(match.group(1) if match else "")

        def sign_in(index: int) -> tuple[bool, float]:
            client = clients[index]
            form = {
                "email": f"{DEMO_ACCOUNTS[index % len(DEMO_ACCOUNTS)]}@demo.pux.invalid",
                "password": DEMO_PASSWORD,
                "csrf_token": tokens[index],
                "next": "/me",
            }
            outcome, seconds = _timed(lambda: client.post("/sign-in", data=form))
            me, _ = _timed(lambda: client.get("/me"))
            return outcome == 303 and me == 200, seconds

        results = all_at_once(count, sign_in)
        report("sign_in", [seconds for _, seconds in results], sum(1 for ok, _ in results if not ok))
        for client in clients:  # end the sessions again
            match = CSRF.search(client.get("/me").text)
            if match:
                client.post("/sign-out", data={"csrf_token": match.group(1)})
    finally:
        for client in clients:
            client.close()


def bench_reads(base_url: str, token: str, count: int, workers: int) -> None:
    local = threading.local()

    def read(index: int) -> tuple[int | str, float]:
        if not hasattr(local, "client"):
            local.client = httpx2.Client(base_url=base_url, timeout=TIMEOUT)
        headers = {"Authorization": f"Bearer {token}"} if index % 2 else {}
        return _timed(lambda: local.client.get("/api/v1/needs", headers=headers))

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(read, range(count)))
    report("api_read", [seconds for _, seconds in results], sum(1 for status, _ in results if status != 200))


def _need_body(title: str, version: int | None = None) -> dict[str, object]:
    body: dict[str, object] = {
        "title": title,
        "thematic_area_code": "health",
        "technique_codes": ["radiotherapy"],
        "sdg_target_codes": ["3.4"],
        "currency": "USD",
        "visibility": "public",
    }
    if version is None:
        body["country_iso3"] = "KEN"
    else:
        body["version"] = version
    return body


def _create_needs(client: httpx2.Client, count: int, title: str) -> list[dict[str, Any]]:
    needs = []
    for number in range(count):
        response = client.post("/api/v1/needs", json=_need_body(f"Bench {title} {number}"))
        response.raise_for_status()
        needs.append(response.json())
    return needs


def bench_write_then_read(base_url: str, token: str, pairs: int, workers: int) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx2.Client(base_url=base_url, headers=headers, timeout=TIMEOUT) as client:
        needs = _create_needs(client, workers, "read-your-writes")
    rounds = pairs // workers

    def pairs_on(index: int) -> tuple[list[float], int]:
        need, version = needs[index], needs[index]["version"]
        latencies, errors = [], 0
        with httpx2.Client(base_url=base_url, headers=headers, timeout=TIMEOUT) as client:
            for number in range(rounds):
                started = time.perf_counter()
                try:
                    written = client.put(
                        f"/api/v1/needs/{need['id']}", json=_need_body(f"Bench pair {number}", version)
                    )
                    if written.status_code != 200:
                        errors += 1
                        version = client.get(f"/api/v1/needs/{need['id']}").json()["version"]
                        continue
                    version = written.json()["version"]
                    read = client.get(f"/api/v1/needs/{need['id']}")
                    errors += read.status_code != 200 or read.json()["version"] != version
                except httpx2.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - started)
        return latencies, errors

    results = all_at_once(workers, pairs_on)
    report(
        "write_then_read",
        [seconds for latencies, _ in results for seconds in latencies],
        sum(errors for _, errors in results),
        requests=rounds * workers,
    )


def bench_rival_edits(base_url: str, token: str, count: int) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx2.Client(base_url=base_url, headers=headers, timeout=TIMEOUT) as client:
        (need,) = _create_needs(client, 1, "rival edits")

    def edit(index: int) -> tuple[int | str, float]:
        return _timed(
            lambda: httpx2.put(
                f"{base_url}/api/v1/needs/{need['id']}",
                json=_need_body(f"Bench rival edit {index}", need["version"]),
                headers=headers,
                timeout=TIMEOUT,
            )
        )

    results = all_at_once(count, edit)
    statuses = [status for status, _ in results]
    report("rival_edit", [seconds for _, seconds in results], sum(1 for s in statuses if s not in (200, 409)))
    print(f"rival_edit_won: {statuses.count(200)}")
    print(f"rival_edit_conflicts: {statuses.count(409)}")


def _needs_csv(rows: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["country_iso3", "title", "thematic_area_code", "technique_codes", "sdg_target_codes", "currency"]
    )
    for number in range(rows):
        writer.writerow(["KEN", f"Bench import {number}", "health", "radiotherapy", "3.4", "USD"])
    return buffer.getvalue().encode("utf-8")


def bench_import(base_url: str, token: str, rows: int, drafter_token: str, log_path: Path) -> None:
    """A large needs CSV imported while the site is watched (/healthz, /countries) and another user drafts
    needs one after another: the drafts must not wait for the import's checking (the write lock is taken
    only to save the checked rows). Prints the import's rows per second and, from the server's log, how
    long its checking and its saving (the write lock held, on SQLite) took."""
    content = _needs_csv(rows)
    outcome: dict[str, Any] = {}

    def upload() -> None:
        outcome["status"], outcome["seconds"] = _timed(
            lambda: httpx2.post(
                f"{base_url}/api/v1/needs/import",
                files={"file": ("needs.csv", content, "text/csv")},
                headers={"Authorization": f"Bearer {token}"},
                timeout=httpx2.Timeout(7200.0),
            )
        )

    health: list[tuple[int | str, float]] = []
    pages: list[tuple[int | str, float]] = []
    drafts: list[tuple[int | str, float]] = []
    with (
        httpx2.Client(base_url=base_url, timeout=TIMEOUT) as client,
        httpx2.Client(base_url=base_url, timeout=TIMEOUT) as drafter,
    ):
        client.get("/countries")  # templates compiled before measuring
        importer = threading.Thread(target=upload)
        importer.start()
        watching = threading.Thread(target=_draft_while, args=(drafter, drafter_token, importer, drafts))
        watching.start()
        round_number = 0
        while importer.is_alive():
            health.append(_timed(lambda: client.get("/healthz")))
            if round_number % 5 == 0:
                pages.append(_timed(lambda: client.get("/countries")))
            round_number += 1
            time.sleep(0.05)
        importer.join()
        watching.join()
    print(f"import_rows: {rows}")
    print(f"import_status: {outcome['status']}")
    print(f"import_seconds: {outcome['seconds']:.1f}")
    print(f"import_rows_per_second: {rows / outcome['seconds']:.0f}")
    for name, value in _import_phases(log_path).items():
        print(f"import_{name}: {value}")
    for name, samples in (
        ("healthz_during_import", health),
        ("countries_during_import", pages),
        ("need_drafted_during_import", drafts),
    ):
        report(
            name,
            [seconds for _, seconds in samples],
            sum(1 for status, _ in samples if status not in (200, 201)),
        )
        print(f"{name}_max_ms: {max((seconds for _, seconds in samples), default=float('nan')) * 1000:.1f}")


def _draft_while(
    client: httpx2.Client, token: str, running: threading.Thread, drafts: list[tuple[int | str, float]]
) -> None:
    """Another user drafts needs, one after another, for as long as ``running`` runs."""
    headers = {"Authorization": f"Bearer {token}"}
    while running.is_alive():
        body = _need_body(f"bench/concurrency.py drafted during an import {len(drafts)}")
        drafts.append(_timed(functools.partial(client.post, "/api/v1/needs", json=body, headers=headers)))
        time.sleep(0.2)


def _import_phases(log_path: Path) -> dict[str, str]:
    """The checking and saving times of the last import, as the server logged them ("import applied")."""
    phases: dict[str, str] = {}
    for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines():
        if '"import applied"' in line:
            found = json.loads(line)
            phases = {
                "check_seconds": str(found.get("check_seconds")),
                "write_lock_seconds": str(found.get("apply_seconds")),
            }
    return phases or {"write_lock_seconds": "not logged (a server before the import was split)"}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", help="a database with the demo data (default: a scratch SQLite)")
    parser.add_argument("--sign-ins", type=int, default=50)
    parser.add_argument("--reads", type=int, default=1_000)
    parser.add_argument("--read-workers", type=int, default=50)
    parser.add_argument("--pairs", type=int, default=500)
    parser.add_argument("--pair-workers", type=int, default=10)
    parser.add_argument("--rival-edits", type=int, default=30)
    parser.add_argument("--import-rows", type=int, default=20_000)
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="pux-bench-") as folder:
        workdir = Path(folder)
        started = time.perf_counter()
        database_url = arguments.database_url or prepare_scratch(workdir)
        print(f"database: {database_url.partition(':')[0]}")
        print(f"setup_seconds: {time.perf_counter() - started:.1f}")
        token = api_token(database_url, FOCAL_POINT)
        drafter_token = api_token(database_url, DRAFTER)
        with served(database_url, workdir) as base_url:
            bench_sign_ins(base_url, arguments.sign_ins)
            bench_reads(base_url, token, arguments.reads, arguments.read_workers)
            bench_write_then_read(base_url, token, arguments.pairs, arguments.pair_workers)
            bench_rival_edits(base_url, token, arguments.rival_edits)
            bench_import(base_url, token, arguments.import_rows, drafter_token, workdir / "serve.log")


if __name__ == "__main__":
    main()
