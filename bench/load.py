"""A mixed workload at a fixed rate for a fixed time against `pux serve` on loopback; asserts nothing.

    python bench/load.py --database-url postgresql+psycopg://.../pux --workers 2        # 100 req/s, 5 min
    python bench/load.py --database-url sqlite:////path/pux.sqlite3 --rate 20 --seconds 60

Load the database first (`pux init && pux demo`, then bench/scale.py for the mission's scale). The requests
are sent on schedule (one every 1/rate s, whatever the answers' speed, so a slow server meets the same
demand) from a pool of client threads, and stop by themselves after --seconds. The mix, by weight:

- public browsing with filters (needs, programmes, activities, countries, gaps; deep pages) .... 35
- API reads (lists with filters and pages, records) ............................................. 28
- searches (page and API) ........................................................................ 10
- signed-in pages (the facilitator opens needs and programmes) ................................. 10
- writes through the API (the Kenyan focal point drafts needs and edits them, each edit naming
  the version it read) ............................................................................ 15
- exports (a country's needs as CSV) .............................................................. 2

Prints, per kind: requests, errors (a 5xx, a refused connection or a timeout; a 409 of an edit that lost
its race is not one), requests not sent (still waiting for a client thread 10 s after the last was due:
the server fell behind), p50_ms, p95_ms, p99_ms (from when each request was due, waiting included) and
p95_after_settle_ms (only the requests due after --settle-seconds, 30 s: a new process's first readers meet
its cold caches); then the server's memory (all its processes) at the start and the end, resident and its
own (without the mapped database file, see server_rss_mb), how late the sender fell behind, and the CPU
time each request cost the app, this sender and the rest of the machine (the database server): the rate a
machine can hold is about its cores divided by their sum.
The drafts it writes stay: use a scratch copy.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx2

sys.path.insert(0, str(Path(__file__).resolve().parent))

from concurrency import FOCAL_POINT, _need_body, _percentile, api_token, served_process  # noqa: E402
from pages import FACILITATOR, sample_ids, sign_in  # noqa: E402

COUNTRIES = ("KEN", "UGA", "ETH", "GHA", "SEN", "BGD", "NPL", "PER", "BOL", "JAM", "FJI", "MNG")
AREAS = ("health", "food", "water", "energy", "industry", "safety")
WORDS = ("radiotherapy", "cancer", "water", "insect", "mutation", "irradiation", "isotope", "soil", "energie")
SEED = 20261202
DRAIN_SECONDS = 10.0
# A request unanswered after this long counts as an error (and the run cannot hang on it).
REQUEST_TIMEOUT = httpx2.Timeout(30.0)


@dataclass
class Tally:
    """What the requests of one kind met."""

    latencies: list[float] = field(default_factory=list)
    # Those of the requests due after the first --settle-seconds (a process's first readers meet cold
    # caches: both are printed, the whole run's and these).
    settled: list[float] = field(default_factory=list)
    errors: int = 0
    # What each error was: "timeout", "connection" (refused or dropped) or the 5xx status.
    error_kinds: Counter[str] = field(default_factory=Counter)
    lost_races: int = 0
    # Requests still waiting for a client thread when the run ended: not sent (the server fell behind).
    not_sent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Workload:
    """The kinds of request and how to make one of each; clients are per thread (each keeps its cookies)."""

    def __init__(self, base_url: str, ids: dict[str, int], reader_token: str, writer_token: str) -> None:
        self.base_url, self.ids = base_url, ids
        self.reader_token, self.writer_token = reader_token, writer_token
        self.local = threading.local()
        self.drafts: list[tuple[int, int]] = []  # (id, version) of drafts written so far
        self.drafts_lock = threading.Lock()
        # The facilitator signs in once, before the run, and every thread's client carries that session
        # (one person with several tabs): signing in is deliberately slow (password hashing) and is not
        # part of the mix; 64 threads each signing in at their first page loaded the first seconds.
        with httpx2.Client(base_url=base_url, timeout=REQUEST_TIMEOUT) as first:
            sign_in(first, FACILITATOR)
            self.session_cookies = dict(first.cookies)

    def _client(self, name: str) -> httpx2.Client:
        client = getattr(self.local, name, None)
        if client is None:
            headers = {}
            if name == "reader":
                headers = {"Authorization": f"Bearer {self.reader_token}"}
            elif name == "writer":
                headers = {"Authorization": f"Bearer {self.writer_token}"}
            cookies = self.session_cookies if name == "signed_in" else None
            client = httpx2.Client(
                base_url=self.base_url, timeout=REQUEST_TIMEOUT, headers=headers, cookies=cookies
            )
            setattr(self.local, name, client)
        return client

    def kinds(self) -> list[tuple[str, int, Callable[[random.Random], httpx2.Response]]]:
        return [
            ("public pages", 35, self.public_page),
            ("api reads", 28, self.api_read),
            ("searches", 10, self.search),
            ("signed-in pages", 10, self.signed_in_page),
            ("api writes", 15, self.api_write),
            ("exports", 2, self.export),
        ]

    def public_page(self, rng: random.Random) -> httpx2.Response:
        country, area = rng.choice(COUNTRIES), rng.choice(AREAS)
        path = rng.choice(
            (
                f"/needs?country={country}&area={area}",
                f"/needs?page={rng.randint(1, max(1, self.ids['deep_page']))}",
                "/programmes",
                f"/activities?country={country}",
                f"/activities?page={rng.randint(1, 500)}",
                f"/countries/{country}",
                f"/gaps?country={country}",
                "/countries",
            )
        )
        return self._client("public").get(path)

    def api_read(self, rng: random.Random) -> httpx2.Response:
        country = rng.choice(COUNTRIES)
        path = rng.choice(
            (
                f"/api/v1/needs?country={country}&page_size=50",
                f"/api/v1/needs?page={rng.randint(1, 100)}&page_size=50",
                f"/api/v1/needs/{self.ids['need']}",
                f"/api/v1/activities?country={country}&page_size=50",
                f"/api/v1/programmes/{self.ids['programme']}",
                f"/api/v1/countries/{country}",
            )
        )
        return self._client("reader").get(path)

    def search(self, rng: random.Random) -> httpx2.Response:
        word = rng.choice(WORDS)
        if rng.random() < 0.5:
            return self._client("public").get(f"/search?q={word}")
        return self._client("reader").get(f"/api/v1/search?q={word}")

    def signed_in_page(self, rng: random.Random) -> httpx2.Response:
        path = rng.choice((f"/needs/{self.ids['need']}", f"/programmes/{self.ids['programme']}", "/"))
        return self._client("signed_in").get(path)

    def api_write(self, rng: random.Random) -> httpx2.Response:
        client = self._client("writer")
        with self.drafts_lock:
            draft = rng.choice(self.drafts) if self.drafts and rng.random() < 0.6 else None
        if draft is None:
            response = client.post("/api/v1/needs", json=_need_body(f"Load draft {rng.randint(1, 10**9)}"))
            if response.status_code == 201:
                with self.drafts_lock:
                    self.drafts.append((response.json()["id"], response.json()["version"]))
            return response
        need_id, version = draft
        response = client.put(
            f"/api/v1/needs/{need_id}", json=_need_body(f"Load edit {rng.random()}", version)
        )
        if response.status_code == 200:
            with self.drafts_lock:
                self.drafts = [
                    (i, v) if i != need_id else (i, response.json()["version"]) for i, v in self.drafts
                ]
        return response

    def export(self, rng: random.Random) -> httpx2.Response:
        return self._client("public").get(f"/needs/export?format=csv&country={rng.choice(COUNTRIES)}")


def _process_tree(pid: int) -> list[int]:
    """A process and all its descendants (the uvicorn supervisor and its workers)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(child) for child in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
        found.append(current)
    return found


