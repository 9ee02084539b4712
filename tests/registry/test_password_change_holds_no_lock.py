"""Changing one's password does not make everyone else's saves wait (issue 16, several users at once).

The change checks the current password and hashes the new one with argon2, deliberately slow (about
70 ms each). Both ran inside the request's write transaction: SQLite's write lock (and, on PostgreSQL,
the account's sign-in lock) was held through them, and every other save waited. The app here is the real
one on the real database (not the tests' shared connection, where no lock can be seen), so the change is
committed for real; its person is made for the test and removed after it.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete

from pux.accounts import service as accounts
from pux.accounts.models import RoleAssignment, SignInAttempt, SignInSession, User
from pux.accounts.permissions import EXPERT, Actor, Grant
from pux.config import Settings
from pux.db import make_engine, make_session_factory, unit_of_work
from pux.web.app import create_app
from tests.committed import audit_events_taken_back
from tests.web_helpers import csrf_token, sign_in, signs_in

PASSWORD = "the first long enough secret"
NEW_PASSWORD = "a second and long enough secret"
# Far longer than a sign-in's first step takes, far shorter than the busy timeout (20 s) that a save
# waited for while the change held the write lock.
PROMPT_SECONDS = 5.0


@pytest.fixture
def person(database_url: str) -> Iterator[str]:
    """A person of this test alone, committed (the app under test commits for real)."""
    email = f"lock-{secrets.token_hex(4)}@example.org"
    with audit_events_taken_back(database_url):
        engine = make_engine(database_url)
        factory = make_session_factory(engine)
        with unit_of_work(factory, write=True) as session:
            user = accounts.create_user(
                session,
                actor=Actor.system("test-setup"),
                email=email,
                full_name="Lock Test",
                password=PASSWORD,
                grants=[Grant(EXPERT)],
            )
            user_id = user.id
        try:
            yield email
        finally:
            with unit_of_work(factory, write=True) as session:
                session.execute(delete(SignInSession).where(SignInSession.user_id == user_id))
                session.execute(delete(SignInAttempt).where(SignInAttempt.email == email))
                session.execute(delete(RoleAssignment).where(RoleAssignment.user_id == user_id))
                session.execute(delete(User).where(User.id == user_id))
            engine.dispose()


@pytest.fixture
def app_client(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(
        Settings(database_url=database_url, job_runner="in-process", files_dir=tmp_path / "files")
    )
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


def test_the_slow_password_steps_hold_no_lock(
    app_client: TestClient, person: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(app_client, person, PASSWORD)
    checking, may_finish = threading.Event(), threading.Event()
    real_check = accounts.password_matches

    def paused_check(candidate: accounts.SignInCandidate, password: str) -> bool:
        checking.set()
        may_finish.wait(60)
        return real_check(candidate, password)

    monkeypatch.setattr(accounts, "password_matches", paused_check)
    form = {
        "current_password": PASSWORD,
        "password": NEW_PASSWORD,
        "password_again": NEW_PASSWORD,
        "csrf_token": csrf_token(app_client, "/account"),
    }
    answers: list[int] = []

    def change() -> None:
        answer = app_client.post("/account/password", data=form, follow_redirects=False)
        answers.append(answer.status_code)

    changing = threading.Thread(target=change)
    changing.start()
    try:
        assert checking.wait(30), "the password check never started"
        other_save = threading.Thread(target=_count_a_sign_in_attempt, args=(app_client, person))
        other_save.start()
        other_save.join(PROMPT_SECONDS)
        assert not other_save.is_alive(), "another save waited for the password check"
    finally:
        may_finish.set()
        changing.join(60)
    monkeypatch.undo()
    assert answers == [303]
    assert signs_in(TestClient(app_client.app), person, NEW_PASSWORD)


def _count_a_sign_in_attempt(client: TestClient, email: str) -> None:
    # A save that needs both locks the change held: SQLite's write lock and the account's sign-in turn.
    factory = client.app.state.session_factory  # type: ignore[attr-defined]
    with unit_of_work(factory, write=True) as session:
        accounts.begin_sign_in(session, email=email, client_address="198.51.100.7")
