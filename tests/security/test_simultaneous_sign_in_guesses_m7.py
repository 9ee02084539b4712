"""Guesses sent at the same moment no longer get round the sign-in pauses: 40 simultaneous wrong passwords
for one account were all checked (all answered 401, the pause is at 5), and a burst of 14 whose last one
had the right password signed in after 13 failures. Each attempt is now counted before its password is
checked, in one step with the check of the pauses, across threads and processes.

Against `pux serve` in its own process, on the run's database; the attempts made here are deleted."""

from __future__ import annotations

import re
import secrets
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx2
import pytest
from sqlalchemy import delete, func, select

from pux.accounts import service as accounts
from pux.accounts.models import SignInAttempt, SignInSession
from pux.db import make_engine, make_session_factory, unit_of_work
from tests.web.conftest import Served, serve_pux
from tests.world import PASSWORD, World

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
TIMEOUT = httpx2.Timeout(120.0)
LIMIT = accounts.MAX_FAILURES_PER_ACCOUNT_FROM_ONE_ADDRESS


@pytest.fixture(scope="module")
def server(database_url: str, world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with serve_pux(database_url, tmp_path_factory.mktemp("simultaneous-guesses")) as served:
        yield served


@pytest.fixture
def forget_attempts(database_url: str, world: World) -> Iterator[list[str]]:
    """The emails a test guesses at; their attempts (and any session opened) are deleted afterwards, so
    that no other test finds the served address paused."""
    emails: list[str] = []
    yield emails
    engine = make_engine(database_url)
    try:
        with unit_of_work(make_session_factory(engine), write=True) as session:
            session.execute(delete(SignInAttempt).where(SignInAttempt.email.in_(emails)))
            session.execute(delete(SignInSession).where(SignInSession.user_id == world.user_ids["expert"]))
    finally:
        engine.dispose()


def _recorded_failures(database_url: str, email: str) -> int:
    engine = make_engine(database_url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            statement = select(func.count()).where(
                SignInAttempt.email == email, SignInAttempt.succeeded.is_(False)
            )
            return session.scalar(statement) or 0
    finally:
        engine.dispose()


def _attempts(database_url: str, email: str, after_id: int = 0) -> list[bool]:
    """Whether each attempt for ``email`` (after ``after_id``) succeeded, in the order they were counted."""
    engine = make_engine(database_url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            statement = (
                select(SignInAttempt.succeeded)
                .where(SignInAttempt.email == email, SignInAttempt.id > after_id)
                .order_by(SignInAttempt.id)
            )
            return list(session.scalars(statement))
    finally:
        engine.dispose()


def _last_attempt_id(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            return session.scalar(select(func.max(SignInAttempt.id))) or 0
    finally:
        engine.dispose()


def _all_at_once(count: int, work: Callable[[int], Any]) -> list[Any]:
    """work(0..count-1) on ``count`` threads released together."""
    barrier = threading.Barrier(count, timeout=120)

    def run(index: int) -> Any:
        barrier.wait()
        return work(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def _guesses(server: Served, email: str, passwords: list[str]) -> list[int]:
    """Every password sent for ``email`` at the same moment, each by its own browser; the answers."""
    clients = [httpx2.Client(base_url=server.base_url, timeout=TIMEOUT) for _ in passwords]
    try:
        tokens = []
        for client in clients:
            found = CSRF.search(client.get("/sign-in").text)
            assert found, "no CSRF token on /sign-in"
            tokens.append(found.group(1))

        def guess(index: int) -> int:
            form = {"email": email, "password": passwords[index], "csrf_token": tokens[index], "next": "/"}
            return clients[index].post("/sign-in", data=form).status_code

        return _all_at_once(len(passwords), guess)
    finally:
        for client in clients:
            client.close()


def test_simultaneous_wrong_passwords_get_no_more_checks_than_the_pause_allows(
    server: Served, database_url: str, forget_attempts: list[str]
) -> None:
    email = f"guessed.{secrets.token_hex(4)}@test.pux.invalid"
    forget_attempts.append(email)

    answers = Counter(_guesses(server, email, [f"guess {n}" for n in range(40)]))

    # Exactly the pause's allowance is checked (and told "wrong"); every other guess is told to wait.
    assert answers == Counter({401: LIMIT, 429: 40 - LIMIT}), (answers, server.log_tail())
    assert _recorded_failures(database_url, email) == LIMIT


def test_the_right_password_in_a_burst_of_guesses_is_checked_only_within_the_allowance(
    server: Served, database_url: str, world: World, forget_attempts: list[str]
) -> None:
    email = world.emails["expert"]
    forget_attempts.append(email)
    passwords = [f"guess {n}" for n in range(13)] + [PASSWORD]

    before = _last_attempt_id(database_url)  # the account may have signed in earlier in the run

    answers = _guesses(server, email, passwords)

    attempts = _attempts(database_url, email, after_id=before)
    assert sum(not succeeded for succeeded in attempts) <= LIMIT, answers  # 13 were checked
    assert answers.count(429) == len(passwords) - len(attempts)  # the others were told to wait
    if answers[-1] == 303:  # signed in: only while the failures counted before it left room
        assert attempts.index(True) < LIMIT, attempts
