"""A person changes their own password on /account, and chooses it twice when accepting an invitation:
there was no way to change a password, and an invitation's single password box turned a slip of the
finger into an account nobody could sign in to."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pux.accounts import service as accounts
from pux.accounts.models import SignInAttempt, User
from pux.accounts.permissions import COUNTERPART
from pux.accounts.schemas import InvitationCreate
from pux.audit.models import AuditEvent
from tests.web_helpers import csrf_token, sign_in, signs_in
from tests.world import PASSWORD, World

NEW_PASSWORD = "a new and long enough secret"


def _change(client: TestClient, current: str, new: str, again: str) -> object:
    return client.post(
        "/account/password",
        data={
            "current_password": current,
            "password": new,
            "password_again": again,
            "csrf_token": csrf_token(client, "/account"),
        },
        follow_redirects=False,
    )


def test_the_account_page_offers_a_change_of_password(client: TestClient, world: World) -> None:
    sign_in(client, world.emails["expert"])
    page = client.get("/account")
    assert 'action="/account/password"' in page.text
    for name in ("current_password", "password", "password_again"):
        assert f'name="{name}"' in page.text


def test_a_changed_password_signs_in_and_ends_the_other_sessions(
    client: TestClient, session: Session, world: World
) -> None:
    email = world.emails["expert"]
    elsewhere = TestClient(client.app)  # the same person on another device
    sign_in(elsewhere, email)
    sign_in(client, email)
    answer = _change(client, PASSWORD, NEW_PASSWORD, NEW_PASSWORD)
    assert answer.status_code == 303 and answer.headers["location"] == "/account"
    assert "Your password was changed" in client.get("/account").text  # this browser stays signed in
    assert elsewhere.get("/account", follow_redirects=False).headers["location"].startswith("/sign-in")
    assert not signs_in(TestClient(client.app), email, PASSWORD)
    assert signs_in(TestClient(client.app), email, NEW_PASSWORD)
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "user.password_change")).one()
    assert event.entity_id == str(world.user_ids["expert"])
    user = session.get(User, world.user_ids["expert"])
    assert user is not None and user.password_hash
    written = f"{event.before} {event.after}"
    assert NEW_PASSWORD not in written and user.password_hash not in written


def test_a_wrong_current_password_is_refused_beside_its_box_and_counted(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.emails["expert"])
    answer = _change(client, "not my password at all", NEW_PASSWORD, NEW_PASSWORD)
    assert answer.status_code == 422
    assert 'id="error-current_password"' in answer.text and "is not your current password" in answer.text
    assert NEW_PASSWORD not in answer.text and "not my password at all" not in answer.text
    failures = session.scalars(
        select(SignInAttempt).where(
            SignInAttempt.email == world.emails["expert"], SignInAttempt.succeeded.is_(False)
        )
    ).all()
    assert len(failures) == 1
    assert signs_in(TestClient(client.app), world.emails["expert"], PASSWORD)  # unchanged


def test_guessing_the_current_password_is_paused_like_signing_in(client: TestClient, world: World) -> None:
    sign_in(client, world.emails["expert"])
    for _attempt in range(accounts.MAX_FAILURES_PER_ACCOUNT_FROM_ONE_ADDRESS):
        assert _change(client, "a wrong guess, again", NEW_PASSWORD, NEW_PASSWORD).status_code == 422
    paused = _change(client, PASSWORD, NEW_PASSWORD, NEW_PASSWORD)  # even the right one, while paused
    assert paused.status_code == 422 and "Too many failed sign-in attempts" in paused.text
    assert signs_in(TestClient(client.app, client=("203.0.113.9", 50000)), world.emails["expert"], PASSWORD)


def test_a_new_password_follows_the_invitations_rules_and_is_typed_twice(
    client: TestClient, world: World
) -> None:
    sign_in(client, world.emails["expert"])
    short = _change(client, PASSWORD, "short", "short")
    assert short.status_code == 422 and 'id="error-password"' in short.text and "at least 12" in short.text
    different = _change(client, PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "!")
    assert different.status_code == 422 and 'id="error-password_again"' in different.text
    assert NEW_PASSWORD not in different.text
    assert signs_in(TestClient(client.app), world.emails["expert"], PASSWORD)


def test_changing_a_password_needs_a_signed_in_person(client: TestClient) -> None:
    answer = client.post(
        "/account/password",
        data={
            "current_password": "x",
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
            "csrf_token": csrf_token(client),
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"].startswith("/sign-in")


def test_the_change_is_refused_without_the_forms_csrf_token(client: TestClient, world: World) -> None:
    sign_in(client, world.emails["expert"])
    answer = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
    )
    assert answer.status_code == 403
    assert signs_in(TestClient(client.app), world.emails["expert"], PASSWORD)


def _invitation(session: Session, world: World, email: str) -> str:
    _invitation, token = accounts.invite(
        session,
        actor=world.actors["admin"],
        data=InvitationCreate(email=email, role=COUNTERPART, country_iso3="KEN"),
    )
    return token


def test_the_invitation_asks_for_the_password_twice(
    client: TestClient, session: Session, world: World
) -> None:
    token = _invitation(session, world, "twice@test.pux.invalid")
    page = client.get(f"/invitations/{token}")
    assert 'name="password_again"' in page.text
    slip = client.post(
        f"/invitations/{token}",
        data={
            "full_name": "Typed Twice",
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD.replace("new", "mew"),
            "csrf_token": csrf_token(client, f"/invitations/{token}"),
        },
        follow_redirects=False,
    )
    assert slip.status_code == 422 and 'id="error-password_again"' in slip.text
    assert 'value="Typed Twice"' in slip.text and NEW_PASSWORD not in slip.text
    assert session.scalars(select(User).where(User.email == "twice@test.pux.invalid")).first() is None
    forgotten = client.post(
        f"/invitations/{token}",
        data={
            "full_name": "Typed Twice",
            "password": NEW_PASSWORD,
            "password_again": "",
            "csrf_token": csrf_token(client, f"/invitations/{token}"),
        },
        follow_redirects=False,
    )
    assert forgotten.status_code == 422 and 'id="error-password_again"' in forgotten.text
    done = client.post(
        f"/invitations/{token}",
        data={
            "full_name": "Typed Twice",
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
            "csrf_token": csrf_token(client, f"/invitations/{token}"),
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert signs_in(TestClient(client.app), "twice@test.pux.invalid", NEW_PASSWORD)
