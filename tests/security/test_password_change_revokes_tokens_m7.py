"""A password changed on /account or set through a reset link revokes the person's API tokens: the page
said "You were signed out everywhere else" while a token made with the old password (perhaps by whoever
learnt it) still answered 200."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pux.accounts import repository
from pux.accounts import service as accounts
from pux.accounts.models import User
from pux.audit.models import AuditEvent
from tests.web_helpers import bearer, csrf_token, sign_in
from tests.world import PASSWORD, World

NEW_PASSWORD = "a changed and long enough secret"
TOKEN_ON_PAGE = re.compile(r"(pux_[\w-]+)")


def _new_token(client: TestClient) -> str:
    page = client.post(
        "/account/tokens", data={"name": "laptop", "csrf_token": csrf_token(client, "/account")}
    )
    assert page.status_code == 200, page.text[:300]
    found = TOKEN_ON_PAGE.search(page.text)
    assert found, "the new token is shown once"
    return found.group(1)


def _answers(client: TestClient, token: str) -> int:
    return TestClient(client.app).get("/api/v1/needs", headers=bearer(token)).status_code


def _token_revocations(session: Session) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == "token.revoke")))


def test_changing_ones_password_revokes_ones_api_tokens(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.emails["expert"])
    token = _new_token(client)
    assert _answers(client, token) == 200

    answer = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
            "csrf_token": csrf_token(client, "/account"),
        },
    )

    assert answer.status_code == 200
    assert "your API tokens were revoked: make new ones" in answer.text
    assert _answers(client, token) == 401
    assert _answers(client, world.tokens["expert"]) == 401  # the token made before, too
    assert client.get("/account").status_code == 200  # this browser's own session stays
    revoked = _token_revocations(session)
    assert revoked and all(event.after == {"reason": "password change"} for event in revoked)
    # Someone else's token is not touched.
    assert _answers(client, world.tokens["partner_a"]) == 200


def test_a_password_reset_revokes_the_persons_api_tokens(
    client: TestClient, session: Session, world: World
) -> None:
    admin = accounts.actor_for(_user(session, world.emails["admin"]))
    _person, link = accounts.make_password_reset(
        session,
        actor=admin,
        user_id=world.user_ids["expert"],
        secret=client.app.state.settings.session_secret(),
    )
    assert _answers(client, world.tokens["expert"]) == 200

    answer = client.post(
        f"/password-reset/{link}",
        data={
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
            "csrf_token": csrf_token(client, f"/password-reset/{link}"),
        },
    )

    assert answer.status_code == 200, answer.text[:300]
    assert "your API tokens were revoked: make new ones" in answer.text
    assert _answers(client, world.tokens["expert"]) == 401
    revoked = _token_revocations(session)
    assert revoked and all(event.after == {"reason": "password reset"} for event in revoked)


def _user(session: Session, email: str) -> User:
    user = repository.get_user_by_email(session, email)
    assert user is not None
    return user
