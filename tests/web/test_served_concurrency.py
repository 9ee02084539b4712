"""Hold under concurrent use: many clients at once against `pux serve` running in its own process.

The server is started the way `pux serve` builds it (uvicorn, the default worker threads and pool) on the
test database, after the world is committed. Every record made here carries this run's mark in its title
and is deleted when the module ends; sign-in sessions are ended by signing out.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx2
import pytest
from sqlalchemy import delete, select

from pux.audit.models import AuditEvent
from pux.db import make_engine, make_session_factory, unit_of_work
from pux.needs.models import Need, need_sdg_target, need_technique
from pux.search import indexing as search_indexing
from tests.committed import audit_events_taken_back
from tests.web.conftest import Served, serve_pux
from tests.web_helpers import bearer
from tests.world import PASSWORD, World

STARTUP_SECONDS = 60
# Generous: a request waits its turn behind every other one on two shared cores, but never for ever.
REQUEST_TIMEOUT = httpx2.Timeout(120.0)
IMPORT_TIMEOUT = httpx2.Timeout(1800.0)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
# Everything this module creates has a title starting with this, so that it can all be removed.
MARK = f"Served concurrency {secrets.token_hex(4)}"
SIGN_INS = 50
PARALLEL_READS = 200
WRITE_READ_NEEDS = 10
WRITE_READ_PAIRS = 500
RIVAL_EDITS = 30
SIMULTANEOUS_DRAFTS = 12
# Large enough to keep a write transaction busy for a long while (bench/concurrency.py imports 20,000).
IMPORT_ROWS = 10_000
# The bounds while a large import runs: the health check within 1 s, a page within a few.
HEALTH_BOUND_SECONDS = 1.0
PAGE_BOUND_SECONDS = 5.0


def _delete_marked_needs(database_url: str) -> None:
    """Remove the needs this module made (with their links, history and search documents), however far a
    test got. Left in the index, a thousand imported radiotherapy needs pushed the radiotherapy technique off
    the first page of a later search (the knowledge walk, when it ran after this module)."""
    engine = make_engine(database_url)
    try:
        with unit_of_work(make_session_factory(engine), write=True) as session:
            ids = list(session.scalars(select(Need.id).where(Need.title.like(f"{MARK}%"))))
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                session.execute(
                    delete(AuditEvent).where(
                        AuditEvent.entity_type == "need", AuditEvent.entity_id.in_([str(i) for i in chunk])
                    )
                )
                session.execute(delete(need_technique).where(need_technique.c.need_id.in_(chunk)))
                session.execute(delete(need_sdg_target).where(need_sdg_target.c.need_id.in_(chunk)))
                session.execute(delete(Need).where(Need.id.in_(chunk)))
                search_indexing.write(session.connection(), [], deleted=[("need", str(i)) for i in chunk])
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def server(database_url: str, world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`pux serve` on a free port over the test database; the needs made through it go at the end."""
    try:
        with (
            audit_events_taken_back(database_url),
            serve_pux(database_url, tmp_path_factory.mktemp("served-concurrency")) as served,
        ):
            yield served
    finally:
        _delete_marked_needs(database_url)


def _outcome(call: Callable[[], httpx2.Response]) -> int | str:
    """The status code, or the name of the transport error (a timeout, a refused connection)."""
    try:
        return call().status_code
    except httpx2.HTTPError as error:
        return type(error).__name__