def server_rss_mb(pid: int, kind: str = "VmRSS:") -> float:
    """Resident memory of a process and all its descendants; ``kind="RssAnon:"`` counts only their own
    memory, without the database file SQLite maps (its pages are the system's file cache, shared, and come
    and go as the kernel needs: a leak shows in this one)."""
    total_kb = 0
    for current in _process_tree(pid):
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total_kb += int(next(line.split()[1] for line in status.splitlines() if line.startswith(kind)))
        except (FileNotFoundError, StopIteration, ProcessLookupError):
            continue
    return total_kb / 1024


@dataclass(frozen=True)
class CpuSeconds:
    """CPU time used so far by the served app (its processes), by this sender, and by the whole machine."""

    server: float
    sender: float
    machine: float

    @staticmethod
    def now(pid: int) -> CpuSeconds:
        tick = os.sysconf("SC_CLK_TCK")
        server = 0
        for current in _process_tree(pid):
            try:
                # Fields 14-17 (counted after the command's closing bracket): its own user and system time,
                # and that of its children it has waited for (a worker that ended still counts).
                fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
                server += sum(int(value) for value in fields[11:15])
            except (FileNotFoundError, ProcessLookupError):
                continue
        own = os.times()
        # The machine's work: user, nice, system, irq and softirq (not idle, waiting for the disk, time the
        # hypervisor gave to other machines, nor guest time, already counted in user).
        counters = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        busy = sum(counters[:3]) + counters[5] + counters[6]
        return CpuSeconds(server / tick, own.user + own.system, busy / tick)


