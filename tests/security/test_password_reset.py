"""A person who forgot their password gets back in through a one-time, expiring link an administrator
makes on /people (or with ``pux users reset-password``) and passes on: PUX sends no e-mail, and there was
no way back in at all."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from pux import cli
from pux.accounts import service as accounts
from pux.audit.models import AuditEvent
from pux.config import get_settings
from tests.web_helpers import csrf_token, sign_in
from tests.world import PASSWORD, World

NEW_PASSWORD = "remembered at last, and long"
LINK = re.compile(r"https?://[^\s<\"]+/password-reset/([\w.-]+)")


def _make_link(client: TestClient, world: World, person: str) -> str:
    sign_in(client, world.emails["admin"])
    page = client.post(
        f"/people/{world.user_ids[person]}/password-reset",
        data={"csrf_token": csrf_token(client, "/people")},
    )
    assert page.status_code == 200, page.text[:300]
    found = LINK.search(page.text)
    assert found, page.text
    return found.group(1)


def _set_password(client: TestClient, token: str, password: str, again: str) -> object:
    return client.post(
        f"/password-reset/{token}",
        data={
            "password": password,
            "password_again": again,
            "csrf_token": csrf_token(client, f"/password-reset/{token}"),
        },
        follow_redirects=False,
    )


def _signs_in(client: TestClient, email: str, password: str) -> bool:
    fresh = TestClient(client.app)
    answer = fresh.post(
        "/sign-in",
        data={"email": email, "password": password, "next": "/", "csrf_token": csrf_token(fresh)},
        follow_redirects=False,
    )
    return answer.status_code == 303


def test_the_sign_in_page_says_where_to_turn(client: TestClient) -> None:
    assert "Forgot your password? Ask your administrator for a reset link." in client.get("/sign-in").text


def test_the_people_page_offers_administrators_a_reset_link_for_each_person(
    client: TestClient, world: World
) -> None:
    sign_in(client, world.emails["admin"])
    page = client.get("/people")
    assert f'action="/people/{world.user_ids["expert"]}/password-reset"' in page.text


def test_a_reset_link_sets_a_new_password_once_and_ends_the_persons_sessions(
    client: TestClient, session: Session, world: World
) -> None:
    email = world.emails["expert"]
    their_laptop = TestClient(client.app)
    sign_in(their_laptop, email)
    token = _make_link(client, world, "expert")
    person = TestClient(client.app)
    form = person.get(f"/password-reset/{token}")
    assert form.status_code == 200 and 'name="password_again"' in form.text
    different = _set_password(person, token, NEW_PASSWORD, NEW_PASSWORD + "?")
    assert different.status_code == 422 and 'id="error-password_again"' in different.text
    assert NEW_PASSWORD not in different.text
    short = _set_password(person, token, "short", "short")
    assert short.status_code == 422 and 'id="error-password"' in short.text
    done = _set_password(person, token, NEW_PASSWORD, NEW_PASSWORD)
    assert done.status_code == 303 and done.headers["location"] == "/account"
    assert person.get("/account").status_code == 200  # signed in with it
    assert their_laptop.get("/account", follow_redirects=False).headers["location"].startswith("/sign-in")
    assert _signs_in(client, email, NEW_PASSWORD) and not _signs_in(client, email, PASSWORD)
    used = TestClient(client.app).get(f"/password-reset/{token}")
    assert used.status_code == 404 and "Ask your administrator for a new one" in used.text
    again = _set_password_without_form(client, token)
    assert again.status_code in (403, 404) and not _signs_in(client, email, "someone else's choice!")
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_id == str(world.user_ids["expert"]))
    ).all()
    assert "user.password_reset_link" in actions and "user.password_reset" in actions
    written = " ".join(
        f"{e.before} {e.after}"
        for e in session.scalars(select(AuditEvent).where(AuditEvent.action.like("user.password%")))
    )
    assert token not in written and NEW_PASSWORD not in written and "argon2" not in written


def _set_password_without_form(client: TestClient, token: str) -> object:
    """A used link's form cannot be had; post with any page's CSRF token."""
    browser = TestClient(client.app)
    return browser.post(
        f"/password-reset/{token}",
        data={
            "password": "someone else's choice!",
            "password_again": "someone else's choice!",
            "csrf_token": csrf_token(browser),
        },
    )


def test_an_expired_or_altered_link_is_refused_on_the_sites_page(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = _make_link(client, world, "expert")
    user_part, expires, signature = token.split(".")
    for altered in (
        f"{user_part}.{int(expires) + 3600}.{signature}",  # a longer life written in
        f"{world.user_ids['admin']}.{expires}.{signature}",  # someone else's account
        "nonsense",
    ):
        answer = client.get(f"/password-reset/{altered}")
        assert answer.status_code == 404 and "unknown, used or expired" in answer.text
    later = accounts._now() + accounts.PASSWORD_RESET_LIFETIME + timedelta(minutes=1)
    monkeypatch.setattr(accounts, "_now", lambda: later)
    expired = client.get(f"/password-reset/{token}")
    assert expired.status_code == 404 and "unknown, used or expired" in expired.text


def test_only_administrators_make_reset_links(client: TestClient, world: World) -> None:
    sign_in(client, world.emails["facilitator"])
    page = client.get("/people")
    assert "/password-reset" not in page.text
    answer = client.post(
        f"/people/{world.user_ids['expert']}/password-reset",
        data={"csrf_token": csrf_token(client, "/people")},
    )
    assert answer.status_code == 403 and "password-reset/" not in answer.text
    assert "<html" in answer.text.lower()  # the site's own page


def test_the_command_line_prints_a_reset_link(
    client: TestClient, session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    @contextmanager
    def test_sessions() -> Iterator[Session]:
        yield session  # the test's transaction, rolled back after it

    monkeypatch.setattr(cli, "_sessions", test_sessions)
    get_settings.cache_clear()
    result = CliRunner().invoke(cli.app, ["users", "reset-password", world.emails["expert"]])
    assert result.exit_code == 0, result.output
    found = LINK.search(result.output)
    assert found, result.output
    assert "revokes their API tokens" in " ".join(result.output.split())  # as the reset itself does
    done = _set_password(TestClient(client.app), found.group(1), NEW_PASSWORD, NEW_PASSWORD)
    assert done.status_code == 303
    assert _signs_in(client, world.emails["expert"], NEW_PASSWORD)
    unknown = CliRunner().invoke(cli.app, ["users", "reset-password", "nobody@test.pux.invalid"])
    assert unknown.exit_code == 1 and "No account" in unknown.output