def _all_at_once(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run work(0..count-1) on `count` threads released together (after each did its own preparation)."""
    barrier = threading.Barrier(count, timeout=300)

    def run(index: int) -> Any:
        barrier.wait()
        return work(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


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


def _create_need(server: Served, token: str, title: str) -> dict[str, Any]:
    response = httpx2.post(
        f"{server.base_url}/api/v1/needs",
        json=_need_body(f"{MARK} {title}"),
        headers=bearer(token),
        timeout=REQUEST_TIMEOUT,
    )
    assert response.status_code == 201, response.text[:500]
    need: dict[str, Any] = response.json()
    return need


def _updates_in_history(server: Served, token: str, need_id: int) -> int:
    history = httpx2.get(
        f"{server.base_url}/api/v1/needs/{need_id}/history", headers=bearer(token), timeout=REQUEST_TIMEOUT
    )
    assert history.status_code == 200, history.text[:500]
    return sum(1 for event in history.json() if event["action"] == "need.update")


def _csrf(client: httpx2.Client, path: str) -> str:
    page = client.get(path)
    match = CSRF.search(page.text)
    assert match, f"no CSRF token on {path} ({page.status_code})"
    return match.group(1)


class HealthWatch:
    """Asks /healthz (and optionally a page) again and again on its own thread until stopped."""

    def __init__(self, server: Served, page: str | None = None, page_every: int = 5) -> None:
        self.server = server
        self.page = page
        self.page_every = page_every
        self.health: list[tuple[int | str, float]] = []
        self.pages: list[tuple[int | str, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _timed(self, client: httpx2.Client, path: str) -> tuple[int | str, float]:
        started = time.perf_counter()
        outcome = _outcome(lambda: client.get(path))
        return outcome, time.perf_counter() - started

    def _watch(self) -> None:
        with httpx2.Client(base_url=self.server.base_url, timeout=REQUEST_TIMEOUT) as client:
            round_number = 0
            while not self._stop.is_set():
                self.health.append(self._timed(client, "/healthz"))
                if self.page and round_number % self.page_every == 0:
                    self.pages.append(self._timed(client, self.page))
                round_number += 1
                self._stop.wait(0.05)

    def __enter__(self) -> HealthWatch:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=300)


def test_fifty_simultaneous_sign_ins_each_get_a_working_session(server: Served, world: World) -> None:
    emails = [world.emails[role] for role in sorted(world.emails)]
    clients = [httpx2.Client(base_url=server.base_url, timeout=REQUEST_TIMEOUT) for _ in range(SIGN_INS)]
    try:
        tokens = [_csrf(client, "/sign-in") for client in clients]

        def sign_in(index: int) -> tuple[int | str, int | str]:
            client = clients[index]
            form = {
                "email": emails[index % len(emails)],
                "password": PASSWORD,
                "csrf_token": tokens[index],
                "next": "/me",
            }
            signed_in = _outcome(lambda: client.post("/sign-in", data=form))
            return signed_in, _outcome(lambda: client.get("/me"))

        with HealthWatch(server) as watch:
            outcomes = _all_at_once(SIGN_INS, sign_in)
        assert Counter(outcomes) == Counter({(303, 200): SIGN_INS}), server.log_tail()
        assert watch.health and {outcome for outcome, _ in watch.health} == {200}, watch.health
        # Each session is its own: signing out ends it and no other.
        for client in clients:
            token = _csrf(client, "/me")
            assert client.post("/sign-out", data={"csrf_token": token}).status_code == 303
            assert client.get("/me").status_code == 303
    finally:
        for client in clients:
            client.close()


def test_two_hundred_parallel_api_reads_all_answer(server: Served, world: World) -> None:
    headers = [bearer(world.tokens["focal_ken"]), bearer(world.tokens["partner_a"]), {}]

    def read(index: int) -> int | str:
        return _outcome(
            lambda: httpx2.get(
                f"{server.base_url}/api/v1/needs",
                headers=headers[index % len(headers)],
                timeout=REQUEST_TIMEOUT,
            )
        )

    outcomes = _all_at_once(PARALLEL_READS, read)
    assert Counter(outcomes) == Counter({200: PARALLEL_READS}), server.log_tail()


def test_each_read_sees_the_write_before_it(server: Served, world: World) -> None:
    token = world.tokens["focal_ken"]
    needs = [_create_need(server, token, f"read-your-writes {n}") for n in range(WRITE_READ_NEEDS)]
    rounds = WRITE_READ_PAIRS // WRITE_READ_NEEDS

    def write_then_read(index: int) -> list[str]:
        need = needs[index]
        version = need["version"]
        problems = []
        with httpx2.Client(
            base_url=server.base_url, headers=bearer(token), timeout=REQUEST_TIMEOUT
        ) as client:
            for number in range(rounds):
                title = f"{MARK} read-your-writes {index} round {number}"
                written = client.put(f"/api/v1/needs/{need['id']}", json=_need_body(title, version))
                if written.status_code != 200:
                    problems.append(f"need {index} round {number}: PUT {written.status_code}")
                    break
                version = written.json()["version"]
                read = client.get(f"/api/v1/needs/{need['id']}")
                seen = (read.status_code, read.json().get("version"), read.json().get("title"))
                if seen != (200, version, title):
                    problems.append(f"need {index} round {number}: wrote version {version}, read {seen}")
        return problems

    problems = [problem for found in _all_at_once(WRITE_READ_NEEDS, write_then_read) for problem in found]
    assert problems == [], server.log_tail()
    for need in needs:
        assert _updates_in_history(server, token, need["id"]) == rounds


def test_rival_edits_of_one_need_one_wins_the_others_get_409(server: Served, world: World) -> None:
    token = world.tokens["focal_ken"]
    need = _create_need(server, token, "rival edits")
    updates_before = _updates_in_history(server, token, need["id"])

    def edit(index: int) -> tuple[int | str, str]:
        try:
            response = httpx2.put(
                f"{server.base_url}/api/v1/needs/{need['id']}",
                json=_need_body(f"{MARK} rival edit {index}", need["version"]),
                headers=bearer(token),
                timeout=REQUEST_TIMEOUT,
            )
        except httpx2.HTTPError as error:
            return type(error).__name__, ""
        return response.status_code, response.text

    outcomes = _all_at_once(RIVAL_EDITS, edit)
    assert Counter(status for status, _ in outcomes) == Counter({200: 1, 409: RIVAL_EDITS - 1}), outcomes
    assert not any("locked" in text.lower() for _, text in outcomes)
    winner = next(index for index, (status, _) in enumerate(outcomes) if status == 200)
    current = httpx2.get(
        f"{server.base_url}/api/v1/needs/{need['id']}", headers=bearer(token), timeout=REQUEST_TIMEOUT
    ).json()
    assert current["title"] == f"{MARK} rival edit {winner}"
    assert current["version"] == need["version"] + 1
    assert _updates_in_history(server, token, need["id"]) == updates_before + 1


def _needs_csv(rows: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["country_iso3", "title", "thematic_area_code", "technique_codes", "sdg_target_codes", "currency"]
    )
    for number in range(rows):
        writer.writerow(["KEN", f"{MARK} import {number}", "health", "radiotherapy", "3.4", "USD"])
    return buffer.getvalue().encode("utf-8")


def test_site_keeps_answering_during_a_large_import(server: Served, world: World) -> None:
    content = _needs_csv(IMPORT_ROWS)
    result: dict[str, int | str] = {}

    def upload() -> None:
        result["status"] = _outcome(
            lambda: httpx2.post(
                f"{server.base_url}/api/v1/needs/import",
                files={"file": ("needs.csv", content, "text/csv")},
                headers=bearer(world.tokens["focal_ken"]),
                timeout=IMPORT_TIMEOUT,
            )
        )

    # The first view of a page compiles its templates: measured here is what the import does to it.
    assert httpx2.get(f"{server.base_url}/countries", timeout=REQUEST_TIMEOUT).status_code == 200
    importer = threading.Thread(target=upload)
    with HealthWatch(server, page="/countries") as watch:
        importer.start()
        importer.join(timeout=IMPORT_TIMEOUT.read)
    # Accepted or refused whole, but answered: never an error, a busy database or a dropped request.
    assert result.get("status") in {200, 422}, (result, server.log_tail())
    assert len(watch.health) >= 10 and watch.pages, "the import ended before the site could be watched"
    assert {outcome for outcome, _ in watch.health} == {200}, watch.health
    assert {outcome for outcome, _ in watch.pages} == {200}, watch.pages
    slowest_health = max(seconds for _, seconds in watch.health)
    slowest_page = max(seconds for _, seconds in watch.pages)
    assert slowest_health < HEALTH_BOUND_SECONDS, f"/healthz took {slowest_health:.2f} s"
    assert slowest_page < PAGE_BOUND_SECONDS, f"/countries took {slowest_page:.2f} s"


def test_needs_drafted_for_one_country_at_once_all_get_their_own_reference(
    server: Served, world: World
) -> None:
    """Each new need takes the country's next reference (KEN-2026-007): drafted at the same moment by
    several people, each is saved with a reference of its own, none refused."""
    token = world.tokens["focal_ken"]

    def draft(index: int) -> httpx2.Response:
        return httpx2.post(
            f"{server.base_url}/api/v1/needs",
            json=_need_body(f"{MARK} drafted at once {index}"),
            headers=bearer(token),
            timeout=REQUEST_TIMEOUT,
        )

    answers = _all_at_once(SIMULTANEOUS_DRAFTS, draft)
    assert [answer.status_code for answer in answers] == [201] * SIMULTANEOUS_DRAFTS, [
        answer.text[:200] for answer in answers if answer.status_code != 201
    ]
    references = {answer.json()["reference"] for answer in answers}
    assert len(references) == SIMULTANEOUS_DRAFTS and all(ref.startswith("KEN-") for ref in references)