def print_cpu(start: CpuSeconds, end: CpuSeconds, requests: int, seconds: float) -> None:
    """CPU per request of the app, of this sender and of the rest (the database server, anything else),
    and how busy the machine's cores were: what a rate on this machine is bounded by."""
    server, sender = end.server - start.server, end.sender - start.sender
    rest = max(0.0, end.machine - start.machine - server - sender)
    for name, used in (("server", server), ("sender", sender), ("rest_of_machine", rest)):
        print(f"cpu_{name}_ms_per_request: {used * 1000 / max(requests, 1):.1f}")
    print(f"cpu_cores_busy: {(end.machine - start.machine) / seconds:.2f} of {len(os.sched_getaffinity(0))}")


def run(
    workload: Workload, rate: float, seconds: float, threads: int, seed: int, settle: float = 0.0
) -> tuple[dict[str, Tally], float]:
    """Sends the mix on schedule; returns the tallies and the largest lag behind the schedule (s)."""
    kinds = workload.kinds()
    names, weights = [kind[0] for kind in kinds], [kind[1] for kind in kinds]
    makers = {kind[0]: kind[2] for kind in kinds}
    tallies: dict[str, Tally] = defaultdict(Tally)
    rng = random.Random(seed)

    def send(name: str, request_seed: int, due: float) -> None:
        tally = tallies[name]
        if time.perf_counter() > end:
            with tally.lock:
                tally.not_sent += 1
            return
        failure = ""
        try:
            status = makers[name](random.Random(request_seed)).status_code
        except httpx2.TimeoutException:
            status, failure = 0, "timeout"
        except httpx2.HTTPError as error:  # named: a refused connection is not a dropped keep-alive one
            status, failure = 0, f"connection ({type(error).__name__})"
        # From when it was due, not when a thread was free: waiting for the server is part of the answer.
        elapsed = time.perf_counter() - due
        with tally.lock:
            if status == 409 and name == "api writes":
                tally.lost_races += 1
            elif status == 0 or status >= 500:
                tally.errors += 1
                tally.error_kinds[failure or str(status)] += 1
            tally.latencies.append(elapsed)
            if due >= settled_from:
                tally.settled.append(elapsed)

    for name in names:  # made before the threads, so each kind's tally exists once
        _ = tallies[name]
    lag = 0.0
    start = time.perf_counter()
    # The run stops by itself: what was not sent a few seconds after the last request was due is dropped.
    end = start + seconds + DRAIN_SECONDS
    settled_from = start + settle
    with ThreadPoolExecutor(max_workers=threads) as pool:
        count = int(rate * seconds)
        for number in range(count):
            due = start + number / rate
            now = time.perf_counter()
            if due > now:
                time.sleep(due - now)
            else:
                lag = max(lag, now - due)
            pool.submit(send, rng.choices(names, weights)[0], rng.randint(0, 2**31), due)
    return tallies, lag


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rate", type=float, default=100.0, help="requests per second")
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--threads", type=int, default=64, help="client threads (requests in flight at most)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--server-log", type=Path, help="keep the served app's log (JSON lines) here")
    parser.add_argument(
        "--settle-seconds", type=float, default=30.0, help="also print p95 of requests due after this"
    )
    args = parser.parse_args()
    ids = sample_ids(args.database_url)
    reader, writer = api_token(args.database_url, FACILITATOR), api_token(args.database_url, FOCAL_POINT)
    with (
        tempfile.TemporaryDirectory() as scratch,
        served_process(args.database_url, Path(scratch), args.workers) as (
            base_url,
            process,
        ),
    ):
        workload = Workload(base_url, ids, reader, writer)
        for name, _weight, make in workload.kinds():  # every kind once, unmeasured (caches, sign-in)
            response = make(random.Random(args.seed))
            if name != "api writes":
                response.raise_for_status()
        memory_start, own_start = server_rss_mb(process.pid), server_rss_mb(process.pid, "RssAnon:")
        cpu_start, started = CpuSeconds.now(process.pid), time.perf_counter()
        tallies, lag = run(workload, args.rate, args.seconds, args.threads, args.seed, args.settle_seconds)
        cpu_end, elapsed = CpuSeconds.now(process.pid), time.perf_counter() - started
        memory_end, own_end = server_rss_mb(process.pid), server_rss_mb(process.pid, "RssAnon:")
        if args.server_log:
            shutil.copyfile(Path(scratch) / "serve.log", args.server_log)
    total = sum(len(tally.latencies) for tally in tallies.values())
    for name, tally in tallies.items():
        key = name.replace(" ", "_").replace("-", "_")
        print(f"{key}_requests: {len(tally.latencies)}")
        print(f"{key}_errors: {tally.errors}")
        if tally.error_kinds:
            kinds = ", ".join(f"{kind} x{count}" for kind, count in sorted(tally.error_kinds.items()))
            print(f"{key}_errors_by_kind: {kinds}")
        print(f"{key}_not_sent: {tally.not_sent}")
        if name == "api writes":
            print(f"{key}_lost_races_409: {tally.lost_races}")
        for share in (0.50, 0.95, 0.99):
            print(f"{key}_p{round(share * 100)}_ms: {_percentile(tally.latencies, share) * 1000:.1f}")
        if tally.settled:
            print(f"{key}_p95_after_settle_ms: {_percentile(tally.settled, 0.95) * 1000:.1f}")
    print(f"requests: {total}")
    print(f"errors: {sum(tally.errors for tally in tallies.values())}")
    print(f"not_sent: {sum(tally.not_sent for tally in tallies.values())}")
    print(f"achieved_rate_per_s: {total / args.seconds:.1f}")
    print(f"sender_max_lag_s: {lag:.2f}")
    print(f"server_rss_start_mb: {memory_start:.0f}")
    print(f"server_rss_end_mb: {memory_end:.0f}")
    print(f"server_own_memory_start_mb: {own_start:.0f}")
    print(f"server_own_memory_end_mb: {own_end:.0f}")
    print_cpu(cpu_start, cpu_end, total, elapsed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
